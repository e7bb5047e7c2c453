//! Every text of the account pages, Italian first, English second. Components ask [`text`] for a
//! [`Key`] and fill the `{…}` placeholders of the texts that take values with `ui::fill`.

use ui::Lang;

use crate::model::{Field, Problem};

macro_rules! texts {
    ($($key:ident => $it:expr, $en:expr;)*) => {
        /// The id of one user-visible text.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[allow(missing_docs)]
        pub enum Key { $($key),* }

        /// The text of `key` in `lang`.
        pub fn text(lang: Lang, key: Key) -> &'static str {
            match (lang, key) {
                $((Lang::It, Key::$key) => $it, (Lang::En, Key::$key) => $en,)*
            }
        }

        /// Every key, for the completeness test.
        #[cfg(test)]
        pub(crate) const ALL_KEYS: &[Key] = &[$(Key::$key),*];
    };
}

texts! {
    AppName => "Centro fatturazione", "Billing Center";
    PageTitle => "Gestione account", "Account settings";
    SwitchLang => "English", "Italiano";
    SwitchLangLabel => "Switch to English", "Passa all'italiano";
    SkipToContent => "Vai al contenuto", "Skip to content";
    BackToOverview => "Torna al Centro fatturazione", "Back to the Billing Center";
    Loading => "Caricamento…", "Loading…";
    Retry => "Riprova", "Retry";
    Cancel => "Annulla", "Cancel";
    NetworkError => "Il server non risponde. Controlla la connessione e riprova.", "The server does not answer. Check your connection and try again.";
    GenericError => "Qualcosa non ha funzionato. Riprova tra poco.", "Something went wrong. Please try again shortly.";
    NotFound => "Non più presente: la pagina è stata aggiornata.", "No longer there: the page has been refreshed.";
    ReadOnlyTitle => "Solo consultazione", "Read only";
    ReadOnlyText => "Solo il contatto di fatturazione può modificare metodi di pagamento, dati di fatturazione e contatto. Rivolgiti a {contact}.", "Only the billing contact can change payment methods, billing information and the contact. Ask {contact}.";
    NoContactText => "L'account non ha un contatto di fatturazione: rivolgiti all'Assistenza clienti.", "The account has no billing contact: please contact Customer Care.";
    NotBillingContact => "Non sei più il contatto di fatturazione: la pagina ora è in sola consultazione.", "You are no longer the billing contact: the page is now read only.";
    CorporateTitle => "Account Corporate", "Corporate account";
    CorporateText => "Il tuo account è gestito con il tuo rappresentante nel Portale di fatturazione Corporate: lì si gestiscono pagamenti, dati di fatturazione e contatti.", "Your account is managed with your representative in the Corporate Billing Portal: payments, billing information and contacts are managed there.";
    CorporateLink => "Vai al Portale di fatturazione Corporate", "Go to the Corporate Billing Portal";
    InfoTitle => "Dati di fatturazione", "Billing information";
    InfoIntro => "Compaiono sulle ricevute dei prossimi ordini e rinnovi; le ricevute già emesse restano come erano.", "They appear on the receipts of future orders and renewals; receipts already issued stay as they were.";
    Company => "Ragione sociale", "Company name";
    Line1 => "Indirizzo", "Address";
    Line2 => "Indirizzo, seconda riga (facoltativa)", "Address line 2 (optional)";
    City => "Città", "City";
    PostalCode => "CAP", "Postal code";
    Region => "Provincia o regione (facoltativa)", "Province or region (optional)";
    Country => "Paese", "Country";
    CountryFixed => "Il paese dell'account non si modifica qui: rivolgiti all'Assistenza clienti.", "The account's country cannot be changed here: please contact Customer Care.";
    VatId => "Partita IVA (facoltativa)", "VAT number (optional)";
    VatHint => "Prefisso del paese e numero, per esempio IT00743110157.", "Country prefix and number, for example IT00743110157.";
    VatOk => "Formato valido.", "Valid format.";
    Save => "Salva i dati di fatturazione", "Save billing information";
    Saving => "Salvataggio…", "Saving…";
    Saved => "Dati di fatturazione salvati.", "Billing information saved.";
    FixFields => "Correggi i campi segnalati.", "Please correct the fields marked.";
    Required => "Campo obbligatorio.", "This field is required.";
    TooLong => "Troppo lungo.", "Too long.";
    ControlCharacter => "Contiene un a capo o un carattere non ammesso.", "It holds a line break or a character that is not allowed.";
    PostalCodeDigits => "Il CAP è di cinque cifre.", "The postal code is five digits.";
    PostalCodeChars => "Solo lettere, cifre, spazi e trattini.", "Only letters, digits, spaces and hyphens.";
    VatFormat => "Non è nel formato di una partita IVA europea (prefisso del paese e numero).", "This is not in the format of an EU VAT number (country prefix and number).";
    VatCheckDigit => "La cifra di controllo della partita IVA non è corretta: controlla il numero.", "The check digit of this VAT number is wrong: please check the number.";
    VatOtherCountry => "La partita IVA deve essere del paese dell'account ({country}).", "The VAT number must be of the account's country ({country}).";
    FieldRefused => "Il server non accetta questo valore.", "The server does not accept this value.";
    CardsTitle => "Metodi di pagamento", "Payment methods";
    CardsIntro => "La carta predefinita paga i rinnovi automatici.", "The default card pays automatic renewals.";
    CardName => "{brand} che termina con {last4}", "{brand} ending in {last4}";
    Expires => "Scadenza {exp}", "Expires {exp}";
    DefaultBadge => "Predefinita", "Default";
    MakeDefault => "Rendi predefinita", "Make default";
    MakeDefaultLabel => "Rendi predefinita la carta {card}", "Make default: {card}";
    Remove => "Rimuovi", "Remove";
    RemoveLabel => "Rimuovi la carta {card}", "Remove the card {card}";
    RemoveQuestion => "Rimuovere la carta {card}? Non potrà più pagare ordini e rinnovi.", "Remove the card {card}? It will no longer pay orders or renewals.";
    RemoveYes => "Sì, rimuovi", "Yes, remove";
    NoCards => "Nessuna carta registrata.", "No card on file.";
    AddCard => "Aggiungi una carta", "Add a card";
    AddCardHint => "Il numero della carta si inserisce solo sulla pagina protetta del fornitore dei pagamenti, che poi ti riporta qui.", "You type the card number only on the payment provider's secure page, which then brings you back here.";
    Adding => "Apertura della pagina del fornitore…", "Opening the provider's page…";
    Checking => "Verifica della carta…", "Checking the card…";
    CardAdded => "Carta aggiunta: {card}.", "Card added: {card}.";
    CardRefused => "La carta non è stata aggiunta: è stata rifiutata, oppure la conferma è stata annullata. Non è stato salvato nulla; puoi riprovare con un'altra carta.", "The card was not added: it was declined, or the confirmation was cancelled. Nothing was saved; you can try again with another card.";
    NotConfirmed => "La carta non è stata confermata, quindi non è stata salvata. Per aggiungerla ricomincia da «Aggiungi una carta».", "The card was not confirmed, so nothing was saved. To add it, start again from “Add a card”.";
    CardInUse => "Questa carta non si può rimuovere ora: è l'unica dell'account e paga i rinnovi automatici, oppure un pagamento con questa carta è in corso. Aggiungi prima un'altra carta, o riprova tra un momento.", "This card cannot be removed now: it is the account's only card and pays the automatic renewals, or a payment with it is in progress. Add another card first, or try again in a moment.";
    DefaultSet => "{card} ora è la carta predefinita.", "{card} is now the default card.";
    Removed => "Carta {card} rimossa.", "Card {card} removed.";
    NextRenewal => "Prossimo rinnovo: {amount} il {date}, addebitato su {card}.", "Next renewal: {amount} on {date}, charged to {card}.";
    NextRenewalNoCard => "Prossimo rinnovo: {amount} il {date}. Nessuna carta predefinita: aggiungine una.", "Next renewal: {amount} on {date}. No default card: please add one.";
    NoRenewal => "Nessun rinnovo in programma.", "No renewal scheduled.";
    ContactTitle => "Contatto di fatturazione", "Billing contact";
    ContactCurrent => "Contatto attuale: {contact}.", "Current billing contact: {contact}.";
    ContactIntro => "Solo il contatto di fatturazione effettua ordini e gestisce pagamenti e dati di fatturazione. Puoi passare il ruolo a un altro utente dell'account.", "Only the billing contact places orders and manages payments and billing information. You can hand the role to another user of the account.";
    ContactPick => "Nuovo contatto di fatturazione", "New billing contact";
    ContactChoose => "Scegli un utente", "Choose a user";
    ContactNext => "Continua", "Continue";
    ContactQuestion => "Passare il ruolo a {user}? Da quel momento vedrai l'account in sola consultazione: solo {user} potrà effettuare ordini e gestire pagamenti e dati di fatturazione.", "Hand the role to {user}? From then on you will see the account read only: only {user} will be able to place orders and manage payments and billing information.";
    ContactYes => "Sì, cambia contatto", "Yes, change the contact";
    ContactDone => "{user} ora è il contatto di fatturazione.", "{user} is now the billing contact.";
    ContactNoOthers => "Nell'account non ci sono altri utenti a cui passare il ruolo.", "The account has no other user to hand the role to.";
    UnknownUser => "Questo utente non fa più parte dell'account: scegline un altro.", "This user is no longer part of the account: please choose another.";
    // The billing history, a renewal's receipt and "Paga ora" (R28, R31, S107).
    HistoryTitle => "Cronologia di fatturazione", "Billing history";
    HistoryLink => "Cronologia di fatturazione e ricevute", "Billing history and receipts";
    NoHistory => "Nessun ordine e nessun rinnovo.", "No orders or renewals yet.";
    Date => "Data", "Date";
    Description => "Descrizione", "Description";
    Number => "Numero", "Number";
    Total => "Totale", "Total";
    Status => "Stato", "Status";
    Receipt => "Ricevuta", "Receipt";
    OrderReceiptLabel => "Ricevuta dell'ordine {id}", "Receipt of order {id}";
    RenewalReceiptLabel => "Ricevuta del rinnovo {id}", "Receipt of renewal {id}";
    StatusPaid => "Pagato", "Paid";
    StatusNoPayment => "Nessun pagamento", "No payment";
    StatusPending => "In attesa di addebito", "Awaiting charge";
    StatusFailedRetry => "Pagamento non riuscito: nuovo tentativo il {date}", "Payment failed: next try on {date}";
    StatusFailed => "Pagamento non riuscito", "Payment failed";
    StatusExpired => "Non pagato: abbonamento scaduto", "Unpaid: subscription expired";
    HistoryRenewal => "Rinnovo: {name} × {seats}", "Renewal: {name} × {seats}";
    HistoryChange => "Modifica: {name} × {seats}", "Change: {name} × {seats}";
    HistoryBuy => "Acquisto: {name} × {seats}", "Purchase: {name} × {seats}";
    HistoryTrial => "Prova gratuita: {name}", "Free trial: {name}";
    HistoryCancel => "Rinnovo disattivato: {name}", "Renewal turned off: {name}";
    HistoryResume => "Rinnovo riattivato: {name}", "Renewal turned back on: {name}";
    SeatOne => "{n} licenza", "{n} seat";
    SeatMany => "{n} licenze", "{n} seats";
    PeriodRange => "dal {start} al {end}", "from {start} to {end}";
    RenewalItem => "Rinnovo di {name}, {seats} a {unit} per licenza, {range}", "Renewal of {name}, {seats} at {unit} per seat, {range}";
    Subtotal => "Subtotale", "Subtotal";
    Vat => "IVA {rate}%", "VAT {rate}%";
    ReverseCharge => "IVA: inversione contabile (reverse charge)", "VAT: reverse charge";
    CreditApplied => "Credito applicato", "Credit applied";
    AmountPaid => "Totale pagato", "Total paid";
    PaidWith => "Pagato con {card}.", "Paid with {card}.";
    RenewalNumber => "Rinnovo {id}", "Renewal {id}";
    BilledTo => "Intestata a", "Billed to";
    Print => "Stampa", "Print";
    BackToHistory => "Torna alla cronologia", "Back to the billing history";
    RenewalUnknown => "Questo rinnovo non è nella cronologia dell'account.", "This renewal is not in the account's billing history.";
    PayNow => "Paga ora", "Pay now";
    PayNowLabel => "Paga ora il rinnovo {id}", "Pay renewal {id} now";
    PayNowText => "Paga ora questo rinnovo con una carta dell'account: il servizio continua senza interruzioni.", "Pay this renewal now with a card of the account: the service goes on without a break.";
    PayCard => "Carta da addebitare", "Card to charge";
    Paying => "Pagamento in corso…", "Paying…";
    PayDone => "Pagamento riuscito: il rinnovo è pagato.", "Payment succeeded: the renewal is paid.";
    PayDeclined => "La carta è stata rifiutata e nulla è stato addebitato. Scegli un'altra carta o aggiungine una.", "The card was declined and nothing was charged. Choose another card or add one.";
    NotPayable => "Questo rinnovo non si può più pagare: la pagina è stata aggiornata.", "This renewal can no longer be paid: the page has been refreshed.";
    AddCardFirst => "Per pagare serve una carta: aggiungila in Gestione account.", "A card is needed to pay: add one in Account settings.";
}

