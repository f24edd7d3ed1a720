//! `yourchoice paid` (issue 25, "Paid, and seen to be"), end to end: the
//! council's example round (`examples/council/`) recorded in a real ledger,
//! its payments exported, finance's paid file recorded, and `status`'s
//! figures checked against sums worked out by hand here.
//!
//! The ledger's clock is set with `YOURCHOICE_TEST_NOW` (a debug build's
//! test hook, `base::clock`), so the returns are recorded on 30/07/2026,
//! the exports made on 01/08/2026 and the payments recorded on 01/09/2026.
//!
//! The returns' own Submission dates (the example workbooks): Bro
//! Morgannwg (SUP00123) 14/07/2026, Penarth (SUP00789) 17/07/2026, Cwm Taf
//! (SUP00456) 24/07/2026. Export 1 (payments): line 1 SUP00123 £534.28,
//! line 2 SUP00789 £18.90; export 2 (invoices): SUP00456 £285.53; export 3
//! the referrals.

use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::cargo::cargo_bin;
use rusqlite::Connection;
use serde_json::Value;

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/council")
        .join(name)
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Run the binary with the ledger's clock at `now`.
fn run_at(now: &str, args: &[&str]) -> Out {
    let out = Command::new(cargo_bin("yourchoice"))
        .args(args)
        .env("NO_COLOR", "1")
        .env("YOURCHOICE_TEST_NOW", now)
        .output()
        .unwrap();
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

const RECORDED: &str = "2026-07-30T10:00:00Z";
const EXPORTED: &str = "2026-08-01T09:00:00Z";
const PAID: &str = "2026-09-01T09:00:00Z";

const INV_123: &str = "YC-SUP00123-20260406-1";
const INV_789: &str = "YC-SUP00789-20260406-1";

struct Book {
    dir: tempfile::TempDir,
    path: PathBuf,
}

impl Book {
    /// The example round recorded with the officer's decisions, and its
    /// payments, invoices and referrals exported.
    fn exported() -> Book {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.db");
        let book = Book { dir, path };
        let ledger = book.arg();
        let council = example("council.toml").display().to_string();
        let decisions = example("decisions.csv").display().to_string();
        let files: Vec<String> = ["bro-morgannwg.xlsx", "cwm-taf-care.xlsx", "penarth-homecare.xlsx"]
            .iter()
            .map(|f| example(f).display().to_string())
            .collect();
        let mut args = vec!["reconcile"];
        args.extend(files.iter().map(String::as_str));
        args.extend([
            "--council",
            &council,
            "--decisions",
            &decisions,
            "--ledger",
            &ledger,
            "--new-ledger",
            "--officer",
            "Siân Thomas",
            "--no-report",
            "--quiet",
        ]);
        let out = run_at(RECORDED, &args);
        assert_eq!(out.code, 0, "{}", out.stderr);
        for kind in ["payments", "invoices", "referrals"] {
            let to = book.dir.path().join(format!("{kind}.csv")).display().to_string();
            let out = run_at(
                EXPORTED,
                &[
                    "export",
                    kind,
                    "--council",
                    &example("council.toml").display().to_string(),
                    "--ledger",
                    &ledger,
                    "--period",
                    "2026-04-06",
                    "--officer",
                    "Rhys Price",
                    "-o",
                    &to,
                ],
            );
            assert_eq!(out.code, 0, "{kind}: {}", out.stderr);
        }
        book
    }

    fn arg(&self) -> String {
        self.path.display().to_string()
    }

    /// Write a paid file beside the ledger.
    fn file(&self, name: &str, text: &str) -> String {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    }

    fn paid(&self, file: &str) -> Out {
        let ledger = self.arg();
        run_at(
            PAID,
            &["paid", file, "--ledger", &ledger, "--officer", "Rhys Price"],
        )
    }

    fn status(&self, as_of: &str) -> Value {
        let ledger = self.arg();
        let council = example("council.toml").display().to_string();
        let out = run_at(
            PAID,
            &[
                "status",
                "--council",
                &council,
                "--ledger",
                &ledger,
                "--period",
                "2026-04-06",
                "--as-of",
                as_of,
                "--json",
            ],
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        serde_json::from_str(&out.stdout).unwrap()
    }

    fn status_text(&self, as_of: &str) -> String {
        let ledger = self.arg();
        let council = example("council.toml").display().to_string();
        let out = run_at(
            PAID,
            &[
                "status",
                "--council",
                &council,
                "--ledger",
                &ledger,
                "--period",
                "2026-04-06",
                "--as-of",
                as_of,
            ],
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        out.stdout
    }

    fn count(&self, sql: &str) -> i64 {
        Connection::open(&self.path)
            .unwrap()
            .query_row(sql, [], |r| r.get(0))
            .unwrap()
    }

    fn verify(&self) -> Out {
        let ledger = self.arg();
        run_at(PAID, &["ledger", "verify", "--ledger", &ledger])
    }
}

fn payment(status: &Value, invoice: &str) -> Value {
    status["payments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["invoice_number"] == invoice)
        .cloned()
        .unwrap_or_else(|| panic!("no payments line {invoice}: {status}"))
}

#[test]
fn payments_recorded_give_the_days_to_pay_and_the_half_years_figures_worked_by_hand() {
    let book = Book::exported();
    // Before anything is paid, as of 08/08/2026: SUP00123 received 14/07
    // is on day 25 (17 days of July left + 8 of August), not yet flagged;
    // as of 09/08 it is day 26, flagged.
    let s = book.status("2026-08-08");
    assert_eq!(payment(&s, INV_123)["days_so_far"], 25);
    assert_eq!(payment(&s, INV_123)["flag"], Value::Null);
    let s = book.status("2026-08-09");
    assert_eq!(payment(&s, INV_123)["flag"], "unpaid");
    assert_eq!(s["half_year"]["payments"], 0);
    assert_eq!(s["half_year"]["average_days"], Value::Null);

    // Finance pays Bro Morgannwg on 10/08/2026, by its invoice number, the
    // amount checked to the penny; and Cwm Taf's invoice is settled (by
    // the export's reference: every line of export 2).
    let first = book.file(
        "paid-1.csv",
        &format!(
            "\u{feff}Reference,Date paid,Payment reference,Amount\r\n{INV_123},2026-08-10,BACS-0810,534.28\r\nYC-00002,2026-08-20,RECEIPT-77,285.53\r\n"
        ),
    );
    let out = book.paid(&first);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("recorded payment record 1 from ")
            && out
                .stdout
                .contains(": 2 export lines paid, £819.81, by Rhys Price."),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains(&format!(
        "export 1 line 1 ({INV_123}): £534.28 paid 10/08/2026 under BACS-0810"
    )));
    assert!(out.stdout.contains("Ledger head now "), "{}", out.stdout);
    assert_eq!(book.count("SELECT count(*) FROM payment"), 2);

    // As of 20/08/2026: SUP00123 paid on day 27 (14/07 -> 10/08: 17 days
    // of July + 10 of August); SUP00789 received 17/07 is unpaid on day 34
    // (14 days of July + 20 of August): flagged. One payment in the
    // half-year 01/04-30/09: average 27.0 days, 100.0% within 30 days. Cwm
    // Taf's invoice is money owed back, not a payment to a supplier.
    let s = book.status("2026-08-20");
    let p = payment(&s, INV_123);
    assert_eq!(
        (p["start"].as_str(), p["start_kind"].as_str()),
        (Some("2026-07-14"), Some("received"))
    );
    assert_eq!(p["exported_on"], "2026-08-01");
    assert_eq!(p["export_reference"], "YC-00001");
    assert_eq!(
        (p["paid_on"].as_str(), p["payment_reference"].as_str()),
        (Some("2026-08-10"), Some("BACS-0810"))
    );
    assert_eq!(p["days_to_pay"], 27);
    let q = payment(&s, INV_789);
    assert_eq!(
        (q["days_so_far"].as_i64(), q["flag"].as_str()),
        (Some(34), Some("unpaid"))
    );
    assert_eq!(s["half_year"]["start"], "2026-04-01");
    assert_eq!(s["half_year"]["end"], "2026-09-30");
    assert_eq!(s["half_year"]["payments"], 1);
    assert_eq!(s["half_year"]["average_days"], "27.0");
    assert_eq!(s["half_year"]["within_30_days_percent"], "100.0");

    // Penarth paid on 23/08/2026: 17/07 -> 23/08 is 14 + 23 = 37 days,
    // after day 30: LATE. Now (27 + 37) / 2 = 32.0 days on average, and 1
    // of 2 within 30 days: 50.0%.
    let second = book.file(
        "paid-2.csv",
        &format!("Reference,Date paid,Payment reference\n{INV_789},2026-08-23,BACS-0823\n"),
    );
    let out = book.paid(&second);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let s = book.status("2026-09-01");
    let q = payment(&s, INV_789);
    assert_eq!(
        (q["days_to_pay"].as_i64(), q["flag"].as_str()),
        (Some(37), Some("late"))
    );
    assert_eq!(s["half_year"]["payments"], 2);
    assert_eq!(s["half_year"]["total_days"], 64);
    assert_eq!(s["half_year"]["within_30_days"], 1);
    assert_eq!(s["half_year"]["average_days"], "32.0");
    assert_eq!(s["half_year"]["within_30_days_percent"], "50.0");
    assert_eq!(
        s["half_year"]["rounding"],
        "one decimal place, half away from zero"
    );
    let text = book.status_text("2026-09-01");
    assert!(text.contains("10/08/2026 BACS-0810"), "{text}");
    assert!(text.contains("37 LATE"), "{text}");
    assert!(
        text.contains("2 payments made; average 32.0 days to pay; 50.0% paid within 30 days (1 of 2)."),
        "{text}"
    );
    // In the next half-year (from 01/10/2026) nothing is paid yet.
    let s = book.status("2026-10-01");
    assert_eq!(s["half_year"]["start"], "2026-10-01");
    assert_eq!(s["half_year"]["payments"], 0);

    // The same file again records nothing and says so.
    let head = book.count("SELECT count(*) FROM chain");
    let again = book.paid(&second);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(again.stdout.contains("Nothing new to record"), "{}", again.stdout);
    assert!(
        again
            .stderr
            .contains("is already recorded paid on 23/08/2026 under BACS-0823: skipped"),
        "{}",
        again.stderr
    );
    assert_eq!(book.count("SELECT count(*) FROM payment"), 3);
    assert_eq!(book.count("SELECT count(*) FROM chain"), head, "no new link");

    // The ledger verifies whole, the payments in its chain: 3 returns, 3
    // exports, 2 payment records.
    let ok = book.verify();
    assert_eq!(ok.code, 0, "{}", ok.stdout);
    assert!(ok.stdout.contains("whole. 8 records"), "{}", ok.stdout);

    // Penarth's remittance advice (in English) says when it was paid.
    let letters = book.dir.path().join("letters");
    let council = example("council.toml").display().to_string();
    let decisions = example("decisions.csv").display().to_string();
    let ledger = book.arg();
    let penarth = example("penarth-homecare.xlsx").display().to_string();
    let out = run_at(
        PAID,
        &[
            "letters",
            "--date",
            "2026-09-01",
            "--council",
            &council,
            "--decisions",
            &decisions,
            &penarth,
            "--ledger",
            &ledger,
            "-o",
            &letters.display().to_string(),
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let pdf = letters.join("remittance-SUP00789.pdf");
    if let Ok(text) = Command::new("pdftotext").arg(&pdf).arg("-").output() {
        let text = String::from_utf8_lossy(&text.stdout)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            text.contains("Paid on 23 August 2026, payment reference BACS-0823."),
            "{text}"
        );
    }
}

#[test]
fn every_control_refuses_the_whole_file_naming_each_line() {
    let book = Book::exported();
    let file = book.file(
        "bad.csv",
        &format!(
            "Reference,Date paid,Payment reference,Amount\n\
             YC-00099,2026-08-10,B1,\n\
             YC-00003,2026-08-10,B1,\n\
             {INV_123},2026-08-10,B1,534.27\n\
             {INV_123},10/08/2026,B1,\n\
             {INV_789},2026-07-31,B2,\n\
             {INV_789},2026-09-02,B2,\n\
             YC-00002,2026-08-20,R1,\n\
             YC-00002,2026-08-21,R1,\n"
        ),
    );
    let out = book.paid(&file);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    for says in [
        "bad.csv line 2: \"YC-00099\" is neither an export's reference",
        "bad.csv line 3: YC-00003 is export 3, the referrals list",
        "bad.csv line 4: the amount £534.27 is not the amount of YC-SUP00123-20260406-1 (£534.28)",
        "bad.csv line 5: the date paid \"10/08/2026\" cannot be read as a date written %Y-%m-%d (e.g. 2026-08-10)",
        "bad.csv line 6: the date paid 31/07/2026 is before export 1 was made (01/08/2026)",
        "bad.csv line 7: the date paid 02/09/2026 is after today (01/09/2026)",
        "bad.csv line 9: export 2 line 1 is reported paid on line 8 too, with other details (20/08/2026, R1 there; 21/08/2026, R1 here)",
        "nothing was recorded",
    ] {
        assert!(out.stderr.contains(says), "{says}: {}", out.stderr);
    }
    assert_eq!(book.count("SELECT count(*) FROM payment"), 0);
    assert_eq!(book.count("SELECT count(*) FROM payment_run"), 0);

    // A line recorded paid, then reported with another date: a conflict.
    let good = book.file(
        "good.csv",
        &format!("Reference,Date paid,Payment reference\n{INV_123},2026-08-10,B1\n"),
    );
    assert_eq!(book.paid(&good).code, 0);
    let other = book.file(
        "other.csv",
        "Reference,Date paid,Payment reference\nYC-00001,2026-08-11,B1\n",
    );
    let out = book.paid(&other);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains(&format!(
            "other.csv line 2: export 1 line 1 ({INV_123}) is already recorded paid on 10/08/2026 under payment reference B1"
        )),
        "{}",
        out.stderr
    );
    assert_eq!(
        book.count("SELECT count(*) FROM payment"),
        1,
        "line 2 of export 1 not recorded either"
    );

    // A file that cannot be read: one plain line, exit 2.
    let out = book.paid(&book.dir.path().join("missing.csv").display().to_string());
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("there is no such file"), "{}", out.stderr);
    assert!(!out.stderr.contains("os error"), "{}", out.stderr);
    let headless = book.file("headless.csv", "Ref,When\nYC-00001,2026-08-10\n");
    let out = book.paid(&headless);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("the header has no \"Reference\" column"),
        "{}",
        out.stderr
    );
}

#[test]
fn the_councils_layout_is_read_from_its_paid_table() {
    let book = Book::exported();
    let council = book.dir.path().join("council.toml");
    std::fs::write(
        &council,
        "ledger = \"ledger.db\"\n\n[paid]\nreference = \"INVOICE_NUM\"\ndate = \"CHECK_DATE\"\npayment_reference = \"CHECK_NUMBER\"\namount = \"AMOUNT_PAID\"\ndate_format = \"%d/%m/%Y\"\n",
    )
    .unwrap();
    let file = book.file(
        "AP.csv",
        &format!("VENDOR,INVOICE_NUM,CHECK_NUMBER,CHECK_DATE,AMOUNT_PAID\nBro,{INV_123},100234,10/08/2026,\"534.28\"\n"),
    );
    let out = run_at(
        PAID,
        &[
            "paid",
            &file,
            "--council",
            &council.display().to_string(),
            "--officer",
            "Rhys Price",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("£534.28 paid 10/08/2026 under 100234"),
        "{}",
        out.stdout
    );

    std::fs::write(
        &council,
        "ledger = \"ledger.db\"\n\n[paid]\ndate_format = \"%d/%m\"\n",
    )
    .unwrap();
    let out = run_at(
        PAID,
        &[
            "paid",
            &file,
            "--council",
            &council.display().to_string(),
            "--officer",
            "Rhys Price",
        ],
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("council.toml:4:") && out.stderr.contains("does not write a whole date"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_payment_edited_behind_the_tools_back_breaks_the_chain() {
    let cases = [
        "UPDATE payment SET paid_on = '2026-08-01'",
        "DELETE FROM payment WHERE line = 2",
        "INSERT INTO payment SELECT 99, payment_run_id, 2, 1, NULL, paid_on, payment_reference, '285.53', \
         file_name, file_sha256, 3, recorded_at, officer FROM payment LIMIT 1",
    ];
    for sql in cases {
        let book = Book::exported();
        let file = book.file(
            "paid.csv",
            "Reference,Date paid,Payment reference\nYC-00001,2026-08-10,BACS-0810\n",
        );
        assert_eq!(book.paid(&file).code, 0);
        {
            // As someone with sqlite3 would: the triggers dropped, the row
            // changed, the triggers put back as they were.
            let db = Connection::open(&book.path).unwrap();
            let triggers: Vec<(String, String)> = {
                let mut stmt = db
                    .prepare(
                        "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'payment'",
                    )
                    .unwrap();
                stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                    .unwrap()
                    .map(Result::unwrap)
                    .collect()
            };
            for (name, _) in &triggers {
                db.execute_batch(&format!("DROP TRIGGER {name}")).unwrap();
            }
            db.execute_batch(sql).unwrap();
            for (_, create) in &triggers {
                db.execute_batch(create).unwrap();
            }
        }
        let out = book.verify();
        assert_eq!(out.code, 1, "{sql}: {}", out.stdout);
        assert!(
            out.stdout.contains("BROKEN: payment record 1 (the paid file ")
                && out.stdout.contains("is not as it was recorded"),
            "{sql}: {}",
            out.stdout
        );
        // Nothing more is recorded in a broken ledger.
        let more = book.file(
            "more.csv",
            "Reference,Date paid,Payment reference\nYC-00002,2026-08-20,R\n",
        );
        let out = book.paid(&more);
        assert_eq!(out.code, 2, "{sql}: {}", out.stderr);
        assert!(
            out.stderr.contains("has been changed outside yourchoice"),
            "{}",
            out.stderr
        );
    }
    // The append-only triggers refuse an edit made without dropping them.
    let book = Book::exported();
    let file = book.file(
        "paid.csv",
        "Reference,Date paid,Payment reference\nYC-00001,2026-08-10,B\n",
    );
    assert_eq!(book.paid(&file).code, 0);
    let db = Connection::open(&book.path).unwrap();
    let err = db
        .execute_batch("UPDATE payment SET paid_on = '2026-08-01'")
        .unwrap_err();
    assert!(err.to_string().contains("the ledger is append-only"), "{err}");
}

/// A ledger of schema 2 (as the previous version made it: returns and
/// exports, each linked, no payment tables) migrates to schema 3 on open:
/// the chain rebuilt with every link as it was, so it verifies whole with
/// the same head, and a payment can then be recorded.
#[test]
fn a_ledger_of_schema_2_migrates_keeping_every_link() {
    let book = Book::exported();
    let head: String = Connection::open(&book.path)
        .unwrap()
        .query_row("SELECT hash FROM chain ORDER BY seq DESC LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    // The same records copied into a ledger built by schemas 1 and 2 only.
    let old = book.dir.path().join("old.db");
    {
        let db = Connection::open(&old).unwrap();
        db.execute_batch(include_str!("../../src/store/schema_1.sql"))
            .unwrap();
        db.execute_batch(include_str!("../../src/store/schema_2.sql"))
            .unwrap();
        db.execute_batch(&format!("ATTACH '{}' AS new", book.path.display()))
            .unwrap();
        for table in [
            "reconciliation",
            "person",
            "finding",
            "settings_file",
            "export",
            "export_part",
            "chain",
        ] {
            db.execute_batch(&format!("INSERT INTO main.{table} SELECT * FROM new.{table}"))
                .unwrap();
        }
        db.execute_batch("DETACH new; PRAGMA user_version = 2").unwrap();
    }
    let ledger = old.display().to_string();
    let ok = run_at(PAID, &["ledger", "verify", "--ledger", &ledger, "--head", &head]);
    assert_eq!(ok.code, 0, "{}{}", ok.stdout, ok.stderr);
    assert!(ok.stdout.contains("whole. 6 records"), "{}", ok.stdout);
    let db = Connection::open(&old).unwrap();
    let version: i64 = db.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, 3);
    let tables: i64 = db
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE name IN ('payment', 'payment_run')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(tables, 2);
    drop(db);
    let file = book.file(
        "paid.csv",
        "Reference,Date paid,Payment reference\nYC-00001,2026-08-10,B\n",
    );
    let out = run_at(
        PAID,
        &["paid", &file, "--ledger", &ledger, "--officer", "Rhys Price"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let ok = run_at(PAID, &["ledger", "verify", "--ledger", &ledger]);
    assert!(ok.stdout.contains("whole. 7 records"), "{}", ok.stdout);
}
