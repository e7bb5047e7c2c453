//! Adding a card (R25): a set-up at the demo provider, the card typed on the provider's own page
//! (its router, driven in-process here like the API's), then the card saved from the set-up.
//! Every answer and error code: `4242` saved, `0002` refused (`402 payment_method_refused`),
//! `3155` saved only after the confirmation step (`409 setup_not_confirmed` before it, `402`
//! after a cancel), an abandoned set-up saves nothing, another account's set-up is `404`, the
//! read-only user and the corporate account are refused. On PostgreSQL two server processes
//! saving one set-up at once store one card (S87). The binary test runs the whole set-up with
//! each test card against the real process and reads its log.

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::json;
use tower::ServiceExt;

use checkout_server::card_page;

use crate::helpers::{ACME, GIULIA, MARCO, TestApp, call};
use crate::process::{ServerProcess, free_port, raw_request, request, server_command, sign_in};

const CARDS: &str = "/api/v1/payment-methods";
const SETUP: &str = "/api/v1/payment-methods/setup";

/// The test cards of R25.
const SUCCEEDS: &str = "4242424242424242";
const DECLINED: &str = "4000000000000002";
const NEEDS_CONFIRMATION: &str = "4000002500003155";

/// An answer of the card page: status, `Location` and the page's text.
struct Page {
    status: StatusCode,
    location: Option<String>,
    csp: String,
    text: String,
}

/// The card page of the app's demo provider, in-process.
fn card_page(app: &TestApp) -> Router {
    card_page::router(app.state.store.clone(), app.state.clock)
}

async fn page(router: &Router, method: Method, path: &str, form: Option<&str>) -> Page {
    let mut request = Request::builder().method(method).uri(path);
    if form.is_some() {
        request = request.header("content-type", "application/x-www-form-urlencoded");
    }
    let body = form.map_or_else(Body::empty, |f| Body::from(f.to_owned()));
    let response = router
        .clone()
        .oneshot(request.body(body).expect("a request"))
        .await
        .expect("the card page answers");
    let status = response.status();
    let header = |name| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let location = header("location");
    let csp = header("content-security-policy").unwrap_or_default();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("a body")
        .to_bytes();
    Page {
        status,
        location,
        csp,
        text: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// Starts a set-up as `token`'s user; answers the card page's path and the set-up id.
async fn start(app: &TestApp, token: &str) -> (String, String) {
    let request = Request::builder()
        .method(Method::POST)
        .uri(SETUP)
        .header("authorization", format!("Bearer {token}"))
        .header("host", "localhost")
        .body(Body::empty())
        .expect("a request");
    let answer = app.send(request).await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
    let url = answer.body["url"].as_str().expect("a url").to_owned();
    let setup = answer.body["setup"].as_str().expect("a setup").to_owned();
    let path = url
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_owned()))
        .expect("an absolute url");
    assert_eq!(path, format!("/setup/{setup}"));
    (path, setup)
}

/// Types `number` on the card page of a set-up.
async fn enter(router: &Router, path: &str, number: &str) -> Page {
    page(
        router,
        Method::POST,
        path,
        Some(&format!("number={number}&exp=04%2F28&cvc=123")),
    )
    .await
}

/// Asks the order server to save the set-up's card.
async fn save(app: &TestApp, token: &str, setup: &str) -> crate::helpers::Answer {
    call(
        &app.router,
        Method::POST,
        CARDS,
        Some(token),
        Some(&json!({ "setup": setup })),
    )
    .await
}

async fn card_ids(app: &TestApp, token: &str) -> Vec<String> {
    let listed = call(&app.router, Method::GET, CARDS, Some(token), None).await;
    listed.body["payment_methods"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|c| c["id"].as_str().expect("an id").to_owned())
        .collect()
}

