//! Tables that fit the terminal: whole columns left out by a stated
//! priority (identity and money kept longest), never a figure broken
//! across lines, and a line saying which were left out and where to see
//! them. Piped (no width), every column is shown.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Attribute, Cell, CellAlignment, ContentArrangement, Table};

/// A column of a fitted table.
#[derive(Clone, Copy, Debug)]
pub struct Col<'a> {
    pub header: &'a str,
    /// 0: never left out; otherwise the higher, the sooner it is left out.
    pub leave_out: u8,
    /// Figures align right.
    pub right: bool,
}

impl<'a> Col<'a> {
    pub fn text(header: &'a str, leave_out: u8) -> Col<'a> {
        Col {
            header,
            leave_out,
            right: false,
        }
    }

    pub fn figure(header: &'a str, leave_out: u8) -> Col<'a> {
        Col {
            header,
            leave_out,
            right: true,
        }
    }
}

/// A table fitted to a width, and the headers of the columns left out.
pub struct Fitted {
    pub table: Table,
    pub left_out: Vec<String>,
}

/// The width a column takes in a condensed UTF-8 table: its widest cell
/// and a space either side and a border.
fn natural(col: &Col<'_>, c: usize, rows: &[Vec<String>]) -> usize {
    rows.iter()
        .filter_map(|r| r.get(c))
        .map(|t| t.lines().map(|l| l.chars().count()).max().unwrap_or(0))
        .chain([col.header.chars().count()])
        .max()
        .unwrap_or(0)
        + 3
}

/// `rows` under `cols`, fitted to `width` (all columns when `None`).
pub fn fit(cols: &[Col<'_>], rows: &[Vec<String>], width: Option<usize>) -> Fitted {
    let widths: Vec<usize> = cols
        .iter()
        .enumerate()
        .map(|(c, col)| natural(col, c, rows))
        .collect();
    let mut shown: Vec<usize> = (0..cols.len()).collect();
    if let Some(width) = width {
        let mut order: Vec<usize> = (0..cols.len()).filter(|c| cols[*c].leave_out > 0).collect();
        order.sort_by_key(|c| std::cmp::Reverse(cols[*c].leave_out));
        for c in order {
            // The table's own left border takes one more column.
            if shown.iter().map(|c| widths[*c]).sum::<usize>() < width {
                break;
            }
            shown.retain(|s| *s != c);
        }
    }
    let mut table = Table::new();
    table
        .set_content_arrangement(ContentArrangement::Disabled)
        .load_style(UTF8_FULL_CONDENSED)
        .set_header(
            shown
                .iter()
                .map(|c| Cell::new(cols[*c].header).add_attribute(Attribute::Bold)),
        );
    for r in rows {
        table.add_row(shown.iter().map(|&c| {
            let cell = Cell::new(r.get(c).map_or("", String::as_str));
            if cols[c].right {
                cell.set_alignment(CellAlignment::Right)
            } else {
                cell
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

    fn widest(t: &Table) -> usize {
        t.to_string()
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
}
