//! Reading a filled spot-check workbook back (`spot-check --compare`): it
//! must be one this tool wrote (its hidden sheet says so) for the very
//! submission given (the same SHA-256); then each block's answers.

use std::io::Cursor;

use calamine::{Data, Reader, open_workbook_auto_from_rs};

use super::cell::{self, Cell};
use super::package::{self, Kind};
use super::settings_error::SettingsError;
use crate::engine::spot::Reported;
use crate::model::spot_check::{INPUT_COL, META, SCHEMA, SHEET};

/// Read the answers of a filled spot check for the submission whose
/// SHA-256 is `sha256`.
///
/// # Errors
/// Not a spot check this tool wrote, one for another submission, or a
/// figure that is not hours (named by cell).
pub fn read_spot_check(file: &str, bytes: &[u8], sha256: &str) -> Result<Vec<Reported>, SettingsError> {
    let refuse = |why: String| SettingsError::Unreadable {
        file: file.to_string(),
        why,
    };
    if package::kind(bytes) != Kind::Zip {
        return Err(refuse("it is not a spot-check workbook (.xlsx)".into()));
    }
    package::check_zip(bytes).map_err(|e| match e {
        package::Refusal::Corrupt(why) | package::Refusal::Limit(why) => refuse(why),
    })?;
    let mut wb = open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| refuse(e.to_string()))?;
    let meta = wb.worksheet_range(META).map_err(|_| {
        refuse("it is not a spot-check workbook written by yourchoice (no record of how it was made)".into())
    })?;
    let get = |key: &str| -> Option<String> {
        meta.rows()
            .find(|r| r.first().is_some_and(|c| *c == key))
            .and_then(|r| r.get(1).map(|c| c.to_string()))
    };
    if get("schema").as_deref() != Some(SCHEMA) {
        return Err(refuse(
            "it is not a spot-check workbook written by yourchoice".into(),
        ));
    }
    if get("sha256").as_deref() != Some(sha256) {
        return Err(refuse(format!(
            "it was made from another submission ({}, SHA-256 {}), not this one: compare it with \
             the submission it was made from",
            get("source").unwrap_or_default(),
            get("sha256").unwrap_or_default()
        )));
    }
    let weeks: u32 = get("weeks").and_then(|w| w.parse().ok()).unwrap_or(0);
    let sheet = wb
        .worksheet_range(SHEET)
        .map_err(|_| refuse(format!("it has no \"{SHEET}\" sheet")))?;
    let at = |row: u32, col: u16| sheet.get_value((row, u32::from(col))).unwrap_or(&Data::Empty);
    let mut out = Vec::new();
    for r in meta.rows() {
        let key = r.first().map(|c| c.to_string()).unwrap_or_default();
        let Some(person_id) = key.strip_prefix("person ") else {
            continue;
        };
        let rows: Vec<u32> = r
            .get(1)
            .map(|c| c.to_string())
            .unwrap_or_default()
            .split_whitespace()
            .filter_map(|n| n.parse().ok())
            .collect();
        let [first_week, total, spoken] = rows[..] else {
            return Err(refuse(format!("its record of {person_id}'s block is damaged")));
        };
        let hours = |row: u32| -> Result<Option<crate::units::Hours>, SettingsError> {
            match cell::hours(at(row, INPUT_COL)) {
                Cell::Blank => Ok(None),
                Cell::Value(h) if !h.is_negative() => Ok(Some(h)),
                _ => Err(SettingsError::Line {
                    file: file.to_string(),
                    line: u64::from(row) + 1,
                    message: format!(
                        "{SHEET}!D{}: {} is not a number of hours",
                        row + 1,
                        cell::describe(at(row, INPUT_COL))
                    ),
                }),
            }
        };
        let text = |row: u32| cell::text(at(row, INPUT_COL));
        let mut by_week = Vec::with_capacity(weeks as usize);
        for k in 0..weeks {
            by_week.push(hours(first_week + k)?);
        }
        out.push(Reported {
            person_id: person_id.to_string(),
            weeks: by_week,
            total: hours(total)?,
            spoken_to: text(spoken),
            when: text(spoken + 1),
            notes: text(spoken + 2),
        });
    }
    Ok(out)
}
