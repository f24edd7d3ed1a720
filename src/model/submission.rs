//! The submission: what a provider's workbook says, as plain typed values
//! with the cells they came from. The reader builds it; the engine
//! reconciles it; nothing here knows calamine or money rules.

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;

use crate::base::units::Hours;
use crate::model::findings::Location;

/// A value together with the cell it was read from.
#[derive(Clone, Debug, PartialEq)]
pub struct Located<T> {
    pub value: T,
    pub at: Location,
}

impl<T> Located<T> {
    pub fn new(value: T, at: Location) -> Located<T> {
        Located { value, at }
    }
}

/// A reconciliation period: `weeks` financial weeks from `start` (SPEC 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub start: NaiveDate,
    pub weeks: u32,
}

impl Period {
    /// The Monday (or set week start) on which week `k` (1-based) commences.
    pub fn week_commencing(&self, k: u32) -> NaiveDate {
        self.start
            .checked_add_days(Days::new(7 * u64::from(k.saturating_sub(1))))
            .unwrap_or(NaiveDate::MAX)
    }

    /// The last day of week `k`.
    pub fn week_ending(&self, k: u32) -> NaiveDate {
        self.week_commencing(k)
            .checked_add_days(Days::new(6))
            .unwrap_or(NaiveDate::MAX)
    }

    /// The last day of the period (`start + 7·weeks − 1`).
    pub fn end(&self) -> NaiveDate {
        self.week_ending(self.weeks)
    }

    /// The week that commences exactly on `date`, if any.
    pub fn week_commencing_on(&self, date: NaiveDate) -> Option<u32> {
        let days = (date - self.start).num_days();
        if days < 0 || days % 7 != 0 {
            return None;
        }
        let k = u32::try_from(days / 7 + 1).ok()?;
        (k <= self.weeks).then_some(k)
    }

    /// The week (1-based) a day falls in, if it falls in the period: a
    /// visit's week is that of the day it starts (SPEC 1's weeks).
    pub fn week_of(&self, date: NaiveDate) -> Option<u32> {
        let days = (date - self.start).num_days();
        if days < 0 {
            return None;
        }
        let k = u32::try_from(days / 7 + 1).ok()?;
        (k <= self.weeks).then_some(k)
    }

    /// Whether week `k` is a care week for care from `start` to `end`
    /// (both inclusive, absent = open): its Monday-Sunday span overlaps them
    /// (SPEC 2).
    pub fn is_care_week(&self, k: u32, start: Option<NaiveDate>, end: Option<NaiveDate>) -> bool {
        start.is_none_or(|s| self.week_ending(k) >= s) && end.is_none_or(|e| self.week_commencing(k) <= e)
    }

    /// 1..=weeks.
    pub fn week_numbers(&self) -> impl Iterator<Item = u32> {
        1..=self.weeks
    }
}

/// The `Details` sheet (SPEC 7). Each field is `None` when its label is
/// absent or its value could not be read (a finding says which).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Details {
    pub provider_name: Option<Located<String>>,
    pub provider_reference: Option<Located<String>>,
    pub period_start: Option<Located<NaiveDate>>,
    pub rate: Option<Located<Decimal>>,
    /// Where the label `Blended hourly rate` stands, even when its value is
    /// blank: the cell a `rate-missing` finding points at.
    pub rate_label_at: Option<Location>,
    pub new_rate: Option<Located<Decimal>>,
    pub new_rate_from: Option<Located<NaiveDate>>,
    pub submitted_by: Option<Located<String>>,
    pub submission_date: Option<Located<NaiveDate>>,
}

/// One hours cell of the `Hours` sheet.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum WeekCell {
    /// Nothing typed.
    Blank,
    /// Hours delivered (may be negative or too many: the reader reports
    /// those, the value is kept as typed).
    Hours(Hours),
    /// A value that could not be read; a finding already says why.
    Invalid,
}

impl WeekCell {
    pub fn hours(self) -> Option<Hours> {
        match self {
            WeekCell::Hours(h) => Some(h),
            _ => None,
        }
    }
}

/// One row of the `Hours` sheet: one person, or one bundle of a person whose
/// bundle changed during the period (SPEC 2).
#[derive(Clone, Debug, PartialEq)]
pub struct PersonRow {
    /// 0-based sheet row.
    pub row: u32,
    pub person_id: String,
    pub name: Option<String>,
    /// `None` when the cell could not be read (a finding says why).
    pub bundle: Option<Located<Hours>>,
    pub charge: Option<Located<Decimal>>,
    pub care_start: Option<Located<NaiveDate>>,
    pub care_end: Option<Located<NaiveDate>>,
    /// One per period week, week 1 first. Where the week's column is missing
    /// (a `missing-column` error) the cell is `Invalid`, located at the row.
    pub weeks: Vec<Located<WeekCell>>,
    pub total: Option<Located<Hours>>,
    pub notes: Option<String>,
}

/// The provider's own totals row (`Person ID` reads `Total` or `Totals`).
#[derive(Clone, Debug, PartialEq)]
pub struct TotalsRow {
    pub row: u32,
    /// One per period week, as in [`PersonRow::weeks`].
    pub weeks: Vec<Located<WeekCell>>,
    pub total: Option<Located<Hours>>,
}

/// A cell as the provider typed it, for the report to show "as read".
#[derive(Clone, Debug, PartialEq)]
pub enum Shown {
    Text(String),
    Number(Decimal),
    /// A time or duration, as a length of time.
    Hours(Hours),
    Date(NaiveDate),
    /// A spreadsheet error value (`#REF!`).
    Error(String),
}

/// One non-blank cell of a sheet, 0-based.
#[derive(Clone, Debug, PartialEq)]
pub struct ShownCell {
    pub row: u32,
    pub col: u32,
    pub value: Shown,
}

/// A whole submission as read.
#[derive(Clone, Debug, PartialEq)]
pub struct Submission {
    /// The input file's name, as given.
    pub source: String,
    /// The file opened as a workbook (false: a finding says why, and no
    /// report is written for it).
    pub opened: bool,
    /// The Details sheet as read; `None` when the workbook could not be
    /// opened or has no Details sheet (the reader's findings say why, and
    /// nothing else can be said).
    pub details: Option<Details>,
    pub rows: Vec<PersonRow>,
    pub totals_row: Option<TotalsRow>,
    pub layout: HoursLayout,
    /// Every non-blank cell of the Details sheet, as read.
    pub details_cells: Vec<ShownCell>,
    /// Every non-blank cell of the Hours sheet, as read.
    pub hours_cells: Vec<ShownCell>,
}

impl Default for Submission {
    fn default() -> Self {
        Submission {
            source: String::new(),
            opened: true,
            details: None,
            rows: Vec::new(),
            totals_row: None,
            layout: HoursLayout::default(),
            details_cells: Vec::new(),
            hours_cells: Vec::new(),
        }
    }
}

/// Where the `Hours` sheet's columns are, for writers that point at cells.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HoursLayout {
    pub header_row: u32,
    /// The 0-based column of each week, week 1 first (`None`: missing).
    pub week_columns: Vec<Option<u32>>,
    pub bundle_column: Option<u32>,
}
