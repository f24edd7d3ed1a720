//! No output replaces an input of the run, and a refused ledger is left
//! exactly as found (issue 22). The real binary in a council's folder (a
//! copy of `examples/council/`, a people file and a ledger holding Bro
//! Morgannwg's return): every command that writes a file, pointed with
//! `--force` at each kind of file it reads, spelled as given, as
//! `sub/../NAME`, as `missing/../NAME`, through a hard link and through a
//! symbolic link, exits 2 naming the input, and every file in the folder
//! keeps its bytes (SHA-256 before and after) with nothing made beside it.

use std::path::{Path, PathBuf};

use crate::common::bin::run;
use crate::common::files::example;
use crate::common::kept::{edit_ledger, listing, sha256};

/// A council's folder for one test.
struct Office {
    dir: tempfile::TempDir,
}

/// The files of `examples/council/` the commands read.
const COPIED: [&str; 5] = [
    "council.toml",
    "plans.csv",
    "decisions.csv",
    "bro-morgannwg.xlsx",
    "penarth-homecare.xlsx",
];

impl Office {
    fn new() -> Office {
        let dir = tempfile::tempdir().unwrap();
        for name in COPIED {
            std::fs::copy(example(&format!("council/{name}")), dir.path().join(name)).unwrap();
        }
        std::fs::write(
            dir.path().join("people.csv"),
            "Person ID,Name,Weekly bundle\nP1001,Megan Jones,10\n",
        )
        .unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let office = Office { dir };
        let (code, _, stderr) = run(&[
            "reconcile",
            &office.arg("bro-morgannwg.xlsx"),
            "--council",
            &office.arg("council.toml"),
            "--ledger",
            &office.arg("ledger.db"),
            "--officer",
            "Siân Thomas",
            "--new-ledger",
            "--no-report",
            "--quiet",
        ]);
        assert_eq!(code, Some(0), "{stderr}");
        office
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn arg(&self, name: &str) -> String {
        self.path(name).display().to_string()
    }

    /// Every entry of the folder (and of `sub/`) with each file's SHA-256.
    fn state(&self) -> Vec<(String, u64, Option<String>)> {
        let mut all = Vec::new();
        for (folder, prefix) in [(self.dir.path().to_path_buf(), ""), (self.path("sub"), "sub/")] {
            for (name, size) in listing(&folder) {
                let path = folder.join(&name);
                let meta = std::fs::symlink_metadata(&path).unwrap();
                let hash = meta.file_type().is_file().then(|| sha256(&path));
                all.push((format!("{prefix}{name}"), size, hash));
            }
        }
        all
    }
}

/// How the output names the input.
#[derive(Clone, Copy, Debug)]
enum Spelling {
    AsGiven,
    /// `sub/../NAME`, `sub` a folder that exists.
    ThroughSub,
    /// `missing/../NAME`, `missing` a folder that does not exist (a write
    /// would make it, then land on NAME).
    ThroughMissing,
    HardLink,
    SymLink,
}

const SPELLINGS: [Spelling; 5] = [
    Spelling::AsGiven,
    Spelling::ThroughSub,
    Spelling::ThroughMissing,
    Spelling::HardLink,
    Spelling::SymLink,
];

/// The output path naming `name` as `spelling` does (making the link).
fn spell(office: &Office, name: &str, spelling: Spelling) -> Option<String> {
    let target = office.path(name);
    Some(match spelling {
        Spelling::AsGiven => office.arg(name),
        Spelling::ThroughSub => office.arg(&format!("sub/../{name}")),
        Spelling::ThroughMissing => office.arg(&format!("missing/../{name}")),
        // A file not made yet (the ledger's `-wal`) has no link.
        Spelling::HardLink => {
            let link = office.path(&format!("hard-{name}"));
            std::fs::hard_link(&target, &link).ok()?;
            link.display().to_string()
        }
        Spelling::SymLink => {
            if !target.exists() {
                return None;
            }
            let link = office.path(&format!("soft-{name}"));
            std::os::unix::fs::symlink(&target, &link).unwrap();
            link.display().to_string()
        }
    })
}

/// Each kind of input, and how the refusal names it.
fn says(name: &str) -> &'static str {
    match name {
        "council.toml" => "the council settings file",
        "plans.csv" => "the plans file",
        "decisions.csv" => "the decisions file",
        "people.csv" => "the people file",
        "bro-morgannwg.xlsx" => "the return",
        "ledger.db" => "the ledger",
        "ledger.db-wal" => "the ledger's write-ahead log",
        other => panic!("no input {other}"),
    }
}

