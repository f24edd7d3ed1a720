//! Digests for the audit trail: a file's SHA-256, as the report, the
//! ledger and the spot check record it.

use sha2::{Digest, Sha256};

/// Hex SHA-256 of some bytes (a file's, or a canonical record's).
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}
