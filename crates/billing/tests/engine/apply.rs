//! Placing orders: the account after the order matches the quote (R10-R15, R19, R21, R22).

use billing::{Catalog, SubscriptionStatus, apply_order, quote};
use serde_json::json;

use crate::fixtures::{account, date, example, order, subscription};

fn place(name: &str) -> billing::Placement {
    let (account, order, as_of) = example(name);
    apply_order(Catalog::bundled(), &account, &order, as_of, |product| {
        format!("sub_{product}")
    })
    .expect("placed")
}

#[test]
fn placing_an_order_gives_exactly_its_quote() {
    for name in [
        "1-seats-up-mid-month",
        "2-seats-down-annual",
        "3-net-credit",
        "4-upgrade-annual-reverse-charge",
    ] {
        let (account, order, as_of) = example(name);
        let quoted = quote(Catalog::bundled(), &account, &order, as_of).expect("priced");
        assert_eq!(place(name).quote, quoted, "{name}");
    }
}

#[test]
fn a_change_restarts_the_billing_period_today() {
    let placement = place("1-seats-up-mid-month");
    let sub = &placement.account.subscriptions()[0];
    assert_eq!(
        (sub.period.start(), sub.period.end()),
        (date("2026-11-16"), date("2026-12-16"))
    );
    assert_eq!(sub.seats.get(), 8);
    assert!(placement.assign_licenses, "seats were added (R22)");
}

#[test]
fn fewer_seats_do_not_ask_to_assign_licenses() {
    assert!(!place("2-seats-down-annual").assign_licenses);
}

#[test]
fn a_negative_total_is_added_to_the_credit() {
    assert_eq!(place("3-net-credit").account.credit().to_string(), "296.06");
}

#[test]
fn a_positive_total_is_paid_from_the_credit_first() {
    let placement = place("4-upgrade-annual-reverse-charge");
    assert_eq!(placement.account.credit().to_string(), "0.00");
    let sub = &placement.account.subscriptions()[0];
    assert_eq!(
        (sub.tier.as_str(), sub.frequency),
        ("standard", billing::Frequency::Annual)
    );
}

#[test]
fn a_trial_holds_one_seat_until_its_last_day() {
    let placement = place("6-trial");
    let sub = &placement.account.subscriptions()[0];
    assert_eq!(sub.id, "sub_remote-support");
    assert_eq!(sub.status, SubscriptionStatus::Trial);
    assert_eq!(sub.seats.get(), 1);
    assert_eq!(sub.period.end(), date("2026-12-06"));
    assert!(!placement.assign_licenses);
}

/// Places an order at a date; new subscriptions get ids named after their product.
fn place_at(
    account: &billing::Account,
    order: &billing::Order,
    as_of: &str,
) -> Result<billing::Placement, billing::OrderError> {
    apply_order(Catalog::bundled(), account, order, date(as_of), |product| {
        format!("sub_{product}")
    })
}

fn rossi(subscriptions: Vec<serde_json::Value>) -> billing::Account {
    account(
        json!({"id": "acc", "country": "IT", "currency": "EUR", "subscriptions": subscriptions}),
    )
}

#[test]
fn buying_after_a_trial_replaces_the_trial_with_a_paid_subscription() {
    let account = rossi(vec![subscription(
        "sub_t",
        "webinar",
        "lite",
        1,
        "monthly",
        "trial",
        ("2026-11-10", "2026-11-24"),
    )]);
    let order = order(
        r#"{"items":[{"op":"buy","product":"webinar","tier":"pro","seats":3,"frequency":"annual"}]}"#,
    );
    let placement = place_at(&account, &order, "2026-11-20").expect("placed");
    let subs = placement.account.subscriptions();
    assert_eq!(subs.len(), 1);
    assert_eq!(
        (subs[0].id.as_str(), subs[0].status),
        ("sub_t", SubscriptionStatus::Active)
    );
    assert_eq!(
        placement.quote.lines.len(),
        1,
        "no credit after a trial (R13)"
    );
    assert_eq!(placement.quote.subtotal.to_string(), "7164.00");
}

