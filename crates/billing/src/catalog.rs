//! The catalog (R6, R7): products, ranked tiers, seat limits, prices, trial length, VAT rates, the
//! seller's country and the support contact, read from one versioned JSON file and validated into
//! domain types. The default catalog is compiled in, so quotes work offline.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::country::Country;
use crate::money::{Currency, Money};
use crate::period::Frequency;

/// The default catalog file, version `2026-11-01`, with exactly the price table of the rules.
pub const BUNDLED_CATALOG_JSON: &str = include_str!("../catalog/2026-11-01.json");

/// Why a catalog file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogError {
    /// The file is not JSON of the catalog's shape.
    #[error("the catalog is not valid JSON of the catalog's shape: {message}")]
    Malformed {
        /// What the JSON reader said.
        message: String,
    },
    /// The catalog has no version.
    #[error("the catalog has no version")]
    MissingVersion,
    /// The catalog sells in no currency, or names one twice.
    #[error("the catalog must list each currency it sells in once, and at least one")]
    BadCurrencies,
    /// A VAT rate is given for a country outside the EU, or is not a percentage below 100.
    #[error("the VAT rate `{rate}` of {country} is not a rate of an EU member state in 0..100")]
    BadVatRate {
        /// The country of the rate.
        country: Country,
        /// The rate as written.
        rate: Decimal,
    },
    /// The catalog has no product.
    #[error("the catalog has no product")]
    NoProducts,
    /// Two products, or two tiers of one product, share an id.
    #[error("the id `{id}` is used twice")]
    DuplicateId {
        /// The repeated id.
        id: String,
    },
    /// A product's fields are out of range.
    #[error("product `{product}`: {problem}")]
    BadProduct {
        /// The product id.
        product: String,
        /// What is wrong.
        problem: String,
    },
    /// A tier's fields are out of range.
    #[error("tier `{product}/{tier}`: {problem}")]
    BadTier {
        /// The product id.
        product: String,
        /// The tier id.
        tier: String,
        /// What is wrong.
        problem: String,
    },
}

/// How to reach Customer Care, for downgrades (R4) and refunds of credit (R19).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Support {
    /// The phone number, as it is printed.
    pub phone: String,
    /// The support web page.
    pub url: String,
}

/// The per-seat prices of a tier in one currency (R6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TierPrices {
    monthly: Money,
    annual: Money,
}

/// A tier's texts in one more language than the catalog's own (English) texts (R7: the catalog
/// is data, its texts included).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierTexts {
    /// The features, in display order, in that language.
    pub features: Vec<String>,
}

/// A tier of a product: its rank, seat limits, features and prices (R4, R5, R6).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    id: String,
    name: String,
    rank: u32,
    min_seats: u32,
    max_seats: u32,
    features: Vec<String>,
    /// The tier's texts in other languages, by language code (`it`); absent in older catalogs.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    translations: BTreeMap<String, TierTexts>,
    prices: BTreeMap<Currency, TierPrices>,
}

impl Tier {
    /// A tier as a catalog file describes it: `prices` holds the monthly and the annual price per
    /// seat in each currency. It is checked when the catalog holding it is built
    /// (`Catalog::try_from`), like a tier read from JSON.
    pub fn new(
        id: String,
        name: String,
        rank: u32,
        seats: (u32, u32),
        features: Vec<String>,
        prices: impl IntoIterator<Item = (Currency, Money, Money)>,
    ) -> Tier {
        let mut tier = Tier {
            id,
            name,
            rank,
            min_seats: seats.0,
            max_seats: seats.1,
            features,
            translations: BTreeMap::new(),
            prices: BTreeMap::new(),
        };
        // Inserted one by one rather than collected: collecting sorts first, and the sort's
        // code would land in the browser bundle.
        for (currency, monthly, annual) in prices {
            tier.prices.insert(currency, TierPrices { monthly, annual });
        }
        tier
    }

    /// The tier id, unique within its product (`professional`).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The display name (`Professional`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The rank: 1 is the lowest tier; a higher rank is an upgrade (R4).
    pub fn rank(&self) -> u32 {
        self.rank
    }

    /// The fewest seats the tier can be bought with (R5).
    pub fn min_seats(&self) -> u32 {
        self.min_seats
    }

    /// The most seats sold self-service; above it the UI offers "contact sales" (R5).
    pub fn max_seats(&self) -> u32 {
        self.max_seats
    }

    /// Whether `seats` lies within the tier's limits (R5).
    pub fn allows_seats(&self, seats: u32) -> bool {
        (self.min_seats..=self.max_seats).contains(&seats)
    }

