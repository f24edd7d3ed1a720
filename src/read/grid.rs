//! A sheet as the reader keeps it: only the cells that hold something,
//! sorted by row and column. Memory follows the cells a sheet really has,
//! never its bounding box, so one stray cell at `XFD1048576` costs one cell.

use calamine::Data;
use chrono::NaiveDate;

/// One kept cell.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Data(Data),
    /// A formula whose result was never calculated and saved: what the
    /// spreadsheet would show is unknown.
    Uncalculated,
}

static EMPTY: Value = Value::Data(Data::Empty);

/// The non-blank cells of one sheet, row by row.
#[derive(Clone, Debug, Default)]
pub struct Grid {
    /// `(row, cells)` in row order; cells `(col, value)` in column order.
    rows: Vec<(u32, Vec<(u32, Value)>)>,
    /// The day a serial day number 0 falls on in this workbook, where it is
    /// not Excel's usual 1900 system: 1904-01-01 for a workbook of the 1904
    /// date system (`date1904`), an OpenDocument file's own null date.
    epoch: Option<NaiveDate>,
}

impl Grid {
    /// Build from cells in any order. Blank cells are dropped.
    ///
    /// # Errors
    /// The 0-based position of a cell the file gives twice: which of the
    /// two a spreadsheet shows is not for the tool to guess.
    pub fn from_cells(mut cells: Vec<(u32, u32, Value)>) -> Result<Grid, (u32, u32)> {
        cells.sort_by_key(|(r, c, _)| (*r, *c));
        if let Some(pair) = cells.windows(2).find(|w| (w[0].0, w[0].1) == (w[1].0, w[1].1)) {
            return Err((pair[0].0, pair[0].1));
        }
        cells.retain(|(_, _, v)| !is_blank(v));
        let mut rows: Vec<(u32, Vec<(u32, Value)>)> = Vec::new();
        for (r, c, v) in cells {
            match rows.last_mut() {
                Some((row, list)) if *row == r => list.push((c, v)),
                _ => rows.push((r, vec![(c, v)])),
            }
        }
        Ok(Grid { rows, epoch: None })
    }

    /// The same cells, in a workbook whose serial day numbers count from
    /// `epoch` (`None`: Excel's 1900 system).
    pub fn with_epoch(mut self, epoch: Option<NaiveDate>) -> Grid {
        self.epoch = epoch;
        self
    }

    /// The day serial day number 0 is in this workbook, where it is not
    /// Excel's 1900 system (whose day 0 is 1899-12-30).
    pub fn epoch(&self) -> Option<NaiveDate> {
        self.epoch
    }

    /// The cell at a 0-based position (blank where nothing is kept).
    pub fn get(&self, row: u32, col: u32) -> &Value {
        let Ok(r) = self.rows.binary_search_by_key(&row, |(r, _)| *r) else {
            return &EMPTY;
        };
        let cells = &self.rows[r].1;
        match cells.binary_search_by_key(&col, |(c, _)| *c) {
            Ok(c) => &cells[c].1,
            Err(_) => &EMPTY,
        }
    }

    /// The rows that hold something, in order, each with its cells.
    pub fn rows(&self) -> impl Iterator<Item = (u32, &[(u32, Value)])> {
        self.rows.iter().map(|(r, cells)| (*r, cells.as_slice()))
    }

    /// The cells of one row (empty when the row holds nothing).
    pub fn row(&self, row: u32) -> &[(u32, Value)] {
        match self.rows.binary_search_by_key(&row, |(r, _)| *r) {
            Ok(r) => &self.rows[r].1,
            Err(_) => &[],
        }
    }

    /// Every kept cell, row by row.
    pub fn cells(&self) -> impl Iterator<Item = (u32, u32, &Value)> {
        self.rows
            .iter()
            .flat_map(|(r, cells)| cells.iter().map(move |(c, v)| (*r, *c, v)))
    }
}

fn is_blank(v: &Value) -> bool {
    match v {
        Value::Data(Data::Empty) => true,
        Value::Data(Data::String(s)) => s.trim().is_empty(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparse_and_sorted() {
        let g = Grid::from_cells(vec![
            (1_048_575, 16_383, Value::Data(Data::Int(1))),
            (0, 1, Value::Data(Data::Int(3))),
            (0, 0, Value::Data(Data::String(" ".into()))),
        ])
        .unwrap();
        assert_eq!(g.get(0, 1), &Value::Data(Data::Int(3)));
        assert_eq!(g.get(0, 0), &Value::Data(Data::Empty));
        assert_eq!(g.get(1_048_575, 16_383), &Value::Data(Data::Int(1)));
        assert_eq!(g.rows().count(), 2);
        assert_eq!(g.cells().count(), 2);
        let twice = Grid::from_cells(vec![
            (1, 4, Value::Data(Data::Int(10))),
            (1, 4, Value::Data(Data::Int(60))),
        ]);
        assert_eq!(twice.unwrap_err(), (1, 4));
    }
}
