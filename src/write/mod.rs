//! Writers: one module per output (`table`, `json`, `check`, `report`,
//! `summary`, `export`, `template`), each laying out what the engine
//! computed and computing nothing of its own; `phrases` and `formats` hold the
//! wording and cell formats they share, `atomic` the safe file write.

pub mod atomic;
pub mod check;
pub mod decisions;
pub mod explain;
pub mod export;
pub mod fit;
pub mod formats;
pub mod json;
pub mod ledger;
pub mod letters;
pub mod monitor;
pub mod paid;
pub mod phrases;
pub mod report;
pub mod spot;
pub mod summary;
pub mod table;
pub mod template;
pub mod verify;
pub mod visits;

use crate::model::findings::Severity;

/// What the text output shows (`--quiet`, `--severity`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Show {
    /// Totals and errors only: no people table.
    pub quiet: bool,
    /// The least serious finding shown.
    pub least: Severity,
}

impl Default for Show {
    fn default() -> Self {
        Show {
            quiet: false,
            least: Severity::Info,
        }
    }
}

impl Show {
    /// The finding is shown.
    pub fn shows(&self, f: &crate::model::findings::Finding) -> bool {
        f.severity() <= self.least
    }
}
