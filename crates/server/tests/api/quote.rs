//! `POST /api/v1/quote`: pure pricing with the order's validation errors.

use axum::http::StatusCode;
use serde_json::json;

use crate::helpers::{ACME, GIULIA, MARCO, TestApp, eight_seats};

#[tokio::test]
async fn a_quote_prices_the_change_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let token = app.sign_in(GIULIA).await;
    let before = app.account(&token).await;
    let answer = app
        .post("/api/v1/quote", Some(&token), &eight_seats())
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.body["total"], "93.94");
    assert_eq!(answer.body["lines"][0]["amount"], "-35.00");
    assert_eq!(answer.body["lines"][1]["amount"], "112.00");
    assert_eq!(answer.body["tax"]["amount"], "16.94");
    assert_eq!(app.account(&token).await, before);
    assert_eq!(app.order_count("acc_rossi").await, 0);
}

#[tokio::test]
async fn a_quote_may_preview_another_date_inside_the_period() {
    let app = TestApp::spawn().await;
    let token = app.sign_in(GIULIA).await;
    let mut body = eight_seats();
    body["as_of"] = "2026-11-21".into();
    let answer = app.post("/api/v1/quote", Some(&token), &body).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.body["as_of"], "2026-11-21");
    body["as_of"] = "2027-05-01".into();
    let outside = app.post("/api/v1/quote", Some(&token), &body).await;
    assert_eq!(outside.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(outside.code(), "as_of_outside_period");
}

#[tokio::test]
async fn a_user_who_is_not_the_billing_contact_may_still_quote() {
    let app = TestApp::spawn().await;
    let token = app.sign_in(MARCO).await;
    let answer = app
        .post("/api/v1/quote", Some(&token), &eight_seats())
        .await;
    assert_eq!(answer.status, StatusCode::OK);
}

#[tokio::test]
async fn quote_errors_carry_the_codes_and_statuses_of_orders() {
    let app = TestApp::spawn().await;
    let token = app.sign_in(GIULIA).await;
    let cases = [
        (
            json!({"items": []}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "empty_order",
        ),
        (
            json!({"items": [{"op": "buy", "product": "meeting", "tier": "business", "seats": 1, "frequency": "monthly"}]}),
            StatusCode::CONFLICT,
            "product_already_subscribed",
        ),
        (
            json!({"items": [{"op": "change", "subscription": "sub_1", "seats": 0}]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_seats",
        ),
        (
            json!({"items": [{"op": "explode"}]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_request",
        ),
    ];
    for (body, status, code) in cases {
        let answer = app.post("/api/v1/quote", Some(&token), &body).await;
        assert_eq!((answer.status, answer.code()), (status, code), "{body}");
    }
    let acme = app.sign_in(ACME).await;
    let corporate = app
        .post(
            "/api/v1/quote",
            Some(&acme),
            &json!({"items": [{"op": "change", "subscription": "sub_3", "seats": 130}]}),
        )
        .await;
    assert_eq!(corporate.status, StatusCode::FORBIDDEN);
    assert_eq!(corporate.code(), "corporate_account");
    assert_eq!(
        app.post("/api/v1/quote", None, &eight_seats()).await.code(),
        "unauthenticated"
    );
}
