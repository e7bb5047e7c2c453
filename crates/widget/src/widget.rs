//! The pricing widget: plan cards, the monthly/annual switch, the seat stepper and the links to
//! the checkout, rendered inside a shadow root of the host page's element.

use billing::{Catalog, Currency, Frequency, Product, Tier};
use leptos::prelude::*;
use ui::{SeatStepper, format_money};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::i18n::{WidgetTexts, fill, widget_texts};
use crate::pricing::{Intent, Selection, WidgetConfig, annual_saving, total};

/// The widget's style sheet. It is adopted by each shadow root as a constructed style sheet
/// (CSSOM, so a strict `style-src` allows it). `:host` resets everything the page's CSS could
/// set on the host element; theming goes through the `--cp-*` custom properties, which inherit
/// across the shadow boundary.
pub const WIDGET_CSS: &str = include_str!("widget.css");

/// The seats the widget starts with.
const DEFAULT_SEATS: u32 = 5;

/// The catalog the widget prices with: the bundled one, refreshed from the API when configured.
async fn fetch_catalog(url: &str) -> Option<Catalog> {
    let window = web_sys::window()?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(url))
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    if !response.ok() {
        return None;
    }
    let text = JsFuture::from(response.text().ok()?).await.ok()?;
    Catalog::from_json(&text.as_string()?).ok()
}

fn money(amount: billing::Money, currency: Currency, texts: &WidgetTexts) -> String {
    format_money(&amount.to_string(), currency.code(), texts.locale)
}

/// The seats any tier of the product allows: `[lowest min, highest max]`.
fn seat_bounds(product: &Product) -> (u32, u32) {
    let min = product
        .tiers()
        .iter()
        .map(Tier::min_seats)
        .min()
        .unwrap_or(1);
    let max = product
        .tiers()
        .iter()
        .map(Tier::max_seats)
        .max()
        .unwrap_or(min);
    (min, max)
}

