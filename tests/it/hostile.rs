//! Hostile and broken workbooks (issue 11): whatever the file, the binary
//! ends by itself, in bounded time and memory, with a finding that says what
//! is wrong, and never reads a figure other than the one the cell holds.
//!
//! Every test writes its own workbook in a temporary folder: with
//! rust_xlsxwriter ([`Return`], the valid council format 1 return of
//! `common::workbook`), then, where no ordinary writer can produce the
//! fault, by editing the package: [`patch`] rewrites one member's text and
//! re-zips, [`raw_zip`] writes the zip bytes by hand (wrong CRCs, duplicate
//! names, members whose deflate stream [`deflate_run`] makes inflate to
//! gigabytes from a few megabytes), and [`ods`] writes an OpenDocument
//! spreadsheet's `content.xml` by hand.
//!
//! Every run of the binary goes through [`run_limited`]: `ulimit -v` of
//! 1.5 GB of address space, so a blow-up is an allocation failure (an abort,
//! a signal) that fails the test instead of exhausting the machine, and a
//! wall-clock limit, so a hang fails too. [`Output::assert_exit`] checks the
//! process ended by itself (no signal), with the expected code (1 for a
//! rejected submission, never 2 or 101) and within [`TIME_LIMIT`].
//!
//! The cells the tests name are those of [`Return::valid`]:
//!
//! - `Details`: A1 `Provider name`, A2 `Provider reference`, A3 `Period
//!   start` (Monday 06/04/2026), A4 `Blended hourly rate` (24.00); values
//!   in column B (the rate is Details!B4).
//! - `Hours`: a title in A1, the header row in row 6 (`Person ID`, `Name`,
//!   `Weekly bundle`, `Week 1` .. `Week 13` in A..P: week k in column
//!   D + k − 1), columns added by a test from Q on, one person P1 in row 7
//!   (bundle 10, 10 hours every week).
//!
//! In the package rust_xlsxwriter writes, Details is
//! `xl/worksheets/sheet1.xml` and Hours `xl/worksheets/sheet2.xml`.

use std::ffi::OsStr;
use std::fs::File;
use std::io::Read;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use crate::common::doc::{Doc, Finding, Severity};
use crate::common::package::{drop_cached_value, members, patch};
use crate::common::workbook::{HEADER_ROW, Return, V, WEEKS, n, save, t};
use calamine::{Data, Reader, Xlsx, open_workbook};

// ---------------------------------------------------------------------------
// The limited runner

/// Address space the binary may use, in KiB (`ulimit -v`): 1.5 GB.
const MEMORY_LIMIT_KIB: u64 = 1_500_000;

/// A run must end within this (loose: a debug build on two busy cores).
const TIME_LIMIT: Duration = Duration::from_secs(300);

/// A run still going after this is killed, so a hang fails the test instead
/// of stalling the suite.
const KILL_AFTER: Duration = Duration::from_secs(180);

/// The input limit: a larger file is refused unread.
use yourchoice::base::limits::MAX_FILE_BYTES;

/// What one limited run of the binary did.
struct Output {
    status: ExitStatus,
    stdout: String,
    stderr: String,
    elapsed: Duration,
}

/// Run `yourchoice ARGS...` as `sh -c 'ulimit -v 1500000; exec "$0" "$@"'
/// BINARY ARGS...`, with `NO_COLOR=1`, stdin closed and stdout and stderr
/// piped (read on their own threads, so a large output cannot block the
/// child). Kills the child and panics after [`KILL_AFTER`].
fn run_limited<S: AsRef<OsStr>>(args: &[S]) -> Output {
    let script = format!("ulimit -v {MEMORY_LIMIT_KIB}; exec \"$0\" \"$@\"");
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(assert_cmd::cargo::cargo_bin!("yourchoice"))
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn sh");
    let start = Instant::now();
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut v = Vec::new();
        out.read_to_end(&mut v).unwrap();
        v
    });
    let err = std::thread::spawn(move || {
        let mut v = Vec::new();
        err.read_to_end(&mut v).unwrap();
        v
    });
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > KILL_AFTER {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("still running after {KILL_AFTER:?}: killed");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let elapsed = start.elapsed();
    Output {
        status,
        stdout: String::from_utf8_lossy(&out.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&err.join().unwrap()).into_owned(),
        elapsed,
    }
}

/// `yourchoice reconcile PATH --json --no-report`, limited.
fn reconcile(path: &Path) -> Output {
    run_limited(&[
        OsStr::new("reconcile"),
        path.as_os_str(),
        OsStr::new("--json"),
        OsStr::new("--no-report"),
    ])
}

impl Output {
    /// Ended by itself (not by a signal: an allocation failure under the
    /// memory limit aborts), with exit `code`, within [`TIME_LIMIT`].
    fn assert_exit(&self, code: i32) -> &Output {
        self.assert_exit_in(&[code])
    }

    /// As [`Output::assert_exit`], with any of `codes`.
    fn assert_exit_in(&self, codes: &[i32]) -> &Output {
        assert!(
            self.status.signal().is_none(),
            "killed by signal {:?} (a blow-up under the {MEMORY_LIMIT_KIB} KiB limit?) after {:?}\nstderr: {}",
            self.status.signal(),
            self.elapsed,
            tail(&self.stderr)
        );
        let code = self.status.code().unwrap();
        assert!(
            codes.contains(&code),
            "exit {code}, expected one of {codes:?} (101 is a panic, 2 a failure)\nstderr: {}\nstdout: {}",
            tail(&self.stderr),
            tail(&self.stdout)
        );
        assert!(
            self.elapsed < TIME_LIMIT,
            "took {:?}, more than {TIME_LIMIT:?}",
            self.elapsed
        );
        self
    }

    /// The one JSON document (SPEC 8.2) on stdout.
    fn doc(&self) -> Doc {
        let lines: Vec<&str> = self.stdout.lines().collect();
        assert_eq!(
            lines.len(),
            1,
            "expected one JSON line, got {} lines: {}\nstderr: {}",
            lines.len(),
            tail(&self.stdout),
            tail(&self.stderr)
        );
        serde_json::from_str(lines[0])
            .unwrap_or_else(|e| panic!("not SPEC 8.2 JSON ({e}): {}", tail(lines[0])))
    }
}

/// The end of a long text, for failure messages.
fn tail(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= 3000 {
        text.to_string()
    } else {
        let end: String = chars[chars.len() - 3000..].iter().collect();
        format!("[{} characters before] ...{end}", chars.len() - 3000)
    }
}

// ---------------------------------------------------------------------------
// The JSON (SPEC 8.2): the findings, for failure messages

impl Doc {
    /// A finding with `code` at `cell` (None: no cell), which must have
    /// `severity`.
    fn at(&self, code: &str, severity: Severity, cell: Option<&str>) -> &Finding {
        let f = self
            .findings
            .iter()
            .find(|f| f.code == code && f.cell.as_deref() == cell)
            .unwrap_or_else(|| panic!("no {code} finding at {cell:?}, got: {:#?}", self.short()));
        assert_eq!(f.severity, severity, "{f:?}");
        f
    }

    /// The first few findings, for failure messages.
    fn short(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .findings
            .iter()
            .take(20)
            .map(|f| {
                let m: String = f.message.chars().take(300).collect();
                format!("{:?} {} {:?}: {m}", f.severity, f.code, f.cell)
            })
            .collect();
        if self.findings.len() > 20 {
            v.push(format!("... {} findings in all", self.findings.len()));
        }
        v
    }

