//! Writers: one module per output (`table`, `json`, `check`, `report`,
//! `summary`, `export`, `template`), each laying out what the engine
//! computed and computing nothing of its own; `words` and `formats` hold the
//! wording and cell formats they share, `atomic` the safe file write.

pub mod atomic;
pub mod check;
pub mod export;
pub mod formats;
pub mod json;
pub mod report;
pub mod summary;
pub mod table;
pub mod template;
pub mod words;