    /// The features, in display order (the catalog's own language, English).
    pub fn features(&self) -> &[String] {
        &self.features
    }

    /// The features in the language `lang` (`it`, `en`), or the catalog's own when it has none
    /// in that language (issue 12: the customer reads features in the page's language).
    pub fn features_in(&self, lang: &str) -> &[String] {
        self.translations
            .get(lang)
            .map_or(&self.features, |texts| &texts.features)
    }

    /// This tier with its texts in the language `lang`, for readers other than serde.
    pub fn with_texts(mut self, lang: String, texts: TierTexts) -> Tier {
        self.translations.insert(lang, texts);
        self
    }

    /// The price per seat for one period of `frequency`, in `currency` (R6); `None` when the
    /// catalog does not sell in that currency.
    pub fn price(&self, currency: Currency, frequency: Frequency) -> Option<Money> {
        self.prices.get(&currency).map(|prices| match frequency {
            Frequency::Monthly => prices.monthly,
            Frequency::Annual => prices.annual,
        })
    }
}

/// A product sold per seat, independent of the others (R3).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Product {
    id: String,
    name: String,
    trial_days: u32,
    tiers: Vec<Tier>,
}

impl Product {
    /// A product as a catalog file describes it, checked when the catalog holding it is built
    /// (`Catalog::try_from`).
    pub fn new(id: String, name: String, trial_days: u32, tiers: Vec<Tier>) -> Product {
        Product {
            id,
            name,
            trial_days,
            tiers,
        }
    }

    /// The product id (`meeting`).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The display name (`Meeting`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// How many days a free trial lasts (R11).
    pub fn trial_days(&self) -> u32 {
        self.trial_days
    }

    /// The tiers, lowest rank first.
    pub fn tiers(&self) -> &[Tier] {
        &self.tiers
    }

    /// The tier with this id.
    pub fn tier(&self, id: &str) -> Option<&Tier> {
        self.tiers.iter().find(|tier| tier.id == id)
    }
}

/// The catalog file exactly as written; [`Catalog`] is the validated form (`Catalog::try_from`).
///
/// Public so that a reader other than serde (the web app's small JSON reader) can build a catalog
/// and have it validated by the same rules.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogInput {
    /// The catalog version every quote states (R7).
    pub version: String,
    /// The seller's country (R18).
    pub seller_country: Country,
    /// The currencies the catalog sells in, each once.
    pub currencies: Vec<Currency>,
    /// How to reach Customer Care.
    pub support: Support,
    /// The consumer VAT rates of EU member states, in percent.
    #[serde(with = "rates_as_strings")]
    pub vat_rates: BTreeMap<Country, Decimal>,
    /// The products, in catalog order.
    pub products: Vec<Product>,
}

/// VAT rates travel as strings (`"22"`), like every other decimal on the wire.
mod rates_as_strings {
    use std::collections::BTreeMap;

    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::country::Country;

    pub fn serialize<S: Serializer>(
        rates: &BTreeMap<Country, Decimal>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_map(
            rates
                .iter()
                .map(|(country, rate)| (country, rate.to_string())),
        )
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<BTreeMap<Country, Decimal>, D::Error> {
        let texts = BTreeMap::<Country, String>::deserialize(deserializer)?;
        texts
            .into_iter()
            .map(|(country, text)| {
                crate::money::parse_decimal(&text)
                    .map(|rate| (country, rate))
                    .ok_or_else(|| serde::de::Error::custom(format!("`{text}` is not a VAT rate")))
            })
            .collect()
    }
}

/// A validated catalog: every tier is priced in every currency the catalog sells in, ranks run
/// 1, 2, 3... within each product, seat limits are sane, ids are unique and VAT rates belong to EU
/// member states.
///
/// Serializes to the `GET /api/v1/catalog` shape of api.md.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "CatalogInput", into = "CatalogInput")]
pub struct Catalog {
    file: CatalogInput,
}

impl Catalog {
    /// The catalog compiled into the engine (version `2026-11-01`), parsed once.
    pub fn bundled() -> &'static Catalog {
        static BUNDLED: OnceLock<Catalog> = OnceLock::new();
        BUNDLED.get_or_init(|| {
            // The bundled file is checked by a unit test, so this cannot fail in a release.
            Catalog::from_json(BUNDLED_CATALOG_JSON).expect("the bundled catalog is valid")
        })
    }

