//! The billing history's data, apart from the browser (R28, R31, S107): its entries, orders and
//! renewals read from `GET /api/v1/orders` with `json-text`, each described in words with the
//! catalog's names, and a renewal's receipt with its rows. Everything here is tested natively.

use json_text::Json;
use ui::{Lang, fill};

use crate::i18n::{Key, text};

/// The catalog's names, read from `GET /api/v1/catalog`: each product's id and name, and its
/// tiers' names. An order's lines carry no ids, only descriptions that use these names (S41).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Names {
    products: Vec<(String, String, Vec<String>)>,
}

impl Names {
    /// Reads the catalog's names; an answer that is not a catalog gives no names, and every
    /// description then falls back to the server's own words.
    pub fn read(body: &str) -> Names {
        let products = json_text::parse(body)
            .as_ref()
            .and_then(|json| json.get("products")?.as_array())
            .map(|products| {
                products
                    .iter()
                    .filter_map(|p| {
                        let tiers = p
                            .get("tiers")?
                            .as_array()?
                            .iter()
                            .filter_map(|t| owned(t, "name"))
                            .collect();
                        Some((owned(p, "id")?, owned(p, "name")?, tiers))
                    })
                    .collect()
            })
            .unwrap_or_default();
        Names { products }
    }

    /// The name of the product `id`, else the id itself.
    pub fn product(&self, id: &str) -> String {
        self.products
            .iter()
            .find(|(pid, _, _)| pid == id)
            .map_or(id, |(_, name, _)| name.as_str())
            .to_owned()
    }

    /// The "product tier" a line's description names: the longest pair it contains (S41).
    fn subject(&self, description: &str) -> Option<String> {
        self.products
            .iter()
            .flat_map(|(_, product, tiers)| tiers.iter().map(move |t| format!("{product} {t}")))
            .filter(|name| description.contains(&format!("{name} ")))
            .max_by_key(String::len)
    }
}

/// Where an entry of the history stands (api.md v1.1, R31).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// Charged.
    Paid,
    /// Nothing was due: the credit covered it, or it cost nothing.
    NoPaymentNeeded,
    /// A renewal recorded, not tried yet.
    Pending,
    /// A renewal whose try was declined: the next try's date, none after the last one.
    PaymentFailed(Option<String>),
    /// A renewal still unpaid after its last try: its subscription expired.
    ExpiredUnpaid,
}

impl Status {
    fn read(json: &Json) -> Option<Status> {
        Some(match member(json, "status")? {
            "paid" => Status::Paid,
            "no_payment_needed" => Status::NoPaymentNeeded,
            "pending" => Status::Pending,
            "payment_failed" => Status::PaymentFailed(owned(json, "next_retry")),
            "expired_unpaid" => Status::ExpiredUnpaid,
            _ => return None,
        })
    }

    /// The status in words; a failed renewal names its next try.
    pub fn words(&self, lang: Lang) -> String {
        let key = match self {
            Status::Paid => Key::StatusPaid,
            Status::NoPaymentNeeded => Key::StatusNoPayment,
            Status::Pending => Key::StatusPending,
            Status::PaymentFailed(Some(day)) => {
                return fill(
                    text(lang, Key::StatusFailedRetry),
                    &[("date", &date(lang, day))],
                );
            }
            Status::PaymentFailed(None) => Key::StatusFailed,
            Status::ExpiredUnpaid => Key::StatusExpired,
        };
        text(lang, key).to_owned()
    }
}

/// A day (`YYYY-MM-DD`) as the language writes it, on every page of the bundle.
pub fn date(lang: Lang, day: &str) -> String {
    ui::format_date(day, lang.tag())
}

/// An amount (a decimal string) in `currency`, as the language writes it.
pub fn money(lang: Lang, amount: &str, currency: &str) -> String {
    ui::format_money(amount, currency, lang.tag())
}

/// What an entry of the history is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum What {
    /// An order placed in the checkout: its lines as (kind, description, seats), and whether
    /// each line's item also had a proration credit (a change, not a purchase).
    Order(Vec<(String, String, u32, bool)>),
    /// A renewal: the product's id and the seats renewed.
    Renewal(String, u32),
}

