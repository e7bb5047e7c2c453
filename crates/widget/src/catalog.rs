//! The part of the catalog one widget shows: one product, its tiers and their prices in one
//! currency, the catalog version and the support page.
//!
//! It is taken from the engine's [`billing::Catalog`], read by the engine's one catalog reader
//! (`Catalog::from_answer`, shared with the checkout, the quote page and the server) and
//! validated there: every tier has a name, sane seat limits and positive prices in every currency
//! the catalog sells in, exact to the currency's minor unit. The widget's own check is that the
//! catalog sells in its currency at all.

use billing::{Catalog, Currency, Frequency, Money};

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
    /// How many days a free trial lasts (R11; the engine refuses a catalog with none).
    pub trial_days: u32,
    /// The tiers, in catalog order (lowest rank first).
    pub tiers: Vec<TierPrices>,
}

impl PriceList {
    /// The price list of `product` in `currency` from `catalog`, with the features in `lang`
    /// when the catalog has them in that language (issue 12); `None` when the catalog does not
    /// have the product or does not sell in `currency`.
    pub fn new(
        catalog: &Catalog,
        product: &str,
        currency: Currency,
        lang: &str,
    ) -> Option<PriceList> {
        let entry = catalog.product(product)?;
        let mut tiers = Vec::with_capacity(entry.tiers().len());
        for tier in entry.tiers() {
            tiers.push(TierPrices {
                id: tier.id().to_owned(),
                name: tier.name().to_owned(),
                min_seats: tier.min_seats(),
                max_seats: tier.max_seats(),
                features: tier.features_in(lang).to_vec(),
                monthly: tier.price(currency, Frequency::Monthly)?,
                annual: tier.price(currency, Frequency::Annual)?,
            });
        }
        Some(PriceList {
            version: catalog.version().to_owned(),
            support_url: catalog.support().url.clone(),
            product_id: entry.id().to_owned(),
            product_name: entry.name().to_owned(),
            trial_days: entry.trial_days(),
            tiers,
        })
    }

    /// The price list of `product` in `currency` from the answer of `GET /api/v1/catalog`; `None`
    /// when the engine refuses the catalog or [`PriceList::new`] finds no list in it.
    pub fn from_json(
        text: &str,
        product: &str,
        currency: Currency,
        lang: &str,
    ) -> Option<PriceList> {
        PriceList::new(&Catalog::from_answer(text).ok()?, product, currency, lang)
    }

    /// The price list of `product` in `currency` from the catalog bundled with the engine.
    pub fn bundled(product: &str, currency: Currency, lang: &str) -> Option<PriceList> {
        PriceList::new(Catalog::bundled(), product, currency, lang)
    }

    /// The seats any tier allows: `(lowest min, highest max)`.
    pub fn seat_bounds(&self) -> (u32, u32) {
        let min = self.tiers.iter().map(|tier| tier.min_seats).min();
        let max = self.tiers.iter().map(|tier| tier.max_seats).max();
        let min = min.unwrap_or(1);
        (min, max.unwrap_or(min))
    }
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

    /// The bundled catalog's JSON with `edit` made to it.
    fn edited(edit: impl FnOnce(&mut serde_json::Value)) -> String {
        let mut json: serde_json::Value =
            serde_json::from_str(billing::catalog::BUNDLED_CATALOG_JSON).expect("the catalog");
        edit(&mut json);
        json.to_string()
    }

    #[test]
    fn a_catalog_that_does_not_sell_in_the_currency_has_no_price_list() {
        let euro_only = edited(|json| {
            json["currencies"] = serde_json::json!(["EUR"]);
            for product in json["products"].as_array_mut().expect("products") {
                for tier in product["tiers"].as_array_mut().expect("tiers") {
                    let prices = tier["prices"].as_object_mut().expect("prices");
                    prices.retain(|currency, _| currency == "EUR");
                }
            }
        });
        let list = PriceList::from_json(&euro_only, "meeting", Currency::Eur, "it");
        assert_eq!(list, PriceList::bundled("meeting", Currency::Eur, "it"));
        assert!(list.is_some());
        assert_eq!(
            PriceList::from_json(&euro_only, "meeting", Currency::Usd, "it"),
            None
        );
    }

    #[test]
    fn a_catalog_the_engine_refuses_has_no_price_list() {
        // The widget's price checks are the engine's: prices exact to the minor unit and above
        // zero, sane seat limits, every tier priced in every currency sold.
        let edits: [fn(&mut serde_json::Value); 5] = [
            |json| json["products"][0]["tiers"][0]["prices"]["EUR"]["monthly"] = "14.001".into(),
            |json| json["products"][0]["tiers"][1]["prices"]["EUR"]["annual"] = "0.00".into(),
            |json| json["products"][0]["tiers"][0]["min_seats"] = 0.into(),
            |json| json["products"][0]["tiers"][1]["max_seats"] = "250".into(),
            |json| {
                let prices = json["products"][0]["tiers"][0]["prices"].as_object_mut();
                prices.expect("prices").remove("GBP");
            },
        ];
        for edit in edits {
            let text = edited(edit);
            assert!(Catalog::from_answer(&text).is_err(), "{text}");
            assert_eq!(
                PriceList::from_json(&text, "meeting", Currency::Eur, "en"),
                None
            );
        }
    }
}
