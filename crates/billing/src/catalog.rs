//! The catalog (R6, R7): products, ranked tiers, seat limits, prices, trial length, VAT rates, the
//! seller's country and the support contact, read from one versioned JSON file and validated into
//! domain types. The default catalog is compiled in, so quotes work offline.
//!
//! There is one reader of the catalog's JSON (issue 13), `catalog/read.rs`, over the `json-text`
//! tree rather than serde: the order server, the CLI, the checkout, the quote page and the pricing
//! widget all read a catalog through [`Catalog::from_json`] (a file) or [`Catalog::from_answer`]
//! (the answer of `GET /api/v1/catalog`), and the browser bundles would carry serde's derived
//! readers otherwise (docs/performance.md). The catalog is still written by serde (`Serialize`),
//! which is how the server answers with it.

mod read;

use std::sync::OnceLock;

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

use crate::country::Country;
use crate::money::{Currency, Money};
use crate::period::Frequency;

/// The default catalog file, version `2026-11-01`, with exactly the price table of the rules.
pub const BUNDLED_CATALOG_JSON: &str = include_str!("../catalog/2026-11-01.json");

/// Why a catalog was refused.
///
/// The variants carry the data of the refusal, never a message built in advance: the browser
/// bundles read catalogs too and drop the reason, so no formatting code is linked into them for it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogError {
    /// The text is not JSON.
    #[error("the catalog is not JSON")]
    NotJson,
    /// A member of the catalog's shape is missing or holds a value of another type (a number
    /// where a price, which is a string, belongs; an unknown currency or country code).
    #[error("the catalog's member `{member}` is missing or not of its type")]
    BadMember {
        /// The member's name in the catalog's shape (`monthly`, `tiers`).
        member: &'static str,
    },
    /// A member the catalog's shape does not have, or a member given twice: refused in a catalog
    /// file (S63), and in any catalog for the keys of its maps (prices by currency, VAT rates by
    /// country, texts by language), which cannot hold a key twice.
    #[error("the catalog's member `{member}` is unknown or given twice")]
    UnknownMember {
        /// The member's name as written.
        member: String,
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
        /// The repeated id (`product/tier` for a tier).
        id: String,
    },
    /// A product's fields are out of range.
    #[error("product `{product}`: {problem}")]
    BadProduct {
        /// The product id.
        product: String,
        /// What is wrong.
        problem: ProductProblem,
    },
    /// A tier's fields are out of range.
    #[error("tier `{product}/{tier}`: {problem}")]
    BadTier {
        /// The product id.
        product: String,
        /// The tier id.
        tier: String,
        /// What is wrong.
        problem: TierProblem,
    },
}

/// What is wrong with a product of the catalog ([`CatalogError::BadProduct`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ProductProblem {
    /// The id or the name is empty.
    #[error("id and name must not be empty")]
    NoName,
    /// The trial lasts zero days (R11).
    #[error("a trial lasts at least one day")]
    NoTrial,
    /// The product has no tier.
    #[error("a product needs at least one tier")]
    NoTiers,
}

/// What is wrong with a tier of the catalog ([`CatalogError::BadTier`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TierProblem {
    /// The id or the name is empty.
    #[error("id and name must not be empty")]
    NoName,
    /// The ranks of the product's tiers do not run 1, 2, 3... (R4).
    #[error("ranks must run 1, 2, 3... without gaps; found rank {rank} in place {place}")]
    Rank {
        /// The tier's rank as written.
        rank: u32,
        /// The tier's place among its product's tiers ordered by rank, from 1.
        place: usize,
    },
    /// The seat limits are not `1 <= min <= max` (R5).
    #[error("seat limits {min}..{max} must satisfy 1 <= min <= max")]
    Seats {
        /// The fewest seats, as written.
        min: u32,
        /// The most seats, as written.
        max: u32,
    },
    /// The tier is not priced in exactly the currencies the catalog sells in (R6).
    #[error("must have prices in exactly the catalog's currencies")]
    Currencies,
    /// A price is zero or below, or finer than the currency's minor unit (R6, R17).
    #[error("price {price} {currency} must be positive and exact to the minor unit")]
    Price {
        /// The currency of the price.
        currency: Currency,
        /// The price as written.
        price: Money,
    },
}

