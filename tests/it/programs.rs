//! Returns written by programs (issue 23): a template filled by a program
//! that does not recalculate (Python's openpyxl, a rostering system), a
//! Totals row labelled as people label it, one `missing-hours` per person,
//! and a template listing the council's plans. Every figure below is worked
//! out by hand in the comments.
//!
//! The program's file is made the Rust way, so CI needs nothing new: the
//! template `yourchoice template` writes (or a return of
//! `common::workbook`), its XML edited as openpyxl saves it: the hours typed
//! as numbers (`<c r="G4" t="n"><v>10</v></c>`) and every formula kept
//! with no cached result (`<f>SUM(G4:S4)</f>` and no `<v>`, or openpyxl's
//! empty `<v/>`).

use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx, open_workbook};

use crate::common::bin::yourchoice;
use crate::common::doc::{Doc, Severity};
use crate::common::package::patch;
use crate::common::workbook::{Return, V, n, t};

/// The template's Hours sheet: Instructions, Details, Hours.
const TEMPLATE_HOURS: &str = "xl/worksheets/sheet3.xml";
/// The Hours sheet of a `common::workbook` return: Details, Hours.
const RETURN_HOURS: &str = "xl/worksheets/sheet2.xml";

/// `yourchoice reconcile PATH --json --no-report` (and `extra`): the exit
/// code and the document.
fn reconcile(path: &Path, extra: &[&str]) -> (Option<i32>, Doc) {
    let output = yourchoice()
        .args(["reconcile", path.to_str().unwrap(), "--json", "--no-report"])
        .args(extra)
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let doc = serde_json::from_str(stdout.trim())
        .unwrap_or_else(|e| panic!("not the JSON document ({e}): {stdout}"));
    (output.status.code(), doc)
}

/// The findings as `code cell: message` lines, for assertion messages.
fn short(doc: &Doc) -> Vec<String> {
    doc.findings
        .iter()
        .map(|f| format!("{} {:?}: {}", f.code, f.cell, f.message))
        .collect()
}

/// Type `value` into the blank (formatted, self-closing) cell `cell` of a
/// worksheet's XML, as openpyxl writes a number: `t="n"`, the value in `<v>`.
fn type_number(xml: &str, cell: &str, value: &str) -> String {
    let start = xml
        .find(&format!("<c r=\"{cell}\""))
        .unwrap_or_else(|| panic!("no cell {cell}"));
    let end = start + xml[start..].find('>').unwrap();
    assert_eq!(&xml[end - 1..=end], "/>", "{cell} is not blank");
    format!(
        "{} t=\"n\"><v>{value}</v></c>{}",
        &xml[..end - 1],
        &xml[end + 1..]
    )
}

/// Every formula's cached result taken out, as a program that does not
/// calculate saves it: on the rows before `empty_from` (1-based) no `<v>`
/// at all, from it on openpyxl's empty `<v/>`. Returns the XML and how many
/// formulas there were.
fn drop_every_cached_value(xml: &str, empty_from: u32) -> (String, usize) {
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    let mut count = 0;
    while let Some(f_end) = rest.find("</f>") {
        let (head, tail) = rest.split_at(f_end + "</f>".len());
        out.push_str(head);
        assert!(tail.starts_with("<v>"), "a formula without a cached value");
        let v_end = tail.find("</v>").unwrap() + "</v>".len();
        // The row of this cell: the last `<c r="` before it.
        let c = head.rfind("<c r=\"").unwrap() + "<c r=\"".len();
        let reference = &head[c..c + head[c..].find('"').unwrap()];
        let row: u32 = reference
            .trim_start_matches(|ch: char| ch.is_ascii_alphabetic())
            .parse()
            .unwrap();
        if row >= empty_from {
            out.push_str("<v/>");
        }
        rest = &tail[v_end..];
        count += 1;
    }
    out.push_str(rest);
    (out, count)
}

/// `yourchoice template` for SUP00123 from Monday 06/04/2026 (13 weeks),
/// with `args` (the people or the council), written to `dir/return.xlsx`.
fn template(dir: &Path, args: &[&str]) -> (PathBuf, String) {
    let out = dir.join("return.xlsx");
    let output = yourchoice()
        .args(["template", "--provider-ref", "SUP00123"])
        .args(["--period-start", "2026-04-06", "-o"])
        .arg(&out)
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(output.status.success(), "{stderr}");
    (out, stderr)
}

