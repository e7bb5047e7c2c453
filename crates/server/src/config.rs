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
    /// How old, in seconds, an unfinished payment attempt must be before the reconciler finishes
    /// it (completes its order or refunds its charge, S21); it also runs every half of this.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    pub reconcile_after: u64,
}

impl Config {
    /// The HTTP settings of the router.
    pub fn http(&self) -> HttpConfig {
        HttpConfig {
            static_dir: Some(self.static_dir.clone()),
            cors_origins: self.cors_origins.clone(),
            request_timeout: Duration::from_secs(self.request_timeout),
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
}

impl Default for HttpConfig {
    fn default() -> HttpConfig {
        HttpConfig {
            static_dir: None,
            cors_origins: Vec::new(),
            request_timeout: Duration::from_secs(30),
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
}
