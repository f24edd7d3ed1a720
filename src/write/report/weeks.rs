//! The Weeks sheet: `explain`'s week-by-week lines for every person, one
//! row per person-week (long format), with an autofilter, so officers can
//! filter and pivot.

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::Part;
use crate::engine::Reconciliation;
use crate::write::formats::{
    Formats, WriteText, end_streamed_rows, fit_row, hours_value, print_table, table_header, text_pixels,
    widest_word, width_for,
};

/// The widest a column grows, in pixels (a long name wraps past it).
const MAX_PIXELS: u32 = 220 * 7;

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

/// The Weeks sheet, or one of the sheets it is split over: `part`'s rows of
/// the person-weeks, every person's weeks in turn. Every part's columns are
/// as wide as the whole table needs, so the sheets line up.
pub fn sheet(
    mut ws: Worksheet,
    part: &Part,
    r: &Reconciliation,
    f: &Formats,
) -> Result<Worksheet, XlsxError> {
    ws.set_name(&part.name)?;
    table_header(&mut ws, 0, &HEADERS, part.rows.len() as u32, f)?;
    // Each column as wide as its header's widest word (with the filter's
    // arrow: the header wraps, on two lines at most, set before the rows
    // stream) and its widest cell, measured as written: the sheet is
    // streamed, so there is nothing left to autofit afterwards.
    fit_row(&mut ws, 0, 2)?;
    let mut widest: Vec<u32> = HEADERS.iter().map(|h| widest_word(h) + 16).collect();
    for (c, shown) in [
        (3, "00/00/0000"),
        (6, "000.00"),
        (7, "000.00"),
        (8, "-000.00"),
        (9, "-000.00"),
    ] {
        widest[c] = widest[c].max(text_pixels(shown));
    }
    for p in &r.people {
        widest[0] = widest[0].max(text_pixels(&p.person_id));
        widest[1] = widest[1].max(text_pixels(p.name.as_deref().unwrap_or("")));
        for w in &p.weeks {
            if let Some(rate) = w.rate {
                widest[10] = widest[10].max(text_pixels(&format!("£{rate:.2}")));
            }
            if let Some(c) = w.charge {
                widest[11] = widest[11].max(text_pixels(&format!("£{c:.2}")));
            }
        }
    }
    let mut row = 1;
    let mut at = 0;
    for p in &r.people {
        // The people wholly before or after the part are passed over.
        if at + p.weeks.len() <= part.rows.start {
            at += p.weeks.len();
            continue;
        }
        if at >= part.rows.end {
            break;
        }
        for w in &p.weeks {
            at += 1;
            if !part.rows.contains(&(at - 1)) {
                continue;
            }
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
    if row == 1 {
        // No rows: the header, given a height, is the last row.
        end_streamed_rows(&mut ws, 0, 2)?;
    }
    let widths: Vec<f64> = widest
        .iter()
        .map(|px| width_for((*px).min(MAX_PIXELS), false))
        .collect();
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    // Whole columns to a page at a readable scale, Person ID and Name
    // repeated, when one page wide would be too small in a fallback font.
    print_table(&mut ws, &widths, &[], (0, 0), 2)?;
    Ok(ws)
}
