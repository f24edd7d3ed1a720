//! What a reconciliation produces: plain values that every writer (table,
//! JSON, report, exports) shows without computing anything further.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::rules;
pub use super::rules::{Bank, ChangeInNeed, Charge, Direction, Method};
use crate::base::units::Hours;
use crate::model::Period;
use crate::model::findings::{Finding, Severity, has_errors};
use crate::model::settings::{Action, DatedAmount};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Reconciled,
    /// At least one error: nothing was reconciled.
    Rejected,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Reconciled => "reconciled",
            Status::Rejected => "rejected",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Provider {
    pub name: Option<String>,
    pub reference: Option<String>,
}

/// The period and its due dates (SPEC 1).
#[derive(Clone, Debug, PartialEq)]
pub struct PeriodDates {
    pub period: Period,
    pub submission_due: NaiveDate,
    pub table_top_due: NaiveDate,
    pub submitted: Option<NaiveDate>,
}

impl PeriodDates {
    /// The last day of the period.
    pub fn end(&self) -> NaiveDate {
        self.period.end()
    }

    /// Submitted after the submission due date (SPEC 1, `late-submission`).
    pub fn late(&self) -> bool {
        self.submitted.is_some_and(|s| s > self.submission_due)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PersonStatus {
    WithinTolerance,
    Referred,
    NoCare,
}

impl PersonStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PersonStatus::WithinTolerance => "within_tolerance",
            PersonStatus::Referred => "referred",
            PersonStatus::NoCare => "no_care",
        }
    }

    /// Words for people.
    pub fn label(self) -> &'static str {
        match self {
            PersonStatus::WithinTolerance => "within tolerance",
            PersonStatus::Referred => "referred",
            PersonStatus::NoCare => "no care",
        }
    }
}

/// The officer's decision as applied to a person's settlement.
#[derive(Clone, Debug, PartialEq)]
pub struct AppliedDecision {
    pub action: Action,
    pub officer: String,
    pub reason: String,
    /// Where the decision came from (`decisions.csv:3`).
    pub source: String,
    /// The line gave no Period start: it could mean any period, and the
    /// ledger keeps it from carrying into a period it was not made for.
    pub any_period: bool,
}

/// Why a settlement waits for the officer's decision instead of being paid
/// or recovered: no rule authorised it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hold {
    /// Outside the tolerance: the person is referred for review (SPEC 3).
    Referred,
    /// The council's plans do not hold the person for this provider: the
    /// figures rest on the provider's own bundle.
    NotInPlans,
    /// The plans do not cover every week the person was in care.
    PlanGap,
    /// An officer's decision was made on another figure than this one.
    StaleDecision,
}

impl Hold {
    /// Why held, as the decisions workbook and the report say it.
    pub fn words(self) -> &'static str {
        match self {
            Hold::Referred => "outside the tolerance: referred for review",
            Hold::NotInPlans => "not in the council's plans for this provider",
            Hold::PlanGap => "in care in weeks no council plan covers",
            Hold::StaleDecision => "decided on another figure: decide again",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Settlement {
    /// Rounded to pence; positive: owed to the provider.
    pub amount: Decimal,
    /// Within tolerance (and in the plans), or authorised by the officer's
    /// decision.
    pub authorised: bool,
    /// The officer's decision applied, if any (SPEC 6).
    pub decision: Option<AppliedDecision>,
    /// Why it was held for the officer (`None`: authorised by the rules).
    pub hold: Option<Hold>,
}

impl Settlement {
    /// BACS, invoice or nothing, from the sign of the amount (SPEC 4).
    pub fn method(&self) -> Method {
        rules::method(self.amount)
    }
}

/// One week of one person, as the report shows it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PersonWeek {
    pub week: u32,
    /// In the person's care dates.
    pub care: bool,
    pub bundle: Option<Hours>,
    pub delivered: Option<Hours>,
    /// The bank balance after this week, for billable weeks.
    pub balance: Option<Hours>,
    /// *r_k*, the rate in force on the week's first day (a care week).
    pub rate: Option<Decimal>,
    /// What the person was charged for the week (a billable week with an
    /// assessed charge).
    pub charge: Option<Decimal>,
    /// *C*, the assessed weekly charge (a billable week that carries one).
    pub assessed: Option<Decimal>,
    /// `max_weekly_charge` in force for the week, where the council sets
    /// one (a billable week with an assessed charge).
    pub charge_cap: Option<Decimal>,
}

impl PersonWeek {
    /// A billable week (SPEC 2): a care week with hours delivered.
    pub fn is_billable(&self) -> bool {
        self.care && self.delivered.is_some_and(|a| !a.is_zero())
    }

