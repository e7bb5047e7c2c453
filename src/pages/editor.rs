//! The plan editors: change a subscription, reactivate one, add a product (buy or try).

use billing::{Frequency, SubscriptionStatus};
use leptos::prelude::*;
use ui::SeatStepper;

use crate::i18n::{Key, Translate, fill};
use crate::model::{Draft, DraftKind, order_request};
use crate::pages::overview::replaced_or_added;
use crate::pages::parts::{
    Summary, go_button, page_title, total_bar, use_preview, with_support_links,
};
use crate::state::{Ctx, Screen};
use crate::summary;

/// Changes the draft in place.
fn edit(ctx: Ctx, change: impl FnOnce(&mut Draft)) {
    ctx.draft.update(|draft| {
        if let Some(draft) = draft {
            change(draft);
        }
    });
}

/// What the editor shows, as memos, so a list is rebuilt only when its own inputs change and the
/// keyboard focus stays where it was (radio groups move the selection with the arrow keys).
#[derive(Clone, Copy)]
struct Chosen {
    product: Memo<Option<String>>,
    kind: Memo<Option<DraftKind>>,
    tier: Memo<Option<String>>,
}

impl Chosen {
    fn new(ctx: Ctx) -> Chosen {
        Chosen {
            product: Memo::new(move |_| ctx.draft.with(|d| d.as_ref().map(|d| d.product.clone()))),
            kind: Memo::new(move |_| ctx.draft.with(|d| d.as_ref().map(|d| d.kind.clone()))),
            tier: Memo::new(move |_| ctx.draft.with(|d| d.as_ref().map(|d| d.tier.clone()))),
        }
    }

    fn is_trial(self) -> bool {
        self.kind.get() == Some(DraftKind::Trial)
    }
}

/// The classes of a tier card. One class attribute rather than `class:selected` and
/// `class:disabled`: a class toggle needs a renderer of its own (bundle size).
fn tier_class(selected: bool, allowed: bool) -> &'static str {
    match (selected, allowed) {
        (false, true) => "tier-card",
        (true, true) => "tier-card selected",
        (false, false) => "tier-card disabled",
        (true, false) => "tier-card selected disabled",
    }
}

/// The tier cards: features and prices, the current one marked, lower ones disabled (R4).
#[component]
fn TierCards() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let chosen = Chosen::new(ctx);
    move || {
        let product_id = chosen.product.get()?;
        let kind = chosen.kind.get()?;
        let account = ctx.account.get()?;
        let lang = ctx.lang.get();
        // Read in place rather than cloned: a clone would compile the catalog signal's `get`.
        ctx.catalog.with(|catalog| {
            let product = catalog.product(&product_id)?.clone();
            let currency = account.view.currency;
            let draft = Draft {
                kind: kind.clone(),
                product: product_id,
                tier: String::new(),
                seats: 1,
                frequency: Frequency::Monthly,
            };
            let current = match &kind {
                DraftKind::Change { subscription } => {
                    account.subscription(subscription).map(|s| s.tier.clone())
                }
                _ => None,
            };
            let mut any_refused = false;
            let cards = product
                .tiers()
                .iter()
                .map(|tier| {
                    let allowed = draft.allows_tier(catalog, &account, tier);
                    any_refused |= !allowed;
                    let id = format!("tier-{}", tier.id());
                    let tier_id = tier.id().to_owned();
                    let (t1, t2) = (tier_id.clone(), tier_id.clone());
                    let checked = move || chosen.tier.get().as_deref() == Some(t1.as_str());
                    let checked_class = checked.clone();
                    let is_current = current.as_deref() == Some(tier.id());
                    let price = |f: Frequency, key: Key| {
                        tier.price(currency, f).map(|p| {
                            fill(lang.t(key), &[("price", &summary::money(lang, &account, p))])
                        })
                    };
                    let monthly = price(Frequency::Monthly, Key::PerSeatMonth);
                    let annual = price(Frequency::Annual, Key::PerSeatYear);
                    let features = tier
                        .features_in(lang.code())
                        .iter()
                        .map(|f| view! { <li>{f.clone()}</li> })
                        .collect_view();
                    let (min, max) = (tier.min_seats(), tier.max_seats());
                    let described = (!allowed).then_some("downgrade-note");
                    view! {
                        <li class=move || tier_class(checked_class(), allowed)>
                            <input
                                type="radio"
                                name="tier"
                                id=id.clone()
                                value=tier_id.clone()
                                prop:checked=checked
                                disabled=!allowed
                                aria-describedby=described
                                on:change=move |_| {
                                    let tier_id = t2.clone();
                                    edit(ctx, move |d| {
                                        d.tier = tier_id;
                                        d.seats = d.seats.clamp(min, max);
                                    });
                                }
                            />
                            <label for=id>
                                <span class="tier-name">{tier.name().to_owned()}</span>
                                {is_current
                                    .then(|| {
                                        view! { <span class="badge current">{lang.t(Key::CurrentPlan)}</span> }
                                    })}
                                <span class="tier-price">{monthly}</span>
                                <span class="tier-price">{annual}</span>
                            </label>
                            <ul class="features">{features}</ul>
                        </li>
                    }
                })
                .collect_view();
            let note = any_refused.then(|| {
                let text = with_support_links(ctx, lang, Key::DowngradeNote);
                view! { <p class="note" id="downgrade-note">{text}</p> }
            });
            Some(
                view! {
                    <fieldset class="tiers-field">
                        <legend>{lang.t(Key::ChoosePlan)}</legend>
                        <ul class="tier-cards">{cards}</ul>
                        {note}
                    </fieldset>
                }
                .into_any(),
            )
        })
    }
}

