//! How a sheet prints: A4 landscape, its header row repeated, the footer;
//! a wide table's pages of whole columns at a readable scale.

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::fit::*;

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

/// A sheet's title printed whole at the top of every page (the page
/// header), with the print area from `rows.0` to `rows.1` and the first
/// column to `last_col`: the title row above them, which a page of later
/// columns would cut at its repeated columns, is left to the screen.
/// Excel's `&` codes in the title are written as text (`&&`).
///
/// # Errors
/// rust_xlsxwriter's, for a header it cannot take or an area past the
/// sheet's limits.
pub fn title_on_every_page(
    ws: &mut Worksheet,
    title: &str,
    rows: (u32, u32),
    last_col: u16,
) -> Result<(), XlsxError> {
    // Excel takes a header of at most 255 characters, codes included.
    let mut text: String = title.replace('&', "&&").chars().take(200).collect();
    // Cut in the middle of a `&&`: the lone `&` would start a code.
    if text.chars().rev().take_while(|c| *c == '&').count() % 2 == 1 {
        text.pop();
    }
    ws.set_header(format!("&L&B{text}"));
    ws.set_print_area(rows.0, 0, rows.1, last_col)?;
    Ok(())
}

/// Excel's paper size code for A4.
const A4: u8 = 9;

/// The footer of every printed page: the sheet's name, and page n of m.
pub const FOOTER: &str = "&L&A&RPage &P of &N";

/// The printable height of an A4 landscape page at 100% within
/// [`WIDE_MARGINS`], in points (its width, [`A4_LANDSCAPE_PIXELS`], is with
/// the column arithmetic in `fit`).
const A4_LANDSCAPE_POINTS: f64 = (210.0 / 25.4 - 2.0 * WIDE_MARGINS.1) * 72.0;
/// The printable width of an A4 portrait page at 100%, in column pixels.
pub const A4_PORTRAIT_PIXELS: f64 = (210.0 / 25.4 - 2.0 * WIDE_MARGINS.0) * 96.0;

/// The smallest print scale that keeps text readable: 11 pt prints at a
/// little under 8 pt. A sheet printed one page wide is never smaller than
/// this in the widest fallback font (and larger in Excel).
pub const READABLE_SCALE: u16 = 70;

