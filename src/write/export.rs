//! Finance's exports (SPEC 8.4, issue 25): one canonical line per money
//! movement, the same fields whether drawn from the returns or from the
//! ledger, laid out by a profile (`[export]` in council.toml) as a finance
//! system loads it: the plain CSV (the default: a byte-order mark and CRLF,
//! so a spreadsheet shows "Siân" right) or Oracle Payables' invoice
//! interface. Every figure is the engine's, so each equals the report's to
//! the penny; lines come in a fixed order (provider reference, then Person
//! ID).
//!
//! A text field that a spreadsheet could run as a formula (starting with
//! `=`, `+`, `-`, `@`, a tab or a carriage return) is written with a leading
//! `'` (OWASP's advice on CSV injection); amounts and hours stay plain
//! numbers, a negative one included.
//!
//! The ledger records each export's canonical lines (every field, ISO dates,
//! exact decimals: [`canonical_csv`]), so a repeat is laid out again by the
//! profile in force and carries the same references and invoice numbers.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::base::text::iso_date;
use crate::base::units::{format_fixed, format_money};
use crate::engine::export::{document, due_now, file_of, file_total, invoice_number, listed, takes};
use crate::engine::ledger::{Item, PayLine, PersonRow};
use crate::engine::{Reconciliation, rules};
use crate::model::export::{
    AccountCodes, Column, ExportKind, Field, FieldType, Negative, Profile, plain_columns,
};
use crate::model::settings::{Settings, same_reference};
use crate::write::phrases;

/// Text made inert for a spreadsheet.
pub fn inert(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// One canonical line: each field's value in canonical form (money and
/// hours as exact decimal text, dates ISO), a field it does not have
/// absent.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Line(BTreeMap<Field, String>);

impl Line {
    fn set(&mut self, field: Field, value: impl Into<String>) {
        let value = value.into();
        if !value.is_empty() {
            self.0.insert(field, value);
        }
    }

    pub fn get(&self, field: Field) -> &str {
        self.0.get(&field).map_or("", String::as_str)
    }
}

/// What an export's lines are drawn under: the kind, the council's
/// settings (accounting codes, what a recovery becomes, the currency) and
/// the invoice date.
#[derive(Clone, Copy)]
pub struct Frame<'a> {
    pub kind: ExportKind,
    pub settings: &'a Settings,
    /// The invoice date: the day of the export (or `--date`).
    pub date: NaiveDate,
}

impl Frame<'_> {
    /// Whether a provider's line of `amount` goes in this kind's file.
    fn takes(&self, amount: Decimal) -> bool {
        takes(self.kind, amount, self.settings.export.recoveries)
    }

    /// A line's common part: the provider's reference and name, and the
    /// period; on a provider's line also its accounting codes, the
    /// currency and the invoice date (a person's line is no supplier's).
    fn provider(&self, line: &mut Line, reference: &str, name: &str, (start, end): (NaiveDate, NaiveDate)) {
        line.set(Field::ProviderReference, reference);
        line.set(Field::ProviderName, name);
        line.set(Field::PeriodStart, iso_date(start));
        line.set(Field::PeriodEnd, iso_date(end));
        if !matches!(self.kind, ExportKind::Payments | ExportKind::Invoices) {
            return;
        }
        let export = &self.settings.export;
        let codes = self
            .settings
            .providers
            .iter()
            .find(|p| same_reference(&p.reference, reference))
            .map_or_else(|| export.codes.clone(), |p| p.codes.or(&export.codes));
        line.set(Field::InvoiceDate, iso_date(self.date));
        line.set(Field::Currency, export.currency.clone());
        line.set(Field::Account, codes.account().unwrap_or_default());
        let AccountCodes {
            supplier_number,
            supplier_site,
            purchase_order,
            cost_centre,
            expense_code,
            vat_code,
        } = codes;
        for (field, value) in [
            (Field::SupplierNumber, supplier_number),
            (Field::SupplierSite, supplier_site),
            (Field::PurchaseOrder, purchase_order),
            (Field::CostCentre, cost_centre),
            (Field::ExpenseCode, expense_code),
            (Field::VatCode, vat_code),
        ] {
            line.set(field, value.unwrap_or_default());
        }
    }

    /// A provider's payment, credit note or invoice line: `amount` owed to
    /// the provider when positive, written as its document states it
    /// ([`document`]).
    fn provider_line(
        &self,
        line: &mut Line,
        (start, end): (NaiveDate, NaiveDate),
        number: String,
        amount: Decimal,
        what: &str,
    ) {
        let (doc, written) = document(self.kind, amount);
        line.set(Field::Amount, format_money(written));
        line.set(Field::InvoiceNumber, number);
        line.set(Field::InvoiceType, doc.code());
        let (start, end) = (crate::base::text::date(start), crate::base::text::date(end));
        line.set(
            Field::Description,
            format!("Your Choice care at home {start} to {end}: {what}"),
        );
    }
}

