//! The part of the catalog one widget shows: one product, its tiers and their prices in one
//! currency, the catalog version and the support page.
//!
//! It is read from the catalog's JSON text (the engine's bundled file, or the answer of
//! `GET /api/v1/catalog`) by the small reader of `json-text` (shared with the checkout) rather than by the engine's
//! [`billing::Catalog`]: the engine's reader is serde_json with derived deserializers for the
//! whole catalog (VAT rates, ranks, every currency), which would be a fifth of the widget's
//! WebAssembly, while the widget needs a dozen fields of one product. The checks that matter for
//! a price table are made here too: every tier has a name, sane seat limits and both prices in
//! the widget's currency, exact to the currency's minor unit.

use billing::{Currency, Frequency, Money};

use json_text as json;

use crate::pricing::parse_price;

/// One tier as the widget shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TierPrices {
    /// The tier id (`business`).
    pub id: String,
    /// The display name (`Business`).
    pub name: String,
    /// The fewest seats the tier is sold with.
    pub min_seats: u32,
    /// The most seats sold self-service; above it the widget offers "contact sales".
    pub max_seats: u32,
    /// The features, in display order.
    pub features: Vec<String>,
    /// The price per seat per month.
    pub monthly: Money,
    /// The price per seat per year.
    pub annual: Money,
}

impl TierPrices {
    /// The price per seat for one period of `frequency`.
    pub fn price(&self, frequency: Frequency) -> Money {
        match frequency {
            Frequency::Monthly => self.monthly,
            Frequency::Annual => self.annual,
        }
    }

    /// Whether the tier can be bought with `seats` seats.
    pub fn allows_seats(&self, seats: u32) -> bool {
        (self.min_seats..=self.max_seats).contains(&seats)
    }
}

/// What one widget shows: a product of the catalog priced in one currency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PriceList {
    /// The catalog version (`2026-11-01`).
    pub version: String,
    /// The support page, where "contact sales" leads.
    pub support_url: String,
    /// The product id (`meeting`).
    pub product_id: String,
    /// The product's display name (`Meeting`).
    pub product_name: String,
    /// How many days a free trial lasts; 0 means no trial.
    pub trial_days: u32,
    /// The tiers, in catalog order (lowest rank first).
    pub tiers: Vec<TierPrices>,
}

impl PriceList {
    /// The price list of `product` in `currency` from the catalog's JSON text, or `None` when the
    /// text is not a catalog, does not have the product, or does not price all of its tiers in
    /// `currency`.
    pub fn from_json(
        text: &str,
        product: &str,
        currency: Currency,
        lang: &str,
    ) -> Option<PriceList> {
        let catalog = json::parse(text)?;
        let version = catalog.get("version")?.as_str()?.trim();
        if version.is_empty() {
            return None;
        }
        let support_url = catalog.get("support")?.get("url")?.as_str()?;
        let entry = catalog
            .get("products")?
            .as_array()?
            .iter()
            .find(|entry| entry.get("id").and_then(json::Json::as_str) == Some(product))?;
        let tiers = entry
            .get("tiers")?
            .as_array()?
            .iter()
            .map(|tier| read_tier(tier, currency, lang))
            .collect::<Option<Vec<_>>>()?;
        if tiers.is_empty() {
            return None;
        }
        Some(PriceList {
            version: version.to_owned(),
            support_url: support_url.to_owned(),
            product_id: product.to_owned(),
            product_name: entry.get("name")?.as_str()?.to_owned(),
            trial_days: entry.get("trial_days")?.number::<u32>()?,
            tiers,
        })
    }

    /// The price list of `product` in `currency` from the catalog bundled with the engine.
    pub fn bundled(product: &str, currency: Currency, lang: &str) -> Option<PriceList> {
        PriceList::from_json(
            billing::catalog::BUNDLED_CATALOG_JSON,
            product,
            currency,
            lang,
        )
    }

    /// The seats any tier allows: `(lowest min, highest max)`.
    pub fn seat_bounds(&self) -> (u32, u32) {
        let min = self.tiers.iter().map(|tier| tier.min_seats).min();
        let max = self.tiers.iter().map(|tier| tier.max_seats).max();
        let min = min.unwrap_or(1);
        (min, max.unwrap_or(min))
    }
}

