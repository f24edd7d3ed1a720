//! The paths a command would write, checked before anything runs: never
//! over one of the run's inputs, and a report's name beside its input.
//!
//! Every command lists what it reads once, in [`RunInputs`]: the returns,
//! the council's settings files (council.toml, the plans it names, the
//! decisions), the people file, the filled spot-check workbook, and the
//! ledger with the files SQLite keeps beside it. Every output path is then
//! checked against all of them by file identity ([`Place`]: device and
//! inode, else the path it resolves to), with or without `--force`, so
//! `sub/../x`, a hard link or a symbolic link to an input is refused as the
//! input itself would be.

use std::path::{Component, Path, PathBuf};

use anyhow::bail;

use crate::model::settings::Settings;

/// Where a file is: its identity (device and inode) when it exists, and the
/// path it resolves to (canonical where the file, or a folder above it,
/// exists), so two spellings of one file are the same place.
#[derive(Clone, Debug)]
pub struct Place {
    id: Option<(u64, u64)>,
    resolved: PathBuf,
}

impl Place {
    /// The place `path` names now.
    pub fn of(path: &Path) -> Place {
        let resolved = resolve(path);
        let id = identity(path).or_else(|| identity(&resolved));
        Place { id, resolved }
    }

    /// Both name the same file: the same identity where both exist, else
    /// the same resolved path (a file not made yet, such as the ledger's
    /// `-wal`).
    pub fn is(&self, other: &Place) -> bool {
        match (self.id, other.id) {
            (Some(a), Some(b)) => a == b,
            _ => self.resolved == other.resolved,
        }
    }
}

/// Device and inode of the file `path` names (through symbolic links).
#[cfg(unix)]
fn identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

/// Without inodes, the canonical path stands for the file.
#[cfg(not(unix))]
fn identity(_: &Path) -> Option<(u64, u64)> {
    None
}

/// The absolute path `path` resolves to: canonical if it exists; else the
/// nearest folder above it that exists, canonical, with the rest taken as
/// written (`..` and `.` applied), which is where a write would land (a
/// missing folder is made, so `sub/../x` is `x`).
fn resolve(path: &Path) -> PathBuf {
    if let Ok(found) = path.canonicalize() {
        return found;
    }
    let absolute = match std::env::current_dir() {
        Ok(dir) if path.is_relative() => dir.join(path),
        _ => path.to_path_buf(),
    };
    let parts: Vec<Component<'_>> = absolute.components().collect();
    for split in (1..parts.len()).rev() {
        let head: PathBuf = parts[..split].iter().collect();
        if let Ok(mut found) = head.canonicalize() {
            for part in &parts[split..] {
                match part {
                    Component::ParentDir => {
                        found.pop();
                    }
                    Component::CurDir => {}
                    other => found.push(other.as_os_str()),
                }
            }
            return found;
        }
    }
    absolute
}

/// One file the run reads (or, the ledger, keeps), as the user knows it.
#[derive(Clone, Debug)]
struct Input {
    /// What it is, in words: `the decisions file`.
    what: String,
    /// The path as given (or as council.toml names it).
    path: PathBuf,
    place: Place,
}

/// Every file a run reads, listed once before anything is written, so that
/// no output replaces one of them.
#[derive(Clone, Debug, Default)]
pub struct RunInputs {
    files: Vec<Input>,
}

impl RunInputs {
    /// The settings files `settings` was loaded from: council.toml, the
    /// plans it names, the decisions.
    pub fn new(settings: &Settings) -> RunInputs {
        let mut inputs = RunInputs::default();
        for file in &settings.files {
            let what = match file.role {
                "council settings" => "the council settings file".to_string(),
                other => format!("the {other} file"),
            };
            inputs.add(&what, &file.file);
        }
        inputs
    }

    /// Add a file the run reads.
    pub fn add(&mut self, what: &str, path: &Path) {
        self.files.push(Input {
            what: what.to_string(),
            path: path.to_path_buf(),
            place: Place::of(path),
        });
    }

    /// Add the returns (submissions) the run reads.
    pub fn returns(mut self, paths: &[PathBuf]) -> RunInputs {
        for path in paths {
            self.add("the return", path);
        }
        self
    }

    /// Add the ledger and the files SQLite keeps beside it (its `-wal`,
    /// `-shm` and `-journal`, made or not): an output over any of them
    /// would lose records.
    pub fn ledger(mut self, ledger: Option<&Path>) -> RunInputs {
        let Some(ledger) = ledger else { return self };
        self.add("the ledger", ledger);
        for (suffix, what) in [
            ("-wal", "the ledger's write-ahead log"),
            ("-shm", "the ledger's shared-memory file"),
            ("-journal", "the ledger's journal"),
        ] {
            let mut name = ledger.as_os_str().to_os_string();
            name.push(suffix);
            self.add(what, Path::new(&name));
        }
        self
    }

