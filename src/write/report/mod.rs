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

use std::ops::Range;

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

/// The most rows a sheet holds, header included: Excel's limit, as
/// rust_xlsxwriter enforces it. Its `ROW_MAX` is private to the crate
/// (0.102), so it is found once by asking rust_xlsxwriter where it stops
/// writing, rather than typed here.
pub fn excel_rows() -> u32 {
    static ROWS: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    *ROWS.get_or_init(|| {
        let refused = |row: u32| Worksheet::new().write_number(row, 0, 0.0).is_err();
        // The first row refused: row 0 is written, u32::MAX is not.
        let (mut ok, mut no) = (0u32, u32::MAX);
        while no - ok > 1 {
            let mid = ok + (no - ok) / 2;
            if refused(mid) { no = mid } else { ok = mid }
        }
        no
    })
}

/// One sheet's share of a table: its name and the rows it holds (indices
/// into the table, header not counted).
pub struct Part {
    pub name: String,
    pub rows: Range<usize>,
}

/// A table laid out over as many sheets as it needs, each within the row
/// limit with its own header row: `Weeks`, `Weeks 2`, `Weeks 3`, ...
pub struct Split {
    pub sheet: &'static str,
    pub parts: Vec<Part>,
}

impl Split {
    /// `groups` are the table's rows in runs kept on one sheet where they
    /// fit (a person's weeks); `room` is how many a sheet holds (at least 1).
    fn new(sheet: &'static str, groups: impl IntoIterator<Item = usize>, room: u32) -> Split {
        let room = room.max(1) as usize;
        let mut starts = vec![0];
        let mut at = 0;
        for size in groups {
            let start = *starts.last().unwrap_or(&0);
            if at > start && at + size - start > room {
                starts.push(at);
            }
            // A run longer than a sheet is itself split.
            while at + size - starts.last().unwrap_or(&0) > room {
                starts.push(starts.last().unwrap_or(&0) + room);
            }
            at += size;
        }
        let parts = starts
            .iter()
            .enumerate()
            .map(|(i, &start)| Part {
                name: match i {
                    0 => sheet.to_string(),
                    _ => format!("{sheet} {}", i + 1),
                },
                rows: start..starts.get(i + 1).copied().unwrap_or(at),
            })
            .collect();
        Split { sheet, parts }
    }

    /// What the Summary and the Audit say of a table split over sheets;
    /// `None` when it fits on one. `what` names the rows (`person-weeks`),
    /// `first_last` says what a sheet's rows run from and to.
    pub fn in_words(
        &self,
        what: &str,
        row_max: u32,
        first_last: impl Fn(&Range<usize>) -> String,
    ) -> Option<String> {
        if self.parts.len() < 2 {
            return None;
        }
        let total = self.parts.last().map_or(0, |p| p.rows.end);
        let sheets = self
            .parts
            .iter()
            .map(|p| format!("{} ({})", p.name, first_last(&p.rows)))
            .collect::<Vec<_>>()
            .join(", ");
        Some(format!(
            "The {} sheet is split over {} sheets: {sheets}. Its {} {what} and a header row do not fit on \
             one sheet, which holds at most {} rows.",
            self.sheet,
            self.parts.len(),
            count(total),
            count(row_max as usize),
        ))
    }
}

/// `1,048,576`.
fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The sheets a report lays out that grow with the return (People, Weeks,
/// Findings), each split over as many sheets as it needs, and what the
/// Summary and the Audit say of each split. The Hours and Details sheets
/// are never split: each cell keeps the address a finding names, and the
/// reader refuses a cell past Excel's last row.
pub struct Layout {
    pub people: Split,
    pub weeks: Split,
    pub findings: Split,
    /// A sentence for each sheet that is split.
    pub notes: Vec<String>,
}

impl Layout {
    /// The layout of `r`'s tables on sheets of at most `row_max` rows.
    pub fn of(r: &Reconciliation, row_max: u32) -> Layout {
        // Below the header row; People and Findings keep a row spare for
        // the blank row that may end a streamed sheet (`end_streamed_rows`).
        let people = Split::new("People", r.people.iter().map(|_| 1), row_max.saturating_sub(2));
        let weeks = Split::new(
            "Weeks",
            r.people.iter().map(|p| p.weeks.len()),
            row_max.saturating_sub(1),
        );
        let findings = Split::new(
            "Findings",
            r.findings.iter().map(|_| 1),
            row_max.saturating_sub(2),
        );
        let ids = |rows: &Range<usize>| match (
            r.people.get(rows.start),
            rows.end.checked_sub(1).and_then(|i| r.people.get(i)),
        ) {
            (Some(a), Some(b)) => format!("{} to {}", a.person_id, b.person_id),
            _ => "no one".to_string(),
        };
        // A person-week's person: the flat row `i` of the Weeks table.
        let week_owner = |i: usize| {
            let mut at = 0;
            r.people.iter().find(|p| {
                at += p.weeks.len();
                i < at
            })
        };
        let week_ids = |rows: &Range<usize>| match (
            week_owner(rows.start),
            rows.end.checked_sub(1).and_then(week_owner),
        ) {
            (Some(a), Some(b)) if a.person_id == b.person_id => a.person_id.clone(),
            (Some(a), Some(b)) => format!("{} to {}", a.person_id, b.person_id),
            _ => "no one".to_string(),
        };
        let numbers = |rows: &Range<usize>| format!("{} to {}", count(rows.start + 1), count(rows.end));
        let notes = [
            people.in_words("people", row_max, ids),
            weeks.in_words("person-weeks", row_max, week_ids),
            findings.in_words("findings", row_max, numbers),
        ]
        .into_iter()
        .flatten()
        .collect();
        Layout {
            people,
            weeks,
            findings,
            notes,
        }
    }
}

/// Build the report workbook. The sheets that grow with the people are
/// streamed to temporary files in `tempdir` (the report's own folder, so
/// that they need no more than the report does; the system's temporary
/// folder when `None`). `row_max` is the most rows a sheet holds, header
/// included: [`excel_rows`] for a real report, a few in a test; a table
/// longer than that is split over sheets (see [`Layout`]).
///
/// # Errors
/// rust_xlsxwriter's own limits, or a temporary file that cannot be made.
pub fn build(
    submission: &Submission,
    r: &Reconciliation,
    audit: &Audit<'_>,
    tempdir: Option<&std::path::Path>,
    row_max: u32,
) -> Result<Workbook, XlsxError> {
    let layout = Layout::of(r, row_max);
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
    let summary = summary::sheet(r, audit.settings, &layout.notes, &f)?;
    wb.push_worksheet(summary);
    for part in &layout.people.parts {
        let people = match r.people.is_empty() {
            true => Worksheet::new(),
            false => wb.new_worksheet_with_constant_memory()?,
        };
        wb.push_worksheet(people::sheet(people, part, r, audit.settings, &f)?);
    }
    let hours = wb.new_worksheet_with_constant_memory()?;
    wb.push_worksheet(as_read::sheet(
        hours,
        Sheet::Hours,
        &submission.hours_cells,
        submission,
        r,
        &f,
    )?);
    for part in &layout.weeks.parts {
        let weeks = wb.new_worksheet_with_constant_memory()?;
        wb.push_worksheet(weeks::sheet(weeks, part, r, &f)?);
    }
    for part in &layout.findings.parts {
        let findings = wb.new_worksheet_with_constant_memory()?;
        wb.push_worksheet(findings::sheet(findings, part, r, &f)?);
    }
    wb.push_worksheet(payments::sheet(r, &f)?);
    wb.push_worksheet(audit::sheet(r, audit, &layout.notes, &f)?);
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
