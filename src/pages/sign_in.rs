//! The sign-in form.

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
    view! {
        <section class="card narrow" aria-labelledby="page-title">
            {page_title(ctx, Key::SignInTitle)}
            <form on:submit=submit class="form">
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
                        .map(|key| view! { <p class="error" role="alert">{ctx.t(key)}</p> }.into_any())
                }}
                <button type="submit" class="primary" disabled=move || busy.get()>
                    {move || ctx.t(if busy.get() { Key::SigningIn } else { Key::SignIn })}
                </button>
            </form>
        </section>
    }
}
