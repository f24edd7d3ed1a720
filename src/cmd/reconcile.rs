//! `yourchoice reconcile SUBMISSION...`: the monitoring officer's command.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Context;

use super::{Input, load_inputs, reconcile_input};
use crate::cli::ReconcileArgs;
use crate::engine::{Settings, Status};
use crate::write;

/// Run `reconcile`.
///
/// # Errors
/// An input that cannot be read, or output that cannot be written.
pub fn run(args: &ReconcileArgs) -> anyhow::Result<ExitCode> {
    let settings = Settings::default();
    let inputs: Vec<Input> = load_inputs(&args.inputs)?;
    let results: Vec<_> = inputs
        .iter()
        .map(|input| reconcile_input(input, &settings))
        .collect();

    let stdout = std::io::stdout();
    let colour = stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut out = stdout.lock();
    for (i, r) in results.iter().enumerate() {
        if args.json {
            writeln!(out, "{}", write::json::to_line(r).context("writing JSON")?)?;
        } else {
            if i > 0 {
                writeln!(out)?;
            }
            write!(out, "{}", write::table::render(r, colour))?;
        }
    }
    out.flush()?;
    let rejected = results.iter().any(|r| r.status == Status::Rejected);
    Ok(if rejected {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
