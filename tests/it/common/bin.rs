//! Running the `yourchoice` binary.

use std::ffi::OsStr;

use assert_cmd::Command;

/// The `yourchoice` binary cargo built, with `NO_COLOR=1`.
pub fn yourchoice() -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin!("yourchoice"));
    cmd.env("NO_COLOR", "1");
    cmd
}

/// `yourchoice ARGS...`: the exit code (None: killed by a signal), stdout
/// and stderr (lossy UTF-8).
pub fn run<S: AsRef<OsStr>>(args: &[S]) -> (Option<i32>, String, String) {
    let out = yourchoice().args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The `yourchoice` binary as a plain `std::process::Command` (to spawn it
/// and wait with a timeout), with `NO_COLOR=1`.
pub fn yourchoice_std() -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin!("yourchoice"));
    cmd.env("NO_COLOR", "1");
    cmd
}
