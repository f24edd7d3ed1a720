//! `yourchoice`: reconcile "Your Choice" care-at-home hours.
//!
//! The data flows one way: workbook -> [`read`] -> [`model::Submission`] ->
//! [`engine`] -> [`engine::Reconciliation`] -> [`write`]. The binary's
//! commands ([`cmd`]) wire these together.

pub mod cli;
pub mod cmd;
pub mod config;
pub mod engine;
pub mod findings;
pub mod ledger;
pub mod limits;
pub mod model;
pub mod read;
pub mod settings;
pub mod units;
pub mod words;
pub mod write;
