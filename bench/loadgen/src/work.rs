//! The load itself: workers, each owning some load accounts, sending quotes or orders over one
//! keep-alive connection each, until a deadline, a request budget or the server's death.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use billing::{Account, Catalog, Order, OrderRequest, SubscriptionStatus};
use chrono::NaiveDate;
use serde_json::{Value, json};

use crate::http::Client;
use crate::setup::{Error, TODAY};
use crate::stats::Samples;

/// What the workers send.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// `POST /api/v1/quote` only: nothing changes.
    Quotes,
    /// `POST /api/v1/orders`, with a share of idempotent replays.
    Orders,
}

/// An order that got `201`: what was sent and what came back.
#[derive(Clone, Debug)]
pub struct Acked {
    /// The load account's index.
    pub account: usize,
    /// The `Idempotency-Key`.
    pub key: String,
    /// The request body.
    pub request: String,
    /// The order the server answered.
    pub order: Value,
}

/// What one worker (or all of them, merged) saw.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Latencies of quotes answered `200`.
    pub quotes: Samples,
    /// Latencies of new orders answered `201`.
    pub orders: Samples,
    /// Latencies of idempotent replays answered `201` with the first answer.
    pub replays: Samples,
    /// Unexpected answers, by `status code`.
    pub errors: BTreeMap<String, u64>,
    /// Requests that got no answer (connection refused or cut: the server died).
    pub no_answer: u64,
    /// Every acknowledged new order.
    pub acked: Vec<Acked>,
}

impl Outcome {
    /// Adds another worker's outcome.
    pub fn merge(&mut self, other: Outcome) {
        self.quotes.extend(other.quotes);
        self.orders.extend(other.orders);
        self.replays.extend(other.replays);
        for (key, count) in other.errors {
            *self.errors.entry(key).or_default() += count;
        }
        self.no_answer += other.no_answer;
        self.acked.extend(other.acked);
    }

    fn error(&mut self, status: u16, body: &str) {
        let code = serde_json::from_str::<Value>(body)
            .ok()
            .and_then(|v| v["error"]["code"].as_str().map(str::to_owned))
            .unwrap_or_default();
        let entry = self.errors.entry(format!("{status} {code}")).or_default();
        if *entry == 0 {
            eprintln!("loadgen: unexpected answer {status}: {body}");
        }
        *entry += 1;
    }
}

/// One load account as a worker sees it.
#[derive(Debug)]
pub struct Slot {
    /// Its index.
    pub index: usize,
    /// Its session token.
    pub token: String,
    /// Its state as the worker believes it (the server's after every acknowledged order).
    pub account: Account,
    /// The last acknowledged order: key, request body and the order's id.
    last: Option<(String, String, String)>,
}

impl Slot {
    /// A slot for a signed-in account.
    pub fn new(index: usize, token: String, account: Account) -> Slot {
        Slot {
            index,
            token,
            account,
            last: None,
        }
    }
}

/// When a worker stops.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// No request starts after this.
    pub deadline: Instant,
    /// At most this many requests per worker.
    pub max_requests: u64,
    /// Part of every idempotency key, unique per run of the workers.
    pub tag: usize,
}

/// A small xorshift generator: replays are chosen at random, reproducibly per worker.
#[derive(Debug)]
struct Rng(u64);

impl Rng {
    fn chance(&mut self, share: f64) -> bool {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64 <= share
    }
}

/// The next item for an account: one more seat, or cancel at the seat limit, then resume.
fn next_item(account: &Account) -> Result<Value, Error> {
    let sub = account
        .subscriptions()
        .first()
        .ok_or("load account without subscription")?;
    let max = Catalog::bundled()
        .product(&sub.product)
        .and_then(|p| p.tier(&sub.tier))
        .map_or(1, billing::Tier::max_seats);
    Ok(match sub.status {
        SubscriptionStatus::PendingCancellation => json!({"op": "resume", "subscription": sub.id}),
        _ if sub.seats.get() >= max => json!({"op": "cancel", "subscription": sub.id}),
        _ => json!({"op": "change", "subscription": sub.id, "seats": sub.seats.get() + 1}),
    })
}

/// The next order of an account, priced locally by the engine like the browser would: the body
/// to send (with `expected_total` and, when something is due, `payment_method`) and the account
/// after it.
pub fn next_order(account: &Account) -> Result<(String, Account), Error> {
    let items = json!({ "items": [next_item(account)?] });
    let order = Order::parse(&OrderRequest::from_json(&items.to_string())?)?;
    let today: NaiveDate = TODAY.parse()?;
    let placement = billing::apply_order(Catalog::bundled(), account, &order, today, |p| {
        format!("sub_new_{p}")
    })?;
    let mut body = items;
    body["expected_total"] = placement.quote.total.to_string().into();
    if placement.quote.amount_due.is_positive() {
        body["payment_method"] = crate::setup::payment_method(account.id()).into();
    }
    Ok((body.to_string(), placement.account))
}

