//! The report workbook (SPEC 8.3), read back: sheets in order, every People
//! figure equal to the JSON figure, numbers as numbers, Summary totals equal
//! to the sums of the People lines, notes on flagged cells and links in
//! Findings, and (where LibreOffice is installed) a clean PDF conversion.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use assert_cmd::Command;
use calamine::{Data, Reader, Xlsx, open_workbook};
use rust_decimal::Decimal;
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/fixtures")
        .join(name)
}

/// Copy `input` into a temp dir, reconcile it there (report beside it) and
/// return (dir, report path, the JSON document).
fn reconcile(input: &Path) -> (tempfile::TempDir, PathBuf, Value) {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join(input.file_name().unwrap());
    std::fs::copy(input, &copy).unwrap();
    let out = Command::new(assert_cmd::cargo::cargo_bin!("yourchoice"))
        .arg("reconcile")
        .arg(&copy)
        .arg("--json")
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let stem = copy.file_stem().unwrap().to_string_lossy().into_owned();
    let report = dir.path().join(format!("{stem}.report.xlsx"));
    assert!(report.exists(), "no report at {}", report.display());
    (dir, report, json)
}

fn num(cell: &Data) -> Decimal {
    match cell {
        Data::Float(f) => Decimal::from_str(&f.to_string()).unwrap(),
        Data::Int(i) => Decimal::from(*i),
        other => panic!("expected a number cell, found {other:?}"),
    }
}

fn dec(v: &Value) -> Decimal {
    Decimal::from_str(v.as_str().unwrap()).unwrap()
}

fn zip_part(path: &Path, name_contains: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).unwrap();
        if file.name().unwrap().contains(name_contains) {
            file.read_to_string(&mut text).unwrap();
        }
    }
    text
}

/// Every figure of the People sheet equals the JSON figure: a number cell
/// rounded to the JSON string's decimals (the workbook stores a double), a
/// blank cell where the JSON has null. Returns the People range and header.
fn people_match_json(
    wb: &mut Xlsx<std::io::BufReader<std::fs::File>>,
    json: &Value,
) -> (calamine::Range<Data>, Vec<String>) {
    let people = wb.worksheet_range("People").unwrap();
    let header: Vec<String> = people
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    };
    let json_people = json["people"].as_array().unwrap();
    assert_eq!(people.height() - 1, json_people.len());
    for (row, p) in people.rows().skip(1).zip(json_people) {
        assert_eq!(
            row[col("Person ID")].to_string(),
            p["person_id"].as_str().unwrap()
        );
        for (column, key, scale) in [
            ("Commissioned hours", &p["commissioned_hours"], 1),
            ("Delivered hours", &p["delivered_hours"], 1),
            ("Net variance hours", &p["net_variance_hours"], 1),
            ("Variance %", &p["variance_percent"], 100),
            ("Tolerance hours", &p["tolerance_hours"], 1),
            ("Bank peak hours", &p["bank"]["peak_hours"], 1),
            ("Settlement £", &p["settlement"]["amount"], 1),
            ("Charged £", &p["charge"]["charged"], 1),
            (
                "Cost of care received £",
                &p["charge"]["cost_of_care_received"],
                1,
            ),
            ("Overcharge £", &p["charge"]["overcharge"], 1),
        ] {
            let cell = &row[col(column)];
            match key.as_str() {
                None => assert_eq!(cell, &Data::Empty, "{column} of {}", p["person_id"]),
                Some(text) => {
                    let want = Decimal::from_str(text).unwrap();
                    // A percentage cell holds the fraction: 2.50% is 0.025.
                    let got = (num(cell) * Decimal::from(scale)).round_dp(want.scale());
                    assert_eq!(got, want, "{column} of {}", p["person_id"]);
                }
            }
        }
    }
    (people, header)
}

