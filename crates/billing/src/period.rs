//! Billing frequencies and periods as half-open ranges of UTC calendar dates (R8).

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// How often a subscription is billed (R6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Frequency {
    /// Billed every month; the price is per seat per month.
    Monthly,
    /// Billed every year; the price is per seat per year.
    Annual,
}

impl Frequency {
    /// Both frequencies, monthly first.
    pub const ALL: [Frequency; 2] = [Frequency::Monthly, Frequency::Annual];

    /// How many calendar months one period of this frequency lasts.
    pub const fn months(self) -> u32 {
        match self {
            Frequency::Monthly => 1,
            Frequency::Annual => 12,
        }
    }

    /// The lowercase wire name (`monthly`, `annual`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Frequency::Monthly => "monthly",
            Frequency::Annual => "annual",
        }
    }

    /// The date one period after `start` (R8): the same day of the month `months()` later, or the
    /// last day of that month when the day does not exist there.
    pub fn advance(self, start: NaiveDate) -> NaiveDate {
        add_months(start, self.months())
    }
}

/// Adds calendar months to a date, clamping to the last day of the target month (R8:
/// 2026-01-31 + 1 month = 2026-02-28).
///
/// Dates this far out (past the year 262,000) do not occur in billing; they saturate at the
/// largest date rather than panic.
pub fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// A period that does not end after it starts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a period must end after it starts: {start} .. {end}")]
pub struct PeriodError {
    /// The first day.
    pub start: NaiveDate,
    /// The day after the last day.
    pub end: NaiveDate,
}

/// A billing period `[start, end)`: `start` is its first day, `end` the first day after it (R8).
/// Serialized as `{"start":"2026-11-01","end":"2026-12-01"}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "PeriodInput")]
pub struct Period {
    start: NaiveDate,
    end: NaiveDate,
}

/// A period as it travels, before its order is checked.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PeriodInput {
    start: NaiveDate,
    end: NaiveDate,
}

impl TryFrom<PeriodInput> for Period {
    type Error = PeriodError;

    fn try_from(input: PeriodInput) -> Result<Period, PeriodError> {
        Period::new(input.start, input.end)
    }
}

impl Period {
    /// A period from `start` up to, not including, `end`; it must hold at least one day.
    pub fn new(start: NaiveDate, end: NaiveDate) -> Result<Period, PeriodError> {
        if start < end {
            Ok(Period { start, end })
        } else {
            Err(PeriodError { start, end })
        }
    }

    /// The period of one `frequency` that starts on `start`.
    pub fn starting(start: NaiveDate, frequency: Frequency) -> Period {
        Period {
            start,
            end: frequency.advance(start),
        }
    }

    /// A period of a whole number of days (for trials, R11); at least one day.
    pub fn of_days(start: NaiveDate, days: u32) -> Period {
        let end = start
            .checked_add_days(chrono::Days::new(u64::from(days.max(1))))
            .unwrap_or(NaiveDate::MAX);
        Period { start, end }
    }

    /// The period that follows this one directly, of `frequency` (R8, R16).
    pub fn following(&self, frequency: Frequency) -> Period {
        Period::starting(self.end, frequency)
    }

    /// The first day of the period.
    pub fn start(&self) -> NaiveDate {
        self.start
    }

    /// The first day after the period.
    pub fn end(&self) -> NaiveDate {
        self.end
    }

    /// The length of the period in days, `end - start` (R8).
    pub fn days(&self) -> i64 {
        (self.end - self.start).num_days()
    }

    /// Whether `date` lies inside `[start, end)`.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date < self.end
    }

    /// The days from `as_of` to the end of the period, `end - as_of` (R12).
    pub fn days_left(&self, as_of: NaiveDate) -> i64 {
        (self.end - as_of).num_days()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().expect("test date")
    }

    #[test]
    fn a_monthly_period_from_the_31st_ends_on_the_last_day_of_february() {
        let period = Period::starting(date("2026-01-31"), Frequency::Monthly);
        assert_eq!(period.end(), date("2026-02-28"));
        assert_eq!(period.days(), 28);
    }

    #[test]
    fn an_annual_period_from_a_leap_day_ends_on_the_28th_of_february() {
        let period = Period::starting(date("2028-02-29"), Frequency::Annual);
        assert_eq!(period.end(), date("2029-02-28"));
    }

    #[test]
    fn periods_are_half_open() {
        let period = Period::new(date("2026-11-01"), date("2026-12-01")).expect("valid period");
        assert_eq!(period.days(), 30);
        assert!(period.contains(date("2026-11-01")));
        assert!(period.contains(date("2026-11-30")));
        assert!(!period.contains(date("2026-12-01")));
    }

    #[test]
    fn an_empty_or_reversed_period_is_refused() {
        assert!(Period::new(date("2026-11-01"), date("2026-11-01")).is_err());
        assert!(Period::new(date("2026-11-02"), date("2026-11-01")).is_err());
    }

    #[test]
    fn a_trial_period_lasts_its_days() {
        let period = Period::of_days(date("2026-11-22"), 14);
        assert_eq!(period.end(), date("2026-12-06"));
    }

    /// A deliberately naive restatement of R8, to check the real one against.
    fn reference_add_months(date: NaiveDate, months: u32) -> NaiveDate {
        use chrono::Datelike;
        let index = date.year() * 12 + date.month0() as i32 + months as i32;
        let (year, month) = (index.div_euclid(12), index.rem_euclid(12) as u32 + 1);
        let mut day = date.day();
        loop {
            if let Some(found) = NaiveDate::from_ymd_opt(year, month, day) {
                return found;
            }
            day -= 1;
        }
    }

    proptest! {
        #[test]
        fn period_ends_agree_with_a_simple_reference(
            days in 0i64..(400 * 366),
            annual in any::<bool>(),
        ) {
            let start = date("1999-01-01") + chrono::Duration::days(days);
            let frequency = if annual { Frequency::Annual } else { Frequency::Monthly };
            let period = Period::starting(start, frequency);
            prop_assert_eq!(period.end(), reference_add_months(start, frequency.months()));
            prop_assert!(period.days() >= 28);
            prop_assert!(period.days() <= 366);
        }
    }
}
