//! The account pages as Leptos components: the role notices (R1, R2), the billing information
//! (R27), the payment methods (R25) and the billing contact (R26). The state lives in one `Copy`
//! context value, [`Ctx`]; the rules are in `model.rs`, the texts in `i18n.rs`.

use leptos::prelude::*;
use leptos::task::spawn_local;
use ui::{Lang, fill};

use crate::browser::{self, LANG_KEY, Reply, TOKEN_KEY};
use crate::history::{self, View};
use crate::i18n::{Key, field_label, problem_key, refusal_key, text};
use crate::model::{
    self, AccountView, Card, Field, Form, Problem, Refusal, User, contact_body, new_card_body,
};
use crate::receipts::{HistoryPage, RenewalPage};

/// A message of a section: its text's key, the value of its placeholder (`{card}`, `{user}`,
/// `{country}`), and whether it reports a failure (shown as an alert).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    key: Key,
    value: String,
    failure: bool,
}

impl Message {
    fn done(key: Key, value: String) -> Option<Message> {
        Some(Message {
            key,
            value,
            failure: false,
        })
    }

    pub(crate) fn failed(key: Key) -> Option<Message> {
        Some(Message {
            key,
            value: String::new(),
            failure: true,
        })
    }

    fn render(&self, lang: Lang) -> String {
        let value = self.value.as_str();
        fill(
            text(lang, self.key),
            &[("card", value), ("user", value), ("contact", value)],
        )
    }
}

/// Where the page stands with the account.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Loaded {
    /// Waiting for `GET /api/v1/account`.
    Waiting,
    /// The account, shown.
    Ready(AccountView),
    /// It could not be loaded: the message's key, and "Riprova".
    Failed(Key),
}

/// Everything the sections share, as one `Copy` context value.
#[derive(Clone, Copy)]
pub struct Ctx {
    pub(crate) lang: RwSignal<Lang>,
    /// The page the address names.
    view: StoredValue<View>,
    token: StoredValue<Option<String>>,
    account: RwSignal<Loaded>,
    pub(crate) cards: RwSignal<Vec<Card>>,
    users: RwSignal<Vec<User>>,
    form: RwSignal<Form>,
    /// Which fields show their check: a field once edited, every field after a save attempt.
    shown: RwSignal<[bool; 7]>,
    /// A field the server refused for a reason of its own, until it is edited again.
    refused: RwSignal<Option<(Field, Problem)>>,
    /// A request of the page is on its way: its buttons wait.
    pub(crate) busy: RwSignal<bool>,
    info_message: RwSignal<Option<Message>>,
    card_message: RwSignal<Option<Message>>,
    contact_message: RwSignal<Option<Message>>,
    /// The card whose removal waits for the user's confirmation.
    removing: RwSignal<Option<String>>,
    /// The user chosen as the next billing contact, and whether the confirmation is on view.
    next_contact: RwSignal<String>,
    confirming_contact: RwSignal<bool>,
}

impl Ctx {
    fn new() -> Ctx {
        let lang = browser::load(true, LANG_KEY).map_or(Lang::It, |code| Lang::from_code(&code));
        Ctx {
            lang: RwSignal::new(lang),
            view: StoredValue::new(View::from_path(&browser::path())),
            token: StoredValue::new(browser::load(false, TOKEN_KEY)),
            account: RwSignal::new(Loaded::Waiting),
            cards: RwSignal::new(Vec::new()),
            users: RwSignal::new(Vec::new()),
            form: RwSignal::new(Form::default()),
            shown: RwSignal::new([false; 7]),
            refused: RwSignal::new(None),
            busy: RwSignal::new(false),
            info_message: RwSignal::new(None),
            card_message: RwSignal::new(None),
            contact_message: RwSignal::new(None),
            removing: RwSignal::new(None),
            next_contact: RwSignal::new(String::new()),
            confirming_contact: RwSignal::new(false),
        }
    }

