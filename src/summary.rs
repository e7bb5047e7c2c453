//! The rows of an order summary and the names of cart items, in the chosen language.
//!
//! Plain functions over the engine's [`Quote`], so they are tested natively; the
//! [`crate::components`] only lay the rows out.

use billing::order::ItemInput;
use billing::{Catalog, Frequency, Line, LineKind, Money, Product, Quote, Tier};

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
        ItemInput::Cancel { subscription, .. } | ItemInput::Resume { subscription } => {
            current(subscription)
        }
    };
    (product, tier)
}

/// The label of one quote line, the same in the live summary, the confirmation and a receipt:
/// product and tier named by the line's description (S41), seats, price per seat and period
/// ("Meeting Business × 8, 19,00 € per licenza al mese, dal … al …"); a line no catalog pair
/// names shows its own description.
pub fn line_label(lang: Lang, catalog: &Catalog, account: &AccountData, line: &Line) -> String {
    placed_line_label(lang, catalog, account, line).unwrap_or_else(|| line.description.clone())
}

/// The catalog's product and tier a placed order's line is about. The line carries no ids, but
/// its description names product and tier with the catalog's names (S9), so the longest
/// "product tier" pair the description contains is the one (S41); `None` when the catalog names
/// neither (an order priced with another catalog).
pub fn line_subject<'c>(catalog: &'c Catalog, line: &Line) -> Option<(&'c Product, &'c Tier)> {
    let mut best: Option<(&Product, &Tier)> = None;
    let mut best_len = 0;
    for product in catalog.products() {
        for tier in product.tiers() {
            let name = format!("{} {} ", product.name(), tier.name());
            if name.len() > best_len && line.description.contains(&name) {
                best = Some((product, tier));
                best_len = name.len();
            }
        }
    }
    best
}

/// The frequency a line's unit price is the tier's price of, in `currency`; else the one whose
/// period the line covers whole.
fn line_frequency(tier: &Tier, currency: billing::Currency, line: &Line) -> Frequency {
    Frequency::ALL
        .into_iter()
        .find(|&f| tier.price(currency, f) == Some(line.unit_price))
        .or_else(|| {
            Frequency::ALL
                .into_iter()
                .find(|f| f.advance(line.period_start) == line.period_end)
        })
        .unwrap_or(Frequency::Monthly)
}

/// "Meeting Business" (product and tier names).
fn subject_name(product: &Product, tier: &Tier) -> String {
    format!("{} {}", product.name(), tier.name())
}

/// The last day a line's period includes (its end is exclusive, R8, S17).
fn last_day(line: &Line) -> chrono::NaiveDate {
    line.period_end.pred_opt().unwrap_or(line.period_end)
}

/// A seat count in words, with the language's plural rule ("1 licenza", "8 licenze").
pub fn seats_text(lang: Lang, seats: u32) -> String {
    crate::i18n::counted(lang, u64::from(seats), Key::SeatsCountOne, Key::SeatsCount)
}

/// The label of a placed order's line: product and tier, seats and the price per seat
/// ("Meeting Business × 8, 19,00 € per licenza al mese, dal … al …"), issue 12.
fn placed_line_label(
    lang: Lang,
    catalog: &Catalog,
    account: &AccountData,
    line: &Line,
) -> Option<String> {
    let (product, tier) = line_subject(catalog, line)?;
    let name = subject_name(product, tier);
    let plan = fill(
        lang.t(Key::PlanText),
        &[("tier", &name), ("seats", &line.seats.to_string())],
    );
    let per_seat_key = match line_frequency(tier, account.view.currency, line) {
        Frequency::Monthly => Key::PerSeatMonth,
        Frequency::Annual => Key::PerSeatYear,
    };
    let unit = fill(
        lang.t(per_seat_key),
        &[("price", &money(lang, account, line.unit_price))],
    );
    let range = range(lang, line.period_start, line.period_end);
    let values = [
        ("plan", plan.as_str()),
        ("name", name.as_str()),
        ("unit", unit.as_str()),
        ("range", range.as_str()),
    ];
    Some(match line.kind {
        LineKind::Charge => fill(lang.t(Key::ReceiptChargeLine), &values),
        LineKind::ProrationCredit => fill(lang.t(Key::ReceiptCreditLine), &values),
        LineKind::Trial => fill(
            lang.t(Key::ReceiptTrialLine),
            &[
                ("name", &name),
                ("last", &browser::date(lang, last_day(line))),
            ],
        ),
        LineKind::Cancel | LineKind::Resume => cancel_or_resume(lang, line, &plan),
    })
}

