//! The quote page's texts in Italian (the default) and English. Plain texts are fields of
//! [`Texts`]; texts that carry values are methods of [`QuoteTexts`] on the shared [`Lang`], so
//! that every placeholder is checked by the compiler.

use billing::{Frequency, LineKind, SubscriptionStatus};

use crate::model::Op;
pub use ui::Lang;

/// Every plain text of the page in one language.
#[derive(Debug)]
pub struct Texts {
    /// The BCP 47 tag for `<html lang>` and the browser's `Intl` formatters.
    pub locale: &'static str,
    /// The document title.
    pub document_title: &'static str,
    /// The page heading.
    pub heading: &'static str,
    /// The introduction before the bundled catalog version.
    pub intro_before_version: &'static str,
    /// The introduction after the bundled catalog version.
    pub intro_after_version: &'static str,
    /// The language switch's text: the other language's name, in that language.
    pub switch_lang: &'static str,
    /// The language switch's accessible name.
    pub switch_lang_label: &'static str,
    /// The banner of a shared link, before the catalog version.
    pub shared_before_version: &'static str,
    /// The account fieldset.
    pub account: &'static str,
    /// The country field.
    pub country: &'static str,
    /// The currency field.
    pub currency: &'static str,
    /// The VAT id field.
    pub vat_id: &'static str,
    /// The credit field.
    pub credit: &'static str,
    /// The heading of the current subscriptions.
    pub current_subscriptions: &'static str,
    /// The button that adds a subscription.
    pub add_subscription: &'static str,
    /// The button that removes a subscription.
    pub remove_subscription: &'static str,
    /// The heading of the order.
    pub order: &'static str,
    /// The button that adds an order item.
    pub add_item: &'static str,
    /// The button that removes an order item.
    pub remove_item: &'static str,
    /// The heading of the quote date.
    pub quote_date_heading: &'static str,
    /// The quote date field.
    pub priced_on: &'static str,
    /// The product field.
    pub product: &'static str,
    /// The plan field.
    pub plan: &'static str,
    /// The billing frequency field.
    pub billing: &'static str,
    /// The status field.
    pub status: &'static str,
    /// The period start field.
    pub period_start: &'static str,
    /// The period end.
    pub period_end: &'static str,
    /// The operation field.
    pub operation: &'static str,
    /// The subscription field of an item.
    pub subscription: &'static str,
    /// The seat stepper's label.
    pub seats: &'static str,
    /// The "−" button's name.
    pub one_fewer: &'static str,
    /// The "+" button's name.
    pub one_more: &'static str,
    /// The "contact sales" link.
    pub contact_sales: &'static str,
    /// The quote document's accessible name.
    pub quote: &'static str,
    /// The quote document's heading, before its number.
    pub quote_heading: &'static str,
    /// Before the quote's date.
    pub date: &'static str,
    /// The validity, before its last day.
    pub valid_until: &'static str,
    /// The lines' columns.
    pub description: &'static str,
    /// The period column.
    pub period: &'static str,
    /// The unit price column.
    pub unit_price: &'static str,
    /// The amount column.
    pub amount: &'static str,
    /// The subtotal.
    pub subtotal: &'static str,
    /// The reverse-charge tax line.
    pub reverse_charge: &'static str,
    /// The total.
    pub total: &'static str,
    /// The credit applied.
    pub credit_applied: &'static str,
    /// The amount due.
    pub amount_due: &'static str,
    /// The credit left.
    pub credit_after: &'static str,
    /// The foot, before the catalog version.
    pub priced_with: &'static str,
    /// The foot, before the currency code.
    pub amounts_in: &'static str,
    /// The foot, after the currency code.
    pub rounded: &'static str,
    /// The share button.
    pub share: &'static str,
    /// The print button.
    pub print: &'static str,
    /// The share link field.
    pub share_link: &'static str,
    /// Before the reason there is no quote.
    pub no_quote: &'static str,
    /// Why there is no quote while a seat field holds no seat count.
    pub seats_entry_invalid: &'static str,
}

