//! The account and its subscriptions, as pricing sees them (R3, R5, R8, R11-R16, R19).
//!
//! [`AccountInput`] is the account object of api.md as it travels; [`Account`] is what it parses
//! into: a credit that is never negative and exact in the account's currency, at most one
//! subscription per product, whole seat counts of at least one, periods that end after they start,
//! and an auto-renew flag that agrees with the status.

use std::collections::BTreeSet;
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::country::Country;
use crate::money::{Currency, Money};
use crate::period::{Frequency, Period, PeriodError};
use crate::vat::{VatId, VatIdError};

/// Whether the account orders self-service or through the Corporate Billing Portal (R2).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AccountKind {
    /// Self-service ordering in the checkout.
    #[default]
    Standard,
    /// Managed with a sales representative; no self-service orders (R2).
    Corporate,
}

/// Where a subscription stands (api.md `status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubscriptionStatus {
    /// A free trial (R11): one seat, no charge, expires at the end of its period unless bought.
    Trial,
    /// Paid and renewing (R16).
    Active,
    /// Paid, with auto-renew off: it expires at the end of the period (R14).
    PendingCancellation,
    /// Ended; it can be bought again or reactivated (R15).
    Expired,
}

impl SubscriptionStatus {
    /// Whether the subscription renews at the end of its period: only an active one does.
    pub fn auto_renew(self) -> bool {
        matches!(self, SubscriptionStatus::Active)
    }

    /// The wire name (`pending_cancellation`).
    pub fn as_str(self) -> &'static str {
        match self {
            SubscriptionStatus::Trial => "trial",
            SubscriptionStatus::Active => "active",
            SubscriptionStatus::PendingCancellation => "pending_cancellation",
            SubscriptionStatus::Expired => "expired",
        }
    }
}

impl fmt::Display for SubscriptionStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A whole number of seats, at least one (R5): zero seats is a cancellation, not a seat count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct Seats(u32);

impl Seats {
    /// The single seat of a trial (R11).
    pub const ONE: Seats = Seats(1);

    /// A seat count, or `None` for zero.
    pub fn new(count: u32) -> Option<Seats> {
        (count > 0).then_some(Seats(count))
    }

    /// The count.
    pub fn get(self) -> u32 {
        self.0
    }
}

impl TryFrom<u32> for Seats {
    type Error = String;

    fn try_from(count: u32) -> Result<Seats, String> {
        Seats::new(count).ok_or_else(|| "a subscription holds at least one seat".to_owned())
    }
}

impl From<Seats> for u32 {
    fn from(seats: Seats) -> u32 {
        seats.0
    }
}

impl fmt::Display for Seats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// One subscription of the account to one product.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subscription {
    /// The subscription id (`sub_1`).
    pub id: String,
    /// The product id (`meeting`).
    pub product: String,
    /// The tier id (`professional`).
    pub tier: String,
    /// The licensed seats.
    pub seats: Seats,
    /// How often it is billed.
    pub frequency: Frequency,
    /// Where it stands.
    pub status: SubscriptionStatus,
    /// The current period, or the last one of an expired subscription.
    pub period: Period,
}

/// The subscription object of api.md as it travels.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubscriptionInput {
    /// The subscription id.
    pub id: String,
    /// The product id.
    pub product: String,
    /// The tier id.
    pub tier: String,
    /// The seat count.
    pub seats: u32,
    /// `monthly` or `annual`.
    pub frequency: Frequency,
    /// `trial`, `active`, `pending_cancellation` or `expired`.
    pub status: SubscriptionStatus,
    /// Must agree with the status when present: only `active` renews.
    #[serde(default)]
    pub auto_renew: Option<bool>,
    /// The first day of the current period.
    pub period_start: NaiveDate,
    /// The first day after the current period.
    pub period_end: NaiveDate,
}

