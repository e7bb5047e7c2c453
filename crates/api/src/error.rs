//! Error answers: `{"error":{"code","message","field"?}}` with a 4xx or 5xx status (api.md).

use serde::{Deserialize, Serialize};

use crate::Quote;

/// The body of every error answer. Answers that say to wait (`429 too_many_attempts`,
/// `503 server_busy`) also carry a `Retry-After` header in seconds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// What went wrong.
    pub error: ErrorDetail,
    /// `409 price_changed` only: the fresh quote to confirm instead (R24).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<Quote>,
}

impl ErrorBody {
    /// An error body without a quote.
    pub fn new(code: ErrorCode, message: String, field: Option<String>) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail {
                code,
                message,
                field,
            },
            quote: None,
        }
    }
}

/// What went wrong, for programs (`code`, `field`) and for people (`message`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    /// The error code.
    pub code: ErrorCode,
    /// A sentence for people, in English; it quotes at most 40 characters of any value sent.
    pub message: String,
    /// The request member at fault (`items[0].seats`, `address.postal_code`), when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// Every error code of the API (api.md, its v1.1 additions, and the supplement's table).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// 401: no token, or one that is unknown or ended (R30).
    Unauthenticated,
    /// 401 on sign-in: wrong e-mail or password (the same answer for both); 403 on a password change: the current password is wrong.
    InvalidCredentials,
    /// 429: too many sign-in attempts (S30); `Retry-After` says when to try again.
    TooManyAttempts,
    /// 503: the password checks are queued full; `Retry-After` says when to try again.
    ServerBusy,
    /// 422: the body is not the request the route takes (an unknown field, a bad value); `field` names it.
    InvalidRequest,
    /// 415: the body is not sent as `application/json`.
    UnsupportedMediaType,
    /// 413: the body is over 64 KiB.
    PayloadTooLarge,
    /// 404: no such route or resource (another account's order or card reads as none).
    NotFound,
    /// 405: the route does not take that method.
    MethodNotAllowed,
    /// 408: the request took longer than the server's limit.
    RequestTimeout,
    /// 500: something failed on the server; nothing internal is told.
    InternalError,
    /// 400: an order without an `Idempotency-Key` header.
    MissingIdempotencyKey,
    /// 400: an `Idempotency-Key` that is not 1 to 255 visible characters.
    InvalidIdempotencyKey,
    /// 422: the key was used for another order (R23).
    IdempotencyKeyReused,
    /// 409: another order of the account is being paid; try again in a moment (S20).
    OrderInProgress,
    /// 403: only the account's billing contact may do this (R1).
    NotBillingContact,
    /// 403: corporate accounts order through their sales representative (R2).
    CorporateAccount,
    /// 409: the total is not the one confirmed (R24); the body holds the fresh `quote`.
    PriceChanged,
    /// 409: the account already has that product (R3).
    ProductAlreadySubscribed,
    /// 409: the subscription is not active (R12, R14).
    SubscriptionNotActive,
    /// 409: only a cancelled subscription can be resumed (R14).
    SubscriptionNotCancelled,
    /// 409: only an expired subscription can be reactivated (R15).
    SubscriptionNotExpired,
    /// 409: the product had a trial or a subscription before (R11).
    TrialNotAvailable,
    /// 422: a downgrade goes through Customer Care (R4).
    DowngradeRequiresSupport,
    /// 422: a change item that changes nothing.
    NoChange,
    /// 422: the VAT id is not valid for the account's country (R21).
    InvalidVatId,
    /// 422: a seat count outside the tier's limits (R5).
    InvalidSeats,
    /// 422: no such product in the catalog.
    UnknownProduct,
    /// 422: no such tier of the product.
    UnknownTier,
    /// 422: no such subscription of the account.
    UnknownSubscription,
    /// 422: two items for one subscription or product.
    DuplicateItem,
    /// 422: an order request without items.
    EmptyOrder,
    /// 422: a quote's `as_of` outside today up to the first renewal (R9, S36).
    AsOfOutsidePeriod,
    /// 422: the catalog has no prices in the account's currency.
    CurrencyNotSold,
    /// 422: the account's country is not one the catalog sells to.
    CountryNotSupported,
    /// 422: the order costs money and names none of the account's unexpired cards (R20).
    PaymentMethodRequired,
    /// 402: the card was declined; nothing was ordered (R20).
    PaymentDeclined,
    /// 422: the new billing contact is not a user of the account (R26).
    UnknownUser,
    /// 409: the card is the only one of a renewing account, or an order is being paid with it (R25, S57).
    PaymentMethodInUse,
    /// 402: the provider refused the card of a setup (R25).
    PaymentMethodRefused,
    /// 409: the provider has not confirmed the card's setup yet (R25).
    SetupNotConfirmed,
    /// 409: the renewal is not one that can be paid now (R31).
    NotPayable,
}

