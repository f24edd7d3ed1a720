//! What the workbooks (report, summary, template) share: cell formats,
//! fills by severity, and the print and table set-up.

use rust_decimal::Decimal;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Worksheet, XlsxError};

use crate::base::units::Hours;
use crate::engine::PersonStatus;
use crate::model::findings::Severity;

pub const HOURS_FORMAT: &str = "0.00";
pub const DATE_FORMAT: &str = "dd/mm/yyyy";
pub const MONEY_FORMAT: &str = "£#,##0.00;-£#,##0.00";
/// The fill of a cell for the provider to fill in.
pub const INPUT_FILL: Color = Color::RGB(0xFF_F2_CC);

/// The formats every sheet uses, made once per report.
pub struct Formats {
    pub title: Format,
    pub header: Format,
    pub bold: Format,
    pub money: Format,
    pub hours: Format,
    pub percent: Format,
    pub date: Format,
    pub wrap: Format,
    /// Text in a table row: top-aligned, indented one step so it never
    /// touches a right-aligned number in the column before.
    pub text: Format,
    /// [`Formats::text`] that wraps within its column.
    pub text_wrap: Format,
    /// The number formats above, top-aligned, for tables whose rows grow
    /// with wrapped text.
    pub hours_top: Format,
    pub money_top: Format,
    pub percent_top: Format,
    pub date_top: Format,
    pub number_top: Format,
    within: Format,
    referred: Format,
    no_care: Format,
}

impl Default for Formats {
    fn default() -> Self {
        Formats::new()
    }
}

impl Formats {
    pub fn new() -> Formats {
        let header = Format::new()
            .set_bold()
            .set_background_color(Color::RGB(0x1F_4E_79))
            .set_font_color(Color::White)
            .set_text_wrap()
            .set_align(FormatAlign::Top)
            .set_border_bottom(FormatBorder::Thin);
        let top = Format::new().set_align(FormatAlign::Top);
        let text = top.clone().set_align(FormatAlign::Left).set_indent(1);
        let fill = |rgb: u32| text.clone().set_background_color(Color::RGB(rgb));
        let (within, referred, no_care) = (fill(0xC6_EF_CE), fill(0xFF_C7_CE), fill(0xE7_E6_E6));
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            header,
            bold: Format::new().set_bold(),
            money: Format::new().set_num_format(MONEY_FORMAT),
            hours: Format::new().set_num_format(HOURS_FORMAT),
            percent: Format::new().set_num_format("0.00%"),
            date: Format::new().set_num_format(DATE_FORMAT),
            wrap: Format::new()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_align(FormatAlign::Left),
            text_wrap: text.clone().set_text_wrap(),
            text,
            hours_top: top.clone().set_num_format(HOURS_FORMAT),
            money_top: top.clone().set_num_format(MONEY_FORMAT),
            percent_top: top.clone().set_num_format("0.00%"),
            date_top: top.clone().set_num_format(DATE_FORMAT),
            number_top: top,
            within,
            referred,
            no_care,
        }
    }

    /// The fill of a person's status.
    pub fn status(&self, status: PersonStatus) -> &Format {
        match status {
            PersonStatus::WithinTolerance => &self.within,
            PersonStatus::Referred => &self.referred,
            PersonStatus::NoCare => &self.no_care,
        }
    }
}

/// The fill of a cell with a finding of this severity.
pub fn severity_fill(sev: Severity) -> Color {
    match sev {
        Severity::Error => Color::RGB(0xFF_9E_9E),
        Severity::Warning => Color::RGB(0xFF_E0_8A),
        Severity::Info => Color::RGB(0xBD_D7_EE),
    }
}

/// Hours as a number for display (two decimals shown by the format).
pub fn hours_value(h: Hours) -> Decimal {
    h.as_hours()
}

/// Print set-up of a narrow sheet: landscape, A4, one page wide, the header
/// row repeated, the sheet's name and the page number in the footer.
pub fn print_setup(ws: &mut Worksheet, header_row: u32) -> Result<(), XlsxError> {
    ws.set_landscape();
    ws.set_paper_size(A4);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(header_row, header_row)?;
    ws.set_footer(FOOTER);
    Ok(())
}

/// Excel's paper size code for A4.
const A4: u8 = 9;

/// The footer of every printed page: the sheet's name, and page n of m.
pub const FOOTER: &str = "&L&A&RPage &P of &N";

