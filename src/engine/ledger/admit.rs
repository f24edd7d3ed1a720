//! Admission: whether a return is new, a new version of a recorded one, or
//! refused; and the decisions a version records.

use chrono::{DateTime, NaiveDate, Utc};

use super::fingerprint::Fingerprint;
use crate::engine::result::{Hold, Reconciliation, Totals};
use crate::model::settings::Action;

/// Why a version of a reconciliation was recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// The first record of the provider's return for the period.
    First,
    /// The same file, with other decisions applied (held settlements
    /// authorised after the table-top meeting).
    Decisions,
    /// The same file and decisions, with other council settings (a rate or
    /// a plan corrected).
    Settings,
    /// Another file, given with `--resubmission "REASON"`.
    Resubmission,
    /// Another file in place of one that was rejected (nothing of it could
    /// have been paid).
    Correction,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::First => "first",
            Change::Decisions => "decisions",
            Change::Settings => "settings",
            Change::Resubmission => "resubmission",
            Change::Correction => "correction",
        }
    }

    pub fn parse(text: &str) -> Option<Change> {
        [
            Change::First,
            Change::Decisions,
            Change::Settings,
            Change::Resubmission,
            Change::Correction,
        ]
        .into_iter()
        .find(|c| c.as_str() == text)
    }
}

/// One recorded version of a provider's reconciliation for a period.
#[derive(Clone, Debug, PartialEq)]
pub struct Recorded {
    pub id: i64,
    /// As compared: trimmed, upper case.
    pub provider_reference: String,
    pub provider_name: Option<String>,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// 1, 2, ... within the provider and period.
    pub version: u32,
    pub change: Change,
    /// The `--resubmission` reason.
    pub reason: Option<String>,
    pub file_name: String,
    pub file_sha256: String,
    /// What makes two runs the same: see [`Candidate::fingerprint`].
    pub fingerprint: String,
    pub reconciled: bool,
    /// The return's own Submission date, and whether it was late.
    pub submitted: Option<NaiveDate>,
    pub late: bool,
    /// The decisions applied, in a fixed order (what a `decisions` version
    /// changed).
    pub decisions: Vec<DecisionRecord>,
    /// The provider's totals; `None` when rejected.
    pub totals: Option<Totals>,
    pub recorded_at: DateTime<Utc>,
    pub officer: String,
}

/// A decision a version applied, as the ledger keeps it with the version.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct DecisionRecord {
    pub person_id: String,
    pub action: Action,
    pub officer: String,
    pub reason: String,
}

/// A reconciliation about to be recorded.
#[derive(Clone, Debug)]
pub struct Candidate {
    pub provider_reference: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub file_sha256: String,
    /// Equal exactly when the same file gave the same figures, findings
    /// and decisions ([`super::fingerprint`]).
    pub fingerprint: Fingerprint,
    pub reconciled: bool,
    pub decisions: Vec<DecisionRecord>,
    /// Those of `decisions` whose line gave no Period start.
    pub any_period: Vec<DecisionRecord>,
    /// The people whose settlement is held with no decision.
    pub undecided: Vec<String>,
}

/// What the ledger does with a candidate.
#[derive(Clone, Debug, PartialEq)]
pub enum Admission {
    /// The same file with the same result is recorded already: nothing new
    /// is written.
    Already(Recorded),
    /// Record it as `version`, superseding the current version if any.
    Record {
        version: u32,
        change: Change,
        supersedes: Option<Recorded>,
    },
    Refused(Refusal),
}

/// Why a candidate is not recorded.
#[derive(Clone, Debug, PartialEq)]
pub enum Refusal {
    /// Another file is recorded for the provider and period, and no
    /// `--resubmission` reason was given.
    OtherFile(Recorded),
    /// The candidate was rejected and the current version was reconciled: a
    /// rejected return never replaces figures that may have been paid.
    RejectedOverReconciled(Recorded),
    /// A recorded period of the provider that starts on another day shares
    /// weeks with this one: paying both would pay those weeks twice.
    Overlaps(Recorded),
    /// The current version applied a decision to these people's held
    /// settlements and this run leaves them held with no decision (the
    /// decisions file was left out, or a line dropped): an authorisation
    /// lost would take back what may have been paid, a hold lost its
    /// reason. A decision is changed by another line, not by leaving it out.
    DecisionsDropped(Recorded, Vec<String>),
    /// `--resubmission` was given but nothing is recorded for the provider
    /// and period: a mistyped reference or period start must not be paid as
    /// a new return.
    NothingToReplace,
    /// The same file and decisions give other figures: the council's
    /// settings or plans differ from those the current version was
    /// reconciled with (left out, or changed), and no reason was given.
    SettingsChanged(Recorded),
    /// A decision line without a Period start, recorded already for
    /// another period of the provider (the recorded version), would decide
    /// this period's settlement of these people too: last quarter's
    /// authorisation paying this quarter's referral. A decision carries
    /// into another period only by a line that names it.
    DecisionCarried(Recorded, Vec<String>),
}

