//! The misreads of issue 21 ("No misread left"), each on a real workbook
//! and checked against what a person works out by hand:
//!
//! - a workbook of the 1904 date system (Excel for Mac's old default,
//!   `<workbookPr date1904="1"/>`), whose serial day numbers count from
//!   1904-01-01: 44656 is Monday 06/04/2026 there, not 05/04/2022;
//! - a shared-string cell whose string number is not a number, which the
//!   workbook reader would show as the first shared string;
//! - hours that look like h.mm (`7.30` for 7 h 30 min): a warning naming
//!   the reading used, the figures unchanged;
//! - an hours cell with a decimal comma (`7,5`): an error saying to write
//!   7.5.
//!
//! The workbooks are the council format 1 return of `common::workbook`
//! (`Details` B1..B4; `Hours` header in row 6, P1 in row 7, week k in
//! column D + k − 1), patched as raw XML where rust_xlsxwriter cannot write
//! what a test needs.

use std::io::{Cursor, Read, Write};
use std::path::Path;

use rust_xlsxwriter::Format;

use crate::common::bin::yourchoice;
use crate::common::doc::{Doc, Severity};
use crate::common::workbook::{Return, V, n, t};

/// `yourchoice reconcile PATH --json --no-report`: the exit code and the
/// document.
fn reconcile(path: &Path) -> (Option<i32>, Doc) {
    let output = yourchoice()
        .args(["reconcile", path.to_str().unwrap(), "--json", "--no-report"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let doc = serde_json::from_str(stdout.trim())
        .unwrap_or_else(|e| panic!("not the JSON document ({e}): {stdout}"));
    (output.status.code(), doc)
}

/// The findings as `code cell` lines, for assertion messages.
fn short(doc: &Doc) -> Vec<String> {
    doc.findings
        .iter()
        .map(|f| format!("{} {:?}: {}", f.code, f.cell, f.message))
        .collect()
}

/// Rewrite the package at `path` with member `name`'s text edited by
/// `edit` (which must change it), every other member as it was.
fn patch(path: &Path, name: &str, edit: impl FnOnce(&str) -> String) {
    let bytes = std::fs::read(path).unwrap();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut edit = Some(edit);
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).unwrap();
        let member = file.name().unwrap().into_owned();
        let mut data = Vec::new();
        file.read_to_end(&mut data).unwrap();
        if member == name {
            let old = String::from_utf8(data).unwrap();
            let new = (edit.take().unwrap())(&old);
            assert_ne!(old, new, "the patch of {name} changed nothing");
            data = new.into_bytes();
        }
        out.start_file(member.as_str(), options).unwrap();
        out.write_all(&data).unwrap();
    }
    assert!(edit.is_none(), "no member {name}");
    std::fs::write(path, out.finish().unwrap().into_inner()).unwrap();
}

/// Mark the workbook at `path` as of the 1904 date system, as Excel for
/// Mac saves one.
fn make_1904(path: &Path) {
    patch(path, "xl/workbook.xml", |xml| {
        assert_eq!(xml.matches("<workbookPr").count(), 1, "{xml}");
        xml.replacen("<workbookPr", "<workbookPr date1904=\"1\"", 1)
    });
}

// ---------------------------------------------------------------------------
// 1. The 1904 date system

/// Monday 06/04/2026 as a serial day number of the 1904 system: 46118 in
/// the 1900 system (where day 1 is 01/01/1900, with Lotus's 29/02/1900) less
/// the 1462 days from 31/12/1899 to 01/01/1904.
const APRIL_6_1904: f64 = 44_656.0;

#[test]
fn a_1904_workbook_period_start_typed_as_a_plain_number() {
    let dir = tempfile::tempdir().unwrap();
    let path = Return::valid()
        .detail("Period start", n(APRIL_6_1904))
        .save(dir.path(), "mac.xlsx");
    // In a 1900 workbook the same number is Tuesday 05/04/2022: not a week
    // start, so the return is rejected there.
    let (exit, doc) = reconcile(&path);
    assert_eq!(exit, Some(1), "{:#?}", short(&doc));
    assert_eq!(doc.period.as_ref().map(|p| p.start.as_str()), Some("2022-04-05"));

    make_1904(&path);
    let (exit, doc) = reconcile(&path);
    assert_eq!(exit, Some(0), "{:#?}", short(&doc));
    let period = doc.period.as_ref().unwrap();
    assert_eq!(period.start, "2026-04-06");
    // 13 weeks from Monday 06/04/2026 end on Sunday 05/07/2026.
    assert_eq!(period.end, "2026-07-05");
    assert!(doc.findings.is_empty(), "{:#?}", short(&doc));
}

