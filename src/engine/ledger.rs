//! The ledger's rules (issue 15), as pure functions over what the ledger
//! holds: whether a reconciliation is new, a new version or refused; what a
//! payment run still has to export; a provider's quarter at a glance; and a
//! person referred two periods running. `crate::store` stores and loads
//! these plain values in SQLite; nothing here does I/O.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

use super::result::{ChangeInNeed, PersonResult, PersonStatus, Reconciliation, Totals};
use crate::base::text;
use crate::model::export::Stream;
use crate::model::findings::{Code, Finding, Location, Sheet};
use crate::model::settings::{Action, reference_key};

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
    /// The decisions applied, one line each (what a `decisions` version
    /// changed).
    pub decisions: String,
    /// The provider's totals; `None` when rejected.
    pub totals: Option<Totals>,
    pub recorded_at: DateTime<Utc>,
    pub officer: String,
}

/// A reconciliation about to be recorded.
#[derive(Clone, Debug)]
pub struct Candidate {
    pub provider_reference: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub file_sha256: String,
    /// The SHA-256 of the input's SHA-256 and of its figures, findings and
    /// decisions as the JSON document gives them: equal exactly when the
    /// same file gave the same result.
    pub fingerprint: String,
    pub reconciled: bool,
    pub decisions: String,
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
}

/// The decisions applied to a result, one line each, in a fixed order: what
/// tells a `decisions` version from a `settings` one.
pub fn decisions_applied(r: &Reconciliation) -> String {
    let mut lines: Vec<String> = r
        .people
        .iter()
        .filter_map(|p| {
            let d = p.settlement.as_ref()?.decision.as_ref()?;
            Some(format!(
                "{}\t{}\t{}\t{}",
                p.person_id,
                d.action.as_str(),
                d.officer,
                d.reason
            ))
        })
        .collect();
    lines.sort();
    lines.join("\n")
}

/// The people whose held settlement has no decision in `r`.
pub fn undecided(r: &Reconciliation) -> Vec<String> {
    r.people
        .iter()
        .filter(|p| {
            p.settlement
                .as_ref()
                .is_some_and(|s| !s.authorised && s.decision.is_none())
        })
        .map(|p| p.person_id.clone())
        .collect()
}

/// The people a recorded version applied a decision to.
fn decided(decisions: &str) -> impl Iterator<Item = &str> {
    decisions.lines().filter_map(|line| line.split('\t').next())
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
    if c.fingerprint == new.fingerprint {
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
    let dropped: Vec<String> = decided(&c.decisions)
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

// ---------------------------------------------------------------------------
// What the ledger keeps of each person, and the payment run

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

/// One line of a payment run: a provider's line (payments, invoices) or a
/// person's (remittance, refunds, referrals).
#[derive(Clone, Debug, PartialEq)]
pub struct PayLine<'a> {
    pub version: &'a Version,
    /// The person of a person's line; `None` when they are no longer in the
    /// current version (a difference taking back what was exported).
    pub person: Option<&'a PersonRow>,
    /// The person's ID on a person's line.
    pub person_id: Option<String>,
    pub item: Item,
    /// Owed to the provider (or the person) when positive.
    pub amount: Decimal,
    pub parts: Vec<Part>,
    /// What the stream exported before for the provider's period, everyone
    /// included.
    pub provider_before: Decimal,
}

impl PayLine<'_> {
    /// The people whose held settlements this line releases.
    pub fn released(&self) -> Vec<&str> {
        if self.item != Item::ReleasedHold {
            return Vec::new();
        }
        self.parts.iter().map(|p| p.person_id.as_str()).collect()
    }

    /// What was exported before for the people of this line.
    pub fn before(&self) -> Decimal {
        self.parts.iter().map(|p| p.before).sum()
    }

    /// What was exported before, as a line's note states it: the person's
    /// on a person's line, the provider's whole period on a provider's.
    pub fn exported_before(&self) -> Decimal {
        if self.person_id.is_some() {
            self.before()
        } else {
            self.provider_before
        }
    }

    /// What is due now, all told: what was exported before and this line.
    pub fn due_now(&self) -> Decimal {
        self.exported_before() + self.amount
    }
}

