//! The period, its due dates and the rates in force (SPEC 1 and 4).

use chrono::{Datelike, Days, NaiveDate, Weekday};
use rust_decimal::Decimal;

use super::result::PeriodDates;
use crate::base::text::{self, weekday};
use crate::model::findings::{Code, Finding, Findings, Location};
use crate::model::settings::{DatedAmount, Settings};
use crate::model::{Details, Period};

/// `period end + submission_days`.
pub fn submission_due(period: &Period, submission_days: u32) -> NaiveDate {
    period
        .end()
        .checked_add_days(Days::new(u64::from(submission_days)))
        .unwrap_or(NaiveDate::MAX)
}

/// `period end + table_top_days`.
pub fn table_top_due(period: &Period, table_top_days: u32) -> NaiveDate {
    period
        .end()
        .checked_add_days(Days::new(u64::from(table_top_days)))
        .unwrap_or(NaiveDate::MAX)
}

/// The period and its dates, with `period-start-not-week-start` and
/// `late-submission` findings.
pub fn period_dates(details: &Details, settings: &Settings, findings: &mut Findings) -> Option<PeriodDates> {
    let start = details.period_start.as_ref()?;
    let period = Period {
        start: start.value,
        weeks: settings.period_weeks,
    };
    if !settings.is_week_start(start.value) {
        findings.push(
            Finding::new(
                Code::PeriodStartNotWeekStart,
                format!(
                    "The period start in {} is {}, {}. The {week_start} before is {}. Enter \
                     the date of the {week_start} the {} weeks begin.",
                    start.at,
                    text::date(start.value),
                    text::not_a_week_start(start.value, settings.week_start),
                    text::date(previous_week_start(start.value, settings.week_start)),
                    settings.period_weeks,
                    week_start = weekday(settings.week_start),
                ),
            )
            .at(start.at),
        );
    }
    let dates = PeriodDates {
        period,
        submission_due: submission_due(&period, settings.submission_days),
        table_top_due: table_top_due(&period, settings.table_top_days),
        submitted: details.submission_date.as_ref().map(|s| s.value),
    };
    let due = dates.submission_due;
    if let Some(s) = details.submission_date.as_ref().filter(|_| dates.late()) {
        findings.push(
            Finding::new(
                Code::LateSubmission,
                format!(
                    "Submitted on {}, after the due date {} ({} days after the period ended on \
                     {}). The submission is still reconciled; the lateness is recorded for the \
                     contract monitoring meeting.",
                    text::date(s.value),
                    text::date(due),
                    settings.submission_days,
                    text::date(period.end()),
                ),
            )
            .at(s.at),
        );
    }
    Some(dates)
}

fn previous_week_start(date: NaiveDate, week_start: Weekday) -> NaiveDate {
    let back = (7 + date.weekday().num_days_from_monday() - week_start.num_days_from_monday()) % 7;
    date.checked_sub_days(Days::new(u64::from(back))).unwrap_or(date)
}

/// The amount in force on `date`: the latest entry that applies from on or
/// before it. `rates` is sorted by `from`.
pub fn amount_in_force(rates: &[DatedAmount], date: NaiveDate) -> Option<Decimal> {
    let i = rates.partition_point(|r| r.from <= date);
    i.checked_sub(1).map(|i| rates[i].amount)
}

/// The rate table for this submission: the council's where it holds one for
/// the provider (a different rate stated in the submission is a
/// `rate-differs` warning), otherwise the submission's own rate and new rate
/// (`bad-rate-change`, `rate-missing`).
pub fn rate_table(
    details: &Details,
    period: Option<&Period>,
    council: Option<&[DatedAmount]>,
    findings: &mut Findings,
) -> Vec<DatedAmount> {
    let submitted = submitted_rates(details, period, findings);
    if let Some(council) = council.filter(|c| !c.is_empty()) {
        report_rates_differ(&submitted, council, findings);
        return council.to_vec();
    }
    report_rate_missing(details, findings);
    submitted
        .into_iter()
        .map(|(from, rate, _)| DatedAmount { from, amount: rate })
        .collect()
}

/// A rate the submission states: from when, the rate, and its cell.
type SubmittedRate = (NaiveDate, Decimal, Location);

