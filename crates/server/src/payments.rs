//! Payments (R20): the order server charges through a [`PaymentProvider`]; the client only ever
//! names a payment method on file, never a card number.

use std::future::Future;
use std::pin::Pin;

use billing::{Currency, Money};

use crate::store::PaymentMethod;

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
    /// The order's idempotency key, passed on so a provider never charges twice for one order.
    pub idempotency_key: &'a str,
}

/// Why a payment did not go through.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PaymentError {
    /// The provider declined the payment method.
    #[error("the payment was declined")]
    Declined,
    /// The provider could not be reached or failed.
    #[error("the payment provider failed: {0}")]
    Unavailable(String),
}

/// A boxed future, so providers can be used as trait objects.
pub type PaymentFuture<'a> =
    Pin<Box<dyn Future<Output = Result<String, PaymentError>> + Send + 'a>>;

/// A payment provider: charges a payment method and answers a payment reference.
pub trait PaymentProvider: Send + Sync {
    /// Charges `charge.amount` to `charge.method`.
    fn charge<'a>(&'a self, charge: Charge<'a>) -> PaymentFuture<'a>;
}

/// The provider of tests and demos: every payment method is charged, except one whose last four
/// digits are `0002`, which is declined.
#[derive(Clone, Copy, Debug, Default)]
pub struct TestPaymentProvider;

impl PaymentProvider for TestPaymentProvider {
    fn charge<'a>(&'a self, charge: Charge<'a>) -> PaymentFuture<'a> {
        Box::pin(async move {
            if charge.method.last4 == "0002" {
                tracing::info!(account = charge.account_id, "test payment declined");
                return Err(PaymentError::Declined);
            }
            let digest = crate::auth::sha256_hex(&format!(
                "{}:{}",
                charge.account_id, charge.idempotency_key
            ));
            // Debug only: the order's own log line says it was paid, and one line less per
            // order matters at thousands of orders a second.
            tracing::debug!(
                account = charge.account_id,
                amount = %charge.amount,
                currency = %charge.currency,
                "test payment charged"
            );
            Ok(format!("pay_{}", &digest[..16]))
        })
    }
}
