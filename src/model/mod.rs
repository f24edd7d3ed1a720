//! Plain typed values every layer shares, with no I/O and no money rules:
//! what a provider's return says ([`submission`]), the council's format
//! ([`format`]), the council's settings ([`settings`]), the findings
//! ([`findings`]), what finance exports ([`export`]) and a spot check
//! ([`spot`]).

pub mod export;
pub mod findings;
pub mod format;
pub mod letters;
pub mod paid;
pub mod settings;
pub mod spot;
pub mod submission;
pub mod visits;

pub use format::*;
pub use spot::{AtRow, Record, Reported, spot_check};
pub use submission::*;
