//! The hash chain that makes the ledger tamper-evident.
//!
//! Every record the ledger keeps is one *unit*: a version of a return (its
//! `reconciliation` row with its `person`, `finding` and `settings_file`
//! rows) or an export (its `export` row with its `export_part` rows). Each
//! unit, when recorded, gets a link in `chain`: SHA-256 over the previous
//! link's hash, the unit's kind and id, and a canonical encoding of every
//! column of every row of the unit. Verifying recomputes every link from
//! the first: a row edited, deleted or inserted behind the tool's back, a
//! link removed, or a record that has no link, breaks the chain at the
//! first place it was touched.
//!
//! A chain can be recomputed by whoever edits the file, so the head (the
//! last link's hash) is also written outside it: into each export and each
//! report's Audit sheet. Verifying against a head noted there catches a
//! ledger rewritten end to end (the head is then not among its links).
//!
//! Units are keyed by their natural keys (the record's id and each row's
//! `seq` or `line`), never by SQLite's hidden rowids, which a `VACUUM` may
//! renumber.

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

/// The "previous hash" of the first link.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What a link covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// A version of a return: `reconciliation` and its rows.
    Version,
    /// An export: `export` and its `export_part` rows.
    Export,
    /// A `paid` run: `payment_run` and its `payment` rows (schema 3).
    Payment,
}

impl Unit {
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Version => "reconciliation",
            Unit::Export => "export",
            Unit::Payment => "payment",
        }
    }

    fn parse(text: &str) -> Option<Unit> {
        match text {
            "reconciliation" => Some(Unit::Version),
            "export" => Some(Unit::Export),
            "payment" => Some(Unit::Payment),
            _ => None,
        }
    }

    /// The unit's tables: its own row, then the rows that belong to it, each
    /// with the columns encoded (schema 1's, in order) and the key they are
    /// found and ordered by.
    fn tables(self) -> &'static [Table] {
        match self {
            Unit::Version => &VERSION_TABLES,
            Unit::Export => &EXPORT_TABLES,
            Unit::Payment => &PAYMENT_TABLES,
        }
    }
}

/// One table of a unit.
struct Table {
    name: &'static str,
    columns: &'static str,
    /// The column that ties a row to the unit's id.
    of: &'static str,
    order: &'static str,
}

const VERSION_TABLES: [Table; 4] = [
    Table {
        name: "reconciliation",
        columns: "id, provider_reference, provider_name, period_start, period_end, version, supersedes, \
                  change, reason, file_name, file_sha256, fingerprint, status, submitted, late, decisions, \
                  authorised, held, held_payments, held_recoveries, held_count, referred_count, \
                  within_tolerance_count, no_care_count, overcharge_refunds, refund_count, \
                  commissioned_seconds, delivered_seconds, result_json, tool_version, recorded_at, officer",
        of: "id",
        order: "id",
    },
    Table {
        name: "person",
        columns: "reconciliation_id, seq, person_id, name, status, commissioned_hours, delivered_hours, \
                  net_variance_hours, variance_percent, tolerance_hours, bank_peak_hours, settlement, \
                  authorised, method, decision_action, decision_officer, decision_reason, decision_source, \
                  change_first_week, change_last_week, change_direction, charged, cost_of_care_received, \
                  overcharge",
        of: "reconciliation_id",
        order: "seq",
    },
    Table {
        name: "finding",
        columns: "reconciliation_id, seq, severity, code, message, cell, person_id",
        of: "reconciliation_id",
        order: "seq",
    },
    Table {
        name: "settings_file",
        columns: "reconciliation_id, role, path, sha256",
        of: "reconciliation_id",
        order: "role, path, sha256",
    },
];

const EXPORT_TABLES: [Table; 2] = [
    Table {
        name: "export",
        columns: "id, kind, stream, period_start, repeat_of, lines, total, file, csv, csv_sha256, \
                  tool_version, exported_at, officer",
        of: "id",
        order: "id",
    },
    Table {
        name: "export_part",
        columns: "export_id, line, reconciliation_id, provider_reference, person_id, item, amount",
        of: "export_id",
        order: "line, reconciliation_id, person_id, item, amount",
    },
];

const PAYMENT_TABLES: [Table; 2] = [
    Table {
        name: "payment_run",
        columns: "id, file_name, file_sha256, lines, total, tool_version, recorded_at, officer",
        of: "id",
        order: "id",
    },
    Table {
        name: "payment",
        columns: "id, payment_run_id, export_id, line, invoice_number, paid_on, payment_reference, amount, \
                  file_name, file_sha256, file_line, recorded_at, officer",
        of: "payment_run_id",
        order: "export_id, line, id",
    },
];

