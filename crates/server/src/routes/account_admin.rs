//! `/api/v1/account/users`, `/api/v1/account/billing-contact` (R26) and
//! `/api/v1/account/billing-info` (R27). The work is in `crate::account_admin`; this module only
//! translates requests and answers.

use api::ErrorCode;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::Value;

use crate::account_admin::{self, AdminError, BillingInfo, BillingInfoInput, HandoverRequest};
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::routes::extract::JsonText;
use crate::state::AppState;

impl From<AdminError> for ApiError {
    fn from(error: AdminError) -> ApiError {
        let field = error.field();
        let api = match &error {
            AdminError::NotAUser => ApiError::unauthenticated(),
            AdminError::NotBillingContact { .. } => ApiError::new(
                StatusCode::FORBIDDEN,
                ErrorCode::NotBillingContact,
                error.to_string(),
            ),
            AdminError::CorporateAccount => ApiError::new(
                StatusCode::FORBIDDEN,
                ErrorCode::CorporateAccount,
                error.to_string(),
            ),
            AdminError::UnknownUser { .. } => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::UnknownUser,
                error.to_string(),
            ),
            AdminError::InvalidVatId { .. } => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::InvalidVatId,
                error.to_string(),
            ),
            AdminError::InvalidField { .. } | AdminError::NotAMember { .. } => {
                ApiError::invalid_request(error.to_string())
            }
            AdminError::Store(_) => return ApiError::internal(error),
        };
        match field {
            Some(field) => api.with_field(field),
            None => api,
        }
    }
}

/// `GET /api/v1/account/users`: `{"users":[{"id","name","email","billing_contact"}]}`, for every
/// user of a standard account (the read-only notice names the billing contact from it, R1).
pub async fn list_users(
    State(state): State<AppState>,
    user: AuthUser,
) -> ApiResult<Json<api::AccountUsers>> {
    let users = account_admin::users(&state.store, &user.session).await?;
    Ok(Json(api::AccountUsers { users }))
}

/// `PUT /api/v1/account/billing-contact` `{"user"}`: hands the role over (R26); `200` with the
/// users as they are now, `422 unknown_user` for a user of another account or none.
pub async fn hand_over(
    State(state): State<AppState>,
    user: AuthUser,
    body: JsonText,
) -> ApiResult<Json<api::AccountUsers>> {
    let HandoverRequest { user: to_user } = body.parse()?;
    let users = account_admin::hand_over(&state.store, &user.session, &to_user).await?;
    Ok(Json(api::AccountUsers { users }))
}

/// `GET /api/v1/account/billing-info`: the company name, country, address and VAT id (R27).
pub async fn get_billing_info(
    State(state): State<AppState>,
    user: AuthUser,
) -> ApiResult<Json<BillingInfo>> {
    Ok(Json(
        account_admin::billing_info(&state.store, &user.session).await?,
    ))
}

/// `PUT /api/v1/account/billing-info`: replaces the billing information (R27); `200` with it as
/// stored, `422 invalid_vat_id` (R21) or `422 invalid_request` with the field at fault (S46).
pub async fn put_billing_info(
    State(state): State<AppState>,
    user: AuthUser,
    body: JsonText,
) -> ApiResult<Json<BillingInfo>> {
    let input = BillingInfoInput::from_json(&body.parse::<Value>()?)?;
    Ok(Json(
        account_admin::update_billing_info(&state.store, &user.session, input).await?,
    ))
}
