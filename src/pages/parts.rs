//! Pieces several screens share: the live order summary and the cart panel.

use billing::order::ItemInput;
use billing::{Money, Quote};
use leptos::prelude::*;

use crate::browser;
use crate::i18n::{Key, Lang, Translate, fill};
use crate::model::{AccountData, Draft, order_request, preview};
use crate::state::{Ctx, Screen};
use crate::summary::{self, Row};

/// The order being previewed: the engine's quote, or the error code.
#[derive(Clone, Debug, PartialEq)]
pub struct Preview {
    /// The quote, or the api.md error code of the rejection.
    pub quote: Result<Quote, String>,
    /// Whether the engine refused the VAT id field's id (R21, S12), so the order was priced with
    /// the id on file instead: the rest of the summary and the payment stay in view.
    pub vat_refused: bool,
}

/// The preview's code while the editor's seat field holds no seat count.
pub const SEATS_ENTRY: &str = "seats_entry";

/// The live preview of the cart (with the editor's draft when `with_draft`, with the review
/// page's VAT id when `with_vat`), recomputed by the engine in the browser at each change, with
/// no request (issue 4, item 4).
pub fn use_preview(ctx: Ctx, with_draft: bool, with_vat: bool) -> Memo<Option<Preview>> {
    Memo::new(move |_| {
        let account = ctx.account.get()?;
        if with_draft && ctx.seats_invalid.get() {
            // The seat field holds no seat count: no total for the last valid one (issue 12).
            return Some(Preview {
                quote: Err(SEATS_ENTRY.to_owned()),
                vat_refused: false,
            });
        }
        let draft = if with_draft {
            ctx.draft.get().and_then(|d: Draft| d.item(&account))
        } else {
            None
        };
        let items = ctx
            .cart
            .with(|cart| cart.with_draft(draft.as_ref(), &account));
        if items.is_empty() {
            return None;
        }
        let vat = if with_vat {
            ctx.vat_text.get()
        } else {
            account.view.vat_id.clone().unwrap_or_default()
        };
        let on_file = account.view.vat_id.as_deref();
        let price = |vat: &str| {
            let request = order_request(items.clone(), vat, on_file);
            ctx.catalog
                .with(|catalog| preview(catalog, &account, &request))
                .map_err(|error| error.code().to_owned())
        };
        let mut quote = price(&vat);
        let vat_refused = matches!(&quote, Err(code) if code == "invalid_vat_id");
        if vat_refused {
            // The field's id is refused: the rest of the order is priced with the id on file, so
            // the summary and the payment stay in view while the field says what is wrong.
            quote = price(on_file.unwrap_or(""));
        }
        Some(Preview { quote, vat_refused })
    })
}

/// The heading of a screen, where the focus moves when the screen opens (`#page-title`).
pub fn page_title(ctx: Ctx, key: Key) -> AnyView {
    view! { <h1 id="page-title" tabindex="-1">{ctx.text(key)}</h1> }.into_any()
}

/// A button that opens another screen. One function for all of them, so that the renderer and
/// the click handler are compiled once rather than once per button (bundle size).
pub fn go_button(ctx: Ctx, class: &'static str, key: Key, to: Screen) -> AnyView {
    view! {
        <button type="button" class=class on:click=move |_| ctx.go(to.clone())>
            {ctx.text(key)}
        </button>
    }
    .into_any()
}

/// A secondary button that loads the billing history, an account page of its own (S107), with
/// the text of `key` ("Visualizza tutta l'attività", "Indietro" on a receipt).
pub fn history_button(ctx: Ctx, key: Key) -> AnyView {
    view! {
        <button type="button" class="secondary" on:click=move |_| browser::leave_for(crate::route::HISTORY_PAGE)>
            {ctx.text(key)}
        </button>
    }
    .into_any()
}

/// The text of `key`, which ends its sentence with `{phone}, {url}`, with those two as links to
/// Customer Care (`tel:` and the support page), so a phone can call and a browser open them
/// (issue 12). One fixed shape for every such text, so one renderer (bundle size).
pub fn with_support_links(ctx: Ctx, lang: Lang, key: Key) -> AnyView {
    let support = ctx.catalog.with(|c| c.support().clone());
    let text = lang.t(key);
    let (before, after) = text.split_once("{phone}, {url}").unwrap_or((text, ""));
    // A tel: URI has no spaces (RFC 3966 allows only '-' and '.' as visual separators).
    let tel = format!("tel:{}", support.phone.replace(' ', ""));
    let url = support.url.clone();
    view! {
        {before}
        <a href=tel>{support.phone}</a>
        ", "
        <a href=url>{support.url}</a>
        {after}
    }
    .into_any()
}

/// The message of an error code of the engine or the API.
pub fn error_text(ctx: Ctx, code: &str) -> String {
    ctx.message(crate::i18n::refusal_key(code))
}

/// The amount due beside the primary action, for a phone (issue 14, S98): placed in the row of
/// the primary action, which stays at the bottom of the screen while the page scrolls; its button
/// brings the full summary into view. On a wide screen, where the summary stands beside the
/// form, the style sheet hides it. No amount is shown while the order has none (a seat field
/// that holds no seat count, S43).
pub fn total_bar(ctx: Ctx, preview: Memo<Option<Preview>>) -> AnyView {
    let amount = move || {
        let account = ctx.account.get()?;
        let lang = ctx.lang.get();
        preview.with(|p| {
            let quote = p.as_ref()?.quote.as_ref().ok()?;
            Some(summary::money(lang, &account, quote.amount_due))
        })
    };
    view! {
        <p class="total-bar">
            <span>
                {ctx.text(Key::AmountDue)} " "
                <strong class="total-bar__amount">{move || amount().unwrap_or_default()}</strong>
            </span>
            <button
                type="button"
                class="link-button"
                on:click=move |_| crate::browser::focus("summary-title")
            >
                {ctx.text(Key::ShowSummary)}
            </button>
        </p>
    }
    .into_any()
}

