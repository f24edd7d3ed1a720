//! The text forms of values in the ledger's columns: ISO dates, RFC 3339
//! stamps, exact decimals, statuses; a column that does not parse is an
//! SQLite conversion error.

use std::str::FromStr;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rust_decimal::Decimal;

use crate::base::text::escape_field;
use crate::engine::PersonStatus;
use crate::engine::ledger::DecisionRecord;
use crate::model::settings::Action;

pub fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

pub fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub fn conversion(e: impl std::error::Error + Send + Sync + 'static) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
}

pub fn date(text: &str) -> rusqlite::Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(conversion)
}

pub fn money(text: &str) -> rusqlite::Result<Decimal> {
    Decimal::from_str(text).map_err(conversion)
}

/// An export's kind as recorded (the schema's CHECK allows only these).
pub fn export_kind(text: &str) -> rusqlite::Result<crate::model::export::ExportKind> {
    crate::model::export::ExportKind::named(text).ok_or_else(|| {
        conversion(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("\"{text}\" is not an export kind"),
        ))
    })
}

pub fn person_status(text: &str) -> PersonStatus {
    match text {
        "referred" => PersonStatus::Referred,
        "no_care" => PersonStatus::NoCare,
        _ => PersonStatus::WithinTolerance,
    }
}

/// A field of a decisions line read back ([`escape_field`] undone).
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// The `decisions` column: one line per decision, Person ID, action,
/// officer and reason tab-separated (each field escaped).
pub fn decisions_text(decisions: &[DecisionRecord]) -> String {
    decisions
        .iter()
        .map(|d| {
            format!(
                "{}\t{}\t{}\t{}",
                escape_field(&d.person_id),
                d.action.as_str(),
                escape_field(&d.officer),
                escape_field(&d.reason)
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The `decisions` column read back, in the engine's order.
///
/// # Errors
/// A line that is not four fields with a known action.
pub fn decisions(text: &str) -> rusqlite::Result<Vec<DecisionRecord>> {
    let mut out = Vec::new();
    for line in text.lines().filter(|l| !l.is_empty()) {
        let fields: Vec<&str> = line.split('\t').collect();
        let [person_id, action, officer, reason] = fields[..] else {
            return Err(conversion(Unreadable(line.to_string())));
        };
        let action = match action {
            "authorise" => Action::Authorise,
            "hold" => Action::Hold,
            _ => return Err(conversion(Unreadable(line.to_string()))),
        };
        out.push(DecisionRecord {
            person_id: unescape(person_id),
            action,
            officer: unescape(officer),
            reason: unescape(reason),
        });
    }
    out.sort();
    Ok(out)
}

/// A `decisions` line that is not a decision.
#[derive(Debug, thiserror::Error)]
#[error("a recorded decision cannot be read: {0:?}")]
struct Unreadable(String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_read_back_as_written_whatever_the_reason_holds() {
        let written = vec![
            DecisionRecord {
                person_id: "P1".into(),
                action: Action::Authorise,
                officer: "Ann Jones".into(),
                reason: "two lines\nand a\ttab, a back\\slash".into(),
            },
            DecisionRecord {
                person_id: "P2".into(),
                action: Action::Hold,
                officer: "Bob".into(),
                reason: String::new(),
            },
        ];
        let text = decisions_text(&written);
        assert_eq!(text.lines().count(), 2);
        assert_eq!(decisions(&text).unwrap(), written);
        // The form recorded before fields were escaped reads the same.
        assert_eq!(
            decisions("P2\thold\tBob\t\nP1\tauthorise\tAnn\tok").unwrap()[0].person_id,
            "P1"
        );
        assert!(decisions("P1\tpay\tAnn\tok").is_err());
    }
}