/// The decisions applied to a result, in a fixed order (by person, then
/// the decision): what tells a `decisions` version from a `settings` one.
pub fn decisions_applied(r: &Reconciliation) -> Vec<DecisionRecord> {
    applied_where(r, |_| true)
}

/// Those of [`decisions_applied`] whose line gave no Period start.
pub fn decisions_for_any_period(r: &Reconciliation) -> Vec<DecisionRecord> {
    applied_where(r, |d| d.any_period)
}

fn applied_where(
    r: &Reconciliation,
    keep: impl Fn(&crate::engine::result::AppliedDecision) -> bool,
) -> Vec<DecisionRecord> {
    let mut applied: Vec<DecisionRecord> = r
        .people
        .iter()
        .filter_map(|p| {
            let d = p.settlement.as_ref()?.decision.as_ref().filter(|d| keep(d))?;
            Some(DecisionRecord {
                person_id: p.person_id.clone(),
                action: d.action,
                officer: d.officer.clone(),
                reason: d.reason.clone(),
            })
        })
        .collect();
    applied.sort();
    applied
}

/// The people whose held settlement has no decision in `r`. A decision
/// given but made on another figure (`decision-stale`) is not missing: the
/// officer is to decide again, and the version records the hold.
pub fn undecided(r: &Reconciliation) -> Vec<String> {
    r.people
        .iter()
        .filter(|p| {
            p.settlement
                .as_ref()
                .is_some_and(|s| !s.authorised && s.decision.is_none() && s.hold != Some(Hold::StaleDecision))
        })
        .map(|p| p.person_id.clone())
        .collect()
}

/// [`admit`], first refusing a decision carried from another period:
/// `others` are the current versions of the provider's other periods.
pub fn admit_among(
    current: Option<&Recorded>,
    overlapping: Option<&Recorded>,
    others: &[Recorded],
    new: &Candidate,
    resubmission: bool,
) -> Admission {
    for other in others.iter().filter(|o| o.period_start != new.period_start) {
        let carried: Vec<String> = new
            .any_period
            .iter()
            .filter(|d| other.decisions.contains(d))
            .map(|d| d.person_id.clone())
            .collect();
        if !carried.is_empty() {
            return Admission::Refused(Refusal::DecisionCarried(other.clone(), carried));
        }
    }
    admit(current, overlapping, new, resubmission)
}

/// Decide what to do with `new` (SPEC issue 15): `current` is the current
/// version for the provider and period, `overlapping` a current version of
/// the provider for another period sharing weeks with it.
pub fn admit(
    current: Option<&Recorded>,
    overlapping: Option<&Recorded>,
    new: &Candidate,
    resubmission: bool,
) -> Admission {
    // Whatever else, two reconciled periods of one provider never share a
    // week (a correction of a rejected return included).
    if let Some(o) = overlapping {
        return Admission::Refused(Refusal::Overlaps(o.clone()));
    }
    let Some(c) = current else {
        if resubmission {
            return Admission::Refused(Refusal::NothingToReplace);
        }
        return Admission::Record {
            version: 1,
            change: Change::First,
            supersedes: None,
        };
    };
    if new.fingerprint.matches(&c.fingerprint) {
        return Admission::Already(c.clone());
    }
    if c.reconciled && !new.reconciled {
        return Admission::Refused(Refusal::RejectedOverReconciled(c.clone()));
    }
    let change = if c.file_sha256 == new.file_sha256 {
        if c.decisions != new.decisions {
            Change::Decisions
        } else if resubmission {
            Change::Settings
        } else {
            return Admission::Refused(Refusal::SettingsChanged(c.clone()));
        }
    } else if resubmission {
        Change::Resubmission
    } else if !c.reconciled {
        Change::Correction
    } else {
        return Admission::Refused(Refusal::OtherFile(c.clone()));
    };
    let dropped: Vec<String> = c
        .decisions
        .iter()
        .map(|d| d.person_id.as_str())
        .filter(|id| new.undecided.iter().any(|u| u == id))
        .map(str::to_string)
        .collect();
    if !dropped.is_empty() {
        return Admission::Refused(Refusal::DecisionsDropped(c.clone(), dropped));
    }
    Admission::Record {
        version: c.version + 1,
        change,
        supersedes: Some(c.clone()),
    }
}
