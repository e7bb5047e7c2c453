//! The app's shared state (one context value) and the actions that talk to the server.

use billing::order::ItemInput;
use billing::{Catalog, Quote};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::browser::{self, Call, Reply, Storage};
use crate::i18n::{Key, Lang, Translate};
use crate::model::{AccountData, Cart, Draft, LinkOutcome, LinkSelection, PlacedOrder, Placement};
use crate::outcome::{self, Answer, Load, Place, SignIn};
use crate::{json, wire};

/// The screen on view. The app has no router: a signal of this enum picks the page.
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
    /// The billing history.
    History,
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
            catalog: RwSignal::new(wire::bundled_catalog()),
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
    }

    /// Goes to `screen`, clearing the page notice.
    pub fn go(&self, screen: Screen) {
        self.notice.set(None);
        self.placing.set(Placing::Idle);
        self.screen.set(screen);
        browser::focus_heading();
    }

    /// Saves the cart in local storage (it survives reloads until an order or the user clears it).
    fn save_cart(&self) {
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

    /// Signs out: ends the session on the server (R30), then forgets the token and the account
    /// (the cart stays stored for next time). The token is forgotten at once whatever the server
    /// answers: an unreachable server must not keep the user signed in on this device.
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
        browser::store(Storage::Session, TOKEN_KEY, None);
        self.token.set(None);
        self.account.set(None);
        self.cart.set(Cart::default());
        self.draft.set(None);
        self.go(Screen::SignIn);
    }

    /// Restores a stored session at start-up.
    pub fn resume_session(&self) {
        if self.token.get_untracked().is_some() {
            let ctx = *self;
            spawn_local(async move { ctx.load(true).await });
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
                browser::store(Storage::Session, TOKEN_KEY, None);
                self.token.set(None);
                self.sign_in_error.set(Some(Key::SessionExpired));
                self.go(Screen::SignIn);
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
            && let Some(catalog) = json::parse(&body).and_then(|v| wire::catalog(&v))
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
            if self.link.get_value().is_some() {
                browser::clear_query();
            }
            self.link.set_value(None);
            match (link, first_expired) {
                (Some(outcome), _) => self.open_link(outcome),
                (None, Some(sub)) if all_expired => {
                    self.draft.set(Some(Draft::reactivate(&sub)));
                    self.go(Screen::Editor);
                }
                _ => self.go(Screen::Overview),
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
                    // An order whose answer could not be read is in the history (S95).
                    ctx.go(match order {
                        Some(order) if trial => Screen::TrialStarted(*order),
                        Some(order) => Screen::Confirmation(*order),
                        None => Screen::History,
                    });
                }
                Place::SessionEnded => {
                    ctx.sign_in_error.set(Some(Key::SessionExpired));
                    ctx.sign_out();
                }
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