/// The Italian texts.
pub const IT: Texts = Texts {
    locale: "it-IT",
    document_title: "Preventivo offline - Centro fatturazione",
    heading: "Preventivo offline",
    intro_before_version: "Descrivi l'account e l'ordine: il preventivo è calcolato nel browser con il motore di fatturazione e il listino incluso (",
    intro_after_version: "), anche senza rete.",
    switch_lang: "English",
    switch_lang_label: "Switch to English",
    shared_before_version: "Preventivo aperto da un link: calcolato con il listino ",
    account: "Account",
    country: "Paese",
    currency: "Valuta",
    vat_id: "Partita IVA (facoltativa)",
    credit: "Credito",
    current_subscriptions: "Abbonamenti attuali",
    add_subscription: "Aggiungi abbonamento",
    remove_subscription: "Rimuovi abbonamento",
    order: "Ordine",
    add_item: "Aggiungi voce",
    remove_item: "Rimuovi voce",
    quote_date_heading: "Data del preventivo",
    priced_on: "Calcolato al",
    product: "Prodotto",
    plan: "Piano",
    billing: "Fatturazione",
    status: "Stato",
    period_start: "Inizio del periodo",
    period_end: "Fine del periodo",
    operation: "Operazione",
    subscription: "Abbonamento",
    seats: "Licenze",
    one_fewer: "Una licenza in meno",
    one_more: "Una licenza in più",
    contact_sales: "Contatta le vendite",
    quote: "Preventivo",
    quote_heading: "Preventivo ",
    date: "Data: ",
    valid_until: " · Valido 30 giorni, fino al ",
    description: "Descrizione",
    period: "Periodo",
    unit_price: "Prezzo unitario",
    amount: "Importo",
    subtotal: "Imponibile",
    reverse_charge: "IVA: inversione contabile (reverse charge)",
    total: "Totale",
    credit_applied: "Credito usato",
    amount_due: "Da pagare",
    credit_after: "Credito residuo",
    priced_with: "Calcolato con il listino ",
    amounts_in: ". Importi in ",
    rounded: ", arrotondati al centesimo per riga.",
    share: "Crea link condivisibile",
    print: "Stampa / salva PDF",
    share_link: "Link del preventivo",
    no_quote: "Nessun preventivo: ",
    seats_entry_invalid: "un numero di licenze inserito non è valido; correggilo per vedere il preventivo.",
};

/// The English texts.
pub const EN: Texts = Texts {
    locale: "en",
    document_title: "Offline quote - Billing Center",
    heading: "Offline quote",
    intro_before_version: "Describe the account and the order: the quote is computed in the browser by the billing engine with the bundled price list (",
    intro_after_version: "), even without a network.",
    switch_lang: "Italiano",
    switch_lang_label: "Passa all'italiano",
    shared_before_version: "Quote opened from a link: priced with the price list ",
    account: "Account",
    country: "Country",
    currency: "Currency",
    vat_id: "VAT id (optional)",
    credit: "Credit",
    current_subscriptions: "Current subscriptions",
    add_subscription: "Add subscription",
    remove_subscription: "Remove subscription",
    order: "Order",
    add_item: "Add item",
    remove_item: "Remove item",
    quote_date_heading: "Quote date",
    priced_on: "Priced on",
    product: "Product",
    plan: "Plan",
    billing: "Billing",
    status: "Status",
    period_start: "Period start",
    period_end: "Period end",
    operation: "Operation",
    subscription: "Subscription",
    seats: "Seats",
    one_fewer: "One seat fewer",
    one_more: "One seat more",
    contact_sales: "Contact sales",
    quote: "Quote",
    quote_heading: "Quote ",
    date: "Date: ",
    valid_until: " · Valid for 30 days, until ",
    description: "Description",
    period: "Period",
    unit_price: "Unit price",
    amount: "Amount",
    subtotal: "Subtotal",
    reverse_charge: "VAT: reverse charge",
    total: "Total",
    credit_applied: "Credit applied",
    amount_due: "Amount due",
    credit_after: "Credit left",
    priced_with: "Priced with the price list ",
    amounts_in: ". Amounts in ",
    rounded: ", rounded to the cent per line.",
    share: "Create shareable link",
    print: "Print / save as PDF",
    share_link: "Quote link",
    no_quote: "No quote: ",
    seats_entry_invalid: "a number of seats entered is not valid; correct it to see the quote.",
};

/// The quote page's texts in a language.
pub trait QuoteTexts {
    /// The plain texts of this language.
    fn texts(self) -> &'static Texts;

