//! Health, sign-in and password change.

use serde::{Deserialize, Serialize};

use crate::Date;

/// The answer of `GET /api/v1/health`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// Always `ok` when the server answers.
    pub status: HealthStatus,
    /// The version of the catalog the server prices with (R7), e.g. `2026-11-01`.
    pub catalog_version: Date,
}

/// The state of a server that answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HealthStatus {
    /// The server answers.
    Ok,
}

/// The body of `POST /api/v1/session`: the user's credentials.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    /// The user's e-mail address.
    pub email: String,
    /// The user's password.
    pub password: String,
}

/// The answer of a sign-in: the bearer token of the new session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionToken {
    /// Sent as `Authorization: Bearer <token>` until sign-out (R30).
    pub token: String,
}

/// The body of `PUT /api/v1/session/password` (R30: the user's other sessions end).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    /// The password in use now; a wrong one is `403 invalid_credentials`.
    pub current_password: String,
    /// The new password, 12 to 256 characters (S32).
    #[cfg_attr(feature = "openapi", schema(min_length = 12, max_length = 256))]
    pub new_password: String,
}
