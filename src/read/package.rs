//! Checks of a workbook's package: a zip (`.xlsx`, `.xlsb`, `.ods`) must be
//! exactly what it claims, and what it inflates to is bounded. Its
//! directory is checked before calamine opens it; each part is checked in
//! the pass calamine reads from, by the guard calamine reads through
//! ([`Guarded`]), the first time calamine goes to read it: inflated by the
//! guard (calamine inflates it again as it reads) within the limits, its
//! checksum verified, and what calamine would trust
//! in it checked, before calamine gets a byte of it.

use std::cell::RefCell;
use std::io::{Cursor, Read, Seek, SeekFrom};
use std::rc::Rc;

use chrono::NaiveDate;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::base::limits::{MAX_CELLS, MAX_INFLATED_BYTES, MAX_PART_BYTES, MAX_PARTS};

/// Why a package is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Not exactly what it claims: the words say how.
    Corrupt(String),
    /// Past one of the limits: the words say which.
    Limit(String),
}

/// What kind of file the bytes are, from their first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A zip package: `.xlsx`, `.xlsb` or `.ods`.
    Zip,
    /// An OLE compound file: `.xls`.
    Compound,
    /// Text that looks like CSV.
    Csv,
    Unknown,
}

pub fn kind(bytes: &[u8]) -> Kind {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        Kind::Zip
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        Kind::Compound
    } else if looks_like_csv(bytes) {
        Kind::Csv
    } else {
        Kind::Unknown
    }
}

/// Mostly printable text with separators on its first lines.
fn looks_like_csv(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    let text = String::from_utf8_lossy(head);
    let printable = text
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'))
        .count();
    !text.is_empty()
        && printable * 100 >= text.chars().count() * 95
        && text.lines().take(3).any(|l| l.contains([',', ';', '\t']))
}

/// A zip package as calamine reads it: the bytes of the file, behind a
/// guard that lets calamine read a part's data only once that part has been
/// admitted (see [`guard_zip`]). Clones (calamine tries each format with
/// one) share the guard.
#[derive(Clone)]
pub struct Guarded<'a> {
    bytes: &'a [u8],
    pos: u64,
    guard: Rc<RefCell<Guard<'a>>>,
}

/// What the guard knows of the package, and what it has let through.
struct Guard<'a> {
    /// The package's own reader, apart from calamine's: a part is inflated
    /// here once, when calamine first reads it.
    zip: Option<zip::ZipArchive<Cursor<&'a [u8]>>>,
    /// Where each part's data begins, and the part's number, sorted: the
    /// zip reader seeks there and reads from there to inflate a part.
    starts: Vec<(u64, usize)>,
    admitted: Vec<bool>,
    /// Bytes the parts admitted inflate to, together.
    inflated: u64,
    /// Why the package was refused, once it is: every read after fails.
    refusal: Option<Refusal>,
}

/// Check a zip package's directory, without inflating any part: readable,
/// no part named twice, within [`MAX_PARTS`]. The rest is checked part by
/// part as calamine reads them, in the same pass: the first time calamine
/// reads a part's data, the guard inflates that part (up to what its
/// headers declare and within [`MAX_PART_BYTES`], and the parts read within
/// [`MAX_INFLATED_BYTES`] together), which verifies its checksum, and checks
/// what calamine would trust in it without bounds (see [`xml_part`]; for an
/// OpenDocument spreadsheet's `content.xml`, the cells its repeat counts
/// expand to, within [`MAX_CELLS`]). Only then does calamine get its bytes.
/// A part calamine never reads (a sheet other than those asked for, a
/// picture) is never inflated, and so never limited.
///
/// After calamine is done (or has failed), [`Guarded::refusal`] says whether
/// the guard refused a part: that, not calamine's error, is why.
///
/// # Errors
/// The first [`Refusal`] of the directory.
pub fn guard_zip(bytes: &[u8]) -> Result<Guarded<'_>, Refusal> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        Refusal::Corrupt(format!(
            "its zip package is damaged or incomplete (perhaps cut short when it was copied or \
                 sent): {e}"
        ))
    })?;
    if zip.has_duplicate_names() {
        return Err(Refusal::Corrupt(
            "its zip package holds a part of one name twice, so which one counts is ambiguous".into(),
        ));
    }
    if zip.len() > MAX_PARTS {
        return Err(Refusal::Limit(format!(
            "its package has {} parts, more than the {MAX_PARTS} a workbook may have",
            zip.len()
        )));
    }
    let mut starts = Vec::with_capacity(zip.len());
    for i in 0..zip.len() {
        // Reads the part's local header, not its data.
        let part = zip
            .by_index_raw(i)
            .map_err(|e| Refusal::Corrupt(format!("part {} of its package cannot be read: {e}", i + 1)))?;
        if let Some(start) = part.data_start() {
            starts.push((start, i));
        }
    }
    starts.sort_unstable();
    let admitted = vec![false; zip.len()];
    Ok(Guarded::new(
        bytes,
        Guard {
            zip: Some(zip),
            starts,
            admitted,
            inflated: 0,
            refusal: None,
        },
    ))
}

