//! Access Abacus's service-delivery file, the form providers send councils
//! through Abacus's Provider Portal: CSV of 24 fixed columns, one line a
//! visit (this module), or the same fields as XML ([`super::abacus_xml`]).
//! One line -> one [`Visit`]:
//! - `ServiceUserRef` the client, `VisitDate` the date;
//! - `ActualStartTime` the start (`StartTimeClaimed` where it is blank);
//! - `ActualDuration` the length, `DurationClaimed` only where the actual
//!   one is blank (a visit whose monitoring failed is claimed as planned);
//! - `NumberOfCarers` the carers (blank: 1), the care worker's reference
//!   (else name) the carer, `ManuallyAmended` the amended flag;
//! - the status: Abacus has no status column, so a visit is completed
//!   unless its `VisitCode` says cancelled, missed or frustrated;
//! - `SecondaryVisit` True: the line of an additional care worker on a
//!   double-handed visit ([`settle_secondary`]).

use chrono::{NaiveDate, NaiveTime};

use super::fields::{self, fold};
use super::{Sink, joined, keep};
use crate::model::settings::person_key;
use crate::model::visits::{DurationUnit, Visit, VisitStatus};

/// The 24 columns, in order.
pub(super) const COLUMNS: [&str; 24] = [
    "FileReference",
    "Description",
    "Created",
    "ProviderRef",
    "ContractNumber",
    "ServiceUserRef",
    "ServiceUserDetails",
    "WeekEnding",
    "OurRef",
    "ServiceUserContribution",
    "PaymentClaimed",
    "ServiceType",
    "VisitDate",
    "StartTimeClaimed",
    "DurationClaimed",
    "ActualStartTime",
    "ActualDuration",
    "SecondaryVisit",
    "NumberOfCarers",
    "OrderRef",
    "ManuallyAmended",
    "VisitCode",
    "CareWorkerRef",
    "CareWorkerName",
];

/// The fields of one visit as the file writes them: owned where the XML
/// reader gathers them, borrowed from the line where the CSV reader reads
/// them (no copy of a field a line).
#[derive(Default)]
pub(super) struct AbacusLine<S = String> {
    pub client: S,
    pub date: S,
    pub claimed_start: S,
    pub claimed_duration: S,
    pub actual_start: S,
    pub actual_duration: S,
    pub secondary: S,
    pub carers: S,
    pub amended: S,
    pub code: S,
    pub carer_ref: S,
    pub carer_name: S,
    pub our_ref: S,
    pub week_ending: S,
}

/// A visit read, with what pairs a secondary line with its primary.
#[derive(Debug)]
pub(super) struct Read {
    pub visit: Visit,
    pub secondary: bool,
    /// The start the provider claimed (else the actual one).
    pub planned: Option<NaiveTime>,
}

