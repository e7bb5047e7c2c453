//! The wire types read what the engine and api.md write and write it back unchanged, and the
//! engine accepts what they write: the contract and the engine's own wire types cannot drift
//! apart unnoticed.

use std::fs;
use std::path::{Path, PathBuf};

use api::{
    Account, Catalog, ErrorBody, ErrorCode, HistoryEntry, Item, Order, OrderRequest, OrderStatus,
    Quote, Renewal, RenewalStatus,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// Reads `value` as `T` and writes it back: the JSON must come out as it went in.
fn round_trip<T: Serialize + DeserializeOwned>(value: &Value) -> T {
    let typed: T =
        serde_json::from_value(value.clone()).unwrap_or_else(|error| panic!("{error}: {value}"));
    let written = serde_json::to_value(&typed).expect("the type writes JSON");
    assert_eq!(&written, value, "written back differently");
    typed
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../billing/tests/worked-examples")
}

fn read_json(path: &Path) -> Value {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).expect("a JSON file")
}

#[test]
fn the_bundled_catalog_is_read_and_written_back_unchanged() {
    let engine = serde_json::to_value(billing::Catalog::bundled()).expect("the catalog writes");
    let catalog: Catalog = round_trip(&engine);
    assert_eq!(catalog.version.as_str(), "2026-11-01");
    assert_eq!(
        catalog.products[0].tiers[0].prices["EUR"].monthly.as_str(),
        "14.00"
    );
    assert!(
        catalog.products[0].tiers[0].translations.contains_key("it"),
        "the Italian texts travel too"
    );
    // What the contract writes, the engine reads as a catalog again.
    let text = serde_json::to_string(&catalog).expect("writes");
    assert_eq!(
        &billing::Catalog::from_json(&text).expect("the engine reads it"),
        billing::Catalog::bundled()
    );
}

#[test]
fn every_worked_example_quote_and_error_is_read_and_written_back_unchanged() {
    let mut quotes = 0;
    let mut errors = 0;
    for entry in fs::read_dir(examples()).expect("the worked examples") {
        let dir = entry.expect("an entry").path();
        let expected = read_json(&dir.join("expected.json"));
        if expected.get("error").is_some() {
            let body: ErrorBody = round_trip(&expected);
            assert_eq!(body.error.code.as_str(), expected["error"]["code"]);
            errors += 1;
        } else {
            let quote: Quote = round_trip(&expected);
            assert!(!quote.lines.is_empty());
            quotes += 1;
        }
        let order = read_json(&dir.join("order.json"));
        let request: OrderRequest = round_trip(&order);
        let text = serde_json::to_string(&request).expect("writes");
        billing::OrderRequest::from_json(&text).expect("the engine reads the request");
    }
    assert!(
        quotes >= 5 && errors >= 1,
        "{quotes} quotes, {errors} errors"
    );
}

#[test]
fn the_order_request_of_api_md_is_read_by_the_contract_and_the_engine() {
    let request = json!({"items":[
        {"op":"change","subscription":"sub_1","tier":"business","seats":8,"frequency":"annual"},
        {"op":"buy","product":"webinar","tier":"standard","seats":3,"frequency":"monthly"},
        {"op":"trial","product":"remote-support","tier":"standard"},
        {"op":"cancel","subscription":"sub_2","reason":{"code":"switching","text":"cheaper"}},
        {"op":"resume","subscription":"sub_3"},
        {"op":"reactivate","subscription":"sub_4","tier":"pro","seats":2,"frequency":"annual"}],
     "vat_id":"IT00743110157","expected_total":"93.94","payment_method":"pm_1"});
    let typed: OrderRequest = round_trip(&request);
    assert!(matches!(
        &typed.items[3],
        Item::Cancel {
            reason: Some(_),
            ..
        }
    ));
    let engine = billing::OrderRequest::from_json(&request.to_string()).expect("engine reads");
    assert_eq!(engine.cancel_reasons().expect("a valid reason").len(), 1);
    // A change with only some of its parts leaves the others out, as api.md writes it.
    let change: OrderRequest =
        round_trip(&json!({"items":[{"op":"change","subscription":"sub_1","seats":2}]}));
    assert_eq!(change.items.len(), 1);
}

#[test]
fn requests_refuse_unknown_fields_as_the_server_does() {
    let unknown = json!({"items":[], "price":"1.00"});
    assert!(serde_json::from_value::<OrderRequest>(unknown).is_err());
    let unknown_in_item = json!({"items":[{"op":"resume","subscription":"s","seats":1}]});
    assert!(serde_json::from_value::<OrderRequest>(unknown_in_item).is_err());
    let sign_in = json!({"email":"a@b.c","password":"x","remember":true});
    assert!(serde_json::from_value::<api::SignIn>(sign_in).is_err());
}