/// The seat stepper of the chosen tier (shared `ui::SeatStepper`, R5).
#[component]
fn Seats() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    // Plain closures rather than memos: each memo value type compiles a memo of its own, and these
    // are cheap to recompute (bundle size).
    let range = move || {
        let draft = ctx.draft.get()?;
        ctx.catalog.with(|c| {
            let tier = c.product(&draft.product)?.tier(&draft.tier)?;
            Some((tier.min_seats(), tier.max_seats()))
        })
    };
    let value = Signal::derive(move || ctx.draft.get().map_or(1, |d| d.seats));
    let min = Signal::derive(move || range().map_or(1, |r| r.0));
    let max = Signal::derive(move || range().map_or(1, |r| r.1));
    let support = move || ctx.catalog.with(|c| c.support().clone());
    let t = move |key: Key| Signal::derive(move || ctx.t(key).to_owned());
    // A new seat field starts valid; the flag must not outlive the field (another editor).
    ctx.seats_invalid.set(false);
    on_cleanup(move || ctx.seats_invalid.set(false));
    // The range is part of the stepper's description (issue 14), read with the field.
    let hint = Signal::derive(move || {
        fill(
            ctx.t(Key::SeatsHint),
            &[
                ("min", &min.get().to_string()),
                ("max", &max.get().to_string()),
            ],
        )
    });
    view! {
        <div class="field">
            <SeatStepper
                id="seats"
                value
                on_change=Callback::new(move |seats: u32| edit(ctx, |d| d.seats = seats))
                on_validity=Callback::new(move |valid: bool| ctx.seats_invalid.set(!valid))
                min
                max
                label=t(Key::SeatsLabel)
                decrement_label=t(Key::Decrease)
                increment_label=t(Key::Increase)
                invalid_message=Signal::derive(move || {
                    fill(
                        ctx.t(Key::SeatsOutOfRange),
                        &[("min", &min.get().to_string()), ("max", &max.get().to_string())],
                    )
                })
                contact_sales_message=Signal::derive(move || {
                    fill(
                        ctx.t(Key::ContactSales),
                        &[("max", &max.get().to_string()), ("phone", &support().phone)],
                    )
                })
                contact_sales_label=Signal::derive(move || support().url)
                contact_sales_href=Signal::derive(move || support().url)
                hint
            />
        </div>
    }
}

