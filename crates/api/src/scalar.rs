//! The scalar values that travel as strings (api.md): money, dates and timestamps. They are kept
//! as the text the server wrote: the engine (`crates/billing`) parses them where a value is
//! needed, so this crate carries no decimal or calendar code into the browser bundles.

use std::fmt;

use serde::{Deserialize, Serialize};

/// An amount of money: a JSON string with exactly the currency's minor digits (`"93.94"`,
/// `"-35.00"`), never a number (api.md).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Money(pub String);

/// A calendar date, `"YYYY-MM-DD"` (api.md).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Date(pub String);

/// A point in time, RFC 3339 in UTC (`"2026-11-16T09:30:00Z"`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub String);

macro_rules! text_value {
    ($name:ident) => {
        impl $name {
            /// The text as it travels.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl From<String> for $name {
            fn from(text: String) -> $name {
                $name(text)
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> $name {
                $name(text.to_owned())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

text_value!(Money);
text_value!(Date);
text_value!(Timestamp);

/// The schemas of the scalars, written by hand: a derived schema of a one-field struct would be a
/// bare string, without the pattern and format that tell a client how to read it.
#[cfg(feature = "openapi")]
mod schemas {
    use std::borrow::Cow;

    use utoipa::openapi::RefOr;
    use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type};

    use super::{Date, Money, Timestamp};

    /// Money as api.md writes it: an optional minus, digits, a point and the two minor digits of
    /// every currency the catalog sells (EUR, USD, GBP).
    pub const MONEY_PATTERN: &str = r"^-?[0-9]+\.[0-9]{2}$";

    fn text(description: &str) -> ObjectBuilder {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(description))
    }

    impl utoipa::PartialSchema for Money {
        fn schema() -> RefOr<Schema> {
            text("An amount: a string with exactly the currency's minor digits, never a number.")
                .pattern(Some(MONEY_PATTERN))
                .examples(["93.94"])
                .into()
        }
    }

    impl utoipa::ToSchema for Money {
        fn name() -> Cow<'static, str> {
            Cow::Borrowed("Money")
        }
    }

    impl utoipa::PartialSchema for Date {
        fn schema() -> RefOr<Schema> {
            text("A calendar date, YYYY-MM-DD.")
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
                .examples(["2026-11-16"])
                .into()
        }
    }

    impl utoipa::ToSchema for Date {
        fn name() -> Cow<'static, str> {
            Cow::Borrowed("Date")
        }
    }

    impl utoipa::PartialSchema for Timestamp {
        fn schema() -> RefOr<Schema> {
            text("A point in time, RFC 3339 in UTC.")
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
                .examples(["2026-11-16T09:30:00Z"])
                .into()
        }
    }

    impl utoipa::ToSchema for Timestamp {
        fn name() -> Cow<'static, str> {
            Cow::Borrowed("Timestamp")
        }
    }
}
