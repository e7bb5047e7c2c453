//! The rows of an order summary and the names of cart items, in the chosen language.
//!
//! Plain functions over the engine's [`Quote`], so they are tested natively; the
//! [`crate::components`] only lay the rows out.

use billing::order::ItemInput;
use billing::{Catalog, Frequency, Line, LineKind, Money, Quote};

use crate::browser;
use crate::i18n::{Key, Lang, Translate, fill};
use crate::model::AccountData;

/// One row of the summary: a label and a formatted amount.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// What the amount is.
    pub label: String,
    /// The amount, formatted by `Intl` for the language and the account's currency.
    pub amount: String,
    /// A CSS class: `line`, `subtotal`, `tax`, `total`, `credit` or `due`.
    pub class: &'static str,
}

/// The name of a product in the catalog (its id when unknown).
pub fn product_name(catalog: &Catalog, product: &str) -> String {
    catalog
        .product(product)
        .map_or_else(|| product.to_owned(), |p| p.name().to_owned())
}

/// The name of a tier of a product (its id when unknown).
pub fn tier_name(catalog: &Catalog, product: &str, tier: &str) -> String {
    catalog
        .product(product)
        .and_then(|p| p.tier(tier))
        .map_or_else(|| tier.to_owned(), |t| t.name().to_owned())
}

/// The text of a frequency's name.
pub fn frequency_key(frequency: Frequency) -> Key {
    match frequency {
        Frequency::Monthly => Key::Monthly,
        Frequency::Annual => Key::Annual,
    }
}

/// "Mensile" / "Annual".
pub fn frequency_name(lang: Lang, frequency: Frequency) -> &'static str {
    lang.t(frequency_key(frequency))
}

/// "dal 16 nov 2026 al 16 dic 2026".
pub fn range(lang: Lang, start: chrono::NaiveDate, end: chrono::NaiveDate) -> String {
    fill(
        lang.t(Key::PeriodRange),
        &[
            ("start", &browser::date(lang, start)),
            ("end", &browser::date(lang, end)),
        ],
    )
}

/// An amount in the account's currency.
pub fn money(lang: Lang, account: &AccountData, amount: Money) -> String {
    browser::money(lang, account.view.currency, amount)
}

/// The product and tier an item is about; for a change the tier after it when `after`.
fn subject(account: &AccountData, item: &ItemInput, after: bool) -> (String, Option<String>) {
    let product = account.item_product(item);
    let current = |sub: &str| account.subscription(sub).map(|s| s.tier.clone());
    let tier = match item {
        ItemInput::Buy { tier, .. }
        | ItemInput::Trial { tier, .. }
        | ItemInput::Reactivate { tier, .. } => Some(tier.clone()),
        ItemInput::Change {
            subscription, tier, ..
        } => match tier {
            Some(tier) if after => Some(tier.clone()),
            _ => current(subscription),
        },
        ItemInput::Cancel { subscription } | ItemInput::Resume { subscription } => {
            current(subscription)
        }
    };
    (product, tier)
}

fn plan(catalog: &Catalog, product: &str, tier: Option<&str>, seats: u32, lang: Lang) -> String {
    let tier = tier.map_or_else(String::new, |t| tier_name(catalog, product, t));
    let name = format!("{} {}", product_name(catalog, product), tier);
    fill(
        lang.t(Key::PlanText),
        &[("tier", name.trim()), ("seats", &seats.to_string())],
    )
}

/// The label of one quote line: the credit for unused time with its dates, the new charge with
/// its period "a partire da oggi" (R12, R22). Without the order's items (a receipt), a label from
/// the line's kind, seats, unit price and period.
pub fn line_label(
    lang: Lang,
    catalog: &Catalog,
    account: &AccountData,
    items: &[ItemInput],
    line: &Line,
) -> String {
    let Some(item) = items.get(line.item) else {
        // A placed order of the history has no cart items: name the line by its kind and numbers.
        let key = match line.kind {
            LineKind::ProrationCredit => Key::GenericCreditLine,
            LineKind::Charge => Key::GenericChargeLine,
            _ => Key::GenericOtherLine,
        };
        return fill(
            lang.t(key),
            &[
                ("seats", &line.seats.to_string()),
                ("unit", &money(lang, account, line.unit_price)),
                ("range", &range(lang, line.period_start, line.period_end)),
            ],
        );
    };
    let after = line.kind != LineKind::ProrationCredit;
    let (product, tier) = subject(account, item, after);
    let plan = plan(catalog, &product, tier.as_deref(), line.seats, lang);
    let range = range(lang, line.period_start, line.period_end);
    let frequency = match item {
        ItemInput::Change { frequency, .. } => frequency
            .or_else(|| {
                let ItemInput::Change { subscription, .. } = item else {
                    return None;
                };
                account.subscription(subscription).map(|s| s.frequency)
            })
            .unwrap_or(Frequency::Monthly),
        ItemInput::Buy { frequency, .. } | ItemInput::Reactivate { frequency, .. } => *frequency,
        _ => Frequency::Monthly,
    };
    match line.kind {
        LineKind::ProrationCredit => fill(
            lang.t(Key::CreditLine),
            &[("plan", &plan), ("range", &range)],
        ),
        LineKind::Charge => fill(
            lang.t(Key::ChargeLine),
            &[
                ("plan", &plan),
                ("freq", frequency_name(lang, frequency)),
                ("range", &range),
            ],
        ),
        LineKind::Trial => fill(
            lang.t(Key::TrialLine),
            &[("plan", &plan), ("range", &range)],
        ),
        LineKind::Cancel => fill(
            lang.t(Key::CancelLine),
            &[
                ("plan", &plan),
                ("end", &browser::date(lang, line.period_end)),
            ],
        ),
        LineKind::Resume => fill(lang.t(Key::ResumeLine), &[("plan", &plan)]),
    }
}