    /// Reads and validates a catalog from its JSON text.
    pub fn from_json(text: &str) -> Result<Catalog, CatalogError> {
        let file: CatalogInput =
            serde_json::from_str(text).map_err(|error| CatalogError::Malformed {
                message: error.to_string(),
            })?;
        Catalog::try_from(file)
    }

    /// The catalog version every quote states (R7).
    pub fn version(&self) -> &str {
        &self.file.version
    }

    /// The seller's country, which decides reverse charge (R18).
    pub fn seller_country(&self) -> Country {
        self.file.seller_country
    }

    /// The currencies the catalog sells in.
    pub fn currencies(&self) -> &[Currency] {
        &self.file.currencies
    }

    /// Whether the catalog sells in `currency`.
    pub fn sells_in(&self, currency: Currency) -> bool {
        self.file.currencies.contains(&currency)
    }

    /// How to reach Customer Care.
    pub fn support(&self) -> &Support {
        &self.file.support
    }

    /// The consumer VAT rate of an EU member state, in percent (`22` for IT).
    pub fn vat_rate(&self, country: Country) -> Option<Decimal> {
        self.file.vat_rates.get(&country).copied()
    }

    /// The products, in catalog order.
    pub fn products(&self) -> &[Product] {
        &self.file.products
    }

    /// The product with this id.
    pub fn product(&self, id: &str) -> Option<&Product> {
        self.file.products.iter().find(|product| product.id == id)
    }
}

impl From<Catalog> for CatalogInput {
    fn from(catalog: Catalog) -> CatalogInput {
        catalog.file
    }
}

impl TryFrom<CatalogInput> for Catalog {
    type Error = CatalogError;

    fn try_from(mut file: CatalogInput) -> Result<Catalog, CatalogError> {
        if file.version.trim().is_empty() {
            return Err(CatalogError::MissingVersion);
        }
        // Sets are filled by `insert` rather than `collect` (which sorts first): the catalog is
        // also validated in the browser, and a sort would be linked into its bundle for this.
        let mut currencies = BTreeSet::new();
        for &currency in &file.currencies {
            currencies.insert(currency);
        }
        if currencies.is_empty() || currencies.len() != file.currencies.len() {
            return Err(CatalogError::BadCurrencies);
        }
        for (country, rate) in &file.vat_rates {
            if !country.is_eu_member() || rate.is_sign_negative() || *rate >= Decimal::ONE_HUNDRED {
                return Err(CatalogError::BadVatRate {
                    country: *country,
                    rate: *rate,
                });
            }
        }
        if file.products.is_empty() {
            return Err(CatalogError::NoProducts);
        }
        let mut product_ids = BTreeSet::new();
        for product in &mut file.products {
            if !product_ids.insert(product.id.clone()) {
                return Err(CatalogError::DuplicateId {
                    id: product.id.clone(),
                });
            }
            validate_product(product, &currencies)?;
        }
        Ok(Catalog { file })
    }
}

/// Orders tiers by rank (R4), keeping equal ranks in their order like `sort_by_key`.
///
/// An insertion sort: a product has a handful of tiers, and the standard library's stable sort
/// would add kilobytes to every browser bundle that runs the engine.
fn sort_by_rank(tiers: &mut [Tier]) {
    for sorted in 1..tiers.len() {
        let mut at = sorted;
        while at > 0 && tiers[at - 1].rank > tiers[at].rank {
            tiers.swap(at - 1, at);
            at -= 1;
        }
    }
}