    /// A billing frequency.
    fn frequency(self, frequency: Frequency) -> &'static str;

    /// A subscription status (R12-R15).
    fn status(self, status: SubscriptionStatus) -> &'static str;

    /// An order operation.
    fn op(self, op: Op) -> &'static str;

    /// A quote line of `plan` (product and tier names).
    fn line(self, kind: LineKind, plan: &str) -> String;

    /// The legend of the `n`-th current subscription (from 1).
    fn subscription_legend(self, n: usize) -> String;

    /// An order item's choice of the `n`-th current subscription, with its plan.
    fn subscription_option(self, n: usize, plan: &str) -> String;

    /// The period a quote line covers: from its first day to its end (exclusive, R8).
    fn period(self, start: &str, end: &str) -> String;

    /// The legend of the `n`-th order item (from 1).
    fn item_legend(self, n: usize) -> String;

    /// The seat stepper's message for a wrong number (R5).
    fn invalid_seats(self, min: u32, max: u32) -> String;

    /// The seat stepper's message above the plan's maximum (R5).
    fn contact_sales_above(self, max: u32) -> String;

    /// The tax line of a quote: rate and country.
    fn tax(self, rate: &str, country: &str) -> String;

    /// The customer line of a quote: country and, if given, VAT id.
    fn customer(self, country: &str, vat_id: Option<&str>) -> String;

    /// The allowed range of the quote date (R9): from `first` to the day before `end`, the end of
    /// the current periods as the period end field shows it (R8, half-open).
    fn date_range(self, first: &str, end: &str) -> String;

    /// The warning of a shared link priced with an older catalog than the bundled one.
    fn newer_catalog(self, bundled: &str, linked: &str) -> String;

    /// The warning of a shared link whose total differs from today's.
    fn total_changed(self, linked: &str, now: &str) -> String;
}

