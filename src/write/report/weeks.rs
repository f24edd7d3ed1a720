//! The Weeks sheet: `explain`'s week-by-week lines for every person, one
//! row per person-week (long format), with an autofilter, so officers can
//! filter and pivot.

use rust_xlsxwriter::{Worksheet, XlsxError};

use crate::engine::Reconciliation;
use crate::write::formats::{Formats, WriteText, autofit, hours_value, table_header};

const HEADERS: [&str; 12] = [
    "Person ID",
    "Name",
    "Week",
    "Commencing",
    "Care week",
    "Billable",
    "Bundle h",
    "Delivered h",
    "Variance h",
    "Bank h",
    "Rate £",
    "Charge £",
];

pub fn sheet(r: &Reconciliation, f: &Formats) -> Result<Worksheet, XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name("Weeks")?;
    let rows: usize = r.people.iter().map(|p| p.weeks.len()).sum();
    table_header(&mut ws, 0, &HEADERS, rows as u32, f)?;
    let mut row = 1;
    for p in &r.people {
        for w in &p.weeks {
            ws.write_text(row, 0, &p.person_id)?;
            ws.write_text(row, 1, p.name.as_deref().unwrap_or(""))?;
            ws.write_number(row, 2, f64::from(w.week))?;
            if let Some(period) = &r.period {
                ws.write_with_format(row, 3, &period.period.week_commencing(w.week), &f.date)?;
            }
            ws.write_text(row, 4, if w.care { "yes" } else { "no" })?;
            ws.write_text(row, 5, if w.is_billable() { "yes" } else { "no" })?;
            if let Some(b) = w.bundle.filter(|_| w.care) {
                ws.write_with_format(row, 6, hours_value(b), &f.hours)?;
            }
            if let Some(a) = w.delivered {
                ws.write_with_format(row, 7, hours_value(a), &f.hours)?;
            }
            if let Some(v) = w.variance() {
                ws.write_with_format(row, 8, hours_value(v), &f.hours)?;
            }
            if let Some(b) = w.balance {
                ws.write_with_format(row, 9, hours_value(b), &f.hours)?;
            }
            if let Some(rate) = w.rate {
                ws.write_with_format(row, 10, rate, &f.money)?;
            }
            if let Some(c) = w.charge {
                ws.write_with_format(row, 11, c, &f.money)?;
            }
            row += 1;
        }
    }
    autofit(&mut ws);
    Ok(ws)
}
