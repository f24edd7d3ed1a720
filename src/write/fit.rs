//! Tables that fit the terminal, for every command that prints one: whole
//! columns left out by a stated priority (identity and money kept longest,
//! detail first to go), never a figure broken across lines; a prose column
//! may wrap within its cell as a last resort, once every column due to go
//! before it has gone; and a line saying which columns were left out and
//! where to see them. Piped (no width), every column is shown unwrapped.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Attribute, Cell, CellAlignment, Color, ContentArrangement, Table};

/// A column of a fitted table.
#[derive(Clone, Copy, Debug)]
pub struct Col<'a> {
    pub header: &'a str,
    /// 0: never left out; otherwise the higher, the sooner it is left out.
    pub leave_out: u8,
    /// Figures align right.
    pub right: bool,
    /// Prose that may wrap within its cell, down to this many characters
    /// a line, rather than be left out (0: never wraps).
    pub wrap: usize,
}

impl<'a> Col<'a> {
    pub fn text(header: &'a str, leave_out: u8) -> Col<'a> {
        Col {
            header,
            leave_out,
            right: false,
            wrap: 0,
        }
    }

    pub fn figure(header: &'a str, leave_out: u8) -> Col<'a> {
        Col {
            header,
            leave_out,
            right: true,
            wrap: 0,
        }
    }

    /// The same column, its text wrapping (as a last resort) down to `min`
    /// characters a line.
    pub fn wraps(self, min: usize) -> Col<'a> {
        Col { wrap: min, ..self }
    }
}

/// A table fitted to a width, and the headers of the columns left out.
pub struct Fitted {
    pub table: Table,
    pub left_out: Vec<String>,
}

impl Fitted {
    /// The table and, when columns were left out, the line saying which
    /// and how to `see` them, wrapped to `width`; each line ends in a
    /// newline.
    pub fn show(&self, see: &str, width: Option<usize>) -> String {
        let mut out = format!("{}\n", self.table);
        if let Some(note) = left_out_note(&self.left_out, see) {
            out += &super::phrases::wrap(&note, width);
            out.push('\n');
        }
        out
    }
}

/// Each cell's border and padding in a condensed UTF-8 table: a space
/// either side and the border on its right.
const FRAME: usize = 3;

/// The width a column takes in a condensed UTF-8 table: its widest cell
/// and its frame.
fn natural(col: &Col<'_>, c: usize, rows: &[Vec<String>]) -> usize {
    rows.iter()
        .filter_map(|r| r.get(c))
        .map(|t| t.lines().map(|l| l.chars().count()).max().unwrap_or(0))
        .chain([col.header.chars().count()])
        .max()
        .unwrap_or(0)
        + FRAME
}

/// The width of a table of these columns: theirs and the table's own left
/// border.
fn total(shown: &[usize], widths: &[usize]) -> usize {
    shown.iter().map(|c| widths[*c]).sum::<usize>() + 1
}

/// Narrow the shown wrapping columns, the widest first, until the table is
/// `width` wide or each is down to `floor(c)` characters; whether it fits.
fn narrow(
    shown: &[usize],
    widths: &mut [usize],
    width: usize,
    floor: impl Fn(usize) -> Option<usize>,
) -> bool {
    while total(shown, widths) > width {
        let widest = shown
            .iter()
            .copied()
            .filter(|c| floor(*c).is_some_and(|f| widths[*c] > f + FRAME))
            .max_by_key(|c| (widths[*c], std::cmp::Reverse(*c)));
        match widest {
            Some(c) => widths[c] -= 1,
            None => return false,
        }
    }
    true
}

/// `rows` under `cols`, fitted to `width` (all columns when `None`).
pub fn fit(cols: &[Col<'_>], rows: &[Vec<String>], width: Option<usize>) -> Fitted {
    fit_coloured(cols, rows, width, |_, _| None)
}

/// [`fit`], each cell in the colour `colour(row, column)` gives (the
/// output stream strips it when colour is off).
pub fn fit_coloured(
    cols: &[Col<'_>],
    rows: &[Vec<String>],
    width: Option<usize>,
    colour: impl Fn(usize, usize) -> Option<Color>,
) -> Fitted {
    let mut widths: Vec<usize> = cols
        .iter()
        .enumerate()
        .map(|(c, col)| natural(col, c, rows))
        .collect();
    let mut shown: Vec<usize> = (0..cols.len()).collect();
    if let Some(width) = width {
        let at_least = |c: usize| (cols[c].wrap > 0).then_some(cols[c].wrap);
        let mut order: Vec<usize> = (0..cols.len()).filter(|c| cols[*c].leave_out > 0).collect();
        order.sort_by_key(|c| std::cmp::Reverse(cols[*c].leave_out));
        for c in order {
            if total(&shown, &widths) <= width {
                break;
            }
            // A prose column due to go is wrapped instead, when wrapping
            // the shown prose columns is enough.
            if cols[c].wrap > 0 {
                let mut narrowed = widths.clone();
                if narrow(&shown, &mut narrowed, width, at_least) {
                    widths = narrowed;
                    break;
                }
            }
            shown.retain(|s| *s != c);
        }
        // Only columns never left out remain: their prose wraps to their
        // least, then to a character a line if it must.
        if !narrow(&shown, &mut widths, width, at_least) {
            narrow(&shown, &mut widths, width, |c| (cols[c].wrap > 0).then_some(1));
        }
    }
    let mut table = Table::new();
    table
        .set_content_arrangement(ContentArrangement::Disabled)
        .load_style(UTF8_FULL_CONDENSED)
        .enforce_styling()
        .set_header(
            shown
                .iter()
                .map(|c| Cell::new(cols[*c].header).add_attribute(Attribute::Bold)),
        );
    for (i, r) in rows.iter().enumerate() {
        table.add_row(shown.iter().map(|&c| {
            let text = r.get(c).map_or("", String::as_str);
            let text = if cols[c].wrap > 0 {
                textwrap::wrap(text, widths[c] - FRAME).join("\n")
            } else {
                text.to_string()
            };
            let mut cell = Cell::new(text);
            if cols[c].right {
                cell = cell.set_alignment(CellAlignment::Right);
            }
            match colour(i, c) {
                Some(colour) => cell.fg(colour),
                None => cell,
            }
        }));
    }
    let left_out = (0..cols.len())
        .filter(|c| !shown.contains(c))
        .map(|c| cols[c].header.to_string())
        .collect();
    Fitted { table, left_out }
}

/// `(Exported and Received left out to fit the terminal: widen it, or see
/// --json.)`, or `None` when every column is shown.
pub fn left_out_note(left_out: &[String], see: &str) -> Option<String> {
    if left_out.is_empty() {
        return None;
    }
    let names = match left_out {
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        [] => String::new(),
    };
    Some(format!(
        "({names} left out to fit the terminal: widen it, or {see}.)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The widest line a terminal shows (the styles take no room).
    fn widest(t: &Table) -> usize {
        anstream::adapter::strip_str(&t.to_string())
            .to_string()
            .lines()
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(0)
    }

    #[test]
    fn columns_are_left_out_in_their_order_until_the_table_fits() {
        let cols = [
            Col::text("Reference", 0),
            Col::figure("Amount £", 0),
            Col::text("Exported on the day", 2),
            Col::text("Received", 1),
        ];
        let rows = vec![vec![
            "YC-SUP00123-20260406-1".into(),
            "534.28".into(),
            "01/08/2026 YC-00001".into(),
            "14/07/2026".into(),
        ]];
        let all = fit(&cols, &rows, None);
        assert!(all.left_out.is_empty());
        let full = widest(&all.table);
        let fitted = fit(&cols, &rows, Some(full - 1));
        assert_eq!(fitted.left_out, ["Exported on the day"]);
        assert!(widest(&fitted.table) < full);
        let narrow = fit(&cols, &rows, Some(30));
        assert_eq!(narrow.left_out, ["Exported on the day", "Received"]);
        assert_eq!(
            left_out_note(&narrow.left_out, "see --json").unwrap(),
            "(Exported on the day and Received left out to fit the terminal: widen it, or see --json.)"
        );
    }

    #[test]
    fn a_prose_column_wraps_rather_than_go_and_the_rest_fit_the_width() {
        let cols = [
            Col::text("Provider", 0),
            Col::text("Name", 2).wraps(10),
            Col::text("Return", 0).wraps(12),
            Col::figure("Authorised £", 0),
            Col::text("Exported", 3),
        ];
        let rows = vec![vec![
            "SUP00123".into(),
            "Bro Morgannwg Home Care Ltd".into(),
            "v1, on time (14/07/2026)".into(),
            "534.28".into(),
            "partly: £24.85 to export".into(),
        ]];
        // Exported goes first; Name then wraps rather than go.
        let fitted = fit(&cols, &rows, Some(70));
        assert_eq!(fitted.left_out, ["Exported"]);
        assert!(widest(&fitted.table) <= 70);
        assert!(fitted.table.to_string().contains("Bro Morgannwg"));
        // Too narrow for Name even wrapped: it goes, and Return wraps.
        let fitted = fit(&cols, &rows, Some(45));
        assert_eq!(fitted.left_out, ["Name", "Exported"]);
        assert!(widest(&fitted.table) <= 45, "{}", fitted.table);
        let shown = anstream::adapter::strip_str(&fitted.show("see --json", Some(45))).to_string();
        assert!(shown.lines().all(|l| l.chars().count() <= 45), "{shown}");
        assert!(shown.contains("(Name and Exported left out"));
    }
}
