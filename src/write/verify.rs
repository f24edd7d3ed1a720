//! What `ledger verify` says: whole or broken, and each head noted earlier.

use std::fmt::Write as _;
use std::path::Path;

use crate::base::text::plural;
use crate::engine::ledger::Health;

/// The verdict on a ledger, one fact a line.
pub fn render(path: &Path, health: &Health, heads: &[String], missing: &[&str]) -> String {
    let mut out = String::new();
    match &health.broken {
        Some(why) => {
            let _ = writeln!(
                out,
                "Ledger {}: BROKEN: {why}.\nNothing can be recorded in it or exported from it until the council's ledger is restored from its last backup; keep this file as it is for the audit.",
                path.display()
            );
        }
        None => {
            let _ = writeln!(
                out,
                "Ledger {}: whole. {} in its hash chain, each as recorded; schema, triggers and SQLite's own checks as yourchoice made them.",
                path.display(),
                plural(health.links as usize, "record", "records")
            );
            if let Some(head) = &health.head {
                let _ = writeln!(out, "Head: {}", grouped(head));
            }
            for head in heads {
                if missing.contains(&head.as_str()) {
                    let _ = writeln!(
                        out,
                        "Head {} noted earlier: NOT in this ledger. It was rewritten since that head was noted, or the head is from another ledger.",
                        grouped(head)
                    );
                } else {
                    let _ = writeln!(out, "Head {} noted earlier: in this ledger.", grouped(head));
                }
            }
        }
    }
    out
}

/// A head in four groups of 16, so a narrow terminal breaks it between
/// groups, never inside one (`ledger verify --head` takes it with or
/// without the spaces).
fn grouped(head: &str) -> String {
    let chars: Vec<char> = head.chars().collect();
    chars
        .chunks(16)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}
