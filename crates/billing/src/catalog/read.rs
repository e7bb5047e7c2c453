//! The one reader of the catalog's JSON (issue 13): the parsed `json-text` tree of a catalog file
//! or of the answer of `GET /api/v1/catalog` into the file's shape, which `Catalog::validate` then
//! checks.
//!
//! Members are picked by name, so a member the shape does not have is ignored here; a catalog
//! file is refused for one by [`known_members`] before it is read (S63). The objects that are
//! maps (prices by currency, VAT rates by country, texts by language) are read into vectors of
//! pairs, a key given twice refused.

use std::str::FromStr;

use json_text::Json;
use rust_decimal::Decimal;

use super::{CatalogError, CatalogFile, Product, Support, Tier, TierPrices, TierTexts};
use crate::country::Country;
use crate::money::{Money, parse_digits};

type Read<T> = Result<T, CatalogError>;

/// The refusal of `member`: missing, or holding a value of another type.
fn bad(member: &'static str) -> CatalogError {
    CatalogError::BadMember { member }
}

fn member<'a>(v: &'a Json, key: &'static str) -> Read<&'a Json> {
    v.get(key).ok_or(bad(key))
}

/// The members of the object `key` of `v`.
fn object<'a>(v: &'a Json, key: &'static str) -> Read<&'a [(String, Json)]> {
    member(v, key)?.as_object().ok_or(bad(key))
}

/// A string member.
fn text(v: &Json, key: &'static str) -> Read<String> {
    member(v, key)?.as_str().map(str::to_owned).ok_or(bad(key))
}

/// A string member read as `T` (a country).
fn parsed<T: FromStr>(v: &Json, key: &'static str) -> Read<T> {
    member(v, key)?
        .as_str()
        .and_then(|text| text.parse().ok())
        .ok_or(bad(key))
}

/// A price member, written with digits only ([`parse_digits`]).
fn amount(v: &Json, key: &'static str) -> Read<Money> {
    member(v, key)?
        .as_str()
        .and_then(Money::from_digits)
        .ok_or(bad(key))
}

/// An integer member (a JSON number without a fraction or a sign).
fn number(v: &Json, key: &'static str) -> Read<u32> {
    member(v, key)?.number().ok_or(bad(key))
}

/// An array member, each item read by `read`.
///
/// A plain loop rather than collecting into `Result<Vec<T>, _>`: that collect's iterator
/// adapters are compiled for every item type into more code than this loop (bundle size).
fn list<T>(v: &Json, key: &'static str, read: impl Fn(&Json) -> Read<T>) -> Read<Vec<T>> {
    let items = member(v, key)?.as_array().ok_or(bad(key))?;
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        out.push(read(item)?);
    }
    Ok(out)
}

/// An array member of strings (features).
fn texts(v: &Json, key: &'static str) -> Read<Vec<String>> {
    list(v, key, |item| {
        item.as_str().map(str::to_owned).ok_or(bad(key))
    })
}

/// Adds `key` and `value` to the pairs of an object read as a map, refusing a key given twice,
/// which a map cannot hold; `written` is the key as written.
fn insert<K: PartialEq, V>(pairs: &mut Vec<(K, V)>, key: K, value: V, written: &str) -> Read<()> {
    if pairs.iter().any(|(other, _)| *other == key) {
        return Err(CatalogError::UnknownMember {
            member: written.to_owned(),
        });
    }
    pairs.push((key, value));
    Ok(())
}

/// Reads a parsed catalog into the file's shape, not yet validated.
pub(super) fn catalog(v: &Json) -> Read<CatalogFile> {
    Ok(CatalogFile {
        version: text(v, "version")?,
        seller_country: parsed(v, "seller_country")?,
        currencies: list(v, "currencies", |code| {
            code.as_str()
                .and_then(|code| code.parse().ok())
                .ok_or(bad("currencies"))
        })?,
        support: {
            let support = member(v, "support")?;
            Support {
                phone: text(support, "phone")?,
                url: text(support, "url")?,
            }
        },
        vat_rates: vat_rates(v)?,
        products: list(v, "products", |p| {
            Ok(Product {
                id: text(p, "id")?,
                name: text(p, "name")?,
                trial_days: number(p, "trial_days")?,
                tiers: list(p, "tiers", tier)?,
            })
        })?,
    })
}

