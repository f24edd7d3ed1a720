//! The `Hours` sheet's header row: which column holds what, and a finding
//! for each header that is doubled, misdated or missing.

use calamine::Data;
use chrono::{Datelike, NaiveDate};

use super::Columns;
use crate::base::text;
use crate::model::findings::{Code, Finding, Findings, Location, Sheet};
use crate::model::{Column, Period, week_header};
use crate::read::cell::{self, Cell};
use crate::read::grid::{Grid, Value};
use crate::read::normalise_label;

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

/// A cell of the header row.
fn header_cell(header_row: u32, col: u32) -> Location {
    Location::cell(Sheet::Hours, header_row, col)
}

/// Read the header row: the columns it names, with findings for its
/// problems. Every one of the period's `weeks` has a column or a finding.
pub(super) fn read_header(
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
    let unmatched_dates = place_headers(grid, header_row, period, weeks, &mut cols, findings);
    place_unmatched_dates(unmatched_dates, header_row, period, weeks, &mut cols, findings);
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

/// Place each header the row holds (after column A) in `cols`, a dated one
/// as the week it commences. Returns the dated headers that match no week
/// of the period, in column order.
fn place_headers(
    grid: &Grid,
    header_row: u32,
    period: Option<Period>,
    weeks: u32,
    cols: &mut Columns,
    findings: &mut Findings,
) -> Vec<(u32, NaiveDate)> {
    let mut seen: Vec<(Header, u32)> = Vec::new();
    // Dated headers that match no week of the period, in column order.
    let mut unmatched_dates: Vec<(u32, NaiveDate)> = Vec::new();
    let header_at = |col: u32| header_cell(header_row, col);

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
    unmatched_dates
}

/// Give each week still without a column the next dated header that
/// matched no week, or a finding that its column is missing; a dated header
/// left over is a finding of its own.
fn place_unmatched_dates(
    unmatched_dates: Vec<(u32, NaiveDate)>,
    header_row: u32,
    period: Option<Period>,
    weeks: u32,
    cols: &mut Columns,
    findings: &mut Findings,
) {
    let header_at = |col: u32| header_cell(header_row, col);
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
}
