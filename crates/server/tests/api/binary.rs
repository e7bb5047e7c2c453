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
