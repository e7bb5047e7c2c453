//! The outbox worker: sends the e-mails stored with orders (R22), after the order's transaction
//! committed, and marks them sent; a message that fails is tried again later with an exponential
//! back-off and given up as a dead letter after [`Retry::max_attempts`] (S35).
//!
//! Mailers: [`LogMailer`] (the default, for development and demos: it logs who gets which e-mail
//! and never the text at info level, since a receipt holds what a customer bought) and
//! [`SmtpMailer`] (`--smtp-url`, through `lettre`).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::store::{MailFailure, OutboxMessage, Store, StoreError, epoch_millis};

/// A boxed future of a send.
pub type SendFuture<'a> = Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>>;

/// Delivers e-mails.
pub trait Mailer: Send + Sync {
    /// Sends one message.
    fn send<'a>(&'a self, message: &'a OutboxMessage) -> SendFuture<'a>;

    /// What the mailer is, for the start-up message (`log`, `smtp://relay:25`).
    fn describe(&self) -> String {
        "a custom mailer".to_owned()
    }
}

/// The default mailer: writes that an e-mail went out to the log. The recipient and subject go
/// to the info log; the text (a receipt, with what the customer bought) only to the debug log.
#[derive(Clone, Copy, Debug, Default)]
pub struct LogMailer;

impl Mailer for LogMailer {
    fn send<'a>(&'a self, message: &'a OutboxMessage) -> SendFuture<'a> {
        Box::pin(async move {
            tracing::info!(
                id = %message.id,
                to = %message.recipient,
                subject = %message.subject,
                "e-mail sent (logged only)"
            );
            tracing::debug!(id = %message.id, body = %message.body, "e-mail text");
            Ok(())
        })
    }

    fn describe(&self) -> String {
        "log (e-mails are logged, not sent)".to_owned()
    }
}

/// Why a mailer could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The SMTP URL is not one this server can use.
    #[error("`--smtp-url` is not usable: {0}")]
    SmtpUrl(String),
    /// The sender is not a mailbox (`Name <address>` or `address`).
    #[error("`--mail-from` is not an e-mail address: {0}")]
    Sender(String),
}

/// Sends e-mail through an SMTP server with `lettre`, in plain SMTP (a relay on loopback or a
/// private network, which forwards with TLS itself).
#[derive(Clone)]
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The server, without credentials, for the start-up message.
    server: String,
}

impl std::fmt::Debug for SmtpMailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The transport holds the credentials: never print it.
        f.debug_struct("SmtpMailer")
            .field("server", &self.server)
            .finish_non_exhaustive()
    }
}

impl SmtpMailer {
    /// A mailer for `smtp://[user:password@]host[:port]` (port 25 by default; no TLS, so
    /// credentials only over loopback or a private network) sending as `from`;
    /// one SMTP exchange may take `timeout` (lettre's own limit, below the worker's).
    pub fn new(url: &str, from: &str, timeout: Duration) -> Result<SmtpMailer, MailError> {
        let rest = url.strip_prefix("smtp://").ok_or_else(|| {
            MailError::SmtpUrl(
                "only plain `smtp://` is supported (relay through a local MTA for TLS)".to_owned(),
            )
        })?;
        let rest = rest.trim_end_matches('/');
        let (credentials, server) = match rest.rsplit_once('@') {
            Some((credentials, server)) => (Some(credentials), server),
            None => (None, rest),
        };
        let (host, port) = match server.rsplit_once(':') {
            Some((host, port)) => (
                host,
                port.parse::<u16>()
                    .map_err(|_| MailError::SmtpUrl(format!("`{port}` is not a port")))?,
            ),
            None => (server, 25),
        };
        if host.is_empty() || host.contains(['/', '?', '#']) {
            return Err(MailError::SmtpUrl("the URL names no host".to_owned()));
        }
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            .port(port)
            .timeout(Some(timeout));
        if let Some(credentials) = credentials {
            let (user, password) = credentials.split_once(':').unwrap_or((credentials, ""));
            builder = builder.credentials(Credentials::new(user.to_owned(), password.to_owned()));
        }
        let from = from
            .parse::<Mailbox>()
            .map_err(|error| MailError::Sender(error.to_string()))?;
        Ok(SmtpMailer {
            transport: builder.build(),
            from,
            server: format!("smtp://{host}:{port}"),
        })
    }
}

