//! Leptos components shared by the Billing Center's web bundles (the checkout and the pricing
//! widget), so both show the same seat stepper and format money and dates the same way.
//!
//! - [`SeatStepper`]: the WAI-ARIA spin button for seat counts (rule R5), with its rules in the
//!   plain type [`SeatRange`] so they are tested natively.
//! - [`Lang`]: the languages the pages speak (their texts stay in each bundle).
//! - [`fill`]: the `{name}` placeholders of the bundles' texts.
//! - [`intl`]: money and date formatting through the browser's `Intl` API, with a plain fallback
//!   outside the browser (native tests, the server).
//!
//! No component holds user-visible text of its own: labels and messages are props, so each app
//! translates them.

pub mod billed;
pub mod intl;
pub mod lang;
pub mod stepper;
pub mod text;

pub use billed::billed_to;
pub use intl::{
    Plural, country_name, format_date, format_money, locale_for, number_locale, plural,
};
pub use lang::Lang;
pub use stepper::{SeatInput, SeatRange, SeatStepper, StepKey};
pub use text::fill;