    /// Rejected: SPEC 8.2's `status`, no people, an error.
    fn assert_rejected(&self) {
        assert_eq!(self.status, "rejected", "{:#?}", self.short());
        assert!(self.people.is_empty());
        assert!(self.findings.iter().any(|f| f.severity == Severity::Error));
    }

    /// Reconciled, without any error.
    fn assert_reconciled(&self) {
        assert_eq!(self.status, "reconciled", "{:#?}", self.short());
        assert!(
            self.findings.iter().all(|f| f.severity != Severity::Error),
            "{:#?}",
            self.short()
        );
    }

    /// The one `unreadable-workbook` error (no cell), its message lowercased.
    fn unreadable(&self) -> String {
        self.assert_rejected();
        let found = self.all("unreadable-workbook");
        assert_eq!(found.len(), 1, "{:#?}", self.short());
        assert_eq!(found[0].severity, Severity::Error);
        assert_eq!(found[0].cell, None);
        found[0].message.to_lowercase()
    }

    /// A `limit-exceeded` error (rejected).
    fn limit_exceeded(&self) -> &Finding {
        self.assert_rejected();
        let f = self
            .findings
            .iter()
            .find(|f| f.code == "limit-exceeded")
            .unwrap_or_else(|| panic!("no limit-exceeded finding, got: {:#?}", self.short()));
        assert_eq!(f.severity, Severity::Error, "{f:?}");
        f
    }
}

// ---------------------------------------------------------------------------
// The workbook: a valid return (`common::workbook`), and its package

const DETAILS_XML: &str = "xl/worksheets/sheet1.xml";
const HOURS_XML: &str = "xl/worksheets/sheet2.xml";
const SHARED_STRINGS_XML: &str = "xl/sharedStrings.xml";

/// The Hours header and `rows` persons P000001.. (bundle 10, 10 hours a
/// week), written straight into the sheet: for the big returns, where a
/// [`Return`] of `V`s would be slow. `bad_week_5` puts the text "ten" in
/// every person's week 5 (column H).
fn big_return(dir: &Path, rows: u32, bad_week_5: bool) -> PathBuf {
    let ret = Return::empty();
    let mut wb = ret.workbook();
    let hours = wb.worksheet_from_name("Hours").unwrap();
    for i in 0..rows {
        let row = HEADER_ROW + 1 + i;
        hours.write_string(row, 0, format!("P{:06}", i + 1)).unwrap();
        hours.write_string(row, 1, "Person").unwrap();
        hours.write_number(row, 2, 10.0).unwrap();
        for k in 0..WEEKS as u16 {
            if bad_week_5 && k == 4 {
                hours.write_string(row, 3 + k, "ten").unwrap();
            } else {
                hours.write_number(row, 3 + k, 10.0).unwrap();
            }
        }
    }
    save(wb, dir, "big.xlsx")
}

// ---------------------------------------------------------------------------
// Zip packages: reading, patching, and writing by hand

/// The text of member `name`.
fn member_text(members: &[(String, Vec<u8>)], name: &str) -> String {
    let (_, data) = members
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no member {name}"));
    String::from_utf8(data.clone()).unwrap()
}

/// Replace the one occurrence of `from` in `text` by `to`.
fn replace_once(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "{from:?} not once in the XML");
    text.replacen(from, to, 1)
}

/// One member of a hand-written zip: the bytes as stored in the file
/// (`data`), with the method, CRC and inflated size the headers declare.
struct RawMember {
    name: String,
    /// 0 stored, 8 deflated.
    method: u16,
    crc: u32,
    size: u32,
    data: Vec<u8>,
}

/// Member `name` holding `data` uncompressed (method 0), its CRC right.
fn stored(name: &str, data: &[u8]) -> RawMember {
    RawMember {
        name: name.to_string(),
        method: 0,
        crc: crc32(data),
        size: data.len() as u32,
        data: data.to_vec(),
    }
}

/// Member `name` holding `data` deflated (method 8) as a deflate stream of
/// stored blocks: the bytes of `data` appear as they are in the file, so a
/// test can flip one and the stream still inflates.
fn deflated(name: &str, data: &[u8]) -> RawMember {
    let mut bits = BitWriter::default();
    bits.stored_block(data, true);
    RawMember {
        name: name.to_string(),
        method: 8,
        crc: crc32(data),
        size: data.len() as u32,
        data: bits.finish(),
    }
}

/// A zip file of `members`, in order, written byte by byte (local headers,
/// central directory, end record; no zip64, no data descriptors). Unlike
/// the zip crate it writes whatever it is given: a wrong CRC, a name twice.
fn raw_zip(members: &[RawMember]) -> Vec<u8> {
    fn u16le(v: &mut Vec<u8>, x: u16) {
        v.extend_from_slice(&x.to_le_bytes());
    }
    fn u32le(v: &mut Vec<u8>, x: u32) {
        v.extend_from_slice(&x.to_le_bytes());
    }
    const DOS_DATE_1980_01_01: u16 = 0x21;
    let mut out = Vec::new();
    let mut central = Vec::new();
    for m in members {
        let offset = out.len() as u32;
        let name = m.name.as_bytes();
        u32le(&mut out, 0x0403_4b50);
        u16le(&mut out, 20); // version needed
        u16le(&mut out, 0); // flags
        u16le(&mut out, m.method);
        u16le(&mut out, 0); // time
        u16le(&mut out, DOS_DATE_1980_01_01);
        u32le(&mut out, m.crc);
        u32le(&mut out, m.data.len() as u32);
        u32le(&mut out, m.size);
        u16le(&mut out, name.len() as u16);
        u16le(&mut out, 0); // extra
        out.extend_from_slice(name);
        out.extend_from_slice(&m.data);

        u32le(&mut central, 0x0201_4b50);
        u16le(&mut central, 20); // version made by
        u16le(&mut central, 20); // version needed
        u16le(&mut central, 0);
        u16le(&mut central, m.method);
        u16le(&mut central, 0);
        u16le(&mut central, DOS_DATE_1980_01_01);
        u32le(&mut central, m.crc);
        u32le(&mut central, m.data.len() as u32);
        u32le(&mut central, m.size);
        u16le(&mut central, name.len() as u16);
        u16le(&mut central, 0); // extra
        u16le(&mut central, 0); // comment
        u16le(&mut central, 0); // disk
        u16le(&mut central, 0); // internal attributes
        u32le(&mut central, 0); // external attributes
        u32le(&mut central, offset);
        central.extend_from_slice(name);
    }
    let central_offset = out.len() as u32;
    out.extend_from_slice(&central);
    u32le(&mut out, 0x0605_4b50);
    u16le(&mut out, 0);
    u16le(&mut out, 0);
    u16le(&mut out, members.len() as u16);
    u16le(&mut out, members.len() as u16);
    u32le(&mut out, central.len() as u32);
    u32le(&mut out, central_offset);
    u16le(&mut out, 0);
    out
}

