//! `/api/v1/session`: sign in (`POST`, under the sign-in limits, S30), sign out (`DELETE`, R30),
//! and change the password (`PUT /api/v1/session/password`, R30). The work is in
//! `crate::sessions`; this module only translates requests and answers.

use api::{ErrorCode, PasswordChange, SignIn};
use axum::Json;
use axum::extract::State;
use axum::http::header::RETRY_AFTER;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::auth::{AuthUser, Client};
use crate::error::ApiError;
use crate::routes::extract::JsonText;
use crate::sessions::{self, SessionError};
use crate::state::AppState;

/// An error answer of this resource, with `Retry-After` when it says to wait.
fn refusal(error: SessionError) -> Response {
    let (api, retry_after) = match error {
        SessionError::InvalidCredentials => (
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                ErrorCode::InvalidCredentials,
                "the e-mail or the password is wrong",
            ),
            None,
        ),
        SessionError::TooManyAttempts { retry_after } => (
            ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                ErrorCode::TooManyAttempts,
                format!("too many sign-in attempts; try again in {retry_after} seconds"),
            ),
            Some(retry_after),
        ),
        SessionError::Busy { retry_after } => (
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::ServerBusy,
                "the server is busy; try again in a moment",
            ),
            Some(retry_after),
        ),
        error @ SessionError::PasswordLength { .. } => (
            ApiError::invalid_request(error.to_string()).with_field("new_password"),
            None,
        ),
        SessionError::UnknownUser => (ApiError::unauthenticated(), None),
        error @ (SessionError::Store(_) | SessionError::Hash(_)) => {
            (ApiError::internal(error), None)
        }
    };
    let mut response = api.into_response();
    if let Some(seconds) = retry_after {
        response
            .headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
}

/// Signs in: `200 {"token"}`, or `401 invalid_credentials` whether the e-mail exists or not, or
/// `429 too_many_attempts` with `Retry-After` (S30), or `503 server_busy` with `Retry-After`
/// when the password checks are queued full.
pub async fn sign_in(
    State(state): State<AppState>,
    Client(from): Client,
    body: JsonText,
) -> Result<Json<api::SessionToken>, Response> {
    let SignIn { email, password } = body.parse().map_err(IntoResponse::into_response)?;
    match sessions::sign_in(&state, &email, password, &from).await {
        Ok(token) => Ok(Json(api::SessionToken { token })),
        Err(error) => {
            // Neither the e-mail nor the address: the log holds no personal data.
            tracing::info!(%error, "sign-in refused");
            Err(refusal(error))
        }
    }
}

/// Signs out: `204`; the token is refused from then on by every server process (R30).
pub async fn sign_out(
    State(state): State<AppState>,
    user: AuthUser,
) -> Result<StatusCode, Response> {
    sessions::sign_out(&state, user.token_hash())
        .await
        .map_err(refusal)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Changes the signed-in user's password: `204`, and the user's other sessions end (R30).
/// A wrong current password is `403 invalid_credentials` (counted like a sign-in, S30).
pub async fn change_password(
    State(state): State<AppState>,
    user: AuthUser,
    Client(from): Client,
    body: JsonText,
) -> Result<StatusCode, Response> {
    let PasswordChange {
        current_password,
        new_password,
    } = body.parse().map_err(IntoResponse::into_response)?;
    match sessions::change_password(
        &state,
        &user.session,
        user.token_hash(),
        current_password,
        new_password,
        &from,
    )
    .await
    {
        Ok(_) => Ok(StatusCode::NO_CONTENT),
        // Not 401: the session is fine, only the password typed to confirm was wrong, and a
        // client must not take it for a signed-out session.
        Err(SessionError::InvalidCredentials) => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            ErrorCode::InvalidCredentials,
            "the current password is wrong",
        )
        .with_field("current_password")
        .into_response()),
        Err(error) => Err(refusal(error)),
    }
}