#[tokio::test]
async fn a_card_typed_on_the_provider_page_is_saved_once_with_only_brand_last4_and_expiry() {
    let app = TestApp::spawn().await;
    let t = app.sign_in(GIULIA).await;
    let router = card_page(&app);
    let (path, setup) = start(&app, &t).await;
    // The page is a form with a strict policy, and the set-up is not confirmed before it is used.
    let form = page(&router, Method::GET, &path, None).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text.contains("name=\"number\""), "{}", form.text);
    assert!(form.csp.contains("default-src 'none'"), "{}", form.csp);
    assert!(form.csp.contains("frame-ancestors 'none'"), "{}", form.csp);
    assert!(form.csp.contains("form-action 'self'"), "{}", form.csp);
    let early = save(&app, &t, &setup).await;
    assert_eq!(early.status, StatusCode::CONFLICT, "{:?}", early.body);
    assert_eq!(early.code(), "setup_not_confirmed");

    let entered = enter(&router, &path, SUCCEEDS).await;
    assert_eq!(entered.status, StatusCode::SEE_OTHER, "{}", entered.text);
    assert_eq!(
        entered.location.as_deref(),
        Some(format!("http://localhost/account/?setup={setup}").as_str())
    );
    let saved = save(&app, &t, &setup).await;
    assert_eq!(saved.status, StatusCode::CREATED, "{:?}", saved.body);
    let id = saved.body["id"].as_str().expect("an id").to_owned();
    assert!(id.starts_with("pm_"), "{id}");
    assert_eq!(
        saved.body,
        json!({"id": id, "brand": "visa", "last4": "4242", "exp": "2028-04", "default": false})
    );
    assert_eq!(card_ids(&app, &t).await, ["pm_1", "pm_2", id.as_str()]);
    // The same set-up again: the same card, not a second one.
    let again = save(&app, &t, &setup).await;
    assert_eq!(again.status, StatusCode::CREATED, "{:?}", again.body);
    assert_eq!(again.body["id"], id.as_str());
    assert_eq!(card_ids(&app, &t).await.len(), 3);
    // The new card pays an order like any other.
    let order = app
        .order(
            &t,
            "card-setup-order",
            &crate::helpers::eight_seats_order(&id),
        )
        .await;
    assert_eq!(order.status, StatusCode::CREATED, "{:?}", order.body);
}

#[tokio::test]
async fn a_declined_card_is_refused_and_saves_nothing() {
    let app = TestApp::spawn().await;
    let t = app.sign_in(GIULIA).await;
    let router = card_page(&app);
    let (path, setup) = start(&app, &t).await;
    let entered = enter(&router, &path, DECLINED).await;
    assert_eq!(entered.status, StatusCode::SEE_OTHER, "{}", entered.text);
    let refused = save(&app, &t, &setup).await;
    assert_eq!(
        refused.status,
        StatusCode::PAYMENT_REQUIRED,
        "{:?}",
        refused.body
    );
    assert_eq!(refused.code(), "payment_method_refused");
    assert_eq!(card_ids(&app, &t).await, ["pm_1", "pm_2"]);
}

#[tokio::test]
async fn a_card_needing_confirmation_is_saved_only_after_the_customer_confirms() {
    let app = TestApp::spawn().await;
    let t = app.sign_in(GIULIA).await;
    let router = card_page(&app);
    let (path, setup) = start(&app, &t).await;
    let step = enter(&router, &path, NEEDS_CONFIRMATION).await;
    assert_eq!(step.status, StatusCode::OK);
    assert!(step.text.contains("Confirm"), "{}", step.text);
    assert!(step.text.contains("3155"), "{}", step.text);
    assert!(!step.text.contains(NEEDS_CONFIRMATION), "{}", step.text);
    // Never confirmed (the customer left): nothing is saved.
    let pending = save(&app, &t, &setup).await;
    assert_eq!(pending.status, StatusCode::CONFLICT, "{:?}", pending.body);
    assert_eq!(pending.code(), "setup_not_confirmed");
    assert_eq!(card_ids(&app, &t).await, ["pm_1", "pm_2"]);

    let confirmed = page(&router, Method::POST, &format!("{path}/confirm"), None).await;
    assert_eq!(
        confirmed.status,
        StatusCode::SEE_OTHER,
        "{}",
        confirmed.text
    );
    let saved = save(&app, &t, &setup).await;
    assert_eq!(saved.status, StatusCode::CREATED, "{:?}", saved.body);
    assert_eq!(saved.body["last4"], "3155");
    assert_eq!(card_ids(&app, &t).await.len(), 3);
}

#[tokio::test]
async fn a_cancelled_confirmation_or_form_is_refused_and_saves_nothing() {
    let app = TestApp::spawn().await;
    let t = app.sign_in(GIULIA).await;
    let router = card_page(&app);
    let (path, setup) = start(&app, &t).await;
    enter(&router, &path, NEEDS_CONFIRMATION).await;
    let cancelled = page(&router, Method::POST, &format!("{path}/cancel"), None).await;
    assert_eq!(
        cancelled.status,
        StatusCode::SEE_OTHER,
        "{}",
        cancelled.text
    );
    // Confirming after the cancel changes nothing.
    page(&router, Method::POST, &format!("{path}/confirm"), None).await;
    let refused = save(&app, &t, &setup).await;
    assert_eq!(
        refused.status,
        StatusCode::PAYMENT_REQUIRED,
        "{:?}",
        refused.body
    );
    assert_eq!(refused.code(), "payment_method_refused");

    // Cancelling the form itself, before any card.
    let (path, setup) = start(&app, &t).await;
    page(&router, Method::POST, &format!("{path}/cancel"), None).await;
    assert_eq!(
        save(&app, &t, &setup).await.code(),
        "payment_method_refused"
    );
    assert_eq!(card_ids(&app, &t).await, ["pm_1", "pm_2"]);
}

