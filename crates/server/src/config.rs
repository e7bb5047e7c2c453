//! The command line (api.md "Server conventions") and the clock it can fix.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use clap::Parser;

/// The order server of the checkout.
#[derive(Clone, Debug, Parser)]
#[command(name = "checkout-server", version, about)]
pub struct Config {
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// The database: a SQLite file (path or `sqlite:` URL; created with its directory) or a
    /// `postgres://` URL.
    #[arg(long, default_value = "./data/checkout.db")]
    pub database_url: String,
    /// Fixes "today" (`YYYY-MM-DD`, R9); without it the UTC date is used.
    #[arg(long)]
    pub clock: Option<NaiveDate>,
    /// Seeds the demo accounts into an empty store and prints how to sign in.
    #[arg(long)]
    pub demo: bool,
    /// The built web app (Trunk's `dist/`), served at `/` when it exists.
    #[arg(long, default_value = "./dist")]
    pub static_dir: PathBuf,
    /// An origin allowed to call the API from a browser (CORS); repeatable.
    #[arg(long = "cors-origin")]
    pub cors_origins: Vec<String>,
    /// Writes the logs as JSON lines instead of text.
    #[arg(long)]
    pub log_json: bool,
    /// How long one request may take, in seconds.
    #[arg(long, default_value_t = 30)]
    pub request_timeout: u64,
    /// How long a connection may take to send the head of its next request, in seconds: a
    /// partial request and an idle keep-alive connection are closed after it.
    #[arg(long, default_value_t = 10)]
    pub header_read_timeout: u64,
    /// How long a shutdown (SIGTERM, Ctrl-C) waits for requests in flight, in seconds, before it
    /// closes the connections still open.
    #[arg(long, default_value_t = 10)]
    pub shutdown_grace: u64,
    /// Allows the test payment provider, which charges nothing real, outside `--demo`. Without a
    /// real provider configured the server refuses to start unless this or `--demo` is given.
    #[arg(long)]
    pub test_payments: bool,
    /// Sends e-mail through this SMTP server (`smtp://[user:password@]host[:port]`, plain SMTP:
    /// a relay on loopback or a private network); without it e-mails are only logged.
    #[arg(long)]
    pub smtp_url: Option<String>,
    /// The sender of the e-mails sent through `--smtp-url`.
    #[arg(long, default_value = "Billing Center <billing@localhost>")]
    pub mail_from: String,
    /// How long one e-mail may take to send, in seconds, before it counts as failed.
    #[arg(long, default_value_t = 10)]
    pub mail_timeout: u64,
    /// Says that clients reach the server over HTTPS (a TLS proxy in front): answers then carry
    /// `Strict-Transport-Security`.
    #[arg(long)]
    pub behind_tls: bool,
    /// The header in which a trusted reverse proxy puts the client's address (such as
    /// `X-Forwarded-For`); the sign-in limits then count its last address (S30). Set it only
    /// when every connection comes through that proxy: a client could write the header itself.
    #[arg(long)]
    pub trusted_proxy_header: Option<axum::http::HeaderName>,
    /// How old, in seconds, an unfinished payment attempt must be before the reconciler finishes
    /// it (completes its order or refunds its charge, S21); it also runs every half of this.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    pub reconcile_after: u64,
    /// How often, in seconds, the renewal worker looks for renewals due today and charges them
    /// (R31); it also runs at start.
    #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..))]
    pub renew_every: u64,
    /// Where the test payment provider serves its own card page (R25), another origin than the
    /// checkout; with port 0 (the default) the system picks a free port, printed at start as
    /// `Card page: http://...`. Only with the test provider (`--demo`, `--test-payments`); a
    /// real provider serves its own page.
    #[arg(long, default_value = "127.0.0.1:0")]
    pub card_page_addr: SocketAddr,
}

impl Config {
    /// The HTTP settings of the router.
    pub fn http(&self) -> HttpConfig {
        HttpConfig {
            static_dir: Some(self.static_dir.clone()),
            cors_origins: self.cors_origins.clone(),
            request_timeout: Duration::from_secs(self.request_timeout),
            hsts: self.behind_tls,
        }
    }

    /// The connection settings of the accept loop.
    pub fn serve(&self) -> crate::serve::ServeOptions {
        crate::serve::ServeOptions {
            header_read_timeout: Duration::from_secs(self.header_read_timeout.max(1)),
            shutdown_grace: Duration::from_secs(self.shutdown_grace),
        }
    }
}

/// Why the server refuses to start with this command line.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// Only the test payment provider is available, and nothing asked for it.
    #[error(
        "refusing to start with the test payment provider, which takes no real money: pass \
         `--test-payments` (or `--demo`) to run with it on purpose"
    )]
    TestPaymentsNotAllowed,
}

