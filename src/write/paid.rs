//! What `yourchoice paid` says: each problem of the paid file at its line,
//! the lines already recorded, and what was recorded. Words only: which
//! line is paid, and every check, is the engine's
//! (`engine::ledger::payments`).

use std::fmt::Write as _;

use chrono::NaiveDate;

use crate::base::text::{date, plural, pounds, printable};
use crate::engine::ledger::{PaidFinding, PaidMatch, PaidProblem, ToRecord};
use crate::write::export::export_reference;
use crate::write::ledger::when;

/// An export line as officers know it: `export 1 line 2
/// (YC-SUP00123-20260406-1)`.
fn export_line(export_id: i64, line: i64, invoice: Option<&str>) -> String {
    match invoice {
        Some(n) => format!("export {export_id} line {line} ({n})"),
        None => format!("export {export_id} line {line}"),
    }
}

/// How a date format writes 10/08/2026, as an example.
fn example(format: &str) -> String {
    NaiveDate::from_ymd_opt(2026, 8, 10)
        .map(|d| d.format(format).to_string())
        .unwrap_or_default()
}

/// One problem in words: what was found, why it matters, what to do.
pub fn problem(p: &PaidProblem, date_format: &str) -> String {
    match p {
        PaidProblem::BlankReference => {
            "the Reference is blank: give the export's reference (YC-00007) or the line's invoice number".to_string()
        }
        PaidProblem::UnknownReference { reference } => format!(
            "\"{}\" is neither an export's reference (as YC-00007) nor the invoice number of an exported line (as YC-SUP00123-20260406-1) in this ledger: check it against the export file finance paid from",
            printable(reference)
        ),
        PaidProblem::NotPayable { reference, export_id, kind } => format!(
            "{} is export {export_id}, {}, so it cannot be paid: give the reference of the payments, invoices or refunds export",
            printable(reference),
            match kind.as_str() {
                "referrals" => "the referrals list: it names people for the officer to review and moves no money",
                "remittance" => {
                    "the remittance advice: it tells a provider what its payment is made of; the money moves in the payments or invoices export"
                }
                _ => "an export that moves no money",
            }
        ),
        PaidProblem::Ambiguous { reference, exports } => format!(
            "{} is the invoice number of lines in exports {}: give the export's reference instead",
            printable(reference),
            exports.iter().map(i64::to_string).collect::<Vec<_>>().join(" and ")
        ),
        PaidProblem::BlankPaymentReference => {
            "the payment reference is blank: give finance's reference for the payment (its BACS run or cheque number)".to_string()
        }
        PaidProblem::UnreadableDate { text } => format!(
            "the date paid \"{}\" cannot be read as a date written {date_format} (e.g. {}): correct it, or set date_format under [paid] in council.toml",
            printable(text),
            example(date_format)
        ),
        PaidProblem::DateBeforeExport { paid_on, export_id, exported_on } => format!(
            "the date paid {} is before export {export_id} was made ({}): a line cannot be paid before finance had it; check the date",
            date(*paid_on),
            date(*exported_on)
        ),
        PaidProblem::DateAfterToday { paid_on, today } => format!(
            "the date paid {} is after today ({}): only a payment made can be recorded; check the date",
            date(*paid_on),
            date(*today)
        ),
        PaidProblem::UnreadableAmount { text } => format!(
            "the amount \"{}\" is not an amount of money: give it as 534.28, or leave it blank",
            printable(text)
        ),
        PaidProblem::AmountDiffers { given, expected, reference, whole_export } => format!(
            "the amount {} is not {} {} ({}): finance paid another figure than the export's; check the payment before recording it",
            pounds(*given),
            if *whole_export { "the total of" } else { "the amount of" },
            printable(reference),
            pounds(*expected)
        ),
        PaidProblem::TwiceInFile { export_id, line, other_line, other, here } => format!(
            "{} is reported paid on line {other_line} too, with other details ({}, {} there; {}, {} here): keep the right one",
            export_line(*export_id, *line, None),
            date(other.0),
            printable(&other.1),
            date(here.0),
            printable(&here.1)
        ),
        PaidProblem::Conflict { export_id, line, invoice_number, recorded } => format!(
            "{} is already recorded paid on {} under payment reference {} (from {}, recorded {} by {}): a line is paid once; if that record is wrong, tell the ledger's keeper, as a ledger is never changed",
            export_line(*export_id, *line, invoice_number.as_deref()),
            date(recorded.paid_on),
            printable(&recorded.payment_reference),
            printable(&recorded.file_name),
            when(recorded.recorded_at),
            recorded.officer
        ),
    }
}

/// Every problem, each at its line, and that nothing was recorded.
pub fn refused(file: &str, problems: &[PaidFinding], date_format: &str) -> String {
    let mut out = String::new();
    let lines = {
        let mut l: Vec<usize> = problems.iter().map(|f| f.line).collect();
        l.dedup();
        l.len()
    };
    let _ = writeln!(
        out,
        "yourchoice: {} of {file} cannot be recorded, so nothing was recorded; correct each and run again:",
        plural(lines, "line", "lines")
    );
    for f in problems {
        let _ = writeln!(
            out,
            "  {file} line {}: {}",
            f.line,
            problem(&f.problem, date_format)
        );
    }
    out
}

/// The notes before recording: a repeat's reference taken as its
/// original's, each line already recorded alike.
pub fn notes(file: &str, m: &PaidMatch) -> String {
    let mut out = String::new();
    for (line, repeat, original) in &m.repeats {
        let _ = writeln!(
            out,
            "{file} line {line}: {} is export {repeat}, a repeat of export {original}: recorded against export {original}'s lines",
            export_reference(*repeat)
        );
    }
    for a in &m.already {
        let _ = writeln!(
            out,
            "{file} line {}: {} is already recorded paid on {} under {}: skipped",
            a.file_line,
            export_line(a.export_id, a.line, a.invoice_number.as_deref()),
            date(a.paid_on),
            printable(&a.payment_reference)
        );
    }
    out
}

/// What was recorded: each line, the total, the ledger's head.
pub fn recorded(file: &str, run: i64, lines: &[ToRecord], officer: &str, head: &str) -> String {
    let mut out = String::new();
    let total: rust_decimal::Decimal = lines.iter().map(|l| l.amount).sum();
    let _ = writeln!(
        out,
        "Ledger: recorded payment record {run} from {file}: {} paid, {}, by {officer}.",
        plural(lines.len(), "export line", "export lines"),
        pounds(total)
    );
    for l in lines {
        let _ = writeln!(
            out,
            "  {}: {} paid {} under {}",
            export_line(l.export_id, l.line, l.invoice_number.as_deref()),
            pounds(l.amount),
            date(l.paid_on),
            printable(&l.payment_reference)
        );
    }
    let _ = writeln!(out, "Ledger head now {head}.");
    out
}
