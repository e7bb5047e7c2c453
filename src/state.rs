//! The app's shared state (one context value) and the actions that talk to the server.

use billing::catalog::BUNDLED_CATALOG_JSON;
use billing::order::ItemInput;
use billing::{Catalog, Quote};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::browser::{self, Call, Reply, Storage};
use crate::i18n::{Key, Lang, Translate};
use crate::model::{
    AccountData, Cart, Draft, DraftKind, LinkOutcome, LinkSelection, PlacedOrder, Placement,
};
use crate::outcome::{self, Answer, Load, Place, SignIn};
use crate::route::Route;
use crate::wire;

/// The screen on view: a signal of this enum picks the page, and [`Route`] gives each screen its
/// address (the app's own router, S90).
#[derive(Clone, Debug, PartialEq)]
pub enum Screen {
    /// The sign-in form.
    SignIn,
    /// The account could not be loaded although the session holds (an answer the app cannot
    /// read, a server error, no answer): the message of this key and a retry (S50).
    LoadFailed(Key),
    /// The account overview ("Centro fatturazione").
    Overview,
    /// The plan editor of the current draft.
    Editor,
    /// Adding a product: choose which.
    Add,
    /// The review page ("Completa transazione").
    Review,
    /// The confirmation of a placed order (R22).
    Confirmation(PlacedOrder),
    /// The confirmation of a started trial (R11).
    TrialStarted(PlacedOrder),
    /// One printable receipt.
    Receipt(PlacedOrder),
}

/// Where a placement stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Placing {
    /// Nothing sent.
    Idle,
    /// Waiting for the server; the button is disabled.
    Busy,
    /// The server refused, or the order may have been placed (`Key::MaybePlaced`,
    /// `Key::OrderInProgress`: a retry reuses the key, R23): the message key, the error code,
    /// and for `409 price_changed` the fresh quote (R24).
    Failed(Key, String, Option<Box<Quote>>),
}

/// Everything the screens share, as one `Copy` context value.
#[derive(Clone, Copy)]
pub struct Ctx {
    /// The chosen language.
    pub lang: RwSignal<Lang>,
    /// The session token.
    pub token: RwSignal<Option<String>>,
    /// The signed-in account.
    pub account: RwSignal<Option<AccountData>>,
    /// The catalog (the server's copy when reachable, else the bundled one, R7).
    pub catalog: RwSignal<Catalog>,
    /// The screen on view.
    pub screen: RwSignal<Screen>,
    /// The cart (R5 of issue 4: persisted in local storage).
    pub cart: RwSignal<Cart>,
    /// The editor's choices.
    pub draft: RwSignal<Option<Draft>>,
    /// Whether the editor's seat field holds text that is not a seat count (R5): the summary
    /// says so and nothing is ordered until it is one again (issue 12).
    pub seats_invalid: RwSignal<bool>,
    /// A notice shown above the page (replacement in the cart, errors).
    pub notice: RwSignal<Option<String>>,
    /// The text of the polite live region (the amount due after each change).
    pub announce: RwSignal<String>,
    /// The VAT id field of the review page (R21).
    pub vat_text: RwSignal<String>,
    /// Whether the editor was opened by "Modifica ordine": saving goes back to the review page.
    pub return_to_review: RwSignal<bool>,
    /// The chosen payment method id (R20).
    pub payment_method: RwSignal<Option<String>>,
    /// The placement in progress.
    pub placing: RwSignal<Placing>,
    /// The idempotency key of the reviewed order (R23). Stored, not a signal: nothing shows it.
    pub placement: StoredValue<Placement>,
    /// The billing history, newest first.
    pub orders: RwSignal<Vec<PlacedOrder>>,
    /// The sign-in error, if any.
    pub sign_in_error: RwSignal<Option<Key>>,
    /// The seconds to wait that `Key::TooManyAttempts` names (S94). Stored, not a signal: it is
    /// set before the error, which the message follows.
    pub sign_in_wait: StoredValue<u32>,
    /// Whether the account is being loaded (sign-in, a stored session, a retry): the pages say
    /// so and mark themselves busy.
    pub loading: RwSignal<bool>,
    /// A selection from the pricing widget's link, opened in the editor after sign-in.
    /// Stored, not a signal: it is read once, after sign-in.
    pub link: StoredValue<Option<LinkSelection>>,
}

