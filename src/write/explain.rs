//! `yourchoice explain`: one person's reconciliation week by week, then
//! the arithmetic of each figure with the numbers put in and the rule that
//! raised each flag — what the officer reads out when a figure is disputed.
//! Every figure is the engine's; this module only lays them out.

use std::fmt::Write as _;

use rust_decimal::Decimal;
use serde::Serialize;

use super::fit::{Col, Fitted, fit};
use super::json;
use super::phrases;
use crate::base::text::{date, hours, iso_date, percent, pounds, printable, rate, who};
use crate::base::units::{Hours, format_fixed};
use crate::engine::{Direction, PersonResult, PersonStatus, PersonWeek, Reconciliation};
use crate::model::Period;
use crate::model::settings::Settings;
use crate::model::visits::RecordedVisit;

fn signed(h: Hours) -> String {
    if h.is_negative() || h.is_zero() {
        hours(h)
    } else {
        format!("+{}", hours(h))
    }
}

fn dash<T>(v: Option<T>, f: impl Fn(T) -> String) -> String {
    v.map_or_else(|| "-".to_string(), f)
}

/// The week-by-week table, fitted to `width`. The week, its bundle, the
/// hours delivered, the variance and the charge are always shown; narrow,
/// the rate goes first, then the bank's balance, the variance as a
/// percentage, the week's date and whether it was a care week (a week
/// without care shows no bundle).
fn weeks_table(p: &PersonResult, period: &Period, width: Option<usize>) -> Fitted {
    let cols = [
        Col::figure("Week", 0),
        Col::text("Commencing", 2),
        Col::text("Care", 1),
        Col::figure("Bundle h", 0),
        Col::figure("Delivered h", 0),
        Col::figure("Variance h", 0),
        Col::figure("Variance %", 3),
        Col::figure("Bank h", 4),
        Col::figure("Rate £", 5),
        Col::figure("Charge £", 0),
    ];
    let rows: Vec<Vec<String>> = p
        .weeks
        .iter()
        .map(|w| {
            let care = match (w.care, w.is_billable(), w.is_no_care()) {
                (false, ..) => "no",
                (true, true, _) => "yes",
                (true, _, true) => "no care",
                _ => "yes",
            };
            vec![
                w.week.to_string(),
                date(period.week_commencing(w.week)),
                care.to_string(),
                dash(w.bundle.filter(|_| w.care), hours),
                dash(w.delivered, hours),
                dash(w.variance(), signed),
                dash(w.variance_percent(), |v| format_fixed(v, 2)),
                dash(w.balance, signed),
                dash(w.rate, crate::base::units::format_money),
                dash(w.charge, crate::base::units::format_money),
            ]
        })
        .collect();
    fit(&cols, &rows, width)
}

/// `3 + 3 + 2 = 8`, or `10 × 12 weeks = 120` when every term is the same.
fn sum_of(terms: &[Hours], total: Hours) -> String {
    match terms {
        [] => "no week = 0".to_string(),
        [first, rest @ ..] if rest.iter().all(|t| t == first) && !rest.is_empty() => {
            format!(
                "{} × {} = {}",
                hours(*first),
                crate::base::text::plural(terms.len(), "week", "weeks"),
                hours(total)
            )
        }
        _ => format!(
            "{} = {}",
            terms.iter().map(|h| hours(*h)).collect::<Vec<_>>().join(" + "),
            hours(total)
        ),
    }
}

fn billable(p: &PersonResult) -> Vec<&PersonWeek> {
    p.weeks.iter().filter(|w| w.is_billable()).collect()
}

