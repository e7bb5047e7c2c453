//! `POST /api/v1/orders`, `GET /api/v1/orders` and `GET /api/v1/orders/{id}`. Placing an order
//! is `crate::ordering`; this module only translates requests and answers.

use api::ErrorCode;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::ordering::{self, PlaceError};
use crate::routes::extract::{IdempotencyKey, JsonText};
use crate::state::AppState;
use crate::wire;

/// The answer of an order that was not placed.
fn refusal(error: PlaceError) -> ApiError {
    match error {
        PlaceError::NotAUser => ApiError::unauthenticated(),
        PlaceError::NotBillingContact => ApiError::new(
            StatusCode::FORBIDDEN,
            ErrorCode::NotBillingContact,
            "only the account's billing contact can place orders (R1)",
        ),
        PlaceError::Order(error) => error.into(),
        PlaceError::Invalid { message, field } => {
            ApiError::invalid_request(message).with_field(field)
        }
        PlaceError::PriceChanged { quote, expected } => {
            let message = format!(
                "the price changed: the total is now {} {}, not {expected}; confirm the new quote (R24)",
                quote.total, quote.currency
            );
            ApiError::new(StatusCode::CONFLICT, ErrorCode::PriceChanged, message)
                .with_field("expected_total")
                .with_quote(wire::quote(&quote))
        }
        PlaceError::PaymentMethodRequired => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::PaymentMethodRequired,
            "this order costs money: choose one of the account's unexpired payment methods (R20)",
        )
        .with_field("payment_method"),
        PlaceError::KeyReused => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::IdempotencyKeyReused,
            "this Idempotency-Key was used for another order; use a new key for a new order (R23)",
        ),
        PlaceError::Busy => ApiError::new(
            StatusCode::CONFLICT,
            ErrorCode::OrderInProgress,
            "another order of this account is being paid; try again in a moment (S20)",
        ),
        error @ (PlaceError::Provider(_) | PlaceError::Store(_) | PlaceError::Internal(_)) => {
            ApiError::internal(error)
        }
    }
}

/// Places an order: `201` with the order, the answer stored for the key (R23), or an error that
/// places nothing and changes nothing. The order is placed in a task of its own, so that a client
/// that goes away (or the request timeout) cannot stop it between the charge and the commit.
pub async fn place_order(
    State(state): State<AppState>,
    user: AuthUser,
    IdempotencyKey(key): IdempotencyKey,
    body: JsonText,
) -> ApiResult<Response> {
    let placing = tokio::spawn(ordering::place(state, user, key, body.0));
    let answer = placing
        .await
        .map_err(ApiError::internal)?
        .map_err(refusal)?;
    let status = StatusCode::from_u16(answer.status).map_err(ApiError::internal)?;
    Ok((status, Json(answer.body)).into_response())
}

/// `GET /api/v1/orders`: the billing history, orders and renewals (R28), newest first.
pub async fn list_orders(
    State(state): State<AppState>,
    user: AuthUser,
) -> ApiResult<Json<api::Orders>> {
    let orders = super::renewals::history(&state, user.account_id()).await?;
    Ok(Json(api::Orders { orders }))
}

/// `GET /api/v1/orders/{id}`: one order or renewal (the receipt, with the billing information it
/// was placed with, R27); another account's is `404`.
pub async fn get_order(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> ApiResult<Json<api::HistoryEntry>> {
    if let Some(order) = state.store.order_receipt(user.account_id(), &id).await? {
        return Ok(Json(api::HistoryEntry::Order(Box::new(order))));
    }
    // R28: a renewal is an entry of the history too.
    super::renewals::find(&state, user.account_id(), &id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found("order"))
}
