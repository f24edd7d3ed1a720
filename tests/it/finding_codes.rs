//! One test per finding code of SPEC 5 that concerns the submission itself
//! (every code of `findings::codes!` except `rate-differs`, `bundle-differs`
//! and `unknown-person`, which need council settings). Each test writes a
//! small real workbook with rust_xlsxwriter, breaks one thing in it, runs
//! `yourchoice reconcile FILE --json --no-report` and checks the finding's
//! code, severity and exact cell, and the exit code (SPEC 0: 0 reconciled,
//! 1 rejected, 2 failure).
//!
//! The workbook [`Return::valid`] writes, and so the cells the tests name:
//!
//! - `Details`: A1 `Provider name`, A2 `Provider reference`, A3 `Period
//!   start` (Monday 06/04/2026), A4 `Blended hourly rate` (24.00), values in
//!   column B; labels added by a test go to A5, A6, ...
//! - `Hours`: a title in A1, the header row in row 6 (`Person ID`, `Name`,
//!   `Weekly bundle`, `Week 1` .. `Week 13` in A..P, so week k is in column
//!   D + k − 1: week 1 D, week 3 F, week 5 H, week 13 P), columns added by a
//!   test from Q on, and one person from row 7: P1, bundle 10, 10 hours
//!   every week (no finding at all).

use std::path::Path;

use crate::common::bin::yourchoice;
use crate::common::doc::{ChangeInNeed, Doc, Finding, Person, Severity};
use crate::common::workbook::{Return, V, WEEKS, n, t};

// ---------------------------------------------------------------------------
// The workbook

impl Return {
    /// Write the workbook and reconcile it.
    fn run(&self) -> Run {
        let dir = tempfile::tempdir().unwrap();
        let path = self.save(dir.path(), "return.xlsx");
        reconcile(&path)
    }
}

/// One run of the binary.
struct Run {
    exit: Option<i32>,
    doc: Doc,
}

fn reconcile(path: &Path) -> Run {
    let output = yourchoice()
        .args(["reconcile", path.to_str().unwrap(), "--json", "--no-report"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines.len(),
        1,
        "expected one JSON line, got: {stdout}\nstderr: {stderr}"
    );
    let doc: Doc =
        serde_json::from_str(lines[0]).unwrap_or_else(|e| panic!("not SPEC 8.2 JSON ({e}): {stdout}"));
    assert_eq!(doc.schema, "yourchoice.reconciliation/1");
    assert_eq!(doc.source, path.file_name().unwrap().to_str().unwrap());
    Run {
        exit: output.status.code(),
        doc,
    }
}

impl Run {
    /// Every finding with `code`.
    fn all(&self, code: &str) -> Vec<&Finding> {
        self.doc.all(code)
    }

    /// The one finding with `code`, which must have `severity` and `cell`.
    fn only(&self, code: &str, severity: Severity, cell: Option<&str>) -> &Finding {
        self.doc.only(code, severity, cell)
    }

    /// A finding with `code` at `cell`, which must have `severity`.
    fn at(&self, code: &str, severity: Severity, cell: Option<&str>) -> &Finding {
        let f = self
            .doc
            .findings
            .iter()
            .find(|f| f.code == code && f.cell.as_deref() == cell)
            .unwrap_or_else(|| panic!("no {code} finding at {cell:?}, got: {:#?}", self.doc.findings));
        assert_eq!(f.severity, severity, "{f:?}");
        f
    }

    fn lacks(&self, code: &str) {
        self.doc.lacks(code);
    }

    /// Rejected (SPEC 8.2: no people, no totals) with exit 1 (SPEC 0).
    fn assert_rejected(&self) {
        assert_eq!(self.doc.status, "rejected", "{:#?}", self.doc.findings);
        assert!(self.doc.people.is_empty());
        assert!(self.doc.totals.is_none());
        assert!(self.doc.findings.iter().any(|f| f.severity == Severity::Error));
        assert_eq!(self.exit, Some(1));
    }

    /// Reconciled, no error, exit 0.
    fn assert_reconciled(&self) {
        assert_eq!(self.doc.status, "reconciled", "{:#?}", self.doc.findings);
        assert!(
            self.doc.findings.iter().all(|f| f.severity != Severity::Error),
            "{:#?}",
            self.doc.findings
        );
        assert!(self.doc.totals.is_some());
        assert_eq!(self.exit, Some(0));
    }

    fn person(&self, id: &str) -> &Person {
        self.doc.person(id)
    }
}

// ---------------------------------------------------------------------------
// The valid return, and the file-level failures

#[test]
fn a_valid_return_has_no_finding_and_is_reconciled() {
    let run = Return::valid().run();
    run.assert_reconciled();
    assert!(run.doc.findings.is_empty(), "{:#?}", run.doc.findings);
    let provider = run.doc.provider.as_ref().unwrap();
    assert_eq!(provider.name.as_deref(), Some("Test Care Ltd"));
    assert_eq!(provider.reference.as_deref(), Some("SUP00123"));
    assert_eq!(run.doc.period.as_ref().unwrap().start, "2026-04-06");
    let p1 = run.person("P1");
    assert_eq!(p1.status, "within_tolerance");
    assert_eq!(p1.net_variance_hours, "0");
    let s = p1.settlement.as_ref().unwrap();
    assert_eq!(s.amount, "0.00");
    assert!(s.authorised);
    let totals = run.doc.totals.as_ref().unwrap();
    assert_eq!(totals.authorised, "0.00");
    assert_eq!(totals.held_count, 0);
}

#[test]
fn unreadable_workbook_from_a_file_that_is_not_a_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("return.xlsx");
    std::fs::write(&path, "Person ID,Name\nP1,Ann\n").unwrap();
    let run = reconcile(&path);
    run.assert_rejected();
    let f = run.only("unreadable-workbook", Severity::Error, None);
    assert!(f.message.contains("return.xlsx"), "{}", f.message);
    assert!(f.message.contains(".xlsx"), "{}", f.message);
    // SPEC 8.2: provider and period null where they could not be read.
    assert!(run.doc.provider.is_none());
    assert!(run.doc.period.is_none());
}

