//! Every table fits (issue 26): each command that prints a table (and the
//! prose around it) keeps within `--width` at 60, 80 and 120 columns,
//! counted in characters, on the repository's real inputs: the sample
//! return, the council's example round and a ledger built from it, a
//! return `fill` wrote, and a spot check's workbook.

use std::path::Path;

use crate::common::bin::run;

const WIDTHS: [usize; 3] = [60, 80, 120];

/// `args --width W`: its standard output, which must not be empty.
fn at(args: &[String], width: usize) -> String {
    let mut all = args.to_vec();
    all.extend(["--width".to_string(), width.to_string()]);
    let (code, stdout, stderr) = run(&all);
    assert!(matches!(code, Some(0 | 1)), "{all:?} exited {code:?}: {stderr}");
    assert!(!stdout.trim().is_empty(), "{all:?} printed nothing: {stderr}");
    stdout
}

/// The lines of `text` wider than `width` characters.
fn too_wide(text: &str, width: usize) -> Vec<String> {
    text.lines()
        .filter(|l| l.chars().count() > width)
        .map(|l| format!("{} columns: {l}", l.chars().count()))
        .collect()
}

fn args(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| (*w).to_string()).collect()
}

fn council(name: &str) -> String {
    format!("examples/council/{name}")
}

/// The council's example round recorded in a ledger in `dir`, its payments
/// and invoices exported (as the README's quarter does): the ledger.
fn ledger(dir: &Path) -> String {
    let ledger = dir.join("ledger.db").display().to_string();
    let toml = council("council.toml");
    let mut reconcile = args(&["reconcile"]);
    reconcile.extend(["bro-morgannwg.xlsx", "cwm-taf-care.xlsx", "penarth-homecare.xlsx"].map(council));
    reconcile.extend(args(&[
        "--council",
        &toml,
        "--decisions",
        &council("decisions.csv"),
        "--ledger",
        &ledger,
        "--new-ledger",
        "--officer",
        "Siân Thomas",
        "--no-report",
        "--quiet",
    ]));
    let (code, _, stderr) = run(&reconcile);
    assert_eq!(code, Some(0), "{stderr}");
    for kind in ["payments", "invoices"] {
        let out = dir.join(format!("{kind}.csv")).display().to_string();
        let (code, _, stderr) = run(&args(&[
            "export",
            kind,
            "--ledger",
            &ledger,
            "--period",
            "2026-04-06",
            "--council",
            &toml,
            "--officer",
            "Rhys Price",
            "-o",
            &out,
        ]));
        assert_eq!(code, Some(0), "{stderr}");
    }
    ledger
}

/// Every table-printing command, with what it needs.
fn commands(dir: &Path) -> Vec<Vec<String>> {
    let ledger = ledger(dir);
    let toml = council("council.toml");
    let filled = dir.join("filled.xlsx").display().to_string();
    let (code, _, stderr) = run(&args(&[
        "fill",
        "examples/visits/blank.xlsx",
        "--visits",
        "examples/visits/abacus-visits.csv",
        "-o",
        &filled,
    ]));
    assert_eq!(code, Some(0), "{stderr}");
    let spot = dir.join("spot.xlsx").display().to_string();
    let (code, _, stderr) = run(&args(&[
        "spot-check",
        "examples/provider.xlsx",
        "--sample",
        "6",
        "--seed",
        "7",
        "-o",
        &spot,
    ]));
    assert_eq!(code, Some(0), "{stderr}");
    let mut round = args(&["reconcile"]);
    round.extend(["bro-morgannwg.xlsx", "cwm-taf-care.xlsx", "penarth-homecare.xlsx"].map(council));
    round.extend(args(&[
        "--council",
        &toml,
        "--decisions",
        &council("decisions.csv"),
        "--no-report",
    ]));
    vec![
        args(&["reconcile", "examples/provider.xlsx", "--no-report"]),
        round,
        args(&["check", "examples/provider.xlsx"]),
        args(&["check", "examples/return-with-error.xlsx"]),
        args(&["explain", "examples/provider.xlsx", "P0003"]),
        args(&["explain", &filled, "P1001", "--week", "9"]),
        args(&["monitor", "examples/return-week-8.xlsx", "--as-of", "2026-05-31"]),
        args(&[
            "status",
            "--ledger",
            &ledger,
            "--council",
            &toml,
            "--as-of",
            "2026-08-12",
        ]),
        args(&[
            "spot-check",
            "examples/provider.xlsx",
            "--sample",
            "6",
            "--seed",
            "7",
        ]),
        args(&["spot-check", "examples/provider.xlsx", "--compare", &spot]),
        args(&[
            "fill",
            "examples/visits/blank.xlsx",
            "--visits",
            "examples/visits/abacus-visits.csv",
            "-o",
            &filled,
            "--force",
        ]),
    ]
}

