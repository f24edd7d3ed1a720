//! A filled return's Visits sheet (written by `yourchoice fill`) read back:
//! the visits behind one person's weeks, for `explain`.

use calamine::Data;

use crate::base::units::Hours;
use crate::model::settings::person_key;
use crate::model::visits::RecordedVisit;
use crate::model::visits::sheet::*;
use crate::read::cell;
use crate::read::grid::Value;

/// The visits the return's Visits sheet records for `person_id` (compared
/// as [`person_key`]), in the sheet's order; empty when the return has no
/// Visits sheet or it cannot be read.
pub fn recorded_visits(bytes: &[u8], person_id: &str) -> Vec<RecordedVisit> {
    let Ok(grids) = crate::read::workbook::read_sheets(bytes, &[SHEET]) else {
        return Vec::new();
    };
    let sheet = &grids[0];
    let text = |r: u32, c: Option<u32>| match c.map(|c| sheet.get(r, c)) {
        Some(Value::Data(d)) => cell::text(d).unwrap_or_default(),
        _ => String::new(),
    };
    let header: Vec<String> = match sheet.rows().next() {
        Some((0, cells)) => cells.iter().map(|(c, _)| text(0, Some(*c))).collect(),
        _ => return Vec::new(),
    };
    let col = |name: &str| header.iter().position(|h| h == name).map(|c| c as u32);
    let (Some(person), Some(source)) = (col(PERSON_ID), col(SOURCE)) else {
        return Vec::new();
    };
    let (date, start, carers, status, week, hours, why) = (
        col(DATE),
        col(START),
        col(CARERS),
        col(STATUS),
        col(WEEK),
        col(HOURS),
        col(CELL_OR_WHY),
    );
    let wanted = person_key(person_id);
    let number = |r: u32, c: Option<u32>| match c.map(|c| sheet.get(r, c)) {
        Some(Value::Data(Data::Float(f))) => crate::base::units::decimal_from_f64(*f),
        Some(Value::Data(Data::Int(i))) => Some(rust_decimal::Decimal::from(*i)),
        _ => None,
    };
    sheet
        .rows()
        .skip(1)
        .filter(|(r, _)| person_key(&text(*r, Some(person))) == wanted)
        .map(|(r, _)| RecordedVisit {
            source: text(r, Some(source)),
            date: date.and_then(|c| match sheet.get(r, c) {
                Value::Data(d) => match cell::date_of(sheet)(d) {
                    cell::Cell::Value(v) => Some(v),
                    _ => None,
                },
                Value::Uncalculated => None,
            }),
            start: start.and_then(|c| match sheet.get(r, c) {
                Value::Data(Data::DateTime(t)) => {
                    let (_, _, _, h, m, _, _) = t.to_ymd_hms_milli();
                    Some(format!("{h:02}:{m:02}"))
                }
                _ => Some(text(r, Some(c))).filter(|s| !s.is_empty()),
            }),
            carers: Some(text(r, carers)).filter(|s| !s.is_empty()),
            status: text(r, status),
            week: number(r, week).and_then(|w| u32::try_from(w.trunc().mantissa()).ok()),
            hours: number(r, hours).and_then(Hours::from_hours),
            cell_or_why: text(r, why),
        })
        .collect()
}
