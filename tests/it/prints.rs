//! Every workbook the tool writes prints on A4 whatever fonts the machine
//! has (issue 26), checked from the sheets' XML without a spreadsheet: each
//! wrapped cell's row is tall enough for its lines, each text cell next to
//! another fits its column, and each sheet prints one page wide at 70% or
//! more, or in pages of whole columns at 70% or more, as a fallback font
//! (4/3 as wide as Calibri) lays it out.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use yourchoice::write::formats::{
    READABLE_SCALE, lines_height, printed_pixels, text_pixels, widest_word, width_for, wrapped_lines,
};

use crate::common::bin::yourchoice;
use crate::common::files::{example, root};
use crate::common::package::members;

/// Run the binary with `args` in the repository's folder; it must succeed
/// (exit 0 or 1: 1 is "findings to act on").
fn run(args: &[&str]) {
    let out = yourchoice().current_dir(root()).args(args).output().unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every workbook the tool writes, from the example data.
fn workbooks(dir: &Path) -> Vec<PathBuf> {
    let out = |name: &str| dir.join(name).to_str().unwrap().to_string();
    let council = [
        "examples/council/bro-morgannwg.xlsx",
        "examples/council/cwm-taf-care.xlsx",
        "examples/council/penarth-homecare.xlsx",
        "--council",
        "examples/council/council.toml",
    ];
    let provider = example("provider.xlsx");
    let provider = provider.to_str().unwrap();
    run(&["reconcile", provider, "-o", &out("report.xlsx"), "--quiet"]);
    let mut args = vec!["reconcile"];
    args.extend(council);
    let (reports, summary) = (out("reports"), out("summary.xlsx"));
    args.extend([
        "--decisions",
        "examples/council/decisions.csv",
        "-o",
        &reports,
        "--summary",
        &summary,
        "--quiet",
    ]);
    run(&args);
    run(&[
        "monitor",
        "examples/return-week-8.xlsx",
        "--as-of",
        "2026-05-31",
        "-o",
        &out("monitor.xlsx"),
    ]);
    run(&[
        "template",
        "--provider-ref",
        "SUP00123",
        "--provider-name",
        "Example Care Ltd",
        "--period-start",
        "2026-04-06",
        "--rate",
        "24.85",
        "-o",
        &out("template.xlsx"),
    ]);
    let mut args = vec!["decisions"];
    args.extend(council);
    let decisions = out("decisions.xlsx");
    args.extend(["-o", &decisions]);
    run(&args);
    run(&[
        "spot-check",
        provider,
        "--sample",
        "6",
        "--seed",
        "7",
        "-o",
        &out("spot.xlsx"),
    ]);
    let rejected = example("return-with-error.xlsx");
    run(&[
        "reconcile",
        rejected.to_str().unwrap(),
        "-o",
        &out("rejected.xlsx"),
        "--quiet",
    ]);
    [
        "report",
        "summary",
        "monitor",
        "template",
        "decisions",
        "spot",
        "rejected",
    ]
    .iter()
    .map(|n| dir.join(format!("{n}.xlsx")))
    .collect()
}

/// `name="value"` of an element's text.
fn attr<'a>(element: &'a str, name: &str) -> Option<&'a str> {
    let at = element.find(&format!(" {name}=\""))? + name.len() + 3;
    Some(&element[at..at + element[at..].find('"')?])
}

/// Each element `<tag ...>` (or `<tag .../>`) of `xml`, its start tag.
fn elements<'a>(xml: &'a str, tag: &str) -> Vec<&'a str> {
    let open = format!("<{tag} ");
    xml.match_indices(&open)
        .map(|(at, _)| &xml[at..at + xml[at..].find('>').unwrap() + 1])
        .collect()
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The text of every `<t>` in `xml`, joined.
fn texts(xml: &str) -> String {
    let mut out = String::new();
    for (at, _) in xml.match_indices("<t") {
        let rest = &xml[at..];
        if !(rest.starts_with("<t>") || rest.starts_with("<t ")) {
            continue;
        }
        let start = rest.find('>').unwrap() + 1;
        out += &unescape(&rest[start..rest.find("</t>").unwrap()]);
    }
    out
}

/// `A1` as (row, column), 0-based.
fn cell_at(reference: &str) -> (u32, u32) {
    let letters: String = reference.chars().take_while(char::is_ascii_alphabetic).collect();
    let col = letters
        .bytes()
        .fold(0u32, |n, b| n * 26 + u32::from(b - b'A' + 1))
        - 1;
    (reference[letters.len()..].parse::<u32>().unwrap() - 1, col)
}