/// Runs one worker over its slots until its limits; `replay_share` of the orders re-send the
/// previous order of the account with the same key. Stops early when the server stops answering.
pub async fn run_worker(
    addr: SocketAddr,
    worker: usize,
    mut slots: Vec<Slot>,
    mode: Mode,
    replay_share: f64,
    limits: Limits,
) -> (Outcome, Vec<Slot>) {
    let mut client = Client::new(addr);
    let mut outcome = Outcome::default();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ ((worker as u64 + 1) * 0x2545_F491_4F6C_DD1D));
    let mut sent = 0u64;
    let mut turn = 0usize;
    while !slots.is_empty() && sent < limits.max_requests && Instant::now() < limits.deadline {
        let count = slots.len();
        let slot = &mut slots[turn % count];
        turn += 1;
        sent += 1;
        let auth = format!("Bearer {}", slot.token);
        if mode == Mode::Quotes {
            let body = match next_item(&slot.account) {
                Ok(item) => json!({ "items": [item] }).to_string(),
                Err(error) => {
                    eprintln!("loadgen: {error}");
                    break;
                }
            };
            let started = Instant::now();
            match client
                .send(
                    "POST",
                    "/api/v1/quote",
                    &[("Authorization", &auth)],
                    Some(&body),
                )
                .await
            {
                Ok(answer) if answer.status == 200 => outcome.quotes.push(started.elapsed()),
                Ok(answer) => outcome.error(answer.status, &answer.body),
                Err(_) => {
                    outcome.no_answer += 1;
                    break;
                }
            }
            continue;
        }
        let replay = match &slot.last {
            Some(last) if rng.chance(replay_share) => Some(last.clone()),
            _ => None,
        };
        let (key, body, after) = match replay {
            Some((key, body, _)) => (key, body, None),
            None => match next_order(&slot.account) {
                Ok((body, after)) => (
                    format!("load-{}-{worker}-{sent}", limits.tag),
                    body,
                    Some(after),
                ),
                Err(error) => {
                    eprintln!("loadgen: cannot build an order: {error}");
                    break;
                }
            },
        };
        let started = Instant::now();
        let answer = client
            .send(
                "POST",
                "/api/v1/orders",
                &[("Authorization", &auth), ("Idempotency-Key", &key)],
                Some(&body),
            )
            .await;
        let latency = started.elapsed();
        let answer = match answer {
            Ok(answer) => answer,
            Err(_) => {
                outcome.no_answer += 1;
                break;
            }
        };
        if answer.status != 201 {
            outcome.error(answer.status, &answer.body);
            continue;
        }
        let order: Value = serde_json::from_str(&answer.body).unwrap_or(Value::Null);
        let id = order["id"].as_str().unwrap_or_default().to_owned();
        match after {
            None => {
                let first = slot.last.as_ref().map(|(_, _, id)| id.as_str());
                if first == Some(id.as_str()) {
                    outcome.replays.push(latency);
                } else {
                    outcome.error(201, "replay answered another order");
                }
            }
            Some(after) => {
                outcome.orders.push(latency);
                slot.account = after;
                slot.last = Some((key.clone(), body.clone(), id));
                outcome.acked.push(Acked {
                    account: slot.index,
                    key,
                    request: body,
                    order,
                });
            }
        }
    }
    (outcome, slots)
}

/// Runs `workers` workers over `slots` (dealt round-robin) and merges what they saw; answers the
/// slots back, updated, and the wall time.
/// Runs `workers` workers over the slots, worker `n` on the server at `addrs[n % addrs.len()]`
/// (several server processes on one database share the load that way).
pub async fn run(
    addrs: &[SocketAddr],
    workers: usize,
    slots: Vec<Slot>,
    mode: Mode,
    replay_share: f64,
    limits: Limits,
) -> (Outcome, Vec<Slot>, Duration) {
    let mut dealt: Vec<Vec<Slot>> = (0..workers).map(|_| Vec::new()).collect();
    for (n, slot) in slots.into_iter().enumerate() {
        dealt[n % workers].push(slot);
    }
    let started = Instant::now();
    let handles: Vec<_> = dealt
        .into_iter()
        .enumerate()
        .map(|(worker, slots)| {
            let addr = addrs[worker % addrs.len()];
            tokio::spawn(run_worker(addr, worker, slots, mode, replay_share, limits))
        })
        .collect();
    let mut outcome = Outcome::default();
    let mut back = Vec::new();
    for handle in handles {
        if let Ok((part, slots)) = handle.await {
            outcome.merge(part);
            back.extend(slots);
        }
    }
    back.sort_by_key(|slot| slot.index);
    (outcome, back, started.elapsed())
}
