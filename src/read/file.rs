//! How every file the tool reads is opened: a regular file only (a pipe,
//! device or folder is refused before a byte is read, so a FIFO cannot block
//! the run nor `/dev/zero` fill memory), at most a stated number of bytes,
//! and what went wrong said in plain words, never as an operating-system
//! code.
//!
//! The text of the council's own files is then decided here too, once per
//! file: UTF-8, or a whole file of Windows-1252, never a mixture guessed at.

use std::fmt;
use std::io::Read;
use std::path::Path;

use crate::base::limits::{MAX_LINE_BYTES, MAX_LINES};

/// Why a file could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileProblem {
    Missing,
    Denied,
    Folder,
    /// A pipe, device or socket: reading it could block or never end.
    NotRegular,
    /// Larger than the cap: it was not read.
    TooLarge {
        size: u64,
        cap: u64,
    },
    /// Any other failure, in the system's words without its code.
    Other(String),
}

impl fmt::Display for FileProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileProblem::Missing => write!(f, "there is no such file: check the name and folder"),
            FileProblem::Denied => write!(
                f,
                "this user may not open it: check the file's permissions, or copy it somewhere you can read"
            ),
            FileProblem::Folder => write!(f, "it is a folder, not a file: name the file itself"),
            FileProblem::NotRegular => write!(
                f,
                "it is not an ordinary file (a pipe, device or socket): save the data to a file and give that"
            ),
            FileProblem::TooLarge { size, cap } => write!(
                f,
                "it is {}, more than the {} such a file may be: check it is the right file",
                megabytes(*size),
                megabytes(*cap)
            ),
            FileProblem::Other(why) => write!(f, "{why}"),
        }
    }
}

/// `12.3 MB` (decimal megabytes, as file managers show them).
fn megabytes(bytes: u64) -> String {
    let tenths = bytes.saturating_add(50_000) / 100_000;
    format!("{}.{} MB", tenths / 10, tenths % 10)
}

/// What the system said, in words, without "(os error N)".
pub fn plain_io(e: &std::io::Error) -> String {
    crate::base::io_words::why(e, crate::base::io_words::Doing::Reading)
}

fn problem(e: &std::io::Error) -> FileProblem {
    match e.kind() {
        std::io::ErrorKind::NotFound => FileProblem::Missing,
        std::io::ErrorKind::PermissionDenied => FileProblem::Denied,
        std::io::ErrorKind::IsADirectory => FileProblem::Folder,
        _ => FileProblem::Other(plain_io(e)),
    }
}

/// The bytes of the regular file at `path`, at most `cap` of them.
///
/// # Errors
/// A [`FileProblem`]: missing, not allowed, not a regular file, larger than
/// `cap` (then nothing is read), or a failed read.
pub fn read_regular(path: &Path, cap: u64) -> Result<Vec<u8>, FileProblem> {
    // Checked before opening: opening a FIFO blocks until a writer comes.
    let meta = std::fs::metadata(path).map_err(|e| problem(&e))?;
    kind_ok(&meta)?;
    // Opened without blocking, then checked again on the open file, so a
    // pipe swapped in between the two cannot hold the run.
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| problem(&e))?;
    let meta = file.metadata().map_err(|e| problem(&e))?;
    kind_ok(&meta)?;
    if meta.len() > cap {
        return Err(FileProblem::TooLarge {
            size: meta.len(),
            cap,
        });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // One byte past the cap tells a file that grew while it was read.
    file.take(cap.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| problem(&e))?;
    if bytes.len() as u64 > cap {
        return Err(FileProblem::TooLarge {
            size: bytes.len() as u64,
            cap,
        });
    }
    Ok(bytes)
}

fn kind_ok(meta: &std::fs::Metadata) -> Result<(), FileProblem> {
    if meta.is_dir() {
        Err(FileProblem::Folder)
    } else if !meta.is_file() {
        Err(FileProblem::NotRegular)
    } else {
        Ok(())
    }
}

/// Why a council file's bytes are not text the tool can read: on which
/// line (0 for the whole file) and what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextProblem {
    pub line: u64,
    pub message: String,
}

/// The text of a council's file, decided once for the whole file:
/// - UTF-8 (a byte-order mark dropped) when every byte is UTF-8;
/// - Windows-1252, which Excel on Windows writes when it saves "CSV", when
///   no byte sequence in the file is UTF-8 beyond plain ASCII (so `Siân`
///   saved by Excel is read as written);
/// - otherwise refused at the first line that is not UTF-8: a file holding
///   both UTF-8 characters and a stray byte is neither, and reading the
///   whole of it as Windows-1252 would turn every `â` into `Ã¢`.
///
/// UTF-16 ("Unicode Text") is refused with how to save it. Past
/// [`MAX_LINES`] lines, or a line past [`MAX_LINE_BYTES`], is refused too.
///
/// # Errors
/// A [`TextProblem`] naming the line.
pub fn council_text(bytes: Vec<u8>) -> Result<String, TextProblem> {
    text_within(bytes, MAX_LINES)
}

/// [`council_text`] with its own cap on lines (a visit file may have more
/// than a council's file: one line a visit).
///
/// # Errors
/// A [`TextProblem`] naming the line.
pub(in crate::read) fn text_within(bytes: Vec<u8>, max_lines: usize) -> Result<String, TextProblem> {
    let bytes = strip_dos_end(bytes)?;
    check_lines(&bytes, max_lines)?;
    decode(bytes)
}

/// The text of a file decided as [`council_text`] decides it (UTF-8, or a
/// whole file of Windows-1252), without its caps on lines: for XML, which a
/// program may write on one line of any length.
///
/// # Errors
/// A [`TextProblem`] naming the line.
pub(in crate::read) fn any_text(bytes: Vec<u8>) -> Result<String, TextProblem> {
    decode(strip_dos_end(bytes)?)
}

