//! The outbox worker: sends the e-mails stored with orders (R22), after the order's transaction
//! committed, and marks them sent.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use crate::store::{OutboxMessage, Store};

/// A boxed future of a send.
pub type SendFuture<'a> = Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>>;

/// Delivers e-mails.
pub trait Mailer: Send + Sync {
    /// Sends one message.
    fn send<'a>(&'a self, message: &'a OutboxMessage) -> SendFuture<'a>;
}

/// The default mailer: writes the e-mail to the log.
#[derive(Clone, Copy, Debug, Default)]
pub struct LogMailer;

impl Mailer for LogMailer {
    fn send<'a>(&'a self, message: &'a OutboxMessage) -> SendFuture<'a> {
        Box::pin(async move {
            tracing::info!(
                id = %message.id,
                to = %message.recipient,
                subject = %message.subject,
                body = %message.body,
                "e-mail sent"
            );
            Ok(())
        })
    }
}

/// Sends what waits in the outbox; answers how many were sent.
pub async fn drain_once(
    store: &Store,
    mailer: &dyn Mailer,
) -> Result<usize, crate::store::StoreError> {
    let mut sent = 0;
    for message in store.pending_mail(50).await? {
        match mailer.send(&message).await {
            Ok(()) => {
                store
                    .mark_sent(&message.id, &chrono::Utc::now().to_rfc3339())
                    .await?;
                sent += 1;
            }
            Err(error) => tracing::warn!(id = %message.id, %error, "e-mail not sent; will retry"),
        }
    }
    Ok(sent)
}

/// Runs the worker until the task is dropped, draining the outbox every `every`.
pub async fn run(store: Store, mailer: Arc<dyn Mailer>, every: Duration) {
    let mut ticker = tokio::time::interval(every);
    loop {
        ticker.tick().await;
        if let Err(error) = drain_once(&store, mailer.as_ref()).await {
            tracing::warn!(%error, "outbox worker failed; will retry");
        }
    }
}
