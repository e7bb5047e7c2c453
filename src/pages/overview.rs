//! The account overview ("Centro fatturazione").

use billing::order::ItemInput;
use billing::{Money, SubscriptionStatus};
use chrono::NaiveDate;
use leptos::prelude::*;

use crate::i18n::{Key, Lang, Translate, fill};
use crate::model::{AccountData, Draft, MenuAction, SubscriptionView};
use crate::pages::parts::{CartPanel, go_button, history_button, with_support_links};
use crate::state::{Ctx, Screen};
use crate::summary;

/// Puts a menu item (cancel, resume) in the cart: straight to the review page when the cart was
/// empty, else with a notice (the seeds' "Aggiungi al carrello").
fn order_item(ctx: Ctx, item: ItemInput) {
    let was_empty = ctx.cart.with_untracked(|c| c.is_empty());
    let replaced = ctx.put_in_cart(item);
    if was_empty {
        ctx.go(Screen::Review);
    } else {
        ctx.notice.set(Some(replaced_or_added(ctx, replaced)));
    }
}

/// "Aggiunto al carrello", or the replacement notice naming the product.
pub fn replaced_or_added(ctx: Ctx, replaced: Option<String>) -> String {
    let lang = ctx.lang.get_untracked();
    match replaced {
        Some(product) => {
            let name = ctx
                .catalog
                .with_untracked(|c| summary::product_name(c, &product));
            fill(lang.t(Key::Replaced), &[("product", &name)])
        }
        None => lang.t(Key::Added).to_owned(),
    }
}

fn run(ctx: Ctx, action: MenuAction, sub: &SubscriptionView) {
    match action {
        MenuAction::Change => {
            ctx.draft.set(Some(Draft::change(sub)));
            ctx.go(Screen::Editor);
        }
        MenuAction::Reactivate => {
            ctx.draft.set(Some(Draft::reactivate(sub)));
            ctx.go(Screen::Editor);
        }
        MenuAction::SubscribeNow => {
            // R13: a trial is bought with a Buy item on the same product, from its trial tier.
            let draft = ctx.catalog.with_untracked(|c| Draft::buy(c, &sub.product));
            ctx.draft.set(draft.map(|mut d| {
                d.tier = sub.tier.clone();
                d
            }));
            ctx.go(Screen::Editor);
        }
        MenuAction::Cancel => order_item(
            ctx,
            ItemInput::Cancel {
                subscription: sub.id.clone(),
                reason: None,
            },
        ),
        MenuAction::Resume => order_item(
            ctx,
            ItemInput::Resume {
                subscription: sub.id.clone(),
            },
        ),
    }
}

/// "93,94 € il 1 dic 2026", with the credit that pays part of it (R16, R19).
fn next_payment_text(
    lang: Lang,
    account: &AccountData,
    date: NaiveDate,
    amount: Money,
    credit_applied: Money,
) -> String {
    let amount = summary::money(lang, account, amount);
    let date = crate::browser::date(lang, date);
    let text = fill(
        lang.t(Key::NextPaymentText),
        &[("amount", &amount), ("date", &date)],
    );
    if credit_applied.is_zero() {
        return text;
    }
    let credit = summary::money(lang, account, credit_applied);
    let credit = fill(lang.t(Key::CreditAppliedText), &[("amount", &credit)]);
    format!("{text} ({credit})")
}

fn action_key(action: MenuAction) -> Key {
    match action {
        MenuAction::Change => Key::ChangeSubscription,
        MenuAction::Cancel => Key::CancelRenewal,
        MenuAction::Resume => Key::Resume,
        MenuAction::SubscribeNow => Key::SubscribeNow,
        MenuAction::Reactivate => Key::Reactivate,
    }
}

fn status_key(status: SubscriptionStatus) -> Key {
    match status {
        SubscriptionStatus::Trial => Key::StatusTrial,
        SubscriptionStatus::Active => Key::StatusActive,
        SubscriptionStatus::PendingCancellation => Key::StatusPending,
        SubscriptionStatus::Expired => Key::StatusExpired,
    }
}

