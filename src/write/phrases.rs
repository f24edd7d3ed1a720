//! How the outputs word a result: a finding's line, a settlement's method,
//! the provider's total. One function per piece, shared by the terminal
//! table, `check` and the report, so they never say a thing two ways.
//!
//! Styled text is written with `anstyle`; the command's output stream
//! (`anstream`) decides whether the styles reach the terminal or are
//! stripped (piped output, `NO_COLOR`, `--color never`).

use anstyle::{AnsiColor, Style};

use crate::base::text::printable;
use crate::engine::{AppliedDecision, ChangeInNeed, Method, Reconciliation, Settlement};
use crate::model::findings::{Finding, Severity};
use crate::model::settings::Action;

/// The colour of a severity's head.
pub fn severity_style(sev: Severity) -> Style {
    let colour = match sev {
        Severity::Error => AnsiColor::Red,
        Severity::Warning => AnsiColor::Yellow,
        Severity::Info => AnsiColor::Cyan,
    };
    Style::new().fg_color(Some(colour.into())).bold()
}

/// `text` in `style`.
pub fn paint(text: &str, style: Style) -> String {
    format!("{style}{text}{style:#}")
}

/// `error[missing-hours]`.
pub fn finding_head(f: &Finding) -> String {
    format!("{}[{}]", f.severity(), f.code)
}

/// One finding as a line: `error[missing-hours] Hours!F7: message`, the
/// head coloured by severity.
pub fn finding_line(f: &Finding) -> String {
    line(&paint(&finding_head(f), severity_style(f.severity())), f)
}

/// [`finding_line`] without colour, for an error message.
pub fn finding_plain(f: &Finding) -> String {
    line(&finding_head(f), f)
}

fn line(head: &str, f: &Finding) -> String {
    let message = printable(&f.message);
    match f.location {
        Some(at) => format!("{head} {at}: {message}"),
        None => format!("{head} {message}"),
    }
}

/// A line fitted to `width` columns, later lines indented two spaces more
/// than the first (as a compiler's diagnostics); unchanged when `width` is
/// `None` (piped).
pub fn wrap(line: &str, width: Option<usize>) -> String {
    match width {
        Some(w) if line.chars().count() > w => {
            let indent = &line[..line.len() - line.trim_start_matches(' ').len()];
            let later = format!("{indent}  ");
            textwrap::fill(line, textwrap::Options::new(w).subsequent_indent(&later))
        }
        _ => line.to_string(),
    }
}

/// Every line of `text` wrapped as [`wrap`] does, a word longer than the
/// width (a hash, a path) left whole on its own line so that it can be
/// copied; the text's last newline kept.
pub fn wrap_text(text: &str, width: Option<usize>) -> String {
    let Some(w) = width else {
        return text.to_string();
    };
    let mut out = String::new();
    for line in text.lines() {
        if line.chars().count() > w {
            let indent = &line[..line.len() - line.trim_start_matches(' ').len()];
            let later = format!("{indent}  ");
            let options = textwrap::Options::new(w)
                .subsequent_indent(&later)
                .break_words(false);
            out += &textwrap::fill(line, options);
        } else {
            out += line;
        }
        out.push('\n');
    }
    if !text.ends_with('\n') {
        out.pop();
    }
    out
}

/// A finding in a cell's note, where the cell is already known:
/// `error[missing-hours]: message`.
pub fn finding_note(f: &Finding) -> String {
    format!("{}: {}", finding_head(f), f.message)
}

/// Why a submission was not reconciled: `REJECTED: 1 error must be fixed
/// by the provider; nothing is paid or recovered until then.`
pub fn rejected(r: &Reconciliation) -> String {
    let errors = r.count(crate::model::findings::Severity::Error);
    let n = crate::base::text::plural(errors, "error", "errors");
    format!("REJECTED: {n} must be fixed by the provider; nothing is paid or recovered until then.")
}

/// Who the provider is: `Example Care Ltd (SUP00123)`.
pub fn provider(r: &Reconciliation) -> String {
    match &r.provider {
        Some(p) => format!(
            "{} ({})",
            printable(p.name.as_deref().unwrap_or("provider name not given")),
            printable(p.reference.as_deref().unwrap_or("no reference"))
        ),
        None => "provider unknown".to_string(),
    }
}

/// The label of the held settlements' total.
pub const HELD: &str = "Held for the officer";
/// The method of a refund line.
pub const REFUND: &str = "REFUND";
/// The label of the refunds total.
pub const REFUNDS: &str = "Refunds to service users";
/// The label of the count of referrals.
pub const REFERRED: &str = "Referred for review";

/// What the provider's total is: `BACS payment to the provider`.
pub fn provider_total(method: Method) -> &'static str {
    match method {
        Method::Bacs => "BACS payment to the provider",
        Method::Invoice => "Invoice to the provider",
        Method::None => "Nothing to pay or recover",
    }
}

/// A method in a column: `BACS`, `INVOICE`, `NONE`.
pub fn method(method: Method) -> String {
    method.as_str().to_uppercase()
}

/// A settlement's method, and whether it is held: `INVOICE, HELD`.
pub fn settlement(s: &Settlement) -> String {
    if s.authorised {
        method(s.method())
    } else {
        format!("{}, HELD", method(s.method()))
    }
}

/// Whether a settlement is authorised, in a column: `Yes`, `No: held`.
pub fn authorised(s: &Settlement) -> &'static str {
    if s.authorised { "Yes" } else { "No: held" }
}

/// `weeks 3-9, less than the bundle`.
pub fn change_in_need(c: &ChangeInNeed) -> String {
    format!(
        "weeks {}-{}, {} than the bundle",
        c.first_week,
        c.last_week,
        c.direction.as_str()
    )
}

/// An officer's decision: `authorised by J Smith: one-off hospital stay`.
pub fn decision(d: &AppliedDecision) -> String {
    decision_of(d.action, &d.officer, &d.reason)
}

/// A decision from its parts (as the ledger keeps it).
pub fn decision_of(action: Action, officer: &str, reason: &str) -> String {
    let done = match action {
        Action::Authorise => "authorised",
        Action::Hold => "held",
    };
    format!("{done} by {officer}: {reason}")
}
