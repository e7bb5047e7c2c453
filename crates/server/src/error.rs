//! The one error type of the API: every failure becomes `{"error":{"code","message","field"?}}`
//! with its status (api.md), and a 5xx never tells what went wrong inside. A message never echoes
//! unbounded input nor names the server's own types (see [`bounded_message`]).

use api::{ErrorBody, ErrorCode};
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use billing::OrderError;

/// An error answer of the API.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: ErrorCode,
    message: String,
    field: Option<String>,
    /// The fresh quote of `409 price_changed` (R24), the one member of a body beside `error`.
    quote: Option<Box<api::Quote>>,
}

impl ApiError {
    /// An error with this status, code and message.
    pub fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            field: None,
            quote: None,
        }
    }

    /// The same error, naming the request field at fault.
    pub fn with_field(mut self, field: impl Into<String>) -> ApiError {
        self.field = Some(field.into());
        self
    }

    /// The same error carrying the fresh quote the client is to confirm (R24).
    pub fn with_quote(mut self, quote: api::Quote) -> ApiError {
        self.quote = Some(Box::new(quote));
        self
    }

    /// The status of the answer.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The api.md error code.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// `401 unauthenticated`: no token, or one that is unknown or expired.
    pub fn unauthenticated() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthenticated,
            "sign in first: send `Authorization: Bearer <token>`",
        )
    }

    /// `422 invalid_request`: a body that is not the request the endpoint takes.
    pub fn invalid_request(message: impl Into<String>) -> ApiError {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::InvalidRequest,
            message,
        )
    }

    /// `404 not_found`.
    pub fn not_found(what: &str) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            ErrorCode::NotFound,
            format!("{what} not found"),
        )
    }

    /// `500 internal_error`: the cause is logged, never sent.
    pub fn internal(cause: impl std::fmt::Display) -> ApiError {
        tracing::error!(error = %cause, "internal error");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::InternalError,
            "something went wrong on our side; please try again",
        )
    }
}

/// The HTTP status of an engine error code (api.md).
pub fn order_error_status(error: &OrderError) -> StatusCode {
    match error {
        // R2.
        OrderError::CorporateAccount => StatusCode::FORBIDDEN,
        // R3, R11, R12, R14, R15.
        OrderError::ProductAlreadySubscribed { .. }
        | OrderError::SubscriptionNotActive { .. }
        | OrderError::SubscriptionNotCancelled { .. }
        | OrderError::SubscriptionNotExpired { .. }
        | OrderError::TrialNotAvailable { .. } => StatusCode::CONFLICT,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

impl From<OrderError> for ApiError {
    fn from(error: OrderError) -> ApiError {
        // Every engine code is one of the contract's (a test checks them all); one that is not
        // would be a code no client knows, so it is an internal error rather than sent (S61).
        let Some(code) = ErrorCode::from_code(error.code()) else {
            return ApiError::internal(format!(
                "the engine's error code `{}` is not in the API contract",
                error.code()
            ));
        };
        ApiError {
            status: order_error_status(&error),
            code,
            message: error.to_string(),
            field: error.field(),
            quote: None,
        }
    }
}

impl From<crate::store::StoreError> for ApiError {
    fn from(error: crate::store::StoreError) -> ApiError {
        ApiError::internal(error)
    }
}

/// The most characters of a quoted value (the text between backticks or double quotes) an error
/// message repeats; the rest is cut with `…`.
pub const QUOTED_LENGTH: usize = 40;

/// The most characters of an error message.
pub const MESSAGE_LENGTH: usize = 300;

/// Replaces a name of the server's or the engine's Rust types, as serde writes them in its errors
/// (`expected struct OrderRequest`), by what the client sent or should send.
fn without_type_names(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    loop {
        let next = ["struct ", "enum "]
            .iter()
            .filter_map(|kind| rest.find(kind).map(|at| (at, kind.len())))
            .min();
        let Some((at, skip)) = next else {
            out.push_str(rest);
            return out;
        };
        let name_len = rest[at + skip..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len() - at - skip);
        let name = &rest[at + skip..at + skip + name_len];
        out.push_str(&rest[..at]);
        if name.chars().next().is_some_and(|c| c.is_ascii_uppercase()) {
            out.push_str(if skip == "struct ".len() {
                "a JSON object"
            } else {
                "one of the documented values"
            });
        } else {
            out.push_str(&rest[at..at + skip + name_len]);
        }
        rest = &rest[at + skip + name_len..];
    }
}

/// The message as sent: quoted values cut to [`QUOTED_LENGTH`] characters, type names replaced,
/// and the whole cut to [`MESSAGE_LENGTH`], so a 60,000-character field is never echoed back.
pub fn bounded_message(message: &str) -> String {
    let message = without_type_names(message);
    let mut out = String::with_capacity(message.len().min(MESSAGE_LENGTH + 8));
    let mut quote: Option<(char, usize)> = None;
    for c in message.chars() {
        match quote {
            Some((open, _)) if c == open => {
                quote = None;
                out.push(c);
            }
            Some((open, kept)) => {
                if kept < QUOTED_LENGTH {
                    out.push(c);
                } else if kept == QUOTED_LENGTH {
                    out.push('…');
                }
                quote = Some((open, kept.saturating_add(1)));
            }
            None => {
                if c == '`' || c == '"' {
                    quote = Some((c, 0));
                }
                out.push(c);
            }
        }
    }
    if out.chars().count() > MESSAGE_LENGTH {
        out = out.chars().take(MESSAGE_LENGTH).collect();
        out.push('…');
    }
    out
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = ErrorBody::new(self.code, bounded_message(&self.message), self.field);
        body.quote = self.quote.map(|quote| *quote);
        (self.status, Json(body)).into_response()
    }
}

/// What handlers return.
pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_quoted_values_are_cut_and_the_message_bounded() {
        let vat_id = "X".repeat(60_000);
        let message = bounded_message(&format!("`{vat_id}` is not a valid VAT id for IT"));
        assert_eq!(
            message,
            format!(
                "`{}…` is not a valid VAT id for IT",
                "X".repeat(QUOTED_LENGTH)
            )
        );
        let long = bounded_message(&"word ".repeat(1_000));
        assert_eq!(long.chars().count(), MESSAGE_LENGTH + 1);
        assert_eq!(
            bounded_message("unknown field `as_of`"),
            "unknown field `as_of`"
        );
    }

    #[test]
    fn every_code_of_the_engine_is_one_of_the_contract() {
        // The codes `billing::OrderError::code` answers, in its order: one missing from the
        // contract would be answered as an internal error.
        for code in [
            "invalid_request",
            "empty_order",
            "invalid_seats",
            "unknown_product",
            "unknown_tier",
            "unknown_subscription",
            "duplicate_item",
            "product_already_subscribed",
            "subscription_not_active",
            "subscription_not_cancelled",
            "subscription_not_expired",
            "trial_not_available",
            "downgrade_requires_support",
            "no_change",
            "invalid_vat_id",
            "corporate_account",
            "as_of_outside_period",
            "currency_not_sold",
            "country_not_supported",
        ] {
            assert!(ErrorCode::from_code(code).is_some(), "{code}");
        }
    }

    #[test]
    fn rust_type_names_are_not_shown() {
        assert_eq!(
            bounded_message("invalid type: integer `3`, expected struct OrderRequest at line 1"),
            "invalid type: integer `3`, expected a JSON object at line 1"
        );
        assert_eq!(
            bounded_message("expected enum ItemInput"),
            "expected one of the documented values"
        );
        assert_eq!(bounded_message("a struct of mind"), "a struct of mind");
    }
}
