//! The reconciler (S21): finishes payment attempts that their request did not finish, so that
//! every charge ends as exactly one order or one refund.
//!
//! An open attempt is finished when its request cannot be expected to finish it any more: when
//! its provider call failed (`unknown`), or when it is older than the reconciliation delay
//! (`--reconcile-after`, longer than a provider call may take, [`super::PROVIDER_TIMEOUT`]): its
//! process died, or lost its database, between the charge and the commit. The reconciler asks the
//! provider which charge the attempt's key made:
//!
//! - a charge: the order the attempt kept is stored with it, as it was priced (the attempt held
//!   the account, so nothing it was priced from has changed) and its receipt is sent; the
//!   client's retry with the same key gets the `201`. If it cannot be stored (its key was taken
//!   by another order), the charge is refunded;
//! - no charge: the attempt is closed as abandoned; nothing was taken;
//! - no answer: it stays open, for the next round.
//!
//! It runs at start-up and then periodically in every server process; two processes finishing
//! one attempt at once are safe (the provider key charges once, the attempt is closed once).

use std::time::Duration;

use super::provider_call;
use crate::payments::PaymentError;
use crate::state::AppState;
use crate::store::{Attempt, AttemptState, Placed, StoreError};

/// How an attempt was finished.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// Its order is stored.
    Committed,
    /// Its charge was refunded.
    Refunded,
    /// Nothing was charged; it was closed.
    Abandoned,
    /// Someone else closed it meanwhile.
    AlreadyClosed,
    /// The provider did not answer (or a refund failed): it stays open for the next round.
    Pending,
}

/// What one round of the reconciler did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Round {
    /// Attempts whose order was stored.
    pub committed: usize,
    /// Attempts whose charge was refunded.
    pub refunded: usize,
    /// Attempts closed with nothing charged.
    pub abandoned: usize,
    /// Attempts left open.
    pub pending: usize,
}

/// Whether an open attempt is no longer in its request's hands (see the module's documentation).
pub fn is_orphaned(state: &AppState, attempt: &Attempt) -> bool {
    let age = chrono::Utc::now().timestamp() - attempt.updated_at;
    attempt.state == AttemptState::Unknown
        || (attempt.state == AttemptState::Recorded
            && age >= i64::try_from(state.reconcile_after.as_secs()).unwrap_or(i64::MAX))
}

/// Refunds a charge through the provider.
pub async fn refund(state: &AppState, reference: &str) -> Result<(), PaymentError> {
    let owned = reference.to_owned();
    provider_call(&state.payments, move |provider| {
        Box::pin(async move { provider.refund(&owned).await })
    })
    .await?;
    tracing::warn!(payment = %reference, "charge refunded (S21)");
    Ok(())
}

/// Finishes one open attempt (see the module's documentation).
pub async fn resolve(state: &AppState, attempt: &Attempt) -> Result<Resolution, StoreError> {
    if !attempt.state.is_open() {
        return Ok(Resolution::AlreadyClosed);
    }
    let key = attempt.provider_key.clone();
    let found = provider_call(&state.payments, move |provider| {
        Box::pin(async move { provider.find_charge(&key).await })
    })
    .await;
    let reference = match found {
        Err(error) => {
            tracing::warn!(%error, attempt = %attempt.id, "the provider cannot say what it charged; trying later");
            return Ok(Resolution::Pending);
        }
        Ok(None) => {
            let closed = state
                .store
                .close_attempt(&attempt.id, AttemptState::Abandoned, None)
                .await?;
            tracing::info!(attempt = %attempt.id, account = %attempt.account_id, "payment attempt abandoned: nothing was charged (S21)");
            return Ok(if closed {
                Resolution::Abandoned
            } else {
                Resolution::AlreadyClosed
            });
        }
        Ok(Some(reference)) => reference,
    };
    // A renewal's attempt (R31) settles its renewal instead of storing an order.
    if crate::renewals::is_renewal_attempt(attempt) {
        return crate::renewals::finish_charged(state, attempt, &reference).await;
    }
    let order = attempt.prepared()?.paid_with(&reference);
    let (placed, _) = state.store.place_prepared(order, None).await;
    let placed = match placed {
        Ok(placed) => placed,
        Err(error) => {
            // The store still fails: the charge is kept and the next round tries again.
            tracing::error!(%error, attempt = %attempt.id, payment = %reference, "cannot store the order of a charged attempt yet");
            return Ok(Resolution::Pending);
        }
    };
    match placed {
        Placed::Stored => {
            tracing::info!(attempt = %attempt.id, account = %attempt.account_id, payment = %reference,
                "order of an unfinished payment attempt stored (S21)");
            Ok(Resolution::Committed)
        }
        Placed::AttemptClosed => Ok(Resolution::AlreadyClosed),
        Placed::KeyTaken | Placed::Stale => {
            if let Err(error) = refund(state, &reference).await {
                tracing::error!(%error, attempt = %attempt.id, payment = %reference, "the refund failed; trying later");
                return Ok(Resolution::Pending);
            }
            state
                .store
                .close_attempt(&attempt.id, AttemptState::Refunded, Some(&reference))
                .await?;
            Ok(Resolution::Refunded)
        }
    }
}

/// One round: finishes every orphaned attempt (at most a few hundred; the next round takes the
/// rest).
pub async fn reconcile_once(state: &AppState) -> Result<Round, StoreError> {
    let delay = i64::try_from(state.reconcile_after.as_secs()).unwrap_or(i64::MAX);
    let before = chrono::Utc::now().timestamp().saturating_sub(delay) + 1;
    let mut round = Round::default();
    for attempt in state.store.attempts_to_reconcile(before, 500).await? {
        match resolve(state, &attempt).await? {
            Resolution::Committed => round.committed += 1,
            Resolution::Refunded => round.refunded += 1,
            Resolution::Abandoned => round.abandoned += 1,
            Resolution::AlreadyClosed => {}
            Resolution::Pending => round.pending += 1,
        }
    }
    if round != Round::default() {
        tracing::info!(?round, "reconciler round");
    }
    Ok(round)
}

/// The reconciler task: a round now, then one every `every`; a failed round is logged and the
/// next one tries again.
pub async fn run(state: AppState, every: Duration) {
    loop {
        if let Err(error) = reconcile_once(&state).await {
            tracing::error!(%error, "reconciler round failed");
        }
        tokio::time::sleep(every).await;
    }
}
