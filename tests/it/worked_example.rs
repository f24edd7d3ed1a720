//! SPEC section 9, the worked example, end to end: the workbook is written
//! here with rust_xlsxwriter (P2's short weeks as `[h]:mm` durations), run
//! through `yourchoice reconcile --json`, and every figure SPEC 9 gives is
//! checked, typed in from the SPEC's text. The bank balances week by week,
//! which the JSON does not carry, are checked through the library on the
//! same workbook bytes.

use std::path::Path;

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use serde_json::Value;
use yourchoice::base::units::Hours;
use yourchoice::engine::{self, PersonStatus, Settings, Status};
use yourchoice::read::read_submission;

use crate::common::bin::yourchoice;
use crate::common::doc::{Bank, ChangeInNeed, Charge, Doc, Settlement, Totals};

const P1_HOURS: [u32; 13] = [12, 12, 12, 10, 0, 10, 9, 9, 9, 10, 10, 10, 10];
const P2_HOURS: [u32; 13] = [3, 3, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3];

/// The worked example as a council format 1 workbook. Hours header in row 1:
/// A Person ID, B Name, C Weekly bundle, D Assessed weekly charge, E..Q
/// Week 1..13; P1 on row 2, P2 on row 3.
fn write_workbook(path: &Path) {
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let money = Format::new().set_num_format("£#,##0.00");
    let duration = Format::new().set_num_format("[h]:mm");

    let details = wb.add_worksheet();
    details.set_name("Details").unwrap();
    details.write_string(0, 0, "Provider name").unwrap();
    details.write_string(0, 1, "Example Care Ltd").unwrap();
    details.write_string(1, 0, "Provider reference").unwrap();
    details.write_string(1, 1, "SUP00123").unwrap();
    details.write_string(2, 0, "Period start").unwrap();
    details
        .write_datetime_with_format(2, 1, ExcelDateTime::from_ymd(2026, 4, 6).unwrap(), &date)
        .unwrap();
    details.write_string(3, 0, "Blended hourly rate").unwrap();
    details.write_number_with_format(3, 1, 24.0, &money).unwrap();

    let hours = wb.add_worksheet();
    hours.set_name("Hours").unwrap();
    let header = ["Person ID", "Name", "Weekly bundle", "Assessed weekly charge"];
    for (c, h) in header.iter().enumerate() {
        hours.write_string(0, c as u16, *h).unwrap();
    }
    for k in 1..=13u16 {
        hours.write_string(0, 3 + k, format!("Week {k}")).unwrap();
    }
    for (row, id, name, bundle, weeks) in [
        (1, "P1", "First Person", 10.0, P1_HOURS),
        (2, "P2", "Second Person", 3.0, P2_HOURS),
    ] {
        hours.write_string(row, 0, id).unwrap();
        hours.write_string(row, 1, name).unwrap();
        hours.write_number(row, 2, bundle).unwrap();
        hours.write_number_with_format(row, 3, 100.0, &money).unwrap();
        for (i, a) in weeks.iter().enumerate() {
            let col = 4 + i as u16;
            let a = f64::from(*a);
            if id == "P2" && (2..=8).contains(&i) {
                // Weeks 3-9 typed as 2:00, an [h]:mm duration (days).
                hours
                    .write_number_with_format(row, col, a / 24.0, &duration)
                    .unwrap();
            } else {
                hours.write_number(row, col, a).unwrap();
            }
        }
    }
    wb.save(path).unwrap();
}

// SPEC 8.2, every key: the typed document is `common::doc::Doc`, and the
// document holds no other key.

/// Every key of SPEC 8.2, object by object.
const DOC_KEYS: [&str; 8] = [
    "schema", "source", "status", "provider", "period", "people", "totals", "findings",
];
const PROVIDER_KEYS: [&str; 2] = ["name", "reference"];
const PERIOD_KEYS: [&str; 7] = [
    "start",
    "end",
    "weeks",
    "submission_due",
    "table_top_due",
    "submitted",
    "late",
];
const PERSON_KEYS: [&str; 14] = [
    "person_id",
    "name",
    "status",
    "commissioned_hours",
    "delivered_hours",
    "net_variance_hours",
    "variance_percent",
    "tolerance_hours",
    "billable_weeks",
    "no_care_weeks",
    "bank",
    "change_in_need",
    "settlement",
    "charge",
];
const BANK_KEYS: [&str; 2] = ["peak_hours", "limit_first_week"];
const CHANGE_KEYS: [&str; 3] = ["first_week", "last_week", "direction"];
const SETTLEMENT_KEYS: [&str; 4] = ["amount", "method", "authorised", "decision"];
const DECISION_KEYS: [&str; 4] = ["decision", "officer", "reason", "source"];
const CHARGE_KEYS: [&str; 3] = ["charged", "cost_of_care_received", "overcharge"];
const TOTALS_KEYS: [&str; 6] = [
    "authorised",
    "method",
    "held",
    "held_count",
    "referred_count",
    "overcharge_refunds",
];
const FINDING_KEYS: [&str; 5] = ["severity", "code", "message", "cell", "person_id"];