impl<'a> Guarded<'a> {
    fn new(bytes: &'a [u8], guard: Guard<'a>) -> Guarded<'a> {
        Guarded {
            bytes,
            pos: 0,
            guard: Rc::new(RefCell::new(guard)),
        }
    }

    /// A file that is not a zip package (an `.xls`, checked on its own):
    /// its bytes as they are.
    pub fn plain(bytes: &'a [u8]) -> Guarded<'a> {
        Guarded::new(
            bytes,
            Guard {
                zip: None,
                starts: Vec::new(),
                admitted: Vec::new(),
                inflated: 0,
                refusal: None,
            },
        )
    }

    /// Why the guard refused a part calamine went to read, if it did.
    pub fn refusal(&self) -> Option<Refusal> {
        self.guard.borrow().refusal.clone()
    }
}

impl Read for Guarded<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.guard.borrow_mut().admit_at(self.pos)?;
        let at = usize::try_from(self.pos)
            .unwrap_or(usize::MAX)
            .min(self.bytes.len());
        let n = (&self.bytes[at..]).read(buf)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for Guarded<'_> {
    fn seek(&mut self, to: SeekFrom) -> std::io::Result<u64> {
        let pos = match to {
            SeekFrom::Start(p) => Some(p),
            SeekFrom::End(d) => (self.bytes.len() as u64).checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        self.pos = pos.ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "a seek before the start of the file",
            )
        })?;
        Ok(self.pos)
    }
}

impl Guard<'_> {
    /// Before a read at `pos`: where a part's data begins there, admit the
    /// part (once).
    ///
    /// # Errors
    /// The guard has refused a part, this one or an earlier one.
    fn admit_at(&mut self, pos: u64) -> std::io::Result<()> {
        if self.refusal.is_none() {
            let first = self.starts.partition_point(|&(start, _)| start < pos);
            let parts: Vec<usize> = self.starts[first..]
                .iter()
                .take_while(|&&(start, _)| start == pos)
                .map(|&(_, i)| i)
                .filter(|&i| !self.admitted[i])
                .collect();
            for i in parts {
                self.admitted[i] = true;
                if let Err(refusal) = self.admit(i) {
                    self.refusal = Some(refusal);
                    break;
                }
            }
        }
        match &self.refusal {
            None => Ok(()),
            Some(Refusal::Corrupt(why) | Refusal::Limit(why)) => Err(std::io::Error::other(why.clone())),
        }
    }

    /// Inflate part `i` and check it (see [`guard_zip`]).
    fn admit(&mut self, i: usize) -> Result<(), Refusal> {
        let Some(zip) = self.zip.as_mut() else {
            return Ok(());
        };
        let mut part = zip
            .by_index(i)
            .map_err(|e| Refusal::Corrupt(format!("part {} of its package cannot be read: {e}", i + 1)))?;
        let name = part.name().map(|n| n.to_string()).unwrap_or_default();
        let declared = part.size();
        let too_big = || {
            Refusal::Limit(format!(
                "its part \"{name}\" inflates to more than {} MB",
                MAX_PART_BYTES >> 20
            ))
        };
        let too_much = || {
            Refusal::Limit(format!(
                "its parts inflate to more than {} MB in all",
                MAX_INFLATED_BYTES >> 20
            ))
        };
        if declared > MAX_PART_BYTES {
            return Err(too_big());
        }
        if self.inflated.saturating_add(declared) > MAX_INFLATED_BYTES {
            return Err(too_much());
        }
        // Inflated to its end (where the zip reader checks the checksum),
        // and not a byte past what its headers declare: memory is what the
        // headers said, within the limits above.
        let mut data = Vec::with_capacity(usize::try_from(declared).unwrap_or(0));
        (&mut part)
            .take(declared + 1)
            .read_to_end(&mut data)
            .map_err(|e| Refusal::Corrupt(format!("its part \"{name}\" is corrupt ({e})")))?;
        if data.len() as u64 > declared {
            return Err(Refusal::Corrupt(format!(
                "its part \"{name}\" is corrupt (it inflates to more than the {declared} bytes its \
                 headers declare)"
            )));
        }
        drop(part);
        self.inflated += data.len() as u64;
        // Every part, whatever its name: the relationships may name any
        // part as a sheet.
        xml_part(&name, &data)?;
        if name == "content.xml" && self.is_ods() {
            let cells = ods_cells(&data[..])?;
            if cells > MAX_CELLS {
                return Err(Refusal::Limit(format!(
                    "its repeated rows and columns expand to more than {MAX_CELLS} cells"
                )));
            }
        }
        Ok(())
    }

    /// Whether the package says it is an OpenDocument spreadsheet (its
    /// `mimetype` part, which the OpenDocument reader reads first).
    fn is_ods(&mut self) -> bool {
        let Some(zip) = self.zip.as_mut() else {
            return false;
        };
        let Ok(part) = zip.by_name("mimetype") else {
            return false;
        };
        let mut m = Vec::new();
        if part.take(4096).read_to_end(&mut m).is_err() {
            return false;
        }
        String::from_utf8_lossy(&m).contains("opendocument.spreadsheet")
    }
}

