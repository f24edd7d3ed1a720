//! What finance reports paid (issue 25), as pure rules: which export lines
//! a paid file's lines name, and the controls run before anything is
//! recorded.

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::payments::{ExportLine, PaymentRecord};
use super::records::ExportRecord;
use crate::model::paid::PaidRow;

/// An export line to record paid (or found already recorded so).
#[derive(Clone, Debug, PartialEq)]
pub struct ToRecord {
    pub export_id: i64,
    pub line: i64,
    pub invoice_number: Option<String>,
    pub paid_on: NaiveDate,
    pub payment_reference: String,
    /// The line's amount as written.
    pub amount: Decimal,
    /// The paid file's line that reported it.
    pub file_line: usize,
}

/// Why a paid file's line cannot be recorded: each with its line.
#[derive(Clone, Debug, PartialEq)]
pub enum PaidProblem {
    BlankReference,
    /// Neither an export's reference nor an invoice number in the ledger.
    UnknownReference {
        reference: String,
    },
    /// An export that moves no money: referrals or remittance advice.
    NotPayable {
        reference: String,
        export_id: i64,
        kind: String,
    },
    /// An invoice number that more than one export line carries.
    Ambiguous {
        reference: String,
        exports: Vec<i64>,
    },
    BlankPaymentReference,
    UnreadableDate {
        text: String,
    },
    DateBeforeExport {
        paid_on: NaiveDate,
        export_id: i64,
        exported_on: NaiveDate,
    },
    DateAfterToday {
        paid_on: NaiveDate,
        today: NaiveDate,
    },
    UnreadableAmount {
        text: String,
    },
    /// The amount given is not the line's (or, for an export's reference,
    /// the export's total).
    AmountDiffers {
        given: Decimal,
        expected: Decimal,
        reference: String,
        whole_export: bool,
    },
    /// The same export line twice in the file with other details.
    TwiceInFile {
        export_id: i64,
        line: i64,
        other_line: usize,
        other: (NaiveDate, String),
        here: (NaiveDate, String),
    },
    /// Recorded paid before, with another date or payment reference.
    Conflict {
        export_id: i64,
        line: i64,
        invoice_number: Option<String>,
        recorded: PaymentRecord,
    },
}

/// A problem at a line of the paid file.
#[derive(Clone, Debug, PartialEq)]
pub struct PaidFinding {
    pub line: usize,
    pub problem: PaidProblem,
}

/// What a paid file comes to against the ledger.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct PaidMatch {
    /// New: to record, in the export's line order.
    pub to_record: Vec<ToRecord>,
    /// Recorded paid before with the same date and payment reference:
    /// skipped.
    pub already: Vec<ToRecord>,
    /// A repeat export's reference given: (file line, the repeat, its
    /// original), whose lines were taken.
    pub repeats: Vec<(usize, i64, i64)>,
    /// Every problem; when any, nothing is recorded.
    pub problems: Vec<PaidFinding>,
}

