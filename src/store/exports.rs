//! Exports: each payment run's lines and the people behind them, so the
//! next run draws only what is new.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use rust_decimal::Decimal;

use super::codec::{conversion, date, iso, money, stamp};
use super::versions::stall_for_test;
use crate::base::digest::sha256_hex;
use crate::engine::ledger::{ExportRecord, ExportedPart, Item, PayLine};
use crate::model::export::Stream;

/// What a stream has exported for a period (repeats aside), each person's
/// share of each line.
///
/// # Errors
/// SQLite's.
pub fn exported_parts(
    conn: &Connection,
    stream: Stream,
    start: NaiveDate,
) -> rusqlite::Result<Vec<ExportedPart>> {
    let mut stmt = conn.prepare(
        "SELECT p.provider_reference, p.person_id, p.amount FROM export_part p \
         JOIN export e ON e.id = p.export_id WHERE e.stream = ?1 AND e.period_start = ?2 \
         ORDER BY p.export_id, p.line, p.person_id",
    )?;
    stmt.query_map(params![stream.as_str(), iso(start)], |row| {
        Ok(ExportedPart {
            provider_reference: row.get(0)?,
            person_id: row.get(1)?,
            amount: money(&row.get::<_, String>(2)?)?,
        })
    })?
    .collect()
}

