//! What a run needs around the server: a store seeded with load accounts, a throw-away
//! PostgreSQL cluster, the server process on a loopback port, and sign-ins.

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use billing::Account;
use checkout_server::store::{NewAccount, NewUser, PaymentMethod, Store};
use serde_json::json;
use tempfile::TempDir;

use crate::http::Client;

/// The date the server is started with (`--clock`); every period below contains it.
pub const TODAY: &str = "2026-11-16";

/// The password of every load account (hashed once; the server verifies it once per account).
pub const PASSWORD: &str = "load-test-password";

/// Boxed errors: this is a benchmark tool, a failure ends the run with its message.
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// The id of the `index`-th load account.
pub fn account_id(index: usize) -> String {
    format!("acc_load_{index}")
}

/// The id of a load account's card: payment method ids are unique across accounts.
pub fn payment_method(account_id: &str) -> String {
    format!("pm_{}", account_id.trim_start_matches("acc_"))
}

/// The sign-in e-mail of the `index`-th load account.
pub fn email(index: usize) -> String {
    format!("load-{index}@bench.example")
}

/// The initial state of the `index`-th load account: one monthly Professional meeting seat.
pub fn initial_account(index: usize) -> Result<Account, Error> {
    Ok(serde_json::from_value(json!({
        "id": account_id(index), "kind": "standard", "country": "IT", "currency": "EUR",
        "vat_id": null, "credit": "0.00",
        "subscriptions": [{"id": format!("sub_load_{index}"), "product": "meeting",
            "tier": "professional", "seats": 1, "frequency": "monthly", "status": "active",
            "period_start": "2026-11-01", "period_end": "2026-12-01"}],
    }))?)
}

/// Opens the store at `url` (migrating it), seeds the demo accounts and `accounts` load accounts.
pub async fn seed(url: &str, accounts: usize) -> Result<(), Error> {
    let store = Store::connect(url).await?;
    checkout_server::demo::seed(&store).await?;
    let hash = checkout_server::auth::hash_password(PASSWORD)?;
    for index in 0..accounts {
        store
            .insert_account(&NewAccount {
                account: initial_account(index)?,
                name: format!("Load account {index}"),
                users: vec![NewUser {
                    id: format!("usr_load_{index}"),
                    name: format!("Load user {index}"),
                    email: email(index),
                    password_hash: hash.clone(),
                    is_billing_contact: true,
                }],
                payment_methods: vec![PaymentMethod {
                    id: payment_method(&account_id(index)),
                    brand: "visa".to_owned(),
                    last4: "4242".to_owned(),
                    exp: "2028-04".to_owned(),
                }],
            })
            .await?;
    }
    store.close().await;
    Ok(())
}

/// The accounts as stored now (after a crash, the truth to continue from).
pub async fn load_accounts(url: &str, accounts: usize) -> Result<Vec<Account>, Error> {
    let store = Store::connect(url).await?;
    let mut out = Vec::with_capacity(accounts);
    for index in 0..accounts {
        let record = store
            .account(&account_id(index))
            .await?
            .ok_or("a load account is missing")?;
        out.push(record.account);
    }
    store.close().await;
    Ok(out)
}

/// Finishes the payment attempts a killed server left open (issue 11, S21), as the reconciler of
/// the restarted server would a moment later: run with no server on the store (SQLite serves one
/// process), so that the accounts read next are the ones the next round orders from. Answers how
/// many orders it completed.
pub async fn finish_attempts(url: &str) -> Result<usize, Error> {
    let store = Store::connect(url).await?;
    let today = chrono::NaiveDate::parse_from_str(TODAY, "%Y-%m-%d")?;
    let state = checkout_server::AppState::new(store.clone(), checkout_server::Clock::fixed(today))
        .with_reconcile_after(Duration::ZERO);
    let round = checkout_server::ordering::reconcile::reconcile_once(&state).await?;
    store.close().await;
    if round.pending > 0 {
        return Err(format!("{} payment attempts could not be finished", round.pending).into());
    }
    Ok(round.committed)
}

/// A free TCP port on 127.0.0.1.
pub fn free_port() -> Result<u16, Error> {
    Ok(TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?
        .local_addr()?
        .port())
}

/// The kernel's clock ticks per second, the unit of `/proc/<pid>/stat` times (`getconf CLK_TCK`;
/// 100 on Linux when it cannot be asked).
fn clock_ticks_per_second() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|out| String::from_utf8_lossy(&out.stdout).trim().parse().ok())
        .unwrap_or(100.0)
}

/// The order server as a child process.
#[derive(Debug)]
pub struct Server {
    child: Child,
    /// Where it listens.
    pub addr: SocketAddr,
}

