//! The queries of the renewal worker (`crate::renewals`, R31) and of the renewals in the billing
//! history (R28).
//!
//! A renewal charge is stored once per subscription and period (the table's primary key) when the
//! account is rolled forward (R16, `accounts.rs`). From then on every change of its standing is
//! one conditional statement inside a transaction, so the database decides between server
//! processes (S71): a payment attempt is claimed by raising the renewal's attempt count from the
//! value its claimer read (only one claimer of a count wins), the attempt itself is a payment
//! attempt of `attempts.rs` holding the account under its version (S20, S21), and a renewal is
//! settled only from an unsettled status, in the transaction that closes its attempt and queues
//! its e-mail.

use serde_json::{Value, json};

use super::receipts::{BillingColumns, billing_info};
use super::{Attempt, Store, StoreError, col, is_unique_violation};

/// The account's own billing information (R27), which a settled renewal copies (S77).
const ACCOUNT_OWN: BillingColumns = BillingColumns {
    company: "name",
    country: "country",
    vat_id: "vat_id",
    line1: "address_line1",
    line2: "address_line2",
    city: "address_city",
    postal_code: "address_postal_code",
    region: "address_region",
};

/// A renewal charge as stored, with where it stands.
#[derive(Clone, Debug)]
pub struct RenewalRow {
    /// The account renewed.
    pub account_id: String,
    /// The subscription renewed.
    pub subscription_id: String,
    /// The first day of the new period: the due date (`YYYY-MM-DD`).
    pub period_start: String,
    /// The engine's renewal charge (`billing::Renewal`) as JSON.
    pub body: Value,
    /// `due`, `paid`, `no_payment_needed`, `payment_failed` or `expired_unpaid`.
    pub status: String,
    /// How many payment attempts it had (S21).
    pub attempts: i64,
    /// How many scheduled tries failed (R31).
    pub failures: i64,
    /// The day of the next scheduled try, when it differs from the due date.
    pub next_try_on: Option<String>,
    /// The provider's reference of the charge that paid it.
    pub payment_reference: Option<String>,
    /// The brand and last four digits of the card that paid it.
    pub card: Option<(String, String)>,
    /// When it was settled (RFC 3339).
    pub settled_at: Option<String>,
    /// The billing information it was settled with (R27, S77); `None` before.
    pub billing_info: Option<api::BillingInfo>,
    /// The account's currency.
    pub currency: String,
    /// The product renewed.
    pub product: String,
}

/// The payment attempt of a renewal to store (S21).
#[derive(Debug)]
pub struct RenewalClaim<'a> {
    /// The attempt's id.
    pub attempt_id: &'a str,
    /// The account paying.
    pub account_id: &'a str,
    /// The subscription renewed.
    pub subscription_id: &'a str,
    /// The renewal's due date.
    pub period_start: &'a str,
    /// The renewal's attempt count as read: the claim wins only while it still is this.
    pub attempts: i64,
    /// The renewal's failure count as read: a try that failed meanwhile (in another process) is
    /// not made again.
    pub failures: i64,
    /// The idempotency key of the renewal's attempts.
    pub idem_key: &'a str,
    /// The provider key of this attempt.
    pub provider_key: &'a str,
    /// The account's version as read (S20).
    pub version: i64,
    /// The amount charged.
    pub amount: &'a str,
    /// Its currency.
    pub currency: &'a str,
    /// The card charged.
    pub payment_method: &'a str,
    /// When (RFC 3339).
    pub created_at: &'a str,
}

/// What claiming a renewal's payment attempt did.
#[derive(Debug)]
pub enum Claim {
    /// The attempt is stored and holds the account.
    Held(Box<Attempt>),
    /// Another claimer (another round, process or "Paga ora") got this attempt first, or the
    /// renewal is settled: nothing was stored.
    Taken,
    /// The account moved since it was read, or lost the card: nothing was stored.
    Stale,
    /// Another payment attempt holds the account: nothing was stored.
    Busy,
}

