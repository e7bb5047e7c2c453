//! `POST /api/v1/quote`: prices an order request and changes nothing.

use api::ErrorCode;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use billing::{Order, OrderRequest};

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::routes::account::current_account;
use crate::routes::extract::JsonText;
use crate::state::AppState;
use crate::wire;

/// Prices the order at today, or at the request's `as_of` for a preview inside the current
/// periods (R9): from today to the day before the account's first renewal or expiry (S36), else
/// `422 as_of_outside_period` with field `as_of`. Validation errors are the same as for orders; `expected_total` and
/// `payment_method`, which belong to orders, are ignored.
pub async fn quote(
    State(state): State<AppState>,
    user: AuthUser,
    body: JsonText,
) -> ApiResult<Json<api::Quote>> {
    let request = OrderRequest::from_json(&body.0)?;
    let order = Order::parse(&request)?;
    // R29: a bad cancellation reason is refused by quotes as by orders (S55).
    request.cancel_reasons()?;
    let (record, _) = current_account(&state, &user).await?;
    let today = state.clock.today();
    let as_of = request.as_of.unwrap_or(today);
    // R9, S36: a preview date lies between today and the account's next renewal or expiry.
    let dates = record.account.quote_dates(today);
    if !dates.contains(as_of) {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::AsOfOutsidePeriod,
            format!(
                "`as_of` must be a date from {} to {} (today up to the first end of a current \
             period, R9)",
                dates.start(),
                dates.end().pred_opt().unwrap_or(dates.start()),
            ),
        )
        .with_field("as_of"));
    }
    let quote = billing::quote(state.catalog, &record.account, &order, as_of)?;
    Ok(Json(wire::quote(&quote)))
}
