//! `yourchoice fill` (issue 23): a blank return filled from visit records,
//! through the real binary: the blank written by `yourchoice template`, the
//! visit files written here, the filled workbook read back cell by cell.
//!
//! The visits, the same in every format, for a 13-week period from Monday
//! 06/04/2026 (week 1: 06/04-12/04, week 2: 13/04-19/04), P1 (bundle 10)
//! and P2 (bundle 3), the council counting carer-hours:
//!
//! | line | who | day | start | length | carers | | week, hours |
//! | --- | --- | --- | --- | --- | --- | --- | --- |
//! | 1 | P1 | Mon 06/04 | 09:00 | 1:00 | 1 | | 1, 1.00 |
//! | 2 | P1 | Tue 07/04 | 09:00 | 0:30 | 2 | double-handed: carer-hours | 1, 1.00 |
//! | 3 | P1 | Sun 12/04 | 23:30 | 1:00 | 1 | runs past midnight into Monday: the week of the day it starts | 1, 1.00 |
//! | 4 | P1 | Wed 15/04 | 10:00 | 2:00 | 1 | cancelled | 2, 0 |
//! | 5 | P1 | Mon 13/04 | 08:00 | 0:45 | 1 | | 2, 0.75 |
//! | 6 | P2 | Sun 19/04 | 18:00 | 1:30 | 1 | Sunday of a Monday week | 2, 1.50 |
//!
//! So P1: week 1 3.00 (3 visits), week 2 0.75 (1 visit; the cancelled one
//! adds nothing), weeks 3-13 0; P2: week 1 0, week 2 1.50, weeks 3-13 0.

use std::path::{Path, PathBuf};

use calamine::{Data, Reader, open_workbook_auto};

use crate::common::bin;

struct Visit {
    who: &'static str,
    day: &'static str,
    start: &'static str,
    minutes: u32,
    carers: u32,
    cancelled: bool,
}

const VISITS: [Visit; 6] = [
    Visit {
        who: "P1",
        day: "06/04/2026",
        start: "09:00",
        minutes: 60,
        carers: 1,
        cancelled: false,
    },
    Visit {
        who: "P1",
        day: "07/04/2026",
        start: "09:00",
        minutes: 30,
        carers: 2,
        cancelled: false,
    },
    Visit {
        who: "P1",
        day: "12/04/2026",
        start: "23:30",
        minutes: 60,
        carers: 1,
        cancelled: false,
    },
    Visit {
        who: "P1",
        day: "15/04/2026",
        start: "10:00",
        minutes: 120,
        carers: 1,
        cancelled: true,
    },
    Visit {
        who: "P1",
        day: "13/04/2026",
        start: "08:00",
        minutes: 45,
        carers: 1,
        cancelled: false,
    },
    Visit {
        who: "P2",
        day: "19/04/2026",
        start: "18:00",
        minutes: 90,
        carers: 1,
        cancelled: false,
    },
];

/// The Sunday ending the week of a visit (weeks 1 and 2 of the period).
fn week_ending(day: &str) -> &'static str {
    if ["06/04/2026", "07/04/2026", "12/04/2026"].contains(&day) {
        "12/04/2026"
    } else {
        "19/04/2026"
    }
}

fn hms(minutes: u32) -> String {
    format!("{:02}:{:02}:00", minutes / 60, minutes % 60)
}

fn end(start: &str, minutes: u32) -> String {
    let (h, m) = start.split_once(':').unwrap();
    let total = (h.parse::<u32>().unwrap() * 60 + m.parse::<u32>().unwrap() + minutes) % (24 * 60);
    format!("{:02}:{:02}", total / 60, total % 60)
}

/// The visits as a rostering export (actual start and end, a status
/// word), and the shipped mapping that reads it.
fn roster(dir: &Path) -> (PathBuf, PathBuf) {
    let mut csv = String::from(
        "Client ID,Visit Date,Actual Start,Actual End,Visit Status,Carer,Carers,Manually Amended\n",
    );
    for (i, v) in VISITS.iter().enumerate() {
        csv.push_str(&format!(
            "{},{},{},{},{},Carer {i},{},No\n",
            v.who,
            v.day,
            v.start,
            end(v.start, v.minutes),
            if v.cancelled { "Cancelled" } else { "Completed" },
            v.carers
        ));
    }
    let path = dir.join("roster.csv");
    std::fs::write(&path, csv).unwrap();
    (path, mapping("rostering-visits.toml"))
}

