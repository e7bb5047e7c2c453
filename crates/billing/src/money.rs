//! Money as exact decimals (R6, R17): no floating point anywhere, one rounding rule.

use std::fmt;
use std::ops::{Add, Neg, Sub};
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Reads a plain decimal as the wire writes amounts and rates (`93.94`, `-35.00`, `22`), S65: an
/// optional sign, digits with at most one point, at most 28 decimals and a value that fits the
/// 96 bits of a `Decimal`.
///
/// Scientific notation (`1e2`), which api.md never writes (money is a string with exactly the
/// minor digits), is refused: `Decimal`'s `FromStr` would accept it through a lossy scientific-notation
/// path that every bundle running the engine would otherwise carry. So are digit separators
/// (`1_000`) and digits beyond a `Decimal`'s precision, which `rust_decimal`'s own reader accepts
/// (rounding the excess away); reading digits here, instead of with that reader, keeps its 4 KB
/// of code out of the browser bundles (docs/performance.md, section 1).
pub fn parse_decimal(text: &str) -> Option<Decimal> {
    /// The largest mantissa of a `Decimal`: 96 bits.
    const MAX_MANTISSA: u128 = (1 << 96) - 1;
    let (negative, unsigned) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (whole, decimals) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    if whole.is_empty() && decimals.is_empty() {
        return None;
    }
    let mut mantissa: u128 = 0;
    for byte in whole.bytes().chain(decimals.bytes()) {
        if !byte.is_ascii_digit() {
            return None;
        }
        // Below 2^96 before the step, so the step itself cannot overflow 128 bits.
        mantissa = mantissa * 10 + u128::from(byte - b'0');
        if mantissa > MAX_MANTISSA {
            return None;
        }
    }
    let scale = u32::try_from(decimals.len()).ok()?;
    let mut value =
        Decimal::try_from_i128_with_scale(i128::try_from(mantissa).ok()?, scale).ok()?;
    // As `rust_decimal` reads them, a zero has no sign (`-0` is 0).
    value.set_sign_negative(negative && mantissa != 0);
    Some(value)
}

/// Reads a decimal written with digits only, as the catalog writes its prices and VAT rates
/// (`14.00`, `22`, `-3.5`): an optional `-`, digits, and optionally a point followed by digits;
/// at most 18 digits in all. Anything else (`+`, spaces, exponents, `.5`) is `None`.
///
/// A parser of its own rather than rust_decimal's general one ([`parse_decimal`]): the pricing
/// widget reads no amount but the catalog's, and that parser would be a few kilobytes of its
/// bundle. The decimals are kept as written (`14.00` has two), as [`parse_decimal`] keeps them.
pub(crate) fn parse_digits(text: &str) -> Option<Decimal> {
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    // The point found as a byte rather than with `split_once`, whose pattern searcher would be
    // linked into the widget for this alone.
    let (whole, decimals) = match unsigned.bytes().position(|byte| byte == b'.') {
        Some(point) if point + 1 < unsigned.len() => (&unsigned[..point], &unsigned[point + 1..]),
        Some(_) => return None,
        None => (unsigned, ""),
    };
    if whole.is_empty() || whole.len() + decimals.len() > 18 {
        return None;
    }
    let mut mantissa: i64 = 0;
    for digit in whole.bytes().chain(decimals.bytes()) {
        if !digit.is_ascii_digit() {
            return None;
        }
        // Cannot overflow: 18 digits stay below `i64::MAX`.
        mantissa = mantissa * 10 + i64::from(digit - b'0');
    }
    let scale = u32::try_from(decimals.len()).ok()?;
    Some(Decimal::new(
        if negative { -mantissa } else { mantissa },
        scale,
    ))
}

/// A currency the catalog can sell in (R6). There is no conversion between currencies: each one
/// has its own prices.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Currency {
    /// The euro.
    #[serde(rename = "EUR")]
    Eur,
    /// The United States dollar.
    #[serde(rename = "USD")]
    Usd,
    /// The pound sterling.
    #[serde(rename = "GBP")]
    Gbp,
}

