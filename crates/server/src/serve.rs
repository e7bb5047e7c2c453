//! The accept loop: serves the router over TCP with the timeouts that slow and idle clients need,
//! and a graceful shutdown that a stalled client cannot hold up.
//!
//! `axum::serve` sets no timer on its connections, so a client that sends half a request line (or
//! keeps an idle keep-alive connection) holds a connection, and a graceful shutdown waits for it,
//! forever. This loop serves each connection with hyper's builder instead: a connection that does
//! not deliver the head of its next request within the header-read timeout is closed. Hyper starts
//! that timer whenever the connection waits for a request head, so the same timeout bounds a
//! partial request and an idle keep-alive connection. Connections speak HTTP/1.1 only (see
//! [`serve`]). On shutdown the listener closes, idle connections end at once, requests in flight
//! may finish within the grace period, and whatever is still open after it is dropped.

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use axum::http::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tower::ServiceExt;

/// The connection settings of [`serve`].
#[derive(Clone, Copy, Debug)]
pub struct ServeOptions {
    /// How long a connection may take to send the head of its next request (the first one, or
    /// the next on a keep-alive connection) before it is closed.
    pub header_read_timeout: Duration,
    /// How long a shutdown waits for the requests in flight before it closes their connections.
    pub shutdown_grace: Duration,
}

impl Default for ServeOptions {
    fn default() -> ServeOptions {
        ServeOptions {
            header_read_timeout: Duration::from_secs(10),
            shutdown_grace: Duration::from_secs(10),
        }
    }
}

/// How a [`serve`] ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stopped {
    /// Every connection finished within the grace period.
    Gracefully,
    /// Connections were still open after the grace period, and were closed.
    Forced,
}

/// Serves `router` on `listener` until `shutdown` resolves, then shuts down as described in the
/// module's documentation. Each request carries the peer's address as [`ConnectInfo`].
pub async fn serve(
    listener: TcpListener,
    router: Router,
    options: ServeOptions,
    shutdown: impl Future<Output = ()>,
) -> Stopped {
    // HTTP/1.1 only: browsers speak HTTP/2 only over TLS, which a proxy in front terminates, and
    // a cleartext HTTP/2 connection (or its half-sent preface) would not be bound by the timer.
    let mut builder = Builder::new(TokioExecutor::new()).http1_only();
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(options.header_read_timeout);
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors, or a connection reset before it was accepted:
                    // pause a little rather than spin, and go on.
                    tracing::warn!(%error, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Answers are small and written whole: do not let Nagle's algorithm hold them back.
        let _ = stream.set_nodelay(true);
        let service = router
            .clone()
            .map_request(move |mut request: Request<Incoming>| {
                request
                    .extensions_mut()
                    .insert(ConnectInfo::<SocketAddr>(peer));
                request
            });
        let connection = builder
            .serve_connection_with_upgrades(TokioIo::new(stream), TowerToHyperService::new(service))
            .into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // A client that goes away, times out or speaks no HTTP ends its connection with an
            // error; that is the client's business, not the server's.
            if let Err(error) = connection.await {
                tracing::debug!(%error, "connection ended");
            }
        });
    }
    drop(listener);
    let open = graceful.count();
    if open > 0 {
        tracing::info!(open, "waiting for open connections");
    }
    match tokio::time::timeout(options.shutdown_grace, graceful.shutdown()).await {
        Ok(()) => Stopped::Gracefully,
        Err(_) => {
            // The connections' tasks are dropped with the runtime, which closes their sockets.
            tracing::warn!(
                grace_seconds = options.shutdown_grace.as_secs_f64(),
                "connections still open after the grace period; closing them"
            );
            Stopped::Forced
        }
    }
}
