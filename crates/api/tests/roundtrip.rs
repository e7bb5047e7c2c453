//! The wire types read what the engine and api.md write and write it back unchanged, and the
//! engine accepts what they write: the contract and the engine's own wire types cannot drift
//! apart unnoticed.

use std::fs;
use std::path::{Path, PathBuf};

use api::{
    Account, Catalog, ErrorBody, ErrorCode, Item, Order, OrderKind, OrderRequest, OrderStatus,
    Quote,
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
            OrderKind::Order,
            "ord_1".to_owned(),
            "2026-11-16T09:30:00Z".into(),
            OrderStatus::Paid,
            true,
        )
    );
    let mut renewal = order.clone();
    renewal["kind"] = json!("renewal");
    renewal["status"] = json!("payment_failed");
    renewal["next_retry"] = json!("2026-12-02");
    let typed: Order = round_trip(&renewal);
    assert_eq!(typed.kind, OrderKind::Renewal);
    let mut reasons = order.clone();
    reasons["cancellation_reasons"] =
        json!([{"item":0,"subscription":"sub_2","code":"not_using","text":null}]);
    let typed: Order = round_trip(&reasons);
    assert_eq!(typed.cancellation_reasons.len(), 1);
    round_trip::<api::Orders>(&json!({"orders": [order, renewal]}));
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