/// The monthly/annual switch with the annual saving.
#[component]
fn FrequencySwitch() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    // Built once, the labels following the language: a re-rendered radio group would have to keep
    // the keyboard focus, and a closure returning a list needs a renderer of its own. Being built
    // once, the group needs no memo of the frequency: `checked` is set again, to the same value,
    // when the seats change (one memo type less in the bundle).
    let options = Frequency::ALL
        .iter()
        .map(|&f| {
            let id = format!("freq-{}", f.as_str());
            view! {
                <span class="choice">
                    <input
                        type="radio"
                        name="frequency"
                        id=id.clone()
                        prop:checked=move || {
                            ctx.draft.with(|d| d.as_ref().map(|d| d.frequency)) == Some(f)
                        }
                        on:change=move |_| edit(ctx, |d| d.frequency = f)
                    />
                    <label for=id>{ctx.text(summary::frequency_key(f))}</label>
                </span>
            }
        })
        .collect_view();
    let saving = move || {
        let draft = ctx.draft.get()?;
        let account = ctx.account.get()?;
        let lang = ctx.lang.get();
        let saving = ctx.catalog.with(|c| {
            let tier = c.product(&draft.product)?.tier(&draft.tier)?;
            crate::model::annual_saving(tier, account.view.currency, draft.seats)
        })?;
        let amount = summary::money(lang, &account, saving);
        Some(
            view! { <p class="saving">{fill(lang.t(Key::AnnualSaving), &[("amount", &amount)])}</p> }
                .into_any(),
        )
    };
    view! {
        <fieldset class="segmented">
            <legend>{ctx.text(Key::Frequency)}</legend>
            <div class="choices">{options}</div>
            {saving}
        </fieldset>
    }
}

/// The primary action: "Avvia la prova", or "Completa la transazione" with an empty cart, else
/// "Aggiungi al carrello" (the seeds' cart).
#[component]
fn EditorActions(
    /// The editor's preview, whose amount due stands beside the primary action on a phone.
    preview: Memo<Option<crate::pages::parts::Preview>>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let is_trial = move || {
        ctx.draft
            .with(|d| matches!(d.as_ref().map(|d| &d.kind), Some(DraftKind::Trial)))
    };
    // A plain closure rather than a memo (bundle size, see `Seats`).
    let item = move || {
        let account = ctx.account.get()?;
        ctx.draft.get()?.item(&account)
    };
    let primary = move |_| {
        // Issue 12: the seats on view are not a count, so the last valid one is not ordered.
        if ctx.seats_invalid.get_untracked() {
            return;
        }
        let Some(item) = untrack(item) else {
            return;
        };
        if is_trial() {
            // R11: a trial needs no payment; it is placed at once and confirmed.
            let Some(account) = ctx.account.get_untracked() else {
                return;
            };
            let mut request = order_request(vec![item], "", account.view.vat_id.as_deref());
            request.expected_total = Some(account.view.currency.zero());
            let body = crate::wire::order_request(&request);
            ctx.place(body, true);
            return;
        }
        let was_empty = ctx.cart.with_untracked(|c| c.is_empty());
        let replaced = ctx.put_in_cart(item);
        ctx.draft.set(None);
        let from_review = ctx.return_to_review.get_untracked();
        ctx.return_to_review.set(false);
        if was_empty || from_review {
            ctx.go(Screen::Review);
        } else {
            let notice = replaced_or_added(ctx, replaced);
            ctx.go(Screen::Overview);
            ctx.notice.set(Some(notice));
        }
    };
    let label = move || {
        ctx.t(if is_trial() {
            Key::StartTrial
        } else if ctx.return_to_review.get_untracked() {
            Key::UpdateOrder
        } else if ctx.cart.with(|c| c.is_empty()) {
            Key::CompleteTransaction
        } else {
            Key::AddToCart
        })
    };
    let error = move || {
        if let crate::state::Placing::Failed(key, _, _) = ctx.placing.get() {
            let text = ctx.message(key);
            Some(
                view! {
                    <p class="error" role="alert" id="place-error" tabindex="-1">
                        {text}
                    </p>
                }
                .into_any(),
            )
        } else {
            None
        }
    };
    view! {
        {error}
        <div class="actions">
            {total_bar(ctx, preview)}
            <button
                type="button"
                class="primary"
                disabled=move || {
                    item().is_none() || ctx.seats_invalid.get()
                        || ctx.placing.get() == crate::state::Placing::Busy
                }
                on:click=primary
            >
                {label}
            </button>
            <button
                type="button"
                class="secondary"
                on:click=move |_| {
                    ctx.draft.set(None);
                    // Back from "Modifica ordine" returns to the review it came from.
                    let from_review = ctx.return_to_review.get_untracked();
                    ctx.return_to_review.set(false);
                    ctx.go(if from_review { Screen::Review } else { Screen::Overview });
                }
            >
                {ctx.text(Key::Back)}
            </button>
        </div>
    }
}

