//! Pricing an order against an account at a date: the quote of api.md (R2-R5, R10-R15, R17-R19).

use std::collections::BTreeSet;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::account::{Account, AccountKind, Seats, Subscription, SubscriptionStatus};
use crate::catalog::{Catalog, Product, Tier};
use crate::error::OrderError;
use crate::money::{Currency, Money};
use crate::order::{Item, Order, PlanChoice, VatIdChange};
use crate::period::{Frequency, Period};
use crate::tax::{Tax, tax_on};
use crate::vat::VatId;

/// What a quote line is (api.md line `kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    /// A charge for a new period (R10, R12, R15).
    Charge,
    /// The credit for unused time of the old period, negative (R12).
    ProrationCredit,
    /// A free trial, amount 0 (R11).
    Trial,
    /// Renewal turned off, amount 0 (R14).
    Cancel,
    /// Renewal turned back on, amount 0 (R14).
    Resume,
}

/// One line of a quote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Line {
    /// The index of the order item the line belongs to.
    pub item: usize,
    /// What the line is.
    pub kind: LineKind,
    /// A human description (English; the UI builds its own from the other fields).
    pub description: String,
    /// The first day the line covers.
    pub period_start: NaiveDate,
    /// The first day after what the line covers.
    pub period_end: NaiveDate,
    /// The seats the line is for.
    pub seats: u32,
    /// The price per seat for a whole period.
    pub unit_price: Money,
    /// The amount, rounded once (R17).
    pub amount: Money,
}

/// The price of an order: the quote object of api.md. Every amount is in `currency`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quote {
    /// The catalog version the quote was priced with (R7).
    pub catalog_version: String,
    /// The date the quote was priced at (R9).
    pub as_of: NaiveDate,
    /// The account's currency.
    pub currency: Currency,
    /// The lines, in item order.
    pub lines: Vec<Line>,
    /// The sum of the lines; may be negative.
    pub subtotal: Money,
    /// The tax on the subtotal (R18).
    pub tax: Tax,
    /// `subtotal + tax`.
    pub total: Money,
    /// What the account credit pays of a positive total (R19).
    pub credit_applied: Money,
    /// What the payment method is charged: `max(0, total - credit)` (R19, R20).
    pub amount_due: Money,
    /// The account credit after the order (R19).
    pub credit_after: Money,
}

/// What one item does to a subscription once the order is placed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Effect {
    /// The subscription it updates, or `None` for a new one.
    pub existing: Option<String>,
    /// The subscription's state after the order.
    pub product: String,
    pub tier: String,
    pub seats: Seats,
    pub frequency: Frequency,
    pub status: SubscriptionStatus,
    pub period: Period,
    /// Whether the product ends up with more seats than before (R22).
    pub adds_seats: bool,
}

/// A priced order, before it is applied.
pub(crate) struct Plan {
    pub quote: Quote,
    pub effects: Vec<Effect>,
    pub vat_id: Option<VatId>,
}

/// Prices `order` for `account` at `as_of` without changing anything.
///
/// Every rejection about the order itself is an [`OrderError`] with its api.md code. The quote
/// does not depend on the order of the items, except for the order of its lines.
pub fn quote(
    catalog: &Catalog,
    account: &Account,
    order: &Order,
    as_of: NaiveDate,
) -> Result<Quote, OrderError> {
    plan(catalog, account, order, as_of).map(|plan| plan.quote)
}

/// Prices an order and works out what it does: the shared core of [`quote`] and
/// [`crate::apply_order`], so a preview and a placed order can never differ.
pub(crate) fn plan(
    catalog: &Catalog,
    account: &Account,
    order: &Order,
    as_of: NaiveDate,
) -> Result<Plan, OrderError> {
    if account.kind() == AccountKind::Corporate {
        return Err(OrderError::CorporateAccount);
    }
    let currency = account.currency();
    if !catalog.sells_in(currency) {
        return Err(OrderError::CurrencyNotSold { currency });
    }
    let vat_id = effective_vat_id(account, order.vat_id())?;
    let pricer = Pricer {
        catalog,
        account,
        currency,
        as_of,
    };
    let mut products = BTreeSet::new();
    let mut lines = Vec::new();
    let mut effects = Vec::new();
    for (index, item) in order.items().iter().enumerate() {
        let (item_lines, effect) = pricer.item(index, item)?;
        if !products.insert(effect.product.clone()) {
            return Err(OrderError::DuplicateItem {
                item: index,
                product: effect.product,
            });
        }
        lines.extend(item_lines);
        effects.push(effect);
    }
    let subtotal: Money = lines.iter().map(|line| line.amount).sum::<Money>() + currency.zero();
    let tax = tax_on(
        catalog,
        account.country(),
        vat_id.as_ref(),
        currency,
        subtotal,
    )?;
    let total = subtotal + tax.amount;
    let (credit_applied, amount_due, credit_after) = settle(total, account.credit());
    Ok(Plan {
        quote: Quote {
            catalog_version: catalog.version().to_owned(),
            as_of,
            currency,
            lines,
            subtotal,
            tax,
            total,
            credit_applied,
            amount_due,
            credit_after,
        },
        effects,
        vat_id,
    })
}

