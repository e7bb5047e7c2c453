//! The view model: what the screens show and the rules of the cart, with no browser types, so it
//! is tested natively.

use billing::account::{AccountInput, SubscriptionInput};
use billing::order::ItemInput;
use billing::{
    Account, AccountError, AccountKind, Catalog, Country, Currency, Frequency, Money, Order,
    OrderError, OrderRequest, Quote, SubscriptionStatus, Tier, quote,
};
use chrono::NaiveDate;
use serde_json::Value;

use crate::{json, wire};

/// Reads a calendar date written `YYYY-MM-DD`, as the order server writes every date.
///
/// The app reads dates with this rather than chrono's `FromStr`, whose general format parser
/// would otherwise be the only user of that machinery in the browser bundle.
pub fn parse_iso_date(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = &text[range];
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let year = i32::try_from(number(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, number(5..7)?, number(8..10)?)
}

/// A person to ask: the account's billing contact (R1).
///
/// The OpenAPI document requires neither member, so a member the server leaves out reads as an
/// empty text (S50) rather than refusing the whole account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contact {
    /// Full name; empty when the server sent none.
    pub name: String,
    /// E-mail address; empty when the server sent none.
    pub email: String,
}

impl Contact {
    /// How the texts name the contact: "Giulia Rossi (giulia@…)", or whichever of the two the
    /// server sent; `None` when it sent neither (S50).
    pub fn label(&self) -> Option<String> {
        match (self.name.is_empty(), self.email.is_empty()) {
            (false, false) => Some(format!("{} ({})", self.name, self.email)),
            (false, true) => Some(self.name.clone()),
            (true, false) => Some(self.email.clone()),
            (true, true) => None,
        }
    }
}

/// A payment method on file: only its id travels back to the server (R20).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentMethod {
    /// The id sent with an order (`pm_1`).
    pub id: String,
    /// Card brand (`visa`).
    pub brand: String,
    /// The last four digits, for display.
    pub last4: String,
    /// Expiry, `YYYY-MM`.
    pub exp: String,
}

/// The next renewal payment of the overview (R16).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NextPayment {
    /// When it is due.
    pub date: NaiveDate,
    /// What will be charged after the credit.
    pub amount: Money,
    /// How much credit pays part of it (R19).
    pub credit_applied: Money,
}

/// A subscription as the overview shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubscriptionView {
    /// Its id (`sub_1`).
    pub id: String,
    /// The product id.
    pub product: String,
    /// The tier id.
    pub tier: String,
    /// The seat count.
    pub seats: u32,
    /// Monthly or annual.
    pub frequency: Frequency,
    /// Trial, active, pending cancellation or expired.
    pub status: SubscriptionStatus,
    /// Start of the current period.
    pub period_start: NaiveDate,
    /// End of the current period (exclusive, R8).
    pub period_end: NaiveDate,
    /// Whether it renews; must agree with the status when present.
    pub auto_renew: Option<bool>,
}

/// What an option of a subscription's menu does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MenuAction {
    /// Open the plan change editor (R12).
    Change,
    /// Turn renewal off (R14).
    Cancel,
    /// Turn renewal back on (R14).
    Resume,
    /// Buy the product after or during a trial (R13).
    SubscribeNow,
    /// Buy a plan for an expired subscription (R15).
    Reactivate,
}

impl SubscriptionView {
    /// The options its status allows (R12-R15).
    pub fn actions(&self) -> &'static [MenuAction] {
        match self.status {
            SubscriptionStatus::Active => &[MenuAction::Change, MenuAction::Cancel],
            SubscriptionStatus::PendingCancellation => &[MenuAction::Resume],
            SubscriptionStatus::Trial => &[MenuAction::SubscribeNow],
            SubscriptionStatus::Expired => &[MenuAction::Reactivate],
        }
    }
}

/// The account of `GET /api/v1/account` with its display fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountView {
    /// The account id.
    pub id: String,
    /// The company or person name.
    pub name: String,
    /// Standard or corporate (R2).
    pub kind: AccountKind,
    /// The customer's country (R18).
    pub country: Country,
    /// The billing currency.
    pub currency: Currency,
    /// The VAT id on file.
    pub vat_id: Option<String>,
    /// The credit balance (R19).
    pub credit: Money,
    /// Who may order (R1); `None` when the account has no billing contact (`null`, S50).
    pub billing_contact: Option<Contact>,
    /// Whether the signed-in user is the billing contact.
    pub is_billing_contact: bool,
    /// Payment methods on file (R20).
    pub payment_methods: Vec<PaymentMethod>,
    /// The subscriptions.
    pub subscriptions: Vec<SubscriptionView>,
    /// The next renewal, if any (R16).
    pub next_payment: Option<NextPayment>,
    /// The server's "today" (R9): previews price at this date so they equal the server's charge.
    pub as_of: NaiveDate,
}

impl AccountView {
    /// How the texts name the billing contact, `None` when there is none to name (S50).
    pub fn contact_label(&self) -> Option<String> {
        self.billing_contact.as_ref().and_then(Contact::label)
    }

    /// The engine's input for this account: the fields pricing needs (api.md's account object).
    fn input(&self) -> AccountInput {
        let subscriptions = self
            .subscriptions
            .iter()
            .map(|s| SubscriptionInput {
                id: s.id.clone(),
                product: s.product.clone(),
                tier: s.tier.clone(),
                seats: s.seats,
                frequency: s.frequency,
                status: s.status,
                auto_renew: s.auto_renew,
                period_start: s.period_start,
                period_end: s.period_end,
            })
            .collect();
        AccountInput {
            kind: self.kind,
            vat_id: self.vat_id.clone(),
            credit: Some(self.credit),
            ..AccountInput::new(self.id.clone(), self.country, self.currency, subscriptions)
        }
    }
}

/// Why the answer of `GET /api/v1/account` is not an account the app can show (S50).
///
/// The engine's reason is kept as data, not as text: the app only says that the account could not
/// be read, and printing the reason would link every message of the engine's account checks into
/// the bundle (docs/performance.md, section 1).
#[derive(Clone, Debug, PartialEq)]
pub enum AccountUnreadable {
    /// The JSON is not an account of api.md: a member the app needs is missing or of another type.
    NotAnAccount,
    /// The engine refused the account (R3, R19, R21, and the subscriptions' own checks).
    Refused(AccountError),
}

/// The account as shown and as priced.
#[derive(Clone, Debug, PartialEq)]
pub struct AccountData {
    /// The display fields.
    pub view: AccountView,
    /// The engine's account, for quotes.
    pub account: Account,
}

