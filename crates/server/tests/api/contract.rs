//! The served OpenAPI document against the server's real answers (issue 13): a walk of every
//! route and of the error codes each can give, each answer validated with `jsonschema` against
//! the schema of its operation and status in the document the server serves. A field renamed in
//! the answers or in the document fails it.
//!
//! The document's objects are closed for the walk (`additionalProperties: false` on every object
//! schema that does not say otherwise): a member the server writes and the document does not
//! name fails as surely as one the document requires and the server leaves out. The document
//! itself leaves answers open, so that a reader written today is not broken by a member added
//! later.

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{
    ACME, ANNA, Answer, GIULIA, MARCO, TestApp, call, eight_seats, eight_seats_order,
};

/// The documented operations and statuses no walk here can bring about, and why.
const NOT_WALKED: &[(&str, &str, &str)] = &[
    // The password checks' queue must be full: a load test, not an API test.
    ("post", "/api/v1/session", "503"),
    ("put", "/api/v1/session/password", "503"),
];

/// The document, closed, and what the walk has checked so far.
struct Walk {
    document: Value,
    checked: BTreeSet<(String, String, String)>,
}

/// Sets `additionalProperties: false` on every object schema with `properties` that leaves it
/// unsaid, everywhere under `value`.
fn close(value: &mut Value) {
    match value {
        Value::Object(members) => {
            if members.contains_key("properties") && !members.contains_key("additionalProperties") {
                members.insert("additionalProperties".to_owned(), Value::Bool(false));
            }
            for member in members.values_mut() {
                close(member);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(close),
        _ => {}
    }
}

impl Walk {
    /// The document as `app` serves it.
    async fn new(app: &TestApp) -> Walk {
        let answer = app.get("/api/v1/openapi.json", None).await;
        assert_eq!(answer.status, StatusCode::OK);
        let mut document = answer.body;
        close(&mut document["components"]);
        Walk {
            document,
            checked: BTreeSet::new(),
        }
    }

    /// Validates `answer` of `method` on the route `template` against the document: its status
    /// must be one the operation lists (or, with `default`, one it leaves to its default
    /// answer), its body must match that status's schema, and an answer whose documentation
    /// names `Retry-After` must carry it.
    fn check(&mut self, method: &str, template: &str, answer: &Answer, default: bool) {
        let operation = &self.document["paths"][template][method];
        assert!(
            operation.is_object(),
            "{method} {template} is not in the document"
        );
        let status = answer.status.as_str().to_owned();
        let documented = if default {
            assert!(
                operation["responses"].get(&status).is_none(),
                "{method} {template} documents {status} itself"
            );
            "default".to_owned()
        } else {
            status.clone()
        };
        let response = operation["responses"].get(&documented).unwrap_or_else(|| {
            panic!(
                "{method} {template} answered {status}, which the document does not list: {}",
                answer.body
            )
        });
        let schema = &response["content"]["application/json"]["schema"];
        if schema.is_null() {
            assert_eq!(
                answer.body,
                Value::Null,
                "{method} {template} {status} documents no body"
            );
        } else {
            let mut schema = schema.clone();
            schema["components"] = self.document["components"].clone();
            let validator = jsonschema::draft202012::options()
                .should_validate_formats(true)
                .build(&schema)
                .unwrap_or_else(|e| panic!("{method} {template} {status}: a schema: {e}"));
            let errors: Vec<String> = validator
                .iter_errors(&answer.body)
                .map(|error| format!("{} at {}", error, error.instance_path()))
                .collect();
            assert!(
                errors.is_empty(),
                "{method} {template} {status} does not match the document: {errors:#?}\n{}",
                answer.body
            );
        }
        if response["headers"].get("Retry-After").is_some() {
            assert!(
                answer.headers.contains_key("retry-after"),
                "{method} {template} {status} without Retry-After"
            );
        }
        self.checked
            .insert((method.to_owned(), template.to_owned(), documented));
    }

    /// Every operation and status of the document was checked, but those of [`NOT_WALKED`].
    fn assert_complete(&self) {
        let mut missing = Vec::new();
        for (template, operations) in self.document["paths"].as_object().expect("paths") {
            for (method, operation) in operations.as_object().expect("operations") {
                for status in operation["responses"]
                    .as_object()
                    .expect("responses")
                    .keys()
                {
                    let key = (method.clone(), template.clone(), status.clone());
                    let exempt = NOT_WALKED.iter().any(|&(m, t, s)| {
                        (m, t, s) == (method.as_str(), template.as_str(), status.as_str())
                    });
                    if status != "default" && !exempt && !self.checked.contains(&key) {
                        missing.push(key);
                    }
                }
            }
        }
        assert!(missing.is_empty(), "not walked: {missing:#?}");
    }
}

/// A request of `method` to `path` with a raw body, a content type and headers of its own.
async fn raw(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    content_type: Option<&str>,
    body: String,
) -> Answer {
    let mut request = Request::builder().method(method).uri(path);
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    if let Some(content_type) = content_type {
        request = request.header("content-type", content_type);
    }
    app.send(request.body(Body::from(body)).expect("a request"))
        .await
}

/// A body over the 64 KiB limit.
fn too_large() -> String {
    json!({"padding": "x".repeat(70 * 1024)}).to_string()
}

/// Walks one JSON-body route's transport errors: `413`, `415`, and the `401` without a token
/// when it takes one.
async fn transport_errors(
    walk: &mut Walk,
    app: &TestApp,
    method: Method,
    template: &str,
    token: &str,
) {
    let name = method.as_str().to_lowercase();
    let large = raw(
        app,
        method.clone(),
        template,
        Some(token),
        Some("application/json"),
        too_large(),
    )
    .await;
    assert_eq!(large.status, StatusCode::PAYLOAD_TOO_LARGE, "{template}");
    walk.check(&name, template, &large, false);
    let text = raw(
        app,
        method.clone(),
        template,
        Some(token),
        Some("text/plain"),
        "{}".to_owned(),
    )
    .await;
    assert_eq!(
        text.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "{template}"
    );
    walk.check(&name, template, &text, false);
}

/// Sends and checks one call: `method` on `path` (the route `template`), expecting `status` and,
/// for an error, `code`.
#[allow(clippy::too_many_arguments)]
async fn expect(
    walk: &mut Walk,
    app: &TestApp,
    method: Method,
    template: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
    (status, code): (StatusCode, &str),
) -> Answer {
    let answer = call(&app.router, method.clone(), path, token, body).await;
    assert_eq!(answer.status, status, "{method} {path}: {}", answer.body);
    assert_eq!(answer.code(), code, "{method} {path}");
    walk.check(&method.as_str().to_lowercase(), template, &answer, false);
    answer
}

/// An order with an idempotency key, checked.
async fn order(
    walk: &mut Walk,
    app: &TestApp,
    token: &str,
    key: &str,
    body: &Value,
    (status, code): (StatusCode, &str),
) -> Answer {
    let answer = app.order(token, key, body).await;
    assert_eq!(answer.status, status, "order {body}: {}", answer.body);
    assert_eq!(answer.code(), code, "order {body}");
    walk.check("post", "/api/v1/orders", &answer, false);
    answer
}

const OK: (StatusCode, &str) = (StatusCode::OK, "");

#[tokio::test]
async fn every_answer_of_every_route_matches_the_served_document() {
    let app = TestApp::spawn().await;
    let mut walk = Walk::new(&app).await;
    let giulia = app.sign_in(GIULIA).await;
    let marco = app.sign_in(MARCO).await;
    let acme = app.sign_in(ACME).await;
    let anna = app.sign_in(ANNA).await;
    let w = &mut walk;
    let unauthenticated = (StatusCode::UNAUTHORIZED, "unauthenticated");
    let not_contact = (StatusCode::FORBIDDEN, "not_billing_contact");
    let corporate = (StatusCode::FORBIDDEN, "corporate_account");
    let invalid = (StatusCode::UNPROCESSABLE_ENTITY, "invalid_request");

    // Public routes.
    for path in ["/api/v1/health", "/api/v1/catalog", "/api/v1/openapi.json"] {
        expect(w, &app, Method::GET, path, path, None, None, OK).await;
    }
    // A method the route does not take is the operation's default answer.
    let wrong = call(&app.router, Method::DELETE, "/api/v1/catalog", None, None).await;
    assert_eq!(wrong.status, StatusCode::METHOD_NOT_ALLOWED);
    w.check("get", "/api/v1/catalog", &wrong, true);

    // Sign-in.
    let session = "/api/v1/session";
    let body = json!({"email": GIULIA.0, "password": GIULIA.1});
    expect(
        w,
        &app,
        Method::POST,
        session,
        session,
        None,
        Some(&body),
        OK,
    )
    .await;
    let wrong = json!({"email": ANNA.0, "password": "not her password"});
    let refused = (StatusCode::UNAUTHORIZED, "invalid_credentials");
    expect(
        w,
        &app,
        Method::POST,
        session,
        session,
        None,
        Some(&wrong),
        refused,
    )
    .await;
    let odd = json!({"email": GIULIA.0});
    expect(
        w,
        &app,
        Method::POST,
        session,
        session,
        None,
        Some(&odd),
        invalid,
    )
    .await;
    transport_errors(w, &app, Method::POST, session, &giulia).await;
    // S30: after five failures of one e-mail from one address, the sixth waits.
    for _ in 0..4 {
        expect(
            w,
            &app,
            Method::POST,
            session,
            session,
            None,
            Some(&wrong),
            refused,
        )
        .await;
    }
    let wait = (StatusCode::TOO_MANY_REQUESTS, "too_many_attempts");
    expect(
        w,
        &app,
        Method::POST,
        session,
        session,
        None,
        Some(&wrong),
        wait,
    )
    .await;

    // The account and its administration.
    let account = "/api/v1/account";
    let read = expect(
        w,
        &app,
        Method::GET,
        account,
        account,
        Some(&giulia),
        None,
        OK,
    )
    .await;
    assert_eq!(read.body["billing_contact"]["name"], "Giulia Rossi");
    expect(
        w,
        &app,
        Method::GET,
        account,
        account,
        Some(&marco),
        None,
        OK,
    )
    .await;
    expect(
        w,
        &app,
        Method::GET,
        account,
        account,
        None,
        None,
        unauthenticated,
    )
    .await;
    let users = "/api/v1/account/users";
    expect(w, &app, Method::GET, users, users, Some(&marco), None, OK).await;
    expect(
        w,
        &app,
        Method::GET,
        users,
        users,
        Some(&acme),
        None,
        corporate,
    )
    .await;
    expect(
        w,
        &app,
        Method::GET,
        users,
        users,
        None,
        None,
        unauthenticated,
    )
    .await;
    let info = "/api/v1/account/billing-info";
    expect(w, &app, Method::GET, info, info, Some(&giulia), None, OK).await;
    expect(
        w,
        &app,
        Method::GET,
        info,
        info,
        Some(&marco),
        None,
        not_contact,
    )
    .await;
    expect(
        w,
        &app,
        Method::GET,
        info,
        info,
        None,
        None,
        unauthenticated,
    )
    .await;
    let address = json!({"line1": "Via Roma 1", "city": "Milano", "postal_code": "20121"});
    // No VAT id: with one, Rossi would be a business abroad and its prices below reverse-charged.
    let update = json!({"company": "Rossi S.r.l.", "address": address, "vat_id": null});
    let saved = expect(
        w,
        &app,
        Method::PUT,
        info,
        info,
        Some(&giulia),
        Some(&update),
        OK,
    )
    .await;
    assert_eq!(saved.body["address"]["line2"], Value::Null);
    expect(
        w,
        &app,
        Method::PUT,
        info,
        info,
        Some(&marco),
        Some(&update),
        not_contact,
    )
    .await;
    expect(
        w,
        &app,
        Method::PUT,
        info,
        info,
        None,
        Some(&update),
        unauthenticated,
    )
    .await;
    let bad_vat = json!({"company": "Rossi", "address": address, "vat_id": "IT123"});
    let vat = (StatusCode::UNPROCESSABLE_ENTITY, "invalid_vat_id");
    expect(
        w,
        &app,
        Method::PUT,
        info,
        info,
        Some(&giulia),
        Some(&bad_vat),
        vat,
    )
    .await;
    let bad_code = json!({"company": "Rossi", "address": {"line1": "Via Roma 1", "city": "Milano",
        "postal_code": "2012"}});
    let answer = expect(
        w,
        &app,
        Method::PUT,
        info,
        info,
        Some(&giulia),
        Some(&bad_code),
        invalid,
    )
    .await;
    assert_eq!(answer.body["error"]["field"], "address.postal_code");
    transport_errors(w, &app, Method::PUT, info, &giulia).await;

    // Quotes.
    let quote = "/api/v1/quote";
    let priced = expect(
        w,
        &app,
        Method::POST,
        quote,
        quote,
        Some(&giulia),
        Some(&eight_seats()),
        OK,
    )
    .await;
    assert_eq!(priced.body["total"], "93.94");
    expect(
        w,
        &app,
        Method::POST,
        quote,
        quote,
        None,
        Some(&eight_seats()),
        unauthenticated,
    )
    .await;
    let acme_change = json!({"items": [{"op": "change", "subscription": "sub_3", "seats": 130}]});
    expect(
        w,
        &app,
        Method::POST,
        quote,
        quote,
        Some(&acme),
        Some(&acme_change),
        corporate,
    )
    .await;
    let conflicts = [
        (
            json!({"op": "buy", "product": "meeting", "tier": "professional", "seats": 1,
            "frequency": "monthly"}),
            "product_already_subscribed",
        ),
        (
            json!({"op": "resume", "subscription": "sub_1"}),
            "subscription_not_cancelled",
        ),
        (
            json!({"op": "reactivate", "subscription": "sub_1", "tier": "professional", "seats": 1,
            "frequency": "monthly"}),
            "subscription_not_expired",
        ),
    ];
    for (item, code) in conflicts {
        let body = json!({"items": [item]});
        expect(
            w,
            &app,
            Method::POST,
            quote,
            quote,
            Some(&giulia),
            Some(&body),
            (StatusCode::CONFLICT, code),
        )
        .await;
    }
    let expired = json!({"items": [{"op": "change", "subscription": "sub_4", "seats": 4}]});
    let not_active = (StatusCode::CONFLICT, "subscription_not_active");
    expect(
        w,
        &app,
        Method::POST,
        quote,
        quote,
        Some(&anna),
        Some(&expired),
        not_active,
    )
    .await;
    let refusals = [
        (json!({"items": []}), "empty_order"),
        (
            json!({"items": [{"op": "change", "subscription": "sub_1", "seats": 0}]}),
            "invalid_seats",
        ),
        (
            json!({"items": [{"op": "buy", "product": "nothing", "tier": "standard", "seats": 1,
            "frequency": "monthly"}]}),
            "unknown_product",
        ),
        (
            json!({"items": [{"op": "change", "subscription": "sub_1", "tier": "nothing"}]}),
            "unknown_tier",
        ),
        (
            json!({"items": [{"op": "resume", "subscription": "sub_9"}]}),
            "unknown_subscription",
        ),
        (
            json!({"items": [{"op": "change", "subscription": "sub_1", "seats": 6},
            {"op": "cancel", "subscription": "sub_1"}]}),
            "duplicate_item",
        ),
        (
            json!({"items": [{"op": "change", "subscription": "sub_1", "seats": 5}]}),
            "no_change",
        ),
        (
            json!({"items": [{"op": "cancel", "subscription": "sub_1"}], "vat_id": "IT1"}),
            "invalid_vat_id",
        ),
        (
            json!({"items": [{"op": "cancel", "subscription": "sub_1"}], "as_of": "2027-06-01"}),
            "as_of_outside_period",
        ),
        (
            json!({"items": [{"op": "cancel", "subscription": "sub_1", "reason": {"code": "bored"}}]}),
            "invalid_request",
        ),
    ];
    for (body, code) in &refusals {
        let status = (StatusCode::UNPROCESSABLE_ENTITY, *code);
        expect(
            w,
            &app,
            Method::POST,
            quote,
            quote,
            Some(&giulia),
            Some(body),
            status,
        )
        .await;
    }
    transport_errors(w, &app, Method::POST, quote, &giulia).await;

    // Orders: every refusal first, then the order, its replay and the history.
    let orders = "/api/v1/orders";
    let placed_body = eight_seats_order("pm_1");
    let missing_key = call(
        &app.router,
        Method::POST,
        orders,
        Some(&giulia),
        Some(&placed_body),
    )
    .await;
    assert_eq!(missing_key.code(), "missing_idempotency_key");
    w.check("post", orders, &missing_key, false);
    let long_key = "k".repeat(300);
    order(
        w,
        &app,
        &giulia,
        &long_key,
        &placed_body,
        (StatusCode::BAD_REQUEST, "invalid_idempotency_key"),
    )
    .await;
    let mut changed = placed_body.clone();
    changed["expected_total"] = "90.00".into();
    let conflict = order(
        w,
        &app,
        &giulia,
        "k-price",
        &changed,
        (StatusCode::CONFLICT, "price_changed"),
    )
    .await;
    assert_eq!(conflict.body["quote"]["total"], "93.94");
    order(
        w,
        &app,
        &giulia,
        "k-declined",
        &eight_seats_order("pm_2"),
        (StatusCode::PAYMENT_REQUIRED, "payment_declined"),
    )
    .await;
    // The stored decline is replayed for its key (S22), through the same types.
    order(
        w,
        &app,
        &giulia,
        "k-declined",
        &eight_seats_order("pm_2"),
        (StatusCode::PAYMENT_REQUIRED, "payment_declined"),
    )
    .await;
    order(w, &app, &marco, "k-marco", &placed_body, not_contact).await;
    order(w, &app, &acme, "k-acme", &acme_change, corporate).await;
    order(
        w,
        &app,
        &giulia,
        "k-card",
        &eight_seats_order("pm_9"),
        (StatusCode::UNPROCESSABLE_ENTITY, "payment_method_required"),
    )
    .await;
    order(w, &app, &giulia, "k-total", &eight_seats(), invalid).await;
    let taken = json!({"items": [{"op": "buy", "product": "meeting", "tier": "professional",
        "seats": 1, "frequency": "monthly"}], "expected_total": "0.00"});
    order(
        w,
        &app,
        &giulia,
        "k-taken",
        &taken,
        (StatusCode::CONFLICT, "product_already_subscribed"),
    )
    .await;
    let no_token = app
        .post_raw(orders, None, Some("k-none"), placed_body.to_string())
        .await;
    assert_eq!(no_token.status, StatusCode::UNAUTHORIZED);
    w.check("post", orders, &no_token, false);
    let large = app
        .post_raw(orders, Some(&giulia), Some("k-large"), too_large())
        .await;
    assert_eq!(large.status, StatusCode::PAYLOAD_TOO_LARGE);
    w.check("post", orders, &large, false);
    let request = Request::builder()
        .method(Method::POST)
        .uri(orders)
        .header("authorization", format!("Bearer {giulia}"))
        .header("idempotency-key", "k-text")
        .header("content-type", "text/plain")
        .body(Body::from("{}"))
        .expect("a request");
    let text = app.send(request).await;
    assert_eq!(text.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    w.check("post", orders, &text, false);
    let placed = order(
        w,
        &app,
        &giulia,
        "k-1",
        &placed_body,
        (StatusCode::CREATED, ""),
    )
    .await;
    assert_eq!(placed.body["kind"], "order");
    let replayed = order(
        w,
        &app,
        &giulia,
        "k-1",
        &placed_body,
        (StatusCode::CREATED, ""),
    )
    .await;
    assert_eq!(replayed.body, placed.body);
    order(
        w,
        &app,
        &giulia,
        "k-1",
        &eight_seats_order("pm_2"),
        (StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused"),
    )
    .await;
    // A cancellation with its reason (R29) stores the reason with the order.
    let cancel = json!({"items": [{"op": "cancel", "subscription": "sub_2",
        "reason": {"code": "not_using", "text": "We meet in person now"}}], "expected_total": "0.00"});
    let cancelled = order(w, &app, &giulia, "k-2", &cancel, (StatusCode::CREATED, "")).await;
    assert_eq!(
        cancelled.body["cancellation_reasons"][0]["code"],
        "not_using"
    );
    let history = expect(
        w,
        &app,
        Method::GET,
        orders,
        orders,
        Some(&giulia),
        None,
        OK,
    )
    .await;
    assert_eq!(history.body["orders"].as_array().map(Vec::len), Some(2));
    expect(
        w,
        &app,
        Method::GET,
        orders,
        orders,
        None,
        None,
        unauthenticated,
    )
    .await;
    let one = "/api/v1/orders/{id}";
    let id = placed.body["id"].as_str().expect("an id");
    let receipt = expect(
        w,
        &app,
        Method::GET,
        one,
        &format!("/api/v1/orders/{id}"),
        Some(&giulia),
        None,
        OK,
    )
    .await;
    // The receipt is the order with the billing information it was placed with (R27, S77).
    let mut shown = receipt.body.clone();
    let info = shown
        .as_object_mut()
        .and_then(|members| members.remove("billing_info"));
    assert_eq!(shown, placed.body);
    assert_eq!(info.expect("billing_info")["company"], "Rossi S.r.l.");
    let not_found = (StatusCode::NOT_FOUND, "not_found");
    expect(
        w,
        &app,
        Method::GET,
        one,
        "/api/v1/orders/ord_unknown",
        Some(&giulia),
        None,
        not_found,
    )
    .await;
    expect(
        w,
        &app,
        Method::GET,
        one,
        &format!("/api/v1/orders/{id}"),
        Some(&anna),
        None,
        not_found,
    )
    .await;
    expect(
        w,
        &app,
        Method::GET,
        one,
        &format!("/api/v1/orders/{id}"),
        None,
        None,
        unauthenticated,
    )
    .await;

    // Payment methods.
    let cards = "/api/v1/payment-methods";
    expect(w, &app, Method::GET, cards, cards, Some(&giulia), None, OK).await;
    expect(
        w,
        &app,
        Method::GET,
        cards,
        cards,
        Some(&marco),
        None,
        not_contact,
    )
    .await;
    expect(
        w,
        &app,
        Method::GET,
        cards,
        cards,
        None,
        None,
        unauthenticated,
    )
    .await;
    let default = "/api/v1/payment-methods/{id}/default";
    expect(
        w,
        &app,
        Method::PUT,
        default,
        "/api/v1/payment-methods/pm_2/default",
        Some(&giulia),
        None,
        OK,
    )
    .await;
    expect(
        w,
        &app,
        Method::PUT,
        default,
        "/api/v1/payment-methods/pm_9/default",
        Some(&giulia),
        None,
        not_found,
    )
    .await;
    expect(
        w,
        &app,
        Method::PUT,
        default,
        "/api/v1/payment-methods/pm_1/default",
        Some(&marco),
        None,
        not_contact,
    )
    .await;
    expect(
        w,
        &app,
        Method::PUT,
        default,
        "/api/v1/payment-methods/pm_1/default",
        None,
        None,
        unauthenticated,
    )
    .await;
    let card = "/api/v1/payment-methods/{id}";
    let removed = expect(
        w,
        &app,
        Method::DELETE,
        card,
        "/api/v1/payment-methods/pm_2",
        Some(&giulia),
        None,
        (StatusCode::NO_CONTENT, ""),
    )
    .await;
    assert_eq!(removed.body, Value::Null);
    let in_use = (StatusCode::CONFLICT, "payment_method_in_use");
    expect(
        w,
        &app,
        Method::DELETE,
        card,
        "/api/v1/payment-methods/pm_1",
        Some(&giulia),
        None,
        in_use,
    )
    .await;
    expect(
        w,
        &app,
        Method::DELETE,
        card,
        "/api/v1/payment-methods/pm_9",
        Some(&giulia),
        None,
        not_found,
    )
    .await;
    expect(
        w,
        &app,
        Method::DELETE,
        card,
        "/api/v1/payment-methods/pm_1",
        Some(&marco),
        None,
        not_contact,
    )
    .await;
    expect(
        w,
        &app,
        Method::DELETE,
        card,
        "/api/v1/payment-methods/pm_1",
        None,
        None,
        unauthenticated,
    )
    .await;

    walk_card_setup(w).await;

    // The billing contact's handover, then the password change and sign-out.
    let contact = "/api/v1/account/billing-contact";
    let unknown = json!({"user": "usr_nobody"});
    let unknown_user = (StatusCode::UNPROCESSABLE_ENTITY, "unknown_user");
    expect(
        w,
        &app,
        Method::PUT,
        contact,
        contact,
        Some(&giulia),
        Some(&unknown),
        unknown_user,
    )
    .await;
    let odd = json!({"user": "usr_marco", "also": 1});
    expect(
        w,
        &app,
        Method::PUT,
        contact,
        contact,
        Some(&giulia),
        Some(&odd),
        invalid,
    )
    .await;
    let to_marco = json!({"user": "usr_marco"});
    expect(
        w,
        &app,
        Method::PUT,
        contact,
        contact,
        Some(&marco),
        Some(&to_marco),
        not_contact,
    )
    .await;
    expect(
        w,
        &app,
        Method::PUT,
        contact,
        contact,
        Some(&acme),
        Some(&json!({"user": "usr_acme"})),
        corporate,
    )
    .await;
    expect(
        w,
        &app,
        Method::PUT,
        contact,
        contact,
        None,
        Some(&to_marco),
        unauthenticated,
    )
    .await;
    transport_errors(w, &app, Method::PUT, contact, &giulia).await;
    expect(
        w,
        &app,
        Method::PUT,
        contact,
        contact,
        Some(&giulia),
        Some(&to_marco),
        OK,
    )
    .await;

    // Marco: Anna's failed sign-ins above already make her e-mail wait at this address (S30).
    let password = "/api/v1/session/password";
    let wrong_current = json!({"current_password": "nope", "new_password": "a long new password"});
    let wrong_password = (StatusCode::FORBIDDEN, "invalid_credentials");
    expect(
        w,
        &app,
        Method::PUT,
        password,
        password,
        Some(&marco),
        Some(&wrong_current),
        wrong_password,
    )
    .await;
    let short = json!({"current_password": MARCO.1, "new_password": "short"});
    expect(
        w,
        &app,
        Method::PUT,
        password,
        password,
        Some(&marco),
        Some(&short),
        invalid,
    )
    .await;
    expect(
        w,
        &app,
        Method::PUT,
        password,
        password,
        None,
        Some(&short),
        unauthenticated,
    )
    .await;
    transport_errors(w, &app, Method::PUT, password, &marco).await;
    // The wrong current passwords count like sign-ins (S30): the fifth failure then waits.
    for _ in 0..4 {
        expect(
            w,
            &app,
            Method::PUT,
            password,
            password,
            Some(&marco),
            Some(&wrong_current),
            wrong_password,
        )
        .await;
    }
    expect(
        w,
        &app,
        Method::PUT,
        password,
        password,
        Some(&marco),
        Some(&wrong_current),
        wait,
    )
    .await;
    let change = json!({"current_password": ACME.1, "new_password": "a long new password"});
    expect(
        w,
        &app,
        Method::PUT,
        password,
        password,
        Some(&acme),
        Some(&change),
        (StatusCode::NO_CONTENT, ""),
    )
    .await;
    expect(
        w,
        &app,
        Method::DELETE,
        session,
        session,
        Some(&giulia),
        None,
        (StatusCode::NO_CONTENT, ""),
    )
    .await;
    expect(
        w,
        &app,
        Method::DELETE,
        session,
        session,
        Some(&giulia),
        None,
        unauthenticated,
    )
    .await;

    walk_renewals(&mut walk).await;
    walk.assert_complete();
}

/// A call of "Paga ora": the token, the path, the body and the status and code expected.
type PayCall<'a> = (Option<&'a str>, &'a str, Value, (StatusCode, &'a str));

/// Walks the renewals of the history and "Paga ora" (R28, R31, S73, S75) on an app of its own:
/// the renewal worker's round on the meeting's due date, with the declining test card as the
/// default (S79), leaves a `payment_failed` renewal to read and to pay.
async fn walk_renewals(w: &mut Walk) {
    // The entry is one of two closed shapes, so a renewal cannot pass as an order (S62).
    let entry = &w.document["components"]["schemas"]["HistoryEntry"]["oneOf"];
    let shapes: Vec<&str> = entry
        .as_array()
        .expect("HistoryEntry is oneOf")
        .iter()
        .filter_map(|shape| shape["$ref"].as_str())
        .collect();
    assert_eq!(
        shapes,
        ["#/components/schemas/Order", "#/components/schemas/Renewal"]
    );
    let app = TestApp::spawn().await;
    let giulia = app.sign_in(GIULIA).await;
    let marco = app.sign_in(MARCO).await;
    let acme = app.sign_in(ACME).await;
    let anna = app.sign_in(ANNA).await;
    let renewal = "ren_sub_1_20261201";
    expect(
        w,
        &app,
        Method::PUT,
        "/api/v1/payment-methods/{id}/default",
        "/api/v1/payment-methods/pm_2/default",
        Some(&giulia),
        None,
        OK,
    )
    .await;
    let round = crate::renewals::round_on(&app, "2026-12-01").await;
    assert_eq!(round.failed, 1, "{round:?}");

    let orders = "/api/v1/orders";
    let history = expect(
        w,
        &app,
        Method::GET,
        orders,
        orders,
        Some(&giulia),
        None,
        OK,
    )
    .await;
    assert_eq!(history.body["orders"][0]["id"], renewal);
    assert_eq!(history.body["orders"][0]["status"], "payment_failed");
    let one = "/api/v1/orders/{id}";
    let shown = expect(
        w,
        &app,
        Method::GET,
        one,
        &format!("/api/v1/orders/{renewal}"),
        Some(&giulia),
        None,
        OK,
    )
    .await;
    assert_eq!(shown.body, history.body["orders"][0]);

    let pay = "/api/v1/orders/{id}/pay";
    let path = format!("/api/v1/orders/{renewal}/pay");
    let with = |card: &str| json!({ "payment_method": card });
    transport_errors(w, &app, Method::POST, pay, &giulia).await;
    let calls: [PayCall<'_>; 8] = [
        (
            None,
            &path,
            with("pm_1"),
            (StatusCode::UNAUTHORIZED, "unauthenticated"),
        ),
        (
            Some(&marco),
            &path,
            with("pm_1"),
            (StatusCode::FORBIDDEN, "not_billing_contact"),
        ),
        (
            Some(&acme),
            &path,
            with("pm_1"),
            (StatusCode::FORBIDDEN, "corporate_account"),
        ),
        (
            Some(&anna),
            &path,
            with("pm_1"),
            (StatusCode::NOT_FOUND, "not_found"),
        ),
        (
            Some(&giulia),
            "/api/v1/orders/ren_sub_9_20261201/pay",
            with("pm_1"),
            (StatusCode::NOT_FOUND, "not_found"),
        ),
        (
            Some(&giulia),
            &path,
            with("pm_9"),
            (StatusCode::UNPROCESSABLE_ENTITY, "payment_method_required"),
        ),
        (
            Some(&giulia),
            &path,
            json!({"payment_method": "pm_1", "amount": "1.00"}),
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid_request"),
        ),
        (
            Some(&giulia),
            &path,
            with("pm_2"),
            (StatusCode::PAYMENT_REQUIRED, "payment_declined"),
        ),
    ];
    for (token, target, body, outcome) in &calls {
        expect(
            w,
            &app,
            Method::POST,
            pay,
            target,
            *token,
            Some(body),
            *outcome,
        )
        .await;
    }
    let paid = expect(
        w,
        &app,
        Method::POST,
        pay,
        &path,
        Some(&giulia),
        Some(&with("pm_1")),
        OK,
    )
    .await;
    assert_eq!(paid.body["status"], "paid");
    expect(
        w,
        &app,
        Method::POST,
        pay,
        &path,
        Some(&giulia),
        Some(&with("pm_1")),
        (StatusCode::CONFLICT, "not_payable"),
    )
    .await;
    // The paid renewal's receipt carries the billing information it was settled with (S77).
    let receipt = expect(
        w,
        &app,
        Method::GET,
        one,
        &format!("/api/v1/orders/{renewal}"),
        Some(&giulia),
        None,
        OK,
    )
    .await;
    assert_eq!(receipt.body, paid.body);
    assert_eq!(receipt.body["billing_info"]["company"], "Rossi S.r.l.");
}

#[tokio::test]
async fn an_account_without_a_billing_contact_matches_the_document() {
    // S50: the document allows `billing_contact: null`; the server writes it so.
    let app = TestApp::spawn().await;
    let mut walk = Walk::new(&app).await;
    let marco = app.sign_in(MARCO).await;
    app.execute_sql("UPDATE users SET is_billing_contact = 0 WHERE account_id = 'acc_rossi'")
        .await;
    let account = "/api/v1/account";
    let answer = expect(
        &mut walk,
        &app,
        Method::GET,
        account,
        account,
        Some(&marco),
        None,
        OK,
    )
    .await;
    assert_eq!(answer.body["billing_contact"], Value::Null);
}

#[tokio::test]
async fn an_order_stored_before_orders_had_a_kind_is_read_as_an_order() {
    // Bodies stored before api.md v1.1 have no `kind`; every one was placed in the checkout.
    let app = TestApp::spawn().await;
    let mut walk = Walk::new(&app).await;
    let giulia = app.sign_in(GIULIA).await;
    let placed = order(
        &mut walk,
        &app,
        &giulia,
        "k-old",
        &eight_seats_order("pm_1"),
        (StatusCode::CREATED, ""),
    )
    .await;
    app.execute_sql(r#"UPDATE orders SET body = replace(body, '"kind":"order",', '')"#)
        .await;
    app.execute_sql(
        r#"UPDATE idempotency_keys SET response = replace(response, '"kind":"order",', '')"#,
    )
    .await;
    let pool = sqlx::AnyPool::connect(&app.url)
        .await
        .expect("a connection");
    let stored: Vec<String> = sqlx::query_scalar(
        "SELECT body FROM orders UNION ALL SELECT response FROM idempotency_keys",
    )
    .fetch_all(&pool)
    .await
    .expect("the stored bodies");
    pool.close().await;
    assert!(
        !stored.is_empty()
            && stored
                .iter()
                .all(|body| !body.contains(r#""kind":"order""#)),
        "{stored:?}"
    );
    let orders = "/api/v1/orders";
    let history = expect(
        &mut walk,
        &app,
        Method::GET,
        orders,
        orders,
        Some(&giulia),
        None,
        OK,
    )
    .await;
    // The history's entry is the answer with the billing information it was placed with (S77).
    let mut listed = history.body["orders"][0].clone();
    let info = listed
        .as_object_mut()
        .and_then(|members| members.remove("billing_info"));
    assert_eq!(listed, placed.body);
    assert_eq!(info.expect("billing_info")["company"], "Rossi S.r.l.");
    // The replay of its key reads the stored answer the same way.
    let replayed = order(
        &mut walk,
        &app,
        &giulia,
        "k-old",
        &eight_seats_order("pm_1"),
        (StatusCode::CREATED, ""),
    )
    .await;
    assert_eq!(replayed.body, placed.body);
}

/// Walks adding a card (R25, S85-S86) on an app of its own: set-ups started at the demo
/// provider, the card typed on its page (its router, sent plain form posts as a browser would),
/// then saved, refused, not confirmed yet, another account's, and refused to the wrong users.
async fn walk_card_setup(w: &mut Walk) {
    let app = TestApp::spawn().await;
    let giulia = app.sign_in(GIULIA).await;
    let marco = app.sign_in(MARCO).await;
    let acme = app.sign_in(ACME).await;
    let anna = app.sign_in(ANNA).await;
    let page = checkout_server::card_page::router(app.state.store.clone(), app.state.clock);
    let setup = "/api/v1/payment-methods/setup";
    let cards = "/api/v1/payment-methods";

    // Starting one needs an origin to come back to: the Host header here (S85).
    let start = |token: String| {
        let request = Request::builder()
            .method(Method::POST)
            .uri(setup)
            .header("authorization", format!("Bearer {token}"))
            .header("host", "localhost")
            .body(Body::empty())
            .expect("a request");
        app.send(request)
    };
    let mut started = Vec::new();
    for _ in 0..3 {
        let answer = start(giulia.clone()).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        w.check("post", setup, &answer, false);
        let id = answer.body["setup"]
            .as_str()
            .expect("a set-up id")
            .to_owned();
        let url = answer.body["url"].as_str().expect("a url");
        assert!(url.ends_with(&format!("/setup/{id}")), "{url}");
        started.push(id);
    }
    for (token, status, code) in [
        (&marco, StatusCode::FORBIDDEN, "not_billing_contact"),
        (&acme, StatusCode::FORBIDDEN, "corporate_account"),
    ] {
        let answer = start(token.clone()).await;
        assert_eq!(
            (answer.status, answer.code()),
            (status, code),
            "{}",
            answer.body
        );
        w.check("post", setup, &answer, false);
    }
    let unauthenticated = (StatusCode::UNAUTHORIZED, "unauthenticated");
    expect(
        w,
        &app,
        Method::POST,
        setup,
        setup,
        None,
        None,
        unauthenticated,
    )
    .await;
    // Without an Origin or a Host header there is nowhere to send the customer back to.
    let invalid = (StatusCode::UNPROCESSABLE_ENTITY, "invalid_request");
    expect(
        w,
        &app,
        Method::POST,
        setup,
        setup,
        Some(&giulia),
        None,
        invalid,
    )
    .await;

    // Before the card is typed the set-up is not confirmed.
    let saved_one = json!({"setup": started[0]});
    let pending = (StatusCode::CONFLICT, "setup_not_confirmed");
    let pending_answer = expect(
        w,
        &app,
        Method::POST,
        cards,
        cards,
        Some(&giulia),
        Some(&saved_one),
        pending,
    )
    .await;
    assert_eq!(pending_answer.body["error"]["field"], "setup");
    // The card page: a succeeding card on the first set-up, a declined one on the second.
    for (id, number) in [
        (&started[0], "4242424242424242"),
        (&started[1], "4000000000000002"),
    ] {
        let form = format!("number={number}&exp=04%2F28&cvc=123");
        let request = Request::builder()
            .method(Method::POST)
            .uri(format!("/setup/{id}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(form))
            .expect("a request");
        let typed = tower::ServiceExt::oneshot(page.clone(), request)
            .await
            .expect("the card page answers");
        assert_eq!(typed.status(), StatusCode::SEE_OTHER, "{number}");
    }
    let saved = expect(
        w,
        &app,
        Method::POST,
        cards,
        cards,
        Some(&giulia),
        Some(&saved_one),
        (StatusCode::CREATED, ""),
    )
    .await;
    assert_eq!(saved.body["last4"], "4242");
    let refused = (StatusCode::PAYMENT_REQUIRED, "payment_method_refused");
    let declined = json!({"setup": started[1]});
    expect(
        w,
        &app,
        Method::POST,
        cards,
        cards,
        Some(&giulia),
        Some(&declined),
        refused,
    )
    .await;
    // Another account's set-up reads as none: Anna's own, asked by Giulia.
    let theirs = start(anna.clone()).await;
    assert_eq!(theirs.status, StatusCode::OK, "{}", theirs.body);
    let theirs = json!({"setup": theirs.body["setup"]});
    let not_found = (StatusCode::NOT_FOUND, "not_found");
    expect(
        w,
        &app,
        Method::POST,
        cards,
        cards,
        Some(&giulia),
        Some(&theirs),
        not_found,
    )
    .await;
    let third = json!({"setup": started[2]});
    for (token, status) in [
        (Some(&marco), (StatusCode::FORBIDDEN, "not_billing_contact")),
        (Some(&acme), (StatusCode::FORBIDDEN, "corporate_account")),
        (None, unauthenticated),
    ] {
        let token = token.map(String::as_str);
        expect(
            w,
            &app,
            Method::POST,
            cards,
            cards,
            token,
            Some(&third),
            status,
        )
        .await;
    }
    let odd = json!({"setup": started[2], "card": "4242424242424242"});
    expect(
        w,
        &app,
        Method::POST,
        cards,
        cards,
        Some(&giulia),
        Some(&odd),
        invalid,
    )
    .await;
    transport_errors(w, &app, Method::POST, cards, &giulia).await;
}
