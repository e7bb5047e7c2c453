//! The texts of the widget and of the quote page, in Italian and English. Placeholders in braces
//! (`{n}`, `{min}`) are filled in with [`fill`] (crates/ui); amounts are written with [`MoneyStyle`].

use billing::{Currency, Money};

/// The no-break space between an amount and a symbol that follows it, as `Intl` writes it.
const NO_BREAK_SPACE: char = '\u{a0}';

/// How a language writes amounts of money: what `Intl.NumberFormat(locale, {style: "currency",
/// currency})` writes for the widget's two locales (CLDR's data), written out so that the widget
/// needs no `Intl`. The first `Intl.NumberFormat` of a page loads the locale's data, which took
/// more main-thread time than drawing the widget; a browser test compares the two.
#[derive(Debug)]
pub struct MoneyStyle {
    /// Between the units and the cents.
    pub decimal: char,
    /// Between groups of three digits.
    pub group: char,
    /// The fewest digits before the decimal separator that are grouped (CLDR's minimum grouping
    /// digits: Italian writes 1536,00 but 12.345,00).
    pub group_from: usize,
    /// Whether the symbol follows the amount (after a no-break space) instead of preceding it.
    pub symbol_after: bool,
    /// The symbols of EUR, USD and GBP.
    pub symbols: [&'static str; 3],
    /// The locales this style writes as `Intl` does (the tag and its language alone).
    pub locales: [&'static str; 2],
}

impl MoneyStyle {
    /// The amount as `locale` writes it (S97): this style's own writing when it is one of its
    /// [`locales`](MoneyStyle::locales) (the fast path), else `Intl.NumberFormat`'s, whose locale
    /// data only a customer of another locale then waits for.
    pub fn format_in(&self, amount: Money, currency: Currency, locale: &str) -> String {
        if self.locales.contains(&locale) {
            self.format(amount, currency)
        } else {
            ui::format_money(&amount.to_string(), currency.code(), locale)
        }
    }

    /// The amount as the language writes it: `"1536,00\u{a0}€"`, `"$1,308.00"`.
    pub fn format(&self, amount: Money, currency: Currency) -> String {
        // `Money` prints the exact amount with the currency's minor digits: "-1536.00".
        let text = amount.to_string();
        let (sign, digits) = match text.strip_prefix('-') {
            Some(digits) => ("-", digits),
            None => ("", text.as_str()),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        let mut number = String::with_capacity(text.len() + 8);
        for (index, digit) in whole.chars().enumerate() {
            if index > 0 && whole.len() >= self.group_from && (whole.len() - index) % 3 == 0 {
                number.push(self.group);
            }
            number.push(digit);
        }
        if !fraction.is_empty() {
            number.push(self.decimal);
            number.push_str(fraction);
        }
        let symbol = self.symbols[match currency {
            Currency::Eur => 0,
            Currency::Usd => 1,
            Currency::Gbp => 2,
        }];
        let mut out = String::with_capacity(number.len() + symbol.len() + 3);
        out.push_str(sign);
        if self.symbol_after {
            out.push_str(&number);
            out.push(NO_BREAK_SPACE);
            out.push_str(symbol);
        } else {
            out.push_str(symbol);
            out.push_str(&number);
        }
        out
    }
}

/// Every user-visible text of the pricing widget in one language.
#[derive(Debug)]
pub struct WidgetTexts {
    /// How amounts are written (`Intl.NumberFormat`'s `it-IT` or `en-US`).
    pub money: MoneyStyle,
    /// The legend of the monthly/annual switch.
    pub billing: &'static str,
    /// "Monthly".
    pub monthly: &'static str,
    /// "Annual".
    pub annual: &'static str,
    /// The best annual saving, `{p}` percent.
    pub save_up_to: &'static str,
    /// The seat stepper's label.
    pub seats: &'static str,
    /// The "−" button's name.
    pub one_fewer: &'static str,
    /// The "+" button's name.
    pub one_more: &'static str,
    /// The stepper's message for a wrong number, `{min}` and `{max}`.
    pub invalid_seats: &'static str,
    /// The stepper's message above the maximum, `{max}`.
    pub contact_sales_message: &'static str,
    /// The "contact sales" link.
    pub contact_sales: &'static str,
    /// After a monthly price per seat.
    pub per_seat_month: &'static str,
    /// After an annual price per seat.
    pub per_seat_year: &'static str,
    /// The annual saving of a tier, `{amount}`.
    pub you_save: &'static str,
    /// The total line, `{n}` seats.
    pub total_for: &'static str,
    /// The total line for a count the language's plural rule calls `one`, `{n}` seats.
    pub total_for_one: &'static str,
    /// After a monthly total.
    pub per_month: &'static str,
    /// After an annual total.
    pub per_year: &'static str,
    /// Prices exclude VAT.
    pub excl_vat: &'static str,
    /// The buy button.
    pub buy: &'static str,
    /// The trial button.
    pub trial: &'static str,
    /// The total line while the seat field holds no seat count.
    pub no_total: &'static str,
    /// A tier that does not allow the chosen seats, `{max}`.
    pub tier_too_small: &'static str,
    /// An unknown product id.
    pub unknown_product: &'static str,
    /// The catalog version line, `{version}`.
    pub price_list: &'static str,
}

/// The Italian texts.
pub const IT: WidgetTexts = WidgetTexts {
    money: MoneyStyle {
        decimal: ',',
        group: '.',
        group_from: 5,
        symbol_after: true,
        symbols: ["€", "USD", "£"],
        locales: ["it-IT", "it"],
    },
    billing: "Fatturazione",
    monthly: "Mensile",
    annual: "Annuale",
    save_up_to: "risparmi fino al {p}%",
    seats: "Licenze",
    one_fewer: "Una licenza in meno",
    one_more: "Una licenza in più",
    invalid_seats: "Inserisci un numero intero da {min} a {max}.",
    contact_sales_message: "Per più di {max} licenze parla con il nostro team commerciale.",
    contact_sales: "Contatta le vendite",
    per_seat_month: "per licenza al mese",
    per_seat_year: "per licenza all'anno",
    you_save: "Risparmi {amount} all'anno per licenza",
    total_for: "Totale per {n} licenze",
    total_for_one: "Totale per {n} licenza",
    per_month: "al mese",
    per_year: "all'anno",
    excl_vat: "IVA esclusa",
    buy: "Acquista",
    trial: "Prova gratis",
    no_total: "Inserisci un numero di licenze valido per vedere il totale.",
    tier_too_small: "Questo piano arriva a {max} licenze.",
    unknown_product: "Prodotto non disponibile.",
    price_list: "Listino {version}",
};

/// The English texts.
pub const EN: WidgetTexts = WidgetTexts {
    money: MoneyStyle {
        decimal: '.',
        group: ',',
        group_from: 4,
        symbol_after: false,
        symbols: ["€", "$", "£"],
        locales: ["en-US", "en"],
    },
    billing: "Billing",
    monthly: "Monthly",
    annual: "Annual",
    save_up_to: "save up to {p}%",
    seats: "Seats",
    one_fewer: "One seat fewer",
    one_more: "One seat more",
    invalid_seats: "Enter a whole number from {min} to {max}.",
    contact_sales_message: "For more than {max} seats, talk to our sales team.",
    contact_sales: "Contact sales",
    per_seat_month: "per seat per month",
    per_seat_year: "per seat per year",
    you_save: "You save {amount} per seat per year",
    total_for: "Total for {n} seats",
    total_for_one: "Total for {n} seat",
    per_month: "per month",
    per_year: "per year",
    excl_vat: "excl. VAT",
    buy: "Buy now",
    trial: "Free trial",
    no_total: "Enter a valid number of seats to see the total.",
    tier_too_small: "This plan goes up to {max} seats.",
    unknown_product: "Product not available.",
    price_list: "Price list {version}",
};

/// The widget texts for a language code (`it`, anything else is English).
pub fn widget_texts(lang: &str) -> &'static WidgetTexts {
    if lang == "it" { &IT } else { &EN }
}

pub use ui::fill;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_in() {
        assert_eq!(
            fill(IT.invalid_seats, &[("min", "1"), ("max", "250")]),
            "Inserisci un numero intero da 1 a 250."
        );
    }

    /// What `Intl.NumberFormat(locale, {style: "currency", currency}).format(amount)` gives in
    /// Chromium 156, with "_" for the no-break space.
    #[test]
    fn amounts_are_written_as_intl_writes_them() {
        let amounts = [
            "0.00",
            "5.50",
            "144.00",
            "1536.00",
            "12345.67",
            "131400.00",
            "1234567.89",
        ];
        let expected = [
            (
                &IT,
                Currency::Eur,
                "0,00_€ 5,50_€ 144,00_€ 1536,00_€ 12.345,67_€ 131.400,00_€ 1.234.567,89_€",
            ),
            (
                &IT,
                Currency::Usd,
                "0,00_USD 5,50_USD 144,00_USD 1536,00_USD 12.345,67_USD 131.400,00_USD 1.234.567,89_USD",
            ),
            (
                &IT,
                Currency::Gbp,
                "0,00_£ 5,50_£ 144,00_£ 1536,00_£ 12.345,67_£ 131.400,00_£ 1.234.567,89_£",
            ),
            (
                &EN,
                Currency::Eur,
                "€0.00 €5.50 €144.00 €1,536.00 €12,345.67 €131,400.00 €1,234,567.89",
            ),
            (
                &EN,
                Currency::Usd,
                "$0.00 $5.50 $144.00 $1,536.00 $12,345.67 $131,400.00 $1,234,567.89",
            ),
            (
                &EN,
                Currency::Gbp,
                "£0.00 £5.50 £144.00 £1,536.00 £12,345.67 £131,400.00 £1,234,567.89",
            ),
        ];
        for (texts, currency, written) in expected {
            let formatted: Vec<String> = amounts
                .iter()
                .map(|amount| {
                    let money: Money = amount.parse().expect("a price");
                    texts
                        .money
                        .format(money, currency)
                        .replace(NO_BREAK_SPACE, "_")
                })
                .collect();
            assert_eq!(formatted.join(" "), written, "{currency}");
        }
    }

    #[test]
    fn negative_amounts_lead_with_the_sign() {
        let refund = Currency::Eur.from_minor_units(-123_456);
        assert_eq!(IT.money.format(refund, Currency::Eur), "-1234,56\u{a0}€");
        assert_eq!(EN.money.format(refund, Currency::Eur), "-€1,234.56");
    }

    #[test]
    fn the_texts_own_locales_take_the_fast_path_and_others_intl() {
        let price = Currency::Eur.from_minor_units(153_600);
        let it = ui::locale_for(ui::Lang::It);
        let en = ui::locale_for(ui::Lang::En);
        assert_eq!(
            IT.money.format_in(price, Currency::Eur, &it),
            "1536,00\u{a0}€"
        );
        assert_eq!(EN.money.format_in(price, Currency::Eur, &en), "€1,536.00");
        assert_eq!(
            EN.money.format_in(price, Currency::Eur, "en-US"),
            "€1,536.00"
        );
        // Outside the browser `Intl`'s stand-in writes the amount and the code.
        assert_eq!(
            IT.money.format_in(price, Currency::Eur, "de-DE"),
            "1536.00 EUR"
        );
        assert_eq!(
            EN.money.format_in(price, Currency::Eur, "en-GB"),
            "1536.00 EUR"
        );
    }

    #[test]
    fn unknown_languages_get_english() {
        assert_eq!(widget_texts("de").buy, "Buy now");
        assert_eq!(widget_texts("it").buy, "Acquista");
    }
}
