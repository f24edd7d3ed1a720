//! The Summary sheet: the provider, the period and its due dates, the
//! provider's total, held amounts, refunds, referrals and counts; then the
//! same in words an officer reads aloud at the meeting.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Color, Format, FormatAlign, Worksheet, XlsxError};

use crate::base::text::{date, hours, percent, plural, pounds};
use crate::engine::{Method, Reconciliation, Status};
use crate::model::findings::Severity;
use crate::model::settings::Settings;
use crate::write::formats::{Formats, WriteText, fit_row, print_setup, wrapped_lines};
use crate::write::phrases;

/// One line of the Summary: a label and its value (and a remark).
enum Item {
    Text(String),
    Money(Decimal, Option<String>),
    Date(Option<NaiveDate>),
    Count(usize),
    Gap,
}

/// The label of the sentences saying which sheets are split over several.
const SPLIT: &str = "Sheets split";

/// The Summary; `split` says of each sheet split over several sheets how
/// (none when every table fits on one sheet).
pub fn sheet(
    r: &Reconciliation,
    settings: &Settings,
    split: &[String],
    f: &Formats,
) -> Result<Worksheet, XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name("Summary")?;
    ws.write_text_with_format(
        0,
        0,
        format!("Your Choice reconciliation: {}", phrases::provider(r)),
        &f.title,
    )?;

    let rejected = r.status() == Status::Rejected;
    let mut items = items(r, settings, rejected);
    if !split.is_empty() {
        items.extend([("", Item::Gap), (SPLIT, Item::Text(split.join(" ")))]);
    }
    let red = Format::new().set_bold().set_font_color(Color::RGB(0xC0_00_00));
    let label_format = f.bold.clone().set_align(FormatAlign::Top);
    for (i, (label, item)) in items.iter().enumerate() {
        let row = i as u32 + 2;
        // Top-aligned only beside the sentences, so each label sits level
        // with its value.
        let label_format = if *label == "In words" || *label == SPLIT {
            &label_format
        } else {
            &f.bold
        };
        ws.write_text_with_format(row, 0, *label, label_format)?;
        match item {
            Item::Text(t) if *label == "Status" && rejected => {
                ws.write_text_with_format(row, 1, t, &red)?;
            }
            _ => write_item(&mut ws, row, label, item, f)?,
        }
    }
    ws.set_column_width(0, 38)?;
    ws.set_column_width(1, 16)?;
    for col in 2..=5 {
        ws.set_column_width(col, 18)?;
    }
    print_setup(&mut ws, 0)?;
    Ok(ws)
}

/// The Summary's lines, in order: the status and the submission, the
/// period's dates, the totals, the findings' counts and the sentences.
fn items(r: &Reconciliation, settings: &Settings, rejected: bool) -> Vec<(&'static str, Item)> {
    let status = if rejected {
        phrases::rejected(r)
    } else {
        "Reconciled".to_string()
    };
    let reference = r
        .provider
        .as_ref()
        .and_then(|p| p.reference.as_deref())
        .unwrap_or("not given");
    let mut items: Vec<(&str, Item)> = vec![
        ("Status", Item::Text(status)),
        ("Submission file", Item::Text(r.source.clone())),
        ("Provider reference", Item::Text(reference.to_string())),
    ];
    if let Some(p) = &r.period {
        items.extend([
            ("Period start", Item::Date(Some(p.period.start))),
            ("Period end", Item::Date(Some(p.end()))),
            ("Submission due", Item::Date(Some(p.submission_due))),
            ("Submitted", Item::Date(p.submitted)),
            (
                "Submitted late",
                Item::Text(if p.late() { "Yes" } else { "No" }.into()),
            ),
            ("Table-top meeting due", Item::Date(Some(p.table_top_due))),
        ]);
    }
    if let Some(t) = &r.totals {
        items.extend([
            ("", Item::Gap),
            (
                phrases::provider_total(t.method()),
                Item::Money(t.provider_amount(), None),
            ),
            (
                phrases::HELD,
                Item::Money(t.held, Some(plural(t.held_count, "person", "people"))),
            ),
            (
                phrases::REFUNDS,
                Item::Money(
                    t.overcharge_refunds,
                    Some(plural(t.refund_count, "person", "people")),
                ),
            ),
            ("People", Item::Count(r.people.len())),
            ("Within tolerance", Item::Count(t.within_tolerance_count)),
            (phrases::REFERRED, Item::Count(t.referred_count)),
            ("No care in the period", Item::Count(t.no_care_count)),
        ]);
        let missing = r.planned_missing();
        if !missing.is_empty() {
            items.push((
                "In the plans, not in the return",
                Item::Text(format!(
                    "{} ({}): see Findings",
                    missing.join(", "),
                    plural(missing.len(), "person", "people")
                )),
            ));
        }
    }
    items.extend([
        ("", Item::Gap),
        ("Errors", Item::Count(r.count(Severity::Error))),
        ("Warnings", Item::Count(r.count(Severity::Warning))),
        ("Notices", Item::Count(r.count(Severity::Info))),
        ("", Item::Gap),
        ("In words", Item::Text(in_words(r, settings.tolerance))),
    ]);
    items
}