/// A sheet's last row and column (`XFD1048576`).
const MAX_ROWS: u64 = 1 << 20;
const MAX_COLUMNS: u64 = 1 << 14;

/// The column and row of a cell reference (`B3`, `b3`: 2 and 3; a row
/// number `3`: 0 and 3), 1-based and saturating. Text that is not a
/// reference is left to the reader to refuse.
fn position(reference: &[u8]) -> (u64, u64) {
    let letters = reference.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let (letters, rest) = reference.split_at(letters);
    let col = letters.iter().fold(0u64, |col, b| {
        col.saturating_mul(26)
            .saturating_add(u64::from(b.to_ascii_uppercase() - b'A') + 1)
    });
    let row = rest
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .fold(0u64, |row, b| {
            row.saturating_mul(10).saturating_add(u64::from(b - b'0'))
        });
    (col, row)
}

/// Why a sheet's cell reference, row number or dimension (`A1:T10`) cannot
/// be read as it stands: a reference past the sheet's last row or column,
/// or a dimension whose end comes before its start. The reader's arithmetic
/// on either overflows (a panic, or a cell read at the wrong place).
fn bad_reference(value: &[u8]) -> Option<&'static str> {
    // Without allocating: it is called for every cell.
    let mut parts = 0;
    let mut ends = [(0, 0); 2];
    for part in value.split(|b| *b == b':').map(position) {
        if part.0 > MAX_COLUMNS || part.1 > MAX_ROWS {
            return Some("past the last cell of a sheet (XFD1048576)");
        }
        if parts < 2 {
            ends[parts] = part;
        }
        parts += 1;
    }
    let [(c0, r0), (c1, r1)] = ends;
    (parts == 2 && c0 > 0 && r0 > 0 && (c1 < c0 || r1 < r0)).then_some("a range that ends before it starts")
}

/// A count as the reader parses it (digits, an optional `+`), saturating;
/// 0 for anything else.
fn count(text: &[u8]) -> u64 {
    let digits = text.strip_prefix(b"+").unwrap_or(text);
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return 0;
    }
    digits.iter().fold(0u64, |n, b| {
        n.saturating_mul(10).saturating_add(u64::from(b - b'0'))
    })
}

/// Check one part of an `.xlsx` package as the reader would parse it as
/// XML, whatever its name and root (the relationships may name any part as
/// a sheet): every cell and row reference and every sheet's declared
/// dimension must be within a sheet, every shared-string cell's number must
/// be a number ([`SharedRefs`]), and the number of shared strings
/// declared (which the reader sets memory aside for as soon as it reads
/// it) must not be more than [`MAX_CELLS`] unless the part holds them.
fn xml_part(name: &str, xml: &[u8]) -> Result<(), Refusal> {
    if plainly_sound(xml) {
        Ok(())
    } else {
        xml_part_exact(name, xml)
    }
}

/// Whether the XML is certainly sound for [`xml_part_exact`], found in one
/// quick pass over the bytes: it is plain XML (start and end tags, names of
/// ASCII letters, digits and `_:.-`, every attribute `name="value"` or
/// `name='value'` with no `<` or `>` in the value, processing instructions
/// and text; no comment, CDATA or declaration), which a reader can only
/// read one way, and what that check looks at is sound. `false` where it is
/// not certain, or where something is not sound: the exact check, which
/// parses it as the reader does, decides (and says why).
///
/// A workbook's parts as a spreadsheet writes them are plain XML; this
/// takes a fraction of the time of parsing them (issue 23).
fn plainly_sound(xml: &[u8]) -> bool {
    let mut scan = PlainScan::default();
    scan.run(xml).is_some() && !matches!(scan.declared_strings, Some(d) if d > MAX_CELLS)
}

/// The state of [`plainly_sound`]'s pass, as [`xml_part_exact`] and
/// [`SharedRefs`] keep theirs.
#[derive(Default)]
struct PlainScan {
    /// The first `sst` element's count, once it is seen.
    declared_strings: Option<u64>,
    /// Inside a shared-string cell (`<c t="s">`).
    shared_cell: bool,
    /// Inside that cell's `<v>`: where its text begins.
    value_from: Option<usize>,
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b':' | b'.' | b'-')
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// A name's local part, as the reader takes it: after the first `:`.
fn local(name: &[u8]) -> &[u8] {
    name.iter()
        .position(|b| *b == b':')
        .map_or(name, |i| &name[i + 1..])
}

/// A plain name at `at`: its end.
fn name_end(xml: &[u8], at: usize) -> Option<usize> {
    let first = *xml.get(at)?;
    if !(first.is_ascii_alphabetic() || first == b'_' || first == b':') {
        return None;
    }
    Some(
        xml[at..]
            .iter()
            .position(|b| !is_name_byte(*b))
            .map_or(xml.len(), |n| at + n),
    )
}

