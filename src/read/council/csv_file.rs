//! The CSV form of the council's files (plans, decisions, the people CSV):
//! a required header, columns matched ignoring case and spaces, lines named
//! by number, and the dialect mistakes a spreadsheet makes named at their
//! line with the cause:
//! - a semicolon file (a European Excel's "CSV"), or one whose first line
//!   is Excel's `sep=;`, is read with its own separator;
//! - a quote opened in a value and not closed on its line would swallow
//!   the lines after it into one value: refused, naming the lines;
//! - more values on a line than the header has columns (a comma in an
//!   unquoted value shifts every value after it): refused;
//! - a value longer than a spreadsheet cell holds: refused.

use crate::base::limits::MAX_FIELD_CHARS;
use crate::read::file::{LineIndex, line_of};
use crate::read::normalise_label;
use crate::read::settings_error::SettingsError;

/// A CSV with a required header, columns matched ignoring case and spaces.
pub(in crate::read) struct Csv<'a> {
    file: &'a str,
    /// The whole text, and where its lines start, for line numbers.
    text: &'a str,
    lines: LineIndex,
    /// Where the CSV starts in `text` (after a `sep=` line).
    start: usize,
    /// The columns asked for, in the order asked: their names and where
    /// the header has them.
    names: Vec<String>,
    columns: Vec<Option<usize>>,
    /// How many columns the header line has.
    width: usize,
    records: csv::StringRecordsIntoIter<&'a [u8]>,
}

/// One non-blank line: its number and its fields in the order asked.
pub(in crate::read) type Line = (u64, Vec<String>);

