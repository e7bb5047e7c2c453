//! Renewals charged on their date (R31) by the renewal worker, with nobody signed in: the server's
//! fixed clock is moved past a period end by giving the worker a state at a later day, as a server
//! started later with `--clock` would be.

use axum::http::{Method, StatusCode};
use checkout_server::payments::{Fault, TestPaymentProvider};
use checkout_server::renewals::{self, Round};
use checkout_server::store::{AttemptState, LedgerEntry};
use checkout_server::{AppState, Clock};
use serde_json::{Value, json};

use crate::helpers::{ACME, ANNA, GIULIA, MARCO, TestApp, call, date, eight_seats_order};

/// The renewal of the meeting subscription of Rossi S.r.l. (`sub_1`, due 2026-12-01).
const MEETING: &str = "ren_sub_1_20261201";

/// The app's state with its clock moved to `day`.
fn on(app: &TestApp, day: &str) -> AppState {
    let mut state = app.state.clone();
    state.clock = Clock::fixed(date(day));
    state
}

/// One round of the worker on `day`.
pub async fn round_on(app: &TestApp, day: &str) -> Round {
    renewals::run_once(&on(app, day))
        .await
        .expect("the round runs")
}

/// The renewal `id` of Rossi S.r.l. as its history entry (read from the store, as the history
/// shows it), written as JSON so the tests read it as a client does.
pub async fn renewal(app: &TestApp, id: &str) -> Value {
    let (subscription, period_start) = renewals::parse_renewal_id(id).expect("a renewal id");
    let row = app
        .state
        .store
        .renewal("acc_rossi", &subscription, &period_start)
        .await
        .expect("the renewal reads")
        .expect("the renewal is stored");
    serde_json::to_value(renewals::entry(&row).expect("an entry")).expect("an entry writes")
}

/// The test provider's ledger lines of Rossi S.r.l.
async fn ledger(app: &TestApp) -> Vec<LedgerEntry> {
    app.state
        .store
        .test_ledger()
        .await
        .expect("the ledger reads")
        .into_iter()
        .filter(|entry| entry.account_id == "acc_rossi")
        .collect()
}

/// The subjects of the unsent e-mails naming `id`.
async fn mails_about(app: &TestApp, id: &str) -> Vec<(String, String)> {
    app.state
        .store
        .pending_mail(1000)
        .await
        .expect("the outbox reads")
        .into_iter()
        .filter(|mail| mail.subject.contains(id))
        .map(|mail| (mail.recipient, mail.subject))
        .collect()
}

/// The texts of the unsent e-mails naming `id`, oldest first.
async fn texts_about(app: &TestApp, id: &str) -> Vec<String> {
    app.state
        .store
        .pending_mail(1000)
        .await
        .expect("the outbox reads")
        .into_iter()
        .filter(|mail| mail.subject.contains(id))
        .map(|mail| mail.body)
        .collect()
}

