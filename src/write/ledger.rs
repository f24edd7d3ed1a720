//! What the ledger's commands say: each reconciliation's outcome (recorded,
//! already recorded, refused), the report's Audit rows about it, and
//! `status` as a table or JSON. Words only: every figure is the engine's.

use std::fmt::Write as _;

use chrono::{DateTime, NaiveDate, Utc};
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, CellAlignment, ContentArrangement, Table};
use serde::Serialize;

use crate::base::text::{date, iso_date, plural, pounds, printable};
use crate::base::units::format_money;
use crate::engine::ledger::ExportRecord;
use crate::engine::ledger::{Admission, Change, ProviderStatus, Recorded, Refusal, Timeliness};

/// `01/12/2026 18:05 UTC`.
pub fn when(t: DateTime<Utc>) -> String {
    t.format("%d/%m/%Y %H:%M UTC").to_string()
}

fn short_sha(sha: &str) -> &str {
    sha.get(..12).unwrap_or(sha)
}

/// `SUP00123's return for the period from 06/04/2026`.
fn whose(r: &Recorded) -> String {
    format!(
        "{}'s return for the period from {}",
        r.provider_reference,
        date(r.period_start)
    )
}

fn recorded_by(r: &Recorded) -> String {
    format!("recorded {} by {}", when(r.recorded_at), r.officer)
}

/// What changed in a new version.
pub fn change_words(change: Change, reason: Option<&str>) -> String {
    match change {
        Change::First => "the first record".to_string(),
        Change::Decisions => "the same file with other decisions applied".to_string(),
        Change::Settings => "the same file and decisions, with other council settings".to_string(),
        Change::Resubmission => format!("a resubmission: {}", reason.unwrap_or_default()),
        Change::Correction => "a corrected return in place of a rejected one".to_string(),
    }
}

/// One line on what the ledger did with a submission; `Err` for a refusal
/// (the command's exit status is then 1).
pub fn outcome(
    file: &str,
    reference: &str,
    start: NaiveDate,
    admission: &Admission,
    reason: Option<&str>,
) -> Result<String, String> {
    let file = printable(file);
    match admission {
        Admission::Already(r) => Ok(format!(
            "Ledger: {file} is already recorded, on {} by {} (version {} of {}); nothing new was written.",
            when(r.recorded_at),
            r.officer,
            r.version,
            whose(r)
        )),
        Admission::Record {
            version,
            change,
            supersedes,
        } => {
            let mut line = format!(
                "Ledger: recorded {file} as version {version} of {reference}'s return for the period from {}",
                date(start)
            );
            if let Some(old) = supersedes {
                let _ = write!(
                    line,
                    ", replacing version {} ({}, {}): {}",
                    old.version,
                    printable(&old.file_name),
                    recorded_by(old),
                    change_words(*change, reason)
                );
            }
            line.push('.');
            Ok(line)
        }
        Admission::Refused(Refusal::OtherFile(old)) => Err(format!(
            "yourchoice: {file} was not recorded: the ledger already holds {} (SHA-256 {}..., {}) as {}. \
             If {file} is a corrected return that replaces it, run again with --resubmission \"REASON\".",
            printable(&old.file_name),
            short_sha(&old.file_sha256),
            recorded_by(old),
            whose(old)
        )),
        Admission::Refused(Refusal::RejectedOverReconciled(old)) => Err(format!(
            "yourchoice: {file} was not recorded: it was not reconciled, and version {} of {} ({}) was. \
             A rejected return never replaces figures that may have been paid: fix its errors \
             (`yourchoice check {file}`) and run again.",
            old.version,
            whose(old),
            printable(&old.file_name)
        )),
        Admission::Refused(Refusal::DecisionsDropped(old, people)) => Err(format!(
            "yourchoice: {file} was not recorded: version {} of {} applied the officer's decision on \
             the held settlement of {}, and this run leaves it held with no decision (an authorisation \
             lost would take back what may have been paid). Give the decisions file again, with any \
             new decisions; to change a decision, give another line for the person with its reason.",
            old.version,
            whose(old),
            people.join(", ")
        )),
        Admission::Refused(Refusal::NothingToReplace) => Err(format!(
            "yourchoice: {file} was not recorded: --resubmission replaces a recorded return, but the \
             ledger holds none of {reference}'s for the period from {}. Check the return's Provider \
             reference and Period start; if it is the first, run again without --resubmission.",
            date(start)
        )),
        Admission::Refused(Refusal::SettingsChanged(old)) => Err(format!(
            "yourchoice: {file} was not recorded: it is the file of version {} of {}, but its figures \
             differ, so the council's settings or plans differ from those it was reconciled with \
             (give the same --council as before). If the settings were corrected, run again with \
             --resubmission \"REASON\" to record a new version.",
            old.version,
            whose(old)
        )),
        Admission::Refused(Refusal::Overlaps(old)) => Err(format!(
            "yourchoice: {file} was not recorded: its period shares weeks with {} ({} to {}, {}, {}); \
             paying both would pay those weeks twice. Check the Period start in its Details.",
            whose(old),
            date(old.period_start),
            date(old.period_end),
            printable(&old.file_name),
            recorded_by(old)
        )),
    }
}

