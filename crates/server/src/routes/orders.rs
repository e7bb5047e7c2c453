//! `POST /api/v1/orders`, `GET /api/v1/orders` and `GET /api/v1/orders/{id}`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use billing::{Order, OrderRequest, Quote};
use serde_json::{Value, json};

use crate::auth::{AuthUser, random_id, sha256_hex};
use crate::error::{ApiError, ApiResult};
use crate::payments::{Charge, PaymentError};
use crate::routes::account::{missing, roll_forward_locked};
use crate::routes::extract::{IdempotencyKey, JsonText};
use crate::state::AppState;
use crate::store::{NewOrder, Placed, StoredAnswer};

/// The fingerprint of a request body for R23: the SHA-256 of its canonical JSON (keys sorted,
/// no insignificant white space), so the same order sent twice matches.
fn fingerprint(body: &str) -> String {
    match serde_json::from_str::<Value>(body) {
        Ok(value) => sha256_hex(&canonical(&value)),
        Err(_) => sha256_hex(body),
    }
}

fn canonical(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let members: Vec<String> = keys
                .into_iter()
                .map(|k| format!("{}:{}", Value::String(k.clone()), canonical(&map[k])))
                .collect();
            format!("{{{}}}", members.join(","))
        }
        Value::Array(items) => {
            format!(
                "[{}]",
                items.iter().map(canonical).collect::<Vec<_>>().join(",")
            )
        }
        other => other.to_string(),
    }
}

/// Replays a stored answer, or refuses a key used for another order (R23).
fn replay(stored: StoredAnswer, request_hash: &str) -> ApiResult<Response> {
    if stored.request_hash != request_hash {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "idempotency_key_reused",
            "this Idempotency-Key was used for another order; use a new key for a new order (R23)",
        ));
    }
    let status = StatusCode::from_u16(stored.status).map_err(ApiError::internal)?;
    Ok((status, Json(stored.body)).into_response())
}

/// The receipt e-mail of an order (R22).
fn receipt_text(order_id: &str, quote: &Quote, status: &str) -> String {
    let mut text = format!("Thank you for your order {order_id}.\n\n");
    for line in &quote.lines {
        text.push_str(&format!(
            "{}  {} .. {}  {} {}\n",
            line.description, line.period_start, line.period_end, line.amount, quote.currency
        ));
    }
    text.push_str(&format!(
        "\nSubtotal {} {c}\nTax {} {c}\nTotal {} {c}\nCredit applied {} {c}\nPaid {} {c} ({status})\n",
        quote.subtotal,
        quote.tax.amount,
        quote.total,
        quote.credit_applied,
        quote.amount_due,
        c = quote.currency
    ));
    text
}

/// Whether a card with expiry `YYYY-MM` can still be charged `today` (through the end of that
/// month).
fn card_is_valid(exp: &str, today: chrono::NaiveDate) -> bool {
    let Some((year, month)) = exp.split_once('-') else {
        return false;
    };
    match (year.parse::<i32>(), month.parse::<u32>()) {
        (Ok(year), Ok(month)) => {
            use chrono::Datelike;
            (year, month) >= (today.year(), today.month())
        }
        _ => false,
    }
}

