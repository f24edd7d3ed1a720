//! Reading a filled spot-check workbook back (`spot-check --compare`), as
//! strictly as a provider's return: its hidden sheet's record of how it was
//! made (read here, checked against the return by `engine::spot`), that
//! record's blocks found where the visible sheet has them, then each
//! block's answers. Nothing is guessed: a damaged record, a block that is
//! not where the record says, or an answer that is a formula never
//! calculated is refused, naming the cell.

use calamine::Data;

use super::cell::{self, Cell};
use super::grid::{Grid, Value};
use super::package::{self, Kind};
use super::settings_error::SettingsError;
use super::workbook;
use crate::base::units::Hours;
use crate::model::spot_check::{INPUT_COL, META, SCHEMA, SHEET};
use crate::model::{AtRow, Record, Reported};

/// A spot-check workbook, read: its record, and the sheet the answers are
/// on (read by [`SpotWorkbook::answers`] once the record is checked).
#[derive(Debug)]
pub struct SpotWorkbook {
    pub record: Record,
    file: String,
    sheet: Grid,
    /// Each kept person's block: the 0-based rows of the first week's
    /// answer, the period total and "Spoken to" (then When, then Notes).
    blocks: Vec<[u32; 3]>,
}

/// Read a spot-check workbook's record of how it was made, keeping at most
/// `keep` of the people it lists (the people of the return it is compared
/// with: a record cannot list more, and one that does is refused by the
/// engine without reading the rest).
///
/// # Errors
/// Not a spot check this tool wrote, a record that is damaged (named by
/// its cell), or a block not where the record says (named by its cell).
pub fn read_spot_check(file: &str, bytes: &[u8], keep: usize) -> Result<SpotWorkbook, SettingsError> {
    if package::kind(bytes) != Kind::Zip {
        return Err(refuse(file, "it is not a spot-check workbook (.xlsx)".into()));
    }
    let mut grids = workbook::read_sheets(bytes, &[META, SHEET]).map_err(|e| match e {
        package::Refusal::Corrupt(why) if why.contains("not found") => not_ours(file),
        package::Refusal::Corrupt(why) | package::Refusal::Limit(why) => refuse(file, why),
    })?;
    let sheet = grids.pop().unwrap_or_default();
    let meta = grids.pop().unwrap_or_default();
    let (record, blocks) = read_record(file, &meta, keep)?;
    let mut spot = SpotWorkbook {
        record,
        file: file.to_string(),
        sheet,
        blocks: Vec::new(),
    };
    for (person, rows) in spot.record.people.iter().zip(&blocks) {
        spot.blocks.push(find_block(
            file,
            &spot.sheet,
            person,
            rows,
            spot.record.weeks.value,
        )?);
    }
    Ok(spot)
}

impl SpotWorkbook {
    /// The answers of each block, in the record's order. Call it once the
    /// engine has checked the record against the return.
    ///
    /// # Errors
    /// An answer that is not hours, or a formula never calculated, named
    /// by its cell.
    pub fn answers(&self) -> Result<Vec<Reported>, SettingsError> {
        self.record
            .people
            .iter()
            .zip(&self.blocks)
            .map(|(person, rows)| self.block(&person.value, *rows))
            .collect()
    }

    /// One person's answers.
    fn block(
        &self,
        person_id: &str,
        [first_week, total, spoken]: [u32; 3],
    ) -> Result<Reported, SettingsError> {
        let weeks = self.record.weeks.value;
        let mut by_week = Vec::with_capacity(weeks as usize);
        for k in 0..weeks {
            by_week.push(self.hours(first_week + k)?);
        }
        Ok(Reported {
            person_id: person_id.to_string(),
            weeks: by_week,
            total: self.hours(total)?,
            spoken_to: self.text(spoken)?,
            when: self.text(spoken + 1)?,
            notes: self.text(spoken + 2)?,
        })
    }

    /// The answer cell of a 0-based row: its value, or an error at the cell
    /// for a formula whose result was never saved (what the officer saw is
    /// not in the file, and reading it as blank would say "not asked").
    fn answer(&self, row: u32) -> Result<&Data, SettingsError> {
        match self.sheet.get(row, u32::from(INPUT_COL)) {
            Value::Data(d) => Ok(d),
            Value::Uncalculated => Err(self.at(
                row,
                "holds a formula whose result was never calculated: open and save it in a \
                 spreadsheet first"
                    .into(),
            )),
        }
    }

