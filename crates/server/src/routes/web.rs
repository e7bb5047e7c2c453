//! The web app at `/` (Trunk's `dist/`, with an `index.html` fallback for client-side routes) and
//! the layers around everything: security headers (HSTS behind TLS), `Cache-Control: no-store` on
//! the authenticated API, two CORS policies (the public one of the widget's files and the catalog,
//! the configured one of the API), timeout, and one log line per request.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;

use api::ErrorCode;
use axum::Router;
use axum::body::Body;
use axum::extract::{MatchedPath, Request};
use axum::http::header::{
    AUTHORIZATION, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_SECURITY_POLICY,
    CONTENT_TYPE, ETAG, IF_NONE_MATCH, LAST_MODIFIED, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY,
    VARY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower::{Layer, Service, ServiceExt};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, Cors, CorsLayer};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

use crate::config::HttpConfig;
use crate::error::ApiError;

/// The Content-Security-Policy of the web app: only its own scripts and WebAssembly, no inline
/// script, never framed.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
    style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
    object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// `Strict-Transport-Security` when the server is reached over HTTPS (`--behind-tls`): a year,
/// subdomains included.
pub const HSTS: &str = "max-age=31536000; includeSubDomains";

/// Where the account pages live (their own bundle and `index.html`, issue 15).
const ACCOUNT_PAGES: &str = "/account/";

/// The API routes anyone may read without signing in; every other API answer is private to its
/// user and carries `Cache-Control: no-store`.
const PUBLIC_API: &[&str] = &["/api/v1/health", "/api/v1/catalog", "/api/v1/openapi.json"];

/// Whether `path` is served under the public CORS policy: the catalog (the pricing widget reads
/// it from marketing sites) and the widget's files.
fn is_public_cors(path: &str) -> bool {
    path == "/api/v1/catalog" || path.starts_with("/widget/")
}

async fn not_found() -> ApiError {
    ApiError::not_found("page")
}

/// Serves the web app at `/` when its directory exists; otherwise unknown paths are `404`.
///
/// A file is sent compressed when the build left a brotli (`.br`) or gzip (`.gz`) copy next to it
/// (scripts/precompress.mjs) and the browser accepts that encoding: the checkout's wasm is a
/// third of its size in brotli, which decides how soon a phone on a slow link shows the app.
/// Files carry `Vary: Accept-Encoding` and an `ETag` (a `304` answers a matching
/// `If-None-Match`), and a path with repeated slashes is read as if they were one, so that a
/// directory's redirect never becomes a protocol-relative `location: //host/`.
///
/// The account pages (`/account/`, issue 15) are a bundle of their own with their own
/// `account/index.html`: when it is built, an unknown path under `/account/` falls back to that
/// page, not to the checkout's.
pub fn with_static(router: Router, http: &HttpConfig) -> Router {
    match &http.static_dir {
        Some(dir) if dir.is_dir() => {
            let serve = |index: std::path::PathBuf| {
                ServeDir::new(dir)
                    .precompressed_br()
                    .precompressed_gzip()
                    .fallback(
                        ServeFile::new(index)
                            .precompressed_br()
                            .precompressed_gzip(),
                    )
            };
            let checkout = serve(dir.join("index.html"));
            // Without the account pages' build every path stays the checkout's.
            let account_index = dir.join("account").join("index.html");
            let account = account_index.is_file().then(|| serve(account_index));
            let files = tower::service_fn(move |request: Request| {
                let pages = match &account {
                    Some(account) if request.uri().path().starts_with(ACCOUNT_PAGES) => {
                        account.clone()
                    }
                    _ => checkout.clone(),
                };
                pages.oneshot(request)
            });
            let files = tower::ServiceBuilder::new()
                .map_request(collapse_slashes)
                .layer(axum::middleware::from_fn(validators))
                .service(files);
            router.fallback_service(files)
        }
        _ => router.fallback(not_found),
    }
}

/// The request with runs of `/` in its path made one (`//widget` is `/widget`).
fn collapse_slashes(mut request: Request) -> Request {
    let uri = request.uri();
    if !uri.path().contains("//") {
        return request;
    }
    let mut path = String::with_capacity(uri.path().len());
    for c in uri.path().chars() {
        if !(c == '/' && path.ends_with('/')) {
            path.push(c);
        }
    }
    if let Some(query) = uri.query() {
        path.push('?');
        path.push_str(query);
    }
    if let Ok(collapsed) = path.parse::<Uri>() {
        *request.uri_mut() = collapsed;
    }
    request
}