    /// The text of `key`, following the language switch: one closure type for every reactive
    /// text, so the renderer is compiled for it once (bundle size).
    pub(crate) fn text(self, key: Key) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        move || text(self.lang.get(), key)
    }

    fn sync_document(self) {
        let lang = self.lang.get_untracked();
        let title = format!(
            "{} · {}",
            text(lang, self.view.with_value(View::title)),
            text(lang, Key::AppName)
        );
        browser::set_document(lang.code(), &title);
    }

    fn switch_lang(self) {
        let lang = self.lang.get_untracked().other();
        self.lang.set(lang);
        browser::store(true, LANG_KEY, lang.code());
        self.sync_document();
    }

    /// One request with the session's token. A session that ended (`401`) goes back to the
    /// checkout's sign-in, which returns here.
    pub(crate) async fn call(self, method: &str, path: &str, body: Option<&str>) -> Option<Reply> {
        let token = self.token.get_value();
        let reply = browser::send(method, path, token.as_deref(), body).await;
        if reply.as_ref().is_some_and(|r| r.status == 401) {
            browser::go(&model::sign_in_url(&browser::path()));
        }
        reply
    }

    /// Loads the account, then what its user may see: everything for the billing contact, the
    /// users alone for the others (R1: every other read is theirs only), nothing more for a
    /// corporate account (R2). A card the provider sent the customer back with is saved first.
    async fn load(self) {
        let reply = self.call("GET", "/api/v1/account", None).await;
        let account = match reply {
            Some(r) if r.status == 200 => match model::read_account(&r.body) {
                Some(account) => account,
                None => return self.account.set(Loaded::Failed(Key::GenericError)),
            },
            Some(r) if r.status == 401 => return,
            Some(_) => return self.account.set(Loaded::Failed(Key::GenericError)),
            None => return self.account.set(Loaded::Failed(Key::NetworkError)),
        };
        // The history and a receipt load their own data (receipts.rs).
        if account.corporate || self.view.with_value(|v| *v != View::Settings) {
            return self.account.set(Loaded::Ready(account));
        }
        let manage = account.can_manage();
        let mut came_back = false;
        if manage {
            if let Some(setup) = model::setup_from_query(&browser::query()) {
                browser::clear_query();
                self.save_card(&setup).await;
                came_back = true;
            }
            self.load_cards().await;
            if let Some(r) = self
                .call("GET", "/api/v1/account/billing-info", None)
                .await
                .filter(|r| r.status == 200)
                && let Some(form) = Form::read(&r.body)
            {
                self.form.set(form);
            }
        }
        self.load_users().await;
        self.account.set(Loaded::Ready(account));
        if came_back {
            // What became of the card is the first thing to read: the message exists now.
            browser::focus("cards-message");
        }
    }

    pub(crate) async fn load_cards(self) {
        if let Some(cards) = self
            .call("GET", "/api/v1/payment-methods", None)
            .await
            .filter(|r| r.status == 200)
            .and_then(|r| model::read_cards(&r.body))
        {
            self.cards.set(cards);
        }
    }

    async fn load_users(self) {
        if let Some(users) = self
            .call("GET", "/api/v1/account/users", None)
            .await
            .filter(|r| r.status == 200)
            .and_then(|r| model::read_users(&r.body))
        {
            self.users.set(users);
        }
    }

    /// Reloads everything: after a refusal that says the page is out of date (the role moved in
    /// another tab, R26) or after a handover of this page.
    fn reload(self) {
        spawn_local(async move { self.load().await });
    }

    /// The message of a refusal; one that says the user no longer holds the role reloads the
    /// page's data so it becomes read-only.
    pub(crate) fn refusal(self, reply: Option<Reply>) -> Option<Message> {
        let Some(reply) = reply else {
            return Message::failed(Key::NetworkError);
        };
        let refusal = Refusal::read(reply.status, &reply.body);
        if matches!(
            refusal.code.as_str(),
            "not_billing_contact" | "corporate_account" | "not_found"
        ) {
            self.reload();
        }
        Message::failed(refusal_key(&refusal.code))
    }

    /// Saves the card of a set-up the provider sent the customer back with (R25, S86).
    async fn save_card(self, setup: &str) {
        let reply = self
            .call(
                "POST",
                "/api/v1/payment-methods",
                Some(&new_card_body(setup)),
            )
            .await;
        let message = match reply.as_ref().filter(|r| r.status == 201) {
            Some(r) => match model::read_new_card(&r.body) {
                Some(card) => Message::done(Key::CardAdded, self.card_name(&card)),
                None => Message::failed(Key::GenericError),
            },
            None => self.refusal(reply),
        };
        self.card_message.set(message);
    }

    /// "Visa che termina con 4242".
    fn card_name(self, card: &Card) -> String {
        fill(
            text(self.lang.get_untracked(), Key::CardName),
            &[("brand", &card.brand_name()), ("last4", &card.last4)],
        )
    }

    /// Runs `work` unless a request is already on its way, with the page's buttons waiting.
    pub(crate) fn run<F>(self, work: impl FnOnce() -> F + 'static)
    where
        F: std::future::Future<Output = ()> + 'static,
    {
        if self.busy.get_untracked() {
            return;
        }
        self.busy.set(true);
        spawn_local(async move {
            work().await;
            self.busy.set(false);
        });
    }

    fn add_card(self) {
        self.card_message.set(None);
        self.run(move || async move {
            let reply = self
                .call("POST", "/api/v1/payment-methods/setup", None)
                .await;
            match reply
                .as_ref()
                .filter(|r| r.status == 200)
                .and_then(|r| model::read_setup(&r.body))
            {
                // The card number is typed on the provider's page, on its own origin (R25).
                Some((url, _setup)) => browser::go(&url),
                None => {
                    let message = self.refusal(reply);
                    self.card_message.set(message);
                    browser::focus("cards-message");
                }
            }
        });
    }

    fn make_default(self, card: Card) {
        self.card_message.set(None);
        self.run(move || async move {
            let path = format!("/api/v1/payment-methods/{}/default", card.id);
            let reply = self.call("PUT", &path, None).await;
            let message = match reply.as_ref().filter(|r| r.status == 200) {
                Some(r) => {
                    if let Some(cards) = model::read_cards(&r.body) {
                        self.cards.set(cards);
                    }
                    Message::done(Key::DefaultSet, self.card_name(&card))
                }
                None => self.refusal(reply),
            };
            self.card_message.set(message);
            browser::focus("cards-message");
        });
    }

    fn remove(self, card: Card) {
        self.card_message.set(None);
        self.run(move || async move {
            let path = format!("/api/v1/payment-methods/{}", card.id);
            let reply = self.call("DELETE", &path, None).await;
            self.removing.set(None);
            let message = if reply.as_ref().is_some_and(|r| r.status == 204) {
                self.load_cards().await;
                Message::done(Key::Removed, self.card_name(&card))
            } else {
                self.refusal(reply)
            };
            self.card_message.set(message);
            browser::focus("cards-message");
        });
    }

    /// The problem shown next to `field`: the server's refusal of it, else the page's own check
    /// once the field was edited or a save was tried; the VAT id is checked as it is typed (R21).
    fn problem(self, field: Field) -> Option<Problem> {
        if let Some((refused, problem)) = self.refused.get()
            && refused == field
        {
            return Some(problem);
        }
        let shown = field == Field::VatId || self.shown.with(|s| s[field as usize]);
        if !shown {
            return None;
        }
        self.form.with(|f| f.problem(field))
    }

    fn save_info(self) {
        self.shown.set([true; 7]);
        self.info_message.set(None);
        let first_problem = self
            .form
            .with_untracked(|f| Field::ALL.into_iter().find(|&x| f.problem(x).is_some()));
        if let Some(field) = first_problem {
            self.info_message.set(Message::failed(Key::FixFields));
            browser::focus(field.id());
            return;
        }
        self.run(move || async move {
            let body = self.form.with_untracked(Form::body);
            let reply = self
                .call("PUT", "/api/v1/account/billing-info", Some(&body))
                .await;
            let message = match reply.as_ref().filter(|r| r.status == 200) {
                Some(r) => {
                    if let Some(form) = Form::read(&r.body) {
                        self.form.set(form);
                    }
                    Message::done(Key::Saved, String::new())
                }
                None => {
                    let refused = reply.as_ref().and_then(|r| {
                        let refusal = Refusal::read(r.status, &r.body);
                        match refusal.code.as_str() {
                            "invalid_vat_id" => Some((Field::VatId, Problem::VatFormat)),
                            "invalid_request" => refusal
                                .field
                                .as_deref()
                                .and_then(Field::from_path)
                                .map(|f| (f, Problem::Refused)),
                            _ => None,
                        }
                    });
                    match refused {
                        Some((field, problem)) => {
                            self.refused.set(Some((field, problem)));
                            browser::focus(field.id());
                            Message::failed(Key::FixFields)
                        }
                        None => self.refusal(reply),
                    }
                }
            };
            self.info_message.set(message);
        });
    }

    fn hand_over(self) {
        self.contact_message.set(None);
        self.run(move || async move {
            let user = self.next_contact.get_untracked();
            let reply = self
                .call(
                    "PUT",
                    "/api/v1/account/billing-contact",
                    Some(&contact_body(&user)),
                )
                .await;
            self.confirming_contact.set(false);
            let message = if reply.as_ref().is_some_and(|r| r.status == 200) {
                let name = self.users.with_untracked(|users| {
                    users
                        .iter()
                        .find(|u| u.id == user)
                        .map(User::label)
                        .unwrap_or_default()
                });
                // R26: from now on this user sees the account read-only; the page says so.
                self.load().await;
                Message::done(Key::ContactDone, name)
            } else {
                self.refusal(reply)
            };
            self.contact_message.set(message);
            browser::focus("contact-message");
        });
    }
}

