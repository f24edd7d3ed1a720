//! The council's settings files (SPEC 6): `council.toml` (serde + toml,
//! unknown keys refused), the `plans.csv` it names, and `decisions.csv`.
//! Every problem is a [`SettingsError`]: one line naming the file, the line
//! and the key or column, and what is wrong (exit 2).

mod council_toml;
mod csv_file;
mod decisions;
mod plans;

use std::path::Path;

use super::settings_error::SettingsError;
use crate::base::digest::sha256_hex;
use crate::model::settings::{Settings, SettingsFile};

pub use decisions::read_decisions;
pub use plans::read_plans;

/// Load the settings: SPEC defaults, then `council.toml` (and the plans it
/// names) and `decisions.csv` where given.
///
/// # Errors
/// The first problem in any of the files.
pub fn load_settings(council: Option<&Path>, decisions: Option<&Path>) -> Result<Settings, SettingsError> {
    let mut settings = Settings::default();
    if let Some(path) = council {
        council_toml::read_council(path, &mut settings)?;
    }
    if let Some(path) = decisions {
        let shown = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| SettingsError::Unreadable {
            file: shown.clone(),
            why: e.to_string(),
        })?;
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
            read_decisions(&decode_text(bytes), &shown)?
        };
        settings.files.push(file);
    }
    Ok(settings)
}

/// A settings file's text, with the record of it (its role, path and
/// SHA-256) that a return keeps.
fn read_text(path: &Path, role: &'static str) -> Result<(String, SettingsFile), SettingsError> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| SettingsError::Unreadable {
        file: shown.clone(),
        why: e.to_string(),
    })?;
    let sha256 = sha256_hex(&bytes);
    let text = decode_text(bytes);
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

/// A settings file's text: UTF-8 (a byte-order mark dropped), or else
/// Windows-1252, which Excel on Windows writes when it saves a CSV. Every
/// byte has a meaning in Windows-1252, so nothing is lost or guessed wrong
/// for the characters a council's files hold (`Siân`, `£`).
pub(in crate::read) fn decode_text(bytes: Vec<u8>) -> String {
    match String::from_utf8(bytes) {
        Ok(text) => match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => text,
        },
        Err(e) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(e.as_bytes());
            text.into_owned()
        }
    }
}

/// The 1-based line of a byte offset (for a CSV record, the csv crate's own
/// line count misses blank lines and CRLF endings).
pub(in crate::read) fn line_of(text: &[u8], offset: u64) -> u64 {
    let end = usize::try_from(offset).unwrap_or(usize::MAX).min(text.len());
    text[..end].iter().filter(|b| **b == b'\n').count() as u64 + 1
}

/// The 1-based line a CSV record starts on, from the position the csv crate
/// gives it: that is where reading began, before any blank lines it
/// skipped.
pub(in crate::read) fn record_line(text: &[u8], position: Option<&csv::Position>) -> u64 {
    let Some(p) = position else { return 0 };
    let mut at = usize::try_from(p.byte()).unwrap_or(usize::MAX).min(text.len());
    while at < text.len() && matches!(text[at], b'\r' | b'\n') {
        at += 1;
    }
    line_of(text, at as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_numbers() {
        assert_eq!(line_of(b"a\nb\nc", 0), 1);
        assert_eq!(line_of(b"a\nb\nc", 2), 2);
        assert_eq!(line_of(b"a\r\n\r\nc", 5), 3);
    }
}
