//! A person's weeks against the council's plans (SPEC 6): the planned
//! bundles win over the submission's.

use super::{Person, PlansByPerson, Slot};
use crate::base::text;
use crate::base::units::Hours;
use crate::model::findings::{Code, Finding, Findings, Location, Sheet};
use crate::model::settings::Plan;
use crate::model::{Period, WeekCell};

/// The council's plans win over the submission's bundles (SPEC 6): each
/// care week takes the planned bundle. A person the plans do not hold for
/// this provider, or hours in weeks no plan covers, is `unknown-person` (the
/// submission's bundle is used there); a row whose bundle is not the plan's
/// is `bundle-differs`.
pub(super) fn apply_plans(
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
        for slot in slots.iter_mut().filter(|s| s.row.is_some()) {
            slot.unplanned = true;
        }
        findings.push(
            Finding::new(
                Code::UnknownPerson,
                format!(
                    "{who} is not in the council's plans for this provider{}. The submission's \
                     bundle is used for the figures, and the settlement is held for the \
                     officer's decision, never paid or recovered on the provider's own \
                     figures; check the Person ID against the care plan, or ask the council to \
                     add the plan.",
                    hidden_characters(&person.id)
                ),
            )
            .at(id_cell)
            .person(&person.id),
        );
        return;
    };
    let planned = crate::engine::plans::planned_bundles(plans, period);
    let uncovered = uncovered_weeks(slots, &planned);
    report_bundles_differ(person, who, slots, &planned, findings);
    for (slot, plan) in slots.iter_mut().zip(&planned) {
        match (plan, slot.row) {
            (Some(b), Some(_)) => slot.bundle = Some(*b),
            (None, Some(_)) => slot.unplanned = true,
            _ => {}
        }
    }
    if !uncovered.is_empty() {
        report_uncovered(person, who, plans, &uncovered, id_cell, findings);
    }
}

/// Owns finding the weeks with hours that no plan covers.
fn uncovered_weeks(slots: &[Slot<'_>], planned: &[Option<Hours>]) -> Vec<u32> {
    slots
        .iter()
        .zip(planned)
        .enumerate()
        .filter(|(_, (slot, plan))| {
            plan.is_none() && matches!(slot.cell, Some(WeekCell::Hours(h)) if !h.is_zero())
        })
        .map(|(i, _)| i as u32 + 1)
        .collect()
}

/// Owns the `bundle-differs` warnings: one per row whose bundle is not the
/// plan's in some week the row holds.
fn report_bundles_differ(
    person: &Person<'_>,
    who: &str,
    slots: &[Slot<'_>],
    planned: &[Option<Hours>],
    findings: &mut Findings,
) {
    for row in &person.rows {
        let Some(bundle) = &row.bundle else { continue };
        let differing: Vec<(u32, Hours)> = slots
            .iter()
            .zip(planned)
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
            .person(&person.id),
        );
    }
}

/// Owns the `unknown-person` warning for hours in weeks no plan covers,
/// naming the runs of the plans there are.
fn report_uncovered(
    person: &Person<'_>,
    who: &str,
    plans: &[&Plan],
    uncovered: &[u32],
    id_cell: Location,
    findings: &mut Findings,
) {
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
                 (the plans run {runs}). The submission's bundle is used for those weeks, and \
                 the settlement is held for the officer's decision; check the care dates, or \
                 ask the council to update the plan.",
                text::week_runs(uncovered)
            ),
        )
        .at(id_cell)
        .person(&person.id),
    );
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

/// Owns the `planned-person-missing` warning: a person the council's plans
/// hold for this provider in some week of the period who is not in the
/// return (a provider could otherwise drop someone whose recovery it would
/// owe, unseen). One finding a person, in Person ID order, pointing at the
/// row below the last person, where their row would go.
pub(crate) fn report_missing(
    people: &[Person<'_>],
    plans: &PlansByPerson<'_>,
    period: &Period,
    next_row: u32,
    findings: &mut Findings,
) {
    let present: std::collections::HashSet<&str> = people.iter().map(|p| p.key.as_str()).collect();
    let mut missing: Vec<(&String, &Vec<&Plan>)> = plans
        .iter()
        .filter(|(key, _)| !present.contains(key.as_str()))
        .collect();
    missing.sort_by(|a, b| a.0.cmp(b.0));
    for (_, person_plans) in missing {
        let planned = crate::engine::plans::planned_bundles(person_plans, period);
        let weeks: Vec<(u32, Hours)> = planned
            .iter()
            .enumerate()
            .filter_map(|(i, b)| b.map(|b| (i as u32 + 1, b)))
            .collect();
        let Some(plan) = person_plans.first().filter(|_| !weeks.is_empty()) else {
            continue;
        };
        findings.push(
            Finding::new(
                Code::PlannedPersonMissing,
                format!(
                    "{} is in the council's plans for this provider ({}), but not in the return, \
                     so nothing is settled for them. If they received care in the period, the \
                     return needs their row and hours; if they did not, the provider should tell \
                     the council why.",
                    plan.person_id,
                    planned_words(&weeks)
                ),
            )
            .at(Location::row(Sheet::Hours, next_row))
            .person(&plan.person_id),
        );
    }
}

/// `, and its Person ID holds characters that do not show (U+200B)`: an ID
/// that reads like a planned person's but is not, named so the officer is
/// not misled (empty where every character is plain to see).
fn hidden_characters(id: &str) -> String {
    let odd: Vec<String> = id
        .chars()
        .filter(|c| !(c.is_ascii_graphic() || *c == ' '))
        .map(|c| format!("U+{:04X}", u32::from(c)))
        .collect();
    if odd.is_empty() {
        String::new()
    } else {
        format!(
            ", and its Person ID holds characters that are not plain letters or digits ({})",
            odd.join(", ")
        )
    }
}
