//! Orders, their lines and the idempotency records of R23, written in one transaction.

use billing::{Account, Quote};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::AnyConnection;

use super::accounts::{AccountState, draw_order_numbers, write_subscriptions};
use super::locks::AccountGuard;
use super::receipts::{ORDERS_WITH_COPY, order_with_copy};
use super::rows::{Arg, insert_rows};
use super::writer::Write;
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
    /// The account's version the order was priced from: it is stored only while the account
    /// is still at this version (S20).
    pub version: i64,
    /// The payment attempt that paid for it (S21), closed in the order's transaction.
    pub attempt: Option<&'a str>,
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
    /// When it was stored (RFC 3339).
    pub created_at: String,
}

/// Whether a write was stored, or why not (nothing was written then).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placed {
    /// Stored.
    Stored,
    /// Another request stored an answer for this idempotency key first.
    KeyTaken,
    /// The account changed since the write was computed, or a payment attempt of another order
    /// holds it (S20): read it again.
    Stale,
    /// The order's payment attempt was closed meanwhile by someone else (the reconciler, S21).
    AttemptClosed,
}

/// A line of an order, as stored.
#[derive(Debug, Serialize, Deserialize)]
struct LineRow {
    item: i64,
    kind: String,
    description: String,
    period_start: String,
    period_end: String,
    seats: i64,
    unit_price: String,
    amount: String,
}

/// An order as the statements that store it need it: owned text, ready to bind. A payment
/// attempt keeps it as JSON, so the reconciler can store the order after a crash (S21).
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct PreparedOrder {
    id: String,
    placed_at: String,
    status: String,
    currency: String,
    total: String,
    amount_due: String,
    payment_reference: Option<String>,
    body: String,
    account: AccountState,
    idempotency_key: String,
    request_hash: String,
    lines: Vec<LineRow>,
    receipt_id: String,
    recipient: String,
    subject: String,
    text: String,
    attempt_id: Option<String>,
}

impl PreparedOrder {
    /// The account the order is for.
    pub(crate) fn account_id(&self) -> &str {
        &self.account.account_id
    }

    /// The same order paid with this charge (S21: the reconciler learns it from the provider).
    pub(crate) fn paid_with(mut self, reference: &str) -> PreparedOrder {
        self.payment_reference = Some(reference.to_owned());
        self
    }

    pub(crate) fn new(order: &NewOrder<'_>) -> PreparedOrder {
        let (recipient, subject, text) = order.receipt;
        PreparedOrder {
            id: order.id.to_owned(),
            placed_at: order.placed_at.to_owned(),
            status: order.status.to_owned(),
            currency: order.quote.currency.to_string(),
            total: order.quote.total.to_string(),
            amount_due: order.quote.amount_due.to_string(),
            payment_reference: order.payment_reference.map(str::to_owned),
            body: order.body.to_string(),
            account: AccountState::new(order.account, order.version, Vec::new()),
            idempotency_key: order.idempotency_key.to_owned(),
            request_hash: order.request_hash.to_owned(),
            lines: order
                .quote
                .lines
                .iter()
                .map(|line| LineRow {
                    item: i64::try_from(line.item).unwrap_or(i64::MAX),
                    kind: serde_json::to_value(line.kind)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default(),
                    description: line.description.clone(),
                    period_start: line.period_start.to_string(),
                    period_end: line.period_end.to_string(),
                    seats: i64::from(line.seats),
                    unit_price: line.unit_price.to_string(),
                    amount: line.amount.to_string(),
                })
                .collect(),
            receipt_id: order.receipt_id.to_owned(),
            recipient: recipient.to_owned(),
            subject: subject.to_owned(),
            text: text.to_owned(),
            attempt_id: order.attempt.map(str::to_owned),
        }
    }
}

