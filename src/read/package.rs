//! Checks of a workbook's package before any of it is parsed: a zip
//! (`.xlsx`, `.xlsb`, `.ods`) must be exactly what it claims, and what it
//! inflates to is bounded. Each part is inflated once, through a reader that
//! stops past the limit, which also verifies its checksum.

use std::io::{Cursor, Read};

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

/// Check a zip package: readable, no part named twice, within the number
/// of parts and the inflated sizes, every part's checksum right; for an
/// OpenDocument spreadsheet, the cells its repeat counts expand to within
/// [`MAX_CELLS`].
///
/// # Errors
/// The first [`Refusal`].
pub fn check_zip(bytes: &[u8]) -> Result<(), Refusal> {
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
    let mut total: u64 = 0;
    let mut ods = false;
    for i in 0..zip.len() {
        let mut part = zip
            .by_index(i)
            .map_err(|e| Refusal::Corrupt(format!("part {} of its package cannot be read: {e}", i + 1)))?;
        if part.is_dir() {
            continue;
        }
        let name = part.name().map(|n| n.to_string()).unwrap_or_default();
        let corrupt = |e: std::io::Error| Refusal::Corrupt(format!("its part \"{name}\" is corrupt ({e})"));
        let read = if name == "mimetype" {
            let mut m = Vec::new();
            let n = (&mut part)
                .take(MAX_PART_BYTES + 1)
                .read_to_end(&mut m)
                .map_err(corrupt)?;
            ods |= String::from_utf8_lossy(&m).contains("opendocument.spreadsheet");
            n as u64
        } else {
            std::io::copy(&mut (&mut part).take(MAX_PART_BYTES + 1), &mut std::io::sink()).map_err(corrupt)?
        };
        if read > MAX_PART_BYTES {
            return Err(Refusal::Limit(format!(
                "its part \"{name}\" inflates to more than {} MB",
                MAX_PART_BYTES >> 20
            )));
        }
        total += read;
        if total > MAX_INFLATED_BYTES {
            return Err(Refusal::Limit(format!(
                "its parts inflate to more than {} MB in all",
                MAX_INFLATED_BYTES >> 20
            )));
        }
    }
    // What calamine would read from a sheet or the shared strings and trust
    // without bounds: checked before it does.
    for i in 0..zip.len() {
        let part = zip
            .by_index(i)
            .map_err(|e| Refusal::Corrupt(format!("part {} of its package cannot be read: {e}", i + 1)))?;
        let name = part.name().map(|n| n.to_string()).unwrap_or_default();
        // Every part, whatever its name: the relationships may name any
        // part as a sheet.
        if !part.is_dir() {
            xml_part(&name, std::io::BufReader::new(part.take(MAX_PART_BYTES)))?;
        }
    }
    if ods {
        let content = zip
            .by_name("content.xml")
            .map_err(|e| Refusal::Corrupt(format!("its content.xml cannot be read: {e}")))?;
        let cells = ods_cells(std::io::BufReader::new(content.take(MAX_PART_BYTES)))?;
        if cells > MAX_CELLS {
            return Err(Refusal::Limit(format!(
                "its repeated rows and columns expand to more than {MAX_CELLS} cells"
            )));
        }
    }
    Ok(())
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
    let parts: Vec<(u64, u64)> = value.split(|b| *b == b':').map(position).collect();
    if parts
        .iter()
        .any(|(col, row)| *col > MAX_COLUMNS || *row > MAX_ROWS)
    {
        return Some("past the last cell of a sheet (XFD1048576)");
    }
    match parts.as_slice() {
        [(c0, r0), (c1, r1)] if *c0 > 0 && *r0 > 0 && (c1 < c0 || r1 < r0) => {
            Some("a range that ends before it starts")
        }
        _ => None,
    }
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
fn xml_part<R: std::io::BufRead>(name: &str, input: R) -> Result<(), Refusal> {
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
    fn kinds() {
        assert_eq!(kind(b"PK\x03\x04rest"), Kind::Zip);
        assert_eq!(kind(b"Person ID,Name,Week 1\nP1,Ann,10\n"), Kind::Csv);
        assert_eq!(kind(b"\x00\x01\x02\x03"), Kind::Unknown);
    }
}
