//! Reading a filled spot-check workbook back (`spot-check --compare`): it
//! must be one this tool wrote (its hidden sheet says so) for the very
//! submission given (the same SHA-256); then each block's answers.

use calamine::Data;

use super::cell::{self, Cell};
use super::grid::{Grid, Value};
use super::package::{self, Kind};
use super::settings_error::SettingsError;
use super::workbook;
use crate::model::Reported;
use crate::model::spot_check::{INPUT_COL, META, SCHEMA, SHEET};

/// Read the answers of a filled spot check for the submission whose
/// SHA-256 is `sha256`.
///
/// # Errors
/// Not a spot check this tool wrote, one for another submission, or a
/// figure that is not hours (named by cell).
pub fn read_spot_check(
    file: &str,
    bytes: &[u8],
    sha256: &str,
    weeks: u32,
) -> Result<Vec<Reported>, SettingsError> {
    if package::kind(bytes) != Kind::Zip {
        return Err(refuse(file, "it is not a spot-check workbook (.xlsx)".into()));
    }
    let grids = workbook::read_sheets(bytes, &[META, SHEET]).map_err(|e| match e {
        package::Refusal::Corrupt(why) if why.contains("not found") => not_ours(file),
        package::Refusal::Corrupt(why) | package::Refusal::Limit(why) => refuse(file, why),
    })?;
    let (meta, sheet) = (&grids[0], &grids[1]);
    check_meta(file, meta, sha256, weeks)?;
    let mut out = Vec::new();
    for (r, _) in meta.rows() {
        let key = text_at(meta, r, 0).unwrap_or_default();
        let Some(person_id) = key.strip_prefix("person ") else {
            continue;
        };
        let rows = text_at(meta, r, 1).unwrap_or_default();
        out.push(read_block(file, sheet, person_id, &rows, weeks)?);
    }
    Ok(out)
}

/// The file cannot be read as a spot check, for the reason `why`.
fn refuse(file: &str, why: String) -> SettingsError {
    SettingsError::Unreadable {
        file: file.to_string(),
        why,
    }
}

/// The file is not a spot check this tool wrote.
fn not_ours(file: &str) -> SettingsError {
    refuse(
        file,
        "it is not a spot-check workbook written by yourchoice".into(),
    )
}

/// The text of a cell; `None` for a formula without its result.
fn text_at(g: &Grid, row: u32, col: u32) -> Option<String> {
    match g.get(row, col) {
        Value::Data(d) => cell::text(d),
        Value::Uncalculated => None,
    }
}

/// The hidden sheet's value for `key` (column B of the row whose column A
/// is `key`).
fn meta_value(meta: &Grid, key: &str) -> Option<String> {
    meta.rows()
        .find(|(r, _)| text_at(meta, *r, 0).as_deref() == Some(key))
        .and_then(|(r, _)| text_at(meta, r, 1))
}

/// The hidden sheet must say this tool wrote the file, for this very
/// submission and a period of `weeks` weeks.
fn check_meta(file: &str, meta: &Grid, sha256: &str, weeks: u32) -> Result<(), SettingsError> {
    let get = |key: &str| meta_value(meta, key);
    if get("schema").as_deref() != Some(SCHEMA) {
        return Err(not_ours(file));
    }
    if get("sha256").as_deref() != Some(sha256) {
        return Err(refuse(
            file,
            format!(
                "it was made from another submission ({}, SHA-256 {}), not this one: compare it with \
                 the submission it was made from",
                get("source").unwrap_or_default(),
                get("sha256").unwrap_or_default()
            ),
        ));
    }
    if get("weeks").and_then(|w| w.parse::<u32>().ok()) != Some(weeks) {
        return Err(refuse(
            file,
            format!("its record of the period's weeks is not {weeks}: it is damaged"),
        ));
    }
    Ok(())
}

/// One person's block of answers: `rows` is the hidden sheet's record of
/// where it is (the first week's row, the total's, and the "spoken to"
/// row's).
fn read_block(
    file: &str,
    sheet: &Grid,
    person_id: &str,
    rows: &str,
    weeks: u32,
) -> Result<Reported, SettingsError> {
    let empty = Data::Empty;
    let at = |row: u32| match sheet.get(row, u32::from(INPUT_COL)) {
        Value::Data(d) => d,
        Value::Uncalculated => &empty,
    };
    let rows: Vec<u32> = rows.split_whitespace().filter_map(|n| n.parse().ok()).collect();
    // The rows must be where a sheet has rows, with room for the block.
    let block = |start: u32, len: u32| start.checked_add(len).filter(|end| *end < MAX_ROW);
    let ([first_week, total, spoken], Some(_), Some(_)) = (
        rows[..].try_into().unwrap_or([u32::MAX; 3]),
        block(rows.first().copied().unwrap_or(u32::MAX), weeks),
        block(rows.get(2).copied().unwrap_or(u32::MAX), 3),
    ) else {
        return Err(refuse(
            file,
            format!("its record of {person_id}'s block is damaged"),
        ));
    };
    let hours = |row: u32| -> Result<Option<crate::base::units::Hours>, SettingsError> {
        match cell::hours(at(row)) {
            Cell::Blank => Ok(None),
            Cell::Value(h) if !h.is_negative() => Ok(Some(h)),
            _ => Err(SettingsError::Line {
                file: file.to_string(),
                line: u64::from(row) + 1,
                message: format!(
                    "{SHEET}!D{}: {} is not a number of hours",
                    row + 1,
                    cell::describe(at(row))
                ),
            }),
        }
    };
    let text = |row: u32| cell::text(at(row));
    let mut by_week = Vec::with_capacity(weeks as usize);
    for k in 0..weeks {
        by_week.push(hours(first_week + k)?);
    }
    Ok(Reported {
        person_id: person_id.to_string(),
        weeks: by_week,
        total: hours(total)?,
        spoken_to: text(spoken),
        when: text(spoken + 1),
        notes: text(spoken + 2),
    })
}

/// Rows of a sheet (Excel's limit).
const MAX_ROW: u32 = 1 << 20;
