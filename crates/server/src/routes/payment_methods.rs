//! `/api/v1/payment-methods`: the cards on file, adding one through a set-up at the provider,
//! the default, removal (R25). Only translates `crate::payment_methods` to HTTP.

use api::ErrorCode;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::header::{HOST, ORIGIN};
use axum::http::{HeaderMap, HeaderName, StatusCode};

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::payment_methods::{self, CardError};
use crate::routes::extract::JsonText;
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
            CardError::SetupNotFound { .. } => ApiError::new(
                StatusCode::NOT_FOUND,
                ErrorCode::NotFound,
                error.to_string(),
            )
            .with_field("setup"),
            CardError::Refused { .. } => ApiError::new(
                StatusCode::PAYMENT_REQUIRED,
                ErrorCode::PaymentMethodRefused,
                error.to_string(),
            )
            .with_field("setup"),
            CardError::NotConfirmed { .. } => ApiError::new(
                StatusCode::CONFLICT,
                ErrorCode::SetupNotConfirmed,
                error.to_string(),
            )
            .with_field("setup"),
            CardError::NoReturnOrigin => ApiError::invalid_request(error.to_string()),
            CardError::Provider(_) | CardError::Store(_) => ApiError::internal(error),
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

/// `POST /api/v1/payment-methods/setup`: `200` `{"url","setup"}`, the provider's card page.
pub async fn start_setup(
    State(state): State<AppState>,
    user: AuthUser,
    headers: HeaderMap,
) -> ApiResult<Json<api::CardSetup>> {
    let text = |name: HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    let back = payment_methods::return_url(text(ORIGIN), text(HOST));
    let setup = payment_methods::start_setup(
        &state.store,
        state.payments.as_ref(),
        &user.session,
        back.as_deref(),
    )
    .await?;
    Ok(Json(setup))
}

/// `POST /api/v1/payment-methods` `{"setup"}`: `201` the saved card, `402
/// payment_method_refused`, `409 setup_not_confirmed`, `404` for another account's set-up.
pub async fn add(
    State(state): State<AppState>,
    user: AuthUser,
    body: JsonText,
) -> ApiResult<(StatusCode, Json<api::Card>)> {
    let api::NewCard { setup } = body.parse()?;
    let card =
        payment_methods::add_card(&state.store, state.payments.as_ref(), &user.session, &setup)
            .await?;
    Ok((StatusCode::CREATED, Json(card)))
}