impl AccountData {
    /// Reads the JSON of `GET /api/v1/account`. The JSON is read once, into the display fields;
    /// the engine's account is built from them, so the browser bundle carries one account
    /// reader, not two.
    pub fn from_json(text: &str) -> Result<AccountData, AccountUnreadable> {
        let view = json::parse(text)
            .and_then(|v| wire::account_view(&v))
            .ok_or(AccountUnreadable::NotAnAccount)?;
        let account = Account::try_from(view.input()).map_err(AccountUnreadable::Refused)?;
        Ok(AccountData { view, account })
    }

    /// Whether this user may order at all (R1, R2).
    pub fn can_order(&self) -> bool {
        self.view.is_billing_contact && self.view.kind == AccountKind::Standard
    }

    /// The subscription with this id.
    pub fn subscription(&self, id: &str) -> Option<&SubscriptionView> {
        self.view.subscriptions.iter().find(|s| s.id == id)
    }

    /// The product an item is about: the key of "one item per product" (R3, S1).
    pub fn item_product(&self, item: &ItemInput) -> String {
        match item {
            ItemInput::Buy { product, .. } | ItemInput::Trial { product, .. } => product.clone(),
            ItemInput::Change { subscription, .. }
            | ItemInput::Cancel { subscription, .. }
            | ItemInput::Resume { subscription }
            | ItemInput::Reactivate { subscription, .. } => self
                .subscription(subscription)
                .map(|s| s.product.clone())
                .unwrap_or_else(|| subscription.clone()),
        }
    }

    /// The next renewal payment of one subscription (R16), computed by the engine; the account
    /// credit is applied (R19) when this renewal is the account's next payment, where it goes first.
    pub fn next_payment_of(&self, catalog: &Catalog, id: &str) -> Option<billing::NextPayment> {
        let sub = self.subscription(id)?;
        let mut input = AccountInput::from(self.account.clone());
        input.subscriptions.retain(|s| s.id == id);
        let first = self.view.next_payment.as_ref().map(|n| n.date) == Some(sub.period_end);
        if !first {
            input.credit = Some(self.view.currency.zero());
        }
        let account = Account::try_from(input).ok()?;
        billing::next_payment(catalog, &account).ok().flatten()
    }

    /// Whether the account's subscriptions have all expired: it opens on plan selection (R15).
    pub fn all_expired(&self) -> bool {
        self.account.is_all_expired()
    }
}

/// The cart: the items of the next order, at most one per product (R3, S1), and the reasons
/// of its cancel items (R29).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Cart {
    items: Vec<ItemInput>,
    reasons: Vec<CancelReason>,
}

/// The optional reason of a cancel item (R29, S106). The cart keeps it beside its items rather
/// than in the item's own `reason`, a `serde_json` object whose map would be the only one the
/// bundle builds (its code, not the reason, would cost most of the feature's bytes); the order
/// request carries it in the cancel item all the same (`wire::order_request_with`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CancelReason {
    /// The subscription of the cancel item.
    pub subscription: String,
    /// One of [`REASON_CODES`].
    pub code: String,
    /// The customer's note, trimmed; empty for none.
    pub text: String,
}

/// The codes of a cancellation reason (R29), in api.md's order: the review page's choices.
pub const REASON_CODES: [&str; 5] = [
    "too_expensive",
    "missing_features",
    "switching",
    "not_using",
    "other",
];

impl CancelReason {
    /// The reason the review page's two fields give (S106): the chosen code, else `other` when
    /// only a note was written, since api.md has no text without a code; neither of them is no
    /// reason. The note is kept trimmed.
    pub fn new(subscription: &str, code: &str, text: &str) -> Option<CancelReason> {
        let text = text.trim();
        let code = match (code, text) {
            ("", "") => return None,
            ("", _) => "other",
            (code, _) => code,
        };
        Some(CancelReason {
            subscription: subscription.to_owned(),
            code: code.to_owned(),
            text: text.to_owned(),
        })
    }
}

/// The wire name of a frequency back to the frequency.
fn frequency_named(name: &str) -> Option<Frequency> {
    Frequency::ALL.into_iter().find(|f| f.as_str() == name)
}

/// Reads one item of a cart stored in the line format of version 1 (S51): its op, then the
/// fields of that op in a fixed order, tab-separated and percent-escaped.
fn stored_item(line: &str) -> Option<ItemInput> {
    let fields: Vec<String> = line.split('\t').map(percent_decode_exact).collect();
    let text = |i: usize| fields.get(i).cloned();
    let optional = |i: usize| text(i).filter(|t| !t.is_empty());
    let seats = |i: usize| -> Option<Value> { Some(Value::from(text(i)?.parse::<u32>().ok()?)) };
    let frequency = |i: usize| frequency_named(&text(i)?);
    let item = match fields.first()?.as_str() {
        "change" if fields.len() == 5 => ItemInput::Change {
            subscription: text(1)?,
            tier: optional(2),
            seats: match optional(3) {
                Some(_) => Some(seats(3)?),
                None => None,
            },
            frequency: match optional(4) {
                Some(_) => Some(frequency(4)?),
                None => None,
            },
        },
        "buy" if fields.len() == 5 => ItemInput::Buy {
            product: text(1)?,
            tier: text(2)?,
            seats: seats(3)?,
            frequency: frequency(4)?,
        },
        "reactivate" if fields.len() == 5 => ItemInput::Reactivate {
            subscription: text(1)?,
            tier: text(2)?,
            seats: seats(3)?,
            frequency: frequency(4)?,
        },
        "trial" if fields.len() == 3 => ItemInput::Trial {
            product: text(1)?,
            tier: text(2)?,
        },
        "cancel" if fields.len() == 2 => ItemInput::Cancel {
            subscription: text(1)?,
            reason: None,
        },
        "resume" if fields.len() == 2 => ItemInput::Resume {
            subscription: text(1)?,
        },
        _ => return None,
    };
    Some(item)
}

impl Cart {
    /// The local-storage key of an account's cart.
    pub fn storage_key(account_id: &str) -> String {
        format!("checkout.cart.{account_id}")
    }

    /// Reads a stored cart in any format the app ever wrote (S51), so an upgrade never loses it:
    ///
    /// - version 2, the current one: `{"version":2,"request":{"items":[…]}}`, the order request
    ///   of api.md (any later version that keeps `request` an order request reads the same);
    /// - version 1 (November 2026): one item a line, tab-separated fields;
    /// - version 0 (the first app): `{"items":[…]}`, the order request's items with no version.
    ///
    /// A cart with an item that cannot be read is empty rather than half read (the user would
    /// review an order missing what they chose); the caller then leaves the stored text alone.
    pub fn from_stored(text: &str) -> Cart {
        let (items, reasons) = match json::parse(text) {
            // Version 2 holds its items in `request`, version 0 at the top; only version 2 ever
            // held reasons.
            Some(v) => {
                let request = v.get("request").unwrap_or(&v);
                (wire::order_items(request), wire::order_reasons(request))
            }
            None => {
                let items = text
                    .lines()
                    .filter(|line| !line.is_empty())
                    .map(stored_item)
                    .collect();
                (items, Vec::new())
            }
        };
        match items {
            Some(items) => Cart { items, reasons },
            None => Cart::default(),
        }
    }

