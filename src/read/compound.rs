//! Checks of an Excel 97-2003 (`.xls`) file before calamine parses it.
//!
//! An `.xls` is an OLE compound file (sectors chained by a table, like a
//! small file system) holding a `Workbook` stream of BIFF records.
//! calamine follows the chains without looking for loops, and sets memory
//! aside for a sheet as its `DIMENSIONS` record and its cells' positions
//! say (a dense grid from the first cell to the last), so a file of a few
//! kilobytes can make it loop for ever or ask for terabytes. This module
//! follows the same chains and reads the same records as calamine, in the
//! same order, and refuses what would loop or be too large. Where calamine
//! would stop with an error of its own first, the check stops too: the
//! reader then refuses the file in its own words.

use super::package::Refusal;
use crate::base::limits::MAX_CELLS;

/// Sector ids at and past this mark the end of a chain, or free sectors.
const RESERVED_SECTORS: u32 = 0xFFFF_FFFA;
const DIFSECT: u32 = 0xFFFF_FFFC;
const ENDOFCHAIN: u32 = 0xFFFF_FFFE;

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn u32s(b: &[u8]) -> impl Iterator<Item = u32> + '_ {
    b.chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
}

fn corrupt(why: &str) -> Refusal {
    Refusal::Corrupt(format!("its Excel 97-2003 structure is corrupt: {why}"))
}

/// Why a check stopped: the file is refused, or calamine would stop on it
/// with an error of its own (or a panic, which the reader catches) before
/// anything the check guards against.
enum Stop {
    Refuse(Refusal),
    ReaderErrs,
}

impl From<Refusal> for Stop {
    fn from(r: Refusal) -> Stop {
        Stop::Refuse(r)
    }
}

/// The sectors of the file after its header, as calamine reads them: it
/// reads the file as far as a sector asks and, where the file ends first,
/// pads what it has read with zeros to that sector's end, so that a later
/// sector there reads as zeros.
struct Sectors<'a> {
    file: &'a [u8],
    /// How far calamine's copy of the file reaches, padding included.
    held: std::cell::Cell<usize>,
    size: usize,
    /// The highest sector id calamine accepts.
    max_id: usize,
    /// The mini stream, held whole: a sector past its end is refused
    /// (calamine would read it from wherever the file happens to be).
    mini: bool,
}

