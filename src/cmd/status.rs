//! `yourchoice status`: the officer's quarter at a glance, from the ledger.

use std::collections::HashSet;
use std::io::Write;

use anyhow::Context;

use super::{Outcome, stdout};
use crate::cli::config::{Config, Status};
use crate::engine::ledger::{self as rules, Due, Known};
use crate::engine::period::{submission_due, table_top_due};
use crate::model::Period;
use crate::model::export::Stream;
use crate::store::Ledger;
use crate::write;
use crate::write::ledger::{Recalculate, StatusView, render_status, status_json};

/// Run `status`.
///
/// # Errors
/// The ledger cannot be opened or read, or output cannot be printed.
pub fn run(job: &Status, config: &Config) -> anyhow::Result<Outcome> {
    let book = Ledger::open_to_read(&job.ledger)?;
    let health = book.health()?;
    if health.broken.is_some() {
        // Its figures cannot be trusted: the verdict, not the quarter.
        let mut out = stdout(config);
        let verdict = write::verify::render(&job.ledger, &health, &[], &[]);
        write!(out, "{}", write::phrases::wrap_text(&verdict, config.width))?;
        out.flush()?;
        return Ok(Outcome::Refused);
    }
    // One read transaction: every query sees the same ledger, whatever
    // another officer commits meanwhile.
    let snapshot = book.snapshot()?;
    let start = match job.period {
        Some(start) => start,
        None => snapshot.latest_period()?.with_context(|| {
            format!(
                "the ledger {} holds no return yet: give the period with --period START",
                job.ledger.display()
            )
        })?,
    };
    let settings = &config.settings;
    let period = Period {
        start,
        weeks: settings.period_weeks,
    };
    let due = Due {
        submission: submission_due(&period, settings.submission_days),
        table_top: table_top_due(&period, settings.table_top_days),
    };
    let versions = snapshot.versions(start)?;
    let before: HashSet<String> = snapshot.referred_before(start)?.into_keys().collect();
    let exported = snapshot.exported_parts(Stream::Settlement, start)?;
    let exports = snapshot.exports(start)?;
    let known: Vec<Known> = settings
        .providers
        .iter()
        .map(|p| Known {
            reference: p.reference.clone(),
            name: p.name.clone(),
        })
        .collect();
    let providers = rules::status(&known, &versions, due, job.as_of, &before, &exported);
    let now = council_files_now(config);
    let stale = rules::stale(&versions, &snapshot.council_files(start)?, &now);
    // Payments: every period's lines for the half-year's figures, the
    // period's for the table.
    let lines = snapshot.export_lines(None)?;
    let paid = snapshot.payments()?;
    let all_payments = rules::line_payments(&lines, &paid, job.as_of);
    let half_year = rules::half_year_figures(&all_payments, job.as_of);
    let payments: Vec<rules::LinePayment<'_>> = all_payments
        .iter()
        .filter(|p| p.line.period_start == start)
        .cloned()
        .collect();
    let view = StatusView {
        ledger: &job.ledger,
        as_of: job.as_of,
        start,
        end: period.end(),
        submission_due: due.submission,
        table_top_due: due.table_top,
        providers: &providers,
        exports: &exports,
        payments: &payments,
        half_year: &half_year,
        chain: &health,
        recalculate: Recalculate {
            stale: &stale,
            council: now
                .iter()
                .find(|f| f.role == rules::COUNCIL_SETTINGS)
                .map(|f| f.path.as_str()),
        },
        width: config.width,
    };
    let mut out = stdout(config);
    if job.json {
        writeln!(out, "{}", status_json(&view).context("writing JSON")?)?;
    } else {
        write!(out, "{}", render_status(&view))?;
    }
    out.flush()?;
    Ok(Outcome::Done)
}

/// The council's files as given to this run (council.toml and the plans it
/// names), read once when the settings were loaded: what each version's
/// recorded files are compared with.
fn council_files_now(config: &Config) -> Vec<rules::CouncilFile> {
    config
        .settings
        .files
        .iter()
        .map(|f| rules::CouncilFile {
            role: f.role.to_string(),
            path: f.path.clone(),
            sha256: f.sha256.clone(),
        })
        .collect()
}
