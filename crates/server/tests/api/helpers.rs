//! The test app: a router over a fresh store, seeded with the demo data, at a fixed date.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use checkout_server::store::Store;
use checkout_server::{AppState, Clock, HttpConfig, app, demo};
use chrono::NaiveDate;
use http_body_util::BodyExt;
use serde_json::Value;
use tempfile::TempDir;
use tower::ServiceExt;

/// The date of the done-when scenario.
pub const TODAY: &str = "2026-11-16";

/// Giulia, billing contact of Rossi S.r.l.
pub const GIULIA: (&str, &str) = ("giulia.rossi@example.com", "demo-billing-2026");
/// Marco, a user of Rossi S.r.l. who is not the billing contact.
pub const MARCO: (&str, &str) = ("marco.bianchi@example.com", "demo-user-2026");
/// The corporate account's billing contact.
pub const ACME: (&str, &str) = ("ops@acme-corp.example", "demo-corp-2026");
/// The expired account's billing contact.
pub const ANNA: (&str, &str) = ("anna@studio-verdi.example", "demo-expired-2026");

/// An answer: status, headers and JSON body (`Value::Null` when the body is not JSON).
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Answer {
    /// The error code of an error answer.
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }
}

/// A running app over its own store.
pub struct TestApp {
    pub router: Router,
    pub state: AppState,
    /// The database URL, for tests that change the store behind the server's back.
    pub url: String,
    _dir: TempDir,
}

pub fn date(text: &str) -> NaiveDate {
    text.parse().expect("a test date")
}

impl TestApp {
    /// The app at [`TODAY`] over a fresh SQLite file, with the demo data.
    pub async fn spawn() -> TestApp {
        TestApp::spawn_at(TODAY).await
    }

    /// The app at `today` over a fresh SQLite file, with the demo data.
    pub async fn spawn_at(today: &str) -> TestApp {
        let dir = tempfile::tempdir().expect("a temp dir");
        let url = format!("sqlite://{}", dir.path().join("data/checkout.db").display());
        TestApp::spawn_on(&url, today, dir, HttpConfig::default()).await
    }

    /// The app over the shared database at `url` (a PostgreSQL cluster several apps use, as
    /// several server processes would), with a temporary folder of its own and the default HTTP
    /// settings.
    pub async fn spawn_on_shared(url: &str, today: &str) -> TestApp {
        let dir = tempfile::tempdir().expect("a temp dir");
        TestApp::spawn_on(url, today, dir, HttpConfig::default()).await
    }

    /// The app over the database at `url`.
    pub async fn spawn_on(url: &str, today: &str, dir: TempDir, http: HttpConfig) -> TestApp {
        let store = Store::connect(url).await.expect("the store opens");
        demo::seed(&store).await.expect("the demo seeds");
        let state = AppState::new(store, Clock::fixed(date(today)));
        TestApp {
            router: app(state.clone(), &http),
            state,
            url: url.to_owned(),
            _dir: dir,
        }
    }

    /// Sends a request through the router.
    pub async fn send(&self, request: Request<Body>) -> Answer {
        send_to(self.router.clone(), request).await
    }

    /// A GET, signed in with `token` when given.
    pub async fn get(&self, path: &str, token: Option<&str>) -> Answer {
        let mut request = Request::builder().method(Method::GET).uri(path);
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        self.send(request.body(Body::empty()).expect("a request"))
            .await
    }

    /// A JSON POST of raw text.
    pub async fn post_raw(
        &self,
        path: &str,
        token: Option<&str>,
        key: Option<&str>,
        body: impl Into<Body>,
    ) -> Answer {
        let mut request = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header("content-type", "application/json");
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        if let Some(key) = key {
            request = request.header("idempotency-key", key);
        }
        self.send(request.body(body.into()).expect("a request"))
            .await
    }

    /// A JSON POST.
    pub async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> Answer {
        self.post_raw(path, token, None, body.to_string()).await
    }

    /// An order with an idempotency key.
    pub async fn order(&self, token: &str, key: &str, body: &Value) -> Answer {
        self.post_raw("/api/v1/orders", Some(token), Some(key), body.to_string())
            .await
    }

    /// Signs in and answers the token.
    pub async fn sign_in(&self, (email, password): (&str, &str)) -> String {
        let answer = self
            .post(
                "/api/v1/session",
                None,
                &serde_json::json!({ "email": email, "password": password }),
            )
            .await;
        assert_eq!(
            answer.status,
            StatusCode::OK,
            "{email} signs in: {:?}",
            answer.body
        );
        answer.body["token"].as_str().expect("a token").to_owned()
    }

    /// The account as the API shows it.
    pub async fn account(&self, token: &str) -> Value {
        let answer = self.get("/api/v1/account", Some(token)).await;
        assert_eq!(answer.status, StatusCode::OK);
        answer.body
    }

    /// Runs a statement on the store through a connection of its own, as an operator or another
    /// process would.
    pub async fn execute_sql(&self, sql: &str) {
        let pool = sqlx::AnyPool::connect(&self.url)
            .await
            .expect("a second connection");
        sqlx::query(sql)
            .execute(&pool)
            .await
            .expect("the statement runs");
        pool.close().await;
    }

    /// The number of orders of an account.
    pub async fn order_count(&self, account_id: &str) -> i64 {
        self.state
            .store
            .order_count(account_id)
            .await
            .expect("orders counted")
    }
}

/// The order of the done-when scenario: meeting to 8 seats.
pub fn eight_seats() -> Value {
    serde_json::json!({"items": [{"op": "change", "subscription": "sub_1", "seats": 8}]})
}

/// The same order as placed: with the total shown and a payment method.
pub fn eight_seats_order(payment_method: &str) -> Value {
    let mut body = eight_seats();
    body["expected_total"] = "93.94".into();
    body["payment_method"] = payment_method.into();
    body
}

/// Sends a request through `router` (of any app state: a second one plays another server
/// process) and reads its answer, the body as JSON (`null` when it is not JSON).
pub async fn send_to(router: Router, request: Request<Body>) -> Answer {
    let response = router.oneshot(request).await.expect("the router answers");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("a body")
        .to_bytes();
    Answer {
        status,
        headers,
        body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    }
}

/// Sends a request to `router`, signed in with `token` when given, with `body` as JSON when
/// given.
pub async fn call(
    router: &Router,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> Answer {
    let mut request = Request::builder().method(method).uri(path);
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let body = match body {
        Some(body) => {
            request = request.header("content-type", "application/json");
            Body::from(body.to_string())
        }
        None => Body::empty(),
    };
    send_to(router.clone(), request.body(body).expect("a request")).await
}
