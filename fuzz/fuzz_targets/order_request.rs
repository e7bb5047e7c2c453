//! Fuzzes the order request parser with arbitrary bytes: parsing never panics, and a request that
//! parses serializes back to JSON that parses to the same order and the same request, or, when the
//! order is refused, to a refusal with the same code and field. (A refused one may hold a huge
//! number, which serde_json reads as an approximate float: its round trip, and the value quoted in
//! the message, may differ in the last digits.)
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
    let json = serde_json::to_string(&request).expect("a parsed request serializes");
    let reparsed = OrderRequest::from_json(&json).expect("a serialized request parses again");
    let again = Order::parse(&reparsed);
    match (&order, &again) {
        (Ok(_), _) => {
            assert_eq!(again, order, "order of the round trip of {text:?}");
            assert_eq!(reparsed, request, "round trip of {text:?}");
        }
        (Err(first), Err(second)) => assert_eq!(
            (first.code(), first.field()),
            (second.code(), second.field()),
            "refusal of the round trip of {text:?}"
        ),
        (Err(first), Ok(_)) => {
            panic!("{text:?} was refused ({first}) but its round trip is valid")
        }
    }
});
