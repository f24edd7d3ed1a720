//! The council's summary workbook (`reconcile --summary FILE`): a row per
//! submission with a totals row, every referred person across providers,
//! and the findings that belong to no one submission. Numbers stay numbers;
//! every total is the engine's ([`crate::engine::RunTotals`]), the sum of
//! the rows to the penny.

use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};

use super::phrases;
use crate::engine::{Method, PersonStatus, Run};
use crate::model::findings::Finding;
use crate::write::formats::{Formats, Sizer, WriteText, hours_value, print_table, shown_money, table_header};

const SUBMISSIONS: [&str; 16] = [
    "Provider reference",
    "Provider name",
    "Submission file",
    "Period start",
    "Period end",
    "Status",
    "People",
    "BACS payment £",
    "Invoice £",
    "Held payments £",
    "Held recoveries £",
    "Refunds £",
    "Referrals",
    "Late",
    "Submission due",
    "Table-top due",
];

const REFERRALS: [&str; 10] = [
    "Provider reference",
    "Person ID",
    "Name",
    "Net variance hours",
    "Variance %",
    "Settlement £",
    "Method",
    "Authorised",
    "Change in need",
    "Decision",
];

/// Build the summary workbook.
///
/// # Errors
/// Only rust_xlsxwriter's own limits.
pub fn build(run: &Run) -> Result<Workbook, XlsxError> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    wb.push_worksheet(submissions(run, &f)?);
    wb.push_worksheet(referrals(run, &f)?);
    wb.push_worksheet(run_findings(&run.findings, &f)?);
    Ok(wb)
}

fn submissions(run: &Run, f: &Formats) -> Result<Worksheet, XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name("Submissions")?;
    let last = run.results.len() as u32 + 1;
    table_header(&mut ws, 0, &SUBMISSIONS, last, f)?;
    let mut size = Sizer::new();
    size.header(0, &SUBMISSIONS);
    for c in [3, 4, 14, 15] {
        size.line(c, "00/00/0000", false, false);
    }
    for (i, r) in run.results.iter().enumerate() {
        let row = i as u32 + 1;
        let provider = r.provider.as_ref();
        let reference = provider.and_then(|p| p.reference.as_deref()).unwrap_or("");
        let name = provider.and_then(|p| p.name.as_deref()).unwrap_or("");
        ws.write_text_with_format(row, 0, reference, &f.wrap)?;
        ws.write_text_with_format(row, 1, name, &f.wrap)?;
        ws.write_text_with_format(row, 2, &r.source, &f.wrap)?;
        size.line(0, reference, false, false);
        size.wrap(row, 1, name, false, false);
        size.wrap(row, 2, &r.source, false, false);
        size.line(5, r.status().as_str(), false, true);
        size.line(13, "Yes", false, true);
        if let Some(p) = &r.period {
            ws.write_with_format(row, 3, &p.period.start, &f.date_top)?;
            ws.write_with_format(row, 4, &p.end(), &f.date_top)?;
            ws.write_text_with_format(row, 13, if p.late() { "Yes" } else { "No" }, &f.text)?;
            ws.write_with_format(row, 14, &p.submission_due, &f.date_top)?;
            ws.write_with_format(row, 15, &p.table_top_due, &f.date_top)?;
        }
        ws.write_text_with_format(row, 5, r.status().as_str(), &f.text)?;
        let Some(t) = &r.totals else { continue };
        ws.write_with_format(row, 6, r.people.len() as f64, &f.number_top)?;
        let (payment, invoice) = match t.method() {
            Method::Bacs => (t.provider_amount(), rust_decimal::Decimal::ZERO),
            Method::Invoice => (rust_decimal::Decimal::ZERO, t.provider_amount()),
            Method::None => (rust_decimal::Decimal::ZERO, rust_decimal::Decimal::ZERO),
        };
        ws.write_with_format(row, 7, payment, &f.money_top)?;
        ws.write_with_format(row, 8, invoice, &f.money_top)?;
        ws.write_with_format(row, 9, t.held_payments, &f.money_top)?;
        ws.write_with_format(row, 10, t.held_recoveries, &f.money_top)?;
        ws.write_with_format(row, 11, t.overcharge_refunds, &f.money_top)?;
        ws.write_with_format(row, 12, t.referred_count as f64, &f.number_top)?;
    }
    let t = &run.totals;
    let bold = f.bold.clone();
    let money = f.money.clone().set_bold();
    ws.write_text_with_format(last, 0, "Totals", &bold)?;
    ws.write_text_with_format(
        last,
        5,
        format!("{} reconciled, {} rejected", t.reconciled, t.rejected),
        &f.text.clone().set_bold(),
    )?;
    ws.write_number_with_format(last, 6, t.people as f64, &bold)?;
    ws.write_with_format(last, 7, t.payments, &money)?;
    ws.write_with_format(last, 8, t.invoices, &money)?;
    ws.write_with_format(last, 9, t.held_payments, &money)?;
    ws.write_with_format(last, 10, t.held_recoveries, &money)?;
    ws.write_with_format(last, 11, t.overcharge_refunds, &money)?;
    ws.write_number_with_format(last, 12, t.referred_count as f64, &bold)?;
    ws.write_number_with_format(last, 13, t.late as f64, &bold)?;
    size.line(0, "Totals", true, false);
    size.line(
        5,
        &format!("{} reconciled, {} rejected", t.reconciled, t.rejected),
        true,
        true,
    );
    for (c, amount) in [
        (7, t.payments),
        (8, t.invoices),
        (9, t.held_payments),
        (10, t.held_recoveries),
        (11, t.overcharge_refunds),
    ] {
        size.line(c, &shown_money(amount), true, false);
    }
    size.most(1, 24.0);
    size.most(2, 24.0);
    let (widths, heights) = size.apply(&mut ws)?;
    print_table(&mut ws, &widths, &heights, (0, 0), 1)?;
    Ok(ws)
}

