//! One cell -> one typed value (SPEC 7 "Hours cells" and "Dates").
//!
//! Each function returns a [`Cell`]: blank, a value, a spreadsheet error
//! (`#REF!`), or something that is not what the column wants, described in
//! words for the finding the caller writes.

use calamine::Data;
use chrono::{Days, NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;

use super::grid::{Grid, Value};
use crate::base::limits;
use crate::base::limits::MAX_QUOTED_CHARS;
use crate::base::text;
use crate::base::units::{Hours, MoneyText, decimal_from_f64, money_text, parse_money};
use crate::model::findings::{Code, Finding, Findings, Location};

/// The result of reading one cell as a given kind of value.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell<T> {
    Blank,
    Value(T),
    /// A spreadsheet error value, as Excel shows it (`#DIV/0!`).
    Error(String),
    /// Something else; the text describes what was found.
    Wrong(String),
    /// A formula saved without its result.
    Uncalculated,
}

/// Read a kept cell with one of this module's readers: a formula without
/// its result is [`Cell::Uncalculated`] whatever the reader.
pub fn read<T>(value: &Value, reader: impl Fn(&Data) -> Cell<T>) -> Cell<T> {
    match value {
        Value::Uncalculated => Cell::Uncalculated,
        Value::Data(d) => reader(d),
    }
}

/// [`text`] of a kept cell: `None` for a formula without its result too.
pub fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::Uncalculated => None,
        Value::Data(d) => text(d),
    }
}

/// A cell judged for the column that holds it.
#[derive(Clone, Debug, PartialEq)]
pub enum Judged<T> {
    Blank,
    Value(T),
    /// Not usable; a finding says why.
    Reported,
}

impl<T> Judged<T> {
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Judged<U> {
        match self {
            Judged::Blank => Judged::Blank,
            Judged::Value(v) => Judged::Value(f(v)),
            Judged::Reported => Judged::Reported,
        }
    }

    /// The value, if there is one.
    pub fn value(self) -> Option<T> {
        match self {
            Judged::Value(v) => Some(v),
            Judged::Blank | Judged::Reported => None,
        }
    }
}

/// Judge a cell read as `T`: a spreadsheet error is a `cell-error` naming
/// `what`; something that is not a `T` is the finding `wrong(found)` makes;
/// a value `check` refuses is the finding it returns. Every finding is placed
/// at `at` and, for a person's row, tagged with `person`.
pub fn judge<T>(
    cell: Cell<T>,
    at: Location,
    what: &str,
    person: Option<&str>,
    check: impl FnOnce(&T) -> Option<Finding>,
    wrong: impl FnOnce(&str) -> Finding,
    findings: &mut Findings,
) -> Judged<T> {
    let problem = match cell {
        Cell::Blank => return Judged::Blank,
        Cell::Value(v) => match check(&v) {
            None => return Judged::Value(v),
            Some(f) => f,
        },
        Cell::Error(e) => cell_error(&e, what),
        Cell::Wrong(found) => wrong(&found),
        Cell::Uncalculated => uncalculated(what),
    };
    let problem = problem.at(at);
    findings.push(match person {
        Some(id) => problem.person(id),
        None => problem,
    });
    Judged::Reported
}

/// A `formula-not-calculated` finding: the cell holds a formula whose
/// result was never saved, so what the spreadsheet shows is unknown.
pub fn uncalculated(what: &str) -> Finding {
    Finding::new(
        Code::FormulaNotCalculated,
        format!(
            "{what} is a formula whose result was not saved in the file, so its value cannot \
             be read. Open the workbook in Excel or LibreOffice, let it calculate, save it and \
             submit it again, or type the value itself."
        ),
    )
}

/// A `cell-error` finding: the cell holds a spreadsheet error value.
fn cell_error(error: &str, what: &str) -> Finding {
    Finding::new(
        Code::CellError,
        format!(
            "{what} holds the spreadsheet error {error}. Usually a formula refers to a \
             cell that is missing or not a number: type the value itself, or fix the formula."
        ),
    )
}

