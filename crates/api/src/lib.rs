//! The wire contract of the order API (`shared/spec/api.md`, v1 and v1.1): every request and
//! response body as a plain Rust type with serde derives, written once.
//!
//! The order server writes its answers only through these types, the browser bundles (checkout,
//! pricing widget, quote page) read them, and the server's OpenAPI document is generated from them
//! (feature `openapi`, which derives `utoipa::ToSchema`; the browser bundles leave it off). The
//! `///` comments of the types and fields are the document's descriptions.
//!
//! The crate depends on `serde` alone so that the browser bundles stay small: money, dates and
//! timestamps travel as strings ([`Money`], [`Date`], [`Timestamp`]) and are parsed by the engine
//! (`crates/billing`), never here. Request types refuse unknown fields, as the server does
//! (api.md); answer types ignore unknown fields when read, so a reader is not broken by a member
//! added later.

mod account;
mod admin;
mod catalog;
mod error;
mod order;
mod quote;
mod scalar;
mod session;

pub use account::{
    Account, AccountKind, BillingContact, Frequency, NextPayment, PaymentMethod, Subscription,
    SubscriptionStatus,
};
pub use admin::{
    AccountUser, AccountUsers, Address, BillingContactChange, BillingInfo, BillingInfoUpdate, Card,
    CardSetup, NewCard, PaymentMethods,
};
pub use catalog::{Catalog, Product, Support, Tier, TierPrices, TierTexts};
pub use error::{ErrorBody, ErrorCode, ErrorDetail};
pub use order::{CancelReason, CancelReasonCode, Item, OrderRequest, PayRequest};
pub use quote::{
    CancellationReason, Line, LineKind, Order, OrderKind, OrderStatus, Orders, Quote, Tax,
};
pub use scalar::{Date, Money, Timestamp};
pub use session::{Health, HealthStatus, PasswordChange, SessionToken, SignIn};
