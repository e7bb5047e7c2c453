//! The review page ("Completa transazione") and the placing of the order (R20, R21, R23, R24).

use billing::vat::VatIdError;
use billing::{Money, VatId};
use leptos::prelude::*;

use crate::i18n::{Key, Translate, fill};
use crate::model::{Draft, order_request};
use crate::pages::cancel_reason::reason_groups;
use crate::pages::parts::{
    Preview, Summary, SummaryRows, cart_items, go_button, page_title, total_bar, use_preview,
    with_support_links,
};
use crate::state::{Ctx, Placing, Screen};
use crate::summary;

/// What is wrong with the VAT id field's text, if anything: a wrong format and a wrong check
/// digit are told apart (R21), and an id of another country than the account's (S12) is found
/// by the preview, which priced the order with the id on file instead.
fn vat_problem(ctx: Ctx, vat_refused: bool) -> Option<Key> {
    let text = ctx.vat_text.get();
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    match VatId::parse(text) {
        Err(VatIdError::BadCheckDigit { .. }) => Some(Key::VatIdCheckDigit),
        Err(_) => Some(Key::VatIdInvalid),
        Ok(_) if vat_refused => Some(Key::VatIdOtherCountry),
        Ok(_) => None,
    }
}

/// The VAT id field with its live format check (R21, the engine's `VatId::parse`).
#[component]
fn VatField(
    /// The review's preview, which says whether the engine refused the id (S12).
    preview: Memo<Option<Preview>>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let state = move || {
        let refused = preview.with(|p| p.as_ref().is_some_and(|p| p.vat_refused));
        if ctx.vat_text.with(|t| t.trim().is_empty()) {
            None
        } else {
            Some(vat_problem(ctx, refused))
        }
    };
    view! {
        <div class="field">
            <label for="vat-id">{ctx.text(Key::VatId)}</label>
            <input
                id="vat-id"
                type="text"
                autocomplete="off"
                spellcheck="false"
                aria-describedby="vat-hint vat-message"
                aria-invalid=move || if matches!(state(), Some(Some(_))) { "true" } else { "false" }
                prop:value=move || ctx.vat_text.get()
                on:input=move |ev| ctx.vat_text.set(event_target_value(&ev))
            />
            <p class="hint" id="vat-hint">{ctx.text(Key::VatIdHint)}</p>
            <p
                id="vat-message"
                class=move || if matches!(state(), Some(Some(_))) { "error" } else { "ok" }
            >
                {move || match state() {
                    Some(None) => ctx.t(Key::VatIdValid),
                    Some(Some(key)) => ctx.t(key),
                    None => "",
                }}
            </p>
        </div>
    }
}

/// The payment methods on file as a radio group; ids only, never card numbers (R20).
#[component]
fn PaymentChooser() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    move || {
        let lang = ctx.lang.get();
        let account = ctx.account.get()?;
        if account.view.payment_methods.is_empty() {
            let text = with_support_links(ctx, lang, Key::NoPaymentMethod);
            return Some(view! { <p class="error" id="no-payment-method">{text}</p> }.into_any());
        }
        let methods = account
            .view
            .payment_methods
            .iter()
            .map(|m| {
                let id = format!("pm-{}", m.id);
                let value = m.id.clone();
                let value_checked = m.id.clone();
                // Card brands are ASCII ids (`visa`): the ASCII upper case gives the same text
                // without Unicode's case tables, 17 KB of the bundle.
                let text = fill(
                    lang.t(Key::CardText),
                    &[
                        ("brand", &m.brand.to_ascii_uppercase()),
                        ("last4", &m.last4),
                        ("exp", &m.exp),
                    ],
                );
                view! {
                    <span class="choice block">
                        <input
                            type="radio"
                            name="payment-method"
                            id=id.clone()
                            prop:checked=move || {
                                ctx.payment_method.get().as_deref() == Some(value_checked.as_str())
                            }
                            on:change=move |_| ctx.payment_method.set(Some(value.clone()))
                        />
                        <label for=id>{text}</label>
                    </span>
                }
            })
            .collect_view();
        Some(
            view! {
                <fieldset class="payment">
                    <legend>{lang.t(Key::PaymentMethod)}</legend>
                    {methods}
                </fieldset>
            }
            .into_any(),
        )
    }
}

/// Opens the editor of the cart's first plan item again ("Modifica ordine"), or the overview.
fn edit_order(ctx: Ctx) {
    let draft = ctx.account.with_untracked(|account| {
        let account = account.as_ref()?;
        ctx.cart.with_untracked(|cart| {
            cart.items().iter().find_map(|item| {
                ctx.catalog
                    .with_untracked(|c| Draft::from_item(c, account, item))
            })
        })
    });
    match draft {
        Some(draft) => {
            ctx.draft.set(Some(draft));
            // Saving the edited item comes back here, not to the overview (issue 12).
            ctx.return_to_review.set(true);
            ctx.go(Screen::Editor);
        }
        None => ctx.go(Screen::Overview),
    }
}