/// The sum of lines (signed: owed to the provider or person when positive).
pub fn total(lines: &[&PayLine<'_>]) -> Decimal {
    lines.iter().map(|l| l.amount).sum()
}

/// What `stream` still has to export for the current versions of a period:
/// for each person the amount due now less what was exported before (in any
/// earlier export of the stream, repeats aside). Payments and invoices are
/// one line per provider and item (its sign says which file it goes in);
/// the others one line per person. Lines of 0 are left out: nothing moves.
pub fn pay_run<'a>(stream: Stream, versions: &'a [Version], exported: &[ExportedPart]) -> Vec<PayLine<'a>> {
    // provider -> person -> sum exported; one pass, so no search per person.
    let mut before: HashMap<&str, BTreeMap<&str, Decimal>> = HashMap::new();
    // The referrals list is not money: what counts is the last line a
    // person had (the settlement then held), not a sum.
    let mut last: HashMap<(&str, &str), Decimal> = HashMap::new();
    for part in exported {
        *before
            .entry(part.provider_reference.as_str())
            .or_default()
            .entry(part.person_id.as_str())
            .or_default() += part.amount;
        last.insert(
            (part.provider_reference.as_str(), part.person_id.as_str()),
            part.amount,
        );
    }
    let mut lines = Vec::new();
    for v in versions.iter().filter(|v| v.recorded.reconciled) {
        let empty = BTreeMap::new();
        let done = before
            .get(v.recorded.provider_reference.as_str())
            .unwrap_or(&empty);
        let exported_before = !done.is_empty();
        let provider_before: Decimal = done.values().copied().sum();
        let mut person_lines: Vec<PayLine<'a>> = Vec::new();
        let mut seen: HashSet<&str> = HashSet::new();
        for p in &v.people {
            seen.insert(p.person_id.as_str());
            let had = done.get(p.person_id.as_str()).copied();
            let (due, item) = match stream {
                Stream::Referral => {
                    if p.status != PersonStatus::Referred {
                        continue;
                    }
                    // Listed once, and again when what is held changes (the
                    // officer's decision released it).
                    let held = p.held_settlement().unwrap_or_default();
                    match last.get(&(v.recorded.provider_reference.as_str(), p.person_id.as_str())) {
                        None => (held, Item::First),
                        Some(&was) if was == held => continue,
                        Some(_) => (held, Item::Difference),
                    }
                }
                Stream::Settlement | Stream::Remittance | Stream::Refund => {
                    let had = had.unwrap_or_default();
                    let due = if stream == Stream::Refund {
                        p.overcharge
                    } else if p.undecided() {
                        // Held, waiting for the officer: nothing moves for
                        // them, either way, until a decision says so.
                        had
                    } else {
                        p.authorised_settlement()
                    };
                    if due == had {
                        continue;
                    }
                    let item = if !exported_before {
                        Item::First
                    } else if had.is_zero() && p.released() {
                        Item::ReleasedHold
                    } else {
                        Item::Difference
                    };
                    (due - had, item)
                }
            };
            person_lines.push(PayLine {
                version: v,
                person: Some(p),
                person_id: Some(p.person_id.clone()),
                item,
                amount: due,
                parts: vec![Part {
                    person_id: p.person_id.clone(),
                    amount: due,
                    before: done.get(p.person_id.as_str()).copied().unwrap_or_default(),
                }],
                provider_before,
            });
        }
        // Someone exported before and no longer in the current version (a
        // resubmission without them): what was paid for them is taken back.
        if stream != Stream::Referral {
            for (&id, &had) in done
                .iter()
                .filter(|(id, had)| !seen.contains(**id) && !had.is_zero())
            {
                person_lines.push(PayLine {
                    version: v,
                    person: None,
                    person_id: Some(id.to_string()),
                    item: Item::Difference,
                    amount: -had,
                    parts: vec![Part {
                        person_id: id.to_string(),
                        amount: -had,
                        before: had,
                    }],
                    provider_before,
                });
            }
        }
        if stream == Stream::Settlement {
            let mut by_item: BTreeMap<Item, PayLine<'a>> = BTreeMap::new();
            for line in person_lines {
                let entry = by_item.entry(line.item).or_insert_with(|| PayLine {
                    version: v,
                    person: None,
                    person_id: None,
                    item: line.item,
                    amount: Decimal::ZERO,
                    parts: Vec::new(),
                    provider_before,
                });
                entry.amount += line.amount;
                entry.parts.extend(line.parts);
            }
            lines.extend(by_item.into_values().filter(|l| !l.amount.is_zero()));
        } else {
            person_lines.sort_by(|a, b| (a.item, &a.person_id).cmp(&(b.item, &b.person_id)));
            lines.extend(person_lines);
        }
    }
    lines.sort_by(|a, b| {
        (&a.version.recorded.provider_reference, a.item, &a.person_id).cmp(&(
            &b.version.recorded.provider_reference,
            b.item,
            &b.person_id,
        ))
    });
    lines
}

