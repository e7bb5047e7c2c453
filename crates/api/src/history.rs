//! The billing history (R28): its entries are orders placed in the checkout and renewals charged
//! on their date (R16, R31), told apart by their shape and `kind` (S60, S62, S73).

use serde::{Deserialize, Deserializer, Serialize};

use crate::{BillingInfo, Date, Money, Order, Tax, Timestamp};

/// One entry of the billing history (`GET /api/v1/orders`, `GET /api/v1/orders/{id}`): an order
/// or a renewal (S62). It travels as the entry itself, without a wrapper; its `kind` says which.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum HistoryEntry {
    /// An order placed in the checkout (`"kind":"order"`).
    Order(Box<Order>),
    /// A renewal at a period's end (`"kind":"renewal"`).
    Renewal(Box<Renewal>),
}

impl HistoryEntry {
    /// The entry's id (`ord_…` or `ren_…`).
    pub fn id(&self) -> &str {
        match self {
            HistoryEntry::Order(order) => &order.id,
            HistoryEntry::Renewal(renewal) => &renewal.id,
        }
    }

    /// When it was placed (an order) or settled, else due (a renewal, S73).
    pub fn placed_at(&self) -> &Timestamp {
        match self {
            HistoryEntry::Order(order) => &order.placed_at,
            HistoryEntry::Renewal(renewal) => &renewal.placed_at,
        }
    }
}

/// The kind of a renewal entry: always `renewal`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RenewalKind {
    /// A renewal at a period's end (R16, R28).
    #[default]
    Renewal,
}

/// Where a renewal stands (S73).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RenewalStatus {
    /// Recorded, not tried yet: the renewal worker's next round takes it (S70, S73).
    Pending,
    /// The amount due was charged to a card.
    Paid,
    /// The credit covered it: nothing was charged (S72).
    NoPaymentNeeded,
    /// A try was declined (or found no valid default card); tried again on `next_retry` and
    /// payable at once with "Paga ora" (R31, S74, S75).
    PaymentFailed,
    /// Still unpaid after its last try: the subscription expired (R31, S74).
    ExpiredUnpaid,
}

/// The card that paid a renewal, as its receipt names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChargedCard {
    /// The card brand (`visa`).
    pub brand: String,
    /// The last four digits.
    pub last4: String,
}

/// A renewal entry of the billing history (R28, S73): one subscription's new period, what it
/// cost and how it was paid. `POST /api/v1/orders/{id}/pay` answers it too (S75).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Renewal {
    /// Always `renewal`.
    pub kind: RenewalKind,
    /// The renewal id, `ren_<subscription>_<YYYYMMDD>` (S71).
    pub id: String,
    /// Where it stands.
    pub status: RenewalStatus,
    /// When it was settled; while it is not, its due date at 00:00 UTC (S73).
    pub placed_at: Timestamp,
    /// The due date: the first day of the new period.
    pub date: Date,
    /// The subscription renewed.
    pub subscription: String,
    /// The product renewed.
    pub product: String,
    /// The first day of the new period.
    pub period_start: Date,
    /// The last day of the new period.
    pub period_end: Date,
    /// The seats renewed.
    pub seats: u32,
    /// The price per seat.
    pub unit_price: Money,
    /// `seats × unit_price`.
    pub subtotal: Money,
    /// The tax on the subtotal (R18).
    pub tax: Tax,
    /// Subtotal plus tax.
    pub total: Money,
    /// What the account's credit paid (R19).
    pub credit_applied: Money,
    /// What the card is asked for.
    pub amount_due: Money,
    /// `amount_due` once `paid`, else zero.
    pub amount_paid: Money,
    /// The account's currency (ISO 4217).
    pub currency: String,
    /// The card that paid it, or null.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub card: Option<ChargedCard>,
    /// While `payment_failed`: the day of the next try (S74); else null.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub next_retry: Option<Date>,
    /// Whether "Paga ora" can pay it now (S75).
    pub payable: bool,
    /// The billing information it was settled with (R27, S77); null until it is settled.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub billing_info: Option<BillingInfo>,
}

/// Reads a member that is present, null or not, as `Some`: with `#[serde(default)]` an absent
/// member stays `None`, so `Option<Option<T>>` tells "absent" from "null".
pub(crate) fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}
