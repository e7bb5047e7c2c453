//! The readers of this module against the wire contract (`crates/api`, issue 13 item 3): every
//! answer type the checkout reads is built as a value of the contract, written by serde_json as
//! the order server writes it, read back with [`super`]'s readers, and compared member by member.
//! A member renamed or retyped in the contract fails here, in `cargo test`, instead of failing
//! silently in the browser. The request bodies the checkout writes are read back by the
//! contract's serde reader the same way.

use api::{
    Account, AccountKind as WireKind, BillingContact, CancelReasonCode, CancellationReason,
    ErrorBody, ErrorCode, Frequency as WireFrequency, HistoryEntry, Item, Line as WireLine,
    LineKind as WireLineKind, NextPayment as WireNextPayment, Order, OrderKind, OrderStatus,
    Orders, PaymentMethod as WirePaymentMethod, Quote as WireQuote, Renewal, RenewalKind,
    RenewalStatus, SessionToken, SignIn, Subscription, SubscriptionStatus as WireStatus,
    Tax as WireTax,
};
use billing::{Catalog, Currency, Frequency, Money, SubscriptionStatus};
use serde::Serialize;

use super::*;
use crate::json;
use crate::model::{AccountData, PlacedOrder};

/// The JSON text serde_json writes for `value`, as the order server sends it.
fn written<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("the contract's types always serialize")
}

fn money(text: &str) -> Money {
    text.parse().expect("an amount")
}

fn date(text: &str) -> NaiveDate {
    parse_iso_date(text).expect("a date")
}

/// An account with every member the contract lets it have, and one subscription of each status.
fn full_account() -> Account {
    let statuses = [
        (WireStatus::Trial, WireFrequency::Monthly, false),
        (WireStatus::Active, WireFrequency::Annual, true),
        (
            WireStatus::PendingCancellation,
            WireFrequency::Monthly,
            false,
        ),
        (WireStatus::Expired, WireFrequency::Annual, false),
    ];
    let products = ["meeting", "webinar", "remote-support", "fax"];
    Account {
        id: "acc_contract".into(),
        name: "Contratto S.p.A.".into(),
        kind: WireKind::Standard,
        country: "IT".into(),
        currency: "EUR".into(),
        vat_id: Some("IT00743110157".into()),
        credit: "12.50".into(),
        billing_contact: Some(BillingContact {
            name: "Giulia Rossi".into(),
            email: "giulia.rossi@example.com".into(),
        }),
        is_billing_contact: true,
        payment_methods: vec![WirePaymentMethod {
            id: "pm_1".into(),
            brand: "visa".into(),
            last4: "4242".into(),
            exp: "2028-04".into(),
        }],
        subscriptions: statuses
            .into_iter()
            .zip(products)
            .enumerate()
            .map(
                |(n, ((status, frequency, auto_renew), product))| Subscription {
                    id: format!("sub_{n}"),
                    product: product.into(),
                    tier: "business".into(),
                    // A trial holds one seat (R11).
                    seats: if status == WireStatus::Trial {
                        1
                    } else {
                        3 + u32::try_from(n).expect("small")
                    },
                    frequency,
                    status,
                    auto_renew,
                    period_start: "2026-11-01".into(),
                    period_end: "2026-12-01".into(),
                },
            )
            .collect(),
        next_payment: Some(WireNextPayment {
            date: "2026-12-01".into(),
            amount: "85.40".into(),
            credit_applied: "12.50".into(),
        }),
        as_of: "2026-11-16".into(),
    }
}

fn read_account(account: &Account) -> AccountView {
    json::parse(&written(account))
        .and_then(|v| account_view(&v))
        .expect("the checkout reads the account the contract writes")
}