/// A command that writes a file: its arguments with the output at `out`,
/// what it calls that output, and the files it reads.
struct Writer {
    args: fn(&Office, &str) -> Vec<String>,
    output: &'static str,
    reads: &'static [&'static str],
}

/// `--force` with the output at `out`, after `args` (names in the office).
fn with(office: &Office, args: &[&str], named: &[(&str, &str)], out: &[&str]) -> Vec<String> {
    let mut all: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    for (flag, name) in named {
        all.push(flag.to_string());
        all.push(office.arg(name));
    }
    all.extend(out.iter().map(|a| a.to_string()));
    all.push("--force".into());
    all
}

/// Run `writer` with its output over each file it reads, however spelled:
/// refused (exit 2) naming the input, and the folder as it was.
fn refuses_every_input(writer: &Writer) {
    for name in writer.reads {
        for spelling in SPELLINGS {
            let office = Office::new();
            let Some(out) = spell(&office, name, spelling) else {
                continue;
            };
            let before = office.state();
            let args = (writer.args)(&office, &out);
            let (code, _, stderr) = run(&args);
            let case = format!("{} over {name} ({spelling:?})", writer.output);
            assert_eq!(code, Some(2), "{case}: {stderr}");
            let expected = format!(
                "yourchoice: refusing to write {} over {} {}, an input of this run: choose another path\n",
                writer.output,
                says(name),
                office.arg(name)
            );
            assert_eq!(stderr, expected, "{case}");
            assert_eq!(office.state(), before, "{case}: the folder is as it was");
        }
    }
}

#[test]
fn export_never_replaces_a_return_or_a_settings_file() {
    refuses_every_input(&Writer {
        args: |o, out| {
            with(
                o,
                &["export", "payments", &o.arg("bro-morgannwg.xlsx")],
                &[("--council", "council.toml"), ("--decisions", "decisions.csv")],
                &["-o", out],
            )
        },
        output: "the export",
        reads: &["council.toml", "plans.csv", "decisions.csv", "bro-morgannwg.xlsx"],
    });
}

#[test]
fn export_from_the_ledger_never_replaces_it() {
    refuses_every_input(&Writer {
        args: |o, out| {
            with(
                o,
                &[
                    "export",
                    "payments",
                    "--officer",
                    "Rhys Finance",
                    "--period",
                    "2026-04-06",
                ],
                &[("--council", "council.toml"), ("--ledger", "ledger.db")],
                &["-o", out],
            )
        },
        output: "the export",
        reads: &["council.toml", "plans.csv", "ledger.db", "ledger.db-wal"],
    });
}

#[test]
fn reconcile_never_writes_a_report_over_an_input() {
    refuses_every_input(&Writer {
        args: |o, out| {
            with(
                o,
                &[
                    "reconcile",
                    &o.arg("bro-morgannwg.xlsx"),
                    "--officer",
                    "Siân Thomas",
                    "--quiet",
                ],
                &[
                    ("--council", "council.toml"),
                    ("--decisions", "decisions.csv"),
                    ("--ledger", "ledger.db"),
                ],
                &["-o", out],
            )
        },
        output: "the report",
        reads: &[
            "council.toml",
            "plans.csv",
            "decisions.csv",
            "bro-morgannwg.xlsx",
            "ledger.db",
            "ledger.db-wal",
        ],
    });
}

#[test]
fn reconcile_never_writes_the_summary_over_an_input() {
    refuses_every_input(&Writer {
        args: |o, out| {
            with(
                o,
                &[
                    "reconcile",
                    &o.arg("bro-morgannwg.xlsx"),
                    "--officer",
                    "Siân Thomas",
                    "--quiet",
                    "--no-report",
                ],
                &[
                    ("--council", "council.toml"),
                    ("--decisions", "decisions.csv"),
                    ("--ledger", "ledger.db"),
                ],
                &["--summary", out],
            )
        },
        output: "the summary",
        reads: &[
            "council.toml",
            "plans.csv",
            "decisions.csv",
            "bro-morgannwg.xlsx",
            "ledger.db",
            "ledger.db-wal",
        ],
    });
}