/// The account object of api.md as it travels. The fields pricing does not need (`name`,
/// `billing_contact`, `is_billing_contact`, `payment_methods`, `next_payment`, `as_of`) are
/// accepted and ignored, so the output of `GET /api/v1/account` can be fed back as it is; any
/// other field is refused.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountInput {
    /// The account id.
    pub id: String,
    /// `standard` (default) or `corporate`.
    #[serde(default)]
    pub kind: AccountKind,
    /// The customer's country.
    pub country: Country,
    /// The currency the account is billed in.
    pub currency: Currency,
    /// The VAT id on file, if any.
    #[serde(default)]
    pub vat_id: Option<String>,
    /// The credit balance; absent means zero.
    #[serde(default)]
    pub credit: Option<Money>,
    /// The subscriptions.
    #[serde(default)]
    pub subscriptions: Vec<SubscriptionInput>,
    #[serde(default, skip_serializing)]
    #[doc(hidden)]
    pub name: Option<serde_json::Value>,
    #[serde(default, skip_serializing)]
    #[doc(hidden)]
    pub billing_contact: Option<serde_json::Value>,
    #[serde(default, skip_serializing)]
    #[doc(hidden)]
    pub is_billing_contact: Option<serde_json::Value>,
    #[serde(default, skip_serializing)]
    #[doc(hidden)]
    pub payment_methods: Option<serde_json::Value>,
    #[serde(default, skip_serializing)]
    #[doc(hidden)]
    pub next_payment: Option<serde_json::Value>,
    #[serde(default, skip_serializing)]
    #[doc(hidden)]
    pub as_of: Option<serde_json::Value>,
}

/// Why an account object was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    /// The credit is negative or finer than the currency's minor unit (R19).
    #[error("the credit `{credit}` must be zero or more, exact to the minor unit of {currency}")]
    BadCredit {
        /// The credit as written.
        credit: String,
        /// The account's currency.
        currency: Currency,
    },
    /// The VAT id on file is not valid (R21).
    #[error("the VAT id on file is not valid: {0}")]
    BadVatId(#[from] VatIdError),
    /// The VAT id on file was issued by another country than the account's.
    #[error("the VAT id {vat_id} belongs to {vat_country}, not to the account's country {country}")]
    VatIdOfAnotherCountry {
        /// The id.
        vat_id: String,
        /// The country that issued it.
        vat_country: Country,
        /// The account's country.
        country: Country,
    },
    /// Two subscriptions share an id.
    #[error("the subscription id `{id}` is used twice")]
    DuplicateSubscriptionId {
        /// The id.
        id: String,
    },
    /// Two subscriptions are to the same product (R3).
    #[error("the account holds two subscriptions to `{product}`; products are held once (R3)")]
    DuplicateProduct {
        /// The product id.
        product: String,
    },
    /// A subscription's fields do not make sense together.
    #[error("subscription `{id}`: {problem}")]
    BadSubscription {
        /// The subscription id.
        id: String,
        /// What is wrong.
        problem: String,
    },
    /// A subscription's period ends before it starts.
    #[error("subscription `{id}`: {source}")]
    BadPeriod {
        /// The subscription id.
        id: String,
        /// The period's problem.
        source: PeriodError,
    },
}

/// An account as pricing sees it: parsed from an [`AccountInput`], so every value is valid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "AccountInput", into = "AccountInput")]
pub struct Account {
    id: String,
    kind: AccountKind,
    country: Country,
    currency: Currency,
    vat_id: Option<VatId>,
    credit: Money,
    subscriptions: Vec<Subscription>,
}

impl Account {
    /// Reads an account from the JSON of api.md.
    pub fn from_json(text: &str) -> Result<Account, String> {
        serde_json::from_str(text).map_err(|error| error.to_string())
    }

    /// The account id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Standard or corporate (R2).
    pub fn kind(&self) -> AccountKind {
        self.kind
    }

    /// The customer's country, which decides the VAT rate (R18).
    pub fn country(&self) -> Country {
        self.country
    }

    /// The currency the account is billed in.
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// The VAT id on file (R21).
    pub fn vat_id(&self) -> Option<&VatId> {
        self.vat_id.as_ref()
    }

    /// The credit balance, never negative (R19).
    pub fn credit(&self) -> Money {
        self.credit
    }

    /// The subscriptions, in their stored order.
    pub fn subscriptions(&self) -> &[Subscription] {
        &self.subscriptions
    }

    /// The subscription with this id.
    pub fn subscription(&self, id: &str) -> Option<&Subscription> {
        self.subscriptions.iter().find(|s| s.id == id)
    }

    /// The subscription to this product, whatever its status (R3: there is at most one).
    pub fn subscription_to(&self, product: &str) -> Option<&Subscription> {
        self.subscriptions.iter().find(|s| s.product == product)
    }

    /// The dates a quote of this account may be priced at when "today" is `today` (R9, S36):
    /// from today up to, not including, the first end of a current period (the earliest renewal
    /// or expiry of a subscription that is not expired), or today alone when no period is
    /// current. Before today the account was in another state (renewals have rolled it forward,
    /// R16), and on or after that end it will be: a price for such a date would be one nobody can
    /// be charged.
    pub fn quote_dates(&self, today: NaiveDate) -> Period {
        let end = self
            .subscriptions
            .iter()
            .filter(|s| s.status != SubscriptionStatus::Expired && s.period.contains(today))
            .map(|s| s.period.end())
            .min()
            .unwrap_or_else(|| today.succ_opt().unwrap_or(today));
        Period::new(today, end).unwrap_or_else(|_| Period::of_days(today, 1))
    }

