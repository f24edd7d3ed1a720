//! The reconcile JSON document (`reconcile --json`, SPEC 8.2, schema
//! `yourchoice.reconciliation/1`) as typed structs: every key of the
//! schema. Unknown keys are ignored here; `worked_example` checks that the
//! document holds no other key.

use serde::Deserialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    /// As the JSON writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Doc {
    pub schema: String,
    pub source: String,
    pub status: String,
    pub provider: Option<Provider>,
    pub period: Option<Period>,
    pub people: Vec<Person>,
    pub totals: Option<Totals>,
    pub findings: Vec<Finding>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Provider {
    pub name: Option<String>,
    pub reference: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Period {
    pub start: String,
    pub end: String,
    pub weeks: u32,
    pub submission_due: String,
    pub table_top_due: String,
    pub submitted: Option<String>,
    pub late: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Person {
    pub person_id: String,
    pub name: Option<String>,
    pub status: String,
    pub commissioned_hours: String,
    pub delivered_hours: String,
    pub net_variance_hours: String,
    pub variance_percent: Option<String>,
    pub tolerance_hours: String,
    pub billable_weeks: Vec<u32>,
    pub no_care_weeks: Vec<u32>,
    pub bank: Bank,
    pub change_in_need: Option<ChangeInNeed>,
    pub settlement: Option<Settlement>,
    pub charge: Option<Charge>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Bank {
    pub peak_hours: String,
    pub limit_first_week: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct ChangeInNeed {
    pub first_week: u32,
    pub last_week: u32,
    pub direction: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Settlement {
    pub amount: String,
    pub method: String,
    pub authorised: bool,
    pub decision: Option<Decision>,
}

/// The officer's decision applied to a held settlement.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Decision {
    pub decision: String,
    pub officer: String,
    pub reason: String,
    pub source: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Charge {
    pub charged: String,
    pub cost_of_care_received: String,
    pub overcharge: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Totals {
    pub authorised: String,
    pub method: String,
    pub held: String,
    pub held_count: usize,
    pub referred_count: usize,
    pub overcharge_refunds: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Finding {
    pub severity: Severity,
    pub code: String,
    pub message: String,
    pub cell: Option<String>,
    pub person_id: Option<String>,
}

impl Doc {
    /// The person `id`.
    pub fn person(&self, id: &str) -> &Person {
        self.people
            .iter()
            .find(|p| p.person_id == id)
            .unwrap_or_else(|| panic!("no person {id} in {:#?}", self.people))
    }

    /// Every finding with `code`.
    pub fn all(&self, code: &str) -> Vec<&Finding> {
        self.findings.iter().filter(|f| f.code == code).collect()
    }

    /// The one finding with `code`, which must have `severity` and `cell`.
    pub fn only(&self, code: &str, severity: Severity, cell: Option<&str>) -> &Finding {
        let found = self.all(code);
        assert_eq!(
            found.len(),
            1,
            "expected one {code} finding, got: {:#?}",
            self.findings
        );
        let f = found[0];
        assert_eq!(f.severity, severity, "{f:?}");
        assert_eq!(f.cell.as_deref(), cell, "{f:?}");
        f
    }

    /// No finding with `code`.
    pub fn lacks(&self, code: &str) {
        assert!(
            self.all(code).is_empty(),
            "unexpected {code}: {:#?}",
            self.findings
        );
    }
}
