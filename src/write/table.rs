//! The terminal summary (SPEC 8.1): a table of people, the provider's
//! totals, then every finding with its cell. The text is styled; the
//! command's output stream strips the styles when colour is off.

use std::fmt::Write as _;

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Attribute, Cell, CellAlignment, Color, ContentArrangement, Table};

use super::words::{self, paint};
use crate::engine::{PersonResult, PersonStatus, Reconciliation, RunTotals, Status};
use crate::findings::Severity;
use crate::units::{format_fixed, format_money};
use crate::words::{date, plural, pounds, printable};

/// Render one submission for the terminal.
pub fn render(r: &Reconciliation) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}: {}", printable(&r.source), words::provider(r));
    if let Some(p) = &r.period {
        let _ = writeln!(
            out,
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
    }

    if r.status() == Status::Rejected {
        let _ = writeln!(
            out,
            "\n{}",
            paint(&words::rejected(r), words::severity_style(Severity::Error))
        );
    } else {
        out.push('\n');
        out.push_str(&people_table(&r.people).to_string());
        out.push('\n');
        if let Some(t) = &r.totals {
            let pay = format!(
                "{}: {}",
                words::provider_total(t.method()),
                pounds(t.provider_amount())
            );
            let _ = writeln!(out, "\n{}", paint(&pay, anstyle::Style::new().bold()));
            let _ = writeln!(
                out,
                "{}: {} ({})",
                words::HELD,
                pounds(t.held),
                plural(t.held_count, "person", "people")
            );
            let _ = writeln!(out, "{}: {}", words::REFUNDS, pounds(t.overcharge_refunds));
            let _ = writeln!(out, "{}: {}", words::REFERRED, t.referred_count);
        }
        let decisions: Vec<String> = r
            .people
            .iter()
            .filter_map(|p| {
                let d = p.settlement.as_ref()?.decision.as_ref()?;
                Some(format!(
                    "  {}: {}",
                    printable(&crate::words::who(&p.person_id, p.name.as_deref())),
                    printable(&words::decision(d))
                ))
            })
            .collect();
        if !decisions.is_empty() {
            let _ = writeln!(out, "\nDecisions applied:\n{}", decisions.join("\n"));
        }
    }

    if !r.findings.is_empty() {
        let _ = writeln!(out, "\nFindings:");
        for f in &r.findings {
            let _ = writeln!(out, "{}", words::finding_line(f));
        }
    }
    out
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
        "{}: payments {}, recoveries {} ({})",
        words::HELD,
        pounds(t.held_payments),
        pounds(t.held_recoveries),
        plural(t.held_count, "person", "people")
    );
    let _ = writeln!(out, "{}: {}", words::REFUNDS, pounds(t.overcharge_refunds));
    let _ = writeln!(out, "{}: {}", words::REFERRED, t.referred_count);
    let _ = writeln!(out, "Late: {}", t.late);
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

fn status_colour(status: PersonStatus) -> Color {
    match status {
        PersonStatus::WithinTolerance => Color::Green,
        PersonStatus::Referred => Color::Red,
        PersonStatus::NoCare => Color::DarkGrey,
    }
}

fn people_table(people: &[PersonResult]) -> Table {
    let mut table = Table::new();
    table
        .load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .enforce_styling()
        .set_header(HEADER.map(|h| Cell::new(h).add_attribute(Attribute::Bold)));
    let num = |s: String| Cell::new(s).set_alignment(CellAlignment::Right);
    let dash = || "-".to_string();
    for p in people {
        let (amount, how) = match &p.settlement {
            Some(s) => (format_money(s.amount), words::settlement(s)),
            None => (dash(), String::new()),
        };
        table.add_row(vec![
            Cell::new(printable(&p.person_id)),
            Cell::new(printable(p.name.as_deref().unwrap_or(""))),
            Cell::new(p.status.label()).fg(status_colour(p.status)),
            num(p.commissioned.to_spec_string()),
            num(p.delivered.to_spec_string()),
            num(p.net_variance.to_spec_string()),
            num(p.variance_percent.map_or_else(dash, |v| format_fixed(v, 2))),
            num(p.bank.peak.to_spec_string()),
            num(amount),
            Cell::new(how),
            num(p
                .charge
                .as_ref()
                .map_or_else(dash, |c| format_money(c.overcharge))),
        ]);
    }
    table
}
