//! The quote page's components: the account and order editor, the quote document, the share
//! link and the print button.

use billing::{Catalog, Currency, Frequency, LineKind, Quote, SubscriptionStatus};
use chrono::NaiveDate;
use leptos::prelude::*;
use ui::{SeatStepper, format_date, format_money};

use crate::model::{
    ItemRow, Op, QuoteForm, SharedQuote, SubscriptionRow, quote_number, valid_until,
};

const LOCALE: &str = "it-IT";

fn money(amount: billing::Money, currency: Currency) -> String {
    format_money(&amount.to_string(), currency.code(), LOCALE)
}

fn date(day: NaiveDate) -> String {
    format_date(&day.to_string(), LOCALE)
}

fn frequency_label(frequency: Frequency) -> &'static str {
    match frequency {
        Frequency::Monthly => "Mensile",
        Frequency::Annual => "Annuale",
    }
}

fn status_label(status: SubscriptionStatus) -> &'static str {
    match status {
        SubscriptionStatus::Active => "Attivo",
        SubscriptionStatus::PendingCancellation => "Disdetto (in scadenza)",
        SubscriptionStatus::Trial => "In prova",
        SubscriptionStatus::Expired => "Scaduto",
    }
}

fn op_label(op: Op) -> &'static str {
    match op {
        Op::Change => "Modifica abbonamento",
        Op::Buy => "Acquisto",
        Op::Trial => "Prova gratuita",
        Op::Cancel => "Disdetta",
        Op::Resume => "Ripresa",
        Op::Reactivate => "Riattivazione",
    }
}

fn product_name(id: &str) -> String {
    Catalog::bundled()
        .product(id)
        .map_or_else(|| id.to_owned(), |p| p.name().to_owned())
}

fn tier_name(product: &str, tier: &str) -> String {
    Catalog::bundled()
        .product(product)
        .and_then(|p| p.tier(tier))
        .map_or_else(|| tier.to_owned(), |t| t.name().to_owned())
}

fn first_tier(product: &str) -> String {
    Catalog::bundled()
        .product(product)
        .and_then(|p| p.tiers().first())
        .map(|t| t.id().to_owned())
        .unwrap_or_default()
}

fn seat_limits(product: &str, tier: &str) -> (u32, u32) {
    Catalog::bundled()
        .product(product)
        .and_then(|p| p.tier(tier))
        .map_or((1, 1), |t| (t.min_seats(), t.max_seats()))
}

fn product_options() -> Vec<(String, String)> {
    Catalog::bundled()
        .products()
        .iter()
        .map(|p| (p.id().to_owned(), p.name().to_owned()))
        .collect()
}

fn tier_options(product: &str) -> Vec<(String, String)> {
    Catalog::bundled()
        .product(product)
        .map(|p| {
            p.tiers()
                .iter()
                .map(|t| (t.id().to_owned(), t.name().to_owned()))
                .collect()
        })
        .unwrap_or_default()
}

fn frequency_options() -> Vec<(String, String)> {
    Frequency::ALL
        .iter()
        .map(|f| (f.as_str().to_owned(), frequency_label(*f).to_owned()))
        .collect()
}

fn parse_frequency(text: &str) -> Frequency {
    if text == "monthly" {
        Frequency::Monthly
    } else {
        Frequency::Annual
    }
}

/// A labelled `<select>` whose options and current value follow the form.
fn select_field(
    label: &'static str,
    class: &'static str,
    options: impl Fn() -> Vec<(String, String)> + Send + Sync + 'static,
    current: impl Fn() -> String + Send + Sync + Clone + 'static,
    on_pick: impl Fn(String) + 'static,
) -> impl IntoView {
    view! {
        <label class=format!("field {class}")>
            <span class="field__label">{label}</span>
            <select on:change=move |ev| on_pick(event_target_value(&ev))>
                {move || {
                    let now = current();
                    options()
                        .into_iter()
                        .map(|(value, text)| {
                            let selected = value == now;
                            view! {
                                <option value=value selected=selected>
                                    {text}
                                </option>
                            }
                        })
                        .collect_view()
                }}
            </select>
        </label>
    }
}

