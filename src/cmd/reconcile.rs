//! `yourchoice reconcile SUBMISSION...`: the monitoring officer's command.
//! Figures on screen (or JSON Lines), a report workbook per submission, and
//! with `--summary` the council's summary of them all.

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
/// An input that cannot be read, a report that cannot be written, or output
/// that cannot be printed.
pub fn run(job: &Reconcile, config: &Config) -> anyhow::Result<ExitCode> {
    let inputs = load_inputs(&job.inputs)?;
    if let Some(dir) = &job.report_folder {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the folder {}", dir.display()))?;
    }
    let (submissions, run) = reconcile_inputs(&inputs, config);
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
        let bytes = report::build(submission, result, &audit)
            .and_then(|mut wb| wb.save_to_buffer())
            .with_context(|| format!("cannot build the report for {}", input.path.display()))?;
        atomic::write_file(target, &bytes)?;
    }
    if let Some(path) = &job.summary {
        let bytes = write::summary::build(&run)
            .and_then(|mut wb| wb.save_to_buffer())
            .context("cannot build the summary")?;
        atomic::write_file(path, &bytes)?;
    }

    let mut out = stdout(config);
    print_all(&mut out, &run.results, job.json, |i, r| {
        if job.json {
            return write::json::to_line(r).context("writing JSON");
        }
        let mut text = write::table::render(r);
        if let Some(target) = job.reports.get(i) {
            text.push_str(&format!("\nReport: {}\n", target.display()));
        }
        Ok(text)
    })?;
    if run.results.len() > 1 && !job.json {
        write!(out, "\n{}", write::table::render_run(&run.totals))?;
        out.flush()?;
    }
    if let (Some(path), false) = (&job.summary, job.json) {
        eprintln!("Summary: {}", path.display());
    }
    Ok(exit_code(&run.results))
}
