//! One module per command: each resolves its arguments, runs
//! reader -> engine -> writers, and returns the exit code.

pub mod check;
pub mod reconcile;
pub mod template;

use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::engine::{self, Reconciliation, Settings};
use crate::model::Submission;
use crate::read::{self, ReadOptions};

/// One input file, read into memory once (the reader parses it from these
/// bytes; the report's audit sheet hashes them).
pub struct Input {
    pub path: PathBuf,
    /// The file name as findings and outputs show it.
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Read every input before any work starts, so a missing file fails the run
/// (exit 2) before anything is written.
///
/// # Errors
/// The first input that cannot be read, naming it.
pub fn load_inputs(paths: &[PathBuf]) -> anyhow::Result<Vec<Input>> {
    paths
        .iter()
        .map(|path| {
            let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
            Ok(Input {
                path: path.clone(),
                name: file_name(path),
                bytes,
            })
        })
        .collect()
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Read and reconcile one input; the submission as read comes back too, for
/// the report.
pub fn reconcile_input(input: &Input, settings: &Settings) -> (Submission, Reconciliation) {
    let options = ReadOptions {
        period_weeks: settings.period_weeks,
    };
    let (submission, findings) = read::read_submission(&input.name, &input.bytes, options);
    let result = engine::reconcile(&submission, findings, settings);
    (submission, result)
}