    /// The cart as stored: version 2 of [`Cart::from_stored`], the order request of api.md
    /// written by the same writer as the orders the app sends (S51).
    pub fn to_stored(&self) -> String {
        let request = order_request(self.items.clone(), "", None);
        let request = wire::order_request_with(&request, &self.reasons);
        format!(r#"{{"version":2,"request":{request}}}"#)
    }

    /// The items, in the order they were added.
    pub fn items(&self) -> &[ItemInput] {
        &self.items
    }

    /// Whether the cart is empty.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Adds `item`; an item for the same product replaces the older one, and then the product id
    /// is returned so the UI can say so.
    pub fn put(&mut self, item: ItemInput, account: &AccountData) -> Option<String> {
        let product = account.item_product(&item);
        match self
            .items
            .iter()
            .position(|old| account.item_product(old) == product)
        {
            Some(index) => {
                self.items[index] = item;
                self.keep_reasons();
                Some(product)
            }
            None => {
                self.items.push(item);
                None
            }
        }
    }

    /// Removes the item at `index`.
    pub fn remove(&mut self, index: usize) {
        if index < self.items.len() {
            self.items.remove(index);
            self.keep_reasons();
        }
    }

    /// Drops the reasons whose cancel item is no longer in the cart.
    fn keep_reasons(&mut self) {
        let items = &self.items;
        self.reasons
            .retain(|r| items.iter().any(|i| cancelled(i) == Some(&r.subscription)));
    }

    /// The items of the order being edited: the cart with `draft` in place of the cart's item for
    /// the same product.
    pub fn with_draft(&self, draft: Option<&ItemInput>, account: &AccountData) -> Vec<ItemInput> {
        let mut cart = self.clone();
        if let Some(draft) = draft {
            cart.put(draft.clone(), account);
        }
        cart.items
    }

    /// The subscriptions of the cancel items, in the cart's order.
    pub fn cancellations(&self) -> impl Iterator<Item = &String> {
        self.items.iter().filter_map(cancelled)
    }

    /// The reasons of the cancel items (R29).
    pub fn reasons(&self) -> &[CancelReason] {
        &self.reasons
    }

    /// The reason of the cancel item of `subscription`, if one was given.
    pub fn reason(&self, subscription: &str) -> Option<&CancelReason> {
        self.reasons.iter().find(|r| r.subscription == subscription)
    }

    /// Gives the cancel item of `subscription` the reason of the review page's fields (S106),
    /// or none.
    pub fn set_reason(&mut self, subscription: &str, code: &str, text: &str) {
        self.reasons.retain(|r| r.subscription != subscription);
        self.reasons
            .extend(CancelReason::new(subscription, code, text));
    }
}

/// The subscription of a cancel item.
fn cancelled(item: &ItemInput) -> Option<&String> {
    match item {
        ItemInput::Cancel { subscription, .. } => Some(subscription),
        _ => None,
    }
}

/// What the editor builds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DraftKind {
    /// Change an active subscription (R12).
    Change {
        /// Its id.
        subscription: String,
    },
    /// Buy a product (R10, R13).
    Buy,
    /// Try a product (R11).
    Trial,
    /// Reactivate an expired subscription (R15).
    Reactivate {
        /// Its id.
        subscription: String,
    },
}

/// The editor's choices for one product.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Draft {
    /// What the item does.
    pub kind: DraftKind,
    /// The product id.
    pub product: String,
    /// The chosen tier id.
    pub tier: String,
    /// The chosen seat count (possibly out of range while the user types).
    pub seats: u32,
    /// The chosen frequency.
    pub frequency: Frequency,
}

impl Draft {
    /// A change editor starting from the subscription as it is.
    pub fn change(subscription: &SubscriptionView) -> Draft {
        Draft {
            kind: DraftKind::Change {
                subscription: subscription.id.clone(),
            },
            product: subscription.product.clone(),
            tier: subscription.tier.clone(),
            seats: subscription.seats,
            frequency: subscription.frequency,
        }
    }

    /// A plan selection for an expired subscription, starting from its last plan (R15).
    pub fn reactivate(subscription: &SubscriptionView) -> Draft {
        Draft {
            kind: DraftKind::Reactivate {
                subscription: subscription.id.clone(),
            },
            ..Draft::change(subscription)
        }
    }

    /// Buying `product`: its lowest tier, that tier's minimum seats, monthly.
    pub fn buy(catalog: &Catalog, product: &str) -> Option<Draft> {
        let tier = catalog.product(product)?.tiers().first()?;
        Some(Draft {
            kind: DraftKind::Buy,
            product: product.to_owned(),
            tier: tier.id().to_owned(),
            seats: tier.min_seats(),
            frequency: Frequency::Monthly,
        })
    }

    /// The editor of a cart item again ("Modifica ordine"); `None` for cancel and resume.
    pub fn from_item(catalog: &Catalog, account: &AccountData, item: &ItemInput) -> Option<Draft> {
        let seats_of = |v: &Value| v.as_u64().and_then(|n| u32::try_from(n).ok());
        match item {
            ItemInput::Change {
                subscription,
                tier,
                seats,
                frequency,
            } => {
                let mut draft = Draft::change(account.subscription(subscription)?);
                if let Some(tier) = tier {
                    draft.tier = tier.clone();
                }
                if let Some(seats) = seats.as_ref().and_then(seats_of) {
                    draft.seats = seats;
                }
                if let Some(frequency) = frequency {
                    draft.frequency = *frequency;
                }
                Some(draft)
            }
            ItemInput::Buy {
                product,
                tier,
                seats,
                frequency,
            } => Some(Draft {
                tier: tier.clone(),
                seats: seats_of(seats)?,
                frequency: *frequency,
                ..Draft::buy(catalog, product)?
            }),
            ItemInput::Reactivate {
                subscription,
                tier,
                seats,
                frequency,
            } => Some(Draft {
                tier: tier.clone(),
                seats: seats_of(seats)?,
                frequency: *frequency,
                ..Draft::reactivate(account.subscription(subscription)?)
            }),
            ItemInput::Trial { .. } | ItemInput::Cancel { .. } | ItemInput::Resume { .. } => None,
        }
    }

