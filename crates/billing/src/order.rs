//! The order request of api.md and the validated order it parses into (R3-R5, R10-R15, R21).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::account::Seats;
use crate::error::OrderError;
use crate::money::{Money, parse_plain_amount};
use crate::period::Frequency;
use crate::vat::VatId;

/// One item of an order request as it travels. Seat counts are kept as raw JSON so a negative,
/// fractional, huge or string quantity is answered `invalid_seats` with its field, not as a
/// generic parse failure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum ItemInput {
    /// Change tier, seats or frequency of an active subscription (R12).
    Change {
        /// The subscription id.
        subscription: String,
        /// The new tier; absent keeps the current one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tier: Option<String>,
        /// The new seat count; absent keeps the current one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        seats: Option<Value>,
        /// The new frequency; absent keeps the current one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        frequency: Option<Frequency>,
    },
    /// Buy a product (R10, R13).
    Buy {
        /// The product id.
        product: String,
        /// The tier id.
        tier: String,
        /// The seat count.
        seats: Value,
        /// The frequency.
        frequency: Frequency,
    },
    /// Start a free trial (R11).
    Trial {
        /// The product id.
        product: String,
        /// The tier id.
        tier: String,
    },
    /// Turn renewal off (R14).
    Cancel {
        /// The subscription id.
        subscription: String,
        /// Why the customer cancels (R29), optional: `{"code":"switching","text":"..."}`. Kept
        /// as raw JSON, like seat counts, so that a bad reason is answered with the member at
        /// fault (`items[0].reason.code`) rather than as a generic parse failure.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<Value>,
    },
    /// Turn renewal back on (R14).
    Resume {
        /// The subscription id.
        subscription: String,
    },
    /// Buy a plan for an expired subscription (R15).
    Reactivate {
        /// The subscription id.
        subscription: String,
        /// The tier id.
        tier: String,
        /// The seat count.
        seats: Value,
        /// The frequency.
        frequency: Frequency,
    },
}

/// The order request of api.md: the body of `POST /api/v1/quote` and `POST /api/v1/orders`.
/// Unknown fields are refused, so a price or a currency sent by a client is never read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderRequest {
    /// The items, one per subscription or product.
    pub items: Vec<ItemInput>,
    /// Absent keeps the account's VAT id, `""` removes it, any other text sets it (R21).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vat_id: Option<String>,
    /// The date to price at, for previews (quote only, R9).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<NaiveDate>,
    /// The total the client showed (orders only, R24), read strictly in its plain form (S37).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::money::deserialize_plain_amount"
    )]
    pub expected_total: Option<Money>,
    /// The payment method id when an amount is due (orders only, R20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_method: Option<String>,
}

impl OrderRequest {
    /// The cancellation reasons of the cancel items (R29), parsed, with the index of their item
    /// and the subscription cancelled, in item order; a bad reason is `invalid_request` naming
    /// its member (`items[1].reason.code`). A reason changes no price, so it is read apart from
    /// [`Order::parse`], by the server that stores it: the browser bundles, which price orders
    /// with `Order::parse` but send no reason, then carry none of this code (their size budget).
    pub fn cancel_reasons(&self) -> Result<Vec<(usize, &str, CancelReason)>, OrderError> {
        let mut reasons = Vec::new();
        for (index, item) in self.items.iter().enumerate() {
            if let ItemInput::Cancel {
                subscription,
                reason: Some(reason),
            } = item
            {
                reasons.push((
                    index,
                    subscription.as_str(),
                    CancelReason::parse(index, reason)?,
                ));
            }
        }
        Ok(reasons)
    }

    /// Reads an order request from JSON; anything that is not one is `invalid_request`.
    pub fn from_json(text: &str) -> Result<OrderRequest, OrderError> {
        serde_json::from_str(text).map_err(|error| {
            // Only on failure: whether it is `expected_total` that is not a plain amount (S37),
            // so that the answer names the field.
            #[derive(Deserialize)]
            struct Total {
                #[serde(default)]
                expected_total: Option<serde_json::Value>,
            }
            let total = serde_json::from_str::<Total>(text)
                .ok()
                .and_then(|total| total.expected_total);
            match total {
                Some(serde_json::Value::String(total)) => match parse_plain_amount(&total) {
                    Err(error) => OrderError::InvalidAmount {
                        field: "expected_total",
                        message: error.to_string(),
                    },
                    Ok(_) => OrderError::InvalidRequest {
                        message: error.to_string(),
                    },
                },
                _ => OrderError::InvalidRequest {
                    message: error.to_string(),
                },
            }
        })
    }
}