/// Makes `card` the default of Rossi S.r.l. (R25).
async fn make_default(app: &TestApp, token: &str, card: &str) {
    let answer = call(
        &app.router,
        Method::PUT,
        &format!("/api/v1/payment-methods/{card}/default"),
        Some(token),
        None,
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
}

#[tokio::test]
async fn the_default_card_is_charged_once_on_the_due_date_and_the_receipt_is_queued() {
    let app = TestApp::spawn().await;
    // The day before the period ends nothing is due.
    assert_eq!(round_on(&app, "2026-11-30").await, Round::default());
    assert!(ledger(&app).await.is_empty());

    let round = round_on(&app, "2026-12-01").await;
    assert_eq!((round.rolled, round.paid), (1, 1), "{round:?}");
    let entry = renewal(&app, MEETING).await;
    assert_eq!(entry["kind"], "renewal");
    assert_eq!(entry["status"], "paid");
    assert_eq!(entry["card"], json!({"brand": "visa", "last4": "4242"}));
    assert_eq!(entry["period_start"], "2026-12-01");
    assert_eq!(entry["period_end"], "2027-01-01");
    assert_eq!(entry["seats"], 5);
    assert_eq!(entry["amount_paid"], entry["amount_due"]);
    let charges = ledger(&app).await;
    assert_eq!(charges.len(), 1, "{charges:?}");
    assert_eq!(charges[0].kind, "charge");
    assert_eq!(json!(charges[0].amount), entry["amount_paid"]);
    assert!(!charges[0].refunded);
    let receipts = mails_about(&app, MEETING).await;
    assert_eq!(receipts.len(), 1, "{receipts:?}");
    assert_eq!(receipts[0].0, GIULIA.0);
    // The receipt shows what R28 asks: period, seats, unit price, credit, tax, amount and card.
    let receipt = &texts_about(&app, MEETING).await[0];
    for part in [
        "2026-12-01 .. 2027-01-01".to_owned(),
        format!("5 x {}", entry["unit_price"].as_str().expect("a price")),
        format!(
            "Credit applied: {}",
            entry["credit_applied"].as_str().expect("credit")
        ),
        format!(
            "Tax (22%): {}",
            entry["tax"]["amount"].as_str().expect("tax")
        ),
        format!(
            "Amount paid: {} EUR",
            entry["amount_paid"].as_str().expect("paid")
        ),
        "visa •••• 4242".to_owned(),
        "Rossi S.r.l.".to_owned(),
    ] {
        assert!(receipt.contains(&part), "{part:?} in {receipt}");
    }

    // Later rounds, the same day and after, charge nothing again.
    round_on(&app, "2026-12-01").await;
    round_on(&app, "2026-12-02").await;
    assert_eq!(ledger(&app).await.len(), 1);
    assert_eq!(mails_about(&app, MEETING).await.len(), 1);
    // The account shows the new period, and no payment attempt is left open (S21).
    let attempts = app
        .state
        .store
        .attempts("acc_rossi")
        .await
        .expect("attempts");
    assert_eq!(attempts.len(), 1);
    assert!(!attempts[0].state.is_open());
}

/// The payment attempts of the meeting renewal (S21).
async fn meeting_attempts(app: &TestApp) -> Vec<checkout_server::store::Attempt> {
    app.state
        .store
        .attempts("acc_rossi")
        .await
        .expect("attempts")
        .into_iter()
        .filter(|attempt| attempt.idem_key == "renewal sub_1 2026-12-01")
        .collect()
}

#[tokio::test]
async fn a_declined_renewal_is_retried_on_days_1_3_and_7_then_the_subscription_expires() {
    let app = TestApp::spawn().await;
    let token = app.sign_in(GIULIA).await;
    make_default(&app, &token, "pm_2").await;

    let steps = [
        ("2026-12-01", "2026-12-02"),
        ("2026-12-02", "2026-12-04"),
        ("2026-12-04", "2026-12-08"),
    ];
    for (failures, (day, next)) in steps.into_iter().enumerate() {
        round_on(&app, day).await;
        let entry = renewal(&app, MEETING).await;
        assert_eq!(entry["status"], "payment_failed", "{day}");
        assert_eq!(entry["next_retry"], next, "{day}");
        assert_eq!(entry["payable"], true);
        // One e-mail per failure, to the billing contact, saying what to do.
        let mails = mails_about(&app, MEETING).await;
        assert_eq!(mails.len(), failures + 1, "{day}: {mails:?}");
        assert!(mails.iter().all(|(to, _)| to == GIULIA.0));
        // It says what to do, in both languages, and when the card is tried again.
        let text = texts_about(&app, MEETING).await.pop().expect("a text");
        for part in ["Paga ora", "declined", "rifiutata", next] {
            assert!(text.contains(part), "{part:?} in {text}");
        }
        // The subscription stays active during the grace period (R31).
        let account = app.account(&token).await;
        assert_eq!(account["subscriptions"][0]["id"], "sub_1");
        assert_eq!(account["subscriptions"][0]["status"], "active", "{day}");
        // No try before the next retry day.
        let the_day_before = date(next).pred_opt().expect("a day").to_string();
        if the_day_before != day {
            round_on(&app, &the_day_before).await;
        }
        round_on(&app, day).await;
        assert_eq!(meeting_attempts(&app).await.len(), failures + 1, "{day}");
        assert_eq!(mails_about(&app, MEETING).await.len(), failures + 1);
    }
    // The last retry, on day 7, fails too: the subscription expires (R15 reactivates it).
    round_on(&app, "2026-12-08").await;
    let entry = renewal(&app, MEETING).await;
    assert_eq!(entry["status"], "expired_unpaid");
    assert_eq!(entry["next_retry"], Value::Null);
    assert_eq!(entry["payable"], false);
    assert_eq!(entry["amount_paid"], "0.00");
    let mails = mails_about(&app, MEETING).await;
    assert_eq!(mails.len(), 4, "{mails:?}");
    assert!(mails[3].1.contains("expired"), "{mails:?}");
    let account = app.account(&token).await;
    assert_eq!(account["subscriptions"][0]["id"], "sub_1");
    assert_eq!(account["subscriptions"][0]["status"], "expired");
    // Four tries, each declined, each with its own provider key; never a charge.
    let attempts = meeting_attempts(&app).await;
    assert_eq!(attempts.len(), 4);
    let ledger = ledger(&app).await;
    for attempt in &attempts {
        assert_eq!(attempt.state, AttemptState::Declined);
        let lines: Vec<&LedgerEntry> = ledger
            .iter()
            .filter(|entry| entry.provider_key == attempt.provider_key)
            .collect();
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].kind, "decline");
    }
    // Nothing happens after the end.
    round_on(&app, "2026-12-20").await;
    assert_eq!(mails_about(&app, MEETING).await.len(), 4);
    assert_eq!(meeting_attempts(&app).await.len(), 4);
}

