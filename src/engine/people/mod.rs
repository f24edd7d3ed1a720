//! From rows to people: join the rows of one Person ID (SPEC 2), work out
//! each person's care weeks, check the hours against them, and reconcile
//! each person.
//!
//! - [`weeks`]: laying out a person's weeks and checking them;
//! - [`plans`]: those weeks against the council's plans;
//! - [`person`]: reconciling one person.

mod person;
mod plans;
mod weeks;

use std::collections::HashMap;

use crate::base::text;
use crate::base::units::Hours;
use crate::model::findings::{Findings, Location};
use crate::model::settings::{Plan, person_key};
use crate::model::{Period, PersonRow, WeekCell};
pub use person::reconcile_person;
pub(crate) use plans::report_missing;

/// The week-over-3x-bundle warning's factor.
const UNUSUAL_MULTIPLE: i64 = 3;

/// One Person ID with its rows, in order of first appearance.
pub struct Person<'a> {
    /// As the outputs show it: the council's plans' spelling where the
    /// plans hold the person, else as first typed.
    pub id: String,
    /// As compared ([`person_key`]).
    pub key: String,
    pub rows: Vec<&'a PersonRow>,
}

/// Group rows by Person ID as compared (`p1001` and `P1001 ` are one
/// person), keeping the order in which IDs first appear.
pub fn join_rows(rows: &[PersonRow]) -> Vec<Person<'_>> {
    let mut index: HashMap<String, usize> = HashMap::with_capacity(rows.len());
    let mut people: Vec<Person<'_>> = Vec::new();
    for row in rows {
        let key = person_key(&row.person_id);
        match index.get(&key) {
            Some(&i) => people[i].rows.push(row),
            None => {
                index.insert(key.clone(), people.len());
                people.push(Person {
                    id: row.person_id.clone(),
                    key,
                    rows: vec![row],
                });
            }
        }
    }
    people
}

/// Name each person as the council's plans spell them.
pub fn spell_as_planned(people: &mut [Person<'_>], plans: &PlansByPerson<'_>) {
    for person in people {
        if let Some(plan) = plans.get(&person.key).and_then(|p| p.first()) {
            person.id.clone_from(&plan.person_id);
        }
    }
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
    /// The council's plans were given and none covers this care week: its
    /// bundle is the provider's own.
    pub(crate) unplanned: bool,
}

pub(crate) fn who(person: &Person<'_>) -> String {
    text::who(&person.id, person.rows.iter().find_map(|r| r.name.as_deref()))
}

fn week_label(period: Option<&Period>, k: u32) -> String {
    match period {
        Some(p) => format!("week {k} (w/c {})", text::date(p.week_commencing(k))),
        None => format!("week {k}"),
    }
}

/// The council's plans of one provider, by Person ID (`None`: no plans
/// given, the submission's bundles are used).
pub type PlansByPerson<'a> = HashMap<String, Vec<&'a Plan>>;

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

/// Check every person's weeks; return each person's laid-out weeks for
/// [`reconcile_person`]. `due`: which weeks' figures are due.
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
        .map(|p| weeks::slots(p, period, weeks, due, plans, findings))
        .collect()
}
