//! The report workbook an officer takes to the table-top meeting (SPEC 8.3):
//! Summary, People, Hours, Weeks (every person-week, for filtering),
//! Findings, Payments, Audit, then Details (the
//! submission's Details sheet as read, so that links to `Details!B3` land).
//! One module per sheet (`as_read` writes both Hours and Details);
//! [`crate::write::formats`] holds what they share with the other workbooks.
//!
//! Numbers stay numbers: money in a £ format, hours with two decimals,
//! dates as dates, percentages as percentages. The engine's `Decimal`s are
//! the truth; the workbook shows them (rust_xlsxwriter stores a number as an
//! IEEE double, which is display only). No sheet computes a figure: each
//! writes what the engine's result holds.

mod as_read;
mod audit;
mod findings;
mod payments;
mod people;
mod summary;
mod weeks;

use chrono::{DateTime, Utc};
use rust_xlsxwriter::{DocProperties, Workbook, Worksheet, XlsxError};

use crate::engine::Reconciliation;
use crate::model::Submission;
use crate::model::findings::Sheet;
use crate::model::settings::Settings;

/// What the Audit sheet records besides the result.
pub struct Audit<'a> {
    pub input_name: &'a str,
    /// Hex SHA-256 of the input file's bytes.
    pub sha256: String,
    pub settings: &'a Settings,
    pub run_at: DateTime<Utc>,
    /// What the council's ledger did with it (`write::ledger::audit_rows`);
    /// empty without a ledger.
    pub ledger: Vec<(&'static str, String)>,
}

/// Build the report workbook. The sheets that grow with the people are
/// streamed to temporary files in `tempdir` (the report's own folder, so
/// that they need no more than the report does; the system's temporary
/// folder when `None`).
///
/// # Errors
/// rust_xlsxwriter's own limits (e.g. more than 1,048,576 rows), or a
/// temporary file that cannot be made.
pub fn build(
    submission: &Submission,
    r: &Reconciliation,
    audit: &Audit<'_>,
    tempdir: Option<&std::path::Path>,
) -> Result<Workbook, XlsxError> {
    let f = crate::write::formats::Formats::new();
    let mut wb = Workbook::new();
    if let Some(dir) = tempdir {
        wb.set_tempdir(dir)?;
    }
    // Excel's own level: most of the time of a large report was deflate at
    // the default 6 (issue 16); 3 is about 5% larger and far faster.
    wb.set_zip_compression_level(3);
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("Your Choice reconciliation: {}", audit.input_name))
            .set_author(format!("yourchoice {}", env!("CARGO_PKG_VERSION"))),
    );
    // The sheets that grow with the people are streamed row by row to a
    // temporary file (constant memory); the small ones are held.
    let summary = summary::sheet(r, audit.settings, &f)?;
    wb.push_worksheet(summary);
    let people = match r.people.is_empty() {
        true => Worksheet::new(),
        false => wb.new_worksheet_with_constant_memory()?,
    };
    wb.push_worksheet(people::sheet(people, r, audit.settings, &f)?);
    let hours = wb.new_worksheet_with_constant_memory()?;
    wb.push_worksheet(as_read::sheet(
        hours,
        Sheet::Hours,
        &submission.hours_cells,
        submission,
        r,
        &f,
    )?);
    let weeks = wb.new_worksheet_with_constant_memory()?;
    wb.push_worksheet(weeks::sheet(weeks, r, &f)?);
    let findings = wb.new_worksheet_with_constant_memory()?;
    wb.push_worksheet(findings::sheet(findings, r, &f)?);
    wb.push_worksheet(payments::sheet(r, &f)?);
    wb.push_worksheet(audit::sheet(r, audit, &f)?);
    wb.push_worksheet(as_read::sheet(
        Worksheet::new(),
        Sheet::Details,
        &submission.details_cells,
        submission,
        r,
        &f,
    )?);
    Ok(wb)
}
