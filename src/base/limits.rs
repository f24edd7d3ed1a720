//! What a plausible figure is: one named check per limit, which the reader
//! (workbook cells), the people CSV, the settings files and `--rate` all
//! call, so a value one part accepts every other part accepts too.
//!
//! These are limits on what a provider or officer can mean, not money rules:
//! a week has 168 hours; no rate or weekly charge comes near £1,000,000 (and
//! that bound keeps every sum far inside what a `Decimal` holds); a date is
//! between 1900 and 2200 (which also keeps the period's date arithmetic
//! safe).

use std::ops::RangeInclusive;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::base::units::Hours;

/// Hours in a week (7 × 24): no week's hours, and no weekly bundle, can be
/// more.
pub const HOURS_IN_A_WEEK: i64 = 168;

/// Money at or above this (£1,000,000) is taken for a typing mistake.
pub const MONEY_LIMIT: Decimal = Decimal::from_parts(1_000_000, 0, 0, false, 0);

/// A blended hourly rate above this (£200.00) is taken for a typing
/// mistake (pence typed as pounds, a lost decimal point): care at home
/// costs a council some £20 to £35 an hour.
pub const MAX_RATE: Decimal = Decimal::from_parts(200, 0, 0, false, 0);

/// A tolerance above this (25%) is taken for a typing mistake (`0.8` for
/// `0.08`): the policy's is 8%, and one of 80% would settle every person
/// without review.
pub const MAX_TOLERANCE: Decimal = Decimal::from_parts(25, 0, 0, false, 2);

/// The largest input file read (100 MiB); a larger one is refused unread.
pub const MAX_FILE_BYTES: u64 = 100 << 20;

/// The largest file of the council's read (64 MiB): plans, decisions, the
/// people CSV. 100,000 plan lines are about 5 MB.
pub const MAX_COUNCIL_FILE_BYTES: u64 = 64 << 20;

/// The largest visit file read (512 MiB): a rostering or call-monitoring
/// export, one line a visit (a quarter of a large provider's visits is
/// some 1,000,000 lines, about 200 MB of CSV). A larger one is refused
/// unread.
pub const MAX_VISIT_FILE_BYTES: u64 = 512 << 20;

/// The most visits read from one visit file (5,000,000).
pub const MAX_VISITS: usize = 5_000_000;

/// The most problems listed of one visit file; past it, one more says how
/// many lines were not listed.
pub const MAX_VISIT_PROBLEMS: usize = 1_000;

/// The most carers on one visit: more is taken for a typing mistake.
pub const MAX_CARERS: u32 = 10;

/// How deep the elements of an XML visit file may nest (an Abacus file
/// nests four deep).
pub const MAX_XML_DEPTH: usize = 32;

/// The largest `council.toml` read (1 MiB, some 20,000 `[[provider]]`
/// tables): a settings file is written by hand.
pub const MAX_SETTINGS_BYTES: u64 = 1 << 20;

/// The most lines a council's file may have (1,000,000).
pub const MAX_LINES: usize = 1_000_000;

/// The longest line a council's file may have (65,536 bytes).
pub const MAX_LINE_BYTES: usize = 64 << 10;

/// The most characters of one field of a council's CSV: the most a
/// spreadsheet cell holds (32,767), since every field may be shown in one.
pub const MAX_FIELD_CHARS: usize = 32_767;

/// The most problems listed of one council file; past it, how many more.
pub const MAX_LINE_PROBLEMS: usize = 20;

/// The most one part of a workbook's zip package may inflate to (256 MiB),
/// and all its parts together (512 MiB).
pub const MAX_PART_BYTES: u64 = 256 << 20;
pub const MAX_INFLATED_BYTES: u64 = 512 << 20;

/// The most parts a workbook's package may have.
pub const MAX_PARTS: usize = 10_000;

/// The most non-blank cells kept of one sheet (and, for `.ods`, the most
/// cells its repeated rows and columns may expand to): a 50,000-person
/// return has about 1.1 million.
pub const MAX_CELLS: u64 = 5_000_000;

/// The most bytes of text kept of one sheet's cells: a 50,000-person return
/// holds about 2 MB. One long shared string can be referenced from every
/// cell of a small file, and each cell read keeps its own copy.
pub const MAX_SHEET_TEXT_BYTES: u64 = 64 << 20;

