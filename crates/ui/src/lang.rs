//! The languages the Billing Center's pages speak. Each bundle keeps its own texts and reads them
//! through a trait of its own on [`Lang`] (the checkout's `i18n::Translate`, the quote page's
//! `i18n::QuoteTexts`).

/// A language the pages speak.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Italian, the default (the seeds are Italian help pages).
    #[default]
    It,
    /// English.
    En,
}

impl Lang {
    /// The BCP 47 tag given to the browser's `Intl` formatters.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::It => "it-IT",
            Lang::En => "en",
        }
    }

    /// The short code kept in local storage and set as `<html lang>` (`it`, `en`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::It => "it",
            Lang::En => "en",
        }
    }

    /// The language of a stored code; anything unknown is Italian.
    pub fn from_code(code: &str) -> Lang {
        if code == "en" { Lang::En } else { Lang::It }
    }

    /// The other language (the switch in the header).
    pub fn other(self) -> Lang {
        match self {
            Lang::It => Lang::En,
            Lang::En => Lang::It,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_anything_else_is_italian() {
        for lang in [Lang::It, Lang::En] {
            assert_eq!(Lang::from_code(lang.code()), lang);
            assert_ne!(lang.other(), lang);
            assert_eq!(lang.other().other(), lang);
        }
        assert_eq!(Lang::from_code("de"), Lang::It);
        assert_eq!(Lang::from_code(""), Lang::It);
    }
}
