//! `--people people.csv` for `yourchoice template`: the people a provider's
//! return should list. Header `Person ID,Name,Weekly bundle`, optionally
//! `Assessed weekly charge`, `Care start`, `Care end` (any order, matched
//! ignoring case and spaces). A bad file is a settings error naming the file
//! and line (exit 2). Values are checked by the same limits as the
//! workbook's cells, so the template never lists a bundle `check` rejects.

use std::collections::HashMap;
use std::path::Path;

use super::cell::quoted;
use super::council::csv_file::{Csv, figure_hint, line_error, plain_key};
use super::council::{read_bytes, text_of};
use super::settings_error::{Problems, SettingsError};
use crate::base::limits::{self, HOURS_IN_A_WEEK, MAX_COUNCIL_FILE_BYTES};
use crate::base::text::DATE_FORMS;
use crate::base::units::{Hours, money_text};
use crate::model::settings::person_key;
use crate::model::{Column, PlannedPerson};
use crate::read::text_date;

/// Read the people CSV.
///
/// # Errors
/// The file cannot be read, a required column is missing, or values on
/// some lines are not what their columns want (every such line is named).
pub fn read_people_csv(path: &Path) -> Result<Vec<PlannedPerson>, SettingsError> {
    let file = path.display().to_string();
    let text = text_of(read_bytes(path, MAX_COUNCIL_FILE_BYTES)?, &file)?;
    let mut csv = Csv::open_with(
        &text,
        &file,
        &REQUIRED.map(Column::text),
        &OPTIONAL.map(Column::text),
    )
    .map_err(|_| SettingsError::Line {
        file: file.clone(),
        line: 1,
        message: format!(
            "the header must have \"{}\" and \"{}\" (and may have {})",
            Column::PersonId.text(),
            Column::Bundle.text(),
            OPTIONAL.map(Column::text).join(", ")
        ),
    })?;
    let mut problems = Problems::new(&file);
    let mut people = Vec::new();
    // The first line of each Person ID (by the key plans are matched on),
    // and whether it had care dates.
    let mut lines: HashMap<String, (u64, bool)> = HashMap::new();
    while let Some(line) = csv.next() {
        let (line, person) = match line.and_then(|(line, f)| person(&file, line, &f).map(|p| (line, p))) {
            Ok(p) => p,
            Err(e) => {
                problems.add_error(e);
                continue;
            }
        };
        let key = person_key(&person.person_id);
        let dated = person.care_start.is_some() || person.care_end.is_some();
        if let Some((first, first_dated)) = lines.get(&key)
            && !(dated && *first_dated)
        {
            problems.add(
                line,
                format!(
                    "{} is on line {first} too. A person is listed twice only when the bundle \
                     changed: give both lines care start and care end dates, or remove one",
                    person.person_id
                ),
            );
            continue;
        }
        lines.entry(key).or_insert((line, dated));
        people.push(person);
    }
    problems.finish()?;
    Ok(people)
}

/// The columns the people CSV must have, then those it may have, in the
/// order [`person`] takes its fields.
const REQUIRED: [Column; 2] = [Column::PersonId, Column::Bundle];
const OPTIONAL: [Column; 4] = [Column::Name, Column::Charge, Column::CareStart, Column::CareEnd];

/// A field's text, or `None` when it is blank.
fn given(s: &str) -> Option<&str> {
    Some(s).filter(|s| !s.is_empty())
}

/// The person on one non-blank line, each value checked; `f` holds the
/// fields of [`REQUIRED`] then [`OPTIONAL`].
fn person(file: &str, line: u64, f: &[String]) -> Result<PlannedPerson, SettingsError> {
    let at = |message: String| line_error(file, line, message);
    let [id, bundle, name, charge, start, end] = f else {
        return Err(at("the line does not have the columns of the header".into()));
    };
    if id.is_empty() {
        return Err(at("the Person ID is blank".into()));
    }
    plain_key("Person ID", id).map_err(at)?;
    let bundle = Hours::parse(bundle)
        .filter(|h| h.seconds().fract().is_zero())
        .and_then(|h| limits::bundle(h).ok())
        .ok_or_else(|| {
            at(format!(
                "the weekly bundle must be a number of hours more than 0 and at most \
                 {HOURS_IN_A_WEEK}, to the second at the finest (10, 7.5 or 7:30){}",
                figure_hint(bundle)
            ))
        })?;
    let charge = match given(charge) {
        Some(text) => Some(
            money_text(text)
                .map_err(|why| why.why())
                .and_then(|d| limits::charge(d).map_err(|_| ""))
                .map_err(|why| {
                    at(format!(
                        "the assessed weekly charge {} is not an amount in £ (0 or more, e.g. 35.50){why}",
                        quoted(text)
                    ))
                })?,
        ),
        None => None,
    };
    let date = |text: &String, what: &str| match given(text) {
        Some(text) => text_date(text).map(Some).ok_or_else(|| {
            at(format!(
                "the {what} {} is not a date ({DATE_FORMS})",
                quoted(text)
            ))
        }),
        None => Ok(None),
    };
    Ok(PlannedPerson {
        notes: None,
        person_id: id.clone(),
        name: given(name).map(str::to_string),
        bundle,
        charge,
        care_start: date(start, "care start")?,
        care_end: date(end, "care end")?,
    })
}
