//! The `Hours` sheet: a header row found by its `Person ID` cell, columns
//! found by header text in any order, one row per person or bundle (SPEC 7).

use calamine::Data;
use chrono::{Datelike, NaiveDate};

use super::cell::{self, Cell, Judged, judge};
use super::grid::{Grid, Value};
use super::normalise_label;
use crate::base::limits::{self, HOURS_IN_A_WEEK, HoursProblem, MoneyProblem};
use crate::base::text;
use crate::base::units::Hours;
use crate::model::findings::{Code, Finding, Findings, Location, Sheet};
use crate::model::settings::Settings;
use crate::model::{
    Column, HoursLayout, Located, Period, PersonRow, Submission, TotalsRow, WeekCell, week_header,
};
use rust_decimal::Decimal;

/// The header row must be within the first this-many rows.
const HEADER_SEARCH_ROWS: u32 = 10;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Header {
    Named(Column),
    Week(u32),
    DatedWeek(NaiveDate),
    Decision,
}

impl Header {
    fn parse(raw: &Data) -> Option<Header> {
        if let Cell::Value(d) = cell::date(raw)
            && matches!(raw, Data::DateTime(_) | Data::DateTimeIso(_) | Data::String(_))
        {
            return Some(Header::DatedWeek(d));
        }
        let text = normalise_label(&cell::text(raw)?);
        if let Some(c) = Column::BEFORE_WEEKS
            .iter()
            .chain(&[Column::Total, Column::Notes])
            .find(|c| normalise_label(c.text()) == text)
        {
            return Some(Header::Named(*c));
        }
        if matches!(text.as_str(), "decision" | "authorised" | "authorized") {
            return Some(Header::Decision);
        }
        let n = text.strip_prefix("week")?.trim();
        Some(Header::Week(n.parse().ok()?))
    }

    fn title(self) -> String {
        match self {
            Header::Named(c) => c.text().into(),
            Header::Week(k) => week_header(k),
            Header::DatedWeek(d) => text::date(d),
            Header::Decision => "Decision".into(),
        }
    }
}

