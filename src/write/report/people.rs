//! The People sheet: a row per person with every SPEC 8.2 field, status
//! coloured, and a sparkline of each week's hours against the bundle (bars
//! above the axis: more than the bundle; below, in red: less).
//!
//! The columns are [`COLUMNS`], each a header, how wide it prints and the
//! value it shows: adding a column is one line there. Text wraps past its
//! column's widest width and the row grows to hold it; printed, the header
//! row and the Person ID and Name repeat on every page.

use rust_decimal::Decimal;
use rust_xlsxwriter::{Color, Format, Sparkline, SparklineType, Worksheet, XlsxError};

use super::Part;
use crate::base::text::{plural, week_runs};
use crate::base::units::Hours;
use crate::engine::{PersonResult, PersonStatus, Reconciliation, Status};
use crate::model::settings::Settings;
use crate::write::formats::{
    FALLBACK_COLUMN, Formats, WidePrint, WriteText, cell_text, column_pixels, end_streamed_rows, fit_row,
    hours_value, lines_height, table_header, text_pixels, widest_word, width_for, wrapped_lines,
};
use crate::write::phrases;

/// What a column shows for one person.
enum Value {
    Text(String),
    Status(PersonStatus),
    Hours(Hours),
    Money(Decimal),
    /// A percentage, as the engine gives it (2.50 for 2.50%).
    Percent(Decimal),
    Count(u32),
    Sparkline,
    Empty,
}

/// How wide a column prints, in characters (never narrower than the widest
/// word of its header, which wraps).
#[derive(Clone, Copy)]
enum Width {
    /// Numbers: wide enough for the figures the column holds.
    Fixed(f64),
    /// Text: as wide as its widest cell, at most `max`; longer text wraps.
    Text { max: f64 },
}

/// One column of the People sheet.
struct Column {
    header: &'static str,
    width: Width,
    value: fn(&PersonResult) -> Value,
}

const NUMBER: Width = Width::Fixed(8.0);
const MONEY: Width = Width::Fixed(10.0);

const COLUMNS: &[Column] = &[
    Column {
        header: "Person ID",
        width: Width::Text { max: 14.0 },
        value: |p| Value::Text(p.person_id.clone()),
    },
    Column {
        header: "Name",
        width: Width::Text { max: 22.0 },
        value: |p| p.name.clone().map_or(Value::Empty, Value::Text),
    },
    Column {
        header: "Status",
        width: Width::Text { max: 20.0 },
        value: |p| Value::Status(p.status),
    },
    Column {
        header: "Commissioned hours",
        width: NUMBER,
        value: |p| Value::Hours(p.commissioned),
    },
    Column {
        header: "Delivered hours",
        width: NUMBER,
        value: |p| Value::Hours(p.delivered),
    },
    Column {
        header: "Net variance hours",
        width: NUMBER,
        value: |p| Value::Hours(p.net_variance),
    },
    Column {
        header: "Variance %",
        width: NUMBER,
        value: |p| p.variance_percent.map_or(Value::Empty, Value::Percent),
    },
    Column {
        header: "Tolerance hours",
        width: NUMBER,
        value: |p| Value::Hours(p.tolerance),
    },
    Column {
        header: "Billable weeks",
        width: Width::Text { max: 14.0 },
        value: |p| Value::Text(week_runs(&p.billable_weeks())),
    },
    Column {
        header: "No-care weeks",
        width: Width::Text { max: 14.0 },
        value: |p| Value::Text(week_runs(&p.no_care_weeks())),
    },
    Column {
        header: "Bank peak hours",
        width: NUMBER,
        value: |p| Value::Hours(p.bank.peak),
    },
    Column {
        header: "Bank limit first week",
        width: Width::Fixed(9.0),
        value: |p| p.bank.limit_first_week.map_or(Value::Empty, Value::Count),
    },
    Column {
        header: "Change in need",
        width: Width::Text { max: 22.0 },
        value: |p| {
            p.change_in_need
                .as_ref()
                .map_or(Value::Empty, |x| Value::Text(phrases::change_in_need(x)))
        },
    },
    Column {
        header: "Settlement £",
        width: MONEY,
        value: |p| {
            p.settlement
                .as_ref()
                .map_or(Value::Empty, |s| Value::Money(s.amount))
        },
    },
    Column {
        header: "Method",
        width: Width::Text { max: 12.0 },
        value: |p| {
            p.settlement
                .as_ref()
                .map_or(Value::Empty, |s| Value::Text(phrases::method(s.method())))
        },
    },
    Column {
        header: "Authorised",
        width: Width::Text { max: 10.0 },
        value: |p| {
            p.settlement
                .as_ref()
                .map_or(Value::Empty, |s| Value::Text(phrases::authorised(s).into()))
        },
    },
    Column {
        header: "Decision",
        width: Width::Text { max: 26.0 },
        value: |p| match p.settlement.as_ref().and_then(|s| s.decision.as_ref()) {
            Some(d) => Value::Text(phrases::decision(d)),
            None => Value::Empty,
        },
    },
    Column {
        header: "Charged £",
        width: MONEY,
        value: |p| {
            p.charge
                .as_ref()
                .map_or(Value::Empty, |x| Value::Money(x.charged))
        },
    },
    Column {
        header: "Cost of care received £",
        width: MONEY,
        value: |p| {
            p.charge
                .as_ref()
                .map_or(Value::Empty, |x| Value::Money(x.cost_of_care_received))
        },
    },
    Column {
        header: "Overcharge £",
        width: MONEY,
        value: |p| {
            p.charge
                .as_ref()
                .map_or(Value::Empty, |x| Value::Money(x.overcharge))
        },
    },
    Column {
        header: "Weeks against bundle",
        width: Width::Fixed(18.0),
        value: |_| Value::Sparkline,
    },
    Column {
        header: "Notes",
        width: Width::Text { max: 60.0 },
        value: |p| {
            if p.notes.is_empty() {
                Value::Empty
            } else {
                Value::Text(p.notes.join("; "))
            }
        },
    },
];

