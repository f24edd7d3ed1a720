//! The council's ledger (issue 15): an SQLite file (rusqlite, SQLite
//! bundled) holding every reconciliation, version and export, append-only.
//! This module stores and loads the plain values of [`crate::engine::ledger`]
//! and is the only one that knows SQL: every failure leaves it as a
//! [`LedgerError`] naming the file; the rules (new version or refused, what a payment run
//! still owes) are the engine's. The schema is in `docs/ledger.md`.
//!
//! - Opening checks before it writes anything: a file that is not SQLite
//!   or is cut short (its header read before SQLite opens it), an SQLite
//!   database that is not a ledger (another `application_id`, or tables of
//!   its own), or a ledger of a newer schema is refused, unchanged; so is a
//!   ledger whose check fails, with no file left beside it ([`as_found`]).
//! - Migrations are rusqlite_migration's, on `PRAGMA user_version`.
//! - WAL and a busy timeout let two officers use one ledger at once; each
//!   submission and each export is one `BEGIN IMMEDIATE` transaction, so a
//!   run killed at any point leaves it wholly in or wholly absent.
//! - Triggers refuse every `UPDATE` and `DELETE`: nothing is changed in
//!   place, every version stays on record.

mod as_found;
mod chain;
mod codec;
mod exports;
mod integrity;
mod payments;
mod tx;
mod versions;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDate;
use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use rusqlite_migration::{M, Migrations};

use crate::engine::ledger::{EarlierReferral, ExportRecord, Health};

pub use chain::GENESIS;
pub use exports::NewExport;
pub use integrity::check_integrity;
pub use payments::NewPaymentRun;
pub use tx::Tx;
pub use versions::NewVersion;

/// `PRAGMA application_id` of a yourchoice ledger ("YCLG").
pub const APPLICATION_ID: i32 = 0x5943_4C47;

/// How long a run waits for another officer's transaction to finish.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// The schema, one migration per version; never edit a released one, add
/// the next.
fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("schema_1.sql")),
        // The chain, and a link for every record made before it: once, here.
        M::up_with_hook(include_str!("schema_2.sql"), |tx: &rusqlite::Transaction<'_>| {
            chain::link_existing(tx)?.map_err(rusqlite_migration::HookError::Hook)
        }),
        // What finance reports paid; the chain rebuilt to link it.
        M::up(include_str!("schema_3.sql")),
    ])
}

/// The ledger schema this version writes.
pub fn schema_version() -> usize {
    3
}

/// Why the ledger cannot be used: one line naming the user's file (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error(
        "there is no ledger at {}: check the path, or start a new ledger there with `yourchoice reconcile RETURN... --ledger {} --new-ledger`",
        .0.display(), .0.display()
    )]
    Missing(PathBuf),
    #[error("{} exists already, so --new-ledger does not start one there: leave out --new-ledger to record in it, or choose a new path", .0.display())]
    Exists(PathBuf),
    #[error("{} is a folder, not a ledger: give the ledger's file", .0.display())]
    Folder(PathBuf),
    #[error("{} is not an ordinary file (a pipe, device or socket), so it cannot be a ledger: give the ledger's file", .0.display())]
    NotRegular(PathBuf),
    #[error(
        "the ledger {} is shorter than its own header says: it was cut short (truncated); restore it from a backup",
        .0.display()
    )]
    Truncated(PathBuf),
    #[error(
        "the ledger {} is busy: another run has been writing to it for {} seconds; nothing more was recorded by this one. Try again in a moment",
        .0.display(), BUSY_TIMEOUT.as_secs()
    )]
    Busy(PathBuf),
    #[error("{} is not a yourchoice ledger ({why}); it was left unchanged. Give the council's ledger (a new one is started only with `reconcile ... --new-ledger`, at a path where there is no file)", .path.display())]
    NotALedger { path: PathBuf, why: String },
    #[error(
        "{} is a ledger of a newer yourchoice (schema {found}; this version, {}, knows schema {known} at most); it was left unchanged. Use the newer yourchoice",
        .path.display(), env!("CARGO_PKG_VERSION")
    )]
    Newer { path: PathBuf, found: i64, known: usize },
    #[error("cannot use the ledger {}: {why}", .path.display())]
    Sqlite { path: PathBuf, why: String },
    #[error(
        "the ledger {} has been changed outside yourchoice: {why}. Nothing was recorded or exported. Keep the file as it is for the audit, and restore the council's ledger from its last backup; `yourchoice ledger verify --ledger {}` checks a copy",
        .path.display(), .path.display()
    )]
    Broken { path: PathBuf, why: String },
}

