//! After the order: the confirmation (R22), the trial confirmation (R11) and an order's printable
//! receipt. The billing history is an account page (`/account/history`, S107).

use leptos::prelude::*;

use crate::browser;
use crate::i18n::{Key, Translate, fill};
use crate::model::PlacedOrder;
use crate::pages::parts::{SummaryRows, go_button, history_button, page_title};
use crate::state::{Ctx, Screen};
use crate::summary;

/// The rows of a placed order's quote (its lines have no cart items to name them, so a line's
/// own description is used when the items are gone).
fn order_rows(ctx: Ctx, order: &PlacedOrder) -> Option<Vec<summary::Row>> {
    let lang = ctx.lang.get();
    let account = ctx.account.get()?;
    Some(
        ctx.catalog
            .with(|c| summary::rows(lang, c, &account, &order.quote)),
    )
}

/// The confirmation: lines, new period, total paid, receipt e-mail, assign licenses (R22).
#[component]
pub fn Confirmation(
    /// The order just placed.
    order: PlacedOrder,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let body = move || {
        let lang = ctx.lang.get();
        let account = ctx.account.get()?;
        let rows = order_rows(ctx, &order)?;
        let paid = summary::money(lang, &account, order.quote.amount_due);

        let assign = order
            .assign_licenses
            .then(|| view! { <p class="note">{lang.t(Key::AssignLicenses)}</p> });
        Some(
            view! {
                // The lines say in words what each item did (a cancellation or a resume starts
                // no new period), so the lead claims nothing itself.
                <p class="lead">{lang.t(Key::ConfirmText)}</p>
                <p class="muted">{fill(lang.t(Key::OrderNumber), &[("id", &order.id)])}</p>
                <SummaryRows rows />
                <p class="total-paid">
                    <strong>{lang.t(Key::TotalPaid)}</strong>
                    " "
                    <span id="total-paid">{paid}</span>
                </p>
                <p>{lang.t(Key::ReceiptMail)}</p>
                {assign}
            }
            .into_any(),
        )
    };
    view! {
        <section class="card">
            {page_title(ctx, Key::ConfirmTitle)}
            {body}
            <div class="actions">
                {go_button(ctx, "primary", Key::BackToOverview, Screen::Overview)}
                {history_button(ctx, Key::ViewAllActivity)}
            </div>
        </section>
    }
}

/// The trial's confirmation screen: the end date and the welcome e-mail (R11).
#[component]
pub fn TrialStarted(
    /// The trial order.
    order: PlacedOrder,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let text = move || {
        let lang = ctx.lang.get();
        let line = order.quote.lines.first()?;
        // The trial's product and tier, as its line names them; its last day is the day before
        // the (exclusive) end (R8, S17).
        let product = ctx.catalog.with(|c| {
            summary::line_subject(c, line).map(|(p, t)| format!("{} {}", p.name(), t.name()))
        })?;
        let last = line.period_end.pred_opt()?;
        Some(fill(
            lang.t(Key::TrialText),
            &[("product", &product), ("end", &browser::date(lang, last))],
        ))
    };
    let text = move || text().unwrap_or_default();
    view! {
        <section class="card">
            {page_title(ctx, Key::TrialTitle)}
            <p class="lead">{text}</p>
            <div class="actions">
                {go_button(ctx, "primary", Key::BackToOverview, Screen::Overview)}
            </div>
        </section>
    }
}

/// One printable receipt.
#[component]
pub fn Receipt(
    /// The order.
    order: PlacedOrder,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let body = move || {
        let lang = ctx.lang.get();
        let account = ctx.account.get()?;
        let rows = order_rows(ctx, &order)?;
        // The billing information it was placed with (R27, S77).
        let billed = (!order.billed_to.is_empty()).then(|| {
            view! {
                <p id="billed-to">
                    <strong>{lang.t(Key::BilledTo)}</strong>
                    <br />
                    {order.billed_to.join(", ")}
                </p>
            }
        });
        let date = order
            .date()
            .map(|d| browser::date(lang, d))
            .unwrap_or_default();
        Some(
            view! {
                <p>
                    <strong>{account.view.name.clone()}</strong>
                    <br />
                    {fill(lang.t(Key::OrderNumber), &[("id", &order.id)])}
                    <br />
                    {date}
                </p>
                {billed}
                <SummaryRows rows />
                <p>{lang.t(if order.paid { Key::Paid } else { Key::NoPayment })}</p>
            }
            .into_any(),
        )
    };
    view! {
        <article class="card receipt">
            {page_title(ctx, Key::ReceiptTitle)}
            {body}
            <div class="actions no-print">
                <button type="button" class="primary" on:click=move |_| browser::print()>
                    {ctx.text(Key::Print)}
                </button>
                {history_button(ctx, Key::Back)}
            </div>
        </article>
    }
}
