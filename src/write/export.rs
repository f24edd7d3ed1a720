//! Finance's exports (SPEC 8.4): CSV, UTF-8, a header row, lines in a fixed
//! order (provider reference, then Person ID). Every figure is the engine's,
//! so each equals the report's to the penny.
//!
//! A text field that a spreadsheet could run as a formula (starting with
//! `=`, `+`, `-`, `@`, a tab or a carriage return) is written with a leading
//! `'` (OWASP's advice on CSV injection); amounts and hours stay plain
//! numbers, a negative one included.

use rust_decimal::Decimal;

use crate::base::text::iso_date;
use crate::base::units::{format_fixed, format_money};
use crate::engine::export::{due_now, file_of, listed, takes};
use crate::engine::ledger::{Item, PayLine, PersonRow};
use crate::engine::{Reconciliation, rules};
use crate::model::export::ExportKind;
use crate::write::phrases;

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

/// The fields of a person's line: the person's figures, with `amount`
/// (the settlement, the overcharge, or what is new of it in a ledger run).
/// `person` is `None` for someone exported before and no longer in the
/// current version: only the ID and amount are known then.
fn person_fields(
    kind: ExportKind,
    reference: &str,
    id: &str,
    person: Option<&PersonRow>,
    (start, end): (&str, &str),
    amount: Decimal,
) -> Vec<Field> {
    let name = person.and_then(|p| p.name.clone()).unwrap_or_default();
    let mut line = vec![text(reference), text(id), text(name)];
    match kind {
        ExportKind::Payments | ExportKind::Invoices => {}
        ExportKind::Refunds => line.push(number(format_money(amount))),
        ExportKind::Referrals => {
            let p = person;
            line.extend([
                number(p.map(|p| p.net_variance.clone()).unwrap_or_default()),
                number(
                    p.and_then(|p| p.variance_percent)
                        .map(|v| format_fixed(v, 2))
                        .unwrap_or_default(),
                ),
                number(
                    p.and_then(PersonRow::held_settlement)
                        .map(format_money)
                        .unwrap_or_default(),
                ),
                text(
                    p.and_then(|p| p.change_in_need.as_ref())
                        .map(phrases::change_in_need)
                        .unwrap_or_default(),
                ),
                text(
                    p.and_then(|p| p.decision.as_ref())
                        .map(|d| phrases::decision_of(d.action, &d.officer, &d.reason))
                        .unwrap_or_default(),
                ),
            ]);
        }
        ExportKind::Remittance => line.extend([
            number(start),
            number(end),
            number(person.map(|p| p.commissioned.clone()).unwrap_or_default()),
            number(person.map(|p| p.delivered.clone()).unwrap_or_default()),
            number(format_money(amount)),
            text(phrases::method(rules::method(amount))),
        ]),
    }
    line
}

/// A provider's line of payments or invoices (the amount as a positive
/// figure).
fn provider_fields(reference: &str, name: &str, (start, end): (&str, &str), amount: Decimal) -> Vec<Field> {
    vec![
        text(reference),
        text(name),
        number(start),
        number(end),
        number(format_money(amount.abs())),
    ]
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
    let dates = (start.as_str(), end.as_str());
    let rows = r.people.iter().map(PersonRow::from);
    let person = |p: &PersonRow, amount: Decimal| {
        (
            p.person_id.clone(),
            person_fields(kind, &reference, &p.person_id, Some(p), dates, amount),
        )
    };
    match kind {
        ExportKind::Payments | ExportKind::Invoices => {
            if !takes(kind, t.authorised) {
                return Vec::new();
            }
            vec![(
                String::new(),
                provider_fields(&reference, &name, dates, t.authorised),
            )]
        }
        ExportKind::Refunds | ExportKind::Referrals | ExportKind::Remittance => {
            let stream = kind.stream();
            rows.filter(|p| listed(stream, p))
                .map(|p| {
                    let amount = match kind {
                        ExportKind::Referrals => Decimal::ZERO,
                        _ => due_now(stream, &p).unwrap_or_default(),
                    };
                    person(&p, amount)
                })
                .collect()
        }
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
    write_csv(header(kind), rows.into_iter().map(|(_, _, fields)| fields))
}

fn write_csv(header: &[&str], rows: impl Iterator<Item = Vec<Field>>) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(header)?;
    for fields in rows {
        out.write_record(fields.iter().map(|f| match f {
            Field::Text(t) => inert(t),
            Field::Number(n) => n.clone(),
        }))?;
    }
    out.into_inner().map_err(|e| e.into_error().into())
}

