//! The demo data of `--demo`, seeded once into an empty store.

use billing::account::{AccountInput, SubscriptionInput};
use billing::{Account, AccountKind, Frequency, SubscriptionStatus};
use chrono::NaiveDate;

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

/// A demo date.
fn day(text: &str) -> Result<NaiveDate, DemoError> {
    text.parse()
        .map_err(|e| DemoError::Account(format!("{text}: {e}")))
}

fn sub(
    (id, product, tier): (&str, &str, &str),
    seats: u32,
    frequency: Frequency,
    status: SubscriptionStatus,
    (start, end): (&str, &str),
) -> Result<SubscriptionInput, DemoError> {
    Ok(SubscriptionInput {
        id: id.to_owned(),
        product: product.to_owned(),
        tier: tier.to_owned(),
        seats,
        frequency,
        status,
        auto_renew: None,
        period_start: day(start)?,
        period_end: day(end)?,
    })
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

/// A demo account billed in euros, without a VAT id or credit, parsed as any account is.
fn account(
    id: &str,
    kind: AccountKind,
    country: &str,
    subscriptions: Vec<SubscriptionInput>,
) -> Result<Account, DemoError> {
    let invalid = |e: &dyn std::fmt::Display| DemoError::Account(format!("{id}: {e}"));
    let input = AccountInput {
        kind,
        ..AccountInput::new(
            id.to_owned(),
            country.parse().map_err(|e| invalid(&e))?,
            "EUR".parse().map_err(|e| invalid(&e))?,
            subscriptions,
        )
    };
    Account::try_from(input).map_err(|e| invalid(&e))
}

/// The three demo accounts.
pub fn accounts() -> Result<Vec<NewAccount>, DemoError> {
    Ok(vec![
        NewAccount {
            name: "Rossi S.r.l.".to_owned(),
            account: account(
                "acc_rossi",
                AccountKind::Standard,
                "IT",
                vec![
                    sub(
                        ("sub_1", "meeting", "professional"),
                        5,
                        Frequency::Monthly,
                        SubscriptionStatus::Active,
                        ("2026-11-01", "2026-12-01"),
                    )?,
                    sub(
                        ("sub_2", "webinar", "lite"),
                        1,
                        Frequency::Monthly,
                        SubscriptionStatus::Active,
                        ("2026-11-05", "2026-12-05"),
                    )?,
                ],
            )?,
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
            account: account(
                "acc_acme",
                AccountKind::Corporate,
                "DE",
                vec![sub(
                    ("sub_3", "meeting", "business"),
                    120,
                    Frequency::Annual,
                    SubscriptionStatus::Active,
                    ("2026-03-01", "2027-03-01"),
                )?],
            )?,
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
            account: account(
                "acc_verdi",
                AccountKind::Standard,
                "IT",
                vec![sub(
                    ("sub_4", "meeting", "professional"),
                    3,
                    Frequency::Monthly,
                    SubscriptionStatus::Expired,
                    ("2026-09-01", "2026-10-01"),
                )?],
            )?,
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
