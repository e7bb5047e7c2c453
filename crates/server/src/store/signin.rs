//! Sessions and sign-in attempts: the session rows (only the SHA-256 of a token is stored), the
//! users' passwords, and the counters of the sign-in limits (S30, `auth/limits.rs`).
//!
//! The counters are rows of `signin_limits`. An attempt locks its rows in one transaction (an
//! upsert that changes nothing takes the row lock on PostgreSQL, and the write lock of the file
//! on SQLite), decides with the policy and writes the new counts before it commits, so attempts
//! made at once, in one process or several, are counted one after the other.

use super::accounts::User;
use super::{Store, StoreError, col};
use crate::auth::limits::{
    Allowance, AttemptKeys, Counter, PAIR, PER_ADDRESS, PER_EMAIL, TRUST_FOR,
};
use crate::sessions::Session;

/// What the sign-in limits say about an attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Admission {
    /// The attempt is counted and may check the password.
    Counted,
    /// Nothing was counted: try again after this many seconds.
    Wait(i64),
}

/// Locks a counter's row (creating it empty) and answers it with its trust (Unix seconds).
async fn lock_counter(
    conn: &mut sqlx::AnyConnection,
    key: &str,
) -> Result<(Counter, i64), StoreError> {
    let row = sqlx::query(
        "INSERT INTO signin_limits (key_hash, window_start, attempts, last_at, trusted_until)
         VALUES ($1, 0, 0, 0, 0)
         ON CONFLICT (key_hash) DO UPDATE SET attempts = signin_limits.attempts
         RETURNING window_start, attempts, last_at, trusted_until",
    )
    .bind(key.to_owned())
    .fetch_one(&mut *conn)
    .await?;
    Ok((
        Counter {
            window_start: col(&row, "window_start")?,
            attempts: col(&row, "attempts")?,
            last_at: col(&row, "last_at")?,
        },
        col(&row, "trusted_until")?,
    ))
}

async fn write_counter(
    conn: &mut sqlx::AnyConnection,
    key: &str,
    counter: &Counter,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE signin_limits SET window_start = $2, attempts = $3, last_at = $4
         WHERE key_hash = $1",
    )
    .bind(key.to_owned())
    .bind(counter.window_start)
    .bind(counter.attempts)
    .bind(counter.last_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

impl Store {
    /// Counts a sign-in attempt at `now` (Unix seconds) against its counters (S30), or counts
    /// nothing and answers how long to wait. The pair's counter always applies; the e-mail's and
    /// the address's ceilings only when the pair has not signed in successfully lately.
    pub async fn count_sign_in_attempt(
        &self,
        keys: &AttemptKeys,
        now: i64,
    ) -> Result<Admission, StoreError> {
        let mut tx = self.pool.begin().await?;
        // Always in this order (pair, e-mail, address), so two attempts never wait on each
        // other's locks in a circle.
        let (pair, trusted_until) = lock_counter(&mut tx, &keys.pair).await?;
        let mut counters: Vec<(&str, Allowance, Counter)> = vec![(keys.pair.as_str(), PAIR, pair)];
        if trusted_until <= now {
            for (key, allowance) in [(&keys.email, PER_EMAIL), (&keys.address, PER_ADDRESS)] {
                let (counter, _) = lock_counter(&mut tx, key).await?;
                counters.push((key.as_str(), allowance, counter));
            }
        }
        let wait = counters
            .iter()
            .filter_map(|(_, allowance, counter)| allowance.wait(counter, now))
            .max();
        if let Some(wait) = wait {
            // Nothing is counted: a refused attempt checks no password, so it needs no budget,
            // and the empty rows the locks may have made go with the rollback.
            tx.rollback().await?;
            return Ok(Admission::Wait(wait));
        }
        for (key, allowance, counter) in &counters {
            write_counter(&mut tx, key, &allowance.count(counter, now)).await?;
        }
        tx.commit().await?;
        Ok(Admission::Counted)
    }

    /// Records a successful sign-in of a pair at `now`: its count starts again and it skips the
    /// ceilings for [`TRUST_FOR`] (S30).
    pub async fn sign_in_succeeded(&self, pair_key: &str, now: i64) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE signin_limits SET window_start = $2, attempts = 0, last_at = $2,
                 trusted_until = $3
             WHERE key_hash = $1",
        )
        .bind(pair_key.to_owned())
        .bind(now)
        .bind(now.saturating_add(TRUST_FOR))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Drops the counters that no longer limit or exempt anything at `now`; answers how many.
    pub async fn prune_sign_in_counters(&self, now: i64) -> Result<u64, StoreError> {
        let longest_window = PAIR.window.max(PER_EMAIL.window).max(PER_ADDRESS.window);
        let done = sqlx::query(
            "DELETE FROM signin_limits WHERE window_start <= $1 AND trusted_until <= $2",
        )
        .bind(now.saturating_sub(longest_window))
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }

    /// The user with this id.
    pub async fn user_by_id(&self, user_id: &str) -> Result<Option<User>, StoreError> {
        let row = sqlx::query(
            "SELECT u.id, u.account_id, u.name, u.email, u.password_hash, u.is_billing_contact
             FROM users u WHERE u.id = $1",
        )
        .bind(user_id.to_owned())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(super::accounts::user_from_row).transpose()
    }

    /// Stores a session: only the hash of its token, and when it expires (Unix seconds).
    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: &str,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(chrono::Utc::now().timestamp())
            .execute(&self.pool)
            .await?;
        sqlx::query("INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3)")
            .bind(token_hash.to_owned())
            .bind(user_id.to_owned())
            .bind(expires_at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The unexpired session with this token hash, with its user's account.
    pub async fn session(&self, token_hash: &str, now: i64) -> Result<Option<Session>, StoreError> {
        let row = sqlx::query(
            "SELECT s.user_id, u.account_id, s.expires_at
             FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = $1 AND s.expires_at > $2",
        )
        .bind(token_hash.to_owned())
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok(Session {
                user_id: col(&row, "user_id")?,
                account_id: col(&row, "account_id")?,
                expires_at: col(&row, "expires_at")?,
            })
        })
        .transpose()
    }

    /// Ends a session (R30); answers whether there was one.
    pub async fn delete_session(&self, token_hash: &str) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash.to_owned())
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Sets a user's password hash and ends the user's other sessions, all or nothing (R30): the
    /// session `keep` (the one that made the change) goes on. Answers how many sessions ended, or
    /// `None` when there is no such user.
    pub async fn change_password(
        &self,
        user_id: &str,
        password_hash: &str,
        keep: &str,
    ) -> Result<Option<u64>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let updated = sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1")
            .bind(user_id.to_owned())
            .bind(password_hash.to_owned())
            .execute(&mut *tx)
            .await?;
        if updated.rows_affected() == 0 {
            tx.rollback().await?;
            return Ok(None);
        }
        let ended = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
            .bind(user_id.to_owned())
            .bind(keep.to_owned())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Some(ended.rows_affected()))
    }

    /// Deletes a user; the foreign key's `ON DELETE CASCADE` deletes the user's sessions with it.
    /// Answers whether there was such a user.
    pub async fn delete_user(&self, user_id: &str) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM users WHERE id = $1")
            .bind(user_id.to_owned())
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// How many unexpired sessions a user has at `now`.
    pub async fn session_count(&self, user_id: &str, now: i64) -> Result<i64, StoreError> {
        let count: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM sessions WHERE user_id = $1 AND expires_at > $2",
        )
        .bind(user_id.to_owned())
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        Ok(count)
    }
}