#[test]
fn a_1904_workbook_period_start_as_a_formatted_date() {
    // A date-formatted cell holding 44656 shows 06/04/2026 in a 1904
    // workbook: the workbook reader converts it, as it should.
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Return::valid().workbook();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    wb.worksheet_from_name("Details")
        .unwrap()
        .write_number_with_format(2, 1, APRIL_6_1904, &date)
        .unwrap();
    let path = crate::common::workbook::save(wb, dir.path(), "mac.xlsx");
    make_1904(&path);
    let (exit, doc) = reconcile(&path);
    assert_eq!(exit, Some(0), "{:#?}", short(&doc));
    assert_eq!(doc.period.unwrap().start, "2026-04-06");
}

#[test]
fn a_1904_workbook_care_start_typed_as_a_plain_number() {
    // Care from Monday 20/04/2026 (1904 serial 44656 + 14): weeks 1 and 2
    // are outside the care dates, and week 1 holds hours, so it is an error
    // at D7; week 2 is blank, which is right. Read four years early (a
    // Tuesday in April 2022) the care would cover the whole period and the
    // error would be lost.
    let dir = tempfile::tempdir().unwrap();
    let path = Return::valid()
        .detail("Period start", n(APRIL_6_1904))
        .column(t("Care start"))
        .set("P1", "Care start", n(APRIL_6_1904 + 14.0))
        .set("P1", "Week 2", V::Blank)
        .save(dir.path(), "mac.xlsx");
    make_1904(&path);
    let (exit, doc) = reconcile(&path);
    assert_eq!(exit, Some(1), "{:#?}", short(&doc));
    let f = doc.only("hours-outside-care", Severity::Error, Some("Hours!D7"));
    assert_eq!(f.person_id.as_deref(), Some("P1"));
    assert!(doc.all("missing-hours").is_empty(), "{:#?}", short(&doc));
    assert!(doc.all("bad-date").is_empty(), "{:#?}", short(&doc));
}

// ---------------------------------------------------------------------------
// 2. A shared-string cell whose number is not a number

/// The Hours sheet's XML with the string number of cell `cell` (a
/// shared-string cell) replaced by `index`.
fn string_number(xml: &str, cell: &str, index: &str) -> String {
    let open = format!("<c r=\"{cell}\" t=\"s\"><v>");
    let start = xml
        .find(&open)
        .unwrap_or_else(|| panic!("no shared-string cell {cell}"))
        + open.len();
    let end = start + xml[start..].find("</v>").unwrap();
    format!("{}{index}{}", &xml[..start], &xml[end..])
}

#[test]
fn a_string_number_that_is_not_a_number_is_never_another_cells_text() {
    for index in ["abc", "1e0", "+1", " 1", "-1", "99999999999999999999999"] {
        let dir = tempfile::tempdir().unwrap();
        let path = Return::valid().save(dir.path(), "r.xlsx");
        // B7: P1's name, "Ann Example".
        patch(&path, "xl/worksheets/sheet2.xml", |xml| {
            string_number(xml, "B7", index)
        });
        let (exit, doc) = reconcile(&path);
        assert_eq!(exit, Some(1), "{index:?}: {:#?}", short(&doc));
        let f = doc.only("unreadable-workbook", Severity::Error, None);
        assert!(f.message.contains("cell B7"), "{index:?}: {}", f.message);
        assert!(f.message.contains("not a number"), "{index:?}: {}", f.message);
        // Nobody is read, so no name is: in particular not "Provider name",
        // the first shared string, which the reader would have shown.
        assert!(doc.people.is_empty(), "{index:?}: {:#?}", doc.people);
    }
    // A string number with leading zeros is still a number: read as it is.
    let dir = tempfile::tempdir().unwrap();
    let path = Return::valid().save(dir.path(), "r.xlsx");
    let mut number = String::new();
    patch(&path, "xl/worksheets/sheet2.xml", |xml| {
        let open = "<c r=\"B7\" t=\"s\"><v>";
        let start = xml.find(open).unwrap() + open.len();
        number = xml[start..start + xml[start..].find("</v>").unwrap()].to_string();
        string_number(xml, "B7", &format!("000{number}"))
    });
    let (exit, doc) = reconcile(&path);
    assert_eq!(exit, Some(0), "{:#?}", short(&doc));
    assert_eq!(doc.person("P1").name.as_deref(), Some("Ann Example"));
}

