//! Helpers shared by the test modules: the binary and the repository's
//! files, the typed reconcile JSON, the test workbooks, and what a run must
//! leave as it was (`kept`).

pub mod bin;
pub mod doc;
pub mod files;
pub mod kept;
pub mod package;
pub mod workbook;
