//! Visit files -> [`Visits`]: the visits a provider's rostering or
//! call-monitoring (ECM) system recorded, for `yourchoice fill`.
//!
//! Owns the forms a visit file comes in and how each is told apart
//! ([`read_visits`]): Access Abacus's service-delivery CSV
//! (`abacus`) and XML (`abacus_xml`), and any other CSV or workbook
//! export through a mapping file naming its columns (`mapped`,
//! [`read_mapping`]); and the client map from a provider's references to
//! the council's Person IDs ([`read_clients`]). No money rule: what a visit
//! counts for is the engine's (`engine::visits`).
//!
//! Every line that cannot be read is a [`VisitProblem`] naming its file and
//! line and what to do; no line is dropped without one, and nothing
//! panics. Bounded by [`MAX_VISIT_FILE_BYTES`], [`MAX_VISITS`] and, for
//! problems listed, [`MAX_VISIT_PROBLEMS`].

mod abacus;
mod abacus_xml;
mod clients;
mod fields;
mod mapped;
mod mapping;
mod sheet;

use std::borrow::Cow;
use std::path::Path;

use crate::base::limits::{MAX_VISIT_FILE_BYTES, MAX_VISIT_PROBLEMS, MAX_VISITS};
use crate::model::visits::{Visit, VisitMapping, VisitProblem, Visits};
use crate::read::file::{any_text, read_regular, text_within};

pub use clients::read_clients;
pub use mapping::read_mapping;
pub use sheet::recorded_visits;

/// Read the visit file at `path` ([`read_visits`]), refused unread when it
/// is larger than [`MAX_VISIT_FILE_BYTES`] or not a regular file. The file
/// is named in every problem as `path` shows it.
pub fn read_visit_file(path: &Path, mapping: Option<&VisitMapping>) -> Visits {
    let file = path.display().to_string();
    match read_regular(path, MAX_VISIT_FILE_BYTES) {
        Ok(bytes) => read_from(&file, Cow::Owned(bytes), mapping),
        Err(why) => Visits {
            visits: Vec::new(),
            problems: vec![VisitProblem {
                source: file.clone(),
                message: format!("the visit file cannot be read: {why}"),
            }],
        },
    }
}

/// The visits of one file's bytes; `file` names it in each visit's and
/// problem's source (`visits.csv:12`). The kind is told from the bytes:
/// - XML (`<?xml`, or a first element): Abacus's service-delivery XML;
/// - a CSV whose first cell is `FileReference`: Abacus's CSV with its
///   header;
/// - with a `mapping`: the CSV or workbook it describes;
/// - a CSV of 24 values a line whose 13th is a date: Abacus's CSV without
///   its header;
/// - anything else: one problem asking for `--mapping`.
///
/// Never fails: what cannot be read is in [`Visits::problems`].
///
/// # Examples
/// ```
/// use yourchoice::read::visits::read_visits;
/// let csv = "Client,Date,Minutes\nC1,06/04/2026,45\n";
/// let visits = read_visits("visits.csv", csv.as_bytes(), None);
/// assert!(visits.visits.is_empty());
/// assert!(visits.problems[0].message.contains("--mapping"));
/// ```
pub fn read_visits(file: &str, bytes: &[u8], mapping: Option<&VisitMapping>) -> Visits {
    read_from(file, Cow::Borrowed(bytes), mapping)
}

/// [`read_visits`] of bytes already read (`yourchoice fill`): decoded in
/// place, not copied.
pub fn read_visit_bytes(file: &str, bytes: Vec<u8>, mapping: Option<&VisitMapping>) -> Visits {
    read_from(file, Cow::Owned(bytes), mapping)
}

/// [`read_visits`], the bytes copied only where they are borrowed (a file
/// read is decoded in place).
fn read_from(file: &str, bytes: Cow<[u8]>, mapping: Option<&VisitMapping>) -> Visits {
    let mut sink = Sink::new(file);
    if bytes.len() as u64 > MAX_VISIT_FILE_BYTES {
        sink.problem(
            0,
            format!(
                "the visit file is {} MiB, more than the {} MiB a visit file may be: export a shorter period, or split it",
                bytes.len() >> 20,
                MAX_VISIT_FILE_BYTES >> 20
            ),
        );
        return sink.finish();
    }
    if is_workbook(&bytes) {
        match mapping {
            Some(m) => mapped::read_workbook(&bytes, m, &mut sink),
            None => sink.problem(
                0,
                "the visit file is a workbook, whose columns the tool cannot know: give --mapping with a mapping file naming them (see examples/visits/mappings/)".into(),
            ),
        }
        return sink.finish();
    }
    if is_xml(&bytes) {
        match any_text(bytes.into_owned()) {
            Ok(text) => abacus_xml::read(&text, &mut sink),
            Err(p) => sink.problem(p.line, p.message),
        }
        return sink.finish();
    }
    // One line a visit, a few more for a header and title rows.
    let text = match text_within(bytes.into_owned(), MAX_VISITS + 100) {
        Ok(text) => text,
        Err(p) => {
            sink.problem(p.line, p.message);
            return sink.finish();
        }
    };
    match (abacus::sniff(&text), mapping) {
        (abacus::Sniffed::Header, _) => abacus::read(&text, true, &mut sink),
        (_, Some(m)) => mapped::read_csv(&text, m, &mut sink),
        (abacus::Sniffed::Headerless, None) => abacus::read(&text, false, &mut sink),
        (abacus::Sniffed::Other, None) => sink.problem(
            0,
            "the visit file is neither Abacus's service-delivery CSV (24 columns, FileReference first) nor its XML: give --mapping with a mapping file naming its columns (see examples/visits/mappings/)".into(),
        ),
    }
    sink.finish()
}

