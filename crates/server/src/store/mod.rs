//! The store: SQLite (a file, WAL) by default, PostgreSQL when the URL says so, with one set of
//! portable queries through sqlx's `Any` driver. Queries live here, apart from the handlers.

mod account_admin;
mod accounts;
mod attempts;
mod card_setups;
mod lockfile;
mod locks;
mod orders;
mod outbox;
mod payment_methods;
mod receipts;
mod renewals;
mod rows;
mod schema;
mod signin;
mod writer;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};

pub use account_admin::{AccountUserRow, AccountUsers, AddressRow, BillingInfoRow, Handover};
pub use accounts::{AccountRecord, NewAccount, NewUser, PaymentMethod, User};
pub(crate) use attempts::NewAttempt;
pub use attempts::{Attempt, AttemptState, LedgerEntry, Recorded};
pub use card_setups::{SavedSetup, TestSetup, TestSetupState};
pub use locks::{AccountGuard, STRIPES};
pub(crate) use orders::PreparedOrder;
pub use orders::{NewOrder, Placed, StoredAnswer, read_order};
pub use outbox::{MailFailure, MailPage, OutboxMessage, epoch_millis};
pub use payment_methods::{Removal, StoredCard};
pub use renewals::{Claim, Mail, RenewalClaim, RenewalRow, Settled, Settlement};
pub use signin::Admission;
pub use writer::MAX_BATCH;

use lockfile::DatabaseLock;
use locks::AccountLocks;
use writer::Writer;

/// A failure of the database; the API answers it `500` without details.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database refused or failed a query.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// A stored value could not be read back (a bug or a hand-edited database).
    #[error("corrupt stored data: {0}")]
    Corrupt(String),
    /// The data directory could not be created.
    #[error("cannot create the data directory: {0}")]
    Io(#[from] std::io::Error),
    /// The transaction of a batch of writes failed as a whole (in `BEGIN`, `COMMIT` or
    /// `ROLLBACK`); nothing of the batch is stored.
    #[error("the batch of writes failed: {0}")]
    Batch(String),
    /// The writer task is gone (the store is shutting down).
    #[error("the store's writer: {0}")]
    Writer(&'static str),
    /// Inside the writer: the idempotency key of an order is taken. It never leaves the store,
    /// which answers [`Placed::KeyTaken`] instead.
    #[error("the idempotency key is taken")]
    KeyTaken,
    /// Inside the writer: the account's version moved since it was read, or a payment attempt
    /// of another order holds it (S20). It never leaves the store, which answers
    /// [`Placed::Stale`] instead.
    #[error("the account changed since it was read")]
    Stale,
    /// Inside the writer: the payment attempt of an order was closed meanwhile (the reconciler
    /// finished it, S21). It never leaves the store, which answers [`Placed::AttemptClosed`].
    #[error("the payment attempt was closed meanwhile")]
    AttemptClosed,
    /// The SQLite database is used by another server process (`lockfile.rs`).
    #[error(
        "the SQLite database is in use by another checkout-server process (lock file {}); SQLite serves one process: stop the other one, or use PostgreSQL (--database-url postgres://...) to run several",
        .0.display()
    )]
    InUse(std::path::PathBuf),
}

/// Which database the store talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// A SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// The handle to the database; cheap to clone. Writes of orders and renewals go through one
/// writer task per store (a few on PostgreSQL), which commits them in batches (`writer.rs`);
/// reads go to the pool.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    writer: Writer,
    locks: Arc<AccountLocks>,
    /// SQLite only: the lock that keeps other processes off the database (`lockfile.rs`).
    _database_lock: Option<Arc<DatabaseLock>>,
}

/// Turns `--database-url` into a sqlx URL: `postgres://` as is; anything else is a SQLite file,
/// given as a path or a `sqlite:` URL, created with its directory when missing. Answers the URL
/// and the file's path.
fn sqlite_url(url: &str) -> Result<(String, std::path::PathBuf), StoreError> {
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    let path = path.split('?').next().unwrap_or(path);
    if let Some(dir) = Path::new(path)
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir)?;
    }
    Ok((
        format!("sqlite://{path}?mode=rwc"),
        Path::new(path).to_path_buf(),
    ))
}

impl Store {
    /// Connects to the database at `url` and applies the migrations.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        install_default_drivers();
        let (backend, url, database_lock) =
            if url.starts_with("postgres://") || url.starts_with("postgresql://") {
                (Backend::Postgres, url.to_owned(), None)
            } else {
                let (url, path) = sqlite_url(url)?;
                // Item 2 of issue 11: one process per SQLite database, refused before it is
                // opened.
                (Backend::Sqlite, url, Some(lockfile::lock_database(&path)?))
            };
        // One connection of the pool stays with each writer task; the others serve reads.
        let writers = if backend == Backend::Sqlite { 1 } else { 4 };
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 5 } else { 12 })
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA busy_timeout = 5000").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        // FULL: a commit waits for the fsync of the WAL, so an order answered
                        // 201 survives a power failure, not only a crash of the process. Group
                        // commit (writer.rs) pays that fsync once per batch of orders.
                        conn.execute("PRAGMA synchronous = FULL").await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await?;
        schema::migrate(&pool, backend).await?;
        Ok(Store {
            writer: Writer::start(pool.clone(), writers),
            pool,
            backend,
            locks: Arc::new(AccountLocks::new()),
            _database_lock: database_lock,
        })
    }

    /// Waits for the lock of an account in this process (see `locks.rs`). Hold it from reading
    /// the account to writing it; the write methods that take it keep it until their commit.
    pub async fn lock_account(&self, account_id: &str) -> AccountGuard {
        self.locks.lock(account_id).await
    }

    /// How many transactions the store's writer has committed so far (each holds one or more
    /// orders or renewals: group commit).
    pub fn write_commits(&self) -> u64 {
        self.writer.commits()
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Whether the store holds no account yet (the demo seeds only then).
    pub async fn is_empty(&self) -> Result<bool, StoreError> {
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts")
            .fetch_one(&self.pool)
            .await?;
        Ok(count == 0)
    }

    /// Closes the connections.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Reads a column, turning a decoding failure into [`StoreError`].
pub(crate) fn col<'r, T>(row: &'r sqlx::any::AnyRow, name: &str) -> Result<T, StoreError>
where
    T: sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    use sqlx::Row;
    row.try_get(name).map_err(StoreError::from)
}

/// Whether a database error is a unique-constraint violation.
pub(crate) fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(db) if db.is_unique_violation())
}