impl PlainScan {
    /// Follow the whole document; `None` where it is not plain or not
    /// sound.
    fn run(&mut self, xml: &[u8]) -> Option<()> {
        let mut at = 0;
        while let Some(n) = memchr::memchr(b'<', &xml[at..]) {
            let lt = at + n;
            at = match *xml.get(lt + 1)? {
                b'!' => return None,
                b'?' => {
                    if self.value_from.is_some() {
                        return None;
                    }
                    lt + 2 + memchr::memmem::find(&xml[lt + 2..], b"?>")? + 2
                }
                b'/' => self.end_tag(xml, lt)?,
                _ => self.start_tag(xml, lt)?,
            };
        }
        self.value_from.is_none().then_some(())
    }

    /// An end tag at `lt`: just past it.
    fn end_tag(&mut self, xml: &[u8], lt: usize) -> Option<usize> {
        let end = name_end(xml, lt + 2)?;
        if xml.get(end) != Some(&b'>') {
            return None;
        }
        let name = local(&xml[lt + 2..end]);
        if let Some(from) = self.value_from.take() {
            // The value's text in one plain piece: a string's number, or
            // nothing.
            let text = &xml[from..lt];
            let number = text.iter().all(u8::is_ascii_digit)
                && (text.len() < 19 || std::str::from_utf8(text).is_ok_and(|t| t.parse::<usize>().is_ok()));
            if name != b"v" || !number {
                return None;
            }
        } else if name == b"c" {
            self.shared_cell = false;
        }
        Some(end + 1)
    }

    /// A start (or empty) tag at `lt`: just past it.
    fn start_tag(&mut self, xml: &[u8], lt: usize) -> Option<usize> {
        if self.value_from.is_some() {
            return None;
        }
        let end = name_end(xml, lt + 1)?;
        let element = local(&xml[lt + 1..end]);
        let first_sst = element == b"sst" && self.declared_strings.is_none();
        if first_sst {
            self.declared_strings = Some(0);
        }
        let mut shared = false;
        let mut at = end;
        let empty = loop {
            let before = at;
            while xml.get(at).copied().is_some_and(is_space) {
                at += 1;
            }
            match *xml.get(at)? {
                b'>' => break false,
                b'/' if xml.get(at + 1) == Some(&b'>') => {
                    at += 1;
                    break true;
                }
                // An attribute, after a space.
                _ if at == before => return None,
                _ => {}
            }
            let key_end = name_end(xml, at)?;
            let key = &xml[at..key_end];
            at = key_end;
            while xml.get(at).copied().is_some_and(is_space) {
                at += 1;
            }
            if xml.get(at) != Some(&b'=') {
                return None;
            }
            at += 1;
            while xml.get(at).copied().is_some_and(is_space) {
                at += 1;
            }
            let quote = *xml.get(at)?;
            if quote != b'"' && quote != b'\'' {
                return None;
            }
            // Values are short: a loop, not a search.
            let mut value_end = at + 1;
            loop {
                match *xml.get(value_end)? {
                    b if b == quote => break,
                    b'<' | b'>' => return None,
                    _ => value_end += 1,
                }
            }
            let value = &xml[at + 1..value_end];
            at = value_end + 1;
            if key == b"t" {
                shared = value == b"s";
            }
            let sound = match (element, local(key)) {
                (b"c" | b"row", b"r") | (b"dimension" | b"f", b"ref") => bad_reference(value).is_none(),
                (b"f", b"si") => count(value) <= MAX_CELLS,
                (b"sst", b"uniqueCount") if first_sst => {
                    self.declared_strings = Some(count(value));
                    true
                }
                _ => true,
            };
            if !sound {
                return None;
            }
        };
        match element {
            b"c" => self.shared_cell = shared && !empty,
            b"v" if self.shared_cell && !empty => self.value_from = Some(at + 1),
            _ => {}
        }
        Some(at + 1)
    }
}