impl QuoteTexts for Lang {
    fn texts(self) -> &'static Texts {
        match self {
            Lang::It => &IT,
            Lang::En => &EN,
        }
    }

    fn frequency(self, frequency: Frequency) -> &'static str {
        match (self, frequency) {
            (Lang::It, Frequency::Monthly) => "Mensile",
            (Lang::It, Frequency::Annual) => "Annuale",
            (Lang::En, Frequency::Monthly) => "Monthly",
            (Lang::En, Frequency::Annual) => "Annual",
        }
    }

    fn status(self, status: SubscriptionStatus) -> &'static str {
        match (self, status) {
            (Lang::It, SubscriptionStatus::Active) => "Attivo",
            (Lang::It, SubscriptionStatus::PendingCancellation) => "Disdetto (in scadenza)",
            (Lang::It, SubscriptionStatus::Trial) => "In prova",
            (Lang::It, SubscriptionStatus::Expired) => "Scaduto",
            (Lang::En, SubscriptionStatus::Active) => "Active",
            (Lang::En, SubscriptionStatus::PendingCancellation) => "Cancelled (until period end)",
            (Lang::En, SubscriptionStatus::Trial) => "Trial",
            (Lang::En, SubscriptionStatus::Expired) => "Expired",
        }
    }

    fn op(self, op: Op) -> &'static str {
        match (self, op) {
            (Lang::It, Op::Change) => "Modifica abbonamento",
            (Lang::It, Op::Buy) => "Acquisto",
            (Lang::It, Op::Trial) => "Prova gratuita",
            (Lang::It, Op::Cancel) => "Disdetta",
            (Lang::It, Op::Resume) => "Ripresa",
            (Lang::It, Op::Reactivate) => "Riattivazione",
            (Lang::En, Op::Change) => "Change subscription",
            (Lang::En, Op::Buy) => "Purchase",
            (Lang::En, Op::Trial) => "Free trial",
            (Lang::En, Op::Cancel) => "Cancellation",
            (Lang::En, Op::Resume) => "Resumption",
            (Lang::En, Op::Reactivate) => "Reactivation",
        }
    }

    fn line(self, kind: LineKind, plan: &str) -> String {
        let what = match (self, kind) {
            (Lang::It, LineKind::Charge) => "nuovo periodo",
            (Lang::It, LineKind::ProrationCredit) => "credito per il periodo non usato",
            (Lang::It, LineKind::Trial) => "prova gratuita",
            (Lang::It, LineKind::Cancel) => "disdetta del rinnovo",
            (Lang::It, LineKind::Resume) => "ripresa del rinnovo",
            (Lang::En, LineKind::Charge) => "new period",
            (Lang::En, LineKind::ProrationCredit) => "credit for the unused period",
            (Lang::En, LineKind::Trial) => "free trial",
            (Lang::En, LineKind::Cancel) => "renewal turned off",
            (Lang::En, LineKind::Resume) => "renewal turned back on",
        };
        format!("{plan}: {what}")
    }

    fn subscription_legend(self, n: usize) -> String {
        match self {
            Lang::It => format!("Abbonamento {n}"),
            Lang::En => format!("Subscription {n}"),
        }
    }

    fn subscription_option(self, n: usize, plan: &str) -> String {
        match self {
            Lang::It => format!("Abbonamento {n}: {plan}"),
            Lang::En => format!("Subscription {n}: {plan}"),
        }
    }

    fn period(self, start: &str, end: &str) -> String {
        match self {
            Lang::It => format!("dal {start} al {end}"),
            Lang::En => format!("{start} to {end}"),
        }
    }

    fn item_legend(self, n: usize) -> String {
        match self {
            Lang::It => format!("Voce {n}"),
            Lang::En => format!("Item {n}"),
        }
    }

    fn invalid_seats(self, min: u32, max: u32) -> String {
        match self {
            Lang::It => format!("Inserisci un numero intero da {min} a {max}."),
            Lang::En => format!("Enter a whole number from {min} to {max}."),
        }
    }

    fn contact_sales_above(self, max: u32) -> String {
        match self {
            Lang::It => format!("Oltre {max} licenze serve un'offerta del team commerciale."),
            Lang::En => format!("Above {max} seats, our sales team makes an offer."),
        }
    }

    fn tax(self, rate: &str, country: &str) -> String {
        match self {
            Lang::It => format!("IVA {rate}% ({country})"),
            Lang::En => format!("VAT {rate}% ({country})"),
        }
    }

    fn customer(self, country: &str, vat_id: Option<&str>) -> String {
        match (self, vat_id) {
            (Lang::It, None) => format!("Cliente: paese {country}"),
            (Lang::It, Some(vat)) => format!("Cliente: paese {country}, partita IVA {vat}"),
            (Lang::En, None) => format!("Customer: country {country}"),
            (Lang::En, Some(vat)) => format!("Customer: country {country}, VAT id {vat}"),
        }
    }

    fn date_range(self, first: &str, end: &str) -> String {
        match self {
            Lang::It => {
                format!("Dal {first} fino al {end} escluso, quando finiscono i periodi correnti.")
            }
            Lang::En => {
                format!("From {first} up to {end}, not included, when the current periods end.")
            }
        }
    }

    fn newer_catalog(self, bundled: &str, linked: &str) -> String {
        match self {
            Lang::It => format!(
                "Attenzione: il listino incluso in questa pagina ({bundled}) è più recente di quello del link ({linked}); i prezzi qui sotto usano il listino incluso."
            ),
            Lang::En => format!(
                "Note: the price list bundled with this page ({bundled}) is newer than the link's ({linked}); the prices below use the bundled one."
            ),
        }
    }

    fn total_changed(self, linked: &str, now: &str) -> String {
        match self {
            Lang::It => format!("Il totale nel link era {linked}; con il listino incluso è {now}."),
            Lang::En => {
                format!("The link's total was {linked}; with the bundled price list it is {now}.")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_two_languages_differ_wherever_the_words_differ() {
        let (it, en) = (Lang::It.texts(), Lang::En.texts());
        assert_eq!(it.account, en.account, "the same word in both");
        assert_ne!(it.total, en.total);
        assert_ne!(Lang::It.op(Op::Buy), Lang::En.op(Op::Buy));
        assert_eq!(
            Lang::En.line(LineKind::ProrationCredit, "Meeting Business"),
            "Meeting Business: credit for the unused period"
        );
        assert_eq!(
            Lang::It.invalid_seats(1, 250),
            "Inserisci un numero intero da 1 a 250."
        );
        assert_eq!(
            Lang::En.customer("IT", Some("IT00743110157")),
            "Customer: country IT, VAT id IT00743110157"
        );
    }
}
