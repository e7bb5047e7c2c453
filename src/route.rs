//! The checkout's URLs: every screen has one (issue 14, S90). A [`Route`] is parsed from the
//! address bar's path and query and written back into one, so Back, Forward, a reload and a
//! bookmark all lead to the same screen.
//!
//! This is the app's own small router: `leptos_router` 0.8 was measured at 40 KB brotli, more
//! than the checkout's budget has left (docs/performance.md, section 1). The History API calls
//! live in [`crate::browser`]; this module is plain and tested natively.
//!
//! The URL map (S90):
//!
//! | path | screen |
//! |---|---|
//! | `/` | sign-in, or the overview when signed in; `?next=/…` is the page to return to (S91) |
//! | `/billing` | the overview ("Centro fatturazione") |
//! | `/billing/subscriptions/{id}/change` | the editor of a subscription's change (R12) |
//! | `/billing/subscriptions/{id}/reactivate` | the editor of a reactivation (R15) |
//! | `/billing/products/{id}/subscribe` | buying a product after its trial (R13) |
//! | `/billing/add` | adding a product (R10, R11) |
//! | `/billing/review` | the review page ("Completa transazione") |
//! | `/billing/orders/{id}/confirmation` | an order's confirmation (R22) |
//! | `/billing/orders/{id}/trial` | a trial's confirmation (R11) |
//! | `/billing/history` | the billing history |
//! | `/billing/orders/{id}` | one receipt |

/// A screen's address: what the address bar says, parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// `/`: the sign-in form, or the overview for a signed-in user; also any path the app does
    /// not know, and a known path with an id that cannot be one.
    Home,
    /// `/?next=…`: the sign-in form, then the same-origin page `next` (S91).
    SignIn {
        /// The path to open after signing in, always one of this origin.
        next: String,
    },
    /// `/billing`.
    Overview,
    /// `/billing/subscriptions/{id}/change`.
    Change(String),
    /// `/billing/subscriptions/{id}/reactivate`.
    Reactivate(String),
    /// `/billing/products/{id}/subscribe`: buying a product held on trial (R13).
    Subscribe(String),
    /// `/billing/add`.
    Add,
    /// `/billing/review`.
    Review,
    /// `/billing/orders/{id}/confirmation`.
    Confirmation(String),
    /// `/billing/orders/{id}/trial`.
    TrialStarted(String),
    /// `/billing/history`, the history's old address: it loads [`HISTORY_PAGE`].
    History,
    /// `/billing/orders/{id}`.
    Receipt(String),
}

/// The billing history's address: an account page of its own (S107), which the checkout loads
/// as a page, for its buttons and for the old address [`Route::History`].
pub const HISTORY_PAGE: &str = "/account/history";

impl Route {
    /// Reads an address (`pathname` followed by the `search` query, if any). Anything that is not
    /// one of the app's addresses is [`Route::Home`]; a `next` that is not a path of this origin
    /// is dropped (S91).
    pub fn parse(address: &str) -> Route {
        let (path, query) = address.split_once('?').unwrap_or((address, ""));
        let path = path.strip_suffix('/').unwrap_or(path);
        if path.is_empty() {
            return next_of(query).map_or(Route::Home, |next| Route::SignIn { next });
        }
        let Some(rest) = path.strip_prefix("/billing") else {
            return Route::Home;
        };
        // `{id}` or `{id}/{action}` after a collection's prefix; an id outside the API's
        // alphabet is no id.
        let item = |prefix: &str| {
            let rest = rest.strip_prefix(prefix)?;
            let (id, action) = rest.split_once('/').unwrap_or((rest, ""));
            is_id(id).then(|| (id.to_owned(), action))
        };
        let route = match rest {
            "" => Some(Route::Overview),
            "/add" => Some(Route::Add),
            "/review" => Some(Route::Review),
            "/history" => Some(Route::History),
            _ => match (
                item("/subscriptions/"),
                item("/orders/"),
                item("/products/"),
            ) {
                (Some((id, "change")), _, _) => Some(Route::Change(id)),
                (Some((id, "reactivate")), _, _) => Some(Route::Reactivate(id)),
                (_, Some((id, "")), _) => Some(Route::Receipt(id)),
                (_, Some((id, "confirmation")), _) => Some(Route::Confirmation(id)),
                (_, Some((id, "trial")), _) => Some(Route::TrialStarted(id)),
                (_, _, Some((id, "subscribe"))) => Some(Route::Subscribe(id)),
                _ => None,
            },
        };
        route.unwrap_or(Route::Home)
    }

