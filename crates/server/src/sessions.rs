//! The sessions this process has seen, kept in memory so that a request does not read its session
//! from the store each time.
//!
//! What is kept is only what cannot change while the session lasts: the session row (the token's
//! hash, its user and its expiry; api.md has no sign-out, so nothing rewrites it) and the account
//! of its user (users are created with their account and no code moves them). What a user may do
//! is not kept: whether the user is the account's billing contact (R1), and whether the user still
//! belongs to the account, are read with the account in the query that the account, quote and
//! order requests make anyway (`AccountRecord::role_of`), so a change in the store applies to
//! their next request.
//!
//! The cache honours the expiry exactly as the store's query does (`expires_at > now`), holds at
//! most [`CAPACITY`] sessions, and trusts an entry for at most [`REVALIDATE_AFTER`]: a session
//! removed from the store by hand (revoked by an operator), or a user moved to another account by
//! hand (which the order history, reading no account, would not notice), stops applying within
//! that time. Several processes sharing one PostgreSQL database each keep
//! their own cache; a miss reads the store, so a session created by another process works at once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The most sessions kept; beyond it the expired ones are dropped, then arbitrary ones (a miss only
/// costs one query).
pub const CAPACITY: usize = 10_000;

/// How long an entry is trusted before the store is asked again.
pub const REVALIDATE_AFTER: Duration = Duration::from_secs(60);

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

/// A cached session and when it was read from the store.
#[derive(Debug)]
struct Entry {
    session: Arc<Session>,
    read_at: Instant,
}

/// The sessions of this process by the SHA-256 of their token; bounded, see the module
/// documentation.
#[derive(Debug)]
pub struct SessionCache {
    entries: Mutex<HashMap<String, Entry>>,
    capacity: usize,
}

impl Default for SessionCache {
    fn default() -> SessionCache {
        SessionCache::with_capacity(CAPACITY)
    }
}

impl SessionCache {
    /// An empty cache of at most `capacity` sessions.
    pub fn with_capacity(capacity: usize) -> SessionCache {
        SessionCache {
            entries: Mutex::new(HashMap::new()),
            capacity: capacity.max(1),
        }
    }

    /// The session of a token hash if it is cached, unexpired at `now` (Unix seconds) and read
    /// from the store less than [`REVALIDATE_AFTER`] ago; an expired or stale entry is dropped.
    pub fn get(&self, token_hash: &str, now: i64) -> Option<Arc<Session>> {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        let entry = entries.get(token_hash)?;
        if entry.session.expires_at > now && entry.read_at.elapsed() < REVALIDATE_AFTER {
            return Some(Arc::clone(&entry.session));
        }
        entries.remove(token_hash);
        None
    }

    /// Keeps a session just read from the store; answers it shared.
    pub fn insert(&self, token_hash: &str, session: Session, now: i64) -> Arc<Session> {
        let session = Arc::new(session);
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if entries.len() >= self.capacity && !entries.contains_key(token_hash) {
            entries.retain(|_, entry| entry.session.expires_at > now);
            if entries.len() >= self.capacity {
                // Still full of live sessions: drop one, whichever the map yields first.
                if let Some(victim) = entries.keys().next().cloned() {
                    entries.remove(&victim);
                }
            }
        }
        entries.insert(
            token_hash.to_owned(),
            Entry {
                session: Arc::clone(&session),
                read_at: Instant::now(),
            },
        );
        session
    }

    /// Drops a session, so that the next request reads it from the store again.
    pub fn forget(&self, token_hash: &str) {
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(token_hash);
    }

    /// How many sessions are kept.
    pub fn len(&self) -> usize {
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// Whether no session is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(expires_at: i64) -> Session {
        Session {
            user_id: "usr_1".to_owned(),
            account_id: "acc_1".to_owned(),
            expires_at,
        }
    }

    #[test]
    fn a_cached_session_ends_at_its_expiry_as_in_the_store() {
        let cache = SessionCache::default();
        cache.insert("h", session(100), 50);
        assert_eq!(cache.get("h", 99).as_deref(), Some(&session(100)));
        // The store's query is `expires_at > now`: at 100 the session is over.
        assert_eq!(cache.get("h", 100), None);
        // And it is gone, not only hidden.
        assert!(cache.is_empty());
    }

    #[test]
    fn the_cache_stays_within_its_capacity() {
        let cache = SessionCache::with_capacity(3);
        cache.insert("old", session(10), 5);
        for n in 0..10 {
            cache.insert(&format!("h{n}"), session(1_000), 20);
            assert!(cache.len() <= 3);
        }
        // The expired session went first.
        assert_eq!(cache.get("old", 5), None);
        assert!(cache.get("h9", 20).is_some());
    }

    #[test]
    fn a_forgotten_session_is_read_again() {
        let cache = SessionCache::default();
        cache.insert("h", session(100), 50);
        cache.forget("h");
        assert_eq!(cache.get("h", 50), None);
    }
}
