//! What the workbooks (report, summary, template) share: cell formats,
//! fills by severity, and the print and table set-up.

use rust_decimal::Decimal;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Worksheet, XlsxError};

use crate::engine::PersonStatus;
use crate::findings::Severity;
use crate::units::Hours;

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
        let fill = |rgb: u32| Format::new().set_background_color(Color::RGB(rgb));
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
            within: fill(0xC6_EF_CE),
            referred: fill(0xFF_C7_CE),
            no_care: fill(0xE7_E6_E6),
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

/// Print set-up every sheet shares: landscape, A4, one page wide, the header
/// row repeated.
pub fn print_setup(ws: &mut Worksheet, header_row: u32) -> Result<(), XlsxError> {
    ws.set_landscape();
    ws.set_paper_size(9); // A4
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(header_row, header_row)?;
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

/// The most characters a cell holds (Excel's limit).
pub const MAX_CELL_CHARS: usize = 32_767;

/// Text for a cell, cut to what a cell holds with a marker saying so: a
/// name or note longer than a cell never stops the report being written.
pub fn cell_text(text: &str) -> std::borrow::Cow<'_, str> {
    let n = text.chars().count();
    if n <= MAX_CELL_CHARS {
        return std::borrow::Cow::Borrowed(text);
    }
    let marker = format!(" … [truncated: {n} characters in all]");
    let keep = MAX_CELL_CHARS - marker.chars().count();
    let mut cut: String = text.chars().take(keep).collect();
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
}
