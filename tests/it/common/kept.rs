//! What a run must leave as it was: a file's SHA-256, a folder's listing,
//! and a ledger edited as someone with `sqlite3` would.

use std::path::Path;

/// The SHA-256 of the file at `path`, in hex.
pub fn sha256(path: &Path) -> String {
    yourchoice::base::digest::sha256_hex(&std::fs::read(path).unwrap())
}

/// Every entry of `dir` (not below it), by name, with its size: a file made
/// or removed beside another shows here.
pub fn listing(dir: &Path) -> Vec<(String, u64)> {
    let mut entries: Vec<(String, u64)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let size = std::fs::symlink_metadata(e.path()).unwrap().len();
            (e.file_name().to_string_lossy().into_owned(), size)
        })
        .collect();
    entries.sort();
    entries
}

/// Edit the ledger at `path` as someone with `sqlite3` would: drop the
/// append-only triggers, run `sql`, and put the triggers back as they were.
/// The connection is closed after, so SQLite leaves no file beside it.
pub fn edit_ledger(path: &Path, sql: &str) {
    let db = rusqlite::Connection::open(path).unwrap();
    let triggers: Vec<(String, String)> = {
        let mut stmt = db
            .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger'")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    for (name, _) in &triggers {
        db.execute_batch(&format!("DROP TRIGGER {name}")).unwrap();
    }
    db.execute_batch(sql).unwrap();
    for (_, create) in &triggers {
        db.execute_batch(create).unwrap();
    }
    db.close().unwrap();
}
