//! The terminal summary (SPEC 8.1): a table of people, the provider's
//! totals, then every finding with its cell. The text is styled; the
//! command's output stream strips the styles when colour is off.

use std::fmt::Write as _;

use comfy_table::Color;

use super::phrases::{self, paint};
use rust_decimal::Decimal;

use super::Show;
use super::fit::{Col, Fitted, fit_coloured};
use crate::base::text::{date, plural, pounds, printable};
use crate::base::units::{format_fixed, format_money};
use crate::engine::{PersonResult, PersonStatus, Reconciliation, RunTotals, Status};
use crate::model::findings::Severity;

/// Render one submission for the terminal: fitted to `width` columns where
/// given (a terminal), unwrapped otherwise (piped).
pub fn render(r: &Reconciliation, show: Show, width: Option<usize>) -> String {
    let mut out = String::new();
    let head = format!("{}: {}", printable(&r.source), phrases::provider(r));
    let _ = writeln!(out, "{}", phrases::wrap(&head, width));
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
            out.push('\n');
            out.push_str(&people_table(&r.people, width).show("see the report or --json", width));
        }
        if let Some(t) = &r.totals {
            let pay = format!(
                "{}: {}",
                phrases::provider_total(t.method()),
                pounds(t.provider_amount())
            );
            let _ = writeln!(
                out,
                "\n{}",
                paint(&phrases::wrap(&pay, width), anstyle::Style::new().bold())
            );
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
            let _ = writeln!(out, "\nDecisions applied:");
            for d in decisions {
                let _ = writeln!(out, "{}", phrases::wrap(&d, width));
            }
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

/// The council's totals over several submissions, after their tables,
/// fitted to `width` columns where given.
pub fn render_run(t: &RunTotals, width: Option<usize>) -> String {
    let head = format!(
        "Council totals: {} ({} reconciled, {} rejected), {}",
        plural(t.submissions, "submission", "submissions"),
        t.reconciled,
        t.rejected,
        plural(t.people, "person", "people")
    );
    let lines = [
        format!("BACS payments to providers: {}", pounds(t.payments)),
        format!("Invoices to providers: {}", pounds(t.invoices)),
        held_across(t.held_payments, t.held_recoveries, t.held_count),
        format!("{}: {}", phrases::REFUNDS, pounds(t.overcharge_refunds)),
        format!("{}: {}", phrases::REFERRED, t.referred_count),
        format!("Late: {}", t.late),
    ];
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        paint(&phrases::wrap(&head, width), anstyle::Style::new().bold())
    );
    for line in lines {
        let _ = writeln!(out, "{}", phrases::wrap(&line, width));
    }
    out
}

/// The table's columns, in order. Narrow, the person's ID, status, net
/// variance and settlement are always shown; the rest go detail first:
/// the bank's peak, the commissioned and delivered hours, the variance
/// as a percentage, the method (the settlement's sign says which way the
/// money goes), the overcharge, and the name last of all (it wraps before
/// it goes).
fn columns() -> [Col<'static>; 11] {
    [
        Col::text("Person ID", 0),
        Col::text("Name", 1).wraps(10),
        Col::text("Status", 0),
        Col::figure("Commissioned h", 6),
        Col::figure("Delivered h", 5),
        Col::figure("Variance h", 0),
        Col::figure("Variance %", 4),
        Col::figure("Bank peak h", 7),
        Col::figure("Settlement £", 0),
        Col::text("Method", 3),
        Col::figure("Overcharge £", 2),
    ]
}

fn status_colour(status: PersonStatus) -> Color {
    match status {
        PersonStatus::WithinTolerance => Color::Green,
        PersonStatus::Referred => Color::Red,
        PersonStatus::NoCare => Color::DarkGrey,
    }
}

/// One person's row, as text, in [`columns`] order.
fn row(p: &PersonResult) -> Vec<String> {
    let dash = || "-".to_string();
    let (amount, how) = match &p.settlement {
        Some(s) => (format_money(s.amount), phrases::settlement(s)),
        None => (dash(), String::new()),
    };
    vec![
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

/// The people, fitted to `width` (every column when piped), the status
/// coloured.
fn people_table(people: &[PersonResult], width: Option<usize>) -> Fitted {
    let rows: Vec<Vec<String>> = people.iter().map(row).collect();
    fit_coloured(&columns(), &rows, width, |r, c| {
        (c == 2).then(|| status_colour(people[r].status))
    })
}
