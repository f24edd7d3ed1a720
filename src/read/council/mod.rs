//! The council's settings files (SPEC 6): `council.toml` (serde + toml,
//! unknown keys refused), the `plans.csv` it names, and `decisions.csv`.
//! Every problem is a [`SettingsError`]: one line naming the file, the line
//! and the key or column, and what is wrong (exit 2).

mod council_toml;
pub(in crate::read) mod csv_file;
mod decisions;
mod export_toml;
mod plans;

use std::path::Path;

use super::file::{council_text, read_regular};
use super::settings_error::SettingsError;
use crate::base::digest::sha256_hex;
use crate::base::limits::MAX_COUNCIL_FILE_BYTES;
use crate::model::settings::{Settings, SettingsFile};

pub use decisions::read_decisions;
pub use plans::read_plans;

/// Load the settings: SPEC defaults, then `council.toml` (and the plans it
/// names) and the decisions (a CSV, or the workbook `yourchoice decisions`
/// writes) where given.
///
/// # Errors
/// The problems in the first file that has any: every bad line of it.
pub fn load_settings(council: Option<&Path>, decisions: Option<&Path>) -> Result<Settings, SettingsError> {
    let mut settings = Settings::default();
    if let Some(path) = council {
        council_toml::read_council(path, &mut settings)?;
    }
    if let Some(path) = decisions {
        let shown = path.display().to_string();
        let bytes = read_bytes(path, MAX_COUNCIL_FILE_BYTES)?;
        let file = SettingsFile {
            role: "decisions",
            path: shown.clone(),
            sha256: sha256_hex(&bytes),
            file: path.to_path_buf(),
        };
        // The decisions workbook, or a decisions CSV.
        settings.decisions = if bytes.starts_with(b"PK\x03\x04") {
            decisions::read_decisions_workbook(&bytes, &shown)?
        } else {
            read_decisions(&text_of(bytes, &shown)?, &shown)?
        };
        settings.files.push(file);
    }
    Ok(settings)
}

/// The bytes of a council's file, at most `cap`, read as every file the
/// council gives is ([`crate::read::file::read_regular`]).
pub(in crate::read) fn read_bytes(path: &Path, cap: u64) -> Result<Vec<u8>, SettingsError> {
    read_regular(path, cap).map_err(|why| SettingsError::Unreadable {
        file: path.display().to_string(),
        why: why.to_string(),
    })
}

/// A council's file's bytes as text ([`crate::read::file::council_text`]).
pub(in crate::read) fn text_of(bytes: Vec<u8>, file: &str) -> Result<String, SettingsError> {
    council_text(bytes).map_err(|p| SettingsError::Line {
        file: file.to_string(),
        line: p.line,
        message: p.message,
    })
}

/// A settings file's text, with the record of it (its role, path and
/// SHA-256) that a return keeps.
fn read_text(path: &Path, role: &'static str, cap: u64) -> Result<(String, SettingsFile), SettingsError> {
    let shown = path.display().to_string();
    let bytes = read_bytes(path, cap)?;
    let sha256 = sha256_hex(&bytes);
    let text = text_of(bytes, &shown)?;
    Ok((
        text,
        SettingsFile {
            role,
            path: shown,
            sha256,
            file: path.to_path_buf(),
        },
    ))
}