#[test]
fn an_account_reads_member_by_member() {
    let wire = full_account();
    let view = read_account(&wire);
    assert_eq!(view.id, wire.id);
    assert_eq!(view.name, wire.name);
    assert_eq!(view.kind, AccountKind::Standard);
    assert_eq!(view.country.code(), wire.country);
    assert_eq!(view.currency, Currency::Eur);
    assert_eq!(view.vat_id, wire.vat_id);
    assert_eq!(view.credit, money("12.50"));
    let contact = view.billing_contact.as_ref().expect("a billing contact");
    assert_eq!(
        (contact.name.as_str(), contact.email.as_str()),
        ("Giulia Rossi", "giulia.rossi@example.com")
    );
    assert!(view.is_billing_contact);
    assert_eq!(view.payment_methods.len(), 1);
    let card = &view.payment_methods[0];
    assert_eq!(
        (card.id.as_str(), card.brand.as_str(), card.last4.as_str()),
        ("pm_1", "visa", "4242")
    );
    assert_eq!(card.exp, "2028-04");
    let expected = [
        (SubscriptionStatus::Trial, Frequency::Monthly, false),
        (SubscriptionStatus::Active, Frequency::Annual, true),
        (
            SubscriptionStatus::PendingCancellation,
            Frequency::Monthly,
            false,
        ),
        (SubscriptionStatus::Expired, Frequency::Annual, false),
    ];
    assert_eq!(view.subscriptions.len(), expected.len());
    for ((read, wire), (status, frequency, auto_renew)) in view
        .subscriptions
        .iter()
        .zip(&wire.subscriptions)
        .zip(expected)
    {
        assert_eq!(read.id, wire.id);
        assert_eq!(read.product, wire.product);
        assert_eq!(read.tier, wire.tier);
        assert_eq!(read.seats, wire.seats);
        assert_eq!(read.frequency, frequency);
        assert_eq!(read.status, status);
        assert_eq!(read.auto_renew, Some(auto_renew));
        assert_eq!(read.period_start, date("2026-11-01"));
        assert_eq!(read.period_end, date("2026-12-01"));
    }
    let next = view.next_payment.expect("a next payment");
    assert_eq!(next.date, date("2026-12-01"));
    assert_eq!(next.amount, money("85.40"));
    assert_eq!(next.credit_applied, money("12.50"));
    assert_eq!(view.as_of, date("2026-11-16"));
}

#[test]
fn every_optional_shape_of_the_account_reads() {
    // No billing contact, no VAT id, no next payment, a corporate account (S50).
    let wire = Account {
        kind: WireKind::Corporate,
        vat_id: None,
        billing_contact: None,
        is_billing_contact: false,
        next_payment: None,
        payment_methods: Vec::new(),
        ..full_account()
    };
    let view = read_account(&wire);
    assert_eq!(view.kind, AccountKind::Corporate);
    assert_eq!(view.vat_id, None);
    assert_eq!(view.billing_contact, None);
    assert_eq!(view.contact_label(), None);
    assert!(!view.is_billing_contact);
    assert!(view.payment_methods.is_empty());
    assert_eq!(view.next_payment, None);
    // The engine takes the account the contract writes, for previews.
    let data = AccountData::from_json(&written(&wire)).expect("the engine's account");
    assert_eq!(data.account.subscriptions().len(), 4);
}

/// A quote with a line of every kind.
fn quote() -> WireQuote {
    let kinds = [
        WireLineKind::Charge,
        WireLineKind::ProrationCredit,
        WireLineKind::Trial,
        WireLineKind::Cancel,
        WireLineKind::Resume,
    ];
    WireQuote {
        catalog_version: "2026-11-01".into(),
        as_of: "2026-11-16".into(),
        currency: "EUR".into(),
        lines: kinds
            .into_iter()
            .enumerate()
            .map(|(n, kind)| WireLine {
                item: u32::try_from(n).expect("small"),
                kind,
                description: format!("line {n}"),
                period_start: "2026-11-16".into(),
                period_end: "2026-12-01".into(),
                seats: 8,
                unit_price: "19.00".into(),
                amount: "-35.00".into(),
            })
            .collect(),
        subtotal: "70.00".into(),
        tax: WireTax {
            rate: "22".into(),
            amount: "15.40".into(),
            reverse_charge: false,
            country: "IT".into(),
        },
        total: "85.40".into(),
        credit_applied: "0.00".into(),
        amount_due: "85.40".into(),
        credit_after: "0.00".into(),
    }
}

