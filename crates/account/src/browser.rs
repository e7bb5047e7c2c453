//! The browser APIs the account pages call: `fetch`, the checkout's storage (its session token
//! and language, same origin), the address bar. On the host they are inert, so the other
//! modules compile and test natively.

/// An answer of the order server: status and body text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    /// The HTTP status code.
    pub status: u16,
    /// The body text.
    pub body: String,
}

/// The session token the checkout keeps in `sessionStorage` (this tab only).
pub const TOKEN_KEY: &str = "checkout.token";
/// The language the checkout keeps in `localStorage`.
pub const LANG_KEY: &str = "checkout.lang";

#[cfg(target_arch = "wasm32")]
mod imp {
    use super::Reply;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;

    pub async fn send(
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&str>,
    ) -> Option<Reply> {
        let window = web_sys::window()?;
        let init = web_sys::RequestInit::new();
        init.set_method(method);
        let headers = web_sys::Headers::new().ok()?;
        if let Some(token) = token {
            let _ = headers.set("Authorization", &format!("Bearer {token}"));
        }
        if let Some(body) = body {
            let _ = headers.set("Content-Type", "application/json");
            init.set_body(&JsValue::from_str(body));
        }
        init.set_headers(&headers);
        let request = web_sys::Request::new_with_str_and_init(path, &init).ok()?;
        let response: web_sys::Response = JsFuture::from(window.fetch_with_request(&request))
            .await
            .ok()?
            .dyn_into()
            .ok()?;
        let body = JsFuture::from(response.text().ok()?)
            .await
            .ok()?
            .as_string()
            .unwrap_or_default();
        Some(Reply {
            status: response.status(),
            body,
        })
    }

    fn storage(local: bool) -> Option<web_sys::Storage> {
        let window = web_sys::window()?;
        if local {
            window.local_storage().ok().flatten()
        } else {
            window.session_storage().ok().flatten()
        }
    }

    pub fn load(local: bool, key: &str) -> Option<String> {
        storage(local)?.get_item(key).ok().flatten()
    }

    pub fn store(local: bool, key: &str, value: &str) {
        if let Some(storage) = storage(local) {
            let _ = storage.set_item(key, value);
        }
    }

    fn location() -> Option<web_sys::Location> {
        web_sys::window().map(|w| w.location())
    }

    pub fn path() -> String {
        location()
            .and_then(|l| l.pathname().ok())
            .unwrap_or_default()
    }

    pub fn query() -> String {
        location().and_then(|l| l.search().ok()).unwrap_or_default()
    }

    pub fn go(url: &str) {
        if let Some(location) = location() {
            let _ = location.assign(url);
        }
    }

    pub fn clear_query() {
        let Some(window) = web_sys::window() else {
            return;
        };
        if let Ok(history) = window.history() {
            // A browser that refuses only keeps the set-up id in the address bar.
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&path()));
        }
    }

    pub fn set_document(lang: &str, title: &str) {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        if let Some(root) = document.document_element() {
            let _ = root.set_attribute("lang", lang);
        }
        document.set_title(title);
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

    pub fn print() {
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use super::Reply;

    pub async fn send(
        _method: &str,
        _path: &str,
        _token: Option<&str>,
        _body: Option<&str>,
    ) -> Option<Reply> {
        None
    }
    pub fn load(_local: bool, _key: &str) -> Option<String> {
        None
    }
    pub fn store(_local: bool, _key: &str, _value: &str) {}
    pub fn path() -> String {
        "/account/".to_owned()
    }
    pub fn query() -> String {
        String::new()
    }
    pub fn go(_url: &str) {}
    pub fn clear_query() {}
    pub fn set_document(_lang: &str, _title: &str) {}
    pub fn focus(_id: &'static str) {}
    pub fn print() {}
}

/// Sends one request to the order server; `None` when no answer came back.
pub async fn send(
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&str>,
) -> Option<Reply> {
    imp::send(method, path, token, body).await
}

/// Reads `key` from `localStorage` (`local`) or `sessionStorage`.
pub fn load(local: bool, key: &str) -> Option<String> {
    imp::load(local, key)
}

/// Writes `key` in `localStorage` (`local`) or `sessionStorage`.
pub fn store(local: bool, key: &str, value: &str) {
    imp::store(local, key, value)
}

/// The page's path (`/account/`).
pub fn path() -> String {
    imp::path()
}

/// The page's query (`?setup=…` when the payment provider sends the customer back).
pub fn query() -> String {
    imp::query()
}

/// Leaves for `url` (the sign-in, the provider's card page).
pub fn go(url: &str) {
    imp::go(url)
}

/// Removes the query from the address bar once read, so a reload does not save the card again.
pub fn clear_query() {
    imp::clear_query()
}

/// Sets `<html lang>` (screen readers speak the page's language) and the document's title.
pub fn set_document(lang: &str, title: &str) {
    imp::set_document(lang, title)
}

/// Moves the focus to the element `id` after the next render.
pub fn focus(id: &'static str) {
    imp::focus(id)
}

/// Opens the browser's print dialog (a receipt, R28).
pub fn print() {
    imp::print()
}
