//! The widget's first paint, rendered at build time (issue 16): the same view as
//! [`crate::widget::pricing_widget`], from the same bundled catalog, written to HTML by Leptos'
//! `RenderHtml::to_html` and put into the host element of a page as a declarative shadow root
//! (`<template shadowrootmode="open">`).
//!
//! The browser draws that markup while it parses the page, before any script runs and with
//! JavaScript off: prices, tier cards, and buy and trial links that are real `<a href>` links
//! for the default selection. The style sheet is a `<link>` inside the shadow root (the server's
//! CSP allows no inline style), which Chromium's parser waits for before it draws. The
//! WebAssembly takes the painted markup over later (see [`crate::widget::mount`]).
//!
//! [`paint_page`] fills every `[data-checkout-pricing]` element of a page; the `widget-paint`
//! binary runs it on a file (`scripts/build-widget.sh` on the demo marketing page).

use leptos::tachys::view::RenderHtml;

use crate::catalog::PriceList;
use crate::pricing::WidgetConfig;
use crate::widget::{Choice, pricing_widget};

/// The attribute that marks the painted root inside the shadow root, so that the WebAssembly
/// knows to take it over rather than leave a foreign shadow root alone. Its value is the version
/// of the catalog the prices were painted from: the loader compares it with the server's catalog
/// to decide whether the widget must be taken over before anyone touches it (S81).
pub const PAINTED_MARK: &str = "data-cp-painted";

/// The attribute that marks a host element of the widget.
const HOST_MARK: &str = "data-checkout-pricing";

/// Why a page could not be painted. Each names the 1-based line of the host element in question.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PaintError {
    /// The host element holds something other than white space or an earlier paint: its
    /// content would be hidden by the shadow root, so the page is left to its author.
    #[error(
        "line {line}: the data-checkout-pricing element must be empty (or hold only an earlier paint)"
    )]
    HostNotEmpty {
        /// The line of the host element.
        line: usize,
    },
    /// The host element is not closed.
    #[error("line {line}: the data-checkout-pricing element <{tag}> is not closed")]
    Unclosed {
        /// The line of the host element.
        line: usize,
        /// Its tag name.
        tag: String,
    },
    /// The bundled catalog has no such product in that currency: the widget would only say so.
    #[error("line {line}: the bundled catalog has no product {product:?} in {currency}")]
    UnknownProduct {
        /// The line of the host element.
        line: usize,
        /// The `data-product` value.
        product: String,
        /// The currency code.
        currency: String,
    },
    /// No `--css-href` was given and the page has no `<script src=".../pricing.js">` to derive
    /// the style sheet's address from.
    #[error(
        "the page loads no .../pricing.js, so the widget's style sheet address is unknown (give --css-href)"
    )]
    NoStyleSheet,
}

/// The executor the components' effects are handed to while they are rendered to HTML: it drops
/// them. An effect reacts to later changes of the view in a browser; rendered once to a string,
/// the view has none, and its first run only repeats what the view is built with.
struct NoEffects;

impl any_spawner::CustomExecutor for NoEffects {
    fn spawn(&self, _future: any_spawner::PinnedFuture<()>) {}
    fn spawn_local(&self, _future: any_spawner::PinnedLocalFuture<()>) {}
    fn poll_local(&self) {}
}

/// The painted shadow root of one widget: a `<template shadowrootmode="open">` holding the style
/// sheet link (`css_href`, the widget's `widget.css`) and the widget's view for `config` with the
/// default choice (annual, five seats), or `None` when the bundled catalog lacks the product.
/// The prices are the bundled catalog's, its version in the footnote (S80).
pub fn paint_widget(config: WidgetConfig, css_href: &str) -> Option<String> {
    // Only the first call sets it; a later one finds it set, which is as good.
    let _ = any_spawner::Executor::init_custom_executor(NoEffects);
    let list = PriceList::bundled(&config.product, config.currency, &config.lang)?;
    let version = escape_attribute(&list.version);
    // Rendered once, untracked: nothing is there to react to later changes.
    let view = leptos::prelude::untrack(|| {
        pricing_widget(config, Some(list), Choice::default()).to_html()
    });
    Some(format!(
        "<template shadowrootmode=\"open\"><link rel=\"stylesheet\" href=\"{}\">\
         <div class=\"cp-root\" {PAINTED_MARK}=\"{version}\">{view}</div></template>",
        escape_attribute(css_href)
    ))
}

