//! `yourchoice spot-check`: reproducible picks, the riskiest first and
//! saying why, and a filled workbook read back against the provider's
//! figures. The officer's answers are typed into a copy of the workbook the
//! tool wrote, cell by cell, as Excel would save it.

use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx, open_workbook};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use serde::Deserialize;

use crate::common::bin::run;
use crate::common::files::{example, fixture};

fn sample() -> PathBuf {
    example("provider.xlsx")
}

#[derive(Debug, Deserialize)]
struct Picks {
    seed: u64,
    picks: Vec<Pick>,
}

#[derive(Debug, Deserialize, PartialEq)]
struct Pick {
    person_id: String,
    reason: String,
    risk: bool,
}

fn picks(extra: &[&str]) -> Picks {
    let file = sample();
    let mut args: Vec<&std::ffi::OsStr> = vec!["spot-check".as_ref(), file.as_os_str(), "--json".as_ref()];
    args.extend(extra.iter().map(|a| std::ffi::OsStr::new(*a)));
    let (code, stdout, stderr) = run(&args);
    assert_eq!(code, Some(0), "{stderr}");
    serde_json::from_str(&stdout).unwrap()
}

/// The sample has five referred people; their variances by hand are
/// P0033 −36, P0009 +13, P0027 +9.5, P0030 −9.5, P0005 −6. Six picks:
/// three risky (the largest referred), three at random from the rest.
#[test]
fn the_riskiest_half_first_each_saying_why() {
    let p = picks(&["--sample", "6", "--seed", "1"]);
    assert_eq!(p.seed, 1);
    let ids: Vec<&str> = p.picks.iter().map(|x| x.person_id.as_str()).collect();
    assert_eq!(&ids[..3], ["P0033", "P0009", "P0027"]);
    assert!(
        p.picks[..3]
            .iter()
            .all(|x| x.risk && x.reason == "referred: outside the tolerance")
    );
    assert!(
        p.picks[3..]
            .iter()
            .all(|x| !x.risk && x.reason == "chosen at random")
    );
    assert_eq!(p.picks.len(), 6);
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), 6, "no one twice");
}

#[test]
fn the_same_inputs_and_seed_pick_the_same_people_and_another_seed_others() {
    let a = picks(&["--sample", "8", "--seed", "20260406"]);
    let b = picks(&["--sample", "8", "--seed", "20260406"]);
    assert_eq!(a.picks, b.picks);
    let c = picks(&["--sample", "8", "--seed", "99"]);
    assert_eq!(
        a.picks[..4],
        c.picks[..4],
        "the risky half does not depend on the seed"
    );
    assert_ne!(a.picks[4..], c.picks[4..], "the random half does");
    // Without --seed the seed comes from the file's SHA-256: the same each
    // time.
    assert_eq!(picks(&[]).seed, picks(&[]).seed);
    assert_eq!(picks(&[]).picks.len(), 4, "a tenth of 34, rounded up");
}