/// A cancellation's or a resume's line in words: the service's last day, or the renewal date,
/// and no new period (R14, S44).
fn cancel_or_resume(lang: Lang, line: &Line, plan: &str) -> String {
    let (key, day) = if line.kind == LineKind::Cancel {
        (Key::CancelLine, last_day(line))
    } else {
        (Key::ResumeLine, line.period_end)
    };
    fill(
        lang.t(key),
        &[("plan", plan), ("date", &browser::date(lang, day))],
    )
}

/// Every row of the summary of `quote`: its lines, subtotal, VAT or reverse charge, total,
/// credit applied and amount due (R17-R19).
pub fn rows(lang: Lang, catalog: &Catalog, account: &AccountData, quote: &Quote) -> Vec<Row> {
    let m = |amount: Money| money(lang, account, amount);
    let mut rows: Vec<Row> = quote
        .lines
        .iter()
        .map(|line| Row {
            label: line_label(lang, catalog, account, line),
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
        let rows = rows(Lang::It, catalog, &account, &quote);
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
        assert_eq!(
            rows[1].label,
            "Meeting Professional × 8, 14.00 EUR per licenza al mese, dal 2026-11-16 al 2026-12-16"
        );
        let due = rows.last().expect("due");
        assert_eq!((due.class, due.amount.as_str()), ("due", "93.94 EUR"));
        assert_eq!(
            item_name(Lang::En, catalog, &account, &items[0]),
            "Change GoTo Meeting: Professional × 8"
                .replace("GoTo Meeting", &product_name(catalog, "meeting"))
        );
    }

    #[test]
    fn a_placed_order_is_told_in_words_by_the_product_and_tier_its_lines_name() {
        let account = giulia();
        let catalog = Catalog::bundled();
        let mut draft = Draft::change(account.subscription("sub_1").expect("sub"));
        draft.tier = "business".into();
        draft.seats = 8;
        let items = vec![draft.item(&account).expect("item")];
        let quote = preview(catalog, &account, &order_request(items, "", None)).expect("quote");
        // Without the cart's items, as in the history: the lines' own descriptions name them.
        let rows = rows(Lang::It, catalog, &account, &quote);
        assert_eq!(
            rows[0].label,
            "Credito per il tempo non utilizzato: Meeting Professional × 5, 14.00 EUR per licenza al mese, dal 2026-11-16 al 2026-12-01"
        );
        assert_eq!(
            rows[1].label,
            "Meeting Business × 8, 19.00 EUR per licenza al mese, dal 2026-11-16 al 2026-12-16"
        );
    }

    #[test]
    fn a_cancel_starts_no_period_and_a_trial_ends_the_day_before_its_end() {
        let account = giulia();
        let catalog = Catalog::bundled();
        let items = vec![
            ItemInput::Cancel {
                subscription: "sub_1".into(),
                reason: None,
            },
            ItemInput::Trial {
                product: "remote-support".into(),
                tier: "standard".into(),
            },
        ];
        let quote = preview(catalog, &account, &order_request(items, "", None)).expect("quote");
        let rows = rows(Lang::It, catalog, &account, &quote);
        assert_eq!(
            rows[0].label,
            "Rinnovo disattivato per Meeting Professional × 5: servizio fino al 2026-11-30 incluso"
        );
        assert_eq!(
            rows[1].label,
            "Prova gratuita di Remote Support Standard, 1 licenza, fino al 2026-11-29 incluso"
        );
        assert_eq!(seats_text(Lang::It, 1), "1 licenza");
        assert_eq!(seats_text(Lang::En, 2), "2 seats");
    }

    #[test]
    fn two_products_sharing_a_tier_name_are_told_apart() {
        let catalog = Catalog::bundled();
        let line = |description: &str| Line {
            item: 0,
            kind: LineKind::Charge,
            description: description.into(),
            period_start: chrono::NaiveDate::default(),
            period_end: chrono::NaiveDate::default(),
            seats: 1,
            unit_price: billing::Currency::Eur.zero(),
            amount: billing::Currency::Eur.zero(),
        };
        let subject = |description: &str| {
            line_subject(catalog, &line(description)).map(|(p, t)| (p.id(), t.id()))
        };
        assert_eq!(
            subject("Remote Support Standard × 2, monthly"),
            Some(("remote-support", "standard"))
        );
        assert_eq!(
            subject("Webinar Standard × 2, annual"),
            Some(("webinar", "standard"))
        );
        assert_eq!(subject("Something else × 2"), None);
    }
}
