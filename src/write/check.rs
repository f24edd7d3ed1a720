//! `yourchoice check` output: one line per finding, like a compiler's,
//! errors first, then a closing line with the counts and what to do next.

use std::fmt::Write as _;

use serde::Serialize;

use super::Show;
use super::json::FindingJson;
use super::phrases::{self, paint};
use crate::base::text::{plural, printable};
use crate::engine::{Reconciliation, Status};
use crate::model::findings::Severity;

/// Render the findings of one submission for a provider: those `show`
/// lets through, fitted to `width` columns where given (a terminal).
pub fn render(r: &Reconciliation, show: Show, width: Option<usize>) -> String {
    let mut out = String::new();
    // The engine already orders findings errors, warnings, notices.
    let shown: Vec<_> = r.findings.iter().filter(|f| show.shows(f)).collect();
    for f in &shown {
        let _ = writeln!(out, "{}", phrases::wrap(&phrases::finding_line(f), width));
    }
    let (errors, warnings, notices) = (
        r.count(Severity::Error),
        r.count(Severity::Warning),
        r.count(Severity::Info),
    );
    if !shown.is_empty() {
        out.push('\n');
    }
    let counts = format!(
        "{}: {}, {}, {}.",
        printable(&r.source),
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings"),
        plural(notices, "notice", "notices")
    );
    let every_cell = r
        .findings
        .iter()
        .filter(|f| f.is_error())
        .all(|f| f.location.is_some());
    let next = if errors > 0 {
        paint(
            if every_cell {
                "Not ready to submit: fix every error above (each names its cell), then run this check again."
            } else {
                "Not ready to submit: fix every error above, then run this check again."
            },
            phrases::severity_style(Severity::Error),
        )
    } else if warnings > 0 {
        "Ready to submit. Read the warnings: correct any that are mistakes, and explain the rest in the Notes column."
            .to_string()
    } else {
        "Ready to submit.".to_string()
    };
    let _ = writeln!(out, "{}", phrases::wrap(&format!("{counts} {next}"), width));
    out
}

#[derive(Serialize)]
struct CheckDoc<'a> {
    schema: &'static str,
    source: &'a str,
    status: &'static str,
    findings: Vec<FindingJson<'a>>,
}

/// `check --json`: the source, whether it would be reconciled, and the
/// findings in the SPEC 8.2 shape; one document per line.
///
/// # Errors
/// Only if serde_json fails, which it does not for these types.
pub fn to_json_line(r: &Reconciliation) -> serde_json::Result<String> {
    serde_json::to_string(&CheckDoc {
        schema: "yourchoice.check/1",
        source: &r.source,
        status: match r.status() {
            Status::Reconciled => "ok",
            Status::Rejected => "rejected",
        },
        findings: r.findings.iter().map(FindingJson::from).collect(),
    })
}
