//! The sign-in limits (S30) and the end of sessions (R30): attempts are counted before any
//! password is checked, in the store, so concurrent guesses and several processes are limited
//! alike; the real user is not locked out by guesses from elsewhere; sign-out, a password change
//! and a deleted user end sessions in every process at once.

use std::net::SocketAddr;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::header::RETRY_AFTER;
use axum::http::{HeaderName, Method, Request, StatusCode};
use checkout_server::{AppState, Config, HttpConfig};
use clap::Parser;
use serde_json::{Value, json};

use crate::helpers::{Answer, GIULIA, MARCO, TODAY, TestApp, send_to};
use crate::pg::PgCluster;

/// A client address as the connection would give it.
fn from(last: u8) -> SocketAddr {
    SocketAddr::from(([198, 51, 100, last], 40_000))
}

/// A request from the client at `peer`.
fn request(
    method: Method,
    path: &str,
    token: Option<&str>,
    body: &Value,
    peer: SocketAddr,
) -> Request<Body> {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header("content-type", "application/json");
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let mut request = request
        .body(Body::from(body.to_string()))
        .expect("a request");
    request.extensions_mut().insert(ConnectInfo(peer));
    request
}

/// A sign-in request from the client at `peer`.
fn sign_in_from((email, password): (&str, &str), peer: SocketAddr) -> Request<Body> {
    request(
        Method::POST,
        "/api/v1/session",
        None,
        &json!({"email": email, "password": password}),
        peer,
    )
}

/// The `Retry-After` of an answer, in seconds.
fn retry_after(answer: &Answer) -> u64 {
    answer
        .headers
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("a Retry-After in seconds: {:?}", answer.headers))
}

/// A GET of the account with `token` through `router`.
async fn account_status(router: &Router, token: &str) -> StatusCode {
    let request = Request::builder()
        .uri("/api/v1/account")
        .header("authorization", format!("Bearer {token}"))
        .body(Body::empty())
        .expect("a request");
    send_to(router.clone(), request).await.status
}

/// Signs in through `router` from `peer`; answers the token.
async fn token_via(router: &Router, who: (&str, &str), peer: SocketAddr) -> String {
    let answer = send_to(router.clone(), sign_in_from(who, peer)).await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
    answer.body["token"].as_str().expect("a token").to_owned()
}

/// Sends 50 wrong passwords for Giulia at once from one address, spread over the routers, while
/// Giulia signs in from another address through the first; answers the attackers' answers.
async fn fifty_guesses_while_the_user_signs_in(routers: &[Router]) -> Vec<Answer> {
    let guesses: Vec<_> = (0..50)
        .map(|n| {
            let router = routers[n % routers.len()].clone();
            tokio::spawn(send_to(
                router,
                sign_in_from((GIULIA.0, "a-wrong-guess"), from(66)),
            ))
        })
        .collect();
    // The real user, elsewhere, meanwhile.
    let user = send_to(routers[0].clone(), sign_in_from(GIULIA, from(10))).await;
    assert_eq!(user.status, StatusCode::OK, "{:?}", user.body);
    let mut answers = Vec::new();
    for guess in guesses {
        answers.push(guess.await.expect("the guess is answered"));
    }
    answers
}

