//! `checkout-server`: reads the command line, opens the store, seeds the demo, serves.

use std::sync::Arc;
use std::time::Duration;

use checkout_server::mail::{LogMailer, run};
use checkout_server::ordering::reconcile;
use checkout_server::payments::{Fault, TestPaymentProvider};
use checkout_server::store::Store;
use checkout_server::{AppState, Clock, Config, app, demo};
use clap::Parser;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let config = Config::parse();
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    if config.log_json {
        tracing_subscriber::fmt()
            .json()
            .with_env_filter(filter)
            .init();
    } else {
        tracing_subscriber::fmt().with_env_filter(filter).init();
    }
    if cfg!(panic = "abort") {
        // The catch-panic layer can only answer 500 when a panic unwinds; built with the
        // workspace's release profile (tuned for the wasm bundle) one panic ends the process.
        tracing::warn!(
            "built with panic = \"abort\": a panicking request stops the server; build with `--profile server`"
        );
    }
    match serve(config).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "the server stopped");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn serve(config: Config) -> Result<(), Box<dyn std::error::Error>> {
    let store = Store::connect(&config.database_url).await?;
    tracing::info!(backend = ?store.backend(), "store ready");
    if config.demo {
        if demo::seed(&store).await? {
            println!("Demo accounts seeded. Sign in with:");
        } else {
            println!("The store already holds data; demo sign-ins (if seeded earlier):");
        }
        for (who, email, password) in demo::SIGN_INS {
            println!("  {email:<28} {password:<20} {who}");
        }
    }
    let clock = config.clock.map_or_else(Clock::system, Clock::fixed);
    let reconcile_after = Duration::from_secs(config.reconcile_after);
    let mut state = AppState::new(store.clone(), clock).with_reconcile_after(reconcile_after);
    if let Some(fault) = Fault::from_env() {
        tracing::warn!(?fault, "the test payment provider simulates a fault");
        state = state.with_payments(Arc::new(
            TestPaymentProvider::new(store.clone()).with_fault(Some(fault)),
        ));
    }
    // S21: a first round finishes the payment attempts a stopped process left, then one round
    // every half delay.
    let reconciler = tokio::spawn(reconcile::run(state.clone(), reconcile_after / 2));
    // The outbox worker drains all that waits, then looks again after a second.
    let worker = tokio::spawn(run(
        store.clone(),
        Arc::new(LogMailer),
        Duration::from_secs(1),
    ));
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    tracing::info!(address = %listener.local_addr()?, today = %clock.today(), "listening");
    let router =
        app(state, &config.http()).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    worker.abort();
    reconciler.abort();
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::warn!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::warn!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
