//! Paths into the repository: `examples/` and `../shared/fixtures/`.

use std::path::{Path, PathBuf};

/// The repository root (the crate's manifest folder).
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `examples/NAME`.
pub fn example(name: &str) -> PathBuf {
    root().join("examples").join(name)
}

/// The shared fixtures folder, `../shared/fixtures`.
pub fn fixtures() -> PathBuf {
    root().join("../shared/fixtures")
}

/// `../shared/fixtures/NAME`.
pub fn fixture(name: &str) -> PathBuf {
    fixtures().join(name)
}
