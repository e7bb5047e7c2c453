//! The order server's answers (api.md) read from JSON into the app's and the engine's types, and
//! the app's request bodies written as JSON, with the small reader of [`crate::json`] (that
//! module says why the app does not use serde here).
//!
//! Readers ignore members they do not know and give `None` when a member the app needs is
//! missing or of the wrong type; the engine validates what it is given as it does for serde's
//! output (`Account::try_from`). The catalog is read by the engine's own reader
//! (`Catalog::from_answer`), which the server, the widget and the quote page share.

use std::str::FromStr;

use billing::money::parse_decimal;
use billing::order::ItemInput;
use billing::{
    AccountKind, Frequency, Line, LineKind, OrderRequest, Quote, SubscriptionStatus, Tax,
};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::Value;

use crate::json::{Json, Object};
use crate::model::{
    AccountView, ApiError, CancelReason, Contact, NextPayment, PaymentMethod, PlacedOrder,
    SubscriptionView, parse_iso_date,
};

/// A string member.
fn text(v: &Json, key: &str) -> Option<String> {
    v.get(key)?.as_str().map(str::to_owned)
}

/// A string member read as `T`: a currency, a country, an amount, a rate.
fn parsed<T: FromStr>(v: &Json, key: &str) -> Option<T> {
    v.get(key)?.as_str()?.parse().ok()
}

/// A decimal member (a VAT rate), plain digits only (`billing::money::parse_decimal`).
fn decimal(v: &Json, key: &str) -> Option<Decimal> {
    parse_decimal(v.get(key)?.as_str()?)
}

/// A `YYYY-MM-DD` member.
fn date(v: &Json, key: &str) -> Option<NaiveDate> {
    parse_iso_date(v.get(key)?.as_str()?)
}

/// An integer member.
fn number<T: FromStr>(v: &Json, key: &str) -> Option<T> {
    v.get(key)?.number()
}

/// A boolean member.
fn flag(v: &Json, key: &str) -> Option<bool> {
    v.get(key)?.as_bool()
}

/// A member that may be absent or `null`: `Some(None)` then, `None` when it has a value `read`
/// refuses.
fn nullable<'a, T>(
    v: &'a Json,
    key: &str,
    read: impl FnOnce(&'a Json) -> Option<T>,
) -> Option<Option<T>> {
    match v.get(key) {
        None | Some(Json::Null) => Some(None),
        Some(value) => read(value).map(Some),
    }
}

/// An array member, each item read by `read`; `None` when any item is refused.
///
/// A plain loop rather than collecting into `Option<Vec<T>>`: that collect's iterator adapters
/// are compiled for every item type into more code than this loop (bundle size).
fn list<T>(v: &Json, key: &str, read: impl Fn(&Json) -> Option<T>) -> Option<Vec<T>> {
    let items = v.get(key)?.as_array()?;
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        out.push(read(item)?);
    }
    Some(out)
}

/// The value of an enum whose wire name is `name`.
fn named<T: Copy>(all: &[T], wire_name: impl Fn(T) -> &'static str, name: &str) -> Option<T> {
    all.iter().copied().find(|&value| wire_name(value) == name)
}

fn account_kind(name: &str) -> Option<AccountKind> {
    named(
        &[AccountKind::Standard, AccountKind::Corporate],
        |kind| match kind {
            AccountKind::Standard => "standard",
            AccountKind::Corporate => "corporate",
        },
        name,
    )
}

fn status(name: &str) -> Option<SubscriptionStatus> {
    use SubscriptionStatus::*;
    named(
        &[Trial, Active, PendingCancellation, Expired],
        SubscriptionStatus::as_str,
        name,
    )
}

fn frequency(name: &str) -> Option<Frequency> {
    named(&Frequency::ALL, Frequency::as_str, name)
}

fn line_kind(name: &str) -> Option<LineKind> {
    use LineKind::*;
    named(
        &[Charge, ProrationCredit, Trial, Cancel, Resume],
        |kind| match kind {
            Charge => "charge",
            ProrationCredit => "proration_credit",
            Trial => "trial",
            Cancel => "cancel",
            Resume => "resume",
        },
        name,
    )
}