/// One pricing widget for `config`.
#[component]
pub fn PricingWidget(
    /// What the host element asked for.
    config: WidgetConfig,
) -> impl IntoView {
    let texts = widget_texts(&config.lang);
    let catalog = RwSignal::new(Catalog::bundled().clone());
    if let Some(url) = config.catalog_url() {
        let product = config.product.clone();
        leptos::task::spawn_local(async move {
            if let Some(fresh) = fetch_catalog(&url).await {
                // A catalog without this product or currency would leave the widget empty.
                if fresh.product(&product).is_some() && fresh.sells_in(config.currency) {
                    catalog.set(fresh);
                }
            }
        });
    }
    let frequency = RwSignal::new(Frequency::Annual);
    let seats = RwSignal::new(DEFAULT_SEATS);
    let currency = config.currency;
    let product_id = config.product.clone();
    let product = Memo::new(move |_| catalog.with(|catalog| catalog.product(&product_id).cloned()));
    let bounds = Memo::new(move |_| product.get().as_ref().map_or((1, 1), seat_bounds));
    let support_url = Memo::new(move |_| catalog.with(|catalog| catalog.support().url.clone()));
    let version = Memo::new(move |_| catalog.with(|catalog| catalog.version().to_owned()));
    let best_saving = Memo::new(move |_| {
        product.get().and_then(|product| {
            product
                .tiers()
                .iter()
                .filter_map(|tier| annual_saving(tier, currency).map(|(_, percent)| percent))
                .max()
        })
    });
    let radio_name = format!("cp-frequency-{}", config.product);
    let checkout_url = StoredValue::new(config.checkout_url.clone());

    let frequency_option = move |value: Frequency, label: &'static str| {
        let name = radio_name.clone();
        view! {
            <label class="cp-switch__option">
                <input
                    type="radio"
                    name=name
                    value=value.as_str()
                    prop:checked=move || frequency.get() == value
                    on:change=move |_| frequency.set(value)
                />
                <span>{label}</span>
            </label>
        }
    };

    let card = move |tier: Tier, product: Product| {
        let tier_id = tier.id().to_owned();
        let tier_for_price = tier.clone();
        let price = move || tier_for_price.price(currency, frequency.get());
        let price_for_total = price.clone();
        let saving = annual_saving(&tier, currency);
        let allows = {
            let tier = tier.clone();
            move || tier.allows_seats(seats.get())
        };
        let allows_for_total = allows.clone();
        let max_seats = tier.max_seats().to_string();
        let selection = {
            let product = product.id().to_owned();
            let tier = tier_id.clone();
            move || Selection {
                product: product.clone(),
                tier: tier.clone(),
                seats: seats.get(),
                frequency: frequency.get(),
            }
        };
        let selection_for_trial = selection.clone();
        let has_trial = product.trial_days() > 0;
        view! {
            <article class="cp-card" data-tier=tier_id>
                <h3 class="cp-card__name">{tier.name().to_owned()}</h3>
                <p class="cp-card__price">
                    <span class="cp-card__amount">
                        {move || price().map(|p| money(p, currency, texts)).unwrap_or_default()}
                    </span>
                    " "
                    <span class="cp-card__unit">
                        {move || match frequency.get() {
                            Frequency::Monthly => texts.per_seat_month,
                            Frequency::Annual => texts.per_seat_year,
                        }}
                    </span>
                </p>
                <p class="cp-card__saving" hidden=move || frequency.get() != Frequency::Annual || saving.is_none()>
                    {saving
                        .map(|(amount, _)| fill(texts.you_save, &[("amount", &money(amount, currency, texts))]))}
                </p>
                <ul class="cp-card__features">
                    {tier.features().iter().map(|feature| view! { <li>{feature.clone()}</li> }).collect_view()}
                </ul>
                <p class="cp-card__total">
                    {move || {
                        if !allows_for_total() {
                            return fill(texts.tier_too_small, &[("max", &max_seats)]);
                        }
                        let n = seats.get();
                        let amount = price_for_total()
                            .map(|p| money(total(p, n, currency), currency, texts))
                            .unwrap_or_default();
                        let per = match frequency.get() {
                            Frequency::Monthly => texts.per_month,
                            Frequency::Annual => texts.per_year,
                        };
                        format!(
                            "{}: {amount} {per}, {}",
                            fill(texts.total_for, &[("n", &n.to_string())]),
                            texts.excl_vat,
                        )
                    }}
                </p>
                <div class="cp-card__actions" hidden=move || !allows()>
                    <a
                        class="cp-button cp-button--buy"
                        href=move || selection().checkout_link(&checkout_url.get_value(), Intent::Buy)
                    >
                        {texts.buy}
                    </a>
                    {has_trial
                        .then(|| {
                            view! {
                                <a
                                    class="cp-button cp-button--trial"
                                    href=move || {
                                        selection_for_trial()
                                            .checkout_link(&checkout_url.get_value(), Intent::Trial)
                                    }
                                >
                                    {texts.trial}
                                </a>
                            }
                        })}
                </div>
            </article>
        }
    };

    view! {
        <section class="cp" lang=config.lang.clone()>
            {move || match product.get() {
                None => view! { <p class="cp-unavailable">{texts.unknown_product}</p> }.into_any(),
                Some(product) => {
                    let cards = product
                        .tiers()
                        .iter()
                        .cloned()
                        .map(|tier| card(tier, product.clone()))
                        .collect_view();
                    view! {
                        <h2 class="cp-title">{product.name().to_owned()}</h2>
                        <div class="cp-controls">
                            <fieldset class="cp-switch">
                                <legend class="cp-switch__legend">{texts.billing}</legend>
                                {frequency_option.clone()(Frequency::Monthly, texts.monthly)}
                                {frequency_option.clone()(Frequency::Annual, texts.annual)}
                                <span class="cp-switch__saving">
                                    {move || {
                                        best_saving
                                            .get()
                                            .map(|p| fill(texts.save_up_to, &[("p", &p.to_string())]))
                                    }}
                                </span>
                            </fieldset>
                            <SeatStepper
                                value=seats
                                on_change=move |n| seats.set(n)
                                min=Signal::derive(move || bounds.get().0)
                                max=Signal::derive(move || bounds.get().1)
                                label=texts.seats
                                decrement_label=texts.one_fewer
                                increment_label=texts.one_more
                                invalid_message=Signal::derive(move || {
                                    let (min, max) = bounds.get();
                                    fill(texts.invalid_seats, &[("min", &min.to_string()), ("max", &max.to_string())])
                                })
                                contact_sales_message=Signal::derive(move || {
                                    fill(texts.contact_sales_message, &[("max", &bounds.get().1.to_string())])
                                })
                                contact_sales_label=texts.contact_sales
                                contact_sales_href=support_url
                            />
                        </div>
                        <div class="cp-cards">{cards}</div>
                        <p class="cp-footnote">
                            {move || fill(texts.price_list, &[("version", &version.get())])}
                        </p>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

/// Mounts a [`PricingWidget`] into the shadow root of every `[data-checkout-pricing]` element of
/// the document that has none yet, and returns how many it mounted.
pub fn mount_all() -> Result<u32, JsValue> {
    let document = web_sys::window()
        .and_then(|window| window.document())
        .ok_or_else(|| JsValue::from_str("no document"))?;
    let hosts = document.query_selector_all("[data-checkout-pricing]")?;
    let sheet = web_sys::CssStyleSheet::new()?;
    sheet.replace_sync(WIDGET_CSS)?;
    let sheets = js_sys::Array::of1(&sheet);
    let mut mounted = 0;
    for index in 0..hosts.length() {
        let Some(host) = hosts
            .item(index)
            .and_then(|node| node.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        if host.shadow_root().is_some() {
            continue;
        }
        let config =
            WidgetConfig::from_attributes(|name| host.get_attribute(&format!("data-{name}")));
        let shadow =
            host.attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open))?;
        shadow.set_adopted_style_sheets(&sheets);
        let root: web_sys::HtmlElement = document.create_element("div")?.unchecked_into();
        root.set_class_name("cp-root");
        shadow.append_child(&root)?;
        leptos::mount::mount_to(root, move || view! { <PricingWidget config=config /> }).forget();
        mounted += 1;
    }
    Ok(mounted)
}