#[tokio::test]
async fn a_bad_entry_shows_the_form_again_without_the_number() {
    let app = TestApp::spawn().await;
    let t = app.sign_in(GIULIA).await;
    let router = card_page(&app);
    let (path, _setup) = start(&app, &t).await;
    let bad = enter(&router, &path, "4242424242424241").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text.contains("not valid"), "{}", bad.text);
    assert!(!bad.text.contains("4242424242424241"), "{}", bad.text);
    let unknown = page(&router, Method::GET, "/setup/seti_unknown", None).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn another_accounts_or_an_unknown_setup_is_not_found() {
    let app = TestApp::spawn().await;
    let giulia = app.sign_in(GIULIA).await;
    let router = card_page(&app);
    let (path, setup) = start(&app, &giulia).await;
    enter(&router, &path, SUCCEEDS).await;
    // Anna's account is another account: Giulia's set-up is not hers.
    let anna = app.sign_in(crate::helpers::ANNA).await;
    let theirs = save(&app, &anna, &setup).await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND, "{:?}", theirs.body);
    assert_eq!(theirs.code(), "not_found");
    let unknown = save(&app, &giulia, "seti_unknown").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    // Giulia's card is still hers to save.
    assert_eq!(
        save(&app, &giulia, &setup).await.status,
        StatusCode::CREATED
    );
    // A body that is not `{"setup": "..."}` is refused.
    let wrong = call(
        &app.router,
        Method::POST,
        CARDS,
        Some(&giulia),
        Some(&json!({"number": SUCCEEDS})),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong.code(), "invalid_request");
}