/// A string member that may be absent or `null`, read as an empty text then.
fn text_or_empty(v: &Json, key: &str) -> Option<String> {
    nullable(v, key, |t| t.as_str().map(str::to_owned)).map(Option::unwrap_or_default)
}

/// The account of `GET /api/v1/account` (api.md), with its display fields.
///
/// Every member the OpenAPI document lets be `null` or absent is read (S50): `vat_id`,
/// `billing_contact` and its `name` and `email`, `next_payment` and its members, a
/// subscription's `auto_renew`. A member the document requires and the app needs is still
/// required: without it the answer is unreadable, which the app says (`state::Ctx::load`).
pub fn account_view(v: &Json) -> Option<AccountView> {
    Some(AccountView {
        id: text(v, "id")?,
        name: text(v, "name")?,
        kind: match v.get("kind") {
            None => AccountKind::Standard,
            Some(kind) => account_kind(kind.as_str()?)?,
        },
        country: parsed(v, "country")?,
        currency: parsed(v, "currency")?,
        vat_id: nullable(v, "vat_id", |id| id.as_str().map(str::to_owned))?,
        credit: parsed(v, "credit")?,
        billing_contact: nullable(v, "billing_contact", |c| {
            c.as_object()?;
            Some(Contact {
                name: text_or_empty(c, "name")?,
                email: text_or_empty(c, "email")?,
            })
        })?,
        is_billing_contact: flag(v, "is_billing_contact")?,
        payment_methods: list(v, "payment_methods", |m| {
            Some(PaymentMethod {
                id: text(m, "id")?,
                brand: text(m, "brand")?,
                last4: text(m, "last4")?,
                exp: text(m, "exp")?,
            })
        })?,
        subscriptions: list(v, "subscriptions", |s| {
            Some(SubscriptionView {
                id: text(s, "id")?,
                product: text(s, "product")?,
                tier: text(s, "tier")?,
                seats: number(s, "seats")?,
                frequency: frequency(s.get("frequency")?.as_str()?)?,
                status: status(s.get("status")?.as_str()?)?,
                period_start: date(s, "period_start")?,
                period_end: date(s, "period_end")?,
                auto_renew: nullable(s, "auto_renew", Json::as_bool)?,
            })
        })?,
        // The document requires none of a next payment's members: one that is not there in
        // full is not shown (the subscription cards still show their own, priced by the
        // engine, S50).
        next_payment: v.get("next_payment").and_then(|n| {
            Some(NextPayment {
                date: date(n, "date")?,
                amount: parsed(n, "amount")?,
                credit_applied: parsed(n, "credit_applied")?,
            })
        }),
        as_of: date(v, "as_of")?,
    })
}

/// A quote (api.md); an order is a quote with a few more members, so this reads both.
fn quote(v: &Json) -> Option<Quote> {
    let tax = v.get("tax")?;
    Some(Quote {
        catalog_version: text(v, "catalog_version")?,
        as_of: date(v, "as_of")?,
        currency: parsed(v, "currency")?,
        lines: list(v, "lines", |l| {
            Some(Line {
                item: number(l, "item")?,
                kind: line_kind(l.get("kind")?.as_str()?)?,
                description: text(l, "description")?,
                period_start: date(l, "period_start")?,
                period_end: date(l, "period_end")?,
                seats: number(l, "seats")?,
                unit_price: parsed(l, "unit_price")?,
                amount: parsed(l, "amount")?,
            })
        })?,
        subtotal: parsed(v, "subtotal")?,
        tax: Tax {
            rate: decimal(tax, "rate")?,
            amount: parsed(tax, "amount")?,
            reverse_charge: flag(tax, "reverse_charge")?,
            country: parsed(tax, "country")?,
        },
        total: parsed(v, "total")?,
        credit_applied: parsed(v, "credit_applied")?,
        amount_due: parsed(v, "amount_due")?,
        credit_after: parsed(v, "credit_after")?,
    })
}

/// A placed order: the quote plus `id`, `placed_at`, `status` and `assign_licenses`.
pub fn placed_order(v: &Json) -> Option<PlacedOrder> {
    Some(PlacedOrder {
        id: text(v, "id")?,
        placed_at: text(v, "placed_at")?,
        paid: text(v, "status")? == "paid",
        assign_licenses: flag(v, "assign_licenses").unwrap_or(false),
        quote: quote(v)?,
        billed_to: v.get("billing_info").map(ui::billed_to).unwrap_or_default(),
    })
}

