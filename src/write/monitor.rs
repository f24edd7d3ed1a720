//! The monitor's outputs: the terminal table with one line of advice per
//! person, the JSON document (`yourchoice.monitor/1`), and a workbook.

use std::fmt::Write as _;

use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};
use serde::Serialize;

use super::Show;
use super::fit::{Col, fit};
use super::formats::{Formats, Sizer, WriteText, hours_value, print_table, table_header};
use super::json::FindingJson;
use super::phrases::{self, paint};
use crate::base::text::{date, hours, hours_of, iso_date, plural, printable, who};
use crate::base::units::Hours;
use crate::engine::Direction;
use crate::engine::monitor::{Monitor, PersonMonitor, Risk};
use crate::model::findings::Severity;

/// Signed hours: `+4.5` banked, `-3` used early.
fn signed(h: Hours) -> String {
    if h.is_negative() || h.is_zero() {
        hours(h)
    } else {
        format!("+{}", hours(h))
    }
}

/// One line of advice for the care co-ordinator.
pub fn advice(p: &PersonMonitor, contact: Option<&str>) -> String {
    let name = who(&p.person_id, p.name.as_deref());
    let limit = hours(p.period_tolerance);
    let mut s = if p.weeks_due > 0 && p.billable_so_far == 0 {
        format!("{name} has had no care in the weeks so far (limit ±{limit})")
    } else if p.bank_balance.is_zero() {
        format!("{name} is on the bundle so far (limit ±{limit})")
    } else if p.bank_balance.is_negative() {
        format!(
            "{name} has used {} early (limit ±{limit})",
            hours_of(p.bank_balance.abs())
        )
    } else {
        format!("{name} has {} banked (limit ±{limit})", hours_of(p.bank_balance))
    };
    match (p.catch_up_per_week, p.weeks_left) {
        (_, 0) => {
            s += if p.within_tolerance_if_on_bundle {
                ": no weeks are left, and the period ends within the tolerance"
            } else {
                ": no weeks are left, and the period ends outside the tolerance"
            }
        }
        (Some(c), n) if !c.is_zero() => {
            let way = if c.is_negative() { "under" } else { "over" };
            s += &format!(
                ": about {} a week {way} the bundle for the {} left brings them back to zero",
                hours_of(c.abs()),
                plural(n as usize, "week", "weeks")
            );
        }
        _ if p.billable_so_far == 0 => {}
        _ => s += ": delivering the bundle each week keeps them there",
    }
    if let Some(c) = &p.change_in_need {
        let way = match c.direction {
            Direction::More => "over",
            Direction::Less => "under",
        };
        if p.change_in_need_ongoing {
            s += &format!(
                ". Weeks {}-{} have each been well {way} the bundle and still are: report the change in need to the council now{}",
                c.first_week,
                c.last_week,
                contact.map(|c| format!(" ({c})")).unwrap_or_default()
            );
        } else {
            s += &format!(
                ". Weeks {}-{} were each well {way} the bundle: a possible change in need",
                c.first_week, c.last_week
            );
        }
    }
    s.push('.');
    if p.risk == Risk::OverLimit {
        s = format!("OVER THE LIMIT: {s}");
    }
    s
}

/// The monitor for the terminal.
pub fn render(m: &Monitor, show: Show, width: Option<usize>) -> String {
    let mut out = String::new();
    let head = format!("{}: monitor as of {}", printable(&m.source), date(m.as_of));
    let _ = writeln!(out, "{}", phrases::wrap(&head, width));
    if let Some(p) = &m.period {
        let line = if m.last_due_week == 0 {
            format!(
                "The period starts on {}: no week is due yet.",
                date(p.period.start)
            )
        } else {
            format!(
                "Weeks 1-{} of {} are due (w/c {} to w/c {}); the period ends {}.",
                m.last_due_week,
                p.period.weeks,
                date(p.period.start),
                date(p.period.week_commencing(m.last_due_week)),
                date(p.end())
            )
        };
        let _ = writeln!(out, "{}", phrases::wrap(&line, width));
    }
    if !m.people.is_empty() && !show.quiet {
        // The person, their bank and the catch-up are always shown; narrow,
        // the weeks due and left go first (the heading says them), then
        // the limit, the room left, and the name last (it wraps before it
        // goes; the advice below names everyone).
        let cols = [
            Col::text("Person ID", 0),
            Col::text("Name", 1).wraps(10),
            Col::figure("Weeks due/left", 4),
            Col::figure("Bank h", 0),
            Col::figure("Limit ±h", 3),
            Col::figure("Room h", 2),
            Col::figure("Catch-up h/week", 0),
        ];
        let rows: Vec<Vec<String>> = m
            .people
            .iter()
            .map(|p| {
                vec![
                    printable(&p.person_id).into_owned(),
                    printable(p.name.as_deref().unwrap_or("")).into_owned(),
                    format!("{}/{}", p.weeks_due, p.weeks_left),
                    signed(p.bank_balance),
                    hours(p.period_tolerance),
                    hours(p.bank_room),
                    p.catch_up_per_week.map_or_else(|| "-".to_string(), signed),
                ]
            })
            .collect();
        let table = fit(&cols, &rows, width).show("see --json or the workbook (-o FILE)", width);
        let _ = writeln!(out, "\n{table}");
        let contact = m.change_in_need_contact.as_deref();
        for p in &m.people {
            let line = printable(&advice(p, contact)).into_owned();
            let line = if p.risk == Risk::OverLimit {
                paint(&line, phrases::severity_style(Severity::Warning))
            } else {
                line
            };
            let _ = writeln!(out, "{}", phrases::wrap(&line, width));
        }
    }
    let shown: Vec<_> = m.findings.iter().filter(|f| show.shows(f)).collect();
    if !shown.is_empty() {
        let _ = writeln!(out, "\nFindings:");
        for f in shown {
            let _ = writeln!(out, "{}", phrases::wrap(&phrases::finding_line(f), width));
        }
    }
    out
}

