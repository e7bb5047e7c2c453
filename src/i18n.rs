//! Every user-visible text of the app, in Italian (the default) and English.
//!
//! Components never hold literal text: they ask [`Translate::t`] for a [`Key`], and fill the `{…}`
//! placeholders of the few texts that take values with [`fill`].

pub use ui::Lang;

pub use ui::fill;

/// The checkout's texts in a language: [`Lang`] is shared with the other bundles (crates/ui),
/// its texts are this app's.
pub trait Translate {
    /// The text of `key` in this language.
    fn t(self, key: Key) -> &'static str;
}

/// The text of a count `n` with the language's plural rule (`Intl.PluralRules`, through
/// `ui::plural`): `one` when the rule says so, else `other`; `{n}` is filled in.
pub fn counted(lang: Lang, n: u64, one: Key, other: Key) -> String {
    let key = match ui::plural(n, lang.tag()) {
        ui::Plural::One => one,
        ui::Plural::Other => other,
    };
    fill(lang.t(key), &[("n", &n.to_string())])
}

/// The text of an api.md error code (or the preview's own `seats_entry`): words only, never the
/// code itself, which means nothing to a customer (issue 12). Every code of api.md and of the
/// supplement's table has one (a test walks `api::ErrorCode::ALL`); a code the app does not know
/// gets the general refusal with Customer Care's number.
pub fn refusal_key(code: &str) -> Key {
    match code {
        "price_changed" => Key::PriceChanged,
        "payment_declined" => Key::Declined,
        "not_billing_contact" => Key::NotBillingContact,
        "corporate_account" => Key::CorporateRefused,
        "downgrade_requires_support" => Key::DowngradeRefused,
        "invalid_vat_id" => Key::VatIdInvalid,
        "no_change" | "empty_order" => Key::NoChange,
        "trial_not_available" => Key::RefusedTrialUsed,
        "product_already_subscribed" | "duplicate_item" => Key::RefusedHeld,
        "subscription_not_active"
        | "subscription_not_cancelled"
        | "subscription_not_expired"
        | "unknown_subscription"
        | "as_of_outside_period" => Key::RefusedStatus,
        "seats_entry" => Key::SeatsEntryInvalid,
        "invalid_seats" => Key::SeatsRefused,
        "unknown_product" | "unknown_tier" => Key::CatalogChanged,
        "payment_method_required" => Key::NoPaymentMethod,
        "unauthenticated" => Key::SessionExpired,
        "invalid_credentials" => Key::BadCredentials,
        "too_many_attempts" | "server_busy" => Key::Busy,
        "request_timeout" | "internal_error" => Key::ServerFailing,
        "order_in_progress" => Key::OrderInProgress,
        "not_found" => Key::NotFound,
        // The app never sends these on purpose: a request it built wrong, or an old page.
        "invalid_request"
        | "unsupported_media_type"
        | "payload_too_large"
        | "method_not_allowed"
        | "missing_idempotency_key"
        | "invalid_idempotency_key"
        | "idempotency_key_reused" => Key::AppRefused,
        "unknown_user" => Key::UnknownUser,
        "payment_method_in_use" => Key::CardInUse,
        "payment_method_refused" => Key::CardRefused,
        "setup_not_confirmed" => Key::SetupNotConfirmed,
        "not_payable" => Key::NotPayable,
        _ => Key::OrderError,
    }
}

macro_rules! texts {
    ($($key:ident => $it:expr, $en:expr;)*) => {
        /// The id of one user-visible text.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[allow(missing_docs)]
        pub enum Key { $($key),* }

        impl Translate for Lang {
            fn t(self, key: Key) -> &'static str {
                match (self, key) {
                    $((Lang::It, Key::$key) => $it, (Lang::En, Key::$key) => $en,)*
                }
            }
        }

        /// Every key, for the completeness test.
        #[cfg(test)]
        pub(crate) const ALL_KEYS: &[Key] = &[$(Key::$key),*];
    };
}