/// The VAT rates by country, written as strings (`"22"`).
fn vat_rates(v: &Json) -> Read<Vec<(Country, Decimal)>> {
    let mut rates = Vec::new();
    for (code, rate) in object(v, "vat_rates")? {
        let country = code.parse().map_err(|_| bad("vat_rates"))?;
        let rate = rate
            .as_str()
            .and_then(parse_digits)
            .ok_or(bad("vat_rates"))?;
        insert(&mut rates, country, rate, code)?;
    }
    Ok(rates)
}

fn tier(t: &Json) -> Read<Tier> {
    let mut prices = Vec::new();
    for (code, price) in object(t, "prices")? {
        let currency = code.parse().map_err(|_| bad("prices"))?;
        let price = TierPrices {
            monthly: amount(price, "monthly")?,
            annual: amount(price, "annual")?,
        };
        insert(&mut prices, currency, price, code)?;
    }
    // The tier's texts in other languages are optional (issue 12).
    let mut translations = Vec::new();
    if t.get("translations").is_some() {
        for (lang, texts_in) in object(t, "translations")? {
            let features = texts(texts_in, "features")?;
            insert(
                &mut translations,
                lang.clone(),
                TierTexts { features },
                lang,
            )?;
        }
    }
    Ok(Tier {
        id: text(t, "id")?,
        name: text(t, "name")?,
        rank: number(t, "rank")?,
        min_seats: number(t, "min_seats")?,
        max_seats: number(t, "max_seats")?,
        features: texts(t, "features")?,
        translations,
        prices,
    })
}

/// The members of each object of the catalog's shape.
const CATALOG: &[&str] = &[
    "version",
    "seller_country",
    "currencies",
    "support",
    "vat_rates",
    "products",
];
const SUPPORT: &[&str] = &["phone", "url"];
const PRODUCT: &[&str] = &["id", "name", "trial_days", "tiers"];
const TIER: &[&str] = &[
    "id",
    "name",
    "rank",
    "min_seats",
    "max_seats",
    "features",
    "translations",
    "prices",
];
const PRICES: &[&str] = &["monthly", "annual"];
const TEXTS: &[&str] = &["features"];

/// Refuses a catalog file with a member its shape does not have, or with a member given twice
/// (S63). Values of another type than the shape's are left to [`catalog`], which refuses them,
/// and so are the keys of the maps (prices by currency, rates by country, texts by language),
/// which it checks in answers too.
pub(super) fn known_members(v: &Json) -> Read<()> {
    only(Some(v), CATALOG)?;
    only(v.get("support"), SUPPORT)?;
    for product in items(v.get("products")) {
        only(Some(product), PRODUCT)?;
        for tier in items(product.get("tiers")) {
            only(Some(tier), TIER)?;
            for (key, names) in [("prices", PRICES), ("translations", TEXTS)] {
                let map = tier.get(key).and_then(Json::as_object).unwrap_or_default();
                for (_, inner) in map {
                    only(Some(inner), names)?;
                }
            }
        }
    }
    Ok(())
}

/// The items of an array, none for anything else.
fn items(v: Option<&Json>) -> &[Json] {
    v.and_then(Json::as_array).unwrap_or_default()
}

/// Refuses a member of the object `v` that is not in `names` or that comes twice.
fn only(v: Option<&Json>, names: &[&str]) -> Read<()> {
    let members = v.and_then(Json::as_object).unwrap_or_default();
    for (at, (key, _)) in members.iter().enumerate() {
        let unknown = !names.contains(&key.as_str());
        if unknown || members[..at].iter().any(|(earlier, _)| earlier == key) {
            return Err(CatalogError::UnknownMember {
                member: key.clone(),
            });
        }
    }
    Ok(())
}
