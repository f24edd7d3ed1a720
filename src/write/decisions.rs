//! The decisions workbook (`yourchoice decisions`): one row per held
//! settlement, with the figures to decide on, a validated Decision cell,
//! Reason and Officer to fill in, and the Amount the decision binds itself
//! to, already written. Decisions already made are shown filled in. The
//! officer saves it and gives it to `--decisions` as it is: the columns
//! are the decisions file's, so the same reader reads both.

use rust_xlsxwriter::{DataValidation, Format, Workbook, Worksheet, XlsxError};

use super::formats::{
    DATE_FORMAT, Formats, HOURS_FORMAT, INPUT_FILL, MONEY_FORMAT, fit_row, table_header, wrapped_lines,
};
use super::phrases;
use crate::engine::decisions::ToDecide;
use crate::model::decisions_sheet::SHEET;

/// The columns, in order: the decisions file's own (which the reader
/// takes), with the figures to decide on among them (which it ignores).
pub const COLUMNS: [&str; 13] = [
    "Provider reference",
    "Provider name",
    "Period start",
    "Person ID",
    "Name",
    "Why held",
    "Net variance h",
    "Variance %",
    "Change in need",
    "Amount",
    "Decision",
    "Reason",
    "Officer",
];

const WIDTHS: [f64; 13] = [
    12.0, 24.0, 11.0, 10.0, 20.0, 34.0, 10.0, 9.0, 22.0, 12.0, 11.0, 48.0, 18.0,
];

/// The workbook, one row per held settlement.
///
/// # Errors
/// rust_xlsxwriter's.
pub fn build(rows: &[ToDecide<'_>]) -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    let f = Formats::new();
    let input = Format::new()
        .set_background_color(INPUT_FILL)
        .set_text_wrap()
        .set_align(rust_xlsxwriter::FormatAlign::Top);
    let ws = wb.add_worksheet().set_name(SHEET)?;
    for (c, width) in WIDTHS.iter().enumerate() {
        ws.set_column_width(c as u16, *width)?;
    }
    table_header(ws, 0, &COLUMNS, rows.len() as u32, &f)?;
    ws.set_freeze_panes(1, 4)?;
    // The header row as tall as its most wrapped name.
    let header_lines = COLUMNS
        .iter()
        .zip(WIDTHS)
        .map(|(name, width)| wrapped_lines(name, width, false))
        .max()
        .unwrap_or(1);
    fit_row(ws, 0, header_lines)?;
    let top = || Format::new().set_align(rust_xlsxwriter::FormatAlign::Top);
    let money = top().set_num_format(MONEY_FORMAT);
    let hours = top().set_num_format(HOURS_FORMAT);
    let date = top().set_num_format(DATE_FORMAT);
    let wrap = top().set_text_wrap();
    for (i, r) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        write_row(ws, row, r, (&money, &hours, &date, &wrap, &input))?;
        fit_row(ws, row, row_lines(r))?;
    }
    let last = rows.len().max(1) as u32;
    let choice = DataValidation::new()
        .allow_list_strings(&["authorise", "hold"])?
        .set_input_title("Decision")?
        .set_input_message(
            "authorise: pay or recover this settlement; hold: keep it held. Leave blank to decide later.",
        )?
        .set_error_title("Not a decision")?
        .set_error_message("Choose authorise or hold, or leave the cell blank.")?;
    ws.add_data_validation(1, 10, last, 10, &choice)?;
    ws.set_header(format!("&LDecisions on held settlements&R{} held", rows.len()));
    Ok(wb)
}

/// How many lines a row's wrapped cells need (the tallest of them).
fn row_lines(r: &ToDecide<'_>) -> usize {
    let change = r
        .person
        .change_in_need
        .as_ref()
        .map(phrases::change_in_need)
        .unwrap_or_default();
    let (reason, officer) = r
        .decided()
        .map_or(("", ""), |d| (d.reason.as_str(), d.officer.as_str()));
    [
        (r.provider_name.unwrap_or_default(), WIDTHS[1]),
        (r.person.name.as_deref().unwrap_or_default(), WIDTHS[4]),
        (r.hold.words(), WIDTHS[5]),
        (change.as_str(), WIDTHS[8]),
        (reason, WIDTHS[11]),
        (officer, WIDTHS[12]),
    ]
    .iter()
    .map(|(text, width)| wrapped_lines(text, *width, false))
    .max()
    .unwrap_or(1)
}

/// One held settlement: its figures, and the cells to fill in.
fn write_row(
    ws: &mut Worksheet,
    row: u32,
    r: &ToDecide<'_>,
    (money, hours, date, wrap, input): (&Format, &Format, &Format, &Format, &Format),
) -> Result<(), XlsxError> {
    let p = r.person;
    ws.write_string_with_format(row, 0, r.provider_reference, wrap)?;
    ws.write_string_with_format(row, 1, r.provider_name.unwrap_or_default(), wrap)?;
    ws.write_datetime_with_format(row, 2, r.period_start, date)?;
    ws.write_string_with_format(row, 3, &p.person_id, wrap)?;
    ws.write_string_with_format(row, 4, p.name.as_deref().unwrap_or_default(), wrap)?;
    ws.write_string_with_format(row, 5, r.hold.words(), wrap)?;
    ws.write_with_format(row, 6, p.net_variance.as_hours(), hours)?;
    if let Some(v) = p.variance_percent {
        ws.write_with_format(row, 7, v, hours)?;
    }
    if let Some(c) = &p.change_in_need {
        ws.write_string_with_format(row, 8, phrases::change_in_need(c), wrap)?;
    }
    // The settlement as money, and the decision binds itself to it.
    ws.write_with_format(row, 9, r.settlement.amount, money)?;
    match r.decided() {
        Some(d) => {
            ws.write_string_with_format(row, 10, d.action.as_str(), input)?;
            ws.write_string_with_format(row, 11, &d.reason, input)?;
            ws.write_string_with_format(row, 12, &d.officer, input)?;
        }
        None => {
            for c in 10..=12 {
                ws.write_blank(row, c, input)?;
            }
        }
    }
    Ok(())
}