/// What the officer types into a cell of column D.
#[derive(Clone, Copy)]
enum Answer {
    Hours(f64),
    Text(&'static str),
    /// A date typed into Excel (stored as a date, as Excel stores it).
    Date(u16, u8, u8),
}

/// Copy the tool's workbook and type `answers` (row, value) into column D
/// of the Spot check sheet.
fn fill(made: &Path, filled: &Path, answers: &[(u32, f64)]) {
    let answers: Vec<(u32, Answer)> = answers.iter().map(|(r, v)| (*r, Answer::Hours(*v))).collect();
    fill_with(made, filled, &answers);
}

/// As [`fill`], with text and dates as well as hours.
fn fill_with(made: &Path, filled: &Path, answers: &[(u32, Answer)]) {
    let mut wb: Xlsx<_> = open_workbook(made).unwrap();
    let mut out = Workbook::new();
    for name in ["Spot check", "yourchoice"] {
        let range = wb.worksheet_range(name).unwrap();
        let ws = out.add_worksheet().set_name(name).unwrap();
        let (r0, c0) = range.start().unwrap();
        for (r, c, v) in range.used_cells() {
            let (r, c) = (r0 + r as u32, (c0 + c as u32) as u16);
            match v {
                Data::String(s) => ws.write_string(r, c, s).unwrap(),
                Data::Float(f) => ws.write_number(r, c, *f).unwrap(),
                Data::Int(i) => ws.write_number(r, c, *i as f64).unwrap(),
                other => ws.write_string(r, c, other.to_string()).unwrap(),
            };
        }
        if name == "Spot check" {
            let date = Format::new().set_num_format("dd/mm/yyyy");
            for (row, value) in answers {
                match *value {
                    Answer::Hours(h) => ws.write_number(*row, 3, h).unwrap(),
                    Answer::Text(t) => ws.write_string(*row, 3, t).unwrap(),
                    Answer::Date(y, m, d) => ws
                        .write_datetime_with_format(*row, 3, ExcelDateTime::from_ymd(y, m, d).unwrap(), &date)
                        .unwrap(),
                };
            }
        } else {
            ws.set_very_hidden(true);
        }
    }
    out.save(filled).unwrap();
}

/// One person's block, from the hidden sheet's record: the rows of their
/// week-1 answer, period total and "Spoken to" (then When, then Notes).
struct Block {
    id: String,
    week1: u32,
    spoken: u32,
}

fn blocks(made: &Path) -> Vec<Block> {
    let mut wb: Xlsx<_> = open_workbook(made).unwrap();
    let meta = wb.worksheet_range("yourchoice").unwrap();
    meta.rows()
        .filter(|r| r[0].to_string().starts_with("person "))
        .map(|row| {
            let rows: Vec<u32> = row[1]
                .to_string()
                .split(' ')
                .map(|n| n.parse().unwrap())
                .collect();
            Block {
                id: row[0].to_string().trim_start_matches("person ").to_string(),
                week1: rows[0],
                spoken: rows[2],
            }
        })
        .collect()
}

/// Where the first picked person's week-1 answer goes, from the hidden
/// sheet's record.
fn first_block(made: &Path) -> (String, u32, u32) {
    let mut wb: Xlsx<_> = open_workbook(made).unwrap();
    let meta = wb.worksheet_range("yourchoice").unwrap();
    let row = meta
        .rows()
        .find(|r| r[0].to_string().starts_with("person "))
        .unwrap();
    let id = row[0].to_string().trim_start_matches("person ").to_string();
    let rows: Vec<u32> = row[1]
        .to_string()
        .split(' ')
        .map(|n| n.parse().unwrap())
        .collect();
    (id, rows[0], rows[1])
}

#[test]
fn a_planted_difference_is_reported_and_one_within_the_threshold_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let made = dir.path().join("spot-check.xlsx");
    let (code, _, err) = run(&[
        "spot-check".as_ref(),
        sample().as_os_str(),
        "--sample".as_ref(),
        "2".as_ref(),
        "--seed".as_ref(),
        "5".as_ref(),
        "-o".as_ref(),
        made.as_os_str(),
    ]);
    assert_eq!(code, Some(0), "{err}");
    let (id, week1, total) = first_block(&made);
    // The first pick is P0033 (the largest referred variance). Her week 1
    // answered 2.5 hours under the provider's is more than 1 hour off;
    // 0.5 under is within it. Only week 1 is answered, so no period total
    // is compared.
    assert_eq!(id, "P0033");
    let compare = |answers: &[(u32, f64)]| {
        let filled = dir.path().join("filled.xlsx");
        let _ = std::fs::remove_file(&filled);
        fill(&made, &filled, answers);
        let (code, stdout, stderr) = run(&[
            "spot-check".as_ref(),
            "--compare".as_ref(),
            filled.as_os_str(),
            sample().as_os_str(),
            "--json".as_ref(),
        ]);
        assert_eq!(code, Some(0), "{stderr}");
        serde_json::from_str::<serde_json::Value>(&stdout).unwrap()
    };
    let provider_week1 = {
        let (_, out, _) = run(&[
            "explain".as_ref(),
            sample().as_os_str(),
            "P0033".as_ref(),
            "--json".as_ref(),
        ]);
        let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
        doc["weeks"][0]["delivered_hours"].as_str().unwrap().to_string()
    };
    let w1: f64 = provider_week1.parse().unwrap();
    let planted = compare(&[(week1, w1 - 2.5)]);
    let a = &planted["anomalies"];
    assert_eq!(a.as_array().unwrap().len(), 1, "{planted}");
    assert_eq!(a[0]["person_id"], "P0033");
    assert_eq!(a[0]["week"], 1);
    assert_eq!(a[0]["difference_hours"], "-2.5");
    assert_eq!(a[0]["threshold_hours"], "1");
    let within = compare(&[(week1, w1 - 0.5)]);
    assert!(within["anomalies"].as_array().unwrap().is_empty(), "{within}");
    // A period total 30 hours under the provider's is beyond 8% of her
    // 318.5 commissioned hours (25.48).
    let (_, out, _) = run(&[
        "explain".as_ref(),
        sample().as_os_str(),
        "P0033".as_ref(),
        "--json".as_ref(),
    ]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let delivered: f64 = doc["result"]["delivered_hours"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let period = compare(&[(total, delivered - 30.0)]);
    assert_eq!(
        period["anomalies"][0]["week"],
        serde_json::Value::Null,
        "{period}"
    );
    assert_eq!(period["anomalies"][0]["threshold_hours"], "25.48");
}

#[test]
fn a_workbook_the_tool_did_not_write_or_for_another_submission_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = run(&[
        "spot-check".as_ref(),
        "--compare".as_ref(),
        sample().as_os_str(),
        sample().as_os_str(),
    ]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("not a spot-check workbook written by yourchoice"),
        "{err}"
    );
    let made = dir.path().join("s.xlsx");
    let other = fixture("worked-example.xlsx");
    run(&[
        "spot-check".as_ref(),
        sample().as_os_str(),
        "-o".as_ref(),
        made.as_os_str(),
    ]);
    let (code, _, err) = run(&[
        "spot-check".as_ref(),
        "--compare".as_ref(),
        made.as_os_str(),
        other.as_os_str(),
    ]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("it was made from another submission (provider.xlsx"),
        "{err}"
    );
}

/// Write the calls workbook for `--sample 4 --seed 5`: P0033 Doreen Lloyd
/// and P0009 Nia Williams (the two largest referred variances), then
/// P0016 Alun Bowen and P0025 Gwilym Harries drawn at random with seed 5.
fn calls_workbook(dir: &Path) -> (PathBuf, Vec<Block>) {
    let made = dir.join("spot-check.xlsx");
    let (code, _, err) = run(&[
        "spot-check".as_ref(),
        sample().as_os_str(),
        "--sample".as_ref(),
        "4".as_ref(),
        "--seed".as_ref(),
        "5".as_ref(),
        "-o".as_ref(),
        made.as_os_str(),
    ]);
    assert_eq!(code, Some(0), "{err}");
    let b = blocks(&made);
    let ids: Vec<&str> = b.iter().map(|b| b.id.as_str()).collect();
    assert_eq!(ids, ["P0033", "P0009", "P0016", "P0025"]);
    (made, b)
}

fn compare_args(filled: &Path, extra: &[&str]) -> Vec<std::ffi::OsString> {
    let mut args: Vec<std::ffi::OsString> = vec![
        "spot-check".into(),
        "--compare".into(),
        filled.into(),
        sample().into(),
    ];
    args.extend(extra.iter().map(std::ffi::OsString::from));
    args
}

/// Two of four blocks answered, two not: the summary counts the sample,
/// names who was not contacted, and checks only those who answered.
///
/// By hand: P0033's provider hours are 22 in week 1 and 21.5 in week 2.
/// She says 19.5 and 21: week 1 is -2.5 (more than the 1 hour allowed),
/// week 2 is -0.5 (within it). Only two weeks answered and no period
/// total, so her period is not compared: 1 anomaly. P0009's son was
/// spoken to but gave no hours: answered, nothing to compare. P0016 has
/// only a note ("No reply") and P0025 nothing at all: not contacted.
/// So 4 in the sample, 2 answered, 2 not contacted, 1 anomaly.
fn filled_in_part(dir: &Path) -> PathBuf {
    let (made, b) = calls_workbook(dir);
    let filled = dir.join("filled.xlsx");
    fill_with(
        &made,
        &filled,
        &[
            (b[0].week1, Answer::Hours(19.5)),
            (b[0].week1 + 1, Answer::Hours(21.0)),
            (b[0].spoken, Answer::Text("Doreen Lloyd")),
            (b[0].spoken + 1, Answer::Date(2026, 7, 14)),
            (
                b[0].spoken + 2,
                Answer::Text("Says the Tuesday call in week 1 did not come"),
            ),
            (b[1].spoken, Answer::Text("Huw Williams (son)")),
            (b[1].spoken + 1, Answer::Text("15/07/2026 10:30")),
            (b[1].spoken + 2, Answer::Text("Will ring back with the diary")),
            (b[2].spoken + 2, Answer::Text("No reply, rang twice")),
        ],
    );
    filled
}

#[test]
fn blocks_left_blank_are_not_contacted_and_named_not_counted_as_checked() {
    let dir = tempfile::tempdir().unwrap();
    let filled = filled_in_part(dir.path());
    let (code, stdout, stderr) = run(&compare_args(&filled, &[]));
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        stdout,
        "provider.xlsx: 4 people in the sample: 2 answered, 2 not contacted \
         (P0016 Alun Bowen, P0025 Gwilym Harries); 1 anomaly\n  \
         P0033 week 1: the provider says 22 hours, the person says 19.5 \
         (-2.5 hours, more than the 1 allowed)\n"
    );
    let (code, stdout, stderr) = run(&compare_args(&filled, &["--json"]));
    assert_eq!(code, Some(0), "{stderr}");
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc["sample"], 4);
    assert_eq!(doc["answered"], 2);
    assert_eq!(doc["not_contacted"], 2);
    assert_eq!(doc["not_contacted_ids"], serde_json::json!(["P0016", "P0025"]));
    assert_eq!(doc["anomalies"].as_array().unwrap().len(), 1);
    assert_eq!(doc["anomalies"][0]["difference_hours"], "-2.5");
}