#[tokio::test]
async fn a_renewal_the_credit_covers_needs_no_card() {
    let app = TestApp::spawn().await;
    app.execute_sql("UPDATE accounts SET credit = '1000.00' WHERE id = 'acc_rossi'")
        .await;
    let round = round_on(&app, "2026-12-01").await;
    assert_eq!(round.no_payment_needed, 1, "{round:?}");
    let entry = renewal(&app, MEETING).await;
    assert_eq!(entry["status"], "no_payment_needed");
    assert_eq!(entry["amount_due"], "0.00");
    assert_eq!(entry["credit_applied"], entry["total"]);
    assert_eq!(entry["card"], Value::Null);
    assert!(ledger(&app).await.is_empty());
    assert!(meeting_attempts(&app).await.is_empty());
    // Its receipt says so.
    assert_eq!(mails_about(&app, MEETING).await.len(), 1);
}

#[tokio::test]
async fn a_renewal_without_a_usable_default_card_fails_and_is_retried() {
    let app = TestApp::spawn().await;
    // The default card expired before the due date (S72).
    app.execute_sql("UPDATE payment_methods SET exp = '2026-11' WHERE id = 'pm_1'")
        .await;
    round_on(&app, "2026-12-01").await;
    let entry = renewal(&app, MEETING).await;
    assert_eq!(entry["status"], "payment_failed");
    assert_eq!(entry["next_retry"], "2026-12-02");
    assert!(ledger(&app).await.is_empty());
    assert_eq!(mails_about(&app, MEETING).await.len(), 1);
    // A valid default card on the retry day pays it.
    app.execute_sql("UPDATE payment_methods SET exp = '2028-04' WHERE id = 'pm_1'")
        .await;
    round_on(&app, "2026-12-02").await;
    assert_eq!(renewal(&app, MEETING).await["status"], "paid");
    assert_eq!(ledger(&app).await.len(), 1);
}

/// "Paga ora" on `id` with `card`, signed in with `token`.
async fn pay(app: &TestApp, token: &str, id: &str, card: &str) -> crate::helpers::Answer {
    call(
        &app.router,
        Method::POST,
        &format!("/api/v1/orders/{id}/pay"),
        Some(token),
        Some(&json!({ "payment_method": card })),
    )
    .await
}

