//! The account pages (`/account/`): the billing contact edits the billing information (R27),
//! manages the cards on file (R25) and hands the billing-contact role to another user (R26);
//! every other user sees them read-only (R1), a corporate account the Corporate Billing Portal
//! notice (R2).
//!
//! A bundle of its own, apart from the checkout's (whose size budget has no room left): the
//! order server serves it from `dist/account/` (`scripts/build-widget.sh` builds it). It shares
//! the checkout's session and language through the browser's storage on the same origin, and
//! sends a user without a session to the checkout's sign-in, which comes back here.

pub mod browser;
pub mod history;
pub mod i18n;
pub mod model;
pub mod page;
pub mod receipts;

use wasm_bindgen::prelude::*;

/// Mounts the account pages into the document's body.
#[wasm_bindgen]
pub fn mount_account() {
    leptos::mount::mount_to_body(page::AccountApp);
}