/// An open ledger.
pub struct Ledger {
    conn: Connection,
    path: PathBuf,
}

/// SQLite's failure on the ledger at `path`: a busy ledger in words.
pub fn sqlite_error(path: &Path, e: &rusqlite::Error) -> LedgerError {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
            LedgerError::Busy(path.to_path_buf())
        }
        _ => LedgerError::Sqlite {
            path: path.to_path_buf(),
            why: sqlite_why(e),
        },
    }
}

fn sqlite_why(e: &rusqlite::Error) -> String {
    match e {
        rusqlite::Error::SqliteFailure(f, Some(message)) => format!("{message} ({:?})", f.code),
        other => other.to_string(),
    }
}

impl Ledger {
    /// Open the ledger at `path`; with `create` (`--new-ledger`), start a
    /// new, empty one there (and its folder) instead, refusing a path that
    /// exists. A ledger is never started by accident: a mistyped path would
    /// split the council's record in two.
    ///
    /// # Errors
    /// The file is missing (without `create`) or exists (with it), is not a
    /// ledger, is of a newer schema, or SQLite fails; nothing is written in
    /// any of these.
    pub fn open(path: &Path, create: bool) -> Result<Ledger, LedgerError> {
        if path.is_dir() {
            return Err(LedgerError::Folder(path.to_path_buf()));
        }
        // A pipe would block the open, a device never end.
        if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
            return Err(LedgerError::NotRegular(path.to_path_buf()));
        }
        // A file of 0 bytes is a ledger that was never begun (a run of an
        // earlier version killed as it started one): `--new-ledger` may
        // start it again.
        let unbegun = std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == 0);
        match (path.exists(), create) {
            (false, false) => return Err(LedgerError::Missing(path.to_path_buf())),
            (true, true) if !unbegun => return Err(LedgerError::Exists(path.to_path_buf())),
            (_, true) => create_new(path, unbegun)?,
            (true, false) => {}
        }
        Ledger::open_existing(path)
    }

    /// Open a ledger that exists: its header read first, then checked
    /// read-only, then migrated to this version's schema and checked whole.
    /// A ledger refused is left as found: what SQLite made beside it is
    /// removed again, unless this run wrote to it (a migration).
    fn open_existing(path: &Path) -> Result<Ledger, LedgerError> {
        as_found::check_header(path)?;
        let beside = as_found::Beside::note(path);
        let mut wrote = false;
        let opened = Ledger::open_checked(path, &beside, &mut wrote);
        // Every connection is closed by now. Not when busy or of a newer
        // version: another run may be using the files beside it.
        if let Err(LedgerError::NotALedger { .. } | LedgerError::Broken { .. } | LedgerError::Sqlite { .. }) =
            &opened
            && !wrote
        {
            beside.tidy();
        }
        opened
    }

    /// [`Ledger::open_existing`] without the tidying; `wrote` is set once
    /// anything is written to it.
    fn open_checked(path: &Path, beside: &as_found::Beside, wrote: &mut bool) -> Result<Ledger, LedgerError> {
        let sqlite = |e: rusqlite::Error| sqlite_error(path, &e);
        // Looked at read-only first: nothing is written to a file that turns
        // out not to be a ledger (not even SQLite's recovery of another
        // program's journal). With no log or journal beside it, the file is
        // the whole database and is read as it is, making nothing beside it.
        let ro = if beside.alone() {
            Connection::open_with_flags(
                as_found::immutable_uri(path),
                OpenFlags::SQLITE_OPEN_READ_ONLY
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX
                    | OpenFlags::SQLITE_OPEN_URI,
            )
        } else {
            Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
        }
        .map_err(sqlite)?;
        ro.busy_timeout(BUSY_TIMEOUT).map_err(sqlite)?;
        let unbegun = || LedgerError::NotALedger {
            path: path.to_path_buf(),
            why: "an empty file: if it is a ledger that was never begun, start it again with --new-ledger"
                .to_string(),
        };
        if check(path, &ro)? == Found::Empty {
            return Err(unbegun());
        }
        drop(ro);
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(sqlite)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(sqlite)?;
        if check(path, &conn)? == Found::Empty {
            return Err(unbegun());
        }
        // A migration that fails part-way may have written: counted so.
        *wrote = true;
        *wrote = migrate(path, &mut conn)?;
        conn.pragma_update(None, "foreign_keys", true).map_err(sqlite)?;
        let book = Ledger {
            conn,
            path: path.to_path_buf(),
        };
        if let Some(why) = book.health()?.broken {
            return Err(LedgerError::Broken {
                path: path.to_path_buf(),
                why,
            });
        }
        Ok(book)
    }

    /// Open the ledger at `path` to read it, even when its check fails
    /// (`status` and `ledger verify` say what is wrong; nothing is written
    /// through a broken ledger: its connection is `query_only`).
    ///
    /// # Errors
    /// As [`Ledger::open`] without `create`, but for a broken chain.
    pub fn open_to_read(path: &Path) -> Result<Ledger, LedgerError> {
        match Ledger::open(path, false) {
            Err(LedgerError::Broken { .. }) => {}
            other => return other,
        }
        // Opened for writing but made `query_only`: SQLite then removes the
        // log and shared memory it makes beside the ledger when the last
        // connection closes, as it does not for a read-only one.
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| sqlite_error(path, &e))?;
        conn.pragma_update(None, "query_only", true)
            .map_err(|e| sqlite_error(path, &e))?;
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| sqlite_error(path, &e))?;
        Ok(Ledger {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// Check the ledger: schema, SQLite's integrity, the hash chain.
    ///
    /// # Errors
    /// SQLite's.
    pub fn health(&self) -> Result<Health, LedgerError> {
        integrity::health(&self.conn).map_err(|e| self.error(&e))
    }

    /// The head of the hash chain now ([`GENESIS`] when nothing is
    /// recorded).
    ///
    /// # Errors
    /// SQLite's.
    pub fn head(&self) -> Result<String, LedgerError> {
        chain::head_hash(&self.conn).map_err(|e| self.error(&e))
    }

    /// Whether `head` (noted in an export or a report) is a link of this
    /// ledger's chain: if not, the ledger was rewritten since.
    ///
    /// # Errors
    /// SQLite's.
    pub fn holds_head(&self, head: &str) -> Result<bool, LedgerError> {
        chain::holds_head(&self.conn, head).map_err(|e| self.error(&e))
    }

    /// The path as the user gave it.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Start a transaction that holds the write lock from its start (so two
    /// runs never decide on the same state).
    ///
    /// # Errors
    /// SQLite's, after the busy timeout.
    pub fn begin(&mut self) -> Result<Tx<'_>, LedgerError> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| sqlite_error(&path, &e))?;
        Ok(Tx { tx, path })
    }

    /// One read transaction: every query sees the same ledger, whatever
    /// another run commits meanwhile. Nothing is written through it.
    ///
    /// # Errors
    /// SQLite's.
    pub fn snapshot(&self) -> Result<Tx<'_>, LedgerError> {
        let tx = self.conn.unchecked_transaction().map_err(|e| self.error(&e))?;
        Ok(Tx {
            tx,
            path: self.path.clone(),
        })
    }

    /// The earlier periods' referrals, outside any transaction.
    ///
    /// # Errors
    /// SQLite's.
    pub fn referred_before(&self, start: NaiveDate) -> Result<HashMap<String, EarlierReferral>, LedgerError> {
        versions::referred_before(&self.conn, start).map_err(|e| self.error(&e))
    }

    /// An export by its number, outside any transaction (whether an export
    /// that failed was committed).
    ///
    /// # Errors
    /// SQLite's.
    pub fn export_by_id(&self, id: i64) -> Result<Option<ExportRecord>, LedgerError> {
        exports::export_by_id(&self.conn, id).map_err(|e| self.error(&e))
    }

    /// The ledger's own failure, naming its file.
    fn error(&self, e: &rusqlite::Error) -> LedgerError {
        sqlite_error(&self.path, e)
    }

    /// The open connection, for SQLite's own checks.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }
}

