//! A person referred two periods running.

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::base::text;
use crate::engine::result::{PersonStatus, Reconciliation};
use crate::model::findings::{Code, Finding, Location, Sheet};

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
