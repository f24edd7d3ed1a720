//! A provider's quarter at a glance: what was received, when, and what is
//! still to pay.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::pay_run::pay_run;
use super::records::{ExportedPart, PersonRow, Version};
use crate::engine::result::PersonStatus;
use crate::model::export::Stream;
use crate::model::settings::reference_key;

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
    let pending = pay_run(Stream::Settlement, versions, exported, exported);
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