/// The columns printed on every page: Person ID and Name.
const REPEATED: u16 = 2;

/// The sparkline's figures sit in hidden columns after [`COLUMNS`], one per
/// week: the engine's weekly variance of each billable week.
fn week_column(week: u32) -> u16 {
    (COLUMNS.len() as u32 + week - 1) as u16
}

/// A person's sparkline; `sheet` is the sheet's name, which its range names.
fn sparkline(
    ws: &mut Worksheet,
    sheet: &str,
    row: u32,
    col: u16,
    p: &PersonResult,
    f: &Formats,
) -> Result<(), XlsxError> {
    for w in &p.weeks {
        if let Some(v) = w.variance() {
            ws.write_with_format(row, week_column(w.week), hours_value(v), &f.hours)?;
        }
    }
    let weeks = p.weeks.len() as u32;
    if weeks == 0 {
        return Ok(());
    }
    ws.add_sparkline(
        row,
        col,
        &Sparkline::new()
            .set_range((sheet, row, week_column(1), row, week_column(weeks)))
            .set_type(SparklineType::Column)
            .show_negative_points(true)
            .show_hidden_data(true)
            .show_axis(true)
            .set_negative_points_color(Color::RGB(0xC0_00_00)),
    )?;
    Ok(())
}

/// The widths the columns print at: text as wide as its widest cell (up to
/// the column's most), every column at least as wide as its header's widest
/// word.
fn widths(values: &[Vec<Value>]) -> Vec<f64> {
    COLUMNS
        .iter()
        .enumerate()
        .map(|(c, column)| {
            let header = width_for(widest_word(column.header), false);
            let own = match column.width {
                Width::Fixed(w) => w,
                Width::Text { max } => {
                    let widest = values
                        .iter()
                        .map(|row| match &row[c] {
                            Value::Text(t) => text_pixels(t),
                            Value::Status(s) => text_pixels(s.label()),
                            _ => 0,
                        })
                        .max()
                        .unwrap_or(0);
                    width_for(widest, true).min(max)
                }
            };
            own.max(header)
        })
        .collect()
}

/// The lines of each row at these widths, the header row first.
fn row_lines(values: &[Vec<Value>], widths: &[f64]) -> Vec<usize> {
    let header = COLUMNS
        .iter()
        .zip(widths)
        .map(|(c, w)| wrapped_lines(c.header, *w, false))
        .max()
        .unwrap_or(1);
    let rows = values.iter().map(|row| {
        COLUMNS
            .iter()
            .zip(widths)
            .zip(row)
            .map(|((column, width), value)| match (value, column.width) {
                (Value::Text(t), Width::Text { .. }) => wrapped_lines(t, *width, true),
                _ => 1,
            })
            .max()
            .unwrap_or(1)
    });
    std::iter::once(header).chain(rows).collect()
}

/// The widest the Notes column grows to fill its printed page.
const NOTES_MOST: f64 = 100.0;

/// The People sheet, or one of the sheets it is split over: `part`'s people.
pub fn sheet(
    mut ws: Worksheet,
    part: &Part,
    r: &Reconciliation,
    settings: &Settings,
    f: &Formats,
) -> Result<Worksheet, XlsxError> {
    ws.set_name(&part.name)?;
    let people = &r.people[part.rows.clone()];
    let weeks = r
        .period
        .as_ref()
        .map_or(settings.period_weeks, |p| p.period.weeks);
    let mut headers: Vec<String> = COLUMNS.iter().map(|c| c.header.to_string()).collect();
    headers.extend((1..=weeks).map(|k| format!("Week {k} hours - bundle")));
    let header_refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    table_header(&mut ws, 0, &header_refs, people.len() as u32, f)?;

    let values: Vec<Vec<Value>> = people
        .iter()
        .map(|p| COLUMNS.iter().map(|c| (c.value)(p)).collect())
        .collect();
    let (widths, scale) = fitted_widths(&values);
    let lines = row_lines(&values, &widths);
    fit_row(&mut ws, 0, lines[0])?;

    for (i, (p, row_values)) in people.iter().zip(&values).enumerate() {
        let row = i as u32 + 1;
        write_person(&mut ws, &part.name, row, p, row_values, f)?;
        fit_row(&mut ws, row, lines[i + 1])?;
        if i + 1 == people.len() {
            end_streamed_rows(&mut ws, row, lines[i + 1])?;
        }
    }
    // A sheet of no one prints its header's first columns and the sentence
    // under them, one page wide.
    let printed = if people.is_empty() {
        let last = no_people(&mut ws, r, &widths)?;
        ws.set_print_area(0, 0, 1, last)?;
        usize::from(last) + 1
    } else {
        widths.len()
    };
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    // The sparklines' figures: kept, but hidden so the sheet prints on a page.
    for k in 1..=weeks {
        ws.set_column_hidden(week_column(k))?;
    }
    let scale = if people.is_empty() { None } else { scale };
    WidePrint {
        widths: &widths[..printed],
        heights: &row_heights(&values, &widths),
        rows: (0, 0),
        repeat_cols: REPEATED,
        break_before: &[],
    }
    .apply_at(&mut ws, scale)?;
    Ok(ws)
}