// ---------------------------------------------------------------------------
// Referred two periods running

/// Where a person was referred in the period before.
#[derive(Clone, Debug, PartialEq)]
pub struct EarlierReferral {
    pub provider_reference: String,
    pub period_start: NaiveDate,
    pub net_variance: String,
    pub variance_percent: Option<Decimal>,
}

/// The day the period before a period starting on `start` ends.
pub fn day_before(start: NaiveDate) -> NaiveDate {
    start.pred_opt().unwrap_or(start)
}

/// A `referred-again` warning for each person referred in `r` who was also
/// referred in the period before (`before`, by Person ID): the policy's
/// "sustained care and support outside of the 8%".
pub fn referred_again(r: &Reconciliation, before: &HashMap<String, EarlierReferral>) -> Vec<Finding> {
    r.people
        .iter()
        .filter(|p| p.status == PersonStatus::Referred)
        .filter_map(|p| {
            let e = before.get(&p.person_id)?;
            let at = p.rows.first().map(|&row| Location::row(Sheet::Hours, row));
            Some(
                Finding::new(
                    Code::ReferredAgain,
                    format!(
                        "{} was referred in the period before too (from {}, provider {}, {} hours{}): \
                         outside the tolerance two periods running is the policy's \"sustained care \
                         and support outside of the 8%\". Raise it at the social work review: the \
                         bundle may no longer meet their needs.",
                        text::who(&p.person_id, p.name.as_deref()),
                        text::date(e.period_start),
                        e.provider_reference,
                        e.net_variance,
                        e.variance_percent
                            .map(|v| format!(", {}%", crate::base::units::format_fixed(v, 2)))
                            .unwrap_or_default(),
                    ),
                )
                .at_opt(at)
                .person(&p.person_id),
            )
        })
        .collect()
}

/// Add the `referred-again` warnings to a result, in severity order.
pub fn add_referred_again(r: &mut Reconciliation, before: &HashMap<String, EarlierReferral>) {
    let found = referred_again(r, before);
    if found.is_empty() {
        return;
    }
    r.findings.extend(found);
    r.findings.sort_by_key(Finding::severity);
}

// ---------------------------------------------------------------------------
// The quarter at a glance

/// Where a provider's return for a period stands.
#[derive(Clone, Debug, PartialEq)]
pub struct ProviderStatus<'a> {
    pub reference: String,
    pub name: Option<String>,
    /// The current version, when received.
    pub current: Option<&'a Version>,
    pub submission_due: NaiveDate,
    pub table_top_due: NaiveDate,
    /// Days from the as-of date to each due date (negative: past).
    pub submission_days_left: i64,
    pub table_top_days_left: i64,
    pub timeliness: Timeliness,
    pub referred: usize,
    /// Referred in the period before too.
    pub referred_again: usize,
    /// Σ of the settlement lines still to export (payments less
    /// recoveries), and what was exported.
    pub to_export: Decimal,
    pub exported: Decimal,
    /// A settlement export of the period has included this provider.
    pub ever_exported: bool,
}

/// Received on time, late, or not yet (due or overdue).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Timeliness {
    OnTime,
    Late,
    /// The return's Details give no submission date.
    Undated,
    NotYetDue,
    Overdue,
}

impl Timeliness {
    pub fn as_str(self) -> &'static str {
        match self {
            Timeliness::OnTime => "on_time",
            Timeliness::Late => "late",
            Timeliness::Undated => "undated",
            Timeliness::NotYetDue => "not_yet_due",
            Timeliness::Overdue => "overdue",
        }
    }
}

/// A provider the council's settings name, or one found in the ledger.
#[derive(Clone, Debug, PartialEq)]
pub struct Known {
    pub reference: String,
    pub name: Option<String>,
}