/// The body of every editor: tiers, seats and frequency (or the trial terms), the actions and the
/// live summary beside them.
#[component]
fn PlanForm() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let preview = use_preview(ctx, true, false);
    let chosen = Chosen::new(ctx);
    let fields = move || {
        if chosen.is_trial() {
            let days = chosen
                .product
                .get()
                .and_then(|p| ctx.catalog.with(|c| Some(c.product(&p)?.trial_days())))
                .unwrap_or(14);
            view! { <p class="note">{fill(ctx.t(Key::TrialInfo), &[("days", &days.to_string())])}</p> }
                .into_any()
        } else {
            view! {
                <Seats />
                <FrequencySwitch />
            }
            .into_any()
        }
    };
    view! {
        <div class="editor-layout">
            <div class="editor-main">
                <TierCards />
                {fields}
                <EditorActions preview />
            </div>
            <Summary preview />
        </div>
    }
}

/// The plan change editor (R12) or the plan selection of an expired subscription (R15).
#[component]
pub fn Editor() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    // An empty text rather than none: a view of `Option<String>` would need a renderer of its own
    // (bundle size); the review intro and the trial text do the same.
    let title = move || {
        let draft = ctx.draft.get()?;
        let lang = ctx.lang.get();
        let product = ctx
            .catalog
            .with(|c| summary::product_name(c, &draft.product));
        let key = match draft.kind {
            DraftKind::Change { .. } => Key::ChangeTitle,
            DraftKind::Reactivate { .. } => Key::ReactivateTitle,
            DraftKind::Buy | DraftKind::Trial => Key::AddTitle,
        };
        Some(fill(lang.t(key), &[("product", &product)]))
    };
    let title = move || title().unwrap_or_default();
    // A reactivation is paid (R15, R20): an account with no card learns it here, at the start,
    // rather than on the review page (issue 12).
    let no_card = move || {
        let account = ctx.account.get()?;
        let reactivating = ctx.draft.with(|d| {
            matches!(
                d.as_ref().map(|d| &d.kind),
                Some(DraftKind::Reactivate { .. } | DraftKind::Buy)
            )
        });
        (reactivating && account.view.payment_methods.is_empty()).then(|| {
            let text = with_support_links(ctx, ctx.lang.get(), Key::NoPaymentMethod);
            view! { <p class="notice-box" id="no-card">{text}</p> }.into_any()
        })
    };
    let expired_intro = move || {
        let account = ctx.account.get()?;
        account.all_expired().then(|| {
            view! {
                <p class="notice-box">
                    <strong>{ctx.t(Key::ExpiredTitle)}</strong>
                    " "
                    {ctx.t(Key::ExpiredText)}
                </p>
            }
            .into_any()
        })
    };
    view! {
        <h1 id="page-title" tabindex="-1">{title}</h1>
        {expired_intro}
        {no_card}
        <PlanForm />
    }
}

