//! Body limit, content type, security headers, CORS and the static web app.

use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use checkout_server::HttpConfig;

use crate::helpers::{GIULIA, TODAY, TestApp, eight_seats_order};

#[tokio::test]
async fn a_body_over_64_kib_is_refused_with_413() {
    let app = TestApp::spawn().await;
    let t = app.sign_in(GIULIA).await;
    let mut body = eight_seats_order("pm_1");
    body["vat_id"] = "X".repeat(70 * 1024).into();
    let answer = app
        .post_raw("/api/v1/orders", Some(&t), Some("big"), body.to_string())
        .await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(answer.code(), "payload_too_large");
    let quote = app
        .post_raw("/api/v1/quote", Some(&t), None, body.to_string())
        .await;
    assert_eq!(quote.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(app.order_count("acc_rossi").await, 0);
}

#[tokio::test]
async fn a_body_that_is_not_declared_json_is_refused_with_415() {
    let app = TestApp::spawn().await;
    let t = app.sign_in(GIULIA).await;
    for content_type in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
    ] {
        for path in ["/api/v1/orders", "/api/v1/quote", "/api/v1/session"] {
            let mut request = Request::builder()
                .method(Method::POST)
                .uri(path)
                .header("authorization", format!("Bearer {t}"))
                .header("idempotency-key", "ct");
            if let Some(content_type) = content_type {
                request = request.header("content-type", content_type);
            }
            let request = request
                .body(Body::from(eight_seats_order("pm_1").to_string()))
                .expect("a request");
            let answer = app.send(request).await;
            assert_eq!(
                answer.status,
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "{path} {content_type:?}"
            );
            assert_eq!(answer.code(), "unsupported_media_type");
        }
    }
    let charset = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/quote")
        .header("authorization", format!("Bearer {t}"))
        .header("content-type", "application/json; charset=utf-8")
        .body(Body::from(crate::helpers::eight_seats().to_string()))
        .expect("a request");
    assert_eq!(app.send(charset).await.status, StatusCode::OK);
    assert_eq!(app.order_count("acc_rossi").await, 0);
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let app = TestApp::spawn().await;
    let answer = app.get("/api/v1/health", None).await;
    let csp = answer.headers["content-security-policy"]
        .to_str()
        .expect("text");
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
        "{csp}"
    );
    assert!(csp.contains("frame-ancestors 'none'"));
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(answer.headers["x-content-type-options"], "nosniff");
    assert_eq!(answer.headers["referrer-policy"], "no-referrer");
}

async fn app_with(http: HttpConfig) -> TestApp {
    let dir = tempfile::tempdir().expect("a temp dir");
    let url = format!("sqlite://{}", dir.path().join("checkout.db").display());
    TestApp::spawn_on(&url, TODAY, dir, http).await
}

#[tokio::test]
async fn cors_allows_only_the_configured_origins() {
    let app = app_with(HttpConfig {
        cors_origins: vec!["https://billing.example".to_owned()],
        ..HttpConfig::default()
    })
    .await;
    let preflight = |origin: &str| {
        Request::builder()
            .method(Method::OPTIONS)
            .uri("/api/v1/orders")
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "idempotency-key, content-type",
            )
            .body(Body::empty())
            .expect("a request")
    };
    let allowed = app.send(preflight("https://billing.example")).await;
    assert_eq!(
        allowed.headers["access-control-allow-origin"],
        "https://billing.example"
    );
    let denied = app.send(preflight("https://evil.example")).await;
    assert!(!denied.headers.contains_key("access-control-allow-origin"));
}

#[tokio::test]
async fn the_web_app_is_served_at_the_root_with_an_index_fallback() {
    let web = tempfile::tempdir().expect("a temp dir");
    std::fs::write(
        web.path().join("index.html"),
        "<!doctype html><title>checkout</title>",
    )
    .expect("index written");
    std::fs::write(web.path().join("app.js"), "export {};").expect("script written");
    let app = app_with(HttpConfig {
        static_dir: Some(web.path().to_owned()),
        request_timeout: Duration::from_secs(5),
        ..HttpConfig::default()
    })
    .await;
    for path in ["/", "/account/plans", "/app.js"] {
        let request = Request::builder()
            .uri(path)
            .body(Body::empty())
            .expect("a request");
        let response = tower::ServiceExt::oneshot(app.router.clone(), request)
            .await
            .expect("an answer");
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert!(response.headers().contains_key("content-security-policy"));
    }
    // The API keeps its own 404s.
    assert_eq!(app.get("/api/v1/nothing", None).await.code(), "not_found");
}

