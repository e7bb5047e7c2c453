//! `loadgen`: benchmarks of the order server on loopback (127.0.0.1 only), bounded in time and
//! in requests.
//!
//! - `loadgen load`: seeds a fresh store (SQLite file or a throw-away PostgreSQL cluster) with the
//!   demo data and load accounts, measures the raw rate of single-row transactions on that store,
//!   starts the server binary, signs every load account in once, then measures quotes per second
//!   and orders per second (with a share of idempotent replays), with p50/p90/p99 latencies, and
//!   checks the store's consistency afterwards.
//! - `loadgen crash`: the same order load (SQLite or PostgreSQL), killing the server with SIGKILL mid-load,
//!   restarting it, and checking that every acknowledged order is stored exactly once and nothing
//!   is partial; exits non-zero on any violation.

mod check;
mod http;
mod setup;
mod stats;
mod work;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand, ValueEnum};

use crate::setup::{Error, PgCluster, Server};
use crate::work::{Limits, Mode, Outcome, Slot};

/// Load, crash-safety and raw-store benchmarks of checkout-server, on loopback only.
#[derive(Debug, Parser)]
#[command(name = "loadgen")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The store under test.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Backend {
    /// A SQLite file in a temporary directory.
    Sqlite,
    /// A throw-away PostgreSQL cluster (from /usr/lib/postgresql/*/bin).
    Postgres,
}

/// Settings both commands share.
#[derive(Debug, clap::Args)]
struct Common {
    /// The `checkout-server` binary to start.
    #[arg(long)]
    server_bin: PathBuf,
    /// Concurrent workers, one keep-alive connection each.
    #[arg(long, default_value_t = 8)]
    workers: usize,
    /// Load accounts (at least one per worker); each signs in once.
    #[arg(long, default_value_t = 32)]
    accounts: usize,
    /// The share of orders that re-send the previous order with its key (R23 replays).
    #[arg(long, default_value_t = 0.1)]
    replay_share: f64,
    /// Server processes on the one database (PostgreSQL only; SQLite serves one process); the
    /// workers are spread over them.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=8))]
    processes: u64,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Quotes/s and orders/s with latencies, and the raw transaction rate of the store.
    Load {
        #[command(flatten)]
        common: Common,
        /// The store.
        #[arg(long, value_enum, default_value_t = Backend::Sqlite)]
        backend: Backend,
        /// Seconds of each phase (raw transactions, quotes, orders).
        #[arg(long, default_value_t = 5.0)]
        seconds: f64,
        /// At most this many requests (or raw transactions) per phase.
        #[arg(long, default_value_t = 200_000)]
        max_requests: u64,
    },
    /// SIGKILL mid-load, restart, check the store; fails on any inconsistency.
    Crash {
        #[command(flatten)]
        common: Common,
        /// The store.
        #[arg(long, value_enum, default_value_t = Backend::Sqlite)]
        backend: Backend,
        /// Kill/restart rounds, on the same store.
        #[arg(long, default_value_t = 3)]
        rounds: usize,
        /// Milliseconds of load before each kill (rounds vary it from this to twice this).
        #[arg(long, default_value_t = 800)]
        kill_after_ms: u64,
    },
}

fn per_worker(total: u64, workers: usize) -> u64 {
    total.div_ceil(workers as u64).max(1)
}

fn print_errors(outcome: &Outcome) {
    if outcome.no_answer > 0 {
        println!("  requests without answer: {}", outcome.no_answer);
    }
    for (what, count) in &outcome.errors {
        println!("  unexpected answers {what}: {count}");
    }
}

/// Prints the server's CPU time over a phase and per request of it.
fn print_cpu(before: Option<Duration>, after: Option<Duration>, requests: usize, what: &str) {
    if let (Some(before), Some(after)) = (before, after) {
        let used = after.saturating_sub(before).as_secs_f64();
        println!(
            "  server CPU: {used:.2} s, {:.3} ms per {what}",
            used * 1e3 / requests.max(1) as f64
        );
    }
}