/// The valid return's package, every member as [`stored`] (or, with
/// `deflate`, [`deflated`]) by [`raw_zip`], except that `edit` may replace
/// any member (given its name and inflated bytes) by other members.
fn hand_packed(
    ret: &Return,
    deflate: bool,
    mut edit: impl FnMut(&str, &[u8]) -> Option<Vec<RawMember>>,
) -> Vec<u8> {
    let bytes = ret.workbook().save_to_buffer().unwrap();
    let mut raw = Vec::new();
    for (name, data) in members(&bytes) {
        match edit(&name, &data) {
            Some(replacement) => raw.extend(replacement),
            None if deflate => raw.push(deflated(&name, &data)),
            None => raw.push(stored(&name, &data)),
        }
    }
    raw_zip(&raw)
}

// CRC-32 (IEEE, as zip uses), with zlib's crc32_combine so the CRC of
// gigabytes of one repeated byte costs microseconds.

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn gf2_times(mat: &[u32; 32], mut vec: u32) -> u32 {
    let mut sum = 0;
    let mut i = 0;
    while vec != 0 {
        if vec & 1 != 0 {
            sum ^= mat[i];
        }
        vec >>= 1;
        i += 1;
    }
    sum
}

fn gf2_square(mat: &[u32; 32]) -> [u32; 32] {
    let mut square = [0; 32];
    for (n, row) in square.iter_mut().enumerate() {
        *row = gf2_times(mat, mat[n]);
    }
    square
}

/// The CRC of A then B, from CRC(A), CRC(B) and B's length.
fn crc32_combine(mut crc1: u32, crc2: u32, mut len2: u64) -> u32 {
    if len2 == 0 {
        return crc1;
    }
    // The operator for one zero bit, then two, then four.
    let mut odd = [0u32; 32];
    odd[0] = 0xedb8_8320;
    for (n, row) in odd.iter_mut().enumerate().skip(1) {
        *row = 1 << (n - 1);
    }
    let mut even = gf2_square(&odd);
    odd = gf2_square(&even);
    loop {
        even = gf2_square(&odd);
        if len2 & 1 != 0 {
            crc1 = gf2_times(&even, crc1);
        }
        len2 >>= 1;
        if len2 == 0 {
            break;
        }
        odd = gf2_square(&even);
        if len2 & 1 != 0 {
            crc1 = gf2_times(&odd, crc1);
        }
        len2 >>= 1;
        if len2 == 0 {
            break;
        }
    }
    crc1 ^ crc2
}

/// The CRC of `count` copies of `byte`.
fn crc32_run(byte: u8, count: u64) -> u32 {
    let (mut result, mut result_len) = (0u32, 0u64);
    let (mut unit, mut unit_len) = (crc32(&[byte]), 1u64);
    let mut rest = count;
    while rest != 0 {
        if rest & 1 != 0 {
            result = crc32_combine(result, unit, unit_len);
            result_len += unit_len;
        }
        unit = crc32_combine(unit, unit, unit_len);
        unit_len *= 2;
        rest >>= 1;
    }
    assert_eq!(result_len, count);
    result
}

/// Bits of a deflate stream (RFC 1951), least significant first.
#[derive(Default)]
struct BitWriter {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl BitWriter {
    /// `count` bits of `value`, least significant first (header fields).
    fn bits(&mut self, value: u32, count: u32) {
        for i in 0..count {
            self.acc |= u64::from((value >> i) & 1) << self.n;
            self.n += 1;
            if self.n == 8 {
                self.out.push(self.acc as u8);
                self.acc = 0;
                self.n = 0;
            }
        }
    }

    /// A Huffman code of `len` bits, most significant first.
    fn code(&mut self, code: u32, len: u32) {
        for i in (0..len).rev() {
            self.bits((code >> i) & 1, 1);
        }
    }

    /// `count` zero bits, fast.
    fn zeros(&mut self, mut count: u64) {
        while self.n != 0 && count > 0 {
            self.bits(0, 1);
            count -= 1;
        }
        self.out.resize(self.out.len() + (count / 8) as usize, 0);
        self.bits(0, (count % 8) as u32);
    }

    fn align(&mut self) {
        while self.n != 0 {
            self.bits(0, 1);
        }
    }

    /// `data` as stored blocks (BTYPE 00), the last one final if `last`.
    fn stored_block(&mut self, data: &[u8], last: bool) {
        let chunks: Vec<&[u8]> = if data.is_empty() {
            vec![data]
        } else {
            data.chunks(65_535).collect()
        };
        let count = chunks.len();
        for (i, chunk) in chunks.into_iter().enumerate() {
            self.bits(u32::from(last && i + 1 == count), 1);
            self.bits(0, 2);
            self.align();
            let len = chunk.len() as u16;
            self.out.extend_from_slice(&len.to_le_bytes());
            self.out.extend_from_slice(&(!len).to_le_bytes());
            self.out.extend_from_slice(chunk);
        }
    }

    /// `count` (≥ 1) copies of `byte` in one dynamic Huffman block (BTYPE
    /// 10): the literal `byte`, then matches of length 258 at distance 1,
    /// each two bits (the codes for length 258 and distance 1 are both one
    /// bit), so a gigabyte costs under a megabyte; the rest as literals.
    fn run_block(&mut self, byte: u8, count: u64) {
        assert!(count >= 1 && (11..=244).contains(&byte));
        self.bits(0, 1); // not final
        self.bits(2, 2); // dynamic
        self.bits(286 - 257, 5); // HLIT: literal/length codes 0..=285
        self.bits(2 - 1, 5); // HDIST: distance codes 0 and 1
        self.bits(18 - 4, 4); // HCLEN: 18 code-length codes
        // Code-length alphabet: 18 (a run of zeros) one bit, 1 and 2 two
        // bits. Canonical codes: 18 -> 0, 1 -> 10, 2 -> 11.
        const ORDER: [usize; 18] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1];
        for sym in ORDER {
            let len = match sym {
                18 => 1,
                1 | 2 => 2,
                _ => 0,
            };
            self.bits(len, 3);
        }
        // Code lengths of literal/length symbols 0..=285 then distances
        // 0..=1: `byte` 2, end-of-block 256 2, length 258 (285) 1; both
        // distances 1.
        let mut lengths = vec![0u32; 286 + 2];
        lengths[usize::from(byte)] = 2;
        lengths[256] = 2;
        lengths[285] = 1;
        lengths[286] = 1;
        lengths[287] = 1;
        let mut i = 0;
        while i < lengths.len() {
            match lengths[i] {
                0 => {
                    let mut zeros = lengths[i..].iter().take_while(|&&l| l == 0).count();
                    i += zeros;
                    while zeros > 0 {
                        let take = if zeros <= 138 {
                            zeros
                        } else if zeros - 138 >= 11 {
                            138
                        } else {
                            zeros - 11
                        };
                        assert!(take >= 11, "a run of {take} zeros");
                        self.code(0, 1); // 18
                        self.bits((take - 11) as u32, 7);
                        zeros -= take;
                    }
                }
                1 => {
                    self.code(0b10, 2);
                    i += 1;
                }
                _ => {
                    self.code(0b11, 2);
                    i += 1;
                }
            }
        }
        // Literal/length codes: 285 -> 0, `byte` -> 10, 256 -> 11.
        // Distance codes: 0 -> 0, 1 -> 1.
        self.code(0b10, 2);
        let matches = (count - 1) / 258;
        let literals = (count - 1) % 258;
        self.zeros(2 * matches);
        for _ in 0..literals {
            self.code(0b10, 2);
        }
        self.code(0b11, 2); // end of block
    }

