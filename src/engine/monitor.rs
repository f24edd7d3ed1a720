//! The providers' mid-period monitor (`yourchoice monitor`): where each
//! person's bank stands after the weeks due so far, and what keeps them
//! within the tolerance by the period's end (the policy: "Providers are
//! expected to monitor the banking of hours", hours used early "paid back
//! where possible during the 13 week period").
//!
//! The weeks due are those up to the week of the as-of date; later weeks
//! may be blank, and hours there are a warning. Every other check is
//! `check`'s. The projection assumes every remaining care week is delivered
//! at its bundle.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::result::{ChangeInNeed, PeriodDates, Provider};
use super::rules::{self, BillableWeek};
use super::{Checked, check};
use crate::base::units::Hours;
use crate::model::findings::{Finding, Findings};
use crate::model::settings::Settings;
use crate::model::{Period, Submission, WeekCell};

/// How urgently a person needs attention, most urgent first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Risk {
    /// The bank is beyond the period's tolerance now: on the bundle from
    /// here the period would end outside it.
    OverLimit,
    /// Back within, but the bank went beyond the tolerance in an earlier
    /// week.
    WasOverLimit,
    Within,
}

/// One person's standing after the weeks due.
#[derive(Clone, Debug, PartialEq)]
pub struct PersonMonitor {
    pub person_id: String,
    pub name: Option<String>,
    /// The 0-based Hours rows of this person.
    pub rows: Vec<u32>,
    /// Care weeks due so far, and care weeks still to come.
    pub weeks_due: u32,
    pub weeks_left: u32,
    /// Billable weeks so far: care weeks due with hours delivered.
    pub billable_so_far: u32,
    /// Over the billable weeks due so far.
    pub commissioned_so_far: Hours,
    pub delivered_so_far: Hours,
    /// *b* now: positive, hours banked; negative, hours used early.
    pub bank_balance: Hours,
    /// `tolerance` × the commissioned hours of the whole period, with every
    /// remaining care week delivered at its bundle.
    pub period_tolerance: Hours,
    /// |*b*| ≤ that tolerance: on the bundle from here, the period ends
    /// within it.
    pub within_tolerance_if_on_bundle: bool,
    /// Hours a week above the bundle (negative: below) over the weeks left
    /// that end the period at a net variance of zero; `None` with no week
    /// left.
    pub catch_up_per_week: Option<Hours>,
    /// How much more may be banked or used early before the limit
    /// (negative: already past it by that much).
    pub bank_room: Hours,
    /// The first week due whose balance went beyond the tolerance.
    pub limit_first_week: Option<u32>,
    pub change_in_need: Option<ChangeInNeed>,
    /// The change-in-need run reaches the last billable week due: it is
    /// still going on, to report now.
    pub change_in_need_ongoing: bool,
    pub risk: Risk,
}

/// The monitor of one return.
#[derive(Clone, Debug, PartialEq)]
pub struct Monitor {
    pub source: String,
    pub provider: Option<Provider>,
    pub period: Option<PeriodDates>,
    pub as_of: NaiveDate,
    /// Weeks 1 ..= this are due (0: the period has not begun).
    pub last_due_week: u32,
    /// Most at risk first.
    pub people: Vec<PersonMonitor>,
    pub findings: Vec<Finding>,
    /// Whom a provider reports a change in need to, from the settings.
    pub change_in_need_contact: Option<String>,
}

/// The last week due on `as_of`: the week it falls in (0 before the period,
/// all weeks after it).
pub fn last_due_week(period: &Period, as_of: NaiveDate) -> u32 {
    if as_of < period.start {
        return 0;
    }
    period.week_of(as_of).unwrap_or(period.weeks)
}

