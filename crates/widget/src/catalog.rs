//! The part of the catalog one widget shows: one product, its tiers and their prices in one
//! currency, the catalog version and the support page.
//!
//! It is read from the catalog's JSON text (the engine's bundled file, or the answer of
//! `GET /api/v1/catalog`) by the small reader of [`json`] rather than by the engine's
//! [`billing::Catalog`]: the engine's reader is serde_json with derived deserializers for the
//! whole catalog (VAT rates, ranks, every currency), which would be a fifth of the widget's
//! WebAssembly, while the widget needs a dozen fields of one product. The checks that matter for
//! a price table are made here too: every tier has a name, sane seat limits and both prices in
//! the widget's currency, exact to the currency's minor unit.

use billing::{Currency, Frequency, Money};

use crate::pricing::parse_price;

/// One tier as the widget shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TierPrices {
    /// The tier id (`business`).
    pub id: String,
    /// The display name (`Business`).
    pub name: String,
    /// The fewest seats the tier is sold with.
    pub min_seats: u32,
    /// The most seats sold self-service; above it the widget offers "contact sales".
    pub max_seats: u32,
    /// The features, in display order.
    pub features: Vec<String>,
    /// The price per seat per month.
    pub monthly: Money,
    /// The price per seat per year.
    pub annual: Money,
}

impl TierPrices {
    /// The price per seat for one period of `frequency`.
    pub fn price(&self, frequency: Frequency) -> Money {
        match frequency {
            Frequency::Monthly => self.monthly,
            Frequency::Annual => self.annual,
        }
    }

    /// Whether the tier can be bought with `seats` seats.
    pub fn allows_seats(&self, seats: u32) -> bool {
        (self.min_seats..=self.max_seats).contains(&seats)
    }
}

/// What one widget shows: a product of the catalog priced in one currency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PriceList {
    /// The catalog version (`2026-11-01`).
    pub version: String,
    /// The support page, where "contact sales" leads.
    pub support_url: String,
    /// The product id (`meeting`).
    pub product_id: String,
    /// The product's display name (`Meeting`).
    pub product_name: String,
    /// How many days a free trial lasts; 0 means no trial.
    pub trial_days: u32,
    /// The tiers, in catalog order (lowest rank first).
    pub tiers: Vec<TierPrices>,
}

impl PriceList {
    /// The price list of `product` in `currency` from the catalog's JSON text, or `None` when the
    /// text is not a catalog, does not have the product, or does not price all of its tiers in
    /// `currency`.
    pub fn from_json(text: &str, product: &str, currency: Currency) -> Option<PriceList> {
        let catalog = json::parse(text)?;
        let version = catalog.get("version")?.as_str()?.trim();
        if version.is_empty() {
            return None;
        }
        let support_url = catalog.get("support")?.get("url")?.as_str()?;
        let entry = catalog
            .get("products")?
            .as_array()?
            .iter()
            .find(|entry| entry.get("id").and_then(json::Value::as_str) == Some(product))?;
        let tiers = entry
            .get("tiers")?
            .as_array()?
            .iter()
            .map(|tier| read_tier(tier, currency))
            .collect::<Option<Vec<_>>>()?;
        if tiers.is_empty() {
            return None;
        }
        Some(PriceList {
            version: version.to_owned(),
            support_url: support_url.to_owned(),
            product_id: product.to_owned(),
            product_name: entry.get("name")?.as_str()?.to_owned(),
            trial_days: entry.get("trial_days")?.as_u32()?,
            tiers,
        })
    }

    /// The price list of `product` in `currency` from the catalog bundled with the engine.
    pub fn bundled(product: &str, currency: Currency) -> Option<PriceList> {
        PriceList::from_json(billing::catalog::BUNDLED_CATALOG_JSON, product, currency)
    }

    /// The seats any tier allows: `(lowest min, highest max)`.
    pub fn seat_bounds(&self) -> (u32, u32) {
        let min = self.tiers.iter().map(|tier| tier.min_seats).min();
        let max = self.tiers.iter().map(|tier| tier.max_seats).max();
        let min = min.unwrap_or(1);
        (min, max.unwrap_or(min))
    }
}