/// An e-mail to queue in the outbox with a change of a renewal.
#[derive(Debug)]
pub struct Mail<'a> {
    /// The outbox message id.
    pub id: &'a str,
    /// When it was queued (RFC 3339).
    pub created_at: &'a str,
    /// The billing contact's address.
    pub recipient: &'a str,
    /// The subject.
    pub subject: &'a str,
    /// The text.
    pub text: &'a str,
}

/// A renewal settled as `paid` or `no_payment_needed`.
#[derive(Debug)]
pub struct Settlement<'a> {
    /// The payment attempt that paid it, closed as `committed` with it.
    pub attempt_id: Option<&'a str>,
    /// `paid` or `no_payment_needed`.
    pub status: &'a str,
    /// The charge's reference.
    pub payment_reference: Option<&'a str>,
    /// The card's brand and last four digits.
    pub card: Option<(&'a str, &'a str)>,
    /// When (RFC 3339).
    pub settled_at: &'a str,
    /// The billing information of the receipt (R27), when the account is still there.
    pub billing_info: Option<&'a api::BillingInfo>,
    /// The receipt (R31), when the account has a billing contact to send it to.
    pub receipt: Option<Mail<'a>>,
}

/// What settling a renewal did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Settled {
    /// Settled.
    Done,
    /// Its attempt was closed meanwhile (the reconciler finished it): nothing changed.
    AttemptClosed,
    /// It was settled or expired meanwhile: nothing changed (a charge must be given back).
    AlreadySettled,
}

const RENEWAL_COLUMNS: &str = "r.account_id, r.subscription_id, r.period_start, r.body, r.status,
    r.attempts, r.failures, r.next_try_on, r.payment_reference, r.card_brand, r.card_last4,
    r.settled_at, r.billing_info, a.currency, COALESCE(s.product, '') AS product";

const RENEWAL_FROM: &str = "FROM renewal_charges r JOIN accounts a ON a.id = r.account_id
    LEFT JOIN subscriptions s ON s.id = r.subscription_id";

fn parse_json(text: &str) -> Result<Value, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn renewal_from_row(row: &sqlx::any::AnyRow) -> Result<RenewalRow, StoreError> {
    let brand: Option<String> = col(row, "card_brand")?;
    let last4: Option<String> = col(row, "card_last4")?;
    Ok(RenewalRow {
        account_id: col(row, "account_id")?,
        subscription_id: col(row, "subscription_id")?,
        period_start: col(row, "period_start")?,
        body: parse_json(&col::<String>(row, "body")?)?,
        status: col(row, "status")?,
        attempts: col(row, "attempts")?,
        failures: col(row, "failures")?,
        next_try_on: col(row, "next_try_on")?,
        payment_reference: col(row, "payment_reference")?,
        card: brand.zip(last4),
        settled_at: col(row, "settled_at")?,
        // The copy is kept as JSON text; a renewal settled while its account had gone holds `null`.
        billing_info: match col::<Option<String>>(row, "billing_info")? {
            None => None,
            Some(text) => serde_json::from_str(&text).map_err(|e| {
                StoreError::Corrupt(format!("a renewal's billing information: {e}"))
            })?,
        },
        currency: col(row, "currency")?,
        product: col(row, "product")?,
    })
}

/// Queues an e-mail inside a transaction.
async fn queue_mail(conn: &mut sqlx::AnyConnection, mail: &Mail<'_>) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO outbox (id, created_at, recipient, subject, body, sent_at)
         VALUES ($1, $2, $3, $4, $5, NULL)",
    )
    .bind(mail.id)
    .bind(mail.created_at)
    .bind(mail.recipient)
    .bind(mail.subject)
    .bind(mail.text)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Closes an open payment attempt inside a transaction; `false` when it was no longer open.