/// Compares a quote read by the checkout with the contract's value it was written from.
fn assert_same_quote(read: &Quote, wire: &WireQuote) {
    assert_eq!(read.catalog_version, wire.catalog_version.as_str());
    assert_eq!(read.as_of, date(wire.as_of.as_str()));
    assert_eq!(read.currency.code(), wire.currency);
    let kinds = [
        LineKind::Charge,
        LineKind::ProrationCredit,
        LineKind::Trial,
        LineKind::Cancel,
        LineKind::Resume,
    ];
    assert_eq!(read.lines.len(), wire.lines.len());
    for ((line, wire_line), kind) in read.lines.iter().zip(&wire.lines).zip(kinds) {
        assert_eq!(line.item, usize::try_from(wire_line.item).expect("small"));
        assert_eq!(line.kind, kind);
        assert_eq!(line.description, wire_line.description);
        assert_eq!(line.period_start, date(wire_line.period_start.as_str()));
        assert_eq!(line.period_end, date(wire_line.period_end.as_str()));
        assert_eq!(line.seats, wire_line.seats);
        assert_eq!(line.unit_price, money(wire_line.unit_price.as_str()));
        assert_eq!(line.amount, money(wire_line.amount.as_str()));
    }
    assert_eq!(read.subtotal, money(wire.subtotal.as_str()));
    assert_eq!(read.tax.rate.to_string(), wire.tax.rate);
    assert_eq!(read.tax.amount, money(wire.tax.amount.as_str()));
    assert_eq!(read.tax.reverse_charge, wire.tax.reverse_charge);
    assert_eq!(read.tax.country.code(), wire.tax.country);
    assert_eq!(read.total, money(wire.total.as_str()));
    assert_eq!(read.credit_applied, money(wire.credit_applied.as_str()));
    assert_eq!(read.amount_due, money(wire.amount_due.as_str()));
    assert_eq!(read.credit_after, money(wire.credit_after.as_str()));
}

fn order(status: OrderStatus) -> Order {
    let mut order = Order::from_quote(
        quote(),
        "ord_7".into(),
        "2026-11-16T09:30:00Z".into(),
        status,
        true,
    );
    // The members the checkout does not read must not stop it from reading the rest.
    order.cancellation_reasons = vec![CancellationReason {
        item: 3,
        subscription: "sub_2".into(),
        code: CancelReasonCode::TooExpensive,
        text: Some("troppo caro".into()),
    }];
    order
}

/// A renewal entry of the history (R28) as the server writes it: the checkout does not show
/// renewals yet, so its reader skips them.
fn renewal(status: RenewalStatus) -> Renewal {
    let quote = quote();
    Renewal {
        kind: RenewalKind::Renewal,
        id: "ren_sub_1_20261201".into(),
        status,
        placed_at: "2026-12-01T06:00:00Z".into(),
        date: "2026-12-01".into(),
        subscription: "sub_1".into(),
        product: "collaboration".into(),
        period_start: "2026-12-01".into(),
        period_end: "2027-01-01".into(),
        seats: 5,
        unit_price: "10.00".into(),
        subtotal: quote.subtotal.clone(),
        tax: quote.tax.clone(),
        total: quote.total.clone(),
        credit_applied: quote.credit_applied.clone(),
        amount_due: quote.amount_due.clone(),
        amount_paid: quote.amount_due.clone(),
        currency: quote.currency.clone(),
        card: None,
        next_retry: Some("2026-12-02".into()),
        payable: true,
        billing_info: None,
    }
}

#[test]
fn an_order_of_every_status_reads_with_its_quote() {
    for status in [OrderStatus::Paid, OrderStatus::NoPaymentNeeded] {
        let wire = order(status);
        assert_eq!(wire.kind, OrderKind::Order);
        let read = PlacedOrder::from_json(&written(&wire)).expect("the order reads");
        assert_eq!(read.id, wire.id);
        assert_eq!(read.placed_at, wire.placed_at.as_str());
        assert_eq!(read.date(), Some(date("2026-11-16")));
        assert_eq!(read.paid, status == OrderStatus::Paid, "{status:?}");
        assert_eq!(read.assign_licenses, wire.assign_licenses);
        assert_same_quote(&read.quote, &quote());
    }
}

#[test]
fn the_history_reads_every_order_and_skips_renewals() {
    let wire = Orders {
        orders: vec![
            HistoryEntry::Renewal(Box::new(renewal(RenewalStatus::PaymentFailed))),
            HistoryEntry::Order(Box::new(order(OrderStatus::Paid))),
            HistoryEntry::Renewal(Box::new(renewal(RenewalStatus::Paid))),
            HistoryEntry::Order(Box::new(order(OrderStatus::NoPaymentNeeded))),
        ],
    };
    let read = PlacedOrder::list_from_json(&written(&wire));
    assert_eq!(read.len(), 2);
    assert!(read[0].paid && !read[1].paid);
    assert!(
        read[1].billed_to.is_empty(),
        "an order without billing_info prints none"
    );
    assert_same_quote(&read[1].quote, &quote());
    assert!(PlacedOrder::list_from_json(&written(&Orders { orders: Vec::new() })).is_empty());
}

