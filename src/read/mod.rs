//! Workbook -> [`Submission`] + findings (SPEC 7, council format 1).
//!
//! Knows calamine and the format: which sheet, which label, which header,
//! how a cell turns into hours or a date. Knows nothing of money rules: the
//! engine decides what the figures mean. Every problem found in the file is
//! a [`Finding`] with its cell; the reader never stops at the first one.

mod cell;
mod compound;
mod council;
mod details;
pub mod file;
mod grid;
mod hours;
mod package;
pub mod paid;
mod people_csv;
mod settings_error;
mod spot;
pub mod visits;
pub mod wording;
mod workbook;

use calamine::Data;

use crate::model::findings::Findings;
use crate::model::settings::Settings;
use crate::model::{Shown, ShownCell, Submission};
use grid::{Grid, Value};

pub use cell::text_date;
pub use council::{load_settings, read_decisions, read_plans};
pub use people_csv::read_people_csv;
pub use settings_error::SettingsError;
pub use spot::{SpotWorkbook, read_spot_check};
pub use workbook::too_large;

/// Read a submission from the bytes of a workbook file. `source` is the file
/// name that findings and outputs mention; `settings` give the period's
/// length and week start. Never fails: a file that is not a workbook, or
/// not exactly one, is an `unreadable-workbook` or `limit-exceeded`
/// finding. Memory follows the cells the sheets hold, within
/// [`crate::base::limits`].
pub fn read_submission(source: &str, bytes: &[u8], settings: &Settings) -> (Submission, Findings) {
    let mut submission = Submission {
        source: source.to_string(),
        ..Submission::default()
    };
    let mut findings = Findings::new();
    let Some(sheets) = workbook::open(source, bytes, &mut findings) else {
        submission.opened = false;
        return (submission, findings);
    };
    if let Some(grid) = &sheets.details {
        submission.details = Some(details::read(grid, settings, &mut findings));
        submission.details_cells = shown_cells(grid);
    }
    if let Some(grid) = &sheets.hours {
        submission.hours_cells = shown_cells(grid);
        let period_start = submission
            .details
            .as_ref()
            .and_then(|d| d.period_start.as_ref())
            .map(|d| d.value);
        hours::read(grid, period_start, settings, &mut submission, &mut findings);
    }
    (submission, findings)
}

/// A submission that could not be opened at all, with the finding that
/// says why.
pub fn refused(source: &str, why: crate::model::findings::Finding) -> (Submission, Findings) {
    let submission = Submission {
        source: source.to_string(),
        opened: false,
        ..Submission::default()
    };
    (submission, Findings::from(vec![why]))
}

/// A label or header as matched: trimmed, lower case, inner spaces folded,
/// a trailing colon dropped.
fn normalise_label(text: &str) -> String {
    let t = text.trim();
    let t = t.strip_suffix(':').unwrap_or(t);
    t.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Every non-blank cell of a sheet as the provider typed it: text, a
/// number, a date, a time or duration (as a length of time), or an error.
fn shown_cells(grid: &Grid) -> Vec<ShownCell> {
    grid.cells()
        .filter_map(|(row, col, value)| {
            let Value::Data(data) = value else {
                return Some(ShownCell {
                    row,
                    col,
                    value: Shown::Error("(formula not calculated)".into()),
                });
            };
            let value = match data {
                Data::Empty => return None,
                Data::String(s) if s.trim().is_empty() => return None,
                Data::String(s) => Shown::Text(s.clone()),
                Data::Bool(_) => Shown::Text(cell::text(data)?),
                Data::Int(_) | Data::Float(_) => match cell::number(data) {
                    cell::Cell::Value(d) => Shown::Number(d),
                    _ => Shown::Text(cell::text(data)?),
                },
                Data::DateTime(dt) if dt.is_datetime() && dt.as_f64() >= 1.0 => match cell::date(data) {
                    cell::Cell::Value(d) => Shown::Date(d),
                    _ => Shown::Text(cell::text(data)?),
                },
                Data::DateTimeIso(_) => match cell::date(data) {
                    cell::Cell::Value(d) => Shown::Date(d),
                    _ => Shown::Text(cell::text(data)?),
                },
                Data::DateTime(_) | Data::DurationIso(_) => match cell::hours(data) {
                    cell::Cell::Value(h) => Shown::Hours(h),
                    _ => Shown::Text(cell::text(data)?),
                },
                Data::Error(e) => Shown::Error(e.to_string()),
            };
            Some(ShownCell { row, col, value })
        })
        .collect()
}
