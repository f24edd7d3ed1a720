//! `plans.csv`: each person's weekly bundle with a provider, and when.

use super::csv_file::{Csv, figure_hint, line_error, plain_key};
use crate::base::limits::{self, HOURS_IN_A_WEEK};
use crate::base::text::{DATE_FORMS, iso_date};
use crate::base::units::Hours;
use std::collections::HashSet;

use chrono::NaiveDate;

use crate::model::settings::{Plan, person_key, reference_key};
use crate::read::cell::quoted;
use crate::read::settings_error::{Problems, SettingsError};
use crate::read::text_date;

const PLANS_HEADER: [&str; 5] = ["Person ID", "Provider reference", "Weekly bundle", "From", "To"];
/// What letters need, each column optional: the person's name as the
/// council records it, the language chosen for letters, the postal address.
const PLANS_OPTIONAL: [&str; 3] = ["Name", "Language", "Address"];

/// `plans.csv` (SPEC 6): `Person ID,Provider reference,Weekly bundle,From,To`.
/// Two plans of one person with one provider may not overlap: the bundle
/// for a week would be ambiguous.
///
/// # Errors
/// Every bad line, named.
/// `providers` are the references (as keys) of council.toml's
/// `[[provider]]` tables; a plan for any other is refused (a mistyped
/// reference would leave the provider's person with no plan), unless
/// council.toml names none.
pub fn read_plans(text: &str, file: &str, providers: &HashSet<String>) -> Result<Vec<Plan>, SettingsError> {
    let mut csv = Csv::open_with(text, file, &PLANS_HEADER, &PLANS_OPTIONAL)?;
    let mut problems = Problems::new(file);
    let mut plans: Vec<(u64, Plan)> = Vec::new();
    while let Some(line) = csv.next() {
        match line.and_then(|(line, f)| read_plan(file, line, &f).map(|p| (line, p))) {
            Ok((line, plan))
                if !providers.is_empty() && !providers.contains(&reference_key(&plan.provider_reference)) =>
            {
                problems.add(
                    line,
                    format!(
                        "the plan for {} is with provider {}, which has no [[provider]] table in council.toml: check the reference, or add the provider's table",
                        plan.person_id, plan.provider_reference
                    ),
                );
            }
            Ok(plan) => plans.push(plan),
            Err(e) => problems.add_error(e),
        }
    }
    check_overlaps(&plans, &mut problems);
    problems.finish()?;
    Ok(plans.into_iter().map(|(_, p)| p).collect())
}

/// One line of `plans.csv`, its fields in header order.
fn read_plan(file: &str, line: u64, f: &[String]) -> Result<Plan, SettingsError> {
    let err = |message: String| line_error(file, line, message);
    let [person_id, provider, bundle, from, to, name, language, address] = f else {
        return Err(err("the line does not have the five columns".into()));
    };
    if person_id.is_empty() || provider.is_empty() {
        return Err(err("Person ID and Provider reference must both be given".into()));
    }
    plain_key("Person ID", person_id)
        .and_then(|()| plain_key("Provider reference", provider))
        .map_err(err)?;
    let bundle = Hours::parse(bundle)
        .filter(|h| h.seconds().fract().is_zero())
        .and_then(|h| limits::bundle(h).ok())
        .ok_or_else(|| {
            err(format!(
                "Weekly bundle {} is not a number of hours more than 0 and at most {HOURS_IN_A_WEEK}, to the second at the finest (10, 7.5 or 7:30){}",
                quoted(bundle),
                figure_hint(bundle)
            ))
        })?;
    let date = |text: &str, column: &str| {
        text_date(text).ok_or_else(|| {
            err(format!(
                "{column} {} is not a date: write it as {DATE_FORMS}",
                quoted(text)
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
    let language = crate::model::letters::Language::parse(language).map_err(err)?;
    // What is printed on a letter: no control character, and short enough
    // for an envelope's window.
    for (column, text, most) in [
        ("Name", name.as_str(), MAX_NAME_CHARS),
        ("Address", address.as_str(), MAX_ADDRESS_CHARS),
    ] {
        if text.chars().any(|c| c.is_control() && c != '\n' && c != '\r') {
            return Err(err(format!(
                "the {column} holds a control character, which cannot be printed: retype it"
            )));
        }
        if text.chars().count() > most {
            return Err(err(format!(
                "the {column} has {} characters: a letter's {} holds at most {most}",
                text.chars().count(),
                if column == "Name" { "name" } else { "address" }
            )));
        }
    }
    let address = address_lines(address);
    if address.len() > MAX_ADDRESS_LINES {
        return Err(err(format!(
            "the Address has {} lines: a postal address has at most {MAX_ADDRESS_LINES} (lines are separated by commas)",
            address.len()
        )));
    }
    Ok(Plan {
        person_id: person_id.clone(),
        provider_reference: provider.clone(),
        bundle,
        from,
        to,
        name: Some(name.clone()).filter(|n| !n.is_empty()),
        language,
        address,
    })
}

/// The longest name a letter is addressed to, in characters.
pub(crate) const MAX_NAME_CHARS: usize = 100;
/// The longest address, all its lines together, in characters.
const MAX_ADDRESS_CHARS: usize = 300;

/// The most lines an address may have: what an envelope's window shows.
pub(crate) const MAX_ADDRESS_LINES: usize = 8;

/// An address written on one line of a CSV: its lines separated by commas
/// or line breaks, each trimmed, blank ones dropped.
pub(crate) fn address_lines(text: &str) -> Vec<String> {
    text.split([',', '\n', '\r'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// Every plan that overlaps an earlier plan of the same person with the
/// same provider (IDs and references compared by the keys the engine
/// matches on, so `sup00123` is `SUP00123`), named with the line it
/// overlaps.
fn check_overlaps(plans: &[(u64, Plan)], problems: &mut Problems) {
    let key = |p: &Plan| (reference_key(&p.provider_reference), person_key(&p.person_id));
    let mut order: Vec<(String, String, NaiveDate, u64, usize)> = plans
        .iter()
        .enumerate()
        .map(|(i, (line, p))| {
            let (provider, person) = key(p);
            (provider, person, p.from, *line, i)
        })
        .collect();
    order.sort();
    let mut found: Vec<(u64, String)> = Vec::new();
    for pair in order.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        let (pa, pb) = (&plans[a.4].1, &plans[b.4].1);
        if a.0 == b.0 && a.1 == b.1 && pa.to.is_none_or(|to| pb.from <= to) {
            let (first, second) = if a.3 < b.3 { (a.3, b.3) } else { (b.3, a.3) };
            found.push((
                second,
                format!(
                    "the plan for {} with {} overlaps the plan on line {first}: give the earlier plan a To date before the later one's From",
                    pb.person_id, pb.provider_reference
                ),
            ));
        }
    }
    found.sort_by_key(|(line, _)| *line);
    for (line, message) in found {
        problems.add(line, message);
    }
}
