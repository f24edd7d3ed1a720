//! `yourchoice reconcile SUBMISSION...`: the monitoring officer's command.
//! Figures on screen (or JSON Lines), a report workbook per submission, and
//! with `--summary` the council's summary of them all; with a ledger, each
//! submission is recorded in it (one transaction each) before its report
//! is written, so the report's Audit sheet says what the ledger did.
//!
//! The figures are printed first and the files written after, so a report
//! that cannot be written (a read-only folder, a file that exists) never
//! costs the officer the figures: each failure is one line naming the file
//! and what to do, and the exit status is then 2.

use std::io::Write;

use anyhow::Context;
use rayon::prelude::*;

use super::inputs::{Input, load_inputs, reconcile_inputs};
use super::{Outcome, print_all, stdout};
use crate::base::digest::sha256_hex;
use crate::cli::config::{Config, LedgerUse, Reconcile};
use crate::engine::ledger::{
    Admission, COUNCIL_SETTINGS, Candidate, CouncilFile, Fingerprint, add_referred_again, admit_among,
    confirm_settings, council_files_changed, decisions_applied, decisions_for_any_period, fingerprint,
    undecided,
};
use crate::engine::{Reconciliation, Run, Status};
use crate::model::Submission;
use crate::model::findings::Code;
use crate::store::{Ledger, NewVersion};
use crate::write::{self, atomic, report};

/// Run `reconcile`: read and reconcile every input, show the figures,
/// record each return in the ledger (when one is given), then write the
/// reports and the summary.
///
/// # Errors
/// An input that cannot be read, the ledger that cannot be opened, or
/// output that cannot be printed.
pub fn run(job: &Reconcile, config: &Config) -> anyhow::Result<Outcome> {
    let inputs = load_inputs(&job.inputs)?;
    let mut book = job
        .ledger
        .as_ref()
        .map(|l| Ledger::open(&l.path, job.new_ledger))
        .transpose()?;
    let (submissions, mut run) = reconcile_inputs(&inputs, config);
    // What makes a run the same as one recorded: taken before the ledger
    // adds its own findings, which depend on what else it holds.
    let candidates: Vec<Option<Candidate>> = match &book {
        Some(_) => run
            .results
            .iter()
            .zip(&inputs)
            .map(|(r, input)| candidate(r, input))
            .collect::<anyhow::Result<_>>()?,
        None => Vec::new(),
    };
    if let Some(book) = &book {
        for r in run.results.iter_mut() {
            if let (Status::Reconciled, Some(p)) = (r.status(), &r.period) {
                let before = book.referred_before(p.period.start)?;
                add_referred_again(r, &before);
            }
        }
    }
    show(job, config, &run)?;

    let (refused, ledger_rows) = match (book.as_mut(), &job.ledger) {
        (Some(book), Some(using)) => record_all(book, using, job, config, &run, &inputs, &candidates)?,
        _ => (false, vec![Vec::new(); run.results.len()]),
    };
    let failed = !write_outputs(job, config, &run, &inputs, &submissions, ledger_rows);
    Ok(if failed {
        Outcome::NotWritten
    } else if refused {
        Outcome::Refused
    } else {
        Outcome::of(&run.results)
    })
}

/// The figures on screen: a table per submission (and the run's totals), or
/// one JSON line each.
fn show(job: &Reconcile, config: &Config, run: &Run) -> anyhow::Result<()> {
    if job.json {
        // JSON has no styles to strip: straight to stdout, buffered.
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        print_all(&mut out, &run.results, true, |_, r| {
            write::json::to_line(r).context("writing JSON")
        })?;
    } else {
        let mut out = stdout(config);
        print_all(&mut out, &run.results, false, |_, r| {
            Ok(write::table::render(r, job.show, config.width))
        })?;
        if run.results.len() > 1 {
            write!(out, "\n{}", write::table::render_run(&run.totals, config.width))?;
        }
        out.flush()?;
    }
    Ok(())
}