/// The check [`xml_part`] makes, parsing the part as the reader does.
fn xml_part_exact<R: std::io::BufRead>(name: &str, input: R) -> Result<(), Refusal> {
    let mut reader = Reader::from_reader(input);
    // As the reader parses it, so that this sees what it will see.
    let config = reader.config_mut();
    config.check_end_names = false;
    config.check_comments = false;
    config.trim_text(false);
    let mut buf = Vec::new();
    let corrupt = |why: String| Refusal::Corrupt(format!("its part \"{name}\" {why}"));
    let too_many_strings =
        |declared: u64, held: u64| corrupt(format!("declares {declared} shared strings but holds {held}"));
    // The first `sst` element's count (the one the reader takes).
    let mut declared_strings: Option<u64> = None;
    let mut strings: u64 = 0;
    let mut shared = SharedRefs::default();
    loop {
        let event = match reader.read_event_into(&mut buf) {
            Ok(event) => event,
            // Not well-formed: the reader says so in its own words, after
            // setting aside room for the strings it was told of.
            Err(_) => match declared_strings {
                Some(declared) if declared > MAX_CELLS => return Err(too_many_strings(declared, strings)),
                _ => return Ok(()),
            },
        };
        shared.track(&event).map_err(corrupt)?;
        let e = match &event {
            Event::Start(e) | Event::Empty(e) => e,
            Event::Eof => break,
            _ => {
                buf.clear();
                continue;
            }
        };
        let local = e.local_name();
        // The attributes the reader takes a position or a count from.
        let wanted: &[&str] = match local.as_ref() {
            "c" | "row" => &["r"],
            "dimension" => &["ref"],
            // A formula shared over a range, and the shared formula's
            // number (the reader sets a place aside for every number up to
            // it).
            "f" => &["ref", "si"],
            "sst" if declared_strings.is_none() => {
                declared_strings = Some(0);
                &["uniqueCount"]
            }
            "si" => {
                strings += 1;
                &[]
            }
            _ => &[],
        };
        for attribute in e.attributes().with_checks(false) {
            if wanted.is_empty() {
                break;
            }
            let a = attribute.map_err(|err| corrupt(format!("is not well-formed XML ({err})")))?;
            let key = a.key.local_name();
            let key = key.as_ref();
            if !wanted.contains(&key) {
                continue;
            }
            let value = a.value.as_bytes();
            match key {
                "uniqueCount" => declared_strings = Some(count(value)),
                "si" if count(value) > MAX_CELLS => {
                    return Err(corrupt(format!(
                        "numbers a shared formula {}, more than the cells a sheet may hold",
                        a.value.chars().take(40).collect::<String>()
                    )));
                }
                "si" => {}
                _ => {
                    if let Some(why) = bad_reference(value) {
                        return Err(corrupt(format!(
                            "refers to the cells \"{}\", {why}",
                            a.value.chars().take(40).collect::<String>()
                        )));
                    }
                }
            }
        }
        buf.clear();
    }
    match declared_strings {
        Some(declared) if declared > MAX_CELLS && declared > strings => {
            Err(too_many_strings(declared, strings))
        }
        _ => Ok(()),
    }
}

/// The shared-string cells of a sheet (`<c t="s"><v>3</v></c>`), followed
/// event by event. The reader takes the `<v>` text as the number of a
/// shared string, and text that is not one as 0, the workbook's first
/// string: a cell would show another cell's text. So the text must be
/// digits, in one piece, as the reader reads it.
#[derive(Default)]
struct SharedRefs {
    /// Inside a shared-string cell: its reference (`B3`), if it gives one.
    cell: Option<Option<String>>,
    /// Inside that cell's `<v>`: its text so far, and whether it came in one
    /// plain piece.
    value: Option<(Vec<u8>, bool)>,
}

impl SharedRefs {
    /// Follow one event.
    ///
    /// # Errors
    /// Why a shared-string cell's number cannot be read, in words.
    fn track(&mut self, event: &Event<'_>) -> Result<(), String> {
        if let Some((text, plain)) = &mut self.value {
            match event {
                Event::Text(t) if text.is_empty() && *plain => text.extend_from_slice(t.as_ref().as_bytes()),
                Event::End(e) if e.local_name().as_ref() == "v" => {
                    let (text, plain) = std::mem::take(&mut self.value).unwrap_or_default();
                    return self.check(&text, plain);
                }
                _ => *plain = false,
            }
            return Ok(());
        }
        match event {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "c" => {
                let mut shared = false;
                let mut at = None;
                for a in e.attributes().with_checks(false).flatten() {
                    match a.key.as_ref() {
                        "t" => shared = a.value.as_bytes() == b"s",
                        "r" => at = Some(a.value.chars().take(20).collect()),
                        _ => {}
                    }
                }
                self.cell = (shared && matches!(event, Event::Start(_))).then_some(at);
            }
            Event::End(e) if e.local_name().as_ref() == "c" => self.cell = None,
            Event::Start(e) if self.cell.is_some() && e.local_name().as_ref() == "v" => {
                self.value = Some((Vec::new(), true));
            }
            _ => {}
        }
        Ok(())
    }

    /// A shared-string cell's `<v>`: blank (the reader reads a blank cell),
    /// or a string's number.
    fn check(&self, text: &[u8], plain: bool) -> Result<(), String> {
        let number = plain
            && (text.is_empty()
                || (text.iter().all(u8::is_ascii_digit)
                    && std::str::from_utf8(text).is_ok_and(|t| t.parse::<usize>().is_ok())));
        if number {
            return Ok(());
        }
        let cell = match &self.cell {
            Some(Some(r)) => format!("cell {r}"),
            _ => "a cell".to_string(),
        };
        let shown: String = String::from_utf8_lossy(text).chars().take(40).collect();
        Err(format!(
            "gives {cell} as shared text number \"{shown}\", which is not a number, so the \
             text the cell shows cannot be known (a reader would show another cell's text)"
        ))
    }
}

