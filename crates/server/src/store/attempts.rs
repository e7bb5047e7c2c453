//! Payment attempts (S21) and the ledger of the test payment provider.
//!
//! An order that costs money stores a payment attempt before the provider is called: the order
//! as priced (ready to store), the amount, the provider's idempotency key and the account's
//! version. While it is open (`recorded`, or `unknown` after a failed provider call) it holds its
//! account: `open_account` carries the account id under a unique constraint, and every write of
//! the account's state refuses to run while another order's attempt holds it (S20). It is closed
//! as `committed` in the transaction that stores its order, as `declined` with the stored `402`
//! (R23, S22), as `refunded` when its charge was given back, or as `abandoned` when the provider
//! never charged it.

use serde_json::Value;

use super::orders::PreparedOrder;
use super::{Store, StoreError, col, is_unique_violation};

/// Where a payment attempt stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttemptState {
    /// Stored; the provider may have charged it or not yet. It holds its account.
    Recorded,
    /// The provider call failed (an error, a timeout, a panic): whether it charged is unknown
    /// until the provider is asked. It holds its account.
    Unknown,
    /// Its order is stored.
    Committed,
    /// The provider declined it; the `402` is stored for the key.
    Declined,
    /// It was charged and the charge was refunded.
    Refunded,
    /// The provider has no charge for it; nothing was taken.
    Abandoned,
}

impl AttemptState {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            AttemptState::Recorded => "recorded",
            AttemptState::Unknown => "unknown",
            AttemptState::Committed => "committed",
            AttemptState::Declined => "declined",
            AttemptState::Refunded => "refunded",
            AttemptState::Abandoned => "abandoned",
        }
    }

    fn parse(text: &str) -> Result<AttemptState, StoreError> {
        Ok(match text {
            "recorded" => AttemptState::Recorded,
            "unknown" => AttemptState::Unknown,
            "committed" => AttemptState::Committed,
            "declined" => AttemptState::Declined,
            "refunded" => AttemptState::Refunded,
            "abandoned" => AttemptState::Abandoned,
            other => {
                return Err(StoreError::Corrupt(format!(
                    "unknown payment attempt state {other}"
                )));
            }
        })
    }

    /// Whether the attempt is still open (it holds its account).
    pub fn is_open(self) -> bool {
        matches!(self, AttemptState::Recorded | AttemptState::Unknown)
    }
}

/// A stored payment attempt.
#[derive(Clone, Debug)]
pub struct Attempt {
    /// Its id.
    pub id: String,
    /// The account paying.
    pub account_id: String,
    /// The order's idempotency key (R23).
    pub idem_key: String,
    /// The fingerprint of the order request.
    pub request_hash: String,
    /// How many attempts the key has had (the provider key differs for each).
    pub generation: i64,
    /// The provider's idempotency key.
    pub provider_key: String,
    /// Where it stands.
    pub state: AttemptState,
    /// The amount charged.
    pub amount: String,
    /// Its currency.
    pub currency: String,
    /// The payment method charged.
    pub payment_method: String,
    /// The provider's reference of the charge, once known.
    pub payment_reference: Option<String>,
    /// The order stored with it.
    pub order_id: Option<String>,
    /// When it last changed (Unix seconds).
    pub updated_at: i64,
    prepared: String,
}

impl Attempt {
    /// The order it pays for, as prepared when it was priced.
    pub(crate) fn prepared(&self) -> Result<PreparedOrder, StoreError> {
        serde_json::from_str(&self.prepared).map_err(|e| StoreError::Corrupt(e.to_string()))
    }
}

/// A payment attempt to store.
#[derive(Debug)]
pub(crate) struct NewAttempt<'a> {
    pub(crate) id: &'a str,
    pub(crate) account_id: &'a str,
    pub(crate) idem_key: &'a str,
    pub(crate) request_hash: &'a str,
    pub(crate) generation: i64,
    pub(crate) provider_key: &'a str,
    pub(crate) version: i64,
    pub(crate) amount: &'a str,
    pub(crate) currency: &'a str,
    pub(crate) payment_method: &'a str,
    pub(crate) prepared: &'a PreparedOrder,
    pub(crate) created_at: &'a str,
}

