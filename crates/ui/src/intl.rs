//! Locale-aware formatting of money and dates through the browser's `Intl` API.
//!
//! Amounts arrive as the engine prints them (`Money`'s `Display`: `"622.51"`, `"-35.00"`) and are
//! handed to `Intl.NumberFormat` as strings, which formats decimal strings exactly: no amount
//! ever passes through a floating-point number. Outside the browser (native tests, tools) the
//! functions fall back to a plain, locale-independent text.
//!
//! Which locale writes them is [`number_locale`]'s rule (S97): the browser's preferred language,
//! apart from the language of the texts.

use crate::Lang;

/// Formats a money amount for `locale` (a BCP 47 tag such as `"it"` or `"en-US"`).
///
/// `amount` is a decimal string with the currency's minor digits (what the engine's `Money`
/// prints); `currency` is an ISO 4217 code (`"EUR"`). In the browser this is
/// `Intl.NumberFormat(locale, {style: "currency", currency})`: `format_money("622.51", "EUR",
/// "it")` gives `"622,51 €"`. Elsewhere it gives `"622.51 EUR"`.
pub fn format_money(amount: &str, currency: &str, locale: &str) -> String {
    imp::format_money(amount, currency, locale)
}

/// Formats a calendar date (`"YYYY-MM-DD"`, taken as a UTC date like every billing date, rule R8)
/// for `locale`, in the medium style: `format_date("2026-11-22", "it")` gives `"22 nov 2026"`.
///
/// A text that is not a date is returned unchanged. Outside the browser the ISO text is returned.
pub fn format_date(iso_date: &str, locale: &str) -> String {
    imp::format_date(iso_date, locale)
}

/// The plural category of a count, as `Intl.PluralRules` names CLDR's categories.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plural {
    /// `one` ("1 licenza", "1 seat").
    One,
    /// Any other category (`other`, and `many`, `few`, `two`, `zero` of other languages): the
    /// pages' texts have two forms, and their languages use the others only for numbers no
    /// seat or item count reaches, or not at all.
    Other,
}

/// The plural category of the whole number `n` in `locale`, from the browser's
/// `Intl.PluralRules` (CLDR's rules), so no page decides plurals by hand (issue 12). Outside the
/// browser (native tests) it is CLDR's rule for integers in English and Italian: `one` for 1.
pub fn plural(n: u64, locale: &str) -> Plural {
    imp::plural(n, locale)
}

/// The name of the country `code` (ISO 3166-1 alpha-2, two capitals) in `locale`, from the
/// browser's `Intl.DisplayNames`, or `None` when the code names no country. Outside the browser
/// every well-formed code is taken as known and named by itself.
pub fn country_name(code: &str, locale: &str) -> Option<String> {
    // CLDR names a few codes that are groupings, pseudo-locales or "unknown" rather than countries.
    const NOT_COUNTRIES: [&str; 7] = ["EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"];
    let well_formed = code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase());
    if !well_formed || NOT_COUNTRIES.contains(&code) {
        return None;
    }
    imp::country_name(code, locale)
}

/// The locale numbers and dates are written in on pages whose texts are in `lang`, given the
/// browser's most preferred language `preferred` (`navigator.language`, a BCP 47 tag), rule S97.
///
/// The texts speak Italian or English only; the numbers and dates speak the customer's language:
/// a preferred language the pages do not speak (`de-DE`, `fr`, `es-ES`, `nl-NL`) is the locale
/// whatever the texts' language, so amounts and dates read as the customer writes them. A
/// preferred language the pages do speak refines the texts' own language with its region
/// (`en-GB`, `en-IE` for English texts, `it-CH` for Italian ones); when it is the other of the
/// two, the customer chose the texts' language with the switch and the numbers follow that
/// choice ([`Lang::tag`]). No preference, or one that is not a well-formed tag, is also
/// [`Lang::tag`].
pub fn number_locale(lang: Lang, preferred: Option<&str>) -> String {
    let Some(preferred) = preferred.map(str::trim).filter(|tag| well_formed(tag)) else {
        return lang.tag().to_owned();
    };
    let language = preferred.split('-').next().unwrap_or_default();
    let spoken = ["it", "en"]
        .iter()
        .any(|l| language.eq_ignore_ascii_case(l));
    if spoken && !language.eq_ignore_ascii_case(lang.code()) {
        lang.tag().to_owned()
    } else {
        preferred.to_owned()
    }
}