    /// The item of the order request, or `None` for a change that changes nothing.
    pub fn item(&self, account: &AccountData) -> Option<ItemInput> {
        let seats = Value::from(self.seats);
        match &self.kind {
            DraftKind::Change { subscription } => {
                let current = account.subscription(subscription)?;
                let tier = (current.tier != self.tier).then(|| self.tier.clone());
                let seats = (current.seats != self.seats).then_some(seats);
                let frequency = (current.frequency != self.frequency).then_some(self.frequency);
                if tier.is_none() && seats.is_none() && frequency.is_none() {
                    return None;
                }
                Some(ItemInput::Change {
                    subscription: subscription.clone(),
                    tier,
                    seats,
                    frequency,
                })
            }
            DraftKind::Buy => Some(ItemInput::Buy {
                product: self.product.clone(),
                tier: self.tier.clone(),
                seats,
                frequency: self.frequency,
            }),
            DraftKind::Trial => Some(ItemInput::Trial {
                product: self.product.clone(),
                tier: self.tier.clone(),
            }),
            DraftKind::Reactivate { subscription } => Some(ItemInput::Reactivate {
                subscription: subscription.clone(),
                tier: self.tier.clone(),
                seats,
                frequency: self.frequency,
            }),
        }
    }

    /// The draft as kept in the tab's session storage, so a reload reopens the editor as it was
    /// (S92): kind, subscription, product, tier, seats and frequency, tab-separated.
    pub fn to_stored(&self) -> String {
        let (kind, subscription) = match &self.kind {
            DraftKind::Change { subscription } => ("change", subscription.as_str()),
            DraftKind::Reactivate { subscription } => ("reactivate", subscription.as_str()),
            DraftKind::Buy => ("buy", ""),
            DraftKind::Trial => ("trial", ""),
        };
        format!(
            "{kind}\t{subscription}\t{}\t{}\t{}\t{}",
            self.product,
            self.tier,
            self.seats,
            self.frequency.as_str()
        )
    }

    /// Reads what [`Draft::to_stored`] wrote; `None` for anything else, so a damaged value opens
    /// the screen's fresh draft instead.
    pub fn from_stored(text: &str) -> Option<Draft> {
        let fields: Vec<&str> = text.split('\t').collect();
        let [kind, subscription, product, tier, seats, frequency] = fields.as_slice() else {
            return None;
        };
        let subscription = (*subscription).to_owned();
        let kind = match *kind {
            "change" if !subscription.is_empty() => DraftKind::Change { subscription },
            "reactivate" if !subscription.is_empty() => DraftKind::Reactivate { subscription },
            "buy" => DraftKind::Buy,
            "trial" => DraftKind::Trial,
            _ => return None,
        };
        Some(Draft {
            kind,
            product: (*product).to_owned(),
            tier: (*tier).to_owned(),
            seats: seats.parse().ok()?,
            frequency: frequency_named(frequency)?,
        })
    }

    /// The session-storage key of an account's draft (S92).
    pub fn storage_key(account_id: &str) -> String {
        format!("checkout.draft.{account_id}")
    }

    /// Whether `tier` may be chosen: a change may not go to a lower rank (R4).
    pub fn allows_tier(&self, catalog: &Catalog, account: &AccountData, tier: &Tier) -> bool {
        let DraftKind::Change { subscription } = &self.kind else {
            return true;
        };
        let current_rank = account
            .subscription(subscription)
            .and_then(|s| catalog.product(&s.product)?.tier(&s.tier))
            .map_or(0, Tier::rank);
        tier.rank() >= current_rank
    }
}

/// A selection handed over in the checkout's URL by the pricing widget:
/// `?op=buy&product=meeting&tier=business&seats=8&frequency=annual` or `?op=trial&product=…&tier=…`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkSelection {
    /// Buy (R10) or try (R11).
    pub trial: bool,
    /// The product id.
    pub product: String,
    /// The tier id, if given.
    pub tier: Option<String>,
    /// The seat count, if given.
    pub seats: Option<u32>,
    /// The frequency, if given.
    pub frequency: Option<Frequency>,
}

/// Decodes a query value: `%XX` escapes, and `+` as a space; a malformed escape stays as it is.
pub(crate) fn percent_decode(text: &str) -> String {
    percent_decode_with(text, true)
}

/// Decodes `%XX` escapes only (a `+` stays a `+`), as written by [`escape_field`].
fn percent_decode_exact(text: &str) -> String {
    percent_decode_with(text, false)
}

fn percent_decode_with(text: &str, plus_is_space: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' if plus_is_space => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(byte) => {
                        out.push(byte);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl LinkSelection {
    /// Reads a query string (with or without its leading `?`); `None` without `op` and `product`.
    pub fn parse(query: &str) -> Option<LinkSelection> {
        let mut op = None;
        let mut selection = LinkSelection {
            trial: false,
            product: String::new(),
            tier: None,
            seats: None,
            frequency: None,
        };
        for pair in query.trim_start_matches('?').split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = percent_decode(value);
            match key {
                "op" => op = Some(value),
                "product" => selection.product = value,
                "tier" => selection.tier = Some(value),
                "seats" => selection.seats = value.parse().ok(),
                "frequency" => selection.frequency = frequency_named(&value),
                _ => {}
            }
        }
        selection.trial = match op.as_deref()? {
            "buy" => false,
            "trial" => true,
            _ => return None,
        };
        (!selection.product.is_empty()).then_some(selection)
    }

    /// The editor's draft for this selection, when the catalog knows the product; unknown tiers
    /// fall back to the lowest one and seats are brought into the tier's range.
    pub fn draft(&self, catalog: &Catalog) -> Option<Draft> {
        let mut draft = Draft::buy(catalog, &self.product)?;
        let product = catalog.product(&self.product)?;
        if let Some(tier) = self.tier.as_deref().and_then(|t| product.tier(t)) {
            draft.tier = tier.id().to_owned();
        }
        let tier = product.tier(&draft.tier)?;
        if self.trial {
            draft.kind = DraftKind::Trial;
            draft.seats = 1;
        } else {
            draft.seats = self
                .seats
                .unwrap_or(tier.min_seats())
                .clamp(tier.min_seats(), tier.max_seats());
            draft.frequency = self.frequency.unwrap_or(Frequency::Monthly);
        }
        Some(draft)
    }
}

/// Where a pricing widget's link leads for the signed-in account: never into an order the engine
/// would refuse (issue 12).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkOutcome {
    /// "Aggiungi nuovo abbonamento" on the link's selection.
    Add(Draft),
    /// A trial of a product the account holds or held before (R11, S5 `trial_not_available`):
    /// buying it instead, on the link's plan, with a note saying why.
    BuyInstead(Draft),
    /// The product is held and active (R3): that subscription's change editor, with a note.
    Change(Draft),
    /// The product (its id) is held with renewal off (R14): nothing can be bought or changed;
    /// the overview, with a note on resuming it.
    RenewalOff(String),
}