/// One line -> a visit, or every problem with it, joined.
pub(super) fn visit<S: AsRef<str>>(line: &AbacusLine<S>, source: String) -> Result<Read, String> {
    let line = AbacusLine {
        client: line.client.as_ref(),
        date: line.date.as_ref(),
        claimed_start: line.claimed_start.as_ref(),
        claimed_duration: line.claimed_duration.as_ref(),
        actual_start: line.actual_start.as_ref(),
        actual_duration: line.actual_duration.as_ref(),
        secondary: line.secondary.as_ref(),
        carers: line.carers.as_ref(),
        amended: line.amended.as_ref(),
        code: line.code.as_ref(),
        carer_ref: line.carer_ref.as_ref(),
        carer_name: line.carer_name.as_ref(),
        our_ref: line.our_ref.as_ref(),
        week_ending: line.week_ending.as_ref(),
    };
    let mut issues = Vec::new();
    let client = keep(&mut issues, fields::client("ServiceUserRef", line.client));
    let date: Option<NaiveDate> = keep(&mut issues, fields::date("VisitDate", line.date));
    let status = status_of_code(line.code);
    let time = |column, text: &str| (!text.trim().is_empty()).then(|| fields::time(column, text));
    let actual_start = time("ActualStartTime", line.actual_start).and_then(|r| keep(&mut issues, r));
    let claimed_start = time("StartTimeClaimed", line.claimed_start).and_then(|r| keep(&mut issues, r));
    let length = |column, text: &str| fields::duration(column, text, DurationUnit::Clock);
    let duration = if !line.actual_duration.trim().is_empty() {
        keep(&mut issues, length("ActualDuration", line.actual_duration))
    } else if status == VisitStatus::Completed && !line.claimed_duration.trim().is_empty() {
        // The claimed length is the planned one: delivered care is counted
        // from what the carer's call recorded, never from the plan.
        keep::<()>(
            &mut issues,
            Err(format!(
                "the ActualDuration is blank and only the DurationClaimed ({}, the planned length) is given: delivered care is counted from the actual length; give it (HH:MM:SS)",
                line.claimed_duration.trim()
            )),
        );
        None
    } else if status == VisitStatus::Completed {
        keep::<()>(
            &mut issues,
            Err("the ActualDuration and DurationClaimed are both blank: give the visit's actual length (HH:MM:SS, e.g. 00:45:00)"
                .to_string()),
        );
        None
    } else {
        None
    };
    // The visit's day must lie in the week the line says it ends: a date
    // written month first (04/06 for 6 April) is caught here.
    if let Some(day) = date
        && !line.week_ending.trim().is_empty()
        && let Ok(ending) = fields::date("WeekEnding", line.week_ending)
        && !(ending - chrono::Days::new(6) <= day && day <= ending)
    {
        issues.push(format!(
            "the VisitDate {} is not in the week ending {} (its WeekEnding): is a date written month first? Correct the date",
            line.date.trim(),
            line.week_ending.trim()
        ));
    }
    let secondary = keep(&mut issues, fields::flag("SecondaryVisit", line.secondary)).unwrap_or(false);
    let carers = keep(&mut issues, fields::carers("NumberOfCarers", line.carers));
    let amended = keep(&mut issues, fields::flag("ManuallyAmended", line.amended)).unwrap_or(false);
    let carer = [line.carer_ref, line.carer_name]
        .into_iter()
        .map(|c| c.trim())
        .find(|c| !c.is_empty())
        .map(str::to_string);
    match (client, date, carers) {
        (Some(client), Some(date), Some(carers)) if issues.is_empty() => Ok(Read {
            visit: Visit {
                client,
                date,
                start: actual_start.or(claimed_start),
                end: None,
                duration,
                status,
                carer,
                carers: if secondary { 1 } else { carers },
                manually_amended: amended,
                whole_week: false,
                reference: Some(line.our_ref.trim())
                    .filter(|r| !r.is_empty())
                    .map(str::to_string),
                secondary,
                source,
            },
            secondary,
            planned: claimed_start.or(actual_start),
        }),
        _ => Err(joined(issues)),
    }
}

/// The status a `VisitCode` says, by its words: `cancel...` cancelled,
/// `missed` missed, `frustrated`, `no access` or `refused` frustrated;
/// any other code (a visit type, an ID) or none: completed.
pub(super) fn status_of_code(code: &str) -> VisitStatus {
    if code.trim().is_empty() {
        return VisitStatus::Completed;
    }
    let folded = fold(code);
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let has = |f: &dyn Fn(&str) -> bool| words.iter().any(|w| f(w));
    if has(&|w| w.starts_with("cancel")) {
        VisitStatus::Cancelled
    } else if has(&|w| w == "missed" || w == "miss") {
        VisitStatus::Missed
    } else if has(&|w| w.starts_with("frustrat") || w == "refused" || w == "noaccess")
        || words.windows(2).any(|p| p == ["no", "access"])
    {
        VisitStatus::Frustrated
    } else {
        VisitStatus::Completed
    }
}

/// A double-handed visit in an Abacus file is either one line with
/// `NumberOfCarers` 2, or a line per carer: the first carer's
/// (`SecondaryVisit` False, `NumberOfCarers` 2) and the additional
/// carer's (`SecondaryVisit` True). So the second carer is never counted
/// twice, a secondary line counts as its one carer, and the primary line
/// it pairs with (same person, date and claimed start) loses that carer:
/// `2` on the primary and a secondary line are one carer each, their own
/// lengths. A primary with no secondary line keeps its number.
pub(super) fn settle_secondary(read: &mut [Read]) {
    use std::collections::HashMap;
    let key = |r: &Read| (person_key(&r.visit.client), r.visit.date, r.planned);
    let mut secondaries: HashMap<_, u32> = HashMap::new();
    for r in read.iter().filter(|r| r.secondary) {
        *secondaries.entry(key(r)).or_default() += 1;
    }
    if secondaries.is_empty() {
        return;
    }
    for r in read.iter_mut().filter(|r| !r.secondary && r.visit.carers > 1) {
        if let Some(left) = secondaries.get_mut(&key(r)) {
            let paired = (*left).min(r.visit.carers - 1);
            r.visit.carers -= paired;
            *left -= paired;
        }
    }
}