/// One entry of the billing history (R28).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// `ord_…` or `ren_…`.
    pub id: String,
    /// When it was placed or settled, else due (RFC 3339, UTC).
    pub placed_at: String,
    /// What it is.
    pub what: What,
    /// Its total, with tax.
    pub total: String,
    /// The account's currency.
    pub currency: String,
    /// Where it stands.
    pub status: Status,
    /// A renewal "Paga ora" can pay now (S75).
    pub payable: bool,
}

impl Entry {
    /// The day it was placed or settled, else due.
    pub fn day(&self) -> &str {
        self.placed_at.get(..10).unwrap_or(&self.placed_at)
    }

    /// Where its receipt is: an order's in the checkout, a renewal's here (S107).
    pub fn receipt_path(&self) -> String {
        match self.what {
            What::Order(_) => format!("/billing/orders/{}", self.id),
            What::Renewal(..) => format!("/account/renewals/{}", self.id),
        }
    }

    /// What it did, in words: each item of an order ("Modifica: Meeting Business × 8"), or the
    /// renewal ("Rinnovo: Meeting × 5").
    pub fn description(&self, lang: Lang, names: &Names) -> String {
        let lines = match &self.what {
            What::Renewal(product, seats) => {
                return fill(
                    text(lang, Key::HistoryRenewal),
                    &[
                        ("name", &names.product(product)),
                        ("seats", &seats.to_string()),
                    ],
                );
            }
            What::Order(lines) => lines,
        };
        let mut parts = Vec::new();
        for (kind, description, seats, changed) in lines {
            let key = match kind.as_str() {
                "proration_credit" => continue,
                "charge" if *changed => Key::HistoryChange,
                "charge" => Key::HistoryBuy,
                "trial" => Key::HistoryTrial,
                "cancel" => Key::HistoryCancel,
                _ => Key::HistoryResume,
            };
            let name = names
                .subject(description)
                .unwrap_or_else(|| description.clone());
            parts.push(fill(
                text(lang, key),
                &[("name", &name), ("seats", &seats.to_string())],
            ));
        }
        parts.join("; ")
    }

    fn read(json: &Json) -> Option<Entry> {
        let what = match member(json, "kind")? {
            "renewal" => What::Renewal(owned(json, "product")?, json.get("seats")?.number()?),
            _ => {
                let lines = json.get("lines")?.as_array()?;
                let item = |line: &Json| line.get("item").and_then(|i| i.number::<u32>());
                let credited: Vec<u32> = lines
                    .iter()
                    .filter(|l| member(l, "kind") == Some("proration_credit"))
                    .filter_map(item)
                    .collect();
                What::Order(
                    lines
                        .iter()
                        .map(|l| {
                            Some((
                                owned(l, "kind")?,
                                owned(l, "description")?,
                                l.get("seats")?.number()?,
                                item(l).is_some_and(|i| credited.contains(&i)),
                            ))
                        })
                        .collect::<Option<_>>()?,
                )
            }
        };
        Some(Entry {
            id: owned(json, "id")?,
            placed_at: owned(json, "placed_at")?,
            what,
            total: owned(json, "total")?,
            currency: owned(json, "currency")?,
            status: Status::read(json)?,
            payable: json.get("payable").and_then(Json::as_bool) == Some(true),
        })
    }
}

/// Reads `GET /api/v1/orders`, newest first as the server sends it; `None` when the answer is
/// not a history.
pub fn read_history(body: &str) -> Option<Vec<Entry>> {
    json_text::parse(body)?
        .get("orders")?
        .as_array()?
        .iter()
        .map(Entry::read)
        .collect()
}

/// A renewal's receipt (R28, S73): what was renewed, the amounts, how it was paid and the
/// billing information it was settled with (R27, S77).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Renewal {
    /// The entry as the history shows it.
    pub entry: Entry,
    /// The new period's first and last day.
    pub period: (String, String),
    /// The price per seat.
    pub unit_price: String,
    /// Seats × unit price.
    pub subtotal: String,
    /// The VAT rate, or `None` under the reverse charge (R18).
    pub vat_rate: Option<String>,
    /// The tax's amount.
    pub tax: String,
    /// What the account's credit paid (R19).
    pub credit_applied: String,
    /// What was charged to a card.
    pub amount_paid: String,
    /// The card that paid it: brand and last four digits.
    pub card: Option<(String, String)>,
    /// The billing information as it was when it was settled: the lines to print.
    pub billing: Vec<String>,
}

