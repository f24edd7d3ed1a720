//! `yourchoice export KIND ...`: finance's CSV (SPEC 8.4), on stdout or
//! written atomically to `-o`. From the returns given (reconciled now), or
//! with a ledger from the current versions it holds for a period, exporting
//! only what no earlier export did, and recording the export.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use chrono::NaiveDate;

use super::Outcome;
use super::inputs::{load_inputs, reconcile_inputs};
use crate::base::text::{date, plural, pounds, printable};
use crate::cli::config::{Again, Config, Export, ExportFrom, LedgerUse};
use crate::engine::Status;
use crate::engine::ledger::{PayLine, pay_run};
use crate::model::export::{ExportKind, Stream};
use crate::model::findings::{Code, Severity};
use crate::store::{Ledger, NewExport, Tx};
use crate::write::export::{
    Frame, canonical_csv, export_reference, from_ledger as ledger_canonical, ledger_lines, ledger_total,
    read_canonical, render, with_ledger_head,
};
use crate::write::ledger::when;
use crate::write::{atomic, export};

/// Run `export`: exit 1 when a submission was rejected (it gives no line),
/// or, from a ledger, when there is nothing new to export.
///
/// # Errors
/// An input or the ledger that cannot be read, or the CSV that cannot be
/// written.
pub fn run(job: &Export, config: &Config) -> anyhow::Result<Outcome> {
    match &job.from {
        ExportFrom::Returns(paths) => from_returns(job, paths, config),
        ExportFrom::Ledger {
            ledger,
            period,
            again,
        } => from_ledger(job, ledger, *period, *again, config),
    }
}

fn from_returns(job: &Export, paths: &[std::path::PathBuf], config: &Config) -> anyhow::Result<Outcome> {
    let inputs = load_inputs(paths)?;
    let (_, run) = reconcile_inputs(&inputs, config);
    // Each rejected return, once, with what to do: a return refused only
    // because another of the run is for the same provider and weeks checks
    // clean on its own, so `check` would not help: give one of them.
    let mut said: Vec<&str> = Vec::new();
    for r in run.results.iter().filter(|r| r.status() == Status::Rejected) {
        let errors: Vec<_> = r
            .findings
            .iter()
            .filter(|f| f.severity() == Severity::Error)
            .collect();
        if errors.iter().all(|f| f.code == Code::DuplicateSubmission) {
            if said.iter().any(|s| errors.iter().any(|f| f.message.contains(s))) {
                continue;
            }
            said.push(&r.source);
            eprintln!(
                "yourchoice: no line for {} or the other returns for the same weeks: {}",
                r.source,
                errors
                    .first()
                    .map_or_else(String::new, |f| f.message.replace("run again", "export again"))
            );
            continue;
        }
        eprintln!(
            "yourchoice: {} was not reconciled ({}), so it gives no line; `yourchoice check {}` lists them",
            r.source,
            plural(r.count(Severity::Error), "error", "errors"),
            r.source
        );
    }
    let frame = frame(job, config);
    let lines = export::from_returns(&frame, &run.results);
    let csv = render(&job.profile, job.kind, &lines, "").context("writing the CSV")?;
    say_missing_codes(job, &lines);
    say_credit_notes(job, &lines);
    deliver(job, &csv, || Ok(()))?;
    say_recoveries(job, config);
    // Money from files is not on record: the same returns give the same
    // lines every time, and nothing here stops a second payment.
    if job.kind != ExportKind::Referrals {
        eprintln!(
            "yourchoice: nothing was recorded: exported from the returns, these lines come out the same every time, so nothing stops them being paid twice. To export each line once, keep a ledger: `yourchoice reconcile RETURNS --council council.toml --ledger ledger.db --new-ledger`, then `yourchoice export {} --ledger ledger.db --period START`",
            job.kind.name()
        );
    }
    Ok(Outcome::of(&run.results))
}

/// What the lines are drawn under: the kind, the council's settings and
/// the invoice date.
fn frame<'a>(job: &Export, config: &'a Config) -> Frame<'a> {
    Frame {
        kind: job.kind,
        settings: &config.settings,
        date: job.date,
    }
}

