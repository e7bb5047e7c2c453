//! The quote page's components: the account and order editor, the quote document, the share
//! link and the print button.

use billing::{Catalog, Currency, Frequency, LineKind, Quote, SubscriptionStatus};
use chrono::NaiveDate;
use leptos::prelude::*;
use ui::{SeatStepper, format_date, format_money};

use crate::i18n::{Lang, QuoteTexts};
use crate::model::{
    ItemRow, Op, QuoteForm, SharedQuote, SubscriptionRow, quote_number, valid_until,
};

/// The local storage key of the chosen language.
const LANG_KEY: &str = "quote-page-lang";

fn money(amount: billing::Money, currency: Currency, lang: Lang) -> String {
    format_money(&amount.to_string(), currency.code(), lang.texts().locale)
}

fn date(day: NaiveDate, lang: Lang) -> String {
    format_date(&day.to_string(), lang.texts().locale)
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

fn frequency_options(lang: Lang) -> Vec<(String, String)> {
    Frequency::ALL
        .iter()
        .map(|f| (f.as_str().to_owned(), lang.frequency(*f).to_owned()))
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

/// How many seat fields of the page hold text that is not a seat count. While any does, the page
/// shows no quote, so an old quote never stands for a count the field does not show (issue 12).
#[derive(Clone, Copy)]
struct InvalidSeats(RwSignal<u32>);

/// A labelled seat stepper bound to a seat count of the form.
fn seats_field(
    lang: Lang,
    value: Signal<u32>,
    limits: Signal<(u32, u32)>,
    on_change: impl Fn(u32) + Send + Sync + 'static,
) -> impl IntoView {
    let t = lang.texts();
    let invalid_fields = expect_context::<InvalidSeats>().0;
    // This field's own state, so that its removal (a removed row, a redraw) takes it off the count.
    let mine = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let on_validity = {
        let mine = mine.clone();
        move |valid: bool| {
            let was_invalid = mine.swap(!valid, std::sync::atomic::Ordering::Relaxed);
            match (was_invalid, valid) {
                (false, false) => invalid_fields.update(|n| *n += 1),
                (true, true) => invalid_fields.update(|n| *n = n.saturating_sub(1)),
                _ => {}
            }
        }
    };
    on_cleanup(move || {
        if mine.load(std::sync::atomic::Ordering::Relaxed) {
            invalid_fields.update(|n| *n = n.saturating_sub(1));
        }
    });
    view! {
        <div class="field field--seats">
            <SeatStepper
                value=value
                on_change=on_change
                on_validity=on_validity
                min=Signal::derive(move || limits.get().0)
                max=Signal::derive(move || limits.get().1)
                label=t.seats
                decrement_label=t.one_fewer
                increment_label=t.one_more
                invalid_message=Signal::derive(move || {
                    let (min, max) = limits.get();
                    lang.invalid_seats(min, max)
                })
                contact_sales_message=Signal::derive(move || lang.contact_sales_above(limits.get().1))
                contact_sales_label=t.contact_sales
                contact_sales_href=Catalog::bundled().support().url.clone()
            />
        </div>
    }
}

/// One text field of the form: how to read it and how to write it.
type FormText = (fn(&QuoteForm) -> &String, fn(&mut QuoteForm) -> &mut String);

/// A labelled text input bound to one text field of the form.
fn text_field(
    label: &'static str,
    id: &'static str,
    form: RwSignal<QuoteForm>,
    (get, set): FormText,
    maxlength: Option<&'static str>,
    inputmode: Option<&'static str>,
) -> impl IntoView {
    view! {
        <label class="field">
            <span class="field__label">{label}</span>
            <input
                id=id
                type="text"
                maxlength=maxlength
                inputmode=inputmode
                autocomplete="off"
                prop:value=move || form.with(|f| get(f).clone())
                on:input=move |ev| {
                    let value = event_target_value(&ev);
                    form.update(|f| *set(f) = value);
                }
            />
        </label>
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
fn subscription_row(form: RwSignal<QuoteForm>, index: usize, lang: Lang) -> impl IntoView {
    let t = lang.texts();
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
            <legend>{lang.subscription_legend(index + 1)}</legend>
            {select_field(
                t.product,
                "field--product",
                product_options,
                product,
                move |value| edit(&|r| {
                    r.tier = first_tier(&value);
                    r.product = value.clone();
                }),
            )}
            {select_field(
                t.plan,
                "field--tier",
                move || tier_options(&product()),
                move || row().map(|r| r.tier).unwrap_or_default(),
                move |value| edit(&|r| r.tier = value.clone()),
            )}
            {seats_field(
                lang,
                Signal::derive(move || row().map_or(1, |r| r.seats)),
                limits,
                move |n| form.update(|f| {
                    if let Some(r) = f.subscriptions.get_mut(index) {
                        r.seats = n;
                    }
                }),
            )}
            {select_field(
                t.billing,
                "field--frequency",
                move || frequency_options(lang),
                move || row().map(|r| r.frequency.as_str().to_owned()).unwrap_or_default(),
                move |value| edit(&|r| r.frequency = parse_frequency(&value)),
            )}
            {select_field(
                t.status,
                "field--status",
                move || {
                    [
                        SubscriptionStatus::Active,
                        SubscriptionStatus::PendingCancellation,
                        SubscriptionStatus::Trial,
                        SubscriptionStatus::Expired,
                    ]
                    .iter()
                    .map(|s| (s.as_str().to_owned(), lang.status(*s).to_owned()))
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
                t.period_start,
                "field--start",
                move || row().map(|r| r.period_start).unwrap_or_default(),
                move |day| edit(&|r| r.period_start = day),
            )}
            <p class="field field--end">
                <span class="field__label">{t.period_end}</span>
                <span>{move || row().map(|r| date(r.period_end(), lang)).unwrap_or_default()}</span>
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
                {t.remove_subscription}
            </button>
        </fieldset>
    }
}

/// One item of the order.
fn item_row(form: RwSignal<QuoteForm>, index: usize, lang: Lang) -> impl IntoView {
    let t = lang.texts();
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
            <legend>{lang.item_legend(index + 1)}</legend>
            {select_field(
                t.operation,
                "field--op",
                move || Op::ALL.iter().map(|op| (op.as_str().to_owned(), lang.op(*op).to_owned())).collect(),
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
                    t.subscription,
                    "field--subscription",
                    move || form.with(|f| {
                        f.subscriptions
                            .iter()
                            .enumerate()
                            .map(|(n, s)| {
                                // Numbered as the legends are: the engine's ids (`sub_1`) are not shown.
                                (
                                    n.to_string(),
                                    lang.subscription_option(n + 1, &format!("{} {}", product_name(&s.product), tier_name(&s.product, &s.tier))),
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
                    t.product,
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
                    t.plan,
                    "field--tier",
                    move || tier_options(&product()),
                    move || item().map(|i| i.tier).unwrap_or_default(),
                    move |value| edit(&|f, i| f.items[i].tier = value.clone()),
                )}
            </Show>
            <Show when=move || op().picks_plan() && op() != Op::Trial>
                {seats_field(
                    lang,
                    Signal::derive(move || item().map_or(1, |i| i.seats)),
                    limits,
                    move |n| form.update(|f| {
                        if let Some(i) = f.items.get_mut(index) {
                            i.seats = n;
                        }
                    }),
                )}
                {select_field(
                    t.billing,
                    "field--frequency",
                    move || frequency_options(lang),
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
                {t.remove_item}
            </button>
        </fieldset>
    }
}

/// The description of a quote line in `lang`.
fn line_text(form: &QuoteForm, line: &billing::Line, lang: Lang) -> String {
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
    lang.line(line.kind, &plan)
}

/// The quote as a document: what the page shows and what prints.
fn quote_document(form: &QuoteForm, quote: &Quote, lang: Lang) -> impl IntoView + use<> {
    let t = lang.texts();
    let currency = quote.currency;
    let money = move |amount| money(amount, currency, lang);
    let number = quote_number(form);
    let lines = quote
        .lines
        .iter()
        .map(|line| {
            view! {
                <tr>
                    <td>{line_text(form, line, lang)}</td>
                    <td data-label=t.period>{lang.period(&date(line.period_start, lang), &date(line.period_end, lang))}</td>
                    <td class="num" data-label=t.seats>{line.seats}</td>
                    <td class="num" data-label=t.unit_price>{money(line.unit_price)}</td>
                    <td class="num" data-label=t.amount>{money(line.amount)}</td>
                </tr>
            }
        })
        .collect_view();
    let tax_label = if quote.tax.reverse_charge {
        t.reverse_charge.to_owned()
    } else {
        lang.tax(&quote.tax.rate.to_string(), quote.tax.country.code())
    };
    let vat_id = form.vat_id.trim();
    let customer = lang.customer(
        &form.country.trim().to_ascii_uppercase(),
        Some(vat_id).filter(|id| !id.is_empty()),
    );
    view! {
        <header class="doc-head">
            <h2>{t.quote_heading} <span class="quote-number">{number}</span></h2>
            <p>
                {t.date} <span class="quote-date">{date(quote.as_of, lang)}</span>
                {t.valid_until} {date(valid_until(quote.as_of), lang)}
            </p>
            <p>{customer}</p>
        </header>
        <table class="lines">
            <thead>
                <tr>
                    <th scope="col">{t.description}</th>
                    <th scope="col">{t.period}</th>
                    <th scope="col" class="num">{t.seats}</th>
                    <th scope="col" class="num">{t.unit_price}</th>
                    <th scope="col" class="num">{t.amount}</th>
                </tr>
            </thead>
            <tbody>{lines}</tbody>
        </table>
        <dl class="totals">
            <dt>{t.subtotal}</dt>
            <dd class="quote-subtotal">{money(quote.subtotal)}</dd>
            <dt>{tax_label}</dt>
            <dd class="quote-tax">{money(quote.tax.amount)}</dd>
            <dt class="grand">{t.total}</dt>
            <dd class="grand quote-total">{money(quote.total)}</dd>
            <dt>{t.credit_applied}</dt>
            <dd>{money(quote.credit_applied)}</dd>
            <dt>{t.amount_due}</dt>
            <dd class="quote-due">{money(quote.amount_due)}</dd>
            <dt>{t.credit_after}</dt>
            <dd>{money(quote.credit_after)}</dd>
        </dl>
        <p class="doc-foot">
            {t.priced_with} <span class="quote-catalog">{quote.catalog_version.clone()}</span>
            {t.amounts_in} {currency.code()} {t.rounded}
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

/// The language kept in local storage, Italian when none is.
fn stored_lang() -> Lang {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|storage| storage.get_item(LANG_KEY).ok().flatten())
        .map_or(Lang::It, |code| Lang::from_code(&code))
}

/// Keeps `lang` for the next visit and tells the document (its `lang` attribute, for screen
/// readers and hyphenation, and its title).
fn apply_lang(lang: Lang) {
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Some(storage) = window.local_storage().ok().flatten() {
        // A browser that refuses storage (private mode, quota) only forgets the choice.
        let _ = storage.set_item(LANG_KEY, lang.code());
    }
    if let Some(document) = window.document() {
        if let Some(root) = document.document_element() {
            let _ = root.set_attribute("lang", lang.code());
        }
        document.set_title(lang.texts().document_title);
    }
}

/// The banner of a page opened from a shared link: the catalog it was priced with, and warnings
/// when the bundled catalog is newer or the total differs.
fn shared_banner(
    shared: &SharedQuote,
    now_total: Option<String>,
    lang: Lang,
) -> impl IntoView + use<> {
    let bundled_version = Catalog::bundled().version().to_owned();
    let newer = bundled_version.as_str() > shared.catalog.as_str();
    let total_changed = shared.total.is_some() && shared.total != now_total;
    let linked_total = shared.total.clone().unwrap_or_default();
    let now_total = now_total.unwrap_or_else(|| "-".to_owned());
    view! {
        <section class="banner no-print" aria-live="polite">
            <p class="banner-version">
                {lang.texts().shared_before_version}
                <strong>{shared.catalog.clone()}</strong> "."
            </p>
            {newer.then(|| view! {
                <p class="banner-warning" role="alert">
                    {lang.newer_catalog(&bundled_version, &shared.catalog)}
                </p>
            })}
            {total_changed.then(|| view! {
                <p class="banner-warning" role="alert">
                    {lang.total_changed(&linked_total, &now_total)}
                </p>
            })}
        </section>
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
    let lang = RwSignal::new(stored_lang());
    // A country code the browser's region data does not know is refused (S40).
    let priced = Memo::new(move |_| {
        let locale = lang.with(|l| l.texts().locale);
        form.with(|f| {
            f.price_in(Catalog::bundled(), |code| {
                ui::country_name(code, locale).is_some()
            })
        })
    });
    // The total of the quote on view, if there is one.
    let total =
        move || priced.with_untracked(|priced| priced.as_ref().ok().map(|q| q.total.to_string()));
    // The total as priced when the page opened, before any edit: what a shared link is compared
    // with.
    let opening_total = RwSignal::new(total());
    let shared = RwSignal::new(shared);
    // A shared link opened in a tab that already shows the page changes only the fragment, which
    // loads nothing: the link's quote is applied at once (issue 12).
    let on_hash = window_event_listener(leptos::ev::hashchange, move |_| {
        if let Some(link) = SharedQuote::from_fragment(&location_hash()) {
            form.set(link.form.clone());
            opening_total.set(total());
            shared.set(Some(link));
        }
    });
    on_cleanup(move || on_hash.remove());
    Effect::new(move |_| apply_lang(lang.get()));
    let invalid_seats = RwSignal::new(0_u32);
    provide_context(InvalidSeats(invalid_seats));
    let share_link = RwSignal::new(String::new());
    let n_subs = Memo::new(move |_| form.with(|f| f.subscriptions.len()));
    let n_items = Memo::new(move |_| form.with(|f| f.items.len()));
    let bounds = Memo::new(move |_| form.with(QuoteForm::as_of_bounds));

    let make_link = move |_| {
        let fragment = form.with_untracked(|f| {
            SharedQuote {
                v: 1,
                catalog: Catalog::bundled().version().to_owned(),
                total: total(),
                form: f.clone(),
            }
            .to_fragment()
        });
        let link = format!("{}#{fragment}", page_url_without_hash());
        if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&link));
        }
        share_link.set(link);
    };

    // The language switch stays outside the part drawn anew when the language changes, so it
    // keeps the keyboard focus; everything else follows `lang`. The form's state lives in the
    // signals above, so a redraw loses nothing.
    let page = move || {
        let lang = lang.get();
        let t = lang.texts();
        let banner = shared.with(|shared| {
            shared
                .as_ref()
                .map(|s| shared_banner(s, opening_total.get(), lang))
        });
        view! {
            <header class="page-head no-print">
                <h1>{t.heading}</h1>
                <p>{t.intro_before_version} {bundled_version.clone()} {t.intro_after_version}</p>
            </header>
            {banner}
            <div class="layout">
                <form class="editor no-print" on:submit=|ev| ev.prevent_default()>
                    <fieldset class="row account">
                        <legend>{t.account}</legend>
                        {text_field(t.country, "country", form, (|f| &f.country, |f| &mut f.country), Some("2"), None)}
                        {select_field(
                            t.currency,
                            "field--currency",
                            || Currency::ALL.iter().map(|c| (c.code().to_owned(), c.code().to_owned())).collect(),
                            move || form.with(|f| f.currency.code().to_owned()),
                            move |value| form.update(|f| f.currency = value.parse().unwrap_or(Currency::Eur)),
                        )}
                        {text_field(t.vat_id, "vat-id", form, (|f| &f.vat_id, |f| &mut f.vat_id), None, None)}
                        {text_field(t.credit, "credit", form, (|f| &f.credit, |f| &mut f.credit), None, Some("decimal"))}
                    </fieldset>
                    <h2>{t.current_subscriptions}</h2>
                    {move || (0..n_subs.get()).map(|i| subscription_row(form, i, lang)).collect_view()}
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
                        {t.add_subscription}
                    </button>
                    <h2>{t.order}</h2>
                    {move || (0..n_items.get()).map(|i| item_row(form, i, lang)).collect_view()}
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
                        {t.add_item}
                    </button>
                    <h2>{t.quote_date_heading}</h2>
                    <label class="field">
                        <span class="field__label">{t.priced_on}</span>
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
                        {move || bounds.get().map(|(first, last)| {
                            // The last day that may be chosen, as the period end is shown: the
                            // day after it, where the period ends (R8, half-open).
                            let end = last.succ_opt().unwrap_or(last);
                            lang.date_range(&date(first, lang), &date(end, lang))
                        })}
                    </p>
                </form>
                <section class="quote-doc" aria-label=t.quote>
                    {move || form.with(|f| match priced.get() {
                        _ if invalid_seats.get() > 0 => view! {
                            <p class="quote-error" role="alert">
                                {t.no_quote} {t.seats_entry_invalid}
                            </p>
                        }
                            .into_any(),
                        Ok(quote) => quote_document(f, &quote, lang).into_any(),
                        Err(refusal) => view! {
                            <p class="quote-error" role="alert">
                                {t.no_quote} {refusal.explain(lang)}
                            </p>
                        }
                            .into_any(),
                    })}
                    <div class="actions no-print">
                        <button
                            type="button"
                            id="share"
                            disabled=move || { invalid_seats.get() > 0 }
                            on:click=make_link
                        >
                            {t.share}
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
                            {t.print}
                        </button>
                    </div>
                    <Show when=move || !share_link.get().is_empty()>
                        <label class="field share no-print">
                            <span class="field__label">{t.share_link}</span>
                            <input id="share-link" type="url" readonly prop:value=move || share_link.get() />
                        </label>
                    </Show>
                </section>
            </div>
        }
    };

    view! {
        <nav class="lang-switch no-print">
            <button
                type="button"
                id="switch-lang"
                lang=move || lang.get().other().code()
                aria-label=move || lang.get().texts().switch_lang_label
                on:click=move |_| lang.update(|l| *l = l.other())
            >
                {move || lang.get().texts().switch_lang}
            </button>
        </nav>
        {page}
    }
}
