//! The quote page's input, apart from the DOM: the account and the order a seller describes, how
//! they become the engine's [`AccountInput`] and [`OrderRequest`], and the shareable link that
//! carries them.

use billing::account::AccountError;
use billing::account::{AccountInput, SubscriptionInput};
use billing::order::ItemInput;
use billing::{
    Account, Catalog, Currency, Frequency, Order, OrderError, OrderRequest, Quote,
    SubscriptionStatus, quote,
};
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

/// A subscription the account holds now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriptionRow {
    /// Product id.
    pub product: String,
    /// Tier id.
    pub tier: String,
    /// Seats.
    pub seats: u32,
    /// Monthly or annual.
    pub frequency: Frequency,
    /// `active`, `pending_cancellation`, `trial` or `expired`.
    pub status: SubscriptionStatus,
    /// First day of the current period; it ends one `frequency` later (R8).
    pub period_start: NaiveDate,
}

impl SubscriptionRow {
    /// The end of the current period (exclusive).
    pub fn period_end(&self) -> NaiveDate {
        self.frequency.advance(self.period_start)
    }

    /// The subscription's id in the account: `sub_1`, `sub_2`, ...
    pub fn id(index: usize) -> String {
        format!("sub_{}", index + 1)
    }
}

/// What an order item does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// Change tier, seats or frequency of a subscription (R12).
    Change,
    /// Buy a product (R10).
    Buy,
    /// Start a trial (R11).
    Trial,
    /// Turn renewal off (R14).
    Cancel,
    /// Turn renewal back on (R14).
    Resume,
    /// Buy a plan for an expired subscription (R15).
    Reactivate,
}

impl Op {
    /// Every operation, in the order the page lists them.
    pub const ALL: [Op; 6] = [
        Op::Change,
        Op::Buy,
        Op::Trial,
        Op::Cancel,
        Op::Resume,
        Op::Reactivate,
    ];

    /// The `op` of the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Change => "change",
            Op::Buy => "buy",
            Op::Trial => "trial",
            Op::Cancel => "cancel",
            Op::Resume => "resume",
            Op::Reactivate => "reactivate",
        }
    }

    /// Whether the item names one of the account's subscriptions (else a product).
    pub fn on_subscription(self) -> bool {
        !matches!(self, Op::Buy | Op::Trial)
    }

    /// Whether the item picks a plan (tier, and for all but trials seats and frequency).
    pub fn picks_plan(self) -> bool {
        !matches!(self, Op::Cancel | Op::Resume)
    }
}

/// One item of the order being quoted. Fields an operation does not use are ignored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemRow {
    /// What the item does.
    pub op: Op,
    /// For operations on a subscription: its index in [`QuoteForm::subscriptions`].
    pub subscription: usize,
    /// For `buy` and `trial`: the product.
    pub product: String,
    /// The tier.
    pub tier: String,
    /// The seats.
    pub seats: u32,
    /// The frequency.
    pub frequency: Frequency,
}

/// Everything the quote depends on: the account, the order and the date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteForm {
    /// The customer's country (ISO code).
    pub country: String,
    /// The account's currency.
    pub currency: Currency,
    /// The VAT id on the account, or empty.
    pub vat_id: String,
    /// The account credit (a decimal, `0.00` when none).
    pub credit: String,
    /// The subscriptions the account holds.
    pub subscriptions: Vec<SubscriptionRow>,
    /// The order.
    pub items: Vec<ItemRow>,
    /// The date the quote is priced at (R9).
    pub as_of: NaiveDate,
}

