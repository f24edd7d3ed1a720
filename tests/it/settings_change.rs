//! Council-side changes after export (issue 25): the council's rate or a
//! person's plan corrected after a period was exported. The same return,
//! reconciled again with `--ledger` under the changed council files (and
//! `--resubmission "REASON"`, which a settings version needs), is recorded
//! as a version of kind `settings` with the files' SHA-256 and the officer
//! who ran it; the next export draws exactly the difference; `status` lists
//! the returns recorded under files that have changed since, and the
//! command to run.
//!
//! The return (SUP00123, Test Care Ltd, the period from Monday 06/04/2026,
//! 13 weeks, every week priced at the rate in force on 06/04/2026):
//!
//! - P1 Ann Example, bundle 10: 11 hours in weeks 1-6, 10 after.
//!   Commissioned 13 × 10 = 130, delivered 6 × 11 + 7 × 10 = 136,
//!   net variance +6 h; tolerance 8% × 130 = 10.4 h: within.
//! - P2 Bob Example, bundle 5: 3.75 hours in weeks 3-5, 5 otherwise.
//!   Commissioned 65, delivered 65 − 3 × 1.25 = 61.25, net variance
//!   −3.75 h; tolerance 8% × 65 = 5.2 h: within.
//!
//! Settlement (SPEC 4) = Σ (A_k − B_k) · r_k, one rate all period, so the
//! net variance × the rate, rounded to pence half away from zero per
//! person; the provider's total is the sum of the rounded amounts.
//!
//! At £24.00: P1 6 × 24.00 = £144.00; P2 −3.75 × 24.00 = −£90.00; total
//! £54.00, one BACS payment.

use std::path::{Path, PathBuf};

use rusqlite::Connection;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::common::bin;
use crate::common::workbook::{Return, V, WEEKS, n};

const PERIOD: &str = "2026-04-06";

/// P1 and P2 as the module's comment describes them.
fn the_return() -> Return {
    let mut p1 = [10.0; WEEKS];
    p1[..6].fill(11.0);
    let mut p2 = [5.0; WEEKS];
    p2[2..5].fill(3.75);
    Return::empty()
        .detail("Submission date", V::Date(2026, 7, 10))
        .person("P1", "Ann Example", n(10.0), n(10.0))
        .weeks("P1", p1)
        .person("P2", "Bob Example", n(5.0), n(5.0))
        .weeks("P2", p2)
}

/// council.toml with SUP00123's rate from 06/04/2026, and `plans.csv`
/// named when `plans` is.
fn council_toml(rate: &str, plans: bool) -> String {
    let plans = if plans { "plans = \"plans.csv\"\n" } else { "" };
    format!(
        "tolerance = \"8%\"\n{plans}\n[[provider]]\nreference = \"SUP00123\"\nname = \"Test Care Ltd\"\n\
         rates = [ {{ from = \"2025-04-07\", rate = \"23.90\" }},\n          {{ from = \"2026-04-06\", rate = \"{rate}\" }} ]\n"
    )
}

fn plans_csv(p1_bundle: &str) -> String {
    format!(
        "Person ID,Provider reference,Weekly bundle,From,To\nP1,SUP00123,{p1_bundle},2026-04-06,\nP2,SUP00123,5,2026-04-06,\n"
    )
}