/// The margins of a wide table's pages, in inches: left and right, top and
/// bottom, and the footer's.
const WIDE_MARGINS: (f64, f64, f64) = (0.5, 0.6, 0.3);

/// The printable size of an A4 landscape page at 100% within
/// [`WIDE_MARGINS`]: the width in column pixels (96 an inch), the height in
/// points.
const A4_LANDSCAPE_PIXELS: f64 = (297.0 / 25.4 - 2.0 * WIDE_MARGINS.0) * 96.0;
const A4_LANDSCAPE_POINTS: f64 = (210.0 / 25.4 - 2.0 * WIDE_MARGINS.1) * 72.0;

/// The smallest print scale that keeps text readable: 11 pt prints at a
/// little over 8 pt.
const READABLE_SCALE: u16 = 75;

/// How a wide table (People, Hours) prints: A4 landscape, the header rows
/// and the first columns repeated on every page; one page wide if that keeps
/// the text at [`READABLE_SCALE`] or more, otherwise a page break before
/// each column that would not fit, so that every page holds whole columns,
/// at the scale from 75% to 100% that needs the fewest pages (of those, the
/// one whose pages start where the table would have them, then the
/// largest), numbered across then down.
pub struct WidePrint<'a> {
    /// The widths in characters of the printed columns, from column A.
    pub widths: &'a [f64],
    /// The heights in points of the rows, from row 1.
    pub heights: &'a [f64],
    /// The rows repeated at the top of every page (first, last).
    pub rows: (u32, u32),
    /// How many columns, from column A, repeat at the left of every page.
    pub repeat_cols: u16,
    /// Columns a page had better start at (a group of columns kept
    /// together); empty: any.
    pub break_before: &'a [u32],
}

impl WidePrint<'_> {
    /// The print scale, or `None` for a table printed one page wide.
    pub fn scale(&self) -> Option<u16> {
        let total: f64 = self.widths.iter().map(|w| column_pixels(*w)).sum();
        if total * f64::from(READABLE_SCALE) / 100.0 <= A4_LANDSCAPE_PIXELS {
            return None;
        }
        (READABLE_SCALE..=100)
            .step_by(5)
            .min_by_key(|s| (self.pages(*s), self.unpreferred(*s), std::cmp::Reverse(*s)))
    }

    /// The room left at `scale`, in column pixels, at the right of the last
    /// page across: what the last column may grow by and still print on it.
    pub fn room_left(&self, scale: u16) -> f64 {
        let px: Vec<f64> = self.widths.iter().map(|w| column_pixels(*w)).collect();
        let start = self.breaks(scale).last().map_or(0, |b| *b as usize);
        let repeated: f64 = if start > 0 {
            px.iter().take(self.repeat_cols.into()).sum()
        } else {
            0.0
        };
        let used = repeated + px.iter().skip(start).sum::<f64>();
        (Self::room(scale) - used).max(0.0)
    }

    /// Set the sheet to print at [`WidePrint::scale`].
    ///
    /// # Errors
    /// rust_xlsxwriter's, for rows or columns past the sheet's limits.
    pub fn apply(&self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        self.apply_at(ws, self.scale())
    }

    /// Set the sheet to print at `scale` (`None`: one page wide).
    ///
    /// # Errors
    /// rust_xlsxwriter's, for rows or columns past the sheet's limits.
    pub fn apply_at(&self, ws: &mut Worksheet, scale: Option<u16>) -> Result<(), XlsxError> {
        ws.set_landscape();
        ws.set_paper_size(A4);
        ws.set_footer(FOOTER);
        ws.set_repeat_rows(self.rows.0, self.rows.1)?;
        let Some(scale) = scale else {
            ws.set_print_fit_to_pages(1, 0);
            return Ok(());
        };
        let (side, top, footer) = WIDE_MARGINS;
        ws.set_margins(side, side, top, top, footer, footer);
        if self.repeat_cols > 0 {
            ws.set_repeat_columns(0, self.repeat_cols - 1)?;
        }
        ws.set_print_scale(scale);
        ws.set_vertical_page_breaks(&self.breaks(scale))?;
        ws.set_page_order(false);
        Ok(())
    }

    /// The width of a page at `scale` percent, in column pixels, some kept
    /// spare: LibreOffice draws a column about 6% wider than Excel does.
    fn room(scale: u16) -> f64 {
        A4_LANDSCAPE_PIXELS * 100.0 / f64::from(scale) * 0.92
    }

    /// The pages printed at `scale` percent.
    fn pages(&self, scale: u16) -> usize {
        let (first, last) = (self.rows.0 as usize, self.rows.1 as usize);
        let repeated: f64 = self.heights.iter().skip(first).take(last + 1 - first).sum();
        let body: f64 = self.heights.iter().sum::<f64>() - repeated;
        let tall = A4_LANDSCAPE_POINTS * 100.0 / f64::from(scale) * 0.95 - repeated;
        let down = (body / tall.max(1.0)).ceil().max(1.0) as usize;
        (self.breaks(scale).len() + 1) * down
    }

    /// How many pages start elsewhere than at [`WidePrint::break_before`].
    fn unpreferred(&self, scale: u16) -> usize {
        let breaks = self.breaks(scale);
        breaks.iter().filter(|b| !self.break_before.contains(b)).count()
    }

    /// The columns that start a new page at `scale` percent: where the next
    /// column would not fit, or before it at the last of
    /// [`WidePrint::break_before`] on the page.
    fn breaks(&self, scale: u16) -> Vec<u32> {
        let px: Vec<f64> = self.widths.iter().map(|w| column_pixels(*w)).collect();
        let room = Self::room(scale);
        let repeat = usize::from(self.repeat_cols);
        let repeated: f64 = px.iter().take(repeat).sum();
        let mut breaks = Vec::new();
        let mut start = 0; // the first column of this page
        let mut used = 0.0;
        let mut c = 0;
        while c < px.len() {
            if used + px[c] > room && c > start.max(repeat) {
                let at = self
                    .break_before
                    .iter()
                    .map(|b| *b as usize)
                    .filter(|b| *b > start.max(repeat) && *b <= c)
                    .max()
                    .unwrap_or(c);
                breaks.push(at as u32);
                start = at;
                used = repeated;
                c = at;
                continue;
            }
            used += px[c];
            c += 1;
        }
        breaks
    }
}

