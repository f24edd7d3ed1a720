//! `yourchoice check` output: one block per finding, like a compiler's,
//! errors first, then a closing line with the counts and what to do next.

use std::fmt::Write as _;

use serde::Serialize;

use super::json::FindingJson;
use super::table::{paint, severity_colour};
use crate::engine::{Reconciliation, Status};
use crate::findings::Severity;
use crate::units::plural;

fn count(r: &Reconciliation, s: Severity) -> usize {
    r.findings.iter().filter(|f| f.severity() == s).count()
}

/// Render the findings of one submission for a provider.
pub fn render(r: &Reconciliation, colour: bool) -> String {
    let mut out = String::new();
    // The engine already orders findings errors, warnings, notices.
    for f in &r.findings {
        let head = paint(
            &format!("{}[{}]", f.severity(), f.code),
            Some(severity_colour(f.severity())),
            colour,
        );
        match f.location {
            Some(at) => {
                let _ = writeln!(out, "{head} {at}: {}", f.message);
            }
            None => {
                let _ = writeln!(out, "{head} {}", f.message);
            }
        }
    }
    let (errors, warnings, notices) = (
        count(r, Severity::Error),
        count(r, Severity::Warning),
        count(r, Severity::Info),
    );
    if !r.findings.is_empty() {
        out.push('\n');
    }
    let counts = format!(
        "{}: {}, {}, {}.",
        r.source,
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings"),
        plural(notices, "notice", "notices")
    );
    let next = if errors > 0 {
        paint(
            "Not ready to submit: fix every error above (each names its cell), then run this check again.",
            Some(severity_colour(Severity::Error)),
            colour,
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
        status: match r.status {
            Status::Reconciled => "ok",
            Status::Rejected => "rejected",
        },
        findings: r.findings.iter().map(FindingJson::from).collect(),
    })
}