/// The Audit sheet's ledger rows of each submission.
type LedgerRows = Vec<Vec<(&'static str, String)>>;

/// Record each return in the ledger, saying what happened to it; whether
/// any was refused, and each one's rows for its report's Audit sheet.
fn record_all(
    book: &mut Ledger,
    using: &LedgerUse,
    job: &Reconcile,
    config: &Config,
    run: &Run,
    inputs: &[Input],
    candidates: &[Option<Candidate>],
) -> anyhow::Result<(bool, LedgerRows)> {
    let mut refused = false;
    let mut ledger_rows: LedgerRows = vec![Vec::new(); run.results.len()];
    for (i, (r, candidate)) in run.results.iter().zip(candidates).enumerate() {
        let Some(candidate) = candidate else {
            eprintln!("Ledger: {} was not recorded: {}.", r.source, unrecordable(r));
            continue;
        };
        let (admission, files_changed) =
            record(book, using, job, r, &inputs[i], candidate, &config.settings.files)?;
        let reason = job.resubmission.as_deref();
        match write::ledger::outcome(
            &r.source,
            &candidate.provider_reference,
            candidate.period_start,
            &admission,
            reason,
        ) {
            Ok(line) => eprintln!("{line}"),
            Err(line) => {
                refused = true;
                eprintln!("{line}");
            }
        }
        for note in write::ledger::notes(r, &admission, reason.is_some()) {
            eprintln!("{note}");
        }
        if files_changed && let Admission::Already(old) = &admission {
            eprintln!("{}", write::ledger::same_under_changed_files(&r.source, old));
        }
        ledger_rows[i] = write::ledger::audit_rows(
            &using.path,
            &candidate.provider_reference,
            candidate.period_start,
            &admission,
            reason,
            &using.officer,
        );
        // The chain's head with this return recorded: an anchor outside the
        // ledger for `yourchoice ledger verify --head`.
        ledger_rows[i].push(("Ledger head", book.head()?));
    }
    Ok((refused, ledger_rows))
}

/// Write each input's report (several at once, one per core) and the
/// summary, then say what was written in input order; `false` when any
/// could not be written (the figures are on screen already).
fn write_outputs(
    job: &Reconcile,
    config: &Config,
    run: &Run,
    inputs: &[Input],
    submissions: &[Submission],
    ledger_rows: LedgerRows,
) -> bool {
    let mut failed = false;
    let several = job.reports.len() > 1;
    let mut wrote = |what: &str, path: &std::path::Path, result: Result<(), NotWritten>| match result {
        Ok(()) => eprintln!("{what}: {}", path.display()),
        Err(e) => {
            failed = true;
            eprintln!(
                "yourchoice: {}. {}",
                e.why.trim_end_matches(['.', ';', ' ']),
                e.advice.text(what, several)
            );
        }
    };
    let written: Vec<Option<Result<(), NotWritten>>> = inputs
        .par_iter()
        .zip(submissions)
        .zip(run.results.par_iter().zip(&job.reports))
        .zip(ledger_rows)
        .map(|(((input, submission), (result, target)), rows)| {
            // A file that could not be opened at all gets no report: there
            // is nothing in it to show, and its findings are on screen.
            submission
                .opened
                .then(|| write_report(job, config, input, submission, result, target, rows))
        })
        .collect();
    for ((result, target), input) in written.into_iter().zip(&job.reports).zip(inputs) {
        match result {
            Some(result) => wrote("Report", target, result),
            // Said, so the officer does not look for it.
            None => eprintln!(
                "No report for {}: it could not be opened as a workbook, so there is nothing in it to report (its finding is above).",
                input.name
            ),
        }
    }
    if let Some(path) = &job.summary {
        let written = write::summary::build(run)
            .and_then(|mut wb| wb.save_to_buffer())
            .map_err(|e| NotWritten::built("the summary", e))
            .and_then(|bytes| atomic::write_file(path, &bytes, job.force).map_err(NotWritten::file));
        wrote("Summary", path, written);
    }
    !failed
}

/// Build one report and save it, atomically, at `target`.
fn write_report(
    job: &Reconcile,
    config: &Config,
    input: &Input,
    submission: &Submission,
    result: &Reconciliation,
    target: &std::path::Path,
    rows: Vec<(&'static str, String)>,
) -> Result<(), NotWritten> {
    let audit = report::Audit {
        input_name: &input.name,
        sha256: sha256_hex(&input.bytes),
        settings: &config.settings,
        run_at: chrono::Utc::now(),
        ledger: rows,
    };
    // The report's folder, made if it is missing (as the report's own
    // writing would): the streamed sheets' temporary files go there.
    let folder = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    if let Err(e) = std::fs::create_dir_all(&folder) {
        return Err(NotWritten {
            why: format!(
                "cannot create the folder {}: {}",
                folder.display(),
                crate::base::io_words::folder_why(&e)
            ),
            advice: Advice::Place,
        });
    }
    let what = format!("the report for {}", input.path.display());
    let why = |e: rust_xlsxwriter::XlsxError| NotWritten::built(&what, e);
    // A table longer than a sheet is split over sheets, so the size of a
    // return is never why its report is not written (issue 21).
    let mut wb =
        report::build(submission, result, &audit, Some(&folder), report::excel_rows()).map_err(why)?;
    // Saved straight into the temporary file, not into memory.
    atomic::write_with(target, job.force, |out| wb.save_to_writer(out)).map_err(|e| match e {
        Ok(e) => why(e),
        Err(e) => NotWritten::file(e),
    })
}

/// Why a report or the summary was not written, and what would help.
struct NotWritten {
    why: String,
    advice: Advice,
}

/// What the officer can do about a file that was not written.
enum Advice {
    /// The place is the trouble (no folder, no room, no permission):
    /// another place helps (or no file).
    Place,
    /// The message says what to do itself (a file that exists: `--force`).
    InMessage,
    /// Not the place, nor anything the officer did: the workbook could not
    /// be made of these figures, which is a fault to report.
    Fault,
}

impl Advice {
    /// What follows the reason a file (`Report` or `Summary`) was not
    /// written: that the figures are complete, and the one thing that
    /// helps which the reason has not said already. `several`: the run
    /// has several returns, so reports go in a folder.
    fn text(&self, what: &str, several: bool) -> &'static str {
        match (self, what) {
            (Advice::Place, "Summary") => {
                "The figures above are complete; --summary FILE writes the summary elsewhere, or leave --summary out."
            }
            (Advice::Place, _) if several => {
                "The figures above are complete; -o FOLDER writes the reports elsewhere, --no-report writes none."
            }
            (Advice::Place, _) => {
                "The figures above are complete; -o FILE writes the report elsewhere, --no-report writes none."
            }
            (Advice::InMessage, _) => "The figures above are complete.",
            (Advice::Fault, _) => {
                "The figures above are complete. This is a fault in yourchoice, not in the return or the folder: \
                 please report it with this message; meanwhile --no-report --json gives every figure as data."
            }
        }
    }
}

impl NotWritten {
    /// A file that could not be written where it was to go.
    fn file(e: atomic::WriteError) -> NotWritten {
        let advice = match e {
            atomic::WriteError::Exists(_) => Advice::InMessage,
            atomic::WriteError::Folder { .. } | atomic::WriteError::Write { .. } => Advice::Place,
        };
        NotWritten {
            why: e.to_string(),
            advice,
        }
    }

    /// A workbook (`what`) that rust_xlsxwriter could not make or save: a
    /// file it could not write or zip (its temporary files go in the
    /// output's folder) is the place's trouble; anything else (a limit of
    /// the format the report should have kept within), the tool's.
    fn built(what: &str, e: rust_xlsxwriter::XlsxError) -> NotWritten {
        use crate::base::io_words::{Doing, why, without_code};
        use rust_xlsxwriter::XlsxError;
        let (why, advice) = match &e {
            // The streamed sheets are written to temporary files in the
            // output's folder first: the folder is the trouble.
            XlsxError::TempFileError(folder, io) => (
                format!(
                    "cannot write {what}: the folder {} does not take new files (the report is put together there first): {}",
                    folder.display(),
                    match io.kind() {
                        std::io::ErrorKind::NotFound => "choose a folder of your own".to_string(),
                        _ => why(io, Doing::Writing),
                    }
                ),
                Advice::Place,
            ),
            XlsxError::IoError(io) => (
                format!("cannot write {what}: {}", why(io, Doing::Writing)),
                Advice::Place,
            ),
            XlsxError::ZipError(_) => (
                format!("cannot write {what}: {}", without_code(&e.to_string())),
                Advice::Place,
            ),
            _ => (
                format!("cannot build {what}: {}", without_code(&e.to_string())),
                Advice::Fault,
            ),
        };
        NotWritten { why, advice }
    }
}

/// Why a result cannot go in the ledger, which keys each return by its
/// provider and period.
fn unrecordable(r: &Reconciliation) -> &'static str {
    if r.findings.iter().any(|f| f.code == Code::DuplicateSubmission) {
        "it is one of two returns of its provider for the same weeks in this run"
    } else if r.provider.as_ref().and_then(|p| p.reference.as_ref()).is_none() {
        "no provider reference could be read from it"
    } else {
        "no period could be read from it"
    }
}

