//! Reading the store behind the server's back: the raw rate of durable single-row transactions
//! (the physical limit of the store), and the consistency checks after a crash.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use sqlx::{AnyConnection, Connection, Executor, Row};

use crate::setup::{Error, account_id};
use crate::stats::Samples;
use crate::work::Acked;

/// The sqlx URL of a database given like `--database-url`: a path becomes a SQLite URL.
pub fn sqlx_url(url: &str) -> String {
    if url.starts_with("postgres") || url.starts_with("sqlite:") {
        url.to_owned()
    } else {
        format!("sqlite://{url}?mode=rwc")
    }
}

async fn connect(url: &str, synchronous: &str) -> Result<AnyConnection, Error> {
    sqlx::any::install_default_drivers();
    let url = sqlx_url(url);
    let mut conn = AnyConnection::connect(&url).await?;
    if url.starts_with("sqlite:") {
        // The server's pragmas (crates/server/src/store/mod.rs), with the synchronous level asked.
        conn.execute("PRAGMA journal_mode = WAL").await?;
        conn.execute("PRAGMA busy_timeout = 5000").await?;
        conn.execute("PRAGMA foreign_keys = ON").await?;
        conn.execute(format!("PRAGMA synchronous = {synchronous}").as_str())
            .await?;
    }
    Ok(conn)
}

/// The receipts in the outbox: how many are still unsent, and how many there are.
pub async fn outbox_backlog(url: &str) -> Result<(i64, i64), Error> {
    let mut conn = connect(url, "FULL").await?;
    let row = sqlx::query(
        "SELECT COUNT(*) AS total, COALESCE(SUM(CASE WHEN sent_at IS NULL THEN 1 ELSE 0 END), 0)
            AS unsent FROM outbox",
    )
    .fetch_one(&mut conn)
    .await?;
    Ok((row.try_get("unsent")?, row.try_get("total")?))
}

/// Commits single-row `INSERT` transactions one after another on one connection, for at most
/// `seconds` and `max` transactions, in a scratch table dropped afterwards; answers the latencies
/// and the wall time. `synchronous` is SQLite's level (`FULL` as the server, or `NORMAL`);
/// PostgreSQL keeps its own settings.
pub async fn raw_transactions(
    url: &str,
    synchronous: &str,
    seconds: f64,
    max: u64,
) -> Result<(Samples, Duration), Error> {
    let mut conn = connect(url, synchronous).await?;
    conn.execute("DROP TABLE IF EXISTS bench_raw").await?;
    conn.execute("CREATE TABLE bench_raw (id BIGINT PRIMARY KEY, payload TEXT NOT NULL)")
        .await?;
    let mut samples = Samples::default();
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(seconds);
    let mut id = 0i64;
    while (id as u64) < max && Instant::now() < deadline {
        let begun = Instant::now();
        let mut tx = conn.begin().await?;
        sqlx::query("INSERT INTO bench_raw (id, payload) VALUES ($1, $2)")
            .bind(id)
            .bind("one row, committed on its own".to_owned())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        samples.push(begun.elapsed());
        id += 1;
    }
    let elapsed = started.elapsed();
    conn.execute("DROP TABLE bench_raw").await?;
    conn.close().await?;
    Ok((samples, elapsed))
}

/// An amount like `"-35.00"` in minor units (the load accounts pay in EUR, two digits).
fn cents(text: &str) -> Option<i64> {
    let (units, minor) = text.split_once('.')?;
    let negative = units.starts_with('-');
    let value =
        units.trim_start_matches('-').parse::<i64>().ok()? * 100 + minor.parse::<i64>().ok()?;
    Some(if negative { -value } else { value })
}

/// What the checks found: a list of violations (empty when consistent) and counts to print.
#[derive(Debug, Default)]
pub struct Report {
    /// Every inconsistency found.
    pub violations: Vec<String>,
    /// Orders stored for the load accounts.
    pub stored: usize,
    /// Of which acknowledged with `201`.
    pub acknowledged: usize,
}