/// One tier, its features in `lang` when the catalog has them in that language (issue 12).
fn read_tier(tier: &json::Json, currency: Currency, lang: &str) -> Option<TierPrices> {
    let text = |key: &str| tier.get(key).and_then(json::Json::as_str);
    let prices = tier.get("prices")?.get(currency.code())?;
    let price = |key: &str| parse_price(prices.get(key)?.as_str()?, currency);
    let min_seats = tier.get("min_seats")?.number::<u32>()?;
    let max_seats = tier.get("max_seats")?.number::<u32>()?;
    if min_seats == 0 || max_seats < min_seats {
        return None;
    }
    let translated = tier
        .get("translations")
        .and_then(|texts| texts.get(lang)?.get("features"));
    let features = translated
        .or_else(|| tier.get("features"))?
        .as_array()?
        .iter()
        .map(|feature| feature.as_str().map(str::to_owned))
        .collect::<Option<Vec<_>>>()?;
    Some(TierPrices {
        id: text("id")?.to_owned(),
        name: text("name")?.to_owned(),
        min_seats,
        max_seats,
        features,
        monthly: price("monthly")?,
        annual: price("annual")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use billing::Catalog;

    #[test]
    fn the_bundled_catalog_reads_as_the_engine_reads_it() {
        let catalog = Catalog::bundled();
        for product in catalog.products() {
            for &currency in catalog.currencies() {
                let list = PriceList::bundled(product.id(), currency, "en").expect("a price list");
                assert_eq!(list.version, catalog.version());
                assert_eq!(list.support_url, catalog.support().url);
                assert_eq!(list.product_name, product.name());
                assert_eq!(list.trial_days, product.trial_days());
                assert_eq!(list.tiers.len(), product.tiers().len());
                for (mine, engine) in list.tiers.iter().zip(product.tiers()) {
                    assert_eq!(mine.id, engine.id());
                    assert_eq!(mine.name, engine.name());
                    assert_eq!(mine.min_seats, engine.min_seats());
                    assert_eq!(mine.max_seats, engine.max_seats());
                    assert_eq!(mine.features, engine.features());
                    let italian =
                        PriceList::bundled(product.id(), currency, "it").expect("a price list");
                    let italian = italian
                        .tiers
                        .iter()
                        .find(|t| t.id == engine.id())
                        .expect("tier");
                    assert_eq!(italian.features, engine.features_in("it"));
                    assert_ne!(italian.features, engine.features(), "Italian features");
                    for frequency in Frequency::ALL {
                        assert_eq!(
                            Some(mine.price(frequency)),
                            engine.price(currency, frequency)
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn the_catalog_the_server_sends_reads_too() {
        // The API answers with the engine's serialisation of the catalog.
        let text = serde_json::to_string(Catalog::bundled()).expect("serialise");
        let list =
            PriceList::from_json(&text, "webinar", Currency::Usd, "en").expect("a price list");
        assert_eq!(
            list,
            PriceList::bundled("webinar", Currency::Usd, "en").expect("bundled")
        );
        assert_eq!(list.tiers[2].annual.to_string(), "2628.00");
        assert_eq!(list.seat_bounds(), (1, 50));
    }

    #[test]
    fn an_unknown_product_or_a_broken_catalog_has_no_price_list() {
        assert_eq!(PriceList::bundled("fax", Currency::Eur, "en"), None);
        assert_eq!(
            PriceList::from_json("{}", "meeting", Currency::Eur, "en"),
            None
        );
        assert_eq!(
            PriceList::from_json("<html>", "meeting", Currency::Eur, "en"),
            None
        );
        let text = billing::catalog::BUNDLED_CATALOG_JSON;
        assert_eq!(
            PriceList::from_json(&text[..text.len() - 2], "meeting", Currency::Eur, "en"),
            None
        );
    }

    #[test]
    fn a_tier_without_a_price_in_the_currency_makes_the_list_unusable() {
        let text = r#"{"version":"v","support":{"url":"u"},"products":[{"id":"p","name":"P",
            "trial_days":14,"tiers":[{"id":"t","name":"T","min_seats":1,"max_seats":5,
            "features":[],"prices":{"EUR":{"monthly":"1.00","annual":"10.00"}}}]}]}"#;
        assert!(PriceList::from_json(text, "p", Currency::Eur, "en").is_some());
        assert_eq!(PriceList::from_json(text, "p", Currency::Usd, "en"), None);
        let three_decimals = text.replace("\"1.00\"", "\"1.001\"");
        assert_eq!(
            PriceList::from_json(&three_decimals, "p", Currency::Eur, "en"),
            None
        );
        let no_seats = text.replace("\"min_seats\":1", "\"min_seats\":0");
        assert_eq!(
            PriceList::from_json(&no_seats, "p", Currency::Eur, "en"),
            None
        );
    }
}