const TOKEN_KEY: &str = "checkout.token";
const LANG_KEY: &str = "checkout.lang";

impl Ctx {
    /// The initial state: the stored language and session, the bundled catalog.
    pub fn new() -> Ctx {
        let lang =
            browser::load(Storage::Local, LANG_KEY).map_or(Lang::It, |code| Lang::from_code(&code));
        browser::set_document_lang(lang);
        Ctx {
            lang: RwSignal::new(lang),
            token: RwSignal::new(browser::load(Storage::Session, TOKEN_KEY)),
            account: RwSignal::new(None),
            catalog: RwSignal::new(
                Catalog::from_answer(BUNDLED_CATALOG_JSON).expect("the bundled catalog is valid"),
            ),
            screen: RwSignal::new(Screen::SignIn),
            cart: RwSignal::new(Cart::default()),
            draft: RwSignal::new(None),
            seats_invalid: RwSignal::new(false),
            notice: RwSignal::new(None),
            announce: RwSignal::new(String::new()),
            vat_text: RwSignal::new(String::new()),
            return_to_review: RwSignal::new(false),
            payment_method: RwSignal::new(None),
            placing: RwSignal::new(Placing::Idle),
            placement: StoredValue::new(Placement::default()),
            orders: RwSignal::new(Vec::new()),
            sign_in_error: RwSignal::new(None),
            sign_in_wait: StoredValue::new(0),
            loading: RwSignal::new(false),
            link: StoredValue::new(LinkSelection::parse(&browser::query())),
        }
    }

