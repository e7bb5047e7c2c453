//! The same API scenarios against PostgreSQL: the store's code is the same for both databases.

use checkout_server::HttpConfig;
use checkout_server::store::Backend;

use axum::http::StatusCode;

use crate::helpers::{GIULIA, TODAY, TestApp, date};
use crate::pg::PgCluster;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_store_works_the_same_on_postgresql() {
    let Some(cluster) = PgCluster::start() else {
        return;
    };
    let dir = tempfile::tempdir().expect("a temp dir");
    let app = TestApp::spawn_on(&cluster.url, TODAY, dir, HttpConfig::default()).await;
    assert_eq!(app.state.store.backend(), Backend::Postgres);
    crate::scenario::done_when(&app).await;
    // Reopening migrates nothing twice and seeds nothing twice.
    let again = checkout_server::store::Store::connect(&cluster.url)
        .await
        .expect("reopens");
    assert!(
        !checkout_server::demo::seed(&again)
            .await
            .expect("seed runs")
    );
    again.close().await;
    app.state.store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_orders_with_one_key_place_one_order_on_postgresql() {
    let Some(cluster) = PgCluster::start() else {
        return;
    };
    let dir = tempfile::tempdir().expect("a temp dir");
    let app = TestApp::spawn_on(&cluster.url, TODAY, dir, HttpConfig::default()).await;
    crate::idempotency::many_concurrent_requests_with_one_key(&app).await;
    app.state.store.close().await;
}

/// Two stores over one database act as two server processes (each with its own in-process
/// locks): renewals due (R16) are stored once whoever reads first, never answer an error, and
/// never undo an order placed meanwhile on the other (S20).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_processes_renewing_and_ordering_at_once_store_each_change_once() {
    let Some(cluster) = PgCluster::start() else {
        return;
    };
    let day = "2026-12-02";
    let a = TestApp::spawn_on_shared(&cluster.url, day).await;
    let b = TestApp::spawn_on_shared(&cluster.url, day).await;
    let token = a.sign_in(GIULIA).await;
    // The total of 8 seats on the renewed meeting subscription, priced by the engine from the
    // stored account rolled forward, so the order races the renewal rather than following it.
    let stored = a
        .state
        .store
        .account("acc_rossi")
        .await
        .expect("query")
        .expect("rossi");
    let (rolled, events) =
        billing::roll_forward(a.state.catalog, &stored.account, date(day)).expect("rolls");
    assert!(!events.is_empty(), "a renewal is due");
    let mut body =
        serde_json::json!({"items": [{"op": "change", "subscription": "sub_1", "seats": 8}]});
    let request = billing::OrderRequest::from_json(&body.to_string()).expect("a request");
    let quote = billing::quote(
        a.state.catalog,
        &rolled,
        &billing::Order::parse(&request).expect("an order"),
        date(day),
    )
    .expect("priced");
    body["expected_total"] = quote.total.to_string().into();
    body["payment_method"] = "pm_1".into();
    let mut reads = tokio::task::JoinSet::new();
    for n in 0..12 {
        let app = if n % 2 == 0 { &a } else { &b };
        let (router, token) = (app.router.clone(), token.clone());
        reads.spawn(async move {
            use tower::ServiceExt;
            let request = axum::http::Request::get("/api/v1/account")
                .header("authorization", format!("Bearer {token}"))
                .body(axum::body::Body::empty())
                .expect("a request");
            router.oneshot(request).await.expect("an answer").status()
        });
    }
    let order = b.order(&token, "renew-race", &body).await;
    assert_eq!(order.status, StatusCode::CREATED, "{:?}", order.body);
    for status in reads.join_all().await {
        assert_eq!(status, StatusCode::OK);
    }
    assert_eq!(
        a.state
            .store
            .renewal_count("acc_rossi")
            .await
            .expect("count"),
        1
    );
    for app in [&a, &b] {
        let account = app.account(&token).await;
        assert_eq!(account["subscriptions"][0]["seats"], 8, "the order stays");
        assert_eq!(account["subscriptions"][0]["period_start"], day);
    }
    a.state.store.close().await;
    b.state.store.close().await;
}