/// The lines of a ledger run that go in a `kind` file: payments take the
/// provider lines owed to the provider, invoices those owed back.
pub fn ledger_lines<'a, 'b>(kind: ExportKind, lines: &'b [PayLine<'a>]) -> Vec<&'b PayLine<'a>> {
    lines.iter().filter(|l| takes(kind, l.amount)).collect()
}

/// What a ledger line is, in the `Line` column.
fn item_words(kind: ExportKind, item: Item) -> &'static str {
    match (item, kind) {
        (Item::First, ExportKind::Refunds) => "refund",
        (Item::First, ExportKind::Referrals) => "referral",
        (Item::First, _) => "settlement",
        (Item::ReleasedHold, _) => "released hold",
        (Item::Difference, ExportKind::Referrals) => "update",
        (Item::Difference, _) => "difference",
    }
}

/// The reference every line of a ledger export carries (`YC-00007`): a
/// repeat carries its original's, so a payment system that refuses a
/// reference it has seen refuses the repeat too.
pub fn export_reference(id: i64) -> String {
    format!("YC-{id:05}")
}

/// Which version a line comes from, and why it replaced the one before.
fn version_words(line: &PayLine<'_>) -> Option<String> {
    let r = &line.version.recorded;
    (r.version > 1).then(|| match &r.reason {
        Some(reason) => format!("version {} ({}: {reason})", r.version, r.change.as_str()),
        None => format!("version {} (new {})", r.version, r.change.as_str()),
    })
}

