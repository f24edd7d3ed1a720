//! `status`: where each provider's return for a period stands, as a table
//! or JSON.

use crate::engine::ledger::Health;
use std::fmt::Write as _;

use chrono::NaiveDate;
use serde::Serialize;

use super::when;
use crate::base::text::{date, iso_date, plural, pounds, printable};
use crate::base::units::format_money;
use crate::engine::ledger::{
    ExportRecord, FLAG_UNPAID_AFTER_DAYS, FileChange, HalfYearFigures, LinePayment, PAY_WITHIN_DAYS, PayFlag,
    ProviderStatus, Stale, Start, Timeliness,
};
use crate::write::export::export_reference;
use crate::write::fit::{Col, fit};
use crate::write::phrases::{wrap, wrap_text};

mod payments;
mod recalculate;

use payments::{half_year_lines, payments_section};
use recalculate::{recalculate_command, recalculate_lines};

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
    /// The period's payments lines: when each was received, exported and
    /// paid.
    pub payments: &'a [LinePayment<'a>],
    /// The half-year containing the as-of date, over every period.
    pub half_year: &'a HalfYearFigures,
    /// The ledger's check (whole, or `status` would not show the quarter).
    pub chain: &'a Health,
    /// The returns recorded under other council files than today's
    /// (issue 25), and what to run for each.
    pub recalculate: Recalculate<'a>,
    /// The terminal's width, to keep every line within it.
    pub width: Option<usize>,
}

/// `status`'s section on returns recorded under council files that have
/// changed since: kept apart from the rest of the view.
pub struct Recalculate<'a> {
    pub stale: &'a [Stale<'a>],
    /// council.toml as given now (the command to run names it).
    pub council: Option<&'a str>,
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
    let width = s.width;
    let mut out = wrap_text(&heading(s), width);
    out.push_str(&providers_table(s));
    out.push_str(&wrap_text(&counts(s), width));
    out.push_str(&wrap_text(&export_lines(s), width));
    out.push_str(&recalculate_lines(s));
    out.push_str(&payments_section(s));
    out.push_str(&half_year_lines(s.half_year, s.as_of, s.width));
    out
}

/// The ledger, the period and the days left to its two due dates.
fn heading(s: &StatusView<'_>) -> String {
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
    out
}

/// A row per provider: its return, the amounts authorised and held, the
/// referrals and what was exported, fitted to the width. The provider,
/// its return and its money are always shown (the return wraps as a last
/// resort); narrow, what was exported goes first, then the referrals, then
/// the name (it wraps before it goes).
fn providers_table(s: &StatusView<'_>) -> String {
    let cols = [
        Col::text("Provider", 0),
        Col::text("Name", 1).wraps(12),
        Col::text("Return", 0).wraps(12),
        Col::figure("Authorised £", 0),
        Col::figure("Held £", 0),
        Col::figure("Referred", 2),
        Col::text("Exported", 3),
    ];
    let rows: Vec<Vec<String>> = s
        .providers
        .iter()
        .map(|p| {
            let totals = p.current.and_then(|v| v.recorded.totals.as_ref());
            let referred = match (p.current, p.referred_again) {
                (None, _) => String::new(),
                (Some(_), 0) => p.referred.to_string(),
                (Some(_), again) => format!("{} ({again} again)", p.referred),
            };
            vec![
                printable(&p.reference).into_owned(),
                printable(p.name.as_deref().unwrap_or_default()).into_owned(),
                received(p),
                totals.map(|t| format_money(t.authorised)).unwrap_or_default(),
                totals
                    .map(|t| format!("{} ({})", format_money(t.held), t.held_count))
                    .unwrap_or_default(),
                referred,
                exported(p),
            ]
        })
        .collect();
    let width = s.width;
    fit(&cols, &rows, width).show("see status --json", width)
}

/// How many returns were received, late and overdue.
fn counts(s: &StatusView<'_>) -> String {
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
    format!(
        "\n{got} of {} received ({late} late); {overdue} overdue.\n",
        plural(s.providers.len(), "return", "returns"),
    )
}

/// A line per export for the period, or that there was none yet.
fn export_lines(s: &StatusView<'_>) -> String {
    let mut out = String::new();
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
    payments: Vec<PaymentJson<'a>>,
    half_year: HalfYearJson,
    chain: ChainJson<'a>,
    /// Present only when `status` was given the council's files.
    #[serde(skip_serializing_if = "Option::is_none")]
    council_files_changed: Option<Vec<StaleJson<'a>>>,
}