/// A zip package (`.xlsx`, `.ods`) or an Excel 97-2003 file.
fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
}

/// Text whose first character, past a byte-order mark and spaces, is `<`.
fn is_xml(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    bytes
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'<')
}

/// Where the visits and problems of one file are gathered, within the
/// caps.
pub(super) struct Sink {
    file: String,
    visits: Vec<Visit>,
    problems: Vec<VisitProblem>,
    /// Problems past [`MAX_VISIT_PROBLEMS`]: how many, and the first's
    /// source.
    unlisted: usize,
    first_unlisted: Option<String>,
    /// Whether [`MAX_VISITS`] was reached (then reading stops).
    full: bool,
}

impl Sink {
    fn new(file: &str) -> Sink {
        Sink {
            file: file.to_string(),
            visits: Vec::new(),
            problems: Vec::new(),
            unlisted: 0,
            first_unlisted: None,
            full: false,
        }
    }

    /// `visits.csv:12`, or the file alone for line 0.
    pub(super) fn source(&self, line: u64) -> String {
        if line == 0 {
            self.file.clone()
        } else {
            format!("{}:{line}", self.file)
        }
    }

    /// A problem on `line` (0: the whole file).
    pub(super) fn problem(&mut self, line: u64, message: String) {
        let source = self.source(line);
        self.problem_at(source, message);
    }

    /// A problem at a source already written.
    pub(super) fn problem_at(&mut self, source: String, message: String) {
        if self.problems.len() < MAX_VISIT_PROBLEMS {
            self.problems.push(VisitProblem { source, message });
        } else {
            self.unlisted += 1;
            self.first_unlisted.get_or_insert(source);
        }
    }

    /// Keep a visit; `false` once [`MAX_VISITS`] are kept (the reader then
    /// stops, and a problem says so).
    pub(super) fn visit(&mut self, visit: Visit) -> bool {
        if self.visits.len() >= MAX_VISITS {
            if !self.full {
                self.full = true;
                let at = visit.source.clone();
                self.problem_at(
                    at,
                    format!(
                        "the file has more than {MAX_VISITS} visits: this visit and those after it were not read; export a shorter period, or split the file"
                    ),
                );
            }
            return false;
        }
        self.visits.push(visit);
        true
    }

    /// Room for `n` more visits (within [`MAX_VISITS`]), made at once.
    pub(super) fn reserve(&mut self, n: usize) {
        self.visits
            .reserve(n.min(MAX_VISITS.saturating_sub(self.visits.len())));
    }

    /// The file, as every source names it.
    pub(super) fn file(&self) -> &str {
        &self.file
    }

    /// [`MAX_VISITS`] reached before `line` (0: the whole file): it and
    /// the lines after it are not read.
    pub(super) fn too_many(&mut self, line: u64) {
        if !self.full {
            self.full = true;
            self.problem(
                line,
                format!(
                    "the file has more than {MAX_VISITS} visits: this visit and those after it were not read; export a shorter period, or split the file"
                ),
            );
        }
    }

    fn finish(mut self) -> Visits {
        if self.unlisted > 0 {
            let at = self.first_unlisted.take().unwrap_or_else(|| self.file.clone());
            self.problems.push(VisitProblem {
                source: at,
                message: format!(
                    "{} more lines from here on cannot be read either (only the first {MAX_VISIT_PROBLEMS} are listed): correct those listed, and read the file again",
                    self.unlisted
                ),
            });
        }
        if self.visits.is_empty() && self.problems.is_empty() {
            self.problems.push(VisitProblem {
                source: self.file.clone(),
                message: "the visit file holds no visits: check it is the right file, and that the export covered the period".into(),
            });
        }
        Visits {
            visits: self.visits,
            problems: self.problems,
        }
    }
}

/// The value of a field's reading, its problem kept with the line's others.
pub(super) fn keep<T>(issues: &mut Vec<String>, read: Result<T, String>) -> Option<T> {
    read.map_err(|e| issues.push(e)).ok()
}

/// The problems found on one line, as one message.
pub(super) fn joined(issues: Vec<String>) -> String {
    issues.join("; ")
}