#[test]
fn every_table_and_the_lines_around_it_fit_60_80_and_120_columns() {
    let dir = tempfile::tempdir().unwrap();
    for command in commands(dir.path()) {
        for width in WIDTHS {
            let text = at(&command, width);
            let wide = too_wide(&text, width);
            assert!(
                wide.is_empty(),
                "{command:?} at --width {width}:\n{}\n\n{text}",
                wide.join("\n")
            );
        }
    }
}

#[test]
fn ledger_verify_wraps_its_lines_and_breaks_the_head_between_groups() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = ledger(dir.path());
    for width in WIDTHS {
        let text = at(&args(&["ledger", "verify", "--ledger", &ledger]), width);
        // The head in groups of 16, broken between them, never inside one.
        assert!(too_wide(&text, width).is_empty(), "--width {width}:\n{text}");
        let hex: String = text
            .split("Head:")
            .nth(1)
            .unwrap()
            .chars()
            .filter(|c| c.is_ascii_hexdigit())
            .take(64)
            .collect();
        assert_eq!(hex.len(), 64, "the whole head: {text}");
        // Given back as printed, in its groups, it is this ledger's head.
        let grouped: Vec<String> = hex
            .as_bytes()
            .chunks(16)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect();
        let back = at(
            &args(&[
                "ledger",
                "verify",
                "--ledger",
                &ledger,
                "--head",
                &grouped.join(" "),
            ]),
            width,
        );
        assert!(too_wide(&back, width).is_empty(), "--width {width}:\n{back}");
        assert!(
            back.replace("\n  ", " ")
                .contains("noted earlier: in this ledger"),
            "{back}"
        );
    }
}

#[test]
fn reconcile_keeps_the_name_at_80_columns_and_leaves_out_detail_first() {
    let text = at(&args(&["reconcile", "examples/provider.xlsx", "--no-report"]), 80);
    let header = text.lines().find(|l| l.contains("Person ID")).unwrap();
    for kept in ["Person ID", "Name", "Status", "Variance h", "Settlement £"] {
        assert!(header.contains(kept), "{kept} not kept: {header}");
    }
    for gone in ["Method", "Bank peak h", "Commissioned h"] {
        assert!(!header.contains(gone), "{gone} kept: {header}");
    }
    assert!(text.contains("Gwen Hughes"), "{text}");
    let note = text
        .split("(Commissioned h")
        .nth(1)
        .expect("a line saying which columns were left out");
    assert!(note.contains("Method"), "{note}");
    assert!(note.contains("see the report or --json"), "{note}");
    // Piped without --width: every column.
    let (_, piped, _) = run(&["reconcile", "examples/provider.xlsx", "--no-report"]);
    assert!(piped.contains("Method") && !piped.contains("left out to fit"));
}

#[test]
fn monitor_shows_names() {
    let text = at(
        &args(&["monitor", "examples/return-week-8.xlsx", "--as-of", "2026-05-31"]),
        80,
    );
    let header = text.lines().find(|l| l.contains("Person ID")).unwrap();
    assert!(header.contains("Name"), "{header}");
    let row = text.lines().find(|l| l.contains("P0009")).unwrap();
    assert!(row.contains("Nia Williams"), "{row}");
}