    fn hours(&self, row: u32) -> Result<Option<Hours>, SettingsError> {
        let d = self.answer(row)?;
        match cell::hours(d) {
            Cell::Blank => Ok(None),
            Cell::Value(h) if !h.is_negative() => Ok(Some(h)),
            _ => Err(self.at(
                row,
                format!(
                    "holds {}, which is not a number of hours (0 or more)",
                    cell::describe(d)
                ),
            )),
        }
    }

    fn text(&self, row: u32) -> Result<Option<String>, SettingsError> {
        Ok(cell::text(self.answer(row)?))
    }

    /// An error at the answer cell of a 0-based row: `Spot check!D7 ...`.
    fn at(&self, row: u32, what: String) -> SettingsError {
        SettingsError::Line {
            file: self.file.clone(),
            line: u64::from(row) + 1,
            message: format!("{SHEET}!{}{} {what}", column_letter(INPUT_COL), row + 1),
        }
    }
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

/// The hidden record is damaged at `cell` (`B4`), as `what` says.
fn damaged(file: &str, cell: &str, what: &str) -> SettingsError {
    refuse(
        file,
        format!(
            "its hidden record of how it was made (sheet \"{META}\", cell {cell}) {what}: it was \
             changed after yourchoice wrote it. Make the spot-check workbook again with \
             `yourchoice spot-check RETURN -o FILE` and copy the answers across"
        ),
    )
}

/// The text of a hidden-sheet cell (0-based); a formula there is damage.
fn meta_text(file: &str, meta: &Grid, row: u32, col: u32) -> Result<Option<String>, SettingsError> {
    match meta.get(row, col) {
        Value::Data(d) => Ok(cell::text(d)),
        Value::Uncalculated => Err(damaged(
            file,
            &format!("{}{}", column_letter(col as u16), row + 1),
            "holds a formula",
        )),
    }
}

/// The hidden sheet, read in one pass: each row a key in column A and its
/// value in column B. At most `keep` people are kept, with the rows their
/// blocks are recorded at (not yet checked against the visible sheet).
fn read_record(file: &str, meta: &Grid, keep: usize) -> Result<(Record, Vec<[u32; 3]>), SettingsError> {
    // Row 1 says this tool wrote it, before anything else is read: another
    // workbook with a sheet of this name is not "damaged", it is not ours.
    let ours = meta_text(file, meta, 0, 0)?.as_deref() == Some("schema")
        && meta_text(file, meta, 0, 1)?.as_deref() == Some(SCHEMA);
    if !ours {
        return Err(not_ours(file));
    }
    let mut scalars: [Option<AtRow<String>>; 5] = Default::default();
    const KEYS: [&str; 5] = ["source", "sha256", "seed", "weeks", "sample"];
    let mut people: Vec<AtRow<String>> = Vec::new();
    let mut blocks: Vec<[u32; 3]> = Vec::new();
    let mut more_from_row = None;
    for (r, _) in meta.rows().skip_while(|(r, _)| *r == 0) {
        let row = r + 1;
        let key = meta_text(file, meta, r, 0)?.unwrap_or_default();
        let value = meta_text(file, meta, r, 1)?.unwrap_or_default();
        if let Some(i) = KEYS.iter().position(|k| *k == key) {
            if scalars[i].is_some() {
                return Err(damaged(
                    file,
                    &format!("A{row}"),
                    &format!("gives the {key} twice"),
                ));
            }
            scalars[i] = Some(AtRow { value, row });
        } else if let Some(id) = key.strip_prefix("person ") {
            if people.len() == keep {
                // Past the most the return can have: the engine refuses it;
                // the rest is not read.
                more_from_row.get_or_insert(row);
                continue;
            }
            let id = id.trim();
            if id.is_empty() {
                return Err(damaged(
                    file,
                    &format!("A{row}"),
                    "lists a person with no Person ID",
                ));
            }
            let rows: Vec<u32> = value
                .split_whitespace()
                .map(str::parse)
                .collect::<Result<_, _>>()
                .unwrap_or_default();
            let Ok(rows) = <[u32; 3]>::try_from(rows) else {
                return Err(damaged(
                    file,
                    &format!("B{row}"),
                    &format!("does not say where {id}'s block is"),
                ));
            };
            people.push(AtRow {
                value: id.to_string(),
                row,
            });
            blocks.push(rows);
        } else {
            return Err(damaged(
                file,
                &format!("A{row}"),
                &format!("holds {}, which the record does not have", quote(&key)),
            ));
        }
    }
    let [source, sha256, seed, weeks, sample] = scalars;
    let Some(sha256) = sha256 else {
        return Err(damaged(file, "A3", "does not give the return's SHA-256"));
    };
    let Some(weeks) = weeks else {
        return Err(damaged(file, "A5", "does not give the period's weeks"));
    };
    let number = |v: &AtRow<String>, what: &str| {
        v.value.parse::<u64>().map_err(|_| {
            damaged(
                file,
                &format!("B{}", v.row),
                &format!("gives {} as the {what}", quote(&v.value)),
            )
        })
    };
    let weeks_value = number(&weeks, "period's weeks")?;
    let weeks_value = u32::try_from(weeks_value).map_err(|_| {
        damaged(
            file,
            &format!("B{}", weeks.row),
            &format!("gives {weeks_value} as the period's weeks"),
        )
    })?;
    let seed = seed.map(|s| number(&s, "seed")).transpose()?;
    let sample = match sample {
        Some(s) => Some(AtRow {
            value: usize::try_from(number(&s, "sample's size")?).unwrap_or(usize::MAX),
            row: s.row,
        }),
        None => None,
    };
    let record = Record {
        source: source.map(|s| s.value).unwrap_or_default(),
        sha256: sha256.value,
        seed,
        sample,
        weeks: AtRow {
            value: weeks_value,
            row: weeks.row,
        },
        people,
        more_from_row,
    };
    Ok((record, blocks))
}

/// A person's block where the record says it is, laid out as the tool
/// writes it: the Person ID in column A two rows above the first week's
/// answer, `weeks` week rows, then "Period total", then "Spoken to", When
/// and Notes. Anything else means rows were added, removed or moved, and
/// the answers read would be another's.
fn find_block(
    file: &str,
    sheet: &Grid,
    person: &AtRow<String>,
    &[first_week, total, spoken]: &[u32; 3],
    weeks: u32,
) -> Result<[u32; 3], SettingsError> {
    let id = &person.value;
    let laid_out = first_week >= 2
        && first_week.checked_add(weeks) == Some(total)
        && total.checked_add(1) == Some(spoken)
        && spoken.checked_add(2).is_some_and(|notes| notes < MAX_ROW);
    if !laid_out {
        return Err(damaged(
            file,
            &format!("B{}", person.row),
            &format!("does not say where {id}'s block is"),
        ));
    }
    let label = |row: u32| match sheet.get(row, 0) {
        Value::Data(d) => cell::text(d),
        Value::Uncalculated => None,
    };
    for (row, want) in [
        (first_week - 2, id.as_str()),
        (total, "Period total"),
        (spoken, "Spoken to"),
    ] {
        let found = label(row);
        if found.as_deref() != Some(want) {
            let found = found.map_or_else(|| "nothing".to_string(), |t| quote(&t));
            return Err(refuse(
                file,
                format!(
                    "{SHEET}!A{} should hold {} for {id}'s block, as the workbook's hidden record \
                     says, but holds {found}: rows were added, removed or changed outside the \
                     answers in column D. Make the spot-check workbook again with `yourchoice \
                     spot-check RETURN -o FILE` and copy the answers across",
                    row + 1,
                    quote(want)
                ),
            ));
        }
    }
    Ok([first_week, total, spoken])
}

/// A cell's text quoted for a message, printable and cut short.
fn quote(text: &str) -> String {
    cell::quoted(&crate::base::text::printable(text))
}

/// The letter of a 0-based column up to Z (the hidden sheet uses A and B,
/// the answers D).
fn column_letter(col: u16) -> char {
    char::from(b'A' + u8::try_from(col.min(25)).unwrap_or(25))
}

/// Rows of a sheet (Excel's limit).
const MAX_ROW: u32 = 1 << 20;
