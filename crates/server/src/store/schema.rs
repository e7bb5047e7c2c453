//! The schema and its migrations, applied at start. The SQL is portable between SQLite and
//! PostgreSQL: text, 64-bit integers, primary keys, unique constraints and (partial) indexes.
//! Money and dates are stored as their exact text forms (`"93.94"`, `"2026-11-16"`).

use sqlx::AnyPool;

use super::{Backend, StoreError};

/// The migrations, in order; each is applied once, in one transaction.
const MIGRATIONS: &[&[&str]] = &[
    &[
        "CREATE TABLE accounts (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        country TEXT NOT NULL,
        currency TEXT NOT NULL,
        vat_id TEXT,
        credit TEXT NOT NULL)",
        "CREATE TABLE users (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts (id),
        name TEXT NOT NULL,
        email TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        is_billing_contact BIGINT NOT NULL)",
        "CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users (id),
        expires_at BIGINT NOT NULL)",
        "CREATE TABLE payment_methods (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts (id),
        brand TEXT NOT NULL,
        last4 TEXT NOT NULL,
        exp TEXT NOT NULL,
        position BIGINT NOT NULL)",
        "CREATE TABLE subscriptions (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts (id),
        product TEXT NOT NULL,
        tier TEXT NOT NULL,
        seats BIGINT NOT NULL,
        frequency TEXT NOT NULL,
        status TEXT NOT NULL,
        period_start TEXT NOT NULL,
        period_end TEXT NOT NULL,
        position BIGINT NOT NULL,
        UNIQUE (account_id, product))",
        "CREATE TABLE orders (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts (id),
        seq BIGINT NOT NULL,
        placed_at TEXT NOT NULL,
        status TEXT NOT NULL,
        currency TEXT NOT NULL,
        total TEXT NOT NULL,
        amount_due TEXT NOT NULL,
        payment_reference TEXT,
        body TEXT NOT NULL,
        UNIQUE (account_id, seq))",
        "CREATE TABLE order_lines (
        order_id TEXT NOT NULL REFERENCES orders (id),
        line_no BIGINT NOT NULL,
        item BIGINT NOT NULL,
        kind TEXT NOT NULL,
        description TEXT NOT NULL,
        period_start TEXT NOT NULL,
        period_end TEXT NOT NULL,
        seats BIGINT NOT NULL,
        unit_price TEXT NOT NULL,
        amount TEXT NOT NULL,
        PRIMARY KEY (order_id, line_no))",
        "CREATE TABLE idempotency_keys (
        account_id TEXT NOT NULL REFERENCES accounts (id),
        idem_key TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        status BIGINT NOT NULL,
        response TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (account_id, idem_key))",
        "CREATE TABLE renewal_charges (
        subscription_id TEXT NOT NULL,
        period_start TEXT NOT NULL,
        account_id TEXT NOT NULL REFERENCES accounts (id),
        body TEXT NOT NULL,
        PRIMARY KEY (subscription_id, period_start))",
        "CREATE TABLE outbox (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        recipient TEXT NOT NULL,
        subject TEXT NOT NULL,
        body TEXT NOT NULL,
        sent_at TEXT)",
    ],
    &[
        // The number of the account's last order, so that an order draws its number from the row
        // it updates anyway instead of a `MAX(seq)` query (existing orders are counted in).
        "ALTER TABLE accounts ADD COLUMN last_seq BIGINT NOT NULL DEFAULT 0",
        "UPDATE accounts SET last_seq =
        COALESCE((SELECT MAX(seq) FROM orders WHERE orders.account_id = accounts.id), 0)",
    ],
    &[
        // The outbox's retries (S35): how often a message failed, when it may be tried again
        // (milliseconds since the Unix epoch; 0 is at once), the last failure, and when it was
        // given up (dead letter).
        "ALTER TABLE outbox ADD COLUMN attempts BIGINT NOT NULL DEFAULT 0",
        "ALTER TABLE outbox ADD COLUMN next_attempt_at BIGINT NOT NULL DEFAULT 0",
        "ALTER TABLE outbox ADD COLUMN last_error TEXT",
        "ALTER TABLE outbox ADD COLUMN dead_at TEXT",
    ],
    &[
        // Deleting a user deletes the user's sessions (R30): the foreign key cascades. SQLite
        // cannot change a foreign key in place, so the table is made again and its rows copied.
        "CREATE TABLE sessions_next (
        token_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        expires_at BIGINT NOT NULL)",
        "INSERT INTO sessions_next (token_hash, user_id, expires_at)
        SELECT token_hash, user_id, expires_at FROM sessions",
        "DROP TABLE sessions",
        "ALTER TABLE sessions_next RENAME TO sessions",
        // A password change and a user's deletion find the user's sessions by this index.
        "CREATE INDEX sessions_by_user ON sessions (user_id)",
    ],
    &[
        // The counters of the sign-in limits (S30), keyed by the SHA-256 of what they count (a
        // pair of e-mail and client address, an e-mail, an address); times in Unix seconds.
        "CREATE TABLE signin_limits (
        key_hash TEXT PRIMARY KEY,
        window_start BIGINT NOT NULL,
        attempts BIGINT NOT NULL,
        last_at BIGINT NOT NULL,
        trusted_until BIGINT NOT NULL)",
    ],
    &[
        // The account's version: every write of its priced state (an order, a renewal) checks it
        // and adds one, so a write priced from a state another process has since changed is
        // refused instead of overwriting that change (issue 11, S20).
        "ALTER TABLE accounts ADD COLUMN version BIGINT NOT NULL DEFAULT 0",
        // Payment attempts (S21): stored before the provider is called. `open_account` holds the
        // account id while the attempt is open: its unique constraint lets one attempt at a time
        // hold an account, and the account's writes wait while one does.
        "CREATE TABLE payment_attempts (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts (id),
        idem_key TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        generation BIGINT NOT NULL,
        provider_key TEXT NOT NULL UNIQUE,
        open_account TEXT UNIQUE,
        account_version BIGINT NOT NULL,
        state TEXT NOT NULL,
        amount TEXT NOT NULL,
        currency TEXT NOT NULL,
        payment_method TEXT NOT NULL,
        payment_reference TEXT,
        order_id TEXT,
        prepared TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at BIGINT NOT NULL,
        UNIQUE (account_id, idem_key, generation))",
        // The ledger of the test payment provider (`payments.rs`), so that tests and several
        // server processes read one ledger; it stays empty with a real provider.
        "CREATE TABLE test_payments (
        id TEXT PRIMARY KEY,
        provider_key TEXT NOT NULL,
        kind TEXT NOT NULL,
        reference TEXT UNIQUE,
        account_id TEXT NOT NULL,
        amount TEXT NOT NULL,
        currency TEXT NOT NULL,
        refunded BIGINT NOT NULL,
        created_at TEXT NOT NULL)",
    ],
    &[
        // The account's postal address of its billing information (R27, S46): all NULL until the
        // billing contact first saves one; line 2 and region stay NULL when not given. The
        // company name is the account's `name` and the VAT id its `vat_id`.
        "ALTER TABLE accounts ADD COLUMN address_line1 TEXT",
        "ALTER TABLE accounts ADD COLUMN address_line2 TEXT",
        "ALTER TABLE accounts ADD COLUMN address_city TEXT",
        "ALTER TABLE accounts ADD COLUMN address_postal_code TEXT",
        "ALTER TABLE accounts ADD COLUMN address_region TEXT",
    ],
    &[
        // The account's default card (R25), which pays renewals (R31): one flag per card, set on
        // exactly one card of an account that has any. The first card by position was the one
        // the checkout offered first, so it becomes the default of existing accounts.
        "ALTER TABLE payment_methods ADD COLUMN is_default BIGINT NOT NULL DEFAULT 0",
        "UPDATE payment_methods SET is_default = 1 WHERE id = (SELECT m.id FROM payment_methods m
            WHERE m.account_id = payment_methods.account_id ORDER BY m.position, m.id LIMIT 1)",
    ],
    &[
        // Renewals charged on their date (R31) and listed in the history (R28, S70-S79): where
        // each renewal charge stands (`due` until the renewal worker settles it, then `paid`,
        // `no_payment_needed`, `payment_failed` or `expired_unpaid`), how many payment attempts
        // it had (the generation of the next one, S21) and how many of them failed, the day it is
        // tried next (NULL: its due date, the period start), the charge and the card that paid
        // it, when it was settled, and the billing information it was settled with (R27).
        "ALTER TABLE renewal_charges ADD COLUMN status TEXT NOT NULL DEFAULT 'due'",
        "ALTER TABLE renewal_charges ADD COLUMN attempts BIGINT NOT NULL DEFAULT 0",
        "ALTER TABLE renewal_charges ADD COLUMN failures BIGINT NOT NULL DEFAULT 0",
        "ALTER TABLE renewal_charges ADD COLUMN next_try_on TEXT",
        "ALTER TABLE renewal_charges ADD COLUMN payment_reference TEXT",
        "ALTER TABLE renewal_charges ADD COLUMN card_brand TEXT",
        "ALTER TABLE renewal_charges ADD COLUMN card_last4 TEXT",
        "ALTER TABLE renewal_charges ADD COLUMN settled_at TEXT",
        "ALTER TABLE renewal_charges ADD COLUMN billing_info TEXT",
        // The worker's round looks for unsettled renewals by status.
        "CREATE INDEX renewal_charges_by_status ON renewal_charges (status, account_id)",
    ],
    &[
        // The billing information each order was placed with (R27, S77), copied from the account
        // in the order's transaction so that editing it later leaves old receipts as they were.
        // Orders stored before this migration have none (NULL): it was never recorded.
        "ALTER TABLE orders ADD COLUMN billing_company TEXT",
        "ALTER TABLE orders ADD COLUMN billing_country TEXT",
        "ALTER TABLE orders ADD COLUMN billing_vat_id TEXT",
        "ALTER TABLE orders ADD COLUMN billing_line1 TEXT",
        "ALTER TABLE orders ADD COLUMN billing_line2 TEXT",
        "ALTER TABLE orders ADD COLUMN billing_city TEXT",
        "ALTER TABLE orders ADD COLUMN billing_postal_code TEXT",
        "ALTER TABLE orders ADD COLUMN billing_region TEXT",
    ],
    &[
        // Issue 16 item 5: three queries that run once per order, or once per page of receipts,
        // scanned their whole table, so an order cost more the more orders were stored. The
        // outbox worker's page of due receipts (`outbox.rs`) reads this partial index in order,
        // which holds only the unsent rows; the test provider finds a charge by its key
        // (`attempts.rs`); the reconciler reads only the open payment attempts (S21).
        "CREATE INDEX outbox_unsent ON outbox (created_at, id)
            WHERE sent_at IS NULL AND dead_at IS NULL",
        "CREATE INDEX test_payments_by_key ON test_payments (provider_key)",
        "CREATE INDEX payment_attempts_open ON payment_attempts (updated_at)
            WHERE open_account IS NOT NULL",
    ],
    &[
        // Card set-ups (R25, S85): which account started which set-up at the payment provider,
        // so that only that account saves its card, and the card it saved (once, S87).
        "CREATE TABLE card_setups (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts (id),
        created_at TEXT NOT NULL,
        payment_method TEXT)",
        // The demo provider's own ledger of set-ups (`card_page.rs`), beside its ledger of
        // charges: brand, last four digits and expiry of the card typed, never its number. It
        // stays empty with a real provider.
        "CREATE TABLE test_card_setups (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        return_url TEXT NOT NULL,
        state TEXT NOT NULL,
        payment_method TEXT,
        brand TEXT,
        last4 TEXT,
        exp TEXT,
        created_at TEXT NOT NULL)",
    ],
];

