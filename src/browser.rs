//! The browser APIs the app uses: `fetch` through `gloo-net`, storage, `crypto.randomUUID`, and `Intl` through the
//! shared `ui` crate.
//!
//! On `wasm32` they call the browser; on the host (native unit tests) they are inert stand-ins, so
//! every other module compiles and tests natively.

use billing::{Currency, Money};
use chrono::NaiveDate;

use crate::i18n::Lang;

/// An answer from the order server: HTTP status and body text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    /// The HTTP status code.
    pub status: u16,
    /// The body text (JSON).
    pub body: String,
    /// The seconds of a `Retry-After` header (`429 too_many_attempts`, `503 server_busy`).
    pub retry_after: Option<u32>,
}

/// How long a request may take, its body included, before it counts as unanswered (S93): longer
/// than the server's own limit (30 s by default, then `408`), so a server that is up answers
/// first, and short enough that a hung connection does not leave a button busy for ever.
pub const REQUEST_TIMEOUT_MS: u32 = 35_000;

/// The request never got an answer (offline, server down, timed out, S93).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NetworkError;

/// One HTTP request to the order server of api.md.
#[derive(Clone, Debug, Default)]
pub struct Call<'a> {
    /// `GET`, `POST` or `DELETE`.
    pub method: &'a str,
    /// The path, e.g. `/api/v1/account`.
    pub path: &'a str,
    /// The session token, sent as `Authorization: Bearer`.
    pub token: Option<&'a str>,
    /// The JSON body.
    pub body: Option<&'a str>,
    /// The `Idempotency-Key` of an order (R23).
    pub idempotency_key: Option<&'a str>,
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use super::*;
    use wasm_bindgen::{JsCast, JsValue};

    pub async fn send(call: Call<'_>) -> Result<Reply, NetworkError> {
        use gloo_net::http::{Method, RequestBuilder};
        let method = match call.method {
            "POST" => Method::POST,
            "DELETE" => Method::DELETE,
            _ => Method::GET,
        };
        // The signal aborts the request and the reading of its body alike, so a connection that
        // hangs at any point ends as a lost answer (S93).
        let signal = web_sys::AbortSignal::timeout_with_u32(REQUEST_TIMEOUT_MS);
        let mut request = RequestBuilder::new(call.path)
            .method(method)
            .abort_signal(Some(&signal));
        if let Some(token) = call.token {
            request = request.header("Authorization", &format!("Bearer {token}"));
        }
        if let Some(key) = call.idempotency_key {
            request = request.header("Idempotency-Key", key);
        }
        let request = match call.body {
            Some(body) => request
                .header("Content-Type", "application/json")
                .body(body),
            None => request.build(),
        }
        .map_err(|_| NetworkError)?;
        let response = request.send().await.map_err(|_| NetworkError)?;
        let body = response.text().await.map_err(|_| NetworkError)?;
        let retry_after = response
            .headers()
            .get("Retry-After")
            .and_then(|seconds| seconds.trim().parse().ok());
        Ok(Reply {
            status: response.status(),
            body,
            retry_after,
        })
    }

    fn storage(kind: Storage) -> Option<web_sys::Storage> {
        let window = web_sys::window()?;
        match kind {
            Storage::Local => window.local_storage().ok().flatten(),
            Storage::Session => window.session_storage().ok().flatten(),
        }
    }

    pub fn load(kind: Storage, key: &str) -> Option<String> {
        storage(kind)?.get_item(key).ok().flatten()
    }

    pub fn store(kind: Storage, key: &str, value: Option<&str>) {
        if let Some(storage) = storage(kind) {
            let _ = match value {
                Some(value) => storage.set_item(key, value),
                None => storage.remove_item(key),
            };
        }
    }

    pub fn uuid() -> String {
        web_sys::window()
            .and_then(|window| window.crypto().ok())
            .map(|crypto| crypto.random_uuid())
            // Whole milliseconds: formatting the float itself would link the float printer.
            .unwrap_or_else(|| (js_sys::Date::now() as u64).to_string())
    }

    pub fn set_document_lang(lang: Lang) {
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("lang", lang.code());
        }
    }

    pub fn print() {
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    }

    pub fn query() -> String {
        web_sys::window()
            .and_then(|w| w.location().search().ok())
            .unwrap_or_default()
    }

    pub fn clear_query() {
        let Some(window) = web_sys::window() else {
            return;
        };
        let location = window.location();
        let url = location.pathname().unwrap_or_default() + &location.hash().unwrap_or_default();
        if let Ok(history) = window.history() {
            // A browser that refuses only keeps the query in the address bar.
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
        }
    }

    pub fn address() -> String {
        web_sys::window()
            .map(|w| {
                let location = w.location();
                location.pathname().unwrap_or_default() + &location.search().unwrap_or_default()
            })
            .unwrap_or_default()
    }

    pub fn set_address(address: &str, push: bool) {
        if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
            // A browser that refuses keeps the old address; the screen still changes.
            let _ = if push {
                history.push_state_with_url(&JsValue::NULL, "", Some(address))
            } else {
                history.replace_state_with_url(&JsValue::NULL, "", Some(address))
            };
        }
    }

    pub fn leave_for(address: &str) {
        if let Some(window) = web_sys::window() {
            let _ = window.location().assign(address);
        }
    }

    pub fn on_window(event: &str, f: impl Fn() + 'static) {
        if let Some(window) = web_sys::window() {
            // The listener lives as long as the page (the app is never unmounted), so the
            // closure is handed to JavaScript for good.
            let listener = wasm_bindgen::closure::Closure::<dyn Fn()>::new(f).into_js_value();
            let _ = window.add_event_listener_with_callback(event, listener.unchecked_ref());
        }
    }

    pub fn title_from_heading(app: &'static str) {
        leptos::prelude::request_animation_frame(move || {
            if let Some(document) = web_sys::window().and_then(|w| w.document()) {
                let heading = document
                    .get_element_by_id("page-title")
                    .and_then(|e| e.text_content())
                    .unwrap_or_default();
                document.set_title(&crate::route::document_title(&heading, app));
            }
        });
    }

    pub fn focus_either(id: &'static str, otherwise: &'static str) {
        leptos::prelude::request_animation_frame(move || {
            if let Some(element) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| {
                    d.get_element_by_id(id)
                        .or_else(|| d.get_element_by_id(otherwise))
                })
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = element.focus();
            }
        });
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use super::*;

    pub async fn send(_call: Call<'_>) -> Result<Reply, NetworkError> {
        Err(NetworkError)
    }
    pub fn load(_kind: Storage, _key: &str) -> Option<String> {
        None
    }
    pub fn store(_kind: Storage, _key: &str, _value: Option<&str>) {}
    pub fn uuid() -> String {
        "00000000-0000-4000-8000-000000000000".to_owned()
    }
    pub fn set_document_lang(_lang: Lang) {}
    pub fn print() {}
    pub fn clear_query() {}
    pub fn address() -> String {
        "/".to_owned()
    }
    pub fn set_address(_address: &str, _push: bool) {}
    pub fn leave_for(_address: &str) {}
    pub fn on_window(_event: &str, _f: impl Fn() + 'static) {}
    pub fn title_from_heading(_app: &'static str) {}
    pub fn focus_either(_id: &'static str, _otherwise: &'static str) {}
    pub fn query() -> String {
        String::new()
    }
}

/// Sends one request; `Err` when no answer came back.
pub async fn send(call: Call<'_>) -> Result<Reply, NetworkError> {
    imp::send(call).await
}

/// Which of the browser's storages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Storage {
    /// `localStorage`: kept until removed (the cart, the language).
    Local,
    /// `sessionStorage`: this tab only, gone when it closes (the session token).
    Session,
}