fn read_tier(tier: &json::Value, currency: Currency) -> Option<TierPrices> {
    let text = |key: &str| tier.get(key).and_then(json::Value::as_str);
    let prices = tier.get("prices")?.get(currency.code())?;
    let price = |key: &str| parse_price(prices.get(key)?.as_str()?, currency);
    let min_seats = tier.get("min_seats")?.as_u32()?;
    let max_seats = tier.get("max_seats")?.as_u32()?;
    if min_seats == 0 || max_seats < min_seats {
        return None;
    }
    let features = tier
        .get("features")?
        .as_array()?
        .iter()
        .map(|feature| feature.as_str().map(str::to_owned))
        .collect::<Option<Vec<_>>>()?;
    Some(TierPrices {
        id: text("id")?.to_owned(),
        name: text("name")?.to_owned(),
        min_seats,
        max_seats,
        features,
        monthly: price("monthly")?,
        annual: price("annual")?,
    })
}

/// A small JSON reader (RFC 8259) into a tree of values, with no error details: the widget only
/// needs to know whether a catalog is usable.
pub mod json {
    /// How deeply arrays and objects may nest; a catalog needs 6 levels. The limit keeps hostile
    /// input from exhausting the stack.
    const MAX_DEPTH: u32 = 32;

    /// A JSON value. Numbers keep their text; the widget reads only small whole numbers.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub enum Value {
        /// `null`.
        Null,
        /// `true` or `false`.
        Bool(bool),
        /// A number, as written.
        Number(String),
        /// A string, unescaped.
        String(String),
        /// An array.
        Array(Vec<Value>),
        /// An object's members, in the order written.
        Object(Vec<(String, Value)>),
    }

    impl Value {
        /// The member `key` of an object (the first one, if repeated).
        pub fn get(&self, key: &str) -> Option<&Value> {
            match self {
                Value::Object(members) => members
                    .iter()
                    .find(|(name, _)| name == key)
                    .map(|(_, value)| value),
                _ => None,
            }
        }

        /// The text of a string.
        pub fn as_str(&self) -> Option<&str> {
            match self {
                Value::String(text) => Some(text),
                _ => None,
            }
        }

        /// The items of an array.
        pub fn as_array(&self) -> Option<&[Value]> {
            match self {
                Value::Array(items) => Some(items),
                _ => None,
            }
        }

        /// A number that is a whole number from 0 to `u32::MAX`, written without fraction or
        /// exponent.
        pub fn as_u32(&self) -> Option<u32> {
            match self {
                Value::Number(text) if text.bytes().all(|b| b.is_ascii_digit()) => {
                    text.parse().ok()
                }
                _ => None,
            }
        }
    }

    /// Parses a whole JSON text (surrounding white space allowed), or `None` when it is not JSON.
    pub fn parse(text: &str) -> Option<Value> {
        let mut reader = Reader { text, pos: 0 };
        let value = reader.value(0)?;
        reader.skip_space();
        (reader.pos == text.len()).then_some(value)
    }

    struct Reader<'a> {
        text: &'a str,
        pos: usize,
    }

    impl Reader<'_> {
        fn peek(&self) -> Option<u8> {
            self.text.as_bytes().get(self.pos).copied()
        }

        fn skip_space(&mut self) {
            while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
                self.pos += 1;
            }
        }

        /// Consumes `byte` after optional white space, if it is next.
        fn eat(&mut self, byte: u8) -> bool {
            self.skip_space();
            let found = self.peek() == Some(byte);
            if found {
                self.pos += 1;
            }
            found
        }

        /// The text from byte `start` to the current position. The reader only stops next to
        /// ASCII bytes, so this is always a whole slice; `get` rather than indexing keeps the
        /// panic message code of a bad slice out of the WebAssembly.
        fn since(&self, start: usize) -> Option<&str> {
            self.text.get(start..self.pos)
        }

        /// Whether the rest of the text starts with `prefix`.
        fn ahead(&self, prefix: &str) -> bool {
            self.text
                .as_bytes()
                .get(self.pos..)
                .is_some_and(|rest| rest.starts_with(prefix.as_bytes()))
        }

        fn keyword(&mut self, word: &str, value: Value) -> Option<Value> {
            let found = self.ahead(word);
            self.pos += word.len();
            found.then_some(value)
        }

        fn value(&mut self, depth: u32) -> Option<Value> {
            if depth > MAX_DEPTH {
                return None;
            }
            self.skip_space();
            match self.peek()? {
                b'{' => {
                    self.pos += 1;
                    let mut members = Vec::new();
                    if self.eat(b'}') {
                        return Some(Value::Object(members));
                    }
                    loop {
                        self.skip_space();
                        if self.peek() != Some(b'"') {
                            return None;
                        }
                        let key = self.string()?;
                        if !self.eat(b':') {
                            return None;
                        }
                        members.push((key, self.value(depth + 1)?));
                        if self.eat(b'}') {
                            return Some(Value::Object(members));
                        }
                        if !self.eat(b',') {
                            return None;
                        }
                    }
                }
                b'[' => {
                    self.pos += 1;
                    let mut items = Vec::new();
                    if self.eat(b']') {
                        return Some(Value::Array(items));
                    }
                    loop {
                        items.push(self.value(depth + 1)?);
                        if self.eat(b']') {
                            return Some(Value::Array(items));
                        }
                        if !self.eat(b',') {
                            return None;
                        }
                    }
                }
                b'"' => self.string().map(Value::String),
                b't' => self.keyword("true", Value::Bool(true)),
                b'f' => self.keyword("false", Value::Bool(false)),
                b'n' => self.keyword("null", Value::Null),
                _ => self.number(),
            }
        }

        /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
        fn number(&mut self) -> Option<Value> {
            let start = self.pos;
            let digits = |reader: &mut Self| {
                let from = reader.pos;
                while matches!(reader.peek(), Some(b'0'..=b'9')) {
                    reader.pos += 1;
                }
                reader.pos > from
            };
            if self.peek() == Some(b'-') {
                self.pos += 1;
            }
            let leading_zero = self.peek() == Some(b'0');
            let int_start = self.pos;
            if !digits(self) || (leading_zero && self.pos - int_start > 1) {
                return None;
            }
            if self.peek() == Some(b'.') {
                self.pos += 1;
                if !digits(self) {
                    return None;
                }
            }
            if matches!(self.peek(), Some(b'e' | b'E')) {
                self.pos += 1;
                if matches!(self.peek(), Some(b'+' | b'-')) {
                    self.pos += 1;
                }
                if !digits(self) {
                    return None;
                }
            }
            Some(Value::Number(self.since(start)?.to_owned()))
        }

        /// A string starting at the opening quote.
        fn string(&mut self) -> Option<String> {
            self.pos += 1;
            let mut out = String::new();
            loop {
                // Copy the run up to the next quote, backslash or control character as it is:
                // those are ASCII, so the run ends on a character boundary.
                let run_start = self.pos;
                while matches!(self.peek(), Some(byte) if byte != b'"' && byte != b'\\' && byte >= 0x20)
                {
                    self.pos += 1;
                }
                out.push_str(self.since(run_start)?);
                match self.peek()? {
                    b'"' => {
                        self.pos += 1;
                        return Some(out);
                    }
                    b'\\' => {
                        self.pos += 1;
                        let escaped = self.peek()?;
                        self.pos += 1;
                        out.push(match escaped {
                            b'"' => '"',
                            b'\\' => '\\',
                            b'/' => '/',
                            b'b' => '\u{8}',
                            b'f' => '\u{c}',
                            b'n' => '\n',
                            b'r' => '\r',
                            b't' => '\t',
                            b'u' => self.unicode_escape()?,
                            _ => return None,
                        });
                    }
                    // A raw control character is not allowed inside a string.
                    _ => return None,
                }
            }
        }

        /// The character of a `\uXXXX` escape (after the `u`), joining a surrogate pair.
        fn unicode_escape(&mut self) -> Option<char> {
            let high = self.hex4()?;
            if !(0xD800..0xDC00).contains(&high) {
                return char::from_u32(high);
            }
            if !self.ahead("\\u") {
                return None;
            }
            self.pos += 2;
            let low = self.hex4()?;
            if !(0xDC00..0xE000).contains(&low) {
                return None;
            }
            char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
        }

        fn hex4(&mut self) -> Option<u32> {
            let digits = self.text.get(self.pos..self.pos + 4)?;
            self.pos += 4;
            digits.chars().try_fold(0, |value, digit| {
                digit.to_digit(16).map(|digit| value * 16 + digit)
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::json::{Value, parse};
    use super::*;
    use billing::Catalog;

    #[test]
    fn the_bundled_catalog_reads_as_the_engine_reads_it() {
        let catalog = Catalog::bundled();
        for product in catalog.products() {
            for &currency in catalog.currencies() {
                let list = PriceList::bundled(product.id(), currency).expect("a price list");
                assert_eq!(list.version, catalog.version());
                assert_eq!(list.support_url, catalog.support().url);
                assert_eq!(list.product_name, product.name());
                assert_eq!(list.trial_days, product.trial_days());
                assert_eq!(list.tiers.len(), product.tiers().len());
                for (mine, engine) in list.tiers.iter().zip(product.tiers()) {
                    assert_eq!(mine.id, engine.id());
                    assert_eq!(mine.name, engine.name());
                    assert_eq!(mine.min_seats, engine.min_seats());
                    assert_eq!(mine.max_seats, engine.max_seats());
                    assert_eq!(mine.features, engine.features());
                    for frequency in Frequency::ALL {
                        assert_eq!(
                            Some(mine.price(frequency)),
                            engine.price(currency, frequency)
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn the_catalog_the_server_sends_reads_too() {
        // The API answers with the engine's serialisation of the catalog.
        let text = serde_json::to_string(Catalog::bundled()).expect("serialise");
        let list = PriceList::from_json(&text, "webinar", Currency::Usd).expect("a price list");
        assert_eq!(
            list,
            PriceList::bundled("webinar", Currency::Usd).expect("bundled")
        );
        assert_eq!(list.tiers[2].annual.to_string(), "2628.00");
        assert_eq!(list.seat_bounds(), (1, 50));
    }

    #[test]
    fn an_unknown_product_or_a_broken_catalog_has_no_price_list() {
        assert_eq!(PriceList::bundled("fax", Currency::Eur), None);
        assert_eq!(PriceList::from_json("{}", "meeting", Currency::Eur), None);
        assert_eq!(
            PriceList::from_json("<html>", "meeting", Currency::Eur),
            None
        );
        let text = billing::catalog::BUNDLED_CATALOG_JSON;
        assert_eq!(
            PriceList::from_json(&text[..text.len() - 2], "meeting", Currency::Eur),
            None
        );
    }

    #[test]
    fn a_tier_without_a_price_in_the_currency_makes_the_list_unusable() {
        let text = r#"{"version":"v","support":{"url":"u"},"products":[{"id":"p","name":"P",
            "trial_days":14,"tiers":[{"id":"t","name":"T","min_seats":1,"max_seats":5,
            "features":[],"prices":{"EUR":{"monthly":"1.00","annual":"10.00"}}}]}]}"#;
        assert!(PriceList::from_json(text, "p", Currency::Eur).is_some());
        assert_eq!(PriceList::from_json(text, "p", Currency::Usd), None);
        let three_decimals = text.replace("\"1.00\"", "\"1.001\"");
        assert_eq!(
            PriceList::from_json(&three_decimals, "p", Currency::Eur),
            None
        );
        let no_seats = text.replace("\"min_seats\":1", "\"min_seats\":0");
        assert_eq!(PriceList::from_json(&no_seats, "p", Currency::Eur), None);
    }

    #[test]
    fn json_values_and_escapes() {
        assert_eq!(
            parse(r#" {"a": [1, -2.5e3, true, false, null], "b": "x\"\\\/\n\u00e9\ud83d\ude00"} "#),
            Some(Value::Object(vec![
                (
                    "a".into(),
                    Value::Array(vec![
                        Value::Number("1".into()),
                        Value::Number("-2.5e3".into()),
                        Value::Bool(true),
                        Value::Bool(false),
                        Value::Null,
                    ])
                ),
                ("b".into(), Value::String("x\"\\/\né😀".into())),
            ]))
        );
        assert_eq!(parse("\"Città\""), Some(Value::String("Città".into())));
    }

    #[test]
    fn json_that_is_not_json_is_refused() {
        for text in [
            "",
            "{",
            "[1,]",
            "{\"a\":1,}",
            "01",
            "1.",
            "-",
            "tru",
            "\"a",
            "\"\\x\"",
            "\"\u{1}\"",
            "{\"a\" 1}",
            "[1] 2",
            "\"\\ud800\"",
            "{1:2}",
        ] {
            assert_eq!(parse(text), None, "{text:?}");
        }
        let deep = "[".repeat(100) + &"]".repeat(100);
        assert_eq!(parse(&deep), None);
    }

    #[test]
    fn only_small_whole_numbers_are_counts() {
        assert_eq!(parse("250").and_then(|v| v.as_u32()), Some(250));
        for text in ["-1", "2.5", "1e2", "4294967296"] {
            assert_eq!(parse(text).and_then(|v| v.as_u32()), None, "{text}");
        }
    }
}
