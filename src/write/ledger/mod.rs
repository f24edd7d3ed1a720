//! What the ledger's commands say: each reconciliation's outcome (recorded,
//! already recorded, refused), the report's Audit rows about it, and
//! `status` as a table or JSON. Words only: every figure is the engine's.
//!
//! `record` words what `reconcile` did with a return, `refusal` why it
//! refused one, `status` the `status` view; the helpers here name a
//! recorded return the same way in all three.

use chrono::{DateTime, Utc};

use crate::base::text::date;
use crate::engine::ledger::{Change, Recorded};

mod record;
mod refusal;
mod status;

pub use record::{audit_rows, notes, outcome, same_under_changed_files};
pub use status::{Recalculate, StatusView, render_status, status_json};

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
        Change::Settings => match reason {
            Some(reason) => format!("the same file and decisions, with other council settings: {reason}"),
            None => "the same file and decisions, with other council settings".to_string(),
        },
        Change::Resubmission => format!("a resubmission: {}", reason.unwrap_or_default()),
        Change::Correction => "a corrected return in place of a rejected one".to_string(),
    }
}
