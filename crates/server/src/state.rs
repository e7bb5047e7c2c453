//! The state every handler shares.

use std::sync::Arc;

use axum::http::HeaderName;
use billing::Catalog;

use crate::auth::{HashPool, hash_password};
use crate::config::Clock;
use crate::payments::{PaymentProvider, TestPaymentProvider};
use crate::store::Store;

/// The default of `--reconcile-after`: three times the longest provider call
/// ([`crate::ordering::PROVIDER_TIMEOUT`]), so a live request is never taken for a dead one.
pub const DEFAULT_RECONCILE_AFTER: std::time::Duration = std::time::Duration::from_secs(30);

/// The shared state of the app; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// "Today" (R9).
    pub clock: Clock,
    /// The catalog every price comes from (R7).
    pub catalog: &'static Catalog,
    /// Where payments go (R20).
    pub payments: Arc<dyn PaymentProvider>,
    /// Where password hashes run, with bounded concurrency (`auth::HashPool`).
    pub hashes: Arc<HashPool>,
    /// The header a trusted proxy puts the client's address in (`--trusted-proxy-header`), for
    /// the sign-in limits (S30).
    pub trusted_proxy_header: Option<HeaderName>,
    /// A password hash to verify against when the e-mail is unknown, so both cases take as long.
    pub dummy_hash: Arc<str>,
    /// How old an open payment attempt must be before another request or the reconciler finishes
    /// it (S21, `--reconcile-after`).
    pub reconcile_after: std::time::Duration,
}

impl AppState {
    /// The state over `store` with the test payment provider.
    pub fn new(store: Store, clock: Clock) -> AppState {
        let dummy_hash = hash_password("not a password of anyone").unwrap_or_default();
        AppState {
            payments: Arc::new(TestPaymentProvider::new(store.clone())),
            store,
            clock,
            catalog: Catalog::bundled(),
            hashes: Arc::new(HashPool::for_this_machine()),
            trusted_proxy_header: None,
            dummy_hash: dummy_hash.into(),
            reconcile_after: DEFAULT_RECONCILE_AFTER,
        }
    }

    /// The same state with another reconciliation delay (S21).
    pub fn with_reconcile_after(mut self, delay: std::time::Duration) -> AppState {
        self.reconcile_after = delay;
        self
    }

    /// The same state with another payment provider.
    pub fn with_payments(mut self, payments: Arc<dyn PaymentProvider>) -> AppState {
        self.payments = payments;
        self
    }

    /// The same state reading the client's address from `header` when requests carry it (set by
    /// a trusted proxy, S30).
    pub fn with_trusted_proxy_header(mut self, header: Option<HeaderName>) -> AppState {
        self.trusted_proxy_header = header;
        self
    }
}
