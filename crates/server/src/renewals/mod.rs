//! The renewal worker (R31): charges renewals on their date, with nobody signed in. It knows
//! nothing of HTTP; `routes/orders.rs` shows its renewals in the history (R28) and translates
//! "Paga ora" ([`pay_now`]).
//!
//! A round, at start and then every `--renew-every` seconds in every server process, reads
//! "today" from the server's clock and:
//!
//! 1. **rolls forward** the standard accounts with a period that ended (R16), as an account read
//!    does: the renewal charge is stored once per subscription and period (`renewal_charges`'
//!    primary key), under the account's version (S20);
//! 2. **settles** each renewal whose try is due: one the credit covers needs no card
//!    (`no_payment_needed`); any other is charged to the default card (R25) through a durable
//!    payment attempt like an order's (S21: claimed and stored before the provider is called,
//!    with a provider key derived from the account, the renewal and the attempt's generation,
//!    finished by the reconciler after a crash), then `paid` with its receipt queued;
//! 3. on a decline (or no usable default card) counts a failure, e-mails the billing contact and
//!    schedules the next try 1, 3 and 7 days after the due date; after the failed try of day 7
//!    the subscription **expires** (R15 reactivates it) and the renewal is `expired_unpaid`.
//!
//! Each step is one conditional write, so several processes running rounds at once charge each
//! renewal at most once (S71): see `store/renewals.rs`.

use std::time::Duration;

use billing::{Money, Renewal};
use chrono::NaiveDate;

use crate::auth::random_id;
use crate::ordering::reconcile::{self, Resolution};
use crate::ordering::{self, card_is_valid, provider_key};
use crate::payments::PaymentError;
use crate::sessions::Session;
use crate::state::AppState;
use crate::store::{
    AccountRecord, Attempt, AttemptState, Claim, Mail, PaymentMethod, Placed, RenewalClaim,
    RenewalRow, Settled, Settlement, StoreError,
};
use crate::wire;

mod texts;

/// How many scheduled tries a renewal has (R31, `billing::RENEWAL_TRIES`), in the store's
/// integer type.
pub const TRIES: i64 = billing::RENEWAL_TRIES as i64;

/// Why a renewal call did nothing (or failed).
#[derive(Debug, thiserror::Error)]
pub enum RenewalError {
    /// The session's user no longer belongs to the account.
    #[error("the signed-in user is not a user of this account")]
    NotAUser,
    /// Only the billing contact pays (R1).
    #[error("only the account's billing contact can pay a renewal (R1)")]
    NotBillingContact,
    /// A corporate account, billed in the Corporate Billing Portal (R2).
    #[error(
        "corporate accounts are billed in the Corporate Billing Portal with a sales representative (R2)"
    )]
    CorporateAccount,
    /// The account has no renewal (or order) with this id.
    #[error("renewal `{id}` not found")]
    NotFound {
        /// The id as sent.
        id: String,
    },
    /// The renewal is not one that failed and can be paid now (R31).
    #[error("renewal `{id}` cannot be paid now: it is {status}")]
    NotPayable {
        /// The renewal's id.
        id: String,
        /// Its status as the history shows it.
        status: String,
    },
    /// The card named is not one of the account's unexpired cards (R20).
    #[error("choose one of the account's unexpired payment methods (R20)")]
    PaymentMethodRequired,
    /// The provider declined the card (R20).
    #[error("the payment was declined; try another payment method (R20)")]
    Declined,
    /// Another payment of the account is running; nothing was charged.
    #[error("another payment of this account is running; try again in a moment (S20)")]
    Busy,
    /// The provider failed; what it may have charged is finished by the reconciler (S21).
    #[error("the payment provider failed: {0}")]
    Provider(PaymentError),
    /// A stored renewal the engine cannot read.
    #[error("renewal {id}: {message}")]
    Corrupt {
        /// The renewal's id.
        id: String,
        /// What is wrong.
        message: String,
    },
    /// The engine refused to roll an account forward.
    #[error(transparent)]
    Engine(#[from] billing::OrderError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What one round did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Round {
    /// Accounts rolled forward (renewal charges stored).
    pub rolled: usize,
    /// Renewals charged and paid.
    pub paid: usize,
    /// Renewals the credit covered.
    pub no_payment_needed: usize,
    /// Failed tries recorded.
    pub failed: usize,
    /// Renewals expired unpaid.
    pub expired: usize,
    /// Renewals left for the next round (another process had them, or the account moved).
    pub skipped: usize,
}