#[tokio::test]
async fn the_history_lists_renewals_and_paga_ora_settles_a_declined_one() {
    let app = TestApp::spawn().await;
    let token = app.sign_in(GIULIA).await;
    // An order before the renewal: the webinar cancelled (it then expires on 5 December).
    let cancel =
        json!({"items": [{"op": "cancel", "subscription": "sub_2"}], "expected_total": "0.00"});
    let placed = app.order(&token, "k-history", &cancel).await;
    assert_eq!(placed.status, StatusCode::CREATED, "{:?}", placed.body);
    make_default(&app, &token, "pm_2").await;
    round_on(&app, "2026-12-01").await;

    // R28: the renewal is an entry of the history, newest first; the order keeps its fields.
    let history = app.get("/api/v1/orders", Some(&token)).await;
    assert_eq!(history.status, StatusCode::OK);
    let entries = history.body["orders"].as_array().expect("entries").clone();
    assert_eq!(entries.len(), 2, "{entries:?}");
    assert_eq!(entries[0]["kind"], "renewal");
    assert_eq!(entries[0]["id"], MEETING);
    assert_eq!(entries[0]["status"], "payment_failed");
    assert_eq!(entries[0]["next_retry"], "2026-12-02");
    assert_eq!(entries[0]["seats"], 5);
    // The order as placed, with the billing information it was placed with (S77).
    let mut order = placed.body.clone();
    order["kind"] = "order".into();
    order["billing_info"] =
        json!({"company": "Rossi S.r.l.", "country": "IT", "address": null, "vat_id": null});
    assert_eq!(entries[1], order);
    let one = app
        .get(
            &format!(
                "/api/v1/orders/{}",
                placed.body["id"].as_str().expect("an id")
            ),
            Some(&token),
        )
        .await;
    assert_eq!(one.body, order);

    // Who may pay: the billing contact of this standard account, and only its own renewals.
    let marco = app.sign_in(MARCO).await;
    assert_eq!(
        pay(&app, &marco, MEETING, "pm_1").await.code(),
        "not_billing_contact"
    );
    let acme = app.sign_in(ACME).await;
    assert_eq!(
        pay(&app, &acme, MEETING, "pm_1").await.code(),
        "corporate_account"
    );
    let anna = app.sign_in(ANNA).await;
    let theirs = pay(&app, &anna, MEETING, "pm_1").await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(&format!("/api/v1/orders/{MEETING}"), Some(&anna))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        pay(&app, &token, "ren_sub_9_20261201", "pm_1").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        pay(&app, &token, MEETING, "pm_9").await.code(),
        "payment_method_required"
    );
    let unknown_member = call(
        &app.router,
        Method::POST,
        &format!("/api/v1/orders/{MEETING}/pay"),
        Some(&token),
        Some(&json!({"payment_method": "pm_1", "amount": "1.00"})),
    )
    .await;
    assert_eq!(unknown_member.code(), "invalid_request");

    // The declining card again: 402, and the schedule is unchanged.
    let declined = pay(&app, &token, MEETING, "pm_2").await;
    assert_eq!(declined.status, StatusCode::PAYMENT_REQUIRED);
    assert_eq!(declined.code(), "payment_declined");
    assert_eq!(renewal(&app, MEETING).await["next_retry"], "2026-12-02");
    assert_eq!(mails_about(&app, MEETING).await.len(), 1);

    // Another card settles it.
    let paid = pay(&app, &token, MEETING, "pm_1").await;
    assert_eq!(paid.status, StatusCode::OK, "{:?}", paid.body);
    assert_eq!(paid.body["status"], "paid");
    assert_eq!(paid.body["card"], json!({"brand": "visa", "last4": "4242"}));
    assert_eq!(paid.body["amount_paid"], paid.body["amount_due"]);
    assert_eq!(paid.body["next_retry"], Value::Null);
    let receipt = app
        .get(&format!("/api/v1/orders/{MEETING}"), Some(&token))
        .await;
    assert_eq!(receipt.status, StatusCode::OK);
    assert_eq!(receipt.body, paid.body);
    assert_eq!(receipt.body["billing_info"]["company"], "Rossi S.r.l.");
    // A receipt follows the failure e-mail.
    assert_eq!(mails_about(&app, MEETING).await.len(), 2);
    assert_eq!(
        pay(&app, &token, MEETING, "pm_1").await.code(),
        "not_payable"
    );
    // The retry day finds nothing to do: one charge in all.
    round_on(&app, "2026-12-02").await;
    let charges: Vec<LedgerEntry> = ledger(&app)
        .await
        .into_iter()
        .filter(|entry| json!(entry.amount) == paid.body["amount_paid"])
        .collect();
    assert_eq!(
        charges.len(),
        3,
        "the worker's decline, the one of \"Paga ora\" and a charge: {charges:?}"
    );
    assert_eq!(
        charges
            .iter()
            .filter(|entry| entry.kind == "charge")
            .count(),
        1
    );
    assert_eq!(meeting_attempts(&app).await.len(), 3);
}

