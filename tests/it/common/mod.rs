//! Helpers shared by the test modules: the binary and the repository's
//! files, the typed reconcile JSON, and the test workbooks.

pub mod bin;
pub mod doc;
pub mod files;
pub mod package;
pub mod workbook;