/// A mapping shipped in `examples/visits/mappings/`.
fn mapping(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/visits/mappings")
        .join(name)
}

/// The blank: `yourchoice template` for SUP00123 from 06/04/2026 with P1
/// (bundle 10) and P2 (bundle 3).
fn blank(dir: &Path) -> PathBuf {
    let people = dir.join("people.csv");
    std::fs::write(&people, "Person ID,Name,Weekly bundle\nP1,Ann,10\nP2,Bob,3\n").unwrap();
    let blank = dir.join("blank.xlsx");
    let out = bin::yourchoice()
        .args([
            "template",
            "--provider-ref",
            "SUP00123",
            "--period-start",
            "2026-04-06",
            "--rate",
            "24.00",
            "--people",
        ])
        .arg(&people)
        .arg("-o")
        .arg(&blank)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    blank
}

/// `fill BLANK --visits FILE [extra] -o filled.xlsx`: stdout, and the path.
fn fill(dir: &Path, visits: &Path, extra: &[&str]) -> (String, PathBuf) {
    let blank = blank(dir);
    let filled = dir.join("filled.xlsx");
    let out = bin::yourchoice()
        .arg("fill")
        .arg(&blank)
        .arg("--visits")
        .arg(visits)
        .args(extra)
        .arg("-o")
        .arg(&filled)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(
        out.status.code(),
        Some(0),
        "stdout: {stdout}\nstderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (stdout, filled)
}

/// Each person's 13 weeks as the filled Hours sheet holds them.
fn weeks_of(filled: &Path, person: &str) -> Vec<f64> {
    let mut wb = open_workbook_auto(filled).unwrap();
    let hours = wb.worksheet_range("Hours").unwrap();
    let rows: Vec<&[Data]> = hours.rows().collect();
    let header = rows
        .iter()
        .position(|r| r.iter().any(|c| *c == "Week 1"))
        .unwrap();
    let row = rows
        .iter()
        .find(|r| r.first().is_some_and(|c| *c == person))
        .unwrap();
    (1..=13)
        .map(|k| {
            let col = rows[header]
                .iter()
                .position(|c| *c == format!("Week {k}").as_str())
                .unwrap();
            match &row[col] {
                Data::Float(f) => *f,
                Data::Int(i) => *i as f64,
                other => panic!("{person} week {k}: {other:?}"),
            }
        })
        .collect()
}

fn assert_hand_worked(filled: &Path) {
    let mut p1 = vec![0.0; 13];
    p1[0] = 3.0;
    p1[1] = 0.75;
    let mut p2 = vec![0.0; 13];
    p2[1] = 1.5;
    assert_eq!(weeks_of(filled, "P1"), p1);
    assert_eq!(weeks_of(filled, "P2"), p2);
    // The evidence: a Visits sheet with a line per visit read.
    let mut wb = open_workbook_auto(filled).unwrap();
    let visits = wb.worksheet_range("Visits").unwrap();
    let lines: Vec<String> = visits
        .rows()
        .skip(1)
        .map(|r| r.last().map(ToString::to_string).unwrap_or_default())
        .collect();
    assert_eq!(lines.len(), 6, "{lines:?}");
    assert!(lines[3].starts_with("not counted: cancelled"), "{lines:?}");
    assert!(lines[0].starts_with("Hours!"), "{lines:?}");
}

#[test]
fn an_abacus_csv_fills_each_week_as_worked_out_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from(
        "FileReference,Description,Created,ProviderRef,ContractNumber,ServiceUserRef,ServiceUserDetails,WeekEnding,OurRef,ServiceUserContribution,PaymentClaimed,ServiceType,VisitDate,StartTimeClaimed,DurationClaimed,ActualStartTime,ActualDuration,SecondaryVisit,NumberOfCarers,OrderRef,ManuallyAmended,VisitCode,CareWorkerRef,CareWorkerName\n",
    );
    for (i, v) in VISITS.iter().enumerate() {
        let code = if v.cancelled { "CANCELLED" } else { "" };
        csv.push_str(&format!(
            "F1,Home care,01/07/2026,SUP00123,C1,{},{} Example,{},R{i},0,0,HC,{},{}:00,{},{}:00,{},False,{},O1,False,{code},CW{i},Carer {i}\n",
            v.who,
            v.who,
            week_ending(v.day),
            v.day,
            v.start,
            hms(v.minutes),
            v.start,
            hms(v.minutes),
            v.carers
        ));
    }
    let path = dir.path().join("abacus.csv");
    std::fs::write(&path, csv).unwrap();
    let (stdout, filled) = fill(dir.path(), &path, &[]);
    assert!(stdout.contains("6 visits read, 5 counted"), "{stdout}");
    assert_hand_worked(&filled);
}