/// The template filled by a program that does not calculate. P0001 (bundle
/// 10, in care all 13 weeks, row 4: weeks G..S) has 10 hours a week but 8 in
/// week 5 and 12 in week 6; P0002 (bundle 7:30, care from Monday 18/05/2026,
/// week 7, row 5: weeks M..S) 7.5 a week. The 22 prepared rows (2 people
/// and 20 spare, rows 4..25) keep their `SUM` Totals, saved without
/// results.
#[test]
fn a_template_filled_by_a_program_that_does_not_calculate_reconciles() {
    let dir = tempfile::tempdir().unwrap();
    let people = dir.path().join("people.csv");
    std::fs::write(
        &people,
        "Person ID,Name,Weekly bundle,Care start\n\
         P0001,Gwen Hughes,10,\n\
         P0002,Dafydd Rees,7:30,18/05/2026\n",
    )
    .unwrap();
    let (path, _) = template(
        dir.path(),
        &["--rate", "24.85", "--people", people.to_str().unwrap()],
    );
    patch(&path, TEMPLATE_HOURS, |xml| {
        let mut xml = xml.to_string();
        for (k, col) in ('G'..='S').enumerate() {
            let hours = match k + 1 {
                5 => "8",
                6 => "12",
                _ => "10",
            };
            xml = type_number(&xml, &format!("{col}4"), hours);
        }
        for col in 'M'..='S' {
            xml = type_number(&xml, &format!("{col}5"), "7.5");
        }
        // The people's rows without any `<v>`, the spare rows with `<v/>`.
        let (xml, formulas) = drop_every_cached_value(&xml, 6);
        assert_eq!(formulas, 22, "a Total on each of rows 4..25");
        xml
    });
    let (code, doc) = reconcile(&path, &[]);
    assert_eq!(code, Some(0), "{:#?}", short(&doc));
    // No spare row read as figures without a Person ID, no Total an error.
    assert!(
        doc.findings.iter().all(|f| f.severity != Severity::Error),
        "{:#?}",
        short(&doc)
    );
    doc.lacks("missing-person-id");
    doc.lacks("formula-not-calculated");
    doc.lacks("total-mismatch");
    // One notice for the two people's Totals: the first is T4. The spare
    // rows' Totals are not counted: those rows are not read at all.
    let f = doc.only("total-not-calculated", Severity::Info, Some("Hours!T4"));
    assert!(
        f.message
            .starts_with("2 Totals, the first in Hours!T4, are formulas saved without a result"),
        "{}",
        f.message
    );
    assert!(f.message.contains("could not be checked"), "{}", f.message);
    assert_eq!(doc.people.len(), 2, "{:#?}", doc.people);
    // P0001: 11 x 10 + 8 + 12 = 130 delivered against 13 x 10 = 130.
    let p1 = doc.person("P0001");
    assert_eq!(
        (p1.delivered_hours.as_str(), p1.commissioned_hours.as_str()),
        ("130", "130")
    );
    assert_eq!(p1.billable_weeks, (1..=13).collect::<Vec<_>>());
    // P0002: weeks 7..13, 7 x 7.5 = 52.5 against 7 x 7.5 = 52.5.
    let p2 = doc.person("P0002");
    assert_eq!(
        (p2.delivered_hours.as_str(), p2.commissioned_hours.as_str()),
        ("52.5", "52.5")
    );
    assert_eq!(p2.billable_weeks, (7..=13).collect::<Vec<_>>());
}