/// A section's message: polite when something was done, an alert when it failed. The element
/// is always there, so assistive technology hears what is put into it.
#[component]
pub(crate) fn MessageLine(
    ctx: Ctx,
    id: &'static str,
    message: RwSignal<Option<Message>>,
) -> impl IntoView {
    view! {
        <p
            id=id
            tabindex="-1"
            class=move || match message.get() {
                Some(m) if m.failure => "message failure",
                Some(_) => "message done",
                None => "message",
            }
            role=move || {
                if message.with(|m| m.as_ref().is_some_and(|m| m.failure)) {
                    "alert"
                } else {
                    "status"
                }
            }
        >
            {move || message.get().map(|m| m.render(ctx.lang.get()))}
        </p>
    }
}

/// One field of the billing information, with its check next to it (R21, S46).
#[component]
fn TextField(ctx: Ctx, field: Field, autocomplete: &'static str) -> impl IntoView {
    let message_id = format!("{}-check", field.id());
    let is_vat = field == Field::VatId;
    let described = if is_vat {
        format!("bi-vat-hint {message_id}")
    } else {
        message_id.clone()
    };
    let check = move || {
        let lang = ctx.lang.get();
        match ctx.problem(field) {
            Some(problem) => {
                let country = ctx.form.with(|f| f.country.clone());
                Some(fill(
                    text(lang, problem_key(problem)),
                    &[("country", &country)],
                ))
            }
            None if is_vat && ctx.form.with(|f| !f.get(field).trim().is_empty()) => {
                Some(text(lang, Key::VatOk).to_owned())
            }
            None => None,
        }
    };
    view! {
        <div class="field">
            <label for=field.id()>{ctx.text(field_label(field))}</label>
            {is_vat
                .then(|| {
                    view! {
                        <p id="bi-vat-hint" class="hint">
                            {ctx.text(Key::VatHint)}
                        </p>
                    }
                })}
            <input
                id=field.id()
                type="text"
                autocomplete=autocomplete
                spellcheck="false"
                aria-describedby=described
                aria-invalid=move || if ctx.problem(field).is_some() { "true" } else { "false" }
                prop:value=move || ctx.form.with(|f| f.get(field).to_owned())
                on:input=move |ev| {
                    ctx.form.update(|f| f.set(field, event_target_value(&ev)));
                    if ctx.refused.get_untracked().is_some_and(|(f, _)| f == field) {
                        ctx.refused.set(None);
                    }
                }
                on:change=move |_| ctx.shown.update(|s| s[field as usize] = true)
            />
            <p
                id=message_id
                class=move || {
                    if ctx.problem(field).is_some() { "check failure" } else { "check" }
                }
                aria-live=if is_vat { "polite" } else { "off" }
            >
                {check}
            </p>
        </div>
    }
}