/// What else the officer should know about a recording: a
/// `--resubmission` reason that was not needed, or a replacement whose
/// Submission date is earlier than the one it replaced (an older file
/// brought back?).
pub fn notes(r: &crate::engine::Reconciliation, admission: &Admission, reason_given: bool) -> Vec<String> {
    let mut notes = Vec::new();
    let Admission::Record {
        change, supersedes, ..
    } = admission
    else {
        return notes;
    };
    if reason_given && !matches!(change, Change::Resubmission | Change::Settings) {
        notes.push(format!(
            "Ledger: the --resubmission reason was not recorded: {} is {}, which needs none.",
            printable(&r.source),
            change_words(*change, None)
        ));
    }
    let submitted = r.period.as_ref().and_then(|p| p.submitted);
    if let (Some(old), Some(new)) = (supersedes.as_ref().and_then(|o| o.submitted), submitted)
        && new < old
    {
        notes.push(format!(
            "Ledger: warning: {} is dated {}, before the return it replaces ({}, dated {}): check it is the provider's latest.",
            printable(&r.source),
            date(new),
            supersedes.as_ref().map(|o| printable(&o.file_name).into_owned()).unwrap_or_default(),
            date(old)
        ));
    }
    notes
}

/// The Audit sheet's rows about the ledger.
pub fn audit_rows(
    ledger: &std::path::Path,
    reference: &str,
    start: NaiveDate,
    admission: &Admission,
    reason: Option<&str>,
    officer: &str,
) -> Vec<(&'static str, String)> {
    let mut rows = vec![("Ledger", ledger.display().to_string())];
    match admission {
        Admission::Already(r) => rows.push((
            "Ledger record",
            format!(
                "already recorded: version {} of {}, {}",
                r.version,
                whose(r),
                recorded_by(r)
            ),
        )),
        Admission::Record {
            version,
            change,
            supersedes,
        } => {
            rows.push((
                "Ledger record",
                format!(
                    "version {version} of {reference}'s return for the period from {}, recorded by {officer}",
                    date(start)
                ),
            ));
            if let Some(old) = supersedes {
                rows.push((
                    "Replaces",
                    format!(
                        "version {}: {} (SHA-256 {}), {}",
                        old.version,
                        old.file_name,
                        old.file_sha256,
                        recorded_by(old)
                    ),
                ));
                rows.push(("Change", change_words(*change, reason)));
            }
        }
        Admission::Refused(_) => rows.push((
            "Ledger record",
            "NOT RECORDED: the ledger refused this return (see the message on screen); these figures are not on record"
                .to_string(),
        )),
    }
    rows
}

// ---------------------------------------------------------------------------
// status

/// Everything `status` shows.
pub struct StatusView<'a> {
    pub ledger: &'a std::path::Path,
    pub as_of: NaiveDate,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub submission_due: NaiveDate,
    pub table_top_due: NaiveDate,
    pub providers: &'a [ProviderStatus<'a>],
    pub exports: &'a [ExportRecord],
}

