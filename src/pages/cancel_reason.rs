//! The optional reason of each renewal the order turns off (R29, S106), asked on the review page
//! and kept with the cart's cancel item, so that a reload keeps it (S92) and the order request
//! carries it (api.md v1.1).

use billing::order::ItemInput;
use leptos::prelude::*;

use crate::i18n::Key;
use crate::model::{REASON_CODES, cancel_reason, reason_parts};
use crate::state::Ctx;
use crate::summary;

/// One group of fields per cancel item of the cart: a choice among api.md's codes and a note.
///
/// The groups are built once, from the cart as the page opens, rather than on every change of
/// the cart: writing a reason into the cart must not build the fields anew while the customer
/// is in them. A cancel item removed on this page hides its group; none is added here.
#[component]
pub fn CancelReasons() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let kept: Vec<(String, String, String)> = ctx.cart.with_untracked(|cart| {
        cart.cancellations()
            .map(|(subscription, reason)| {
                let (code, text) = reason.map(reason_parts).unwrap_or_default();
                (subscription.to_owned(), code.to_owned(), text.to_owned())
            })
            .collect()
    });
    kept.into_iter()
        .map(|(subscription, mut code, mut text)| {
            let product = ctx.account.with_untracked(|account| {
                let sub = account.as_ref()?.subscription(&subscription)?;
                Some(ctx.catalog.with_untracked(|c| summary::product_name(c, &sub.product)))
            });
            let code_id = ["reason-code-", &subscription].concat();
            let text_id = ["reason-text-", &subscription].concat();
            // Static options, each selected as the page opens when it is the kept code.
            let option = |value: &'static str, key: Key| {
                view! { <option value=value selected=code == value>{ctx.text(key)}</option> }
            };
            let options = (
                option("", Key::ReasonNone),
                option(REASON_CODES[0], Key::ReasonTooExpensive),
                option(REASON_CODES[1], Key::ReasonMissingFeatures),
                option(REASON_CODES[2], Key::ReasonSwitching),
                option(REASON_CODES[3], Key::ReasonNotUsing),
                option(REASON_CODES[4], Key::ReasonOther),
            );
            let initial_text = text.clone();
            let shown = subscription.clone();
            // Both fields report to the group's one handler (`change` bubbles), which writes the
            // item anew with the reason the two make together.
            let on_change = move |ev: leptos::ev::Event| {
                let value = event_target_value(&ev);
                if event_target::<web_sys::Element>(&ev).tag_name() == "SELECT" {
                    code = value;
                } else {
                    text = value;
                }
                ctx.put_in_cart(ItemInput::Cancel {
                    subscription: subscription.clone(),
                    reason: cancel_reason(&code, &text),
                });
            };
            view! {
                <fieldset
                    class="card"
                    hidden=move || ctx.cart.with(|c| c.cancellations().all(|(s, _)| s != shown))
                    on:change=on_change
                >
                    <legend>{product}": "{ctx.text(Key::ReasonQuestion)}</legend>
                    <div class="field">
                        <label for=code_id.clone()>{ctx.text(Key::ReasonCode)}</label>
                        <select id=code_id>{options}</select>
                    </div>
                    <div class="field">
                        <label for=text_id.clone()>{ctx.text(Key::ReasonText)}</label>
                        <textarea id=text_id maxlength="500" rows="3">{initial_text}</textarea>
                    </div>
                </fieldset>
            }
        })
        .collect_view()
}