/// Whether a text is Abacus's CSV.
pub(super) enum Sniffed {
    /// Its first line is the header (`FileReference,...`).
    Header,
    /// Its first line has 24 values, the 13th a date.
    Headerless,
    Other,
}

pub(super) fn sniff(text: &str) -> Sniffed {
    let Some(first) = text.lines().find(|l| !l.trim().is_empty()) else {
        return Sniffed::Other;
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(first.as_bytes());
    let Some(Ok(record)) = reader.records().next() else {
        return Sniffed::Other;
    };
    let first_cell = record.get(0).unwrap_or_default();
    let first_cell = first_cell.trim_start_matches('\u{feff}');
    if fold(first_cell) == "filereference" {
        Sniffed::Header
    } else if record.len() == COLUMNS.len() && crate::read::text_date(&record[12]).is_some() {
        Sniffed::Headerless
    } else {
        Sniffed::Other
    }
}

/// Read the CSV form. `header`: the first non-blank line is the header
/// (then its columns are checked). One record buffer for the whole file,
/// each field borrowed from it: a line costs the visit it gives and no
/// more.
pub(super) fn read(text: &str, header: bool, sink: &mut Sink) {
    let bytes = text.as_bytes();
    let mut lines = Lines::default();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let mut line_of = |p: Option<&csv::Position>| {
        let Some(p) = p else { return 0 };
        let mut at = usize::try_from(p.byte()).unwrap_or(usize::MAX).min(bytes.len());
        while at < bytes.len() && matches!(bytes[at], b'\r' | b'\n') {
            at += 1;
        }
        lines.line(bytes, at)
    };
    let mut read = Vec::new();
    let mut header_due = header;
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = line_of(e.position());
                sink.problem(line, format!("the line cannot be read as CSV ({e})"));
                // The reader goes on past a broken record, as `records()` does.
                continue;
            }
        }
        // Fields split at ASCII commas and quotes of valid UTF-8 text are
        // UTF-8; trimmed as a `StringRecord` trims them (any white space).
        let field = |i: usize| {
            record
                .get(i)
                .map_or("", |f| std::str::from_utf8(f).unwrap_or("").trim())
        };
        if (0..record.len()).all(|i| field(i).is_empty()) {
            continue;
        }
        let line = line_of(record.position());
        if header_due {
            header_due = false;
            let header: csv::StringRecord = (0..record.len()).map(field).collect();
            if let Some(wrong) = wrong_header(&header) {
                sink.problem(line, wrong);
                return;
            }
            continue;
        }
        if let Some(c) = record
            .iter()
            .position(|f| f.contains(&b'\n') || f.contains(&b'\r'))
        {
            let breaks = record
                .iter()
                .map(|f| f.iter().filter(|b| **b == b'\n').count() as u64)
                .sum::<u64>();
            sink.problem(
                line,
                format!(
                    "the {} opens a quote (\") that is not closed on this line, so lines {line} to {} were read as one value: close the quote, or remove it",
                    COLUMNS.get(c).unwrap_or(&"value"),
                    line + breaks
                ),
            );
            continue;
        }
        let values = (0..record.len())
            .rev()
            .find(|&i| !field(i).is_empty())
            .map_or(0, |i| i + 1);
        if record.len() < COLUMNS.len() || values > COLUMNS.len() {
            sink.problem(
                line,
                format!(
                    "the line has {} values, not the 24 of an Abacus service-delivery line: a value with a comma in it must be in quotes (\"Smith, J\"), and no column may be left out",
                    if values > COLUMNS.len() { values } else { record.len() }
                ),
            );
            continue;
        }
        let abacus = AbacusLine {
            client: field(5),
            date: field(12),
            claimed_start: field(13),
            claimed_duration: field(14),
            actual_start: field(15),
            actual_duration: field(16),
            secondary: field(17),
            carers: field(18),
            amended: field(20),
            code: field(21),
            carer_ref: field(22),
            carer_name: field(23),
            our_ref: field(8),
            week_ending: field(7),
        };
        match visit(&abacus, sink.source(line)) {
            Ok(r) => {
                if read.len() >= crate::base::limits::MAX_VISITS {
                    sink.too_many(line);
                    break;
                }
                read.push(r);
            }
            Err(message) => sink.problem(line, message),
        }
    }
    keep_all(read, sink);
}

