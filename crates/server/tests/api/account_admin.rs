//! The account's users, the billing-contact handover (R26) and the billing information (R27):
//! every endpoint and error code, for the billing contact, the read-only user, the corporate
//! account and no session, and the handover seen by a second server process on PostgreSQL.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use checkout_server::{AppState, HttpConfig};
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::helpers::{ACME, Answer, GIULIA, MARCO, TODAY, TestApp, call, eight_seats_order};
use crate::pg::PgCluster;

const USERS: &str = "/api/v1/account/users";
const CONTACT: &str = "/api/v1/account/billing-contact";
const INFO: &str = "/api/v1/account/billing-info";

async fn get(app: &TestApp, path: &str, token: Option<&str>) -> Answer {
    call(&app.router, Method::GET, path, token, None).await
}

async fn put(app: &TestApp, path: &str, token: Option<&str>, body: &Value) -> Answer {
    call(&app.router, Method::PUT, path, token, Some(body)).await
}

/// Asserts an error answer's status, code and field.
fn refused(answer: &Answer, status: StatusCode, code: &str, field: Option<&str>) {
    assert_eq!(answer.status, status, "{:?}", answer.body);
    assert_eq!(answer.code(), code, "{:?}", answer.body);
    assert_eq!(
        answer.body["error"]["field"].as_str(),
        field,
        "{:?}",
        answer.body
    );
}

/// A valid billing information of the Rossi account (Italy).
fn rossi_info() -> Value {
    json!({
        "company": "Rossi & Figli S.r.l.",
        "address": {
            "line1": "Via Roma 1",
            "line2": null,
            "city": "Milano",
            "postal_code": "20121",
            "region": "MI"
        },
        "vat_id": "IT 00743110157"
    })
}

/// The `(id, billing_contact)` pairs of a users answer.
fn roles(answer: &Answer) -> Vec<(String, bool)> {
    answer.body["users"]
        .as_array()
        .expect("a users list")
        .iter()
        .map(|u| {
            (
                u["id"].as_str().expect("an id").to_owned(),
                u["billing_contact"].as_bool().expect("a flag"),
            )
        })
        .collect()
}

#[tokio::test]
async fn every_user_of_a_standard_account_sees_its_users_and_who_the_billing_contact_is() {
    let app = TestApp::spawn().await;
    let giulia = app.sign_in(GIULIA).await;
    let marco = app.sign_in(MARCO).await;
    let answer = get(&app, USERS, Some(&giulia)).await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
    assert_eq!(
        answer.body["users"][0],
        json!({"id": "usr_giulia", "name": "Giulia Rossi", "email": GIULIA.0,
               "billing_contact": true})
    );
    assert_eq!(
        roles(&answer),
        [
            ("usr_giulia".to_owned(), true),
            ("usr_marco".to_owned(), false)
        ]
    );
    // The read-only user gets the same list: it names whom to ask (R1).
    let read_only = get(&app, USERS, Some(&marco)).await;
    assert_eq!(read_only.status, StatusCode::OK);
    assert_eq!(read_only.body, answer.body);
    let acme = app.sign_in(ACME).await;
    refused(
        &get(&app, USERS, Some(&acme)).await,
        StatusCode::FORBIDDEN,
        "corporate_account",
        None,
    );
    refused(
        &get(&app, USERS, None).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
        None,
    );
}