/// Why a text or a number is not an amount of money.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// The text is not a decimal number.
    #[error("`{text}` is not a decimal amount")]
    NotADecimal {
        /// The text that was read.
        text: String,
    },
    /// The amount has more decimals than the currency's minor unit allows.
    #[error("`{text}` has more than the {minor_units} decimals of {currency}")]
    TooManyDecimals {
        /// The text that was read.
        text: String,
        /// The currency the amount is in.
        currency: Currency,
        /// How many decimals the currency has.
        minor_units: u32,
    },
    /// The text is not written in the plain form of an amount the client confirms (S37): digits
    /// without sign, spaces or leading zeros, then a point and the decimals.
    #[error("`{text}` is not a plain amount like \"93.94\"")]
    NotPlain {
        /// The text that was read, cut to 40 characters.
        text: String,
    },
    /// The text names no currency the engine knows.
    #[error("`{code}` is not a supported currency (EUR, USD, GBP)")]
    UnknownCurrency {
        /// The code that was read.
        code: String,
    },
}

impl Currency {
    /// Every supported currency, in a stable order.
    pub const ALL: [Currency; 3] = [Currency::Eur, Currency::Usd, Currency::Gbp];

    /// The ISO 4217 code, such as `EUR`.
    pub const fn code(self) -> &'static str {
        match self {
            Currency::Eur => "EUR",
            Currency::Usd => "USD",
            Currency::Gbp => "GBP",
        }
    }

    /// How many decimals the currency's minor unit has (cents and pence: 2).
    pub const fn minor_units(self) -> u32 {
        match self {
            Currency::Eur | Currency::Usd | Currency::Gbp => 2,
        }
    }

    /// Rounds an exact amount to this currency's minor unit, half away from zero (R17).
    pub fn round(self, exact: Decimal) -> Money {
        let mut rounded = exact
            .round_dp_with_strategy(self.minor_units(), RoundingStrategy::MidpointAwayFromZero);
        // Rescaling keeps the printed form at exactly the minor digits ("112.00", not "112").
        rounded.rescale(self.minor_units());
        Money(normalize_zero(rounded))
    }

    /// Zero in this currency, printed with the minor digits ("0.00").
    pub fn zero(self) -> Money {
        self.round(Decimal::ZERO)
    }

    /// Reads an amount such as `"93.94"` that must already be exact in this currency: more
    /// decimals than the minor unit is an error rather than a silent rounding.
    pub fn parse_amount(self, text: &str) -> Result<Money, MoneyError> {
        let exact = parse_decimal(text.trim()).ok_or_else(|| MoneyError::NotADecimal {
            text: text.to_owned(),
        })?;
        self.exact(exact)
            .ok_or_else(|| MoneyError::TooManyDecimals {
                text: text.to_owned(),
                currency: self,
                minor_units: self.minor_units(),
            })
    }

    /// Whether `money` is written with exactly this currency's minor digits (`"17.08"` in euros,
    /// not `"17.080"` nor `"17.1"` nor `"17"`): the strict form of an amount a client confirms
    /// (S37). Amounts read by [`parse_plain_amount`] keep the decimals they were written with.
    pub fn has_minor_digits(self, money: Money) -> bool {
        money.0.scale() == self.minor_units()
    }

    /// The amount in this currency when `value` needs no rounding, else `None`.
    pub fn exact(self, value: Decimal) -> Option<Money> {
        let money = self.round(value);
        (money.0 == value).then_some(money)
    }

    /// `money` counted in this currency's minor unit (`19.00` EUR is 1900), after rounding it to
    /// the currency (R17); `None` beyond `i64`. Sums of whole multiples of prices are exact in
    /// these integers, which is how the pricing widget adds without decimal arithmetic.
    pub fn to_minor_units(self, money: Money) -> Option<i64> {
        // A rounded amount carries exactly the currency's minor digits, so its mantissa counts
        // minor units.
        i64::try_from(self.round(money.0).0.mantissa()).ok()
    }

    /// The amount of `units` minor units of this currency (1900 is `19.00` EUR).
    pub fn from_minor_units(self, units: i64) -> Money {
        self.round(Decimal::new(units, self.minor_units()))
    }

    /// `amount` times `count` (a price per seat times the seats), exact: the product of whole
    /// minor units, so the browser bundles need no decimal multiplication. `None` beyond `i64`
    /// minor units.
    pub fn times(self, amount: Money, count: u32) -> Option<Money> {
        let units = self.to_minor_units(amount)?.checked_mul(i64::from(count))?;
        Some(self.from_minor_units(units))
    }

    /// `amount × part ÷ whole` rounded once to this currency, half away from zero (R17): the
    /// unused share of a period's value, `part` of its `whole` days (R12). Computed exactly in
    /// whole minor units with 64-bit integers, so the browser bundles carry no decimal division
    /// (docs/performance.md, section 1). `None` when `whole` is zero or the amount is beyond
    /// `i64` minor units.
    pub fn share(self, amount: Money, part: u32, whole: u32) -> Option<Money> {
        let units = self.to_minor_units(amount)?;
        let (part, whole) = (u64::from(part), u64::from(whole));
        let magnitude = units.unsigned_abs();
        // magnitude × part ÷ whole as (q × whole + r) × part ÷ whole: r × part stays below
        // 2^64 because both factors are below 2^32, so nothing overflows on the way.
        let (quotient, remainder) = (magnitude.checked_div(whole)?, magnitude % whole);
        let rest = remainder * part;
        let mut share = quotient.checked_mul(part)?.checked_add(rest / whole)?;
        if 2 * (rest % whole) >= whole {
            share += 1;
        }
        let share = i64::try_from(share).ok()?;
        Some(self.from_minor_units(if units < 0 { -share } else { share }))
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Currency {
    type Err = MoneyError;

    fn from_str(code: &str) -> Result<Self, Self::Err> {
        Currency::ALL
            .into_iter()
            .find(|currency| currency.code() == code)
            .ok_or_else(|| MoneyError::UnknownCurrency {
                code: code.to_owned(),
            })
    }
}

/// An amount of money, exact to the minor unit of the currency it is in.
///
/// A `Money` is made only by [`Currency::round`] and its siblings, so it always carries exactly the
/// currency's minor digits; sums and differences of such amounts stay exact. The currency itself is
/// carried once by the object the amounts belong to (a quote, an account, a catalog price), because
/// every amount in one of them is in one currency. Serialized as a string, never a JSON number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Money(Decimal);

impl Money {
    /// The exact decimal value.
    pub fn amount(self) -> Decimal {
        self.0
    }

    /// Whether the amount is below zero.
    pub fn is_negative(self) -> bool {
        self.0.is_sign_negative() && !self.0.is_zero()
    }

    /// Whether the amount is above zero.
    pub fn is_positive(self) -> bool {
        self.0.is_sign_positive() && !self.0.is_zero()
    }

    /// Whether the amount is zero.
    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    /// The amount, or zero when it is negative: `max(0, self)`.
    pub fn at_least_zero(self) -> Money {
        if self.is_negative() {
            Money(Decimal::new(0, self.0.scale()))
        } else {
            self
        }
    }

    /// The smaller of two amounts.
    pub fn min(self, other: Money) -> Money {
        if other.0 < self.0 { other } else { self }
    }

    /// An amount written with digits only ([`parse_digits`]), as the catalog's prices are; its
    /// precision is checked by the catalog, which knows the currency.
    pub(crate) fn from_digits(text: &str) -> Option<Money> {
        parse_digits(text).map(|value| Money(normalize_zero(value)))
    }
}

/// Keeps "-0.00" out of printed amounts: a negative zero is still zero.
fn normalize_zero(value: Decimal) -> Decimal {
    if value.is_zero() {
        Decimal::new(0, value.scale())
    } else {
        value
    }
}

impl Add for Money {
    type Output = Money;

    fn add(self, other: Money) -> Money {
        Money(normalize_zero(self.0 + other.0))
    }
}

impl Sub for Money {
    type Output = Money;

    fn sub(self, other: Money) -> Money {
        Money(normalize_zero(self.0 - other.0))
    }
}

impl Neg for Money {
    type Output = Money;

    fn neg(self) -> Money {
        Money(normalize_zero(-self.0))
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money(Decimal::new(0, 2)), Add::add)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

impl FromStr for Money {
    type Err = MoneyError;

    /// Reads a decimal amount such as `93.94`, as it is written on the wire. The currency's
    /// precision is checked by the owner that knows the currency ([`Currency::parse_amount`]
    /// checks both at once).
    fn from_str(text: &str) -> Result<Money, MoneyError> {
        let value = parse_decimal(text.trim()).ok_or_else(|| MoneyError::NotADecimal {
            text: text.to_owned(),
        })?;
        Ok(Money(normalize_zero(value)))
    }
}

/// Reads an amount in the plain form of the wire, strictly (S37): `0` or digits without a leading
/// zero, optionally a point and at least one decimal, and a leading `-` for an amount below zero
/// (a net credit's total, worked example 3, is written `"-296.06"`); no `+`, spaces, exponent or
/// other characters, and no `-` before zero (S10: zero is never written `-0.00`). The decimals
/// are kept as written (`"17.080"` stays three), so that the currency's own number of decimals
/// can be checked with [`Currency::has_minor_digits`].
pub fn parse_plain_amount(text: &str) -> Result<Money, MoneyError> {
    let refused = || MoneyError::NotPlain {
        text: text.chars().take(40).collect(),
    };
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, decimals) = match unsigned.split_once('.') {
        Some((whole, decimals)) => (whole, Some(decimals)),
        None => (unsigned, None),
    };
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    let plain =
        digits(whole) && (whole == "0" || !whole.starts_with('0')) && decimals.is_none_or(digits);
    if !plain {
        return Err(refused());
    }
    let value = parse_decimal(text).ok_or_else(refused)?;
    if negative && value.is_zero() {
        return Err(refused());
    }
    Ok(Money(value))
}

/// Reads an optional JSON string amount with [`parse_plain_amount`]: the field attribute
/// `deserialize_with` of amounts a client confirms (`expected_total`, S37).
pub fn deserialize_plain_amount<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Money>, D::Error> {
    let text = Option::<String>::deserialize(deserializer)?;
    text.map(|text| parse_plain_amount(&text).map_err(serde::de::Error::custom))
        .transpose()
}

impl<'de> Deserialize<'de> for Money {
    /// Reads a JSON string such as `"93.94"`. A JSON number is refused: money on the wire is
    /// always a string (api.md). The currency's precision is checked by the owner that knows the
    /// currency.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse()
            .map_err(|_| serde::de::Error::custom(format!("`{text}` is not a decimal amount")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_read_as_the_general_parser_reads_them_and_nothing_else_does() {
        for text in [
            "14.00",
            "0",
            "22",
            "-3.5",
            "0.001",
            "999999999999999999",
            "007.10",
        ] {
            assert_eq!(parse_digits(text), parse_decimal(text), "{text}");
            assert_eq!(
                parse_digits(text).map(|d| d.to_string()),
                parse_decimal(text).map(|d| d.to_string()),
                "{text}: the decimals are kept"
            );
        }
        for text in [
            "",
            "-",
            ".5",
            "5.",
            "+5",
            " 5",
            "5 ",
            "1e2",
            "1.2.3",
            "--1",
            "1,5",
            "١",
            "1000000000000000000",
        ] {
            assert_eq!(parse_digits(text), None, "{text:?}");
        }
        assert_eq!(
            Money::from_digits("-0.00").map(Money::is_negative),
            Some(false)
        );
    }

    #[test]
    fn the_total_is_seats_times_the_price() {
        let price = Currency::Eur.parse_amount("192.00").expect("price");
        assert_eq!(
            Currency::Eur
                .times(price, 4)
                .map(|t| t.to_string())
                .as_deref(),
            Some("768.00")
        );
        let cents = Currency::Usd.parse_amount("0.07").expect("price");
        assert_eq!(
            Currency::Usd
                .times(cents, 3)
                .map(|t| t.to_string())
                .as_deref(),
            Some("0.21")
        );
    }

    #[test]
    fn totals_in_cents_equal_the_decimal_ones_on_every_bundled_tier() {
        let catalog = crate::Catalog::bundled();
        for product in catalog.products() {
            for tier in product.tiers() {
                for &currency in catalog.currencies() {
                    let annual = tier
                        .price(currency, crate::Frequency::Annual)
                        .expect("a price");
                    for seats in [1, 7, tier.max_seats()] {
                        assert_eq!(
                            currency.times(annual, seats),
                            Some(currency.round(annual.amount() * Decimal::from(seats)))
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn wire_decimals_are_plain_and_scientific_notation_is_refused() {
        for (text, value) in [
            ("93.94", "93.94"),
            ("-35.00", "-35.00"),
            ("22", "22"),
            ("0.07", "0.07"),
        ] {
            assert_eq!(
                parse_decimal(text).map(|d| d.to_string()).as_deref(),
                Some(value)
            );
        }
        for text in ["1e2", "1E2", "9.394e1", "", "abc", "1.2.3"] {
            assert_eq!(parse_decimal(text), None, "{text}");
        }
        assert!(matches!(
            Currency::Eur.parse_amount("1e2"),
            Err(MoneyError::NotADecimal { .. })
        ));
    }

    #[test]
    fn amounts_count_in_minor_units_and_back() {
        let price = Currency::Eur.parse_amount("19.00").expect("price");
        assert_eq!(Currency::Eur.to_minor_units(price), Some(1900));
        assert_eq!(Currency::Eur.from_minor_units(1900), price);
        assert_eq!(Currency::Usd.from_minor_units(7).to_string(), "0.07");
        assert_eq!(Currency::Gbp.from_minor_units(-250).to_string(), "-2.50");
        let unrounded = Money(Decimal::new(12345, 3));
        assert_eq!(Currency::Eur.to_minor_units(unrounded), Some(1235));
    }

    #[test]
    fn plain_decimals_read_as_rust_decimal_reads_them() {
        for text in [
            "93.94",
            "-35.00",
            "22",
            "0",
            "-0",
            "+5",
            "0.5",
            ".5",
            "5.",
            "007.10",
            "8.1",
            "79228162514264337593543950335",
            "-7922816251426433759354395033.5",
            "0.0000000000000000000000000001",
            "",
            "-",
            "+",
            ".",
            "-.",
            "1.2.3",
            "1e2",
            " 1",
            "1 ",
            "--1",
            "+-1",
            "1-",
            "12a",
            "0x10",
            "１",
        ] {
            assert_eq!(
                parse_decimal(text),
                Decimal::from_str_radix(text, 10).ok(),
                "{text:?}"
            );
            if let Some(value) = parse_decimal(text) {
                let theirs = Decimal::from_str_radix(text, 10).expect("read");
                assert_eq!(
                    value.is_sign_negative(),
                    theirs.is_sign_negative(),
                    "{text:?}"
                );
                assert_eq!(value.scale(), theirs.scale(), "{text:?}");
            }
        }
        // Refused here, read by rust_decimal (S65): separators, more than 96 bits or 28 decimals.
        for text in [
            "1_000",
            "79228162514264337593543950336",
            "0.00000000000000000000000000001",
        ] {
            assert_eq!(parse_decimal(text), None, "{text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn every_plain_decimal_reads_as_rust_decimal_reads_it(
            text in "[+-]?[0-9]{0,20}(\\.[0-9]{0,8})?",
        ) {
            let ours = parse_decimal(&text);
            let theirs = Decimal::from_str_radix(&text, 10).ok();
            proptest::prop_assert_eq!(ours, theirs);
            if let (Some(ours), Some(theirs)) = (ours, theirs) {
                proptest::prop_assert_eq!(ours.scale(), theirs.scale());
                proptest::prop_assert_eq!(ours.is_sign_negative(), theirs.is_sign_negative());
            }
        }
    }

    #[test]
    fn a_share_equals_the_decimal_formula_rounded_half_away_from_zero() {
        for (amount, part, whole) in [
            ("116.00", 16, 30),
            ("-116.00", 16, 30),
            ("0.01", 1, 2),
            ("-0.01", 1, 2),
            ("0.03", 1, 6),
            ("1234.56", 365, 365),
            ("1234.56", 0, 365),
            ("99.99", 17, 31),
            ("250000.00", 1, 366),
        ] {
            let money = Currency::Eur.parse_amount(amount).expect("amount");
            let exact = money.amount() * Decimal::from(part) / Decimal::from(whole);
            assert_eq!(
                Currency::Eur.share(money, part, whole),
                Some(Currency::Eur.round(exact)),
                "{amount} × {part} / {whole}"
            );
        }
        let price = Currency::Eur.parse_amount("1.00").expect("amount");
        assert_eq!(Currency::Eur.share(price, 1, 0), None);
    }

    proptest::proptest! {
        #[test]
        fn every_share_equals_the_decimal_formula(
            units in -10_000_000_000i64..10_000_000_000,
            whole in 1u32..400,
            part in 0u32..400,
        ) {
            let money = Currency::Usd.from_minor_units(units);
            let exact = money.amount() * Decimal::from(part) / Decimal::from(whole);
            proptest::prop_assert_eq!(
                Currency::Usd.share(money, part, whole),
                Some(Currency::Usd.round(exact))
            );
        }
    }

    fn dec(text: &str) -> Decimal {
        Decimal::from_str(text).expect("test decimal")
    }

    #[test]
    fn an_amount_reads_as_its_wire_string_reads() {
        let money: Money = " 93.94".parse().expect("amount");
        assert_eq!(money.to_string(), "93.94");
        assert_eq!(serde_json::from_str::<Money>("\"93.94\"").ok(), Some(money));
        assert_eq!(
            "-0.00".parse::<Money>().map(|m| m.to_string()),
            Ok("0.00".into())
        );
        assert!("9x".parse::<Money>().is_err());
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(Currency::Eur.round(dec("112.255")).to_string(), "112.26");
        assert_eq!(Currency::Eur.round(dec("-53.3874")).to_string(), "-53.39");
        assert_eq!(Currency::Eur.round(dec("-0.005")).to_string(), "-0.01");
        assert_eq!(Currency::Eur.round(dec("0.004")).to_string(), "0.00");
    }

    #[test]
    fn amounts_always_print_the_minor_digits() {
        assert_eq!(Currency::Gbp.round(dec("112")).to_string(), "112.00");
        assert_eq!(Currency::Usd.zero().to_string(), "0.00");
    }

    #[test]
    fn negative_zero_prints_as_zero() {
        assert_eq!(Currency::Eur.round(dec("-0.001")).to_string(), "0.00");
        let a = Currency::Eur.round(dec("5"));
        assert_eq!((a - a).to_string(), "0.00");
    }

    #[test]
    fn a_plain_amount_is_read_strictly_and_keeps_its_decimals() {
        for text in [
            "17.08",
            "0.00",
            "0.50",
            "1234567.89",
            "7",
            "-296.06",
            "-0.01",
        ] {
            assert_eq!(
                parse_plain_amount(text).map(|m| m.to_string()).as_deref(),
                Ok(text),
                "{text}"
            );
        }
        for text in [
            " 17.08",
            "17.08 ",
            "+59.78",
            "-0.00",
            "-0",
            "--17.08",
            "- 17.08",
            "-017.08",
            "017.08",
            "00.00",
            "17.",
            ".08",
            "1e2",
            "17,08",
            "",
            "١٧.٠٨",
            "0x11",
            "17.08.1",
        ] {
            assert!(
                matches!(parse_plain_amount(text), Err(MoneyError::NotPlain { .. })),
                "{text:?} is refused"
            );
        }
        let long = "9".repeat(1000) + "x";
        assert!(
            matches!(parse_plain_amount(&long), Err(MoneyError::NotPlain { text }) if text.len() == 40)
        );
    }

    #[test]
    fn the_minor_digits_are_exactly_the_currency_s() {
        let eur =
            |text: &str| Currency::Eur.has_minor_digits(parse_plain_amount(text).expect("plain"));
        assert!(eur("17.08") && eur("0.00"));
        assert!(!eur("17.080") && !eur("17.1") && !eur("17"));
    }

    #[test]
    fn parsing_refuses_sub_cent_amounts() {
        assert_eq!(
            Currency::Eur.parse_amount("1.005"),
            Err(MoneyError::TooManyDecimals {
                text: "1.005".into(),
                currency: Currency::Eur,
                minor_units: 2
            })
        );
        assert!(Currency::Eur.parse_amount("abc").is_err());
        assert_eq!(
            Currency::Eur
                .parse_amount("14")
                .map(|m| m.to_string())
                .as_deref(),
            Ok("14.00")
        );
    }

    #[test]
    fn money_serializes_as_a_string_and_refuses_json_numbers() {
        let money = Currency::Eur.round(dec("93.94"));
        assert_eq!(
            serde_json::to_string(&money).ok().as_deref(),
            Some("\"93.94\"")
        );
        assert!(serde_json::from_str::<Money>("93.94").is_err());
        assert_eq!(serde_json::from_str::<Money>("\"93.94\"").ok(), Some(money));
    }

    #[test]
    fn at_least_zero_clamps_negative_amounts() {
        assert_eq!(
            Currency::Eur.round(dec("-3")).at_least_zero().to_string(),
            "0.00"
        );
        assert_eq!(
            Currency::Eur.round(dec("3")).at_least_zero().to_string(),
            "3.00"
        );
    }

    #[test]
    fn currency_codes_round_trip() {
        for currency in Currency::ALL {
            assert_eq!(currency.code().parse::<Currency>(), Ok(currency));
        }
        assert!("JPY".parse::<Currency>().is_err());
    }
}
