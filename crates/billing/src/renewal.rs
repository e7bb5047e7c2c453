//! Renewal (R16): rolling an account forward to a date, and the next payment it will make.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::account::{Account, Seats, Subscription, SubscriptionStatus};
use crate::catalog::Catalog;
use crate::error::OrderError;
use crate::money::Money;
use crate::period::Period;
use crate::quote::settle;
use crate::tax::{Tax, tax_on};

/// One renewal charge: a new period of an active subscription, priced at the catalog of that day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Renewal {
    /// The subscription id.
    pub subscription: String,
    /// The new period; its start is the renewal date.
    pub period: Period,
    /// The seats renewed.
    pub seats: Seats,
    /// The price per seat.
    pub unit_price: Money,
    /// `seats × unit_price`.
    pub subtotal: Money,
    /// The tax on the subtotal (R18).
    pub tax: Tax,
    /// `subtotal + tax`.
    pub total: Money,
    /// What the account credit paid (R19).
    pub credit_applied: Money,
    /// What the payment method is charged.
    pub amount_due: Money,
}

/// What happened to a subscription when its period ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum RenewalEvent {
    /// An active subscription started its next period (R16).
    Renewed(Renewal),
    /// A trial (R11) or a cancelled subscription (R14) reached its end.
    Expired {
        /// The subscription id.
        subscription: String,
        /// The day it expired: the end of its last period.
        date: NaiveDate,
    },
}

/// The next payment the account overview shows (R16): the earliest renewal date, what the payment
/// method will be charged then, and what the credit covers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextPayment {
    /// The renewal date.
    pub date: NaiveDate,
    /// What the payment method will be charged, after the credit.
    pub amount: Money,
    /// What the account credit covers.
    pub credit_applied: Money,
}

/// Prices one period of `subscription` with the account's tax, before credit.
fn renewal_price(
    catalog: &Catalog,
    account: &Account,
    subscription: &Subscription,
) -> Result<(Money, Money, Tax), OrderError> {
    let product =
        catalog
            .product(&subscription.product)
            .ok_or_else(|| OrderError::UnknownProduct {
                item: 0,
                product: subscription.product.clone(),
            })?;
    let tier = product
        .tier(&subscription.tier)
        .ok_or_else(|| OrderError::UnknownTier {
            item: 0,
            product: product.id().to_owned(),
            tier: subscription.tier.clone(),
        })?;
    let currency = account.currency();
    let unit_price = tier
        .price(currency, subscription.frequency)
        .ok_or(OrderError::CurrencyNotSold { currency })?;
    let subtotal = currency.round(Decimal::from(subscription.seats.get()) * unit_price.amount());
    let tax = tax_on(
        catalog,
        account.country(),
        account.vat_id(),
        currency,
        subtotal,
    )?;
    Ok((unit_price, subtotal, tax))
}

/// Rolls `account` forward to `to` (R16): every period that ended on or before `to` is renewed
/// (active), or the subscription expires (trial, pending cancellation). Events are processed in
/// date order across subscriptions, so the credit pays the earliest renewals first (R19).
///
/// The next period follows the last one directly: `[end, end + frequency)` (R8).
pub fn roll_forward(
    catalog: &Catalog,
    account: &Account,
    to: NaiveDate,
) -> Result<(Account, Vec<RenewalEvent>), OrderError> {
    let mut account = account.clone();
    let mut events = Vec::new();
    loop {
        let due = account
            .subscriptions()
            .iter()
            .enumerate()
            .filter(|(_, s)| s.status != SubscriptionStatus::Expired && s.period.end() <= to)
            .min_by_key(|(index, s)| (s.period.end(), *index))
            .map(|(index, _)| index);
        let Some(index) = due else { break };
        let subscription = account.subscriptions()[index].clone();
        if subscription.status == SubscriptionStatus::Active {
            let (unit_price, subtotal, tax) = renewal_price(catalog, &account, &subscription)?;
            let total = subtotal + tax.amount;
            let (credit_applied, amount_due, credit_after) = settle(total, account.credit());
            let period = subscription.period.following(subscription.frequency);
            account.subscriptions_mut()[index].period = period;
            account.set_credit(credit_after);
            events.push(RenewalEvent::Renewed(Renewal {
                subscription: subscription.id,
                period,
                seats: subscription.seats,
                unit_price,
                subtotal,
                tax,
                total,
                credit_applied,
                amount_due,
            }));
        } else {
            account.subscriptions_mut()[index].status = SubscriptionStatus::Expired;
            events.push(RenewalEvent::Expired {
                subscription: subscription.id,
                date: subscription.period.end(),
            });
        }
    }
    Ok((account, events))
}

/// The next payment of the account (R16), or `None` when nothing renews.
///
/// When several subscriptions renew on the same earliest date, their totals are added up.
pub fn next_payment(
    catalog: &Catalog,
    account: &Account,
) -> Result<Option<NextPayment>, OrderError> {
    let Some(date) = account
        .subscriptions()
        .iter()
        .filter(|s| s.status.auto_renew())
        .map(|s| s.period.end())
        .min()
    else {
        return Ok(None);
    };
    let mut total = account.currency().zero();
    for subscription in account
        .subscriptions()
        .iter()
        .filter(|s| s.status.auto_renew() && s.period.end() == date)
    {
        let (_, subtotal, tax) = renewal_price(catalog, account, subscription)?;
        total = total + subtotal + tax.amount;
    }
    let (credit_applied, amount_due, _) = settle(total, account.credit());
    Ok(Some(NextPayment {
        date,
        amount: amount_due,
        credit_applied,
    }))
}

/// The days after a renewal's due date on which a declined renewal is tried again (R31).
pub const RENEWAL_RETRY_DAYS: [u64; 3] = [1, 3, 7];

/// How many scheduled tries a renewal has (R31): on its due date and on each of
/// [`RENEWAL_RETRY_DAYS`]. After this many failures the subscription expires.
pub const RENEWAL_TRIES: u32 = 1 + RENEWAL_RETRY_DAYS.len() as u32;

/// The date of the try that follows a renewal's `failures`-th failed try (R31): the try after the
/// n-th failure is on the n-th retry day after `due`; after the last try there is none.
pub fn next_renewal_try(due: NaiveDate, failures: u32) -> Option<NaiveDate> {
    let index = usize::try_from(failures.checked_sub(1)?).ok()?;
    let days = RENEWAL_RETRY_DAYS.get(index)?;
    due.checked_add_days(chrono::Days::new(*days))
}

#[cfg(test)]
mod retry_tests {
    use super::*;

    #[test]
    fn a_declined_renewal_is_tried_on_days_1_3_and_7_then_no_more() {
        let due = NaiveDate::from_ymd_opt(2026, 12, 1).expect("a date");
        let tries: Vec<Option<NaiveDate>> = (1..=RENEWAL_TRIES)
            .map(|failures| next_renewal_try(due, failures))
            .collect();
        let day = |d| NaiveDate::from_ymd_opt(2026, 12, d);
        assert_eq!(tries, [day(2), day(4), day(8), None]);
        assert_eq!(RENEWAL_TRIES, 4);
        assert_eq!(next_renewal_try(due, 0), None);
    }
}
