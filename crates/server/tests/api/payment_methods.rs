//! The payment methods on file (R25): the list with the default, a new default, removal, and
//! every refusal: another account's card (`404`), the last card of a renewing account and a card
//! being paid with (`409 payment_method_in_use`), the read-only user, the corporate account and
//! no session.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use serde_json::{Value, json};

use checkout_server::{AppState, HttpConfig};

use crate::helpers::{ACME, ANNA, Answer, GIULIA, MARCO, TODAY, TestApp, call, send_to};
use crate::pg::PgCluster;

const CARDS: &str = "/api/v1/payment-methods";

/// Sends `method` to `path`, signed in with `token` when given, with no body.
async fn send(app: &TestApp, method: Method, path: &str, token: Option<&str>) -> Answer {
    call(&app.router, method, path, token, None).await
}

/// The cards as `(id, default)` pairs.
fn cards(body: &Value) -> Vec<(String, bool)> {
    body["payment_methods"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|card| {
            (
                card["id"].as_str().expect("an id").to_owned(),
                card["default"].as_bool().expect("a flag"),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, bool)]) -> Vec<(String, bool)> {
    list.iter().map(|&(id, d)| (id.to_owned(), d)).collect()
}

#[tokio::test]
async fn the_billing_contact_lists_chooses_the_default_and_removes_a_card() {
    let app = TestApp::spawn().await;
    let t = app.sign_in(GIULIA).await;
    let listed = send(&app, Method::GET, CARDS, Some(&t)).await;
    assert_eq!(listed.status, StatusCode::OK, "{:?}", listed.body);
    assert_eq!(
        listed.body["payment_methods"][0],
        json!({"id": "pm_1", "brand": "visa", "last4": "4242", "exp": "2028-04", "default": true})
    );
    assert_eq!(
        cards(&listed.body),
        pairs(&[("pm_1", true), ("pm_2", false)])
    );

    let chosen = send(
        &app,
        Method::PUT,
        &format!("{CARDS}/pm_2/default"),
        Some(&t),
    )
    .await;
    assert_eq!(chosen.status, StatusCode::OK, "{:?}", chosen.body);
    assert_eq!(
        cards(&chosen.body),
        pairs(&[("pm_1", false), ("pm_2", true)])
    );
    // Choosing it again changes nothing and is no error.
    let again = send(
        &app,
        Method::PUT,
        &format!("{CARDS}/pm_2/default"),
        Some(&t),
    )
    .await;
    assert_eq!(
        cards(&again.body),
        pairs(&[("pm_1", false), ("pm_2", true)])
    );

    // Removing the default hands the default to the card left.
    let removed = send(&app, Method::DELETE, &format!("{CARDS}/pm_2"), Some(&t)).await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT, "{:?}", removed.body);
    let listed = send(&app, Method::GET, CARDS, Some(&t)).await;
    assert_eq!(cards(&listed.body), pairs(&[("pm_1", true)]));
    // The removed card cannot pay an order any more (R20).
    let account = app.account(&t).await;
    assert_eq!(account["payment_methods"].as_array().map(Vec::len), Some(1));
    let order = crate::helpers::eight_seats_order("pm_2");
    let refused = app.order(&t, "removed-card", &order).await;
    assert_eq!(refused.code(), "payment_method_required");
    // Gone is gone: a second removal is 404.
    let gone = send(&app, Method::DELETE, &format!("{CARDS}/pm_2"), Some(&t)).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    assert_eq!(gone.code(), "not_found");
}

#[tokio::test]
async fn the_last_card_of_a_renewing_account_stays_until_renewal_is_off() {
    let app = TestApp::spawn().await;
    let t = app.sign_in(GIULIA).await;
    let removed = send(&app, Method::DELETE, &format!("{CARDS}/pm_1"), Some(&t)).await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT);
    let refused = send(&app, Method::DELETE, &format!("{CARDS}/pm_2"), Some(&t)).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{:?}", refused.body);
    assert_eq!(refused.code(), "payment_method_in_use");
    let listed = send(&app, Method::GET, CARDS, Some(&t)).await;
    assert_eq!(cards(&listed.body), pairs(&[("pm_2", true)]));
    // With every subscription's renewal off (R14), nothing needs the card.
    app.execute_sql("UPDATE subscriptions SET status = 'pending_cancellation' WHERE account_id = 'acc_rossi' AND status = 'active'")
        .await;
    let removed = send(&app, Method::DELETE, &format!("{CARDS}/pm_2"), Some(&t)).await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT, "{:?}", removed.body);
    let listed = send(&app, Method::GET, CARDS, Some(&t)).await;
    assert_eq!(cards(&listed.body), Vec::new());
}

#[tokio::test]
async fn a_card_an_order_is_being_paid_with_is_not_removed() {
    let app = TestApp::spawn().await;
    let t = app.sign_in(GIULIA).await;
    // An open payment attempt (S21), as another process leaves it between storing it and its
    // commit, charging pm_1.
    app.execute_sql(
        "INSERT INTO payment_attempts (id, account_id, idem_key, request_hash, generation,
            provider_key, open_account, account_version, state, amount, currency,
            payment_method, prepared, created_at, updated_at)
         VALUES ('pat_t', 'acc_rossi', 'k', 'h', 1, 'chk_t', 'acc_rossi', 0, 'recorded',
            '93.94', 'EUR', 'pm_1', '{}', '2026-11-16T10:00:00Z', 0)",
    )
    .await;
    let refused = send(&app, Method::DELETE, &format!("{CARDS}/pm_1"), Some(&t)).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{:?}", refused.body);
    assert_eq!(refused.code(), "payment_method_in_use");
    // Another card of the account is not held by it.
    let removed = send(&app, Method::DELETE, &format!("{CARDS}/pm_2"), Some(&t)).await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT);
    app.execute_sql("UPDATE payment_attempts SET open_account = NULL, state = 'abandoned'")
        .await;
    app.execute_sql("INSERT INTO payment_methods (id, account_id, brand, last4, exp, position) VALUES ('pm_9', 'acc_rossi', 'visa', '1111', '2029-01', 9)")
        .await;
    let removed = send(&app, Method::DELETE, &format!("{CARDS}/pm_1"), Some(&t)).await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT, "{:?}", removed.body);
    let listed = send(&app, Method::GET, CARDS, Some(&t)).await;
    assert_eq!(cards(&listed.body), pairs(&[("pm_9", true)]));
}

