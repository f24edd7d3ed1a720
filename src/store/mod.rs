//! The council's ledger (issue 15): an SQLite file (rusqlite, SQLite
//! bundled) holding every reconciliation, version and export, append-only.
//! This module stores and loads the plain values of [`crate::engine::ledger`]
//! and knows SQL; the rules (new version or refused, what a payment run
//! still owes) are the engine's. The schema is in `docs/ledger.md`.
//!
//! - Opening checks before it writes anything: a file that is not SQLite,
//!   an SQLite database that is not a ledger (another `application_id`, or
//!   tables of its own), or a ledger of a newer schema is refused, unchanged.
//! - Migrations are rusqlite_migration's, on `PRAGMA user_version`.
//! - WAL and a busy timeout let two officers use one ledger at once; each
//!   submission and each export is one `BEGIN IMMEDIATE` transaction, so a
//!   run killed at any point leaves it wholly in or wholly absent.
//! - Triggers refuse every `UPDATE` and `DELETE`: nothing is changed in
//!   place, every version stays on record.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior, params};
use rusqlite_migration::{M, Migrations};
use rust_decimal::Decimal;

use crate::base::units::Hours;
use crate::engine::ledger::{
    Candidate, Change, EarlierReferral, ExportedPart, Item, PayLine, PersonRow, Recorded, RecordedDecision,
    Version, day_before,
};
use crate::engine::{ChangeInNeed, Direction, PersonStatus, Reconciliation, Totals};
use crate::model::export::Stream;
use crate::model::settings::{Action, SettingsFile};

/// `PRAGMA application_id` of a yourchoice ledger ("YCLG").
pub const APPLICATION_ID: i32 = 0x5943_4C47;

/// How long a run waits for another officer's transaction to finish.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// The schema, one migration per version; never edit a released one, add
/// the next.
const MIGRATIONS: &[M<'static>] = &[M::up(include_str!("schema_1.sql"))];

/// The ledger schema this version writes.
pub fn schema_version() -> usize {
    MIGRATIONS.len()
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
    #[error(
        "the ledger {} is busy: another run has been writing to it for {} seconds; nothing more was recorded by this one. Try again in a moment",
        .0.display(), BUSY_TIMEOUT.as_secs()
    )]
    Busy(PathBuf),
    #[error("{} is not a yourchoice ledger ({why}); it was left unchanged. Give the council's ledger, or a new file name to start one", .path.display())]
    NotALedger { path: PathBuf, why: String },
    #[error(
        "{} is a ledger of a newer yourchoice (schema {found}; this version, {}, knows schema {known} at most); it was left unchanged. Use the newer yourchoice",
        .path.display(), env!("CARGO_PKG_VERSION")
    )]
    Newer { path: PathBuf, found: i64, known: usize },
    #[error("cannot use the ledger {}: {why}", .path.display())]
    Sqlite { path: PathBuf, why: String },
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
        let sqlite = |e: rusqlite::Error| sqlite_error(path, &e);
        let exists = path.exists();
        if path.is_dir() {
            return Err(LedgerError::Folder(path.to_path_buf()));
        }
        match (exists, create) {
            (false, false) => return Err(LedgerError::Missing(path.to_path_buf())),
            (true, true) => return Err(LedgerError::Exists(path.to_path_buf())),
            _ => {}
        }
        if !exists && let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| LedgerError::Sqlite {
                path: path.to_path_buf(),
                why: format!("cannot create the folder {}: {e}", dir.display()),
            })?;
        }
        // An existing file is looked at read-only first: nothing is written
        // to a file that turns out not to be a ledger (not even SQLite's
        // recovery of another program's journal).
        if exists {
            let ro = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(sqlite)?;
            ro.busy_timeout(BUSY_TIMEOUT).map_err(sqlite)?;
            check(path, &ro)?;
        }
        let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        if create {
            flags |= OpenFlags::SQLITE_OPEN_CREATE;
        }
        let mut conn = Connection::open_with_flags(path, flags).map_err(sqlite)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(sqlite)?;
        let found = check(path, &conn)?;
        if found == Found::Empty && !create {
            return Err(LedgerError::NotALedger {
                path: path.to_path_buf(),
                why: "an empty file".to_string(),
            });
        }
        migrate(path, &mut conn)?;
        conn.pragma_update(None, "foreign_keys", true).map_err(sqlite)?;
        Ok(Ledger {
            conn,
            path: path.to_path_buf(),
        })
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
    pub fn begin(&mut self) -> Result<Transaction<'_>, LedgerError> {
        let path = self.path.clone();
        self.conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| sqlite_error(&path, &e))
    }

    /// The ledger's own failure, naming its file.
    pub fn error(&self, e: &rusqlite::Error) -> LedgerError {
        sqlite_error(&self.path, e)
    }

    /// A read-only view outside any explicit transaction.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }
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

