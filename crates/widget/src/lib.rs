//! The pricing widget for marketing pages and the offline quote page: one small WebAssembly
//! bundle of its own, apart from the checkout's, so a marketing page never downloads the checkout.
//!
//! - [`mount_pricing_widgets`] mounts a pricing widget ([`widget::pricing_widget`]) into the
//!   shadow root of every `<div data-checkout-pricing ...>` of the page (`public/widget/pricing.js`
//!   calls it).
//! - The prices come from the engine's bundled catalog ([`billing::catalog::BUNDLED_CATALOG_JSON`]),
//!   refreshed from `GET {data-api-base}/api/v1/catalog` when the element names an API base that
//!   answers; [`catalog`] reads the part of it the widget shows.
//!
//! The rules (configuration, checkout links, savings) are plain functions in [`pricing`], tested
//! natively; the components only wire them to the DOM.

pub mod catalog;
pub mod i18n;
pub mod pricing;
pub mod widget;

use wasm_bindgen::prelude::*;

/// Mounts a pricing widget on every `[data-checkout-pricing]` element that has none yet and
/// returns how many were mounted. Safe to call again after the page adds elements.
#[wasm_bindgen]
pub fn mount_pricing_widgets() -> Result<u32, JsValue> {
    widget::mount_all()
}
