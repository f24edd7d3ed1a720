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
use crate::store::{self, Ledger};
use crate::write::ledger::{StatusView, render_status, status_json};

/// Run `status`.
///
/// # Errors
/// The ledger cannot be opened or read, or output cannot be printed.
pub fn run(job: &Status, config: &Config) -> anyhow::Result<Outcome> {
    let book = Ledger::open(&job.ledger, false)?;
    let failed = |e: rusqlite::Error| book.error(&e);
    // One read transaction: every query sees the same ledger, whatever
    // another officer commits meanwhile.
    let snapshot = book.conn().unchecked_transaction().map_err(failed)?;
    let conn: &rusqlite::Connection = &snapshot;
    let start = match job.period {
        Some(start) => start,
        None => store::latest_period(conn).map_err(failed)?.with_context(|| {
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
    let versions = store::versions(conn, start).map_err(failed)?;
    let before: HashSet<String> = store::referred_before(conn, start)
        .map_err(failed)?
        .into_keys()
        .collect();
    let exported = store::exported_parts(conn, Stream::Settlement, start).map_err(failed)?;
    let exports = store::exports(conn, start).map_err(failed)?;
    let known: Vec<Known> = settings
        .providers
        .iter()
        .map(|p| Known {
            reference: p.reference.clone(),
            name: p.name.clone(),
        })
        .collect();
    let providers = rules::status(&known, &versions, due, job.as_of, &before, &exported);
    let view = StatusView {
        ledger: &job.ledger,
        as_of: job.as_of,
        start,
        end: period.end(),
        submission_due: due.submission,
        table_top_due: due.table_top,
        providers: &providers,
        exports: &exports,
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
