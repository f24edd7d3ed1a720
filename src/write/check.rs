//! `yourchoice check` output: one line per finding, like a compiler's,
//! errors first, then a closing line with the counts and what to do next.

use std::fmt::Write as _;

use serde::Serialize;

use super::json::FindingJson;
use super::words::{self, paint};
use crate::engine::{Reconciliation, Status};
use crate::findings::Severity;
use crate::words::{plural, printable};

/// Render the findings of one submission for a provider.
pub fn render(r: &Reconciliation) -> String {
    let mut out = String::new();
    // The engine already orders findings errors, warnings, notices.
    for f in &r.findings {
        let _ = writeln!(out, "{}", words::finding_line(f));
    }
    let (errors, warnings, notices) = (
        r.count(Severity::Error),
        r.count(Severity::Warning),
        r.count(Severity::Info),
    );
    if !r.findings.is_empty() {
        out.push('\n');
    }
    let counts = format!(
        "{}: {}, {}, {}.",
        printable(&r.source),
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings"),
        plural(notices, "notice", "notices")
    );
    let next = if errors > 0 {
        paint(
            "Not ready to submit: fix every error above (each names its cell), then run this check again.",
            words::severity_style(Severity::Error),
        )
    } else if warnings > 0 {
        "Ready to submit. Read the warnings: correct any that are mistakes, and explain the rest in the Notes column."
            .to_string()
    } else {
        "Ready to submit.".to_string()
    };
    let _ = writeln!(out, "{counts} {next}");
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
