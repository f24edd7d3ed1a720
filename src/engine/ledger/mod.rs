//! The ledger's rules (issue 15), as pure functions over what the ledger
//! holds: whether a reconciliation is new, a new version or refused; what a
//! payment run still has to export; a provider's quarter at a glance; a
//! person referred two periods running; and the returns recorded under
//! council files that have changed since. `crate::store` stores and loads
//! these plain values in SQLite; nothing here does I/O.

mod admit;
mod fingerprint;
mod paid;
mod pay_run;
mod payments;
mod records;
mod referrals;
mod stale;
mod status;
#[cfg(test)]
mod tests;

pub use admit::*;
pub use fingerprint::*;
pub use paid::*;
pub use pay_run::*;
pub use payments::*;
pub use records::*;
pub use referrals::*;
pub use stale::*;
pub use status::*;