fn referrals(run: &Run, f: &Formats) -> Result<Worksheet, XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name("Referrals")?;
    let people: Vec<_> = run
        .results
        .iter()
        .flat_map(|r| {
            let reference = r
                .provider
                .as_ref()
                .and_then(|p| p.reference.as_deref())
                .unwrap_or("");
            r.people
                .iter()
                .filter(|p| p.status == PersonStatus::Referred)
                .map(move |p| (reference, p))
        })
        .collect();
    table_header(&mut ws, 0, &REFERRALS, people.len() as u32, f)?;
    let mut size = Sizer::new();
    size.header(0, &REFERRALS);
    // Each row's cells top-aligned, so that a row grown by its wrapped
    // decision reads level.
    for (i, (reference, p)) in people.iter().enumerate() {
        let row = i as u32 + 1;
        let name = p.name.as_deref().unwrap_or("");
        ws.write_text_with_format(row, 0, *reference, &f.wrap)?;
        ws.write_text_with_format(row, 1, &p.person_id, &f.wrap)?;
        ws.write_text_with_format(row, 2, name, &f.wrap)?;
        size.line(0, reference, false, false);
        size.line(1, &p.person_id, false, false);
        size.wrap(row, 2, name, false, false);
        ws.write_with_format(row, 3, hours_value(p.net_variance), &f.hours_top)?;
        size.line(3, &format!("{:.2}", p.net_variance.as_hours()), false, false);
        if let Some(v) = p.variance_fraction() {
            ws.write_with_format(row, 4, v, &f.percent_top)?;
            size.line(4, "-100.00%", false, false);
        }
        if let Some(s) = &p.settlement {
            ws.write_with_format(row, 5, s.amount, &f.money_top)?;
            size.line(5, &shown_money(s.amount), false, false);
            let method = phrases::method(s.method());
            ws.write_text_with_format(row, 6, &method, &f.wrap)?;
            size.line(6, &method, false, false);
            let authorised = phrases::authorised(s);
            ws.write_text_with_format(row, 7, authorised, &f.wrap)?;
            size.line(7, authorised, false, false);
            if let Some(d) = &s.decision {
                let decision = phrases::decision(d);
                ws.write_text_with_format(row, 9, &decision, &f.wrap)?;
                size.wrap(row, 9, &decision, false, false);
            }
        }
        if let Some(c) = &p.change_in_need {
            let change = phrases::change_in_need(c);
            ws.write_text_with_format(row, 8, &change, &f.wrap)?;
            size.wrap(row, 8, &change, false, false);
        }
    }
    size.most(2, 22.0);
    size.most(8, 22.0);
    size.fill(9, 30.0);
    let (widths, heights) = size.apply(&mut ws)?;
    print_table(&mut ws, &widths, &heights, (0, 0), 2)?;
    Ok(ws)
}

fn run_findings(findings: &[Finding], f: &Formats) -> Result<Worksheet, XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name("Run findings")?;
    table_header(
        &mut ws,
        0,
        &["Severity", "Code", "Person ID", "Message"],
        findings.len() as u32,
        f,
    )?;
    let mut size = Sizer::new();
    size.header(0, &["Severity", "Code", "Person ID", "Message"]);
    for (i, x) in findings.iter().enumerate() {
        let row = i as u32 + 1;
        let person = x.person_id.as_deref().unwrap_or("");
        ws.write_text_with_format(row, 0, x.severity().as_str(), &f.wrap)?;
        ws.write_text_with_format(row, 1, x.code.as_str(), &f.wrap)?;
        ws.write_text_with_format(row, 2, person, &f.wrap)?;
        ws.write_text_with_format(row, 3, &x.message, &f.wrap)?;
        size.line(0, x.severity().as_str(), false, false);
        size.line(1, x.code.as_str(), false, false);
        size.line(2, person, false, false);
        size.wrap(row, 3, &x.message, false, false);
    }
    size.fill(3, 40.0);
    let (widths, heights) = size.apply(&mut ws)?;
    print_table(&mut ws, &widths, &heights, (0, 0), 0)?;
    Ok(ws)
}
