//! The cancellation reason (R29): optional on a cancel item, stored with the order and shown by
//! `GET /api/v1/orders/{id}`, refused with its field when it is not one of R29's.

use axum::http::StatusCode;
use serde_json::json;

use crate::helpers::{GIULIA, TestApp};

#[tokio::test]
async fn a_reason_is_stored_with_the_order_and_shown_with_it() {
    let app = TestApp::spawn().await;
    let t = app.sign_in(GIULIA).await;
    let cancel = json!({"items": [{"op": "cancel", "subscription": "sub_2",
        "reason": {"code": "too_expensive", "text": "  Costs more than we use  "}}],
        "expected_total": "0.00"});
    // A quote prices it like any cancel: the reason changes no price and is not echoed.
    let quoted = app.post("/api/v1/quote", Some(&t), &cancel).await;
    assert_eq!(quoted.status, StatusCode::OK, "{:?}", quoted.body);
    assert!(quoted.body.get("cancellation_reasons").is_none());
    let placed = app.order(&t, "cancel-why", &cancel).await;
    assert_eq!(placed.status, StatusCode::CREATED, "{:?}", placed.body);
    let expected = json!([{"item": 0, "subscription": "sub_2", "code": "too_expensive",
        "text": "Costs more than we use"}]);
    assert_eq!(placed.body["cancellation_reasons"], expected);
    let id = placed.body["id"].as_str().expect("an order id");
    let stored = app.get(&format!("/api/v1/orders/{id}"), Some(&t)).await;
    assert_eq!(stored.status, StatusCode::OK);
    assert_eq!(stored.body["cancellation_reasons"], expected);
    let history = app.get("/api/v1/orders", Some(&t)).await;
    assert_eq!(history.body["orders"][0]["cancellation_reasons"], expected);
}

#[tokio::test]
async fn an_order_without_a_reason_reads_as_before() {
    let app = TestApp::spawn().await;
    let t = app.sign_in(GIULIA).await;
    let cancel =
        json!({"items": [{"op": "cancel", "subscription": "sub_2"}], "expected_total": "0.00"});
    let placed = app.order(&t, "cancel-no-why", &cancel).await;
    assert_eq!(placed.status, StatusCode::CREATED, "{:?}", placed.body);
    assert!(placed.body.get("cancellation_reasons").is_none());
    let id = placed.body["id"].as_str().expect("an order id");
    let stored = app.get(&format!("/api/v1/orders/{id}"), Some(&t)).await;
    assert!(stored.body.get("cancellation_reasons").is_none());
}

#[tokio::test]
async fn a_bad_reason_is_refused_with_its_field_and_places_nothing() {
    let app = TestApp::spawn().await;
    let t = app.sign_in(GIULIA).await;
    let cases = [
        (json!({"code": "bored"}), "items[0].reason.code"),
        (
            json!({"code": "other", "text": "x".repeat(501)}),
            "items[0].reason.text",
        ),
        (json!({"code": "other", "why": "x"}), "items[0].reason"),
    ];
    for (reason, field) in cases {
        let cancel = json!({"items": [{"op": "cancel", "subscription": "sub_2", "reason": reason}],
            "expected_total": "0.00"});
        for answer in [
            app.post("/api/v1/quote", Some(&t), &cancel).await,
            app.order(&t, &format!("bad-{field}"), &cancel).await,
        ] {
            assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
            assert_eq!(answer.code(), "invalid_request", "{field}");
            assert_eq!(answer.body["error"]["field"], field);
        }
    }
    assert_eq!(app.order_count("acc_rossi").await, 0);
    // 500 characters are accepted.
    let cancel = json!({"items": [{"op": "cancel", "subscription": "sub_2",
        "reason": {"code": "other", "text": "è".repeat(500)}}], "expected_total": "0.00"});
    let placed = app.order(&t, "long-enough", &cancel).await;
    assert_eq!(placed.status, StatusCode::CREATED, "{:?}", placed.body);
}