impl Renewal {
    /// Reads a renewal (`GET /api/v1/orders/{id}`, and the answer of "Paga ora"); `None` for
    /// anything else, an order included.
    pub fn read(body: &str) -> Option<Renewal> {
        let json = json_text::parse(body)?;
        let entry = Entry::read(&json).filter(|e| matches!(e.what, What::Renewal(..)))?;
        let tax = json.get("tax")?;
        let card = match json.get("card") {
            Some(card) if !card.is_null() => Some((owned(card, "brand")?, owned(card, "last4")?)),
            _ => None,
        };
        Some(Renewal {
            period: (owned(&json, "period_start")?, owned(&json, "period_end")?),
            unit_price: owned(&json, "unit_price")?,
            subtotal: owned(&json, "subtotal")?,
            vat_rate: (!tax.get("reverse_charge")?.as_bool()?)
                .then(|| owned(tax, "rate"))
                .flatten(),
            tax: owned(tax, "amount")?,
            credit_applied: owned(&json, "credit_applied")?,
            amount_paid: owned(&json, "amount_paid")?,
            card,
            billing: json
                .get("billing_info")
                .map(ui::billed_to)
                .unwrap_or_default(),
            entry,
        })
    }

    /// The receipt's rows as (label, amount, CSS class): the renewal, subtotal, VAT or reverse
    /// charge (R18), total, credit applied (R19) and the amount paid.
    pub fn rows(&self, lang: Lang, names: &Names) -> Vec<(String, String, &'static str)> {
        let currency = self.entry.currency.as_str();
        let m = |amount: &str| money(lang, amount, currency);
        let What::Renewal(product, seats) = &self.entry.what else {
            return Vec::new();
        };
        let key = match ui::plural(u64::from(*seats), lang.tag()) {
            ui::Plural::One => Key::SeatOne,
            ui::Plural::Other => Key::SeatMany,
        };
        let seats = fill(text(lang, key), &[("n", &seats.to_string())]);
        let range = fill(
            text(lang, Key::PeriodRange),
            &[
                ("start", &date(lang, &self.period.0)),
                ("end", &date(lang, &self.period.1)),
            ],
        );
        let item = fill(
            text(lang, Key::RenewalItem),
            &[
                ("name", &names.product(product)),
                ("seats", &seats),
                ("unit", &m(&self.unit_price)),
                ("range", &range),
            ],
        );
        let tax = match &self.vat_rate {
            Some(rate) => fill(text(lang, Key::Vat), &[("rate", rate)]),
            None => text(lang, Key::ReverseCharge).to_owned(),
        };
        let label = |key| text(lang, key).to_owned();
        vec![
            (item, m(&self.subtotal), "line"),
            (label(Key::Subtotal), m(&self.subtotal), "subtotal"),
            (tax, m(&self.tax), "tax"),
            (label(Key::Total), m(&self.entry.total), "total"),
            (label(Key::CreditApplied), m(&self.credit_applied), "credit"),
            (label(Key::AmountPaid), m(&self.amount_paid), "due"),
        ]
    }
}

/// The body of "Paga ora" (`POST /api/v1/orders/{id}/pay`, S75).
pub fn pay_body(card: &str) -> String {
    json_text::Object::new()
        .string("payment_method", card)
        .finish()
}

fn member<'a>(json: &'a Json, key: &str) -> Option<&'a str> {
    json.get(key).and_then(Json::as_str)
}

fn owned(json: &Json, key: &str) -> Option<String> {
    member(json, key).map(str::to_owned)
}

/// Which account page an address names (S107): the settings at `/account/`, the billing history
/// at `/account/history`, a renewal's receipt at `/account/renewals/{id}`. Anything else is the
/// settings page, so an old or mistyped address still lands somewhere useful.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum View {
    /// Billing information, payment methods and the billing contact.
    Settings,
    /// Orders and renewals, newest first.
    History,
    /// One renewal's receipt.
    Renewal(String),
}

impl View {
    /// The page's heading, which also names it in the document's title.
    pub fn title(&self) -> Key {
        match self {
            View::Settings => Key::PageTitle,
            View::History => Key::HistoryTitle,
            View::Renewal(_) => Key::Receipt,
        }
    }