/// Writes orders inside the writer's transaction, in a few statements whatever their number
/// (per hundred rows): the payment attempts they close (S21), the idempotency records, the
/// account rows (which also draw the orders' numbers and check the guard of S20), the orders,
/// their lines, the subscriptions (an upsert) and the receipts. The orders must be of distinct
/// accounts. A closed attempt, an idempotency key already stored or an account that moved fails
/// the transaction: with one order that is [`StoreError::AttemptClosed`],
/// [`StoreError::KeyTaken`] or [`StoreError::Stale`]; with several the writer cannot tell whose
/// it was and writes them one by one. The writer rolls back on any error.
pub(crate) async fn write_orders(
    conn: &mut AnyConnection,
    orders: &[&PreparedOrder],
) -> Result<(), StoreError> {
    // The attempts stop holding their accounts in the transaction that stores their orders, in
    // one statement for the batch; one closed meanwhile (by the reconciler) is not closed twice
    // and fails the write (with several orders the writer then writes them one by one).
    let now = chrono::Utc::now().timestamp();
    let attempts: Vec<Vec<Arg<'_>>> = orders
        .iter()
        .filter_map(|order| {
            let attempt = order.attempt_id.as_deref()?;
            Some(vec![
                Arg::Text(attempt),
                Arg::Text(&order.id),
                Arg::OptText(order.payment_reference.as_deref()),
                Arg::Int(now),
            ])
        })
        .collect();
    if !attempts.is_empty() {
        let closed = insert_rows(
            conn,
            "UPDATE payment_attempts SET state = 'committed', open_account = NULL,
                order_id = v.column2, payment_reference = v.column3, updated_at = v.column4
             FROM (",
            &attempts,
            ") AS v WHERE payment_attempts.id = v.column1
                AND payment_attempts.state IN ('recorded', 'unknown')",
        )
        .await?;
        if closed != attempts.len() as u64 {
            return Err(StoreError::AttemptClosed);
        }
    }
    // Their primary key makes a second order with the same key fail here (R23).
    let keys: Vec<Vec<Arg<'_>>> = orders
        .iter()
        .map(|order| {
            vec![
                Arg::Text(&order.account.account_id),
                Arg::Text(&order.idempotency_key),
                Arg::Text(&order.request_hash),
                Arg::Int(201),
                Arg::Text(&order.body),
                Arg::Text(&order.placed_at),
            ]
        })
        .collect();
    let claimed = insert_rows(
        conn,
        "INSERT INTO idempotency_keys (account_id, idem_key, request_hash, status, response,
            created_at)",
        &keys,
        "",
    )
    .await;
    match claimed {
        Ok(_) => {}
        Err(StoreError::Database(error)) if orders.len() == 1 && is_unique_violation(&error) => {
            return Err(StoreError::KeyTaken);
        }
        Err(error) => return Err(error),
    }
    let accounts: Vec<&AccountState> = orders.iter().map(|order| &order.account).collect();
    let numbers = draw_order_numbers(conn, &accounts).await?;
    let mut seqs = Vec::with_capacity(orders.len());
    for order in orders {
        // An account left out moved since its order was priced, or another order's payment
        // attempt holds it (S20).
        seqs.push(
            *numbers
                .get(&order.account.account_id)
                .ok_or(StoreError::Stale)?,
        );
    }
    let rows: Vec<Vec<Arg<'_>>> = orders
        .iter()
        .zip(&seqs)
        .map(|(order, seq)| {
            vec![
                Arg::Text(&order.id),
                Arg::Text(&order.account.account_id),
                Arg::Int(*seq),
                Arg::Text(&order.placed_at),
                Arg::Text(&order.status),
                Arg::Text(&order.currency),
                Arg::Text(&order.total),
                Arg::Text(&order.amount_due),
                Arg::OptText(order.payment_reference.as_deref()),
                Arg::Text(&order.body),
            ]
        })
        .collect();
    insert_rows(
        conn,
        "INSERT INTO orders (id, account_id, seq, placed_at, status, currency, total,
            amount_due, payment_reference, body)",
        &rows,
        "",
    )
    .await?;
    // R27: each receipt keeps the billing information of the moment it was placed (S77).
    let ids: Vec<&str> = orders.iter().map(|order| order.id.as_str()).collect();
    super::receipts::keep_billing_info(conn, &ids).await?;
    let lines: Vec<Vec<Arg<'_>>> = orders
        .iter()
        .flat_map(|order| {
            order.lines.iter().enumerate().map(|(line_no, line)| {
                vec![
                    Arg::Text(&order.id),
                    Arg::Int(i64::try_from(line_no).unwrap_or(i64::MAX)),
                    Arg::Int(line.item),
                    Arg::Text(&line.kind),
                    Arg::Text(&line.description),
                    Arg::Text(&line.period_start),
                    Arg::Text(&line.period_end),
                    Arg::Int(line.seats),
                    Arg::Text(&line.unit_price),
                    Arg::Text(&line.amount),
                ]
            })
        })
        .collect();
    insert_rows(
        conn,
        "INSERT INTO order_lines (order_id, line_no, item, kind, description, period_start,
            period_end, seats, unit_price, amount)",
        &lines,
        "",
    )
    .await?;
    write_subscriptions(conn, &accounts).await?;
    let receipts: Vec<Vec<Arg<'_>>> = orders
        .iter()
        .map(|order| {
            vec![
                Arg::Text(&order.receipt_id),
                Arg::Text(&order.placed_at),
                Arg::Text(&order.recipient),
                Arg::Text(&order.subject),
                Arg::Text(&order.text),
                Arg::OptText(None),
            ]
        })
        .collect();
    insert_rows(
        conn,
        "INSERT INTO outbox (id, created_at, recipient, subject, body, sent_at)",
        &receipts,
        "",
    )
    .await?;
    Ok(())
}

