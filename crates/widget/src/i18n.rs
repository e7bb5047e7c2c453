//! The texts of the widget and of the quote page, in Italian and English. Placeholders in braces
//! (`{n}`, `{min}`) are filled in with [`fill`].

/// Every user-visible text of the pricing widget in one language.
#[derive(Debug)]
pub struct WidgetTexts {
    /// The locale handed to `Intl` for amounts.
    pub locale: &'static str,
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
    /// A tier that does not allow the chosen seats, `{max}`.
    pub tier_too_small: &'static str,
    /// An unknown product id.
    pub unknown_product: &'static str,
    /// The catalog version line, `{version}`.
    pub price_list: &'static str,
}

/// The Italian texts.
pub const IT: WidgetTexts = WidgetTexts {
    locale: "it-IT",
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
    per_month: "al mese",
    per_year: "all'anno",
    excl_vat: "IVA esclusa",
    buy: "Acquista",
    trial: "Prova gratis",
    tier_too_small: "Questo piano arriva a {max} licenze.",
    unknown_product: "Prodotto non disponibile.",
    price_list: "Listino {version}",
};

/// The English texts.
pub const EN: WidgetTexts = WidgetTexts {
    locale: "en-US",
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
    per_month: "per month",
    per_year: "per year",
    excl_vat: "excl. VAT",
    buy: "Buy now",
    trial: "Free trial",
    tier_too_small: "This plan goes up to {max} seats.",
    unknown_product: "Product not available.",
    price_list: "Price list {version}",
};

/// The widget texts for a language code (`it`, anything else is English).
pub fn widget_texts(lang: &str) -> &'static WidgetTexts {
    if lang == "it" { &IT } else { &EN }
}

/// Replaces `{key}` in `template` with `value`. One placeholder per call, and a plain scan for
/// `{` rather than `format!` or `str::replace`: the widget's WebAssembly stays smaller without the
/// formatting machinery and the substring searcher.
pub fn fill(template: &str, key: &str, value: &str) -> String {
    let mut out = String::with_capacity(template.len() + value.len());
    let mut rest = template;
    while let Some((before, after)) = rest.split_once('{') {
        out.push_str(before);
        match after
            .strip_prefix(key)
            .and_then(|tail| tail.strip_prefix('}'))
        {
            Some(tail) => {
                out.push_str(value);
                rest = tail;
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_in() {
        assert_eq!(
            fill(&fill(IT.invalid_seats, "min", "1"), "max", "250"),
            "Inserisci un numero intero da 1 a 250."
        );
    }

    #[test]
    fn only_the_named_placeholder_is_filled_in() {
        assert_eq!(fill("{n} of {m}, {n}{", "n", "3"), "3 of {m}, 3{");
        assert_eq!(fill("{}{{n}}", "n", "x"), "{}{x}");
        assert_eq!(fill("", "n", "x"), "");
    }

    #[test]
    fn unknown_languages_get_english() {
        assert_eq!(widget_texts("de").buy, "Buy now");
        assert_eq!(widget_texts("it").buy, "Acquista");
    }
}
