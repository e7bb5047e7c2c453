//! The offline quote page (`/quote/`): a seller or a customer describes an account (or none),
//! builds an order, picks the date, and sees the full quote of the billing engine, with no server:
//! the catalog is bundled and a service worker (`public/quote/sw.js`) keeps the page available
//! with the network off. The quote exports as a shareable link (the whole input in the URL
//! fragment) and prints as one A4 page.
//!
//! Its own bundle, apart from the pricing widget's, so marketing pages stay small.

pub mod i18n;
pub mod model;
pub mod page;

use wasm_bindgen::prelude::*;

/// Mounts the quote page into `<main id="quote-app">` (or the body), pricing at today's UTC date
/// unless a shared link says otherwise.
#[wasm_bindgen]
pub fn mount_quote_page() {
    let today = chrono::NaiveDate::parse_from_str(&js_sys_today(), "%Y-%m-%d").unwrap_or_default();
    let target = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("quote-app"))
        .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok());
    match target {
        Some(element) => leptos::mount::mount_to(element, move || {
            leptos::view! { <page::QuotePage today=today /> }
        })
        .forget(),
        None => leptos::mount::mount_to_body(move || {
            leptos::view! { <page::QuotePage today=today /> }
        }),
    }
}

/// Today's UTC date as `YYYY-MM-DD`, from the browser's clock.
fn js_sys_today() -> String {
    let iso: String = js_sys::Date::new_0().to_iso_string().into();
    iso.chars().take(10).collect()
}
