//! `examples/council/` (written by `cargo run --example make_council`) run
//! through the binary with its own settings and decisions, as the README's
//! "Council side" section runs it. The checks are invariants a finance
//! clerk could do by hand: every return reconciled, the late one flagged,
//! the council's rate winning, the officer's decisions on the right people,
//! and the exports and the summary workbook adding up to the JSON's totals
//! to the penny.

use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;

use assert_cmd::Command;
use calamine::{Data, Reader, Xlsx, open_workbook};
use rust_decimal::Decimal;
use serde_json::Value;

use crate::common::{bin, files};

const RETURNS: [&str; 3] = [
    "examples/council/bro-morgannwg.xlsx",
    "examples/council/cwm-taf-care.xlsx",
    "examples/council/penarth-homecare.xlsx",
];
const SETTINGS: [&str; 4] = [
    "--council",
    "examples/council/council.toml",
    "--decisions",
    "examples/council/decisions.csv",
];

fn yourchoice() -> Command {
    let mut cmd = bin::yourchoice();
    cmd.current_dir(files::root());
    cmd
}

fn money(text: &str) -> Decimal {
    let d = Decimal::from_str(text).unwrap_or_else(|_| panic!("{text:?} is not money"));
    assert_eq!(d.scale(), 2, "{text:?} is not written to the penny");
    d
}

/// The JSON documents, one per return, in the order given.
fn reconcile_json() -> Vec<Value> {
    let out = yourchoice()
        .arg("reconcile")
        .args(RETURNS)
        .args(SETTINGS)
        .args(["--json", "--no-report"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let docs: Vec<Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(docs.len(), 3);
    docs
}

/// One export's rows, header checked, as maps from column to field.
fn export(kind: &str) -> Vec<BTreeMap<String, String>> {
    let out = yourchoice()
        .args(["export", kind])
        .args(RETURNS)
        .args(SETTINGS)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let mut csv = csv::Reader::from_reader(out.as_slice());
    let header: Vec<String> = csv.headers().unwrap().iter().map(String::from).collect();
    csv.records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(String::from))
                .collect()
        })
        .collect()
}

fn total(rows: &[BTreeMap<String, String>]) -> Decimal {
    rows.iter().map(|r| money(&r["Amount"])).sum()
}

fn doc<'a>(docs: &'a [Value], source: &str) -> &'a Value {
    docs.iter()
        .find(|d| d["source"] == source)
        .unwrap_or_else(|| panic!("no document for {source}"))
}

fn person<'a>(d: &'a Value, id: &str) -> &'a Value {
    d["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["person_id"] == id)
        .unwrap_or_else(|| panic!("no person {id}"))
}