#[test]
fn unreadable_workbook_from_an_empty_or_truncated_file() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.xlsx");
    std::fs::write(&empty, b"").unwrap();
    let run = reconcile(&empty);
    run.assert_rejected();
    run.only("unreadable-workbook", Severity::Error, None);

    // A real workbook cut short (a corrupt download).
    let whole = Return::valid().save(dir.path(), "whole.xlsx");
    let bytes = std::fs::read(&whole).unwrap();
    let cut = dir.path().join("cut.xlsx");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let run = reconcile(&cut);
    run.assert_rejected();
    run.only("unreadable-workbook", Severity::Error, None);
}

#[test]
fn a_file_that_does_not_exist_is_exit_2_with_one_line_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nowhere.xlsx");
    let output = yourchoice()
        .args(["reconcile", path.to_str().unwrap(), "--json", "--no-report"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty(), "no partial output on stdout");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("nowhere.xlsx"), "{stderr}");
    assert!(!dir.path().join("nowhere.report.xlsx").exists());
}

#[test]
fn missing_sheet() {
    let run = Return {
        hours_sheet: "Sheet2".into(),
        ..Return::valid()
    }
    .run();
    run.assert_rejected();
    let f = run.only("missing-sheet", Severity::Error, None);
    assert!(f.message.contains("Hours"), "{}", f.message);

    // Without a Details sheet nothing of the provider or period is known.
    let run = Return {
        details_sheet: "Front page".into(),
        ..Return::valid()
    }
    .run();
    run.assert_rejected();
    let f = run.only("missing-sheet", Severity::Error, None);
    assert!(f.message.contains("Details"), "{}", f.message);
    assert!(run.doc.provider.is_none());
    assert!(run.doc.period.is_none());
}

#[test]
fn sheets_are_matched_ignoring_case_and_spaces() {
    let run = Return {
        details_sheet: " details ".into(),
        hours_sheet: "HOURS".into(),
        ..Return::valid()
    }
    .run();
    run.assert_reconciled();
}

