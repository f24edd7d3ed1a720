//! The wording of the ledger's refusals: why a return was not recorded and
//! what the officer can do about it.

use chrono::NaiveDate;

use super::{recorded_by, short_sha, whose};
use crate::base::text::{date, printable};
use crate::engine::ledger::Refusal;

/// The message for a refused return, `file` already made printable.
pub(super) fn refused(file: &str, reference: &str, start: NaiveDate, refusal: &Refusal) -> String {
    match refusal {
        Refusal::OtherFile(old) => format!(
            "yourchoice: {file} was not recorded: the ledger already holds {} (SHA-256 {}..., {}) as {}. \
         If {file} is a corrected return that replaces it, run again with --resubmission \"REASON\".",
            printable(&old.file_name),
            short_sha(&old.file_sha256),
            recorded_by(old),
            whose(old)
        ),
        Refusal::RejectedOverReconciled(old) => format!(
            "yourchoice: {file} was not recorded: it was not reconciled, and version {} of {} ({}) was. \
         A rejected return never replaces figures that may have been paid: fix its errors \
         (`yourchoice check {file}`) and run again.",
            old.version,
            whose(old),
            printable(&old.file_name)
        ),
        Refusal::DecisionsDropped(old, people) => format!(
            "yourchoice: {file} was not recorded: version {} of {} applied the officer's decision on \
         the held settlement of {}, and this run leaves it held with no decision (an authorisation \
         lost would take back what may have been paid). Give the decisions file again, with any \
         new decisions; to change a decision, edit its line (decision, reason, officer, amount).",
            old.version,
            whose(old),
            people.join(", ")
        ),
        Refusal::NothingToReplace => format!(
            "yourchoice: {file} was not recorded: --resubmission replaces a recorded return, but the \
         ledger holds none of {reference}'s for the period from {}. Check the return's Provider \
         reference and Period start; if it is the first, run again without --resubmission.",
            date(start)
        ),
        Refusal::SettingsChanged(old) => format!(
            "yourchoice: {file} was not recorded: it is the file of version {} of {}, but its figures \
         differ, so the council's settings or plans differ from those it was reconciled with \
         (give the same --council as before). If the settings were corrected, run again with \
         --recalculation \"REASON\" to record a new version.",
            old.version,
            whose(old)
        ),
        Refusal::DecisionCarried(old, people) => format!(
            "yourchoice: {file} was not recorded: the decisions without a Period start for {} were \
         applied already to {} (the period from {}): a decision is for the period it was made in, \
         and would here decide the period from {} too. Give each line a Period start: the one it \
         was made for, or a new line for this period if the officer decided it.",
            people.join(", "),
            whose(old),
            date(old.period_start),
            date(start)
        ),
        Refusal::Overlaps(old) => format!(
            "yourchoice: {file} was not recorded: its period shares weeks with {} ({} to {}, {}, {}); \
         paying both would pay those weeks twice. Check the Period start in its Details.",
            whose(old),
            date(old.period_start),
            date(old.period_end),
            printable(&old.file_name),
            recorded_by(old)
        ),
    }
}
