//! How text fits a column: widths in pixels as Excel and LibreOffice lay
//! them out, wrapped lines and the row heights they need.

use rust_xlsxwriter::{Format, Worksheet, XlsxError};

/// The width in pixels of a column `width` characters wide (Excel's rule for
/// the default font, Calibri 11: 7 pixels a character and 5 of padding).
pub fn column_pixels(width: f64) -> f64 {
    if width <= 0.0 { 0.0 } else { width * 7.0 + 5.0 }
}

/// The pixels a cell's margins take, and an indent step.
const CELL_MARGIN: u32 = 6;
const INDENT: u32 = 10;

/// How much wider than Excel LibreOffice draws a column on a machine without
/// Calibri (or its metric twin Carlito): a column is so many widths of the
/// default font's digit, and the fallback, DejaVu Sans, has a digit 0.636 em
/// wide against Calibri's 7 pixels at 11 point (9.33 pixels). Measured: a
/// column of width 19 prints 184 pixels wide, not 138. The page does not
/// grow, so a page holds a quarter fewer columns; see `print`.
pub const FALLBACK_COLUMN: f64 = 4.0 / 3.0;

/// How much wider than Calibri text may be against its column in a fallback
/// font (DejaVu Sans, Liberation Sans, bold): text is measured 15% wider
/// than Excel's Calibri widths.
pub const FALLBACK_TEXT: f64 = 1.15;

/// The share of a line's width that text is measured against: narrower than
/// Excel draws it by [`FALLBACK_TEXT`], so that text measured to fit still
/// fits in a spreadsheet whose font is wider (LibreOffice, bold headers).
const SPARE: f64 = 1.0 / FALLBACK_TEXT;

/// The margins of a wide table's pages, in inches: left and right, top and
/// bottom, and the footer's.
pub const WIDE_MARGINS: (f64, f64, f64) = (0.5, 0.6, 0.3);

/// The printable width of an A4 landscape page at 100% within
/// [`WIDE_MARGINS`], in column pixels (96 an inch).
pub const A4_LANDSCAPE_PIXELS: f64 = (297.0 / 25.4 - 2.0 * WIDE_MARGINS.0) * 96.0;

/// The width in pixels at 100% of a column `width` characters wide as
/// LibreOffice prints it in the fallback font: [`FALLBACK_COLUMN`] times
/// Excel's.
pub fn printed_pixels(width: f64) -> f64 {
    column_pixels(width) * FALLBACK_COLUMN
}