const ERROR_LITERALS: &[&str] = &[
    "#DIV/0!",
    "#N/A",
    "#NAME?",
    "#NULL!",
    "#NUM!",
    "#REF!",
    "#VALUE!",
    "#GETTING_DATA",
    "#SPILL!",
    "#CALC!",
];

/// The day Excel's 1900 date system counts serial numbers from (serial 1 is
/// 1900-01-01 because Excel keeps Lotus's phantom 29 February 1900).
fn excel_epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default()
}

/// Text quoted in a message, cut to [`MAX_QUOTED_CHARS`] characters:
/// `"seven"`, `"aaaa…" (40,000 characters)`.
pub fn quoted(text: &str) -> String {
    let n = text.chars().count();
    if n <= MAX_QUOTED_CHARS {
        return format!("\"{text}\"");
    }
    let head: String = text.chars().take(MAX_QUOTED_CHARS).collect();
    format!("\"{head}…\" ({n} characters)")
}

/// A short description of a cell for messages: `the text "seven"`.
pub fn describe(cell: &Data) -> String {
    match cell {
        Data::Empty => "a blank cell".to_string(),
        Data::String(s) => format!("the text {}", quoted(s.trim())),
        Data::Int(i) => format!("the number {i}"),
        Data::Float(f) => format!("the number {f}"),
        Data::Bool(b) => format!("the value {}", if *b { "TRUE" } else { "FALSE" }),
        Data::DateTime(dt) => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            match NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(d)) {
                _ if dt.is_duration() => format!("the duration {}", dt.as_f64() * 24.0),
                Some(date) => format!("the date/time {}", text::date(date)),
                None => format!("the date/time {d:02}/{m:02}/{y:04}"),
            }
        }
        Data::DateTimeIso(s) => format!("the date/time {s}"),
        Data::DurationIso(s) => format!("the duration {s}"),
        Data::Error(e) => format!("the error {e}"),
    }
}

fn text_error(text: &str) -> Option<String> {
    let t = text.trim();
    ERROR_LITERALS
        .iter()
        .find(|lit| lit.eq_ignore_ascii_case(t))
        .map(|lit| (*lit).to_string())
}

/// A text cell read as a `T`: blank when only spaces, a spreadsheet error
/// when it spells one (`#DIV/0!` typed or pasted as text), otherwise what
/// `parse` makes of it.
fn typed_text<T>(text: &str, cell: &Data, parse: impl FnOnce(&str) -> Option<T>) -> Cell<T> {
    let t = text.trim();
    if t.is_empty() {
        Cell::Blank
    } else if let Some(e) = text_error(t) {
        Cell::Error(e)
    } else {
        parse(t).map_or_else(|| Cell::Wrong(describe(cell)), Cell::Value)
    }
}