#[test]
fn a_mapped_rostering_export_fills_the_same_figures() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mapping) = roster(dir.path());
    let (stdout, filled) = fill(dir.path(), &path, &["--mapping", mapping.to_str().unwrap()]);
    assert!(stdout.contains("6 visits read, 5 counted"), "{stdout}");
    assert_hand_worked(&filled);
}

#[test]
fn an_abacus_xml_fills_the_same_figures() {
    let dir = tempfile::tempdir().unwrap();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<File>\n<FileReference>F1</FileReference>\n<ProviderContract>\n<ProviderRef>SUP00123</ProviderRef>\n",
    );
    // One ServiceDeliveryHeader per person-week, as Abacus writes them.
    let mut headers: Vec<(&str, &str)> = Vec::new();
    for v in &VISITS {
        let week_ending = if ["06/04/2026", "07/04/2026", "12/04/2026"].contains(&v.day) {
            "12/04/2026"
        } else {
            "19/04/2026"
        };
        if !headers.contains(&(v.who, week_ending)) {
            headers.push((v.who, week_ending));
        }
    }
    for (who, week_ending) in &headers {
        xml.push_str(&format!(
            "<ServiceDeliveryHeader>\n<ServiceUserRef>{who}</ServiceUserRef>\n<WeekEnding>{week_ending}</WeekEnding>\n"
        ));
        for (i, v) in VISITS.iter().enumerate() {
            let ends = if ["06/04/2026", "07/04/2026", "12/04/2026"].contains(&v.day) {
                "12/04/2026"
            } else {
                "19/04/2026"
            };
            if v.who != *who || ends != *week_ending {
                continue;
            }
            xml.push_str(&format!(
                "<HomeCareVisit><VisitDate>{}</VisitDate><ActualStartTime>{}:00</ActualStartTime><ActualDuration>{}</ActualDuration><SecondaryVisit>false</SecondaryVisit><NumberOfCarers>{}</NumberOfCarers><ManuallyAmended>false</ManuallyAmended><VisitCode>{}</VisitCode><CareWorkerRef>CW{i}</CareWorkerRef></HomeCareVisit>\n",
                v.day,
                v.start,
                hms(v.minutes),
                v.carers,
                if v.cancelled { "CANCELLED" } else { "" }
            ));
        }
        xml.push_str("</ServiceDeliveryHeader>\n");
    }
    xml.push_str("</ProviderContract>\n</File>\n");
    let path = dir.path().join("abacus.xml");
    std::fs::write(&path, xml).unwrap();
    let (stdout, filled) = fill(dir.path(), &path, &[]);
    assert!(stdout.contains("6 visits read, 5 counted"), "{stdout}");
    assert_hand_worked_unordered(&filled);
}

/// [`assert_hand_worked`], for a file whose visits come in another order
/// (by person and week): the weeks, and a line per visit.
fn assert_hand_worked_unordered(filled: &Path) {
    let mut p1 = vec![0.0; 13];
    p1[0] = 3.0;
    p1[1] = 0.75;
    let mut p2 = vec![0.0; 13];
    p2[1] = 1.5;
    assert_eq!(weeks_of(filled, "P1"), p1);
    assert_eq!(weeks_of(filled, "P2"), p2);
    let mut wb = open_workbook_auto(filled).unwrap();
    let visits = wb.worksheet_range("Visits").unwrap();
    let why: Vec<String> = visits
        .rows()
        .skip(1)
        .map(|r| r.last().map(ToString::to_string).unwrap_or_default())
        .collect();
    assert_eq!(why.len(), 6, "{why:?}");
    assert_eq!(
        why.iter()
            .filter(|w| w.as_str() == "not counted: cancelled")
            .count(),
        1,
        "{why:?}"
    );
}

