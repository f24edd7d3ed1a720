//! What the ledger keeps of each return, person and export, as plain
//! values the store loads and the rules read.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

use super::admit::Recorded;
use crate::engine::result::{ChangeInNeed, PersonResult, PersonStatus};
use crate::model::settings::Action;

/// The officer's decision on a person, as recorded.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordedDecision {
    pub action: Action,
    pub officer: String,
    pub reason: String,
}

/// One person's figures as finance's exports show them: what the ledger
/// keeps of each person of a version.
#[derive(Clone, Debug, PartialEq)]
pub struct PersonRow {
    pub person_id: String,
    pub name: Option<String>,
    pub status: PersonStatus,
    /// Hours as SPEC 8.2 writes them (exact): shown, never summed again.
    pub commissioned: String,
    pub delivered: String,
    pub net_variance: String,
    pub variance_percent: Option<Decimal>,
    /// The settlement, rounded to pence; `None` for no billable week.
    pub settlement: Option<Decimal>,
    pub authorised: bool,
    pub decision: Option<RecordedDecision>,
    pub change_in_need: Option<ChangeInNeed>,
    /// The overcharge to refund (0 when none).
    pub overcharge: Decimal,
}

impl From<&PersonResult> for PersonRow {
    fn from(p: &PersonResult) -> PersonRow {
        let s = p.settlement.as_ref();
        PersonRow {
            person_id: p.person_id.clone(),
            name: p.name.clone(),
            status: p.status,
            commissioned: p.commissioned.to_spec_string(),
            delivered: p.delivered.to_spec_string(),
            net_variance: p.net_variance.to_spec_string(),
            variance_percent: p.variance_percent,
            settlement: s.map(|s| s.amount),
            authorised: s.is_some_and(|s| s.authorised),
            decision: s.and_then(|s| s.decision.as_ref()).map(|d| RecordedDecision {
                action: d.action,
                officer: d.officer.clone(),
                reason: d.reason.clone(),
            }),
            change_in_need: p.change_in_need,
            overcharge: p.charge.as_ref().map_or(Decimal::ZERO, |c| c.overcharge),
        }
    }
}

impl PersonRow {
    /// The settlement that may be paid or invoiced now: authorised, else 0.
    pub fn authorised_settlement(&self) -> Decimal {
        match self.settlement {
            Some(amount) if self.authorised => amount,
            _ => Decimal::ZERO,
        }
    }

    /// The settlement still held for the officer.
    pub fn held_settlement(&self) -> Option<Decimal> {
        self.settlement.filter(|_| !self.authorised)
    }

    /// Held with no decision yet: the officer has still to decide.
    pub fn undecided(&self) -> bool {
        self.settlement.is_some() && !self.authorised && self.decision.is_none()
    }

    /// Authorised by the officer's decision (a held settlement released).
    pub fn released(&self) -> bool {
        self.authorised
            && self
                .decision
                .as_ref()
                .is_some_and(|d| d.action == Action::Authorise)
    }
}

/// A version with its people: what a payment run draws on.
#[derive(Clone, Debug, PartialEq)]
pub struct Version {
    pub recorded: Recorded,
    pub people: Vec<PersonRow>,
}

/// An export as recorded.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportRecord {
    pub id: i64,
    pub kind: String,
    pub period_start: NaiveDate,
    pub lines: i64,
    pub total: Decimal,
    pub file: Option<String>,
    pub csv: Vec<u8>,
    pub exported_at: DateTime<Utc>,
    pub officer: String,
    pub repeat_of: Option<i64>,
}

/// One person's share of an exported line, as recorded.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportedPart {
    pub provider_reference: String,
    pub person_id: String,
    pub amount: Decimal,
}

/// What a line of a payment run is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Item {
    /// The first export of the provider's period in this stream: the
    /// settlement, refund or referral itself.
    First,
    /// A settlement held at an earlier export, since authorised by the
    /// officer.
    ReleasedHold,
    /// The difference between what is due now (after a resubmission, or
    /// other settings) and what was exported before.
    Difference,
}

/// One person's share of a line.
#[derive(Clone, Debug, PartialEq)]
pub struct Part {
    pub person_id: String,
    pub amount: Decimal,
    /// What was exported for the person before (a `Difference`).
    pub before: Decimal,
}

/// What checking a ledger found (the store checks; commands and writers
/// read this).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Health {
    /// The links of its hash chain (one per recorded return or export).
    pub links: i64,
    /// The last link's hash: the head to note outside the ledger.
    pub head: Option<String>,
    /// The first break, in words naming the record; `None` when whole.
    pub broken: Option<String>,
}