/// Refuses several server processes on SQLite, which serves one (the server refuses too).
fn check_processes(common: &Common, backend: Backend) -> Result<(), Error> {
    if common.processes > 1 && backend == Backend::Sqlite {
        return Err(
            "SQLite serves one server process: --processes needs --backend postgres".into(),
        );
    }
    Ok(())
}

/// The log file of server process `n` in `dir`.
fn log_of(dir: &std::path::Path, n: usize) -> PathBuf {
    dir.join(format!("server-{n}.log"))
}

/// Starts the server processes (the first one alone, which migrates the empty database; then the
/// others) and signs every load account in once.
async fn start_with_accounts(
    common: &Common,
    url: &str,
    dir: &std::path::Path,
) -> Result<(Vec<Server>, Vec<Slot>), Error> {
    // Read before any server runs: a SQLite store serves one process at a time.
    let accounts = setup::load_accounts(url, common.accounts).await?;
    let mut servers = Vec::new();
    for n in 0..common.processes as usize {
        servers.push(Server::start(&common.server_bin, url, &log_of(dir, n)).await?);
    }
    let started = Instant::now();
    let tokens = setup::sign_in(servers[0].addr, common.accounts).await?;
    println!(
        "signed in {} load accounts once each in {:.2}s (argon2)",
        tokens.len(),
        started.elapsed().as_secs_f64()
    );
    let slots = tokens
        .into_iter()
        .zip(accounts)
        .enumerate()
        .map(|(index, (token, account))| Slot::new(index, token, account))
        .collect();
    Ok((servers, slots))
}

/// The addresses of the servers.
fn addrs(servers: &[Server]) -> Vec<std::net::SocketAddr> {
    servers.iter().map(|server| server.addr).collect()
}

/// The CPU time of all the servers together.
fn cpu_time(servers: &[Server]) -> Option<Duration> {
    servers.iter().map(Server::cpu_time).sum()
}

