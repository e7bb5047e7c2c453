//! The pricing widget: plan cards, the monthly/annual switch, the seat stepper and the links to
//! the checkout, rendered inside a shadow root of the host page's element.

use std::cell::OnceCell;

use billing::{Currency, Frequency, Money, annual_saving};
use leptos::either::Either;
use leptos::prelude::*;
use ui::SeatStepper;
use wasm_bindgen::{JsCast, JsValue};

use crate::catalog::{PriceList, TierPrices};
use crate::i18n::{fill, widget_texts};
use crate::pricing::{Intent, Selection, WidgetConfig};

/// The widget's style sheet. It is adopted by each shadow root as a constructed style sheet
/// (CSSOM, so a strict `style-src` allows it). `:host` resets everything the page's CSS could
/// set on the host element; theming goes through the `--cp-*` custom properties, which inherit
/// across the shadow boundary.
pub const WIDGET_CSS: &str = include_str!("widget.css");

/// The seats the widget starts with.
const DEFAULT_SEATS: u32 = 5;

/// The price list of the catalog at `url`, when it answers with a catalog that has the product
/// in the currency.
async fn fetch_price_list(
    url: &str,
    product: &str,
    currency: Currency,
    lang: &str,
) -> Option<PriceList> {
    let response = gloo_net::http::Request::get(url).send().await.ok()?;
    if !response.ok() {
        return None;
    }
    let text = response.text().await.ok()?;
    PriceList::from_json(&text, product, currency, lang)
}

/// What the customer has picked in one widget. It lives outside the widget's view, so that a
/// widget redrawn with a refreshed catalog keeps the choice.
#[derive(Clone)]
pub struct Choice {
    /// Monthly or annual.
    pub frequency: ArcRwSignal<Frequency>,
    /// The seat count.
    pub seats: ArcRwSignal<u32>,
}

impl Default for Choice {
    /// Annual billing and [`DEFAULT_SEATS`] seats.
    fn default() -> Choice {
        Choice {
            frequency: ArcRwSignal::new(Frequency::Annual),
            seats: ArcRwSignal::new(DEFAULT_SEATS),
        }
    }
}