impl<'a> Sectors<'a> {
    fn new(file: &'a [u8], size: usize, max_id: usize, mini: bool) -> Sectors<'a> {
        let held = std::cell::Cell::new(if mini { file.len() } else { 0 });
        Sectors {
            file,
            held,
            size,
            max_id,
            mini,
        }
    }

    /// Sector `id`, of which `need` bytes are wanted, as calamine returns
    /// it.
    fn get(&self, id: u32, need: usize) -> Result<Vec<u8>, Stop> {
        let id = id as usize;
        if id > self.max_id {
            return Err(Stop::ReaderErrs);
        }
        let start = id * self.size;
        let end = start + self.size;
        let mut upto = end;
        if self.mini {
            if start + self.size.min(need) > self.file.len() {
                return Err(corrupt("a stream runs past the end of its mini stream").into());
            }
            upto = end.min(self.file.len());
        } else if end > self.held.get() {
            let held = self.held.get();
            let reached = if held < self.file.len() {
                end.min(self.file.len())
            } else {
                held
            };
            self.held.set(end);
            if reached < end {
                if start > reached {
                    // calamine slices past its end here: a panic it is
                    // stopped by.
                    return Err(Stop::ReaderErrs);
                }
                upto = reached;
            }
        }
        let mut sector = self.file[start.min(self.file.len())..upto.min(self.file.len())].to_vec();
        sector.resize(upto - start, 0);
        Ok(sector)
    }

    /// The bytes of the chain from `start`, at most `len` of them, as
    /// calamine's `get_chain` gathers them; a chain that visits more sectors
    /// than the file has loops, and is refused.
    fn chain(&self, start: u32, table: &[u32], len: usize) -> Result<Vec<u8>, Stop> {
        let mut out = Vec::new();
        let mut id = start;
        let mut visited = 0usize;
        while id != ENDOFCHAIN {
            let sector = self.get(id, len - out.len())?;
            let take = sector.len().min(len - out.len());
            out.extend_from_slice(&sector[..take]);
            if out.len() >= len {
                break;
            }
            id = *table.get(id as usize).ok_or(Stop::ReaderErrs)?;
            visited += 1;
            if visited > self.max_id + 1 {
                return Err(corrupt("a chain of its sectors loops").into());
            }
        }
        Ok(out)
    }
}

/// Check an `.xls` file: its sector chains end, and no sheet makes the
/// reader set aside more than [`MAX_CELLS`] cells.
///
/// # Errors
/// The [`Refusal`] that says why the file is not read.
pub fn check(bytes: &[u8]) -> Result<(), Refusal> {
    match workbook_stream(bytes).and_then(|stream| check_records(&stream)) {
        Ok(()) | Err(Stop::ReaderErrs) => Ok(()),
        Err(Stop::Refuse(r)) => Err(r),
    }
}

/// The `Workbook` (or `Book`) stream, found and gathered as calamine does.
fn workbook_stream(bytes: &[u8]) -> Result<Vec<u8>, Stop> {
    let header = FileHeader::read(bytes)?;
    let size = header.sector_size;
    let sectors = Sectors::new(&bytes[size..], size, bytes.len() / size, false);
    let fat = read_fat(&bytes[..512], header.first_difat_sector, &sectors, size)?;
    let entries = read_directory(&sectors, header.dir_start, &fat, size)?;
    let Some(root) = entries.first() else {
        return Err(Stop::ReaderErrs);
    };
    if header.version != 3 && root.1 == ENDOFCHAIN {
        return Err(Stop::ReaderErrs);
    }

    // The mini stream (for streams under 4,096 bytes) and its table.
    let (mini_fat, mini_stream) = if header.mini_fat_len > 0 {
        let stream = sectors.chain(root.1, &fat, root.2)?;
        let table = sectors.chain(
            header.mini_fat_start,
            &fat,
            header.mini_fat_len.saturating_mul(size),
        )?;
        if table.len() % 4 != 0 {
            return Err(Stop::ReaderErrs);
        }
        (u32s(&table).collect::<Vec<u32>>(), stream)
    } else {
        (Vec::new(), Vec::new())
    };

    // calamine reads a mini sector past the end of the mini stream from
    // wherever the file happens to be: no real file asks for one.
    let mini = Sectors::new(&mini_stream, 64, sectors.max_id * 8, true);
    let stream = |wanted: &str| -> Result<Vec<u8>, Stop> {
        let (_, start, len) = entries
            .iter()
            .find(|(n, _, _)| n.eq_ignore_ascii_case(wanted))
            .ok_or(Stop::ReaderErrs)?;
        if *len >= 4096 {
            sectors.chain(*start, &fat, *len)
        } else {
            mini.chain(*start, &mini_fat, *len)
        }
    };
    // Where the `Workbook` stream cannot be read, for whatever reason,
    // calamine reads a `Book` stream.
    match stream("Workbook") {
        Err(Stop::ReaderErrs) => stream("Book"),
        other => other,
    }
}

/// What the compound file's 512-byte header says, as calamine reads it.
struct FileHeader {
    version: u16,
    /// The size of a sector, which is also the header's length.
    sector_size: usize,
    dir_start: u32,
    mini_fat_start: u32,
    mini_fat_len: usize,
    /// The first sector of the DIFAT's chain.
    first_difat_sector: u32,
}

impl FileHeader {
    /// The header of `bytes`, which must be as long as the sectors it
    /// declares.
    fn read(bytes: &[u8]) -> Result<FileHeader, Stop> {
        let header = bytes.get(..512).ok_or(Stop::ReaderErrs)?;
        let at16 = |at| u16_at(header, at).ok_or(Stop::ReaderErrs);
        let at32 = |at| u32_at(header, at).ok_or(Stop::ReaderErrs);
        let version = at16(26)?;
        let (size, header_len) = match at16(30)? {
            9 => (512, 512),
            12 => (4096, 4096),
            _ => return Err(Stop::ReaderErrs),
        };
        if at16(32)? != 6 || bytes.len() < header_len {
            return Err(Stop::ReaderErrs);
        }
        Ok(FileHeader {
            version,
            sector_size: size,
            dir_start: at32(48)?,
            mini_fat_start: at32(60)?,
            mini_fat_len: at32(64)? as usize,
            first_difat_sector: at32(68)?,
        })
    }
}

/// The FAT (the table chaining the sectors), from the DIFAT that `header`
/// (the file's first 512 bytes) starts and `first_difat_sector` continues.
fn read_fat(
    header: &[u8],
    first_difat_sector: u32,
    sectors: &Sectors<'_>,
    size: usize,
) -> Result<Vec<u32>, Stop> {
    let mut sector_id = first_difat_sector;
    // The DIFAT: the header's list of FAT sectors, then its chain.
    let mut difat: Vec<u32> = u32s(&header[76..512]).collect();
    let mut difat_sectors = 0usize;
    while sector_id < RESERVED_SECTORS {
        difat_sectors += 1;
        if difat_sectors > sectors.max_id + 1 {
            return Err(Stop::ReaderErrs);
        }
        let sector = sectors.get(sector_id, size)?;
        if sector.len() % 4 != 0 {
            return Err(Stop::ReaderErrs);
        }
        difat.extend(u32s(&sector));
        sector_id = difat.pop().ok_or(Stop::ReaderErrs)?;
    }
    // The FAT, from the sectors the DIFAT names: no more of them than the
    // file has sectors (calamine would gather each one named, however
    // often).
    let fat_ids: Vec<u32> = difat.into_iter().filter(|id| *id < DIFSECT).collect();
    if fat_ids.len() > sectors.max_id + 1 {
        return Err(corrupt("its sector table is larger than the file").into());
    }
    let mut fat = Vec::new();
    for id in fat_ids {
        let sector = sectors.get(id, size)?;
        if sector.len() % 4 != 0 {
            return Err(Stop::ReaderErrs);
        }
        fat.extend(u32s(&sector));
    }
    Ok(fat)
}

/// The directory: 128-byte entries of name, start and length (a 32-bit
/// length in a file of 512-byte sectors, else 64-bit).
fn read_directory(
    sectors: &Sectors<'_>,
    dir_start: u32,
    fat: &[u32],
    size: usize,
) -> Result<Vec<(String, u32, usize)>, Stop> {
    let dirs = sectors.chain(dir_start, fat, usize::MAX)?;
    Ok(dirs
        .chunks_exact(128)
        .map(|e| {
            let name = entry_name(&e[..64]);
            let start = u32_at(e, 116).unwrap_or(0);
            let len = if size == 512 {
                u32_at(e, 120).unwrap_or(0) as usize
            } else {
                u64::from_le_bytes(e[120..128].try_into().unwrap_or([0; 8])) as usize
            };
            (name, start, len)
        })
        .collect())
}

/// A directory entry's name as calamine decodes it: UTF-16LE, unless a
/// byte-order mark says UTF-16BE or UTF-8; up to the first NUL.
fn entry_name(raw: &[u8]) -> String {
    let utf16 = |b: &[u8], big: bool| -> String {
        let units = b.chunks(2).map(|c| match (c, big) {
            ([hi, lo], true) => u16::from_be_bytes([*hi, *lo]),
            ([lo, hi], false) => u16::from_le_bytes([*lo, *hi]),
            _ => 0xFFFD,
        });
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect()
    };
    let mut name = match raw {
        [0xEF, 0xBB, 0xBF, rest @ ..] => String::from_utf8_lossy(rest).into_owned(),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, true),
        [0xFF, 0xFE, rest @ ..] => utf16(rest, false),
        _ => utf16(raw, false),
    };
    if let Some(nul) = name.find('\0') {
        name.truncate(nul);
    }
    name
}