/// A labelled seat stepper bound to a seat count of the form.
fn seats_field(
    value: Signal<u32>,
    limits: Signal<(u32, u32)>,
    on_change: impl Fn(u32) + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <div class="field field--seats">
            <SeatStepper
                value=value
                on_change=on_change
                min=Signal::derive(move || limits.get().0)
                max=Signal::derive(move || limits.get().1)
                label="Licenze"
                decrement_label="Una licenza in meno"
                increment_label="Una licenza in più"
                invalid_message=Signal::derive(move || {
                    let (min, max) = limits.get();
                    format!("Inserisci un numero intero da {min} a {max}.")
                })
                contact_sales_message=Signal::derive(move || {
                    format!("Oltre {} licenze serve un'offerta del team commerciale.", limits.get().1)
                })
                contact_sales_label="Contatta le vendite"
                contact_sales_href=Catalog::bundled().support().url.clone()
            />
        </div>
    }
}

fn date_field(
    label: &'static str,
    class: &'static str,
    value: impl Fn() -> NaiveDate + Send + Sync + 'static,
    on_pick: impl Fn(NaiveDate) + 'static,
) -> impl IntoView {
    view! {
        <label class=format!("field {class}")>
            <span class="field__label">{label}</span>
            <input
                type="date"
                required
                prop:value=move || value().to_string()
                on:input=move |ev| {
                    if let Ok(day) = event_target_value(&ev).parse::<NaiveDate>() {
                        on_pick(day);
                    }
                }
            />
        </label>
    }
}

/// One current subscription of the account.
fn subscription_row(form: RwSignal<QuoteForm>, index: usize) -> impl IntoView {
    let row = move || form.with(|f| f.subscriptions.get(index).cloned());
    let edit = move |change: &dyn Fn(&mut SubscriptionRow)| {
        form.update(|f| {
            if let Some(row) = f.subscriptions.get_mut(index) {
                change(row);
            }
        })
    };
    let product = move || row().map(|r| r.product).unwrap_or_default();
    let limits = Signal::derive(move || row().map_or((1, 1), |r| seat_limits(&r.product, &r.tier)));
    view! {
        <fieldset class="row sub-row">
            <legend>{format!("Abbonamento sub_{}", index + 1)}</legend>
            {select_field(
                "Prodotto",
                "field--product",
                product_options,
                product,
                move |value| edit(&|r| {
                    r.tier = first_tier(&value);
                    r.product = value.clone();
                }),
            )}
            {select_field(
                "Piano",
                "field--tier",
                move || tier_options(&product()),
                move || row().map(|r| r.tier).unwrap_or_default(),
                move |value| edit(&|r| r.tier = value.clone()),
            )}
            {seats_field(
                Signal::derive(move || row().map_or(1, |r| r.seats)),
                limits,
                move |n| form.update(|f| {
                    if let Some(r) = f.subscriptions.get_mut(index) {
                        r.seats = n;
                    }
                }),
            )}
            {select_field(
                "Fatturazione",
                "field--frequency",
                frequency_options,
                move || row().map(|r| r.frequency.as_str().to_owned()).unwrap_or_default(),
                move |value| edit(&|r| r.frequency = parse_frequency(&value)),
            )}
            {select_field(
                "Stato",
                "field--status",
                || {
                    [
                        SubscriptionStatus::Active,
                        SubscriptionStatus::PendingCancellation,
                        SubscriptionStatus::Trial,
                        SubscriptionStatus::Expired,
                    ]
                    .iter()
                    .map(|s| (s.as_str().to_owned(), status_label(*s).to_owned()))
                    .collect()
                },
                move || row().map(|r| r.status.as_str().to_owned()).unwrap_or_default(),
                move |value| edit(&|r| {
                    r.status = match value.as_str() {
                        "pending_cancellation" => SubscriptionStatus::PendingCancellation,
                        "trial" => SubscriptionStatus::Trial,
                        "expired" => SubscriptionStatus::Expired,
                        _ => SubscriptionStatus::Active,
                    }
                }),
            )}
            {date_field(
                "Inizio del periodo",
                "field--start",
                move || row().map(|r| r.period_start).unwrap_or_default(),
                move |day| edit(&|r| r.period_start = day),
            )}
            <p class="field field--end">
                <span class="field__label">"Fine del periodo"</span>
                <span>{move || row().map(|r| date(r.period_end())).unwrap_or_default()}</span>
            </p>
            <button
                type="button"
                class="link-button"
                on:click=move |_| form.update(|f| {
                    if index < f.subscriptions.len() {
                        f.subscriptions.remove(index);
                    }
                    f.items.retain(|i| !(i.op.on_subscription() && i.subscription == index));
                    for item in &mut f.items {
                        if item.op.on_subscription() && item.subscription > index {
                            item.subscription -= 1;
                        }
                    }
                })
            >
                "Rimuovi abbonamento"
            </button>
        </fieldset>
    }
}