/// Bring the ledger to this version's schema, and into WAL mode.
fn migrate(path: &Path, conn: &mut Connection) -> Result<(), LedgerError> {
    let sqlite = |e: rusqlite::Error| sqlite_error(path, &e);
    Migrations::from_slice(MIGRATIONS)
        .to_latest(conn)
        .map_err(|e| match e {
            rusqlite_migration::Error::RusqliteError { err, .. } => sqlite_error(path, &err),
            other => LedgerError::Sqlite {
                path: path.to_path_buf(),
                why: other.to_string(),
            },
        })?;
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .map_err(sqlite)?;
    if !mode.eq_ignore_ascii_case("wal") {
        conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get::<_, String>(0))
            .map_err(sqlite)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Text forms

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn conversion(e: impl std::error::Error + Send + Sync + 'static) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
}

fn date(text: &str) -> rusqlite::Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(conversion)
}

fn money(text: &str) -> rusqlite::Result<Decimal> {
    Decimal::from_str(text).map_err(conversion)
}

fn person_status(text: &str) -> PersonStatus {
    match text {
        "referred" => PersonStatus::Referred,
        "no_care" => PersonStatus::NoCare,
        _ => PersonStatus::WithinTolerance,
    }
}

// ---------------------------------------------------------------------------
// Reconciliations

const VERSION_COLUMNS: &str = "id, provider_reference, provider_name, period_start, period_end, version, \
     change, reason, file_name, file_sha256, fingerprint, status, submitted, late, decisions, \
     authorised, held, held_payments, held_recoveries, held_count, referred_count, \
     within_tolerance_count, no_care_count, overcharge_refunds, refund_count, \
     commissioned_seconds, delivered_seconds, recorded_at, officer";

fn recorded_from(row: &rusqlite::Row<'_>) -> rusqlite::Result<Recorded> {
    let reconciled = row.get::<_, String>(11)? == "reconciled";
    let text = |i: usize| row.get::<_, Option<String>>(i);
    let totals = if reconciled {
        let m = |i: usize| -> rusqlite::Result<Decimal> { money(&row.get::<_, String>(i)?) };
        let n = |i: usize| -> rusqlite::Result<usize> { Ok(row.get::<_, i64>(i)?.max(0) as usize) };
        let h = |i: usize| -> rusqlite::Result<Hours> {
            Ok(Hours::from_exact_seconds(money(&row.get::<_, String>(i)?)?))
        };
        Some(Totals {
            authorised: m(15)?,
            held: m(16)?,
            held_payments: m(17)?,
            held_recoveries: m(18)?,
            held_count: n(19)?,
            referred_count: n(20)?,
            within_tolerance_count: n(21)?,
            no_care_count: n(22)?,
            overcharge_refunds: m(23)?,
            refund_count: n(24)?,
            commissioned: h(25)?,
            delivered: h(26)?,
        })
    } else {
        None
    };
    Ok(Recorded {
        id: row.get(0)?,
        provider_reference: row.get(1)?,
        provider_name: text(2)?,
        period_start: date(&row.get::<_, String>(3)?)?,
        period_end: date(&row.get::<_, String>(4)?)?,
        version: row.get(5)?,
        change: Change::parse(&row.get::<_, String>(6)?).unwrap_or(Change::First),
        reason: text(7)?,
        file_name: row.get(8)?,
        file_sha256: row.get(9)?,
        fingerprint: row.get(10)?,
        reconciled,
        submitted: text(12)?.map(|d| date(&d)).transpose()?,
        late: row.get(13)?,
        decisions: row.get(14)?,
        totals,
        recorded_at: DateTime::parse_from_rfc3339(&row.get::<_, String>(27)?)
            .map_err(conversion)?
            .with_timezone(&Utc),
        officer: row.get(28)?,
    })
}