#[test]
fn missing_detail() {
    // The label with a blank value: the value's cell.
    let run = Return::valid().detail("Provider reference", V::Blank).run();
    run.assert_rejected();
    let f = run.only("missing-detail", Severity::Error, Some("Details!B2"));
    assert!(f.message.contains("column B"), "{}", f.message);

    // No such label at all: no cell.
    let run = Return::valid().without_detail("Provider name").run();
    run.assert_rejected();
    run.only("missing-detail", Severity::Error, None);

    let run = Return::valid().detail("Period start", V::Blank).run();
    run.assert_rejected();
    run.only("missing-detail", Severity::Error, Some("Details!B3"));
}

#[test]
fn missing_column() {
    let run = Return::valid().without_column("Week 7").run();
    run.assert_rejected();
    let f = run.only("missing-column", Severity::Error, Some("Hours!6"));
    assert!(f.message.contains("Week 7"), "{}", f.message);

    let run = Return::valid().without_column("Weekly bundle").run();
    run.assert_rejected();
    let f = run.only("missing-column", Severity::Error, Some("Hours!6"));
    assert!(f.message.contains("Weekly bundle"), "{}", f.message);
}

#[test]
fn duplicate_column() {
    let run = Return::valid().column(t("Week 3")).run();
    run.assert_rejected();
    let f = run.only("duplicate-column", Severity::Error, Some("Hours!Q6"));
    // The message names both cells.
    assert!(f.message.contains("Hours!F6"), "{}", f.message);
}

#[test]
fn missing_person_id() {
    let run = Return::valid().person("", "Bob Nobody", n(5.0), n(5.0)).run();
    run.assert_rejected();
    let f = run.only("missing-person-id", Severity::Error, Some("Hours!A8"));
    assert!(f.message.contains("Person ID"), "{}", f.message);
}

#[test]
fn bad_date() {
    // Month-first order is never guessed (SPEC 7).
    let run = Return::valid().detail("Period start", t("04/13/2026")).run();
    run.assert_rejected();
    let f = run.only("bad-date", Severity::Error, Some("Details!B3"));
    assert!(f.message.contains("dd/mm/yyyy"), "{}", f.message);

    let run = Return::valid()
        .column(t("Care start"))
        .set("P1", "Care start", t("next Monday"))
        .run();
    run.assert_rejected();
    let f = run.only("bad-date", Severity::Error, Some("Hours!Q7"));
    assert_eq!(f.person_id.as_deref(), Some("P1"));
}

#[test]
fn dates_in_uk_and_iso_text_are_read() {
    let run = Return::valid().detail("Period start", t("06/04/2026")).run();
    run.assert_reconciled();
    let run = Return::valid().detail("Period start", t("2026-04-06")).run();
    run.assert_reconciled();
    // A plain serial number in a date cell (46118 is 06/04/2026).
    let run = Return::valid().detail("Period start", n(46118.0)).run();
    run.assert_reconciled();
    assert_eq!(run.doc.period.as_ref().unwrap().start, "2026-04-06");
}

#[test]
fn bad_number() {
    let run = Return::valid()
        .detail("Blended hourly rate", t("twenty-four"))
        .run();
    run.assert_rejected();
    run.only("bad-number", Severity::Error, Some("Details!B4"));
    // The unreadable rate is reported once, not also as missing.
    assert!(run.all("rate-missing").is_empty(), "{:#?}", run.doc.findings);

    let run = Return::valid().set("P1", "Weekly bundle", t("ten")).run();
    run.assert_rejected();
    let f = run.only("bad-number", Severity::Error, Some("Hours!C7"));
    assert_eq!(f.person_id.as_deref(), Some("P1"));

    let run = Return::valid()
        .column(t("Assessed weekly charge"))
        .set("P1", "Assessed weekly charge", t("a lot"))
        .run();
    run.assert_rejected();
    run.only("bad-number", Severity::Error, Some("Hours!Q7"));
}

#[test]
fn bad_hours() {
    let run = Return::valid().set("P1", "Week 3", t("seven")).run();
    run.assert_rejected();
    let f = run.only("bad-hours", Severity::Error, Some("Hours!F7"));
    assert_eq!(f.person_id.as_deref(), Some("P1"));
    // Says how to write hours.
    assert!(f.message.contains("7:30"), "{}", f.message);
    // A bad cell is reported once: not also as missing.
    run.lacks("missing-hours");
}

