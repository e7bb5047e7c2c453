//! `GET /api/v1/account`, and loading an account as it stands today (R16).

use axum::Json;
use axum::extract::State;

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::store::{AccountRecord, Placed};
use crate::wire;

/// The signed-in user's account as it stands today, and whether the user is its billing contact
/// (R1, read with the account): periods that ended are renewed or expired and the renewal charges
/// stored (R16). Reads without any lock; only when a renewal is due does it take the account's
/// lock, read again and store the renewal through the store's writer, under the guard of S20.
/// When another process stored it (or an order) meanwhile, it reads again; when a payment attempt
/// holds the account, it answers the account rolled forward without storing it (the next read
/// stores it): two processes renewing one account never answer an error.
pub async fn current_account(
    state: &AppState,
    user: &AuthUser,
) -> ApiResult<(AccountRecord, bool)> {
    let account_id = user.account_id();
    let mut record = state
        .store
        .account(account_id)
        .await?
        .ok_or_else(|| missing(account_id))?;
    let is_billing_contact = user.role_in(state, &record)?;
    let today = state.clock.today();
    let (_, events) =
        billing::roll_forward(state.catalog, &record.account, today).map_err(ApiError::internal)?;
    if events.is_empty() {
        return Ok((record, is_billing_contact));
    }
    let mut guard = state.store.lock_account(account_id).await;
    for _ in 0..3 {
        record = state
            .store
            .account(account_id)
            .await?
            .ok_or_else(|| missing(account_id))?;
        let (account, events) = billing::roll_forward(state.catalog, &record.account, today)
            .map_err(ApiError::internal)?;
        if events.is_empty() {
            return Ok((record, is_billing_contact));
        }
        let (placed, back) = state
            .store
            .save_roll_forward_locked(&account, record.version, &events, guard)
            .await?;
        guard = back;
        record.account = account;
        if placed == Placed::Stored {
            tracing::info!(account = account_id, events = events.len(), %today, "rolled forward (R16)");
            record.version += 1;
            return Ok((record, is_billing_contact));
        }
    }
    Ok((record, is_billing_contact))
}

/// The answer when a signed-in user's account is not in the store.
pub fn missing(account_id: &str) -> ApiError {
    ApiError::internal(format!("account {account_id} of a user is missing"))
}

/// The account object of api.md for the signed-in user.
pub fn account_answer(
    state: &AppState,
    record: &AccountRecord,
    is_billing_contact: bool,
) -> ApiResult<api::Account> {
    let next_payment =
        billing::next_payment(state.catalog, &record.account).map_err(ApiError::internal)?;
    Ok(wire::account(
        record,
        is_billing_contact,
        next_payment,
        state.clock.today(),
    ))
}

/// `GET /api/v1/account`: the signed-in user's account, read-only for users who are not the
/// billing contact (R1).
pub async fn get_account(
    State(state): State<AppState>,
    user: AuthUser,
) -> ApiResult<Json<api::Account>> {
    let (record, is_billing_contact) = current_account(&state, &user).await?;
    account_answer(&state, &record, is_billing_contact).map(Json)
}