/// Plain text of a cell, trimmed; numbers as their digits (`100234`).
/// `None` for a blank cell or blank text.
pub fn text(cell: &Data) -> Option<String> {
    let s = match cell {
        Data::Empty => return None,
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => match decimal_from_f64(*f) {
            Some(d) => d.normalize().to_string(),
            None => f.to_string(),
        },
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(_) => match date(cell) {
            Cell::Value(d) => text::iso_date(d),
            _ => describe(cell),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_string(),
        Data::Error(e) => e.to_string(),
    };
    (!s.is_empty()).then_some(s)
}

/// An hours cell (SPEC 7): a number of hours, a time or duration (serial
/// days × 24, to the nearest second), or text holding either.
pub fn hours(cell: &Data) -> Cell<Hours> {
    match cell {
        Data::Empty => Cell::Blank,
        Data::Int(i) => Cell::Value(Hours::from_seconds(i.saturating_mul(3600))),
        Data::Float(f) => decimal_from_f64(*f)
            .and_then(Hours::from_hours)
            .map_or_else(|| Cell::Wrong(describe(cell)), Cell::Value),
        Data::DateTime(dt) => {
            Hours::from_days_f64(dt.as_f64()).map_or_else(|| Cell::Wrong(describe(cell)), Cell::Value)
        }
        Data::DurationIso(s) => iso_duration(s).map_or_else(|| Cell::Wrong(describe(cell)), Cell::Value),
        Data::DateTimeIso(s) => iso_datetime(s)
            .map(|dt| {
                let since = dt - excel_epoch().and_hms_opt(0, 0, 0).unwrap_or_default();
                Hours::from_seconds(since.num_seconds())
            })
            .map_or_else(|| Cell::Wrong(describe(cell)), Cell::Value),
        Data::String(s) => match typed_text(s, cell, Hours::parse) {
            Cell::Wrong(found) => Cell::Wrong(hours_comma(found, s)),
            other => other,
        },
        Data::Error(e) => Cell::Error(e.to_string()),
        Data::Bool(_) => Cell::Wrong(describe(cell)),
    }
}

/// What an hours cell's text `found` is, with its comma explained as a
/// rate's is: `7,5` is a decimal comma (write 7.5), `7,500` an ambiguous
/// one. Hours are never read from text with a comma.
fn hours_comma(found: String, text: &str) -> String {
    match money_text(text) {
        Err(MoneyText::DecimalComma) => {
            // As `money_text` read it: without spaces or a pound sign.
            let cleaned: String = text.chars().filter(|c| !matches!(c, '£' | ' ')).collect();
            let point = cleaned.replace(',', ".");
            let point = Decimal::from_str_exact(&point).map_or(point, |d| d.normalize().to_string());
            // `7,30`: perhaps 7 h 30 min.
            let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
            let minutes = cleaned
                .split_once(',')
                .filter(|(h, m)| digits(h) && digits(m) && m.len() == 2 && *m < "60")
                .map(|(h, m)| format!(", or {h}:{m} if you meant {h} h {m} min"))
                .unwrap_or_default();
            format!("{found}, written with a decimal comma (write {point}, with a decimal point{minutes})")
        }
        Err(MoneyText::AmbiguousComma) => format!(
            "{found}, whose comma is ambiguous (a thousands separator, or a decimal comma?); write \
             the hours with a decimal point, e.g. 7.5"
        ),
        _ => found,
    }
}

/// A money or rate cell: a number, or text holding one (`"£24.85"`,
/// `"1,200.00"`).
pub fn number(cell: &Data) -> Cell<Decimal> {
    match cell {
        Data::Empty => Cell::Blank,
        Data::Int(i) => Cell::Value(Decimal::from(*i)),
        Data::Float(f) => decimal_from_f64(*f).map_or_else(|| Cell::Wrong(describe(cell)), Cell::Value),
        Data::String(s) => match typed_text(s, cell, parse_money) {
            Cell::Wrong(found) => Cell::Wrong(match money_text(s) {
                Err(MoneyText::DecimalComma) => {
                    format!("{found}, written with a decimal comma (use a decimal point, e.g. 24.85)")
                }
                Err(MoneyText::AmbiguousComma) => format!(
                    "{found}, whose comma is ambiguous (a thousands separator, or a decimal comma?); \
                     write it without the comma, or with a decimal point"
                ),
                Err(MoneyText::Space) => {
                    format!("{found}, with a space inside the figure; write it without spaces, e.g. 24.85")
                }
                _ => found,
            }),
            other => other,
        },
        Data::Error(e) => Cell::Error(e.to_string()),
        _ => Cell::Wrong(describe(cell)),
    }
}

/// A date cell (SPEC 7 "Dates"): a date cell, a date-formatted serial
/// number, or text in ISO (`2026-04-06`) or UK (`06/04/2026`) order. US
/// order is never guessed: `04/13/2026` is not a date. A plain serial
/// number counts from Excel's 1900 system; in a workbook's cells use
/// [`date_of`], which knows the workbook's own.
pub fn date(cell: &Data) -> Cell<NaiveDate> {
    date_from(cell, excel_epoch())
}

/// [`date`] for the cells of `grid`'s workbook: a serial number typed
/// without a date format counts from that workbook's day 0, 1904-01-01 in
/// a workbook of the 1904 date system (Excel for Mac's old default), where
/// the 1900 system would put every date four years and a day early. A
/// date-formatted cell is read by calamine, which knows the system too.
pub fn date_of(grid: &Grid) -> impl Fn(&Data) -> Cell<NaiveDate> {
    let epoch = grid.epoch().unwrap_or_else(excel_epoch);
    move |cell| date_from(cell, epoch)
}

fn date_from(cell: &Data, epoch: NaiveDate) -> Cell<NaiveDate> {
    match any_date(cell, epoch) {
        Cell::Value(d) if limits::date(d).is_none() => Cell::Wrong(describe(cell)),
        other => other,
    }
}

fn any_date(cell: &Data, epoch: NaiveDate) -> Cell<NaiveDate> {
    match cell {
        Data::Empty => Cell::Blank,
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(d))
                .map_or_else(|| Cell::Wrong(describe(cell)), Cell::Value)
        }
        Data::Int(i) => serial_date(*i, epoch).map_or_else(|| Cell::Wrong(describe(cell)), Cell::Value),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e9 => {
            serial_date(*f as i64, epoch).map_or_else(|| Cell::Wrong(describe(cell)), Cell::Value)
        }
        Data::DateTimeIso(s) => iso_datetime(s)
            .map(|dt| dt.date())
            .map_or_else(|| Cell::Wrong(describe(cell)), Cell::Value),
        Data::String(s) => typed_text(s, cell, text_date),
        Data::Error(e) => Cell::Error(e.to_string()),
        _ => Cell::Wrong(describe(cell)),
    }
}