async fn close_attempt_in(
    conn: &mut sqlx::AnyConnection,
    id: &str,
    state: &str,
    order_id: Option<&str>,
    reference: Option<&str>,
) -> Result<bool, StoreError> {
    let closed = sqlx::query(
        "UPDATE payment_attempts SET state = $1, open_account = NULL, order_id = $2,
            payment_reference = COALESCE($3, payment_reference), updated_at = $4
         WHERE id = $5 AND state IN ('recorded', 'unknown')",
    )
    .bind(state)
    .bind(order_id)
    .bind(reference)
    .bind(chrono::Utc::now().timestamp())
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(closed.rows_affected() == 1)
}

impl Store {
    /// The standard accounts with a subscription whose period ended on or before `today` and is
    /// not expired: the ones to roll forward (R16). Corporate accounts are billed through their
    /// sales representative (R2, S70).
    pub async fn accounts_to_renew(&self, today: &str) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query(
            "SELECT DISTINCT s.account_id FROM subscriptions s JOIN accounts a
                ON a.id = s.account_id
             WHERE s.status <> 'expired' AND s.period_end <= $1 AND a.kind <> 'corporate'
             ORDER BY s.account_id",
        )
        .bind(today)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|row| col(row, "account_id")).collect()
    }

    /// The renewals the worker settles on `today` (R31): unsettled ones whose try is due, and
    /// failed ones past their last try (to expire), of standard accounts, oldest first.
    pub async fn renewals_to_settle(
        &self,
        today: &str,
        last_try: i64,
        limit: i64,
    ) -> Result<Vec<RenewalRow>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {RENEWAL_COLUMNS} {RENEWAL_FROM}
             WHERE a.kind <> 'corporate' AND (
                (r.status IN ('due', 'payment_failed') AND r.failures < $2
                 AND COALESCE(r.next_try_on, r.period_start) <= $1)
                OR (r.status = 'payment_failed' AND r.failures >= $2))
             ORDER BY r.period_start, r.subscription_id LIMIT $3"
        ))
        .bind(today)
        .bind(last_try)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(renewal_from_row).collect()
    }

    /// The renewals of an account, newest first (R28).
    pub async fn renewals(&self, account_id: &str) -> Result<Vec<RenewalRow>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {RENEWAL_COLUMNS} {RENEWAL_FROM} WHERE r.account_id = $1
             ORDER BY r.period_start DESC, r.subscription_id DESC"
        ))
        .bind(account_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(renewal_from_row).collect()
    }

    /// One renewal of an account; another account's is not found.
    pub async fn renewal(
        &self,
        account_id: &str,
        subscription_id: &str,
        period_start: &str,
    ) -> Result<Option<RenewalRow>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {RENEWAL_COLUMNS} {RENEWAL_FROM}
             WHERE r.account_id = $1 AND r.subscription_id = $2 AND r.period_start = $3"
        ))
        .bind(account_id)
        .bind(subscription_id)
        .bind(period_start)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(renewal_from_row).transpose()
    }

    /// The account's billing information as it is now, in the shape of
    /// `GET /api/v1/account/billing-info` (R27): what a receipt keeps.
    pub async fn billing_snapshot(
        &self,
        account_id: &str,
    ) -> Result<Option<api::BillingInfo>, StoreError> {
        let row = sqlx::query(
            "SELECT name, country, vat_id, address_line1, address_line2, address_city,
                address_postal_code, address_region FROM accounts WHERE id = $1",
        )
        .bind(account_id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        billing_info(&row, &ACCOUNT_OWN)
    }

    /// Claims the next payment attempt of a renewal and stores it (S21), in one transaction: the
    /// renewal's attempt count goes from the value read to the next while its failure count is
    /// still the one read (only one claimer of a try wins, in any process, S71), and the attempt is stored only while the account is at the
    /// version read, still has the card and no other attempt holds it (S20).
    pub async fn claim_renewal_attempt(
        &self,
        claim: &RenewalClaim<'_>,
    ) -> Result<Claim, StoreError> {
        let mut tx = self.pool.begin().await?;
        let claimed = sqlx::query(
            "UPDATE renewal_charges SET attempts = attempts + 1
             WHERE subscription_id = $1 AND period_start = $2 AND attempts = $3
               AND failures = $4 AND status IN ('due', 'payment_failed')",
        )
        .bind(claim.subscription_id)
        .bind(claim.period_start)
        .bind(claim.attempts)
        .bind(claim.failures)
        .execute(&mut *tx)
        .await?;
        if claimed.rows_affected() != 1 {
            tx.rollback().await?;
            return Ok(Claim::Taken);
        }
        let prepared = json!({"renewal": {"subscription": claim.subscription_id,
            "period_start": claim.period_start}})
        .to_string();
        let inserted = sqlx::query(
            "INSERT INTO payment_attempts (id, account_id, idem_key, request_hash, generation,
                provider_key, open_account, account_version, state, amount, currency,
                payment_method, payment_reference, order_id, prepared, created_at, updated_at)
             SELECT $1, $2, $3, 'renewal', $4, $5, $2, $6, 'recorded', $7, $8, $9, NULL, NULL,
                $10, $11, $12
             FROM accounts WHERE id = $2 AND version = $6
               AND EXISTS (SELECT 1 FROM payment_methods m WHERE m.id = $9
                           AND m.account_id = $2)",
        )
        .bind(claim.attempt_id)
        .bind(claim.account_id)
        .bind(claim.idem_key)
        .bind(claim.attempts + 1)
        .bind(claim.provider_key)
        .bind(claim.version)
        .bind(claim.amount)
        .bind(claim.currency)
        .bind(claim.payment_method)
        .bind(prepared.as_str())
        .bind(claim.created_at)
        .bind(chrono::Utc::now().timestamp())
        .execute(&mut *tx)
        .await;
        match inserted {
            Ok(done) if done.rows_affected() == 1 => {}
            Ok(_) => {
                tx.rollback().await?;
                return Ok(Claim::Stale);
            }
            Err(error) if is_unique_violation(&error) => {
                tx.rollback().await?;
                return Ok(Claim::Busy);
            }
            Err(error) => return Err(error.into()),
        }
        tx.commit().await?;
        match self
            .attempt_for_key(claim.account_id, claim.idem_key)
            .await?
        {
            Some(attempt) if attempt.id == claim.attempt_id => Ok(Claim::Held(Box::new(attempt))),
            // Closed and followed by another claim in the instant since: not ours to go on with.
            _ => Ok(Claim::Taken),
        }
    }

    /// Settles a renewal as paid (or as needing no payment), in one transaction: its payment
    /// attempt closed as `committed`, the renewal's status, charge, card and billing
    /// information, and its receipt queued (R31, R27).
    pub async fn settle_renewal(
        &self,
        subscription_id: &str,
        period_start: &str,
        settlement: &Settlement<'_>,
    ) -> Result<Settled, StoreError> {
        let renewal_id = crate::renewals::renewal_id(subscription_id, period_start);
        let mut tx = self.pool.begin().await?;
        if let Some(attempt) = settlement.attempt_id
            && !close_attempt_in(
                &mut tx,
                attempt,
                "committed",
                Some(&renewal_id),
                settlement.payment_reference,
            )
            .await?
        {
            tx.rollback().await?;
            return Ok(Settled::AttemptClosed);
        }
        let (brand, last4) = settlement.card.unzip();
        let settled = sqlx::query(
            "UPDATE renewal_charges SET status = $1, payment_reference = $2, card_brand = $3,
                card_last4 = $4, settled_at = $5, billing_info = $6, next_try_on = NULL
             WHERE subscription_id = $7 AND period_start = $8
               AND status IN ('due', 'payment_failed')",
        )
        .bind(settlement.status)
        .bind(settlement.payment_reference)
        .bind(brand)
        .bind(last4)
        .bind(settlement.settled_at)
        .bind(
            serde_json::to_string(&settlement.billing_info)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
        )
        .bind(subscription_id)
        .bind(period_start)
        .execute(&mut *tx)
        .await?;
        if settled.rows_affected() != 1 {
            tx.rollback().await?;
            return Ok(Settled::AlreadySettled);
        }
        if let Some(mail) = &settlement.receipt {
            queue_mail(&mut tx, mail).await?;
        }
        tx.commit().await?;
        Ok(Settled::Done)
    }

    /// Records a failed scheduled try of a renewal (R31), in one transaction: its payment attempt
    /// (when a card was charged) closed as `declined`, the failure counted from the count read
    /// (so two processes count one failure once, S71), the next try's day, and the e-mail to
    /// the billing contact. `false` when someone else recorded it first (or closed the attempt):
    /// no failure is counted then.
    pub async fn record_renewal_failure(
        &self,
        renewal: &RenewalRow,
        attempt_id: Option<&str>,
        next_try_on: Option<&str>,
        mail: Option<&Mail<'_>>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        if let Some(attempt) = attempt_id
            && !close_attempt_in(&mut tx, attempt, "declined", None, None).await?
        {
            tx.rollback().await?;
            return Ok(false);
        }
        let counted = sqlx::query(
            "UPDATE renewal_charges SET status = 'payment_failed', failures = failures + 1,
                next_try_on = $1
             WHERE subscription_id = $2 AND period_start = $3 AND failures = $4
               AND status IN ('due', 'payment_failed')",
        )
        .bind(next_try_on)
        .bind(renewal.subscription_id.as_str())
        .bind(renewal.period_start.as_str())
        .bind(renewal.failures)
        .execute(&mut *tx)
        .await?;
        let counted = counted.rows_affected() == 1;
        // A failure counted meanwhile by someone else is not counted or e-mailed twice; the
        // attempt is closed all the same, so that it stops holding the account.
        if counted && let Some(mail) = mail {
            queue_mail(&mut tx, mail).await?;
        }
        tx.commit().await?;
        Ok(counted)
    }

    /// Expires a renewal that was never paid and its subscription (R31, R15), in one
    /// transaction under the guard of S20: the account's credit becomes `credit` (what the
    /// renewal had taken of it given back, S74) only while the account is at `version` and no
    /// payment attempt holds it; the subscription expires if it is still in the renewed period.
    /// `false` when the account moved or the renewal was settled meanwhile: nothing changed.
    pub async fn expire_renewal(
        &self,
        renewal: &RenewalRow,
        version: i64,
        credit: &str,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let written = sqlx::query(
            "UPDATE accounts SET credit = $1, version = version + 1
             WHERE id = $2 AND version = $3
               AND NOT EXISTS (SELECT 1 FROM payment_attempts p WHERE p.open_account = accounts.id)",
        )
        .bind(credit)
        .bind(renewal.account_id.as_str())
        .bind(version)
        .execute(&mut *tx)
        .await?;
        if written.rows_affected() != 1 {
            tx.rollback().await?;
            return Ok(false);
        }
        let expired = sqlx::query(
            "UPDATE renewal_charges SET status = 'expired_unpaid', next_try_on = NULL
             WHERE subscription_id = $1 AND period_start = $2 AND status = 'payment_failed'",
        )
        .bind(renewal.subscription_id.as_str())
        .bind(renewal.period_start.as_str())
        .execute(&mut *tx)
        .await?;
        if expired.rows_affected() != 1 {
            tx.rollback().await?;
            return Ok(false);
        }
        sqlx::query(
            "UPDATE subscriptions SET status = 'expired'
             WHERE id = $1 AND account_id = $2 AND period_start = $3",
        )
        .bind(renewal.subscription_id.as_str())
        .bind(renewal.account_id.as_str())
        .bind(renewal.period_start.as_str())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }
}
