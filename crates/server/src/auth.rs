//! Sign-in primitives: argon2 password hashes computed on a bounded pool ([`HashPool`]), random
//! session tokens of which only a SHA-256 is stored, the bearer-token extractor, and the client
//! address the sign-in limits count (`limits.rs`, S30).

pub mod limits;

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderName};
use sha2::{Digest, Sha256};
use tokio::sync::Semaphore;

use crate::error::ApiError;
use crate::sessions::Session;
use crate::state::AppState;
use crate::store::AccountRecord;
use limits::ClientAddress;

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

/// Why a password could not be hashed or checked.
#[derive(Debug, thiserror::Error)]
pub enum HashError {
    /// Every hashing thread is busy and the queue in front of them is full.
    #[error("the password hashing queue is full ({queued} waiting)")]
    Busy {
        /// How many checks were already waiting.
        queued: usize,
    },
    /// Hashing itself failed (no randomness for the salt, a hashing task that panicked).
    #[error("cannot hash the password: {0}")]
    Failed(String),
}

/// The argon2id hash of a password, as a PHC string with a random salt.
pub fn hash_password(password: &str) -> Result<String, HashError> {
    let salt = random_bytes::<16>().map_err(|e| HashError::Failed(e.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| HashError::Failed(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| HashError::Failed(e.to_string()))
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

/// Runs password hashes with bounded concurrency: at most `workers` at once on the blocking
/// threads (argon2 takes a core and 19 MiB each), at most `queue` more waiting for one; beyond
/// that a check is refused at once ([`HashError::Busy`]) instead of piling up threads and memory.
#[derive(Debug)]
pub struct HashPool {
    permits: Arc<Semaphore>,
    waiting: AtomicUsize,
    queue: usize,
    verifications: Arc<AtomicU64>,
}

/// A place in the queue of a [`HashPool`], given back when dropped (also when the request that
/// waits is cancelled).
struct Queued<'a>(&'a AtomicUsize);

impl Drop for Queued<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl HashPool {
    /// A pool of `workers` concurrent hashes and `queue` waiting ones.
    pub fn new(workers: usize, queue: usize) -> HashPool {
        HashPool {
            permits: Arc::new(Semaphore::new(workers.max(1))),
            waiting: AtomicUsize::new(0),
            queue,
            verifications: Arc::new(AtomicU64::new(0)),
        }
    }

    /// A pool sized to the machine: one hash per core, 16 per core waiting (with argon2's
    /// default cost, well under a second of wait).
    pub fn for_this_machine() -> HashPool {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        HashPool::new(cores, cores * 16)
    }

    /// How many password checks have run in this process (the tests of the sign-in limits
    /// count them).
    pub fn verifications(&self) -> u64 {
        self.verifications.load(Ordering::Acquire)
    }

    /// Runs `job` on a blocking thread once a worker is free.
    async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, HashError> {
        let permit = match Arc::clone(&self.permits).try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                let queued = self.waiting.fetch_add(1, Ordering::AcqRel);
                let _place = Queued(&self.waiting);
                if queued >= self.queue {
                    return Err(HashError::Busy { queued });
                }
                Arc::clone(&self.permits)
                    .acquire_owned()
                    .await
                    .map_err(|e| HashError::Failed(e.to_string()))?
            }
        };
        // The permit moves into the blocking job: a request dropped meanwhile (a timeout, a
        // closed connection) cannot free its worker before the hash is really done.
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            job()
        })
        .await
        .map_err(|e| HashError::Failed(e.to_string()))
    }

    /// Whether `password` matches the PHC string `hash`, checked on the pool.
    pub async fn verify(&self, password: String, hash: String) -> Result<bool, HashError> {
        let verifications = Arc::clone(&self.verifications);
        self.run(move || {
            verifications.fetch_add(1, Ordering::AcqRel);
            verify_password(&password, &hash)
        })
        .await
    }

    /// The argon2id hash of a password, computed on the pool.
    pub async fn hash(&self, password: String) -> Result<String, HashError> {
        self.run(move || hash_password(&password)).await?
    }
}

/// The signed-in user of a request (`Authorization: Bearer <token>`); `401 unauthenticated`
/// without a valid, unexpired token. The session is read from the store on every request, so a
/// session ended in any process (R30) is refused by all at once; what the user may do is not part
/// of it (see [`AuthUser::role_in`]).
#[derive(Clone, Debug)]
pub struct AuthUser {
    /// The session: the user and the user's account.
    pub session: Session,
    token_hash: String,
}

impl AuthUser {
    /// The signed-in user's account.
    pub fn account_id(&self) -> &str {
        &self.session.account_id
    }

    /// The SHA-256 of the request's token: the session's key in the store.
    pub fn token_hash(&self) -> &str {
        &self.token_hash
    }

