//! Payment attempts, the reconciler and stored declines (issue 11 items 3 and 4; S21, S22), in
//! process, with the test provider's ledger.

use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use checkout_server::ordering::reconcile::{Round, reconcile_once};
use checkout_server::payments::{Fault, TestPaymentProvider};
use checkout_server::store::AttemptState;

use crate::helpers::{GIULIA, TestApp, eight_seats_order};

/// The `payment_reference` stored with each of an account's orders.
async fn order_references(app: &TestApp, account_id: &str) -> Vec<Option<String>> {
    let pool = sqlx::AnyPool::connect(&app.url)
        .await
        .expect("a connection");
    let references = sqlx::query_scalar(
        "SELECT payment_reference FROM orders WHERE account_id = $1 ORDER BY seq",
    )
    .bind(account_id)
    .fetch_all(&pool)
    .await
    .expect("the references");
    pool.close().await;
    references
}

#[tokio::test]
async fn a_declined_payment_is_replayed_without_a_second_charge_attempt() {
    let app = TestApp::spawn().await;
    let token = app.sign_in(GIULIA).await;
    let declined = app.order(&token, "d-1", &eight_seats_order("pm_2")).await;
    assert_eq!(declined.status, StatusCode::PAYMENT_REQUIRED);
    assert_eq!(declined.code(), "payment_declined");
    let again = app.order(&token, "d-1", &eight_seats_order("pm_2")).await;
    assert_eq!(
        (again.status, &again.body),
        (declined.status, &declined.body)
    );
    let ledger = app.state.store.test_ledger().await.expect("the ledger");
    assert_eq!(
        ledger.len(),
        1,
        "one charge attempt for one key: {ledger:?}"
    );
    assert_eq!(ledger[0].kind, "decline");
    // The same key with another body is another order (R23).
    let other = app.order(&token, "d-1", &eight_seats_order("pm_1")).await;
    assert_eq!(other.code(), "idempotency_key_reused");
    // A day later the decline is forgotten: the same key tries the card again (S22).
    app.execute_sql(
        "UPDATE idempotency_keys SET created_at = '2026-11-14T10:00:00Z' WHERE idem_key = 'd-1'",
    )
    .await;
    let later = app.order(&token, "d-1", &eight_seats_order("pm_2")).await;
    assert_eq!(later.status, StatusCode::PAYMENT_REQUIRED);
    let ledger = app.state.store.test_ledger().await.expect("the ledger");
    assert_eq!(ledger.len(), 2, "{ledger:?}");
    assert_ne!(ledger[0].provider_key, ledger[1].provider_key);
    assert_eq!(app.order_count("acc_rossi").await, 0);
    // A new key with a working card places the order.
    let placed = app.order(&token, "d-2", &eight_seats_order("pm_1")).await;
    assert_eq!(placed.status, StatusCode::CREATED);
}

#[tokio::test]
async fn a_lost_answer_of_the_provider_after_the_charge_still_places_the_order_once() {
    let mut app = TestApp::spawn().await;
    let provider =
        TestPaymentProvider::new(app.state.store.clone()).with_fault(Some(Fault::FailAfterCharge));
    app.state = app.state.clone().with_payments(Arc::new(provider));
    app.router = checkout_server::app(app.state.clone(), &checkout_server::HttpConfig::default());
    let token = app.sign_in(GIULIA).await;
    let placed = app
        .order(&token, "lost-1", &eight_seats_order("pm_1"))
        .await;
    // The provider answered an error, but had charged: asked again, it says so, and the order
    // is stored with that charge (S21).
    assert_eq!(placed.status, StatusCode::CREATED, "{:?}", placed.body);
    let ledger = app.state.store.test_ledger().await.expect("the ledger");
    assert_eq!(ledger.len(), 1);
    assert_eq!(
        order_references(&app, "acc_rossi").await,
        vec![ledger[0].reference.clone()]
    );
    let replay = app
        .order(&token, "lost-1", &eight_seats_order("pm_1"))
        .await;
    assert_eq!(replay.body["id"], placed.body["id"]);
    assert_eq!(
        app.state.store.test_ledger().await.expect("ledger").len(),
        1
    );
}

/// Makes the store fail to write orders (as a full disk or a lost database would), and back.
async fn break_orders(app: &TestApp, broken: bool) {
    app.execute_sql(if broken {
        "CREATE TRIGGER no_orders BEFORE INSERT ON orders BEGIN SELECT RAISE(ABORT, 'disk full'); END"
    } else {
        "DROP TRIGGER no_orders"
    })
    .await;
}

#[tokio::test]
async fn a_store_failure_after_the_charge_is_finished_by_the_retry_with_the_same_key() {
    let app = TestApp::spawn().await;
    let token = app.sign_in(GIULIA).await;
    break_orders(&app, true).await;
    let failed = app.order(&token, "sf-1", &eight_seats_order("pm_1")).await;
    assert_eq!(failed.status, StatusCode::INTERNAL_SERVER_ERROR);
    let ledger = app.state.store.test_ledger().await.expect("the ledger");
    assert_eq!(ledger.len(), 1, "charged before the store failed");
    assert_eq!(app.order_count("acc_rossi").await, 0);
    let attempts = app
        .state
        .store
        .attempts("acc_rossi")
        .await
        .expect("attempts");
    assert!(attempts[0].state.is_open(), "{attempts:?}");
    break_orders(&app, false).await;
    let retried = app.order(&token, "sf-1", &eight_seats_order("pm_1")).await;
    assert_eq!(retried.status, StatusCode::CREATED, "{:?}", retried.body);
    // One charge, one order paid with it, no second charge.
    let ledger = app.state.store.test_ledger().await.expect("the ledger");
    assert_eq!(ledger.len(), 1);
    assert!(!ledger[0].refunded);
    assert_eq!(
        order_references(&app, "acc_rossi").await,
        vec![ledger[0].reference.clone()]
    );
    let account = app.account(&token).await;
    assert_eq!(account["subscriptions"][0]["seats"], 8);
}