/// A person's part of a line: the person's figures, with `amount` (the
/// settlement, the overcharge, or what is new of it in a ledger run).
/// `person` is `None` for someone exported before and no longer in the
/// current version: only the ID and amount are known then.
fn person_fields(kind: ExportKind, line: &mut Line, id: &str, person: Option<&PersonRow>, amount: Decimal) {
    line.set(Field::PersonId, id);
    line.set(
        Field::Name,
        person.and_then(|p| p.name.clone()).unwrap_or_default(),
    );
    let p = person;
    match kind {
        ExportKind::Payments | ExportKind::Invoices => {}
        ExportKind::Refunds => line.set(Field::Amount, format_money(amount)),
        ExportKind::Referrals => {
            line.set(
                Field::NetVarianceHours,
                p.map(|p| p.net_variance.clone()).unwrap_or_default(),
            );
            line.set(
                Field::VariancePercent,
                p.and_then(|p| p.variance_percent)
                    .map(|v| format_fixed(v, 2))
                    .unwrap_or_default(),
            );
            line.set(
                Field::SettlementHeld,
                p.and_then(PersonRow::held_settlement)
                    .map(format_money)
                    .unwrap_or_default(),
            );
            line.set(
                Field::ChangeInNeed,
                p.and_then(|p| p.change_in_need.as_ref())
                    .map(phrases::change_in_need)
                    .unwrap_or_default(),
            );
            line.set(
                Field::Decision,
                p.and_then(|p| p.decision.as_ref())
                    .map(|d| phrases::decision_of(d.action, &d.officer, &d.reason))
                    .unwrap_or_default(),
            );
        }
        ExportKind::Remittance => {
            line.set(
                Field::CommissionedHours,
                p.map(|p| p.commissioned.clone()).unwrap_or_default(),
            );
            line.set(
                Field::DeliveredHours,
                p.map(|p| p.delivered.clone()).unwrap_or_default(),
            );
            line.set(Field::Amount, format_money(amount));
            line.set(Field::Method, phrases::method(rules::method(amount)));
        }
    }
}

/// The canonical lines of one reconciled submission (none for a rejected
/// one): an export from the returns, numbered as version 1.
fn lines(frame: &Frame<'_>, r: &Reconciliation) -> Vec<(String, Line)> {
    let (Some(t), Some(period)) = (&r.totals, &r.period) else {
        return Vec::new();
    };
    let kind = frame.kind;
    let provider = r.provider.as_ref();
    let reference = provider.and_then(|p| p.reference.clone()).unwrap_or_default();
    let name = provider.and_then(|p| p.name.clone()).unwrap_or_default();
    let dates = (period.period.start, period.end());
    let mut base = Line::default();
    frame.provider(&mut base, &reference, &name, dates);
    base.set(Field::Line, item_words(kind, Item::First));
    match kind {
        ExportKind::Payments | ExportKind::Invoices => {
            if !frame.takes(t.authorised) {
                return Vec::new();
            }
            let mut line = base;
            let number = invoice_number(&reference, period.period.start, 1, Item::First);
            frame.provider_line(&mut line, dates, number, t.authorised, "settlement");
            vec![(String::new(), line)]
        }
        ExportKind::Refunds | ExportKind::Referrals | ExportKind::Remittance => {
            let stream = kind.stream();
            r.people
                .iter()
                .map(PersonRow::from)
                .filter(|p| listed(stream, p))
                .map(|p| {
                    let amount = match kind {
                        ExportKind::Referrals => Decimal::ZERO,
                        _ => due_now(stream, &p).unwrap_or_default(),
                    };
                    let mut line = base.clone();
                    person_fields(kind, &mut line, &p.person_id, Some(&p), amount);
                    (p.person_id.clone(), line)
                })
                .collect()
        }
    }
}

