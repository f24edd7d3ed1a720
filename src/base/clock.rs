//! The time a ledger records. Always the system clock, except in a debug
//! build (the tests') with `YOURCHOICE_TEST_NOW` set to an RFC 3339 time:
//! then that time, so a test can record returns, exports and payments on
//! the dates its hand-worked figures assume.

use chrono::{DateTime, Utc};

/// Now, in UTC.
pub fn now() -> DateTime<Utc> {
    if cfg!(debug_assertions)
        && let Some(text) = std::env::var_os("YOURCHOICE_TEST_NOW")
        && let Some(at) = text
            .to_str()
            .and_then(|t| DateTime::parse_from_rfc3339(t.trim()).ok())
    {
        return at.with_timezone(&Utc);
    }
    Utc::now()
}

/// Today, by [`now`] (UTC): the default `--as-of`, letters' and invoice
/// date.
pub fn today() -> chrono::NaiveDate {
    now().date_naive()
}