/// `Monday 06/04/2026`.
fn dated(d: NaiveDate) -> String {
    format!("{} {}", text::weekday(d.weekday()), text::date(d))
}

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

    // Only the rows that hold something: a sheet's declared size costs
    // nothing.
    for (row, cells) in grid.rows().filter(|(r, _)| *r > header_row) {
        // Blank but for a Total of 0: a template's unused row, whose Total
        // formula sums nothing.
        let blank = cells.iter().all(|(c, v)| {
            !columns.is_read(*c)
                || (Some(*c) == columns.total
                    && matches!(cell::read(v, cell::hours), Cell::Value(h) if h.is_zero()))
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
            Ok(Some(id)) if matches!(id.to_lowercase().as_str(), "total" | "totals") => {
                if submission.totals_row.is_none() {
                    submission.totals_row = Some(read_totals_row(grid, row, &columns, findings));
                }
            }
            Ok(Some(id)) => {
                let person = read_person_row(grid, row, id, &columns, findings);
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

fn read_header(
    grid: &Grid,
    header_row: u32,
    period: Option<Period>,
    weeks: u32,
    findings: &mut Findings,
) -> Columns {
    let mut cols = Columns {
        weeks: vec![None; weeks as usize],
        ..Columns::default()
    };
    let mut seen: Vec<(Header, u32)> = Vec::new();
    // Dated headers that match no week of the period, in column order.
    let mut unmatched_dates: Vec<(u32, NaiveDate)> = Vec::new();
    let header_at = |col: u32| Location::cell(Sheet::Hours, header_row, col);

    for (col, value) in grid.row(header_row).iter().filter(|(c, _)| *c >= 1) {
        let col = *col;
        let Value::Data(raw) = value else { continue };
        let Some(mut header) = Header::parse(raw) else {
            continue;
        };
        if let Header::DatedWeek(date) = header {
            match period.and_then(|p| p.week_commencing_on(date)) {
                Some(k) => header = Header::Week(k),
                None => {
                    unmatched_dates.push((col, date));
                    continue;
                }
            }
        }
        if let Some((_, first)) = seen.iter().find(|(h, _)| *h == header) {
            findings.push(
                Finding::new(
                    Code::DuplicateColumn,
                    format!(
                        "The header \"{}\" appears twice, in {} and {}. Keep one column of \
                         that name and delete or rename the other, so it is clear which \
                         figures count.",
                        header.title(),
                        header_at(*first),
                        header_at(col)
                    ),
                )
                .at(header_at(col)),
            );
            continue;
        }
        seen.push((header, col));
        match header {
            Header::Named(Column::PersonId) => {}
            Header::Named(Column::Name) => cols.name = Some(col),
            Header::Named(Column::Bundle) => cols.bundle = Some(col),
            Header::Named(Column::Charge) => cols.charge = Some(col),
            Header::Named(Column::CareStart) => cols.care_start = Some(col),
            Header::Named(Column::CareEnd) => cols.care_end = Some(col),
            Header::Named(Column::Total) => cols.total = Some(col),
            Header::Named(Column::Notes) => cols.notes = Some(col),
            Header::Week(k) if (1..=weeks).contains(&k) => cols.weeks[(k - 1) as usize] = Some(col),
            Header::Week(_) | Header::DatedWeek(_) => {}
            Header::Decision => findings.push(
                Finding::new(
                    Code::DecisionColumnIgnored,
                    format!(
                        "{} is a \"{}\" column. Only the council's monitoring officer can \
                         authorise a settlement, so this column is ignored; you may delete it.",
                        header_at(col),
                        raw
                    ),
                )
                .at(header_at(col)),
            ),
        }
    }

    // A dated header that matches no week: report it, and let it stand for
    // the first week still without a column, so one wrong date is one finding.
    let mut unmatched = unmatched_dates.into_iter();
    for k in 1..=weeks {
        if cols.weeks[(k - 1) as usize].is_some() {
            continue;
        }
        if let Some((col, date)) = unmatched.next() {
            cols.weeks[(k - 1) as usize] = Some(col);
            if let Some(p) = period {
                findings.push(
                    Finding::new(
                        Code::WeekDateMismatch,
                        format!(
                            "The week header {} reads {}, which is not the commencing date of \
                             any week of this period. Week {k} commences on {}; week 1 on the \
                             period start {}. Correct the date, or write \"Week {k}\" instead.",
                            header_at(col),
                            dated(date),
                            dated(p.week_commencing(k)),
                            text::date(p.start),
                        ),
                    )
                    .at(header_at(col)),
                );
            }
        } else {
            findings.push(
                Finding::new(
                    Code::MissingColumn,
                    format!(
                        "The Hours sheet has no \"Week {k}\" column in its header row (row {}). \
                         Every one of the {weeks} weeks needs a column headed \"Week 1\" to \
                         \"Week {weeks}\" (or with the week's commencing date); add \"Week {k}\".",
                        header_row + 1
                    ),
                )
                .at(Location::row(Sheet::Hours, header_row)),
            );
        }
    }
    for (col, date) in unmatched {
        findings.push(
            Finding::new(
                Code::WeekDateMismatch,
                format!(
                    "The header {} reads {}, which is not the commencing date of any week of \
                     this period. Correct it, or delete the column if it is not a week.",
                    header_at(col),
                    text::date(date)
                ),
            )
            .at(header_at(col)),
        );
    }
    if cols.bundle.is_none() {
        findings.push(
            Finding::new(
                Code::MissingColumn,
                format!(
                    "The Hours sheet has no \"Weekly bundle\" column in its header row (row {}). \
                     Add it, with each person's weekly bundle of hours as commissioned.",
                    header_row + 1
                ),
            )
            .at(Location::row(Sheet::Hours, header_row)),
        );
    }
    cols
}

fn read_person_row(
    grid: &Grid,
    row: u32,
    person_id: String,
    cols: &Columns,
    findings: &mut Findings,
) -> PersonRow {
    let name = cols.name.and_then(|c| {
        text_cell(
            grid,
            row,
            c,
            &format!("The name of {person_id}"),
            &person_id,
            findings,
        )
    });
    let who = text::who(&person_id, name.as_deref());
    let loc = |col: u32| Location::cell(Sheet::Hours, row, col);
    let tag = |f: Finding| f.person(&person_id);

    let id = Some(person_id.as_str());

    let bundle = cols.bundle.and_then(|c| {
        let l = loc(c);
        let what = format!("The weekly bundle of {who}");
        let check = |h: &Hours| {
            limits::bundle(*h).err().map(|why| match why {
                HoursProblem::Negative => Finding::new(Code::Negative, format!("{what} in {l} is {h} hours, which is negative. Enter the bundle as commissioned on the care plan, e.g. 10.")),
                HoursProblem::Zero => Finding::new(Code::ZeroBundle, format!("{what} in {l} is 0. Every person has a bundle of more than 0 hours: enter the bundle as commissioned on the care plan, or delete the row if the person had no package this period.")),
                HoursProblem::OverWeek => Finding::new(Code::HoursOverWeek, format!("{what} is {} hours, more than the {HOURS_IN_A_WEEK} hours in a week. Enter the weekly hours commissioned on the care plan, e.g. 10 or 7:30.", text::hours(*h))),
            })
        };
        let wrong = |found: &str| Finding::new(Code::BadNumber, format!("{what} in {l} is {found}, which is not a number of hours. Enter the weekly hours as a number (10, 7.5) or as h:mm (7:30)."));
        match judge(cell::read(grid.get(row, c), cell::hours), l, &what, id, check, wrong, findings) {
            Judged::Value(h) => Some(Located::new(h, l)),
            Judged::Blank => {
                findings.push(tag(Finding::new(
                    Code::BadNumber,
                    format!("{what} in {l} is blank. Enter the weekly hours commissioned on the care plan, e.g. 10 or 7:30."),
                )
                .at(l)));
                None
            }
            Judged::Reported => None,
        }
    });

    let charge = cols.charge.and_then(|c| {
        let l = loc(c);
        let what = format!("The assessed weekly charge of {who}");
        let check = |v: &Decimal| {
            limits::charge(*v).err().map(|why| match why {
                MoneyProblem::Negative => Finding::new(Code::Negative, format!("{what} in {l} is {v}, which is negative. Enter the charge in £ per week from the financial assessment, 0 if none, or leave it blank if the person is not charged.")),
                // `charge` refuses only negative and too large amounts.
                MoneyProblem::Zero | MoneyProblem::TooLarge => Finding::new(Code::BadNumber, format!("{what} is {v}, far more than any weekly charge. Enter it in £ per week, e.g. 35.50.")),
            })
        };
        let wrong = |found: &str| Finding::new(Code::BadNumber, format!("{what} in {l} is {found}, which is not an amount of money. Enter it in £ per week as a number, e.g. 35.50, or leave it blank."));
        judge(cell::read(grid.get(row, c), cell::number), l, &what, id, check, wrong, findings)
            .map(|v| Located::new(v, l))
            .value()
    });

    let mut date_at = |col: Option<u32>, field: &str| {
        let c = col?;
        let l = loc(c);
        let what = format!("The {field} of {who}");
        let wrong = |found: &str| {
            Finding::new(
                Code::BadDate,
                format!(
                    "{what} in {l} is {found}, which is not a date. Enter it as dd/mm/yyyy (e.g. 06/04/2026), or leave it blank if care did not start or end during the period."
                ),
            )
        };
        judge(
            cell::read(grid.get(row, c), cell::date),
            l,
            &what,
            id,
            |_| None,
            wrong,
            findings,
        )
        .map(|d| Located::new(d, l))
        .value()
    };
    let care_start = date_at(cols.care_start, "care start");
    let care_end = date_at(cols.care_end, "care end");

    let weeks = cols
        .weeks
        .iter()
        .enumerate()
        .map(|(i, col)| {
            let what = || format!("{who} week {}", i + 1);
            week_cell(grid, row, *col, &what, Some(&person_id), true, findings)
        })
        .collect();
    let total = cols.total.and_then(|c| {
        week_cell(
            grid,
            row,
            Some(c),
            &|| format!("The Total of {who}"),
            Some(&person_id),
            false,
            findings,
        )
        .value
        .hours()
        .map(|h| Located::new(h, loc(c)))
    });
    let notes = cols
        .notes
        .and_then(|c| text_cell(grid, row, c, &format!("The notes of {who}"), &person_id, findings));

    PersonRow {
        row,
        person_id,
        name,
        bundle,
        charge,
        care_start,
        care_end,
        weeks,
        total,
        notes,
    }
}

/// A text cell of a person's row; a formula without its result is a
/// finding.
fn text_cell(
    grid: &Grid,
    row: u32,
    col: u32,
    what: &str,
    person_id: &str,
    findings: &mut Findings,
) -> Option<String> {
    match grid.get(row, col) {
        Value::Uncalculated => {
            findings.push(
                cell::uncalculated(what)
                    .at(Location::cell(Sheet::Hours, row, col))
                    .person(person_id),
            );
            None
        }
        Value::Data(d) => cell::text(d),
    }
}

fn read_totals_row(grid: &Grid, row: u32, cols: &Columns, findings: &mut Findings) -> TotalsRow {
    let weeks = cols
        .weeks
        .iter()
        .enumerate()
        .map(|(i, col)| {
            week_cell(
                grid,
                row,
                *col,
                &|| format!("The Totals row, week {}", i + 1),
                None,
                false,
                findings,
            )
        })
        .collect();
    let total = cols.total.and_then(|c| {
        week_cell(
            grid,
            row,
            Some(c),
            &|| "The Totals row's Total".to_string(),
            None,
            false,
            findings,
        )
        .value
        .hours()
        .map(|h| Located::new(h, Location::cell(Sheet::Hours, row, c)))
    });
    TotalsRow { row, weeks, total }
}

/// Read one hours cell. `one_week`: the cell is one week's hours for one
/// person, so more than 168 is impossible.
fn week_cell(
    grid: &Grid,
    row: u32,
    col: Option<u32>,
    what: &dyn Fn() -> String,
    person_id: Option<&str>,
    one_week: bool,
    findings: &mut Findings,
) -> Located<WeekCell> {
    let Some(col) = col else {
        return Located::new(WeekCell::Invalid, Location::row(Sheet::Hours, row));
    };
    let l = Location::cell(Sheet::Hours, row, col);
    // The common case, a blank or a plausible week's hours, needs no words:
    // they are written only for a finding (a return has millions of cells).
    match cell::read(grid.get(row, col), cell::hours) {
        Cell::Blank => return Located::new(WeekCell::Blank, l),
        Cell::Value(h) if limits::week_hours(h).is_ok() => return Located::new(WeekCell::Hours(h), l),
        _ => {}
    }
    let what = what();
    let what = what.as_str();
    let check = |h: &Hours| match limits::week_hours(*h) {
        Ok(_) => None,
        // Totals may be more than a week's hours.
        Err(HoursProblem::OverWeek) if !one_week => None,
        // `week_hours` refuses only negative hours and more than a week's.
        Err(HoursProblem::OverWeek | HoursProblem::Zero) => Some(Finding::new(
            Code::HoursOverWeek,
            format!(
                "{what} is {} hours, more than the {HOURS_IN_A_WEEK} hours in a week. If a date or a time of day was typed, enter the hours delivered instead, as a number (7.5) or h:mm (7:30).",
                text::hours(*h)
            ),
        )),
        Err(HoursProblem::Negative) => Some(Finding::new(
            Code::Negative,
            format!(
                "{what} is {h} hours, which is negative. Enter the hours actually delivered that week, 0 if none."
            ),
        )),
    };
    let wrong = |found: &str| {
        Finding::new(
            Code::BadHours,
            format!(
                "{what} is {found}, which is not a number of hours. Enter the hours delivered as a number (7.5) or as h:mm (7:30), 0 if no care was provided."
            ),
        )
    };
    let value = match judge(
        cell::read(grid.get(row, col), cell::hours),
        l,
        what,
        person_id,
        check,
        wrong,
        findings,
    ) {
        Judged::Blank => WeekCell::Blank,
        Judged::Value(h) => WeekCell::Hours(h),
        Judged::Reported => WeekCell::Invalid,
    };
    Located::new(value, l)
}