/// The text of a field's label.
pub fn field_label(field: Field) -> Key {
    match field {
        Field::Company => Key::Company,
        Field::Line1 => Key::Line1,
        Field::Line2 => Key::Line2,
        Field::City => Key::City,
        Field::PostalCode => Key::PostalCode,
        Field::Region => Key::Region,
        Field::VatId => Key::VatId,
    }
}

/// The text shown next to a field for a problem.
pub fn problem_key(problem: Problem) -> Key {
    match problem {
        Problem::Required => Key::Required,
        Problem::TooLong => Key::TooLong,
        Problem::ControlCharacter => Key::ControlCharacter,
        Problem::PostalCodeDigits => Key::PostalCodeDigits,
        Problem::PostalCodeChars => Key::PostalCodeChars,
        Problem::VatFormat => Key::VatFormat,
        Problem::VatCheckDigit => Key::VatCheckDigit,
        Problem::VatOtherCountry => Key::VatOtherCountry,
        Problem::Refused => Key::FieldRefused,
    }
}

/// The words of an api.md error code the account pages meet; never the code itself.
pub fn refusal_key(code: &str) -> Key {
    match code {
        "payment_method_in_use" => Key::CardInUse,
        "payment_method_refused" => Key::CardRefused,
        "setup_not_confirmed" => Key::NotConfirmed,
        "unknown_user" => Key::UnknownUser,
        "invalid_vat_id" => Key::VatFormat,
        "not_billing_contact" => Key::NotBillingContact,
        "corporate_account" => Key::CorporateText,
        "not_found" => Key::NotFound,
        "payment_declined" => Key::PayDeclined,
        "not_payable" => Key::NotPayable,
        _ => Key::GenericError,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_exists_in_both_languages() {
        for key in ALL_KEYS {
            for lang in [Lang::It, Lang::En] {
                assert!(!text(lang, *key).is_empty(), "{key:?}");
            }
            // No text reads the same in both languages: one that does was not translated.
            assert_ne!(text(Lang::It, *key), text(Lang::En, *key), "{key:?}");
        }
    }

    #[test]
    fn the_refusals_of_r25_and_r26_are_told_in_words() {
        assert_eq!(refusal_key("payment_method_in_use"), Key::CardInUse);
        assert_eq!(refusal_key("setup_not_confirmed"), Key::NotConfirmed);
        assert_eq!(refusal_key("unknown_user"), Key::UnknownUser);
        assert_eq!(refusal_key("something_new"), Key::GenericError);
        assert!(text(Lang::It, Key::CardInUse).contains("unica"));
        assert!(
            ui::fill(
                text(Lang::En, Key::CardName),
                &[("brand", "Visa"), ("last4", "4242")]
            )
            .ends_with("ending in 4242")
        );
    }
}