#[test]
fn monitor_never_replaces_an_input() {
    refuses_every_input(&Writer {
        args: |o, out| {
            with(
                o,
                &["monitor", &o.arg("bro-morgannwg.xlsx"), "--as-of", "2026-05-04"],
                &[("--council", "council.toml")],
                &["-o", out],
            )
        },
        output: "the monitor workbook",
        reads: &["council.toml", "plans.csv", "bro-morgannwg.xlsx"],
    });
}

#[test]
fn template_never_replaces_the_people_file_or_a_settings_file() {
    refuses_every_input(&Writer {
        args: |o, out| {
            with(
                o,
                &[
                    "template",
                    "--provider-ref",
                    "SUP00123",
                    "--period-start",
                    "2026-04-06",
                ],
                &[("--council", "council.toml"), ("--people", "people.csv")],
                &["-o", out],
            )
        },
        output: "the template",
        reads: &["council.toml", "plans.csv", "people.csv"],
    });
}

#[test]
fn decisions_and_spot_check_never_replace_an_input() {
    refuses_every_input(&Writer {
        args: |o, out| {
            with(
                o,
                &["decisions", &o.arg("bro-morgannwg.xlsx")],
                &[("--council", "council.toml"), ("--decisions", "decisions.csv")],
                &["-o", out],
            )
        },
        output: "the decisions workbook",
        reads: &["council.toml", "plans.csv", "decisions.csv", "bro-morgannwg.xlsx"],
    });
    refuses_every_input(&Writer {
        args: |o, out| {
            with(
                o,
                &["spot-check", &o.arg("bro-morgannwg.xlsx"), "--sample", "2"],
                &[("--council", "council.toml"), ("--decisions", "decisions.csv")],
                &["-o", out],
            )
        },
        output: "the workbook",
        reads: &["council.toml", "plans.csv", "decisions.csv", "bro-morgannwg.xlsx"],
    });
}

#[test]
fn without_force_an_input_is_refused_as_an_input() {
    let office = Office::new();
    let before = office.state();
    let (code, _, stderr) = run(&[
        "export",
        "payments",
        &office.arg("bro-morgannwg.xlsx"),
        "--council",
        &office.arg("council.toml"),
        "--decisions",
        &office.arg("decisions.csv"),
        "-o",
        &office.arg("decisions.csv"),
    ]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "refusing to write the export over the decisions file {}, an input of this run",
            office.arg("decisions.csv")
        )),
        "{stderr}"
    );
    assert_eq!(office.state(), before);
}

#[test]
fn each_report_in_a_folder_is_checked() {
    // Two returns and -o FOLDER: the reports are FOLDER/bro-morgannwg.report.xlsx
    // and FOLDER/penarth-homecare.report.xlsx; the second is a link to an input.
    for (link, name) in [("hard", "decisions.csv"), ("soft", "council.toml")] {
        let office = Office::new();
        let reports = office.path("reports");
        std::fs::create_dir(&reports).unwrap();
        let report = reports.join("penarth-homecare.report.xlsx");
        if link == "hard" {
            std::fs::hard_link(office.path(name), &report).unwrap();
        } else {
            std::os::unix::fs::symlink(office.path(name), &report).unwrap();
        }
        let before = office.state();
        let (code, _, stderr) = run(&[
            "reconcile",
            &office.arg("bro-morgannwg.xlsx"),
            &office.arg("penarth-homecare.xlsx"),
            "--council",
            &office.arg("council.toml"),
            "--decisions",
            &office.arg("decisions.csv"),
            "-o",
            &reports.display().to_string(),
            "--force",
            "--quiet",
        ]);
        assert_eq!(code, Some(2), "{link}: {stderr}");
        assert_eq!(
            stderr,
            format!(
                "yourchoice: refusing to write the report over {} {}, an input of this run: choose another path\n",
                says(name),
                office.arg(name)
            )
        );
        assert_eq!(office.state(), before, "{link}");
        assert_eq!(
            listing(&reports).len(),
            1,
            "{link}: no report written beside the link"
        );
    }
}

// A refused ledger is left exactly as found.

