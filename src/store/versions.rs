//! Reconciliations and their versions: what each recorded return decided,
//! per person, and the earlier referrals a new period is checked against.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use rust_decimal::Decimal;

use super::codec::{conversion, date, decisions, decisions_text, iso, money, person_status, stamp};
use crate::base::units::Hours;
use crate::engine::ledger::{
    Candidate, Change, CouncilFile, EarlierReferral, PersonRow, Recorded, RecordedDecision, Version,
    day_before,
};
use crate::engine::{ChangeInNeed, Direction, Reconciliation, Totals};
use crate::model::settings::{Action, SettingsFile};

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
        decisions: decisions(&row.get::<_, String>(14)?)?,
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

/// The current version of each of the provider's periods other than the
/// one from `start`.
///
/// # Errors
/// SQLite's.
pub fn other_periods(
    conn: &Connection,
    reference: &str,
    start: NaiveDate,
) -> rusqlite::Result<Vec<Recorded>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {VERSION_COLUMNS} FROM reconciliation r WHERE provider_reference = ?1 AND \
         period_start <> ?2 AND version = \
         (SELECT max(version) FROM reconciliation s WHERE s.provider_reference = r.provider_reference \
          AND s.period_start = r.period_start) ORDER BY period_start"
    ))?;
    let rows = stmt.query_map(params![reference, iso(start)], recorded_from)?;
    rows.collect()
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

/// The council's files each version of a period was reconciled with
/// (`settings_file`), by the version's id, in the order recorded.
///
/// # Errors
/// SQLite's.
pub fn council_files(
    conn: &Connection,
    start: NaiveDate,
) -> rusqlite::Result<std::collections::HashMap<i64, Vec<CouncilFile>>> {
    let mut stmt = conn.prepare(
        "SELECT f.reconciliation_id, f.role, f.path, f.sha256 FROM settings_file f \
         JOIN reconciliation r ON r.id = f.reconciliation_id WHERE r.period_start = ?1 \
         ORDER BY f.reconciliation_id, f.rowid",
    )?;
    let rows = stmt.query_map(params![iso(start)], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            CouncilFile {
                role: row.get(1)?,
                path: row.get(2)?,
                sha256: row.get(3)?,
            },
        ))
    })?;
    let mut out: std::collections::HashMap<i64, Vec<CouncilFile>> = std::collections::HashMap::new();
    for row in rows {
        let (id, file) = row?;
        out.entry(id).or_default().push(file);
    }
    Ok(out)
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
/// `YOURCHOICE_TEST_STALL_IN_TRANSACTION` set, a run stops half-way through
/// writing a version (or an export), or with it set to `commit`, just
/// before its transaction commits (an export's file begun, not yet
/// written); it says so on stderr and sleeps, so a test can kill it there
/// (`tests/it/ledger.rs`).
pub(super) fn stall_for_test(at_commit: bool) {
    if !cfg!(debug_assertions) {
        return;
    }
    let Some(value) = std::env::var_os("YOURCHOICE_TEST_STALL_IN_TRANSACTION") else {
        return;
    };
    if (value == "commit") == at_commit {
        eprintln!("yourchoice: test: stalled inside a ledger transaction");
        std::thread::sleep(std::time::Duration::from_secs(60));
    }
}

/// Record a version, in the caller's transaction: the reconciliation, its
/// people, its findings and the settings files applied; its id.
///
/// # Errors
/// SQLite's (the caller's transaction is then rolled back).
pub fn insert_version(tx: &Transaction<'_>, v: &NewVersion<'_>) -> rusqlite::Result<i64> {
    let id = insert_reconciliation(tx, v)?;
    insert_people(tx, id, v.result)?;
    insert_findings(tx, id, v.result)?;
    let mut file = tx.prepare_cached(
        "INSERT INTO settings_file (reconciliation_id, role, path, sha256) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for f in v.settings_files {
        file.execute(params![id, f.role, f.path, f.sha256])?;
    }
    Ok(id)
}

/// The version's row of `reconciliation`, with the provider's totals; its
/// id.
fn insert_reconciliation(tx: &Transaction<'_>, v: &NewVersion<'_>) -> rusqlite::Result<i64> {
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
            c.fingerprint.current,
            if c.reconciled { "reconciled" } else { "rejected" },
            submitted,
            late,
            decisions_text(&c.decisions),
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
    Ok(tx.last_insert_rowid())
}

/// A row of `person` for each person of the result, in its order.
fn insert_people(tx: &Transaction<'_>, id: i64, r: &Reconciliation) -> rusqlite::Result<()> {
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
            stall_for_test(false);
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
    Ok(())
}

/// A row of `finding` for each finding of the result, in its order.
fn insert_findings(tx: &Transaction<'_>, id: i64, r: &Reconciliation) -> rusqlite::Result<()> {
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
    Ok(())
}