    fn finish(mut self) -> Vec<u8> {
        self.align();
        self.out
    }
}

/// Member `name` (method 8) that inflates to `prefix`, `count` copies of
/// `byte`, then `suffix`, its CRC and inflated size declared truly, in a
/// few megabytes per gigabyte.
fn deflate_run(name: &str, prefix: &str, byte: u8, count: u64, suffix: &str) -> RawMember {
    let mut bits = BitWriter::default();
    bits.stored_block(prefix.as_bytes(), false);
    bits.run_block(byte, count);
    bits.stored_block(suffix.as_bytes(), true);
    let crc = crc32_combine(
        crc32_combine(crc32(prefix.as_bytes()), crc32_run(byte, count), count),
        crc32(suffix.as_bytes()),
        suffix.len() as u64,
    );
    let size = prefix.len() as u64 + count + suffix.len() as u64;
    RawMember {
        name: name.to_string(),
        method: 8,
        crc,
        size: u32::try_from(size).expect("under 4 GiB: no zip64"),
        data: bits.finish(),
    }
}

/// Split `xml` just after the first `at` into the text before and after.
fn split_after<'a>(xml: &'a str, at: &str) -> (&'a str, &'a str) {
    let i = xml.find(at).unwrap_or_else(|| panic!("no {at:?}")) + at.len();
    xml.split_at(i)
}

// ---------------------------------------------------------------------------
// OpenDocument: content.xml by hand

/// XML text escaping.
fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One `table:table-cell` for `value`.
fn ods_cell(value: &V) -> String {
    match value {
        V::Blank => "<table:table-cell/>".to_string(),
        V::Text(s) => format!(
            "<table:table-cell office:value-type=\"string\"><text:p>{}</text:p></table:table-cell>",
            xml_escape(s)
        ),
        V::Num(x) => format!(
            "<table:table-cell office:value-type=\"float\" office:value=\"{x}\"><text:p>{x}</text:p></table:table-cell>"
        ),
        V::Date(y, m, d) => format!(
            "<table:table-cell office:value-type=\"date\" office:date-value=\"{y:04}-{m:02}-{d:02}\"><text:p>{d:02}/{m:02}/{y:04}</text:p></table:table-cell>"
        ),
        V::Duration(_) | V::TimeOfDay(_) | V::Error(_) | V::Formula(_) => {
            panic!("only text, numbers and dates in the hand-written .ods")
        }
    }
}

fn ods_row(cells: &[V]) -> String {
    let cells: String = cells.iter().map(ods_cell).collect();
    format!("<table:table-row>{cells}</table:table-row>")
}

/// The return as an `.ods` (mimetype first and stored, the manifest, and
/// content.xml), the Hours table's rows followed by `extra_hours_rows` (raw
/// `table:table-row` XML). `edit` may change content.xml before it is
/// packed.
fn ods(ret: &Return, extra_hours_rows: &str, edit: impl FnOnce(String) -> String) -> Vec<u8> {
    let details: String = ret
        .details
        .iter()
        .map(|(label, value)| ods_row(&[t(label), value.clone()]))
        .collect();
    let mut hours = ods_row(&[t("Your Choice return")]);
    hours.push_str("<table:table-row table:number-rows-repeated=\"4\"><table:table-cell/></table:table-row>");
    hours.push_str(&ods_row(&ret.header));
    for row in &ret.rows {
        hours.push_str(&ods_row(row));
    }
    hours.push_str(extra_hours_rows);
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <office:document-content \
         xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
         xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
         xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" \
         office:version=\"1.3\"><office:body><office:spreadsheet>\
         <table:table table:name=\"Details\">{details}</table:table>\
         <table:table table:name=\"Hours\">{hours}</table:table>\
         </office:spreadsheet></office:body></office:document-content>"
    );
    let content = edit(content);
    let manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
        <manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.3\">\
        <manifest:file-entry manifest:full-path=\"/\" manifest:version=\"1.3\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>\
        <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>\
        </manifest:manifest>";
    raw_zip(&[
        stored("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
        stored("META-INF/manifest.xml", manifest.as_bytes()),
        stored("content.xml", content.as_bytes()),
    ])
}

// ---------------------------------------------------------------------------
// The report workbook

/// Every string cell of every sheet of the report at `path`, as (sheet,
/// text).
fn report_strings(path: &Path) -> Vec<(String, String)> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap_or_else(|e| panic!("report does not open: {e}"));
    let mut found = Vec::new();
    for sheet in wb.sheet_names() {
        let range = wb.worksheet_range(&sheet).unwrap();
        for cell in range.used_cells() {
            if let (_, _, Data::String(s)) = cell {
                found.push((sheet.clone(), s.clone()));
            }
        }
    }
    found
}

// ---------------------------------------------------------------------------
// Controls: the hand-made files are sound when nothing hostile is in them,
// so a hostile case fails for its fault alone.

#[test]
fn control_the_valid_return_reconciles_under_the_limits() {
    let dir = tempfile::tempdir().unwrap();
    let path = Return::valid().save(dir.path(), "return.xlsx");
    let out = reconcile(&path);
    out.assert_exit(0);
    let doc = out.doc();
    doc.assert_reconciled();
    assert_eq!(doc.people.len(), 1);
}

#[test]
fn control_a_hand_packed_return_reconciles() {
    let dir = tempfile::tempdir().unwrap();
    for deflate in [false, true] {
        let path = dir.path().join(format!("packed-{deflate}.xlsx"));
        std::fs::write(&path, hand_packed(&Return::valid(), deflate, |_, _| None)).unwrap();
        let out = reconcile(&path);
        out.assert_exit(0);
        out.doc().assert_reconciled();
    }
}

#[test]
fn control_the_hand_made_deflate_run_and_its_crc_are_sound() {
    // The zip crate checks the CRC as it inflates.
    let member = deflate_run("a.txt", "<x>", b' ', 1_000_003, "</x>");
    let bytes = raw_zip(&[member]);
    let all = members(&bytes);
    let data = &all[0].1;
    assert_eq!(data.len(), 3 + 1_000_003 + 4);
    assert!(data.starts_with(b"<x> "));
    assert!(data.ends_with(b" </x>"));
    assert!(data[3..data.len() - 4].iter().all(|&b| b == b' '));
    assert_eq!(crc32_run(b'x', 5), crc32(b"xxxxx"));

    // And the binary reads a sheet padded that way.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("padded.xlsx");
    std::fs::write(&path, padded_hours(100_000)).unwrap();
    let out = reconcile(&path);
    out.assert_exit(0);
    out.doc().assert_reconciled();
}

#[test]
fn control_a_hand_written_ods_return_reconciles() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("return.ods");
    std::fs::write(&path, ods(&Return::valid(), "", |c| c)).unwrap();
    let out = reconcile(&path);
    out.assert_exit(0);
    let doc = out.doc();
    doc.assert_reconciled();
    assert_eq!(doc.people.len(), 1);
}

// ---------------------------------------------------------------------------
// 1. A stray or declared last cell at XFD1048576