#[test]
fn worked_example_report_holds_every_json_figure() {
    let (_dir, report, json) = reconcile(&fixture("worked-example.xlsx"));
    let mut wb: Xlsx<_> = open_workbook(&report).unwrap();
    assert_eq!(
        wb.sheet_names(),
        [
            "Summary", "People", "Hours", "Findings", "Payments", "Audit", "Details"
        ]
    );

    let (people, header) = people_match_json(&mut wb, &json);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    // Summary totals equal the sums of the People lines (SPEC 9: £72.00
    // BACS, £-168.00 held, £168.00 refunds).
    let summary = wb.worksheet_range("Summary").unwrap();
    let value_of = |label: &str| -> Decimal {
        let row = summary
            .rows()
            .find(|r| r.first().is_some_and(|c| *c == label))
            .unwrap_or_else(|| panic!("no Summary line {label}"));
        num(&row[1])
    };
    let settlement = col("Settlement £");
    let authorised = col("Authorised");
    let sum_where = |held: bool| -> Decimal {
        people
            .rows()
            .skip(1)
            .filter(|r| (r[authorised] == "Yes") != held)
            .map(|r| num(&r[settlement]))
            .sum()
    };
    assert_eq!(value_of("BACS payment to the provider"), Decimal::new(7200, 2));
    assert_eq!(value_of("BACS payment to the provider"), sum_where(false));
    assert_eq!(value_of("Held for the officer"), Decimal::new(-16800, 2));
    assert_eq!(value_of("Held for the officer"), sum_where(true));
    let refunds: Decimal = people.rows().skip(1).map(|r| num(&r[col("Overcharge £")])).sum();
    assert_eq!(value_of("Refunds to service users"), refunds);
    assert_eq!(refunds, Decimal::new(16800, 2));

    // Dates are date cells.
    let period_start = summary.rows().find(|r| r[0] == "Period start").unwrap();
    assert!(
        matches!(period_start[1], Data::DateTime(_)),
        "{:?}",
        period_start[1]
    );

    // The flagged no-care week (Hours!I2) carries a note; Findings link to cells.
    let comments = zip_part(&report, "comments");
    assert!(comments.contains("no-care-week"), "no note for the no-care week");
    let findings_sheet = zip_part(&report, "worksheets/sheet4.xml");
    assert!(findings_sheet.contains("<hyperlink"), "no links in Findings");
    assert!(findings_sheet.contains("Hours!I2"), "no link to Hours!I2");
    let hours_sheet = zip_part(&report, "worksheets/sheet3.xml");
    assert!(hours_sheet.contains("conditionalFormatting"), "weeks not shaded");

    // The audit trail names the input and its hash.
    let audit = wb.worksheet_range("Audit").unwrap();
    let sha = audit.rows().find(|r| r[0] == "Input SHA-256").unwrap()[1].to_string();
    assert_eq!(sha.len(), 64);
}

#[test]
fn a_rejected_submission_still_gets_a_report_saying_why() {
    let (_dir, report, json) = reconcile(&fixture("broken-blank.xlsx"));
    assert_eq!(json["status"], "rejected");
    let mut wb: Xlsx<_> = open_workbook(&report).unwrap();
    let summary = wb.worksheet_range("Summary").unwrap();
    let status = summary.rows().find(|r| r[0] == "Status").unwrap()[1].to_string();
    assert!(status.starts_with("REJECTED"), "{status}");
    let findings = wb.worksheet_range("Findings").unwrap();
    assert!(
        findings
            .rows()
            .any(|r| r[1] == "missing-hours" && r[2] == "Hours!P20")
    );
    assert!(zip_part(&report, "comments").contains("missing-hours"));
}

#[test]
fn refuses_to_write_the_report_over_the_input() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("in.xlsx");
    std::fs::copy(fixture("worked-example.xlsx"), &copy).unwrap();
    let before = std::fs::read(&copy).unwrap();
    let out = Command::new(assert_cmd::cargo::cargo_bin!("yourchoice"))
        .args(["reconcile"])
        .arg(&copy)
        .arg("-o")
        .arg(&copy)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("refusing"));
    assert_eq!(std::fs::read(&copy).unwrap(), before, "the input was modified");
    // Nothing else was left behind.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn report_converts_to_pdf_in_libreoffice() {
    let Some(soffice) = ["soffice", "libreoffice"].into_iter().find(|c| {
        std::process::Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    }) else {
        eprintln!("SKIPPED: LibreOffice is not installed (apt-get install libreoffice-calc-nogui)");
        return;
    };
    let (dir, report, _) = reconcile(&fixture("worked-example.xlsx"));
    let status = std::process::Command::new(soffice)
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .arg(&report)
        .env("HOME", dir.path())
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let pdf = report.with_extension("pdf");
    let bytes = std::fs::read(&pdf).unwrap_or_else(|e| panic!("{}: {e}", pdf.display()));
    assert!(bytes.starts_with(b"%PDF"));
}

#[test]
fn sample_report_holds_every_json_figure() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/provider.xlsx");
    let (_dir, report, json) = reconcile(&sample);
    let mut wb: Xlsx<_> = open_workbook(&report).unwrap();
    people_match_json(&mut wb, &json);
    // The Summary's totals are the JSON's.
    let summary = wb.worksheet_range("Summary").unwrap();
    let value_of = |label: &str| -> Decimal {
        num(&summary
            .rows()
            .find(|r| r[0] == label)
            .unwrap_or_else(|| panic!("no {label}"))[1])
    };
    let totals = &json["totals"];
    let authorised = dec(&totals["authorised"]);
    match totals["method"].as_str().unwrap() {
        "bacs" => assert_eq!(value_of("BACS payment to the provider"), authorised),
        "invoice" => assert_eq!(value_of("Invoice to the provider"), -authorised),
        _ => assert_eq!(value_of("Nothing to pay or recover"), Decimal::ZERO),
    }
    assert_eq!(value_of("Held for the officer"), dec(&totals["held"]));
    assert_eq!(
        value_of("Refunds to service users"),
        dec(&totals["overcharge_refunds"])
    );
    assert_eq!(
        value_of("Referred for review"),
        Decimal::from(totals["referred_count"].as_u64().unwrap())
    );
}