/// The most findings of one code listed; past it one more finding of that
/// code says how many were not listed.
pub const MAX_FINDINGS_PER_CODE: usize = 100;

/// The most characters of a cell's text quoted in a message.
pub const MAX_QUOTED_CHARS: usize = 80;

/// The years a date may fall in.
pub const YEARS: RangeInclusive<i32> = 1900..=2200;

/// Why hours are not plausible.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HoursProblem {
    Negative,
    /// 0 where more than 0 is needed (a bundle).
    Zero,
    /// More than the hours in a week.
    OverWeek,
}

/// Why an amount of money is not plausible.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MoneyProblem {
    Negative,
    /// 0 where more than 0 is needed (a rate).
    Zero,
    /// £1,000,000 or more.
    TooLarge,
}

fn week() -> Hours {
    Hours::from_seconds(HOURS_IN_A_WEEK * 3600)
}

/// One week's hours delivered: 0 to 168.
///
/// # Errors
/// [`HoursProblem::Negative`] or [`HoursProblem::OverWeek`], never `Zero`.
pub fn week_hours(h: Hours) -> Result<Hours, HoursProblem> {
    if h.is_negative() {
        Err(HoursProblem::Negative)
    } else if h > week() {
        Err(HoursProblem::OverWeek)
    } else {
        Ok(h)
    }
}

/// A weekly bundle: more than 0, at most 168 hours.
///
/// # Errors
/// Any [`HoursProblem`].
pub fn bundle(h: Hours) -> Result<Hours, HoursProblem> {
    if h.is_zero() {
        Err(HoursProblem::Zero)
    } else {
        week_hours(h)
    }
}

/// An assessed weekly charge: 0 or more, under £1,000,000.
///
/// # Errors
/// [`MoneyProblem::Negative`] or [`MoneyProblem::TooLarge`], never `Zero`.
pub fn charge(amount: Decimal) -> Result<Decimal, MoneyProblem> {
    if amount.is_sign_negative() && !amount.is_zero() {
        Err(MoneyProblem::Negative)
    } else if amount >= MONEY_LIMIT {
        Err(MoneyProblem::TooLarge)
    } else {
        Ok(amount)
    }
}

/// A blended hourly rate: more than 0, at most [`MAX_RATE`].
///
/// # Errors
/// Any [`MoneyProblem`].
pub fn rate(amount: Decimal) -> Result<Decimal, MoneyProblem> {
    if amount.is_zero() {
        Err(MoneyProblem::Zero)
    } else if amount > MAX_RATE {
        Err(MoneyProblem::TooLarge)
    } else {
        charge(amount)
    }
}

/// A date in [`YEARS`].
pub fn date(d: NaiveDate) -> Option<NaiveDate> {
    YEARS.contains(&d.year()).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn limits() {
        let h = |x: i64| Hours::from_seconds(x * 3600);
        assert_eq!(bundle(h(168)), Ok(h(168)));
        assert_eq!(bundle(h(169)), Err(HoursProblem::OverWeek));
        assert_eq!(bundle(h(0)), Err(HoursProblem::Zero));
        assert_eq!(bundle(-h(1)), Err(HoursProblem::Negative));
        assert_eq!(week_hours(h(0)), Ok(h(0)));
        assert_eq!(rate(dec!(0)), Err(MoneyProblem::Zero));
        assert_eq!(rate(dec!(24.85)), Ok(dec!(24.85)));
        assert_eq!(rate(dec!(200)), Ok(dec!(200)));
        assert_eq!(rate(dec!(2485)), Err(MoneyProblem::TooLarge));
        assert_eq!(MAX_TOLERANCE, dec!(0.25));
        assert_eq!(charge(dec!(0)), Ok(dec!(0)));
        assert_eq!(charge(dec!(1000000)), Err(MoneyProblem::TooLarge));
        assert_eq!(charge(dec!(-0.01)), Err(MoneyProblem::Negative));
        let d = |y: i32| NaiveDate::from_ymd_opt(y, 1, 1).unwrap();
        assert_eq!(date(d(1899)), None);
        assert_eq!(date(d(2026)), Some(d(2026)));
        assert_eq!(date(d(2201)), None);
    }
}