/// `page` with every `[data-checkout-pricing]` element filled with its painted widget (an
/// earlier paint is replaced, so running it again is harmless), and how many were painted.
///
/// The style sheet's address is `css_href`, or else the page's `pricing.js` address with
/// `widget.css` in place of `pricing.js` (the two are published side by side).
pub fn paint_page(page: &str, css_href: Option<&str>) -> Result<(String, usize), PaintError> {
    let derived;
    let css_href = match css_href {
        Some(href) => href,
        None => {
            derived = style_sheet_beside_loader(page).ok_or(PaintError::NoStyleSheet)?;
            &derived
        }
    };
    let mut out = String::with_capacity(page.len() * 2);
    let mut painted = 0;
    let mut rest = 0;
    let mut at = 0;
    while let Some(offset) = page[at..].find('<') {
        let start = at + offset;
        if page[start..].starts_with("<!--") {
            // Comments may show the embedding snippet; they are copied as they are.
            at = page[start..]
                .find("-->")
                .map_or(page.len(), |end| start + end + 3);
            continue;
        }
        let Some(tag) = StartTag::parse(&page[start..]) else {
            at = start + 1;
            continue;
        };
        at = start + tag.length;
        if !tag.has(HOST_MARK) {
            continue;
        }
        let line = page[..start].matches('\n').count() + 1;
        let content_end = host_content_end(&page[at..], &tag.name)
            .ok_or_else(|| PaintError::Unclosed {
                line,
                tag: tag.name.clone(),
            })?
            .map_err(|()| PaintError::HostNotEmpty { line })?;
        let config = WidgetConfig::from_attributes(|name| tag.get(&format!("data-{name}")));
        let (product, currency) = (config.product.clone(), config.currency);
        let widget = paint_widget(config, css_href).ok_or_else(|| PaintError::UnknownProduct {
            line,
            product,
            currency: currency.to_string(),
        })?;
        out.push_str(&page[rest..at]);
        out.push_str(&widget);
        rest = at + content_end;
        at = rest;
        painted += 1;
    }
    out.push_str(&page[rest..]);
    Ok((out, painted))
}

/// Where the content of a host element ends (the offset of its closing tag in `content`):
/// `Err` when it holds anything but white space and earlier paints, `None` when it is not closed.
fn host_content_end(content: &str, tag: &str) -> Option<Result<usize, ()>> {
    let mut at = 0;
    loop {
        at += content[at..].len() - content[at..].trim_start().len();
        let rest = &content[at..];
        if rest.starts_with("<template") {
            // An earlier paint: the widget's markup holds no template of its own.
            at += rest.find("</template>")? + "</template>".len();
        } else if let Some(after) = rest.strip_prefix("</") {
            let closes = after.len() > tag.len()
                && after[..tag.len()].eq_ignore_ascii_case(tag)
                && after[tag.len()..].trim_start().starts_with('>');
            return Some(if closes { Ok(at) } else { Err(()) });
        } else if rest.is_empty() {
            return None;
        } else {
            return Some(Err(()));
        }
    }
}

/// The address of `widget.css` beside the page's `pricing.js` loader, if it has one.
fn style_sheet_beside_loader(page: &str) -> Option<String> {
    let mut at = 0;
    while let Some(offset) = page[at..].find("<script") {
        let start = at + offset;
        let tag = StartTag::parse(&page[start..])?;
        at = start + tag.length;
        if let Some(src) = tag.get("src")
            && let Some(base) = src.strip_suffix("pricing.js")
        {
            return Some(format!("{base}widget.css"));
        }
    }
    None
}

/// A start tag: its lower-case name, its attributes (values with the common character
/// references decoded) and its length in the page.
struct StartTag {
    name: String,
    attributes: Vec<(String, String)>,
    length: usize,
}

impl StartTag {
    /// The start tag at the beginning of `text` (which starts with `<`), if it is one.
    fn parse(text: &str) -> Option<StartTag> {
        let bytes = text.as_bytes();
        let name_end = 1 + text[1..]
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '-')
            .unwrap_or(text.len() - 1);
        if name_end == 1 || !bytes[1].is_ascii_alphabetic() {
            return None;
        }
        let name = text[1..name_end].to_ascii_lowercase();
        let mut attributes = Vec::new();
        let mut at = name_end;
        loop {
            at += text[at..].len() - text[at..].trim_start().len();
            let rest = &text[at..];
            if let Some(after) = rest.strip_prefix("/>").or_else(|| rest.strip_prefix('>')) {
                let length = text.len() - after.len();
                return Some(StartTag {
                    name,
                    attributes,
                    length,
                });
            }
            let key_end = rest
                .find(|c: char| c.is_whitespace() || matches!(c, '=' | '>' | '/'))
                .filter(|&end| end > 0)?;
            let key = rest[..key_end].to_ascii_lowercase();
            at += key_end;
            let after_key = text[at..].trim_start();
            let value = if let Some(value) = after_key.strip_prefix('=') {
                let value = value.trim_start();
                at = text.len() - value.len();
                let (raw, used) = match value.chars().next()? {
                    quote @ ('"' | '\'') => {
                        let end = value[1..].find(quote)?;
                        (&value[1..1 + end], end + 2)
                    }
                    _ => {
                        let end = value
                            .find(|c: char| c.is_whitespace() || c == '>')
                            .unwrap_or(value.len());
                        (&value[..end], end)
                    }
                };
                at += used;
                decode_references(raw)
            } else {
                String::new()
            };
            attributes.push((key, value));
        }
    }

    /// Whether the tag has the attribute `name`.
    fn has(&self, name: &str) -> bool {
        self.attributes.iter().any(|(key, _)| key == name)
    }

    /// The value of the attribute `name`.
    fn get(&self, name: &str) -> Option<String> {
        self.attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
    }
}