#[tokio::test]
async fn a_precompressed_copy_is_sent_to_a_browser_that_accepts_its_encoding() {
    let web = tempfile::tempdir().expect("a temp dir");
    let write = |name: &str, bytes: &[u8]| {
        std::fs::write(web.path().join(name), bytes).expect("file written");
    };
    write("index.html", b"<!doctype html><title>checkout</title>");
    write("index.html.br", b"brotli index");
    write("app.wasm", b"\0asm plain");
    write("app.wasm.br", b"brotli bytes");
    write("app.wasm.gz", b"gzip bytes");
    let app = app_with(HttpConfig {
        static_dir: Some(web.path().to_owned()),
        request_timeout: Duration::from_secs(5),
        ..HttpConfig::default()
    })
    .await;
    let fetch = |path: &'static str, accept: Option<&'static str>| {
        let router = app.router.clone();
        async move {
            let mut request = Request::builder().uri(path);
            if let Some(accept) = accept {
                request = request.header("accept-encoding", accept);
            }
            let response =
                tower::ServiceExt::oneshot(router, request.body(Body::empty()).expect("a request"))
                    .await
                    .expect("an answer");
            let encoding = response
                .headers()
                .get("content-encoding")
                .map(|value| value.to_str().expect("ascii").to_owned());
            let content_type = response
                .headers()
                .get("content-type")
                .map(|value| value.to_str().expect("ascii").to_owned());
            let body = axum::body::to_bytes(response.into_body(), 1 << 20)
                .await
                .expect("a body");
            (encoding, content_type, body)
        }
    };
    let (encoding, content_type, body) = fetch("/app.wasm", Some("gzip, deflate, br")).await;
    assert_eq!(encoding.as_deref(), Some("br"));
    assert_eq!(content_type.as_deref(), Some("application/wasm"));
    assert_eq!(&body[..], b"brotli bytes");
    let (encoding, _, body) = fetch("/app.wasm", Some("gzip")).await;
    assert_eq!(encoding.as_deref(), Some("gzip"));
    assert_eq!(&body[..], b"gzip bytes");
    let (encoding, _, body) = fetch("/app.wasm", None).await;
    assert_eq!(encoding, None);
    assert_eq!(&body[..], b"\0asm plain");
    // The index fallback of a client-side route is compressed the same way.
    let (encoding, content_type, body) = fetch("/account/plans", Some("br")).await;
    assert_eq!(encoding.as_deref(), Some("br"));
    assert_eq!(content_type.as_deref(), Some("text/html"));
    assert_eq!(&body[..], b"brotli index");
}

#[tokio::test]
async fn a_request_over_the_time_limit_is_a_json_408() {
    let app = app_with(HttpConfig {
        request_timeout: Duration::from_millis(1),
        ..HttpConfig::default()
    })
    .await;
    let answer = app
        .post(
            "/api/v1/session",
            None,
            &serde_json::json!({"email": GIULIA.0, "password": GIULIA.1}),
        )
        .await;
    assert_eq!(answer.status, StatusCode::REQUEST_TIMEOUT);
    assert_eq!(answer.code(), "request_timeout");
    assert!(answer.headers.contains_key("content-security-policy"));
}

#[tokio::test]
async fn a_server_error_tells_nothing_about_its_cause() {
    let app = TestApp::spawn().await;
    let token = app.sign_in(GIULIA).await;
    app.state.store.close().await;
    let answer = app.get("/api/v1/account", Some(&token)).await;
    assert_eq!(answer.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(answer.code(), "internal_error");
    let message = answer.body["error"]["message"].as_str().expect("a message");
    for secret in ["pool", "sqlx", "database", "sqlite", "closed"] {
        assert!(!message.to_lowercase().contains(secret), "{message}");
    }
}

struct PanickingProvider;

impl checkout_server::payments::PaymentProvider for PanickingProvider {
    fn charge<'a>(
        &'a self,
        _charge: checkout_server::payments::Charge<'a>,
    ) -> checkout_server::payments::PaymentFuture<'a> {
        Box::pin(async { panic!("secret-detail of the provider") })
    }

    fn find_charge<'a>(
        &'a self,
        _key: &'a str,
    ) -> checkout_server::payments::PaymentFuture<'a, Option<String>> {
        // It panicked before charging anything.
        Box::pin(async { Ok(None) })
    }

    fn refund<'a>(
        &'a self,
        _reference: &'a str,
    ) -> checkout_server::payments::PaymentFuture<'a, ()> {
        Box::pin(async { Ok(()) })
    }
}

#[tokio::test]
async fn a_panicking_handler_answers_a_bare_500_and_the_server_goes_on() {
    let mut app = TestApp::spawn().await;
    let state = app
        .state
        .clone()
        .with_payments(std::sync::Arc::new(PanickingProvider));
    app.router = checkout_server::app(state, &HttpConfig::default());
    let t = app.sign_in(GIULIA).await;
    let answer = app.order(&t, "boom", &eight_seats_order("pm_1")).await;
    assert_eq!(answer.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(answer.code(), "internal_error");
    assert!(!answer.body.to_string().contains("secret-detail"));
    assert_eq!(app.order_count("acc_rossi").await, 0);
    // The write lock was released: the next order goes through with a working provider.
    app.router = checkout_server::app(app.state.clone(), &HttpConfig::default());
    let placed = app.order(&t, "after", &eight_seats_order("pm_1")).await;
    assert_eq!(placed.status, StatusCode::CREATED);
}