/// The arithmetic of each figure, one line each.
pub fn arithmetic(p: &PersonResult, settings: &Settings) -> Vec<String> {
    let weeks = billable(p);
    let tol = percent(settings.tolerance);
    if weeks.is_empty() {
        return vec![
            "No billable week: no care was delivered in any week of the period, so nothing is \
             commissioned, settled or charged."
                .to_string(),
        ];
    }
    let mut lines = vec![
        commissioned_line(p, &weeks),
        delivered_line(p, &weeks),
        net_variance_line(p),
        tolerance_line(p, tol),
        bank_line(p),
        change_in_need_line(p, settings, tol),
    ];
    lines.extend(settlement_line(p));
    lines.extend(charge_line(p, &weeks));
    lines
}

/// The commissioned hours: the bundles of the billable weeks, no-care weeks
/// named as left out.
fn commissioned_line(p: &PersonResult, weeks: &[&PersonWeek]) -> String {
    let bundles: Vec<Hours> = weeks.iter().filter_map(|w| w.bundle).collect();
    let no_care = p.no_care_weeks();
    format!(
        "Commissioned hours: the bundles of the {} billable weeks{}: {}.",
        weeks.len(),
        if no_care.is_empty() {
            String::new()
        } else {
            format!(
                " (no-care weeks {} are not counted)",
                crate::base::text::week_runs(&no_care)
            )
        },
        sum_of(&bundles, p.commissioned)
    )
}

/// The delivered hours: the sum over the billable weeks.
fn delivered_line(p: &PersonResult, weeks: &[&PersonWeek]) -> String {
    let delivered: Vec<Hours> = weeks.iter().filter_map(|w| w.delivered).collect();
    format!("Delivered hours: {}.", sum_of(&delivered, p.delivered))
}

/// The net variance, in hours and as a percentage of the commissioned.
fn net_variance_line(p: &PersonResult) -> String {
    format!(
        "Net variance: {} − {} = {} hours; {} ÷ {} = {}%.",
        hours(p.delivered),
        hours(p.commissioned),
        signed(p.net_variance),
        signed(p.net_variance),
        hours(p.commissioned),
        dash(p.variance_percent, |v| format_fixed(v, 2)),
    )
}

/// The tolerance in hours and whether the net variance is within it.
fn tolerance_line(p: &PersonResult, tol: Decimal) -> String {
    let within = p.status == PersonStatus::WithinTolerance;
    format!(
        "Tolerance: {tol}% × {} = {} hours; |{}| {} {}: {}.",
        hours(p.commissioned),
        hours(p.tolerance),
        signed(p.net_variance),
        if within { "≤" } else { ">" },
        hours(p.tolerance),
        if within {
            "within tolerance"
        } else {
            "outside tolerance, referred for a social work review"
        }
    )
}

/// The bank: the week its balance first went beyond the tolerance, if it
/// did, and its peak.
fn bank_line(p: &PersonResult) -> String {
    match (p.bank.limit_first_week, p.limit_excess()) {
        (Some(k), Some(excess)) => format!(
            "Bank: the balance (bundle − delivered, week by week) first went beyond ±{} in week \
             {k}, by {} hours; its peak was {} hours.",
            hours(p.tolerance),
            hours(excess),
            hours(p.bank.peak)
        ),
        _ => format!(
            "Bank: the balance (bundle − delivered, week by week) peaked at {} hours, never \
             beyond ±{}.",
            hours(p.bank.peak),
            hours(p.tolerance)
        ),
    }
}

/// The change in need: the run of weeks each off the bundle, or that there
/// was none.
fn change_in_need_line(p: &PersonResult, settings: &Settings, tol: Decimal) -> String {
    match &p.change_in_need {
        Some(c) => {
            let run: Vec<String> = p
                .weeks
                .iter()
                .filter(|w| w.is_billable() && (c.first_week..=c.last_week).contains(&w.week))
                .filter_map(|w| w.variance_percent().map(|v| format!("{}%", format_fixed(v, 2))))
                .collect();
            format!(
                "Change in need: weeks {}-{} were each {} the bundle by more than {tol}% of it \
                 ({}), {} weeks in a row, at least {}: a possible change in need.",
                c.first_week,
                c.last_week,
                match c.direction {
                    Direction::More => "over",
                    Direction::Less => "under",
                },
                run.join(", "),
                run.len(),
                settings.sustained_weeks
            )
        }
        None => format!(
            "Change in need: no run of {} billable weeks each more than {tol}% off the bundle in \
             one direction.",
            settings.sustained_weeks
        ),
    }
}

