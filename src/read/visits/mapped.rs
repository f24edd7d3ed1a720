//! Any other export, CSV or workbook, read through a mapping file
//! ([`VisitMapping`]) naming its columns: the client, the date, and the
//! duration or the start and end (an end before the start ran past
//! midnight); optionally the status (the file's words mapped by the
//! mapping's `[status]` table), the carer, the number of carers and
//! whether the times were amended by hand. Columns are matched ignoring
//! case and spaces, as every header the tool reads is.

use std::borrow::Cow;

use calamine::Data;
use chrono::NaiveTime;

use super::fields::{self, fold};
use super::{Sink, joined, keep};
use crate::base::units::Hours;
use crate::model::visits::{Visit, VisitMapping, VisitStatus};
use crate::read::cell::{self, Cell, describe};
use crate::read::council::csv_file::Csv;
use crate::read::grid::{Grid, Value};
use crate::read::package::Refusal;
use crate::read::settings_error::SettingsError;
use crate::read::{normalise_label, workbook};

/// What a mapped column holds, in the order [`Fields`] keeps them.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Client,
    Date,
    Duration,
    Start,
    End,
    Status,
    Carer,
    Carers,
    Amended,
}

const ROLES: [Role; 9] = [
    Role::Client,
    Role::Date,
    Role::Duration,
    Role::Start,
    Role::End,
    Role::Status,
    Role::Carer,
    Role::Carers,
    Role::Amended,
];

impl Role {
    fn key(self) -> &'static str {
        match self {
            Role::Client => "client",
            Role::Date => "date",
            Role::Duration => "duration",
            Role::Start => "start",
            Role::End => "end",
            Role::Status => "status",
            Role::Carer => "carer",
            Role::Carers => "carers",
            Role::Amended => "amended",
        }
    }

    /// The header the mapping names for this role.
    fn header(self, m: &VisitMapping) -> Option<&str> {
        let c = &m.columns;
        match self {
            Role::Client => Some(&c.client),
            Role::Date => Some(&c.date),
            Role::Duration => c.duration.as_deref(),
            Role::Start => c.start.as_deref(),
            Role::End => c.end.as_deref(),
            Role::Status => c.status.as_deref(),
            Role::Carer => c.carer.as_deref(),
            Role::Carers => c.carers.as_deref(),
            Role::Amended => c.amended.as_deref(),
        }
    }
}

/// One line's text for each role: `None` where the mapping names no
/// column for it, `""` where the line's cell is blank.
type Fields = [Option<String>; 9];

fn get(f: &Fields, role: Role) -> Option<&str> {
    f[role as usize].as_deref()
}

/// One line -> a visit, or every problem with it, joined. `issues`: the
/// problems already found in its cells.
/// `failed`: the roles whose cells are already reported (each is then
/// neither read nor reported again).
fn visit(
    m: &VisitMapping,
    f: &Fields,
    failed: &[Role],
    mut issues: Vec<String>,
    source: String,
) -> Result<Visit, String> {
    let name = |role: Role| role.header(m).unwrap_or(role.key()).to_string();
    let ok = |role: Role| !failed.contains(&role);
    let given = |role: Role| get(f, role).map(str::trim).filter(|t| !t.is_empty() && ok(role));
    let required = |role: Role| ok(role).then(|| get(f, role).unwrap_or(""));
    let client =
        required(Role::Client).and_then(|t| keep(&mut issues, fields::client(&name(Role::Client), t)));
    let date = required(Role::Date).and_then(|t| keep(&mut issues, fields::date(&name(Role::Date), t)));
    let status = match get(f, Role::Status) {
        None => Some(VisitStatus::Completed),
        Some(_) if !ok(Role::Status) => None,
        Some(word) => keep(&mut issues, status(m, &name(Role::Status), word)),
    };
    let time = |role: Role, issues: &mut Vec<String>| -> Option<NaiveTime> {
        given(role).and_then(|t| keep(issues, fields::time(&name(role), t)))
    };
    let start = time(Role::Start, &mut issues);
    let end = time(Role::End, &mut issues);
    let timed = match (start, end) {
        (Some(s), Some(e)) => Some(fields::between(s, e)),
        _ => None,
    };
    let done = status.is_none_or(|s| s == VisitStatus::Completed);
    let duration: Option<Hours> = match (get(f, Role::Duration), given(Role::Duration)) {
        (_, Some(text)) => keep(
            &mut issues,
            fields::duration(&name(Role::Duration), text, m.duration_unit),
        ),
        (Some(_), None) if timed.is_none() && done && ok(Role::Duration) => {
            issues.push(format!(
                "the {} is blank: give the visit's length, or its status if it did not take place",
                name(Role::Duration)
            ));
            None
        }
        (None, None) if timed.is_none() && done && ok(Role::Start) && ok(Role::End) && issues.is_empty() => {
            issues.push(format!(
                "the {} or {} is blank: give both times, or the visit's status if it did not take place",
                name(Role::Start),
                name(Role::End)
            ));
            None
        }
        _ => timed,
    };
    let carers = match given(Role::Carers) {
        Some(t) => keep(&mut issues, fields::carers(&name(Role::Carers), t)),
        None => Some(1),
    };
    let amended = match given(Role::Amended) {
        Some(t) => keep(&mut issues, fields::flag(&name(Role::Amended), t)).unwrap_or(false),
        None => false,
    };
    match (client, date, status, carers) {
        (Some(client), Some(date), Some(status), Some(carers)) if issues.is_empty() => Ok(Visit {
            client,
            date,
            start,
            end,
            duration,
            status,
            carer: given(Role::Carer).map(str::to_string),
            carers,
            manually_amended: amended,
            reference: None,
            whole_week: m.weekly,
            secondary: false,
            source,
        }),
        _ => Err(joined(issues)),
    }
}