#[test]
fn a_visit_for_no_person_or_a_bad_duration_is_a_finding_never_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let csv = "Client ID,Visit Date,Actual Start,Actual End,Visit Status,Carer,Carers,Manually Amended\n\
               P1,06/04/2026,09:00,10:00,Completed,Carer A,1,No\n\
               P7,06/04/2026,11:00,12:00,Completed,Carer A,1,No\n\
               P1,31/04/2026,09:00,10:00,Completed,Carer A,1,No\n";
    let path = dir.path().join("roster.csv");
    std::fs::write(&path, csv).unwrap();
    let blank = blank(dir.path());
    let filled = dir.path().join("filled.xlsx");
    let mapping = mapping("rostering-visits.toml");
    let out = bin::yourchoice()
        .arg("fill")
        .arg(&blank)
        .arg("--visits")
        .arg(&path)
        .arg("--mapping")
        .arg(&mapping)
        .arg("-o")
        .arg(&filled)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    // Line 4's date does not exist: an error, so nothing is written.
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("error[visit-unreadable] roster.csv:4: "),
        "{stdout}"
    );
    assert!(
        stdout.contains("warning[visit-unknown-client] roster.csv:3: "),
        "{stdout}"
    );
    assert!(stdout.contains("Nothing was written"), "{stdout}");
    assert!(!filled.exists());
}