texts! {
    AppName => "Centro fatturazione", "Billing Center";
    SwitchLang => "English", "Italiano";
    SwitchLangLabel => "Switch to English", "Passa all'italiano";
    SkipToContent => "Vai al contenuto", "Skip to content";
    SignInTitle => "Accedi al Centro fatturazione", "Sign in to the Billing Center";
    Email => "E-mail", "E-mail";
    Password => "Password", "Password";
    SignIn => "Accedi", "Sign in";
    SigningIn => "Accesso in corso…", "Signing in…";
    SignOut => "Esci", "Sign out";
    BadCredentials => "E-mail o password non corretti.", "Wrong e-mail or password.";
    NetworkError => "Il server non risponde. Controlla la connessione e riprova.", "The server does not answer. Check your connection and try again.";
    ServerFailing => "Il server ha un problema in questo momento: riprova tra poco.", "The server has a problem right now: try again shortly.";
    TooManyAttempts => "Troppi tentativi di accesso: riprova tra {wait}.", "Too many sign-in attempts: try again in {wait}.";
    Busy => "Troppe richieste in questo momento: riprova tra poco.", "Too many requests right now: try again shortly.";
    LoadingAccount => "Caricamento dell'account…", "Loading your account…";
    Retry => "Riprova", "Retry";
    Loading => "Caricamento…", "Loading…";
    Subscriptions => "Le tue sottoscrizioni", "Your subscriptions";
    Options => "Opzioni", "Options";
    OptionsFor => "Opzioni per {product}", "Options for {product}";
    ChangeSubscription => "Modifica sottoscrizione", "Change subscription";
    CancelRenewal => "Disattiva il rinnovo", "Turn off renewal";
    Resume => "Riattiva il rinnovo", "Turn renewal back on";
    SubscribeNow => "Abbonati ora", "Subscribe now";
    Reactivate => "Riattiva", "Reactivate";
    AddSubscription => "Aggiungi nuovo abbonamento", "Add new subscription";
    ViewAllActivity => "Visualizza tutta l'attività", "View all activity";
    StatusTrial => "Prova gratuita", "Free trial";
    StatusActive => "Attiva", "Active";
    StatusPending => "In attesa di annullamento", "Pending cancellation";
    StatusExpired => "Scaduta", "Expired";
    Seats => "Licenze", "Seats";
    SeatsCount => "{n} licenze", "{n} seats";
    SeatsCountOne => "{n} licenza", "{n} seat";
    Frequency => "Frequenza di fatturazione", "Billing frequency";
    Monthly => "Mensile", "Monthly";
    Annual => "Annuale", "Annual";
    Status => "Stato", "Status";
    CurrentPeriod => "Periodo corrente", "Current period";
    PeriodRange => "dal {start} al {end}", "from {start} to {end}";
    EndsOn => "Termina il {date}", "Ends on {date}";
    NextPayment => "Prossimo pagamento", "Next payment";
    NextPaymentText => "{amount} il {date}", "{amount} on {date}";
    CreditAppliedText => "credito applicato: {amount}", "credit applied: {amount}";
    NoNextPayment => "Nessun rinnovo previsto", "No renewal due";
    AccountCredit => "Credito dell'account", "Account credit";
    CreditRefund => "Il credito viene applicato ai prossimi pagamenti. Per un rimborso contatta l'Assistenza clienti: {phone}, {url}.", "Credit is applied to your next payments. For a refund contact Customer Care: {phone}, {url}.";
    ReadOnlyTitle => "Solo consultazione", "Read only";
    ReadOnlyText => "Solo il contatto di fatturazione può modificare le sottoscrizioni o effettuare ordini. Rivolgiti a {contact}.", "Only the billing contact can change subscriptions or place orders. Ask {contact}.";
    CorporateTitle => "Account Corporate", "Corporate account";
    CorporateText => "Il tuo account è gestito con il tuo rappresentante nel Portale di fatturazione Corporate. Gli ordini self-service non sono disponibili.", "Your account is managed with your representative in the Corporate Billing Portal. Self-service orders are not available.";
    CorporateLink => "Vai al Portale di fatturazione Corporate", "Go to the Corporate Billing Portal";
    ExpiredTitle => "Le tue sottoscrizioni sono scadute", "Your subscriptions have expired";
    ExpiredText => "Scegli un piano per riattivare l'account.", "Choose a plan to reactivate your account.";
    ChangeTitle => "Modifica sottoscrizione: {product}", "Change subscription: {product}";
    ReactivateTitle => "Selezione del piano: {product}", "Plan selection: {product}";
    AddTitle => "Aggiungi nuovo abbonamento", "Add new subscription";
    ChoosePlan => "Piano", "Plan";
    CurrentPlan => "Piano attuale", "Current plan";
    PerSeatMonth => "{price} per licenza al mese", "{price} per seat per month";
    PerSeatYear => "{price} per licenza all'anno", "{price} per seat per year";
    DowngradeNote => "Per passare a un piano inferiore contatta l'Assistenza clienti: {phone}, {url}.", "To move to a lower plan contact Customer Care: {phone}, {url}.";
    SeatsLabel => "Numero di licenze", "Number of seats";
    SeatsHint => "Da {min} a {max} licenze.", "From {min} to {max} seats.";
    Decrease => "Una licenza in meno", "One seat fewer";
    Increase => "Una licenza in più", "One seat more";
    SeatsOutOfRange => "Scegli un numero da {min} a {max}.", "Choose a number from {min} to {max}.";
    SeatsEntryInvalid => "Numero di licenze non valido: correggilo per vedere il totale.", "The number of seats is not valid: correct it to see the total.";
    ContactSales => "Per più di {max} licenze contatta l'Assistenza clienti: {phone}.", "For more than {max} seats contact Customer Care: {phone}.";
    AnnualSaving => "Con la fatturazione annuale risparmi {amount} all'anno.", "Annual billing saves you {amount} a year.";
    Product => "Prodotto", "Product";
    LinkTrialUsed => "Hai già usato la prova gratuita di {product}: puoi acquistarlo qui.", "You have already used the free trial of {product}: you can buy it here.";
    LinkAlreadyHeld => "Hai già {product}: qui puoi modificare il tuo abbonamento.", "You already have {product}: you can change your subscription here.";
    LinkRenewalOff => "Hai già {product}, con il rinnovo disattivato: riattivalo dal menu Opzioni.", "You already have {product}, with renewal off: turn it back on from its Options menu.";
    BuyOrTry => "Acquista o prova", "Buy or try";
    Buy => "Acquista", "Buy";
    Try => "Prova", "Try";
    TrialInfo => "Prova gratuita di {days} giorni, 1 licenza, nessun pagamento.", "Free {days}-day trial, 1 seat, no payment.";
    AlreadyHeld => "Hai già questo prodotto.", "You already have this product.";
    TrialUsed => "Prova già utilizzata", "Trial already used";
    StartTrial => "Avvia la prova", "Start the trial";
    CompleteTransaction => "Completa la transazione", "Complete the transaction";
    AddToCart => "Aggiungi al carrello", "Add to cart";
    Back => "Indietro", "Back";
    BackToOverview => "Torna al Centro fatturazione", "Back to the Billing Center";
    Summary => "Riepilogo ordine", "Order summary";
    CancelLine => "Rinnovo disattivato per {plan}: servizio fino al {date} incluso", "Renewal off for {plan}: service until {date} included";
    ResumeLine => "Rinnovo riattivato per {plan}: nessun addebito, si rinnova il {date}", "Renewal back on for {plan}: no charge, renews on {date}";
    ReceiptChargeLine => "{plan}, {unit}, {range}", "{plan}, {unit}, {range}";
    ReceiptCreditLine => "Credito per il tempo non utilizzato: {plan}, {unit}, {range}", "Credit for unused time: {plan}, {unit}, {range}";
    ReceiptTrialLine => "Prova gratuita di {name}, 1 licenza, fino al {last} incluso", "Free trial of {name}, 1 seat, until {last} included";
    Subtotal => "Subtotale", "Subtotal";
    Vat => "IVA {rate}%", "VAT {rate}%";
    ReverseCharge => "IVA: inversione contabile (reverse charge)", "VAT: reverse charge";
    Total => "Totale", "Total";
    CreditApplied => "Credito applicato", "Credit applied";
    AmountDue => "Totale dovuto", "Amount due";
    CreditAfter => "Credito residuo", "Credit remaining";
    AmountDueAnnounce => "Totale dovuto: {amount}", "Amount due: {amount}";
    NoChange => "Nessuna modifica: scegli un piano, le licenze o la frequenza.", "No change yet: choose a plan, seats or frequency.";
    Cart => "Carrello", "Cart";
    CartItems => "{n} articoli nel carrello", "{n} items in the cart";
    CartItemsOne => "{n} articolo nel carrello", "{n} item in the cart";
    RemoveItem => "Rimuovi", "Remove";
    RemoveItemLabel => "Rimuovi {item} dal carrello", "Remove {item} from the cart";
    EmptyCart => "Svuota il carrello", "Empty the cart";
    Replaced => "Il carrello conteneva già un articolo per {product}: è stato sostituito da quello nuovo.", "The cart already held an item for {product}: the new one replaced it.";
    Added => "Aggiunto al carrello.", "Added to the cart.";
    OpChange => "Modifica {product}: {plan}", "Change {product}: {plan}";
    OpBuy => "Acquisto {product}: {plan}", "Buy {product}: {plan}";
    OpTrial => "Prova {product}: {plan}", "Trial {product}: {plan}";
    OpCancel => "Disattiva il rinnovo di {product}", "Turn off renewal of {product}";
    OpResume => "Riattiva il rinnovo di {product}", "Turn renewal of {product} back on";
    OpReactivate => "Riattiva {product}: {plan}", "Reactivate {product}: {plan}";
    PlanText => "{tier} × {seats}", "{tier} × {seats}";
    ReviewTitle => "Completa transazione", "Complete transaction";
    ReviewIntro => "Il nuovo periodo di fatturazione inizia oggi, {date}.", "The new billing period starts today, {date}.";
    EditOrder => "Modifica ordine", "Edit order";
    UpdateOrder => "Aggiorna l'ordine", "Update the order";
    ReviewEmpty => "Il carrello è vuoto: non c'è nulla da completare.", "The cart is empty: there is nothing to complete.";
    VatId => "Partita IVA (facoltativa)", "VAT id (optional)";
    VatIdHint => "Prefisso del paese e numero, per esempio IT00743110157.", "Country prefix and number, for example IT00743110157.";
    VatIdInvalid => "Il formato della partita IVA non è valido (prefisso del paese e numero).", "The VAT id's format is not valid (country prefix and number).";
    VatIdCheckDigit => "La cifra di controllo della partita IVA è sbagliata: ricontrolla le cifre.", "The VAT id's check digit is wrong: check its digits.";
    VatIdOtherCountry => "La partita IVA è di un altro paese.", "The VAT id belongs to another country.";
    VatIdValid => "Formato valido.", "Valid format.";
    PaymentMethod => "Metodo di pagamento", "Payment method";
    CardText => "{brand} che termina con {last4}, scadenza {exp}", "{brand} ending in {last4}, expires {exp}";
    NoPaymentMethod => "Non ci sono metodi di pagamento in archivio: per aggiungerne uno contatta l'Assistenza clienti: {phone}, {url}.", "There is no payment method on file: to add one contact Customer Care: {phone}, {url}.";
    NoPaymentNeeded => "Nessun pagamento necessario.", "No payment needed.";
    PlaceOrder => "Effettua ordine", "Place order";
    Placing => "Invio dell'ordine…", "Placing the order…";
    PriceChanged => "Il prezzo è cambiato dall'anteprima. Controlla il nuovo totale e conferma di nuovo.", "The price changed since the preview. Check the new total and confirm again.";
    Declined => "La carta è stata rifiutata. Il carrello è invariato: scegli un altro metodo di pagamento o riprova.", "The card was declined. Your cart is unchanged: choose another payment method or try again.";
    MaybePlaced => "L'ordine potrebbe essere stato effettuato: il server non l'ha confermato. Il carrello è invariato: riprova, l'ordine non verrà duplicato.", "The order may have been placed: the server did not confirm it. Your cart is unchanged: retry, the order will not be placed twice.";
    OrderInProgress => "Un ordine di questo account è in corso di pagamento: riprova tra poco, l'ordine non verrà duplicato.", "An order of this account is being paid: retry shortly, the order will not be placed twice.";
    SeatsRefused => "Il numero di licenze è fuori dai limiti del piano: correggilo.", "The number of seats is outside the plan's limits: correct it.";
    CatalogChanged => "Il listino è cambiato: ricarica la pagina e scegli di nuovo.", "The price list has changed: reload the page and choose again.";
    AppRefused => "Il server non ha accettato la richiesta: ricarica la pagina e riprova, o chiama l'Assistenza clienti: {phone}.", "The server did not accept the request: reload the page and try again, or call Customer Care: {phone}.";
    NotFound => "Non trovato: forse appartiene a un altro account.", "Not found: it may belong to another account.";
    UnknownUser => "Questa persona non è un utente dell'account.", "This person is not a user of the account.";
    CardInUse => "Questa carta serve ai rinnovi o a un pagamento in corso: non si può rimuovere ora.", "This card is needed for renewals or a payment in progress: it cannot be removed now.";
    CardRefused => "Il fornitore dei pagamenti ha rifiutato la carta.", "The payment provider refused the card.";
    SetupNotConfirmed => "Il fornitore dei pagamenti non ha ancora confermato la carta: riprova tra poco.", "The payment provider has not confirmed the card yet: try again shortly.";
    NotPayable => "Questo rinnovo non è da pagare ora.", "This renewal is not due for payment now.";
    NotBillingContact => "Solo il contatto di fatturazione, {contact}, può effettuare ordini.", "Only the billing contact, {contact}, can place orders.";
    NoBillingContact => "Questo account non ha un contatto di fatturazione: chiama l'Assistenza clienti: {phone}.", "This account has no billing contact: call Customer Care: {phone}.";
    LoadFailedTitle => "Impossibile mostrare l'account", "The account cannot be shown";
    AccountUnreadable => "Il server ha inviato una risposta illeggibile: riprova o chiama l'Assistenza clienti: {phone}.", "The server sent an unreadable answer: try again or call Customer Care: {phone}.";
    CorporateRefused => "Gli account Corporate ordinano tramite il Portale di fatturazione Corporate.", "Corporate accounts order through the Corporate Billing Portal.";
    DowngradeRefused => "Il passaggio a un piano inferiore richiede l'Assistenza clienti: {phone}, {url}.", "A move to a lower plan needs Customer Care: {phone}, {url}.";
    OrderError => "Questo ordine non è possibile. Per aiuto contatta l'Assistenza clienti: {phone}.", "This order is not possible. For help contact Customer Care: {phone}.";
    RefusedTrialUsed => "La prova gratuita di questo prodotto è già stata usata: puoi acquistarlo.", "This product's free trial has already been used: you can buy it.";
    RefusedHeld => "Hai già questo prodotto: puoi modificarlo dal Centro fatturazione.", "You already have this product: you can change it from the Billing Center.";
    RefusedStatus => "L'abbonamento è cambiato: torna al Centro fatturazione e riprova.", "The subscription has changed: go back to the Billing Center and try again.";
    SessionExpired => "La sessione è scaduta: accedi di nuovo.", "Your session has expired: please sign in again.";
    ConfirmTitle => "Ordine effettuato", "Order placed";
    ConfirmText => "Ecco che cosa cambia:", "Here is what changes:";
    TotalPaid => "Totale pagato", "Total paid";
    ReceiptMail => "Riceverai un'e-mail di conferma con la ricevuta.", "A confirmation e-mail with the receipt follows.";
    AssignLicenses => "Hai aggiunto licenze: non dimenticare di assegnarle ai tuoi utenti, in modo che possano accedere al prodotto.", "You added seats: remember to assign them to your users so they can use the product.";
    TrialTitle => "La prova è attiva", "Your trial has started";
    TrialText => "La prova gratuita di {product} è attiva fino al {end} incluso. Riceverai un'e-mail di benvenuto.", "Your free trial of {product} runs until {end} included. A welcome e-mail follows.";
    OrderNumber => "Ordine {id}", "Order {id}";
    ReceiptTitle => "Ricevuta", "Receipt";
    Print => "Stampa", "Print";
    BilledTo => "Intestata a", "Billed to";
    Paid => "Pagato", "Paid";
    NoPayment => "Nessun pagamento", "No payment";
    Amount => "Importo", "Amount";
    Announcement => "Avvisi", "Notices";
    // Issue 14: locale, accessibility details and the amount due on a phone.
    ShowSummary => "Vedi il riepilogo", "See the summary";
    // Issue 15: the optional reason of a renewal turned off (R29, S106).
    ReasonQuestion => "perché disattivi il rinnovo? (facoltativo)", "why are you turning renewal off? (optional)";
    ReasonCode => "Motivo", "Reason";
    ReasonNone => "Nessuna risposta", "No answer";
    ReasonTooExpensive => "Costa troppo", "Too expensive";
    ReasonMissingFeatures => "Mancano funzioni", "Missing features";
    ReasonSwitching => "Passo a un altro prodotto", "Switching to another product";
    ReasonNotUsing => "Non lo uso", "Not using it";
    ReasonOther => "Altro", "Other";
    ReasonText => "Note (facoltative, al massimo 500 caratteri)", "Notes (optional, at most 500 characters)";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_exists_in_both_languages_and_differs_where_it_should() {
        for key in ALL_KEYS {
            assert!(!Lang::It.t(*key).is_empty(), "{key:?}");
            assert!(!Lang::En.t(*key).is_empty(), "{key:?}");
        }
        assert_eq!(
            Lang::It.t(Key::CompleteTransaction),
            "Completa la transazione"
        );
        assert_eq!(Lang::En.t(Key::AddToCart), "Add to cart");
    }

    #[test]
    fn placeholders_are_filled_by_name() {
        let text = fill(Lang::It.t(Key::SeatsHint), &[("min", "1"), ("max", "250")]);
        assert_eq!(text, "Da 1 a 250 licenze.");
    }

    #[test]
    fn every_error_code_of_the_api_has_words_of_its_own() {
        // Only these two fall back to the general refusal: no change of the order helps, only
        // Customer Care (its number is in that text).
        let general = ["currency_not_sold", "country_not_supported"];
        for code in api::ErrorCode::ALL {
            let code = serde_json::to_value(code).expect("a code");
            let code = code.as_str().expect("a string");
            let key = refusal_key(code);
            assert_eq!(key == Key::OrderError, general.contains(&code), "{code}");
        }
        assert_eq!(refusal_key("something_new"), Key::OrderError);
    }

    #[test]
    fn unknown_language_codes_fall_back_to_italian() {
        assert_eq!(Lang::from_code("fr"), Lang::It);
        assert_eq!(Lang::from_code("en"), Lang::En);
    }
}