/// One value, typed and length-prefixed, so no two rows encode alike.
fn encode(out: &mut Sha256, value: ValueRef<'_>) {
    match value {
        ValueRef::Null => out.update(b"N"),
        ValueRef::Integer(i) => out.update(format!("I{i};")),
        ValueRef::Real(f) => out.update(format!("R{:016x};", f.to_bits())),
        ValueRef::Text(t) => {
            out.update(format!("T{}:", t.len()));
            out.update(t);
        }
        ValueRef::Blob(b) => {
            out.update(format!("B{}:", b.len()));
            out.update(b);
        }
    }
}

/// The SHA-256 of a unit's rows, as hex; `None` when its own row is gone.
fn content(conn: &Connection, unit: Unit, id: i64) -> rusqlite::Result<Option<String>> {
    let mut digest = Sha256::new();
    for (i, table) in unit.tables().iter().enumerate() {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {} FROM {} WHERE {} = ?1 ORDER BY {}",
            table.columns, table.name, table.of, table.order
        ))?;
        let width = stmt.column_count();
        let mut rows = stmt.query([id])?;
        let mut count = 0usize;
        while let Some(row) = rows.next()? {
            digest.update(format!("{}#{count}|", table.name));
            for c in 0..width {
                encode(&mut digest, row.get_ref(c)?);
            }
            count += 1;
        }
        if i == 0 && count == 0 {
            return Ok(None);
        }
        digest.update(format!("{}={count}\n", table.name));
    }
    Ok(Some(hex(&digest.finalize())))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A link's hash: over the previous hash, the unit and its content.
fn link_hash(prev: &str, unit: Unit, id: i64, content: &str) -> String {
    let mut digest = Sha256::new();
    digest.update(format!(
        "yourchoice.chain/1\n{prev}\n{}\n{id}\n{content}\n",
        unit.as_str()
    ));
    hex(&digest.finalize())
}

/// The last link: its number and hash; `None` for an empty chain.
///
/// # Errors
/// SQLite's.
pub fn head(conn: &Connection) -> rusqlite::Result<Option<(i64, String)>> {
    conn.query_row(
        "SELECT seq, hash FROM chain ORDER BY seq DESC LIMIT 1",
        [],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )
    .optional()
}

/// The head's hash, or [`GENESIS`] for a ledger with nothing recorded.
///
/// # Errors
/// SQLite's.
pub fn head_hash(conn: &Connection) -> rusqlite::Result<String> {
    Ok(head(conn)?.map_or_else(|| GENESIS.to_string(), |(_, hash)| hash))
}

/// The hash of a unit's own link, if it has one.
///
/// # Errors
/// SQLite's.
pub fn link_of(conn: &Connection, unit: Unit, id: i64) -> rusqlite::Result<Option<String>> {
    conn.query_row(
        "SELECT hash FROM chain WHERE unit = ?1 AND record_id = ?2",
        params![unit.as_str(), id],
        |row| row.get(0),
    )
    .optional()
}

/// Link a unit just recorded (in the caller's transaction) to the chain;
/// the new head.
///
/// # Errors
/// SQLite's; a unit whose row is missing is a conversion error.
pub fn append(conn: &Connection, unit: Unit, id: i64) -> rusqlite::Result<String> {
    let (seq, prev) = head(conn)?.unwrap_or((0, GENESIS.to_string()));
    let Some(content) = content(conn, unit, id)? else {
        return Err(rusqlite::Error::QueryReturnedNoRows);
    };
    let hash = link_hash(&prev, unit, id, &content);
    conn.execute(
        "INSERT INTO chain (seq, unit, record_id, hash) VALUES (?1, ?2, ?3, ?4)",
        params![seq + 1, unit.as_str(), id, hash],
    )?;
    Ok(hash)
}

/// Link every record of a ledger made before the chain (schema 1), in the
/// order they were recorded: run once, by the migration that adds the
/// chain, never again (a chain deleted later is a break, not a start).
///
/// # Errors
/// SQLite's.
pub fn link_existing(conn: &Connection) -> rusqlite::Result<Result<(), String>> {
    // A record made by a version that keeps the chain (0.2.0 on) in a
    // ledger that has none: the chain was removed, and `user_version` set
    // back, outside yourchoice. Linking it afresh would bless the edit.
    let mut any =
        conn.prepare("SELECT tool_version FROM reconciliation UNION ALL SELECT tool_version FROM export")?;
    let versions: Vec<String> = any
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if versions.iter().any(|v| keeps_chain(v)) {
        return Ok(Err(CHAIN_REMOVED.to_string()));
    }
    let mut stmt = conn.prepare(
        "SELECT 'reconciliation', id, recorded_at FROM reconciliation \
         UNION ALL SELECT 'export', id, exported_at FROM export ORDER BY 3, 1 DESC, 2",
    )?;
    let units: Vec<(String, i64)> = stmt
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (unit, id) in units {
        let unit = Unit::parse(&unit).unwrap_or(Unit::Version);
        append(conn, unit, id)?;
    }
    Ok(Ok(()))
}

