//! The pricing widget for marketing pages and the offline quote page: one small WebAssembly
//! bundle of its own, apart from the checkout's, so a marketing page never downloads the checkout.
//!
//! - [`mount_pricing_widget`] mounts a pricing widget ([`widget::pricing_widget`]) into the
//!   shadow root of a `<div data-checkout-pricing ...>` element; `public/widget/pricing.js` calls
//!   it for each such element of the page as it nears the viewport.
//! - The prices come from the engine's bundled catalog ([`billing::Catalog::bundled`]),
//!   refreshed from `GET {data-api-base}/api/v1/catalog` (read by the engine's one catalog reader,
//!   `billing::Catalog::from_answer`) when the element names an API base that answers;
//!   [`catalog`] takes the part of it the widget shows.
//!
//! The rules (configuration, checkout links, savings) are plain functions in [`pricing`], tested
//! natively; the components only wire them to the DOM.

pub mod catalog;
pub mod i18n;
#[cfg(not(target_arch = "wasm32"))]
pub mod paint;
pub mod pricing;
pub mod widget;

use wasm_bindgen::prelude::*;

/// Mounts a pricing widget into `host`, a `[data-checkout-pricing]` element, unless it has one
/// already. The loader calls it for each element when it nears the viewport, one element per
/// task.
#[wasm_bindgen]
pub fn mount_pricing_widget(host: web_sys::Element) -> Result<(), JsValue> {
    widget::mount(&host)
}