#[test]
fn hours_as_text_and_durations_are_read() {
    let run = Return::valid()
        .set("P1", "Week 1", t(" 10 "))
        .set("P1", "Week 2", t("10:00"))
        .set("P1", "Week 3", V::Duration(10.0))
        .set("P1", "Week 4", V::TimeOfDay(10.0))
        .set("P1", "Weekly bundle", V::Duration(10.0))
        .run();
    run.assert_reconciled();
    assert!(run.doc.findings.is_empty(), "{:#?}", run.doc.findings);

    // A time of day over 12 hours (08:00:00 PM) is 20 hours.
    let run = Return::valid()
        .set("P1", "Weekly bundle", n(20.0))
        .weeks("P1", [20.0; WEEKS])
        .set("P1", "Week 6", V::TimeOfDay(20.0))
        .run();
    run.assert_reconciled();
    assert!(run.doc.findings.is_empty(), "{:#?}", run.doc.findings);
}

#[test]
fn cell_error() {
    let run = Return::valid().set("P1", "Week 5", V::Error("#DIV/0!")).run();
    run.assert_rejected();
    let f = run.only("cell-error", Severity::Error, Some("Hours!H7"));
    assert!(f.message.contains("#DIV/0!"), "{}", f.message);
    run.lacks("missing-hours");
}

#[test]
fn negative() {
    let run = Return::valid().set("P1", "Week 2", n(-1.0)).run();
    run.assert_rejected();
    let f = run.only("negative", Severity::Error, Some("Hours!E7"));
    assert!(f.message.contains("0 if none"), "{}", f.message);

    let run = Return::valid().detail("Blended hourly rate", n(-24.0)).run();
    run.assert_rejected();
    run.only("negative", Severity::Error, Some("Details!B4"));

    let run = Return::valid().set("P1", "Weekly bundle", n(-10.0)).run();
    run.assert_rejected();
    run.only("negative", Severity::Error, Some("Hours!C7"));
}

#[test]
fn zero_bundle() {
    let run = Return::valid().set("P1", "Weekly bundle", n(0.0)).run();
    run.assert_rejected();
    let f = run.only("zero-bundle", Severity::Error, Some("Hours!C7"));
    assert_eq!(f.person_id.as_deref(), Some("P1"));
}

#[test]
fn hours_over_week() {
    let run = Return::valid().set("P1", "Week 1", n(169.0)).run();
    run.assert_rejected();
    run.only("hours-over-week", Severity::Error, Some("Hours!D7"));

    // A calendar date typed in an hours column is a length of time of many
    // years: reported as more than a week (SPEC 7).
    let run = Return::valid().set("P1", "Week 2", V::Date(2026, 4, 13)).run();
    run.assert_rejected();
    run.only("hours-over-week", Severity::Error, Some("Hours!E7"));
}

#[test]
fn exactly_168_hours_is_not_over_the_week() {
    let run = Return::valid()
        .set("P1", "Weekly bundle", n(60.0))
        .weeks("P1", [60.0; WEEKS])
        .set("P1", "Week 1", n(168.0))
        .run();
    run.assert_reconciled();
    run.lacks("hours-over-week");
}

#[test]
fn missing_hours() {
    let run = Return::valid().set("P1", "Week 4", V::Blank).run();
    run.assert_rejected();
    let f = run.only("missing-hours", Severity::Error, Some("Hours!G7"));
    assert_eq!(f.person_id.as_deref(), Some("P1"));
    // Tells the provider to enter 0 if no care was provided (SPEC 2).
    assert!(f.message.contains("0 if no care"), "{}", f.message);
}

#[test]
fn hours_outside_care() {
    // Care from Monday 20/04/2026: weeks 1 and 2 are outside the care dates.
    let run = Return::valid()
        .column(t("Care start"))
        .set("P1", "Care start", V::Date(2026, 4, 20))
        .set("P1", "Week 2", V::Blank)
        .run();
    run.assert_rejected();
    let f = run.only("hours-outside-care", Severity::Error, Some("Hours!D7"));
    assert_eq!(f.person_id.as_deref(), Some("P1"));
    // A blank week outside the care dates is not missing.
    run.lacks("missing-hours");
}

