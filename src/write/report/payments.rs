//! The Payments sheet: the lines finance acts on. The provider's total
//! first, then each person's settlement (authorised or held), then each
//! refund of an overcharge to a service user.

use rust_decimal::Decimal;
use rust_xlsxwriter::{FormatAlign, Worksheet, XlsxError};

use crate::base::text::pounds;
use crate::engine::{PersonResult, Reconciliation, Status};
use crate::write::formats::{Formats, Sizer, WriteText, print_table, shown_money, table_header};
use crate::write::phrases;

const HEADERS: [&str; 7] = [
    "Line",
    "Provider reference",
    "Person ID",
    "Name",
    "Amount £",
    "Method",
    "Note",
];

/// One line: what it is, whose, how much, how paid, and a note.
struct Line<'a> {
    what: &'static str,
    person: Option<&'a PersonResult>,
    amount: Decimal,
    method: String,
    note: String,
}

fn lines(r: &Reconciliation) -> Vec<Line<'_>> {
    let Some(t) = &r.totals else {
        return Vec::new();
    };
    let mut lines = vec![Line {
        what: phrases::provider_total(t.method()),
        person: None,
        amount: t.provider_amount(),
        method: phrases::method(t.method()),
        note: "sum of the authorised settlements below".into(),
    }];
    for p in &r.people {
        if let Some(s) = &p.settlement {
            let (what, note) = if s.authorised {
                ("Authorised settlement", "in the provider total")
            } else {
                (
                    "Held settlement",
                    "referred: not paid or recovered until authorised",
                )
            };
            let note = match &s.decision {
                Some(d) => format!("{note}; {}", phrases::decision(d)),
                None => note.to_string(),
            };
            lines.push(Line {
                what,
                person: Some(p),
                amount: s.amount,
                method: phrases::method(s.method()),
                note,
            });
        }
    }
    for p in &r.people {
        if let Some(c) = p.charge.as_ref().filter(|_| p.refund_due()) {
            lines.push(Line {
                what: "Refund to service user",
                person: Some(p),
                amount: c.overcharge,
                method: phrases::REFUND.into(),
                note: format!(
                    "charged {} for care costing {}",
                    pounds(c.charged),
                    pounds(c.cost_of_care_received)
                ),
            });
        }
    }
    lines
}

pub fn sheet(r: &Reconciliation, f: &Formats) -> Result<Worksheet, XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name("Payments")?;
    let reference = r
        .provider
        .as_ref()
        .and_then(|p| p.reference.as_deref())
        .unwrap_or_default();
    let lines = lines(r);
    table_header(&mut ws, 0, &HEADERS, lines.len() as u32, f)?;
    let amount_format = f.money_top.clone().set_bold();
    let bold = f.text.clone().set_bold();
    let mut size = Sizer::new();
    size.header(0, &HEADERS);
    for (i, line) in lines.iter().enumerate() {
        let row = i as u32 + 1;
        let what_format = if line.person.is_none() { &bold } else { &f.text };
        ws.write_text_with_format(row, 0, line.what, what_format)?;
        size.line(0, line.what, line.person.is_none(), true);
        ws.write_text_with_format(row, 1, reference, &f.text)?;
        size.line(1, reference, false, true);
        if let Some(p) = line.person {
            let name = p.name.as_deref().unwrap_or("");
            ws.write_text_with_format(row, 2, &p.person_id, &f.text)?;
            ws.write_text_with_format(row, 3, name, &f.text_wrap)?;
            size.line(2, &p.person_id, false, true);
            size.wrap(row, 3, name, false, true);
        }
        ws.write_with_format(row, 4, line.amount, &amount_format)?;
        size.line(4, &shown_money(line.amount), true, false);
        // Indented, so the method never touches the amount before it.
        ws.write_text_with_format(row, 5, &line.method, &f.text)?;
        size.line(5, &line.method, false, true);
        ws.write_text_with_format(row, 6, &line.note, &f.text_wrap)?;
        size.wrap(row, 6, &line.note, false, true);
    }
    size.most(3, 22.0);
    size.fill(6, 40.0);
    if lines.is_empty() {
        let why = if r.status() == Status::Rejected {
            "Nothing to pay or recover: the submission was rejected (the Findings sheet lists its errors)."
        } else {
            "Nothing to pay or recover."
        };
        // Across the columns, not widening column A.
        ws.merge_range(
            1,
            0,
            1,
            6,
            why,
            &f.bold.clone().set_text_wrap().set_align(FormatAlign::Top),
        )?;
    }
    let (widths, heights) = size.apply(&mut ws)?;
    print_table(&mut ws, &widths, &heights, (0, 0), 0)?;
    Ok(ws)
}
