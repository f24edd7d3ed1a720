//! What users see when something goes wrong around the figures: no file is
//! overwritten without `--force`, figures reach the screen even when a
//! report cannot be written, a Windows-1252 CSV is read, an empty return is
//! an error. Each through the real binary.

use std::path::PathBuf;
use std::process::Output;

use crate::common::bin::yourchoice;
use crate::common::files::{example, root};

fn sample() -> PathBuf {
    example("provider.xlsx")
}

fn run(args: &[&std::ffi::OsStr]) -> Output {
    yourchoice().args(args).output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn no_command_overwrites_a_file_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let existing = dir.path().join("out.xlsx");
    std::fs::write(&existing, b"a provider's completed return").unwrap();
    let template = |force: bool| {
        let mut args: Vec<&std::ffi::OsStr> = vec![
            "template".as_ref(),
            "--provider-ref".as_ref(),
            "SUP1".as_ref(),
            "--period-start".as_ref(),
            "2026-04-06".as_ref(),
            "-o".as_ref(),
            existing.as_os_str(),
        ];
        if force {
            args.push("--force".as_ref());
        }
        run(&args)
    };
    let out = template(false);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("out.xlsx already exists: add --force to replace it"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(&existing).unwrap(),
        b"a provider's completed return"
    );

    // reconcile's report and export's CSV alike.
    let out = run(&[
        "reconcile".as_ref(),
        sample().as_os_str(),
        "-o".as_ref(),
        existing.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("Invoice to the provider: £240.23"),
        "figures first"
    );
    assert!(text(&out.stderr).contains("already exists: add --force"));
    let out = run(&[
        "export".as_ref(),
        "payments".as_ref(),
        sample().as_os_str(),
        "-o".as_ref(),
        existing.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        std::fs::read(&existing).unwrap(),
        b"a provider's completed return"
    );

    // With --force it is replaced by a workbook.
    assert_eq!(template(true).status.code(), Some(0));
    assert!(std::fs::read(&existing).unwrap().starts_with(b"PK"));
}

#[test]
fn figures_reach_the_screen_when_the_report_cannot_be_written() {
    let dir = tempfile::tempdir().unwrap();
    // A folder that cannot be made (its parent is a file): what a read-only
    // or missing share does, and it fails for root too.
    let blocker = dir.path().join("not-a-folder");
    std::fs::write(&blocker, b"").unwrap();
    let target = blocker.join("reports/r.xlsx");
    let out = run(&[
        "reconcile".as_ref(),
        sample().as_os_str(),
        "-o".as_ref(),
        target.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("Invoice to the provider: £240.23"), "{stdout}");
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("cannot create the folder"), "{err}");
    assert!(
        err.contains("-o FILE writes the report elsewhere, --no-report writes none"),
        "{err}"
    );
    assert!(!err.contains(".yourchoice-"), "never the temporary file: {err}");
}

#[test]
fn a_missing_folder_for_an_output_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("meeting/june/r.xlsx");
    let out = run(&[
        "reconcile".as_ref(),
        sample().as_os_str(),
        "-o".as_ref(),
        target.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(target.exists());
}

#[cfg(unix)]
#[test]
fn a_read_only_folder_is_reported_after_the_figures() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let ro = dir.path().join("ro");
    std::fs::create_dir(&ro).unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    // Root may write anywhere: then there is nothing to see here.
    if std::fs::write(ro.join("probe"), b"").is_ok() {
        eprintln!("SKIPPED: running as root, a read-only folder is writable");
        return;
    }
    let target = ro.join("r.xlsx");
    let out = run(&[
        "reconcile".as_ref(),
        sample().as_os_str(),
        "-o".as_ref(),
        target.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stdout).contains("Invoice to the provider"));
    let err = text(&out.stderr);
    assert!(
        err.contains("may not write there") && !err.contains(".yourchoice-"),
        "{err}"
    );
}

#[test]
fn a_windows_1252_people_file_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let people = dir.path().join("people.csv");
    // "Siân" in Windows-1252 (â is 0xE2), lines ending CR LF.
    let mut bytes = b"Person ID,Name,Weekly bundle\r\nP1,Si".to_vec();
    bytes.push(0xE2);
    bytes.extend_from_slice(b"n Thomas,10\r\n");
    std::fs::write(&people, bytes).unwrap();
    let out_path = dir.path().join("t.xlsx");
    let out = run(&[
        "template".as_ref(),
        "--provider-ref".as_ref(),
        "SUP1".as_ref(),
        "--period-start".as_ref(),
        "2026-04-06".as_ref(),
        "--people".as_ref(),
        people.as_os_str(),
        "-o".as_ref(),
        out_path.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let check = run(&["check".as_ref(), "--json".as_ref(), out_path.as_os_str()]);
    let doc = text(&check.stdout);
    assert!(doc.contains("P1 (Si\u{e2}n Thomas)"), "{doc}");
}

#[test]
fn a_person_twice_in_the_people_file_names_both_lines() {
    let dir = tempfile::tempdir().unwrap();
    let people = dir.path().join("people.csv");
    std::fs::write(
        &people,
        "Person ID,Name,Weekly bundle\nP1,Ann,10\n\nP2,Bob,5\nP1,Ann,12\n",
    )
    .unwrap();
    let out = run(&[
        "template".as_ref(),
        "--provider-ref".as_ref(),
        "SUP1".as_ref(),
        "--period-start".as_ref(),
        "2026-04-06".as_ref(),
        "--people".as_ref(),
        people.as_os_str(),
        "-o".as_ref(),
        dir.path().join("t.xlsx").as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("people.csv:5: P1 is on line 2 too"), "{err}");
}

#[test]
fn an_empty_return_is_not_ready_to_submit() {
    let dir = tempfile::tempdir().unwrap();
    let blank = dir.path().join("blank.xlsx");
    let out = run(&[
        "template".as_ref(),
        "--provider-ref".as_ref(),
        "SUP1".as_ref(),
        "--period-start".as_ref(),
        "2026-04-06".as_ref(),
        "--rate".as_ref(),
        "24".as_ref(),
        "-o".as_ref(),
        blank.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = run(&["check".as_ref(), blank.as_os_str()]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("error[no-people] Hours!4: The Hours sheet lists no one"),
        "{stdout}"
    );
    assert!(stdout.contains("Not ready to submit"), "{stdout}");
}

/// A workbook calamine panics on (an `.xls` cut short inside a sector,
/// found by fuzzing) is one finding; the user sees no Rust panic message
/// or backtrace, even with `RUST_BACKTRACE` set.
#[test]
fn a_reader_panic_is_a_finding_with_nothing_else_on_screen() {
    let file = root().join("tests/corpus/found-cut-short.xls");
    let out = yourchoice()
        .arg("check")
        .arg(&file)
        .env("RUST_BACKTRACE", "1")
        .output()
        .unwrap();
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(
        stdout
            .starts_with("error[unreadable-workbook] found-cut-short.xls could not be opened as a workbook"),
        "{stdout}"
    );
    for noise in ["panicked", "backtrace", "calamine", ".rs:"] {
        assert!(
            !stdout.contains(noise) && !stderr.contains(noise),
            "{noise}: {stdout}{stderr}"
        );
    }
}
