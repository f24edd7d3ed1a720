//! `yourchoice reconcile SUBMISSION...`: the monitoring officer's command.
//! Figures on screen (or JSON Lines), a report workbook per submission, and
//! with `--summary` the council's summary of them all.
//!
//! The figures are printed first and the files written after, so a report
//! that cannot be written (a read-only folder, a file that exists) never
//! costs the officer the figures: each failure is one line naming the file
//! and what to do, and the exit status is then 2.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;

use super::{exit_code, load_inputs, print_all, reconcile_inputs, stdout};
use crate::config::{Config, Reconcile};
use crate::read::sha256_hex;
use crate::write::{self, atomic, report};

/// Run `reconcile`.
///
/// # Errors
/// An input that cannot be read, or output that cannot be printed.
pub fn run(job: &Reconcile, config: &Config) -> anyhow::Result<ExitCode> {
    let inputs = load_inputs(&job.inputs)?;
    let (submissions, run) = reconcile_inputs(&inputs, config);

    let mut out = stdout(config);
    print_all(&mut out, &run.results, job.json, |_, r| {
        if job.json {
            write::json::to_line(r).context("writing JSON")
        } else {
            Ok(write::table::render(r, job.show, config.width))
        }
    })?;
    if run.results.len() > 1 && !job.json {
        write!(out, "\n{}", write::table::render_run(&run.totals))?;
    }
    out.flush()?;

    let mut failed = false;
    let mut wrote = |what: &str, path: &std::path::Path, result: Result<(), String>| match result {
        Ok(()) => eprintln!("{what}: {}", path.display()),
        Err(why) => {
            failed = true;
            eprintln!(
                "yourchoice: {why}; the figures above are complete. Choose another place with -o DIR, or use --no-report."
            );
        }
    };
    for ((input, submission), (result, target)) in inputs
        .iter()
        .zip(&submissions)
        .zip(run.results.iter().zip(&job.reports))
    {
        // A file that could not be opened at all gets no report: there is
        // nothing in it to show, and its findings are on screen.
        if !submission.opened {
            continue;
        }
        let audit = report::Audit {
            input_name: &input.name,
            sha256: sha256_hex(&input.bytes),
            settings: &config.settings,
            run_at: chrono::Utc::now(),
        };
        let written = report::build(submission, result, &audit)
            .and_then(|mut wb| wb.save_to_buffer())
            .map_err(|e| format!("cannot build the report for {}: {e}", input.path.display()))
            .and_then(|bytes| atomic::write_file(target, &bytes, job.force).map_err(|e| e.to_string()));
        wrote("Report", target, written);
    }
    if let Some(path) = &job.summary {
        let written = write::summary::build(&run)
            .and_then(|mut wb| wb.save_to_buffer())
            .map_err(|e| format!("cannot build the summary: {e}"))
            .and_then(|bytes| atomic::write_file(path, &bytes, job.force).map_err(|e| e.to_string()));
        wrote("Summary", path, written);
    }
    if failed {
        return Ok(ExitCode::from(2));
    }
    Ok(exit_code(&run.results))
}
