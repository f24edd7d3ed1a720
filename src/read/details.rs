//! The `Details` sheet: label in column A, value in column B (SPEC 7).

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::cell::{self, Judged, judge};
use super::grid::{Grid, Value};
use super::normalise_label;
use crate::base::limits::{self, MoneyProblem};
use crate::base::text::weekday;
use crate::model::findings::{Code, Finding, Findings, Location, Sheet};
use crate::model::settings::Settings;
use crate::model::{DetailLabel, Details, Located};

/// Read the Details sheet. Rows with other labels are ignored; a label that
/// appears twice is read from its first row.
pub(super) fn read(grid: &Grid, settings: &Settings, findings: &mut Findings) -> Details {
    let mut details = Details::default();
    // The first row of each known label.
    let known: Vec<(String, DetailLabel)> = DetailLabel::ALL
        .iter()
        .map(|l| (normalise_label(l.text()), *l))
        .collect();
    let mut rows: Vec<(DetailLabel, u32)> = Vec::new();
    for (row, _) in grid.rows() {
        let Some(text) = cell::text_of(grid.get(row, 0)) else {
            continue;
        };
        let text = normalise_label(&text);
        if let Some((_, label)) = known.iter().find(|(k, _)| *k == text)
            && !rows.iter().any(|(l, _)| l == label)
        {
            rows.push((*label, row));
        }
    }
    let row_of = |label: DetailLabel| rows.iter().find(|(l, _)| *l == label).map(|(_, r)| *r);
    let value_at = |row: u32| Location::cell(Sheet::Details, row, 1);

    // Required text.
    for (label, field) in [
        (DetailLabel::ProviderName, &mut details.provider_name),
        (DetailLabel::ProviderReference, &mut details.provider_reference),
    ] {
        match row_of(label) {
            Some(row) => match grid.get(row, 1) {
                Value::Uncalculated => findings.push(cell::uncalculated(label.text()).at(value_at(row))),
                Value::Data(d) => match cell::text(d) {
                    Some(t) => *field = Some(Located::new(t, value_at(row))),
                    None => findings.push(missing(label, Some(value_at(row)), settings)),
                },
            },
            None => findings.push(missing(label, None, settings)),
        }
    }
    if let Some(row) = row_of(DetailLabel::SubmittedBy) {
        details.submitted_by = cell::text_of(grid.get(row, 1)).map(|t| Located::new(t, value_at(row)));
    }

    // Dates.
    match row_of(DetailLabel::PeriodStart) {
        Some(row) => match read_date(grid, row, DetailLabel::PeriodStart, findings) {
            Judged::Value(d) => details.period_start = Some(d),
            Judged::Blank => findings.push(missing(DetailLabel::PeriodStart, Some(value_at(row)), settings)),
            Judged::Reported => {}
        },
        None => findings.push(missing(DetailLabel::PeriodStart, None, settings)),
    }
    let date = |label: DetailLabel, findings: &mut Findings| match row_of(label) {
        Some(row) => read_date(grid, row, label, findings).value(),
        None => None,
    };
    details.new_rate_from = date(DetailLabel::NewRateFrom, findings);
    details.submission_date = date(DetailLabel::SubmissionDate, findings);

    // Rates.
    if let Some(row) = row_of(DetailLabel::Rate) {
        details.rate_label_at = Some(value_at(row));
        details.rate = read_rate(grid, row, DetailLabel::Rate, findings);
    }
    if let Some(row) = row_of(DetailLabel::NewRate) {
        details.new_rate = read_rate(grid, row, DetailLabel::NewRate, findings);
    }
    details
}

fn missing(label: DetailLabel, at: Option<Location>, settings: &Settings) -> Finding {
    let example = match label {
        DetailLabel::PeriodStart => format!(
            " (the {} the {} weeks begin, e.g. 06/04/2026)",
            weekday(settings.week_start),
            settings.period_weeks
        ),
        DetailLabel::ProviderReference => {
            " (the supplier reference the council pays, e.g. SUP00123)".to_string()
        }
        _ => String::new(),
    };
    let label = label.text();
    let what = match at {
        Some(loc) => format!("The Details sheet has the label \"{label}\" but {loc} is blank."),
        None => format!("The Details sheet has no \"{label}\" row."),
    };
    Finding::new(
        Code::MissingDetail,
        format!(
            "{what} Enter the {}{example} in column B beside the label in column A.",
            label.to_lowercase()
        ),
    )
    .at_opt(at)
}

fn read_date(
    grid: &Grid,
    row: u32,
    label: DetailLabel,
    findings: &mut Findings,
) -> Judged<Located<NaiveDate>> {
    let loc = Location::cell(Sheet::Details, row, 1);
    let label = label.text();
    let wrong = |found: &str| {
        Finding::new(
            Code::BadDate,
            format!(
                "{label} in {loc} is {found}, which is not a date. Enter a date as \
                 dd/mm/yyyy (e.g. 06/04/2026) or yyyy-mm-dd; month-first dates are \
                 never guessed."
            ),
        )
    };
    judge(
        cell::read(grid.get(row, 1), cell::date_of(grid)),
        loc,
        label,
        None,
        |_| None,
        wrong,
        findings,
    )
    .map(|d| Located::new(d, loc))
}

fn read_rate(grid: &Grid, row: u32, label: DetailLabel, findings: &mut Findings) -> Option<Located<Decimal>> {
    let loc = Location::cell(Sheet::Details, row, 1);
    let label = label.text();
    let check = |v: &Decimal| {
        limits::rate(*v).err().map(|why| match why {
            MoneyProblem::Negative => Finding::new(
                Code::Negative,
                format!(
                    "{label} in {loc} is {v}, a negative rate. Enter the rate in £ per hour, e.g. 24.85."
                ),
            ),
            MoneyProblem::Zero => Finding::new(
                Code::BadNumber,
                format!("{label} in {loc} is 0. Enter the rate in £ per hour, more than 0, e.g. 24.85."),
            ),
            MoneyProblem::TooLarge => Finding::new(
                Code::BadNumber,
                format!(
                    "{label} is {v}, far more than any hourly rate. Enter the rate in £ per hour, e.g. 24.85."
                ),
            ),
        })
    };
    let wrong = |found: &str| {
        Finding::new(
            Code::BadNumber,
            format!(
                "{label} in {loc} is {found}, which is not a number. Enter the rate in £ per hour as a number, e.g. 24.85."
            ),
        )
    };
    judge(
        cell::read(grid.get(row, 1), cell::number),
        loc,
        label,
        None,
        check,
        wrong,
        findings,
    )
    .map(|v| Located::new(v, loc))
    .value()
}
