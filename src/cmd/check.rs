//! `yourchoice check SUBMISSION...`: the provider's command. The same reader
//! and the same findings as `reconcile`, without the money: every cell to
//! fix, and how.

use anyhow::Context;

use super::inputs::{load_inputs, reconcile_inputs};
use super::{Outcome, print_all, stdout};
use crate::cli::config::{Check, Config};
use crate::write;

/// Run `check`: exit 0 when no submission has an error, 1 when one has.
///
/// # Errors
/// An input that cannot be read, or output that cannot be printed.
pub fn run(job: &Check, config: &Config) -> anyhow::Result<Outcome> {
    let inputs = load_inputs(&job.inputs)?;
    let (_, run) = reconcile_inputs(&inputs, config);
    print_all(&mut stdout(config), &run.results, job.json, |_, r| {
        if job.json {
            write::check::to_json_line(r).context("writing JSON")
        } else {
            Ok(write::check::render(r, job.show, config.width))
        }
    })?;
    Ok(Outcome::of(&run.results))
}