/// Checks the answers of [`fifty_guesses_while_the_user_signs_in`]: five checked and refused,
/// the rest told to wait.
fn assert_five_checked(answers: &[Answer]) {
    let refused = answers
        .iter()
        .filter(|a| a.code() == "invalid_credentials")
        .count();
    let limited: Vec<&Answer> = answers
        .iter()
        .filter(|a| a.status == StatusCode::TOO_MANY_REQUESTS)
        .collect();
    assert_eq!(refused, 5, "the pair's free attempts");
    assert_eq!(limited.len(), 45);
    for answer in limited {
        assert_eq!(answer.code(), "too_many_attempts");
        let wait = retry_after(answer);
        assert!((1..=30).contains(&wait), "{wait}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_guesses_check_five_passwords_and_the_user_still_signs_in() {
    let app = TestApp::spawn().await;
    let answers = fifty_guesses_while_the_user_signs_in(std::slice::from_ref(&app.router)).await;
    assert_five_checked(&answers);
    // Five guesses and the user's own sign-in: nothing else reached argon2.
    assert_eq!(app.state.hashes.verifications(), 6);
}

#[tokio::test]
async fn after_five_failures_the_pair_waits_but_another_address_signs_in() {
    let app = TestApp::spawn().await;
    for _ in 0..5 {
        let answer = app.send(sign_in_from((GIULIA.0, "guess"), from(66))).await;
        assert_eq!(answer.code(), "invalid_credentials");
    }
    let blocked = app.send(sign_in_from((GIULIA.0, "guess"), from(66))).await;
    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(blocked.code(), "too_many_attempts");
    assert!((1..=30).contains(&retry_after(&blocked)));
    // From that address the right password waits too: the delay is the pair's, whoever types.
    let same_place = app.send(sign_in_from(GIULIA, from(66))).await;
    assert_eq!(same_place.status, StatusCode::TOO_MANY_REQUESTS);
    // From anywhere else Giulia is not locked out.
    assert_eq!(
        app.send(sign_in_from(GIULIA, from(10))).await.status,
        StatusCode::OK
    );
    // And other users at the attacker's address are not either.
    assert_eq!(
        app.send(sign_in_from(MARCO, from(66))).await.status,
        StatusCode::OK
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guesses_from_many_addresses_meet_the_email_ceiling_but_not_a_known_address() {
    let app = TestApp::spawn().await;
    // Giulia signed in from her office before.
    app.send(sign_in_from(GIULIA, from(10))).await;
    // 50 guesses, five from each of ten addresses: each pair stays within its free attempts.
    let mut codes = Vec::new();
    for address in 100..110 {
        for _ in 0..5 {
            let answer = app
                .send(sign_in_from((GIULIA.0, "guess"), from(address)))
                .await;
            codes.push(answer.code().to_owned());
        }
    }
    // Her own sign-in counted towards the 50 of the e-mail: the last guess meets the ceiling.
    assert!(
        codes[..49].iter().all(|c| c == "invalid_credentials"),
        "{codes:?}"
    );
    assert_eq!(codes[49], "too_many_attempts");
    assert_eq!(app.state.hashes.verifications(), 50);
    // The e-mail's ceiling: a new address waits.
    let fresh = app.send(sign_in_from(GIULIA, from(200))).await;
    assert_eq!(fresh.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(fresh.code(), "too_many_attempts");
    assert!(retry_after(&fresh) >= 1);
    // Her office has signed in successfully before: it skips the ceiling.
    assert_eq!(
        app.send(sign_in_from(GIULIA, from(10))).await.status,
        StatusCode::OK
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_address_trying_many_emails_meets_the_address_ceiling() {
    let app = TestApp::spawn().await;
    for n in 0..100 {
        let answer = app
            .send(sign_in_from(
                (&format!("user{n}@example.com"), "guess"),
                from(66),
            ))
            .await;
        assert_eq!(answer.code(), "invalid_credentials", "attempt {n}");
    }
    let blocked = app
        .send(sign_in_from(
            ("someone-else@example.com", "guess"),
            from(66),
        ))
        .await;
    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(blocked.code(), "too_many_attempts");
    assert!(retry_after(&blocked) >= 1);
    // Another address is not limited.
    assert_eq!(
        app.send(sign_in_from(GIULIA, from(10))).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_trusted_proxy_header_names_the_client_only_when_configured() {
    let config = Config::try_parse_from([
        "checkout-server",
        "--trusted-proxy-header",
        "X-Forwarded-For",
    ])
    .expect("parses");
    let header = config.trusted_proxy_header.clone().expect("the flag");
    assert_eq!(header, HeaderName::from_static("x-forwarded-for"));
    assert!(Config::try_parse_from(["checkout-server", "--trusted-proxy-header", "a b"]).is_err());
    let app = TestApp::spawn().await;
    let behind_proxy = checkout_server::app(
        app.state.clone().with_trusted_proxy_header(Some(header)),
        &HttpConfig::default(),
    );
    // Every request comes from the proxy's address; the header tells the clients apart.
    let via_proxy = |client: &str, who: (&str, &str)| {
        let mut request = sign_in_from(who, from(1));
        request.headers_mut().insert(
            "x-forwarded-for",
            format!("203.0.113.200, {client}").parse().expect("a value"),
        );
        request
    };
    for _ in 0..5 {
        send_to(
            behind_proxy.clone(),
            via_proxy("192.0.2.66", (GIULIA.0, "guess")),
        )
        .await;
    }
    let attacker = send_to(behind_proxy.clone(), via_proxy("192.0.2.66", GIULIA)).await;
    assert_eq!(attacker.status, StatusCode::TOO_MANY_REQUESTS);
    // The same proxy, another client (the first entry is the client's word and is ignored).
    let user = send_to(behind_proxy.clone(), via_proxy("192.0.2.10", GIULIA)).await;
    assert_eq!(user.status, StatusCode::OK, "{:?}", user.body);
    // Without the flag the header is not believed: the attacker cannot pose as another client.
    let direct = app.router.clone();
    for _ in 0..5 {
        send_to(direct.clone(), via_proxy("192.0.2.1", (MARCO.0, "guess"))).await;
    }
    let spoofed = send_to(direct, via_proxy("192.0.2.2", (MARCO.0, "guess"))).await;
    assert_eq!(spoofed.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn signing_out_ends_the_session_for_every_process_at_once() {
    let app = TestApp::spawn().await;
    // A second server over the same store (another process).
    let other = checkout_server::app(
        AppState::new(app.state.store.clone(), app.state.clock),
        &HttpConfig::default(),
    );
    let token = app.sign_in(GIULIA).await;
    let second = app.sign_in(GIULIA).await;
    assert_eq!(account_status(&other, &token).await, StatusCode::OK);
    let out = send_to(
        app.router.clone(),
        request(
            Method::DELETE,
            "/api/v1/session",
            Some(&token),
            &json!({}),
            from(10),
        ),
    )
    .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert_eq!(
        account_status(&app.router, &token).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        account_status(&other, &token).await,
        StatusCode::UNAUTHORIZED
    );
    // Her other session goes on.
    assert_eq!(account_status(&other, &second).await, StatusCode::OK);
    // Signing out again: the token is unknown now.
    let again = send_to(
        other.clone(),
        request(
            Method::DELETE,
            "/api/v1/session",
            Some(&token),
            &json!({}),
            from(10),
        ),
    )
    .await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
    assert_eq!(again.code(), "unauthenticated");
}

/// A password change through `router` with `token`.
async fn change_password(router: &Router, token: &str, current: &str, new: &str) -> Answer {
    send_to(
        router.clone(),
        request(
            Method::PUT,
            "/api/v1/session/password",
            Some(token),
            &json!({"current_password": current, "new_password": new}),
            from(10),
        ),
    )
    .await
}

#[tokio::test]
async fn a_password_change_ends_the_users_other_sessions_only() {
    let app = TestApp::spawn().await;
    let other = checkout_server::app(
        AppState::new(app.state.store.clone(), app.state.clock),
        &HttpConfig::default(),
    );
    let here = app.sign_in(GIULIA).await;
    let phone = app.sign_in(GIULIA).await;
    let marco = app.sign_in(MARCO).await;
    let changed = change_password(&app.router, &here, GIULIA.1, "a new long passphrase").await;
    assert_eq!(changed.status, StatusCode::NO_CONTENT, "{:?}", changed.body);
    assert_eq!(
        account_status(&other, &phone).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(account_status(&other, &here).await, StatusCode::OK);
    assert_eq!(account_status(&other, &marco).await, StatusCode::OK);
    let old = app.send(sign_in_from(GIULIA, from(11))).await;
    assert_eq!(old.code(), "invalid_credentials");
    token_via(&app.router, (GIULIA.0, "a new long passphrase"), from(11)).await;
}

#[tokio::test]
async fn a_password_change_needs_the_current_password_and_a_long_enough_new_one() {
    let app = TestApp::spawn().await;
    let token = app.sign_in(GIULIA).await;
    let other = app.sign_in(GIULIA).await;
    let wrong = change_password(&app.router, &token, "not it", "a new long passphrase").await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    assert_eq!(wrong.code(), "invalid_credentials");
    let short = change_password(&app.router, &token, GIULIA.1, "short").await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(short.body["error"]["field"], "new_password");
    // Nothing changed: both sessions and the old password still work.
    assert_eq!(account_status(&app.router, &other).await, StatusCode::OK);
    app.sign_in(GIULIA).await;
    let unsigned = change_password(&app.router, "nope", GIULIA.1, "a new long passphrase").await;
    assert_eq!(unsigned.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_store_ends_the_other_sessions_with_the_new_password() {
    let app = TestApp::spawn().await;
    let store = &app.state.store;
    let now = chrono::Utc::now().timestamp();
    let keep = app.sign_in(MARCO).await;
    app.sign_in(MARCO).await;
    app.sign_in(MARCO).await;
    app.sign_in(GIULIA).await;
    assert_eq!(
        store
            .session_count("usr_marco", now)
            .await
            .expect("counted"),
        3
    );
    let keep_hash = checkout_server::auth::sha256_hex(&keep);
    let ended = store
        .change_password("usr_marco", "a-hash", &keep_hash)
        .await
        .expect("stored");
    assert_eq!(ended, Some(2));
    assert_eq!(
        store
            .session_count("usr_marco", now)
            .await
            .expect("counted"),
        1
    );
    assert_eq!(
        store
            .session_count("usr_giulia", now)
            .await
            .expect("counted"),
        1
    );
    let user = store
        .user_by_id("usr_marco")
        .await
        .expect("read")
        .expect("a user");
    assert_eq!(user.password_hash, "a-hash");
    assert_eq!(
        store
            .change_password("usr_nobody", "h", &keep_hash)
            .await
            .expect("runs"),
        None
    );
}

#[tokio::test]
async fn deleting_a_user_deletes_the_users_sessions() {
    let app = TestApp::spawn().await;
    let store = &app.state.store;
    let now = chrono::Utc::now().timestamp();
    let marco = app.sign_in(MARCO).await;
    app.sign_in(MARCO).await;
    let giulia = app.sign_in(GIULIA).await;
    assert!(store.delete_user("usr_marco").await.expect("deleted"));
    assert_eq!(
        store
            .session_count("usr_marco", now)
            .await
            .expect("counted"),
        0
    );
    assert_eq!(
        account_status(&app.router, &marco).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(account_status(&app.router, &giulia).await, StatusCode::OK);
    assert!(!store.delete_user("usr_marco").await.expect("runs"));
}

#[tokio::test]
async fn the_store_counts_waits_trusts_and_prunes_by_the_policy() {
    use checkout_server::auth::limits::{AttemptKeys, ClientAddress, TRUST_FOR};
    use checkout_server::store::Admission::{Counted, Wait};
    let app = TestApp::spawn().await;
    let store = &app.state.store;
    let keys = AttemptKeys::new("someone@example.com", &ClientAddress::unknown());
    let count = |at: i64| store.count_sign_in_attempt(&keys, at);
    let t = 1_000_000;
    for _ in 0..5 {
        assert_eq!(count(t).await.expect("counted"), Counted);
    }
    assert_eq!(count(t + 10).await.expect("runs"), Wait(20));
    // The refused attempt was not counted: the wait still ends 30 s after the fifth.
    assert_eq!(count(t + 30).await.expect("runs"), Counted);
    assert_eq!(count(t + 31).await.expect("runs"), Wait(59));
    store
        .sign_in_succeeded(&keys.pair, t + 40)
        .await
        .expect("stored");
    // Two hours on, the e-mail's and the address's counters are over; the pair is trusted.
    assert_eq!(
        store.prune_sign_in_counters(t + 7_200).await.expect("runs"),
        2
    );
    assert_eq!(
        store
            .prune_sign_in_counters(t + 40 + TRUST_FOR)
            .await
            .expect("runs"),
        1
    );
}

/// A raw HTTP sign-in to the server on `port`, as if through a proxy that saw `client`; answers
/// the status line and headers.
fn sign_in_over_tcp(port: u16, client: &str, (email, password): (&str, &str)) -> String {
    use std::io::{Read, Write};
    let body = json!({"email": email, "password": password}).to_string();
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connects");
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(20)))
        .expect("a timeout");
    write!(
        stream,
        "POST /api/v1/session HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\
         Content-Type: application/json\r\nX-Forwarded-For: {client}\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .expect("sent");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("an answer");
    answer
}

/// A server process, killed when the test ends, passing or not.
struct Killed(std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        // Both fail harmlessly when the process has already gone.
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_binary_reads_the_client_from_the_trusted_proxy_header() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let _server = Killed(
        std::process::Command::new(env!("CARGO_BIN_EXE_checkout-server"))
            .args(["--listen", &format!("127.0.0.1:{port}"), "--demo"])
            .args(["--trusted-proxy-header", "X-Forwarded-For"])
            .arg("--database-url")
            .arg(dir.path().join("checkout.db"))
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("the server starts"),
    );
    let started = std::time::Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "the server never listened"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    for _ in 0..5 {
        let answer = sign_in_over_tcp(port, "192.0.2.66", (GIULIA.0, "guess"));
        assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    }
    let limited = sign_in_over_tcp(port, "192.0.2.66", GIULIA);
    assert!(limited.starts_with("HTTP/1.1 429"), "{limited}");
    assert!(
        limited.to_lowercase().contains("retry-after: "),
        "{limited}"
    );
    // All connections come from loopback: only the header tells Giulia apart from the guesser.
    let user = sign_in_over_tcp(port, "192.0.2.10", GIULIA);
    assert!(user.starts_with("HTTP/1.1 200"), "{user}");
}

/// A throw-away PostgreSQL cluster, or `None` (the test is skipped) when PostgreSQL is not
/// installed; under CI, where setup installs it, its absence fails the test instead.
fn cluster() -> Option<PgCluster> {
    let cluster = PgCluster::start();
    assert!(
        cluster.is_some() || std::env::var_os("CI").is_none(),
        "CI is set but PostgreSQL is not installed: these tests must run there"
    );
    cluster
}

/// Two apps over one PostgreSQL database, each with its own pool, as two processes are.
async fn two_processes(cluster: &PgCluster) -> (TestApp, Router, AppState) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let first = TestApp::spawn_on(&cluster.url, TODAY, dir, HttpConfig::default()).await;
    let store = checkout_server::store::Store::connect(&cluster.url)
        .await
        .expect("a second pool");
    let state = AppState::new(store, first.state.clock);
    (
        first,
        checkout_server::app(state.clone(), &HttpConfig::default()),
        state,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_limits_hold_across_two_processes_on_postgresql() {
    let Some(cluster) = cluster() else {
        return;
    };
    let (first, second, second_state) = two_processes(&cluster).await;
    let answers = fifty_guesses_while_the_user_signs_in(&[first.router.clone(), second]).await;
    assert_five_checked(&answers);
    // The guesses were spread over both processes; together they checked five, plus the user.
    assert_eq!(
        first.state.hashes.verifications() + second_state.hashes.verifications(),
        6
    );
    second_state.store.close().await;
    first.state.store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_session_ended_in_one_process_is_refused_by_another_at_once_on_postgresql() {
    let Some(cluster) = cluster() else {
        return;
    };
    let (first, second, second_state) = two_processes(&cluster).await;
    let token = first.sign_in(GIULIA).await;
    let phone = first.sign_in(GIULIA).await;
    assert_eq!(account_status(&second, &token).await, StatusCode::OK);
    let out = send_to(
        first.router.clone(),
        request(
            Method::DELETE,
            "/api/v1/session",
            Some(&token),
            &json!({}),
            from(10),
        ),
    )
    .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert_eq!(
        account_status(&second, &token).await,
        StatusCode::UNAUTHORIZED
    );
    // A password change in the second process ends the phone's session in the first.
    assert_eq!(account_status(&first.router, &phone).await, StatusCode::OK);
    let marco = token_via(&second, MARCO, from(10)).await;
    let changed = change_password(&second, &marco, MARCO.1, "another long passphrase").await;
    assert_eq!(changed.status, StatusCode::NO_CONTENT);
    let marco_elsewhere = first.sign_in((MARCO.0, "another long passphrase")).await;
    let changed = change_password(
        &second,
        &marco,
        "another long passphrase",
        "a third passphrase",
    )
    .await;
    assert_eq!(changed.status, StatusCode::NO_CONTENT);
    assert_eq!(
        account_status(&first.router, &marco_elsewhere).await,
        StatusCode::UNAUTHORIZED
    );
    // Deleting a user cascades to the sessions on PostgreSQL too.
    assert!(
        second_state
            .store
            .delete_user("usr_giulia")
            .await
            .expect("deleted")
    );
    assert_eq!(
        account_status(&first.router, &phone).await,
        StatusCode::UNAUTHORIZED
    );
    second_state.store.close().await;
    first.state.store.close().await;
}