    /// Whether every subscription has expired and there is at least one: such an account opens on
    /// plan selection (R15).
    pub fn is_all_expired(&self) -> bool {
        !self.subscriptions.is_empty()
            && self
                .subscriptions
                .iter()
                .all(|s| s.status == SubscriptionStatus::Expired)
    }

    pub(crate) fn set_credit(&mut self, credit: Money) {
        debug_assert!(!credit.is_negative(), "credit never falls below zero (R19)");
        self.credit = credit.at_least_zero();
    }

    pub(crate) fn set_vat_id(&mut self, vat_id: Option<VatId>) {
        self.vat_id = vat_id;
    }

    pub(crate) fn subscriptions_mut(&mut self) -> &mut Vec<Subscription> {
        &mut self.subscriptions
    }
}

impl TryFrom<AccountInput> for Account {
    type Error = AccountError;

    fn try_from(input: AccountInput) -> Result<Account, AccountError> {
        let credit = match input.credit {
            None => input.currency.zero(),
            Some(credit) => input
                .currency
                .exact(credit.amount())
                .filter(|credit| !credit.is_negative())
                .ok_or_else(|| AccountError::BadCredit {
                    credit: credit.to_string(),
                    currency: input.currency,
                })?,
        };
        let vat_id = match input.vat_id.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => {
                let vat_id = VatId::parse(text)?;
                if vat_id.country() != input.country {
                    return Err(AccountError::VatIdOfAnotherCountry {
                        vat_id: vat_id.to_string(),
                        vat_country: vat_id.country(),
                        country: input.country,
                    });
                }
                Some(vat_id)
            }
        };
        let mut ids = BTreeSet::new();
        let mut products = BTreeSet::new();
        let mut subscriptions = Vec::with_capacity(input.subscriptions.len());
        for subscription in input.subscriptions {
            if !ids.insert(subscription.id.clone()) {
                return Err(AccountError::DuplicateSubscriptionId {
                    id: subscription.id,
                });
            }
            if !products.insert(subscription.product.clone()) {
                return Err(AccountError::DuplicateProduct {
                    product: subscription.product,
                });
            }
            subscriptions.push(parse_subscription(subscription)?);
        }
        Ok(Account {
            id: input.id,
            kind: input.kind,
            country: input.country,
            currency: input.currency,
            vat_id,
            credit,
            subscriptions,
        })
    }
}

fn parse_subscription(input: SubscriptionInput) -> Result<Subscription, AccountError> {
    let problem = |problem: &str| AccountError::BadSubscription {
        id: input.id.clone(),
        problem: problem.to_owned(),
    };
    let seats =
        Seats::new(input.seats).ok_or_else(|| problem("a subscription holds at least one seat"))?;
    if input.status == SubscriptionStatus::Trial && seats != Seats::ONE {
        return Err(problem("a trial holds exactly one seat (R11)"));
    }
    if input
        .auto_renew
        .is_some_and(|flag| flag != input.status.auto_renew())
    {
        return Err(problem(
            "auto_renew must be true exactly when the status is active",
        ));
    }
    let period = Period::new(input.period_start, input.period_end).map_err(|source| {
        AccountError::BadPeriod {
            id: input.id.clone(),
            source,
        }
    })?;
    Ok(Subscription {
        id: input.id,
        product: input.product,
        tier: input.tier,
        seats,
        frequency: input.frequency,
        status: input.status,
        period,
    })
}

impl AccountInput {
    /// An account object with what pricing needs: a standard account with no VAT id, no credit
    /// and the display-only fields of api.md absent. Callers set `kind`, `vat_id` and `credit`
    /// with struct update syntax where they differ.
    pub fn new(
        id: String,
        country: Country,
        currency: Currency,
        subscriptions: Vec<SubscriptionInput>,
    ) -> AccountInput {
        AccountInput {
            id,
            kind: AccountKind::default(),
            country,
            currency,
            vat_id: None,
            credit: None,
            subscriptions,
            name: None,
            billing_contact: None,
            is_billing_contact: None,
            payment_methods: None,
            next_payment: None,
            as_of: None,
        }
    }
}

