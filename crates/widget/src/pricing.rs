//! The widget's rules, apart from the DOM: its configuration, the prices it shows and the
//! checkout link its buttons open.

use billing::{Currency, Frequency};

/// What a host page asks for with the `data-*` attributes of a
/// `<div data-checkout-pricing ...>` element.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WidgetConfig {
    /// `data-product`: the catalog product id (`meeting`).
    pub product: String,
    /// `data-currency`: the currency of the prices (`EUR`; default EUR).
    pub currency: Currency,
    /// `data-lang`: `it` or `en` (default `en`); the amounts are written in the browser's
    /// locale apart from it (S97).
    pub lang: String,
    /// `data-checkout-url`: the checkout page the buttons open (default `/`).
    pub checkout_url: String,
    /// `data-api-base`: where `GET /api/v1/catalog` answers (`https://billing.example.com`, or
    /// empty for the page's own origin); absent means the bundled catalog only.
    pub api_base: Option<String>,
}

impl WidgetConfig {
    /// Reads the configuration from an attribute lookup (`name` without the `data-` prefix).
    /// Unknown currencies fall back to EUR; a missing product is an empty id, which the widget
    /// reports as not available.
    pub fn from_attributes(get: impl Fn(&str) -> Option<String>) -> WidgetConfig {
        let currency = get("currency")
            .and_then(|code| code.trim().to_ascii_uppercase().parse().ok())
            .unwrap_or(Currency::Eur);
        let lang = match get("lang").as_deref().map(str::trim) {
            Some(lang) if lang.to_ascii_lowercase().starts_with("it") => "it",
            _ => "en",
        };
        WidgetConfig {
            product: get("product").unwrap_or_default().trim().to_owned(),
            currency,
            lang: lang.to_owned(),
            checkout_url: get("checkout-url")
                .map(|url| url.trim().to_owned())
                .filter(|url| !url.is_empty())
                .unwrap_or_else(|| "/".to_owned()),
            api_base: get("api-base").map(|base| base.trim().trim_end_matches('/').to_owned()),
        }
    }

    /// The catalog endpoint under the configured API base, if any.
    pub fn catalog_url(&self) -> Option<String> {
        self.api_base
            .as_ref()
            .map(|base| base.clone() + "/api/v1/catalog")
    }
}

/// What the customer asks the checkout for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Intent {
    /// Buy the plan (R10): `op=buy`.
    Buy,
    /// Start the free trial (R11): `op=trial`.
    Trial,
}

/// A plan picked in the widget.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Selection {
    /// The product id.
    pub product: String,
    /// The tier id.
    pub tier: String,
    /// The seat count.
    pub seats: u32,
    /// Monthly or annual.
    pub frequency: Frequency,
}

impl Selection {
    /// The checkout link for this selection.
    ///
    /// The query parameters are appended to `checkout_url` (after its own query, before its
    /// fragment): `op=buy&product=meeting&tier=business&seats=8&frequency=annual` to buy, and
    /// `op=trial&product=meeting&tier=business` for a trial (always one seat, no frequency: R11).
    pub fn checkout_link(&self, checkout_url: &str, intent: Intent) -> String {
        let (base, fragment) = match checkout_url.split_once('#') {
            Some((base, fragment)) => (base, Some(fragment)),
            None => (checkout_url, None),
        };
        let mut link = base.to_owned();
        if !base.contains('?') {
            link.push('?');
        } else if !(base.ends_with('?') || base.ends_with('&')) {
            link.push('&');
        }
        link.push_str(match intent {
            Intent::Buy => "op=buy",
            Intent::Trial => "op=trial",
        });
        let mut pair = |key: &str, value: &str| {
            link.push('&');
            link.push_str(key);
            link.push('=');
            link.push_str(&encode_component(value));
        };
        pair("product", &self.product);
        pair("tier", &self.tier);
        if intent == Intent::Buy {
            pair("seats", &self.seats.to_string());
            pair("frequency", self.frequency.as_str());
        }
        if let Some(fragment) = fragment {
            link.push('#');
            link.push_str(fragment);
        }
        link
    }
}

/// Percent-encodes a query value (RFC 3986 unreserved characters stay as they are).
pub fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 15)]));
        }
    }
    out
}

// The widget's sums (a tier's total, the annual saving) are the engine's, computed exactly in
// whole minor units (`Currency::times`, `billing::annual_saving`): no decimal multiplication or
// division is linked into the widget's WebAssembly.

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        }
    }

    #[test]
    fn the_attributes_configure_the_widget() {
        let config = WidgetConfig::from_attributes(attrs(&[
            ("product", "meeting"),
            ("currency", "usd"),
            ("lang", "it-IT"),
            ("checkout-url", "https://billing.example.com/"),
            ("api-base", "https://billing.example.com/"),
        ]));
        assert_eq!(config.product, "meeting");
        assert_eq!(config.currency, Currency::Usd);
        assert_eq!(config.lang, "it");
        assert_eq!(
            config.catalog_url().as_deref(),
            Some("https://billing.example.com/api/v1/catalog")
        );
    }

    #[test]
    fn missing_attributes_have_defaults() {
        let config = WidgetConfig::from_attributes(attrs(&[("product", "webinar")]));
        assert_eq!(config.currency, Currency::Eur);
        assert_eq!(config.lang, "en");
        assert_eq!(config.checkout_url, "/");
        assert_eq!(config.catalog_url(), None);
    }

    #[test]
    fn an_empty_api_base_means_the_same_origin() {
        let config = WidgetConfig::from_attributes(attrs(&[("api-base", "")]));
        assert_eq!(config.catalog_url().as_deref(), Some("/api/v1/catalog"));
    }

    fn business_8_annual() -> Selection {
        Selection {
            product: "meeting".into(),
            tier: "business".into(),
            seats: 8,
            frequency: Frequency::Annual,
        }
    }

    #[test]
    fn the_buy_link_carries_the_whole_selection() {
        assert_eq!(
            business_8_annual().checkout_link("/", Intent::Buy),
            "/?op=buy&product=meeting&tier=business&seats=8&frequency=annual"
        );
    }

    #[test]
    fn the_trial_link_names_only_the_plan() {
        assert_eq!(
            business_8_annual().checkout_link("https://x.example/checkout", Intent::Trial),
            "https://x.example/checkout?op=trial&product=meeting&tier=business"
        );
    }

    #[test]
    fn the_link_keeps_the_checkout_urls_own_query_and_fragment() {
        assert_eq!(
            business_8_annual().checkout_link("/c?ref=mkt#plans", Intent::Trial),
            "/c?ref=mkt&op=trial&product=meeting&tier=business#plans"
        );
    }

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(encode_component("a b&c/é"), "a%20b%26c%2F%C3%A9");
    }
}
