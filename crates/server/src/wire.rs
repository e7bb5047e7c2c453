//! The engine's values as the wire types of `crates/api`: every answer the server writes goes
//! through one of these, so the server, the browser bundles and the generated OpenAPI document
//! share one definition of each body (issue 13).
//!
//! Money, dates and rates are written with the engine's own `Display`, which is the text its
//! serde writes (api.md: money with exactly the currency's minor digits, dates `YYYY-MM-DD`).

use billing::{CancelReason, Catalog, NextPayment, Quote};
use chrono::NaiveDate;

use crate::store::AccountRecord;

/// The catalog as it travels. The engine's catalog keeps its fields private (it is parsed once and
/// then only read), so it is written by its own serializer and read back as the contract's type:
/// a catalog the contract cannot read fails here, in the tests, not in a browser.
pub fn catalog(catalog: &Catalog) -> Result<api::Catalog, serde_json::Error> {
    serde_json::from_value(serde_json::to_value(catalog)?)
}

/// An amount as it travels.
pub fn money(amount: billing::Money) -> api::Money {
    api::Money(amount.to_string())
}

/// A date as it travels.
pub fn date(day: NaiveDate) -> api::Date {
    api::Date(day.to_string())
}

fn line_kind(kind: billing::LineKind) -> api::LineKind {
    match kind {
        billing::LineKind::Charge => api::LineKind::Charge,
        billing::LineKind::ProrationCredit => api::LineKind::ProrationCredit,
        billing::LineKind::Trial => api::LineKind::Trial,
        billing::LineKind::Cancel => api::LineKind::Cancel,
        billing::LineKind::Resume => api::LineKind::Resume,
    }
}

/// The tax of a quote or a renewal as it travels (R18).
pub fn tax(tax: &billing::Tax) -> api::Tax {
    api::Tax {
        rate: tax.rate.to_string(),
        amount: money(tax.amount),
        reverse_charge: tax.reverse_charge,
        country: tax.country.to_string(),
    }
}

/// A quote of the engine as it travels.
pub fn quote(quote: &Quote) -> api::Quote {
    api::Quote {
        catalog_version: quote.catalog_version.as_str().into(),
        as_of: date(quote.as_of),
        currency: quote.currency.to_string(),
        lines: quote
            .lines
            .iter()
            .map(|line| api::Line {
                // An order has far fewer than 2^32 items (the body is at most 64 KiB).
                item: u32::try_from(line.item).unwrap_or(u32::MAX),
                kind: line_kind(line.kind),
                description: line.description.clone(),
                period_start: date(line.period_start),
                period_end: date(line.period_end),
                seats: line.seats,
                unit_price: money(line.unit_price),
                amount: money(line.amount),
            })
            .collect(),
        subtotal: money(quote.subtotal),
        tax: tax(&quote.tax),
        total: money(quote.total),
        credit_applied: money(quote.credit_applied),
        amount_due: money(quote.amount_due),
        credit_after: money(quote.credit_after),
    }
}

/// A cancellation reason of cancel item `item` on `subscription`, as stored with its order (R29).
pub fn cancellation_reason(
    item: usize,
    subscription: &str,
    reason: &CancelReason,
) -> api::CancellationReason {
    api::CancellationReason {
        item: u32::try_from(item).unwrap_or(u32::MAX),
        subscription: subscription.to_owned(),
        code: match reason.code {
            billing::CancelReasonCode::TooExpensive => api::CancelReasonCode::TooExpensive,
            billing::CancelReasonCode::MissingFeatures => api::CancelReasonCode::MissingFeatures,
            billing::CancelReasonCode::Switching => api::CancelReasonCode::Switching,
            billing::CancelReasonCode::NotUsing => api::CancelReasonCode::NotUsing,
            billing::CancelReasonCode::Other => api::CancelReasonCode::Other,
        },
        text: reason.text.clone(),
    }
}

/// The account of `GET /api/v1/account` for a user who is (or is not) its billing contact, with
/// its next payment, as it stands `today`.
pub fn account(
    record: &AccountRecord,
    is_billing_contact: bool,
    next_payment: Option<NextPayment>,
    today: NaiveDate,
) -> api::Account {
    let account = &record.account;
    api::Account {
        id: account.id().to_owned(),
        name: record.name.clone(),
        kind: match account.kind() {
            billing::AccountKind::Standard => api::AccountKind::Standard,
            billing::AccountKind::Corporate => api::AccountKind::Corporate,
        },
        country: account.country().to_string(),
        currency: account.currency().to_string(),
        vat_id: account.vat_id().map(ToString::to_string),
        credit: money(account.credit()),
        billing_contact: record
            .billing_contact
            .as_ref()
            .map(|(name, email)| api::BillingContact {
                name: name.clone(),
                email: email.clone(),
            }),
        is_billing_contact,
        payment_methods: record.payment_methods.clone(),
        subscriptions: account
            .subscriptions()
            .iter()
            .map(|subscription| api::Subscription {
                id: subscription.id.clone(),
                product: subscription.product.clone(),
                tier: subscription.tier.clone(),
                seats: subscription.seats.get(),
                frequency: match subscription.frequency {
                    billing::Frequency::Monthly => api::Frequency::Monthly,
                    billing::Frequency::Annual => api::Frequency::Annual,
                },
                status: match subscription.status {
                    billing::SubscriptionStatus::Trial => api::SubscriptionStatus::Trial,
                    billing::SubscriptionStatus::Active => api::SubscriptionStatus::Active,
                    billing::SubscriptionStatus::PendingCancellation => {
                        api::SubscriptionStatus::PendingCancellation
                    }
                    billing::SubscriptionStatus::Expired => api::SubscriptionStatus::Expired,
                },
                // R14: only an active subscription renews.
                auto_renew: subscription.status.auto_renew(),
                period_start: date(subscription.period.start()),
                period_end: date(subscription.period.end()),
            })
            .collect(),
        next_payment: next_payment.map(|next| api::NextPayment {
            date: date(next.date),
            amount: money(next.amount),
            credit_applied: money(next.credit_applied),
        }),
        as_of: date(today),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quote_travels_as_the_engine_writes_it() {
        let account = billing::Account::from_json(
            r#"{"id":"acc","kind":"standard","country":"IT","currency":"EUR","vat_id":null,
            "credit":"0.00","subscriptions":[{"id":"sub_1","product":"meeting",
            "tier":"professional","seats":5,"frequency":"monthly","status":"active",
            "auto_renew":true,"period_start":"2026-11-01","period_end":"2026-12-01"}]}"#,
        )
        .expect("an account");
        let request = billing::OrderRequest::from_json(
            r#"{"items":[{"op":"change","subscription":"sub_1","seats":8}]}"#,
        )
        .expect("a request");
        let order = billing::Order::parse(&request).expect("an order");
        let today = NaiveDate::from_ymd_opt(2026, 11, 16).expect("a date");
        let engine = billing::quote(Catalog::bundled(), &account, &order, today).expect("a quote");
        assert_eq!(
            serde_json::to_value(quote(&engine)).expect("writes"),
            serde_json::to_value(&engine).expect("writes")
        );
    }

    #[test]
    fn the_bundled_catalog_travels_as_the_contract_reads_it() {
        let wire = catalog(Catalog::bundled()).expect("the contract reads the catalog");
        assert_eq!(wire.version.as_str(), Catalog::bundled().version());
    }
}