/// The billing information (R27): company, postal address and VAT id; the country is shown,
/// not edited.
#[component]
fn BillingInfo(ctx: Ctx) -> impl IntoView {
    let country = move || {
        let lang = ctx.lang.get();
        let code = ctx.form.with(|f| f.country.clone());
        ui::country_name(&code, lang.tag()).unwrap_or(code)
    };
    view! {
        <section class="panel" aria-labelledby="info-title">
            <h2 id="info-title">{ctx.text(Key::InfoTitle)}</h2>
            <p class="muted">{ctx.text(Key::InfoIntro)}</p>
            <form
                novalidate
                on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    ctx.save_info();
                }
            >
                <TextField ctx field=Field::Company autocomplete="organization" />
                <TextField ctx field=Field::Line1 autocomplete="address-line1" />
                <TextField ctx field=Field::Line2 autocomplete="address-line2" />
                <div class="field-row">
                    <TextField ctx field=Field::PostalCode autocomplete="postal-code" />
                    <TextField ctx field=Field::City autocomplete="address-level2" />
                </div>
                <TextField ctx field=Field::Region autocomplete="address-level1" />
                <div class="field">
                    <p class="label">{ctx.text(Key::Country)}</p>
                    <p>{country}</p>
                    <p class="hint">{ctx.text(Key::CountryFixed)}</p>
                </div>
                <TextField ctx field=Field::VatId autocomplete="off" />
                <MessageLine ctx id="info-message" message=ctx.info_message />
                <button type="submit" class="primary" disabled=move || ctx.busy.get()>
                    {ctx.text(Key::Save)}
                </button>
            </form>
        </section>
    }
}

