//! `GET /api/v1/account`, and loading an account as it stands today (R16).

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};
use tokio::sync::MutexGuard;

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::store::AccountRecord;

/// The account as it stands today: periods that ended are renewed or expired and the renewal
/// charges stored (R16). The caller holds the write lock.
pub async fn current_account_locked(
    state: &AppState,
    account_id: &str,
    _lock: &MutexGuard<'_, ()>,
) -> ApiResult<AccountRecord> {
    let mut record =
        state.store.account(account_id).await?.ok_or_else(|| {
            ApiError::internal(format!("account {account_id} of a user is missing"))
        })?;
    let today = state.clock.today();
    let (account, events) =
        billing::roll_forward(state.catalog, &record.account, today).map_err(ApiError::internal)?;
    if !events.is_empty() {
        state.store.save_roll_forward(&account, &events).await?;
        tracing::info!(account = account_id, events = events.len(), %today, "rolled forward (R16)");
        record.account = account;
    }
    Ok(record)
}

/// [`current_account_locked`], taking the write lock for the time it needs.
pub async fn current_account(state: &AppState, account_id: &str) -> ApiResult<AccountRecord> {
    let lock = state.write_lock.lock().await;
    current_account_locked(state, account_id, &lock).await
}

/// The account object of api.md for the signed-in user.
pub fn account_json(
    state: &AppState,
    record: &AccountRecord,
    is_billing_contact: bool,
) -> ApiResult<Value> {
    let mut json = serde_json::to_value(&record.account).map_err(ApiError::internal)?;
    let next_payment =
        billing::next_payment(state.catalog, &record.account).map_err(ApiError::internal)?;
    json["name"] = record.name.clone().into();
    json["billing_contact"] = match &record.billing_contact {
        Some((name, email)) => json!({ "name": name, "email": email }),
        None => Value::Null,
    };
    json["is_billing_contact"] = is_billing_contact.into();
    json["payment_methods"] =
        serde_json::to_value(&record.payment_methods).map_err(ApiError::internal)?;
    json["next_payment"] = serde_json::to_value(next_payment).map_err(ApiError::internal)?;
    json["as_of"] = state.clock.today().to_string().into();
    Ok(json)
}

/// `GET /api/v1/account`: the signed-in user's account, read-only for users who are not the
/// billing contact (R1).
pub async fn get_account(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
) -> ApiResult<Json<Value>> {
    let record = current_account(&state, &user.account_id).await?;
    account_json(&state, &record, user.is_billing_contact).map(Json)
}
