//! A small JSON reader and writer for the browser bundles (the checkout and the pricing widget).
//!
//! The bundles used serde_json with derived readers; in WebAssembly that machinery (a reader per
//! type and per field shape, and serde's error formatting, floats included) was a sixth of the
//! checkout's code and a fifth of the widget's. The shapes they read are few and fixed (api.md and
//! the catalog), so they read JSON into a plain [`Json`] tree here and pick the fields they need,
//! and the checkout writes its two request bodies with [`Object`]. The server, the CLI and the
//! engine keep serde_json: their size does not matter.

use std::str::FromStr;

/// A parsed JSON value. Numbers keep their text, so that an integer field is read exactly by the
/// field's own type ([`Json::number`]) and no float is ever involved.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as written.
    Number(String),
    /// A string, unescaped.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object, its members in the order written.
    Object(Vec<(String, Json)>),
}

/// Nesting deeper than this is refused rather than risking the stack (the API nests 4 deep).
const MAX_DEPTH: u32 = 32;

/// Parses a whole JSON text; `None` when it is not JSON.
pub fn parse(text: &str) -> Option<Json> {
    let mut parser = Parser { text, pos: 0 };
    let value = parser.value(0)?;
    parser.skip_space();
    (parser.pos == text.len()).then_some(value)
}

impl Json {
    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The text of a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(text) => Some(text),
            _ => None,
        }
    }

    /// The value of a boolean.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Json::Bool(value) => Some(*value),
            _ => None,
        }
    }

    /// The items of an array.
    pub fn as_array(&self) -> Option<&[Json]> {
        match self {
            Json::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The members of an object.
    pub fn as_object(&self) -> Option<&[(String, Json)]> {
        match self {
            Json::Object(members) => Some(members),
            _ => None,
        }
    }

    /// A number read as `T` (an integer type: `12` is read, `12.5` or `-1` as `u32` is not).
    pub fn number<T: FromStr>(&self) -> Option<T> {
        match self {
            Json::Number(text) => text.parse().ok(),
            _ => None,
        }
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Json::Null)
    }
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl Parser<'_> {
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

    fn keyword(&mut self, word: &str, value: Json) -> Option<Json> {
        let found = self.ahead(word);
        self.pos += word.len();
        found.then_some(value)
    }

    fn value(&mut self, depth: u32) -> Option<Json> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_space();
        match self.peek()? {
            b'{' => {
                self.pos += 1;
                let mut members = Vec::new();
                if self.eat(b'}') {
                    return Some(Json::Object(members));
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
                        return Some(Json::Object(members));
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
                    return Some(Json::Array(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    if self.eat(b']') {
                        return Some(Json::Array(items));
                    }
                    if !self.eat(b',') {
                        return None;
                    }
                }
            }
            b'"' => self.string().map(Json::String),
            b't' => self.keyword("true", Json::Bool(true)),
            b'f' => self.keyword("false", Json::Bool(false)),
            b'n' => self.keyword("null", Json::Null),
            _ => self.number(),
        }
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    fn number(&mut self) -> Option<Json> {
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
        Some(Json::Number(self.since(start)?.to_owned()))
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

/// Writes `text` as a JSON string, quoted and escaped.
pub fn write_string(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if u32::from(c) < 0x20 => {
                let byte = u32::from(c) as usize;
                out.push_str("\\u00");
                out.push(char::from(HEX[byte >> 4]));
                out.push(char::from(HEX[byte & 0xf]));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Writes a JSON object member by member, in the order given.
#[derive(Debug)]
pub struct Object {
    out: String,
}

impl Default for Object {
    fn default() -> Object {
        Object::new()
    }
}

impl Object {
    /// An empty object.
    pub fn new() -> Object {
        Object {
            out: String::from("{"),
        }
    }

    fn key(&mut self, key: &str) {
        if self.out.len() > 1 {
            self.out.push(',');
        }
        write_string(&mut self.out, key);
        self.out.push(':');
    }

    /// Adds a string member.
    pub fn string(mut self, key: &str, value: &str) -> Object {
        self.key(key);
        write_string(&mut self.out, value);
        self
    }

    /// Adds a member whose value is already JSON text (a number, an array, an object).
    pub fn raw(mut self, key: &str, json: &str) -> Object {
        self.key(key);
        self.out.push_str(json);
        self
    }

    /// The object's text.
    pub fn finish(mut self) -> String {
        self.out.push('}');
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_kind_of_value() {
        let json = parse(
            r#" {"a": [1, -2.5e3, true, false, null], "s": "x\"\\\/\n\u00e8\ud83d\ude00", "o": {}} "#,
        )
        .expect("json");
        let a = json.get("a").and_then(Json::as_array).expect("array");
        assert_eq!(a[0].number::<u32>(), Some(1));
        assert_eq!(a[1], Json::Number("-2.5e3".into()));
        assert_eq!(a[1].number::<u32>(), None);
        assert_eq!(
            (a[2].as_bool(), a[3].as_bool(), a[4].is_null()),
            (Some(true), Some(false), true)
        );
        assert_eq!(json.get("s").and_then(Json::as_str), Some("x\"\\/\nè😀"));
        assert_eq!(json.get("o").and_then(Json::as_object), Some(&[][..]));
        assert_eq!(json.get("missing"), None);
    }

    #[test]
    fn refuses_what_is_not_json() {
        for text in [
            "",
            "{",
            "[1,]",
            "{\"a\" 1}",
            "{a:1}",
            "01x",
            "01",
            "-012",
            "{\"a\":1,}",
            "{1:2}",
            "tru",
            "1.",
            "-",
            "\"\u{1}\"",
            "\"\\x\"",
            "\"\\ud800\"",
            "nul",
            "[1] 2",
            "\"abc",
        ] {
            assert_eq!(parse(text), None, "{text:?}");
        }
        let deep = "[".repeat(100) + &"]".repeat(100);
        assert_eq!(parse(&deep), None);
        assert_eq!(parse("\"Città\""), Some(Json::String("Città".into())));
        assert_eq!(parse("0.5"), Some(Json::Number("0.5".into())));
    }

    #[test]
    fn counts_are_small_whole_numbers() {
        assert_eq!(parse("250").and_then(|v| v.number::<u32>()), Some(250));
        assert_eq!(parse("0").and_then(|v| v.number::<u32>()), Some(0));
        for text in ["-1", "2.5", "1e2", "4294967296"] {
            assert_eq!(parse(text).and_then(|v| v.number::<u32>()), None, "{text}");
        }
    }

    #[test]
    fn writes_what_it_reads() {
        let text = "quote \" backslash \\ newline \n tab \t bell \u{7} \u{8}\u{c} è";
        let body = Object::new()
            .string("text", text)
            .raw("n", "8")
            .raw("list", "[]")
            .finish();
        let json = parse(&body).expect("own output");
        assert_eq!(json.get("text").and_then(Json::as_str), Some(text));
        assert_eq!(json.get("n").and_then(Json::number::<u32>), Some(8));
        assert_eq!(Object::new().finish(), "{}");
        // The same text serde_json writes, so the server reads it exactly as before.
        assert_eq!(
            body,
            format!(
                r#"{{"text":{},"n":8,"list":[]}}"#,
                serde_json::to_string(text).expect("serde_json")
            )
        );
    }
}