/// How to reach Customer Care, for downgrades (R4) and refunds of credit (R19).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Support {
    /// The phone number, as it is printed.
    pub phone: String,
    /// The support web page.
    pub url: String,
}

/// The per-seat prices of a tier in one currency (R6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
struct TierPrices {
    monthly: Money,
    annual: Money,
}

/// A tier's texts in one more language than the catalog's own (English) texts (R7: the catalog
/// is data, its texts included).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
struct TierTexts {
    features: Vec<String>,
}

/// A tier of a product: its rank, seat limits, features and prices (R4, R5, R6).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Tier {
    id: String,
    name: String,
    rank: u32,
    min_seats: u32,
    max_seats: u32,
    features: Vec<String>,
    /// The tier's texts in other languages, by language code (`it`), ordered by it; absent in
    /// older catalogs.
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "as_map")]
    translations: Vec<(String, TierTexts)>,
    /// The prices by currency, in the order of the catalog's currencies.
    #[serde(serialize_with = "as_map")]
    prices: Vec<(Currency, TierPrices)>,
}

impl Tier {
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
            .iter()
            .find(|(code, _)| code == lang)
            .map_or(&self.features, |(_, texts)| &texts.features)
    }

    /// The price per seat for one period of `frequency`, in `currency` (R6); `None` when the
    /// catalog does not sell in that currency.
    pub fn price(&self, currency: Currency, frequency: Frequency) -> Option<Money> {
        let (_, prices) = self.prices.iter().find(|(code, _)| *code == currency)?;
        Some(match frequency {
            Frequency::Monthly => prices.monthly,
            Frequency::Annual => prices.annual,
        })
    }
}

/// A product sold per seat, independent of the others (R3).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Product {
    id: String,
    name: String,
    trial_days: u32,
    tiers: Vec<Tier>,
}

impl Product {
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

/// The catalog file exactly as written, read by [`read`]; [`Catalog`] is its validated form
/// ([`Catalog::validate`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
struct CatalogFile {
    version: String,
    seller_country: Country,
    currencies: Vec<Currency>,
    support: Support,
    /// The VAT rates by country, ordered by country code. They travel as strings (`"22"`), like
    /// every other decimal on the wire.
    #[serde(serialize_with = "rates_as_strings")]
    vat_rates: Vec<(Country, Decimal)>,
    products: Vec<Product>,
}

// The catalog's maps are vectors of pairs rather than `BTreeMap`s: they hold a handful of entries,
// and each map type would link a B-tree's code into the browser bundles that read a catalog
// (about 2 KB of WebAssembly per type).

/// Writes pairs as a JSON object.
fn as_map<K: Serialize, V: Serialize, S: Serializer>(
    pairs: &[(K, V)],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_map(pairs.iter().map(|(key, value)| (key, value)))
}

/// Writes the VAT rates as an object of strings (`"22"`).
fn rates_as_strings<S: Serializer>(
    rates: &[(Country, Decimal)],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_map(
        rates
            .iter()
            .map(|(country, rate)| (country, rate.to_string())),
    )
}

/// A validated catalog: every tier is priced in every currency the catalog sells in, ranks run
/// 1, 2, 3... within each product, seat limits are sane, ids are unique and VAT rates belong to EU
/// member states.
///
/// Serializes to the `GET /api/v1/catalog` shape of api.md.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Catalog {
    file: CatalogFile,
}

