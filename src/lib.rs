//! `yourchoice`: reconcile "Your Choice" care-at-home hours.
//!
//! The data flows one way: workbook -> [`read`] -> [`model::Submission`] ->
//! [`engine`] -> [`engine::Reconciliation`] -> [`write`]. The binary's
//! commands ([`cmd`]) wire these together.

pub mod cli;
pub mod cmd;
pub mod engine;
pub mod findings;
pub mod model;
pub mod read;
pub mod units;
pub mod write;
