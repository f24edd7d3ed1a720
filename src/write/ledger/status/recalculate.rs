//! `status`'s returns recorded under council files that have changed since, and the command that recalculates each.

use super::*;

/// A changed file in words: `council.toml`, `plans.csv (not given then)`.
fn file_change_words(c: &FileChange) -> String {
    let path = printable(c.path());
    match c {
        FileChange::Changed { .. } => path.into_owned(),
        FileChange::Added { .. } => format!("{path} (not given then)"),
        FileChange::Dropped { .. } => format!("{path} (not given now)"),
    }
}

/// A command-line argument as a shell reads it back: as it is when it is
/// plain, else in single quotes.
fn shell_word(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-./:=@%+,".contains(c));
    if plain {
        arg.to_string()
    } else {
        format!("'{}'", arg.replace('\'', "'\\''"))
    }
}

/// The command that records the recalculation of a stale return: the same
/// return (by the name recorded), the council's files as now, the ledger,
/// the decisions file recorded with it, and the `--resubmission` reason
/// that a settings version needs.
pub(super) fn recalculate_command(stale: &Stale<'_>, council: &str, ledger: &std::path::Path) -> Vec<String> {
    let mut args = vec![
        "yourchoice".to_string(),
        "reconcile".to_string(),
        stale.version.recorded.file_name.clone(),
        "--council".to_string(),
        council.to_string(),
        "--ledger".to_string(),
        ledger.display().to_string(),
    ];
    if let Some(d) = &stale.decisions {
        args.extend(["--decisions".to_string(), d.path.clone()]);
    }
    args.extend(["--recalculation".to_string(), "REASON".to_string()]);
    args
}

/// A command's arguments quoted for a shell, each option with its value as
/// one unit, so a line is never broken between them.
fn command_units(args: &[String]) -> Vec<String> {
    let mut units: Vec<String> = Vec::new();
    let mut option: Option<String> = None;
    for a in args {
        let word = shell_word(&printable(a));
        match option.take() {
            Some(o) => units.push(format!("{o} {word}")),
            None if a.starts_with("--") => option = Some(word),
            None => units.push(word),
        }
    }
    units.extend(option);
    units
}

/// A command indented by two spaces, broken at its arguments with a
/// shell's ` \` where it would pass `width`, so it can still be copied and
/// run as it is.
fn command_lines(words: &[String], width: Option<usize>) -> String {
    let indent = "  ";
    let mut out = String::new();
    let mut line = indent.to_string();
    for (i, w) in words.iter().enumerate() {
        let last = i + 1 == words.len();
        let room = width.map_or(usize::MAX, |w| w.saturating_sub(if last { 0 } else { 2 }));
        let fresh = line.trim().is_empty();
        if !fresh && line.chars().count() + 1 + w.chars().count() > room {
            out.push_str(&line);
            out.push_str(" \\\n");
            line = format!("{indent}    {w}");
        } else {
            if !fresh {
                line.push(' ');
            }
            line.push_str(w);
        }
    }
    out.push_str(&line);
    out.push('\n');
    out
}

/// Who recorded a version and when: `01/08/2026 10:00 UTC by Siân Thomas`.
fn recorded_when(stale: &Stale<'_>) -> String {
    let r = &stale.version.recorded;
    format!("{} by {}", when(r.recorded_at), printable(&r.officer))
}

/// The returns recorded under other council files than today's, and for
/// each the command that records its recalculation; nothing when none is.
pub(super) fn recalculate_lines(s: &StatusView<'_>) -> String {
    let r = &s.recalculate;
    let (Some(council), false) = (r.council, r.stale.is_empty()) else {
        return String::new();
    };
    let wrap = |line: &str| crate::write::phrases::wrap(line, s.width);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\n{}",
        wrap(&format!(
            "The council's files changed since {} recorded:",
            plural(r.stale.len(), "return was", "returns were")
        ))
    );
    for stale in r.stale {
        let v = &stale.version.recorded;
        let name = v
            .provider_name
            .as_deref()
            .map(|n| format!(" ({})", printable(n)))
            .unwrap_or_default();
        let files: Vec<String> = stale.changes.iter().map(file_change_words).collect();
        let _ = writeln!(
            out,
            "{}",
            wrap(&format!(
                "- {}{name}, version {} ({}, recorded {}): changed since: {}.",
                printable(&v.provider_reference),
                v.version,
                printable(&v.file_name),
                recorded_when(stale),
                files.join(", ")
            ))
        );
        out.push_str(&command_lines(
            &command_units(&recalculate_command(stale, council, s.ledger)),
            s.width,
        ));
    }
    let _ = writeln!(
        out,
        "{}",
        wrap(
            "Give each return's path and the reason (\"backdated rate uplift\"): the run records the \
             recalculation as a settings version and says the provider's settlement before and now; \
             the next `yourchoice export payments --ledger` (or invoices) then draws the difference."
        )
    );
    out
}
