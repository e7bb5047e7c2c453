//! `GET /api/v1/account` and renewal on read (R16).

use axum::http::StatusCode;

use crate::helpers::{ACME, ANNA, GIULIA, MARCO, TestApp};

#[tokio::test]
async fn giulia_sees_the_rossi_account_as_its_billing_contact() {
    let app = TestApp::spawn().await;
    let token = app.sign_in(GIULIA).await;
    let account = app.account(&token).await;
    assert_eq!(account["id"], "acc_rossi");
    assert_eq!(account["name"], "Rossi S.r.l.");
    assert_eq!(account["kind"], "standard");
    assert_eq!(account["country"], "IT");
    assert_eq!(account["currency"], "EUR");
    assert_eq!(account["vat_id"], serde_json::Value::Null);
    assert_eq!(account["credit"], "0.00");
    assert_eq!(account["is_billing_contact"], true);
    assert_eq!(account["billing_contact"]["email"], GIULIA.0);
    assert_eq!(account["billing_contact"]["name"], "Giulia Rossi");
    assert_eq!(account["as_of"], "2026-11-16");
    let methods = account["payment_methods"].as_array().expect("methods");
    assert_eq!(methods.len(), 2);
    assert_eq!(methods[0]["last4"], "4242");
    assert_eq!(methods[1]["last4"], "0002");
    assert_eq!(methods[0]["exp"], "2028-04");
    let subs = account["subscriptions"].as_array().expect("subscriptions");
    assert_eq!(subs.len(), 2);
    assert_eq!(subs[0]["product"], "meeting");
    assert_eq!(subs[0]["tier"], "professional");
    assert_eq!(subs[0]["seats"], 5);
    assert_eq!(subs[0]["status"], "active");
    assert_eq!(subs[0]["auto_renew"], true);
    assert_eq!(subs[0]["period_start"], "2026-11-01");
    assert_eq!(subs[0]["period_end"], "2026-12-01");
    assert_eq!(subs[1]["product"], "webinar");
    assert_eq!(subs[1]["period_start"], "2026-11-05");
    // 5 × 14.00 × 1.22 = 85.40 on 2026-12-01 (R16).
    assert_eq!(account["next_payment"]["date"], "2026-12-01");
    assert_eq!(account["next_payment"]["amount"], "85.40");
    assert_eq!(account["next_payment"]["credit_applied"], "0.00");
}

#[tokio::test]
async fn marco_sees_the_account_read_only_with_the_contact_to_ask() {
    let app = TestApp::spawn().await;
    let token = app.sign_in(MARCO).await;
    let account = app.account(&token).await;
    assert_eq!(account["id"], "acc_rossi");
    assert_eq!(account["is_billing_contact"], false);
    assert_eq!(account["billing_contact"]["email"], GIULIA.0);
}

#[tokio::test]
async fn the_corporate_and_the_expired_accounts_are_as_seeded() {
    let app = TestApp::spawn().await;
    let acme = app.account(&app.sign_in(ACME).await).await;
    assert_eq!(acme["name"], "Acme Corp");
    assert_eq!(acme["kind"], "corporate");
    assert_eq!(acme["country"], "DE");
    assert_eq!(acme["subscriptions"][0]["seats"], 120);
    assert_eq!(acme["subscriptions"][0]["frequency"], "annual");
    assert_eq!(acme["subscriptions"][0]["period_end"], "2027-03-01");
    let verdi = app.account(&app.sign_in(ANNA).await).await;
    assert_eq!(verdi["name"], "Studio Verdi");
    assert_eq!(verdi["subscriptions"][0]["status"], "expired");
    assert_eq!(verdi["subscriptions"][0]["auto_renew"], false);
    assert_eq!(verdi["subscriptions"][0]["period_start"], "2026-09-01");
    assert_eq!(verdi["next_payment"], serde_json::Value::Null);
}

#[tokio::test]
async fn an_account_read_after_its_period_ended_is_renewed_once_and_the_charge_stored() {
    let app = TestApp::spawn_at("2026-12-02").await;
    let token = app.sign_in(GIULIA).await;
    let account = app.account(&token).await;
    let meeting = &account["subscriptions"][0];
    assert_eq!(meeting["period_start"], "2026-12-01");
    assert_eq!(meeting["period_end"], "2027-01-01");
    assert_eq!(account["subscriptions"][1]["period_start"], "2026-11-05");
    let store = &app.state.store;
    assert_eq!(store.renewal_count("acc_rossi").await.expect("count"), 1);
    // Reading again renews nothing more.
    app.account(&token).await;
    assert_eq!(store.renewal_count("acc_rossi").await.expect("count"), 1);
    assert_eq!(
        app.get("/api/v1/account", None).await.status,
        StatusCode::UNAUTHORIZED
    );
}
