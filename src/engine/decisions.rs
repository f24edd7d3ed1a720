//! What the officer has to decide: every settlement no rule authorised (the
//! held ones), with the figures to decide on and any decision already made,
//! for the decisions workbook.

use chrono::NaiveDate;

use super::result::{AppliedDecision, Hold, PersonResult, Reconciliation, Settlement};

/// One held settlement, or one a decision released.
pub struct ToDecide<'a> {
    pub provider_reference: &'a str,
    pub provider_name: Option<&'a str>,
    pub period_start: NaiveDate,
    /// The person, with the figures to decide on (variance, change in
    /// need).
    pub person: &'a PersonResult,
    /// The settlement to decide: its amount is what a decision's `Amount`
    /// binds it to.
    pub settlement: &'a Settlement,
    /// Why no rule authorised it.
    pub hold: Hold,
}

impl ToDecide<'_> {
    /// The decision already applied to this figure, if any.
    pub fn decided(&self) -> Option<&AppliedDecision> {
        self.settlement.decision.as_ref()
    }
}

/// Every settlement held for the officer (decided or not), in the order of
/// the results and their people.
pub fn to_decide(results: &[Reconciliation]) -> Vec<ToDecide<'_>> {
    let mut out = Vec::new();
    for r in results {
        let (Some(provider), Some(period)) = (&r.provider, &r.period) else {
            continue;
        };
        let Some(reference) = provider.reference.as_deref() else {
            continue;
        };
        for p in &r.people {
            let Some(s) = &p.settlement else {
                continue;
            };
            let Some(hold) = s.hold else {
                continue;
            };
            out.push(ToDecide {
                provider_reference: reference,
                provider_name: provider.name.as_deref(),
                period_start: period.period.start,
                person: p,
                settlement: s,
                hold,
            });
        }
    }
    out
}