/// Every row of the summary of `quote`: its lines, subtotal, VAT or reverse charge, total,
/// credit applied and amount due (R17-R19).
pub fn rows(
    lang: Lang,
    catalog: &Catalog,
    account: &AccountData,
    items: &[ItemInput],
    quote: &Quote,
) -> Vec<Row> {
    let m = |amount: Money| money(lang, account, amount);
    let mut rows: Vec<Row> = quote
        .lines
        .iter()
        .map(|line| Row {
            label: line_label(lang, catalog, account, items, line),
            amount: m(line.amount),
            class: if line.amount.is_negative() {
                "line credit"
            } else {
                "line"
            },
        })
        .collect();
    rows.push(Row {
        label: lang.t(Key::Subtotal).to_owned(),
        amount: m(quote.subtotal),
        class: "subtotal",
    });
    let tax_label = if quote.tax.reverse_charge {
        lang.t(Key::ReverseCharge).to_owned()
    } else {
        fill(lang.t(Key::Vat), &[("rate", &quote.tax.rate.to_string())])
    };
    rows.push(Row {
        label: tax_label,
        amount: m(quote.tax.amount),
        class: "tax",
    });
    rows.push(Row {
        label: lang.t(Key::Total).to_owned(),
        amount: m(quote.total),
        class: "total",
    });
    if !quote.credit_applied.is_zero() {
        rows.push(Row {
            label: lang.t(Key::CreditApplied).to_owned(),
            amount: m(-quote.credit_applied),
            class: "credit",
        });
    }
    rows.push(Row {
        label: lang.t(Key::AmountDue).to_owned(),
        amount: m(quote.amount_due),
        class: "due",
    });
    if !quote.credit_after.is_zero() {
        rows.push(Row {
            label: lang.t(Key::CreditAfter).to_owned(),
            amount: m(quote.credit_after),
            class: "credit-after",
        });
    }
    rows
}

/// The name of a cart item ("Modifica GoTo Meeting: Professional × 8").
pub fn item_name(lang: Lang, catalog: &Catalog, account: &AccountData, item: &ItemInput) -> String {
    let (product, tier) = subject(account, item, true);
    let name = product_name(catalog, &product);
    let seats = match item {
        ItemInput::Change {
            subscription,
            seats,
            ..
        } => seats
            .as_ref()
            .and_then(|s| s.as_u64())
            .map(|s| s as u32)
            .or_else(|| account.subscription(subscription).map(|s| s.seats))
            .unwrap_or(1),
        ItemInput::Buy { seats, .. } | ItemInput::Reactivate { seats, .. } => {
            seats.as_u64().map_or(1, |s| s as u32)
        }
        _ => 1,
    };
    let tier = tier.map_or_else(String::new, |t| tier_name(catalog, &product, &t));
    let plan_text = fill(
        lang.t(Key::PlanText),
        &[("tier", &tier), ("seats", &seats.to_string())],
    );
    let key = match item {
        ItemInput::Change { .. } => Key::OpChange,
        ItemInput::Buy { .. } => Key::OpBuy,
        ItemInput::Trial { .. } => Key::OpTrial,
        ItemInput::Cancel { .. } => Key::OpCancel,
        ItemInput::Resume { .. } => Key::OpResume,
        ItemInput::Reactivate { .. } => Key::OpReactivate,
    };
    fill(lang.t(key), &[("product", &name), ("plan", &plan_text)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Draft, order_request, preview};

    fn giulia() -> AccountData {
        AccountData::from_json(
            r#"{"id":"acc_rossi","name":"Rossi S.r.l.","kind":"standard","country":"IT","currency":"EUR",
            "vat_id":null,"credit":"0.00","billing_contact":{"name":"Giulia Rossi","email":"g@example.com"},
            "is_billing_contact":true,"payment_methods":[],
            "subscriptions":[{"id":"sub_1","product":"meeting","tier":"professional","seats":5,"frequency":"monthly",
            "status":"active","auto_renew":true,"period_start":"2026-11-01","period_end":"2026-12-01"}],
            "next_payment":null,"as_of":"2026-11-16"}"#,
        )
        .expect("account")
    }

    #[test]
    fn the_summary_of_eight_seats_has_the_credit_line_and_the_amount_due() {
        let account = giulia();
        let catalog = Catalog::bundled();
        let mut draft = Draft::change(account.subscription("sub_1").expect("sub"));
        draft.seats = 8;
        let items = vec![draft.item(&account).expect("item")];
        let quote =
            preview(catalog, &account, &order_request(items.clone(), "", None)).expect("quote");
        let rows = rows(Lang::It, catalog, &account, &items, &quote);
        assert!(
            rows[0]
                .label
                .starts_with("Credito per il tempo non utilizzato")
        );
        assert!(
            rows[0].label.contains("Professional × 5"),
            "{}",
            rows[0].label
        );
        assert!(rows[1].label.contains("a partire da oggi"));
        let due = rows.last().expect("due");
        assert_eq!((due.class, due.amount.as_str()), ("due", "93.94 EUR"));
        assert_eq!(
            item_name(Lang::En, catalog, &account, &items[0]),
            "Change GoTo Meeting: Professional × 8"
                .replace("GoTo Meeting", &product_name(catalog, "meeting"))
        );
    }
}
