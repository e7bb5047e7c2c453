//! The outbox worker: drains page after page, marks only what was sent, sends again what a crash
//! cut between sending and marking (at least once), and on PostgreSQL never lets two processes
//! send the same message.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use checkout_server::mail::{Drained, Mailer, Retry, SendFuture, drain, drain_at};
use checkout_server::store::{OutboxMessage, Store};
use chrono::{DateTime, Utc};

use crate::helpers::TestApp;
use crate::pg::PgCluster;

/// A mailer that records what it sends, refuses one recipient, and can take its time.
#[derive(Default)]
struct Recorder {
    sent: Mutex<Vec<String>>,
    refuse: Option<&'static str>,
    delay: Duration,
}

impl Recorder {
    fn sent(&self) -> Vec<String> {
        self.sent
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl Mailer for Recorder {
    fn send<'a>(&'a self, message: &'a OutboxMessage) -> SendFuture<'a> {
        Box::pin(async move {
            tokio::time::sleep(self.delay).await;
            if self.refuse == Some(message.recipient.as_str()) {
                return Err("mailbox unavailable".to_owned());
            }
            self.sent
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(message.id.clone());
            Ok(())
        })
    }
}

/// The SQL that puts `n` receipts in the outbox, `mail_00`, `mail_01`, ... oldest first.
fn receipts(n: usize, recipient: &str) -> String {
    let rows: Vec<String> = (0..n)
        .map(|i| {
            format!(
                "('mail_{i:02}', '2026-11-16T10:00:{i:02}Z', '{recipient}', 'Receipt', 'Thanks')"
            )
        })
        .collect();
    format!(
        "INSERT INTO outbox (id, created_at, recipient, subject, body) VALUES {}",
        rows.join(", ")
    )
}

fn ids(range: std::ops::Range<usize>) -> Vec<String> {
    range.map(|i| format!("mail_{i:02}")).collect()
}

#[tokio::test]
async fn the_worker_drains_the_outbox_page_after_page_in_one_go() {
    let app = TestApp::spawn().await;
    app.execute_sql(&receipts(7, "a@example.com")).await;
    let store = &app.state.store;
    let mailer = Recorder::default();
    // Pages of 3: two full ones, then one of one message, which ends the drain.
    assert_eq!(drain(store, &mailer, 3).await.expect("drained"), 7);
    assert_eq!(mailer.sent(), ids(0..7), "each once, oldest first");
    assert_eq!(store.unsent_count().await.expect("count"), 0);
    // Nothing left: nothing is sent again.
    assert_eq!(drain(store, &mailer, 3).await.expect("drained"), 0);
    assert_eq!(mailer.sent().len(), 7);
}

#[tokio::test]
async fn a_message_that_fails_stays_unsent_and_the_drain_still_ends() {
    let app = TestApp::spawn().await;
    app.execute_sql(&receipts(4, "down@example.com")).await;
    let store = &app.state.store;
    let failing = Recorder {
        refuse: Some("down@example.com"),
        ..Recorder::default()
    };
    let retry = Retry::default();
    let now = at("2026-11-16T12:00:00Z");
    // A full page of which nothing goes out ends the drain instead of retrying at once.
    let drained = drain_at(store, &failing, 2, &retry, now)
        .await
        .expect("drained");
    assert_eq!((drained.sent, drained.deferred), (0, 2));
    assert_eq!(store.unsent_count().await.expect("count"), 4);
    // The two that failed back off; the two behind them are due and go out.
    let working = Recorder::default();
    let drained = drain_at(store, &working, 2, &retry, now)
        .await
        .expect("drained");
    assert_eq!(drained.sent, 2);
    assert_eq!(working.sent(), ids(2..4));
    // Once their back-off (30 s after the first failure) is over, the first two go out too.
    let later = now + chrono::Duration::seconds(30);
    let drained = drain_at(store, &working, 2, &retry, later)
        .await
        .expect("drained");
    assert_eq!(drained.sent, 2);
    assert_eq!(working.sent(), [ids(2..4), ids(0..2)].concat());
    assert_eq!(store.unsent_count().await.expect("count"), 0);
}

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("a time")
        .with_timezone(&Utc)
}

/// The item 7 case: a backlog of old messages to a recipient that always fails, then new ones.
#[tokio::test]
async fn old_failing_messages_do_not_block_new_ones() {
    let app = TestApp::spawn().await;
    old_failing_do_not_block(&app).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn old_failing_messages_do_not_block_new_ones_on_postgresql() {
    let Some(cluster) = PgCluster::start() else {
        return;
    };
    let dir = tempfile::tempdir().expect("a temp dir");
    let app = TestApp::spawn_on(
        &cluster.url,
        crate::helpers::TODAY,
        dir,
        checkout_server::HttpConfig::default(),
    )
    .await;
    old_failing_do_not_block(&app).await;
    app.state.store.close().await;
}

async fn old_failing_do_not_block(app: &TestApp) {
    // 6 old receipts to a dead mailbox, then 3 new ones to a working one (created later).
    app.execute_sql(&receipts(6, "down@example.com")).await;
    app.execute_sql(
        "INSERT INTO outbox (id, created_at, recipient, subject, body) VALUES
         ('new_0', '2026-11-16T11:00:00Z', 'ok@example.com', 'Receipt', 'Thanks'),
         ('new_1', '2026-11-16T11:00:01Z', 'ok@example.com', 'Receipt', 'Thanks'),
         ('new_2', '2026-11-16T11:00:02Z', 'ok@example.com', 'Receipt', 'Thanks')",
    )
    .await;
    let store = &app.state.store;
    let mailer = Recorder {
        refuse: Some("down@example.com"),
        ..Recorder::default()
    };
    let retry = Retry::default();
    let mut now = at("2026-11-16T12:00:00Z");
    // Pages of 2: the old ones fill the first pages and fail; the worker's next rounds, at the
    // same moment, reach the new ones behind them instead of trying the old ones again.
    let mut rounds = 0;
    while mailer.sent().len() < 3 {
        drain_at(store, &mailer, 2, &retry, now)
            .await
            .expect("drained");
        rounds += 1;
        assert!(
            rounds <= 4,
            "the new messages were blocked: {:?}",
            mailer.sent()
        );
    }
    assert_eq!(mailer.sent(), ["new_0", "new_1", "new_2"]);
    // The old ones are retried with a growing back-off and, after the tenth failure, given up:
    // they never come back, and the outbox is empty of due work.
    for _ in 0..10 {
        now += chrono::Duration::hours(3);
        drain_at(store, &mailer, 100, &retry, now)
            .await
            .expect("drained");
    }
    assert_eq!(store.dead_mail().await.expect("dead"), ids(0..6));
    assert_eq!(store.unsent_count().await.expect("count"), 0);
    let attempts: i64 = sqlx::query_scalar("SELECT MAX(attempts) FROM outbox")
        .fetch_one(&sqlx::AnyPool::connect(&app.url).await.expect("a pool"))
        .await
        .expect("attempts");
    assert_eq!(attempts, 10);
    now += chrono::Duration::days(30);
    let drained = drain_at(store, &mailer, 100, &retry, now)
        .await
        .expect("drained");
    assert_eq!(
        drained,
        Drained::default(),
        "dead letters are not taken again"
    );
}

/// A mailer that never answers.
struct Hanging;

impl Mailer for Hanging {
    fn send<'a>(&'a self, _message: &'a OutboxMessage) -> SendFuture<'a> {
        Box::pin(std::future::pending())
    }
}

#[tokio::test]
async fn a_send_that_hangs_times_out_and_counts_as_a_failed_attempt() {
    let app = TestApp::spawn().await;
    app.execute_sql(&receipts(2, "a@example.com")).await;
    let store = &app.state.store;
    let retry = Retry {
        send_timeout: Duration::from_millis(50),
        ..Retry::default()
    };
    let now = at("2026-11-16T12:00:00Z");
    let drained = drain_at(store, &Hanging, 10, &retry, now)
        .await
        .expect("drained");
    assert_eq!((drained.sent, drained.deferred), (0, 2));
    let working = Recorder::default();
    let drained = drain_at(
        store,
        &working,
        10,
        &retry,
        now + chrono::Duration::minutes(1),
    )
    .await
    .expect("drained");
    assert_eq!(drained.sent, 2);
}

#[tokio::test]
async fn a_crash_between_sending_and_marking_sends_the_page_again() {
    let app = TestApp::spawn().await;
    app.execute_sql(&receipts(3, "a@example.com")).await;
    crash_then_drain(&app.state.store).await;
}

/// Takes a page and sends it, then "crashes" (drops the page unmarked): nothing is marked, and
/// the next drain sends the page again (at least once), then all is sent.
async fn crash_then_drain(store: &Store) {
    let mailer = Recorder::default();
    let page = store.take_mail(10).await.expect("a page");
    for message in &page.messages {
        mailer.send(message).await.expect("sent");
    }
    drop(page);
    assert_eq!(store.unsent_count().await.expect("count"), 3);
    // On PostgreSQL the dropped page's transaction is rolled back when its connection is next
    // used, and until then its rows are locked and skipped: drain until they come free.
    let mut sent = 0;
    for _ in 0..100 {
        sent += drain(store, &mailer, 10).await.expect("drained");
        if sent >= 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(sent, 3);
    let mut expected = ids(0..3);
    expected.extend(ids(0..3));
    assert_eq!(mailer.sent(), expected);
    assert_eq!(store.unsent_count().await.expect("count"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_processes_on_postgresql_never_send_one_message_twice() {
    let Some(cluster) = PgCluster::start() else {
        return;
    };
    let dir = tempfile::tempdir().expect("a temp dir");
    let app = TestApp::spawn_on(
        &cluster.url,
        crate::helpers::TODAY,
        dir,
        checkout_server::HttpConfig::default(),
    )
    .await;
    app.execute_sql(&receipts(3, "a@example.com")).await;
    crash_then_drain(&app.state.store).await;
    app.execute_sql("DELETE FROM outbox").await;
    app.execute_sql(&receipts(40, "a@example.com")).await;
    // Two stores over one database: two server processes, each with its worker.
    let other = Store::connect(&cluster.url).await.expect("a second store");
    let slow = || Recorder {
        delay: Duration::from_millis(2),
        ..Recorder::default()
    };
    let (first, second) = (Arc::new(slow()), Arc::new(slow()));
    let (a, b) = tokio::join!(
        drain(&app.state.store, first.as_ref(), 4),
        drain(&other, second.as_ref(), 4)
    );
    assert_eq!(a.expect("drained") + b.expect("drained"), 40);
    let mut all = first.sent();
    all.extend(second.sent());
    all.sort();
    assert_eq!(all, ids(0..40), "every message sent exactly once");
    assert!(
        !first.sent().is_empty() && !second.sent().is_empty(),
        "both workers sent some"
    );
    other.close().await;
    app.state.store.close().await;
}
