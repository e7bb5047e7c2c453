//! Sign-in: argon2 password hashes, random session tokens of which only a SHA-256 is stored, the
//! bearer-token extractor, and the sign-in rate limit.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::sessions::Session;
use crate::state::AppState;
use crate::store::AccountRecord;

/// How long a session lasts.
pub const SESSION_LIFETIME: Duration = Duration::from_secs(12 * 60 * 60);

/// Lowercase hexadecimal of bytes.
pub fn to_hex(bytes: &[u8]) -> String {
    // Every request hashes its token: two table look-ups per byte rather than a `format!` each.
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut hex = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        hex.push(char::from(DIGITS[usize::from(byte >> 4)]));
        hex.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    hex
}

/// The SHA-256 of a text, in hexadecimal.
pub fn sha256_hex(text: &str) -> String {
    to_hex(&Sha256::digest(text.as_bytes()))
}

/// `n` random bytes from the operating system.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], getrandom::Error> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes)?;
    Ok(bytes)
}

/// A random id with a prefix (`ord_3f9c...`).
pub fn random_id(prefix: &str) -> Result<String, getrandom::Error> {
    Ok(format!("{prefix}_{}", to_hex(&random_bytes::<8>()?)))
}

/// Why a password could not be hashed.
#[derive(Debug, thiserror::Error)]
#[error("cannot hash the password: {0}")]
pub struct HashError(String);

/// The argon2id hash of a password, as a PHC string with a random salt.
pub fn hash_password(password: &str) -> Result<String, HashError> {
    let salt = random_bytes::<16>().map_err(|e| HashError(e.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| HashError(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| HashError(e.to_string()))
}

/// Whether `password` matches the PHC string `hash`.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A new session token (256 random bits, hex) and the hash to store for it.
pub fn new_token() -> Result<(String, String), getrandom::Error> {
    let token = to_hex(&random_bytes::<32>()?);
    let hash = sha256_hex(&token);
    Ok((token, hash))
}

/// The signed-in user of a request (`Authorization: Bearer <token>`); `401 unauthenticated`
/// without a valid, unexpired token. The session comes from this process's cache when it is
/// there (`sessions.rs`); what the user may do is not part of it (see [`AuthUser::role_in`]).
#[derive(Clone, Debug)]
pub struct AuthUser {
    /// The session: the user and the user's account.
    pub session: Arc<Session>,
    token_hash: String,
}

impl AuthUser {
    /// The signed-in user's account.
    pub fn account_id(&self) -> &str {
        &self.session.account_id
    }

    /// Whether the signed-in user is a billing contact (R1) of `record`, the user's account as
    /// just read from the store: the flag is read with the account on every request, never
    /// cached. A user who no longer belongs to the account is `401 unauthenticated`, and the
    /// session is read from the store again on the next request.
    pub fn role_in(&self, state: &AppState, record: &AccountRecord) -> Result<bool, ApiError> {
        record.role_of(&self.session.user_id).ok_or_else(|| {
            state.sessions.forget(&self.token_hash);
            ApiError::unauthenticated()
        })
    }
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<AuthUser, ApiError> {
        let token = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| {
                let (scheme, token) = value.split_once(' ')?;
                scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
            })
            .filter(|token| !token.is_empty())
            .ok_or_else(ApiError::unauthenticated)?;
        let token_hash = sha256_hex(token);
        let now = chrono::Utc::now().timestamp();
        if let Some(session) = state.sessions.get(&token_hash, now) {
            return Ok(AuthUser {
                session,
                token_hash,
            });
        }
        let session = state
            .store
            .session(&token_hash, now)
            .await?
            .ok_or_else(ApiError::unauthenticated)?;
        Ok(AuthUser {
            session: state.sessions.insert(&token_hash, session, now),
            token_hash,
        })
    }
}

/// Counts failed sign-ins per key (an e-mail, an IP address) in a sliding window.
#[derive(Debug)]
pub struct RateLimiter {
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
    max_failures: usize,
    window: Duration,
}

impl RateLimiter {
    /// Blocks a key after `max_failures` failures within `window`.
    pub fn new(max_failures: usize, window: Duration) -> RateLimiter {
        RateLimiter {
            failures: Mutex::new(HashMap::new()),
            max_failures,
            window,
        }
    }

    fn prune(entries: &mut VecDeque<Instant>, window: Duration) {
        let now = Instant::now();
        while entries
            .front()
            .is_some_and(|at| now.duration_since(*at) > window)
        {
            entries.pop_front();
        }
    }

    /// Whether the key has used up its attempts.
    pub fn is_blocked(&self, key: &str) -> bool {
        let mut map = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        map.get_mut(key).is_some_and(|entries| {
            RateLimiter::prune(entries, self.window);
            entries.len() >= self.max_failures
        })
    }

    /// Records a failure.
    pub fn record_failure(&self, key: &str) {
        let mut map = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        if map.len() > 100_000 {
            // A flood of distinct keys: forget the oldest state rather than grow without bound.
            map.clear();
        }
        let entries = map.entry(key.to_owned()).or_default();
        RateLimiter::prune(entries, self.window);
        entries.push_back(Instant::now());
    }

    /// Forgets a key's failures (after a successful sign-in).
    pub fn clear(&self, key: &str) {
        self.failures
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(key);
    }
}

/// The sign-in limits: per e-mail and per client address.
#[derive(Debug)]
pub struct SignInLimits {
    /// Failures per e-mail.
    pub per_email: RateLimiter,
    /// Failures per client IP address.
    pub per_ip: RateLimiter,
}

impl Default for SignInLimits {
    fn default() -> SignInLimits {
        let window = Duration::from_secs(15 * 60);
        SignInLimits {
            per_email: RateLimiter::new(5, window),
            per_ip: RateLimiter::new(20, window),
        }
    }
}
