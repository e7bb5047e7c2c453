//! The Billing Center checkout: a Leptos client-side app compiled to WebAssembly.
//!
//! For now it is one page that lists the products of the catalog bundled with the billing engine,
//! their tiers and their per-seat prices in euros. `main.rs` only mounts [`App`]; everything else
//! lives here so that native tests can reach it.

use billing::{Catalog, Currency, Frequency, Product, Tier};
use leptos::prelude::*;

/// The whole app: the catalog's price list.
#[component]
pub fn App() -> impl IntoView {
    let list = PriceList::from_catalog(Catalog::bundled());
    let products = list
        .products
        .into_iter()
        .map(|product| view! { <ProductSection product /> })
        .collect_view();

    view! {
        <header class="masthead">
            <p class="brand">"Centro fatturazione"</p>
        </header>
        <main class="page">
            <h1>"Prodotti e prezzi"</h1>
            <p class="lead">
                "Ogni prodotto si acquista a sé, per numero di licenze. "
                "Prezzi per licenza, IVA esclusa."
            </p>
            {products}
        </main>
        <footer class="page-footer">
            <p>"Listino in vigore dal " {list.version}</p>
        </footer>
    }
}

/// One product with its tiers, as a section of the page.
#[component]
fn ProductSection(
    /// The product to show.
    product: ProductEntry,
) -> impl IntoView {
    let heading_id = format!("prodotto-{}", product.id);
    let labelled_by = heading_id.clone();
    let trial = (product.trial_days > 0).then(
        || view! { <p class="trial">"Prova gratuita di " {product.trial_days} " giorni"</p> },
    );
    let tiers = product
        .tiers
        .into_iter()
        .map(|tier| view! { <TierCard tier /> })
        .collect_view();

    view! {
        <section class="product" aria-labelledby=labelled_by>
            <div class="product-heading">
                <h2 id=heading_id>{product.name}</h2>
                {trial}
            </div>
            <ul class="tiers">{tiers}</ul>
        </section>
    }
}

/// One tier: its name, seat range, prices and features.
#[component]
fn TierCard(
    /// The tier to show.
    tier: TierEntry,
) -> impl IntoView {
    let features = tier
        .features
        .into_iter()
        .map(|feature| view! { <li>{feature}</li> })
        .collect_view();

    view! {
        <li class="tier">
            <h3>{tier.name}</h3>
            <p class="seats">{tier.seats}</p>
            <dl class="prices">
                <div class="price">
                    <dt>"Mensile"</dt>
                    <dd>
                        <span class="amount">{price_text(tier.monthly)}</span>
                        <span class="unit">" per licenza al mese"</span>
                    </dd>
                </div>
                <div class="price">
                    <dt>"Annuale"</dt>
                    <dd>
                        <span class="amount">{price_text(tier.annual)}</span>
                        <span class="unit">" per licenza all'anno"</span>
                    </dd>
                </div>
            </dl>
            <ul class="features">{features}</ul>
        </li>
    }
}

/// The text shown for a price that may be missing from the catalog.
fn price_text(price: Option<String>) -> String {
    price.unwrap_or_else(|| "non disponibile".to_owned())
}

/// The catalog reduced to what the price list shows, with every text ready for display.
///
/// Built once from the engine's [`Catalog`]; the components only lay it out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PriceList {
    /// The catalog version the prices come from, e.g. `2026-11-01`.
    pub version: String,
    /// The products, in catalog order.
    pub products: Vec<ProductEntry>,
}

/// A product of the [`PriceList`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProductEntry {
    /// The product id, e.g. `meeting`.
    pub id: String,
    /// The product name.
    pub name: String,
    /// The length of the free trial in days (0: no trial).
    pub trial_days: u32,
    /// The tiers, lowest rank first.
    pub tiers: Vec<TierEntry>,
}

/// A tier of a [`ProductEntry`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TierEntry {
    /// The tier id, e.g. `professional`.
    pub id: String,
    /// The tier name.
    pub name: String,
    /// The seat range in words, e.g. "Da 1 a 250 licenze".
    pub seats: String,
    /// The monthly price per seat in euros, formatted ("14,00 €"), if the catalog has one.
    pub monthly: Option<String>,
    /// The annual price per seat in euros, formatted ("144,00 €"), if the catalog has one.
    pub annual: Option<String>,
    /// What the tier includes.
    pub features: Vec<String>,
}

impl PriceList {
    /// Reads the products, tiers and euro prices of `catalog`.
    pub fn from_catalog(catalog: &Catalog) -> Self {
        Self {
            version: catalog.version().to_owned(),
            products: catalog.products().iter().map(ProductEntry::new).collect(),
        }
    }
}