/// A charge whose answer is lost (S21): the provider is asked what the attempt's key charged, and
/// the renewal is settled with that charge, once.
#[tokio::test]
async fn a_renewal_charge_whose_answer_is_lost_is_settled_by_the_reconciler() {
    let app = TestApp::spawn().await;
    let state = on(&app, "2026-12-01").with_payments(std::sync::Arc::new(
        TestPaymentProvider::new(app.state.store.clone()).with_fault(Some(Fault::FailAfterCharge)),
    ));
    let round = renewals::run_once(&state).await.expect("the round runs");
    assert_eq!(
        round.paid, 0,
        "the worker itself did not see the charge: {round:?}"
    );
    let entry = renewal(&app, MEETING).await;
    assert_eq!(entry["status"], "paid");
    assert_eq!(entry["card"]["last4"], "4242");
    let charges = ledger(&app).await;
    assert_eq!(charges.len(), 1, "{charges:?}");
    assert!(!charges[0].refunded);
    let attempts = meeting_attempts(&app).await;
    assert_eq!(attempts.len(), 1);
    assert_eq!(attempts[0].state, AttemptState::Committed);
    assert_eq!(attempts[0].order_id.as_deref(), Some(MEETING));
    assert_eq!(mails_about(&app, MEETING).await.len(), 1);
    // The next round (with a provider that answers) charges nothing more.
    round_on(&app, "2026-12-01").await;
    assert_eq!(ledger(&app).await.len(), 1);
}

/// How many charges and declines the test provider's ledger holds for the meeting renewal, and
/// how many e-mails name it, read through a connection of the test's own.
async fn meeting_on(url: &str) -> (i64, i64, i64) {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(url).await.expect("a connection");
    let count = |sql: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(&pool)
                .await
                .expect("a count")
        }
    };
    let charges = count(
        "SELECT COUNT(*) FROM test_payments t JOIN payment_attempts p
            ON p.provider_key = t.provider_key
         WHERE p.idem_key = 'renewal sub_1 2026-12-01' AND t.kind = 'charge'",
    )
    .await;
    let paid = count(
        "SELECT COUNT(*) FROM renewal_charges
         WHERE subscription_id = 'sub_1' AND period_start = '2026-12-01' AND status = 'paid'",
    )
    .await;
    let mails =
        count("SELECT COUNT(*) FROM outbox WHERE subject LIKE '%ren_sub_1_20261201%'").await;
    pool.close().await;
    (charges, paid, mails)
}

/// Six rounds at once at the meeting renewal's due date, alternately on the two apps' stores;
/// what they did, added up.
async fn rounds_at_once(a: &TestApp, b: &TestApp) -> Round {
    let (state_a, state_b) = (on(a, "2026-12-01"), on(b, "2026-12-01"));
    let mut rounds = Vec::new();
    for n in 0..6 {
        let state = if n % 2 == 0 {
            state_a.clone()
        } else {
            state_b.clone()
        };
        rounds.push(tokio::spawn(async move {
            renewals::run_once(&state).await.expect("the round runs")
        }));
    }
    let mut sum = Round::default();
    for round in rounds {
        let round = round.await.expect("the round ends");
        sum.paid += round.paid;
        sum.failed += round.failed;
    }
    sum
}

