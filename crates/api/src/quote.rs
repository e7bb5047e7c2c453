//! Quotes, orders and the billing history.

use serde::{Deserialize, Serialize};

use crate::history::present;
use crate::{BillingInfo, CancelReasonCode, Date, HistoryEntry, Money, Timestamp};

/// What an order request costs, priced by the engine (`200` of `POST /api/v1/quote`, and the
/// fresh price of `409 price_changed`). Lines add up: totals are sums of rounded lines (R17).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Quote {
    /// The catalog version the prices come from (R7).
    pub catalog_version: Date,
    /// The date the order is priced at (R9).
    pub as_of: Date,
    /// The account's currency (ISO 4217).
    pub currency: String,
    /// The lines, in item order.
    pub lines: Vec<Line>,
    /// The sum of the lines, before tax.
    pub subtotal: Money,
    /// The tax of the order (R18).
    pub tax: Tax,
    /// Subtotal plus tax: the total the customer confirms (R24).
    pub total: Money,
    /// What the account's credit pays (R19).
    pub credit_applied: Money,
    /// What the payment method is charged.
    pub amount_due: Money,
    /// The credit left after the order (a negative total adds to it).
    pub credit_after: Money,
}

/// One line of a quote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Line {
    /// The index of the order item the line belongs to.
    pub item: u32,
    /// What the line is.
    pub kind: LineKind,
    /// The line's text in the catalog's language (`Professional × 8, monthly`).
    pub description: String,
    /// The first day the line covers.
    pub period_start: Date,
    /// The first day after the period the line covers.
    pub period_end: Date,
    /// The seats priced.
    pub seats: u32,
    /// The price of a seat for a whole period.
    pub unit_price: Money,
    /// The line's amount, rounded once (R17); negative for a proration credit.
    pub amount: Money,
}

/// What a quote line is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    /// A charge for a new period or the rest of one.
    Charge,
    /// The unused time of what is replaced, given back (R12).
    ProrationCredit,
    /// A free trial (amount 0, R11).
    Trial,
    /// Renewal turned off (amount 0, R14).
    Cancel,
    /// Renewal turned back on (amount 0, R14).
    Resume,
}

/// The tax of a quote: one rate for the order (R18).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tax {
    /// The rate in percent (`"22"`), a string like money.
    pub rate: String,
    /// The tax amount, rounded once (R17).
    pub amount: Money,
    /// Whether the customer accounts for VAT itself (an EU business abroad, R18): rate 0.
    pub reverse_charge: bool,
    /// The customer's country.
    pub country: String,
}

/// An order placed in the checkout (`201` of `POST /api/v1/orders`, an entry of the billing
/// history, its receipt). It holds the quote's fields, then what placing it added.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Order {
    /// The catalog version the prices come from (R7).
    pub catalog_version: Date,
    /// The date the order was priced at.
    pub as_of: Date,
    /// The account's currency (ISO 4217).
    pub currency: String,
    /// The lines, in item order.
    pub lines: Vec<Line>,
    /// The sum of the lines, before tax.
    pub subtotal: Money,
    /// The tax (R18).
    pub tax: Tax,
    /// Subtotal plus tax.
    pub total: Money,
    /// What the account's credit paid (R19).
    pub credit_applied: Money,
    /// What the payment method was (or is to be) charged.
    pub amount_due: Money,
    /// The credit left after the order.
    pub credit_after: Money,
    /// The order id (`ord_...`).
    pub id: String,
    /// Always `order` (S60); renewals are entries of their own ([`crate::Renewal`]).
    pub kind: OrderKind,
    /// When it was placed.
    pub placed_at: Timestamp,
    /// Whether it was paid.
    pub status: OrderStatus,
    /// Whether seats were added, so licenses are to be assigned.
    pub assign_licenses: bool,
    /// The cancellation reasons given with the order (R29, S55); absent when none was.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cancellation_reasons: Vec<CancellationReason>,
    /// The history list (`GET /api/v1/orders`) and the receipt (`GET /api/v1/orders/{id}`)
    /// only: the billing information the order was placed with (R27, S77), null for an order
    /// placed before receipts kept it. Absent from the `201` answer.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<BillingInfo>))]
    pub billing_info: Option<Option<BillingInfo>>,
}

impl Order {
    /// A new order from its quote, with no cancellation reason and no billing
    /// information (a receipt adds it).
    pub fn from_quote(
        quote: Quote,
        id: String,
        placed_at: Timestamp,
        status: OrderStatus,
        assign_licenses: bool,
    ) -> Order {
        Order {
            catalog_version: quote.catalog_version,
            as_of: quote.as_of,
            currency: quote.currency,
            lines: quote.lines,
            subtotal: quote.subtotal,
            tax: quote.tax,
            total: quote.total,
            credit_applied: quote.credit_applied,
            amount_due: quote.amount_due,
            credit_after: quote.credit_after,
            id,
            kind: OrderKind::Order,
            placed_at,
            status,
            assign_licenses,
            cancellation_reasons: Vec::new(),
            billing_info: None,
        }
    }
}

/// The kind of an order entry: always `order` (S60).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrderKind {
    /// Placed in the checkout.
    Order,
}

/// Whether an order was paid (a renewal's statuses are [`crate::RenewalStatus`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// The amount due was charged.
    Paid,
    /// Nothing was due (the credit covered it, or it cost nothing).
    NoPaymentNeeded,
}

/// A cancellation reason as stored with its order (R29, S55).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CancellationReason {
    /// The index of the cancel item.
    pub item: u32,
    /// The subscription cancelled.
    pub subscription: String,
    /// The reason's code.
    pub code: CancelReasonCode,
    /// The customer's own words, trimmed, or null.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub text: Option<String>,
}

/// The billing history (`GET /api/v1/orders`), newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Orders {
    /// Orders and renewals, newest first (R28, S73).
    pub orders: Vec<HistoryEntry>,
}