#[test]
fn weeks_outside_care_may_be_blank_or_zero() {
    let run = Return::valid()
        .column(t("Care start"))
        .set("P1", "Care start", V::Date(2026, 4, 20))
        .set("P1", "Week 1", n(0.0))
        .set("P1", "Week 2", V::Blank)
        .run();
    run.assert_reconciled();
    // Weeks outside the care dates are not no-care weeks either.
    assert!(run.person("P1").no_care_weeks.is_empty());
    run.lacks("no-care-week");
}

#[test]
fn overlapping_rows() {
    let run = Return::valid()
        .person("P1", "Ann Example", n(12.0), n(12.0))
        .run();
    run.assert_rejected();
    // At the later row; the message cites both.
    let f = run.only("overlapping-rows", Severity::Error, Some("Hours!8"));
    assert!(f.message.contains("7 and 8"), "{}", f.message);
    assert_eq!(f.person_id.as_deref(), Some("P1"));
}

#[test]
fn two_rows_of_one_person_with_care_dates_that_do_not_overlap_are_joined() {
    // Bundle 10 to Sunday 03/05/2026 (weeks 1-4), then 12 (weeks 5-13).
    let mut wb = Return::valid()
        .person("P1", "Ann Example", n(12.0), n(12.0))
        .column(t("Care start"))
        .column(t("Care end"))
        .set_row(0, "Care end", V::Date(2026, 5, 3))
        .set_row(1, "Care start", V::Date(2026, 5, 4));
    for k in 1..=WEEKS {
        // Each row's weeks outside its care dates blank (row 7) or 0 (row 8).
        wb = match k {
            1..=4 => wb.set_row(1, &format!("Week {k}"), n(0.0)),
            _ => wb.set_row(0, &format!("Week {k}"), V::Blank),
        };
    }
    let run = wb.run();
    run.assert_reconciled();
    assert_eq!(run.doc.people.len(), 1);
    run.lacks("overlapping-rows");
}

#[test]
fn period_start_not_week_start() {
    // Tuesday 07/04/2026.
    let run = Return::valid().detail("Period start", V::Date(2026, 4, 7)).run();
    run.assert_rejected();
    let f = run.only("period-start-not-week-start", Severity::Error, Some("Details!B3"));
    // Names the Monday before.
    assert!(f.message.contains("06/04/2026"), "{}", f.message);
}

#[test]
fn week_date_mismatch() {
    // Week 5 commences on Monday 04/05/2026, not Tuesday 05/05/2026.
    let run = Return::valid().rename("Week 5", V::Date(2026, 5, 5)).run();
    run.assert_rejected();
    let f = run.only("week-date-mismatch", Severity::Error, Some("Hours!H6"));
    assert!(f.message.contains("04/05/2026"), "{}", f.message);
    // One wrong date is one finding.
    run.lacks("missing-column");
}

#[test]
fn week_headers_given_as_their_commencing_dates_are_read() {
    let run = Return::valid()
        .rename("Week 5", V::Date(2026, 5, 4))
        .rename("Week 13", t("29/06/2026"))
        .run();
    run.assert_reconciled();
    assert!(run.doc.findings.is_empty(), "{:#?}", run.doc.findings);
}

#[test]
fn bad_rate_change() {
    // A new rate without a date.
    let run = Return::valid().detail("New blended hourly rate", n(25.0)).run();
    run.assert_rejected();
    run.only("bad-rate-change", Severity::Error, Some("Details!B5"));

    // A date that is not a week start (Wednesday 06/05/2026).
    let run = Return::valid()
        .detail("New blended hourly rate", n(25.0))
        .detail("New rate from", V::Date(2026, 5, 6))
        .run();
    run.assert_rejected();
    run.only("bad-rate-change", Severity::Error, Some("Details!B6"));

    // A week start after the period (Monday 06/07/2026).
    let run = Return::valid()
        .detail("New blended hourly rate", n(25.0))
        .detail("New rate from", V::Date(2026, 7, 6))
        .run();
    run.assert_rejected();
    run.only("bad-rate-change", Severity::Error, Some("Details!B6"));
}