/// Reads a value from a storage.
pub fn load(kind: Storage, key: &str) -> Option<String> {
    imp::load(kind, key)
}

/// Writes (or, with `None`, removes) a value in a storage.
pub fn store(kind: Storage, key: &str, value: Option<&str>) {
    imp::store(kind, key, value)
}

/// A fresh random UUID (`crypto.randomUUID`), used as an idempotency key (R23).
pub fn uuid() -> String {
    imp::uuid()
}

/// An amount formatted by `Intl.NumberFormat` in the customer's locale for pages in `lang`
/// (S97: "93,94 €" in Italian, "€93.94" in English, "93,94 €" with German numbers).
pub fn money(lang: Lang, currency: Currency, amount: Money) -> String {
    ui::format_money(&amount.to_string(), currency.code(), &ui::locale_for(lang))
}

/// A date formatted by `Intl.DateTimeFormat` in the customer's locale for pages in `lang`
/// (S97), in UTC (R8).
pub fn date(lang: Lang, date: NaiveDate) -> String {
    // NaiveDate's Display is the ISO form (YYYY-MM-DD) without chrono's strftime machinery.
    ui::format_date(&date.to_string(), &ui::locale_for(lang))
}

/// Sets `<html lang>` so screen readers speak the chosen language.
pub fn set_document_lang(lang: Lang) {
    imp::set_document_lang(lang)
}

/// Opens the browser's print dialog (the printable receipt).
pub fn print() {
    imp::print()
}

/// Moves the focus to the new page's heading (`#page-title`) after it renders, so keyboard and
/// screen-reader users start at the top of each screen.
pub fn focus_heading() {
    imp::focus_either("page-title", "page-title")
}

/// Moves the focus to the element `id` after the next render (a message the user must read
/// first, such as a declined payment).
pub fn focus(id: &'static str) {
    imp::focus_either(id, id)
}

/// Moves the focus to the element `id` after the next render, or to `otherwise` when the page
/// has no element `id` (the field an error names, else the error's message, S96).
pub fn focus_either(id: &'static str, otherwise: &'static str) {
    imp::focus_either(id, otherwise)
}

/// Removes the query (the pricing widget's selection) from the address bar once it has been
/// used, so a reload does not open it again; the history entry is replaced, not added.
pub fn clear_query() {
    imp::clear_query()
}

/// The page URL's query string (`?op=buy&product=…` from the pricing widget).
pub fn query() -> String {
    imp::query()
}

/// The address bar's path and query (`/billing/orders/ord_1`, `/?next=…`), which
/// [`crate::route::Route::parse`] reads.
pub fn address() -> String {
    imp::address()
}

/// Shows `address` in the address bar: a new history entry with `push` (a screen the user opened,
/// which Back returns from), else the current entry replaced (the same screen under its own
/// address). Nothing is loaded.
pub fn set_address(address: &str, push: bool) {
    imp::set_address(address, push)
}

/// Loads another page of this origin (`next` outside the checkout, such as `/account/…`).
pub fn leave_for(address: &str) {
    imp::leave_for(address)
}

/// Calls `f` on every `event` of the window for as long as the page lives (`popstate` when Back
/// or Forward changes the address, `pagehide` before a reload or another page).
pub fn on_window(event: &str, f: impl Fn() + 'static) {
    imp::on_window(event, f)
}

/// Names the screen in the document's title after it renders: its heading, then `app` (issue 14).
pub fn title_from_heading(app: &'static str) {
    imp::title_from_heading(app)
}
