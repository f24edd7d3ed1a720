//! What finance reports paid: the paid file's layout (`[paid]` in
//! council.toml) and each line of it as read. Plain values: matching them
//! to the ledger's export lines is the engine's (`engine::ledger::payments`).

use chrono::NaiveDate;
use rust_decimal::Decimal;

/// The paid file's columns, by their header names, and how its dates are
/// written (a chrono format).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaidLayout {
    pub reference: String,
    pub date: String,
    pub payment_reference: String,
    /// The amount's column; `None`: no amount is read.
    pub amount: Option<String>,
    /// Whether the amount's column must be there (named in council.toml) or
    /// may be missing (the default layout's `Amount`).
    pub amount_required: bool,
    /// A chrono format, e.g. `%d/%m/%Y`.
    pub date_format: String,
}

impl Default for PaidLayout {
    fn default() -> Self {
        PaidLayout {
            reference: "Reference".to_string(),
            date: "Date paid".to_string(),
            payment_reference: "Payment reference".to_string(),
            amount: Some("Amount".to_string()),
            amount_required: false,
            date_format: "%Y-%m-%d".to_string(),
        }
    }
}

/// One line of a paid file, as read: the texts, and what could be read of
/// them (a date or amount that cannot be read is `None`, its text kept).
#[derive(Clone, Debug, PartialEq)]
pub struct PaidRow {
    /// The file's line number (the header is line 1).
    pub line: usize,
    /// An export's reference or an invoice number, trimmed.
    pub reference: String,
    pub date_text: String,
    pub paid_on: Option<NaiveDate>,
    pub payment_reference: String,
    /// The amount's text, when one was given (not blank).
    pub amount_text: Option<String>,
    pub amount: Option<Decimal>,
}
