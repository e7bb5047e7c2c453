//! Renewals (R16): rolling an account forward and the next payment.

use billing::{Catalog, RenewalEvent, SubscriptionStatus, next_payment, roll_forward};
use serde_json::json;

use crate::fixtures::{account, date, subscription};

fn rossi(credit: &str) -> billing::Account {
    account(
        json!({"id": "acc_rossi", "country": "IT", "currency": "EUR", "credit": credit, "subscriptions": [
            subscription("sub_1", "meeting", "professional", 5, "monthly", "active", ("2026-11-01", "2026-12-01")),
            subscription("sub_2", "webinar", "lite", 1, "monthly", "active", ("2026-11-05", "2026-12-05")),
        ]}),
    )
}

#[test]
fn the_next_payment_is_the_earliest_renewal_with_vat() {
    let next = next_payment(Catalog::bundled(), &rossi("0.00"))
        .expect("priced")
        .expect("renews");
    assert_eq!(next.date, date("2026-12-01"));
    assert_eq!(
        (next.amount.to_string(), next.credit_applied.to_string()),
        ("85.40".into(), "0.00".into())
    );
}

#[test]
fn the_credit_is_applied_to_the_next_payment() {
    let next = next_payment(Catalog::bundled(), &rossi("100.00"))
        .expect("priced")
        .expect("renews");
    assert_eq!(
        (next.amount.to_string(), next.credit_applied.to_string()),
        ("0.00".into(), "85.40".into())
    );
}

#[test]
fn rolling_forward_renews_each_period_in_date_order_and_spends_the_credit_first() {
    let (after, events) =
        roll_forward(Catalog::bundled(), &rossi("100.00"), date("2026-12-05")).expect("rolled");
    let renewals: Vec<_> = events
        .iter()
        .map(|event| match event {
            RenewalEvent::Renewed(r) => (
                r.subscription.clone(),
                r.total.to_string(),
                r.credit_applied.to_string(),
                r.amount_due.to_string(),
            ),
            RenewalEvent::Expired { .. } => panic!("nothing expires here"),
        })
        .collect();
    assert_eq!(
        renewals,
        vec![
            (
                "sub_1".into(),
                "85.40".into(),
                "85.40".into(),
                "0.00".into()
            ),
            (
                "sub_2".into(),
                "71.98".into(),
                "14.60".into(),
                "57.38".into()
            ),
        ]
    );
    assert_eq!(after.credit().to_string(), "0.00");
    let periods: Vec<_> = after
        .subscriptions()
        .iter()
        .map(|s| (s.period.start(), s.period.end()))
        .collect();
    assert_eq!(
        periods,
        vec![
            (date("2026-12-01"), date("2027-01-01")),
            (date("2026-12-05"), date("2027-01-05"))
        ]
    );
}

#[test]
fn several_periods_can_pass_between_two_reads() {
    let (after, events) =
        roll_forward(Catalog::bundled(), &rossi("0.00"), date("2027-03-01")).expect("rolled");
    assert_eq!(events.len(), 7, "sub_1 renews 4 times and sub_2 3 times");
    assert_eq!(after.subscriptions()[0].period.start(), date("2027-03-01"));
}

#[test]
fn trials_and_cancelled_subscriptions_expire_at_their_period_end() {
    let account = account(
        json!({"id": "a", "country": "IT", "currency": "EUR", "subscriptions": [
            subscription("t", "remote-support", "standard", 1, "monthly", "trial", ("2026-11-22", "2026-12-06")),
            subscription("c", "meeting", "business", 2, "monthly", "pending_cancellation", ("2026-11-01", "2026-12-01")),
        ]}),
    );
    assert_eq!(
        next_payment(Catalog::bundled(), &account).expect("priced"),
        None
    );
    let (before, events) =
        roll_forward(Catalog::bundled(), &account, date("2026-12-05")).expect("rolled");
    assert_eq!(events.len(), 1);
    assert_eq!(
        before.subscriptions()[0].status,
        SubscriptionStatus::Trial,
        "the trial runs through 2026-12-05"
    );
    let (after, events) =
        roll_forward(Catalog::bundled(), &account, date("2026-12-06")).expect("rolled");
    assert_eq!(events.len(), 2);
    assert!(
        after
            .subscriptions()
            .iter()
            .all(|s| s.status == SubscriptionStatus::Expired)
    );
    assert!(after.is_all_expired());
}

#[test]
fn rolling_to_a_date_inside_the_period_changes_nothing() {
    let account = rossi("0.00");
    let (after, events) =
        roll_forward(Catalog::bundled(), &account, date("2026-11-30")).expect("rolled");
    assert!(events.is_empty());
    assert_eq!(after, account);
}
