//! The outbox worker: sends the e-mails stored with orders (R22), after the order's transaction
//! committed, and marks them sent.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use crate::store::{OutboxMessage, Store, StoreError};

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

/// How many messages the worker takes at a time: they are sent, then marked sent in one
/// statement.
pub const PAGE: usize = 100;

/// The largest page [`drain`] takes, whatever it is asked: it keeps the marking statement's
/// parameters (two per message) well below the databases' limits.
const MAX_PAGE: usize = 1_000;

/// Sends what waits in the outbox, a page of [`PAGE`] after the other until it is empty; answers
/// how many were sent.
pub async fn drain_once(store: &Store, mailer: &dyn Mailer) -> Result<usize, StoreError> {
    drain(store, mailer, PAGE).await
}

/// Sends what waits in the outbox in pages of `page` messages: each page is sent, then the
/// messages that went out are marked sent in one statement (a message that failed stays unsent
/// and is tried again later). Goes on while pages come back full, so a backlog is worked off in
/// one go; a page that is not full means the outbox was empty after it, and a page of which
/// nothing could be sent means the mailer is failing: both end the drain. Answers how many were
/// sent. A crash between sending and marking sends those messages again after the restart (at
/// least once; see `store/outbox.rs`).
pub async fn drain(store: &Store, mailer: &dyn Mailer, page: usize) -> Result<usize, StoreError> {
    let page = page.clamp(1, MAX_PAGE);
    let limit = i64::try_from(page).unwrap_or(i64::MAX);
    let mut sent = 0;
    loop {
        let taken = store.take_mail(limit).await?;
        let mut delivered = Vec::with_capacity(taken.messages.len());
        for message in &taken.messages {
            match mailer.send(message).await {
                Ok(()) => delivered.push(message.id.clone()),
                Err(error) => {
                    tracing::warn!(id = %message.id, %error, "e-mail not sent; will retry");
                }
            }
        }
        let full = taken.messages.len() == page;
        let progress = !delivered.is_empty();
        sent += delivered.len();
        taken
            .mark_sent(delivered, &chrono::Utc::now().to_rfc3339())
            .await?;
        if !full || !progress {
            return Ok(sent);
        }
    }
}

/// Runs the worker until the task is dropped: drains the outbox (all of it, page after page),
/// then sleeps `idle` before looking again; a failure is logged and retried after `idle` too.
pub async fn run(store: Store, mailer: Arc<dyn Mailer>, idle: Duration) {
    loop {
        if let Err(error) = drain_once(&store, mailer.as_ref()).await {
            tracing::warn!(%error, "outbox worker failed; will retry");
        }
        tokio::time::sleep(idle).await;
    }
}
