//! `yourchoice letters RETURNS... -o FOLDER`: the period's letters as PDF
//! (issue 24): a statement of charges for each person charged, a
//! remittance advice for each provider and a notice of each held
//! settlement, one file per letter and `letters.pdf` with them all for
//! printing.

use std::path::PathBuf;

use anyhow::{Context, bail};

use super::Outcome;
use super::inputs::{load_inputs, reconcile_inputs};
use crate::base::text::{date, plural};
use crate::cli::config::{Config, Letters};
use crate::engine::letters::{addressee, hold_notices, remittance, statement};
use crate::engine::{Reconciliation, Status};
use crate::model::findings::Severity;
use crate::model::letters::Language;
use crate::read::file::read_regular;
use crate::read::wording::load_wording;
use crate::store::Ledger;
use crate::write::atomic;
use crate::write::export::export_reference;
use crate::write::ledger::when;
use crate::write::letters::doc::Letter;
use crate::write::letters::pdf;
use crate::write::letters::provider::Exported;
use crate::write::letters::provider::{hold_notice, remittance as remittance_letter};
use crate::write::letters::statement::{About, statement as statement_letter};
use crate::write::letters::words::{Letterhead, file_part};

/// The largest logo read: a letterhead image, not a photograph archive.
const MAX_LOGO_BYTES: u64 = 8 * 1024 * 1024;

/// How many letters are typeset at once (each batch's PDFs in memory
/// together, then on disk).
const BATCH: usize = 256;

/// The name of the file with every letter, for printing.
pub const ALL_LETTERS: &str = "letters.pdf";

/// One letter to write: its file name, what it is, and its language(s).
struct Made {
    file: String,
    kind: &'static str,
    language: Option<Language>,
    letter: Letter,
}

