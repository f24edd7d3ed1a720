//! Letters (issue 24): statements for the people charged, remittance
//! advice and hold notices for providers, worded from the council's
//! templates in the reader's language and typeset as PDF.

pub mod doc;
pub mod pdf;
pub mod provider;
pub mod statement;
pub mod words;