/// What storing a payment attempt did.
#[derive(Debug)]
pub enum Recorded {
    /// Stored: the attempt holds the account.
    Held(Box<Attempt>),
    /// The account is no longer at the version the order was priced from (S20).
    Stale,
    /// Another order's payment attempt holds the account.
    Busy,
    /// The idempotency key already has an attempt.
    KeyHasAttempt(Box<Attempt>),
}

/// A line of the test provider's ledger.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerEntry {
    /// The provider's idempotency key it was asked with.
    pub provider_key: String,
    /// `charge` or `decline`.
    pub kind: String,
    /// The charge's reference (`None` for a decline).
    pub reference: Option<String>,
    /// The account charged.
    pub account_id: String,
    /// The amount.
    pub amount: String,
    /// Its currency.
    pub currency: String,
    /// Whether the charge was refunded.
    pub refunded: bool,
}

const ATTEMPT_COLUMNS: &str = "id, account_id, idem_key, request_hash, generation, provider_key,
    state, amount, currency, payment_method, payment_reference, order_id, updated_at, prepared";

fn attempt_from_row(row: &sqlx::any::AnyRow) -> Result<Attempt, StoreError> {
    Ok(Attempt {
        id: col(row, "id")?,
        account_id: col(row, "account_id")?,
        idem_key: col(row, "idem_key")?,
        request_hash: col(row, "request_hash")?,
        generation: col(row, "generation")?,
        provider_key: col(row, "provider_key")?,
        state: AttemptState::parse(&col::<String>(row, "state")?)?,
        amount: col(row, "amount")?,
        currency: col(row, "currency")?,
        payment_method: col(row, "payment_method")?,
        payment_reference: col(row, "payment_reference")?,
        order_id: col(row, "order_id")?,
        updated_at: col(row, "updated_at")?,
        prepared: col(row, "prepared")?,
    })
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

impl Store {
    /// Stores a payment attempt, in one statement that also checks the guard of S20: it is
    /// stored only while the account is at `attempt.version` and still has the card it charges
    /// (a card removed since the order read it, in any process, makes it stale, S57), and the
    /// unique constraints let it in only when no other attempt holds the account and the key has
    /// none.
    pub(crate) async fn record_attempt(
        &self,
        attempt: &NewAttempt<'_>,
    ) -> Result<Recorded, StoreError> {
        let prepared = serde_json::to_string(attempt.prepared)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let inserted = sqlx::query(
            "INSERT INTO payment_attempts (id, account_id, idem_key, request_hash, generation,
                provider_key, open_account, account_version, state, amount, currency,
                payment_method, payment_reference, order_id, prepared, created_at, updated_at)
             SELECT $1, $2, $3, $4, $5, $6, $2, $7, 'recorded', $8, $9, $10, NULL, NULL, $11,
                $12, $13
             FROM accounts WHERE id = $2 AND version = $7
               AND EXISTS (SELECT 1 FROM payment_methods m WHERE m.id = $10
                           AND m.account_id = $2)",
        )
        .bind(attempt.id)
        .bind(attempt.account_id)
        .bind(attempt.idem_key)
        .bind(attempt.request_hash)
        .bind(attempt.generation)
        .bind(attempt.provider_key)
        .bind(attempt.version)
        .bind(attempt.amount)
        .bind(attempt.currency)
        .bind(attempt.payment_method)
        .bind(prepared.as_str())
        .bind(attempt.created_at)
        .bind(now())
        .execute(&self.pool)
        .await;
        match inserted {
            Ok(done) if done.rows_affected() == 1 => Ok(Recorded::Held(Box::new(Attempt {
                id: attempt.id.to_owned(),
                account_id: attempt.account_id.to_owned(),
                idem_key: attempt.idem_key.to_owned(),
                request_hash: attempt.request_hash.to_owned(),
                generation: attempt.generation,
                provider_key: attempt.provider_key.to_owned(),
                state: AttemptState::Recorded,
                amount: attempt.amount.to_owned(),
                currency: attempt.currency.to_owned(),
                payment_method: attempt.payment_method.to_owned(),
                payment_reference: None,
                order_id: None,
                updated_at: now(),
                prepared,
            }))),
            Ok(_) => Ok(Recorded::Stale),
            Err(error) if is_unique_violation(&error) => {
                match self
                    .attempt_for_key(attempt.account_id, attempt.idem_key)
                    .await?
                {
                    Some(existing) => Ok(Recorded::KeyHasAttempt(Box::new(existing))),
                    None => Ok(Recorded::Busy),
                }
            }
            Err(error) => Err(error.into()),
        }
    }

    /// The latest payment attempt of an idempotency key, if it has one.
    pub async fn attempt_for_key(
        &self,
        account_id: &str,
        key: &str,
    ) -> Result<Option<Attempt>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {ATTEMPT_COLUMNS} FROM payment_attempts WHERE account_id = $1 AND idem_key = $2
             ORDER BY generation DESC LIMIT 1"
        ))
        .bind(account_id)
        .bind(key)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(attempt_from_row).transpose()
    }

    /// The payment attempt holding an account, if one does.
    pub async fn attempt_holding(&self, account_id: &str) -> Result<Option<Attempt>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {ATTEMPT_COLUMNS} FROM payment_attempts WHERE open_account = $1"
        ))
        .bind(account_id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(attempt_from_row).transpose()
    }

    /// The open attempts the reconciler takes (S21): those in `unknown`, and those `recorded`
    /// but unchanged since `before` (Unix seconds), oldest first. An attempt holds its account
    /// exactly while it is open, so `open_account IS NOT NULL` lets the query read the partial
    /// index of the open attempts instead of every attempt ever made.
    pub async fn attempts_to_reconcile(
        &self,
        before: i64,
        limit: i64,
    ) -> Result<Vec<Attempt>, StoreError> {
        sqlx::query(&format!(
            "SELECT {ATTEMPT_COLUMNS} FROM payment_attempts
             WHERE open_account IS NOT NULL
               AND (state = 'unknown' OR (state = 'recorded' AND updated_at < $1))
             ORDER BY updated_at LIMIT $2"
        ))
        .bind(before)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(attempt_from_row)
        .collect()
    }

    /// Every payment attempt of an account (tests read them).
    pub async fn attempts(&self, account_id: &str) -> Result<Vec<Attempt>, StoreError> {
        sqlx::query(&format!(
            "SELECT {ATTEMPT_COLUMNS} FROM payment_attempts WHERE account_id = $1 ORDER BY id"
        ))
        .bind(account_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(attempt_from_row)
        .collect()
    }

    /// Closes an open attempt in `state` (never `committed`: the order's transaction does
    /// that), letting go of its account; `false` when it was no longer open.
    pub async fn close_attempt(
        &self,
        id: &str,
        state: AttemptState,
        reference: Option<&str>,
    ) -> Result<bool, StoreError> {
        let closed = sqlx::query(
            "UPDATE payment_attempts SET state = $1, open_account = NULL,
                payment_reference = COALESCE($2, payment_reference), updated_at = $3
             WHERE id = $4 AND state IN ('recorded', 'unknown')",
        )
        .bind(state.as_str())
        .bind(reference)
        .bind(now())
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(closed.rows_affected() == 1)
    }

    /// Marks a recorded attempt `unknown` (its provider call failed); `false` when it was no
    /// longer `recorded`.
    pub async fn mark_attempt_unknown(&self, id: &str) -> Result<bool, StoreError> {
        let marked = sqlx::query(
            "UPDATE payment_attempts SET state = 'unknown', updated_at = $1
             WHERE id = $2 AND state = 'recorded'",
        )
        .bind(now())
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(marked.rows_affected() == 1)
    }

    /// Closes an open attempt as `declined` and stores the answer of the key (R23, S22) in one
    /// transaction. `false` when the attempt was no longer open (nothing is stored then).
    pub async fn decline_attempt(
        &self,
        attempt: &Attempt,
        status: u16,
        answer: &Value,
        created_at: &str,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let closed = sqlx::query(
            "UPDATE payment_attempts SET state = 'declined', open_account = NULL, updated_at = $1
             WHERE id = $2 AND state IN ('recorded', 'unknown')",
        )
        .bind(now())
        .bind(attempt.id.as_str())
        .execute(&mut *tx)
        .await?;
        if closed.rows_affected() != 1 {
            tx.rollback().await?;
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO idempotency_keys (account_id, idem_key, request_hash, status, response,
                created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
        )
        .bind(attempt.account_id.as_str())
        .bind(attempt.idem_key.as_str())
        .bind(attempt.request_hash.as_str())
        .bind(i64::from(status))
        .bind(answer.to_string())
        .bind(created_at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Forgets the answer stored for a key with this status (a `402` past its time, S22), so
    /// the key can be tried again.
    pub async fn forget_answer(
        &self,
        account_id: &str,
        key: &str,
        status: u16,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "DELETE FROM idempotency_keys WHERE account_id = $1 AND idem_key = $2 AND status = $3",
        )
        .bind(account_id)
        .bind(key)
        .bind(i64::from(status))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The test provider: records a charge under `provider_key` (or finds the one made before
    /// with it) and answers its reference; or records a decline and answers `None`.
    pub(crate) async fn ledger_charge(
        &self,
        provider_key: &str,
        account_id: &str,
        amount: &str,
        currency: &str,
        declined: bool,
    ) -> Result<Option<String>, StoreError> {
        let entry_id =
            crate::auth::random_id("tp").map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let created_at = chrono::Utc::now().to_rfc3339();
        if declined {
            sqlx::query(
                "INSERT INTO test_payments (id, provider_key, kind, reference, account_id, amount,
                    currency, refunded, created_at)
                 VALUES ($1, $2, 'decline', NULL, $3, $4, $5, 0, $6)",
            )
            .bind(entry_id)
            .bind(provider_key)
            .bind(account_id)
            .bind(amount)
            .bind(currency)
            .bind(created_at)
            .execute(&self.pool)
            .await?;
            return Ok(None);
        }
        // One reference per provider key, derived from it: a charge asked again with the same
        // key (one after the other or at once) meets the unique reference and answers the first
        // one's charge, in this one statement (no look-up first: one query less per order).
        let digest = crate::auth::sha256_hex(provider_key);
        let reference = format!("pay_{}", &digest[..20]);
        sqlx::query(
            "INSERT INTO test_payments (id, provider_key, kind, reference, account_id, amount,
                currency, refunded, created_at)
             VALUES ($1, $2, 'charge', $3, $4, $5, $6, 0, $7) ON CONFLICT DO NOTHING",
        )
        .bind(entry_id)
        .bind(provider_key)
        .bind(reference.as_str())
        .bind(account_id)
        .bind(amount)
        .bind(currency)
        .bind(created_at)
        .execute(&self.pool)
        .await?;
        Ok(Some(reference))
    }

    /// The test provider: the charge made with `provider_key`, if any.
    pub(crate) async fn ledger_find(
        &self,
        provider_key: &str,
    ) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT reference FROM test_payments WHERE provider_key = $1 AND kind = 'charge'",
        )
        .bind(provider_key)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// The test provider: refunds a charge (once); `false` when there is no such charge.
    pub(crate) async fn ledger_refund(&self, reference: &str) -> Result<bool, StoreError> {
        let known: Option<String> = sqlx::query_scalar(
            "SELECT reference FROM test_payments WHERE reference = $1 AND kind = 'charge'",
        )
        .bind(reference)
        .fetch_optional(&self.pool)
        .await?;
        if known.is_none() {
            return Ok(false);
        }
        sqlx::query("UPDATE test_payments SET refunded = 1 WHERE reference = $1")
            .bind(reference)
            .execute(&self.pool)
            .await?;
        Ok(true)
    }

    /// The test provider's ledger: every charge and decline, oldest first.
    pub async fn test_ledger(&self) -> Result<Vec<LedgerEntry>, StoreError> {
        sqlx::query(
            "SELECT provider_key, kind, reference, account_id, amount, currency, refunded
             FROM test_payments ORDER BY created_at, id",
        )
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| {
            Ok(LedgerEntry {
                provider_key: col(row, "provider_key")?,
                kind: col(row, "kind")?,
                reference: col(row, "reference")?,
                account_id: col(row, "account_id")?,
                amount: col(row, "amount")?,
                currency: col(row, "currency")?,
                refunded: col::<i64>(row, "refunded")? != 0,
            })
        })
        .collect()
    }
}
