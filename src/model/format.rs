//! The council's return format (format 1): the labels of its Details
//! sheet, the columns of its Hours sheet, and what a council asks for in a
//! blank template. The reader matches these; the template writes them.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::base::units::Hours;

use super::submission::Period;

/// A person the council expects on a provider's return (`template
/// --people`): what the template lists on the Hours sheet.
#[derive(Clone, Debug, PartialEq)]
pub struct PlannedPerson {
    pub person_id: String,
    pub name: Option<String>,
    pub bundle: Hours,
    pub charge: Option<Decimal>,
    pub care_start: Option<NaiveDate>,
    pub care_end: Option<NaiveDate>,
    /// The Notes a blank return already held (`fill` keeps them).
    pub notes: Option<String>,
}

/// A label of the `Details` sheet (SPEC 7), as the council's template
/// writes it; the reader matches it ignoring case, spaces and a trailing
/// colon.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DetailLabel {
    ProviderName,
    ProviderReference,
    PeriodStart,
    Rate,
    NewRate,
    NewRateFrom,
    SubmittedBy,
    SubmissionDate,
}

impl DetailLabel {
    /// Every label, in the template's order.
    pub const ALL: [DetailLabel; 8] = [
        DetailLabel::ProviderName,
        DetailLabel::ProviderReference,
        DetailLabel::PeriodStart,
        DetailLabel::Rate,
        DetailLabel::NewRate,
        DetailLabel::NewRateFrom,
        DetailLabel::SubmittedBy,
        DetailLabel::SubmissionDate,
    ];

    pub fn text(self) -> &'static str {
        match self {
            DetailLabel::ProviderName => "Provider name",
            DetailLabel::ProviderReference => "Provider reference",
            DetailLabel::PeriodStart => "Period start",
            DetailLabel::Rate => "Blended hourly rate",
            DetailLabel::NewRate => "New blended hourly rate",
            DetailLabel::NewRateFrom => "New rate from",
            DetailLabel::SubmittedBy => "Submitted by",
            DetailLabel::SubmissionDate => "Submission date",
        }
    }
}

/// A named column of the `Hours` sheet (SPEC 7), besides `Week 1 ... Week
/// N`; the same headers name the columns of the people CSV.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    PersonId,
    Name,
    Bundle,
    Charge,
    CareStart,
    CareEnd,
    Total,
    Notes,
}

impl Column {
    /// The columns before the weeks, in the template's order.
    pub const BEFORE_WEEKS: [Column; 6] = [
        Column::PersonId,
        Column::Name,
        Column::Bundle,
        Column::Charge,
        Column::CareStart,
        Column::CareEnd,
    ];

    pub fn text(self) -> &'static str {
        match self {
            Column::PersonId => "Person ID",
            Column::Name => "Name",
            Column::Bundle => "Weekly bundle",
            Column::Charge => "Assessed weekly charge",
            Column::CareStart => "Care start",
            Column::CareEnd => "Care end",
            Column::Total => "Total",
            Column::Notes => "Notes",
        }
    }
}

/// The header of week `k`'s column: `Week 3`.
pub fn week_header(k: u32) -> String {
    format!("Week {k}")
}

/// What a council asks for in a template (`yourchoice template`).
#[derive(Clone, Debug, PartialEq)]
pub struct TemplateRequest {
    pub provider_reference: String,
    pub provider_name: String,
    pub period: Period,
    pub rate: Option<Decimal>,
    pub people: Vec<PlannedPerson>,
}

/// The decisions workbook, which `write::decisions` writes and `read`
/// reads back as it reads `decisions.csv`: the sheet of that name, its
/// first row the header (the file's column names among others).
pub mod decisions_sheet {
    /// The sheet the officer fills in.
    pub const SHEET: &str = "Decisions";
}
