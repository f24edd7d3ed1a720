//! A ledger that is refused is left exactly as it was found: its bytes, and
//! the files beside it. Its header is read before SQLite opens it (a file
//! cut short, or not SQLite at all, is refused without SQLite touching it),
//! the first look inside it makes no file beside it, and what SQLite made
//! beside a ledger it then refused (`-wal`, `-shm`, `-journal`) is removed
//! again.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::LedgerError;

/// The first 16 bytes of every SQLite database.
const MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// The length of SQLite's database header.
const HEADER: usize = 100;

/// The files SQLite keeps beside a database.
const SUFFIXES: [&str; 3] = ["-wal", "-shm", "-journal"];

/// `path` with `suffix` added to its name (`ledger.db-wal`).
fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

/// A file beside the ledger that holds something (a write-ahead log or a
/// journal someone wrote to).
fn holds_something(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.len() > 0)
}

/// Read the ledger's SQLite header, cheaply, before SQLite opens it: a file
/// that is not SQLite, or is shorter than its header says (cut short), is
/// refused with nothing written. An empty file passes (the open says what
/// it is).
///
/// # Errors
/// [`LedgerError::NotALedger`] for a file that is not SQLite or whose
/// header is damaged, [`LedgerError::Truncated`] for one cut short,
/// [`LedgerError::Sqlite`] when it cannot be read.
pub(super) fn check_header(path: &Path) -> Result<(), LedgerError> {
    let unreadable = |e: std::io::Error| LedgerError::Sqlite {
        path: path.to_path_buf(),
        why: e.to_string(),
    };
    let not = |why: &str| LedgerError::NotALedger {
        path: path.to_path_buf(),
        why: why.to_string(),
    };
    let cut = || LedgerError::Truncated(path.to_path_buf());
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let len = file.metadata().map_err(unreadable)?.len();
    if len == 0 {
        return Ok(());
    }
    let mut head = Vec::with_capacity(HEADER);
    file.take(HEADER as u64)
        .read_to_end(&mut head)
        .map_err(unreadable)?;
    let magic = head.len().min(MAGIC.len());
    if head[..magic] != MAGIC[..magic] {
        return Err(not("not an SQLite database"));
    }
    if head.len() < HEADER {
        return Err(cut());
    }
    let page_size = match u16::from_be_bytes([head[16], head[17]]) {
        1 => 65_536,
        n => u64::from(n),
    };
    if !(512..=65_536).contains(&page_size) || !page_size.is_power_of_two() {
        return Err(not("an SQLite database whose header is damaged"));
    }
    // The page count is SQLite's own only while the change counter and
    // the version it is valid for agree (SQLite's file format, 1.3.7).
    let pages = u64::from(u32::from_be_bytes([head[28], head[29], head[30], head[31]]));
    let counted = pages > 0 && head[24..28] == head[92..96];
    let expected = if counted { pages * page_size } else { page_size };
    // A write-ahead log with pages in it may hold what a checkpoint had not
    // yet copied into the file: SQLite then judges the file itself.
    if len < expected && !holds_something(&beside(path, "-wal")) {
        return Err(cut());
    }
    Ok(())
}

/// The files beside the ledger as they were before SQLite opened it.
pub(super) struct Beside {
    ledger: PathBuf,
    /// Those that were not there.
    absent: Vec<PathBuf>,
}

impl Beside {
    /// Note which of the ledger's `-wal`, `-shm` and `-journal` are there.
    pub(super) fn note(ledger: &Path) -> Beside {
        Beside {
            ledger: ledger.to_path_buf(),
            absent: SUFFIXES
                .iter()
                .map(|s| beside(ledger, s))
                .filter(|p| std::fs::symlink_metadata(p).is_err())
                .collect(),
        }
    }

    /// Neither a write-ahead log nor a journal was there: the file alone is
    /// the whole database, and it may be looked at as it is on disk
    /// (SQLite's `immutable`), making no file beside it.
    pub(super) fn alone(&self) -> bool {
        ["-wal", "-journal"]
            .iter()
            .all(|s| self.absent.contains(&beside(&self.ledger, s)))
    }

    /// Remove what SQLite made beside a ledger it then refused, once every
    /// connection to it is closed: only files that were not there before,
    /// and only while the write-ahead log and the journal hold nothing (so
    /// nothing anyone wrote is lost). Best effort: a file that cannot be
    /// removed stays.
    pub(super) fn tidy(self) {
        if ["-wal", "-journal"]
            .iter()
            .any(|s| holds_something(&beside(&self.ledger, s)))
        {
            return;
        }
        for path in &self.absent {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// A `file:` URI for `path` that opens it as SQLite's `immutable`: read as
/// it is on disk, no locks, no file made beside it.
pub(super) fn immutable_uri(path: &Path) -> String {
    let mut uri = String::from("file:");
    for b in path.as_os_str().as_encoded_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                uri.push(char::from(*b))
            }
            other => uri.push_str(&format!("%{other:02X}")),
        }
    }
    uri.push_str("?immutable=1");
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_uri_escapes_what_a_uri_would_read() {
        assert_eq!(
            immutable_uri(Path::new("/a b/l?#%.db")),
            "file:/a%20b/l%3F%23%25.db?immutable=1"
        );
    }

    #[test]
    fn a_header_cut_short_or_not_sqlite() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.db");
        let says = |bytes: &[u8]| {
            std::fs::write(&path, bytes).unwrap();
            check_header(&path).err().map(|e| e.to_string())
        };
        assert_eq!(says(b""), None);
        assert!(
            says(b"not a ledger")
                .unwrap()
                .contains("(not an SQLite database)")
        );
        assert!(
            says(b"SQLite for")
                .unwrap()
                .contains("is shorter than its own header says")
        );
        // Page size 4096, 3 pages counted (change counter 7, valid for 7):
        // 12,288 bytes; 8,192 are there.
        let mut page = vec![0u8; 8192];
        page[..16].copy_from_slice(MAGIC);
        page[16..18].copy_from_slice(&4096u16.to_be_bytes());
        page[24..28].copy_from_slice(&7u32.to_be_bytes());
        page[28..32].copy_from_slice(&3u32.to_be_bytes());
        page[92..96].copy_from_slice(&7u32.to_be_bytes());
        assert!(says(&page).unwrap().contains("cut short (truncated)"));
        page.resize(12_288, 0);
        assert_eq!(says(&page), None);
        page[16..18].copy_from_slice(&1000u16.to_be_bytes());
        assert!(says(&page).unwrap().contains("header is damaged"));
    }
}