/// Where the council nets recoveries against payments, an invoices export
/// is empty by design: say so, so finance does not look for a lost file.
fn say_recoveries(job: &Export, config: &Config) {
    if job.kind == ExportKind::Invoices
        && config.settings.export.recoveries == crate::model::export::Recoveries::CreditNote
    {
        eprintln!(
            "yourchoice: the council's recoveries are credit notes (recoveries = \"credit-note\" in council.toml's [export]): they are in the payments export, netted against each provider's next payment, so there are no invoices"
        );
    }
}

/// Say which providers' lines lack a code the profile lays out: a finance
/// system that codes every line refuses them.
fn say_missing_codes(job: &Export, lines: &[export::Line]) {
    for (provider, headers) in export::missing_codes(&job.profile, lines) {
        eprintln!(
            "yourchoice: {provider}'s lines have no {} for the profile {}: the finance system may refuse them; give the codes under its [[provider]] in council.toml (or the council's default under [export])",
            headers.join(", "),
            job.profile.name
        );
    }
}

/// Credit notes in a payments file are netted by the payables system, not
/// paid: say so, so a BACS run does not pay their amounts.
fn say_credit_notes(job: &Export, lines: &[export::Line]) {
    let credits = export::credit_notes(lines);
    if job.kind == ExportKind::Payments && credits > 0 {
        let (lines, are, note) = if credits == 1 {
            ("1 line in the payments is", "a credit note", "a negative amount")
        } else {
            ("lines in the payments are", "credit notes", "negative amounts")
        };
        eprintln!(
            "yourchoice: {}{lines} {are} (type CREDIT, {note}), recovered from the provider's next payment: load the file into the payables system, which nets them; never pay the file's lines by BACS one by one",
            if credits == 1 {
                String::new()
            } else {
                format!("{credits} ")
            }
        );
    }
}

