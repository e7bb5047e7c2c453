//! The SMTP mailer against an SMTP sink this test starts on loopback: a receipt of a placed order
//! goes out over SMTP with its recipient, subject and text, and a server that refuses the
//! recipient leaves the message for a later attempt.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::http::StatusCode;
use checkout_server::mail::{Mailer, Retry, SmtpMailer, drain_at};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

use crate::helpers::{GIULIA, TestApp, eight_seats_order};

/// What the sink received: one entry per message, the envelope's recipients and the DATA.
#[derive(Clone, Debug, Default)]
struct Received {
    recipients: Vec<String>,
    data: String,
}

/// A minimal SMTP server: greets, accepts `EHLO`/`HELO`, `MAIL`, `RCPT` (refusing recipients
/// that contain `refuse`), reads `DATA` up to the lone dot, and says goodbye on `QUIT`.
struct Sink {
    port: u16,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Sink {
    async fn start(refuse: Option<&'static str>) -> Sink {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let port = listener.local_addr().expect("an address").port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let store = Arc::clone(&received);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let store = Arc::clone(&store);
                tokio::spawn(async move {
                    let (read, mut write) = stream.into_split();
                    let mut lines = BufReader::new(read).lines();
                    let mut current = Received::default();
                    let _ = write.write_all(b"220 sink ESMTP\r\n").await;
                    while let Ok(Some(line)) = lines.next_line().await {
                        let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
                        let answer: &[u8] = match verb.as_str() {
                            "EHLO" | "HELO" => b"250 sink\r\n",
                            "MAIL" => b"250 OK\r\n",
                            "RCPT" if refuse.is_some_and(|r| line.contains(r)) => {
                                b"550 no such mailbox\r\n"
                            }
                            "RCPT" => {
                                current.recipients.push(line.clone());
                                b"250 OK\r\n"
                            }
                            "DATA" => {
                                let _ = write.write_all(b"354 end with a dot\r\n").await;
                                while let Ok(Some(data)) = lines.next_line().await {
                                    if data == "." {
                                        break;
                                    }
                                    current.data.push_str(&data);
                                    current.data.push('\n');
                                }
                                store
                                    .lock()
                                    .unwrap_or_else(PoisonError::into_inner)
                                    .push(std::mem::take(&mut current));
                                b"250 queued\r\n"
                            }
                            "RSET" | "NOOP" => b"250 OK\r\n",
                            "QUIT" => {
                                let _ = write.write_all(b"221 bye\r\n").await;
                                break;
                            }
                            _ => b"502 not implemented\r\n",
                        };
                        if write.write_all(answer).await.is_err() {
                            break;
                        }
                    }
                });
            }
        });
        Sink { port, received }
    }

    fn received(&self) -> Vec<Received> {
        self.received
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn mailer(&self) -> SmtpMailer {
        SmtpMailer::new(
            &format!("smtp://127.0.0.1:{}", self.port),
            "Billing Center <billing@example.com>",
            Duration::from_secs(5),
        )
        .expect("a mailer")
    }
}

#[tokio::test]
async fn a_receipt_goes_out_over_smtp_to_the_sink() {
    let sink = Sink::start(None).await;
    let app = TestApp::spawn().await;
    let token = app.sign_in(GIULIA).await;
    let placed = app.order(&token, "smtp", &eight_seats_order("pm_1")).await;
    assert_eq!(placed.status, StatusCode::CREATED);
    let pending = app.state.store.pending_mail(10).await.expect("pending");
    assert_eq!(pending.len(), 1);
    let receipt = &pending[0];
    let mailer = sink.mailer();
    assert_eq!(mailer.describe(), format!("smtp://127.0.0.1:{}", sink.port));
    let drained = drain_at(
        &app.state.store,
        &mailer,
        10,
        &Retry::default(),
        chrono::Utc::now(),
    )
    .await
    .expect("drained");
    assert_eq!(drained.sent, 1);
    let received = sink.received();
    assert_eq!(received.len(), 1, "{received:?}");
    assert!(received[0].recipients[0].contains(GIULIA.0), "{received:?}");
    let data = &received[0].data;
    assert!(
        data.contains(&format!("Subject: {}", receipt.subject)),
        "{data}"
    );
    assert!(
        data.contains("From: \"Billing Center\" <billing@example.com>")
            || data.contains("From: Billing Center <billing@example.com>"),
        "{data}"
    );
    assert!(data.contains(GIULIA.0), "{data}");
    // The text is there (its first line, as the receipt wrote it).
    let first_line = receipt.body.lines().next().expect("a receipt text");
    assert!(data.contains(first_line.trim()), "{data}");
    assert_eq!(app.state.store.unsent_count().await.expect("count"), 0);
}

#[tokio::test]
async fn a_recipient_the_server_refuses_is_retried_later() {
    let sink = Sink::start(Some("giulia")).await;
    let app = TestApp::spawn().await;
    let token = app.sign_in(GIULIA).await;
    let placed = app.order(&token, "smtp", &eight_seats_order("pm_1")).await;
    assert_eq!(placed.status, StatusCode::CREATED);
    let now = chrono::Utc::now();
    let drained = drain_at(&app.state.store, &sink.mailer(), 10, &Retry::default(), now)
        .await
        .expect("drained");
    assert_eq!((drained.sent, drained.deferred), (0, 1));
    assert!(sink.received().is_empty());
    assert_eq!(app.state.store.unsent_count().await.expect("count"), 1);
    // Not due again at once (the back-off).
    assert!(
        app.state
            .store
            .pending_mail(10)
            .await
            .expect("pending")
            .is_empty()
    );
}
