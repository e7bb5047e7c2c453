//! Health, catalog, the OpenAPI document and unknown routes.

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use checkout_server::routes::ROUTES;
use serde_json::Value;

use crate::helpers::TestApp;

#[tokio::test]
async fn health_answers_ok_with_the_catalog_version() {
    let app = TestApp::spawn().await;
    let answer = app.get("/api/v1/health", None).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        answer.body,
        serde_json::json!({"status": "ok", "catalog_version": "2026-11-01"})
    );
}

#[tokio::test]
async fn the_catalog_is_served_without_sign_in_with_prices_as_strings() {
    let app = TestApp::spawn().await;
    let answer = app.get("/api/v1/catalog", None).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.body["version"], "2026-11-01");
    assert_eq!(answer.body["seller_country"], "IE");
    let meeting = &answer.body["products"][0];
    assert_eq!(meeting["id"], "meeting");
    assert_eq!(meeting["tiers"][0]["prices"]["EUR"]["monthly"], "14.00");
}

fn documented(openapi: &Value) -> BTreeSet<(String, String)> {
    openapi["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .flat_map(|(path, operations)| {
            operations
                .as_object()
                .expect("operations")
                .keys()
                .map(move |method| (method.clone(), path.clone()))
        })
        .collect()
}

#[tokio::test]
async fn the_openapi_document_is_served_and_matches_the_routes_of_the_router() {
    let app = TestApp::spawn().await;
    let answer = app.get("/api/v1/openapi.json", None).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.body["openapi"], "3.1.0");
    let routes: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|(method, path)| ((*method).to_owned(), (*path).to_owned()))
        .collect();
    assert_eq!(
        documented(&answer.body),
        routes,
        "openapi.json and ROUTES differ"
    );
    // Every listed route is really routed: no 404 or 405 from the router for it.
    for (method, path) in &routes {
        let path = path.replace("{id}", "ord_unknown");
        let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("a method");
        let request = Request::builder()
            .method(method.clone())
            .uri(&path)
            .header("content-type", "application/json")
            .body(Body::from("{}"))
            .expect("a request");
        let answer = app.send(request).await;
        assert_ne!(
            answer.status,
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}"
        );
        if path != "/api/v1/orders/ord_unknown" {
            assert_ne!(answer.status, StatusCode::NOT_FOUND, "{method} {path}");
        }
    }
}

#[tokio::test]
async fn an_unknown_api_route_is_a_json_404_and_a_wrong_method_a_json_405() {
    let app = TestApp::spawn().await;
    let answer = app.get("/api/v1/nothing", None).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert_eq!(answer.code(), "not_found");
    let request = Request::builder()
        .method(Method::DELETE)
        .uri("/api/v1/orders")
        .body(Body::empty())
        .expect("a request");
    let answer = app.send(request).await;
    assert_eq!(answer.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(answer.code(), "method_not_allowed");
}