/// How a ledger is damaged before it is given to a command.
#[derive(Clone, Copy, Debug)]
enum Damage {
    /// Cut to half its size.
    Truncated,
    /// Not SQLite at all.
    Garbage,
    /// A recorded settlement edited (the triggers dropped and put back).
    ChainBroken,
    /// A schema this version does not know (user_version 9).
    Newer,
}

/// A folder holding only a copy of the office's ledger, damaged.
fn damaged(office: &Office, damage: Damage) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.db");
    std::fs::copy(office.path("ledger.db"), &path).unwrap();
    match damage {
        Damage::Truncated => {
            let bytes = std::fs::read(&path).unwrap();
            std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
        }
        Damage::Garbage => {
            std::fs::write(&path, "Person ID,Name\nP1001,Megan Jones\n".repeat(200)).unwrap();
        }
        Damage::ChainBroken => edit_ledger(
            &path,
            "UPDATE person SET settlement = '999.99' WHERE person_id = 'P1001'",
        ),
        Damage::Newer => edit_ledger(&path, "PRAGMA user_version = 9"),
    }
    assert_eq!(
        listing(dir.path()).len(),
        1,
        "only the ledger: {:?}",
        listing(dir.path())
    );
    (dir, path)
}

#[test]
fn a_refused_ledger_is_left_exactly_as_found() {
    let office = Office::new();
    let council = office.arg("council.toml");
    let cwm = example("council/cwm-taf-care.xlsx").display().to_string();
    for damage in [
        Damage::Truncated,
        Damage::Garbage,
        Damage::ChainBroken,
        Damage::Newer,
    ] {
        let (dir, path) = damaged(&office, damage);
        let ledger = path.display().to_string();
        let out = dir.path().join("pay.csv").display().to_string();
        let commands: [(&str, Vec<&str>); 4] = [
            ("status", vec!["status", "--ledger", &ledger]),
            ("verify", vec!["ledger", "verify", "--ledger", &ledger]),
            (
                "reconcile",
                vec![
                    "reconcile",
                    &cwm,
                    "--council",
                    &council,
                    "--ledger",
                    &ledger,
                    "--officer",
                    "Siân Thomas",
                    "--no-report",
                    "--quiet",
                ],
            ),
            (
                "export",
                vec![
                    "export",
                    "payments",
                    "--council",
                    &council,
                    "--ledger",
                    &ledger,
                    "--officer",
                    "Rhys Finance",
                    "--period",
                    "2026-04-06",
                    "-o",
                    &out,
                ],
            ),
        ];
        for (command, args) in commands {
            let before = (listing(dir.path()), sha256(&path));
            let (code, stdout, stderr) = run(&args);
            let case = format!("{command} on a ledger {damage:?}");
            let said = format!("{stdout}{stderr}");
            // status and verify read a ledger whose chain is broken, and say
            // so (exit 1); every other refusal is exit 2.
            let (expected_code, says) = match damage {
                Damage::Truncated => (
                    2,
                    format!(
                        "the ledger {ledger} is shorter than its own header says: it was cut short (truncated); restore it from a backup"
                    ),
                ),
                Damage::Garbage => (2, format!("{ledger} is not a yourchoice ledger (not an SQLite database)")),
                Damage::ChainBroken => (
                    if matches!(command, "status" | "verify") { 1 } else { 2 },
                    "the return of SUP00123 for the period from 06/04/2026 (version 1, record 1) is not as it was recorded"
                        .to_string(),
                ),
                Damage::Newer => (2, format!("{ledger} is a ledger of a newer yourchoice (schema 9;")),
            };
            assert_eq!(code, Some(expected_code), "{case}: {said}");
            assert!(said.contains(&says), "{case}: {said}");
            assert_eq!(
                (listing(dir.path()), sha256(&path)),
                before,
                "{case}: the folder and the ledger's bytes are as they were"
            );
        }
    }
}

#[test]
fn a_ledger_in_use_is_still_tidied_by_sqlite_not_by_us() {
    // A good ledger: status leaves nothing beside it either (SQLite
    // removes its log when the last connection closes).
    let office = Office::new();
    let before = listing(office.dir.path());
    let (code, _, stderr) = run(&["status", "--ledger", &office.arg("ledger.db")]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(listing(office.dir.path()), before);
    assert!(Path::new(&office.arg("ledger.db")).exists());
}