    /// The text of `key` in the chosen language.
    pub fn t(&self, key: Key) -> &'static str {
        self.lang.get().t(key)
    }

    /// The text of `key`, following the language switch: one closure type for every reactive
    /// text of the app, so the renderer is compiled for it once (bundle size).
    pub fn text(self, key: Key) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        move || self.t(key)
    }

    /// The text of `key` with the support contact (`{phone}`, `{url}`) and the billing contact
    /// (`{contact}`, R1) filled in, for the messages that name them. A refusal that would name
    /// a billing contact the account does not have says so instead (S50).
    pub fn message(&self, key: Key) -> String {
        let support = self.catalog.with(|c| c.support().clone());
        let contact = self
            .account
            .with(|a| a.as_ref().and_then(|a| a.view.contact_label()));
        let key = match (key, &contact) {
            (Key::NotBillingContact, None) => Key::NoBillingContact,
            _ => key,
        };
        crate::i18n::fill(
            self.t(key),
            &[
                ("phone", &support.phone),
                ("url", &support.url),
                ("contact", contact.as_deref().unwrap_or_default()),
            ],
        )
    }

    /// Switches the language and remembers it.
    pub fn switch_lang(&self) {
        let lang = self.lang.get_untracked().other();
        self.lang.set(lang);
        browser::store(Storage::Local, LANG_KEY, Some(lang.code()));
        browser::set_document_lang(lang);
        browser::title_from_heading(lang.t(Key::AppName));
    }

    /// Goes to `screen`, clearing the page notice; Back returns to the screen before (S90).
    pub fn go(&self, screen: Screen) {
        self.notice.set(None);
        self.placing.set(Placing::Idle);
        // Adding a product starts from nothing, or from a purchase or trial being chosen: a
        // change's draft kept for Forward is not one.
        if screen == Screen::Add
            && self.draft.with_untracked(|d| {
                d.as_ref()
                    .is_some_and(|d| !matches!(d.kind, DraftKind::Buy | DraftKind::Trial))
            })
        {
            self.draft.set(None);
        }
        if let Some(route) = self.route_of(&screen) {
            let address = route.path();
            let here = browser::address();
            if address != here {
                // The first screen after sign-in takes the place of the sign-in address, so
                // Back does not show the form to a signed-in user.
                browser::set_address(&address, Route::parse(&here).needs_session());
            }
        }
        self.screen.set(screen);
        self.keep_draft();
        self.shown();
    }

    /// After a screen opens or the language changes: the focus on its heading, its name in the
    /// document's title (issue 14).
    fn shown(&self) {
        browser::focus_heading();
        browser::title_from_heading(self.t(Key::AppName));
    }

    /// The address of `screen`; `None` for the screens that keep the address they opened on
    /// (sign-in, where `next` is the page to return to, and a failed load, which the retry
    /// loads again).
    fn route_of(&self, screen: &Screen) -> Option<Route> {
        Some(match screen {
            Screen::SignIn | Screen::LoadFailed(_) => return None,
            Screen::Overview => Route::Overview,
            Screen::Editor => match self
                .draft
                .with_untracked(|d| d.as_ref().map(|d| d.kind.clone()))
            {
                Some(DraftKind::Change { subscription }) => Route::Change(subscription),
                Some(DraftKind::Reactivate { subscription }) => Route::Reactivate(subscription),
                Some(DraftKind::Buy) => Route::Subscribe(
                    self.draft
                        .with_untracked(|d| d.as_ref().map(|d| d.product.clone()))
                        .unwrap_or_default(),
                ),
                _ => Route::Add,
            },
            Screen::Add => Route::Add,
            Screen::Review => Route::Review,
            Screen::Confirmation(order) => Route::Confirmation(order.id.clone()),
            Screen::TrialStarted(order) => Route::TrialStarted(order.id.clone()),
            Screen::Receipt(order) => Route::Receipt(order.id.clone()),
        })
    }

    /// Opens the screen of `route` for the signed-in account (Back, Forward, a reload, a
    /// bookmark, the page to return to after sign-in). An editor reopens with the draft in
    /// memory or kept in this tab's session storage when it is the same editor (S92), else with
    /// the cart's item for it, else with a fresh one; an order that is not in the history, or a
    /// subscription the account does not hold, opens the overview. An editor opened this way
    /// saves to the cart like one opened from the overview ("Modifica ordine" is a click, not
    /// an address).
    pub fn open(&self, route: Route) {
        let Some(account) = self.account.get_untracked() else {
            return;
        };
        // The draft in memory (Back, Forward), else the one kept before a reload or a `401`.
        let stored = self.draft.get_untracked().or_else(|| {
            browser::load(Storage::Session, &Draft::storage_key(&account.view.id))
                .and_then(|text| Draft::from_stored(&text))
        });
        let kept = |same: &dyn Fn(&Draft) -> bool| stored.clone().filter(|d| same(d));
        let order = |id: &str| {
            self.orders
                .with_untracked(|orders| orders.iter().find(|o| o.id == id).cloned())
        };
        // The editor of a subscription's change or reactivation.
        let editor = |id: &str, reactivate: bool| match account.subscription(id) {
            Some(sub) => {
                let fresh = if reactivate {
                    Draft::reactivate(sub)
                } else {
                    Draft::change(sub)
                };
                // The draft being edited, else the cart's item for it (Back from the review
                // page), else the subscription as it is.
                let in_cart = self.cart.with_untracked(|cart| {
                    cart.items().iter().find_map(|item| {
                        self.catalog
                            .with_untracked(|c| Draft::from_item(c, &account, item))
                            .filter(|d| d.kind == fresh.kind)
                    })
                });
                let draft = kept(&|d| d.kind == fresh.kind).or(in_cart).unwrap_or(fresh);
                (Screen::Editor, Some(draft))
            }
            None => (Screen::Overview, None),
        };
        let (screen, draft) = match route {
            Route::Change(id) => editor(&id, false),
            Route::Reactivate(id) => editor(&id, true),
            Route::Subscribe(product) => {
                let fresh = self.catalog.with_untracked(|c| Draft::buy(c, &product));
                let held = account
                    .view
                    .subscriptions
                    .iter()
                    .find(|s| s.product == product);
                match (fresh, held) {
                    (Some(mut fresh), Some(sub)) => {
                        fresh.tier = sub.tier.clone();
                        let draft = kept(&|d| d.kind == DraftKind::Buy && d.product == product);
                        (Screen::Editor, Some(draft.unwrap_or(fresh)))
                    }
                    _ => (Screen::Overview, None),
                }
            }
            Route::Add => (
                Screen::Add,
                kept(&|d| matches!(d.kind, DraftKind::Buy | DraftKind::Trial)),
            ),
            // The other screens keep the draft, for Forward to its editor.
            Route::Review => (Screen::Review, stored.clone()),
            // The billing history is an account page of its own (S107): an old address of it
            // loads that page.
            Route::History => return browser::leave_for(crate::route::HISTORY_PAGE),
            Route::Receipt(id) => (
                order(&id).map_or(Screen::Overview, Screen::Receipt),
                stored.clone(),
            ),
            Route::Confirmation(id) => (
                order(&id).map_or(Screen::Overview, Screen::Confirmation),
                stored.clone(),
            ),
            Route::TrialStarted(id) => (
                order(&id).map_or(Screen::Overview, Screen::TrialStarted),
                stored.clone(),
            ),
            Route::Home | Route::SignIn { .. } | Route::Overview => {
                (Screen::Overview, stored.clone())
            }
        };
        self.return_to_review.set(false);
        self.draft.set(draft);
        self.go(screen);
    }

    /// Follows the address after Back or Forward: the screen of the new address, or for a
    /// signed-out visitor the sign-in form with that address to return to.
    pub fn follow_address(&self) {
        let route = Route::parse(&browser::address());
        if self.account.get_untracked().is_some() {
            self.open(route);
        } else if self.token.get_untracked().is_none() {
            self.ask_sign_in(&route);
            self.go(Screen::SignIn);
        }
    }

    /// For a signed-out visitor on a screen of the checkout: the address becomes the sign-in
    /// form's, with that screen as the page to return to (S91).
    fn ask_sign_in(&self, route: &Route) {
        if route.needs_session() {
            let next = route.path();
            browser::set_address(&Route::SignIn { next }.path(), false);
        }
    }

    /// Saves the cart in local storage (it survives reloads until an order or the user clears it).
    pub fn save_cart(&self) {
        if let Some(account) = self.account.get_untracked() {
            let key = Cart::storage_key(&account.view.id);
            let cart = self.cart.get_untracked();
            let stored = cart.to_stored();
            browser::store(
                Storage::Local,
                &key,
                (!cart.is_empty()).then_some(stored.as_str()),
            );
        }
    }

    /// Puts `item` in the cart, saying so when it replaced an older item for the same product.
    pub fn put_in_cart(&self, item: ItemInput) -> Option<String> {
        let account = self.account.get_untracked()?;
        let mut replaced = None;
        self.cart.update(|cart| replaced = cart.put(item, &account));
        self.save_cart();
        replaced
    }

    /// Removes one cart item.
    pub fn remove_from_cart(&self, index: usize) {
        self.cart.update(|cart| cart.remove(index));
        self.save_cart();
    }

    /// Empties the cart.
    pub fn clear_cart(&self) {
        self.cart.set(Cart::default());
        self.save_cart();
    }

    /// Signs in and loads the account; a failure says which it was (S94).
    pub fn sign_in(&self, email: String, password: String) {
        let ctx = *self;
        ctx.sign_in_error.set(None);
        spawn_local(async move {
            let body = wire::credentials(&email, &password);
            let answer = browser::send(Call {
                method: "POST",
                path: "/api/v1/session",
                body: Some(&body),
                ..Call::default()
            })
            .await;
            let outcome = SignIn::from_answer(answer);
            if let SignIn::TooManyAttempts(seconds) = outcome {
                ctx.sign_in_wait.set_value(seconds);
            }
            match outcome {
                SignIn::SignedIn(token) => {
                    browser::store(Storage::Session, TOKEN_KEY, Some(&token));
                    ctx.token.set(Some(token));
                    ctx.load(true).await;
                }
                failed => ctx.sign_in_error.set(failed.message_key()),
            }
        });
    }

    /// The sign-in error's text, with the wait of too many attempts filled in (S94).
    pub fn sign_in_message(&self, key: Key) -> String {
        let wait = outcome::wait_text(self.sign_in_wait.get_value());
        crate::i18n::fill(self.t(key), &[("wait", &wait)])
    }

    /// Signs out: ends the session on the server (R30), then forgets every value of the session
    /// (the cart stays stored for the account's next sign-in). The token is forgotten at once
    /// whatever the server answers: an unreachable server must not keep the user signed in on
    /// this device.
    pub fn sign_out(&self) {
        if let Some(token) = self.token.get_untracked() {
            spawn_local(async move {
                // A failure is ignored: the token is forgotten here anyway and expires on the
                // server; an already ended session answers 401, which is as good.
                let _ = browser::send(Call {
                    method: "DELETE",
                    path: "/api/v1/session",
                    token: Some(&token),
                    ..Call::default()
                })
                .await;
            });
        }
        if let Some(account) = self.account.get_untracked() {
            browser::store(
                Storage::Session,
                &Draft::storage_key(&account.view.id),
                None,
            );
        }
        self.forget();
        // A new entry: Back returns to the screen signed out of, which then asks for a sign-in.
        browser::set_address("/", true);
        self.go(Screen::SignIn);
    }

    /// The server ended the session in the middle of a flow (`401`): sign in again, then back to
    /// the same screen, whose address becomes the page to return to, with the draft kept in
    /// session storage and the cart in local storage (issue 14, S91).
    fn session_ended(&self) {
        let route = Route::parse(&browser::address());
        self.keep_draft();
        self.forget();
        self.sign_in_error.set(Some(Key::SessionExpired));
        self.ask_sign_in(&route);
        self.go(Screen::SignIn);
    }

    /// Keeps the editor's draft in this tab's session storage for the account (or removes the kept
    /// one when there is no draft), for the same editor after a reload or a new sign-in (S92).
    pub fn keep_draft(&self) {
        if let Some(account) = self.account.get_untracked() {
            let draft = self
                .draft
                .with_untracked(|d| d.as_ref().map(Draft::to_stored));
            let key = Draft::storage_key(&account.view.id);
            browser::store(Storage::Session, &key, draft.as_deref());
        }
    }

    /// Forgets every value of the session held in memory: the token, the account, its cart,
    /// draft, history, VAT id text, payment method, idempotency key and notices. Stored values
    /// are the caller's to remove.
    fn forget(&self) {
        browser::store(Storage::Session, TOKEN_KEY, None);
        self.token.set(None);
        self.account.set(None);
        self.cart.set(Cart::default());
        self.draft.set(None);
        self.seats_invalid.set(false);
        self.orders.set(Vec::new());
        self.vat_text.set(String::new());
        self.payment_method.set(None);
        self.return_to_review.set(false);
        self.placement.set_value(Placement::default());
        self.link.set_value(None);
        self.notice.set(None);
        self.announce.set(String::new());
    }

    /// Restores a stored session at start-up; without one, a screen's address becomes the
    /// sign-in form's with that screen to return to.
    pub fn resume_session(&self) {
        if self.token.get_untracked().is_some() {
            let ctx = *self;
            spawn_local(async move { ctx.load(true).await });
        } else {
            // No focus move here: the painted form may already hold the user's typing.
            self.ask_sign_in(&Route::parse(&browser::address()));
            browser::title_from_heading(self.t(Key::AppName));
        }
    }

    async fn get(&self, path: &str) -> Answer {
        let token = self.token.get_untracked();
        browser::send(Call {
            method: "GET",
            path,
            token: token.as_deref(),
            ..Call::default()
        })
        .await
    }

    /// Loads the account, the server's catalog and the history, the three requests at once;
    /// with `open`, opens the first screen (plan selection when every subscription expired, R15).
    pub async fn load(&self, open: bool) {
        self.loading.set(true);
        let (account, catalog, history) = futures::future::join3(
            self.get("/api/v1/account"),
            self.get("/api/v1/catalog"),
            self.get("/api/v1/orders"),
        )
        .await;
        self.loading.set(false);
        // Only a refused session goes back to the sign-in form; any other failure keeps the
        // session and says what happened, with a retry, never the form again in silence (S50).
        let account = match Load::from_answer(account) {
            Load::Loaded(account) => *account,
            Load::SessionEnded => {
                self.session_ended();
                return;
            }
            Load::Failed(key) => {
                self.go(Screen::LoadFailed(key));
                return;
            }
        };
        // The catalog is the server's when it answers, else the bundled one stays (R7).
        if let Ok(Reply {
            status: 200, body, ..
        }) = catalog
            && let Ok(catalog) = Catalog::from_answer(&body)
        {
            self.catalog.set(catalog);
        }
        let stored = browser::load(Storage::Local, &Cart::storage_key(&account.view.id));
        let cart = stored
            .as_deref()
            .map_or_else(Cart::default, Cart::from_stored);
        // A cart read from an older format is written back in the current one (S51; one in the
        // current format is written as it was); one that could not be read is left as it is
        // rather than removed.
        let migrate = !cart.is_empty();
        self.cart.set(cart);
        self.vat_text
            .set(account.view.vat_id.clone().unwrap_or_default());
        self.payment_method
            .set(account.view.payment_methods.first().map(|m| m.id.clone()));
        let all_expired = account.all_expired() && account.can_order();
        let first_expired = account.view.subscriptions.first().cloned();
        // The pricing widget's selection, led where this account can use it (R3, R11, issue 12).
        let link = if open && account.can_order() {
            self.link
                .get_value()
                .and_then(|link| self.catalog.with_untracked(|c| link.outcome(c, &account)))
        } else {
            None
        };
        self.account.set(Some(account));
        if migrate {
            self.save_cart();
        }
        self.show_history(history);
        if open {
            let route = Route::parse(&browser::address());
            if self.link.get_value().is_some() {
                browser::clear_query();
            }
            self.link.set_value(None);
            match (link, first_expired, route) {
                (Some(outcome), _, _) => self.open_link(outcome),
                (None, Some(sub), Route::Home) if all_expired => {
                    self.draft.set(Some(Draft::reactivate(&sub)));
                    self.go(Screen::Editor);
                }
                // The page to return to (S91): a screen of the checkout opens here, any other
                // page of this origin (the account pages, `/account/…`) loads.
                (None, _, Route::SignIn { next }) => match Route::parse(&next) {
                    screen if screen.needs_session() => self.open(screen),
                    _ if next != "/" => browser::leave_for(&next),
                    _ => self.open(Route::Overview),
                },
                (None, _, route) => self.open(route),
            }
        }
    }

    /// Opens the screen a widget link leads to, with the note that says why when it is not the
    /// one the link asked for.
    fn open_link(&self, outcome: LinkOutcome) {
        let lang = self.lang.get_untracked();
        let product = self
            .catalog
            .with_untracked(|c| crate::summary::product_name(c, outcome.product()));
        let (screen, note) = match &outcome {
            LinkOutcome::Add(_) => (Screen::Add, None),
            LinkOutcome::BuyInstead(_) => (Screen::Add, Some(Key::LinkTrialUsed)),
            LinkOutcome::Change(_) => (Screen::Editor, Some(Key::LinkAlreadyHeld)),
            LinkOutcome::RenewalOff(_) => (Screen::Overview, Some(Key::LinkRenewalOff)),
        };
        self.draft.set(outcome.draft().cloned());
        self.go(screen);
        if let Some(key) = note {
            self.notice.set(Some(crate::i18n::fill(
                lang.t(key),
                &[("product", &product)],
            )));
        }
    }

    /// Loads the billing history.
    pub async fn load_history(&self) {
        let answer = self.get("/api/v1/orders").await;
        self.show_history(answer);
    }

    /// Shows the history of an answer; a failed request keeps the history shown before, and
    /// one entry the app cannot read is left out, not the whole list (`wire::order_list`).
    fn show_history(&self, answer: Answer) {
        if let Ok(Reply {
            status: 200, body, ..
        }) = answer
        {
            self.orders.set(PlacedOrder::list_from_json(&body));
        }
    }

    /// Places the order `body` (an order request with `expected_total`, R24) with the reviewed
    /// order's idempotency key (R23); `trial` opens the trial confirmation instead.
    pub fn place(&self, body: String, trial: bool) {
        let ctx = *self;
        if ctx.placing.get_untracked() == Placing::Busy {
            return;
        }
        let mut key = String::new();
        ctx.placement
            .update_value(|placement| key = placement.key_for(&body, browser::uuid));
        ctx.placing.set(Placing::Busy);
        spawn_local(async move {
            let token = ctx.token.get_untracked();
            let answer = browser::send(Call {
                method: "POST",
                path: "/api/v1/orders",
                token: token.as_deref(),
                body: Some(&body),
                idempotency_key: Some(&key),
            })
            .await;
            let status = answer.as_ref().map_or(0, |reply| reply.status);
            match Place::from_answer(answer) {
                Place::Placed(order) => {
                    if !trial {
                        ctx.clear_cart();
                    }
                    ctx.draft.set(None);
                    ctx.load(false).await;
                    match order {
                        Some(order) if trial => ctx.go(Screen::TrialStarted(*order)),
                        Some(order) => ctx.go(Screen::Confirmation(*order)),
                        // An order whose answer could not be read is in the history (S95).
                        None => browser::leave_for(crate::route::HISTORY_PAGE),
                    }
                }
                Place::SessionEnded => ctx.session_ended(),
                Place::Refused(refusal) => {
                    // A final refusal: the next try is a new attempt with a new key (R23, S22).
                    ctx.placement
                        .update_value(|placement| placement.answered(status));
                    let key = refusal.key;
                    ctx.placing
                        .set(Placing::Failed(key, refusal.code, refusal.quote));
                    ctx.announce.set(untrack(|| ctx.message(key)));
                    // The field the error names takes the focus when the page shows it (S96);
                    // otherwise the message, which the customer must read first (a declined
                    // card above all).
                    match refusal.field.as_deref().and_then(outcome::field_element) {
                        Some(id) => browser::focus_either(id, "place-error"),
                        None => browser::focus("place-error"),
                    }
                }
                Place::MaybePlaced(key) => {
                    // The key stays for the retry, which places the order at most once (R23).
                    ctx.placing.set(Placing::Failed(key, String::new(), None));
                    ctx.announce.set(untrack(|| ctx.message(key)));
                }
            }
        });
    }
}