/// Settles a total against the account credit (R19): a negative total is added to the credit; a
/// positive one is paid from the credit first. Returns `(credit_applied, amount_due, credit_after)`.
pub(crate) fn settle(total: Money, credit: Money) -> (Money, Money, Money) {
    if total.is_negative() {
        let zero = total.at_least_zero();
        (zero, zero, credit - total)
    } else {
        let applied = credit.min(total);
        (applied, total - applied, credit - applied)
    }
}

/// The VAT id that applies to the order (R21): the account's, none, or a new one of the account's
/// country.
fn effective_vat_id(account: &Account, change: &VatIdChange) -> Result<Option<VatId>, OrderError> {
    match change {
        VatIdChange::Keep => Ok(account.vat_id().cloned()),
        VatIdChange::Remove => Ok(None),
        VatIdChange::Set(vat_id) if vat_id.country() != account.country() => {
            Err(OrderError::InvalidVatId {
                vat_id: vat_id.to_string(),
                reason: format!(
                    "it was issued by {}, but the account is in {}",
                    vat_id.country(),
                    account.country()
                ),
            })
        }
        VatIdChange::Set(vat_id) => Ok(Some(vat_id.clone())),
    }
}

/// Prices the items of one order: the catalog, account, currency and date they share.
struct Pricer<'a> {
    catalog: &'a Catalog,
    account: &'a Account,
    currency: Currency,
    as_of: NaiveDate,
}

impl<'a> Pricer<'a> {
    fn item(&self, index: usize, item: &Item) -> Result<(Vec<Line>, Effect), OrderError> {
        match item {
            Item::Change {
                subscription,
                tier,
                seats,
                frequency,
            } => self.change(index, subscription, tier.as_deref(), *seats, *frequency),
            Item::Buy { product, plan } => self.buy(index, product, plan),
            Item::Trial { product, tier } => self.trial(index, product, tier),
            Item::Cancel { subscription, .. } => self.toggle_renewal(index, subscription, false),
            Item::Resume { subscription } => self.toggle_renewal(index, subscription, true),
            Item::Reactivate { subscription, plan } => self.reactivate(index, subscription, plan),
        }
    }