#[test]
fn a_history_order_carries_the_billing_information_it_was_placed_with() {
    let mut placed = order(OrderStatus::Paid);
    placed.billing_info = Some(Some(api::BillingInfo {
        company: "Rossi S.r.l.".into(),
        country: "IT".into(),
        address: Some(api::Address {
            line1: "Corso Francia 10".into(),
            line2: None,
            city: "Torino".into(),
            postal_code: "10138".into(),
            region: None,
        }),
        vat_id: Some("IT00743110157".into()),
    }));
    let wire = Orders {
        orders: vec![HistoryEntry::Order(Box::new(placed))],
    };
    let read = PlacedOrder::list_from_json(&written(&wire));
    assert_eq!(
        read[0].billed_to,
        [
            "Rossi S.r.l.",
            "Corso Francia 10",
            "10138 Torino",
            "IT00743110157"
        ]
    );
}

#[test]
fn every_error_code_reads_and_a_price_change_carries_its_quote() {
    for code in ErrorCode::ALL {
        let wire = ErrorBody::new(code, "a message".into(), Some("items[0].seats".into()));
        let read = crate::model::ApiError::from_json(&written(&wire));
        assert_eq!(read.code, code.as_str());
        assert_eq!(read.quote, None);
    }
    let changed = ErrorBody {
        quote: Some(quote()),
        ..ErrorBody::new(ErrorCode::PriceChanged, "changed".into(), None)
    };
    let read = crate::model::ApiError::from_json(&written(&changed));
    assert_eq!(read.code, "price_changed");
    assert_same_quote(&read.quote.expect("the fresh quote"), &quote());
}

#[test]
fn a_session_token_reads() {
    let wire = SessionToken {
        token: "tok_abc".into(),
    };
    let read = json::parse(&written(&wire)).and_then(|v| session_token(&v));
    assert_eq!(read.as_deref(), Some("tok_abc"));
}

#[test]
fn the_catalog_the_contract_writes_reads_as_the_engine_validates_it() {
    // The contract's catalog as the server writes it: the engine's catalog through the contract.
    let wire: api::Catalog = serde_json::from_value(
        serde_json::to_value(Catalog::bundled()).expect("the engine writes its catalog"),
    )
    .expect("the contract reads the engine's catalog");
    let read = Catalog::from_answer(&written(&wire)).expect("the checkout reads the catalog");
    assert_eq!(&read, Catalog::bundled());
    assert_eq!(read.version(), wire.version.as_str());
    assert_eq!(read.support().phone, wire.support.phone);
    let tier = &wire.products[0].tiers[0];
    let engine_tier = read.products()[0].tier(&tier.id).expect("the tier");
    assert_eq!(
        engine_tier.price(Currency::Eur, Frequency::Monthly),
        Some(money(tier.prices["EUR"].monthly.as_str()))
    );
    assert_eq!(
        engine_tier.features_in("it"),
        tier.translations["it"].features
    );
}