#[tokio::test]
async fn the_read_only_user_the_corporate_account_and_no_session_are_refused() {
    let app = TestApp::spawn().await;
    let giulia = app.sign_in(GIULIA).await;
    let (_path, setup) = start(&app, &giulia).await;
    for (who, code) in [(MARCO, "not_billing_contact"), (ACME, "corporate_account")] {
        let token = app.sign_in(who).await;
        let started = call(&app.router, Method::POST, SETUP, Some(&token), None).await;
        assert_eq!(started.status, StatusCode::FORBIDDEN, "{:?}", started.body);
        assert_eq!(started.code(), code);
        let saved = save(&app, &token, &setup).await;
        assert_eq!(saved.status, StatusCode::FORBIDDEN, "{:?}", saved.body);
        assert_eq!(saved.code(), code);
    }
    let anonymous = call(&app.router, Method::POST, SETUP, None, None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let anonymous = call(
        &app.router,
        Method::POST,
        CARDS,
        None,
        Some(&json!({"setup": setup})),
    )
    .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_return_url_is_the_account_pages_at_the_checkouts_origin() {
    let app = TestApp::spawn().await;
    let t = app.sign_in(GIULIA).await;
    let request = Request::builder()
        .method(Method::POST)
        .uri(SETUP)
        .header("authorization", format!("Bearer {t}"))
        .header("origin", "http://127.0.0.1:8080")
        .body(Body::empty())
        .expect("a request");
    let answer = app.send(request).await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
    let setup = answer.body["setup"].as_str().expect("a setup");
    let stored = app
        .state
        .store
        .test_setup(setup)
        .await
        .expect("read")
        .expect("the provider has it");
    assert_eq!(stored.return_url, "http://127.0.0.1:8080/account/");
    // The card page lets its forms go back to that origin, and nowhere else.
    let form = page(
        &card_page(&app),
        Method::GET,
        &format!("/setup/{setup}"),
        None,
    )
    .await;
    assert!(
        form.csp
            .contains("form-action 'self' http://127.0.0.1:8080;"),
        "{}",
        form.csp
    );
    // A request that names no origin at all (neither `Origin` nor `Host`) has nowhere to come
    // back to.
    let nowhere = call(&app.router, Method::POST, SETUP, Some(&t), None).await;
    assert_eq!(
        nowhere.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        nowhere.body
    );
    assert_eq!(nowhere.code(), "invalid_request");
}

/// The status code of an HTTP answer.
fn status_of(answer: &str) -> u16 {
    answer
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// Every byte of the store's files (the database, its WAL), as text where it is text.
fn store_bytes(dir: &std::path::Path) -> String {
    let mut all = String::new();
    for entry in std::fs::read_dir(dir).expect("the data dir") {
        let path = entry.expect("an entry").path();
        if path.is_file() {
            all.push_str(&String::from_utf8_lossy(
                &std::fs::read(&path).expect("read"),
            ));
        }
    }
    all
}

#[test]
fn no_log_line_request_or_stored_byte_of_the_order_server_holds_a_card_number() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let data = dir.path().join("data");
    let database = data.join("checkout.db");
    let log_path = dir.path().join("server.log");
    let port = free_port();
    let mut command = server_command(port, database.to_str().expect("a UTF-8 path"), &log_path);
    command
        .args(["--card-page-addr", "127.0.0.1:0"])
        .args(["--static-dir", "/nonexistent-static-dir"])
        // Everything the server logs, down to debug: a card number must not be in any of it.
        .env("RUST_LOG", "debug");
    let mut server = ServerProcess::start(command, port);
    // The card page's port is printed at start, before the API listens.
    let started = std::fs::read_to_string(&log_path).expect("the log");
    let card_port: u16 = started
        .lines()
        .find_map(|l| l.strip_prefix("Card page: http://127.0.0.1:"))
        .and_then(|p| p.trim().parse().ok())
        .unwrap_or_else(|| panic!("no card page address in the log: {started}"));
    let token = sign_in(port, GIULIA);
    let mut sent_to_order_server = Vec::new();
    let mut outcomes = Vec::new();
    for number in [SUCCEEDS, DECLINED, NEEDS_CONFIRMATION] {
        let (_, setup) = request(port, "POST", SETUP, Some(&token), None, None).expect("a set-up");
        let url = setup["url"].as_str().expect("a card page url").to_owned();
        let id = setup["setup"].as_str().expect("a setup").to_owned();
        assert_eq!(url, format!("http://127.0.0.1:{card_port}/setup/{id}"));
        let path = format!("/setup/{id}");
        let form = ("content-type", "application/x-www-form-urlencoded");
        let typed = raw_request(card_port, "GET", &path, &[], "");
        assert_eq!(status_of(&typed), 200, "{typed}");
        raw_request(
            card_port,
            "POST",
            &path,
            &[form],
            &format!("number={number}&exp=04%2F28&cvc=123"),
        );
        if number == NEEDS_CONFIRMATION {
            raw_request(card_port, "POST", &format!("{path}/confirm"), &[form], "");
        }
        let body = json!({ "setup": id });
        let (status, _) =
            request(port, "POST", CARDS, Some(&token), None, Some(&body)).expect("an answer");
        sent_to_order_server.push(body.to_string());
        outcomes.push(status);
    }
    assert_eq!(outcomes, [201, 402, 201]);
    let (_, listed) = request(port, "GET", CARDS, Some(&token), None, None).expect("the cards");
    assert_eq!(listed["payment_methods"].as_array().map(Vec::len), Some(4));
    server.kill();
    let logged = std::fs::read_to_string(&log_path).expect("the log");
    assert!(logged.contains("card set-up started"), "{logged}");
    let stored = store_bytes(&data);
    for number in [SUCCEEDS, DECLINED, NEEDS_CONFIRMATION] {
        assert!(!logged.contains(number), "the log holds {number}");
        assert!(!stored.contains(number), "the store holds {number}");
        assert!(
            sent_to_order_server.iter().all(|r| !r.contains(number)),
            "a request to the order server held {number}"
        );
    }
}

#[tokio::test]
async fn two_processes_saving_one_setup_at_once_store_one_card_on_postgresql() {
    let Some(cluster) = crate::pg::PgCluster::start() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but PostgreSQL is not installed: these tests must run there"
        );
        return;
    };
    let dir = tempfile::tempdir().expect("a temp dir");
    let first = TestApp::spawn_on(
        &cluster.url,
        crate::helpers::TODAY,
        dir,
        checkout_server::HttpConfig::default(),
    )
    .await;
    // A second server over the same database, with its own pool and locks, as another process.
    let store = checkout_server::store::Store::connect(&cluster.url)
        .await
        .expect("a second pool");
    let second = checkout_server::app(
        checkout_server::AppState::new(store, first.state.clock),
        &checkout_server::HttpConfig::default(),
    );
    let t = first.sign_in(GIULIA).await;
    let router = card_page(&first);
    let (path, setup) = start(&first, &t).await;
    enter(&router, &path, NEEDS_CONFIRMATION).await;
    let confirmed = page(&router, Method::POST, &format!("{path}/confirm"), None).await;
    assert_eq!(
        confirmed.status,
        StatusCode::SEE_OTHER,
        "{}",
        confirmed.text
    );
    let body = json!({ "setup": setup });
    let (one, two) = tokio::join!(
        call(&first.router, Method::POST, CARDS, Some(&t), Some(&body)),
        call(&second, Method::POST, CARDS, Some(&t), Some(&body)),
    );
    assert_eq!(one.status, StatusCode::CREATED, "{:?}", one.body);
    assert_eq!(two.status, StatusCode::CREATED, "{:?}", two.body);
    assert_eq!(one.body, two.body);
    assert_eq!(card_ids(&first, &t).await.len(), 3);
}
