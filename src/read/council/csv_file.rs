//! The CSV form `plans.csv` and `decisions.csv` share: a required header,
//! columns matched ignoring case and spaces, lines named by number.

use super::record_line;
use crate::read::normalise_label;
use crate::read::settings_error::SettingsError;

/// A CSV with a required header, columns matched ignoring case and spaces.
pub(super) struct Csv<'a> {
    file: &'a str,
    text: &'a str,
    columns: Vec<Option<usize>>,
    records: csv::StringRecordsIntoIter<&'a [u8]>,
}

impl<'a> Csv<'a> {
    /// Open `text` (the file `file`), whose header must have every column
    /// of `header`.
    pub(super) fn open(text: &'a str, file: &'a str, header: &[&str]) -> Result<Csv<'a>, SettingsError> {
        Csv::open_with(text, file, header, &[])
    }

    /// As [`Csv::open`], with `optional` columns after the required ones (a
    /// missing one reads as blank).
    pub(super) fn open_with(
        text: &'a str,
        file: &'a str,
        header: &[&str],
        optional: &[&str],
    ) -> Result<Csv<'a>, SettingsError> {
        let text = text.trim_start_matches('\u{feff}');
        // A European Excel saves "CSV" with semicolons: its header line
        // says so (more semicolons than commas), and it is read as such.
        let header_line = text.lines().next().unwrap_or_default();
        let delimiter = if header_line.matches(';').count() > header_line.matches(',').count() {
            b';'
        } else {
            b','
        };
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(text.as_bytes());
        let found: Vec<String> = reader
            .headers()
            .map_err(|e| line_error(file, 1, format!("cannot read the header line ({e})")))?
            .iter()
            .map(normalise_label)
            .collect();
        let mut columns = Vec::with_capacity(header.len() + optional.len());
        for name in header {
            match found.iter().position(|h| *h == normalise_label(name)) {
                Some(c) => columns.push(Some(c)),
                None => {
                    return Err(line_error(
                        file,
                        1,
                        format!(
                            "the header has no \"{name}\" column: it must read {}",
                            header.join(",")
                        ),
                    ));
                }
            }
        }
        columns.extend(
            optional
                .iter()
                .map(|name| found.iter().position(|h| *h == normalise_label(name))),
        );
        Ok(Csv {
            file,
            text,
            columns,
            records: reader.into_records(),
        })
    }

    /// The next non-blank line: its number and its fields in header order.
    pub(super) fn next(&mut self) -> Option<Result<(u64, Vec<String>), SettingsError>> {
        for record in self.records.by_ref() {
            let record = match record {
                Ok(r) => r,
                Err(e) => {
                    let line = record_line(self.text.as_bytes(), e.position());
                    return Some(Err(line_error(
                        self.file,
                        line,
                        format!("cannot read the line ({e})"),
                    )));
                }
            };
            if record.iter().all(str::is_empty) {
                continue;
            }
            let line = record_line(self.text.as_bytes(), record.position());
            let fields = self
                .columns
                .iter()
                .map(|c| c.and_then(|c| record.get(c)).unwrap_or("").to_string())
                .collect();
            return Some(Ok((line, fields)));
        }
        None
    }
}

/// A problem on one line of a settings file.
pub(super) fn line_error(file: &str, line: u64, message: String) -> SettingsError {
    SettingsError::Line {
        file: file.to_string(),
        line,
        message,
    }
}
