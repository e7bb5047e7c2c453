//! VAT identification numbers of the EU member states (R21).
//!
//! An id is checked against the national format of its country; an Italian "partita IVA" must also
//! pass the check digit of the Italian Revenue Agency. Formats are written as small patterns rather
//! than regular expressions so the engine stays light in the browser.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::country::Country;

/// A VAT id whose format, and for Italy whose check digit, is valid: `IT00743110157`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct VatId {
    /// The normalized text: prefix and national number, capitals, no spaces or punctuation.
    text: String,
    /// The member state the id belongs to (Greece's prefix `EL` means country `GR`).
    country: Country,
}

/// Why a text is not a valid VAT id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VatIdError {
    /// The id does not start with the prefix of an EU member state.
    #[error("`{text}` does not start with the prefix of an EU member state (such as IT or DE)")]
    UnknownPrefix {
        /// The text that was read.
        text: String,
    },
    /// The national number does not have the format of its country.
    #[error("`{text}` does not have the format of a VAT id of {country}")]
    BadFormat {
        /// The text that was read.
        text: String,
        /// The member state named by the prefix.
        country: Country,
    },
    /// An Italian id whose last digit does not match the others.
    #[error("`{text}` is not a valid partita IVA: its check digit is wrong")]
    BadCheckDigit {
        /// The text that was read.
        text: String,
    },
}

/// The national formats, one pattern per accepted shape.
///
/// In a pattern `#` is a digit, `@` a capital letter, `*` a digit or a capital letter, `%` a digit,
/// a capital letter, `+` or `*`; any other character stands for itself.
const FORMATS: [(&str, &str, &[&str]); 27] = [
    ("AT", "AT", &["U########"]),
    ("BE", "BE", &["0#########", "1#########"]),
    ("BG", "BG", &["#########", "##########"]),
    ("CY", "CY", &["########@"]),
    ("CZ", "CZ", &["########", "#########", "##########"]),
    ("DE", "DE", &["#########"]),
    ("DK", "DK", &["########"]),
    ("EE", "EE", &["#########"]),
    ("EL", "GR", &["#########"]),
    ("ES", "ES", &["@#######@", "@########", "########@"]),
    ("FI", "FI", &["########"]),
    ("FR", "FR", &["**#########"]),
    ("HR", "HR", &["###########"]),
    ("HU", "HU", &["########"]),
    ("IE", "IE", &["#######@", "#######@@", "#%#####@"]),
    ("IT", "IT", &["###########"]),
    ("LT", "LT", &["#########", "############"]),
    ("LU", "LU", &["########"]),
    ("LV", "LV", &["###########"]),
    ("MT", "MT", &["########"]),
    ("NL", "NL", &["#########B##"]),
    ("PL", "PL", &["##########"]),
    ("PT", "PT", &["#########"]),
    (
        "RO",
        "RO",
        &[
            "##",
            "###",
            "####",
            "#####",
            "######",
            "#######",
            "########",
            "#########",
            "##########",
        ],
    ),
    ("SE", "SE", &["##########01"]),
    ("SI", "SI", &["########"]),
    ("SK", "SK", &["##########"]),
];

fn matches_pattern(number: &str, pattern: &str) -> bool {
    number.len() == pattern.len()
        && number.bytes().zip(pattern.bytes()).all(|(c, p)| match p {
            b'#' => c.is_ascii_digit(),
            b'@' => c.is_ascii_uppercase(),
            b'*' => c.is_ascii_digit() || c.is_ascii_uppercase(),
            b'%' => c.is_ascii_digit() || c.is_ascii_uppercase() || c == b'+' || c == b'*',
            literal => c == literal,
        })
}

/// The check digit rule of the partita IVA: digits in odd places count as they are, digits in even
/// places are doubled (minus 9 when that exceeds 9), and the eleventh digit makes the sum a
/// multiple of ten.
fn italian_check_digit_is_valid(number: &str) -> bool {
    let digits: Vec<u32> = number.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != 11 {
        return false;
    }
    let sum: u32 = digits[..10]
        .iter()
        .enumerate()
        .map(|(index, &digit)| {
            if index % 2 == 0 {
                digit
            } else if digit * 2 > 9 {
                digit * 2 - 9
            } else {
                digit * 2
            }
        })
        .sum();
    (10 - sum % 10) % 10 == digits[10]
}

