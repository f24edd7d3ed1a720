//! The terminal summary (SPEC 8.1): a table of people, the provider's
//! totals, then every finding with its cell. The text is styled; the
//! command's output stream strips the styles when colour is off.

use std::fmt::Write as _;

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Attribute, Cell, CellAlignment, Color, ContentArrangement, Table};

use super::phrases::{self, paint};
use rust_decimal::Decimal;

use super::Show;
use crate::base::text::{date, plural, pounds, printable};
use crate::base::units::{format_fixed, format_money};
use crate::engine::{PersonResult, PersonStatus, Reconciliation, RunTotals, Status};
use crate::model::findings::Severity;

/// Render one submission for the terminal: fitted to `width` columns where
/// given (a terminal), unwrapped otherwise (piped).
pub fn render(r: &Reconciliation, show: Show, width: Option<usize>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}: {}", printable(&r.source), phrases::provider(r));
    if let Some(p) = &r.period {
        let line = format!(
            "Period {} to {} ({} weeks); submission due {}{}; table-top meeting by {}",
            date(p.period.start),
            date(p.end()),
            p.period.weeks,
            date(p.submission_due),
            match p.submitted {
                Some(s) if p.late() => format!(", submitted {} (LATE)", date(s)),
                Some(s) => format!(", submitted {}", date(s)),
                None => String::new(),
            },
            date(p.table_top_due),
        );
        let _ = writeln!(out, "{}", phrases::wrap(&line, width));
    }

    if r.status() == Status::Rejected {
        let _ = writeln!(
            out,
            "\n{}",
            paint(&phrases::rejected(r), phrases::severity_style(Severity::Error))
        );
    } else {
        if !show.quiet {
            let (table, hidden) = people_table(&r.people, width);
            out.push('\n');
            out.push_str(&table.to_string());
            out.push('\n');
            if hidden > 0 {
                let note = format!(
                    "({} left out to fit the terminal: widen it, or see the report.)",
                    plural(hidden, "column", "columns")
                );
                let _ = writeln!(out, "{}", phrases::wrap(&note, width));
            }
        }
        if let Some(t) = &r.totals {
            let pay = format!(
                "{}: {}",
                phrases::provider_total(t.method()),
                pounds(t.provider_amount())
            );
            let _ = writeln!(out, "\n{}", paint(&pay, anstyle::Style::new().bold()));
            let held = held(t.held_payments, t.held_recoveries, t.held, t.held_count);
            let _ = writeln!(out, "{}", phrases::wrap(&held, width));
            let _ = writeln!(out, "{}: {}", phrases::REFUNDS, pounds(t.overcharge_refunds));
            let _ = writeln!(out, "{}: {}", phrases::REFERRED, t.referred_count);
        }
        let decisions: Vec<String> = r
            .people
            .iter()
            .filter_map(|p| {
                let d = p.settlement.as_ref()?.decision.as_ref()?;
                Some(format!(
                    "  {}: {}",
                    printable(&crate::base::text::who(&p.person_id, p.name.as_deref())),
                    printable(&phrases::decision(d))
                ))
            })
            .collect();
        if !decisions.is_empty() {
            let _ = writeln!(out, "\nDecisions applied:\n{}", decisions.join("\n"));
        }
    }

    let shown: Vec<_> = r.findings.iter().filter(|f| show.shows(f)).collect();
    if !shown.is_empty() {
        let _ = writeln!(out, "\nFindings:");
        for f in shown {
            let _ = writeln!(out, "{}", phrases::wrap(&phrases::finding_line(f), width));
        }
    }
    out
}

/// `Held for the officer: -£720.65 (5 people): payments £325.00, recoveries
/// -£1,045.65`.
fn held(payments: Decimal, recoveries: Decimal, net: Decimal, count: usize) -> String {
    let mut line = format!(
        "{}: {} ({})",
        phrases::HELD,
        pounds(net),
        plural(count, "person", "people")
    );
    if !payments.is_zero() && !recoveries.is_zero() {
        line += &format!(
            ": payments {}, recoveries {}",
            pounds(payments),
            pounds(recoveries)
        );
    }
    line
}

/// Across providers one provider's held payment is not netted against
/// another's held recovery: each is a separate decision on a separate
/// provider, so the two are given apart, with no figure of both (issue 26):
/// `Held for the officer (5 people): payments £559.13, recoveries -£1,279.78`.
fn held_across(payments: Decimal, recoveries: Decimal, count: usize) -> String {
    format!(
        "{} ({}): payments {}, recoveries {}",
        phrases::HELD,
        plural(count, "person", "people"),
        pounds(payments),
        pounds(recoveries)
    )
}