#[test]
fn a_rate_change_on_a_week_start_is_accepted() {
    // 24.00 for weeks 1-4, 25.00 from week 5; one hour over in week 1 (at
    // 24.00) and one in week 5 (at 25.00).
    let run = Return::valid()
        .detail("New blended hourly rate", n(25.0))
        .detail("New rate from", V::Date(2026, 5, 4))
        .set("P1", "Week 1", n(11.0))
        .set("P1", "Week 5", n(11.0))
        .run();
    run.assert_reconciled();
    assert_eq!(run.person("P1").settlement.as_ref().unwrap().amount, "49.00");
}

#[test]
fn rate_missing() {
    // The label with a blank value: the value's cell.
    let run = Return::valid().detail("Blended hourly rate", V::Blank).run();
    run.assert_rejected();
    let f = run.only("rate-missing", Severity::Error, Some("Details!B4"));
    assert!(f.message.contains("Blended hourly rate"), "{}", f.message);

    // No label at all.
    let run = Return::valid().without_detail("Blended hourly rate").run();
    run.assert_rejected();
    run.only("rate-missing", Severity::Error, None);
}

// ---------------------------------------------------------------------------
// Warnings: reconciled all the same (exit 0)

#[test]
fn total_mismatch() {
    let run = Return::valid()
        .column(t("Total"))
        .set("P1", "Total", n(131.0))
        .run();
    run.assert_reconciled();
    let f = run.only("total-mismatch", Severity::Warning, Some("Hours!Q7"));
    assert!(f.message.contains("130"), "{}", f.message);

    // A right total agrees.
    let run = Return::valid()
        .column(t("Total"))
        .set("P1", "Total", n(130.0))
        .run();
    run.assert_reconciled();
    run.lacks("total-mismatch");

    // So does one shown to two decimals: 13 × 7:20 = 95 h 20 min, 95.33.
    let seven_twenty = V::Duration(7.0 + 20.0 / 60.0);
    let run = Return::valid()
        .person("P2", "Bob Example", seven_twenty.clone(), seven_twenty)
        .column(t("Total"))
        .set("P1", "Total", n(130.0))
        .set("P2", "Total", n(95.33))
        .run();
    run.assert_reconciled();
    run.lacks("total-mismatch");
}

#[test]
fn total_mismatch_in_the_totals_row() {
    let run = Return::valid()
        .person("P2", "Bob Example", n(5.0), n(5.0))
        .person("Totals", "", V::Blank, n(15.0))
        .set("Totals", "Week 3", n(16.0))
        .run();
    run.assert_reconciled();
    run.only("total-mismatch", Severity::Warning, Some("Hours!F9"));
    // The totals row is not a person.
    assert_eq!(run.doc.people.len(), 2);
}

#[test]
fn week_over_3x_bundle() {
    let run = Return::valid().set("P1", "Week 2", n(31.0)).run();
    run.assert_reconciled();
    run.only("week-over-3x-bundle", Severity::Warning, Some("Hours!E7"));

    // Exactly 3 × the bundle is not over it.
    let run = Return::valid().set("P1", "Week 2", n(30.0)).run();
    run.assert_reconciled();
    run.lacks("week-over-3x-bundle");
}

#[test]
fn late_submission() {
    // Period end Sunday 05/07/2026, submission due Sunday 19/07/2026.
    let run = Return::valid()
        .detail("Submission date", V::Date(2026, 7, 20))
        .run();
    run.assert_reconciled();
    run.only("late-submission", Severity::Warning, Some("Details!B5"));
    let period = run.doc.period.as_ref().unwrap();
    assert_eq!(period.submission_due, "2026-07-19");
    assert_eq!(period.submitted.as_deref(), Some("2026-07-20"));
    assert!(period.late);

    // On the due date is not late.
    let run = Return::valid()
        .detail("Submission date", V::Date(2026, 7, 19))
        .run();
    run.assert_reconciled();
    run.lacks("late-submission");
    assert!(!run.doc.period.as_ref().unwrap().late);
}

#[test]
fn decision_column_ignored() {
    // P1 is referred (9 hours a week: V = −13 > T = 10.4); the provider's
    // own "authorise" changes nothing.
    let run = Return::valid()
        .weeks("P1", [9.0; WEEKS])
        .column(t("Decision"))
        .set("P1", "Decision", t("authorise"))
        .run();
    run.assert_reconciled();
    run.only("decision-column-ignored", Severity::Warning, Some("Hours!Q6"));
    let s = run.person("P1").settlement.as_ref().unwrap();
    assert!(!s.authorised);
    assert_eq!(run.doc.totals.as_ref().unwrap().held_count, 1);
}

