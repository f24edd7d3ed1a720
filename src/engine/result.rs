//! What a reconciliation produces: plain values that every writer (table,
//! JSON, report, exports) shows without computing anything further.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::findings::Finding;
use crate::model::Period;
use crate::units::Hours;

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
    pub end: NaiveDate,
    pub submission_due: NaiveDate,
    pub table_top_due: NaiveDate,
    pub submitted: Option<NaiveDate>,
    pub late: bool,
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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    More,
    Less,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::More => "more",
            Direction::Less => "less",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChangeInNeed {
    pub first_week: u32,
    pub last_week: u32,
    pub direction: Direction,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bank {
    /// The largest |*b_k*|.
    pub peak: Hours,
    /// The first week where |*b_k*| > *T*.
    pub limit_first_week: Option<u32>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Bacs,
    Invoice,
    None,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Bacs => "bacs",
            Method::Invoice => "invoice",
            Method::None => "none",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Settlement {
    /// Rounded to pence; positive: owed to the provider.
    pub amount: Decimal,
    pub method: Method,
    pub authorised: bool,
    /// The officer's decision applied, if any (decisions come with the
    /// council settings).
    pub decision: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Charge {
    pub charged: Decimal,
    pub cost_of_care_received: Decimal,
    pub overcharge: Decimal,
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
    pub billable_weeks: Vec<u32>,
    pub no_care_weeks: Vec<u32>,
    pub bank: Bank,
    pub change_in_need: Option<ChangeInNeed>,
    pub settlement: Option<Settlement>,
    pub charge: Option<Charge>,
    pub weeks: Vec<PersonWeek>,
    pub notes: Vec<String>,
}

/// The provider's totals for the period (SPEC 4).
#[derive(Clone, Debug, PartialEq)]
pub struct Totals {
    /// Σ of authorised settlements: one BACS payment if positive, one invoice
    /// if negative.
    pub authorised: Decimal,
    pub method: Method,
    /// Σ of held settlements, never in `authorised`.
    pub held: Decimal,
    pub held_count: usize,
    pub referred_count: usize,
    pub overcharge_refunds: Decimal,
}

/// One submission, reconciled or rejected.
#[derive(Clone, Debug, PartialEq)]
pub struct Reconciliation {
    pub source: String,
    pub status: Status,
    pub provider: Option<Provider>,
    pub period: Option<PeriodDates>,
    /// Empty when rejected.
    pub people: Vec<PersonResult>,
    /// `None` when rejected.
    pub totals: Option<Totals>,
    pub findings: Vec<Finding>,
}
