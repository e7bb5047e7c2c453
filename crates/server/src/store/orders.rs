//! Orders, their lines and the idempotency records of R23, written in one transaction.

use billing::{Account, Quote};
use serde_json::Value;

use super::accounts::write_account_state;
use super::{Store, StoreError, col, is_unique_violation};

/// An order to store, with everything that changes with it.
#[derive(Clone, Debug)]
pub struct NewOrder<'a> {
    /// The order id.
    pub id: &'a str,
    /// When it was placed (RFC 3339).
    pub placed_at: &'a str,
    /// `paid` or `no_payment_needed`.
    pub status: &'a str,
    /// The quote it was placed at.
    pub quote: &'a Quote,
    /// The order JSON the API answers.
    pub body: &'a Value,
    /// The account after the order (subscriptions, credit, VAT id).
    pub account: &'a Account,
    /// The payment provider's reference, when something was charged.
    pub payment_reference: Option<&'a str>,
    /// The idempotency key and the fingerprint of the request (R23).
    pub idempotency_key: &'a str,
    /// The SHA-256 of the canonical request body.
    pub request_hash: &'a str,
    /// The receipt e-mail: recipient, subject and text (R22).
    pub receipt: (&'a str, &'a str, &'a str),
    /// The outbox message id.
    pub receipt_id: &'a str,
}

/// The first answer given for an idempotency key (R23).
#[derive(Clone, Debug)]
pub struct StoredAnswer {
    /// The fingerprint of the request that got it.
    pub request_hash: String,
    /// Its HTTP status.
    pub status: u16,
    /// Its JSON body.
    pub body: Value,
}

/// Whether an order was stored, or the key had been used meanwhile.
#[derive(Debug)]
pub enum Placed {
    /// Stored.
    Stored,
    /// Another request stored an order with this idempotency key first; nothing was written.
    KeyTaken,
}

fn parse_json(text: &str) -> Result<Value, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(e.to_string()))
}

impl Store {
    /// The answer already given for this account and idempotency key (R23).
    pub async fn idempotent_answer(
        &self,
        account_id: &str,
        key: &str,
    ) -> Result<Option<StoredAnswer>, StoreError> {
        let row = sqlx::query(
            "SELECT request_hash, status, response FROM idempotency_keys
             WHERE account_id = $1 AND idem_key = $2",
        )
        .bind(account_id.to_owned())
        .bind(key.to_owned())
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(StoredAnswer {
            request_hash: col(&row, "request_hash")?,
            status: u16::try_from(col::<i64>(&row, "status")?)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
            body: parse_json(&col::<String>(&row, "response")?)?,
        }))
    }

    /// Stores an order in one transaction: the order and its lines, the account's subscriptions,
    /// credit and VAT id, the idempotency record and the receipt e-mail in the outbox - all or
    /// nothing. A key stored meanwhile by another request leaves everything unchanged.
    pub async fn place_order(&self, order: &NewOrder<'_>) -> Result<Placed, StoreError> {
        let mut tx = self.pool.begin().await?;
        let account_id = order.account.id().to_owned();
        // The idempotency record goes first: its primary key makes a second order with the same
        // key fail here, before anything else is written (R23).
        let claimed = sqlx::query(
            "INSERT INTO idempotency_keys (account_id, idem_key, request_hash, status, response,
                created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(account_id.clone())
        .bind(order.idempotency_key.to_owned())
        .bind(order.request_hash.to_owned())
        .bind(201_i64)
        .bind(order.body.to_string())
        .bind(order.placed_at.to_owned())
        .execute(&mut *tx)
        .await;
        match claimed {
            Ok(_) => {}
            Err(error) if is_unique_violation(&error) => {
                tx.rollback().await?;
                return Ok(Placed::KeyTaken);
            }
            Err(error) => return Err(error.into()),
        }
        let seq: i64 = sqlx::query_scalar(
            "SELECT COALESCE(MAX(seq), 0) + 1 FROM orders WHERE account_id = $1",
        )
        .bind(account_id.clone())
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO orders (id, account_id, seq, placed_at, status, currency, total,
                amount_due, payment_reference, body)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(order.id.to_owned())
        .bind(account_id.clone())
        .bind(seq)
        .bind(order.placed_at.to_owned())
        .bind(order.status.to_owned())
        .bind(order.quote.currency.to_string())
        .bind(order.quote.total.to_string())
        .bind(order.quote.amount_due.to_string())
        .bind(order.payment_reference.map(str::to_owned))
        .bind(order.body.to_string())
        .execute(&mut *tx)
        .await?;
        for (line_no, line) in order.quote.lines.iter().enumerate() {
            sqlx::query(
                "INSERT INTO order_lines (order_id, line_no, item, kind, description,
                    period_start, period_end, seats, unit_price, amount)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(order.id.to_owned())
            .bind(i64::try_from(line_no).unwrap_or(i64::MAX))
            .bind(i64::try_from(line.item).unwrap_or(i64::MAX))
            .bind(
                serde_json::to_value(line.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
            )
            .bind(line.description.clone())
            .bind(line.period_start.to_string())
            .bind(line.period_end.to_string())
            .bind(i64::from(line.seats))
            .bind(line.unit_price.to_string())
            .bind(line.amount.to_string())
            .execute(&mut *tx)
            .await?;
        }
        write_account_state(&mut tx, order.account).await?;
        let (recipient, subject, text) = order.receipt;
        sqlx::query(
            "INSERT INTO outbox (id, created_at, recipient, subject, body, sent_at)
             VALUES ($1, $2, $3, $4, $5, NULL)",
        )
        .bind(order.receipt_id.to_owned())
        .bind(order.placed_at.to_owned())
        .bind(recipient.to_owned())
        .bind(subject.to_owned())
        .bind(text.to_owned())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Placed::Stored)
    }

    /// The account's orders, newest first.
    pub async fn orders(&self, account_id: &str) -> Result<Vec<Value>, StoreError> {
        sqlx::query("SELECT body FROM orders WHERE account_id = $1 ORDER BY seq DESC")
            .bind(account_id.to_owned())
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|row| parse_json(&col::<String>(row, "body")?))
            .collect()
    }

    /// One order of the account; another account's order is not found.
    pub async fn order(&self, account_id: &str, id: &str) -> Result<Option<Value>, StoreError> {
        let row = sqlx::query("SELECT body FROM orders WHERE account_id = $1 AND id = $2")
            .bind(account_id.to_owned())
            .bind(id.to_owned())
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| parse_json(&col::<String>(&row, "body")?))
            .transpose()
    }

    /// How many orders the account has (tests check that nothing was placed).
    pub async fn order_count(&self, account_id: &str) -> Result<i64, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM orders WHERE account_id = $1")
                .bind(account_id.to_owned())
                .fetch_one(&self.pool)
                .await?,
        )
    }
}
