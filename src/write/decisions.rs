//! The decisions workbook (`yourchoice decisions`): one row per held
//! settlement, with the figures to decide on, a validated Decision cell,
//! Reason and Officer to fill in, and the Amount the decision binds itself
//! to, already written. Decisions already made are shown filled in. The
//! officer saves it and gives it to `--decisions` as it is: the columns
//! are the decisions file's, so the same reader reads both.

use rust_xlsxwriter::{DataValidation, Format, Workbook, Worksheet, XlsxError};

use super::formats::{
    DATE_FORMAT, Formats, HOURS_FORMAT, INPUT_FILL, MONEY_FORMAT, Sizer, print_table, shown_money,
    table_header,
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

/// The columns repeated at the left of every printed page: who the
/// settlement is for (provider, period, person).
const REPEATED: u16 = 5;

/// The widest the wrapping columns grow to (Provider name, Name, Why held,
/// Change in need), and the widths of the cells to fill in (Reason,
/// Officer), in characters.
const MOST: [(u16, f64); 4] = [(1, 24.0), (4, 20.0), (5, 30.0), (8, 22.0)];
const REASON_WIDTH: f64 = 36.0;
const OFFICER_WIDTH: f64 = 16.0;

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
    table_header(ws, 0, &COLUMNS, rows.len() as u32, &f)?;
    ws.set_freeze_panes(1, 4)?;
    let mut size = Sizer::new();
    size.header(0, &COLUMNS);
    size.line(2, "00/00/0000", false, false);
    size.line(10, "authorise", false, false);
    let top = || Format::new().set_align(rust_xlsxwriter::FormatAlign::Top);
    let money = top().set_num_format(MONEY_FORMAT);
    let hours = top().set_num_format(HOURS_FORMAT);
    let date = top().set_num_format(DATE_FORMAT);
    // Text indented a step, so that it never touches a number before it
    // (the Period start's date, the Variance %).
    let wrap = f.text_wrap.clone();
    for (i, r) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        write_row(ws, row, r, (&money, &hours, &date, &wrap, &input))?;
        measure_row(&mut size, row, r);
    }
    for (col, most) in MOST {
        size.most(col, most);
    }
    size.fixed(11, REASON_WIDTH);
    size.fixed(12, OFFICER_WIDTH);
    let (widths, heights) = size.apply(ws)?;
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
    print_table(ws, &widths, &heights, (0, 0), REPEATED)?;
    ws.set_header(format!("&LDecisions on held settlements&R{} held", rows.len()));
    Ok(wb)
}

/// A row's text for the [`Sizer`]: the columns as wide as their short
/// values, the wrapped cells' lines making the row as tall as it needs.
fn measure_row(size: &mut Sizer, row: u32, r: &ToDecide<'_>) {
    let p = r.person;
    size.line(0, r.provider_reference, false, true);
    size.wrap(row, 1, r.provider_name.unwrap_or_default(), false, true);
    size.line(3, &p.person_id, false, true);
    size.wrap(row, 4, p.name.as_deref().unwrap_or_default(), false, true);
    size.wrap(row, 5, r.hold.words(), false, true);
    size.line(6, &format!("{:.2}", p.net_variance.as_hours()), false, false);
    if let Some(v) = p.variance_percent {
        size.line(7, &format!("{v:.2}"), false, false);
    }
    if let Some(c) = &p.change_in_need {
        size.wrap(row, 8, &phrases::change_in_need(c), false, true);
    }
    size.line(9, &shown_money(r.settlement.amount), false, false);
    if let Some(d) = r.decided() {
        size.line(10, d.action.as_str(), false, false);
        size.wrap(row, 11, &d.reason, false, false);
        size.wrap(row, 12, &d.officer, false, false);
    }
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
