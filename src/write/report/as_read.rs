//! The submission's sheets as read (Hours, and Details after the six SPEC
//! sheets): each cell at its own address, so a finding's reference points at
//! the same cell here as in the submission. Cells with findings are filled
//! by severity and carry a note; on a reconciled Hours sheet each week's
//! hours are shaded against the bundle.

use std::collections::{HashMap, HashSet};

use rust_xlsxwriter::{
    Color, ConditionalFormatFormula, Format, FormatAlign, FormatBorder, Note, Worksheet, XlsxError,
};

use crate::engine::{Reconciliation, Status};
use crate::model::findings::{Finding, Severity, Sheet, column_letters};
use crate::model::{Shown, ShownCell, Submission};
use crate::write::formats::{
    DATE_FORMAT, Formats, HOURS_FORMAT, WidePrint, WriteText, autofit, end_streamed_rows, fit_row,
    hours_value, lines_height, print_setup, severity_fill, text_pixels, widest_word, width_for,
    wrapped_lines,
};
use crate::write::phrases;

/// A sheet of the submission as read, each cell at its own position, so a
/// finding's reference points at the same cell here as in the submission.
/// Cells with findings are filled by severity and carry a note; on a
/// reconciled Hours sheet each week's hours are shaded against the bundle.
pub fn sheet(
    mut ws: Worksheet,
    sheet: Sheet,
    cells: &[ShownCell],
    submission: &Submission,
    r: &Reconciliation,
    f: &Formats,
) -> Result<Worksheet, XlsxError> {
    ws.set_name(sheet.name())?;
    let flagged = flagged_cells(r, sheet);

    let header_row = (sheet == Sheet::Hours).then_some(submission.layout.header_row);
    let layout = header_row.map(|h| Layout::of(cells, h, submission));
    // The widths and each row's height are worked out first, so that the
    // sheet is written row by row, top to bottom, once: a large Hours sheet
    // is then streamed (rust_xlsxwriter's constant memory), not held.
    let plan = match (&layout, header_row) {
        (Some(l), Some(h)) => Some(l.plan(cells, h)),
        _ => None,
    };

    let order = cell_order(cells, &flagged);
    let mut i = 0;
    while i < order.len() {
        let row = order[i].0;
        while i < order.len() && order[i].0 == row {
            let (_, col, cell) = order[i];
            let found = flagged.get(&(row, col));
            let fill = found.map(|(sev, _)| *sev);
            match cell {
                Some(c) => write_cell(&mut ws, c, fill, header_row, layout.as_ref(), f)?,
                None => {
                    if let Some(sev) = fill {
                        ws.write_blank(
                            row,
                            col as u16,
                            &Format::new().set_background_color(severity_fill(sev)),
                        )?;
                    }
                }
            }
            if let Some((_, list)) = found {
                finding_note(&mut ws, row, col, list)?;
            }
            i += 1;
        }
        if let Some(plan) = &plan {
            let lines = plan.lines.get(row as usize).copied().unwrap_or(1);
            fit_row(&mut ws, row, lines)?;
            if i == order.len() {
                end_streamed_rows(&mut ws, row, lines)?;
            }
        }
    }

    match (plan, header_row) {
        (Some(plan), Some(header)) => {
            if r.status() == Status::Reconciled {
                shade_weeks(&mut ws, submission)?;
            }
            if !cells.is_empty() {
                ws.set_freeze_panes(header + 1, 1)?;
            }
            plan.finish(&mut ws)?;
        }
        _ => {
            print_setup(&mut ws, 0)?;
            autofit(&mut ws);
        }
    }
    Ok(ws)
}

/// The findings on a sheet by cell (row, column), each cell's most severe
/// beside them all.
type Flagged<'a> = HashMap<(u32, u32), (Severity, Vec<&'a Finding>)>;

/// The findings on `sheet` by cell: the most severe decides the fill; all
/// go in the note.
fn flagged_cells(r: &Reconciliation, sheet: Sheet) -> Flagged<'_> {
    let mut flagged: Flagged<'_> = HashMap::new();
    for finding in &r.findings {
        let Some(loc) = finding.location.filter(|l| l.sheet() == sheet) else {
            continue;
        };
        let key = (loc.row_index(), loc.col_index().unwrap_or(0));
        let entry = flagged.entry(key).or_insert((finding.severity(), Vec::new()));
        entry.0 = entry.0.min(finding.severity());
        entry.1.push(finding);
    }
    flagged
}