/// A return recorded under other council files than today's.
#[derive(Serialize)]
struct StaleJson<'a> {
    reference: &'a str,
    name: Option<&'a str>,
    version: u32,
    file: &'a str,
    recorded_at: String,
    officer: &'a str,
    files: Vec<FileChangeJson<'a>>,
    /// The command that records the recalculation, one argument each.
    command: Vec<String>,
}

#[derive(Serialize)]
struct FileChangeJson<'a> {
    role: &'a str,
    path: &'a str,
    /// `changed`, `added` (not given then) or `dropped` (not given now).
    change: &'static str,
}

/// A line of a payments export and its payment.
#[derive(Serialize)]
struct PaymentJson<'a> {
    provider: &'a str,
    invoice_number: Option<String>,
    export: i64,
    export_reference: String,
    line: i64,
    amount: String,
    /// When the days began, and why: `received`, `recorded`, `authorised`.
    start: String,
    start_kind: &'static str,
    exported_on: String,
    paid_on: Option<String>,
    payment_reference: Option<&'a str>,
    days_to_pay: Option<i64>,
    days_so_far: i64,
    /// `unpaid` (past day 25), `late` (paid after day 30), or null.
    flag: Option<&'static str>,
}

/// The half-year's figures: the average and the share as exact decimal
/// text, one decimal place, half away from zero.
#[derive(Serialize)]
struct HalfYearJson {
    start: String,
    end: String,
    payments: usize,
    total_days: i64,
    within_30_days: usize,
    average_days: Option<String>,
    within_30_days_percent: Option<String>,
    rounding: &'static str,
}

/// The ledger's hash chain: how many records it links, and its head.
#[derive(Serialize)]
struct ChainJson<'a> {
    records: i64,
    head: Option<&'a str>,
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
        payments: s
            .payments
            .iter()
            .map(|p| PaymentJson {
                provider: &p.line.provider_reference,
                invoice_number: p.line.invoice_number(),
                export: p.line.export_id,
                export_reference: export_reference(p.line.export_id),
                line: p.line.line,
                amount: format_money(p.line.amount()),
                start: iso_date(p.start),
                start_kind: p.start_kind.as_str(),
                exported_on: iso_date(p.line.exported_on),
                paid_on: p.paid.map(|r| iso_date(r.paid_on)),
                payment_reference: p.paid.map(|r| r.payment_reference.as_str()),
                days_to_pay: p.days_to_pay,
                days_so_far: p.days_so_far,
                flag: p.flag.map(|f| match f {
                    PayFlag::Unpaid { .. } => "unpaid",
                    PayFlag::PaidLate { .. } => "late",
                }),
            })
            .collect(),
        half_year: HalfYearJson {
            start: iso_date(s.half_year.start),
            end: iso_date(s.half_year.end),
            payments: s.half_year.payments,
            total_days: s.half_year.total_days,
            within_30_days: s.half_year.within,
            average_days: s.half_year.average_days.map(|d| d.to_string()),
            within_30_days_percent: s.half_year.within_percent.map(|d| d.to_string()),
            rounding: "one decimal place, half away from zero",
        },
        chain: ChainJson {
            records: s.chain.links,
            head: s.chain.head.as_deref(),
        },
        council_files_changed: stale_json(s),
    };
    serde_json::to_string(&doc)
}

/// `council_files_changed`: `None` without the council's files (nothing to
/// compare with), else each return recorded under other files.
fn stale_json<'a>(s: &StatusView<'a>) -> Option<Vec<StaleJson<'a>>> {
    let council = s.recalculate.council?;
    Some(
        s.recalculate
            .stale
            .iter()
            .map(|stale| {
                let v = &stale.version.recorded;
                StaleJson {
                    reference: &v.provider_reference,
                    name: v.provider_name.as_deref(),
                    version: v.version,
                    file: &v.file_name,
                    recorded_at: v.recorded_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    officer: &v.officer,
                    files: stale
                        .changes
                        .iter()
                        .map(|c| FileChangeJson {
                            role: c.role(),
                            path: c.path(),
                            change: match c {
                                FileChange::Changed { .. } => "changed",
                                FileChange::Added { .. } => "added",
                                FileChange::Dropped { .. } => "dropped",
                            },
                        })
                        .collect(),
                    command: recalculate_command(stale, council, s.ledger),
                }
            })
            .collect(),
    )
}
