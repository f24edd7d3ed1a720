//! The report workbook (SPEC 8.3), read back: sheets in order, every People
//! figure equal to the JSON figure, numbers as numbers, Summary totals equal
//! to the sums of the People lines, notes on flagged cells and links in
//! Findings, and (where LibreOffice is installed) a clean PDF conversion.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use calamine::{Data, Reader, Xlsx, open_workbook};
use rust_decimal::Decimal;
use serde_json::Value;

use crate::common::bin::yourchoice;
use crate::common::files::{example, fixture, root};

/// Copy `input` into a temp dir, reconcile it there (report beside it) and
/// return (dir, report path, the JSON document).
fn reconcile(input: &Path) -> (tempfile::TempDir, PathBuf, Value) {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join(input.file_name().unwrap());
    std::fs::copy(input, &copy).unwrap();
    let out = yourchoice()
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
            "Summary", "People", "Hours", "Weeks", "Findings", "Payments", "Audit", "Details"
        ]
    );
    // The Weeks sheet: a row per person-week; SPEC 9's P2 has bank balances
    // 4 after week 6 and 7 after week 9, and P1's week 5 is not billable.
    let weeks = wb.worksheet_range("Weeks").unwrap();
    assert_eq!(weeks.rows().count(), 1 + 26);
    let bank_of = |id: &str, week: f64| {
        weeks
            .rows()
            .find(|r| r[0] == id && r[2] == week)
            .map(|r| (r[5].to_string(), r[9].to_string()))
            .unwrap()
    };
    assert_eq!(bank_of("P2", 6.0), ("yes".into(), "4".into()));
    assert_eq!(bank_of("P2", 9.0), ("yes".into(), "7".into()));
    assert_eq!(bank_of("P1", 5.0), ("no".into(), String::new()));

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
    let findings_sheet = zip_part(&report, "worksheets/sheet5.xml");
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
    // People and Payments say why they hold no one, instead of printing a
    // header alone.
    let people = wb.worksheet_range("People").unwrap();
    let why = people
        .get_value((1, 0))
        .map(|c| c.to_string())
        .unwrap_or_default();
    assert!(why.contains("rejected"), "{why:?}");
    assert!(why.contains("1 error for the provider to fix"), "{why}");
    assert!(why.contains("Findings sheet"), "{why}");
    let payments = wb.worksheet_range("Payments").unwrap();
    let why = payments
        .get_value((1, 0))
        .map(|c| c.to_string())
        .unwrap_or_default();
    assert!(
        why.starts_with("Nothing to pay or recover: the submission was rejected"),
        "{why}"
    );
}

/// The rows of a sheet's XML that hold cells: (1-based row number, height
/// in points if set). (A streamed sheet may end with an empty `<row>`: see
/// `write::formats::end_streamed_rows`.)
fn row_heights(sheet: &str) -> Vec<(u32, Option<f64>)> {
    sheet
        .split("<row ")
        .skip(1)
        .filter(|row| {
            row.split("</row>")
                .next()
                .is_some_and(|cells| cells.contains("<c "))
        })
        .map(|row| {
            let head = &row[..row.find('>').unwrap()];
            let attr = |name: &str| -> Option<&str> {
                head.split(&format!(" {name}=\""))
                    .nth(1)
                    .and_then(|v| v.split('"').next())
            };
            let r = head.split("r=\"").nth(1).unwrap().split('"').next().unwrap();
            (r.parse().unwrap(), attr("ht").map(|h| h.parse().unwrap()))
        })
        .collect()
}