/// A cell format: wraps, indented.
#[derive(Clone, Copy, Default)]
struct Xf {
    wrap: bool,
    indent: bool,
}

fn cell_formats(styles: &str) -> Vec<Xf> {
    let xfs = &styles[styles.find("<cellXfs").unwrap()..styles.find("</cellXfs>").unwrap()];
    xfs.split("<xf ")
        .skip(1)
        .map(|xf| {
            let xf = &xf[..xf.find("</xf>").unwrap_or(xf.len())];
            Xf {
                wrap: xf.contains("wrapText=\"1\""),
                indent: xf.contains("indent=\""),
            }
        })
        .collect()
}

struct Sheet {
    name: String,
    xml: String,
    /// The columns repeated at the left of each printed page.
    repeat_cols: usize,
    /// The columns printed, from column A, where a print area limits them.
    print_cols: Option<usize>,
}

/// The columns of a sheet's print area (`'People'!$A$1:$G$2`), from column A.
fn print_area_columns(workbook: &str, sheet: usize) -> Option<usize> {
    let tag = format!("<definedName name=\"_xlnm.Print_Area\" localSheetId=\"{sheet}\">");
    let at = workbook.find(&tag)?;
    let area = &workbook[at + tag.len()..];
    let area = &area[..area.find("</definedName>")?];
    let last = area.rsplit(':').next()?.replace('$', "");
    Some(cell_at(&last).1 as usize + 1)
}

/// The columns `$A:$B` of a sheet's print titles (`'People'!$A:$B,...`).
fn repeated_columns(workbook: &str, sheet: usize) -> usize {
    let tag = format!("<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"{sheet}\">");
    let Some(at) = workbook.find(&tag) else { return 0 };
    let titles = &workbook[at + tag.len()..];
    let titles = &titles[..titles.find("</definedName>").unwrap()];
    titles
        .split(',')
        .filter_map(|t| t.split('!').nth(1))
        .find(|r| r.starts_with("$") && r[1..].starts_with(|c: char| c.is_ascii_alphabetic()))
        .map_or(0, |r| {
            cell_at(&format!("{}1", &r[r.find(':').unwrap() + 2..])).1 as usize + 1
        })
}

/// The sheets of a workbook, in order, with its cell formats and shared
/// strings.
fn sheets(path: &Path) -> (Vec<Sheet>, Vec<Xf>, Vec<String>) {
    let parts: HashMap<String, String> = members(&std::fs::read(path).unwrap())
        .into_iter()
        .map(|(n, b)| (n, String::from_utf8(b).unwrap()))
        .collect();
    let workbook = &parts["xl/workbook.xml"];
    let sheets = elements(workbook, "sheet")
        .iter()
        .enumerate()
        .map(|(i, s)| Sheet {
            name: unescape(attr(s, "name").unwrap()),
            xml: parts[&format!("xl/worksheets/sheet{}.xml", i + 1)].clone(),
            repeat_cols: repeated_columns(workbook, i),
            print_cols: print_area_columns(workbook, i),
        })
        .collect();
    let strings = parts
        .get("xl/sharedStrings.xml")
        .map(|x| x.split("<si>").skip(1).map(texts).collect())
        .unwrap_or_default();
    (sheets, cell_formats(&parts["xl/styles.xml"]), strings)
}

/// Column widths in characters (Excel's, without its padding), hidden
/// columns 0; columns without a `<col>` the default 8.43.
fn widths(xml: &str, columns: usize) -> Vec<f64> {
    let mut widths = vec![8.43; columns];
    for col in elements(xml, "col") {
        let min: usize = attr(col, "min").unwrap().parse().unwrap();
        let max: usize = attr(col, "max").unwrap().parse().unwrap();
        let width: f64 = attr(col, "width").unwrap().parse().unwrap();
        let hidden = attr(col, "hidden") == Some("1");
        for c in min..=max.min(columns) {
            // rust_xlsxwriter stores a width of w characters as w + 5/7 in
            // 256ths (18 as 18.7109375).
            widths[c - 1] = if hidden {
                0.0
            } else {
                ((width - 5.0 / 7.0) * 100.0).round().max(0.0) / 100.0
            };
        }
    }
    widths
}

/// The printable width of A4 within the sheet's margins, in pixels.
fn printable(xml: &str) -> f64 {
    let setup = elements(xml, "pageSetup")[0];
    let margins = elements(xml, "pageMargins");
    let side: f64 = margins.first().map_or(1.4, |m| {
        attr(m, "left").unwrap().parse::<f64>().unwrap() + attr(m, "right").unwrap().parse::<f64>().unwrap()
    });
    let paper = if attr(setup, "orientation") == Some("portrait") {
        210.0
    } else {
        297.0
    };
    (paper / 25.4 - side) * 96.0
}

