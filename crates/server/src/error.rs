//! The one error type of the API: every failure becomes `{"error":{"code","message","field"?}}`
//! with its status (api.md), and a 5xx never tells what went wrong inside. A message never echoes
//! unbounded input nor names the server's own types (see [`bounded_message`]).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use billing::OrderError;
use serde_json::{Value, json};

/// An error answer of the API.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    field: Option<String>,
    /// Extra members of the body beside `error` (the fresh quote of `price_changed`, R24).
    extra: Option<(&'static str, Value)>,
}

impl ApiError {
    /// An error with this status, code and message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            field: None,
            extra: None,
        }
    }

    /// The same error, naming the request field at fault.
    pub fn with_field(mut self, field: impl Into<String>) -> ApiError {
        self.field = Some(field.into());
        self
    }

    /// The same error with one more member in the body.
    pub fn with_extra(mut self, name: &'static str, value: Value) -> ApiError {
        self.extra = Some((name, value));
        self
    }

    /// The status of the answer.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The api.md error code.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// `401 unauthenticated`: no token, or one that is unknown or expired.
    pub fn unauthenticated() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "sign in first: send `Authorization: Bearer <token>`",
        )
    }

    /// `422 invalid_request`: a body that is not the request the endpoint takes.
    pub fn invalid_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_request", message)
    }

    /// `404 not_found`.
    pub fn not_found(what: &str) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("{what} not found"),
        )
    }

    /// `500 internal_error`: the cause is logged, never sent.
    pub fn internal(cause: impl std::fmt::Display) -> ApiError {
        tracing::error!(error = %cause, "internal error");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
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
        ApiError {
            status: order_error_status(&error),
            code: error.code(),
            message: error.to_string(),
            field: error.field(),
            extra: None,
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
        let message = bounded_message(&self.message);
        let mut error = json!({ "code": self.code, "message": message });
        if let Some(field) = self.field {
            error["field"] = field.into();
        }
        let mut body = json!({ "error": error });
        if let Some((name, value)) = self.extra {
            body[name] = value;
        }
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
