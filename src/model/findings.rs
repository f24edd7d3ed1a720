//! Findings: every problem or notice about a submission, with a stable code
//! (SPEC 5), a severity, a message a provider can act on and, where it comes
//! from one, the cell or row it concerns.
//!
//! The reader and the engine both produce findings; every writer (terminal,
//! JSON, report, `check`) shows the same list.

use std::collections::HashMap;
use std::fmt;

use serde::Serialize;

use crate::base::limits::MAX_FINDINGS_PER_CODE;

/// How serious a finding is. An error blocks reconciliation of the whole
/// submission; warnings and notices do not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

macro_rules! codes {
    ($( $variant:ident = $text:literal, $severity:ident; )*) => {
        /// The stable finding codes of SPEC 5 (plus the additions documented
        /// in `docs/decisions.md`). The text form is part of the JSON schema:
        /// never change one.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Code { $( $variant, )* }

        impl Code {
            /// Every code, in SPEC order.
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];

            /// The code as written in JSON and on screen (`missing-hours`).
            pub fn as_str(self) -> &'static str {
                match self { $( Code::$variant => $text, )* }
            }

            /// The severity SPEC 5 gives this code.
            pub fn severity(self) -> Severity {
                match self { $( Code::$variant => Severity::$severity, )* }
            }
        }
    };
}

codes! {
    UnreadableWorkbook = "unreadable-workbook", Error;
    LimitExceeded = "limit-exceeded", Error;
    AmbiguousSheet = "ambiguous-sheet", Error;
    MissingSheet = "missing-sheet", Error;
    MissingDetail = "missing-detail", Error;
    MissingColumn = "missing-column", Error;
    DuplicateColumn = "duplicate-column", Error;
    MissingPersonId = "missing-person-id", Error;
    NoPeople = "no-people", Error;
    BadDate = "bad-date", Error;
    BadNumber = "bad-number", Error;
    BadHours = "bad-hours", Error;
    CellError = "cell-error", Error;
    FormulaNotCalculated = "formula-not-calculated", Error;
    Negative = "negative", Error;
    ZeroBundle = "zero-bundle", Error;
    HoursOverWeek = "hours-over-week", Error;
    MissingHours = "missing-hours", Error;
    HoursOutsideCare = "hours-outside-care", Error;
    OverlappingRows = "overlapping-rows", Error;
    PeriodStartNotWeekStart = "period-start-not-week-start", Error;
    WeekDateMismatch = "week-date-mismatch", Error;
    BadRateChange = "bad-rate-change", Error;
    RateMissing = "rate-missing", Error;
    DuplicateSubmission = "duplicate-submission", Error;
    UnknownProvider = "unknown-provider", Error;
    VisitUnreadable = "visit-unreadable", Error;
    VisitBadDuration = "visit-bad-duration", Error;
    TotalMismatch = "total-mismatch", Warning;
    WeekOver3xBundle = "week-over-3x-bundle", Warning;
    HoursNotYetDue = "hours-not-yet-due", Warning;
    LateSubmission = "late-submission", Warning;
    RateDiffers = "rate-differs", Warning;
    BundleDiffers = "bundle-differs", Warning;
    UnknownPerson = "unknown-person", Warning;
    PlannedPersonMissing = "planned-person-missing", Warning;
    DecisionColumnIgnored = "decision-column-ignored", Warning;
    OutsideTolerance = "outside-tolerance", Warning;
    BankLimitExceeded = "bank-limit-exceeded", Warning;
    ChangeInNeed = "change-in-need", Warning;
    DecisionUnused = "decision-unused", Warning;
    DecisionStale = "decision-stale", Warning;
    AuthorisedChangeInNeed = "authorised-change-in-need", Warning;
    ReferredAgain = "referred-again", Warning;
    HoursLookLikeHmm = "hours-look-like-hmm", Warning;
    VisitUnknownClient = "visit-unknown-client", Warning;
    VisitOutsidePeriod = "visit-outside-period", Warning;
    VisitOutsideCare = "visit-outside-care", Warning;
    VisitDuplicate = "visit-duplicate", Warning;
    VisitOverlap = "visit-overlap", Warning;
    VisitTimesDisagree = "visit-times-disagree", Warning;
    VisitZeroLength = "visit-zero-length", Warning;
    VisitTwoCarers = "visit-two-carers", Warning;
    VisitManyCarers = "visit-many-carers", Warning;
    VisitWeekOverBundle = "visit-week-over-bundle", Warning;
    NoCareWeek = "no-care-week", Info;
    NoCareInPeriod = "no-care-in-period", Info;
    DecisionUnbound = "decision-unbound", Info;
    VisitsAmended = "visits-amended", Info;
    TotalNotCalculated = "total-not-calculated", Info;
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// The two sheets of council format 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Sheet {
    Details,
    Hours,
}

impl Sheet {
    pub fn name(self) -> &'static str {
        match self {
            Sheet::Details => "Details",
            Sheet::Hours => "Hours",
        }
    }
}

/// Where a finding points: a cell or a whole row, 0-based internally and
/// written in Excel's form (`Hours!F7`, `Hours!7`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Location {
    Cell { sheet: Sheet, row: u32, col: u32 },
    Row { sheet: Sheet, row: u32 },
}

impl Location {
    pub fn cell(sheet: Sheet, row: u32, col: u32) -> Location {
        Location::Cell { sheet, row, col }
    }

    pub fn row(sheet: Sheet, row: u32) -> Location {
        Location::Row { sheet, row }
    }

    pub fn sheet(self) -> Sheet {
        match self {
            Location::Cell { sheet, .. } | Location::Row { sheet, .. } => sheet,
        }
    }

