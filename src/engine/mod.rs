//! The reconciliation engine: pure functions from a [`Submission`] (and the
//! reader's findings) to a [`Reconciliation`]. No I/O, no calamine, no clap:
//! every SPEC rule lives here once, named after its SPEC term.
//!
//! - [`period`]: the period, due dates, rates in force (SPEC 1, 4);
//! - [`people`]: joining rows, care weeks, checks of the hours (SPEC 2);
//! - [`rules`]: the per-person figures and money (SPEC 2-4);
//! - this module: the order of work, the provider's checks of its own
//!   totals, and the provider's totals.

pub mod decisions;
pub mod export;
pub mod ledger;
pub mod letters;
pub mod monitor;
pub mod people;
pub mod period;
pub mod plans;
pub mod result;
pub mod rules;
pub mod run;
pub mod spot;
pub mod visits;

use rayon::prelude::*;
use rust_decimal::Decimal;

use crate::base::units::Hours;
use crate::model::findings::{Code, Finding, Findings, Location, Sheet};
pub use crate::model::settings::{DatedAmount, Settings};
use crate::model::{Located, Submission, WeekCell};
pub use result::*;
pub use run::reconcile_all;

/// How far a provider's own total may be from the sum before it is a
/// `total-mismatch`: half a hundredth of an hour (18 seconds), so a total
/// shown to two decimals (95.33 for 95 h 20 min) agrees.
fn total_slack() -> Hours {
    Hours::from_seconds(18)
}

/// What every use of a submission checks first: the provider, the period
/// and its rates, the people and their weeks (checked against the plans),
/// the provider's own totals. `due` says which weeks' figures are due.
pub(crate) struct Checked<'a> {
    pub provider: Option<Provider>,
    pub dates: Option<PeriodDates>,
    /// The period, when it starts on a week start.
    pub period: Option<crate::model::Period>,
    pub rates: Vec<DatedAmount>,
    pub rates_from: RatesFrom,
    /// One rate per week, when every week has one.
    pub week_rates: Option<Vec<Decimal>>,
    pub people: Vec<people::Person<'a>>,
    pub slots: Vec<Vec<people::Slot<'a>>>,
    pub findings: Findings,
}

/// Owns the order of the checks every use of a submission makes first.
pub(crate) fn check<'a>(
    submission: &'a Submission,
    mut findings: Findings,
    settings: &Settings,
    due: people::Due,
) -> Checked<'a> {
    let Some(details) = &submission.details else {
        // The workbook could not be read or has no Details sheet: the
        // reader's findings say which, and nothing more can be said.
        return Checked::unread(findings);
    };
    // The provider as the council's settings name it where they know it
    // (the return's spelling of its own name or reference never reaches an
    // output the council acts on), else as the return gives it.
    let known = details
        .provider_reference
        .as_ref()
        .and_then(|r| settings.provider(&r.value));
    let provider = Some(Provider {
        name: known
            .and_then(|k| k.name.clone())
            .or_else(|| details.provider_name.as_ref().map(|n| n.value.clone())),
        reference: known
            .map(|k| k.reference.clone())
            .or_else(|| details.provider_reference.as_ref().map(|r| r.value.clone())),
    });
    let dates = period::period_dates(details, settings, &mut findings);
    // Date checks against a period that does not start on a week start would
    // only repeat its `period-start-not-week-start` error in other words.
    let period = dates
        .as_ref()
        .map(|d| d.period)
        .filter(|p| settings.is_week_start(p.start));
    let reference = details.provider_reference.as_ref();
    let council = reference.and_then(|r| settings.provider(&r.value));
    if council.is_none() {
        report_unknown_provider(reference, settings, &mut findings);
    }
    let council_rates = council.map(|c| c.rates.as_slice()).filter(|r| !r.is_empty());
    let rates = period::rate_table(details, period.as_ref(), council_rates, &mut findings);
    let rates_from = if council_rates.is_some() {
        RatesFrom::Council
    } else {
        RatesFrom::Submission
    };
    let week_rates = period
        .as_ref()
        .and_then(|p| period::week_rates(&rates, p, &mut findings));
    let plans = settings
        .plans
        .as_ref()
        .map(|plans| plans::by_person(plans, reference.map_or("", |r| r.value.as_str())));

    let mut people = people::join_rows(&submission.rows);
    if let Some(plans) = &plans {
        people::spell_as_planned(&mut people, plans);
    }
    if let (Some(plans), Some(p)) = (&plans, &period)
        && !submission.rows.is_empty()
    {
        // The row below the people (and below the provider's own totals
        // row), where a missing person's row would go.
        let last = submission.rows.iter().map(|r| r.row);
        let next_row = last
            .chain(submission.totals_row.as_ref().map(|t| t.row))
            .max()
            .unwrap_or_default()
            + 1;
        people::report_missing(&people, plans, p, next_row, &mut findings);
    }
    let slots = people::check_people(
        &people,
        period.as_ref(),
        settings.period_weeks,
        due,
        plans.as_ref(),
        &mut findings,
    );
    check_totals(submission, &mut findings);
    report_no_people(submission, &mut findings);
    Checked {
        provider,
        dates,
        period,
        rates,
        rates_from,
        week_rates,
        people,
        slots,
        findings,
    }
}