#[tokio::test]
async fn another_accounts_card_is_not_found_and_unchanged() {
    let app = TestApp::spawn().await;
    app.execute_sql("INSERT INTO payment_methods (id, account_id, brand, last4, exp, position, is_default) VALUES ('pm_verdi', 'acc_verdi', 'visa', '5556', '2029-01', 0, 1)")
        .await;
    let t = app.sign_in(GIULIA).await;
    for (method, path) in [
        (Method::PUT, format!("{CARDS}/pm_verdi/default")),
        (Method::DELETE, format!("{CARDS}/pm_verdi")),
        (Method::PUT, format!("{CARDS}/pm_unknown/default")),
        (Method::DELETE, format!("{CARDS}/pm_unknown")),
    ] {
        let answer = send(&app, method.clone(), &path, Some(&t)).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{method} {path}");
        assert_eq!(answer.code(), "not_found", "{method} {path}");
    }
    let listed = send(&app, Method::GET, CARDS, Some(&t)).await;
    assert_eq!(
        cards(&listed.body),
        pairs(&[("pm_1", true), ("pm_2", false)])
    );
    let anna = app.sign_in(ANNA).await;
    let theirs = send(&app, Method::GET, CARDS, Some(&anna)).await;
    assert_eq!(cards(&theirs.body), pairs(&[("pm_verdi", true)]));
}

#[tokio::test]
async fn other_users_corporate_accounts_and_strangers_are_refused() {
    let app = TestApp::spawn().await;
    let routes = [
        (Method::GET, CARDS.to_owned()),
        (Method::PUT, format!("{CARDS}/pm_1/default")),
        (Method::DELETE, format!("{CARDS}/pm_1")),
    ];
    let marco = app.sign_in(MARCO).await;
    let acme = app.sign_in(ACME).await;
    for (method, path) in &routes {
        let read_only = send(&app, method.clone(), path, Some(&marco)).await;
        assert_eq!(read_only.status, StatusCode::FORBIDDEN, "{method} {path}");
        assert_eq!(read_only.code(), "not_billing_contact", "{method} {path}");
        let corporate = send(&app, method.clone(), path, Some(&acme)).await;
        assert_eq!(corporate.status, StatusCode::FORBIDDEN, "{method} {path}");
        assert_eq!(corporate.code(), "corporate_account", "{method} {path}");
        let stranger = send(&app, method.clone(), path, None).await;
        assert_eq!(stranger.status, StatusCode::UNAUTHORIZED, "{method} {path}");
        assert_eq!(stranger.code(), "unauthenticated", "{method} {path}");
    }
    // Nothing changed.
    let t = app.sign_in(GIULIA).await;
    let listed = send(&app, Method::GET, CARDS, Some(&t)).await;
    assert_eq!(
        cards(&listed.body),
        pairs(&[("pm_1", true), ("pm_2", false)])
    );
}

/// Sends `method` to `path` through `router` (another process's app), signed in with `token`.
async fn call_to(router: &axum::Router, method: Method, path: &str, token: &str) -> Answer {
    let request = Request::builder()
        .method(method)
        .uri(path)
        .header("authorization", format!("Bearer {token}"))
        .body(Body::empty())
        .expect("a request");
    send_to(router.clone(), request).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_processes_removing_the_last_two_cards_at_once_leave_one_on_postgresql() {
    let Some(cluster) = PgCluster::start() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but PostgreSQL is not installed: these tests must run there"
        );
        return;
    };
    let dir = tempfile::tempdir().expect("a temp dir");
    let first = TestApp::spawn_on(&cluster.url, TODAY, dir, HttpConfig::default()).await;
    // A second server over the same database, with its own pool and locks, as another process.
    let store = checkout_server::store::Store::connect(&cluster.url)
        .await
        .expect("a second pool");
    let second = checkout_server::app(
        AppState::new(store, first.state.clock),
        &HttpConfig::default(),
    );
    let t = first.sign_in(GIULIA).await;
    let chosen = call_to(&second, Method::PUT, &format!("{CARDS}/pm_2/default"), &t).await;
    assert_eq!(
        cards(&chosen.body),
        pairs(&[("pm_1", false), ("pm_2", true)])
    );
    let (path_1, path_2) = (format!("{CARDS}/pm_1"), format!("{CARDS}/pm_2"));
    let (one, two) = tokio::join!(
        call_to(&first.router, Method::DELETE, &path_1, &t),
        call_to(&second, Method::DELETE, &path_2, &t),
    );
    let mut statuses = [one.status, two.status];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::NO_CONTENT, StatusCode::CONFLICT],
        "{:?} {:?}",
        one.body,
        two.body
    );
    // The card left is the default, whichever it is.
    let listed = call_to(&second, Method::GET, CARDS, &t).await;
    let left = cards(&listed.body);
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(left[0].1, "{left:?}");
}
