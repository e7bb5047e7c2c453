//! `POST /api/v1/quote`: prices an order request and changes nothing.

use axum::Json;
use axum::extract::State;
use billing::{Order, OrderRequest, Quote};

use crate::auth::AuthUser;
use crate::error::ApiResult;
use crate::routes::account::current_account;
use crate::routes::extract::JsonText;
use crate::state::AppState;

/// Prices the order at today, or at the request's `as_of` for a preview inside the current
/// periods (R9). Validation errors are the same as for orders; `expected_total` and
/// `payment_method`, which belong to orders, are ignored.
pub async fn quote(
    State(state): State<AppState>,
    user: AuthUser,
    body: JsonText,
) -> ApiResult<Json<Quote>> {
    let request = OrderRequest::from_json(&body.0)?;
    let order = Order::parse(&request)?;
    let (record, _) = current_account(&state, &user).await?;
    let as_of = request.as_of.unwrap_or_else(|| state.clock.today());
    Ok(Json(billing::quote(
        state.catalog,
        &record.account,
        &order,
        as_of,
    )?))
}
