//! Issue 11's proof: three `checkout-server` processes of the real binary on one throw-away
//! PostgreSQL database, started at once on the empty database, taking concurrent orders of the
//! same accounts (the same and different subscriptions, orders paid by card and by the account's
//! credit, replays of a key on another process), one process killed with SIGKILL mid-load and
//! started again. Then, from the database: every `201` is stored once; each account's orders form
//! one chain (each priced from the state the previous one left: no change lost, R19 credit never
//! applied twice); and every charge of the test provider's ledger is paid into exactly one order
//! or refunded.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::helpers::GIULIA;
use crate::pg::PgCluster;
use crate::process::{ServerProcess, free_port, request, server_command, sign_in};

/// The accounts the clients order for, each with two client threads.
const ACCOUNTS: usize = 3;
/// Orders each client thread places.
const ORDERS_PER_CLIENT: usize = 6;
/// The credit each account starts with.
const START_CREDIT: &str = "100.00";

/// An amount in cents (`"-12.30"` is -1230).
fn cents(value: &Value) -> i64 {
    let text = value.as_str().expect("an amount");
    let (sign, digits) = text
        .strip_prefix('-')
        .map_or((1, text), |digits| (-1, digits));
    let (units, minor) = digits.split_once('.').expect("two decimals");
    sign * (units.parse::<i64>().expect("units") * 100 + minor.parse::<i64>().expect("cents"))
}

/// Runs SQL on the cluster from the test.
fn db<T: Send + 'static>(
    url: &str,
    work: impl FnOnce(sqlx::AnyPool) -> std::pin::Pin<Box<dyn Future<Output = T> + Send>>,
) -> T {
    let url = url.to_owned();
    tokio::runtime::Runtime::new()
        .expect("a runtime")
        .block_on(async move {
            sqlx::any::install_default_drivers();
            let pool = sqlx::AnyPool::connect(&url).await.expect("a connection");
            let out = work(pool.clone()).await;
            pool.close().await;
            out
        })
}

/// Adds the test's accounts: a copy of the demo's first account (same password) with credit.
fn add_accounts(url: &str) {
    db(url, |pool| {
        Box::pin(async move {
            let hash: String =
                sqlx::query_scalar("SELECT password_hash FROM users WHERE email = $1")
                    .bind(GIULIA.0)
                    .fetch_one(&pool)
                    .await
                    .expect("the demo user");
            for n in 0..ACCOUNTS {
                let statements = [
                    format!(
                        "INSERT INTO accounts (id, name, kind, country, currency, vat_id, credit) VALUES ('acc_mp_{n}', 'MP {n}', 'standard', 'IT', 'EUR', NULL, '{START_CREDIT}')"
                    ),
                    format!(
                        "INSERT INTO users (id, account_id, name, email, password_hash, is_billing_contact) VALUES ('usr_mp_{n}', 'acc_mp_{n}', 'MP {n}', 'mp{n}@example.com', '{hash}', 1)"
                    ),
                    format!(
                        "INSERT INTO payment_methods (id, account_id, brand, last4, exp, position) VALUES ('pm_mp_{n}', 'acc_mp_{n}', 'visa', '4242', '2030-12', 0)"
                    ),
                    format!(
                        "INSERT INTO subscriptions (id, account_id, product, tier, seats, frequency, status, period_start, period_end, position) VALUES ('sub_mpm_{n}', 'acc_mp_{n}', 'meeting', 'professional', 5, 'monthly', 'active', '2026-11-01', '2026-12-01', 0)"
                    ),
                    format!(
                        "INSERT INTO subscriptions (id, account_id, product, tier, seats, frequency, status, period_start, period_end, position) VALUES ('sub_mpw_{n}', 'acc_mp_{n}', 'webinar', 'lite', 1, 'monthly', 'active', '2026-11-05', '2026-12-05', 1)"
                    ),
                ];
                for statement in statements {
                    sqlx::query(&statement)
                        .execute(&pool)
                        .await
                        .expect("the account is added");
                }
            }
        })
    });
}