#[test]
fn outside_tolerance() {
    // 9 a week against 10: V = −13, T = 8% × 130 = 10.4.
    let run = Return::valid().weeks("P1", [9.0; WEEKS]).run();
    run.assert_reconciled();
    let f = run.only("outside-tolerance", Severity::Warning, Some("Hours!7"));
    assert_eq!(f.person_id.as_deref(), Some("P1"));
    let p1 = run.person("P1");
    assert_eq!(p1.status, "referred");
    let s = p1.settlement.as_ref().unwrap();
    assert_eq!(s.amount, "-312.00");
    assert!(!s.authorised);
}

#[test]
fn the_tolerance_boundary_is_within() {
    // Bundle 12.5, 13.5 a week: V = 13 = 8% of 162.5 exactly.
    let run = Return::valid()
        .set("P1", "Weekly bundle", n(12.5))
        .weeks("P1", [13.5; WEEKS])
        .run();
    run.assert_reconciled();
    run.lacks("outside-tolerance");
    assert_eq!(run.person("P1").status, "within_tolerance");
}

#[test]
fn bank_limit_exceeded() {
    // Bank: 5, 10, 11 (> T = 10.4 in week 3), then 0.5 a week paid back.
    let run = Return::valid()
        .weeks(
            "P1",
            [
                5.0, 5.0, 9.0, 10.5, 10.5, 10.5, 10.5, 10.5, 10.5, 10.5, 10.5, 10.5, 10.5,
            ],
        )
        .run();
    run.assert_reconciled();
    // At the week the limit was first passed.
    let f = run.only("bank-limit-exceeded", Severity::Warning, Some("Hours!F7"));
    assert_eq!(f.person_id.as_deref(), Some("P1"));
    let p1 = run.person("P1");
    assert_eq!(p1.bank.limit_first_week, Some(3));
    assert_eq!(p1.bank.peak_hours, "11");
    // The period can still end within tolerance (V = −6).
    assert_eq!(p1.status, "within_tolerance");
    assert_eq!(p1.net_variance_hours, "-6");
    run.lacks("change-in-need");
}

#[test]
fn change_in_need() {
    // Weeks 1-4 each 1 h (10%) under the bundle; V = −4, within tolerance.
    let run = Return::valid()
        .weeks(
            "P1",
            [
                9.0, 9.0, 9.0, 9.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0,
            ],
        )
        .run();
    run.assert_reconciled();
    // At the first week of the run.
    run.only("change-in-need", Severity::Warning, Some("Hours!D7"));
    assert_eq!(
        run.person("P1").change_in_need,
        Some(ChangeInNeed {
            first_week: 1,
            last_week: 4,
            direction: "less".into()
        })
    );
    run.lacks("bank-limit-exceeded");
    run.lacks("outside-tolerance");

    // A no-care week neither breaks nor extends a run (SPEC 3): weeks 1, 2,
    // 4 and 5 under the bundle, week 3 no care.
    let run = Return::valid()
        .weeks(
            "P1",
            [
                9.0, 9.0, 0.0, 9.0, 9.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0,
            ],
        )
        .run();
    run.assert_reconciled();
    run.only("change-in-need", Severity::Warning, Some("Hours!D7"));
    assert_eq!(
        run.person("P1").change_in_need,
        Some(ChangeInNeed {
            first_week: 1,
            last_week: 5,
            direction: "less".into()
        })
    );

    // Three weeks are not enough.
    let run = Return::valid()
        .weeks(
            "P1",
            [
                9.0, 9.0, 9.0, 10.0, 9.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0,
            ],
        )
        .run();
    run.assert_reconciled();
    run.lacks("change-in-need");
}

#[test]
fn no_care_week() {
    let run = Return::valid().set("P1", "Week 5", n(0.0)).run();
    run.assert_reconciled();
    let f = run.only("no-care-week", Severity::Info, Some("Hours!H7"));
    assert_eq!(f.person_id.as_deref(), Some("P1"));
    let p1 = run.person("P1");
    assert_eq!(p1.no_care_weeks, [5]);
    // Not commissioned, not billed: no variance from it.
    assert_eq!(p1.net_variance_hours, "0");
}

