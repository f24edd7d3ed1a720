//! One field of a visit line -> one typed value, or what is wrong with it
//! in words a provider can act on. Every reader of visit files (Abacus's
//! CSV and XML, a mapped CSV or workbook) reads its text fields here, so a
//! date or duration one accepts every other accepts too.

use chrono::{NaiveDate, NaiveTime, Timelike};
use rust_decimal::Decimal;

use crate::base::limits::{self, HOURS_IN_A_WEEK, MAX_CARERS};
use crate::base::units::Hours;
use crate::model::visits::DurationUnit;
use crate::read::cell::{iso_duration, quoted};
use crate::read::text_date;

/// A word as matched: trimmed, lower case, inner spaces folded to one.
pub(super) fn fold(word: &str) -> String {
    word.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The person's reference: not blank, and no character that does not show.
pub(super) fn client(column: &str, text: &str) -> Result<String, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err(format!(
            "the {column} is blank: every visit needs the reference of the person visited"
        ));
    }
    crate::read::council::csv_file::plain_key(column, t)?;
    Ok(t.to_string())
}

/// A visit's date: `06/04/2026` (day first) or `2026-04-06`, a time after
/// it ignored (`06/04/2026 09:00`).
pub(super) fn date(column: &str, text: &str) -> Result<NaiveDate, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err(format!("the {column} is blank: every visit needs its date"));
    }
    // The form of nearly every line (`06/04/2026`), read without the
    // general reader's trial parses; anything else goes to `text_date`.
    if let Some(d) = day_first(t) {
        return limits::date(d).ok_or_else(|| not_a_date(column, t));
    }
    text_date(t).ok_or_else(|| not_a_date(column, t))
}

fn not_a_date(column: &str, t: &str) -> String {
    format!(
        "the {column} {} is not a date: write it day first, DD/MM/YYYY (06/04/2026), or YYYY-MM-DD (2026-04-06)",
        quoted(t)
    )
}

/// Exactly `DD/MM/YYYY`, as `text_date` reads it.
fn day_first(t: &str) -> Option<NaiveDate> {
    let b = t.as_bytes();
    if b.len() != 10 || b[2] != b'/' || b[5] != b'/' {
        return None;
    }
    let n = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, d| {
            d.is_ascii_digit().then(|| acc * 10 + u32::from(d - b'0'))
        })
    };
    let year = i32::try_from(n(6..10)?).ok()?;
    NaiveDate::from_ymd_opt(year, n(3..5)?, n(0..2)?)
}

/// A time of day: `09:30`, `09:30:00`, `9:30 am`, or a date and time
/// (`06/04/2026 09:30`, `2026-04-06T09:30:00`) whose time is taken.
pub(super) fn time(column: &str, text: &str) -> Result<NaiveTime, String> {
    let t = text.trim();
    if let Some(time) = clock(t) {
        return Ok(time);
    }
    time_of_day(t).ok_or_else(|| {
        format!(
            "the {column} {} is not a time of day: write it HH:MM or HH:MM:SS, e.g. 09:30",
            quoted(t)
        )
    })
}

/// Exactly `HH:MM:SS` or `HH:MM`, as `time_of_day` reads them (its first
/// two forms), without a trial parse.
fn clock(t: &str) -> Option<NaiveTime> {
    let b = t.as_bytes();
    let two = |i: usize| -> Option<u32> {
        (b[i].is_ascii_digit() && b[i + 1].is_ascii_digit())
            .then(|| u32::from(b[i] - b'0') * 10 + u32::from(b[i + 1] - b'0'))
    };
    match b.len() {
        8 if b[2] == b':' && b[5] == b':' => NaiveTime::from_hms_opt(two(0)?, two(3)?, two(6)?),
        5 if b[2] == b':' => NaiveTime::from_hms_opt(two(0)?, two(3)?, 0),
        _ => None,
    }
}