/// The ledger's key and fingerprint of a result; `None` when it has no
/// provider reference or period, or is a duplicate in this run.
pub(super) fn candidate(r: &Reconciliation, input: &Input) -> anyhow::Result<Option<Candidate>> {
    let reference = r.reference_key();
    let (Some(reference), Some(period)) = (reference, &r.period) else {
        return Ok(None);
    };
    if r.findings.iter().any(|f| f.code == Code::DuplicateSubmission) {
        return Ok(None);
    }
    let file_sha256 = sha256_hex(&input.bytes);
    let mut bare = r.clone();
    bare.source.clear();
    for f in &mut bare.findings {
        f.message.clear();
    }
    for d in bare
        .people
        .iter_mut()
        .filter_map(|p| p.settlement.as_mut()?.decision.as_mut())
    {
        d.source.clear();
    }
    // The fingerprint an earlier version of the tool recorded (over the
    // JSON document), so a return recorded then is still recognised.
    let json = write::json::to_line(&bare).context("writing JSON")?;
    let fingerprint = Fingerprint {
        current: fingerprint(r, &file_sha256),
        legacy: Some(sha256_hex(format!("{file_sha256}\n{json}").as_bytes())),
    };
    Ok(Some(Candidate {
        provider_reference: reference,
        period_start: period.period.start,
        period_end: period.end(),
        file_sha256,
        fingerprint,
        reconciled: r.status() == Status::Reconciled,
        decisions: decisions_applied(r),
        any_period: decisions_for_any_period(r),
        undecided: undecided(r),
    }))
}

