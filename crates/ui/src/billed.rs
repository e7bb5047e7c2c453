//! The billing information as a receipt prints it (R27, S77), for the checkout's order receipts
//! and the account pages' renewal receipts alike.

use json_text::Json;

/// The lines of a receipt's "billed to" block, read from the api.md `billing_info` object:
/// company, address lines, postal code with city and region, VAT id. `null` (an order placed
/// before receipts kept it, a renewal not settled yet) prints none.
pub fn billed_to(info: &Json) -> Vec<String> {
    let text = |json: &Json, key: &str| {
        json.get(key)
            .and_then(Json::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let mut lines: Vec<String> = text(info, "company").into_iter().collect();
    if let Some(address) = info.get("address").filter(|a| !a.is_null()) {
        lines.extend(text(address, "line1"));
        lines.extend(text(address, "line2"));
        let city: Vec<String> = ["postal_code", "city", "region"]
            .into_iter()
            .filter_map(|key| text(address, key))
            .collect();
        lines.push(city.join(" "));
    }
    lines.extend(text(info, "vat_id"));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<String> {
        billed_to(&json_text::parse(text).expect("json"))
    }

    #[test]
    fn an_address_prints_on_its_lines_and_null_prints_nothing() {
        assert_eq!(
            read(
                r#"{"company":"Rossi S.r.l.","country":"IT","vat_id":"IT00743110157",
                "address":{"line1":"Via Roma 1","line2":null,"city":"Torino","postal_code":"10121","region":"TO"}}"#
            ),
            [
                "Rossi S.r.l.",
                "Via Roma 1",
                "10121 Torino TO",
                "IT00743110157"
            ]
        );
        assert_eq!(
            read(r#"{"company":"Rossi S.r.l.","country":"IT","vat_id":null,"address":null}"#),
            ["Rossi S.r.l."]
        );
        assert!(read("null").is_empty());
    }
}
