//! Finance's exports (SPEC 8.4): CSV, UTF-8, a header row, lines in a fixed
//! order (provider reference, then Person ID). Every figure is the engine's,
//! so each equals the report's to the penny.
//!
//! A text field that a spreadsheet could run as a formula (starting with
//! `=`, `+`, `-`, `@`, a tab or a carriage return) is written with a leading
//! `'` (OWASP's advice on CSV injection); amounts and hours stay plain
//! numbers, a negative one included.

use crate::engine::{Method, PersonResult, PersonStatus, Reconciliation};
use crate::units::{format_fixed, format_money};
use crate::words::iso_date;
use crate::write::words;

/// What finance exports (SPEC 8.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportKind {
    /// One line per provider with a BACS payment.
    Payments,
    /// One line per provider with an invoice.
    Invoices,
    /// One line per person with an overcharge to refund.
    Refunds,
    /// One line per referred person.
    Referrals,
    /// The provider's remittance advice: one line per person of each
    /// authorised settlement.
    Remittance,
}

/// One field of a line: text to make inert, or a number to leave alone.
enum Field {
    Text(String),
    Number(String),
}

fn text(s: impl Into<String>) -> Field {
    Field::Text(s.into())
}

fn number(s: impl Into<String>) -> Field {
    Field::Number(s.into())
}

/// Text made inert for a spreadsheet.
pub fn inert(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// The header of each export.
pub fn header(kind: ExportKind) -> &'static [&'static str] {
    match kind {
        ExportKind::Payments | ExportKind::Invoices => &[
            "Provider reference",
            "Provider name",
            "Period start",
            "Period end",
            "Amount",
        ],
        ExportKind::Refunds => &["Provider reference", "Person ID", "Name", "Amount"],
        ExportKind::Referrals => &[
            "Provider reference",
            "Person ID",
            "Name",
            "Net variance hours",
            "Variance %",
            "Settlement held",
            "Change in need",
            "Decision",
        ],
        ExportKind::Remittance => &[
            "Provider reference",
            "Person ID",
            "Name",
            "Period start",
            "Period end",
            "Commissioned hours",
            "Delivered hours",
            "Amount",
            "Method",
        ],
    }
}

/// The lines of one reconciled submission (none for a rejected one).
fn lines(kind: ExportKind, r: &Reconciliation) -> Vec<(String, Vec<Field>)> {
    let (Some(t), Some(period)) = (&r.totals, &r.period) else {
        return Vec::new();
    };
    let provider = r.provider.as_ref();
    let reference = provider.and_then(|p| p.reference.clone()).unwrap_or_default();
    let name = provider.and_then(|p| p.name.clone()).unwrap_or_default();
    let (start, end) = (iso_date(period.period.start), iso_date(period.end()));
    let person = |p: &PersonResult, fields: Vec<Field>| {
        let mut line = vec![
            text(&reference),
            text(&p.person_id),
            text(p.name.clone().unwrap_or_default()),
        ];
        line.extend(fields);
        (p.person_id.clone(), line)
    };
    match kind {
        ExportKind::Payments | ExportKind::Invoices => {
            let wanted = if kind == ExportKind::Payments {
                Method::Bacs
            } else {
                Method::Invoice
            };
            if t.method() != wanted {
                return Vec::new();
            }
            vec![(
                String::new(),
                vec![
                    text(&reference),
                    text(&name),
                    number(&start),
                    number(&end),
                    number(format_money(t.provider_amount())),
                ],
            )]
        }
        ExportKind::Refunds => r
            .people
            .iter()
            .filter(|p| p.refund_due())
            .filter_map(|p| {
                let c = p.charge.as_ref()?;
                Some(person(p, vec![number(format_money(c.overcharge))]))
            })
            .collect(),
        ExportKind::Referrals => r
            .people
            .iter()
            .filter(|p| p.status == PersonStatus::Referred)
            .map(|p| {
                let s = p.settlement.as_ref();
                person(
                    p,
                    vec![
                        number(p.net_variance.to_spec_string()),
                        number(p.variance_percent.map(|v| format_fixed(v, 2)).unwrap_or_default()),
                        number(
                            s.filter(|s| !s.authorised)
                                .map(|s| format_money(s.amount))
                                .unwrap_or_default(),
                        ),
                        text(
                            p.change_in_need
                                .as_ref()
                                .map(words::change_in_need)
                                .unwrap_or_default(),
                        ),
                        text(
                            s.and_then(|s| s.decision.as_ref())
                                .map(words::decision)
                                .unwrap_or_default(),
                        ),
                    ],
                )
            })
            .collect(),
        ExportKind::Remittance => r
            .people
            .iter()
            .filter_map(|p| {
                let s = p.settlement.as_ref().filter(|s| s.authorised)?;
                Some(person(
                    p,
                    vec![
                        number(&start),
                        number(&end),
                        number(p.commissioned.to_spec_string()),
                        number(p.delivered.to_spec_string()),
                        number(format_money(s.amount)),
                        text(words::method(s.method())),
                    ],
                ))
            })
            .collect(),
    }
}

/// The CSV of `kind` over every reconciled submission.
///
/// # Errors
/// Only the csv crate's, writing to memory.
pub fn to_csv(kind: ExportKind, results: &[Reconciliation]) -> Result<Vec<u8>, csv::Error> {
    let mut rows: Vec<(&str, String, Vec<Field>)> = Vec::new();
    for r in results {
        let reference = r
            .provider
            .as_ref()
            .and_then(|p| p.reference.as_deref())
            .unwrap_or_default();
        rows.extend(
            lines(kind, r)
                .into_iter()
                .map(|(person, fields)| (reference, person, fields)),
        );
    }
    // Stable: two submissions of one provider keep the order given.
    rows.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(header(kind))?;
    for (_, _, fields) in rows {
        out.write_record(fields.iter().map(|f| match f {
            Field::Text(t) => inert(t),
            Field::Number(n) => n.clone(),
        }))?;
    }
    out.into_inner().map_err(|e| e.into_error().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_made_inert() {
        assert_eq!(inert("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(inert("+1"), "'+1");
        assert_eq!(inert("-1"), "'-1");
        assert_eq!(inert("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(inert("\tx"), "'\tx");
        assert_eq!(inert("\rx"), "'\rx");
        assert_eq!(inert("Example Care Ltd"), "Example Care Ltd");
    }
}