/// Decide and record one submission in one transaction; and whether the
/// council's files differ from those the current version was recorded
/// with.
fn record(
    book: &mut Ledger,
    using: &LedgerUse,
    job: &Reconcile,
    r: &Reconciliation,
    input: &Input,
    candidate: &Candidate,
    files: &[crate::model::settings::SettingsFile],
) -> anyhow::Result<(Admission, bool)> {
    let tx = book.begin()?;
    let current = tx.current(&candidate.provider_reference, candidate.period_start)?;
    let overlapping = tx.overlapping(
        &candidate.provider_reference,
        candidate.period_start,
        candidate.period_end,
    )?;
    let others = tx.other_periods(&candidate.provider_reference, candidate.period_start)?;
    let admission = admit_among(
        current.as_ref(),
        overlapping.as_ref(),
        &others,
        candidate,
        job.resubmission.is_some(),
    );
    // Recorded under other council files than this run's: the same figures
    // now are recorded as checked when a reason is given (issue 25).
    let files_changed = match &current {
        // Checked against nothing, a return is not checked: without
        // council.toml no version is recorded for the same figures.
        Some(c) if files.iter().any(|f| f.role == COUNCIL_SETTINGS) => {
            let now = council_files(files);
            let then = tx
                .council_files(c.period_start)?
                .remove(&c.id)
                .unwrap_or_default();
            !council_files_changed(&then, &now).is_empty()
        }
        _ => false,
    };
    let admission = confirm_settings(admission, files_changed, job.resubmission.is_some());
    if let Admission::Record {
        version,
        change,
        supersedes,
    } = &admission
    {
        let json = write::json::to_line(r).context("writing JSON")?;
        tx.insert_version(&NewVersion {
            candidate,
            version: *version,
            change: *change,
            supersedes: supersedes.as_ref().map(|s| s.id),
            // A settings version keeps the reason too: why the council's
            // files changed (a backdated uplift) is part of its record.
            reason: job.resubmission.as_deref().filter(|_| {
                matches!(
                    change,
                    crate::engine::ledger::Change::Resubmission | crate::engine::ledger::Change::Settings
                )
            }),
            file_name: &input.name,
            result: r,
            json: &json,
            settings_files: files,
            officer: &using.officer,
            at: crate::base::clock::now(),
        })?;
        tx.commit()?;
    }
    Ok((admission, files_changed))
}

