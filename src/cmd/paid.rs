//! `yourchoice paid FILE --ledger L`: record what finance reports paid.
//! Each line of the paid file names an export (`YC-00007`: every line of
//! it) or one provider line (its invoice number), with the date paid, the
//! payment reference and optionally the amount. Every control is run
//! first (`engine::ledger::payments::match_paid`); with any problem,
//! nothing is recorded (exit 1). Otherwise the new lines are recorded in
//! one transaction, as one link of the hash chain; lines recorded before
//! alike are skipped, so running the same file again records nothing.
//!
//! ```text
//! yourchoice paid paid-2026-08.csv --ledger ledger.db --officer "Rhys Finance"
//! yourchoice paid AP_PAYMENTS.csv --council council.toml    ([paid] names its columns)
//! ```

use std::io::Write;

use super::{Outcome, stdout};
use crate::base::clock;
use crate::cli::config::{Config, Paid};
use crate::engine::ledger::match_paid;
use crate::read::paid::read_paid;
use crate::store::{Ledger, NewPaymentRun};
use crate::write::paid;

/// Run `paid`: exit 0 when recorded (or nothing new), 1 when a line of the
/// file cannot be recorded (nothing is then recorded).
///
/// # Errors
/// The paid file or the ledger cannot be read, or output cannot be
/// printed (exit 2).
pub fn run(job: &Paid, config: &Config) -> anyhow::Result<Outcome> {
    let layout = &config.settings.paid;
    let file = read_paid(&job.file, layout)?;
    let name = job.file.display().to_string();
    let mut book = Ledger::open(&job.ledger.path, false)?;
    let tx = book.begin()?;
    let exports = tx.all_exports()?;
    let lines = tx.export_lines(None)?;
    let recorded = tx.payments()?;
    let at = clock::now();
    let found = match_paid(&file.rows, &exports, &lines, &recorded, at.date_naive());
    if !found.problems.is_empty() {
        eprint!("{}", paid::refused(&name, &found.problems, &layout.date_format));
        return Ok(Outcome::Refused);
    }
    eprint!("{}", paid::notes(&name, &found));
    let mut out = stdout(config);
    if found.to_record.is_empty() {
        writeln!(
            out,
            "Nothing new to record: {}",
            if file.rows.is_empty() {
                format!("{name} lists no payment.")
            } else {
                format!(
                    "every line {name} reports paid is recorded paid already, with the same date and payment reference. Ledger head {}.",
                    tx.head()?
                )
            }
        )?;
        out.flush()?;
        return Ok(Outcome::Done);
    }
    let run = tx.insert_payment_run(&NewPaymentRun {
        file_name: &name,
        file_sha256: &file.sha256,
        lines: &found.to_record,
        officer: &job.ledger.officer,
        at,
    })?;
    let head = tx.head()?;
    tx.commit()?;
    write!(
        out,
        "{}",
        paid::recorded(&name, run, &found.to_record, &job.ledger.officer, &head)
    )?;
    out.flush()?;
    Ok(Outcome::Done)
}
