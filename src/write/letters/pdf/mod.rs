//! Typesetting [`Letter`]s as PDF on A4 pages, with krilla: the built-in
//! Noto Sans faces embedded and subset ([`text`]), each letter laid out whole
//! ([`layout`]) and then drawn page by page with its footer. The output is
//! the same bytes for the same letters: no dates, and krilla's document IDs
//! are hashes of the content.

mod layout;
#[cfg(test)]
mod tests;
mod text;

use krilla::color::luma;
use krilla::error::KrillaError;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::surface::Surface;
use krilla::{Document, SerializeSettings};
use rayon::prelude::*;

use super::doc::Letter;
use layout::Op;
use text::Fonts;

/// Why a PDF could not be made.
#[derive(Debug, thiserror::Error)]
#[error("cannot typeset the letters: {0}")]
pub struct PdfError(pub String);

/// Typeset `letters` into one PDF, each letter starting on a new page, its
/// footer counting its own pages. The document's title and language are the
/// first letter's.
///
/// # Errors
/// There are no letters, or a letterhead's logo is not a readable PNG or
/// JPEG image.
///
/// # Examples
/// ```
/// use yourchoice::write::letters::doc::{Block, Letter};
/// use yourchoice::write::letters::pdf::render;
///
/// let letter = Letter {
///     title: "Datganiad".to_string(),
///     language: "cy".to_string(),
///     footer: "Tudalen {page} o {pages}".to_string(),
///     blocks: vec![Block::Heading("Annwyl Siân".to_string())],
/// };
/// let pdf = render(&[letter])?;
/// assert!(pdf.starts_with(b"%PDF"));
/// # Ok::<(), yourchoice::write::letters::pdf::PdfError>(())
/// ```
pub fn render(letters: &[Letter]) -> Result<Vec<u8>, PdfError> {
    let mut printer = Printer::default();
    printer.add(letters, false)?;
    printer.finish()
}

/// Typeset each letter as a PDF of its own, in parallel; the fonts are
/// parsed once and shared.
///
/// # Errors
/// As [`render`], naming the letter.
pub fn render_each(letters: &[Letter]) -> Result<Vec<Vec<u8>>, PdfError> {
    let fonts = text::fonts()?;
    letters
        .par_iter()
        .enumerate()
        .map(|(i, letter)| {
            let pages = lay_out(fonts, letter).map_err(|e| named(i, letter, &e.0))?;
            alone(fonts, letter, &pages, i)
        })
        .collect()
}

/// Letters typeset a batch at a time ([`Printer::batch`]): each laid out
/// once, in parallel, then drawn both as a PDF of its own and into one
/// document of every letter ([`Printer::finish`]), which is built as the
/// batches go (with `duplex`, each letter starting on an odd page, for
/// printing on both sides). Memory holds one batch's layouts and PDFs, and the one
/// document.
#[derive(Default)]
pub struct Printer {
    /// For printing on both sides: each letter starts on an odd page.
    duplex: bool,
    document: Option<Document>,
    /// Letters added so far, for messages.
    count: usize,
    /// The first letter, for a message about the whole document.
    first: Option<Letter>,
}

impl Printer {
    /// A printer whose one document is for printing on both sides: each
    /// letter starts on an odd page.
    pub fn for_both_sides() -> Printer {
        Printer {
            duplex: true,
            ..Printer::default()
        }
    }

    /// Lay out `batch`, add its pages to the one document, and return each
    /// letter's own PDF, in order.
    ///
    /// # Errors
    /// A letter that cannot be typeset, named.
    pub fn batch(&mut self, batch: &[Letter]) -> Result<Vec<Vec<u8>>, PdfError> {
        self.add(batch, true)
    }

    /// Lay out `batch` and add it to the document; with `each`, draw each
    /// letter into a PDF of its own too (on another thread meanwhile).
    fn add(&mut self, batch: &[Letter], each: bool) -> Result<Vec<Vec<u8>>, PdfError> {
        let fonts = text::fonts()?;
        let first = self.count;
        let laid: Vec<Vec<Vec<Op>>> = batch
            .par_iter()
            .enumerate()
            .map(|(i, letter)| lay_out(fonts, letter).map_err(|e| named(first + i, letter, &e.0)))
            .collect::<Result<_, _>>()?;
        let Some(head) = batch.first() else {
            return Ok(Vec::new());
        };
        if self.first.is_none() {
            self.first = Some(head.clone());
        }
        let document = self.document.get_or_insert_with(|| new_document(head));
        self.count += batch.len();
        std::thread::scope(|scope| {
            // Each letter's own PDF on the pool while this thread draws the
            // one document (krilla's document stays on one thread).
            let own = each.then(|| {
                scope.spawn(|| {
                    laid.par_iter()
                        .zip(batch)
                        .enumerate()
                        .map(|(i, (pages, letter))| alone(fonts, letter, pages, first + i))
                        .collect::<Result<Vec<_>, _>>()
                })
            });
            for pages in &laid {
                draw_pages(document, fonts, pages);
                // Printed on both sides, each letter starts on a sheet of
                // its own: a letter of an odd number of pages is followed
                // by a blank one.
                if self.duplex && pages.len() % 2 == 1 {
                    draw_pages(document, fonts, &[Vec::new()]);
                }
            }
            match own {
                Some(handle) => handle
                    .join()
                    .unwrap_or_else(|_| Err(PdfError("typesetting a letter failed".to_string()))),
                None => Ok(Vec::new()),
            }
        })
    }