/// The council's files of this run, as the ledger's rules compare them.
fn council_files(files: &[crate::model::settings::SettingsFile]) -> Vec<CouncilFile> {
    files
        .iter()
        .map(|f| CouncilFile {
            role: f.role.to_string(),
            path: f.path.clone(),
            sha256: f.sha256.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use rust_xlsxwriter::XlsxError;

    use super::*;

    /// `-o DIR` is advised only when the place is the trouble (issue 21: a
    /// report too large for a sheet was told to choose another place).
    #[test]
    fn only_trouble_with_the_place_advises_another_place() {
        let exists = NotWritten::file(atomic::WriteError::Exists("r.xlsx".into()));
        assert!(exists.why.contains("add --force"));
        assert_eq!(
            exists.advice.text("Report", false),
            "The figures above are complete."
        );
        let limit = NotWritten::built("the report for r.xlsx", XlsxError::RowColumnLimitError);
        assert!(!limit.advice.text("Report", false).contains("-o "));
        assert!(limit.advice.text("Report", false).contains("fault in yourchoice"));
        let io = NotWritten::built(
            "the report for r.xlsx",
            XlsxError::IoError(std::io::Error::from_raw_os_error(28)),
        );
        assert_eq!(
            io.why,
            "cannot write the report for r.xlsx: the disk is full: free some space, or choose another disk"
        );
        // One file: -o FILE; several: -o FOLDER (issue 26).
        assert!(io.advice.text("Report", false).contains("-o FILE"));
        assert!(io.advice.text("Report", true).contains("-o FOLDER"));
        assert!(io.advice.text("Summary", false).contains("--summary FILE"));
        assert!(!io.advice.text("Summary", false).contains("-o "));
        let tmp = NotWritten::built(
            "the report for r.xlsx",
            XlsxError::TempFileError("/proc".into(), std::io::Error::from_raw_os_error(2)),
        );
        assert!(
            !tmp.why.contains("os error") && !tmp.why.contains("Temporary file error"),
            "{}",
            tmp.why
        );
        assert!(
            tmp.why.contains("the folder /proc does not take new files"),
            "{}",
            tmp.why
        );
    }
}
