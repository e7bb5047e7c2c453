//! The catalog (`GET /api/v1/catalog`): products, tiers and prices (R6, R7).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{Date, Money};

/// The catalog the prices come from (R7): the pricing widget and the checkout read it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Catalog {
    /// The catalog's version, the date it took effect (`2026-11-01`); quotes name it.
    pub version: Date,
    /// The seller's country (ISO 3166-1 alpha-2), for reverse charge (R18).
    pub seller_country: String,
    /// The currencies prices are given in (ISO 4217).
    pub currencies: Vec<String>,
    /// How to reach Customer Care (R4, R19).
    pub support: Support,
    /// VAT rates in percent by country (`"22"`), strings like money.
    pub vat_rates: BTreeMap<String, String>,
    /// The products, in display order.
    pub products: Vec<Product>,
}

/// How to reach Customer Care, for downgrades (R4) and refunds of credit (R19).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Support {
    /// The phone number, as it is printed.
    pub phone: String,
    /// The support web page.
    pub url: String,
}

/// A product and its tiers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Product {
    /// The product id (`meeting`).
    pub id: String,
    /// The display name.
    pub name: String,
    /// The length of a free trial in days (R11).
    pub trial_days: u32,
    /// The tiers, lowest rank first.
    pub tiers: Vec<Tier>,
}

/// A tier of a product: its rank, seat limits, features and prices (R4, R5, R6).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tier {
    /// The tier id, unique within its product (`professional`).
    pub id: String,
    /// The display name.
    pub name: String,
    /// 1 is the lowest tier; a higher rank is an upgrade (R4).
    pub rank: u32,
    /// The fewest seats the tier is sold with (R5).
    pub min_seats: u32,
    /// The most seats sold self-service; above it the customer contacts sales (R5).
    pub max_seats: u32,
    /// The features, in display order, in the catalog's own language (English).
    pub features: Vec<String>,
    /// The tier's texts in other languages, by language code (`it`); absent when there are none.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, TierTexts>,
    /// The per-seat prices by currency code (R6).
    pub prices: BTreeMap<String, TierPrices>,
}

/// A tier's texts in one more language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TierTexts {
    /// The features, in display order, in that language.
    pub features: Vec<String>,
}

/// The per-seat prices of a tier in one currency (R6).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TierPrices {
    /// The price of a seat for one month.
    pub monthly: Money,
    /// The price of a seat for one year.
    pub annual: Money,
}