#[test]
fn reactivating_an_expired_subscription_is_a_full_purchase_of_any_tier() {
    let account = rossi(vec![subscription(
        "sub_x",
        "meeting",
        "business",
        3,
        "monthly",
        "expired",
        ("2026-09-01", "2026-10-01"),
    )]);
    let order = order(
        r#"{"items":[{"op":"reactivate","subscription":"sub_x","tier":"professional","seats":2,"frequency":"monthly"}]}"#,
    );
    let placement = place_at(&account, &order, "2026-11-16")
        .expect("a lower tier is fine when reactivating (R15)");
    assert_eq!(placement.quote.subtotal.to_string(), "28.00");
    let sub = &placement.account.subscriptions()[0];
    assert_eq!(
        (sub.status, sub.period.start()),
        (SubscriptionStatus::Active, date("2026-11-16"))
    );
}

#[test]
fn cancel_and_resume_toggle_renewal_at_no_charge() {
    let active = rossi(vec![subscription(
        "s",
        "meeting",
        "business",
        3,
        "monthly",
        "active",
        ("2026-11-01", "2026-12-01"),
    )]);
    let cancel = order(r#"{"items":[{"op":"cancel","subscription":"s"}]}"#);
    let cancelled = place_at(&active, &cancel, "2026-11-16").expect("cancelled");
    assert_eq!(cancelled.quote.total.to_string(), "0.00");
    assert_eq!(
        cancelled.account.subscriptions()[0].status,
        SubscriptionStatus::PendingCancellation
    );
    assert_eq!(
        cancelled.account.subscriptions()[0].period.end(),
        date("2026-12-01"),
        "service continues (R14)"
    );
    let resume = order(r#"{"items":[{"op":"resume","subscription":"s"}]}"#);
    let resumed = place_at(&cancelled.account, &resume, "2026-11-20").expect("resumed");
    assert_eq!(
        resumed.account.subscriptions()[0].status,
        SubscriptionStatus::Active
    );
    let again = quote(
        Catalog::bundled(),
        &cancelled.account,
        &cancel,
        date("2026-11-20"),
    );
    assert_eq!(
        again.expect_err("already cancelled").code(),
        "subscription_not_active"
    );
}

#[test]
fn a_valid_vat_id_is_saved_with_the_order_and_an_empty_one_removes_it() {
    let account = rossi(vec![subscription(
        "s",
        "meeting",
        "business",
        3,
        "monthly",
        "active",
        ("2026-11-01", "2026-12-01"),
    )]);
    let with_id =
        order(r#"{"items":[{"op":"cancel","subscription":"s"}],"vat_id":"IT 00743110157"}"#);
    let placed = place_at(&account, &with_id, "2026-11-16").expect("placed");
    assert_eq!(
        placed.account.vat_id().map(|id| id.as_str()),
        Some("IT00743110157")
    );
    let resume_removing = order(r#"{"items":[{"op":"resume","subscription":"s"}],"vat_id":""}"#);
    let removed = place_at(&placed.account, &resume_removing, "2026-11-17").expect("placed");
    assert_eq!(removed.account.vat_id(), None);
}

#[test]
fn a_refused_order_names_its_error_code() {
    let account = rossi(vec![
        subscription(
            "s1",
            "meeting",
            "professional",
            5,
            "monthly",
            "active",
            ("2026-11-01", "2026-12-01"),
        ),
        subscription(
            "s2",
            "webinar",
            "lite",
            1,
            "monthly",
            "pending_cancellation",
            ("2026-11-05", "2026-12-05"),
        ),
        subscription(
            "s3",
            "remote-support",
            "standard",
            1,
            "monthly",
            "expired",
            ("2026-09-01", "2026-10-01"),
        ),
    ]);
    let as_of = date("2026-11-16");
    let cases = [
        (
            r#"{"items":[{"op":"change","subscription":"s1","seats":251}]}"#,
            "invalid_seats",
        ),
        (
            r#"{"items":[{"op":"change","subscription":"s1","seats":5}]}"#,
            "no_change",
        ),
        (
            r#"{"items":[{"op":"change","subscription":"s1","tier":"gold"}]}"#,
            "unknown_tier",
        ),
        (
            r#"{"items":[{"op":"change","subscription":"nope","seats":6}]}"#,
            "unknown_subscription",
        ),
        (
            r#"{"items":[{"op":"change","subscription":"s2","seats":2}]}"#,
            "subscription_not_active",
        ),
        (
            r#"{"items":[{"op":"change","subscription":"s3","seats":2}]}"#,
            "subscription_not_active",
        ),
        (
            r#"{"items":[{"op":"buy","product":"meeting","tier":"business","seats":1,"frequency":"monthly"}]}"#,
            "product_already_subscribed",
        ),
        (
            r#"{"items":[{"op":"buy","product":"webinar","tier":"pro","seats":1,"frequency":"monthly"}]}"#,
            "product_already_subscribed",
        ),
        (
            r#"{"items":[{"op":"buy","product":"chat","tier":"pro","seats":1,"frequency":"monthly"}]}"#,
            "unknown_product",
        ),
        (
            r#"{"items":[{"op":"trial","product":"remote-support","tier":"standard"}]}"#,
            "trial_not_available",
        ),
        (
            r#"{"items":[{"op":"resume","subscription":"s1"}]}"#,
            "subscription_not_cancelled",
        ),
        (
            r#"{"items":[{"op":"reactivate","subscription":"s1","tier":"business","seats":1,"frequency":"monthly"}]}"#,
            "subscription_not_expired",
        ),
        (
            r#"{"items":[{"op":"change","subscription":"s1","seats":6},{"op":"cancel","subscription":"s1"}]}"#,
            "duplicate_item",
        ),
        (
            r#"{"items":[{"op":"cancel","subscription":"s1"}],"vat_id":"DE123456789"}"#,
            "invalid_vat_id",
        ),
    ];
    for (json, code) in cases {
        let error = quote(Catalog::bundled(), &account, &order(json), as_of).expect_err(json);
        assert_eq!(error.code(), code, "{json}");
    }
}

#[test]
fn a_corporate_account_cannot_order_self_service() {
    let corporate = account(
        json!({"id": "acme", "kind": "corporate", "country": "DE", "currency": "EUR",
        "subscriptions": [subscription("s", "meeting", "business", 120, "annual", "active", ("2026-03-01", "2027-03-01"))]}),
    );
    let error = quote(
        Catalog::bundled(),
        &corporate,
        &order(r#"{"items":[{"op":"change","subscription":"s","seats":121}]}"#),
        date("2026-11-16"),
    );
    assert_eq!(error.expect_err("corporate").code(), "corporate_account");
}

#[test]
fn a_change_outside_the_current_period_is_refused_until_the_account_is_rolled_forward() {
    let account = rossi(vec![subscription(
        "s",
        "meeting",
        "professional",
        5,
        "monthly",
        "active",
        ("2026-11-01", "2026-12-01"),
    )]);
    let error = quote(
        Catalog::bundled(),
        &account,
        &order(r#"{"items":[{"op":"change","subscription":"s","seats":6}]}"#),
        date("2026-12-01"),
    );
    assert_eq!(error.expect_err("stale").code(), "as_of_outside_period");
}

#[test]
fn prices_follow_the_accounts_currency() {
    let account = account(json!({"id": "us", "country": "US", "currency": "USD"}));
    let quote = quote(Catalog::bundled(), &account, &order(r#"{"items":[{"op":"buy","product":"meeting","tier":"business","seats":2,"frequency":"annual"}]}"#), date("2026-11-16")).expect("priced");
    assert_eq!(
        (quote.currency.code(), quote.total.to_string()),
        ("USD", "456.00".to_owned())
    );
}
