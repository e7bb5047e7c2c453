//! Placing an order: the steps of `POST /api/v1/orders` without HTTP. The handler
//! (`routes/orders.rs`) only reads the request and writes the answer.
//!
//! An order goes **checked** (the signed-in user may order, the key has no answer yet, R1, R23)
//! → **priced** (the account rolled forward to today and stored, R16; the engine's quote; the
//! client's total confirmed, R24) → **payment recorded** (a durable payment attempt holding the
//! account, S21) → **charged** (the provider, with the attempt's idempotency key) →
//! **committed** (the order, its receipt and the closed attempt in one transaction), or →
//! **declined** (the `402` stored for the key, S22) or → **refunded** (a charge that cannot be
//! committed is given back). An order that costs nothing skips the payment steps.
//!
//! Two guards keep concurrent orders of one account serial (S20). In this process, the account's
//! lock (`store/locks.rs`) makes them wait for each other. Across processes, the database does:
//! the account's version is checked by every write of its state, and an open payment attempt
//! holds the account so that no other order or renewal is written while it is being paid. An
//! order that finds its account moved since it was priced is priced again from the new state, so
//! the client's confirmed total decides (R24): the same total places it, another is
//! `409 price_changed` with the fresh quote.

pub mod reconcile;

use std::sync::Arc;
use std::time::{Duration, Instant};

use billing::{Currency, Money, Order, OrderRequest, Quote};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::Serialize;
use serde_json::Value;

use crate::auth::{AuthUser, random_id, sha256_hex};
use crate::payments::{Charge, PaymentError, PaymentProvider};
use crate::state::AppState;
use crate::store::{
    AccountGuard, AccountRecord, Attempt, AttemptState, NewAttempt, NewOrder, PaymentMethod,
    Placed, PreparedOrder, Recorded, StoreError, StoredAnswer,
};
use crate::wire;

/// How long an order waits for another order of its account to be paid (in another process)
/// before it answers [`PlaceError::Busy`].
const WAIT_LIMIT: Duration = Duration::from_secs(20);

/// How long a `402` stays the answer of its idempotency key (S22), like a provider's own keys.
pub const DECLINE_KEPT_FOR: chrono::TimeDelta = chrono::TimeDelta::hours(24);

/// The longest a provider call may take; after that its outcome is unknown (S21).
pub const PROVIDER_TIMEOUT: Duration = Duration::from_secs(10);

/// An answer to give: its status and body (a new order, or one stored for the key).
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    /// The HTTP status number.
    pub status: u16,
    /// The body.
    pub body: AnswerBody,
}

/// The body of an answer that is stored for its idempotency key (R23, S22): the order placed, or
/// the refusal of a declined payment. It is written as the one or the other.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum AnswerBody {
    /// `201`: the order placed.
    Placed(Box<api::Order>),
    /// `402 payment_declined`.
    Refused(Box<api::ErrorBody>),
}

impl AnswerBody {
    /// The body of a stored answer of `status`, read as the contract's type: an answer stored by
    /// an older version of the server is upgraded as [`crate::store::read_order`] does.
    fn read(status: u16, body: Value) -> Result<AnswerBody, PlaceError> {
        let unreadable =
            |e: serde_json::Error| PlaceError::Internal(format!("a stored answer: {e}"));
        if status == 201 {
            crate::store::read_order(body)
                .map(|order| AnswerBody::Placed(Box::new(order)))
                .map_err(unreadable)
        } else {
            serde_json::from_value(body)
                .map(|body| AnswerBody::Refused(Box::new(body)))
                .map_err(unreadable)
        }
    }
}