    /// The page of `path`; an id is taken only when it is made of letters, digits, `_` and `-`.
    pub fn from_path(path: &str) -> View {
        let path = path.trim_end_matches('/');
        if path == "/account/history" {
            return View::History;
        }
        match path.strip_prefix("/account/renewals/") {
            Some(id)
                if !id.is_empty()
                    && id
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') =>
            {
                View::Renewal(id.to_owned())
            }
            _ => View::Settings,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CATALOG: &str = r#"{"version":"2026-11-01","products":[
        {"id":"meeting","name":"Meeting","tiers":[{"id":"business","name":"Business"},{"id":"business-plus","name":"Business Plus"}]},
        {"id":"webinar","name":"Webinar","tiers":[{"id":"lite","name":"Lite"}]}]}"#;

    fn renewal_json(status: &str, extra: &str) -> String {
        format!(
            r#"{{"kind":"renewal","id":"ren_sub_1_20261201","status":"{status}",
            "placed_at":"2026-12-01T00:00:00Z","date":"2026-12-01","subscription":"sub_1",
            "product":"meeting","period_start":"2026-12-01","period_end":"2026-12-31","seats":5,
            "unit_price":"14.00","subtotal":"70.00",
            "tax":{{"rate":"22","amount":"15.40","reverse_charge":false,"country":"IT"}},
            "total":"85.40","credit_applied":"0.00","amount_due":"85.40","amount_paid":"0.00",
            "currency":"EUR",{extra}}}"#
        )
    }

    /// An order with a change (a credit and a charge of item 0) and a cancellation (item 1).
    const ORDER: &str = r#"{"catalog_version":"2026-11-01","as_of":"2026-11-16","currency":"EUR",
        "lines":[
        {"item":0,"kind":"proration_credit","description":"Unused time on Meeting Business Plus × 5",
         "period_start":"2026-11-16","period_end":"2026-12-01","seats":5,"unit_price":"14.00","amount":"-35.00"},
        {"item":0,"kind":"charge","description":"Meeting Business Plus × 8, monthly",
         "period_start":"2026-11-16","period_end":"2026-12-16","seats":8,"unit_price":"14.00","amount":"112.00"},
        {"item":1,"kind":"cancel","description":"Webinar Lite × 2, renewal off",
         "period_start":"2026-11-16","period_end":"2026-12-01","seats":2,"unit_price":"0.00","amount":"0.00"}],
        "subtotal":"77.00","tax":{"rate":"22","amount":"16.94","reverse_charge":false,"country":"IT"},
        "total":"93.94","credit_applied":"0.00","amount_due":"93.94","credit_after":"0.00",
        "id":"ord_1","kind":"order","placed_at":"2026-11-16T10:00:00Z","status":"paid",
        "assign_licenses":true}"#;

    fn failed_renewal() -> String {
        renewal_json(
            "payment_failed",
            r#""card":null,"next_retry":"2026-12-02","payable":true,"billing_info":null"#,
        )
    }

    #[test]
    fn the_history_reads_orders_and_renewals_and_describes_them_with_the_catalog_names() {
        let body = format!(r#"{{"orders":[{},{}]}}"#, failed_renewal(), ORDER);
        let entries = read_history(&body).expect("a history");
        let names = Names::read(CATALOG);
        assert_eq!(entries.len(), 2);
        assert_eq!(
            entries[0].description(Lang::It, &names),
            "Rinnovo: Meeting × 5"
        );
        assert_eq!(
            entries[0].status,
            Status::PaymentFailed(Some("2026-12-02".into()))
        );
        assert_eq!(
            entries[0].receipt_path(),
            "/account/renewals/ren_sub_1_20261201"
        );
        assert!(entries[0].payable);
        assert!(!entries[1].payable);
        // The longest name wins (S41): "Business Plus", not "Business"; a credited item is a change.
        assert_eq!(
            entries[1].description(Lang::En, &names),
            "Change: Meeting Business Plus × 8; Renewal turned off: Webinar Lite"
        );
        assert_eq!(entries[1].receipt_path(), "/billing/orders/ord_1");
        assert_eq!(entries[1].day(), "2026-11-16");
        // Without the catalog's names, the server's own words describe the line.
        assert!(
            entries[1]
                .description(Lang::En, &Names::default())
                .starts_with("Change: Meeting Business Plus × 8, monthly")
        );
        assert_eq!(read_history(r#"{"orders":[{"kind":"renewal"}]}"#), None);
        assert_eq!(read_history("not json"), None);
    }

    #[test]
    fn a_failed_renewal_names_its_next_try_and_can_be_paid() {
        let renewal = Renewal::read(&failed_renewal()).expect("a renewal");
        assert!(renewal.entry.payable);
        assert_eq!(renewal.card, None);
        assert!(renewal.billing.is_empty());
        assert_eq!(
            renewal.entry.status.words(Lang::En),
            "Payment failed: next try on 2026-12-02"
        );
        let rows = renewal.rows(Lang::It, &Names::read(CATALOG));
        let labels: Vec<&str> = rows.iter().map(|(label, _, _)| label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "Rinnovo di Meeting, 5 licenze a 14.00 EUR per licenza, dal 2026-12-01 al 2026-12-31",
                "Subtotale",
                "IVA 22%",
                "Totale",
                "Credito applicato",
                "Totale pagato",
            ]
        );
        assert_eq!(rows[3].1, "85.40 EUR");
        // An order is not a renewal's receipt.
        assert_eq!(Renewal::read(r#"{"kind":"order","id":"ord_1"}"#), None);
    }

    #[test]
    fn a_paid_renewal_keeps_its_card_and_the_billing_information_it_was_settled_with() {
        let paid = renewal_json(
            "paid",
            r#""card":{"brand":"visa","last4":"4242"},"next_retry":null,"payable":false,
            "billing_info":{"company":"Rossi S.r.l.","country":"IT","vat_id":"IT00743110157",
            "address":{"line1":"Via Roma 1","line2":null,"city":"Torino","postal_code":"10121","region":"TO"}}"#,
        )
        .replace(r#""reverse_charge":false"#, r#""reverse_charge":true"#);
        let renewal = Renewal::read(&paid).expect("a renewal");
        assert_eq!(renewal.card, Some(("visa".into(), "4242".into())));
        assert!(!renewal.entry.payable);
        assert_eq!(
            renewal.billing,
            [
                "Rossi S.r.l.",
                "Via Roma 1",
                "10121 Torino TO",
                "IT00743110157"
            ]
        );
        assert_eq!(renewal.vat_rate, None);
        let rows = renewal.rows(Lang::En, &Names::default());
        assert_eq!(rows[2].0, "VAT: reverse charge");
        assert_eq!(renewal.entry.status.words(Lang::It), "Pagato");
    }

    #[test]
    fn every_status_has_words_in_both_languages() {
        for status in [
            Status::Paid,
            Status::NoPaymentNeeded,
            Status::Pending,
            Status::PaymentFailed(None),
            Status::ExpiredUnpaid,
        ] {
            assert_ne!(status.words(Lang::It), status.words(Lang::En));
        }
    }

    #[test]
    fn addresses_name_the_settings_the_history_or_a_renewal() {
        assert_eq!(View::from_path("/account/"), View::Settings);
        assert_eq!(View::from_path("/account/history"), View::History);
        assert_eq!(View::from_path("/account/history/"), View::History);
        assert_eq!(
            View::from_path("/account/renewals/ren_sub_1_20261201"),
            View::Renewal("ren_sub_1_20261201".into())
        );
        assert_eq!(View::from_path("/account/renewals/"), View::Settings);
        assert_eq!(View::from_path("/account/renewals/a%2Fb"), View::Settings);
        assert_eq!(View::from_path("/account/other"), View::Settings);
        assert_eq!(
            View::from_path("/account/history").title(),
            Key::HistoryTitle
        );
    }

    /// The readers take what the server writes: each fixture is read by the contract's serde types
    /// (so it has the contract's shape), written back by serde_json, and read again here.
    #[test]
    fn the_readers_read_the_contracts_serde_output() {
        let history: api::Orders =
            serde_json::from_str(&format!(r#"{{"orders":[{},{}]}}"#, failed_renewal(), ORDER))
                .expect("the contract's history");
        let written = serde_json::to_string(&history).expect("json");
        let entries = read_history(&written).expect("read back");
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[1].total, "93.94");
        let renewal: api::Renewal = serde_json::from_str(&failed_renewal()).expect("a renewal");
        let read = Renewal::read(&serde_json::to_string(&renewal).expect("json")).expect("read");
        assert_eq!(read, Renewal::read(&failed_renewal()).expect("read"));
        let pay: api::PayRequest = serde_json::from_str(&pay_body("pm_2")).expect("pay body");
        assert_eq!(pay.payment_method, "pm_2");
    }

    #[test]
    fn the_pay_body_names_the_card() {
        assert_eq!(pay_body("pm_2"), r#"{"payment_method":"pm_2"}"#);
    }
}
