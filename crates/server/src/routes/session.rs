//! `POST /api/v1/session`: sign in with e-mail and password, rate-limited.

use std::net::SocketAddr;

use axum::Json;
use axum::extract::{ConnectInfo, State};
use axum::http::{Extensions, StatusCode};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::auth::{SESSION_LIFETIME, new_token, verify_password};
use crate::error::{ApiError, ApiResult};
use crate::routes::extract::JsonText;
use crate::state::AppState;

/// The sign-in body; any other field is refused.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SignIn {
    email: String,
    password: String,
}

fn invalid_credentials() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
        "the e-mail or the password is wrong",
    )
}

/// Signs in: `200 {"token"}`, or `401 invalid_credentials` whether the e-mail exists or not, or
/// `429 too_many_attempts` after repeated failures for one e-mail or one address.
pub async fn sign_in(
    State(state): State<AppState>,
    extensions: Extensions,
    body: JsonText,
) -> ApiResult<Json<Value>> {
    let SignIn { email, password } = body.parse()?;
    let email = email.trim().to_lowercase();
    let ip = extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_string())
        .unwrap_or_else(|| "unknown".to_owned());
    let email_key = format!("email:{email}");
    let ip_key = format!("ip:{ip}");
    if state.limits.per_email.is_blocked(&email_key) || state.limits.per_ip.is_blocked(&ip_key) {
        tracing::warn!(%ip, "sign-in rate limit reached");
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_attempts",
            "too many failed sign-ins; wait a few minutes and try again",
        ));
    }
    let user = state.store.user_by_email(&email).await?;
    // An unknown e-mail is checked against a dummy hash, so both failures take as long.
    let hash = user
        .as_ref()
        .map_or_else(|| state.dummy_hash.to_string(), |u| u.password_hash.clone());
    let matches = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .map_err(ApiError::internal)?;
    let Some(user) = user.filter(|_| matches) else {
        state.limits.per_email.record_failure(&email_key);
        state.limits.per_ip.record_failure(&ip_key);
        tracing::info!(%ip, "sign-in refused");
        return Err(invalid_credentials());
    };
    state.limits.per_email.clear(&email_key);
    let (token, token_hash) = new_token().map_err(ApiError::internal)?;
    let lifetime = i64::try_from(SESSION_LIFETIME.as_secs()).unwrap_or(i64::MAX);
    let expires_at = chrono::Utc::now().timestamp().saturating_add(lifetime);
    state
        .store
        .create_session(&token_hash, &user.id, expires_at)
        .await?;
    tracing::info!(user = %user.id, "signed in");
    Ok(Json(json!({ "token": token })))
}