/// How many cells an OpenDocument reader lays out for `content.xml`: for
/// each sheet, the dense grid from its first row to its last row with a
/// value, as wide as its widest row up to its last value (what a
/// spreadsheet reader builds), counted without building it.
fn ods_cells<R: std::io::BufRead>(input: R) -> Result<u64, Refusal> {
    let mut reader = Reader::from_reader(input);
    let mut buf = Vec::new();
    let mut nesting = OdsNesting::default();
    let mut grid = OdsGrid::new();
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| Refusal::Corrupt(format!("its content.xml is not well-formed XML ({e})")))?;
        nesting.track(&event)?;
        if let Some(cells) = grid.step(event) {
            return Ok(cells);
        }
        buf.clear();
    }
}

/// What `content.xml` asks of the reader besides cells, followed event by
/// event.
#[derive(Default)]
struct OdsNesting {
    // Elements open: the reader loops for ever on a document that ends
    // inside a sheet or a cell's note.
    depth: u64,
    // The spaces `<text:s text:c="N"/>` asks for, which the reader builds.
    spaces: u64,
}

impl OdsNesting {
    /// Follow one event: a document cut short inside an element, or runs of
    /// spaces past [`MAX_PART_BYTES`], is refused.
    fn track(&mut self, event: &Event<'_>) -> Result<(), Refusal> {
        match event {
            Event::Start(e) => {
                self.depth += 1;
                self.spaces = self.spaces.saturating_add(spaces_of(e));
            }
            Event::Empty(e) => self.spaces = self.spaces.saturating_add(spaces_of(e)),
            Event::End(_) => self.depth = self.depth.saturating_sub(1),
            Event::Eof if self.depth > 0 => {
                return Err(Refusal::Corrupt(
                    "its content.xml is cut short: it ends inside an element".into(),
                ));
            }
            _ => {}
        }
        if self.spaces > MAX_PART_BYTES {
            return Err(Refusal::Limit(format!(
                "its cells' runs of spaces expand to more than {} MB",
                MAX_PART_BYTES >> 20
            )));
        }
        Ok(())
    }
}

/// The spaces one `<text:s>` element asks for (`text:c`, 1 if not given);
/// 0 for any other element.
fn spaces_of(e: &BytesStart<'_>) -> u64 {
    if e.name().as_ref() != "text:s" {
        return 0;
    }
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == "text:c")
        .map_or(1, |a| count(a.value.as_bytes()))
}

/// A row's or cell's repeat count (attribute `key`), 1 if not given.
fn repeat(e: &BytesStart<'_>, key: &str) -> u64 {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .and_then(|a| a.value.trim().parse::<u64>().ok())
        .unwrap_or(1)
}

/// Whether a cell element holds a value or a formula.
fn cell_has_value(e: &BytesStart<'_>) -> bool {
    e.attributes()
        .flatten()
        .any(|a| a.key.as_ref() == "office:value-type" || a.key.as_ref() == "table:formula")
}

/// The grid [`ods_cells`] counts, event by event.
struct OdsGrid {
    // Sheets before this one, and this one's grid so far.
    done: u64,
    rows: u64,
    last_filled_row: u64,
    max_width: u64,
    row_repeat: u64,
    width: u64,
    filled: u64,
    cell_repeat: u64,
    cell_has_value: bool,
}

impl OdsGrid {
    fn new() -> OdsGrid {
        OdsGrid {
            done: 0,
            rows: 0,
            last_filled_row: 0,
            max_width: 0,
            row_repeat: 1,
            width: 0,
            filled: 0,
            cell_repeat: 1,
            cell_has_value: false,
        }
    }

    /// The cells of the sheets done and this one so far.
    fn cells(&self) -> u64 {
        self.done
            .saturating_add(self.last_filled_row.saturating_mul(self.max_width))
    }

    /// Follow one event. The count once it is final: past [`MAX_CELLS`] at
    /// the end of a row, or the end of the document.
    fn step(&mut self, event: Event<'_>) -> Option<u64> {
        match event {
            Event::Start(e) if e.name().as_ref() == "table:table" => {
                self.rows = 0;
                self.last_filled_row = 0;
                self.max_width = 0;
            }
            Event::End(e) if e.name().as_ref() == "table:table" => {
                self.done = self.cells();
                self.last_filled_row = 0;
            }
            Event::Start(e) if e.name().as_ref() == "table:table-row" => {
                self.row_repeat = repeat(&e, "table:number-rows-repeated");
                self.width = 0;
                self.filled = 0;
            }
            Event::Empty(e) if e.name().as_ref() == "table:table-row" => {
                self.rows = self.rows.saturating_add(repeat(&e, "table:number-rows-repeated"));
            }
            Event::End(e) if e.name().as_ref() == "table:table-row" => {
                self.rows = self.rows.saturating_add(self.row_repeat);
                if self.filled > 0 {
                    self.last_filled_row = self.rows;
                    self.max_width = self.max_width.max(self.filled);
                }
                let cells = self.cells();
                if cells > MAX_CELLS {
                    return Some(cells);
                }
            }
            Event::Start(e)
                if matches!(e.name().as_ref(), "table:table-cell" | "table:covered-table-cell") =>
            {
                self.cell_repeat = repeat(&e, "table:number-columns-repeated");
                self.cell_has_value = cell_has_value(&e);
            }
            Event::Empty(e)
                if matches!(e.name().as_ref(), "table:table-cell" | "table:covered-table-cell") =>
            {
                let n = repeat(&e, "table:number-columns-repeated");
                let valued = cell_has_value(&e);
                self.width = self.width.saturating_add(n);
                if valued {
                    self.filled = self.width;
                }
            }
            Event::Text(_) => self.cell_has_value = true,
            Event::End(e) if matches!(e.name().as_ref(), "table:table-cell" | "table:covered-table-cell") => {
                self.width = self.width.saturating_add(self.cell_repeat);
                if self.cell_has_value {
                    self.filled = self.width;
                }
                self.cell_repeat = 1;
                self.cell_has_value = false;
            }
            Event::Eof => return Some(self.cells()),
            _ => {}
        }
        None
    }
}