/// The rows of a summary table.
#[component]
pub fn SummaryRows(
    /// The rows.
    rows: Vec<Row>,
) -> impl IntoView {
    let rows = rows
        .into_iter()
        .map(|row| {
            view! {
                <tr class=row.class>
                    <th scope="row">{row.label}</th>
                    <td>{row.amount}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="summary-table">
            <tbody>{rows}</tbody>
        </table>
    }
}

/// How long the amount due waits for the customer to stop changing the order before the live
/// region announces it: longer than the pause between two keys of one number, short enough to
/// follow a click on "+".
const ANNOUNCE_PAUSE: std::time::Duration = std::time::Duration::from_millis(700);

/// The order summary beside an editor or on the review page; announces the amount due in the
/// live region once the changes pause.
#[component]
pub fn Summary(
    /// The preview to show.
    preview: Memo<Option<Preview>>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    // The announcement waiting for the typing to pause; a newer amount replaces it.
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let cancel = move || pending.update_value(|p| p.take().iter().for_each(TimeoutHandle::clear));
    Effect::new(move |previous: Option<Option<Money>>| {
        let due = preview.with(|p| {
            p.as_ref()
                .and_then(|p| p.quote.as_ref().ok())
                .map(|q| q.amount_due)
        });
        let lang = ctx.lang.get();
        if let (Some(amount), Some(account)) = (due, ctx.account.get_untracked())
            && previous.is_some()
            && previous != Some(due)
        {
            let amount = summary::money(lang, &account, amount);
            let text = fill(lang.t(Key::AmountDueAnnounce), &[("amount", &amount)]);
            cancel();
            // Only the amount of the count typed last is announced (issue 14): "12" typed is one
            // announcement, not one for "1" and another for "12". A browser that refuses the
            // timer announces nothing, as a screen reader interrupted by the next key would.
            let handle =
                set_timeout_with_handle(move || ctx.announce.set(text), ANNOUNCE_PAUSE).ok();
            pending.set_value(handle);
        }
        due
    });
    on_cleanup(cancel);
    let body = move || {
        let lang = ctx.lang.get();
        let account = ctx.account.get()?;
        // Read in place rather than cloned (the memo's `get` would be compiled for it alone).
        Some(preview.with(|preview| match preview {
            None => view! { <p class="muted">{lang.t(Key::NoChange)}</p> }.into_any(),
            Some(Preview {
                quote: Err(code), ..
            }) => view! { <p class="error">{error_text(ctx, code)}</p> }.into_any(),
            Some(Preview {
                quote: Ok(quote), ..
            }) => {
                let rows = ctx
                    .catalog
                    .with(|catalog| summary::rows(lang, catalog, &account, quote));
                view! { <SummaryRows rows /> }.into_any()
            }
        }))
    };
    view! {
        <aside class="summary card" aria-labelledby="summary-title">
            <h2 id="summary-title" tabindex="-1">{ctx.text(Key::Summary)}</h2>
            {body}
        </aside>
    }
}

/// The cart's items with a remove button each, as list items (the cart panel and the review page
/// share them). `heading` is the id of the list's heading (focusable with `tabindex="-1"`), where
/// the focus goes when an item is removed with its button.
pub fn cart_items(
    ctx: Ctx,
    lang: Lang,
    account: &AccountData,
    items: &[ItemInput],
    heading: &'static str,
) -> AnyView {
    items
        .iter()
        .enumerate()
        .map(|(index, item)| {
            let name = ctx
                .catalog
                .with(|c| summary::item_name(lang, c, account, item));
            let label = fill(lang.t(Key::RemoveItemLabel), &[("item", &name)]);
            view! {
                <li>
                    <span>{name}</span>
                    <button
                        type="button"
                        class="link-button"
                        aria-label=label
                        on:click=move |_| {
                            ctx.remove_from_cart(index);
                            // The button is gone with its item (issue 14): the focus goes to the
                            // list's heading, the count follows it; to the page's heading once
                            // the cart, and with it the list, is gone.
                            if ctx.cart.with_untracked(|c| c.is_empty()) {
                                crate::browser::focus_heading();
                            } else {
                                crate::browser::focus(heading);
                            }
                        }
                    >
                        {lang.t(Key::RemoveItem)}
                    </button>
                </li>
            }
        })
        .collect_view()
        .into_any()
}

/// The cart: its items with a remove button each, and "Completa la transazione".
#[component]
pub fn CartPanel() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    move || {
        // Read in place rather than cloned (the cart signal's `get` would be compiled for it alone).
        let count = ctx.cart.with(|cart| cart.items().len());
        if count == 0 {
            return None;
        }
        let lang = ctx.lang.get();
        let account = ctx.account.get()?;
        let items = ctx
            .cart
            .with(|cart| cart_items(ctx, lang, &account, cart.items(), "cart-title"));
        let count = crate::i18n::counted(lang, count as u64, Key::CartItemsOne, Key::CartItems);
        Some(
            view! {
                <section class="cart card" aria-labelledby="cart-title">
                    <h2 id="cart-title" tabindex="-1">{lang.t(Key::Cart)}</h2>
                    <p class="muted">{count}</p>
                    <ul class="cart-items">{items}</ul>
                    <div class="actions">
                        {go_button(ctx, "primary", Key::CompleteTransaction, Screen::Review)}
                        <button type="button" class="secondary" on:click=move |_| ctx.clear_cart()>
                            {lang.t(Key::EmptyCart)}
                        </button>
                    </div>
                </section>
            }
            .into_any(),
        )
    }
}