/// The current version for a provider (as compared) and period start.
///
/// # Errors
/// SQLite's.
pub fn current(conn: &Connection, reference: &str, start: NaiveDate) -> rusqlite::Result<Option<Recorded>> {
    conn.query_row(
        &format!(
            "SELECT {VERSION_COLUMNS} FROM reconciliation WHERE provider_reference = ?1 AND \
             period_start = ?2 ORDER BY version DESC LIMIT 1"
        ),
        params![reference, iso(start)],
        recorded_from,
    )
    .optional()
}

/// A current, reconciled version of the provider for another period that
/// shares days with `start..=end`.
///
/// # Errors
/// SQLite's.
pub fn overlapping(
    conn: &Connection,
    reference: &str,
    start: NaiveDate,
    end: NaiveDate,
) -> rusqlite::Result<Option<Recorded>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {VERSION_COLUMNS} FROM reconciliation r WHERE provider_reference = ?1 AND \
         period_start <> ?2 AND period_start <= ?3 AND period_end >= ?2 AND version = \
         (SELECT max(version) FROM reconciliation s WHERE s.provider_reference = r.provider_reference \
          AND s.period_start = r.period_start) ORDER BY period_start"
    ))?;
    let mut rows = stmt.query_map(params![reference, iso(start), iso(end)], recorded_from)?;
    for row in rows.by_ref() {
        let r = row?;
        if r.reconciled {
            return Ok(Some(r));
        }
    }
    Ok(None)
}

/// The current version of every provider for a period, with its people,
/// in provider order.
///
/// # Errors
/// SQLite's.
pub fn versions(conn: &Connection, start: NaiveDate) -> rusqlite::Result<Vec<Version>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {VERSION_COLUMNS} FROM reconciliation r WHERE period_start = ?1 AND version = \
         (SELECT max(version) FROM reconciliation s WHERE s.provider_reference = r.provider_reference \
          AND s.period_start = r.period_start) ORDER BY provider_reference"
    ))?;
    let recorded: Vec<Recorded> = stmt
        .query_map(params![iso(start)], recorded_from)?
        .collect::<rusqlite::Result<_>>()?;
    recorded
        .into_iter()
        .map(|r| {
            let people = people(conn, r.id)?;
            Ok(Version { recorded: r, people })
        })
        .collect()
}

/// The latest period start recorded, for `status` without `--period`.
///
/// # Errors
/// SQLite's.
pub fn latest_period(conn: &Connection) -> rusqlite::Result<Option<NaiveDate>> {
    let latest: Option<String> =
        conn.query_row("SELECT max(period_start) FROM reconciliation", [], |row| {
            row.get(0)
        })?;
    latest.map(|d| date(&d)).transpose()
}

fn people(conn: &Connection, reconciliation: i64) -> rusqlite::Result<Vec<PersonRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT person_id, name, status, commissioned_hours, delivered_hours, net_variance_hours, \
         variance_percent, settlement, authorised, decision_action, decision_officer, decision_reason, \
         change_first_week, change_last_week, change_direction, overcharge \
         FROM person WHERE reconciliation_id = ?1 ORDER BY seq",
    )?;
    stmt.query_map([reconciliation], |row| {
        let decision = match row.get::<_, Option<String>>(9)?.as_deref() {
            Some("authorise") => Some(Action::Authorise),
            Some("hold") => Some(Action::Hold),
            _ => None,
        };
        let direction = match row.get::<_, Option<String>>(14)?.as_deref() {
            Some("more") => Some(Direction::More),
            Some("less") => Some(Direction::Less),
            _ => None,
        };
        Ok(PersonRow {
            person_id: row.get(0)?,
            name: row.get(1)?,
            status: person_status(&row.get::<_, String>(2)?),
            commissioned: row.get(3)?,
            delivered: row.get(4)?,
            net_variance: row.get(5)?,
            variance_percent: row.get::<_, Option<String>>(6)?.map(|v| money(&v)).transpose()?,
            settlement: row.get::<_, Option<String>>(7)?.map(|v| money(&v)).transpose()?,
            authorised: row.get(8)?,
            decision: match decision {
                Some(action) => Some(RecordedDecision {
                    action,
                    officer: row.get::<_, Option<String>>(10)?.unwrap_or_default(),
                    reason: row.get::<_, Option<String>>(11)?.unwrap_or_default(),
                }),
                None => None,
            },
            change_in_need: match (
                row.get::<_, Option<u32>>(12)?,
                row.get::<_, Option<u32>>(13)?,
                direction,
            ) {
                (Some(first_week), Some(last_week), Some(direction)) => Some(ChangeInNeed {
                    first_week,
                    last_week,
                    direction,
                }),
                _ => None,
            },
            overcharge: money(&row.get::<_, String>(15)?)?,
        })
    })?
    .collect()
}

