//! The HTTP edge (issue 11, items 8 and 9): caching and transport headers, the two CORS
//! policies, static validators, no protocol-relative redirects, bounded error bodies, the strict
//! `expected_total` and the dates a quote may be priced at.

use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use checkout_server::HttpConfig;

use crate::helpers::{GIULIA, TODAY, TestApp, eight_seats, eight_seats_order};

async fn app_with(http: HttpConfig) -> TestApp {
    let dir = tempfile::tempdir().expect("a temp dir");
    let url = format!("sqlite://{}", dir.path().join("checkout.db").display());
    TestApp::spawn_on(&url, TODAY, dir, http).await
}

fn get(path: &str, headers: &[(&str, &str)]) -> Request<Body> {
    let mut request = Request::builder().method(Method::GET).uri(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.body(Body::empty()).expect("a request")
}

#[tokio::test]
async fn authenticated_answers_are_not_stored_and_public_ones_may_be() {
    let app = TestApp::spawn().await;
    let sign_in = app
        .post(
            "/api/v1/session",
            None,
            &serde_json::json!({"email": GIULIA.0, "password": GIULIA.1}),
        )
        .await;
    assert_eq!(sign_in.headers["cache-control"], "no-store", "the token");
    let token = sign_in.body["token"].as_str().expect("a token").to_owned();
    for path in [
        "/api/v1/account",
        "/api/v1/orders",
        "/api/v1/orders/ord_none",
    ] {
        let answer = app.get(path, Some(&token)).await;
        assert_eq!(answer.headers["cache-control"], "no-store", "{path}");
    }
    let quote = app
        .post("/api/v1/quote", Some(&token), &eight_seats())
        .await;
    assert_eq!(quote.headers["cache-control"], "no-store");
    // An error of the private API too: a 401 must not be cached for the next user either.
    assert_eq!(
        app.get("/api/v1/account", None).await.headers["cache-control"],
        "no-store"
    );
    for path in ["/api/v1/health", "/api/v1/catalog"] {
        let answer = app.get(path, None).await;
        assert!(!answer.headers.contains_key("cache-control"), "{path}");
    }
}

#[tokio::test]
async fn hsts_is_sent_only_when_the_server_is_said_to_be_behind_tls() {
    let plain = TestApp::spawn().await;
    let answer = plain.get("/api/v1/health", None).await;
    assert!(!answer.headers.contains_key("strict-transport-security"));
    let tls = app_with(HttpConfig {
        hsts: true,
        ..HttpConfig::default()
    })
    .await;
    let answer = tls.get("/api/v1/health", None).await;
    assert_eq!(
        answer.headers["strict-transport-security"],
        "max-age=31536000; includeSubDomains"
    );
}

#[tokio::test]
async fn the_catalog_and_the_widget_files_have_a_public_cors_policy_apart_from_the_api() {
    let web = tempfile::tempdir().expect("a temp dir");
    std::fs::write(web.path().join("index.html"), "<!doctype html>").expect("index");
    std::fs::create_dir_all(web.path().join("widget")).expect("widget dir");
    std::fs::write(web.path().join("widget/pricing.js"), "export {};").expect("loader");
    let app = app_with(HttpConfig {
        static_dir: Some(web.path().to_owned()),
        cors_origins: vec!["https://billing.example".to_owned()],
        ..HttpConfig::default()
    })
    .await;
    let shop = [("origin", "https://shop.example")];
    for path in ["/api/v1/catalog", "/widget/pricing.js"] {
        let answer = app.send(get(path, &shop)).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}");
        assert_eq!(answer.headers["access-control-allow-origin"], "*", "{path}");
        assert!(
            !answer
                .headers
                .contains_key("access-control-allow-credentials")
        );
    }
    // A preflight of the public policy allows GET only.
    let preflight = Request::builder()
        .method(Method::OPTIONS)
        .uri("/api/v1/catalog")
        .header("origin", "https://shop.example")
        .header("access-control-request-method", "GET")
        .body(Body::empty())
        .expect("a request");
    let answer = app.send(preflight).await;
    let methods = answer.headers["access-control-allow-methods"]
        .to_str()
        .expect("text");
    assert!(
        methods.contains("GET") && !methods.contains("POST"),
        "{methods}"
    );
    // The authenticated API answers only its configured origins.
    let token = app.sign_in(GIULIA).await;
    let auth = format!("Bearer {token}");
    let foreign = app
        .send(get(
            "/api/v1/account",
            &[("origin", "https://shop.example"), ("authorization", &auth)],
        ))
        .await;
    assert!(!foreign.headers.contains_key("access-control-allow-origin"));
    let own = app
        .send(get(
            "/api/v1/account",
            &[
                ("origin", "https://billing.example"),
                ("authorization", &auth),
            ],
        ))
        .await;
    assert_eq!(
        own.headers["access-control-allow-origin"],
        "https://billing.example"
    );
    // The checkout's own files are not public to other sites.
    let page = app.send(get("/index.html", &shop)).await;
    assert!(!page.headers.contains_key("access-control-allow-origin"));
}