/// The key of the PostgreSQL advisory lock held while migrating (any fixed number; this one
/// spells "checkout" in ASCII, shortened to fit).
const MIGRATION_LOCK: i64 = 0x0063_6865_636B_6F75;

/// Applies the migrations the database has not seen yet. Several server processes may start at
/// once on an empty PostgreSQL database: each takes a session-level advisory lock on one
/// connection before looking, so they migrate one after the other and the later ones find the
/// work done (SQLite serves one process, see `lockfile.rs`).
pub(super) async fn migrate(pool: &AnyPool, backend: Backend) -> Result<(), StoreError> {
    let mut conn = pool.acquire().await?;
    if backend == Backend::Postgres {
        sqlx::query("SELECT CAST(1 AS BIGINT) FROM pg_advisory_lock($1)")
            .bind(MIGRATION_LOCK)
            .fetch_one(&mut *conn)
            .await?;
    }
    let migrated = migrate_on(&mut conn).await;
    if backend == Backend::Postgres {
        let unlocked = sqlx::query("SELECT CAST(1 AS BIGINT) FROM pg_advisory_unlock($1)")
            .bind(MIGRATION_LOCK)
            .fetch_one(&mut *conn)
            .await;
        if unlocked.is_err() {
            // The lock belongs to this connection's session: closing it lets go of the lock.
            conn.close_on_drop();
        }
    }
    migrated
}

async fn migrate_on(conn: &mut sqlx::AnyConnection) -> Result<(), StoreError> {
    use sqlx::Connection;
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version BIGINT PRIMARY KEY,
            applied_at TEXT NOT NULL)",
    )
    .execute(&mut *conn)
    .await?;
    for (index, statements) in MIGRATIONS.iter().enumerate() {
        let version = i64::try_from(index + 1).unwrap_or(i64::MAX);
        let mut tx = conn.begin().await?;
        let done: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM schema_migrations WHERE version = $1")
                .bind(version)
                .fetch_one(&mut *tx)
                .await?;
        if done > 0 {
            continue;
        }
        for statement in *statements {
            sqlx::query(statement).execute(&mut *tx).await?;
        }
        sqlx::query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)")
            .bind(version)
            .bind(chrono::Utc::now().to_rfc3339())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        tracing::info!(version, "applied migration");
    }
    Ok(())
}
