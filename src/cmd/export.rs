//! `yourchoice export KIND SUBMISSION...`: finance's CSV (SPEC 8.4) from
//! the reconciled submissions, on stdout or written atomically to `-o`.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;

use super::{exit_code, load_inputs, reconcile_inputs};
use crate::config::{Config, Export};
use crate::engine::Status;
use crate::findings::Severity;
use crate::words::plural;
use crate::write::{atomic, export};

/// Run `export`: exit 1 when a submission was rejected (it gives no line).
///
/// # Errors
/// An input that cannot be read, or the CSV that cannot be written.
pub fn run(job: &Export, config: &Config) -> anyhow::Result<ExitCode> {
    let inputs = load_inputs(&job.inputs)?;
    let (_, run) = reconcile_inputs(&inputs, config);
    for r in run.results.iter().filter(|r| r.status() == Status::Rejected) {
        eprintln!(
            "yourchoice: {} was not reconciled ({}), so it gives no line; `yourchoice check {}` lists them",
            r.source,
            plural(r.count(Severity::Error), "error", "errors"),
            r.source
        );
    }
    let csv = export::to_csv(job.kind, &run.results).context("writing the CSV")?;
    match &job.out {
        Some(path) => {
            atomic::write_file(path, &csv, job.force)?;
            eprintln!("Wrote {}", path.display());
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&csv)?;
            out.flush()?;
        }
    }
    Ok(exit_code(&run.results))
}
