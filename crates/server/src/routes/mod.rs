//! The router: the API of api.md under `/api/v1`, the OpenAPI document, and the web app at `/`.

pub mod account;
pub mod account_admin;
pub mod extract;
pub mod health;
pub mod orders;
pub mod payment_methods;
pub mod quote;
pub mod renewals;
pub mod session;
mod web;

use api::ErrorCode;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::{delete, get, post, put};

use crate::config::HttpConfig;
use crate::error::ApiError;
use crate::state::AppState;

/// Every route of the API as `(method, path)`, in the path syntax of OpenAPI and axum alike. The
/// router below registers exactly these; a test keeps the OpenAPI document (`crate::openapi`) in
/// step with this list.
pub const ROUTES: &[(&str, &str)] = &[
    ("get", "/api/v1/health"),
    ("get", "/api/v1/catalog"),
    ("get", "/api/v1/openapi.json"),
    ("post", "/api/v1/session"),
    ("delete", "/api/v1/session"),
    ("put", "/api/v1/session/password"),
    ("get", "/api/v1/account"),
    ("get", "/api/v1/account/users"),
    ("put", "/api/v1/account/billing-contact"),
    ("get", "/api/v1/account/billing-info"),
    ("put", "/api/v1/account/billing-info"),
    ("post", "/api/v1/quote"),
    ("post", "/api/v1/orders"),
    ("get", "/api/v1/orders"),
    ("get", "/api/v1/orders/{id}"),
    ("post", "/api/v1/orders/{id}/pay"),
    ("get", "/api/v1/payment-methods"),
    ("post", "/api/v1/payment-methods"),
    ("post", "/api/v1/payment-methods/setup"),
    ("put", "/api/v1/payment-methods/{id}/default"),
    ("delete", "/api/v1/payment-methods/{id}"),
];

async fn api_not_found() -> ApiError {
    ApiError::not_found("route")
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        ErrorCode::MethodNotAllowed,
        "this route does not take that method",
    )
}

/// The API routes alone.
fn api() -> Router<AppState> {
    Router::new()
        .route("/api/v1/health", get(health::health))
        .route("/api/v1/catalog", get(health::catalog))
        .route("/api/v1/openapi.json", get(health::openapi))
        .route(
            "/api/v1/session",
            post(session::sign_in).delete(session::sign_out),
        )
        .route("/api/v1/session/password", put(session::change_password))
        .route("/api/v1/account", get(account::get_account))
        .route("/api/v1/account/users", get(account_admin::list_users))
        .route(
            "/api/v1/account/billing-contact",
            put(account_admin::hand_over),
        )
        .route(
            "/api/v1/account/billing-info",
            get(account_admin::get_billing_info).put(account_admin::put_billing_info),
        )
        .route("/api/v1/quote", post(quote::quote))
        .route(
            "/api/v1/orders",
            post(orders::place_order).get(orders::list_orders),
        )
        .route("/api/v1/orders/{id}", get(orders::get_order))
        .route("/api/v1/orders/{id}/pay", post(renewals::pay))
        .route(
            "/api/v1/payment-methods",
            get(payment_methods::list).post(payment_methods::add),
        )
        .route(
            "/api/v1/payment-methods/setup",
            post(payment_methods::start_setup),
        )
        .route(
            "/api/v1/payment-methods/{id}/default",
            put(payment_methods::make_default),
        )
        .route(
            "/api/v1/payment-methods/{id}",
            delete(payment_methods::remove),
        )
        .route("/api", get(api_not_found).post(api_not_found))
        .route("/api/{*rest}", get(api_not_found).post(api_not_found))
        .method_not_allowed_fallback(method_not_allowed)
}

/// The whole app: API, web app, and the layers of the hardening list (body limit, timeout, CORS,
/// security headers, request traces).
pub fn app(state: AppState, http: &HttpConfig) -> Router {
    let router = api()
        .layer(DefaultBodyLimit::max(extract::BODY_LIMIT))
        .with_state(state);
    web::layers(web::with_static(router, http), http)
}
