//! `plans.csv`: each person's weekly bundle with a provider, and when.

use super::csv_file::{Csv, line_error};
use crate::base::limits::{self, HOURS_IN_A_WEEK};
use crate::base::text::{DATE_FORMS, iso_date};
use crate::base::units::Hours;
use crate::model::settings::Plan;
use crate::read::settings_error::SettingsError;
use crate::read::text_date;

const PLANS_HEADER: [&str; 5] = ["Person ID", "Provider reference", "Weekly bundle", "From", "To"];

/// `plans.csv` (SPEC 6): `Person ID,Provider reference,Weekly bundle,From,To`.
/// Two plans of one person with one provider may not overlap: the bundle
/// for a week would be ambiguous.
///
/// # Errors
/// The first bad line, named.
pub fn read_plans(text: &str, file: &str) -> Result<Vec<Plan>, SettingsError> {
    let mut csv = Csv::open(text, file, &PLANS_HEADER)?;
    let mut plans: Vec<(u64, Plan)> = Vec::new();
    while let Some(line) = csv.next() {
        let (line, f) = line?;
        let plan = read_plan(file, line, &f)?;
        plans.push((line, plan));
    }
    check_overlaps(file, &plans)?;
    Ok(plans.into_iter().map(|(_, p)| p).collect())
}

/// One line of `plans.csv`, its fields in header order.
fn read_plan(file: &str, line: u64, f: &[String]) -> Result<Plan, SettingsError> {
    let err = |message: String| line_error(file, line, message);
    let [person_id, provider, bundle, from, to] = f else {
        return Err(err("the line does not have the five columns".into()));
    };
    if person_id.is_empty() || provider.is_empty() {
        return Err(err("Person ID and Provider reference must both be given".into()));
    }
    let bundle = Hours::parse(bundle)
        .and_then(|h| limits::bundle(h).ok())
        .ok_or_else(|| {
            err(format!(
                "Weekly bundle \"{bundle}\" is not a number of hours more than 0 and at most {HOURS_IN_A_WEEK} (10, 7.5 or 7:30)"
            ))
        })?;
    let date = |text: &str, column: &str| {
        text_date(text).ok_or_else(|| {
            err(format!(
                "{column} \"{text}\" is not a date: write it as {DATE_FORMS}"
            ))
        })
    };
    let from = date(from, "From")?;
    let to = if to.is_empty() {
        None
    } else {
        Some(date(to, "To")?)
    };
    if let Some(to) = to.filter(|to| *to < from) {
        return Err(err(format!(
            "To {} is before From {}: a plan ends on or after the day it starts",
            iso_date(to),
            iso_date(from)
        )));
    }
    Ok(Plan {
        person_id: person_id.clone(),
        provider_reference: provider.clone(),
        bundle,
        from,
        to,
    })
}

/// Refuse two plans of one person with one provider that overlap, naming
/// the later line of the first such pair.
fn check_overlaps(file: &str, plans: &[(u64, Plan)]) -> Result<(), SettingsError> {
    // Overlaps, person by person: sort by (provider, person, from).
    let mut order: Vec<usize> = (0..plans.len()).collect();
    order.sort_by(|&a, &b| {
        let (pa, pb) = (&plans[a].1, &plans[b].1);
        (&pa.provider_reference, &pa.person_id, pa.from).cmp(&(
            &pb.provider_reference,
            &pb.person_id,
            pb.from,
        ))
    });
    for pair in order.windows(2) {
        let ((la, a), (lb, b)) = (&plans[pair[0]], &plans[pair[1]]);
        if a.provider_reference == b.provider_reference
            && a.person_id == b.person_id
            && a.to.is_none_or(|to| b.from <= to)
        {
            let (first, second) = if la < lb { (la, lb) } else { (lb, la) };
            return Err(line_error(
                file,
                *second,
                format!(
                    "the plan for {} with {} overlaps the plan on line {first}: give the earlier plan a To date before the later one's From",
                    a.person_id, a.provider_reference
                ),
            ));
        }
    }
    Ok(())
}
