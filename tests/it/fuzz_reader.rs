//! Fuzz target on the reader, run on the stable toolchain by proptest:
//! bytes in, findings out. Each case takes a workbook of the seed corpus
//! (`tests/corpus/`: the shared fixtures and the examples), mutates it, and
//! runs it through everything `reconcile` and `check` do with a workbook:
//! the reader, the engine (alone and in a run with a duplicate of itself),
//! the terminal table, the JSON line, `check`'s text and JSON, the exports,
//! the council's summary and the report workbook. The property: nothing
//! panics, every writer succeeds, and each case finishes in bounded time.
//!
//! Mutations are of two kinds:
//! - blind: byte flips and overwrites, insertions and deletions, truncation,
//!   two seeds spliced together;
//! - structure-aware (most cases): a zip seed (`.xlsx`, `.ods`) is unzipped,
//!   one member's XML is edited (a cell's `<v>`, `<t>` or `office:value`
//!   replaced by an extreme value — huge and tiny numbers, `1e308`, `-0`,
//!   `NaN`, 40,000 characters, control characters —, a reference moved to
//!   `XFD1048576`, a repeat count made huge, a cell type or number format
//!   changed, an element deleted or repeated), or the package itself
//!   changed (a member dropped, renamed or added), and the result re-zipped.
//!
//! Settings, from the environment:
//! - `FUZZ_CASES`: the number of cases (default 48, a few seconds, for CI);
//! - `FUZZ_CASE_SECONDS`: the time a case may take (default 5, debug build;
//!   a case still running after four times that fails as a hang);
//! - `FUZZ_FORK=1`: each case in a child process, so that one that aborts
//!   (out of memory) or hangs is caught, shrunk and reported like a panic;
//! - `FUZZ_SEEDS_ENDING=.xls`: only the seeds whose names end so;
//! - `FUZZ_PROGRESS=N`: a line on stderr every N cases;
//! - `FUZZ_LAST=FILE`: each case's bytes written there before it runs;
//! - `FUZZ_SAVE=DIR`: each slow case's bytes saved there.
//!
//! A long run: `FUZZ_CASES=25000 FUZZ_FORK=1 FUZZ_PROGRESS=1000 cargo test
//! --test it fuzz_reader::any_ -- --nocapture` (with `ulimit -v 8000000` first,
//! so a case that asks for terabytes fails fast). Crashes found are kept
//! below as plain regression tests, and the workbooks that found them in
//! `tests/corpus/found-*`.

use crate::fuzz_support;

use std::io::{Cursor, Read, Write};
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use proptest::prelude::*;
use proptest::sample::Index;
use yourchoice::engine;
use yourchoice::model::export::ExportKind;
use yourchoice::model::settings::Settings;
use yourchoice::write::{self, report};

// ---------------------------------------------------------------------------
// The corpus

/// One seed workbook, with its zip members when it is a zip package.
struct Seed {
    name: String,
    bytes: Vec<u8>,
    members: Option<Vec<Member>>,
}

#[derive(Clone)]
struct Member {
    name: String,
    data: Vec<u8>,
}

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

fn corpus() -> &'static [Seed] {
    static SEEDS: OnceLock<Vec<Seed>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
            .expect("tests/corpus")
            .map(|e| e.expect("corpus entry").path())
            .filter(|p| {
                p.extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| matches!(e, "xlsx" | "xls" | "ods" | "xlsb" | "bin"))
            })
            .collect();
        paths.sort();
        assert!(paths.len() >= 30, "the seed corpus is missing: {paths:?}");
        // `FUZZ_SEEDS_ENDING=.xls`: a run on some of the seeds only.
        if let Ok(ending) = std::env::var("FUZZ_SEEDS_ENDING") {
            paths.retain(|p| p.to_string_lossy().ends_with(&ending));
        }
        paths
            .into_iter()
            .map(|p| {
                let bytes = std::fs::read(&p).expect("read seed");
                Seed {
                    name: p.file_name().unwrap().to_string_lossy().into_owned(),
                    members: unzip(&bytes),
                    bytes,
                }
            })
            .collect()
    })
}

/// The members of a zip package in order, or `None` when it is not one.
fn unzip(bytes: &[u8]) -> Option<Vec<Member>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut members = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).ok()?;
        let name = f.name().ok()?.to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).ok()?;
        members.push(Member { name, data });
    }
    Some(members)
}

/// Zip members up again; `mimetype` stored (as OpenDocument wants), the
/// rest deflated or stored. `None` when the zip writer refuses (a name it
/// will not write), and the case is skipped.
fn rezip(members: &[Member], deflate: bool) -> Option<Vec<u8>> {
    use zip::CompressionMethod::{Deflated, Stored};
    use zip::write::SimpleFileOptions;
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for m in members {
        let method = if deflate && m.name != "mimetype" {
            Deflated
        } else {
            Stored
        };
        let options = SimpleFileOptions::default()
            .compression_method(method)
            .compression_level(if method == Deflated { Some(1) } else { None });
        w.start_file(m.name.as_str(), options).ok()?;
        w.write_all(&m.data).ok()?;
    }
    w.finish().ok().map(Cursor::into_inner)
}

// ---------------------------------------------------------------------------
// Extreme values

/// Numbers and number-like text at and past every boundary a cell can
/// reach: `f64` and `Decimal` limits, Excel's date serial limits, the 1900
/// leap-year bug, signed zero, NaN and infinities spelled as text.
const NUMBERS: &[&str] = &[
    "0",
    "-0",
    "-0.0",
    "1",
    "-1",
    "0.5",
    "7.5",
    "168",
    "168.0000000001",
    "1e308",
    "-1e308",
    "1.7976931348623157e308",
    "1.8e308",
    "1e-308",
    "4.9e-324",
    "5e-324",
    "2.2250738585072014e-308",
    "1e-28",
    "1e-29",
    "0.0000000000000000000000000001",
    "1e28",
    "7.9228162514264337593543950335e28",
    "79228162514264337593543950335",
    "79228162514264337593543950336",
    "-79228162514264337593543950336",
    "1e29",
    "9.999999999999999e22",
    "1e23",
    "99999999999999999999",
    "123456789012345678",
    "999999999999999",
    "1000000000000000",
    "9007199254740993",
    "NaN",
    "nan",
    "-NaN",
    "inf",
    "-inf",
    "Infinity",
    "-Infinity",
    "1.#INF",
    "60",
    "61",
    "59.99999",
    "2958465",
    "2958465.9999999",
    "2958466",
    "-693594",
    "-1e9",
    "1e9",
    "1e15",
    "0x10",
    "1_000",
    "+5",
    "--5",
    "5-",
    ".5",
    "5.",
    "1e",
    "e1",
    " 7.5 ",
    "\u{a0}7.5",
    "٧",
    "24,85",
    "1,234",
    "£1,200",
    "£",
    "£-5",
    "1,234,567.891",
    "9:99",
    "7:30",
    "-7:30",
    "999999999:59:59",
    "9999999999:00",
    "0:00",
    "24:00",
    "TRUE",
    "FALSE",
    "#REF!",
    "#DIV/0!",
    "#N/A",
    "#NUM!",
    "=SUM(A1:A3)",
];

/// Text for dates, durations and ISO values.
const DATES: &[&str] = &[
    "2026-04-06",
    "2026-04-06T00:00:00",
    "2026-04-06T25:61:61",
    "1899-12-30",
    "1899-12-31",
    "1900-01-01",
    "1900-02-29",
    "1900-03-01",
    "2199-12-31",
    "2200-12-31",
    "2201-01-01",
    "9999-12-31",
    "-9999-01-01",
    "+275760-09-13",
    "0000-00-00",
    "2026-02-30",
    "06/04/2026",
    "31/12/9999",
    "29/02/2100",
    "04/13/2026",
    "PT07H30M00S",
    "PT0S",
    "-PT1H",
    "PT168H",
    "PT168H00M00.5S",
    "PT99999999999999999999999999H",
    "P9999999999999999999999999999W",
    "P9999999999999999D",
    "P1Y2M3DT4H",
    "P1W",
    "PT1.5H",
    "PT-1H",
    "PT",
    "P",
    "PTH",
    "P1DT",
    "PT1H1H1H",
    "PT0.0000000000000000000000000001S",
];

/// Cell references and ranges, in and past the grid.
const REFERENCES: &[&str] = &[
    "A1",
    "XFD1048576",
    "XFD1",
    "A1048576",
    "XFE1",
    "A1048577",
    "A0",
    "A4294967296",
    "A4294967295",
    "ZZZZZZZ1",
    "AAAAAAAAAAAAAAAAAAAA1",
    "a1",
    "1A",
    "$A$1",
    "",
    "A",
    "1",
    "A1:XFD1048576",
    "A1:A1",
    "XFD1048576:A1",
    "B3:A1",
];