/// Why an order was not placed; nothing was changed.
#[derive(Debug, thiserror::Error)]
pub enum PlaceError {
    /// The signed-in user no longer belongs to the account.
    #[error("the user is not a user of the account any more")]
    NotAUser,
    /// R1: only the billing contact places orders.
    #[error("only the account's billing contact can place orders (R1)")]
    NotBillingContact,
    /// The engine refused the order (R2-R21, S1-S13).
    #[error(transparent)]
    Order(#[from] billing::OrderError),
    /// The request is not a valid order request.
    #[error("{message}")]
    Invalid {
        /// What is wrong.
        message: String,
        /// The field at fault.
        field: &'static str,
    },
    /// R24: the price is not the one the client confirmed.
    #[error("the price changed: the total is now {}, not {expected}", quote.total)]
    PriceChanged {
        /// The fresh quote.
        quote: Box<Quote>,
        /// The total the client confirmed.
        expected: Money,
    },
    /// R20: the order costs money and names no usable payment method of the account.
    #[error("a payment method of the account is required (R20)")]
    PaymentMethodRequired,
    /// R23: the key was used for another order.
    #[error("the idempotency key was used for another order (R23)")]
    KeyReused,
    /// Another order of the account is being paid and did not finish in time (S20).
    #[error("another order of the account is being paid")]
    Busy,
    /// The provider failed; whatever it may have charged is refunded or completed (S21).
    #[error("the payment provider failed: {0}")]
    Provider(PaymentError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Something that should not happen.
    #[error("{0}")]
    Internal(String),
}

/// The fingerprint of a request body for R23: the SHA-256 of its canonical JSON (keys sorted,
/// no insignificant white space), so the same order sent twice matches.
pub fn fingerprint(body: &str) -> String {
    match serde_json::from_str::<Value>(body) {
        Ok(value) => sha256_hex(&canonical(&value)),
        Err(_) => sha256_hex(body),
    }
}

fn canonical(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let members: Vec<String> = keys
                .into_iter()
                .map(|k| format!("{}:{}", Value::String(k.clone()), canonical(&map[k])))
                .collect();
            format!("{{{}}}", members.join(","))
        }
        Value::Array(items) => {
            format!(
                "[{}]",
                items.iter().map(canonical).collect::<Vec<_>>().join(",")
            )
        }
        other => other.to_string(),
    }
}

/// The provider idempotency key of a payment attempt (S21): derived from the account, the
/// client's key, the request's fingerprint and the attempt's generation, never the client's key
/// alone (two accounts may pick the same key; a key reused for another body must not find the
/// first body's charge).
pub fn provider_key(account_id: &str, key: &str, request_hash: &str, generation: i64) -> String {
    let digest = sha256_hex(&format!(
        "{account_id}\n{key}\n{request_hash}\n{generation}"
    ));
    format!("chk_{}", &digest[..40])
}

/// The answer stored for a declined payment (R20, S22).
fn declined_answer() -> Answer {
    Answer {
        status: 402,
        body: AnswerBody::Refused(Box::new(api::ErrorBody::new(
            api::ErrorCode::PaymentDeclined,
            "the payment was declined; nothing was ordered: try another payment method (R20)"
                .to_owned(),
            Some("payment_method".to_owned()),
        ))),
    }
}

/// Replays a stored answer, or refuses a key used for another order (R23).
fn replay(stored: StoredAnswer, request_hash: &str) -> Result<Answer, PlaceError> {
    if stored.request_hash != request_hash {
        return Err(PlaceError::KeyReused);
    }
    Ok(Answer {
        status: stored.status,
        body: AnswerBody::read(stored.status, stored.body)?,
    })
}

/// Whether a stored `402` has outlived [`DECLINE_KEPT_FOR`] at `now` (S22). A date that cannot
/// be read counts as fresh: the answer is replayed rather than a charge tried again.
fn decline_expired(stored: &StoredAnswer, now: DateTime<Utc>) -> bool {
    stored.status == 402
        && DateTime::parse_from_rfc3339(&stored.created_at)
            .is_ok_and(|at| now.signed_duration_since(at) > DECLINE_KEPT_FOR)
}

/// The receipt e-mail of an order (R22).
fn receipt_text(order_id: &str, quote: &Quote, status: &str) -> String {
    let mut text = format!("Thank you for your order {order_id}.\n\n");
    for line in &quote.lines {
        text.push_str(&format!(
            "{}  {} .. {}  {} {}\n",
            line.description, line.period_start, line.period_end, line.amount, quote.currency
        ));
    }
    text.push_str(&format!(
        "\nSubtotal {} {c}\nTax {} {c}\nTotal {} {c}\nCredit applied {} {c}\nPaid {} {c} ({status})\n",
        quote.subtotal,
        quote.tax.amount,
        quote.total,
        quote.credit_applied,
        quote.amount_due,
        c = quote.currency
    ));
    text
}