/// `in 5 days`, `today`, `3 days ago`.
fn days(n: i64) -> String {
    match n {
        0 => "today".to_string(),
        n if n > 0 => format!("in {}", plural(n as usize, "day", "days")),
        n => format!("{} ago", plural(n.unsigned_abs() as usize, "day", "days")),
    }
}

fn received(p: &ProviderStatus<'_>) -> String {
    let Some(v) = p.current else {
        return match p.timeliness {
            Timeliness::Overdue => format!("NOT RECEIVED: overdue since {}", date(p.submission_due)),
            _ => format!("not yet: due {}", days(p.submission_days_left)),
        };
    };
    let r = &v.recorded;
    let when = match (p.timeliness, r.submitted) {
        (Timeliness::Late, Some(s)) => format!("LATE ({})", date(s)),
        (_, Some(s)) => format!("on time ({})", date(s)),
        _ => "no submission date".to_string(),
    };
    let status = if r.reconciled { "" } else { ", REJECTED" };
    format!("v{}, {when}{status}", r.version)
}

fn exported(p: &ProviderStatus<'_>) -> String {
    match p.current {
        None => "-".to_string(),
        Some(v) if !v.recorded.reconciled => "-".to_string(),
        Some(_) if !p.to_export.is_zero() && p.ever_exported => {
            format!("partly: {} to export", pounds(p.to_export))
        }
        Some(_) if !p.to_export.is_zero() => format!("not yet: {}", pounds(p.to_export)),
        Some(_) if p.ever_exported => "yes".to_string(),
        Some(_) => "nothing to export".to_string(),
    }
}

/// `status` for the terminal.
pub fn render_status(s: &StatusView<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Ledger {}: the period from {} to {}, as of {}",
        s.ledger.display(),
        date(s.start),
        date(s.end),
        date(s.as_of)
    );
    let due_in = (s.submission_due - s.as_of).num_days();
    let meet_in = (s.table_top_due - s.as_of).num_days();
    let _ = writeln!(
        out,
        "Returns due {} ({}); table-top meetings by {} ({})\n",
        date(s.submission_due),
        days(due_in),
        date(s.table_top_due),
        days(meet_in)
    );
    let mut table = Table::new();
    table
        .set_content_arrangement(ContentArrangement::Disabled)
        .load_style(UTF8_FULL_CONDENSED)
        .set_header(vec![
            "Provider",
            "Name",
            "Return",
            "Authorised £",
            "Held £",
            "Referred",
            "Exported",
        ]);
    for p in s.providers {
        let totals = p.current.and_then(|v| v.recorded.totals.as_ref());
        let referred = match (p.current, p.referred_again) {
            (None, _) => String::new(),
            (Some(_), 0) => p.referred.to_string(),
            (Some(_), again) => format!("{} ({again} again)", p.referred),
        };
        table.add_row(vec![
            Cell::new(printable(&p.reference)),
            Cell::new(printable(p.name.as_deref().unwrap_or_default())),
            Cell::new(received(p)),
            Cell::new(totals.map(|t| format_money(t.authorised)).unwrap_or_default())
                .set_alignment(CellAlignment::Right),
            Cell::new(
                totals
                    .map(|t| format!("{} ({})", format_money(t.held), t.held_count))
                    .unwrap_or_default(),
            )
            .set_alignment(CellAlignment::Right),
            Cell::new(referred).set_alignment(CellAlignment::Right),
            Cell::new(exported(p)),
        ]);
    }
    out.push_str(&table.to_string());
    out.push('\n');
    let got = s.providers.iter().filter(|p| p.current.is_some()).count();
    let late = s
        .providers
        .iter()
        .filter(|p| p.timeliness == Timeliness::Late)
        .count();
    let overdue = s
        .providers
        .iter()
        .filter(|p| p.timeliness == Timeliness::Overdue)
        .count();
    let _ = writeln!(
        out,
        "\n{got} of {} received ({late} late); {overdue} overdue.",
        plural(s.providers.len(), "return", "returns"),
    );
    if s.exports.is_empty() {
        let _ = writeln!(out, "Nothing exported for this period yet.");
    }
    for e in s.exports {
        let repeat = e
            .repeat_of
            .map(|id| format!(", a repeat of export {id}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "Export {}: {} on {} by {}: {}, {}{repeat}.",
            e.id,
            e.kind,
            when(e.exported_at),
            e.officer,
            plural(e.lines as usize, "line", "lines"),
            pounds(e.total)
        );
    }
    out
}