impl Catalog {
    /// The catalog compiled into the engine (version `2026-11-01`), parsed once.
    ///
    /// It is read as an answer is ([`Catalog::from_answer`]), so that a bundle reading both links
    /// one reader; a unit test reads the file strictly as well.
    pub fn bundled() -> &'static Catalog {
        static BUNDLED: OnceLock<Catalog> = OnceLock::new();
        BUNDLED.get_or_init(|| {
            // The bundled file is checked by a unit test, so this cannot fail in a release.
            Catalog::from_answer(BUNDLED_CATALOG_JSON).expect("the bundled catalog is valid")
        })
    }

    /// Reads and validates a catalog file (the CLI's `--catalog`): a member the catalog's shape
    /// does not have, or one given twice, is refused, so that a misspelt optional member is not
    /// read as absent (S63).
    pub fn from_json(text: &str) -> Result<Catalog, CatalogError> {
        let json = json_text::parse(text).ok_or(CatalogError::NotJson)?;
        read::known_members(&json)?;
        Catalog::validate(read::catalog(&json)?)
    }

    /// Reads and validates the answer of `GET /api/v1/catalog` (the checkout, the widget): as
    /// every reader of the API does, it ignores members it does not know, which a later server
    /// may add (S63). Everything else is checked as in [`Catalog::from_json`].
    pub fn from_answer(text: &str) -> Result<Catalog, CatalogError> {
        let json = json_text::parse(text).ok_or(CatalogError::NotJson)?;
        Catalog::validate(read::catalog(&json)?)
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
        let (_, rate) = self
            .file
            .vat_rates
            .iter()
            .find(|(code, _)| *code == country)?;
        Some(*rate)
    }

    /// The products, in catalog order.
    pub fn products(&self) -> &[Product] {
        &self.file.products
    }

    /// The product with this id.
    pub fn product(&self, id: &str) -> Option<&Product> {
        self.file.products.iter().find(|product| product.id == id)
    }

    /// Checks a catalog as read, and puts its lists in one order whatever the file's (tiers by
    /// rank, prices by the catalog's currencies, rates and texts by their codes), so that two
    /// readings of one catalog are equal.
    fn validate(mut file: CatalogFile) -> Result<Catalog, CatalogError> {
        if file.version.trim().is_empty() {
            return Err(CatalogError::MissingVersion);
        }
        let currencies = &file.currencies;
        let repeated = (1..currencies.len()).any(|at| currencies[..at].contains(&currencies[at]));
        if currencies.is_empty() || repeated {
            return Err(CatalogError::BadCurrencies);
        }
        for &(country, rate) in &file.vat_rates {
            if !country.is_eu_member() || rate.is_sign_negative() || rate >= Decimal::ONE_HUNDRED {
                return Err(CatalogError::BadVatRate { country, rate });
            }
        }
        sort_by(&mut file.vat_rates, |a, b| a.0 < b.0);
        if file.products.is_empty() {
            return Err(CatalogError::NoProducts);
        }
        for at in 0..file.products.len() {
            let (earlier, rest) = file.products.split_at_mut(at);
            let product = &mut rest[0];
            if earlier.iter().any(|other| other.id == product.id) {
                return Err(CatalogError::DuplicateId {
                    id: product.id.clone(),
                });
            }
            validate_product(product, &file.currencies)?;
        }
        Ok(Catalog { file })
    }
}

/// Orders `items` so that none comes `before` one ahead of it, keeping items that are not
/// `before` each other in their order (a stable sort).
///
/// An insertion sort: the catalog's lists have a handful of items, and the standard library's
/// stable sort would add kilobytes to every browser bundle that reads a catalog.
fn sort_by<T>(items: &mut [T], before: impl Fn(&T, &T) -> bool) {
    for sorted in 1..items.len() {
        let mut at = sorted;
        while at > 0 && before(&items[at], &items[at - 1]) {
            items.swap(at - 1, at);
            at -= 1;
        }
    }
}