/// The width in pixels of a column `width` characters wide (Excel's rule for
/// the default font, Calibri 11: 7 pixels a character and 5 of padding).
pub fn column_pixels(width: f64) -> f64 {
    if width <= 0.0 { 0.0 } else { width * 7.0 + 5.0 }
}

/// The pixels a cell's margins take, and an indent step.
const CELL_MARGIN: u32 = 6;
const INDENT: u32 = 10;

/// The share of a line's width that text is measured against: a little
/// narrower than Excel draws it, so that text measured to fit still fits in
/// a spreadsheet whose font is a little wider (LibreOffice, bold headers).
const SPARE: f64 = 0.92;

/// The room for text in a column `width` characters wide, in pixels.
fn room(width: f64, indent: bool) -> f64 {
    let margin = CELL_MARGIN + if indent { INDENT } else { 0 };
    ((column_pixels(width) - f64::from(margin)) * SPARE).max(8.0)
}

/// The width in characters of a column showing `pixels` of text on one
/// line, indented or not.
pub fn width_for(pixels: u32, indent: bool) -> f64 {
    let margin = CELL_MARGIN + if indent { INDENT } else { 0 };
    ((f64::from(pixels) / SPARE + f64::from(margin) - 5.0) / 7.0)
        .ceil()
        .max(1.0)
}

/// The width in pixels of text in the default font (Calibri 11), with the
/// character widths Excel uses (those of rust_xlsxwriter's autofit).
pub fn text_pixels(text: &str) -> u32 {
    text.chars().map(char_pixels).sum()
}

fn char_pixels(c: char) -> u32 {
    match c {
        ' ' | '\'' => 3,
        ',' | '.' | ':' | ';' | 'I' | '`' | 'i' | 'j' | 'l' => 4,
        '!' | '(' | ')' | '-' | 'J' | '[' | ']' | 'f' | 'r' | 't' | '{' | '}' => 5,
        '"' | '/' | 'L' | '\\' | 'c' | 's' | 'z' => 6,
        '#'
        | '$'
        | '*'
        | '+'
        | '0'..='9'
        | '<'
        | '='
        | '>'
        | '?'
        | 'E'
        | 'F'
        | 'S'
        | 'T'
        | 'Y'
        | 'Z'
        | '^'
        | '_'
        | 'a'
        | 'g'
        | 'k'
        | 'v'
        | 'x'
        | 'y'
        | '|'
        | '~' => 7,
        'A' | 'D' | 'G' | 'H' | 'U' | 'V' => 9,
        '&' | 'N' | 'O' | 'Q' => 10,
        '%' | 'w' => 11,
        'M' | 'm' => 12,
        '@' | 'W' => 13,
        _ => 8,
    }
}

