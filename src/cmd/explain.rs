//! `yourchoice explain SUBMISSION PERSON_ID`: one person, week by week.

use std::io::Write;

use anyhow::{Context, bail};

use super::inputs::{load_inputs, reconcile_one};
use super::{Outcome, stdout};
use crate::cli::config::{Config, Explain};
use crate::write;

/// The IDs of the submission nearest to `wanted`, closest first.
fn nearest<'a>(wanted: &str, ids: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut scored: Vec<(usize, &str)> = ids
        .map(|id| {
            (
                strsim::levenshtein(&wanted.to_lowercase(), &id.to_lowercase()),
                id,
            )
        })
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, id)| id).collect()
}

/// Whom the officer asked for.
enum Found<'a> {
    One(&'a crate::engine::PersonResult),
    /// The name is shared: each as `P0005 (Megan Price)`.
    Several(Vec<String>),
    None,
}

/// The person `wanted` names: a Person ID, whatever its case and spaces
/// round it (`p0005` is P0005), else a name held by one person only
/// (case and spacing aside); a name several hold gives them all.
fn find_person<'a>(wanted: &str, people: &'a [crate::engine::PersonResult]) -> Found<'a> {
    let key = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    let wanted = key(wanted);
    if let Some(p) = people.iter().find(|p| key(&p.person_id) == wanted) {
        return Found::One(p);
    }
    let named: Vec<&crate::engine::PersonResult> = people
        .iter()
        .filter(|p| p.name.as_deref().is_some_and(|n| key(n) == wanted))
        .collect();
    match named.as_slice() {
        [] => Found::None,
        [one] => Found::One(one),
        many => Found::Several(
            many.iter()
                .map(|p| crate::base::text::who(&p.person_id, p.name.as_deref()))
                .collect(),
        ),
    }
}

/// Run `explain`.
///
/// # Errors
/// The submission cannot be read, no person (or several) has the ID or
/// name given, or output cannot be printed.
pub fn run(job: &Explain, config: &Config) -> anyhow::Result<Outcome> {
    let inputs = load_inputs(std::slice::from_ref(&job.input))?;
    let r = match reconcile_one(&inputs[0], config, "there is nothing to explain yet")? {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    let r = &r;
    let p = match find_person(&job.person_id, &r.people) {
        Found::One(p) => p,
        Found::Several(candidates) => bail!(
            "{} has {} people called \"{}\": give the Person ID of the one to explain ({})",
            r.source,
            candidates.len(),
            job.person_id.trim(),
            candidates.join(", ")
        ),
        Found::None => {
            let near = nearest(
                job.person_id.trim(),
                r.people.iter().map(|p| p.person_id.as_str()),
            );
            bail!(
                "{} has no person with the ID or name \"{}\"{}",
                r.source,
                job.person_id.trim(),
                if near.is_empty() {
                    String::new()
                } else {
                    format!(": the nearest IDs are {}", near.join(", "))
                }
            );
        }
    };
    if let Some(k) = job.week {
        let weeks = r.period.as_ref().map_or(0, |p| p.period.weeks);
        if !(1..=weeks).contains(&k) {
            bail!("--week {k} is not a week of the period: give 1 to {weeks}");
        }
    }
    let mut out = stdout(config);
    if job.json {
        writeln!(
            out,
            "{}",
            write::explain::to_json(r, p, &config.settings).context("writing JSON")?
        )?;
    } else {
        write!(
            out,
            "{}",
            write::explain::render(r, p, &config.settings, config.width)
        )?;
        // A return `fill` wrote carries the visits behind each week.
        let mut recorded = crate::read::visits::recorded_visits(&inputs[0].bytes, &p.person_id);
        if let Some(k) = job.week {
            if recorded.is_empty() {
                let line = format!(
                    "{} carries no visits for {}: only a return `yourchoice fill` wrote lists them.",
                    r.source, p.person_id
                );
                writeln!(out, "\n{}", write::phrases::wrap(&line, config.width))?;
            }
            recorded.retain(|v| v.week == Some(k));
        }
        write!(out, "{}", write::explain::visits(&recorded, config.width))?;
    }
    out.flush()?;
    Ok(Outcome::Done)
}
