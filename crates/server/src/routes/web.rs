//! The web app at `/` (Trunk's `dist/`, with an `index.html` fallback for client-side routes) and
//! the layers around everything: security headers, CORS, timeout, traces.

use axum::Router;
use axum::http::header::{
    AUTHORIZATION, CONTENT_SECURITY_POLICY, CONTENT_TYPE, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::config::HttpConfig;
use crate::error::ApiError;

/// The Content-Security-Policy of the web app: only its own scripts and WebAssembly, no inline
/// script, never framed.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
    style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
    object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

async fn not_found() -> ApiError {
    ApiError::not_found("page")
}

/// Serves the web app at `/` when its directory exists; otherwise unknown paths are `404`.
///
/// A file is sent compressed when the build left a brotli (`.br`) or gzip (`.gz`) copy next to it
/// (scripts/precompress.mjs) and the browser accepts that encoding: the checkout's wasm is a
/// third of its size in brotli, which decides how soon a phone on a slow link shows the app.
pub fn with_static(router: Router, http: &HttpConfig) -> Router {
    match &http.static_dir {
        Some(dir) if dir.is_dir() => {
            let index = ServeFile::new(dir.join("index.html"))
                .precompressed_br()
                .precompressed_gzip();
            let files = ServeDir::new(dir)
                .precompressed_br()
                .precompressed_gzip()
                .fallback(index);
            router.fallback_service(files)
        }
        _ => router.fallback(not_found),
    }
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
            "request_timeout",
            "the request took too long; please try again",
        )
        .into_response();
    }
    response
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
    let origins: Vec<HeaderValue> = http
        .cors_origins
        .iter()
        .filter_map(|origin| HeaderValue::from_str(origin).ok())
        .collect();
    let router = if origins.is_empty() {
        router
    } else {
        router.layer(
            CorsLayer::new()
                .allow_origin(AllowOrigin::list(origins))
                .allow_methods([Method::GET, Method::POST])
                .allow_headers([
                    AUTHORIZATION,
                    CONTENT_TYPE,
                    HeaderName::from_static("idempotency-key"),
                ]),
        )
    };
    // The default trace spans hold method and path only: no headers, so no tokens.
    router.layer(TraceLayer::new_for_http())
}
