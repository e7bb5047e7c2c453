//! The browser APIs the app uses: `fetch`, storage, `crypto.randomUUID`, and `Intl` through the
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
}

/// The request never got an answer (offline, server down, aborted).
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
    use wasm_bindgen_futures::JsFuture;

    pub async fn send(call: Call<'_>) -> Result<Reply, NetworkError> {
        let window = web_sys::window().ok_or(NetworkError)?;
        let init = web_sys::RequestInit::new();
        init.set_method(call.method);
        let headers = web_sys::Headers::new().map_err(|_| NetworkError)?;
        if let Some(token) = call.token {
            let _ = headers.set("Authorization", &format!("Bearer {token}"));
        }
        if let Some(key) = call.idempotency_key {
            let _ = headers.set("Idempotency-Key", key);
        }
        if let Some(body) = call.body {
            let _ = headers.set("Content-Type", "application/json");
            init.set_body(&JsValue::from_str(body));
        }
        init.set_headers(&headers);
        let request =
            web_sys::Request::new_with_str_and_init(call.path, &init).map_err(|_| NetworkError)?;
        let response: web_sys::Response = JsFuture::from(window.fetch_with_request(&request))
            .await
            .map_err(|_| NetworkError)?
            .dyn_into()
            .map_err(|_| NetworkError)?;
        let text = response.text().map_err(|_| NetworkError)?;
        let body = JsFuture::from(text)
            .await
            .map_err(|_| NetworkError)?
            .as_string()
            .unwrap_or_default();
        Ok(Reply {
            status: response.status(),
            body,
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

    pub fn focus(id: &'static str) {
        leptos::prelude::request_animation_frame(move || {
            if let Some(element) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(id))
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
    pub fn focus(_id: &'static str) {}
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
    imp::focus("page-title")
}

/// Moves the focus to the element `id` after the next render (a message the user must read
/// first, such as a declined payment).
pub fn focus(id: &'static str) {
    imp::focus(id)
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
