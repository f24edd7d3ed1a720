//! `yourchoice`: reconcile "Your Choice" care-at-home hours.
//!
//! The data flows one way: files -> [`read`] -> [`model`] -> [`engine`] ->
//! [`write`], with the ledger ([`store`]) as the one place anything is kept.
//! [`cli`] turns the arguments into one resolved configuration and [`cmd`]
//! runs a command over it. From the ground up (a module imports only those
//! below it):
//!
//! 1. [`base`]: exact units, limits, shared wording; imports nothing else.
//! 2. [`model`]: plain types (submission, settings, findings, export kinds).
//! 3. [`read`] and [`engine`]: files -> model; model -> results (pure).
//! 4. [`store`] and [`write`]: the SQLite ledger; one module per output.
//! 5. [`cli`], then [`cmd`]: the front door, then the commands.

pub mod base;
pub mod cli;
pub mod cmd;
pub mod engine;
pub mod model;
pub mod read;
pub mod store;
pub mod write;