/// Every cell to write, in row order: the cells as read, then (in their
/// places) flagged cells that were blank, a missing figure, which still get
/// their fill.
fn cell_order<'c>(cells: &'c [ShownCell], flagged: &Flagged<'_>) -> Vec<(u32, u32, Option<&'c ShownCell>)> {
    let seen: HashSet<(u32, u32)> = cells.iter().map(|c| (c.row, c.col)).collect();
    let mut order: Vec<(u32, u32, Option<&ShownCell>)> =
        cells.iter().map(|c| (c.row, c.col, Some(c))).collect();
    order.extend(
        flagged
            .keys()
            .filter(|key| !seen.contains(key))
            .map(|&(row, col)| (row, col, None)),
    );
    order.sort_by_key(|&(row, col, _)| (row, col));
    order
}

/// Write one cell as read: filled by its most severe finding, if any, else
/// bold in the header row; below the header row of the Hours sheet laid out
/// by `layout`.
fn write_cell(
    ws: &mut Worksheet,
    c: &ShownCell,
    fill: Option<Severity>,
    header_row: Option<u32>,
    layout: Option<&Layout>,
    f: &Formats,
) -> Result<(), XlsxError> {
    let base = match fill {
        Some(sev) => Some(
            Format::new()
                .set_background_color(severity_fill(sev))
                .set_border(FormatBorder::Thin)
                .set_border_color(Color::RGB(0x80_00_00)),
        ),
        None if Some(c.row) == header_row => Some(f.header.clone()),
        None => None,
    };
    match layout {
        // Below the header row; a title above it is written as it is.
        Some(l) if header_row.is_some_and(|h| c.row > h) => l.write(ws, c, base, f),
        _ => write_shown(ws, c, base, f),
    }
}

/// The note on a flagged cell: each of its findings, a paragraph each.
fn finding_note(ws: &mut Worksheet, row: u32, col: u32, list: &[&Finding]) -> Result<(), XlsxError> {
    let text = list
        .iter()
        .map(|x| phrases::finding_note(x))
        .collect::<Vec<_>>()
        .join("\n\n");
    ws.insert_note(
        row,
        col as u16,
        &Note::new(crate::write::formats::note_text(&text))
            .set_author("yourchoice")
            .add_author_prefix(false)
            .set_width(400)
            .set_height(160),
    )?;
    Ok(())
}

/// The widest a column of the Hours sheet prints, in characters: longer
/// text (a note) wraps within it and its row grows.
const MAX_WIDTH: f64 = 90.0;

/// How the Hours sheet as read prints: each column as wide as its widest
/// figure or text (the title above the header row aside), at least its
/// header's widest word, at most [`MAX_WIDTH`]; text in a week's column
/// right-aligned like the figures, other text indented so that it never
/// touches the figure before it.
struct Layout {
    widths: Vec<f64>,
    /// The columns holding figures (the weeks and the Total).
    figures: HashSet<u32>,
}

impl Layout {
    fn of(cells: &[ShownCell], header: u32, submission: &Submission) -> Layout {
        let mut figures: HashSet<u32> = submission.layout.week_columns.iter().flatten().copied().collect();
        // The Total: the column headed so.
        figures.extend(
            cells
                .iter()
                .filter(|c| {
                    c.row == header
                        && matches!(&c.value, Shown::Text(t) if t.trim().eq_ignore_ascii_case("total"))
                })
                .map(|c| c.col),
        );
        let columns = cells.iter().map(|c| c.col + 1).max().unwrap_or(0) as usize;
        let mut widths = vec![0.0_f64; columns];
        for c in cells.iter().filter(|c| c.row >= header) {
            let shown = shown_text(&c.value, figures.contains(&c.col));
            let w = if c.row == header {
                width_for(widest_word(&shown), false)
            } else {
                let text = matches!(c.value, Shown::Text(_) | Shown::Error(_));
                width_for(text_pixels(&shown), text && !figures.contains(&c.col))
            };
            let slot = &mut widths[c.col as usize];
            *slot = slot.max(w.min(MAX_WIDTH));
        }
        for w in &mut widths {
            *w = w.max(4.0);
        }
        Layout { widths, figures }
    }

    fn width(&self, col: u32) -> f64 {
        self.widths.get(col as usize).copied().unwrap_or(8.43)
    }