/// A stored answer from its columns.
pub(super) fn stored_answer(
    request_hash: String,
    status: i64,
    response: &str,
    created_at: String,
) -> Result<StoredAnswer, StoreError> {
    Ok(StoredAnswer {
        created_at,
        request_hash,
        status: u16::try_from(status).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        body: parse_json(response)?,
    })
}

fn parse_json(text: &str) -> Result<Value, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// A stored order body as the contract's order. Bodies stored before the history listed
/// renewals have no `kind`: every one of them was placed in the checkout, so it is an `order`
/// (api.md v1.1, S60).
pub fn read_order(mut body: Value) -> Result<api::Order, serde_json::Error> {
    if let Value::Object(members) = &mut body {
        members
            .entry("kind")
            .or_insert_with(|| Value::String("order".to_owned()));
    }
    serde_json::from_value(body)
}

/// An order body of the `orders` table as the contract's order.
pub(super) fn order_body(text: &str) -> Result<api::Order, StoreError> {
    read_order(parse_json(text)?).map_err(|e| StoreError::Corrupt(format!("an order body: {e}")))
}

impl Store {
    /// The answer already given for this account and idempotency key (R23).
    pub async fn idempotent_answer(
        &self,
        account_id: &str,
        key: &str,
    ) -> Result<Option<StoredAnswer>, StoreError> {
        let row = sqlx::query(
            "SELECT request_hash, status, response, created_at FROM idempotency_keys
             WHERE account_id = $1 AND idem_key = $2",
        )
        .bind(account_id.to_owned())
        .bind(key.to_owned())
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(stored_answer(
            col(&row, "request_hash")?,
            col(&row, "status")?,
            &col::<String>(&row, "response")?,
            col(&row, "created_at")?,
        )?))
    }

    /// Stores an order in one transaction: the order and its lines, the account's subscriptions,
    /// credit and VAT id, the idempotency record and the receipt e-mail in the outbox - all or
    /// nothing. A key stored meanwhile by another request leaves everything unchanged. The write
    /// goes through the store's writer and may share its transaction with other orders
    /// (`writer.rs`); it is answered after the commit.
    pub async fn place_order(&self, order: &NewOrder<'_>) -> Result<Placed, StoreError> {
        self.writer
            .submit(Write::Order(Box::new(PreparedOrder::new(order))), None)
            .await
            .0
    }

    /// Stores an order already prepared (the one a payment attempt keeps, S21), as
    /// [`Store::place_order`]; with the account's lock when the caller holds it.
    pub(crate) async fn place_prepared(
        &self,
        order: PreparedOrder,
        guard: Option<AccountGuard>,
    ) -> (Result<Placed, StoreError>, Option<AccountGuard>) {
        self.writer
            .submit(Write::Order(Box::new(order)), guard)
            .await
    }

    /// [`Store::place_order`] for a caller holding the account's lock: the lock is released
    /// after the commit, even if the caller stops waiting.
    pub async fn place_order_locked(
        &self,
        order: &NewOrder<'_>,
        guard: AccountGuard,
    ) -> Result<Placed, StoreError> {
        // The statement parameters are built here, in the request's task, so that the writer
        // (the one serial part) only talks to the database.
        let write = Write::Order(Box::new(PreparedOrder::new(order)));
        self.writer.submit(write, Some(guard)).await.0
    }

    /// The account's orders, newest first, each with the billing information it was placed
    /// with (S77), so that the history's receipts need no request of their own.
    pub async fn orders(&self, account_id: &str) -> Result<Vec<api::Order>, StoreError> {
        let sql = format!("{ORDERS_WITH_COPY} WHERE account_id = $1 ORDER BY seq DESC");
        sqlx::query(&sql)
            .bind(account_id.to_owned())
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(order_with_copy)
            .collect()
    }

    /// One order of the account; another account's order is not found.
    pub async fn order(
        &self,
        account_id: &str,
        id: &str,
    ) -> Result<Option<api::Order>, StoreError> {
        let row = sqlx::query("SELECT body FROM orders WHERE account_id = $1 AND id = $2")
            .bind(account_id.to_owned())
            .bind(id.to_owned())
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| order_body(&col::<String>(&row, "body")?))
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