#[test]
fn the_account_of_api_md_is_read_and_written_back_unchanged() {
    let account = json!({"id":"acc_rossi","name":"Rossi S.r.l.","kind":"standard","country":"IT",
        "currency":"EUR","vat_id":null,"credit":"0.00",
        "billing_contact":{"name":"Giulia Rossi","email":"giulia.rossi@example.com"},
        "is_billing_contact":true,
        "payment_methods":[{"id":"pm_1","brand":"visa","last4":"4242","exp":"2028-04"}],
        "subscriptions":[{"id":"sub_1","product":"meeting","tier":"professional","seats":5,
          "frequency":"monthly","status":"active","auto_renew":true,
          "period_start":"2026-11-01","period_end":"2026-12-01"}],
        "next_payment":{"date":"2026-12-01","amount":"85.40","credit_applied":"0.00"},
        "as_of":"2026-11-16"});
    let typed: Account = round_trip(&account);
    assert!(typed.billing_contact.is_some());
    // S50: an account without a billing contact, and one with nothing to renew, are readable.
    let mut bare = account.clone();
    bare["billing_contact"] = Value::Null;
    bare["next_payment"] = Value::Null;
    let typed: Account = round_trip(&bare);
    assert!(typed.billing_contact.is_none() && typed.next_payment.is_none());
    // The engine reads the contract's account (it ignores the members it does not price with).
    billing::Account::from_json(&account.to_string()).expect("the engine reads it");
}

#[test]
fn orders_and_renewals_of_the_history_are_read_and_written_back_unchanged() {
    let quote = read_json(&examples().join("1-seats-up-mid-month/expected.json"));
    let mut order = quote.clone();
    order["id"] = json!("ord_1");
    order["kind"] = json!("order");
    order["placed_at"] = json!("2026-11-16T09:30:00Z");
    order["status"] = json!("paid");
    order["assign_licenses"] = json!(true);
    let typed: Order = round_trip(&order);
    assert_eq!(
        typed,
        Order::from_quote(
            serde_json::from_value(quote).expect("a quote"),
            "ord_1".to_owned(),
            "2026-11-16T09:30:00Z".into(),
            OrderStatus::Paid,
            true,
        )
    );
    // A receipt adds the billing information of its moment (R27, S77), null for an order placed
    // before receipts kept it: "null" and "absent" stay apart.
    let mut receipt = order.clone();
    receipt["billing_info"] =
        json!({"company": "Rossi S.r.l.", "country": "IT", "address": null, "vat_id": null});
    let typed: Order = round_trip(&receipt);
    assert_eq!(
        typed
            .billing_info
            .and_then(|info| info)
            .map(|info| info.company),
        Some("Rossi S.r.l.".to_owned())
    );
    let mut old_receipt = order.clone();
    old_receipt["billing_info"] = Value::Null;
    let typed: Order = round_trip(&old_receipt);
    assert_eq!(typed.billing_info, Some(None));
    // A renewal entry is not an order: it has no lines, and a status of its own (S73).
    let renewal = json!({
        "kind": "renewal", "id": "ren_sub_1_20261201", "status": "payment_failed",
        "placed_at": "2026-12-01T00:00:00Z", "date": "2026-12-01", "subscription": "sub_1",
        "product": "meeting", "period_start": "2026-12-01", "period_end": "2026-12-31",
        "seats": 5, "unit_price": "12.00", "subtotal": "60.00",
        "tax": {"rate": "22", "amount": "13.20", "reverse_charge": false, "country": "IT"},
        "total": "73.20", "credit_applied": "0.00", "amount_due": "73.20",
        "amount_paid": "0.00", "currency": "EUR", "card": null, "next_retry": "2026-12-02",
        "payable": true, "billing_info": null
    });
    let typed: Renewal = round_trip(&renewal);
    assert_eq!(typed.status, RenewalStatus::PaymentFailed);
    assert!(serde_json::from_value::<Order>(renewal.clone()).is_err());
    let mut pending = renewal.clone();
    pending["status"] = json!("pending");
    pending["next_retry"] = Value::Null;
    pending["payable"] = json!(false);
    assert_eq!(
        round_trip::<Renewal>(&pending).status,
        RenewalStatus::Pending
    );
    let mut reasons = order.clone();
    reasons["cancellation_reasons"] =
        json!([{"item":0,"subscription":"sub_2","code":"not_using","text":null}]);
    let typed: Order = round_trip(&reasons);
    assert_eq!(typed.cancellation_reasons.len(), 1);
    // The history tells its entries apart by their shape and kind.
    let history: api::Orders = round_trip(&json!({"orders": [order, renewal]}));
    assert!(matches!(history.orders[0], HistoryEntry::Order(_)));
    assert!(matches!(history.orders[1], HistoryEntry::Renewal(_)));
    assert_eq!(history.orders[1].id(), "ren_sub_1_20261201");
}

#[test]
fn error_bodies_carry_their_field_and_the_fresh_quote_only_when_they_have_one() {
    let plain = json!({"error":{"code":"unauthenticated","message":"sign in first"}});
    let typed: ErrorBody = round_trip(&plain);
    assert_eq!(typed.error.code, ErrorCode::Unauthenticated);
    let quote = read_json(&examples().join("1-seats-up-mid-month/expected.json"));
    let changed = json!({"error":{"code":"price_changed","message":"the price changed",
        "field":"expected_total"},"quote":quote});
    let typed: ErrorBody = round_trip(&changed);
    assert!(typed.quote.is_some());
}

