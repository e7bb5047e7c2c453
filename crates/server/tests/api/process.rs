//! Server processes of the real binary for the tests that need several, or kill one: start,
//! wait until it answers, talk HTTP/1.1 to it over plain sockets, stop or kill it.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// A free loopback port.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// A `checkout-server` process; killed when dropped.
pub struct ServerProcess {
    /// The process.
    pub child: Child,
    /// The port it listens on.
    pub port: u16,
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        // Already gone after a test that stopped it: both calls then just fail, which is fine.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The command of a server on `port` over `database` at the demo date, its output to `log`.
pub fn server_command(port: u16, database: &str, log: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_checkout-server"));
    let log = std::fs::File::create(log).expect("a log file");
    command
        .args([
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--database-url",
            database,
            "--clock",
            "2026-11-16",
            "--demo",
            "--reconcile-after",
            "1",
        ])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::from(log.try_clone().expect("the log again")))
        .stderr(Stdio::from(log));
    command
}

/// Waits until `server` answers its health check.
pub fn wait_ready(server: &ServerProcess) {
    let started = Instant::now();
    while server
        .try_request("GET", "/api/v1/health", None, None, None)
        .map(|(status, _)| status)
        != Some(200)
    {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the server on port {} never answered",
            server.port
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

impl ServerProcess {
    /// Starts `command` (from [`server_command`]) and waits until it answers its health check.
    pub fn start(mut command: Command, port: u16) -> ServerProcess {
        let child = command.spawn().expect("the server starts");
        let server = ServerProcess { child, port };
        wait_ready(&server);
        server
    }

    /// Kills the process at once (SIGKILL) and waits for it.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// A request; `None` when the connection failed or was cut (the process died).
    pub fn try_request(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        key: Option<&str>,
        body: Option<&Value>,
    ) -> Option<(u16, Value)> {
        request(self.port, method, path, token, key, body)
    }
}

/// One HTTP/1.1 request with `Connection: close` and the given `headers`; the whole answer as
/// text (status line, headers and body). For the tests that look at the raw answer or send
/// other bodies than JSON (the card page's forms).
pub fn raw_request(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("a read timeout");
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).expect("written");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("an answer");
    answer
}

/// One HTTP/1.1 request with `Connection: close`; the status and the JSON body (`Null` when the
/// body is not JSON), or `None` when the connection failed or was cut.
pub fn request(
    port: u16,
    method: &str,
    path: &str,
    token: Option<&str>,
    key: Option<&str>,
    body: Option<&Value>,
) -> Option<(u16, Value)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(40)))
        .ok()?;
    let body = body.map(Value::to_string).unwrap_or_default();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if !body.is_empty() {
        head.push_str("Content-Type: application/json\r\n");
    }
    if let Some(token) = token {
        head.push_str(&format!("Authorization: Bearer {token}\r\n"));
    }
    if let Some(key) = key {
        head.push_str(&format!("Idempotency-Key: {key}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).ok()?;
    stream.write_all(body.as_bytes()).ok()?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).ok()?;
    let text = String::from_utf8_lossy(&answer);
    let (head, rest) = text.split_once("\r\n\r\n")?;
    let status: u16 = head.split(' ').nth(1)?.parse().ok()?;
    let chunked = head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked");
    let body = if chunked {
        dechunk(rest)?
    } else {
        rest.to_owned()
    };
    Some((status, serde_json::from_str(&body).unwrap_or(Value::Null)))
}

/// The body of a chunked answer.
fn dechunk(mut rest: &str) -> Option<String> {
    let mut body = String::new();
    loop {
        let (size, after) = rest.split_once("\r\n")?;
        let size = usize::from_str_radix(size.trim(), 16).ok()?;
        if size == 0 {
            return Some(body);
        }
        body.push_str(after.get(..size)?);
        rest = after.get(size + 2..)?;
    }
}

/// Signs in over HTTP and answers the token.
pub fn sign_in(port: u16, (email, password): (&str, &str)) -> String {
    let body = serde_json::json!({ "email": email, "password": password });
    let (status, answer) =
        request(port, "POST", "/api/v1/session", None, None, Some(&body)).expect("an answer");
    assert_eq!(status, 200, "{email} signs in: {answer}");
    answer["token"].as_str().expect("a token").to_owned()
}