/// A weak validator of a static file as sent: its size, modification time and encoding (the
/// brotli, gzip and plain copies are different bytes, so they get different tags).
fn etag(headers: &HeaderMap) -> Option<HeaderValue> {
    let text = |name| {
        headers
            .get(name)
            .and_then(|value: &HeaderValue| value.to_str().ok())
    };
    let modified = text(LAST_MODIFIED)?;
    let length = text(CONTENT_LENGTH)?;
    let encoding = text(CONTENT_ENCODING).unwrap_or("identity");
    let stamp = crate::auth::sha256_hex(&format!("{length}:{modified}:{encoding}"));
    HeaderValue::from_str(&format!("W/\"{}\"", &stamp[..20])).ok()
}

/// Whether an `If-None-Match` header names `tag` (weak comparison, RFC 9110 13.1.2).
fn none_match(header: &HeaderValue, tag: &HeaderValue) -> bool {
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_owned();
    let Ok(tag) = tag.to_str() else {
        return false;
    };
    header.to_str().is_ok_and(|list| {
        list.split(',')
            .any(|candidate| candidate.trim() == "*" || bare(candidate) == bare(tag))
    })
}

/// Adds `Vary: Accept-Encoding` and an `ETag` to a static file, and answers `304 Not Modified`
/// without a body when the browser already holds that copy.
async fn validators(request: Request, next: Next) -> Response {
    let if_none_match = request.headers().get(IF_NONE_MATCH).cloned();
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(VARY, HeaderValue::from_static("accept-encoding"));
    if response.status() != StatusCode::OK {
        return response;
    }
    let Some(tag) = etag(response.headers()) else {
        return response;
    };
    if if_none_match.is_some_and(|header| none_match(&header, &tag)) {
        let mut not_modified = StatusCode::NOT_MODIFIED.into_response();
        for name in [VARY, LAST_MODIFIED, CACHE_CONTROL] {
            if let Some(value) = response.headers().get(&name) {
                not_modified.headers_mut().insert(name, value.clone());
            }
        }
        not_modified.headers_mut().insert(ETAG, tag);
        return not_modified;
    }
    response.headers_mut().insert(ETAG, tag);
    response
}

/// A handler that panicked answers `500` like any internal error: nothing about the cause.
fn panic_response(_panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    ApiError::internal("a request handler panicked").into_response()
}

/// Gives the timeout layer's empty `408` the API's error body.
async fn json_timeout(response: Response) -> Response {
    if response.status() == StatusCode::REQUEST_TIMEOUT
        && !response.headers().contains_key(CONTENT_TYPE)
    {
        return ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            ErrorCode::RequestTimeout,
            "the request took too long; please try again",
        )
        .into_response();
    }
    response
}

/// `Cache-Control: no-store` on every API answer but the public ones: accounts, orders, quotes
/// and session tokens must not stay in a browser's or a proxy's cache.
async fn no_store(request: Request, next: Next) -> Response {
    let private =
        request.uri().path().starts_with("/api/") && !PUBLIC_API.contains(&request.uri().path());
    let mut response = next.run(request).await;
    if private {
        response
            .headers_mut()
            .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// Logs every request once, at info: method, route template (`/api/v1/orders/{id}`, never the
/// path with its ids), status and latency. Nothing else of the request: no query, no headers, no
/// body, no address (personal data).
async fn log_request(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let route = match request.extensions().get::<MatchedPath>() {
        Some(matched) => matched.as_str().to_owned(),
        None if request.uri().path().starts_with("/api/") => "/api/(unknown)".to_owned(),
        None => "(static)".to_owned(),
    };
    let started = Instant::now();
    let response = next.run(request).await;
    tracing::info!(
        %method,
        %route,
        status = response.status().as_u16(),
        latency_us = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
        "request"
    );
    response
}

/// The two CORS policies, chosen by path: [`is_public_cors`] paths get the public one (any
/// origin, `GET` and `HEAD`, no credentials), every other path the API's (the configured origins
/// only, or none).
#[derive(Clone)]
struct SplitCors<S> {
    public: Cors<S>,
    api: Option<Cors<S>>,
    inner: S,
}

impl<S> Service<Request> for SplitCors<S>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        // Each call drives a clone of the chosen service to readiness itself.
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request) -> Self::Future {
        if is_public_cors(request.uri().path()) {
            let service = self.public.clone();
            Box::pin(async move {
                let response = service.oneshot(request).await?;
                Ok(response.map(Body::new))
            })
        } else if let Some(api) = &self.api {
            let service = api.clone();
            Box::pin(async move {
                let response = service.oneshot(request).await?;
                Ok(response.map(Body::new))
            })
        } else {
            Box::pin(self.inner.clone().oneshot(request))
        }
    }
}

