//! Idempotency keys (R23).

use axum::http::StatusCode;

use crate::helpers::{GIULIA, TestApp, eight_seats_order};

#[tokio::test]
async fn an_order_without_an_idempotency_key_is_refused() {
    let app = TestApp::spawn().await;
    let token = app.sign_in(GIULIA).await;
    let body = eight_seats_order("pm_1").to_string();
    let missing = app
        .post_raw("/api/v1/orders", Some(&token), None, body.clone())
        .await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    assert_eq!(missing.code(), "missing_idempotency_key");
    let empty = app
        .post_raw("/api/v1/orders", Some(&token), Some(""), body.clone())
        .await;
    assert_eq!(empty.code(), "missing_idempotency_key");
    let long = "k".repeat(256);
    let too_long = app
        .post_raw("/api/v1/orders", Some(&token), Some(&long), body.clone())
        .await;
    assert_eq!(too_long.status, StatusCode::BAD_REQUEST);
    assert_eq!(too_long.code(), "invalid_idempotency_key");
    let longest = "k".repeat(255);
    let fine = app
        .post_raw("/api/v1/orders", Some(&token), Some(&longest), body)
        .await;
    assert_eq!(fine.status, StatusCode::CREATED);
}

#[tokio::test]
async fn the_same_key_with_another_order_is_refused_and_places_nothing() {
    let app = TestApp::spawn().await;
    let token = app.sign_in(GIULIA).await;
    let first = app.order(&token, "key-1", &eight_seats_order("pm_1")).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let other = serde_json::json!({
        "items": [{"op": "cancel", "subscription": "sub_2"}],
        "expected_total": "0.00"
    });
    let reused = app.order(&token, "key-1", &other).await;
    assert_eq!(reused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reused.code(), "idempotency_key_reused");
    assert_eq!(app.order_count("acc_rossi").await, 1);
    let account = app.account(&token).await;
    assert_eq!(account["subscriptions"][1]["status"], "active");
}

#[tokio::test]
async fn the_same_order_with_its_keys_in_another_order_is_a_replay() {
    let app = TestApp::spawn().await;
    let token = app.sign_in(GIULIA).await;
    let a = r#"{"items":[{"op":"change","subscription":"sub_1","seats":8}],"expected_total":"93.94","payment_method":"pm_1"}"#;
    let b = r#"{ "payment_method":"pm_1", "expected_total":"93.94", "items":[{"seats":8,"subscription":"sub_1","op":"change"}] }"#;
    let first = app
        .post_raw("/api/v1/orders", Some(&token), Some("k"), a)
        .await;
    let second = app
        .post_raw("/api/v1/orders", Some(&token), Some("k"), b)
        .await;
    assert_eq!(first.status, StatusCode::CREATED);
    assert_eq!(second.status, StatusCode::CREATED);
    assert_eq!(first.body["id"], second.body["id"]);
}

pub async fn many_concurrent_requests_with_one_key(app: &TestApp) {
    let token = app.sign_in(GIULIA).await;
    let body = eight_seats_order("pm_1");
    let answers = futures_join(app, &token, &body, 24).await;
    let ids: std::collections::BTreeSet<String> = answers
        .iter()
        .map(|(status, id)| {
            assert_eq!(*status, StatusCode::CREATED);
            id.clone()
        })
        .collect();
    assert_eq!(ids.len(), 1, "one order for one key: {ids:?}");
    assert_eq!(app.order_count("acc_rossi").await, 1);
    let account = app.account(&token).await;
    assert_eq!(account["subscriptions"][0]["seats"], 8);
}

async fn futures_join(
    app: &TestApp,
    token: &str,
    body: &serde_json::Value,
    count: usize,
) -> Vec<(StatusCode, String)> {
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..count {
        let router = app.router.clone();
        let request = axum::http::Request::builder()
            .method("POST")
            .uri("/api/v1/orders")
            .header("content-type", "application/json")
            .header("authorization", format!("Bearer {token}"))
            .header("idempotency-key", "one-key-for-all")
            .body(axum::body::Body::from(body.to_string()))
            .expect("a request");
        tasks.spawn(async move {
            use http_body_util::BodyExt;
            use tower::ServiceExt;
            let response = router.oneshot(request).await.expect("an answer");
            let status = response.status();
            let bytes = response
                .into_body()
                .collect()
                .await
                .expect("a body")
                .to_bytes();
            let json: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON");
            (status, json["id"].as_str().unwrap_or("").to_owned())
        });
    }
    tasks.join_all().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_concurrent_requests_with_one_key_place_one_order() {
    let app = TestApp::spawn().await;
    many_concurrent_requests_with_one_key(&app).await;
}
