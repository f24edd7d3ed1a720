//! The Findings sheet: severity, code, a link to the cell, the person and
//! the message, in the engine's order (errors, warnings, notices).

use rust_xlsxwriter::{Format, Url, Worksheet, XlsxError};

use crate::engine::Reconciliation;
use crate::findings::{Location, column_letters};
use crate::write::formats::{Formats, WriteText, autofit, severity_fill, table_header};

/// Findings: severity, code, a link to the cell, the person, the message.
pub fn sheet(r: &Reconciliation, f: &Formats) -> Result<Worksheet, XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name("Findings")?;
    table_header(
        &mut ws,
        0,
        &["Severity", "Code", "Cell", "Person ID", "Message"],
        r.findings.len() as u32,
        f,
    )?;
    for (i, x) in r.findings.iter().enumerate() {
        let row = i as u32 + 1;
        let sev = Format::new().set_background_color(severity_fill(x.severity()));
        ws.write_text_with_format(row, 0, x.severity().as_str(), &sev)?;
        ws.write_text(row, 1, x.code.as_str())?;
        if let Some(loc) = x.location {
            ws.write_url(row, 2, Url::new(link_target(loc)).set_text(loc.to_string()))?;
        }
        if let Some(id) = &x.person_id {
            ws.write_text(row, 3, id)?;
        }
        ws.write_text_with_format(row, 4, &x.message, &f.wrap)?;
    }
    autofit(&mut ws);
    ws.set_column_width(4, 100)?;
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