/// Whether `tag` has the shape of a BCP 47 language tag: a primary language subtag of two or
/// three letters, then subtags of one to eight letters or digits, separated by hyphens. `Intl`
/// throws on a malformed tag, so one never reaches it.
fn well_formed(tag: &str) -> bool {
    let mut subtags = tag.split('-');
    let primary = subtags.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_alphabetic())
        && subtags
            .all(|s| (1..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// [`number_locale`] for this browser's preferred language (`navigator.language`). It is read on
/// every call rather than kept: a property read is nothing beside the `Intl` formatter the
/// locale is for, and keeping it would cost the bundles more than the reads.
pub fn locale_for(lang: Lang) -> String {
    number_locale(lang, imp::preferred_language().as_deref())
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use js_sys::{Array, Function, Intl, Object, Reflect};
    use wasm_bindgen::{JsCast, JsValue};

    fn options(pairs: &[(&str, &str)]) -> Object {
        let object = Object::new();
        for (key, value) in pairs {
            // Setting a property on a fresh plain object cannot fail.
            let _ = Reflect::set(&object, &JsValue::from_str(key), &JsValue::from_str(value));
        }
        object
    }

    fn locales(locale: &str) -> Array {
        Array::of1(&JsValue::from_str(locale))
    }

    /// Calls the bound `format` function of an `Intl` formatter.
    fn call_format(format: Function, value: &JsValue) -> Option<String> {
        format.call1(&JsValue::NULL, value).ok()?.as_string()
    }

    thread_local! {
        /// The last money formatter made, with its locale and currency. Making an
        /// `Intl.NumberFormat` costs far more than formatting with one, and a page writes every
        /// amount of a click (the summary's rows, the amount due, the phone's total bar) in one
        /// locale and currency: the seat stepper's click-to-total time is mostly these calls.
        static MONEY_FORMAT: std::cell::RefCell<Option<(String, String, Function)>> =
            const { std::cell::RefCell::new(None) };
    }

    pub fn format_money(amount: &str, currency: &str, locale: &str) -> String {
        let format = MONEY_FORMAT.with(|last| {
            let mut last = last.borrow_mut();
            match &*last {
                Some((l, c, format)) if l.as_str() == locale && c.as_str() == currency => {
                    format.clone()
                }
                _ => {
                    let format = Intl::NumberFormat::new(
                        &locales(locale),
                        &options(&[("style", "currency"), ("currency", currency)]),
                    )
                    .format();
                    *last = Some((locale.to_owned(), currency.to_owned(), format.clone()));
                    format
                }
            }
        });
        call_format(format, &JsValue::from_str(amount))
            .unwrap_or_else(|| super::fallback_money(amount, currency))
    }

    pub fn format_date(iso_date: &str, locale: &str) -> String {
        let date = js_sys::Date::new(&JsValue::from_str(iso_date));
        if date.get_time().is_nan() {
            return iso_date.to_owned();
        }
        let formatter = Intl::DateTimeFormat::new(
            &locales(locale),
            &options(&[("dateStyle", "medium"), ("timeZone", "UTC")]),
        );
        call_format(formatter.format(), date.unchecked_ref()).unwrap_or_else(|| iso_date.to_owned())
    }

    pub fn plural(n: u64, locale: &str) -> super::Plural {
        let rules = Intl::PluralRules::new(&locales(locale), &Object::new());
        // Seat and item counts are far below 2^53, so the number is exact.
        if rules.select(n as f64) == "one" {
            super::Plural::One
        } else {
            super::Plural::Other
        }
    }

    pub fn preferred_language() -> Option<String> {
        web_sys::window()?.navigator().language()
    }

    pub fn country_name(code: &str, locale: &str) -> Option<String> {
        let names = Intl::DisplayNames::new(
            &locales(locale),
            &options(&[("type", "region"), ("fallback", "none")]),
        );
        names.of(code).map(String::from)
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    pub fn format_money(amount: &str, currency: &str, _locale: &str) -> String {
        super::fallback_money(amount, currency)
    }

    pub fn format_date(iso_date: &str, _locale: &str) -> String {
        iso_date.to_owned()
    }

    pub fn plural(n: u64, _locale: &str) -> super::Plural {
        if n == 1 {
            super::Plural::One
        } else {
            super::Plural::Other
        }
    }

    pub fn country_name(code: &str, _locale: &str) -> Option<String> {
        Some(code.to_owned())
    }

    pub fn preferred_language() -> Option<String> {
        None
    }
}

/// The locale-independent text of an amount: `"622.51 EUR"`.
fn fallback_money(amount: &str, currency: &str) -> String {
    format!("{amount} {currency}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outside_the_browser_money_is_the_amount_and_the_code() {
        assert_eq!(format_money("622.51", "EUR", "it"), "622.51 EUR");
        assert_eq!(format_money("-35.00", "USD", "en"), "-35.00 USD");
    }

    #[test]
    fn outside_the_browser_one_is_singular_and_groupings_are_no_countries() {
        assert_eq!(plural(1, "it"), Plural::One);
        assert_eq!(plural(0, "en"), Plural::Other);
        assert_eq!(plural(8, "it"), Plural::Other);
        assert_eq!(country_name("IT", "it").as_deref(), Some("IT"));
        for code in ["EU", "ZZ", "it", "ITA", ""] {
            assert_eq!(country_name(code, "it"), None, "{code}");
        }
    }

    #[test]
    fn a_language_the_pages_do_not_speak_writes_the_numbers_whatever_the_texts() {
        for preferred in ["de-DE", "fr-FR", "es-ES", "nl-NL", "fr", "pt-BR"] {
            assert_eq!(number_locale(Lang::It, Some(preferred)), preferred);
            assert_eq!(number_locale(Lang::En, Some(preferred)), preferred);
        }
    }

    #[test]
    fn the_texts_language_takes_the_preferred_region() {
        assert_eq!(number_locale(Lang::En, Some("en-GB")), "en-GB");
        assert_eq!(number_locale(Lang::En, Some("en-IE")), "en-IE");
        assert_eq!(number_locale(Lang::En, Some("EN-gb")), "EN-gb");
        assert_eq!(number_locale(Lang::It, Some("it-CH")), "it-CH");
        assert_eq!(number_locale(Lang::It, Some("it")), "it");
    }

    #[test]
    fn the_other_language_of_the_pages_yields_to_the_switch() {
        // An Italian browser whose user switched the texts to English, and the reverse.
        assert_eq!(number_locale(Lang::En, Some("it-IT")), "en");
        assert_eq!(number_locale(Lang::It, Some("en-GB")), "it-IT");
    }

    #[test]
    fn no_preference_or_a_malformed_one_is_the_texts_language() {
        for preferred in [
            None,
            Some(""),
            Some("  "),
            Some("x"),
            Some("de_DE"),
            Some("de--DE"),
        ] {
            assert_eq!(number_locale(Lang::It, preferred), "it-IT", "{preferred:?}");
            assert_eq!(number_locale(Lang::En, preferred), "en", "{preferred:?}");
        }
        assert_eq!(number_locale(Lang::It, Some("toolongsubtag-DE")), "it-IT");
        assert_eq!(number_locale(Lang::It, Some(" de-AT ")), "de-AT");
        // Outside the browser there is no preference.
        assert_eq!(locale_for(Lang::It), "it-IT");
        assert_eq!(locale_for(Lang::En), "en");
    }

    #[test]
    fn outside_the_browser_dates_stay_iso() {
        assert_eq!(format_date("2026-11-22", "it"), "2026-11-22");
    }
}