/// Counts: repeat counts, style and string indexes, sheet ids.
const COUNTS: &[&str] = &[
    "0",
    "1",
    "2",
    "13",
    "1000",
    "16383",
    "16384",
    "16385",
    "1048575",
    "1048576",
    "1048577",
    "2147483647",
    "2147483648",
    "4294967295",
    "4294967296",
    "9223372036854775807",
    "18446744073709551615",
    "18446744073709551616",
    "99999999999999999999999",
    "-1",
    "-2147483648",
    "1.5",
    "1e3",
    "",
    " 5",
];

/// Cell types, value types, number formats, sheet states and names.
const WORDS: &[&str] = &[
    "s",
    "str",
    "inlineStr",
    "b",
    "e",
    "d",
    "n",
    "x",
    "float",
    "percentage",
    "currency",
    "date",
    "time",
    "boolean",
    "string",
    "void",
    "14",
    "15",
    "20",
    "21",
    "22",
    "45",
    "46",
    "47",
    "49",
    "164",
    "[h]:mm",
    "[h]:mm:ss",
    "h:mm AM/PM",
    "yyyy-mm-dd",
    "dd/mm/yyyy hh:mm",
    "0.00E+00",
    "General",
    "@",
    "hidden",
    "veryHidden",
    "shared",
    "array",
    "visible",
    "Hours",
    "hours ",
    " HOURS",
    "Details",
    "details",
    "DETAILS ",
    "Sheet1",
    "true",
    "false",
    "1",
];

/// A string of `n` copies of `c`.
fn repeated(c: char, n: usize) -> String {
    std::iter::repeat_n(c, n).collect()
}

/// Any extreme text: from the lists above, very long text (past a cell's
/// 32,767 characters), control characters, random Unicode, and numbers of
/// every magnitude in every notation.
fn extreme() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(NUMBERS).prop_map(str::to_string),
        2 => proptest::sample::select(DATES).prop_map(str::to_string),
        1 => proptest::sample::select(REFERENCES).prop_map(str::to_string),
        1 => proptest::sample::select(COUNTS).prop_map(str::to_string),
        1 => proptest::sample::select(WORDS).prop_map(str::to_string),
        1 => (
            proptest::sample::select(&['x', '9', 'é', '\u{1b}', ' ', '<', '&', '\u{10ffff}'][..]),
            proptest::sample::select(&[32_767usize, 32_768, 40_000, 100_000, 1_000][..]),
        )
            .prop_map(|(c, n)| repeated(c, n)),
        1 => "[\\x00-\\x1f\\x7f]{1,8}",
        1 => "[\\x1b\\x07]\\[[0-9;]{0,6}m?[a-z]{0,5}",
        1 => "\\PC{0,24}",
        1 => any::<f64>().prop_map(|f| f.to_string()),
        1 => any::<f64>().prop_map(|f| format!("{f:e}")),
        1 => any::<i64>().prop_map(|i| i.to_string()),
        1 => (any::<i128>(), 0u32..40).prop_map(|(m, e)| format!("{m}e-{e}")),
    ]
}

/// XML-escape `<`, `>`, `&` and `"`, or not (both are worth trying: raw,
/// the member is usually not well-formed any more).
fn escaped(text: &str, escape: bool) -> String {
    if !escape {
        return text.to_string();
    }
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

// ---------------------------------------------------------------------------
// Mutations

/// Elements of a workbook's XML whose text or presence matters.
const TAGS: &[&str] = &[
    "v",
    "t",
    "f",
    "c",
    "row",
    "is",
    "si",
    "r",
    "sheet",
    "sheets",
    "sheetData",
    "dimension",
    "numFmt",
    "xf",
    "cellXfs",
    "col",
    "mergeCell",
    "definedName",
    "Relationship",
    "Override",
    "table:table-cell",
    "table:table-row",
    "table:table",
    "table:table-column",
    "table:covered-table-cell",
    "text:p",
    "text:s",
    "text:span",
    "office:annotation",
    "number:date-style",
    "number:time-style",
    "office:spreadsheet",
];

/// Attributes whose values matter, with the list their values come from.
const ATTRS: &[(&str, &[&str])] = &[
    ("r", REFERENCES),
    ("si", COUNTS),
    ("ref", REFERENCES),
    ("sqref", REFERENCES),
    ("spans", COUNTS),
    ("t", WORDS),
    ("s", COUNTS),
    ("numFmtId", WORDS),
    ("formatCode", WORDS),
    ("applyNumberFormat", WORDS),
    ("xfId", COUNTS),
    ("count", COUNTS),
    ("uniqueCount", COUNTS),
    ("name", WORDS),
    ("state", WORDS),
    ("sheetId", COUNTS),
    ("r:id", WORDS),
    ("Target", WORDS),
    ("date1904", WORDS),
    ("office:value", NUMBERS),
    ("text:c", COUNTS),
    ("office:value-type", WORDS),
    ("calcext:value-type", WORDS),
    ("office:time-value", DATES),
    ("office:date-value", DATES),
    ("office:boolean-value", WORDS),
    ("office:string-value", NUMBERS),
    ("office:currency", WORDS),
    ("table:number-columns-repeated", COUNTS),
    ("table:number-rows-repeated", COUNTS),
    ("table:number-columns-spanned", COUNTS),
    ("table:number-rows-spanned", COUNTS),
    ("table:formula", NUMBERS),
    ("table:name", WORDS),
    ("table:display", WORDS),
    ("table:style-name", WORDS),
    ("table:visibility", WORDS),
];

/// One edit of one zip member's XML.
#[derive(Clone, Debug)]
enum XmlEdit {
    /// Replace the text inside one element (`<v>here</v>`).
    Text {
        tag: Index,
        which: Index,
        value: String,
        escape: bool,
    },
    /// Replace one attribute's value, from its own list or any extreme.
    Attr {
        attr: Index,
        which: Index,
        own: Option<Index>,
        value: String,
        escape: bool,
    },
    /// Add an attribute to one element (which may already have it).
    AddAttr {
        tag: Index,
        which: Index,
        attr: Index,
        own: Option<Index>,
        value: String,
    },
    /// Delete one element.
    Delete { tag: Index, which: Index },
    /// Repeat one element `times` more times in place.
    Repeat { tag: Index, which: Index, times: u16 },
    /// Move one element to another place in the member.
    Move { tag: Index, which: Index, to: Index },
    /// Insert text at a byte offset.
    Insert { at: Index, value: String },
    /// Cut the member at a byte offset.
    Cut { at: Index },
}

/// A change to the package rather than one member.
#[derive(Clone, Debug)]
enum PackageEdit {
    Drop {
        which: Index,
    },
    Rename {
        which: Index,
        to: String,
    },
    /// Another member's copy (under a name of its own, e.g. one that differs
    /// only in case).
    Copy {
        which: Index,
        to: String,
    },
    Add {
        name: String,
        value: String,
    },
    Reverse,
}

const MEMBER_NAMES: &[&str] = &[
    "xl/worksheets/sheet1.xml",
    "xl/worksheets/sheet2.xml",
    "xl/worksheets/sheet3.xml",
    "XL/Worksheets/Sheet1.xml",
    "xl/sharedStrings.xml",
    "xl/styles.xml",
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "[Content_Types].xml",
    "content.xml",
    "Content.xml",
    "mimetype",
    "META-INF/manifest.xml",
    "../outside.xml",
    "/absolute.xml",
    "dir\\back.xml",
    "xl/worksheets/",
];

#[derive(Clone, Debug)]
enum ByteEdit {
    Flip { at: Index, bit: u8 },
    Set { at: Index, bytes: Vec<u8> },
    Insert { at: Index, bytes: Vec<u8> },
    Remove { at: Index, len: u16 },
}

#[derive(Clone, Debug)]
enum Mutation {
    /// A seed as it is.
    Seed {
        seed: Index,
    },
    Bytes {
        seed: Index,
        edits: Vec<ByteEdit>,
    },
    Truncate {
        seed: Index,
        at: Index,
    },
    Splice {
        a: Index,
        b: Index,
        cut_a: Index,
        cut_b: Index,
    },
    /// XML edits of one member of a zip seed (`prefer_cells`: a sheet's or
    /// the shared strings' member rather than any).
    Xml {
        seed: Index,
        member: Index,
        prefer_cells: bool,
        edits: Vec<XmlEdit>,
        deflate: bool,
        then: Vec<ByteEdit>,
    },
    Package {
        seed: Index,
        edits: Vec<PackageEdit>,
        deflate: bool,
    },
}

fn byte_edit() -> impl Strategy<Value = ByteEdit> {
    prop_oneof![
        3 => (any::<Index>(), 0u8..8).prop_map(|(at, bit)| ByteEdit::Flip { at, bit }),
        2 => (any::<Index>(), prop_oneof![
                proptest::collection::vec(any::<u8>(), 1..8),
                Just(vec![0xff; 4]),
                Just(vec![0; 4]),
                Just(vec![0x7f, 0xff, 0xff, 0xff]),
                Just(vec![0x80, 0, 0, 0]),
            ])
            .prop_map(|(at, bytes)| ByteEdit::Set { at, bytes }),
        1 => (any::<Index>(), proptest::collection::vec(any::<u8>(), 1..16))
            .prop_map(|(at, bytes)| ByteEdit::Insert { at, bytes }),
        1 => (any::<Index>(), 1u16..512).prop_map(|(at, len)| ByteEdit::Remove { at, len }),
    ]
}

fn xml_edit() -> impl Strategy<Value = XmlEdit> {
    prop_oneof![
        6 => (any::<Index>(), any::<Index>(), extreme(), any::<bool>())
            .prop_map(|(tag, which, value, escape)| XmlEdit::Text { tag, which, value, escape }),
        6 => (any::<Index>(), any::<Index>(), proptest::option::weighted(0.6, any::<Index>()), extreme(), any::<bool>())
            .prop_map(|(attr, which, own, value, escape)| XmlEdit::Attr { attr, which, own, value, escape }),
        2 => (any::<Index>(), any::<Index>(), any::<Index>(), proptest::option::weighted(0.6, any::<Index>()), extreme())
            .prop_map(|(tag, which, attr, own, value)| XmlEdit::AddAttr { tag, which, attr, own, value }),
        2 => (any::<Index>(), any::<Index>()).prop_map(|(tag, which)| XmlEdit::Delete { tag, which }),
        2 => (any::<Index>(), any::<Index>(), prop_oneof![1u16..4, Just(100), Just(2000)])
            .prop_map(|(tag, which, times)| XmlEdit::Repeat { tag, which, times }),
        1 => (any::<Index>(), any::<Index>(), any::<Index>())
            .prop_map(|(tag, which, to)| XmlEdit::Move { tag, which, to }),
        1 => (any::<Index>(), extreme()).prop_map(|(at, value)| XmlEdit::Insert { at, value }),
        1 => any::<Index>().prop_map(|at| XmlEdit::Cut { at }),
    ]
}

fn package_edit() -> impl Strategy<Value = PackageEdit> {
    let name = prop_oneof![
        4 => proptest::sample::select(MEMBER_NAMES).prop_map(str::to_string),
        1 => "[a-zA-Z/._\\\\]{0,40}",
        1 => Just(repeated('a', 70_000)),
    ];
    prop_oneof![
        2 => any::<Index>().prop_map(|which| PackageEdit::Drop { which }),
        2 => (any::<Index>(), name.clone()).prop_map(|(which, to)| PackageEdit::Rename { which, to }),
        2 => (any::<Index>(), name.clone()).prop_map(|(which, to)| PackageEdit::Copy { which, to }),
        1 => (name, extreme()).prop_map(|(name, value)| PackageEdit::Add { name, value }),
        1 => Just(PackageEdit::Reverse),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    use proptest::collection::vec;
    prop_oneof![
        1 => any::<Index>().prop_map(|seed| Mutation::Seed { seed }),
        2 => (any::<Index>(), vec(byte_edit(), 1..6)).prop_map(|(seed, edits)| Mutation::Bytes { seed, edits }),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(seed, at)| Mutation::Truncate { seed, at }),
        1 => (any::<Index>(), any::<Index>(), any::<Index>(), any::<Index>())
            .prop_map(|(a, b, cut_a, cut_b)| Mutation::Splice { a, b, cut_a, cut_b }),
        10 => (
            any::<Index>(),
            any::<Index>(),
            proptest::bool::weighted(0.8),
            vec(xml_edit(), 1..5),
            proptest::bool::weighted(0.8),
            prop_oneof![6 => Just(Vec::new()), 1 => vec(byte_edit(), 1..3)],
        )
            .prop_map(|(seed, member, prefer_cells, edits, deflate, then)| Mutation::Xml {
                seed,
                member,
                prefer_cells,
                edits,
                deflate,
                then,
            }),
        2 => (any::<Index>(), vec(package_edit(), 1..3), any::<bool>())
            .prop_map(|(seed, edits, deflate)| Mutation::Package { seed, edits, deflate }),
    ]
}

/// Byte offsets where `needle` starts.
fn find_all(hay: &[u8], needle: &[u8]) -> Vec<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return Vec::new();
    }
    (0..=hay.len() - needle.len())
        .filter(|&i| &hay[i..i + needle.len()] == needle)
        .collect()
}

