//! The inputs of a command: every file read into memory before any work
//! starts, then read and reconciled, several at once.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::bail;
use rayon::prelude::*;

use super::{Outcome, stdout};
use crate::base::limits::MAX_FILE_BYTES;
use crate::engine::{self, Reconciliation, Run, Status};
use crate::model::Submission;
use crate::read;
use crate::read::file::{FileProblem, read_regular};

/// One input file, read into memory once (the reader parses it from these
/// bytes; the report's audit sheet hashes them).
pub struct Input {
    pub path: PathBuf,
    /// The file name as findings and outputs show it.
    pub name: String,
    pub bytes: Vec<u8>,
    /// The file's size when it is past [`MAX_FILE_BYTES`]: it was not read.
    pub too_large: Option<u64>,
}

/// Read every input before any work starts, so a missing file fails the run
/// (exit 2) before anything is written.
///
/// # Errors
/// The first input that cannot be read, naming it.
pub fn load_inputs(paths: &[PathBuf]) -> anyhow::Result<Vec<Input>> {
    let names: Vec<String> = paths.iter().map(|p| file_name(p)).collect();
    let mut count: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for name in &names {
        *count.entry(name).or_default() += 1;
    }
    paths
        .iter()
        .zip(&names)
        .map(|(path, name)| {
            // A regular file only: a pipe or device could block the run or
            // never end; one past the cap is not read (a finding says so).
            let (bytes, too_large) = match read_regular(path, MAX_FILE_BYTES) {
                Ok(bytes) => (bytes, None),
                Err(FileProblem::TooLarge { size, .. }) => (Vec::new(), Some(size)),
                Err(why) => bail!("cannot read {}: {why}", path.display()),
            };
            // Two inputs of one name (from two folders) are shown by their
            // paths, so findings and outputs can tell them apart.
            let shared = count.get(name.as_str()).is_some_and(|n| *n > 1);
            Ok(Input {
                path: path.clone(),
                name: if shared {
                    path.display().to_string()
                } else {
                    name.clone()
                },
                bytes,
                too_large,
            })
        })
        .collect()
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Read every input and reconcile them together (duplicates refused,
/// decisions applied); the submissions as read come back too, for the
/// reports. The run's own findings (a decision for a provider not given)
/// are printed on stderr here, one line each.
pub fn reconcile_inputs(inputs: &[Input], config: &crate::cli::config::Config) -> (Vec<Submission>, Run) {
    // Each input is read and reconciled on its own, several at once (one
    // per core); the checks across them come after, in input order.
    let (submissions, results): (Vec<Submission>, Vec<engine::Reconciliation>) = inputs
        .par_iter()
        .map(|input| {
            let (submission, findings) = match input.too_large {
                Some(size) => read::refused(&input.name, read::too_large(&input.name, size)),
                None => read::read_submission(&input.name, &input.bytes, &config.settings),
            };
            let result = engine::reconcile(&submission, findings, &config.settings);
            (submission, result)
        })
        .unzip();
    let run = engine::run::combine(results, &config.settings);
    if !run.findings.is_empty() {
        let mut err = anstream::AutoStream::new(std::io::stderr().lock(), config.color);
        for f in &run.findings {
            let _ = writeln!(err, "{}", crate::write::phrases::finding_line(f));
        }
    }
    (submissions, run)
}

/// Reconcile the one submission a single-file command works on (with the
/// settings and decisions in force). `Err(code)` when it was rejected: its
/// findings and `why` have been printed, and `code` is the exit status.
///
/// # Errors
/// The input cannot be read, or output cannot be printed.
pub fn reconcile_one(
    input: &Input,
    config: &crate::cli::config::Config,
    why: &str,
) -> anyhow::Result<Result<Reconciliation, Outcome>> {
    let (_, run) = reconcile_inputs(std::slice::from_ref(input), config);
    let Some(r) = run.results.into_iter().next() else {
        anyhow::bail!("nothing was read from {}", input.path.display());
    };
    if r.status() == Status::Rejected {
        let mut out = stdout(config);
        write!(
            out,
            "{}",
            crate::write::check::render(&r, crate::write::Show::default(), config.width)
        )?;
        writeln!(out, "{} was not reconciled, so {why}.", r.source)?;
        out.flush()?;
        return Ok(Err(Outcome::Refused));
    }
    Ok(Ok(r))
}