/// The same template filled by the program, one week left blank, and one
/// spare row given hours but no Person ID: the blank is still
/// `missing-hours` and the row with figures still `missing-person-id`
/// (a spare row is passed over only while it holds nothing but its Total).
#[test]
fn a_program_filled_template_still_reports_real_gaps() {
    let dir = tempfile::tempdir().unwrap();
    let people = dir.path().join("people.csv");
    std::fs::write(&people, "Person ID,Name,Weekly bundle\nP0001,Gwen Hughes,10\n").unwrap();
    let (path, _) = template(
        dir.path(),
        &["--rate", "24.85", "--people", people.to_str().unwrap()],
    );
    patch(&path, TEMPLATE_HOURS, |xml| {
        let mut xml = xml.to_string();
        // Week 4 (J4) left blank.
        for col in ('G'..='S').filter(|c| *c != 'J') {
            xml = type_number(&xml, &format!("{col}4"), "10");
        }
        // Row 7, a spare row (only its Total and Notes cells are written):
        // 3 hours in week 1, G7, no Person ID.
        let row = xml.find("<row r=\"7\"").unwrap();
        let at = row + xml[row..].find('>').unwrap() + 1;
        xml.insert_str(at, "<c r=\"G7\" t=\"n\"><v>3</v></c>");
        drop_every_cached_value(&xml, 100).0
    });
    let (code, doc) = reconcile(&path, &[]);
    assert_eq!(code, Some(1), "{:#?}", short(&doc));
    let f = doc.only("missing-hours", Severity::Error, Some("Hours!J4"));
    assert!(
        f.message.contains("week 4 (w/c 27/04/2026) is blank"),
        "{}",
        f.message
    );
    doc.only("missing-person-id", Severity::Error, Some("Hours!A7"));
    // P0001's Total alone: row 7, without a Person ID, is not read further.
    let f = doc.only("total-not-calculated", Severity::Info, Some("Hours!T4"));
    assert!(
        f.message
            .starts_with("The Total in Hours!T4 is a formula saved without a result"),
        "{}",
        f.message
    );
}

/// A return with a second person (P2, bundle 5, 5 hours a week) and a
/// Totals row in row 9 (header row 6, P1 row 7, P2 row 8) labelled `label`:
/// each week 15 (10 + 5) but week 2 (column E) 16, and its Total (column
/// Q) 195 = 13 x 15.
fn with_totals_row(label: &str) -> Return {
    Return::valid()
        .person("P2", "Bob Example", n(5.0), n(5.0))
        .column(t("Total"))
        .person(label, "", V::Blank, n(15.0))
        .set_row(2, "Week 2", n(16.0))
        .set_row(2, "Total", n(195.0))
}

#[test]
fn a_totals_row_is_recognised_however_it_is_labelled() {
    let dir = tempfile::tempdir().unwrap();
    for (i, label) in ["Total:", "TOTAL:", "Grand total", "  grand  TOTAL : ", "Totals"]
        .into_iter()
        .enumerate()
    {
        let path = with_totals_row(label).save(dir.path(), &format!("r{i}.xlsx"));
        let (code, doc) = reconcile(&path, &[]);
        assert_eq!(code, Some(0), "{label:?}: {:#?}", short(&doc));
        // Read as a person it would have a blank bundle (bad-number).
        assert_eq!(doc.people.len(), 2, "{label:?}: {:#?}", doc.people);
        // Checked: week 2 is 10 + 5 = 15, not 16. The Total, 195, is the
        // sum of the weeks, 13 x 15.
        let f = doc.only("total-mismatch", Severity::Warning, Some("Hours!E9"));
        assert!(f.message.contains("16"), "{label:?}: {}", f.message);
    }
    // Not a Totals label: read as a person (whose blank bundle is an error).
    let path = with_totals_row("Subtotal").save(dir.path(), "sub.xlsx");
    let (code, doc) = reconcile(&path, &[]);
    assert_eq!(code, Some(1), "{:#?}", short(&doc));
    doc.only("bad-number", Severity::Error, Some("Hours!C9"));
}

/// A Totals row of `SUM` formulas saved without results (row 9, weeks D..P
/// and the Total in Q): 14 checks that could not be made, one notice, no
/// error; P1 and P2 reconcile on their own hours.
#[test]
fn an_uncalculated_totals_row_is_a_notice_not_a_rejection() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = with_totals_row("Total:");
    let formulas: Vec<&'static str> = ('D'..='P')
        .map(|c| &*Box::leak(format!("=SUM({c}7:{c}8)").into_boxed_str()))
        .collect();
    for (k, f) in formulas.into_iter().enumerate() {
        r = r.set_row(2, &format!("Week {}", k + 1), V::Formula(f));
    }
    let r = r.set_row(2, "Total", V::Formula("=SUM(D9:P9)"));
    let path = r.save(dir.path(), "return.xlsx");
    patch(&path, RETURN_HOURS, |xml| {
        let (xml, count) = drop_every_cached_value(xml, 9);
        assert_eq!(count, 14);
        xml
    });
    let (code, doc) = reconcile(&path, &[]);
    assert_eq!(code, Some(0), "{:#?}", short(&doc));
    doc.lacks("formula-not-calculated");
    doc.lacks("total-mismatch");
    let f = doc.only("total-not-calculated", Severity::Info, Some("Hours!D9"));
    assert!(
        f.message.starts_with("14 Totals, the first in Hours!D9"),
        "{}",
        f.message
    );
    // P1: 13 x 10 = 130; P2: 13 x 5 = 65.
    assert_eq!(doc.person("P1").delivered_hours, "130");
    assert_eq!(doc.person("P2").delivered_hours, "65");
}