/// How a wide table (People, Hours) prints: A4 landscape, the header rows
/// and the first columns repeated on every page; one page wide if that keeps
/// the text at [`READABLE_SCALE`] or more, otherwise a page break before
/// each column that would not fit, so that every page holds whole columns,
/// at the scale from 70% to 100% that needs the fewest pages (of those, the
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
        if self.printed_width() * f64::from(READABLE_SCALE) / 100.0 <= A4_LANDSCAPE_PIXELS {
            return None;
        }
        (READABLE_SCALE..=100)
            .step_by(5)
            .min_by_key(|s| (self.pages(*s), self.unpreferred(*s), std::cmp::Reverse(*s)))
    }

    /// The width of the columns printed in the fallback font at 100%, in
    /// pixels ([`printed_pixels`]).
    pub fn printed_width(&self) -> f64 {
        self.widths.iter().map(|w| printed_pixels(*w)).sum()
    }

    /// The room left at `scale`, in printed pixels ([`printed_pixels`]), at the right of the last
    /// page across: what the last column may grow by and still print on it.
    pub fn room_left(&self, scale: u16) -> f64 {
        let px: Vec<f64> = self.widths.iter().map(|w| printed_pixels(*w)).collect();
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
        ws.set_paper_size(A4);
        ws.set_footer(FOOTER);
        ws.set_repeat_rows(self.rows.0, self.rows.1)?;
        let (side, top, footer) = WIDE_MARGINS;
        ws.set_margins(side, side, top, top, footer, footer);
        let Some(scale) = scale else {
            // One page wide: portrait if the columns fit it at 100% in the
            // fallback font, landscape otherwise.
            if self.printed_width() <= A4_PORTRAIT_PIXELS {
                ws.set_portrait();
            } else {
                ws.set_landscape();
            }
            ws.set_print_fit_to_pages(1, 0);
            return Ok(());
        };
        ws.set_landscape();
        if self.repeat_cols > 0 {
            ws.set_repeat_columns(0, self.repeat_cols - 1)?;
        }
        ws.set_print_scale(scale);
        ws.set_vertical_page_breaks(&self.breaks(scale))?;
        ws.set_page_order(false);
        Ok(())
    }

    /// The width of a page at `scale` percent, in printed pixels
    /// ([`printed_pixels`]: the columns as wide as in the widest fallback
    /// font), a little kept spare.
    fn room(scale: u16) -> f64 {
        A4_LANDSCAPE_PIXELS * 100.0 / f64::from(scale) * 0.98
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
        let px: Vec<f64> = self.widths.iter().map(|w| printed_pixels(*w)).collect();
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

/// Print a table whose columns are `widths` and rows `heights` (points,
/// from row 1), `rows` repeated at the top of each page: one page wide when
/// that is readable in a fallback font (portrait when it fits), otherwise
/// whole columns to a page at a readable scale (see [`WidePrint`]).
///
/// # Errors
/// rust_xlsxwriter's, for rows or columns past the sheet's limits.
pub fn print_table(
    ws: &mut Worksheet,
    widths: &[f64],
    heights: &[f64],
    rows: (u32, u32),
    repeat_cols: u16,
) -> Result<(), XlsxError> {
    WidePrint {
        widths,
        heights,
        rows,
        repeat_cols,
        break_before: &[],
    }
    .apply(ws)
}

/// The printable height of an A4 portrait page at 100% within
/// [`WIDE_MARGINS`], in points.
const A4_PORTRAIT_POINTS: f64 = (297.0 / 25.4 - 2.0 * WIDE_MARGINS.1) * 72.0;

/// Print a sheet of blocks of rows (a spot check's people), each `blocks`
/// (its first row, the row after its last), as [`print_table`] does, with a page break before
/// a block that would run over the foot of its page, so that each block
/// prints whole (a block taller than a page breaks where it must). The
/// pages are reckoned at the larger of the scales a fallback font and
/// Calibri print at, the one that holds fewer rows.
///
/// # Errors
/// rust_xlsxwriter's, for rows or columns past the sheet's limits.
pub fn print_blocks(
    ws: &mut Worksheet,
    widths: &[f64],
    heights: &[f64],
    rows: (u32, u32),
    blocks: &[(u32, u32)],
) -> Result<(), XlsxError> {
    let table = WidePrint {
        widths,
        heights,
        rows,
        repeat_cols: 0,
        break_before: &[],
    };
    let scale = table.scale();
    table.apply_at(ws, scale)?;
    let (page, scale) = match scale {
        Some(s) => (A4_LANDSCAPE_POINTS, f64::from(s)),
        None => {
            let (across, down) = if table.printed_width() <= A4_PORTRAIT_PIXELS {
                (A4_PORTRAIT_PIXELS, A4_PORTRAIT_POINTS)
            } else {
                (A4_LANDSCAPE_PIXELS, A4_LANDSCAPE_POINTS)
            };
            // Fitted one page wide: Calibri's narrower columns, the larger scale.
            let calibri = table.printed_width() / FALLBACK_COLUMN;
            (down, (across / calibri * 100.0).min(100.0))
        }
    };
    let height = |r: u32| heights.get(r as usize).copied().unwrap_or(15.0);
    let repeated: f64 = (rows.0..=rows.1).map(height).sum();
    let room = page * 100.0 / scale * 0.95 - repeated;
    let mut breaks = Vec::new();
    let mut used: f64 = (0..blocks.first().map_or(0, |b| b.0))
        .filter(|r| !(rows.0..=rows.1).contains(r))
        .map(height)
        .sum();
    for (start, end) in blocks.iter().copied() {
        let block: f64 = (start..end).map(height).sum();
        if used > 0.0 && used + block > room {
            breaks.push(start);
            used = 0.0;
        }
        used = (used + block) % room;
    }
    if !breaks.is_empty() {
        ws.set_page_breaks(&breaks)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_tables_break_between_whole_columns() {
        let table = |widths: &'static [f64], repeat_cols: u16, break_before: &'static [u32]| WidePrint {
            widths,
            heights: &[],
            rows: (0, 0),
            repeat_cols,
            break_before,
        };
        // 3 columns of 45 characters (320 px each in Excel, 427 as a
        // fallback font prints them) at 80%: two fit a page.
        assert_eq!(table(&[45.0; 3], 0, &[]).breaks(80), vec![2]);
        // Each page repeats the first column: one more column a page.
        let widths = &[15.0, 45.0, 45.0, 45.0, 45.0];
        assert_eq!(table(widths, 1, &[]).breaks(80), vec![3]);
        // A preferred break on the page comes first.
        assert_eq!(table(widths, 1, &[2]).breaks(80), vec![2, 4]);
        assert!(table(&[10.0; 5], 1, &[]).breaks(100).is_empty());
    }
}