/// Checks the store against the acknowledged orders: every `201` stored exactly once with the body
/// answered and its idempotency record; no order without lines, no line without order, no
/// idempotency record without order, one receipt per order, lines summing to the subtotal; and
/// for every load account, order numbers 1..n, credit equal to the last order's `credit_after`
/// and seats equal to the last charged seat count.
pub async fn verify(url: &str, accounts: usize, acked: &[Acked]) -> Result<Report, Error> {
    let mut conn = connect(url, "FULL").await?;
    // One snapshot for every query: a commit the killed server had already sent may still land
    // while the checks run, and must not appear half-way through them.
    let mut tx = conn.begin().await?;
    if url.starts_with("postgres") {
        tx.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            .await?;
    }
    let mut violations = Vec::new();
    let mut stored = 0;
    let mut bad = |text: String| violations.push(text);
    let orders = sqlx::query("SELECT id, account_id, seq, body FROM orders")
        .fetch_all(&mut *tx)
        .await?;
    let mut by_id: HashMap<String, (String, i64, serde_json::Value)> = HashMap::new();
    for row in &orders {
        let id: String = row.try_get("id")?;
        let body: String = row.try_get("body")?;
        let value = serde_json::from_str(&body)?;
        if by_id
            .insert(
                id.clone(),
                (row.try_get("account_id")?, row.try_get("seq")?, value),
            )
            .is_some()
        {
            bad(format!("order {id} stored twice"));
        }
    }
    let idempotency = sqlx::query("SELECT account_id, idem_key, response FROM idempotency_keys")
        .fetch_all(&mut *tx)
        .await?;
    let mut idem: HashMap<(String, String), String> = HashMap::new();
    let mut idem_per_order: HashMap<String, usize> = HashMap::new();
    for row in &idempotency {
        let account: String = row.try_get("account_id")?;
        let key: String = row.try_get("idem_key")?;
        let response: serde_json::Value =
            serde_json::from_str(&row.try_get::<String, _>("response")?)?;
        let id = response["id"].as_str().unwrap_or_default().to_owned();
        match by_id.get(&id) {
            Some((owner, _, _)) if *owner == account => {}
            _ => bad(format!(
                "idempotency record ({account}, {key}) without its order {id}"
            )),
        }
        *idem_per_order.entry(id.clone()).or_default() += 1;
        idem.insert((account, key), id);
    }
    for id in by_id.keys() {
        if idem_per_order.get(id) != Some(&1) {
            bad(format!("order {id} without exactly one idempotency record"));
        }
    }
    for ack in acked {
        let id = ack.order["id"].as_str().unwrap_or_default();
        match by_id.get(id) {
            None => bad(format!("acknowledged order {id} is not stored")),
            Some((owner, _, body)) => {
                if *owner != account_id(ack.account) {
                    bad(format!("order {id} stored under {owner}"));
                }
                if *body != ack.order {
                    bad(format!("order {id} stored differently from its 201 answer"));
                }
            }
        }
        if idem
            .get(&(account_id(ack.account), ack.key.clone()))
            .map(String::as_str)
            != Some(id)
        {
            bad(format!(
                "acknowledged order {id}: idempotency key {} does not lead to it",
                ack.key
            ));
        }
    }
    let lines = sqlx::query(
        "SELECT order_id, amount, kind, seats FROM order_lines ORDER BY order_id, line_no",
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut sums: HashMap<String, (i64, usize)> = HashMap::new();
    for row in &lines {
        let order: String = row.try_get("order_id")?;
        let amount: String = row.try_get("amount")?;
        if !by_id.contains_key(&order) {
            bad(format!("line of a missing order {order}"));
        }
        let entry = sums.entry(order).or_default();
        entry.0 += cents(&amount).unwrap_or(i64::MIN / 4);
        entry.1 += 1;
    }
    for (id, (_, _, body)) in &by_id {
        let (sum, count) = sums.get(id).copied().unwrap_or_default();
        let want = body["lines"].as_array().map_or(0, Vec::len);
        if count == 0 || count != want {
            bad(format!(
                "order {id} has {count} stored lines, its body {want}"
            ));
        }
        if Some(sum) != body["subtotal"].as_str().and_then(cents) {
            bad(format!(
                "order {id}: lines sum to {sum} cents, not its subtotal"
            ));
        }
    }
    let receipts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox")
        .fetch_one(&mut *tx)
        .await?;
    if usize::try_from(receipts).ok() != Some(by_id.len()) {
        bad(format!("{receipts} receipts for {} orders", by_id.len()));
    }
    let mut histories: BTreeMap<String, Vec<(i64, &serde_json::Value)>> = BTreeMap::new();
    for (owner, seq, body) in by_id.values() {
        histories
            .entry(owner.clone())
            .or_default()
            .push((*seq, body));
    }
    for index in 0..accounts {
        let account = account_id(index);
        let mut history = histories.remove(&account).unwrap_or_default();
        history.sort_by_key(|(seq, _)| *seq);
        stored += history.len();
        for (n, (seq, _)) in history.iter().enumerate() {
            if usize::try_from(*seq).ok() != Some(n + 1) {
                bad(format!("{account}: order numbers are not 1..n"));
                break;
            }
        }
        let credit: String = sqlx::query_scalar("SELECT credit FROM accounts WHERE id = $1")
            .bind(account.clone())
            .fetch_one(&mut *tx)
            .await?;
        let want_credit = history
            .last()
            .and_then(|(_, body)| body["credit_after"].as_str())
            .unwrap_or("0.00");
        if credit != want_credit {
            bad(format!(
                "{account}: credit {credit}, its last order says {want_credit}"
            ));
        }
        let seats: i64 =
            sqlx::query_scalar("SELECT seats FROM subscriptions WHERE account_id = $1")
                .bind(account.clone())
                .fetch_one(&mut *tx)
                .await?;
        let want_seats = history
            .iter()
            .flat_map(|(_, body)| body["lines"].as_array().into_iter().flatten())
            .filter(|line| line["kind"] == "charge")
            .filter_map(|line| line["seats"].as_i64())
            .next_back()
            .unwrap_or(1);
        if seats != want_seats {
            bad(format!(
                "{account}: {seats} seats, its orders say {want_seats}"
            ));
        }
    }
    tx.rollback().await?;
    conn.close().await?;
    Ok(Report {
        violations,
        stored,
        acknowledged: acked.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The checks are not vacuous: a store with a partial order, an orphan line, an orphan
    /// idempotency record and a credit that disagrees with the orders is reported, and an
    /// acknowledged order that is missing too.
    #[tokio::test]
    async fn verify_reports_partial_and_orphan_rows() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let url = dir.path().join("check.db").display().to_string();
        crate::setup::seed(&url, 1).await.expect("seeded");
        let clean = verify(&url, 1, &[]).await.expect("verifies");
        assert!(clean.violations.is_empty(), "{:?}", clean.violations);

        let mut conn = connect(&url, "NORMAL").await.expect("connects");
        let body = json!({"id": "ord_x", "lines": [{"amount": "1.00"}], "subtotal": "1.00",
                          "credit_after": "5.00"});
        for statement in [
            format!(
                "INSERT INTO orders (id, account_id, seq, placed_at, status, currency, total,
                    amount_due, payment_reference, body)
                 VALUES ('ord_x', 'acc_load_0', 1, 'now', 'paid', 'EUR', '1.22', '1.22', NULL, '{body}')"
            ),
            "INSERT INTO idempotency_keys (account_id, idem_key, request_hash, status, response,
                created_at) VALUES ('acc_load_0', 'k', 'h', 201, '{\"id\":\"ord_gone\"}', 'now')"
                .to_owned(),
        ] {
            conn.execute(statement.as_str()).await.expect("inserted");
        }
        conn.execute("PRAGMA foreign_keys = OFF")
            .await
            .expect("pragma");
        conn.execute(
            "INSERT INTO order_lines (order_id, line_no, item, kind, description, period_start,
                period_end, seats, unit_price, amount)
             VALUES ('ord_orphan', 0, 0, 'charge', 'x', 'a', 'b', 1, '1.00', '1.00')",
        )
        .await
        .expect("inserted");
        conn.close().await.expect("closed");

        let acked = [Acked {
            account: 0,
            key: "lost".to_owned(),
            request: "{}".to_owned(),
            order: json!({"id": "ord_lost"}),
        }];
        let report = verify(&url, 1, &acked).await.expect("verifies");
        let all = report.violations.join("\n");
        for expected in [
            "acknowledged order ord_lost is not stored",
            "idempotency record (acc_load_0, k) without its order ord_gone",
            "order ord_x without exactly one idempotency record",
            "line of a missing order ord_orphan",
            "order ord_x has 0 stored lines",
            "0 receipts for 1 orders",
            "acc_load_0: credit 0.00, its last order says 5.00",
        ] {
            assert!(all.contains(expected), "missing {expected:?} in:\n{all}");
        }
    }
}