/// What the clients saw: every `201` by account and key.
#[derive(Default)]
struct Seen {
    created: Mutex<BTreeMap<(usize, String), String>>,
    count: AtomicUsize,
}

/// The next item for an account as the client last saw it: the meeting seats up or down, or the
/// webinar's frequency switched (annual to monthly leaves credit, R12, R19).
fn next_item(account: &Value, n: usize, webinar: bool) -> Value {
    let subscriptions = account["subscriptions"].as_array().expect("subscriptions");
    if webinar {
        let sub = subscriptions
            .iter()
            .find(|s| s["id"] == format!("sub_mpw_{n}"))
            .expect("the webinar");
        let other = if sub["frequency"] == "monthly" {
            "annual"
        } else {
            "monthly"
        };
        json!({"op": "change", "subscription": sub["id"], "frequency": other})
    } else {
        let sub = subscriptions
            .iter()
            .find(|s| s["id"] == format!("sub_mpm_{n}"))
            .expect("the meeting");
        let seats = sub["seats"].as_u64().expect("seats");
        let next = if seats >= 9 { seats - 3 } else { seats + 1 };
        json!({"op": "change", "subscription": sub["id"], "seats": next})
    }
}

/// One client: places [`ORDERS_PER_CLIENT`] orders for account `n`, each on the next process in
/// turn; a cut connection or a 5xx is retried with the same key on another process, a changed
/// price is priced again with a new key, and every other `201` is replayed on another process.
fn client(ports: &[u16], token: &str, n: usize, webinar: bool, seen: &Seen) {
    let mut turn = n + usize::from(webinar);
    let mut next_port = || {
        turn += 1;
        ports[turn % ports.len()]
    };
    let mut placed = 0;
    let mut tries = 0;
    while placed < ORDERS_PER_CLIENT {
        tries += 1;
        assert!(tries < 400, "client {n}/{webinar} makes no progress");
        let Some((200, account)) = request(
            next_port(),
            "GET",
            "/api/v1/account",
            Some(token),
            None,
            None,
        ) else {
            std::thread::sleep(Duration::from_millis(50));
            continue;
        };
        // Every third order of the meeting client touches the webinar too: the same subscription
        // from two clients at once.
        let on_webinar = webinar || placed % 3 == 2;
        let mut body = json!({"items": [next_item(&account, n, on_webinar)]});
        let Some((200, quote)) = request(
            next_port(),
            "POST",
            "/api/v1/quote",
            Some(token),
            None,
            Some(&body),
        ) else {
            continue;
        };
        body["expected_total"] = quote["total"].clone();
        body["payment_method"] = format!("pm_mp_{n}").into();
        let key = format!("mp-{n}-{webinar}-{tries}");
        let mut answer = None;
        for _ in 0..200 {
            match request(
                next_port(),
                "POST",
                "/api/v1/orders",
                Some(token),
                Some(&key),
                Some(&body),
            ) {
                Some((201, order)) => {
                    answer = Some(order);
                    break;
                }
                // Priced from a state another order changed: price it again.
                Some((409, error)) if error["error"]["code"] == "price_changed" => break,
                Some((422, error)) if error["error"]["code"] == "no_change" => break,
                Some((status, error)) if status < 500 && status != 409 => {
                    panic!("unexpected answer {status}: {error}")
                }
                // Cut (the killed process), busy or failed: the same key again, elsewhere.
                _ => std::thread::sleep(Duration::from_millis(50)),
            }
        }
        let Some(order) = answer else { continue };
        let id = order["id"].as_str().expect("an id").to_owned();
        if placed % 2 == 0 {
            // A replay on another process answers the same order.
            let replay = loop {
                if let Some((201, replay)) = request(
                    next_port(),
                    "POST",
                    "/api/v1/orders",
                    Some(token),
                    Some(&key),
                    Some(&body),
                ) {
                    break replay;
                }
                std::thread::sleep(Duration::from_millis(50));
            };
            assert_eq!(replay, order, "a replay answers the first answer (R23)");
        }
        seen.created.lock().expect("the map").insert((n, key), id);
        seen.count.fetch_add(1, Ordering::SeqCst);
        placed += 1;
    }
}

