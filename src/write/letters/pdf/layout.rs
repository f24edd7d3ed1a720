//! Blocks to pages: where every line, rule, shaded band and logo of one
//! letter goes, in points from the top-left corner of an A4 page. A letter
//! is laid out whole before anything is drawn, so that its page count is
//! known for the footers.

use krilla::image::Image;

use super::PdfError;
use super::text::{Fonts, Run, Weight};
use crate::write::letters::doc::{Align, Block, FigureLine, Letter, Table};

/// One millimetre in points.
pub(super) const MM: f32 = 72.0 / 25.4;
pub(super) const PAGE_W: f32 = 210.0 * MM;
pub(super) const PAGE_H: f32 = 297.0 * MM;
const LEFT: f32 = 20.0 * MM;
const RIGHT: f32 = PAGE_W - 20.0 * MM;
const TEXT_W: f32 = RIGHT - LEFT;
const TOP: f32 = 18.0 * MM;
/// Nothing but the footer below this (room for two footer lines).
const BOTTOM: f32 = PAGE_H - 22.0 * MM;
/// The baseline of the footer's last line.
const FOOTER: f32 = PAGE_H - 12.0 * MM;
/// A window envelope's address: its top, and the width of the window.
const ADDRESS_TOP: f32 = 45.0 * MM;
const ADDRESS_W: f32 = 85.0 * MM;
const REFERENCE_W: f32 = TEXT_W - ADDRESS_W - 10.0 * MM;
const LOGO_W: f32 = 45.0 * MM;
const LOGO_H: f32 = 20.0 * MM;
/// Horizontal padding of a table cell.
const CELL_PAD: f32 = 4.0;
/// Height of a capital letter, in ems (Noto Sans).
const CAP: f32 = 0.714;
const EPSILON: f32 = 1e-3;

/// A face, size and grey level (0 black, 255 white).
#[derive(Clone, Copy, Debug)]
pub(super) struct Style {
    pub(super) weight: Weight,
    pub(super) size: f32,
    pub(super) grey: u8,
}

impl Style {
    const fn new(weight: Weight, size: f32, grey: u8) -> Self {
        Self { weight, size, grey }
    }

    const fn bold(self) -> Self {
        Self::new(Weight::Bold, self.size, self.grey)
    }

    /// Line height: 1.35 times the size.
    fn leading(self) -> f32 {
        self.size * 1.35
    }

    /// From the top of a line to its baseline: capitals centred in the line.
    fn baseline(self) -> f32 {
        (self.leading() + CAP * self.size) / 2.0
    }
}

const BODY: Style = Style::new(Weight::Regular, 10.5, 0);
const HEADING: Style = Style::new(Weight::Bold, 14.0, 0);
const NAME: Style = Style::new(Weight::Bold, 13.0, 0);
const LETTERHEAD: Style = Style::new(Weight::Regular, 9.5, 0x40);
const CELL: Style = Style::new(Weight::Regular, 9.5, 0);
const FOOT: Style = Style::new(Weight::Regular, 8.5, 0x66);

/// One thing to draw, in points, y growing down the page.
pub(super) enum Op {
    /// A run with its baseline starting at (x, y).
    Text { x: f32, y: f32, style: Style, run: Run },
    /// A filled rectangle (rules and shading).
    Fill {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        grey: u8,
    },
    Image {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        image: Image,
    },
}

/// What a row of a table or figures is, for its rules and shading.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Header,
    Body,
    Total,
    Figure,
    FigureTotal,
}

/// A cell's wrapped lines, placed in its column.
struct Cell {
    x: f32,
    width: f32,
    align: Align,
    lines: Vec<Run>,
}

struct Row {
    cells: Vec<Cell>,
    style: Style,
    kind: Kind,
}

impl Row {
    fn lines(&self) -> usize {
        self.cells.iter().map(|c| c.lines.len()).max().unwrap_or(0)
    }

    /// Vertical padding above and below the lines.
    fn pad(&self) -> f32 {
        match self.kind {
            Kind::Figure => 1.5,
            Kind::FigureTotal | Kind::Header | Kind::Body | Kind::Total => 3.0,
        }
    }

    fn height(&self, lines: usize) -> f32 {
        2.0 * self.pad() + lines as f32 * self.style.leading()
    }
}