impl QuoteForm {
    /// The engine's account for this form.
    pub fn account_input(&self) -> Result<AccountInput, Refusal> {
        let credit = if self.credit.trim().is_empty() {
            None
        } else {
            Some(
                self.currency
                    .parse_amount(self.credit.trim())
                    .map_err(|_| Refusal::Credit)?,
            )
        };
        let code = self.country.trim().to_ascii_uppercase();
        let country = code.parse().map_err(|_| Refusal::Country(code.clone()))?;
        let subscriptions = self
            .subscriptions
            .iter()
            .enumerate()
            .map(|(index, row)| SubscriptionInput {
                id: SubscriptionRow::id(index),
                product: row.product.clone(),
                tier: row.tier.clone(),
                seats: row.seats,
                frequency: row.frequency,
                status: row.status,
                auto_renew: None,
                period_start: row.period_start,
                period_end: row.period_end(),
            })
            .collect();
        Ok(AccountInput {
            vat_id: Some(self.vat_id.trim().to_owned()).filter(|id| !id.is_empty()),
            credit,
            ..AccountInput::new("quote".to_owned(), country, self.currency, subscriptions)
        })
    }

    /// The engine's order request for this form.
    pub fn order_request(&self) -> OrderRequest {
        let items = self
            .items
            .iter()
            .map(|item| {
                let subscription = SubscriptionRow::id(item.subscription);
                let seats = serde_json::Value::from(item.seats);
                match item.op {
                    Op::Change => ItemInput::Change {
                        subscription,
                        tier: Some(item.tier.clone()),
                        seats: Some(seats),
                        frequency: Some(item.frequency),
                    },
                    Op::Buy => ItemInput::Buy {
                        product: item.product.clone(),
                        tier: item.tier.clone(),
                        seats,
                        frequency: item.frequency,
                    },
                    Op::Trial => ItemInput::Trial {
                        product: item.product.clone(),
                        tier: item.tier.clone(),
                    },
                    Op::Cancel => ItemInput::Cancel {
                        subscription,
                        reason: None,
                    },
                    Op::Resume => ItemInput::Resume { subscription },
                    Op::Reactivate => ItemInput::Reactivate {
                        subscription,
                        tier: item.tier.clone(),
                        seats,
                        frequency: item.frequency,
                    },
                }
            })
            .collect();
        OrderRequest {
            items,
            vat_id: None,
            as_of: Some(self.as_of),
            expected_total: None,
            payment_method: None,
        }
    }

    /// The dates `as_of` may take: inside every current period of the account's active and
    /// cancelled-but-running subscriptions, `[latest start, earliest end - 1 day]`.
    pub fn as_of_bounds(&self) -> Option<(NaiveDate, NaiveDate)> {
        let running = self.subscriptions.iter().filter(|row| {
            matches!(
                row.status,
                SubscriptionStatus::Active | SubscriptionStatus::PendingCancellation
            )
        });
        let (mut first, mut last) = (None::<NaiveDate>, None::<NaiveDate>);
        for row in running {
            let end = row.period_end().pred_opt()?;
            first = Some(first.map_or(row.period_start, |d| d.max(row.period_start)));
            last = Some(last.map_or(end, |d| d.min(end)));
        }
        Some((first?, last?))
    }

    /// Prices the form with `catalog`: the quote, or the reason there is none.
    pub fn price(&self, catalog: &Catalog) -> Result<Quote, Refusal> {
        self.price_in(catalog, |_| true)
    }

    /// Prices the form with `catalog`, refusing a country code that `is_country` does not know
    /// (the page asks the browser's ISO 3166 region data): a well-formed code such as `ZZ` is no
    /// country, and would otherwise be priced as a customer outside the EU (S40).
    pub fn price_in(
        &self,
        catalog: &Catalog,
        is_country: impl Fn(&str) -> bool,
    ) -> Result<Quote, Refusal> {
        let input = self.account_input()?;
        if !is_country(input.country.code()) {
            return Err(Refusal::Country(input.country.code().to_owned()));
        }
        let account = Account::try_from(input).map_err(|error| match error {
            AccountError::BadCredit { .. } => Refusal::Credit,
            AccountError::BadVatId(_) | AccountError::VatIdOfAnotherCountry { .. } => {
                Refusal::VatId
            }
            AccountError::DuplicateProduct { .. } => Refusal::DuplicateProduct,
            _ => Refusal::Subscription,
        })?;
        let order = Order::parse(&self.order_request()).map_err(Refusal::Order)?;
        quote(catalog, &account, &order, self.as_of).map_err(Refusal::Order)
    }
}