    /// The address of this route, as [`Route::parse`] reads it back.
    pub fn path(&self) -> String {
        let (start, id, end) = match self {
            Route::Home => ("/", "", ""),
            Route::SignIn { next } => return "/?next=".to_owned() + &encode(next),
            Route::Overview => ("/billing", "", ""),
            Route::Change(id) => ("/billing/subscriptions/", id.as_str(), "/change"),
            Route::Reactivate(id) => ("/billing/subscriptions/", id.as_str(), "/reactivate"),
            Route::Subscribe(id) => ("/billing/products/", id.as_str(), "/subscribe"),
            Route::Add => ("/billing/add", "", ""),
            Route::Review => ("/billing/review", "", ""),
            Route::Confirmation(id) => ("/billing/orders/", id.as_str(), "/confirmation"),
            Route::TrialStarted(id) => ("/billing/orders/", id.as_str(), "/trial"),
            Route::History => ("/billing/history", "", ""),
            Route::Receipt(id) => ("/billing/orders/", id.as_str(), ""),
        };
        [start, id, end].concat()
    }

    /// Whether the route is a screen of the signed-in checkout (one a signed-out visitor is sent
    /// to sign in for, with it as the page to return to).
    pub fn needs_session(&self) -> bool {
        !matches!(self, Route::Home | Route::SignIn { .. })
    }
}

/// Whether `text` can be an id of the API (`sub_1`, `ord_…`): letters, digits, `_` and `-`. Any
/// other text in an id's place makes the address unknown, so nothing odd reaches a page or a
/// request path.
fn is_id(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 64
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// The page to return to after sign-in, from the query's `next` (S91): only a path of this origin
/// (`/…`, never `//host` nor `/\host`, which browsers read as another host, and nothing with a
/// control character, which browsers drop before reading the URL).
fn next_of(query: &str) -> Option<String> {
    let value = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("next="))?;
    let next = crate::model::percent_decode(value);
    let bytes = next.as_bytes();
    let same_origin = bytes.first() == Some(&b'/')
        && !matches!(bytes.get(1), Some(b'/' | b'\\'))
        && !bytes.iter().any(|&b| b == b'\\' || b.is_ascii_control());
    same_origin.then_some(next)
}

/// Percent-encodes what a query value cannot hold as it is (`%`, `&`, `+`, `#`, spaces and
/// anything not ASCII); the slashes of a path stay readable.
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_graphic() && !matches!(byte, b'%' | b'&' | b'+' | b'#') {
            out.push(byte as char);
        } else {
            out.push('%');
            out.push(char::from_digit(u32::from(byte >> 4), 16).unwrap_or('0'));
            out.push(char::from_digit(u32::from(byte & 15), 16).unwrap_or('0'));
        }
    }
    out
}

