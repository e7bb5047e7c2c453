//! The `checkout-server` binary: command line, demo sign-ins, static app, graceful shutdown.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::{GIULIA, MARCO};

fn http_get(port: u16, path: &str) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok()?;
    Some(answer)
}

/// The server process, killed if the test fails before it stops it.
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        // Already exited after a passing test: both calls then just fail, which is fine.
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_binary_seeds_the_demo_serves_the_app_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let web = dir.path().join("dist");
    std::fs::create_dir_all(&web).expect("dist");
    std::fs::write(
        web.join("index.html"),
        "<!doctype html><title>checkout</title>",
    )
    .expect("index");
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let mut server = Server(
        Command::new(env!("CARGO_BIN_EXE_checkout-server"))
            .args([
                "--listen",
                &format!("127.0.0.1:{port}"),
                "--demo",
                "--clock",
                "2026-11-16",
            ])
            .arg("--database-url")
            .arg(dir.path().join("data/checkout.db"))
            .arg("--static-dir")
            .arg(&web)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .spawn()
            .expect("the server starts"),
    );
    let child = &mut server.0;
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut printed = String::new();
    for _ in 0..5 {
        stdout.read_line(&mut printed).expect("a line");
    }
    assert!(
        printed.contains(GIULIA.0) && printed.contains(GIULIA.1),
        "{printed}"
    );
    assert!(
        printed.contains(MARCO.0) && printed.contains(MARCO.1),
        "{printed}"
    );
    let started = Instant::now();
    let health = loop {
        if let Some(answer) = http_get(port, "/api/v1/health") {
            break answer;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the server never answered"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    assert!(health.contains("\"catalog_version\":\"2026-11-01\""));
    let page = http_get(port, "/plans/meeting").expect("the app");
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains("<title>checkout</title>"));
    assert!(page.to_lowercase().contains("content-security-policy:"));
    assert!(dir.path().join("data/checkout.db").is_file());
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let exit = child.wait().expect("the server exits");
    assert!(exit.success(), "graceful shutdown exits 0: {exit:?}");
}

#[test]
fn a_second_process_on_one_sqlite_database_is_refused_at_start() {
    use crate::process::{ServerProcess, free_port, server_command};
    let dir = tempfile::tempdir().expect("a temp dir");
    let database = dir.path().join("data/checkout.db");
    let database = database.to_string_lossy();
    let port = free_port();
    let first = ServerProcess::start(
        server_command(port, &database, &dir.path().join("first.log")),
        port,
    );
    let log = dir.path().join("second.log");
    let mut second = server_command(free_port(), &database, &log)
        .spawn()
        .expect("the second server starts");
    let started = Instant::now();
    let exit = loop {
        if let Some(exit) = second.try_wait().expect("waits") {
            break exit;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the second process was not refused"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(!exit.success(), "the second process must fail: {exit:?}");
    let said = std::fs::read_to_string(&log).expect("its log");
    assert!(
        said.contains("in use by another checkout-server process") && said.contains("PostgreSQL"),
        "{said}"
    );
    // The first one serves on, and once it is gone the database opens again.
    let health = first.try_request("GET", "/api/v1/health", None, None, None);
    assert_eq!(health.map(|(status, _)| status), Some(200));
    drop(first);
    let port = free_port();
    let again = ServerProcess::start(
        server_command(port, &database, &dir.path().join("again.log")),
        port,
    );
    drop(again);
}

#[test]
fn a_process_killed_between_the_charge_and_the_commit_leaves_an_order_not_a_lost_charge() {
    use crate::process::{ServerProcess, free_port, server_command, sign_in};
    let dir = tempfile::tempdir().expect("a temp dir");
    let database = dir.path().join("data/checkout.db");
    let database = database.to_string_lossy();
    let port = free_port();
    let mut crashing = server_command(port, &database, &dir.path().join("crash.log"));
    crashing.env("CHECKOUT_TEST_PAYMENT_FAULT", "crash-after-charge");
    let mut crashing = ServerProcess::start(crashing, port);
    let token = sign_in(port, GIULIA);
    let order = crate::helpers::eight_seats_order("pm_1");
    let cut = crashing.try_request(
        "POST",
        "/api/v1/orders",
        Some(&token),
        Some("k-crash"),
        Some(&order),
    );
    assert_eq!(cut, None, "the process died before answering");
    let exit = crashing.child.wait().expect("it ended");
    assert!(!exit.success());
    // It charged and stored nothing else.
    let read = |sql: &'static str| {
        let url = format!("sqlite://{database}");
        tokio::runtime::Runtime::new()
            .expect("a runtime")
            .block_on(async move {
                sqlx::any::install_default_drivers();
                let pool = sqlx::AnyPool::connect(&url).await.expect("a connection");
                let rows: Vec<String> = sqlx::query_scalar(sql)
                    .fetch_all(&pool)
                    .await
                    .expect("the query");
                pool.close().await;
                rows
            })
    };
    let charges = read("SELECT reference FROM test_payments WHERE kind = 'charge'");
    assert_eq!(charges.len(), 1);
    assert!(read("SELECT id FROM orders").is_empty());
    // Restarted without the fault, the reconciler stores the order with that charge (S21).
    let port = free_port();
    let restarted = ServerProcess::start(
        server_command(port, &database, &dir.path().join("restart.log")),
        port,
    );
    let started = Instant::now();
    while read("SELECT id FROM orders").is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the reconciler never stored the order"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(
        read("SELECT payment_reference FROM orders"),
        charges,
        "the order is paid with the one charge"
    );
    let (status, replay) = restarted
        .try_request(
            "POST",
            "/api/v1/orders",
            Some(&token),
            Some("k-crash"),
            Some(&order),
        )
        .expect("an answer");
    assert_eq!(status, 201, "{replay}");
    assert_eq!(
        vec![replay["id"].as_str().expect("an id").to_owned()],
        read("SELECT id FROM orders")
    );
    assert_eq!(read("SELECT reference FROM test_payments").len(), 1);
}