/// Why the form has no quote.
#[derive(Clone, Debug, PartialEq)]
pub enum Refusal {
    /// The country field is not a country: the code as read.
    Country(String),
    /// The credit is not an amount of zero or more in the currency's minor units (R19).
    Credit,
    /// The account's VAT id is not valid for its country (R21, S12).
    VatId,
    /// Two subscriptions of the account are to one product (R3).
    DuplicateProduct,
    /// A subscription of the account contradicts itself or the catalog (seats, dates).
    Subscription,
    /// The engine refused the order, with the code `api.md` gives it.
    Order(OrderError),
}

impl Refusal {
    /// The reason in `lang`, in words only: a customer may read the page, so no api.md code, rule
    /// id or engine message (English, with backticks) is shown (issue 12).
    pub fn explain(&self, lang: Lang) -> String {
        let it = lang == Lang::It;
        let text = match self {
            Refusal::Country(code) => {
                return if it {
                    format!(
                        "«{code}» non è un paese: scrivi il suo codice di due lettere, per esempio IT o DE."
                    )
                } else {
                    format!(
                        "“{code}” is not a country: enter its two-letter code, for example IT or DE."
                    )
                };
            }
            Refusal::Credit => (
                "il credito deve essere un importo da zero in su, con al massimo due decimali.",
                "the credit must be an amount of zero or more, with at most two decimals.",
            ),
            Refusal::VatId => (
                "la partita IVA dell'account non è valida per il suo paese.",
                "the account's VAT id is not valid for its country.",
            ),
            Refusal::DuplicateProduct => (
                "l'account ha due abbonamenti allo stesso prodotto: se ne tiene uno per prodotto.",
                "the account has two subscriptions to one product: it holds one per product.",
            ),
            Refusal::Subscription => (
                "un abbonamento attuale non è coerente (piano, licenze o date).",
                "a current subscription is not consistent (plan, seats or dates).",
            ),
            Refusal::Order(error) => order_refusal_text(error.code()),
        };
        (if it { text.0 } else { text.1 }).to_owned()
    }
}

/// The explanation of an order refusal code of `api.md`, in Italian and English; a code without
/// one of its own says the order is not valid.
fn order_refusal_text(code: &str) -> (&'static str, &'static str) {
    match code {
        "empty_order" => ("l'ordine non ha voci.", "the order has no items."),
        "invalid_seats" => (
            "il numero di licenze non è ammesso dal piano.",
            "the plan does not allow this number of seats.",
        ),
        "unknown_product" | "unknown_tier" => (
            "prodotto o piano non presente nel listino.",
            "the price list has no such product or plan.",
        ),
        "unknown_subscription" => (
            "l'abbonamento indicato non esiste.",
            "the subscription named does not exist.",
        ),
        "duplicate_item" => (
            "una sola voce per prodotto o abbonamento.",
            "one item per product or subscription.",
        ),
        "product_already_subscribed" => (
            "l'account ha già questo prodotto: modifica l'abbonamento invece di acquistarlo.",
            "the account already has this product: change its subscription instead of buying it.",
        ),
        "subscription_not_active" => (
            "l'abbonamento non è attivo: riprendilo, acquistalo o riattivalo.",
            "the subscription is not active: resume, buy or reactivate it.",
        ),
        "subscription_not_cancelled" => (
            "l'abbonamento non è disdetto: non c'è nulla da riprendere.",
            "the subscription is not cancelled: there is nothing to resume.",
        ),
        "subscription_not_expired" => (
            "solo un abbonamento scaduto si riattiva.",
            "only an expired subscription can be reactivated.",
        ),
        "trial_not_available" => (
            "la prova gratuita è solo per prodotti mai avuti né provati.",
            "a free trial is only for products never held or tried.",
        ),
        "downgrade_requires_support" => (
            "il passaggio a un piano inferiore si chiede all'assistenza clienti.",
            "a move to a lower plan goes through Customer Care.",
        ),
        "no_change" => (
            "la modifica non cambia nulla: cambia piano, licenze o fatturazione.",
            "the change changes nothing: change the plan, the seats or the billing.",
        ),
        "invalid_vat_id" => ("la partita IVA non è valida.", "the VAT id is not valid."),
        "corporate_account" => (
            "gli account corporate ordinano tramite il commerciale.",
            "corporate accounts order through their sales contact.",
        ),
        "as_of_outside_period" => (
            "la data deve cadere dentro i periodi correnti.",
            "the date must fall within the current periods.",
        ),
        "currency_not_sold" => (
            "il listino non vende in questa valuta.",
            "the price list does not sell in this currency.",
        ),
        "country_not_supported" => (
            "paese non gestito dal listino.",
            "the price list does not serve this country.",
        ),
        _ => ("l'ordine non è valido.", "the order is not valid."),
    }
}

