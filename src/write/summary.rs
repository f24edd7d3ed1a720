//! The council's summary workbook (`reconcile --summary FILE`): a row per
//! submission with a totals row, every referred person across providers,
//! and the findings that belong to no one submission. Numbers stay numbers;
//! every total is the engine's ([`crate::engine::RunTotals`]), the sum of
//! the rows to the penny.

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::phrases;
use crate::engine::{Method, PersonStatus, Run};
use crate::model::findings::Finding;
use crate::write::formats::{Formats, WriteText, autofit, hours_value, table_header};

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
    for (i, r) in run.results.iter().enumerate() {
        let row = i as u32 + 1;
        let provider = r.provider.as_ref();
        ws.write_text(
            row,
            0,
            provider.and_then(|p| p.reference.as_deref()).unwrap_or(""),
        )?;
        ws.write_text(row, 1, provider.and_then(|p| p.name.as_deref()).unwrap_or(""))?;
        ws.write_text(row, 2, &r.source)?;
        if let Some(p) = &r.period {
            ws.write_with_format(row, 3, &p.period.start, &f.date)?;
            ws.write_with_format(row, 4, &p.end(), &f.date)?;
            ws.write_text(row, 13, if p.late() { "Yes" } else { "No" })?;
            ws.write_with_format(row, 14, &p.submission_due, &f.date)?;
            ws.write_with_format(row, 15, &p.table_top_due, &f.date)?;
        }
        ws.write_text(row, 5, r.status().as_str())?;
        let Some(t) = &r.totals else { continue };
        ws.write_number(row, 6, r.people.len() as f64)?;
        let (payment, invoice) = match t.method() {
            Method::Bacs => (t.provider_amount(), rust_decimal::Decimal::ZERO),
            Method::Invoice => (rust_decimal::Decimal::ZERO, t.provider_amount()),
            Method::None => (rust_decimal::Decimal::ZERO, rust_decimal::Decimal::ZERO),
        };
        ws.write_with_format(row, 7, payment, &f.money)?;
        ws.write_with_format(row, 8, invoice, &f.money)?;
        ws.write_with_format(row, 9, t.held_payments, &f.money)?;
        ws.write_with_format(row, 10, t.held_recoveries, &f.money)?;
        ws.write_with_format(row, 11, t.overcharge_refunds, &f.money)?;
        ws.write_number(row, 12, t.referred_count as f64)?;
    }
    let t = &run.totals;
    let bold = f.bold.clone();
    let money = f.money.clone().set_bold();
    ws.write_text_with_format(last, 0, "Totals", &bold)?;
    ws.write_text_with_format(
        last,
        5,
        format!("{} reconciled, {} rejected", t.reconciled, t.rejected),
        &bold,
    )?;
    ws.write_number_with_format(last, 6, t.people as f64, &bold)?;
    ws.write_with_format(last, 7, t.payments, &money)?;
    ws.write_with_format(last, 8, t.invoices, &money)?;
    ws.write_with_format(last, 9, t.held_payments, &money)?;
    ws.write_with_format(last, 10, t.held_recoveries, &money)?;
    ws.write_with_format(last, 11, t.overcharge_refunds, &money)?;
    ws.write_number_with_format(last, 12, t.referred_count as f64, &bold)?;
    ws.write_number_with_format(last, 13, t.late as f64, &bold)?;
    autofit(&mut ws);
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
    for (i, (reference, p)) in people.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_text(row, 0, *reference)?;
        ws.write_text(row, 1, &p.person_id)?;
        ws.write_text(row, 2, p.name.as_deref().unwrap_or(""))?;
        ws.write_with_format(row, 3, hours_value(p.net_variance), &f.hours)?;
        if let Some(v) = p.variance_fraction() {
            ws.write_with_format(row, 4, v, &f.percent)?;
        }
        if let Some(s) = &p.settlement {
            ws.write_with_format(row, 5, s.amount, &f.money)?;
            ws.write_text(row, 6, phrases::method(s.method()))?;
            ws.write_text(row, 7, phrases::authorised(s))?;
            if let Some(d) = &s.decision {
                ws.write_text(row, 9, phrases::decision(d))?;
            }
        }
        if let Some(c) = &p.change_in_need {
            ws.write_text(row, 8, phrases::change_in_need(c))?;
        }
    }
    autofit(&mut ws);
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
    for (i, x) in findings.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_text(row, 0, x.severity().as_str())?;
        ws.write_text(row, 1, x.code.as_str())?;
        ws.write_text(row, 2, x.person_id.as_deref().unwrap_or(""))?;
        ws.write_text_with_format(row, 3, &x.message, &Format::new().set_text_wrap())?;
    }
    autofit(&mut ws);
    Ok(ws)
}