fn find_from(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// Where an element starts (`<tag` then a space, `>` or `/`).
fn element_starts(xml: &[u8], tag: &str) -> Vec<usize> {
    let open = format!("<{tag}");
    find_all(xml, open.as_bytes())
        .into_iter()
        .filter(|&i| {
            xml.get(i + open.len())
                .is_some_and(|b| matches!(b, b' ' | b'>' | b'/' | b'\t' | b'\n' | b'\r'))
        })
        .collect()
}

/// An element's extent: its start, the end of its start tag (index of its
/// `>`), whether it closes itself, and the end of the element (exclusive).
fn element_at(xml: &[u8], tag: &str, start: usize) -> Option<(usize, usize, bool, usize)> {
    let gt = find_from(xml, start, b">")?;
    if xml[gt - 1] == b'/' {
        return Some((start, gt, true, gt + 1));
    }
    let close = format!("</{tag}>");
    let end = find_from(xml, gt + 1, close.as_bytes())? + close.len();
    Some((start, gt, false, end))
}

fn pick<T: Copy>(items: &[T], i: Index) -> Option<T> {
    (!items.is_empty()).then(|| items[i.index(items.len())])
}

fn at_offset(len: usize, i: Index) -> usize {
    i.index(len + 1)
}

fn splice(data: &mut Vec<u8>, range: std::ops::Range<usize>, with: &[u8]) {
    data.splice(range, with.iter().copied());
}

/// The most bytes one `Repeat` edit adds.
const MAX_REPEATED_BYTES: usize = 4 << 20;

fn apply_xml(xml: &mut Vec<u8>, edit: &XmlEdit) {
    let tag_of = |i: Index| TAGS[i.index(TAGS.len())];
    let attr_value = |attr: Index, own: Option<Index>, value: &str| {
        let (name, list) = ATTRS[attr.index(ATTRS.len())];
        let value = match own {
            Some(i) => list[i.index(list.len())].to_string(),
            None => value.to_string(),
        };
        (name, value)
    };
    match edit {
        XmlEdit::Text {
            tag,
            which,
            value,
            escape,
        } => {
            let tag = tag_of(*tag);
            let Some(start) = pick(&element_starts(xml, tag), *which) else {
                return;
            };
            let Some((_, gt, closed, end)) = element_at(xml, tag, start) else {
                return;
            };
            let text = escaped(value, *escape);
            if closed {
                let with = format!(">{text}</{tag}>");
                splice(xml, gt - 1..gt + 1, with.as_bytes());
            } else {
                let content_end = end - tag.len() - 3;
                splice(xml, gt + 1..content_end, text.as_bytes());
            }
        }
        XmlEdit::Attr {
            attr,
            which,
            own,
            value,
            escape,
        } => {
            let (name, value) = attr_value(*attr, *own, value);
            let key = format!(" {name}=\"");
            let Some(at) = pick(&find_all(xml, key.as_bytes()), *which) else {
                return;
            };
            let from = at + key.len();
            let Some(to) = find_from(xml, from, b"\"") else {
                return;
            };
            splice(xml, from..to, escaped(&value, *escape).as_bytes());
        }
        XmlEdit::AddAttr {
            tag,
            which,
            attr,
            own,
            value,
        } => {
            let tag = tag_of(*tag);
            let (name, value) = attr_value(*attr, *own, value);
            let Some(start) = pick(&element_starts(xml, tag), *which) else {
                return;
            };
            let at = start + 1 + tag.len();
            let text = format!(" {name}=\"{}\"", escaped(&value, true));
            splice(xml, at..at, text.as_bytes());
        }
        XmlEdit::Delete { tag, which } => {
            let tag = tag_of(*tag);
            if let Some(start) = pick(&element_starts(xml, tag), *which)
                && let Some((s, _, _, e)) = element_at(xml, tag, start)
            {
                splice(xml, s..e, &[]);
            }
        }
        XmlEdit::Repeat { tag, which, times } => {
            let tag = tag_of(*tag);
            if let Some(start) = pick(&element_starts(xml, tag), *which)
                && let Some((s, _, _, e)) = element_at(xml, tag, start)
            {
                // At most a few MB more, so a case stays a test of the
                // reader's logic rather than of the debug build's speed.
                let times = usize::from(*times).min(MAX_REPEATED_BYTES / (e - s).max(1));
                let copy = xml[s..e].repeat(times);
                splice(xml, e..e, &copy);
            }
        }
        XmlEdit::Move { tag, which, to } => {
            let tag = tag_of(*tag);
            if let Some(start) = pick(&element_starts(xml, tag), *which)
                && let Some((s, _, _, e)) = element_at(xml, tag, start)
            {
                let element: Vec<u8> = xml.drain(s..e).collect();
                // Only to the start of another tag, so the move is of an
                // element among elements.
                let starts = find_all(xml, b"<");
                let at = pick(&starts, *to).unwrap_or(xml.len());
                splice(xml, at..at, &element);
            }
        }
        XmlEdit::Insert { at, value } => {
            let at = at_offset(xml.len(), *at);
            splice(xml, at..at, value.as_bytes());
        }
        XmlEdit::Cut { at } => {
            let at = at_offset(xml.len(), *at);
            xml.truncate(at);
        }
    }
}

fn apply_bytes(bytes: &mut Vec<u8>, edit: &ByteEdit) {
    match edit {
        ByteEdit::Flip { at, bit } => {
            if !bytes.is_empty() {
                let i = at.index(bytes.len());
                bytes[i] ^= 1 << bit;
            }
        }
        ByteEdit::Set { at, bytes: with } => {
            if !bytes.is_empty() {
                let i = at.index(bytes.len());
                let end = (i + with.len()).min(bytes.len());
                bytes[i..end].copy_from_slice(&with[..end - i]);
            }
        }
        ByteEdit::Insert { at, bytes: with } => {
            let i = at_offset(bytes.len(), *at);
            splice(bytes, i..i, with);
        }
        ByteEdit::Remove { at, len } => {
            let i = at_offset(bytes.len(), *at);
            let end = (i + usize::from(*len)).min(bytes.len());
            bytes.drain(i..end);
        }
    }
}

/// Members whose XML holds cells.
fn is_cells_member(name: &str) -> bool {
    name.starts_with("xl/worksheets/") || name == "xl/sharedStrings.xml" || name == "content.xml"
}

/// What changed between two versions of a member, for a failure's message:
/// the first difference with some context either side, cut short.
fn describe_change(member: &str, old: &[u8], new: &[u8]) -> String {
    let first = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let same_tail = old[first..]
        .iter()
        .rev()
        .zip(new[first..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let show = |b: &[u8], end: usize| {
        let from = first.saturating_sub(40);
        let text = String::from_utf8_lossy(&b[from..end]);
        let shown: String = text.chars().take(300).collect();
        let more = text.chars().count().saturating_sub(300);
        if more > 0 {
            format!("{shown:?}... ({more} more characters)")
        } else {
            format!("{shown:?}")
        }
    };
    format!(
        "{member} at byte {first}: {} -> {}",
        show(old, old.len() - same_tail),
        show(new, new.len() - same_tail)
    )
}

/// The workbook a mutation makes: its name (the seed's, for the extension),
/// its bytes, and a description of each change made. `None` when the zip
/// writer refuses the result (a name it will not write).
fn build_logged(m: &Mutation) -> Option<(String, Vec<u8>, Vec<String>)> {
    let mut log = Vec::new();
    let seeds = corpus();
    let seed = |i: &Index| &seeds[i.index(seeds.len())];
    // The zip seeds, the one or few `.ods` among them repeated so that
    // about a quarter of the structured cases are OpenDocument.
    let zip_seed = |i: &Index| -> Option<&Seed> {
        let zips: Vec<&Seed> = seeds.iter().filter(|s| s.members.is_some()).collect();
        if zips.is_empty() {
            return None;
        }
        let ods: Vec<&Seed> = zips
            .iter()
            .copied()
            .filter(|s| s.name.ends_with(".ods"))
            .collect();
        let mut pool = zips.clone();
        if !ods.is_empty() {
            for _ in 0..zips.len() / (3 * ods.len()) {
                pool.extend(&ods);
            }
        }
        Some(pool[i.index(pool.len())])
    };
    match m {
        Mutation::Seed { seed: s } => {
            let s = seed(s);
            Some((s.name.clone(), s.bytes.clone(), log))
        }
        Mutation::Bytes { seed: s, edits } => {
            let s = seed(s);
            let mut bytes = s.bytes.clone();
            for e in edits {
                apply_bytes(&mut bytes, e);
            }
            Some((s.name.clone(), bytes, log))
        }
        Mutation::Truncate { seed: s, at } => {
            let s = seed(s);
            let at = at_offset(s.bytes.len(), *at);
            Some((s.name.clone(), s.bytes[..at].to_vec(), log))
        }
        Mutation::Splice { a, b, cut_a, cut_b } => {
            let (a, b) = (seed(a), seed(b));
            let mut bytes = a.bytes[..at_offset(a.bytes.len(), *cut_a)].to_vec();
            bytes.extend_from_slice(&b.bytes[cut_b.index(b.bytes.len())..]);
            log.push(format!(
                "{} then {} from byte {}",
                a.name,
                b.name,
                cut_b.index(b.bytes.len())
            ));
            Some((a.name.clone(), bytes, log))
        }
        Mutation::Xml {
            seed: s,
            member,
            prefer_cells,
            edits,
            deflate,
            then,
        } => {
            let s = zip_seed(s)?;
            let mut members = s.members.clone()?;
            let candidates: Vec<usize> = (0..members.len())
                .filter(|&i| !prefer_cells || is_cells_member(&members[i].name))
                .collect();
            let i = pick(&candidates, *member)?;
            for e in edits {
                let before = members[i].data.clone();
                apply_xml(&mut members[i].data, e);
                if before != members[i].data {
                    log.push(describe_change(&members[i].name, &before, &members[i].data));
                }
            }
            let mut bytes = rezip(&members, *deflate)?;
            for e in then {
                apply_bytes(&mut bytes, e);
            }
            Some((s.name.clone(), bytes, log))
        }
        Mutation::Package {
            seed: s,
            edits,
            deflate,
        } => {
            let s = zip_seed(s)?;
            let mut members = s.members.clone()?;
            for e in edits {
                let shown: String = format!("{e:?}").chars().take(200).collect();
                log.push(shown);
                match e {
                    PackageEdit::Drop { which } if !members.is_empty() => {
                        members.remove(which.index(members.len()));
                    }
                    PackageEdit::Rename { which, to } if !members.is_empty() => {
                        let n = members.len();
                        members[which.index(n)].name = to.clone();
                    }
                    PackageEdit::Copy { which, to } if !members.is_empty() => {
                        let mut copy = members[which.index(members.len())].clone();
                        copy.name = to.clone();
                        members.push(copy);
                    }
                    PackageEdit::Add { name, value } => members.push(Member {
                        name: name.clone(),
                        data: value.clone().into_bytes(),
                    }),
                    PackageEdit::Reverse => members.reverse(),
                    _ => {}
                }
            }
            Some((s.name.clone(), rezip(&members, *deflate)?, log))
        }
    }
}

// ---------------------------------------------------------------------------
// The pipeline and the property

/// The settings a case is read and reconciled with: the defaults, or a
/// council's other choices of period and week start.
fn settings(choice: u8) -> Settings {
    let mut s = Settings::default();
    match choice % 4 {
        1 => s.period_weeks = 4,
        2 => {
            s.period_weeks = 53;
            s.week_start = chrono::Weekday::Sun;
        }
        3 => s.period_weeks = 1,
        _ => {}
    }
    s
}

/// Everything `reconcile`, `check` and `export` do with one workbook's bytes.
/// Panics (the property's failure) on a writer's error.
fn pipeline(name: &str, bytes: &[u8], settings: &Settings) {
    let (submission, findings) = yourchoice::read::read_submission(name, bytes, settings);
    let result = engine::reconcile(&submission, findings.clone(), settings);
    // The same file twice in one run: a duplicate submission, both refused.
    let run = engine::reconcile_all(
        [(&submission, findings.clone()), (&submission, findings)],
        settings,
    );
    write::json::to_line(&result).expect("the JSON line");
    let _ = write::table::render(&result, write::Show::default(), None);
    let _ = write::table::render_run(&run.totals, None);
    let _ = write::check::render(&result, write::Show::default(), None);
    write::check::to_json_line(&result).expect("check's JSON line");
    for kind in [
        ExportKind::Payments,
        ExportKind::Invoices,
        ExportKind::Refunds,
        ExportKind::Referrals,
        ExportKind::Remittance,
    ] {
        let settings = yourchoice::engine::Settings::default();
        let frame = write::export::Frame {
            kind,
            settings: &settings,
            date: chrono::NaiveDate::from_ymd_opt(2026, 8, 4).expect("a date"),
        };
        let lines = write::export::from_returns(&frame, std::slice::from_ref(&result));
        for profile in [
            yourchoice::model::export::Profile::plain(),
            yourchoice::model::export::Profile::oracle_payables(),
        ] {
            write::export::render(&profile, kind, &lines, "").expect("an export");
        }
    }
    write::summary::build(&run)
        .and_then(|mut wb| wb.save_to_buffer())
        .expect("the council's summary");
    if submission.opened {
        let audit = report::Audit {
            input_name: name,
            sha256: yourchoice::base::digest::sha256_hex(bytes),
            settings,
            run_at: Utc.with_ymd_and_hms(2026, 7, 20, 9, 0, 0).unwrap(),
            ledger: Vec::new(),
        };
        report::build(&submission, &result, &audit, None, report::excel_rows())
            .and_then(|mut wb| wb.save_to_buffer())
            .expect("the report workbook");
    }
}

/// Run one case, timed; write its bytes to `FUZZ_LAST` first if set.
/// A panic is reported with `log` (what the mutation changed) and re-raised.
fn run_case(name: &str, bytes: &[u8], settings: &Settings, log: &[String]) -> Duration {
    if let Ok(path) = std::env::var("FUZZ_LAST") {
        let _ = std::fs::write(path, bytes);
    }
    let started = Instant::now();
    let outcome = std::panic::catch_unwind(|| pipeline(name, bytes, settings));
    if let Err(panic) = outcome {
        eprintln!(
            "panicked on {name} ({} bytes, settings {}):\n  {}",
            bytes.len(),
            settings.period_weeks,
            log.join("\n  ")
        );
        std::panic::resume_unwind(panic);
    }
    started.elapsed()
}

/// A case that took more than half its time (`None`: that did not finish):
/// said on stderr, and with `FUZZ_SAVE` set saved in that folder, so that
/// it is not lost if shrinking it takes long.
fn slow_case(name: &str, bytes: &[u8], took: Option<Duration>, log: &[String]) {
    eprintln!(
        "SLOW: {name}, {} bytes, took {took:?}:\n  {}",
        bytes.len(),
        log.join("\n  ")
    );
    if let Ok(dir) = std::env::var("FUZZ_SAVE") {
        let path = PathBuf::from(dir).join(format!("slow-{}-{}", std::process::id(), name));
        let _ = std::fs::write(path, bytes);
    }
}

/// [`run_case`] on a thread of its own, waited for at most `wait`: `None`
/// when it is still running then (a hang fails the case rather than the
/// whole test run; the thread is left behind). A panic is re-raised here.
fn run_case_waiting(
    name: &str,
    bytes: &[u8],
    settings: &Settings,
    log: &[String],
    wait: Duration,
) -> Option<Duration> {
    let (tx, rx) = std::sync::mpsc::channel();
    let (name, bytes, settings, log) = (name.to_string(), bytes.to_vec(), settings.clone(), log.to_vec());
    std::thread::spawn(move || {
        let outcome = std::panic::catch_unwind(|| run_case(&name, &bytes, &settings, &log));
        let _ = tx.send(outcome);
    });
    match rx.recv_timeout(wait) {
        Ok(Ok(took)) => Some(took),
        Ok(Err(panic)) => std::panic::resume_unwind(panic),
        Err(_) => None,
    }
}

proptest! {
    #![proptest_config(fuzz_support::config(2000))]

    /// Any mutation of any seed: no panic, every writer succeeds, and the
    /// whole pipeline finishes within `FUZZ_CASE_SECONDS`.
    #[test]
    fn any_workbook_is_read_and_written_without_panic_in_bounded_time(
        m in mutation(),
        choice in prop_oneof![5 => Just(0u8), 1 => 1u8..4],
    ) {
        fuzz_support::progress("fuzz_reader");
        let Some((name, bytes, log)) = build_logged(&m) else { return Ok(()) };
        let limit = Duration::from_secs(fuzz_support::env_number("FUZZ_CASE_SECONDS", 5));
        let took = run_case_waiting(&name, &bytes, &settings(choice), &log, 4 * limit);
        if took.is_none_or(|t| t >= limit / 2) {
            slow_case(&name, &bytes, took, &log);
        }
        prop_assert!(
            took.is_some_and(|t| t < limit),
            "{name}: {} bytes took {took:?} (None: still running after {:?}):\n  {}",
            bytes.len(),
            4 * limit,
            log.join("\n  ")
        );
    }
}

// ---------------------------------------------------------------------------
// The seeds themselves, and regressions found by fuzzing

/// Every seed goes through the pipeline as it is.
#[test]
fn every_seed_is_read_and_written() {
    for seed in corpus() {
        for choice in 0..4 {
            let wait = Duration::from_secs(60);
            let took = run_case_waiting(&seed.name, &seed.bytes, &settings(choice), &[], wait);
            assert!(took.is_some(), "{}: still running after {wait:?}", seed.name);
        }
    }
}

/// The XML edits do what they say on a small document.
#[test]
fn the_xml_edits_edit() {
    let doc = br#"<row r="1"><c r="A1" t="n"><v>1</v></c><c r="B1"/></row>"#;
    let mut xml = doc.to_vec();
    let tag = |name: &str| TAGS.iter().position(|t| *t == name).unwrap();
    use proptest::strategy::ValueTree;
    // An Index that picks item `i` of `of`.
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut index = |i: usize, of: usize| {
        loop {
            let x = any::<Index>().new_tree(&mut runner).unwrap().current();
            if x.index(of) == i {
                return x;
            }
        }
    };
    apply_xml(
        &mut xml,
        &XmlEdit::Text {
            tag: index(tag("v"), TAGS.len()),
            which: index(0, 1),
            value: "1e308".into(),
            escape: true,
        },
    );
    assert_eq!(
        xml,
        br#"<row r="1"><c r="A1" t="n"><v>1e308</v></c><c r="B1"/></row>"#.to_vec()
    );
    apply_xml(
        &mut xml,
        &XmlEdit::Text {
            tag: index(tag("c"), TAGS.len()),
            which: index(1, 2),
            value: "x".into(),
            escape: true,
        },
    );
    assert_eq!(
        xml,
        br#"<row r="1"><c r="A1" t="n"><v>1e308</v></c><c r="B1">x</c></row>"#.to_vec()
    );
    let r = ATTRS.iter().position(|(a, _)| *a == "r").unwrap();
    apply_xml(
        &mut xml,
        &XmlEdit::Attr {
            attr: index(r, ATTRS.len()),
            which: index(1, 3),
            own: None,
            value: "XFD1048576".into(),
            escape: false,
        },
    );
    assert_eq!(
        xml,
        br#"<row r="1"><c r="XFD1048576" t="n"><v>1e308</v></c><c r="B1">x</c></row>"#.to_vec()
    );
    apply_xml(
        &mut xml,
        &XmlEdit::Delete {
            tag: index(tag("c"), TAGS.len()),
            which: index(0, 2),
        },
    );
    assert_eq!(xml, br#"<row r="1"><c r="B1">x</c></row>"#.to_vec());
    apply_xml(
        &mut xml,
        &XmlEdit::Repeat {
            tag: index(tag("c"), TAGS.len()),
            which: index(0, 1),
            times: 2,
        },
    );
    assert_eq!(
        xml,
        br#"<row r="1"><c r="B1">x</c><c r="B1">x</c><c r="B1">x</c></row>"#.to_vec()
    );
}

/// Not a test: how far the mutations get (`cargo test --test it --
/// --ignored --nocapture mutation_reach`). Counts, over `FUZZ_CASES`
/// mutations, the cases refused unopened, opened with errors, and
/// reconciled, and the finding codes seen.
#[test]
#[ignore]
fn mutation_reach() {
    use proptest::strategy::ValueTree;
    use std::collections::BTreeMap;
    let mut runner = proptest::test_runner::TestRunner::default();
    let strategy = mutation();
    let mut outcome: BTreeMap<&str, u64> = BTreeMap::new();
    let mut codes: BTreeMap<String, u64> = BTreeMap::new();
    let settings = Settings::default();
    let mut slowest = (Duration::ZERO, String::new());
    let mut reader_panics: Vec<(String, String)> = Vec::new();
    let mut hangs: Vec<String> = Vec::new();
    for _ in 0..fuzz_support::env_number("FUZZ_CASES", 48) {
        let m = strategy.new_tree(&mut runner).unwrap().current();
        let Some((name, bytes, log)) = build_logged(&m) else {
            *outcome.entry("not built").or_default() += 1;
            continue;
        };
        // A case that does not finish: saved, and left running.
        let wait = Duration::from_secs(fuzz_support::env_number("FUZZ_CASE_SECONDS", 5) * 4);
        if run_case_waiting(&name, &bytes, &settings, &log, wait).is_none() {
            let saved = format!("/tmp/fuzz-hang-{}.bin", hangs.len());
            let _ = std::fs::write(&saved, &bytes);
            println!(
                "STILL RUNNING after {wait:?} on {name} (saved as {saved}):\n  {}",
                log.join("\n  ")
            );
            hangs.push(saved);
            continue;
        }
        let started = Instant::now();
        let read = std::panic::catch_unwind(|| {
            let (submission, findings) = yourchoice::read::read_submission(&name, &bytes, &settings);
            let result = engine::reconcile(&submission, findings, &settings);
            (submission, result)
        });
        let Ok((submission, result)) = read else {
            println!("PANIC on {name}:\n  {}", log.join("\n  "));
            *outcome.entry("panicked").or_default() += 1;
            continue;
        };
        let took = started.elapsed();
        if took > slowest.0 {
            slowest = (
                took,
                format!("{name}, {} bytes:\n  {}", bytes.len(), log.join("\n  ")),
            );
        }
        let kind = if !submission.opened {
            "not opened"
        } else if result.totals.is_some() {
            "reconciled"
        } else {
            "opened, rejected"
        };
        *outcome.entry(kind).or_default() += 1;
        // A panic inside calamine, caught by the reader: which mutation.
        for f in &result.findings {
            if let Some(at) = f.message.find("the workbook reader failed: ") {
                let why: String = f.message[at..].chars().take(100).collect();
                if reader_panics.len() < 12 && !reader_panics.iter().any(|(w, _)| *w == why) {
                    reader_panics.push((why, format!("{name}:\n    {}", log.join("\n    "))));
                }
            }
        }
        let mut seen: Vec<&str> = result.findings.iter().map(|f| f.code.as_str()).collect();
        seen.sort();
        seen.dedup();
        for c in seen {
            *codes.entry(c.to_string()).or_default() += 1;
        }
    }
    println!(
        "{outcome:#?}\n{codes:#?}\nslowest read + reconcile: {:?} on {}",
        slowest.0, slowest.1
    );
    for (why, case) in &reader_panics {
        println!("calamine panicked ({why}) on {case}");
    }
}

// ---------------------------------------------------------------------------
// Regressions: what fuzzing found, each minimised to one change of a seed.
// The workbooks are also in `tests/corpus/found-*` (written by
// `write_found_workbooks`), so the fuzzer mutates around them too.

fn seed_bytes(name: &str) -> Vec<u8> {
    std::fs::read(corpus_dir().join(name)).expect("seed")
}

/// A zip seed with the first `from` in one member replaced by `to`.
fn member_edited(seed: &str, member: &str, from: &str, to: &str) -> Vec<u8> {
    let mut members = unzip(&seed_bytes(seed)).expect("a zip seed");
    let m = members.iter_mut().find(|m| m.name == member).expect("member");
    let text = String::from_utf8(m.data.clone()).expect("XML");
    assert!(text.contains(from), "{member} of {seed} has no {from}");
    m.data = text.replacen(from, to, 1).into_bytes();
    rezip(&members, true).expect("zip")
}

/// Read and reconcile (and write everything, as every case does); the
/// submission and its findings' codes and messages.
fn outcome(name: &str, bytes: &[u8]) -> (bool, Vec<(String, String)>) {
    let settings = Settings::default();
    run_case(name, bytes, &settings, &[]);
    let (submission, findings) = yourchoice::read::read_submission(name, bytes, &settings);
    let result = engine::reconcile(&submission, findings, &settings);
    let findings = result
        .findings
        .iter()
        .map(|f| (f.code.as_str().to_string(), f.message.clone()))
        .collect();
    (submission.opened, findings)
}

/// Not opened, with one finding of `code` whose message has `words`.
fn assert_refused(name: &str, bytes: &[u8], code: &str, words: &str) {
    let (opened, findings) = outcome(name, bytes);
    assert!(!opened, "{name} was opened: {findings:?}");
    assert!(
        findings.iter().any(|(c, m)| c == code && m.contains(words)),
        "{name}: no {code} saying {words:?} in {findings:?}"
    );
}

/// Opened, without an unreadable-workbook or limit-exceeded finding.
fn assert_read(name: &str, bytes: &[u8]) {
    let (opened, findings) = outcome(name, bytes);
    assert!(opened, "{name} was not opened: {findings:?}");
    assert!(
        !findings
            .iter()
            .any(|(c, _)| c == "unreadable-workbook" || c == "limit-exceeded"),
        "{name}: {findings:?}"
    );
}

/// A cell of the Details sheet declared at row 4,294,967,300: calamine's
/// reference arithmetic overflowed (a panic in a debug build; in a release
/// build the row wrapped round to 4, so the cell's 99 was read as the rate
/// in B4). Found as `r="A4294967296"` in a sheet of `broken-date-header`.
fn past_the_last_row() -> Vec<u8> {
    member_edited(
        "worked-example.xlsx",
        "xl/worksheets/sheet1.xml",
        "</sheetData>",
        r#"<row r="4294967300"><c r="B4294967300" t="n"><v>99</v></c></row></sheetData>"#,
    )
}

/// The same with a column past `XFD`: 21 letters overflow the column.
fn past_the_last_column() -> Vec<u8> {
    member_edited(
        "worked-example.xlsx",
        "xl/worksheets/sheet1.xml",
        r#"<c r="B4" t="n">"#,
        r#"<c r="AAAAAAAAAAAAAAAAAAAAB4" t="n">"#,
    )
}

#[test]
fn a_cell_reference_past_the_sheet_is_refused_not_a_panic_nor_read_elsewhere() {
    for (name, bytes) in [
        ("past-the-last-row.xlsx", past_the_last_row()),
        ("past-the-last-column.xlsx", past_the_last_column()),
    ] {
        assert_refused(
            name,
            &bytes,
            "unreadable-workbook",
            "past the last cell of a sheet (XFD1048576)",
        );
    }
    // The last cell itself is a cell like any other: one stray value there
    // is read (and ignored), not refused.
    let last_cell = member_edited(
        "worked-example.xlsx",
        "xl/worksheets/sheet1.xml",
        "</sheetData>",
        r#"<row r="1048576"><c r="XFD1048576" t="n"><v>99</v></c></row></sheetData>"#,
    );
    assert_read("last-cell.xlsx", &last_cell);
}

/// A sheet whose declared dimension ends before it starts: calamine's
/// subtraction overflowed (a panic in a debug build). Found as
/// `<dimension ref="B3:A1"/>`-like edits of several seeds.
fn backwards_dimension() -> Vec<u8> {
    member_edited(
        "worked-example.xlsx",
        "xl/worksheets/sheet2.xml",
        r#"<dimension ref="A1:S3" />"#,
        r#"<dimension ref="S3:A1" />"#,
    )
}

#[test]
fn a_backwards_dimension_is_refused_not_a_panic() {
    assert_refused(
        "backwards-dimension.xlsx",
        &backwards_dimension(),
        "unreadable-workbook",
        "a range that ends before it starts",
    );
}

/// Shared strings that declare 4,294,967,295 strings and hold 140:
/// calamine set aside memory for all of them (103 GB), and the process
/// aborted. Found by the fuzzer's `uniqueCount` edits.
fn billions_of_shared_strings() -> Vec<u8> {
    member_edited(
        "example-provider.xlsx",
        "xl/sharedStrings.xml",
        r#"uniqueCount="140""#,
        r#"uniqueCount="4294967295""#,
    )
}

#[test]
fn shared_strings_declaring_billions_are_refused_not_an_abort() {
    assert_refused(
        "billions-of-strings.xlsx",
        &billions_of_shared_strings(),
        "unreadable-workbook",
        "declares 4294967295 shared strings but holds 140",
    );
    // A count that is merely wrong costs nothing: read as before.
    let off_by_one = member_edited(
        "example-provider.xlsx",
        "xl/sharedStrings.xml",
        r#"uniqueCount="140""#,
        r#"uniqueCount="141""#,
    );
    assert_read("off-by-one-strings.xlsx", &off_by_one);
}

/// The same, with the shared strings cut short after a few (at a `<`):
/// the part is not well-formed, so the first check, which judged the count
/// at the end of the part, never got there, while calamine had set aside
/// the memory (103 GB) on reading the count, and the process aborted.
/// Found by the long run, cutting the member of the workbook above.
fn billions_of_shared_strings_cut_short() -> Vec<u8> {
    let mut members = unzip(&billions_of_shared_strings()).expect("zip");
    let m = members
        .iter_mut()
        .find(|m| m.name == "xl/sharedStrings.xml")
        .expect("shared strings");
    m.data.truncate(2388);
    assert!(m.data.ends_with(b"<si><t>P0013<"));
    rezip(&members, false).expect("zip")
}

#[test]
fn shared_strings_declaring_billions_then_cut_short_are_refused_not_an_abort() {
    assert_refused(
        "billions-of-strings-cut-short.xlsx",
        &billions_of_shared_strings_cut_short(),
        "unreadable-workbook",
        "declares 4294967295 shared strings but holds 71",
    );
}

/// The rate cell given a formula shared over B4:B5 as shared formula
/// number 4,294,967,295: calamine set a place aside for every shared
/// formula up to that number (172 GB) and the process aborted. Found
/// reading calamine while looking for the source of a caught overflow.
fn shared_formula_numbered_in_billions() -> Vec<u8> {
    member_edited(
        "worked-example.xlsx",
        "xl/worksheets/sheet1.xml",
        r#"<c r="B4" t="n"><v>24</v></c>"#,
        r#"<c r="B4" t="n"><f t="shared" ref="B4:B5" si="4294967295">1+1</f><v>24</v></c>"#,
    )
}

/// The same formula's range ending past column XFD: calamine's arithmetic
/// on it overflowed (a panic in a debug build).
fn shared_formula_past_the_sheet() -> Vec<u8> {
    member_edited(
        "worked-example.xlsx",
        "xl/worksheets/sheet1.xml",
        r#"<c r="B4" t="n"><v>24</v></c>"#,
        r#"<c r="B4" t="n"><f t="shared" ref="B4:AAAAAAAAAAAAAAAAAAAAAA5" si="0">1+1</f><v>24</v></c>"#,
    )
}

#[test]
fn a_shared_formula_numbered_in_billions_or_past_the_sheet_is_refused() {
    assert_refused(
        "shared-formula-billions.xlsx",
        &shared_formula_numbered_in_billions(),
        "unreadable-workbook",
        "numbers a shared formula 4294967295, more than the cells a sheet may hold",
    );
    assert_refused(
        "shared-formula-past-the-sheet.xlsx",
        &shared_formula_past_the_sheet(),
        "unreadable-workbook",
        "past the last cell of a sheet (XFD1048576)",
    );
    // A shared formula as a spreadsheet writes one is read as before.
    let ordinary = member_edited(
        "worked-example.xlsx",
        "xl/worksheets/sheet1.xml",
        r#"<c r="B4" t="n"><v>24</v></c>"#,
        r#"<c r="B4" t="n"><f t="shared" ref="B4:B5" si="0">12*2</f><v>24</v></c>"#,
    );
    assert_read("shared-formula.xlsx", &ordinary);
}

// The `.ods` seed.

/// `case1000.ods` with its `content.xml` changed by `edit`.
fn ods_content_edited(edit: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut members = unzip(&seed_bytes("case1000.ods")).expect("a zip seed");
    let content = members
        .iter_mut()
        .find(|m| m.name == "content.xml")
        .expect("content.xml");
    edit(&mut content.data);
    rezip(&members, true).expect("zip")
}

/// `content.xml` cut after the second row of the Hours sheet: calamine's
/// loop over a sheet's rows never met the sheet's end, and read the end of
/// the file for ever (a 13 KB file, a hang). Found by the long run, as a
/// `Cut` edit of `case1000.ods`.
fn ods_cut_inside_a_sheet() -> Vec<u8> {
    ods_content_edited(|c| {
        c.truncate(6755);
        assert!(c.ends_with(b"</table:table-row>"));
    })
}

/// `content.xml` ending inside a cell's note (`office:annotation`): the
/// same loop for ever, in calamine's reading of a note.
fn ods_cut_inside_a_note() -> Vec<u8> {
    ods_content_edited(|c| {
        let cell = br#"<table:table-cell office:value-type="string" calcext:value-type="string">"#;
        let at = find_all(c, cell)[30] + cell.len();
        c.truncate(at);
        c.extend_from_slice(b"<office:annotation><text:p>A note</text:p>");
    })
}

/// A trillion spaces in one cell: 500 runs of 2,147,483,647
/// (`<text:s text:c="2147483647"/>`, the most calamine parses): calamine
/// built them, a space at a time, until memory ran out (the process
/// aborted). Found reading calamine's `.ods` reader while minimising the
/// hang above.
fn ods_trillion_spaces() -> Vec<u8> {
    ods_content_edited(|c| {
        let name = b"<text:p>Person 0</text:p>";
        let at = find_all(c, name)[0];
        let runs = r#"<text:s text:c="2147483647"/>"#.repeat(500);
        let with = format!("<text:p>Person{runs}0</text:p>");
        c.splice(at..at + name.len(), with.bytes());
    })
}

/// Read `bytes` on another thread, failing if it takes more than a minute:
/// a regression of a hang fails instead of hanging the test run.
fn outcome_within_a_minute(name: &'static str, bytes: Vec<u8>) -> (bool, Vec<(String, String)>) {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(outcome(name, &bytes));
    });
    rx.recv_timeout(Duration::from_secs(60))
        .unwrap_or_else(|_| panic!("{name}: still reading after a minute"))
}

#[test]
fn an_ods_cut_short_inside_a_sheet_or_a_note_is_refused_not_a_hang() {
    for (name, bytes) in [
        ("cut-inside-a-sheet.ods", ods_cut_inside_a_sheet()),
        ("cut-inside-a-note.ods", ods_cut_inside_a_note()),
    ] {
        let (opened, findings) = outcome_within_a_minute(name, bytes);
        assert!(!opened, "{name}: {findings:?}");
        assert!(
            findings.iter().any(|(c, m)| c == "unreadable-workbook"
                && m.contains("its content.xml is cut short: it ends inside an element")),
            "{name}: {findings:?}"
        );
    }
}

#[test]
fn a_trillion_spaces_in_an_ods_cell_are_refused_not_an_abort() {
    assert_refused(
        "trillion-spaces.ods",
        &ods_trillion_spaces(),
        "limit-exceeded",
        "its cells' runs of spaces expand to more than 256 MB",
    );
    // A few spaces, as LibreOffice writes them, are read as before.
    let few = ods_content_edited(|c| {
        let name = b"<text:p>Person 0</text:p>";
        let at = find_all(c, name)[0];
        let with = br#"<text:p>Person<text:s text:c="3"/>0</text:p>"#;
        c.splice(at..at + name.len(), with.iter().copied());
    });
    assert_read("few-spaces.ods", &few);
}

// The `.xls` seed, patched where its structures are.

/// `case1001.xls` with `patch` applied at byte offsets found in it.
fn xls_patched(patch: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut bytes = seed_bytes("case1001.xls");
    patch(&mut bytes);
    bytes
}

fn put_u16(b: &mut [u8], at: usize, v: u16) {
    b[at..at + 2].copy_from_slice(&v.to_le_bytes());
}

fn put_u32(b: &mut [u8], at: usize, v: u32) {
    b[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

fn get_u32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap())
}

/// Where the Hours sheet's DIMENSIONS record's fields start (its second).
fn hours_dimensions(b: &[u8]) -> usize {
    find_all(b, &[0x00, 0x02, 0x0E, 0x00])[1] + 4
}

/// The compound file's 512-byte sectors: (directory's first sector, FAT's
/// first sector offset, the `Workbook` entry's offset).
fn xls_layout(b: &[u8]) -> (u32, usize, usize) {
    let dir_start = get_u32(b, 48);
    let fat = 512 + get_u32(b, 76) as usize * 512;
    let dirs = 512 + dir_start as usize * 512;
    let workbook = (0..4)
        .map(|i| dirs + i * 128)
        .find(|&e| {
            b[e..e + 16]
                == *"Workbook"
                    .encode_utf16()
                    .flat_map(u16::to_le_bytes)
                    .collect::<Vec<u8>>()
        })
        .expect("a Workbook entry");
    (dir_start, fat, workbook)
}

/// A DIMENSIONS record of 4,294,967,295 rows by 65,535 columns: calamine
/// set aside room for every cell (11 PB) and the process aborted.
fn xls_huge_dimensions() -> Vec<u8> {
    xls_patched(|b| {
        let at = hours_dimensions(b);
        put_u32(b, at, 0);
        put_u32(b, at + 4, u32::MAX);
        put_u16(b, at + 8, 0);
        put_u16(b, at + 10, u16::MAX);
    })
}

/// A DIMENSIONS record whose last row (4) is before its first (100):
/// calamine's subtraction overflowed (a panic in a debug build; wrapped, a
/// reservation of billions of cells and an abort in a release build).
fn xls_backwards_dimensions() -> Vec<u8> {
    xls_patched(|b| {
        let at = hours_dimensions(b);
        put_u32(b, at, 100);
        put_u32(b, at + 4, 5);
    })
}

/// One number moved to row 65,536, column 65,536 (the record's fields are
/// 16-bit, though a sheet has 256 columns): calamine laid the sheet out as
/// a dense grid of 4.3 billion cells (137 GB) and the process aborted.
fn xls_far_cell() -> Vec<u8> {
    xls_patched(|b| {
        let at = find_all(b, &[0x03, 0x02, 0x0E, 0x00]).pop().unwrap() + 4;
        put_u16(b, at, u16::MAX);
        put_u16(b, at + 2, u16::MAX);
    })
}

/// The far cell's file cut short inside its directory sector: calamine
/// pads what it read of a sector with zeros, so the sector after it (the
/// mini stream's table) read as empty rather than failing, and calamine
/// went on to lay out the far cell's grid (137 GB) and the process
/// aborted; the first check took the short sector for calamine's error.
/// Found by the long run, truncating `found-far-cell.xls`.
fn xls_far_cell_cut_short() -> Vec<u8> {
    let mut bytes = xls_far_cell();
    bytes.truncate(9_984);
    bytes
}

/// One number moved to column 20,001 (a record's column is 16-bit): within
/// the cells a grid may span, so read, but past the last column a sheet
/// has (XFD, 16,384), and the report failed with `RowColumnLimitError`.
/// Found by the long run on the `.xls` seeds (a byte overwrite).
fn xls_cell_past_the_last_column() -> Vec<u8> {
    xls_patched(|b| {
        let at = find_all(b, &[0x03, 0x02, 0x0E, 0x00]).pop().unwrap() + 4;
        put_u16(b, at + 2, 20_000);
    })
}

/// The directory's chain of sectors pointing back at itself: calamine
/// followed it for ever, gathering 512 bytes a turn until memory ran out.
fn xls_directory_loop() -> Vec<u8> {
    xls_patched(|b| {
        let (dir_start, fat, _) = xls_layout(b);
        put_u32(b, fat + 4 * dir_start as usize, dir_start);
    })
}

/// The `Workbook` stream's chain looping, and its length 4 GB: the same,
/// until 4 GB was gathered.
fn xls_stream_loop() -> Vec<u8> {
    xls_patched(|b| {
        let (_, fat, workbook) = xls_layout(b);
        let start = get_u32(b, workbook + 116);
        put_u32(b, workbook + 120, 0xFFFF_FFF0);
        put_u32(b, fat + 4 * start as usize, start);
    })
}

/// Every one of the header's 109 FAT slots naming the same sector: a FAT
/// larger than the file (in a large file, a way to make calamine gather
/// gigabytes of table).
fn xls_repeated_fat() -> Vec<u8> {
    xls_patched(|b| {
        let first = get_u32(b, 76);
        for i in 0..109 {
            put_u32(b, 76 + 4 * i, first);
        }
    })
}

/// The file cut short inside its directory: calamine sliced past the end
/// of what it had read (`slice index starts at 9216 but ends at 9188`), a
/// panic in every build. Found by splicing and truncating the `.xls` seed.
fn xls_cut_short() -> Vec<u8> {
    xls_patched(|b| b.truncate(9_700))
}

#[test]
fn an_xls_that_made_the_reader_loop_or_abort_is_refused() {
    assert_refused(
        "huge-dimensions.xls",
        &xls_huge_dimensions(),
        "limit-exceeded",
        "one of its sheets spans more than 5000000 cells",
    );
    assert_refused(
        "far-cell.xls",
        &xls_far_cell(),
        "limit-exceeded",
        "one of its sheets spans more than 5000000 cells",
    );
    // The sheet is refused; the workbook was opened, so its report (which
    // `outcome` writes) is written, without the sheet.
    let (_, findings) = outcome("cell-past-the-last-column.xls", &xls_cell_past_the_last_column());
    assert!(
        findings.iter().any(|(c, m)| c == "unreadable-workbook"
            && m.contains("sheet \"Hours\": it holds a cell past the last cell of a sheet (XFD1048576)")),
        "{findings:?}"
    );
    assert_refused(
        "far-cell-cut-short.xls",
        &xls_far_cell_cut_short(),
        "limit-exceeded",
        "one of its sheets spans more than 5000000 cells",
    );
    assert_refused(
        "backwards-dimensions.xls",
        &xls_backwards_dimensions(),
        "unreadable-workbook",
        "a sheet's DIMENSIONS record ends before it starts",
    );
    for (name, bytes) in [
        ("directory-loop.xls", xls_directory_loop()),
        ("stream-loop.xls", xls_stream_loop()),
    ] {
        assert_refused(
            name,
            &bytes,
            "unreadable-workbook",
            "a chain of its sectors loops",
        );
    }
    assert_refused(
        "repeated-fat.xls",
        &xls_repeated_fat(),
        "unreadable-workbook",
        "its sector table is larger than the file",
    );
    // The seed itself, and a cell moved to the last of a sheet's 256
    // columns, are read as before.
    assert_read("case1001.xls", &seed_bytes("case1001.xls"));
    let last_column = xls_patched(|b| {
        let at = find_all(b, &[0x03, 0x02, 0x0E, 0x00]).pop().unwrap() + 4;
        put_u16(b, at + 2, 255);
    });
    assert_read("last-column.xls", &last_column);
}

/// Found by a long release-build run (the fuzzer's own bytes, kept as
/// `tests/corpus/found-xls-then-zip.xls`): a file that begins as an Excel
/// 97-2003 file whose sectors calamine cannot follow, and ends with a zip
/// package whose shared formula is numbered 4294967295. calamine's
/// automatic opening, failing the `.xls`, read the zip its checks never saw
/// and asked for 171 GB (an abort). It is opened as what its first bytes
/// say, only.
#[test]
fn a_file_that_is_an_xls_and_a_zip_is_read_as_the_xls_only() {
    let bytes = seed_bytes("found-xls-then-zip.xls");
    assert_refused(
        "found-xls-then-zip.xls",
        &bytes,
        "unreadable-workbook",
        "could not be opened as a workbook",
    );
}

#[test]
fn an_xls_the_reader_panics_on_is_unreadable_not_a_crash() {
    assert_refused(
        "cut-short.xls",
        &xls_cut_short(),
        "unreadable-workbook",
        "the workbook reader failed",
    );
}

/// The workbooks above, as committed in `tests/corpus/` (run with
/// `--ignored` to write them again).
fn found_workbooks() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("found-past-the-last-row.xlsx", past_the_last_row()),
        ("found-past-the-last-column.xlsx", past_the_last_column()),
        ("found-backwards-dimension.xlsx", backwards_dimension()),
        (
            "found-billions-of-shared-strings.xlsx",
            billions_of_shared_strings(),
        ),
        (
            "found-billions-of-shared-strings-cut-short.xlsx",
            billions_of_shared_strings_cut_short(),
        ),
        (
            "found-shared-formula-numbered-in-billions.xlsx",
            shared_formula_numbered_in_billions(),
        ),
        (
            "found-shared-formula-past-the-sheet.xlsx",
            shared_formula_past_the_sheet(),
        ),
        ("found-cut-inside-a-sheet.ods", ods_cut_inside_a_sheet()),
        ("found-cut-inside-a-note.ods", ods_cut_inside_a_note()),
        ("found-trillion-spaces.ods", ods_trillion_spaces()),
        ("found-huge-dimensions.xls", xls_huge_dimensions()),
        ("found-backwards-dimensions.xls", xls_backwards_dimensions()),
        ("found-far-cell.xls", xls_far_cell()),
        ("found-far-cell-cut-short.xls", xls_far_cell_cut_short()),
        (
            "found-cell-past-the-last-column.xls",
            xls_cell_past_the_last_column(),
        ),
        ("found-directory-loop.xls", xls_directory_loop()),
        ("found-stream-loop.xls", xls_stream_loop()),
        ("found-repeated-fat.xls", xls_repeated_fat()),
        ("found-cut-short.xls", xls_cut_short()),
    ]
}

#[test]
#[ignore]
fn write_found_workbooks() {
    for (name, bytes) in found_workbooks() {
        std::fs::write(corpus_dir().join(name), bytes).unwrap();
    }
}

/// Each found workbook is in the corpus (the zip ones as this build of the
/// zip writer makes them, so those are compared by being refused alike).
#[test]
fn the_found_workbooks_are_in_the_corpus() {
    for (name, bytes) in found_workbooks() {
        let committed = std::fs::read(corpus_dir().join(name))
            .unwrap_or_else(|_| panic!("tests/corpus/{name} is missing: run write_found_workbooks"));
        if name.ends_with(".xls") {
            assert_eq!(committed, bytes, "{name}");
        } else {
            assert_eq!(
                outcome_within_a_minute(name, committed),
                outcome_within_a_minute(name, bytes),
                "{name}"
            );
        }
    }
}