impl Checked<'_> {
    /// A submission with no Details to check: only the reader's findings.
    fn unread(findings: Findings) -> Self {
        Checked {
            provider: None,
            dates: None,
            period: None,
            rates: Vec::new(),
            rates_from: RatesFrom::Submission,
            week_rates: None,
            people: Vec::new(),
            slots: Vec::new(),
            findings,
        }
    }
}

/// Owns the `unknown-provider` error: a reference the council's settings do
/// not hold, where the settings name providers at all.
fn report_unknown_provider(
    reference: Option<&Located<String>>,
    settings: &Settings,
    findings: &mut Findings,
) {
    if let Some(r) = reference.filter(|_| !settings.providers.is_empty()) {
        findings.push(
            Finding::new(
                Code::UnknownProvider,
                format!(
                    "The provider reference \"{}\" in {} is not one of the providers in the \
                     council's settings, so the council's rates and plans cannot be applied and \
                     the return is not reconciled. Correct the reference, or the council adds \
                     the provider to its settings.",
                    r.value, r.at
                ),
            )
            .at(r.at),
        );
    }
}

/// Owns the `no-people` error.
fn report_no_people(submission: &Submission, findings: &mut Findings) {
    // An empty return is not ready to submit, whatever else it gets right.
    if submission.rows.is_empty() && !findings.has_errors() {
        findings.push(
            Finding::new(
                Code::NoPeople,
                "The Hours sheet lists no one: there is no row with a Person ID below its header \
                 row. Enter a row for each person who had care in the period, with the hours \
                 delivered each week.",
            )
            .at(Location::row(Sheet::Hours, submission.layout.header_row + 1)),
        );
    }
}

/// Reconcile one submission. `findings` are the reader's; the result holds
/// them followed by the engine's. Any error makes the submission rejected:
/// no people, no totals, every finding.
pub fn reconcile(
    submission: &Submission,
    findings: impl Into<Findings>,
    settings: &Settings,
) -> Reconciliation {
    let Checked {
        provider,
        dates,
        period,
        rates,
        rates_from,
        week_rates,
        people,
        slots,
        mut findings,
    } = check(
        submission,
        findings.into(),
        settings,
        people::Due::all(settings.period_weeks),
    );
    let (results, totals) = match (period, week_rates) {
        (Some(p), Some(rates)) if !findings.has_errors() => {
            // Each person on their own, several at once (the findings
            // then joined in the people's order, as if one by one).
            let outcomes: Vec<(PersonResult, Findings)> = people
                .par_iter()
                .zip(slots.par_iter())
                .map(|(person, slots)| {
                    let mut own = Findings::new();
                    let result = people::reconcile_person(person, slots, &p, &rates, settings, &mut own);
                    (result, own)
                })
                .collect();
            let mut results = Vec::with_capacity(outcomes.len());
            for (result, own) in outcomes {
                results.push(result);
                findings.absorb(own);
            }
            let totals = totals(&results);
            (results, Some(totals))
        }
        // Without a period, or a rate for every week, there is always an
        // error saying why.
        _ => (Vec::new(), None),
    };
    Reconciliation {
        source: submission.source.clone(),
        provider,
        period: dates,
        people: results,
        totals,
        // Errors first, then warnings, then notices; each in the order found.
        findings: findings.into_sorted(),
        rates,
        rates_from,
    }
}

