//! `yourchoice monitor`: figures worked out by hand from SPEC 3 over the
//! weeks due, with the rest of the period assumed delivered at the bundle.

use std::path::{Path, PathBuf};

use rust_xlsxwriter::Workbook;
use serde::Deserialize;

use crate::common::bin::yourchoice;
use crate::common::files::{example, fixture};

#[derive(Debug, Deserialize)]
struct Doc {
    schema: String,
    as_of: String,
    last_due_week: u32,
    people: Vec<Person>,
    findings: Vec<Finding>,
}

#[derive(Debug, Deserialize)]
struct Person {
    person_id: String,
    weeks_due: u32,
    weeks_left: u32,
    commissioned_hours_so_far: String,
    delivered_hours_so_far: String,
    bank_balance_hours: String,
    period_tolerance_hours: String,
    within_tolerance_if_on_bundle: bool,
    catch_up_hours_per_week: Option<String>,
    bank_room_hours: String,
    limit_first_week: Option<u32>,
    change_in_need: Option<Change>,
    advice: String,
}

#[derive(Debug, Deserialize, PartialEq)]
struct Change {
    first_week: u32,
    last_week: u32,
    direction: String,
    ongoing: bool,
}

#[derive(Debug, Deserialize)]
struct Finding {
    severity: String,
    code: String,
    cell: Option<String>,
}

fn monitor(file: &Path, as_of: &str) -> (Option<i32>, Doc) {
    let out = yourchoice()
        .args([
            "monitor".as_ref(),
            file.as_os_str(),
            "--json".as_ref(),
            "--as-of".as_ref(),
            as_of.as_ref(),
        ])
        .output()
        .unwrap();
    let doc: Doc = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    assert_eq!(doc.schema, "yourchoice.monitor/1");
    (out.status.code(), doc)
}

fn worked_example() -> PathBuf {
    fixture("worked-example.xlsx")
}

fn person<'a>(doc: &'a Doc, id: &str) -> &'a Person {
    doc.people.iter().find(|p| p.person_id == id).unwrap()
}

/// SPEC 9's P2 (bundle 3; A = 3, 3, 2, 2, 2, ...) at week 5: 15 hours
/// commissioned and 12 delivered so far, 3 banked; T = 8% of 39 = 3.12 (all
/// 13 weeks at 3 hours), so 3 is within and 0.12 more may be banked; 3
/// hours over 8 weeks left is 0.375 a week above the bundle. Weeks 3-5 are
/// a run of 3, short of 4: no change in need yet.
#[test]
fn spec_9_p2_at_week_5() {
    let (code, doc) = monitor(&worked_example(), "2026-05-10");
    assert_eq!(code, Some(0));
    assert_eq!((doc.as_of.as_str(), doc.last_due_week), ("2026-05-10", 5));
    let p2 = person(&doc, "P2");
    assert_eq!((p2.weeks_due, p2.weeks_left), (5, 8));
    assert_eq!(p2.commissioned_hours_so_far, "15");
    assert_eq!(p2.delivered_hours_so_far, "12");
    assert_eq!(p2.bank_balance_hours, "3");
    assert_eq!(p2.period_tolerance_hours, "3.12");
    assert!(p2.within_tolerance_if_on_bundle);
    assert_eq!(p2.catch_up_hours_per_week.as_deref(), Some("0.375"));
    assert_eq!(p2.bank_room_hours, "0.12");
    assert_eq!(p2.limit_first_week, None);
    assert_eq!(p2.change_in_need, None);
    // The hours already typed in weeks 6-13 have not happened yet: one
    // warning per such cell (P1 and P2 each have 8).
    let future: Vec<_> = doc
        .findings
        .iter()
        .filter(|f| f.code == "hours-not-yet-due")
        .collect();
    assert_eq!(future.len(), 16);
    assert!(future.iter().all(|f| f.severity == "warning"));
    assert!(future.iter().any(|f| f.cell.as_deref() == Some("Hours!J3")));
}