impl Mailer for SmtpMailer {
    fn send<'a>(&'a self, message: &'a OutboxMessage) -> SendFuture<'a> {
        Box::pin(async move {
            let to = message
                .recipient
                .parse::<Mailbox>()
                .map_err(|error| format!("bad recipient: {error}"))?;
            let email = Message::builder()
                .from(self.from.clone())
                .to(to)
                .subject(message.subject.clone())
                .header(ContentType::TEXT_PLAIN)
                .body(message.body.clone())
                .map_err(|error| format!("cannot build the e-mail: {error}"))?;
            self.transport
                .send(email)
                .await
                .map(|_| ())
                .map_err(|error| error.to_string())
        })
    }

    fn describe(&self) -> String {
        self.server.clone()
    }
}

/// How failed messages are retried (S35).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Retry {
    /// Attempts in all; a message that failed this many times is a dead letter.
    pub max_attempts: u32,
    /// The wait after the first failure; it doubles after each further one.
    pub first_delay: Duration,
    /// The longest wait between two attempts.
    pub max_delay: Duration,
    /// How long one send may take before it counts as failed.
    pub send_timeout: Duration,
}

impl Default for Retry {
    /// 10 attempts, 30 s after the first failure doubling up to 2 hours (about 6 hours from the
    /// first attempt to the last), 10 s per send.
    fn default() -> Retry {
        Retry {
            max_attempts: 10,
            first_delay: Duration::from_secs(30),
            max_delay: Duration::from_secs(2 * 60 * 60),
            send_timeout: Duration::from_secs(10),
        }
    }
}

impl Retry {
    /// The wait after the `attempts`-th failure: `first_delay × 2^(attempts − 1)`, at most
    /// `max_delay`.
    pub fn delay(&self, attempts: u32) -> Duration {
        let doublings = attempts.saturating_sub(1).min(30);
        self.first_delay
            .saturating_mul(1 << doublings)
            .min(self.max_delay)
    }

    /// What to record about a message that failed once more at `now`: its attempts and next
    /// attempt, or death when it has had all its attempts.
    pub fn after_failure(
        &self,
        message: &OutboxMessage,
        error: String,
        now: DateTime<Utc>,
    ) -> MailFailure {
        let attempts = message.attempts.saturating_add(1);
        let retry_at = (attempts < self.max_attempts).then(|| {
            let wait = i64::try_from(self.delay(attempts).as_millis()).unwrap_or(i64::MAX);
            epoch_millis(now).saturating_add(wait)
        });
        MailFailure {
            id: message.id.clone(),
            attempts,
            retry_at,
            error,
        }
    }
}

/// What one drain did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Drained {
    /// Messages sent.
    pub sent: usize,
    /// Messages that failed and will be tried again after their back-off.
    pub deferred: usize,
    /// Messages that failed for the last time (dead letters).
    pub dead: usize,
}

/// How many messages the worker takes at a time: they are sent, then marked in one transaction.
pub const PAGE: usize = 100;

/// The largest page [`drain`] takes, whatever it is asked: it keeps the marking statement's
/// parameters (two per message) well below the databases' limits.
const MAX_PAGE: usize = 1_000;

/// Sends what is due in the outbox, a page of [`PAGE`] after the other; answers how many were
/// sent.
pub async fn drain_once(store: &Store, mailer: &dyn Mailer) -> Result<usize, StoreError> {
    drain(store, mailer, PAGE).await
}

/// Sends what is due in the outbox now in pages of `page` messages, with the default [`Retry`];
/// answers how many were sent (see [`drain_at`]).
pub async fn drain(store: &Store, mailer: &dyn Mailer, page: usize) -> Result<usize, StoreError> {
    Ok(drain_at(store, mailer, page, &Retry::default(), Utc::now())
        .await?
        .sent)
}