/// The provider's totals (SPEC 4): authorised settlements summed (one BACS
/// payment or one invoice), held ones apart, refunds of overcharges; and the
/// counts and sums of hours every output shows.
pub fn totals(people: &[PersonResult]) -> Totals {
    let mut t = Totals {
        authorised: Decimal::ZERO,
        held: Decimal::ZERO,
        held_payments: Decimal::ZERO,
        held_recoveries: Decimal::ZERO,
        held_count: 0,
        referred_count: 0,
        within_tolerance_count: 0,
        no_care_count: 0,
        overcharge_refunds: Decimal::ZERO,
        refund_count: 0,
        commissioned: Hours::ZERO,
        delivered: Hours::ZERO,
    };
    for p in people {
        match p.status {
            PersonStatus::Referred => t.referred_count += 1,
            PersonStatus::WithinTolerance => t.within_tolerance_count += 1,
            PersonStatus::NoCare => t.no_care_count += 1,
        }
        if let Some(s) = &p.settlement {
            if s.authorised {
                t.authorised += s.amount;
            } else {
                t.held += s.amount;
                if rules::method(s.amount) == Method::Bacs {
                    t.held_payments += s.amount;
                } else {
                    t.held_recoveries += s.amount;
                }
                t.held_count += 1;
            }
        }
        if let Some(c) = &p.charge {
            t.overcharge_refunds += c.overcharge;
        }
        if p.refund_due() {
            t.refund_count += 1;
        }
        t.commissioned += p.commissioned;
        t.delivered += p.delivered;
    }
    t
}

/// `total-mismatch`: each row's Total against the sum of its weeks, and the
/// Totals row against the sums of the columns.
fn check_totals(submission: &Submission, findings: &mut Findings) {
    let sum = |cells: &[Located<WeekCell>]| -> Option<Hours> {
        cells.iter().try_fold(Hours::ZERO, |acc, c| match c.value {
            WeekCell::Hours(h) => Some(acc + h),
            WeekCell::Blank => Some(acc),
            WeekCell::Invalid => None,
        })
    };
    let mut mismatch = |given: &Located<Hours>, computed: Hours, what: String, person: Option<&str>| {
        if (given.value - computed).abs() > total_slack() {
            let f = Finding::new(
                Code::TotalMismatch,
                format!(
                    "{what} says {} hours, but the weeks add up to {} hours. The weeks' \
                     figures are used; correct the total so the return agrees with itself.",
                    given.value, computed
                ),
            )
            .at(given.at);
            findings.push(match person {
                Some(id) => f.person(id),
                None => f,
            });
        }
    };
    for row in &submission.rows {
        if let (Some(total), Some(computed)) = (&row.total, sum(&row.weeks)) {
            mismatch(
                total,
                computed,
                format!(
                    "The Total of {}",
                    crate::base::text::who(&row.person_id, row.name.as_deref())
                ),
                Some(&row.person_id),
            );
        }
    }
    let Some(totals) = &submission.totals_row else {
        return;
    };
    let mut grand = Some(Hours::ZERO);
    for (i, cell) in totals.weeks.iter().enumerate() {
        let column = sum(&submission
            .rows
            .iter()
            .filter_map(|r| r.weeks.get(i).cloned())
            .collect::<Vec<_>>());
        grand = grand.zip(column).map(|(g, c)| g + c);
        if let (WeekCell::Hours(given), Some(computed)) = (cell.value, column) {
            mismatch(
                &Located::new(given, cell.at),
                computed,
                format!("The Totals row, week {}", i + 1),
                None,
            );
        }
    }
    if let (Some(total), Some(computed)) = (&totals.total, grand) {
        mismatch(total, computed, "The Totals row's Total".to_string(), None);
    }
}
