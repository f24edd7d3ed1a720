//! Wording every part of the tool shares: dates, money, counts and weekdays
//! as people read them. One function per piece, so the reader's messages,
//! the engine's findings and every writer say a thing the same way.

use chrono::{NaiveDate, Weekday};
use rust_decimal::Decimal;

use crate::units::format_money;

/// A date as people in the UK write it: `06/04/2026`.
pub fn date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// The weekday's full name: `Monday`.
pub fn weekday(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

/// An amount for people to read: `£72.00`, `-£168.00`.
pub fn pounds(amount: Decimal) -> String {
    let text = format_money(amount);
    match text.strip_prefix('-') {
        Some(rest) => format!("-£{rest}"),
        None => format!("£{text}"),
    }
}

/// A count with its noun: `1 person`, `5 people`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A fraction as a percentage for people to read: 0.08 -> `8`.
pub fn percent(fraction: Decimal) -> Decimal {
    (fraction * Decimal::ONE_HUNDRED).normalize()
}

/// Who a row or person is, for messages: `P0012 (Jane Roberts)`.
pub fn who(id: &str, name: Option<&str>) -> String {
    match name {
        Some(n) => format!("{id} ({n})"),
        None => id.to_string(),
    }
}

/// Week numbers as runs: `1-4, 6-13`.
pub fn week_runs(weeks: &[u32]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < weeks.len() {
        let mut j = i;
        while j + 1 < weeks.len() && weeks[j + 1] == weeks[j] + 1 {
            j += 1;
        }
        parts.push(if i == j {
            weeks[i].to_string()
        } else {
            format!("{}-{}", weeks[i], weeks[j])
        });
        i = j + 1;
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn words() {
        assert_eq!(pounds(dec!(-168)), "-£168.00");
        assert_eq!(pounds(dec!(72)), "£72.00");
        assert_eq!(plural(1, "error", "errors"), "1 error");
        assert_eq!(plural(0, "error", "errors"), "0 errors");
        assert_eq!(percent(dec!(0.08)), dec!(8));
        assert_eq!(week_runs(&[1, 2, 3, 4, 6, 7, 9]), "1-4, 6-7, 9");
        assert_eq!(week_runs(&[]), "");
        assert_eq!(date(NaiveDate::from_ymd_opt(2026, 4, 6).unwrap()), "06/04/2026");
    }
}
