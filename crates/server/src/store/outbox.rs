//! The outbox: e-mails written with the order they belong to, sent later by a worker.

use super::{Store, StoreError, col};

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

impl Store {
    /// Up to `limit` unsent messages, oldest first.
    pub async fn pending_mail(&self, limit: i64) -> Result<Vec<OutboxMessage>, StoreError> {
        sqlx::query(
            "SELECT id, recipient, subject, body FROM outbox WHERE sent_at IS NULL
             ORDER BY created_at, id LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?
        .iter()
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

    /// Marks a message sent.
    pub async fn mark_sent(&self, id: &str, sent_at: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE outbox SET sent_at = $1 WHERE id = $2")
            .bind(sent_at.to_owned())
            .bind(id.to_owned())
            .execute(&self.pool)
            .await?;
        Ok(())
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