impl ProductEntry {
    fn new(product: &Product) -> Self {
        Self {
            id: product.id().to_owned(),
            name: product.name().to_owned(),
            trial_days: product.trial_days(),
            tiers: product.tiers().iter().map(TierEntry::new).collect(),
        }
    }
}

impl TierEntry {
    fn new(tier: &Tier) -> Self {
        let eur = |frequency| {
            tier.price(Currency::Eur, frequency)
                .map(|price| format_eur(&price))
        };
        Self {
            id: tier.id().to_owned(),
            name: tier.name().to_owned(),
            seats: seat_range(tier.min_seats(), tier.max_seats()),
            monthly: eur(Frequency::Monthly),
            annual: eur(Frequency::Annual),
            features: tier.features().to_vec(),
        }
    }
}

/// Describes a seat range in Italian: "Da 1 a 250 licenze", or "1 licenza" when it is one number.
pub fn seat_range(min: u32, max: u32) -> String {
    match (min, max) {
        (1, 1) => "1 licenza".to_owned(),
        (n, m) if n == m => format!("{n} licenze"),
        (n, m) => format!("Da {n} a {m} licenze"),
    }
}

/// Formats an amount of euros the Italian way: `1188.00` becomes "1.188,00 €".
///
/// `amount` is anything whose [`Display`](std::fmt::Display) is a plain decimal number, such as
/// the engine's `Money` ("1188.00", "-35.00"). Thousands are grouped with dots, the decimal
/// separator is a comma and the euro sign follows after a non-breaking space. Text that is not a
/// plain decimal is returned unchanged, followed by the sign. Locale-aware formatting for every
/// currency comes later.
pub fn format_eur(amount: &impl std::fmt::Display) -> String {
    let text = amount.to_string();
    let (sign, unsigned) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let is_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !is_digits(whole) || !fraction.is_none_or(is_digits) {
        return format!("{text}\u{a0}€");
    }

    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(digit);
    }
    match fraction {
        Some(fraction) => format!("{sign}{grouped},{fraction}\u{a0}€"),
        None => format!("{sign}{grouped}\u{a0}€"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn euro_amounts_use_a_decimal_comma_and_a_trailing_sign() {
        assert_eq!(format_eur(&"14.00"), "14,00\u{a0}€");
        assert_eq!(format_eur(&"0.50"), "0,50\u{a0}€");
    }

    #[test]
    fn thousands_are_grouped_with_dots() {
        assert_eq!(format_eur(&"1188.00"), "1.188,00\u{a0}€");
        assert_eq!(format_eur(&"999.99"), "999,99\u{a0}€");
        assert_eq!(format_eur(&"1234567.89"), "1.234.567,89\u{a0}€");
    }

    #[test]
    fn negative_amounts_keep_their_sign_in_front() {
        assert_eq!(format_eur(&"-35.00"), "-35,00\u{a0}€");
        assert_eq!(format_eur(&"-1296.06"), "-1.296,06\u{a0}€");
    }

    #[test]
    fn whole_numbers_and_odd_text_are_still_shown() {
        assert_eq!(format_eur(&12), "12\u{a0}€");
        assert_eq!(format_eur(&"n/d"), "n/d\u{a0}€");
    }

    #[test]
    fn seat_ranges_read_as_italian() {
        assert_eq!(seat_range(1, 250), "Da 1 a 250 licenze");
        assert_eq!(seat_range(1, 1), "1 licenza");
        assert_eq!(seat_range(5, 5), "5 licenze");
    }

    #[test]
    fn the_price_list_shows_the_bundled_catalog_in_euros() {
        let list = PriceList::from_catalog(Catalog::bundled());
        assert_eq!(list.version, "2026-11-01");

        let ids: Vec<&str> = list.products.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["meeting", "webinar", "remote-support"]);

        let webinar = list
            .products
            .iter()
            .find(|p| p.id == "webinar")
            .expect("the catalog sells webinar");
        assert_eq!(webinar.trial_days, 14);
        let tiers: Vec<(&str, Option<&str>, Option<&str>)> = webinar
            .tiers
            .iter()
            .map(|t| (t.id.as_str(), t.monthly.as_deref(), t.annual.as_deref()))
            .collect();
        assert_eq!(
            tiers,
            [
                ("lite", Some("59,00\u{a0}€"), Some("588,00\u{a0}€")),
                ("standard", Some("129,00\u{a0}€"), Some("1.188,00\u{a0}€")),
                ("pro", Some("249,00\u{a0}€"), Some("2.388,00\u{a0}€")),
            ]
        );
        assert!(webinar.tiers.iter().all(|t| t.seats == "Da 1 a 50 licenze"));
    }
}