/// Why a ledger is refused whose chain was removed with its schema version
/// set back.
pub const CHAIN_REMOVED: &str = "it holds records made by a yourchoice that keeps the hash chain, but no chain: the chain was removed outside yourchoice";

/// Whether a record's `tool_version` is one that keeps the chain (0.2.0
/// and later).
fn keeps_chain(version: &str) -> bool {
    let mut parts = version.split('.').map(|p| p.parse::<u64>().unwrap_or(0));
    let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    (major, minor) >= (0, 2)
}

/// Where a chain is broken: the first place, in words an officer can act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Break {
    /// A link is missing: the links jump from one number to another.
    LinkMissing { after: i64 },
    /// A link names a record that is no longer in the ledger.
    RecordDeleted { seq: i64, unit: Unit, id: i64 },
    /// A record's rows are not what was linked: edited, deleted or added.
    RecordChanged { seq: i64, unit: Unit, id: i64 },
    /// A link's own hash was changed.
    LinkChanged { seq: i64 },
    /// A record no link covers: added behind the tool's back.
    Unlinked { unit: Unit, id: i64 },
    /// A link of an unknown kind.
    Unknown { seq: i64 },
}

/// A chain that holds: how many links, and its head.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    pub links: i64,
    pub head: Option<String>,
}

/// Recompute every link from the first; the first break found, if any.
///
/// # Errors
/// SQLite's.
pub fn verify(conn: &Connection) -> rusqlite::Result<Result<Verified, Break>> {
    let mut stmt = conn.prepare("SELECT seq, unit, record_id, hash FROM chain ORDER BY seq")?;
    let links: Vec<(i64, String, i64, String)> = stmt
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut prev = GENESIS.to_string();
    let mut expected_seq = 1;
    for (i, (seq, unit, id, hash)) in links.iter().enumerate() {
        if *seq != expected_seq {
            return Ok(Err(Break::LinkMissing {
                after: expected_seq - 1,
            }));
        }
        let Some(unit) = Unit::parse(unit) else {
            return Ok(Err(Break::Unknown { seq: *seq }));
        };
        let Some(rows) = content(conn, unit, *id)? else {
            return Ok(Err(Break::RecordDeleted {
                seq: *seq,
                unit,
                id: *id,
            }));
        };
        let computed = link_hash(&prev, unit, *id, &rows);
        if &computed != hash {
            // The record's rows, or the link's own hash: when the next link
            // follows from the hash recomputed here, only this link's hash
            // was changed.
            let next_follows = match links.get(i + 1) {
                Some((_, next_unit, next_id, next_hash)) => match Unit::parse(next_unit) {
                    Some(next_unit) => content(conn, next_unit, *next_id)?
                        .is_some_and(|c| link_hash(&computed, next_unit, *next_id, &c) == *next_hash),
                    None => false,
                },
                None => false,
            };
            return Ok(Err(if next_follows {
                Break::LinkChanged { seq: *seq }
            } else {
                Break::RecordChanged {
                    seq: *seq,
                    unit,
                    id: *id,
                }
            }));
        }
        prev = computed;
        expected_seq += 1;
    }
    for unit in [Unit::Version, Unit::Export, Unit::Payment] {
        let table = unit.tables()[0].name;
        let unlinked: Option<i64> = conn
            .query_row(
                &format!(
                    "SELECT id FROM {table} WHERE id NOT IN \
                     (SELECT record_id FROM chain WHERE unit = ?1) ORDER BY id LIMIT 1"
                ),
                [unit.as_str()],
                |row| row.get(0),
            )
            .optional()?;
        if let Some(id) = unlinked {
            return Ok(Err(Break::Unlinked { unit, id }));
        }
    }
    Ok(Ok(Verified {
        links: expected_seq - 1,
        head: links.last().map(|l| l.3.clone()),
    }))
}

/// Whether `head` is the hash of one of the chain's links.
///
/// # Errors
/// SQLite's.
pub fn holds_head(conn: &Connection, head: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM chain WHERE hash = ?1)",
        [head.trim().to_ascii_lowercase()],
        |row| row.get(0),
    )
}