impl ErrorCode {
    /// Every code, in the order above.
    pub const ALL: [ErrorCode; 42] = [
        ErrorCode::Unauthenticated,
        ErrorCode::InvalidCredentials,
        ErrorCode::TooManyAttempts,
        ErrorCode::ServerBusy,
        ErrorCode::InvalidRequest,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::PayloadTooLarge,
        ErrorCode::NotFound,
        ErrorCode::MethodNotAllowed,
        ErrorCode::RequestTimeout,
        ErrorCode::InternalError,
        ErrorCode::MissingIdempotencyKey,
        ErrorCode::InvalidIdempotencyKey,
        ErrorCode::IdempotencyKeyReused,
        ErrorCode::OrderInProgress,
        ErrorCode::NotBillingContact,
        ErrorCode::CorporateAccount,
        ErrorCode::PriceChanged,
        ErrorCode::ProductAlreadySubscribed,
        ErrorCode::SubscriptionNotActive,
        ErrorCode::SubscriptionNotCancelled,
        ErrorCode::SubscriptionNotExpired,
        ErrorCode::TrialNotAvailable,
        ErrorCode::DowngradeRequiresSupport,
        ErrorCode::NoChange,
        ErrorCode::InvalidVatId,
        ErrorCode::InvalidSeats,
        ErrorCode::UnknownProduct,
        ErrorCode::UnknownTier,
        ErrorCode::UnknownSubscription,
        ErrorCode::DuplicateItem,
        ErrorCode::EmptyOrder,
        ErrorCode::AsOfOutsidePeriod,
        ErrorCode::CurrencyNotSold,
        ErrorCode::CountryNotSupported,
        ErrorCode::PaymentMethodRequired,
        ErrorCode::PaymentDeclined,
        ErrorCode::UnknownUser,
        ErrorCode::PaymentMethodInUse,
        ErrorCode::PaymentMethodRefused,
        ErrorCode::SetupNotConfirmed,
        ErrorCode::NotPayable,
    ];

    /// The code as it travels (`price_changed`).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Unauthenticated => "unauthenticated",
            ErrorCode::InvalidCredentials => "invalid_credentials",
            ErrorCode::TooManyAttempts => "too_many_attempts",
            ErrorCode::ServerBusy => "server_busy",
            ErrorCode::InvalidRequest => "invalid_request",
            ErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::NotFound => "not_found",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::RequestTimeout => "request_timeout",
            ErrorCode::InternalError => "internal_error",
            ErrorCode::MissingIdempotencyKey => "missing_idempotency_key",
            ErrorCode::InvalidIdempotencyKey => "invalid_idempotency_key",
            ErrorCode::IdempotencyKeyReused => "idempotency_key_reused",
            ErrorCode::OrderInProgress => "order_in_progress",
            ErrorCode::NotBillingContact => "not_billing_contact",
            ErrorCode::CorporateAccount => "corporate_account",
            ErrorCode::PriceChanged => "price_changed",
            ErrorCode::ProductAlreadySubscribed => "product_already_subscribed",
            ErrorCode::SubscriptionNotActive => "subscription_not_active",
            ErrorCode::SubscriptionNotCancelled => "subscription_not_cancelled",
            ErrorCode::SubscriptionNotExpired => "subscription_not_expired",
            ErrorCode::TrialNotAvailable => "trial_not_available",
            ErrorCode::DowngradeRequiresSupport => "downgrade_requires_support",
            ErrorCode::NoChange => "no_change",
            ErrorCode::InvalidVatId => "invalid_vat_id",
            ErrorCode::InvalidSeats => "invalid_seats",
            ErrorCode::UnknownProduct => "unknown_product",
            ErrorCode::UnknownTier => "unknown_tier",
            ErrorCode::UnknownSubscription => "unknown_subscription",
            ErrorCode::DuplicateItem => "duplicate_item",
            ErrorCode::EmptyOrder => "empty_order",
            ErrorCode::AsOfOutsidePeriod => "as_of_outside_period",
            ErrorCode::CurrencyNotSold => "currency_not_sold",
            ErrorCode::CountryNotSupported => "country_not_supported",
            ErrorCode::PaymentMethodRequired => "payment_method_required",
            ErrorCode::PaymentDeclined => "payment_declined",
            ErrorCode::UnknownUser => "unknown_user",
            ErrorCode::PaymentMethodInUse => "payment_method_in_use",
            ErrorCode::PaymentMethodRefused => "payment_method_refused",
            ErrorCode::SetupNotConfirmed => "setup_not_confirmed",
            ErrorCode::NotPayable => "not_payable",
        }
    }

    /// The code written `code`, if it is one of the API's.
    pub fn from_code(code: &str) -> Option<ErrorCode> {
        ErrorCode::ALL
            .into_iter()
            .find(|known| known.as_str() == code)
    }
}
