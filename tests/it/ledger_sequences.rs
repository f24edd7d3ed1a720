//! Random sequences of what a quarter's officers and finance do to one
//! ledger: returns reconciled (with and without the decisions, a
//! resubmission), exports of every kind in any order, some of them killed
//! with SIGKILL part-way, on a real SQLite file. After each sequence, with
//! every stream drawn to the end, the streams are checked against each
//! other and against figures worked out here from the ledger's own
//! current versions, never from an export:
//!
//! - per provider, what the payments and invoices moved equals what the
//!   remittance advice says, to the penny (one truth across streams);
//! - per provider, with nobody held undecided, what moved equals the
//!   current version's authorised settlements (nothing paid twice or
//!   missed);
//! - the refunds equal the current versions' overcharges;
//! - drawing again gives nothing new, and the chain verifies.
//!
//! Seeds are fixed (a failure names its seed); `LEDGER_SEQUENCES=N` runs N.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rusqlite::Connection;
use rust_decimal::Decimal;

use crate::common::bin::yourchoice;
use crate::common::files::example;

fn s(p: &Path) -> String {
    p.display().to_string()
}

fn council_file(name: &str) -> String {
    s(&example(&format!("council/{name}")))
}

/// One step of a sequence.
#[derive(Clone, Copy, Debug)]
enum Step {
    /// Reconcile the first returns, with or without the decisions.
    Reconcile { decisions: bool },
    /// Cwm Taf's corrected return as a resubmission.
    Resubmit,
    /// An export of a kind (0 payments, 1 invoices, 2 remittance, 3
    /// refunds), killed after `kill_ms` if given.
    Export { kind: usize, kill_ms: Option<u64> },
}

const KINDS: [&str; 4] = ["payments", "invoices", "remittance", "refunds"];

fn run(ledger: &Path, step: Step) {
    let ledger_arg = s(ledger);
    let council = council_file("council.toml");
    let mut args: Vec<String> = Vec::new();
    match step {
        Step::Reconcile { decisions } => {
            args.extend(["reconcile".into(), council_file("bro-morgannwg.xlsx")]);
            args.extend([
                council_file("penarth-homecare.xlsx"),
                council_file("cwm-taf-care.xlsx"),
            ]);
            if decisions {
                args.extend(["--decisions".into(), council_file("decisions.csv")]);
            }
            args.extend([
                "--no-report".into(),
                "--quiet".into(),
                "--officer".into(),
                "O".into(),
            ]);
            if !ledger.exists() {
                args.push("--new-ledger".into());
            }
        }
        Step::Resubmit => {
            args.extend(["reconcile".into(), council_file("cwm-taf-care-corrected.xlsx")]);
            args.extend(["--resubmission".into(), "week 4".into(), "--no-report".into()]);
            args.extend(["--quiet".into(), "--officer".into(), "O".into()]);
        }
        Step::Export { kind, .. } => {
            args.extend([
                "export".into(),
                KINDS[kind].into(),
                "--period".into(),
                "2026-04-06".into(),
            ]);
            args.extend(["--officer".into(), "F".into()]);
        }
    }
    args.extend(["--council".into(), council, "--ledger".into(), ledger_arg]);
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("yourchoice"))
        .env("NO_COLOR", "1")
        .args(&args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    if let Step::Export {
        kill_ms: Some(ms), ..
    } = step
    {
        std::thread::sleep(Duration::from_millis(ms));
        let _ = child.kill();
    }
    child.wait().unwrap();
}

