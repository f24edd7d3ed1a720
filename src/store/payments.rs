//! What finance reports paid (schema 3): every export's lines as its file
//! wrote them, the payments recorded, and a `paid` run recorded as one
//! unit (its `payment_run` row and its `payment` rows).

use crate::model::export::ExportKind;
use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, Transaction, params};
use rust_decimal::Decimal;

use super::codec::{conversion, date, iso, money, stamp};
use super::exports::export_from;
use crate::engine::ledger::{ExportLine, ExportRecord, Item, PaymentRecord, ToRecord};

fn item(text: &str) -> Item {
    match text {
        "released hold" => Item::ReleasedHold,
        "difference" => Item::Difference,
        _ => Item::First,
    }
}

fn utc(text: &str) -> rusqlite::Result<DateTime<Utc>> {
    Ok(DateTime::parse_from_rfc3339(text)
        .map_err(conversion)?
        .with_timezone(&Utc))
}

/// Every export, oldest first (repeats included: a repeat's reference maps
/// to its original).
///
/// # Errors
/// SQLite's.
pub fn all_exports(conn: &Connection) -> rusqlite::Result<Vec<ExportRecord>> {
    let mut stmt = conn.prepare(
        "SELECT id, kind, lines, total, file, x'', exported_at, officer, repeat_of, period_start \
         FROM export ORDER BY id",
    )?;
    stmt.query_map([], export_from)?.collect()
}

/// Every line of every export (a repeat has none of its own), its parts
/// summed, with the version it came from; `period`: only that period's.
///
/// # Errors
/// SQLite's.
pub fn export_lines(conn: &Connection, period: Option<NaiveDate>) -> rusqlite::Result<Vec<ExportLine>> {
    let mut stmt = conn.prepare(
        "SELECT p.export_id, e.kind, p.line, e.period_start, e.exported_at, p.provider_reference, \
         r.provider_name, p.person_id, r.version, p.item, p.amount, r.submitted, r.recorded_at \
         FROM export_part p JOIN export e ON e.id = p.export_id \
         JOIN reconciliation r ON r.id = p.reconciliation_id \
         WHERE ?1 IS NULL OR e.period_start = ?1 \
         ORDER BY p.export_id, p.line, p.person_id",
    )?;
    let mut lines: BTreeMap<(i64, i64), ExportLine> = BTreeMap::new();
    let mut rows = stmt.query([period.map(iso)])?;
    while let Some(row) = rows.next()? {
        let key: (i64, i64) = (row.get(0)?, row.get(2)?);
        let amount = money(&row.get::<_, String>(10)?)?;
        if let Some(line) = lines.get_mut(&key) {
            line.signed += amount;
            continue;
        }
        let kind = super::codec::export_kind(&row.get::<_, String>(1)?)?;
        let person: String = row.get(7)?;
        let line = ExportLine {
            export_id: key.0,
            line: key.1,
            period_start: date(&row.get::<_, String>(3)?)?,
            exported_on: utc(&row.get::<_, String>(4)?)?.date_naive(),
            provider_reference: row.get(5)?,
            provider_name: row.get(6)?,
            person_id: (!matches!(kind, ExportKind::Payments | ExportKind::Invoices)).then_some(person),
            kind,
            version: row.get(8)?,
            item: item(&row.get::<_, String>(9)?),
            signed: amount,
            submitted: row.get::<_, Option<String>>(11)?.map(|s| date(&s)).transpose()?,
            version_recorded_on: utc(&row.get::<_, String>(12)?)?.date_naive(),
        };
        lines.insert(key, line);
    }
    Ok(lines.into_values().collect())
}

/// Every export line recorded paid, in export and line order.
///
/// # Errors
/// SQLite's.
pub fn payments(conn: &Connection) -> rusqlite::Result<Vec<PaymentRecord>> {
    let mut stmt = conn.prepare(
        "SELECT payment_run_id, export_id, line, invoice_number, paid_on, payment_reference, amount, \
         file_name, file_line, recorded_at, officer FROM payment ORDER BY export_id, line",
    )?;
    stmt.query_map([], |row| {
        Ok(PaymentRecord {
            run_id: row.get(0)?,
            export_id: row.get(1)?,
            line: row.get(2)?,
            invoice_number: row.get(3)?,
            paid_on: date(&row.get::<_, String>(4)?)?,
            payment_reference: row.get(5)?,
            amount: money(&row.get::<_, String>(6)?)?,
            file_name: row.get(7)?,
            file_line: row.get(8)?,
            recorded_at: utc(&row.get::<_, String>(9)?)?,
            officer: row.get(10)?,
        })
    })?
    .collect()
}

/// The payments recorded against the lines of a provider's period in the
/// settlement exports (payments and invoices): export, date paid, payment
/// reference, oldest export first.
///
/// # Errors
/// SQLite's.
pub fn settlement_payments_of(
    conn: &Connection,
    reference: &str,
    start: NaiveDate,
) -> rusqlite::Result<Vec<(i64, NaiveDate, String)>> {
    let mut stmt = conn.prepare(
        "SELECT DISTINCT y.export_id, y.paid_on, y.payment_reference FROM payment y \
         JOIN export e ON e.id = y.export_id \
         JOIN export_part p ON p.export_id = y.export_id AND p.line = y.line \
         WHERE e.stream = 'settlement' AND e.period_start = ?1 AND p.provider_reference = ?2 \
         ORDER BY y.export_id, y.paid_on, y.payment_reference",
    )?;
    stmt.query_map(params![iso(start), reference], |row| {
        Ok((row.get(0)?, date(&row.get::<_, String>(1)?)?, row.get(2)?))
    })?
    .collect()
}

/// A `paid` run to record.
pub struct NewPaymentRun<'a> {
    pub file_name: &'a str,
    pub file_sha256: &'a str,
    pub lines: &'a [ToRecord],
    pub officer: &'a str,
    pub at: DateTime<Utc>,
}

impl NewPaymentRun<'_> {
    /// The lines' amounts as written, summed.
    pub fn total(&self) -> Decimal {
        self.lines.iter().map(|l| l.amount).sum()
    }
}

/// Record a `paid` run and each line it reports paid, in the caller's
/// transaction; its id.
///
/// # Errors
/// SQLite's (a line recorded paid twice breaks `UNIQUE (export_id, line)`).
pub fn insert_payment_run(tx: &Transaction<'_>, run: &NewPaymentRun<'_>) -> rusqlite::Result<i64> {
    let id: i64 = tx.query_row("SELECT coalesce(max(id), 0) + 1 FROM payment_run", [], |row| {
        row.get(0)
    })?;
    let at = stamp(run.at);
    tx.execute(
        "INSERT INTO payment_run (id, file_name, file_sha256, lines, total, tool_version, recorded_at, \
         officer) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            id,
            run.file_name,
            run.file_sha256,
            run.lines.len() as i64,
            run.total().to_string(),
            env!("CARGO_PKG_VERSION"),
            at,
            run.officer,
        ],
    )?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO payment (payment_run_id, export_id, line, invoice_number, paid_on, payment_reference, \
         amount, file_name, file_sha256, file_line, recorded_at, officer) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?;
    for l in run.lines {
        insert.execute(params![
            id,
            l.export_id,
            l.line,
            l.invoice_number,
            iso(l.paid_on),
            l.payment_reference,
            l.amount.to_string(),
            run.file_name,
            run.file_sha256,
            l.file_line as i64,
            at,
            run.officer,
        ])?;
    }
    Ok(id)
}