    fn product(&self, index: usize, id: &str) -> Result<&'a Product, OrderError> {
        self.catalog
            .product(id)
            .ok_or_else(|| OrderError::UnknownProduct {
                item: index,
                product: id.to_owned(),
            })
    }

    fn tier(&self, index: usize, product: &'a Product, id: &str) -> Result<&'a Tier, OrderError> {
        product.tier(id).ok_or_else(|| OrderError::UnknownTier {
            item: index,
            product: product.id().to_owned(),
            tier: id.to_owned(),
        })
    }

    fn subscription(&self, index: usize, id: &str) -> Result<&'a Subscription, OrderError> {
        self.account
            .subscription(id)
            .ok_or_else(|| OrderError::UnknownSubscription {
                item: index,
                subscription: id.to_owned(),
            })
    }

    fn price(&self, tier: &Tier, frequency: Frequency) -> Result<Money, OrderError> {
        tier.price(self.currency, frequency)
            .ok_or(OrderError::CurrencyNotSold {
                currency: self.currency,
            })
    }

    fn check_seats(&self, index: usize, tier: &Tier, seats: Seats) -> Result<(), OrderError> {
        if tier.allows_seats(seats.get()) {
            return Ok(());
        }
        Err(OrderError::InvalidSeats {
            item: index,
            seats: seats.get().into(),
            min: tier.min_seats(),
            max: tier.max_seats(),
            hint: if seats.get() > tier.max_seats() {
                "; for more seats, contact sales (R5)".to_owned()
            } else {
                String::new()
            },
        })
    }

    /// The service period must contain "today" for it to be changed, cancelled or resumed: an
    /// account is rolled forward (R16) before it is priced.
    fn check_in_period(&self, index: usize, subscription: &Subscription) -> Result<(), OrderError> {
        if subscription.period.contains(self.as_of) {
            return Ok(());
        }
        Err(self.outside_period(index, subscription))
    }

    fn outside_period(&self, index: usize, subscription: &Subscription) -> OrderError {
        OrderError::AsOfOutsidePeriod {
            item: index,
            subscription: subscription.id.clone(),
            as_of: self.as_of,
            start: subscription.period.start(),
            end: subscription.period.end(),
        }
    }

    /// The charge for a new period that starts today (R10, R12, R15).
    fn charge(
        &self,
        index: usize,
        product: &Product,
        tier: &Tier,
        seats: Seats,
        frequency: Frequency,
    ) -> Result<Line, OrderError> {
        let unit_price = self.price(tier, frequency)?;
        let period = Period::starting(self.as_of, frequency);
        Ok(Line {
            item: index,
            kind: LineKind::Charge,
            description: format!(
                "{} {} × {}, {}",
                product.name(),
                tier.name(),
                seats,
                frequency.as_str()
            ),
            period_start: period.start(),
            period_end: period.end(),
            seats: seats.get(),
            unit_price,
            amount: self
                .currency
                .round(Decimal::from(seats.get()) * unit_price.amount()),
        })
    }

    /// A change of an active subscription (R12): credit for the unused time of the old period,
    /// charge for a new period from today.
    fn change(
        &self,
        index: usize,
        id: &str,
        tier: Option<&str>,
        seats: Option<Seats>,
        frequency: Option<Frequency>,
    ) -> Result<(Vec<Line>, Effect), OrderError> {
        let current = self.subscription(index, id)?;
        if current.status != SubscriptionStatus::Active {
            return Err(OrderError::SubscriptionNotActive {
                item: index,
                subscription: id.to_owned(),
                status: current.status,
            });
        }
        let product = self.product(index, &current.product)?;
        let old_tier = self.tier(index, product, &current.tier)?;
        let new_tier = self.tier(index, product, tier.unwrap_or(&current.tier))?;
        if new_tier.rank() < old_tier.rank() {
            let support = self.catalog.support();
            return Err(OrderError::DowngradeRequiresSupport {
                item: index,
                from: old_tier.id().to_owned(),
                to: new_tier.id().to_owned(),
                phone: support.phone.clone(),
                url: support.url.clone(),
            });
        }
        let new_seats = seats.unwrap_or(current.seats);
        let new_frequency = frequency.unwrap_or(current.frequency);
        self.check_seats(index, new_tier, new_seats)?;
        if new_tier.id() == old_tier.id()
            && new_seats == current.seats
            && new_frequency == current.frequency
        {
            return Err(OrderError::NoChange {
                item: index,
                subscription: id.to_owned(),
            });
        }
        self.check_in_period(index, current)?;
        let old_price = self.price(old_tier, current.frequency)?;
        // The unused days' share of what the current period cost (R12), in whole minor units.
        // `check_in_period` above keeps the days left between one and the period's days; an
        // amount beyond `i64` minor units (92 thousand billion euros) is outside the engine's
        // range and refused with the same error.
        let days = |days: i64| u32::try_from(days).ok();
        let unused = days(current.period.days_left(self.as_of))
            .zip(days(current.period.days()))
            .and_then(|(left, all)| {
                let old_value = self.currency.times(old_price, current.seats.get())?;
                self.currency.share(old_value, left, all)
            })
            .ok_or_else(|| self.outside_period(index, current))?;
        let credit = Line {
            item: index,
            kind: LineKind::ProrationCredit,
            description: format!(
                "Unused time on {} {} × {}",
                product.name(),
                old_tier.name(),
                current.seats
            ),
            period_start: self.as_of,
            period_end: current.period.end(),
            seats: current.seats.get(),
            unit_price: old_price,
            amount: -unused,
        };
        let charge = self.charge(index, product, new_tier, new_seats, new_frequency)?;
        let effect = Effect {
            existing: Some(current.id.clone()),
            product: product.id().to_owned(),
            tier: new_tier.id().to_owned(),
            seats: new_seats,
            frequency: new_frequency,
            status: SubscriptionStatus::Active,
            period: Period::starting(self.as_of, new_frequency),
            adds_seats: new_seats > current.seats,
        };
        Ok((vec![credit, charge], effect))
    }

    /// A purchase (R10), also of a tried (R13) or expired (R15) product, with no credit.
    fn buy(
        &self,
        index: usize,
        product_id: &str,
        plan: &PlanChoice,
    ) -> Result<(Vec<Line>, Effect), OrderError> {
        let product = self.product(index, product_id)?;
        let held = self.account.subscription_to(product.id());
        if let Some(held) = held
            && matches!(
                held.status,
                SubscriptionStatus::Active | SubscriptionStatus::PendingCancellation
            )
        {
            return Err(OrderError::ProductAlreadySubscribed {
                item: index,
                product: product.id().to_owned(),
            });
        }
        self.new_plan(index, product, held, plan)
    }

    /// A reactivation of an expired subscription (R15): a new purchase, any tier.
    fn reactivate(
        &self,
        index: usize,
        id: &str,
        plan: &PlanChoice,
    ) -> Result<(Vec<Line>, Effect), OrderError> {
        let current = self.subscription(index, id)?;
        if current.status != SubscriptionStatus::Expired {
            return Err(OrderError::SubscriptionNotExpired {
                item: index,
                subscription: id.to_owned(),
                status: current.status,
            });
        }
        let product = self.product(index, &current.product)?;
        self.new_plan(index, product, Some(current), plan)
    }

    /// A plan bought from today at full price, replacing a trial or expired subscription if any.
    fn new_plan(
        &self,
        index: usize,
        product: &Product,
        replaces: Option<&Subscription>,
        plan: &PlanChoice,
    ) -> Result<(Vec<Line>, Effect), OrderError> {
        let tier = self.tier(index, product, &plan.tier)?;
        self.check_seats(index, tier, plan.seats)?;
        let charge = self.charge(index, product, tier, plan.seats, plan.frequency)?;
        let seats_before = replaces
            .filter(|s| s.status != SubscriptionStatus::Expired)
            .map_or(0, |s| s.seats.get());
        let effect = Effect {
            existing: replaces.map(|s| s.id.clone()),
            product: product.id().to_owned(),
            tier: tier.id().to_owned(),
            seats: plan.seats,
            frequency: plan.frequency,
            status: SubscriptionStatus::Active,
            period: Period::starting(self.as_of, plan.frequency),
            adds_seats: plan.seats.get() > seats_before,
        };
        Ok((vec![charge], effect))
    }

    /// A free trial of a product never held nor tried (R11): one seat, the catalog's trial days.
    fn trial(
        &self,
        index: usize,
        product_id: &str,
        tier_id: &str,
    ) -> Result<(Vec<Line>, Effect), OrderError> {
        let product = self.product(index, product_id)?;
        let tier = self.tier(index, product, tier_id)?;
        if self.account.subscription_to(product.id()).is_some() {
            return Err(OrderError::TrialNotAvailable {
                item: index,
                product: product.id().to_owned(),
            });
        }
        let period = Period::of_days(self.as_of, product.trial_days());
        let line = Line {
            item: index,
            kind: LineKind::Trial,
            description: format!(
                "{} {} free trial, {} days",
                product.name(),
                tier.name(),
                product.trial_days()
            ),
            period_start: period.start(),
            period_end: period.end(),
            seats: Seats::ONE.get(),
            unit_price: self.currency.zero(),
            amount: self.currency.zero(),
        };
        let effect = Effect {
            existing: None,
            product: product.id().to_owned(),
            tier: tier.id().to_owned(),
            seats: Seats::ONE,
            frequency: Frequency::Monthly,
            status: SubscriptionStatus::Trial,
            period,
            adds_seats: false,
        };
        Ok((vec![line], effect))
    }

    /// Cancel (renewal off) or resume (renewal on) a paid subscription (R14): amount 0, the period
    /// unchanged.
    fn toggle_renewal(
        &self,
        index: usize,
        id: &str,
        resume: bool,
    ) -> Result<(Vec<Line>, Effect), OrderError> {
        let current = self.subscription(index, id)?;
        let (required, after, kind, verb) = if resume {
            (
                SubscriptionStatus::PendingCancellation,
                SubscriptionStatus::Active,
                LineKind::Resume,
                "renewal turned back on",
            )
        } else {
            (
                SubscriptionStatus::Active,
                SubscriptionStatus::PendingCancellation,
                LineKind::Cancel,
                "renewal turned off, service until the period ends",
            )
        };
        if current.status != required {
            return Err(if resume {
                OrderError::SubscriptionNotCancelled {
                    item: index,
                    subscription: id.to_owned(),
                    status: current.status,
                }
            } else {
                OrderError::SubscriptionNotActive {
                    item: index,
                    subscription: id.to_owned(),
                    status: current.status,
                }
            });
        }
        self.check_in_period(index, current)?;
        let product = self.product(index, &current.product)?;
        let tier = self.tier(index, product, &current.tier)?;
        let line = Line {
            item: index,
            kind,
            description: format!(
                "{} {} × {}: {}",
                product.name(),
                tier.name(),
                current.seats,
                verb
            ),
            period_start: self.as_of,
            period_end: current.period.end(),
            seats: current.seats.get(),
            unit_price: self.price(tier, current.frequency)?,
            amount: self.currency.zero(),
        };
        let effect = Effect {
            existing: Some(current.id.clone()),
            product: product.id().to_owned(),
            tier: current.tier.clone(),
            seats: current.seats,
            frequency: current.frequency,
            status: after,
            period: current.period,
            adds_seats: false,
        };
        Ok((vec![line], effect))
    }
}