/// What an order does to the account's VAT id (R21).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VatIdChange {
    /// Keep the VAT id on file.
    Keep,
    /// Remove the VAT id on file.
    Remove,
    /// Use, and save with the order, this id.
    Set(VatId),
}

/// A new plan: tier, seats and frequency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanChoice {
    /// The tier id.
    pub tier: String,
    /// The seat count; checked against the tier's limits when priced.
    pub seats: Seats,
    /// The frequency.
    pub frequency: Frequency,
}

/// One validated item of an order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    /// Change an active subscription (R12); each `None` keeps the current value.
    Change {
        /// The subscription id.
        subscription: String,
        /// The new tier.
        tier: Option<String>,
        /// The new seat count.
        seats: Option<Seats>,
        /// The new frequency.
        frequency: Option<Frequency>,
    },
    /// Buy a product (R10), also after a trial (R13) or an expiry (R15).
    Buy {
        /// The product id.
        product: String,
        /// The plan.
        plan: PlanChoice,
    },
    /// Start a free trial (R11).
    Trial {
        /// The product id.
        product: String,
        /// The tier id.
        tier: String,
    },
    /// Turn renewal off (R14).
    Cancel {
        /// The subscription id.
        subscription: String,
    },
    /// Turn renewal back on (R14).
    Resume {
        /// The subscription id.
        subscription: String,
    },
    /// Buy a plan for an expired subscription (R15).
    Reactivate {
        /// The subscription id.
        subscription: String,
        /// The plan.
        plan: PlanChoice,
    },
}

/// The reasons a customer may give for cancelling (R29), as api.md v1.1 lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CancelReasonCode {
    /// The product costs too much.
    TooExpensive,
    /// The product lacks something the customer needs.
    MissingFeatures,
    /// The customer moves to another product.
    Switching,
    /// The customer does not use the product.
    NotUsing,
    /// Anything else (the text may say what).
    Other,
}

impl CancelReasonCode {
    /// Every code, in the order of api.md.
    pub const ALL: [CancelReasonCode; 5] = [
        CancelReasonCode::TooExpensive,
        CancelReasonCode::MissingFeatures,
        CancelReasonCode::Switching,
        CancelReasonCode::NotUsing,
        CancelReasonCode::Other,
    ];

    /// The code as it travels (`too_expensive`).
    pub fn as_str(self) -> &'static str {
        match self {
            CancelReasonCode::TooExpensive => "too_expensive",
            CancelReasonCode::MissingFeatures => "missing_features",
            CancelReasonCode::Switching => "switching",
            CancelReasonCode::NotUsing => "not_using",
            CancelReasonCode::Other => "other",
        }
    }
}

/// The longest free text of a cancellation reason, in characters (R29).
pub const MAX_REASON_TEXT_CHARS: usize = 500;

