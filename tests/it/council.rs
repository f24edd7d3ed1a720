//! The council side (SPEC 4-6, 8.4; issue 10), end to end through the real
//! binary with real files: workbooks written with rust_xlsxwriter, and a
//! real `council.toml`, `plans.csv` and `decisions.csv` in a temporary
//! folder.
//!
//! 1. Every settings error: exit 2, one line on stderr naming the file and
//!    the line (and the key or column).
//! 2. The council's rates, plans and maximum weekly charge winning over a
//!    submission, every figure worked out by hand from SPEC 4.
//! 3. Every decision case (SPEC 6).
//! 4. Two returns of one provider and period in one run.
//! 5. The finance exports (SPEC 8.4): the JSON's figures, the order, a
//!    rejected submission, `-o`, and formula-like text made inert.
//!
//! The workbook [`Return`] writes, and so the cells the tests name:
//!
//! - `Details`: A1 `Provider name`, A2 `Provider reference`, A3 `Period
//!   start` (Monday 06/04/2026 unless a test sets another), A4 `Blended
//!   hourly rate` (where given), values in column B.
//! - `Hours`: a title in A1, the header row in row 6 (`Person ID`, `Name`,
//!   `Weekly bundle`, `Assessed weekly charge`, `Week 1` .. `Week 13` in
//!   A..Q), one person a row from row 7: the first person's bundle is in
//!   `Hours!C7`, the second's ID in `Hours!A8`.
//!
//! The period's weeks (SPEC 1), each commencing on a Monday: week 1
//! 06/04/2026, 2 13/04, 3 20/04, 4 27/04, 5 04/05, 6 11/05, 7 18/05,
//! 8 25/05, 9 01/06, 10 08/06, 11 15/06, 12 22/06, 13 29/06; the period
//! ends on Sunday 05/07/2026.

use std::path::{Path, PathBuf};

use crate::common::bin;
use crate::common::doc::{ChangeInNeed, Charge, Doc, Person, Settlement, Severity, Totals};
use crate::common::workbook::{self, V, WEEKS, t};

// ---------------------------------------------------------------------------
// The workbook

/// Every week `base` hours, except the given (1-based week, hours).
fn weeks(base: f64, except: &[(usize, f64)]) -> [f64; WEEKS] {
    let mut w = [base; WEEKS];
    for (k, h) in except {
        w[k - 1] = *h;
    }
    w
}

/// SPEC 9's P1: bundle 10, week 5 a no-care week, +3 hours net.
const SPEC_P1: [f64; WEEKS] = [12., 12., 12., 10., 0., 10., 9., 9., 9., 10., 10., 10., 10.];
/// SPEC 9's P2: bundle 3, weeks 3-9 one hour under, −7 hours net.
const SPEC_P2: [f64; WEEKS] = [3., 3., 2., 2., 2., 2., 2., 2., 2., 3., 3., 3., 3.];

/// A council format 1 return (`common::workbook::Return`) with an
/// `Assessed weekly charge` column after the bundle: weeks from column E.
#[derive(Clone, Debug)]
struct Return(workbook::Return);

impl Return {
    /// A return with no people: the provider, the period from Monday
    /// 06/04/2026 and, where given, the submission's blended hourly rate.
    fn new(name: &str, reference: &str, rate: Option<f64>) -> Return {
        let mut header = vec![
            t("Person ID"),
            t("Name"),
            t("Weekly bundle"),
            t("Assessed weekly charge"),
        ];
        header.extend((1..=WEEKS).map(|k| t(&format!("Week {k}"))));
        let mut details = vec![
            ("Provider name".to_string(), t(name)),
            ("Provider reference".to_string(), t(reference)),
            ("Period start".to_string(), V::Date(2026, 4, 6)),
        ];
        if let Some(rate) = rate {
            details.push(("Blended hourly rate".to_string(), V::Num(rate)));
        }
        Return(workbook::Return {
            details_sheet: "Details".into(),
            hours_sheet: "Hours".into(),
            details,
            header,
            rows: Vec::new(),
        })
    }

    /// "Test Care Ltd" (SUP00123) at £24.00/hour.
    fn standard() -> Return {
        Return::new("Test Care Ltd", "SUP00123", Some(24.0))
    }

    /// Set a Details value, or add the label on a new row at the end.
    fn detail(self, label: &str, value: V) -> Return {
        Return(self.0.detail(label, value))
    }

    /// A person row at the end, with no assessed charge.
    fn person(self, id: &str, name: &str, bundle: f64, hours: [f64; WEEKS]) -> Return {
        self.person_row(id, name, bundle, None, hours)
    }

    /// A person row at the end, with an assessed weekly charge.
    fn charged(self, id: &str, name: &str, bundle: f64, charge: f64, hours: [f64; WEEKS]) -> Return {
        self.person_row(id, name, bundle, Some(charge), hours)
    }

    fn person_row(
        mut self,
        id: &str,
        name: &str,
        bundle: f64,
        charge: Option<f64>,
        hours: [f64; WEEKS],
    ) -> Return {
        let mut row = vec![t(id), t(name), V::Num(bundle), charge.map_or(V::Blank, V::Num)];
        row.extend(hours.iter().map(|h| V::Num(*h)));
        self.0.rows.push(row);
        self
    }

    /// Make the Person ID of row `i` (0: sheet row 7) a number cell.
    fn numeric_id(mut self, i: usize, id: f64) -> Return {
        self.0.rows[i][0] = V::Num(id);
        self
    }

    /// Blank week `k` of person row `i` (0: sheet row 7).
    fn blank_week(mut self, i: usize, k: usize) -> Return {
        self.0.rows[i][3 + k] = V::Blank;
        self
    }

    /// Write the workbook as `dir/name`.
    fn save(&self, dir: &Path, name: &str) -> PathBuf {
        self.0.save(dir, name)
    }
}

// ---------------------------------------------------------------------------
// The files of a run, and the binary

/// A temporary folder holding one run's files.
struct Files {
    dir: tempfile::TempDir,
}