#[test]
fn a_stray_cell_at_xfd1048576_in_hours_reconciles_normally() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Return::valid().workbook();
    let hours = wb.worksheet_from_name("Hours").unwrap();
    hours.write_string(1_048_575, 16_383, "x").unwrap();
    let path = save(wb, dir.path(), "stray.xlsx");
    assert!(member_text(&members(&std::fs::read(&path).unwrap()), HOURS_XML).contains("r=\"XFD1048576\""));
    let out = reconcile(&path);
    out.assert_exit(0);
    let doc = out.doc();
    doc.assert_reconciled();
    assert_eq!(doc.people.len(), 1);
}

#[test]
fn a_stray_cell_at_xfd1048576_in_details_reconciles_normally() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Return::valid().workbook();
    let details = wb.worksheet_from_name("Details").unwrap();
    details.write_number(1_048_575, 16_383, 1.0).unwrap();
    let path = save(wb, dir.path(), "stray.xlsx");
    let out = reconcile(&path);
    out.assert_exit(0);
    out.doc().assert_reconciled();
}

#[test]
fn a_declared_dimension_of_a1_xfd1048576_reconciles_normally() {
    let dir = tempfile::tempdir().unwrap();
    let path = Return::valid().save(dir.path(), "declared.xlsx");
    for sheet in [HOURS_XML, DETAILS_XML] {
        patch(&path, sheet, |xml| {
            let start = xml.find("<dimension ref=\"").unwrap();
            let end = start + xml[start..].find("/>").unwrap() + 2;
            format!(
                "{}<dimension ref=\"A1:XFD1048576\"/>{}",
                &xml[..start],
                &xml[end..]
            )
        });
    }
    let out = reconcile(&path);
    out.assert_exit(0);
    let doc = out.doc();
    doc.assert_reconciled();
    assert_eq!(doc.people.len(), 1);
}

// ---------------------------------------------------------------------------
// 2. Members that inflate to gigabytes

/// About 3 GB: more than any limit, under the 4 GiB of a zip without zip64.
const GIGABYTES: u64 = 3_000_000_000;

/// The valid return with `count` spaces between the Hours sheet's first and
/// second rows (whitespace between elements: legal XML).
fn padded_hours(count: u64) -> Vec<u8> {
    hand_packed(&Return::valid(), false, |name, data| {
        (name == HOURS_XML).then(|| {
            let xml = std::str::from_utf8(data).unwrap();
            let (before, after) = split_after(xml, "</row>");
            vec![deflate_run(name, before, b' ', count, after)]
        })
    })
}

#[test]
fn a_sheet_padded_with_3_gb_of_spaces_is_limit_exceeded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("spaces.xlsx");
    let bytes = padded_hours(GIGABYTES);
    assert!(bytes.len() < 4_000_000, "{} bytes", bytes.len());
    std::fs::write(&path, bytes).unwrap();
    let out = reconcile(&path);
    out.assert_exit(1);
    out.doc().limit_exceeded();
}

#[test]
fn a_shared_string_of_3_gb_is_limit_exceeded() {
    // P1's name, "Ann Example", followed by 3 GB of "x": one string.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("string.xlsx");
    let bytes = hand_packed(&Return::valid(), false, |name, data| {
        (name == SHARED_STRINGS_XML).then(|| {
            let xml = std::str::from_utf8(data).unwrap();
            let (before, after) = split_after(xml, ">Ann Example");
            vec![deflate_run(name, before, b'x', GIGABYTES, after)]
        })
    });
    assert!(bytes.len() < 4_000_000, "{} bytes", bytes.len());
    std::fs::write(&path, bytes).unwrap();
    let out = reconcile(&path);
    out.assert_exit(1);
    out.doc().limit_exceeded();
}

#[test]
fn a_member_inflating_far_past_its_declared_size_is_refused() {
    // The headers say the Hours sheet is a few kilobytes; it inflates to
    // 3 GB. Whatever the reader trusts, it stops: past the inflated-size
    // limit, or because the member is not what its headers claim.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lying.xlsx");
    let bytes = hand_packed(&Return::valid(), false, |name, data| {
        (name == HOURS_XML).then(|| {
            let xml = std::str::from_utf8(data).unwrap();
            let (before, after) = split_after(xml, "</row>");
            let mut m = deflate_run(name, before, b' ', GIGABYTES, after);
            m.size = data.len() as u32;
            m.crc = crc32(data);
            vec![m]
        })
    });
    std::fs::write(&path, bytes).unwrap();
    let out = reconcile(&path);
    out.assert_exit(1);
    let doc = out.doc();
    doc.assert_rejected();
    assert!(
        doc.findings.iter().any(|f| f.severity == Severity::Error
            && (f.code == "limit-exceeded" || f.code == "unreadable-workbook")),
        "{:#?}",
        doc.short()
    );
}

#[test]
fn a_3_gb_sheet_that_is_never_read_is_never_inflated() {
    // A third sheet, "Visits" (as `yourchoice fill` adds one), whose part
    // inflates to 3 GB: only the sheets read are inflated and limited
    // (issue 23), so the return reconciles as if it were not there.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("visits.xlsx");
    let bytes = hand_packed(&Return::valid(), false, |name, data| {
        let xml = std::str::from_utf8(data).unwrap();
        match name {
            "xl/workbook.xml" => Some(vec![stored(
                name,
                replace_once(
                    xml,
                    "</sheets>",
                    r#"<sheet name="Visits" sheetId="9" r:id="rId99"/></sheets>"#,
                )
                .as_bytes(),
            )]),
            "xl/_rels/workbook.xml.rels" => Some(vec![stored(
                name,
                replace_once(
                    xml,
                    "</Relationships>",
                    r#"<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet9.xml"/></Relationships>"#,
                )
                .as_bytes(),
            )]),
            HOURS_XML => Some(vec![
                stored(name, data),
                deflate_run(
                    "xl/worksheets/sheet9.xml",
                    r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
                    b' ',
                    GIGABYTES,
                    "</sheetData></worksheet>",
                ),
            ]),
            _ => None,
        }
    });
    assert!(bytes.len() < 4_000_000, "{} bytes", bytes.len());
    std::fs::write(&path, bytes).unwrap();
    let out = reconcile(&path);
    out.assert_exit(0);
    out.doc().assert_reconciled();
}

// ---------------------------------------------------------------------------
// 3. An .ods with a huge repeat count

#[test]
fn an_ods_row_of_16384_values_repeated_a_million_times_is_limit_exceeded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("repeated.ods");
    let row = "<table:table-row table:number-rows-repeated=\"1000000\">\
        <table:table-cell table:number-columns-repeated=\"16384\" office:value-type=\"float\" office:value=\"1\"><text:p>1</text:p></table:table-cell>\
        </table:table-row>";
    let bytes = ods(&Return::valid(), row, |c| c);
    assert!(bytes.len() < 10_000);
    std::fs::write(&path, bytes).unwrap();
    let out = reconcile(&path);
    out.assert_exit(1);
    out.doc().limit_exceeded();
}

// ---------------------------------------------------------------------------
// 4. 100,000 bad cells: findings are bounded

