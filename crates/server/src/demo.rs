//! The demo data of `--demo`, seeded once into an empty store.

use billing::Account;
use serde_json::json;

use crate::auth::hash_password;
use crate::store::{NewAccount, NewUser, PaymentMethod, Store};

/// A demo sign-in: who, e-mail, password.
pub const SIGN_INS: &[(&str, &str, &str)] = &[
    (
        "Giulia Rossi, billing contact of Rossi S.r.l.",
        "giulia.rossi@example.com",
        "demo-billing-2026",
    ),
    (
        "Marco Bianchi, user of Rossi S.r.l. (read-only, R1)",
        "marco.bianchi@example.com",
        "demo-user-2026",
    ),
    (
        "Acme Corp, corporate account (R2)",
        "ops@acme-corp.example",
        "demo-corp-2026",
    ),
    (
        "Studio Verdi, all subscriptions expired (R15)",
        "anna@studio-verdi.example",
        "demo-expired-2026",
    ),
];

/// Why the demo could not be seeded.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    /// A password could not be hashed.
    #[error(transparent)]
    Hash(#[from] crate::auth::HashError),
    /// The demo data is not a valid account (a bug).
    #[error("invalid demo account: {0}")]
    Account(String),
}

fn sub(
    id: &str,
    product: &str,
    tier: &str,
    seats: u32,
    frequency: &str,
    status: &str,
    (start, end): (&str, &str),
) -> serde_json::Value {
    json!({"id": id, "product": product, "tier": tier, "seats": seats, "frequency": frequency,
           "status": status, "period_start": start, "period_end": end})
}

fn user(
    id: &str,
    name: &str,
    email: &str,
    password: &str,
    billing: bool,
) -> Result<NewUser, DemoError> {
    Ok(NewUser {
        id: id.to_owned(),
        name: name.to_owned(),
        email: email.to_owned(),
        password_hash: hash_password(password)?,
        is_billing_contact: billing,
    })
}

fn visa(id: &str, last4: &str) -> PaymentMethod {
    PaymentMethod {
        id: id.to_owned(),
        brand: "visa".to_owned(),
        last4: last4.to_owned(),
        exp: "2028-04".to_owned(),
    }
}

fn account(json: serde_json::Value) -> Result<Account, DemoError> {
    serde_json::from_value(json).map_err(|e| DemoError::Account(e.to_string()))
}

/// The three demo accounts.
pub fn accounts() -> Result<Vec<NewAccount>, DemoError> {
    Ok(vec![
        NewAccount {
            name: "Rossi S.r.l.".to_owned(),
            account: account(json!({
                "id": "acc_rossi", "kind": "standard", "country": "IT", "currency": "EUR",
                "vat_id": null, "credit": "0.00",
                "subscriptions": [
                    sub("sub_1", "meeting", "professional", 5, "monthly", "active", ("2026-11-01", "2026-12-01")),
                    sub("sub_2", "webinar", "lite", 1, "monthly", "active", ("2026-11-05", "2026-12-05")),
                ],
            }))?,
            users: vec![
                user(
                    "usr_giulia",
                    "Giulia Rossi",
                    "giulia.rossi@example.com",
                    "demo-billing-2026",
                    true,
                )?,
                user(
                    "usr_marco",
                    "Marco Bianchi",
                    "marco.bianchi@example.com",
                    "demo-user-2026",
                    false,
                )?,
            ],
            payment_methods: vec![visa("pm_1", "4242"), visa("pm_2", "0002")],
        },
        NewAccount {
            name: "Acme Corp".to_owned(),
            account: account(json!({
                "id": "acc_acme", "kind": "corporate", "country": "DE", "currency": "EUR",
                "vat_id": null, "credit": "0.00",
                "subscriptions": [
                    sub("sub_3", "meeting", "business", 120, "annual", "active", ("2026-03-01", "2027-03-01")),
                ],
            }))?,
            users: vec![user(
                "usr_acme",
                "Acme Operations",
                "ops@acme-corp.example",
                "demo-corp-2026",
                true,
            )?],
            payment_methods: vec![],
        },
        NewAccount {
            name: "Studio Verdi".to_owned(),
            account: account(json!({
                "id": "acc_verdi", "kind": "standard", "country": "IT", "currency": "EUR",
                "vat_id": null, "credit": "0.00",
                "subscriptions": [
                    sub("sub_4", "meeting", "professional", 3, "monthly", "expired", ("2026-09-01", "2026-10-01")),
                ],
            }))?,
            users: vec![user(
                "usr_anna",
                "Anna Verdi",
                "anna@studio-verdi.example",
                "demo-expired-2026",
                true,
            )?],
            payment_methods: vec![],
        },
    ])
}

/// Seeds the demo accounts when the store is empty; answers whether it did.
pub async fn seed(store: &Store) -> Result<bool, DemoError> {
    if !store.is_empty().await? {
        return Ok(false);
    }
    for account in accounts()? {
        if let Err(error) = store.insert_account(&account).await {
            // Several processes started at once on an empty database: the one that loses the
            // race finds the other's accounts and leaves the seeding to it.
            if !store.is_empty().await? {
                return Ok(false);
            }
            return Err(error.into());
        }
    }
    Ok(true)
}