/// The orders of `GET /api/v1/orders` this reader can read; an unreadable list is empty.
pub fn order_list(v: &Json) -> Vec<PlacedOrder> {
    // One entry this reader cannot read (a renewal, R28, which the history does not show yet)
    // must not empty the whole history: it is skipped, and the rest is listed.
    v.get("orders")
        .and_then(Json::as_array)
        .map(|items| items.iter().filter_map(placed_order).collect())
        .unwrap_or_default()
}

/// An error answer: its code (`unknown` when unreadable), the member it names, and the fresh
/// quote of a `409 price_changed` (R24).
pub fn api_error(v: Option<&Json>) -> ApiError {
    let code = v
        .and_then(|v| text(v.get("error")?, "code"))
        .unwrap_or_else(|| "unknown".to_owned());
    let field = v.and_then(|v| text(v.get("error")?, "field"));
    let quote = v.and_then(|v| quote(v.get("quote")?));
    ApiError { code, field, quote }
}

/// The token of a `POST /api/v1/session` answer.
pub fn session_token(v: &Json) -> Option<String> {
    text(v, "token")
}

/// The body of `POST /api/v1/session`.
pub fn credentials(email: &str, password: &str) -> String {
    Object::new()
        .string("email", email)
        .string("password", password)
        .finish()
}

/// A seat count as the app sends it: the number, or `null` for anything that is not a whole
/// number (the app only ever puts whole numbers there).
fn seats(value: &Value) -> String {
    value
        .as_u64()
        .map_or_else(|| "null".to_owned(), |n| n.to_string())
}

/// One item of an order request; a cancel item with its reason among `reasons` (R29).
fn item(item: &ItemInput, reasons: &[CancelReason]) -> String {
    let object = Object::new();
    match item {
        ItemInput::Change {
            subscription,
            tier,
            seats: new_seats,
            frequency,
        } => {
            let mut object = object
                .string("op", "change")
                .string("subscription", subscription);
            if let Some(tier) = tier {
                object = object.string("tier", tier);
            }
            if let Some(new_seats) = new_seats {
                object = object.raw("seats", &seats(new_seats));
            }
            if let Some(frequency) = frequency {
                object = object.string("frequency", frequency.as_str());
            }
            object
        }
        ItemInput::Buy {
            product,
            tier,
            seats: n,
            frequency,
        } => object
            .string("op", "buy")
            .string("product", product)
            .string("tier", tier)
            .raw("seats", &seats(n))
            .string("frequency", frequency.as_str()),
        ItemInput::Trial { product, tier } => object
            .string("op", "trial")
            .string("product", product)
            .string("tier", tier),
        ItemInput::Cancel { subscription, .. } => {
            let object = object
                .string("op", "cancel")
                .string("subscription", subscription);
            // The reason (R29, S106), members in the order the contract's serde writes them.
            match reasons.iter().find(|r| r.subscription == *subscription) {
                Some(reason) => {
                    let mut written = Object::new().string("code", &reason.code);
                    if !reason.text.is_empty() {
                        written = written.string("text", &reason.text);
                    }
                    object.raw("reason", &written.finish())
                }
                None => object,
            }
        }
        ItemInput::Resume { subscription } => object
            .string("op", "resume")
            .string("subscription", subscription),
        ItemInput::Reactivate {
            subscription,
            tier,
            seats: n,
            frequency,
        } => object
            .string("op", "reactivate")
            .string("subscription", subscription)
            .string("tier", tier)
            .raw("seats", &seats(n))
            .string("frequency", frequency.as_str()),
    }
    .finish()
}