#[tokio::test]
async fn the_billing_contact_hands_the_role_over_and_r1_follows_it_at_the_next_request() {
    let app = TestApp::spawn().await;
    let giulia = app.sign_in(GIULIA).await;
    let marco = app.sign_in(MARCO).await;
    let moved = put(&app, CONTACT, Some(&giulia), &json!({"user": "usr_marco"})).await;
    assert_eq!(moved.status, StatusCode::OK, "{:?}", moved.body);
    assert_eq!(
        roles(&moved),
        [
            ("usr_giulia".to_owned(), false),
            ("usr_marco".to_owned(), true)
        ]
    );
    // Giulia's session goes on, read-only: her next order is refused (R1, R26)...
    let account = app.account(&giulia).await;
    assert_eq!(account["is_billing_contact"], false);
    assert_eq!(account["billing_contact"]["email"], MARCO.0);
    let order = app
        .order(&giulia, "handover-1", &eight_seats_order("pm_1"))
        .await;
    refused(&order, StatusCode::FORBIDDEN, "not_billing_contact", None);
    refused(
        &put(&app, CONTACT, Some(&giulia), &json!({"user": "usr_giulia"})).await,
        StatusCode::FORBIDDEN,
        "not_billing_contact",
        None,
    );
    refused(
        &get(&app, INFO, Some(&giulia)).await,
        StatusCode::FORBIDDEN,
        "not_billing_contact",
        None,
    );
    // ... and Marco, signed in before the handover, may order at once.
    assert_eq!(app.account(&marco).await["is_billing_contact"], true);
    let order = app
        .order(&marco, "handover-2", &eight_seats_order("pm_1"))
        .await;
    assert_eq!(order.status, StatusCode::CREATED, "{:?}", order.body);
    // Naming oneself changes nothing (S48); handing back works the same way.
    let same = put(&app, CONTACT, Some(&marco), &json!({"user": "usr_marco"})).await;
    assert_eq!(same.status, StatusCode::OK);
    assert_eq!(roles(&same), roles(&moved));
    let back = put(&app, CONTACT, Some(&marco), &json!({"user": "usr_giulia"})).await;
    assert_eq!(
        roles(&back),
        [
            ("usr_giulia".to_owned(), true),
            ("usr_marco".to_owned(), false)
        ]
    );
}