/// At week 9: 27 commissioned, 20 delivered (3+3+7×2), 7 banked, beyond
/// 3.12 since week 6 (balance 4); catch-up 7 over 4 weeks = 1.75 a week;
/// room 3.12 − 7 = −3.88; P2 comes first (over the limit). Weeks 3-9 are
/// each 1 hour (33%) under: a change in need still going on at week 9.
#[test]
fn spec_9_p2_at_week_9() {
    let (_, doc) = monitor(&worked_example(), "2026-06-07");
    assert_eq!(doc.last_due_week, 9);
    assert_eq!(doc.people[0].person_id, "P2", "most at risk first");
    let p2 = person(&doc, "P2");
    assert_eq!(p2.commissioned_hours_so_far, "27");
    assert_eq!(p2.delivered_hours_so_far, "20");
    assert_eq!(p2.bank_balance_hours, "7");
    assert!(!p2.within_tolerance_if_on_bundle);
    assert_eq!(p2.limit_first_week, Some(6));
    assert_eq!(p2.catch_up_hours_per_week.as_deref(), Some("1.75"));
    assert_eq!(p2.bank_room_hours, "-3.88");
    assert_eq!(
        p2.change_in_need,
        Some(Change {
            first_week: 3,
            last_week: 9,
            direction: "less".into(),
            ongoing: true
        })
    );
    assert!(
        p2.advice
            .starts_with("OVER THE LIMIT: P2 (Person Two) has 7 hours banked (limit ±3.12)")
    );
    assert!(
        p2.advice.contains("report the change in need to the council now"),
        "{}",
        p2.advice
    );
    // P1 at week 9: week 5 is a no-care week, so 8 billable weeks: 80
    // commissioned, 12+12+12+10+10+9+9+9 = 83 delivered, 3 used early.
    // T = 8% × (80 + 4 weeks left × 10) = 9.6.
    let p1 = person(&doc, "P1");
    assert_eq!(
        (
            p1.commissioned_hours_so_far.as_str(),
            p1.delivered_hours_so_far.as_str()
        ),
        ("80", "83")
    );
    assert_eq!(p1.bank_balance_hours, "-3");
    assert_eq!(p1.period_tolerance_hours, "9.6");
    assert_eq!(p1.catch_up_hours_per_week.as_deref(), Some("-0.75"));
}

/// Before the period nothing is due: no figures, no warning for blanks;
/// after its end every week is due and the monitor is the period's outcome
/// (P2: 39 − 32 = 7 banked, outside 3.12, no week left).
#[test]
fn as_of_before_the_period_and_after_its_end() {
    let (_, before) = monitor(&worked_example(), "2026-03-01");
    assert_eq!(before.last_due_week, 0);
    let p2 = person(&before, "P2");
    assert_eq!(
        (p2.weeks_due, p2.weeks_left, p2.bank_balance_hours.as_str()),
        (0, 13, "0")
    );
    let (_, after) = monitor(&worked_example(), "2026-12-01");
    assert_eq!(after.last_due_week, 13);
    let p2 = person(&after, "P2");
    assert_eq!((p2.weeks_left, p2.bank_balance_hours.as_str()), (0, "7"));
    assert_eq!(p2.catch_up_hours_per_week, None);
    assert!(!p2.within_tolerance_if_on_bundle);
    assert!(after.findings.iter().all(|f| f.code != "hours-not-yet-due"));
}

/// A return written in the test: one person on two rows (bundle 10 to week
/// 4, then 12 from Monday 04/05/2026, week 5), filled to week 6 with
/// 10, 10, 0, 11 | 12, 14 and blank after; another person with a blank
/// week 3 that is due (an error, as `check` says).
fn two_rows(dir: &Path, blank_due_week: bool) -> PathBuf {
    let mut wb = Workbook::new();
    let d = wb.add_worksheet().set_name("Details").unwrap();
    for (r, (k, v)) in [
        ("Provider name", "Test Care Ltd"),
        ("Provider reference", "SUP00123"),
        ("Period start", "06/04/2026"),
        ("Blended hourly rate", "24"),
    ]
    .iter()
    .enumerate()
    {
        d.write(r as u32, 0, *k).unwrap();
        d.write(r as u32, 1, *v).unwrap();
    }
    let h = wb.add_worksheet().set_name("Hours").unwrap();
    let mut header = vec!["Person ID", "Weekly bundle", "Care start", "Care end"];
    let weeks: Vec<String> = (1..=13).map(|k| format!("Week {k}")).collect();
    header.extend(weeks.iter().map(String::as_str));
    for (c, t) in header.iter().enumerate() {
        h.write(0, c as u16, *t).unwrap();
    }
    let rows: [(&str, f64, &str, &str, &[f64]); 3] = [
        ("P1", 10.0, "", "03/05/2026", &[10.0, 10.0, 0.0, 11.0]),
        ("P1", 12.0, "04/05/2026", "", &[0.0, 0.0, 0.0, 0.0, 12.0, 14.0]),
        ("P2", 5.0, "", "", &[5.0, 5.0, 5.0, 5.0, 5.0, 5.0]),
    ];
    for (i, (id, bundle, start, end, hours)) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        h.write(r, 0, *id).unwrap();
        h.write(r, 1, *bundle).unwrap();
        if !start.is_empty() {
            h.write(r, 2, *start).unwrap();
        }
        if !end.is_empty() {
            h.write(r, 3, *end).unwrap();
        }
        for (k, a) in hours.iter().enumerate() {
            // The second row's first four weeks are outside its care dates:
            // left blank.
            if i == 1 && k < 4 {
                continue;
            }
            if i == 2 && k == 2 && blank_due_week {
                continue;
            }
            h.write(r, 4 + k as u16, *a).unwrap();
        }
    }
    let path = dir.join("two-rows.xlsx");
    wb.save(&path).unwrap();
    path
}

