//! Why an order (or a quote of it) is refused, with the error codes of api.md.

use chrono::NaiveDate;

use crate::account::SubscriptionStatus;
use crate::country::Country;
use crate::money::Currency;

/// A rejection of an order, carrying what the customer needs to fix it.
///
/// [`OrderError::code`] is the api.md error code; [`OrderError::field`] the request field at fault,
/// when there is one; the `Display` text is the human message (English; the UI translates by code).
/// The HTTP status belongs to the server, which maps codes to statuses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrderError {
    /// The request is not an order request of api.md (malformed JSON, unknown field, unknown op).
    #[error("the request is not a valid order: {message}")]
    InvalidRequest {
        /// What was wrong with it.
        message: String,
    },
    /// An amount of the request is not written as api.md writes amounts (S37).
    #[error("`{field}` must be a plain amount with the currency's minor digits: {message}")]
    InvalidAmount {
        /// The request field.
        field: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// A cancellation reason that is not one of R29's (an unknown code, a longer text).
    #[error("the cancellation reason is not valid: `{}` {message}", reason_field(*item, part))]
    InvalidReason {
        /// The item's index.
        item: usize,
        /// The member of the reason at fault (`code`, `text`), or empty for the reason itself.
        part: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// The order has no items.
    #[error("the order has no items")]
    EmptyOrder,
    /// A seat count that is not a whole number within the tier's limits (R5).
    #[error(
        "{seats} is not a valid number of seats: choose a whole number from {min} to {max}{hint}"
    )]
    InvalidSeats {
        /// The item's index.
        item: usize,
        /// The seat count as sent, printed in the message as JSON. Kept as the value rather than
        /// its text so that code which only reads the error's code (the web app) does not link
        /// the JSON printer.
        seats: serde_json::Value,
        /// The fewest seats allowed.
        min: u32,
        /// The most seats allowed self-service.
        max: u32,
        /// Extra advice (zero seats is a cancellation; above the maximum, contact sales).
        hint: String,
    },
    /// The product is not in the catalog.
    #[error("there is no product `{product}`")]
    UnknownProduct {
        /// The item's index.
        item: usize,
        /// The product id as sent.
        product: String,
    },
    /// The tier is not a tier of the product.
    #[error("product `{product}` has no tier `{tier}`")]
    UnknownTier {
        /// The item's index.
        item: usize,
        /// The product id.
        product: String,
        /// The tier id as sent.
        tier: String,
    },
    /// The subscription is not one of this account's.
    #[error("this account has no subscription `{subscription}`")]
    UnknownSubscription {
        /// The item's index.
        item: usize,
        /// The subscription id as sent.
        subscription: String,
    },
    /// Two items of the order concern the same product or subscription.
    #[error("the order holds more than one item for `{product}`; keep one per product")]
    DuplicateItem {
        /// The index of the second item.
        item: usize,
        /// The product both items concern.
        product: String,
    },
    /// The account already holds the product (R3).
    #[error("the account already holds `{product}`; change that subscription instead (R3)")]
    ProductAlreadySubscribed {
        /// The item's index.
        item: usize,
        /// The product id.
        product: String,
    },
    /// A change or cancellation of a subscription that is not active with renewal on (R12, R14).
    #[error(
        "subscription `{subscription}` is {status}, not active: resume, buy or reactivate it instead"
    )]
    SubscriptionNotActive {
        /// The item's index.
        item: usize,
        /// The subscription id.
        subscription: String,
        /// Its status.
        status: SubscriptionStatus,
    },
    /// A resume of a subscription whose renewal is not off (R14).
    #[error(
        "subscription `{subscription}` is {status}: only a cancelled subscription can be resumed"
    )]
    SubscriptionNotCancelled {
        /// The item's index.
        item: usize,
        /// The subscription id.
        subscription: String,
        /// Its status.
        status: SubscriptionStatus,
    },
    /// A reactivation of a subscription that has not expired (R15).
    #[error(
        "subscription `{subscription}` is {status}: only an expired subscription can be reactivated"
    )]
    SubscriptionNotExpired {
        /// The item's index.
        item: usize,
        /// The subscription id.
        subscription: String,
        /// Its status.
        status: SubscriptionStatus,
    },
    /// A trial of a product the account holds or has tried (R11).
    #[error("`{product}` cannot be tried: the account holds it or has tried it before (R11)")]
    TrialNotAvailable {
        /// The item's index.
        item: usize,
        /// The product id.
        product: String,
    },
    /// A move to a lower tier, which Customer Care handles (R4).
    #[error(
        "moving from {from} to {to} is a downgrade: contact Customer Care ({phone}, {url}) (R4)"
    )]
    DowngradeRequiresSupport {
        /// The item's index.
        item: usize,
        /// The current tier id.
        from: String,
        /// The requested tier id.
        to: String,
        /// Customer Care's phone.
        phone: String,
        /// Customer Care's page.
        url: String,
    },
    /// A change that changes nothing (R12).
    #[error("the change of subscription `{subscription}` changes nothing")]
    NoChange {
        /// The item's index.
        item: usize,
        /// The subscription id.
        subscription: String,
    },
    /// A VAT id that fails its country's format or check digit, or belongs to another country (R21).
    #[error("the VAT id `{vat_id}` is not valid: {reason}")]
    InvalidVatId {
        /// The id as sent.
        vat_id: String,
        /// Why.
        reason: String,
    },
    /// A corporate account, which orders through its sales representative (R2).
    #[error(
        "corporate accounts are managed in the Corporate Billing Portal with a sales representative (R2)"
    )]
    CorporateAccount,
    /// The date of the quote lies outside the subscription's current period (R9, R12).
    #[error(
        "{as_of} lies outside the current period {start} .. {end} of subscription `{subscription}`"
    )]
    AsOfOutsidePeriod {
        /// The item's index.
        item: usize,
        /// The subscription id.
        subscription: String,
        /// The date of the quote.
        as_of: NaiveDate,
        /// The period's first day.
        start: NaiveDate,
        /// The first day after the period.
        end: NaiveDate,
    },
    /// The account's currency is not one the catalog sells in (R6).
    #[error("the catalog does not sell in {currency}")]
    CurrencyNotSold {
        /// The account's currency.
        currency: Currency,
    },
    /// An EU customer whose country has no VAT rate in the catalog (R7, R18).
    #[error("the catalog has no VAT rate for {country}")]
    CountryNotSupported {
        /// The customer's country.
        country: Country,
    },
}

