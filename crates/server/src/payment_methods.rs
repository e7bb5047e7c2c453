//! The payment methods on file apart from HTTP (R25): the list with the default, making one the
//! default, and removing one. `routes/payment_methods.rs` translates these to the API; the queries
//! are in `store/payment_methods.rs`. Adding a card is a set-up at the payment provider: the
//! customer types the card on the provider's own page (another origin), and the card the set-up
//! saved is put on file here with only its provider id, brand, last four digits and expiry
//! (S85, S86); `store/card_setups.rs` holds those queries.
//!
//! Who may do what is read with each call (R1, R2), as in `account_admin.rs`. A removal takes the
//! account's lock of this process: orders of this process hold it from reading the account to
//! their commit, so none is between choosing a card and charging it while the card goes. Across
//! processes, the removal's statement refuses while an open payment attempt (S21) charges the
//! card (`409 payment_method_in_use`, S57). Neither a removal nor a new default changes a price,
//! so neither adds one to the account's version (S20).

pub use api::{Card, CardSetup};

use crate::account_admin::{Refusal, billing_contact_row};
use crate::ordering::PROVIDER_TIMEOUT;
use crate::payments::{NewSetup, PaymentError, PaymentFuture, PaymentProvider, SetupOutcome};
use crate::sessions::Session;
use crate::store::{Removal, SavedSetup, Store, StoreError, StoredCard};

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
    /// The account started no card set-up with this id (another account's included).
    #[error("card set-up `{id}` not found")]
    SetupNotFound {
        /// The set-up id as sent.
        id: String,
    },
    /// The provider refused the set-up's card: declined, or its confirmation was refused (S86).
    #[error("the card of set-up `{id}` was refused; nothing was saved: try another card")]
    Refused {
        /// The set-up id.
        id: String,
    },
    /// The set-up has no confirmed card yet: none was typed, or its confirmation is still
    /// awaited (S86).
    #[error(
        "set-up `{id}` is not confirmed yet: the card must be entered, and confirmed when the provider asks, on the provider's page"
    )]
    NotConfirmed {
        /// The set-up id.
        id: String,
    },
    /// The request named no origin to send the customer back to (S85).
    #[error("the request names no origin to come back to (an `Origin` or `Host` header)")]
    NoReturnOrigin,
    /// The payment provider failed or did not answer in time; nothing was saved.
    #[error("the payment provider failed: {0}")]
    Provider(PaymentError),
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
    billing_contact_row(store, session)
        .await?
        .map(drop)
        .map_err(|refusal| match refusal {
            Refusal::NotAUser => CardError::NotAUser,
            Refusal::NotBillingContact => CardError::NotBillingContact { action },
            Refusal::CorporateAccount => CardError::CorporateAccount,
        })
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

/// The page the payment provider sends the customer back to, on the checkout's origin: the
/// account pages, which save the set-up's card (S85).
const RETURN_PATH: &str = "/account/";

/// The return URL of a set-up (S85): the account pages (`/account/`, where cards are added,
/// issue 15) at the origin the request came from,
/// which is the browser's `Origin` header when it sent one (the checkout calls the API from its
/// own origin, or from one `--cors-origin` lets in), else `http://` and the `Host` header. The
/// provider adds `setup=<id>` to it. `None` when neither names an origin this can use.
pub fn return_url(origin: Option<&str>, host: Option<&str>) -> Option<String> {
    let is_host = |h: &str| {
        !h.is_empty()
            && h.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
    };
    if let Some(origin) = origin {
        let host = origin
            .strip_prefix("https://")
            .or_else(|| origin.strip_prefix("http://"))?;
        return is_host(host).then(|| format!("{origin}{RETURN_PATH}"));
    }
    host.filter(|h| is_host(h))
        .map(|h| format!("http://{h}{RETURN_PATH}"))
}

