//! `yourchoice reconcile SUBMISSION...`: the monitoring officer's command.
//! Figures on screen (or JSON Lines), and a report workbook per submission.

use std::collections::HashSet;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use sha2::{Digest, Sha256};

use super::{Input, load_inputs, reconcile_input};
use crate::cli::ReconcileArgs;
use crate::engine::{Settings, Status};
use crate::write::{self, atomic, report};

/// Run `reconcile`.
///
/// # Errors
/// An input that cannot be read, a report that cannot be written, or output
/// that cannot be printed.
pub fn run(args: &ReconcileArgs) -> anyhow::Result<ExitCode> {
    let settings = Settings::default();
    let inputs: Vec<Input> = load_inputs(&args.inputs)?;
    let targets = if args.no_report {
        Vec::new()
    } else {
        report_paths(&inputs, args.out.as_deref())?
    };

    let mut results = Vec::with_capacity(inputs.len());
    for (i, input) in inputs.iter().enumerate() {
        let (submission, result) = reconcile_input(input, &settings);
        if let Some(target) = targets.get(i) {
            let audit = report::Audit {
                input_name: &input.name,
                sha256: sha256_hex(&input.bytes),
                settings: &settings,
                run_at: chrono::Utc::now(),
            };
            let bytes = report::build(&submission, &result, &audit)
                .and_then(|mut wb| wb.save_to_buffer())
                .with_context(|| format!("cannot build the report for {}", input.path.display()))?;
            atomic::write_file(target, &bytes)?;
        }
        results.push(result);
    }

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
            if let Some(target) = targets.get(i) {
                writeln!(out, "\nReport: {}", target.display())?;
            }
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

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// `NAME.report.xlsx` for input `NAME.xlsx`.
fn report_name(input: &Path) -> String {
    let stem = input
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "submission".into());
    format!("{stem}.report.xlsx")
}

/// Where each input's report goes: beside the input by default; `-o FILE`
/// for one input; `-o FOLDER` (created if need be) for several. Refuses to
/// write over an input or to give two inputs the same report.
fn report_paths(inputs: &[Input], out: Option<&Path>) -> anyhow::Result<Vec<PathBuf>> {
    let several = inputs.len() > 1;
    if let Some(dir) = out.filter(|_| several) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the folder {}", dir.display()))?;
    }
    let mut seen = HashSet::new();
    let mut paths = Vec::with_capacity(inputs.len());
    for input in inputs {
        let target = match out {
            Some(dir) if several || dir.is_dir() => dir.join(report_name(&input.path)),
            Some(file) => file.to_path_buf(),
            None => input.path.with_file_name(report_name(&input.path)),
        };
        if inputs.iter().any(|i| same_file(&i.path, &target)) {
            bail!(
                "refusing to write the report over the input {}: choose another path with -o",
                target.display()
            );
        }
        if !seen.insert(target.clone()) {
            bail!(
                "two submissions would both write the report {}: give them different names or separate -o folders",
                target.display()
            );
        }
        paths.push(target);
    }
    Ok(paths)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}
