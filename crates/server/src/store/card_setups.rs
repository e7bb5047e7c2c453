//! Card set-ups (R25): the order server's record of which account started which set-up at the
//! provider (`card_setups`), the saving of the card a set-up produced, and the demo provider's
//! own ledger of set-ups (`test_card_setups`, read by its card page and by
//! `payments::TestPaymentProvider`; it stays empty with a real provider). Neither table ever holds
//! a card number: only brand, last four digits and expiry.

use super::payment_methods::STILL_CONTACT;
use super::{PaymentMethod, Store, StoreError, StoredCard, col};

/// Where a set-up stands in the demo provider's ledger.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TestSetupState {
    /// No card entered yet.
    Pending,
    /// A card that needs the customer's confirmation (strong customer authentication).
    NeedsConfirmation,
    /// The card is saved.
    Succeeded,
    /// The card was declined, or the customer cancelled (S86).
    Refused,
}

impl TestSetupState {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            TestSetupState::Pending => "pending",
            TestSetupState::NeedsConfirmation => "needs_confirmation",
            TestSetupState::Succeeded => "succeeded",
            TestSetupState::Refused => "refused",
        }
    }

    fn parse(text: &str) -> Result<TestSetupState, StoreError> {
        Ok(match text {
            "pending" => TestSetupState::Pending,
            "needs_confirmation" => TestSetupState::NeedsConfirmation,
            "succeeded" => TestSetupState::Succeeded,
            "refused" => TestSetupState::Refused,
            other => return Err(StoreError::Corrupt(format!("unknown set-up state {other}"))),
        })
    }
}

/// A set-up in the demo provider's ledger.
#[derive(Clone, Debug)]
pub struct TestSetup {
    /// Its id (`seti_...`).
    pub id: String,
    /// Where the card page sends the customer back.
    pub return_url: String,
    /// Where it stands.
    pub state: TestSetupState,
    /// The payment-method id the provider gives the card (set once a card is entered).
    pub payment_method: Option<String>,
    /// The card's brand, once entered.
    pub brand: Option<String>,
    /// Its last four digits, once entered.
    pub last4: Option<String>,
    /// Its expiry, `YYYY-MM`, once entered.
    pub exp: Option<String>,
}

/// What saving a set-up's card did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SavedSetup {
    /// The card is on file now.
    Saved(StoredCard),
    /// The set-up's card was saved before (by an earlier call): it is this one.
    AlreadySaved(StoredCard),
    /// The asking user is no longer the billing contact (R1, R26); nothing changed.
    NotBillingContact,
}

impl Store {
    /// Records that `account_id` started set-up `id` at the provider.
    pub async fn record_setup(
        &self,
        id: &str,
        account_id: &str,
        created_at: &str,
    ) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO card_setups (id, account_id, created_at) VALUES ($1, $2, $3)")
            .bind(id.to_owned())
            .bind(account_id.to_owned())
            .bind(created_at.to_owned())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Whether set-up `id` was started by `account_id` (another account's is not found).
    pub async fn setup_is_of(&self, id: &str, account_id: &str) -> Result<bool, StoreError> {
        let found: Option<String> =
            sqlx::query_scalar("SELECT id FROM card_setups WHERE id = $1 AND account_id = $2")
                .bind(id.to_owned())
                .bind(account_id.to_owned())
                .fetch_optional(&self.pool)
                .await?;
        Ok(found.is_some())
    }

    /// Saves the card set-up `setup` produced as a payment method of `account_id`, once: in one
    /// transaction that takes the account's row lock, marks the set-up as saved (only if it was
    /// not, and only while `by_user` is the billing contact) and adds the card, the default when
    /// the account has none (S56). A second call answers the card saved by the first.
    pub async fn save_setup_card(
        &self,
        account_id: &str,
        setup: &str,
        card: &PaymentMethod,
        by_user: &str,
    ) -> Result<SavedSetup, StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE accounts SET last_seq = last_seq WHERE id = $1")
            .bind(account_id.to_owned())
            .execute(&mut *tx)
            .await?;
        let marked = sqlx::query(&format!(
            "UPDATE card_setups SET payment_method = $2
             WHERE id = $4 AND account_id = $1 AND payment_method IS NULL AND {STILL_CONTACT}"
        ))
        .bind(account_id.to_owned())
        .bind(card.id.clone())
        .bind(by_user.to_owned())
        .bind(setup.to_owned())
        .execute(&mut *tx)
        .await?;
        if marked.rows_affected() == 0 {
            tx.rollback().await?;
            let saved: Option<Option<String>> = sqlx::query_scalar(
                "SELECT payment_method FROM card_setups WHERE id = $1 AND account_id = $2",
            )
            .bind(setup.to_owned())
            .bind(account_id.to_owned())
            .fetch_optional(&self.pool)
            .await?;
            if let Some(Some(id)) = saved {
                let cards = self.cards(account_id).await?;
                if let Some(card) = cards.into_iter().find(|c| c.method.id == id) {
                    return Ok(SavedSetup::AlreadySaved(card));
                }
            }
            return Ok(SavedSetup::NotBillingContact);
        }
        sqlx::query(
            "INSERT INTO payment_methods (id, account_id, brand, last4, exp, position, is_default)
             SELECT $1, $2, $3, $4, $5,
                COALESCE((SELECT MAX(position) FROM payment_methods WHERE account_id = $2), 0) + 1,
                CASE WHEN EXISTS (SELECT 1 FROM payment_methods WHERE account_id = $2
                                  AND is_default <> 0) THEN 0 ELSE 1 END",
        )
        .bind(card.id.clone())
        .bind(account_id.to_owned())
        .bind(card.brand.clone())
        .bind(card.last4.clone())
        .bind(card.exp.clone())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        let cards = self.cards(account_id).await?;
        cards
            .into_iter()
            .find(|c| c.method.id == card.id)
            .map(SavedSetup::Saved)
            .ok_or_else(|| StoreError::Corrupt("a saved card is missing".into()))
    }

