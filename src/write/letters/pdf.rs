//! Typesetting a [`super::doc::Letter`] as PDF (placeholder: the renderer
//! lands with krilla).

use super::doc::Letter;

/// Why a PDF could not be made.
#[derive(Debug, thiserror::Error)]
#[error("cannot typeset the letters: {0}")]
pub struct PdfError(pub String);

/// Typeset `letters` into one PDF, each letter starting on a new page.
///
/// # Errors
/// The PDF could not be made.
pub fn render(letters: &[Letter]) -> Result<Vec<u8>, PdfError> {
    let _ = letters;
    Err(PdfError("not built yet".to_string()))
}

/// Typeset each letter as its own PDF.
///
/// # Errors
/// A PDF could not be made.
pub fn render_each(letters: &[Letter]) -> Result<Vec<Vec<u8>>, PdfError> {
    letters.iter().map(|l| render(std::slice::from_ref(l))).collect()
}
