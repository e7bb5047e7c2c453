//! The queries of the payment methods on file (`crate::payment_methods`, R25): the list with the
//! default, making one the default, and removing one. Each write checks in its own statement that
//! the asking user still is the billing contact (R1), so a handover in another process (R26) is
//! never overtaken.

use super::{PaymentMethod, Store, StoreError, col};

/// A payment method on file with whether it is the account's default (R25).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredCard {
    /// The card as the account shows it.
    pub method: PaymentMethod,
    /// Whether renewals are charged to it (R25, R31).
    pub is_default: bool,
}

/// What a removal did (R25).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Removal {
    /// The card is gone; when it was the default, the first card left is the default now.
    Removed,
    /// The account has no card with that id (another account's card included).
    NotFound,
    /// It is the only card and a subscription renews (auto-renew on): renewals need it.
    OnlyCardOfRenewals,
    /// An order is being paid with it right now (an open payment attempt, S21).
    BeingPaid,
    /// The asking user is no longer the billing contact; nothing changed.
    NotBillingContact,
}

/// The statement that keeps a role check inside a write: the user is a billing contact of the
/// account (`$1` the account, `$3` the user).
pub(super) const STILL_CONTACT: &str =
    "EXISTS (SELECT 1 FROM users u WHERE u.id = $3 AND u.account_id = $1
    AND u.is_billing_contact <> 0)";

impl Store {
    /// The payment methods of an account, in the order the API lists them (position, then id).
    pub async fn cards(&self, account_id: &str) -> Result<Vec<StoredCard>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, brand, last4, exp, is_default FROM payment_methods
             WHERE account_id = $1 ORDER BY position, id",
        )
        .bind(account_id.to_owned())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(StoredCard {
                    method: PaymentMethod {
                        id: col(row, "id")?,
                        brand: col(row, "brand")?,
                        last4: col(row, "last4")?,
                        exp: col(row, "exp")?,
                    },
                    is_default: col::<i64>(row, "is_default")? != 0,
                })
            })
            .collect()
    }

    /// Makes card `card_id` the account's only default (R25) in one statement, which also checks
    /// that the card is the account's and that `by_user` is still its billing contact; `false`
    /// when nothing changed for either reason (the caller reads which).
    pub async fn set_default_card(
        &self,
        account_id: &str,
        card_id: &str,
        by_user: &str,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(&format!(
            "UPDATE payment_methods SET is_default = CASE WHEN id = $2 THEN 1 ELSE 0 END
             WHERE account_id = $1
               AND EXISTS (SELECT 1 FROM payment_methods m WHERE m.id = $2 AND m.account_id = $1)
               AND {STILL_CONTACT}"
        ))
        .bind(account_id.to_owned())
        .bind(card_id.to_owned())
        .bind(by_user.to_owned())
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Removes card `card_id` of the account (R25), in one transaction that first takes the
    /// account's row lock (a no-op update), so that two removals of an account's last two cards,
    /// in any processes, run one after the other and the second sees the first. The `DELETE`
    /// checks, in the same statement, that the card is the account's, that `by_user` is still
    /// its billing contact, that another card is left or no subscription renews, and that no
    /// open payment attempt (S21) is charging it. A removed default hands the default to the
    /// first card left.
    pub async fn remove_card(
        &self,
        account_id: &str,
        card_id: &str,
        by_user: &str,
    ) -> Result<Removal, StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE accounts SET last_seq = last_seq WHERE id = $1")
            .bind(account_id.to_owned())
            .execute(&mut *tx)
            .await?;
        let deleted = sqlx::query(&format!(
            "DELETE FROM payment_methods WHERE id = $2 AND account_id = $1 AND {STILL_CONTACT}
               AND (EXISTS (SELECT 1 FROM payment_methods o WHERE o.account_id = $1 AND o.id <> $2)
                    OR NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.account_id = $1
                                   AND s.status = 'active'))
               AND NOT EXISTS (SELECT 1 FROM payment_attempts p WHERE p.open_account = $1
                               AND p.payment_method = $2)"
        ))
        .bind(account_id.to_owned())
        .bind(card_id.to_owned())
        .bind(by_user.to_owned())
        .execute(&mut *tx)
        .await?;
        if deleted.rows_affected() > 0 {
            sqlx::query(
                "UPDATE payment_methods SET is_default = 1
                 WHERE id = (SELECT id FROM payment_methods WHERE account_id = $1
                             ORDER BY position, id LIMIT 1)
                   AND NOT EXISTS (SELECT 1 FROM payment_methods d WHERE d.account_id = $1
                                   AND d.is_default <> 0)",
            )
            .bind(account_id.to_owned())
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            return Ok(Removal::Removed);
        }
        // Nothing was removed: read why, under the same lock.
        let why = sqlx::query(&format!(
            "SELECT
                (SELECT COUNT(*) FROM payment_methods WHERE id = $2 AND account_id = $1) AS mine,
                (SELECT COUNT(*) FROM users u WHERE {}) AS contact,
                (SELECT COUNT(*) FROM payment_attempts p WHERE p.open_account = $1
                   AND p.payment_method = $2) AS paying",
            "u.id = $3 AND u.account_id = $1 AND u.is_billing_contact <> 0"
        ))
        .bind(account_id.to_owned())
        .bind(card_id.to_owned())
        .bind(by_user.to_owned())
        .fetch_one(&mut *tx)
        .await?;
        tx.rollback().await?;
        Ok(if col::<i64>(&why, "contact")? == 0 {
            Removal::NotBillingContact
        } else if col::<i64>(&why, "mine")? == 0 {
            Removal::NotFound
        } else if col::<i64>(&why, "paying")? > 0 {
            Removal::BeingPaid
        } else {
            Removal::OnlyCardOfRenewals
        })
    }
}