impl LinkOutcome {
    /// The editor's draft, when the outcome opens an editor.
    pub fn draft(&self) -> Option<&Draft> {
        match self {
            LinkOutcome::Add(draft)
            | LinkOutcome::BuyInstead(draft)
            | LinkOutcome::Change(draft) => Some(draft),
            LinkOutcome::RenewalOff(_) => None,
        }
    }

    /// The product id the link is about.
    pub fn product(&self) -> &str {
        match self {
            LinkOutcome::RenewalOff(product) => product,
            other => other.draft().map_or("", |d| d.product.as_str()),
        }
    }
}

impl LinkSelection {
    /// Where this link leads for `account` (R3, R11, R13, R14, S5); `None` for a product the
    /// catalog does not sell.
    pub fn outcome(&self, catalog: &Catalog, account: &AccountData) -> Option<LinkOutcome> {
        let draft = self.draft(catalog)?;
        let held = account
            .view
            .subscriptions
            .iter()
            .find(|s| s.product == draft.product);
        Some(match held.map(|s| (s, s.status)) {
            None => LinkOutcome::Add(draft),
            Some((sub, SubscriptionStatus::Active)) => LinkOutcome::Change(Draft::change(sub)),
            Some((_, SubscriptionStatus::PendingCancellation)) => {
                LinkOutcome::RenewalOff(draft.product)
            }
            // A trial or an expired subscription is bought with a Buy item (R13, R15, S5); a
            // trial link falls back to that, since the trial was used.
            Some(_) if self.trial => {
                let mut buy = Draft::buy(catalog, &draft.product)?;
                buy.tier = draft.tier;
                LinkOutcome::BuyInstead(buy)
            }
            Some(_) => LinkOutcome::Add(draft),
        })
    }
}

/// What a year of `seats` saves billed annually instead of monthly, when it saves anything (S19,
/// the engine's [`billing::annual_saving`]).
pub fn annual_saving(tier: &Tier, currency: Currency, seats: u32) -> Option<Money> {
    let monthly = tier.price(currency, Frequency::Monthly)?;
    let annual = tier.price(currency, Frequency::Annual)?;
    billing::annual_saving(monthly, annual, currency)?.for_seats(seats, currency)
}

/// The order request for `items`, with the VAT id field's text when it differs from the one on
/// file (R21: absent keeps it, `""` removes it).
pub fn order_request(items: Vec<ItemInput>, vat_text: &str, on_file: Option<&str>) -> OrderRequest {
    let text = vat_text.trim();
    let vat_id = (text != on_file.unwrap_or("")).then(|| text.to_owned());
    OrderRequest {
        items,
        vat_id,
        as_of: None,
        expected_total: None,
        payment_method: None,
    }
}

/// The preview of an order, priced in the browser by the engine at the account's `as_of` (R9),
/// exactly as the server will price it.
pub fn preview(
    catalog: &Catalog,
    account: &AccountData,
    request: &OrderRequest,
) -> Result<Quote, OrderError> {
    let order = Order::parse(request)?;
    quote(catalog, &account.account, &order, account.view.as_of)
}

/// The idempotency key of the order being placed (R23): one per reviewed order, reused by every
/// retry of the same request, renewed when the request changes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Placement {
    body: String,
    key: String,
}

impl Placement {
    /// The key for `body`: the previous one when the body is the same, else `fresh()`.
    pub fn key_for(&mut self, body: &str, fresh: impl FnOnce() -> String) -> String {
        if self.body != body || self.key.is_empty() {
            self.body = body.to_owned();
            self.key = fresh();
        }
        self.key.clone()
    }

    /// Takes note of the server's answer `status` to the request: after a final refusal (a 4xx
    /// other than `408` and `429`: a declined card, a changed price, an invalid order) the key is
    /// forgotten, so that the customer's next try, even of the same order with the same card,
    /// is a new attempt. The server keeps a `402` under its key for a day (S22) and would only
    /// replay it. After a lost answer, a `408`, a `429` or a `5xx` the order may have been placed,
    /// so the key stays for the retry (R23).
    pub fn answered(&mut self, status: u16) {
        if (400..500).contains(&status) && status != 408 && status != 429 {
            self.key.clear();
        }
    }
}

/// An error answer of the API.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiError {
    /// The snake_case code.
    pub code: String,
    /// The request member at fault (`vat_id`, `items[0].seats`), when the server names one.
    pub field: Option<String>,
    /// The fresh quote of a `409 price_changed` (R24).
    pub quote: Option<Quote>,
}

impl ApiError {
    /// Reads an error body; an unreadable one gets the code `unknown`.
    pub fn from_json(text: &str) -> ApiError {
        wire::api_error(json::parse(text).as_ref())
    }
}

/// A placed order (`201` of `POST /api/v1/orders`, and the billing history).
#[derive(Clone, Debug, PartialEq)]
pub struct PlacedOrder {
    /// Its id.
    pub id: String,
    /// When it was placed (RFC 3339).
    pub placed_at: String,
    /// Whether a payment was taken.
    pub paid: bool,
    /// Whether seats were added (R22).
    pub assign_licenses: bool,
    /// Its quote.
    pub quote: Quote,
    /// The billing information it was placed with, as its receipt prints it (R27, S77): from
    /// the history's list; none in the `201` answer.
    pub billed_to: Vec<String>,
}

impl PlacedOrder {
    /// Reads one order (the `201` answer of `POST /api/v1/orders`).
    pub fn from_json(text: &str) -> Option<PlacedOrder> {
        wire::placed_order(&json::parse(text)?)
    }

    /// Reads the JSON of `GET /api/v1/orders`; an unreadable list is empty.
    pub fn list_from_json(text: &str) -> Vec<PlacedOrder> {
        json::parse(text).map_or_else(Vec::new, |v| wire::order_list(&v))
    }