/// A serial day number counted from `epoch` (day 0), accepted only where
/// it is a plausible date for this work (1990 to 2099): a bare `7` in a date
/// cell is a mistake, not 6 January 1900.
fn serial_date(serial: i64, epoch: NaiveDate) -> Option<NaiveDate> {
    let first = NaiveDate::from_ymd_opt(1990, 1, 1)?;
    let last = NaiveDate::from_ymd_opt(2099, 12, 31)?;
    epoch
        .checked_add_days(Days::new(u64::try_from(serial).ok()?))
        .filter(|d| (first..=last).contains(d))
}

/// Text in ISO (`2026-04-06`, optionally with a time) or UK day-first order
/// (`06/04/2026`, `6-4-2026`, `06.04.2026`), within [`limits::YEARS`]: the
/// one parse of a typed date (cells, `--period-start`, the people CSV, the
/// settings files).
pub fn text_date(text: &str) -> Option<NaiveDate> {
    any_text_date(text).and_then(limits::date)
}

fn any_text_date(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    let date_part = t.split(['T', ' ']).next().unwrap_or(t);
    if let Ok(d) = NaiveDate::parse_from_str(date_part, "%Y-%m-%d") {
        return Some(d);
    }
    for sep in ['/', '-', '.'] {
        let parts: Vec<&str> = date_part.split(sep).collect();
        if parts.len() == 3 && parts[2].len() == 4 && parts[0].len() <= 2 && parts[1].len() <= 2 {
            let day: u32 = parts[0].parse().ok()?;
            let month: u32 = parts[1].parse().ok()?;
            let year: i32 = parts[2].parse().ok()?;
            return NaiveDate::from_ymd_opt(year, month, day);
        }
    }
    None
}

/// ODS `office:date-value`: `2026-04-06` or `2026-04-06T07:30:00`.
fn iso_datetime(text: &str) -> Option<NaiveDateTime> {
    let t = text.trim();
    if let Ok(dt) = NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f") {
        return Some(dt);
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
}

