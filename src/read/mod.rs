//! Workbook -> [`Submission`] + findings (SPEC 7, council format 1).
//!
//! Knows calamine and the format: which sheet, which label, which header,
//! how a cell turns into hours or a date. Knows nothing of money rules: the
//! engine decides what the figures mean. Every problem found in the file is
//! a [`Finding`] with its cell; the reader never stops at the first one.

mod cell;
mod council;
mod details;
mod hours;
mod people_csv;
mod settings_error;

use std::io::Cursor;

use calamine::{Data, Range, Reader, Sheets, open_workbook_auto_from_rs};

use crate::findings::{Code, Finding, Sheet};
use crate::model::{Shown, ShownCell, Submission};
use crate::settings::Settings;

pub use cell::text_date;
pub use council::{load_settings, read_decisions, read_plans};
pub use people_csv::read_people_csv;
pub use settings_error::SettingsError;

/// Read a submission from the bytes of a workbook file. `source` is the file
/// name that findings and outputs mention; `settings` give the period's
/// length and week start. Never fails: a file that is not a
/// workbook is an `unreadable-workbook` finding.
pub fn read_submission(source: &str, bytes: &[u8], settings: &Settings) -> (Submission, Vec<Finding>) {
    let mut submission = Submission {
        source: source.to_string(),
        ..Submission::default()
    };
    let mut findings = Vec::new();

    let mut workbook = match open_workbook_auto_from_rs(Cursor::new(bytes)) {
        Ok(wb) => wb,
        Err(e) => {
            findings.push(unreadable(source, &e.to_string()));
            return (submission, findings);
        }
    };

    let details = sheet_range(&mut workbook, Sheet::Details, source, &mut findings);
    let hours = sheet_range(&mut workbook, Sheet::Hours, source, &mut findings);

    if let Some(range) = &details {
        submission.details = Some(details::read(range, settings, &mut findings));
        submission.details_cells = shown_cells(range);
    }
    if let Some(range) = &hours {
        submission.hours_cells = shown_cells(range);
        let period_start = submission
            .details
            .as_ref()
            .and_then(|d| d.period_start.as_ref())
            .map(|d| d.value);
        hours::read(range, period_start, settings, &mut submission, &mut findings);
    }
    (submission, findings)
}

fn unreadable(source: &str, why: &str) -> Finding {
    Finding::new(
        Code::UnreadableWorkbook,
        format!(
            "{source} could not be opened as a workbook ({why}). Save it as an Excel \
             workbook (.xlsx) from the council's template and submit that file; \
             it must not be password-protected."
        ),
    )
}

/// Find a sheet by name, ignoring case and surrounding spaces, and read it
/// once.
fn sheet_range(
    workbook: &mut Sheets<Cursor<&[u8]>>,
    sheet: Sheet,
    source: &str,
    findings: &mut Vec<Finding>,
) -> Option<Range<Data>> {
    let wanted = sheet.name();
    let names = workbook.sheet_names();
    let Some(name) = names
        .iter()
        .find(|n| n.trim().eq_ignore_ascii_case(wanted))
        .cloned()
    else {
        let found = if names.is_empty() {
            "no sheets".to_string()
        } else {
            format!(
                "sheets {}",
                names
                    .iter()
                    .map(|n| format!("\"{n}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        findings.push(Finding::new(
            Code::MissingSheet,
            format!(
                "The workbook has no \"{wanted}\" sheet (found {found}). Use the council's \
                 template, which has a Details sheet and an Hours sheet, or rename the sheet \
                 to \"{wanted}\"."
            ),
        ));
        return None;
    };
    match workbook.worksheet_range(&name) {
        Ok(range) => Some(range),
        Err(e) => {
            findings.push(unreadable(source, &format!("sheet \"{name}\": {e}")));
            None
        }
    }
}

/// Hex SHA-256 of a file's bytes, for the audit trail.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

static EMPTY: Data = Data::Empty;

/// The cell at an absolute, 0-based position; blank outside the range.
fn at(range: &Range<Data>, row: u32, col: u32) -> &Data {
    range.get_value((row, col)).unwrap_or(&EMPTY)
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
fn shown_cells(range: &Range<Data>) -> Vec<ShownCell> {
    let (r0, c0) = range.start().unwrap_or((0, 0));
    range
        .used_cells()
        .filter_map(|(r, c, data)| {
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
            let row = r0 + u32::try_from(r).ok()?;
            let col = c0 + u32::try_from(c).ok()?;
            Some(ShownCell { row, col, value })
        })
        .collect()
}
