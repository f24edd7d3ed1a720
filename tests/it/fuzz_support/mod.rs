//! What the two fuzz targets (`fuzz_reader.rs`, `fuzz_engine.rs`) share:
//! the environment variables that size a run, proptest's configuration and
//! the progress line.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use proptest::test_runner::Config as ProptestConfig;

/// `key` from the environment as a number, or `default`.
pub fn env_number(key: &str, default: u64) -> u64 {
    std::env::var(key)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

/// `FUZZ_CASES` cases (default 48: a few seconds, for CI); with
/// `FUZZ_FORK=1` each run in a child process (so a case that aborts or
/// hangs is caught, shrunk and reported like a panic) killed after 60 s.
/// Failures are not persisted: each one found is kept as a regression test
/// in the target.
pub fn config(max_shrink_iters: u32) -> ProptestConfig {
    let fork = env_number("FUZZ_FORK", 0) == 1;
    ProptestConfig {
        cases: u32::try_from(env_number("FUZZ_CASES", 48)).unwrap_or(u32::MAX),
        max_shrink_iters,
        fork,
        timeout: if fork { 60_000 } else { 0 },
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// With `FUZZ_PROGRESS` set, a line on stderr every that many cases: how
/// many `target` has run, and for how long.
pub fn progress(target: &str) {
    static CASES: AtomicU64 = AtomicU64::new(0);
    static START: OnceLock<Instant> = OnceLock::new();
    let start = START.get_or_init(Instant::now);
    let every = env_number("FUZZ_PROGRESS", 0);
    let n = CASES.fetch_add(1, Ordering::Relaxed) + 1;
    if every > 0 && n.is_multiple_of(every) {
        eprintln!("{target}: {n} cases in {:.0?}", start.elapsed());
    }
}