/// Run `letters`: exit 1 when a return was rejected (it gives no letter).
///
/// # Errors
/// An input, the wording or the logo that cannot be read, or a letter that
/// cannot be written.
pub fn run(job: &Letters, config: &Config) -> anyhow::Result<Outcome> {
    let settings = &config.settings;
    let wording = load_wording(settings.letters.wording.as_deref()).map_err(|e| anyhow::anyhow!("{e}"))?;
    let logo =
        match &settings.letters.logo {
            Some(path) => Some(read_regular(path, MAX_LOGO_BYTES).map_err(|why| {
                anyhow::anyhow!("cannot read the letterhead's logo {}: {why}", path.display())
            })?),
            None => None,
        };
    let logo = logo.map(std::sync::Arc::new);
    if let (Some(bytes), Some(path)) = (&logo, &settings.letters.logo) {
        pdf::check_logo(bytes).map_err(|e| {
            anyhow::anyhow!(
                "the letterhead's logo {} {}: give a PNG or JPEG image",
                path.display(),
                e.0
            )
        })?;
    }
    if job.out.exists() && !job.out.is_dir() {
        bail!(
            "{} is a file: -o names the folder the letters are written into",
            job.out.display()
        );
    }
    let inputs = load_inputs(&job.inputs)?;
    let (_, run) = reconcile_inputs(&inputs, config);
    for r in run.results.iter().filter(|r| r.status() == Status::Rejected) {
        // The first error itself: `check` on the file alone would not show
        // one that comes from the run (two returns of one provider).
        let first = r
            .findings
            .iter()
            .find(|f| f.severity() == Severity::Error)
            .map_or_else(String::new, |f| format!(": {}", f.message));
        eprintln!(
            "yourchoice: {} was not reconciled ({}{first}), so it gives no letter",
            r.source,
            plural(r.count(Severity::Error), "error", "errors"),
        );
    }
    // A letter dated before its period ends (a date typed month first, or
    // a wrong year) would tell a family of charges not yet made.
    if let Some(end) = run
        .results
        .iter()
        .filter_map(|r| r.period.as_ref().map(|d| d.end()))
        .filter(|end| *end > job.date)
        .max()
    {
        bail!(
            "--date {} is before the period ends on {}: letters are dated after the period (today's date, unless they are reprinted)",
            date(job.date),
            date(end)
        );
    }
    let head = Letterhead {
        wording: &wording,
        settings: &settings.letters,
        logo: logo.as_ref(),
        date: job.date,
    };
    let mut outcome = Outcome::of(&run.results);
    let recorded = match &job.ledger {
        Some(path) => {
            let (recorded, all_on_record) = on_record(path, &run.results, &inputs)?;
            if !all_on_record {
                outcome = Outcome::Refused;
            }
            recorded
        }
        None => run.results.iter().map(|_| OnRecord::NoLedger).collect(),
    };
    let mut made: Vec<Made> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    for (r, exports) in run.results.iter().zip(&recorded) {
        let exports = match exports {
            OnRecord::Refused => continue,
            OnRecord::NoLedger => None,
            OnRecord::Exported(exports, complete) => Some((exports.as_slice(), *complete)),
        };
        if r.status() == Status::Reconciled {
            made.extend(letters_of(r, &head, config, exports, &mut notes));
        }
    }
    unique_names(&mut made);
    let mut paths: Vec<PathBuf> = Vec::with_capacity(made.len());
    for m in &made {
        let path = job.out.join(&m.file);
        job.run_inputs.check(&path, "a letter")?;
        paths.push(path);
    }
    let all = job.out.join(ALL_LETTERS);
    job.run_inputs.check(&all, "the letters")?;
    if !job.force
        && let Some(path) = paths.iter().chain([&all]).find(|p| p.exists())
    {
        bail!(
            "{} already exists: add --force to replace the letters in {}, or choose another folder",
            path.display(),
            job.out.display()
        );
    }
    // The letters are typeset a batch at a time, each laid out once for its
    // own PDF and for letters.pdf, each PDF going straight to a staging
    // folder inside the output folder, so memory holds one batch of PDFs
    // (and letters.pdf) however many letters there are; only when every
    // file is written are they moved into place, so a failure, or a kill,
    // leaves none (and the next run removes a killed run's staging).
    let letters: Vec<Letter> = made.iter_mut().map(|m| std::mem::take(&mut m.letter)).collect();
    if !letters.is_empty() {
        let mut staged = atomic::Staging::new(&job.out, job.force)?;
        let mut printer = pdf::Printer::for_both_sides();
        for (batch, batch_paths) in letters.chunks(BATCH).zip(paths.chunks(BATCH)) {
            let pdfs = printer.batch(batch).context("typesetting the letters")?;
            for (path, bytes) in batch_paths.iter().zip(pdfs) {
                staged.add(path, &bytes)?;
            }
        }
        staged.add(&all, &printer.finish().context("typesetting the letters")?)?;
        stall_for_test();
        staged.commit()?;
    }
    println!("{}", summary(&made, &job.out));
    for note in &notes {
        eprintln!("yourchoice: {note}");
    }
    warn_of_others(&job.out, &made);
    Ok(outcome)
}

/// Letters in the folder that this run did not write (a person no longer
/// charged, from an earlier run replaced with `--force`) are named on
/// stderr: they are left as they were, and must not be sent with these.
fn warn_of_others(out: &std::path::Path, made: &[Made]) {
    let ours: std::collections::HashSet<&str> = made
        .iter()
        .map(|m| m.file.as_str())
        .chain([ALL_LETTERS])
        .collect();
    let Ok(entries) = std::fs::read_dir(out) else {
        return;
    };
    let mut others: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".pdf") && !ours.contains(n.as_str()))
        .collect();
    if others.is_empty() {
        return;
    }
    others.sort();
    let shown = others.iter().take(5).cloned().collect::<Vec<_>>().join(", ");
    eprintln!(
        "yourchoice: {} also holds {} this run did not write ({shown}{}): they are left as they were; do not send them with these, or write each run's letters to a new folder",
        out.display(),
        plural(others.len(), "letter", "letters"),
        if others.len() > 5 { ", ..." } else { "" }
    );
}

/// In a debug build, with `YOURCHOICE_TEST_STALL_BEFORE_COMMIT` set, wait
/// with every letter staged and none in place, so a test can kill the run
/// there.
fn stall_for_test() {
    if cfg!(debug_assertions) && std::env::var_os("YOURCHOICE_TEST_STALL_BEFORE_COMMIT").is_some() {
        eprintln!("yourchoice: test: stalled with the letters staged");
        std::thread::sleep(std::time::Duration::from_secs(60));
    }
}

