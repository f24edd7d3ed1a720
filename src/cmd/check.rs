//! `yourchoice check SUBMISSION...`: the provider's command. The same reader
//! and the same findings as `reconcile`, without the money: every cell to
//! fix, and how.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Context;

use super::{load_inputs, reconcile_input};
use crate::cli::CheckArgs;
use crate::engine::{Settings, Status};
use crate::write;

/// Run `check`: exit 0 when no submission has an error, 1 when one has.
///
/// # Errors
/// An input that cannot be read, or output that cannot be printed.
pub fn run(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let settings = Settings::default();
    let inputs = load_inputs(&args.inputs)?;
    let stdout = std::io::stdout();
    let colour = stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut out = stdout.lock();
    let mut rejected = false;
    for (i, input) in inputs.iter().enumerate() {
        let (_, result) = reconcile_input(input, &settings);
        rejected |= result.status == Status::Rejected;
        if args.json {
            writeln!(
                out,
                "{}",
                write::check::to_json_line(&result).context("writing JSON")?
            )?;
        } else {
            if i > 0 {
                writeln!(out)?;
            }
            write!(out, "{}", write::check::render(&result, colour))?;
        }
    }
    out.flush()?;
    Ok(if rejected {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
