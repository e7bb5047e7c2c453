//! `POST /api/v1/session` and bearer tokens.

use axum::http::StatusCode;
use serde_json::json;

use crate::helpers::{GIULIA, TestApp};

#[tokio::test]
async fn the_billing_contact_signs_in_and_gets_a_random_token() {
    let app = TestApp::spawn().await;
    let first = app.sign_in(GIULIA).await;
    let second = app.sign_in(GIULIA).await;
    assert_eq!(first.len(), 64);
    assert_ne!(first, second);
    assert_eq!(
        app.get("/api/v1/account", Some(&first)).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_get_the_same_answer() {
    let app = TestApp::spawn().await;
    let wrong = app
        .post(
            "/api/v1/session",
            None,
            &json!({"email": GIULIA.0, "password": "nope"}),
        )
        .await;
    let unknown = app
        .post(
            "/api/v1/session",
            None,
            &json!({"email": "nobody@example.com", "password": "nope"}),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.code(), "invalid_credentials");
    assert_eq!(wrong.body, unknown.body);
    assert_eq!(wrong.status, unknown.status);
}

#[tokio::test]
async fn the_email_is_compared_without_case() {
    let app = TestApp::spawn().await;
    app.sign_in(("Giulia.Rossi@Example.com", GIULIA.1)).await;
}

#[tokio::test]
async fn unknown_fields_in_the_sign_in_body_are_refused() {
    let app = TestApp::spawn().await;
    let answer = app
        .post(
            "/api/v1/session",
            None,
            &json!({"email": GIULIA.0, "password": GIULIA.1, "admin": true}),
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer.code(), "invalid_request");
    let missing = app
        .post("/api/v1/session", None, &json!({"email": GIULIA.0}))
        .await;
    assert_eq!(missing.code(), "invalid_request");
}

#[tokio::test]
async fn repeated_failed_sign_ins_are_rate_limited_even_with_the_right_password() {
    let app = TestApp::spawn().await;
    let wrong = json!({"email": GIULIA.0, "password": "guess"});
    for _ in 0..5 {
        let answer = app.post("/api/v1/session", None, &wrong).await;
        assert_eq!(answer.code(), "invalid_credentials");
    }
    let blocked = app.post("/api/v1/session", None, &wrong).await;
    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(blocked.code(), "too_many_attempts");
    let right = app
        .post(
            "/api/v1/session",
            None,
            &json!({"email": GIULIA.0, "password": GIULIA.1}),
        )
        .await;
    assert_eq!(right.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_missing_malformed_or_unknown_token_is_unauthenticated() {
    let app = TestApp::spawn().await;
    for token in [None, Some("not-a-token"), Some("")] {
        let answer = app.get("/api/v1/account", token).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{token:?}");
        assert_eq!(answer.code(), "unauthenticated");
    }
    let request = axum::http::Request::builder()
        .uri("/api/v1/orders")
        .header("authorization", "Basic Z2l1bGlhOnB3")
        .body(axum::body::Body::empty())
        .expect("a request");
    assert_eq!(app.send(request).await.code(), "unauthenticated");
}

#[tokio::test]
async fn only_a_hash_of_the_token_is_stored() {
    let app = TestApp::spawn().await;
    let token = app.sign_in(GIULIA).await;
    let hash = checkout_server::auth::sha256_hex(&token);
    let store = &app.state.store;
    assert!(
        store
            .user_by_session(&token, 0)
            .await
            .expect("query")
            .is_none()
    );
    assert!(
        store
            .user_by_session(&hash, 0)
            .await
            .expect("query")
            .is_some()
    );
    // An expired session does not authenticate.
    assert!(
        store
            .user_by_session(&hash, i64::MAX)
            .await
            .expect("query")
            .is_none()
    );
}