/// The id of a renewal in the history: `ren_<subscription>_<YYYYMMDD>`, from the key it is
/// stored under (one per subscription and period), so it needs no column of its own.
pub fn renewal_id(subscription_id: &str, period_start: &str) -> String {
    format!("ren_{subscription_id}_{}", period_start.replace('-', ""))
}

/// The subscription and due date of a renewal id, or `None` when it is not one.
pub fn parse_renewal_id(id: &str) -> Option<(String, String)> {
    let rest = id.strip_prefix("ren_")?;
    let (subscription, day) = rest.rsplit_once('_')?;
    let date = NaiveDate::parse_from_str(day, "%Y%m%d").ok()?;
    (!subscription.is_empty()).then(|| (subscription.to_owned(), date.to_string()))
}

/// The idempotency key of a renewal's payment attempts. It holds spaces, which an
/// `Idempotency-Key` header may not, so no order's key can ever take it.
fn attempt_key(renewal: &RenewalRow) -> String {
    format!(
        "renewal {} {}",
        renewal.subscription_id, renewal.period_start
    )
}

/// Whether a payment attempt pays a renewal (the reconciler asks, S21).
pub fn is_renewal_attempt(attempt: &Attempt) -> bool {
    attempt.idem_key.starts_with("renewal ")
}

/// The engine's renewal charge of a stored renewal.
fn charge_of(renewal: &RenewalRow) -> Result<Renewal, RenewalError> {
    serde_json::from_value(renewal.body.clone()).map_err(|e| RenewalError::Corrupt {
        id: renewal_id(&renewal.subscription_id, &renewal.period_start),
        message: e.to_string(),
    })
}

fn due_date(renewal: &RenewalRow) -> Result<NaiveDate, RenewalError> {
    renewal
        .period_start
        .parse()
        .map_err(|e: chrono::ParseError| RenewalError::Corrupt {
            id: renewal_id(&renewal.subscription_id, &renewal.period_start),
            message: e.to_string(),
        })
}

fn new_id(prefix: &str) -> Result<String, RenewalError> {
    random_id(prefix).map_err(|e| RenewalError::Store(StoreError::Corrupt(e.to_string())))
}