/// One item of the order.
fn item_row(form: RwSignal<QuoteForm>, index: usize) -> impl IntoView {
    let item = move || form.with(|f| f.items.get(index).cloned());
    let edit = move |change: &dyn Fn(&mut QuoteForm, usize)| {
        form.update(|f| {
            if index < f.items.len() {
                change(f, index);
            }
        })
    };
    // The product an item is about: its own for buy/trial, its subscription's otherwise.
    let product = move || {
        form.with(|f| {
            f.items.get(index).map(|i| {
                if i.op.on_subscription() {
                    f.subscriptions
                        .get(i.subscription)
                        .map(|s| s.product.clone())
                        .unwrap_or_default()
                } else {
                    i.product.clone()
                }
            })
        })
        .unwrap_or_default()
    };
    // Picking a subscription starts from its current plan.
    let adopt_subscription = |f: &mut QuoteForm, i: usize| {
        let sub = f.items[i].subscription;
        if let Some(s) = f.subscriptions.get(sub).cloned() {
            let item = &mut f.items[i];
            item.product = s.product;
            item.tier = s.tier;
            item.seats = s.seats;
            item.frequency = s.frequency;
        }
    };
    let op = move || item().map_or(Op::Buy, |i| i.op);
    let limits =
        Signal::derive(move || item().map_or((1, 1), |i| seat_limits(&product(), &i.tier)));
    view! {
        <fieldset class="row item-row">
            <legend>{format!("Voce {}", index + 1)}</legend>
            {select_field(
                "Operazione",
                "field--op",
                || Op::ALL.iter().map(|op| (op.as_str().to_owned(), op_label(*op).to_owned())).collect(),
                move || op().as_str().to_owned(),
                move |value| edit(&|f, i| {
                    let op = Op::ALL.into_iter().find(|op| op.as_str() == value).unwrap_or(Op::Buy);
                    f.items[i].op = op;
                    if op.on_subscription() {
                        adopt_subscription(f, i);
                    }
                }),
            )}
            <Show when=move || op().on_subscription()>
                {select_field(
                    "Abbonamento",
                    "field--subscription",
                    move || form.with(|f| {
                        f.subscriptions
                            .iter()
                            .enumerate()
                            .map(|(n, s)| {
                                (
                                    n.to_string(),
                                    format!("{} - {} {}", SubscriptionRow::id(n), product_name(&s.product), tier_name(&s.product, &s.tier)),
                                )
                            })
                            .collect()
                    }),
                    move || item().map(|i| i.subscription.to_string()).unwrap_or_default(),
                    move |value| edit(&|f, i| {
                        f.items[i].subscription = value.parse().unwrap_or(0);
                        adopt_subscription(f, i);
                    }),
                )}
            </Show>
            <Show when=move || !op().on_subscription()>
                {select_field(
                    "Prodotto",
                    "field--product",
                    product_options,
                    product,
                    move |value| edit(&|f, i| {
                        f.items[i].tier = first_tier(&value);
                        f.items[i].product = value.clone();
                    }),
                )}
            </Show>
            <Show when=move || op().picks_plan()>
                {select_field(
                    "Piano",
                    "field--tier",
                    move || tier_options(&product()),
                    move || item().map(|i| i.tier).unwrap_or_default(),
                    move |value| edit(&|f, i| f.items[i].tier = value.clone()),
                )}
            </Show>
            <Show when=move || op().picks_plan() && op() != Op::Trial>
                {seats_field(
                    Signal::derive(move || item().map_or(1, |i| i.seats)),
                    limits,
                    move |n| form.update(|f| {
                        if let Some(i) = f.items.get_mut(index) {
                            i.seats = n;
                        }
                    }),
                )}
                {select_field(
                    "Fatturazione",
                    "field--frequency",
                    frequency_options,
                    move || item().map(|i| i.frequency.as_str().to_owned()).unwrap_or_default(),
                    move |value| edit(&|f, i| f.items[i].frequency = parse_frequency(&value)),
                )}
            </Show>
            <button
                type="button"
                class="link-button"
                on:click=move |_| form.update(|f| {
                    if index < f.items.len() {
                        f.items.remove(index);
                    }
                })
            >
                "Rimuovi voce"
            </button>
        </fieldset>
    }
}