#[test]
fn a_hundred_thousand_bad_hours_cells_give_100_findings_and_one_summary() {
    let dir = tempfile::tempdir().unwrap();
    let path = big_return(dir.path(), 100_000, true);
    let out = reconcile(&path);
    out.assert_exit(1);
    let doc = out.doc();
    doc.assert_rejected();
    let bad = doc.all("bad-hours");
    assert!(bad.len() <= 101, "{} bad-hours findings", bad.len());
    assert!(doc.findings.len() < 1000, "{} findings", doc.findings.len());
    let listed: Vec<&str> = bad.iter().filter_map(|f| f.cell.as_deref()).collect();
    let expected: Vec<String> = (7..7 + 100).map(|row| format!("Hours!H{row}")).collect();
    let mut sorted = listed.clone();
    sorted.sort_by_key(|c| c[7..].parse::<u32>().unwrap());
    assert_eq!(sorted, expected, "the first 100 cells, each once");
    let summary: Vec<&&Finding> = bad.iter().filter(|f| f.cell.is_none()).collect();
    assert_eq!(summary.len(), 1, "one summary finding without a cell");
    assert_eq!(summary[0].severity, Severity::Error);
    let m = &summary[0].message;
    assert!(m.contains("more"), "{m}");
    assert!(
        m.contains("99,900") || m.contains("99900"),
        "says how many more: {m}"
    );
}

// ---------------------------------------------------------------------------
// 5. Corrupt packages

/// The Hours sheet with P1's bundle (C7) 10 changed to 19 in the file's
/// bytes, the CRC still that of the original: a package whose data does not
/// match its checksum, which read as if sound would give a figure the
/// provider never entered.
fn crc_mismatch(deflate: bool) -> Vec<u8> {
    hand_packed(&Return::valid(), deflate, |name, data| {
        (name == HOURS_XML).then(|| {
            let xml = std::str::from_utf8(data).unwrap();
            let cell = xml.find("<c r=\"C7\"").unwrap();
            let digit = cell + xml[cell..].find("<v>10</v>").unwrap() + "<v>1".len();
            let mut flipped = data.to_vec();
            flipped[digit] = b'9';
            let mut m = if deflate {
                deflated(name, &flipped)
            } else {
                stored(name, &flipped)
            };
            m.crc = crc32(data);
            vec![m]
        })
    })
}

#[test]
fn a_stored_member_whose_crc_does_not_match_is_unreadable() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crc.xlsx");
    std::fs::write(&path, crc_mismatch(false)).unwrap();
    let out = reconcile(&path);
    out.assert_exit(1);
    let m = out.doc().unreadable();
    assert!(m.contains("corrupt") || m.contains("checksum"), "{m}");
}

#[test]
fn a_deflated_member_whose_crc_does_not_match_is_unreadable() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crc.xlsx");
    std::fs::write(&path, crc_mismatch(true)).unwrap();
    let out = reconcile(&path);
    out.assert_exit(1);
    let m = out.doc().unreadable();
    assert!(m.contains("corrupt") || m.contains("checksum"), "{m}");
}

#[test]
fn two_members_with_the_same_name_are_unreadable() {
    // A second Hours sheet under the same name, with P1's bundle 19: which
    // one a reader picks must not decide the figures.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("twice.xlsx");
    let bytes = hand_packed(&Return::valid(), false, |name, data| {
        (name == HOURS_XML).then(|| {
            let xml = std::str::from_utf8(data).unwrap();
            let other = xml.replacen("<v>10</v>", "<v>19</v>", 1);
            vec![stored(name, data), stored(name, other.as_bytes())]
        })
    });
    std::fs::write(&path, bytes).unwrap();
    let out = reconcile(&path);
    out.assert_exit(1);
    let m = out.doc().unreadable();
    assert!(m.contains("twice"), "{m}");
}

#[test]
fn a_truncated_file_is_unreadable_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let whole = std::fs::read(Return::valid().save(dir.path(), "whole.xlsx")).unwrap();
    for keep in [whole.len() / 2, whole.len() - 1] {
        let path = dir.path().join(format!("cut-{keep}.xlsx"));
        std::fs::write(&path, &whole[..keep]).unwrap();
        let out = reconcile(&path);
        out.assert_exit(1);
        let m = out.doc().unreadable();
        assert!(
            ["truncated", "incomplete", "cut short", "corrupt", "damaged"]
                .iter()
                .any(|w| m.contains(w)),
            "says what is wrong: {m}"
        );
    }
}

// ---------------------------------------------------------------------------
// 6. Two sheets that both match Hours

#[test]
fn two_sheets_matching_hours_one_very_hidden_are_ambiguous() {
    let dir = tempfile::tempdir().unwrap();
    let ret = Return::valid();
    let mut wb = ret.workbook();
    let hidden = wb.add_worksheet();
    hidden.set_name(" hours ").unwrap();
    hidden.set_very_hidden(true);
    ret.clone()
        .set_row(0, "Weekly bundle", n(19.0))
        .write_hours(hidden);
    let path = save(wb, dir.path(), "two.xlsx");
    let out = reconcile(&path);
    out.assert_exit(1);
    let doc = out.doc();
    doc.assert_rejected();
    let f = doc.at("ambiguous-sheet", Severity::Error, None);
    assert!(f.message.contains("Hours"), "{}", f.message);
    assert!(f.message.contains(" hours "), "names both sheets: {}", f.message);
}

// ---------------------------------------------------------------------------
// 7. A Person ID beyond 15 significant digits

#[test]
fn a_person_id_beyond_15_digits_stored_as_a_number_is_bad_number() {
    let dir = tempfile::tempdir().unwrap();
    let path = Return::valid()
        .set_row(0, "Person ID", n(123_456_789_012_345_678.0))
        .save(dir.path(), "id.xlsx");
    let out = reconcile(&path);
    out.assert_exit(1);
    let doc = out.doc();
    doc.assert_rejected();
    let f = doc.at("bad-number", Severity::Error, Some("Hours!A7"));
    assert!(f.message.contains("text"), "{}", f.message);
    assert!(
        doc.people
            .iter()
            .all(|p| !p.person_id.starts_with("1234567890123456"))
    );
}

#[test]
fn control_a_15_digit_person_id_stored_as_a_number_is_its_digits() {
    let dir = tempfile::tempdir().unwrap();
    let path = Return::valid()
        .set_row(0, "Person ID", n(123_456_789_012_345.0))
        .save(dir.path(), "id.xlsx");
    let out = reconcile(&path);
    out.assert_exit(0);
    let doc = out.doc();
    doc.assert_reconciled();
    assert_eq!(doc.people[0].person_id, "123456789012345");
}

// ---------------------------------------------------------------------------
// 8. Commas in numbers typed as text

#[test]
fn a_rate_with_a_decimal_comma_is_bad_number() {
    let dir = tempfile::tempdir().unwrap();
    let path = Return::valid()
        .detail("Blended hourly rate", t("24,85"))
        .save(dir.path(), "comma.xlsx");
    let out = reconcile(&path);
    out.assert_exit(1);
    let doc = out.doc();
    doc.assert_rejected();
    let f = doc.at("bad-number", Severity::Error, Some("Details!B4"));
    assert!(f.message.contains("decimal comma"), "{}", f.message);
}

#[test]
fn an_ambiguous_thousands_comma_in_a_charge_is_bad_number() {
    let dir = tempfile::tempdir().unwrap();
    let path = Return::valid()
        .column(t("Assessed weekly charge"))
        .set_row(0, "Assessed weekly charge", t("1,234"))
        .save(dir.path(), "comma.xlsx");
    let out = reconcile(&path);
    out.assert_exit(1);
    let doc = out.doc();
    doc.assert_rejected();
    let f = doc.at("bad-number", Severity::Error, Some("Hours!Q7"));
    assert!(f.message.contains("ambiguous"), "{}", f.message);
}