/// The same with a declining card: the failed try is counted and e-mailed once (S71, S74).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_stores_running_rounds_at_once_count_a_decline_once_on_postgresql() {
    let Some(cluster) = crate::pg::PgCluster::start() else {
        return;
    };
    let spawn = || TestApp::spawn_on_shared(&cluster.url, "2026-11-16");
    let (a, b) = (spawn().await, spawn().await);
    let token = a.sign_in(GIULIA).await;
    make_default(&a, &token, "pm_2").await;
    let round = rounds_at_once(&a, &b).await;
    assert_eq!((round.paid, round.failed), (0, 1), "{round:?}");
    assert_eq!(meeting_on(&cluster.url).await, (0, 0, 1));
    let attempts = meeting_attempts(&a).await;
    assert_eq!(attempts.len(), 1);
    assert_eq!(attempts[0].state, AttemptState::Declined);
    assert_eq!(renewal(&a, MEETING).await["next_retry"], "2026-12-02");
    a.state.store.close().await;
    b.state.store.close().await;
}

/// Two stores over one PostgreSQL database act as two server processes (each with its own
/// in-process locks and writer): rounds run at once on both charge the renewal once (S71).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_stores_running_rounds_at_once_charge_a_renewal_once_on_postgresql() {
    let Some(cluster) = crate::pg::PgCluster::start() else {
        return;
    };
    let spawn = || TestApp::spawn_on_shared(&cluster.url, "2026-11-16");
    let (a, b) = (spawn().await, spawn().await);
    let round = rounds_at_once(&a, &b).await;
    let paid = round.paid;
    assert_eq!(paid, 1, "one round of one store charged it");
    assert_eq!(meeting_on(&cluster.url).await, (1, 1, 1));
    a.state.store.close().await;
    b.state.store.close().await;
}

/// A process of the real binary over `database` at the meeting renewal's due date, its worker
/// running every second, with the test provider's `fault` when given; not waited for.
fn renewing_server(
    database: &str,
    log: &std::path::Path,
    fault: Option<&str>,
) -> crate::process::ServerProcess {
    let port = crate::process::free_port();
    let log = std::fs::File::create(log).expect("a log file");
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_checkout-server"));
    command
        .args([
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--database-url",
            database,
            "--clock",
            "2026-12-01",
            "--demo",
            "--renew-every",
            "1",
            "--reconcile-after",
            "1",
        ])
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::from(
            log.try_clone().expect("the log again"),
        ))
        .stderr(std::process::Stdio::from(log));
    if let Some(fault) = fault {
        command.env("CHECKOUT_TEST_PAYMENT_FAULT", fault);
    }
    let child = command.spawn().expect("the server starts");
    crate::process::ServerProcess { child, port }
}