/// The room for text in a column `width` characters wide, in Calibri pixels
/// (text measured by [`text_pixels`] fits in it in a wider fallback font).
pub fn room(width: f64, indent: bool) -> f64 {
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

/// How much wider bold text is than regular, in Calibri. In a fallback
/// font bold is wider still (DejaVu Sans Bold's digit is 1425 units against
/// 1303), but its column is drawn wider too ([`FALLBACK_COLUMN`]): measured
/// against its column, DejaVu Sans Bold ("Commissioned": 120 pixels in a
/// column drawn 4/3 as wide) is no wider than Calibri, and
/// [`FALLBACK_TEXT`] covers the rest.
pub const BOLD: f64 = 1.05;

/// The pixels of `text` in bold (see [`BOLD`]).
pub fn bold_pixels(text: &str) -> u32 {
    (f64::from(text_pixels(text)) * BOLD).ceil() as u32
}

/// The print scale a [`Sizer::fill`] column fills its page at, in the
/// fallback font: some way above the least readable, so that Excel's
/// narrower Calibri prints larger still.
pub const FILL_SCALE: u16 = 80;

/// A sheet's columns and rows sized to the text written through it, for a
/// sheet held in memory (not streamed): each column as wide as its widest
/// line of text and its header's widest word, a wrapping column at most as
/// wide as it is given and each row as tall as its wrapped lines, all with
/// room for a wider fallback font. What `autofit` does, with widths known,
/// so that the sheet's print set-up can be worked out from them.
#[derive(Default)]
pub struct Sizer {
    /// Per column: the widest text on one line, in Calibri pixels, and
    /// whether that text is indented.
    widest: Vec<(u32, bool)>,
    /// Per column: the most a wrapping column grows to (`None`: as wide as
    /// its widest text).
    most: Vec<Option<f64>>,
    /// Per column: a width set outright.
    fixed: Vec<Option<f64>>,
    /// The column that fills what is left of a landscape page, and the
    /// least it is.
    fill: Option<(u16, f64)>,
    /// Wrapped text: row, column, text, indented, bold.
    wrapped: Vec<(u32, u16, String, bool, bool)>,
}

impl Sizer {
    pub fn new() -> Sizer {
        Sizer::default()
    }

    fn grow(&mut self, col: u16) {
        let n = usize::from(col) + 1;
        if self.widest.len() < n {
            self.widest.resize(n, (0, false));
            self.most.resize(n, None);
            self.fixed.resize(n, None);
        }
    }

    /// `text` shown on one line in `col` (bold or not, indented or not):
    /// the column is at least as wide.
    pub fn line(&mut self, col: u16, text: &str, bold: bool, indent: bool) {
        self.grow(col);
        let px = if bold {
            bold_pixels(text)
        } else {
            text_pixels(text)
        };
        self.at_least(col, px, indent);
    }

    /// `col` at least as wide as `px` of text, indented or not.
    fn at_least(&mut self, col: u16, px: u32, indent: bool) {
        let w = &mut self.widest[usize::from(col)];
        if w.0 == 0 || width_for(px, indent) > width_for(w.0, w.1) {
            *w = (px, indent);
        }
    }

    /// `text` wrapping in `col` at `row`: the column is at least as wide as
    /// its widest word, and as its widest text up to the column's most
    /// ([`Sizer::most`]); the row is as tall as its lines.
    pub fn wrap(&mut self, row: u32, col: u16, text: &str, bold: bool, indent: bool) {
        self.grow(col);
        let word = if bold {
            (f64::from(widest_word(text)) * BOLD).ceil() as u32
        } else {
            widest_word(text)
        };
        self.at_least(col, word, indent);
        self.wrapped.push((row, col, text.to_string(), indent, bold));
    }

    /// A table's header row: bold, wrapping at its widest word.
    pub fn header(&mut self, row: u32, headers: &[&str]) {
        for (c, h) in headers.iter().enumerate() {
            self.wrap(row, c as u16, h, true, false);
        }
    }

    /// The widest `col` grows to: text wider wraps.
    pub fn most(&mut self, col: u16, most: f64) {
        self.grow(col);
        self.most[usize::from(col)] = Some(most);
    }

    /// `col` (wrapping) fills what the other columns leave of an A4
    /// landscape page at [`FILL_SCALE`] in the fallback font, at least
    /// `least` wide and no wider than its widest text.
    pub fn fill(&mut self, col: u16, least: f64) {
        self.grow(col);
        self.fill = Some((col, least));
        self.most[usize::from(col)] = Some(f64::MAX);
    }

    /// `col` is `width` wide whatever it holds.
    pub fn fixed(&mut self, col: u16, width: f64) {
        self.grow(col);
        self.fixed[usize::from(col)] = Some(width);
    }

    /// The columns' widths in characters, from column A.
    pub fn widths(&self) -> Vec<f64> {
        let mut widths: Vec<f64> = self
            .widest
            .iter()
            .map(|(px, indent)| if *px == 0 { 8.43 } else { width_for(*px, *indent) })
            .collect();
        // A wrapping column as wide as its widest text, up to its most.
        for (_, col, text, indent, bold) in &self.wrapped {
            let c = usize::from(*col);
            if let Some(most) = self.most[c] {
                let px = if *bold {
                    bold_pixels(text)
                } else {
                    text_pixels(text)
                };
                widths[c] = widths[c].max(width_for(px, *indent).min(most));
            }
        }
        for (w, fixed) in widths.iter_mut().zip(&self.fixed) {
            if let Some(f) = fixed {
                *w = *f;
            }
        }
        if let Some((col, least)) = self.fill {
            let c = usize::from(col);
            let others: f64 = widths
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != c)
                .map(|(_, w)| printed_pixels(*w))
                .sum();
            let room = A4_LANDSCAPE_PIXELS * 100.0 / f64::from(FILL_SCALE) - others;
            let fits = ((room / FALLBACK_COLUMN - 5.0) / 7.0).floor();
            widths[c] = fits.min(widths[c]).max(least);
        }
        widths
    }

    /// Each row's lines at `widths`, from row 1 to the last row written.
    fn row_lines(&self, widths: &[f64]) -> Vec<usize> {
        let mut lines: Vec<usize> = Vec::new();
        for (row, col, text, indent, bold) in &self.wrapped {
            let r = *row as usize;
            if lines.len() <= r {
                lines.resize(r + 1, 1);
            }
            let width = widths[usize::from(*col)];
            let n = if *bold {
                // Bold measured against a column narrower by the same share.
                wrapped_lines(text, width / BOLD, *indent)
            } else {
                wrapped_lines(text, width, *indent)
            };
            lines[r] = lines[r].max(n);
        }
        lines
    }

    /// Set the columns' widths and the rows' heights on `ws`; the widths
    /// and each row's height in points, for the print set-up.
    ///
    /// # Errors
    /// rust_xlsxwriter's, for rows or columns past the sheet's limits.
    pub fn apply(&self, ws: &mut Worksheet) -> Result<(Vec<f64>, Vec<f64>), XlsxError> {
        let widths = self.widths();
        for (c, w) in widths.iter().enumerate() {
            ws.set_column_width(c as u16, *w)?;
        }
        let lines = self.row_lines(&widths);
        for (r, n) in lines.iter().enumerate() {
            fit_row(ws, r as u32, *n)?;
        }
        Ok((widths, lines.into_iter().map(lines_height).collect()))
    }
}
