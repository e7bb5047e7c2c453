//! The e-mails of renewals (R31), in Italian and then English in one message: the account keeps
//! no language of its own, and the checkout speaks both (S76).

use billing::Renewal;
use chrono::NaiveDate;

use crate::store::RenewalRow;

/// Why a try of a renewal failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The provider declined the default card.
    Declined,
    /// The account has no default card that can be charged (none, or it expired, S72).
    NoCard,
}

/// The subject of a renewal's receipt.
pub fn receipt_subject(id: &str) -> String {
    format!("Ricevuta del rinnovo {id} / Receipt for renewal {id}")
}

/// The receipt of a renewal (R28): period, seats, unit price, credit, tax, amount paid and card,
/// with the billing information it was settled with (R27).
pub fn receipt(
    id: &str,
    renewal: &RenewalRow,
    charge: &Renewal,
    card: Option<(&str, &str)>,
    billing_info: Option<&api::BillingInfo>,
) -> String {
    let c = &renewal.currency;
    let (start, end) = (charge.period.start(), charge.period.end());
    let paid_with_it = match card {
        Some((brand, last4)) => format!("Pagato con / Paid with {brand} •••• {last4}\n"),
        None => "Nessun addebito: coperto dal credito / Nothing charged: the credit covered it\n"
            .to_owned(),
    };
    let company = billing_info.map_or("", |info| info.company.as_str());
    let vat = billing_info
        .and_then(|info| info.vat_id.as_deref())
        .map(|vat| format!("P. IVA / VAT id {vat}\n"))
        .unwrap_or_default();
    format!(
        "Rinnovo {id} / Renewal {id}\n{company}\n{vat}\n\
         {product} {start} .. {end}\n\
         Postazioni / Seats: {seats} x {unit} {c}\n\
         Imponibile / Subtotal: {subtotal} {c}\n\
         IVA / Tax ({rate}%): {tax} {c}\n\
         Totale / Total: {total} {c}\n\
         Credito applicato / Credit applied: {credit} {c}\n\
         Importo pagato / Amount paid: {due} {c}\n{paid_with_it}",
        product = renewal.product,
        seats = charge.seats,
        unit = charge.unit_price,
        subtotal = charge.subtotal,
        rate = charge.tax.rate,
        tax = charge.tax.amount,
        total = charge.total,
        credit = charge.credit_applied,
        due = charge.amount_due,
    )
}

/// The subject of a failed try's e-mail; the last one says the subscription expired.
pub fn failure_subject(id: &str, last: bool) -> String {
    if last {
        format!(
            "Abbonamento scaduto: rinnovo {id} non pagato / Subscription expired: renewal {id} unpaid"
        )
    } else {
        format!("Pagamento del rinnovo {id} non riuscito / Payment of renewal {id} failed")
    }
}

/// The e-mail of a failed try (R31): what failed, and what the billing contact can do, with the
/// next try's date or, after the last one, how to reactivate (R15).
pub fn failure(
    id: &str,
    renewal: &RenewalRow,
    charge: &Renewal,
    why: Failure,
    next_try: Option<NaiveDate>,
    today: NaiveDate,
) -> String {
    let c = &renewal.currency;
    let due = charge.amount_due;
    let (it_why, en_why) = match why {
        Failure::Declined => (
            "la carta predefinita è stata rifiutata",
            "the default card was declined",
        ),
        Failure::NoCard => (
            "l'account non ha una carta predefinita valida",
            "the account has no valid default card",
        ),
    };
    let (it_next, en_next) = match next_try {
        Some(next) => (
            format!(
                "L'abbonamento resta attivo. Puoi pagare subito con un'altra carta da \"Cronologia fatturazione\" (Paga ora), oppure impostare un'altra carta predefinita: riproveremo il {next}."
            ),
            format!(
                "The subscription stays active. You can pay now with another card from the billing history (\"Paga ora\"), or make another card the default: we will try again on {next}."
            ),
        ),
        None => (
            "L'abbonamento è scaduto. Per riattivarlo acquista di nuovo un piano dal Billing Center."
                .to_owned(),
            "The subscription has expired. To reactivate it, buy a plan again in the Billing Center."
                .to_owned(),
        ),
    };
    format!(
        "Il {today} il pagamento del rinnovo {id} ({product}, {due} {c}) non è riuscito: {it_why}.\n\
         {it_next}\n\n\
         On {today} the payment of renewal {id} ({product}, {due} {c}) failed: {en_why}.\n\
         {en_next}\n",
        product = renewal.product,
    )
}
