//! `yourchoice spot-check`: reproducible picks, the riskiest first and
//! saying why, and a filled workbook read back against the provider's
//! figures. The officer's answers are typed into a copy of the workbook the
//! tool wrote, cell by cell, as Excel would save it.

use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx, open_workbook};
use rust_xlsxwriter::Workbook;
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

/// Copy the tool's workbook and type `answers` (row, value) into column D
/// of the Spot check sheet.
fn fill(made: &Path, filled: &Path, answers: &[(u32, f64)]) {
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
            for (row, value) in answers {
                ws.write_number(*row, 3, *value).unwrap();
            }
        } else {
            ws.set_very_hidden(true);
        }
    }
    out.save(filled).unwrap();
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