/// Start a new ledger at `path`: built whole in a temporary file beside it
/// (schema, WAL), then linked into place in one step that never replaces a
/// ledger another run started meanwhile. A run killed part-way leaves no
/// ledger at `path` (only a hidden temporary file), so `--new-ledger` can
/// simply be run again. `unbegun`: `path` is an empty file, replaced.
fn create_new(path: &Path, unbegun: bool) -> Result<(), LedgerError> {
    let failed = |why: String| LedgerError::Sqlite {
        path: path.to_path_buf(),
        why,
    };
    let dir = match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) => dir,
        None => Path::new("."),
    };
    std::fs::create_dir_all(dir)
        .map_err(|e| failed(format!("cannot create the folder {}: {e}", dir.display())))?;
    let tmp = tempfile::Builder::new()
        .prefix(".yourchoice-new-ledger-")
        .suffix(".db")
        .tempfile_in(dir)
        .map_err(|e| failed(format!("cannot create a file in {}: {e}", dir.display())))?;
    {
        let mut conn = Connection::open_with_flags(
            tmp.path(),
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| sqlite_error(path, &e))?;
        migrate(path, &mut conn)?;
        // Closing checkpoints the WAL into the file and removes it.
        conn.close().map_err(|(_, e)| sqlite_error(path, &e))?;
    }
    tmp.as_file()
        .sync_all()
        .map_err(|e| failed(format!("cannot save the new ledger: {e}")))?;
    let placed = if unbegun {
        tmp.persist(path)
    } else {
        tmp.persist_noclobber(path)
    };
    placed.map_err(|e| {
        if e.error.kind() == std::io::ErrorKind::AlreadyExists {
            LedgerError::Exists(path.to_path_buf())
        } else {
            failed(format!("cannot put the new ledger in place: {}", e.error))
        }
    })?;
    Ok(())
}

