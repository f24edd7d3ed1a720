//! The People sheet: a row per person with every SPEC 8.2 field, status
//! coloured, and a sparkline of each week's hours against the bundle (bars
//! above the axis: more than the bundle; below, in red: less).
//!
//! The columns are [`COLUMNS`], each a header and the function that writes
//! it: adding a column is one line there.

use rust_decimal::Decimal;
use rust_xlsxwriter::{Color, Sparkline, SparklineType, Worksheet, XlsxError};

use crate::engine::{PersonResult, Reconciliation};
use crate::settings::Settings;
use crate::words::week_runs;
use crate::write::formats::{Formats, WriteText, autofit, hours_value, table_header};
use crate::write::words;

/// The sheet's name, which the sparklines' ranges name too.
const NAME: &str = "People";

type Writes = fn(&mut Worksheet, u32, u16, &PersonResult, &Formats) -> Result<(), XlsxError>;

/// One column of the People sheet.
struct Column {
    header: &'static str,
    /// A fixed width, where autofit would not do.
    width: Option<f64>,
    write: Writes,
}

const fn col(header: &'static str, write: Writes) -> Column {
    Column {
        header,
        width: None,
        write,
    }
}

const COLUMNS: &[Column] = &[
    col("Person ID", |ws, r, c, p, _| {
        ws.write_text(r, c, &p.person_id).map(drop)
    }),
    col("Name", |ws, r, c, p, _| {
        ws.write_text(r, c, p.name.as_deref().unwrap_or("")).map(drop)
    }),
    col("Status", |ws, r, c, p, f| {
        ws.write_text_with_format(r, c, p.status.label(), f.status(p.status))
            .map(drop)
    }),
    col("Commissioned hours", |ws, r, c, p, f| {
        ws.write_with_format(r, c, hours_value(p.commissioned), &f.hours)
            .map(drop)
    }),
    col("Delivered hours", |ws, r, c, p, f| {
        ws.write_with_format(r, c, hours_value(p.delivered), &f.hours)
            .map(drop)
    }),
    col("Net variance hours", |ws, r, c, p, f| {
        ws.write_with_format(r, c, hours_value(p.net_variance), &f.hours)
            .map(drop)
    }),
    col("Variance %", |ws, r, c, p, f| match p.variance_percent {
        // A percentage cell holds the fraction: 2.50% is 0.025.
        Some(v) => ws
            .write_with_format(r, c, v / Decimal::ONE_HUNDRED, &f.percent)
            .map(drop),
        None => Ok(()),
    }),
    col("Tolerance hours", |ws, r, c, p, f| {
        ws.write_with_format(r, c, hours_value(p.tolerance), &f.hours)
            .map(drop)
    }),
    col("Billable weeks", |ws, r, c, p, _| {
        ws.write_text(r, c, week_runs(&p.billable_weeks())).map(drop)
    }),
    col("No-care weeks", |ws, r, c, p, _| {
        ws.write_text(r, c, week_runs(&p.no_care_weeks())).map(drop)
    }),
    col("Bank peak hours", |ws, r, c, p, f| {
        ws.write_with_format(r, c, hours_value(p.bank.peak), &f.hours)
            .map(drop)
    }),
    col("Bank limit first week", |ws, r, c, p, _| {
        match p.bank.limit_first_week {
            Some(k) => ws.write_number(r, c, f64::from(k)).map(drop),
            None => Ok(()),
        }
    }),
    col("Change in need", |ws, r, c, p, _| match &p.change_in_need {
        Some(x) => ws.write_text(r, c, words::change_in_need(x)).map(drop),
        None => Ok(()),
    }),
    col("Settlement £", |ws, r, c, p, f| match &p.settlement {
        Some(s) => ws.write_with_format(r, c, s.amount, &f.money).map(drop),
        None => Ok(()),
    }),
    col("Method", |ws, r, c, p, _| match &p.settlement {
        Some(s) => ws.write_text(r, c, words::method(s.method())).map(drop),
        None => Ok(()),
    }),
    col("Authorised", |ws, r, c, p, _| match &p.settlement {
        Some(s) => ws.write_text(r, c, words::authorised(s)).map(drop),
        None => Ok(()),
    }),
    col("Decision", |ws, r, c, p, _| {
        match p.settlement.as_ref().and_then(|s| s.decision.as_ref()) {
            Some(d) => ws.write_text(r, c, words::decision(d)).map(drop),
            None => Ok(()),
        }
    }),
    col("Charged £", |ws, r, c, p, f| match &p.charge {
        Some(x) => ws.write_with_format(r, c, x.charged, &f.money).map(drop),
        None => Ok(()),
    }),
    col("Cost of care received £", |ws, r, c, p, f| match &p.charge {
        Some(x) => ws
            .write_with_format(r, c, x.cost_of_care_received, &f.money)
            .map(drop),
        None => Ok(()),
    }),
    col("Overcharge £", |ws, r, c, p, f| match &p.charge {
        Some(x) => ws.write_with_format(r, c, x.overcharge, &f.money).map(drop),
        None => Ok(()),
    }),
    Column {
        header: "Weeks against bundle",
        width: Some(18.0),
        write: sparkline,
    },
    col("Notes", |ws, r, c, p, _| {
        if p.notes.is_empty() {
            Ok(())
        } else {
            ws.write_text(r, c, p.notes.join("; ")).map(drop)
        }
    }),
];

/// The sparkline's figures sit in hidden columns after [`COLUMNS`], one per
/// week: the engine's weekly variance of each billable week.
fn week_column(week: u32) -> u16 {
    (COLUMNS.len() as u32 + week - 1) as u16
}

fn sparkline(ws: &mut Worksheet, row: u32, col: u16, p: &PersonResult, f: &Formats) -> Result<(), XlsxError> {
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
            .set_range((NAME, row, week_column(1), row, week_column(weeks)))
            .set_type(SparklineType::Column)
            .show_negative_points(true)
            .show_hidden_data(true)
            .show_axis(true)
            .set_negative_points_color(Color::RGB(0xC0_00_00)),
    )?;
    Ok(())
}

pub fn sheet(r: &Reconciliation, settings: &Settings, f: &Formats) -> Result<Worksheet, XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name(NAME)?;
    let weeks = r
        .period
        .as_ref()
        .map_or(settings.period_weeks, |p| p.period.weeks);
    let mut headers: Vec<String> = COLUMNS.iter().map(|c| c.header.to_string()).collect();
    headers.extend((1..=weeks).map(|k| format!("Week {k} hours - bundle")));
    let header_refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    table_header(&mut ws, 0, &header_refs, r.people.len() as u32, f)?;

    for (i, p) in r.people.iter().enumerate() {
        let row = i as u32 + 1;
        for (c, column) in COLUMNS.iter().enumerate() {
            (column.write)(&mut ws, row, c as u16, p, f)?;
        }
    }
    autofit(&mut ws);
    for (c, column) in COLUMNS.iter().enumerate() {
        if let Some(width) = column.width {
            ws.set_column_width(c as u16, width)?;
        }
    }
    // The sparklines' figures: kept, but hidden so the sheet prints on a page.
    for k in 1..=weeks {
        ws.set_column_hidden(week_column(k))?;
    }
    Ok(ws)
}