/// The orders of an account as stored, by number.
fn stored_orders(url: &str, n: usize) -> Vec<(String, Option<String>, Value)> {
    db(url, move |pool| {
        Box::pin(async move {
            use sqlx::Row;
            sqlx::query(
                "SELECT id, payment_reference, body FROM orders WHERE account_id = $1 ORDER BY seq",
            )
            .bind(format!("acc_mp_{n}"))
            .fetch_all(&pool)
            .await
            .expect("the orders")
            .iter()
            .map(|row| {
                let body: String = row.get("body");
                (
                    row.get("id"),
                    row.get("payment_reference"),
                    serde_json::from_str(&body).expect("JSON"),
                )
            })
            .collect()
        })
    })
}

/// Checks one account's orders form one chain, and its final state is the chain's end.
fn check_chain(url: &str, n: usize, orders: &[(String, Option<String>, Value)]) {
    let mut credit = cents(&json!(START_CREDIT));
    // By product: the seats and period end the last order left.
    let mut state: HashMap<&str, (u64, String)> = HashMap::from([
        ("Meeting", (5, "2026-12-01".to_owned())),
        ("Webinar", (1, "2026-12-05".to_owned())),
    ]);
    for (id, _, body) in orders {
        let total = cents(&body["total"]);
        let applied = cents(&body["credit_applied"]);
        // R19: what this order found is what the previous one left.
        let before = cents(&body["credit_after"]) + applied - (-total).max(0);
        assert_eq!(
            before, credit,
            "order {id} of acc_mp_{n} was priced from another credit"
        );
        credit = cents(&body["credit_after"]);
        for line in body["lines"].as_array().expect("lines") {
            let product = if line["description"]
                .as_str()
                .expect("text")
                .contains("Meeting")
            {
                "Meeting"
            } else {
                "Webinar"
            };
            let seats = line["seats"].as_u64().expect("seats");
            let end = line["period_end"].as_str().expect("end").to_owned();
            match line["kind"].as_str() {
                Some("proration_credit") => assert_eq!(
                    (seats, &end),
                    (state[product].0, &state[product].1),
                    "order {id} of acc_mp_{n} was priced from a {product} another order had changed"
                ),
                Some("charge") => {
                    state.insert(product, (seats, end));
                }
                other => panic!("unexpected line {other:?}"),
            }
        }
    }
    let account = db(url, move |pool| {
        Box::pin(async move {
            use sqlx::Row;
            let credit: String = sqlx::query_scalar("SELECT credit FROM accounts WHERE id = $1")
                .bind(format!("acc_mp_{n}"))
                .fetch_one(&pool)
                .await
                .expect("the account");
            let subs: Vec<(String, i64, String)> = sqlx::query(
                "SELECT product, seats, period_end FROM subscriptions WHERE account_id = $1",
            )
            .bind(format!("acc_mp_{n}"))
            .fetch_all(&pool)
            .await
            .expect("subscriptions")
            .iter()
            .map(|row| (row.get("product"), row.get("seats"), row.get("period_end")))
            .collect();
            (credit, subs)
        })
    });
    assert_eq!(
        cents(&json!(account.0)),
        credit,
        "acc_mp_{n}: credit = start + added - applied"
    );
    for (product, seats, end) in account.1 {
        let name = if product == "meeting" {
            "Meeting"
        } else {
            "Webinar"
        };
        assert_eq!(
            (u64::try_from(seats).expect("seats"), end),
            state[name].clone(),
            "acc_mp_{n}: the last {product} change is the one stored"
        );
    }
}