struct Cell {
    row: u32,
    col: u32,
    text: Option<String>,
    xf: Xf,
}

fn cells(xml: &str, xfs: &[Xf], strings: &[String]) -> Vec<Cell> {
    let data = &xml[xml.find("<sheetData").unwrap()..];
    data.split("<c r=\"")
        .skip(1)
        .map(|c| {
            let end = c
                .find("</c>")
                .unwrap_or(c.len())
                .min(c.find("<c ").unwrap_or(c.len()));
            let c = &c[..end];
            let tag = format!(" r=\"{}", &c[..c.find('>').unwrap() + 1]);
            let (row, col) = cell_at(attr(&tag, "r").unwrap());
            let xf = attr(&tag, "s").map_or(Xf::default(), |s| xfs[s.parse::<usize>().unwrap()]);
            let text = match attr(&tag, "t") {
                Some("s") => {
                    let v = &c[c.find("<v>").unwrap() + 3..c.find("</v>").unwrap()];
                    Some(strings[v.parse::<usize>().unwrap()].clone())
                }
                Some("inlineStr") => Some(texts(c)),
                _ => None,
            };
            Cell { row, col, text, xf }
        })
        .collect()
}

/// Row heights in points where set.
fn heights(xml: &str) -> HashMap<u32, f64> {
    elements(xml, "row")
        .iter()
        .filter_map(|r| {
            let row: u32 = attr(r, "r")?.parse().ok()?;
            Some((row - 1, attr(r, "ht")?.parse().ok()?))
        })
        .collect()
}

/// Merged ranges: (first row, first col, last col).
fn merged(xml: &str) -> Vec<(u32, u32, u32)> {
    elements(xml, "mergeCell")
        .iter()
        .map(|m| {
            let (a, b) = attr(m, "ref").unwrap().split_once(':').unwrap();
            let ((r, c1), (_, c2)) = (cell_at(a), cell_at(b));
            (r, c1, c2)
        })
        .collect()
}