#[derive(Serialize)]
struct Doc<'a> {
    schema: &'static str,
    source: &'a str,
    as_of: String,
    last_due_week: u32,
    people: Vec<PersonJson<'a>>,
    findings: Vec<FindingJson<'a>>,
}

#[derive(Serialize)]
struct PersonJson<'a> {
    person_id: &'a str,
    name: Option<&'a str>,
    weeks_due: u32,
    weeks_left: u32,
    commissioned_hours_so_far: String,
    delivered_hours_so_far: String,
    bank_balance_hours: String,
    period_tolerance_hours: String,
    within_tolerance_if_on_bundle: bool,
    catch_up_hours_per_week: Option<String>,
    bank_room_hours: String,
    limit_first_week: Option<u32>,
    change_in_need: Option<ChangeJson>,
    advice: String,
}

#[derive(Serialize)]
struct ChangeJson {
    first_week: u32,
    last_week: u32,
    direction: &'static str,
    ongoing: bool,
}

/// The monitor as one JSON document (no newline).
///
/// # Errors
/// Only if serde_json fails, which it does not for these types.
pub fn to_json(m: &Monitor) -> serde_json::Result<String> {
    let contact = m.change_in_need_contact.as_deref();
    serde_json::to_string(&Doc {
        schema: "yourchoice.monitor/1",
        source: &m.source,
        as_of: iso_date(m.as_of),
        last_due_week: m.last_due_week,
        people: m
            .people
            .iter()
            .map(|p| PersonJson {
                person_id: &p.person_id,
                name: p.name.as_deref(),
                weeks_due: p.weeks_due,
                weeks_left: p.weeks_left,
                commissioned_hours_so_far: p.commissioned_so_far.to_spec_string(),
                delivered_hours_so_far: p.delivered_so_far.to_spec_string(),
                bank_balance_hours: p.bank_balance.to_spec_string(),
                period_tolerance_hours: p.period_tolerance.to_spec_string(),
                within_tolerance_if_on_bundle: p.within_tolerance_if_on_bundle,
                catch_up_hours_per_week: p.catch_up_per_week.map(Hours::to_spec_string),
                bank_room_hours: p.bank_room.to_spec_string(),
                limit_first_week: p.limit_first_week,
                change_in_need: p.change_in_need.map(|c| ChangeJson {
                    first_week: c.first_week,
                    last_week: c.last_week,
                    direction: c.direction.as_str(),
                    ongoing: p.change_in_need_ongoing,
                }),
                advice: advice(p, contact),
            })
            .collect(),
        findings: m.findings.iter().map(FindingJson::from).collect(),
    })
}

const COLUMNS: [&str; 11] = [
    "Person ID",
    "Name",
    "Weeks due",
    "Weeks left",
    "Commissioned so far h",
    "Delivered so far h",
    "Bank h",
    "Limit ±h",
    "Room h",
    "Catch-up h/week",
    "Advice",
];

/// The monitor as a workbook: a row per person, most at risk first.
///
/// # Errors
/// Only rust_xlsxwriter's own limits.
pub fn build(m: &Monitor) -> Result<Workbook, XlsxError> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    let mut ws = Worksheet::new();
    ws.set_name("Monitor")?;
    table_header(&mut ws, 0, &COLUMNS, m.people.len() as u32, &f)?;
    let contact = m.change_in_need_contact.as_deref();
    let mut size = Sizer::new();
    size.header(0, &COLUMNS);
    for (i, p) in m.people.iter().enumerate() {
        let row = i as u32 + 1;
        let name = p.name.as_deref().unwrap_or("");
        // Top-aligned, so that a row grown by its advice reads level.
        ws.write_text_with_format(row, 0, &p.person_id, &f.wrap)?;
        ws.write_text_with_format(row, 1, name, &f.wrap)?;
        size.line(0, &p.person_id, false, false);
        size.wrap(row, 1, name, false, false);
        ws.write_with_format(row, 2, f64::from(p.weeks_due), &f.number_top)?;
        ws.write_with_format(row, 3, f64::from(p.weeks_left), &f.number_top)?;
        let figures = [
            (4, Some(p.commissioned_so_far)),
            (5, Some(p.delivered_so_far)),
            (6, Some(p.bank_balance)),
            (7, Some(p.period_tolerance)),
            (8, Some(p.bank_room)),
            (9, p.catch_up_per_week),
        ];
        for (c, h) in figures {
            if let Some(h) = h {
                ws.write_with_format(row, c, hours_value(h), &f.hours_top)?;
                size.line(c, &format!("{:.2}", h.as_hours()), false, false);
            }
        }
        let advice = advice(p, contact);
        ws.write_text_with_format(row, 10, &advice, &f.wrap)?;
        size.wrap(row, 10, &advice, false, false);
    }
    size.most(1, 22.0);
    size.fill(10, 40.0);
    let (widths, heights) = size.apply(&mut ws)?;
    print_table(&mut ws, &widths, &heights, (0, 0), 2)?;
    wb.push_worksheet(ws);
    Ok(wb)
}