fn sha256(path: &Path) -> String {
    Sha256::digest(std::fs::read(path).unwrap())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

struct Out {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn yourchoice(args: &[&str]) -> Out {
    let out = bin::yourchoice().args(args).output().unwrap();
    Out {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A council's folder: council.toml, maybe plans.csv, the return and the
/// ledger.
struct Council {
    dir: tempfile::TempDir,
}

impl Council {
    fn new(toml: &str, plans: Option<&str>) -> Council {
        let c = Council {
            dir: tempfile::tempdir().unwrap(),
        };
        c.write("council.toml", toml);
        if let Some(plans) = plans {
            c.write("plans.csv", plans);
        }
        the_return().save(c.dir.path(), "return.xlsx");
        c
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn arg(&self, name: &str) -> String {
        self.path(name).display().to_string()
    }

    fn write(&self, name: &str, text: &str) {
        std::fs::write(self.path(name), text).unwrap();
    }

    /// `reconcile return.xlsx --council --ledger --officer OFFICER EXTRA`.
    fn reconcile(&self, officer: &str, extra: &[&str]) -> Out {
        let (ret, toml, ledger) = (
            self.arg("return.xlsx"),
            self.arg("council.toml"),
            self.arg("ledger.db"),
        );
        let mut args = vec![
            "reconcile",
            &ret,
            "--council",
            &toml,
            "--ledger",
            &ledger,
            "--officer",
            officer,
            "--no-report",
            "--quiet",
        ];
        if !self.path("ledger.db").exists() {
            args.push("--new-ledger");
        }
        args.extend(extra);
        yourchoice(&args)
    }

    /// `export KIND --ledger --period 2026-04-06`: the lines as maps of
    /// header to field.
    fn export(&self, kind: &str) -> Vec<std::collections::HashMap<String, String>> {
        let out = self.export_run(kind);
        assert_eq!(out.code, Some(0), "{}", out.stderr);
        let mut r = csv::Reader::from_reader(out.stdout.as_bytes());
        let head: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
        r.records()
            .map(|rec| {
                head.iter()
                    .cloned()
                    .zip(rec.unwrap().iter().map(str::to_string))
                    .collect()
            })
            .collect()
    }

    fn export_run(&self, kind: &str) -> Out {
        let (toml, ledger) = (self.arg("council.toml"), self.arg("ledger.db"));
        yourchoice(&[
            "export",
            kind,
            "--council",
            &toml,
            "--ledger",
            &ledger,
            "--officer",
            "Rhys Finance",
            "--period",
            PERIOD,
        ])
    }

    /// An export with no line due: exit 1, saying so, no file.
    fn export_nothing(&self, kind: &str) {
        let out = self.export_run(kind);
        assert_eq!(out.code, Some(1), "{}", out.stderr);
        assert!(out.stderr.contains("nothing"), "{}", out.stderr);
        assert!(out.stdout.is_empty(), "{}", out.stdout);
    }

    fn status(&self, extra: &[&str]) -> Out {
        let (toml, ledger) = (self.arg("council.toml"), self.arg("ledger.db"));
        let mut args = vec![
            "status",
            "--council",
            &toml,
            "--ledger",
            &ledger,
            "--period",
            PERIOD,
            "--as-of",
            "2026-08-01",
        ];
        args.extend(extra);
        let out = yourchoice(&args);
        assert_eq!(out.code, Some(0), "{}", out.stderr);
        out
    }

    fn status_json(&self) -> Value {
        serde_json::from_str(&self.status(&["--json"]).stdout).unwrap()
    }

    fn db(&self) -> Connection {
        Connection::open(self.path("ledger.db")).unwrap()
    }

    /// Each version: (version, change, reason, officer).
    fn versions(&self) -> Vec<(u32, String, Option<String>, String)> {
        let db = self.db();
        let mut stmt = db
            .prepare("SELECT version, change, reason, officer FROM reconciliation ORDER BY version")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    /// The SHA-256 the ledger holds for a version's file of `role`.
    fn file_sha(&self, version: u32, role: &str) -> Option<String> {
        self.db()
            .query_row(
                "SELECT f.sha256 FROM settings_file f JOIN reconciliation r ON r.id = f.reconciliation_id \
                 WHERE r.version = ?1 AND f.role = ?2",
                rusqlite::params![version, role],
                |r| r.get(0),
            )
            .ok()
    }
}

/// A settled first round: the return recorded as version 1 by Siân Thomas
/// and its £54.00 exported as one payment.
fn first_round(c: &Council) {
    let out = c.reconcile("Siân Thomas", &[]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let lines = c.export("payments");
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["Amount"], "54.00");
    assert_eq!(lines[0]["Line"], "settlement");
}

#[test]
fn a_backdated_rate_uplift_is_a_settings_version_and_exports_the_difference() {
    let c = Council::new(&council_toml("24.00", false), None);
    first_round(&c);
    let toml_then = sha256(&c.path("council.toml"));

    // The council raises SUP00123's rate from 06/04/2026: £24.00 -> £24.50.
    c.write("council.toml", &council_toml("24.50", false));
    let toml_now = sha256(&c.path("council.toml"));
    assert_ne!(toml_then, toml_now);

    // Without a reason the run is refused: the same file and decisions with
    // other figures could be council.toml left out by mistake.
    let out = c.reconcile("Gareth Evans", &[]);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert!(
        out.stderr.contains("--recalculation \"REASON\""),
        "{}",
        out.stderr
    );
    assert_eq!(c.versions().len(), 1);

    // Recalculated at £24.50:
    //   P1  +6    × 24.50 = 147.00
    //   P2  −3.75 × 24.50 = −91.875, rounded half away from zero: −91.88
    //   total 147.00 − 91.88 = £55.12, so £55.12 − £54.00 = £1.12 more.
    // (Not the 2.25 net hours × £0.50 = £1.125: each person's settlement is
    // rounded to pence before the provider's total is summed.)
    let reason = "backdated uplift to £24.50 from 06/04/2026";
    let out = c.reconcile("Gareth Evans", &["--recalculation", reason]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "replacing version 1 (return.xlsx, recorded "
        ) && out.stderr.contains(
            "by Siân Thomas): the same file and decisions, with other council settings: backdated uplift to £24.50 from 06/04/2026."
        ),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains(
            "Ledger: SUP00123's authorised settlement was £54.00 (version 1) and is £55.12 under the council's files as now: a difference of £1.12 owed to the provider."
        ),
        "{}",
        out.stderr
    );

    // The version: kind settings, the reason, who ran it, and council.toml's
    // SHA-256 then and now.
    assert_eq!(
        c.versions(),
        vec![
            (1, "first".into(), None, "Siân Thomas".into()),
            (2, "settings".into(), Some(reason.into()), "Gareth Evans".into()),
        ]
    );
    assert_eq!(c.file_sha(1, "council settings"), Some(toml_then));
    assert_eq!(c.file_sha(2, "council settings"), Some(toml_now));
    let authorised: String = c
        .db()
        .query_row(
            "SELECT authorised FROM reconciliation WHERE version = 2",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(authorised, "55.12");

    // The next payments export: exactly the difference, from version 2.
    let lines = c.export("payments");
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["Provider reference"], "SUP00123");
    assert_eq!(lines[0]["Amount"], "1.12");
    assert_eq!(lines[0]["Line"], "difference");
    assert_eq!(
        lines[0]["Note"],
        "version 2 (settings: backdated uplift to £24.50 from 06/04/2026): £54.00 exported before \
         for the period from 06/04/2026, £55.12 due now: this line is the difference"
    );
    // Nothing to recover: no invoice line; and nothing more to pay.
    c.export_nothing("invoices");
    c.export_nothing("payments");
}

#[test]
fn a_corrected_bundle_turns_the_payment_into_an_invoice_for_the_difference() {
    let c = Council::new(&council_toml("24.00", true), Some(&plans_csv("10")));
    first_round(&c);
    let plans_then = sha256(&c.path("plans.csv"));
    let toml_sha = sha256(&c.path("council.toml"));

    // P1's care plan was 10.5 hours a week, not 10: plans.csv corrected.
    //   P1 commissioned 13 × 10.5 = 136.5, delivered 136: net −0.5 h
    //   (tolerance 8% × 136.5 = 10.92: within), −0.5 × 24.00 = −£12.00.
    //   P2 unchanged: −£90.00. Total −£102.00: the council recovers £102.00.
    //   The difference from the £54.00 paid: −£102.00 − £54.00 = −£156.00.
    c.write("plans.csv", &plans_csv("10.5"));
    let plans_now = sha256(&c.path("plans.csv"));
    let reason = "P1's plan corrected to 10.5 hours a week";
    let out = c.reconcile("Gareth Evans", &["--recalculation", reason]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "Ledger: SUP00123's authorised settlement was £54.00 (version 1) and is -£102.00 under the council's files as now: a difference of £156.00 owed to the council."
        ),
        "{}",
        out.stderr
    );
    assert_eq!(
        c.versions()[1],
        (2, "settings".into(), Some(reason.into()), "Gareth Evans".into())
    );
    assert_eq!(c.file_sha(1, "plans"), Some(plans_then));
    assert_eq!(c.file_sha(2, "plans"), Some(plans_now));
    assert_eq!(c.file_sha(1, "council settings"), Some(toml_sha.clone()));
    assert_eq!(c.file_sha(2, "council settings"), Some(toml_sha));

    // By sign, the difference goes in the invoices file: £156.00 to recover.
    c.export_nothing("payments");
    let lines = c.export("invoices");
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["Amount"], "156.00");
    assert_eq!(lines[0]["Line"], "difference");
    assert_eq!(
        lines[0]["Note"],
        "version 2 (settings: P1's plan corrected to 10.5 hours a week): £54.00 exported before \
         for the period from 06/04/2026, -£102.00 due now: this line is the difference"
    );
}

#[test]
fn status_lists_returns_recorded_under_changed_council_files_and_what_to_run() {
    let c = Council::new(&council_toml("24.00", true), Some(&plans_csv("10")));
    first_round(&c);
    // Nothing has changed: nothing to list.
    assert_eq!(c.status_json()["council_files_changed"], serde_json::json!([]));
    assert!(!c.status(&[]).stdout.contains("council's files changed"));

    c.write("council.toml", &council_toml("24.50", true));
    c.write("plans.csv", &plans_csv("10.5"));
    let json = c.status_json();
    let stale = json["council_files_changed"].as_array().unwrap();
    assert_eq!(stale.len(), 1, "{json:#}");
    let s = &stale[0];
    assert_eq!(s["reference"], "SUP00123");
    assert_eq!(s["version"], 1);
    assert_eq!(s["file"], "return.xlsx");
    assert_eq!(s["officer"], "Siân Thomas");
    assert_eq!(
        s["files"],
        serde_json::json!([
            {"role": "council settings", "path": c.arg("council.toml"), "change": "changed"},
            {"role": "plans", "path": c.arg("plans.csv"), "change": "changed"},
        ])
    );
    let command: Vec<String> = s["command"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        command,
        vec![
            "yourchoice".to_string(),
            "reconcile".into(),
            "return.xlsx".into(),
            "--council".into(),
            c.arg("council.toml"),
            "--ledger".into(),
            c.arg("ledger.db"),
            "--recalculation".into(),
            "REASON".into(),
        ]
    );

    // As text, within the width given: the line naming the files, and the
    // command broken at its arguments with ` \` so it still runs as pasted.
    let text = c.status(&["--width", "60"]).stdout;
    let section = &text[text.find("The council's files changed").expect(&text)..];
    for line in section.lines() {
        assert!(line.chars().count() <= 60, "over 60 columns: {line:?}\n{section}");
    }
    let joined = section
        .replace(" \\\n", " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        joined.contains(&format!(
            "): changed since: {}, {}.",
            c.arg("council.toml"),
            c.arg("plans.csv")
        )),
        "{section}"
    );
    assert!(
        joined.contains("SUP00123 (Test Care Ltd), version 1"),
        "{section}"
    );
    assert!(
        joined.contains("yourchoice reconcile return.xlsx --council"),
        "{section}"
    );
    assert!(joined.contains("--recalculation REASON"), "{section}");

    // The command, run with the return's path and a reason, records the
    // recalculation; after it, nothing is listed.
    let mut args: Vec<String> = command[1..].to_vec();
    args[1] = c.arg("return.xlsx");
    *args.last_mut().unwrap() = "backdated uplift and P1's plan corrected".into();
    args.extend(["--officer".into(), "Gareth Evans".into(), "--no-report".into()]);
    let out = yourchoice(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(c.versions()[1].1, "settings");
    assert_eq!(c.status_json()["council_files_changed"], serde_json::json!([]));
}

#[test]
fn status_without_the_council_files_compares_nothing() {
    let c = Council::new(&council_toml("24.00", false), None);
    first_round(&c);
    c.write("council.toml", &council_toml("24.50", false));
    let ledger = c.arg("ledger.db");
    let out = yourchoice(&["status", "--ledger", &ledger, "--period", PERIOD, "--json"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    assert!(json.get("council_files_changed").is_none(), "{json:#}");
}

#[test]
fn a_change_that_leaves_the_figures_as_they_were_is_recorded_as_checked_only_with_a_reason() {
    let c = Council::new(&council_toml("24.00", false), None);
    first_round(&c);
    // Another provider added to council.toml: its SHA-256 changes, but not
    // one of SUP00123's figures.
    let toml = format!(
        "{}\n[[provider]]\nreference = \"SUP00999\"\nname = \"Other Care Ltd\"\nrates = [ {{ from = \"2026-04-06\", rate = \"25.00\" }} ]\n",
        council_toml("24.00", false)
    );
    c.write("council.toml", &toml);
    assert_eq!(
        c.status_json()["council_files_changed"].as_array().unwrap().len(),
        1
    );

    // Without a reason: already recorded, nothing new; the officer is told
    // the figures are the same and how to record the check.
    let out = c.reconcile("Gareth Evans", &[]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(out.stderr.contains("is already recorded"), "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "Ledger: the council's files changed since version 1 of SUP00123's return for the period from 06/04/2026 was recorded, and return.xlsx gives the same figures under them: nothing to pay or recover."
        ),
        "{}",
        out.stderr
    );
    assert_eq!(c.versions().len(), 1);

    // With one: a settings version of the same figures, £0.00 difference,
    // nothing to export, and status lists nothing.
    let out = c.reconcile(
        "Gareth Evans",
        &["--resubmission", "SUP00999 added; SUP00123 checked"],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "Ledger: SUP00123's authorised settlement was £54.00 (version 1) and is £54.00 under the council's files as now: no difference to pay or recover."
        ),
        "{}",
        out.stderr
    );
    assert_eq!(c.versions()[1].1, "settings");
    assert_eq!(
        c.file_sha(2, "council settings"),
        Some(sha256(&c.path("council.toml")))
    );
    c.export_nothing("payments");
    c.export_nothing("invoices");
    assert_eq!(c.status_json()["council_files_changed"], serde_json::json!([]));
    // And run once more, it is already recorded, with nothing more to say.
    let out = c.reconcile("Gareth Evans", &["--resubmission", "again"]);
    assert!(out.stderr.contains("is already recorded"), "{}", out.stderr);
    assert!(!out.stderr.contains("gives the same figures"), "{}", out.stderr);
    assert_eq!(c.versions().len(), 2);
}
