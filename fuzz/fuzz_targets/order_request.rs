//! Fuzzes the order request parser with arbitrary bytes: parsing never panics, and a request that
//! parses serializes back to JSON that parses to the same order (or the same refusal); when the
//! order is valid, to the same request too. (An invalid one may hold a huge number, which
//! serde_json reads as an approximate float: its round trip may differ in the last digit, and the
//! order is refused either way.)
#![no_main]

use billing::{Order, OrderRequest};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(request) = OrderRequest::from_json(text) else {
        return;
    };
    let order = Order::parse(&request);
    let again = serde_json::to_string(&request).expect("a parsed request serializes");
    let reparsed = OrderRequest::from_json(&again).expect("a serialized request parses again");
    assert_eq!(
        Order::parse(&reparsed),
        order,
        "order of the round trip of {text:?}"
    );
    if order.is_ok() {
        assert_eq!(reparsed, request, "round trip of {text:?}");
    }
});