#[test]
fn thousands_separators_with_decimals_and_pound_signs_still_read() {
    // Bundle 100 at £24.00: the bundle costs £2,400 a week, more than either
    // charge, so 13 weeks charge 13 × the charge as read.
    let dir = tempfile::tempdir().unwrap();
    let path = Return::empty()
        .column(t("Assessed weekly charge"))
        .person("P1", "Ann", n(100.0), n(100.0))
        .person("P2", "Bob", n(100.0), n(100.0))
        .set_row(0, "Assessed weekly charge", t("1,234.50"))
        .set_row(1, "Assessed weekly charge", t("£1,200"))
        .save(dir.path(), "separators.xlsx");
    let out = reconcile(&path);
    out.assert_exit(0);
    let doc = out.doc();
    doc.assert_reconciled();
    let charged: Vec<&str> = doc
        .people
        .iter()
        .map(|p| p.charge.as_ref().expect("a charge").charged.as_str())
        .collect();
    assert_eq!(charged, ["16048.50", "15600.00"]);
}

// ---------------------------------------------------------------------------
// 9. A formula with no cached value

#[test]
fn a_formula_without_a_cached_value_in_an_hours_cell_is_formula_not_calculated() {
    let dir = tempfile::tempdir().unwrap();
    let path = Return::valid()
        .set_row(0, "Week 3", V::Formula("=5+5"))
        .save(dir.path(), "formula.xlsx");
    patch(&path, HOURS_XML, |xml| drop_cached_value(xml, "F7"));
    let out = reconcile(&path);
    out.assert_exit(1);
    let doc = out.doc();
    doc.assert_rejected();
    doc.at("formula-not-calculated", Severity::Error, Some("Hours!F7"));
}

#[test]
fn a_formula_without_a_cached_value_in_the_rate_cell_is_formula_not_calculated() {
    let dir = tempfile::tempdir().unwrap();
    let path = Return::valid()
        .detail("Blended hourly rate", V::Formula("=20+4"))
        .save(dir.path(), "formula.xlsx");
    patch(&path, DETAILS_XML, |xml| drop_cached_value(xml, "B4"));
    let out = reconcile(&path);
    out.assert_exit(1);
    let doc = out.doc();
    doc.assert_rejected();
    doc.at("formula-not-calculated", Severity::Error, Some("Details!B4"));
}

// ---------------------------------------------------------------------------
// 10. Extreme values

#[test]
fn an_ods_duration_of_10_to_the_23_hours_is_a_finding_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("duration.ods");
    let ret = Return::valid().set_row(0, "Week 1", t("HUGE"));
    let bytes = ods(&ret, "", |content| {
        replace_once(
            &content,
            &ods_cell(&t("HUGE")),
            "<table:table-cell office:value-type=\"time\" \
             office:time-value=\"PT99999999999999999999999H\"><text:p>huge</text:p></table:table-cell>",
        )
    });
    std::fs::write(&path, bytes).unwrap();
    let out = reconcile(&path);
    out.assert_exit(1);
    let doc = out.doc();
    doc.assert_rejected();
    assert!(
        doc.findings.iter().any(|f| f.severity == Severity::Error
            && (f.code == "hours-over-week" || f.code == "bad-hours")
            && f.cell.as_deref() == Some("Hours!D7")),
        "{:#?}",
        doc.short()
    );
}

#[test]
fn a_tiny_bundle_reconciles_or_is_a_finding_never_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    for (i, (bundle, hours)) in [(1e-21, 10.0), (1e-21, 1e-21), (1e-30, 10.0), (1e-21, 0.0)]
        .into_iter()
        .enumerate()
    {
        let path = Return::valid()
            .set_row(0, "Weekly bundle", n(bundle))
            .set_row(0, "Week 2", n(hours))
            .save(dir.path(), &format!("tiny-{i}.xlsx"));
        let out = reconcile(&path);
        out.assert_exit_in(&[0, 1]);
        let doc = out.doc();
        if out.status.code() == Some(0) {
            doc.assert_reconciled();
            assert_eq!(doc.people.len(), 1);
        } else {
            doc.assert_rejected();
        }
    }
}

#[test]
fn a_huge_rate_with_full_weeks_gives_figures_or_a_finding_never_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    for (i, (bundle, hours)) in [(168.0, 168.0), (1.0, 168.0), (168.0, 0.5)]
        .into_iter()
        .enumerate()
    {
        let path = Return::valid()
            .detail("Blended hourly rate", n(999_999.99))
            .column(t("Assessed weekly charge"))
            .set_row(0, "Weekly bundle", n(bundle))
            .set_row(0, "Assessed weekly charge", n(999_999.99))
            .set_row(0, "Week 1", n(hours))
            .save(dir.path(), &format!("rate-{i}.xlsx"));
        let out = reconcile(&path);
        out.assert_exit_in(&[0, 1]);
        let doc = out.doc();
        if out.status.code() == Some(0) {
            doc.assert_reconciled();
            assert_eq!(doc.people.len(), 1);
        } else {
            doc.assert_rejected();
        }
    }
}

// ---------------------------------------------------------------------------
// 11. Text longer than a cell holds

/// Excel's limit on the characters in a cell.
const CELL_CHARS: usize = 32_767;

/// `prefix` then `fill` up to 40,000 characters.
fn long_text(prefix: &str, fill: char) -> String {
    let mut s = prefix.to_string();
    s.extend(std::iter::repeat_n(fill, 40_000 - prefix.len()));
    s
}

/// The valid return with `placeholder` (written by `ret`) replaced by
/// `text` in the shared strings (rust_xlsxwriter refuses more than 32,767
/// characters), reconciled with the report: (exit code, JSON, the report's
/// string cells that hold a part of `text`).
fn long_text_run(ret: Return, placeholder: &str, text: &str, expect_exit: i32) -> (Doc, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let path = ret.save(dir.path(), "long.xlsx");
    patch(&path, SHARED_STRINGS_XML, |xml| {
        replace_once(xml, &format!(">{placeholder}<"), &format!(">{text}<"))
    });
    let report = dir.path().join("r.xlsx");
    let out = run_limited(&[
        OsStr::new("reconcile"),
        path.as_os_str(),
        OsStr::new("--json"),
        OsStr::new("-o"),
        report.as_os_str(),
    ]);
    out.assert_exit(expect_exit);
    let doc = out.doc();
    assert!(report.exists(), "no report written\nstderr: {}", out.stderr);
    let start: String = text.chars().take(30).collect();
    // The cells that hold the text itself (a finding's message that quotes
    // it does not start with it).
    let cells: Vec<String> = report_strings(&report)
        .into_iter()
        .filter(|(_, s)| s.starts_with(&start))
        .map(|(_, s)| s)
        .collect();
    assert!(!cells.is_empty(), "the text is nowhere in the report");
    for s in &cells {
        let count = s.chars().count();
        assert!(count <= CELL_CHARS, "{count} characters in a cell");
        let end: String = s.chars().skip(count.saturating_sub(100)).collect();
        assert!(
            end.to_lowercase().contains("truncated"),
            "ends with a marker: ...{end}"
        );
    }
    (doc, cells)
}

#[test]
fn a_40000_character_name_is_truncated_in_the_report() {
    let text = long_text("Name:", 'n');
    let (doc, _) = long_text_run(Return::valid(), "Ann Example", &text, 0);
    doc.assert_reconciled();
}