    /// Write a cell below the header row: top-aligned, text wrapped where
    /// its column is too narrow for it.
    fn write(
        &self,
        ws: &mut Worksheet,
        c: &ShownCell,
        base: Option<Format>,
        f: &Formats,
    ) -> Result<(), XlsxError> {
        let (Shown::Text(s) | Shown::Error(s)) = &c.value else {
            let base = base.map(|b| b.set_align(FormatAlign::Top));
            let col = c.col as u16;
            match (&c.value, base) {
                (Shown::Number(d), None) => ws.write_with_format(c.row, col, *d, &f.number_top)?,
                (Shown::Number(d), Some(b)) => ws.write_with_format(c.row, col, *d, &b)?,
                (Shown::Hours(h), None) => ws.write_with_format(c.row, col, hours_value(*h), &f.hours_top)?,
                (Shown::Hours(h), Some(b)) => {
                    ws.write_with_format(c.row, col, hours_value(*h), &b.set_num_format(HOURS_FORMAT))?
                }
                (Shown::Date(d), None) => ws.write_with_format(c.row, col, d, &f.date_top)?,
                (Shown::Date(d), Some(b)) => {
                    ws.write_with_format(c.row, col, d, &b.set_num_format(DATE_FORMAT))?
                }
                _ => ws,
            };
            return Ok(());
        };
        let figure = self.figures.contains(&c.col);
        let wraps = !figure && text_pixels(s) > 0 && width_for(text_pixels(s), true) > self.width(c.col);
        let format = base
            .unwrap_or_default()
            .set_align(FormatAlign::Top)
            .set_align(if figure {
                FormatAlign::Right
            } else {
                FormatAlign::Left
            });
        let format = if figure { format } else { format.set_indent(1) };
        let format = if wraps { format.set_text_wrap() } else { format };
        ws.write_text_with_format(c.row, c.col as u16, s, &format)?;
        Ok(())
    }

    /// Column widths, each row's lines (the header row too), and the print
    /// set-up: the header row and the Person ID repeated on every page.
    fn plan(&self, cells: &[ShownCell], header: u32) -> Plan {
        let last = cells.iter().map(|c| c.row).max().unwrap_or(0);
        // Each row's lines at these widths (the rows above the header: one).
        let lines = |widths: &[f64]| -> Vec<usize> {
            let mut lines = vec![1; last as usize + 1];
            for c in cells.iter().filter(|c| c.row >= header) {
                let (Shown::Text(s) | Shown::Error(s)) = &c.value else {
                    continue;
                };
                let width = widths.get(c.col as usize).copied().unwrap_or(8.43);
                let n = if c.row == header {
                    wrapped_lines(s, width, false)
                } else if self.figures.contains(&c.col) {
                    1
                } else {
                    wrapped_lines(s, width, true)
                };
                let slot = &mut lines[c.row as usize];
                *slot = (*slot).max(n);
            }
            lines
        };
        let heights = |lines: &[usize]| -> Vec<f64> { lines.iter().copied().map(lines_height).collect() };
        // Keep the weeks and the Total on the page of the person's details:
        // a second page had better start after the last figure.
        let break_before: Vec<u32> = self.figures.iter().max().map(|c| c + 1).into_iter().collect();
        let table = |widths: &[f64], heights: &[f64]| -> (Option<u16>, f64) {
            let table = WidePrint {
                widths,
                heights,
                rows: (header, header),
                repeat_cols: 1,
                break_before: &break_before,
            };
            let scale = table.scale();
            (scale, scale.map_or(0.0, |s| table.room_left(s)))
        };
        // The last column (the Notes, if they wrap) widened into the room
        // left on its printed page, so that fewer notes wrap.
        let mut widths = self.widths.clone();
        let (scale, left) = table(&widths, &heights(&lines(&widths)));
        if widths.last() == Some(&MAX_WIDTH)
            && let Some(w) = widths.last_mut()
        {
            *w += (left / 7.0).floor().min(MAX_WIDTH);
        }
        let lines = lines(&widths);
        let heights = heights(&lines);
        Plan {
            widths,
            lines,
            heights,
            scale,
            header,
            break_before,
        }
    }
}

/// How the Hours sheet is laid out, worked out before it is written.
struct Plan {
    widths: Vec<f64>,
    /// Each row's lines, from row 0.
    lines: Vec<usize>,
    heights: Vec<f64>,
    scale: Option<u16>,
    header: u32,
    break_before: Vec<u32>,
}

impl Plan {
    /// The column widths and the print set-up (the rows' heights are set as
    /// each row is written).
    fn finish(&self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        for (c, w) in self.widths.iter().enumerate() {
            ws.set_column_width(c as u16, *w)?;
        }
        WidePrint {
            widths: &self.widths,
            heights: &self.heights,
            rows: (self.header, self.header),
            repeat_cols: 1,
            break_before: &self.break_before,
        }
        .apply_at(ws, self.scale)
    }
}

/// A cell as the sheet shows it, to measure: hours with the two decimals
/// of the hours format, as a figure in a week's column (or the Total) needs
/// no more; other numbers as typed; dates as dd/mm/yyyy.
fn shown_text(value: &Shown, figure: bool) -> String {
    match value {
        Shown::Text(s) | Shown::Error(s) => s.clone(),
        Shown::Number(d) if figure => d.round_dp(2).normalize().to_string(),
        Shown::Number(d) => {
            let s = d.normalize().to_string();
            s.chars().take(11).collect()
        }
        Shown::Hours(h) => format!("{:.2}", hours_value(*h)),
        Shown::Date(_) => "00/00/0000".to_string(),
    }
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
