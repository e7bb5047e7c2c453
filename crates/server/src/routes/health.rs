//! `GET /api/v1/health` and `GET /api/v1/catalog`: no sign-in needed.

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use crate::state::AppState;

/// `200 {"status":"ok","catalog_version":...}`.
pub async fn health(State(state): State<AppState>) -> Json<Value> {
    Json(json!({ "status": "ok", "catalog_version": state.catalog.version() }))
}

/// The catalog the prices come from (R7).
pub async fn catalog(State(state): State<AppState>) -> Json<&'static billing::Catalog> {
    Json(state.catalog)
}

/// The OpenAPI 3 document of this API.
pub async fn openapi() -> ([(axum::http::HeaderName, &'static str); 1], &'static str) {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        crate::OPENAPI,
    )
}
