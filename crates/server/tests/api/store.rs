//! The store itself, on SQLite and on PostgreSQL: migrations, seeding, and the all-or-nothing
//! transaction of an order.

use billing::{Catalog, Order, OrderRequest, apply_order};
use checkout_server::store::{NewOrder, Placed, Store};
use serde_json::json;

use crate::helpers::date;
use crate::pg::PgCluster;

async fn store_suite(url: &str) {
    let store = Store::connect(url).await.expect("the store opens");
    assert!(store.is_empty().await.expect("empty"));
    assert!(checkout_server::demo::seed(&store).await.expect("seeds"));
    assert!(
        !checkout_server::demo::seed(&store)
            .await
            .expect("seeds once")
    );
    // Opening again applies no migration twice.
    let again = Store::connect(url).await.expect("reopens");
    again.close().await;

    let record = store
        .account("acc_rossi")
        .await
        .expect("query")
        .expect("rossi");
    assert_eq!(record.name, "Rossi S.r.l.");
    let request = OrderRequest::from_json(
        &json!({"items": [{"op": "buy", "product": "remote-support", "tier": "standard",
            "seats": 2, "frequency": "monthly"}]})
        .to_string(),
    )
    .expect("a request");
    let order = Order::parse(&request).expect("an order");
    let placement = apply_order(
        Catalog::bundled(),
        &record.account,
        &order,
        date("2026-11-16"),
        |_| "sub_new".to_owned(),
    )
    .expect("placed");
    let body = json!({"id": "ord_1"});
    let new_order = |id: &'static str, key: &'static str| NewOrder {
        id,
        placed_at: "2026-11-16T10:00:00Z",
        status: "paid",
        quote: &placement.quote,
        body: &body,
        account: &placement.account,
        payment_reference: Some("pay_1"),
        idempotency_key: key,
        request_hash: "hash",
        receipt: ("giulia.rossi@example.com", "Receipt", "Thanks"),
        receipt_id: "mail_1",
    };
    assert!(matches!(
        store
            .place_order(&new_order("ord_1", "k1"))
            .await
            .expect("stored"),
        Placed::Stored
    ));
    assert!(matches!(
        store
            .place_order(&new_order("ord_2", "k1"))
            .await
            .expect("no error"),
        Placed::KeyTaken
    ));
    // A failure half-way (the order id exists) leaves nothing behind: no key, no e-mail.
    assert!(store.place_order(&new_order("ord_1", "k2")).await.is_err());
    assert!(
        store
            .idempotent_answer("acc_rossi", "k2")
            .await
            .expect("query")
            .is_none()
    );
    assert_eq!(store.order_count("acc_rossi").await.expect("count"), 1);
    assert_eq!(store.unsent_count().await.expect("count"), 1);
    let after = store
        .account("acc_rossi")
        .await
        .expect("query")
        .expect("rossi");
    assert_eq!(after.account, placement.account);
    assert_eq!(after.account.subscriptions().len(), 3);
    let stored = store
        .idempotent_answer("acc_rossi", "k1")
        .await
        .expect("query")
        .expect("the key");
    assert_eq!(stored.status, 201);
    assert_eq!(stored.body, body);
    assert_eq!(
        store.orders("acc_rossi").await.expect("orders"),
        vec![body.clone()]
    );
    assert_eq!(
        store.order("acc_verdi", "ord_1").await.expect("query"),
        None
    );
    store.close().await;
}

#[tokio::test]
async fn the_sqlite_store_stores_an_order_all_or_nothing() {
    let dir = tempfile::tempdir().expect("a temp dir");
    store_suite(&format!(
        "sqlite:{}",
        dir.path().join("nested/dir/store.db").display()
    ))
    .await;
}

#[tokio::test]
async fn the_postgresql_store_stores_an_order_all_or_nothing() {
    let Some(cluster) = PgCluster::start() else {
        return;
    };
    store_suite(&cluster.url).await;
}