/// The state of a shared link: the form, the catalog version it was priced with and the total it
/// showed, so the page that opens it can tell when the numbers might differ.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedQuote {
    /// Format version of the link (1).
    pub v: u32,
    /// The catalog version the quote was priced with.
    pub catalog: String,
    /// The total it showed, if it had one.
    #[serde(default)]
    pub total: Option<String>,
    /// The whole input.
    pub form: QuoteForm,
}

/// The URL fragment key of a shared quote: `#q=<base64url JSON>`.
pub const FRAGMENT_KEY: &str = "q=";

impl SharedQuote {
    /// The fragment (without `#`) that carries this quote.
    pub fn to_fragment(&self) -> String {
        let json = serde_json::to_string(self).unwrap_or_default();
        format!("{FRAGMENT_KEY}{}", base64url_encode(json.as_bytes()))
    }

    /// Reads a fragment (with or without `#`) written by [`SharedQuote::to_fragment`].
    pub fn from_fragment(fragment: &str) -> Option<SharedQuote> {
        let data = fragment
            .trim_start_matches('#')
            .strip_prefix(FRAGMENT_KEY)?;
        let json = base64url_decode(data)?;
        serde_json::from_slice(&json).ok()
    }
}

/// The quote's number: stable for the same input (a shared link shows the same number).
pub fn quote_number(form: &QuoteForm) -> String {
    let json = serde_json::to_string(form).unwrap_or_default();
    // FNV-1a, 32 bits: a short fingerprint, not a security measure.
    let hash = json.bytes().fold(0x811c_9dc5_u32, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    });
    format!("Q-{}-{hash:08X}", form.as_of.format("%Y%m%d"))
}

/// The last day a quote made on `date` is valid: 30 days.
pub fn valid_until(date: NaiveDate) -> NaiveDate {
    date.checked_add_days(Days::new(30)).unwrap_or(date)
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base64url without padding (RFC 4648 section 5).
pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
        }
    }
    out
}

/// Decodes base64url (padding optional); `None` on any other character.
pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let value = ALPHABET.iter().position(|&a| a == c)? as u32;
        acc = (acc << 6) | value;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// The starting form: worked example 2 of the billing rules, a consumer in Italy with