#[test]
fn the_cancellation_reasons_the_checkout_writes_are_the_contract_s() {
    use crate::model::{CancelReason, REASON_CODES};
    // The page offers every code of the contract, in its order (R29).
    let codes: Vec<CancelReasonCode> = REASON_CODES
        .iter()
        .map(|code| serde_json::from_value(serde_json::Value::from(*code)).expect("a code"))
        .collect();
    assert_eq!(
        codes,
        [
            CancelReasonCode::TooExpensive,
            CancelReasonCode::MissingFeatures,
            CancelReasonCode::Switching,
            CancelReasonCode::NotUsing,
            CancelReasonCode::Other,
        ]
    );
    // Every code with a note, a code alone, a note alone (S106: `other`), and nothing.
    let note = " Nota «è» \"x\" ";
    let mut fields: Vec<(&str, &str)> = REASON_CODES.iter().map(|c| (*c, note)).collect();
    fields.extend([("switching", ""), ("", "Solo una nota"), ("", " ")]);
    let subscription = |i: usize| format!("sub_{i}");
    let items: Vec<ItemInput> = (0..fields.len())
        .map(|i| ItemInput::Cancel {
            subscription: subscription(i),
            reason: None,
        })
        .collect();
    let reasons: Vec<CancelReason> = fields
        .iter()
        .enumerate()
        .filter_map(|(i, (code, text))| CancelReason::new(&subscription(i), code, text))
        .collect();
    let request = crate::model::order_request(items, "", None);
    let wire: api::OrderRequest = serde_json::from_str(&order_request_with(&request, &reasons))
        .expect("the contract reads the request");
    let reason = |code, text: Option<&str>| {
        Some(api::CancelReason {
            code,
            text: text.map(str::to_owned),
        })
    };
    let mut expected: Vec<Option<api::CancelReason>> = codes
        .iter()
        .map(|code| reason(*code, Some(note.trim())))
        .collect();
    expected.extend([
        reason(CancelReasonCode::Switching, None),
        reason(CancelReasonCode::Other, Some("Solo una nota")),
        None,
    ]);
    let expected: Vec<Item> = expected
        .into_iter()
        .enumerate()
        .map(|(i, reason)| Item::Cancel {
            subscription: subscription(i),
            reason,
        })
        .collect();
    assert_eq!(wire.items, expected);
    // The stored cart (S51) reads the reasons back as the contract writes them.
    let read = json::parse(&written(&wire)).map(|v| order_reasons(&v));
    assert_eq!(read, Some(reasons));
}

#[test]
fn the_request_bodies_the_checkout_writes_are_the_contract_s() {
    let request = OrderRequest {
        items: vec![
            ItemInput::Change {
                subscription: "sub_1".into(),
                tier: Some("business".into()),
                seats: Some(serde_json::Value::from(8)),
                frequency: Some(Frequency::Annual),
            },
            ItemInput::Buy {
                product: "webinar".into(),
                tier: "standard".into(),
                seats: serde_json::Value::from(3),
                frequency: Frequency::Monthly,
            },
            ItemInput::Trial {
                product: "remote-support".into(),
                tier: "standard".into(),
            },
            ItemInput::Cancel {
                subscription: "sub_2".into(),
                reason: None,
            },
            ItemInput::Resume {
                subscription: "sub_3".into(),
            },
            ItemInput::Reactivate {
                subscription: "sub_4".into(),
                tier: "business".into(),
                seats: serde_json::Value::from(12),
                frequency: Frequency::Annual,
            },
        ],
        vat_id: Some("IT00743110157".into()),
        as_of: None,
        expected_total: Some(money("93.94")),
        payment_method: Some("pm_1".into()),
    };
    let wire: api::OrderRequest =
        serde_json::from_str(&order_request(&request)).expect("the contract reads the request");
    assert_eq!(
        wire.items,
        vec![
            Item::Change {
                subscription: "sub_1".into(),
                tier: Some("business".into()),
                seats: Some(8),
                frequency: Some(WireFrequency::Annual),
            },
            Item::Buy {
                product: "webinar".into(),
                tier: "standard".into(),
                seats: 3,
                frequency: WireFrequency::Monthly,
            },
            Item::Trial {
                product: "remote-support".into(),
                tier: "standard".into(),
            },
            Item::Cancel {
                subscription: "sub_2".into(),
                reason: None,
            },
            Item::Resume {
                subscription: "sub_3".into(),
            },
            Item::Reactivate {
                subscription: "sub_4".into(),
                tier: "business".into(),
                seats: 12,
                frequency: WireFrequency::Annual,
            },
        ]
    );
    assert_eq!(wire.vat_id.as_deref(), Some("IT00743110157"));
    assert_eq!(wire.as_of, None);
    assert_eq!(
        wire.expected_total.as_ref().map(api::Money::as_str),
        Some("93.94")
    );
    assert_eq!(wire.payment_method.as_deref(), Some("pm_1"));
    // The stored cart (S51) holds the same request and reads back through the contract too.
    let items = json::parse(&written(&wire))
        .and_then(|v| order_items(&v))
        .expect("the cart's items read");
    assert_eq!(items, request.items);

    let sign_in: SignIn =
        serde_json::from_str(&credentials("a@b.c", "p\"w")).expect("the contract reads it");
    assert_eq!(
        (sign_in.email.as_str(), sign_in.password.as_str()),
        ("a@b.c", "p\"w")
    );
}
