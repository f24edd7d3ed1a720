//! The Visits sheet of a return `yourchoice fill` wrote: every visit read,
//! the week and cell it fed, the hours it added, and why a visit added
//! nothing. The evidence behind each weekly figure stays with the figure.

use rust_xlsxwriter::{Format, Worksheet, XlsxError};

use super::formats::{Formats, fit_row, wrapped_lines};
use crate::engine::visits::Fill;

use crate::model::visits::sheet::*;

const HEADER: [(&str, f64); 14] = [
    (SOURCE, 16.0),
    (CLIENT, 12.0),
    (PERSON_ID, 11.0),
    (DATE, 11.0),
    (START, 7.0),
    (END, 7.0),
    (DURATION, 10.0),
    (CARERS, 7.0),
    (CARER, 12.0),
    (STATUS, 11.0),
    (AMENDED, 9.0),
    (WEEK, 6.0),
    (HOURS, 10.0),
    (CELL_OR_WHY, 36.0),
];

/// Write the Visits sheet into `ws` (a constant-memory worksheet: rows in
/// order); `week_cell` names the Hours cell of a row's week (the
/// template's layout, which the template writer owns).
///
/// # Errors
/// rust_xlsxwriter's own limits.
pub fn sheet(
    mut ws: Worksheet,
    fill: &Fill,
    f: &Formats,
    week_cell: impl Fn(usize, u32) -> String,
) -> Result<Worksheet, XlsxError> {
    ws.set_name(SHEET)?;
    let header = f.header.clone().set_text_wrap();
    for (c, (name, width)) in HEADER.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *name, &header)?;
        ws.set_column_width(c as u16, *width)?;
    }
    // Room for the longest heading's two lines.
    let lines = HEADER
        .iter()
        .map(|(name, width)| wrapped_lines(name, *width, false))
        .max()
        .unwrap_or(1);
    fit_row(&mut ws, 0, lines)?;
    let time = Format::new().set_num_format("hh:mm");
    for (i, v) in fill.visits.iter().enumerate() {
        let row = i as u32 + 1;
        let visit = &v.visit;
        ws.write_string(row, 0, &visit.source)?;
        ws.write_string_with_format(row, 1, &visit.client, &f.text)?;
        if let Some(p) = &v.person_id {
            ws.write_string_with_format(row, 2, p, &f.text)?;
        }
        ws.write_with_format(row, 3, &visit.date, &f.date)?;
        if let Some(t) = &visit.start {
            ws.write_with_format(row, 4, t, &time)?;
        }
        if let Some(t) = &visit.end {
            ws.write_with_format(row, 5, t, &time)?;
        }
        if let Some(d) = visit.duration {
            ws.write_with_format(row, 6, d.as_hours(), &f.hours)?;
        }
        ws.write_number(row, 7, f64::from(visit.carers))?;
        if let Some(c) = &visit.carer {
            ws.write_string_with_format(row, 8, c, &f.text)?;
        }
        ws.write_string_with_format(row, 9, visit.status.as_str(), &f.text)?;
        ws.write_string_with_format(row, 10, if visit.manually_amended { "yes" } else { "" }, &f.text)?;
        if let Some(k) = v.week {
            ws.write_number(row, 11, f64::from(k))?;
        }
        ws.write_with_format(row, 12, v.hours.as_hours(), &f.hours)?;
        let where_or_why = match (&v.not_counted, v.row, v.week) {
            (Some(why), _, _) => format!("not counted: {why}"),
            (None, Some(r), Some(k)) => week_cell(r, k),
            _ => String::new(),
        };
        ws.write_string_with_format(row, 13, &where_or_why, &f.text)?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, fill.visits.len() as u32, HEADER.len() as u16 - 1)?;
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    Ok(ws)
}
