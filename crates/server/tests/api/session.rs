//! `POST /api/v1/session` and bearer tokens (the limits and the end of sessions: `signin.rs`).

use axum::http::StatusCode;
use serde_json::json;

use crate::helpers::{GIULIA, MARCO, TestApp, eight_seats_order};

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
    assert!(store.session(&token, 0).await.expect("query").is_none());
    assert!(store.session(&hash, 0).await.expect("query").is_some());
    // An expired session does not authenticate.
    assert!(
        store
            .session(&hash, i64::MAX)
            .await
            .expect("query")
            .is_none()
    );
}

#[tokio::test]
async fn a_session_ends_at_its_expiry() {
    let app = TestApp::spawn().await;
    let now = chrono::Utc::now().timestamp();
    for (expires_at, status) in [
        (now + 60, StatusCode::OK),
        // The store's query is `expires_at > now`: a session at its expiry is over.
        (now, StatusCode::UNAUTHORIZED),
        (now - 1, StatusCode::UNAUTHORIZED),
    ] {
        let (token, hash) = checkout_server::auth::new_token().expect("a token");
        app.state
            .store
            .create_session(&hash, "usr_giulia", expires_at)
            .await
            .expect("stored");
        let answer = app.get("/api/v1/account", Some(&token)).await;
        assert_eq!(answer.status, status, "{expires_at} at {now}");
    }
}

#[tokio::test]
async fn the_billing_contact_flag_is_read_with_every_request() {
    let app = TestApp::spawn().await;
    let giulia = app.sign_in(GIULIA).await;
    let marco = app.sign_in(MARCO).await;
    assert_eq!(app.account(&marco).await["is_billing_contact"], false);
    assert_eq!(app.account(&giulia).await["is_billing_contact"], true);
    // The roles change in the store behind the server's back (an operator, another process).
    app.execute_sql("UPDATE users SET is_billing_contact = 1 - is_billing_contact")
        .await;
    assert_eq!(app.account(&marco).await["is_billing_contact"], true);
    assert_eq!(app.account(&giulia).await["is_billing_contact"], false);
    let refused = app
        .order(&giulia, "k-demoted", &eight_seats_order("pm_1"))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.code(), "not_billing_contact");
    assert_eq!(app.order_count("acc_rossi").await, 0);
    let placed = app
        .order(&marco, "k-promoted", &eight_seats_order("pm_1"))
        .await;
    assert_eq!(placed.status, StatusCode::CREATED, "{:?}", placed.body);
}

#[tokio::test]
async fn a_session_follows_its_user_to_another_account_at_once() {
    let app = TestApp::spawn().await;
    let marco = app.sign_in(MARCO).await;
    assert_eq!(app.account(&marco).await["id"], "acc_rossi");
    app.execute_sql("UPDATE users SET account_id = 'acc_verdi' WHERE id = 'usr_marco'")
        .await;
    // The session is read with the request: the next one sees the user's new account.
    assert_eq!(app.account(&marco).await["id"], "acc_verdi");
}

#[tokio::test]
async fn a_session_made_by_another_process_works_at_once() {
    let app = TestApp::spawn().await;
    // A second server over the same store, with its own (empty) session cache.
    let other = checkout_server::AppState::new(app.state.store.clone(), app.state.clock);
    let router = checkout_server::app(other.clone(), &checkout_server::HttpConfig::default());
    let token = app.sign_in(GIULIA).await;
    let request = axum::http::Request::builder()
        .uri("/api/v1/account")
        .header("authorization", format!("Bearer {token}"))
        .body(axum::body::Body::empty())
        .expect("a request");
    let answer = tower::ServiceExt::oneshot(router, request)
        .await
        .expect("an answer");
    assert_eq!(answer.status(), StatusCode::OK);
}