/// The exports (not repeats) of a period's settlements that carried a line
/// of the provider `reference` (as compared): their numbers, when, and the
/// provider's share of each (its parts' sum), oldest first.
///
/// # Errors
/// SQLite's.
pub fn settlement_exports_of(
    conn: &Connection,
    reference: &str,
    start: NaiveDate,
) -> rusqlite::Result<Vec<(i64, DateTime<Utc>, Decimal)>> {
    let mut stmt = conn.prepare(
        "SELECT e.id, e.exported_at, p.amount FROM export e JOIN export_part p ON p.export_id = e.id \
         WHERE e.stream = 'settlement' AND e.period_start = ?1 AND p.provider_reference = ?2 \
         AND e.repeat_of IS NULL ORDER BY e.id",
    )?;
    let parts = stmt
        .query_map(params![iso(start), reference], |row| {
            let at: String = row.get(1)?;
            Ok((
                row.get::<_, i64>(0)?,
                DateTime::parse_from_rfc3339(&at)
                    .map_err(conversion)?
                    .with_timezone(&Utc),
                money(&row.get::<_, String>(2)?)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    // One entry an export: the provider's share of it.
    let mut out: Vec<(i64, DateTime<Utc>, Decimal)> = Vec::new();
    for (id, at, amount) in parts {
        match out.last_mut() {
            Some(last) if last.0 == id => last.2 += amount,
            _ => out.push((id, at, amount)),
        }
    }
    Ok(out)
}

/// The latest export of `kind` for a period that was not a repeat.
///
/// # Errors
/// SQLite's.
pub fn last_export(
    conn: &Connection,
    kind: &str,
    start: NaiveDate,
) -> rusqlite::Result<Option<ExportRecord>> {
    conn.query_row(
        "SELECT id, kind, lines, total, file, csv, exported_at, officer, repeat_of, period_start \
         FROM export WHERE kind = ?1 AND period_start = ?2 AND repeat_of IS NULL ORDER BY id DESC LIMIT 1",
        params![kind, iso(start)],
        export_from,
    )
    .optional()
}

/// Every export of a period, oldest first.
///
/// # Errors
/// SQLite's.
pub fn exports(conn: &Connection, start: NaiveDate) -> rusqlite::Result<Vec<ExportRecord>> {
    let mut stmt = conn.prepare(
        "SELECT id, kind, lines, total, file, csv, exported_at, officer, repeat_of, period_start \
         FROM export WHERE period_start = ?1 ORDER BY id",
    )?;
    stmt.query_map(params![iso(start)], export_from)?.collect()
}

pub(super) fn export_from(row: &rusqlite::Row<'_>) -> rusqlite::Result<ExportRecord> {
    Ok(ExportRecord {
        id: row.get(0)?,
        kind: row.get(1)?,
        lines: row.get(2)?,
        total: money(&row.get::<_, String>(3)?)?,
        file: row.get(4)?,
        csv: row.get(5)?,
        exported_at: DateTime::parse_from_rfc3339(&row.get::<_, String>(6)?)
            .map_err(conversion)?
            .with_timezone(&Utc),
        officer: row.get(7)?,
        repeat_of: row.get(8)?,
        period_start: date(&row.get::<_, String>(9)?)?,
    })
}

/// An export by its number.
///
/// # Errors
/// SQLite's.
pub fn export_by_id(conn: &Connection, id: i64) -> rusqlite::Result<Option<ExportRecord>> {
    conn.query_row(
        "SELECT id, kind, lines, total, file, csv, exported_at, officer, repeat_of, period_start \
         FROM export WHERE id = ?1",
        [id],
        export_from,
    )
    .optional()
}

/// The number the next export gets (inside the caller's write transaction,
/// so no other run can take it), for the reference its lines carry.
///
/// # Errors
/// SQLite's.
pub fn next_export_id(tx: &Transaction<'_>) -> rusqlite::Result<i64> {
    tx.query_row("SELECT coalesce(max(id), 0) + 1 FROM export", [], |row| {
        row.get(0)
    })
}

/// Every period the ledger holds, oldest first.
///
/// # Errors
/// SQLite's.
pub fn periods(conn: &Connection) -> rusqlite::Result<Vec<NaiveDate>> {
    let mut stmt = conn.prepare("SELECT DISTINCT period_start FROM reconciliation ORDER BY period_start")?;
    let texts: Vec<String> = stmt
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    texts.iter().map(|t| date(t)).collect()
}

/// An export to record.
pub struct NewExport<'a> {
    /// From [`next_export_id`].
    pub id: i64,
    pub kind: &'a str,
    pub stream: Stream,
    pub period_start: NaiveDate,
    pub repeat_of: Option<i64>,
    /// The lines written, in CSV order (none for a repeat: a repeat pays
    /// nothing new).
    pub lines: &'a [PayLine<'a>],
    pub line_count: usize,
    pub total: Decimal,
    pub file: Option<&'a str>,
    pub csv: &'a [u8],
    pub officer: &'a str,
    pub at: DateTime<Utc>,
}

fn item_str(item: Item) -> &'static str {
    match item {
        Item::First => "first",
        Item::ReleasedHold => "released hold",
        Item::Difference => "difference",
    }
}

/// Record an export and each person's share of each line, in the caller's
/// transaction; its id.
///
/// # Errors
/// SQLite's.
pub fn insert_export(tx: &Transaction<'_>, e: &NewExport<'_>) -> rusqlite::Result<i64> {
    tx.execute(
        "INSERT INTO export (id, kind, stream, period_start, repeat_of, lines, total, file, csv, \
         csv_sha256, tool_version, exported_at, officer) VALUES (?13, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, \
         ?10, ?11, ?12)",
        params![
            e.kind,
            e.stream.as_str(),
            iso(e.period_start),
            e.repeat_of,
            e.line_count as i64,
            e.total.to_string(),
            e.file,
            e.csv,
            sha256_hex(e.csv),
            env!("CARGO_PKG_VERSION"),
            stamp(e.at),
            e.officer,
            e.id,
        ],
    )?;
    let id = e.id;
    let mut part = tx.prepare_cached(
        "INSERT INTO export_part (export_id, line, reconciliation_id, provider_reference, person_id, \
         item, amount) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for (i, line) in e.lines.iter().enumerate() {
        if i == e.lines.len() / 2 && i > 0 {
            stall_for_test(false);
        }
        for p in &line.parts {
            part.execute(params![
                id,
                i as i64 + 1,
                line.version.recorded.id,
                line.version.recorded.provider_reference,
                p.person_id,
                item_str(line.item),
                p.amount.to_string(),
            ])?;
        }
    }
    Ok(id)
}
