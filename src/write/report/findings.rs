//! The Findings sheet: severity, code, a link to the cell, the person and
//! the message, in the engine's order (errors, warnings, notices). Messages
//! wrap within a fixed width, each row as tall as its message, so that a
//! printed message never runs over the rows below.

use rust_xlsxwriter::{Color, FormatUnderline, Url, Worksheet, XlsxError};

use super::Part;
use crate::engine::Reconciliation;
use crate::model::findings::{Location, column_letters};
use crate::write::formats::{
    Formats, WriteText, end_streamed_rows, fit_row, print_setup, severity_fill, table_header, text_pixels,
    width_for, wrapped_lines,
};

/// The width of the Message column, in characters: the sheet then prints on
/// A4 landscape, one page wide, at about full size.
const MESSAGE_WIDTH: f64 = 84.0;

const HEADERS: [&str; 5] = ["Severity", "Code", "Cell", "Person ID", "Message"];

/// Findings: severity, code, a link to the cell, the person, the message;
/// `part`'s findings, on the Findings sheet or one of those it is split over.
pub fn sheet(
    mut ws: Worksheet,
    part: &Part,
    r: &Reconciliation,
    f: &Formats,
) -> Result<Worksheet, XlsxError> {
    ws.set_name(&part.name)?;
    let findings = &r.findings[part.rows.clone()];
    table_header(&mut ws, 0, &HEADERS, findings.len() as u32, f)?;
    let link = f
        .text
        .clone()
        .set_font_color(Color::RGB(0x05_63_C1))
        .set_underline(FormatUnderline::Single);
    // The widest cell of each column but the message (the filter's arrow
    // takes about 16 pixels of the header).
    let mut widest: Vec<u32> = HEADERS.iter().map(|h| text_pixels(h) + 16).collect();
    for (i, x) in findings.iter().enumerate() {
        let row = i as u32 + 1;
        let sev = f.text.clone().set_background_color(severity_fill(x.severity()));
        ws.write_text_with_format(row, 0, x.severity().as_str(), &sev)?;
        ws.write_text_with_format(row, 1, x.code.as_str(), &f.text)?;
        widest[0] = widest[0].max(text_pixels(x.severity().as_str()));
        widest[1] = widest[1].max(text_pixels(x.code.as_str()));
        if let Some(loc) = x.location {
            let text = loc.to_string();
            widest[2] = widest[2].max(text_pixels(&text));
            ws.write_url_with_format(row, 2, Url::new(link_target(loc)).set_text(text), &link)?;
        }
        if let Some(id) = &x.person_id {
            widest[3] = widest[3].max(text_pixels(id).min(140));
            ws.write_text_with_format(row, 3, id, &f.text)?;
        }
        ws.write_text_with_format(row, 4, &x.message, &f.text_wrap)?;
        let lines = wrapped_lines(&x.message, MESSAGE_WIDTH, true);
        fit_row(&mut ws, row, lines)?;
        if i + 1 == findings.len() {
            end_streamed_rows(&mut ws, row, lines)?;
        }
    }
    for (c, px) in widest.iter().take(4).enumerate() {
        ws.set_column_width(c as u16, width_for(*px, true))?;
    }
    ws.set_column_width(4, MESSAGE_WIDTH)?;
    print_setup(&mut ws, 0)?;
    Ok(ws)
}

/// `internal:'Hours'!F7`; a row points at its first cell.
pub fn link_target(loc: Location) -> String {
    let cell = match loc {
        Location::Cell { row, col, .. } => format!("{}{}", column_letters(col), row + 1),
        Location::Row { row, .. } => format!("A{}", row + 1),
    };
    format!("internal:'{}'!{cell}", loc.sheet().name())
}
