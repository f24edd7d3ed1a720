//! `yourchoice decisions RETURNS... -o decisions.xlsx`: the officer's
//! decisions workbook, one row per held settlement.

use anyhow::Context;

use super::Outcome;
use super::inputs::{load_inputs, reconcile_inputs};
use crate::base::text::plural;
use crate::cli::config::{Config, Decisions};
use crate::engine::decisions::to_decide;
use crate::write::{atomic, decisions};

/// Run `decisions`: exit 0 when written (1 when a submission was rejected:
/// its settlements are not in the workbook).
///
/// # Errors
/// An input that cannot be read, or the workbook that cannot be written.
pub fn run(job: &Decisions, config: &Config) -> anyhow::Result<Outcome> {
    let inputs = load_inputs(&job.inputs)?;
    let (_, run) = reconcile_inputs(&inputs, config);
    for r in run.results.iter().filter(|r| r.totals.is_none()) {
        eprintln!(
            "yourchoice: {} was not reconciled, so none of its settlements is in the workbook; `yourchoice check {}` lists its errors",
            r.source, r.source
        );
    }
    let rows = to_decide(&run.results);
    let bytes = decisions::build(&rows)
        .and_then(|mut wb| wb.save_to_buffer())
        .context("cannot build the decisions workbook")?;
    atomic::write_file(&job.out, &bytes, job.force)?;
    let open = rows.iter().filter(|r| r.decided().is_none()).count();
    let then = if open > 0 {
        " Fill in Decision, Reason and Officer, save it, and give it to --decisions."
    } else if rows.is_empty() {
        " No settlement is held: there is nothing to decide."
    } else {
        " Every one is decided; change a decision on its row and give the workbook to --decisions."
    };
    eprintln!(
        "Wrote {}: {} held, {} to decide.{then}",
        job.out.display(),
        plural(rows.len(), "settlement", "settlements"),
        open
    );
    Ok(Outcome::of(&run.results))
}