/// What prints wrong on one sheet, as sentences.
fn problems(sheet: &Sheet, xfs: &[Xf], strings: &[String]) -> Vec<String> {
    let xml = &sheet.xml;
    let name = &sheet.name;
    let cells = cells(xml, xfs, strings);
    let used = cells.iter().map(|c| c.col as usize + 1).max().unwrap_or(1);
    let widths = widths(xml, used);
    // The columns that print: those of the print area, if it has one.
    let columns = sheet.print_cols.map_or(used, |n| n.min(used));
    let heights = heights(xml);
    let merged = merged(xml);
    let filled: std::collections::HashSet<(u32, u32)> = cells
        .iter()
        .filter(|c| c.text.as_ref().is_some_and(|t| !t.is_empty()) || c.text.is_none())
        .map(|c| (c.row, c.col))
        .collect();
    let mut out = Vec::new();

    let Some(setup) = elements(xml, "pageSetup").first().copied() else {
        out.push(format!("{name}: no page set-up (not A4)"));
        return out;
    };
    if attr(setup, "paperSize") != Some("9") {
        out.push(format!("{name}: not A4: {setup}"));
    }
    let room = printable(xml);
    let fit = xml.contains("fitToPage=\"1\"");
    if fit {
        let wide = attr(setup, "fitToWidth").unwrap_or("1");
        let tall = attr(setup, "fitToHeight").unwrap_or("1");
        let total: f64 = widths[..columns].iter().map(|w| printed_pixels(*w)).sum();
        let scale = (room / total * 100.0).min(100.0);
        if wide != "1" || tall != "0" {
            out.push(format!(
                "{name}: fitted {wide} wide by {tall} tall, not one page wide"
            ));
        }
        if scale < f64::from(READABLE_SCALE) - 0.5 {
            out.push(format!(
                "{name}: one page wide prints at {scale:.0}% in a fallback font"
            ));
        }
    } else {
        let scale: f64 = attr(setup, "scale").unwrap_or("100").parse().unwrap();
        if scale < f64::from(READABLE_SCALE) {
            out.push(format!("{name}: prints at {scale}%"));
        }
        // Each page of whole columns fits at that scale, with the columns
        // repeated on each.
        let mut breaks: Vec<usize> = xml
            .find("<colBreaks")
            .map(|at| {
                elements(&xml[at..xml.find("</colBreaks>").unwrap()], "brk")
                    .iter()
                    .map(|b| attr(b, "id").unwrap().parse().unwrap())
                    .collect()
            })
            .unwrap_or_default();
        breaks.push(columns);
        let repeated: f64 = widths[..sheet.repeat_cols.min(columns)]
            .iter()
            .map(|w| printed_pixels(*w))
            .sum();
        let mut start = 0;
        for end in breaks {
            let page: f64 = widths[start..end.min(columns)]
                .iter()
                .map(|w| printed_pixels(*w))
                .sum();
            let repeated = if start == 0 { 0.0 } else { repeated };
            if (page + repeated) * scale / 100.0 > room + 1.0 {
                out.push(format!(
                    "{name}: columns {}-{} are {:.0} px at {scale}%, more than the page's {room:.0}",
                    start + 1,
                    end,
                    page * scale / 100.0
                ));
            }
            start = end;
        }
    }

    for c in &cells {
        let Some(text) = c.text.as_deref().filter(|t| !t.is_empty()) else {
            continue;
        };
        let span = merged
            .iter()
            .find(|(r, c1, _)| *r == c.row && *c1 == c.col)
            .map_or(c.col..=c.col, |(_, c1, c2)| *c1..=*c2);
        let width: f64 = span
            .clone()
            .map(|k| widths.get(k as usize).copied().unwrap_or(8.43))
            .sum::<f64>()
            + (span.clone().count() as f64 - 1.0) * 5.0 / 7.0;
        if width == 0.0 {
            continue; // a hidden column
        }
        let at = format!("{name}!{}", cell_name(c.row, c.col));
        if c.xf.wrap {
            // Its row as tall as its lines; its widest word on one line.
            let lines = wrapped_lines(text, width, c.xf.indent);
            let height = heights.get(&c.row).copied().unwrap_or(15.0);
            // Heights are stored in whole pixels, 0.75 pt each.
            if height + 0.76 < lines_height(lines) {
                out.push(format!("{at}: {lines} lines in {height} pt: {text:?}"));
            }
            if width_for(widest_word(text), c.xf.indent) > width + 0.01 && text.len() < 200 {
                out.push(format!("{at}: a word wider than the column ({width}): {text:?}"));
            }
        } else if filled.contains(&(c.row, span.end() + 1))
            && width_for(text_pixels(text), c.xf.indent) > width + 0.01
        {
            // Text on one line with a cell after it is cut at its edge.
            out.push(format!("{at}: cut at {width} characters: {text:?}"));
        }
    }
    out
}

fn cell_name(row: u32, col: u32) -> String {
    let mut letters = String::new();
    let mut n = col + 1;
    while n > 0 {
        letters.insert(0, (b'A' + ((n - 1) % 26) as u8) as char);
        n = (n - 1) / 26;
    }
    format!("{letters}{}", row + 1)
}

/// Every sheet of every workbook prints readably on A4 in a fallback font.
#[test]
fn every_workbook_prints_on_a4_in_any_font() {
    let dir = tempfile::tempdir().unwrap();
    let mut all = Vec::new();
    for path in workbooks(dir.path()) {
        let (sheets, xfs, strings) = sheets(&path);
        for sheet in &sheets {
            let file = path.file_name().unwrap().to_string_lossy();
            all.extend(
                problems(sheet, &xfs, &strings)
                    .into_iter()
                    .map(|p| format!("{file}: {p}")),
            );
        }
    }
    assert!(all.is_empty(), "{} problems:\n{}", all.len(), all.join("\n"));
}

#[test]
fn a_print_area_leaves_out_no_column_the_header_row_names_but_a_rejected_return() {
    // The template's Hours sheet prints its title as the page header and
    // its print area from the row under it: every column, Notes included.
    let dir = tempfile::tempdir().unwrap();
    for path in workbooks(dir.path()) {
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        if file == "rejected.xlsx" {
            continue; // its People sheet prints the sentence's columns only
        }
        let (sheets, xfs, strings) = sheets(&path);
        for sheet in &sheets {
            let Some(printed) = sheet.print_cols else { continue };
            let used = cells(&sheet.xml, &xfs, &strings)
                .iter()
                .filter(|c| c.text.as_deref().is_some_and(|t| !t.is_empty()))
                .map(|c| c.col as usize + 1)
                .max()
                .unwrap_or(0);
            assert!(
                printed >= used,
                "{file} {}: prints {printed} columns of {used}",
                sheet.name
            );
        }
    }
}