/// The period's due dates (SPEC 1).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Due {
    pub submission: NaiveDate,
    pub table_top: NaiveDate,
}

/// Each provider's status for a period as of a date: the providers the
/// council names first, in its order, then any other the ledger holds for
/// the period. `referred_before` is the Person IDs referred in the period
/// before; `exported` the settlement stream's exported parts.
pub fn status<'a>(
    providers: &[Known],
    versions: &'a [Version],
    due: Due,
    as_of: NaiveDate,
    referred_before: &HashSet<String>,
    exported: &[ExportedPart],
) -> Vec<ProviderStatus<'a>> {
    let by_reference: HashMap<&str, &Version> = versions
        .iter()
        .map(|v| (v.recorded.provider_reference.as_str(), v))
        .collect();
    let mut all: Vec<Known> = providers.to_vec();
    let named: HashSet<String> = providers.iter().map(|p| reference_key(&p.reference)).collect();
    for v in versions {
        if !named.contains(&v.recorded.provider_reference) {
            all.push(Known {
                reference: v.recorded.provider_reference.clone(),
                name: v.recorded.provider_name.clone(),
            });
        }
    }
    let pending = pay_run(Stream::Settlement, versions, exported);
    let mut exported_by: HashMap<&str, Decimal> = HashMap::new();
    for part in exported {
        *exported_by.entry(part.provider_reference.as_str()).or_default() += part.amount;
    }
    all.into_iter()
        .map(|known| {
            let key = reference_key(&known.reference);
            let current = by_reference.get(key.as_str()).copied();
            let (submission_due, table_top_due) = (due.submission, due.table_top);
            let timeliness = match current {
                Some(v) if v.recorded.late => Timeliness::Late,
                Some(v) if v.recorded.submitted.is_none() => Timeliness::Undated,
                Some(_) => Timeliness::OnTime,
                None if as_of > submission_due => Timeliness::Overdue,
                None => Timeliness::NotYetDue,
            };
            let people = current.map(|v| v.people.as_slice()).unwrap_or_default();
            let referred: Vec<&PersonRow> = people
                .iter()
                .filter(|p| p.status == PersonStatus::Referred)
                .collect();
            ProviderStatus {
                name: known
                    .name
                    .clone()
                    .or_else(|| current.and_then(|v| v.recorded.provider_name.clone())),
                reference: known.reference,
                current,
                submission_due,
                table_top_due,
                submission_days_left: (submission_due - as_of).num_days(),
                table_top_days_left: (table_top_due - as_of).num_days(),
                timeliness,
                referred: referred.len(),
                referred_again: referred
                    .iter()
                    .filter(|p| referred_before.contains(&p.person_id))
                    .count(),
                to_export: pending
                    .iter()
                    .filter(|l| l.version.recorded.provider_reference == key)
                    .map(|l| l.amount)
                    .sum(),
                exported: exported_by.get(key.as_str()).copied().unwrap_or_default(),
                ever_exported: exported.iter().any(|p| p.provider_reference == key),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    fn recorded(version: u32, sha: &str, fingerprint: &str, reconciled: bool) -> Recorded {
        Recorded {
            id: i64::from(version),
            provider_reference: "SUP00123".into(),
            provider_name: None,
            period_start: NaiveDate::from_ymd_opt(2026, 4, 6).unwrap(),
            period_end: NaiveDate::from_ymd_opt(2026, 7, 5).unwrap(),
            version,
            change: Change::First,
            reason: None,
            file_name: "a.xlsx".into(),
            file_sha256: sha.into(),
            fingerprint: fingerprint.into(),
            reconciled,
            submitted: None,
            late: false,
            decisions: String::new(),
            totals: None,
            recorded_at: DateTime::<Utc>::UNIX_EPOCH,
            officer: "A".into(),
        }
    }

    fn candidate(sha: &str, fingerprint: &str, reconciled: bool, decisions: &str) -> Candidate {
        Candidate {
            provider_reference: "SUP00123".into(),
            period_start: NaiveDate::from_ymd_opt(2026, 4, 6).unwrap(),
            period_end: NaiveDate::from_ymd_opt(2026, 7, 5).unwrap(),
            file_sha256: sha.into(),
            fingerprint: fingerprint.into(),
            reconciled,
            decisions: decisions.into(),
            undecided: Vec::new(),
        }
    }

    #[test]
    fn admission_follows_the_issue() {
        let v1 = recorded(1, "s1", "f1", true);
        let record = |version, change| Admission::Record {
            version,
            change,
            supersedes: Some(v1.clone()),
        };
        assert!(matches!(
            admit(None, None, &candidate("s1", "f1", true, ""), false),
            Admission::Record {
                version: 1,
                change: Change::First,
                supersedes: None
            }
        ));
        assert_eq!(
            admit(Some(&v1), None, &candidate("s1", "f1", true, ""), false),
            Admission::Already(v1.clone())
        );
        assert_eq!(
            admit(
                Some(&v1),
                None,
                &candidate("s1", "f2", true, "P1\tauthorise"),
                false
            ),
            record(2, Change::Decisions)
        );
        assert_eq!(
            admit(Some(&v1), None, &candidate("s1", "f2", true, ""), false),
            Admission::Refused(Refusal::SettingsChanged(v1.clone()))
        );
        assert_eq!(
            admit(Some(&v1), None, &candidate("s1", "f2", true, ""), true),
            record(2, Change::Settings)
        );
        assert_eq!(
            admit(Some(&v1), None, &candidate("s2", "f2", true, ""), false),
            Admission::Refused(Refusal::OtherFile(v1.clone()))
        );
        assert_eq!(
            admit(Some(&v1), None, &candidate("s2", "f2", true, ""), true),
            record(2, Change::Resubmission)
        );
        assert_eq!(
            admit(Some(&v1), None, &candidate("s2", "f2", false, ""), true),
            Admission::Refused(Refusal::RejectedOverReconciled(v1.clone()))
        );
        let rejected = recorded(1, "s1", "f1", false);
        assert!(matches!(
            admit(Some(&rejected), None, &candidate("s2", "f2", true, ""), false),
            Admission::Record {
                version: 2,
                change: Change::Correction,
                ..
            }
        ));
        assert_eq!(
            admit(None, Some(&v1), &candidate("s2", "f2", true, ""), true),
            Admission::Refused(Refusal::Overlaps(v1.clone()))
        );
        // Authorised before, held with no decision now: refused.
        let mut authorised = v1.clone();
        authorised.decisions = "P2\tauthorise\tO\tR".into();
        let mut again = candidate("s1", "f3", true, "");
        again.undecided = vec!["P2".into()];
        assert_eq!(
            admit(Some(&authorised), None, &again, false),
            Admission::Refused(Refusal::DecisionsDropped(authorised.clone(), vec!["P2".into()]))
        );
        // A hold left out loses its reason: refused too.
        let mut hold = v1.clone();
        hold.decisions = "P2\thold\tO\tR".into();
        assert!(matches!(
            admit(Some(&hold), None, &again, false),
            Admission::Refused(Refusal::DecisionsDropped(..))
        ));
        // Revoked by a hold line: recorded.
        let mut held = candidate("s1", "f3", true, "P2\thold\tO\tR2");
        held.undecided = Vec::new();
        assert_eq!(
            admit(Some(&authorised), None, &held, false),
            Admission::Record {
                version: 2,
                change: Change::Decisions,
                supersedes: Some(authorised)
            }
        );
    }

    fn person(id: &str, settlement: Decimal, authorised: bool, released: bool) -> PersonRow {
        PersonRow {
            person_id: id.into(),
            name: None,
            status: if authorised && !released {
                PersonStatus::WithinTolerance
            } else {
                PersonStatus::Referred
            },
            commissioned: "10".into(),
            delivered: "10".into(),
            net_variance: "0".into(),
            variance_percent: None,
            settlement: Some(settlement),
            authorised,
            decision: released.then(|| RecordedDecision {
                action: Action::Authorise,
                officer: "O".into(),
                reason: "R".into(),
            }),
            change_in_need: None,
            overcharge: Decimal::ZERO,
        }
    }

    fn part(id: &str, amount: Decimal) -> ExportedPart {
        ExportedPart {
            provider_reference: "SUP00123".into(),
            person_id: id.into(),
            amount,
        }
    }

    #[test]
    fn a_payment_run_exports_only_what_was_not_exported() {
        // P1 +£50 within tolerance, P2 +£509.43 held, P3 -£20 within.
        let v1 = Version {
            recorded: recorded(1, "s1", "f1", true),
            people: vec![
                person("P1", dec!(50.00), true, false),
                person("P2", dec!(509.43), false, false),
                person("P3", dec!(-20.00), true, false),
            ],
        };
        let versions = vec![v1.clone()];
        let first = pay_run(Stream::Settlement, &versions, &[]);
        assert_eq!(first.len(), 1);
        assert_eq!((first[0].item, first[0].amount), (Item::First, dec!(30.00)));

        // After that export, the officer authorises P2: one released hold.
        let exported = vec![part("P1", dec!(50.00)), part("P3", dec!(-20.00))];
        assert!(pay_run(Stream::Settlement, &versions, &exported).is_empty());
        let mut v2 = v1.clone();
        v2.people[1] = person("P2", dec!(509.43), true, true);
        let versions = vec![v2];
        let next = pay_run(Stream::Settlement, &versions, &exported);
        assert_eq!(next.len(), 1);
        assert_eq!((next[0].item, next[0].amount), (Item::ReleasedHold, dec!(509.43)));
        assert_eq!(next[0].released(), vec!["P2"]);

        // A resubmission: P1 now +£40 and P3 gone: -£10 and +£20 back.
        let mut v3 = v1;
        v3.people = vec![person("P1", dec!(40.00), true, false)];
        let versions = vec![v3];
        let diff = pay_run(Stream::Settlement, &versions, &exported);
        assert_eq!(diff.len(), 1);
        assert_eq!((diff[0].item, diff[0].amount), (Item::Difference, dec!(10.00)));
        assert_eq!(diff[0].before(), dec!(30.00), "P1's £50 and P3's -£20");
        assert_eq!(diff[0].provider_before, dec!(30.00));
        let remittance = pay_run(Stream::Remittance, &versions, &exported);
        let amounts: Vec<(Option<String>, Decimal)> = remittance
            .iter()
            .map(|l| (l.person_id.clone(), l.amount))
            .collect();
        assert_eq!(
            amounts,
            vec![
                (Some("P1".into()), dec!(-10.00)),
                (Some("P3".into()), dec!(20.00))
            ]
        );
    }

    #[test]
    fn a_paid_settlement_held_after_a_resubmission_waits_for_the_officer() {
        // P1 +£24 was paid within tolerance; the resubmission refers P1 and
        // holds a -£30: nothing moves until the officer decides.
        let paid = vec![part("P1", dec!(24.00))];
        let held = Version {
            recorded: recorded(2, "s2", "f2", true),
            people: vec![person("P1", dec!(-30.00), false, false)],
        };
        let versions = vec![held.clone()];
        assert!(pay_run(Stream::Settlement, &versions, &paid).is_empty());
        // The officer's hold: the £24 paid is recovered.
        let mut decided = held;
        decided.people[0].decision = Some(RecordedDecision {
            action: Action::Hold,
            officer: "O".into(),
            reason: "R".into(),
        });
        let versions = vec![decided];
        let run = pay_run(Stream::Settlement, &versions, &paid);
        assert_eq!((run[0].item, run[0].amount), (Item::Difference, dec!(-24.00)));
    }

    #[test]
    fn referrals_are_exported_once_each() {
        let v = Version {
            recorded: recorded(1, "s1", "f1", true),
            people: vec![
                person("P2", dec!(509.43), false, false),
                person("P1", dec!(5), true, false),
            ],
        };
        let versions = vec![v];
        let first = pay_run(Stream::Referral, &versions, &[]);
        assert_eq!(first.len(), 1);
        assert_eq!(
            (first[0].person_id.as_deref(), first[0].amount),
            (Some("P2"), dec!(509.43))
        );
        assert!(pay_run(Stream::Referral, &versions, &[part("P2", dec!(509.43))]).is_empty());
        // Authorised since: listed again, nothing held now.
        let mut v = versions[0].clone();
        v.people[0] = person("P2", dec!(509.43), true, true);
        let versions = vec![v];
        let update = pay_run(Stream::Referral, &versions, &[part("P2", dec!(509.43))]);
        assert_eq!(update.len(), 1);
        assert_eq!(
            (update[0].item, update[0].amount),
            (Item::Difference, Decimal::ZERO)
        );
    }
}