/// One card on file: name, expiry, default badge, and (for the billing contact) its actions.
#[component]
fn CardItem(ctx: Ctx, card: Card) -> impl IntoView {
    // Stored, so that the name's closure is `Copy` and every text below can call it.
    let names = StoredValue::new((card.brand_name(), card.last4.clone()));
    let name = move || {
        let lang = ctx.lang.get();
        names.with_value(|(brand, last4)| {
            fill(
                text(lang, Key::CardName),
                &[("brand", brand), ("last4", last4)],
            )
        })
    };
    let expires = {
        let exp = card.exp_text();
        move || fill(text(ctx.lang.get(), Key::Expires), &[("exp", &exp)])
    };
    let id = card.id.clone();
    let asking = move || ctx.removing.get().as_deref() == Some(id.as_str());
    let label = move |key: Key| move || fill(text(ctx.lang.get(), key), &[("card", &name())]);
    let (for_default, for_remove, for_confirm) = (card.clone(), card.clone(), card.clone());
    let question_id = format!("remove-{}", card.id);
    let described = question_id.clone();
    view! {
        <li class="card-item">
            <div class="card-facts">
                <p class="card-name">{name}</p>
                <p class="muted">{expires}</p>
                {card
                    .default
                    .then(|| view! { <span class="badge">{ctx.text(Key::DefaultBadge)}</span> })}
            </div>
            <div class="card-actions" hidden=asking.clone()>
                {(!card.default)
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="secondary"
                                aria-label=label(Key::MakeDefaultLabel)
                                disabled=move || ctx.busy.get()
                                on:click=move |_| ctx.make_default(for_default.clone())
                            >
                                {ctx.text(Key::MakeDefault)}
                            </button>
                        }
                    })}
                <button
                    type="button"
                    class="secondary"
                    aria-label=label(Key::RemoveLabel)
                    disabled=move || ctx.busy.get()
                    on:click=move |_| {
                        ctx.card_message.set(None);
                        ctx.removing.set(Some(for_remove.id.clone()));
                        browser::focus("remove-yes");
                    }
                >
                    {ctx.text(Key::Remove)}
                </button>
            </div>
            {move || {
                asking()
                    .then(|| {
                        let card = for_confirm.clone();
                        view! {
                            <div class="confirm" role="group" aria-describedby=described.clone()>
                                <p id=question_id.clone()>{label(Key::RemoveQuestion)}</p>
                                <button
                                    id="remove-yes"
                                    type="button"
                                    class="danger"
                                    disabled=move || ctx.busy.get()
                                    on:click=move |_| ctx.remove(card.clone())
                                >
                                    {ctx.text(Key::RemoveYes)}
                                </button>
                                <button
                                    type="button"
                                    class="secondary"
                                    on:click=move |_| {
                                        ctx.removing.set(None);
                                        // The button that had the focus is gone: the section's
                                        // heading takes it, so keyboard users stay in place.
                                        browser::focus("cards-title");
                                    }
                                >
                                    {ctx.text(Key::Cancel)}
                                </button>
                            </div>
                        }
                    })
            }}
        </li>
    }
}