/// The canonical lines of `kind` over every reconciled submission.
pub fn from_returns(frame: &Frame<'_>, results: &[Reconciliation]) -> Vec<Line> {
    let mut rows: Vec<(String, String, Line)> = Vec::new();
    for r in results {
        let reference = r
            .provider
            .as_ref()
            .and_then(|p| p.reference.clone())
            .unwrap_or_default();
        rows.extend(
            lines(frame, r)
                .into_iter()
                .map(|(person, line)| (reference.clone(), person, line)),
        );
    }
    // Stable: two submissions of one provider keep the order given.
    rows.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    rows.into_iter().map(|(_, _, line)| line).collect()
}

/// The first header of the canonical lines as the ledger records them: an
/// export recorded before them has none.
const CANONICAL: &str = "yourchoice.line/1";

/// The canonical lines as the ledger records them: a first column marking
/// them ([`CANONICAL`]), then every field, named as the plain profile names
/// it; UTF-8, LF, no byte-order mark.
///
/// # Errors
/// Only the csv crate's, writing to memory.
pub fn canonical_csv(lines: &[Line]) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(std::iter::once(CANONICAL).chain(Field::ALL.iter().map(|f| f.name())))?;
    for line in lines {
        out.write_record(std::iter::once("").chain(Field::ALL.iter().map(|f| line.get(*f))))?;
    }
    out.into_inner().map_err(|e| e.into_error().into())
}

/// The canonical lines a ledger recorded; `None` for an export recorded
/// before the canonical line (issue 25), which is written again as it was.
pub fn read_canonical(recorded: &[u8]) -> Option<Vec<Line>> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(recorded);
    let mut records = reader.records();
    let header = records.next()?.ok()?;
    let mut names = header.iter();
    if names.next() != Some(CANONICAL) {
        return None;
    }
    // By name: a line recorded with fields in another order, or fewer,
    // reads the same.
    let fields: Vec<Field> = names.map(Field::parse).collect::<Option<_>>()?;
    records
        .map(|r| {
            let r = r.ok()?;
            let mut line = Line::default();
            for (field, value) in fields.iter().zip(r.iter().skip(1)) {
                line.set(*field, value);
            }
            Some(line)
        })
        .collect()
}

/// A figure as the profile writes it: its decimal mark and its negative.
fn figure(profile: &Profile, text: &str) -> String {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let digits = if profile.decimal == '.' {
        digits.to_string()
    } else {
        digits.replace('.', &profile.decimal.to_string())
    };
    match (negative, profile.negative) {
        (false, _) => digits,
        (true, Negative::Minus) => format!("-{digits}"),
        (true, Negative::Brackets) => format!("({digits})"),
        (true, Negative::Trailing) => format!("{digits}-"),
    }
}

/// One field's value as the profile writes it.
fn cell(profile: &Profile, line: &Line, field: Field) -> String {
    let value = line.get(field);
    if value.is_empty() {
        return String::new();
    }
    match field.kind() {
        FieldType::Money | FieldType::Number => figure(profile, value),
        // The format was checked when council.toml was read; one that
        // cannot write a date still gives the ISO date, never a panic.
        FieldType::Date => NaiveDate::parse_from_str(value, "%Y-%m-%d")
            .ok()
            .and_then(|d| crate::model::export::format_date(d, &profile.date_format))
            .unwrap_or_else(|| value.to_string()),
        FieldType::Text => inert(value),
    }
}

/// How many lines are credit notes.
pub fn credit_notes(lines: &[Line]) -> usize {
    let credit = crate::engine::export::Document::Credit.code();
    lines
        .iter()
        .filter(|l| l.get(Field::InvoiceType) == credit)
        .count()
}