/// The object `value` (if it is one) has no key but `known`.
fn only_keys(value: &Value, what: &str, known: &[&str]) {
    if let Some(object) = value.as_object() {
        for key in object.keys() {
            assert!(known.contains(&key.as_str()), "unknown key {key:?} in {what}");
        }
    }
}

/// The document holds no key that SPEC 8.2 does not name.
fn assert_spec_keys_only(line: &str) {
    let doc: Value = serde_json::from_str(line).unwrap();
    only_keys(&doc, "the document", &DOC_KEYS);
    only_keys(&doc["provider"], "provider", &PROVIDER_KEYS);
    only_keys(&doc["period"], "period", &PERIOD_KEYS);
    only_keys(&doc["totals"], "totals", &TOTALS_KEYS);
    for person in doc["people"].as_array().into_iter().flatten() {
        only_keys(person, "a person", &PERSON_KEYS);
        only_keys(&person["bank"], "bank", &BANK_KEYS);
        only_keys(&person["change_in_need"], "change_in_need", &CHANGE_KEYS);
        only_keys(&person["settlement"], "settlement", &SETTLEMENT_KEYS);
        only_keys(&person["settlement"]["decision"], "decision", &DECISION_KEYS);
        only_keys(&person["charge"], "charge", &CHARGE_KEYS);
    }
    for finding in doc["findings"].as_array().into_iter().flatten() {
        only_keys(finding, "a finding", &FINDING_KEYS);
    }
}

fn run_worked_example() -> (Option<i32>, Doc) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("worked-example.xlsx");
    write_workbook(&path);
    let output = yourchoice()
        .args(["reconcile", path.to_str().unwrap(), "--json", "--no-report"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1, "one JSON line: {stdout}");
    let doc: Doc = serde_json::from_str(stdout.trim_end()).unwrap();
    assert_spec_keys_only(stdout.trim_end());
    assert!(
        !dir.path().join("worked-example.report.xlsx").exists(),
        "--no-report"
    );
    (output.status.code(), doc)
}

#[test]
fn worked_example_end_to_end() {
    let (exit, doc) = run_worked_example();

    // Referrals included, the submission is reconciled: exit 0.
    assert_eq!(exit, Some(0));
    assert_eq!(doc.schema, "yourchoice.reconciliation/1");
    assert_eq!(doc.source, "worked-example.xlsx");
    assert_eq!(doc.status, "reconciled");
    let provider = doc.provider.as_ref().unwrap();
    assert_eq!(provider.name.as_deref(), Some("Example Care Ltd"));
    assert_eq!(provider.reference.as_deref(), Some("SUP00123"));

    // Period end Sunday 2026-07-05; submission due 2026-07-19; table-top due
    // 2026-08-02.
    let period = doc.period.as_ref().unwrap();
    assert_eq!(period.start, "2026-04-06");
    assert_eq!(period.end, "2026-07-05");
    assert_eq!(period.weeks, 13);
    assert_eq!(period.submission_due, "2026-07-19");
    assert_eq!(period.table_top_due, "2026-08-02");
    assert_eq!(period.submitted, None);
    assert!(!period.late);

    assert_eq!(doc.people.len(), 2);
    let (p1, p2) = (&doc.people[0], &doc.people[1]);

    // P1: week 5 is a no-care week: 12 billable weeks, H_c = 120, H_d = 123,
    // V = +3 h (+2.50%), T = 9.6 h: within tolerance.
    assert_eq!(p1.person_id, "P1");
    assert_eq!(p1.name.as_deref(), Some("First Person"));
    assert_eq!(p1.status, "within_tolerance");
    assert_eq!(p1.billable_weeks, [1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13]);
    assert_eq!(p1.no_care_weeks, [5]);
    assert_eq!(p1.commissioned_hours, "120");
    assert_eq!(p1.delivered_hours, "123");
    assert_eq!(p1.net_variance_hours, "3");
    assert_eq!(p1.variance_percent.as_deref(), Some("2.50"));
    assert_eq!(p1.tolerance_hours, "9.6");
    // Peak |b| = 6 ≤ 9.6: no bank warning.
    assert_eq!(
        p1.bank,
        Bank {
            peak_hours: "6".into(),
            limit_first_week: None
        }
    );
    // Weeks 7-9 are 10% under, but three weeks are fewer than four.
    assert_eq!(p1.change_in_need, None);
    // +3 × 24.00 = £72.00 paid to the provider by BACS.
    assert_eq!(
        p1.settlement,
        Some(Settlement {
            amount: "72.00".into(),
            method: "bacs".into(),
            authorised: true,
            decision: None
        })
    );
    // min(100, 10 × 24) = £100 a week × 12 = £1,200; cost 123 × 24 = £2,952;
    // overcharge 0.
    assert_eq!(
        p1.charge,
        Some(Charge {
            charged: "1200.00".into(),
            cost_of_care_received: "2952.00".into(),
            overcharge: "0.00".into()
        })
    );

    // P2: H_c = 39, H_d = 32, V = −7 h (−17.95%), T = 3.12 h: outside
    // tolerance, referred.
    assert_eq!(p2.person_id, "P2");
    assert_eq!(p2.name.as_deref(), Some("Second Person"));
    assert_eq!(p2.status, "referred");
    assert_eq!(p2.billable_weeks, (1..=13).collect::<Vec<u32>>());
    assert!(p2.no_care_weeks.is_empty());
    assert_eq!(p2.commissioned_hours, "39");
    assert_eq!(p2.delivered_hours, "32");
    assert_eq!(p2.net_variance_hours, "-7");
    assert_eq!(p2.variance_percent.as_deref(), Some("-17.95"));
    assert_eq!(p2.tolerance_hours, "3.12");
    // Bank limit exceeded first in week 6; peak 7.
    assert_eq!(
        p2.bank,
        Bank {
            peak_hours: "7".into(),
            limit_first_week: Some(6)
        }
    );
    // Weeks 3-9 each 1 h (33%) under: possible change in need, less.
    assert_eq!(
        p2.change_in_need,
        Some(ChangeInNeed {
            first_week: 3,
            last_week: 9,
            direction: "less".into()
        })
    );
    // −7 × 24 = −£168.00, an invoice, held until authorised.
    assert_eq!(
        p2.settlement,
        Some(Settlement {
            amount: "-168.00".into(),
            method: "invoice".into(),
            authorised: false,
            decision: None
        })
    );
    // min(100, 3 × 24 = 72) = £72 × 13 = £936; cost 32 × 24 = £768;
    // overcharge £168.00.
    assert_eq!(
        p2.charge,
        Some(Charge {
            charged: "936.00".into(),
            cost_of_care_received: "768.00".into(),
            overcharge: "168.00".into()
        })
    );

    // Authorised £72.00 (one BACS payment), held −£168.00 (1 person),
    // refunds £168.00.
    assert_eq!(
        doc.totals,
        Some(Totals {
            authorised: "72.00".into(),
            method: "bacs".into(),
            held: "-168.00".into(),
            held_count: 1,
            referred_count: 1,
            overcharge_refunds: "168.00".into()
        })
    );
}

