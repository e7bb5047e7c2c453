//! Criterion benchmarks of the quote: one item (worked example 1) and ten items (a catalog of ten
//! products, each subscription changed). Run with `cargo bench -p billing`; figures are printed.

use std::hint::black_box;

use billing::{Account, Catalog, Order, OrderRequest, quote};
use chrono::NaiveDate;
use criterion::{Criterion, criterion_main};
use serde_json::{Value, json};

fn date(text: &str) -> NaiveDate {
    text.parse().expect("bench date")
}

fn subscription(id: &str, product: &str) -> Value {
    json!({"id": id, "product": product, "tier": "professional", "seats": 5, "frequency": "monthly",
           "status": "active", "period_start": "2026-11-01", "period_end": "2026-12-01"})
}

fn parse_order(items: Vec<Value>) -> Order {
    let request: OrderRequest =
        serde_json::from_value(json!({ "items": items })).expect("bench order");
    Order::parse(&request).expect("valid bench order")
}

/// The bundled catalog with nine more copies of `meeting`, so one order can hold ten items.
fn ten_product_catalog() -> Catalog {
    let mut catalog: Value =
        serde_json::from_str(billing::catalog::BUNDLED_CATALOG_JSON).expect("catalog JSON");
    let meeting = catalog["products"][0].clone();
    let products = catalog["products"].as_array_mut().expect("products");
    for index in 1..10 {
        let mut copy = meeting.clone();
        copy["id"] = format!("meeting-{index}").into();
        products.push(copy);
    }
    Catalog::from_json(&catalog.to_string()).expect("valid bench catalog")
}

fn benchmarks(c: &mut Criterion) {
    let one_account: Account = serde_json::from_value(json!({
        "id": "acc", "country": "IT", "currency": "EUR", "subscriptions": [subscription("sub_1", "meeting")]
    }))
    .expect("bench account");
    let one_order = parse_order(vec![
        json!({"op": "change", "subscription": "sub_1", "seats": 8}),
    ]);
    let as_of = date("2026-11-16");
    c.bench_function("quote 1 item", |b| {
        b.iter(|| {
            quote(
                black_box(Catalog::bundled()),
                black_box(&one_account),
                black_box(&one_order),
                as_of,
            )
        })
    });

    let catalog = ten_product_catalog();
    let ids: Vec<String> = (0..10).map(|i| format!("sub_{i}")).collect();
    let products: Vec<String> = std::iter::once("meeting".to_owned())
        .chain((1..10).map(|i| format!("meeting-{i}")))
        .collect();
    let subscriptions: Vec<Value> = ids
        .iter()
        .zip(&products)
        .map(|(id, p)| subscription(id, p))
        .collect();
    let ten_account: Account = serde_json::from_value(json!({
        "id": "acc", "country": "IT", "currency": "EUR", "subscriptions": subscriptions
    }))
    .expect("bench account");
    let ten_order = parse_order(
        ids.iter()
            .map(|id| json!({"op": "change", "subscription": id, "tier": "business", "seats": 8, "frequency": "annual"}))
            .collect(),
    );
    c.bench_function("quote 10 items", |b| {
        b.iter(|| {
            quote(
                black_box(&catalog),
                black_box(&ten_account),
                black_box(&ten_order),
                as_of,
            )
        })
    });

    let request_json = r#"{"items":[{"op":"change","subscription":"sub_1","seats":8}]}"#;
    c.bench_function("parse + quote 1 item from JSON", |b| {
        b.iter(|| {
            let request = OrderRequest::from_json(black_box(request_json)).expect("parses");
            let order = Order::parse(&request).expect("valid");
            quote(Catalog::bundled(), &one_account, &order, as_of)
        })
    });
}

/// Criterion's macro makes a public function without docs; it lives in its own module so the
/// exception stays local.
#[allow(missing_docs)]
mod group {
    criterion::criterion_group!(benches, super::benchmarks);
}

criterion_main!(group::benches);