    /// Whether the signed-in user is a billing contact (R1) of `record`, the user's account as
    /// just read from the store: the flag is read with the account on every request. A user who
    /// no longer belongs to the account (moved between the session's read and the account's) is
    /// `401 unauthenticated`.
    pub fn role_in(&self, _state: &AppState, record: &AccountRecord) -> Result<bool, ApiError> {
        record
            .role_of(&self.session.user_id)
            .ok_or_else(ApiError::unauthenticated)
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
        let session = state
            .store
            .session(&token_hash, now)
            .await?
            .ok_or_else(ApiError::unauthenticated)?;
        Ok(AuthUser {
            session,
            token_hash,
        })
    }
}

/// The address of the client as the sign-in limits count it (S30): the last address of the
/// trusted proxy header (`--trusted-proxy-header`) when one is configured and the request has
/// it, else the connection's peer.
#[derive(Clone, Debug)]
pub struct Client(pub ClientAddress);

impl FromRequestParts<AppState> for Client {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Client, Infallible> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip());
        Ok(Client(client_address(
            &parts.headers,
            peer,
            state.trusted_proxy_header.as_ref(),
        )))
    }
}

/// The client address of a request: see [`Client`]. Only the last entry of the header's last
/// line is read: that is the one the trusted proxy appended; what comes before it was sent by the
/// client and could be anything.
pub fn client_address(
    headers: &HeaderMap,
    peer: Option<IpAddr>,
    trusted_header: Option<&HeaderName>,
) -> ClientAddress {
    let forwarded = trusted_header.and_then(|name| {
        let line = headers.get_all(name).iter().next_back()?.to_str().ok()?;
        let last = line.rsplit(',').next()?.trim();
        last.parse::<IpAddr>()
            .ok()
            .or_else(|| last.parse::<SocketAddr>().ok().map(|addr| addr.ip()))
    });
    forwarded
        .or(peer)
        .map_or_else(ClientAddress::unknown, ClientAddress::new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_proxy_header_gives_its_last_address_and_the_peer_is_the_fallback() {
        let header = HeaderName::from_static("x-forwarded-for");
        let peer: IpAddr = "10.0.0.1".parse().expect("ip");
        let mut headers = HeaderMap::new();
        headers.insert(&header, "198.51.100.9, 203.0.113.5".parse().expect("value"));
        let address = |headers: &HeaderMap, trusted: Option<&HeaderName>| {
            client_address(headers, Some(peer), trusted)
                .as_str()
                .to_owned()
        };
        assert_eq!(address(&headers, Some(&header)), "203.0.113.5");
        // Without the flag the header is the client's word and is ignored.
        assert_eq!(address(&headers, None), "10.0.0.1");
        headers.insert(&header, "garbage".parse().expect("value"));
        assert_eq!(address(&headers, Some(&header)), "10.0.0.1");
        headers.insert(&header, "[2001:db8::1]:443".parse().expect("value"));
        assert_eq!(address(&headers, Some(&header)), "2001:db8:0:0::/64");
        assert_eq!(
            client_address(&HeaderMap::new(), None, Some(&header)).as_str(),
            "unknown"
        );
    }

    #[tokio::test]
    async fn a_full_hash_queue_refuses_at_once_instead_of_waiting() {
        let pool = Arc::new(HashPool::new(1, 1));
        let (release, wait) = std::sync::mpsc::channel::<()>();
        let (started, running) = tokio::sync::oneshot::channel();
        // The one worker is taken by a job that waits for the test.
        let busy = {
            let pool = Arc::clone(&pool);
            tokio::spawn(async move {
                pool.run(move || {
                    let _ = started.send(());
                    wait.recv().is_ok()
                })
                .await
            })
        };
        running.await.expect("the first job runs");
        // The second waits in the queue.
        let queued = {
            let pool = Arc::clone(&pool);
            tokio::spawn(async move { pool.run(|| 2).await })
        };
        while pool.waiting.load(Ordering::Acquire) == 0 {
            tokio::task::yield_now().await;
        }
        // The third finds the queue full.
        assert!(matches!(
            pool.run(|| 3).await,
            Err(HashError::Busy { queued: 1 })
        ));
        release.send(()).expect("the first job waits");
        assert!(busy.await.expect("joins").expect("runs"));
        assert_eq!(queued.await.expect("joins").expect("runs"), 2);
        assert_eq!(pool.waiting.load(Ordering::Acquire), 0);
    }

    #[tokio::test]
    async fn the_pool_verifies_and_counts_its_checks() {
        let pool = HashPool::new(2, 4);
        let hash = pool
            .hash("a long passphrase".to_owned())
            .await
            .expect("hashed");
        assert!(
            pool.verify("a long passphrase".to_owned(), hash.clone())
                .await
                .expect("runs")
        );
        assert!(!pool.verify("wrong".to_owned(), hash).await.expect("runs"));
        assert_eq!(pool.verifications(), 2);
    }
}
