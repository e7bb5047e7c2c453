//! The demo payment provider's own card page (R25): where the customer types a card number, on
//! another origin than the checkout (its own listener, `--card-page-addr`), so the number never
//! reaches the checkout's code, the order server's API or any log. It keeps only the brand, the
//! last four digits and the expiry of a card, in the provider's ledger (`test_card_setups`).
//!
//! The page is plain HTML forms, no script at all, under a strict Content-Security-Policy
//! ([`csp`]): `default-src 'none'`, forms only to itself and to the checkout the customer came
//! from, never framed. The test cards of R25: a number ending `4242` (and any other valid number)
//! is saved, `0002` is declined, `3155` asks the customer to confirm (strong customer
//! authentication) and is saved only after "Confirm"; "Cancel" refuses it (S86). After the page
//! the customer goes back to the return URL given at set-up, with `setup=<id>` (S85).

use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, LOCATION, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Datelike;
use serde::Deserialize;

use crate::store::{Store, TestSetup, TestSetupState};

/// The card page's router over the provider's ledger in `store`; `clock` dates the expiry check.
pub fn router(store: Store, clock: crate::Clock) -> Router {
    Router::new()
        .route("/setup/{id}", get(show).post(enter_card))
        .route("/setup/{id}/confirm", post(confirm))
        .route("/setup/{id}/cancel", post(cancel))
        .fallback(|| async {
            page(
                StatusCode::NOT_FOUND,
                "Not found",
                "<p>No such page.</p>",
                None,
            )
        })
        .with_state(PageState { store, clock })
}

#[derive(Clone)]
struct PageState {
    store: Store,
    clock: crate::Clock,
}

/// The card page's Content-Security-Policy: nothing loads (no script, no style sheet, no image),
/// forms post only to the page itself and, after a decision, to the checkout's origin, and no
/// other site may frame it (a framed card form invites click-jacking).
pub fn csp(return_origin: Option<&str>) -> String {
    let form_action = match return_origin {
        Some(origin) => format!("'self' {origin}"),
        None => "'self'".to_owned(),
    };
    format!(
        "default-src 'none'; form-action {form_action}; frame-ancestors 'none'; base-uri 'none'"
    )
}

/// The origin (`scheme://host[:port]`) of an absolute http(s) URL.
fn origin_of(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    Some(&url[..url.len() - rest.len() + end])
}

