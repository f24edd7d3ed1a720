//! `yourchoice ledger verify`: is the ledger as yourchoice recorded it?

use std::io::Write;

use super::{Outcome, stdout};
use crate::cli::config::{Config, Verify};
use crate::store::Ledger;
use crate::write;

/// Run `ledger verify`: exit 0 when the ledger is whole and holds every
/// head given, 1 when not.
///
/// # Errors
/// The file cannot be opened as a ledger, or output cannot be printed.
pub fn run(job: &Verify, config: &Config) -> anyhow::Result<Outcome> {
    let book = Ledger::open_to_read(&job.ledger)?;
    let health = book.health()?;
    let mut missing = Vec::new();
    if health.broken.is_none() {
        for head in &job.heads {
            if !book.holds_head(head)? {
                missing.push(head.as_str());
            }
        }
    }
    let mut out = stdout(config);
    write!(
        out,
        "{}",
        write::phrases::wrap_text(
            &write::verify::render(&job.ledger, &health, &job.heads, &missing),
            config.width
        )
    )?;
    out.flush()?;
    Ok(if health.broken.is_some() || !missing.is_empty() {
        Outcome::Refused
    } else {
        Outcome::Done
    })
}