/// The layer of [`SplitCors`].
#[derive(Clone)]
struct SplitCorsLayer {
    public: CorsLayer,
    api: Option<CorsLayer>,
}

impl SplitCorsLayer {
    fn new(http: &HttpConfig) -> SplitCorsLayer {
        let public = CorsLayer::new()
            .allow_origin(AllowOrigin::any())
            .allow_methods([Method::GET, Method::HEAD]);
        let origins: Vec<HeaderValue> = http
            .cors_origins
            .iter()
            .filter_map(|origin| HeaderValue::from_str(origin).ok())
            .collect();
        let api = (!origins.is_empty()).then(|| {
            CorsLayer::new()
                .allow_origin(AllowOrigin::list(origins))
                .allow_methods([Method::GET, Method::POST, Method::DELETE])
                .allow_headers([
                    AUTHORIZATION,
                    CONTENT_TYPE,
                    HeaderName::from_static("idempotency-key"),
                ])
        });
        SplitCorsLayer { public, api }
    }
}

impl<S: Clone> Layer<S> for SplitCorsLayer {
    type Service = SplitCors<S>;

    fn layer(&self, inner: S) -> SplitCors<S> {
        SplitCors {
            public: self.public.layer(inner.clone()),
            api: self.api.as_ref().map(|api| api.layer(inner.clone())),
            inner,
        }
    }
}

/// Wraps the router in the hardening layers.
pub fn layers(router: Router, http: &HttpConfig) -> Router {
    let router = router
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            http.request_timeout,
        ))
        .layer(axum::middleware::map_response(json_timeout))
        .layer(axum::middleware::from_fn(no_store))
        .layer(SetResponseHeaderLayer::if_not_present(
            CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ));
    // HSTS only when a flag says clients come over HTTPS: sent over plain HTTP on loopback it
    // would be ignored at best, and pin a development host to HTTPS at worst.
    let hsts = http
        .hsts
        .then(|| HeaderValue::from_static(HSTS))
        .map(|value| SetResponseHeaderLayer::if_not_present(STRICT_TRANSPORT_SECURITY, value));
    let router = match hsts {
        Some(layer) => router.layer(layer),
        None => router,
    };
    router
        .layer(SplitCorsLayer::new(http))
        .layer(axum::middleware::from_fn(log_request))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_slashes_are_collapsed_and_the_query_kept() {
        let request = |uri: &str| {
            collapse_slashes(
                Request::builder()
                    .uri(uri)
                    .body(Body::empty())
                    .expect("a request"),
            )
            .uri()
            .to_string()
        };
        assert_eq!(request("//widget"), "/widget");
        assert_eq!(request("/a//b///c?x=1//2"), "/a/b/c?x=1//2");
        assert_eq!(request("/plain"), "/plain");
    }

    #[test]
    fn if_none_match_compares_weakly_and_accepts_lists_and_star() {
        let tag = HeaderValue::from_static("W/\"abc\"");
        let header = |text: &'static str| HeaderValue::from_static(text);
        assert!(none_match(&header("W/\"abc\""), &tag));
        assert!(none_match(&header("\"abc\""), &tag));
        assert!(none_match(&header("\"x\", W/\"abc\""), &tag));
        assert!(none_match(&header("*"), &tag));
        assert!(!none_match(&header("W/\"abd\""), &tag));
    }

    #[test]
    fn only_the_catalog_and_the_widget_files_are_public() {
        assert!(is_public_cors("/api/v1/catalog"));
        assert!(is_public_cors("/widget/pricing.js"));
        assert!(!is_public_cors("/api/v1/account"));
        assert!(!is_public_cors("/api/v1/orders"));
        assert!(!is_public_cors("/widgets"));
    }
}