fn codes(d: &Value) -> Vec<&str> {
    d["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect()
}

fn totals(docs: &[Value], key: &str) -> Decimal {
    docs.iter()
        .map(|d| money(d["totals"][key].as_str().unwrap()))
        .sum()
}

#[test]
fn every_return_reconciles_with_the_councils_settings() {
    let docs = reconcile_json();
    for d in &docs {
        assert_eq!(d["status"], "reconciled", "{}", d["source"]);
        let errors: Vec<_> = d["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["severity"] == "error")
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", d["source"]);
        // The plans hold every person: no one unknown, no bundle overridden.
        let c = codes(d);
        assert!(!c.contains(&"unknown-person"), "{}: {c:?}", d["source"]);
        assert!(!c.contains(&"bundle-differs"), "{}: {c:?}", d["source"]);
        assert!(!c.contains(&"decision-unused"), "{}: {c:?}", d["source"]);
    }

    let bro = doc(&docs, "bro-morgannwg.xlsx");
    let cwm = doc(&docs, "cwm-taf-care.xlsx");
    let penarth = doc(&docs, "penarth-homecare.xlsx");

    // Only Cwm Taf is late, and only Cwm Taf states a rate of its own.
    assert_eq!(cwm["period"]["late"], true);
    assert_eq!(cwm["period"]["submitted"], "2026-07-24");
    assert!(cwm["period"]["submitted"].as_str() > cwm["period"]["submission_due"].as_str());
    assert!(codes(cwm).contains(&"late-submission"));
    assert!(codes(cwm).contains(&"rate-differs"));
    for d in [bro, penarth] {
        assert_eq!(d["period"]["late"], false, "{}", d["source"]);
        assert!(!codes(d).contains(&"late-submission"));
        assert!(!codes(d).contains(&"rate-differs"));
    }
    // The council's £24.30, not the submission's £24.60: P2002 is 6 hours
    // under, 6 × 24.30 = 145.80.
    assert_eq!(person(cwm, "P2002")["settlement"]["amount"], "-145.80");

    // P1003 referred and authorised by the officer, with the decision.
    let p1003 = person(bro, "P1003");
    assert_eq!(p1003["status"], "referred");
    assert_eq!(p1003["settlement"]["authorised"], true);
    let decision = &p1003["settlement"]["decision"];
    assert_eq!(decision["decision"], "authorise");
    assert!(
        decision["reason"]
            .as_str()
            .unwrap()
            .contains("not a change in need")
    );
    assert!(!decision["officer"].as_str().unwrap().is_empty());
    assert!(codes(bro).contains(&"authorised-change-in-need"));
    assert_eq!(bro["totals"]["held_count"], 0);

    // P3003 referred and held, by a decision: apart from the total.
    let p3003 = person(penarth, "P3003");
    assert_eq!(p3003["status"], "referred");
    assert_eq!(p3003["settlement"]["authorised"], false);
    assert_eq!(p3003["settlement"]["decision"]["decision"], "hold");
    assert_eq!(penarth["totals"]["held"], p3003["settlement"]["amount"]);
    assert_eq!(penarth["totals"]["held_count"], 1);

    // P3002 assessed at £130.00 a week: the council's £100.00 cap applies
    // (4 h × £25.20 = £100.80 would not), 13 × 100 = 1,300.00 charged.
    let p3002 = person(penarth, "P3002");
    assert_eq!(p3002["charge"]["charged"], "1300.00");
    assert_eq!(p3002["charge"]["overcharge"], "27.40");

    // P1006 on two rows and two plan lines: 7 × 7 + 6 × 10.5 commissioned.
    assert_eq!(person(bro, "P1006")["commissioned_hours"], "112");
}

#[test]
fn the_exports_add_up_to_the_reports() {
    let docs = reconcile_json();
    let payments = export("payments");
    let invoices = export("invoices");
    let refunds = export("refunds");
    let referrals = export("referrals");
    let remittance = export("remittance");

    // Payments less invoices is the authorised total of the round.
    let authorised = totals(&docs, "authorised");
    assert_eq!(total(&payments) - total(&invoices), authorised);
    assert_eq!(payments.len() + invoices.len(), 3, "every provider has a total");
    for row in invoices.iter().chain(&payments) {
        assert!(money(&row["Amount"]) > Decimal::ZERO, "{row:?}");
    }

    // Refunds: one line per overcharge, summing to the reports' refunds.
    assert_eq!(total(&refunds), totals(&docs, "overcharge_refunds"));

    // Referrals: every referred person, held ones with the amount held.
    let referred: u64 = docs
        .iter()
        .map(|d| d["totals"]["referred_count"].as_u64().unwrap())
        .sum();
    assert_eq!(referrals.len() as u64, referred);
    let held: Decimal = referrals
        .iter()
        .filter(|r| !r["Settlement held"].is_empty())
        .map(|r| money(&r["Settlement held"]))
        .sum();
    assert_eq!(held, totals(&docs, "held"));

    // Remittance: each provider's lines add up to its authorised total.
    for d in &docs {
        let reference = d["provider"]["reference"].as_str().unwrap();
        let lines: Vec<_> = remittance
            .iter()
            .filter(|r| r["Provider reference"] == reference)
            .cloned()
            .collect();
        assert!(!lines.is_empty(), "{reference}");
        assert_eq!(
            total(&lines),
            money(d["totals"]["authorised"].as_str().unwrap()),
            "{reference}"
        );
    }
    // The held person is on no remittance line; the authorised one is.
    assert!(!remittance.iter().any(|r| r["Person ID"] == "P3003"));
    assert!(remittance.iter().any(|r| r["Person ID"] == "P1003"));
}

/// A money cell of the summary, to the penny (the workbook stores a double;
/// its shortest decimal form is the amount written).
fn cell_money(cell: &Data) -> Decimal {
    match cell {
        Data::Float(f) => Decimal::from_str(&f.to_string()).unwrap().round_dp(2),
        Data::Int(i) => Decimal::from(*i),
        Data::Empty => Decimal::ZERO,
        other => panic!("{other:?} is not money"),
    }
}

#[test]
fn the_summary_workbook_adds_up() {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.xlsx");
    let out = format!("{}/", dir.path().display());
    yourchoice()
        .arg("reconcile")
        .args(RETURNS)
        .args(SETTINGS)
        .args(["--json", "--summary"])
        .arg(&summary)
        .args(["-o", &out])
        .assert()
        .success();
    for name in ["bro-morgannwg", "cwm-taf-care", "penarth-homecare"] {
        assert!(Path::new(&out).join(format!("{name}.report.xlsx")).is_file());
    }
    let docs = reconcile_json();

    let mut wb: Xlsx<_> = open_workbook(&summary).unwrap();
    let sheet = wb.worksheet_range("Submissions").unwrap();
    let rows: Vec<&[Data]> = sheet.rows().collect();
    let header: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name:?} in {header:?}"))
    };
    let body = &rows[1..rows.len() - 1];
    let totals_row = rows[rows.len() - 1];
    assert_eq!(totals_row[0].to_string(), "Totals");
    assert_eq!(body.len(), 3);

    let sum = |name: &str| -> Decimal { body.iter().map(|r| cell_money(&r[col(name)])).sum() };
    for name in [
        "BACS payment £",
        "Invoice £",
        "Held payments £",
        "Held recoveries £",
        "Refunds £",
    ] {
        assert_eq!(cell_money(&totals_row[col(name)]), sum(name), "{name}");
    }

    // And the JSON's: payments less invoices is what was authorised, held
    // payments and recoveries together what was held.
    let t = |name: &str| cell_money(&totals_row[col(name)]);
    assert_eq!(t("BACS payment £") - t("Invoice £"), totals(&docs, "authorised"));
    assert_eq!(
        t("Held payments £") + t("Held recoveries £"),
        totals(&docs, "held")
    );
    assert_eq!(t("Refunds £"), totals(&docs, "overcharge_refunds"));

    // Row by row, each submission's figures are its JSON's.
    for row in body {
        let source = row[col("Submission file")].to_string();
        let d = doc(&docs, &source);
        let authorised = money(d["totals"]["authorised"].as_str().unwrap());
        assert_eq!(
            cell_money(&row[col("BACS payment £")]) - cell_money(&row[col("Invoice £")]),
            authorised,
            "{source}"
        );
        assert_eq!(
            cell_money(&row[col("Refunds £")]),
            money(d["totals"]["overcharge_refunds"].as_str().unwrap()),
            "{source}"
        );
        let late = if d["period"]["late"] == true { "Yes" } else { "No" };
        assert_eq!(row[col("Late")].to_string(), late, "{source}");
    }
}