async fn load(common: Common, backend: Backend, seconds: f64, max: u64) -> Result<bool, Error> {
    check_processes(&common, backend)?;
    let dir = tempfile::tempdir()?;
    let cluster;
    let url = match backend {
        Backend::Sqlite => dir.path().join("checkout.db").display().to_string(),
        Backend::Postgres => {
            cluster = PgCluster::start()?;
            cluster.url.clone()
        }
    };
    println!(
        "backend={backend:?} processes={} workers={} accounts={} replay_share={} seconds/phase={seconds} max/phase={max}",
        common.processes, common.workers, common.accounts, common.replay_share
    );
    setup::seed(&url, common.accounts).await?;
    // The first level is the reference: FULL, the server's own setting, so that a commit survives a
    // power failure as an acknowledged order must; NORMAL (no fsync per commit in WAL mode) is
    // printed for information only.
    let levels: &[&str] = match backend {
        Backend::Sqlite => &["FULL", "NORMAL"],
        Backend::Postgres => &["(server default: fsync on, synchronous_commit on)"],
    };
    let mut limit = None;
    for level in levels {
        let (samples, elapsed) = check::raw_transactions(&url, level, seconds, max).await?;
        let label = match backend {
            Backend::Sqlite => format!("raw tx synchronous={level}"),
            Backend::Postgres => "raw tx".to_owned(),
        };
        println!("{}", samples.summary(&label, elapsed));
        limit.get_or_insert(samples.len() as f64 / elapsed.as_secs_f64());
    }
    let (servers, slots) = start_with_accounts(&common, &url, dir.path()).await?;
    let addrs = addrs(&servers);
    let limits = |requests| Limits {
        deadline: Instant::now() + Duration::from_secs_f64(seconds),
        max_requests: per_worker(requests, common.workers),
        tag: 0,
    };
    let cpu_before_quotes = cpu_time(&servers);
    let (quotes, slots, elapsed) = work::run(
        &addrs,
        common.workers,
        slots,
        Mode::Quotes,
        0.0,
        limits(max),
    )
    .await;
    println!("{}", quotes.quotes.summary("quotes", elapsed));
    print_cpu(
        cpu_before_quotes,
        cpu_time(&servers),
        quotes.quotes.len(),
        "quote",
    );
    print_errors(&quotes);
    let cpu_before_orders = cpu_time(&servers);
    let logs: Vec<(PathBuf, u64)> = (0..servers.len())
        .map(|n| {
            let log = log_of(dir.path(), n);
            let from = std::fs::metadata(&log).map_or(0, |m| m.len());
            (log, from)
        })
        .collect();
    let (orders, _slots, elapsed) = work::run(
        &addrs,
        common.workers,
        slots,
        Mode::Orders,
        common.replay_share,
        limits(max),
    )
    .await;
    println!("{}", orders.orders.summary("orders (new)", elapsed));
    println!("{}", orders.replays.summary("orders (replays)", elapsed));
    let mut all = orders.orders.clone();
    all.extend(orders.replays.clone());
    println!("{}", all.summary("orders (all)", elapsed));
    print_cpu(
        cpu_before_orders,
        cpu_time(&servers),
        all.len(),
        "order (new or replay)",
    );
    print_errors(&orders);
    // The writer logs once a second of writing, so the phase's last fraction of a second is not
    // in the tally: a mean over the rest of the phase.
    let tally = logs
        .iter()
        .filter_map(|(log, from)| setup::writer_tally(log, *from))
        .reduce(|(w1, c1), (w2, c2)| (w1 + w2, c1 + c2));
    if let Some((writes, commits)) = tally {
        println!(
            "store writer (from the server's log): {writes} writes in {commits} commits, {:.2} writes per commit",
            writes as f64 / commits.max(1) as f64
        );
    }
    // The outbox worker sends the receipts while orders come in; what it has not sent when the
    // orders stop shows whether it keeps up.
    let (unsent, receipts) = check::outbox_backlog(&url).await?;
    println!("outbox at the end of the orders: {unsent} of {receipts} receipts unsent");
    drop(servers);
    // The reference again, right after the orders: on a disk shared with other work the fsync
    // rate moves within minutes, and the two measurements bracket the one of the orders.
    let (samples, again) = check::raw_transactions(&url, levels[0], seconds, max).await?;
    println!("{}", samples.summary("raw tx again (ref.)", again));
    let after = samples.len() as f64 / again.as_secs_f64();
    if let Some(limit) = limit {
        let rate = orders.orders.len() as f64 / elapsed.as_secs_f64();
        println!(
            "new orders/s vs raw durable single-row tx/s of the store (before / after the load): {rate:.1} / {limit:.1} = {:.2}, {rate:.1} / {after:.1} = {:.2} (target >= 0.50); order p99 {:.2} ms (target < 20 ms)",
            rate / limit,
            rate / after,
            all.p99_ms()
        );
    }
    let report = check::verify(&url, common.accounts, &orders.acked).await?;
    println!(
        "store check: {} orders stored, {} acknowledged, {} violations",
        report.stored,
        report.acknowledged,
        report.violations.len()
    );
    for violation in report.violations.iter().take(20) {
        println!("  VIOLATION: {violation}");
    }
    Ok(report.violations.is_empty() && orders.errors.is_empty() && quotes.errors.is_empty())
}