/// The settlement, rate by rate, its method and whether it is authorised;
/// `None` without one.
fn settlement_line(p: &PersonResult) -> Option<String> {
    let s = p.settlement.as_ref()?;
    let terms: Vec<String> = p
        .variance_by_rate()
        .iter()
        .map(|(r, v)| format!("{} hours × {}", signed(*v), rate(*r)))
        .collect();
    Some(format!(
        "Settlement: {} = {} ({}), {}.",
        terms.join(" + "),
        pounds(s.amount),
        phrases::method(s.method()),
        match (&s.decision, s.authorised) {
            (Some(d), _) => phrases::decision(d),
            (None, true) => "authorised: within tolerance".to_string(),
            (None, false) => "held until the officer decides: referred".to_string(),
        }
    ))
}

/// The charge: what was charged, the cost of the care received and the
/// overcharge; `None` without a charge.
fn charge_line(p: &PersonResult, weeks: &[&PersonWeek]) -> Option<String> {
    let c = p.charge.as_ref()?;
    let charges: Vec<Decimal> = weeks.iter().filter_map(|w| w.charge).collect();
    let charged = match charges.as_slice() {
        [first, rest @ ..] if rest.iter().all(|x| x == first) => {
            format!(
                "{} a week × {}",
                pounds(*first),
                crate::base::text::plural(charges.len(), "week", "weeks")
            )
        }
        _ => charges.iter().map(|x| pounds(*x)).collect::<Vec<_>>().join(" + "),
    };
    let cost: Vec<String> = p
        .delivered_by_rate()
        .iter()
        .map(|(r, h)| format!("{} hours × {}", hours(*h), rate(*r)))
        .collect();
    Some(format!(
        "Charge: each billable week the assessed charge, capped at the cost of the bundle \
         (and the maximum weekly charge): {charged} = {} charged; cost of care received {} = \
         {}; overcharge max(0, {} − {}) = {}{}.",
        pounds(c.charged),
        cost.join(" + "),
        pounds(c.cost_of_care_received),
        pounds(c.charged),
        pounds(c.cost_of_care_received),
        pounds(c.overcharge),
        if c.overcharge.is_zero() {
            ""
        } else {
            ", to be refunded to the person"
        }
    ))
}

/// The explanation for the terminal.
pub fn render(r: &Reconciliation, p: &PersonResult, settings: &Settings, width: Option<usize>) -> String {
    let mut out = String::new();
    let head = format!(
        "{}: {} in {}",
        printable(&who(&p.person_id, p.name.as_deref())),
        p.status.label(),
        printable(&r.source)
    );
    let _ = writeln!(out, "{}", phrases::wrap(&head, width));
    if let Some(period) = &r.period {
        let line = format!(
            "Period {} to {}; {}",
            date(period.period.start),
            date(period.end()),
            phrases::provider(r)
        );
        let _ = writeln!(out, "{}\n", phrases::wrap(&line, width));
        out += &weeks_table(p, &period.period, width).show("see explain --json", width);
    }
    let _ = writeln!(out, "\nHow each figure comes about:");
    for line in arithmetic(p, settings) {
        let _ = writeln!(out, "{}", phrases::wrap(&line, width));
    }
    out
}

