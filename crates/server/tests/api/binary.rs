//! The `checkout-server` binary: command line, demo sign-ins, the providers it names, the refusal
//! of the test payment provider, static app, connection timeouts and a bounded graceful shutdown.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::{GIULIA, MARCO};
use crate::process::{ServerProcess, raw_request};

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
    let mut server = ServerProcess {
        child: Command::new(env!("CARGO_BIN_EXE_checkout-server"))
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
        port,
    };
    let child = &mut server.child;
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut printed = String::new();
    while !printed.contains("Mail: ") {
        assert!(
            stdout.read_line(&mut printed).expect("a line") > 0,
            "{printed}"
        );
    }
    assert!(printed.contains("Payments: the TEST provider"), "{printed}");
    assert!(printed.contains("Mail: log"), "{printed}");
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

/// Starts the binary on a free port with `args` (and a fresh database), its output discarded.
fn start(dir: &std::path::Path, args: &[&str]) -> (ServerProcess, u16) {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let server = ServerProcess {
        child: Command::new(env!("CARGO_BIN_EXE_checkout-server"))
            .args([
                "--listen",
                &format!("127.0.0.1:{port}"),
                "--clock",
                "2026-11-16",
            ])
            .arg("--database-url")
            .arg(dir.join("checkout.db"))
            .args(["--static-dir", "/nonexistent-static-dir"])
            .args(args)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the server starts"),
        port,
    };
    let started = Instant::now();
    while http_get(port, "/api/v1/health").is_none() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the server never answered"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    (server, port)
}

/// Reads until the server closes the connection; answers what it sent and how long it took.
fn wait_for_close(stream: &mut TcpStream) -> (Vec<u8>, Duration) {
    let started = Instant::now();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("a read timeout");
    let mut answer = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => answer.extend_from_slice(&buffer[..n]),
            Err(error)
                if matches!(
                    error.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                panic!("the server kept the connection open for 20 s");
            }
            // A reset is a close too.
            Err(_) => break,
        }
    }
    (answer, started.elapsed())
}

#[test]
fn the_binary_refuses_the_test_payment_provider_unless_asked() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let output = Command::new(env!("CARGO_BIN_EXE_checkout-server"))
        .args(["--listen", "127.0.0.1:0", "--database-url"])
        .arg(dir.path().join("checkout.db"))
        .env("RUST_LOG", "warn")
        .output()
        .expect("the binary runs");
    assert!(!output.status.success());
    let said = String::from_utf8_lossy(&output.stdout).to_string()
        + &String::from_utf8_lossy(&output.stderr);
    assert!(said.contains("--test-payments"), "{said}");
    assert!(
        !dir.path().join("checkout.db").exists(),
        "refused before opening the store"
    );
    // With the flag it starts (and names the provider).
    let (mut server, _port) = start(dir.path(), &["--test-payments"]);
    let _ = server.child.kill();
}

#[test]
fn a_partial_request_and_an_idle_keep_alive_connection_are_closed_after_the_header_timeout() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let (_server, port) = start(
        dir.path(),
        &["--test-payments", "--header-read-timeout", "1"],
    );
    // Half a request line, never finished, on many connections at once: each is closed.
    let mut partial: Vec<TcpStream> = (0..50)
        .map(|_| {
            let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connects");
            stream.write_all(b"GET /api/v1/hea").expect("written");
            stream
        })
        .collect();
    for stream in &mut partial {
        let (answer, waited) = wait_for_close(stream);
        assert!(waited < Duration::from_secs(10), "closed after {waited:?}");
        // Nothing of the request is answered: hyper closes the connection.
        assert!(!String::from_utf8_lossy(&answer).contains("200 OK"));
    }
    // A keep-alive connection: answered, then closed once idle for the timeout.
    let mut idle = TcpStream::connect(("127.0.0.1", port)).expect("connects");
    idle.write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .expect("written");
    let (answer, waited) = wait_for_close(&mut idle);
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(waited < Duration::from_secs(10), "closed after {waited:?}");
}

