//! The letters' type: Noto Sans regular and bold, built into the binary,
//! shaped with rustybuzz (the shaper krilla itself uses) into glyph runs that
//! krilla draws and subsets, and greedy line breaking measured with those
//! same shaped advances, so that a right-aligned figure ends exactly at the
//! margin and a measured line is the line drawn.

use std::sync::LazyLock;

use krilla::text::{Font, GlyphId, KrillaGlyph};
use rustybuzz::{Direction, Face, ShapePlan, UnicodeBuffer, script};

use super::PdfError;

/// Noto Sans (SIL Open Font License, `assets/fonts/OFL.txt`): it has every
/// Welsh letter (ŵ ŷ â ê î ô û ï ë) precomposed.
const REGULAR: &[u8] = include_bytes!("../../../../assets/fonts/NotoSans-Regular.ttf");
const BOLD: &[u8] = include_bytes!("../../../../assets/fonts/NotoSans-Bold.ttf");

/// Slack for comparing widths in ems, so that rounding never pushes a word
/// that fits exactly onto the next line.
const EPSILON: f32 = 1e-4;

/// The two faces a letter is set in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Weight {
    Regular,
    Bold,
}

/// A line of shaped glyphs and the text they stand for (which the PDF keeps,
/// so that the letter can be searched and copied). Advances are in ems:
/// `width * size` is the width in points.
#[derive(Clone, Debug, Default)]
pub(super) struct Run {
    pub(super) text: String,
    pub(super) glyphs: Vec<KrillaGlyph>,
    pub(super) width: f32,
}

/// One face, parsed once for shaping and once for krilla.
struct Typeface {
    shaper: Face<'static>,
    /// Building a plan is the slow part of shaping: one per face, made once.
    plan: ShapePlan,
    pdf: Font,
    units_per_em: f32,
}

/// The faces, parsed once per process and shared by every letter and thread.
pub(super) struct Fonts {
    regular: Typeface,
    bold: Typeface,
}

static FONTS: LazyLock<Option<Fonts>> = LazyLock::new(|| {
    Some(Fonts {
        regular: Typeface::load(REGULAR)?,
        bold: Typeface::load(BOLD)?,
    })
});

/// The parsed faces.
///
/// # Errors
/// The built-in fonts could not be parsed (a broken build, not bad data).
pub(super) fn fonts() -> Result<&'static Fonts, PdfError> {
    FONTS
        .as_ref()
        .ok_or_else(|| PdfError("the built-in Noto Sans fonts could not be read".to_string()))
}

impl Typeface {
    fn load(data: &'static [u8]) -> Option<Self> {
        let shaper = Face::from_slice(data, 0)?;
        let plan = ShapePlan::new(&shaper, Direction::LeftToRight, Some(script::LATIN), None, &[]);
        let pdf = Font::new(data.into(), 0)?;
        let units_per_em = f32::from(u16::try_from(shaper.units_per_em()).ok()?);
        Some(Self {
            shaper,
            plan,
            pdf,
            units_per_em,
        })
    }

    /// Shape one line of clean text (see [`hard_lines`]). Every glyph's
    /// `text_range` is its cluster's bytes in `text`.
    fn shape(&self, text: &str) -> Vec<KrillaGlyph> {
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(text);
        // Fixed properties, matching the one plan. Letters are in Welsh and
        // English; a script the fonts lack would show missing-glyph boxes in
        // any case.
        buffer.set_direction(Direction::LeftToRight);
        buffer.set_script(script::LATIN);
        let shaped = rustybuzz::shape_with_plan(&self.shaper, &self.plan, buffer);
        let infos = shaped.glyph_infos();
        let positions = shaped.glyph_positions();
        let em = self.units_per_em;
        let mut glyphs = Vec::with_capacity(infos.len());
        let mut end = text.len();
        for (i, (info, pos)) in infos.iter().zip(positions).enumerate().rev() {
            let start = (info.cluster as usize).min(text.len());
            if let Some(next) = infos.get(i + 1)
                && next.cluster != info.cluster
            {
                end = (next.cluster as usize).min(text.len());
            }
            glyphs.push(KrillaGlyph::new(
                GlyphId::new(info.glyph_id),
                pos.x_advance as f32 / em,
                pos.x_offset as f32 / em,
                pos.y_offset as f32 / em,
                pos.y_advance as f32 / em,
                start..end.max(start),
                None,
            ));
        }
        glyphs.reverse();
        glyphs
    }
}

impl Fonts {
    fn face(&self, weight: Weight) -> &Typeface {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }

    /// The font krilla embeds (and subsets) for `weight`.
    pub(super) fn pdf(&self, weight: Weight) -> &Font {
        &self.face(weight).pdf
    }

    /// `text` broken into lines no wider than `width` ems: greedily at
    /// spaces, and by characters inside a word wider than a line. A line
    /// break in the text starts a new line; runs of spaces and tabs count as
    /// one space and other control characters are dropped. Always at least
    /// one run (empty for empty text).
    pub(super) fn wrap(&self, weight: Weight, text: &str, width: f32) -> Vec<Run> {
        let face = self.face(weight);
        let mut lines = Vec::new();
        for line in hard_lines(text) {
            if line.is_empty() {
                lines.push(Run::default());
            } else {
                break_line(&line, &face.shape(&line), width, &mut lines);
            }
        }
        lines
    }
}