/// Why a customer cancels (R29): one of the fixed codes and an optional free text, trimmed, of
/// at most [`MAX_REASON_TEXT_CHARS`] characters; a blank text is no text. It changes no price:
/// the server stores it with the order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CancelReason {
    /// The reason's code.
    pub code: CancelReasonCode,
    /// The customer's own words, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl CancelReason {
    /// Parses the `reason` of cancel item `item` (R29): a JSON object with `code` (one of
    /// [`CancelReasonCode::ALL`]) and an optional `text`; any other member, type or code, or a
    /// longer text, is `invalid_request` naming the member at fault.
    pub fn parse(item: usize, value: &Value) -> Result<CancelReason, OrderError> {
        let bad = |part: &'static str, message: String| OrderError::InvalidReason {
            item,
            part,
            message,
        };
        let object = value.as_object().ok_or_else(|| {
            bad(
                "",
                "must be a JSON object with a `code` and an optional `text`".to_owned(),
            )
        })?;
        if let Some(unknown) = object.keys().find(|k| *k != "code" && *k != "text") {
            let message = format!("`{unknown}` is not a member of a cancellation reason");
            return Err(bad("", message));
        }
        let codes = CancelReasonCode::ALL
            .map(CancelReasonCode::as_str)
            .join(", ");
        let code = match object.get("code") {
            Some(Value::String(text)) => CancelReasonCode::ALL
                .into_iter()
                .find(|code| code.as_str() == text)
                .ok_or_else(|| bad("code", format!("`{text}` is not one of {codes}")))?,
            _ => return Err(bad("code", format!("is required, one of {codes}"))),
        };
        let text = match object.get("text") {
            None | Some(Value::Null) => None,
            Some(Value::String(text)) => {
                let text = text.trim();
                let chars = text.chars().count();
                if chars > MAX_REASON_TEXT_CHARS {
                    return Err(bad(
                        "text",
                        format!(
                            "is {chars} characters long; at most {MAX_REASON_TEXT_CHARS} are kept"
                        ),
                    ));
                }
                (!text.is_empty()).then(|| text.to_owned())
            }
            Some(_) => return Err(bad("text", "must be a string or null".to_owned())),
        };
        Ok(CancelReason { code, text })
    }
}

/// A validated order: at least one item, whole positive seat counts, a well-formed VAT id.
/// Whether it fits the account and the catalog is decided when it is priced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Order {
    items: Vec<Item>,
    vat_id: VatIdChange,
}

impl Order {
    /// Parses an order request into an order.
    pub fn parse(request: &OrderRequest) -> Result<Order, OrderError> {
        if request.items.is_empty() {
            return Err(OrderError::EmptyOrder);
        }
        let items = request
            .items
            .iter()
            .enumerate()
            .map(|(index, item)| parse_item(index, item))
            .collect::<Result<Vec<_>, _>>()?;
        let vat_id =
            match request.vat_id.as_deref().map(str::trim) {
                None => VatIdChange::Keep,
                Some("") => VatIdChange::Remove,
                Some(text) => VatIdChange::Set(VatId::parse(text).map_err(|error| {
                    OrderError::InvalidVatId {
                        vat_id: text.to_owned(),
                        reason: error.to_string(),
                    }
                })?),
            };
        Ok(Order { items, vat_id })
    }

    /// An order of these items that keeps the account's VAT id.
    pub fn new(items: Vec<Item>, vat_id: VatIdChange) -> Result<Order, OrderError> {
        if items.is_empty() {
            return Err(OrderError::EmptyOrder);
        }
        Ok(Order { items, vat_id })
    }

    /// The items, in the order the customer added them.
    pub fn items(&self) -> &[Item] {
        &self.items
    }

    /// What the order does to the VAT id.
    pub fn vat_id(&self) -> &VatIdChange {
        &self.vat_id
    }
}

/// The most seats a request may name before it is refused as absurd, whatever the tier says.
const SEAT_CEILING: u64 = u32::MAX as u64;

/// Reads a seat count: a JSON whole number of at least one (R5). Zero is a cancellation, not a
/// seat count (R14), and says so.
fn parse_seats(item: usize, value: &Value) -> Result<Seats, OrderError> {
    let count = value.as_u64().filter(|count| *count <= SEAT_CEILING);
    match count
        .and_then(|count| u32::try_from(count).ok())
        .and_then(Seats::new)
    {
        Some(seats) => Ok(seats),
        None => Err(OrderError::InvalidSeats {
            item,
            seats: value.clone(),
            min: 1,
            max: u32::MAX,
            hint: if count == Some(0) {
                "; to stop using a product, cancel its subscription (R14)".to_owned()
            } else {
                String::new()
            },
        }),
    }
}

fn parse_plan(
    item: usize,
    tier: &str,
    seats: &Value,
    frequency: Frequency,
) -> Result<PlanChoice, OrderError> {
    Ok(PlanChoice {
        tier: tier.to_owned(),
        seats: parse_seats(item, seats)?,
        frequency,
    })
}