#[test]
fn sigterm_stops_the_server_while_a_stalled_client_holds_a_connection() {
    let dir = tempfile::tempdir().expect("a temp dir");
    // The header timeout is long: only the bounded shutdown can end the stalled connection.
    let (mut server, port) = start(
        dir.path(),
        &[
            "--test-payments",
            "--header-read-timeout",
            "300",
            "--shutdown-grace",
            "1",
        ],
    );
    let mut stalled = TcpStream::connect(("127.0.0.1", port)).expect("connects");
    stalled
        .write_all(b"POST /api/v1/session HTTP/1.1\r\nHost: l")
        .expect("written");
    // Let the server take the connection before the signal.
    std::thread::sleep(Duration::from_millis(300));
    let child = &mut server.child;
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let signalled = Instant::now();
    let exit = loop {
        if let Some(exit) = child.try_wait().expect("a status") {
            break exit;
        }
        assert!(
            signalled.elapsed() < Duration::from_secs(15),
            "SIGTERM did not stop the server while a client stalled"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exit.success(), "the shutdown exits 0: {exit:?}");
    let (_, _) = wait_for_close(&mut stalled);
}

#[test]
fn each_request_is_logged_once_by_route_and_receipts_stay_out_of_the_info_log() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let log_path = dir.path().join("server.log");
    let log = std::fs::File::create(&log_path).expect("a log file");
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let mut server = ServerProcess {
        child: Command::new(env!("CARGO_BIN_EXE_checkout-server"))
            .args([
                "--listen",
                &format!("127.0.0.1:{port}"),
                "--clock",
                "2026-11-16",
            ])
            .args([
                "--demo",
                "--log-json",
                "--static-dir",
                "/nonexistent-static-dir",
            ])
            .arg("--database-url")
            .arg(dir.path().join("checkout.db"))
            .env("RUST_LOG", "info")
            .stdout(log.try_clone().expect("a second handle"))
            .stderr(log)
            .spawn()
            .expect("the server starts"),
        port,
    };
    let started = Instant::now();
    while http_get(port, "/api/v1/health").is_none() {
        assert!(started.elapsed() < Duration::from_secs(20), "no answer");
        std::thread::sleep(Duration::from_millis(100));
    }
    let json = [("content-type", "application/json")];
    let sign_in = raw_request(
        port,
        "POST",
        "/api/v1/session",
        &json,
        &format!(r#"{{"email":"{}","password":"{}"}}"#, GIULIA.0, GIULIA.1),
    );
    let token = sign_in
        .split("\"token\":\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a token")
        .to_owned();
    let bearer = format!("Bearer {token}");
    let missing = raw_request(
        port,
        "GET",
        "/api/v1/orders/ord_private_id_123",
        &[("authorization", &bearer)],
        "",
    );
    assert!(missing.starts_with("HTTP/1.1 404"), "{missing}");
    let order = raw_request(
        port,
        "POST",
        "/api/v1/orders",
        &[
            ("content-type", "application/json"),
            ("authorization", &bearer),
            ("idempotency-key", "log-test"),
        ],
        r#"{"items":[{"op":"change","subscription":"sub_1","seats":8}],"expected_total":"93.94","payment_method":"pm_1"}"#,
    );
    assert!(order.starts_with("HTTP/1.1 201"), "{order}");
    // The outbox worker looks every second: wait for the receipt to go out.
    let read = || std::fs::read_to_string(&log_path).expect("the log");
    while !read().contains("e-mail sent") {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no e-mail: {}",
            read()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status();
    let _ = server.child.wait();
    let log = read();
    let requests: Vec<serde_json::Value> = log
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|line| line["fields"]["message"] == "request")
        .collect();
    let routes: Vec<(&str, u64)> = requests
        .iter()
        .map(|line| {
            (
                line["fields"]["route"].as_str().unwrap_or(""),
                line["fields"]["status"].as_u64().unwrap_or(0),
            )
        })
        .filter(|(route, _)| *route != "/api/v1/health")
        .collect();
    assert_eq!(
        routes,
        [
            ("/api/v1/session", 200),
            ("/api/v1/orders/{id}", 404),
            ("/api/v1/orders", 201)
        ],
        "{log}"
    );
    // The log lines (JSON; `--demo` also prints its sign-ins, on purpose, as plain text).
    let logged: String = log
        .lines()
        .filter(|line| line.starts_with('{'))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(logged.contains("e-mail sent"));
    for secret in [
        "ord_private_id_123",
        GIULIA.1,
        &token,
        "Thank you for your order",
        "Subtotal",
    ] {
        assert!(!logged.contains(secret), "{secret} is in the info log");
    }
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