/// What opening found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Found {
    /// A ledger (of this schema or an older one).
    Ledger,
    /// An empty database: only `--new-ledger` makes it one.
    Empty,
}

/// Is this a ledger this version may use? Reads only.
fn check(path: &Path, conn: &Connection) -> Result<Found, LedgerError> {
    let sqlite = |e: rusqlite::Error| sqlite_error(path, &e);
    let not = |why: &str| LedgerError::NotALedger {
        path: path.to_path_buf(),
        why: why.to_string(),
    };
    // One statement, so one snapshot.
    let read = conn.query_row(
        "SELECT (SELECT application_id FROM pragma_application_id), \
                (SELECT user_version FROM pragma_user_version), \
                (SELECT count(*) FROM sqlite_schema)",
        [],
        |row| {
            Ok((
                row.get::<_, i32>(0)?,
                row.get::<_, i64>(1)?,
                row.get::<_, i64>(2)?,
            ))
        },
    );
    let (application_id, user_version, objects) = match read {
        Ok(read) => read,
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) => {
            return Err(not("not an SQLite database"));
        }
        Err(e) => return Err(sqlite(e)),
    };
    let found = match application_id {
        APPLICATION_ID => Found::Ledger,
        0 if objects == 0 && user_version == 0 => Found::Empty,
        _ => return Err(not("an SQLite database of another program")),
    };
    let known = schema_version();
    if user_version > known as i64 {
        return Err(LedgerError::Newer {
            path: path.to_path_buf(),
            found: user_version,
            known,
        });
    }
    Ok(found)
}

/// Bring the ledger to this version's schema, and into WAL mode; whether
/// that wrote anything.
fn migrate(path: &Path, conn: &mut Connection) -> Result<bool, LedgerError> {
    let sqlite = |e: rusqlite::Error| sqlite_error(path, &e);
    let version = |conn: &Connection| {
        conn.query_row("PRAGMA user_version", [], |row| row.get::<_, i64>(0))
            .map_err(sqlite)
    };
    let before = version(conn)?;
    migrations().to_latest(conn).map_err(|e| match e {
        rusqlite_migration::Error::RusqliteError { err, .. } => sqlite_error(path, &err),
        rusqlite_migration::Error::Hook(why) => LedgerError::Broken {
            path: path.to_path_buf(),
            why,
        },
        other => LedgerError::Sqlite {
            path: path.to_path_buf(),
            why: other.to_string(),
        },
    })?;
    let mut wrote = version(conn)? != before;
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .map_err(sqlite)?;
    if !mode.eq_ignore_ascii_case("wal") {
        wrote = true;
        conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get::<_, String>(0))
            .map_err(sqlite)?;
    }
    Ok(wrote)
}