/// The document's title for a screen whose heading reads `heading` (issue 14): the heading, then
/// the app's name, unless the heading already is the app's name.
pub fn document_title(heading: &str, app: &str) -> String {
    let heading = heading.trim();
    if heading.is_empty() || heading == app {
        app.to_owned()
    } else {
        [heading, " · ", app].concat()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_route() -> Vec<Route> {
        vec![
            Route::Home,
            Route::SignIn {
                next: "/billing/orders/ord_7".to_owned(),
            },
            Route::Overview,
            Route::Change("sub_1".to_owned()),
            Route::Reactivate("sub_2".to_owned()),
            Route::Subscribe("sub-3".to_owned()),
            Route::Add,
            Route::Review,
            Route::Confirmation("ord_1".to_owned()),
            Route::TrialStarted("ord_2".to_owned()),
            Route::History,
            Route::Receipt("ord_3".to_owned()),
        ]
    }

    #[test]
    fn every_route_reads_back_from_its_path() {
        for route in every_route() {
            assert_eq!(Route::parse(&route.path()), route, "{}", route.path());
        }
    }

    #[test]
    fn the_paths_are_the_url_map() {
        assert_eq!(Route::Overview.path(), "/billing");
        assert_eq!(
            Route::Change("sub_1".to_owned()).path(),
            "/billing/subscriptions/sub_1/change"
        );
        assert_eq!(Route::Receipt("o9".to_owned()).path(), "/billing/orders/o9");
        assert_eq!(
            Route::SignIn {
                next: "/account/cards?x=1&y=2".to_owned()
            }
            .path(),
            "/?next=/account/cards?x=1%26y=2"
        );
    }

    #[test]
    fn a_trailing_slash_and_a_query_do_not_change_the_screen() {
        assert_eq!(Route::parse("/billing/"), Route::Overview);
        assert_eq!(Route::parse("/billing/history?x=1"), Route::History);
        assert_eq!(Route::parse(""), Route::Home);
        assert_eq!(Route::parse("/?op=buy&product=p"), Route::Home);
    }

    #[test]
    fn unknown_paths_are_home() {
        for path in [
            "/nope",
            "/billing/orders",
            "/billing/subscriptions/sub_1",
            "/billing/subscriptions/sub_1/delete",
            "/billing/orders/ord_1/confirmation/more",
            "/Billing",
            "/api/v1/account",
        ] {
            assert_eq!(Route::parse(path), Route::Home, "{path}");
        }
    }

    #[test]
    fn ids_outside_the_apis_alphabet_are_unknown_paths() {
        for path in [
            "/billing/orders/%2e%2e",
            "/billing/orders/a.b",
            "/billing/subscriptions/<x>/change",
            "/billing/orders//confirmation",
        ] {
            assert_eq!(Route::parse(path), Route::Home, "{path}");
        }
        let long = format!("/billing/orders/{}", "a".repeat(65));
        assert_eq!(Route::parse(&long), Route::Home);
    }

    #[test]
    fn next_keeps_paths_of_this_origin_decoded() {
        let next = |address: &str| match Route::parse(address) {
            Route::SignIn { next } => Some(next),
            _ => None,
        };
        assert_eq!(
            next("/?next=/account/billing").as_deref(),
            Some("/account/billing")
        );
        assert_eq!(
            next("/?lang=en&next=%2Faccount%2Fcards%3Fadd%3D1").as_deref(),
            Some("/account/cards?add=1")
        );
        assert_eq!(
            next("/?next=/billing/orders/ord_1").as_deref(),
            Some("/billing/orders/ord_1")
        );
    }

    #[test]
    fn next_refuses_other_origins() {
        for address in [
            "/?next=https://evil.example/",
            "/?next=//evil.example/account",
            "/?next=%2F%2Fevil.example",
            "/?next=/%5Cevil.example",
            "/?next=/\\evil.example",
            "/?next=/%09/evil.example",
            "/?next=javascript:alert(1)",
            "/?next=account",
            "/?next=",
            "/?next=%zz",
            "/?next=%ff",
        ] {
            assert_eq!(Route::parse(address), Route::Home, "{address}");
        }
    }

    #[test]
    fn only_the_billing_screens_need_a_session() {
        let open: Vec<Route> = every_route()
            .into_iter()
            .filter(|r| !r.needs_session())
            .collect();
        assert_eq!(
            open,
            vec![
                Route::Home,
                Route::SignIn {
                    next: "/billing/orders/ord_7".to_owned()
                }
            ]
        );
    }

    #[test]
    fn titles_name_the_screen_then_the_app() {
        assert_eq!(
            document_title(" Cronologia ", "Centro fatturazione"),
            "Cronologia · Centro fatturazione"
        );
        assert_eq!(
            document_title("Billing Center", "Billing Center"),
            "Billing Center"
        );
        assert_eq!(document_title("", "Billing Center"), "Billing Center");
    }
}