/// Monitor a return as of a date.
pub fn monitor(
    submission: &Submission,
    findings: impl Into<Findings>,
    settings: &Settings,
    as_of: NaiveDate,
) -> Monitor {
    // The weeks due depend on the period, which the checks read: read the
    // period start first, as the checks will.
    let period = submission
        .details
        .as_ref()
        .and_then(|d| d.period_start.as_ref())
        .map(|s| Period {
            start: s.value,
            weeks: settings.period_weeks,
        });
    let due = period.map_or(settings.period_weeks, |p| last_due_week(&p, as_of));
    // The as-of week may still be going on: its cells may yet be blank.
    let ended = match period {
        Some(p) if due > 0 && as_of < p.week_ending(due) => due - 1,
        _ => due,
    };
    let Checked {
        provider,
        dates,
        period,
        people,
        slots,
        findings,
        ..
    } = check(
        submission,
        findings.into(),
        settings,
        super::people::Due { last: due, ended },
    );
    let mut result: Vec<PersonMonitor> = match period {
        Some(_) if !findings.has_errors() => people
            .iter()
            .zip(&slots)
            .map(|(person, slots)| standing(person, slots, due, ended, settings))
            .collect(),
        _ => Vec::new(),
    };
    // Most at risk first; then the fullest bank against its limit.
    result.sort_by(|a, b| a.risk.cmp(&b.risk).then_with(|| fullness(b).cmp(&fullness(a))));
    Monitor {
        source: submission.source.clone(),
        provider,
        period: dates,
        as_of,
        last_due_week: due,
        people: result,
        findings: findings.into_sorted(),
        change_in_need_contact: settings.change_in_need_contact.clone(),
    }
}

/// |*b*| / tolerance, for ordering (a person with no tolerance at all is
/// fullest).
fn fullness(p: &PersonMonitor) -> Decimal {
    p.bank_balance
        .abs()
        .seconds()
        .checked_div(p.period_tolerance.seconds())
        .unwrap_or(Decimal::MAX)
}

fn standing(
    person: &super::people::Person<'_>,
    slots: &[super::people::Slot<'_>],
    due: u32,
    ended: u32,
    settings: &Settings,
) -> PersonMonitor {
    let mut billable = Vec::new();
    let (mut weeks_due, mut weeks_left) = (0, 0);
    let mut remaining_bundle = Hours::ZERO;
    for (i, slot) in slots.iter().enumerate() {
        let k = i as u32 + 1;
        let (Some(_), Some(bundle)) = (slot.row, slot.bundle) else {
            continue;
        };
        // A week not yet due, or the as-of week still going on and not yet
        // filled in, is still to come (assumed at its bundle).
        let in_progress_blank = k > ended && matches!(slot.cell, Some(WeekCell::Blank) | None);
        if k > due || in_progress_blank {
            weeks_left += 1;
            remaining_bundle += bundle;
            continue;
        }
        weeks_due += 1;
        if let Some(WeekCell::Hours(a)) = slot.cell
            && !a.is_zero()
        {
            billable.push(BillableWeek {
                week: k,
                bundle,
                delivered: a,
                // The monitor works in hours: no week is priced.
                rate: Decimal::ZERO,
                charge: None,
                charge_cap: None,
            });
        }
    }
    let commissioned = rules::commissioned_hours(&billable);
    let delivered = rules::delivered_hours(&billable);
    let balances = rules::bank_balance(&billable);
    let bank = balances.last().map_or(Hours::ZERO, |(_, b)| *b);
    let tolerance = rules::tolerance_hours(commissioned + remaining_bundle, settings.tolerance);
    let within = rules::within_tolerance(-bank, tolerance);
    let limit = rules::bank_limit(&balances, tolerance);
    let change = rules::change_in_need(&billable, settings.tolerance, settings.sustained_weeks);
    let ongoing = change.is_some_and(|c| billable.last().is_some_and(|w| w.week == c.last_week));
    let risk = if !within {
        Risk::OverLimit
    } else if limit.limit_first_week.is_some() {
        Risk::WasOverLimit
    } else {
        Risk::Within
    };
    PersonMonitor {
        person_id: person.id.to_string(),
        name: person.rows.iter().find_map(|r| r.name.clone()),
        rows: person.rows.iter().map(|r| r.row).collect(),
        weeks_due,
        weeks_left,
        billable_so_far: billable.len() as u32,
        commissioned_so_far: commissioned,
        delivered_so_far: delivered,
        bank_balance: bank,
        period_tolerance: tolerance,
        within_tolerance_if_on_bundle: within,
        catch_up_per_week: (weeks_left > 0).then(|| bank.divided_by(weeks_left)).flatten(),
        bank_room: tolerance - bank.abs(),
        limit_first_week: limit.limit_first_week,
        change_in_need: change,
        change_in_need_ongoing: ongoing,
        risk,
    }
}