fn time_of_day(text: &str) -> Option<NaiveTime> {
    // A date before the time is dropped.
    let t = match text.split_once([' ', 'T']) {
        Some((day, rest)) if text_date(day).is_some() => rest.trim(),
        _ => text,
    };
    let t = t.strip_suffix('Z').unwrap_or(t);
    for form in [
        "%H:%M:%S",
        "%H:%M",
        "%H:%M:%S%.f",
        "%I:%M %p",
        "%I:%M:%S %p",
        "%I:%M%p",
        "%I:%M:%S%p",
    ] {
        if let Ok(time) = NaiveTime::parse_from_str(t, form) {
            // Rounded down to the second: a visit is timed to the second.
            return time.with_nanosecond(0);
        }
    }
    None
}

/// A length of time: `h:mm` or `h:mm:ss` (`0:45`, `01:30:00`), ISO 8601
/// (`PT45M`, `PT1H30M`), or a bare number in `unit` (minutes or decimal
/// hours; refused where the unit is not given). 0 to 168 hours.
pub(super) fn duration(column: &str, text: &str, unit: DurationUnit) -> Result<Hours, String> {
    let t = text.trim();
    let shown = quoted(t);
    let length = if t.starts_with(['P', 'p', '-']) && t.contains(['P', 'p']) {
        iso_duration(&t.to_uppercase())
    } else if t.contains(':') {
        Hours::parse(t)
    } else if t.bytes().all(|b| b.is_ascii_digit() || b == b'.') && !t.is_empty() {
        let number = Decimal::from_str_exact(t).ok();
        match unit {
            DurationUnit::Clock => {
                return Err(format!(
                    "the {column} {shown} is a bare number: minutes or hours? Write it h:mm (0:45), or say in the mapping duration_unit = \"minutes\" or \"hours\""
                ));
            }
            DurationUnit::Minutes => number
                .and_then(|m| m.checked_mul(Decimal::from(60)))
                .map(|s| s.round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero))
                .map(Hours::from_exact_seconds),
            DurationUnit::Hours => number.and_then(Hours::from_hours),
        }
    } else {
        None
    };
    let Some(length) = length else {
        let forms = match unit {
            DurationUnit::Clock => "h:mm or h:mm:ss (0:45, 01:30:00) or PT45M",
            DurationUnit::Minutes => "minutes (45), h:mm (0:45) or PT45M",
            DurationUnit::Hours => "decimal hours (0.75), h:mm (0:45) or PT45M",
        };
        let blank = if t.is_empty() { " is blank" } else { "" };
        return Err(if blank.is_empty() {
            format!("the {column} {shown} is not a length of time: write it as {forms}")
        } else {
            format!("the {column}{blank}: write the visit's length as {forms}")
        });
    };
    plausible(column, t, length)
}

/// A visit's length: not negative, at most a week (a client-by-week report
/// gives a week's hours as one line).
pub(super) fn plausible(column: &str, text: &str, length: Hours) -> Result<Hours, String> {
    limits::week_hours(length).map_err(|why| match why {
        limits::HoursProblem::Negative => {
            format!("the {column} {} is negative: a visit's length is 0 or more", quoted(text))
        }
        _ => format!(
            "the {column} {} is more than the {HOURS_IN_A_WEEK} hours of a week: check it is a length of time",
            quoted(text)
        ),
    })
}

/// The length from `start` to `end`: an end before the start is the next
/// day's (the visit ran past midnight).
pub(super) fn between(start: NaiveTime, end: NaiveTime) -> Hours {
    let seconds = (end - start).num_seconds();
    Hours::from_seconds(if seconds < 0 { seconds + 86_400 } else { seconds })
}

/// The number of carers: blank is 1; a whole number from 1 to
/// [`MAX_CARERS`].
pub(super) fn carers(column: &str, text: &str) -> Result<u32, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(1);
    }
    // `2.0` as a spreadsheet may write a whole number.
    let whole = t.strip_suffix(".0").unwrap_or(t);
    whole
        .parse::<u32>()
        .ok()
        .filter(|n| (1..=MAX_CARERS).contains(n))
        .ok_or_else(|| {
            format!(
                "the {column} {} is not a number of carers: write a whole number from 1 to {MAX_CARERS} (blank is 1)",
                quoted(t)
            )
        })
}

