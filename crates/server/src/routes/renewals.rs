//! `POST /api/v1/orders/{id}/pay` ("Paga ora", R31), and the renewal entries of the billing history
//! (R28) that `routes/orders.rs` shows. Only translates `crate::renewals` to HTTP.

use api::ErrorCode;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::renewals::{self, RenewalError};
use crate::routes::extract::JsonText;
use crate::state::AppState;

impl From<RenewalError> for ApiError {
    fn from(error: RenewalError) -> ApiError {
        match &error {
            RenewalError::NotAUser => ApiError::unauthenticated(),
            RenewalError::NotBillingContact => ApiError::new(
                StatusCode::FORBIDDEN,
                ErrorCode::NotBillingContact,
                error.to_string(),
            ),
            RenewalError::CorporateAccount => ApiError::new(
                StatusCode::FORBIDDEN,
                ErrorCode::CorporateAccount,
                error.to_string(),
            ),
            RenewalError::NotFound { .. } => ApiError::new(
                StatusCode::NOT_FOUND,
                ErrorCode::NotFound,
                error.to_string(),
            ),
            RenewalError::NotPayable { .. } => ApiError::new(
                StatusCode::CONFLICT,
                ErrorCode::NotPayable,
                error.to_string(),
            ),
            RenewalError::PaymentMethodRequired => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::PaymentMethodRequired,
                error.to_string(),
            )
            .with_field("payment_method"),
            RenewalError::Declined => ApiError::new(
                StatusCode::PAYMENT_REQUIRED,
                ErrorCode::PaymentDeclined,
                error.to_string(),
            )
            .with_field("payment_method"),
            RenewalError::Busy => ApiError::new(
                StatusCode::CONFLICT,
                ErrorCode::OrderInProgress,
                error.to_string(),
            ),
            RenewalError::Provider(_)
            | RenewalError::Corrupt { .. }
            | RenewalError::Engine(_)
            | RenewalError::Store(_) => ApiError::internal(error),
        }
    }
}

/// `POST /api/v1/orders/{id}/pay` `{"payment_method"}`: pays a failed renewal now (R31, S75);
/// `200` with the renewal as the history shows it, `402 payment_declined`, `409 not_payable`,
/// `404` for an id that is no renewal of the account.
pub async fn pay(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
    body: JsonText,
) -> ApiResult<Json<api::Renewal>> {
    let api::PayRequest { payment_method } = body.parse()?;
    Ok(Json(
        renewals::pay_now(&state, &user.session, &id, &payment_method).await?,
    ))
}

/// The account's orders and renewals, newest first (R28).
pub async fn history(state: &AppState, account_id: &str) -> ApiResult<Vec<api::HistoryEntry>> {
    let orders = state.store.orders(account_id).await?;
    let renewals = renewals::history(state, account_id).await?;
    Ok(renewals::merge_history(orders, renewals))
}

/// One renewal of the account as its receipt shows it, or `None`.
pub async fn find(
    state: &AppState,
    account_id: &str,
    id: &str,
) -> ApiResult<Option<api::HistoryEntry>> {
    match renewals::find(state, account_id, id).await? {
        Some(renewal) => Ok(Some(api::HistoryEntry::Renewal(Box::new(renewals::entry(
            &renewal,
        )?)))),
        None => Ok(None),
    }
}
