//! The README's examples are the program's own output: `trycmd` runs each
//! ```` ```console ```` block of `README.md` (a `$ yourchoice ...` line, an
//! optional `? CODE` exit-status line, then the expected output, with `...`
//! lines and `[..]` elisions allowed) and compares stdout and stderr with it.
//!
//! A Markdown case has no `README.in/` folder and no sandbox, so each command
//! runs in this test's current directory, which Cargo sets to the package
//! root: the README's paths (`examples/provider.xlsx`) are relative to the
//! repository root, as a reader would type them there. The name `yourchoice`
//! is resolved to the binary Cargo built for this test (`register_bin`), not
//! to one on `PATH`. No block may write a file (`reconcile` blocks pass
//! `--no-report`), but for the quarter's ledger, `/tmp/yourchoice-quarter.db`,
//! which this test removes before it starts, the return `fill` writes,
//! `/tmp/yourchoice-filled.xlsx`, and the letters, `/tmp/yourchoice-letters/`
//! (written with `--force`).
//!
//! After an intended change of output, `TRYCMD=overwrite cargo test --test
//! readme` rewrites the blocks in place; read the diff before committing.

/// The ledger the README's quarter writes, in a fixed place so a reader
/// can type the commands as shown; removed first, so the quarter starts
/// from an empty ledger on every run.
const QUARTER_LEDGER: &str = "/tmp/yourchoice-quarter.db";

/// The return the README's `fill` writes (with `--force`), in a fixed place
/// for the same reason; removed first too.
const FILLED: &str = "/tmp/yourchoice-filled.xlsx";

#[test]
fn readme_examples() {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{QUARTER_LEDGER}{suffix}"));
    }
    let _ = std::fs::remove_file(FILLED);
    trycmd::TestCases::new()
        .register_bin("yourchoice", trycmd::cargo::cargo_bin!("yourchoice"))
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        // The quarter is recorded, exported and paid on 12/08/2026, as the
        // README's finance's day says (`base::clock`, debug builds only).
        .env("YOURCHOICE_TEST_NOW", "2026-08-12T09:00:00Z")
        .case("README.md");
}