/// The view of one pricing widget: `list` priced for `config`, or a "not available" line.
///
/// The price list is plain data, not a signal: a refreshed catalog mounts a new view (see
/// [`mount`]) instead of patching this one, which keeps the code that updates the DOM to
/// what the customer's choices change.
pub fn pricing_widget(
    config: WidgetConfig,
    list: Option<PriceList>,
    choice: Choice,
) -> impl IntoView {
    let texts = widget_texts(&config.lang);
    // `Either` rather than `AnyView`: the view is only ever built, and an `AnyView` would also
    // carry the code to patch one widget into another.
    let Some(list) = list else {
        return Either::Left(view! {
            <section class="cp" lang=config.lang.clone()>
                <p class="cp-unavailable">{texts.unknown_product}</p>
            </section>
        });
    };
    let currency = config.currency;
    let frequency = RwSignal::from(choice.frequency);
    let seats = RwSignal::from(choice.seats);
    // Whether the seat field holds text that is not a seat count: then no total and no link
    // orders the last valid count (issue 12).
    let seats_invalid = RwSignal::new(false);
    let radio_name = "cp-frequency-".to_owned() + &config.product;
    let checkout_url = StoredValue::new(config.checkout_url.clone());
    // The customer's locale writes the amounts, apart from the texts' language (S97).
    let locale = StoredValue::new(ui::locale_for(ui::Lang::from_code(&config.lang)));
    let money = move |amount: Money| {
        locale.with_value(|locale| texts.money.format_in(amount, currency, locale))
    };

    let frequency_option = move |value: Frequency, label: &'static str| {
        view! {
            <label class="cp-switch__option">
                <input
                    type="radio"
                    name=radio_name.clone()
                    value=value.as_str()
                    // The attribute is for the HTML rendered at build time (crate::paint); the
                    // property follows the choice afterwards.
                    checked=frequency.get_untracked() == value
                    prop:checked=move || frequency.get() == value
                    on:change=move |_| frequency.set(value)
                />
                <span>{label}</span>
            </label>
        }
    };

    let has_trial = list.trial_days > 0;
    let config_lang = config.lang.clone();
    let product_id = list.product_id.clone();
    let card = move |tier: TierPrices| {
        let config_lang = config_lang.clone();
        let saving = annual_saving(tier.monthly, tier.annual, currency);
        let max_seats = tier.max_seats.to_string();
        let TierPrices {
            id,
            name,
            min_seats,
            max_seats: max,
            features,
            monthly,
            annual,
        } = tier;
        let fits = move || (min_seats..=max).contains(&seats.get());
        let allows = move || !seats_invalid.get() && fits();
        let price = move || match frequency.get() {
            Frequency::Monthly => monthly,
            Frequency::Annual => annual,
        };
        let link = {
            let product = product_id.clone();
            let tier = id.clone();
            move |intent: Intent| {
                Selection {
                    product: product.clone(),
                    tier: tier.clone(),
                    seats: seats.get(),
                    frequency: frequency.get(),
                }
                .checkout_link(&checkout_url.read_value(), intent)
            }
        };
        let trial_link = link.clone();
        view! {
            <article class="cp-card" data-tier=id>
                <h3 class="cp-card__name">{name}</h3>
                <p class="cp-card__price">
                    <span class="cp-card__amount">{move || money(price())}</span>
                    " "
                    <span class="cp-card__unit">
                        {move || match frequency.get() {
                            Frequency::Monthly => texts.per_seat_month,
                            Frequency::Annual => texts.per_seat_year,
                        }}
                    </span>
                </p>
                <p class="cp-card__saving" hidden=move || frequency.get() != Frequency::Annual || saving.is_none()>
                    {saving.map(|saving| fill(texts.you_save, &[("amount", &money(saving.per_seat))]))}
                </p>
                <ul class="cp-card__features">
                    {features.into_iter().map(|feature| view! { <li>{feature}</li> }).collect_view()}
                </ul>
                <p class="cp-card__total">
                    {move || {
                        if seats_invalid.get() {
                            return texts.no_total.to_owned();
                        }
                        if !fits() {
                            return fill(texts.tier_too_small, &[("max", &max_seats)]);
                        }
                        let n = seats.get();
                        // The language's plural rule (Intl.PluralRules), asked only for the one
                        // count it could make singular, so a page's first draw loads no locale
                        // data for it.
                        let total_for = if n == 1
                            && ui::plural(u64::from(n), &config_lang) == ui::Plural::One
                        {
                            texts.total_for_one
                        } else {
                            texts.total_for
                        };
                        let mut line = fill(total_for, &[("n", &n.to_string())]);
                        line.push_str(": ");
                        line.push_str(&currency.times(price(), n).map(money).unwrap_or_default());
                        line.push(' ');
                        line.push_str(match frequency.get() {
                            Frequency::Monthly => texts.per_month,
                            Frequency::Annual => texts.per_year,
                        });
                        line.push_str(", ");
                        line.push_str(texts.excl_vat);
                        line
                    }}
                </p>
                <div class="cp-card__actions" hidden=move || !allows()>
                    <a class="cp-button cp-button--buy" href=move || link(Intent::Buy)>
                        {texts.buy}
                    </a>
                    {has_trial
                        .then(|| {
                            view! {
                                <a class="cp-button cp-button--trial" href=move || trial_link(Intent::Trial)>
                                    {texts.trial}
                                </a>
                            }
                        })}
                </div>
            </article>
        }
    };

    let (min, max) = list.seat_bounds();
    let best_saving = list
        .tiers
        .iter()
        .filter_map(|tier| annual_saving(tier.monthly, tier.annual, currency))
        .map(|saving| saving.percent)
        .max();
    let cards = list.tiers.into_iter().map(card).collect_view();
    Either::Right(view! {
        <section class="cp" lang=config.lang.clone()>
            <h2 class="cp-title">{list.product_name}</h2>
            <div class="cp-controls">
                <fieldset class="cp-switch">
                    <legend class="cp-switch__legend">{texts.billing}</legend>
                    {frequency_option.clone()(Frequency::Monthly, texts.monthly)}
                    {frequency_option(Frequency::Annual, texts.annual)}
                    <span class="cp-switch__saving">
                        {best_saving.map(|p| fill(texts.save_up_to, &[("p", &p.to_string())]))}
                    </span>
                </fieldset>
                <SeatStepper
                    value=seats
                    on_change=move |n| seats.set(n)
                    on_validity=move |valid: bool| seats_invalid.set(!valid)
                    min=min
                    max=max
                    label=texts.seats
                    decrement_label=texts.one_fewer
                    increment_label=texts.one_more
                    invalid_message=fill(
                        texts.invalid_seats,
                        &[("min", &min.to_string()), ("max", &max.to_string())],
                    )
                    contact_sales_message=fill(texts.contact_sales_message, &[("max", &max.to_string())])
                    contact_sales_label=texts.contact_sales
                    contact_sales_href=list.support_url
                />
            </div>
            <div class="cp-cards">{cards}</div>
            <p class="cp-footnote">{fill(texts.price_list, &[("version", &list.version)])}</p>
        </section>
    })
}

/// The widget's style sheet, built once per page and adopted by every widget's shadow root.
fn style_sheets() -> Result<js_sys::Array, JsValue> {
    thread_local! {
        static SHEETS: OnceCell<js_sys::Array> = const { OnceCell::new() };
    }
    SHEETS.with(|sheets| {
        if let Some(sheets) = sheets.get() {
            return Ok(sheets.clone());
        }
        let sheet = web_sys::CssStyleSheet::new()?;
        sheet.replace_sync(WIDGET_CSS)?;
        Ok(sheets.get_or_init(|| js_sys::Array::of1(&sheet)).clone())
    })
}