/// `P1003 (Dafydd Rees) authorised by Siân Thomas`, for each person whose
/// hold a line releases.
fn released_words(line: &PayLine<'_>) -> String {
    line.parts
        .iter()
        .map(|p| {
            let person = line.version.people.iter().find(|q| q.person_id == p.person_id);
            let who = crate::base::text::who(&p.person_id, person.and_then(|q| q.name.as_deref()));
            match person.and_then(|q| q.decision.as_ref()) {
                Some(d) => format!("{who} authorised by {}", d.officer),
                None => who,
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// What finance does with a difference: before and now, and for a
/// provider's line whether it reduces or adds to the payment or invoice.
fn difference_words(kind: ExportKind, line: &PayLine<'_>) -> String {
    use crate::base::text::pounds;
    let (before, now) = (line.exported_before(), line.due_now());
    let period = crate::base::text::date(line.version.recorded.period_start);
    let mut text = format!(
        "{} exported before for the period from {period}, {} due now: this line is the difference",
        pounds(before),
        pounds(now)
    );
    let act = match kind {
        ExportKind::Refunds if line.amount.is_sign_negative() => Some(format!(
            "{} was refunded too much: recover it from the person or set it against their next refund",
            pounds(-line.amount)
        )),
        ExportKind::Payments
            if file_of(before) == Some(ExportKind::Invoices)
                && file_of(now) != Some(ExportKind::Payments) =>
        {
            Some(format!(
                "the invoice of {} becomes {}: repay or credit the provider {}",
                pounds(-before),
                pounds(-now),
                pounds(line.amount)
            ))
        }
        ExportKind::Invoices
            if file_of(before) == Some(ExportKind::Payments)
                && file_of(now) != Some(ExportKind::Invoices) =>
        {
            Some(format!(
                "the payment of {} becomes {}: recover {} from the provider",
                pounds(before),
                pounds(now),
                pounds(-line.amount)
            ))
        }
        _ => None,
    };
    if let Some(act) = act {
        text.push_str("; ");
        text.push_str(&act);
    }
    text
}

/// The `Note` of a ledger line.
fn note(kind: ExportKind, line: &PayLine<'_>) -> String {
    match line.item {
        Item::First => String::new(),
        Item::ReleasedHold => format!(
            "held when the period was exported before, now released: {}",
            released_words(line)
        ),
        Item::Difference if kind == ExportKind::Referrals => {
            let mut text = "listed before with a settlement held; the officer has decided since".to_string();
            if let Some(v) = version_words(line) {
                text = format!("{v}: {text}");
            }
            text
        }
        Item::Difference => {
            let text = difference_words(kind, line);
            match version_words(line) {
                Some(v) => format!("{v}: {text}"),
                None => text,
            }
        }
    }
}

/// The CSV of a ledger run: the kind's columns, then `Line` (settlement,
/// refund, referral, released hold, difference or update), `Note` and
/// `Reference` (the export's, [`export_reference`]).
///
/// # Errors
/// Only the csv crate's, writing to memory.
///
/// `ledger_head` goes in every line's `Ledger head` column: blank as the
/// ledger records the file, filled by [`with_ledger_head`] as it is written
/// (`yourchoice ledger verify --head` checks the ledger still holds it).
pub fn ledger_csv(
    kind: ExportKind,
    lines: &[&PayLine<'_>],
    reference: &str,
    ledger_head: &str,
) -> Result<Vec<u8>, csv::Error> {
    let mut head = header(kind).to_vec();
    head.extend(["Line", "Note", "Reference", "Ledger head"]);
    let rows = lines.iter().map(|line| {
        let r = &line.version.recorded;
        let (start, end) = (iso_date(r.period_start), iso_date(r.period_end));
        let dates = (start.as_str(), end.as_str());
        let mut fields = match &line.person_id {
            Some(id) => person_fields(kind, &r.provider_reference, id, line.person, dates, line.amount),
            None => provider_fields(
                &r.provider_reference,
                r.provider_name.as_deref().unwrap_or_default(),
                dates,
                line.amount,
            ),
        };
        fields.push(text(item_words(kind, line.item)));
        fields.push(text(note(kind, line)));
        fields.push(text(reference));
        fields.push(text(ledger_head));
        fields
    });
    write_csv(&head, rows)
}

/// A ledger export's lines as recorded (their `Ledger head` blank), with
/// `head` in that column of every line: the file as finance gets it, the
/// same bytes every time it is written. A file recorded before the column
/// existed, or with it filled, is returned as it is.
///
/// # Errors
/// Only the csv crate's, in memory.
pub fn with_ledger_head(recorded: &[u8], head: &str) -> Result<Vec<u8>, csv::Error> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(recorded);
    let records: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>()?;
    let blank_head = records
        .first()
        .is_some_and(|h| h.iter().next_back() == Some("Ledger head"))
        && records[1..].iter().all(|r| r.iter().next_back() == Some(""));
    if !blank_head {
        return Ok(recorded.to_vec());
    }
    let mut out = csv::Writer::from_writer(Vec::new());
    for (i, record) in records.iter().enumerate() {
        let mut fields: Vec<&str> = record.iter().collect();
        if i > 0
            && let Some(last) = fields.last_mut()
        {
            *last = head;
        }
        out.write_record(&fields)?;
    }
    out.into_inner().map_err(|e| e.into_error().into())
}

/// The total of the lines as written: payments and invoices as positive
/// figures, person lines signed.
pub fn ledger_total(kind: ExportKind, lines: &[&PayLine<'_>]) -> Decimal {
    let sum = crate::engine::ledger::total(lines);
    match kind {
        ExportKind::Invoices => -sum,
        _ => sum,
    }
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