impl Files {
    fn new() -> Files {
        Files {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Write a text file (council.toml, plans.csv, decisions.csv).
    fn text(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    fn workbook(&self, name: &str, r: &Return) -> PathBuf {
        r.save(self.dir.path(), name)
    }
}

fn s(path: &Path) -> String {
    path.to_str().unwrap().to_string()
}

/// One run of the binary.
struct Out {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: String,
}

impl Out {
    fn stdout(&self) -> &str {
        std::str::from_utf8(&self.stdout).unwrap()
    }

    fn stderr_lines(&self) -> Vec<&str> {
        self.stderr.lines().collect()
    }
}

fn yourchoice(args: &[String]) -> Out {
    let output = bin::yourchoice()
        .args(["--color", "never"])
        .args(args)
        .output()
        .unwrap();
    Out {
        code: output.status.code(),
        stdout: output.stdout,
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// `reconcile FILES... --json --no-report [extra...]`: the JSON documents,
/// one per input in input order.
fn reconcile(inputs: &[&Path], extra: &[String]) -> (Out, Vec<Doc>) {
    let mut args = vec!["reconcile".to_string()];
    args.extend(inputs.iter().map(|p| s(p)));
    args.extend(["--json".to_string(), "--no-report".to_string()]);
    args.extend(extra.iter().cloned());
    let out = yourchoice(&args);
    let docs: Vec<Doc> = out
        .stdout()
        .lines()
        .map(|line| {
            serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("not SPEC 8.2 JSON ({e}): {line}\nstderr: {}", out.stderr))
        })
        .collect();
    assert_eq!(
        docs.len(),
        inputs.len(),
        "one JSON line per input: {}\nstderr: {}",
        out.stdout(),
        out.stderr
    );
    for (doc, input) in docs.iter().zip(inputs) {
        assert_eq!(doc.schema, "yourchoice.reconciliation/1");
        // The file name; the path as given when two inputs share a name.
        let name = input.file_name().unwrap().to_str().unwrap();
        let shared = inputs
            .iter()
            .filter(|i| i.file_name() == input.file_name())
            .count()
            > 1;
        let expected = if shared { input.to_str().unwrap() } else { name };
        assert_eq!(doc.source, expected);
    }
    (out, docs)
}

/// Reconcile one submission that must reconcile (exit 0).
fn reconciled(input: &Path, extra: &[String]) -> Doc {
    let (out, mut docs) = reconcile(&[input], extra);
    let doc = docs.remove(0);
    assert_eq!(
        doc.status, "reconciled",
        "{:#?}\nstderr: {}",
        doc.findings, out.stderr
    );
    assert_eq!(out.code, Some(0), "stderr: {}", out.stderr);
    doc
}

fn council(path: &Path) -> Vec<String> {
    vec!["--council".to_string(), s(path)]
}

fn decisions(path: &Path) -> Vec<String> {
    vec!["--decisions".to_string(), s(path)]
}

// ---------------------------------------------------------------------------
// The JSON (SPEC 8.2): `common::doc`

fn totals(
    authorised: &str,
    method: &str,
    held: &str,
    held_count: usize,
    referred_count: usize,
    refunds: &str,
) -> Totals {
    Totals {
        authorised: authorised.into(),
        method: method.into(),
        held: held.into(),
        held_count,
        referred_count,
        overcharge_refunds: refunds.into(),
    }
}

fn charge(charged: &str, cost: &str, overcharge: &str) -> Charge {
    Charge {
        charged: charged.into(),
        cost_of_care_received: cost.into(),
        overcharge: overcharge.into(),
    }
}

impl Doc {
    fn totals(&self) -> &Totals {
        self.totals
            .as_ref()
            .unwrap_or_else(|| panic!("no totals: {:#?}", self.findings))
    }
}

impl Person {
    fn settlement(&self) -> &Settlement {
        self.settlement
            .as_ref()
            .unwrap_or_else(|| panic!("{} has no settlement", self.person_id))
    }
}

// ---------------------------------------------------------------------------
// 1. Settings errors (SPEC 6: usage errors, exit 2, the file and line named)

/// The run failed on a settings file: exit 2, nothing on stdout, and exactly
/// one line on stderr, `yourchoice: FILE:LINE: message`, the message holding
/// every one of `words`.
fn assert_settings_error(out: &Out, file: &Path, line: u64, words: &[&str]) {
    assert_eq!(out.code, Some(2), "stderr: {}", out.stderr);
    assert!(out.stdout.is_empty(), "stdout: {}", out.stdout());
    let lines = out.stderr_lines();
    assert_eq!(lines.len(), 1, "one line on stderr: {}", out.stderr);
    let head = format!("yourchoice: {}:{line}: ", file.display());
    assert!(lines[0].starts_with(&head), "expected {head:?}...: {}", lines[0]);
    for w in words {
        assert!(lines[0].contains(w), "{w:?} not in: {}", lines[0]);
    }
}

/// Reconcile a valid return with `council.toml` holding `toml` (and
/// `plans.csv` holding `plans`, when given).
fn with_council(toml: &str, plans: Option<&str>) -> (Files, PathBuf, Out) {
    let files = Files::new();
    let toml_path = files.text("council.toml", toml);
    if let Some(plans) = plans {
        files.text("plans.csv", plans);
    }
    let input = files.workbook(
        "return.xlsx",
        &Return::standard().person("P1", "Ann", 10.0, weeks(10.0, &[])),
    );
    let out = run_reconcile_raw(&input, &council(&toml_path));
    (files, toml_path, out)
}

/// `reconcile FILE --json --no-report extra...` without reading the JSON
/// (a settings error gives none).
fn run_reconcile_raw(input: &Path, extra: &[String]) -> Out {
    let mut args = vec![
        "reconcile".to_string(),
        s(input),
        "--json".to_string(),
        "--no-report".to_string(),
    ];
    args.extend(extra.iter().cloned());
    yourchoice(&args)
}

fn toml_error(toml: &str, line: u64, words: &[&str]) {
    let (_files, path, out) = with_council(toml, None);
    assert_settings_error(&out, &path, line, words);
}

#[test]
fn an_unknown_key_is_named_with_its_line() {
    toml_error(
        "tolerance = \"8%\"\nperiod_weeks = 13\ncolour = \"blue\"\n",
        3,
        &["unknown field", "colour"],
    );
}

#[test]
fn an_unknown_key_in_a_provider_table_is_named_with_its_line() {
    // `rate` (not `rates`) on line 4, inside the [[provider]] table.
    toml_error(
        "tolerance = \"8%\"\n[[provider]]\nreference = \"SUP00123\"\nrate = \"24.00\"\n",
        4,
        &["unknown field", "rate"],
    );
}

#[test]
fn an_unknown_key_in_a_rate_is_named_with_its_line() {
    toml_error(
        "[[provider]]\nreference = \"SUP00123\"\nrates = [\n  { from = \"2026-04-06\", rate = \"24.00\", to = \"2027-04-04\" },\n]\n",
        4,
        &["unknown field", "to"],
    );
}

#[test]
fn a_bare_tolerance_of_8_is_refused_as_ambiguous() {
    // "8" could be 8% or 800%: only "8%" or "0.08" is accepted.
    toml_error(
        "period_weeks = 13\ntolerance = \"8\"\n",
        2,
        &["tolerance", "\"8\"", "8%", "0.08"],
    );
}

#[test]
fn a_tolerance_in_words_is_refused() {
    toml_error("tolerance = \"eight\"\n", 1, &["tolerance", "\"eight\""]);
}

#[test]
fn a_tolerance_over_100_percent_is_refused() {
    toml_error("\ntolerance = \"150%\"\n", 2, &["tolerance", "\"150%\""]);
}

#[test]
fn an_unquoted_tolerance_asks_for_quotes() {
    toml_error("tolerance = 8\n", 1, &["tolerance", "quotes"]);
}

#[test]
fn period_weeks_out_of_range() {
    toml_error(
        "tolerance = \"8%\"\nperiod_weeks = 0\n",
        2,
        &["period_weeks", "0", "1 to 53"],
    );
    toml_error("period_weeks = 54\n", 1, &["period_weeks", "54", "1 to 53"]);
}

#[test]
fn sustained_weeks_longer_than_the_period() {
    // A run of 13 weeks cannot happen in a 12-week period.
    toml_error(
        "period_weeks = 12\nsustained_weeks = 13\n",
        2,
        &["sustained_weeks", "13", "1 to 12"],
    );
}

#[test]
fn a_cap_date_that_is_not_a_date() {
    // There is no 30 February.
    toml_error(
        "[[max_weekly_charge]]\nfrom = \"2026-02-30\"\namount = \"100.00\"\n",
        2,
        &["max_weekly_charge from", "2026-02-30", "not a date"],
    );
}

#[test]
fn a_rate_date_that_is_not_a_date() {
    // 04/30/2026 is US order: month 30 in UK order, never guessed.
    toml_error(
        "[[provider]]\nreference = \"SUP00123\"\nrates = [\n  { from = \"04/30/2026\", rate = \"24.00\" },\n]\n",
        4,
        &["rate from", "04/30/2026", "not a date"],
    );
}

#[test]
fn a_cap_that_is_not_money() {
    toml_error(
        "[[max_weekly_charge]]\nfrom = \"2026-04-06\"\namount = \"-5\"\n",
        3,
        &["max_weekly_charge amount", "-5"],
    );
}

#[test]
fn a_rate_that_is_not_money() {
    toml_error(
        "[[provider]]\nreference = \"SUP00123\"\nrates = [\n  { from = \"2026-04-06\", rate = \"twenty\" },\n]\n",
        4,
        &["rate", "twenty", "SUP00123"],
    );
}

#[test]
fn a_rate_of_zero() {
    toml_error(
        "[[provider]]\nreference = \"SUP00123\"\nrates = [\n  { from = \"2025-04-07\", rate = \"23.90\" },\n  { from = \"2026-04-06\", rate = \"0\" },\n]\n",
        5,
        &["rate", "\"0\"", "SUP00123", "more than 0"],
    );
}

#[test]
fn two_rates_of_one_provider_from_the_same_date() {
    // 2026-04-06 and 06/04/2026 are the same day: the second (line 5) is named.
    toml_error(
        "[[provider]]\nreference = \"SUP00123\"\nrates = [\n  { from = \"2026-04-06\", rate = \"24.00\" },\n  { from = \"06/04/2026\", rate = \"25.00\" },\n]\n",
        5,
        &["SUP00123", "two entries from 2026-04-06"],
    );
}

#[test]
fn two_caps_from_the_same_date() {
    toml_error(
        "[[max_weekly_charge]]\nfrom = \"2026-04-06\"\namount = \"100.00\"\n\n[[max_weekly_charge]]\nfrom = \"2026-04-06\"\namount = \"90.00\"\n",
        6,
        &["max_weekly_charge", "two entries from 2026-04-06"],
    );
}

#[test]
fn the_same_provider_twice() {
    toml_error(
        "[[provider]]\nreference = \"SUP00123\"\nname = \"A\"\n\n[[provider]]\nreference = \"SUP00123\"\nname = \"B\"\n",
        6,
        &["SUP00123", "twice"],
    );
}

#[test]
fn a_missing_plans_file_names_the_plans_line_of_the_toml() {
    let (files, path, out) = with_council("tolerance = \"8%\"\nplans = \"missing.csv\"\n", None);
    assert_settings_error(
        &out,
        &path,
        2,
        &["plans = \"missing.csv\"", &s(&files.path("missing.csv"))],
    );
}

#[test]
fn a_missing_council_file_is_named() {
    let files = Files::new();
    let input = files.workbook(
        "return.xlsx",
        &Return::standard().person("P1", "Ann", 10.0, weeks(10.0, &[])),
    );
    let missing = files.path("council.toml");
    let out = run_reconcile_raw(&input, &council(&missing));
    assert_eq!(out.code, Some(2));
    assert_eq!(out.stderr_lines().len(), 1, "{}", out.stderr);
    assert!(
        out.stderr
            .starts_with(&format!("yourchoice: cannot read {}", missing.display())),
        "{}",
        out.stderr
    );
}

/// The settings error is the same whichever command reads the settings.
#[test]
fn check_and_export_refuse_the_same_settings() {
    let files = Files::new();
    let toml = files.text("council.toml", "tolerance = \"8%\"\nperiod_weeks = 99\n");
    let input = files.workbook(
        "return.xlsx",
        &Return::standard().person("P1", "Ann", 10.0, weeks(10.0, &[])),
    );
    for command in [
        vec!["check".to_string(), s(&input)],
        vec!["export".to_string(), "payments".to_string(), s(&input)],
    ] {
        let mut args = command;
        args.extend(council(&toml));
        let out = yourchoice(&args);
        assert_settings_error(&out, &toml, 2, &["period_weeks", "99"]);
    }
}

const PLANS_HEADER: &str = "Person ID,Provider reference,Weekly bundle,From,To\n";

fn plans_error(rows: &str, line: u64, words: &[&str]) {
    let (files, _, out) = with_council("plans = \"plans.csv\"\n", Some(&format!("{PLANS_HEADER}{rows}")));
    assert_settings_error(&out, &files.path("plans.csv"), line, words);
}

#[test]
fn plans_without_a_header_column() {
    let (files, _, out) = with_council(
        "plans = \"plans.csv\"\n",
        Some("Person ID,Provider reference,From,To\nP1,SUP00123,2026-04-06,\n"),
    );
    assert_settings_error(&out, &files.path("plans.csv"), 1, &["Weekly bundle", "header"]);
}

#[test]
fn a_plan_bundle_of_zero() {
    plans_error("P1,SUP00123,0,2026-04-06,\n", 2, &["Weekly bundle", "\"0\""]);
}

#[test]
fn a_plan_bundle_over_a_week() {
    plans_error(
        "P1,SUP00123,10,2026-04-06,\nP2,SUP00123,200,2026-04-06,\n",
        3,
        &["Weekly bundle", "\"200\"", "168"],
    );
}

#[test]
fn a_plan_bundle_in_words() {
    plans_error("P1,SUP00123,ten,2026-04-06,\n", 2, &["Weekly bundle", "\"ten\""]);
}

#[test]
fn a_plan_from_that_is_not_a_date() {
    plans_error(
        "P1,SUP00123,10,2026-04-31,\n",
        2,
        &["From", "2026-04-31", "not a date"],
    );
}

#[test]
fn a_plan_to_that_is_not_a_date() {
    plans_error(
        "P1,SUP00123,10,2026-04-06,soon\n",
        2,
        &["To", "soon", "not a date"],
    );
}

#[test]
fn a_plan_ending_before_it_starts() {
    plans_error(
        "P1,SUP00123,10,06/04/2026,05/04/2026\n",
        2,
        &["To 2026-04-05", "before From 2026-04-06"],
    );
}

#[test]
fn two_overlapping_plans_of_one_person() {
    // Line 2 runs to 10/05; line 4 starts on 10/05, the same day: they
    // overlap. The later line (4) is named, citing line 2.
    plans_error(
        "P1,SUP00123,10,2026-04-06,2026-05-10\nP2,SUP00123,5,2026-04-06,\nP1,SUP00123,12,2026-05-10,\n",
        4,
        &["P1", "SUP00123", "line 2"],
    );
}

#[test]
fn an_open_plan_overlaps_any_later_plan() {
    plans_error(
        "P1,SUP00123,10,2026-04-06,\nP1,SUP00123,12,2026-06-01,2026-06-30\n",
        3,
        &["P1", "line 2"],
    );
}

#[test]
fn plans_of_one_person_with_two_providers_do_not_overlap() {
    // The same Person ID with two providers at once: two plans, no error.
    let (_files, _, out) = with_council(
        "plans = \"plans.csv\"\n",
        Some(&format!(
            "{PLANS_HEADER}P1,SUP00123,10,2026-04-06,\nP1,SUP00999,4,2026-04-06,\n"
        )),
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
}

#[test]
fn a_plans_line_after_a_blank_line_is_named_by_its_own_number() {
    // Line 1 header, 2 a plan, 3 blank, 4 the bad bundle: line 4 is named.
    plans_error(
        "P1,SUP00123,10,2026-04-06,\n\nP2,SUP00123,0,2026-04-06,\n",
        4,
        &["Weekly bundle", "\"0\""],
    );
}

#[test]
fn a_plans_line_in_a_crlf_file_is_named_by_its_own_number() {
    // Line 1 header, 2 a plan, 3 the bad bundle, each ending in CR LF.
    let (files, _, out) = with_council(
        "plans = \"plans.csv\"\n",
        Some(
            "Person ID,Provider reference,Weekly bundle,From,To\r\nP1,SUP00123,10,2026-04-06,\r\nP2,SUP00123,0,2026-04-06,\r\n",
        ),
    );
    assert_settings_error(&out, &files.path("plans.csv"), 3, &["Weekly bundle", "\"0\""]);
}

const DECISIONS_HEADER: &str = "Provider reference,Person ID,Decision,Reason,Officer\n";

fn decisions_error(rows: &str, line: u64, words: &[&str]) {
    let files = Files::new();
    let path = files.text("decisions.csv", &format!("{DECISIONS_HEADER}{rows}"));
    let input = files.workbook(
        "return.xlsx",
        &Return::standard().person("P1", "Ann", 10.0, weeks(10.0, &[])),
    );
    let out = run_reconcile_raw(&input, &decisions(&path));
    assert_settings_error(&out, &path, line, words);
}

#[test]
fn a_decision_neither_authorise_nor_hold() {
    decisions_error(
        "SUP00123,P1,hold,awaiting review,J Smith\nSUP00123,P2,approve,fine,J Smith\n",
        3,
        &["Decision", "\"approve\"", "authorise", "hold"],
    );
}

#[test]
fn a_decision_without_a_reason() {
    decisions_error("SUP00123,P1,authorise,,J Smith\n", 2, &["P1", "Reason"]);
}

#[test]
fn a_decision_without_an_officer() {
    decisions_error(
        "SUP00123,P1,authorise,one-off hospital stay,\n",
        2,
        &["P1", "Officer"],
    );
}

#[test]
fn two_decisions_for_one_person() {
    decisions_error(
        "SUP00123,P1,hold,awaiting review,J Smith\nSUP00123,P2,hold,awaiting review,J Smith\nSUP00123,P1,authorise,reviewed,A Jones\n",
        4,
        &["P1", "SUP00123", "line 2"],
    );
}

#[test]
fn decisions_without_a_header_column() {
    let files = Files::new();
    let path = files.text(
        "decisions.csv",
        "Provider reference,Person ID,Decision,Reason\nSUP00123,P1,hold,awaiting review\n",
    );
    let input = files.workbook(
        "return.xlsx",
        &Return::standard().person("P1", "Ann", 10.0, weeks(10.0, &[])),
    );
    let out = run_reconcile_raw(&input, &decisions(&path));
    assert_settings_error(&out, &path, 1, &["Officer", "header"]);
}

#[test]
fn a_missing_decisions_file_is_named() {
    let files = Files::new();
    let input = files.workbook(
        "return.xlsx",
        &Return::standard().person("P1", "Ann", 10.0, weeks(10.0, &[])),
    );
    let missing = files.path("decisions.csv");
    let out = run_reconcile_raw(&input, &decisions(&missing));
    assert_eq!(out.code, Some(2));
    assert!(out.stdout.is_empty());
    assert_eq!(out.stderr_lines().len(), 1, "{}", out.stderr);
    assert!(
        out.stderr
            .starts_with(&format!("yourchoice: cannot read {}", missing.display())),
        "{}",
        out.stderr
    );
}

#[test]
fn a_decisions_line_after_a_blank_line_is_named_by_its_own_number() {
    // Line 1 header, 2 a decision, 3 blank, 4 the second decision for P1.
    decisions_error(
        "SUP00123,P1,hold,awaiting review,J Smith\n\nSUP00123,P1,authorise,reviewed,J Smith\n",
        4,
        &["P1", "line 2"],
    );
}

// ---------------------------------------------------------------------------
// 2. The council's data wins over the submission's (SPEC 4, 6)

/// `council.toml` with the given text, the return, reconciled (exit 0).
fn reconcile_with(toml: &str, plans: Option<&str>, r: &Return) -> Doc {
    let files = Files::new();
    let toml_path = files.text("council.toml", toml);
    if let Some(plans) = plans {
        files.text("plans.csv", &format!("{PLANS_HEADER}{plans}"));
    }
    let input = files.workbook("return.xlsx", r);
    reconciled(&input, &council(&toml_path))
}

#[test]
fn the_councils_rate_wins_over_the_submissions() {
    // The council's rate for SUP00123 is £25.00 from 07/04/2025, so on every
    // week's Monday; the submission says £24.00.
    let toml = "[[provider]]\nreference = \"SUP00123\"\nname = \"Test Care Ltd\"\nrates = [ { from = \"2025-04-07\", rate = \"25.00\" } ]\n";
    // P1: bundle 10, assessed charge £200, 11 hours in weeks 1-3, 10 after.
    let r = Return::standard().charged(
        "P1",
        "Ann",
        10.0,
        200.0,
        weeks(10.0, &[(1, 11.0), (2, 11.0), (3, 11.0)]),
    );
    let doc = reconcile_with(toml, None, &r);
    let f = doc.only("rate-differs", Severity::Warning, Some("Details!B4"));
    assert!(
        f.message.contains("24") && f.message.contains("25.00"),
        "{}",
        f.message
    );
    doc.lacks("unknown-provider");
    let p1 = doc.person("P1");
    // H_c = 13 x 10 = 130, H_d = 3 x 11 + 10 x 10 = 133, V = +3,
    // T = 0.08 x 130 = 10.4: within.
    assert_eq!(p1.status, "within_tolerance");
    assert_eq!(p1.net_variance_hours, "3");
    // Settlement = 3 x £25.00 = £75.00 (at the submission's £24.00 it would
    // be £72.00).
    assert_eq!(p1.settlement().amount, "75.00");
    assert_eq!(p1.settlement().method, "bacs");
    // Charged = 13 x round2(min(200, 10 x 25 = 250)) = 13 x 200 = £2,600;
    // cost of care received = 133 x 25 = £3,325; overcharge 0.
    assert_eq!(p1.charge, Some(charge("2600.00", "3325.00", "0.00")));
    assert_eq!(doc.totals(), &totals("75.00", "bacs", "0.00", 0, 0, "0.00"));
}

#[test]
fn a_submission_without_a_rate_takes_the_councils() {
    // No "Blended hourly rate" row at all: the council's £25.00 is used, and
    // there is nothing to differ.
    let toml =
        "[[provider]]\nreference = \"SUP00123\"\nrates = [ { from = \"2025-04-07\", rate = \"25.00\" } ]\n";
    let r =
        Return::new("Test Care Ltd", "SUP00123", None).person("P1", "Ann", 10.0, weeks(10.0, &[(1, 12.0)]));
    let doc = reconcile_with(toml, None, &r);
    doc.lacks("rate-differs");
    doc.lacks("rate-missing");
    // +2 hours x £25.00 = £50.00.
    assert_eq!(doc.person("P1").settlement().amount, "50.00");
}

#[test]
fn a_rate_change_in_the_councils_table_prices_each_week_at_its_mondays_rate() {
    // £24.00 from 07/04/2025, £26.00 from Monday 11/05/2026 (week 6's
    // Monday), £28.00 from Wednesday 13/05/2026 (inside week 6).
    // Weeks 1-5 (Mondays 06/04 to 04/05): £24.00. Week 6 (Monday 11/05): £26.00,
    // the £28.00 is not yet in force on its Monday. Weeks 7-13 (Mondays 18/05
    // to 29/06): £28.00.
    let toml = "[[provider]]\nreference = \"SUP00123\"\nrates = [\n  { from = \"2025-04-07\", rate = \"24.00\" },\n  { from = \"2026-05-11\", rate = \"26.00\" },\n  { from = \"2026-05-13\", rate = \"28.00\" },\n]\n";
    // P1: bundle 10, charge £250, 12 hours in weeks 5, 6 and 7, 10 otherwise.
    let r = Return::standard().charged(
        "P1",
        "Ann",
        10.0,
        250.0,
        weeks(10.0, &[(5, 12.0), (6, 12.0), (7, 12.0)]),
    );
    let doc = reconcile_with(toml, None, &r);
    // The submission's £24.00 is the council's rate on the period start.
    doc.lacks("rate-differs");
    let p1 = doc.person("P1");
    // V = +6, T = 10.4: within.
    assert_eq!(p1.status, "within_tolerance");
    // Settlement = 2 x 24 (week 5) + 2 x 26 (week 6) + 2 x 28 (week 7)
    //            = 48 + 52 + 56 = £156.00.
    assert_eq!(p1.settlement().amount, "156.00");
    // Charged = Σ round2(min(250, 10 x r_k)):
    //   weeks 1-5: min(250, 240) = 240, x 5 = 1,200;
    //   week 6: min(250, 260) = 250;
    //   weeks 7-13: min(250, 280) = 250, x 7 = 1,750;  total £3,200.
    // Cost of care received = 4 x 10 x 24 (weeks 1-4) + 12 x 24 (week 5)
    //   + 12 x 26 (week 6) + 12 x 28 (week 7) + 6 x 10 x 28 (weeks 8-13)
    //   = 960 + 288 + 312 + 336 + 1,680 = £3,576; overcharge 0.
    assert_eq!(p1.charge, Some(charge("3200.00", "3576.00", "0.00")));
}

#[test]
fn council_rates_that_start_after_the_period_start_are_rate_missing() {
    // The council's only rate applies from Monday 20/04/2026 (week 3): weeks
    // 1 and 2 have no rate. The submission's own £24.00 does not fill the
    // gap (the council's table is used), and a week is never priced at £0.
    let files = Files::new();
    let toml = files.text(
        "council.toml",
        "[[provider]]\nreference = \"SUP00123\"\nrates = [ { from = \"2026-04-20\", rate = \"24.00\" } ]\n",
    );
    let input = files.workbook(
        "return.xlsx",
        &Return::standard().person("P1", "Ann", 10.0, weeks(10.0, &[])),
    );
    let (out, docs) = reconcile(&[&input], &council(&toml));
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    let doc = &docs[0];
    assert_eq!(doc.status, "rejected");
    assert!(doc.people.is_empty());
    assert!(doc.totals.is_none());
    let f = doc.only("rate-missing", Severity::Error, None);
    assert!(f.message.contains("weeks 1-2"), "{}", f.message);
    assert!(f.message.contains("20/04/2026"), "{}", f.message);
}

#[test]
fn the_plans_bundle_wins_over_the_submissions() {
    // The council plans 12 hours a week for P1 from 01/04/2026, open-ended;
    // the submission says 10.
    let plans = "P1,SUP00123,12,2026-04-01,\n";
    // Hours: 13 in week 1, 0 in week 5 (a no-care week), 12 otherwise.
    let r = Return::standard().person("P1", "Ann", 10.0, weeks(12.0, &[(1, 13.0), (5, 0.0)]));
    let doc = reconcile_with("plans = \"plans.csv\"\n", Some(plans), &r);
    let f = doc.only("bundle-differs", Severity::Warning, Some("Hours!C7"));
    assert_eq!(f.person_id.as_deref(), Some("P1"));
    assert!(f.message.contains("12 hours"), "{}", f.message);
    doc.lacks("unknown-person");
    doc.lacks("unknown-provider");
    let p1 = doc.person("P1");
    // Billable weeks: 1-4 and 6-13 (12 weeks). B_k = 12 (the plan's).
    // H_c = 12 x 12 = 144; H_d = 13 + 11 x 12 = 145; V = +1;
    // T = 0.08 x 144 = 11.52: within. (With the submission's 10: H_c = 120,
    // V = +25 > 9.6, referred.)
    assert_eq!(p1.billable_weeks, vec![1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13]);
    assert_eq!(p1.commissioned_hours, "144");
    assert_eq!(p1.delivered_hours, "145");
    assert_eq!(p1.net_variance_hours, "1");
    assert_eq!(p1.tolerance_hours, "11.52");
    assert_eq!(p1.status, "within_tolerance");
    // Settlement = 1 x £24.00.
    assert_eq!(p1.settlement().amount, "24.00");
    assert!(p1.settlement().authorised);
}

#[test]
fn a_plan_that_changes_mid_period_gives_week_by_week_bundles() {
    // 10 hours from 01/04/2026 to Sunday 10/05/2026 (the end of week 5), 14
    // hours from Monday 11/05/2026 (week 6). The submission says 10 throughout.
    let plans = "P1,SUP00123,10,2026-04-01,2026-05-10\nP1,SUP00123,14,2026-05-11,\n";
    // Hours: 10 in weeks 1-5, 14 in weeks 6-12, 15 in week 13.
    let mut hours = weeks(14.0, &[(13, 15.0)]);
    hours[..5].fill(10.0);
    let r = Return::standard().person("P1", "Ann", 10.0, hours);
    let doc = reconcile_with("plans = \"plans.csv\"\n", Some(plans), &r);
    // The row's 10 differs from the plan in weeks 6-13.
    let f = doc.only("bundle-differs", Severity::Warning, Some("Hours!C7"));
    assert!(f.message.contains("14 hours for weeks 6-13"), "{}", f.message);
    let p1 = doc.person("P1");
    // H_c = 5 x 10 + 8 x 14 = 50 + 112 = 162; H_d = 5 x 10 + 7 x 14 + 15 =
    // 163; V = +1; T = 0.08 x 162 = 12.96: within. (With the submission's 10
    // throughout: H_c = 130, V = +33, referred.)
    assert_eq!(p1.commissioned_hours, "162");
    assert_eq!(p1.delivered_hours, "163");
    assert_eq!(p1.net_variance_hours, "1");
    assert_eq!(p1.tolerance_hours, "12.96");
    assert_eq!(p1.status, "within_tolerance");
    // Week 13 is 1 hour over 14, under 8% (1.12): no change in need.
    assert_eq!(p1.change_in_need, None);
    // Settlement = 1 x £24.00.
    assert_eq!(p1.settlement().amount, "24.00");
}

#[test]
fn a_person_the_plans_do_not_hold_is_unknown_keeps_the_submissions_bundle_and_is_held() {
    // The plans hold P1 with SUP00123, and P2 only with another provider.
    let plans = "P1,SUP00123,10,2026-04-01,\nP2,SUP00999,8,2026-04-01,\n";
    let r = Return::standard()
        .person("P1", "Ann", 10.0, weeks(10.0, &[]))
        .person("P2", "Bob", 5.0, weeks(5.0, &[(1, 6.0)]));
    let doc = reconcile_with("plans = \"plans.csv\"\n", Some(plans), &r);
    // P2's ID cell is Hours!A8 (the second person row).
    let f = doc.only("unknown-person", Severity::Warning, Some("Hours!A8"));
    assert_eq!(f.person_id.as_deref(), Some("P2"));
    doc.lacks("bundle-differs");
    let p2 = doc.person("P2");
    // The submission's bundle 5 (not SUP00999's 8): H_c = 65, H_d = 66,
    // V = +1, T = 5.2: within; settlement 1 x £24.00.
    assert_eq!(p2.commissioned_hours, "65");
    assert_eq!(p2.net_variance_hours, "1");
    assert_eq!(p2.tolerance_hours, "5.2");
    assert_eq!(p2.settlement().amount, "24.00");
    // Figures on the provider's own bundle are never settled by a rule:
    // P2's £24.00 is held for the officer (issue 21), so the provider is
    // owed P1's 0.00 and £24.00 waits.
    assert!(!p2.settlement().authorised);
    assert_eq!(doc.totals().authorised, "0.00");
    assert_eq!(doc.totals().held, "24.00");
    assert_eq!(doc.totals().held_count, 1);
    assert_eq!(doc.totals().referred_count, 0);
}

#[test]
fn the_maximum_weekly_charge_caps_the_charge() {
    let toml = "[[max_weekly_charge]]\nfrom = \"2025-04-07\"\namount = \"80.00\"\n";
    // Rate £24.00. P1: bundle 10, charge £100, 10 hours every week.
    // P2: bundle 4, charge £100, 3 hours every week.
    let r = Return::standard()
        .charged("P1", "Ann", 10.0, 100.0, weeks(10.0, &[]))
        .charged("P2", "Bob", 4.0, 100.0, weeks(3.0, &[]));
    let doc = reconcile_with(toml, None, &r);
    // P1: charged = 13 x round2(min(100, 80, 10 x 24 = 240)) = 13 x 80 =
    // £1,040; cost = 130 x 24 = £3,120; overcharge 0.
    assert_eq!(
        doc.person("P1").charge,
        Some(charge("1040.00", "3120.00", "0.00"))
    );
    // P2: charged = 13 x min(100, 80, 4 x 24 = 96) = 13 x 80 = £1,040; cost =
    // 39 x 24 = £936; overcharge = 1,040 - 936 = £104.00 (uncapped it would be
    // 13 x 96 - 936 = £312.00).
    let p2 = doc.person("P2");
    assert_eq!(p2.charge, Some(charge("1040.00", "936.00", "104.00")));
    // P2: V = 39 - 52 = -13, T = 0.08 x 52 = 4.16: referred; settlement
    // -13 x 24 = -£312.00, held.
    assert_eq!(p2.status, "referred");
    assert_eq!(p2.settlement().amount, "-312.00");
    assert!(!p2.settlement().authorised);
    assert_eq!(doc.totals(), &totals("0.00", "none", "-312.00", 1, 1, "104.00"));
}

#[test]
fn a_maximum_weekly_charge_that_changes_mid_period_applies_week_by_week() {
    // £80.00 from 07/04/2025, £90.00 from Monday 11/05/2026 (week 6), £150.00
    // from Monday 08/06/2026 (week 10).
    let toml = "[[max_weekly_charge]]\nfrom = \"2025-04-07\"\namount = \"80.00\"\n\n[[max_weekly_charge]]\nfrom = \"2026-05-11\"\namount = \"90.00\"\n\n[[max_weekly_charge]]\nfrom = \"2026-06-08\"\namount = \"150.00\"\n";
    // Rate £24.00. P2: bundle 4 (cost £96 a week), charge £100, 3 hours a week.
    let r = Return::standard().charged("P2", "Bob", 4.0, 100.0, weeks(3.0, &[]));
    let doc = reconcile_with(toml, None, &r);
    // Charged = Σ round2(min(100, cap_k, 96)):
    //   weeks 1-5: min(100, 80, 96) = 80, x 5 = 400;
    //   weeks 6-9: min(100, 90, 96) = 90, x 4 = 360;
    //   weeks 10-13: min(100, 150, 96) = 96, x 4 = 384;  total £1,144.
    // Cost = 39 x 24 = £936; overcharge = 1,144 - 936 = £208.00.
    assert_eq!(
        doc.person("P2").charge,
        Some(charge("1144.00", "936.00", "208.00"))
    );
    assert_eq!(doc.totals().overcharge_refunds, "208.00");
}

#[test]
fn a_provider_the_council_does_not_list_is_unknown() {
    // The council lists SUP00999 (at £30.00) but not SUP00123.
    let toml = "[[provider]]\nreference = \"SUP00999\"\nname = \"Other Care\"\nrates = [ { from = \"2025-04-07\", rate = \"30.00\" } ]\n";
    let r = Return::standard().person("P1", "Ann", 10.0, weeks(10.0, &[(1, 11.0)]));
    let files = Files::new();
    let toml_path = files.text("council.toml", toml);
    let input = files.workbook("return.xlsx", &r);
    let (out, mut docs) = reconcile(&[&input], &council(&toml_path));
    assert_eq!(out.code, Some(1));
    let doc = docs.remove(0);
    // An error: the council's rates and plans cannot be applied, and a return
    // must not raise what the council pays by naming itself differently.
    let f = doc.only("unknown-provider", Severity::Error, Some("Details!B2"));
    assert!(f.message.contains("SUP00123"), "{}", f.message);
    assert_eq!(doc.status, "rejected");
    assert!(doc.people.is_empty());
}

#[test]
fn a_reference_in_another_case_is_the_same_provider() {
    // The council lists SUP00123 at £25.00; the return says " sup00123 " and
    // £40.00: the council's £25.00 is used, +1 x 25 = £25.00.
    let toml =
        "[[provider]]\nreference = \"SUP00123\"\nrates = [ { from = \"2025-04-07\", rate = \"25.00\" } ]\n";
    let r = Return::new("Test Care Ltd", " sup00123 ", Some(40.0)).person(
        "P1",
        "Ann",
        10.0,
        weeks(10.0, &[(1, 11.0)]),
    );
    let doc = reconcile_with(toml, None, &r);
    doc.lacks("unknown-provider");
    assert_eq!(doc.person("P1").settlement().amount, "25.00");
}

#[test]
fn a_listed_provider_without_rates_uses_the_submissions_rate() {
    let toml = "[[provider]]\nreference = \"SUP00123\"\nname = \"Test Care Ltd\"\n";
    let r = Return::standard().person("P1", "Ann", 10.0, weeks(10.0, &[(1, 11.0)]));
    let doc = reconcile_with(toml, None, &r);
    doc.lacks("unknown-provider");
    doc.lacks("rate-differs");
    assert_eq!(doc.person("P1").settlement().amount, "24.00");
}

#[test]
fn without_providers_in_the_settings_no_provider_is_unknown() {
    let r = Return::standard().person("P1", "Ann", 10.0, weeks(10.0, &[]));
    let doc = reconcile_with("tolerance = \"8%\"\n", None, &r);
    doc.lacks("unknown-provider");
}

// ---------------------------------------------------------------------------
// 3. The officer's decisions (SPEC 6)

/// SUP00123 at £24.00, three people:
///
/// - P1 (SPEC 9): bundle 10, charge £100; within tolerance, +3 x 24 = +£72.00.
/// - P2 (SPEC 9): bundle 3, charge £100; V = -7 > T = 3.12, referred;
///   -7 x 24 = -£168.00 held; change in need weeks 3-9 (less); overcharge
///   £168.00.
/// - P3: bundle 10, 22 hours in week 1, 10 after: H_c = 130, V = +12 >
///   T = 10.4, referred; +12 x 24 = +£288.00 held; one week off the bundle
///   only, so no change in need.
///
/// Without decisions: authorised £72.00 (BACS), held -168 + 288 = £120.00
/// (2 people), 2 referred, refunds £168.00.
fn three_people() -> Return {
    Return::standard()
        .charged("P1", "Ann", 10.0, 100.0, SPEC_P1)
        .charged("P2", "Bob", 3.0, 100.0, SPEC_P2)
        .person("P3", "Cat", 10.0, weeks(10.0, &[(1, 22.0)]))
}

fn undecided_totals() -> Totals {
    totals("72.00", "bacs", "120.00", 2, 2, "168.00")
}

/// Reconcile [`three_people`] with `decisions.csv` holding `rows`: the
/// output, the document, and the decisions file's path.
fn decide(rows: &str) -> (Out, Doc, PathBuf) {
    let files = Files::new();
    let path = files.text("decisions.csv", &format!("{DECISIONS_HEADER}{rows}"));
    let input = files.workbook("return.xlsx", &three_people());
    let (out, mut docs) = reconcile(&[&input], &decisions(&path));
    (out, docs.remove(0), path)
}

#[test]
fn without_decisions_referred_people_are_held() {
    let files = Files::new();
    let input = files.workbook("return.xlsx", &three_people());
    let doc = reconciled(&input, &[]);
    assert_eq!(doc.person("P1").settlement().amount, "72.00");
    let p2 = doc.person("P2");
    assert_eq!(p2.status, "referred");
    assert_eq!(p2.settlement().amount, "-168.00");
    assert_eq!(
        p2.change_in_need,
        Some(ChangeInNeed {
            first_week: 3,
            last_week: 9,
            direction: "less".into()
        })
    );
    let p3 = doc.person("P3");
    assert_eq!(p3.status, "referred");
    assert_eq!(p3.settlement().amount, "288.00");
    assert_eq!(p3.change_in_need, None);
    for id in ["P2", "P3"] {
        let s = doc.person(id).settlement();
        assert!(!s.authorised);
        assert!(s.decision.is_none());
    }
    assert_eq!(doc.totals(), &undecided_totals());
}

#[test]
fn authorise_releases_a_held_settlement_into_the_totals() {
    let (out, doc, path) =
        decide("SUP00123,P3,authorise,one-off: extra visits after a hospital discharge,J Smith\n");
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(out.stderr.is_empty(), "{}", out.stderr);
    let s = doc.person("P3").settlement();
    assert!(s.authorised);
    let d = s.decision.as_ref().expect("the decision is on the person");
    assert_eq!(d.decision, "authorise");
    assert_eq!(d.officer, "J Smith");
    assert_eq!(d.reason, "one-off: extra visits after a hospital discharge");
    assert_eq!(d.source, format!("{}:2", path.display()));
    // Still referred: the decision releases the money, not the review.
    assert_eq!(doc.person("P3").status, "referred");
    // Authorised = 72 + 288 = £360.00 (BACS); held = P2's -£168.00 alone
    // (1 person); referred 2; refunds £168.00.
    assert_eq!(doc.totals(), &totals("360.00", "bacs", "-168.00", 1, 2, "168.00"));
    doc.lacks("decision-unused");
    doc.lacks("authorised-change-in-need");
}

#[test]
fn hold_keeps_a_settlement_held_and_records_the_decision() {
    let (out, doc, _) = decide("SUP00123,P3,hold,awaiting the social work review,J Smith\n");
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let s = doc.person("P3").settlement();
    assert!(!s.authorised);
    let d = s.decision.as_ref().expect("the decision is on the person");
    assert_eq!(d.decision, "hold");
    assert_eq!(d.officer, "J Smith");
    assert_eq!(d.reason, "awaiting the social work review");
    assert_eq!(doc.totals(), &undecided_totals());
    doc.lacks("decision-unused");
}

#[test]
fn a_decision_for_a_person_within_tolerance_is_unused() {
    let (out, doc, _) = decide("SUP00123,P1,authorise,checked,J Smith\n");
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    // P1's row is Hours!7.
    let f = doc.only("decision-unused", Severity::Warning, Some("Hours!7"));
    assert_eq!(f.person_id.as_deref(), Some("P1"));
    let s = doc.person("P1").settlement();
    assert!(s.authorised);
    assert!(s.decision.is_none());
    assert_eq!(doc.totals(), &undecided_totals());
}

#[test]
fn a_decision_for_a_person_with_no_care_is_unused() {
    // P4 had no care in any week: no settlement to decide on.
    let files = Files::new();
    let path = files.text(
        "decisions.csv",
        &format!("{DECISIONS_HEADER}SUP00123,P4,authorise,checked,J Smith\n"),
    );
    let input = files.workbook(
        "return.xlsx",
        &three_people().person("P4", "Dan", 10.0, weeks(0.0, &[])),
    );
    let (out, docs) = reconcile(&[&input], &decisions(&path));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let doc = &docs[0];
    assert_eq!(doc.person("P4").status, "no_care");
    assert!(doc.person("P4").settlement.is_none());
    let f = doc.only("decision-unused", Severity::Warning, Some("Hours!10"));
    assert_eq!(f.person_id.as_deref(), Some("P4"));
    assert_eq!(doc.totals(), &undecided_totals());
}

#[test]
fn a_decision_for_a_person_not_in_the_submission_is_unused_there() {
    let (out, doc, _) = decide("SUP00123,P9,authorise,checked,J Smith\n");
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(out.stderr.is_empty(), "{}", out.stderr);
    let f = doc.only("decision-unused", Severity::Warning, None);
    assert_eq!(f.person_id.as_deref(), Some("P9"));
    assert!(
        f.message.contains("P9") && f.message.contains("SUP00123"),
        "{}",
        f.message
    );
    assert_eq!(doc.totals(), &undecided_totals());
}

#[test]
fn a_decision_for_a_provider_in_no_submission_is_a_line_on_stderr() {
    let (out, doc, _) = decide("SUP00777,P3,authorise,checked,J Smith\n");
    // A warning: the run still succeeds.
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let lines = out.stderr_lines();
    assert_eq!(lines.len(), 1, "{}", out.stderr);
    assert!(lines[0].starts_with("warning[decision-unused] "), "{}", lines[0]);
    assert!(lines[0].contains("SUP00777"), "{}", lines[0]);
    // SUP00123's P3 is untouched, and its document does not carry it.
    doc.lacks("decision-unused");
    assert!(!doc.person("P3").settlement().authorised);
    assert_eq!(doc.totals(), &undecided_totals());
}

#[test]
fn authorising_a_change_in_need_is_applied_with_a_warning() {
    let (out, doc, _) =
        decide("SUP00123,P2,authorise,short-term: family carer away for the summer,J Smith\n");
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    // P2's row is Hours!8.
    let f = doc.only("authorised-change-in-need", Severity::Warning, Some("Hours!8"));
    assert_eq!(f.person_id.as_deref(), Some("P2"));
    assert!(f.message.contains("J Smith"), "{}", f.message);
    assert!(
        f.message.contains("3") && f.message.contains("9"),
        "{}",
        f.message
    );
    let s = doc.person("P2").settlement();
    assert!(s.authorised);
    assert_eq!(s.decision.as_ref().unwrap().decision, "authorise");
    // Authorised = 72 - 168 = -£96.00 (an invoice); held = P3's £288.00
    // (1 person); referred 2; refunds £168.00.
    assert_eq!(
        doc.totals(),
        &totals("-96.00", "invoice", "288.00", 1, 2, "168.00")
    );
}

#[test]
fn several_decisions_are_each_applied() {
    let (out, doc, _) = decide(
        "SUP00123,P2,hold,awaiting the social work review,A Jones\nSUP00123,P3,authorise,one-off,J Smith\n",
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(
        doc.person("P2").settlement().decision.as_ref().unwrap().officer,
        "A Jones"
    );
    assert_eq!(
        doc.person("P3").settlement().decision.as_ref().unwrap().officer,
        "J Smith"
    );
    // Authorised 72 + 288 = £360.00; held -£168.00 (1).
    assert_eq!(doc.totals(), &totals("360.00", "bacs", "-168.00", 1, 2, "168.00"));
}

#[test]
fn a_decisions_source_after_a_blank_line_is_its_own_line() {
    // Line 1 header, 2 P2's decision, 3 blank, 4 P3's decision.
    let (_, doc, path) =
        decide("SUP00123,P2,hold,awaiting review,A Jones\n\nSUP00123,P3,authorise,one-off,J Smith\n");
    let d = doc.person("P3").settlement().decision.as_ref().unwrap();
    assert_eq!(d.source, format!("{}:4", path.display()));
}

// ---------------------------------------------------------------------------
// 4. Two returns of one provider for one period

const KINDS: [&str; 5] = ["payments", "invoices", "refunds", "referrals", "remittance"];

/// `export KIND FILES... extra...`.
fn export(kind: &str, inputs: &[&Path], extra: &[String]) -> Out {
    let mut args = vec!["export".to_string(), kind.to_string()];
    args.extend(inputs.iter().map(|p| s(p)));
    args.extend(extra.iter().cloned());
    yourchoice(&args)
}

/// The CSV's records, the header first.
fn records(csv_bytes: &[u8]) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv_bytes);
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn two_returns_of_one_provider_and_period_are_both_rejected() {
    let files = Files::new();
    // a.xlsx and b.xlsx: both SUP00123 from 06/04/2026, with different
    // figures; c.xlsx: another provider, +4 x 24 = £96.00.
    let a = files.workbook(
        "a.xlsx",
        &Return::standard().person("P1", "Ann", 10.0, weeks(10.0, &[(1, 11.0)])),
    );
    let b = files.workbook(
        "b.xlsx",
        &Return::standard().person("P1", "Ann", 10.0, weeks(10.0, &[(1, 12.0)])),
    );
    let c = files.workbook(
        "c.xlsx",
        &Return::new("Care Co", "SUP00300", Some(24.0)).person("R1", "Rhi", 10.0, weeks(10.0, &[(1, 14.0)])),
    );
    let (out, docs) = reconcile(&[&a, &b, &c], &[]);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    for doc in &docs[..2] {
        assert_eq!(doc.status, "rejected", "{}", doc.source);
        assert!(doc.people.is_empty());
        assert!(doc.totals.is_none());
        let f = doc.only("duplicate-submission", Severity::Error, None);
        assert!(
            f.message.contains("a.xlsx") && f.message.contains("b.xlsx") && f.message.contains("SUP00123"),
            "{}",
            f.message
        );
    }
    assert_eq!(docs[2].status, "reconciled");
    assert_eq!(docs[2].totals().authorised, "96.00");

    // Neither is in any export; both are named on stderr; exit 1.
    for kind in KINDS {
        let out = export(kind, &[&a, &b, &c], &[]);
        assert_eq!(out.code, Some(1), "{kind}: {}", out.stderr);
        assert!(
            out.stderr.contains("a.xlsx") && out.stderr.contains("b.xlsx"),
            "{kind}: {}",
            out.stderr
        );
        let rows = records(&out.stdout);
        assert!(
            rows.iter().skip(1).all(|r| r[0] != "SUP00123"),
            "{kind}: {rows:?}"
        );
        if kind == "payments" {
            assert_eq!(
                rows[1..].iter().map(|r| r[..5].to_vec()).collect::<Vec<_>>(),
                [vec!["SUP00300", "Care Co", "2026-04-06", "2026-07-05", "96.00"]]
            );
        }
    }
}

/// Periods from 06/04 and 13/04 share twelve weeks; `SUP00123` and
/// `sup00123` are one provider: both pairs would pay twice, so all are
/// rejected.
#[test]
fn overlapping_periods_and_a_reference_in_another_case_are_duplicates() {
    let files = Files::new();
    let a = files.workbook(
        "a.xlsx",
        &Return::standard().person("P1", "Ann", 10.0, weeks(10.0, &[])),
    );
    let b = files.workbook(
        "b.xlsx",
        &Return::new("Test Care Ltd", "sup00123", Some(24.0))
            .detail("Period start", V::Date(2026, 4, 13))
            .person("P1", "Ann", 10.0, weeks(10.0, &[])),
    );
    let (out, docs) = reconcile(&[&a, &b], &[]);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    for doc in &docs {
        assert_eq!(doc.status, "rejected");
        let f = doc.only("duplicate-submission", Severity::Error, None);
        assert!(f.message.contains("share weeks"), "{}", f.message);
    }
}

/// A decision without a period, with two periods of the provider holding
/// the person in the run, is not applied anywhere; with a Period start it
/// applies to that period only.
#[test]
fn a_decision_applies_to_its_period_only() {
    let files = Files::new();
    // P2 is referred in both quarters: 3 under a 3-hour bundle every week
    // but one (delivered 2) for weeks 1-9, as SPEC 9's P2.
    let p2 = weeks(
        3.0,
        &[
            (3, 2.0),
            (4, 2.0),
            (5, 2.0),
            (6, 2.0),
            (7, 2.0),
            (8, 2.0),
            (9, 2.0),
        ],
    );
    let a = files.workbook("q1.xlsx", &Return::standard().person("P2", "Bea", 3.0, p2));
    let b = files.workbook(
        "q2.xlsx",
        &Return::standard()
            .detail("Period start", V::Date(2026, 7, 6))
            .person("P2", "Bea", 3.0, p2),
    );
    let without = files.text(
        "decisions.csv",
        "Provider reference,Person ID,Decision,Reason,Officer\nSUP00123,P2,authorise,one-off,J Smith\n",
    );
    let (out, docs) = reconcile(&[&a, &b], &decisions(&without));
    assert!(out.stderr.contains("Add a Period start column"), "{}", out.stderr);
    assert!(docs.iter().all(|d| !d.person("P2").settlement().authorised));
    let with = files.text(
        "decisions2.csv",
        "Provider reference,Person ID,Decision,Reason,Officer,Period start\nSUP00123,P2,authorise,one-off,J Smith,06/04/2026\n",
    );
    let (_, docs) = reconcile(&[&a, &b], &decisions(&with));
    assert!(docs[0].person("P2").settlement().authorised, "Q1 authorised");
    assert!(!docs[1].person("P2").settlement().authorised, "Q2 still held");
}

#[test]
fn two_returns_of_one_provider_for_two_periods_are_both_reconciled() {
    let files = Files::new();
    // The next period starts 13 weeks (91 days) later, on Monday 06/07/2026.
    let a = files.workbook(
        "a.xlsx",
        &Return::standard().person("P1", "Ann", 10.0, weeks(10.0, &[])),
    );
    let b = files.workbook(
        "b.xlsx",
        &Return::standard()
            .detail("Period start", V::Date(2026, 7, 6))
            .person("P1", "Ann", 10.0, weeks(10.0, &[])),
    );
    let (out, docs) = reconcile(&[&a, &b], &[]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(docs.iter().all(|d| d.status == "reconciled"));
    assert_eq!(docs[1].period.as_ref().unwrap().start, "2026-07-06");
    assert_eq!(docs[1].period.as_ref().unwrap().end, "2026-10-04");
}

// ---------------------------------------------------------------------------
// 5. Finance's exports (SPEC 8.4)

const HYPERLINK: &str = "=HYPERLINK(\"http://x\",\"y\")";

/// Three providers' returns for the period 06/04/2026 to 05/07/2026, given
/// in the order c, b, a (the exports sort them), and the officer's
/// decision:
///
/// a.xlsx, SUP00100 `=HYPERLINK("http://x","y")`, £24.00:
/// - P1 "Ann" (SPEC 9's P1, charge £100): H_c 120, H_d 123, within;
///   +3 x 24 = +£72.00; charged 12 x 100 = 1,200 < cost 123 x 24 = 2,952:
///   no overcharge.
/// - `-1+1` "`@SUM(A1)`" (SPEC 9's P2, charge £100): H_c 39, H_d 32, V = -7
///   (-17.95%), referred, change in need weeks 3-9 less; -7 x 24 = -£168.00,
///   authorised by decision; charged 13 x min(100, 72) = 936, cost 768:
///   overcharge £168.00.
/// - Totals: authorised 72 - 168 = -£96.00, one invoice of £96.00; nothing
///   held; refunds £168.00.
///
/// b.xlsx, SUP00200 "Bright Homecare", £25.00, people in the order Q3, Q1, Q2:
/// - Q3 "Eve": bundle 5, charge £150, 5 hours a week but 4 in week 13: H_c 65,
///   H_d 64, V = -1, T = 5.2, within; -1 x 25 = -£25.00; charged 13 x
///   min(150, 5 x 25 = 125) = 1,625, cost 64 x 25 = 1,600: overcharge £25.00.
/// - Q1 "Fay": bundle 10, 11 hours in weeks 1-2: H_c 130, H_d 132, V = +2,
///   within; +2 x 25 = +£50.00.
/// - Q2 "Gus": bundle 10, 22 hours in week 1: V = +12 > 10.4, referred
///   (12 / 130 = 9.23%); +12 x 25 = +£300.00 held; one week only, no change
///   in need.
/// - Totals: authorised 50 - 25 = +£25.00, one BACS payment; held £300.00;
///   refunds £25.00.
///
/// c.xlsx, SUP00300 "+Care Co", £24.00:
/// - R1 "Rhi": bundle 10, 14 hours in week 1: H_c 130, H_d 134, V = +4,
///   within; +4 x 24 = +£96.00, one BACS payment.
///
/// decisions.csv: authorise SUP00100's `-1+1`.
struct Finance {
    files: Files,
    inputs: Vec<PathBuf>,
    decisions: PathBuf,
}

impl Finance {
    fn new() -> Finance {
        let files = Files::new();
        let a = Return::new(HYPERLINK, "SUP00100", Some(24.0))
            .charged("P1", "Ann", 10.0, 100.0, SPEC_P1)
            .charged("-1+1", "@SUM(A1)", 3.0, 100.0, SPEC_P2);
        let b = Return::new("Bright Homecare", "SUP00200", Some(25.0))
            .charged("Q3", "Eve", 5.0, 150.0, weeks(5.0, &[(13, 4.0)]))
            .person("Q1", "Fay", 10.0, weeks(10.0, &[(1, 11.0), (2, 11.0)]))
            .person("Q2", "Gus", 10.0, weeks(10.0, &[(1, 22.0)]));
        let c = Return::new("+Care Co", "SUP00300", Some(24.0)).person(
            "R1",
            "Rhi",
            10.0,
            weeks(10.0, &[(1, 14.0)]),
        );
        let inputs = vec![
            files.workbook("c.xlsx", &c),
            files.workbook("b.xlsx", &b),
            files.workbook("a.xlsx", &a),
        ];
        let decisions = files.text(
            "decisions.csv",
            &format!("{DECISIONS_HEADER}SUP00100,-1+1,authorise,short-term: carer away,J Smith\n"),
        );
        Finance {
            files,
            inputs,
            decisions,
        }
    }

    fn inputs(&self) -> Vec<&Path> {
        self.inputs.iter().map(PathBuf::as_path).collect()
    }

    fn export(&self, kind: &str) -> Out {
        let out = export(kind, &self.inputs(), &decisions(&self.decisions));
        assert_eq!(out.code, Some(0), "{kind}: {}", out.stderr);
        out
    }

    /// The JSON of the same run, by provider reference.
    fn docs(&self) -> Vec<Doc> {
        let (out, docs) = reconcile(&self.inputs(), &decisions(&self.decisions));
        assert_eq!(out.code, Some(0), "{}", out.stderr);
        docs
    }
}

fn owned(rows: &[&[&str]]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| r.iter().map(|f| f.to_string()).collect())
        .collect()
}

#[test]
fn the_json_of_the_finance_run_has_the_hand_worked_totals() {
    let docs = Finance::new().docs();
    // Input order: c, b, a.
    assert_eq!(docs[0].totals(), &totals("96.00", "bacs", "0.00", 0, 0, "0.00"));
    assert_eq!(
        docs[1].totals(),
        &totals("25.00", "bacs", "300.00", 1, 1, "25.00")
    );
    assert_eq!(
        docs[2].totals(),
        &totals("-96.00", "invoice", "0.00", 0, 1, "168.00")
    );
    // JSON is data, not a spreadsheet: the name as typed.
    assert_eq!(
        docs[2].provider.as_ref().unwrap().name.as_deref(),
        Some(HYPERLINK)
    );
    let odd = docs[2].person("-1+1");
    assert_eq!(odd.name.as_deref(), Some("@SUM(A1)"));
    assert_eq!(odd.variance_percent.as_deref(), Some("-17.95"));
    assert!(odd.settlement().authorised);
    assert_eq!(odd.charge, Some(charge("936.00", "768.00", "168.00")));
    assert_eq!(
        docs[1].person("Q3").charge,
        Some(charge("1625.00", "1600.00", "25.00"))
    );
    assert_eq!(docs[1].person("Q2").variance_percent.as_deref(), Some("9.23"));
}

#[test]
fn payments_are_the_positive_authorised_totals() {
    let out = Finance::new().export("payments");
    assert_eq!(
        records(&out.stdout),
        owned(&[
            &[
                "Provider reference",
                "Provider name",
                "Period start",
                "Period end",
                "Amount",
                "Invoice number",
                "Invoice type",
                "Purchase order",
                "Cost centre",
                "Expense code",
                "VAT code",
                "Line",
                "Note",
                "Reference",
                "Ledger head",
            ],
            // Invoice numbers: YC-, the provider, the period's first day, version 1.
            &[
                "SUP00200",
                "Bright Homecare",
                "2026-04-06",
                "2026-07-05",
                "25.00",
                "YC-SUP00200-20260406-1",
                "STANDARD",
                "",
                "",
                "",
                "",
                "settlement",
                "",
                "",
                "",
            ],
            &[
                "SUP00300",
                "'+Care Co",
                "2026-04-06",
                "2026-07-05",
                "96.00",
                "YC-SUP00300-20260406-1",
                "STANDARD",
                "",
                "",
                "",
                "",
                "settlement",
                "",
                "",
                "",
            ],
        ])
    );
}

#[test]
fn invoices_are_the_negative_authorised_totals_as_positive_figures() {
    let out = Finance::new().export("invoices");
    assert_eq!(
        records(&out.stdout),
        owned(&[
            &[
                "Provider reference",
                "Provider name",
                "Period start",
                "Period end",
                "Amount",
                "Invoice number",
                "Invoice type",
                "Purchase order",
                "Cost centre",
                "Expense code",
                "VAT code",
                "Line",
                "Note",
                "Reference",
                "Ledger head",
            ],
            &[
                "SUP00100",
                "'=HYPERLINK(\"http://x\",\"y\")",
                "2026-04-06",
                "2026-07-05",
                "96.00",
                "YC-SUP00100-20260406-1",
                "DEBTOR",
                "",
                "",
                "",
                "",
                "settlement",
                "",
                "",
                "",
            ],
        ])
    );
}

#[test]
fn refunds_are_the_overcharges() {
    let out = Finance::new().export("refunds");
    assert_eq!(
        records(&out.stdout),
        owned(&[
            &[
                "Provider reference",
                "Person ID",
                "Name",
                "Amount",
                "Line",
                "Note",
                "Reference",
                "Ledger head",
            ],
            &["SUP00100", "'-1+1", "'@SUM(A1)", "168.00", "refund", "", "", ""],
            &["SUP00200", "Q3", "Eve", "25.00", "refund", "", "", ""],
        ])
    );
}

#[test]
fn referrals_are_the_referred_people() {
    let out = Finance::new().export("referrals");
    assert_eq!(
        records(&out.stdout),
        owned(&[
            &[
                "Provider reference",
                "Person ID",
                "Name",
                "Net variance hours",
                "Variance %",
                "Settlement held",
                "Change in need",
                "Decision",
                "Line",
                "Note",
                "Reference",
                "Ledger head",
            ],
            // Authorised: nothing held.
            &[
                "SUP00100",
                "'-1+1",
                "'@SUM(A1)",
                "-7",
                "-17.95",
                "",
                "weeks 3-9, less than the bundle",
                "authorised by J Smith: short-term: carer away",
                "referral",
                "",
                "",
                "",
            ],
            &[
                "SUP00200", "Q2", "Gus", "12", "9.23", "300.00", "", "", "referral", "", "", ""
            ],
        ])
    );
}

#[test]
fn remittance_lists_each_authorised_settlement() {
    let out = Finance::new().export("remittance");
    let rows = records(&out.stdout);
    assert_eq!(
        rows,
        owned(&[
            &[
                "Provider reference",
                "Person ID",
                "Name",
                "Period start",
                "Period end",
                "Commissioned hours",
                "Delivered hours",
                "Amount",
                "Method",
                "Line",
                "Note",
                "Reference",
                "Ledger head",
            ],
            &[
                "SUP00100",
                "'-1+1",
                "'@SUM(A1)",
                "2026-04-06",
                "2026-07-05",
                "39",
                "32",
                "-168.00",
                "INVOICE",
                "settlement",
                "",
                "",
                "",
            ],
            &[
                "SUP00100",
                "P1",
                "Ann",
                "2026-04-06",
                "2026-07-05",
                "120",
                "123",
                "72.00",
                "BACS",
                "settlement",
                "",
                "",
                "",
            ],
            &[
                "SUP00200",
                "Q1",
                "Fay",
                "2026-04-06",
                "2026-07-05",
                "130",
                "132",
                "50.00",
                "BACS",
                "settlement",
                "",
                "",
                "",
            ],
            // Q2 is held: no line.
            &[
                "SUP00200",
                "Q3",
                "Eve",
                "2026-04-06",
                "2026-07-05",
                "65",
                "64",
                "-25.00",
                "INVOICE",
                "settlement",
                "",
                "",
                "",
            ],
            &[
                "SUP00300",
                "R1",
                "Rhi",
                "2026-04-06",
                "2026-07-05",
                "130",
                "134",
                "96.00",
                "BACS",
                "settlement",
                "",
                "",
                "",
            ],
        ])
    );
}

/// An amount in pence, from `"-168.00"`.
fn pence(amount: &str) -> i64 {
    let (whole, frac) = amount
        .split_once('.')
        .unwrap_or_else(|| panic!("not money: {amount}"));
    assert_eq!(frac.len(), 2, "not money: {amount}");
    let negative = whole.starts_with('-');
    let value = whole.trim_start_matches('-').parse::<i64>().unwrap() * 100 + frac.parse::<i64>().unwrap();
    if negative { -value } else { value }
}

/// SPEC 8.4's rule, as the test reads it.
fn inert(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

#[test]
fn every_export_equals_the_json_to_the_penny() {
    let finance = Finance::new();
    let mut docs = finance.docs();
    docs.sort_by(|a, b| {
        a.provider
            .as_ref()
            .unwrap()
            .reference
            .cmp(&b.provider.as_ref().unwrap().reference)
    });
    let reference = |d: &Doc| d.provider.as_ref().unwrap().reference.clone().unwrap();
    let name = |d: &Doc| inert(d.provider.as_ref().unwrap().name.as_deref().unwrap());
    let period = |d: &Doc| {
        let p = d.period.as_ref().unwrap();
        (p.start.clone(), p.end.clone())
    };
    // People of each provider by Person ID, as the exports order them.
    fn people(d: &Doc) -> Vec<&Person> {
        let mut people: Vec<&Person> = d.people.iter().collect();
        people.sort_by(|a, b| a.person_id.cmp(&b.person_id));
        people
    }

    let mut payments = Vec::new();
    let mut invoices = Vec::new();
    let mut refunds = Vec::new();
    let mut referrals = Vec::new();
    let mut remittance = Vec::new();
    for d in &docs {
        let t = d.totals();
        let (start, end) = period(d);
        match t.method.as_str() {
            "bacs" => payments.push(vec![
                reference(d),
                name(d),
                start.clone(),
                end.clone(),
                t.authorised.clone(),
            ]),
            "invoice" => invoices.push(vec![
                reference(d),
                name(d),
                start.clone(),
                end.clone(),
                t.authorised.trim_start_matches('-').to_string(),
            ]),
            _ => {}
        }
        let mut remitted = 0;
        for p in people(d) {
            let who = [
                reference(d),
                inert(&p.person_id),
                inert(p.name.as_deref().unwrap_or("")),
            ];
            if let Some(c) = p.charge.as_ref().filter(|c| c.overcharge != "0.00") {
                refunds.push([who.to_vec(), vec![c.overcharge.clone()]].concat());
            }
            let s = p.settlement.as_ref();
            if p.status == "referred" {
                let held = s
                    .filter(|s| !s.authorised)
                    .map(|s| s.amount.clone())
                    .unwrap_or_default();
                referrals.push(
                    [
                        who.to_vec(),
                        vec![
                            p.net_variance_hours.clone(),
                            p.variance_percent.clone().unwrap_or_default(),
                            held,
                        ],
                    ]
                    .concat(),
                );
            }
            if let Some(s) = s.filter(|s| s.authorised) {
                remitted += pence(&s.amount);
                remittance.push(
                    [
                        who.to_vec(),
                        vec![
                            start.clone(),
                            end.clone(),
                            p.commissioned_hours.clone(),
                            p.delivered_hours.clone(),
                            s.amount.clone(),
                            s.method.to_uppercase(),
                        ],
                    ]
                    .concat(),
                );
            }
        }
        // The remittance lines of a provider add up to its total.
        assert_eq!(remitted, pence(&t.authorised), "{}", reference(d));
    }
    // Each kind's figures, in its first columns (the invoice number, line
    // words and references after them are tested on their own).
    let body = |kind: &str| records(&finance.export(kind).stdout)[1..].to_vec();
    let first = |kind: &str, n: usize| -> Vec<Vec<String>> {
        body(kind).into_iter().map(|r| r[..n].to_vec()).collect()
    };
    assert_eq!(first("payments", 5), payments);
    assert_eq!(first("invoices", 5), invoices);
    assert_eq!(first("refunds", 4), refunds);
    // Referrals: the columns the JSON gives (the last two are words).
    let got: Vec<Vec<String>> = body("referrals").into_iter().map(|r| r[..6].to_vec()).collect();
    assert_eq!(got, referrals);
    assert_eq!(first("remittance", 9), remittance);
}

#[test]
fn export_lines_are_sorted_by_provider_then_person() {
    let finance = Finance::new();
    for kind in ["refunds", "referrals", "remittance", "payments"] {
        let rows = records(&finance.export(kind).stdout);
        // The Person ID as written, without the leading ' of inert text.
        let keys: Vec<(String, String)> = rows[1..]
            .iter()
            .map(|r| {
                let person = if kind == "payments" {
                    String::new()
                } else {
                    r[1].strip_prefix('\'').unwrap_or(&r[1]).to_string()
                };
                (r[0].clone(), person)
            })
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted, "{kind}");
        assert!(keys.len() >= 2, "{kind}: {keys:?}");
    }
}

#[test]
fn a_rejected_submission_gives_no_line_and_is_named_on_stderr() {
    let finance = Finance::new();
    // d.xlsx, SUP00050 (it would sort first), has a blank week 3: rejected.
    let d = finance.files.workbook(
        "d.xlsx",
        &Return::new("Dee Care", "SUP00050", Some(24.0))
            .charged("D1", "Dot", 3.0, 100.0, weeks(1.0, &[]))
            .blank_week(0, 3),
    );
    let mut inputs = finance.inputs();
    inputs.insert(1, &d);
    for kind in KINDS {
        let with = export(kind, &inputs, &decisions(&finance.decisions));
        assert_eq!(with.code, Some(1), "{kind}: {}", with.stderr);
        // The rejected return named, then (money only) that nothing is on
        // record.
        let lines = with.stderr_lines();
        let money = kind != "referrals";
        assert_eq!(lines.len(), 1 + usize::from(money), "{kind}: {}", with.stderr);
        assert!(lines[0].contains("d.xlsx"), "{kind}: {}", lines[0]);
        if money {
            assert!(
                lines[1].starts_with("yourchoice: nothing was recorded"),
                "{kind}: {}",
                lines[1]
            );
        }
        // Exactly the lines of the run without it.
        assert_eq!(with.stdout(), finance.export(kind).stdout(), "{kind}");
    }
}

#[test]
fn out_writes_the_same_bytes_as_stdout() {
    let finance = Finance::new();
    for kind in KINDS {
        let file = finance.files.path(&format!("{kind}.csv"));
        let mut extra = decisions(&finance.decisions);
        extra.extend(["-o".to_string(), s(&file)]);
        let out = export(kind, &finance.inputs(), &extra);
        assert_eq!(out.code, Some(0), "{kind}: {}", out.stderr);
        assert!(out.stdout.is_empty(), "{kind}: {}", out.stdout());
        assert_eq!(
            std::fs::read(&file).unwrap(),
            finance.export(kind).stdout,
            "{kind}"
        );
    }
}

#[test]
fn formula_like_text_is_inert_in_every_export_and_amounts_stay_numbers() {
    let finance = Finance::new();
    let mut seen = 0;
    for kind in KINDS {
        let rows = records(&finance.export(kind).stdout);
        for row in &rows[1..] {
            for field in row {
                for raw in [HYPERLINK, "+Care Co", "-1+1", "@SUM(A1)"] {
                    if field.ends_with(raw) {
                        assert_eq!(field, &format!("'{raw}"), "{kind}: {row:?}");
                        seen += 1;
                    }
                }
                // Anything else a spreadsheet would run must be a plain
                // number (a negative amount or variance).
                if field.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                    assert!(
                        field.parse::<f64>().is_ok(),
                        "{kind}: {field:?} would be run as a formula"
                    );
                }
            }
        }
    }
    // Payments: '+Care Co. Invoices: the HYPERLINK name. Refunds, referrals
    // and remittance: '-1+1 and '@SUM(A1) each.
    assert_eq!(seen, 1 + 1 + 2 + 2 + 2);
    // The negative figures are plain numbers.
    let remittance = records(&finance.export("remittance").stdout);
    assert!(remittance.iter().any(|r| r[7] == "-168.00"));
    assert!(remittance.iter().any(|r| r[7] == "-25.00"));
    let referrals = records(&finance.export("referrals").stdout);
    assert_eq!(referrals[1][3..5], ["-7", "-17.95"]);
}

// ---------------------------------------------------------------------------
// More of the same rules, at their edges

#[test]
fn weeks_no_plan_covers_keep_the_submissions_bundle_and_are_named() {
    // The plan starts on Monday 11/05/2026 (week 6) at 12 hours; weeks 1-5
    // have no plan. The submission says 10.
    let plans = "P1,SUP00123,12,2026-05-11,\n";
    let mut hours = weeks(12.0, &[]);
    hours[..5].fill(10.0);
    let r = Return::standard().person("P1", "Ann", 10.0, hours);
    let doc = reconcile_with("plans = \"plans.csv\"\n", Some(plans), &r);
    let f = doc.only("unknown-person", Severity::Warning, Some("Hours!A7"));
    assert!(f.message.contains("weeks 1-5"), "{}", f.message);
    let f = doc.only("bundle-differs", Severity::Warning, Some("Hours!C7"));
    assert!(f.message.contains("12 hours for weeks 6-13"), "{}", f.message);
    let p1 = doc.person("P1");
    // Weeks 1-5 at the submission's 10, weeks 6-13 at the plan's 12:
    // H_c = 5 x 10 + 8 x 12 = 146 = H_d; V = 0; settlement £0.00.
    assert_eq!(p1.commissioned_hours, "146");
    assert_eq!(p1.delivered_hours, "146");
    assert_eq!(p1.settlement().amount, "0.00");
    assert_eq!(p1.settlement().method, "none");
}

#[test]
fn a_decision_matches_a_person_id_stored_as_a_number() {
    // P3 of [`three_people`] with the ID 100234 typed as a number: the JSON
    // writes its digits, and the decision for "100234" applies.
    let files = Files::new();
    let path = files.text(
        "decisions.csv",
        &format!("{DECISIONS_HEADER}SUP00123,100234,authorise,one-off,J Smith\n"),
    );
    let input = files.workbook("return.xlsx", &three_people().numeric_id(2, 100234.0));
    let (out, docs) = reconcile(&[&input], &decisions(&path));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let doc = &docs[0];
    assert!(doc.person("100234").settlement().authorised);
    doc.lacks("decision-unused");
    // As authorising P3: £360.00 authorised, -£168.00 held.
    assert_eq!(doc.totals(), &totals("360.00", "bacs", "-168.00", 1, 2, "168.00"));
}

#[test]
fn duplicates_with_one_file_name_in_two_folders_are_told_apart() {
    let files = Files::new();
    std::fs::create_dir(files.path("d1")).unwrap();
    std::fs::create_dir(files.path("d2")).unwrap();
    let r = Return::standard().person("P1", "Ann", 10.0, weeks(10.0, &[]));
    let a = r.save(&files.path("d1"), "return.xlsx");
    let b = r.save(&files.path("d2"), "return.xlsx");
    let (out, docs) = reconcile(&[&a, &b], &[]);
    assert_eq!(out.code, Some(1));
    let sep = std::path::MAIN_SEPARATOR;
    for doc in &docs {
        assert_eq!(doc.status, "rejected");
        let f = doc.only("duplicate-submission", Severity::Error, None);
        assert!(!f.message.contains(" and  "), "{}", f.message);
        assert!(
            f.message.contains(&format!("d1{sep}return.xlsx"))
                && f.message.contains(&format!("d2{sep}return.xlsx")),
            "{}",
            f.message
        );
    }
}

#[test]
fn a_decisions_line_in_a_crlf_file_is_named_by_its_own_number() {
    let files = Files::new();
    // Line 1 header, 2 P2's decision, 3 P3's, each ending in CR LF.
    let path = files.text(
        "decisions.csv",
        "Provider reference,Person ID,Decision,Reason,Officer\r\nSUP00123,P2,hold,awaiting review,A Jones\r\nSUP00123,P3,authorise,one-off,J Smith\r\n",
    );
    let input = files.workbook("return.xlsx", &three_people());
    let (_, docs) = reconcile(&[&input], &decisions(&path));
    let d = docs[0].person("P3").settlement().decision.as_ref().unwrap();
    assert_eq!(d.source, format!("{}:3", path.display()));
}

#[test]
fn exports_apply_the_councils_settings() {
    // As in the_councils_rate_wins_over_the_submissions: the council's £25.00
    // against the submission's £24.00, +3 hours: 3 x 25 = £75.00 paid.
    let files = Files::new();
    let toml = files.text(
        "council.toml",
        "[[provider]]\nreference = \"SUP00123\"\nrates = [ { from = \"2025-04-07\", rate = \"25.00\" } ]\n",
    );
    let input = files.workbook(
        "return.xlsx",
        &Return::standard().person("P1", "Ann", 10.0, weeks(10.0, &[(1, 11.0), (2, 11.0), (3, 11.0)])),
    );
    let out = export("payments", &[&input], &council(&toml));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(
        records(&out.stdout)[1..]
            .iter()
            .map(|r| r[..5].to_vec())
            .collect::<Vec<_>>(),
        [vec![
            "SUP00123",
            "Test Care Ltd",
            "2026-04-06",
            "2026-07-05",
            "75.00"
        ]]
    );
}

// ---------------------------------------------------------------------------
// Money controls (issue 21): the council's records win over a return, and
// a decision is bound to the figure the officer saw.

/// `reconcile RETURN --council council.toml [--decisions decisions.csv]`
/// with plans, the council's files written in a fresh folder.
fn reconcile_controlled(plans: &str, decisions_csv: Option<&str>, r: &Return) -> Doc {
    let files = Files::new();
    let toml = files.text("council.toml", "plans = \"plans.csv\"\n");
    files.text("plans.csv", &format!("{PLANS_HEADER}{plans}"));
    let input = files.workbook("return.xlsx", r);
    let mut args = council(&toml);
    if let Some(d) = decisions_csv {
        args.extend(decisions(&files.text("decisions.csv", d)));
    }
    reconciled(&input, &args)
}

#[test]
fn an_id_typed_in_another_case_is_the_plans_person_on_the_plans_bundle() {
    // Plan: P1001 at 10 hours. The return types ` p1001 ` with a bundle of
    // 12 and 9.5 hours in week 1, 10 after. On the plan: H_c = 130,
    // H_d = 129.5, V = -0.5 (T = 10.4, within), settlement -0.5 x £24.00 =
    // -£12.00, recovered. On the provider's 12 it would be V = -26.5,
    // referred: the return cannot step outside the plan by retyping.
    let r = Return::standard().person(" p1001 ", "Ann", 12.0, weeks(10.0, &[(1, 9.5)]));
    let doc = reconcile_controlled("P1001,SUP00123,10,2026-04-01,\n", None, &r);
    doc.lacks("unknown-person");
    let p = doc.person("P1001");
    assert_eq!(p.commissioned_hours, "130");
    assert_eq!(p.net_variance_hours, "-0.5");
    assert_eq!(p.status, "within_tolerance");
    assert_eq!(p.settlement().amount, "-12.00");
    assert!(p.settlement().authorised);
    assert_eq!(doc.totals().authorised, "-12.00");
}

#[test]
fn a_planned_person_left_out_of_the_return_is_a_finding() {
    // Plans: P1 and P2 with SUP00123 (P2 at 8 hours from 01/04/2026), P3 with
    // another provider, P4 with SUP00123 but ended before the period.
    let plans = "P1,SUP00123,10,2026-04-01,\nP2,SUP00123,8,2026-04-01,\nP3,SUP00999,6,2026-04-01,\nP4,SUP00123,5,2025-01-06,2026-03-29\n";
    let r = Return::standard().person("P1", "Ann", 10.0, weeks(10.0, &[]));
    let doc = reconcile_controlled(plans, None, &r);
    // P1 is on the first person row (Hours!7): P2's row would go on row 8.
    let f = doc.only("planned-person-missing", Severity::Warning, Some("Hours!8"));
    assert_eq!(f.person_id.as_deref(), Some("P2"));
    assert!(
        f.message.starts_with(
            "P2 is in the council's plans for this provider (8 hours for weeks 1-13), but not in the return, so nothing is settled for them."
        ),
        "{}",
        f.message
    );
    assert_eq!(doc.all("planned-person-missing").len(), 1, "not P3 nor P4");
}

#[test]
fn care_in_weeks_no_plan_covers_is_held_not_paid() {
    // Plan: P1 at 10 hours from Monday 04/05/2026 (week 5), P2 at 10 hours
    // from before the period. Both have bundle 10 and 10 hours a week but
    // one week of 10.5: H_c = 130, H_d = 130.5, V = +0.5 (T = 10.4, within),
    // settlement +0.5 x £24.00 = +£12.00 each. P1's weeks 1-4 rest on the
    // provider's own bundle (no plan covers them).
    let plans = "P1,SUP00123,10,2026-05-04,\nP2,SUP00123,10,2026-04-01,\n";
    let r = Return::standard()
        .person("P1", "Ann", 10.0, weeks(10.0, &[(1, 10.5)]))
        .person("P2", "Bob", 10.0, weeks(10.0, &[(2, 10.5)]));
    let doc = reconcile_controlled(plans, None, &r);
    // P1: V = +0.5, within, settlement +£12.00, but weeks 1-4 rest on the
    // provider's bundle: held. P2: the same figures on the plan: paid.
    let p1 = doc.person("P1");
    assert_eq!(p1.status, "within_tolerance");
    assert_eq!(p1.settlement().amount, "12.00");
    assert!(!p1.settlement().authorised);
    let f = doc.only("unknown-person", Severity::Warning, Some("Hours!A7"));
    assert!(
        f.message.contains("weeks 1-4") && f.message.contains("held for the officer's decision"),
        "{}",
        f.message
    );
    assert!(doc.person("P2").settlement().authorised);
    assert_eq!(doc.totals().authorised, "12.00");
    assert_eq!(doc.totals().held, "12.00");
    assert_eq!(doc.totals().referred_count, 0);
}

/// P2 referred: bundle 4, 2 hours every week: H_c = 52, H_d = 26, V = -26,
/// T = 4.16; settlement -26 x £24.00 = -£624.00, held.
fn referred_return(hours: f64) -> Return {
    Return::standard()
        .person("P1", "Ann", 10.0, weeks(10.0, &[]))
        .person("P2", "Bob", 4.0, weeks(hours, &[]))
}

const PLANS_P1_P2: &str = "P1,SUP00123,10,2026-04-01,\nP2,SUP00123,4,2026-04-01,\n";
const DECISIONS_AMOUNT_HEADER: &str = "Provider reference,Person ID,Decision,Reason,Officer,Amount\n";

#[test]
fn a_decision_applies_only_to_the_figure_it_was_made_on() {
    // Decided on -£624.00: applies to -£624.00.
    let decided =
        format!("{DECISIONS_AMOUNT_HEADER}SUP00123,P2,authorise,Agreed at review,Siân Thomas,-624.00\n");
    let doc = reconcile_controlled(PLANS_P1_P2, Some(&decided), &referred_return(2.0));
    let s = doc.person("P2").settlement();
    assert_eq!((s.amount.as_str(), s.authorised), ("-624.00", true));
    doc.lacks("decision-stale");
    doc.lacks("decision-unbound");
    assert_eq!(doc.totals().authorised, "-624.00");

    // The provider resubmits P2 at 8 hours a week (quadrupled): H_d = 104,
    // V = +52, settlement +52 x £24.00 = +£1,248.00. The same line does not
    // authorise it: held again, nothing paid.
    let doc = reconcile_controlled(PLANS_P1_P2, Some(&decided), &referred_return(8.0));
    let s = doc.person("P2").settlement();
    assert_eq!((s.amount.as_str(), s.authorised), ("1248.00", false));
    assert!(s.decision.is_none());
    let f = doc.only("decision-stale", Severity::Warning, Some("Hours!8"));
    assert!(
        f.message.starts_with("The decision to authorise P2 (Bob) in "),
        "{}",
        f.message
    );
    assert!(
        f.message.ends_with(
            "decisions.csv:2, by Siân Thomas, was made on a settlement of -£624.00; the settlement is now £1,248.00 (a resubmission, or other settings or plans), so the decision does not apply and the settlement is held again. Decide again on the figure now."
        ),
        "{}",
        f.message
    );
    assert_eq!(doc.totals().authorised, "0.00");
    assert_eq!(doc.totals().held, "1248.00");

    // A line without an amount still applies, with a notice.
    let unbound = format!("{DECISIONS_AMOUNT_HEADER}SUP00123,P2,authorise,Agreed,Siân Thomas,\n");
    let doc = reconcile_controlled(PLANS_P1_P2, Some(&unbound), &referred_return(8.0));
    assert!(doc.person("P2").settlement().authorised);
    let f = doc.only("decision-unbound", Severity::Info, Some("Hours!8"));
    assert!(
        f.message.contains("gives no Amount") && f.message.contains("£1,248.00"),
        "{}",
        f.message
    );
}

#[test]
fn a_decisions_file_saved_with_semicolons_is_read_as_such() {
    // As a European Excel saves it, with semicolons (and a comma inside a
    // field).
    let decided = "Provider reference;Person ID;Decision;Reason;Officer;Amount\nSUP00123;P2;authorise;Agreed, at review;Siân Thomas;-624.00\n";
    let doc = reconcile_controlled(PLANS_P1_P2, Some(decided), &referred_return(2.0));
    let s = doc.person("P2").settlement();
    assert!(s.authorised);
    assert_eq!(s.decision.as_ref().unwrap().reason, "Agreed, at review");
}

#[test]
fn every_output_names_the_provider_as_the_council_does() {
    // The return spells its reference ` sup00123 ` and its name its own way;
    // the council's settings know SUP00123 as "Test Care Ltd".
    let toml = "[[provider]]\nreference = \"SUP00123\"\nname = \"Test Care Ltd\"\nrates = [ { from = \"2025-04-07\", rate = \"24.00\" } ]\n";
    let r = Return::new("TEST CARE (our new name)", " sup00123 ", Some(24.0)).person(
        "P1",
        "Ann",
        10.0,
        weeks(10.0, &[]),
    );
    let doc = reconcile_with(toml, None, &r);
    let p = doc.provider.as_ref().unwrap();
    assert_eq!(p.reference.as_deref(), Some("SUP00123"));
    assert_eq!(p.name.as_deref(), Some("Test Care Ltd"));
}

#[test]
fn the_reports_summary_names_the_planned_people_missing_from_the_return() {
    let files = Files::new();
    let toml = files.text("council.toml", "plans = \"plans.csv\"\n");
    files.text(
        "plans.csv",
        &format!(
            "{PLANS_HEADER}P1,SUP00123,10,2026-04-01,\nP2,SUP00123,8,2026-04-01,\nP3,SUP00123,8,2026-04-01,\n"
        ),
    );
    let r = Return::standard().person("P1", "Ann", 10.0, weeks(10.0, &[]));
    let input = files.workbook("return.xlsx", &r);
    let report = files.path("report.xlsx");
    let mut args = vec!["reconcile".to_string(), s(&input), "-o".into(), s(&report)];
    args.extend(council(&toml));
    let out = yourchoice(&args);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&report).unwrap();
    use calamine::Reader;
    let summary = wb.worksheet_range("Summary").unwrap();
    let line = summary
        .rows()
        .find(|row| {
            row.first().is_some_and(
                |c| matches!(c, calamine::Data::String(t) if t == "In the plans, not in the return"),
            )
        })
        .expect("the Summary names them");
    assert_eq!(line[1].to_string(), "P2, P3 (2 people): see Findings");
}

#[test]
fn two_decision_lines_that_could_both_apply_are_refused() {
    // The same person in another case, and a line with a period beside one
    // without: either could win, so neither is guessed at.
    for second in [
        "SUP00123,p2,authorise,ok,Mallory,\n",
        " sup00123 ,P2,authorise,ok,Mallory,\n",
    ] {
        let files = Files::new();
        let toml = files.text("council.toml", "plans = \"plans.csv\"\n");
        files.text("plans.csv", &format!("{PLANS_HEADER}{PLANS_P1_P2}"));
        let d = files.text(
            "decisions.csv",
            &format!("{DECISIONS_AMOUNT_HEADER}SUP00123,P2,hold,wait,Siân Thomas,-624.00\n{second}"),
        );
        let input = files.workbook("return.xlsx", &referred_return(2.0));
        let mut args = vec!["reconcile".to_string(), s(&input), "--no-report".into()];
        args.extend(council(&toml));
        args.extend(decisions(&d));
        let out = yourchoice(&args);
        assert_eq!(out.code, Some(2), "{second}: {}", out.stderr);
        assert!(
            out.stderr.contains("decisions.csv:3: a second decision for"),
            "{}",
            out.stderr
        );
        assert!(out.stderr.contains("(the first is on line 2)"), "{}", out.stderr);
    }
    let files = Files::new();
    let d = files.text(
        "decisions.csv",
        "Provider reference,Person ID,Decision,Reason,Officer,Period start\nSUP00123,P2,hold,wait,A,2026-04-06\nSUP00123,P2,authorise,ok,B,\n",
    );
    let input = files.workbook("return.xlsx", &referred_return(2.0));
    let out = yourchoice(&[
        "reconcile".to_string(),
        s(&input),
        "--no-report".into(),
        "--decisions".into(),
        s(&d),
    ]);
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(out.stderr.contains("a second decision for P2"), "{}", out.stderr);
}

#[test]
fn an_id_with_a_hidden_character_is_held_and_named() {
    // `P2` followed by a zero-width space reads as P2, whom the plans hold:
    // it is not P2, so it is held, and the warning says why it looks alike.
    let r = Return::standard()
        .person("P1", "Ann", 10.0, weeks(10.0, &[]))
        .person("P2\u{200b}", "Bob", 4.0, weeks(4.0, &[(1, 5.0)]));
    let doc = reconcile_controlled(PLANS_P1_P2, None, &r);
    let f = doc.only("unknown-person", Severity::Warning, Some("Hours!A8"));
    assert!(
        f.message.contains("not plain letters or digits (U+200B)"),
        "{}",
        f.message
    );
    assert!(!doc.person("P2\u{200b}").settlement().authorised);
    assert_eq!(
        doc.all("planned-person-missing").len(),
        1,
        "the real P2 is missing"
    );
}
