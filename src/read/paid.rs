//! Finance's paid file for `yourchoice paid`: a CSV whose header names the
//! columns `[paid]` in council.toml gives (default `Reference`, `Date
//! paid`, `Payment reference`, and optionally `Amount`), matched ignoring
//! case and spaces; UTF-8 with or without a BOM (or a whole file of
//! Windows-1252), CRLF or LF. Each line is read as it is: a date or amount
//! that cannot be read is kept as text for the engine's controls to name.
//! No money rule here: which line is paid, and whether the amount is
//! right, is the engine's (`engine::ledger::payments`).

use std::path::Path;

use chrono::NaiveDate;

use super::council::csv_file::Csv;
use super::council::{read_bytes, text_of};
use super::settings_error::{Problems, SettingsError};
use crate::base::digest::sha256_hex;
use crate::base::limits::MAX_COUNCIL_FILE_BYTES;
use crate::base::units::money_text;
use crate::model::paid::{PaidLayout, PaidRow};

/// A paid file as read: its lines, and the SHA-256 of its bytes.
#[derive(Debug)]
pub struct PaidFile {
    pub rows: Vec<PaidRow>,
    pub sha256: String,
}

/// Read the paid file at `path` laid out as `layout`.
///
/// # Errors
/// The file cannot be read, is not text, lacks a column, or a line cannot
/// be read as CSV (every such line named).
pub fn read_paid(path: &Path, layout: &PaidLayout) -> Result<PaidFile, SettingsError> {
    let file = path.display().to_string();
    let bytes = read_bytes(path, MAX_COUNCIL_FILE_BYTES)?;
    let sha256 = sha256_hex(&bytes);
    let text = text_of(bytes, &file)?;
    let mut required = vec![
        layout.reference.as_str(),
        layout.date.as_str(),
        layout.payment_reference.as_str(),
    ];
    let mut optional = Vec::new();
    match (&layout.amount, layout.amount_required) {
        (Some(a), true) => required.push(a.as_str()),
        (Some(a), false) => optional.push(a.as_str()),
        (None, _) => {}
    }
    let mut csv = Csv::open_with(&text, &file, &required, &optional)?;
    let has_amount = layout.amount.is_some() && csv.has(3);
    let mut problems = Problems::new(&file);
    let mut rows = Vec::new();
    while let Some(line) = csv.next() {
        let (line, fields) = match line {
            Ok(l) => l,
            Err(e) => {
                problems.add_error(e);
                continue;
            }
        };
        let field = |i: usize| fields.get(i).map(|f| f.trim().to_string()).unwrap_or_default();
        let date_text = field(1);
        let amount_text = Some(field(3)).filter(|a| has_amount && !a.is_empty());
        rows.push(PaidRow {
            line: line as usize,
            reference: field(0),
            paid_on: NaiveDate::parse_from_str(&date_text, &layout.date_format).ok(),
            date_text,
            payment_reference: field(2),
            amount: amount_text.as_deref().and_then(|a| money_text(a).ok()),
            amount_text,
        });
    }
    problems.finish()?;
    Ok(PaidFile { rows, sha256 })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    fn read(text: &[u8], layout: &PaidLayout) -> Result<PaidFile, SettingsError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("paid.csv");
        std::fs::write(&path, text).unwrap();
        read_paid(&path, layout)
    }

    #[test]
    fn a_bom_and_crlf_are_read_and_lines_numbered_from_the_header() {
        let f = read(
            b"\xef\xbb\xbfReference,Date paid,Payment reference,Amount\r\nYC-00001,2026-08-10,BACS 1,\"1,534.28\"\r\n\r\nYC-00002,10/08/2026,BACS 2,\r\n",
            &PaidLayout::default(),
        )
        .unwrap();
        assert_eq!(f.rows.len(), 2);
        assert_eq!(f.rows[0].line, 2);
        assert_eq!(f.rows[0].amount, Some(dec!(1534.28)));
        assert_eq!(f.rows[0].paid_on, NaiveDate::from_ymd_opt(2026, 8, 10));
        assert_eq!(f.rows[1].line, 4);
        assert_eq!(
            (f.rows[1].paid_on, f.rows[1].amount_text.as_deref()),
            (None, None)
        );
        assert_eq!(f.rows[1].date_text, "10/08/2026");
    }

    #[test]
    fn the_councils_layout_names_the_columns_and_the_date_form() {
        let layout = PaidLayout {
            reference: "INVOICE_NUM".into(),
            date: "CHECK_DATE".into(),
            payment_reference: "CHECK_NUMBER".into(),
            amount: Some("AMOUNT_PAID".into()),
            amount_required: true,
            date_format: "%d/%m/%Y".into(),
        };
        let f = read(
            b"CHECK_NUMBER,INVOICE_NUM,AMOUNT_PAID,CHECK_DATE\n889,YC-SUP00123-20260406-1,534.28,10/08/2026\n",
            &layout,
        )
        .unwrap();
        assert_eq!(f.rows[0].reference, "YC-SUP00123-20260406-1");
        assert_eq!(f.rows[0].payment_reference, "889");
        assert_eq!(f.rows[0].paid_on, NaiveDate::from_ymd_opt(2026, 8, 10));
        let err = read(b"INVOICE_NUM,CHECK_DATE,CHECK_NUMBER\nA,10/08/2026,1\n", &layout)
            .unwrap_err()
            .to_string();
        assert!(err.contains("the header has no \"AMOUNT_PAID\" column"), "{err}");
    }
}