#[tokio::test]
async fn a_handover_is_refused_to_others_and_to_users_of_other_accounts() {
    let app = TestApp::spawn().await;
    let giulia = app.sign_in(GIULIA).await;
    let marco = app.sign_in(MARCO).await;
    let acme = app.sign_in(ACME).await;
    let to_marco = json!({"user": "usr_marco"});
    refused(
        &put(&app, CONTACT, Some(&marco), &to_marco).await,
        StatusCode::FORBIDDEN,
        "not_billing_contact",
        None,
    );
    refused(
        &put(&app, CONTACT, Some(&acme), &json!({"user": "usr_acme"})).await,
        StatusCode::FORBIDDEN,
        "corporate_account",
        None,
    );
    refused(
        &put(&app, CONTACT, None, &to_marco).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
        None,
    );
    // Another account's user and a user who does not exist are told apart from nothing.
    for user in ["usr_anna", "usr_nobody", ""] {
        refused(
            &put(&app, CONTACT, Some(&giulia), &json!({ "user": user })).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_user",
            Some("user"),
        );
    }
    for body in [
        json!({}),
        json!({"user": 7}),
        json!({"user": "usr_marco", "x": 1}),
    ] {
        refused(
            &put(&app, CONTACT, Some(&giulia), &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_request",
            None,
        );
    }
    // Nothing of that moved the role.
    assert_eq!(
        roles(&get(&app, USERS, Some(&marco)).await),
        [
            ("usr_giulia".to_owned(), true),
            ("usr_marco".to_owned(), false)
        ]
    );
}

#[tokio::test]
async fn the_billing_contact_reads_and_replaces_the_billing_information() {
    let app = TestApp::spawn().await;
    let giulia = app.sign_in(GIULIA).await;
    let before = get(&app, INFO, Some(&giulia)).await;
    assert_eq!(before.status, StatusCode::OK, "{:?}", before.body);
    assert_eq!(
        before.body,
        json!({"company": "Rossi S.r.l.", "country": "IT", "address": null, "vat_id": null})
    );
    let saved = put(&app, INFO, Some(&giulia), &rossi_info()).await;
    assert_eq!(saved.status, StatusCode::OK, "{:?}", saved.body);
    let expected = json!({
        "company": "Rossi & Figli S.r.l.",
        "country": "IT",
        "address": {"line1": "Via Roma 1", "line2": null, "city": "Milano",
                    "postal_code": "20121", "region": "MI"},
        "vat_id": "IT00743110157"
    });
    assert_eq!(saved.body, expected);
    assert_eq!(get(&app, INFO, Some(&giulia)).await.body, expected);
    // The account carries the new name and VAT id, and the engine prices with them: the
    // order of 93.94 with Italian VAT is now a business's order, reverse-charged at 77.00 (R18).
    let account = app.account(&giulia).await;
    assert_eq!(account["name"], "Rossi & Figli S.r.l.");
    assert_eq!(account["vat_id"], "IT00743110157");
    let mut order = eight_seats_order("pm_1");
    order["expected_total"] = "77.00".into();
    let order = app.order(&giulia, "after-info", &order).await;
    assert_eq!(order.status, StatusCode::CREATED, "{:?}", order.body);
    assert_eq!(
        order.body["tax"]["reverse_charge"], true,
        "{:?}",
        order.body
    );
    // An empty VAT id removes it; blank optional parts are stored as null (S46, S47).
    let mut without = rossi_info();
    without["vat_id"] = "".into();
    without["address"]["region"] = "  ".into();
    let saved = put(&app, INFO, Some(&giulia), &without).await;
    assert_eq!(saved.status, StatusCode::OK, "{:?}", saved.body);
    assert_eq!(saved.body["vat_id"], Value::Null);
    assert_eq!(saved.body["address"]["region"], Value::Null);
    assert_eq!(app.account(&giulia).await["vat_id"], Value::Null);
}

#[tokio::test]
async fn a_bad_vat_id_or_address_field_is_refused_with_its_field_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let giulia = app.sign_in(GIULIA).await;
    let with = |path: &[&str], value: Value| {
        let mut body = rossi_info();
        match path {
            [key] => body[*key] = value,
            [outer, inner] => body[*outer][*inner] = value,
            _ => panic!("a path of one or two keys"),
        }
        body
    };
    let cases = [
        // R21: the check digit, the format, and a valid id of another country than the account's.
        (
            with(&["vat_id"], "IT00743110158".into()),
            "invalid_vat_id",
            "vat_id",
        ),
        (
            with(&["vat_id"], "XX123".into()),
            "invalid_vat_id",
            "vat_id",
        ),
        (
            with(&["vat_id"], "DE123456789".into()),
            "invalid_vat_id",
            "vat_id",
        ),
        (with(&["company"], " ".into()), "invalid_request", "company"),
        (with(&["company"], 5.into()), "invalid_request", "company"),
        (
            with(&["address", "zip"], "20121".into()),
            "invalid_request",
            "address.zip",
        ),
        (
            with(&["company"], "x".repeat(201).into()),
            "invalid_request",
            "company",
        ),
        (
            with(&["address"], Value::Null),
            "invalid_request",
            "address",
        ),
        (
            with(&["address", "line1"], Value::Null),
            "invalid_request",
            "address.line1",
        ),
        (
            with(&["address", "line2"], "a\nb".into()),
            "invalid_request",
            "address.line2",
        ),
        (
            with(&["address", "city"], "".into()),
            "invalid_request",
            "address.city",
        ),
        (
            with(&["address", "city"], "c".repeat(101).into()),
            "invalid_request",
            "address.city",
        ),
        (
            with(&["address", "postal_code"], "2012".into()),
            "invalid_request",
            "address.postal_code",
        ),
        (
            with(&["address", "region"], "r".repeat(101).into()),
            "invalid_request",
            "address.region",
        ),
    ];
    for (body, code, field) in cases {
        let answer = put(&app, INFO, Some(&giulia), &body).await;
        refused(&answer, StatusCode::UNPROCESSABLE_ENTITY, code, Some(field));
    }
    // The country is the account's (R27): a body that names one is refused, and says where.
    let answer = put(&app, INFO, Some(&giulia), &with(&["country"], "DE".into())).await;
    refused(
        &answer,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_request",
        Some("country"),
    );
    // A body that is not an object is no billing information, and no field is at fault.
    let answer = put(&app, INFO, Some(&giulia), &json!(["Rossi"])).await;
    refused(
        &answer,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_request",
        None,
    );
    assert_eq!(
        get(&app, INFO, Some(&giulia)).await.body,
        json!({"company": "Rossi S.r.l.", "country": "IT", "address": null, "vat_id": null})
    );
}