/// The options menu of one subscription: a disclosure button and the actions its status allows.
#[component]
fn OptionsMenu(sub: SubscriptionView, product: String) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let open = RwSignal::new(false);
    let button = NodeRef::<leptos::html::Button>::new();
    // The menu's items hide with it: the focus goes back to the button that opened it (issue 14).
    // An action that opens another screen moves it on to that screen's heading after the render.
    let close = move || {
        open.set(false);
        if let Some(button) = button.get_untracked() {
            let _ = button.focus();
        }
    };
    let menu_id = format!("menu-{}", sub.id);
    let label = move || fill(ctx.t(Key::OptionsFor), &[("product", &product)]);
    // The actions follow the status, which the card does not change: built once.
    let items = sub
        .actions()
        .iter()
        .map(|&action| {
            let sub = sub.clone();
            view! {
                <li>
                    <button
                        type="button"
                        class="menu-item"
                        on:click=move |_| {
                            close();
                            run(ctx, action, &sub);
                        }
                    >
                        {ctx.text(action_key(action))}
                    </button>
                </li>
            }
        })
        .collect_view();
    view! {
        <div
            class="options"
            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                if ev.key() == "Escape" && open.get_untracked() {
                    close();
                }
            }
        >
            <button
                type="button"
                class="options-button"
                node_ref=button
                aria-expanded=move || open.get().to_string()
                aria-controls=menu_id.clone()
                aria-label=label
                on:click=move |_| open.update(|o| *o = !*o)
            >
                {ctx.text(Key::Options)}
            </button>
            <ul id=menu_id.clone() class="options-list" hidden=move || !open.get()>
                {items}
            </ul>
        </div>
    }
}

/// One subscription as a card: product, tier, seats, frequency, status, period, options.
#[component]
fn SubscriptionCard(sub: SubscriptionView, can_order: bool) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let (product, tier) = ctx.catalog.with_untracked(|c| {
        (
            summary::product_name(c, &sub.product),
            summary::tier_name(c, &sub.product, &sub.tier),
        )
    });
    let heading_id = format!("sub-{}", sub.id);
    let labelled_by = heading_id.clone();
    let menu = can_order.then(|| view! { <OptionsMenu sub=sub.clone() product=product.clone() /> });
    let s = sub.clone();
    let details = move || {
        let lang = ctx.lang.get();
        let period = summary::range(lang, s.period_start, s.period_end);
        let account = ctx.account.get()?;
        let next = ctx
            .catalog
            .with(|c| account.next_payment_of(c, &s.id))
            .map(|next| {
                next_payment_text(lang, &account, next.date, next.amount, next.credit_applied)
            })
            .unwrap_or_else(|| {
                let key = if s.status == SubscriptionStatus::PendingCancellation
                    || s.status == SubscriptionStatus::Trial
                {
                    Key::EndsOn
                } else {
                    Key::NoNextPayment
                };
                fill(
                    lang.t(key),
                    &[("date", &crate::browser::date(lang, s.period_end))],
                )
            });
        Some(
            view! {
                <dl class="facts">
                    <div>
                        <dt>{lang.t(Key::ChoosePlan)}</dt>
                        <dd>{tier.clone()}</dd>
                    </div>
                    <div>
                        <dt>{lang.t(Key::Seats)}</dt>
                        <dd>{summary::seats_text(lang, s.seats)}</dd>
                    </div>
                    <div>
                        <dt>{lang.t(Key::Frequency)}</dt>
                        <dd>{summary::frequency_name(lang, s.frequency)}</dd>
                    </div>
                    <div>
                        <dt>{lang.t(Key::Status)}</dt>
                        <dd>
                            <span class=format!(
                                "badge {}",
                                s.status.as_str(),
                            )>{lang.t(status_key(s.status))}</span>
                        </dd>
                    </div>
                    <div>
                        <dt>{lang.t(Key::CurrentPeriod)}</dt>
                        <dd>{period}</dd>
                    </div>
                    <div>
                        <dt>{lang.t(Key::NextPayment)}</dt>
                        <dd>{next}</dd>
                    </div>
                </dl>
            }
            .into_any(),
        )
    };
    view! {
        <li class="card subscription" aria-labelledby=labelled_by>
            <div class="card-head">
                <h3 id=heading_id>{product.clone()}</h3>
                {menu}
            </div>
            {details}
        </li>
    }
}

