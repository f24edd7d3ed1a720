//! The submission's sheets as read (Hours, and Details after the six SPEC
//! sheets): each cell at its own address, so a finding's reference points at
//! the same cell here as in the submission. Cells with findings are filled
//! by severity and carry a note; on a reconciled Hours sheet each week's
//! hours are shaded against the bundle.

use std::collections::{HashMap, HashSet};

use rust_xlsxwriter::{Color, ConditionalFormatFormula, Format, FormatBorder, Note, Worksheet, XlsxError};

use crate::engine::{Reconciliation, Status};
use crate::findings::{Finding, Severity, Sheet, column_letters};
use crate::model::{Shown, ShownCell, Submission};
use crate::write::formats::{
    DATE_FORMAT, Formats, HOURS_FORMAT, WriteText, autofit, hours_value, print_setup, severity_fill,
};
use crate::write::words;

/// A sheet of the submission as read, each cell at its own position, so a
/// finding's reference points at the same cell here as in the submission.
/// Cells with findings are filled by severity and carry a note; on a
/// reconciled Hours sheet each week's hours are shaded against the bundle.
pub fn sheet(
    sheet: Sheet,
    cells: &[ShownCell],
    submission: &Submission,
    r: &Reconciliation,
    f: &Formats,
) -> Result<Worksheet, XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name(sheet.name())?;

    // Findings by cell: the most severe decides the fill; all go in the note.
    let mut flagged: HashMap<(u32, u32), (Severity, Vec<&Finding>)> = HashMap::new();
    for finding in &r.findings {
        let Some(loc) = finding.location.filter(|l| l.sheet() == sheet) else {
            continue;
        };
        let key = (loc.row_index(), loc.col_index().unwrap_or(0));
        let entry = flagged.entry(key).or_insert((finding.severity(), Vec::new()));
        entry.0 = entry.0.min(finding.severity());
        entry.1.push(finding);
    }

    let header_row = (sheet == Sheet::Hours).then_some(submission.layout.header_row);
    let mut seen: HashSet<(u32, u32)> = HashSet::with_capacity(cells.len());
    for c in cells {
        seen.insert((c.row, c.col));
        let base = match flagged.get(&(c.row, c.col)) {
            Some((sev, _)) => Some(
                Format::new()
                    .set_background_color(severity_fill(*sev))
                    .set_border(FormatBorder::Thin)
                    .set_border_color(Color::RGB(0x80_00_00)),
            ),
            None if Some(c.row) == header_row => Some(f.header.clone()),
            None => None,
        };
        write_shown(&mut ws, c, base, f)?;
    }
    // Flagged cells that were blank (a missing figure) still get their fill.
    for (&(row, col), (sev, _)) in &flagged {
        if !seen.contains(&(row, col)) {
            ws.write_blank(
                row,
                col as u16,
                &Format::new().set_background_color(severity_fill(*sev)),
            )?;
        }
    }
    for (&(row, col), (_, list)) in &flagged {
        let text = list
            .iter()
            .map(|x| words::finding_note(x))
            .collect::<Vec<_>>()
            .join("\n\n");
        ws.insert_note(
            row,
            col as u16,
            &Note::new(crate::write::formats::cell_text(&text))
                .set_author("yourchoice")
                .add_author_prefix(false)
                .set_width(400)
                .set_height(160),
        )?;
    }

    if sheet == Sheet::Hours {
        if r.status() == Status::Reconciled {
            shade_weeks(&mut ws, submission)?;
        }
        let header = submission.layout.header_row;
        if !cells.is_empty() {
            ws.set_freeze_panes(header + 1, 1)?;
        }
        print_setup(&mut ws, header)?;
    } else {
        print_setup(&mut ws, 0)?;
    }
    autofit(&mut ws);
    if sheet == Sheet::Hours && submission.layout.header_row > 0 {
        // A title above the header row should not widen the Person ID column.
        ws.set_column_width(0, 12)?;
    }
    if sheet == Sheet::Hours {
        // Autofit measures a duration's full digits (7.333333), not the two
        // decimals shown.
        for col in submission.layout.week_columns.iter().flatten() {
            ws.set_column_width(*col as u16, 8)?;
        }
    }
    Ok(ws)
}

/// Write one cell as read. `base` is the cell's fill, if it has one; the
/// common case (no finding) writes with shared formats.
fn write_shown(
    ws: &mut Worksheet,
    c: &ShownCell,
    base: Option<Format>,
    f: &Formats,
) -> Result<(), XlsxError> {
    let col = c.col as u16;
    match (&c.value, base) {
        (Shown::Text(s) | Shown::Error(s), None) => ws.write_text(c.row, col, s)?,
        (Shown::Text(s) | Shown::Error(s), Some(b)) => ws.write_text_with_format(c.row, col, s, &b)?,
        (Shown::Number(d), None) => ws.write(c.row, col, *d)?,
        (Shown::Number(d), Some(b)) => ws.write_with_format(c.row, col, *d, &b)?,
        (Shown::Hours(h), None) => ws.write_with_format(c.row, col, hours_value(*h), &f.hours)?,
        (Shown::Hours(h), Some(b)) => {
            ws.write_with_format(c.row, col, hours_value(*h), &b.set_num_format(HOURS_FORMAT))?
        }
        (Shown::Date(d), None) => ws.write_with_format(c.row, col, d, &f.date)?,
        (Shown::Date(d), Some(b)) => ws.write_with_format(c.row, col, d, &b.set_num_format(DATE_FORMAT))?,
    };
    Ok(())
}

/// Shade each week's hours against the row's bundle: blue above it, orange
/// below it (conditional formats, so the officer's edits re-shade).
fn shade_weeks(ws: &mut Worksheet, submission: &Submission) -> Result<(), XlsxError> {
    let (Some(bundle_col), Some(first), Some(last)) = (
        submission.layout.bundle_column,
        submission.rows.iter().map(|r| r.row).min(),
        submission.rows.iter().map(|r| r.row).max(),
    ) else {
        return Ok(());
    };
    let bundle = column_letters(bundle_col);
    let over = Format::new().set_background_color(Color::RGB(0xDD_EB_F7));
    let under = Format::new().set_background_color(Color::RGB(0xFC_E4_D6));
    for col in submission.layout.week_columns.iter().flatten() {
        let cell = format!("{}{}", column_letters(*col), first + 1);
        let b = format!("${bundle}{}", first + 1);
        let c = *col as u16;
        ws.add_conditional_format(
            first,
            c,
            last,
            c,
            &ConditionalFormatFormula::new()
                .set_rule(format!("=AND(ISNUMBER({cell}),{cell}>0,{cell}>{b})").as_str())
                .set_format(&over),
        )?;
        ws.add_conditional_format(
            first,
            c,
            last,
            c,
            &ConditionalFormatFormula::new()
                .set_rule(format!("=AND(ISNUMBER({cell}),{cell}>0,{cell}<{b})").as_str())
                .set_format(&under),
        )?;
    }
    Ok(())
}