    /// The one document of every letter added.
    ///
    /// # Errors
    /// No letter was added, or the document cannot be written.
    pub fn finish(self) -> Result<Vec<u8>, PdfError> {
        let (Some(document), Some(first)) = (self.document, self.first) else {
            return Err(PdfError("there are no letters to typeset".to_string()));
        };
        finish(document, (self.count == 1).then_some((0, &first)))
    }
}

/// One letter as a PDF of its own, from its pages; `n` is its position
/// among all the letters, for messages.
fn alone(fonts: &Fonts, letter: &Letter, pages: &[Vec<Op>], n: usize) -> Result<Vec<u8>, PdfError> {
    let mut document = new_document(letter);
    draw_pages(&mut document, fonts, pages);
    finish(document, Some((n, letter)))
}

/// A letter's pages laid out, each with its footer counting the letter's
/// own pages.
fn lay_out(fonts: &Fonts, letter: &Letter) -> Result<Vec<Vec<Op>>, PdfError> {
    let mut pages = layout::letter(fonts, letter)?;
    let count = pages.len();
    for (n, ops) in pages.iter_mut().enumerate() {
        let footer = letter
            .footer
            .replace("{pages}", &count.to_string())
            .replace("{page}", &(n + 1).to_string());
        ops.extend(layout::footer(fonts, &footer));
    }
    Ok(pages)
}

/// An empty A4 document titled and in the language of `head`.
fn new_document(head: &Letter) -> Document {
    let mut document = Document::new_with(SerializeSettings::default());
    let mut metadata = Metadata::new().title(head.title.clone());
    if !head.language.is_empty() {
        metadata = metadata.language(head.language.clone());
    }
    document.set_metadata(metadata);
    document
}

fn draw_pages(document: &mut Document, fonts: &Fonts, pages: &[Vec<Op>]) {
    for ops in pages {
        let settings = PageSettings::from_wh(layout::PAGE_W, layout::PAGE_H).unwrap_or_default();
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        for op in ops {
            draw(&mut surface, fonts, op);
        }
        surface.finish();
        page.finish();
    }
}

/// The document's bytes; an error names the letter when it is one letter's
/// (`n`, the letter).
fn finish(document: Document, letter: Option<(usize, &Letter)>) -> Result<Vec<u8>, PdfError> {
    document.finish().map_err(|e| {
        let message = match e {
            KrillaError::Image(..) => {
                "the letterhead's logo could not be decoded as an image: it may be damaged".to_string()
            }
            other => other.to_string(),
        };
        match letter {
            Some((n, letter)) => named(n, letter, &message),
            None => PdfError(message),
        }
    })
}

/// A message about letter `n` (0-based), with its title.
fn named(n: usize, letter: &Letter, message: &str) -> PdfError {
    let n = n + 1;
    match letter.title.as_str() {
        "" => PdfError(format!("letter {n}: {message}")),
        title => PdfError(format!("letter {n} (\"{title}\"): {message}")),
    }
}

fn grey(level: u8) -> Option<Fill> {
    Some(Fill {
        paint: luma::Color::new(level).into(),
        ..Fill::default()
    })
}

fn draw(surface: &mut Surface, fonts: &Fonts, op: &Op) {
    match *op {
        Op::Text { x, y, style, ref run } => {
            surface.set_fill(grey(style.grey));
            let font = fonts.pdf(style.weight).clone();
            surface.draw_glyphs(
                Point::from_xy(x, y),
                &run.glyphs,
                font,
                &run.text,
                style.size,
                false,
            );
        }
        Op::Fill {
            x,
            y,
            w,
            h,
            grey: level,
        } => {
            let mut path = PathBuilder::new();
            if let Some(rect) = Rect::from_xywh(x, y, w, h) {
                path.push_rect(rect);
            }
            if let Some(path) = path.finish() {
                surface.set_fill(grey(level));
                surface.draw_path(&path);
            }
        }
        Op::Image {
            x,
            y,
            w,
            h,
            ref image,
        } => {
            if let Some(size) = Size::from_wh(w, h) {
                surface.push_transform(&Transform::from_translate(x, y));
                surface.draw_image(image.clone(), size);
                surface.pop();
            }
        }
    }
}

/// Whether `logo` can be drawn as a letterhead's logo: typeset once on its
/// own, so a file that is not a PNG or JPEG image is found before any
/// letter is made.
///
/// # Errors
/// What is wrong with the image (`is neither a PNG nor a JPEG image`).
pub fn check_logo(logo: &[u8]) -> Result<(), PdfError> {
    let letter = Letter {
        blocks: vec![super::doc::Block::Letterhead {
            name: String::new(),
            lines: Vec::new(),
            logo: Some(std::sync::Arc::new(logo.to_vec())),
        }],
        ..Letter::default()
    };
    render(std::slice::from_ref(&letter)).map(|_| ()).map_err(|e| {
        // What is wrong, without the letter it would name.
        let message = e.0.strip_prefix("letter 1: ").unwrap_or(&e.0);
        PdfError(
            message
                .strip_prefix("the letterhead's logo ")
                .unwrap_or(message)
                .to_string(),
        )
    })
}