/// The widest word of `text`, in pixels: the narrowest column a wrapped
/// header fits without breaking a word.
pub fn widest_word(text: &str) -> u32 {
    text.split_whitespace().map(text_pixels).max().unwrap_or(0)
}

/// How many lines `text` takes wrapped in a column `width` characters wide
/// (indented or not), word by word as a spreadsheet wraps it, in a line
/// [`SPARE`] narrower than Excel draws it, so that a row is never too short
/// for its text in a wider font.
pub fn wrapped_lines(text: &str, width: f64, indent: bool) -> usize {
    let room = room(width, indent);
    let mut lines = 0;
    for paragraph in text.split('\n') {
        let mut used = 0.0;
        lines += 1;
        for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
            let w = f64::from(text_pixels(word));
            let with_space = if used > 0.0 {
                used + f64::from(char_pixels(' ')) + w
            } else {
                w
            };
            if with_space <= room {
                used = with_space;
            } else if used == 0.0 {
                // A word wider than the line breaks across lines.
                lines += (w / room).ceil() as usize - 1;
                used = w % room;
            } else {
                lines += 1;
                if w > room {
                    lines += (w / room).ceil() as usize - 1;
                    used = w % room;
                } else {
                    used = w;
                }
            }
        }
    }
    lines.max(1)
}

/// The tallest row Excel allows, in points.
const MAX_ROW_HEIGHT: f64 = 409.0;

/// The height in points of a row of `lines` lines of 11 pt text (one line:
/// the default height), at most Excel's limit.
pub fn lines_height(lines: usize) -> f64 {
    if lines <= 1 {
        15.0
    } else {
        (15.0 * lines as f64 + 1.0).min(MAX_ROW_HEIGHT)
    }
}

/// Set a row tall enough for `lines` lines; a row of one line keeps its
/// default height.
///
/// # Errors
/// rust_xlsxwriter's, for a row past the sheet's limits.
pub fn fit_row(ws: &mut Worksheet, row: u32, lines: usize) -> Result<(), XlsxError> {
    if lines > 1 {
        ws.set_row_height(row, lines_height(lines))?;
    }
    Ok(())
}

/// End a sheet written in constant memory whose last row was given a
/// height (`lines` > 1): rust_xlsxwriter 0.102 writes such a last row twice
/// when it saves (its final flush passes the current row as the next one),
/// which Excel may refuse. A blank cell on the row after moves the last row
/// out by the ordinary path, once. Recheck on a rust_xlsxwriter upgrade.
pub fn end_streamed_rows(ws: &mut Worksheet, last_row: u32, lines: usize) -> Result<(), XlsxError> {
    if lines > 1 {
        ws.write_blank(last_row + 1, 0, &Format::new())?;
    }
    Ok(())
}

/// A table's header row, frozen, filtered and repeated on every page.
pub fn table_header(
    ws: &mut Worksheet,
    row: u32,
    headers: &[&str],
    last_row: u32,
    f: &Formats,
) -> Result<(), XlsxError> {
    for (c, h) in headers.iter().enumerate() {
        ws.write_text_with_format(row, c as u16, h, &f.header)?;
    }
    ws.set_freeze_panes(row + 1, 0)?;
    if !headers.is_empty() {
        ws.autofilter(row, 0, last_row.max(row), (headers.len() - 1) as u16)?;
    }
    print_setup(ws, row)
}

/// The most characters a cell holds (Excel's limit), counted as Excel
/// counts them: in UTF-16 units, so that a character outside the Basic
/// Multilingual Plane (an emoji, a musical symbol) counts as two.
pub const MAX_CELL_CHARS: usize = 32_767;

/// The most a cell's note holds: a cell's, less the 54 rust_xlsxwriter
/// keeps for its author's name.
pub const MAX_NOTE_CHARS: usize = MAX_CELL_CHARS - 54;

/// Text for a cell, cut to what a cell holds with a marker saying so: a
/// name or note longer than a cell never stops the report being written.
pub fn cell_text(text: &str) -> std::borrow::Cow<'_, str> {
    fit(text, MAX_CELL_CHARS)
}

/// Text for a cell's note, cut to what a note holds as [`cell_text`] cuts.
pub fn note_text(text: &str) -> std::borrow::Cow<'_, str> {
    fit(text, MAX_NOTE_CHARS)
}

