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