/// One item of an order request (api.md), as [`order_request`] writes it: the stored cart's
/// items (S51). A seat count must be a whole number, as the app only ever writes one.
fn item_input(v: &Json) -> Option<ItemInput> {
    let seats = |v: &Json| Some(Value::from(number::<u64>(v, "seats")?));
    let frequency_of = |v: &Json| frequency(v.get("frequency")?.as_str()?);
    Some(match v.get("op")?.as_str()? {
        "change" => ItemInput::Change {
            subscription: text(v, "subscription")?,
            tier: nullable(v, "tier", |t| t.as_str().map(str::to_owned))?,
            seats: nullable(v, "seats", |_| seats(v))?,
            frequency: nullable(v, "frequency", |_| frequency_of(v))?,
        },
        "buy" => ItemInput::Buy {
            product: text(v, "product")?,
            tier: text(v, "tier")?,
            seats: seats(v)?,
            frequency: frequency_of(v)?,
        },
        "reactivate" => ItemInput::Reactivate {
            subscription: text(v, "subscription")?,
            tier: text(v, "tier")?,
            seats: seats(v)?,
            frequency: frequency_of(v)?,
        },
        "trial" => ItemInput::Trial {
            product: text(v, "product")?,
            tier: text(v, "tier")?,
        },
        "cancel" => ItemInput::Cancel {
            subscription: text(v, "subscription")?,
            reason: None,
        },
        "resume" => ItemInput::Resume {
            subscription: text(v, "subscription")?,
        },
        _ => return None,
    })
}

/// The items of an order request (api.md); `None` when any item is unreadable.
pub fn order_items(v: &Json) -> Option<Vec<ItemInput>> {
    list(v, "items", item_input)
}

/// The reasons of an order request's cancel items (R29), as [`order_request_with`] writes them:
/// the stored cart's (S51). A reason that is not readable is left out.
pub fn order_reasons(v: &Json) -> Vec<CancelReason> {
    let items = v.get("items").and_then(Json::as_array).unwrap_or_default();
    items
        .iter()
        .filter_map(|item| {
            let reason = item.get("reason")?;
            Some(CancelReason {
                subscription: text(item, "subscription")?,
                code: text(reason, "code")?,
                text: text_or_empty(reason, "text")?,
            })
        })
        .collect()
}

/// The body of `POST /api/v1/orders` (the order request of api.md), members in the order
/// serde_json wrote them.
pub fn order_request(request: &OrderRequest) -> String {
    order_request_with(request, &[])
}

/// [`order_request`] with the reasons of its cancel items (R29): the review page's order and the
/// stored cart. The items' own `reason` is not written: the app keeps reasons in the cart.
pub fn order_request_with(request: &OrderRequest, reasons: &[CancelReason]) -> String {
    let items: Vec<String> = request.items.iter().map(|i| item(i, reasons)).collect();
    let mut object = Object::new().raw("items", &format!("[{}]", items.join(",")));
    if let Some(vat_id) = &request.vat_id {
        object = object.string("vat_id", vat_id);
    }
    if let Some(as_of) = request.as_of {
        object = object.string("as_of", &as_of.to_string());
    }
    if let Some(total) = request.expected_total {
        object = object.string("expected_total", &total.to_string());
    }
    if let Some(method) = &request.payment_method {
        object = object.string("payment_method", method);
    }
    object.finish()
}