/// What the ledger says of a result.
enum OnRecord {
    /// No ledger was given (or the result is not one it records): whether
    /// it was exported is not known.
    NoLedger,
    /// The version on record: the settlement exports that carried the
    /// provider's lines, and whether they carry all of its total.
    Exported(Vec<Exported>, bool),
    /// Not the version on record: no letter.
    Refused,
}

/// With a ledger, each reconciled return must be the version it holds for
/// the provider and period, with the same figures, so a letter never
/// states a figure other than the one on record (one that is not is said
/// on stderr). The flag is false when any was refused.
fn on_record(
    path: &std::path::Path,
    results: &[Reconciliation],
    inputs: &[super::inputs::Input],
) -> anyhow::Result<(Vec<OnRecord>, bool)> {
    let book = Ledger::open(path, false)?;
    let tx = book.snapshot()?;
    let mut out = Vec::with_capacity(results.len());
    let mut all = true;
    for (r, input) in results.iter().zip(inputs) {
        let Some(candidate) = super::reconcile::candidate(r, input)? else {
            out.push(OnRecord::NoLedger);
            continue;
        };
        if !candidate.reconciled {
            out.push(OnRecord::NoLedger);
            continue;
        }
        let reference = &candidate.provider_reference;
        let start = candidate.period_start;
        match tx.current(reference, start)? {
            Some(v) if candidate.fingerprint.matches(&v.fingerprint) => {
                let exports: Vec<(i64, chrono::DateTime<chrono::Utc>, rust_decimal::Decimal)> =
                    tx.settlement_exports_of(reference, start)?;
                let shares: Vec<rust_decimal::Decimal> = exports.iter().map(|e| e.2).collect();
                let complete = r
                    .totals
                    .as_ref()
                    .is_some_and(|t| crate::engine::letters::fully_exported(t.authorised, &shares));
                let paid = tx.settlement_payments_of(reference, start)?;
                let exports = exports
                    .into_iter()
                    .map(|(id, at, _)| Exported {
                        reference: export_reference(id),
                        date: at.date_naive(),
                        paid: paid
                            .iter()
                            .filter(|(export, _, _)| *export == id)
                            .map(|(_, on, payment_reference)| (*on, payment_reference.clone()))
                            .collect(),
                    })
                    .collect();
                out.push(OnRecord::Exported(exports, complete));
            }
            Some(v) if v.file_sha256 == candidate.file_sha256 => {
                all = false;
                eprintln!(
                    "yourchoice: {} is the return the ledger's version {} for {reference} records, but gives other figures with these settings and decisions, so no letter is written for the provider: give the --council and --decisions it was recorded with",
                    r.source, v.version
                );
                out.push(OnRecord::Refused);
            }
            Some(v) => {
                all = false;
                eprintln!(
                    "yourchoice: {} gives other figures than the ledger's version {} for {reference}, period from {} ({}, recorded {}), so no letter is written for the provider: give the return the ledger holds, or record this one with `yourchoice reconcile --ledger`",
                    r.source,
                    v.version,
                    date(start),
                    v.file_name,
                    when(v.recorded_at)
                );
                out.push(OnRecord::Refused);
            }
            None => {
                all = false;
                eprintln!(
                    "yourchoice: {} is not recorded in the ledger for {reference}, period from {}, so no letter is written for the provider: record it first with `yourchoice reconcile --ledger`",
                    r.source,
                    date(start)
                );
                out.push(OnRecord::Refused);
            }
        }
    }
    Ok((out, all))
}

