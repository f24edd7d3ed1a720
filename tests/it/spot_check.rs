//! `yourchoice spot-check`: reproducible picks, the riskiest first and
//! saying why, and a filled workbook read back against the provider's
//! figures. The officer's answers are typed into a copy of the workbook the
//! tool wrote, cell by cell, as Excel would save it.

use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx, open_workbook};
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};
use serde::Deserialize;

use crate::common::bin::run;
use crate::common::files::{example, fixture};
use crate::common::package::{drop_cached_value, patch};

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
    /// A formula and the result saved with it.
    Formula(&'static str, &'static str),
}

/// Copy the tool's workbook and type `answers` (row, value) into column D
/// of the Spot check sheet.
fn fill(made: &Path, filled: &Path, answers: &[(u32, f64)]) {
    let answers: Vec<(u32, Answer)> = answers.iter().map(|(r, v)| (*r, Answer::Hours(*v))).collect();
    fill_with(made, filled, &answers);
}

/// As [`fill`], with text and dates as well as hours.
fn fill_with(made: &Path, filled: &Path, answers: &[(u32, Answer)]) {
    edit(made, filled, answers, &[], |_| {});
}

/// A copy of the tool's workbook as it might come back: `answers` typed
/// into column D of the Spot check sheet, `cells` (0-based row, column,
/// text) typed over other cells of it, and the hidden sheet's rows (column
/// A's key, column B's value, row 1 first) rewritten by `record`.
fn edit(
    made: &Path,
    filled: &Path,
    answers: &[(u32, Answer)],
    cells: &[(u32, u16, &str)],
    record: impl FnOnce(&mut Vec<(String, String)>),
) {
    let mut wb: Xlsx<_> = open_workbook(made).unwrap();
    let mut out = Workbook::new();
    let range = wb.worksheet_range("Spot check").unwrap();
    let ws = out.add_worksheet().set_name("Spot check").unwrap();
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
    for (r, c, text) in cells {
        ws.write_string(*r, *c, *text).unwrap();
    }
    let date = Format::new().set_num_format("dd/mm/yyyy");
    for (row, value) in answers {
        match *value {
            Answer::Hours(h) => ws.write_number(*row, 3, h).unwrap(),
            Answer::Text(t) => ws.write_string(*row, 3, t).unwrap(),
            Answer::Date(y, m, d) => ws
                .write_datetime_with_format(*row, 3, ExcelDateTime::from_ymd(y, m, d).unwrap(), &date)
                .unwrap(),
            Answer::Formula(f, result) => ws
                .write_formula(*row, 3, Formula::new(f).set_result(result))
                .unwrap(),
        };
    }
    let meta = wb.worksheet_range("yourchoice").unwrap();
    let mut rows: Vec<(String, String)> = meta
        .rows()
        .map(|r| (r[0].to_string(), r[1].to_string()))
        .collect();
    record(&mut rows);
    let hidden = out.add_worksheet().set_name("yourchoice").unwrap();
    for (i, (key, value)) in rows.iter().enumerate() {
        hidden.write_string(i as u32, 0, key).unwrap();
        hidden.write_string(i as u32, 1, value).unwrap();
    }
    hidden.set_very_hidden(true);
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

// A spot-check workbook read as strictly as a provider's return (issue
// 22). The workbook for `--sample 4 --seed 5` (see `calls_workbook`) has a
// hidden sheet "yourchoice" written by the tool as: row 1 schema, 2 source,
// 3 sha256, 4 seed, 5 weeks, 6 sample (4), then a row per person in pick
// order: 7 P0033, 8 P0009, 9 P0016, 10 P0025, each with the rows of its
// block. On the visible sheet the blocks begin at row 5 and take 20 rows
// each (the Person ID, a header, 13 weeks, the period total, Spoken to,
// When, Notes and a blank row): P0016's Person ID is in A45, and P0033's
// week-1 answer in D7 (her ID in A5, the header in row 6).

/// Run `--compare` on an edited workbook: the exit code, stdout, stderr.
fn compare_edited(filled: &Path) -> (Option<i32>, String, String) {
    run(&compare_args(filled, &[]))
}

/// Refused (exit 2) with `message` as the one line on stderr, and nothing on
/// stdout: no summary, no count of anomalies.
fn assert_refused(filled: &Path, message: &str) {
    let (code, stdout, stderr) = compare_edited(filled);
    assert_eq!(code, Some(2), "{stdout}{stderr}");
    assert_eq!(stdout, "", "no summary for a workbook refused");
    assert_eq!(stderr, format!("yourchoice: {message}\n"));
}

/// The value of a key of the hidden record.
fn set(rows: &mut [(String, String)], key: &str, value: &str) {
    let row = rows.iter_mut().find(|(k, _)| k == key).unwrap();
    row.1 = value.to_string();
}

/// A workbook made from another return (worked-example.xlsx, whose sample
/// is one person, P2), edited to claim provider.xlsx's SHA-256 and name, is
/// compared with provider.xlsx: P2 is not one of its 34 people (P0001 to
/// P0034). Refused at the hidden sheet's row 7 (six rows of how it was
/// made, then P2), never "0 anomalies".
#[test]
fn a_workbook_claiming_another_returns_hash_is_refused_at_the_person_not_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let (ours, _) = calls_workbook(dir.path());
    let provider_sha = {
        let mut wb: Xlsx<_> = open_workbook(&ours).unwrap();
        let meta = wb.worksheet_range("yourchoice").unwrap();
        meta.rows().find(|r| r[0] == "sha256").unwrap()[1].to_string()
    };
    let theirs = dir.path().join("worked.xlsx");
    let (code, _, err) = run(&[
        "spot-check".as_ref(),
        fixture("worked-example.xlsx").as_os_str(),
        "-o".as_ref(),
        theirs.as_os_str(),
    ]);
    assert_eq!(code, Some(0), "{err}");
    let filled = dir.path().join("claims-provider.xlsx");
    edit(&theirs, &filled, &[], &[], |rows| {
        set(rows, "sha256", &provider_sha);
        set(rows, "source", "provider.xlsx");
        assert_eq!(rows[6].0, "person P2");
    });
    assert_refused(
        &filled,
        &format!(
            "cannot use {}: it lists P2 (row 7 of its hidden sheet \"yourchoice\"), who is not in \
             provider.xlsx: it was edited after yourchoice wrote it: make the spot-check workbook \
             again with `yourchoice spot-check provider.xlsx -o FILE` and copy the answers across",
            filled.display()
        ),
    );
}