impl Server {
    /// Starts `bin` on a free loopback port over the database `url`, logging into `log`, and
    /// waits until `/api/v1/health` answers.
    pub async fn start(bin: &Path, url: &str, log: &Path) -> Result<Server, Error> {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, free_port()?));
        let out = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)?;
        let child = Command::new(bin)
            .args(["--listen", &addr.to_string(), "--database-url", url])
            .args(["--clock", TODAY, "--static-dir", "/nonexistent-static-dir"])
            // The load runs charge the test payment provider, which the server refuses unless
            // asked for it.
            .arg("--test-payments")
            // A process killed mid-load leaves payment attempts holding their accounts until the
            // reconciler finishes them (S21); a short delay keeps the next round from waiting.
            .args(["--reconcile-after", "2"])
            .stdout(out.try_clone()?)
            .stderr(out)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
        let mut server = Server { child, addr };
        let started = Instant::now();
        let mut client = Client::new(addr);
        loop {
            if let Ok(answer) = client.send("GET", "/api/v1/health", &[], None).await
                && answer.status == 200
            {
                return Ok(server);
            }
            if let Some(status) = server.child.try_wait()? {
                return Err(
                    format!("the server exited with {status}; see {}", log.display()).into(),
                );
            }
            if started.elapsed() > Duration::from_secs(30) {
                server.kill();
                return Err("the server did not become healthy within 30 s".into());
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// The CPU time the server process has used so far (user and system, all its threads), from
    /// `/proc/<pid>/stat`; `None` where that cannot be read. Measured per phase, it gives the CPU
    /// per request, which moves much less with the other work of a shared machine than the rates.
    pub fn cpu_time(&self) -> Option<Duration> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).ok()?;
        // The fields after the command name (which is in parentheses and may hold spaces):
        // state is field 3, utime and stime are fields 14 and 15.
        let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
        let ticks: u64 =
            fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
        Some(Duration::from_secs_f64(
            ticks as f64 / clock_ticks_per_second(),
        ))
    }

    /// Kills it with SIGKILL and reaps it.
    pub fn kill(&mut self) {
        // Errors mean it is already gone.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Signs in the load accounts `0..accounts`, once each; answers their tokens in order.
pub async fn sign_in(addr: SocketAddr, accounts: usize) -> Result<Vec<String>, Error> {
    let mut client = Client::new(addr);
    let mut tokens = Vec::with_capacity(accounts);
    for index in 0..accounts {
        let body = json!({"email": email(index), "password": PASSWORD}).to_string();
        let answer = client
            .send("POST", "/api/v1/session", &[], Some(&body))
            .await?;
        if answer.status != 200 {
            return Err(format!("sign-in {index}: {} {}", answer.status, answer.body).into());
        }
        let value: serde_json::Value = serde_json::from_str(&answer.body)?;
        tokens.push(
            value["token"]
                .as_str()
                .ok_or("sign-in answer without a token")?
                .to_owned(),
        );
    }
    Ok(tokens)
}

/// A throw-away PostgreSQL cluster on a loopback port, stopped and deleted when dropped.
#[derive(Debug)]
pub struct PgCluster {
    bin: PathBuf,
    dir: TempDir,
    as_postgres: bool,
    /// The URL of its `postgres` database.
    pub url: String,
}

impl PgCluster {
    fn run(&self, program: &str, args: &[&str]) -> Result<(), Error> {
        let program = self.bin.join(program);
        let mut command = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&program);
            c
        } else {
            Command::new(&program)
        };
        let output = command.args(args).stdin(Stdio::null()).output()?;
        if output.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{} failed: {}",
                program.display(),
                String::from_utf8_lossy(&output.stderr)
            )
            .into())
        }
    }

    /// Starts a cluster from the newest `/usr/lib/postgresql/*/bin` (durable defaults: fsync
    /// and synchronous_commit on). As root it runs as the `postgres` user.
    pub fn start() -> Result<PgCluster, Error> {
        let mut bins: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")?
            .filter_map(|entry| entry.ok().map(|e| e.path().join("bin")))
            .filter(|bin| bin.join("initdb").is_file())
            .collect();
        bins.sort();
        let bin = bins
            .pop()
            .ok_or("no PostgreSQL under /usr/lib/postgresql")?;
        let dir = tempfile::tempdir()?;
        let uid = Command::new("id").arg("-u").output()?;
        let as_postgres = String::from_utf8_lossy(&uid.stdout).trim() == "0";
        if as_postgres {
            let status = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(dir.path())
                .status()?;
            if !status.success() {
                return Err("chown of the cluster directory failed".into());
            }
        }
        let port = free_port()?;
        let cluster = PgCluster {
            bin,
            url: format!("postgres://postgres@127.0.0.1:{port}/postgres"),
            dir,
            as_postgres,
        };
        let data = cluster.dir.path().join("data").display().to_string();
        let log = cluster.dir.path().join("log").display().to_string();
        let socket = cluster.dir.path().display().to_string();
        cluster.run(
            "initdb",
            &["-D", &data, "-U", "postgres", "-A", "trust", "-E", "UTF8"],
        )?;
        let options = format!("-p {port} -k {socket} -c listen_addresses=127.0.0.1");
        cluster.run(
            "pg_ctl",
            &["-D", &data, "-o", &options, "-l", &log, "-w", "start"],
        )?;
        Ok(cluster)
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        let data = self.dir.path().join("data").display().to_string();
        // Best effort: the directory is deleted next anyway.
        let _ = self.run("pg_ctl", &["-D", &data, "-m", "immediate", "-w", "stop"]);
    }
}

/// What the server's store writer reported in its log (`store writer writes=.. commits=..`
/// lines, at most one a second) from byte `from` of the log on: writes and commits, so that the
/// mean number of orders per commit (group commit) can be printed. `None` without such lines.
pub fn writer_tally(log: &Path, from: u64) -> Option<(u64, u64)> {
    let text = std::fs::read(log).ok()?;
    let start = usize::try_from(from).ok()?.min(text.len());
    let text = String::from_utf8_lossy(&text[start..]);
    let mut total = None;
    for line in text.lines().filter(|line| line.contains("store writer")) {
        let line = strip_ansi(line);
        let field = |name: &str| -> Option<u64> {
            let rest = &line[line.find(&format!("{name}="))? + name.len() + 1..];
            rest.split(|c: char| !c.is_ascii_digit())
                .next()?
                .parse()
                .ok()
        };
        if let (Some(writes), Some(commits)) = (field("writes"), field("commits")) {
            let (w, c) = total.get_or_insert((0, 0));
            *w += writes;
            *c += commits;
        }
    }
    total
}

/// A log line without its terminal colour codes (`ESC [ ... m`).
fn strip_ansi(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}
