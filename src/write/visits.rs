//! The Visits sheet of a return `yourchoice fill` wrote: every visit read,
//! the week and cell it fed, the hours it added, and why a visit added
//! nothing. The evidence behind each weekly figure stays with the figure.

use chrono::{NaiveDate, NaiveTime, Timelike};
use rust_xlsxwriter::{Format, Worksheet, XlsxError};

use super::formats::{Formats, fit_row, wrapped_lines};
use crate::base::units::Hours;
use crate::engine::visits::Fill;
use crate::model::PlannedPerson;
use crate::model::visits::Visit;

use crate::model::visits::sheet::*;

/// The columns: the evidence of each visit, and what became of it. What
/// a column shows (a date, a time, hours, indented text) is the column's
/// format, so each cell is written plain: a format looked up per cell
/// (rust_xlsxwriter hashes it) was most of the time of a million rows.
const HEADER: [(&str, f64, Shown); 14] = [
    (SOURCE, 16.0, Shown::Plain),
    (CLIENT, 12.0, Shown::Text),
    (PERSON_ID, 11.0, Shown::Text),
    (DATE, 11.0, Shown::Date),
    (START, 7.0, Shown::Time),
    (END, 7.0, Shown::Time),
    (DURATION, 10.0, Shown::Hours),
    (CARERS, 7.0, Shown::Plain),
    (CARER, 12.0, Shown::Text),
    (STATUS, 11.0, Shown::Text),
    (AMENDED, 9.0, Shown::Text),
    (WEEK, 6.0, Shown::Plain),
    (HOURS, 10.0, Shown::Hours),
    (CELL_OR_WHY, 36.0, Shown::Text),
];

#[derive(Clone, Copy)]
enum Shown {
    Plain,
    Text,
    Date,
    Time,
    Hours,
}

/// Excel's serial day of 30/12/1899 (day 0).
fn serial(d: NaiveDate) -> f64 {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).expect("a date");
    (d - epoch).num_days() as f64
}

/// A time of day as Excel's fraction of a day.
fn day_fraction(t: NaiveTime) -> f64 {
    f64::from(t.num_seconds_from_midnight()) / 86_400.0
}

/// Hours for display: whole seconds / 3600 in `f64` (the nearest `f64` to
/// the exact figure), else through the exact decimal.
fn shown_hours(h: Hours) -> f64 {
    let s = h.seconds();
    match i64::try_from(s) {
        Ok(whole) if s.fract().is_zero() && whole.unsigned_abs() < 1 << 52 => whole as f64 / 3600.0,
        _ => rust_decimal::prelude::ToPrimitive::to_f64(&h.as_hours()).unwrap_or(0.0),
    }
}

/// Write the Visits sheet of `visits` (`fill.visits[i]` is what became of
/// `visits[i]`; `fill.weeks[i]` is `people[i]`'s) into `ws`, a
/// constant-memory worksheet: rows in order, one row in memory.
/// `week_cell` names the Hours cell of a row's week (the template's
/// layout, which the template writer owns).
///
/// # Errors
/// rust_xlsxwriter's own limits.
pub fn sheet(
    mut ws: Worksheet,
    people: &[PlannedPerson],
    visits: &[Visit],
    fill: &Fill,
    f: &Formats,
    week_cell: impl Fn(usize, u32) -> String,
) -> Result<Worksheet, XlsxError> {
    ws.set_name(SHEET)?;
    let header = f.header.clone().set_text_wrap();
    let time = Format::new().set_num_format("hh:mm");
    for (c, (name, width, shown)) in HEADER.iter().enumerate() {
        let c = c as u16;
        ws.set_column_width(c, *width)?;
        match shown {
            Shown::Plain => {}
            Shown::Text => {
                ws.set_column_format(c, &f.text)?;
            }
            Shown::Date => {
                ws.set_column_format(c, &f.date)?;
            }
            Shown::Time => {
                ws.set_column_format(c, &time)?;
            }
            Shown::Hours => {
                ws.set_column_format(c, &f.hours)?;
            }
        }
        ws.write_string_with_format(0, c, *name, &header)?;
    }
    // Room for the longest heading's two lines.
    let lines = HEADER
        .iter()
        .map(|(name, width, _)| wrapped_lines(name, *width, false))
        .max()
        .unwrap_or(1);
    fit_row(&mut ws, 0, lines)?;
    // Each Hours cell's name made once, not once a visit.
    let weeks = fill.weeks.first().map_or(0, Vec::len);
    let mut cells: Vec<Option<String>> = vec![None; fill.weeks.len() * weeks];
    let mut why = String::new();
    for (i, (visit, v)) in visits.iter().zip(&fill.visits).enumerate() {
        let row = i as u32 + 1;
        ws.write_string(row, 0, &visit.source)?;
        ws.write_string(row, 1, &visit.client)?;
        if let Some(p) = v.person {
            ws.write_string(row, 2, &people[p as usize].person_id)?;
        }
        ws.write_number(row, 3, serial(visit.date))?;
        if let Some(t) = visit.start {
            ws.write_number(row, 4, day_fraction(t))?;
        }
        if let Some(t) = visit.end {
            ws.write_number(row, 5, day_fraction(t))?;
        }
        if let Some(d) = visit.duration {
            ws.write_number(row, 6, shown_hours(d))?;
        }
        ws.write_number(row, 7, f64::from(visit.carers))?;
        if let Some(c) = &visit.carer {
            ws.write_string(row, 8, c)?;
        }
        ws.write_string(row, 9, visit.status.as_str())?;
        if visit.manually_amended {
            ws.write_string(row, 10, "yes")?;
        }
        if let Some(k) = v.week {
            ws.write_number(row, 11, f64::from(k))?;
        }
        ws.write_number(row, 12, shown_hours(v.hours))?;
        match (v.not_counted.as_deref(), v.row, v.week) {
            (Some(reason), _, _) => {
                why.clear();
                why.push_str("not counted: ");
                why.push_str(reason);
                ws.write_string(row, 13, &why)?;
            }
            (None, Some(r), Some(k)) => {
                let at = r as usize * weeks + k as usize - 1;
                match cells.get_mut(at) {
                    Some(cell) => {
                        let cell = cell.get_or_insert_with(|| week_cell(r as usize, k));
                        ws.write_string(row, 13, cell.as_str())?;
                    }
                    None => {
                        ws.write_string(row, 13, week_cell(r as usize, k))?;
                    }
                }
            }
            _ => {}
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, fill.visits.len() as u32, HEADER.len() as u16 - 1)?;
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    Ok(ws)
}