/// P0016 (the third person, row 9) renamed P0099 in the hidden record:
/// first alone, so the visible sheet's A45 still holds P0016 (refused at
/// that cell: the answers read would be another person's); then in A45
/// too, so the record is read and P0099 is not in the return.
#[test]
fn a_person_the_return_does_not_hold_is_refused_at_their_row() {
    let dir = tempfile::tempdir().unwrap();
    let (made, _) = calls_workbook(dir.path());
    let rename = |rows: &mut Vec<(String, String)>| {
        assert_eq!(rows[8].0, "person P0016");
        rows[8].0 = "person P0099".into();
    };
    let record_only = dir.path().join("record-only.xlsx");
    edit(&made, &record_only, &[(6, Answer::Hours(19.5))], &[], rename);
    let (code, stdout, stderr) = compare_edited(&record_only);
    assert_eq!(code, Some(2), "{stderr}");
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        format!(
            "yourchoice: cannot read {}: Spot check!A45 should hold \"P0099\" for P0099's block, as \
             the workbook's hidden record says, but holds \"P0016\": rows were added, removed or \
             changed outside the answers in column D. Make the spot-check workbook again with \
             `yourchoice spot-check RETURN -o FILE` and copy the answers across\n",
            record_only.display()
        )
    );
    let both = dir.path().join("both.xlsx");
    edit(
        &made,
        &both,
        &[(6, Answer::Hours(19.5))],
        &[(44, 0, "P0099")],
        rename,
    );
    assert_refused(
        &both,
        &format!(
            "cannot use {}: it lists P0099 (row 9 of its hidden sheet \"yourchoice\"), who is not in \
             provider.xlsx: it was edited after yourchoice wrote it: make the spot-check workbook \
             again with `yourchoice spot-check provider.xlsx -o FILE` and copy the answers across",
            both.display()
        ),
    );
}

/// P0016's row (9) of the hidden record made a second P0033 (with her
/// block's rows): refused as listed twice, rows 7 and 9.
#[test]
fn a_person_listed_twice_is_refused_naming_both_rows() {
    let dir = tempfile::tempdir().unwrap();
    let (made, _) = calls_workbook(dir.path());
    let filled = dir.path().join("twice.xlsx");
    edit(&made, &filled, &[(6, Answer::Hours(19.5))], &[], |rows| {
        rows[8] = rows[6].clone();
        assert_eq!(rows[8].0, "person P0033");
    });
    assert_refused(
        &filled,
        &format!(
            "cannot use {}: it lists P0033 twice (rows 7 and 9 of its hidden sheet \"yourchoice\"): \
             it was edited after yourchoice wrote it: make the spot-check workbook again with \
             `yourchoice spot-check provider.xlsx -o FILE` and copy the answers across",
            filled.display()
        ),
    );
}