/// An OpenDocument spreadsheet's null date (`table:null-date`: the day
/// its serial day number 0 falls on, which LibreOffice lets a user set to
/// 1904-01-01) where it is not the usual 1899-12-30. `None` where it is
/// that, or not given, or not a date.
pub fn ods_null_date(bytes: &[u8]) -> Option<NaiveDate> {
    let usual = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let content = zip.by_name("content.xml").ok()?;
    let mut reader = Reader::from_reader(std::io::BufReader::new(content.take(MAX_PART_BYTES)));
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).ok()? {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "table:null-date" => {
                let value = e
                    .attributes()
                    .flatten()
                    .find(|a| a.key.as_ref() == "table:date-value")?;
                let text = value.value.to_string();
                let day = NaiveDate::parse_from_str(text.trim().get(..10)?, "%Y-%m-%d").ok()?;
                return (day != usual).then_some(day);
            }
            // The calculation settings come before the first sheet.
            Event::Start(e) if e.name().as_ref() == "table:table" => return None,
            Event::Eof => return None,
            _ => {}
        }
        buf.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ods_repeats_are_counted_not_built() {
        let xml = r#"<office:document-content><table:table>
            <table:table-row table:number-rows-repeated="1000000">
              <table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="16384"><text:p>1</text:p></table:table-cell>
            </table:table-row></table:table></office:document-content>"#;
        assert_eq!(ods_cells(xml.as_bytes()).unwrap(), 16_384_000_000);
        let xml = r#"<table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>"#;
        assert_eq!(ods_cells(xml.as_bytes()).unwrap(), 0);
        // A value far right in row 1 and one far down in column A: the
        // reader's grid is the bounding box.
        let xml = r#"<table:table-row><table:table-cell table:number-columns-repeated="9999"/><table:table-cell office:value-type="float"/></table:table-row>
            <table:table-row table:number-rows-repeated="999998"/>
            <table:table-row><table:table-cell office:value-type="float"/></table:table-row>"#;
        assert_eq!(ods_cells(xml.as_bytes()).unwrap(), 1_000_000 * 10_000);
    }

    #[test]
    fn ods_null_dates() {
        use std::io::Write;
        let ods = |content: &str| {
            let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
            zip.start_file("content.xml", zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(content.as_bytes()).unwrap();
            zip.finish().unwrap().into_inner()
        };
        let settings = |day: &str| {
            format!(
                r#"<office:spreadsheet><table:calculation-settings><table:null-date table:date-value="{day}"/></table:calculation-settings><table:table/></office:spreadsheet>"#
            )
        };
        assert_eq!(
            ods_null_date(&ods(&settings("1904-01-01"))),
            NaiveDate::from_ymd_opt(1904, 1, 1)
        );
        assert_eq!(ods_null_date(&ods(&settings("1899-12-30"))), None);
        assert_eq!(
            ods_null_date(&ods("<office:spreadsheet><table:table/></office:spreadsheet>")),
            None
        );
    }

    #[test]
    fn shared_string_numbers() {
        let sheet =
            |v: &str| format!(r#"<sheetData><row r="3"><c r="B3" t="s"><v>{v}</v></c></row></sheetData>"#);
        for good in ["0", "12", "0007", ""] {
            assert_eq!(xml_part("s.xml", sheet(good).as_bytes()), Ok(()), "{good:?}");
        }
        for bad in [
            "abc",
            " 1",
            "1 ",
            "+1",
            "-1",
            "1.0",
            "1&amp;",
            "99999999999999999999999",
        ] {
            let Err(Refusal::Corrupt(why)) = xml_part("s.xml", sheet(bad).as_bytes()) else {
                panic!("{bad:?} accepted");
            };
            assert!(why.contains("cell B3"), "{why}");
        }
        // Only a shared-string cell's value is a string number.
        let number = r#"<c r="B3"><v>abc</v></c><c r="B4" t="str"><v>abc</v></c>"#;
        assert_eq!(xml_part("s.xml", number.as_bytes()), Ok(()));
    }

    #[test]
    fn the_quick_pass_is_sure_only_where_the_exact_check_passes() {
        let sheet = |cells: &str| {
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:C3"/><sheetData><row r="3" spans="1:3">{cells}</row></sheetData></worksheet>"#
            )
        };
        let cases = [
            // Sound, and plain: the quick pass is sure.
            (
                sheet(r#"<c r="B3" t="s"><v>12</v></c><c r="C3"><v>7.5</v></c>"#),
                true,
            ),
            (
                sheet(r#"<c r='B3' t='s'><v></v></c><c r="C3" t="str"><v>abc</v></c>"#),
                true,
            ),
            (
                sheet(r#"<c r="B3" t="s"/><x:c r="C3" t="s"><x:v>0</x:v></x:c>"#),
                true,
            ),
            (
                sheet(r#"<c r="B3"><f ref="B3:B9" si="2" t="shared">A1</f><v>1</v></c>"#),
                true,
            ),
            (
                r#"<sst uniqueCount="2"><si><t>a &amp; b</t></si><si><t>c</t></si></sst>"#.to_string(),
                true,
            ),
            // Sound, but not plain: the exact check decides.
            (sheet(r#"<!-- a note --><c r="B3" t="s"><v>1</v></c>"#), false),
            (sheet(r#"<c r="B3"s="1"><v>1</v></c>"#), false),
            (sheet(r#"<c r="B3" t="s"><v><![CDATA[1]]></v></c>"#), false),
            // Not sound: the exact check refuses.
            (sheet(r#"<c r="B3" t="s"><v>1 </v></c>"#), false),
            (sheet(r#"<c r="B3" t="s"><v>1&amp;</v></c>"#), false),
            (sheet(r#"<c r="B3" t="s"><v>1<x/></v></c>"#), false),
            (sheet(r#"<c r="XFE3"><v>1</v></c>"#), false),
            (sheet(r#"<c r="B1048577"><v>1</v></c>"#), false),
            (sheet(r#"<c r="B3"><f ref="C3:A1" t="shared">A1</f></c>"#), false),
            (
                sheet(r#"<c r="B3"><f si="99999999999" t="shared">A1</f></c>"#),
                false,
            ),
            (sheet(r#"<c r="B3" t="s" s><v>1</v></c>"#), false),
            (sheet(r#"<c r=B3><v>1</v></c>"#), false),
            (
                r#"<sst uniqueCount="99999999999"><si><t>a</t></si></sst>"#.to_string(),
                false,
            ),
        ];
        for (xml, plain) in &cases {
            assert_eq!(plainly_sound(xml.as_bytes()), *plain, "{xml}");
            if *plain {
                assert_eq!(xml_part_exact("s.xml", xml.as_bytes()), Ok(()), "{xml}");
            }
        }
        assert!(xml_part("s.xml", cases[9].0.as_bytes()).is_err());
        assert!(xml_part("s.xml", cases[5].0.as_bytes()).is_ok());
    }

    #[test]
    fn what_a_spreadsheet_writes_takes_the_quick_pass() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet().set_name("Hours").unwrap();
        sheet.write_string(0, 0, "Person ID").unwrap();
        sheet.write_number(1, 1, 7.5).unwrap();
        sheet.write_formula(1, 2, "=B2*2").unwrap();
        sheet.write_boolean(1, 3, true).unwrap();
        sheet.set_freeze_panes(1, 1).unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let mut zip = zip::ZipArchive::new(Cursor::new(&bytes[..])).unwrap();
        for i in 0..zip.len() {
            let mut part = zip.by_index(i).unwrap();
            let mut xml = Vec::new();
            part.read_to_end(&mut xml).unwrap();
            assert!(plainly_sound(&xml), "{}", part.name().unwrap_or_default());
        }
    }

    #[test]
    fn the_guard_inflates_only_the_parts_read() {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        zip.start_file("read.xml", options).unwrap();
        zip.write_all(b"<a/>").unwrap();
        zip.start_file("unread.xml", options).unwrap();
        zip.write_all(br#"<c r="XFE1"/>"#).unwrap();
        let bytes = zip.finish().unwrap().into_inner();
        let guarded = guard_zip(&bytes).unwrap();
        let mut calamines = zip::ZipArchive::new(guarded.clone()).unwrap();
        let mut text = String::new();
        calamines
            .by_name("read.xml")
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, "<a/>");
        assert_eq!(guarded.refusal(), None);
        // The part past the last cell is refused once it is read, and every
        // read after fails.
        assert!(
            calamines
                .by_name("unread.xml")
                .unwrap()
                .read_to_string(&mut text)
                .is_err()
        );
        let Some(Refusal::Corrupt(why)) = guarded.refusal() else {
            panic!("not refused");
        };
        assert!(why.contains("unread.xml") && why.contains("XFD1048576"), "{why}");
        assert!(
            calamines
                .by_name("read.xml")
                .unwrap()
                .read_to_string(&mut text)
                .is_err()
        );
    }

    #[test]
    fn kinds() {
        assert_eq!(kind(b"PK\x03\x04rest"), Kind::Zip);
        assert_eq!(kind(b"Person ID,Name,Week 1\nP1,Ann,10\n"), Kind::Csv);
        assert_eq!(kind(b"\x00\x01\x02\x03"), Kind::Unknown);
    }
}
