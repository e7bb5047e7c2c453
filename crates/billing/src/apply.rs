//! Placing an order: the same pricing as the quote, then its effects on the account (R10-R15,
//! R19, R21, R22).

use chrono::NaiveDate;

use crate::account::{Account, Subscription};
use crate::catalog::Catalog;
use crate::error::OrderError;
use crate::order::Order;
use crate::quote::{Quote, plan};

/// A placed order: its quote and the account as it stands afterwards.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placement {
    /// The quote the order was placed at; identical to [`crate::quote()`] for the same inputs.
    pub quote: Quote,
    /// The account after the order: subscriptions updated, credit settled (R19), VAT id saved
    /// (R21).
    pub account: Account,
    /// Whether seats were added, so the confirmation reminds the customer to assign them (R22).
    pub assign_licenses: bool,
}

/// Prices `order` and applies it to `account` at `as_of`.
///
/// New subscriptions get their ids from `new_subscription_id`, called with the product id; the
/// caller (the server) owns id generation, so the engine stays free of randomness and I/O.
/// Payment is not the engine's business: the caller charges `quote.amount_due` first and keeps
/// the old account if the payment fails (R20).
pub fn apply_order(
    catalog: &Catalog,
    account: &Account,
    order: &Order,
    as_of: NaiveDate,
    mut new_subscription_id: impl FnMut(&str) -> String,
) -> Result<Placement, OrderError> {
    let plan = plan(catalog, account, order, as_of)?;
    let mut after = account.clone();
    let assign_licenses = plan.effects.iter().any(|effect| effect.adds_seats);
    for effect in plan.effects {
        let id = effect
            .existing
            .unwrap_or_else(|| new_subscription_id(&effect.product));
        let subscription = Subscription {
            id,
            product: effect.product,
            tier: effect.tier,
            seats: effect.seats,
            frequency: effect.frequency,
            status: effect.status,
            period: effect.period,
        };
        let subscriptions = after.subscriptions_mut();
        match subscriptions.iter_mut().find(|s| s.id == subscription.id) {
            Some(slot) => *slot = subscription,
            None => subscriptions.push(subscription),
        }
    }
    after.set_credit(plan.quote.credit_after);
    after.set_vat_id(plan.vat_id);
    Ok(Placement {
        quote: plan.quote,
        account: after,
        assign_licenses,
    })
}
