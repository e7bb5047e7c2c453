//! `POST /api/v1/orders` error codes, the billing history and receipts.

use axum::http::StatusCode;
use checkout_server::mail::{LogMailer, drain_once};
use serde_json::{Value, json};

use crate::helpers::{ACME, ANNA, GIULIA, MARCO, TestApp, eight_seats_order};

/// Quotes `body`, then orders it with the quoted total.
async fn quote_and_order(
    app: &TestApp,
    token: &str,
    key: &str,
    mut body: Value,
) -> crate::helpers::Answer {
    let quote = app.post("/api/v1/quote", Some(token), &body).await;
    assert_eq!(quote.status, StatusCode::OK, "{:?}", quote.body);
    body["expected_total"] = quote.body["total"].clone();
    app.order(token, key, &body).await
}

async fn assert_refused(app: &TestApp, token: &str, body: Value, status: StatusCode, code: &str) {
    let before = app.account(token).await;
    let orders = app.order_count("acc_rossi").await;
    let answer = app.order(token, &format!("key-{code}"), &body).await;
    assert_eq!(
        (answer.status, answer.code()),
        (status, code),
        "{body} -> {:?}",
        answer.body
    );
    assert!(
        answer.body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
    assert_eq!(
        app.account(token).await,
        before,
        "{code} changed the account"
    );
    assert_eq!(
        app.order_count("acc_rossi").await,
        orders,
        "{code} placed an order"
    );
}

#[tokio::test]
async fn the_order_errors_of_the_contract_place_nothing() {
    let app = TestApp::spawn().await;
    let t = app.sign_in(GIULIA).await;
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let conflict = StatusCode::CONFLICT;
    let change = |extra: Value| {
        let mut item = json!({"op": "change", "subscription": "sub_1"});
        for (k, v) in extra.as_object().expect("object") {
            item[k] = v.clone();
        }
        json!({"items": [item], "expected_total": "0.00", "payment_method": "pm_1"})
    };
    assert_refused(
        &app,
        &t,
        change(json!({"seats": 5})),
        unprocessable,
        "no_change",
    )
    .await;
    assert_refused(
        &app,
        &t,
        change(json!({"tier": "ultra"})),
        unprocessable,
        "unknown_tier",
    )
    .await;
    assert_refused(
        &app,
        &t,
        change(json!({"seats": 251})),
        unprocessable,
        "invalid_seats",
    )
    .await;
    let mut vat = eight_seats_order("pm_1");
    vat["vat_id"] = "IT00743110158".into();
    assert_refused(&app, &t, vat, unprocessable, "invalid_vat_id").await;
    let buy = |product: &str, tier: &str| {
        json!({"items": [{"op": "buy", "product": product, "tier": tier, "seats": 1, "frequency": "monthly"}],
               "expected_total": "1.00", "payment_method": "pm_1"})
    };
    assert_refused(
        &app,
        &t,
        buy("meeting", "business"),
        conflict,
        "product_already_subscribed",
    )
    .await;
    assert_refused(
        &app,
        &t,
        buy("fax", "basic"),
        unprocessable,
        "unknown_product",
    )
    .await;
    let on_sub = |op: &str| json!({"items": [{"op": op, "subscription": "sub_1"}], "expected_total": "0.00"});
    assert_refused(
        &app,
        &t,
        on_sub("resume"),
        conflict,
        "subscription_not_cancelled",
    )
    .await;
    let reactivate = json!({"items": [{"op": "reactivate", "subscription": "sub_1", "tier": "business",
        "seats": 2, "frequency": "monthly"}], "expected_total": "0.00"});
    assert_refused(&app, &t, reactivate, conflict, "subscription_not_expired").await;
    let trial = json!({"items": [{"op": "trial", "product": "meeting", "tier": "business"}], "expected_total": "0.00"});
    assert_refused(&app, &t, trial, conflict, "trial_not_available").await;
    let mut stale = eight_seats_order("pm_1");
    stale["expected_total"] = "90.00".into();
    assert_refused(&app, &t, stale.clone(), conflict, "price_changed").await;
    let answer = app.order(&t, "stale", &stale).await;
    assert_eq!(
        answer.body["quote"]["total"], "93.94",
        "R24: the fresh quote comes along"
    );
    let mut no_total = eight_seats_order("pm_1");
    no_total
        .as_object_mut()
        .expect("object")
        .remove("expected_total");
    assert_refused(&app, &t, no_total, unprocessable, "invalid_request").await;
    let mut no_method = eight_seats_order("pm_1");
    no_method
        .as_object_mut()
        .expect("object")
        .remove("payment_method");
    assert_refused(
        &app,
        &t,
        no_method,
        unprocessable,
        "payment_method_required",
    )
    .await;
    assert_refused(
        &app,
        &t,
        eight_seats_order("pm_999"),
        unprocessable,
        "payment_method_required",
    )
    .await;
    assert_refused(
        &app,
        &t,
        eight_seats_order("pm_2"),
        StatusCode::PAYMENT_REQUIRED,
        "payment_declined",
    )
    .await;
    let marco = app.sign_in(MARCO).await;
    assert_refused(
        &app,
        &marco,
        eight_seats_order("pm_1"),
        StatusCode::FORBIDDEN,
        "not_billing_contact",
    )
    .await;
    // After a decline the same order goes through with another card (R20).
    assert_eq!(
        app.order(&t, "retry", &eight_seats_order("pm_1"))
            .await
            .status,
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn a_corporate_account_cannot_order() {
    let app = TestApp::spawn().await;
    let acme = app.sign_in(ACME).await;
    let body = json!({"items": [{"op": "change", "subscription": "sub_3", "seats": 130}], "expected_total": "0.00"});
    let answer = app.order(&acme, "acme-1", &body).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert_eq!(answer.code(), "corporate_account");
    assert_eq!(app.order_count("acc_acme").await, 0);
}

#[tokio::test]
async fn a_cancelled_subscription_cannot_be_changed_but_can_be_resumed() {
    let app = TestApp::spawn().await;
    let t = app.sign_in(GIULIA).await;
    let cancel =
        json!({"items": [{"op": "cancel", "subscription": "sub_2"}], "expected_total": "0.00"});
    let placed = app.order(&t, "cancel", &cancel).await;
    assert_eq!(placed.status, StatusCode::CREATED, "{:?}", placed.body);
    assert_eq!(placed.body["status"], "no_payment_needed");
    assert_eq!(placed.body["assign_licenses"], false);
    let account = app.account(&t).await;
    assert_eq!(
        account["subscriptions"][1]["status"],
        "pending_cancellation"
    );
    let change = json!({"items": [{"op": "change", "subscription": "sub_2", "seats": 2}], "expected_total": "0.00"});
    let refused = app.order(&t, "change-cancelled", &change).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(refused.code(), "subscription_not_active");
    let resume =
        json!({"items": [{"op": "resume", "subscription": "sub_2"}], "expected_total": "0.00"});
    assert_eq!(
        app.order(&t, "resume", &resume).await.status,
        StatusCode::CREATED
    );
    assert_eq!(
        app.account(&t).await["subscriptions"][1]["status"],
        "active"
    );
}

#[tokio::test]
async fn a_downgrade_needs_customer_care() {
    let app = TestApp::spawn().await;
    let t = app.sign_in(GIULIA).await;
    let up = json!({"items": [{"op": "change", "subscription": "sub_2", "tier": "standard"}], "payment_method": "pm_1"});
    assert_eq!(
        quote_and_order(&app, &t, "up", up).await.status,
        StatusCode::CREATED
    );
    let down = json!({"items": [{"op": "change", "subscription": "sub_2", "tier": "lite"}], "expected_total": "0.00"});
    let answer = app.order(&t, "down", &down).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer.code(), "downgrade_requires_support");
    assert_eq!(answer.body["error"]["field"], "items[0].tier");
}

#[tokio::test]
async fn a_trial_needs_no_payment_method() {
    let app = TestApp::spawn().await;
    let t = app.sign_in(GIULIA).await;
    let trial = json!({"items": [{"op": "trial", "product": "remote-support", "tier": "standard"}], "expected_total": "0.00"});
    let answer = app.order(&t, "trial", &trial).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{:?}", answer.body);
    assert_eq!(answer.body["status"], "no_payment_needed");
    let account = app.account(&t).await;
    let sub = &account["subscriptions"][2];
    assert_eq!(sub["status"], "trial");
    assert_eq!(sub["period_end"], "2026-11-30");
    assert!(sub["id"].as_str().is_some_and(|id| id.starts_with("sub_")));
}

#[tokio::test]
async fn an_expired_account_without_a_card_must_add_one_to_reactivate() {
    let app = TestApp::spawn().await;
    let anna = app.sign_in(ANNA).await;
    let body = json!({"items": [{"op": "reactivate", "subscription": "sub_4", "tier": "professional",
        "seats": 3, "frequency": "monthly"}]});
    let answer = quote_and_order(&app, &anna, "anna", body).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer.code(), "payment_method_required");
    assert_eq!(answer.body["error"]["field"], "payment_method");
}

#[tokio::test]
async fn the_billing_history_lists_orders_newest_first_and_shows_each_receipt() {
    let app = TestApp::spawn().await;
    let t = app.sign_in(GIULIA).await;
    let empty = app.get("/api/v1/orders", Some(&t)).await;
    assert_eq!(empty.body, json!({"orders": []}));
    let first = app.order(&t, "one", &eight_seats_order("pm_1")).await;
    let cancel =
        json!({"items": [{"op": "cancel", "subscription": "sub_2"}], "expected_total": "0.00"});
    let second = app.order(&t, "two", &cancel).await;
    let list = app.get("/api/v1/orders", Some(&t)).await;
    assert_eq!(list.status, StatusCode::OK);
    // R28: each entry of the history says it is an order (renewals are entries too), and keeps
    // every field of the order's answer, with the billing information it was placed with (S77).
    let entry = |placed: &Value| {
        let mut entry = placed.clone();
        entry["kind"] = "order".into();
        entry
    };
    let mut listed = list.body["orders"].clone();
    for order in listed.as_array_mut().expect("a list") {
        let info = order
            .as_object_mut()
            .and_then(|fields| fields.remove("billing_info"));
        assert_eq!(info.expect("billing_info")["company"], "Rossi S.r.l.");
    }
    assert_eq!(listed, json!([entry(&second.body), entry(&first.body)]));
    let id = first.body["id"].as_str().expect("an id");
    let one = app.get(&format!("/api/v1/orders/{id}"), Some(&t)).await;
    assert_eq!(one.status, StatusCode::OK);
    // The receipt also shows the billing information the order was placed with (R27).
    let mut receipt = one.body.clone();
    let info = receipt
        .as_object_mut()
        .and_then(|fields| fields.remove("billing_info"));
    assert_eq!(receipt, entry(&first.body));
    assert_eq!(info.expect("billing_info")["company"], "Rossi S.r.l.");
    // Marco reads the same history; another account's user gets 404.
    let marco = app.sign_in(MARCO).await;
    assert_eq!(
        app.get(&format!("/api/v1/orders/{id}"), Some(&marco))
            .await
            .status,
        StatusCode::OK
    );
    let anna = app.sign_in(ANNA).await;
    let other = app.get(&format!("/api/v1/orders/{id}"), Some(&anna)).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    assert_eq!(other.code(), "not_found");
    assert_eq!(
        app.get("/api/v1/orders", Some(&anna)).await.body,
        json!({"orders": []})
    );
    assert_eq!(
        app.get("/api/v1/orders/nope", Some(&t)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/api/v1/orders", None).await.code(),
        "unauthenticated"
    );
    assert_eq!(
        app.get(&format!("/api/v1/orders/{id}"), None).await.code(),
        "unauthenticated"
    );
}

#[tokio::test]
async fn the_receipt_email_is_written_with_the_order_and_sent_by_the_worker() {
    let app = TestApp::spawn().await;
    let t = app.sign_in(GIULIA).await;
    let store = &app.state.store;
    assert_eq!(store.unsent_count().await.expect("count"), 0);
    app.order(&t, "mail", &eight_seats_order("pm_1")).await;
    app.order(&t, "mail", &eight_seats_order("pm_1")).await;
    let pending = store.pending_mail(10).await.expect("pending");
    assert_eq!(pending.len(), 1, "one e-mail per order, not per request");
    assert_eq!(pending[0].recipient, GIULIA.0);
    assert!(pending[0].body.contains("93.94"));
    assert_eq!(drain_once(store, &LogMailer).await.expect("drained"), 1);
    assert_eq!(store.unsent_count().await.expect("count"), 0);
}

#[tokio::test]
async fn an_expired_card_cannot_pay_and_periods_renew_up_to_today() {
    let app = TestApp::spawn_at("2028-05-03").await;
    let t = app.sign_in(GIULIA).await;
    let account = app.account(&t).await;
    assert_eq!(account["subscriptions"][0]["period_start"], "2028-05-01");
    assert_eq!(account["subscriptions"][0]["period_end"], "2028-06-01");
    let body = json!({"items": [{"op": "change", "subscription": "sub_1", "seats": 8}], "payment_method": "pm_1"});
    let answer = quote_and_order(&app, &t, "expired-card", body).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer.code(), "payment_method_required");
}