    /// A no-care week (SPEC 2): a care week with 0 hours.
    pub fn is_no_care(&self) -> bool {
        self.care && self.delivered.is_some_and(Hours::is_zero)
    }

    /// The weekly variance *A_k − B_k* of a billable week.
    pub fn variance(&self) -> Option<Hours> {
        match (self.bundle, self.delivered) {
            (Some(b), Some(a)) if self.is_billable() => Some(rules::weekly_variance(b, a)),
            _ => None,
        }
    }

    /// The weekly variance as a percentage of *B_k* (SPEC 2), to 2
    /// decimals.
    pub fn variance_percent(&self) -> Option<Decimal> {
        rules::variance_percent(self.variance()?, self.bundle?)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct PersonResult {
    pub person_id: String,
    pub name: Option<String>,
    /// The 0-based Hours rows of this person (one per bundle).
    pub rows: Vec<u32>,
    pub status: PersonStatus,
    pub commissioned: Hours,
    pub delivered: Hours,
    pub net_variance: Hours,
    pub variance_percent: Option<Decimal>,
    pub tolerance: Hours,
    pub bank: Bank,
    pub change_in_need: Option<ChangeInNeed>,
    pub settlement: Option<Settlement>,
    pub charge: Option<Charge>,
    /// Every period week, week 1 first.
    pub weeks: Vec<PersonWeek>,
    pub notes: Vec<String>,
}

impl PersonResult {
    /// The billable weeks, in order.
    pub fn billable_weeks(&self) -> Vec<u32> {
        self.weeks
            .iter()
            .filter(|w| w.is_billable())
            .map(|w| w.week)
            .collect()
    }

    /// The no-care weeks, in order.
    pub fn no_care_weeks(&self) -> Vec<u32> {
        self.weeks
            .iter()
            .filter(|w| w.is_no_care())
            .map(|w| w.week)
            .collect()
    }

    /// The variance as a fraction of the commissioned hours (0.025 for
    /// 2.50%), for a percentage cell.
    pub fn variance_fraction(&self) -> Option<Decimal> {
        self.variance_percent.map(|p| p / Decimal::ONE_HUNDRED)
    }

    /// Σ (*A_k* − *B_k*) of the billable weeks at each rate, in the order
    /// the rates first apply: the settlement is Σ variance × rate of these
    /// (SPEC 4).
    pub fn variance_by_rate(&self) -> Vec<(Decimal, Hours)> {
        self.by_rate(|w| w.variance())
    }

    /// Σ *A_k* of the billable weeks at each rate: the cost of care received
    /// is Σ delivered × rate of these.
    pub fn delivered_by_rate(&self) -> Vec<(Decimal, Hours)> {
        self.by_rate(|w| w.delivered.filter(|_| w.is_billable()))
    }

    /// Σ *A_k* of the weeks charged at each rate: SPEC 4's cost of care
    /// received, the charge's counterpart, is Σ delivered × rate of these.
    pub fn charged_by_rate(&self) -> Vec<(Decimal, Hours)> {
        self.by_rate(|w| w.delivered.filter(|_| w.charge.is_some()))
    }

    fn by_rate(&self, hours: impl Fn(&PersonWeek) -> Option<Hours>) -> Vec<(Decimal, Hours)> {
        let mut out: Vec<(Decimal, Hours)> = Vec::new();
        for w in self.weeks.iter().filter(|w| w.is_billable()) {
            let (Some(rate), Some(h)) = (w.rate, hours(w)) else {
                continue;
            };
            match out.iter_mut().find(|(r, _)| *r == rate) {
                Some((_, sum)) => *sum += h,
                None => out.push((rate, h)),
            }
        }
        out
    }

    /// How far the bank balance was beyond the tolerance in the week it
    /// first was.
    pub fn limit_excess(&self) -> Option<Hours> {
        let k = self.bank.limit_first_week?;
        let balance = self.weeks.iter().find(|w| w.week == k)?.balance?;
        Some(balance.abs() - self.tolerance)
    }

    /// An overcharge is due to be refunded to this person.
    pub fn refund_due(&self) -> bool {
        self.charge.as_ref().is_some_and(|c| !c.overcharge.is_zero())
    }
}

/// The provider's totals for the period (SPEC 4), and the counts and sums
/// the outputs show.
#[derive(Clone, Debug, PartialEq)]
pub struct Totals {
    /// Σ of authorised settlements: one BACS payment if positive, one invoice
    /// if negative.
    pub authorised: Decimal,
    /// Σ of held settlements, never in `authorised`.
    pub held: Decimal,
    /// Σ of the held settlements owed to the provider (> 0), and of those
    /// owed to the council (< 0): `held` is their sum.
    pub held_payments: Decimal,
    pub held_recoveries: Decimal,
    pub held_count: usize,
    pub referred_count: usize,
    pub within_tolerance_count: usize,
    pub no_care_count: usize,
    pub overcharge_refunds: Decimal,
    /// People with an overcharge to refund.
    pub refund_count: usize,
    /// Σ *H_c* and Σ *H_d* over everyone.
    pub commissioned: Hours,
    pub delivered: Hours,
}

impl Totals {
    /// One BACS payment, one invoice, or nothing (SPEC 4).
    pub fn method(&self) -> Method {
        rules::method(self.authorised)
    }

    /// The amount of the payment or of the invoice, as a positive figure.
    pub fn provider_amount(&self) -> Decimal {
        self.authorised.abs()
    }
}

/// One submission, reconciled or rejected.
#[derive(Clone, Debug, PartialEq)]
pub struct Reconciliation {
    pub source: String,
    pub provider: Option<Provider>,
    pub period: Option<PeriodDates>,
    /// Empty when rejected.
    pub people: Vec<PersonResult>,
    /// `None` when rejected.
    pub totals: Option<Totals>,
    pub findings: Vec<Finding>,
    /// The rates the weeks were priced at, and whose they are.
    pub rates: Vec<DatedAmount>,
    pub rates_from: RatesFrom,
}

/// Whose rate table priced the weeks (SPEC 4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RatesFrom {
    /// The council's settings hold the provider's rates: they win.
    Council,
    /// The submission's own rate (and new rate).
    Submission,
}

/// Several submissions reconciled together: each result, the findings that
/// belong to no one submission (a decision for a provider not given), and
/// the council's totals across the reconciled ones.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    pub results: Vec<Reconciliation>,
    pub findings: Vec<Finding>,
    pub totals: RunTotals,
}

/// The council's totals over every reconciled submission of a run: each is
/// the sum of the submissions' own totals.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunTotals {
    pub submissions: usize,
    pub reconciled: usize,
    pub rejected: usize,
    pub late: usize,
    pub people: usize,
    /// Σ of the positive provider totals (BACS payments).
    pub payments: Decimal,
    /// Σ of the negative provider totals, as a positive figure (invoices).
    pub invoices: Decimal,
    pub held_payments: Decimal,
    pub held_recoveries: Decimal,
    /// `held_payments + held_recoveries`.
    pub held: Decimal,
    pub held_count: usize,
    pub referred_count: usize,
    pub overcharge_refunds: Decimal,
    pub refund_count: usize,
}

