//! Accounts, their users, sessions, payment methods and subscriptions.

use billing::{Account, RenewalEvent};
use serde::Serialize;
use serde_json::json;
use sqlx::AnyConnection;

use super::{Store, StoreError, col};

/// A user who can sign in.
#[derive(Clone, Debug)]
pub struct User {
    /// The user id.
    pub id: String,
    /// The account the user belongs to.
    pub account_id: String,
    /// The user's name.
    pub name: String,
    /// The sign-in e-mail (lowercase).
    pub email: String,
    /// The argon2 hash of the password (PHC string).
    pub password_hash: String,
    /// Whether the user is the account's billing contact (R1).
    pub is_billing_contact: bool,
}

/// A payment method on file: never a card number, only what the customer needs to recognise it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PaymentMethod {
    /// The id the client sends (`pm_1`).
    pub id: String,
    /// The card brand (`visa`).
    pub brand: String,
    /// The last four digits.
    pub last4: String,
    /// The expiry, `YYYY-MM`.
    pub exp: String,
}

/// An account with what the API shows beside the pricing data.
#[derive(Clone, Debug)]
pub struct AccountRecord {
    /// The account as the engine sees it.
    pub account: Account,
    /// The account's name.
    pub name: String,
    /// The billing contact's name and e-mail, if the account has one.
    pub billing_contact: Option<(String, String)>,
    /// The payment methods on file.
    pub payment_methods: Vec<PaymentMethod>,
}

/// A user to create with a new account.
#[derive(Clone, Debug)]
pub struct NewUser {
    /// The user id.
    pub id: String,
    /// The name.
    pub name: String,
    /// The sign-in e-mail.
    pub email: String,
    /// The argon2 hash of the password.
    pub password_hash: String,
    /// Whether the user is the billing contact.
    pub is_billing_contact: bool,
}

/// An account to create (the demo data).
#[derive(Clone, Debug)]
pub struct NewAccount {
    /// The account with its subscriptions.
    pub account: Account,
    /// Its name.
    pub name: String,
    /// Its users.
    pub users: Vec<NewUser>,
    /// Its payment methods.
    pub payment_methods: Vec<PaymentMethod>,
}

fn user_from_row(row: &sqlx::any::AnyRow) -> Result<User, StoreError> {
    Ok(User {
        id: col(row, "id")?,
        account_id: col(row, "account_id")?,
        name: col(row, "name")?,
        email: col(row, "email")?,
        password_hash: col(row, "password_hash")?,
        is_billing_contact: col::<i64>(row, "is_billing_contact")? != 0,
    })
}

const USER_COLUMNS: &str =
    "u.id, u.account_id, u.name, u.email, u.password_hash, u.is_billing_contact";