/// The payment methods (R25): the next renewal and the card it is charged to, the cards, adding
/// one through the provider's page.
#[component]
fn PaymentMethods(ctx: Ctx, account: AccountView) -> impl IntoView {
    let renewal = move || {
        let lang = ctx.lang.get();
        let Some((date, amount)) = &account.next_payment else {
            return text(lang, Key::NoRenewal).to_owned();
        };
        let amount = history::money(lang, amount, &account.currency);
        let date = history::date(lang, date);
        let card = ctx
            .cards
            .with(|cards| cards.iter().find(|c| c.default).map(|c| ctx.card_name(c)));
        let key = if card.is_some() {
            Key::NextRenewal
        } else {
            Key::NextRenewalNoCard
        };
        fill(
            text(lang, key),
            &[
                ("amount", &amount),
                ("date", &date),
                ("card", &card.unwrap_or_default()),
            ],
        )
    };
    let list = move || {
        let cards = ctx.cards.get();
        if cards.is_empty() {
            return view! { <p>{ctx.text(Key::NoCards)}</p> }.into_any();
        }
        view! {
            <ul class="card-list">
                {cards
                    .into_iter()
                    .map(|card| view! { <CardItem ctx card /> })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section class="panel" aria-labelledby="cards-title">
            <h2 id="cards-title" tabindex="-1">{ctx.text(Key::CardsTitle)}</h2>
            <p class="muted">{ctx.text(Key::CardsIntro)}</p>
            <p id="next-renewal">{renewal}</p>
            <MessageLine ctx id="cards-message" message=ctx.card_message />
            {list}
            <p class="hint">{ctx.text(Key::AddCardHint)}</p>
            <button
                type="button"
                class="primary"
                disabled=move || ctx.busy.get()
                on:click=move |_| ctx.add_card()
            >
                {ctx.text(Key::AddCard)}
            </button>
        </section>
    }
}

/// The billing contact (R26): who it is, and for the contact the handover with its
/// confirmation step.
#[component]
fn BillingContact(ctx: Ctx, manage: bool) -> impl IntoView {
    let current = move || {
        let lang = ctx.lang.get();
        let contact = ctx
            .users
            .with(|users| users.iter().find(|u| u.billing_contact).map(User::label));
        match contact {
            Some(contact) => fill(text(lang, Key::ContactCurrent), &[("contact", &contact)]),
            None => text(lang, Key::NoContactText).to_owned(),
        }
    };
    let others = move || {
        ctx.users.with(|users| {
            users
                .iter()
                .filter(|u| !u.billing_contact)
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let chosen = move || {
        let id = ctx.next_contact.get();
        ctx.users.with(|users| {
            users
                .iter()
                .find(|u| u.id == id)
                .map(User::label)
                .unwrap_or_default()
        })
    };
    let handover = move || {
        if !manage {
            return None;
        }
        let others = others();
        if others.is_empty() {
            return Some(view! { <p>{ctx.text(Key::ContactNoOthers)}</p> }.into_any());
        }
        let options = others
            .into_iter()
            .map(|u| view! { <option value=u.id.clone()>{u.label()}</option> })
            .collect_view();
        Some(
            view! {
                <form
                    hidden=move || ctx.confirming_contact.get()
                    on:submit=move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        if !ctx.next_contact.get_untracked().is_empty() {
                            ctx.contact_message.set(None);
                            ctx.confirming_contact.set(true);
                            browser::focus("contact-yes");
                        }
                    }
                >
                    <div class="field">
                        <label for="next-contact">{ctx.text(Key::ContactPick)}</label>
                        <select
                            id="next-contact"
                            prop:value=move || ctx.next_contact.get()
                            on:change=move |ev| ctx.next_contact.set(event_target_value(&ev))
                        >
                            <option value="">{ctx.text(Key::ContactChoose)}</option>
                            {options}
                        </select>
                    </div>
                    <button
                        type="submit"
                        class="secondary"
                        disabled=move || ctx.next_contact.get().is_empty()
                    >
                        {ctx.text(Key::ContactNext)}
                    </button>
                </form>
                <div
                    class="confirm"
                    role="group"
                    aria-describedby="contact-question"
                    hidden=move || !ctx.confirming_contact.get()
                >
                    <p id="contact-question">
                        {move || {
                            let user = chosen();
                            fill(text(ctx.lang.get(), Key::ContactQuestion), &[("user", &user)])
                        }}
                    </p>
                    <button
                        id="contact-yes"
                        type="button"
                        class="danger"
                        disabled=move || ctx.busy.get()
                        on:click=move |_| ctx.hand_over()
                    >
                        {ctx.text(Key::ContactYes)}
                    </button>
                    <button
                        type="button"
                        class="secondary"
                        on:click=move |_| {
                            ctx.confirming_contact.set(false);
                            browser::focus("next-contact");
                        }
                    >
                        {ctx.text(Key::Cancel)}
                    </button>
                </div>
            }
            .into_any(),
        )
    };
    view! {
        <section class="panel" aria-labelledby="contact-title">
            <h2 id="contact-title">{ctx.text(Key::ContactTitle)}</h2>
            <p id="current-contact">{current}</p>
            {manage.then(|| view! { <p class="muted">{ctx.text(Key::ContactIntro)}</p> })}
            <MessageLine ctx id="contact-message" message=ctx.contact_message />
            {handover}
        </section>
    }
}

/// The notice of a user who may only look (R1) or of a corporate account (R2).
#[component]
fn RoleNotice(ctx: Ctx, account: AccountView) -> impl IntoView {
    let corporate = account.corporate;
    let body = move || {
        let lang = ctx.lang.get();
        if corporate {
            return text(lang, Key::CorporateText).to_owned();
        }
        match &account.contact {
            Some(contact) => fill(text(lang, Key::ReadOnlyText), &[("contact", contact)]),
            None => text(lang, Key::NoContactText).to_owned(),
        }
    };
    view! {
        <section class="notice-box" aria-labelledby="role-title">
            <h2 id="role-title">
                {ctx.text(if corporate { Key::CorporateTitle } else { Key::ReadOnlyTitle })}
            </h2>
            <p>{body}</p>
            {corporate
                .then(|| {
                    view! {
                        <p>
                            <a href="https://corporate-billing.example/">
                                {ctx.text(Key::CorporateLink)}
                            </a>
                        </p>
                    }
                })}
        </section>
    }
}

/// The settings page: the account's name, the role notice, and the sections its user may see.
fn settings(ctx: Ctx, account: AccountView) -> AnyView {
    let manage = account.can_manage();
    let notice = (!manage).then(|| view! { <RoleNotice ctx account=account.clone() /> });
    let sections = (!account.corporate).then(|| {
        view! {
            {manage.then(|| view! { <BillingInfo ctx /> })}
            {manage.then(|| view! { <PaymentMethods ctx account=account.clone() /> })}
            <BillingContact ctx manage />
            <p>
                <a href="/account/history">{ctx.text(Key::HistoryLink)}</a>
            </p>
        }
    });
    view! {
        <p id="account-name" class="account-name">{account.name.clone()}</p>
        {notice}
        {sections}
    }
    .into_any()
}

/// The whole page: header (back to the checkout, language switch), the notices and sections
/// the signed-in user may see.
#[component]
pub fn AccountApp() -> impl IntoView {
    let ctx = Ctx::new();
    ctx.sync_document();
    if ctx.token.with_value(Option::is_none) {
        // No session in this tab: the checkout's sign-in brings the user back here.
        browser::go(&model::sign_in_url(&browser::path()));
    } else {
        ctx.reload();
    }
    let body = move || match ctx.account.get() {
        Loaded::Waiting => view! { <p role="status">{ctx.text(Key::Loading)}</p> }.into_any(),
        Loaded::Failed(key) => view! {
            <p role="alert">{ctx.text(key)}</p>
            <button
                type="button"
                class="secondary"
                on:click=move |_| {
                    ctx.account.set(Loaded::Waiting);
                    ctx.reload();
                }
            >
                {ctx.text(Key::Retry)}
            </button>
        }
        .into_any(),
        // The history and a renewal's receipt (S107); a corporate account sees its notice on
        // every page (R2).
        Loaded::Ready(account) => match ctx.view.get_value() {
            View::History if !account.corporate => {
                view! { <HistoryPage ctx manage=account.can_manage() /> }.into_any()
            }
            View::Renewal(id) if !account.corporate => {
                view! { <RenewalPage ctx account id /> }.into_any()
            }
            _ => settings(ctx, account),
        },
    };
    view! {
        <a class="skip-link" href="#main">{ctx.text(Key::SkipToContent)}</a>
        <header class="masthead">
            <a class="brand" href="/">{ctx.text(Key::AppName)}</a>
            <button
                type="button"
                class="link-button"
                lang=move || ctx.lang.get().other().code()
                aria-label=ctx.text(Key::SwitchLangLabel)
                on:click=move |_| ctx.switch_lang()
            >
                {ctx.text(Key::SwitchLang)}
            </button>
        </header>
        <main id="main" class="page">
            <p>
                <a href="/">{ctx.text(Key::BackToOverview)}</a>
            </p>
            <h1 id="page-title" tabindex="-1">{ctx.text(ctx.view.with_value(View::title))}</h1>
            {body}
        </main>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_fill_their_one_value_in_the_chosen_language() {
        let added =
            Message::done(Key::CardAdded, "Visa che termina con 3155".into()).expect("message");
        assert_eq!(
            added.render(Lang::It),
            "Carta aggiunta: Visa che termina con 3155."
        );
        let done = Message::done(Key::ContactDone, "Marco".into()).expect("message");
        assert_eq!(done.render(Lang::En), "Marco is now the billing contact.");
        assert!(Message::failed(Key::CardInUse).expect("message").failure);
    }
}
