//! The `Details` sheet: label in column A, value in column B (SPEC 7).

use calamine::{Data, Range};
use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::cell::{self, Cell, Judged, judge};
use super::{at, normalise_label};
use crate::findings::{Code, Finding, Location, Sheet};
use crate::limits::{self, Problem};
use crate::model::{Details, Located};
use crate::settings::Settings;
use crate::words::weekday;

const PROVIDER_NAME: &str = "provider name";
const PROVIDER_REFERENCE: &str = "provider reference";
const PERIOD_START: &str = "period start";
const RATE: &str = "blended hourly rate";
const NEW_RATE: &str = "new blended hourly rate";
const NEW_RATE_FROM: &str = "new rate from";
const SUBMITTED_BY: &str = "submitted by";
const SUBMISSION_DATE: &str = "submission date";

/// Read the Details sheet. Rows with other labels are ignored; a label that
/// appears twice is read from its first row.
pub(super) fn read(range: &Range<Data>, settings: &Settings, findings: &mut Vec<Finding>) -> Details {
    let mut details = Details::default();
    let (Some((r0, _)), Some((r1, _))) = (range.start(), range.end()) else {
        for label in ["Provider name", "Provider reference", "Period start"] {
            findings.push(missing(label, None, settings));
        }
        return details;
    };
    // The first row of each known label: (label, 0-based row).
    let mut rows: Vec<(&'static str, u32)> = Vec::new();
    for row in r0..=r1 {
        let Some(label) = cell::text(at(range, row, 0)) else {
            continue;
        };
        let label = normalise_label(&label);
        let known = [
            PROVIDER_NAME,
            PROVIDER_REFERENCE,
            PERIOD_START,
            RATE,
            NEW_RATE,
            NEW_RATE_FROM,
            SUBMITTED_BY,
            SUBMISSION_DATE,
        ];
        if let Some(k) = known.iter().find(|k| **k == label)
            && !rows.iter().any(|(l, _)| l == k)
        {
            rows.push((k, row));
        }
    }
    let row_of = |label: &str| rows.iter().find(|(l, _)| *l == label).map(|(_, r)| *r);
    let value_at = |row: u32| Location::cell(Sheet::Details, row, 1);

    // Required text.
    for (label, shown, field) in [
        (PROVIDER_NAME, "Provider name", &mut details.provider_name),
        (
            PROVIDER_REFERENCE,
            "Provider reference",
            &mut details.provider_reference,
        ),
    ] {
        match row_of(label) {
            Some(row) => match cell::text(at(range, row, 1)) {
                Some(t) => *field = Some(Located::new(t, value_at(row))),
                None => findings.push(missing(shown, Some(value_at(row)), settings)),
            },
            None => findings.push(missing(shown, None, settings)),
        }
    }
    if let Some(row) = row_of(SUBMITTED_BY) {
        details.submitted_by = cell::text(at(range, row, 1)).map(|t| Located::new(t, value_at(row)));
    }

    // Dates.
    match row_of(PERIOD_START) {
        Some(row) => {
            details.period_start = read_date(range, row, "Period start", findings);
            if details.period_start.is_none() && matches!(cell::date(at(range, row, 1)), Cell::Blank) {
                findings.push(missing("Period start", Some(value_at(row)), settings));
            }
        }
        None => findings.push(missing("Period start", None, settings)),
    }
    if let Some(row) = row_of(NEW_RATE_FROM) {
        details.new_rate_from = read_date(range, row, "New rate from", findings);
    }
    if let Some(row) = row_of(SUBMISSION_DATE) {
        details.submission_date = read_date(range, row, "Submission date", findings);
    }

    // Rates.
    if let Some(row) = row_of(RATE) {
        details.rate_label_at = Some(value_at(row));
        details.rate = read_rate(range, row, "Blended hourly rate", findings);
    }
    if let Some(row) = row_of(NEW_RATE) {
        details.new_rate = read_rate(range, row, "New blended hourly rate", findings);
    }
    details
}

fn missing(label: &str, at: Option<Location>, settings: &Settings) -> Finding {
    let what = match at {
        Some(loc) => format!("The Details sheet has the label \"{label}\" but {loc} is blank."),
        None => format!("The Details sheet has no \"{label}\" row."),
    };
    let example = match label {
        "Period start" => format!(
            " (the {} the {} weeks begin, e.g. 06/04/2026)",
            weekday(settings.week_start),
            settings.period_weeks
        ),
        "Provider reference" => " (the supplier reference the council pays, e.g. SUP00123)".to_string(),
        _ => String::new(),
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
    range: &Range<Data>,
    row: u32,
    label: &str,
    findings: &mut Vec<Finding>,
) -> Option<Located<NaiveDate>> {
    let loc = Location::cell(Sheet::Details, row, 1);
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
    match judge(
        cell::date(at(range, row, 1)),
        loc,
        label,
        None,
        |_| None,
        wrong,
        findings,
    ) {
        Judged::Value(d) => Some(Located::new(d, loc)),
        Judged::Blank | Judged::Reported => None,
    }
}

fn read_rate(
    range: &Range<Data>,
    row: u32,
    label: &str,
    findings: &mut Vec<Finding>,
) -> Option<Located<Decimal>> {
    let loc = Location::cell(Sheet::Details, row, 1);
    let check = |v: &Decimal| {
        limits::rate(*v).err().map(|why| match why {
            Problem::Negative => Finding::new(
                Code::Negative,
                format!(
                    "{label} in {loc} is {v}, a negative rate. Enter the rate in £ per hour, e.g. 24.85."
                ),
            ),
            Problem::Zero => Finding::new(
                Code::BadNumber,
                format!("{label} in {loc} is 0. Enter the rate in £ per hour, more than 0, e.g. 24.85."),
            ),
            Problem::TooLarge => Finding::new(
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
    match judge(
        cell::number(at(range, row, 1)),
        loc,
        label,
        None,
        check,
        wrong,
        findings,
    ) {
        Judged::Value(v) => Some(Located::new(v, loc)),
        Judged::Blank | Judged::Reported => None,
    }
}