/// The pages of one letter, each a list of things to draw.
pub(super) fn letter(fonts: &Fonts, letter: &Letter) -> Result<Vec<Vec<Op>>, PdfError> {
    let mut layout = Layout {
        fonts,
        done: Vec::new(),
        page: Vec::new(),
        y: TOP,
    };
    for block in &letter.blocks {
        match block {
            Block::Letterhead { name, lines, logo } => layout.letterhead(name, lines, logo.as_ref())?,
            Block::Address { lines, reference } => layout.address(lines, reference),
            Block::Heading(text) => layout.heading(text),
            Block::Paragraph { text, bold } => {
                let style = if *bold { BODY.bold() } else { BODY };
                let lines = layout.wrap(style, text, TEXT_W);
                layout.flow(LEFT, TEXT_W, style, Align::Left, lines);
                layout.y += 7.0;
            }
            Block::Figures(lines) => layout.figures(lines),
            Block::Table(table) => layout.table(table),
            Block::Rule => {
                layout.need(10.0);
                layout.fill(LEFT, layout.y + 3.0, TEXT_W, 0.6, 0x99);
                layout.y += 12.0;
            }
            Block::NewPage => {
                if !layout.page.is_empty() {
                    layout.new_page();
                }
            }
        }
    }
    layout.done.push(layout.page);
    Ok(layout.done)
}

/// The footer of one page (its placeholders already filled in): centred,
/// grey, at most two lines ending 12 mm above the bottom of the page.
pub(super) fn footer(fonts: &Fonts, text: &str) -> Vec<Op> {
    let mut lines = fonts.wrap(FOOT.weight, text, TEXT_W / FOOT.size);
    lines.truncate(2);
    let count = lines.len() as f32;
    lines
        .into_iter()
        .enumerate()
        .map(|(i, run)| Op::Text {
            x: LEFT + (TEXT_W - run.width * FOOT.size) / 2.0,
            y: FOOTER - (count - 1.0 - i as f32) * FOOT.leading(),
            style: FOOT,
            run,
        })
        .collect()
}

struct Layout<'f> {
    fonts: &'f Fonts,
    done: Vec<Vec<Op>>,
    page: Vec<Op>,
    /// The top of the next line on `page`.
    y: f32,
}

