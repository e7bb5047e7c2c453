//! The billing engine of the checkout: one pure library that the browser, the order server and the
//! quote CLI all call, so a preview and a charge can never disagree.
//!
//! The engine does no I/O and never reads the clock: every function takes the catalog, the
//! account and the date it works at (`as_of`, rule R9) as arguments. Rule ids (R1-R24) refer to
//! `shared/spec/billing-rules.md`; the rules the spec left open are written down in
//! `docs/billing-rules-supplement.md`.

pub mod account;
pub mod apply;
pub mod catalog;
pub mod country;
pub mod error;
pub mod money;
pub mod order;
pub mod period;
pub mod quote;
pub mod renewal;
pub mod saving;
pub mod tax;
pub mod vat;

pub use account::{Account, AccountError, AccountKind, Seats, Subscription, SubscriptionStatus};
pub use apply::{Placement, apply_order};
pub use catalog::{Catalog, CatalogError, Product, ProductProblem, Support, Tier, TierProblem};
pub use country::Country;
pub use error::OrderError;
pub use money::{Currency, Money, MoneyError};
pub use order::{
    CancelReason, CancelReasonCode, Item, MAX_REASON_TEXT_CHARS, Order, OrderRequest, VatIdChange,
};
pub use period::{Frequency, Period, PeriodError};
pub use quote::{Line, LineKind, Quote, quote};
pub use renewal::{
    NextPayment, RENEWAL_RETRY_DAYS, RENEWAL_TRIES, Renewal, RenewalEvent, next_payment,
    next_renewal_try, roll_forward,
};
pub use saving::{AnnualSaving, annual_saving};
pub use tax::Tax;
pub use vat::{VatId, VatIdError};
