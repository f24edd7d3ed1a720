//! The decisions workbook (issue 21): written by `yourchoice decisions`,
//! filled in as an officer would (Decision, Reason, Officer), read back by
//! `--decisions` as a decisions CSV is; the Amount the tool wrote binds
//! each decision to its figure.

use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};
use rust_xlsxwriter::{Format, Workbook};

use crate::common::bin::run;
use crate::common::doc::Doc;
use crate::common::files::example;

fn s(p: &Path) -> String {
    p.display().to_string()
}

/// The council's example returns and settings.
fn council_args() -> Vec<String> {
    let mut args: Vec<String> = ["bro-morgannwg.xlsx", "cwm-taf-care.xlsx", "penarth-homecare.xlsx"]
        .iter()
        .map(|f| s(&example(&format!("council/{f}"))))
        .collect();
    args.extend(["--council".into(), s(&example("council/council.toml"))]);
    args
}

/// The Decisions sheet's rows as text (row 1 the header).
fn rows(path: &Path) -> Vec<Vec<String>> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let range = wb.worksheet_range("Decisions").unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    Data::Float(f) => format!("{f}"),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

/// The workbook as an officer saves it: every cell as read, with
/// `fill(person_id)` giving (decision, reason, officer) for some rows.
fn filled(from: &Path, to: &Path, fill: impl Fn(&str) -> Option<(&'static str, &'static str, &'static str)>) {
    let mut wb: Xlsx<_> = open_workbook(from).unwrap();
    let range = wb.worksheet_range("Decisions").unwrap();
    let mut out = Workbook::new();
    let ws = out.add_worksheet().set_name("Decisions").unwrap();
    for (r, row) in range.rows().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match cell {
                Data::Float(f) => ws.write_number(r, c, *f).map(|_| ()),
                Data::String(t) => ws.write_string(r, c, t).map(|_| ()),
                Data::DateTime(d) => ws
                    .write_number_with_format(r, c, d.as_f64(), &Format::new().set_num_format("dd/mm/yyyy"))
                    .map(|_| ()),
                _ => Ok(()),
            }
            .unwrap();
        }
        if r > 0
            && let Some((d, reason, officer)) = fill(&row[3].to_string())
        {
            ws.write_string(r as u32, 10, d).unwrap();
            ws.write_string(r as u32, 11, reason).unwrap();
            ws.write_string(r as u32, 12, officer).unwrap();
        }
    }
    out.save(to).unwrap();
}

fn reconcile(args: &[String]) -> Vec<Doc> {
    let mut all = vec!["reconcile".to_string()];
    all.extend_from_slice(args);
    all.extend(["--json".into(), "--no-report".into()]);
    let (code, out, err) = run(&all);
    assert_eq!(code, Some(0), "{err}");
    out.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn the_officer_decides_in_the_workbook_and_the_run_reads_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let blank = dir.path().join("decisions.xlsx");
    let mut args = vec!["decisions".to_string()];
    args.extend(council_args());
    args.extend(["-o".into(), s(&blank)]);
    let (code, _, err) = run(&args);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("2 settlements held, 2 to decide"), "{err}");
    // The two held settlements of the council's example, worked out in
    // tests/it/council_example.rs: Bro Morgannwg's P1003 and Penarth's P3003.
    let sheet = rows(&blank);
    assert_eq!(sheet[0][9], "Amount");
    assert_eq!(sheet[0][10], "Decision");
    let held: Vec<(&str, &str, &str)> = sheet[1..]
        .iter()
        .map(|r| (r[0].as_str(), r[3].as_str(), r[5].as_str()))
        .collect();
    assert_eq!(
        held,
        vec![
            ("SUP00123", "P1003", "outside the tolerance: referred for review"),
            ("SUP00789", "P3003", "outside the tolerance: referred for review"),
        ]
    );
    let amounts: Vec<&str> = sheet[1..].iter().map(|r| r[9].as_str()).collect();
    assert!(sheet[1..].iter().all(|r| r[10].is_empty()), "nothing decided yet");

    // Only P1003 decided: authorised at the figure shown.
    let decided = dir.path().join("decided.xlsx");
    filled(&blank, &decided, |id| {
        (id == "P1003").then_some(("authorise", "Wife in hospital: one-off", "Siân Thomas"))
    });
    let mut args = council_args();
    args.extend(["--decisions".into(), s(&decided)]);
    let docs = reconcile(&args);
    let bro = docs
        .iter()
        .find(|d| d.provider.as_ref().unwrap().reference.as_deref() == Some("SUP00123"))
        .unwrap();
    let p = bro.people.iter().find(|p| p.person_id == "P1003").unwrap();
    let s1003 = p.settlement.as_ref().unwrap();
    assert!(s1003.authorised);
    assert_eq!(s1003.amount, amounts[0]);
    assert!(
        !bro.findings
            .iter()
            .any(|f| f.code == "decision-unbound" || f.code == "decision-stale")
    );
    let penarth = docs
        .iter()
        .find(|d| d.provider.as_ref().unwrap().reference.as_deref() == Some("SUP00789"))
        .unwrap();
    let p3003 = penarth.people.iter().find(|p| p.person_id == "P3003").unwrap();
    assert!(
        !p3003.settlement.as_ref().unwrap().authorised,
        "left blank: still held"
    );

    // The workbook written again with the decisions: P1003's shown.
    let again = dir.path().join("again.xlsx");
    let mut args = vec!["decisions".to_string()];
    args.extend(council_args());
    args.extend(["--decisions".into(), s(&decided), "-o".into(), s(&again)]);
    let (code, _, err) = run(&args);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("2 settlements held, 1 to decide"), "{err}");
    let sheet = rows(&again);
    assert_eq!(sheet[1][10], "authorise");
    assert_eq!(sheet[1][12], "Siân Thomas");
}