#[cfg(test)]
mod contract;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;
    use billing::Catalog;

    /// One answer of the real order server, captured by `tests/fixtures/server/capture.sh`
    /// (the server's own serializers, demo data on 2026-11-16), so these tests fail when the
    /// server's output and this reader drift apart.
    macro_rules! fixture {
        ($name:literal) => {
            include_str!(concat!("../tests/fixtures/server/", $name))
        };
    }

    fn account(text: &str) -> Option<AccountView> {
        json::parse(text).and_then(|v| account_view(&v))
    }

    /// The captured account with one member replaced by `value` (JSON text).
    fn with_member(text: &str, path: &[&str], value: &str) -> String {
        let mut v: Value = serde_json::from_str(text).expect("fixture");
        let (last, parents) = path.split_last().expect("a path");
        let mut target = &mut v;
        for key in parents {
            target = &mut target[*key];
        }
        let object = target.as_object_mut().expect("an object");
        if value == "absent" {
            object.remove(*last);
        } else {
            object.insert((*last).into(), serde_json::from_str(value).expect("value"));
        }
        v.to_string()
    }

    #[test]
    fn every_captured_account_reads_with_its_members() {
        let giulia = crate::model::AccountData::from_json(fixture!("account-billing-contact.json"))
            .expect("the billing contact's account");
        let view = &giulia.view;
        assert_eq!(
            (view.id.as_str(), view.name.as_str()),
            ("acc_rossi", "Rossi S.r.l.")
        );
        assert_eq!(
            view.contact_label().as_deref(),
            Some("Giulia Rossi (giulia.rossi@example.com)")
        );
        assert!(view.is_billing_contact && giulia.can_order());
        assert_eq!(view.vat_id, None);
        assert_eq!(view.payment_methods[0].last4, "4242");
        assert_eq!(view.subscriptions.len(), 2);
        assert_eq!(view.subscriptions[0].auto_renew, Some(true));
        let next = view.next_payment.as_ref().expect("a next payment");
        assert_eq!(
            next.date,
            NaiveDate::from_ymd_opt(2026, 12, 1).expect("date")
        );
        assert_eq!(next.amount.to_string(), "85.40");
        assert_eq!(
            view.as_of,
            NaiveDate::from_ymd_opt(2026, 11, 16).expect("date")
        );

        let marco = crate::model::AccountData::from_json(fixture!("account-read-only.json"))
            .expect("a read-only user's account");
        assert!(!marco.view.is_billing_contact && !marco.can_order());
        assert_eq!(marco.view.billing_contact, view.billing_contact);

        let corporate = crate::model::AccountData::from_json(fixture!("account-corporate.json"))
            .expect("the corporate account");
        assert_eq!(corporate.view.kind, AccountKind::Corporate);

        let expired = crate::model::AccountData::from_json(fixture!("account-expired.json"))
            .expect("the expired account");
        assert!(expired.all_expired());
        assert_eq!(expired.view.next_payment, None);
    }

    #[test]
    fn an_account_without_a_billing_contact_reads_and_names_nobody() {
        let text = fixture!("account-no-billing-contact.json");
        assert!(
            text.contains(r#""billing_contact":null"#),
            "captured with null"
        );
        let data = crate::model::AccountData::from_json(text).expect("readable");
        assert_eq!(data.view.billing_contact, None);
        assert_eq!(data.view.contact_label(), None);
        assert!(!data.can_order());
        // Absent is read as null.
        let absent = with_member(text, &["billing_contact"], "absent");
        assert_eq!(account(&absent).expect("readable").billing_contact, None);
    }

    #[test]
    fn a_billing_contact_with_members_left_out_names_what_it_has() {
        let text = fixture!("account-billing-contact.json");
        let label = |contact: &str| {
            account(&with_member(text, &["billing_contact"], contact))
                .expect("readable")
                .contact_label()
        };
        assert_eq!(label(r#"{"name":"Giulia"}"#).as_deref(), Some("Giulia"));
        assert_eq!(
            label(r#"{"email":"g@example.com","name":null}"#).as_deref(),
            Some("g@example.com")
        );
        assert_eq!(label("{}"), None);
        // A contact that is not an object, or a name that is not a text, is not one.
        assert_eq!(
            account(&with_member(text, &["billing_contact"], r#""Giulia""#)),
            None
        );
        assert_eq!(
            account(&with_member(text, &["billing_contact"], r#"{"name":7}"#)),
            None
        );
    }

    #[test]
    fn every_nullable_member_of_the_account_reads_when_null_or_absent() {
        let text = fixture!("account-billing-contact.json");
        for value in ["null", "absent"] {
            let view = account(&with_member(text, &["vat_id"], value)).expect("vat_id");
            assert_eq!(view.vat_id, None);
            let view = account(&with_member(text, &["next_payment"], value)).expect("next");
            assert_eq!(view.next_payment, None);
            for member in ["date", "amount", "credit_applied"] {
                let view = account(&with_member(text, &["next_payment", member], value))
                    .expect("next payment member");
                assert_eq!(view.next_payment, None, "{member} {value}");
            }
        }
        let view = account(&with_member(text, &["vat_id"], r#""IT00743110157""#)).expect("vat");
        assert_eq!(view.vat_id.as_deref(), Some("IT00743110157"));
        // A subscription's auto_renew, absent, is derived from the status by the engine.
        let mut v: Value = serde_json::from_str(text).expect("fixture");
        v["subscriptions"][0]
            .as_object_mut()
            .expect("sub")
            .remove("auto_renew");
        let data = crate::model::AccountData::from_json(&v.to_string()).expect("readable");
        assert_eq!(data.view.subscriptions[0].auto_renew, None);
        // A member the app needs, missing, leaves the answer unreadable.
        assert_eq!(account(&with_member(text, &["as_of"], "absent")), None);
        // A next payment that does not read in full is not shown (S50).
        let soon = with_member(text, &["next_payment", "date"], "\"soon\"");
        assert_eq!(account(&soon).expect("readable").next_payment, None);
    }

    #[test]
    fn the_captured_catalog_quote_orders_and_error_read_as_serde_reads_them() {
        let catalog_text = fixture!("catalog.json");
        let read = Catalog::from_answer(catalog_text).expect("catalog");
        assert_eq!(&read, Catalog::bundled());

        let serde_quote: Quote = serde_json::from_str(fixture!("quote.json")).expect("serde");
        let read = json::parse(fixture!("quote.json")).and_then(|v| quote(&v));
        assert_eq!(read.as_ref(), Some(&serde_quote));

        let order = crate::model::PlacedOrder::from_json(fixture!("order.json")).expect("order");
        // An order is its quote plus a few members, which the quote's serde reader refuses.
        let mut order_json: Value = serde_json::from_str(fixture!("order.json")).expect("JSON");
        let members = order_json.as_object_mut().expect("an object");
        for key in ["id", "placed_at", "status", "assign_licenses", "kind"] {
            members.remove(key);
        }
        let serde_order: Quote = serde_json::from_value(order_json).expect("serde");
        assert_eq!(order.quote, serde_order);
        assert!(order.paid && order.assign_licenses && order.id.starts_with("ord_"));

        let orders = crate::model::PlacedOrder::list_from_json(fixture!("orders.json"));
        assert!(
            orders.iter().any(|o| o.id == order.id),
            "the order is in the history"
        );

        let error = crate::model::ApiError::from_json(fixture!("error-price-changed.json"));
        assert_eq!(error.code, "price_changed");
        assert_eq!(error.quote, Some(serde_quote));
    }

    #[test]
    fn order_requests_are_written_as_serde_json_writes_them() {
        let request = OrderRequest {
            items: vec![
                ItemInput::Change {
                    subscription: "sub_1".into(),
                    tier: None,
                    seats: Some(Value::from(8)),
                    frequency: Some(Frequency::Annual),
                },
                ItemInput::Buy {
                    product: "webinar".into(),
                    tier: "standard".into(),
                    seats: Value::from(3),
                    frequency: Frequency::Monthly,
                },
                ItemInput::Trial {
                    product: "remote-support".into(),
                    tier: "standard".into(),
                },
                ItemInput::Cancel {
                    subscription: "sub_\"2\"".into(),
                    reason: None,
                },
                ItemInput::Resume {
                    subscription: "sub_3".into(),
                },
                ItemInput::Reactivate {
                    subscription: "sub_4".into(),
                    tier: "business".into(),
                    seats: Value::from(12),
                    frequency: Frequency::Annual,
                },
            ],
            vat_id: Some("IT00743110157".into()),
            as_of: NaiveDate::from_ymd_opt(2026, 11, 16),
            expected_total: Some("93.94".parse().expect("money")),
            payment_method: Some("pm_1".into()),
        };
        let expected = serde_json::to_string(&request).expect("serde_json");
        assert_eq!(order_request(&request), expected);
        let bare = OrderRequest {
            vat_id: None,
            as_of: None,
            expected_total: None,
            payment_method: None,
            ..request
        };
        assert_eq!(
            order_request(&bare),
            serde_json::to_string(&bare).expect("serde_json")
        );
        assert_eq!(
            credentials("a@b.c", "p\"w"),
            r#"{"email":"a@b.c","password":"p\"w"}"#
        );
    }

    #[test]
    fn a_cancel_item_carries_its_reason_only_when_one_was_given() {
        // R29, S106: the reason the review page's two fields make, as the request writes it.
        let request = order_request_of(vec![ItemInput::Cancel {
            subscription: "sub_2".into(),
            reason: None,
        }]);
        let body = |code: &str, text: &str| {
            let reason = CancelReason::new("sub_2", code, text);
            order_request_with(&request, reason.as_slice())
        };
        assert_eq!(
            body("", "  "),
            r#"{"items":[{"op":"cancel","subscription":"sub_2"}]}"#
        );
        assert_eq!(
            body("switching", " "),
            r#"{"items":[{"op":"cancel","subscription":"sub_2","reason":{"code":"switching"}}]}"#
        );
        assert_eq!(
            body("too_expensive", " Il budget è \"finito\".\n"),
            r#"{"items":[{"op":"cancel","subscription":"sub_2","reason":{"code":"too_expensive","text":"Il budget è \"finito\"."}}]}"#
        );
        // A note without a chosen code is sent as `other`, which api.md requires with a text.
        assert_eq!(
            body("", "Chiudiamo l'ufficio"),
            r#"{"items":[{"op":"cancel","subscription":"sub_2","reason":{"code":"other","text":"Chiudiamo l'ufficio"}}]}"#
        );
        // Another subscription's reason is not this item's.
        let other = CancelReason::new("sub_1", "switching", "");
        assert_eq!(
            order_request_with(&request, other.as_slice()),
            order_request(&request)
        );
        // The engine's own serde writes the same text for the item with the reason in it, and
        // the stored cart reads the reason back (S51).
        let written = body("not_using", "Più tardi");
        let mut with_reason = request.clone();
        with_reason.items[0] = ItemInput::Cancel {
            subscription: "sub_2".into(),
            reason: Some(serde_json::json!({"code": "not_using", "text": "Più tardi"})),
        };
        assert_eq!(
            written,
            serde_json::to_string(&with_reason).expect("serde_json")
        );
        let read = json::parse(&written).map(|v| order_reasons(&v));
        assert_eq!(
            read,
            Some(
                CancelReason::new("sub_2", "not_using", "Più tardi")
                    .into_iter()
                    .collect()
            )
        );
    }

    /// An order request of `items` alone.
    fn order_request_of(items: Vec<ItemInput>) -> OrderRequest {
        crate::model::order_request(items, "", None)
    }

    #[test]
    fn orders_and_errors_read_as_serde_reads_them() {
        let catalog = Catalog::bundled();
        let account = billing::Account::from_json(
            r#"{"id":"a","country":"IT","currency":"EUR","subscriptions":[{"id":"sub_1",
            "product":"meeting","tier":"professional","seats":5,"frequency":"monthly",
            "status":"active","period_start":"2026-11-01","period_end":"2026-12-01"}]}"#,
        )
        .expect("account");
        let order = billing::Order::parse(
            &OrderRequest::from_json(
                r#"{"items":[{"op":"change","subscription":"sub_1","seats":8}]}"#,
            )
            .expect("request"),
        )
        .expect("order");
        let quote = billing::quote(
            catalog,
            &account,
            &order,
            NaiveDate::from_ymd_opt(2026, 11, 16).expect("date"),
        )
        .expect("quote");
        let quote_json = serde_json::to_value(&quote).expect("quote json");
        let mut order_json = quote_json.clone();
        let members = order_json.as_object_mut().expect("object");
        members.insert("id".into(), Value::from("ord_1"));
        members.insert("placed_at".into(), Value::from("2026-11-16T10:00:00Z"));
        members.insert("status".into(), Value::from("paid"));
        members.insert("assign_licenses".into(), Value::from(true));
        // A renewal entry (R28) beside the order is skipped, not a reason to list nothing.
        let renewal = r#"{"kind":"renewal","id":"ren_sub_1_20261201","status":"paid"}"#;
        let list = json::parse(&format!(r#"{{"orders":[{renewal},{order_json}]}}"#)).expect("json");
        let orders = order_list(&list);
        assert_eq!(orders.len(), 1);
        assert_eq!(orders[0].quote, quote);
        assert!(orders[0].paid && orders[0].assign_licenses);
        let error = json::parse(&format!(
            r#"{{"error":{{"code":"price_changed","message":"m"}},"quote":{quote_json}}}"#
        ));
        let error = api_error(error.as_ref());
        assert_eq!(
            (error.code.as_str(), error.quote),
            ("price_changed", Some(quote))
        );
        assert_eq!(api_error(None).code, "unknown");
    }
}
