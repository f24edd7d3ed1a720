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

/// Run `explain`.
///
/// # Errors
/// The submission cannot be read, the Person ID is not in it, or output
/// cannot be printed.
pub fn run(job: &Explain, config: &Config) -> anyhow::Result<Outcome> {
    let inputs = load_inputs(std::slice::from_ref(&job.input))?;
    let r = match reconcile_one(&inputs[0], config, "there is nothing to explain yet")? {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    let r = &r;
    let Some(p) = r.people.iter().find(|p| p.person_id == job.person_id) else {
        let near = nearest(&job.person_id, r.people.iter().map(|p| p.person_id.as_str()));
        bail!(
            "{} has no Person ID \"{}\"{}",
            r.source,
            job.person_id,
            if near.is_empty() {
                String::new()
            } else {
                format!(": the nearest are {}", near.join(", "))
            }
        );
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
