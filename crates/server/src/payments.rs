//! Payments (R20): the order server charges through a [`PaymentProvider`]; the client only ever
//! names a payment method on file, never a card number.
//!
//! Every call carries the provider idempotency key of a payment attempt (S21), derived from the
//! account, the order's idempotency key, the request's fingerprint and the attempt's generation,
//! so that asking twice never charges twice. Besides charging, a provider can say which charge a
//! key made (the reconciler asks after a crash) and refund a charge. Card set-up (R25) is two
//! more calls: start a set-up (the provider's card page, on its own origin, where the customer
//! types the card) and read its outcome (the saved card's id, brand, last four digits and expiry,
//! never its number). `crates/server/README.md` maps a Stripe-like provider onto these calls.

use std::future::Future;
use std::pin::Pin;

use billing::{Currency, Money};

use crate::store::{PaymentMethod, Store, TestSetupState};

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

/// A card set-up to start at the provider (R25).
#[derive(Clone, Debug)]
pub struct NewSetup<'a> {
    /// The account the card is for.
    pub account_id: &'a str,
    /// Where the provider's card page sends the customer afterwards; the provider adds
    /// `setup=<id>` to it (S85).
    pub return_url: &'a str,
}

/// A set-up started at the provider: its id and the provider's card page for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetupStarted {
    /// The provider's id of the set-up.
    pub id: String,
    /// The address of the provider's card page for it (another origin than the checkout).
    pub url: String,
}

/// Where a card set-up stands at the provider (S86).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SetupOutcome {
    /// The card is saved at the provider: its payment-method id and what the customer sees.
    Succeeded(PaymentMethod),
    /// No card entered yet, or the customer left the page.
    Pending,
    /// A card awaits the customer's confirmation (strong customer authentication).
    NeedsConfirmation,
    /// The card was declined, or the customer refused the confirmation.
    Refused,
    /// The provider knows no such set-up.
    Unknown,
}

fn no_setups<'a, T: 'a>() -> PaymentFuture<'a, T> {
    Box::pin(async { Err(unavailable("this payment provider cannot set up cards")) })
}

/// A payment provider.
pub trait PaymentProvider: Send + Sync {
    /// Charges `charge.amount` to `charge.method` and answers the charge's reference; asked again
    /// with the same idempotency key, answers the first charge instead of making another.
    fn charge<'a>(&'a self, charge: Charge<'a>) -> PaymentFuture<'a>;

    /// The reference of the charge made with this idempotency key, or `None` when it made none.
    fn find_charge<'a>(&'a self, idempotency_key: &'a str) -> PaymentFuture<'a, Option<String>>;

    /// Refunds the charge `reference` in full (refunding it again changes nothing).
    fn refund<'a>(&'a self, reference: &'a str) -> PaymentFuture<'a, ()>;

    /// Starts a card set-up (R25): the provider's card page where the customer types the card,
    /// and the set-up's id. A provider without set-ups answers an error (the default), so that
    /// providers written before these calls keep compiling.
    fn create_setup<'a>(&'a self, _setup: NewSetup<'a>) -> PaymentFuture<'a, SetupStarted> {
        no_setups()
    }

    /// Where set-up `setup_id` stands: the saved card once it succeeded (S86).
    fn setup_outcome<'a>(&'a self, _setup_id: &'a str) -> PaymentFuture<'a, SetupOutcome> {
        no_setups()
    }
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
/// database, read one ledger. Its card set-ups (R25) are typed on its own card page
/// (`card_page.rs`, another origin) and kept in `test_card_setups`.
#[derive(Clone, Debug)]
pub struct TestPaymentProvider {
    store: Store,
    fault: Option<Fault>,
    card_page: String,
}

/// The card page's address when none was given: the router of `card_page.rs` driven in-process
/// (tests) has no listener, so the host of its links is only a name.
pub const DEFAULT_CARD_PAGE: &str = "http://127.0.0.1:8091";

impl TestPaymentProvider {
    /// The test provider keeping its ledger in `store`, its card page at [`DEFAULT_CARD_PAGE`].
    pub fn new(store: Store) -> TestPaymentProvider {
        TestPaymentProvider {
            store,
            fault: None,
            card_page: DEFAULT_CARD_PAGE.to_owned(),
        }
    }

    /// The same provider with its card page served at `base` (`http://host:port`).
    pub fn with_card_page(mut self, base: &str) -> TestPaymentProvider {
        self.card_page = base.trim_end_matches('/').to_owned();
        self
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

    fn create_setup<'a>(&'a self, setup: NewSetup<'a>) -> PaymentFuture<'a, SetupStarted> {
        Box::pin(async move {
            let id = crate::auth::random_id("seti").map_err(unavailable)?;
            self.store
                .test_setup_create(&id, setup.account_id, setup.return_url)
                .await
                .map_err(unavailable)?;
            Ok(SetupStarted {
                url: format!("{}/setup/{id}", self.card_page),
                id,
            })
        })
    }

    fn setup_outcome<'a>(&'a self, setup_id: &'a str) -> PaymentFuture<'a, SetupOutcome> {
        Box::pin(async move {
            let Some(setup) = self.store.test_setup(setup_id).await.map_err(unavailable)? else {
                return Ok(SetupOutcome::Unknown);
            };
            Ok(match setup.state {
                TestSetupState::Pending => SetupOutcome::Pending,
                TestSetupState::NeedsConfirmation => SetupOutcome::NeedsConfirmation,
                TestSetupState::Refused => SetupOutcome::Refused,
                TestSetupState::Succeeded => {
                    match (setup.payment_method, setup.brand, setup.last4, setup.exp) {
                        (Some(id), Some(brand), Some(last4), Some(exp)) => {
                            SetupOutcome::Succeeded(PaymentMethod {
                                id,
                                brand,
                                last4,
                                exp,
                            })
                        }
                        _ => return Err(unavailable("a saved set-up without its card")),
                    }
                }
            })
        })
    }
}