#[test]
fn every_error_code_travels_as_its_text_and_is_found_by_it() {
    for code in ErrorCode::ALL {
        assert_eq!(
            serde_json::to_value(code).expect("writes"),
            Value::String(code.as_str().to_owned())
        );
        assert_eq!(ErrorCode::from_code(code.as_str()), Some(code));
    }
    assert_eq!(ErrorCode::from_code("no_such_code"), None);
}

/// A catalog built in the contract's types alone (not from the engine's), as the server's serde
/// writes it: the engine's one reader must read every member of it (issue 13).
#[test]
fn a_catalog_the_contract_writes_is_read_by_the_engine_member_by_member() {
    use api::{Product, Support, Tier, TierPrices, TierTexts};
    use billing::{Currency, Frequency};
    use std::collections::BTreeMap;

    let tier = |id: &str, rank: u32, seats: (u32, u32), eur: (&str, &str), gbp: (&str, &str)| {
        let prices = |(monthly, annual): (&str, &str)| TierPrices {
            monthly: monthly.into(),
            annual: annual.into(),
        };
        Tier {
            id: id.into(),
            name: id.to_uppercase(),
            rank,
            min_seats: seats.0,
            max_seats: seats.1,
            features: vec![format!("{id} feature")],
            translations: BTreeMap::new(),
            prices: BTreeMap::from([("EUR".into(), prices(eur)), ("GBP".into(), prices(gbp))]),
        }
    };
    let mut top = tier("top", 2, (5, 40), ("30.50", "300.00"), ("25.05", "250.00"));
    top.translations.insert(
        "it".into(),
        TierTexts {
            features: vec!["funzione top".into(), "assistenza".into()],
        },
    );
    let wire = Catalog {
        version: "2027-01-01".into(),
        seller_country: "IT".into(),
        currencies: vec!["GBP".into(), "EUR".into()],
        support: Support {
            phone: "+39 02 555 0100".into(),
            url: "https://support.example.it".into(),
        },
        vat_rates: BTreeMap::from([("IT".into(), "22".into()), ("HU".into(), "27".into())]),
        products: vec![Product {
            id: "fax".into(),
            name: "Fax".into(),
            trial_days: 30,
            // Written out of rank order: the engine orders tiers by rank (R4).
            tiers: vec![
                top,
                tier("base", 1, (1, 10), ("9.99", "99.00"), ("8.00", "80.00")),
            ],
        }],
    };
    let text = serde_json::to_string(&wire).expect("the contract writes");
    let read = billing::Catalog::from_answer(&text).expect("the engine reads the answer");
    assert_eq!(
        billing::Catalog::from_json(&text).as_ref(),
        Ok(&read),
        "a file reads the same"
    );
    assert_eq!(read.version(), "2027-01-01");
    assert_eq!(read.seller_country().code(), "IT");
    assert_eq!(read.currencies(), [Currency::Gbp, Currency::Eur]);
    assert!(!read.sells_in(Currency::Usd));
    assert_eq!(read.support().phone, wire.support.phone);
    assert_eq!(read.support().url, wire.support.url);
    for (code, rate) in &wire.vat_rates {
        let country = code.parse().expect("a country");
        assert_eq!(
            read.vat_rate(country).map(|r| r.to_string()).as_ref(),
            Some(rate)
        );
    }
    let [product] = read.products() else {
        panic!("one product")
    };
    let written = &wire.products[0];
    assert_eq!(
        (product.id(), product.name(), product.trial_days()),
        ("fax", "Fax", 30)
    );
    let ids: Vec<&str> = product.tiers().iter().map(|t| t.id()).collect();
    assert_eq!(ids, ["base", "top"]);
    for written in &written.tiers {
        let tier = product.tier(&written.id).expect("the tier");
        assert_eq!(tier.name(), written.name);
        assert_eq!(tier.rank(), written.rank);
        assert_eq!(
            (tier.min_seats(), tier.max_seats()),
            (written.min_seats, written.max_seats)
        );
        assert_eq!(tier.features(), written.features);
        let italian = written
            .translations
            .get("it")
            .map_or(&written.features, |texts| &texts.features);
        assert_eq!(tier.features_in("it"), italian.as_slice());
        for (code, prices) in &written.prices {
            let currency: Currency = code.parse().expect("a currency");
            let price = |frequency| tier.price(currency, frequency).map(|m| m.to_string());
            assert_eq!(
                price(Frequency::Monthly).as_deref(),
                Some(prices.monthly.as_str())
            );
            assert_eq!(
                price(Frequency::Annual).as_deref(),
                Some(prices.annual.as_str())
            );
        }
    }
    // What the engine writes back is what the contract wrote, tiers in rank order.
    let mut in_rank_order = wire.clone();
    in_rank_order.products[0].tiers.reverse();
    let again: Catalog =
        serde_json::from_value(serde_json::to_value(&read).expect("writes")).expect("reads");
    assert_eq!(again, in_rank_order);
}