/// The people referred in the current versions of the period that ends
/// the day before `start`, by Person ID.
///
/// # Errors
/// SQLite's.
pub fn referred_before(
    conn: &Connection,
    start: NaiveDate,
) -> rusqlite::Result<std::collections::HashMap<String, EarlierReferral>> {
    let mut stmt = conn.prepare(
        "SELECT p.person_id, r.provider_reference, r.period_start, p.net_variance_hours, p.variance_percent \
         FROM reconciliation r JOIN person p ON p.reconciliation_id = r.id \
         WHERE r.period_end = ?1 AND p.status = 'referred' AND r.version = \
         (SELECT max(version) FROM reconciliation s WHERE s.provider_reference = r.provider_reference \
          AND s.period_start = r.period_start) ORDER BY r.provider_reference",
    )?;
    let rows = stmt.query_map([iso(day_before(start))], |row| {
        Ok((
            row.get::<_, String>(0)?,
            EarlierReferral {
                provider_reference: row.get(1)?,
                period_start: date(&row.get::<_, String>(2)?)?,
                net_variance: row.get(3)?,
                variance_percent: row.get::<_, Option<String>>(4)?.map(|v| money(&v)).transpose()?,
            },
        ))
    })?;
    let mut out = std::collections::HashMap::new();
    for row in rows {
        let (id, earlier) = row?;
        out.entry(id).or_insert(earlier);
    }
    Ok(out)
}

/// A version to record.
pub struct NewVersion<'a> {
    pub candidate: &'a Candidate,
    pub version: u32,
    pub change: Change,
    pub supersedes: Option<i64>,
    pub reason: Option<&'a str>,
    pub file_name: &'a str,
    pub result: &'a Reconciliation,
    /// The SPEC 8.2 document, as recorded.
    pub json: &'a str,
    pub settings_files: &'a [SettingsFile],
    pub officer: &'a str,
    pub at: DateTime<Utc>,
}

/// A test hook, in debug builds only (the tests'): with
/// `YOURCHOICE_TEST_STALL_IN_TRANSACTION` set, a run
/// stops half-way through writing a version (or an export), says so on
/// stderr and sleeps, so a test can kill it there (`tests/ledger.rs`).
fn stall_for_test() {
    if cfg!(debug_assertions) && std::env::var_os("YOURCHOICE_TEST_STALL_IN_TRANSACTION").is_some() {
        eprintln!("yourchoice: test: stalled inside a ledger transaction");
        std::thread::sleep(Duration::from_secs(60));
    }
}

