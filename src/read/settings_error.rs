//! Errors in the files an officer gives the tool (the people CSV now; the
//! council's settings, plans and decisions next): each is one line naming
//! the file and, where there is one, the line. These are usage errors
//! (exit 2), unlike a provider's workbook, whose problems are findings.

/// A settings file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// The file cannot be opened or read at all.
    #[error("cannot read {file}: {why}")]
    Unreadable { file: String, why: String },
    /// A line of the file is wrong.
    #[error("{file}:{line}: {message}")]
    Line {
        file: String,
        line: u64,
        message: String,
    },
}