impl Reconciliation {
    /// Rejected when any finding is an error (SPEC 5), reconciled otherwise.
    /// A result without totals was never reconciled, whatever its findings.
    pub fn status(&self) -> Status {
        if self.totals.is_none() || has_errors(&self.findings) {
            Status::Rejected
        } else {
            Status::Reconciled
        }
    }

    /// Reject the submission after the fact (a duplicate in the run): the
    /// error is added and, as for any rejected submission, no people and no
    /// totals remain.
    pub fn reject(&mut self, error: Finding) {
        self.findings.insert(0, error);
        self.people.clear();
        self.totals = None;
    }

    /// The provider reference, where the Details sheet gave one, as compared
    /// and kept as a key ([`crate::model::settings::reference_key`]); `None` when
    /// blank.
    pub fn reference_key(&self) -> Option<String> {
        self.provider
            .as_ref()
            .and_then(|p| p.reference.as_deref())
            .map(crate::model::settings::reference_key)
            .filter(|k| !k.is_empty())
    }

    /// How many findings have this severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity() == severity).count()
    }

    /// The people the council's plans hold for the provider who are not in
    /// the return (`planned-person-missing`), by Person ID.
    pub fn planned_missing(&self) -> Vec<&str> {
        self.findings
            .iter()
            .filter(|f| f.code == crate::model::findings::Code::PlannedPersonMissing)
            .filter_map(|f| f.person_id.as_deref())
            .collect()
    }
}