/// Every letter a reconciled return gives: a statement for each person
/// charged, then the provider's remittance advice and hold notices.
fn letters_of(
    r: &Reconciliation,
    head: &Letterhead<'_>,
    config: &Config,
    exported: Option<(&[Exported], bool)>,
    notes: &mut Vec<String>,
) -> Vec<Made> {
    let mut unaddressed: Vec<String> = Vec::new();
    let settings = &config.settings;
    let (Some(dates), Some(provider)) = (&r.period, &r.provider) else {
        return Vec::new();
    };
    let reference = provider.reference.clone().unwrap_or_default();
    let council_provider = settings.provider(&reference);
    let name = council_provider
        .and_then(|p| p.name.clone())
        .or_else(|| provider.name.clone())
        .unwrap_or_else(|| reference.clone());
    let (language, address) =
        council_provider.map_or((None, Vec::new()), |p| (p.language, p.address.clone()));
    let about = About {
        provider: &name,
        reference: &reference,
        start: dates.period.start,
        end: dates.end(),
    };
    let ref_part = file_part(&reference);
    let mut out = Vec::new();
    for p in &r.people {
        let to = addressee(p, settings, dates.end());
        let Some(s) = statement(p, to, r) else { continue };
        // What a careful officer checks before posting: the council's name
        // for the person against the provider's, and an address at all.
        let same_name = |a: &str, b: &str| {
            let fold = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
            fold(a) == fold(b)
        };
        if let (Some(ours), Some(theirs)) = (&s.to.name, &p.name)
            && !same_name(ours, theirs)
        {
            notes.push(format!(
                "{}: the plans name {} \"{ours}\" and the return \"{theirs}\"; the statement is addressed to \"{ours}\": check it is the same person",
                r.source, p.person_id
            ));
        }
        if s.to.address.is_empty() {
            unaddressed.push(p.person_id.clone());
        }
        let person_ref = format!("{reference}/{}", p.person_id);
        let letter = statement_letter(
            head,
            &s,
            &About {
                reference: &person_ref,
                ..about
            },
        );
        out.push(Made {
            file: format!("statement-{ref_part}-{}.pdf", file_part(&p.person_id)),
            kind: "statement",
            language: s.to.language,
            letter,
        });
    }
    if !unaddressed.is_empty() {
        let shown = unaddressed.iter().take(5).cloned().collect::<Vec<_>>().join(", ");
        notes.push(format!(
            "{}: {} no address in the plans ({shown}{}): addressed by name only, for the council to add the address before posting",
            r.source,
            plural(unaddressed.len(), "statement has", "statements have"),
            if unaddressed.len() > 5 { ", ..." } else { "" }
        ));
    }
    if let Some(advice) = remittance(r) {
        out.push(Made {
            file: format!("remittance-{ref_part}.pdf"),
            kind: "remittance advice",
            language,
            letter: remittance_letter(head, &advice, &about, language, &address, exported),
        });
    }
    for n in hold_notices(r) {
        out.push(Made {
            file: format!("hold-{ref_part}-{}.pdf", file_part(&n.person.person_id)),
            kind: "hold notice",
            language,
            letter: hold_notice(head, &n, &about, language, &address, settings.tolerance),
        });
    }
    out
}

/// Two letters whose names come out the same (IDs differing only in a
/// character a file name cannot hold) are told apart by a number.
fn unique_names(made: &mut [Made]) {
    let mut seen = std::collections::HashSet::new();
    for m in made.iter_mut() {
        let stem = m.file.trim_end_matches(".pdf").to_string();
        let mut n = 1;
        while !seen.insert(m.file.to_lowercase()) {
            n += 1;
            m.file = format!("{stem}-{n}.pdf");
        }
    }
}

/// `Wrote 12 letters to letters/ ...`, with how many of each kind and
/// language.
fn summary(made: &[Made], out: &std::path::Path) -> String {
    if made.is_empty() {
        return format!(
            "No letters: no reconciled return gave one. Nothing was written to {}.",
            out.display()
        );
    }
    let mut lines = vec![format!(
        "Wrote {} to {}, and {} with every letter for printing:",
        plural(made.len(), "letter", "letters"),
        out.display(),
        ALL_LETTERS
    )];
    for (kind, kinds) in [
        ("statement", "statements"),
        ("remittance advice", "remittance advices"),
        ("hold notice", "hold notices"),
    ] {
        let of: Vec<&Made> = made.iter().filter(|m| m.kind == kind).collect();
        if of.is_empty() {
            continue;
        }
        let count = |l: Option<Language>| of.iter().filter(|m| m.language == l).count();
        let mut by = Vec::new();
        for (l, words) in [
            (Some(Language::Welsh), "in Welsh"),
            (Some(Language::English), "in English"),
            (None, "in Welsh and English"),
        ] {
            if count(l) > 0 {
                by.push(format!("{} {words}", count(l)));
            }
        }
        lines.push(format!("  {} ({})", plural(of.len(), kind, kinds), by.join(", ")));
    }
    lines.join("\n")
}
