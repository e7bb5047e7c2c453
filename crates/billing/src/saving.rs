//! What paying annually saves against paying monthly (S19 of docs/billing-rules-supplement.md):
//! the figure the checkout's editor and the pricing widget show next to the annual price.
//!
//! Computed in whole minor units (cents), which is exact because catalog prices are (R6, R17),
//! and keeps the decimal arithmetic out of the widget's bundle.

use crate::money::{Currency, Money};

/// The saving of annual billing on one tier, per seat and year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AnnualSaving {
    /// Twelve monthly prices minus the annual price, per seat.
    pub per_seat: Money,
    /// The saving as a whole percentage of twelve monthly prices, rounded down (so a widget never
    /// promises more than is saved).
    pub percent: u32,
}

/// The saving of paying `annual` per seat and year instead of `monthly` per seat and month, in
/// `currency`; `None` when annual billing saves nothing (or an amount is beyond `i64` cents).
pub fn annual_saving(monthly: Money, annual: Money, currency: Currency) -> Option<AnnualSaving> {
    let year_of_months = currency.to_minor_units(monthly)?.checked_mul(12)?;
    let saving = year_of_months.checked_sub(currency.to_minor_units(annual)?)?;
    if saving <= 0 || year_of_months <= 0 {
        return None;
    }
    // Both are positive, so integer division rounds down.
    let percent = saving.checked_mul(100)? / year_of_months;
    Some(AnnualSaving {
        per_seat: currency.from_minor_units(saving),
        percent: u32::try_from(percent).ok()?,
    })
}

impl AnnualSaving {
    /// The saving of `seats` seats for a year.
    pub fn for_seats(self, seats: u32, currency: Currency) -> Option<Money> {
        currency.times(self.per_seat, seats)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Catalog, Frequency};
    use rust_decimal::Decimal;

    #[test]
    fn meeting_business_saves_36_euros_a_seat_or_15_percent() {
        let tier = Catalog::bundled()
            .product("meeting")
            .and_then(|product| product.tier("business"))
            .expect("meeting/business");
        let price = |frequency| tier.price(Currency::Eur, frequency).expect("a price");
        let saving = annual_saving(
            price(Frequency::Monthly),
            price(Frequency::Annual),
            Currency::Eur,
        )
        .expect("a saving");
        // 12 × 19.00 − 192.00 = 36.00, 36 / 228 = 15.8 %.
        assert_eq!(saving.per_seat.to_string(), "36.00");
        assert_eq!(saving.percent, 15);
        assert_eq!(
            saving
                .for_seats(3, Currency::Eur)
                .map(|money| money.to_string()),
            Some("108.00".to_owned())
        );
    }

    #[test]
    fn the_cents_equal_the_decimal_formula_on_every_bundled_tier() {
        let catalog = Catalog::bundled();
        for product in catalog.products() {
            for tier in product.tiers() {
                for &currency in catalog.currencies() {
                    let price = |frequency| tier.price(currency, frequency).expect("a price");
                    let (monthly, annual) = (price(Frequency::Monthly), price(Frequency::Annual));
                    let year = monthly.amount() * Decimal::from(12);
                    let saving = year - annual.amount();
                    let expected = (saving > Decimal::ZERO).then(|| AnnualSaving {
                        per_seat: currency.round(saving),
                        percent: u32::try_from((saving * Decimal::from(100) / year).floor())
                            .expect("a percent"),
                    });
                    assert_eq!(
                        annual_saving(monthly, annual, currency),
                        expected,
                        "{} {} {currency}",
                        product.id(),
                        tier.id()
                    );
                    for seats in [1, 7, tier.max_seats()] {
                        assert_eq!(
                            expected.and_then(|s| s.for_seats(seats, currency)),
                            expected.map(|s| currency.round(s.per_seat.amount() * Decimal::from(seats)))
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn no_saving_when_annual_costs_as_much_as_twelve_months() {
        let eur = |text: &str| Currency::Eur.parse_amount(text).expect("an amount");
        assert_eq!(
            annual_saving(eur("10.00"), eur("120.00"), Currency::Eur),
            None
        );
        assert_eq!(
            annual_saving(eur("10.00"), eur("130.00"), Currency::Eur),
            None
        );
        assert_eq!(annual_saving(eur("0.00"), eur("0.00"), Currency::Eur), None);
    }
}
