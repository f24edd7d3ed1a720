//! The council's plans (SPEC 6): each person's bundle with a provider, by
//! date. The council's bundle wins over the submission's, week by week.

use std::collections::{HashMap, HashSet};

use crate::base::units::Hours;
use crate::model::settings::Plan;
use crate::model::{Period, PlannedPerson};

/// This provider's plans, by Person ID as compared
/// ([`crate::model::settings::person_key`]), each person's in date order.
pub fn by_person<'a>(plans: &'a [Plan], provider: &str) -> HashMap<String, Vec<&'a Plan>> {
    let mut map: HashMap<String, Vec<&Plan>> = HashMap::new();
    for plan in plans
        .iter()
        .filter(|p| crate::model::settings::same_reference(&p.provider_reference, provider))
    {
        map.entry(crate::model::settings::person_key(&plan.person_id))
            .or_default()
            .push(plan);
    }
    for list in map.values_mut() {
        list.sort_by_key(|p| p.from);
    }
    map
}

/// The planned bundle of each week of the period, week 1 first (`None`
/// where no plan covers the week). A week takes the plan in force on its
/// first day, as a week takes the rate in force then (SPEC 4); where none is
/// in force that day, the first plan that starts during the week.
pub fn planned_bundles(plans: &[&Plan], period: &Period) -> Vec<Option<Hours>> {
    period
        .week_numbers()
        .map(|k| plan_of_week(plans, period, k).map(|i| plans[i].bundle))
        .collect()
}

/// The index in `plans` of the plan week `k` takes (see [`planned_bundles`]).
fn plan_of_week(plans: &[&Plan], period: &Period, k: u32) -> Option<usize> {
    let first = period.week_commencing(k);
    let last = period.week_ending(k);
    plans
        .iter()
        .position(|p| p.covers(first))
        .or_else(|| plans.iter().position(|p| first < p.from && p.from <= last))
}

/// The people the template lists for `provider` from the council's plans:
/// each person with a plan for the provider in force during `period`, in
/// the order the plans file first names them, with the plan's bundle.
///
/// A person whose bundle changes during the period gets a row per plan,
/// each with care dates that give it exactly the weeks the engine gives that
/// plan (the plan in force on the week's first day): the rows never share a
/// week, so the template raises no `overlapping-rows`, and the bundle of
/// every row is the plan's, so no `bundle-differs`. A row's care start is
/// the plan's start where that falls in the row's first week (care began
/// that week), else blank or that week's first day; its care end likewise.
/// The plans give no name, charge or language: those cells stay blank.
pub fn listed_people(plans: &[Plan], provider: &str, period: &Period) -> Vec<PlannedPerson> {
    let by = by_person(plans, provider);
    let mut seen = HashSet::new();
    let mut people = Vec::new();
    for plan in plans
        .iter()
        .filter(|p| crate::model::settings::same_reference(&p.provider_reference, provider))
    {
        let key = crate::model::settings::person_key(&plan.person_id);
        if !seen.insert(key.clone()) {
            continue;
        }
        let list = &by[&key];
        let weeks: Vec<Option<usize>> = period
            .week_numbers()
            .map(|k| plan_of_week(list, period, k))
            .collect();
        let mut k = 1;
        while k <= period.weeks {
            let Some(i) = weeks[k as usize - 1] else {
                k += 1;
                continue;
            };
            let mut last = k;
            while last < period.weeks && weeks[last as usize] == Some(i) {
                last += 1;
            }
            let p = list[i];
            let care_start = (k > 1 || p.from > period.start).then(|| p.from.max(period.week_commencing(k)));
            let care_end =
                p.to.filter(|to| *to < period.end())
                    .map(|to| to.min(period.week_ending(last)))
                    .or_else(|| (last < period.weeks).then(|| period.week_ending(last)));
            people.push(PlannedPerson {
                notes: None,
                person_id: plan.person_id.trim().to_string(),
                name: None,
                bundle: p.bundle,
                charge: None,
                care_start,
                care_end,
            });
            k = last + 1;
        }
    }
    people
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    fn plan(bundle: i64, from: NaiveDate, to: Option<NaiveDate>) -> Plan {
        Plan {
            person_id: "P1".into(),
            provider_reference: "SUP1".into(),
            bundle: Hours::from_seconds(bundle * 3600),
            from,
            to,
            name: None,
            language: None,
            address: Vec::new(),
        }
    }

    #[test]
    fn each_week_takes_the_plan_in_force_on_its_monday() {
        let period = Period {
            start: d(4, 6),
            weeks: 4,
        };
        // 10 h to Tuesday 14/04 (week 2), then 12 h from Wednesday 15/04;
        // nothing in week 1 before the plan starts on Thursday 09/04.
        let a = plan(10, d(4, 9), Some(d(4, 14)));
        let b = plan(12, d(4, 15), None);
        let h = |x: i64| Some(Hours::from_seconds(x * 3600));
        // Week 1 (06/04): no plan on the Monday, one starts on Thursday: 10.
        // Week 2 (13/04): 10 is in force on the Monday.
        // Weeks 3 and 4: 12.
        assert_eq!(
            planned_bundles(&[&a, &b], &period),
            vec![h(10), h(10), h(12), h(12)]
        );
        assert_eq!(planned_bundles(&[&b], &period), vec![None, h(12), h(12), h(12)]);
    }
}
