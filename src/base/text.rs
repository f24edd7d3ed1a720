//! Wording every part of the tool shares: dates, money, counts and weekdays
//! as people read them. One function per piece, so the reader's messages,
//! the engine's findings and every writer say a thing the same way.

use chrono::{NaiveDate, Weekday};
use rust_decimal::Decimal;

use crate::base::units::format_money;

/// Text from a file made safe to print on a terminal: every control
/// character (ESC, BEL, a line break typed in a cell) is shown escaped
/// (`\u{1b}`), so a cell can never move the cursor, ring the bell or
/// break a line.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_unicode().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// The first character of `text` that does not show on a screen or page:
/// a control character, a zero-width or joining character, a no-break or
/// other odd space, a direction mark, a byte-order mark. In a key (a Person
/// ID, a provider reference) one makes two IDs that read alike differ.
pub fn unseen_char(text: &str) -> Option<char> {
    text.chars().find(|c| {
        c.is_control()
            || matches!(
                c,
                '\u{00A0}'
                    | '\u{00AD}'
                    | '\u{034F}'
                    | '\u{061C}'
                    | '\u{115F}'
                    | '\u{1160}'
                    | '\u{17B4}'
                    | '\u{17B5}'
                    | '\u{180E}'
                    | '\u{2000}'..='\u{200F}'
                    | '\u{2028}'..='\u{202F}'
                    | '\u{205F}'..='\u{206F}'
                    | '\u{3000}'
                    | '\u{3164}'
                    | '\u{FE00}'..='\u{FE0F}'
                    | '\u{FEFF}'
                    | '\u{FFA0}'
                    | '\u{FFF0}'..='\u{FFFB}'
            )
    })
}

/// Text made one field of a tab-separated line: backslash, tab, line
/// break and carriage return escaped (`\\`, `\t`, `\n`, `\r`), so no
/// value can pass for two (the ledger's decisions column, the fingerprint).
pub fn escape_field(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('\t', "\\t")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
}

/// The ways a date may be typed (SPEC 7): for messages.
pub const DATE_FORMS: &str = "dd/mm/yyyy or yyyy-mm-dd";

/// A date as finance systems and JSON want it: `2026-04-06`.
pub fn iso_date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Hours for people to read, to at most two decimals, thousands
/// separated: `95.33`, `10`, `4,507.58`.
pub fn hours(h: crate::base::units::Hours) -> String {
    let text = h.rounded(2).normalize().to_string();
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    match digits.split_once('.') {
        Some((whole, part)) => format!("{sign}{}.{part}", thousands(whole)),
        None => format!("{sign}{}", thousands(digits)),
    }
}

/// An amount of hours with its noun: `1 hour`, `0.5 hours`, `12 hours`;
/// `about 91.33 hours` when two decimals are not the exact figure (91
/// hours 20 minutes), so a rounded figure never passes for an exact one.
pub fn hours_of(h: crate::base::units::Hours) -> String {
    let n = hours(h);
    if h.rounded(2) != h.as_hours() {
        format!("about {n} hours")
    } else if n == "1" {
        "1 hour".to_string()
    } else {
        format!("{n} hours")
    }
}

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

/// Why a date cannot start a period: `a Tuesday: a period starts on the
/// first day of a financial week, a Monday`.
pub fn not_a_week_start(day: NaiveDate, week_start: Weekday) -> String {
    use chrono::Datelike;
    format!(
        "a {}: a period starts on the first day of a financial week, a {}",
        weekday(day.weekday()),
        weekday(week_start)
    )
}

/// A rate for people to read, never rounded: `£24.85`, `£25.125`, `£24.00`.
pub fn rate(amount: Decimal) -> String {
    let dp = amount.normalize().scale().max(2);
    format!("£{}", crate::base::units::format_fixed(amount, dp))
}

/// An amount for people to read: `£72.00`, `-£168.00`, `£1,209.38`.
pub fn pounds(amount: Decimal) -> String {
    let text = format_money(amount);
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (whole, pence) = digits.split_once('.').unwrap_or((digits, "00"));
    format!("{sign}£{}.{pence}", thousands(whole))
}

/// Digits with a comma between thousands: `4507` -> `4,507`.
pub fn thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
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
        assert_eq!(pounds(dec!(1209.375)), "£1,209.38");
        assert_eq!(pounds(dec!(-1234567.8)), "-£1,234,567.80");
        assert_eq!(pounds(dec!(999.99)), "£999.99");
        assert_eq!(rate(dec!(24.85)), "£24.85");
        assert_eq!(rate(dec!(25.125)), "£25.125");
        assert_eq!(rate(dec!(24)), "£24.00");
        assert_eq!(plural(1, "error", "errors"), "1 error");
        assert_eq!(plural(0, "error", "errors"), "0 errors");
        assert_eq!(percent(dec!(0.08)), dec!(8));
        assert_eq!(week_runs(&[1, 2, 3, 4, 6, 7, 9]), "1-4, 6-7, 9");
        assert_eq!(week_runs(&[]), "");
        assert_eq!(date(NaiveDate::from_ymd_opt(2026, 4, 6).unwrap()), "06/04/2026");
        assert_eq!(printable("a\u{1b}[31mb\u{7}"), "a\\u{1b}[31mb\\u{7}");
        assert_eq!(printable("Gwen Hughes"), "Gwen Hughes");
    }
}