/// P1's weeks 3, 4, 5 and 9 blank (columns F, G, H and L of row 7): one
/// `missing-hours`, at the first blank cell, naming the weeks as runs.
#[test]
fn missing_hours_is_one_finding_per_person_over_its_weeks() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = Return::valid().person("P2", "Bob Example", n(5.0), n(5.0));
    for k in [3, 4, 5, 9] {
        r = r.set_row(0, &format!("Week {k}"), V::Blank);
    }
    // P2 (row 8): week 13 (column P) alone.
    let r = r.set_row(1, "Week 13", V::Blank);
    let (code, doc) = reconcile(&r.save(dir.path(), "return.xlsx"), &[]);
    assert_eq!(code, Some(1));
    let found = doc.all("missing-hours");
    assert_eq!(found.len(), 2, "{:#?}", short(&doc));
    let p1 = found
        .iter()
        .find(|f| f.person_id.as_deref() == Some("P1"))
        .unwrap();
    assert_eq!(p1.cell.as_deref(), Some("Hours!F7"));
    // Week 3 is w/c 06/04 + 14 days = 20/04/2026; week 9 is + 56 days =
    // 01/06/2026.
    assert!(
        p1.message.contains(
            "weeks 3-5, 9 (the first w/c 20/04/2026, the last w/c 01/06/2026) are blank, but the person was in care those 4 weeks"
        ),
        "{}",
        p1.message
    );
    let p2 = found
        .iter()
        .find(|f| f.person_id.as_deref() == Some("P2"))
        .unwrap();
    assert_eq!(p2.cell.as_deref(), Some("Hours!P8"));
    // Week 13: 06/04 + 84 days = 29/06/2026.
    assert!(
        p2.message
            .contains("week 13 (w/c 29/06/2026) is blank, but the person was in care that week"),
        "{}",
        p2.message
    );
}

/// A council whose plans hold, for SUP00123 in the 13 weeks from Monday
/// 06/04/2026 (ending Sunday 05/07/2026):
///
/// - P1: 10 hours, open-ended from before the period;
/// - P2: 6 hours to Tuesday 14/04 (week 2), then 8 from Wednesday 15/04;
/// - P3: 4 hours from Wednesday 20/05 (week 7) to Wednesday 10/06 (week 10);
///
/// and plans the template must leave out: P4's with another provider, P5's
/// ended before the period, P6's starting after it.
fn council(dir: &Path) -> PathBuf {
    std::fs::write(
        dir.join("plans.csv"),
        "Person ID,Provider reference,Weekly bundle,From,To\n\
         P1,SUP00123,10,2025-10-06,\n\
         P4,SUP00456,12,2025-10-06,\n\
         P2,SUP00123,6,2025-10-06,2026-04-14\n\
         P2,SUP00123,8,2026-04-15,\n\
         P5,SUP00123,9,2025-10-06,2026-04-05\n\
         P3,SUP00123,4,2026-05-20,2026-06-10\n\
         P6,SUP00123,3,2026-07-06,\n",
    )
    .unwrap();
    let toml = dir.join("council.toml");
    std::fs::write(
        &toml,
        "tolerance = \"8%\"\nperiod_weeks = 13\nplans = \"plans.csv\"\n\n\
         [[provider]]\nreference = \"SUP00123\"\nname = \"Example Care Ltd\"\n\
         rates = [ { from = \"2025-04-07\", rate = \"24.85\" } ]\n\n\
         [[provider]]\nreference = \"SUP00456\"\nname = \"Other Care Ltd\"\n\
         rates = [ { from = \"2025-04-07\", rate = \"24.85\" } ]\n",
    )
    .unwrap();
    toml
}

/// The Hours rows of a template from row 4: (Person ID, bundle, care start,
/// care end), dates as Excel serial days.
fn listed(path: &Path) -> Vec<(String, f64, Option<f64>, Option<f64>)> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let hours = wb.worksheet_range("Hours").unwrap();
    let num = |d: Option<&Data>| match d {
        Some(Data::Float(f)) => Some(*f),
        Some(Data::DateTime(d)) => Some(d.as_f64()),
        _ => None,
    };
    (3..)
        .map_while(|r| match hours.get_value((r, 0)) {
            Some(Data::String(id)) => Some((
                id.clone(),
                num(hours.get_value((r, 2))).unwrap(),
                num(hours.get_value((r, 4))),
                num(hours.get_value((r, 5))),
            )),
            _ => None,
        })
        .collect()
}

