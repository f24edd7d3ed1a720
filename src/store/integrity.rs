//! The ledger's own checks: SQLite's integrity check and foreign keys.

use rusqlite::Connection;

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