/// How the report prints (SPEC 8.3, issue 12): Findings messages wrap in a
/// fixed width with each row as tall as its message; People and Hours print
/// A4 landscape at a readable scale (never squeezed to one page wide), in
/// whole columns, with the header row and the first columns on every page.
#[test]
fn the_report_prints_readably() {
    let sample = example("provider.xlsx");
    let (_dir, report, json) = reconcile(&sample);

    // Findings: the message column is 84 characters, and a message of more
    // than a line makes its row taller (15 points a line).
    let findings = zip_part(&report, "worksheets/sheet5.xml");
    assert!(
        findings.contains("<col min=\"5\" max=\"5\" width=\"84.7109375\" customWidth=\"1\"/>"),
        "{}",
        &findings[..findings.find("</cols>").unwrap_or(0)]
    );
    let heights = row_heights(&findings);
    let messages = json["findings"].as_array().unwrap();
    assert_eq!(heights.len(), messages.len() + 1);
    for ((row, height), f) in heights.iter().skip(1).zip(messages) {
        let message = f["message"].as_str().unwrap();
        // About 100 characters of prose fill a line of 84.
        let lines = message.chars().count().div_ceil(100);
        if lines > 1 {
            let height = height.unwrap_or_else(|| panic!("row {row} keeps the default height: {message}"));
            assert!(
                height >= 15.0 * lines as f64,
                "row {row}: {height} points for {message}"
            );
        }
    }

    let workbook = zip_part(&report, "workbook.xml");
    for (sheet, part, titles) in [
        ("People", "worksheets/sheet2.xml", "People!$A:$B,People!$1:$1"),
        ("Hours", "worksheets/sheet3.xml", "Hours!$A:$A,Hours!$2:$2"),
    ] {
        let xml = zip_part(&report, part);
        let setup = xml.split("<pageSetup ").nth(1).unwrap();
        let setup = &setup[..setup.find("/>").unwrap()];
        assert!(setup.contains("orientation=\"landscape\""), "{sheet}: {setup}");
        assert!(setup.contains("paperSize=\"9\""), "{sheet}: {setup}");
        assert!(
            !xml.contains("fitToPage=\"1\""),
            "{sheet} is squeezed to one page wide"
        );
        let scale: u32 = setup
            .split("scale=\"")
            .nth(1)
            .map_or(100, |s| s.split('"').next().unwrap().parse().unwrap());
        assert!((70..=100).contains(&scale), "{sheet}: printed at {scale}%");
        assert!(
            xml.contains("<colBreaks "),
            "{sheet}: no page breaks between columns"
        );
        assert!(
            workbook.contains(titles),
            "{sheet}: print titles {titles} not in\n{workbook}"
        );
        assert!(
            xml.contains("&amp;A&amp;RPage &amp;P of &amp;N"),
            "{sheet}: no page footer"
        );
    }
}

#[test]
fn refuses_to_write_the_report_over_the_input() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("in.xlsx");
    std::fs::copy(fixture("worked-example.xlsx"), &copy).unwrap();
    let before = std::fs::read(&copy).unwrap();
    let out = yourchoice()
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