/// Each row's height at these widths, the header row first.
fn row_heights(values: &[Vec<Value>], widths: &[f64]) -> Vec<f64> {
    row_lines(values, widths).into_iter().map(lines_height).collect()
}

/// The widths, then the Notes (the last column) widened into the room left
/// on its printed page, so that fewer notes wrap; with the print scale at
/// the widths before the widening.
fn fitted_widths(values: &[Vec<Value>]) -> (Vec<f64>, Option<u16>) {
    let mut widths = widths(values);
    let heights = row_heights(values, &widths);
    let table = WidePrint {
        widths: &widths,
        heights: &heights,
        rows: (0, 0),
        repeat_cols: REPEATED,
        break_before: &[],
    };
    let scale = table.scale();
    let left = scale.map_or(0.0, |s| table.room_left(s));
    if let Some(notes) = widths.last_mut() {
        *notes = (*notes + (left / (7.0 * FALLBACK_COLUMN)).floor())
            .min(NOTES_MOST)
            .max(*notes);
    }
    (widths, scale)
}

/// Write one person's row: each column's value in its format.
fn write_person(
    ws: &mut Worksheet,
    sheet: &str,
    row: u32,
    p: &PersonResult,
    row_values: &[Value],
    f: &Formats,
) -> Result<(), XlsxError> {
    for (c, (column, value)) in COLUMNS.iter().zip(row_values).enumerate() {
        let col = c as u16;
        match value {
            Value::Text(t) => {
                let wraps = matches!(column.width, Width::Text { .. });
                ws.write_text_with_format(row, col, t, if wraps { &f.text_wrap } else { &f.text })?;
            }
            Value::Status(s) => {
                ws.write_text_with_format(row, col, s.label(), f.status(*s))?;
            }
            Value::Hours(h) => {
                ws.write_with_format(row, col, hours_value(*h), &f.hours_top)?;
            }
            Value::Money(m) => {
                ws.write_with_format(row, col, *m, &f.money_top)?;
            }
            // A percentage cell holds the fraction: 2.50% is 0.025.
            Value::Percent(v) => {
                ws.write_with_format(row, col, v / Decimal::ONE_HUNDRED, &f.percent_top)?;
            }
            Value::Count(n) => {
                ws.write_with_format(row, col, f64::from(*n), &f.number_top)?;
            }
            Value::Sparkline => sparkline(ws, sheet, row, col, p, f)?,
            Value::Empty => {}
        }
    }
    Ok(())
}

/// A sheet without people says why, under the header, instead of printing
/// a header alone: in one cell merged across the header's first columns,
/// about 100 characters, wrapped in a row as tall as its lines. The last
/// column it spans.
fn no_people(ws: &mut Worksheet, r: &Reconciliation, widths: &[f64]) -> Result<u16, XlsxError> {
    let text = if r.status() == Status::Rejected {
        let errors = r.count(crate::model::findings::Severity::Error);
        format!(
            "No one's figures are worked out: the submission was rejected, with {} for the provider to fix \
             (the Findings sheet lists each with its cell). Nothing is paid or recovered until a corrected \
             return is reconciled.",
            plural(errors, "error", "errors")
        )
    } else {
        "The submission lists no people.".to_string()
    };
    // Across the columns of the first printed page, about 100 characters.
    let mut last = 0;
    let mut across = 0.0;
    for (c, w) in widths.iter().enumerate() {
        last = c;
        across += column_pixels(*w);
        if across >= column_pixels(100.0) {
            break;
        }
    }
    let format = Format::new()
        .set_text_wrap()
        .set_bold()
        .set_font_color(Color::RGB(0xC0_00_00))
        .set_align(rust_xlsxwriter::FormatAlign::Top);
    ws.merge_range(1, 0, 1, last as u16, &cell_text(&text), &format)?;
    fit_row(ws, 1, wrapped_lines(&text, (across - 5.0) / 7.0, false) + 1)?;
    Ok(last as u16)
}