/// The notices of the roles and states: read-only users (R1), corporate accounts (R2).
#[component]
fn RoleNotice(account: AccountData) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    move || {
        let lang = ctx.lang.get();
        let view = &account.view;
        if view.kind == billing::AccountKind::Corporate {
            Some(
                view! {
                    <section class="notice-box" aria-labelledby="role-title">
                        <h2 id="role-title">{lang.t(Key::CorporateTitle)}</h2>
                        <p>{lang.t(Key::CorporateText)}</p>
                        <p>
                            <a href="https://corporate-billing.example/">
                                {lang.t(Key::CorporateLink)}
                            </a>
                        </p>
                    </section>
                }
                .into_any(),
            )
        } else if !view.is_billing_contact {
            // An account without a billing contact (S50) cannot point to one: the text sends
            // the user to Customer Care instead (the text of the refusal that would name it).
            let text = match view.contact_label() {
                Some(contact) => fill(lang.t(Key::ReadOnlyText), &[("contact", &contact)]),
                None => ctx.message(Key::NoBillingContact),
            };
            Some(
                view! {
                    <section class="notice-box" aria-labelledby="role-title">
                        <h2 id="role-title">{lang.t(Key::ReadOnlyTitle)}</h2>
                        <p>{text}</p>
                    </section>
                }
                .into_any(),
            )
        } else {
            None
        }
    }
}

/// The account overview: role notices, cart, subscriptions, next payment, credit, history link.
#[component]
pub fn Overview() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    move || {
        let account = ctx.account.get()?;
        let lang = ctx.lang.get();
        let can_order = account.can_order();
        let cards = account
            .view
            .subscriptions
            .iter()
            .map(|sub| view! { <SubscriptionCard sub=sub.clone() can_order /> })
            .collect_view();
        let next = match &account.view.next_payment {
            Some(next) => {
                next_payment_text(lang, &account, next.date, next.amount, next.credit_applied)
            }
            None => lang.t(Key::NoNextPayment).to_owned(),
        };
        let credit = summary::money(lang, &account, account.view.credit);
        let refund = with_support_links(ctx, lang, Key::CreditRefund);
        let add = can_order.then(|| {
            view! {
                {go_button(ctx, "secondary", Key::AddSubscription, Screen::Add)}
            }
        });
        Some(
            view! {
                <h1 id="page-title" tabindex="-1">{lang.t(Key::AppName)}</h1>
                <RoleNotice account=account.clone() />
                {can_order.then(|| view! { <CartPanel /> })}
                <section aria-labelledby="subs-title">
                    <div class="section-head">
                        <h2 id="subs-title">{lang.t(Key::Subscriptions)}</h2>
                        {add}
                    </div>
                    <ul class="cards">{cards}</ul>
                </section>
                <section class="card account-facts" aria-labelledby="billing-title">
                    <h2 id="billing-title">{lang.t(Key::NextPayment)}</h2>
                    <p>{next}</p>
                    <h2>{lang.t(Key::AccountCredit)}</h2>
                    <p class="credit-amount">{credit}</p>
                    <p class="muted">{refund}</p>
                    {history_button(ctx, Key::ViewAllActivity)}
                    // The account pages are a bundle of their own with their own texts
                    // (crates/account, issue 15); this link, the checkout's one tie to them,
                    // carries its two texts here.
                    <a href="/account/">
                        {match lang {
                            Lang::It => "Metodi di pagamento, dati di fatturazione e contatto",
                            Lang::En => "Payment methods, billing information and contact",
                        }}
                    </a>
                </section>
            }
            .into_any(),
        )
    }
}