/// As of week 6 (w/c 11/05/2026): P1's billable weeks so far are 1, 2, 4
/// (bundle 10: 10, 10, 11) and 5, 6 (bundle 12: 12, 14); week 3 is a
/// no-care week. Commissioned 10+10+10+12+12 = 54, delivered 57, 3 used
/// early. The 7 weeks left are at 12: T = 8% × (54 + 84) = 11.04; catch-up
/// −3/7 a week.
#[test]
fn a_bundle_change_and_a_no_care_week_so_far() {
    let dir = tempfile::tempdir().unwrap();
    let (code, doc) = monitor(&two_rows(dir.path(), false), "2026-05-14");
    assert_eq!(code, Some(0), "{:?}", doc.findings);
    assert_eq!(doc.last_due_week, 6);
    let p1 = person(&doc, "P1");
    assert_eq!((p1.weeks_due, p1.weeks_left), (6, 7));
    assert_eq!(p1.commissioned_hours_so_far, "54");
    assert_eq!(p1.delivered_hours_so_far, "57");
    assert_eq!(p1.bank_balance_hours, "-3");
    assert_eq!(p1.period_tolerance_hours, "11.04");
    assert_eq!(p1.catch_up_hours_per_week.as_deref(), Some("-0.428571"));
    assert!(
        doc.findings.iter().all(|f| f.code != "missing-hours"),
        "blank weeks after 6 are not due"
    );
}

#[test]
fn a_blank_week_that_is_due_is_still_missing() {
    let dir = tempfile::tempdir().unwrap();
    let (code, doc) = monitor(&two_rows(dir.path(), true), "2026-05-14");
    assert_eq!(code, Some(1));
    let missing: Vec<_> = doc
        .findings
        .iter()
        .filter(|f| f.code == "missing-hours")
        .collect();
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert_eq!(missing[0].cell.as_deref(), Some("Hours!G4"));
    assert!(doc.people.is_empty(), "a return with errors gives no figures");
}

/// On Wednesday 03/06/2026 week 9 is going on: its blank cells are not
/// missing, it counts as still to come, and the figures are week 8's
/// (P0005: 4 hours banked against ±3.12, 8 weeks due and 5 left).
#[test]
fn mid_week_the_current_week_may_still_be_blank() {
    let file = example("return-week-8.xlsx");
    let (code, doc) = monitor(&file, "2026-06-03");
    assert_eq!(code, Some(0), "{:?}", doc.findings);
    assert_eq!(doc.last_due_week, 9);
    assert!(doc.findings.iter().all(|f| f.code != "missing-hours"));
    let p = person(&doc, "P0005");
    assert_eq!((p.weeks_due, p.weeks_left), (8, 5));
    assert_eq!(p.bank_balance_hours, "4");
    assert_eq!(p.period_tolerance_hours, "3.12");
    // On Sunday 07/06/2026 week 9 has ended: its blanks are missing.
    let (code, doc) = monitor(&file, "2026-06-07");
    assert_eq!(code, Some(1));
    assert!(doc.findings.iter().any(|f| f.code == "missing-hours"));
}