/// Writes the account's credit, VAT id and subscriptions as they stand in `account`.
pub(super) async fn write_account_state(
    conn: &mut AnyConnection,
    account: &Account,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE accounts SET credit = $1, vat_id = $2 WHERE id = $3")
        .bind(account.credit().to_string())
        .bind(account.vat_id().map(|id| id.to_string()))
        .bind(account.id().to_owned())
        .execute(&mut *conn)
        .await?;
    for (position, s) in account.subscriptions().iter().enumerate() {
        let position = i64::try_from(position).unwrap_or(i64::MAX);
        let updated = sqlx::query(
            "UPDATE subscriptions SET tier = $1, seats = $2, frequency = $3, status = $4,
                period_start = $5, period_end = $6, position = $7
             WHERE id = $8 AND account_id = $9",
        )
        .bind(s.tier.clone())
        .bind(i64::from(s.seats.get()))
        .bind(s.frequency.as_str())
        .bind(s.status.as_str())
        .bind(s.period.start().to_string())
        .bind(s.period.end().to_string())
        .bind(position)
        .bind(s.id.clone())
        .bind(account.id().to_owned())
        .execute(&mut *conn)
        .await?;
        if updated.rows_affected() == 0 {
            sqlx::query(
                "INSERT INTO subscriptions (id, account_id, product, tier, seats, frequency,
                    status, period_start, period_end, position)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(s.id.clone())
            .bind(account.id().to_owned())
            .bind(s.product.clone())
            .bind(s.tier.clone())
            .bind(i64::from(s.seats.get()))
            .bind(s.frequency.as_str())
            .bind(s.status.as_str())
            .bind(s.period.start().to_string())
            .bind(s.period.end().to_string())
            .bind(position)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

impl Store {
    /// Creates an account with its users, payment methods and subscriptions, all or nothing.
    pub async fn insert_account(&self, new: &NewAccount) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let account = &new.account;
        let kind = serde_json::to_value(account.kind())
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        sqlx::query(
            "INSERT INTO accounts (id, name, kind, country, currency, vat_id, credit)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(account.id().to_owned())
        .bind(new.name.clone())
        .bind(kind)
        .bind(account.country().to_string())
        .bind(account.currency().to_string())
        .bind(account.vat_id().map(|id| id.to_string()))
        .bind(account.credit().to_string())
        .execute(&mut *tx)
        .await?;
        for user in &new.users {
            sqlx::query(
                "INSERT INTO users (id, account_id, name, email, password_hash, is_billing_contact)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(user.id.clone())
            .bind(account.id().to_owned())
            .bind(user.name.clone())
            .bind(user.email.to_lowercase())
            .bind(user.password_hash.clone())
            .bind(i64::from(user.is_billing_contact))
            .execute(&mut *tx)
            .await?;
        }
        for (position, pm) in new.payment_methods.iter().enumerate() {
            sqlx::query(
                "INSERT INTO payment_methods (id, account_id, brand, last4, exp, position)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(pm.id.clone())
            .bind(account.id().to_owned())
            .bind(pm.brand.clone())
            .bind(pm.last4.clone())
            .bind(pm.exp.clone())
            .bind(i64::try_from(position).unwrap_or(i64::MAX))
            .execute(&mut *tx)
            .await?;
        }
        write_account_state(&mut tx, account).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The user who signs in with this e-mail (compared without case).
    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users u WHERE u.email = $1"
        ))
        .bind(email.trim().to_lowercase())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    /// Stores a session: only the hash of its token, and when it expires (Unix seconds).
    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: &str,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(chrono::Utc::now().timestamp())
            .execute(&self.pool)
            .await?;
        sqlx::query("INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3)")
            .bind(token_hash.to_owned())
            .bind(user_id.to_owned())
            .bind(expires_at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The user of an unexpired session with this token hash.
    pub async fn user_by_session(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<User>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = $1 AND s.expires_at > $2"
        ))
        .bind(token_hash.to_owned())
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    /// The account with this id, as stored (not yet rolled forward).
    pub async fn account(&self, account_id: &str) -> Result<Option<AccountRecord>, StoreError> {
        let Some(row) = sqlx::query(
            "SELECT id, name, kind, country, currency, vat_id, credit FROM accounts WHERE id = $1",
        )
        .bind(account_id.to_owned())
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let subscriptions = sqlx::query(
            "SELECT id, product, tier, seats, frequency, status, period_start, period_end
             FROM subscriptions WHERE account_id = $1 ORDER BY position, id",
        )
        .bind(account_id.to_owned())
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|s| {
            Ok(json!({
                "id": col::<String>(s, "id")?,
                "product": col::<String>(s, "product")?,
                "tier": col::<String>(s, "tier")?,
                "seats": col::<i64>(s, "seats")?,
                "frequency": col::<String>(s, "frequency")?,
                "status": col::<String>(s, "status")?,
                "period_start": col::<String>(s, "period_start")?,
                "period_end": col::<String>(s, "period_end")?,
            }))
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        let input = json!({
            "id": col::<String>(&row, "id")?,
            "kind": col::<String>(&row, "kind")?,
            "country": col::<String>(&row, "country")?,
            "currency": col::<String>(&row, "currency")?,
            "vat_id": col::<Option<String>>(&row, "vat_id")?,
            "credit": col::<String>(&row, "credit")?,
            "subscriptions": subscriptions,
        });
        let account: Account = serde_json::from_value(input)
            .map_err(|e| StoreError::Corrupt(format!("account {account_id}: {e}")))?;
        let contact = sqlx::query(
            "SELECT name, email FROM users WHERE account_id = $1 AND is_billing_contact = 1
             ORDER BY id",
        )
        .bind(account_id.to_owned())
        .fetch_optional(&self.pool)
        .await?
        .map(|r| Ok::<_, StoreError>((col(&r, "name")?, col(&r, "email")?)))
        .transpose()?;
        let payment_methods = sqlx::query(
            "SELECT id, brand, last4, exp FROM payment_methods WHERE account_id = $1
             ORDER BY position, id",
        )
        .bind(account_id.to_owned())
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(PaymentMethod {
                id: col(r, "id")?,
                brand: col(r, "brand")?,
                last4: col(r, "last4")?,
                exp: col(r, "exp")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(Some(AccountRecord {
            account,
            name: col(&row, "name")?,
            billing_contact: contact,
            payment_methods,
        }))
    }

    /// Stores the result of rolling an account forward (R16): the new periods and statuses, the
    /// credit the renewals used, and one renewal charge per renewed period, all or nothing.
    pub async fn save_roll_forward(
        &self,
        account: &Account,
        events: &[RenewalEvent],
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        write_account_state(&mut tx, account).await?;
        for event in events {
            if let RenewalEvent::Renewed(renewal) = event {
                let body = serde_json::to_string(renewal)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                sqlx::query(
                    "INSERT INTO renewal_charges (subscription_id, period_start, account_id, body)
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(renewal.subscription.clone())
                .bind(renewal.period.start().to_string())
                .bind(account.id().to_owned())
                .bind(body)
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// The number of renewal charges stored for an account (R16).
    pub async fn renewal_count(&self, account_id: &str) -> Result<i64, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM renewal_charges WHERE account_id = $1")
                .bind(account_id.to_owned())
                .fetch_one(&self.pool)
                .await?,
        )
    }
}