/// meeting/business, 10 seats, annual, from 2026-01-10, changing to 4 seats on 2026-11-22.
pub fn example_form() -> QuoteForm {
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
    QuoteForm {
        country: "IT".to_owned(),
        currency: Currency::Eur,
        vat_id: String::new(),
        credit: "0.00".to_owned(),
        subscriptions: vec![SubscriptionRow {
            product: "meeting".to_owned(),
            tier: "business".to_owned(),
            seats: 10,
            frequency: Frequency::Annual,
            status: SubscriptionStatus::Active,
            period_start: date(2026, 1, 10),
        }],
        items: vec![ItemRow {
            op: Op::Change,
            subscription: 0,
            product: "meeting".to_owned(),
            tier: "business".to_owned(),
            seats: 4,
            frequency: Frequency::Annual,
        }],
        as_of: date(2026, 11, 22),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_form_is_worked_example_2() {
        let quote = example_form().price(Catalog::bundled()).expect("a quote");
        let amounts: Vec<String> = quote.lines.iter().map(|l| l.amount.to_string()).collect();
        assert_eq!(amounts, ["-257.75", "768.00"]);
        assert_eq!(quote.subtotal.to_string(), "510.25");
        assert_eq!(quote.tax.amount.to_string(), "112.26");
        assert_eq!(quote.total.to_string(), "622.51");
    }

    #[test]
    fn as_of_must_be_inside_the_current_periods() {
        let form = example_form();
        let bounds = form.as_of_bounds().expect("bounds");
        assert_eq!(bounds.0.to_string(), "2026-01-10");
        assert_eq!(bounds.1.to_string(), "2027-01-09");
        let mut late = form;
        late.as_of = NaiveDate::from_ymd_opt(2027, 2, 1).expect("date");
        let refused = late
            .price(Catalog::bundled())
            .expect_err("outside the period");
        assert_eq!(
            refused.explain(Lang::It),
            "la data deve cadere dentro i periodi correnti."
        );
        assert_eq!(
            refused.explain(Lang::En),
            "the date must fall within the current periods."
        );
    }

    #[test]
    fn refusals_are_words_in_the_pages_language_without_codes() {
        let mut form = example_form();
        form.country = "zz".to_owned();
        let refused = form
            .price_in(Catalog::bundled(), |code| code != "ZZ")
            .expect_err("no such country");
        assert_eq!(refused, Refusal::Country("ZZ".to_owned()));
        assert_eq!(
            refused.explain(Lang::It),
            "«ZZ» non è un paese: scrivi il suo codice di due lettere, per esempio IT o DE."
        );
        form.country = "IT".to_owned();
        form.credit = "-5".to_owned();
        let refused = form.price(Catalog::bundled()).expect_err("negative credit");
        assert_eq!(
            refused.explain(Lang::En),
            "the credit must be an amount of zero or more, with at most two decimals."
        );
        form.credit = "0.00".to_owned();
        form.vat_id = "IT123".to_owned();
        let refused = form.price(Catalog::bundled()).expect_err("bad VAT id");
        assert_eq!(refused, Refusal::VatId);
        for text in [refused.explain(Lang::It), refused.explain(Lang::En)] {
            assert!(!text.contains(['`', '[', '_']), "{text}");
        }
    }

    #[test]
    fn an_account_without_subscriptions_can_buy() {
        let mut form = example_form();
        form.subscriptions.clear();
        form.items = vec![ItemRow {
            op: Op::Buy,
            subscription: 0,
            product: "webinar".to_owned(),
            tier: "lite".to_owned(),
            seats: 2,
            frequency: Frequency::Monthly,
        }];
        form.country = "US".to_owned();
        let quote = form.price(Catalog::bundled()).expect("a quote");
        assert_eq!(quote.total.to_string(), "118.00");
        assert_eq!(form.as_of_bounds(), None);
    }

    #[test]
    fn a_shared_link_carries_the_whole_input() {
        let shared = SharedQuote {
            v: 1,
            catalog: "2026-11-01".to_owned(),
            total: Some("622.51".to_owned()),
            form: example_form(),
        };
        let fragment = shared.to_fragment();
        assert!(fragment.starts_with("q="));
        assert!(
            fragment
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_=".contains(&b))
        );
        assert_eq!(
            SharedQuote::from_fragment(&format!("#{fragment}")),
            Some(shared)
        );
        assert_eq!(SharedQuote::from_fragment("#q=!!"), None);
    }

    #[test]
    fn base64url_round_trips_every_length() {
        for len in 0..20 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 250) as u8).collect();
            assert_eq!(base64url_decode(&base64url_encode(&bytes)), Some(bytes));
        }
        assert_eq!(base64url_encode(b"hello?"), "aGVsbG8_");
    }

    #[test]
    fn the_quote_number_depends_only_on_the_input() {
        let form = example_form();
        assert_eq!(quote_number(&form), quote_number(&form.clone()));
        assert!(quote_number(&form).starts_with("Q-20261122-"));
        let mut other = form.clone();
        other.items[0].seats = 5;
        assert_ne!(quote_number(&form), quote_number(&other));
    }

    #[test]
    fn a_quote_is_valid_30_days() {
        let date = NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
        assert_eq!(valid_until(date).to_string(), "2026-12-22");
    }
}