/// P0033 listed 100,000 times (rows 7 to 100,006): more people than the 34
/// in provider.xlsx. The 35th is on row 7 + 34 = 41; refused there without
/// reading the rest, and quickly (a check of each row against every other
/// would take 5 × 10^9 comparisons).
#[test]
fn a_record_listing_100000_people_is_refused_fast_at_the_first_past_the_return() {
    let dir = tempfile::tempdir().unwrap();
    let (made, _) = calls_workbook(dir.path());
    let filled = dir.path().join("100000.xlsx");
    edit(&made, &filled, &[], &[], |rows| {
        let p0033 = rows[6].clone();
        rows.truncate(6);
        rows.extend(std::iter::repeat_n(p0033, 100_000));
    });
    let started = std::time::Instant::now();
    assert_refused(
        &filled,
        &format!(
            "cannot use {}: it lists more people than the 34 in provider.xlsx (row 41 of its hidden \
             sheet \"yourchoice\" lists person number 35): it was edited after yourchoice wrote \
             it: make the spot-check workbook again with `yourchoice spot-check provider.xlsx -o \
             FILE` and copy the answers across",
            filled.display()
        ),
    );
    let took = started.elapsed();
    assert!(took < std::time::Duration::from_secs(30), "took {took:?}");
}

/// People of the return, each once, but not the sample seed 5 picks: P0016
/// (row 9, and A45) replaced by P0001, who is neither risky enough nor drawn;
/// then P0025 (row 10) left out, so three are listed of the sample of 4
/// recorded.
#[test]
fn people_other_than_those_the_seed_picks_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (made, _) = calls_workbook(dir.path());
    let other = dir.path().join("other.xlsx");
    edit(&made, &other, &[], &[(44, 0, "P0001")], |rows| {
        rows[8].0 = "person P0001".into();
    });
    assert_refused(
        &other,
        &format!(
            "cannot use {}: it lists P0001 (row 9 of its hidden sheet \"yourchoice\"), whom seed 5 \
             does not pick from provider.xlsx for a sample of 4: it was edited after yourchoice \
             wrote it, or the council's settings or plans (which decide who is riskiest) are not \
             those it was made with. Compare it with the settings it was made with, or make the \
             spot-check workbook again with `yourchoice spot-check provider.xlsx -o FILE` and copy \
             the answers across",
            other.display()
        ),
    );
    let fewer = dir.path().join("fewer.xlsx");
    edit(&made, &fewer, &[(6, Answer::Hours(19.5))], &[], |rows| {
        assert_eq!(rows.pop().unwrap().0, "person P0025");
    });
    assert_refused(
        &fewer,
        &format!(
            "cannot use {}: it does not list P0025, whom seed 5 picks from provider.xlsx for a \
             sample of 4: it was edited after yourchoice wrote it, or the council's settings or \
             plans (which decide who is riskiest) are not those it was made with. Compare it with \
             the settings it was made with, or make the spot-check workbook again with \
             `yourchoice spot-check provider.xlsx -o FILE` and copy the answers across",
            fewer.display()
        ),
    );
}

/// An answer saved as a formula with no result (its cached value taken out
/// of the XML, as a program that does not calculate leaves it) is an error
/// at its cell, not a blank: P0033's week 1 (D7), and her Spoken to (D21: her block's row 5,
/// header 6, weeks 7-19, total 20). A formula saved with its result is
/// that result: 19.5 in week 1 against the provider's 22 is -2.5, more than
/// the 1 hour allowed.
#[test]
fn an_answer_saved_as_an_uncalculated_formula_is_an_error_at_its_cell() {
    let dir = tempfile::tempdir().unwrap();
    let (made, _) = calls_workbook(dir.path());
    for (row, cell) in [(6, "D7"), (20, "D21")] {
        let filled = dir.path().join(format!("uncalculated-{cell}.xlsx"));
        edit(
            &made,
            &filled,
            &[
                (6 + 1, Answer::Hours(21.0)),
                (row, Answer::Formula("=C7-2.5", "19.5")),
            ],
            &[],
            |_| {},
        );
        // The Spot check sheet is the copy's first.
        patch(&filled, "xl/worksheets/sheet1.xml", |xml| {
            drop_cached_value(xml, cell)
        });
        let (code, stdout, stderr) = compare_edited(&filled);
        assert_eq!(code, Some(2), "{stdout}{stderr}");
        assert_eq!(stdout, "", "no summary");
        assert_eq!(
            stderr,
            format!(
                "yourchoice: {}:{}: Spot check!{cell} holds a formula whose result was never \
                 calculated: open and save it in a spreadsheet first\n",
                filled.display(),
                row + 1
            )
        );
    }
    let calculated = dir.path().join("calculated.xlsx");
    edit(
        &made,
        &calculated,
        &[(6, Answer::Formula("=C7-2.5", "19.5"))],
        &[],
        |_| {},
    );
    let (code, stdout, stderr) = run(&compare_args(&calculated, &["--json"]));
    assert_eq!(code, Some(0), "{stderr}");
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc["answered"], 1);
    assert_eq!(doc["anomalies"].as_array().unwrap().len(), 1, "{doc}");
    assert_eq!(doc["anomalies"][0]["person_id"], "P0033");
    assert_eq!(doc["anomalies"][0]["week"], 1);
    assert_eq!(doc["anomalies"][0]["provider_hours"], "22");
    assert_eq!(doc["anomalies"][0]["reported_hours"], "19.5");
    assert_eq!(doc["anomalies"][0]["difference_hours"], "-2.5");
}
