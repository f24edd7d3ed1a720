//! A mapping file: how to read a visit export that is not Abacus's, in
//! TOML, unknown keys refused and every problem named by its line:
//!
//! ```toml
//! description = "Rostering system's visit export"
//! sheet = "Visits"          # a workbook's sheet (else the first)
//! header_row = 1            # the header's row or line (else 1)
//! duration_unit = "minutes" # a bare number in the duration column
//!
//! [columns]
//! client = "Client ID"
//! date = "Visit Date"
//! duration = "Duration"     # or start and end
//! status = "Status"
//!
//! [status]
//! "Done" = "completed"
//! "No access" = "frustrated"
//! ```

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::fields::fold;
use crate::base::limits::MAX_SETTINGS_BYTES;
use crate::model::visits::{DurationUnit, VisitColumns, VisitMapping, VisitStatus};
use crate::read::council::{read_bytes, text_of};
use crate::read::file::LineIndex;
use crate::read::settings_error::{Problems, SettingsError};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMapping {
    description: Option<String>,
    sheet: Option<Spanned<String>>,
    header_row: Option<Spanned<i64>>,
    duration_unit: Option<Spanned<String>>,
    /// `"visits"` (the default) or `"weekly"`.
    rows: Option<Spanned<String>>,
    columns: Spanned<RawColumns>,
    #[serde(default)]
    status: BTreeMap<Spanned<String>, Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawColumns {
    client: Spanned<String>,
    date: Spanned<String>,
    duration: Option<Spanned<String>>,
    start: Option<Spanned<String>>,
    end: Option<Spanned<String>>,
    status: Option<Spanned<String>>,
    carer: Option<Spanned<String>>,
    carers: Option<Spanned<String>>,
    amended: Option<Spanned<String>>,
}

/// Read the mapping file at `path`.
///
/// # Errors
/// The file cannot be read, is not TOML of the keys above, or a value is
/// wrong (a blank column name, a `header_row` that is not a row, an
/// unknown `duration_unit` or status, neither `duration` nor `start` and
/// `end`): every problem is named by its line.
///
/// # Examples
/// ```no_run
/// let mapping = yourchoice::read::visits::read_mapping(std::path::Path::new("mapping.toml"))?;
/// assert_eq!(mapping.header_row, 1);
/// # Ok::<(), yourchoice::read::SettingsError>(())
/// ```
pub fn read_mapping(path: &Path) -> Result<VisitMapping, SettingsError> {
    let file = path.display().to_string();
    let text = text_of(read_bytes(path, MAX_SETTINGS_BYTES)?, &file)?;
    parse_mapping(&text, &file)
}

/// [`read_mapping`] of a mapping's text; `file` names it in messages.
pub(super) fn parse_mapping(text: &str, file: &str) -> Result<VisitMapping, SettingsError> {
    let lines = LineIndex::new(text.as_bytes());
    let line = |span: Range<usize>| lines.line(span.start);
    let raw: RawMapping = toml::from_str(text).map_err(|e| SettingsError::Line {
        file: file.to_string(),
        line: line(e.span().unwrap_or(0..0)),
        message: e.message().trim().replace('\n', " "),
    })?;
    let mut problems = Problems::new(file);
    let header_row = match &raw.header_row {
        None => 1,
        Some(h) => match u32::try_from(*h.get_ref())
            .ok()
            .filter(|r| (1..=1 << 20).contains(r))
        {
            Some(r) => r,
            None => {
                problems.add(
                    line(h.span()),
                    format!(
                        "header_row {} is not a row: give the header's row number, 1 or more",
                        h.get_ref()
                    ),
                );
                1
            }
        },
    };
    let duration_unit = match raw.duration_unit.as_ref().map(|u| (fold(u.get_ref()), u)) {
        None => DurationUnit::Clock,
        Some((unit, _)) if unit == "minutes" => DurationUnit::Minutes,
        Some((unit, _)) if unit == "hours" => DurationUnit::Hours,
        Some((unit, _)) if unit == "clock" => DurationUnit::Clock,
        Some((_, u)) => {
            problems.add(
                line(u.span()),
                format!(
                    "duration_unit \"{}\" is not a unit: write \"minutes\" (45 is 45 minutes) or \"hours\" (0.75 is 45 minutes), or leave it out when durations are written h:mm",
                    u.get_ref()
                ),
            );
            DurationUnit::Clock
        }
    };
    let c = raw.columns.get_ref();
    let mut name = |key: &str, value: &Option<&Spanned<String>>| -> Option<String> {
        let v = (*value)?;
        let t = v.get_ref().trim();
        if t.is_empty() {
            problems.add(
                line(v.span()),
                format!("the {key} column's name is blank: give its header as the file has it"),
            );
        }
        Some(t.to_string())
    };
    let columns = VisitColumns {
        client: name("client", &Some(&c.client)).unwrap_or_default(),
        date: name("date", &Some(&c.date)).unwrap_or_default(),
        duration: name("duration", &c.duration.as_ref()),
        start: name("start", &c.start.as_ref()),
        end: name("end", &c.end.as_ref()),
        status: name("status", &c.status.as_ref()),
        carer: name("carer", &c.carer.as_ref()),
        carers: name("carers", &c.carers.as_ref()),
        amended: name("amended", &c.amended.as_ref()),
    };
    if columns.duration.is_none() && (columns.start.is_none() || columns.end.is_none()) {
        problems.add(
            line(raw.columns.span()),
            "[columns] names neither a duration column nor both start and end: name the column holding each visit's length (duration = \"...\"), or its start and end times".into(),
        );
    }
    let mut statuses = BTreeMap::new();
    let mut first: BTreeMap<String, u64> = BTreeMap::new();
    for (word, meaning) in &raw.status {
        let folded = fold(word.get_ref());
        let at = line(word.span());
        let status = match fold(meaning.get_ref()).as_str() {
            "completed" => VisitStatus::Completed,
            "cancelled" => VisitStatus::Cancelled,
            "missed" => VisitStatus::Missed,
            "frustrated" => VisitStatus::Frustrated,
            _ => {
                problems.add(
                    line(meaning.span()),
                    format!(
                        "the status \"{}\" is given as \"{}\": write completed, cancelled, missed or frustrated",
                        word.get_ref(),
                        meaning.get_ref()
                    ),
                );
                continue;
            }
        };
        if let Some(before) = first.get(&folded) {
            problems.add(
                at,
                format!(
                    "the status \"{}\" is on line {before} too, once case and spaces are ignored: keep one",
                    word.get_ref()
                ),
            );
            continue;
        }
        first.insert(folded.clone(), at);
        statuses.insert(folded, status);
    }
    let weekly = match raw.rows.as_ref().map(|r| (fold(r.get_ref()), r)) {
        None => false,
        Some((r, _)) if r == "visits" => false,
        Some((r, _)) if r == "weekly" => true,
        Some((_, r)) => {
            problems.add(
                line(r.span()),
                format!(
                    "rows \"{}\" is neither \"visits\" (a line a visit) nor \"weekly\" (a line a person's week)",
                    r.get_ref()
                ),
            );
            false
        }
    };
    problems.finish()?;
    Ok(VisitMapping {
        weekly,
        file: file.to_string(),
        description: raw
            .description
            .map(|d| d.trim().to_string())
            .filter(|d| !d.is_empty()),
        sheet: raw
            .sheet
            .map(|s| s.into_inner().trim().to_string())
            .filter(|s| !s.is_empty()),
        header_row,
        columns,
        duration_unit,
        statuses,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mapping_read_and_its_problems_named() {
        let m = parse_mapping(
            "header_row = 3\nduration_unit = \"Minutes\"\n[columns]\nclient = \"Client\"\ndate = \"Date\"\nduration = \"Mins\"\n[status]\n\"No Show\" = \"missed\"\n",
            "m.toml",
        )
        .unwrap();
        assert_eq!(m.header_row, 3);
        assert_eq!(m.duration_unit, DurationUnit::Minutes);
        assert_eq!(m.statuses.get("no show"), Some(&VisitStatus::Missed));

        let e =
            parse_mapping("[columns]\nclient = \"C\"\ndate = \"D\"\nfoo = \"x\"\n", "m.toml").unwrap_err();
        assert!(e.to_string().starts_with("m.toml:4: unknown field `foo`"), "{e}");

        let e = parse_mapping(
            "duration_unit = \"secs\"\n[columns]\nclient = \"C\"\ndate = \"D\"\nstart = \"S\"\n[status]\nDone = \"finished\"\n\"done \" = \"completed\"\n",
            "m.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("m.toml:1: duration_unit \"secs\""), "{e}");
        assert!(e.contains("m.toml:2: [columns] names neither"), "{e}");
        assert!(
            e.contains("m.toml:7: the status \"Done\" is given as \"finished\""),
            "{e}"
        );
    }
}