/// The 1-based line of offsets met in order, counted on from the last one
/// (a file read top to bottom is counted once, and no index of its lines
/// is kept).
#[derive(Default)]
struct Lines {
    at: usize,
    line: u64,
}

impl Lines {
    fn line(&mut self, text: &[u8], offset: usize) -> u64 {
        if offset < self.at {
            // Not in order (never, reading forwards): count from the top.
            return crate::read::file::line_of(text, offset);
        }
        self.line += text[self.at..offset].iter().filter(|b| **b == b'\n').count() as u64;
        self.at = offset;
        self.line + 1
    }
}

/// Pair secondary lines, then keep every visit.
pub(super) fn keep_all(mut read: Vec<Read>, sink: &mut Sink) {
    settle_secondary(&mut read);
    sink.reserve(read.len());
    for r in read {
        if !sink.visit(r.visit) {
            break;
        }
    }
}

/// The header's first 22 columns must be Abacus's (ignoring case and
/// spaces): a file whose columns moved would be read wrong. The care
/// worker's two columns are named differently by different systems.
fn wrong_header(record: &csv::StringRecord) -> Option<String> {
    let squash = |s: &str| {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_lowercase()
    };
    if record.len() != COLUMNS.len() {
        return Some(format!(
            "the header has {} columns, not the 24 of Abacus's service-delivery CSV (FileReference to the care worker's name): export the file again from the system, unaltered",
            record.len()
        ));
    }
    COLUMNS[..22].iter().enumerate().find_map(|(i, name)| {
        (squash(&record[i].replace('\u{feff}', "")) != squash(name)).then(|| {
            format!(
                "the header's column {} is {}, where Abacus's service-delivery CSV has {name}: the columns are not in Abacus's order, so none is read; export the file again unaltered, or give --mapping naming its columns",
                i + 1,
                crate::read::cell::quoted(&record[i])
            )
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visit_codes() {
        assert_eq!(status_of_code(""), VisitStatus::Completed);
        assert_eq!(status_of_code("V123456"), VisitStatus::Completed);
        assert_eq!(status_of_code("CANCELLED"), VisitStatus::Cancelled);
        assert_eq!(
            status_of_code("Cancel - client in hospital"),
            VisitStatus::Cancelled
        );
        assert_eq!(status_of_code("Missed"), VisitStatus::Missed);
        assert_eq!(status_of_code("No Access"), VisitStatus::Frustrated);
        assert_eq!(status_of_code("FRUSTRATED"), VisitStatus::Frustrated);
        assert_eq!(status_of_code("Dismissed"), VisitStatus::Completed);
    }

    fn line(client: &str, start: &str, secondary: &str, carers: &str) -> AbacusLine {
        AbacusLine {
            client: client.into(),
            date: "06/04/2026".into(),
            claimed_start: start.into(),
            actual_start: start.into(),
            actual_duration: "00:30:00".into(),
            secondary: secondary.into(),
            carers: carers.into(),
            ..AbacusLine::default()
        }
    }

    #[test]
    fn a_secondary_line_takes_its_carer_from_the_primary() {
        let mut read: Vec<Read> = [
            line("C1", "08:00:00", "False", "2"),
            line("C1", "08:00:00", "True", "2"),
            line("C2", "08:00:00", "False", "2"),
            line("C1", "12:00:00", "False", "2"),
        ]
        .iter()
        .map(|l| visit(l, "f:1".into()).unwrap())
        .collect();
        settle_secondary(&mut read);
        let carers: Vec<u32> = read.iter().map(|r| r.visit.carers).collect();
        assert_eq!(carers, [1, 1, 2, 2]);
    }

    #[test]
    fn the_claimed_duration_is_never_counted_as_delivered() {
        let mut l = line("C1", "08:00:00", "False", "");
        l.claimed_duration = "00:45:00".into();
        let r = visit(&l, "f:1".into()).unwrap();
        assert_eq!(
            r.visit.duration,
            Some(crate::base::units::Hours::from_seconds(1800))
        );
        // Only the planned length: refused, not counted as delivered.
        l.actual_duration = String::new();
        assert!(
            visit(&l, "f:1".into())
                .unwrap_err()
                .contains("only the DurationClaimed (00:45:00, the planned length)")
        );
        l.claimed_duration = String::new();
        assert!(visit(&l, "f:1".into()).unwrap_err().contains("both blank"));
        l.code = "Cancelled".into();
        assert_eq!(visit(&l, "f:1".into()).unwrap().visit.duration, None);
    }
}