/// A calls workbook returned as it was written: four blocks, no answers.
/// Never "0 anomalies": exit 1, a line saying nothing was checked, and no
/// sheet for the agency.
#[test]
fn a_workbook_with_no_answers_at_all_is_not_a_clean_check() {
    let dir = tempfile::tempdir().unwrap();
    let (made, _) = calls_workbook(dir.path());
    let filled = dir.path().join("unanswered.xlsx");
    fill(&made, &filled, &[]);
    let agency = dir.path().join("anomalies.xlsx");
    let (code, stdout, stderr) = run(&compare_args(&filled, &["-o", agency.to_str().unwrap()]));
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(
        stdout,
        "provider.xlsx: 4 people in the sample: 0 answered, 4 not contacted \
         (P0033 Doreen Lloyd, P0009 Nia Williams, P0016 Alun Bowen, P0025 Gwilym Harries)\n\
         No answers were recorded in unanswered.xlsx (no hours and nobody recorded as spoken to), \
         so nothing was checked: this is not a clean spot check.\n"
    );
    assert!(!stdout.contains("0 anomalies"), "{stdout}");
    assert!(!agency.exists(), "no anomalies workbook for a check not made");
    assert!(stderr.contains("nothing was checked"), "{stderr}");
    let (code, stdout, stderr) = run(&compare_args(&filled, &["--json"]));
    assert_eq!(code, Some(1));
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc["answered"], 0);
    assert_eq!(doc["not_contacted"], 4);
    assert_eq!(
        doc["not_contacted_ids"],
        serde_json::json!(["P0033", "P0009", "P0016", "P0025"])
    );
    assert!(
        stderr.contains("No answers were recorded in unanswered.xlsx"),
        "{stderr}"
    );
}

