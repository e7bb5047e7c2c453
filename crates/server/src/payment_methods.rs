//! The payment methods on file apart from HTTP (R25): the list with the default, making one the
//! default, and removing one. `routes/payment_methods.rs` translates these to the API; the queries
//! are in `store/payment_methods.rs`. Adding a card (the provider's card page) is not here.
//!
//! Who may do what is read with each call (R1, R2), as in `account_admin.rs`. A removal takes the
//! account's lock of this process: orders of this process hold it from reading the account to
//! their commit, so none is between choosing a card and charging it while the card goes. Across
//! processes, the removal's statement refuses while an open payment attempt (S21) charges the
//! card (`409 payment_method_in_use`, S57). Neither a removal nor a new default changes a price,
//! so neither adds one to the account's version (S20).

pub use api::Card;

use crate::account_admin::is_corporate;
use crate::sessions::Session;
use crate::store::{Removal, Store, StoreError, StoredCard};

/// Why a payment-method call did nothing.
#[derive(Debug, thiserror::Error)]
pub enum CardError {
    /// The session's user no longer belongs to the account.
    #[error("the signed-in user is not a user of this account")]
    NotAUser,
    /// Only the billing contact manages the payment methods (R1).
    #[error("only the account's billing contact can {action} (R1)")]
    NotBillingContact {
        /// What was refused, in words.
        action: &'static str,
    },
    /// A corporate account, managed in the Corporate Billing Portal (R2).
    #[error(
        "corporate accounts are managed in the Corporate Billing Portal with a sales representative (R2)"
    )]
    CorporateAccount,
    /// The account has no payment method with this id (another account's included).
    #[error("payment method `{id}` not found")]
    NotFound {
        /// The id as sent.
        id: String,
    },
    /// The only card of an account whose subscriptions renew (R25), or a card an order is being
    /// paid with right now (S57).
    #[error("payment method `{id}` is in use: {why}")]
    InUse {
        /// The id as sent.
        id: String,
        /// Why, in words.
        why: &'static str,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<StoredCard> for Card {
    fn from(card: StoredCard) -> Card {
        Card {
            id: card.method.id,
            brand: card.method.brand,
            last4: card.method.last4,
            exp: card.method.exp,
            default: card.is_default,
        }
    }
}

/// Checks that the session's user is the billing contact of a standard account (R1 before R2,
/// as orders check them).
async fn check_contact(
    store: &Store,
    session: &Session,
    action: &'static str,
) -> Result<(), CardError> {
    let row = store
        .billing_info(&session.account_id, &session.user_id)
        .await?
        .ok_or(CardError::NotAUser)?;
    if !row.is_billing_contact {
        return Err(CardError::NotBillingContact { action });
    }
    if is_corporate(&row.kind) {
        return Err(CardError::CorporateAccount);
    }
    Ok(())
}

/// The account's payment methods, with the default (R25), for its billing contact.
pub async fn list(store: &Store, session: &Session) -> Result<Vec<Card>, CardError> {
    check_contact(store, session, "see the payment methods").await?;
    let cards = store.cards(&session.account_id).await?;
    Ok(cards.into_iter().map(Card::from).collect())
}

/// Makes card `id` the default (R25); answers the cards as they are now.
pub async fn make_default(
    store: &Store,
    session: &Session,
    id: &str,
) -> Result<Vec<Card>, CardError> {
    let action = "choose the default payment method";
    check_contact(store, session, action).await?;
    if !store
        .set_default_card(&session.account_id, id, &session.user_id)
        .await?
    {
        // Either the card is not the account's, or the role moved meanwhile (R26).
        check_contact(store, session, action).await?;
        return Err(CardError::NotFound { id: id.to_owned() });
    }
    tracing::info!(account = %session.account_id, card = %id, "default payment method chosen (R25)");
    list(store, session).await
}

/// Removes card `id` (R25): refused while it is the only card of an account whose subscriptions
/// renew, or while an order is being paid with it (S57).
pub async fn remove(store: &Store, session: &Session, id: &str) -> Result<(), CardError> {
    let action = "remove a payment method";
    check_contact(store, session, action).await?;
    let guard = store.lock_account(&session.account_id).await;
    let removal = store
        .remove_card(&session.account_id, id, &session.user_id)
        .await?;
    drop(guard);
    let id = id.to_owned();
    match removal {
        Removal::Removed => {
            tracing::info!(account = %session.account_id, card = %id, "payment method removed (R25)");
            Ok(())
        }
        Removal::NotFound => Err(CardError::NotFound { id }),
        Removal::NotBillingContact => Err(CardError::NotBillingContact { action }),
        Removal::OnlyCardOfRenewals => Err(CardError::InUse {
            id,
            why: "it is the only card and a subscription renews with it; add another card or turn renewal off first (R25)",
        }),
        Removal::BeingPaid => Err(CardError::InUse {
            id,
            why: "an order is being paid with it; try again in a moment (S57)",
        }),
    }
}
