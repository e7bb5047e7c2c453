//! The one error type of the API: every failure becomes `{"error":{"code","message","field"?}}`
//! with its status (api.md), and a 5xx never tells what went wrong inside.

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

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut error = json!({ "code": self.code, "message": self.message });
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