/// Whether a card with expiry `YYYY-MM` can still be charged `today` (through the end of that
/// month).
pub(crate) fn card_is_valid(exp: &str, today: NaiveDate) -> bool {
    let Some((year, month)) = exp.split_once('-') else {
        return false;
    };
    match (year.parse::<i32>(), month.parse::<u32>()) {
        (Ok(year), Ok(month)) => (year, month) >= (today.year(), today.month()),
        _ => false,
    }
}

/// An order priced from one state of its account.
struct Priced {
    quote: Quote,
    placement: billing::Placement,
    payment_method: Option<String>,
    /// The cancellation reasons of the order (R29), as stored with it; empty when none was given.
    cancel_reasons: Vec<api::CancellationReason>,
}

/// **Priced**: the engine's quote of the request on the account as it stands today, checked
/// against the total the client confirmed (R24).
fn price(state: &AppState, record: &AccountRecord, body: &str) -> Result<Priced, PlaceError> {
    // R2: corporate accounts order through their sales representative.
    if record.account.kind() == billing::AccountKind::Corporate {
        return Err(billing::OrderError::CorporateAccount.into());
    }
    let request = OrderRequest::from_json(body)?;
    let today = state.clock.today();
    if request.as_of.is_some_and(|as_of| as_of != today) {
        return Err(PlaceError::Invalid {
            message: format!("orders are placed today ({today}); `as_of` is for quotes only (R9)"),
            field: "as_of",
        });
    }
    let order = Order::parse(&request)?;
    // R29: the cancellation reasons are read with the order's other parts, before pricing, and
    // stored with it (S55).
    let cancel_reasons = request
        .cancel_reasons()?
        .into_iter()
        .map(|(item, subscription, reason)| wire::cancellation_reason(item, subscription, &reason))
        .collect();
    let mut id_error = None;
    let placement = billing::apply_order(state.catalog, &record.account, &order, today, |_| {
        random_id("sub").unwrap_or_else(|error| {
            id_error = Some(error);
            String::new()
        })
    })?;
    if let Some(error) = id_error {
        return Err(PlaceError::Internal(error.to_string()));
    }
    let quote = placement.quote.clone();
    // R24: the client confirms the total it showed; a different price places nothing.
    match request.expected_total {
        None => {
            return Err(PlaceError::Invalid {
                message: "send the total you showed the customer as `expected_total` (R24)"
                    .to_owned(),
                field: "expected_total",
            });
        }
        Some(expected) if !quote.currency.has_minor_digits(expected) => {
            return Err(PlaceError::Invalid {
                message: format!(
                    "`expected_total` must be an amount in {} with its minor digits, like \"93.94\"",
                    quote.currency
                ),
                field: "expected_total",
            });
        }
        Some(expected) if expected != quote.total => {
            return Err(PlaceError::PriceChanged {
                quote: Box::new(quote),
                expected,
            });
        }
        Some(_) => {}
    }
    Ok(Priced {
        quote,
        placement,
        payment_method: request.payment_method,
        cancel_reasons,
    })
}

/// The order as it will be stored, and its answer.
struct Prepared {
    order: PreparedOrder,
    body: api::Order,
}