fn now_text(state: &AppState) -> String {
    state
        .clock
        .now()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The billing contact's e-mail address, when the account has one.
fn contact(record: &AccountRecord) -> Option<&str> {
    record
        .billing_contact
        .as_ref()
        .map(|(_, email)| email.as_str())
}

/// One round (see the module's documentation); at most a few hundred renewals, the next round
/// takes the rest.
pub async fn run_once(state: &AppState) -> Result<Round, RenewalError> {
    let today = state.clock.today();
    let mut round = Round::default();
    for account_id in state.store.accounts_to_renew(&today.to_string()).await? {
        match roll(state, &account_id, today).await {
            Ok(true) => round.rolled += 1,
            Ok(false) => round.skipped += 1,
            Err(error) => {
                // One account the engine cannot roll forward must not hold up the others.
                tracing::error!(%error, account = %account_id, "account not rolled forward");
                round.skipped += 1;
            }
        }
    }
    for renewal in state
        .store
        .renewals_to_settle(&today.to_string(), TRIES, 500)
        .await?
    {
        match settle(state, &renewal, today).await {
            Ok(Outcome::Paid) => round.paid += 1,
            Ok(Outcome::NoPaymentNeeded) => round.no_payment_needed += 1,
            Ok(Outcome::Failed) => round.failed += 1,
            Ok(Outcome::FailedAndExpired) => {
                round.failed += 1;
                round.expired += 1;
            }
            Ok(Outcome::Expired) => round.expired += 1,
            Ok(Outcome::Skipped) => round.skipped += 1,
            Err(error) => {
                // One renewal's failure must not stop the others'; the next round tries again.
                tracing::error!(%error, account = %renewal.account_id,
                    subscription = %renewal.subscription_id, "renewal not settled");
                round.skipped += 1;
            }
        }
    }
    if round != Round::default() {
        tracing::info!(?round, %today, "renewal round (R31)");
    }
    Ok(round)
}

/// The worker: a round now, then one every `every`; a failed round is logged and the next one
/// tries again.
pub async fn run(state: AppState, every: Duration) {
    loop {
        if let Err(error) = run_once(&state).await {
            tracing::error!(%error, "renewal round failed");
        }
        tokio::time::sleep(every).await;
    }
}

/// R16: rolls an account forward to `today` and stores its renewal charges, under the account's
/// lock of this process and its version (S20). `false` when the account moved meanwhile (an
/// order, another process): the next round, or the read that moved it, has stored them.
async fn roll(state: &AppState, account_id: &str, today: NaiveDate) -> Result<bool, RenewalError> {
    let held = state.store.lock_account(account_id).await;
    let Some(record) = state.store.account(account_id).await? else {
        return Ok(false);
    };
    let (rolled, events) = billing::roll_forward(state.catalog, &record.account, today)?;
    if events.is_empty() {
        return Ok(true);
    }
    let (placed, _held) = state
        .store
        .save_roll_forward_locked(&rolled, record.version, &events, held)
        .await?;
    Ok(placed == Placed::Stored)
}

/// How settling one renewal ended.
enum Outcome {
    Paid,
    NoPaymentNeeded,
    Failed,
    FailedAndExpired,
    Expired,
    Skipped,
}

/// Settles one renewal whose try is due (or expires one past its last try).
async fn settle(
    state: &AppState,
    renewal: &RenewalRow,
    today: NaiveDate,
) -> Result<Outcome, RenewalError> {
    let held = state.store.lock_account(&renewal.account_id).await;
    let Some(record) = state.store.account(&renewal.account_id).await? else {
        return Ok(Outcome::Skipped);
    };
    if renewal.failures >= TRIES {
        return Ok(if expire(state, renewal, &record).await? {
            Outcome::Expired
        } else {
            Outcome::Skipped
        });
    }
    let charge = charge_of(renewal)?;
    if !charge.amount_due.is_positive() {
        // R31: a renewal the credit covers entirely needs no card.
        return Ok(
            match settle_paid(state, renewal, &record, None, None).await? {
                Settled::Done => Outcome::NoPaymentNeeded,
                Settled::AttemptClosed | Settled::AlreadySettled => Outcome::Skipped,
            },
        );
    }
    // R25: the default card pays renewals; an expired one cannot (S72).
    let card = state
        .store
        .cards(&renewal.account_id)
        .await?
        .into_iter()
        .find(|card| card.is_default)
        .map(|card| card.method)
        .filter(|card| card_is_valid(&card.exp, today));
    let Some(card) = card else {
        return failed(state, renewal, &record, None, texts::Failure::NoCard, today).await;
    };
    let attempt = match claim(state, renewal, &record, &card, &charge).await? {
        Some(attempt) => attempt,
        None => return Ok(Outcome::Skipped),
    };
    match charge_card(state, &attempt, &card, &charge, &record).await {
        Ok(reference) => Ok(
            match finish_paid(state, renewal, &record, &attempt, &card, &reference).await? {
                Settled::Done => Outcome::Paid,
                Settled::AttemptClosed | Settled::AlreadySettled => Outcome::Skipped,
            },
        ),
        Err(PaymentError::Declined) => {
            failed(
                state,
                renewal,
                &record,
                Some(&attempt),
                texts::Failure::Declined,
                today,
            )
            .await
        }
        Err(error) => {
            tracing::warn!(%error, account = %renewal.account_id, "the payment provider failed on a renewal");
            unknown(state, &attempt).await?;
            drop(held);
            Ok(Outcome::Skipped)
        }
    }
}

/// Claims and stores the next payment attempt of a renewal (S21); `None` when another claimer
/// has it or the account moved (the next round looks again).
async fn claim(
    state: &AppState,
    renewal: &RenewalRow,
    record: &AccountRecord,
    card: &PaymentMethod,
    charge: &Renewal,
) -> Result<Option<Attempt>, RenewalError> {
    let attempt_id = new_id("pat")?;
    let key = attempt_key(renewal);
    let generation = renewal.attempts + 1;
    // Derived from the account, the renewal and the attempt's generation: asked twice for one
    // attempt, the provider charges once (S21).
    let pkey = provider_key(&renewal.account_id, &key, "renewal", generation);
    let claimed = state
        .store
        .claim_renewal_attempt(&RenewalClaim {
            attempt_id: &attempt_id,
            account_id: &renewal.account_id,
            subscription_id: &renewal.subscription_id,
            period_start: &renewal.period_start,
            attempts: renewal.attempts,
            failures: renewal.failures,
            idem_key: &key,
            provider_key: &pkey,
            version: record.version,
            amount: &charge.amount_due.to_string(),
            currency: &record.account.currency().to_string(),
            payment_method: &card.id,
            created_at: &state.clock.now().to_rfc3339(),
        })
        .await?;
    Ok(match claimed {
        Claim::Held(attempt) => Some(*attempt),
        Claim::Taken | Claim::Stale | Claim::Busy => None,
    })
}

/// Charges a renewal's attempt to `card`, as an order's attempt is charged.
async fn charge_card(
    state: &AppState,
    attempt: &Attempt,
    card: &PaymentMethod,
    charge: &Renewal,
    record: &AccountRecord,
) -> Result<String, PaymentError> {
    ordering::charge(
        state,
        &attempt.account_id,
        card,
        (charge.amount_due, record.account.currency()),
        &attempt.provider_key,
    )
    .await
}

/// A provider call whose outcome is unknown: the attempt is marked so and finished at once if
/// the provider can say what it charged, else by the reconciler (S21).
async fn unknown(state: &AppState, attempt: &Attempt) -> Result<Resolution, RenewalError> {
    state.store.mark_attempt_unknown(&attempt.id).await?;
    let mut attempt = attempt.clone();
    attempt.state = AttemptState::Unknown;
    Ok(reconcile::resolve(state, &attempt).await?)
}

/// Settles a renewal as paid with `card`'s charge `reference`, or as needing no payment, with its
/// receipt and the billing information of the moment (R27, R31).
async fn settle_paid(
    state: &AppState,
    renewal: &RenewalRow,
    record: &AccountRecord,
    paid: Option<(&Attempt, &PaymentMethod, &str)>,
    charge: Option<&Renewal>,
) -> Result<Settled, RenewalError> {
    let charge = match charge {
        Some(charge) => charge.clone(),
        None => charge_of(renewal)?,
    };
    let billing_info = state.store.billing_snapshot(&renewal.account_id).await?;
    let id = renewal_id(&renewal.subscription_id, &renewal.period_start);
    let status = if paid.is_some() {
        "paid"
    } else {
        "no_payment_needed"
    };
    let card = paid.map(|(_, card, _)| (card.brand.as_str(), card.last4.as_str()));
    let text = texts::receipt(&id, renewal, &charge, card, billing_info.as_ref());
    let subject = texts::receipt_subject(&id);
    let mail_id = new_id("mail")?;
    let at = now_text(state);
    let receipt = contact(record).map(|recipient| Mail {
        id: &mail_id,
        created_at: &at,
        recipient,
        subject: &subject,
        text: &text,
    });
    let settled = state
        .store
        .settle_renewal(
            &renewal.subscription_id,
            &renewal.period_start,
            &Settlement {
                attempt_id: paid.map(|(attempt, _, _)| attempt.id.as_str()),
                status,
                payment_reference: paid.map(|(_, _, reference)| reference),
                card,
                settled_at: &at,
                billing_info: billing_info.as_ref(),
                receipt,
            },
        )
        .await?;
    if settled == Settled::Done {
        tracing::info!(renewal = %id, account = %renewal.account_id, %status,
            amount = %charge.amount_due, "renewal settled (R31)");
    }
    Ok(settled)
}

/// Settles a charged attempt; a renewal settled meanwhile by someone else gives the charge back
/// (S21: every charge ends as one settled renewal or one refund).
async fn finish_paid(
    state: &AppState,
    renewal: &RenewalRow,
    record: &AccountRecord,
    attempt: &Attempt,
    card: &PaymentMethod,
    reference: &str,
) -> Result<Settled, RenewalError> {
    let settled = match settle_paid(
        state,
        renewal,
        record,
        Some((attempt, card, reference)),
        None,
    )
    .await
    {
        Ok(settled) => settled,
        Err(error) => {
            // The attempt stays open and holds the account; marked `unknown`, the reconciler
            // settles the renewal with this charge (S21).
            tracing::error!(%error, payment = %reference, "renewal charged but not settled yet; the reconciler will finish it");
            if let Err(mark) = state.store.mark_attempt_unknown(&attempt.id).await {
                tracing::warn!(error = %mark, "cannot mark the attempt; it is finished after the delay");
            }
            return Err(error);
        }
    };
    if settled == Settled::AlreadySettled {
        reconcile::refund(state, reference)
            .await
            .map_err(RenewalError::Provider)?;
        state
            .store
            .close_attempt(&attempt.id, AttemptState::Refunded, Some(reference))
            .await?;
    }
    Ok(settled)
}

/// Records a failed try (R31): the failure, the next try's date, the e-mail saying what to do;
/// after the last try the renewal expires at once.
async fn failed(
    state: &AppState,
    renewal: &RenewalRow,
    record: &AccountRecord,
    attempt: Option<&Attempt>,
    why: texts::Failure,
    today: NaiveDate,
) -> Result<Outcome, RenewalError> {
    let due = due_date(renewal)?;
    let failure = renewal.failures + 1;
    // The try after the n-th failure is on the n-th retry day; the last failure has none (R31).
    let next_try = u32::try_from(failure)
        .ok()
        .and_then(|failures| billing::next_renewal_try(due, failures));
    let id = renewal_id(&renewal.subscription_id, &renewal.period_start);
    let charge = charge_of(renewal)?;
    let subject = texts::failure_subject(&id, next_try.is_none());
    let text = texts::failure(&id, renewal, &charge, why, next_try, today);
    let mail_id = new_id("mail")?;
    let at = now_text(state);
    let mail = contact(record).map(|recipient| Mail {
        id: &mail_id,
        created_at: &at,
        recipient,
        subject: &subject,
        text: &text,
    });
    let recorded = state
        .store
        .record_renewal_failure(
            renewal,
            attempt.map(|a| a.id.as_str()),
            next_try.map(|d| d.to_string()).as_deref(),
            mail.as_ref(),
        )
        .await?;
    if !recorded {
        return Ok(Outcome::Skipped);
    }
    tracing::info!(renewal = %id, account = %renewal.account_id, failure, next_try = ?next_try,
        "renewal payment failed (R31)");
    if next_try.is_some() {
        return Ok(Outcome::Failed);
    }
    let mut expired = renewal.clone();
    expired.failures = failure;
    expired.status = "payment_failed".to_owned();
    // The account's version is unchanged by the failure: the record read still guards it.
    Ok(if expire(state, &expired, record).await? {
        Outcome::FailedAndExpired
    } else {
        Outcome::Failed
    })
}

/// R31: after the last failed try the subscription expires; what the renewal took of the credit
/// goes back to it (S74). `false` when the account moved: the next round expires it.
async fn expire(
    state: &AppState,
    renewal: &RenewalRow,
    record: &AccountRecord,
) -> Result<bool, RenewalError> {
    let charge = charge_of(renewal)?;
    let credit: Money = record.account.credit() + charge.credit_applied;
    let expired = state
        .store
        .expire_renewal(renewal, record.version, &credit.to_string())
        .await?;
    if expired {
        tracing::info!(renewal = %renewal_id(&renewal.subscription_id, &renewal.period_start),
            account = %renewal.account_id, "subscription expired unpaid (R31)");
    }
    Ok(expired)
}

/// The reconciler's part for a renewal's attempt the provider charged (S21): the renewal is
/// settled with the charge, or, when it was settled meanwhile, the charge is refunded.
pub async fn finish_charged(
    state: &AppState,
    attempt: &Attempt,
    reference: &str,
) -> Result<Resolution, StoreError> {
    let parts = attempt
        .idem_key
        .strip_prefix("renewal ")
        .and_then(|rest| rest.split_once(' '));
    let Some((subscription, period_start)) = parts else {
        return Err(StoreError::Corrupt(format!(
            "payment attempt {} names no renewal",
            attempt.id
        )));
    };
    let renewal = state
        .store
        .renewal(&attempt.account_id, subscription, period_start)
        .await?;
    let record = state.store.account(&attempt.account_id).await?;
    let card = state
        .store
        .cards(&attempt.account_id)
        .await?
        .into_iter()
        .map(|card| card.method)
        .find(|card| card.id == attempt.payment_method);
    let (Some(renewal), Some(record), Some(card)) = (renewal, record, card) else {
        return Err(StoreError::Corrupt(format!(
            "the renewal, account or card of payment attempt {} is missing",
            attempt.id
        )));
    };
    match finish_paid(state, &renewal, &record, attempt, &card, reference).await {
        Ok(Settled::Done) => Ok(Resolution::Committed),
        Ok(Settled::AlreadySettled) => Ok(Resolution::Refunded),
        Ok(Settled::AttemptClosed) => Ok(Resolution::AlreadyClosed),
        Err(RenewalError::Store(error)) => Err(error),
        Err(error) => {
            tracing::error!(%error, attempt = %attempt.id, "cannot settle the renewal of a charged attempt yet");
            Ok(Resolution::Pending)
        }
    }
}

/// The status of a renewal as the history shows it (R28): a renewal not settled yet (the
/// worker's next round takes it) is `pending` (S73).
fn shown_status(renewal: &RenewalRow) -> &str {
    match renewal.status.as_str() {
        "due" => "pending",
        other => other,
    }
}

/// The status of a stored renewal as the history shows it (S73).
fn entry_status(renewal: &RenewalRow) -> Result<api::RenewalStatus, RenewalError> {
    Ok(match renewal.status.as_str() {
        "due" => api::RenewalStatus::Pending,
        "paid" => api::RenewalStatus::Paid,
        "no_payment_needed" => api::RenewalStatus::NoPaymentNeeded,
        "payment_failed" => api::RenewalStatus::PaymentFailed,
        "expired_unpaid" => api::RenewalStatus::ExpiredUnpaid,
        other => {
            return Err(RenewalError::Corrupt {
                id: renewal_id(&renewal.subscription_id, &renewal.period_start),
                message: format!("unknown status `{other}`"),
            });
        }
    })
}

/// A renewal as an entry of the billing history, with what its receipt shows (R28, R27, S73).
pub fn entry(renewal: &RenewalRow) -> Result<api::Renewal, RenewalError> {
    let corrupt = |message: String| RenewalError::Corrupt {
        id: renewal_id(&renewal.subscription_id, &renewal.period_start),
        message,
    };
    let charge = charge_of(renewal)?;
    let status = entry_status(renewal)?;
    let amount_paid = if status == api::RenewalStatus::Paid {
        charge.amount_due
    } else {
        let currency: billing::Currency = renewal
            .currency
            .parse()
            .map_err(|e: billing::MoneyError| corrupt(e.to_string()))?;
        currency.zero()
    };
    let next_retry = match status {
        api::RenewalStatus::PaymentFailed => renewal.next_try_on.clone().map(api::Date),
        _ => None,
    };
    Ok(api::Renewal {
        kind: api::RenewalKind::Renewal,
        id: renewal_id(&renewal.subscription_id, &renewal.period_start),
        status,
        placed_at: renewal
            .settled_at
            .clone()
            .unwrap_or_else(|| format!("{}T00:00:00Z", renewal.period_start))
            .into(),
        date: renewal.period_start.as_str().into(),
        subscription: renewal.subscription_id.clone(),
        product: renewal.product.clone(),
        period_start: wire::date(charge.period.start()),
        period_end: wire::date(charge.period.end()),
        seats: charge.seats.get(),
        unit_price: wire::money(charge.unit_price),
        subtotal: wire::money(charge.subtotal),
        tax: wire::tax(&charge.tax),
        total: wire::money(charge.total),
        credit_applied: wire::money(charge.credit_applied),
        amount_due: wire::money(charge.amount_due),
        amount_paid: wire::money(amount_paid),
        currency: renewal.currency.clone(),
        card: renewal
            .card
            .as_ref()
            .map(|(brand, last4)| api::ChargedCard {
                brand: brand.clone(),
                last4: last4.clone(),
            }),
        next_retry,
        payable: status == api::RenewalStatus::PaymentFailed,
        billing_info: renewal.billing_info.clone(),
    })
}

/// The renewal entries of an account's history (R28).
pub async fn history(
    state: &AppState,
    account_id: &str,
) -> Result<Vec<api::Renewal>, RenewalError> {
    state
        .store
        .renewals(account_id)
        .await?
        .iter()
        .map(entry)
        .collect()
}

/// The billing history (R28, S73): the account's orders (newest first, as stored) and its
/// renewals merged by the moment they were placed or settled, newest first; orders keep their
/// own order among themselves.
pub fn merge_history(
    orders: Vec<api::Order>,
    mut renewals: Vec<api::Renewal>,
) -> Vec<api::HistoryEntry> {
    renewals.sort_by(|a, b| b.placed_at.cmp(&a.placed_at));
    let mut merged = Vec::with_capacity(orders.len() + renewals.len());
    let mut renewals = renewals.into_iter().peekable();
    for order in orders {
        while let Some(renewal) = renewals.next_if(|r| r.placed_at > order.placed_at) {
            merged.push(api::HistoryEntry::Renewal(Box::new(renewal)));
        }
        merged.push(api::HistoryEntry::Order(Box::new(order)));
    }
    merged.extend(renewals.map(|renewal| api::HistoryEntry::Renewal(Box::new(renewal))));
    merged
}

/// One renewal of the account by its history id; `None` for an id that is no renewal of it.
pub async fn find(
    state: &AppState,
    account_id: &str,
    id: &str,
) -> Result<Option<RenewalRow>, RenewalError> {
    let Some((subscription, period_start)) = parse_renewal_id(id) else {
        return Ok(None);
    };
    Ok(state
        .store
        .renewal(account_id, &subscription, &period_start)
        .await?)
}

/// "Paga ora" (R31): the billing contact pays a failed renewal now with `payment_method`.
/// Answers the renewal's entry once paid. A decline changes nothing of the schedule (the customer
/// is told at once, S75).
pub async fn pay_now(
    state: &AppState,
    session: &Session,
    id: &str,
    payment_method: &str,
) -> Result<api::Renewal, RenewalError> {
    let held = state.store.lock_account(&session.account_id).await;
    let record = state
        .store
        .account(&session.account_id)
        .await?
        .ok_or(RenewalError::NotAUser)?;
    // R1 before R2, as orders check them.
    match record.role_of(&session.user_id) {
        None => return Err(RenewalError::NotAUser),
        Some(false) => return Err(RenewalError::NotBillingContact),
        Some(true) => {}
    }
    if record.account.kind() == billing::AccountKind::Corporate {
        return Err(RenewalError::CorporateAccount);
    }
    let renewal = find(state, &session.account_id, id)
        .await?
        .ok_or_else(|| RenewalError::NotFound { id: id.to_owned() })?;
    if renewal.status != "payment_failed" {
        return Err(RenewalError::NotPayable {
            id: id.to_owned(),
            status: shown_status(&renewal).to_owned(),
        });
    }
    let today = state.clock.today();
    let card = record
        .payment_methods
        .iter()
        .find(|card| card.id == payment_method && card_is_valid(&card.exp, today))
        .cloned()
        .ok_or(RenewalError::PaymentMethodRequired)?;
    let charge = charge_of(&renewal)?;
    let attempt = claim(state, &renewal, &record, &card, &charge)
        .await?
        .ok_or(RenewalError::Busy)?;
    match charge_card(state, &attempt, &card, &charge, &record).await {
        Ok(reference) => {
            match finish_paid(state, &renewal, &record, &attempt, &card, &reference).await? {
                Settled::Done => {}
                Settled::AttemptClosed | Settled::AlreadySettled => {
                    return Err(RenewalError::NotPayable {
                        id: id.to_owned(),
                        status: "settled meanwhile".to_owned(),
                    });
                }
            }
        }
        Err(PaymentError::Declined) => {
            state
                .store
                .close_attempt(&attempt.id, AttemptState::Declined, None)
                .await?;
            return Err(RenewalError::Declined);
        }
        Err(error) => {
            unknown(state, &attempt).await?;
            return Err(RenewalError::Provider(error));
        }
    }
    drop(held);
    let paid = find(state, &session.account_id, id)
        .await?
        .ok_or_else(|| RenewalError::NotFound { id: id.to_owned() })?;
    entry(&paid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_renewal_id_names_its_subscription_and_due_date() {
        let id = renewal_id("sub_1", "2026-12-01");
        assert_eq!(id, "ren_sub_1_20261201");
        assert_eq!(
            parse_renewal_id(&id),
            Some(("sub_1".to_owned(), "2026-12-01".to_owned()))
        );
        assert_eq!(parse_renewal_id("ord_abc"), None);
        assert_eq!(parse_renewal_id("ren_sub_1_20261301"), None);
        assert_eq!(parse_renewal_id("ren__20261201"), None);
    }

    fn tax() -> api::Tax {
        api::Tax {
            rate: "22".to_owned(),
            amount: "0.00".into(),
            reverse_charge: false,
            country: "IT".to_owned(),
        }
    }

    fn order(id: &str, placed_at: &str) -> api::Order {
        let quote = api::Quote {
            catalog_version: "2026-11-01".into(),
            as_of: "2026-11-16".into(),
            currency: "EUR".to_owned(),
            lines: Vec::new(),
            subtotal: "0.00".into(),
            tax: tax(),
            total: "0.00".into(),
            credit_applied: "0.00".into(),
            amount_due: "0.00".into(),
            credit_after: "0.00".into(),
        };
        api::Order::from_quote(
            quote,
            id.to_owned(),
            placed_at.into(),
            api::OrderStatus::NoPaymentNeeded,
            false,
        )
    }

    fn renewal(id: &str, placed_at: &str) -> api::Renewal {
        api::Renewal {
            kind: api::RenewalKind::Renewal,
            id: id.to_owned(),
            status: api::RenewalStatus::Pending,
            placed_at: placed_at.into(),
            date: "2026-12-01".into(),
            subscription: "sub_1".to_owned(),
            product: "meeting".to_owned(),
            period_start: "2026-12-01".into(),
            period_end: "2026-12-31".into(),
            seats: 1,
            unit_price: "0.00".into(),
            subtotal: "0.00".into(),
            tax: tax(),
            total: "0.00".into(),
            credit_applied: "0.00".into(),
            amount_due: "0.00".into(),
            amount_paid: "0.00".into(),
            currency: "EUR".to_owned(),
            card: None,
            next_retry: None,
            payable: false,
            billing_info: None,
        }
    }

    #[test]
    fn the_history_puts_renewals_among_orders_by_date_and_keeps_the_orders_own_order() {
        let orders = vec![
            order("o2", "2026-12-10T09:00:00Z"),
            order("o1", "2026-11-16T09:00:00Z"),
        ];
        let renewals = vec![
            renewal("r0", "2026-11-01T00:00:00Z"),
            renewal("r1", "2026-12-01T08:00:00Z"),
        ];
        let merged = merge_history(orders, renewals);
        let ids: Vec<&str> = merged.iter().map(api::HistoryEntry::id).collect();
        assert_eq!(ids, ["o2", "r1", "o1", "r0"]);
        let renewal_at: Vec<bool> = merged
            .iter()
            .map(|entry| matches!(entry, api::HistoryEntry::Renewal(_)))
            .collect();
        assert_eq!(renewal_at, [false, true, false, true]);
    }

    #[test]
    fn a_renewal_has_four_tries() {
        assert_eq!(TRIES, 4);
    }
}
