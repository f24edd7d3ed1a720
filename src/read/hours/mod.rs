//! The `Hours` sheet: a header row found by its `Person ID` cell, columns
//! found by header text in any order, one row per person or bundle (SPEC 7).

mod header;
mod row;

use calamine::Data;
use chrono::NaiveDate;

use super::cell::{self, Cell};
use super::grid::{Grid, Value};
use super::normalise_label;
use crate::model::findings::{Code, Finding, Findings, Location, Sheet};
use crate::model::settings::Settings;
use crate::model::{Column, HoursLayout, Period, Submission};
use header::read_header;
use row::{read_person_row, read_totals_row};

/// The header row must be within the first this-many rows.
const HEADER_SEARCH_ROWS: u32 = 10;

/// Columns of the header row, 0-based.
#[derive(Default)]
struct Columns {
    name: Option<u32>,
    bundle: Option<u32>,
    charge: Option<u32>,
    care_start: Option<u32>,
    care_end: Option<u32>,
    total: Option<u32>,
    notes: Option<u32>,
    weeks: Vec<Option<u32>>,
}

impl Columns {
    /// A column the reader reads: Person ID (column A) or one the header
    /// names. Cells elsewhere take no part, so a stray cell far to the right
    /// does not make a row.
    fn is_read(&self, col: u32) -> bool {
        col == 0
            || [
                self.name,
                self.bundle,
                self.charge,
                self.care_start,
                self.care_end,
                self.total,
                self.notes,
            ]
            .contains(&Some(col))
            || self.weeks.contains(&Some(col))
    }
}

pub(super) fn read(
    grid: &Grid,
    period_start: Option<NaiveDate>,
    settings: &Settings,
    submission: &mut Submission,
    findings: &mut Findings,
) {
    let Some(header_row) = grid
        .rows()
        .map(|(r, _)| r)
        .take_while(|r| *r < HEADER_SEARCH_ROWS)
        .find(|&r| {
            cell::text_of(grid.get(r, 0))
                .is_some_and(|t| normalise_label(&t) == normalise_label(Column::PersonId.text()))
        })
    else {
        findings.push(no_header_row(settings.period_weeks));
        return;
    };

    let period = period_start.map(|start| Period {
        start,
        weeks: settings.period_weeks,
    });
    let columns = read_header(grid, header_row, period, settings.period_weeks, findings);
    submission.layout = HoursLayout {
        header_row,
        week_columns: columns.weeks.clone(),
        bundle_column: columns.bundle,
    };

    // The Totals (a row's Total, the Totals row's cells) saved as formulas
    // without their results: checks that could not be made.
    let mut unchecked: Vec<Location> = Vec::new();
    // Only the rows that hold something: a sheet's declared size costs
    // nothing.
    for (row, cells) in grid.rows().filter(|(r, _)| *r > header_row) {
        // Blank but for its Total: a template's unused row, whose Total
        // formula sums nothing. Its result is 0 where a spreadsheet saved
        // it, and missing where a program that does not calculate
        // (openpyxl, a rostering system) wrote the file; either way the row
        // holds no figure.
        let blank = cells.iter().all(|(c, v)| {
            !columns.is_read(*c)
                || (Some(*c) == columns.total
                    && (*v == Value::Uncalculated
                        || matches!(cell::read(v, cell::hours), Cell::Value(h) if h.is_zero())))
        });
        if blank {
            continue;
        }
        let id_at = Location::cell(Sheet::Hours, row, 0);
        match person_id(grid.get(row, 0)) {
            Err(problem) => {
                findings.push(problem.at(id_at));
                continue;
            }
            Ok(Some(id)) if is_totals_label(&id) => {
                if submission.totals_row.is_none() {
                    submission.totals_row =
                        Some(read_totals_row(grid, row, &columns, &mut unchecked, findings));
                }
            }
            Ok(Some(id)) => {
                let person = read_person_row(grid, row, id, &columns, &mut unchecked, findings);
                submission.rows.push(person);
            }
            Ok(None) => findings.push(
                Finding::new(
                    Code::MissingPersonId,
                    format!(
                        "Row {} of the Hours sheet has figures but no Person ID in {}. Enter \
                         the person's ID (as on the council's care plan), or delete the row if \
                         it is not a person.",
                        row + 1,
                        Location::cell(Sheet::Hours, row, 0)
                    ),
                )
                .at(Location::cell(Sheet::Hours, row, 0)),
            ),
        }
    }
    if let Some(&first) = unchecked.first() {
        findings.push(totals_not_calculated(first, unchecked.len()));
    }
}

/// The Person ID cells that mark the provider's Totals row, as matched
/// (ignoring case, surrounding and doubled spaces and a trailing colon):
/// `Total`, `TOTAL:`, `Totals`, `Grand total`.
const TOTALS_LABELS: &[&str] = &["total", "totals", "grand total", "grand totals"];

/// Whether a row's Person ID cell marks the Totals row.
fn is_totals_label(id: &str) -> bool {
    TOTALS_LABELS.contains(&normalise_label(id).as_str())
}

/// The `total-not-calculated` notice: `count` Totals cells, the first at
/// `first`, are formulas saved without their results, so the provider's
/// totals were not checked. Not an error: the weeks' hours are what is
/// reconciled, and the Total is only the provider's own check of them.
fn totals_not_calculated(first: Location, count: usize) -> Finding {
    let cells = if count == 1 {
        format!("The Total in {first} is a formula")
    } else {
        format!("{count} Totals, the first in {first}, are formulas")
    };
    Finding::new(
        Code::TotalNotCalculated,
        format!(
            "{cells} saved without a result: the file was written by a program that does not \
             calculate (a script or a rostering system, say), so the provider's totals could not \
             be checked against the weeks. The weeks' hours are reconciled as they are; to have \
             the totals checked too, open the workbook in Excel or LibreOffice and save it."
        ),
    )
    .at(first)
}

/// Digits a spreadsheet holds exactly in a number: an ID with more was
/// rounded when it was stored as a number.
const EXACT_DIGITS: f64 = 1e15;

/// A row's Person ID: text, or a whole number stored exactly. A number of
/// more than 15 digits was rounded by the spreadsheet, so the ID it shows
/// may not be the person's: a finding, never a guess.
fn person_id(value: &Value) -> Result<Option<String>, Finding> {
    match value {
        Value::Uncalculated => Err(cell::uncalculated("The Person ID")),
        Value::Data(Data::Float(f)) if f.abs() >= EXACT_DIGITS => Err(Finding::new(
            Code::BadNumber,
            format!(
                "The Person ID is stored as the number {}, longer than the 15 digits a \
                 spreadsheet holds exactly, so it may have been rounded. Store the ID as text: \
                 format the Person ID column as Text and type the ID again.",
                cell::describe(&Data::Float(*f)).trim_start_matches("the number ")
            ),
        )),
        Value::Data(d) => Ok(cell::text(d)),
    }
}

fn no_header_row(weeks: u32) -> Finding {
    Finding::new(
        Code::MissingColumn,
        format!(
            "The Hours sheet has no header row: none of its first {HEADER_SEARCH_ROWS} rows has \
             \"Person ID\" in column A. Use the council's template, whose header row reads \
             Person ID, Name, Weekly bundle, Week 1 ... Week {weeks}."
        ),
    )
}
