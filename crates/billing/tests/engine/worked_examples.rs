//! The seven worked examples of billing-rules.md, number by number.

use billing::{Catalog, LineKind, quote};

use crate::fixtures::example;

fn amounts(name: &str) -> (Vec<String>, [String; 6]) {
    let (account, order, as_of) = example(name);
    let quote = quote(Catalog::bundled(), &account, &order, as_of).expect("priced");
    let lines = quote
        .lines
        .iter()
        .map(|line| line.amount.to_string())
        .collect();
    let totals = [
        quote.subtotal,
        quote.tax.amount,
        quote.total,
        quote.credit_applied,
        quote.amount_due,
        quote.credit_after,
    ]
    .map(|money| money.to_string());
    (lines, totals)
}

fn strings<const N: usize>(values: [&str; N]) -> Vec<String> {
    values.iter().map(|value| (*value).to_owned()).collect()
}

#[test]
fn example_1_seats_up_mid_month_costs_93_94() {
    let (lines, totals) = amounts("1-seats-up-mid-month");
    assert_eq!(lines, strings(["-35.00", "112.00"]));
    assert_eq!(totals, ["77.00", "16.94", "93.94", "0.00", "93.94", "0.00"]);
    let (account, order, as_of) = example("1-seats-up-mid-month");
    let quote = quote(Catalog::bundled(), &account, &order, as_of).expect("priced");
    assert_eq!(quote.lines[0].kind, LineKind::ProrationCredit);
    assert_eq!(
        (
            quote.lines[1].period_start.to_string(),
            quote.lines[1].period_end.to_string()
        ),
        ("2026-11-16".into(), "2026-12-16".into())
    );
}

#[test]
fn example_2_seats_down_on_an_annual_plan_still_costs_money() {
    let (lines, totals) = amounts("2-seats-down-annual");
    assert_eq!(lines, strings(["-257.75", "768.00"]));
    assert_eq!(
        totals,
        ["510.25", "112.26", "622.51", "0.00", "622.51", "0.00"]
    );
}

#[test]
fn example_3_net_credit_raises_the_account_credit() {
    let (lines, totals) = amounts("3-net-credit");
    assert_eq!(lines, strings(["-270.67", "28.00"]));
    assert_eq!(
        totals,
        ["-242.67", "-53.39", "-296.06", "0.00", "0.00", "296.06"]
    );
}

#[test]
fn example_4_upgrade_to_annual_is_reverse_charged_and_uses_the_credit() {
    let (lines, totals) = amounts("4-upgrade-annual-reverse-charge");
    assert_eq!(lines, strings(["-29.50", "1188.00"]));
    assert_eq!(
        totals,
        ["1158.50", "0.00", "1158.50", "100.00", "1058.50", "0.00"]
    );
    let (account, order, as_of) = example("4-upgrade-annual-reverse-charge");
    let quote = quote(Catalog::bundled(), &account, &order, as_of).expect("priced");
    assert!(quote.tax.reverse_charge);
}

#[test]
fn example_5_a_downgrade_is_refused() {
    let (account, order, as_of) = example("5-downgrade-refused");
    let error = quote(Catalog::bundled(), &account, &order, as_of).expect_err("refused");
    assert_eq!(error.code(), "downgrade_requires_support");
}

#[test]
fn example_6_a_trial_costs_nothing_and_lasts_14_days() {
    let (account, order, as_of) = example("6-trial");
    let quote = quote(Catalog::bundled(), &account, &order, as_of).expect("priced");
    assert_eq!(quote.lines.len(), 1);
    assert_eq!(quote.lines[0].kind, LineKind::Trial);
    assert_eq!(quote.lines[0].seats, 1);
    assert_eq!(quote.lines[0].period_end.to_string(), "2026-12-06");
    assert_eq!(quote.total.to_string(), "0.00");
    assert!(quote.amount_due.is_zero());
}

#[test]
fn example_7_a_monthly_period_from_january_31st_ends_february_28th() {
    let (account, order, as_of) = example("7-end-of-month");
    let quote = quote(Catalog::bundled(), &account, &order, as_of).expect("priced");
    assert_eq!(quote.lines[0].period_start.to_string(), "2026-01-31");
    assert_eq!(quote.lines[0].period_end.to_string(), "2026-02-28");
}
