//! Laying out a person's weeks (SPEC 2): each period week given the row
//! whose care dates cover it, with the checks of the dates and the hours.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::plans::apply_plans;
use super::{Due, Person, PlansByPerson, Slot, UNUSUAL_MULTIPLE, care_weeks, week_label, who};
use crate::base::text;
use crate::model::findings::{Code, Finding, Findings, Location, Sheet};
use crate::model::{Period, PersonRow, WeekCell};

/// Lay out a person's weeks, reporting `overlapping-rows`,
/// `hours-outside-care`, `missing-hours`, `bad-date` (care end before care
/// start), `week-over-3x-bundle`, and against the council's plans
/// `unknown-person` and `bundle-differs`.
pub(super) fn slots<'a>(
    person: &Person<'a>,
    period: Option<&Period>,
    weeks: u32,
    due: Due,
    plans: Option<&PlansByPerson<'_>>,
    findings: &mut Findings,
) -> Vec<Slot<'a>> {
    let who = who(person);
    let mut layout = Layout {
        slots: vec![
            Slot {
                row: None,
                cell: None,
                at: None,
                bundle: None,
                unplanned: false,
            };
            weeks as usize
        ],
        overlaps: Overlaps::default(),
    };
    for row in &person.rows {
        check_care_dates(person, &who, row, findings);
        let Some(care) = care_weeks(row, period, weeks) else {
            continue;
        };
        layout.place_row(person, &who, row, &care, period, findings);
    }
    let Layout { mut slots, overlaps } = layout;
    overlaps.report(person, &who, findings);
    if let (Some(plans), Some(p)) = (plans, period) {
        apply_plans(person, &who, plans.get(&person.key), p, &mut slots, findings);
    }
    let mut missing = Vec::new();
    for (i, slot) in slots.iter().enumerate() {
        check_week(
            person,
            &who,
            i as u32 + 1,
            slot,
            period,
            due,
            &mut missing,
            findings,
        );
    }
    report_missing_hours(person, &who, &missing, period, findings);
    slots
}

/// Owns the `missing-hours` error: one for all of a person's blank care
/// weeks (`missing`: each week and its cell, in week order), at the first
/// blank cell, naming the weeks as runs (`weeks 3-5, 9`), as `no-care-week`
/// does. One finding per person, not per cell: a return from a program
/// that leaves a person's unworked weeks blank says one thing, once.
fn report_missing_hours(
    person: &Person<'_>,
    who: &str,
    missing: &[(u32, Location)],
    period: Option<&Period>,
    findings: &mut Findings,
) {
    let Some(&(first, at)) = missing.first() else {
        return;
    };
    let message = if missing.len() == 1 {
        format!(
            "{who} {} is blank, but the person was in care that week. Enter the hours \
             delivered, or 0 if no care was provided.",
            week_label(period, first)
        )
    } else {
        let weeks: Vec<u32> = missing.iter().map(|(k, _)| *k).collect();
        let last = weeks[weeks.len() - 1];
        let dates = period.map_or(String::new(), |p| {
            let wc = |k: u32| text::date(p.week_commencing(k));
            if last - first + 1 == weeks.len() as u32 {
                format!(" (w/c {} to w/c {})", wc(first), wc(last))
            } else {
                format!(" (the first w/c {}, the last w/c {})", wc(first), wc(last))
            }
        });
        format!(
            "{who} weeks {}{dates} are blank, but the person was in care those {} weeks. Enter \
             the hours delivered in each, or 0 where no care was provided.",
            text::week_runs(&weeks),
            weeks.len()
        )
    };
    findings.push(
        Finding::new(Code::MissingHours, message)
            .at(at)
            .person(&person.id),
    );
}

/// Owns the `bad-date` error of a row whose care end is before its care
/// start.
fn check_care_dates(person: &Person<'_>, who: &str, row: &PersonRow, findings: &mut Findings) {
    if let (Some(s), Some(e)) = (&row.care_start, &row.care_end)
        && e.value < s.value
    {
        findings.push(
            Finding::new(
                Code::BadDate,
                format!(
                    "The care end of {who} in {} is {}, before the care start {} in {}. \
                     Correct whichever date is wrong.",
                    e.at,
                    text::date(e.value),
                    text::date(s.value),
                    s.at
                ),
            )
            .at(e.at)
            .person(&person.id),
        );
    }
}

/// The weeks being laid out: one slot per period week, and the rows found
/// sharing weeks.
struct Layout<'a> {
    slots: Vec<Slot<'a>>,
    overlaps: Overlaps,
}