/// Write the CSV to `-o` (prepared, then `commit`, then renamed into place)
/// or to stdout (after `commit`): a file finance may pay from never exists
/// without its record in the ledger.
fn deliver(job: &Export, csv: &[u8], commit: impl FnOnce() -> anyhow::Result<()>) -> anyhow::Result<()> {
    match &job.out {
        Some(path) => {
            // The file is checked and begun (empty) before the commit, and
            // holds the lines (with the export's reference) only after it: a
            // run killed before the commit leaves no file finance could pay
            // from under a reference the ledger never recorded; one killed
            // after it leaves the export on record, and `--again` writes it.
            let reserved = atomic::reserve(path, job.force)?;
            commit()?;
            reserved.fill_and_persist(csv)?;
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

/// `2 lines, £553.18` (a referrals list has no total worth stating).
fn lines_and_total(kind: ExportKind, lines: usize, total: rust_decimal::Decimal) -> String {
    let lines = plural(lines, "line", "lines");
    if kind == ExportKind::Referrals {
        lines
    } else {
        format!("{lines}, {}", pounds(total))
    }
}

/// What an export writes and records: the lines drawn now, or a repeat of
/// an earlier export's.
struct Drawn<'a> {
    /// The lines as recorded, their `Ledger head` column blank.
    csv: Vec<u8>,
    /// The head the file carries, where it is known before this export is
    /// linked (a repeat: its original's link).
    head: Option<String>,
    repeat_of: Option<i64>,
    line_count: usize,
    total: rust_decimal::Decimal,
    /// The lines recorded as paid by this export (none for a repeat).
    recorded: Vec<PayLine<'a>>,
}

/// Export from the ledger: what the period's current versions still owe
/// (or, with `--again`, an earlier export's lines), recorded in the same
/// transaction as the file is delivered.
fn from_ledger(
    job: &Export,
    using: &LedgerUse,
    period: NaiveDate,
    again: Option<Again>,
    config: &Config,
) -> anyhow::Result<Outcome> {
    let frame = frame(job, config);
    let mut book = Ledger::open(&using.path, false)?;
    let kind = job.kind.name();
    let path = book.path().to_path_buf();
    let tx = book.begin()?;
    let versions = tx.versions(period)?;
    if versions.is_empty() {
        say_no_return(&tx, &path, period)?;
        return Ok(Outcome::Refused);
    }
    for v in versions.iter().filter(|v| !v.recorded.reconciled) {
        eprintln!(
            "yourchoice: {}'s return ({}) was not reconciled, so it gives no line; `yourchoice check {}` lists its errors",
            v.recorded.provider_reference,
            printable(&v.recorded.file_name),
            printable(&v.recorded.file_name)
        );
    }
    let exported = tx.exported_parts(job.kind.stream(), period)?;
    // What was paid: a held, undecided person stands at it in every stream.
    let paid = match job.kind.stream() {
        Stream::Settlement => exported.clone(),
        _ => tx.exported_parts(Stream::Settlement, period)?,
    };
    let run = pay_run(job.kind.stream(), &versions, &exported, &paid);
    let lines = ledger_lines(&frame, &run);
    let id = tx.next_export_id()?;
    let drawn = match again {
        Some(which) => match repeat(&tx, job, which, period, &path, lines.len())? {
            Some(drawn) => drawn,
            None => return Ok(Outcome::Refused),
        },
        None if lines.is_empty() => {
            say_recoveries(job, config);
            say_nothing_new(&tx, job, period, &path)?;
            return Ok(Outcome::Refused);
        }
        None => {
            if let Some(council) = council_left_out(&tx, job, config, period, &lines)? {
                eprintln!(
                    "yourchoice: nothing was exported or recorded: these returns were reconciled with the council's settings ({council}), whose accounting codes go on every {} line the ledger records and cannot be added after: give --council {council}",
                    job.kind.name(),
                );
                return Ok(Outcome::Refused);
            }
            let canonical = ledger_canonical(&frame, &lines, &export_reference(id));
            // Recorded, the lines are paid from as they are: a code the
            // finance system needs is given first, or nothing is recorded.
            let missing = export::missing_codes(&job.profile, &canonical);
            if !missing.is_empty() {
                say_missing_codes(job, &canonical);
                eprintln!(
                    "yourchoice: nothing was exported or recorded: the ledger keeps the lines as exported, so give the codes first (--council council.toml, if it was left out), or export with --profile plain"
                );
                return Ok(Outcome::Refused);
            }
            Drawn {
                // Recorded without its head: the head is this export's own
                // link, which hashes what is recorded, so it is filled in
                // after.
                csv: canonical_csv(&canonical).context("writing the CSV")?,
                head: None,
                repeat_of: None,
                line_count: lines.len(),
                total: ledger_total(job.kind, &lines),
                recorded: lines.iter().map(|l| (*l).clone()).collect(),
            }
        }
    };
    let file = job.out.as_ref().map(|p| p.display().to_string());
    tx.insert_export(&NewExport {
        id,
        kind,
        stream: job.kind.stream(),
        period_start: period,
        repeat_of: drawn.repeat_of,
        lines: &drawn.recorded,
        line_count: drawn.line_count,
        total: drawn.total,
        file: file.as_deref(),
        csv: &drawn.csv,
        officer: &using.officer,
        at: crate::base::clock::now(),
    })?;
    let head_now = tx.head()?;
    // The file as finance gets it: every line carries the head of the chain
    // with this export linked in (a repeat carries its original's), so a
    // file kept anywhere proves its own export is still on record.
    let head = drawn.head.as_deref().unwrap_or(&head_now);
    let written = match read_canonical(&drawn.csv) {
        Some(lines) => {
            if drawn.repeat_of.is_some() {
                say_missing_codes(job, &lines);
            }
            say_credit_notes(job, &lines);
            render(&job.profile, job.kind, &lines, head)
        }
        // Recorded before the canonical line: as it was written then.
        None => {
            if job.profile.columns.is_some() {
                eprintln!(
                    "yourchoice: export {} was recorded before export profiles, so it is written again as it was then, not in the profile {}",
                    drawn.repeat_of.unwrap_or(id),
                    job.profile.name
                );
            }
            with_ledger_head(&drawn.csv, head)
        }
    }
    .context("writing the CSV")?;
    let recorded_line = format!(
        "Ledger: recorded export {id} of the {kind} for the period from {}: {}, by {}{}. Ledger head now {}.",
        date(period),
        lines_and_total(job.kind, drawn.line_count, drawn.total),
        using.officer,
        drawn
            .repeat_of
            .map(|r| format!("; a repeat of export {r}, which pays nothing new"))
            .unwrap_or_default(),
        head_now
    );
    if let Err(e) = deliver(job, &written, || tx.commit().map_err(Into::into)) {
        // Committed or not, say which, so finance knows what to do.
        let committed = book.export_by_id(id).ok().flatten().is_some();
        if committed {
            anyhow::bail!(
                "{e:#}; export {id} is recorded in the ledger all the same: `yourchoice export {kind} --ledger {} --period {} --again {id}` writes its lines again",
                path.display(),
                crate::base::text::iso_date(period)
            );
        }
        return Err(e);
    }
    eprintln!("{recorded_line}");
    Ok(Outcome::Done)
}

/// The council.toml a provider line's version was reconciled with, when
/// this export of payments or invoices was given none: its codes would be
/// left off lines the ledger keeps as exported.
fn council_left_out(
    tx: &Tx<'_>,
    job: &Export,
    config: &Config,
    period: NaiveDate,
    lines: &[&PayLine<'_>],
) -> anyhow::Result<Option<String>> {
    let given = config
        .settings
        .files
        .iter()
        .any(|f| f.role == crate::engine::ledger::COUNCIL_SETTINGS);
    if given || !matches!(job.kind, ExportKind::Payments | ExportKind::Invoices) {
        return Ok(None);
    }
    let files = tx.council_files(period)?;
    Ok(lines
        .iter()
        .filter_map(|l| files.get(&l.version.recorded.id))
        .flatten()
        .find(|f| f.role == crate::engine::ledger::COUNCIL_SETTINGS)
        .map(|f| printable(&f.path).into_owned()))
}

/// Say that the ledger holds no return for the period, and which periods
/// it holds.
fn say_no_return(tx: &Tx<'_>, path: &Path, period: NaiveDate) -> anyhow::Result<()> {
    let held: Vec<String> = tx.periods()?.into_iter().map(date).collect();
    eprintln!(
        "yourchoice: the ledger {} holds no return for the period from {}{}",
        path.display(),
        date(period),
        if held.is_empty() {
            ": reconcile the returns with --ledger first".to_string()
        } else {
            format!("; it holds the periods from {}", held.join(", "))
        }
    );
    Ok(())
}

/// `--again`: an earlier export's lines, as they were, under its reference;
/// `None` (said why) when there is no such export.
fn repeat(
    tx: &Tx<'_>,
    job: &Export,
    which: Again,
    period: NaiveDate,
    path: &Path,
    new_lines: usize,
) -> anyhow::Result<Option<Drawn<'static>>> {
    let kind = job.kind.name();
    let original = match which {
        Again::Latest => tx.last_export(kind, period)?,
        Again::Export(n) => tx
            .export_by_id(n)?
            .filter(|e| e.kind == kind && e.period_start == period && e.repeat_of.is_none()),
    };
    let Some(original) = original else {
        eprintln!(
            "yourchoice: nothing to export again: {} of the {kind} lines for the period from {} in the ledger {}",
            match which {
                Again::Latest => "there is no export".to_string(),
                Again::Export(n) => format!("export {n} is not an export"),
            },
            date(period),
            path.display()
        );
        return Ok(None);
    };
    eprintln!(
        "yourchoice: this is a REPEAT of export {} ({} on {} by {}), with its reference {}: it pays nothing new, and a payment system that has seen that reference refuses it.{}",
        original.id,
        lines_and_total(job.kind, original.lines as usize, original.total),
        when(original.exported_at),
        original.officer,
        export_reference(original.id),
        if new_lines == 0 {
            String::new()
        } else {
            format!(
                " There are also {} not yet exported: run without --again to export them.",
                plural(new_lines, "new line", "new lines")
            )
        }
    );
    let head = tx.export_link(original.id)?;
    Ok(Some(Drawn {
        csv: original.csv.clone(),
        head,
        repeat_of: Some(original.id),
        line_count: original.lines as usize,
        total: original.total,
        recorded: Vec::new(),
    }))
}

/// Say that nothing is new since the last export of the kind (or that
/// nothing is due at all).
fn say_nothing_new(tx: &Tx<'_>, job: &Export, period: NaiveDate, path: &Path) -> anyhow::Result<()> {
    let kind = job.kind.name();
    match tx.last_export(kind, period)? {
        Some(last) => eprintln!(
            "yourchoice: nothing new to export: the {kind} lines of the period from {} were exported on {} by {} (export {}: {}{}). Give --again to export those lines again (recorded as a repeat).",
            date(period),
            when(last.exported_at),
            last.officer,
            last.id,
            lines_and_total(job.kind, last.lines as usize, last.total),
            last.file
                .as_ref()
                .map(|f| format!(", to {f}"))
                .unwrap_or_default()
        ),
        None => eprintln!(
            "yourchoice: nothing to export: no {kind} line is due for the period from {} in the ledger {}",
            date(period),
            path.display()
        ),
    }
    Ok(())
}