/// Starts adding a card (R25): the provider opens a set-up and answers its card page, where
/// the customer types the card; the set-up is recorded as this account's, so no other account
/// can save its card. `return_url` is [`return_url`]'s answer for the request (S85).
pub async fn start_setup(
    store: &Store,
    payments: &dyn PaymentProvider,
    session: &Session,
    return_url: Option<&str>,
) -> Result<CardSetup, CardError> {
    check_contact(store, session, "add a payment method").await?;
    let return_url = return_url.ok_or(CardError::NoReturnOrigin)?;
    let started = bounded(payments.create_setup(NewSetup {
        account_id: &session.account_id,
        return_url,
    }))
    .await?;
    store
        .record_setup(
            &started.id,
            &session.account_id,
            &chrono::Utc::now().to_rfc3339(),
        )
        .await?;
    tracing::info!(account = %session.account_id, setup = %started.id, "card set-up started (R25)");
    Ok(CardSetup {
        url: started.url,
        setup: started.id,
    })
}

/// Saves the card of a finished set-up (R25): once the provider says it succeeded, the card
/// (its provider id, brand, last four digits and expiry) is on file, the default when the
/// account had none (S56). Asked again for the same set-up, answers the same card (S86).
pub async fn add_card(
    store: &Store,
    payments: &dyn PaymentProvider,
    session: &Session,
    setup: &str,
) -> Result<Card, CardError> {
    let action = "add a payment method";
    check_contact(store, session, action).await?;
    if !store.setup_is_of(setup, &session.account_id).await? {
        return Err(CardError::SetupNotFound {
            id: setup.to_owned(),
        });
    }
    let card = match bounded(payments.setup_outcome(setup)).await? {
        SetupOutcome::Succeeded(card) => card,
        SetupOutcome::Refused => {
            return Err(CardError::Refused {
                id: setup.to_owned(),
            });
        }
        SetupOutcome::Pending | SetupOutcome::NeedsConfirmation => {
            return Err(CardError::NotConfirmed {
                id: setup.to_owned(),
            });
        }
        SetupOutcome::Unknown => {
            return Err(CardError::SetupNotFound {
                id: setup.to_owned(),
            });
        }
    };
    match store
        .save_setup_card(&session.account_id, setup, &card, &session.user_id)
        .await?
    {
        SavedSetup::Saved(card) => {
            tracing::info!(account = %session.account_id, card = %card.method.id, "payment method added (R25)");
            Ok(card.into())
        }
        SavedSetup::AlreadySaved(card) => Ok(card.into()),
        SavedSetup::NotBillingContact => Err(CardError::NotBillingContact { action }),
    }
}

/// A provider call bounded by [`PROVIDER_TIMEOUT`]: a provider that does not answer is an error,
/// and nothing was saved.
async fn bounded<T>(call: PaymentFuture<'_, T>) -> Result<T, CardError> {
    match tokio::time::timeout(PROVIDER_TIMEOUT, call).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(error)) => Err(CardError::Provider(error)),
        Err(_elapsed) => Err(CardError::Provider(PaymentError::Unavailable(
            "the provider timed out".into(),
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::return_url;

    #[test]
    fn the_return_url_is_the_origin_the_request_came_from() {
        assert_eq!(
            return_url(Some("https://billing.example"), Some("internal:8080")),
            Some("https://billing.example/account/".to_owned())
        );
        assert_eq!(
            return_url(None, Some("127.0.0.1:8080")),
            Some("http://127.0.0.1:8080/account/".to_owned())
        );
        assert_eq!(
            return_url(None, Some("[::1]:8080")),
            Some("http://[::1]:8080/account/".to_owned())
        );
        // An origin that is not `http(s)://host[:port]` is refused, never replaced by the host.
        assert_eq!(return_url(Some("null"), Some("127.0.0.1:8080")), None);
        assert_eq!(
            return_url(Some("https://evil.example/x?y"), Some("127.0.0.1")),
            None
        );
        assert_eq!(return_url(None, Some("evil.example/path")), None);
        assert_eq!(return_url(None, Some("")), None);
        assert_eq!(return_url(None, None), None);
    }
}