impl Default for Ctx {
    fn default() -> Ctx {
        Ctx::new()
    }
}

#[cfg(test)]
mod tests {
    use billing::Frequency;

    use super::*;

    fn draft(kind: DraftKind) -> Draft {
        Draft {
            kind,
            product: "meeting".to_owned(),
            tier: "business".to_owned(),
            seats: 3,
            frequency: Frequency::Monthly,
        }
    }

    #[test]
    fn the_editors_address_follows_its_draft() {
        let ctx = Ctx::new();
        let cases = [
            (
                DraftKind::Change {
                    subscription: "sub_1".to_owned(),
                },
                Route::Change("sub_1".to_owned()),
            ),
            (
                DraftKind::Reactivate {
                    subscription: "sub_2".to_owned(),
                },
                Route::Reactivate("sub_2".to_owned()),
            ),
            (DraftKind::Buy, Route::Subscribe("meeting".to_owned())),
            (DraftKind::Trial, Route::Add),
        ];
        for (kind, route) in cases {
            ctx.draft.set(Some(draft(kind)));
            assert_eq!(ctx.route_of(&Screen::Editor), Some(route));
        }
    }

    #[test]
    fn sign_in_and_a_failed_load_keep_the_address_they_opened_on() {
        let ctx = Ctx::new();
        assert_eq!(ctx.route_of(&Screen::SignIn), None);
        assert_eq!(ctx.route_of(&Screen::LoadFailed(Key::NetworkError)), None);
        assert_eq!(ctx.route_of(&Screen::Overview), Some(Route::Overview));
        assert_eq!(ctx.route_of(&Screen::Review), Some(Route::Review));
    }

