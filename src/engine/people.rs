//! From rows to people: join the rows of one Person ID (SPEC 2), work out
//! each person's care weeks, check the hours against them, and reconcile
//! each person.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::period::amount_in_force;
use super::result::{Direction, PersonResult, PersonStatus, PersonWeek, Settlement};
use super::rules::{self, BillableWeek};
use crate::base::text::{self, percent, pounds};
use crate::base::units::{Hours, format_fixed};
use crate::model::findings::{Code, Finding, Findings, Location, Sheet};
use crate::model::settings::{Plan, Settings};
use crate::model::{Period, PersonRow, WeekCell};

/// The week-over-3x-bundle warning's factor.
const UNUSUAL_MULTIPLE: i64 = 3;

/// One Person ID with its rows, in order of first appearance.
pub struct Person<'a> {
    pub id: &'a str,
    pub rows: Vec<&'a PersonRow>,
}

/// Group rows by Person ID, keeping the order in which IDs first appear.
pub fn join_rows(rows: &[PersonRow]) -> Vec<Person<'_>> {
    let mut index: HashMap<&str, usize> = HashMap::with_capacity(rows.len());
    let mut people: Vec<Person<'_>> = Vec::new();
    for row in rows {
        match index.get(row.person_id.as_str()) {
            Some(&i) => people[i].rows.push(row),
            None => {
                index.insert(&row.person_id, people.len());
                people.push(Person {
                    id: &row.person_id,
                    rows: vec![row],
                });
            }
        }
    }
    people
}

/// Care weeks of one row (SPEC 2): the weeks whose span overlaps care start
/// ..= care end (absent = open). `None` when the period is unknown and the
/// row has care dates, so its care weeks cannot be worked out.
pub fn care_weeks(row: &PersonRow, period: Option<&Period>, weeks: u32) -> Option<Vec<bool>> {
    let start = row.care_start.as_ref().map(|d| d.value);
    let end = row.care_end.as_ref().map(|d| d.value);
    if start.is_none() && end.is_none() {
        return Some(vec![true; weeks as usize]);
    }
    let p = period?;
    Some(p.week_numbers().map(|k| p.is_care_week(k, start, end)).collect())
}

/// One period week of a joined person: the row whose care dates cover it
/// (if any), that row's cell, and the bundle in force.
#[derive(Clone, Copy)]
pub struct Slot<'a> {
    /// The row whose care dates cover this week, if any.
    pub(crate) row: Option<&'a PersonRow>,
    pub(crate) cell: Option<WeekCell>,
    pub(crate) at: Option<Location>,
    /// *B_k*: the council's planned bundle where a plan covers the week,
    /// otherwise the row's.
    pub(crate) bundle: Option<Hours>,
}

pub(crate) fn who(person: &Person<'_>) -> String {
    text::who(person.id, person.rows.iter().find_map(|r| r.name.as_deref()))
}

fn week_label(period: Option<&Period>, k: u32) -> String {
    match period {
        Some(p) => format!("week {k} (w/c {})", text::date(p.week_commencing(k))),
        None => format!("week {k}"),
    }
}

/// The council's plans of one provider, by Person ID (`None`: no plans
/// given, the submission's bundles are used).
pub type PlansByPerson<'a> = HashMap<&'a str, Vec<&'a Plan>>;

