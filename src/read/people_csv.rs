//! `--people people.csv` for `yourchoice template`: the people a provider's
//! return should list. Header `Person ID,Name,Weekly bundle`, optionally
//! `Assessed weekly charge`, `Care start`, `Care end` (any order, matched
//! ignoring case and spaces). A bad file is a settings error naming the file
//! and line (exit 2). Values are checked by the same limits as the
//! workbook's cells, so the template never lists a bundle `check` rejects.

use std::path::Path;

use super::council::{decode_text, record_line};
use super::normalise_label;
use super::settings_error::SettingsError;
use crate::base::limits::{self, HOURS_IN_A_WEEK};
use crate::base::text::DATE_FORMS;
use crate::base::units::{Hours, parse_money};
use crate::model::{Column, PlannedPerson};
use crate::read::text_date;

/// Read the people CSV.
///
/// # Errors
/// The file cannot be read, a required column is missing, or a value on some
/// line is not what its column wants (the message names file and line).
pub fn read_people_csv(path: &Path) -> Result<Vec<PlannedPerson>, SettingsError> {
    let file = path.display().to_string();
    let at = |line: u64, message: String| SettingsError::Line {
        file: file.clone(),
        line,
        message,
    };
    let bytes = std::fs::read(path).map_err(|e| SettingsError::Unreadable {
        file: file.clone(),
        why: e.to_string(),
    })?;
    let bytes = decode_text(bytes).into_bytes();
    let line_at = |p: Option<&csv::Position>| record_line(&bytes, p);
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(bytes.as_slice());
    let cols = PeopleColumns::find(&mut reader, &at)?;

    let mut people = Vec::new();
    // The first line of each Person ID, and whether it had care dates.
    let mut lines: std::collections::HashMap<String, (u64, bool)> = std::collections::HashMap::new();
    for record in reader.records() {
        let record = record.map_err(|e| at(line_at(e.position()), format!("cannot read the line ({e})")))?;
        let line = line_at(record.position());
        if record.iter().all(str::is_empty) {
            continue;
        }
        let person = cols.person(&record, line, &at)?;
        let id = person.person_id.as_str();
        let dated = person.care_start.is_some() || person.care_end.is_some();
        if let Some((first, first_dated)) = lines.get(id)
            && !(dated && *first_dated)
        {
            return Err(at(
                line,
                format!(
                    "{id} is on line {first} too. A person is listed twice only when the bundle \
                     changed: give both lines care start and care end dates, or remove one"
                ),
            ));
        }
        lines.entry(id.to_string()).or_insert((line, dated));
        people.push(person);
    }
    Ok(people)
}

/// Where the people CSV's header puts each column it has.
struct PeopleColumns {
    id: usize,
    bundle: usize,
    name: Option<usize>,
    charge: Option<usize>,
    start: Option<usize>,
    end: Option<usize>,
}

impl PeopleColumns {
    /// The columns the header line names; Person ID and Weekly bundle must
    /// be among them.
    fn find(
        reader: &mut csv::Reader<&[u8]>,
        at: &impl Fn(u64, String) -> SettingsError,
    ) -> Result<PeopleColumns, SettingsError> {
        let headers: Vec<String> = reader
            .headers()
            .map_err(|e| at(1, format!("cannot read the header line ({e})")))?
            .iter()
            .map(normalise_label)
            .collect();
        let col = |c: Column| headers.iter().position(|h| *h == normalise_label(c.text()));
        let (Some(id), Some(bundle)) = (col(Column::PersonId), col(Column::Bundle)) else {
            return Err(at(
                1,
                format!(
                    "the header must have \"{}\" and \"{}\" (and may have {})",
                    Column::PersonId.text(),
                    Column::Bundle.text(),
                    [Column::Name, Column::Charge, Column::CareStart, Column::CareEnd]
                        .map(Column::text)
                        .join(", ")
                ),
            ));
        };
        Ok(PeopleColumns {
            id,
            bundle,
            name: col(Column::Name),
            charge: col(Column::Charge),
            start: col(Column::CareStart),
            end: col(Column::CareEnd),
        })
    }

    /// The person on one non-blank line (`line`), each value checked.
    fn person(
        &self,
        record: &csv::StringRecord,
        line: u64,
        at: &impl Fn(u64, String) -> SettingsError,
    ) -> Result<PlannedPerson, SettingsError> {
        let get = |c: Option<usize>| c.and_then(|c| record.get(c)).filter(|s| !s.is_empty());
        let Some(id) = get(Some(self.id)) else {
            return Err(at(line, "the Person ID is blank".into()));
        };
        let bundle = get(Some(self.bundle))
            .and_then(Hours::parse)
            .and_then(|h| limits::bundle(h).ok())
            .ok_or_else(|| {
                at(
                    line,
                    format!(
                        "the weekly bundle must be a number of hours more than 0 and at most \
                         {HOURS_IN_A_WEEK} (10, 7.5 or 7:30)"
                    ),
                )
            })?;
        let charge = match get(self.charge) {
            Some(text) => Some(
                parse_money(text)
                    .and_then(|d| limits::charge(d).ok())
                    .ok_or_else(|| {
                        at(
                            line,
                            format!(
                                "the assessed weekly charge \"{text}\" is not an amount in £ \
                                 (0 or more, e.g. 35.50)"
                            ),
                        )
                    })?,
            ),
            None => None,
        };
        let date = |c: Option<usize>, what: &str| match get(c) {
            Some(text) => text_date(text).map(Some).ok_or_else(|| {
                at(
                    line,
                    format!("the {what} \"{text}\" is not a date ({DATE_FORMS})"),
                )
            }),
            None => Ok(None),
        };
        let care_start = date(self.start, "care start")?;
        let care_end = date(self.end, "care end")?;
        Ok(PlannedPerson {
            person_id: id.to_string(),
            name: get(self.name).map(str::to_string),
            bundle,
            charge,
            care_start,
            care_end,
        })
    }
}