/// The stored form of a priced order: its id, answer body, receipt and the account after it.
fn prepare(
    state: &AppState,
    record: &AccountRecord,
    priced: &Priced,
    key: &str,
    request_hash: &str,
    attempt: Option<&str>,
) -> Result<Prepared, PlaceError> {
    let internal = |e: &dyn std::fmt::Display| PlaceError::Internal(e.to_string());
    let quote = &priced.quote;
    let order_id = random_id("ord").map_err(|e| internal(&e))?;
    let receipt_id = random_id("mail").map_err(|e| internal(&e))?;
    let placed_at = state
        .clock
        .now()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let (status, paid) = if quote.amount_due.is_positive() {
        ("paid", api::OrderStatus::Paid)
    } else {
        ("no_payment_needed", api::OrderStatus::NoPaymentNeeded)
    };
    let mut body = api::Order::from_quote(
        wire::quote(quote),
        order_id.clone(),
        placed_at.clone().into(),
        paid,
        priced.placement.assign_licenses,
    );
    // R29: the reasons are stored with the order, in its body (which the receipt and
    // `GET /api/v1/orders/{id}` show), and only when given (the contract leaves an empty list
    // out), so an order without one reads as before.
    body.cancellation_reasons = priced.cancel_reasons.clone();
    let stored_body = serde_json::to_value(&body).map_err(|e| internal(&e))?;
    // The user placing it is a billing contact of the account (checked), so it has one.
    let recipient = record
        .billing_contact
        .as_ref()
        .map(|(_, email)| email.clone())
        .ok_or_else(|| {
            PlaceError::Internal("an account without a billing contact placed an order".into())
        })?;
    let subject = format!("Your receipt for order {order_id}");
    let text = receipt_text(&order_id, quote, status);
    let order = PreparedOrder::new(&NewOrder {
        id: &order_id,
        placed_at: &placed_at,
        status,
        quote,
        body: &stored_body,
        account: &priced.placement.account,
        payment_reference: None,
        idempotency_key: key,
        request_hash,
        receipt: (&recipient, &subject, &text),
        receipt_id: &receipt_id,
        version: record.version,
        attempt,
    });
    Ok(Prepared { order, body })
}

/// Calls the provider in a task of its own, bounded by [`PROVIDER_TIMEOUT`]: a provider that
/// panics or hangs is an unknown outcome, never a lost attempt.
pub(crate) async fn provider_call<T, F>(
    provider: &Arc<dyn PaymentProvider>,
    call: F,
) -> Result<T, PaymentError>
where
    T: Send + 'static,
    F: for<'p> FnOnce(&'p dyn PaymentProvider) -> crate::payments::PaymentFuture<'p, T>
        + Send
        + 'static,
{
    let provider = Arc::clone(provider);
    let task = tokio::spawn(async move {
        tokio::time::timeout(PROVIDER_TIMEOUT, call(provider.as_ref())).await
    });
    match task.await {
        Ok(Ok(result)) => result,
        Ok(Err(_elapsed)) => Err(PaymentError::Unavailable("the provider timed out".into())),
        Err(error) => Err(PaymentError::Unavailable(format!(
            "the provider call failed: {error}"
        ))),
    }
}

/// Charges `amount` of a payment attempt (with its provider key) to `method`: an order's amount
/// due, or a renewal's (`renewals`).
pub(crate) async fn charge(
    state: &AppState,
    account_id: &str,
    method: &PaymentMethod,
    (amount, currency): (Money, Currency),
    provider_key: &str,
) -> Result<String, PaymentError> {
    let account_id = account_id.to_owned();
    let method = method.clone();
    let key = provider_key.to_owned();
    provider_call(&state.payments, move |provider| {
        Box::pin(async move {
            provider
                .charge(Charge {
                    account_id: &account_id,
                    method: &method,
                    amount,
                    currency,
                    idempotency_key: &key,
                })
                .await
        })
    })
    .await
}

/// Waits while another order's payment attempt holds the account (S20): an attempt left by a
/// process that died, or one whose provider call failed, is finished here at once (S21);
/// otherwise this waits a little and the caller reads the account again.
async fn wait_for_holder(
    state: &AppState,
    account_id: &str,
    deadline: Instant,
) -> Result<(), PlaceError> {
    let Some(holder) = state.store.attempt_holding(account_id).await? else {
        return Ok(());
    };
    // A provider that cannot say what it charged leaves the attempt open: wait, as for a live one.
    if reconcile::is_orphaned(state, &holder)
        && reconcile::resolve(state, &holder).await? != reconcile::Resolution::Pending
    {
        return Ok(());
    }
    if Instant::now() >= deadline {
        return Err(PlaceError::Busy);
    }
    tokio::time::sleep(Duration::from_millis(20)).await;
    Ok(())
}

