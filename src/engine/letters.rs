//! What each letter states (issue 24), worked out from a reconciliation:
//! a person's statement of charges week by week, a provider's remittance
//! advice, and a notice for each held settlement. Every figure a letter
//! shows is here; the letter writers only word and lay them out.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::result::{Hold, PersonResult, Reconciliation, Totals};
use super::rules::{self, ChangeInNeed, Method};
use crate::base::units::{Hours, round2};
use crate::model::letters::Language;
use crate::model::settings::{Plan, Settings, person_key};

/// Who a letter is to, as the council records them: the plans' name,
/// address and language choice win over the return's name.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Addressee {
    pub name: Option<String>,
    pub address: Vec<String>,
    /// `None`: no choice recorded (the letter is in Welsh and English).
    pub language: Option<Language>,
}

/// One care week of a statement.
#[derive(Clone, Debug, PartialEq)]
pub struct StatementWeek {
    pub week: u32,
    pub commencing: NaiveDate,
    /// *B_k*.
    pub bundle: Option<Hours>,
    /// *A_k* (0 in a no-care week).
    pub received: Hours,
    /// round₂(*B_k* · *r_k*): what the week's hours in the plan cost.
    pub bundle_cost: Option<Decimal>,
    /// *C'* = min(*C*, cap) (a billable week).
    pub weekly_charge: Option<Decimal>,
    /// What the person was charged: round₂(min(*C'*, *B_k* · *r_k*)); `None`
    /// in a no-care week (not charged).
    pub charged: Option<Decimal>,
}

/// Care received at one rate: `hours` × `rate` = `cost` (to the penny).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CostAtRate {
    pub rate: Decimal,
    pub hours: Hours,
    pub cost: Decimal,
}

/// A person's statement of charges for the period (SPEC 4's
/// service-user charge, week by week).
#[derive(Clone, Debug, PartialEq)]
pub struct Statement<'a> {
    pub person: &'a PersonResult,
    pub to: Addressee,
    pub weeks: Vec<StatementWeek>,
    /// The bundle when it was the same in every care week.
    pub bundle: Option<Hours>,
    /// The rate when it was the same in every billable week.
    pub rate: Option<Decimal>,
    /// *C* when the same in every billable week.
    pub assessed: Option<Decimal>,
    /// The cap, when one was in force and lowered the charge in some week
    /// (the same in every such week).
    pub cap: Option<Decimal>,
    /// *C'* when the same in every billable week.
    pub weekly_charge: Option<Decimal>,
    /// The cap lowered the charge in some week, at more than one figure
    /// (it changed during the period).
    pub cap_varies: bool,
    /// Some week had care but no assessed charge: not charged, and not in
    /// the cost of the care the charge is set against.
    pub uncharged_care: bool,
    pub charged: Decimal,
    pub cost_at_rates: Vec<CostAtRate>,
    /// round₂(Σ *A_k* · *r_k*), SPEC 4's cost of care received.
    pub cost: Decimal,
    /// Σ *A_k* · *r_k* before rounding, when it is finer than a penny: the
    /// refund is worked from it (SPEC 4), so the letter says so.
    pub cost_exact: Option<Decimal>,
    /// The overcharge to refund (0: none).
    pub refund: Decimal,
}

/// One person's line of a remittance advice.
#[derive(Clone, Debug, PartialEq)]
pub struct RemittanceLine<'a> {
    pub person: &'a PersonResult,
    /// Rounded to pence; positive: owed to the provider.
    pub amount: Decimal,
}

/// A provider's remittance advice: each authorised settlement netting to
/// the period's payment or invoice, and the held ones listed apart.
#[derive(Clone, Debug, PartialEq)]
pub struct Remittance<'a> {
    pub lines: Vec<RemittanceLine<'a>>,
    /// Σ of `lines`: the provider total (SPEC 4).
    pub total: Decimal,
    pub method: Method,
    pub held: Vec<RemittanceLine<'a>>,
    pub held_total: Decimal,
}

/// A notice to the provider of one held settlement: who, how much, why,
/// and by when the officer decides.
#[derive(Clone, Debug, PartialEq)]
pub struct HoldNotice<'a> {
    pub person: &'a PersonResult,
    pub amount: Decimal,
    pub method: Method,
    pub why: Hold,
    pub change_in_need: Option<ChangeInNeed>,
    /// The table-top meeting's due date (SPEC 1): the officer decides by
    /// then.
    pub decide_by: Option<NaiveDate>,
    /// The officer has decided to keep it held.
    pub kept_held: bool,
}

/// The one value every week gives, if they all give the same.
fn same<T: PartialEq + Copy>(mut values: impl Iterator<Item = T>) -> Option<T> {
    let first = values.next()?;
    values.all(|v| v == first).then_some(first)
}

