//! `GET /api/v1/health`, `GET /api/v1/catalog` and `GET /api/v1/openapi.json`: no sign-in needed.

use axum::Json;
use axum::extract::State;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::wire;

/// `200 {"status":"ok","catalog_version":...}`.
pub async fn health(State(state): State<AppState>) -> Json<api::Health> {
    Json(api::Health {
        status: api::HealthStatus::Ok,
        catalog_version: state.catalog.version().into(),
    })
}

/// The catalog the prices come from (R7).
pub async fn catalog(State(state): State<AppState>) -> ApiResult<Json<api::Catalog>> {
    wire::catalog(state.catalog)
        .map(Json)
        .map_err(ApiError::internal)
}

/// The OpenAPI 3.1 document of this API, generated from the wire types (`crate::openapi`).
pub async fn openapi() -> Json<&'static utoipa::openapi::OpenApi> {
    Json(crate::openapi::document())
}