/// Lay out a person's weeks, reporting `overlapping-rows`,
/// `hours-outside-care`, `missing-hours`, `bad-date` (care end before care
/// start), `week-over-3x-bundle`, and against the council's plans
/// `unknown-person` and `bundle-differs`.
fn slots<'a>(
    person: &Person<'a>,
    period: Option<&Period>,
    weeks: u32,
    due: Due,
    plans: Option<&PlansByPerson<'_>>,
    findings: &mut Findings,
) -> Vec<Slot<'a>> {
    let who = who(person);
    let mut slots = vec![
        Slot {
            row: None,
            cell: None,
            at: None,
            bundle: None,
        };
        weeks as usize
    ];
    // Pairs of rows that share care weeks, in the order found: (row a, row b,
    // weeks), with an index so a person on thousands of rows stays linear.
    let mut overlaps: Vec<(u32, u32, Vec<u32>)> = Vec::new();
    let mut overlap_index: HashMap<(u32, u32), usize> = HashMap::new();
    for row in &person.rows {
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
                .person(person.id),
            );
        }
        let Some(care) = care_weeks(row, period, weeks) else {
            continue;
        };
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
                        .person(person.id),
                    );
                }
                continue;
            }
            let slot = &mut slots[i];
            if let Some(other) = slot.row {
                let i = *overlap_index.entry((other.row, row.row)).or_insert_with(|| {
                    overlaps.push((other.row, row.row, Vec::new()));
                    overlaps.len() - 1
                });
                overlaps[i].2.push(k);
                continue;
            }
            *slot = Slot {
                row: Some(row),
                cell: cell.map(|c| c.value),
                at: cell.map(|c| c.at),
                bundle: row.bundle.as_ref().map(|b| b.value),
            };
        }
    }
    for (a, b, ks) in overlaps {
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
            .person(person.id),
        );
    }
    if let (Some(plans), Some(p)) = (plans, period) {
        apply_plans(person, &who, plans.get(person.id), p, &mut slots, findings);
    }
    for (i, slot) in slots.iter().enumerate() {
        let k = i as u32 + 1;
        let (Some(_), Some(at)) = (slot.row, slot.at) else {
            continue;
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
                .person(person.id),
            ),
            Some(WeekCell::Blank) => findings.push(
                Finding::new(
                    Code::MissingHours,
                    format!(
                        "{who} {} is blank, but the person was in care that week. Enter \
                         the hours delivered, or 0 if no care was provided.",
                        week_label(period, k)
                    ),
                )
                .at(at)
                .person(person.id),
            ),
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
                        .person(person.id),
                    );
                }
            }
            _ => {}
        }
    }
    slots
}

/// The council's plans win over the submission's bundles (SPEC 6): each
/// care week takes the planned bundle. A person the plans do not hold for
/// this provider, or hours in weeks no plan covers, is `unknown-person` (the
/// submission's bundle is used there); a row whose bundle is not the plan's
/// is `bundle-differs`.
fn apply_plans(
    person: &Person<'_>,
    who: &str,
    plans: Option<&Vec<&Plan>>,
    period: &Period,
    slots: &mut [Slot<'_>],
    findings: &mut Findings,
) {
    let first_row = person.rows.first().map_or(0, |r| r.row);
    let id_cell = Location::cell(Sheet::Hours, first_row, 0);
    let Some(plans) = plans.filter(|p| !p.is_empty()) else {
        findings.push(
            Finding::new(
                Code::UnknownPerson,
                format!(
                    "{who} is not in the council's plans for this provider. The submission's \
                     bundle is used; check the Person ID against the care plan, or ask the \
                     council to add the plan."
                ),
            )
            .at(id_cell)
            .person(person.id),
        );
        return;
    };
    let planned = super::plans::planned_bundles(plans, period);
    let uncovered: Vec<u32> = slots
        .iter()
        .zip(&planned)
        .enumerate()
        .filter(|(_, (slot, plan))| {
            plan.is_none() && matches!(slot.cell, Some(WeekCell::Hours(h)) if !h.is_zero())
        })
        .map(|(i, _)| i as u32 + 1)
        .collect();
    for row in &person.rows {
        let Some(bundle) = &row.bundle else { continue };
        let differing: Vec<(u32, Hours)> = slots
            .iter()
            .zip(&planned)
            .enumerate()
            .filter_map(|(i, (slot, plan))| match (slot.row, plan) {
                (Some(r), Some(b)) if r.row == row.row && *b != bundle.value => Some((i as u32 + 1, *b)),
                _ => None,
            })
            .collect();
        if differing.is_empty() {
            continue;
        }
        findings.push(
            Finding::new(
                Code::BundleDiffers,
                format!(
                    "The weekly bundle of {who} in {} is {} hours, but the council's plan gives \
                     {}. The plan's bundle is used; correct the bundle to match the care plan.",
                    bundle.at,
                    bundle.value,
                    planned_words(&differing)
                ),
            )
            .at(bundle.at)
            .person(person.id),
        );
    }
    for (slot, plan) in slots.iter_mut().zip(&planned) {
        if let (Some(b), Some(_)) = (plan, slot.row) {
            slot.bundle = Some(*b);
        }
    }
    if !uncovered.is_empty() {
        let runs = plans
            .iter()
            .map(|p| match p.to {
                Some(to) => format!("{} to {}", text::date(p.from), text::date(to)),
                None => format!("from {}", text::date(p.from)),
            })
            .collect::<Vec<_>>()
            .join(", ");
        findings.push(
            Finding::new(
                Code::UnknownPerson,
                format!(
                    "{who} has hours in weeks {}, which no council plan for this provider covers \
                     (the plans run {runs}). The submission's bundle is used for those weeks; \
                     check the care dates, or ask the council to update the plan.",
                    text::week_runs(&uncovered)
                ),
            )
            .at(id_cell)
            .person(person.id),
        );
    }
}

/// `12 hours for weeks 1-6 and 14 hours for weeks 7-13`.
fn planned_words(weeks: &[(u32, Hours)]) -> String {
    let mut bundles: Vec<(Hours, Vec<u32>)> = Vec::new();
    for (k, b) in weeks {
        match bundles.iter_mut().find(|(x, _)| x == b) {
            Some((_, ks)) => ks.push(*k),
            None => bundles.push((*b, vec![*k])),
        }
    }
    bundles
        .iter()
        .map(|(b, ks)| format!("{b} hours for weeks {}", text::week_runs(ks)))
        .collect::<Vec<_>>()
        .join(" and ")
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

/// Check every person's weeks; return each person's laid-out weeks for
/// [`reconcile_person`].
/// Which weeks' figures are due: for a reconciliation every week; for the
/// monitor the weeks up to the as-of date's week (`last`), of which the
/// as-of week itself may still be going on (`ended` is then one less), so
/// its cell may yet be blank.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Due {
    pub last: u32,
    pub ended: u32,
}

impl Due {
    pub fn all(weeks: u32) -> Due {
        Due {
            last: weeks,
            ended: weeks,
        }
    }
}

/// `due`: which weeks' figures are due.
pub fn check_people<'a>(
    people: &[Person<'a>],
    period: Option<&Period>,
    weeks: u32,
    due: Due,
    plans: Option<&PlansByPerson<'_>>,
    findings: &mut Findings,
) -> Vec<Vec<Slot<'a>>> {
    people
        .iter()
        .map(|p| slots(p, period, weeks, due, plans, findings))
        .collect()
}