#[test]
fn three_processes_on_one_postgresql_database_keep_one_truth_through_a_kill() {
    let Some(cluster) = PgCluster::start() else {
        return;
    };
    let dir = tempfile::tempdir().expect("a temp dir");
    let ports: Vec<u16> = (0..3).map(|_| free_port()).collect();
    // All three start at once on the empty database: one migrates and seeds, the others wait
    // for the migration lock and find the work done.
    let mut children: Vec<_> = ports
        .iter()
        .enumerate()
        .map(|(i, &port)| {
            let log = dir.path().join(format!("server-{i}.log"));
            server_command(port, &cluster.url, &log)
                .spawn()
                .expect("a server starts")
        })
        .collect();
    let mut servers: Vec<ServerProcess> = children
        .drain(..)
        .zip(&ports)
        .map(|(child, &port)| {
            let server = ServerProcess { child, port };
            crate::process::wait_ready(&server);
            server
        })
        .collect();
    add_accounts(&cluster.url);
    let tokens: Vec<String> = (0..ACCOUNTS)
        .map(|n| sign_in(ports[1], (&format!("mp{n}@example.com"), GIULIA.1)))
        .collect();
    let seen = Arc::new(Seen::default());
    let started = Instant::now();
    let clients: Vec<_> = (0..ACCOUNTS)
        .flat_map(|n| [(n, false), (n, true)])
        .map(|(n, webinar)| {
            let (ports, token, seen) = (ports.clone(), tokens[n].clone(), Arc::clone(&seen));
            std::thread::spawn(move || client(&ports, &token, n, webinar, &seen))
        })
        .collect();
    // Mid-load: SIGKILL the first process, then start it again on its port.
    while seen.count.load(Ordering::SeqCst) < ACCOUNTS * ORDERS_PER_CLIENT / 2 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the load stalled"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    servers[0].kill();
    std::thread::sleep(Duration::from_millis(300));
    servers[0] = ServerProcess::start(
        server_command(
            ports[0],
            &cluster.url,
            &dir.path().join("server-0-again.log"),
        ),
        ports[0],
    );
    for client in clients {
        client.join().expect("a client ends");
    }
    // Let the reconcilers finish what the killed process left (they run every half second).
    std::thread::sleep(Duration::from_millis(2500));

    // Every 201 is stored once, and is the answer stored for its key.
    let created = seen.created.lock().expect("the map").clone();
    assert_eq!(created.len(), ACCOUNTS * 2 * ORDERS_PER_CLIENT);
    let mut all_orders = Vec::new();
    for n in 0..ACCOUNTS {
        let orders = stored_orders(&cluster.url, n);
        for ((account, _), id) in &created {
            if *account == n {
                assert_eq!(
                    orders.iter().filter(|(stored, _, _)| stored == id).count(),
                    1,
                    "order {id} is stored once"
                );
            }
        }
        check_chain(&cluster.url, n, &orders);
        all_orders.extend(orders);
    }
    // Every charge of the ledger ends as exactly one order or one refund.
    let ledger = db(&cluster.url, |pool| {
        Box::pin(async move {
            use sqlx::Row;
            sqlx::query("SELECT reference, refunded FROM test_payments WHERE kind = 'charge'")
                .fetch_all(&pool)
                .await
                .expect("the ledger")
                .iter()
                .map(|row| {
                    (
                        row.get::<String, _>("reference"),
                        row.get::<i64, _>("refunded") != 0,
                    )
                })
                .collect::<Vec<(String, bool)>>()
        })
    });
    assert!(!ledger.is_empty());
    for (reference, refunded) in &ledger {
        let orders = all_orders
            .iter()
            .filter(|(_, paid_with, _)| paid_with.as_deref() == Some(reference.as_str()))
            .count();
        assert!(
            (orders, *refunded) == (1, false) || (orders, *refunded) == (0, true),
            "charge {reference}: {orders} orders, refunded {refunded}"
        );
    }
    for (id, paid_with, body) in &all_orders {
        assert_eq!(
            paid_with.is_some(),
            body["status"] == "paid",
            "order {id}: paid orders and charges match"
        );
    }
    // No attempt is left open.
    let open: i64 = db(&cluster.url, |pool| {
        Box::pin(async move {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM payment_attempts WHERE open_account IS NOT NULL",
            )
            .fetch_one(&pool)
            .await
            .expect("a count")
        })
    });
    assert_eq!(open, 0);
    drop(servers);
}