fn parse_item(index: usize, item: &ItemInput) -> Result<Item, OrderError> {
    Ok(match item {
        ItemInput::Change {
            subscription,
            tier,
            seats,
            frequency,
        } => Item::Change {
            subscription: subscription.clone(),
            tier: tier.clone(),
            seats: seats
                .as_ref()
                .map(|seats| parse_seats(index, seats))
                .transpose()?,
            frequency: *frequency,
        },
        ItemInput::Buy {
            product,
            tier,
            seats,
            frequency,
        } => Item::Buy {
            product: product.clone(),
            plan: parse_plan(index, tier, seats, *frequency)?,
        },
        ItemInput::Trial { product, tier } => Item::Trial {
            product: product.clone(),
            tier: tier.clone(),
        },
        ItemInput::Cancel { subscription, .. } => Item::Cancel {
            subscription: subscription.clone(),
        },
        ItemInput::Resume { subscription } => Item::Resume {
            subscription: subscription.clone(),
        },
        ItemInput::Reactivate {
            subscription,
            tier,
            seats,
            frequency,
        } => Item::Reactivate {
            subscription: subscription.clone(),
            plan: parse_plan(index, tier, seats, *frequency)?,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<Order, OrderError> {
        Order::parse(&OrderRequest::from_json(json)?)
    }

    /// Reads `json` as an order request whose items and reasons are valid (R29).
    fn reasons(json: &str) -> Result<Vec<(usize, String, CancelReason)>, OrderError> {
        let request = OrderRequest::from_json(json)?;
        Order::parse(&request)?;
        Ok(request
            .cancel_reasons()?
            .into_iter()
            .map(|(item, subscription, reason)| (item, subscription.to_owned(), reason))
            .collect())
    }

    #[test]
    fn every_operation_of_the_api_parses() {
        let order = parse(
            r#"{"items":[
              {"op":"change","subscription":"sub_1","tier":"business","seats":8,"frequency":"annual"},
              {"op":"buy","product":"webinar","tier":"standard","seats":3,"frequency":"monthly"},
              {"op":"trial","product":"remote-support","tier":"standard"},
              {"op":"cancel","subscription":"sub_2"},
              {"op":"resume","subscription":"sub_3"},
              {"op":"reactivate","subscription":"sub_4","tier":"pro","seats":2,"frequency":"annual"}],
             "vat_id":"IT00743110157"}"#,
        )
        .expect("valid order");
        assert_eq!(order.items().len(), 6);
        assert!(matches!(order.vat_id(), VatIdChange::Set(id) if id.as_str() == "IT00743110157"));
    }

    #[test]
    fn a_change_may_leave_out_what_it_keeps() {
        let order = parse(r#"{"items":[{"op":"change","subscription":"sub_1","seats":8}]}"#)
            .expect("valid");
        assert_eq!(
            order.items()[0],
            Item::Change {
                subscription: "sub_1".into(),
                tier: None,
                seats: Seats::new(8),
                frequency: None
            }
        );
        assert_eq!(order.vat_id(), &VatIdChange::Keep);
    }

    #[test]
    fn bad_seat_counts_are_invalid_seats_with_their_field() {
        for seats in [
            "0",
            "-1",
            "2.5",
            "\"8\"",
            "1e30",
            "99999999999999999999",
            "4294967296",
            "null",
        ] {
            let json = format!(
                r#"{{"items":[{{"op":"buy","product":"meeting","tier":"business","seats":{seats},"frequency":"monthly"}}]}}"#
            );
            let error = parse(&json).expect_err(seats);
            assert_eq!(error.code(), "invalid_seats", "{seats}");
            assert_eq!(error.field().as_deref(), Some("items[0].seats"));
        }
    }

    #[test]
    fn zero_seats_points_to_cancellation() {
        let error = parse(r#"{"items":[{"op":"change","subscription":"sub_1","seats":0}]}"#)
            .expect_err("zero");
        assert!(error.to_string().contains("cancel"));
    }

    #[test]
    fn prices_currencies_and_unknown_fields_are_refused() {
        for json in [
            r#"{"items":[{"op":"change","subscription":"sub_1","seats":8,"price":"0.01"}]}"#,
            r#"{"items":[{"op":"change","subscription":"sub_1","seats":8}],"currency":"USD"}"#,
            r#"{"items":[{"op":"upgrade","subscription":"sub_1"}]}"#,
            r#"{"items":"all"}"#,
        ] {
            assert_eq!(
                parse(json).expect_err(json).code(),
                "invalid_request",
                "{json}"
            );
        }
    }

    #[test]
    fn an_empty_order_is_refused() {
        assert_eq!(parse(r#"{"items":[]}"#), Err(OrderError::EmptyOrder));
    }

    #[test]
    fn an_empty_vat_id_removes_it_and_a_bad_one_is_refused() {
        let order =
            parse(r#"{"items":[{"op":"cancel","subscription":"s"}],"vat_id":""}"#).expect("valid");
        assert_eq!(order.vat_id(), &VatIdChange::Remove);
        let error =
            parse(r#"{"items":[{"op":"cancel","subscription":"s"}],"vat_id":"IT00743110158"}"#);
        assert_eq!(error.expect_err("bad id").code(), "invalid_vat_id");
    }

    #[test]
    fn a_cancel_item_carries_an_optional_reason() {
        let read = reasons(
            r#"{"items":[
              {"op":"cancel","subscription":"a","reason":{"code":"switching","text":"  Moving to X  "}},
              {"op":"cancel","subscription":"b","reason":{"code":"not_using","text":"   "}},
              {"op":"cancel","subscription":"c"}]}"#,
        )
        .expect("valid");
        assert_eq!(
            read,
            vec![
                (
                    0,
                    "a".to_owned(),
                    CancelReason {
                        code: CancelReasonCode::Switching,
                        text: Some("Moving to X".to_owned()),
                    }
                ),
                (
                    1,
                    "b".to_owned(),
                    CancelReason {
                        code: CancelReasonCode::NotUsing,
                        text: None,
                    }
                ),
            ]
        );
        // Every code of api.md is read, and written back as it came.
        for code in CancelReasonCode::ALL {
            let json = format!(
                r#"{{"items":[{{"op":"cancel","subscription":"s","reason":{{"code":"{}"}}}}]}}"#,
                code.as_str()
            );
            let read = reasons(&json).expect("valid code");
            assert_eq!(read.first().map(|r| r.2.code), Some(code));
            assert_eq!(
                serde_json::to_value(code).expect("serialises"),
                serde_json::json!(code.as_str())
            );
        }
    }

    #[test]
    fn a_bad_reason_names_its_member() {
        let text = |n: usize| "é".repeat(n);
        let ok = format!(
            r#"{{"items":[{{"op":"cancel","subscription":"s","reason":{{"code":"other","text":"{}"}}}}]}}"#,
            text(MAX_REASON_TEXT_CHARS)
        );
        assert!(
            reasons(&ok).is_ok(),
            "500 characters (1,000 bytes) are kept"
        );
        let cases = [
            (
                format!(
                    r#"{{"code":"other","text":"{}"}}"#,
                    text(MAX_REASON_TEXT_CHARS + 1)
                ),
                "items[1].reason.text",
            ),
            (r#"{"code":"bored"}"#.to_owned(), "items[1].reason.code"),
            (r#"{"text":"no code"}"#.to_owned(), "items[1].reason.code"),
            (r#"{"code":3}"#.to_owned(), "items[1].reason.code"),
            (
                r#"{"code":"other","text":7}"#.to_owned(),
                "items[1].reason.text",
            ),
            (
                r#"{"code":"other","why":"x"}"#.to_owned(),
                "items[1].reason",
            ),
            (r#""switching""#.to_owned(), "items[1].reason"),
        ];
        for (reason, field) in cases {
            let json = format!(
                r#"{{"items":[{{"op":"resume","subscription":"r"}},{{"op":"cancel","subscription":"s","reason":{reason}}}]}}"#
            );
            let error = reasons(&json).expect_err(&json);
            assert_eq!(error.code(), "invalid_request", "{json}");
            assert_eq!(error.field().as_deref(), Some(field), "{json}");
        }
        // Only a cancel item has a reason.
        let error =
            parse(r#"{"items":[{"op":"resume","subscription":"s","reason":{"code":"other"}}]}"#)
                .expect_err("resume has no reason");
        assert_eq!(error.code(), "invalid_request");
    }
}