impl<'a> Csv<'a> {
    /// Open `text` (the file `file`), whose header must have every column
    /// of `header`.
    pub(in crate::read) fn open(
        text: &'a str,
        file: &'a str,
        header: &[&str],
    ) -> Result<Csv<'a>, SettingsError> {
        Csv::open_with(text, file, header, &[])
    }

    /// As [`Csv::open`], with `optional` columns after the required ones (a
    /// missing one reads as blank).
    pub(in crate::read) fn open_with(
        text: &'a str,
        file: &'a str,
        header: &[&str],
        optional: &[&str],
    ) -> Result<Csv<'a>, SettingsError> {
        let (start, delimiter) = dialect(text);
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(&text.as_bytes()[start..]);
        let header_line = line_of(text.as_bytes(), start);
        let found: Vec<String> = reader
            .headers()
            .map_err(|e| line_error(file, header_line, format!("cannot read the header line ({e})")))?
            .iter()
            .map(normalise_label)
            .collect();
        // A column named twice: which one holds the figure would be a
        // guess (the first, silently, until now).
        for (i, name) in found.iter().enumerate() {
            if let Some(j) = found[..i].iter().position(|h| !h.is_empty() && h == name) {
                return Err(line_error(
                    file,
                    header_line,
                    format!(
                        "the header has the column \"{}\" twice (columns {} and {}): keep one, so it is clear which holds the values",
                        reader_label(&mut reader, i),
                        crate::model::findings::column_letters(j as u32),
                        crate::model::findings::column_letters(i as u32)
                    ),
                ));
            }
        }
        let mut columns = Vec::with_capacity(header.len() + optional.len());
        for name in header {
            match found.iter().position(|h| *h == normalise_label(name)) {
                Some(c) => columns.push(Some(c)),
                None => {
                    let separator = char::from(delimiter);
                    return Err(line_error(
                        file,
                        header_line,
                        format!(
                            "the header has no \"{name}\" column: it must read {}",
                            header.join(&separator.to_string())
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
            lines: LineIndex::new(text.as_bytes()),
            start,
            names: header.iter().chain(optional).map(|n| (*n).to_string()).collect(),
            columns,
            width: found.len(),
            records: reader.into_records(),
        })
    }

    /// Whether the header has the `i`th column asked for (required ones
    /// always; an optional one may be missing).
    pub(in crate::read) fn has(&self, i: usize) -> bool {
        self.columns.get(i).is_some_and(Option::is_some)
    }

    /// The next non-blank line, or the problem with it (the line is then
    /// skipped: the caller keeps the problem and reads on).
    pub(in crate::read) fn next(&mut self) -> Option<Result<Line, SettingsError>> {
        for record in self.records.by_ref() {
            let record = match record {
                Ok(r) => r,
                Err(e) => {
                    let line = self.line(e.position());
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
            let line = self.line(record.position());
            if let Some(problem) = self.dialect_problem(&record, line) {
                return Some(Err(line_error(self.file, line, problem)));
            }
            let fields = self
                .columns
                .iter()
                .map(|c| c.and_then(|c| record.get(c)).unwrap_or("").to_string())
                .collect();
            return Some(Ok((line, fields)));
        }
        None
    }

    /// A quote left open, values past the header, or a value too long.
    fn dialect_problem(&self, record: &csv::StringRecord, line: u64) -> Option<String> {
        let column = |c: usize| {
            self.columns
                .iter()
                .position(|x| *x == Some(c))
                .map_or_else(|| format!("value {}", c + 1), |i| self.names[i].clone())
        };
        let breaks: u64 = record
            .iter()
            .map(|f| f.trim_end().bytes().filter(|b| *b == b'\n').count() as u64)
            .sum();
        if let Some(c) = record.iter().position(|f| f.contains(['\n', '\r'])) {
            return Some(format!(
                "the {} opens a quote (\") that is not closed on this line, so lines {line} to {} would be read as one value: close the quote on this line, or remove it",
                column(c),
                line + breaks
            ));
        }
        let values = (0..record.len())
            .rev()
            .find(|&i| !record[i].is_empty())
            .map_or(0, |i| i + 1);
        if values > self.width {
            return Some(format!(
                "the line has {values} values but the header has {} columns: a value with a comma in it must be in quotes (\"Smith, J\")",
                self.width
            ));
        }
        if let Some(c) = record.iter().position(|f| f.chars().count() > MAX_FIELD_CHARS) {
            return Some(format!(
                "the {} is {} characters long, more than the {MAX_FIELD_CHARS} a spreadsheet cell holds",
                column(c),
                record[c].chars().count()
            ));
        }
        None
    }

    /// The 1-based line a record starts on, from the position the csv
    /// crate gives it: that is where reading began, before any blank lines
    /// it skipped.
    fn line(&self, position: Option<&csv::Position>) -> u64 {
        let text = self.text.as_bytes();
        let Some(p) = position else { return 0 };
        let offset = usize::try_from(p.byte()).unwrap_or(usize::MAX);
        let mut at = self.start.saturating_add(offset).min(text.len());
        while at < text.len() && matches!(text[at], b'\r' | b'\n') {
            at += 1;
        }
        self.lines.line(at)
    }
}

/// The header's own text of column `i`, as the file has it.
fn reader_label(reader: &mut csv::Reader<&[u8]>, i: usize) -> String {
    reader
        .headers()
        .ok()
        .and_then(|h| h.get(i).map(str::to_string))
        .unwrap_or_default()
}

/// Where the CSV starts and its separator: Excel's `sep=;` first line says
/// so; otherwise the header line does (more semicolons than commas: a
/// European Excel's "CSV"; more tabs than either: "Text (Tab delimited)").
fn dialect(text: &str) -> (usize, u8) {
    let first = text.lines().next().unwrap_or_default();
    if let Some(sep) = first
        .trim()
        .strip_prefix("sep=")
        .or_else(|| first.trim().strip_prefix("SEP="))
        && let [b] = sep.as_bytes()
        && matches!(b, b',' | b';' | b'\t' | b'|')
    {
        let start = text.find('\n').map_or(text.len(), |n| n + 1);
        return (start, *b);
    }
    // The header line: the first that is not blank (a file whose header
    // is further down has blank lines above it).
    let header = text.lines().find(|l| !l.trim().is_empty()).unwrap_or_default();
    let count = |c: char| header.matches(c).count();
    let delimiter = if count('\t') > count(',').max(count(';')) {
        b'\t'
    } else if count(';') > count(',') {
        b';'
    } else {
        b','
    };
    (0, delimiter)
}

/// A key (a Person ID, a provider reference) with a character that does
/// not show refused: `P1` and `P1` with a zero-width space read alike, yet
/// would be two people.
pub(in crate::read) fn plain_key(column: &str, value: &str) -> Result<(), String> {
    match crate::base::text::unseen_char(value) {
        None => Ok(()),
        Some(c) => Err(format!(
            "the {column} {} holds a character that does not show (U+{:04X}): retype it, so it matches the same {column} in the other files",
            crate::read::cell::quoted(&crate::base::text::printable(value)),
            u32::from(c)
        )),
    }
}

/// Why a figure typed with a comma or a space is not read (`7,5` is a
/// decimal comma), to append to a message; empty otherwise.
pub(in crate::read) fn figure_hint(text: &str) -> &'static str {
    match crate::base::units::money_text(text) {
        Err(why) if text.contains([',', ' ']) => why.why(),
        _ => "",
    }
}

/// A problem on one line of a settings file.
pub(in crate::read) fn line_error(file: &str, line: u64, message: String) -> SettingsError {
    SettingsError::Line {
        file: file.to_string(),
        line,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<Result<Line, String>> {
        let mut csv = Csv::open(text, "f.csv", &["A", "B"]).unwrap();
        std::iter::from_fn(|| csv.next())
            .map(|r| r.map_err(|e| e.to_string()))
            .collect()
    }

    #[test]
    fn an_open_quote_is_named_and_swallows_nothing_silently() {
        let got = lines("A,B\n1,\"two\n3,4\n5,6\n");
        assert_eq!(
            got[0].as_ref().unwrap_err(),
            "f.csv:2: the B opens a quote (\") that is not closed on this line, so lines 2 to 4 would be read as one value: close the quote on this line, or remove it"
        );
        assert_eq!(got.len(), 1);
    }

    #[test]
    fn semicolons_and_sep_lines() {
        assert_eq!(
            lines("A;B\n1;2\n")[0].as_ref().unwrap(),
            &(2, vec!["1".into(), "2".into()])
        );
        assert_eq!(
            lines("sep=;\nA;B\n\n1;2,5\n")[0].as_ref().unwrap(),
            &(4, vec!["1".into(), "2,5".into()])
        );
    }

    #[test]
    fn a_column_named_twice_is_refused() {
        let e = Csv::open("A,b, B \n1,2,3\n", "f.csv", &["A", "B"]).err().unwrap();
        assert_eq!(
            e.to_string(),
            "f.csv:1: the header has the column \"B\" twice (columns B and C): keep one, so it is clear which holds the values"
        );
    }

    #[test]
    fn values_past_the_header() {
        let got = lines("A,B\n1,2,3\n1,2,,\n");
        assert!(
            got[0]
                .as_ref()
                .unwrap_err()
                .starts_with("f.csv:2: the line has 3 values but the header has 2 columns")
        );
        assert_eq!(got[1].as_ref().unwrap(), &(3, vec!["1".into(), "2".into()]));
    }
}
