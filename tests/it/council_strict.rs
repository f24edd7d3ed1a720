//! The council's own files read as strictly as a provider's return (issue
//! 22), through the real binary with real files: mistakes a busy officer
//! makes and files an adversary would craft, each refused at the line that
//! causes it (exit 2, nothing on stdout), never a wrong figure.
//!
//! The return every test reconciles ([`Return::valid`] with one change):
//! Test Care Ltd (SUP00123), period from Monday 06/04/2026, P1 with a bundle
//! of 10 hours. Two shapes:
//! - `in_tolerance`: week 1 has 12 hours, the other twelve 10: delivered
//!   132 against 130 commissioned, +2 hours (1.5%, inside 8%), so
//!   authorised at the council's £24.00 an hour: +£48.00.
//! - `referred`: week 1 has 30 hours: +20 hours (15.4%), referred and held
//!   at +£480.00 (20 × £24.00) until an officer decides.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::common::bin;
use crate::common::doc::Doc;
use crate::common::workbook::{Return, n};

const COUNCIL: &str = "plans = \"plans.csv\"\n\n[[provider]]\nreference = \"SUP00123\"\n\n[[provider.rates]]\nfrom = \"2026-04-06\"\nrate = \"24.00\"\n";
const PLANS: &str = "Person ID,Provider reference,Weekly bundle,From,To\nP1,SUP00123,10,2026-04-06,\n";
const DECISIONS_HEADER: &str = "Provider reference,Person ID,Decision,Reason,Officer,Period start\n";

/// One run's folder: council.toml, plans.csv and the return.
struct Run {
    dir: tempfile::TempDir,
}

impl Run {
    /// A folder with `council` as council.toml, `plans` as plans.csv and the
    /// return with week 1 holding `week1` hours.
    fn new(council: &str, plans: &str, week1: f64) -> Run {
        let run = Run {
            dir: tempfile::tempdir().unwrap(),
        };
        run.write("council.toml", council.as_bytes());
        run.write("plans.csv", plans.as_bytes());
        let mut r = Return::valid();
        let week1_col = r.col_or_panic("Week 1");
        r.rows[0][week1_col] = n(week1);
        r.save(run.dir.path(), "return.xlsx");
        run
    }

    fn in_tolerance(council: &str, plans: &str) -> Run {
        Run::new(council, plans, 12.0)
    }

    fn referred() -> Run {
        Run::new(COUNCIL, PLANS, 30.0)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    /// `reconcile return.xlsx --council council.toml --json --no-report`
    /// and `extra`.
    fn reconcile(&self, extra: &[&str]) -> Out {
        let mut args: Vec<String> = vec![
            "reconcile".into(),
            self.path("return.xlsx").display().to_string(),
            "--council".into(),
            self.path("council.toml").display().to_string(),
            "--json".into(),
            "--no-report".into(),
        ];
        args.extend(extra.iter().map(|s| (*s).to_string()));
        run(&args)
    }

    /// As [`Run::reconcile`] with `decisions` as decisions.csv.
    fn with_decisions(&self, decisions: &[u8]) -> Out {
        let path = self.write("decisions.csv", decisions);
        self.reconcile(&["--decisions", path.to_str().unwrap()])
    }
}

struct Out {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Out {
    /// Refused as a usage error: exit 2, no figure on stdout, and stderr
    /// naming `file:line` with every one of `words`.
    fn refused_at(&self, file: &str, line: u64, words: &[&str]) {
        assert_eq!(
            self.code,
            Some(2),
            "stdout: {}\nstderr: {}",
            self.stdout,
            self.stderr
        );
        assert!(self.stdout.is_empty(), "no figures: {}", self.stdout);
        let at = format!("{file}:{line}: ");
        let hit = self
            .stderr
            .lines()
            .find(|l| l.contains(&at))
            .unwrap_or_else(|| panic!("{at:?} not in: {}", self.stderr));
        for w in words {
            assert!(hit.contains(w), "{w:?} not in: {hit}");
        }
    }

    /// Refused as a usage error naming the file as a whole (no line).
    fn refused(&self, words: &[&str]) {
        assert_eq!(
            self.code,
            Some(2),
            "stdout: {}\nstderr: {}",
            self.stdout,
            self.stderr
        );
        assert!(self.stdout.is_empty(), "no figures: {}", self.stdout);
        assert_eq!(self.stderr.lines().count(), 1, "one line: {}", self.stderr);
        for w in words {
            assert!(self.stderr.contains(w), "{w:?} not in: {}", self.stderr);
        }
        assert!(!self.stderr.contains("os error"), "{}", self.stderr);
    }