/// The visits behind the person's weeks, as the return's Visits sheet
/// records them (a return `yourchoice fill` wrote): week by week, each
/// visit with the line it came from; then those not counted, and why.
pub fn visits(recorded: &[RecordedVisit], width: Option<usize>) -> String {
    let mut out = String::new();
    if recorded.is_empty() {
        return out;
    }
    let _ = writeln!(out, "\nThe visits behind each week (the return's Visits sheet):");
    let line = |v: &RecordedVisit| {
        let when = format!(
            "{} {}",
            v.date.map(date).unwrap_or_default(),
            v.start.as_deref().unwrap_or("")
        );
        let carers = match v.carers.as_deref() {
            Some(n) if n != "1" => format!(", {n} carers"),
            _ => String::new(),
        };
        match &v.hours {
            Some(h) if v.cell_or_why.starts_with("Hours!") => {
                format!(
                    "    {} {}{carers} ({})",
                    when.trim_end(),
                    crate::base::text::hours_of(*h),
                    printable(&v.source)
                )
            }
            _ => format!(
                "    {} {} ({})",
                when.trim_end(),
                printable(&v.cell_or_why),
                printable(&v.source)
            ),
        }
    };
    let mut weeks: Vec<u32> = recorded.iter().filter_map(|v| v.week).collect();
    weeks.sort_unstable();
    weeks.dedup();
    for k in weeks {
        let of_week: Vec<&RecordedVisit> = recorded.iter().filter(|v| v.week == Some(k)).collect();
        let counted: Vec<&&RecordedVisit> = of_week
            .iter()
            .filter(|v| v.cell_or_why.starts_with("Hours!"))
            .collect();
        let total: crate::base::units::Hours = counted.iter().filter_map(|v| v.hours).sum();
        let _ = writeln!(
            out,
            "  Week {k}: {}, {}",
            crate::base::text::plural(counted.len(), "visit", "visits"),
            crate::base::text::hours_of(total)
        );
        for v in of_week {
            let _ = writeln!(out, "{}", phrases::wrap(&line(v), width));
        }
    }
    let outside: Vec<&RecordedVisit> = recorded.iter().filter(|v| v.week.is_none()).collect();
    if !outside.is_empty() {
        let _ = writeln!(out, "  Not in any week of the period:");
        for v in outside {
            let _ = writeln!(out, "{}", phrases::wrap(&line(v), width));
        }
    }
    out
}

#[derive(Serialize)]
struct Doc<'a> {
    schema: &'static str,
    source: &'a str,
    person: &'a str,
    weeks: Vec<WeekJson>,
    result: json::Person<'a>,
    arithmetic: Vec<String>,
}

#[derive(Serialize)]
struct WeekJson {
    week: u32,
    commencing: String,
    care_week: bool,
    billable: bool,
    bundle_hours: Option<String>,
    delivered_hours: Option<String>,
    variance_hours: Option<String>,
    bank_balance_hours: Option<String>,
    rate: Option<String>,
    charge: Option<String>,
}

/// The explanation as one JSON document (no newline).
///
/// # Errors
/// Only if serde_json fails, which it does not for these types.
pub fn to_json(r: &Reconciliation, p: &PersonResult, settings: &Settings) -> serde_json::Result<String> {
    let weeks = match &r.period {
        Some(period) => p
            .weeks
            .iter()
            .map(|w| WeekJson {
                week: w.week,
                commencing: iso_date(period.period.week_commencing(w.week)),
                care_week: w.care,
                billable: w.is_billable(),
                bundle_hours: w.bundle.filter(|_| w.care).map(Hours::to_spec_string),
                delivered_hours: w.delivered.map(Hours::to_spec_string),
                variance_hours: w.variance().map(Hours::to_spec_string),
                bank_balance_hours: w.balance.map(Hours::to_spec_string),
                rate: w.rate.map(crate::base::units::format_money),
                charge: w.charge.map(crate::base::units::format_money),
            })
            .collect(),
        None => Vec::new(),
    };
    serde_json::to_string(&Doc {
        schema: "yourchoice.explain/1",
        source: &r.source,
        person: &p.person_id,
        weeks,
        result: json::person(p),
        arithmetic: arithmetic(p, settings),
    })
}