/// Escapes text for HTML.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A page with the card page's headers.
fn page(status: StatusCode, title: &str, body: &str, return_origin: Option<&str>) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} - Demo payment provider</title></head><body><main>\
         <p>Demo payment provider: test cards only, no real money.</p><h1>{title}</h1>{body}\
         </main></body></html>",
        title = escape(title)
    );
    let mut response = (status, Html(html)).into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&csp(return_origin)) {
        headers.insert(CONTENT_SECURITY_POLICY, value);
    }
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // The page's address carries the set-up id: it is sent to no other site.
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Sends the customer back to the checkout, with the set-up id (S85).
fn back_to(setup: &TestSetup) -> Response {
    let separator = if setup.return_url.contains('?') {
        '&'
    } else {
        '?'
    };
    let location = format!("{}{separator}setup={}", setup.return_url, setup.id);
    match HeaderValue::from_str(&location) {
        Ok(value) => {
            let mut response = StatusCode::SEE_OTHER.into_response();
            response.headers_mut().insert(LOCATION, value);
            response
                .headers_mut()
                .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Err(_) => page(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Cannot go back",
            "<p>The return address is not usable.</p>",
            None,
        ),
    }
}

/// The card form, with a message above it when the last entry was refused.
fn form(setup: &TestSetup, message: Option<&str>) -> Response {
    let id = escape(&setup.id);
    let message = message
        .map(|m| format!("<p role=\"alert\">{}</p>", escape(m)))
        .unwrap_or_default();
    let body = format!(
        "{message}<form method=\"post\" action=\"/setup/{id}\">\
         <p><label for=\"number\">Card number</label><br>\
         <input id=\"number\" name=\"number\" inputmode=\"numeric\" autocomplete=\"cc-number\" required></p>\
         <p><label for=\"exp\">Expiry (MM/YY)</label><br>\
         <input id=\"exp\" name=\"exp\" autocomplete=\"cc-exp\" placeholder=\"MM/YY\" required></p>\
         <p><label for=\"cvc\">Security code</label><br>\
         <input id=\"cvc\" name=\"cvc\" inputmode=\"numeric\" autocomplete=\"cc-csc\" required></p>\
         <p><button type=\"submit\">Save card</button></p></form>\
         <form method=\"post\" action=\"/setup/{id}/cancel\"><p><button type=\"submit\">Cancel</button></p></form>"
    );
    let status = if message.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    page(status, "Add a card", &body, origin_of(&setup.return_url))
}

/// The confirmation step of a card that needs it (strong customer authentication).
fn confirmation(setup: &TestSetup) -> Response {
    let id = escape(&setup.id);
    let card = format!(
        "{} ending {}",
        escape(setup.brand.as_deref().unwrap_or("card")),
        escape(setup.last4.as_deref().unwrap_or(""))
    );
    let body = format!(
        "<p>Your bank asks you to confirm that you are adding the {card}.</p>\
         <form method=\"post\" action=\"/setup/{id}/confirm\"><p><button type=\"submit\">Confirm</button></p></form>\
         <form method=\"post\" action=\"/setup/{id}/cancel\"><p><button type=\"submit\">Cancel</button></p></form>"
    );
    page(
        StatusCode::OK,
        "Confirm your card",
        &body,
        origin_of(&setup.return_url),
    )
}

/// What the page shows for a set-up in `state`.
fn for_state(setup: &TestSetup) -> Response {
    match setup.state {
        TestSetupState::Pending => form(setup, None),
        TestSetupState::NeedsConfirmation => confirmation(setup),
        TestSetupState::Succeeded | TestSetupState::Refused => back_to(setup),
    }
}

fn unknown() -> Response {
    page(
        StatusCode::NOT_FOUND,
        "Unknown card set-up",
        "<p>This card set-up does not exist. Go back to the checkout and start again.</p>",
        None,
    )
}

fn failed(error: impl std::fmt::Display) -> Response {
    tracing::error!(%error, "the demo card page failed");
    page(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong",
        "<p>Please go back to the checkout and try again.</p>",
        None,
    )
}

async fn show(State(state): State<PageState>, Path(id): Path<String>) -> Response {
    match state.store.test_setup(&id).await {
        Ok(Some(setup)) => for_state(&setup),
        Ok(None) => unknown(),
        Err(error) => failed(error),
    }
}

/// The card form's fields. Only [`CardEntry::check`] reads the number; nothing keeps it.
#[derive(Deserialize)]
struct CardForm {
    number: String,
    exp: String,
    cvc: String,
}

/// A card as the provider keeps it: never the number.
#[derive(Debug, PartialEq, Eq)]
pub struct CardEntry {
    /// The brand, from the number's first digits.
    pub brand: &'static str,
    /// The last four digits.
    pub last4: String,
    /// The expiry, `YYYY-MM`.
    pub exp: String,
}

/// Why the card page refuses what was typed (nothing is stored then).
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum EntryError {
    /// Not 12-19 digits passing the Luhn check.
    #[error("the card number is not valid")]
    Number,
    /// Not `MM/YY`, or a month already past.
    #[error("the expiry date is not valid or has passed")]
    Expiry,
    /// Not 3 or 4 digits.
    #[error("the security code must be 3 or 4 digits")]
    Cvc,
}

/// Whether `digits` passes the Luhn check.
fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            let d = u32::from(*d);
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

fn brand(digits: &[u8]) -> &'static str {
    let prefix2 = digits
        .iter()
        .take(2)
        .fold(0u32, |n, d| n * 10 + u32::from(*d));
    let prefix4 = digits
        .iter()
        .take(4)
        .fold(0u32, |n, d| n * 10 + u32::from(*d));
    match digits.first() {
        Some(4) => "visa",
        _ if (51..=55).contains(&prefix2) || (2221..=2720).contains(&prefix4) => "mastercard",
        _ if prefix2 == 34 || prefix2 == 37 => "amex",
        _ => "card",
    }
}

impl CardEntry {
    /// Reads a typed card (spaces and dashes in the number allowed) on `today`: the brand, last
    /// four digits and expiry, never the number or the security code.
    pub fn check(
        number: &str,
        exp: &str,
        cvc: &str,
        today: chrono::NaiveDate,
    ) -> Result<CardEntry, EntryError> {
        let mut digits = Vec::with_capacity(19);
        for c in number.chars() {
            match c {
                ' ' | '-' => {}
                c => digits.push(
                    c.to_digit(10)
                        .and_then(|d| u8::try_from(d).ok())
                        .ok_or(EntryError::Number)?,
                ),
            }
        }
        if !(12..=19).contains(&digits.len()) || !luhn(&digits) {
            return Err(EntryError::Number);
        }
        let (month, year) = exp.trim().split_once('/').ok_or(EntryError::Expiry)?;
        let month: u32 = month.trim().parse().map_err(|_| EntryError::Expiry)?;
        let year: i32 = year.trim().parse().map_err(|_| EntryError::Expiry)?;
        let year = if year < 100 { 2000 + year } else { year };
        if !(1..=12).contains(&month) || (year, month) < (today.year(), today.month()) {
            return Err(EntryError::Expiry);
        }
        let cvc = cvc.trim();
        if !(3..=4).contains(&cvc.len()) || !cvc.bytes().all(|b| b.is_ascii_digit()) {
            return Err(EntryError::Cvc);
        }
        let last4: String = digits[digits.len() - 4..]
            .iter()
            .map(|d| char::from(b'0' + d))
            .collect();
        Ok(CardEntry {
            brand: brand(&digits),
            last4,
            exp: format!("{year:04}-{month:02}"),
        })
    }