#[test]
fn a_40000_character_note_is_truncated_in_the_report() {
    let text = long_text("Note:", 'o');
    let ret = Return::valid()
        .column(t("Notes"))
        .set_row(0, "Notes", t("NOTE-PLACEHOLDER"));
    let (doc, _) = long_text_run(ret, "NOTE-PLACEHOLDER", &text, 0);
    doc.assert_reconciled();
}

#[test]
fn a_40000_character_bad_hours_cell_is_truncated_in_the_report_and_quoted_short() {
    let text = long_text("Bad:", 'b');
    let ret = Return::valid().set_row(0, "Week 3", t("HOURS-PLACEHOLDER"));
    let (doc, _) = long_text_run(ret, "HOURS-PLACEHOLDER", &text, 1);
    doc.assert_rejected();
    let f = doc.at("bad-hours", Severity::Error, Some("Hours!F7"));
    let longest_run = f.message.split(|c| c != 'b').map(str::len).max().unwrap_or(0);
    assert!(
        (10..=120).contains(&longest_run),
        "quotes the cell in about 100 characters ({longest_run} of them): {}",
        tail(&f.message)
    );
}

// ---------------------------------------------------------------------------
// 12. Control characters from a cell

/// `yourchoice COMMAND PATH` (table or text, piped, NO_COLOR=1): stdout, which
/// must hold no raw ESC or BEL.
fn text_output(command: &str, path: &Path, expect_exit: i32) -> String {
    let mut args = vec![OsStr::new(command), path.as_os_str()];
    if command == "reconcile" {
        args.push(OsStr::new("--no-report"));
    }
    let out = run_limited(&args);
    out.assert_exit(expect_exit);
    for (byte, name) in [('\u{1b}', "ESC"), ('\u{7}', "BEL")] {
        assert!(
            !out.stdout.contains(byte),
            "raw {name} in `{command}`'s output: {:?}",
            out.stdout
        );
    }
    out.stdout
}

#[test]
fn control_characters_in_a_name_are_escaped_in_the_table() {
    let dir = tempfile::tempdir().unwrap();
    let path = Return::valid()
        .set_row(0, "Name", t("Ann\u{1b}[31mRed\u{7}"))
        .save(dir.path(), "control.xlsx");
    let table = text_output("reconcile", &path, 0);
    assert!(table.contains("\\u{1b}"), "{table}");
    assert!(table.contains("\\u{7}"), "{table}");
    text_output("check", &path, 0);
}

#[test]
fn control_characters_in_a_bad_hours_cell_are_escaped_in_the_table_and_check() {
    let dir = tempfile::tempdir().unwrap();
    let path = Return::valid()
        .set_row(0, "Week 3", t("7\u{1b}[2J\u{7}"))
        .save(dir.path(), "control.xlsx");
    for command in ["reconcile", "check"] {
        let text = text_output(command, &path, 1);
        assert!(text.contains("bad-hours"), "{text}");
        assert!(text.contains("\\u{1b}"), "{command}: {text}");
        assert!(text.contains("\\u{7}"), "{command}: {text}");
    }
}

// ---------------------------------------------------------------------------
// 13. A CSV file

const CSV: &str = "Person ID,Name,Weekly bundle,Week 1\r\nP1,Ann Example,10,10\r\n";

#[test]
fn a_csv_file_is_unreadable_with_advice_to_save_it_as_xlsx() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["returns.csv", "returns.xlsx"] {
        let path = dir.path().join(name);
        std::fs::write(&path, CSV).unwrap();
        let out = reconcile(&path);
        out.assert_exit(1);
        let doc = out.doc();
        doc.unreadable();
        let m = &doc.all("unreadable-workbook")[0].message;
        assert!(m.contains("CSV is not a supported format"), "{name}: {m}");
        assert!(m.contains("save it as .xlsx"), "{name}: {m}");
    }
}

#[test]
fn no_report_is_written_for_a_file_that_could_not_be_opened() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["returns.csv", "returns.xlsx"] {
        let path = dir.path().join(name);
        std::fs::write(&path, CSV).unwrap();
        let report = dir.path().join("r.xlsx");
        let out = run_limited(&[
            OsStr::new("reconcile"),
            path.as_os_str(),
            OsStr::new("--json"),
            OsStr::new("-o"),
            report.as_os_str(),
        ]);
        out.assert_exit(1);
        out.doc().unreadable();
        assert!(
            !report.exists(),
            "{name}: a report for a file that could not be opened"
        );

        // The default report beside the input, and the table on stdout.
        let out = run_limited(&[OsStr::new("reconcile"), path.as_os_str()]);
        out.assert_exit(1);
        assert!(out.stdout.contains("unreadable-workbook"), "{}", out.stdout);
        assert!(!dir.path().join("returns.report.xlsx").exists(), "{name}");
    }
}

// ---------------------------------------------------------------------------
// 14. A file over the input limit

#[test]
fn a_file_over_the_input_limit_is_limit_exceeded_without_being_read() {
    // Sparse files: nothing is written to disk. The second is larger than
    // the memory limit, so reading it whole would fail.
    let dir = tempfile::tempdir().unwrap();
    for size in [MAX_FILE_BYTES + 1, 3 * 1024 * 1024 * 1024] {
        let path = dir.path().join(format!("big-{size}.xlsx"));
        File::create(&path).unwrap().set_len(size).unwrap();
        let out = reconcile(&path);
        out.assert_exit(1);
        assert!(out.elapsed < Duration::from_secs(10), "{:?}", out.elapsed);
        out.doc().limit_exceeded();
    }
}

// ---------------------------------------------------------------------------
// 15. A real 50,000-person return

#[test]
fn a_50000_person_return_reconciles_within_the_limits() {
    let dir = tempfile::tempdir().unwrap();
    let path = big_return(dir.path(), 50_000, false);
    let out = reconcile(&path);
    out.assert_exit(0);
    let doc = out.doc();
    doc.assert_reconciled();
    assert_eq!(doc.people.len(), 50_000);
    assert_eq!(doc.people[0].person_id, "P000001");
    assert_eq!(doc.people[49_999].person_id, "P050000");
    assert!(doc.people.iter().all(|p| p.name.as_deref() == Some("Person")));
}

/// One shared string of 32,767 characters (the most a cell holds) in
/// 10,000 cells of Hours: a file of under a megabyte, but each cell read
/// keeps its own copy, 330 MB in all (fuzzing found 100,000 such cells,
/// 3.3 GB, abort the reader). Refused once the sheet's text passes 64 MiB
/// (about 2,050 such cells).
#[test]
fn one_long_string_in_10000_cells_is_limit_exceeded() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Return::valid().workbook();
    let hours = wb.worksheet_from_name("Hours").unwrap();
    let long = "x".repeat(32_767);
    for i in 0..10_000u32 {
        hours.write_string(200 + i, 40, &long).unwrap();
    }
    let path = save(wb, dir.path(), "long-strings.xlsx");
    assert!(std::fs::metadata(&path).unwrap().len() < 2_000_000);
    let out = reconcile(&path);
    out.assert_exit(1);
    let doc = out.doc();
    let f = doc.limit_exceeded();
    assert!(f.message.contains("holds more than 64 MiB of text"), "{f:?}");
}
