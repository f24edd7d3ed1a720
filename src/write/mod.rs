//! Writers: one module per output. Each shows a [`crate::engine::Reconciliation`]
//! and computes nothing of its own.

pub mod atomic;
pub mod check;
pub mod export;
pub mod json;
pub mod report;
pub mod summary;
pub mod table;
pub mod template;
pub mod words;