/// Places an order: `201` with the order, or an error that places nothing and changes nothing.
pub async fn place_order(
    State(state): State<AppState>,
    user: AuthUser,
    IdempotencyKey(key): IdempotencyKey,
    body: JsonText,
) -> ApiResult<Response> {
    let account_id = user.account_id();
    // One order at a time per account in this process: a second request with the same key waits
    // here until the first one's order is committed, then finds its answer (R23). Orders of other
    // accounts go on meanwhile.
    let guard = state.store.lock_account(account_id).await;
    let (record, stored) = state.store.account_and_answer(account_id, &key).await?;
    let record = record.ok_or_else(|| missing(account_id))?;
    // R1: only the billing contact places orders. The flag comes with the account, as stored now.
    if !user.role_in(&state, &record)? {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "not_billing_contact",
            "only the account's billing contact can place orders (R1)",
        ));
    }
    let request_hash = fingerprint(&body.0);
    if let Some(stored) = stored {
        return replay(stored, &request_hash);
    }
    let (record, guard) = roll_forward_locked(&state, record, guard).await?;
    // R2: corporate accounts order through their sales representative.
    if record.account.kind() == billing::AccountKind::Corporate {
        return Err(billing::OrderError::CorporateAccount.into());
    }
    let request = OrderRequest::from_json(&body.0)?;
    let today = state.clock.today();
    if request.as_of.is_some_and(|as_of| as_of != today) {
        return Err(ApiError::invalid_request(format!(
            "orders are placed today ({today}); `as_of` is for quotes only (R9)"
        ))
        .with_field("as_of"));
    }
    let order = Order::parse(&request)?;
    let mut id_error = None;
    let placement = billing::apply_order(state.catalog, &record.account, &order, today, |_| {
        random_id("sub").unwrap_or_else(|error| {
            id_error = Some(error);
            String::new()
        })
    })?;
    if let Some(error) = id_error {
        return Err(ApiError::internal(error));
    }
    let quote = placement.quote;
    let fresh_quote = || serde_json::to_value(&quote).map_err(ApiError::internal);
    // R24: the client confirms the total it showed; a different price places nothing.
    match request.expected_total {
        None => {
            return Err(ApiError::invalid_request(
                "send the total you showed the customer as `expected_total` (R24)",
            )
            .with_field("expected_total"));
        }
        // S37: exactly the currency's minor digits ("17.08", not "17.080").
        Some(expected) if !quote.currency.has_minor_digits(expected) => {
            return Err(ApiError::invalid_request(format!(
                "`expected_total` must be an amount in {} with its minor digits, like \"93.94\"",
                quote.currency
            ))
            .with_field("expected_total"));
        }
        Some(expected) if expected != quote.total => {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "price_changed",
                format!(
                    "the price changed: the total is now {} {}, not {expected}; confirm the new quote (R24)",
                    quote.total, quote.currency
                ),
            )
            .with_field("expected_total")
            .with_extra("quote", fresh_quote()?));
        }
        Some(_) => {}
    }
    // R20: an amount due needs one of the account's own payment methods, charged before anything
    // is stored; a decline changes nothing. The charge happens here, in the request's own task and
    // under the account's lock, never in the store's writer, so a slow provider delays only this
    // order. It carries the idempotency key: if the order is then not stored (a failed commit, a
    // crash before it), the client's retry with the same key charges the provider again with that
    // key, which a provider honouring idempotency answers with the first charge instead of a
    // second one; a failed store is also logged with the payment reference to refund.
    let mut payment_reference = None;
    if quote.amount_due.is_positive() {
        let method = request
            .payment_method
            .as_deref()
            .and_then(|id| record.payment_methods.iter().find(|pm| pm.id == id))
            .filter(|pm| card_is_valid(&pm.exp, today))
            .ok_or_else(|| {
                ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "payment_method_required",
                    "this order costs money: choose one of the account's unexpired payment methods (R20)",
                )
                .with_field("payment_method")
            })?;
        let charge = Charge {
            account_id,
            method,
            amount: quote.amount_due,
            currency: quote.currency,
            idempotency_key: &key,
        };
        match state.payments.charge(charge).await {
            Ok(reference) => payment_reference = Some(reference),
            Err(PaymentError::Declined) => {
                return Err(ApiError::new(
                    StatusCode::PAYMENT_REQUIRED,
                    "payment_declined",
                    "the payment was declined; nothing was ordered: try another payment method (R20)",
                )
                .with_field("payment_method"));
            }
            Err(error) => return Err(ApiError::internal(error)),
        }
    }
    let order_id = random_id("ord").map_err(ApiError::internal)?;
    let receipt_id = random_id("mail").map_err(ApiError::internal)?;
    let placed_at = state
        .clock
        .now()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let status = if payment_reference.is_some() {
        "paid"
    } else {
        "no_payment_needed"
    };
    let mut order_json = fresh_quote()?;
    order_json["id"] = order_id.clone().into();
    order_json["placed_at"] = placed_at.clone().into();
    order_json["status"] = status.into();
    order_json["assign_licenses"] = placement.assign_licenses.into();
    // The user placing it is a billing contact of the account (checked above), so it has one.
    let recipient = record
        .billing_contact
        .as_ref()
        .map(|(_, email)| email.clone())
        .ok_or_else(|| {
            ApiError::internal("an account without a billing contact placed an order")
        })?;
    let subject = format!("Your receipt for order {order_id}");
    let text = receipt_text(&order_id, &quote, status);
    let new_order = NewOrder {
        id: &order_id,
        placed_at: &placed_at,
        status,
        quote: &quote,
        body: &order_json,
        account: &placement.account,
        payment_reference: payment_reference.as_deref(),
        idempotency_key: &key,
        request_hash: &request_hash,
        receipt: (&recipient, &subject, &text),
        receipt_id: &receipt_id,
    };
    // The order joins the store's writer queue and is committed with whatever other orders are
    // waiting (group commit); the answer comes after the commit. The account's lock travels with
    // it and is released after the commit.
    let placed = state
        .store
        .place_order_locked(&new_order, guard)
        .await
        .inspect_err(|error| {
            if let Some(reference) = &payment_reference {
                // The charge went through but the order could not be stored: someone must refund it.
                tracing::error!(%error, payment = %reference, account = %account_id,
                "payment charged but the order was not stored; refund it");
            }
        })?;
    match placed {
        Placed::Stored => {}
        Placed::KeyTaken => {
            // Another process placed an order with this key meanwhile (R23).
            let stored = state
                .store
                .idempotent_answer(account_id, &key)
                .await?
                .ok_or_else(|| ApiError::internal("idempotency record vanished"))?;
            return replay(stored, &request_hash);
        }
    }
    tracing::info!(order = %order_id, account = %account_id, total = %quote.total, status, "order placed");
    Ok((StatusCode::CREATED, Json(order_json)).into_response())
}

/// `GET /api/v1/orders`: the billing history, newest first.
pub async fn list_orders(State(state): State<AppState>, user: AuthUser) -> ApiResult<Json<Value>> {
    let orders = state.store.orders(user.account_id()).await?;
    Ok(Json(json!({ "orders": orders })))
}

/// `GET /api/v1/orders/{id}`: one order (the receipt); another account's order is `404`.
pub async fn get_order(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    state
        .store
        .order(user.account_id(), &id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found("order"))
}