#[test]
fn worked_example_findings() {
    let (_, doc) = run_worked_example();
    let found: Vec<[&str; 4]> = doc
        .findings
        .iter()
        .map(|f| {
            [
                f.severity.as_str(),
                f.code.as_str(),
                f.person_id.as_deref().unwrap_or("-"),
                f.cell.as_deref().unwrap_or("-"),
            ]
        })
        .collect();
    // Warnings before notices. P1: the no-care week 5 (Hours!I2) and nothing
    // else (no bank warning, no change in need). P2: referred (its row),
    // the bank limit first passed in week 6 (J3), the change in need from
    // week 3 (G3).
    assert_eq!(
        found,
        [
            ["warning", "outside-tolerance", "P2", "Hours!3"],
            ["warning", "bank-limit-exceeded", "P2", "Hours!J3"],
            ["warning", "change-in-need", "P2", "Hours!G3"],
            ["info", "no-care-week", "P1", "Hours!I2"],
        ],
        "{:#?}",
        doc.findings
    );
    for f in &doc.findings {
        assert!(!f.message.is_empty());
    }
    // The referral says what is held.
    let referral = &doc.findings[0];
    assert!(referral.message.contains("-£168.00"), "{}", referral.message);
}

/// The bank balances SPEC 9 lists, week by week, through the library on the
/// same workbook.
#[test]
fn worked_example_bank_balances_week_by_week() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("worked-example.xlsx");
    write_workbook(&path);
    let bytes = std::fs::read(&path).unwrap();
    let (submission, findings) = read_submission("worked-example.xlsx", &bytes, &Settings::default());
    assert!(findings.is_empty(), "{findings:#?}");
    let result = engine::reconcile(&submission, findings, &Settings::default());
    assert_eq!(result.status(), Status::Reconciled);

    let h = |hours: i64| Some(Hours::from_seconds(hours * 3600));
    let balances =
        |i: usize| -> Vec<Option<Hours>> { result.people[i].weeks.iter().map(|w| w.balance).collect() };

    // P1: −2, −4, −6, −6, (week 5 skipped), −6, −5, −4, −3, −3, −3, −3, −3.
    assert_eq!(result.people[0].status, PersonStatus::WithinTolerance);
    assert_eq!(
        balances(0),
        [
            h(-2),
            h(-4),
            h(-6),
            h(-6),
            None,
            h(-6),
            h(-5),
            h(-4),
            h(-3),
            h(-3),
            h(-3),
            h(-3),
            h(-3)
        ]
    );
    // P2: the balance is 4 > 3.12 in week 6, and peaks at 7.
    assert_eq!(result.people[1].status, PersonStatus::Referred);
    assert_eq!(
        balances(1),
        [
            h(0),
            h(0),
            h(1),
            h(2),
            h(3),
            h(4),
            h(5),
            h(6),
            h(7),
            h(7),
            h(7),
            h(7),
            h(7)
        ]
    );
    // P2's weeks 3-9 were typed as 2:00 durations and read as exactly 2 h.
    for k in 3..=9 {
        assert_eq!(result.people[1].weeks[k - 1].delivered, h(2));
    }
}
