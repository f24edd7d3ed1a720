//! A spot check: the layout of the workbook an officer fills in during the
//! calls to families, and what it reported for each person.

use crate::base::units::Hours;

/// The layout of a spot-check workbook, which `write::spot` writes and
/// `read` reads back.
pub mod spot_check {
    /// The schema on its hidden sheet.
    pub const SCHEMA: &str = "yourchoice.spot-check/1";
    /// The very hidden sheet that records how it was made.
    pub const META: &str = "yourchoice";
    /// The sheet the officer fills in.
    pub const SHEET: &str = "Spot check";
    /// The column of the cells the officer fills in (D).
    pub const INPUT_COL: u16 = 3;
}

/// What a filled spot check reported for one person.
#[derive(Clone, Debug, PartialEq)]
pub struct Reported {
    pub person_id: String,
    /// Hours the person says they received, by week (`None`: not asked).
    pub weeks: Vec<Option<Hours>>,
    /// Hours for the whole period, when given as one figure.
    pub total: Option<Hours>,
    pub spoken_to: Option<String>,
    pub when: Option<String>,
    pub notes: Option<String>,
}

/// What a spot-check workbook's hidden sheet records of how it was made, as
/// read: the engine checks it against the return it is compared with
/// before any answer is read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Record {
    /// The file name of the return it was made from.
    pub source: String,
    /// The SHA-256 (hex) of the return it was made from.
    pub sha256: String,
    /// The seed of the pick; `None` where the record does not give it.
    pub seed: Option<u64>,
    /// The size of the sample picked, where the record gives it (workbooks
    /// written before it was recorded: `None`, and the people listed are
    /// the sample's size).
    pub sample: Option<AtRow<usize>>,
    /// The weeks of the period.
    pub weeks: AtRow<u32>,
    /// The people listed, in the record's order, each with its row.
    pub people: Vec<AtRow<String>>,
    /// The record lists more people than the reader was asked to keep: the
    /// row of the first one not kept.
    pub more_from_row: Option<u32>,
}

/// A value of the hidden sheet with the row (1-based, as a spreadsheet
/// numbers it) it is on.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AtRow<T> {
    pub value: T,
    pub row: u32,
}