/// The export number an export reference (`YC-00007`) names.
pub fn export_number(reference: &str) -> Option<i64> {
    let digits = reference.trim().to_ascii_uppercase();
    let digits = digits.strip_prefix("YC-")?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Whether an export's lines can be paid: payments, invoices (money the
/// provider pays back) and refunds move money; referrals and the
/// remittance advice only describe it.
pub fn payable(kind: &str) -> bool {
    matches!(kind, "payments" | "invoices" | "refunds")
}

/// Match a paid file's lines to the ledger's export lines and run every
/// control: an unknown reference, an export that moves no money, an
/// amount that is not the line's, a date unread, before the export or
/// after `today`, a line twice in the file with other details, a line
/// recorded paid before with other details. A line recorded before with the
/// same details is skipped; so is the same line given twice alike.
pub fn match_paid(
    rows: &[PaidRow],
    exports: &[ExportRecord],
    lines: &[ExportLine],
    recorded: &[PaymentRecord],
    today: NaiveDate,
) -> PaidMatch {
    let mut out = PaidMatch::default();
    let by_id: HashMap<i64, &ExportRecord> = exports.iter().map(|e| (e.id, e)).collect();
    let mut by_invoice: HashMap<String, Vec<&ExportLine>> = HashMap::new();
    for l in lines {
        if let Some(n) = l.invoice_number() {
            by_invoice.entry(n.to_ascii_uppercase()).or_default().push(l);
        }
    }
    let paid: HashMap<(i64, i64), &PaymentRecord> =
        recorded.iter().map(|p| ((p.export_id, p.line), p)).collect();
    // (export, line) -> its entry in `to_record` or `already`, the file line.
    let mut seen: HashMap<(i64, i64), (usize, NaiveDate, String)> = HashMap::new();
    for row in rows {
        let mut problems = Vec::new();
        let reference = row.reference.trim().to_string();
        let found: Option<(Vec<&ExportLine>, bool)> = if reference.is_empty() {
            problems.push(PaidProblem::BlankReference);
            None
        } else if let Some(n) = export_number(&reference) {
            match by_id.get(&n) {
                None => {
                    problems.push(PaidProblem::UnknownReference {
                        reference: reference.clone(),
                    });
                    None
                }
                Some(e) => {
                    let original = e.repeat_of.and_then(|o| by_id.get(&o)).copied().unwrap_or(e);
                    if original.id != e.id {
                        out.repeats.push((row.line, e.id, original.id));
                    }
                    if payable(&original.kind) {
                        let of: Vec<&ExportLine> =
                            lines.iter().filter(|l| l.export_id == original.id).collect();
                        Some((of, true))
                    } else {
                        problems.push(PaidProblem::NotPayable {
                            reference: reference.clone(),
                            export_id: original.id,
                            kind: original.kind.clone(),
                        });
                        None
                    }
                }
            }
        } else {
            match by_invoice.get(&reference.to_ascii_uppercase()) {
                None => {
                    problems.push(PaidProblem::UnknownReference {
                        reference: reference.clone(),
                    });
                    None
                }
                Some(found) if found.len() > 1 => {
                    problems.push(PaidProblem::Ambiguous {
                        reference: reference.clone(),
                        exports: found.iter().map(|l| l.export_id).collect(),
                    });
                    None
                }
                Some(found) => Some((found.clone(), false)),
            }
        };
        let payment_reference = row.payment_reference.trim().to_string();
        if payment_reference.is_empty() {
            problems.push(PaidProblem::BlankPaymentReference);
        }
        let paid_on = row.paid_on;
        match paid_on {
            None => problems.push(PaidProblem::UnreadableDate {
                text: row.date_text.clone(),
            }),
            Some(d) if d > today => problems.push(PaidProblem::DateAfterToday { paid_on: d, today }),
            Some(_) => {}
        }
        if let (Some(text), None) = (&row.amount_text, row.amount) {
            problems.push(PaidProblem::UnreadableAmount { text: text.clone() });
        }
        if let Some((of, whole_export)) = &found {
            if let (Some(d), Some(first)) = (paid_on, of.first())
                && d < first.exported_on
            {
                problems.push(PaidProblem::DateBeforeExport {
                    paid_on: d,
                    export_id: first.export_id,
                    exported_on: first.exported_on,
                });
            }
            if let Some(given) = row.amount {
                let expected: Decimal = if *whole_export {
                    of.first()
                        .and_then(|l| by_id.get(&l.export_id))
                        .map_or_else(|| of.iter().map(|l| l.amount()).sum(), |e| e.total)
                } else {
                    of.iter().map(|l| l.amount()).sum()
                };
                if given != expected {
                    problems.push(PaidProblem::AmountDiffers {
                        given,
                        expected,
                        reference: reference.clone(),
                        whole_export: *whole_export,
                    });
                }
            }
        }
        let (Some((of, _)), Some(paid_on), true) = (found, paid_on, problems.is_empty()) else {
            out.problems
                .extend(problems.into_iter().map(|problem| PaidFinding {
                    line: row.line,
                    problem,
                }));
            continue;
        };
        for l in of {
            let key = (l.export_id, l.line);
            let entry = ToRecord {
                export_id: l.export_id,
                line: l.line,
                invoice_number: l.invoice_number(),
                paid_on,
                payment_reference: payment_reference.clone(),
                amount: l.amount(),
                file_line: row.line,
            };
            if let Some((other_line, other_on, other_ref)) = seen.get(&key) {
                if (*other_on, other_ref.as_str()) != (paid_on, payment_reference.as_str()) {
                    out.problems.push(PaidFinding {
                        line: row.line,
                        problem: PaidProblem::TwiceInFile {
                            export_id: l.export_id,
                            line: l.line,
                            other_line: *other_line,
                            other: (*other_on, other_ref.clone()),
                            here: (paid_on, payment_reference.clone()),
                        },
                    });
                }
                continue;
            }
            seen.insert(key, (row.line, paid_on, payment_reference.clone()));
            match paid.get(&key) {
                Some(r) if r.paid_on == paid_on && r.payment_reference == payment_reference => {
                    out.already.push(entry);
                }
                Some(r) => out.problems.push(PaidFinding {
                    line: row.line,
                    problem: PaidProblem::Conflict {
                        export_id: l.export_id,
                        line: l.line,
                        invoice_number: l.invoice_number(),
                        recorded: (*r).clone(),
                    },
                }),
                None => out.to_record.push(entry),
            }
        }
    }
    out.problems.sort_by_key(|f| f.line);
    out.to_record.sort_by_key(|r| (r.export_id, r.line));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ledger::Item;
    use crate::engine::ledger::payments::tests::{d, line, record};
    use chrono::Utc;
    use rust_decimal::dec;

    fn export(id: i64, kind: &str, repeat_of: Option<i64>) -> ExportRecord {
        ExportRecord {
            id,
            kind: kind.into(),
            period_start: d("2026-04-06"),
            lines: 1,
            total: dec!(534.28),
            file: None,
            csv: Vec::new(),
            exported_at: Utc::now(),
            officer: "O".into(),
            repeat_of,
        }
    }

    fn row(n: usize, reference: &str, on: &str, pay_ref: &str, amount: Option<&str>) -> PaidRow {
        PaidRow {
            line: n,
            reference: reference.into(),
            date_text: on.into(),
            paid_on: NaiveDate::parse_from_str(on, "%Y-%m-%d").ok(),
            payment_reference: pay_ref.into(),
            amount_text: amount.map(str::to_string),
            amount: amount.and_then(crate::base::units::parse_money),
        }
    }

    #[test]
    fn every_control_refuses_with_its_line_and_a_repeat_maps_to_its_original() {
        let lines = vec![line(1, 1, "SUP00123", Item::First, Some("2026-07-14"))];
        let exports = vec![
            export(1, "payments", None),
            export(2, "referrals", None),
            export(3, "payments", Some(1)),
        ];
        let today = d("2026-09-01");
        let inv = "YC-SUP00123-20260406-1";
        let m = match_paid(
            &[
                row(2, "YC-00099", "2026-08-10", "B1", None),
                row(3, "YC-00002", "2026-08-10", "B1", None),
                row(4, inv, "2026-08-10", "B1", Some("534.27")),
                row(5, inv, "10/08/2026", "B1", None),
                row(6, inv, "2026-07-31", "B1", None),
                row(7, inv, "2026-09-02", "B1", None),
            ],
            &exports,
            &lines,
            &[],
            today,
        );
        let got: Vec<(usize, &str)> = m
            .problems
            .iter()
            .map(|f| {
                (
                    f.line,
                    match f.problem {
                        PaidProblem::UnknownReference { .. } => "unknown",
                        PaidProblem::NotPayable { .. } => "not payable",
                        PaidProblem::AmountDiffers { .. } => "amount",
                        PaidProblem::UnreadableDate { .. } => "date",
                        PaidProblem::DateBeforeExport { .. } => "before",
                        PaidProblem::DateAfterToday { .. } => "after",
                        _ => "other",
                    },
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (2, "unknown"),
                (3, "not payable"),
                (4, "amount"),
                (5, "date"),
                (6, "before"),
                (7, "after")
            ]
        );
        // A repeat's reference, lower case, with the amount to the penny.
        let m = match_paid(
            &[
                row(2, "yc-00003", "2026-08-10", "B1", Some("£534.28")),
                row(3, inv, "2026-08-10", "B1", None),
            ],
            &exports,
            &lines,
            &[],
            today,
        );
        assert!(m.problems.is_empty(), "{:?}", m.problems);
        assert_eq!(m.repeats, vec![(2, 3, 1)]);
        assert_eq!(m.to_record.len(), 1, "the same line alike twice is one payment");
        assert_eq!(m.to_record[0].invoice_number.as_deref(), Some(inv));
        // Twice with other details; recorded before alike, and otherwise.
        let m = match_paid(
            &[
                row(2, inv, "2026-08-10", "B1", None),
                row(3, inv, "2026-08-11", "B1", None),
            ],
            &exports,
            &lines,
            &[],
            today,
        );
        assert!(matches!(
            m.problems[0].problem,
            PaidProblem::TwiceInFile { other_line: 2, .. }
        ));
        let before = [record(1, 1, "2026-08-10", "B1")];
        let m = match_paid(
            &[row(2, inv, "2026-08-10", "B1", None)],
            &exports,
            &lines,
            &before,
            today,
        );
        assert!(m.problems.is_empty() && m.to_record.is_empty() && m.already.len() == 1);
        let m = match_paid(
            &[row(2, inv, "2026-08-10", "B2", None)],
            &exports,
            &lines,
            &before,
            today,
        );
        assert!(matches!(m.problems[0].problem, PaidProblem::Conflict { .. }));
    }
}