    #[test]
    fn adding_a_product_drops_a_changes_draft_but_keeps_a_purchase() {
        let ctx = Ctx::new();
        ctx.draft.set(Some(draft(DraftKind::Change {
            subscription: "sub_1".to_owned(),
        })));
        ctx.go(Screen::Add);
        assert_eq!(ctx.draft.get_untracked(), None);
        ctx.draft.set(Some(draft(DraftKind::Buy)));
        ctx.go(Screen::Add);
        assert_eq!(ctx.draft.get_untracked(), Some(draft(DraftKind::Buy)));
    }

    #[test]
    fn forgetting_the_session_leaves_no_value_of_it_in_memory() {
        let ctx = Ctx::new();
        ctx.token.set(Some("token".to_owned()));
        ctx.draft.set(Some(draft(DraftKind::Buy)));
        ctx.seats_invalid.set(true);
        ctx.vat_text.set("IT00743110157".to_owned());
        ctx.payment_method.set(Some("pm_1".to_owned()));
        ctx.return_to_review.set(true);
        ctx.notice.set(Some("Aggiunto al carrello".to_owned()));
        ctx.announce.set("93,94 €".to_owned());
        ctx.placement
            .update_value(|p| drop(p.key_for("{}", || "key".to_owned())));
        ctx.forget();
        assert_eq!(ctx.token.get_untracked(), None);
        assert_eq!(ctx.account.get_untracked(), None);
        assert!(ctx.cart.with_untracked(Cart::is_empty));
        assert_eq!(ctx.draft.get_untracked(), None);
        assert!(!ctx.seats_invalid.get_untracked());
        assert!(ctx.orders.with_untracked(Vec::is_empty));
        assert_eq!(ctx.vat_text.get_untracked(), "");
        assert_eq!(ctx.payment_method.get_untracked(), None);
        assert!(!ctx.return_to_review.get_untracked());
        assert_eq!(ctx.notice.get_untracked(), None);
        assert_eq!(ctx.announce.get_untracked(), "");
        assert_eq!(ctx.placement.get_value(), Placement::default());
    }
}