/// UTF-16 refused, an old DOS end-of-file mark dropped.
fn strip_dos_end(bytes: Vec<u8>) -> Result<Vec<u8>, TextProblem> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(TextProblem {
            line: 0,
            message: "it is saved as UTF-16 (\"Unicode Text\"): save it again as \"CSV UTF-8\"".into(),
        });
    }
    // An old DOS end-of-file mark (Ctrl-Z) after the last line is not a line.
    let mut bytes = bytes;
    while bytes.last() == Some(&0x1A) {
        bytes.pop();
    }
    Ok(bytes)
}

/// UTF-8 (a byte-order mark dropped), or a whole file of Windows-1252.
fn decode(bytes: Vec<u8>) -> Result<String, TextProblem> {
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let bytes = e.into_bytes();
            let utf8_beyond_ascii = bytes.utf8_chunks().any(|chunk| !chunk.valid().is_ascii());
            if utf8_beyond_ascii {
                let first_bad = bytes
                    .utf8_chunks()
                    .scan(0usize, |at, chunk| {
                        let bad = *at + chunk.valid().len();
                        *at = bad + chunk.invalid().len();
                        Some((bad, chunk.invalid().first().copied()))
                    })
                    .find_map(|(at, byte)| byte.map(|b| (at, b)));
                let (at, byte) = first_bad.unwrap_or((0, 0));
                return Err(TextProblem {
                    line: line_of(&bytes, at),
                    message: format!(
                        "the byte 0x{byte:02X} on this line is not UTF-8, yet the file holds UTF-8 characters elsewhere: it is part one encoding and part another; retype the character on this line and save the file again as \"CSV UTF-8\""
                    ),
                });
            }
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes);
            text.into_owned()
        }
    };
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    })
}

/// Refuse more than `max_lines` lines or a line longer than
/// [`MAX_LINE_BYTES`].
fn check_lines(bytes: &[u8], max_lines: usize) -> Result<(), TextProblem> {
    let mut lines = 0usize;
    for line in bytes.split(|b| *b == b'\n') {
        lines += 1;
        if line.len() > MAX_LINE_BYTES {
            return Err(TextProblem {
                line: lines as u64,
                message: format!(
                    "the line is {} bytes long, more than the {MAX_LINE_BYTES} a line may be: check it is the right file",
                    line.len()
                ),
            });
        }
    }
    // A file ending in a line break has no line after it.
    if bytes.ends_with(b"\n") {
        lines -= 1;
    }
    if lines > max_lines {
        return Err(TextProblem {
            line: 0,
            message: format!(
                "it has {lines} lines, more than the {max_lines} such a file may have: check it is the right file"
            ),
        });
    }
    Ok(())
}

/// The lines of a text by where each starts, so the line of any offset is
/// found by a binary search (a reader naming each of 100,000 lines must not
/// count from the top for each).
pub(in crate::read) struct LineIndex {
    /// The offset just after each line break.
    breaks: Vec<usize>,
}

impl LineIndex {
    pub(in crate::read) fn new(text: &[u8]) -> LineIndex {
        LineIndex {
            breaks: text
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i + 1)
                .collect(),
        }
    }

    /// The 1-based line of a byte offset.
    pub(in crate::read) fn line(&self, offset: usize) -> u64 {
        self.breaks.partition_point(|b| *b <= offset) as u64 + 1
    }
}

/// The 1-based line of a byte offset (for one offset; for many, a
/// [`LineIndex`]).
pub(in crate::read) fn line_of(text: &[u8], offset: usize) -> u64 {
    let end = offset.min(text.len());
    text[..end].iter().filter(|b| **b == b'\n').count() as u64 + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_windows_1252_and_mixtures() {
        assert_eq!(council_text("Siân".as_bytes().to_vec()).unwrap(), "Siân");
        assert_eq!(council_text(b"\xEF\xBB\xBFa,b".to_vec()).unwrap(), "a,b");
        // Excel's Windows-1252: â is one byte 0xE2; £ is 0xA3.
        assert_eq!(council_text(b"Si\xE2n,\xA3".to_vec()).unwrap(), "Siân,£");
        // UTF-8 `â` on line 1, a stray Windows-1252 `£` on line 3.
        let mixed = b"Si\xC3\xA2n\nok\ncost \xA3\n".to_vec();
        let e = council_text(mixed).unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("0xA3"), "{}", e.message);
        assert_eq!(council_text(vec![0xFF, 0xFE, b'a', 0]).unwrap_err().line, 0);
    }

    #[test]
    fn line_caps() {
        let long = vec![b'a'; MAX_LINE_BYTES + 1];
        let mut bytes = b"ok\n".to_vec();
        bytes.extend(&long);
        assert_eq!(council_text(bytes).unwrap_err().line, 2);
        assert!(council_text(b"a\n".repeat(MAX_LINES)).is_ok());
        let many = b"a\n".repeat(MAX_LINES + 1);
        assert!(council_text(many).unwrap_err().message.contains("1000001 lines"));
    }

    #[test]
    fn line_index_agrees_with_counting() {
        let text = b"a\nbb\n\nc\n";
        let index = LineIndex::new(text);
        for offset in 0..=text.len() {
            assert_eq!(index.line(offset), line_of(text, offset), "offset {offset}");
        }
    }

    #[test]
    fn sizes_in_words() {
        assert_eq!(megabytes(64 << 20), "67.1 MB");
        assert_eq!(megabytes(1_000_000), "1.0 MB");
    }
}