/// The agency's workbook, read back: the anomaly with the person's name and
/// the call's record, and every call in the sample, not-contacted ones
/// included (figures as in `filled_in_part`).
#[test]
fn the_anomalies_workbook_keeps_names_who_was_spoken_to_when_and_notes() {
    let dir = tempfile::tempdir().unwrap();
    let filled = filled_in_part(dir.path());
    let agency = dir.path().join("anomalies.xlsx");
    let (code, _, stderr) = run(&compare_args(&filled, &["-o", agency.to_str().unwrap()]));
    assert_eq!(code, Some(0), "{stderr}");
    let mut wb: Xlsx<_> = open_workbook(&agency).unwrap();
    let cells = |range: &calamine::Range<Data>, row: u32| -> Vec<String> {
        (0..range.width() as u32)
            .map(|c| {
                range
                    .get_value((row, c))
                    .map_or_else(String::new, ToString::to_string)
            })
            .collect()
    };
    let a = wb.worksheet_range("Anomalies").unwrap();
    assert_eq!(
        cells(&a, 1)[0],
        "4 people in the sample: 2 answered, 2 not contacted (P0016 Alun Bowen, P0025 Gwilym Harries); 1 anomaly"
    );
    assert_eq!(
        cells(&a, 2),
        [
            "Person ID",
            "Name",
            "Week",
            "Provider's hours",
            "Hours the person reports",
            "Difference",
            "Allowed",
            "Spoken to",
            "When",
            "Notes"
        ]
    );
    assert_eq!(
        cells(&a, 3),
        [
            "P0033",
            "Doreen Lloyd",
            "week 1",
            "22",
            "19.5",
            "-2.5",
            "1",
            "Doreen Lloyd",
            "2026-07-14",
            "Says the Tuesday call in week 1 did not come"
        ]
    );
    assert_eq!(a.height(), 4, "one anomaly");
    let calls = wb.worksheet_range("Calls").unwrap();
    assert_eq!(
        cells(&calls, 2),
        [
            "Person ID",
            "Name",
            "Call",
            "Anomalies",
            "Spoken to",
            "When",
            "Notes"
        ]
    );
    let rows: Vec<Vec<String>> = (3..7).map(|r| cells(&calls, r)).collect();
    assert_eq!(
        rows,
        [
            [
                "P0033",
                "Doreen Lloyd",
                "answered",
                "1",
                "Doreen Lloyd",
                "2026-07-14",
                "Says the Tuesday call in week 1 did not come"
            ],
            [
                "P0009",
                "Nia Williams",
                "answered",
                "0",
                "Huw Williams (son)",
                "15/07/2026 10:30",
                "Will ring back with the diary"
            ],
            [
                "P0016",
                "Alun Bowen",
                "not contacted",
                "not checked",
                "",
                "",
                "No reply, rang twice"
            ],
            [
                "P0025",
                "Gwilym Harries",
                "not contacted",
                "not checked",
                "",
                "",
                ""
            ],
        ]
    );
}