#[derive(Serialize)]
struct StatusJson<'a> {
    schema: &'static str,
    ledger: String,
    as_of: String,
    period: PeriodJson,
    providers: Vec<ProviderJson<'a>>,
    exports: Vec<ExportJson<'a>>,
}

#[derive(Serialize)]
struct PeriodJson {
    start: String,
    end: String,
    submission_due: String,
    table_top_due: String,
}

#[derive(Serialize)]
struct ProviderJson<'a> {
    reference: &'a str,
    name: Option<&'a str>,
    received: bool,
    version: Option<u32>,
    file: Option<&'a str>,
    status: Option<&'static str>,
    recorded_at: Option<String>,
    officer: Option<&'a str>,
    submitted: Option<String>,
    timeliness: &'static str,
    submission_due_in_days: i64,
    table_top_due_in_days: i64,
    authorised: Option<String>,
    held: Option<String>,
    held_count: Option<usize>,
    referred_count: usize,
    referred_again_count: usize,
    exported: String,
    to_export: String,
}

#[derive(Serialize)]
struct ExportJson<'a> {
    id: i64,
    kind: &'a str,
    exported_at: String,
    officer: &'a str,
    lines: i64,
    total: String,
    file: Option<&'a str>,
    repeat_of: Option<i64>,
}

/// `status --json`: one document, `yourchoice.status/1`.
///
/// # Errors
/// Only serde_json's.
pub fn status_json(s: &StatusView<'_>) -> serde_json::Result<String> {
    let doc = StatusJson {
        schema: "yourchoice.status/1",
        ledger: s.ledger.display().to_string(),
        as_of: iso_date(s.as_of),
        period: PeriodJson {
            start: iso_date(s.start),
            end: iso_date(s.end),
            submission_due: iso_date(s.submission_due),
            table_top_due: iso_date(s.table_top_due),
        },
        providers: s
            .providers
            .iter()
            .map(|p| {
                let r = p.current.map(|v| &v.recorded);
                let t = r.and_then(|r| r.totals.as_ref());
                ProviderJson {
                    reference: &p.reference,
                    name: p.name.as_deref(),
                    received: r.is_some(),
                    version: r.map(|r| r.version),
                    file: r.map(|r| r.file_name.as_str()),
                    status: r.map(|r| if r.reconciled { "reconciled" } else { "rejected" }),
                    recorded_at: r.map(|r| r.recorded_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
                    officer: r.map(|r| r.officer.as_str()),
                    submitted: r.and_then(|r| r.submitted).map(iso_date),
                    timeliness: p.timeliness.as_str(),
                    submission_due_in_days: p.submission_days_left,
                    table_top_due_in_days: p.table_top_days_left,
                    authorised: t.map(|t| format_money(t.authorised)),
                    held: t.map(|t| format_money(t.held)),
                    held_count: t.map(|t| t.held_count),
                    referred_count: p.referred,
                    referred_again_count: p.referred_again,
                    exported: format_money(p.exported),
                    to_export: format_money(p.to_export),
                }
            })
            .collect(),
        exports: s
            .exports
            .iter()
            .map(|e| ExportJson {
                id: e.id,
                kind: &e.kind,
                exported_at: e.exported_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                officer: &e.officer,
                lines: e.lines,
                total: format_money(e.total),
                file: e.file.as_deref(),
                repeat_of: e.repeat_of,
            })
            .collect(),
    };
    serde_json::to_string(&doc)
}
