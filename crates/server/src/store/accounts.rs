//! Accounts, their users, sessions, payment methods and subscriptions.

use std::collections::HashMap;

pub use api::PaymentMethod;
use billing::{Account, RenewalEvent};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::AnyConnection;

use super::locks::AccountGuard;
use super::orders::{Placed, StoredAnswer, stored_answer};
use super::rows::{Arg, bind_all, insert_rows, push_placeholders};
use super::writer::Write;
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

/// An account with what the API shows beside the pricing data.
#[derive(Clone, Debug)]
pub struct AccountRecord {
    /// The account as the engine sees it.
    pub account: Account,
    /// The account's name.
    pub name: String,
    /// The billing contact's name and e-mail, if the account has one.
    pub billing_contact: Option<(String, String)>,
    /// The account's users: id and whether the user is a billing contact (R1), as stored now.
    pub users: Vec<(String, bool)>,
    /// The payment methods on file.
    pub payment_methods: Vec<PaymentMethod>,
    /// The account's version as read: a write of its state is stored only while the version is
    /// still this one (S20).
    pub version: i64,
}

impl AccountRecord {
    /// Whether the user is a billing contact of this account (R1), or `None` when the user is
    /// not one of its users.
    pub fn role_of(&self, user_id: &str) -> Option<bool> {
        self.users
            .iter()
            .find(|(id, _)| id == user_id)
            .map(|&(_, is_billing_contact)| is_billing_contact)
    }
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

pub(super) fn user_from_row(row: &sqlx::any::AnyRow) -> Result<User, StoreError> {
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

/// A subscription row, ready to bind.
#[derive(Debug, Serialize, Deserialize)]
struct SubscriptionRow {
    id: String,
    product: String,
    tier: String,
    seats: i64,
    frequency: String,
    status: String,
    period_start: String,
    period_end: String,
}

/// An account's state as the statements that write it need it (credit, VAT id, subscriptions),
/// with the renewal charges to store beside it (R16): owned text, ready to bind, so that the writer
/// task only talks to the database. It is serialisable because a payment attempt keeps the order
/// it pays for (S21).
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct AccountState {
    pub(crate) account_id: String,
    /// The account's version the state was computed from (S20).
    pub(crate) version: i64,
    credit: String,
    vat_id: Option<String>,
    subscriptions: Vec<SubscriptionRow>,
    /// Renewal charges: subscription id, period start and the charge as JSON.
    renewals: Vec<(String, String, String)>,
}

impl AccountState {
    pub(crate) fn new(
        account: &Account,
        version: i64,
        renewals: Vec<(String, String, String)>,
    ) -> AccountState {
        AccountState {
            account_id: account.id().to_owned(),
            version,
            credit: account.credit().to_string(),
            vat_id: account.vat_id().map(|id| id.to_string()),
            subscriptions: account
                .subscriptions()
                .iter()
                .map(|s| SubscriptionRow {
                    id: s.id.clone(),
                    product: s.product.clone(),
                    tier: s.tier.clone(),
                    seats: i64::from(s.seats.get()),
                    frequency: s.frequency.as_str().to_owned(),
                    status: s.status.as_str().to_owned(),
                    period_start: s.period.start().to_string(),
                    period_end: s.period.end().to_string(),
                })
                .collect(),
            renewals,
        }
    }
}

/// Writes the account rows' credit and VAT id and draws the number of each account's next order
/// from its row (`last_seq`: part of the update the order needs anyway, instead of a `MAX(seq)`
/// query), in one statement for all the accounts (which must be distinct); answers the numbers
/// by account id. The guard of S20 is part of the statement: a row is written only while its
/// version is the one the order was priced from and no payment attempt of another order holds
/// the account (an order's own attempt is closed before this statement). An account that does
/// not exist, or is not written for that reason, has no number.
pub(super) async fn draw_order_numbers(
    conn: &mut AnyConnection,
    states: &[&AccountState],
) -> Result<HashMap<String, i64>, StoreError> {
    let mut sql = String::from(
        "UPDATE accounts SET credit = v.column2, vat_id = v.column3, last_seq = last_seq + 1,
            version = version + 1
         FROM (VALUES ",
    );
    push_placeholders(&mut sql, states.len(), 4);
    // SQLite and PostgreSQL both name the columns of a VALUES list column1, column2, ...
    sql.push_str(
        ") AS v WHERE accounts.id = v.column1 AND accounts.version = v.column4
            AND NOT EXISTS (SELECT 1 FROM payment_attempts p WHERE p.open_account = accounts.id)
         RETURNING id, last_seq",
    );
    let mut query = sqlx::query(&sql);
    for state in states {
        query = bind_all(
            query,
            &[
                Arg::Text(&state.account_id),
                Arg::Text(&state.credit),
                Arg::OptText(state.vat_id.as_deref()),
                Arg::Int(state.version),
            ],
        );
    }
    query
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|row| Ok((col(row, "id")?, col(row, "last_seq")?)))
        .collect()
}

/// Writes the account row's credit and VAT id, under the guard of S20 (the version it was
/// computed from, no open payment attempt); `false` when the row was not written.
async fn write_account_row(
    conn: &mut AnyConnection,
    state: &AccountState,
) -> Result<bool, StoreError> {
    let updated = sqlx::query(
        "UPDATE accounts SET credit = $1, vat_id = $2, version = version + 1
         WHERE id = $3 AND version = $4
           AND NOT EXISTS (SELECT 1 FROM payment_attempts p WHERE p.open_account = accounts.id)",
    )
    .bind(state.credit.as_str())
    .bind(state.vat_id.as_deref())
    .bind(state.account_id.as_str())
    .bind(state.version)
    .execute(&mut *conn)
    .await?;
    Ok(updated.rows_affected() > 0)
}

/// Writes every subscription of the accounts in one statement (per hundred): new ones are
/// inserted, known ones updated (an upsert, which SQLite and PostgreSQL spell alike). A
/// subscription id that belongs to another account is refused as corrupt data rather than
/// touched.
pub(super) async fn write_subscriptions(
    conn: &mut AnyConnection,
    states: &[&AccountState],
) -> Result<(), StoreError> {
    let rows: Vec<Vec<Arg<'_>>> = states
        .iter()
        .flat_map(|state| {
            state.subscriptions.iter().enumerate().map(|(position, s)| {
                vec![
                    Arg::Text(&s.id),
                    Arg::Text(&state.account_id),
                    Arg::Text(&s.product),
                    Arg::Text(&s.tier),
                    Arg::Int(s.seats),
                    Arg::Text(&s.frequency),
                    Arg::Text(&s.status),
                    Arg::Text(&s.period_start),
                    Arg::Text(&s.period_end),
                    Arg::Int(i64::try_from(position).unwrap_or(i64::MAX)),
                ]
            })
        })
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    let written = insert_rows(
        conn,
        "INSERT INTO subscriptions (id, account_id, product, tier, seats, frequency, status,
            period_start, period_end, position)",
        &rows,
        " ON CONFLICT (id) DO UPDATE SET tier = excluded.tier, seats = excluded.seats,
            frequency = excluded.frequency, status = excluded.status,
            period_start = excluded.period_start, period_end = excluded.period_end,
            position = excluded.position
          WHERE subscriptions.account_id = excluded.account_id",
    )
    .await?;
    if written != rows.len() as u64 {
        return Err(StoreError::Corrupt(
            "a subscription id belongs to another account".to_owned(),
        ));
    }
    Ok(())
}

/// Writes an account's state after renewals (R16): its row, its subscriptions and one renewal
/// charge per renewed period. Runs inside the writer's transaction. When the account changed
/// since the renewals were computed (another process stored them, or an order), nothing is
/// written: [`StoreError::Stale`], and the caller reads the account again (S20), so a renewal
/// never undoes an order and is stored once.
pub(crate) async fn write_account_state(
    conn: &mut AnyConnection,
    state: &AccountState,
) -> Result<(), StoreError> {
    if !write_account_row(conn, state).await? {
        return Err(StoreError::Stale);
    }
    write_subscriptions(conn, &[state]).await?;
    for (subscription, period_start, body) in &state.renewals {
        sqlx::query(
            "INSERT INTO renewal_charges (subscription_id, period_start, account_id, body)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(subscription.as_str())
        .bind(period_start.as_str())
        .bind(state.account_id.as_str())
        .bind(body.as_str())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The one query that reads an account whole: the account row, its subscriptions, its users (the
/// billing-contact flag in `pos`) and its payment methods as rows of one `UNION ALL`, told apart
/// by `part` (text columns `a`..`g` and integer columns `pos`, `n` mean what each part's branch
/// puts there). One round trip instead of four. The users are read here so that a request learns
/// what its signed-in user may do (R1) from the query it makes anyway (`crate::sessions`).
const ACCOUNT_PARTS: &str = "
    SELECT CAST(0 AS BIGINT) AS part, version AS pos, last_seq AS n, id AS a, name AS b,
        kind AS c, country AS d, currency AS e, vat_id AS f, credit AS g
    FROM accounts WHERE id = $1
    UNION ALL
    SELECT CAST(1 AS BIGINT), position, seats, id, product, tier, frequency, status,
        period_start, period_end
    FROM subscriptions WHERE account_id = $1
    UNION ALL
    SELECT CAST(2 AS BIGINT), is_billing_contact, CAST(0 AS BIGINT), id, name, email,
        CAST(NULL AS TEXT), CAST(NULL AS TEXT), CAST(NULL AS TEXT), CAST(NULL AS TEXT)
    FROM users WHERE account_id = $1
    UNION ALL
    SELECT CAST(3 AS BIGINT), position, CAST(0 AS BIGINT), id, brand, last4, exp,
        CAST(NULL AS TEXT), CAST(NULL AS TEXT), CAST(NULL AS TEXT)
    FROM payment_methods WHERE account_id = $1";

/// [`ACCOUNT_PARTS`] with the idempotency record of a key as part 4 (`a` the request's hash, `b`
/// the answer, `c` when it was stored, `n` its status): what an order reads before it decides anything (R23).
const ACCOUNT_AND_KEY_PARTS: &str = "
    UNION ALL
    SELECT CAST(4 AS BIGINT), CAST(0 AS BIGINT), status, request_hash, response,
        created_at, CAST(NULL AS TEXT), CAST(NULL AS TEXT), CAST(NULL AS TEXT),
        CAST(NULL AS TEXT)
    FROM idempotency_keys WHERE account_id = $1 AND idem_key = $2";

/// The order of the rows: parts, then as the API lists them (position, then id).
const PARTS_ORDER: &str = " ORDER BY part, pos, a";

/// Builds the account (and the idempotency record, when asked) from the rows of
/// [`ACCOUNT_PARTS`].
fn account_from_parts(
    account_id: &str,
    rows: &[sqlx::any::AnyRow],
) -> Result<(Option<AccountRecord>, Option<StoredAnswer>), StoreError> {
    let mut head = None;
    let mut subscriptions = Vec::new();
    let mut contact = None;
    let mut users = Vec::new();
    let mut payment_methods = Vec::new();
    let mut answer = None;
    for row in rows {
        match col::<i64>(row, "part")? {
            0 => head = Some(row),
            1 => subscriptions.push(json!({
                "id": col::<String>(row, "a")?,
                "product": col::<String>(row, "b")?,
                "tier": col::<String>(row, "c")?,
                "seats": col::<i64>(row, "n")?,
                "frequency": col::<String>(row, "d")?,
                "status": col::<String>(row, "e")?,
                "period_start": col::<String>(row, "f")?,
                "period_end": col::<String>(row, "g")?,
            })),
            2 => {
                let is_contact = col::<i64>(row, "pos")? != 0;
                // The rows come by flag, then id: the first billing contact by id, as the API
                // has always shown.
                if is_contact && contact.is_none() {
                    contact = Some((col(row, "b")?, col(row, "c")?));
                }
                users.push((col(row, "a")?, is_contact));
            }
            3 => payment_methods.push(PaymentMethod {
                id: col(row, "a")?,
                brand: col(row, "b")?,
                last4: col(row, "c")?,
                exp: col(row, "d")?,
            }),
            _ => {
                answer = Some(stored_answer(
                    col(row, "a")?,
                    col(row, "n")?,
                    &col::<String>(row, "b")?,
                    col(row, "c")?,
                )?);
            }
        }
    }
    let Some(row) = head else {
        return Ok((None, answer));
    };
    let input = json!({
        "id": col::<String>(row, "a")?,
        "kind": col::<String>(row, "c")?,
        "country": col::<String>(row, "d")?,
        "currency": col::<String>(row, "e")?,
        "vat_id": col::<Option<String>>(row, "f")?,
        "credit": col::<String>(row, "g")?,
        "subscriptions": subscriptions,
    });
    let account: Account = serde_json::from_value(input)
        .map_err(|e| StoreError::Corrupt(format!("account {account_id}: {e}")))?;
    Ok((
        Some(AccountRecord {
            account,
            name: col(row, "b")?,
            billing_contact: contact,
            users,
            payment_methods,
            version: col(row, "pos")?,
        }),
        answer,
    ))
}

/// The write of an account after renewals.
fn renewal_state(
    account: &Account,
    version: i64,
    events: &[RenewalEvent],
) -> Result<AccountState, StoreError> {
    let mut renewals = Vec::new();
    for event in events {
        if let RenewalEvent::Renewed(renewal) = event {
            let body =
                serde_json::to_string(renewal).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            renewals.push((
                renewal.subscription.clone(),
                renewal.period.start().to_string(),
                body,
            ));
        }
    }
    Ok(AccountState::new(account, version, renewals))
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
                "INSERT INTO payment_methods (id, account_id, brand, last4, exp, position,
                    is_default)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(pm.id.clone())
            .bind(account.id().to_owned())
            .bind(pm.brand.clone())
            .bind(pm.last4.clone())
            .bind(pm.exp.clone())
            .bind(i64::try_from(position).unwrap_or(i64::MAX))
            // R25: the first card is the default until the billing contact picks another.
            .bind(i64::from(position == 0))
            .execute(&mut *tx)
            .await?;
        }
        write_subscriptions(&mut tx, &[&AccountState::new(account, 0, Vec::new())]).await?;
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

    /// The account with this id, as stored (not yet rolled forward); one query.
    pub async fn account(&self, account_id: &str) -> Result<Option<AccountRecord>, StoreError> {
        let rows = sqlx::query(&format!("{ACCOUNT_PARTS}{PARTS_ORDER}"))
            .bind(account_id)
            .fetch_all(&self.pool)
            .await?;
        Ok(account_from_parts(account_id, &rows)?.0)
    }

    /// The account with this id (as [`Store::account`]) and the answer already given for this
    /// idempotency key (as [`Store::idempotent_answer`]), in one query.
    pub async fn account_and_answer(
        &self,
        account_id: &str,
        key: &str,
    ) -> Result<(Option<AccountRecord>, Option<StoredAnswer>), StoreError> {
        let rows = sqlx::query(&format!(
            "{ACCOUNT_PARTS}{ACCOUNT_AND_KEY_PARTS}{PARTS_ORDER}"
        ))
        .bind(account_id)
        .bind(key)
        .fetch_all(&self.pool)
        .await?;
        account_from_parts(account_id, &rows)
    }

    /// Stores the result of rolling an account forward (R16): the new periods and statuses, the
    /// credit the renewals used, and one renewal charge per renewed period, all or nothing,
    /// through the store's writer; `version` is the account's version they were computed from.
    /// [`Placed::Stale`] when the account changed meanwhile (S20): nothing is stored.
    pub async fn save_roll_forward(
        &self,
        account: &Account,
        version: i64,
        events: &[RenewalEvent],
    ) -> Result<Placed, StoreError> {
        let write = Write::Account(Box::new(renewal_state(account, version, events)?));
        self.writer.submit(write, None).await.0
    }

    /// [`Store::save_roll_forward`] for a caller holding the account's lock, which it gets back
    /// after the commit (the lock stays held until then even if the caller stops waiting).
    pub async fn save_roll_forward_locked(
        &self,
        account: &Account,
        version: i64,
        events: &[RenewalEvent],
        guard: AccountGuard,
    ) -> Result<(Placed, AccountGuard), StoreError> {
        let write = Write::Account(Box::new(renewal_state(account, version, events)?));
        match self.writer.submit(write, Some(guard)).await {
            (Ok(placed), Some(guard)) => Ok((placed, guard)),
            (Ok(_), None) => Err(StoreError::Writer("the account's lock was lost")),
            (Err(error), _) => Err(error),
        }
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
