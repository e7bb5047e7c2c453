//! The sign-in form, and what shows when the signed-in account cannot be loaded.

use leptos::prelude::*;

use crate::i18n::Key;
use crate::pages::parts::page_title;
use crate::state::Ctx;

/// E-mail and password, then the account overview.
#[component]
pub fn SignIn() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    Effect::new(move |_| {
        if ctx.sign_in_error.get().is_some() {
            busy.set(false);
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        ctx.sign_in(email.get_untracked(), password.get_untracked());
    };
    // A stored session is being resumed: the account loads instead of a form to fill.
    let resuming = move || ctx.loading.get() && !busy.get();
    view! {
        <section
            class="card narrow"
            aria-labelledby="page-title"
            aria-busy=move || (busy.get() || ctx.loading.get()).to_string()
        >
            {page_title(ctx, Key::SignInTitle)}
            {move || resuming().then(|| view! { <p class="muted" id="loading">{ctx.t(Key::LoadingAccount)}</p> })}
            <form hidden=resuming on:submit=submit class="form">
                <label for="email">{ctx.text(Key::Email)}</label>
                <input
                    id="email"
                    type="email"
                    autocomplete="username"
                    required
                    prop:value=move || email.get()
                    on:input=move |ev| email.set(event_target_value(&ev))
                />
                <label for="password">{ctx.text(Key::Password)}</label>
                <input
                    id="password"
                    type="password"
                    autocomplete="current-password"
                    required
                    prop:value=move || password.get()
                    on:input=move |ev| password.set(event_target_value(&ev))
                />
                {move || {
                    ctx.sign_in_error
                        .get()
                        .map(|key| {
                            view! { <p class="error" role="alert">{ctx.sign_in_message(key)}</p> }
                                .into_any()
                        })
                }}
                <button type="submit" class="primary" disabled=move || busy.get()>
                    {move || ctx.t(if busy.get() { Key::SigningIn } else { Key::SignIn })}
                </button>
            </form>
        </section>
    }
}

/// The account could not be loaded (S50): what happened, a retry and a way out. The session is
/// kept, so the retry loads the account again without a new sign-in.
#[component]
pub fn LoadFailed(
    /// The message: an answer the app cannot read, or none at all.
    key: Key,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let retry = move |_| leptos::task::spawn_local(async move { ctx.load(true).await });
    view! {
        <section class="card narrow" aria-labelledby="page-title">
            {page_title(ctx, Key::LoadFailedTitle)}
            <p class="error" role="alert" id="load-error">{move || ctx.message(key)}</p>
            <button
                type="button"
                class="primary"
                disabled=move || ctx.loading.get()
                aria-busy=move || ctx.loading.get().to_string()
                on:click=retry
            >
                {ctx.text(Key::Retry)}
            </button>
            <button type="button" class="link-button" on:click=move |_| ctx.sign_out()>
                {ctx.text(Key::SignOut)}
            </button>
        </section>
    }
}