/// The codes a finance profile lays out that some lines lack: (provider
/// reference, each blank code as the council.toml key that gives it and the
/// profile's header), for a note before finance loads the file ("No
/// Purchase Order, No Pay"), or a refusal before a ledger records it. None
/// for the plain profile, whose code columns are optional.
pub fn missing_codes(profile: &Profile, lines: &[Line]) -> Vec<(String, Vec<String>)> {
    let Some(columns) = &profile.columns else {
        return Vec::new();
    };
    let mut missing: Vec<(String, Vec<String>)> = Vec::new();
    for line in lines {
        let blank: Vec<String> = columns
            .iter()
            .filter_map(|c| match c {
                Column::Field { field, header } if line.get(*field).is_empty() => {
                    field.code_key().map(|key| format!("{key} ({header})"))
                }
                _ => None,
            })
            .collect();
        let provider = line.get(Field::ProviderReference).to_string();
        if !blank.is_empty() && !missing.iter().any(|(p, _)| *p == provider) {
            missing.push((provider, blank));
        }
    }
    missing
}

/// The export as finance gets it: `lines` laid out by `profile` for a
/// `kind` file, `head` in every line's `Ledger head` (blank from the
/// returns).
///
/// # Errors
/// Only the csv crate's, writing to memory.
pub fn render(
    profile: &Profile,
    kind: ExportKind,
    lines: &[Line],
    head: &str,
) -> Result<Vec<u8>, csv::Error> {
    let columns: Vec<Column> = match &profile.columns {
        Some(columns) => columns.clone(),
        None => plain_columns(kind)
            .iter()
            .map(|f| Column::Field {
                header: f.name().to_string(),
                field: *f,
            })
            .collect(),
    };
    let mut out = csv::WriterBuilder::new()
        .delimiter(profile.delimiter)
        .terminator(if profile.crlf {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        })
        .from_writer(if profile.bom {
            "\u{feff}".as_bytes().to_vec()
        } else {
            Vec::new()
        });
    if profile.header {
        out.write_record(columns.iter().map(Column::header))?;
    }
    for line in lines {
        out.write_record(columns.iter().map(|c| match c {
            Column::Fixed { value, .. } => inert(value),
            Column::Field {
                field: Field::LedgerHead,
                ..
            } => head.to_string(),
            Column::Field { field, .. } => cell(profile, line, *field),
        }))?;
    }
    out.into_inner().map_err(|e| e.into_error().into())
}

/// The lines of a ledger run that go in a `kind` file: payments take the
/// provider lines owed to the provider, invoices those owed back.
pub fn ledger_lines<'a, 'b>(frame: &Frame<'_>, lines: &'b [PayLine<'a>]) -> Vec<&'b PayLine<'a>> {
    lines.iter().filter(|l| frame.takes(l.amount)).collect()
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

/// The canonical lines of a ledger run: each with its `Line` (settlement,
/// refund, referral, released hold, difference or update), `Note`,
/// `Reference` (the export's, [`export_reference`]) and, on a provider's
/// line, the invoice number of its version and item.
pub fn from_ledger(frame: &Frame<'_>, lines: &[&PayLine<'_>], reference: &str) -> Vec<Line> {
    let kind = frame.kind;
    lines
        .iter()
        .map(|l| {
            let r = &l.version.recorded;
            let mut line = Line::default();
            frame.provider(
                &mut line,
                &r.provider_reference,
                r.provider_name.as_deref().unwrap_or_default(),
                (r.period_start, r.period_end),
            );
            match &l.person_id {
                Some(id) => person_fields(kind, &mut line, id, l.person, l.amount),
                None => {
                    let number = invoice_number(&r.provider_reference, r.period_start, r.version, l.item);
                    let what = match version_words(l) {
                        Some(v) => format!("{}, {v}", item_words(kind, l.item)),
                        None => item_words(kind, l.item).to_string(),
                    };
                    frame.provider_line(&mut line, (r.period_start, r.period_end), number, l.amount, &what);
                }
            }
            line.set(Field::Line, item_words(kind, l.item));
            line.set(Field::Note, note(kind, l));
            line.set(Field::Reference, reference);
            line
        })
        .collect()
}

/// An export recorded before the canonical line, with `head` in the
/// `Ledger head` column of every line (as it was written then). A file
/// recorded before that column existed, or with it filled, is returned as
/// it is.
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
    file_total(kind, lines.iter().map(|l| l.amount))
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
