//! The ground floor: exact quantities, the limits of a plausible figure,
//! and the wording every layer shares. Imports nothing else of the crate.

pub mod clock;
pub mod digest;
pub mod io_words;
pub mod limits;
pub mod text;
pub mod units;
