//! The writer of a store: group commit.
//!
//! Every write of an account's state after an order or a renewal (and, on SQLite, the outbox's
//! marks of sent mail) goes through the store's writer task (one on SQLite, four on PostgreSQL, see [`Writer::start`]). Handlers validate, price and charge on their own (many at once), then queue a finished write
//! here and wait. The writer takes whatever is queued (up to [`MAX_BATCH`] writes), writes them in
//! **one** transaction and answers each handler after the `COMMIT`: with `synchronous = FULL` a
//! commit costs an fsync, and this spreads that cost over the batch instead of paying it per order.
//! Nothing waits on purpose to fill a batch: while one batch commits, the next one queues.
//!
//! The orders of a batch are written in bulk: six multi-row statements for all of them (accounts,
//! idempotency records, orders, lines, subscriptions, receipts; `orders::write_orders`), so a
//! batch costs about as many round trips to the database as one order.
//!
//! A failing write never takes the others of its batch with it. When a statement of the bulk
//! transaction fails, it is rolled back and the batch is written again one write after the other
//! in a new transaction; when one of those writes fails, the transaction is rolled back, that write
//! alone is answered with its failure (or [`Placed::KeyTaken`] when its idempotency key was taken),
//! and the rest is written again. Each retry removes one write, so a batch of n ends after at most
//! n + 1 transactions. A failed `COMMIT` answers every write of the batch with an error: nothing of
//! it is acknowledged, and a client's retry with the same key finds out what happened (R23).

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, AnyPool, Connection};
use tokio::sync::{Mutex, mpsc, oneshot};

use super::accounts::{AccountState, write_account_state};
use super::locks::AccountGuard;
use super::orders::{PreparedOrder, write_orders};
use super::outbox::{MailSent, write_mail_sent};
use super::{Placed, StoreError};

/// The most writes committed in one transaction: bounds the time of one batch, so the first
/// request of a big batch does not wait much longer than the last.
pub const MAX_BATCH: usize = 64;

/// How many writes may wait in the queue; further requests wait to enter it (backpressure).
const QUEUE: usize = 1024;

/// A write the writer task performs.
#[derive(Debug)]
pub(crate) enum Write {
    /// An order with everything that changes with it.
    Order(Box<PreparedOrder>),
    /// An account's state after renewals (R16), with the renewal charges.
    Account(Box<AccountState>),
    /// Outbox messages that were sent (SQLite: see `outbox.rs`).
    MailSent(Box<MailSent>),
}

/// What the writer answers: whether the write was stored, and the account's lock back.
pub(crate) type Reply = (Result<Placed, StoreError>, Option<AccountGuard>);

/// A queued write, the lock of its account (held until the write is committed or refused, even
/// if the request that queued it is cancelled meanwhile), and where to answer.
#[derive(Debug)]
pub(crate) struct Job {
    write: Write,
    hold: Option<AccountGuard>,
    reply: oneshot::Sender<Reply>,
}

/// The sending side of the queue; cheap to clone.
#[derive(Clone, Debug)]
pub(crate) struct Writer {
    queue: mpsc::Sender<Job>,
    commits: Arc<AtomicU64>,
}

impl Writer {
    /// Starts `writers` writer tasks of `pool` over one queue (each supervised: a panic restarts
    /// it; they end when the last [`Writer`] is dropped). SQLite takes one writer at a time, so it
    /// gets one; PostgreSQL commits several transactions at once and flushes their WAL together,
    /// so several writers there overlap their commits.
    pub(crate) fn start(pool: AnyPool, writers: usize) -> Writer {
        let (queue, receiver) = mpsc::channel(QUEUE);
        let receiver = Arc::new(Mutex::new(receiver));
        let commits = Arc::new(AtomicU64::new(0));
        for _ in 0..writers.max(1) {
            let pool = pool.clone();
            let receiver = Arc::clone(&receiver);
            let counter = Arc::clone(&commits);
            tokio::spawn(async move {
                loop {
                    let run = tokio::spawn(run(
                        pool.clone(),
                        Arc::clone(&receiver),
                        Arc::clone(&counter),
                    ));
                    match run.await {
                        Ok(()) => break,
                        Err(error) if error.is_panic() => {
                            tracing::error!("a writer task of the store panicked; restarting it");
                        }
                        Err(_) => break,
                    }
                }
            });
        }
        Writer { queue, commits }
    }

