//! `yourchoice export KIND ...`: finance's CSV (SPEC 8.4), on stdout or
//! written atomically to `-o`. From the returns given (reconciled now), or
//! with a ledger from the current versions it holds for a period, exporting
//! only what no earlier export did, and recording the export.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use chrono::NaiveDate;

use super::{exit_code, load_inputs, reconcile_inputs};
use crate::config::{Config, Export, ExportFrom, LedgerUse};
use crate::engine::Status;
use crate::engine::ledger::pay_run;
use crate::findings::Severity;
use crate::ledger::{self, Ledger, NewExport};
use crate::words::{date, plural, pounds, printable};
use crate::write::export::{kind_name, ledger_csv, ledger_lines, ledger_total, stream};
use crate::write::ledger::when;
use crate::write::{atomic, export};

/// Run `export`: exit 1 when a submission was rejected (it gives no line),
/// or, from a ledger, when there is nothing new to export.
///
/// # Errors
/// An input or the ledger that cannot be read, or the CSV that cannot be
/// written.
pub fn run(job: &Export, config: &Config) -> anyhow::Result<ExitCode> {
    match &job.from {
        ExportFrom::Returns(paths) => from_returns(job, paths, config),
        ExportFrom::Ledger {
            ledger,
            period,
            again,
        } => from_ledger(job, ledger, *period, *again),
    }
}

fn from_returns(job: &Export, paths: &[std::path::PathBuf], config: &Config) -> anyhow::Result<ExitCode> {
    let inputs = load_inputs(paths)?;
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
    deliver(job, &csv, || Ok(()))?;
    Ok(exit_code(&run.results))
}

/// Write the CSV to `-o` (prepared, then `commit`, then renamed into place)
/// or to stdout (after `commit`): a file finance may pay from never exists
/// without its record in the ledger.
fn deliver(job: &Export, csv: &[u8], commit: impl FnOnce() -> anyhow::Result<()>) -> anyhow::Result<()> {
    match &job.out {
        Some(path) => {
            let prepared = atomic::prepare(path, csv, job.force)?;
            commit()?;
            prepared.persist()?;
            eprintln!("Wrote {}", path.display());
        }
        None => {
            commit()?;
            let mut out = std::io::stdout().lock();
            out.write_all(csv)?;
            out.flush()?;
        }
    }
    Ok(())
}

fn from_ledger(job: &Export, using: &LedgerUse, period: NaiveDate, again: bool) -> anyhow::Result<ExitCode> {
    let mut book = Ledger::open(&using.path, false)?;
    let path = book.path().to_path_buf();
    let failed = |e: rusqlite::Error| ledger::LedgerError::Sqlite {
        path: path.clone(),
        why: e.to_string(),
    };
    let kind = kind_name(job.kind);
    let tx = book.begin()?;
    let versions = ledger::versions(&tx, period).map_err(failed)?;
    if versions.is_empty() {
        eprintln!(
            "yourchoice: the ledger {} holds no return for the period from {}: reconcile the returns with --ledger first",
            path.display(),
            date(period)
        );
        return Ok(ExitCode::from(1));
    }
    for v in versions.iter().filter(|v| !v.recorded.reconciled) {
        eprintln!(
            "yourchoice: {}'s return ({}) was not reconciled, so it gives no line; `yourchoice check {}` lists its errors",
            v.recorded.provider_reference,
            printable(&v.recorded.file_name),
            printable(&v.recorded.file_name)
        );
    }
    let exported = ledger::exported_parts(&tx, stream(job.kind), period).map_err(failed)?;
    let run = pay_run(stream(job.kind), &versions, &exported);
    let lines = ledger_lines(job.kind, &run);
    let last = ledger::last_export(&tx, kind, period).map_err(failed)?;
    let (csv, repeat_of, line_count, total) = if lines.is_empty() {
        match (again, &last) {
            (true, Some(last)) => (last.csv.clone(), Some(last.id), last.lines as usize, last.total),
            (false, Some(last)) => {
                eprintln!(
                    "yourchoice: nothing new to export: the {kind} of the period from {} were exported on {} by {} (export {}: {}, {}{}). Give --again to export those lines again (recorded as a repeat).",
                    date(period),
                    when(last.exported_at),
                    last.officer,
                    last.id,
                    plural(last.lines as usize, "line", "lines"),
                    pounds(last.total),
                    last.file
                        .as_ref()
                        .map(|f| format!(", to {f}"))
                        .unwrap_or_default()
                );
                return Ok(ExitCode::from(1));
            }
            (_, None) => {
                eprintln!(
                    "yourchoice: nothing to export: no {kind} line is due for the period from {} in the ledger {}",
                    date(period),
                    path.display()
                );
                return Ok(ExitCode::from(1));
            }
        }
    } else {
        if again {
            eprintln!("yourchoice: --again is not needed: there are new lines, and only they are exported");
        }
        let csv = ledger_csv(job.kind, &lines).context("writing the CSV")?;
        (csv, None, lines.len(), ledger_total(job.kind, &lines))
    };
    let none = Vec::new();
    let recorded_lines = if repeat_of.is_some() { &none } else { &lines };
    let owned: Vec<_> = recorded_lines.iter().map(|l| (*l).clone()).collect();
    let file = job.out.as_ref().map(|p| p.display().to_string());
    let id = ledger::insert_export(
        &tx,
        &NewExport {
            kind,
            stream: stream(job.kind),
            period_start: period,
            repeat_of,
            lines: &owned,
            line_count,
            total,
            file: file.as_deref(),
            csv: &csv,
            officer: &using.officer,
            at: chrono::Utc::now(),
        },
    )
    .map_err(failed)?;
    deliver(job, &csv, || tx.commit().map_err(|e| failed(e).into()))?;
    eprintln!(
        "Ledger: recorded export {id} of the {kind} for the period from {}: {}, {}, by {}{}.",
        date(period),
        plural(line_count, "line", "lines"),
        pounds(total),
        using.officer,
        repeat_of
            .map(|r| format!("; a repeat of export {r}, which pays nothing new"))
            .unwrap_or_default()
    );
    Ok(ExitCode::SUCCESS)
}