fn validate_product(
    product: &mut Product,
    currencies: &BTreeSet<Currency>,
) -> Result<(), CatalogError> {
    let product_problem = |problem: &str| CatalogError::BadProduct {
        product: product.id.clone(),
        problem: problem.to_owned(),
    };
    if product.id.trim().is_empty() || product.name.trim().is_empty() {
        return Err(product_problem("id and name must not be empty"));
    }
    if product.trial_days == 0 {
        return Err(product_problem("a trial lasts at least one day"));
    }
    if product.tiers.is_empty() {
        return Err(product_problem("a product needs at least one tier"));
    }
    sort_by_rank(&mut product.tiers);
    let mut tier_ids = BTreeSet::new();
    for (index, tier) in product.tiers.iter().enumerate() {
        let tier_problem = |problem: String| CatalogError::BadTier {
            product: product.id.clone(),
            tier: tier.id.clone(),
            problem,
        };
        if !tier_ids.insert(tier.id.clone()) {
            return Err(CatalogError::DuplicateId {
                id: format!("{}/{}", product.id, tier.id),
            });
        }
        if tier.id.trim().is_empty() || tier.name.trim().is_empty() {
            return Err(tier_problem("id and name must not be empty".into()));
        }
        if usize::try_from(tier.rank).ok() != Some(index + 1) {
            return Err(tier_problem(format!(
                "ranks must run 1, 2, 3... without gaps; found rank {} in place {}",
                tier.rank,
                index + 1
            )));
        }
        if tier.min_seats == 0 || tier.min_seats > tier.max_seats {
            return Err(tier_problem(format!(
                "seat limits {}..{} must satisfy 1 <= min <= max",
                tier.min_seats, tier.max_seats
            )));
        }
        if !tier.prices.keys().eq(currencies.iter()) {
            return Err(tier_problem(
                "must have prices in exactly the catalog's currencies".into(),
            ));
        }
        for (currency, prices) in &tier.prices {
            for price in [prices.monthly, prices.annual] {
                if !price.is_positive() || currency.exact(price.amount()).is_none() {
                    return Err(tier_problem(format!(
                        "price {price} {currency} must be positive and exact to the minor unit"
                    )));
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn price(product: &str, tier: &str, currency: Currency, frequency: Frequency) -> String {
        Catalog::bundled()
            .product(product)
            .and_then(|p| p.tier(tier))
            .and_then(|t| t.price(currency, frequency))
            .map(|m| m.to_string())
            .unwrap_or_default()
    }

    #[test]
    fn features_come_in_the_language_asked_for_and_in_english_otherwise() {
        let tier = Catalog::bundled()
            .product("meeting")
            .and_then(|p| p.tier("professional"))
            .expect("tier");
        assert_eq!(
            tier.features_in("it")[0],
            "Riunioni fino a 150 partecipanti"
        );
        assert_eq!(tier.features_in("en"), tier.features());
        assert_eq!(tier.features_in("de"), tier.features());
    }

    #[test]
    fn a_catalog_built_from_its_parts_equals_the_parsed_one() {
        let bundled = Catalog::bundled();
        let mut input = CatalogInput::from(bundled.clone());
        input.products = input
            .products
            .iter()
            .map(|p| {
                let tiers = p
                    .tiers()
                    .iter()
                    .map(|t| {
                        let prices = bundled.currencies().iter().map(|&c| {
                            let price = |f| t.price(c, f).expect("priced");
                            (c, price(Frequency::Monthly), price(Frequency::Annual))
                        });
                        Tier::new(
                            t.id().into(),
                            t.name().into(),
                            t.rank(),
                            (t.min_seats(), t.max_seats()),
                            t.features().to_vec(),
                            prices,
                        )
                        .with_texts(
                            "it".into(),
                            TierTexts {
                                features: t.features_in("it").to_vec(),
                            },
                        )
                    })
                    .collect();
                Product::new(p.id().into(), p.name().into(), p.trial_days(), tiers)
            })
            .collect();
        assert_eq!(Catalog::try_from(input.clone()).as_ref(), Ok(bundled));
        input.products[0].tiers = Vec::new();
        assert!(Catalog::try_from(input).is_err());
    }

    #[test]
    fn the_bundled_catalog_has_exactly_the_price_table_of_the_rules() {
        use Currency::{Eur, Gbp, Usd};
        use Frequency::{Annual, Monthly};
        let table = [
            (
                "meeting",
                "professional",
                1,
                250,
                ["14.00", "144.00", "16.00", "168.00", "12.00", "126.00"],
            ),
            (
                "meeting",
                "business",
                2,
                250,
                ["19.00", "192.00", "22.00", "228.00", "17.00", "174.00"],
            ),
            (
                "webinar",
                "lite",
                1,
                50,
                ["59.00", "588.00", "65.00", "648.00", "52.00", "516.00"],
            ),
            (
                "webinar",
                "standard",
                2,
                50,
                [
                    "129.00", "1188.00", "139.00", "1308.00", "112.00", "1044.00",
                ],
            ),
            (
                "webinar",
                "pro",
                3,
                50,
                [
                    "249.00", "2388.00", "269.00", "2628.00", "219.00", "2100.00",
                ],
            ),
            (
                "remote-support",
                "standard",
                1,
                100,
                ["44.00", "420.00", "49.00", "468.00", "39.00", "372.00"],
            ),
            (
                "remote-support",
                "premium",
                2,
                100,
                ["66.00", "636.00", "73.00", "708.00", "58.00", "564.00"],
            ),
        ];
        let catalog = Catalog::bundled();
        assert_eq!(catalog.version(), "2026-11-01");
        assert_eq!(catalog.seller_country().code(), "IE");
        let tier_count: usize = catalog.products().iter().map(|p| p.tiers().len()).sum();
        assert_eq!(tier_count, table.len());
        for (product, tier, rank, max, prices) in table {
            let found = catalog
                .product(product)
                .and_then(|p| p.tier(tier))
                .expect("tier exists");
            assert_eq!(
                (found.rank(), found.min_seats(), found.max_seats()),
                (rank, 1, max)
            );
            let cells = [
                (Eur, Monthly),
                (Eur, Annual),
                (Usd, Monthly),
                (Usd, Annual),
                (Gbp, Monthly),
                (Gbp, Annual),
            ];
            for ((currency, frequency), expected) in cells.into_iter().zip(prices) {
                assert_eq!(
                    price(product, tier, currency, frequency),
                    expected,
                    "{product}/{tier} {currency} {frequency:?}"
                );
            }
        }
        for product in catalog.products() {
            assert_eq!(product.trial_days(), 14);
        }
        let rate = |code: &str| {
            code.parse()
                .ok()
                .and_then(|c| catalog.vat_rate(c))
                .map(|r| r.to_string())
        };
        for (code, expected) in [
            ("IT", "22"),
            ("DE", "19"),
            ("FR", "20"),
            ("ES", "21"),
            ("IE", "23"),
            ("NL", "21"),
        ] {
            assert_eq!(rate(code).as_deref(), Some(expected));
        }
    }

    #[test]
    fn the_catalog_serializes_to_the_api_shape_and_back() {
        let json = serde_json::to_value(Catalog::bundled()).expect("serializes");
        assert_eq!(json["vat_rates"]["IT"], "22");
        assert_eq!(
            json["products"][0]["tiers"][0]["prices"]["EUR"]["monthly"],
            "14.00"
        );
        assert_eq!(json["currencies"], serde_json::json!(["EUR", "USD", "GBP"]));
        let again = Catalog::from_json(&json.to_string()).expect("reads back");
        assert_eq!(&again, Catalog::bundled());
    }

    fn edited(edit: impl FnOnce(&mut serde_json::Value)) -> Result<Catalog, CatalogError> {
        let mut json: serde_json::Value =
            serde_json::from_str(BUNDLED_CATALOG_JSON).expect("bundled JSON");
        edit(&mut json);
        Catalog::from_json(&json.to_string())
    }

    #[test]
    fn a_tier_without_a_price_in_a_sold_currency_is_refused() {
        let result = edited(|json| {
            if let Some(prices) = json["products"][0]["tiers"][0]["prices"].as_object_mut() {
                prices.remove("GBP");
            }
        });
        assert!(matches!(result, Err(CatalogError::BadTier { .. })));
    }

    #[test]
    fn a_price_finer_than_a_cent_is_refused() {
        let result = edited(|json| {
            json["products"][0]["tiers"][0]["prices"]["EUR"]["monthly"] = "14.005".into()
        });
        assert!(matches!(result, Err(CatalogError::BadTier { .. })));
    }

    #[test]
    fn ranks_with_gaps_are_refused() {
        let result = edited(|json| json["products"][0]["tiers"][1]["rank"] = 3.into());
        assert!(matches!(result, Err(CatalogError::BadTier { .. })));
    }

    #[test]
    fn duplicate_product_ids_are_refused() {
        let result = edited(|json| json["products"][1]["id"] = "meeting".into());
        assert_eq!(
            result,
            Err(CatalogError::DuplicateId {
                id: "meeting".into()
            })
        );
    }

    #[test]
    fn unknown_fields_and_json_numbers_for_prices_are_refused() {
        assert!(matches!(
            edited(|json| json["extra"] = 1.into()),
            Err(CatalogError::Malformed { .. })
        ));
        let numeric =
            edited(|json| json["products"][0]["tiers"][0]["prices"]["EUR"]["monthly"] = 14.into());
        assert!(matches!(numeric, Err(CatalogError::Malformed { .. })));
    }

    #[test]
    fn vat_rates_outside_the_eu_are_refused() {
        let result = edited(|json| json["vat_rates"]["US"] = "7".into());
        assert!(matches!(result, Err(CatalogError::BadVatRate { .. })));
    }

    #[test]
    fn tiers_are_ordered_by_rank_whatever_the_file_order() {
        let catalog = edited(|json| {
            if let Some(tiers) = json["products"][1]["tiers"].as_array_mut() {
                tiers.reverse();
            }
        })
        .expect("valid");
        let ranks: Vec<u32> = catalog.products()[1]
            .tiers()
            .iter()
            .map(Tier::rank)
            .collect();
        assert_eq!(ranks, vec![1, 2, 3]);
    }
}
