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
