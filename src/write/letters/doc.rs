//! A letter as blocks of worded text, ready to typeset: what the letter
//! writers build (in the reader's language, every figure already formatted)
//! and what [`super::pdf`] lays out on A4 pages. Nothing here knows about
//! money rules or PDF.

/// One letter: its blocks in reading order. A bilingual letter is one
/// `Letter` holding the Welsh blocks, a [`Block::NewPage`], then the
/// English blocks.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Letter {
    /// The document title (PDF metadata and the first heading's text).
    pub title: String,
    /// BCP 47 language of the letter's first part (`cy`, `en`): PDF metadata.
    pub language: String,
    /// The line at the foot of every page, with `{page}` and `{pages}`
    /// replaced by the page number within this letter and the letter's page
    /// count (`Tudalen {page} o {pages} / Page {page} of {pages}`).
    pub footer: String,
    pub blocks: Vec<Block>,
}

/// Horizontal alignment of a table column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// One block of a letter, laid out top to bottom.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// The council's letterhead at the top of the first page: its name in
    /// bold, then its address and contact lines; an optional logo (PNG or
    /// JPEG bytes) at the top right, scaled to fit.
    Letterhead {
        name: String,
        lines: Vec<String>,
        logo: Option<std::sync::Arc<Vec<u8>>>,
    },
    /// The recipient's name and address lines, at the left, under the
    /// letterhead; beside it, at the right, the letter's reference lines
    /// (date, reference).
    Address {
        lines: Vec<String>,
        reference: Vec<String>,
    },
    /// A heading in bold, larger than the text.
    Heading(String),
    /// A paragraph, wrapped to the page width; `bold` for the whole
    /// paragraph.
    Paragraph { text: String, bold: bool },
    /// Label and value pairs, one per line, the values right-aligned in a
    /// column (the figures of a statement); `bold` rows are totals.
    Figures(Vec<FigureLine>),
    /// A table: header row repeated at the top of every page it runs onto;
    /// `widths` are relative column widths; a `total` row in bold at the end.
    Table(Table),
    /// A thin horizontal rule across the text width.
    Rule,
    /// Start the next block on a new page (the English part of a bilingual
    /// letter).
    NewPage,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FigureLine {
    pub label: String,
    pub value: String,
    pub bold: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub header: Vec<String>,
    pub align: Vec<Align>,
    /// Relative widths (any positive numbers; they are scaled to the text
    /// width).
    pub widths: Vec<u16>,
    pub rows: Vec<Vec<String>>,
    pub total: Option<Vec<String>>,
}