    /// The 0-based row.
    pub fn row_index(self) -> u32 {
        match self {
            Location::Cell { row, .. } | Location::Row { row, .. } => row,
        }
    }

    /// The 0-based column, for a cell.
    pub fn col_index(self) -> Option<u32> {
        match self {
            Location::Cell { col, .. } => Some(col),
            Location::Row { .. } => None,
        }
    }

    /// The cell or row without the sheet name (`F7`, `7`).
    pub fn short(self) -> String {
        match self {
            Location::Cell { row, col, .. } => format!("{}{}", column_letters(col), row + 1),
            Location::Row { row, .. } => (row + 1).to_string(),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}!{}", self.sheet().name(), self.short())
    }
}

/// Excel's column letters for a 0-based column index (0 -> `A`, 26 -> `AA`).
pub fn column_letters(col: u32) -> String {
    let mut n = col as u64 + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        letters.push((b'A' + rem) as char);
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// One problem or notice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub code: Code,
    pub message: String,
    pub location: Option<Location>,
    pub person_id: Option<String>,
}

impl Finding {
    pub fn new(code: Code, message: impl Into<String>) -> Finding {
        Finding {
            code,
            message: message.into(),
            location: None,
            person_id: None,
        }
    }

    pub fn at(mut self, location: Location) -> Finding {
        self.location = Some(location);
        self
    }

    pub fn at_opt(mut self, location: Option<Location>) -> Finding {
        self.location = location;
        self
    }

    pub fn person(mut self, person_id: &str) -> Finding {
        self.person_id = Some(person_id.to_string());
        self
    }

    pub fn severity(&self) -> Severity {
        self.code.severity()
    }

    pub fn is_error(&self) -> bool {
        self.severity() == Severity::Error
    }
}

/// Findings as they are collected, bounded: every finding is counted, but
/// of one code only the first [`MAX_FINDINGS_PER_CODE`] are kept, so a
/// workbook with a hundred thousand bad cells costs a hundred findings and
/// a count, not a hundred thousand messages.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Findings {
    kept: Vec<Finding>,
    per_code: HashMap<Code, usize>,
}

impl Findings {
    pub fn new() -> Findings {
        Findings::default()
    }

    /// Keep the finding, unless its code already has its fill.
    pub fn push(&mut self, finding: Finding) {
        let n = self.per_code.entry(finding.code).or_default();
        *n += 1;
        if *n <= MAX_FINDINGS_PER_CODE {
            self.kept.push(finding);
        }
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Finding> {
        self.kept.iter()
    }

    pub fn has_errors(&self) -> bool {
        has_errors(&self.kept)
    }

    /// Take in `other`'s findings after these, as if each had been pushed
    /// here in turn (its kept ones kept while their code has room; every one
    /// counted).
    pub fn absorb(&mut self, other: Findings) {
        let mut kept: HashMap<Code, usize> = HashMap::new();
        for f in other.kept {
            *kept.entry(f.code).or_default() += 1;
            self.push(f);
        }
        for (code, n) in other.per_code {
            let dropped = n - kept.get(&code).copied().unwrap_or(0);
            *self.per_code.entry(code).or_default() += dropped;
        }
    }

    pub fn is_empty(&self) -> bool {
        self.kept.is_empty()
    }

    pub fn len(&self) -> usize {
        self.kept.len()
    }

    /// The findings, errors first, then warnings, then notices, each in the
    /// order found; after the kept findings of a code that had more, one
    /// more of that code says how many were not listed.
    pub fn into_sorted(self) -> Vec<Finding> {
        let mut list = self.kept;
        let mut over: Vec<(Code, usize)> = self
            .per_code
            .into_iter()
            .filter(|(_, n)| *n > MAX_FINDINGS_PER_CODE)
            .map(|(code, n)| (code, n - MAX_FINDINGS_PER_CODE))
            .collect();
        over.sort_by_key(|(code, _)| code.as_str());
        for (code, more) in over {
            list.push(Finding::new(
                code,
                format!(
                    "{more} more {code} findings like the ones above are not listed; only the \
                     first {MAX_FINDINGS_PER_CODE} are. Correct those and check again to see \
                     the rest."
                ),
            ));
        }
        list.sort_by_key(Finding::severity);
        list
    }
}

impl From<Vec<Finding>> for Findings {
    fn from(list: Vec<Finding>) -> Findings {
        let mut findings = Findings::new();
        for f in list {
            findings.push(f);
        }
        findings
    }
}

/// True when any finding is an error: the submission is rejected.
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(Finding::is_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_references() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
        assert_eq!(Location::cell(Sheet::Hours, 6, 5).to_string(), "Hours!F7");
        assert_eq!(Location::row(Sheet::Hours, 6).to_string(), "Hours!7");
    }

    #[test]
    fn absorbing_is_pushing_one_by_one() {
        let finding = |i: usize| Finding::new(Code::BadHours, format!("cell {i}"));
        let mut one_by_one = Findings::new();
        for i in 0..150 {
            one_by_one.push(finding(i));
        }
        // In two halves, each pushed on its own (the second keeps all 90;
        // joined, only the first 100 in all are kept).
        let (mut first, mut second) = (Findings::new(), Findings::new());
        for i in 0..60 {
            first.push(finding(i));
        }
        for i in 60..150 {
            second.push(finding(i));
        }
        first.absorb(second);
        let joined = first.into_sorted();
        assert_eq!(joined, one_by_one.into_sorted());
        assert_eq!(joined.len(), 101, "100 kept and one saying 50 more");
        assert!(joined[100].message.contains("50"), "{}", joined[100].message);
    }

    #[test]
    fn codes_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.as_str()), "{code} twice");
        }
    }
}
