//! The billing history (`/account/history`) and a renewal's printable receipt
//! (`/account/renewals/{id}`) with "Paga ora" (R28, R31, S75, S107), as Leptos components. The
//! data and the words are in `history.rs`; an order's receipt stays in the checkout, which
//! prices its lines with the engine.

use leptos::prelude::*;
use leptos::task::spawn_local;
use ui::fill;

use crate::browser;
use crate::history::{self, Entry, Names, Renewal, What};
use crate::i18n::{Key, refusal_key, text};
use crate::model::{AccountView, Refusal};
use crate::page::{Ctx, Message, MessageLine};

/// What a page of this module stands on: waiting, the data, or the failure's words.
type Loading<T> = Option<Result<T, Key>>;

/// Reads the catalog's names (no session needed); none when it does not answer, and the
/// descriptions then use the server's own words.
async fn names(ctx: Ctx) -> Names {
    ctx.call("GET", "/api/v1/catalog", None)
        .await
        .filter(|r| r.status == 200)
        .map(|r| Names::read(&r.body))
        .unwrap_or_default()
}

/// The loading line, or the failure's alert.
fn waiting(ctx: Ctx, failed: Option<Key>) -> AnyView {
    match failed {
        None => view! { <p role="status">{ctx.text(Key::Loading)}</p> }.into_any(),
        Some(key) => view! { <p role="alert">{ctx.text(key)}</p> }.into_any(),
    }
}

