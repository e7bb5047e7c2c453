//! Shared inputs: the worked examples' files and small builders.

use std::path::PathBuf;

use billing::{Account, Order, OrderRequest};
use chrono::NaiveDate;

/// The folder of one worked example (`1-seats-up-mid-month`).
pub fn example_dir(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/worked-examples")
        .join(name)
}

/// The account, order and date of a worked example.
pub fn example(name: &str) -> (Account, Order, NaiveDate) {
    let dir = example_dir(name);
    let read = |file: &str| std::fs::read_to_string(dir.join(file)).expect("example file");
    let account = Account::from_json(&read("account.json")).expect("example account");
    let request = OrderRequest::from_json(&read("order.json")).expect("example order");
    let order = Order::parse(&request).expect("example order parses");
    (account, order, date(read("as-of").trim()))
}

/// A date from `YYYY-MM-DD`.
pub fn date(text: &str) -> NaiveDate {
    text.parse().expect("test date")
}

/// Parses an order request written as JSON.
pub fn order(json: &str) -> Order {
    Order::parse(&OrderRequest::from_json(json).expect("order JSON")).expect("valid order")
}

/// An account from JSON, with defaults for what a test does not care about.
pub fn account(json: serde_json::Value) -> Account {
    Account::from_json(&json.to_string()).expect("valid account")
}

/// A subscription object of api.md.
pub fn subscription(
    id: &str,
    product: &str,
    tier: &str,
    seats: u32,
    frequency: &str,
    status: &str,
    period: (&str, &str),
) -> serde_json::Value {
    serde_json::json!({
        "id": id, "product": product, "tier": tier, "seats": seats, "frequency": frequency,
        "status": status, "period_start": period.0, "period_end": period.1
    })
}
