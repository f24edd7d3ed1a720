//! The ledger's own checks: its schema against what this version makes,
//! SQLite's integrity check and foreign keys, and the hash chain; a break
//! in words naming the first record that fails.

use rusqlite::{Connection, OptionalExtension};

use super::chain::{self, Break, Unit};
use crate::engine::ledger::Health;

/// Every ledger check SQLite can make: `PRAGMA integrity_check` and the
/// foreign keys. `Ok(())` when both are clean.
///
/// # Errors
/// What the checks found, or SQLite's.
pub fn check_integrity(conn: &Connection) -> Result<(), String> {
    let result: String = conn
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .map_err(|e| e.to_string())?;
    if result != "ok" {
        return Err(result);
    }
    let broken: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |row| {
            row.get(0)
        })
        .map_err(|e| e.to_string())?;
    if broken > 0 {
        return Err(format!("{broken} rows break a foreign key"));
    }
    Ok(())
}

/// The ledger's schema as this version makes it: every table, index and
/// trigger, with the SQL that made it, from a new ledger built in memory.
fn expected_schema() -> rusqlite::Result<Vec<(String, String, Option<String>)>> {
    let mut fresh = Connection::open_in_memory()?;
    super::migrations().to_latest(&mut fresh).map_err(|e| match e {
        rusqlite_migration::Error::RusqliteError { err, .. } => err,
        other => rusqlite::Error::ToSqlConversionFailure(Box::new(other)),
    })?;
    schema_of(&fresh)
}

/// (type, name, sql) of every object but SQLite's own, by name.
fn schema_of(conn: &Connection) -> rusqlite::Result<Vec<(String, String, Option<String>)>> {
    let mut stmt = conn
        .prepare("SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name")?;
    stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
        .collect()
}

/// How the ledger's schema differs from what this version made: the first
/// table, index or trigger missing, changed or added, in words; `None`
/// when it is the same. A dropped trigger would let a row be changed in
/// place; a dropped table would lose records.
///
/// # Errors
/// SQLite's.
pub fn schema_difference(conn: &Connection) -> rusqlite::Result<Option<String>> {
    let expected = expected_schema()?;
    let found = schema_of(conn)?;
    for (kind, name, sql) in &expected {
        match found.iter().find(|(_, n, _)| n == name) {
            None => return Ok(Some(format!("its {kind} `{name}` is missing"))),
            Some((k, _, s)) if k != kind || s != sql => {
                return Ok(Some(format!("its {kind} `{name}` is not as yourchoice made it")));
            }
            Some(_) => {}
        }
    }
    if let Some((kind, name, _)) = found
        .iter()
        .find(|(_, n, _)| !expected.iter().any(|(_, e, _)| e == n))
    {
        return Ok(Some(format!(
            "it has a {kind} `{name}` that yourchoice did not make"
        )));
    }
    Ok(None)
}

/// Check a ledger: its schema (tables, columns, triggers), SQLite's own
/// integrity and foreign keys, then every link of its hash chain.
///
/// # Errors
/// SQLite's, other than what a damaged schema makes it say (which is a
/// break).
pub fn health(conn: &Connection) -> rusqlite::Result<Health> {
    let broken = |why: String| Health {
        links: 0,
        head: None,
        broken: Some(why),
    };
    if let Some(why) = schema_difference(conn)? {
        return Ok(broken(why));
    }
    if let Err(why) = check_integrity(conn) {
        return Ok(broken(format!("SQLite finds it damaged ({why})")));
    }
    Ok(match chain::verify(conn)? {
        Ok(v) => Health {
            links: v.links,
            head: v.head,
            broken: None,
        },
        Err(b) => Health {
            links: 0,
            head: None,
            broken: Some(describe(conn, &b)?),
        },
    })
}

/// A break in words: which record, and what was found.
fn describe(conn: &Connection, b: &Break) -> rusqlite::Result<String> {
    Ok(match b {
        Break::LinkMissing { after } => format!(
            "link {} of its hash chain has been deleted (the links run to {after}, then skip)",
            after + 1
        ),
        Break::RecordDeleted { seq, unit, id } => {
            format!(
                "{} has been deleted (chain link {seq})",
                record(conn, *unit, *id)?
            )
        }
        Break::RecordChanged { seq, unit, id } => format!(
            "{} is not as it was recorded: a row of it was edited, deleted or added (chain link {seq})",
            record(conn, *unit, *id)?
        ),
        Break::LinkChanged { seq } => format!("link {seq} of its hash chain has been edited"),
        Break::Unlinked { unit, id } => format!(
            "{} is in no link of its hash chain: it was added outside yourchoice",
            record(conn, *unit, *id)?
        ),
        Break::Unknown { seq } => format!("link {seq} of its hash chain is not one yourchoice makes"),
    })
}

/// A record as an officer knows it.
fn record(conn: &Connection, unit: Unit, id: i64) -> rusqlite::Result<String> {
    let found = match unit {
        Unit::Version => conn
            .query_row(
                "SELECT provider_reference, period_start, version FROM reconciliation WHERE id = ?1",
                [id],
                |row| {
                    Ok(format!(
                        "the return of {} for the period from {} (version {}, record {id})",
                        row.get::<_, String>(0)?,
                        uk_date(&row.get::<_, String>(1)?),
                        row.get::<_, i64>(2)?
                    ))
                },
            )
            .optional()?,
        Unit::Export => conn
            .query_row(
                "SELECT kind, period_start FROM export WHERE id = ?1",
                [id],
                |row| {
                    Ok(format!(
                        "export {id} ({} for the period from {})",
                        row.get::<_, String>(0)?,
                        uk_date(&row.get::<_, String>(1)?)
                    ))
                },
            )
            .optional()?,
        Unit::Payment => conn
            .query_row(
                "SELECT file_name, recorded_at FROM payment_run WHERE id = ?1",
                [id],
                |row| {
                    Ok(format!(
                        "payment record {id} (the paid file {} recorded {})",
                        row.get::<_, String>(0)?,
                        uk_date(row.get::<_, String>(1)?.get(..10).unwrap_or_default())
                    ))
                },
            )
            .optional()?,
    };
    Ok(found.unwrap_or_else(|| match unit {
        Unit::Version => format!("the return recorded as record {id}"),
        Unit::Export => format!("export {id}"),
        Unit::Payment => format!("payment record {id}"),
    }))
}

/// A recorded ISO date as people read it (as recorded, if it is not one).
fn uk_date(iso: &str) -> String {
    chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map_or_else(|_| iso.to_string(), crate::base::text::date)
}
