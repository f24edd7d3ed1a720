//! Golden tests: what a user sees, pinned by `insta` snapshots in
//! `tests/snapshots/`, so a refactor cannot change it silently.
//!
//! Each case runs the real binary from the repository root, stdout piped
//! (plain, no colour), with `NO_COLOR=1` and `COLUMNS=100`, and snapshots
//! the command line, the exit code, stdout and stderr. Reconcile runs pass
//! `--no-report`, so no file in the repository is written.
//!
//! A change of output fails here: run `cargo insta review` (or
//! `INSTA_UPDATE=always cargo test --test it golden::` and read `git diff
//! tests/snapshots`) and accept only what a user should see.

use std::path::Path;

use serde_json::Value;

use crate::common::bin::yourchoice;
use crate::common::doc::Doc;
use crate::common::files;

/// The repository root: every path below is relative to it, as a user
/// would type it there.
fn root() -> &'static Path {
    files::root()
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Run {
    let out = yourchoice()
        .args(args)
        .current_dir(root())
        .env("COLUMNS", "100")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR")
        .output()
        .expect("the yourchoice binary runs");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// The whole transcript of one run, as the snapshot holds it, and the
/// exit code.
fn transcript_and_code(args: &[&str]) -> (String, Option<i32>) {
    let r = run(args);
    let code = r
        .code
        .map_or_else(|| "killed by a signal".to_string(), |c| c.to_string());
    let text = format!(
        "$ yourchoice {}\nexit code: {code}\n----- stdout -----\n{}----- stderr -----\n{}",
        args.join(" "),
        r.stdout,
        r.stderr
    );
    (text, r.code)
}

fn transcript(args: &[&str]) -> String {
    transcript_and_code(args).0
}

// ----- reconcile -------------------------------------------------------

#[test]
fn reconcile_sample_submission() {
    insta::assert_snapshot!(
        "reconcile_provider",
        transcript(&["reconcile", "examples/provider.xlsx", "--no-report"])
    );
}

#[test]
fn reconcile_worked_example() {
    insta::assert_snapshot!(
        "reconcile_worked_example",
        transcript(&[
            "reconcile",
            "../shared/fixtures/worked-example.xlsx",
            "--no-report"
        ])
    );
}

/// A submission with an error is not reconciled: no table, no totals, the
/// findings, exit 1.
#[test]
fn reconcile_rejected_submission() {
    insta::assert_snapshot!(
        "reconcile_rejected",
        transcript(&["reconcile", "../shared/fixtures/broken-text.xlsx", "--no-report"])
    );
}

/// The figures of SPEC 9 checked by hand, in typed structs (`common::doc`),
/// so the JSON snapshot below is not the only check.
#[test]
fn reconcile_worked_example_json() {
    let r = run(&[
        "reconcile",
        "../shared/fixtures/worked-example.xlsx",
        "--json",
        "--no-report",
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(r.stderr, "");
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "one JSON line per submission:\n{}", r.stdout);

    let doc: Doc = serde_json::from_str(lines[0]).expect("SPEC 8.2 JSON");
    assert_eq!(doc.schema, "yourchoice.reconciliation/1");
    assert_eq!(doc.status, "reconciled");
    let [p1, p2] = &doc.people[..] else {
        panic!("two people, P1 and P2");
    };
    let p1_settlement = p1.settlement.as_ref().expect("P1 has a settlement");
    let p1_charge = p1.charge.as_ref().expect("P1 has a charge");
    let p2_settlement = p2.settlement.as_ref().expect("P2 has a settlement");
    let p2_charge = p2.charge.as_ref().expect("P2 has a charge");
    let totals = doc.totals.as_ref().expect("the totals");
    assert_eq!(p1.person_id, "P1");
    assert_eq!(p1.status, "within_tolerance");
    assert_eq!(p1_settlement.amount, "72.00");
    assert_eq!(p1_settlement.method, "bacs");
    assert!(p1_settlement.authorised);
    assert_eq!(p1_charge.overcharge, "0.00");
    assert_eq!(p2.person_id, "P2");
    assert_eq!(p2.status, "referred");
    assert_eq!(p2_settlement.amount, "-168.00");
    assert_eq!(p2_settlement.method, "invoice");
    assert!(!p2_settlement.authorised, "P2's settlement is held");
    assert_eq!(p2_charge.overcharge, "168.00");
    assert_eq!(totals.authorised, "72.00");
    assert_eq!(totals.method, "bacs");
    assert_eq!(totals.held, "-168.00");
    assert_eq!(totals.held_count, 1);
    assert_eq!(totals.referred_count, 1);
    assert_eq!(totals.overcharge_refunds, "168.00");

    // serde_json's `Value` keeps keys sorted (its `preserve_order` feature
    // is off): the snapshot pins every key and value, and the order of the
    // `people` and `findings` lists, but not the order of keys in an object,
    // which JSON readers do not depend on.
    let value: Value = serde_json::from_str(lines[0]).unwrap();
    insta::assert_snapshot!(
        "reconcile_worked_example_json",
        serde_json::to_string_pretty(&value).unwrap()
    );
}

// ----- check -----------------------------------------------------------

/// `check` on one workbook: the snapshot `check_NAME` (NAME without
/// `broken-` and the extension).
fn check_case(path: &str) {
    let stem = Path::new(path).file_stem().unwrap().to_str().unwrap();
    let name = format!("check_{}", stem.trim_start_matches("broken-").replace('-', "_"));
    insta::assert_snapshot!(name, transcript(&["check", path]));
}

#[test]
fn check_text_in_an_hours_cell() {
    check_case("../shared/fixtures/broken-text.xlsx");
}

#[test]
fn check_missing_week_column() {
    check_case("../shared/fixtures/broken-missing-week.xlsx");
}

#[test]
fn check_overlapping_rows() {
    check_case("../shared/fixtures/broken-overlap.xlsx");
}

#[test]
fn check_not_a_workbook() {
    check_case("../shared/fixtures/broken-not-a-workbook.xlsx");
}

#[test]
fn check_late_submission() {
    check_case("../shared/fixtures/broken-late.xlsx");
}

#[test]
fn check_total_mismatch() {
    check_case("../shared/fixtures/broken-total-mismatch.xlsx");
}

#[test]
fn check_blank_hours_cell() {
    check_case("../shared/fixtures/broken-blank.xlsx");
}

#[test]
fn check_period_start_not_monday() {
    check_case("../shared/fixtures/broken-not-monday.xlsx");
}

#[test]
fn check_hours_outside_care() {
    check_case("../shared/fixtures/broken-outside-care.xlsx");
}

#[test]
fn check_sample_submission() {
    let (text, code) = transcript_and_code(&["check", "examples/provider.xlsx"]);
    assert_eq!(code, Some(0), "the sample submission is ready to submit:\n{text}");
    insta::assert_snapshot!("check_provider", text);
}

/// The README's `check` example: one `bad-hours` error, exit 1.
#[test]
fn check_readme_return_with_error() {
    check_case("examples/return-with-error.xlsx");
}

// ----- failures (exit 2) ------------------------------------------------

/// A file that cannot be read: one line on stderr, exit 2. The operating
/// system's wording of the error differs by platform, so it is replaced by
/// `[OS ERROR]`. (By hand: insta's `filters` feature is not enabled in
/// Cargo.toml, and this is the only machine-specific text in these cases.)
#[test]
fn check_missing_file() {
    let text = transcript(&["check", "examples/no-such-return.xlsx"]);
    let prefix = "yourchoice: cannot read examples/no-such-return.xlsx: ";
    let text: String = text
        .lines()
        .map(|line| match line.strip_prefix(prefix) {
            Some(_) => format!("{prefix}[OS ERROR]\n"),
            None => format!("{line}\n"),
        })
        .collect();
    assert!(
        text.contains("[OS ERROR]"),
        "no line starting {prefix:?} in\n{text}"
    );
    insta::assert_snapshot!("check_missing_file", text);
}

#[test]
fn unknown_command() {
    insta::assert_snapshot!("unknown_command", transcript(&["frobnicate"]));
}

// ----- help ------------------------------------------------------------

#[test]
fn help() {
    insta::assert_snapshot!("help", transcript(&["--help"]));
    insta::assert_snapshot!("help_reconcile", transcript(&["reconcile", "--help"]));
    insta::assert_snapshot!("help_check", transcript(&["check", "--help"]));
    insta::assert_snapshot!("help_template", transcript(&["template", "--help"]));
    insta::assert_snapshot!("help_export", transcript(&["export", "--help"]));
    insta::assert_snapshot!("help_monitor", transcript(&["monitor", "--help"]));
    insta::assert_snapshot!("help_explain", transcript(&["explain", "--help"]));
    insta::assert_snapshot!("help_letters", transcript(&["letters", "--help"]));
    insta::assert_snapshot!("help_spot_check", transcript(&["spot-check", "--help"]));
    insta::assert_snapshot!("help_status", transcript(&["status", "--help"]));
    insta::assert_snapshot!("help_paid", transcript(&["paid", "--help"]));
}

// ----- fitting the terminal, and showing less ---------------------------

#[test]
fn reconcile_fitted_to_80_columns() {
    let text = transcript(&[
        "reconcile",
        "examples/provider.xlsx",
        "--no-report",
        "--width",
        "80",
    ]);
    // Every line fits: the table narrows, findings wrap with an indent.
    for line in text.lines().skip(3) {
        assert!(
            line.chars().count() <= 80,
            "{} columns: {line}",
            line.chars().count()
        );
    }
    insta::assert_snapshot!("reconcile_provider_80_columns", text);
}

#[test]
fn check_fitted_to_80_columns() {
    let text = transcript(&["check", "examples/return-with-error.xlsx", "--width", "80"]);
    for line in text.lines().skip(3) {
        assert!(line.chars().count() <= 80, "{line}");
    }
    insta::assert_snapshot!("check_return_with_error_80_columns", text);
}

#[test]
fn reconcile_quiet_shows_totals_and_errors_only() {
    insta::assert_snapshot!(
        "reconcile_provider_quiet",
        transcript(&["reconcile", "examples/provider.xlsx", "--no-report", "--quiet"])
    );
}

#[test]
fn check_with_warnings_and_errors_only() {
    insta::assert_snapshot!(
        "check_provider_warnings",
        transcript(&["check", "examples/provider.xlsx", "--severity", "warning"])
    );
}

// ----- explain ------------------------------------------------------------

/// SPEC 9 worked by hand, as `explain` must show it: P1's bank balances
/// −2, −4, −6, −6, (week 5 skipped), −6, −5, −4, −3, −3, −3, −3, −3 and
/// +£72.00; P2's bank first beyond 3.12 in week 6 (4) and the run of weeks
/// 3-9.
#[test]
fn explain_the_worked_example() {
    let p1 = transcript(&["explain", "../shared/fixtures/worked-example.xlsx", "P1"]);
    for balance in ["-2", "-4", "-6", "-5", "-3"] {
        assert!(
            p1.contains(&format!(" {balance} ┆")),
            "P1 balance {balance}:\n{p1}"
        );
    }
    assert!(p1.contains("│    5 ┆ 04/05/2026 ┆ no care"), "{p1}");
    assert!(p1.contains("+3 hours × £24.00 = £72.00 (BACS)"), "{p1}");
    insta::assert_snapshot!("explain_p1", p1);
    let p2 = transcript(&["explain", "../shared/fixtures/worked-example.xlsx", "P2"]);
    assert!(
        p2.contains("first went beyond ±3.12 in week 6, by 0.88 hours; its peak was 7 hours"),
        "{p2}"
    );
    assert!(p2.contains("weeks 3-9 were each under the bundle"), "{p2}");
    assert!(
        p2.contains("overcharge max(0, £936.00 − £768.00) = £168.00"),
        "{p2}"
    );
    insta::assert_snapshot!("explain_p2", p2);
    let (unknown, code) = transcript_and_code(&["explain", "../shared/fixtures/worked-example.xlsx", "P9"]);
    assert_eq!(code, Some(2));
    assert!(
        unknown.contains("has no person with the ID or name \"P9\": the nearest IDs are P1, P2"),
        "{unknown}"
    );
}

// ----- usage and I/O errors (issue 26) --------------------------------

/// Run in `dir` (paths in the snapshot are then relative and stable), as
/// `run` does.
fn run_in(dir: &Path, args: &[&str]) -> Run {
    let out = yourchoice()
        .args(args)
        .current_dir(dir)
        .env("COLUMNS", "100")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR")
        .output()
        .expect("the yourchoice binary runs");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// A usage or I/O error: exit 2, exactly one line on stderr, in plain
/// words (no operating-system code, no SPEC section), pinned by its
/// snapshot.
fn error_case(name: &str, dir: &Path, args: &[&str]) {
    let r = run_in(dir, args);
    let stderr = r.stderr.replace(&dir.display().to_string(), "[DIR]");
    assert_eq!(r.code, Some(2), "{name}: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "{name}: one line:\n{stderr}");
    assert!(stderr.starts_with("yourchoice: "), "{name}: {stderr}");
    for bad in ["os error", "SPEC", "Temporary file", ".;", "(os "] {
        // An ellipsis (`<SUBMISSION>...`) is not a stray full stop.
        assert!(
            !stderr.replace("...", "").contains(bad),
            "{name}: {bad:?} in {stderr}"
        );
    }
    insta::assert_snapshot!(
        format!("error_{name}"),
        format!(
            "$ yourchoice {}\nexit code: 2\n----- stderr -----\n{stderr}",
            args.join(" ")
        )
    );
}

/// A folder holding a copy of the sample return as `provider.xlsx`.
fn with_return() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("examples/provider.xlsx"),
        dir.path().join("provider.xlsx"),
    )
    .unwrap();
    dir
}

#[test]
fn every_usage_error_is_one_plain_line() {
    let dir = with_return();
    let d = dir.path();
    let cases: &[(&str, &[&str])] = &[
        ("reconcile_without_a_return", &["reconcile"]),
        ("unknown_flag", &["reconcile", "provider.xlsx", "--jsn"]),
        ("explain_without_a_person", &["explain", "provider.xlsx"]),
        ("bad_colour", &["check", "provider.xlsx", "--color", "sometimes"]),
        (
            "sample_and_percent",
            &["spot-check", "provider.xlsx", "--sample", "3", "--percent", "10"],
        ),
        (
            "percent_not_a_percentage",
            &["spot-check", "provider.xlsx", "--percent", "150"],
        ),
        (
            "resubmission_without_ledger",
            &["reconcile", "provider.xlsx", "--resubmission", "x"],
        ),
        (
            "several_returns_to_one_workbook",
            &["reconcile", "provider.xlsx", "provider.xlsx", "-o", "out.xlsx"],
        ),
        (
            "report_over_the_return",
            &["reconcile", "provider.xlsx", "-o", "provider.xlsx"],
        ),
        (
            "export_period_without_ledger",
            &["export", "payments", "provider.xlsx", "--period", "2026-04-06"],
        ),
        ("export_nothing", &["export", "payments"]),
        (
            "export_bad_profile",
            &["export", "payments", "provider.xlsx", "--profile", "sage"],
        ),
        ("paid_without_ledger", &["paid", "paid.csv"]),
        (
            "letters_without_council",
            &["letters", "provider.xlsx", "-o", "letters"],
        ),
        (
            "template_not_a_monday",
            &[
                "template",
                "--provider-ref",
                "S1",
                "--period-start",
                "2026-04-07",
                "-o",
                "t.xlsx",
            ],
        ),
        (
            "template_bad_rate",
            &[
                "template",
                "--provider-ref",
                "S1",
                "--period-start",
                "2026-04-06",
                "--rate",
                "lots",
                "-o",
                "t.xlsx",
            ],
        ),
        ("status_without_ledger", &["status"]),
        ("explain_unknown_person", &["explain", "provider.xlsx", "P9999"]),
    ];
    for (name, args) in cases {
        error_case(name, d, args);
    }
}

#[test]
fn every_io_error_is_one_plain_line() {
    let dir = with_return();
    let d = dir.path();
    std::fs::write(d.join("not-a-folder"), b"").unwrap();
    std::fs::write(d.join("taken.xlsx"), b"x").unwrap();
    std::fs::create_dir(d.join("folder.xlsx")).unwrap();
    let template = |out: &'static str| -> Vec<&'static str> {
        vec![
            "template",
            "--provider-ref",
            "S1",
            "--period-start",
            "2026-04-06",
            "-o",
            out,
        ]
    };
    error_case("missing_return", d, &["reconcile", "nope.xlsx"]);
    error_case(
        "missing_council",
        d,
        &["check", "provider.xlsx", "--council", "nope.toml"],
    );
    error_case(
        "missing_decisions",
        d,
        &["reconcile", "provider.xlsx", "--decisions", "nope.csv"],
    );
    error_case("return_is_a_folder", d, &["check", "folder.xlsx"]);
    error_case(
        "output_folder_cannot_be_made",
        d,
        &template("not-a-folder/sub/t.xlsx"),
    );
    error_case("output_exists", d, &template("taken.xlsx"));
    error_case("output_is_a_folder", d, &template("folder.xlsx"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let locked = d.join("locked.xlsx");
        std::fs::copy(d.join("provider.xlsx"), &locked).unwrap();
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
        if std::fs::read(&locked).is_ok() {
            eprintln!("SKIPPED unreadable_return: running as root, a file of mode 000 is readable");
        } else {
            error_case("unreadable_return", d, &["check", "locked.xlsx"]);
        }
    }
}

/// A report that cannot be written is one line after the figures (exit 2),
/// naming one file's flag for one return.
#[test]
fn a_report_that_cannot_be_written_is_one_plain_line() {
    let dir = with_return();
    let d = dir.path();
    std::fs::write(d.join("not-a-folder"), b"").unwrap();
    let r = run_in(
        d,
        &["reconcile", "provider.xlsx", "-q", "-o", "not-a-folder/r.xlsx"],
    );
    assert_eq!(r.code, Some(2));
    assert!(r.stdout.contains("Invoice to the provider"), "{}", r.stdout);
    insta::assert_snapshot!("error_report_not_written", r.stderr);
}