impl VatId {
    /// Parses a VAT id, ignoring spaces, dots and dashes and the case of letters.
    pub fn parse(text: &str) -> Result<VatId, VatIdError> {
        let normalized: String = text
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-' | '\u{a0}'))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let prefix = normalized.get(..2).unwrap_or_default();
        let Some((_, country_code, patterns)) = FORMATS
            .iter()
            .find(|(format_prefix, _, _)| *format_prefix == prefix)
        else {
            return Err(VatIdError::UnknownPrefix {
                text: text.to_owned(),
            });
        };
        let country: Country = country_code
            .parse()
            .map_err(|_| VatIdError::UnknownPrefix {
                text: text.to_owned(),
            })?;
        let number = &normalized[2..];
        if !patterns
            .iter()
            .any(|pattern| matches_pattern(number, pattern))
        {
            return Err(VatIdError::BadFormat {
                text: text.to_owned(),
                country,
            });
        }
        if prefix == "IT" && !italian_check_digit_is_valid(number) {
            return Err(VatIdError::BadCheckDigit {
                text: text.to_owned(),
            });
        }
        Ok(VatId {
            text: normalized,
            country,
        })
    }

    /// The normalized id, prefix included.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The member state the id was issued by.
    pub fn country(&self) -> Country {
        self.country
    }
}

impl FromStr for VatId {
    type Err = VatIdError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        VatId::parse(text)
    }
}

impl fmt::Display for VatId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for VatId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for VatId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        VatId::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_valid_partita_iva_is_accepted_and_normalized() {
        let id = VatId::parse("it 007 431 101 57").expect("valid partita IVA");
        assert_eq!(id.as_str(), "IT00743110157");
        assert_eq!(id.country().code(), "IT");
    }

    #[test]
    fn a_partita_iva_with_a_wrong_check_digit_is_refused() {
        assert!(matches!(
            VatId::parse("IT00743110158"),
            Err(VatIdError::BadCheckDigit { .. })
        ));
    }

    #[test]
    fn a_partita_iva_of_the_wrong_length_is_refused() {
        assert!(matches!(
            VatId::parse("IT0074311015"),
            Err(VatIdError::BadFormat { .. })
        ));
    }

    #[test]
    fn every_member_state_has_a_format() {
        let samples = [
            "ATU12345678",
            "BE0123456789",
            "BG123456789",
            "CY12345678L",
            "CZ12345678",
            "DE123456789",
            "DK12345678",
            "EE123456789",
            "EL123456789",
            "ESX1234567X",
            "FI12345678",
            "FRXX123456789",
            "HR12345678901",
            "HU12345678",
            "IE1234567WA",
            "IT00743110157",
            "LT123456789",
            "LU12345678",
            "LV12345678901",
            "MT12345678",
            "NL123456789B01",
            "PL1234567890",
            "PT123456789",
            "RO1234567890",
            "SE123456789001",
            "SI12345678",
            "SK1234567890",
        ];
        for sample in samples {
            assert!(VatId::parse(sample).is_ok(), "{sample} should be valid");
        }
        assert_eq!(samples.len(), FORMATS.len());
    }

    #[test]
    fn greek_ids_use_the_el_prefix_for_country_gr() {
        let id = VatId::parse("EL123456789").expect("valid Greek id");
        assert_eq!(id.country().code(), "GR");
        assert!(VatId::parse("GR123456789").is_err());
    }

    #[test]
    fn ids_of_countries_outside_the_eu_are_refused() {
        assert!(matches!(
            VatId::parse("GB123456789"),
            Err(VatIdError::UnknownPrefix { .. })
        ));
        assert!(matches!(
            VatId::parse(""),
            Err(VatIdError::UnknownPrefix { .. })
        ));
    }

    #[test]
    fn national_formats_are_checked() {
        assert!(VatId::parse("DE12345678").is_err());
        assert!(VatId::parse("NL123456789X01").is_err());
        assert!(VatId::parse("ATX12345678").is_err());
        assert!(VatId::parse("FR12345678").is_err());
    }

    /// Builds a valid partita IVA from its first ten digits.
    fn with_check_digit(first_ten: &[u32]) -> String {
        let mut digits: String = first_ten
            .iter()
            .map(|d| char::from_digit(*d, 10).unwrap_or('0'))
            .collect();
        for check in 0..10 {
            let candidate = format!("{digits}{check}");
            if italian_check_digit_is_valid(&candidate) {
                digits = candidate;
                break;
            }
        }
        format!("IT{digits}")
    }

    proptest! {
        #[test]
        fn every_valid_italian_vat_id_fails_when_any_one_digit_changes(
            first_ten in proptest::collection::vec(0u32..10, 10),
            position in 0usize..11,
            delta in 1u32..10,
        ) {
            let valid = with_check_digit(&first_ten);
            prop_assert!(VatId::parse(&valid).is_ok());
            let mut bytes = valid.into_bytes();
            let index = 2 + position;
            let digit = u32::from(bytes[index] - b'0');
            bytes[index] = b'0' + ((digit + delta) % 10) as u8;
            let altered = String::from_utf8(bytes).expect("ascii");
            let rejected = matches!(VatId::parse(&altered), Err(VatIdError::BadCheckDigit { .. }));
            prop_assert!(rejected, "{} was accepted", altered);
        }
    }
}
