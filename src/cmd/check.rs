//! `yourchoice check SUBMISSION...`: the provider's command. The same reader
//! and the same findings as `reconcile`, without the money: every cell to
//! fix, and how.

use std::process::ExitCode;

use anyhow::Context;

use super::{exit_code, load_inputs, print_all, reconcile_inputs, stdout};
use crate::config::{Check, Config};
use crate::write;

/// Run `check`: exit 0 when no submission has an error, 1 when one has.
///
/// # Errors
/// An input that cannot be read, or output that cannot be printed.
pub fn run(job: &Check, config: &Config) -> anyhow::Result<ExitCode> {
    let inputs = load_inputs(&job.inputs)?;
    let (_, run) = reconcile_inputs(&inputs, config);
    print_all(&mut stdout(config), &run.results, job.json, |_, r| {
        if job.json {
            write::check::to_json_line(r).context("writing JSON")
        } else {
            Ok(write::check::render(r, job.show, config.width))
        }
    })?;
    Ok(exit_code(&run.results))
}