/// The choice the visitor made on the painted markup before the WebAssembly took it over (the
/// radio buttons and the seat field work without script), so the view drawn in its place shows
/// the same. Anything unreadable keeps the default, and so does a seat count outside the painted
/// stepper's range, which the live stepper would not have taken either (S43).
fn painted_choice(painted: &web_sys::Element) -> Choice {
    let choice = Choice::default();
    let input = |selector: &str| -> Option<web_sys::HtmlInputElement> {
        painted.query_selector(selector).ok()??.dyn_into().ok()
    };
    if let Some(checked) = input("input[type=radio]:checked") {
        choice.frequency.set(match checked.value().as_str() {
            "monthly" => Frequency::Monthly,
            _ => Frequency::Annual,
        });
    }
    if let Some(field) = input(".seat-stepper__input") {
        let bound = |name: &str| field.get_attribute(name).and_then(|text| text.parse().ok());
        let range = bound("aria-valuemin").unwrap_or(1)..=bound("aria-valuemax").unwrap_or(1);
        if let Ok(seats) = field.value().trim().parse::<u32>()
            && range.contains(&seats)
        {
            choice.seats.set(seats);
        }
    }
    choice
}

/// The position of the focused element among the focusable ones of `root` (`a`, `button`,
/// `input`), if the focus is inside it.
fn focus_index(shadow: &web_sys::ShadowRoot, root: &web_sys::Element) -> Option<u32> {
    let active = shadow.active_element()?;
    let all = root.query_selector_all("a,button,input").ok()?;
    (0..all.length()).find(|&i| all.get(i).is_some_and(|node| node == *active))
}

/// Mounts a pricing widget into the shadow root of `host`, a `[data-checkout-pricing]` element.
///
/// A host painted at build time (crate::paint: a declarative shadow root holding a
/// `[data-cp-painted]` root and the style sheet's `<link>`) is taken over: the view is drawn,
/// with the choice read from the painted controls, into a new root that replaces the painted one
/// in the same task, so no frame shows anything else; the markup and the style sheet are the
/// same, so nothing moves. The focus moves to the same control. Any other host with a shadow
/// root is left alone (its widget, or someone else's); a host without one gets a shadow root
/// with the constructed style sheet.
///
/// The widget first shows the bundled catalog. When its element names an API base, the catalog
/// is fetched from there, and an answer that prices the product differently replaces the
/// widget's view by one drawn from it, with the customer's choice kept.
pub fn mount(host: &web_sys::Element) -> Result<(), JsValue> {
    let painted = match host.shadow_root() {
        None => None,
        Some(shadow) => match shadow.query_selector(".cp-root[data-cp-painted]")? {
            Some(painted) => Some((shadow, painted)),
            None => return Ok(()),
        },
    };
    let config =
        WidgetConfig::from_attributes(|name| host.get_attribute(&("data-".to_owned() + name)));
    let root: web_sys::HtmlElement = host
        .owner_document()
        .ok_or_else(|| JsValue::from_str("no document"))?
        .create_element("div")?
        .unchecked_into();
    root.set_class_name("cp-root");
    let choice = match &painted {
        Some((_, painted)) => painted_choice(painted),
        None => {
            let shadow =
                host.attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open))?;
            let sheets = style_sheets()?;
            shadow.set_adopted_style_sheets(&sheets);
            shadow.append_child(&root)?;
            Choice::default()
        }
    };
    let mount = {
        let config = config.clone();
        let root = root.clone();
        move |list: Option<PriceList>| {
            let (config, choice) = (config.clone(), choice.clone());
            leptos::mount::mount_to(root.clone(), move || pricing_widget(config, list, choice))
        }
    };
    let bundled_list = PriceList::bundled(&config.product, config.currency, &config.lang);
    let bundled = mount(bundled_list.clone());
    if let Some((shadow, painted)) = painted {
        // Drawn while detached, swapped in at once: the browser renders between tasks only.
        let focused = focus_index(&shadow, &painted);
        painted.replace_with_with_node_1(&root)?;
        if let Some(index) = focused
            && let Some(control) = root.query_selector_all("a,button,input")?.get(index)
        {
            control.unchecked_into::<web_sys::HtmlElement>().focus()?;
        }
    }
    match config.catalog_url() {
        None => bundled.forget(),
        Some(url) => leptos::task::spawn_local(async move {
            match fetch_price_list(&url, &config.product, config.currency, &config.lang).await {
                // A catalog without this product or currency would leave the widget empty, and
                // one that prices it as the bundled catalog does would draw it again just as it is.
                None => bundled.forget(),
                Some(fresh) if Some(&fresh) == bundled_list.as_ref() => bundled.forget(),
                Some(fresh) => {
                    drop(bundled);
                    mount(Some(fresh)).forget();
                }
            }
        }),
    }
    Ok(())
}
