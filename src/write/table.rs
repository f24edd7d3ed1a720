//! The terminal summary (SPEC 8.1): a table of people, the provider's
//! totals, then every finding with its cell. Colour only on a terminal.

use std::fmt::Write as _;

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Attribute, Cell, CellAlignment, Color, ContentArrangement, Table};

use crate::engine::{Method, PersonStatus, Reconciliation, Status};
use crate::findings::{Finding, Severity};
use crate::units::{format_fixed, format_money, plural, pounds};

/// Render one submission for the terminal. `colour`: use ANSI colours.
pub fn render(r: &Reconciliation, colour: bool) -> String {
    let mut out = String::new();
    let provider = r
        .provider
        .as_ref()
        .map(|p| {
            format!(
                "{} ({})",
                p.name.as_deref().unwrap_or("provider name missing"),
                p.reference.as_deref().unwrap_or("reference missing")
            )
        })
        .unwrap_or_else(|| "provider unknown".to_string());
    let _ = writeln!(out, "{}: {provider}", r.source);
    if let Some(p) = &r.period {
        let _ = writeln!(
            out,
            "Period {} to {} ({} weeks); submission due {}{}; table-top meeting by {}",
            p.period.start.format("%d/%m/%Y"),
            p.end.format("%d/%m/%Y"),
            p.period.weeks,
            p.submission_due.format("%d/%m/%Y"),
            match p.submitted {
                Some(s) if p.late => format!(", submitted {} (LATE)", s.format("%d/%m/%Y")),
                Some(s) => format!(", submitted {}", s.format("%d/%m/%Y")),
                None => String::new(),
            },
            p.table_top_due.format("%d/%m/%Y"),
        );
    }

    if r.status == Status::Rejected {
        let errors = r.findings.iter().filter(|f| f.is_error()).count();
        let _ = writeln!(
            out,
            "\n{}",
            paint(
                &format!(
                    "REJECTED: {errors} error(s) below must be fixed by the provider; nothing was reconciled."
                ),
                Some(Color::Red),
                colour
            )
        );
    } else {
        out.push('\n');
        out.push_str(&people_table(r, colour).to_string());
        out.push('\n');
        if let Some(t) = &r.totals {
            let pay = match t.method {
                Method::Bacs => format!("BACS payment to the provider: {}", pounds(t.authorised)),
                Method::Invoice => format!("Invoice to the provider: {}", pounds(-t.authorised)),
                Method::None => "Nothing to pay or recover: £0.00".to_string(),
            };
            let _ = writeln!(out, "\n{}", paint(&pay, None, colour));
            let _ = writeln!(
                out,
                "Held for the officer: {} ({})",
                pounds(t.held),
                plural(t.held_count, "person", "people")
            );
            let _ = writeln!(out, "Refunds to service users: {}", pounds(t.overcharge_refunds));
            let _ = writeln!(out, "Referred for review: {}", t.referred_count);
        }
    }

    if !r.findings.is_empty() {
        let _ = writeln!(out, "\nFindings:");
        for f in &r.findings {
            let _ = writeln!(out, "{}", finding_line(f, colour));
        }
    }
    out
}

const HEADER: [&str; 11] = [
    "Person ID",
    "Name",
    "Status",
    "Commissioned h",
    "Delivered h",
    "Variance h",
    "Variance %",
    "Bank peak h",
    "Settlement £",
    "Method",
    "Overcharge £",
];

fn people_table(r: &Reconciliation, colour: bool) -> Table {
    let mut table = Table::new();
    table
        .load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(HEADER.map(|h| {
            let cell = Cell::new(h);
            if colour {
                cell.add_attribute(Attribute::Bold)
            } else {
                cell
            }
        }));
    if !colour {
        table.force_no_tty();
    } else {
        table.enforce_styling();
    }
    for p in &r.people {
        let status_colour = match p.status {
            PersonStatus::WithinTolerance => Color::Green,
            PersonStatus::Referred => Color::Red,
            PersonStatus::NoCare => Color::DarkGrey,
        };
        let mut status = Cell::new(p.status.label());
        if colour {
            status = status.fg(status_colour);
        }
        let (amount, how) = match &p.settlement {
            Some(s) => (
                format_money(s.amount),
                format!(
                    "{}{}",
                    s.method.as_str().to_uppercase(),
                    if s.authorised { "" } else { ", HELD" }
                ),
            ),
            None => ("-".into(), String::new()),
        };
        let num = |s: String| Cell::new(s).set_alignment(CellAlignment::Right);
        table.add_row(vec![
            Cell::new(&p.person_id),
            Cell::new(p.name.as_deref().unwrap_or("")),
            status,
            num(p.commissioned.to_spec_string()),
            num(p.delivered.to_spec_string()),
            num(p.net_variance.to_spec_string()),
            num(p
                .variance_percent
                .map(|v| format_fixed(v, 2))
                .unwrap_or_else(|| "-".into())),
            num(p.bank.peak.to_spec_string()),
            num(amount),
            Cell::new(how),
            num(p
                .charge
                .as_ref()
                .map(|c| format_money(c.overcharge))
                .unwrap_or_else(|| "-".into())),
        ]);
    }
    table
}

/// One finding as a line: `error[missing-hours] Hours!F7: message`.
pub fn finding_line(f: &Finding, colour: bool) -> String {
    let sev = f.severity();
    let head = format!("{}[{}]", sev, f.code);
    let head = paint(&head, Some(severity_colour(sev)), colour);
    match f.location {
        Some(at) => format!("{head} {at}: {}", f.message),
        None => format!("{head} {}", f.message),
    }
}

pub fn severity_colour(sev: Severity) -> Color {
    match sev {
        Severity::Error => Color::Red,
        Severity::Warning => Color::Yellow,
        Severity::Info => Color::Cyan,
    }
}

/// Wrap `text` in an ANSI colour (bold when `colour` is `None`), or leave it
/// plain when not on a terminal.
pub fn paint(text: &str, colour: Option<Color>, on: bool) -> String {
    if !on {
        return text.to_string();
    }
    let code = match colour {
        Some(Color::Red) => "31",
        Some(Color::Green) => "32",
        Some(Color::Yellow) => "33",
        Some(Color::Cyan) => "36",
        Some(_) => "90",
        None => "1",
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}