/// A status word, by the mapping's `[status]` table, else by the four
/// statuses' own names.
fn status(m: &VisitMapping, column: &str, word: &str) -> Result<VisitStatus, String> {
    let folded = fold(word);
    if let Some(s) = m.statuses.get(&folded) {
        return Ok(*s);
    }
    match folded.as_str() {
        "completed" => Ok(VisitStatus::Completed),
        "cancelled" => Ok(VisitStatus::Cancelled),
        "missed" => Ok(VisitStatus::Missed),
        "frustrated" => Ok(VisitStatus::Frustrated),
        "" => Err(format!(
            "the {column} is blank: say what happened to the visit, or, if a blank {column} means it was delivered, add \"\" = \"completed\" to the [status] table of {}",
            m.file
        )),
        _ => Err(format!(
            "the {column} {} is not a status the mapping knows: add it to the [status] table of {} as completed, cancelled, missed or frustrated, e.g. {} = \"missed\"",
            cell::quoted(word.trim()),
            m.file,
            cell::quoted(word.trim())
        )),
    }
}

/// A mapped CSV (or text) export.
pub(super) fn read_csv(text: &str, m: &VisitMapping, sink: &mut Sink) {
    // Lines above the header are blanked, so the header is the first line
    // read and every line keeps its number.
    let skip = m.header_row.saturating_sub(1) as usize;
    let text: Cow<str> = if skip == 0 {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(
            text.split_inclusive('\n')
                .enumerate()
                .map(|(i, l)| {
                    if i < skip {
                        if l.ends_with('\n') { "\n" } else { "" }
                    } else {
                        l
                    }
                })
                .collect(),
        )
    };
    let roles: Vec<(Role, &str)> = ROLES
        .iter()
        .filter_map(|r| r.header(m).map(|h| (*r, h)))
        .collect();
    let names: Vec<&str> = roles.iter().map(|(_, h)| *h).collect();
    let file = sink.file().to_string();
    let mut csv = match Csv::open_with(&text, &file, &[], &names) {
        Ok(csv) => csv,
        Err(e) => {
            settings_problem(e, m.header_row, sink);
            return;
        }
    };
    let missing: Vec<&str> = (0..roles.len())
        .filter(|i| !csv.has(*i))
        .map(|i| roles[i].1)
        .collect();
    if !missing.is_empty() {
        sink.problem(u64::from(m.header_row), missing_columns(&missing, m));
        return;
    }
    let mut read = 0usize;
    while let Some(line) = csv.next() {
        match line {
            Ok((line, values)) => {
                let mut f: Fields = Default::default();
                for ((role, _), value) in roles.iter().zip(values) {
                    f[*role as usize] = Some(value);
                }
                if read >= crate::base::limits::MAX_VISITS {
                    sink.too_many(line);
                    return;
                }
                read += 1;
                match visit(m, &f, &[], Vec::new(), sink.source(line)) {
                    Ok(v) => {
                        if !sink.visit(v) {
                            return;
                        }
                    }
                    Err(message) => sink.problem(line, message),
                }
            }
            Err(e) => settings_problem(e, m.header_row, sink),
        }
    }
}

/// A problem the CSV reader found, at its line (the header's, where the
/// reader counted lines blanked above it as none).
fn settings_problem(e: SettingsError, header_row: u32, sink: &mut Sink) {
    match e {
        SettingsError::Line { line, message, .. } => {
            let line = if line == 1 { u64::from(header_row) } else { line };
            sink.problem(line, message);
        }
        other => sink.problem(0, other.to_string()),
    }
}

