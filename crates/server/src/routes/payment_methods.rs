//! `/api/v1/payment-methods`: the cards on file, the default, removal (R25). Only translates
//! `crate::payment_methods` to HTTP.

use api::ErrorCode;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::payment_methods::{self, CardError};
use crate::state::AppState;

impl From<CardError> for ApiError {
    fn from(error: CardError) -> ApiError {
        match &error {
            CardError::NotAUser => ApiError::unauthenticated(),
            CardError::NotBillingContact { .. } => ApiError::new(
                StatusCode::FORBIDDEN,
                ErrorCode::NotBillingContact,
                error.to_string(),
            ),
            CardError::CorporateAccount => ApiError::new(
                StatusCode::FORBIDDEN,
                ErrorCode::CorporateAccount,
                error.to_string(),
            ),
            CardError::NotFound { .. } => ApiError::new(
                StatusCode::NOT_FOUND,
                ErrorCode::NotFound,
                error.to_string(),
            ),
            CardError::InUse { .. } => ApiError::new(
                StatusCode::CONFLICT,
                ErrorCode::PaymentMethodInUse,
                error.to_string(),
            ),
            CardError::Store(_) => ApiError::internal(error),
        }
    }
}

/// `GET /api/v1/payment-methods`: `{"payment_methods":[{"id","brand","last4","exp","default"}]}`.
pub async fn list(
    State(state): State<AppState>,
    user: AuthUser,
) -> ApiResult<Json<api::PaymentMethods>> {
    let cards = payment_methods::list(&state.store, &user.session).await?;
    Ok(Json(api::PaymentMethods {
        payment_methods: cards,
    }))
}

/// `PUT /api/v1/payment-methods/{id}/default`: `200` with the cards as they are now.
pub async fn make_default(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> ApiResult<Json<api::PaymentMethods>> {
    let cards = payment_methods::make_default(&state.store, &user.session, &id).await?;
    Ok(Json(api::PaymentMethods {
        payment_methods: cards,
    }))
}

/// `DELETE /api/v1/payment-methods/{id}`: `204`, `409 payment_method_in_use`, `404`.
pub async fn remove(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    payment_methods::remove(&state.store, &user.session, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
