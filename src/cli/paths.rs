//! The paths a command would write, checked before anything runs: never
//! over the ledger or an input, and a report's name beside its input.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use anyhow::bail;

/// Refuse to write an output over the ledger (or its `-wal` and `-shm`
/// files): every record would be lost.
pub fn not_over_the_ledger(target: &Path, ledger: Option<&Path>, what: &str) -> anyhow::Result<()> {
    let Some(ledger) = ledger else { return Ok(()) };
    let mut files = vec![ledger.to_path_buf()];
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut name = ledger.as_os_str().to_os_string();
        name.push(suffix);
        files.push(PathBuf::from(name));
    }
    if files.iter().any(|f| same_file(f, target)) {
        bail!(
            "refusing to write {what} over the ledger {}: choose another path",
            ledger.display()
        );
    }
    Ok(())
}

/// Refuse to write an output over one of the inputs.
pub fn not_over_an_input(target: &Path, inputs: &[PathBuf], what: &str) -> anyhow::Result<()> {
    if inputs.iter().any(|i| same_file(i, target)) {
        bail!(
            "refusing to write {what} over the input {}: choose another path",
            target.display()
        );
    }
    Ok(())
}

/// `NAME.report.xlsx` for input `NAME.xlsx`.
pub fn report_name(input: &Path) -> String {
    let stem = input
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "submission".into());
    format!("{stem}.report.xlsx")
}

/// Where each input's report goes: beside the input by default; `-o FILE`
/// for one input; `-o FOLDER` for several (or for one, when it is a folder).
/// Refuses to write over an input or to give two inputs the same report.
pub fn report_paths(inputs: &[PathBuf], out: Option<&Path>) -> anyhow::Result<Vec<PathBuf>> {
    let several = inputs.len() > 1;
    let mut seen = HashSet::new();
    let mut paths = Vec::with_capacity(inputs.len());
    for input in inputs {
        let target = match out {
            Some(dir) if several || dir.is_dir() => dir.join(report_name(input)),
            Some(file) => file.to_path_buf(),
            None => input.with_file_name(report_name(input)),
        };
        not_over_an_input(&target, inputs, "the report")?;
        if !seen.insert(target.clone()) {
            bail!(
                "two submissions would both write the report {}: give them different names or separate -o folders",
                target.display()
            );
        }
        paths.push(target);
    }
    Ok(paths)
}

pub fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}