    /// Refuse to write `what` (`the export`) at `target` when it is one of
    /// the inputs, however spelled, with or without `--force`.
    ///
    /// # Errors
    /// One line naming the input and saying to choose another path.
    pub fn check(&self, target: &Path, what: &str) -> anyhow::Result<()> {
        let place = Place::of(target);
        if let Some(input) = self.files.iter().find(|i| i.place.is(&place)) {
            bail!(
                "refusing to write {what} over {} {}, an input of this run: choose another path",
                input.what,
                input.path.display()
            );
        }
        Ok(())
    }
}

/// `NAME.report.xlsx` for input `NAME.xlsx`.
pub fn report_name(input: &Path) -> String {
    let stem = input
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "submission".into());
    format!("{stem}.report.xlsx")
}

/// Where each return's report goes: beside the return by default; `-o FILE`
/// for one; `-o FOLDER` for several (or for one, when it is a folder).
/// Each report (each file in the folder) is checked against every input of
/// the run, and no two returns may share a report.
///
/// # Errors
/// A report over an input, two returns with one report, or `-o` naming a
/// workbook (`out.xlsx`) for several returns: each needs its own report,
/// so `-o` must be a folder, and a folder named like a workbook is a
/// mistake waiting to be made.
pub fn report_paths(
    returns: &[PathBuf],
    out: Option<&Path>,
    inputs: &RunInputs,
) -> anyhow::Result<Vec<PathBuf>> {
    let several = returns.len() > 1;
    if let Some(out) = out
        && several
        && !out.is_dir()
        && out.extension().is_some_and(|e| {
            ["xlsx", "xls", "xlsb", "ods"]
                .iter()
                .any(|x| e.eq_ignore_ascii_case(x))
        })
    {
        bail!(
            "-o {} names a workbook, but {} returns make one report each, which need a folder: give -o a folder name without .{}, or reconcile one return at a time",
            out.display(),
            returns.len(),
            out.extension()
                .map(|e| e.to_string_lossy().into_owned())
                .unwrap_or_default()
        );
    }
    let mut seen: Vec<Place> = Vec::with_capacity(returns.len());
    let mut paths = Vec::with_capacity(returns.len());
    for input in returns {
        let target = match out {
            Some(dir) if several || dir.is_dir() => dir.join(report_name(input)),
            Some(file) => file.to_path_buf(),
            None => input.with_file_name(report_name(input)),
        };
        inputs.check(&target, "the report")?;
        let place = Place::of(&target);
        if seen.iter().any(|p| p.is(&place)) {
            bail!(
                "two submissions would both write the report {}: give them different names or separate -o folders",
                target.display()
            );
        }
        seen.push(place);
        paths.push(target);
    }
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn several_returns_need_a_folder_not_a_workbook() {
        let returns = [PathBuf::from("a.xlsx"), PathBuf::from("b.xlsx")];
        let err = report_paths(&returns, Some(Path::new("out.xlsx")), &RunInputs::default())
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("-o out.xlsx names a workbook, but 2 returns"),
            "{err}"
        );
        // One return: a file.
        let one = report_paths(&returns[..1], Some(Path::new("out.xlsx")), &RunInputs::default()).unwrap();
        assert_eq!(one, vec![PathBuf::from("out.xlsx")]);
    }

    #[test]
    fn one_file_however_it_is_spelled() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("decisions.csv");
        std::fs::write(&file, "x").unwrap();
        let place = Place::of(&file);
        assert!(Place::of(&dir.path().join("sub/../decisions.csv")).is(&place));
        assert!(Place::of(&dir.path().join("./decisions.csv")).is(&place));
        std::fs::hard_link(&file, dir.path().join("hard.csv")).unwrap();
        assert!(Place::of(&dir.path().join("hard.csv")).is(&place));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&file, dir.path().join("soft.csv")).unwrap();
            assert!(Place::of(&dir.path().join("soft.csv")).is(&place));
        }
        assert!(!Place::of(&dir.path().join("other.csv")).is(&place));
        // Files not made yet: by the path a write would land at.
        let wal = dir.path().join("ledger.db-wal");
        assert!(Place::of(&dir.path().join("a/b/../../ledger.db-wal")).is(&Place::of(&wal)));
        assert!(!Place::of(&dir.path().join("a/ledger.db-wal")).is(&Place::of(&wal)));
    }
}