fn missing_columns(missing: &[&str], m: &VisitMapping) -> String {
    let names = missing
        .iter()
        .map(|n| cell::quoted(n))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "the header (row {}) has no column {names}, which the mapping {} names: correct the mapping's [columns] to the file's headers, or its header_row if the header is on another row",
        m.header_row, m.file
    )
}

/// A mapped workbook export: the mapping's sheet (else the first), its
/// header on `header_row`, a visit a row below it.
pub(super) fn read_workbook(bytes: &[u8], m: &VisitMapping, sink: &mut Sink) {
    let names = workbook::sheet_names(bytes);
    let sheet = match &m.sheet {
        Some(wanted) => names.iter().find(|n| fold(n) == fold(wanted)),
        None => names.first(),
    };
    let Some(sheet) = sheet.cloned() else {
        let message = match (workbook::read_sheets(bytes, &[]), &m.sheet) {
            (Err(Refusal::Corrupt(why) | Refusal::Limit(why)), _) => {
                format!("the workbook cannot be read: {why}")
            }
            (Ok(_), Some(wanted)) => format!(
                "the workbook has no sheet {} (it has {}): correct sheet in the mapping {}",
                cell::quoted(wanted),
                names
                    .iter()
                    .map(|n| cell::quoted(n))
                    .collect::<Vec<_>>()
                    .join(", "),
                m.file
            ),
            (Ok(_), None) => "the workbook has no sheets".to_string(),
        };
        sink.problem(0, message);
        return;
    };
    let grid = match workbook::read_sheets(bytes, &[&sheet]) {
        Ok(mut grids) if !grids.is_empty() => grids.swap_remove(0),
        Ok(_) => return,
        Err(Refusal::Corrupt(why) | Refusal::Limit(why)) => {
            sink.problem(
                0,
                format!("the sheet {} cannot be read: {why}", cell::quoted(&sheet)),
            );
            return;
        }
    };
    let header = m.header_row.saturating_sub(1);
    let mut columns: [Option<u32>; 9] = [None; 9];
    let mut missing = Vec::new();
    for role in ROLES {
        let Some(wanted) = role.header(m) else { continue };
        let found: Vec<u32> = grid
            .row(header)
            .iter()
            .filter(|(_, v)| cell::text_of(v).is_some_and(|t| normalise_label(&t) == normalise_label(wanted)))
            .map(|(c, _)| *c)
            .collect();
        match found.as_slice() {
            [one] => columns[role as usize] = Some(*one),
            [] => missing.push(wanted),
            _ => {
                sink.problem(
                    u64::from(m.header_row),
                    format!(
                        "the header has the column {} twice: keep one, so it is clear which holds the values",
                        cell::quoted(wanted)
                    ),
                );
                return;
            }
        }
    }
    if !missing.is_empty() {
        sink.problem(u64::from(m.header_row), missing_columns(&missing, m));
        return;
    }
    for (row, _) in grid.rows().filter(|(r, _)| *r > header) {
        let line = u64::from(row) + 1;
        let mut f: Fields = Default::default();
        let mut issues = Vec::new();
        let mut failed = Vec::new();
        for role in ROLES {
            let Some(col) = columns[role as usize] else {
                continue;
            };
            let name = role.header(m).unwrap_or(role.key());
            let text = match cell_text(&grid, row, col, role) {
                Ok(t) => t,
                Err(found) => {
                    issues.push(format!(
                        "the {name} (cell {}{line}) is {found}, not {}",
                        crate::model::findings::column_letters(col),
                        match role {
                            Role::Date => "a date",
                            Role::Duration => "a length of time",
                            Role::Start | Role::End => "a time of day",
                            _ => "a value",
                        }
                    ));
                    failed.push(role);
                    String::new()
                }
            };
            f[role as usize] = Some(text);
        }
        // A row of the sheet with nothing in the mapped columns (a total,
        // a note beside the table) is no visit.
        if f.iter().flatten().all(|t| t.trim().is_empty()) && issues.is_empty() {
            continue;
        }
        match visit(m, &f, &failed, issues, sink.source(line)) {
            Ok(v) => {
                if !sink.visit(v) {
                    return;
                }
            }
            Err(message) => sink.problem(line, message),
        }
    }
}

