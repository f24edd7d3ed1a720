//! `--json`: one JSON document per submission, one per line (SPEC 8.2).

use serde::Serialize;

use crate::base::units::{format_fixed, format_money};
use crate::engine::{PeriodDates, PersonResult, Reconciliation, Totals};
use crate::model::findings::Finding;

pub const SCHEMA: &str = "yourchoice.reconciliation/1";

#[derive(Serialize)]
struct Doc<'a> {
    schema: &'static str,
    source: &'a str,
    status: &'static str,
    provider: Option<Provider<'a>>,
    period: Option<Period>,
    people: Vec<Person<'a>>,
    totals: Option<TotalsJson>,
    findings: Vec<FindingJson<'a>>,
}

#[derive(Serialize)]
struct Provider<'a> {
    name: Option<&'a str>,
    reference: Option<&'a str>,
}

#[derive(Serialize)]
struct Period {
    start: String,
    end: String,
    weeks: u32,
    submission_due: String,
    table_top_due: String,
    submitted: Option<String>,
    late: bool,
}

#[derive(Serialize)]
pub(crate) struct Person<'a> {
    person_id: &'a str,
    name: Option<&'a str>,
    status: &'static str,
    commissioned_hours: String,
    delivered_hours: String,
    net_variance_hours: String,
    variance_percent: Option<String>,
    tolerance_hours: String,
    billable_weeks: Vec<u32>,
    no_care_weeks: Vec<u32>,
    bank: Bank,
    change_in_need: Option<ChangeInNeed>,
    settlement: Option<Settlement<'a>>,
    charge: Option<Charge>,
}

#[derive(Serialize)]
struct Bank {
    peak_hours: String,
    limit_first_week: Option<u32>,
}

#[derive(Serialize)]
struct ChangeInNeed {
    first_week: u32,
    last_week: u32,
    direction: &'static str,
}

#[derive(Serialize)]
struct Settlement<'a> {
    amount: String,
    method: &'static str,
    authorised: bool,
    decision: Option<Decision<'a>>,
}

/// The officer's decision applied to a held settlement (SPEC 6).
#[derive(Serialize)]
struct Decision<'a> {
    decision: &'static str,
    officer: &'a str,
    reason: &'a str,
    source: &'a str,
}

#[derive(Serialize)]
struct Charge {
    charged: String,
    cost_of_care_received: String,
    overcharge: String,
}

#[derive(Serialize)]
struct TotalsJson {
    authorised: String,
    method: &'static str,
    held: String,
    held_count: usize,
    referred_count: usize,
    overcharge_refunds: String,
}

#[derive(Serialize)]
pub(crate) struct FindingJson<'a> {
    severity: &'static str,
    code: &'static str,
    message: &'a str,
    cell: Option<String>,
    person_id: Option<&'a str>,
}

impl<'a> From<&'a Finding> for FindingJson<'a> {
    fn from(f: &'a Finding) -> Self {
        FindingJson {
            severity: f.severity().as_str(),
            code: f.code.as_str(),
            message: &f.message,
            cell: f.location.map(|l| l.to_string()),
            person_id: f.person_id.as_deref(),
        }
    }
}

fn date(d: chrono::NaiveDate) -> String {
    crate::base::text::iso_date(d)
}

fn period(p: &PeriodDates) -> Period {
    Period {
        start: date(p.period.start),
        end: date(p.end()),
        weeks: p.period.weeks,
        submission_due: date(p.submission_due),
        table_top_due: date(p.table_top_due),
        submitted: p.submitted.map(date),
        late: p.late(),
    }
}

/// One person as SPEC 8.2 writes them.
pub(crate) fn person(p: &PersonResult) -> Person<'_> {
    Person {
        person_id: &p.person_id,
        name: p.name.as_deref(),
        status: p.status.as_str(),
        commissioned_hours: p.commissioned.to_spec_string(),
        delivered_hours: p.delivered.to_spec_string(),
        net_variance_hours: p.net_variance.to_spec_string(),
        variance_percent: p.variance_percent.map(|v| format_fixed(v, 2)),
        tolerance_hours: p.tolerance.to_spec_string(),
        billable_weeks: p.billable_weeks(),
        no_care_weeks: p.no_care_weeks(),
        bank: Bank {
            peak_hours: p.bank.peak.to_spec_string(),
            limit_first_week: p.bank.limit_first_week,
        },
        change_in_need: p.change_in_need.map(|c| ChangeInNeed {
            first_week: c.first_week,
            last_week: c.last_week,
            direction: c.direction.as_str(),
        }),
        settlement: p.settlement.as_ref().map(|s| Settlement {
            amount: format_money(s.amount),
            method: s.method().as_str(),
            authorised: s.authorised,
            decision: s.decision.as_ref().map(|d| Decision {
                decision: d.action.as_str(),
                officer: &d.officer,
                reason: &d.reason,
                source: &d.source,
            }),
        }),
        charge: p.charge.as_ref().map(|c| Charge {
            charged: format_money(c.charged),
            cost_of_care_received: format_money(c.cost_of_care_received),
            overcharge: format_money(c.overcharge),
        }),
    }
}

fn totals(t: &Totals) -> TotalsJson {
    TotalsJson {
        authorised: format_money(t.authorised),
        method: t.method().as_str(),
        held: format_money(t.held),
        held_count: t.held_count,
        referred_count: t.referred_count,
        overcharge_refunds: format_money(t.overcharge_refunds),
    }
}

/// The SPEC 8.2 document for one submission, on one line (no newline).
///
/// # Errors
/// Only if serde_json fails, which it does not for these types.
pub fn to_line(r: &Reconciliation) -> serde_json::Result<String> {
    let doc = Doc {
        schema: SCHEMA,
        source: &r.source,
        status: r.status().as_str(),
        provider: r.provider.as_ref().map(|p| Provider {
            name: p.name.as_deref(),
            reference: p.reference.as_deref(),
        }),
        period: r.period.as_ref().map(period),
        people: r.people.iter().map(person).collect(),
        totals: r.totals.as_ref().map(totals),
        findings: r.findings.iter().map(FindingJson::from).collect(),
    };
    serde_json::to_string(&doc)
}
