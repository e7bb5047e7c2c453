//! The account (`GET /api/v1/account`) and its parts.

use serde::{Deserialize, Serialize};

use crate::{Date, Money};

/// The signed-in user's account as it stands today (R16 applied).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Account {
    /// The account id (`acc_rossi`).
    pub id: String,
    /// The company name.
    pub name: String,
    /// Corporate accounts order through their sales representative (R2).
    pub kind: AccountKind,
    /// The customer's country (ISO 3166-1 alpha-2).
    pub country: String,
    /// The currency the account is billed in (ISO 4217).
    pub currency: String,
    /// The VAT id on file, normalized (`IT00743110157`), or null.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub vat_id: Option<String>,
    /// The credit balance, never negative (R19).
    pub credit: Money,
    /// The account's billing contact, or null when it has none (S50).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub billing_contact: Option<BillingContact>,
    /// Whether the signed-in user is the billing contact; other users see the account read-only
    /// (R1).
    pub is_billing_contact: bool,
    /// The cards on file.
    pub payment_methods: Vec<PaymentMethod>,
    /// The subscriptions.
    pub subscriptions: Vec<Subscription>,
    /// The next renewal payment (R16), or null when nothing renews.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub next_payment: Option<NextPayment>,
    /// The server's today, the date quotes are priced at (R9).
    pub as_of: Date,
}

/// Whether an account orders self-service.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AccountKind {
    /// Orders in the checkout.
    #[default]
    Standard,
    /// Orders through its sales representative (R2): `403 corporate_account` on orders.
    Corporate,
}

/// The billing contact of an account, as its users see it (R1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BillingContact {
    /// The contact's name.
    pub name: String,
    /// The contact's e-mail address.
    pub email: String,
}

/// A card on file as the account shows it: never a card number (R25).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentMethod {
    /// The id an order names as its `payment_method` (`pm_1`).
    pub id: String,
    /// The card brand (`visa`).
    pub brand: String,
    /// The last four digits.
    pub last4: String,
    /// The expiry month, `YYYY-MM`.
    pub exp: String,
}

/// A subscription of the account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Subscription {
    /// The subscription id (`sub_1`), named by change, cancel, resume and reactivate items.
    pub id: String,
    /// The product id.
    pub product: String,
    /// The tier id.
    pub tier: String,
    /// The seat count, at least 1.
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub seats: u32,
    /// The billing frequency.
    pub frequency: Frequency,
    /// Where the subscription stands.
    pub status: SubscriptionStatus,
    /// Whether it renews at the period's end: true exactly when `active` (R14).
    pub auto_renew: bool,
    /// The first day of the current period.
    pub period_start: Date,
    /// The first day after the current period.
    pub period_end: Date,
}

/// How often a subscription is billed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    /// Every month (R8).
    Monthly,
    /// Every year.
    Annual,
}

/// Where a subscription stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SubscriptionStatus {
    /// A free trial (R11).
    Trial,
    /// Paid and renewing.
    Active,
    /// Cancelled: runs to the period's end, then expires (R14).
    PendingCancellation,
    /// Ended; reactivate buys a new period (R15).
    Expired,
}

/// The next renewal payment (R16).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NextPayment {
    /// The renewal date.
    pub date: Date,
    /// What the payment method will be charged, after the credit.
    pub amount: Money,
    /// What the account's credit covers.
    pub credit_applied: Money,
}
