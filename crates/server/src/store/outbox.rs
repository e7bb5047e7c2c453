//! The outbox: e-mails written with the order they belong to, sent later by a worker (`mail.rs`).
//!
//! The worker takes a page of unsent messages ([`Store::take_mail`]), sends them, and marks the
//! ones sent in one statement ([`MailPage::mark_sent`]). A message is marked only after it was
//! sent, so a crash between the two sends it again after the restart: delivery is at least once,
//! and exactly once when nothing crashes. On PostgreSQL, where several server processes may share
//! the database, the page's rows stay locked (`FOR UPDATE SKIP LOCKED`) from taking to marking, so
//! the worker of another process skips them instead of sending them too. SQLite serves one
//! process, and its page is a plain read (a read transaction held while sending would make the
//! marking fail whenever the order writer committed meanwhile); the marks go through the store's
//! writer task and share the transaction of a batch of orders. As a write of its own the marking
//! would wait for SQLite's one write lock against the writer (and make the writer wait in turn,
//! with the busy handler's sleeps) and pay an fsync of its own.
//!
//! A message that could not be sent is not retried at once (S35): the same marking records the
//! failure, counts the attempt and sets when the message may be tried again (an exponential
//! back-off chosen by the worker), or gives it up as a dead letter after the last attempt. Pages
//! take only messages that are due, so a message that keeps failing waits out its back-off
//! behind the newer ones instead of filling every page.

use sqlx::{Any, AnyConnection, Transaction};

use super::rows::{Arg, bind_all, push_placeholders};
use super::writer::Write;
use super::{Backend, Store, StoreError, col};

/// An e-mail waiting to be sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxMessage {
    /// The message id.
    pub id: String,
    /// The recipient's address.
    pub recipient: String,
    /// The subject.
    pub subject: String,
    /// The plain text.
    pub body: String,
    /// How many times sending it failed so far.
    pub attempts: u32,
}

/// The oldest unsent messages that are due at `$1` (milliseconds since the Unix epoch), `$2` of
/// them; dead letters are never taken again.
const PENDING: &str = "SELECT id, recipient, subject, body, attempts FROM outbox
    WHERE sent_at IS NULL AND dead_at IS NULL AND next_attempt_at <= $1
    ORDER BY created_at, id LIMIT $2";

fn messages(rows: &[sqlx::any::AnyRow]) -> Result<Vec<OutboxMessage>, StoreError> {
    rows.iter()
        .map(|row| {
            Ok(OutboxMessage {
                id: col(row, "id")?,
                recipient: col(row, "recipient")?,
                subject: col(row, "subject")?,
                body: col(row, "body")?,
                attempts: u32::try_from(col::<i64>(row, "attempts")?).unwrap_or(u32::MAX),
            })
        })
        .collect()
}

/// A message that could not be sent: what the worker decided to do about it (S35).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailFailure {
    /// The message id.
    pub id: String,
    /// The failed attempts, this one included.
    pub attempts: u32,
    /// When to try again (milliseconds since the Unix epoch); `None` gives the message up as a
    /// dead letter.
    pub retry_at: Option<i64>,
    /// Why it failed, as the mailer said (kept for the operator; cut to a bounded length).
    pub error: String,
}

/// What became of a page: the messages sent and when, and the ones that failed. The writer
/// performs it on SQLite (`Write::MailSent`).
#[derive(Debug)]
pub(crate) struct MailSent {
    ids: Vec<String>,
    sent_at: String,
    failed: Vec<MailFailure>,
}

/// The longest failure text kept with a message.
const ERROR_LENGTH: usize = 500;

/// Marks the messages sent in one statement, and records each failure (inside a transaction of
/// the caller's).
pub(crate) async fn write_mail_sent(
    conn: &mut AnyConnection,
    sent: &MailSent,
) -> Result<(), StoreError> {
    for failure in &sent.failed {
        let error: String = failure.error.chars().take(ERROR_LENGTH).collect();
        let attempts = i64::from(failure.attempts);
        let query = match failure.retry_at {
            Some(at) => sqlx::query(
                "UPDATE outbox SET attempts = $1, next_attempt_at = $2, last_error = $3
                 WHERE id = $4 AND sent_at IS NULL",
            )
            .bind(attempts)
            .bind(at),
            None => sqlx::query(
                "UPDATE outbox SET attempts = $1, dead_at = $2, last_error = $3
                 WHERE id = $4 AND sent_at IS NULL",
            )
            .bind(attempts)
            .bind(sent.sent_at.clone()),
        };
        query
            .bind(error)
            .bind(failure.id.clone())
            .execute(&mut *conn)
            .await?;
    }
    if sent.ids.is_empty() {
        return Ok(());
    }
    let mut sql = String::from("UPDATE outbox SET sent_at = v.column2 FROM (VALUES ");
    push_placeholders(&mut sql, sent.ids.len(), 2);
    // SQLite and PostgreSQL both name the columns of a VALUES list column1, column2, ...
    sql.push_str(") AS v WHERE outbox.id = v.column1 AND outbox.sent_at IS NULL");
    let mut query = sqlx::query(&sql);
    for id in &sent.ids {
        query = bind_all(query, &[Arg::Text(id), Arg::Text(&sent.sent_at)]);
    }
    query.execute(&mut *conn).await?;
    Ok(())
}

