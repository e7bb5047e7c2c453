//! Fuzzes the quote with structured accounts and orders over the bundled catalog: it never
//! panics, the lines always sum to the subtotal, subtotal plus tax is the total, the credit is
//! settled as R19 says, and placing the order (`apply_order`) prices it exactly as the quote.
#![no_main]

use arbitrary::Arbitrary;
use billing::{Account, Catalog, Money, Order, OrderRequest, quote};
use chrono::{Days, NaiveDate};
use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};

const PRODUCTS: &[&str] = &["meeting", "webinar", "remote-support", "nope"];
const TIERS: &[&str] = &[
    "professional",
    "business",
    "lite",
    "standard",
    "pro",
    "premium",
    "x",
];
const COUNTRIES: &[&str] = &["IT", "DE", "FR", "IE", "US", "GB", "ES", "NL", "CH"];
const CURRENCIES: &[&str] = &["EUR", "USD", "GBP"];
const STATUSES: &[&str] = &["trial", "active", "pending_cancellation", "expired"];
const VAT_IDS: &[&str] = &[
    "IT00743110157",
    "DE123456789",
    "IT00743110158",
    "",
    "FR12345678901",
];

#[derive(Arbitrary, Debug)]
struct Sub {
    product: u8,
    tier: u8,
    seats: u16,
    annual: bool,
    status: u8,
    start_offset: u16,
}

#[derive(Arbitrary, Debug)]
enum Op {
    Change {
        sub: u8,
        tier: Option<u8>,
        seats: Option<u16>,
        annual: Option<bool>,
    },
    Buy {
        product: u8,
        tier: u8,
        seats: u16,
        annual: bool,
    },
    Trial {
        product: u8,
        tier: u8,
    },
    Cancel {
        sub: u8,
    },
    Resume {
        sub: u8,
    },
    Reactivate {
        sub: u8,
        tier: Option<u8>,
        seats: Option<u16>,
        annual: Option<bool>,
    },
}

#[derive(Arbitrary, Debug)]
struct Input {
    country: u8,
    currency: u8,
    credit_cents: u32,
    vat: Option<u8>,
    subs: Vec<Sub>,
    ops: Vec<Op>,
    order_vat: Option<u8>,
    as_of_offset: u16,
}

fn pick<'a>(list: &[&'a str], index: u8) -> &'a str {
    list[usize::from(index) % list.len()]
}

fn frequency(annual: bool) -> &'static str {
    if annual { "annual" } else { "monthly" }
}

fn sub_id(index: u8, count: usize) -> String {
    format!("sub_{}", usize::from(index) % (count + 1))
}

fn account_json(input: &Input, base: NaiveDate) -> Value {
    let subs: Vec<Value> = input
        .subs
        .iter()
        .take(4)
        .enumerate()
        .map(|(n, s)| {
            let start = base - Days::new(u64::from(s.start_offset % 400));
            let months = if s.annual { 12 } else { 1 };
            let end = start
                .checked_add_months(chrono::Months::new(months))
                .unwrap_or(start);
            json!({"id": format!("sub_{n}"), "product": pick(PRODUCTS, s.product),
                "tier": pick(TIERS, s.tier), "seats": s.seats % 300, "frequency": frequency(s.annual),
                "status": pick(STATUSES, s.status), "period_start": start.to_string(),
                "period_end": end.to_string()})
        })
        .collect();
    json!({"id": "acc", "kind": "standard", "country": pick(COUNTRIES, input.country),
        "currency": pick(CURRENCIES, input.currency),
        "vat_id": input.vat.map(|v| pick(VAT_IDS, v)).filter(|v| !v.is_empty()),
        "credit": format!("{}.{:02}", input.credit_cents / 100 % 10_000, input.credit_cents % 100),
        "subscriptions": subs})
}

fn order_json(input: &Input) -> Value {
    let count = input.subs.len().min(4);
    let items: Vec<Value> = input
        .ops
        .iter()
        .take(5)
        .map(|op| match op {
            Op::Change { sub, tier, seats, annual } | Op::Reactivate { sub, tier, seats, annual } => {
                let mut item = json!({"op": if matches!(op, Op::Change { .. }) { "change" } else { "reactivate" },
                    "subscription": sub_id(*sub, count)});
                if let Some(tier) = tier {
                    item["tier"] = pick(TIERS, *tier).into();
                }
                if let Some(seats) = seats {
                    item["seats"] = (seats % 300).into();
                }
                if let Some(annual) = annual {
                    item["frequency"] = frequency(*annual).into();
                }
                item
            }
            Op::Buy { product, tier, seats, annual } => json!({"op": "buy",
                "product": pick(PRODUCTS, *product), "tier": pick(TIERS, *tier),
                "seats": seats % 300, "frequency": frequency(*annual)}),
            Op::Trial { product, tier } => json!({"op": "trial",
                "product": pick(PRODUCTS, *product), "tier": pick(TIERS, *tier)}),
            Op::Cancel { sub } => json!({"op": "cancel", "subscription": sub_id(*sub, count)}),
            Op::Resume { sub } => json!({"op": "resume", "subscription": sub_id(*sub, count)}),
        })
        .collect();
    let mut order = json!({ "items": items });
    if let Some(vat) = input.order_vat {
        order["vat_id"] = pick(VAT_IDS, vat).into();
    }
    order
}

fuzz_target!(|input: Input| {
    let base = NaiveDate::from_ymd_opt(2026, 11, 16).expect("a date");
    let Ok(account) = serde_json::from_value::<Account>(account_json(&input, base)) else {
        return;
    };
    let Ok(request) = OrderRequest::from_json(&order_json(&input).to_string()) else {
        return;
    };
    let Ok(order) = Order::parse(&request) else {
        return;
    };
    let as_of = base + Days::new(u64::from(input.as_of_offset % 60));
    let catalog = Catalog::bundled();
    let Ok(q) = quote(catalog, &account, &order, as_of) else {
        return;
    };
    let zero = q.currency.zero();
    let lines: Money = q.lines.iter().map(|line| line.amount).sum::<Money>() + zero;
    assert_eq!(lines, q.subtotal, "lines must sum to the subtotal");
    assert_eq!(q.subtotal + q.tax.amount, q.total, "subtotal + tax = total");
    assert!(!q.amount_due.is_negative() && !q.credit_after.is_negative());
    if q.total.is_negative() {
        assert!(q.amount_due.is_zero() && q.credit_applied.is_zero());
        assert_eq!(q.credit_after, account.credit() - q.total);
    } else {
        assert_eq!(
            q.credit_applied + q.amount_due,
            q.total,
            "credit + due = total"
        );
        assert_eq!(q.credit_after, account.credit() - q.credit_applied);
    }
    let placed = billing::apply_order(catalog, &account, &order, as_of, |p| format!("new_{p}"))
        .expect("an order that quotes can be placed");
    assert_eq!(placed.quote, q, "placing prices as the quote");
    assert_eq!(
        placed.account.credit(),
        q.credit_after,
        "the credit after is stored"
    );
});