/// Sends what is due at `now` in pages of `page` messages: each page is sent (each message within
/// `retry.send_timeout`), then marked in one transaction: the messages that went out as sent, the
/// others with one more attempt and the time of the next (or dead after the last). A failed
/// message is thus not due again at once, and the next page holds the messages behind it: one that
/// always fails never blocks the others. Goes on while pages come back full and something of them
/// was sent; a page that is not full means nothing more is due, and a page of which nothing could
/// be sent means the mailer is failing: both end the drain. A crash between sending and marking
/// sends those messages again after the restart (at least once; see `store/outbox.rs`).
pub async fn drain_at(
    store: &Store,
    mailer: &dyn Mailer,
    page: usize,
    retry: &Retry,
    now: DateTime<Utc>,
) -> Result<Drained, StoreError> {
    let page = page.clamp(1, MAX_PAGE);
    let limit = i64::try_from(page).unwrap_or(i64::MAX);
    let mut drained = Drained::default();
    loop {
        let taken = store.take_mail_at(limit, epoch_millis(now)).await?;
        let mut delivered = Vec::with_capacity(taken.messages.len());
        let mut failed = Vec::new();
        for message in &taken.messages {
            let outcome = tokio::time::timeout(retry.send_timeout, mailer.send(message))
                .await
                .unwrap_or_else(|_| Err("the send timed out".to_owned()));
            match outcome {
                Ok(()) => delivered.push(message.id.clone()),
                Err(error) => {
                    let failure = retry.after_failure(message, error, now);
                    if failure.retry_at.is_some() {
                        tracing::warn!(id = %message.id, attempts = failure.attempts,
                            error = %failure.error, "e-mail not sent; will retry");
                        drained.deferred += 1;
                    } else {
                        tracing::error!(id = %message.id, attempts = failure.attempts,
                            error = %failure.error, "e-mail not sent; given up (dead letter)");
                        drained.dead += 1;
                    }
                    failed.push(failure);
                }
            }
        }
        let full = taken.messages.len() == page;
        let progress = !delivered.is_empty();
        drained.sent += delivered.len();
        taken.mark(delivered, failed, &now.to_rfc3339()).await?;
        if !full || !progress {
            return Ok(drained);
        }
    }
}

/// Runs the worker until the task is dropped: drains what is due (page after page), then sleeps
/// `idle` before looking again; a failure is logged and retried after `idle` too.
pub async fn run(store: Store, mailer: Arc<dyn Mailer>, retry: Retry, idle: Duration) {
    loop {
        if let Err(error) = drain_at(&store, mailer.as_ref(), PAGE, &retry, Utc::now()).await {
            tracing::warn!(%error, "outbox worker failed; will retry");
        }
        tokio::time::sleep(idle).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(attempts: u32) -> OutboxMessage {
        OutboxMessage {
            id: "mail_1".to_owned(),
            recipient: "a@example.com".to_owned(),
            subject: "Receipt".to_owned(),
            body: "Thanks".to_owned(),
            attempts,
        }
    }

    #[test]
    fn the_back_off_doubles_up_to_its_ceiling() {
        let retry = Retry::default();
        let seconds: Vec<u64> = (1..=10).map(|n| retry.delay(n).as_secs()).collect();
        assert_eq!(
            seconds,
            [30, 60, 120, 240, 480, 960, 1920, 3840, 7200, 7200]
        );
        assert_eq!(retry.delay(u32::MAX), retry.max_delay);
    }

    #[test]
    fn a_failure_is_retried_later_until_the_last_attempt_makes_it_dead() {
        let retry = Retry::default();
        let now = DateTime::parse_from_rfc3339("2026-11-16T10:00:00Z")
            .expect("a time")
            .with_timezone(&Utc);
        let first = retry.after_failure(&message(0), "refused".to_owned(), now);
        assert_eq!(first.attempts, 1);
        assert_eq!(first.retry_at, Some(epoch_millis(now) + 30_000));
        let ninth = retry.after_failure(&message(8), "refused".to_owned(), now);
        assert_eq!(ninth.attempts, 9);
        assert_eq!(ninth.retry_at, Some(epoch_millis(now) + 7_200_000));
        let last = retry.after_failure(&message(9), "refused".to_owned(), now);
        assert_eq!(last.attempts, 10);
        assert_eq!(last.retry_at, None, "the tenth failure is the last");
    }

    #[test]
    fn a_bad_smtp_url_or_sender_is_refused_and_credentials_are_not_shown() {
        let timeout = Duration::from_secs(1);
        assert!(matches!(
            SmtpMailer::new("smtps://mail.example", "a@example.com", timeout),
            Err(MailError::SmtpUrl(_))
        ));
        assert!(matches!(
            SmtpMailer::new("smtp://127.0.0.1:2525", "not an address", timeout),
            Err(MailError::Sender(_))
        ));
        let mailer = SmtpMailer::new(
            "smtp://user:secret@127.0.0.1:2525",
            "Billing <billing@example.com>",
            timeout,
        )
        .expect("a mailer");
        assert_eq!(mailer.describe(), "smtp://127.0.0.1:2525");
        assert!(!format!("{mailer:?}").contains("secret"));
    }
}
