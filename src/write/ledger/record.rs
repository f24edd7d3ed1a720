//! What `reconcile` says about each return it records: the outcome line,
//! notes the officer should see, and the report's Audit rows.

use std::fmt::Write as _;

use chrono::NaiveDate;

use super::refusal::refused;
use super::{change_words, recorded_by, when, whose};
use crate::base::text::{date, printable};
use crate::engine::ledger::{Admission, Change, SettlementChange, settlement_change};

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
        Admission::Refused(refusal) => Err(refused(&file, reference, start, refusal)),
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
    if let (Change::Settings, Some(old)) = (change, supersedes)
        && let Some(c) = settlement_change(old, r.totals.as_ref())
    {
        notes.push(settlement_words(&old.provider_reference, old.version, &c));
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
    // A decision made on another figure: held again, and what an earlier
    // export paid for the person stands meanwhile (docs/ledger.md).
    for p in r.people.iter().filter(|p| {
        p.settlement
            .as_ref()
            .is_some_and(|s| s.hold == Some(crate::engine::Hold::StaleDecision))
    }) {
        notes.push(format!(
            "Ledger: {}'s decision was made on another figure, so the settlement of {} is held again: whatever an earlier export paid or recovered for them stands until the officer decides again.",
            crate::base::text::who(&p.person_id, p.name.as_deref()),
            crate::base::text::pounds(p.settlement.as_ref().map_or_else(Default::default, |s| s.amount))
        ));
    }
    notes
}

/// What a settings version changed in the provider's settlement: before,
/// now and the difference the next payment run draws.
fn settlement_words(reference: &str, before: u32, c: &SettlementChange) -> String {
    use crate::base::text::pounds;
    let d = c.difference();
    let difference = if d.is_zero() {
        "no difference to pay or recover".to_string()
    } else if d.is_sign_positive() {
        format!("a difference of {} owed to the provider", pounds(d))
    } else {
        format!("a difference of {} owed to the council", pounds(-d))
    };
    let mut line = format!(
        "Ledger: {}'s authorised settlement was {} (version {before}) and is {} under the council's files as now: {difference}",
        printable(reference),
        pounds(c.authorised_before),
        pounds(c.authorised_now),
    );
    if c.held_changed() {
        let _ = write!(
            line,
            "; held {} before, {} now",
            pounds(c.held_before),
            pounds(c.held_now)
        );
    }
    if !d.is_zero() {
        line.push_str(
            ". The next `yourchoice export payments --ledger` (or invoices) draws what is due now less what was exported before",
        );
    }
    line.push('.');
    line
}

/// A rerun giving the figures on record although the council's files
/// changed since they were recorded: the change does not touch this
/// return, and a reason records that it was checked.
pub fn same_under_changed_files(file: &str, old: &crate::engine::ledger::Recorded) -> String {
    format!(
        "Ledger: the council's files changed since version {} of {} was recorded, and {} gives the same figures under them: nothing to pay or recover. To record that it was checked (so `status` no longer lists it), run again with --recalculation \"REASON\".",
        old.version,
        whose(old),
        printable(file)
    )
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