#[tokio::test]
async fn the_billing_information_is_the_billing_contacts_only_and_not_self_service_for_corporate() {
    let app = TestApp::spawn().await;
    let marco = app.sign_in(MARCO).await;
    let acme = app.sign_in(ACME).await;
    refused(
        &get(&app, INFO, Some(&marco)).await,
        StatusCode::FORBIDDEN,
        "not_billing_contact",
        None,
    );
    refused(
        &put(&app, INFO, Some(&marco), &rossi_info()).await,
        StatusCode::FORBIDDEN,
        "not_billing_contact",
        None,
    );
    refused(
        &get(&app, INFO, Some(&acme)).await,
        StatusCode::FORBIDDEN,
        "corporate_account",
        None,
    );
    let mut acme_info = rossi_info();
    acme_info["vat_id"] = Value::Null;
    refused(
        &put(&app, INFO, Some(&acme), &acme_info).await,
        StatusCode::FORBIDDEN,
        "corporate_account",
        None,
    );
    refused(
        &get(&app, INFO, None).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
        None,
    );
    refused(
        &put(&app, INFO, None, &rossi_info()).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
        None,
    );
}

/// A throw-away PostgreSQL cluster, or `None` (the test is skipped) when PostgreSQL is not
/// installed; under CI its absence fails the test instead.
fn cluster() -> Option<PgCluster> {
    let cluster = PgCluster::start();
    assert!(
        cluster.is_some() || std::env::var_os("CI").is_none(),
        "CI is set but PostgreSQL is not installed: these tests must run there"
    );
    cluster
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_handover_in_one_process_counts_in_another_at_the_next_request_on_postgresql() {
    let Some(cluster) = cluster() else {
        return;
    };
    let dir = tempfile::tempdir().expect("a temp dir");
    let first = TestApp::spawn_on(&cluster.url, TODAY, dir, HttpConfig::default()).await;
    // A second server over the same database, with its own pool, as another process.
    let store = checkout_server::store::Store::connect(&cluster.url)
        .await
        .expect("a second pool");
    let second_state = AppState::new(store, first.state.clock);
    let second = checkout_server::app(second_state.clone(), &HttpConfig::default());
    let giulia = first.sign_in(GIULIA).await;
    let marco = first.sign_in(MARCO).await;
    // The second process has served both before the handover.
    let info = call(&second, Method::GET, INFO, Some(&giulia), None).await;
    assert_eq!(info.status, StatusCode::OK);
    let info = call(&second, Method::GET, INFO, Some(&marco), None).await;
    refused(&info, StatusCode::FORBIDDEN, "not_billing_contact", None);
    let moved = put(
        &first,
        CONTACT,
        Some(&giulia),
        &json!({"user": "usr_marco"}),
    )
    .await;
    assert_eq!(moved.status, StatusCode::OK, "{:?}", moved.body);
    // At its next request the second process applies R1 to the new contact.
    let info = call(&second, Method::GET, INFO, Some(&giulia), None).await;
    refused(&info, StatusCode::FORBIDDEN, "not_billing_contact", None);
    let saved = call(
        &second,
        Method::PUT,
        INFO,
        Some(&marco),
        Some(&rossi_info()),
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{:?}", saved.body);
    assert_eq!(saved.body["vat_id"], "IT00743110157");
    let mut request = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/orders")
        .header("content-type", "application/json")
        .header("idempotency-key", "pg-handover");
    request = request.header("authorization", format!("Bearer {giulia}"));
    let response = second
        .clone()
        .oneshot(
            request
                .body(Body::from(eight_seats_order("pm_1").to_string()))
                .expect("a request"),
        )
        .await
        .expect("the router answers");
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        call(&second, Method::GET, USERS, Some(&giulia), None)
            .await
            .body["users"][1]["billing_contact"],
        true
    );
    // Roles moved once: exactly one billing contact in the store.
    assert_eq!(
        roles(&get(&first, USERS, Some(&marco)).await),
        [
            ("usr_giulia".to_owned(), false),
            ("usr_marco".to_owned(), true)
        ]
    );
    // Handovers sent at once to two processes leave exactly one billing contact, the user named
    // by a request that succeeded (S48).
    let hash = checkout_server::auth::hash_password("demo-third-2026").expect("a hash");
    first
        .execute_sql(&format!(
            "INSERT INTO users (id, account_id, name, email, password_hash, is_billing_contact)
             VALUES ('usr_luca', 'acc_rossi', 'Luca Neri', 'luca@example.com', '{hash}', 0)"
        ))
        .await;
    let luca = first.sign_in(("luca@example.com", "demo-third-2026")).await;
    let tokens = [
        ("usr_giulia", giulia),
        ("usr_marco", marco),
        ("usr_luca", luca),
    ];
    for _ in 0..5 {
        let users = get(&first, USERS, Some(&tokens[0].1)).await;
        let contact = roles(&users)
            .into_iter()
            .find(|(_, is_contact)| *is_contact)
            .map(|(id, _)| id)
            .expect("one billing contact");
        let token = &tokens
            .iter()
            .find(|(id, _)| *id == contact)
            .expect("a user")
            .1;
        let others: Vec<&str> = tokens
            .iter()
            .map(|(id, _)| *id)
            .filter(|id| *id != contact)
            .collect();
        let to_first = json!({"user": others[0]});
        let to_second = json!({"user": others[1]});
        let (a, b) = tokio::join!(
            call(
                &first.router,
                Method::PUT,
                CONTACT,
                Some(token),
                Some(&to_first)
            ),
            call(&second, Method::PUT, CONTACT, Some(token), Some(&to_second)),
        );
        let after = roles(&get(&first, USERS, Some(&tokens[0].1)).await);
        let contacts: Vec<&String> = after
            .iter()
            .filter(|(_, is_contact)| *is_contact)
            .map(|(id, _)| id)
            .collect();
        assert_eq!(contacts.len(), 1, "{after:?}");
        let winners: Vec<&str> = [(&a, others[0]), (&b, others[1])]
            .into_iter()
            .filter(|(answer, _)| answer.status == StatusCode::OK)
            .map(|(_, id)| id)
            .collect();
        assert!(
            winners.contains(&contacts[0].as_str()),
            "{after:?} {winners:?}"
        );
        for answer in [&a, &b] {
            assert!(
                answer.status == StatusCode::OK || answer.code() == "not_billing_contact",
                "{:?}",
                answer.body
            );
        }
    }
    second_state.store.close().await;
    first.state.store.close().await;
}

/// The version of the demo account `acc_rossi` (S20), as the order path reads it.
async fn rossi_version(app: &TestApp) -> i64 {
    let (record, _) = app
        .state
        .store
        .account_and_answer("acc_rossi", "no-such-key")
        .await
        .expect("the store answers");
    record.expect("the demo account").version
}

#[tokio::test]
async fn a_changed_vat_id_moves_the_accounts_version_and_an_address_alone_does_not() {
    let app = TestApp::spawn().await;
    let giulia = app.sign_in(GIULIA).await;
    let start = rossi_version(&app).await;
    // A new VAT id changes prices (R18): an order priced before it must be priced again (S20).
    let saved = put(&app, INFO, Some(&giulia), &rossi_info()).await;
    assert_eq!(saved.status, StatusCode::OK, "{:?}", saved.body);
    assert_eq!(rossi_version(&app).await, start + 1);
    // The same VAT id with another address changes no price, so it holds up no order.
    let mut moved = rossi_info();
    moved["address"]["city"] = "Torino".into();
    moved["address"]["postal_code"] = "10121".into();
    let saved = put(&app, INFO, Some(&giulia), &moved).await;
    assert_eq!(saved.status, StatusCode::OK, "{:?}", saved.body);
    assert_eq!(rossi_version(&app).await, start + 1);
    // Removing the VAT id changes prices again.
    moved["vat_id"] = Value::Null;
    let saved = put(&app, INFO, Some(&giulia), &moved).await;
    assert_eq!(saved.status, StatusCode::OK, "{:?}", saved.body);
    assert_eq!(rossi_version(&app).await, start + 2);
}