/// A cell as the text the line readers take, or what it is when it cannot
/// be: a date cell as `2026-04-06`, a time or duration cell as `h:mm:ss`
/// (a duration) or `HH:MM:SS` (a time of day: the fraction of its day).
fn cell_text(grid: &Grid, row: u32, col: u32, role: Role) -> Result<String, String> {
    let value = grid.get(row, col);
    let Value::Data(data) = value else {
        return Err("a formula saved without its result (open the file, let it calculate, save it)".into());
    };
    if let Data::Error(e) = data {
        return Err(format!("the error {e}"));
    }
    let clock = |seconds: i64| {
        format!(
            "{}:{:02}:{:02}",
            seconds / 3600,
            seconds % 3600 / 60,
            seconds % 60
        )
    };
    let whole = |h: Hours| i64::try_from(h.seconds().round()).ok();
    match (role, data) {
        // Text is judged by the field's own reader, as in a CSV.
        (_, Data::String(s)) => Ok(s.trim().to_string()),
        (Role::Date, _) => match cell::read(value, cell::date_of(grid)) {
            Cell::Value(d) => Ok(d.format("%Y-%m-%d").to_string()),
            Cell::Blank => Ok(String::new()),
            Cell::Wrong(found) | Cell::Error(found) => Err(found),
            Cell::Uncalculated => Err("a formula saved without its result".into()),
        },
        (Role::Duration, Data::DateTime(dt)) => Hours::from_days_f64(dt.as_f64())
            .and_then(whole)
            .map(|s| {
                if s < 0 {
                    format!("-{}", clock(-s))
                } else {
                    clock(s)
                }
            })
            .ok_or_else(|| describe(data)),
        (Role::Start | Role::End, Data::DateTime(dt)) => {
            time_of_day(dt.as_f64()).ok_or_else(|| describe(data))
        }
        (Role::Start | Role::End, Data::Float(f)) if (0.0..1.0).contains(f) => {
            time_of_day(*f).ok_or_else(|| describe(data))
        }
        _ => Ok(cell::text(data).unwrap_or_default()),
    }
}

/// The time of day of a serial date-time (its fraction of a day), to the
/// nearest second.
fn time_of_day(serial: f64) -> Option<String> {
    let days = Hours::from_days_f64(serial.rem_euclid(1.0))?;
    let seconds = i64::try_from(days.seconds().round()).ok()? % 86_400;
    Some(format!(
        "{:02}:{:02}:{:02}",
        seconds / 3600,
        seconds % 3600 / 60,
        seconds % 60
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::visits::{DurationUnit, VisitColumns};

    fn mapping() -> VisitMapping {
        VisitMapping {
            file: "m.toml".into(),
            description: None,
            sheet: None,
            header_row: 1,
            columns: VisitColumns {
                client: "Client".into(),
                date: "Date".into(),
                start: Some("Start".into()),
                end: Some("End".into()),
                status: Some("Status".into()),
                ..VisitColumns::default()
            },
            duration_unit: DurationUnit::Clock,
            weekly: false,
            statuses: [
                ("done".to_string(), VisitStatus::Completed),
                ("no show".to_string(), VisitStatus::Missed),
            ]
            .into_iter()
            .collect(),
        }
    }

    fn read(text: &str) -> crate::model::visits::Visits {
        super::super::read_visits("v.csv", text.as_bytes(), Some(&mapping()))
    }

    #[test]
    fn midnight_statuses_and_problems() {
        let got = read(
            "Client,Date,Start,End,Status\nC1,06/04/2026,22:30,00:15,Done\nC2,06/04/2026,,,No  Show\nC3,06/04/2026,09:00,09:30,Abandoned\n",
        );
        assert_eq!(got.visits.len(), 2);
        assert_eq!(got.visits[0].duration, Some(Hours::from_seconds(6300)));
        assert_eq!(got.visits[0].source, "v.csv:2");
        assert_eq!(got.visits[1].status, VisitStatus::Missed);
        assert_eq!(got.visits[1].duration, None);
        assert_eq!(got.problems.len(), 1);
        assert_eq!(got.problems[0].source, "v.csv:4");
        assert!(
            got.problems[0].message.contains("\"Abandoned\" is not a status"),
            "{:?}",
            got.problems
        );
    }

    #[test]
    fn a_missing_column_is_named() {
        let got = read("Client,Date,Start,Finish,Status\nC1,06/04/2026,09:00,09:30,Done\n");
        assert!(got.visits.is_empty());
        assert_eq!(got.problems[0].source, "v.csv:1");
        assert!(
            got.problems[0].message.contains("no column \"End\""),
            "{:?}",
            got.problems
        );
    }

    #[test]
    fn times_of_day_from_serials() {
        assert_eq!(time_of_day(46118.375).as_deref(), Some("09:00:00"));
        assert_eq!(time_of_day(0.999_999_9).as_deref(), Some("00:00:00"));
    }
}