/// The Italian description of a quote line.
fn line_text(form: &QuoteForm, line: &billing::Line) -> String {
    let item = form.items.get(line.item);
    let sub = item
        .filter(|i| i.op.on_subscription())
        .and_then(|i| form.subscriptions.get(i.subscription));
    let product = item
        .map(|i| sub.map_or(i.product.as_str(), |s| s.product.as_str()))
        .unwrap_or_default();
    let tier = match (line.kind, sub, item) {
        (LineKind::ProrationCredit, Some(s), _) => s.tier.as_str(),
        (_, _, Some(i)) if i.op.picks_plan() => i.tier.as_str(),
        (_, Some(s), _) => s.tier.as_str(),
        _ => "",
    };
    let plan = format!("{} {}", product_name(product), tier_name(product, tier));
    match line.kind {
        LineKind::Charge => format!("{plan}: nuovo periodo"),
        LineKind::ProrationCredit => format!("{plan}: credito per il periodo non usato"),
        LineKind::Trial => format!("{plan}: prova gratuita"),
        LineKind::Cancel => format!("{plan}: disdetta del rinnovo"),
        LineKind::Resume => format!("{plan}: ripresa del rinnovo"),
    }
}

/// The quote as a document: what the page shows and what prints.
fn quote_document(form: &QuoteForm, quote: &Quote) -> impl IntoView + use<> {
    let currency = quote.currency;
    let number = quote_number(form);
    let lines = quote
        .lines
        .iter()
        .map(|line| {
            view! {
                <tr>
                    <td>{line_text(form, line)}</td>
                    <td>{format!("{} - {}", date(line.period_start), date(line.period_end))}</td>
                    <td class="num">{line.seats}</td>
                    <td class="num">{money(line.unit_price, currency)}</td>
                    <td class="num">{money(line.amount, currency)}</td>
                </tr>
            }
        })
        .collect_view();
    let tax_label = if quote.tax.reverse_charge {
        "IVA: inversione contabile (reverse charge)".to_owned()
    } else {
        format!("IVA {}% ({})", quote.tax.rate, quote.tax.country)
    };
    let customer = format!(
        "Cliente: paese {}{}",
        form.country.trim().to_ascii_uppercase(),
        if form.vat_id.trim().is_empty() {
            String::new()
        } else {
            format!(", partita IVA {}", form.vat_id.trim())
        }
    );
    view! {
        <header class="doc-head">
            <h2>"Preventivo " <span class="quote-number">{number}</span></h2>
            <p>
                "Data: " <span class="quote-date">{date(quote.as_of)}</span>
                " · Valido 30 giorni, fino al " {date(valid_until(quote.as_of))}
            </p>
            <p>{customer}</p>
        </header>
        <table class="lines">
            <thead>
                <tr>
                    <th scope="col">"Descrizione"</th>
                    <th scope="col">"Periodo"</th>
                    <th scope="col" class="num">"Licenze"</th>
                    <th scope="col" class="num">"Prezzo unitario"</th>
                    <th scope="col" class="num">"Importo"</th>
                </tr>
            </thead>
            <tbody>{lines}</tbody>
        </table>
        <dl class="totals">
            <dt>"Imponibile"</dt>
            <dd class="quote-subtotal">{money(quote.subtotal, currency)}</dd>
            <dt>{tax_label}</dt>
            <dd class="quote-tax">{money(quote.tax.amount, currency)}</dd>
            <dt class="grand">"Totale"</dt>
            <dd class="grand quote-total">{money(quote.total, currency)}</dd>
            <dt>"Credito usato"</dt>
            <dd>{money(quote.credit_applied, currency)}</dd>
            <dt>"Da pagare"</dt>
            <dd class="quote-due">{money(quote.amount_due, currency)}</dd>
            <dt>"Credito residuo"</dt>
            <dd>{money(quote.credit_after, currency)}</dd>
        </dl>
        <p class="doc-foot">
            "Calcolato con il listino " <span class="quote-catalog">{quote.catalog_version.clone()}</span>
            ". Importi in " {currency.code()} ", arrotondati al centesimo per riga."
        </p>
    }
}