impl Layout<'_> {
    fn new_page(&mut self) {
        self.done.push(std::mem::take(&mut self.page));
        self.y = TOP;
    }

    /// Start a new page unless `height` fits on this one or this one is
    /// still empty (then nothing would be gained).
    fn need(&mut self, height: f32) {
        if self.y + height > BOTTOM + EPSILON && !self.page.is_empty() {
            self.new_page();
        }
    }

    fn wrap(&self, style: Style, text: &str, width: f32) -> Vec<Run> {
        self.fonts.wrap(style.weight, text, width / style.size)
    }

    fn fill(&mut self, x: f32, y: f32, w: f32, h: f32, grey: u8) {
        self.page.push(Op::Fill { x, y, w, h, grey });
    }

    /// A line whose box starts at `top`, in a column `width` wide at `x`.
    fn put(&mut self, x: f32, width: f32, top: f32, style: Style, align: Align, run: Run) {
        if run.glyphs.is_empty() {
            return;
        }
        let x = match align {
            Align::Left => x,
            Align::Right => x + width - run.width * style.size,
        };
        let y = top + style.baseline();
        self.page.push(Op::Text { x, y, style, run });
    }

    /// Lines one under another, onto new pages as needed.
    fn flow(&mut self, x: f32, width: f32, style: Style, align: Align, lines: Vec<Run>) {
        for run in lines {
            self.need(style.leading());
            self.put(x, width, self.y, style, align, run);
            self.y += style.leading();
        }
    }

    fn letterhead(
        &mut self,
        name: &str,
        lines: &[String],
        logo: Option<&std::sync::Arc<Vec<u8>>>,
    ) -> Result<(), PdfError> {
        self.need(NAME.leading() + 2.0 * LETTERHEAD.leading());
        let top = self.y;
        let mut width = TEXT_W;
        let mut bottom = top;
        if let Some(bytes) = logo {
            let image = logo_image(bytes)?;
            let (w, h) = image.size();
            if w == 0 || h == 0 {
                return Err(PdfError("the letterhead's logo has no pixels".to_string()));
            }
            // A small image declaring millions of pixels would be decoded
            // into gigabytes, once for every letter: a letterhead's logo
            // needs no more than this at 45 by 20 mm.
            if w > MAX_LOGO_PIXELS || h > MAX_LOGO_PIXELS {
                return Err(PdfError(format!(
                    "the letterhead's logo is {w} by {h} pixels, more than the {MAX_LOGO_PIXELS} a side a logo needs: scale it down"
                )));
            }
            let scale = (LOGO_W / w as f32).min(LOGO_H / h as f32);
            let (w, h) = (w as f32 * scale, h as f32 * scale);
            self.page.push(Op::Image {
                x: RIGHT - w,
                y: top,
                w,
                h,
                image,
            });
            width = TEXT_W - w - 6.0 * MM;
            bottom = top + h;
        }
        if !name.is_empty() {
            let lines = self.wrap(NAME, name, width);
            self.flow(LEFT, width, NAME, Align::Left, lines);
            self.y += 1.5;
        }
        for line in lines {
            let lines = self.wrap(LETTERHEAD, line, width);
            self.flow(LEFT, width, LETTERHEAD, Align::Left, lines);
        }
        self.y = self.y.max(bottom) + 6.0 * MM;
        Ok(())
    }

    /// The recipient at the left, where an envelope's window shows it, and
    /// the references right-aligned beside it.
    fn address(&mut self, lines: &[String], reference: &[String]) {
        let left: Vec<Run> = lines.iter().flat_map(|l| self.wrap(BODY, l, ADDRESS_W)).collect();
        let right: Vec<Run> = reference
            .iter()
            .flat_map(|l| self.wrap(BODY, l, REFERENCE_W))
            .collect();
        let lead = BODY.leading();
        let height = left.len().max(right.len()) as f32 * lead;
        if self.y.max(ADDRESS_TOP) + height > BOTTOM && !self.page.is_empty() {
            self.new_page();
        }
        let top = self.y.max(ADDRESS_TOP);
        let ref_x = RIGHT - REFERENCE_W;
        if top + height > BOTTOM {
            // Taller than a page: one after the other instead.
            self.y = top;
            self.flow(LEFT, ADDRESS_W, BODY, Align::Left, left);
            self.flow(ref_x, REFERENCE_W, BODY, Align::Right, right);
        } else {
            for (i, run) in left.into_iter().enumerate() {
                self.put(LEFT, ADDRESS_W, top + i as f32 * lead, BODY, Align::Left, run);
            }
            for (i, run) in right.into_iter().enumerate() {
                self.put(ref_x, REFERENCE_W, top + i as f32 * lead, BODY, Align::Right, run);
            }
            self.y = top + height;
        }
        self.y += 8.0 * MM;
    }

    /// A heading, kept on the page with two lines of what follows it.
    fn heading(&mut self, text: &str) {
        let lines = self.wrap(HEADING, text, TEXT_W);
        let above = 8.0;
        self.need(above + lines.len() as f32 * HEADING.leading() + 2.0 * BODY.leading());
        if !self.page.is_empty() {
            self.y += above;
        }
        self.flow(LEFT, TEXT_W, HEADING, Align::Left, lines);
        self.y += 3.0;
    }

    /// Labels wrapped in 70% of the width, values right-aligned at the right.
    fn figures(&mut self, lines: &[FigureLine]) {
        let label_w = TEXT_W * 0.7;
        let value_x = LEFT + label_w + 4.0 * MM;
        let value_w = RIGHT - value_x;
        let rows = lines
            .iter()
            .map(|line| {
                let style = if line.bold { BODY.bold() } else { BODY };
                let cell = |x, width, align, text: &str| Cell {
                    x,
                    width,
                    align,
                    lines: self.wrap(style, text, width),
                };
                Row {
                    cells: vec![
                        cell(LEFT, label_w, Align::Left, &line.label),
                        cell(value_x, value_w, Align::Right, &line.value),
                    ],
                    style,
                    kind: if line.bold {
                        Kind::FigureTotal
                    } else {
                        Kind::Figure
                    },
                }
            })
            .collect::<Vec<Row>>();
        // Figures are read together (a total away from what it totals
        // misleads): kept on one page where they fit on one.
        let whole: f32 = rows.iter().map(|r| r.height(r.lines())).sum();
        if whole <= (BOTTOM - TOP) / 2.0 {
            self.need(whole);
        }
        self.rows(None, rows);
        self.y += 7.0;
    }

    fn table(&mut self, table: &Table) {
        let columns = table
            .rows
            .iter()
            .chain(table.total.as_ref())
            .map(Vec::len)
            .fold(table.header.len(), usize::max);
        if columns == 0 {
            return;
        }
        let weights: Vec<f32> = (0..columns)
            .map(|i| {
                table
                    .widths
                    .get(i)
                    .copied()
                    .filter(|w| *w > 0)
                    .map_or(1.0, f32::from)
            })
            .collect();
        let sum: f32 = weights.iter().sum();
        let mut x = LEFT;
        let spans: Vec<(f32, f32)> = weights
            .iter()
            .map(|w| {
                let width = TEXT_W * w / sum;
                x += width;
                (x - width, width)
            })
            .collect();
        let row = |cells: &[String], style: Style, kind: Kind| Row {
            cells: spans
                .iter()
                .enumerate()
                .map(|(i, &(x, w))| {
                    let width = (w - 2.0 * CELL_PAD).max(1.0);
                    let text = cells.get(i).map_or("", String::as_str);
                    Cell {
                        x: x + CELL_PAD,
                        width,
                        align: table.align.get(i).copied().unwrap_or(Align::Left),
                        lines: self.wrap(style, text, width),
                    }
                })
                .collect(),
            style,
            kind,
        };
        let header = (!table.header.is_empty()).then(|| row(&table.header, CELL.bold(), Kind::Header));
        let mut body: Vec<Row> = table.rows.iter().map(|r| row(r, CELL, Kind::Body)).collect();
        body.extend(table.total.iter().map(|r| row(r, CELL.bold(), Kind::Total)));
        self.rows(header, body);
        self.y += 8.0;
    }

    /// Rows one under another: a row moves whole to the next page when it
    /// does not fit, and the header is drawn again at the top of each page.
    /// Only a row taller than a page is split, between its lines.
    fn rows(&mut self, header: Option<Row>, rows: Vec<Row>) {
        // A header too tall to repeat is drawn once, like a row.
        let (header, rows) = match header {
            Some(h) if h.height(h.lines()) > (BOTTOM - TOP) / 3.0 => {
                (None, std::iter::once(h).chain(rows).collect())
            }
            h => (h, rows),
        };
        let header_h = header.as_ref().map_or(0.0, |h| h.height(h.lines()));
        let first_h = rows.first().map_or(0.0, |r| r.height(r.lines()));
        self.need(header_h + first_h);
        // Whether only the header is on this page (a new page would not help).
        let mut at_top = self.page.is_empty();
        if let Some(h) = &header {
            self.row(h, 0, h.lines());
        }
        for (i, row) in rows.iter().enumerate() {
            let (lines, mut from) = (row.lines(), 0);
            // A table's total is kept with its last row: never alone at the
            // top of a page, under a repeated header.
            let keep = match rows.get(i + 1) {
                Some(next) if matches!(next.kind, Kind::Total) => next.height(next.lines()),
                _ => 0.0,
            };
            loop {
                let with = if at_top { 0.0 } else { keep };
                if self.y + row.height(lines - from) + with <= BOTTOM + EPSILON {
                    self.row(row, from, lines);
                    at_top = false;
                    break;
                }
                if at_top {
                    let room = BOTTOM - self.y - 2.0 * row.pad();
                    let fit = ((room / row.style.leading()).floor().max(1.0) as usize).min(lines - from);
                    self.row(row, from, from + fit);
                    from += fit;
                    if from >= lines {
                        break;
                    }
                }
                self.new_page();
                at_top = true;
                if let Some(h) = &header {
                    self.row(h, 0, h.lines());
                }
            }
        }
    }

    /// Lines `from..to` of a row, with its shading and rules, at `self.y`.
    fn row(&mut self, row: &Row, from: usize, to: usize) {
        let (top, height) = (self.y, row.height(to - from));
        match row.kind {
            Kind::Header => {
                self.fill(LEFT, top, TEXT_W, height, 0xE8);
                self.fill(LEFT, top + height - 0.6, TEXT_W, 0.6, 0x99);
            }
            Kind::Body => self.fill(LEFT, top + height - 0.4, TEXT_W, 0.4, 0xCC),
            Kind::Total => self.fill(LEFT, top, TEXT_W, 0.8, 0x55),
            Kind::FigureTotal => self.fill(LEFT, top, TEXT_W, 0.5, 0x88),
            Kind::Figure => {}
        }
        let lead = row.style.leading();
        for cell in &row.cells {
            for (i, run) in cell.lines.iter().enumerate().take(to).skip(from) {
                let line_top = top + row.pad() + (i - from) as f32 * lead;
                self.put(cell.x, cell.width, line_top, row.style, cell.align, run.clone());
            }
        }
        self.y = top + height;
    }
}

/// The most pixels a logo may have on a side.
const MAX_LOGO_PIXELS: u32 = 2000;

/// The logo as an image krilla embeds; only its header is read here, the
/// pixels when the PDF is written.
fn logo_image(bytes: &std::sync::Arc<Vec<u8>>) -> Result<Image, PdfError> {
    // The one copy of the bytes, shared by every letter.
    let data = krilla::Data::from(std::sync::Arc::clone(bytes));
    let image = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Image::from_png(data, true)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Image::from_jpeg(data, true)
    } else {
        return Err(PdfError(
            "the letterhead's logo is neither a PNG nor a JPEG image".to_string(),
        ));
    };
    image.map_err(|_| {
        PdfError("the letterhead's logo could not be read as an image: it may be damaged".to_string())
    })
}