/// Sum of a stream's exported parts, by provider.
fn streamed(db: &Connection, stream: &str) -> BTreeMap<String, Decimal> {
    let mut stmt = db
        .prepare(
            "SELECT p.provider_reference, p.amount FROM export_part p JOIN export e ON e.id = p.export_id \
             WHERE e.stream = ?1",
        )
        .unwrap();
    let mut out: BTreeMap<String, Decimal> = BTreeMap::new();
    let rows = stmt
        .query_map([stream], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
        .unwrap();
    for row in rows {
        let (provider, amount) = row.unwrap();
        *out.entry(provider).or_default() += amount.parse::<Decimal>().unwrap();
    }
    out
}

/// From the current versions, worked out here: per provider, the
/// authorised settlements, whether anyone is held undecided, and the
/// overcharges.
fn current(db: &Connection) -> BTreeMap<String, (Decimal, bool, Decimal)> {
    let mut stmt = db
        .prepare(
            "SELECT r.provider_reference, p.settlement, p.authorised, p.decision_action, p.overcharge \
             FROM reconciliation r JOIN person p ON p.reconciliation_id = r.id \
             WHERE r.status = 'reconciled' AND r.version = (SELECT max(version) FROM reconciliation s \
               WHERE s.provider_reference = r.provider_reference AND s.period_start = r.period_start)",
        )
        .unwrap();
    let mut out: BTreeMap<String, (Decimal, bool, Decimal)> = BTreeMap::new();
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, bool>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, String>(4)?,
            ))
        })
        .unwrap();
    for row in rows {
        let (provider, settlement, authorised, decision, overcharge) = row.unwrap();
        let entry = out.entry(provider).or_default();
        if let Some(amount) = settlement {
            if authorised {
                entry.0 += amount.parse::<Decimal>().unwrap();
            } else if decision.is_none() {
                entry.1 = true;
            }
        }
        entry.2 += overcharge.parse::<Decimal>().unwrap();
    }
    out
}

fn sequence(seed: u64) -> Vec<Step> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut steps = vec![Step::Reconcile {
        decisions: rng.random_bool(0.5),
    }];
    for _ in 0..rng.random_range(2..7) {
        steps.push(match rng.random_range(0..10) {
            0 => Step::Reconcile { decisions: true },
            1 => Step::Resubmit,
            _ => Step::Export {
                kind: rng.random_range(0..4),
                kill_ms: rng.random_bool(0.3).then(|| rng.random_range(0..60)),
            },
        });
    }
    steps
}

fn check(seed: u64) {
    let dir = tempfile::tempdir().unwrap();
    let ledger = dir.path().join("ledger.db");
    let steps = sequence(seed);
    for &step in &steps {
        run(&ledger, step);
    }
    // Every stream drawn to the end, none killed.
    for kind in 0..4 {
        run(&ledger, Step::Export { kind, kill_ms: None });
    }
    let db = Connection::open(&ledger).unwrap();
    let moved = streamed(&db, "settlement");
    let advised = streamed(&db, "remittance");
    let refunded = streamed(&db, "refund");
    for (provider, (authorised, undecided, overcharges)) in current(&db) {
        let m = moved.get(&provider).copied().unwrap_or_default();
        let a = advised.get(&provider).copied().unwrap_or_default();
        assert_eq!(
            m, a,
            "seed {seed} {steps:?}: {provider}: payments/invoices {m} vs remittance {a}"
        );
        if !undecided {
            assert_eq!(
                m, authorised,
                "seed {seed} {steps:?}: {provider}: moved {m}, authorised {authorised}"
            );
        }
        let r = refunded.get(&provider).copied().unwrap_or_default();
        assert_eq!(r, overcharges, "seed {seed} {steps:?}: {provider}: refunds");
    }
    // Nothing new to draw, and the ledger is whole.
    let again = yourchoice()
        .args([
            "export",
            "payments",
            "--period",
            "2026-04-06",
            "--officer",
            "F",
            "--council",
        ])
        .args([council_file("council.toml"), "--ledger".into(), s(&ledger)])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(1), "seed {seed}: a second draw");
    let verify = yourchoice()
        .args(["ledger", "verify", "--ledger"])
        .arg(&ledger)
        .output()
        .unwrap();
    assert_eq!(
        verify.status.code(),
        Some(0),
        "seed {seed}: {}",
        String::from_utf8_lossy(&verify.stdout)
    );
}

#[test]
fn random_sequences_keep_every_stream_in_step() {
    let n: u64 = std::env::var("LEDGER_SEQUENCES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(6);
    for seed in 0..n {
        check(seed);
    }
}
