//! What the officer has to decide: every settlement no rule authorised (the
//! held ones), with the figures to decide on and any decision already made,
//! for the decisions workbook.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::result::{AppliedDecision, ChangeInNeed, Hold, PersonResult, Reconciliation};
use crate::base::units::Hours;

/// One held settlement, or one a decision released.
pub struct ToDecide<'a> {
    pub provider_reference: &'a str,
    pub provider_name: Option<&'a str>,
    pub period_start: NaiveDate,
    pub person: &'a PersonResult,
    /// Why no rule authorised it.
    pub hold: Hold,
    pub net_variance: Hours,
    pub variance_percent: Option<Decimal>,
    pub change_in_need: Option<ChangeInNeed>,
    /// The settlement to decide: what a decision's `Amount` binds it to.
    pub amount: Decimal,
    /// The decision already applied to this figure, if any.
    pub decided: Option<&'a AppliedDecision>,
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
                hold,
                net_variance: p.net_variance,
                variance_percent: p.variance_percent,
                change_in_need: p.change_in_need,
                amount: s.amount,
                decided: s.decision.as_ref(),
            });
        }
    }
    out
}