/// A process killed between a renewal's charge and its settlement (S21): restarted, its
/// reconciler settles the renewal with that charge; nothing is charged twice or refunded.
#[test]
fn a_renewal_charged_by_a_process_that_crashed_is_settled_after_the_restart() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let database = dir.path().join("data/checkout.db");
    let database = database.to_string_lossy().into_owned();
    let url = format!("sqlite://{database}");
    // The worker's first round charges the renewal, and the process ends right after.
    let mut crashing = renewing_server(
        &database,
        &dir.path().join("crash.log"),
        Some("crash-after-charge"),
    );
    let started = std::time::Instant::now();
    let exit = loop {
        if let Some(exit) = crashing.child.try_wait().expect("the process") {
            break exit;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "the process never charged the renewal"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(!exit.success());
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    assert_eq!(
        runtime.block_on(meeting_on(&url)),
        (1, 0, 0),
        "charged, not settled"
    );
    let restarted = renewing_server(&database, &dir.path().join("restart.log"), None);
    crate::process::wait_ready(&restarted);
    let started = std::time::Instant::now();
    while runtime.block_on(meeting_on(&url)).1 == 0 {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "the renewal was never settled"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(runtime.block_on(meeting_on(&url)), (1, 1, 1));
    let refunded = runtime.block_on(async {
        let pool = sqlx::AnyPool::connect(&url).await.expect("a connection");
        let refunded: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM test_payments WHERE refunded <> 0")
                .fetch_one(&pool)
                .await
                .expect("a count");
        pool.close().await;
        refunded
    });
    assert_eq!(refunded, 0);
}

/// Two processes of the real binary on one PostgreSQL database, both started at once at the due
/// date with the worker running every second: the renewal is charged once and its receipt queued
/// once (R31, S71).
#[test]
fn two_server_processes_charge_a_renewal_once() {
    let Some(cluster) = crate::pg::PgCluster::start() else {
        return;
    };
    let logs = tempfile::tempdir().expect("a temp dir");
    let start = |name: &str| renewing_server(&cluster.url, &logs.path().join(name), None);
    let servers = [start("a.log"), start("b.log")];
    for server in &servers {
        crate::process::wait_ready(server);
    }
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    // Wait until one of them has charged it, then let both run a few more rounds.
    let started = std::time::Instant::now();
    while runtime.block_on(meeting_on(&cluster.url)).1 == 0 {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "the renewal was never charged"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    std::thread::sleep(std::time::Duration::from_secs(3));
    assert_eq!(runtime.block_on(meeting_on(&cluster.url)), (1, 1, 1));
    // The history of either process shows it paid.
    for server in &servers {
        let token = crate::process::sign_in(server.port, GIULIA);
        let (status, history) = server
            .try_request("GET", "/api/v1/orders", Some(&token), None, None)
            .expect("an answer");
        assert_eq!(status, 200);
        let meeting = history["orders"]
            .as_array()
            .expect("entries")
            .iter()
            .find(|entry| entry["id"] == MEETING)
            .expect("the renewal is listed")
            .clone();
        assert_eq!(meeting["status"], "paid");
    }
}

/// Replaces the billing information of Rossi S.r.l. (R27), signed in with `token`.
async fn edit_billing_info(app: &TestApp, token: &str, company: &str, city: &str) {
    let info = json!({
        "company": company,
        "address": {"line1": "Via Roma 1", "line2": null, "city": city,
            "postal_code": "20121", "region": "MI"},
        "vat_id": null,
    });
    let answer = call(
        &app.router,
        Method::PUT,
        "/api/v1/account/billing-info",
        Some(token),
        Some(&info),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
}

/// R27: a receipt shows the billing information as it was when its order was placed (or its
/// renewal settled); editing it afterwards changes only later receipts.
#[tokio::test]
async fn receipts_keep_the_billing_information_of_their_moment() {
    let app = TestApp::spawn().await;
    let token = app.sign_in(GIULIA).await;
    let cancel =
        json!({"items": [{"op": "cancel", "subscription": "sub_2"}], "expected_total": "0.00"});
    let old = app.order(&token, "k-old", &cancel).await;
    assert_eq!(old.status, StatusCode::CREATED, "{:?}", old.body);
    let old_id = old.body["id"].as_str().expect("an id").to_owned();
    let receipt = |id: String| {
        let app = &app;
        let token = token.clone();
        async move {
            let answer = app.get(&format!("/api/v1/orders/{id}"), Some(&token)).await;
            assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
            answer.body["billing_info"].clone()
        }
    };
    let as_placed = json!({"company": "Rossi S.r.l.", "country": "IT", "address": null,
        "vat_id": null});
    assert_eq!(receipt(old_id.clone()).await, as_placed);

    edit_billing_info(&app, &token, "Rossi & Figli S.r.l.", "Milano").await;
    // The old receipt is unchanged; a new order carries the new information.
    assert_eq!(receipt(old_id.clone()).await, as_placed);
    let new = app.order(&token, "k-new", &eight_seats_order("pm_1")).await;
    assert_eq!(new.status, StatusCode::CREATED, "{:?}", new.body);
    let new_id = new.body["id"].as_str().expect("an id").to_owned();
    let edited = json!({"company": "Rossi & Figli S.r.l.", "country": "IT",
        "address": {"line1": "Via Roma 1", "line2": null, "city": "Milano",
            "postal_code": "20121", "region": "MI"},
        "vat_id": null});
    assert_eq!(receipt(new_id.clone()).await, edited);

    // A renewal settled now keeps the information of now, through later edits too. The order
    // above moved the meeting's period: it renews on 16 December.
    round_on(&app, "2026-12-16").await;
    let renewal_id = "ren_sub_1_20261216".to_owned();
    assert_eq!(receipt(renewal_id.clone()).await, edited);
    edit_billing_info(&app, &token, "Rossi Holding S.p.A.", "Torino").await;
    assert_eq!(receipt(renewal_id).await, edited);
    assert_eq!(receipt(new_id).await, edited);
    assert_eq!(receipt(old_id).await, as_placed);
}