/// Yes or no: `True`/`Yes`/`Y`/`1`, `False`/`No`/`N`/`0`, blank is no.
pub(super) fn flag(column: &str, text: &str) -> Result<bool, String> {
    // The words an export writes, matched before folding them.
    match text.trim() {
        "False" | "" => return Ok(false),
        "True" => return Ok(true),
        _ => {}
    }
    match fold(text).as_str() {
        "true" | "yes" | "y" | "1" => Ok(true),
        "false" | "no" | "n" | "0" | "" => Ok(false),
        _ => Err(format!(
            "the {column} {} is neither yes nor no: write True or False",
            quoted(text.trim())
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(h: Result<Hours, String>) -> i64 {
        i64::try_from(h.unwrap().seconds()).unwrap()
    }

    #[test]
    fn durations_in_every_form() {
        let clock = DurationUnit::Clock;
        assert_eq!(secs(duration("d", "01:30:00", clock)), 5400);
        assert_eq!(secs(duration("d", "0:45", clock)), 2700);
        assert_eq!(secs(duration("d", "PT45M", clock)), 2700);
        assert_eq!(secs(duration("d", "PT1H30M", clock)), 5400);
        assert_eq!(secs(duration("d", "pt1h30m", clock)), 5400);
        assert_eq!(secs(duration("d", "45", DurationUnit::Minutes)), 2700);
        assert_eq!(secs(duration("d", "22.5", DurationUnit::Minutes)), 1350);
        assert_eq!(secs(duration("d", "0.75", DurationUnit::Hours)), 2700);
        assert_eq!(secs(duration("d", "1:15", DurationUnit::Minutes)), 4500);
        let e = duration("ActualDuration", "45", clock).unwrap_err();
        assert!(e.contains("minutes or hours"), "{e}");
        let e = duration("ActualDuration", "1:5", clock).unwrap_err();
        assert!(
            e.starts_with("the ActualDuration \"1:5\" is not a length of time"),
            "{e}"
        );
        assert!(duration("d", "-0:30", clock).unwrap_err().contains("negative"));
        assert!(duration("d", "169:00", clock).unwrap_err().contains("168 hours"));
        assert!(duration("d", "", clock).unwrap_err().contains("is blank"));
        assert!(duration("d", "4 5", DurationUnit::Minutes).is_err());
    }

    #[test]
    fn times_dates_and_midnight() {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        assert_eq!(time("s", "09:30").unwrap(), t(9, 30));
        assert_eq!(time("s", "09:30:00").unwrap(), t(9, 30));
        assert_eq!(time("s", "9:30 pm").unwrap(), t(21, 30));
        assert_eq!(time("s", "06/04/2026 22:15").unwrap(), t(22, 15));
        assert_eq!(time("s", "2026-04-06T22:15:00").unwrap(), t(22, 15));
        assert!(time("s", "25:00").is_err());
        assert_eq!(between(t(22, 30), t(0, 15)), Hours::from_seconds(6300));
        assert_eq!(between(t(9, 0), t(9, 45)), Hours::from_seconds(2700));
        let d = NaiveDate::from_ymd_opt(2026, 4, 6).unwrap();
        assert_eq!(date("VisitDate", "06/04/2026").unwrap(), d);
        assert_eq!(date("VisitDate", "2026-04-06").unwrap(), d);
        assert!(
            date("VisitDate", "04/13/2026")
                .unwrap_err()
                .contains("DD/MM/YYYY")
        );
    }

    #[test]
    fn carers_and_flags() {
        assert_eq!(carers("n", ""), Ok(1));
        assert_eq!(carers("n", "2"), Ok(2));
        assert_eq!(carers("n", "2.0"), Ok(2));
        assert!(carers("n", "0").is_err());
        assert!(carers("n", "two").is_err());
        assert_eq!(flag("f", "True"), Ok(true));
        assert_eq!(flag("f", " yes "), Ok(true));
        assert_eq!(flag("f", ""), Ok(false));
        assert!(flag("f", "maybe").is_err());
        assert!(client("ServiceUserRef", " ").is_err());
        assert!(client("ServiceUserRef", "C1\u{200b}").is_err());
        assert_eq!(client("ServiceUserRef", " C1 ").unwrap(), "C1");
    }
}
