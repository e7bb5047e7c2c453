//! Tax on an order or a renewal (R18): one rate, on the subtotal, rounded once.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;
use crate::country::Country;
use crate::error::OrderError;
use crate::money::{Currency, Money};
use crate::vat::VatId;

/// The tax of a quote: the api.md `tax` object.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tax {
    /// The rate in percent (`22`), a string on the wire.
    #[serde(with = "rust_decimal::serde::str")]
    pub rate: Decimal,
    /// The tax amount, rounded once (R17).
    pub amount: Money,
    /// Whether the customer accounts for VAT itself (EU business abroad, R18).
    pub reverse_charge: bool,
    /// The customer's country.
    pub country: Country,
}

/// Computes the tax on `subtotal` for a customer of `country` holding `vat_id` (R18):
/// - in the EU with a valid VAT id and a country other than the seller's: rate 0, reverse charge;
/// - other customers in the EU: the consumer rate of their country;
/// - outside the EU: rate 0.
pub fn tax_on(
    catalog: &Catalog,
    country: Country,
    vat_id: Option<&VatId>,
    currency: Currency,
    subtotal: Money,
) -> Result<Tax, OrderError> {
    let (rate, reverse_charge) = if !country.is_eu_member() {
        (Decimal::ZERO, false)
    } else if vat_id.is_some() && country != catalog.seller_country() {
        (Decimal::ZERO, true)
    } else {
        let rate = catalog
            .vat_rate(country)
            .ok_or(OrderError::CountryNotSupported { country })?;
        (rate, false)
    };
    // The rate is a percentage: times 0.01 rather than divided by 100, the same exact product
    // without linking the decimal division into the browser bundles (docs/performance.md).
    let amount = currency.round(subtotal.amount() * (rate * Decimal::new(1, 2)));
    Ok(Tax {
        rate,
        amount,
        reverse_charge,
        country,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tax(country: &str, vat_id: Option<&str>, subtotal: &str) -> Result<Tax, OrderError> {
        let country: Country = country.parse().expect("country");
        let vat_id = vat_id.map(|id| VatId::parse(id).expect("vat id"));
        let subtotal = Currency::Eur.parse_amount(subtotal).expect("amount");
        tax_on(
            Catalog::bundled(),
            country,
            vat_id.as_ref(),
            Currency::Eur,
            subtotal,
        )
    }

    #[test]
    fn an_italian_consumer_pays_italian_vat_rounded_half_away_from_zero() {
        let tax = tax("IT", None, "510.25").expect("taxed");
        assert_eq!(
            (tax.rate.to_string(), tax.amount.to_string()),
            ("22".into(), "112.26".into())
        );
        assert!(!tax.reverse_charge);
    }

    #[test]
    fn a_business_in_another_member_state_is_reverse_charged() {
        let tax = tax("IT", Some("IT00743110157"), "1158.50").expect("taxed");
        assert!(tax.reverse_charge);
        assert_eq!(tax.amount.to_string(), "0.00");
    }

    #[test]
    fn a_business_in_the_sellers_country_pays_vat() {
        let tax = tax("IE", Some("IE1234567WA"), "100.00").expect("taxed");
        assert!(!tax.reverse_charge);
        assert_eq!(tax.amount.to_string(), "23.00");
    }

    #[test]
    fn customers_outside_the_eu_pay_no_vat() {
        let tax = tax("US", None, "100.00").expect("taxed");
        assert_eq!(
            (tax.amount.to_string(), tax.reverse_charge),
            ("0.00".into(), false)
        );
    }

    #[test]
    fn a_negative_subtotal_gives_a_negative_tax() {
        assert_eq!(
            tax("IT", None, "-242.67")
                .expect("taxed")
                .amount
                .to_string(),
            "-53.39"
        );
    }

    #[test]
    fn an_eu_country_without_a_rate_in_the_catalog_is_refused() {
        assert_eq!(
            tax("PL", None, "1.00"),
            Err(OrderError::CountryNotSupported {
                country: "PL".parse().expect("country")
            })
        );
    }
}