/// Excel's serial day of a day in 2026 (1 January 2026 is 46023).
fn serial(month: u32, day: u32) -> f64 {
    let d = chrono::NaiveDate::from_ymd_opt(2026, month, day).unwrap();
    (d - chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()).num_days() as f64 + 46023.0
}

#[test]
fn template_lists_the_councils_plans_without_people() {
    let dir = tempfile::tempdir().unwrap();
    let toml = council(dir.path());
    let (path, _) = template(dir.path(), &["--council", toml.to_str().unwrap()]);
    // P2's week 2 (w/c 13/04) takes the plan in force on its Monday, the
    // 6 hours; week 3 (w/c 20/04) the 8. So the first row ends on the plan's
    // last day, 14/04, and the second starts on week 3's Monday, 20/04: no
    // week on both rows. P3's dates are the plan's own.
    assert_eq!(
        listed(&path),
        vec![
            ("P1".to_string(), 10.0, None, None),
            ("P2".to_string(), 6.0, None, Some(serial(4, 14))),
            ("P2".to_string(), 8.0, Some(serial(4, 20)), None),
            ("P3".to_string(), 4.0, Some(serial(5, 20)), Some(serial(6, 10))),
        ]
    );
    // Checked against the same council: the blanks and nothing else, one
    // missing-hours per person. P1 weeks 1-13 from G4; P2 weeks 1-13
    // across its two rows, from G5; P3 weeks 7-10 (w/c 18/05, whose Sunday
    // 24/05 is after the care start, to w/c 08/06, which starts before the
    // care end), from week 7's column, M, in row 7.
    let (code, doc) = reconcile(&path, &["--council", toml.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    let mut found: Vec<(String, Option<String>)> = doc
        .findings
        .iter()
        .map(|f| (f.code.clone(), f.cell.clone()))
        .collect();
    found.sort();
    let want: Vec<(String, Option<String>)> = ["Hours!G4", "Hours!G5", "Hours!M7"]
        .iter()
        .map(|c| ("missing-hours".to_string(), Some(c.to_string())))
        .collect();
    assert_eq!(found, want, "{:#?}", short(&doc));
    let p3 = doc
        .all("missing-hours")
        .into_iter()
        .find(|f| f.person_id.as_deref() == Some("P3"))
        .unwrap();
    assert!(
        p3.message
            .contains("weeks 7-10 (w/c 18/05/2026 to w/c 08/06/2026)"),
        "{}",
        p3.message
    );
}

/// With both, the people file wins and is checked against the plans: P1's
/// bundle differs (12, not 10), P9 is not in the plans, P2 and P3 are left
/// out; each is a warning on stderr, and the template lists the file's.
#[test]
fn the_people_file_wins_over_the_plans_and_is_checked_against_them() {
    let dir = tempfile::tempdir().unwrap();
    let toml = council(dir.path());
    let people = dir.path().join("people.csv");
    std::fs::write(
        &people,
        "Person ID,Name,Weekly bundle\nP1,Gwen Hughes,12\nP9,Ifan Jones,5\n",
    )
    .unwrap();
    let (path, stderr) = template(
        dir.path(),
        &[
            "--council",
            toml.to_str().unwrap(),
            "--people",
            people.to_str().unwrap(),
        ],
    );
    assert_eq!(
        listed(&path),
        vec![
            ("P1".to_string(), 12.0, None, None),
            ("P9".to_string(), 5.0, None, None)
        ]
    );
    assert!(
        stderr.contains("The people file and the council's plans differ"),
        "{stderr}"
    );
    assert!(stderr.contains("warning[bundle-differs] Hours!C4: "), "{stderr}");
    assert!(stderr.contains("warning[unknown-person] Hours!A5: "), "{stderr}");
    assert_eq!(
        stderr.matches("warning[planned-person-missing]").count(),
        2,
        "{stderr}"
    );
    assert!(stderr.contains("P2 is in the council's plans"), "{stderr}");
    assert!(stderr.contains("P3 is in the council's plans"), "{stderr}");
}