async fn crash(
    common: Common,
    backend: Backend,
    rounds: usize,
    kill_after_ms: u64,
) -> Result<bool, Error> {
    check_processes(&common, backend)?;
    let dir = tempfile::tempdir()?;
    let log = log_of(dir.path(), 0);
    let cluster;
    let url = match backend {
        Backend::Sqlite => dir.path().join("checkout.db").display().to_string(),
        Backend::Postgres => {
            cluster = PgCluster::start()?;
            cluster.url.clone()
        }
    };
    println!(
        "crash: backend={backend:?} processes={} (the first is killed) workers={} accounts={}",
        common.processes, common.workers, common.accounts
    );
    setup::seed(&url, common.accounts).await?;
    let (mut servers, mut slots) = start_with_accounts(&common, &url, dir.path()).await?;
    let mut acked = Vec::new();
    let mut consistent = true;
    for round in 1..=rounds {
        let kill_after = kill_after_ms + kill_after_ms * (round as u64 - 1) / rounds.max(1) as u64;
        // With one process the load ends when the kill cuts it; with several, the others would
        // serve on, so the load stops half a second after the kill.
        let load_for = if common.processes > 1 {
            Duration::from_millis(kill_after + 500)
        } else {
            Duration::from_secs(120)
        };
        let limits = Limits {
            deadline: Instant::now() + load_for,
            max_requests: u64::MAX,
            tag: round,
        };
        let addrs = addrs(&servers);
        let workers = common.workers;
        let share = common.replay_share;
        let load = tokio::spawn(async move {
            work::run(&addrs, workers, slots, Mode::Orders, share, limits).await
        });
        tokio::time::sleep(Duration::from_millis(kill_after)).await;
        servers[0].kill();
        let (outcome, back, elapsed) = load.await?;
        // A commit the server sent just before it died may still be landing (PostgreSQL goes on
        // with a statement whose client is gone); the checks read one snapshot either way, and the
        // next round continues from the settled store.
        tokio::time::sleep(Duration::from_millis(300)).await;
        let acked_now = outcome.acked.len();
        acked.extend(outcome.acked);
        let report = check::verify(&url, common.accounts, &acked).await?;
        println!(
            "crash round {round}: SIGKILL after {kill_after} ms ({:.2}s of load): {acked_now} orders acknowledged this round, {} replays, {} requests cut; store: {} orders, {} acknowledged in all, {} violations",
            elapsed.as_secs_f64(),
            outcome.replays.len(),
            outcome.no_answer,
            report.stored,
            report.acknowledged,
            report.violations.len()
        );
        for (what, count) in &outcome.errors {
            println!("  unexpected answers {what}: {count}");
        }
        for violation in report.violations.iter().take(20) {
            println!("  VIOLATION: {violation}");
        }
        consistent &= report.violations.is_empty() && outcome.errors.is_empty();
        // An order cut by the kill after its charge is completed from its payment attempt (S21):
        // finish those now, then continue from what the store holds (an order cut before its
        // charge is not stored).
        let completed = setup::finish_attempts(&url).await?;
        if completed > 0 {
            println!(
                "  {completed} charged orders cut by the kill completed from their payment attempts (S21)"
            );
        }
        let stored = setup::load_accounts(&url, common.accounts).await?;
        slots = back
            .into_iter()
            .zip(stored)
            .map(|(slot, account)| Slot::new(slot.index, slot.token, account))
            .collect();
        servers[0] = Server::start(&common.server_bin, &url, &log).await?;
        // After the restart, acknowledged orders replay with their key (R23).
        let mut client = http::Client::new(servers[0].addr);
        let mut replayed = 0;
        for ack in acked.iter().rev().take(5) {
            let Some(slot) = slots.iter().find(|s| s.index == ack.account) else {
                continue;
            };
            let auth = format!("Bearer {}", slot.token);
            let answer = client
                .send(
                    "POST",
                    "/api/v1/orders",
                    &[("Authorization", &auth), ("Idempotency-Key", &ack.key)],
                    Some(&ack.request),
                )
                .await?;
            let body: serde_json::Value = serde_json::from_str(&answer.body).unwrap_or_default();
            if answer.status == 201 && body == ack.order {
                replayed += 1;
            } else {
                println!(
                    "  VIOLATION: after restart, the replay of {} answered {} {}",
                    ack.key, answer.status, answer.body
                );
                consistent = false;
            }
        }
        println!("  restarted; {replayed} acknowledged orders replayed identically");
    }
    drop(servers);
    Ok(consistent)
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Load {
            common,
            backend,
            seconds,
            max_requests,
        } => load(common, backend, seconds, max_requests).await,
        Command::Crash {
            common,
            backend,
            rounds,
            kill_after_ms,
        } => crash(common, backend, rounds, kill_after_ms).await,
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("loadgen: FAILED (see the lines above)");
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("loadgen: error: {error}");
            ExitCode::from(2)
        }
    }
}