#[tokio::test]
async fn static_files_carry_vary_and_an_etag_and_answer_304_to_a_match() {
    let web = tempfile::tempdir().expect("a temp dir");
    std::fs::write(web.path().join("index.html"), "<!doctype html>").expect("index");
    std::fs::write(web.path().join("app.wasm"), b"\0asm plain").expect("wasm");
    std::fs::write(web.path().join("app.wasm.br"), b"brotli bytes").expect("wasm br");
    let app = app_with(HttpConfig {
        static_dir: Some(web.path().to_owned()),
        request_timeout: Duration::from_secs(5),
        ..HttpConfig::default()
    })
    .await;
    let plain = app.send(get("/app.wasm", &[])).await;
    assert_eq!(plain.status, StatusCode::OK);
    assert_eq!(plain.headers["vary"], "accept-encoding");
    let plain_tag = plain.headers["etag"].to_str().expect("text").to_owned();
    let brotli = app
        .send(get("/app.wasm", &[("accept-encoding", "br")]))
        .await;
    let brotli_tag = brotli.headers["etag"].to_str().expect("text").to_owned();
    assert_ne!(plain_tag, brotli_tag, "each encoding has its own tag");
    let again = app
        .send(get(
            "/app.wasm",
            &[("accept-encoding", "br"), ("if-none-match", &brotli_tag)],
        ))
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert_eq!(again.headers["etag"], brotli_tag.as_str());
    // The plain copy's tag does not match the brotli copy.
    let other = app
        .send(get(
            "/app.wasm",
            &[("accept-encoding", "br"), ("if-none-match", &plain_tag)],
        ))
        .await;
    assert_eq!(other.status, StatusCode::OK);
}

