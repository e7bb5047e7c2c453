//! The order request (`POST /api/v1/quote`, `POST /api/v1/orders`) and the payment of a failed
//! renewal (`POST /api/v1/orders/{id}/pay`).

use serde::{Deserialize, Serialize};

use crate::{Date, Frequency, Money};

/// An order request: the body of `POST /api/v1/quote` and of `POST /api/v1/orders`. Unknown
/// fields are refused (`422 invalid_request`), so a price sent by a client is never read (R24).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OrderRequest {
    /// The items, at most one per subscription or product (`422 duplicate_item`); an empty
    /// list is `422 empty_order`.
    pub items: Vec<Item>,
    /// Absent keeps the account's VAT id, `""` removes it, any other text sets it (R21,
    /// `422 invalid_vat_id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vat_id: Option<String>,
    /// Quotes: a preview date from today to the day before the account's first renewal or
    /// expiry (R9, S36; else `422 as_of_outside_period`, field `as_of`). Orders: today or absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<Date>,
    /// Orders (required there): the total the customer was shown, written exactly, without
    /// sign, spaces or leading zeros (S37); another total than the server's is
    /// `409 price_changed` (R24). Quotes ignore it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = Option<String>, pattern = r"^(0|[1-9][0-9]*)\.[0-9]{2}$", example = "93.94")
    )]
    pub expected_total: Option<Money>,
    /// Orders with an amount due: the id of one of the account's unexpired cards (R20, else
    /// `422 payment_method_required`). Quotes ignore it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_method: Option<String>,
}

/// One item of an order request, by its `op`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Item {
    /// Change the tier, seats or frequency of an active subscription (R12); each is optional
    /// (absent = unchanged).
    Change {
        /// The subscription id.
        subscription: String,
        /// The new tier id.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tier: Option<String>,
        /// The new seat count (R5, `422 invalid_seats`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "openapi", schema(minimum = 1))]
        seats: Option<u32>,
        /// The new frequency.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        frequency: Option<Frequency>,
    },
    /// Buy a product the account does not have (R10, R13).
    Buy {
        /// The product id (`422 unknown_product`).
        product: String,
        /// The tier id (`422 unknown_tier`).
        tier: String,
        /// The seat count (R5, `422 invalid_seats`).
        #[cfg_attr(feature = "openapi", schema(minimum = 1))]
        seats: u32,
        /// The frequency.
        frequency: Frequency,
    },
    /// Start a free trial of a product (R11).
    Trial {
        /// The product id.
        product: String,
        /// The tier id.
        tier: String,
    },
    /// Turn renewal off (R14).
    Cancel {
        /// The subscription id.
        subscription: String,
        /// Why the customer cancels (R29, S55); optional.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<CancelReason>,
    },
    /// Turn renewal back on (R14).
    Resume {
        /// The subscription id.
        subscription: String,
    },
    /// Buy a new period for an expired subscription (R15).
    Reactivate {
        /// The subscription id.
        subscription: String,
        /// The tier id.
        tier: String,
        /// The seat count (R5).
        #[cfg_attr(feature = "openapi", schema(minimum = 1))]
        seats: u32,
        /// The frequency.
        frequency: Frequency,
    },
}

/// Why a customer cancels (R29): a bad reason is `422 invalid_request` with field
/// `items[N].reason.code`, `items[N].reason.text` or `items[N].reason` (S55).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CancelReason {
    /// One of the fixed reasons.
    pub code: CancelReasonCode,
    /// The customer's own words, at most 500 characters; blank is no text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub text: Option<String>,
}

/// The reasons a customer may give for cancelling (R29).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CancelReasonCode {
    /// The product costs too much.
    TooExpensive,
    /// The product lacks something the customer needs.
    MissingFeatures,
    /// The customer moves to another product.
    Switching,
    /// The customer does not use the product.
    NotUsing,
    /// Anything else (the text may say what).
    Other,
}

/// The body of `POST /api/v1/orders/{id}/pay`: pays a failed renewal now (R31).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PayRequest {
    /// The id of the card to charge.
    pub payment_method: String,
}