    fn doc(&self) -> Doc {
        assert_eq!(self.code, Some(0), "stderr: {}", self.stderr);
        serde_json::from_str(self.stdout.lines().next().unwrap()).unwrap()
    }
}

fn run(args: &[String]) -> Out {
    let out = bin::yourchoice().args(args).output().unwrap();
    Out {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn name(path: &Path) -> String {
    path.display().to_string()
}

// ---------------------------------------------------------------------------
// The figures the files are meant to give, so each refusal below is of a
// file that would otherwise have changed them.

#[test]
fn the_files_as_meant_give_the_hand_worked_figures() {
    let run = Run::in_tolerance(COUNCIL, PLANS);
    let doc = run.reconcile(&[]).doc();
    let s = doc.people[0].settlement.as_ref().unwrap();
    assert_eq!((s.amount.as_str(), s.authorised), ("48.00", true));
    let run = Run::referred();
    let doc = run.reconcile(&[]).doc();
    let s = doc.people[0].settlement.as_ref().unwrap();
    assert_eq!((s.amount.as_str(), s.authorised), ("480.00", false));
}

// ---------------------------------------------------------------------------
// Keys compared as they are matched

#[test]
fn two_provider_tables_differing_only_in_case_are_refused_naming_both() {
    // Lines 3 and 10: the second's £99.00 would price the whole return
    // (+2 hours at £99.00 = £198.00 instead of £48.00).
    let council = format!(
        "{COUNCIL}\n[[provider]]\nreference = \"sup00123 \"\n\n[[provider.rates]]\nfrom = \"2026-04-06\"\nrate = \"99.00\"\n"
    );
    let run = Run::in_tolerance(&council, PLANS);
    let out = run.reconcile(&[]);
    out.refused_at(&name(&run.path("council.toml")), 11, &["given twice", "line 4"]);
}

#[test]
fn a_rate_with_a_space_inside_is_refused_not_read_as_2485() {
    let council = COUNCIL.replace("\"24.00\"", "\"24 85\"");
    let run = Run::in_tolerance(&council, PLANS);
    run.reconcile(&[]).refused_at(
        &name(&run.path("council.toml")),
        8,
        &["\"24 85\"", "space inside"],
    );
    let council = COUNCIL.replace("\"24.00\"", "\"24,85\"");
    let run = Run::in_tolerance(&council, PLANS);
    run.reconcile(&[])
        .refused_at(&name(&run.path("council.toml")), 8, &["decimal comma"]);
}

#[test]
fn every_bad_value_of_council_toml_is_named_in_one_run() {
    // Line 8 a rate in words, line 14 a cap that is not money.
    let council = format!(
        "{}\n[[max_weekly_charge]]\nfrom = \"2026-04-06\"\namount = \"lots\"\n",
        COUNCIL.replace("\"24.00\"", "\"twenty\"")
    );
    let run = Run::in_tolerance(&council, PLANS);
    let out = run.reconcile(&[]);
    let file = name(&run.path("council.toml"));
    out.refused_at(&file, 8, &["\"twenty\""]);
    out.refused_at(&file, 12, &["\"lots\""]);
}

#[test]
fn an_overlapping_plan_in_another_case_is_refused() {
    let plans = format!("{PLANS}p1 ,sup00123,12,2026-05-04,\n");
    let run = Run::in_tolerance(COUNCIL, &plans);
    run.reconcile(&[])
        .refused_at(&name(&run.path("plans.csv")), 3, &["overlaps the plan on line 2"]);
}

#[test]
fn every_bad_plan_line_is_named_not_only_the_first() {
    let plans = format!(
        "{PLANS}P2,SUP00123,ten,2026-04-06,\nP3,SUP00123,10,someday,\nP4,SUP00123,10,2026-04-06,2026-01-01\n"
    );
    let run = Run::in_tolerance(COUNCIL, &plans);
    let out = run.reconcile(&[]);
    let file = name(&run.path("plans.csv"));
    assert!(out.stderr.starts_with("yourchoice: 3 lines of"), "{}", out.stderr);
    out.refused_at(&file, 3, &["\"ten\""]);
    out.refused_at(&file, 4, &["\"someday\""]);
    out.refused_at(&file, 5, &["before From"]);
}

// ---------------------------------------------------------------------------
// Decisions

#[test]
fn a_person_authorised_for_a_period_and_held_for_any_is_refused() {
    let run = Run::referred();
    let decisions = format!(
        "{DECISIONS_HEADER}SUP00123,P1,authorise,agreed at the meeting,J Jones,2026-04-06\nsup00123, p1 ,hold,waiting for the family,A Evans,\n"
    );
    let out = run.with_decisions(decisions.as_bytes());
    out.refused_at(
        &name(&run.path("decisions.csv")),
        3,
        &["second decision for p1", "first is on line 2"],
    );
}

#[test]
fn an_open_quote_in_a_reason_stops_the_run_instead_of_swallowing_a_line() {
    // Line 2's reason opens a quote; line 3 (the authorisation) would have
    // been read into it and P1 left held without a word.
    let run = Run::referred();
    let decisions = format!(
        "{DECISIONS_HEADER}SUP00999,P9,hold,\"family away,J Jones,\nSUP00123,P1,authorise,agreed,J Jones,\n"
    );
    let out = run.with_decisions(decisions.as_bytes());
    out.refused_at(
        &name(&run.path("decisions.csv")),
        2,
        &["opens a quote", "lines 2 to 3"],
    );
}

#[test]
fn a_comma_in_an_unquoted_reason_is_refused_not_shifted_into_the_officer() {
    let run = Run::referred();
    let decisions = "Provider reference,Person ID,Decision,Reason,Officer\nSUP00123,P1,authorise,agreed, see notes,J Jones\n";
    let out = run.with_decisions(decisions.as_bytes());
    out.refused_at(
        &name(&run.path("decisions.csv")),
        2,
        &["6 values but the header has 5 columns", "in quotes"],
    );
}

#[test]
fn a_stray_windows_1252_byte_in_a_utf8_file_is_refused_at_its_line() {
    let run = Run::referred();
    let mut decisions = DECISIONS_HEADER.as_bytes().to_vec();
    decisions.extend("SUP00999,P9,hold,with Siân,J Jones,\n".as_bytes());
    // Windows-1252's £ (0xA3) in an otherwise UTF-8 file.
    decisions.extend(b"SUP00123,P1,authorise,cost \xA3480 agreed,J Jones,\n");
    let out = run.with_decisions(&decisions);
    out.refused_at(&name(&run.path("decisions.csv")), 3, &["0xA3", "UTF-8"]);
}

#[test]
fn a_whole_windows_1252_file_is_read_as_excel_wrote_it() {
    let run = Run::referred();
    let mut decisions = DECISIONS_HEADER.as_bytes().to_vec();
    // Excel's "CSV" on Windows: â is 0xE2.
    decisions.extend(b"SUP00123,P1,authorise,agreed,Si\xE2n Thomas,\n");
    let doc = run.with_decisions(&decisions).doc();
    let s = doc.people[0].settlement.as_ref().unwrap();
    assert_eq!((s.amount.as_str(), s.authorised), ("480.00", true));
    assert_eq!(s.decision.as_ref().unwrap().officer, "Siân Thomas");
}

#[test]
fn excel_sep_line_and_semicolons_are_read() {
    let run = Run::referred();
    let decisions = "sep=;\nProvider reference;Person ID;Decision;Reason;Officer;Amount\nSUP00123;P1;authorise;agreed, after review;J Jones;480,00\n";
    let out = run.with_decisions(decisions.as_bytes());
    // The amount's decimal comma is named at its own line (3, after the
    // sep line): a European Excel wrote it.
    out.refused_at(&name(&run.path("decisions.csv")), 3, &["decimal comma"]);
    let fixed = decisions.replace("480,00", "480.00");
    let doc = run.with_decisions(fixed.as_bytes()).doc();
    let s = doc.people[0].settlement.as_ref().unwrap();
    assert_eq!((s.amount.as_str(), s.authorised), ("480.00", true));
    assert_eq!(s.decision.as_ref().unwrap().reason, "agreed, after review");
}

// ---------------------------------------------------------------------------
// Bounded: regular files only, size and line caps

/// Run `args` and wait at most 20 s: a FIFO must be refused, not block.
fn run_within(args: &[String]) -> Out {
    let mut child = bin::yourchoice_std()
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(20) {
            child.kill().unwrap();
            panic!("blocked for 20 s on {args:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    Out {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path; mkfifo only creates a file.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
}

#[test]
fn a_fifo_as_plans_decisions_or_people_is_refused_at_once() {
    let run = Run::referred();
    let fifo = run.path("pipe.csv");
    mkfifo(&fifo);
    let council = COUNCIL.replace("plans.csv", "pipe.csv");
    run.write("council.toml", council.as_bytes());
    run_within(&[
        "reconcile".into(),
        name(&run.path("return.xlsx")),
        "--council".into(),
        name(&run.path("council.toml")),
    ])
    .refused_at(&name(&run.path("council.toml")), 1, &["not an ordinary file"]);
    run.write("council.toml", COUNCIL.as_bytes());
    run_within(&[
        "reconcile".into(),
        name(&run.path("return.xlsx")),
        "--council".into(),
        name(&run.path("council.toml")),
        "--decisions".into(),
        name(&fifo),
    ])
    .refused(&["pipe.csv", "not an ordinary file"]);
    run_within(&[
        "template".into(),
        "--provider-ref".into(),
        "SUP00123".into(),
        "--period-start".into(),
        "2026-04-06".into(),
        "--people".into(),
        name(&fifo),
        "-o".into(),
        name(&run.path("t.xlsx")),
    ])
    .refused(&["pipe.csv", "not an ordinary file"]);
    assert!(!run.path("t.xlsx").exists());
}

#[test]
fn a_device_a_folder_and_a_fifo_return_are_one_clear_line() {
    let run = Run::referred();
    run.reconcile(&["--decisions", "/dev/zero"])
        .refused(&["/dev/zero", "not an ordinary file"]);
    let dir = name(run.dir.path());
    run.reconcile(&["--decisions", &dir]).refused(&["is a folder"]);
    let fifo = run.path("return-pipe.xlsx");
    mkfifo(&fifo);
    run_within(&["check".into(), name(&fifo)]).refused(&["return-pipe.xlsx", "not an ordinary file"]);
}

#[test]
fn a_decisions_file_past_the_size_cap_is_refused_unread() {
    let run = Run::referred();
    let big = run.path("decisions.csv");
    // 65 MiB, sparse: refused by its size before a byte is read.
    std::fs::File::create(&big).unwrap().set_len(65 << 20).unwrap();
    run.reconcile(&["--decisions", big.to_str().unwrap()])
        .refused(&["decisions.csv", "68.2 MB", "67.1 MB"]);
}

#[test]
fn a_line_past_the_line_cap_is_refused_at_its_line() {
    let run = Run::referred();
    let mut decisions = DECISIONS_HEADER.as_bytes().to_vec();
    decisions.extend(vec![b'x'; 1 << 20]);
    decisions.push(b'\n');
    let out = run.with_decisions(&decisions);
    out.refused_at(&name(&run.path("decisions.csv")), 2, &["1048576 bytes long"]);
}

#[test]
fn a_council_toml_of_a_million_provider_tables_is_refused_by_size() {
    let run = Run::referred();
    let table = "[[provider]]\nreference = \"SUP00001\"\n";
    run.write("council.toml", table.repeat(1_000_000).as_bytes());
    run.reconcile(&[]).refused(&["council.toml", "1.0 MB"]);
    // Just under the cap: parsed, and the duplicate named (not an abort).
    let under = table.repeat((1 << 20) / table.len());
    run.write("council.toml", under.as_bytes());
    let out = run.reconcile(&[]);
    out.refused_at(&name(&run.path("council.toml")), 4, &["given twice", "line 2"]);
}

// ---------------------------------------------------------------------------
// Clear

#[test]
fn a_name_longer_than_a_cell_holds_is_named_by_file_and_line() {
    let run = Run::referred();
    let people = format!(
        "Person ID,Name,Weekly bundle\nP1,Ann,10\nP2,{},10\n",
        "N".repeat(40_000)
    );
    let path = run.write("people.csv", people.as_bytes());
    let out = run_within(&[
        "template".into(),
        "--provider-ref".into(),
        "SUP00123".into(),
        "--period-start".into(),
        "2026-04-06".into(),
        "--people".into(),
        name(&path),
        "-o".into(),
        name(&run.path("t.xlsx")),
    ]);
    out.refused_at(&name(&path), 3, &["Name is 40000 characters long", "32767"]);
    assert!(!run.path("t.xlsx").exists());
}

#[test]
fn an_open_quote_in_plans_is_one_line_not_the_file() {
    let plans = format!(
        "{PLANS}P2,\"SUP00123,10,2026-04-06,\n{}",
        "P3,SUP00123,10,2026-04-06,\n".repeat(20)
    );
    let run = Run::in_tolerance(COUNCIL, &plans);
    let out = run.reconcile(&[]);
    out.refused_at(
        &name(&run.path("plans.csv")),
        3,
        &["opens a quote", "lines 3 to 23"],
    );
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert!(out.stderr.len() < 400, "{}", out.stderr);
}

#[test]
fn a_money_value_in_a_file_is_read_as_strictly_as_in_a_return() {
    let run = Run::referred();
    let decisions = "Provider reference,Person ID,Decision,Reason,Officer,Amount\nSUP00123,P1,authorise,agreed,J Jones,4 80\n";
    run.with_decisions(decisions.as_bytes()).refused_at(
        &name(&run.path("decisions.csv")),
        2,
        &["\"4 80\"", "space inside"],
    );
}

#[test]
fn a_fifo_or_device_as_the_ledger_is_refused_at_once() {
    let run = Run::referred();
    let fifo = run.path("ledger.db");
    mkfifo(&fifo);
    for ledger in [name(&fifo), "/dev/zero".to_string()] {
        let out = run_within(&["status".into(), "--ledger".into(), ledger.clone()]);
        out.refused(&[&ledger, "not an ordinary file"]);
    }
    // Nothing made beside the pipe.
    let mut names: Vec<String> = std::fs::read_dir(run.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["council.toml", "ledger.db", "plans.csv", "return.xlsx"]);
}

#[test]
fn an_id_with_a_character_that_does_not_show_is_refused_in_every_council_file() {
    // "P1" followed by a zero-width space (U+200B): it reads as P1.
    let plans = format!("{PLANS}P1\u{200b},SUP00123,12,2027-04-05,\n");
    let run = Run::in_tolerance(COUNCIL, &plans);
    run.reconcile(&[])
        .refused_at(&name(&run.path("plans.csv")), 3, &["does not show (U+200B)"]);
    let run = Run::referred();
    let decisions = format!("{DECISIONS_HEADER}SUP00123,P1\u{200b},authorise,agreed,J Jones,\n");
    run.with_decisions(decisions.as_bytes()).refused_at(
        &name(&run.path("decisions.csv")),
        2,
        &["does not show (U+200B)"],
    );
    let council = COUNCIL.replace("\"SUP00123\"", "\"SUP\u{a0}00123\"");
    let run = Run::in_tolerance(&council, PLANS);
    run.reconcile(&[])
        .refused_at(&name(&run.path("council.toml")), 4, &["does not show (U+00A0)"]);
}

// ---------------------------------------------------------------------------
// Found by an adversarial trial of the council's files

#[test]
fn a_column_named_twice_is_refused_not_read_from_the_first() {
    // The first Decision column says hold, the second authorise.
    let run = Run::referred();
    let decisions = "Provider reference,Person ID,Decision,Reason,Officer,Decision\nSUP00123,P1,hold,agreed,J Jones,authorise\n";
    run.with_decisions(decisions.as_bytes()).refused_at(
        &name(&run.path("decisions.csv")),
        1,
        &["\"Decision\" twice (columns C and F)"],
    );
    let plans =
        "Person ID,Provider reference,Weekly bundle,From,To,Weekly bundle\nP1,SUP00123,10,2026-04-06,,99\n";
    let run = Run::in_tolerance(COUNCIL, plans);
    run.reconcile(&[]).refused_at(
        &name(&run.path("plans.csv")),
        1,
        &["\"Weekly bundle\" twice (columns C and F)"],
    );
}

#[test]
fn figures_finer_than_a_second_or_a_penny_are_refused() {
    // 8.4999999999999 hours is 30,599.99999999964 seconds: a float left
    // over from an export, not a bundle anyone set.
    let plans = PLANS.replace(",10,", ",8.4999999999999,");
    let run = Run::in_tolerance(COUNCIL, &plans);
    run.reconcile(&[])
        .refused_at(&name(&run.path("plans.csv")), 2, &["to the second at the finest"]);
    let run = Run::referred();
    let decisions = "Provider reference,Person ID,Decision,Reason,Officer,Amount\nSUP00123,P1,authorise,agreed,J Jones,480.0000001\n";
    run.with_decisions(decisions.as_bytes()).refused_at(
        &name(&run.path("decisions.csv")),
        2,
        &["finer than a penny"],
    );
}

#[test]
fn a_rate_or_tolerance_no_council_could_mean_is_refused() {
    // £2,485 an hour (pence typed as pounds) would pay +2 hours as £4,970.
    let council = COUNCIL.replace("\"24.00\"", "\"2485\"");
    let run = Run::in_tolerance(&council, PLANS);
    run.reconcile(&[]).refused_at(
        &name(&run.path("council.toml")),
        8,
        &["at most £200.00", "pence typed as pounds"],
    );
    // 0.8 is 80%: nobody would ever be referred.
    let council = format!("tolerance = \"0.8\"\n{COUNCIL}");
    let run = Run::in_tolerance(&council, PLANS);
    run.reconcile(&[]).refused_at(
        &name(&run.path("council.toml")),
        1,
        &["is 80%, more than the 25%"],
    );
    // 25% is the most, and still read.
    let council = format!("tolerance = \"25%\"\n{COUNCIL}");
    let run = Run::in_tolerance(&council, PLANS);
    let s = run.reconcile(&[]).doc().people[0].settlement.clone().unwrap();
    assert_eq!((s.amount.as_str(), s.authorised), ("48.00", true));
}

#[test]
fn a_plan_for_a_provider_council_toml_does_not_name_is_refused() {
    let plans = format!("{PLANS}P2,SUP0123,10,2026-04-06,\n");
    let run = Run::in_tolerance(COUNCIL, &plans);
    run.reconcile(&[]).refused_at(
        &name(&run.path("plans.csv")),
        3,
        &["provider SUP0123, which has no [[provider]] table"],
    );
}

#[test]
fn decisions_for_nobody_are_a_hundred_lines_and_a_count() {
    let run = Run::referred();
    let mut decisions = DECISIONS_HEADER.to_string();
    for i in 0..150 {
        decisions.push_str(&format!("SUP00123,X{i},hold,waiting,J Jones,\n"));
    }
    let doc = run.with_decisions(decisions.as_bytes()).doc();
    let unused: Vec<_> = doc
        .findings
        .iter()
        .filter(|f| f.code == "decision-unused")
        .collect();
    assert_eq!(unused.len(), 101);
    assert!(
        unused[100]
            .message
            .starts_with("50 more decision-unused findings"),
        "{}",
        unused[100].message
    );
}

#[test]
fn a_reason_of_nothing_that_shows_is_no_reason_and_ctrl_z_is_no_line() {
    let run = Run::referred();
    let decisions = format!("{DECISIONS_HEADER}SUP00123,P1,authorise,\u{200b},J Jones,\n");
    run.with_decisions(decisions.as_bytes()).refused_at(
        &name(&run.path("decisions.csv")),
        2,
        &["has no Reason"],
    );
    let mut decisions = format!("{DECISIONS_HEADER}SUP00123,P1,authorise,agreed,J Jones,\n").into_bytes();
    decisions.push(0x1A);
    let doc = run.with_decisions(&decisions).doc();
    assert!(doc.people[0].settlement.as_ref().unwrap().authorised);
}

#[test]
fn a_second_decisions_sheet_is_refused_not_ignored() {
    let run = Run::referred();
    let mut wb = rust_xlsxwriter::Workbook::new();
    for sheet in ["Decisions", "Decisions 2"] {
        let ws = wb.add_worksheet().set_name(sheet).unwrap();
        for (c, h) in ["Provider reference", "Person ID", "Decision", "Reason", "Officer"]
            .iter()
            .enumerate()
        {
            ws.write_string(0, c as u16, *h).unwrap();
        }
    }
    let path = run.path("decisions.xlsx");
    wb.save(&path).unwrap();
    let out = run.reconcile(&["--decisions", path.to_str().unwrap()]);
    out.refused(&["decisions.xlsx", "a sheet \"Decisions 2\" beside \"Decisions\""]);
}

#[test]
fn a_bundle_with_a_decimal_comma_says_so() {
    let plans = PLANS.replace(",10,", ",\"7,5\",");
    let run = Run::in_tolerance(COUNCIL, &plans);
    run.reconcile(&[])
        .refused_at(&name(&run.path("plans.csv")), 2, &["\"7,5\"", "decimal comma"]);
}