    /// What the demo provider does with it (R25): `0002` is declined, `3155` needs the
    /// customer's confirmation, any other card is saved.
    pub fn outcome(&self) -> TestSetupState {
        match self.last4.as_str() {
            "0002" => TestSetupState::Refused,
            "3155" => TestSetupState::NeedsConfirmation,
            _ => TestSetupState::Succeeded,
        }
    }
}

async fn enter_card(
    State(state): State<PageState>,
    Path(id): Path<String>,
    Form(card): Form<CardForm>,
) -> Response {
    let setup = match state.store.test_setup(&id).await {
        Ok(Some(setup)) => setup,
        Ok(None) => return unknown(),
        Err(error) => return failed(error),
    };
    if setup.state != TestSetupState::Pending {
        return for_state(&setup);
    }
    // The number and the security code end in this block: only brand, last four digits and
    // expiry leave it.
    let checked = {
        let CardForm { number, exp, cvc } = card;
        CardEntry::check(&number, &exp, &cvc, state.clock.today())
    };
    let entry = match checked {
        Ok(entry) => entry,
        Err(error) => return form(&setup, Some(&error.to_string())),
    };
    let next = entry.outcome();
    let pm = match crate::auth::random_id("pm") {
        Ok(pm) => pm,
        Err(error) => return failed(error),
    };
    // A set-up decided meanwhile (another tab) keeps its outcome; the page shows it.
    if let Err(error) = state.store.test_setup_enter(&id, &entry, next, &pm).await {
        return failed(error);
    }
    tracing::info!(setup = %id, outcome = next.as_str(), "demo card page: card entered");
    show(State(state), Path(id)).await
}

async fn confirm(State(state): State<PageState>, Path(id): Path<String>) -> Response {
    decide(state, id, TestSetupState::Succeeded).await
}

async fn cancel(State(state): State<PageState>, Path(id): Path<String>) -> Response {
    decide(state, id, TestSetupState::Refused).await
}

/// The customer's answer to the confirmation step (or a cancel of the form): confirmed saves the
/// card, cancelled refuses the set-up (S86). A set-up already decided keeps its outcome.
async fn decide(state: PageState, id: String, to: TestSetupState) -> Response {
    match state.store.test_setup_decide(&id, to).await {
        Ok(true) => {
            tracing::info!(setup = %id, outcome = to.as_str(), "demo card page: decided");
        }
        Ok(false) => {}
        Err(error) => return failed(error),
    }
    show(State(state), Path(id)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 16).expect("a date")
    }

    #[test]
    fn the_test_cards_are_read_without_keeping_the_number() {
        let visa = CardEntry::check("4242 4242 4242 4242", "04/28", "123", today());
        assert_eq!(
            visa,
            Ok(CardEntry {
                brand: "visa",
                last4: "4242".into(),
                exp: "2028-04".into()
            })
        );
        let declined =
            CardEntry::check("4000000000000002", "12/30", "123", today()).expect("valid");
        assert_eq!(declined.outcome(), TestSetupState::Refused);
        let sca = CardEntry::check("4000-0025-0000-3155", "11/26", "1234", today()).expect("valid");
        assert_eq!(sca.outcome(), TestSetupState::NeedsConfirmation);
        assert_eq!(
            CardEntry::check("5555555555554444", "01/27", "123", today()).map(|c| c.brand),
            Ok("mastercard")
        );
    }

    #[test]
    fn a_bad_number_expiry_or_code_is_refused() {
        assert_eq!(
            CardEntry::check("4242424242424241", "04/28", "123", today()),
            Err(EntryError::Number)
        );
        assert_eq!(
            CardEntry::check("42a2424242424242", "04/28", "123", today()),
            Err(EntryError::Number)
        );
        assert_eq!(
            CardEntry::check("4242424242424242", "10/26", "123", today()),
            Err(EntryError::Expiry)
        );
        assert_eq!(
            CardEntry::check("4242424242424242", "13/28", "123", today()),
            Err(EntryError::Expiry)
        );
        assert_eq!(
            CardEntry::check("4242424242424242", "04/28", "12", today()),
            Err(EntryError::Cvc)
        );
    }

    #[test]
    fn the_policy_allows_no_script_and_forms_only_to_itself_and_the_checkout() {
        let policy = csp(origin_of("http://127.0.0.1:8080/?x=1"));
        assert_eq!(
            policy,
            "default-src 'none'; form-action 'self' http://127.0.0.1:8080; frame-ancestors 'none'; base-uri 'none'"
        );
        assert_eq!(
            origin_of("https://shop.example"),
            Some("https://shop.example")
        );
        assert_eq!(origin_of("ftp://x"), None);
    }
}
