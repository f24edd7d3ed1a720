//! The text forms of values in the ledger's columns: ISO dates, RFC 3339
//! stamps, exact decimals, statuses; a column that does not parse is an
//! SQLite conversion error.

use std::str::FromStr;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rust_decimal::Decimal;

use crate::engine::PersonStatus;

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

pub fn person_status(text: &str) -> PersonStatus {
    match text {
        "referred" => PersonStatus::Referred,
        "no_care" => PersonStatus::NoCare,
        _ => PersonStatus::WithinTolerance,
    }
}
