//! The optional reason of each renewal the order turns off (R29, S106), asked on the review page
//! and kept with the cart's cancel item, so that a reload keeps it (S92) and the order request
//! carries it (api.md v1.1).

use leptos::prelude::*;

use crate::i18n::Key;
use crate::model::{Cart, REASON_CODES};
use crate::state::Ctx;
use crate::summary;

/// The choices of a reason: "no answer" first, then api.md's codes (R29).
const OPTIONS: [(&str, Key); 6] = [
    ("", Key::ReasonNone),
    (REASON_CODES[0], Key::ReasonTooExpensive),
    (REASON_CODES[1], Key::ReasonMissingFeatures),
    (REASON_CODES[2], Key::ReasonSwitching),
    (REASON_CODES[3], Key::ReasonNotUsing),
    (REASON_CODES[4], Key::ReasonOther),
];

/// One group of fields per cancel item of `cart`: a choice among api.md's codes and a note,
/// showing the reason the cart keeps. The review page's cart panel builds them with its items,
/// so a removed item takes its group along; writing a reason does not build them anew (see
/// [`ReasonGroup`]).
pub fn reason_groups(cart: &Cart) -> impl IntoView + use<> {
    // Components in a list share the app's one list renderer (bundle size).
    cart.cancellations()
        .map(|subscription| {
            let (code, text) = cart
                .reason(subscription)
                .map(|r| (r.code.clone(), r.text.clone()))
                .unwrap_or_default();
            let subscription = subscription.clone();
            view! { <ReasonGroup subscription code text /> }
        })
        .collect_view()
}

/// The group of one subscription's reason.
#[component]
fn ReasonGroup(
    /// The subscription whose renewal the order turns off.
    subscription: String,
    /// The code the cart keeps, `""` for none.
    mut code: String,
    /// The note the cart keeps.
    mut text: String,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let legend = ctx
        .account
        .with_untracked(|account| {
            let sub = account.as_ref()?.subscription(&subscription)?;
            Some(
                ctx.catalog
                    .with_untracked(|c| summary::product_name(c, &sub.product)),
            )
        })
        .unwrap_or_default()
        + ": ";
    let code_id = ["reason-code-", &subscription].concat();
    let text_id = ["reason-text-", &subscription].concat();
    // The options from one table, each selected as the page opens when it is the kept code.
    let options = OPTIONS
        .iter()
        .map(|&(value, key)| view! { <ReasonOption value key selected=code == value /> })
        .collect_view();
    let initial_text = text.clone();
    // Both fields report to the group's one handler (`change` bubbles), which gives the cart
    // item the reason the two make together.
    let on_change = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        if event_target::<web_sys::Element>(&ev).tag_name() == "SELECT" {
            code = value;
        } else {
            text = value;
        }
        // Untracked: a reason changes no price (S55), and the cart panel around the group must
        // not be built anew while the customer is in it.
        ctx.cart
            .update_untracked(|cart| cart.set_reason(&subscription, &code, &text));
        ctx.save_cart();
    };
    view! {
        <fieldset class="card" on:change=on_change>
            <legend>{legend}{ctx.text(Key::ReasonQuestion)}</legend>
            <label for=code_id.clone()>{ctx.text(Key::ReasonCode)}</label>
            <select id=code_id>{options}</select>
            <label for=text_id.clone()>{ctx.text(Key::ReasonText)}</label>
            <textarea id=text_id maxlength="500">{initial_text}</textarea>
        </fieldset>
    }
}

/// One choice of the reason's list.
#[component]
fn ReasonOption(
    /// The code sent, `""` for "no answer".
    value: &'static str,
    /// Its text.
    key: Key,
    /// Whether it is the kept code.
    selected: bool,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    view! { <option value=value selected=selected>{ctx.text(key)}</option> }
}