impl<'a> Layout<'a> {
    /// Owns placing one row in the weeks its care dates cover: a week
    /// another row already holds is an overlap; hours outside the care dates
    /// are `hours-outside-care`.
    fn place_row(
        &mut self,
        person: &Person<'a>,
        who: &str,
        row: &'a PersonRow,
        care: &[bool],
        period: Option<&Period>,
        findings: &mut Findings,
    ) {
        for (i, in_care) in care.iter().enumerate() {
            let k = i as u32 + 1;
            let cell = row.weeks.get(i);
            if !in_care {
                if let Some(c) = cell
                    && let WeekCell::Hours(h) = c.value
                    && !h.is_zero()
                {
                    findings.push(
                        Finding::new(
                            Code::HoursOutsideCare,
                            format!(
                                "{who} {} has {h} hours, but that week is outside the care \
                                 dates on this row ({}). Leave it blank or 0, or correct the care \
                                 start/end dates.",
                                week_label(period, k),
                                care_dates(row)
                            ),
                        )
                        .at(c.at)
                        .person(&person.id),
                    );
                }
                continue;
            }
            let slot = &mut self.slots[i];
            if let Some(other) = slot.row {
                self.overlaps.add(other.row, row.row, k);
                continue;
            }
            *slot = Slot {
                row: Some(row),
                cell: cell.map(|c| c.value),
                at: cell.map(|c| c.at),
                bundle: row.bundle.as_ref().map(|b| b.value),
                unplanned: false,
            };
        }
    }
}

/// Pairs of rows that share care weeks, in the order found: (row a, row b,
/// weeks), with an index so a person on thousands of rows stays linear.
#[derive(Default)]
struct Overlaps {
    pairs: Vec<(u32, u32, Vec<u32>)>,
    index: HashMap<(u32, u32), usize>,
}

impl Overlaps {
    /// Owns recording that rows `a` and `b` both cover week `k`.
    fn add(&mut self, a: u32, b: u32, k: u32) {
        let pairs = &mut self.pairs;
        let i = *self.index.entry((a, b)).or_insert_with(|| {
            pairs.push((a, b, Vec::new()));
            pairs.len() - 1
        });
        pairs[i].2.push(k);
    }

    /// Owns the `overlapping-rows` errors, one per pair of rows.
    fn report(self, person: &Person<'_>, who: &str, findings: &mut Findings) {
        for (a, b, ks) in self.pairs {
            let first = ks.first().copied().unwrap_or(1);
            let last = ks.last().copied().unwrap_or(first);
            findings.push(
                Finding::new(
                    Code::OverlappingRows,
                    format!(
                        "{who} is on rows {} and {} of the Hours sheet, and both rows cover weeks \
                         {first} to {last}. A person has more than one row only when the bundle \
                         changed: give each row care start and care end dates so that every week \
                         belongs to one row, or merge the rows.",
                        a + 1,
                        b + 1
                    ),
                )
                .at(Location::row(Sheet::Hours, b))
                .person(&person.id),
            );
        }
    }
}

/// Owns the checks of one care week's cell once the bundles are known:
/// `hours-not-yet-due` and `week-over-3x-bundle`; a blank care week is
/// added to `missing`, for [`report_missing_hours`].
#[allow(clippy::too_many_arguments)]
fn check_week(
    person: &Person<'_>,
    who: &str,
    k: u32,
    slot: &Slot<'_>,
    period: Option<&Period>,
    due: Due,
    missing: &mut Vec<(u32, Location)>,
    findings: &mut Findings,
) {
    let (Some(_), Some(at)) = (slot.row, slot.at) else {
        return;
    };
    match slot.cell {
        // A week not yet due, or still going on, may be blank; hours in
        // a week not yet due have not happened.
        Some(WeekCell::Blank) if k > due.ended => {}
        Some(WeekCell::Hours(h)) if k > due.last && !h.is_zero() => findings.push(
            Finding::new(
                Code::HoursNotYetDue,
                format!(
                    "{who} {} has {h} hours, but that week has not ended yet. Enter the hours \
                     once the week is over; until then leave it blank.",
                    week_label(period, k)
                ),
            )
            .at(at)
            .person(&person.id),
        ),
        Some(WeekCell::Blank) => missing.push((k, at)),
        Some(WeekCell::Hours(h)) => {
            if let Some(bundle) = slot.bundle
                && h > bundle.times(Decimal::from(UNUSUAL_MULTIPLE))
            {
                findings.push(
                    Finding::new(
                        Code::WeekOver3xBundle,
                        format!(
                            "{who} {} has {h} hours, more than {UNUSUAL_MULTIPLE} times \
                             the weekly bundle of {}. Check the figure; if it is right, say \
                             why in the Notes column.",
                            week_label(period, k),
                            bundle
                        ),
                    )
                    .at(at)
                    .person(&person.id),
                );
            }
        }
        _ => {}
    }
}

fn care_dates(row: &PersonRow) -> String {
    let f = |d: &Option<crate::model::Located<chrono::NaiveDate>>| d.as_ref().map(|d| text::date(d.value));
    match (f(&row.care_start), f(&row.care_end)) {
        (Some(s), Some(e)) => format!("care {s} to {e}"),
        (Some(s), None) => format!("care from {s}"),
        (None, Some(e)) => format!("care until {e}"),
        (None, None) => "no care dates".to_string(),
    }
}