/// Reconcile one person whose weeks passed every check (SPEC 2-4), adding
/// the person's warnings and notices to `findings`.
pub fn reconcile_person(
    person: &Person<'_>,
    slots: &[Slot<'_>],
    period: &Period,
    week_rates: &[Decimal],
    settings: &Settings,
    findings: &mut Findings,
) -> PersonResult {
    let who = who(person);
    let mut billable = Vec::new();
    let mut weeks_out = Vec::with_capacity(slots.len());
    // Where the first no-care week is: one notice names them all.
    let mut first_no_care: Option<Location> = None;
    // One rate per period week, as one slot per period week.
    for (i, (slot, rate)) in slots.iter().zip(week_rates).enumerate() {
        let k = i as u32 + 1;
        let mut week = PersonWeek {
            week: k,
            care: slot.row.is_some(),
            bundle: slot.bundle,
            delivered: slot.cell.and_then(WeekCell::hours),
            balance: None,
            rate: slot.row.map(|_| *rate),
            charge: None,
        };
        if week.is_no_care() && first_no_care.is_none() {
            first_no_care = slot.at;
        }
        // A billable week has its row and bundle: every care week does once
        // the checks passed.
        let (true, Some(row), Some(bundle), Some(delivered)) =
            (week.is_billable(), slot.row, week.bundle, week.delivered)
        else {
            weeks_out.push(week);
            continue;
        };
        let monday = period.week_commencing(k);
        let b = BillableWeek {
            week: k,
            bundle,
            delivered,
            rate: *rate,
            charge: row.charge.as_ref().map(|c| c.value),
            charge_cap: amount_in_force(&settings.max_weekly_charge, monday),
        };
        week.charge = rules::week_charge(&b);
        weeks_out.push(week);
        billable.push(b);
    }

    let commissioned = rules::commissioned_hours(&billable);
    let delivered = rules::delivered_hours(&billable);
    let net_variance = rules::net_variance(&billable);
    let tolerance = rules::tolerance_hours(commissioned, settings.tolerance);
    let balances = rules::bank_balance(&billable);
    for (k, b) in &balances {
        weeks_out[(*k - 1) as usize].balance = Some(*b);
    }
    let bank = rules::bank_limit(&balances, tolerance);
    let change_in_need = rules::change_in_need(&billable, settings.tolerance, settings.sustained_weeks);
    let variance_percent = rules::variance_percent(net_variance, commissioned);
    let first_row = person.rows.first().map(|r| r.row).unwrap_or_default();
    let row_at = Location::row(Sheet::Hours, first_row);
    let week_at = |k: u32| slots.get((k - 1) as usize).and_then(|s| s.at).unwrap_or(row_at);
    // One notice for all of a person's no-care weeks; none beside
    // `no-care-in-period`, which says it of every week.
    let no_care: Vec<u32> = weeks_out
        .iter()
        .filter(|w| w.is_no_care())
        .map(|w| w.week)
        .collect();
    if !no_care.is_empty() && !billable.is_empty() {
        let dates = match (no_care.first(), no_care.last()) {
            (Some(&a), Some(&b)) if a == b => format!("w/c {}", text::date(period.week_commencing(a))),
            (Some(&a), Some(&b)) => format!(
                "w/c {} to w/c {}",
                text::date(period.week_commencing(a)),
                text::date(period.week_commencing(b))
            ),
            _ => String::new(),
        };
        findings.push(
            Finding::new(
                Code::NoCareWeek,
                format!(
                    "{who}: 0 hours in {} {} ({dates}). No care was provided, so {} bundle is \
                     not commissioned, billed or charged.",
                    if no_care.len() == 1 { "week" } else { "weeks" },
                    text::week_runs(&no_care),
                    if no_care.len() == 1 {
                        "that week's"
                    } else {
                        "those weeks'"
                    },
                ),
            )
            .at_opt(first_no_care)
            .person(person.id),
        );
    }

    let (status, settlement, charge) = if billable.is_empty() {
        findings.push(
            Finding::new(
                Code::NoCareInPeriod,
                format!(
                    "{who}: no care was delivered in any week of the period, so there is no \
                     settlement and no charge. If care was delivered, enter the hours."
                ),
            )
            .at(row_at)
            .person(person.id),
        );
        (PersonStatus::NoCare, None, None)
    } else {
        let within = rules::within_tolerance(net_variance, tolerance);
        let amount = rules::settlement_amount(&billable);
        if !within {
            findings.push(
                Finding::new(
                    Code::OutsideTolerance,
                    format!(
                        "{who}: {} hours delivered against {} commissioned, a net variance of {} \
                         hours ({}%), outside the {}% tolerance (±{} hours). The council will \
                         refer this person for a social work review, and the settlement of {} \
                         waits for the monitoring officer's decision.",
                        delivered,
                        commissioned,
                        signed(net_variance),
                        variance_percent.map(|p| format_fixed(p, 2)).unwrap_or_default(),
                        percent(settings.tolerance),
                        tolerance,
                        pounds(amount),
                    ),
                )
                .at(row_at)
                .person(person.id),
            );
        }
        if let Some(k) = bank.limit_first_week {
            findings.push(
                Finding::new(
                    Code::BankLimitExceeded,
                    format!(
                        "{who}: the bank balance first went beyond ±{} hours ({}% of the period's \
                         commissioned hours) in {}; the peak was {} hours. Hours banked or used \
                         early should stay within the tolerance through the period.",
                        tolerance,
                        percent(settings.tolerance),
                        week_label(Some(period), k),
                        bank.peak
                    ),
                )
                .at(week_at(k))
                .person(person.id),
            );
        }
        if let Some(c) = &change_in_need {
            findings.push(
                Finding::new(
                    Code::ChangeInNeed,
                    format!(
                        "{who}: weeks {} to {} were each more than {}% {} the bundle. A \
                         sustained difference may mean a change in need: the provider should \
                         report it to the council, which will consider a review.",
                        c.first_week,
                        c.last_week,
                        percent(settings.tolerance),
                        match c.direction {
                            Direction::More => "over",
                            Direction::Less => "under",
                        }
                    ),
                )
                .at(week_at(c.first_week))
                .person(person.id),
            );
        }
        let status = if within {
            PersonStatus::WithinTolerance
        } else {
            PersonStatus::Referred
        };
        let settlement = Settlement {
            amount,
            authorised: within,
            decision: None,
        };
        (status, Some(settlement), rules::service_user_charge(&billable))
    };

    PersonResult {
        person_id: person.id.to_string(),
        name: person.rows.iter().find_map(|r| r.name.clone()),
        rows: person.rows.iter().map(|r| r.row).collect(),
        status,
        commissioned,
        delivered,
        net_variance,
        variance_percent,
        tolerance,
        bank,
        change_in_need,
        settlement,
        charge,
        weeks: weeks_out,
        notes: person.rows.iter().filter_map(|r| r.notes.clone()).collect(),
    }
}

fn signed(h: Hours) -> String {
    if h.is_negative() || h.is_zero() {
        h.to_string()
    } else {
        format!("+{h}")
    }
}