    /// How many transactions the writer has committed.
    pub(crate) fn commits(&self) -> u64 {
        self.commits.load(Ordering::Relaxed)
    }

    /// Queues a write and waits until it is committed (or refused); answers the result and the
    /// account's lock back.
    pub(crate) async fn submit(&self, write: Write, hold: Option<AccountGuard>) -> Reply {
        let (reply, answer) = oneshot::channel();
        let job = Job { write, hold, reply };
        if let Err(mpsc::error::SendError(job)) = self.queue.send(job).await {
            return (Err(StoreError::Writer("the writer has stopped")), job.hold);
        }
        answer
            .await
            .unwrap_or((Err(StoreError::Writer("the writer dropped a write")), None))
    }
}

/// Counts what the writer did, for a log line at most every second while it writes (the mean
/// batch size shows how much group commit saves; `bench/loadgen` reads these lines).
#[derive(Debug)]
struct Tally {
    since: Instant,
    writes: u64,
    commits: u64,
}

impl Tally {
    fn add(&mut self, writes: usize) {
        self.writes += writes as u64;
        self.commits += 1;
        if self.since.elapsed() >= Duration::from_secs(1) {
            tracing::info!(
                writes = self.writes,
                commits = self.commits,
                mean_batch = self.writes as f64 / self.commits.max(1) as f64,
                "store writer"
            );
            *self = Tally::new();
        }
    }

    fn new() -> Tally {
        Tally {
            since: Instant::now(),
            writes: 0,
            commits: 0,
        }
    }
}

/// The writer's loop: waits for a write, takes whatever else is queued, commits them together.
async fn run(pool: AnyPool, receiver: Arc<Mutex<mpsc::Receiver<Job>>>, commits: Arc<AtomicU64>) {
    // One connection kept for writing, so the writer never waits behind readers for the pool. It
    // is given back when the pool closes, which waits for every connection to come back.
    let mut conn: Option<PoolConnection<Any>> = None;
    let mut closed = std::pin::pin!(pool.close_event());
    let mut tally = Tally::new();
    let mut batch = Vec::with_capacity(MAX_BATCH);
    loop {
        // With several writers, the one holding the queue takes the next batch and lets go of
        // the queue while it writes, so the next writer takes the batch after.
        let mut queue = tokio::select! {
            queue = receiver.lock() => queue,
            () = &mut closed, if conn.is_some() => {
                conn = None;
                continue;
            }
        };
        let received = tokio::select! {
            received = queue.recv_many(&mut batch, MAX_BATCH) => received,
            () = &mut closed, if conn.is_some() => {
                conn = None;
                continue;
            }
        };
        drop(queue);
        if received == 0 {
            break;
        }
        let writes = batch.len();
        let connection = match conn.take() {
            Some(connection) => Ok(connection),
            None => pool.acquire().await,
        };
        match connection {
            Ok(mut connection) => {
                if write_batch(&mut connection, std::mem::take(&mut batch), &commits).await {
                    conn = Some(connection);
                } else {
                    // The connection failed in BEGIN, COMMIT or ROLLBACK: do not reuse it.
                    connection.close_on_drop();
                }
            }
            Err(error) => {
                tracing::error!(%error, "the writer has no connection");
                for job in batch.drain(..) {
                    let _ = job
                        .reply
                        .send((Err(StoreError::Writer("no database connection")), job.hold));
                }
            }
        }
        tally.add(writes);
    }
}

/// How a transaction of writes ended.
enum Outcome {
    /// Committed.
    Committed,
    /// The write at this index failed and everything was rolled back.
    Failed(usize, StoreError),
    /// `BEGIN`, `COMMIT` or `ROLLBACK` failed: nothing is stored, the connection is suspect.
    Broken(String),
}