/// The billing history: orders and renewals, newest first, each with its receipt (R28).
#[component]
pub(crate) fn HistoryPage(ctx: Ctx, manage: bool) -> impl IntoView {
    let loaded: RwSignal<Loading<(Names, Vec<Entry>)>> = RwSignal::new(None);
    spawn_local(async move {
        let names = names(ctx).await;
        let reply = ctx.call("GET", "/api/v1/orders", None).await;
        loaded.set(Some(
            match reply {
                Some(r) if r.status == 200 => {
                    history::read_history(&r.body).ok_or(Key::GenericError)
                }
                Some(r) => Err(refusal_key(&Refusal::read(r.status, &r.body).code)),
                None => Err(Key::NetworkError),
            }
            .map(|entries| (names, entries)),
        ));
    });
    let body = move || {
        let lang = ctx.lang.get();
        let (names, entries) = match loaded.get() {
            Some(Ok(data)) => data,
            other => return waiting(ctx, other.and_then(Result::err)),
        };
        if entries.is_empty() {
            return view! { <p class="muted">{text(lang, Key::NoHistory)}</p> }.into_any();
        }
        let rows = entries
            .into_iter()
            .map(|entry| {
                // A renewal the billing contact can pay now says so in its row (R31, S75).
                let pay = manage && entry.payable;
                let (link, label_key) = match entry.what {
                    What::Order(_) => (Key::Receipt, Key::OrderReceiptLabel),
                    What::Renewal(..) if pay => (Key::PayNow, Key::PayNowLabel),
                    What::Renewal(..) => (Key::Receipt, Key::RenewalReceiptLabel),
                };
                view! {
                    <tr>
                        <td>{history::date(lang, entry.day())}</td>
                        <td>{entry.description(lang, &names)}</td>
                        <td>{entry.id.clone()}</td>
                        <td class="num">{history::money(lang, &entry.total, &entry.currency)}</td>
                        <td>{entry.status.words(lang)}</td>
                        <td>
                            <a
                                href=entry.receipt_path()
                                aria-label=fill(text(lang, label_key), &[("id", &entry.id)])
                            >
                                {text(lang, link)}
                            </a>
                        </td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="panel table-wrap">
                <table class="history">
                    <thead>
                        <tr>
                            <th scope="col">{text(lang, Key::Date)}</th>
                            <th scope="col">{text(lang, Key::Description)}</th>
                            <th scope="col">{text(lang, Key::Number)}</th>
                            <th scope="col" class="num">{text(lang, Key::Total)}</th>
                            <th scope="col">{text(lang, Key::Status)}</th>
                            <th scope="col">{text(lang, Key::Receipt)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! { {body} }
}

/// A renewal's printable receipt (R28): the account, its number and date, the billing
/// information it was settled with (R27, S77), the amounts, the card, and "Paga ora" while it
/// can be paid, for the billing contact (R31, S75).
#[component]
pub(crate) fn RenewalPage(ctx: Ctx, account: AccountView, id: String) -> impl IntoView {
    let loaded: RwSignal<Loading<(Names, Renewal)>> = RwSignal::new(None);
    let paid = RwSignal::new(false);
    let manage = account.can_manage();
    let path = format!("/api/v1/orders/{id}");
    spawn_local(async move {
        let names = names(ctx).await;
        if manage {
            ctx.load_cards().await;
        }
        let reply = ctx.call("GET", &path, None).await;
        loaded.set(Some(match reply {
            Some(r) if r.status == 200 => Renewal::read(&r.body)
                .ok_or(Key::RenewalUnknown)
                .map(|r| (names, r)),
            Some(r) if r.status == 404 => Err(Key::RenewalUnknown),
            Some(_) => Err(Key::GenericError),
            None => Err(Key::NetworkError),
        }));
    });
    let name = account.name.clone();
    let body = move || {
        let lang = ctx.lang.get();
        let (names, renewal) = match loaded.get() {
            Some(Ok(data)) => data,
            other => return waiting(ctx, other.and_then(Result::err)),
        };
        let entry = &renewal.entry;
        let rows = renewal
            .rows(lang, &names)
            .into_iter()
            .map(|(label, amount, class)| {
                view! {
                    <tr class=class>
                        <th scope="row">{label}</th>
                        <td>{amount}</td>
                    </tr>
                }
            })
            .collect_view();
        let billed = (!renewal.billing.is_empty()).then(|| {
            view! {
                <p class="billed-to">
                    <span class="label">{text(lang, Key::BilledTo)}</span>
                    <br />
                    {renewal.billing.join(", ")}
                </p>
            }
        });
        let card = renewal.card.as_ref().map(|(brand, last4)| {
            let card = fill(
                text(lang, Key::CardName),
                &[
                    ("brand", &crate::model::brand_name(brand)),
                    ("last4", last4),
                ],
            );
            view! { <p>{fill(text(lang, Key::PaidWith), &[("card", &card)])}</p> }
        });
        let pay = (manage && entry.payable).then(|| {
            view! { <PayNow ctx id=entry.id.clone() loaded paid /> }
        });
        let done = paid
            .get()
            .then(|| view! { <p class="message done">{text(lang, Key::PayDone)}</p> });
        view! {
            <article class="panel receipt">
                <p>
                    <strong>{name.clone()}</strong>
                    <br />
                    {fill(text(lang, Key::RenewalNumber), &[("id", &entry.id)])}
                    <br />
                    {history::date(lang, entry.day())}
                </p>
                {billed}
                <table class="summary-table">
                    <tbody>{rows}</tbody>
                </table>
                <p id="receipt-status" tabindex="-1">{entry.status.words(lang)}</p>
                {done}
                {card}
                {pay}
                <div class="card-actions no-print">
                    <button type="button" class="primary" on:click=move |_| browser::print()>
                        {text(lang, Key::Print)}
                    </button>
                </div>
            </article>
        }
        .into_any()
    };
    view! {
        {body}
        <p class="no-print">
            <a href="/account/history">{ctx.text(Key::BackToHistory)}</a>
        </p>
    }
}

/// "Paga ora" (R31, S75): one of the account's cards, the default first, and the button. A paid
/// renewal replaces the receipt's data; a refusal is said next to the button and changes nothing.
#[component]
fn PayNow(
    ctx: Ctx,
    id: String,
    loaded: RwSignal<Loading<(Names, Renewal)>>,
    paid: RwSignal<bool>,
) -> impl IntoView {
    let cards = ctx.cards.get_untracked();
    if cards.is_empty() {
        return view! { <p class="notice-box no-print">{ctx.text(Key::AddCardFirst)}</p> }
            .into_any();
    }
    let card = RwSignal::new(
        cards
            .iter()
            .find(|c| c.default)
            .or(cards.first())
            .map(|c| c.id.clone())
            .unwrap_or_default(),
    );
    let message: RwSignal<Option<Message>> = RwSignal::new(None);
    let options = cards
        .into_iter()
        .map(|c| {
            let value = c.id.clone();
            let label = move || {
                fill(
                    text(ctx.lang.get(), Key::CardName),
                    &[("brand", &c.brand_name()), ("last4", &c.last4)],
                )
            };
            view! { <option value=value>{label}</option> }
        })
        .collect_view();
    let pay = move |_| {
        let id = id.clone();
        message.set(None);
        ctx.run(move || async move {
            let path = format!("/api/v1/orders/{id}/pay");
            let body = history::pay_body(&card.get_untracked());
            let reply = ctx.call("POST", &path, Some(&body)).await;
            match reply
                .as_ref()
                .filter(|r| r.status == 200)
                .and_then(|r| Renewal::read(&r.body))
            {
                Some(settled) => {
                    // The receipt now shows the renewal paid; this section is gone with it.
                    paid.set(true);
                    loaded.update(|l| {
                        if let Some(Ok((_, renewal))) = l {
                            *renewal = settled;
                        }
                    });
                    browser::focus("receipt-status");
                }
                None => {
                    let _ = message.try_set(ctx.refusal(reply));
                    browser::focus("pay-message");
                }
            }
        });
    };
    view! {
        <section class="pay-now no-print" aria-labelledby="pay-title">
            <h2 id="pay-title">{ctx.text(Key::PayNow)}</h2>
            <p>{ctx.text(Key::PayNowText)}</p>
            <div class="field">
                <label for="pay-card">{ctx.text(Key::PayCard)}</label>
                <select
                    id="pay-card"
                    prop:value=card
                    on:change=move |ev| card.set(event_target_value(&ev))
                >
                    {options}
                </select>
            </div>
            <MessageLine ctx id="pay-message" message />
            <button
                type="button"
                class="primary"
                id="pay-now"
                aria-busy=move || ctx.busy.get().to_string()
                disabled=move || ctx.busy.get()
                on:click=pay
            >
                {move || text(ctx.lang.get(), if ctx.busy.get() { Key::Paying } else { Key::PayNow })}
            </button>
        </section>
    }
    .into_any()
}