/// A page of unsent messages taken for sending. Dropping it without [`MailPage::mark_sent`] leaves
/// every message unsent (and, on PostgreSQL, unlocks them), as a crash would.
#[derive(Debug)]
pub struct MailPage {
    /// The messages, oldest first.
    pub messages: Vec<OutboxMessage>,
    /// PostgreSQL: the transaction holding the page's rows locked.
    locked: Option<Transaction<'static, Any>>,
    store: Store,
}

impl MailPage {
    /// Marks the messages `ids` (of this page) sent at `sent_at` in one statement and commits:
    /// on PostgreSQL in the page's transaction, which also lets go of the rest of the page; on
    /// SQLite through the store's writer. The page's other messages stay unsent for a later page.
    pub async fn mark_sent(self, ids: Vec<String>, sent_at: &str) -> Result<(), StoreError> {
        self.mark(ids, Vec::new(), sent_at).await
    }

    /// Marks the messages `sent` sent at `now` and records the `failed` ones (their attempts and
    /// next attempt, or their death at `now`), all in one transaction, as [`MailPage::mark_sent`]
    /// does.
    pub async fn mark(
        self,
        sent: Vec<String>,
        failed: Vec<MailFailure>,
        now: &str,
    ) -> Result<(), StoreError> {
        let marks = MailSent {
            ids: sent,
            sent_at: now.to_owned(),
            failed,
        };
        match self.locked {
            Some(mut tx) => {
                write_mail_sent(&mut tx, &marks).await?;
                tx.commit().await?;
            }
            None if marks.ids.is_empty() && marks.failed.is_empty() => {}
            None => {
                self.store
                    .writer
                    .submit(Write::MailSent(Box::new(marks)), None)
                    .await
                    .0?;
            }
        }
        Ok(())
    }
}

/// Milliseconds since the Unix epoch of `at`, the outbox's clock for back-offs.
pub fn epoch_millis(at: chrono::DateTime<chrono::Utc>) -> i64 {
    at.timestamp_millis()
}

impl Store {
    /// Up to `limit` unsent messages due now, oldest first (a read: nothing is taken).
    pub async fn pending_mail(&self, limit: i64) -> Result<Vec<OutboxMessage>, StoreError> {
        self.pending_mail_at(limit, epoch_millis(chrono::Utc::now()))
            .await
    }

    /// Up to `limit` unsent messages due at `now` (milliseconds since the Unix epoch), oldest
    /// first.
    pub async fn pending_mail_at(
        &self,
        limit: i64,
        now: i64,
    ) -> Result<Vec<OutboxMessage>, StoreError> {
        messages(
            &sqlx::query(PENDING)
                .bind(now)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?,
        )
    }

    /// Takes up to `limit` unsent messages due at `now` (milliseconds since the Unix epoch),
    /// oldest first, for sending; on PostgreSQL they stay locked until the page is marked or
    /// dropped, and messages another process has taken are skipped (see the module's
    /// documentation).
    pub async fn take_mail_at(&self, limit: i64, now: i64) -> Result<MailPage, StoreError> {
        let store = self.clone();
        if self.backend == Backend::Sqlite {
            return Ok(MailPage {
                messages: self.pending_mail_at(limit, now).await?,
                locked: None,
                store,
            });
        }
        let mut tx = self.pool.begin().await?;
        let rows = sqlx::query(&format!("{PENDING} FOR UPDATE SKIP LOCKED"))
            .bind(now)
            .bind(limit)
            .fetch_all(&mut *tx)
            .await?;
        Ok(MailPage {
            messages: messages(&rows)?,
            locked: Some(tx),
            store,
        })
    }

    /// Takes up to `limit` unsent messages due now (see [`Store::take_mail_at`]).
    pub async fn take_mail(&self, limit: i64) -> Result<MailPage, StoreError> {
        self.take_mail_at(limit, epoch_millis(chrono::Utc::now()))
            .await
    }

    /// How many messages wait to be sent (due or backing off; dead letters are not counted).
    pub async fn unsent_count(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND dead_at IS NULL",
        )
        .fetch_one(&self.pool)
        .await?)
    }

    /// The ids of the messages given up as dead letters (S35), oldest first: for an operator to
    /// look into (the reason is in `last_error`) and send again by clearing `dead_at`.
    pub async fn dead_mail(&self) -> Result<Vec<String>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT id FROM outbox WHERE dead_at IS NOT NULL ORDER BY created_at, id",
        )
        .fetch_all(&self.pool)
        .await?)
    }
}
