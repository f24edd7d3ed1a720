//! Visits a provider's rostering or call-monitoring system recorded, as the
//! visit readers give them (`read::visits`): one per visit, each with the
//! line it came from. `yourchoice fill` sums them into a return's weekly
//! hours (`engine::visits`); what counts is the council's policy
//! ([`VisitPolicy`]).

use chrono::{NaiveDate, NaiveTime};

use crate::base::units::Hours;

/// What happened to a visit, as its file says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum VisitStatus {
    /// Delivered (the default where a file has no status).
    Completed,
    /// Cancelled before the carer set out: no care, counts 0.
    Cancelled,
    /// Planned, and nobody came: no care, counts 0.
    Missed,
    /// The carer came but care was refused or not possible: counted or not
    /// as the council's policy says ([`VisitPolicy::count_frustrated`]).
    Frustrated,
}

impl VisitStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            VisitStatus::Completed => "completed",
            VisitStatus::Cancelled => "cancelled",
            VisitStatus::Missed => "missed",
            VisitStatus::Frustrated => "frustrated",
        }
    }
}

/// One visit as read from a visit file.
#[derive(Clone, Debug, PartialEq)]
pub struct Visit {
    /// The provider's reference for the person (the Abacus
    /// `ServiceUserRef`, a mapped export's client column), or the council's
    /// Person ID itself.
    pub client: String,
    /// The day the visit started: it belongs to that day's week.
    pub date: NaiveDate,
    /// Actual start and end, where the file gives them.
    pub start: Option<NaiveTime>,
    pub end: Option<NaiveTime>,
    /// Actual duration, where the file gives it (else from start and end).
    pub duration: Option<Hours>,
    pub status: VisitStatus,
    pub carer: Option<String>,
    /// Carers on the visit (1 where the file does not say).
    pub carers: u32,
    /// The file says the visit's times were amended by hand.
    pub manually_amended: bool,
    /// The provider's own reference for the visit (Abacus's `OurRef`): the
    /// same reference twice is the same visit, exported twice.
    pub reference: Option<String>,
    /// The line is a week's hours (a client-by-week report), not one visit:
    /// up to a week's 168 hours, on the week's first day.
    pub whole_week: bool,
    /// The line of an additional carer on a double-handed visit (Abacus's
    /// `SecondaryVisit`): counted only where the council counts carer-hours.
    pub secondary: bool,
    /// Where it came from: `visits.csv:12`.
    pub source: String,
}

/// A visit line that could not be read: a finding of the fill, never a
/// visit silently dropped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VisitProblem {
    /// `visits.csv:12` (or the file alone for the whole file).
    pub source: String,
    pub message: String,
}

/// The visits of one or more files, and the lines that could not be read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Visits {
    pub visits: Vec<Visit>,
    pub problems: Vec<VisitProblem>,
}

/// The council's choices on what a visit counts for (council.toml
/// `[visits]`), with their defaults.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VisitPolicy {
    /// A visit by two carers counts as carer-hours (twice its length), the
    /// default, or once.
    pub count_each_carer: bool,
    /// A frustrated visit (the carer came, care was refused or not
    /// possible) counts its length (the default: the carer's time was
    /// spent), or 0.
    pub count_frustrated: bool,
}

impl Default for VisitPolicy {
    fn default() -> VisitPolicy {
        VisitPolicy {
            count_each_carer: true,
            count_frustrated: true,
        }
    }
}

/// How to read a visit file that is neither of Abacus's forms: which of its
/// columns holds what, read from a mapping file (`read::visits::read_mapping`,
/// `examples/visits/mappings/`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VisitMapping {
    /// The mapping file, for messages.
    pub file: String,
    /// What export it reads, in the mapping's own words.
    pub description: Option<String>,
    /// The sheet of a workbook (the first where not given).
    pub sheet: Option<String>,
    /// The 1-based row (CSV line) of the header.
    pub header_row: u32,
    pub columns: VisitColumns,
    /// What a bare number in the duration column means.
    pub duration_unit: DurationUnit,
    /// Each line is a person's week (`rows = "weekly"`: a client-by-week
    /// report), not a visit.
    pub weekly: bool,
    /// The file's status words, folded (trimmed, lower case, inner spaces
    /// one), and what each means.
    pub statuses: std::collections::BTreeMap<String, VisitStatus>,
}

/// The header of each column a mapping names. `client` and `date` always;
/// `duration`, or `start` and `end`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VisitColumns {
    pub client: String,
    pub date: String,
    pub duration: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
    pub status: Option<String>,
    pub carer: Option<String>,
    pub carers: Option<String>,
    pub amended: Option<String>,
}

/// What a bare number in a duration column means. `h:mm`, `h:mm:ss` and
/// ISO 8601 (`PT45M`) say so themselves whatever the unit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DurationUnit {
    /// Nothing: a bare number is refused as ambiguous (minutes or hours?).
    #[default]
    Clock,
    Minutes,
    Hours,
}

/// The Visits sheet `yourchoice fill` adds to a return: its name and the
/// headings of the columns `explain` reads back.
pub mod sheet {
    pub const SHEET: &str = "Visits";
    pub const SOURCE: &str = "Source";
    pub const CLIENT: &str = "Client";
    pub const PERSON_ID: &str = "Person ID";
    pub const DATE: &str = "Date";
    pub const START: &str = "Start";
    pub const END: &str = "End";
    pub const DURATION: &str = "Duration (hours)";
    pub const CARERS: &str = "Carers";
    pub const CARER: &str = "Carer";
    pub const STATUS: &str = "Status";
    pub const AMENDED: &str = "Amended by hand";
    pub const WEEK: &str = "Week";
    pub const HOURS: &str = "Hours counted";
    pub const CELL_OR_WHY: &str = "Cell, or why not counted";
}

/// A visit as a filled return's Visits sheet records it, read back for
/// `explain`: the evidence behind a week's figure.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordedVisit {
    pub source: String,
    pub date: Option<NaiveDate>,
    pub start: Option<String>,
    pub carers: Option<String>,
    pub status: String,
    pub week: Option<u32>,
    pub hours: Option<Hours>,
    /// The cell it fed, or why it was not counted.
    pub cell_or_why: String,
}
