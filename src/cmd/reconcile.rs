//! `yourchoice reconcile SUBMISSION...`: the monitoring officer's command.
//! Figures on screen (or JSON Lines), and a report workbook per submission.

use std::process::ExitCode;

use anyhow::Context;
use sha2::{Digest, Sha256};

use super::{exit_code, load_inputs, print_all, reconcile_input, stdout};
use crate::config::{Config, Reconcile};
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
    let mut results = Vec::with_capacity(inputs.len());
    for (i, input) in inputs.iter().enumerate() {
        let (submission, result) = reconcile_input(input, &config.settings);
        if let Some(target) = job.reports.get(i) {
            let audit = report::Audit {
                input_name: &input.name,
                sha256: sha256_hex(&input.bytes),
                settings: &config.settings,
                run_at: chrono::Utc::now(),
            };
            let bytes = report::build(&submission, &result, &audit)
                .and_then(|mut wb| wb.save_to_buffer())
                .with_context(|| format!("cannot build the report for {}", input.path.display()))?;
            atomic::write_file(target, &bytes)?;
        }
        results.push(result);
    }

    print_all(&mut stdout(config), &results, job.json, |i, r| {
        if job.json {
            return write::json::to_line(r).context("writing JSON");
        }
        let mut text = write::table::render(r);
        if let Some(target) = job.reports.get(i) {
            text.push_str(&format!("\nReport: {}\n", target.display()));
        }
        Ok(text)
    })?;
    Ok(exit_code(&results))
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}