/// The council's totals over several submissions, after their tables.
pub fn render_run(t: &RunTotals) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        paint(
            &format!(
                "Council totals: {} ({} reconciled, {} rejected), {}",
                plural(t.submissions, "submission", "submissions"),
                t.reconciled,
                t.rejected,
                plural(t.people, "person", "people")
            ),
            anstyle::Style::new().bold()
        )
    );
    let _ = writeln!(out, "BACS payments to providers: {}", pounds(t.payments));
    let _ = writeln!(out, "Invoices to providers: {}", pounds(t.invoices));
    let _ = writeln!(
        out,
        "{}",
        held_across(t.held_payments, t.held_recoveries, t.held_count)
    );
    let _ = writeln!(out, "{}: {}", phrases::REFUNDS, pounds(t.overcharge_refunds));
    let _ = writeln!(out, "{}: {}", phrases::REFERRED, t.referred_count);
    let _ = writeln!(out, "Late: {}", t.late);
    out
}

/// The table's columns, in order, with the priority each keeps when the
/// terminal is narrow (0 always shown; higher numbers go first).
const HEADER: [(&str, u8); 11] = [
    ("Person ID", 0),
    ("Name", 2),
    ("Status", 0),
    ("Commissioned h", 5),
    ("Delivered h", 4),
    ("Variance h", 0),
    ("Variance %", 1),
    ("Bank peak h", 6),
    ("Settlement £", 0),
    ("Method", 0),
    ("Overcharge £", 3),
];

fn status_colour(status: PersonStatus) -> Color {
    match status {
        PersonStatus::WithinTolerance => Color::Green,
        PersonStatus::Referred => Color::Red,
        PersonStatus::NoCare => Color::DarkGrey,
    }
}

/// One person's row, as text, in [`HEADER`] order.
fn row(p: &PersonResult) -> [String; 11] {
    let dash = || "-".to_string();
    let (amount, how) = match &p.settlement {
        Some(s) => (format_money(s.amount), phrases::settlement(s)),
        None => (dash(), String::new()),
    };
    [
        printable(&p.person_id).into_owned(),
        printable(p.name.as_deref().unwrap_or("")).into_owned(),
        p.status.label().to_string(),
        p.commissioned.to_spec_string(),
        p.delivered.to_spec_string(),
        p.net_variance.to_spec_string(),
        p.variance_percent.map_or_else(dash, |v| format_fixed(v, 2)),
        p.bank.peak.to_spec_string(),
        amount,
        how,
        p.charge
            .as_ref()
            .map_or_else(dash, |c| format_money(c.overcharge)),
    ]
}

/// The columns to show in `width` columns: all of them when they fit (or
/// when piped), else the least needed ones left out, a whole column at a
/// time, so no figure is ever broken across lines.
fn columns_that_fit(rows: &[[String; 11]], width: Option<usize>) -> Vec<usize> {
    let natural: Vec<usize> = (0..HEADER.len())
        .map(|c| {
            rows.iter()
                .map(|r| r[c].chars().count())
                .chain([HEADER[c].0.chars().count()])
                .max()
                .unwrap_or(0)
                + 3
        })
        .collect();
    let mut shown: Vec<usize> = (0..HEADER.len()).collect();
    let Some(width) = width else { return shown };
    let mut by_priority: Vec<usize> = (0..HEADER.len()).filter(|c| HEADER[*c].1 > 0).collect();
    by_priority.sort_by_key(|c| std::cmp::Reverse(HEADER[*c].1));
    for drop in by_priority {
        if shown.iter().map(|c| natural[*c]).sum::<usize>() < width {
            break;
        }
        shown.retain(|c| *c != drop);
    }
    shown
}

fn people_table(people: &[PersonResult], width: Option<usize>) -> (Table, usize) {
    let rows: Vec<[String; 11]> = people.iter().map(row).collect();
    let shown = columns_that_fit(&rows, width);
    let mut table = Table::new();
    table
        .set_content_arrangement(ContentArrangement::Disabled)
        .load_style(UTF8_FULL_CONDENSED)
        .enforce_styling()
        .set_header(
            shown
                .iter()
                .map(|c| Cell::new(HEADER[*c].0).add_attribute(Attribute::Bold)),
        );
    for (p, r) in people.iter().zip(&rows) {
        table.add_row(shown.iter().map(|&c| {
            let cell = Cell::new(&r[c]);
            match c {
                0 | 1 | 9 => cell,
                2 => cell.fg(status_colour(p.status)),
                _ => cell.set_alignment(CellAlignment::Right),
            }
        }));
    }
    (table, HEADER.len() - shown.len())
}
