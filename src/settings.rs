//! The council's settings (SPEC 6), with the SPEC's defaults: one value the
//! reader, the engine and the writers all take, so a council that sets 12
//! weeks or 21 days sees its own figures everywhere.

use chrono::{NaiveDate, Weekday};
use rust_decimal::Decimal;

/// An amount (a rate, or a maximum weekly charge) and the date it applies
/// from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DatedAmount {
    pub from: NaiveDate,
    pub amount: Decimal,
}

/// The settings in force for a run.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// The fraction of commissioned hours allowed either way (0.08).
    pub tolerance: Decimal,
    pub period_weeks: u32,
    pub week_start: Weekday,
    pub submission_days: u32,
    pub table_top_days: u32,
    pub sustained_weeks: u32,
    /// The council's rates for this provider, sorted by date; when set they
    /// win over the submission's.
    pub provider_rates: Option<Vec<DatedAmount>>,
    /// `max_weekly_charge`, sorted by date.
    pub max_weekly_charge: Vec<DatedAmount>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            tolerance: Decimal::new(8, 2),
            period_weeks: 13,
            week_start: Weekday::Mon,
            submission_days: 14,
            table_top_days: 28,
            sustained_weeks: 4,
            provider_rates: None,
            max_weekly_charge: Vec::new(),
        }
    }
}