/// What to do with the attempt a key already has.
enum KeyAttempt {
    /// Read the account again (the attempt finished; its answer is stored, or it was waited on).
    Again,
    /// Try again with the next generation of the key (the attempt placed nothing).
    Next(i64),
}

/// A key's earlier attempt for the same request: an open one is waited on (or finished when it
/// was left behind); a closed one that placed nothing lets the key be tried again (S22).
async fn earlier_attempt(
    state: &AppState,
    attempt: &Attempt,
    request_hash: &str,
    deadline: Instant,
) -> Result<KeyAttempt, PlaceError> {
    if attempt.request_hash != request_hash {
        return Err(PlaceError::KeyReused);
    }
    match attempt.state {
        AttemptState::Recorded | AttemptState::Unknown => {
            let finished = reconcile::is_orphaned(state, attempt)
                && reconcile::resolve(state, attempt).await? != reconcile::Resolution::Pending;
            if !finished {
                if Instant::now() >= deadline {
                    return Err(PlaceError::Busy);
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            Ok(KeyAttempt::Again)
        }
        // Its answer is stored with the key: reading again replays it.
        AttemptState::Committed => Ok(KeyAttempt::Again),
        // The decline's answer expired (S22), or nothing was charged, or the charge was given
        // back: a new attempt, with a new provider key.
        AttemptState::Declined | AttemptState::Abandoned | AttemptState::Refunded => {
            Ok(KeyAttempt::Next(attempt.generation + 1))
        }
    }
}

/// Where one pass through the steps ended.
enum Step<T> {
    /// Go on to the next step with this.
    Next(T),
    /// The answer to give.
    Done(Answer),
    /// Start again from reading the account (it changed, or was held by another order's
    /// payment), with the account's lock back when the step still had it.
    Again(Option<AccountGuard>),
}

/// Goes on with a step's value, or leaves the pass with its answer or to start again.
macro_rules! next {
    ($step:expr) => {
        match $step {
            Step::Next(value) => value,
            Step::Done(answer) => return Ok(Step::Done(answer)),
            Step::Again(guard) => return Ok(Step::Again(guard)),
        }
    };
}

/// One order being placed: what the request said, and what the passes learned.
struct Placing {
    state: AppState,
    user: AuthUser,
    account_id: String,
    key: String,
    body: String,
    request_hash: String,
    deadline: Instant,
    /// The generation of the key's next payment attempt (S22).
    generation: i64,
}

/// Places an order for the signed-in `user` with the idempotency key `key` and the request
/// `body`: the new order (`201`), the answer stored for the key (R23), or an error that placed
/// nothing. Run it in a task of its own: a request dropped half-way must not stop it between
/// the charge and the commit.
pub async fn place(
    state: AppState,
    user: AuthUser,
    key: String,
    body: String,
) -> Result<Answer, PlaceError> {
    let account_id = user.account_id().to_owned();
    let mut placing = Placing {
        request_hash: fingerprint(&body),
        deadline: Instant::now() + WAIT_LIMIT,
        generation: 1,
        state,
        user,
        account_id,
        key,
        body,
    };
    // One order at a time per account in this process: a second request with the same key waits
    // here until the first one's order is committed, then finds its answer (R23). Orders of other
    // accounts go on meanwhile. Across processes the database guards the account (S20).
    let mut guard = None;
    loop {
        let held = match guard.take() {
            Some(held) => held,
            None => placing.state.store.lock_account(&placing.account_id).await,
        };
        match placing.pass(held).await? {
            Step::Done(answer) => return Ok(answer),
            Step::Again(back) => guard = back,
            Step::Next(never) => match never {},
        }
    }
}

impl Placing {
    /// One pass through the steps, from reading the account to the commit.
    async fn pass(
        &mut self,
        held: AccountGuard,
    ) -> Result<Step<std::convert::Infallible>, PlaceError> {
        let (record, held) = next!(self.checked(held).await?);
        let (record, held) = next!(self.rolled_forward(record, held).await?);
        let priced = price(&self.state, &record, &self.body)?;
        if !priced.quote.amount_due.is_positive() {
            return self.committed(&record, &priced, None, held).await;
        }
        let method = payment_method(&record, &priced, self.state.clock.today())?;
        let (attempt, prepared, held) = next!(
            self.payment_recorded(&record, &priced, &method, held)
                .await?
        );
        let (reference, held) = next!(self.charged(&attempt, &priced, &method, held).await?);
        self.committed(&record, &priced, Some((attempt, prepared, reference)), held)
            .await
    }

    /// **Checked**: the account as stored, the user allowed to order (R1), no answer stored for
    /// the key yet (R23: a stored one is replayed).
    async fn checked(
        &self,
        held: AccountGuard,
    ) -> Result<Step<(AccountRecord, AccountGuard)>, PlaceError> {
        let (record, stored) = self
            .state
            .store
            .account_and_answer(&self.account_id, &self.key)
            .await?;
        let record = record.ok_or_else(|| {
            PlaceError::Internal(format!("account {} is missing", self.account_id))
        })?;
        // R1: only the billing contact places orders. The flag comes with the account.
        match self.user.role_in(&self.state, &record) {
            Err(_) => return Err(PlaceError::NotAUser),
            Ok(false) => return Err(PlaceError::NotBillingContact),
            Ok(true) => {}
        }
        let Some(stored) = stored else {
            return Ok(Step::Next((record, held)));
        };
        if decline_expired(&stored, self.state.clock.now())
            && stored.request_hash == self.request_hash
        {
            // S22: a decline is the key's answer for a day; then the card may be tried again.
            self.state
                .store
                .forget_answer(&self.account_id, &self.key, 402)
                .await?;
            return Ok(Step::Again(Some(held)));
        }
        replay(stored, &self.request_hash).map(Step::Done)
    }

    /// R16: the account as it stands today; renewals due are stored first, under the guard of
    /// S20 (another process may store them first: then the account is read again).
    async fn rolled_forward(
        &self,
        mut record: AccountRecord,
        held: AccountGuard,
    ) -> Result<Step<(AccountRecord, AccountGuard)>, PlaceError> {
        let today = self.state.clock.today();
        let (rolled, events) = billing::roll_forward(self.state.catalog, &record.account, today)
            .map_err(|e| PlaceError::Internal(e.to_string()))?;
        if events.is_empty() {
            return Ok(Step::Next((record, held)));
        }
        let (placed, held) = self
            .state
            .store
            .save_roll_forward_locked(&rolled, record.version, &events, held)
            .await?;
        if placed != Placed::Stored {
            wait_for_holder(&self.state, &self.account_id, self.deadline).await?;
            return Ok(Step::Again(Some(held)));
        }
        tracing::info!(account = %self.account_id, events = events.len(), %today, "rolled forward (R16)");
        record.account = rolled;
        record.version += 1;
        Ok(Step::Next((record, held)))
    }

    /// **Payment recorded** (S21): the attempt, with the order as it will be stored, written
    /// before the provider is called; it holds the account from now on.
    async fn payment_recorded(
        &mut self,
        record: &AccountRecord,
        priced: &Priced,
        method: &PaymentMethod,
        held: AccountGuard,
    ) -> Result<Step<(Attempt, Prepared, AccountGuard)>, PlaceError> {
        let attempt_id = random_id("pat").map_err(|e| PlaceError::Internal(e.to_string()))?;
        let prepared = prepare(
            &self.state,
            record,
            priced,
            &self.key,
            &self.request_hash,
            Some(&attempt_id),
        )?;
        let pkey = provider_key(
            &self.account_id,
            &self.key,
            &self.request_hash,
            self.generation,
        );
        let recorded = self
            .state
            .store
            .record_attempt(&NewAttempt {
                id: &attempt_id,
                account_id: &self.account_id,
                idem_key: &self.key,
                request_hash: &self.request_hash,
                generation: self.generation,
                provider_key: &pkey,
                version: record.version,
                amount: &priced.quote.amount_due.to_string(),
                currency: &priced.quote.currency.to_string(),
                payment_method: &method.id,
                prepared: &prepared.order,
                created_at: &self.state.clock.now().to_rfc3339(),
            })
            .await?;
        let attempt = match recorded {
            Recorded::Held(attempt) => *attempt,
            Recorded::Stale => return Ok(Step::Again(Some(held))),
            Recorded::Busy => {
                wait_for_holder(&self.state, &self.account_id, self.deadline).await?;
                return Ok(Step::Again(Some(held)));
            }
            Recorded::KeyHasAttempt(earlier) => {
                match earlier_attempt(&self.state, &earlier, &self.request_hash, self.deadline)
                    .await?
                {
                    KeyAttempt::Again => {}
                    KeyAttempt::Next(next) => self.generation = next,
                }
                return Ok(Step::Again(Some(held)));
            }
        };
        Ok(Step::Next((attempt, prepared, held)))
    }

    /// **Charged**: the provider, with the attempt's key. A decline closes the attempt with its
    /// stored `402` (S22); a failed call leaves the outcome unknown, so the provider is asked
    /// what it charged: a charge is committed (the attempt still holds the account), none
    /// frees the account (S21).
    async fn charged(
        &self,
        attempt: &Attempt,
        priced: &Priced,
        method: &PaymentMethod,
        held: AccountGuard,
    ) -> Result<Step<(String, AccountGuard)>, PlaceError> {
        match charge(
            &self.state,
            &self.account_id,
            method,
            (priced.quote.amount_due, priced.quote.currency),
            &attempt.provider_key,
        )
        .await
        {
            Ok(reference) => Ok(Step::Next((reference, held))),
            Err(PaymentError::Declined) => {
                let answer = declined_answer();
                let at = self.state.clock.now().to_rfc3339();
                let body = serde_json::to_value(&answer.body)
                    .map_err(|e| PlaceError::Internal(e.to_string()))?;
                self.state
                    .store
                    .decline_attempt(attempt, answer.status, &body, &at)
                    .await?;
                drop(held);
                Ok(Step::Done(answer))
            }
            Err(error) => {
                tracing::warn!(%error, account = %self.account_id, "the payment provider failed");
                self.state.store.mark_attempt_unknown(&attempt.id).await?;
                drop(held);
                let mut attempt = attempt.clone();
                attempt.state = AttemptState::Unknown;
                if reconcile::resolve(&self.state, &attempt).await?
                    == reconcile::Resolution::Committed
                {
                    // Its order is stored: the next pass replays it.
                    return Ok(Step::Again(None));
                }
                Err(PlaceError::Provider(error))
            }
        }
    }

    /// **Committed**: the order, its receipt, the account's new state and (when it was paid)
    /// the closed payment attempt, in one transaction under the guard of S20. A charge that
    /// cannot be committed is **refunded**.
    async fn committed(
        &self,
        record: &AccountRecord,
        priced: &Priced,
        paid: Option<(Attempt, Prepared, String)>,
        held: AccountGuard,
    ) -> Result<Step<std::convert::Infallible>, PlaceError> {
        let Some((attempt, prepared, reference)) = paid else {
            let prepared = prepare(
                &self.state,
                record,
                priced,
                &self.key,
                &self.request_hash,
                None,
            )?;
            let (placed, back) = self
                .state
                .store
                .place_prepared(prepared.order, Some(held))
                .await;
            return match placed? {
                Placed::Stored => Ok(Step::Done(created(
                    &self.account_id,
                    &priced.quote,
                    prepared.body,
                ))),
                Placed::KeyTaken | Placed::AttemptClosed => Ok(Step::Again(back)),
                Placed::Stale => {
                    wait_for_holder(&self.state, &self.account_id, self.deadline).await?;
                    Ok(Step::Again(back))
                }
            };
        };
        let order = prepared.order.paid_with(&reference);
        let (placed, back) = self.state.store.place_prepared(order, Some(held)).await;
        let placed = match placed {
            Ok(placed) => placed,
            Err(error) => {
                // The attempt stays open and holds the account; marked `unknown`, the client's
                // retry with the same key, or the reconciler, stores the order at once (S21).
                tracing::error!(%error, payment = %reference, account = %self.account_id,
                    "payment charged but the order was not stored yet; the reconciler will finish it");
                if let Err(mark) = self.state.store.mark_attempt_unknown(&attempt.id).await {
                    tracing::warn!(error = %mark, "cannot mark the attempt; it is finished after the delay");
                }
                return Err(error.into());
            }
        };
        match placed {
            Placed::Stored => Ok(Step::Done(created(
                &self.account_id,
                &priced.quote,
                prepared.body,
            ))),
            Placed::AttemptClosed => {
                // The reconciler finished this attempt meanwhile: committed with this charge,
                // or abandoned, in which case the charge is given back.
                let now = self
                    .state
                    .store
                    .attempt_for_key(&self.account_id, &self.key)
                    .await?;
                if now.is_none_or(|a| a.state != AttemptState::Committed) {
                    reconcile::refund(&self.state, &reference)
                        .await
                        .map_err(PlaceError::Provider)?;
                }
                Ok(Step::Again(back))
            }
            Placed::KeyTaken | Placed::Stale => {
                // Cannot happen while the attempt holds the account, but if it does the charge
                // is given back and the order is priced again.
                reconcile::refund(&self.state, &reference)
                    .await
                    .map_err(PlaceError::Provider)?;
                self.state
                    .store
                    .close_attempt(&attempt.id, AttemptState::Refunded, Some(&reference))
                    .await?;
                Ok(Step::Again(back))
            }
        }
    }
}

/// R20: an amount due needs one of the account's own unexpired payment methods.
fn payment_method(
    record: &AccountRecord,
    priced: &Priced,
    today: NaiveDate,
) -> Result<PaymentMethod, PlaceError> {
    priced
        .payment_method
        .as_deref()
        .and_then(|id| record.payment_methods.iter().find(|pm| pm.id == id))
        .filter(|pm| card_is_valid(&pm.exp, today))
        .cloned()
        .ok_or(PlaceError::PaymentMethodRequired)
}

/// The `201` of a new order, logged.
fn created(account_id: &str, quote: &Quote, body: api::Order) -> Answer {
    tracing::info!(order = %body.id, account = %account_id,
        total = %quote.total, status = ?body.status, "order placed");
    Answer {
        status: 201,
        body: AnswerBody::Placed(Box::new(body)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_provider_key_depends_on_account_key_request_and_generation() {
        let base = provider_key("acc_1", "k", "hash", 1);
        assert_eq!(base, provider_key("acc_1", "k", "hash", 1));
        for other in [
            provider_key("acc_2", "k", "hash", 1),
            provider_key("acc_1", "k2", "hash", 1),
            provider_key("acc_1", "k", "hash2", 1),
            provider_key("acc_1", "k", "hash", 2),
        ] {
            assert_ne!(base, other);
        }
        // Never the client's key itself.
        assert!(!provider_key("acc_1", "client-key", "hash", 1).contains("client-key"));
    }

    #[test]
    fn the_fingerprint_ignores_key_order_and_white_space() {
        assert_eq!(
            fingerprint(r#"{"a":1,"b":[1,2]}"#),
            fingerprint(r#"{ "b": [1, 2], "a": 1 }"#)
        );
        assert_ne!(fingerprint(r#"{"a":1}"#), fingerprint(r#"{"a":2}"#));
    }

    #[test]
    fn a_decline_is_kept_for_a_day() {
        let stored = |status: u16, at: &str| StoredAnswer {
            request_hash: "h".into(),
            status,
            body: Value::Null,
            created_at: at.into(),
        };
        let now = DateTime::parse_from_rfc3339("2026-11-16T12:00:00Z")
            .expect("a date")
            .with_timezone(&Utc);
        assert!(!decline_expired(&stored(402, "2026-11-15T12:30:00Z"), now));
        assert!(decline_expired(&stored(402, "2026-11-15T11:30:00Z"), now));
        // A 201 is kept for good, and an unreadable date keeps the decline.
        assert!(!decline_expired(&stored(201, "2026-01-01T00:00:00Z"), now));
        assert!(!decline_expired(&stored(402, "yesterday"), now));
    }
}
