//! The Audit sheet: what was run, on what, with which settings, when.

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::Audit;
use crate::base::text::{date, percent};
use crate::engine::{RatesFrom, Reconciliation};
use crate::model::settings::{Action, DatedAmount};
use crate::write::formats::{Formats, Sizer, WriteText, print_table};
use crate::write::phrases;
use rust_xlsxwriter::FormatAlign;

/// `£23.90 from 07/04/2025; £24.85 from 06/04/2026`.
fn dated_amounts(amounts: &[DatedAmount]) -> String {
    amounts
        .iter()
        .map(|x| format!("£{} from {}", x.amount, date(x.from)))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Audit: what was run, on what, with which settings, when; `split` says of
/// each sheet split over several sheets how.
pub fn sheet(
    r: &Reconciliation,
    audit: &Audit<'_>,
    split: &[String],
    f: &Formats,
) -> Result<Worksheet, XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name("Audit")?;
    let s = audit.settings;
    let rows: Vec<(&str, String)> = vec![
        ("Tool", format!("yourchoice {}", env!("CARGO_PKG_VERSION"))),
        ("Input file", audit.input_name.to_string()),
        ("Input SHA-256", audit.sha256.clone()),
        (
            "Run at (UTC)",
            audit.run_at.format("%Y-%m-%d %H:%M:%S").to_string(),
        ),
        ("Status", r.status().as_str().to_string()),
        ("Tolerance", format!("{}%", percent(s.tolerance))),
        ("Period weeks", s.period_weeks.to_string()),
        ("Submission days", s.submission_days.to_string()),
        ("Table-top days", s.table_top_days.to_string()),
        ("Sustained weeks (change in need)", s.sustained_weeks.to_string()),
        (
            "Rates",
            match r.rates_from {
                RatesFrom::Council => format!("the council's: {}", dated_amounts(&r.rates)),
                RatesFrom::Submission if r.rates.is_empty() => "none could be read".to_string(),
                RatesFrom::Submission => format!("as stated in the submission: {}", dated_amounts(&r.rates)),
            },
        ),
        (
            "Maximum weekly charge",
            if s.max_weekly_charge.is_empty() {
                "none set".to_string()
            } else {
                dated_amounts(&s.max_weekly_charge)
            },
        ),
    ];
    let mut rows = rows;
    if s.files.is_empty() {
        rows.push((
            "Settings files",
            format!(
                "none: the standard settings, as above ({}% tolerance, {} weeks, rates as stated in the submission, no maximum weekly charge)",
                percent(s.tolerance),
                s.period_weeks
            ),
        ));
    }
    for file in &s.files {
        rows.push((file.role, format!("{} (SHA-256 {})", file.path, file.sha256)));
    }
    let decisions: Vec<(&str, String)> = r
        .people
        .iter()
        .filter_map(|p| {
            let d = p.settlement.as_ref()?.decision.as_ref()?;
            let mut text = format!("{}: {} ({})", p.person_id, phrases::decision(d), d.source);
            if let (Action::Authorise, Some(c)) = (d.action, &p.change_in_need) {
                text += &format!(
                    "; authorised despite a possible change in need ({})",
                    phrases::change_in_need(c)
                );
            }
            Some(("Decision applied", text))
        })
        .collect();
    if decisions.is_empty() {
        rows.push(("Decisions applied", "none".to_string()));
    }
    rows.extend(decisions);
    rows.extend(split.iter().map(|s| ("Sheet split", s.clone())));
    rows.extend(audit.ledger.iter().cloned());
    ws.write_text_with_format(0, 0, "Item", &f.header)?;
    ws.write_text_with_format(0, 1, "Value", &f.header)?;
    let mut size = Sizer::new();
    size.header(0, &["Item", "Value"]);
    let label = f.bold.clone().set_align(FormatAlign::Top);
    for (i, (k, v)) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_text_with_format(row, 0, *k, &label)?;
        ws.write_text_with_format(row, 1, v, &f.wrap)?;
        size.line(0, k, true, false);
        size.wrap(row, 1, v, false, false);
    }
    size.fill(1, 40.0);
    let (widths, heights) = size.apply(&mut ws)?;
    print_table(&mut ws, &widths, &heights, (0, 0), 0)?;
    Ok(ws)
}
