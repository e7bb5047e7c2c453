//! The store itself, on SQLite and on PostgreSQL: migrations, seeding, and the all-or-nothing
//! transaction of an order.

use billing::{Account, Catalog, Order, OrderRequest, Quote, apply_order};
use checkout_server::store::{NewAccount, NewOrder, Placed, Store, StoreError};
use serde_json::{Value, json};

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
    let order_body = api::Order::from_quote(
        checkout_server::wire::quote(&placement.quote),
        "ord_1".to_owned(),
        "2026-11-16T10:00:00Z".into(),
        api::OrderStatus::Paid,
        false,
    );
    let body = serde_json::to_value(&order_body).expect("an order body");
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
        version: record.version,
        attempt: None,
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
    // An order priced from the account before the first one was stored is not stored (S20).
    assert_eq!(
        store
            .place_order(&new_order("ord_3", "k3"))
            .await
            .expect("no error"),
        Placed::Stale
    );
    // A failure half-way (the order id exists) leaves nothing behind: no key, no e-mail.
    let version = store
        .account("acc_rossi")
        .await
        .expect("query")
        .expect("rossi")
        .version;
    let mut again = new_order("ord_1", "k2");
    again.version = version;
    assert!(store.place_order(&again).await.is_err());
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
    // The history's order is the stored one with the billing information it was placed with.
    let listed = store.orders("acc_rossi").await.expect("orders");
    assert_eq!(listed.len(), 1);
    let info = listed[0]
        .billing_info
        .clone()
        .flatten()
        .expect("billing_info");
    assert_eq!(info.company, "Rossi S.r.l.");
    assert_eq!(
        api::Order {
            billing_info: None,
            ..listed[0].clone()
        },
        order_body
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

/// A plain account `acc_batch_{n}` with one meeting subscription.
fn batch_account(n: usize) -> NewAccount {
    NewAccount {
        account: serde_json::from_value(json!({
            "id": format!("acc_batch_{n}"), "kind": "standard", "country": "IT",
            "currency": "EUR", "vat_id": null, "credit": "0.00",
            "subscriptions": [{"id": format!("sub_batch_{n}"), "product": "meeting",
                "tier": "professional", "seats": 1, "frequency": "monthly", "status": "active",
                "period_start": "2026-11-01", "period_end": "2026-12-01"}],
        }))
        .expect("an account"),
        name: format!("Batch {n}"),
        users: Vec::new(),
        payment_methods: Vec::new(),
    }
}

/// What an order of two more seats on a batch account stores: the quote, the account after it,
/// the body answered and the account's version it was priced from.
struct Priced {
    quote: Quote,
    account: Account,
    body: Value,
    version: i64,
}

async fn two_more_seats(store: &Store, n: usize, order_id: &str) -> Priced {
    let record = store
        .account(&format!("acc_batch_{n}"))
        .await
        .expect("query")
        .expect("the account");
    let seats = record.account.subscriptions()[0].seats.get() + 2;
    let request = OrderRequest::from_json(
        &json!({"items": [{"op": "change", "subscription": format!("sub_batch_{n}"),
            "seats": seats}]})
        .to_string(),
    )
    .expect("a request");
    let placement = apply_order(
        Catalog::bundled(),
        &record.account,
        &Order::parse(&request).expect("an order"),
        date("2026-11-16"),
        |_| unreachable!("no new subscription"),
    )
    .expect("priced");
    Priced {
        body: json!({"id": order_id, "total": placement.quote.total.to_string()}),
        quote: placement.quote,
        account: placement.account,
        version: record.version,
    }
}

fn new_order<'a>(priced: &'a Priced, id: &'a str, key: &'a str, receipt: &'a str) -> NewOrder<'a> {
    NewOrder {
        id,
        placed_at: "2026-11-16T10:00:00Z",
        status: "paid",
        quote: &priced.quote,
        body: &priced.body,
        account: &priced.account,
        payment_reference: None,
        idempotency_key: key,
        request_hash: "hash",
        receipt: ("someone@example.com", "Receipt", "Thanks"),
        receipt_id: receipt,
        version: priced.version,
        attempt: None,
    }
}

/// Group commit: orders of several accounts sent at once are committed together, and a failing
/// order (a taken key, a broken write) is answered alone while the others of its batch are stored
/// whole.
async fn batch_suite(url: &str) {
    let store = Store::connect(url).await.expect("the store opens");
    for n in 0..5 {
        store
            .insert_account(&batch_account(n))
            .await
            .expect("inserted");
    }
    // Three orders at once, nothing wrong: one transaction.
    let priced: Vec<Priced> = futures_all(&store, &[0, 1, 2]).await;
    let ids = ["ord_b0", "ord_b1", "ord_b2"];
    let receipts = ["mail_b0", "mail_b1", "mail_b2"];
    let before = store.write_commits();
    let orders: Vec<NewOrder<'_>> = (0..3)
        .map(|n| {
            new_order(
                &priced[n],
                ids[n],
                ["key-0", "key-1", "key-2"][n],
                receipts[n],
            )
        })
        .collect();
    let (a, b, c) = tokio::join!(
        store.place_order(&orders[0]),
        store.place_order(&orders[1]),
        store.place_order(&orders[2]),
    );
    for placed in [a, b, c] {
        assert!(matches!(placed, Ok(Placed::Stored)), "{placed:?}");
    }
    assert_eq!(
        store.write_commits() - before,
        1,
        "one commit for the batch"
    );

    // Four at once: one reuses a stored key (R23), one an order id already stored (the write
    // fails); the other two are stored whole all the same.
    let again: Vec<Priced> = futures_all(&store, &[0, 2, 3, 4]).await;
    let orders = [
        new_order(&again[0], "ord_b0_again", "key-0", "mail_x0"),
        new_order(&again[1], "ord_b1", "key-other", "mail_x2"),
        new_order(&again[2], "ord_b3", "key-3", "mail_b3"),
        new_order(&again[3], "ord_b4", "key-4", "mail_b4"),
    ];
    let (taken, broken, good_3, good_4) = tokio::join!(
        store.place_order(&orders[0]),
        store.place_order(&orders[1]),
        store.place_order(&orders[2]),
        store.place_order(&orders[3]),
    );
    assert!(matches!(taken, Ok(Placed::KeyTaken)), "{taken:?}");
    assert!(matches!(broken, Err(StoreError::Database(_))), "{broken:?}");
    assert!(matches!(good_3, Ok(Placed::Stored)), "{good_3:?}");
    assert!(matches!(good_4, Ok(Placed::Stored)), "{good_4:?}");
    for (n, count) in [(0, 1), (1, 1), (2, 1), (3, 1), (4, 1)] {
        assert_eq!(
            store
                .order_count(&format!("acc_batch_{n}"))
                .await
                .expect("count"),
            count,
            "orders of acc_batch_{n}"
        );
    }
    // Nothing of the failed ones: no key, no receipt, no change of the account.
    assert!(
        store
            .idempotent_answer("acc_batch_2", "key-other")
            .await
            .expect("query")
            .is_none()
    );
    assert_eq!(store.unsent_count().await.expect("count"), 5);
    for (n, priced) in [
        (0, &priced[0]),
        (2, &priced[2]),
        (3, &again[2]),
        (4, &again[3]),
    ] {
        let stored = store
            .account(&format!("acc_batch_{n}"))
            .await
            .expect("query")
            .expect("the account");
        assert_eq!(stored.account, priced.account, "acc_batch_{n}");
    }
    store.close().await;
}

/// Prices two more seats for each of the batch accounts `ns`.
async fn futures_all(store: &Store, ns: &[usize]) -> Vec<Priced> {
    let mut out = Vec::new();
    for &n in ns {
        out.push(two_more_seats(store, n, &format!("ord_b{n}")).await);
    }
    out
}

#[tokio::test]
async fn the_sqlite_store_commits_orders_in_batches_and_isolates_failures() {
    let dir = tempfile::tempdir().expect("a temp dir");
    batch_suite(&format!("sqlite:{}", dir.path().join("batch.db").display())).await;
}

#[tokio::test]
async fn the_postgresql_store_commits_orders_in_batches_and_isolates_failures() {
    let Some(cluster) = PgCluster::start() else {
        return;
    };
    batch_suite(&cluster.url).await;
}
