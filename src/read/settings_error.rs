//! Errors in the files an officer gives the tool (council.toml, the plans,
//! the decisions, the people CSV, a filled spot check): each names the file
//! and, where there is one, the line. These are usage errors (exit 2),
//! unlike a provider's workbook, whose problems are findings.

use std::fmt;

/// A settings file that cannot be used.
#[derive(Debug)]
pub enum SettingsError {
    /// The file cannot be opened or read at all.
    Unreadable { file: String, why: String },
    /// A line of the file is wrong.
    Line {
        file: String,
        line: u64,
        message: String,
    },
    /// Several lines of one file are wrong: each is listed (up to
    /// [`crate::base::limits::MAX_LINE_PROBLEMS`]; `more` were not).
    Lines {
        file: String,
        problems: Vec<(u64, String)>,
        more: usize,
    },
}

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SettingsError::Unreadable { file, why } => write!(f, "cannot read {file}: {why}"),
            SettingsError::Line { file, line, message } => write!(f, "{}: {message}", at(file, *line)),
            SettingsError::Lines { file, problems, more } => {
                let total = problems.len() + more;
                write!(
                    f,
                    "{total} lines of {file} cannot be used; correct each and run again:"
                )?;
                for (line, message) in problems {
                    write!(f, "\n  {}: {message}", at(file, *line))?;
                }
                if *more > 0 {
                    write!(f, "\n  and {more} more lines")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for SettingsError {}

impl SettingsError {
    /// The file the error is in.
    pub fn file(&self) -> &str {
        match self {
            SettingsError::Unreadable { file, .. }
            | SettingsError::Line { file, .. }
            | SettingsError::Lines { file, .. } => file,
        }
    }
}

/// `plans.csv:4`, or the file alone for a problem of the whole file.
fn at(file: &str, line: u64) -> String {
    if line == 0 {
        file.to_string()
    } else {
        format!("{file}:{line}")
    }
}

/// Every problem found in one file, so a file with ten bad lines is
/// corrected in one pass rather than ten runs.
pub struct Problems {
    file: String,
    problems: Vec<(u64, String)>,
    more: usize,
}

impl Problems {
    pub fn new(file: &str) -> Problems {
        Problems {
            file: file.to_string(),
            problems: Vec::new(),
            more: 0,
        }
    }

    /// Keep a problem found on one line of the file.
    pub fn add(&mut self, line: u64, message: String) {
        if self.problems.len() < crate::base::limits::MAX_LINE_PROBLEMS {
            self.problems.push((line, message));
        } else {
            self.more += 1;
        }
    }

    /// Keep `error` (a problem of this file, as a reader gave it).
    pub fn add_error(&mut self, error: SettingsError) {
        match error {
            SettingsError::Line { line, message, .. } => self.add(line, message),
            SettingsError::Unreadable { why, .. } => self.add(0, why),
            SettingsError::Lines { problems, more, .. } => {
                for (line, message) in problems {
                    self.add(line, message);
                }
                self.more += more;
            }
        }
    }

    /// `Ok` when nothing was found; the one problem, or all of them.
    ///
    /// # Errors
    /// The problems found, in the order they were found.
    pub fn finish(self) -> Result<(), SettingsError> {
        match (self.problems.len(), self.more) {
            (0, _) => Ok(()),
            (1, 0) => {
                let (line, message) = self.problems.into_iter().next().unwrap_or_default();
                Err(SettingsError::Line {
                    file: self.file,
                    line,
                    message,
                })
            }
            _ => Err(SettingsError::Lines {
                file: self.file,
                problems: self.problems,
                more: self.more,
            }),
        }
    }
}