/// `text` with the character references an attribute value commonly holds decoded; others are
/// kept as they are.
fn decode_references(text: &str) -> String {
    const REFERENCES: [(&str, &str); 6] = [
        ("&quot;", "\""),
        ("&#39;", "'"),
        ("&apos;", "'"),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&amp;", "&"),
    ];
    REFERENCES
        .iter()
        .fold(text.to_owned(), |text, (reference, character)| {
            text.replace(reference, character)
        })
}

/// `text` escaped for a double-quoted attribute value.
fn escape_attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!doctype html><html><head>
<script type="module" src="https://billing.example.com/widget/pricing.js"></script></head><body>
<!-- <div data-checkout-pricing data-product="nothing"></div> -->
<div class="slot"><div
  data-checkout-pricing data-product="meeting" data-currency="EUR" data-lang="it"
  data-checkout-url="https://billing.example.com/?ref=ad&amp;x=1"></div></div>
<section data-checkout-pricing data-product=webinar data-currency=USD data-lang=en>
</section>
</body></html>"#;

    fn painted() -> String {
        let (page, count) = paint_page(PAGE, None).expect("painted");
        assert_eq!(count, 2);
        page
    }

    #[test]
    fn every_host_gets_a_declarative_shadow_root_with_the_style_sheet_beside_the_loader() {
        let page = painted();
        assert_eq!(
            page.matches("<template shadowrootmode=\"open\">").count(),
            2
        );
        assert_eq!(
            page.matches(
                "<link rel=\"stylesheet\" href=\"https://billing.example.com/widget/widget.css\">"
            )
            .count(),
            2
        );
        // Each painted root names the catalog version it was painted from (S81).
        let version = billing::Catalog::bundled().version().to_owned();
        assert_eq!(
            page.matches(&format!("{PAINTED_MARK}=\"{version}\""))
                .count(),
            2
        );
        // The comment is copied as it is, not painted.
        assert!(
            page.contains("<!-- <div data-checkout-pricing data-product=\"nothing\"></div> -->")
        );
        assert!(page.ends_with("</section>\n</body></html>"));
    }

    #[test]
    fn the_paint_shows_the_bundled_prices_and_real_links_for_the_default_choice() {
        let page = painted();
        // Meeting in euros, Italian: Business at 192,00 € per seat and year (the bundled
        // catalog), the annual radio checked, five seats in the stepper.
        assert!(
            page.contains("<span class=\"cp-card__amount\">192,00\u{a0}€</span>"),
            "{page}"
        );
        assert!(page.contains("Totale per 5 licenze: 960,00\u{a0}€ all'anno, IVA esclusa"));
        assert!(page.contains("Acquista"));
        assert!(page.contains(
            "href=\"https://billing.example.com/?ref=ad&amp;x=1&amp;op=buy&amp;product=meeting&amp;tier=business&amp;seats=5&amp;frequency=annual\""
        ), "{page}");
        assert!(page.contains("op=trial&amp;product=meeting&amp;tier=business"));
        assert!(page.contains("value=\"annual\" checked"), "{page}");
        assert!(page.contains("value=\"5\""));
        // Webinar in dollars, English.
        assert!(page.contains("Buy now"));
        assert!(page.contains("$"));
    }

    #[test]
    fn painting_a_painted_page_again_gives_the_same_page() {
        let once = painted();
        let (twice, count) = paint_page(&once, None).expect("painted again");
        assert_eq!(count, 2);
        // The stepper's generated ids count on across paints in one process; all else is equal.
        let ids = |page: &str| {
            page.split("seat-stepper-")
                .map(|part| part.trim_start_matches(char::is_numeric).to_owned())
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&once), ids(&twice));
    }

    #[test]
    fn a_host_with_content_is_refused_with_its_line() {
        let page = "<p>x</p>\n<div data-checkout-pricing data-product=meeting><p>old</p></div>";
        assert_eq!(
            paint_page(page, Some("/widget/widget.css")),
            Err(PaintError::HostNotEmpty { line: 2 })
        );
    }

    #[test]
    fn an_unclosed_host_an_unknown_product_and_a_page_without_loader_are_refused() {
        assert_eq!(
            paint_page(
                "<div data-checkout-pricing data-product=meeting>",
                Some("/w.css")
            ),
            Err(PaintError::Unclosed {
                line: 1,
                tag: "div".to_owned()
            })
        );
        assert_eq!(
            paint_page(
                "<div data-checkout-pricing data-product=chess></div>",
                Some("/w.css")
            ),
            Err(PaintError::UnknownProduct {
                line: 1,
                product: "chess".to_owned(),
                currency: "EUR".to_owned()
            })
        );
        assert_eq!(
            paint_page(
                "<div data-checkout-pricing data-product=meeting></div>",
                None
            ),
            Err(PaintError::NoStyleSheet)
        );
    }
}