/// BIFF records as calamine's `RecordIter` yields them: type and data, with
/// the `CONTINUE` records after one skipped. `None` at the end of the
/// stream or where calamine would stop with an error.
fn records(mut stream: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    std::iter::from_fn(move || {
        let typ = u16_at(stream, 0)?;
        let len = usize::from(u16_at(stream, 2)?);
        let data = stream.get(4..4 + len)?;
        stream = &stream[4 + len..];
        if stream.len() > 4 && u16_at(stream, 0) == Some(0x003C) {
            while stream.len() > 4 && u16_at(stream, 0) == Some(0x003C) {
                let len = usize::from(u16_at(stream, 2)?);
                stream = stream.get(4 + len..)?;
            }
        }
        Some((typ, data))
    })
}

/// The extent of a sheet's cells, as calamine's dense grid will span it.
#[derive(Default)]
struct Extent {
    rows: Option<(u32, u32)>,
    cols: Option<(u32, u32)>,
}

impl Extent {
    fn add(&mut self, row: u32, col: u32) {
        let widen = |span: Option<(u32, u32)>, x: u32| match span {
            Some((lo, hi)) => Some((lo.min(x), hi.max(x))),
            None => Some((x, x)),
        };
        self.rows = widen(self.rows, row);
        self.cols = widen(self.cols, col);
    }

