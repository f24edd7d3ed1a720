//! Every workbook in `../shared/fixtures/` through the binary, matched to its
//! expected JSON by the rules of that folder's README: expected keys are a
//! subset of the output, `findings_include` / `findings_exclude` match
//! findings on the keys they list. New fixtures are picked up by walking the
//! folder.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::bin::yourchoice;
use crate::common::files::fixtures;

fn fixtures_dir() -> PathBuf {
    fixtures()
}

/// `NAME.EXT` -> its expectation: `NAME.EXT.expected.json`, or for `.xlsx`
/// `NAME.expected.json`.
fn expectation_for(workbook: &Path) -> Option<PathBuf> {
    let name = workbook.file_name()?.to_str()?;
    let own = workbook.with_file_name(format!("{name}.expected.json"));
    if own.exists() {
        return Some(own);
    }
    let stem = name.strip_suffix(".xlsx")?;
    let plain = workbook.with_file_name(format!("{stem}.expected.json"));
    plain.exists().then_some(plain)
}

/// Compare `expected` as a subset of `actual`; push a line per difference.
fn subset(expected: &Value, actual: &Value, path: &str, diffs: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                match a.get(k) {
                    Some(av) => subset(ev, av, &format!("{path}.{k}"), diffs),
                    None => diffs.push(format!("{path}.{k}: missing in output")),
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                diffs.push(format!(
                    "{path}: {} elements expected, {} in output",
                    e.len(),
                    a.len()
                ));
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                subset(ev, av, &format!("{path}[{i}]"), diffs);
            }
        }
        _ => {
            if expected != actual {
                diffs.push(format!("{path}: expected {expected}, got {actual}"));
            }
        }
    }
}

/// A finding matches a pattern when it has every key of the pattern with an
/// equal value.
fn matches(pattern: &Value, finding: &Value) -> bool {
    pattern
        .as_object()
        .is_some_and(|p| p.iter().all(|(k, v)| finding.get(k) == Some(v)))
}

fn check(workbook: &Path, expected_path: &Path) -> Vec<String> {
    let expected: Value = serde_json::from_str(&std::fs::read_to_string(expected_path).unwrap()).unwrap();
    let output = yourchoice()
        .arg("reconcile")
        .arg(workbook)
        .arg("--json")
        .arg("--no-report")
        .output()
        .unwrap();
    let mut diffs = Vec::new();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let code = output.status.code();
    let Ok(actual) = serde_json::from_str::<Value>(stdout.trim()) else {
        return vec![format!(
            "output is not one JSON document (exit {code:?}): {stdout}\nstderr: {}",
            String::from_utf8_lossy(&output.stderr)
        )];
    };
    // SPEC 0: 0 reconciled, 1 rejected.
    let want_code = match actual["status"].as_str() {
        Some("reconciled") => 0,
        _ => 1,
    };
    if code != Some(want_code) {
        diffs.push(format!("exit code {code:?}, expected {want_code}"));
    }
    let mut plain = expected.clone();
    let obj = plain.as_object_mut().unwrap();
    let include = obj.remove("findings_include");
    let exclude = obj.remove("findings_exclude");
    subset(&plain, &actual, "", &mut diffs);
    let findings = actual["findings"].as_array().cloned().unwrap_or_default();
    for pattern in include
        .iter()
        .flat_map(|v| v.as_array().cloned().unwrap_or_default())
    {
        if !findings.iter().any(|f| matches(&pattern, f)) {
            diffs.push(format!("no finding matches {pattern}"));
        }
    }
    for pattern in exclude
        .iter()
        .flat_map(|v| v.as_array().cloned().unwrap_or_default())
    {
        if let Some(f) = findings.iter().find(|f| matches(&pattern, f)) {
            diffs.push(format!("finding {f} matches excluded {pattern}"));
        }
    }
    diffs
}

#[test]
fn every_shared_fixture_matches_its_expected_json() {
    let dir = fixtures_dir();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| matches!(e, "xlsx" | "xls" | "xlsb" | "ods"))
        })
        .collect();
    entries.sort();
    let mut failures = Vec::new();
    let mut checked = 0;
    for workbook in &entries {
        let Some(expected) = expectation_for(workbook) else {
            failures.push(format!("{}: no expected JSON", workbook.display()));
            continue;
        };
        checked += 1;
        for d in check(workbook, &expected) {
            failures.push(format!(
                "{}: {d}",
                workbook.file_name().unwrap().to_string_lossy()
            ));
        }
    }
    assert!(
        checked >= 20,
        "only {checked} fixtures found in {}",
        dir.display()
    );
    assert!(
        failures.is_empty(),
        "{} differences:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