/// The field of a cancellation reason's member (R29): `items[0].reason.code`, or
/// `items[0].reason` for the reason itself.
fn reason_field(item: usize, part: &str) -> String {
    if part.is_empty() {
        format!("items[{item}].reason")
    } else {
        format!("items[{item}].reason.{part}")
    }
}

impl OrderError {
    /// The api.md error code (`downgrade_requires_support`).
    pub fn code(&self) -> &'static str {
        match self {
            OrderError::InvalidRequest { .. }
            | OrderError::InvalidAmount { .. }
            | OrderError::InvalidReason { .. } => "invalid_request",
            OrderError::EmptyOrder => "empty_order",
            OrderError::InvalidSeats { .. } => "invalid_seats",
            OrderError::UnknownProduct { .. } => "unknown_product",
            OrderError::UnknownTier { .. } => "unknown_tier",
            OrderError::UnknownSubscription { .. } => "unknown_subscription",
            OrderError::DuplicateItem { .. } => "duplicate_item",
            OrderError::ProductAlreadySubscribed { .. } => "product_already_subscribed",
            OrderError::SubscriptionNotActive { .. } => "subscription_not_active",
            OrderError::SubscriptionNotCancelled { .. } => "subscription_not_cancelled",
            OrderError::SubscriptionNotExpired { .. } => "subscription_not_expired",
            OrderError::TrialNotAvailable { .. } => "trial_not_available",
            OrderError::DowngradeRequiresSupport { .. } => "downgrade_requires_support",
            OrderError::NoChange { .. } => "no_change",
            OrderError::InvalidVatId { .. } => "invalid_vat_id",
            OrderError::CorporateAccount => "corporate_account",
            OrderError::AsOfOutsidePeriod { .. } => "as_of_outside_period",
            OrderError::CurrencyNotSold { .. } => "currency_not_sold",
            OrderError::CountryNotSupported { .. } => "country_not_supported",
        }
    }

    /// The request field at fault, in the `items[0].seats` notation of api.md.
    pub fn field(&self) -> Option<String> {
        let at = |item: &usize, name: &str| Some(format!("items[{item}].{name}"));
        match self {
            OrderError::InvalidSeats { item, .. } => at(item, "seats"),
            OrderError::UnknownProduct { item, .. }
            | OrderError::ProductAlreadySubscribed { item, .. }
            | OrderError::TrialNotAvailable { item, .. } => at(item, "product"),
            OrderError::UnknownTier { item, .. }
            | OrderError::DowngradeRequiresSupport { item, .. } => at(item, "tier"),
            OrderError::UnknownSubscription { item, .. }
            | OrderError::SubscriptionNotActive { item, .. }
            | OrderError::SubscriptionNotCancelled { item, .. }
            | OrderError::SubscriptionNotExpired { item, .. }
            | OrderError::AsOfOutsidePeriod { item, .. } => at(item, "subscription"),
            OrderError::DuplicateItem { item, .. } | OrderError::NoChange { item, .. } => {
                Some(format!("items[{item}]"))
            }
            OrderError::InvalidVatId { .. } => Some("vat_id".to_owned()),
            OrderError::InvalidReason { item, part, .. } => Some(reason_field(*item, part)),
            OrderError::InvalidAmount { field, .. } => Some((*field).to_owned()),
            OrderError::EmptyOrder => Some("items".to_owned()),
            OrderError::InvalidRequest { .. }
            | OrderError::CorporateAccount
            | OrderError::CurrencyNotSold { .. }
            | OrderError::CountryNotSupported { .. } => None,
        }
    }

    /// The api.md error object: `{"error":{"code":...,"message":...,"field":...}}`.
    pub fn to_json(&self) -> serde_json::Value {
        let mut error = serde_json::json!({ "code": self.code(), "message": self.to_string() });
        if let Some(field) = self.field() {
            error["field"] = field.into();
        }
        serde_json::json!({ "error": error })
    }
}