/// The statement of a person charged for the period (`None`: the person
/// was not charged, as with no assessed charge or nothing charged).
pub fn statement<'a>(
    person: &'a PersonResult,
    to: Addressee,
    result: &Reconciliation,
) -> Option<Statement<'a>> {
    let charge = person.charge.as_ref().filter(|c| !c.charged.is_zero())?;
    let period = result.period.as_ref()?.period;
    let weeks: Vec<StatementWeek> = person
        .weeks
        .iter()
        .filter(|w| w.care && w.delivered.is_some())
        .map(|w| StatementWeek {
            week: w.week,
            commencing: period.week_commencing(w.week),
            bundle: w.bundle,
            received: w.delivered.unwrap_or(Hours::ZERO),
            bundle_cost: match (w.bundle, w.rate) {
                (Some(b), Some(r)) if w.is_billable() => Some(round2(b.at_rate(r).pounds())),
                _ => None,
            },
            weekly_charge: w.assessed.map(|c| rules::weekly_charge(c, w.charge_cap)),
            charged: w.charge,
        })
        .collect();
    let charged_weeks: Vec<_> = person.weeks.iter().filter(|w| w.charge.is_some()).collect();
    // The caps that lowered a week's charge below the assessed charge.
    let capped = || {
        charged_weeks
            .iter()
            .filter_map(|w| w.charge_cap.filter(|cap| w.assessed.is_some_and(|c| c > *cap)))
    };
    let cap = same(capped());
    let cap_varies = cap.is_none() && capped().next().is_some();
    // The charged weeks' care at each rate, as SPEC 4's cost sums it (a
    // week with care but no assessed charge is not in it).
    let charged = person.charged_by_rate();
    Some(Statement {
        person,
        to,
        bundle: same(weeks.iter().filter_map(|w| w.bundle)),
        rate: same(charged_weeks.iter().filter_map(|w| w.rate)),
        assessed: same(charged_weeks.iter().filter_map(|w| w.assessed)),
        cap,
        cap_varies,
        weekly_charge: same(weeks.iter().filter_map(|w| w.weekly_charge)),
        cost_at_rates: charged
            .iter()
            .map(|&(rate, hours)| CostAtRate {
                rate,
                hours,
                cost: round2(hours.at_rate(rate).pounds()),
            })
            .collect(),
        uncharged_care: person.weeks.iter().any(|w| w.is_billable() && w.charge.is_none()),
        weeks,
        charged: charge.charged,
        cost: charge.cost_of_care_received,
        // As SPEC 4 sums it: the charged weeks' A_k · r_k, exact.
        cost_exact: Some(
            charged
                .iter()
                .fold(crate::base::units::PoundSeconds::ZERO, |sum, (rate, hours)| {
                    sum + hours.at_rate(*rate)
                })
                .pounds(),
        )
        .filter(|exact| *exact != charge.cost_of_care_received),
        refund: charge.overcharge,
    })
}

/// The remittance advice of a reconciled return (`None`: rejected).
pub fn remittance(result: &Reconciliation) -> Option<Remittance<'_>> {
    let totals: &Totals = result.totals.as_ref()?;
    let mut lines = Vec::new();
    let mut held = Vec::new();
    for p in &result.people {
        let Some(s) = &p.settlement else { continue };
        let line = RemittanceLine {
            person: p,
            amount: s.amount,
        };
        if s.authorised {
            lines.push(line);
        } else {
            held.push(line);
        }
    }
    Some(Remittance {
        lines,
        total: totals.authorised,
        method: totals.method(),
        held,
        held_total: totals.held,
    })
}

/// Whether the exports' shares (the provider's lines in each settlement
/// export) add up to the total now authorised: if not, a resubmission or a
/// released hold since has lines no export carries yet.
pub fn fully_exported(authorised: Decimal, shares: &[Decimal]) -> bool {
    shares.iter().copied().sum::<Decimal>() == authorised
}

/// A notice for each held settlement of a reconciled return.
pub fn hold_notices(result: &Reconciliation) -> Vec<HoldNotice<'_>> {
    result
        .people
        .iter()
        .filter_map(|p| {
            let s = p.settlement.as_ref().filter(|s| !s.authorised)?;
            Some(HoldNotice {
                person: p,
                amount: s.amount.abs(),
                method: s.method(),
                why: s.hold.unwrap_or(Hold::Referred),
                change_in_need: p.change_in_need,
                decide_by: result.period.as_ref().map(|d| d.table_top_due),
                kept_held: s
                    .decision
                    .as_ref()
                    .is_some_and(|d| d.action == crate::model::settings::Action::Hold),
            })
        })
        .collect()
}

/// Who a person's letter is to: from the council's plans for the person
/// (with any provider: where they live and the language they chose are
/// theirs) that began by the period's end, the latest that
/// records each of name, address and language (a later plan that leaves
/// them blank does not lose an earlier record); the return's name where
/// the plans give none.
pub fn addressee(person: &PersonResult, settings: &Settings, period_end: NaiveDate) -> Addressee {
    let key = person_key(&person.person_id);
    let mut plans: Vec<&Plan> = settings
        .plans
        .iter()
        .flatten()
        .filter(|p| person_key(&p.person_id) == key)
        .filter(|p| p.from <= period_end)
        .collect();
    plans.sort_by_key(|p| std::cmp::Reverse(p.from));
    Addressee {
        name: plans
            .iter()
            .find_map(|p| p.name.clone())
            .or_else(|| person.name.clone()),
        address: plans
            .iter()
            .find(|p| !p.address.is_empty())
            .map(|p| p.address.clone())
            .unwrap_or_default(),
        language: plans.iter().find_map(|p| p.language),
    }
}
