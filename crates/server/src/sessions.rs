//! Sessions from sign-in to sign-out, apart from HTTP: signing in under the sign-in limits (S30),
//! signing out (R30), and changing a password, which ends the user's other sessions (R30).
//!
//! A session is read from the store with every request (`auth::AuthUser`); no process keeps
//! sessions in memory, so a session that ends in one process is refused by every process from the
//! next request on, and a user deleted or moved to another account counts at once. That read is
//! one primary-key look-up joined to the user's row, made by requests that query the store anyway.

use crate::auth::limits::{AttemptKeys, ClientAddress};
use crate::auth::{HashError, SESSION_LIFETIME, new_token};
use crate::state::AppState;
use crate::store::{Admission, StoreError};

/// The shortest new password, in characters (S32).
pub const MIN_PASSWORD_CHARS: usize = 12;

/// The longest password, in characters (S32): argon2 reads all of it, and nobody types more.
pub const MAX_PASSWORD_CHARS: usize = 256;

/// A signed-in session as the store holds it: the user and the user's account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    /// The user the token was issued to.
    pub user_id: String,
    /// The account of that user.
    pub account_id: String,
    /// When the session ends (Unix seconds): it is valid while `now < expires_at`.
    pub expires_at: i64,
}

/// Why a sign-in or a password change did not happen.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// The e-mail is unknown or the password wrong (the two are not told apart).
    #[error("the e-mail or the password is wrong")]
    InvalidCredentials,
    /// The sign-in limits (S30) ask to wait this many seconds; no password was checked.
    #[error("too many sign-in attempts; retry after {retry_after} s")]
    TooManyAttempts {
        /// Seconds to wait.
        retry_after: u64,
    },
    /// The password hashing queue is full; no password was checked.
    #[error("the server is busy checking passwords")]
    Busy {
        /// Seconds to wait.
        retry_after: u64,
    },
    /// A new password shorter or longer than S32 allows.
    #[error("the new password must have {min} to {max} characters")]
    PasswordLength {
        /// The fewest characters.
        min: usize,
        /// The most characters.
        max: usize,
    },
    /// The session's user is gone.
    #[error("the session's user no longer exists")]
    UnknownUser,
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Hashing failed for another reason than load.
    #[error("password hashing failed: {0}")]
    Hash(String),
}

impl From<HashError> for SessionError {
    fn from(error: HashError) -> SessionError {
        match error {
            HashError::Busy { .. } => SessionError::Busy { retry_after: 1 },
            HashError::Failed(cause) => SessionError::Hash(cause),
        }
    }
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Counts an attempt for `email` from `from` (S30) before anything is checked.
async fn count_attempt(
    state: &AppState,
    email: &str,
    from: &ClientAddress,
) -> Result<AttemptKeys, SessionError> {
    let keys = AttemptKeys::new(email, from);
    match state.store.count_sign_in_attempt(&keys, now()).await? {
        Admission::Counted => Ok(keys),
        Admission::Wait(seconds) => Err(SessionError::TooManyAttempts {
            retry_after: u64::try_from(seconds).unwrap_or(1).max(1),
        }),
    }
}

/// Signs in: counts the attempt under the sign-in limits (S30), then checks the password on the
/// hash pool; answers the new session's token. An unknown e-mail is checked against a dummy hash
/// and counted like a known one, so neither the answer nor its time tells whether it exists.
pub async fn sign_in(
    state: &AppState,
    email: &str,
    password: String,
    from: &ClientAddress,
) -> Result<String, SessionError> {
    let email = email.trim().to_lowercase();
    // Counted first: attempts made at once are limited like attempts made one after the other,
    // and a refused attempt costs no hash.
    let keys = count_attempt(state, &email, from).await?;
    let user = state.store.user_by_email(&email).await?;
    let hash = user
        .as_ref()
        .map_or_else(|| state.dummy_hash.to_string(), |u| u.password_hash.clone());
    let matches = state.hashes.verify(password, hash).await?;
    let Some(user) = user.filter(|_| matches) else {
        return Err(SessionError::InvalidCredentials);
    };
    let at = now();
    state.store.sign_in_succeeded(&keys.pair, at).await?;
    // Counters of attempts long past are dropped here, off the path of refused guesses.
    state.store.prune_sign_in_counters(at).await?;
    open_session(state, &user.id).await
}

/// Stores a new session of `user_id`; answers its token (only its hash is stored).
async fn open_session(state: &AppState, user_id: &str) -> Result<String, SessionError> {
    let (token, token_hash) = new_token().map_err(|e| SessionError::Hash(e.to_string()))?;
    let lifetime = i64::try_from(SESSION_LIFETIME.as_secs()).unwrap_or(i64::MAX);
    let expires_at = now().saturating_add(lifetime);
    state
        .store
        .create_session(&token_hash, user_id, expires_at)
        .await?;
    Ok(token)
}

/// Ends the session of this token hash in the store, so every process refuses it from its next
/// request (R30).
pub async fn sign_out(state: &AppState, token_hash: &str) -> Result<(), SessionError> {
    state.store.delete_session(token_hash).await?;
    Ok(())
}

/// Changes the password of the session's user after checking the current one (counted under the
/// sign-in limits like a sign-in, S30), and ends the user's other sessions (R30); the session
/// `token_hash` that asked goes on. Answers how many sessions ended.
pub async fn change_password(
    state: &AppState,
    session: &Session,
    token_hash: &str,
    current: String,
    new: String,
    from: &ClientAddress,
) -> Result<u64, SessionError> {
    let chars = new.chars().count();
    if !(MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&chars) {
        return Err(SessionError::PasswordLength {
            min: MIN_PASSWORD_CHARS,
            max: MAX_PASSWORD_CHARS,
        });
    }
    let user = state
        .store
        .user_by_id(&session.user_id)
        .await?
        .ok_or(SessionError::UnknownUser)?;
    let keys = count_attempt(state, &user.email, from).await?;
    if !state.hashes.verify(current, user.password_hash).await? {
        return Err(SessionError::InvalidCredentials);
    }
    state.store.sign_in_succeeded(&keys.pair, now()).await?;
    let hash = state.hashes.hash(new).await?;
    state
        .store
        .change_password(&user.id, &hash, token_hash)
        .await?
        .ok_or(SessionError::UnknownUser)
}
