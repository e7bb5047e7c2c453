//! The same API scenarios against PostgreSQL: the store's code is the same for both databases.

use checkout_server::HttpConfig;
use checkout_server::store::Backend;

use crate::helpers::{TODAY, TestApp};
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
