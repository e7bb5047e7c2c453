//! The single writer of a store: group commit.
//!
//! Every write of an account's state after an order or a renewal goes through one task per store.
//! Handlers validate, price and charge on their own (many at once), then queue a finished write
//! here and wait. The writer takes whatever is queued (up to [`MAX_BATCH`] writes), writes them in
//! **one** transaction and answers each handler after the `COMMIT`: with `synchronous = FULL` a
//! commit costs an fsync, and this spreads that cost over the batch instead of paying it per order.
//! Nothing waits on purpose to fill a batch: while one batch commits, the next one queues.
//!
//! A failing write never takes the others of its batch with it: on the first statement that fails,
//! the whole transaction is rolled back, that write alone is answered with its failure (or
//! [`Placed::KeyTaken`] when its idempotency key was taken), and the rest of the batch is written
//! again in a new transaction. Each retry removes one write, so a batch of n ends after at most n
//! transactions. A failed `COMMIT` answers every write of the batch with an error: nothing of it is
//! acknowledged, and a client's retry with the same key finds out what happened (R23).

use std::sync::Arc;
use std::time::{Duration, Instant};

use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, AnyPool, Connection};
use tokio::sync::{Mutex, mpsc, oneshot};

use super::accounts::{AccountState, write_account_state};
use super::locks::AccountGuard;
use super::orders::{PreparedOrder, write_order};
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
}

impl Writer {
    /// Starts the writer task of `pool` (supervised: a panic restarts it; it ends when the last
    /// [`Writer`] is dropped).
    pub(crate) fn start(pool: AnyPool) -> Writer {
        let (queue, receiver) = mpsc::channel(QUEUE);
        let receiver = Arc::new(Mutex::new(receiver));
        tokio::spawn(async move {
            loop {
                let run = tokio::spawn(run(pool.clone(), Arc::clone(&receiver)));
                match run.await {
                    Ok(()) => break,
                    Err(error) if error.is_panic() => {
                        tracing::error!("the store's writer task panicked; restarting it");
                    }
                    Err(_) => break,
                }
            }
        });
        Writer { queue }
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
async fn run(pool: AnyPool, receiver: Arc<Mutex<mpsc::Receiver<Job>>>) {
    let mut receiver = receiver.lock().await;
    // One connection kept for writing, so the writer never waits behind readers for the pool.
    let mut conn: Option<PoolConnection<Any>> = None;
    let mut tally = Tally::new();
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while receiver.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let writes = batch.len();
        let connection = match conn.take() {
            Some(connection) => Ok(connection),
            None => pool.acquire().await,
        };
        match connection {
            Ok(mut connection) => {
                if write_batch(&mut connection, std::mem::take(&mut batch)).await {
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

/// Writes one batch, retrying without a failed write as described in the module's documentation;
/// answers every job. Returns whether the connection is still fit for use.
async fn write_batch(conn: &mut AnyConnection, mut pending: Vec<Job>) -> bool {
    while !pending.is_empty() {
        let mut tx = match conn.begin().await {
            Ok(tx) => tx,
            Err(error) => {
                fail_all(pending, &error.to_string());
                return false;
            }
        };
        let mut failed = None;
        for (index, job) in pending.iter().enumerate() {
            let written = match &job.write {
                Write::Order(order) => write_order(&mut tx, order).await,
                Write::Account(state) => write_account_state(&mut tx, state).await,
            };
            if let Err(error) = written {
                failed = Some((index, error));
                break;
            }
        }
        match failed {
            Some((index, error)) => {
                let rolled_back = tx.rollback().await;
                let job = pending.remove(index);
                let result = match error {
                    StoreError::KeyTaken => Ok(Placed::KeyTaken),
                    error => Err(error),
                };
                let _ = job.reply.send((result, job.hold));
                if let Err(error) = rolled_back {
                    fail_all(pending, &error.to_string());
                    return false;
                }
            }
            None => {
                if let Err(error) = tx.commit().await {
                    fail_all(pending, &error.to_string());
                    return false;
                }
                for job in pending {
                    // A request that was cancelled meanwhile has no one to answer; its write is
                    // stored all the same, and a retry with its key gets the stored answer (R23).
                    let _ = job.reply.send((Ok(Placed::Stored), job.hold));
                }
                return true;
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
