//! The done-when scenario of issue 3: clock 2026-11-16 with the demo data.

use axum::http::StatusCode;

use crate::helpers::{GIULIA, MARCO, TestApp, eight_seats, eight_seats_order};

pub async fn done_when(app: &TestApp) {
    let giulia = app.sign_in(GIULIA).await;
    let quote = app
        .post("/api/v1/quote", Some(&giulia), &eight_seats())
        .await;
    assert_eq!(quote.status, StatusCode::OK);
    assert_eq!(quote.body["total"], "93.94");
    assert_eq!(quote.body["currency"], "EUR");

    let body = eight_seats_order("pm_1");
    let first = app.order(&giulia, "scenario-key-1", &body).await;
    assert_eq!(first.status, StatusCode::CREATED, "{:?}", first.body);
    let second = app.order(&giulia, "scenario-key-1", &body).await;
    assert_eq!(second.status, StatusCode::CREATED);
    assert_eq!(
        first.body, second.body,
        "the replay is the first answer (R23)"
    );
    assert_eq!(first.body["status"], "paid");
    assert_eq!(first.body["total"], "93.94");
    assert_eq!(first.body["amount_due"], "93.94");
    assert_eq!(first.body["assign_licenses"], true);
    let placed_at = first.body["placed_at"].as_str().expect("placed_at");
    assert!(
        chrono::DateTime::parse_from_rfc3339(placed_at).is_ok(),
        "{placed_at}"
    );
    assert!(placed_at.starts_with("2026-11-16T"));
    assert_eq!(app.order_count("acc_rossi").await, 1);

    let account = app.account(&giulia).await;
    let meeting = &account["subscriptions"][0];
    assert_eq!(meeting["seats"], 8);
    assert_eq!(meeting["period_start"], "2026-11-16");
    assert_eq!(meeting["period_end"], "2026-12-16");

    let marco = app.sign_in(MARCO).await;
    let refused = app.order(&marco, "marco-key", &body).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.code(), "not_billing_contact");
    assert_eq!(app.order_count("acc_rossi").await, 1);
}

#[tokio::test]
async fn giulia_changes_to_eight_seats_once_and_marco_is_refused() {
    let app = TestApp::spawn().await;
    done_when(&app).await;
}