    fn cells(&self) -> u64 {
        match (self.rows, self.cols) {
            (Some((r0, r1)), Some((c0, c1))) => {
                (u64::from(r1 - r0) + 1).saturating_mul(u64::from(c1 - c0) + 1)
            }
            _ => 0,
        }
    }
}

fn too_large() -> Stop {
    Stop::Refuse(Refusal::Limit(format!(
        "one of its sheets spans more than {MAX_CELLS} cells"
    )))
}

/// Each sheet's records, from where its `BoundSheet8` record says it
/// starts: the `DIMENSIONS` record must not be backwards nor declare more
/// than [`MAX_CELLS`] cells, and the cells must not spread over more.
fn check_records(stream: &[u8]) -> Result<(), Stop> {
    let mut starts = Vec::new();
    for (typ, data) in records(stream) {
        match typ {
            0x0085 => starts.push(u32_at(data, 0).ok_or(Stop::ReaderErrs)? as usize),
            0x000A => break,
            _ => {}
        }
    }
    for start in starts {
        let sheet = stream.get(start..).ok_or(Stop::ReaderErrs)?;
        let mut extent = Extent::default();
        let mut seen_bof = false;
        let mut depth = 0usize;
        for (typ, data) in records(sheet) {
            if depth > 0 {
                match typ {
                    0x0809 => depth += 1,
                    0x000A => depth -= 1,
                    _ => {}
                }
                continue;
            }
            let at = |i| u16_at(data, i).map(u32::from);
            match typ {
                0x0809 if seen_bof => depth += 1,
                0x0809 => seen_bof = true,
                0x000A => break,
                0x0200 => {
                    let (first_row, last_row, first_col, last_col) =
                        dimensions(data).ok_or(Stop::ReaderErrs)?;
                    if last_row < first_row || last_col < first_col {
                        return Err(corrupt("a sheet's DIMENSIONS record ends before it starts").into());
                    }
                    let cells = (u64::from(last_row - first_row) + 1)
                        .saturating_mul(u64::from(last_col - first_col) + 1);
                    if cells > MAX_CELLS {
                        return Err(too_large());
                    }
                }
                // Number, Label, RString, BoolErr, Rk, LabelSst, Formula:
                // row and column first.
                0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                    if let (Some(row), Some(col)) = (at(0), at(2)) {
                        extent.add(row, col);
                    }
                }
                // MulRk: a row, its first column, and its last at the end.
                0x00BD if data.len() >= 6 => {
                    if let (Some(row), Some(first), Some(last)) = (at(0), at(2), at(data.len() - 2)) {
                        extent.add(row, first);
                        extent.add(row, last.max(first));
                    }
                }
                _ => {}
            }
            if extent.cells() > MAX_CELLS {
                return Err(too_large());
            }
        }
    }
    Ok(())
}

/// A `DIMENSIONS` record as calamine reads it: first row, last row, first
/// column, last column (0-based, inclusive).
fn dimensions(r: &[u8]) -> Option<(u32, u32, u32, u32)> {
    let (first_row, rows_end, mut first_col, cols_end) = match r.len() {
        10 => (
            u32::from(u16_at(r, 0)?),
            u32::from(u16_at(r, 2)?),
            u32::from(u16_at(r, 4)?),
            u32::from(u16_at(r, 6)?),
        ),
        14 | 16 => (
            u32_at(r, 0)?,
            u32_at(r, 4)?,
            u32::from(u16_at(r, 8)?),
            u32::from(u16_at(r, 10)?),
        ),
        _ => return None,
    };
    if 0xFF < first_col || cols_end < first_col {
        first_col = 0;
    }
    if rows_end >= 1 && cols_end >= 1 {
        Some((first_row, rows_end - 1, first_col, cols_end - 1))
    } else {
        Some((first_row, first_row, first_col, first_col))
    }
}
