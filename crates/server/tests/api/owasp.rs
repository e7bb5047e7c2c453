//! Hostile payment inputs (OWASP): each is a 4xx with an error code and changes nothing.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{ANNA, GIULIA, TestApp, eight_seats_order};

fn with_seats(seats: Value) -> Value {
    json!({"items": [{"op": "change", "subscription": "sub_1", "seats": seats}],
           "expected_total": "93.94", "payment_method": "pm_1"})
}

#[tokio::test]
async fn hostile_order_inputs_are_refused_and_change_nothing() {
    let app = TestApp::spawn().await;
    let t = app.sign_in(GIULIA).await;
    let anna = app.sign_in(ANNA).await;
    let before = app.account(&t).await;
    let before_anna = app.account(&anna).await;
    let mut with_price = eight_seats_order("pm_1");
    with_price["items"][0]["price"] = "0.01".into();
    let mut with_currency = eight_seats_order("pm_1");
    with_currency["currency"] = "USD".into();
    let mut with_total = eight_seats_order("pm_1");
    with_total["total"] = "0.00".into();
    let mut with_amount_due = eight_seats_order("pm_1");
    with_amount_due["amount_due"] = "0.00".into();
    let mut stale = eight_seats_order("pm_1");
    stale["expected_total"] = "0.01".into();
    let mut negative_total = eight_seats_order("pm_1");
    negative_total["expected_total"] = "-93.94".into();
    let mut fractional_total = eight_seats_order("pm_1");
    fractional_total["expected_total"] = "93.941".into();
    let cases: Vec<(&str, Value, StatusCode, &str)> = vec![
        (
            "negative seats",
            with_seats(json!(-8)),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_seats",
        ),
        (
            "zero seats",
            with_seats(json!(0)),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_seats",
        ),
        (
            "fractional seats",
            with_seats(json!(8.5)),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_seats",
        ),
        (
            "huge seats",
            with_seats(json!(1e30)),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_seats",
        ),
        (
            "huge integer seats",
            with_seats(json!(u64::MAX)),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_seats",
        ),
        (
            "string seats",
            with_seats(json!("8")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_seats",
        ),
        // `null` is an absent field: the change keeps the seat count, so it changes nothing.
        (
            "null seats",
            with_seats(Value::Null),
            StatusCode::UNPROCESSABLE_ENTITY,
            "no_change",
        ),
        (
            "a price in the body",
            with_price,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_request",
        ),
        (
            "a currency in the body",
            with_currency,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_request",
        ),
        (
            "a total in the body",
            with_total,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_request",
        ),
        (
            "an amount due in the body",
            with_amount_due,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_request",
        ),
        (
            "an unknown subscription",
            json!({"items": [{"op": "change", "subscription": "sub_999", "seats": 8}], "expected_total": "93.94", "payment_method": "pm_1"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_subscription",
        ),
        (
            "another account's subscription",
            json!({"items": [{"op": "change", "subscription": "sub_3", "seats": 8}], "expected_total": "93.94", "payment_method": "pm_1"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_subscription",
        ),
        (
            "a stale expected total",
            stale,
            StatusCode::CONFLICT,
            "price_changed",
        ),
        // S37: a total below zero is written with its sign (a net credit's), so a negative
        // figure that is not the order's total is a changed price, not a malformed one.
        (
            "a negative expected total",
            negative_total,
            StatusCode::CONFLICT,
            "price_changed",
        ),
        (
            "a sub-cent expected total",
            fractional_total,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_request",
        ),
        (
            "not an object",
            json!([1, 2, 3]),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_request",
        ),
        (
            "a string",
            json!("order"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_request",
        ),
    ];
    for (index, (what, body, status, code)) in cases.into_iter().enumerate() {
        let answer = app.order(&t, &format!("owasp-{index}"), &body).await;
        assert_eq!(
            (answer.status, answer.code()),
            (status, code),
            "{what}: {:?}",
            answer.body
        );
        // Quotes refuse the same inputs the same way (except `expected_total`, which is orders' own).
        if code != "price_changed" && !what.contains("expected total") {
            let quote = app.post("/api/v1/quote", Some(&t), &body).await;
            assert_eq!(quote.code(), code, "quote with {what}");
        }
    }
    let malformed = app
        .post_raw(
            "/api/v1/orders",
            Some(&t),
            Some("owasp-malformed"),
            "{\"items\": [",
        )
        .await;
    assert_eq!(malformed.code(), "invalid_request");
    assert_eq!(app.account(&t).await, before);
    assert_eq!(app.account(&anna).await, before_anna);
    assert_eq!(app.order_count("acc_rossi").await, 0);
    assert_eq!(app.order_count("acc_verdi").await, 0);
}

#[tokio::test]
async fn another_accounts_order_is_not_found() {
    let app = TestApp::spawn().await;
    let t = app.sign_in(GIULIA).await;
    let placed = app.order(&t, "mine", &eight_seats_order("pm_1")).await;
    let id = placed.body["id"].as_str().expect("an id");
    let anna = app.sign_in(ANNA).await;
    let answer = app.get(&format!("/api/v1/orders/{id}"), Some(&anna)).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert_eq!(answer.code(), "not_found");
}

#[tokio::test]
async fn another_accounts_payment_method_cannot_be_used() {
    let app = TestApp::spawn().await;
    let anna = app.sign_in(ANNA).await;
    let body = json!({"items": [{"op": "reactivate", "subscription": "sub_4", "tier": "professional",
        "seats": 3, "frequency": "monthly"}], "expected_total": "51.24", "payment_method": "pm_1"});
    let answer = app.order(&anna, "steal", &body).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer.code(), "payment_method_required");
    assert_eq!(app.order_count("acc_verdi").await, 0);
}
