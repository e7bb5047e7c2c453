//! Countries, as ISO 3166-1 alpha-2 codes, and membership of the European Union (R18).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A country, by its two-letter ISO 3166-1 code in capitals (`IT`, `DE`, `US`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Country([u8; 2]);

/// The member states of the European Union, whose customers pay VAT (R18).
const EU_MEMBERS: [&str; 27] = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
];

/// A text that is not a two-letter country code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not a two-letter country code such as IT or DE")]
pub struct CountryError {
    /// The text that was read.
    pub text: String,
}

impl Country {
    /// The two capital letters of the code.
    pub fn code(&self) -> &str {
        // The bytes are ASCII capitals by construction, so this never fails.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }

    /// Whether the country is a member state of the European Union.
    pub fn is_eu_member(&self) -> bool {
        // Compared as bytes: `code()` checks UTF-8, code the pricing widget (which validates a
        // catalog's VAT rates) would carry for nothing else.
        EU_MEMBERS.iter().any(|code| code.as_bytes() == self.0)
    }
}

impl FromStr for Country {
    type Err = CountryError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.as_bytes() {
            [a, b] if a.is_ascii_uppercase() && b.is_ascii_uppercase() => Ok(Country([*a, *b])),
            _ => Err(CountryError {
                text: text.to_owned(),
            }),
        }
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for Country {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Country {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_capital_letters_make_a_country() {
        assert_eq!(
            "IT".parse::<Country>().map(|c| c.to_string()).as_deref(),
            Ok("IT")
        );
        assert!("it".parse::<Country>().is_err());
        assert!("ITA".parse::<Country>().is_err());
        assert!("".parse::<Country>().is_err());
    }

    #[test]
    fn eu_membership_follows_the_member_list() {
        let member = |code: &str| code.parse::<Country>().map(|c| c.is_eu_member());
        assert_eq!(member("IT"), Ok(true));
        assert_eq!(member("IE"), Ok(true));
        assert_eq!(member("GB"), Ok(false));
        assert_eq!(member("US"), Ok(false));
        assert_eq!(member("CH"), Ok(false));
    }
}