#[test]
fn explain_lists_the_visits_behind_each_week_of_a_filled_return() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mapping) = roster(dir.path());
    let (_, filled) = fill(dir.path(), &path, &["--mapping", mapping.to_str().unwrap()]);
    let out = bin::yourchoice()
        .args(["explain"])
        .arg(&filled)
        .args(["P1", "--width", "100"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let tail = text
        .split("The visits behind each week")
        .nth(1)
        .unwrap_or_else(|| panic!("{text}"));
    assert_eq!(
        tail.lines().skip(1).collect::<Vec<_>>(),
        [
            "  Week 1: 3 visits, 3 hours",
            "    06/04/2026 09:00 1 hour (roster.csv:2)",
            "    07/04/2026 09:00 1 hour, 2 carers (roster.csv:3)",
            "    12/04/2026 23:30 1 hour (roster.csv:4)",
            "  Week 2: 1 visit, 0.75 hours",
            "    15/04/2026 10:00 not counted: cancelled (roster.csv:5)",
            "    13/04/2026 08:00 0.75 hours (roster.csv:6)",
        ]
    );
}

/// `monitor --visits` mid-period: the example's blank and Abacus visits as
/// of Sunday 24/05/2026, weeks 1-7 ended. P1001 (bundle 10): 10 hours a
/// week but week 5's cancelled Tuesday (1.5 hours): 68.5 delivered against
/// 70, 1.5 banked. P1002 (bundle 3): 3 a week but week 7's missed Friday
/// (1 hour): 20 against 21, 1 banked. As of Wednesday 20/05, week 7 is
/// still going on: it is left blank (not 0), so P1001 stands at 58.5
/// against 60 over weeks 1-6, still 1.5 banked.
#[test]
fn monitor_fills_the_blank_from_visits_for_the_weeks_ended() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/visits");
    let monitor = |as_of: &str| {
        let out = bin::yourchoice()
            .arg("monitor")
            .arg(root.join("blank.xlsx"))
            .arg("--visits")
            .arg(root.join("abacus-visits.csv"))
            .args(["--as-of", as_of, "--json"])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let wednesday = monitor("2026-05-20");
    let p1 = wednesday["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["person_id"] == "P1001")
        .unwrap();
    assert_eq!(
        (
            p1["commissioned_hours_so_far"].as_str(),
            p1["delivered_hours_so_far"].as_str()
        ),
        (Some("60"), Some("58.5"))
    );
    assert_eq!(p1["bank_balance_hours"], "1.5");
    let doc = monitor("2026-05-24");
    let person = |id: &str| {
        doc["people"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["person_id"] == id)
            .unwrap()
            .clone()
    };
    let p1 = person("P1001");
    assert_eq!(
        (p1["weeks_due"].as_u64(), p1["delivered_hours_so_far"].as_str()),
        (Some(7), Some("68.5"))
    );
    assert_eq!(p1["bank_balance_hours"], "1.5");
    let p2 = person("P1002");
    assert_eq!(
        (
            p2["commissioned_hours_so_far"].as_str(),
            p2["delivered_hours_so_far"].as_str()
        ),
        (Some("21"), Some("20"))
    );
    assert_eq!(p2["bank_balance_hours"], "1");
}

/// A note the provider typed in the blank's Notes column stays in the
/// filled return (found by a trial: it was dropped).
#[test]
fn notes_typed_in_the_blank_are_kept() {
    use rust_xlsxwriter::Workbook;
    let dir = tempfile::tempdir().unwrap();
    let blank = blank(dir.path());
    // Type a note into P1's Notes cell: the blank rebuilt with one more
    // cell, by reading it and writing every cell back.
    let mut wb = open_workbook_auto(&blank).unwrap();
    let mut out = Workbook::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).unwrap();
        let ws = out.add_worksheet().set_name(&name).unwrap();
        let rows: Vec<&[Data]> = range.rows().collect();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match cell {
                    Data::String(s) => {
                        ws.write_string(r, c, s).unwrap();
                    }
                    Data::Float(f) => {
                        ws.write_number(r, c, *f).unwrap();
                    }
                    Data::Int(i) => {
                        ws.write_number(r, c, *i as f64).unwrap();
                    }
                    Data::DateTime(d) => {
                        let (y, m, day, ..) = d.to_ymd_hms_milli();
                        let date = rust_xlsxwriter::ExcelDateTime::from_ymd(y, m, day).unwrap();
                        ws.write_datetime_with_format(
                            r,
                            c,
                            &date,
                            &rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy"),
                        )
                        .unwrap();
                    }
                    _ => {}
                }
            }
        }
        if name == "Hours" {
            let header = rows.iter().position(|r| r.iter().any(|c| *c == "Notes")).unwrap();
            let notes = rows[header].iter().position(|c| *c == "Notes").unwrap();
            let p1 = rows
                .iter()
                .position(|r| r.first().is_some_and(|c| *c == "P1"))
                .unwrap();
            ws.write_string(p1 as u32, notes as u16, "In hospital 20/04 to 03/05")
                .unwrap();
        }
    }
    out.save(&blank).unwrap();
    let visits = dir.path().join("v.csv");
    std::fs::write(
        &visits,
        "Client ID,Visit Date,Actual Start,Actual End,Visit Status,Carer,Carers,Manually Amended\nP1,06/04/2026,09:00,10:00,Completed,A,1,No\n",
    )
    .unwrap();
    let mapping = mapping("rostering-visits.toml");
    let filled = dir.path().join("filled.xlsx");
    let status = bin::yourchoice()
        .arg("fill")
        .arg(&blank)
        .arg("--visits")
        .arg(&visits)
        .arg("--mapping")
        .arg(&mapping)
        .arg("-o")
        .arg(&filled)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stdout)
    );
    let mut wb = open_workbook_auto(&filled).unwrap();
    let hours = wb.worksheet_range("Hours").unwrap();
    assert!(
        hours
            .rows()
            .any(|r| r.iter().any(|c| *c == "In hospital 20/04 to 03/05")),
        "the note is kept"
    );
}

/// The shipped client-by-week mapping: a line is a person's week, so a
/// week of 30 hours is read (a visit could not last 30 hours).
#[test]
fn a_client_by_week_report_fills_weeks_over_a_day_long() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("weekly.csv");
    std::fs::write(
        &path,
        "Client Reference,Week Commencing,Hours\nP1,06/04/2026,30\nP1,13/04/2026,9.5\nP2,13/04/2026,3\n",
    )
    .unwrap();
    let mapping = mapping("client-week-hours.toml");
    let blank = blank(dir.path());
    let filled = dir.path().join("filled.xlsx");
    let out = bin::yourchoice()
        .arg("fill")
        .arg(&blank)
        .arg("--visits")
        .arg(&path)
        .arg("--mapping")
        .arg(&mapping)
        .arg("-o")
        .arg(&filled)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("3 visits read, 3 counted: 42.5 hours"),
        "{stdout}"
    );
    let mut p1 = vec![0.0; 13];
    p1[0] = 30.0;
    p1[1] = 9.5;
    assert_eq!(weeks_of(&filled, "P1"), p1);
}