/// ODS `office:time-value`, an ISO 8601 duration such as `PT07H30M00S`,
/// `PT20H00M00.000000001S` or `P1DT04H00M00S`, rounded to the second.
pub(in crate::read) fn iso_duration(text: &str) -> Option<Hours> {
    let t = text.trim();
    let (negative, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    let body = t.strip_prefix('P')?;
    let (date_part, time_part) = match body.split_once('T') {
        Some((d, tm)) => (d, tm),
        None => (body, ""),
    };
    let mut days = Decimal::ZERO;
    let mut rest = date_part;
    while !rest.is_empty() {
        let idx = rest.find(|c: char| c.is_ascii_alphabetic())?;
        let (num, unit) = (&rest[..idx], &rest[idx..=idx]);
        let n = Decimal::from_str_exact(num).ok()?;
        let add = match unit {
            "D" => n,
            "W" => n.checked_mul(Decimal::from(7))?,
            _ => return None,
        };
        // Checked: a duration of 10^25 hours is a finding, not a panic.
        days = days.checked_add(add)?;
        rest = &rest[idx + 1..];
    }
    let mut seconds = days.checked_mul(Decimal::from(86_400))?;
    let mut rest = time_part;
    while !rest.is_empty() {
        let idx = rest.find(|c: char| c.is_ascii_alphabetic())?;
        let (num, unit) = (&rest[..idx], &rest[idx..=idx]);
        let n = Decimal::from_str_exact(num).ok()?;
        let add = match unit {
            "H" => n.checked_mul(Decimal::from(3600))?,
            "M" => n.checked_mul(Decimal::from(60))?,
            "S" => n,
            _ => return None,
        };
        seconds = seconds.checked_add(add)?;
        rest = &rest[idx + 1..];
    }
    let whole = seconds.round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    let secs = i64::try_from(whole.mantissa() / 10i128.pow(whole.scale())).ok()?;
    Some(Hours::from_seconds(if negative { -secs } else { secs }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{ExcelDateTime, ExcelDateTimeType};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn dates_uk_and_iso_never_us() {
        assert_eq!(text_date("06/04/2026"), Some(d(2026, 4, 6)));
        assert_eq!(text_date("2026-04-06"), Some(d(2026, 4, 6)));
        assert_eq!(text_date("6.4.2026"), Some(d(2026, 4, 6)));
        assert_eq!(text_date("04/13/2026"), None);
        assert_eq!(text_date("1850-01-07"), None);
        assert_eq!(text_date("01/01/3000"), None);
        assert_eq!(date(&Data::Int(46118)), Cell::Value(d(2026, 4, 6)));
        assert!(matches!(date(&Data::Int(7)), Cell::Wrong(_)));
    }

    #[test]
    fn time_of_day_is_a_length_of_time() {
        // LibreOffice shows 20 hours as "08:00:00 PM".
        let cell = Data::DateTime(ExcelDateTime::new(
            20.0 / 24.0,
            ExcelDateTimeType::DateTime,
            false,
        ));
        assert_eq!(hours(&cell), Cell::Value(Hours::from_seconds(20 * 3600)));
    }

    #[test]
    fn ods_durations() {
        assert_eq!(iso_duration("PT07H30M00S"), Some(Hours::from_seconds(27_000)));
        assert_eq!(
            iso_duration("PT20H00M00.000000001S"),
            Some(Hours::from_seconds(72_000))
        );
        assert_eq!(
            iso_duration("P1DT04H00M00S"),
            Some(Hours::from_seconds(28 * 3600))
        );
        assert_eq!(iso_duration("7:30"), None);
        // Far past what a Decimal holds: no panic, not a duration.
        assert_eq!(iso_duration("PT99999999999999999999999999H"), None);
        assert_eq!(iso_duration("P9999999999999999999999999999W"), None);
    }

    #[test]
    fn error_cells_and_text_errors() {
        assert_eq!(
            hours(&Data::String("#DIV/0!".into())),
            Cell::Error("#DIV/0!".into())
        );
        assert_eq!(hours(&Data::String("  ".into())), Cell::Blank);
        assert!(matches!(hours(&Data::String("seven".into())), Cell::Wrong(_)));
    }

    #[test]
    fn numbers_with_pound_signs() {
        assert_eq!(
            number(&Data::String("£1,200.50".into())),
            Cell::Value(Decimal::new(120050, 2))
        );
        assert_eq!(number(&Data::Float(25.125)), Cell::Value(Decimal::new(25125, 3)));
    }
}