    /// The date part of `placed_at`.
    pub fn date(&self) -> Option<NaiveDate> {
        parse_iso_date(self.placed_at.get(..10)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_final_refusal_gives_the_next_try_a_new_key_and_a_lost_answer_keeps_it() {
        let mut fresh = ["k1", "k2", "k3", "k4"].into_iter().map(str::to_owned);
        let mut placement = Placement::default();
        let first = placement.key_for("{}", || fresh.next().expect("a key"));
        for maybe_placed in [408, 429, 500, 503] {
            placement.answered(maybe_placed);
            assert_eq!(
                placement.key_for("{}", || fresh.next().expect("a key")),
                first
            );
        }
        // A declined card (402, kept by the server for a day, S22): the same order tried again
        // is a new attempt under a new key.
        placement.answered(402);
        let second = placement.key_for("{}", || fresh.next().expect("a key"));
        assert_ne!(second, first);
        placement.answered(409);
        assert_ne!(
            placement.key_for("{}", || fresh.next().expect("a key")),
            second
        );
    }

    const GIULIA: &str = r#"{"id":"acc_rossi","name":"Rossi S.r.l.","kind":"standard","country":"IT","currency":"EUR",
      "vat_id":null,"credit":"0.00","billing_contact":{"name":"Giulia Rossi","email":"giulia.rossi@example.com"},
      "is_billing_contact":true,"payment_methods":[{"id":"pm_1","brand":"visa","last4":"4242","exp":"2028-04"}],
      "subscriptions":[{"id":"sub_1","product":"meeting","tier":"professional","seats":5,"frequency":"monthly",
        "status":"active","auto_renew":true,"period_start":"2026-11-01","period_end":"2026-12-01"},
        {"id":"sub_2","product":"webinar","tier":"standard","seats":2,"frequency":"monthly",
        "status":"pending_cancellation","auto_renew":false,"period_start":"2026-11-01","period_end":"2026-12-01"}],
      "next_payment":{"date":"2026-12-01","amount":"85.40","credit_applied":"0.00"},"as_of":"2026-11-16"}"#;

    fn giulia() -> AccountData {
        AccountData::from_json(GIULIA).expect("account")
    }

    #[test]
    fn an_unreadable_account_keeps_the_reason() {
        assert_eq!(
            AccountData::from_json(r#"{"id":"acc_rossi"}"#).err(),
            Some(AccountUnreadable::NotAnAccount)
        );
        let negative_credit = GIULIA.replacen(r#""credit":"0.00""#, r#""credit":"-1.00""#, 1);
        assert!(matches!(
            AccountData::from_json(&negative_credit),
            Err(AccountUnreadable::Refused(AccountError::BadCredit { .. }))
        ));
    }

    fn eight_seats() -> ItemInput {
        let mut draft = Draft::change(giulia().subscription("sub_1").expect("sub"));
        draft.seats = 8;
        draft.item(&giulia()).expect("a change")
    }

    #[test]
    fn the_preview_of_eight_meeting_seats_is_the_worked_example() {
        let account = giulia();
        let request = order_request(vec![eight_seats()], "", None);
        let quote = preview(Catalog::bundled(), &account, &request).expect("quote");
        assert_eq!(quote.amount_due.to_string(), "93.94");
        assert_eq!(quote.lines[0].amount.to_string(), "-35.00");
    }

    #[test]
    fn edit_order_reopens_the_editor_with_the_cart_item() {
        let account = giulia();
        let draft = Draft::from_item(Catalog::bundled(), &account, &eight_seats()).expect("draft");
        assert_eq!(draft.seats, 8);
        assert_eq!(draft.item(&account), Some(eight_seats()));
    }

    #[test]
    fn a_change_that_changes_nothing_is_no_item() {
        let account = giulia();
        let draft = Draft::change(account.subscription("sub_1").expect("sub"));
        assert_eq!(draft.item(&account), None);
    }

    #[test]
    fn a_change_sends_only_what_changed() {
        let ItemInput::Change {
            tier,
            seats,
            frequency,
            ..
        } = eight_seats()
        else {
            panic!("not a change");
        };
        assert_eq!((tier, seats, frequency), (None, Some(Value::from(8)), None));
    }

    #[test]
    fn a_newer_item_for_the_same_product_replaces_the_older() {
        let account = giulia();
        let mut cart = Cart::default();
        assert_eq!(cart.put(eight_seats(), &account), None);
        let cancel = ItemInput::Cancel {
            subscription: "sub_1".into(),
            reason: None,
        };
        assert_eq!(cart.put(cancel.clone(), &account), Some("meeting".into()));
        assert_eq!(cart.items(), &[cancel]);
    }

    #[test]
    fn the_cart_survives_a_round_trip_through_storage() {
        let account = giulia();
        let mut cart = Cart::default();
        cart.put(eight_seats(), &account);
        assert_eq!(
            cart.to_stored(),
            r#"{"version":2,"request":{"items":[{"op":"change","subscription":"sub_1","seats":8}]}}"#
        );
        assert_eq!(Cart::from_stored(&cart.to_stored()), cart);
        assert_eq!(Cart::from_stored("not a cart"), Cart::default());
    }

    #[test]
    fn a_cancellation_reason_is_kept_with_its_cart_item_through_storage() {
        // R29, S106: the reload of the review page (S92) shows the reason given before it.
        let account = giulia();
        let mut cart = Cart::default();
        cart.put(eight_seats(), &account);
        cart.put(
            ItemInput::Cancel {
                subscription: "sub_2".into(),
                reason: None,
            },
            &account,
        );
        cart.set_reason("sub_2", "", " Il progetto è finito ");
        assert_eq!(
            cart.to_stored(),
            r#"{"version":2,"request":{"items":[{"op":"change","subscription":"sub_1","seats":8},{"op":"cancel","subscription":"sub_2","reason":{"code":"other","text":"Il progetto è finito"}}]}}"#
        );
        let stored = Cart::from_stored(&cart.to_stored());
        assert_eq!(stored, cart);
        assert_eq!(
            stored
                .reason("sub_2")
                .map(|r| (r.code.as_str(), r.text.as_str())),
            Some(("other", "Il progetto è finito"))
        );
        assert_eq!(stored.cancellations().collect::<Vec<_>>(), ["sub_2"]);

        // A code alone; then no choice and a blank note, which is no reason at all.
        cart.set_reason("sub_2", "not_using", " ");
        assert!(
            cart.to_stored()
                .contains(r#""reason":{"code":"not_using"}}"#)
        );
        cart.set_reason("sub_2", "", " \n");
        assert_eq!(cart.reasons(), &[]);

        // The reason goes with its item: removed, or replaced by another item for the product.
        cart.set_reason("sub_2", "switching", "");
        cart.remove(1);
        assert_eq!(cart.reasons(), &[]);
        let cancel_meeting = ItemInput::Cancel {
            subscription: "sub_1".into(),
            reason: None,
        };
        cart.put(cancel_meeting, &account);
        cart.set_reason("sub_1", "switching", "");
        cart.put(eight_seats(), &account);
        assert_eq!(cart.reasons(), &[]);
    }

    /// One item of every kind, with texts that need escaping in every format.
    fn every_kind_of_item() -> Vec<ItemInput> {
        vec![
            ItemInput::Change {
                subscription: "sub_1".into(),
                tier: Some("business".into()),
                seats: None,
                frequency: Some(Frequency::Annual),
            },
            ItemInput::Change {
                subscription: "sub\t%2\n\"".into(),
                tier: None,
                seats: Some(Value::from(8)),
                frequency: None,
            },
            ItemInput::Buy {
                product: "remote-support".into(),
                tier: "standard".into(),
                seats: Value::from(3),
                frequency: Frequency::Monthly,
            },
            ItemInput::Trial {
                product: "webinar".into(),
                tier: "lite+".into(),
            },
            ItemInput::Cancel {
                subscription: "sub_3".into(),
                reason: None,
            },
            ItemInput::Resume {
                subscription: "sub_4".into(),
            },
            ItemInput::Reactivate {
                subscription: "sub_5".into(),
                tier: "professional".into(),
                seats: Value::from(12),
                frequency: Frequency::Annual,
            },
        ]
    }

    #[test]
    fn every_kind_of_item_survives_storage_as_the_order_request_of_api_md() {
        let items = every_kind_of_item();
        let cart = Cart {
            items: items.clone(),
            reasons: Vec::new(),
        };
        let stored = cart.to_stored();
        assert_eq!(Cart::from_stored(&stored).items(), &items[..]);
        // The stored request is the contract's order request: the engine's serde reader takes it.
        let v: Value = serde_json::from_str(&stored).expect("JSON");
        assert_eq!(v["version"], 2);
        let request: OrderRequest =
            serde_json::from_value(v["request"].clone()).expect("an order request");
        assert_eq!(request.items, items);
        // A damaged item loses the whole cart rather than half of it (S51).
        let damaged = stored.replace(r#""seats":3"#, r#""seats":"many""#);
        assert_eq!(Cart::from_stored(&damaged), Cart::default());
        assert_eq!(Cart::from_stored(""), Cart::default());
        // A later version that keeps the request reads the same.
        let later = stored.replace(r#""version":2"#, r#""version":3,"note":"x""#);
        assert_eq!(Cart::from_stored(&later).items(), &items[..]);
    }

    #[test]
    fn a_cart_stored_by_version_1_in_lines_is_migrated() {
        // As the app wrote it from 2026-11-23 (git baa7e66) to issue 13: one item a line, the
        // op's fields tab-separated, `%`, tab and newline percent-escaped, empty for "unchanged".
        let stored = "change\tsub_1\tbusiness\t\tannual\n\
                      change\tsub%09%252%0A\"\t\t8\t\n\
                      buy\tremote-support\tstandard\t3\tmonthly\n\
                      trial\twebinar\tlite+\n\
                      cancel\tsub_3\n\
                      resume\tsub_4\n\
                      reactivate\tsub_5\tprofessional\t12\tannual";
        let cart = Cart::from_stored(stored);
        assert_eq!(cart.items(), &every_kind_of_item()[..]);
        assert_eq!(Cart::from_stored(&cart.to_stored()), cart);
        let damaged = format!("{stored}\nbuy\tmeeting\tpro\tmany\tmonthly");
        assert_eq!(Cart::from_stored(&damaged), Cart::default());
    }

    #[test]
    fn a_cart_stored_by_version_0_as_serde_json_is_migrated() {
        // As the first app wrote it (git e70a20c): `serde_json::to_string` of
        // `Cart { items: Vec<ItemInput> }`, the engine's serde shape of order items.
        #[derive(serde::Serialize)]
        struct CartV0 {
            items: Vec<ItemInput>,
        }
        let items = every_kind_of_item();
        let stored = serde_json::to_string(&CartV0 {
            items: items.clone(),
        })
        .expect("serde_json");
        assert!(stored.starts_with(r#"{"items":[{"op":"change","subscription":"sub_1","#));
        let cart = Cart::from_stored(&stored);
        assert_eq!(cart.items(), &items[..]);
        assert!(
            cart.to_stored()
                .starts_with(r#"{"version":2,"request":{"items":"#)
        );
        assert_eq!(Cart::from_stored(&cart.to_stored()), cart);
    }

    #[test]
    fn the_draft_takes_the_place_of_the_cart_item_for_its_product() {
        let account = giulia();
        let mut cart = Cart::default();
        cart.put(
            ItemInput::Cancel {
                subscription: "sub_1".into(),
                reason: None,
            },
            &account,
        );
        cart.put(
            ItemInput::Resume {
                subscription: "sub_2".into(),
            },
            &account,
        );
        let items = cart.with_draft(Some(&eight_seats()), &account);
        assert_eq!(items.len(), 2);
        assert_eq!(items[0], eight_seats());
    }

    #[test]
    fn lower_tiers_are_refused_in_a_change_but_not_in_a_purchase() {
        let account = giulia();
        let catalog = Catalog::bundled();
        let webinar = catalog.product("webinar").expect("webinar");
        let lite = webinar.tier("lite").expect("lite");
        let draft = Draft::change(account.subscription("sub_2").expect("sub"));
        assert!(!draft.allows_tier(catalog, &account, lite));
        let buy = Draft::buy(catalog, "webinar").expect("draft");
        assert!(buy.allows_tier(catalog, &account, lite));
    }

    #[test]
    fn a_stored_draft_reads_back_as_it_was() {
        let account = giulia();
        let mut change = Draft::change(account.subscription("sub_1").expect("sub"));
        change.seats = 17;
        change.frequency = Frequency::Annual;
        let mut trial = Draft::buy(Catalog::bundled(), "webinar").expect("draft");
        trial.kind = DraftKind::Trial;
        let reactivate = Draft::reactivate(account.subscription("sub_2").expect("sub"));
        let buy = Draft::buy(Catalog::bundled(), "meeting").expect("draft");
        for draft in [change, trial, reactivate, buy] {
            assert_eq!(Draft::from_stored(&draft.to_stored()), Some(draft));
        }
    }

    #[test]
    fn a_damaged_stored_draft_is_none() {
        for text in [
            "",
            "change\t\tmeeting\tpro\t3\tmonthly",
            "buy\t\tmeeting\tpro\tmany\tmonthly",
            "buy\t\tmeeting\tpro\t3\tweekly",
            "sell\t\tmeeting\tpro\t3\tmonthly",
            "buy\t\tmeeting\tpro\t3",
        ] {
            assert_eq!(Draft::from_stored(text), None, "{text:?}");
        }
    }

    #[test]
    fn annual_billing_of_meeting_professional_saves_24_euros_a_seat() {
        let tier = Catalog::bundled()
            .product("meeting")
            .and_then(|p| p.tier("professional"))
            .expect("tier");
        let saving = annual_saving(tier, Currency::Eur, 2).expect("saving");
        assert_eq!(saving.to_string(), "48.00");
    }

    #[test]
    fn the_vat_id_is_sent_only_when_it_differs_from_the_one_on_file() {
        assert_eq!(order_request(vec![], " ", None).vat_id, None);
        assert_eq!(
            order_request(vec![], "IT00743110157", Some("IT00743110157")).vat_id,
            None
        );
        assert_eq!(
            order_request(vec![], "", Some("IT00743110157")).vat_id,
            Some(String::new())
        );
    }

    #[test]
    fn one_key_per_reviewed_order_reused_on_retry() {
        let mut placement = Placement::default();
        let first = placement.key_for("a", || "k1".into());
        assert_eq!(placement.key_for("a", || "k2".into()), first);
        assert_eq!(placement.key_for("b", || "k3".into()), "k3");
    }

    #[test]
    fn the_widget_link_opens_the_editor_on_its_selection() {
        let link =
            LinkSelection::parse("?op=buy&product=meeting&tier=business&seats=8&frequency=annual")
                .expect("selection");
        let draft = link.draft(Catalog::bundled()).expect("draft");
        assert_eq!(
            (
                draft.kind,
                draft.tier.as_str(),
                draft.seats,
                draft.frequency
            ),
            (DraftKind::Buy, "business", 8, Frequency::Annual)
        );
        let trial = LinkSelection::parse("op=trial&product=remote%2Dsupport&tier=standard")
            .and_then(|l| l.draft(Catalog::bundled()))
            .expect("trial");
        assert_eq!((trial.kind, trial.seats), (DraftKind::Trial, 1));
        assert_eq!(LinkSelection::parse("?product=meeting"), None);
        assert_eq!(LinkSelection::parse("?op=sell&product=meeting"), None);
    }

    #[test]
    fn a_widget_link_for_a_product_the_account_cannot_take_leads_somewhere_useful() {
        let account = giulia();
        let catalog = Catalog::bundled();
        let outcome = |query: &str| {
            LinkSelection::parse(query)
                .and_then(|l| l.outcome(catalog, &account))
                .expect("an outcome")
        };
        // Meeting is held and active: its change editor, not a second purchase (R3).
        assert_eq!(
            outcome("op=buy&product=meeting&tier=business&seats=8"),
            LinkOutcome::Change(Draft::change(account.subscription("sub_1").expect("sub")))
        );
        // Webinar's renewal is off: nothing to buy or change until it is resumed (R14).
        assert_eq!(
            outcome("op=trial&product=webinar&tier=lite"),
            LinkOutcome::RenewalOff("webinar".into())
        );
        // Remote support was never held: the trial as asked (R11).
        let LinkOutcome::Add(trial) = outcome("op=trial&product=remote-support&tier=premium")
        else {
            panic!("not an add");
        };
        assert_eq!(
            (trial.kind, trial.tier.as_str()),
            (DraftKind::Trial, "premium")
        );
    }

    #[test]
    fn a_used_trial_falls_back_to_buying_the_same_plan() {
        let mut account = giulia();
        account.view.subscriptions[1].status = SubscriptionStatus::Expired;
        let outcome = LinkSelection::parse("op=trial&product=webinar&tier=pro")
            .and_then(|l| l.outcome(Catalog::bundled(), &account))
            .expect("an outcome");
        let LinkOutcome::BuyInstead(buy) = outcome else {
            panic!("not a purchase: {outcome:?}");
        };
        assert_eq!(
            (buy.kind, buy.tier.as_str(), buy.seats),
            (DraftKind::Buy, "pro", 1)
        );
    }

    #[test]
    fn each_renewing_subscription_has_its_next_payment() {
        let account = giulia();
        let next = account
            .next_payment_of(Catalog::bundled(), "sub_1")
            .expect("renews");
        // 5 × 14.00 + 22% VAT.
        assert_eq!(next.amount.to_string(), "85.40");
        assert_eq!(account.next_payment_of(Catalog::bundled(), "sub_2"), None);
    }

    const ORDER: &str = r#"{"id": "ord_1", "placed_at": "2026-11-16T10:00:00Z", "status": "paid",
        "catalog_version": "2026-11-01", "as_of": "2026-11-16", "currency": "EUR", "lines": [],
        "subtotal": "0.00", "tax": {"rate": "22", "amount": "0.00", "reverse_charge": false, "country": "IT"},
        "total": "0.00", "credit_applied": "0.00", "amount_due": "0.00", "credit_after": "0.00"}"#;

    #[test]
    fn an_order_is_dated_by_the_day_it_was_placed() {
        let order = PlacedOrder::from_json(ORDER).expect("order");
        assert_eq!(order.date(), NaiveDate::from_ymd_opt(2026, 11, 16));
        assert!(order.paid);
        assert!(!order.assign_licenses);
        assert_eq!(order.quote.total.to_string(), "0.00");
        let list = PlacedOrder::list_from_json(&format!(r#"{{"orders":[{ORDER},{ORDER}]}}"#));
        assert_eq!(list, vec![order.clone(), order]);
        assert_eq!(PlacedOrder::list_from_json("{}"), vec![]);
    }

    #[test]
    fn api_dates_are_read_strictly() {
        assert_eq!(
            parse_iso_date("2026-11-16"),
            NaiveDate::from_ymd_opt(2026, 11, 16)
        );
        for bad in [
            "2026-02-30",
            "2026-1-16",
            "26-11-16",
            "2026/11/16",
            "+026-11-16",
            "",
        ] {
            assert_eq!(parse_iso_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn status_decides_the_menu() {
        let account = giulia();
        let active = account.subscription("sub_1").expect("sub");
        assert_eq!(active.actions(), &[MenuAction::Change, MenuAction::Cancel]);
        let pending = account.subscription("sub_2").expect("sub");
        assert_eq!(pending.actions(), &[MenuAction::Resume]);
    }

    #[test]
    fn error_bodies_give_their_code() {
        let error = ApiError::from_json(r#"{"error":{"code":"payment_declined","message":"x"}}"#);
        assert_eq!(
            (error.code.as_str(), error.quote),
            ("payment_declined", None)
        );
        assert_eq!(ApiError::from_json("").code, "unknown");
        let changed = ApiError::from_json(&format!(
            r#"{{"error":{{"code":"price_changed","message":"x"}},"quote":{}}}"#,
            serde_json::to_string(&PlacedOrder::from_json(ORDER).expect("order").quote)
                .expect("quote")
        ));
        assert_eq!(changed.code, "price_changed");
        assert_eq!(
            changed.quote.map(|q| q.catalog_version),
            Some("2026-11-01".into())
        );
    }
}