/// Writes `jobs` in one transaction: in bulk (a few statements for all the orders) when `bulk`,
/// else one write after the other.
async fn write_all(conn: &mut AnyConnection, jobs: &[Job], bulk: bool) -> Outcome {
    let mut tx = match conn.begin().await {
        Ok(tx) => tx,
        Err(error) => return Outcome::Broken(error.to_string()),
    };
    let mut failed = None;
    if bulk {
        let orders: Vec<&PreparedOrder> = jobs
            .iter()
            .filter_map(|job| match &job.write {
                Write::Order(order) => Some(order.as_ref()),
                Write::Account(_) | Write::MailSent(_) => None,
            })
            .collect();
        if let Err(error) = write_orders(&mut tx, &orders).await {
            failed = Some((0, error));
        }
    }
    for (index, job) in jobs.iter().enumerate() {
        if failed.is_some() {
            break;
        }
        let written = match &job.write {
            Write::Order(_) if bulk => Ok(()),
            Write::Order(order) => write_orders(&mut tx, &[order.as_ref()]).await,
            Write::Account(state) => write_account_state(&mut tx, state).await,
            Write::MailSent(sent) => write_mail_sent(&mut tx, sent).await,
        };
        if let Err(error) = written {
            failed = Some((index, error));
        }
    }
    match failed {
        Some((index, error)) => match tx.rollback().await {
            Ok(()) => Outcome::Failed(index, error),
            Err(rollback) => Outcome::Broken(rollback.to_string()),
        },
        None => match tx.commit().await {
            Ok(()) => Outcome::Committed,
            Err(error) => Outcome::Broken(error.to_string()),
        },
    }
}

/// Whether the writes of a batch can go in bulk: more than one order, and no account twice (the
/// bulk update of the accounts draws one order number per account).
fn bulk_fits(jobs: &[Job]) -> bool {
    let mut accounts = HashSet::with_capacity(jobs.len());
    let mut orders = 0;
    for job in jobs {
        let account = match &job.write {
            Write::Order(order) => {
                orders += 1;
                order.account_id()
            }
            Write::Account(state) => state.account_id.as_str(),
            // Marking mail sent touches no account.
            Write::MailSent(_) => continue,
        };
        if !accounts.insert(account) {
            return false;
        }
    }
    orders > 1
}

/// Writes one batch and answers every job: first in bulk when it fits; if a statement of the bulk
/// transaction fails (it cannot tell whose write failed), or when it does not fit, one write after
/// the other, retrying without a failed write as described in the module's documentation.
/// Returns whether the connection is still fit for use.
async fn write_batch(conn: &mut AnyConnection, mut pending: Vec<Job>, commits: &AtomicU64) -> bool {
    let mut bulk = bulk_fits(&pending);
    while !pending.is_empty() {
        match write_all(conn, &pending, bulk).await {
            Outcome::Committed => {
                commits.fetch_add(1, Ordering::Relaxed);
                for job in pending {
                    // A request that was cancelled meanwhile has no one to answer; its write is
                    // stored all the same, and a retry with its key gets the stored answer (R23).
                    let _ = job.reply.send((Ok(Placed::Stored), job.hold));
                }
                return true;
            }
            Outcome::Failed(_, error) if bulk => {
                tracing::debug!(%error, "a bulk write failed; writing one by one");
                bulk = false;
            }
            Outcome::Failed(index, error) => {
                let job = pending.remove(index);
                let result = match error {
                    StoreError::KeyTaken => Ok(Placed::KeyTaken),
                    StoreError::Stale => Ok(Placed::Stale),
                    StoreError::AttemptClosed => Ok(Placed::AttemptClosed),
                    error => Err(error),
                };
                let _ = job.reply.send((result, job.hold));
            }
            Outcome::Broken(error) => {
                fail_all(pending, &error);
                return false;
            }
        }
    }
    true
}

/// Answers every job with the failure of the batch's transaction.
fn fail_all(jobs: Vec<Job>, error: &str) {
    tracing::error!(%error, writes = jobs.len(), "a batch of writes failed; none was stored");
    for job in jobs {
        let _ = job
            .reply
            .send((Err(StoreError::Batch(error.to_owned())), job.hold));
    }
}