/// LibreOffice, if installed: `soffice`. Missing where `CI` is set is a
/// failure (`.ci/run` installs it), elsewhere a skip.
fn soffice() -> Option<&'static str> {
    let found = ["soffice", "libreoffice"].into_iter().find(|c| {
        std::process::Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
    if found.is_none() {
        assert!(
            !ci,
            "LibreOffice is not installed and CI is set: .ci/run installs it (apt-get install libreoffice-calc-nogui)"
        );
        eprintln!("SKIPPED: LibreOffice is not installed (apt-get install libreoffice-calc-nogui)");
    }
    found
}

/// The pages of a PDF as LibreOffice writes it (one `/Type/Page` object
/// each).
fn pdf_pages(pdf: &[u8]) -> usize {
    pdf.windows(11)
        .filter(|w| w.starts_with(b"/Type/Page") && w[10] != b's')
        .count()
}

/// A real spreadsheet opens the reports: LibreOffice converts a reconciled
/// and a rejected report to PDF, on a sensible number of pages.
#[test]
fn report_converts_to_pdf_in_libreoffice() {
    let Some(soffice) = soffice() else {
        return;
    };
    for (input, most_pages) in [
        (fixture("worked-example.xlsx"), 20),
        (example("provider.xlsx"), 40),
        (fixture("broken-blank.xlsx"), 20),
    ] {
        let (dir, report, _) = reconcile(&input);
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
        let pages = pdf_pages(&bytes);
        // Seven sheets, a page each at least.
        assert!(
            (7..=most_pages).contains(&pages),
            "{}: {pages} pages",
            input.display()
        );
    }
}

#[test]
fn sample_report_holds_every_json_figure() {
    let sample = example("provider.xlsx");
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

/// Every sheet's rows are in order and each once (a streamed sheet must not
/// repeat its last row: rust_xlsxwriter 0.102 did when the row had a
/// height, which Excel refuses to open without repair), on the sample, the
/// worked example and a rejected return.
#[test]
fn every_sheet_lists_each_row_once_in_order() {
    let root = root();
    for input in [
        root.join("examples/provider.xlsx"),
        root.join("examples/return-with-error.xlsx"),
        root.join("../shared/fixtures/worked-example.xlsx"),
    ] {
        let (_dir, report, _) = reconcile(&input);
        for k in 1..=8 {
            let sheet = zip_part(&report, &format!("worksheets/sheet{k}.xml"));
            let rows: Vec<u32> = sheet
                .split("<row r=\"")
                .skip(1)
                .map(|r| r.split('"').next().unwrap().parse().unwrap())
                .collect();
            assert!(
                rows.windows(2).all(|w| w[0] < w[1]),
                "{} sheet{k}: rows {rows:?}",
                input.display()
            );
        }
    }
}

/// The streamed sheets' temporary files go beside the report, not to the
/// system's temporary folder (which may be missing, full or a small
/// memory disk), and none is left behind.
#[test]
fn the_report_needs_no_temporary_folder_and_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let sample = example("provider.xlsx");
    let report = dir.path().join("out/provider.report.xlsx");
    let out = yourchoice()
        .arg("reconcile")
        .arg(&sample)
        .arg("-o")
        .arg(&report)
        .arg("--quiet")
        .env("TMPDIR", dir.path().join("no-such-folder"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let left: Vec<String> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, vec!["provider.report.xlsx".to_string()]);
}

/// The report of a return whose tables pass the row limit (issue 21): built
/// with a limit of a few rows, as a return of more than about 80,000 people
/// passes Excel's, and read back.
mod split {
    use std::collections::BTreeMap;
    use std::io::Cursor;

    use calamine::{Data, DataType, Reader, Xlsx};
    use chrono::{TimeZone, Utc};
    use yourchoice::engine;
    use yourchoice::model::settings::Settings;
    use yourchoice::write::report;

    use crate::common::workbook::{Return, n};

    const PEOPLE: usize = 50;
    const WEEKS: usize = 13;

    /// A return of 50 people, each a bundle of 10 hours and 4 delivered a
    /// week (every one referred, so each has findings too); its report's
    /// sheets by name, in order, with at most `row_max` rows a sheet.
    fn report(row_max: u32) -> Vec<(String, Vec<Vec<Data>>)> {
        let mut ret = Return::empty();
        for i in 1..=PEOPLE {
            ret = ret.person(&format!("P{i:03}"), &format!("Person {i}"), n(10.0), n(4.0));
        }
        let bytes = ret.workbook().save_to_buffer().unwrap();
        let settings = Settings::default();
        let (submission, findings) = yourchoice::read::read_submission("big.xlsx", &bytes, &settings);
        let result = engine::reconcile(&submission, findings, &settings);
        let audit = report::Audit {
            input_name: "big.xlsx",
            sha256: "0".repeat(64),
            settings: &settings,
            run_at: Utc.with_ymd_and_hms(2026, 7, 20, 9, 0, 0).unwrap(),
            ledger: Vec::new(),
        };
        let bytes = report::build(&submission, &result, &audit, None, row_max)
            .and_then(|mut wb| wb.save_to_buffer())
            .unwrap();
        let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
        wb.sheet_names()
            .into_iter()
            .map(|name| {
                let range = wb.worksheet_range(&name).unwrap();
                let rows = range.rows().map(<[Data]>::to_vec).collect();
                (name, rows)
            })
            .collect()
    }

    /// The sheets `table` is laid out on (`Weeks`, `Weeks 2`, ...), each
    /// with its rows, trailing blank rows left out.
    fn parts<'a>(sheets: &'a [(String, Vec<Vec<Data>>)], table: &str) -> Vec<&'a (String, Vec<Vec<Data>>)> {
        sheets
            .iter()
            .filter(|(name, _)| {
                name == table
                    || name
                        .strip_prefix(table)
                        .and_then(|k| k.strip_prefix(' '))
                        .is_some_and(|k| k.parse::<u32>().is_ok())
            })
            .collect()
    }

    fn filled(rows: &[Vec<Data>]) -> Vec<Vec<Data>> {
        rows.iter()
            .filter(|row| row.iter().any(|c| *c != Data::Empty))
            .cloned()
            .collect()
    }

    fn text_of(sheets: &[(String, Vec<Vec<Data>>)], sheet: &str) -> String {
        let (_, rows) = sheets.iter().find(|(name, _)| name == sheet).unwrap();
        rows.iter()
            .flatten()
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn a_table_too_long_for_a_sheet_is_split_over_sheets_each_with_its_header() {
        let whole = report(report::excel_rows());
        assert_eq!(report::excel_rows(), 1_048_576, "Excel's own limit");
        let names =
            |sheets: &[(String, Vec<Vec<Data>>)]| sheets.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
        assert_eq!(
            names(&whole),
            [
                "Summary", "People", "Hours", "Weeks", "Findings", "Payments", "Audit", "Details"
            ]
        );
        assert!(!text_of(&whole, "Summary").contains("split"));
        assert!(!text_of(&whole, "Audit").contains("split"));
        let findings = filled(&whole.iter().find(|(n, _)| n == "Findings").unwrap().1).len() - 1;
        assert!(findings > 38, "enough findings to split at 40 rows: {findings}");

        // 200 rows: 15 people's weeks (195 rows) a sheet, so 4 Weeks sheets;
        // 40 rows: 3 people's weeks a sheet, and People and Findings split too.
        for (row_max, weeks_sheets) in [(200, 4), (40, 17)] {
            let split = report(row_max);
            for table in ["People", "Weeks", "Findings"] {
                let one = &parts(&whole, table)[0].1;
                let many = parts(&split, table);
                let expected: Vec<String> = (1..=many.len())
                    .map(|k| {
                        if k == 1 {
                            table.to_string()
                        } else {
                            format!("{table} {k}")
                        }
                    })
                    .collect();
                assert_eq!(many.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>(), expected);
                if table == "Weeks" {
                    assert_eq!(many.len(), weeks_sheets, "{row_max}");
                }
                // Each within the limit, with the header row; together the
                // table's rows, in order, each once.
                let mut rows = Vec::new();
                for (name, part) in &many {
                    assert!(part.len() <= row_max as usize, "{name}: {} rows", part.len());
                    assert_eq!(part[0], one[0], "{name}'s header row");
                    assert!(part.len() > 1, "{name} holds rows");
                    rows.extend(filled(&part[1..]));
                }
                assert_eq!(rows, filled(&one[1..]), "{table} at {row_max} rows");
            }

            // Every person-week exactly once, a person's weeks on one sheet.
            let mut seen: BTreeMap<(String, u32), usize> = BTreeMap::new();
            let mut sheet_of: BTreeMap<String, String> = BTreeMap::new();
            for (name, part) in parts(&split, "Weeks") {
                for row in filled(&part[1..]) {
                    let (Data::String(id), Some(week)) = (&row[0], row[2].as_f64()) else {
                        panic!("{name}: {row:?}");
                    };
                    *seen.entry((id.clone(), week as u32)).or_default() += 1;
                    assert_eq!(sheet_of.entry(id.clone()).or_insert(name.clone()), name, "{id}");
                }
            }
            let expected: BTreeMap<(String, u32), usize> = (1..=PEOPLE)
                .flat_map(|i| (1..=WEEKS as u32).map(move |k| ((format!("P{i:03}"), k), 1)))
                .collect();
            assert_eq!(seen, expected, "{row_max}");

            // The Summary and the Audit say so in words.
            let said = format!(
                "The Weeks sheet is split over {weeks_sheets} sheets: Weeks (P001 to P0{:02}), Weeks 2",
                if row_max == 200 { 15 } else { 3 }
            );
            for sheet in ["Summary", "Audit"] {
                let text = text_of(&split, sheet);
                assert!(text.contains(&said), "{sheet}: {text}");
                assert!(text.contains("which holds at most"), "{sheet}: {text}");
                assert_eq!(
                    text.contains("The People sheet is split over 2 sheets"),
                    row_max == 40,
                    "{sheet}: {text}"
                );
                assert_eq!(
                    text.contains("The Findings sheet is split"),
                    row_max == 40,
                    "{sheet}"
                );
            }
        }
    }
}