/// `text` as clean lines: split at line breaks, whitespace collapsed to
/// single spaces (no-break spaces kept), control characters dropped, ends
/// trimmed, trailing empty lines removed.
fn hard_lines(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut space = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' | '\n' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                lines.push(std::mem::take(&mut line));
                space = false;
            }
            '\u{A0}' | '\u{2007}' | '\u{202F}' => line.push(c),
            c if c.is_whitespace() => space = !line.is_empty(),
            c if c.is_control() => {}
            c => {
                if space {
                    line.push(' ');
                    space = false;
                }
                line.push(c);
            }
        }
    }
    lines.push(line);
    while lines.len() > 1 && lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines
}

fn advance(glyphs: &[KrillaGlyph]) -> f32 {
    glyphs.iter().map(|g| g.x_advance).sum()
}

/// Greedy breaking of one shaped line at its space glyphs into `out`.
fn break_line(text: &str, glyphs: &[KrillaGlyph], width: f32, out: &mut Vec<Run>) {
    let is_space = |g: &KrillaGlyph| text.get(g.text_range.clone()) == Some(" ");
    // The line being filled is glyphs[start..end], `filled` ems wide.
    let (mut start, mut end, mut filled) = (0, 0, 0.0);
    let mut i = 0;
    while i < glyphs.len() {
        let gap_start = i;
        while i < glyphs.len() && is_space(&glyphs[i]) {
            i += 1;
        }
        let word_start = i;
        while i < glyphs.len() && !is_space(&glyphs[i]) {
            i += 1;
        }
        if word_start == i {
            break;
        }
        let gap = advance(&glyphs[gap_start..word_start]);
        let word = advance(&glyphs[word_start..i]);
        if end > start && filled + gap + word <= width + EPSILON {
            filled += gap + word;
            end = i;
            continue;
        }
        if end > start {
            out.push(run(text, &glyphs[start..end]));
        }
        start = word_start;
        end = i;
        filled = word;
        if word > width + EPSILON {
            (start, filled) = break_word(text, glyphs, word_start..i, width, out);
        }
    }
    if end > start {
        out.push(run(text, &glyphs[start..end]));
    }
}

/// Break a word too wide for a line between its clusters (never inside
/// one): full lines go to `out`; returns where the rest starts and its width.
/// Each line takes at least one cluster, so this always ends.
fn break_word(
    text: &str,
    glyphs: &[KrillaGlyph],
    word: std::ops::Range<usize>,
    width: f32,
    out: &mut Vec<Run>,
) -> (usize, f32) {
    let (mut start, mut filled) = (word.start, 0.0);
    let mut k = word.start;
    while k < word.end {
        let cluster = glyphs[k].text_range.start;
        let mut next = k + 1;
        while next < word.end && glyphs[next].text_range.start == cluster {
            next += 1;
        }
        let w = advance(&glyphs[k..next]);
        if k > start && filled + w > width + EPSILON {
            out.push(run(text, &glyphs[start..k]));
            start = k;
            filled = 0.0;
        }
        filled += w;
        k = next;
    }
    (start, filled)
}

/// The glyphs as a run of their own, their text ranges made relative to it.
fn run(text: &str, glyphs: &[KrillaGlyph]) -> Run {
    let from = glyphs.iter().map(|g| g.text_range.start).min().unwrap_or(0);
    let to = glyphs.iter().map(|g| g.text_range.end).max().unwrap_or(from);
    let Some(slice) = text.get(from..to) else {
        return Run::default();
    };
    let glyphs: Vec<KrillaGlyph> = glyphs
        .iter()
        .map(|g| {
            let mut g = g.clone();
            g.text_range = g.text_range.start - from..g.text_range.end - from;
            g
        })
        .collect();
    Run {
        text: slice.to_string(),
        width: advance(&glyphs),
        glyphs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_lines() {
        assert_eq!(hard_lines("  a \t b\u{7}c  \r\nd\n\n"), ["a bc", "d"]);
        assert_eq!(hard_lines(""), [""]);
        assert_eq!(hard_lines("£1\u{A0}234"), ["£1\u{A0}234"]);
    }

    #[test]
    fn wraps_within_the_width_and_breaks_long_words() {
        let fonts = fonts().expect("fonts");
        let text = "Siân Ŵyn, Tŷ Llŷr ".repeat(40) + &"x".repeat(5_000);
        for width in [0.0, 0.5, 3.0, 20.0] {
            let lines = fonts.wrap(Weight::Regular, &text, width);
            let joined: String = lines.iter().map(|l| l.text.replace(' ', "")).collect();
            assert_eq!(joined, text.replace(' ', ""), "no text lost at width {width}");
            for line in &lines {
                assert!(
                    line.width <= width + EPSILON || line.glyphs.len() == 1,
                    "{width}: {}",
                    line.text
                );
            }
        }
    }

    #[test]
    fn shapes_any_unicode() {
        let fonts = fonts().expect("fonts");
        let text = "w\u{302} 漢字 🙂 \u{200B}\u{FEFF} مرحبا \u{10FFFF}";
        let lines = fonts.wrap(Weight::Bold, text, 4.0);
        assert!(!lines.is_empty());
    }
}