/// The review page: period from today, items, summary, VAT id, payment, "Effettua ordine".
#[component]
pub fn Review() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let preview = use_preview(ctx, false, true);
    // A plain closure over the preview memo rather than a memo of its own (bundle size).
    let due = move || {
        preview.with(|p| {
            p.as_ref()
                .and_then(|p| p.quote.as_ref().ok())
                .map(|q| (q.total, q.amount_due))
        })
    };
    let needs_payment = move || due().is_some_and(|(_, due)| due.is_positive());
    let vat_ok = move || {
        let refused = preview.with(|p| p.as_ref().is_some_and(|p| p.vat_refused));
        vat_problem(ctx, refused).is_none()
    };
    let can_place = move || {
        due().is_some()
            && vat_ok()
            && (!needs_payment() || ctx.payment_method.get().is_some())
            && ctx.placing.get() != Placing::Busy
    };
    let place = move || {
        let Some(account) = ctx.account.get_untracked() else {
            return;
        };
        let Some((total, amount_due)) = untrack(due) else {
            return;
        };
        let items = ctx.cart.with_untracked(|c| c.items().to_vec());
        let mut request = order_request(
            items,
            &ctx.vat_text.get_untracked(),
            account.view.vat_id.as_deref(),
        );
        // After `409 price_changed` the total to confirm is the server's fresh one (R24).
        let (expected, due): (Money, Money) = match ctx.placing.get_untracked() {
            Placing::Failed(_, _, Some(quote)) => (quote.total, quote.amount_due),
            _ => (total, amount_due),
        };
        request.expected_total = Some(expected);
        if due.is_positive() {
            request.payment_method = ctx.payment_method.get_untracked();
        }
        // The cart's cancellation reasons go with their items (R29, S106).
        let body = ctx
            .cart
            .with_untracked(|c| crate::wire::order_request_with(&request, c.reasons()));
        ctx.place(body, false);
    };
    let status = move || {
        let lang = ctx.lang.get();
        match ctx.placing.get() {
            Placing::Failed(key, _, quote) => {
                let text = ctx.message(key);
                let fresh_rows = quote.and_then(|quote| {
                    let account = ctx.account.get()?;
                    let rows = ctx
                        .catalog
                        .with(|c| summary::rows(lang, c, &account, &quote));
                    Some(view! { <SummaryRows rows /> })
                });
                // The order may have been placed: the retry sends it again under the same key,
                // which places it at most once (R23, S95).
                let retry = matches!(key, Key::MaybePlaced | Key::OrderInProgress).then(|| {
                    view! {
                        <button type="button" class="secondary" on:click=move |_| place()>
                            {lang.t(Key::Retry)}
                        </button>
                    }
                });
                Some(
                    view! {
                        <div class="alert" role="alert" id="place-error" tabindex="-1">
                            <p>{text}</p>
                            {fresh_rows}
                            {retry}
                        </div>
                    }
                    .into_any(),
                )
            }
            _ => None,
        }
    };
    let intro = move || {
        if ctx.cart.with(|c| c.is_empty()) {
            return Some(ctx.t(Key::ReviewEmpty).to_owned());
        }
        let account = ctx.account.get()?;
        let lang = ctx.lang.get();
        let date = crate::browser::date(lang, account.view.as_of);
        Some(fill(lang.t(Key::ReviewIntro), &[("date", &date)]))
    };
    let intro = move || intro().unwrap_or_default();
    // An empty cart (emptied elsewhere, or a reload after the order) has nothing to review: the
    // page says so in place of its introduction (issue 12); "Torna al Centro fatturazione" is the
    // way back, and "Effettua ordine" stays disabled with nothing to price.
    view! {
        {page_title(ctx, Key::ReviewTitle)}
        <p class="lead" id="review-intro">{intro}</p>
        <div class="editor-layout">
            <div class="editor-main">
                <CartPanelReview />
                <VatField preview />
                {move || needs_payment().then(|| view! { <PaymentChooser /> })}
                {move || {
                    (due().is_some() && !needs_payment())
                        .then(|| view! { <p class="muted">{ctx.t(Key::NoPaymentNeeded)}</p> }.into_any())
                }}
                {status}
                <div class="actions">
                    {total_bar(ctx, preview)}
                    <button
                        type="button"
                        class="primary"
                        id="place-order"
                        disabled=move || !can_place()
                        aria-busy=move || (ctx.placing.get() == Placing::Busy).to_string()
                        on:click=move |_| place()
                    >
                        {move || {
                            ctx.t(
                                if ctx.placing.get() == Placing::Busy {
                                    Key::Placing
                                } else {
                                    Key::PlaceOrder
                                },
                            )
                        }}
                    </button>
                    <button type="button" class="secondary" on:click=move |_| edit_order(ctx)>
                        {ctx.text(Key::EditOrder)}
                    </button>
                    {go_button(ctx, "secondary", Key::BackToOverview, Screen::Overview)}
                </div>
            </div>
            <Summary preview />
        </div>
    }
}

/// The cart items on the review page (without its own "Completa la transazione"), followed by
/// the reason of each renewal turned off (R29, S106).
#[component]
fn CartPanelReview() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    move || {
        let lang = ctx.lang.get();
        let account = ctx.account.get()?;
        let (items, reasons) = ctx.cart.with(|cart| {
            let items = cart_items(ctx, lang, &account, cart.items(), "items-title");
            (items, reason_groups(cart))
        });
        Some(
            view! {
                <section class="card" aria-labelledby="items-title">
                    <h2 id="items-title" tabindex="-1">{lang.t(Key::Cart)}</h2>
                    <ul class="cart-items">{items}</ul>
                </section>
                {reasons}
            }
            .into_any(),
        )
    }
}
