//! What the workbooks (report, summary, template, decisions) share: cell
//! formats, fills by severity, table headers and cell text within Excel's
//! limits; how a sheet prints ([`print`]) and how text fits a column
//! ([`fit`]).

mod fit;
mod print;

pub use fit::*;
pub use print::*;

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

/// Money as [`MONEY_FORMAT`] shows it (`-£1,130.74`), to size its column.
pub fn shown_money(amount: Decimal) -> String {
    let cents = amount.abs().round_dp(2);
    let whole = cents.trunc().to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if amount.is_sign_negative() && !cents.is_zero() {
        "-"
    } else {
        ""
    };
    format!(
        "{sign}£{grouped}.{:02}",
        (cents.fract() * Decimal::ONE_HUNDRED).trunc()
    )
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
    fn money_is_shown_as_its_format_shows_it() {
        assert_eq!(shown_money(Decimal::new(-113074, 2)), "-£1,130.74");
        assert_eq!(shown_money(Decimal::new(5, 1)), "£0.50");
        assert_eq!(shown_money(Decimal::new(123456789, 0)), "£123,456,789.00");
    }

    #[test]
    fn text_wraps_word_by_word() {
        assert_eq!(wrapped_lines("", 10.0, false), 1);
        assert_eq!(wrapped_lines("short", 10.0, false), 1);
        // 20 words of 4 digits: 20 x 28 px and the spaces, about 620 px,
        // measured 15% wider for a fallback font.
        let words = vec!["1234"; 20].join(" ");
        assert_eq!(wrapped_lines(&words, 110.0, false), 1);
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
}