fn location_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

fn page_url_without_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .map(|href| href.split('#').next().unwrap_or_default().to_owned())
        .unwrap_or_default()
}

/// The starting form: an empty account (no subscriptions) buying one product today.
fn blank_form(today: NaiveDate) -> QuoteForm {
    QuoteForm {
        country: "IT".to_owned(),
        currency: Currency::Eur,
        vat_id: String::new(),
        credit: "0.00".to_owned(),
        subscriptions: Vec::new(),
        items: vec![ItemRow {
            op: Op::Buy,
            subscription: 0,
            product: "meeting".to_owned(),
            tier: first_tier("meeting"),
            seats: 1,
            frequency: Frequency::Annual,
        }],
        as_of: today,
    }
}

/// The offline quote page.
#[component]
pub fn QuotePage(
    /// Today's date (UTC), the starting `as_of`.
    today: NaiveDate,
) -> impl IntoView {
    let bundled_version = Catalog::bundled().version().to_owned();
    let shared = SharedQuote::from_fragment(&location_hash());
    let form = RwSignal::new(
        shared
            .as_ref()
            .map_or_else(|| blank_form(today), |s| s.form.clone()),
    );
    let priced = Memo::new(move |_| form.with(|f| f.price(Catalog::bundled())));
    let share_link = RwSignal::new(String::new());
    let n_subs = Memo::new(move |_| form.with(|f| f.subscriptions.len()));
    let n_items = Memo::new(move |_| form.with(|f| f.items.len()));
    let bounds = Memo::new(move |_| form.with(QuoteForm::as_of_bounds));

    let banner = shared.map(|s| {
        let newer = bundled_version.as_str() > s.catalog.as_str();
        let now_total = form.with_untracked(|f| f.price(Catalog::bundled()).ok().map(|q| q.total.to_string()));
        let total_changed = s.total.is_some() && s.total != now_total;
        view! {
            <section class="banner no-print" aria-live="polite">
                <p class="banner-version">
                    "Preventivo aperto da un link: calcolato con il listino "
                    <strong>{s.catalog.clone()}</strong> "."
                </p>
                {newer.then(|| view! {
                    <p class="banner-warning" role="alert">
                        {format!(
                            "Attenzione: il listino incluso in questa pagina ({bundled_version}) è più recente di quello del link ({}); i prezzi qui sotto usano il listino incluso.",
                            s.catalog
                        )}
                    </p>
                })}
                {total_changed.then(|| view! {
                    <p class="banner-warning" role="alert">
                        {format!(
                            "Il totale nel link era {}; con il listino incluso è {}.",
                            s.total.clone().unwrap_or_default(),
                            now_total.clone().unwrap_or_else(|| "-".to_owned())
                        )}
                    </p>
                })}
            </section>
        }
    });

    let make_link = move |_| {
        let (fragment, total) = form.with_untracked(|f| {
            let total = f
                .price(Catalog::bundled())
                .ok()
                .map(|q| q.total.to_string());
            (
                SharedQuote {
                    v: 1,
                    catalog: Catalog::bundled().version().to_owned(),
                    total: total.clone(),
                    form: f.clone(),
                }
                .to_fragment(),
                total,
            )
        });
        let _ = total;
        let link = format!("{}#{fragment}", page_url_without_hash());
        if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&link));
        }
        share_link.set(link);
    };

    view! {
        <header class="page-head no-print">
            <h1>"Preventivo offline"</h1>
            <p>
                "Descrivi l'account e l'ordine: il preventivo è calcolato nel browser con il motore di fatturazione e il listino incluso ("
                {bundled_version.clone()}
                "), anche senza rete."
            </p>
        </header>
        {banner}
        <div class="layout">
            <form class="editor no-print" on:submit=|ev| ev.prevent_default()>
                <fieldset class="row account">
                    <legend>"Account"</legend>
                    <label class="field">
                        <span class="field__label">"Paese"</span>
                        <input
                            id="country"
                            type="text"
                            maxlength="2"
                            autocomplete="off"
                            prop:value=move || form.with(|f| f.country.clone())
                            on:input=move |ev| {
                                let value = event_target_value(&ev);
                                form.update(|f| f.country = value);
                            }
                        />
                    </label>
                    {select_field(
                        "Valuta",
                        "field--currency",
                        || Currency::ALL.iter().map(|c| (c.code().to_owned(), c.code().to_owned())).collect(),
                        move || form.with(|f| f.currency.code().to_owned()),
                        move |value| form.update(|f| f.currency = value.parse().unwrap_or(Currency::Eur)),
                    )}
                    <label class="field">
                        <span class="field__label">"Partita IVA (facoltativa)"</span>
                        <input
                            id="vat-id"
                            type="text"
                            autocomplete="off"
                            prop:value=move || form.with(|f| f.vat_id.clone())
                            on:input=move |ev| {
                                let value = event_target_value(&ev);
                                form.update(|f| f.vat_id = value);
                            }
                        />
                    </label>
                    <label class="field">
                        <span class="field__label">"Credito"</span>
                        <input
                            id="credit"
                            type="text"
                            inputmode="decimal"
                            autocomplete="off"
                            prop:value=move || form.with(|f| f.credit.clone())
                            on:input=move |ev| {
                                let value = event_target_value(&ev);
                                form.update(|f| f.credit = value);
                            }
                        />
                    </label>
                </fieldset>
                <h2>"Abbonamenti attuali"</h2>
                {move || (0..n_subs.get()).map(|i| subscription_row(form, i)).collect_view()}
                <button
                    type="button"
                    id="add-subscription"
                    on:click=move |_| form.update(|f| {
                        let start = f.as_of;
                        f.subscriptions.push(SubscriptionRow {
                            product: "meeting".to_owned(),
                            tier: first_tier("meeting"),
                            seats: 1,
                            frequency: Frequency::Monthly,
                            status: SubscriptionStatus::Active,
                            period_start: start,
                        });
                    })
                >
                    "Aggiungi abbonamento"
                </button>
                <h2>"Ordine"</h2>
                {move || (0..n_items.get()).map(|i| item_row(form, i)).collect_view()}
                <button
                    type="button"
                    id="add-item"
                    on:click=move |_| form.update(|f| {
                        f.items.push(ItemRow {
                            op: Op::Buy,
                            subscription: 0,
                            product: "webinar".to_owned(),
                            tier: first_tier("webinar"),
                            seats: 1,
                            frequency: Frequency::Annual,
                        });
                    })
                >
                    "Aggiungi voce"
                </button>
                <h2>"Data del preventivo"</h2>
                <label class="field">
                    <span class="field__label">"Calcolato al"</span>
                    <input
                        id="as-of"
                        type="date"
                        required
                        min=move || bounds.get().map(|b| b.0.to_string())
                        max=move || bounds.get().map(|b| b.1.to_string())
                        prop:value=move || form.with(|f| f.as_of.to_string())
                        on:input=move |ev| {
                            if let Ok(day) = event_target_value(&ev).parse::<NaiveDate>() {
                                form.update(|f| f.as_of = day);
                            }
                        }
                    />
                </label>
                <p class="hint">
                    {move || bounds.get().map(|(first, last)| format!(
                        "Dentro i periodi correnti: dal {} al {}.",
                        date(first),
                        date(last)
                    ))}
                </p>
            </form>
            <section class="quote-doc" aria-label="Preventivo">
                {move || form.with(|f| match priced.get() {
                    Ok(quote) => quote_document(f, &quote).into_any(),
                    Err(reason) => view! {
                        <p class="quote-error" role="alert">
                            {format!("Nessun preventivo: {reason}")}
                        </p>
                    }
                        .into_any(),
                })}
                <div class="actions no-print">
                    <button type="button" id="share" on:click=make_link>
                        "Crea link condivisibile"
                    </button>
                    <button
                        type="button"
                        id="print"
                        on:click=move |_| {
                            if let Some(window) = web_sys::window() {
                                let _ = window.print();
                            }
                        }
                    >
                        "Stampa / salva PDF"
                    </button>
                </div>
                <Show when=move || !share_link.get().is_empty()>
                    <label class="field share no-print">
                        <span class="field__label">"Link del preventivo"</span>
                        <input id="share-link" type="url" readonly prop:value=move || share_link.get() />
                    </label>
                </Show>
            </section>
        </div>
    }
}
