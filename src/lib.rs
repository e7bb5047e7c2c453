//! The Billing Center checkout: a Leptos 0.8 client-side app compiled to WebAssembly.
//!
//! `main.rs` only mounts [`App`]. The rules the screens follow live in plain modules tested
//! natively ([`model`]: account, cart, drafts, placements; [`summary`]: the rows of an order
//! summary; [`i18n`]: every text), the browser APIs in [`browser`], the shared state and the
//! server calls in [`state`]; the components in [`pages`] only lay things out.

pub mod browser;
pub mod i18n;
pub mod model;
pub mod outcome;
pub mod pages;
pub mod route;
pub mod state;
pub mod summary;
pub mod wire;

/// The JSON reader and writer of the browser bundles (crates/json-text), as `crate::json`.
pub use json_text as json;

use leptos::prelude::*;

use crate::i18n::Key;
use crate::pages::{
    AddProduct, Confirmation, Editor, LoadFailed, Overview, Receipt, Review, SignIn, TrialStarted,
};
use crate::state::{Ctx, Screen};

/// The whole app: the header, the screen on view and the live region.
#[component]
pub fn App() -> impl IntoView {
    let ctx = Ctx::new();
    provide_context(ctx);
    ctx.resume_session();
    browser::on_window("popstate", move || ctx.follow_address());
    // The editor's draft goes to this tab's session storage before a reload or another page
    // takes this one's place, so it can be reopened there (S92).
    browser::on_window("pagehide", move || ctx.keep_draft());

    let page = move || match ctx.screen.get() {
        Screen::SignIn => view! { <SignIn /> }.into_any(),
        Screen::LoadFailed(key) => view! { <LoadFailed key /> }.into_any(),
        Screen::Overview => view! { <Overview /> }.into_any(),
        Screen::Editor => view! { <Editor /> }.into_any(),
        Screen::Add => view! { <AddProduct /> }.into_any(),
        Screen::Review => view! { <Review /> }.into_any(),
        Screen::Confirmation(order) => view! { <Confirmation order /> }.into_any(),
        Screen::TrialStarted(order) => view! { <TrialStarted order /> }.into_any(),
        Screen::Receipt(order) => view! { <Receipt order /> }.into_any(),
    };

    view! {
        <a class="skip-link" href="#main">{ctx.text(Key::SkipToContent)}</a>
        <header class="masthead">
            // The app's name leads back to the Billing Center from every screen, one click away
            // (issue 14); signed out, the sign-in form is all there is.
            <p class="brand">
                <a
                    href="/billing"
                    on:click=move |ev| {
                        ev.prevent_default();
                        if ctx.account.with_untracked(Option::is_some) {
                            ctx.go(Screen::Overview);
                        }
                    }
                >
                    {ctx.text(Key::AppName)}
                </a>
            </p>
            <div class="masthead-actions">
                {move || {
                    ctx.account
                        .get()
                        .map(|account| {
                            view! {
                                <span class="account-name">{account.view.name.clone()}</span>
                                <button
                                    type="button"
                                    class="link-button"
                                    on:click=move |_| ctx.sign_out()
                                >
                                    {ctx.text(Key::SignOut)}
                                </button>
                            }
                                .into_any()
                        })
                }}
                <button
                    type="button"
                    class="link-button"
                    lang=move || ctx.lang.get().other().code()
                    aria-label=ctx.text(Key::SwitchLangLabel)
                    on:click=move |_| ctx.switch_lang()
                >
                    {ctx.text(Key::SwitchLang)}
                </button>
            </div>
        </header>
        <main id="main" class="page">
            // The region stays in the page so that a notice appearing in it is announced.
            <div class="notice-region" role="status">
                {move || {
                    ctx.notice.get().map(|text| view! { <p class="notice">{text}</p> }.into_any())
                }}
            </div>
            {page}
        </main>
        <div class="visually-hidden" aria-live="polite" aria-atomic="true" id="live-region">
            {move || ctx.announce.get()}
        </div>
    }
}