    /// The demo provider: stores a new set-up.
    pub(crate) async fn test_setup_create(
        &self,
        id: &str,
        account_id: &str,
        return_url: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO test_card_setups (id, account_id, return_url, state, created_at)
             VALUES ($1, $2, $3, 'pending', $4)",
        )
        .bind(id.to_owned())
        .bind(account_id.to_owned())
        .bind(return_url.to_owned())
        .bind(chrono::Utc::now().to_rfc3339())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The demo provider: a set-up of its ledger.
    pub async fn test_setup(&self, id: &str) -> Result<Option<TestSetup>, StoreError> {
        let row = sqlx::query(
            "SELECT id, return_url, state, payment_method, brand, last4, exp
             FROM test_card_setups WHERE id = $1",
        )
        .bind(id.to_owned())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok(TestSetup {
                id: col(&row, "id")?,
                return_url: col(&row, "return_url")?,
                state: TestSetupState::parse(&col::<String>(&row, "state")?)?,
                payment_method: col(&row, "payment_method")?,
                brand: col(&row, "brand")?,
                last4: col(&row, "last4")?,
                exp: col(&row, "exp")?,
            })
        })
        .transpose()
    }

    /// The demo provider: the card entered for a pending set-up (brand, last four, expiry only)
    /// and where that leaves it; `false` when the set-up was no longer pending.
    pub(crate) async fn test_setup_enter(
        &self,
        id: &str,
        card: &crate::card_page::CardEntry,
        state: TestSetupState,
        payment_method: &str,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE test_card_setups SET state = $2, payment_method = $3, brand = $4, last4 = $5,
                exp = $6
             WHERE id = $1 AND state = 'pending'",
        )
        .bind(id.to_owned())
        .bind(state.as_str())
        .bind(payment_method.to_owned())
        .bind(card.brand)
        .bind(card.last4.clone())
        .bind(card.exp.clone())
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The demo provider: the customer's answer to a set-up's confirmation step, or a cancel of
    /// its form (`to` is `Succeeded` or `Refused`; only a set-up awaiting confirmation can
    /// succeed this way). `false` when the set-up was already decided.
    pub(crate) async fn test_setup_decide(
        &self,
        id: &str,
        to: TestSetupState,
    ) -> Result<bool, StoreError> {
        let from = match to {
            TestSetupState::Succeeded => "state = 'needs_confirmation'",
            _ => "state IN ('pending', 'needs_confirmation')",
        };
        let done = sqlx::query(&format!(
            "UPDATE test_card_setups SET state = $2 WHERE id = $1 AND {from}"
        ))
        .bind(id.to_owned())
        .bind(to.as_str())
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }
}