fn validate_product(product: &mut Product, currencies: &[Currency]) -> Result<(), CatalogError> {
    let product_problem = |problem| CatalogError::BadProduct {
        product: product.id.clone(),
        problem,
    };
    if product.id.trim().is_empty() || product.name.trim().is_empty() {
        return Err(product_problem(ProductProblem::NoName));
    }
    if product.trial_days == 0 {
        return Err(product_problem(ProductProblem::NoTrial));
    }
    if product.tiers.is_empty() {
        return Err(product_problem(ProductProblem::NoTiers));
    }
    sort_by(&mut product.tiers, |a, b| a.rank < b.rank);
    for index in 0..product.tiers.len() {
        let (earlier, rest) = product.tiers.split_at_mut(index);
        let tier = &mut rest[0];
        let tier_problem = |problem| CatalogError::BadTier {
            product: product.id.clone(),
            tier: tier.id.clone(),
            problem,
        };
        if earlier.iter().any(|other| other.id == tier.id) {
            // Joined rather than `format!`ted, which would link the formatting machinery into
            // the bundles for an error they drop.
            return Err(CatalogError::DuplicateId {
                id: [product.id.as_str(), "/", tier.id.as_str()].concat(),
            });
        }
        if tier.id.trim().is_empty() || tier.name.trim().is_empty() {
            return Err(tier_problem(TierProblem::NoName));
        }
        if usize::try_from(tier.rank).ok() != Some(index + 1) {
            return Err(tier_problem(TierProblem::Rank {
                rank: tier.rank,
                place: index + 1,
            }));
        }
        if tier.min_seats == 0 || tier.min_seats > tier.max_seats {
            return Err(tier_problem(TierProblem::Seats {
                min: tier.min_seats,
                max: tier.max_seats,
            }));
        }
        // Exactly the catalog's currencies (the reader refuses one given twice), put in their
        // order.
        let mut prices = Vec::with_capacity(currencies.len());
        for &currency in currencies {
            match tier.prices.iter().find(|(code, _)| *code == currency) {
                Some(&priced) => prices.push(priced),
                None => return Err(tier_problem(TierProblem::Currencies)),
            }
        }
        if prices.len() != tier.prices.len() {
            return Err(tier_problem(TierProblem::Currencies));
        }
        for &(currency, prices) in &prices {
            for price in [prices.monthly, prices.annual] {
                if !price.is_positive() || currency.exact(price.amount()).is_none() {
                    return Err(tier_problem(TierProblem::Price { currency, price }));
                }
            }
        }
        tier.prices = prices;
        sort_by(&mut tier.translations, |a, b| a.0 < b.0);
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

    /// An edit of the bundled catalog's JSON.
    type Edit = fn(&mut serde_json::Value);

    /// The bundled catalog's text with `edit` made to it.
    fn edited_text(edit: impl FnOnce(&mut serde_json::Value)) -> String {
        let mut json: serde_json::Value =
            serde_json::from_str(BUNDLED_CATALOG_JSON).expect("bundled JSON");
        edit(&mut json);
        json.to_string()
    }

    /// The bundled catalog with `edit` made to it, read as a file.
    fn edited(edit: impl FnOnce(&mut serde_json::Value)) -> Result<Catalog, CatalogError> {
        Catalog::from_json(&edited_text(edit))
    }

    fn tier_problem(product: &str, tier: &str, problem: TierProblem) -> CatalogError {
        CatalogError::BadTier {
            product: product.into(),
            tier: tier.into(),
            problem,
        }
    }

    #[test]
    fn the_bundled_file_reads_strictly_as_it_reads_as_an_answer() {
        let strict = Catalog::from_json(BUNDLED_CATALOG_JSON).expect("the bundled file is valid");
        assert_eq!(&strict, Catalog::bundled());
    }

    #[test]
    fn a_file_with_an_unknown_or_repeated_member_is_refused_and_an_answer_is_not() {
        // S63: a misspelt optional member of a file is refused rather than read as absent.
        let misspelt = BUNDLED_CATALOG_JSON.replacen("\"translations\"", "\"translation\"", 1);
        assert_eq!(
            Catalog::from_json(&misspelt),
            Err(CatalogError::UnknownMember {
                member: "translation".into()
            })
        );
        let read = Catalog::from_answer(&misspelt).expect("an answer ignores it");
        assert_ne!(
            read.products()[0].tiers()[0].features_in("it"),
            Catalog::bundled().products()[0].tiers()[0].features_in("it"),
            "the misspelt member's texts are not read"
        );
        for (edit, member) in [
            (edited_text(|json| json["extra"] = 1.into()), "extra"),
            (
                edited_text(|json| json["support"]["email"] = "a@b.example".into()),
                "email",
            ),
            (
                edited_text(|json| {
                    json["products"][0]["tiers"][0]["prices"]["EUR"]["weekly"] = "1.00".into()
                }),
                "weekly",
            ),
            (
                BUNDLED_CATALOG_JSON.replacen(
                    "\"trial_days\": 14,",
                    "\"trial_days\": 14, \"trial_days\": 7,",
                    1,
                ),
                "trial_days",
            ),
            (
                BUNDLED_CATALOG_JSON.replacen(
                    "\"IT\": \"22\",",
                    "\"IT\": \"22\", \"IT\": \"4\",",
                    1,
                ),
                "IT",
            ),
        ] {
            assert_eq!(
                Catalog::from_json(&edit),
                Err(CatalogError::UnknownMember {
                    member: member.into()
                }),
                "{member}"
            );
        }
        let with_extra = edited_text(|json| json["extra"] = 1.into());
        assert_eq!(
            Catalog::from_answer(&with_extra).as_ref(),
            Ok(Catalog::bundled())
        );
    }

    #[test]
    fn the_order_of_a_map_s_keys_does_not_matter_and_a_key_given_twice_is_refused() {
        // The server's answer lists a map's keys in their order (the contract's `BTreeMap`), the
        // file in its own: both read as one catalog.
        let reordered = BUNDLED_CATALOG_JSON
            .replacen(r#""IT": "22", "DE": "19""#, r#""DE": "19", "IT": "22""#, 1)
            .replacen(
                r#""EUR": { "monthly": "14.00", "annual": "144.00" },
            "USD": { "monthly": "16.00", "annual": "168.00" },"#,
                r#""USD": { "monthly": "16.00", "annual": "168.00" },
            "EUR": { "monthly": "14.00", "annual": "144.00" },"#,
                1,
            );
        assert_ne!(reordered, BUNDLED_CATALOG_JSON);
        let read = Catalog::from_json(&reordered).expect("valid");
        assert_eq!(&read, Catalog::bundled());
        let tier = &read.products()[0].tiers()[0];
        let price = |currency| {
            tier.price(currency, Frequency::Monthly)
                .map(|m| m.to_string())
        };
        assert_eq!(price(Currency::Usd).as_deref(), Some("16.00"));
        assert_eq!(price(Currency::Eur).as_deref(), Some("14.00"));
        // A key given twice is refused in an answer too: a map cannot hold both.
        let twice = [
            (r#""IT": "22","#, r#""IT": "22", "IT": "4","#, "IT"),
            (
                r#""EUR": { "monthly": "14.00", "annual": "144.00" },"#,
                r#""EUR": { "monthly": "14.00", "annual": "144.00" }, "EUR": { "monthly": "1.00", "annual": "1.00" },"#,
                "EUR",
            ),
        ];
        for (once, repeated, key) in twice {
            let text = BUNDLED_CATALOG_JSON.replacen(once, repeated, 1);
            let refused = Err(CatalogError::UnknownMember { member: key.into() });
            assert_eq!(Catalog::from_answer(&text), refused);
            assert_eq!(Catalog::from_json(&text), refused);
        }
    }

    #[test]
    fn a_text_that_is_not_json_is_refused() {
        for text in [
            "",
            "<html>",
            &BUNDLED_CATALOG_JSON[..BUNDLED_CATALOG_JSON.len() - 2],
        ] {
            assert_eq!(Catalog::from_json(text), Err(CatalogError::NotJson));
            assert_eq!(Catalog::from_answer(text), Err(CatalogError::NotJson));
        }
    }

    #[test]
    fn a_missing_member_or_one_of_another_type_is_named() {
        let cases: [(Edit, &str); 9] = [
            (|json| json["version"] = serde_json::Value::Null, "version"),
            (
                |json| json["currencies"] = serde_json::json!(["EUR", "CHF"]),
                "currencies",
            ),
            (
                |json| json["seller_country"] = "ie".into(),
                "seller_country",
            ),
            (|json| json["vat_rates"]["IT"] = 22.into(), "vat_rates"),
            (|json| json["support"] = "+353".into(), "phone"),
            (
                |json| json["products"][0]["trial_days"] = "14".into(),
                "trial_days",
            ),
            (
                |json| json["products"][0]["tiers"][0]["min_seats"] = (-1).into(),
                "min_seats",
            ),
            (
                |json| json["products"][0]["tiers"][0]["features"][1] = 2.into(),
                "features",
            ),
            (
                |json| json["products"][0]["tiers"][0]["prices"]["EUR"]["monthly"] = 14.into(),
                "monthly",
            ),
        ];
        for (edit, member) in cases {
            assert_eq!(
                edited(edit),
                Err(CatalogError::BadMember { member }),
                "{member}"
            );
            assert_eq!(
                Catalog::from_answer(&edited_text(edit)),
                Err(CatalogError::BadMember { member }),
                "{member}"
            );
        }
    }

    #[test]
    fn a_tier_without_a_price_in_a_sold_currency_is_refused() {
        let result = edited(|json| {
            if let Some(prices) = json["products"][0]["tiers"][0]["prices"].as_object_mut() {
                prices.remove("GBP");
            }
        });
        assert_eq!(
            result,
            Err(tier_problem(
                "meeting",
                "professional",
                TierProblem::Currencies
            ))
        );
    }

    #[test]
    fn a_price_finer_than_a_cent_or_not_above_zero_is_refused() {
        let result = edited(|json| {
            json["products"][0]["tiers"][0]["prices"]["EUR"]["monthly"] = "14.005".into()
        });
        let problem = TierProblem::Price {
            currency: Currency::Eur,
            price: "14.005".parse().expect("an amount"),
        };
        assert_eq!(
            result,
            Err(tier_problem("meeting", "professional", problem))
        );
        let error = result.expect_err("refused").to_string();
        assert!(error.contains("14.005 EUR"), "{error}");
        let result = edited(|json| {
            json["products"][1]["tiers"][0]["prices"]["USD"]["annual"] = "0.00".into()
        });
        let problem = TierProblem::Price {
            currency: Currency::Usd,
            price: "0.00".parse().expect("an amount"),
        };
        assert_eq!(result, Err(tier_problem("webinar", "lite", problem)));
    }

    #[test]
    fn ranks_with_gaps_are_refused() {
        let result = edited(|json| json["products"][0]["tiers"][1]["rank"] = 3.into());
        let problem = TierProblem::Rank { rank: 3, place: 2 };
        assert_eq!(result, Err(tier_problem("meeting", "business", problem)));
    }

    #[test]
    fn seat_limits_names_and_trials_out_of_range_are_refused() {
        let result = edited(|json| json["products"][0]["tiers"][0]["min_seats"] = 300.into());
        let problem = TierProblem::Seats { min: 300, max: 250 };
        assert_eq!(
            result,
            Err(tier_problem("meeting", "professional", problem))
        );
        let result = edited(|json| json["products"][0]["tiers"][0]["name"] = " ".into());
        let problem = TierProblem::NoName;
        assert_eq!(
            result,
            Err(tier_problem("meeting", "professional", problem))
        );
        let product = |problem| {
            Err(CatalogError::BadProduct {
                product: "webinar".into(),
                problem,
            })
        };
        let result = edited(|json| json["products"][1]["name"] = "".into());
        assert_eq!(result, product(ProductProblem::NoName));
        let result = edited(|json| json["products"][1]["trial_days"] = 0.into());
        assert_eq!(result, product(ProductProblem::NoTrial));
        let result = edited(|json| json["products"][1]["tiers"] = serde_json::json!([]));
        assert_eq!(result, product(ProductProblem::NoTiers));
        let result = edited(|json| json["products"] = serde_json::json!([]));
        assert_eq!(result, Err(CatalogError::NoProducts));
        let result = edited(|json| json["version"] = "".into());
        assert_eq!(result, Err(CatalogError::MissingVersion));
        let result = edited(|json| json["currencies"] = serde_json::json!(["EUR", "EUR"]));
        assert_eq!(result, Err(CatalogError::BadCurrencies));
    }

    #[test]
    fn duplicate_product_and_tier_ids_are_refused() {
        let result = edited(|json| json["products"][1]["id"] = "meeting".into());
        assert_eq!(
            result,
            Err(CatalogError::DuplicateId {
                id: "meeting".into()
            })
        );
        let result = edited(|json| json["products"][0]["tiers"][1]["id"] = "professional".into());
        assert_eq!(
            result,
            Err(CatalogError::DuplicateId {
                id: "meeting/professional".into()
            })
        );
    }

    #[test]
    fn vat_rates_outside_the_eu_or_out_of_range_are_refused() {
        let result = edited(|json| json["vat_rates"]["US"] = "7".into());
        assert_eq!(
            result,
            Err(CatalogError::BadVatRate {
                country: "US".parse().expect("a country"),
                rate: Decimal::from(7),
            })
        );
        let result = edited(|json| json["vat_rates"]["IT"] = "100".into());
        assert!(
            matches!(result, Err(CatalogError::BadVatRate { .. })),
            "{result:?}"
        );
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