#[test]
fn no_care_in_period() {
    let run = Return::valid().weeks("P1", [0.0; WEEKS]).run();
    run.assert_reconciled();
    let f = run.only("no-care-in-period", Severity::Info, Some("Hours!7"));
    assert_eq!(f.person_id.as_deref(), Some("P1"));
    let p1 = run.person("P1");
    assert_eq!(p1.status, "no_care");
    assert!(p1.settlement.is_none());
    // No care in any week is said once, not again week by week.
    assert_eq!(run.all("no-care-week").len(), 0);
}

#[test]
fn several_no_care_weeks_are_one_notice() {
    let run = Return::valid()
        .set("P1", "Week 5", n(0.0))
        .set("P1", "Week 6", n(0.0))
        .set("P1", "Week 9", n(0.0))
        .run();
    run.assert_reconciled();
    let f = run.only("no-care-week", Severity::Info, Some("Hours!H7"));
    assert!(f.message.contains("weeks 5-6, 9"), "{}", f.message);
    assert_eq!(run.person("P1").no_care_weeks, [5, 6, 9]);
}

// ---------------------------------------------------------------------------
// All findings, not just the first

#[test]
fn several_errors_in_one_workbook_are_all_reported() {
    let run = Return::valid()
        .person("P2", "Bob Example", n(5.0), n(5.0))
        .detail("Blended hourly rate", t("twenty-four"))
        .detail("Submission date", t("31/02/2026"))
        .set("P1", "Week 3", t("seven"))
        .set("P1", "Week 4", V::Blank)
        .set("P1", "Week 5", V::Error("#REF!"))
        .set("P2", "Weekly bundle", n(0.0))
        .set("P2", "Week 1", n(-2.0))
        .set("P2", "Week 13", n(200.0))
        .run();
    run.assert_rejected();
    for (code, cell) in [
        ("bad-number", "Details!B4"),
        ("bad-date", "Details!B5"),
        ("bad-hours", "Hours!F7"),
        ("missing-hours", "Hours!G7"),
        ("cell-error", "Hours!H7"),
        ("zero-bundle", "Hours!C8"),
        ("negative", "Hours!D8"),
        ("hours-over-week", "Hours!P8"),
    ] {
        run.at(code, Severity::Error, Some(cell));
    }
    // Errors come first (SPEC 5 order of severity).
    let first_non_error = run
        .doc
        .findings
        .iter()
        .position(|f| f.severity != Severity::Error)
        .unwrap_or(run.doc.findings.len());
    assert!(
        run.doc.findings[first_non_error..]
            .iter()
            .all(|f| f.severity != Severity::Error)
    );
}

#[test]
fn warnings_and_notices_alongside_an_error_are_still_reported() {
    let run = Return::valid()
        .column(t("Total"))
        .set("P1", "Total", n(999.0))
        .set("P1", "Week 2", V::Blank)
        .run();
    run.assert_rejected();
    run.at("missing-hours", Severity::Error, Some("Hours!E7"));
    run.at("total-mismatch", Severity::Warning, Some("Hours!Q7"));
}

// ---------------------------------------------------------------------------
// How labels and headers are matched (SPEC 7): not findings

#[test]
fn labels_and_headers_are_matched_ignoring_case_spaces_and_a_trailing_colon() {
    let mut wb = Return::valid();
    wb.details[0].0 = "  PROVIDER NAME: ".into();
    wb.details[2].0 = "period start:".into();
    let run = wb
        .rename("Weekly bundle", t(" weekly BUNDLE "))
        .rename("Week 1", t("WEEK 1"))
        .rename("Person ID", t(" person id "))
        .run();
    run.assert_reconciled();
    assert!(run.doc.findings.is_empty(), "{:#?}", run.doc.findings);
    assert_eq!(
        run.doc.provider.as_ref().unwrap().name.as_deref(),
        Some("Test Care Ltd")
    );
}

#[test]
fn a_numeric_person_id_is_written_as_its_digits() {
    let mut wb = Return::valid();
    wb.rows[0][0] = n(100234.0);
    let run = wb.run();
    run.assert_reconciled();
    assert_eq!(run.doc.people[0].person_id, "100234");
}
