//! Extractors whose rejections use the API's error body: the JSON body (415, 413, 422) and the
//! `Idempotency-Key` header (R23).

use api::ErrorCode;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// The largest request body accepted (api.md: 64 KiB, else `413`).
pub const BODY_LIMIT: usize = 64 * 1024;

/// The raw text of a JSON request body: `415` without `Content-Type: application/json`, `413`
/// over [`BODY_LIMIT`], `422 invalid_request` when it is not UTF-8.
#[derive(Clone, Debug)]
pub struct JsonText(pub String);

fn is_json(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim();
    essence.eq_ignore_ascii_case("application/json")
}

impl<S: Send + Sync> FromRequest<S> for JsonText {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<JsonText, ApiError> {
        let json = request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(is_json);
        if !json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ErrorCode::UnsupportedMediaType,
                "send the body as JSON with `Content-Type: application/json`",
            ));
        }
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| {
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::new(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        ErrorCode::PayloadTooLarge,
                        format!("the body is larger than {} KiB", BODY_LIMIT / 1024),
                    )
                } else {
                    ApiError::invalid_request("the body could not be read")
                }
            })?;
        String::from_utf8(bytes.to_vec())
            .map(JsonText)
            .map_err(|_| ApiError::invalid_request("the body is not UTF-8 text"))
    }
}

impl JsonText {
    /// Parses the body as `T`; unknown fields are refused by `T`'s `deny_unknown_fields`.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        serde_json::from_str(&self.0).map_err(|error| {
            ApiError::invalid_request(format!("the request is not valid: {error}"))
        })
    }
}

/// The `Idempotency-Key` of an order (R23): 1 to 255 visible ASCII characters.
#[derive(Clone, Debug)]
pub struct IdempotencyKey(pub String);

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<IdempotencyKey, ApiError> {
        let Some(value) = parts.headers.get("idempotency-key") else {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                ErrorCode::MissingIdempotencyKey,
                "send an `Idempotency-Key` header with the order (R23)",
            ));
        };
        let key = value.to_str().unwrap_or("");
        if key.is_empty() {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                ErrorCode::MissingIdempotencyKey,
                "the `Idempotency-Key` header is empty (R23)",
            ));
        }
        if key.len() > 255 || !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                ErrorCode::InvalidIdempotencyKey,
                "the `Idempotency-Key` must be 1 to 255 visible ASCII characters (R23)",
            ));
        }
        Ok(IdempotencyKey(key.to_owned()))
    }
}
