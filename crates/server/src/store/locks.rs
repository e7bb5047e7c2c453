//! Per-account serialisation of writes in this process.
//!
//! An order reads its account, checks the idempotency key, prices, charges and then writes the
//! account's new state; two of these for one account must not interleave (the second would price
//! from a stale account, and the same key sent twice at once must place one order, R23). Orders
//! of different accounts do not need to wait for each other, so instead of one lock for the
//! process there is one lock per account, or rather per stripe: the account id's hash picks one of
//! [`STRIPES`] locks. Two accounts sharing a stripe only wait for each other (correct, a little
//! slower); memory stays bounded whatever the number of accounts.
//!
//! The database's own constraints (the `(account, key)` primary key of the idempotency records,
//! the `(account, seq)` unique order numbers) back this across processes.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

use tokio::sync::{Mutex, OwnedMutexGuard};

/// How many locks the accounts are spread over.
pub const STRIPES: usize = 1024;

/// The locks of one store.
#[derive(Debug)]
pub(crate) struct AccountLocks {
    stripes: Vec<Arc<Mutex<()>>>,
}

impl AccountLocks {
    /// [`STRIPES`] unlocked locks.
    pub(crate) fn new() -> AccountLocks {
        AccountLocks {
            stripes: (0..STRIPES).map(|_| Arc::new(Mutex::new(()))).collect(),
        }
    }

    /// Waits for the lock of `account_id`'s stripe.
    pub(crate) async fn lock(&self, account_id: &str) -> AccountGuard {
        let mut hasher = DefaultHasher::new();
        account_id.hash(&mut hasher);
        // The remainder is below STRIPES, so it fits in usize on every platform.
        #[allow(clippy::cast_possible_truncation)]
        let stripe = (hasher.finish() % STRIPES as u64) as usize;
        AccountGuard {
            _guard: Arc::clone(&self.stripes[stripe]).lock_owned().await,
        }
    }
}

/// The lock of one account, held while its state is read, decided on and written; released when
/// dropped. It can travel with a queued write, so that the account stays locked until the write is
/// committed even if the request that queued it goes away.
#[derive(Debug)]
pub struct AccountGuard {
    _guard: OwnedMutexGuard<()>,
}