#[tokio::test]
async fn the_account_pages_have_their_own_index_as_fallback() {
    // The files hold JSON strings, so the test helper reads which one answered.
    let web = tempfile::tempdir().expect("a temp dir");
    std::fs::write(web.path().join("index.html"), r#""checkout""#).expect("index");
    std::fs::create_dir_all(web.path().join("account")).expect("account dir");
    std::fs::write(web.path().join("account/index.html"), r#""account""#).expect("account index");
    std::fs::write(web.path().join("account/app.js"), r#""loader""#).expect("account loader");
    let app = app_with(HttpConfig {
        static_dir: Some(web.path().to_owned()),
        ..HttpConfig::default()
    })
    .await;
    let text = |answer: &crate::helpers::Answer| answer.body.as_str().map(str::to_owned);
    for (path, expected) in [
        ("/account/", "account"),
        ("/account/cards", "account"),
        ("/account/app.js", "loader"),
        ("/history", "checkout"),
        ("/accounts", "checkout"),
    ] {
        let answer = app.send(get(path, &[])).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}");
        assert_eq!(text(&answer).as_deref(), Some(expected), "{path}");
    }
    let bare = app.send(get("/account", &[])).await;
    assert_eq!(bare.headers["location"], "/account/");
}

#[tokio::test]
async fn a_path_with_repeated_slashes_never_redirects_to_another_host() {
    let web = tempfile::tempdir().expect("a temp dir");
    std::fs::write(web.path().join("index.html"), "<!doctype html>").expect("index");
    std::fs::create_dir_all(web.path().join("widget")).expect("widget dir");
    std::fs::write(web.path().join("widget/index.html"), "widget").expect("widget index");
    let app = app_with(HttpConfig {
        static_dir: Some(web.path().to_owned()),
        ..HttpConfig::default()
    })
    .await;
    for path in ["//widget", "///widget", "/widget", "//evil.example/widget"] {
        let answer = app.send(get(path, &[])).await;
        if let Some(location) = answer.headers.get("location") {
            let location = location.to_str().expect("text");
            assert!(
                location.starts_with('/') && !location.starts_with("//"),
                "{path} -> {location}"
            );
        }
    }
}

#[tokio::test]
async fn error_bodies_do_not_echo_long_input_nor_name_internal_types() {
    let app = TestApp::spawn().await;
    let token = app.sign_in(GIULIA).await;
    let mut body = eight_seats_order("pm_1");
    body["vat_id"] = format!("IT{}", "X".repeat(60_000)).into();
    let answer = app.order(&token, "long-vat", &body).await;
    assert_eq!(answer.code(), "invalid_vat_id");
    assert!(
        answer.body.to_string().len() < 1_000,
        "{} bytes",
        answer.body.to_string().len()
    );
    let quote = app.post("/api/v1/quote", Some(&token), &body).await;
    assert!(quote.body.to_string().len() < 1_000);
    // An unknown field as long as the body allows.
    let field = "f".repeat(50_000);
    let answer = app
        .post_raw(
            "/api/v1/quote",
            Some(&token),
            None,
            format!(r#"{{"items":[],"{field}":1}}"#),
        )
        .await;
    assert_eq!(answer.code(), "invalid_request");
    assert!(answer.body.to_string().len() < 1_000);
    // A body of the wrong shape names no Rust type.
    for raw in ["3", "[]", r#""text""#, r#"{"items":[{"op":3}]}"#] {
        let answer = app
            .post_raw("/api/v1/quote", Some(&token), None, raw.to_owned())
            .await;
        assert_eq!(answer.code(), "invalid_request", "{raw}");
        let message = answer.body["error"]["message"].as_str().expect("a message");
        for name in ["OrderRequest", "ItemInput", "struct ", "enum "] {
            assert!(!message.contains(name), "{raw}: {message}");
        }
    }
}

#[tokio::test]
async fn expected_total_must_be_written_exactly() {
    let app = TestApp::spawn().await;
    let token = app.sign_in(GIULIA).await;
    for (n, total) in [
        " 17.08", "+93.94", "093.94", "93.940", "93.9", "93", "93.94 ", "9394e-2",
    ]
    .iter()
    .enumerate()
    {
        let mut body = eight_seats_order("pm_1");
        body["expected_total"] = (*total).into();
        let answer = app.order(&token, &format!("strict-{n}"), &body).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{total:?}");
        assert_eq!(answer.code(), "invalid_request", "{total:?}");
        assert_eq!(answer.body["error"]["field"], "expected_total", "{total:?}");
    }
    assert_eq!(app.order_count("acc_rossi").await, 0);
    let placed = app
        .order(&token, "strict-ok", &eight_seats_order("pm_1"))
        .await;
    assert_eq!(placed.status, StatusCode::CREATED, "{:?}", placed.body);
}

#[tokio::test]
async fn a_quote_is_priced_only_from_today_to_the_first_renewal() {
    let app = TestApp::spawn().await;
    let token = app.sign_in(GIULIA).await;
    // Rossi's meeting subscription renews on 2026-12-01 (R16).
    for (as_of, allowed) in [
        ("2026-11-16", true),
        ("2026-11-30", true),
        ("2026-11-15", false),
        ("2026-12-01", false),
        ("2020-01-01", false),
        ("2999-01-01", false),
    ] {
        let mut body = eight_seats();
        body["as_of"] = as_of.into();
        let answer = app.post("/api/v1/quote", Some(&token), &body).await;
        if allowed {
            assert_eq!(answer.status, StatusCode::OK, "{as_of}: {:?}", answer.body);
        } else {
            assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{as_of}");
            assert_eq!(answer.code(), "as_of_outside_period", "{as_of}");
            assert_eq!(answer.body["error"]["field"], "as_of", "{as_of}");
        }
    }
}