/// Record a version, in the caller's transaction; its id.
///
/// # Errors
/// SQLite's (the caller's transaction is then rolled back).
pub fn insert_version(tx: &Transaction<'_>, v: &NewVersion<'_>) -> rusqlite::Result<i64> {
    let r = v.result;
    let c = v.candidate;
    let t = r.totals.as_ref();
    let m = |f: fn(&Totals) -> Decimal| t.map(|t| f(t).to_string());
    let n = |f: fn(&Totals) -> usize| t.map(|t| f(t) as i64);
    let provider_name = r.provider.as_ref().and_then(|p| p.name.clone());
    let submitted = r.period.as_ref().and_then(|p| p.submitted).map(iso);
    let late = r.period.as_ref().is_some_and(|p| p.late());
    tx.execute(
        "INSERT INTO reconciliation (provider_reference, provider_name, period_start, period_end, \
         version, supersedes, change, reason, file_name, file_sha256, fingerprint, status, submitted, \
         late, decisions, authorised, held, held_payments, held_recoveries, held_count, referred_count, \
         within_tolerance_count, no_care_count, overcharge_refunds, refund_count, commissioned_seconds, \
         delivered_seconds, result_json, tool_version, recorded_at, officer) VALUES (?1, ?2, ?3, ?4, \
         ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, \
         ?25, ?26, ?27, ?28, ?29, ?30, ?31)",
        params![
            c.provider_reference,
            provider_name,
            iso(c.period_start),
            iso(c.period_end),
            v.version,
            v.supersedes,
            v.change.as_str(),
            v.reason,
            v.file_name,
            c.file_sha256,
            c.fingerprint,
            if c.reconciled { "reconciled" } else { "rejected" },
            submitted,
            late,
            c.decisions,
            m(|t| t.authorised),
            m(|t| t.held),
            m(|t| t.held_payments),
            m(|t| t.held_recoveries),
            n(|t| t.held_count),
            n(|t| t.referred_count),
            n(|t| t.within_tolerance_count),
            n(|t| t.no_care_count),
            m(|t| t.overcharge_refunds),
            n(|t| t.refund_count),
            t.map(|t| t.commissioned.seconds().to_string()),
            t.map(|t| t.delivered.seconds().to_string()),
            v.json,
            env!("CARGO_PKG_VERSION"),
            stamp(v.at),
            v.officer,
        ],
    )?;
    let id = tx.last_insert_rowid();
    let mut person = tx.prepare_cached(
        "INSERT INTO person (reconciliation_id, seq, person_id, name, status, commissioned_hours, \
         delivered_hours, net_variance_hours, variance_percent, tolerance_hours, bank_peak_hours, \
         settlement, authorised, method, decision_action, decision_officer, decision_reason, \
         decision_source, change_first_week, change_last_week, change_direction, charged, \
         cost_of_care_received, overcharge) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, \
         ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)",
    )?;
    let half = r.people.len() / 2;
    for (seq, p) in r.people.iter().enumerate() {
        if seq == half && seq > 0 {
            stall_for_test();
        }
        let s = p.settlement.as_ref();
        let d = s.and_then(|s| s.decision.as_ref());
        let c = p.charge.as_ref();
        person.execute(params![
            id,
            seq as i64,
            p.person_id,
            p.name,
            p.status.as_str(),
            p.commissioned.to_spec_string(),
            p.delivered.to_spec_string(),
            p.net_variance.to_spec_string(),
            p.variance_percent.map(|v| v.to_string()),
            p.tolerance.to_spec_string(),
            p.bank.peak.to_spec_string(),
            s.map(|s| s.amount.to_string()),
            s.is_some_and(|s| s.authorised),
            s.map(|s| s.method().as_str()),
            d.map(|d| d.action.as_str()),
            d.map(|d| d.officer.as_str()),
            d.map(|d| d.reason.as_str()),
            d.map(|d| d.source.as_str()),
            p.change_in_need.map(|c| c.first_week),
            p.change_in_need.map(|c| c.last_week),
            p.change_in_need.map(|c| c.direction.as_str()),
            c.map(|c| c.charged.to_string()),
            c.map(|c| c.cost_of_care_received.to_string()),
            c.map_or(Decimal::ZERO, |c| c.overcharge).to_string(),
        ])?;
    }
    let mut finding = tx.prepare_cached(
        "INSERT INTO finding (reconciliation_id, seq, severity, code, message, cell, person_id) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for (seq, f) in r.findings.iter().enumerate() {
        finding.execute(params![
            id,
            seq as i64,
            f.severity().as_str(),
            f.code.as_str(),
            f.message,
            f.location.as_ref().map(ToString::to_string),
            f.person_id,
        ])?;
    }
    let mut file = tx.prepare_cached(
        "INSERT INTO settings_file (reconciliation_id, role, path, sha256) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for f in v.settings_files {
        file.execute(params![id, f.role, f.path, f.sha256])?;
    }
    Ok(id)
}

// ---------------------------------------------------------------------------
// Exports

/// An export as recorded.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportRecord {
    pub id: i64,
    pub kind: String,
    pub period_start: NaiveDate,
    pub lines: i64,
    pub total: Decimal,
    pub file: Option<String>,
    pub csv: Vec<u8>,
    pub exported_at: DateTime<Utc>,
    pub officer: String,
    pub repeat_of: Option<i64>,
}

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

fn export_from(row: &rusqlite::Row<'_>) -> rusqlite::Result<ExportRecord> {
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
            crate::read::sha256_hex(e.csv),
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
            stall_for_test();
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