impl From<Account> for AccountInput {
    fn from(account: Account) -> AccountInput {
        let subscriptions = account
            .subscriptions
            .into_iter()
            .map(|s| SubscriptionInput {
                id: s.id,
                product: s.product,
                tier: s.tier,
                seats: s.seats.get(),
                frequency: s.frequency,
                status: s.status,
                auto_renew: Some(s.status.auto_renew()),
                period_start: s.period.start(),
                period_end: s.period.end(),
            })
            .collect();
        AccountInput {
            kind: account.kind,
            vat_id: account.vat_id.map(|id| id.to_string()),
            credit: Some(account.credit),
            ..AccountInput::new(account.id, account.country, account.currency, subscriptions)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROSSI: &str = r#"{"id":"acc_rossi","name":"Rossi S.r.l.","kind":"standard","country":"IT",
        "currency":"EUR","vat_id":null,"credit":"0.00",
        "billing_contact":{"name":"Giulia Rossi","email":"giulia.rossi@example.com"},
        "is_billing_contact":true,"payment_methods":[],"as_of":"2026-11-16",
        "subscriptions":[{"id":"sub_1","product":"meeting","tier":"professional","seats":5,
          "frequency":"monthly","status":"active","auto_renew":true,
          "period_start":"2026-11-01","period_end":"2026-12-01"}]}"#;

    fn with(edit: impl FnOnce(&mut serde_json::Value)) -> Result<Account, String> {
        let mut json: serde_json::Value = serde_json::from_str(ROSSI).expect("test JSON");
        edit(&mut json);
        Account::from_json(&json.to_string())
    }

    #[test]
    fn the_api_account_object_parses_with_its_display_fields() {
        let account = Account::from_json(ROSSI).expect("valid account");
        assert_eq!(account.credit().to_string(), "0.00");
        assert_eq!(account.subscriptions()[0].period.days(), 30);
        assert!(account.subscriptions()[0].status.auto_renew());
    }

    #[test]
    fn quotes_may_be_priced_from_today_to_the_first_end_of_a_current_period() {
        let date = |text: &str| text.parse::<NaiveDate>().expect("a date");
        let account = Account::from_json(ROSSI).expect("valid account");
        let dates = account.quote_dates(date("2026-11-16"));
        assert_eq!(dates.start(), date("2026-11-16"));
        assert_eq!(
            dates.end(),
            date("2026-12-01"),
            "the renewal of sub_1 (R16)"
        );
        assert!(dates.contains(date("2026-11-30")));
        assert!(!dates.contains(date("2026-11-15")) && !dates.contains(date("2026-12-01")));
        // An expired subscription has no current period: today alone.
        let expired = with(|j| {
            j["subscriptions"][0]["status"] = "expired".into();
            j["subscriptions"][0]["auto_renew"] = false.into();
        })
        .expect("valid account");
        let dates = expired.quote_dates(date("2026-11-16"));
        assert_eq!((dates.start(), dates.days()), (date("2026-11-16"), 1));
    }

    #[test]
    fn a_negative_or_sub_cent_credit_is_refused() {
        assert!(with(|j| j["credit"] = "-1.00".into()).is_err());
        assert!(with(|j| j["credit"] = "1.001".into()).is_err());
    }

    #[test]
    fn an_auto_renew_flag_that_contradicts_the_status_is_refused() {
        assert!(with(|j| j["subscriptions"][0]["auto_renew"] = false.into()).is_err());
        let pending = with(|j| {
            j["subscriptions"][0]["status"] = "pending_cancellation".into();
            j["subscriptions"][0]["auto_renew"] = false.into();
        });
        assert!(pending.is_ok());
    }

    #[test]
    fn zero_seats_and_empty_periods_are_refused() {
        assert!(with(|j| j["subscriptions"][0]["seats"] = 0.into()).is_err());
        assert!(with(|j| j["subscriptions"][0]["period_end"] = "2026-11-01".into()).is_err());
    }

    #[test]
    fn two_subscriptions_to_one_product_are_refused() {
        let result = with(|j| {
            let mut second = j["subscriptions"][0].clone();
            second["id"] = "sub_2".into();
            if let Some(subs) = j["subscriptions"].as_array_mut() {
                subs.push(second);
            }
        });
        assert!(result.is_err_and(|e| e.contains("R3")));
    }

    #[test]
    fn a_vat_id_of_another_country_is_refused() {
        assert!(with(|j| j["vat_id"] = "DE123456789".into()).is_err());
        assert!(with(|j| j["vat_id"] = "IT00743110157".into()).is_ok());
    }

    #[test]
    fn unknown_fields_are_refused() {
        assert!(with(|j| j["discount"] = "10".into()).is_err());
    }

    #[test]
    fn an_account_round_trips_through_json() {
        let account = Account::from_json(ROSSI).expect("valid account");
        let json = serde_json::to_string(&account).expect("serializes");
        assert_eq!(Account::from_json(&json), Ok(account));
    }
}
