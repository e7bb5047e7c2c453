//! `checkout-server`: reads the command line, opens the store, seeds the demo, serves.

use std::sync::Arc;
use std::time::Duration;

use checkout_server::config::PaymentsChoice;
use checkout_server::mail::{LogMailer, Mailer, Retry, SmtpMailer, run};
use checkout_server::ordering::reconcile;
use checkout_server::payments::{Fault, TestPaymentProvider};
use checkout_server::renewals;
use checkout_server::serve::Stopped;
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
    // Refused before anything else happens: a server that would take orders without taking money
    // must not start by accident (the start-up lines below say what it runs with).
    let payments = config.payments()?;
    let mailer: Arc<dyn Mailer> = match &config.smtp_url {
        Some(url) => Arc::new(SmtpMailer::new(
            url,
            &config.mail_from,
            Duration::from_secs(config.mail_timeout.max(1)),
        )?),
        None => Arc::new(LogMailer),
    };
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
    println!("Payments: {}", payments.describe());
    println!("Mail: {}", mailer.describe());
    tracing::info!(payments = payments.describe(), mail = %mailer.describe(), "providers");
    let clock = config.clock.map_or_else(Clock::system, Clock::fixed);
    let reconcile_after = Duration::from_secs(config.reconcile_after);
    let mut state = AppState::new(store.clone(), clock)
        .with_trusted_proxy_header(config.trusted_proxy_header.clone())
        .with_reconcile_after(reconcile_after);
    // The test provider's own card page (R25) listens on another port, so it is another origin
    // than the checkout: a card number typed there never reaches the checkout or this API.
    let card_page = match payments {
        PaymentsChoice::Test => {
            let listener = tokio::net::TcpListener::bind(config.card_page_addr).await?;
            let base = format!("http://{}", listener.local_addr()?);
            println!("Card page: {base}");
            tracing::info!(address = %base, "the test provider's card page");
            let fault = Fault::from_env();
            if let Some(fault) = fault {
                tracing::warn!(?fault, "the test payment provider simulates a fault");
            }
            state = state.with_payments(Arc::new(
                TestPaymentProvider::new(store.clone())
                    .with_card_page(&base)
                    .with_fault(fault),
            ));
            let router = checkout_server::card_page::router(store.clone(), clock);
            let options = config.serve();
            Some(tokio::spawn(async move {
                checkout_server::serve::serve(listener, router, options, std::future::pending())
                    .await
            }))
        }
    };
    // S21: a first round finishes the payment attempts a stopped process left, then one round
    // every half delay.
    let reconciler = tokio::spawn(reconcile::run(state.clone(), reconcile_after / 2));
    // R31: the renewal worker charges the renewals due today, at start and then on an interval.
    let renewer = tokio::spawn(renewals::run(
        state.clone(),
        Duration::from_secs(config.renew_every),
    ));
    // The outbox worker drains what is due, then looks again after a second.
    let retry = Retry {
        send_timeout: Duration::from_secs(config.mail_timeout.max(1)),
        ..Retry::default()
    };
    let worker = tokio::spawn(run(store.clone(), mailer, retry, Duration::from_secs(1)));
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    tracing::info!(address = %listener.local_addr()?, today = %clock.today(), "listening");
    let options = config.serve();
    let router = app(state, &config.http());
    if checkout_server::serve::serve(listener, router, options, shutdown_signal()).await
        == Stopped::Forced
    {
        tracing::warn!("stopped without waiting for every connection");
    }
    worker.abort();
    reconciler.abort();
    renewer.abort();
    if let Some(card_page) = card_page {
        card_page.abort();
    }
    // Closing waits for the pool's connections to come back; a request still running after the
    // grace period must not hold the exit either.
    if tokio::time::timeout(options.shutdown_grace, store.close())
        .await
        .is_err()
    {
        tracing::warn!("the store did not close in time");
    }
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