/// Owns reading the submission's own rate and new rate, with the
/// `bad-rate-change` errors of a new rate or date given alone or a date not
/// on a week start in the period.
fn submitted_rates(
    details: &Details,
    period: Option<&Period>,
    findings: &mut Findings,
) -> Vec<SubmittedRate> {
    let mut submitted = Vec::new();
    if let (Some(rate), Some(p)) = (&details.rate, period) {
        submitted.push((p.start, rate.value, rate.at));
    }
    match (&details.new_rate, &details.new_rate_from) {
        (Some(new_rate), Some(from)) => match period.map(|p| (p, p.week_commencing_on(from.value))) {
            Some((_, Some(_))) => submitted.push((from.value, new_rate.value, new_rate.at)),
            Some((p, None)) => findings.push(
                Finding::new(
                    Code::BadRateChange,
                    format!(
                        "New rate from in {} is {}, which is not the first day of a week in this \
                         period ({} to {}, weeks commencing on {week_start}s). Enter the \
                         {week_start} the new rate applies from.",
                        from.at,
                        text::date(from.value),
                        text::date(p.start),
                        text::date(p.end()),
                        week_start = weekday(p.start.weekday()),
                    ),
                )
                .at(from.at),
            ),
            None => {}
        },
        (Some(new_rate), None) => findings.push(
            Finding::new(
                Code::BadRateChange,
                format!(
                    "A new blended hourly rate of {} is given in {} but no \"New rate from\" \
                     date. Add the {} it applies from, or remove the new rate.",
                    new_rate.value,
                    new_rate.at,
                    period.map_or("week start", |p| weekday(p.start.weekday())),
                ),
            )
            .at(new_rate.at),
        ),
        (None, Some(from)) => findings.push(
            Finding::new(
                Code::BadRateChange,
                format!(
                    "\"New rate from\" is given in {} but there is no \"New blended hourly \
                     rate\". Add the new rate, or remove the date.",
                    from.at
                ),
            )
            .at(from.at),
        ),
        (None, None) => {}
    }
    submitted
}

/// Owns the `rate-differs` warnings: each rate the submission states that
/// is not the council's rate in force then.
fn report_rates_differ(submitted: &[SubmittedRate], council: &[DatedAmount], findings: &mut Findings) {
    for (from, rate, at) in submitted {
        if let Some(theirs) = amount_in_force(council, *from)
            && theirs != *rate
        {
            findings.push(
                Finding::new(
                    Code::RateDiffers,
                    format!(
                        "The submission states a rate of {} from {} in {at}, but the \
                         council's rate for this provider then is {}. The council's rate is \
                         used.",
                        text::rate(*rate),
                        text::date(*from),
                        text::rate(theirs),
                    ),
                )
                .at(*at),
            );
        }
    }
}

/// Owns the `rate-missing` error when neither the submission nor the
/// council gives a rate.
fn report_rate_missing(details: &Details, findings: &mut Findings) {
    // A rate cell that was there but unreadable already has its finding.
    let rate_cell_reported = details
        .rate_label_at
        .is_some_and(|at| findings.iter().any(|f| f.location == Some(at)));
    if details.rate.is_none() && !rate_cell_reported {
        findings.push(
            Finding::new(
                Code::RateMissing,
                "No blended hourly rate: the Details sheet gives none and the council's settings \
                 hold none for this provider. Enter the rate in £ per hour beside \"Blended \
                 hourly rate\" in the Details sheet.",
            )
            .at_opt(details.rate_label_at),
        );
    }
}

/// The rate in force on each week's commencing day (SPEC 4), week 1 first;
/// `None` when some week has no rate, with a `rate-missing` error naming the
/// weeks (a week is never priced at £0).
pub fn week_rates(rates: &[DatedAmount], period: &Period, findings: &mut Findings) -> Option<Vec<Decimal>> {
    let by_week: Vec<Option<Decimal>> = period
        .week_numbers()
        .map(|k| amount_in_force(rates, period.week_commencing(k)))
        .collect();
    if by_week.iter().all(Option::is_some) {
        return Some(by_week.into_iter().flatten().collect());
    }
    // No rate at all is already reported, as is an unreadable rate cell.
    if !rates.is_empty() && !findings.iter().any(|f| f.code == Code::RateMissing) {
        let uncovered: Vec<u32> = period
            .week_numbers()
            .filter(|k| by_week[(*k - 1) as usize].is_none())
            .collect();
        findings.push(Finding::new(
            Code::RateMissing,
            format!(
                "No rate is in force for weeks {} (from {}): the first rate applies from {}. \
                 Add the rate in force then to the council's settings for this provider, or \
                 correct the rates' dates.",
                text::week_runs(&uncovered),
                text::date(period.start),
                rates.first().map_or_else(String::new, |r| text::date(r.from)),
            ),
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn spec_9_dates() {
        let p = Period {
            start: d(2026, 4, 6),
            weeks: 13,
        };
        assert_eq!(p.end(), d(2026, 7, 5));
        assert_eq!(submission_due(&p, 14), d(2026, 7, 19));
        assert_eq!(table_top_due(&p, 28), d(2026, 8, 2));
    }

    #[test]
    fn amount_in_force_on_a_date() {
        let rates = [
            DatedAmount {
                from: d(2025, 4, 7),
                amount: dec!(23.90),
            },
            DatedAmount {
                from: d(2026, 4, 6),
                amount: dec!(24.85),
            },
        ];
        assert_eq!(amount_in_force(&rates, d(2025, 4, 6)), None);
        assert_eq!(amount_in_force(&rates, d(2026, 4, 5)), Some(dec!(23.90)));
        assert_eq!(amount_in_force(&rates, d(2026, 4, 6)), Some(dec!(24.85)));
    }
}
