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
}

/// The oldest unsent messages, `$1` of them.
const PENDING: &str = "SELECT id, recipient, subject, body FROM outbox WHERE sent_at IS NULL
    ORDER BY created_at, id LIMIT $1";

fn messages(rows: &[sqlx::any::AnyRow]) -> Result<Vec<OutboxMessage>, StoreError> {
    rows.iter()
        .map(|row| {
            Ok(OutboxMessage {
                id: col(row, "id")?,
                recipient: col(row, "recipient")?,
                subject: col(row, "subject")?,
                body: col(row, "body")?,
            })
        })
        .collect()
}

/// Messages that were sent, and when: the marking the writer performs (SQLite).
#[derive(Debug)]
pub(crate) struct MailSent {
    ids: Vec<String>,
    sent_at: String,
}

/// Marks the messages sent in one statement (inside a transaction of the caller's).
pub(crate) async fn write_mail_sent(
    conn: &mut AnyConnection,
    sent: &MailSent,
) -> Result<(), StoreError> {
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
        let sent = MailSent {
            ids,
            sent_at: sent_at.to_owned(),
        };
        match self.locked {
            Some(mut tx) => {
                write_mail_sent(&mut tx, &sent).await?;
                tx.commit().await?;
            }
            None if sent.ids.is_empty() => {}
            None => {
                self.store
                    .writer
                    .submit(Write::MailSent(Box::new(sent)), None)
                    .await
                    .0?;
            }
        }
        Ok(())
    }
}

impl Store {
    /// Up to `limit` unsent messages, oldest first (a read: nothing is taken).
    pub async fn pending_mail(&self, limit: i64) -> Result<Vec<OutboxMessage>, StoreError> {
        messages(
            &sqlx::query(PENDING)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?,
        )
    }

    /// Takes up to `limit` unsent messages, oldest first, for sending; on PostgreSQL they stay
    /// locked until the page is marked or dropped, and messages another process has taken are
    /// skipped (see the module's documentation).
    pub async fn take_mail(&self, limit: i64) -> Result<MailPage, StoreError> {
        let store = self.clone();
        if self.backend == Backend::Sqlite {
            return Ok(MailPage {
                messages: self.pending_mail(limit).await?,
                locked: None,
                store,
            });
        }
        let mut tx = self.pool.begin().await?;
        let rows = sqlx::query(&format!("{PENDING} FOR UPDATE SKIP LOCKED"))
            .bind(limit)
            .fetch_all(&mut *tx)
            .await?;
        Ok(MailPage {
            messages: messages(&rows)?,
            locked: Some(tx),
            store,
        })
    }

    /// How many messages wait to be sent.
    pub async fn unsent_count(&self) -> Result<i64, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL")
                .fetch_one(&self.pool)
                .await?,
        )
    }
}
