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
    typeset(letters, 0)
}

/// Typeset each letter as a PDF of its own, in parallel; the fonts are
/// parsed once and shared.
///
/// # Errors
/// As [`render`], naming the letter.
pub fn render_each(letters: &[Letter]) -> Result<Vec<Vec<u8>>, PdfError> {
    letters
        .par_iter()
        .enumerate()
        .map(|(i, letter)| typeset(std::slice::from_ref(letter), i))
        .collect()
}

/// `letters` as one PDF; `first` is the position of `letters[0]` among all
/// the letters, for messages.
fn typeset(letters: &[Letter], first: usize) -> Result<Vec<u8>, PdfError> {
    let fonts = text::fonts()?;
    let Some(head) = letters.first() else {
        return Err(PdfError("there are no letters to typeset".to_string()));
    };
    let settings = PageSettings::from_wh(layout::PAGE_W, layout::PAGE_H)
        .ok_or_else(|| PdfError("A4 is not a page size".to_string()))?;
    let mut document = Document::new_with(SerializeSettings::default());
    let mut metadata = Metadata::new().title(head.title.clone());
    if !head.language.is_empty() {
        metadata = metadata.language(head.language.clone());
    }
    document.set_metadata(metadata);
    let which = |i: usize, letter: &Letter, message: &str| {
        let n = first + i + 1;
        match letter.title.as_str() {
            "" => PdfError(format!("letter {n}: {message}")),
            title => PdfError(format!("letter {n} (\"{title}\"): {message}")),
        }
    };
    for (i, letter) in letters.iter().enumerate() {
        let pages = layout::letter(fonts, letter).map_err(|e| which(i, letter, &e.0))?;
        let count = pages.len();
        for (n, ops) in pages.into_iter().enumerate() {
            let mut page = document.start_page_with(settings.clone());
            let mut surface = page.surface();
            let footer = letter
                .footer
                .replace("{pages}", &count.to_string())
                .replace("{page}", &(n + 1).to_string());
            for op in ops.into_iter().chain(layout::footer(fonts, &footer)) {
                draw(&mut surface, fonts, op);
            }
            surface.finish();
            page.finish();
        }
    }
    document.finish().map_err(|e| {
        let message = match e {
            KrillaError::Image(_, _, message) => {
                format!("the letterhead's logo could not be decoded as an image ({message})")
            }
            other => other.to_string(),
        };
        match letters {
            [letter] => which(0, letter, &message),
            _ => PdfError(message),
        }
    })
}

fn grey(level: u8) -> Option<Fill> {
    Some(Fill {
        paint: luma::Color::new(level).into(),
        ..Fill::default()
    })
}

fn draw(surface: &mut Surface, fonts: &Fonts, op: Op) {
    match op {
        Op::Text { x, y, style, run } => {
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
        Op::Image { x, y, w, h, image } => {
            if let Some(size) = Size::from_wh(w, h) {
                surface.push_transform(&Transform::from_translate(x, y));
                surface.draw_image(image, size);
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
            logo: Some(logo.to_vec()),
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