/// `text` cut to at most `most` UTF-16 units, marker included.
fn fit(text: &str, most: usize) -> std::borrow::Cow<'_, str> {
    if text.encode_utf16().count() <= most {
        return std::borrow::Cow::Borrowed(text);
    }
    let n = text.chars().count();
    let marker = format!(" … [truncated: {n} characters in all]");
    let mut room = most - marker.encode_utf16().count();
    let mut cut: String = text
        .chars()
        .take_while(|c| {
            let fits = c.len_utf16() <= room;
            room = room.saturating_sub(c.len_utf16());
            fits
        })
        .collect();
    cut.push_str(&marker);
    std::borrow::Cow::Owned(cut)
}

/// Writing text through [`cell_text`], so no text can be too long for its
/// cell: every sheet writes text this way.
pub trait WriteText {
    /// # Errors
    /// rust_xlsxwriter's, for a row or column past the sheet's limits.
    fn write_text(&mut self, row: u32, col: u16, text: impl AsRef<str>) -> Result<&mut Worksheet, XlsxError>;
    /// # Errors
    /// As [`WriteText::write_text`].
    fn write_text_with_format(
        &mut self,
        row: u32,
        col: u16,
        text: impl AsRef<str>,
        format: &Format,
    ) -> Result<&mut Worksheet, XlsxError>;
}

impl WriteText for Worksheet {
    fn write_text(&mut self, row: u32, col: u16, text: impl AsRef<str>) -> Result<&mut Worksheet, XlsxError> {
        self.write_string(row, col, cell_text(text.as_ref()))
    }

    fn write_text_with_format(
        &mut self,
        row: u32,
        col: u16,
        text: impl AsRef<str>,
        format: &Format,
    ) -> Result<&mut Worksheet, XlsxError> {
        self.write_string_with_format(row, col, cell_text(text.as_ref()), format)
    }
}

/// Autofit the columns, within a sensible maximum width.
pub fn autofit(ws: &mut Worksheet) {
    ws.set_autofit_max_width(220);
    ws.autofit();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_cut_to_a_cell_with_a_marker() {
        let long = "a".repeat(40_000);
        let cut = cell_text(&long);
        assert_eq!(cut.chars().count(), MAX_CELL_CHARS);
        assert!(cut.ends_with("[truncated: 40000 characters in all]"));
        assert_eq!(cell_text("short"), "short");
    }

    #[test]
    fn text_wraps_word_by_word() {
        assert_eq!(wrapped_lines("", 10.0, false), 1);
        assert_eq!(wrapped_lines("short", 10.0, false), 1);
        // 20 words of 4 digits: 20 x 28 px and the spaces, about 620 px.
        let words = vec!["1234"; 20].join(" ");
        assert_eq!(wrapped_lines(&words, 100.0, false), 1);
        let lines = wrapped_lines(&words, 10.0, false);
        assert!((8..=10).contains(&lines), "{lines}");
        assert_eq!(wrapped_lines("a\nb\nc", 50.0, true), 3);
        // A word wider than the column breaks across lines.
        assert!(wrapped_lines(&"x".repeat(100), 10.0, false) >= 8);
    }

    #[test]
    fn text_measured_to_fit_a_column_fits_it() {
        for text in [
            "within tolerance",
            "P0001",
            "weeks 6-13, more than the bundle",
            "Notes",
        ] {
            for indent in [false, true] {
                let width = width_for(text_pixels(text), indent);
                assert_eq!(wrapped_lines(text, width, indent), 1, "{text}");
                assert!(
                    wrapped_lines(text, width - 1.0, indent) > 1 || !text.contains(' '),
                    "{text}"
                );
            }
        }
    }

    #[test]
    fn wide_tables_break_between_whole_columns() {
        let table = |widths: &'static [f64], repeat_cols: u16, break_before: &'static [u32]| WidePrint {
            widths,
            heights: &[],
            rows: (0, 0),
            repeat_cols,
            break_before,
        };
        // 3 columns of 60 characters (425 px each) at 80%: two fit a page.
        assert_eq!(table(&[60.0; 3], 0, &[]).breaks(80), vec![2]);
        // Each page repeats the first column: one more column a page.
        let widths = &[20.0, 60.0, 60.0, 60.0, 60.0];
        assert_eq!(table(widths, 1, &[]).breaks(80), vec![3]);
        // A preferred break on the page comes first.
        assert_eq!(table(widths, 1, &[2]).breaks(80), vec![2, 4]);
        assert!(table(&[10.0; 5], 1, &[]).breaks(100).is_empty());
    }
}