/// The payment provider the server charges through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaymentsChoice {
    /// `payments::TestPaymentProvider`: charges nothing real (cards ending `0002` are declined).
    Test,
}

impl PaymentsChoice {
    /// The start-up message's name of the provider.
    pub fn describe(self) -> &'static str {
        match self {
            PaymentsChoice::Test => {
                "the TEST provider (no real money moves; cards ending 0002 are declined)"
            }
        }
    }
}

impl Config {
    /// The payment provider to use. This server has no real provider yet, so this is the test
    /// provider, and only when `--demo` or `--test-payments` asks for it: a production start
    /// without a provider must fail loudly rather than take orders without taking money.
    pub fn payments(&self) -> Result<PaymentsChoice, ConfigError> {
        if self.demo || self.test_payments {
            Ok(PaymentsChoice::Test)
        } else {
            Err(ConfigError::TestPaymentsNotAllowed)
        }
    }
}

/// What the router needs to know about the outside world.
#[derive(Clone, Debug)]
pub struct HttpConfig {
    /// The web app to serve at `/`, when the directory exists.
    pub static_dir: Option<PathBuf>,
    /// The origins allowed by CORS.
    pub cors_origins: Vec<String>,
    /// The request timeout.
    pub request_timeout: Duration,
    /// Whether to send `Strict-Transport-Security` (the server is reached over HTTPS only).
    pub hsts: bool,
}

impl Default for HttpConfig {
    fn default() -> HttpConfig {
        HttpConfig {
            static_dir: None,
            cors_origins: Vec::new(),
            request_timeout: Duration::from_secs(30),
            hsts: false,
        }
    }
}

/// "Today" for billing (R9): the UTC date, or a fixed date.
#[derive(Clone, Copy, Debug, Default)]
pub struct Clock {
    fixed: Option<NaiveDate>,
}

impl Clock {
    /// The real UTC clock.
    pub fn system() -> Clock {
        Clock { fixed: None }
    }

    /// A clock whose today is always `date`.
    pub fn fixed(date: NaiveDate) -> Clock {
        Clock { fixed: Some(date) }
    }

    /// The billing date.
    pub fn today(&self) -> NaiveDate {
        self.fixed.unwrap_or_else(|| Utc::now().date_naive())
    }

    /// The moment an order is placed: today's date at the current UTC time of day.
    pub fn now(&self) -> DateTime<Utc> {
        let now = Utc::now();
        match self.fixed {
            None => now,
            Some(date) => date.and_time(now.time()).and_utc(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_follow_the_server_conventions() {
        let config = Config::try_parse_from(["checkout-server"]).expect("parses");
        assert_eq!(config.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(config.database_url, "./data/checkout.db");
        assert_eq!(config.static_dir, PathBuf::from("./dist"));
        assert!(!config.demo);
        assert!(config.clock.is_none());
        assert!(config.cors_origins.is_empty());
        assert!(!config.test_payments && !config.behind_tls);
        assert!(config.smtp_url.is_none());
        assert_eq!(config.serve().header_read_timeout, Duration::from_secs(10));
        assert_eq!(config.serve().shutdown_grace, Duration::from_secs(10));
    }

    #[test]
    fn clock_demo_and_repeated_cors_origins_are_read() {
        let config = Config::try_parse_from([
            "checkout-server",
            "--clock",
            "2026-11-16",
            "--demo",
            "--cors-origin",
            "https://a.example",
            "--cors-origin",
            "https://b.example",
            "--database-url",
            "postgres://localhost/checkout",
        ])
        .expect("parses");
        let today = NaiveDate::from_ymd_opt(2026, 11, 16).expect("a date");
        assert_eq!(config.clock, Some(today));
        assert_eq!(Clock::fixed(today).today(), today);
        assert_eq!(Clock::fixed(today).now().date_naive(), today);
        assert!(config.demo);
        assert_eq!(config.cors_origins.len(), 2);
        assert!(Config::try_parse_from(["checkout-server", "--clock", "16/11/2026"]).is_err());
    }

    #[test]
    fn the_test_payment_provider_needs_demo_or_its_own_flag() {
        let payments = |args: &[&str]| {
            let mut argv = vec!["checkout-server"];
            argv.extend_from_slice(args);
            Config::try_parse_from(argv).expect("parses").payments()
        };
        assert!(matches!(
            payments(&[]),
            Err(ConfigError::TestPaymentsNotAllowed)
        ));
        assert_eq!(payments(&["--demo"]).ok(), Some(PaymentsChoice::Test));
        assert_eq!(
            payments(&["--test-payments"]).ok(),
            Some(PaymentsChoice::Test)
        );
    }
}