/// Write one line's value (and remark) in `row`, beside its label.
fn write_item(ws: &mut Worksheet, row: u32, label: &str, item: &Item, f: &Formats) -> Result<(), XlsxError> {
    match item {
        Item::Text(t) if label == "In words" || label == SPLIT => {
            // Merged across B:F, 16 + 4 x 18 characters wide.
            fit_row(ws, row, wrapped_lines(t, 16.0 + 4.0 * 18.0, false))?;
            ws.merge_range(row, 1, row, 5, &crate::write::formats::cell_text(t), &f.wrap)?
        }
        Item::Text(t) => ws.write_text(row, 1, t)?,
        Item::Money(m, remark) => {
            if let Some(remark) = remark {
                // Indented, so it never touches the amount before it.
                ws.write_text_with_format(row, 2, remark, &f.text)?;
            }
            ws.write_with_format(row, 1, *m, &f.money)?
        }
        Item::Date(Some(d)) => ws.write_with_format(row, 1, d, &f.date)?,
        Item::Date(None) => ws.write_text(row, 1, "not stated")?,
        Item::Count(n) => ws.write_number(row, 1, *n as f64)?,
        Item::Gap => ws,
    };
    Ok(())
}

/// The summary as sentences to read aloud at the meeting.
pub fn in_words(r: &Reconciliation, tolerance: Decimal) -> String {
    let name = phrases::provider(r);
    let tolerance = percent(tolerance);
    let Some(t) = &r.totals else {
        return format!("{name}: {}", phrases::rejected(r));
    };
    let period = r
        .period
        .as_ref()
        .map(|p| format!(" for the period {} to {}", date(p.period.start), date(p.end())))
        .unwrap_or_default();
    let mut s = format!(
        "{name} delivered {} hours against {} hours commissioned{period}, for {}. ",
        hours(t.delivered),
        hours(t.commissioned),
        plural(r.people.len(), "person", "people")
    );
    s += &match t.method() {
        Method::Bacs => format!(
            "The council pays the provider {} by BACS. ",
            pounds(t.provider_amount())
        ),
        Method::Invoice => format!(
            "The council invoices the provider for {}. ",
            pounds(t.provider_amount())
        ),
        Method::None => "Nothing is paid or recovered. ".to_string(),
    };
    if t.referred_count > 0 {
        s += &format!(
            "{} outside the {tolerance}% tolerance and referred for a social work review; \
             settlements of {} ({}) are held until the officer authorises them. ",
            plural(t.referred_count, "person is", "people are"),
            pounds(t.held),
            plural(t.held_count, "person", "people")
        );
    } else {
        s += &format!("Everyone is within the {tolerance}% tolerance. ");
    }
    if t.refund_count > 0 {
        s += &format!(
            "Service users were charged {} more than the care they received cost, to be refunded.",
            pounds(t.overcharge_refunds)
        );
    } else {
        s += "No service user is due a refund.";
    }
    s
}