/// Adding a product: the product, Buy or Try, then the plan form (R10, R11).
#[component]
pub fn AddProduct() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let held = move |product: &str| {
        ctx.account.with(|a| {
            a.as_ref()
                .and_then(|a| a.view.subscriptions.iter().find(|s| s.product == product))
                .map(|s| s.status)
        })
    };
    let choose = move |product: String, trial: bool| {
        let draft = ctx.catalog.with_untracked(|c| Draft::buy(c, &product));
        ctx.draft.set(draft.map(|mut d| {
            if trial {
                d.kind = DraftKind::Trial;
                d.seats = 1;
            }
            d
        }));
    };
    let chosen = Chosen::new(ctx);
    let products = move || {
        let lang = ctx.lang.get();
        ctx.catalog.with(|catalog| {
            catalog
                .products()
                .iter()
                .map(|p| {
                    let id = p.id().to_owned();
                    let status = held(&id);
                    // R3: a product held active or pending cancellation cannot be added again.
                    let blocked = matches!(
                        status,
                        Some(SubscriptionStatus::Active | SubscriptionStatus::PendingCancellation)
                    );
                    // R11: a trial only for a product never held nor tried.
                    let can_try = status.is_none() && p.trial_days() > 0;
                    let id_chosen = id.clone();
                    let is_chosen =
                        move || chosen.product.get().as_deref() == Some(id_chosen.as_str());
                    let is_trial = move || chosen.is_trial();
                    let (chosen_class, chosen_input) = (is_chosen.clone(), is_chosen.clone());
                    let input_id = format!("product-{id}");
                    let buy_id = format!("buy-{id}");
                    let try_id = format!("try-{id}");
                    let (id_a, id_b, id_c) = (id.clone(), id.clone(), id.clone());
                    view! {
                        <li class=move || {
                            if chosen_class() { "product-choice selected" } else { "product-choice" }
                        }>
                            <div class="choice">
                                <input
                                    type="radio"
                                    name="product"
                                    id=input_id.clone()
                                    disabled=blocked
                                    prop:checked=chosen_input
                                    on:change=move |_| choose(id_a.clone(), false)
                                />
                                <label for=input_id>{p.name().to_owned()}</label>
                            </div>
                            {blocked.then(|| view! { <p class="muted">{lang.t(Key::AlreadyHeld)}</p> })}
                            {move || {
                                (is_chosen() && !blocked)
                                .then(|| {
                                    let (id_b, id_c) = (id_b.clone(), id_c.clone());
                                    let (buy_id, try_id) = (buy_id.clone(), try_id.clone());
                                    view! {
                                        <fieldset class="segmented">
                                            <legend>{lang.t(Key::BuyOrTry)}</legend>
                                            <div class="choices">
                                                <span class="choice">
                                                    <input
                                                        type="radio"
                                                        name=format!("mode-{id_b}")
                                                        id=buy_id.clone()
                                                        prop:checked=move || !is_trial()
                                                        on:change=move |_| choose(id_b.clone(), false)
                                                    />
                                                    <label for=buy_id>{lang.t(Key::Buy)}</label>
                                                </span>
                                                <span class="choice">
                                                    <input
                                                        type="radio"
                                                        name=format!("mode-{id_c}")
                                                        id=try_id.clone()
                                                        disabled=!can_try
                                                        prop:checked=is_trial
                                                        on:change=move |_| choose(id_c.clone(), true)
                                                    />
                                                    <label for=try_id>
                                                        {if can_try { lang.t(Key::Try) } else { lang.t(Key::TrialUsed) }}
                                                    </label>
                                                </span>
                                            </div>
                                        </fieldset>
                                    }
                                    .into_any()
                                })
                            }}
                        </li>
                    }
                })
                .collect_view()
                .into_any()
        })
    };
    view! {
        {page_title(ctx, Key::AddTitle)}
        <fieldset class="products-field">
            <legend>{ctx.text(Key::Product)}</legend>
            <ul class="product-choices">{products}</ul>
        </fieldset>
        {move || chosen.product.get().is_some().then(|| view! { <PlanForm /> })}
        // Before a product is chosen the plan form (and its "Indietro") is not there yet.
        {move || {
            chosen
                .product
                .get()
                .is_none()
                .then(|| go_button(ctx, "secondary", Key::Back, Screen::Overview))
        }}
    }
}
