//! Payments (R20): the order server charges through a [`PaymentProvider`]; the client only ever
//! names a payment method on file, never a card number.
//!
//! Every call carries the provider idempotency key of a payment attempt (S21), derived from the
//! account, the order's idempotency key, the request's fingerprint and the attempt's generation,
//! so that asking twice never charges twice. Besides charging, a provider can say which charge a
//! key made (the reconciler asks after a crash) and refund a charge. New calls (card set-up, for
//! instance) are further methods of the trait.

use std::future::Future;
use std::pin::Pin;

use billing::{Currency, Money};

use crate::store::{PaymentMethod, Store};

/// What to charge.
#[derive(Clone, Debug)]
pub struct Charge<'a> {
    /// The account paying.
    pub account_id: &'a str,
    /// The payment method on file.
    pub method: &'a PaymentMethod,
    /// The amount, more than zero.
    pub amount: Money,
    /// The currency of the amount.
    pub currency: Currency,
    /// The provider idempotency key of the payment attempt (S21): the same key never charges
    /// twice.
    pub idempotency_key: &'a str,
}

/// Why a payment call did not go through.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PaymentError {
    /// The provider declined the payment method.
    #[error("the payment was declined")]
    Declined,
    /// The provider could not be reached or failed: whether a charge was made is unknown.
    #[error("the payment provider failed: {0}")]
    Unavailable(String),
}

/// A boxed future, so providers can be used as trait objects; by default it answers a payment
/// reference.
pub type PaymentFuture<'a, T = String> =
    Pin<Box<dyn Future<Output = Result<T, PaymentError>> + Send + 'a>>;

/// A payment provider.
pub trait PaymentProvider: Send + Sync {
    /// Charges `charge.amount` to `charge.method` and answers the charge's reference; asked again
    /// with the same idempotency key, answers the first charge instead of making another.
    fn charge<'a>(&'a self, charge: Charge<'a>) -> PaymentFuture<'a>;

    /// The reference of the charge made with this idempotency key, or `None` when it made none.
    fn find_charge<'a>(&'a self, idempotency_key: &'a str) -> PaymentFuture<'a, Option<String>>;

    /// Refunds the charge `reference` in full (refunding it again changes nothing).
    fn refund<'a>(&'a self, reference: &'a str) -> PaymentFuture<'a, ()>;
}

/// A failure the test provider can be told to simulate (issue 11's fault tests).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Record the charge, then end the process at once (`abort`): a crash between the charge and
    /// the order's commit.
    CrashAfterCharge,
    /// Record the charge, then answer an error as if the answer were lost on the way.
    FailAfterCharge,
}

impl Fault {
    /// The fault named by the environment variable `CHECKOUT_TEST_PAYMENT_FAULT`
    /// (`crash-after-charge` or `fail-after-charge`), for the binary's fault tests.
    pub fn from_env() -> Option<Fault> {
        match std::env::var("CHECKOUT_TEST_PAYMENT_FAULT").ok()?.as_str() {
            "crash-after-charge" => Some(Fault::CrashAfterCharge),
            "fail-after-charge" => Some(Fault::FailAfterCharge),
            _ => None,
        }
    }
}

/// The provider of tests and demos: every payment method is charged, except one whose last four
/// digits are `0002`, which is declined. Its ledger of charges, declines and refunds is a table
/// of the store (`test_payments`), so that tests, and several server processes sharing one
/// database, read one ledger.
#[derive(Clone, Debug)]
pub struct TestPaymentProvider {
    store: Store,
    fault: Option<Fault>,
}

impl TestPaymentProvider {
    /// The test provider keeping its ledger in `store`.
    pub fn new(store: Store) -> TestPaymentProvider {
        TestPaymentProvider { store, fault: None }
    }

    /// The same provider simulating `fault` on every charge.
    pub fn with_fault(mut self, fault: Option<Fault>) -> TestPaymentProvider {
        self.fault = fault;
        self
    }
}

fn unavailable(error: impl std::fmt::Display) -> PaymentError {
    PaymentError::Unavailable(error.to_string())
}

impl PaymentProvider for TestPaymentProvider {
    fn charge<'a>(&'a self, charge: Charge<'a>) -> PaymentFuture<'a> {
        Box::pin(async move {
            let declined = charge.method.last4 == "0002";
            let reference = self
                .store
                .ledger_charge(
                    charge.idempotency_key,
                    charge.account_id,
                    &charge.amount.to_string(),
                    &charge.currency.to_string(),
                    declined,
                )
                .await
                .map_err(unavailable)?;
            let Some(reference) = reference else {
                tracing::info!(account = charge.account_id, "test payment declined");
                return Err(PaymentError::Declined);
            };
            match self.fault {
                Some(Fault::CrashAfterCharge) => {
                    tracing::error!("test payment fault: ending the process after the charge");
                    std::process::abort();
                }
                Some(Fault::FailAfterCharge) => {
                    return Err(unavailable("test payment fault: the answer was lost"));
                }
                None => {}
            }
            // Debug only: the order's own log line says it was paid, and one line less per
            // order matters at thousands of orders a second.
            tracing::debug!(
                account = charge.account_id,
                amount = %charge.amount,
                currency = %charge.currency,
                "test payment charged"
            );
            Ok(reference)
        })
    }

    fn find_charge<'a>(&'a self, idempotency_key: &'a str) -> PaymentFuture<'a, Option<String>> {
        Box::pin(async move {
            self.store
                .ledger_find(idempotency_key)
                .await
                .map_err(unavailable)
        })
    }

    fn refund<'a>(&'a self, reference: &'a str) -> PaymentFuture<'a, ()> {
        Box::pin(async move {
            if self
                .store
                .ledger_refund(reference)
                .await
                .map_err(unavailable)?
            {
                tracing::info!(payment = reference, "test payment refunded");
                Ok(())
            } else {
                Err(unavailable(format!("no charge {reference}")))
            }
        })
    }
}
