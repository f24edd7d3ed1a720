//! Test workbooks: a council format 1 return (a `Details` sheet and an
//! `Hours` sheet) written with rust_xlsxwriter, cell by cell as a provider
//! might have typed it.
//!
//! The workbook [`Return::valid`] writes, and so the cells tests name:
//!
//! - `Details`: A1 `Provider name`, A2 `Provider reference`, A3 `Period
//!   start` (Monday 06/04/2026), A4 `Blended hourly rate` (24.00), values in
//!   column B; labels added by a test go to A5, A6, ...
//! - `Hours`: a title in A1, the header row in row 6 (`Person ID`, `Name`,
//!   `Weekly bundle`, `Week 1` .. `Week 13` in A..P, so week k is in column
//!   D + k − 1), columns added by a test from Q on, and one person from
//!   row 7: P1, bundle 10, 10 hours every week.

use std::path::{Path, PathBuf};

use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook, Worksheet};

/// One cell as a provider might have typed it.
#[derive(Clone, Debug)]
pub enum V {
    Blank,
    Text(String),
    Num(f64),
    /// A date cell shown as dd/mm/yyyy.
    Date(u16, u8, u8),
    /// Hours as an `[h]:mm` duration: a number of days.
    Duration(f64),
    /// Hours as a time of day (`08:00:00 PM` for 20 hours), as LibreOffice
    /// often shows a duration.
    TimeOfDay(f64),
    /// A spreadsheet error value (`#DIV/0!`), the cached result of a formula.
    Error(&'static str),
    /// A formula; rust_xlsxwriter caches 0 as its result.
    Formula(&'static str),
}

pub fn t(text: &str) -> V {
    V::Text(text.to_string())
}

pub fn n(number: f64) -> V {
    V::Num(number)
}

pub const WEEKS: usize = 13;
/// 0-based sheet row of the Hours header (row 6 in Excel).
pub const HEADER_ROW: u32 = 5;

/// A council format 1 return, valid until a test breaks it.
#[derive(Clone, Debug)]
pub struct Return {
    pub details_sheet: String,
    pub hours_sheet: String,
    /// Label in column A, value in column B, from row 1.
    pub details: Vec<(String, V)>,
    /// The header row's cells, column A first.
    pub header: Vec<V>,
    /// The person rows under the header, each as long as `header`.
    pub rows: Vec<Vec<V>>,
}

impl Return {
    /// Provider "Test Care Ltd" (SUP00123), period from Monday 06/04/2026,
    /// £24.00/hour; P1 with a bundle of 10 and 10 hours every week.
    pub fn valid() -> Return {
        Return::empty().person("P1", "Ann Example", n(10.0), n(10.0))
    }

    /// As [`Return::valid`], with no person row.
    pub fn empty() -> Return {
        let mut header = vec![t("Person ID"), t("Name"), t("Weekly bundle")];
        header.extend((1..=WEEKS).map(|k| t(&format!("Week {k}"))));
        Return {
            details_sheet: "Details".into(),
            hours_sheet: "Hours".into(),
            details: vec![
                ("Provider name".into(), t("Test Care Ltd")),
                ("Provider reference".into(), t("SUP00123")),
                ("Period start".into(), V::Date(2026, 4, 6)),
                ("Blended hourly rate".into(), n(24.0)),
            ],
            header,
            rows: Vec::new(),
        }
    }

    /// Set a Details value, or add the label on a new row at the end.
    pub fn detail(mut self, label: &str, value: V) -> Return {
        match self.details.iter_mut().find(|(l, _)| l == label) {
            Some((_, v)) => *v = value,
            None => self.details.push((label.to_string(), value)),
        }
        self
    }

    /// Remove a Details row (the rows below move up).
    pub fn without_detail(mut self, label: &str) -> Return {
        self.details.retain(|(l, _)| l != label);
        self
    }

    /// A person row at the end: every week holds `hours`. An empty `id`
    /// leaves the Person ID blank.
    pub fn person(mut self, id: &str, name: &str, bundle: V, hours: V) -> Return {
        let mut row = vec![V::Blank; self.header.len()];
        row[0] = if id.is_empty() { V::Blank } else { t(id) };
        row[1] = t(name);
        row[2] = bundle;
        for k in 1..=WEEKS {
            if let Some(col) = self.col(&format!("Week {k}")) {
                row[col] = hours.clone();
            }
        }
        self.rows.push(row);
        self
    }

    /// A column at the end of the header, blank in every row.
    pub fn column(mut self, header: V) -> Return {
        self.header.push(header);
        for row in &mut self.rows {
            row.push(V::Blank);
        }
        self
    }

    /// Replace a header cell.
    pub fn rename(mut self, header: &str, new: V) -> Return {
        let col = self.col_or_panic(header);
        self.header[col] = new;
        self
    }

    /// Remove a column (the columns to its right move left).
    pub fn without_column(mut self, header: &str) -> Return {
        let col = self.col_or_panic(header);
        self.header.remove(col);
        for row in &mut self.rows {
            row.remove(col);
        }
        self
    }

    /// Set the cell of the first row of `person` in the column `header`.
    pub fn set(self, person: &str, header: &str, value: V) -> Return {
        let i = self
            .rows
            .iter()
            .position(|r| matches!(&r[0], V::Text(id) if id == person))
            .unwrap_or_else(|| panic!("no row for {person}"));
        self.set_row(i, header, value)
    }

    /// Set the cell of person row `i` (0: sheet row 7) in the column `header`.
    pub fn set_row(mut self, i: usize, header: &str, value: V) -> Return {
        let col = self.col_or_panic(header);
        self.rows[i][col] = value;
        self
    }

    /// Set every week of `person` from a list of hours, week 1 first.
    pub fn weeks(mut self, person: &str, hours: [f64; WEEKS]) -> Return {
        for (k, h) in hours.iter().enumerate() {
            self = self.set(person, &format!("Week {}", k + 1), n(*h));
        }
        self
    }

    /// The column whose header is the text `header`.
    pub fn col(&self, header: &str) -> Option<usize> {
        self.header
            .iter()
            .position(|h| matches!(h, V::Text(text) if text == header))
    }

    pub fn col_or_panic(&self, header: &str) -> usize {
        self.col(header).unwrap_or_else(|| panic!("no column {header}"))
    }

    /// The workbook: the Details sheet then the Hours sheet, for a test to
    /// add to.
    pub fn workbook(&self) -> Workbook {
        let mut wb = Workbook::new();
        let details = wb.add_worksheet();
        details.set_name(&self.details_sheet).unwrap();
        for (i, (label, value)) in self.details.iter().enumerate() {
            details.write_string(i as u32, 0, label).unwrap();
            write_cell(details, i as u32, 1, value);
        }
        let hours = wb.add_worksheet();
        hours.set_name(&self.hours_sheet).unwrap();
        self.write_hours(hours);
        wb
    }

    /// The title, the header and the person rows of an Hours sheet.
    pub fn write_hours(&self, hours: &mut Worksheet) {
        hours.write_string(0, 0, "Your Choice return").unwrap();
        for (c, value) in self.header.iter().enumerate() {
            write_cell(hours, HEADER_ROW, c as u16, value);
        }
        for (i, row) in self.rows.iter().enumerate() {
            for (c, value) in row.iter().enumerate() {
                write_cell(hours, HEADER_ROW + 1 + i as u32, c as u16, value);
            }
        }
    }

    /// Write the workbook as `dir/name`.
    pub fn save(&self, dir: &Path, name: &str) -> PathBuf {
        save(self.workbook(), dir, name)
    }
}

/// Save `wb` as `dir/name`.
pub fn save(mut wb: Workbook, dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    wb.save(&path).unwrap();
    path
}

pub fn write_cell(ws: &mut Worksheet, row: u32, col: u16, value: &V) {
    match value {
        V::Blank => {}
        V::Text(s) => {
            ws.write_string(row, col, s).unwrap();
        }
        V::Num(x) => {
            ws.write_number(row, col, *x).unwrap();
        }
        V::Date(y, m, d) => {
            let date = ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
            let format = Format::new().set_num_format("dd/mm/yyyy");
            ws.write_datetime_with_format(row, col, &date, &format).unwrap();
        }
        V::Duration(hours) => {
            let format = Format::new().set_num_format("[h]:mm");
            ws.write_number_with_format(row, col, hours / 24.0, &format)
                .unwrap();
        }
        V::TimeOfDay(hours) => {
            let format = Format::new().set_num_format("hh:mm:ss AM/PM");
            ws.write_number_with_format(row, col, hours / 24.0, &format)
                .unwrap();
        }
        V::Error(e) => {
            ws.write_formula(row, col, Formula::new("=1/0").set_result(*e))
                .unwrap();
        }
        V::Formula(f) => {
            ws.write_formula(row, col, Formula::new(*f)).unwrap();
        }
    }
}