#[tokio::test]
async fn the_reconciler_stores_the_order_of_a_charge_whose_commit_failed() {
    let app = TestApp::spawn().await;
    let token = app.sign_in(GIULIA).await;
    break_orders(&app, true).await;
    let failed = app.order(&token, "rc-1", &eight_seats_order("pm_1")).await;
    assert_eq!(failed.status, StatusCode::INTERNAL_SERVER_ERROR);
    // While the database still fails, the attempt stays open and the charge is kept.
    let state = app.state.clone().with_reconcile_after(Duration::ZERO);
    let round = reconcile_once(&state).await.expect("a round");
    assert_eq!(
        round,
        Round {
            pending: 1,
            ..Round::default()
        }
    );
    break_orders(&app, false).await;
    let round = reconcile_once(&state).await.expect("a round");
    assert_eq!(
        round,
        Round {
            committed: 1,
            ..Round::default()
        }
    );
    assert_eq!(app.order_count("acc_rossi").await, 1);
    let attempts = app
        .state
        .store
        .attempts("acc_rossi")
        .await
        .expect("attempts");
    assert_eq!(attempts[0].state, AttemptState::Committed);
    // Nothing left for the next round; the client's retry gets the order the reconciler stored.
    assert_eq!(
        reconcile_once(&state).await.expect("a round"),
        Round::default()
    );
    let retried = app.order(&token, "rc-1", &eight_seats_order("pm_1")).await;
    assert_eq!(retried.status, StatusCode::CREATED);
    let orders = app.get("/api/v1/orders", Some(&token)).await;
    assert_eq!(orders.body["orders"][0]["id"], retried.body["id"]);
    let ledger = app.state.store.test_ledger().await.expect("the ledger");
    assert_eq!(ledger.len(), 1);
    assert_eq!(
        order_references(&app, "acc_rossi").await,
        vec![ledger[0].reference.clone()]
    );
}

#[tokio::test]
async fn an_attempt_that_never_reached_the_provider_is_abandoned_and_the_key_works_again() {
    let app = TestApp::spawn().await;
    let token = app.sign_in(GIULIA).await;
    // A process that died after recording the attempt and before calling the provider: the
    // attempt of a real order, with its ledger line removed.
    break_orders(&app, true).await;
    let failed = app.order(&token, "ab-1", &eight_seats_order("pm_1")).await;
    assert_eq!(failed.status, StatusCode::INTERNAL_SERVER_ERROR);
    break_orders(&app, false).await;
    app.execute_sql("DELETE FROM test_payments").await;
    let state = app.state.clone().with_reconcile_after(Duration::ZERO);
    let round = reconcile_once(&state).await.expect("a round");
    assert_eq!(
        round,
        Round {
            abandoned: 1,
            ..Round::default()
        }
    );
    assert_eq!(app.order_count("acc_rossi").await, 0);
    // The account is free again and the key is tried anew, with a new provider key.
    let placed = app.order(&token, "ab-1", &eight_seats_order("pm_1")).await;
    assert_eq!(placed.status, StatusCode::CREATED, "{:?}", placed.body);
    let attempts = app
        .state
        .store
        .attempts("acc_rossi")
        .await
        .expect("attempts");
    let states: Vec<AttemptState> = attempts.iter().map(|a| a.state).collect();
    assert!(states.contains(&AttemptState::Abandoned) && states.contains(&AttemptState::Committed));
    assert_ne!(attempts[0].provider_key, attempts[1].provider_key);
}

#[tokio::test]
async fn an_order_behind_an_unfinished_payment_finishes_it_and_is_priced_again() {
    let app = TestApp::spawn().await;
    let token = app.sign_in(GIULIA).await;
    // The first order's charge went through but its commit failed: its attempt holds the account.
    break_orders(&app, true).await;
    let first = app.order(&token, "first", &eight_seats_order("pm_1")).await;
    assert_eq!(first.status, StatusCode::INTERNAL_SERVER_ERROR);
    break_orders(&app, false).await;
    // A second order, priced by the client from the account as it still reads (5 seats).
    let mut second =
        serde_json::json!({"items": [{"op": "change", "subscription": "sub_1", "seats": 6}]});
    let quote = app.post("/api/v1/quote", Some(&token), &second).await;
    assert_eq!(quote.status, StatusCode::OK);
    second["expected_total"] = quote.body["total"].clone();
    second["payment_method"] = "pm_1".into();
    let answer = app.order(&token, "second", &second).await;
    // It finished the first order (S21), then found the account changed: priced again from 8
    // seats, the total differs, so nothing is placed and the fresh quote comes back (R24, S20).
    assert_eq!(answer.status, StatusCode::CONFLICT, "{:?}", answer.body);
    assert_eq!(answer.code(), "price_changed");
    assert_ne!(answer.body["quote"]["total"], quote.body["total"]);
    assert_eq!(app.order_count("acc_rossi").await, 1);
    let account = app.account(&token).await;
    assert_eq!(account["subscriptions"][0]["seats"], 8);
    let ledger = app.state.store.test_ledger().await.expect("the ledger");
    assert_eq!(ledger.len(), 1);
    assert_eq!(
        order_references(&app, "acc_rossi").await,
        vec![ledger[0].reference.clone()]
    );
    // Confirming the fresh quote places it.
    second["expected_total"] = answer.body["quote"]["total"].clone();
    let placed = app.order(&token, "second-again", &second).await;
    assert_eq!(placed.status, StatusCode::CREATED, "{:?}", placed.body);
}