// ---------------------------------------------------------------------------
// 3. Hours that look like h.mm

#[test]
fn hours_that_look_like_hours_and_minutes_are_a_warning_at_the_row() {
    let dir = tempfile::tempdir().unwrap();
    // P1: 7.30 most weeks, 7.45 in week 2, 7.15 in week 3, typed as
    // numbers (the cell holds 7.3): every fraction is .01 to .59 and .30,
    // .45 and .15 are minutes on a clock. P2: 7.5 and 7.25, quarter and half
    // hours, decimal in either reading. P3: 7.30 with a 7.75, which no
    // minutes can be, so its 7.3 is decimal.
    let mut p1 = [7.3; 13];
    p1[1] = 7.45;
    p1[2] = 7.15;
    let mut p2 = [7.5; 13];
    p2[4] = 7.25;
    let mut p3 = [7.3; 13];
    p3[6] = 7.75;
    let path = Return::valid()
        .person("P2", "Bob Example", n(10.0), n(10.0))
        .person("P3", "Cai Example", n(10.0), n(10.0))
        .weeks("P1", p1)
        .weeks("P2", p2)
        .weeks("P3", p3)
        .save(dir.path(), "r.xlsx");
    let (_, doc) = reconcile(&path);
    let f = doc.only("hours-look-like-hmm", Severity::Warning, Some("Hours!7"));
    assert_eq!(f.person_id.as_deref(), Some("P1"));
    assert!(
        f.message.contains(
            "week 1 in D7 is 7.30, read as 7.3 hours (7 h 18 min) (and 12 other figures like it); \
             if you meant 7 h 30 min, enter 7:30 or 7.5."
        ),
        "{}",
        f.message
    );
    // The figures are unchanged, decimal hours: 11 × 7.3 + 7.45 + 7.15.
    assert_eq!(doc.person("P1").delivered_hours, "94.9");
    // 12 × 7.5 + 7.25 and 12 × 7.3 + 7.75.
    assert_eq!(doc.person("P2").delivered_hours, "97.25");
    assert_eq!(doc.person("P3").delivered_hours, "95.35");
}

#[test]
fn hours_text_like_hours_and_minutes_and_twenty_minutes() {
    // Typed as text, "1.20" for 1 h 20 min: 80 minutes has no short
    // decimal, so only 1:20 is suggested.
    let dir = tempfile::tempdir().unwrap();
    let path = Return::valid()
        .set("P1", "Week 5", t("1.20"))
        .save(dir.path(), "r.xlsx");
    let (_, doc) = reconcile(&path);
    let f = doc.only("hours-look-like-hmm", Severity::Warning, Some("Hours!7"));
    assert!(
        f.message.contains(
            "week 5 in H7 is 1.20, read as 1.2 hours (1 h 12 min); if you meant 1 h 20 min, \
             enter 1:20."
        ),
        "{}",
        f.message
    );
    assert_eq!(doc.person("P1").delivered_hours, "121.2");
}

// ---------------------------------------------------------------------------
// 4. A decimal comma in an hours cell

#[test]
fn a_decimal_comma_in_hours_says_to_write_a_point() {
    let dir = tempfile::tempdir().unwrap();
    let path = Return::valid()
        .set("P1", "Week 3", t("7,5"))
        .set("P1", "Week 4", t("7,30"))
        .save(dir.path(), "r.xlsx");
    let (exit, doc) = reconcile(&path);
    assert_eq!(exit, Some(1), "{:#?}", short(&doc));
    let found = doc.all("bad-hours");
    assert_eq!(found.len(), 2, "{:#?}", short(&doc));
    let at = |cell: &str| {
        let f = *found.iter().find(|f| f.cell.as_deref() == Some(cell)).unwrap();
        assert_eq!(f.severity, Severity::Error);
        f
    };
    let f = at("Hours!F7");
    assert!(
        f.message
            .contains("is the text \"7,5\", written with a decimal comma (write 7.5, with a decimal point)"),
        "{}",
        f.message
    );
    let f = at("Hours!G7");
    assert!(
        f.message.contains(
            "is the text \"7,30\", written with a decimal comma (write 7.3, with a decimal point, \
             or 7:30 if you meant 7 h 30 min)"
        ),
        "{}",
        f.message
    );
}
