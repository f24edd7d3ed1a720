//! The engine against an oracle: random valid submissions are reconciled
//! through the library (`engine::reconcile`, then `write::json::to_line`),
//! and every figure of the JSON document (SPEC 8.2) is compared with a
//! recomputation written here, week by week, from the text of SPEC 2-4.
//!
//! The oracle is deliberately naive and shares nothing with the engine: it
//! counts hours in whole seconds and money in pence as `i128` numerators
//! over a known denominator (hours: seconds / 3600; money: pence·seconds /
//! 3600), rounds half away from zero with its own integer division, and
//! formats the SPEC 8.2 strings itself. It reads only the JSON, never the
//! engine's result structs, and calls nothing in `yourchoice::engine` or
//! `yourchoice::base::units` but the reconcile entry point and `Hours::from_seconds`
//! to build the submission.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate, Weekday};
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use rust_decimal::Decimal;
use yourchoice::base::units::Hours;
use yourchoice::engine::{self, DatedAmount, Settings};
use yourchoice::model::findings::{Location, Sheet};
use yourchoice::model::settings::ProviderSettings;
use yourchoice::model::{Details, Located, PersonRow, Submission, WeekCell};

use crate::common::doc::{Bank, ChangeInNeed, Charge, Doc, Finding, Person, Settlement, Severity, Totals};

const WEEKS: u32 = 13;

/// The finding codes the oracle predicts, per person (SPEC 3, 5).
const PERSON_CODES: [&str; 5] = [
    "outside-tolerance",
    "bank-limit-exceeded",
    "change-in-need",
    "no-care-week",
    "no-care-in-period",
];

// ---------------------------------------------------------------------------
// A case: the submission and settings in the oracle's own units

/// One Hours row. Hours are whole minutes, money whole pence, dates whole
/// days from the period start (so -3 is the Friday before it).
#[derive(Clone, Debug)]
struct RowSpec {
    bundle_minutes: i64,
    charge_pence: Option<i64>,
    care_start: Option<i64>,
    care_end: Option<i64>,
    /// One per week; `None` is a blank cell.
    cells: Vec<Option<i64>>,
}

/// One person: one row, or two rows with the same Person ID (a bundle
/// change), in sheet order.
#[derive(Clone, Debug)]
struct PersonSpec {
    rows: Vec<RowSpec>,
}

#[derive(Clone, Debug)]
struct Case {
    /// The Details sheet's blended hourly rate, in pence.
    rate_pence: i64,
    /// A new rate from the Monday of week `k`.
    new_rate: Option<(u32, i64)>,
    /// The council's rates for the provider (day offset, pence), by date.
    council_rates: Option<Vec<(i64, i64)>>,
    /// `max_weekly_charge` (day offset, pence), by date.
    caps: Vec<(i64, i64)>,
    /// The tolerance in basis points (800 = 8%).
    tolerance_bp: i64,
    sustained_weeks: u32,
    /// Put every person's second row after all the first rows.
    second_rows_last: bool,
    people: Vec<PersonSpec>,
}

fn period_start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 4, 6).unwrap()
}

fn day(offset: i64) -> NaiveDate {
    if offset >= 0 {
        period_start() + Days::new(offset as u64)
    } else {
        period_start() - Days::new(offset.unsigned_abs())
    }
}

/// The day offset of week `k`'s Monday.
fn monday_of(k: u32) -> i64 {
    7 * (i64::from(k) - 1)
}

fn id(i: usize) -> String {
    format!("P{}", i + 1)
}

// ---------------------------------------------------------------------------
// The submission and settings built from a case

fn details_cell(row: u32) -> Location {
    Location::cell(Sheet::Details, row, 1)
}

fn pounds(pence: i64) -> Decimal {
    Decimal::new(pence, 2)
}

fn submission(case: &Case) -> Submission {
    let details = Details {
        provider_name: Some(Located::new("Oracle Care Ltd".into(), details_cell(0))),
        provider_reference: Some(Located::new("SUP00999".into(), details_cell(1))),
        period_start: Some(Located::new(period_start(), details_cell(2))),
        rate: Some(Located::new(pounds(case.rate_pence), details_cell(3))),
        rate_label_at: Some(details_cell(3)),
        new_rate: case
            .new_rate
            .map(|(_, r)| Located::new(pounds(r), details_cell(4))),
        new_rate_from: case
            .new_rate
            .map(|(k, _)| Located::new(day(monday_of(k)), details_cell(5))),
        ..Details::default()
    };
    // Sheet order: each person's rows together, or all first rows and then
    // all second rows.
    let mut order: Vec<(usize, &RowSpec)> = Vec::new();
    let mut later: Vec<(usize, &RowSpec)> = Vec::new();
    for (i, p) in case.people.iter().enumerate() {
        for (j, r) in p.rows.iter().enumerate() {
            if j > 0 && case.second_rows_last {
                later.push((i, r));
            } else {
                order.push((i, r));
            }
        }
    }
    order.extend(later);
    let rows = order
        .into_iter()
        .enumerate()
        .map(|(n, (i, r))| {
            let row = 1 + n as u32;
            let at = |col: u32| Location::cell(Sheet::Hours, row, col);
            PersonRow {
                row,
                person_id: id(i),
                name: None,
                bundle: Some(Located::new(Hours::from_seconds(r.bundle_minutes * 60), at(2))),
                charge: r.charge_pence.map(|c| Located::new(pounds(c), at(3))),
                care_start: r.care_start.map(|d| Located::new(day(d), at(4))),
                care_end: r.care_end.map(|d| Located::new(day(d), at(5))),
                weeks: r
                    .cells
                    .iter()
                    .enumerate()
                    .map(|(k, cell)| {
                        let value = match cell {
                            None => WeekCell::Blank,
                            Some(m) => WeekCell::Hours(Hours::from_seconds(m * 60)),
                        };
                        Located::new(value, at(6 + k as u32))
                    })
                    .collect(),
                total: None,
                notes: None,
            }
        })
        .collect();
    Submission {
        source: "oracle.xlsx".into(),
        details: Some(details),
        rows,
        ..Submission::default()
    }
}

fn dated(entries: &[(i64, i64)]) -> Vec<DatedAmount> {
    entries
        .iter()
        .map(|&(d, p)| DatedAmount {
            from: day(d),
            amount: pounds(p),
        })
        .collect()
}

fn settings(case: &Case) -> Settings {
    Settings {
        tolerance: Decimal::new(case.tolerance_bp, 4),
        period_weeks: WEEKS,
        week_start: Weekday::Mon,
        submission_days: 14,
        table_top_days: 28,
        sustained_weeks: case.sustained_weeks,
        max_weekly_charge: dated(&case.caps),
        // The council's rate table for the submission's provider, SUP00999.
        providers: case
            .council_rates
            .as_deref()
            .map(|rates| ProviderSettings {
                reference: "SUP00999".into(),
                name: None,
                rates: dated(rates),
                language: None,
                address: Vec::new(),
                codes: Default::default(),
            })
            .into_iter()
            .collect(),
        ..Settings::default()
    }
}

/// Reconcile through the library and read the JSON back.
fn run(case: &Case) -> (Doc, String) {
    let result = engine::reconcile(&submission(case), Vec::new(), &settings(case));
    let line = yourchoice::write::json::to_line(&result).expect("the JSON is written");
    let doc: Doc = serde_json::from_str(&line).expect("the JSON is SPEC 8.2");
    (doc, line)
}

// ---------------------------------------------------------------------------
// The oracle's arithmetic: exact rationals and their SPEC 8.2 strings

/// n / d rounded to a whole number, half away from zero (d > 0).
fn round_half_away(n: i128, d: i128) -> i128 {
    assert!(d > 0);
    let (q, r) = (n.abs() / d, n.abs() % d);
    let q = if 2 * r >= d { q + 1 } else { q };
    if n < 0 { -q } else { q }
}

/// An integer number of `1/10^dp` as a decimal string with `dp` places.
fn fixed(units: i128, dp: u32) -> String {
    let scale = 10i128.pow(dp);
    let sign = if units < 0 { "-" } else { "" };
    let (whole, frac) = (units.abs() / scale, units.abs() % scale);
    format!("{sign}{whole}.{frac:0width$}", width = dp as usize)
}

/// Hours given as n / d hours (d > 0): the exact decimal, trailing zeros
/// trimmed, or rounded to 6 places where it does not end within 6 (SPEC 8.2).
fn hours_string(n: i128, d: i128) -> String {
    let scaled = n * 1_000_000;
    let millionths = if scaled % d == 0 {
        scaled / d
    } else {
        round_half_away(scaled, d)
    };
    if millionths == 0 {
        return "0".into();
    }
    let text = fixed(millionths, 6);
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Hours given in seconds.
fn seconds_string(seconds: i128) -> String {
    hours_string(seconds, 3600)
}

fn money_string(pence: i128) -> String {
    fixed(pence, 2)
}

fn method(pence: i128) -> &'static str {
    match pence.signum() {
        1 => "bacs",
        -1 => "invoice",
        _ => "none",
    }
}

/// The latest (day offset, amount) in force on `date`, from a list by date.
fn in_force(entries: &[(i64, i64)], date: i64) -> Option<i64> {
    let mut found = None;
    for &(from, amount) in entries {
        if from <= date {
            found = Some(amount);
        }
    }
    found
}

/// Whether week `k` is a care week for care from `start` to `end` (both
/// inclusive, absent = open): its Monday..Sunday overlaps them (SPEC 2).
fn is_care_week(k: u32, start: Option<i64>, end: Option<i64>) -> bool {
    let (monday, sunday) = (monday_of(k), monday_of(k) + 6);
    start.is_none_or(|s| sunday >= s) && end.is_none_or(|e| monday <= e)
}

// ---------------------------------------------------------------------------
// The oracle

/// One care week of a person, in the oracle's units.
#[derive(Clone, Copy, Debug)]
struct Week {
    k: u32,
    /// Seconds.
    bundle: i128,
    delivered: i128,
    /// Pence per hour.
    rate: i128,
    /// The assessed weekly charge, pence.
    charge: Option<i128>,
    /// `max_weekly_charge` in force on the Monday, pence.
    cap: Option<i128>,
}

/// The rate in force on week `k`'s Monday (SPEC 4): the council's table
/// when it has one, else the submission's rate and new rate.
fn rate_of_week(case: &Case, k: u32) -> i64 {
    let monday = monday_of(k);
    if let Some(table) = &case.council_rates {
        return in_force(table, monday).expect("the generator gives a council rate from the period start");
    }
    match case.new_rate {
        Some((from, new)) if k >= from => new,
        _ => case.rate_pence,
    }
}

/// The person's care weeks, joining their rows (SPEC 2).
fn care_weeks(case: &Case, p: &PersonSpec) -> Vec<Week> {
    let mut weeks = Vec::new();
    for k in 1..=WEEKS {
        let rows: Vec<&RowSpec> = p
            .rows
            .iter()
            .filter(|r| is_care_week(k, r.care_start, r.care_end))
            .collect();
        assert!(rows.len() <= 1, "the generator made overlapping rows: {p:?}");
        let Some(row) = rows.first() else { continue };
        let delivered = row.cells[(k - 1) as usize].expect("a care week has a figure");
        weeks.push(Week {
            k,
            bundle: i128::from(row.bundle_minutes) * 60,
            delivered: i128::from(delivered) * 60,
            rate: i128::from(rate_of_week(case, k)),
            charge: row.charge_pence.map(i128::from),
            cap: in_force(&case.caps, monday_of(k)).map(i128::from),
        });
    }
    weeks
}

/// What the oracle expects of one person: the JSON, and its finding counts.
fn oracle_person(case: &Case, i: usize) -> (Person, BTreeMap<&'static str, usize>) {
    let p = &case.people[i];
    let tol = i128::from(case.tolerance_bp); // over 10_000
    let weeks = care_weeks(case, p);
    let billable: Vec<Week> = weeks.iter().copied().filter(|w| w.delivered > 0).collect();
    let no_care: Vec<u32> = weeks.iter().filter(|w| w.delivered == 0).map(|w| w.k).collect();

    // Hours, in seconds.
    let commissioned: i128 = billable.iter().map(|w| w.bundle).sum();
    let delivered: i128 = billable.iter().map(|w| w.delivered).sum();
    let variance = delivered - commissioned;
    // |V| ≤ T, T = tol/10_000 · H_c, in whole numbers.
    let within = variance.abs() * 10_000 <= tol * commissioned;
    let status = if billable.is_empty() {
        "no_care"
    } else if within {
        "within_tolerance"
    } else {
        "referred"
    };
    // 100·V/H_c to 2 decimals = round(10_000·V/H_c) hundredths.
    let variance_percent =
        (commissioned > 0).then(|| fixed(round_half_away(10_000 * variance, commissioned), 2));

    // The bank: b_k = Σ (B − A) after each billable week; |b| > T.
    let (mut balance, mut peak, mut limit_first_week) = (0i128, 0i128, None);
    for w in &billable {
        balance += w.bundle - w.delivered;
        peak = peak.max(balance.abs());
        if limit_first_week.is_none() && balance.abs() * 10_000 > tol * commissioned {
            limit_first_week = Some(w.k);
        }
    }

    // Change in need: the longest run of consecutive billable weeks each off
    // by more than tol·B_k in one direction, the earliest of equals.
    let off = |w: &Week| {
        let d = w.delivered - w.bundle;
        (d.abs() * 10_000 > tol * w.bundle).then_some(d.signum())
    };
    let mut best: Option<(usize, usize, i128)> = None; // (start, length, sign)
    let mut start = 0;
    while start < billable.len() {
        let Some(sign) = off(&billable[start]) else {
            start += 1;
            continue;
        };
        let mut end = start;
        while end + 1 < billable.len() && off(&billable[end + 1]) == Some(sign) {
            end += 1;
        }
        let len = end - start + 1;
        if best.is_none_or(|(_, l, _)| len > l) {
            best = Some((start, len, sign));
        }
        start = end + 1;
    }
    let change_in_need = best
        .filter(|&(_, len, _)| len >= case.sustained_weeks as usize)
        .map(|(s, len, sign)| ChangeInNeed {
            first_week: billable[s].k,
            last_week: billable[s + len - 1].k,
            direction: if sign > 0 { "more" } else { "less" }.into(),
        });

    // Money, as pence·seconds per hour: divide by 3600 for pence.
    let settlement_exact: i128 = billable.iter().map(|w| (w.delivered - w.bundle) * w.rate).sum();
    let amount = round_half_away(settlement_exact, 3600);
    let settlement = (!billable.is_empty()).then(|| Settlement {
        amount: money_string(amount),
        method: method(amount).into(),
        authorised: within,
        decision: None,
    });

    let charged_weeks: Vec<&Week> = billable.iter().filter(|w| w.charge.is_some()).collect();
    let charge = (!charged_weeks.is_empty()).then(|| {
        let mut charged = 0i128; // pence
        let mut cost = 0i128; // pence·seconds per hour
        for w in &charged_weeks {
            let c = w.charge.unwrap();
            let c = w.cap.map_or(c, |cap| c.min(cap));
            // min(C', B·r), in pence·seconds per hour, then to pence.
            charged += round_half_away((c * 3600).min(w.bundle * w.rate), 3600);
            cost += w.delivered * w.rate;
        }
        let over = (charged * 3600 - cost).max(0);
        Charge {
            charged: money_string(charged),
            cost_of_care_received: money_string(round_half_away(cost, 3600)),
            overcharge: money_string(round_half_away(over, 3600)),
        }
    });

    let mut findings = BTreeMap::new();
    findings.insert("outside-tolerance", usize::from(status == "referred"));
    findings.insert("bank-limit-exceeded", usize::from(limit_first_week.is_some()));
    findings.insert("change-in-need", usize::from(change_in_need.is_some()));
    // One notice names all of a person's no-care weeks; none when no week
    // was billable (`no-care-in-period` says it of every week).
    findings.insert(
        "no-care-week",
        usize::from(!no_care.is_empty() && !billable.is_empty()),
    );
    findings.insert("no-care-in-period", usize::from(billable.is_empty()));

    let person = Person {
        person_id: id(i),
        name: None,
        status: status.into(),
        commissioned_hours: seconds_string(commissioned),
        delivered_hours: seconds_string(delivered),
        net_variance_hours: seconds_string(variance),
        variance_percent,
        tolerance_hours: hours_string(tol * commissioned, 10_000 * 3600),
        billable_weeks: billable.iter().map(|w| w.k).collect(),
        no_care_weeks: no_care,
        bank: Bank {
            peak_hours: seconds_string(peak),
            limit_first_week,
        },
        change_in_need,
        settlement,
        charge,
    };
    (person, findings)
}

fn money_pence(text: &str) -> i128 {
    let negative = text.starts_with('-');
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let pence: i128 = digits.parse().unwrap();
    if negative { -pence } else { pence }
}

fn oracle_totals(people: &[Person]) -> Totals {
    let (mut authorised, mut held, mut held_count, mut refunds) = (0i128, 0i128, 0, 0i128);
    for p in people {
        if let Some(s) = &p.settlement {
            if s.authorised {
                authorised += money_pence(&s.amount);
            } else {
                held += money_pence(&s.amount);
                held_count += 1;
            }
        }
        if let Some(c) = &p.charge {
            refunds += money_pence(&c.overcharge);
        }
    }
    Totals {
        authorised: money_string(authorised),
        method: method(authorised).into(),
        held: money_string(held),
        held_count,
        referred_count: people.iter().filter(|p| p.status == "referred").count(),
        overcharge_refunds: money_string(refunds),
    }
}

/// The counts of [`PERSON_CODES`] in the document, per person.
fn finding_counts(doc: &Doc, person_id: &str) -> BTreeMap<&'static str, usize> {
    PERSON_CODES
        .iter()
        .map(|&code| {
            let n = doc
                .findings
                .iter()
                .filter(|f| f.code == code && f.person_id.as_deref() == Some(person_id))
                .count();
            (code, n)
        })
        .collect()
}

/// Compare the whole document with the oracle; the message names the first
/// difference.
fn check(case: &Case) -> Result<(), String> {
    let (doc, line) = run(case);
    let fail = |what: &str, got: &dyn std::fmt::Debug, want: &dyn std::fmt::Debug| {
        Err(format!(
            "{what}:\n  engine {got:#?}\n  oracle {want:#?}\nJSON {line}"
        ))
    };
    if doc.schema != "yourchoice.reconciliation/1" || doc.status != "reconciled" {
        let errors: Vec<&Finding> = doc
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .collect();
        return fail(
            "a valid submission is reconciled",
            &(&doc.status, errors),
            &"reconciled",
        );
    }
    if doc.people.len() != case.people.len() {
        return fail("people", &doc.people.len(), &case.people.len());
    }
    let mut expected = Vec::new();
    for (i, got) in doc.people.iter().enumerate() {
        let (want, codes) = oracle_person(case, i);
        if *got != want {
            return fail(&format!("person {}", id(i)), got, &want);
        }
        let found = finding_counts(&doc, &want.person_id);
        if found != codes {
            return fail(&format!("findings of {}", id(i)), &found, &codes);
        }
        expected.push(want);
    }
    let want = oracle_totals(&expected);
    if doc.totals.as_ref() != Some(&want) {
        return fail("totals", &doc.totals, &want);
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Generators

/// The tolerance in basis points: mostly the SPEC's 8%.
fn tolerance_bp() -> impl Strategy<Value = i64> {
    prop_oneof![
        6 => Just(800i64),
        2 => Just(500i64),
        2 => Just(1000i64),
        1 => Just(750i64),
        1 => Just(0i64),
    ]
}

/// £/hour in pence: round pounds, or any pence.
fn rate_pence() -> impl Strategy<Value = i64> {
    prop_oneof![(10i64..=40).prop_map(|p| p * 100), 100i64..=5000]
}

/// A bundle in minutes: whole hours, multiples of 25 minutes (8% of which
/// is whole minutes, so a week can sit on the tolerance), or any minutes.
fn bundle_minutes() -> impl Strategy<Value = i64> {
    prop_oneof![
        (1i64..=40).prop_map(|h| h * 60),
        (1i64..=96).prop_map(|n| n * 25),
        1i64..=3600,
    ]
}

/// An assessed weekly charge in pence: up to £300, or more than most
/// bundles cost (so the bundle's cost is charged).
fn charge_pence() -> impl Strategy<Value = i64> {
    prop_oneof![
        (0i64..=300).prop_map(|p| p * 100),
        0i64..=30_000,
        50_000i64..=200_000
    ]
}

/// A week's delivered minutes (> 0) for bundle `b`: the bundle, near it, on
/// the edge of the weekly tolerance, along the person's trend (so runs of
/// weeks off the bundle happen), or anything up to 80 hours.
fn delivered(b: i64, bp: i64, trend_bp: i64) -> BoxedStrategy<i64> {
    let edge = b * bp / 10_000;
    prop_oneof![
        3 => Just(b),
        3 => (-120i64..=120).prop_map(move |d| (b + d).max(1)),
        2 => (-1i64..=1, any::<bool>()).prop_map(move |(e, up)| {
            let d = edge + e;
            (if up { b + d } else { b - d }).max(1)
        }),
        4 => (-10i64..=10).prop_map(move |d| (b + b * trend_bp / 10_000 + d).max(1)),
        2 => 1i64..=4800,
    ]
    .boxed()
}

/// A week cell of a row: a figure in a care week (0 for a no-care week),
/// blank or 0 outside.
fn cell(care: bool, b: i64, bp: i64, trend_bp: i64, absent: bool) -> BoxedStrategy<Option<i64>> {
    if !care {
        prop_oneof![Just(None), Just(Some(0i64))].boxed()
    } else if absent {
        Just(Some(0i64)).boxed()
    } else {
        prop_oneof![1 => Just(Some(0i64)), 8 => delivered(b, bp, trend_bp).prop_map(Some)].boxed()
    }
}

/// Care dates (day offsets) of one row, start ≤ end: open, or dates
/// anywhere from before the period to after it, mid-week included (so now
/// and then a row has no care week at all).
fn one_row_dates() -> impl Strategy<Value = Vec<(Option<i64>, Option<i64>)>> {
    prop_oneof![
        3 => Just((None, None)),
        2 => (option::of(-20i64..=100), option::of(-10i64..=100)).prop_map(|dates| match dates {
            (Some(s), Some(e)) if e < s => (Some(e), Some(s)),
            dates => dates,
        }),
    ]
    .prop_map(|dates| vec![dates])
}

/// Care dates of two rows of one person: row 1 ends on day `d` (a Sunday,
/// any day, or before the period), row 2 starts in a later week (on its
/// Monday, later in the period, or after it), so their care weeks split the
/// period without overlap, perhaps with weeks of no care between.
fn two_row_dates() -> impl Strategy<Value = Vec<(Option<i64>, Option<i64>)>> {
    prop_oneof![(1i64..=12).prop_map(|w| 7 * w - 1), 0i64..=83, -10i64..=-1]
        .prop_flat_map(|d| {
            let next_monday = 7 * (d.div_euclid(7) + 1);
            (
                option::of(-10i64..=d),
                Just(d),
                prop_oneof![Just(next_monday), next_monday..=90, 91i64..=100],
            )
        })
        .prop_flat_map(|(s1, d, s2)| (Just(s1), Just(d), Just(s2), option::of(s2..=100)))
        .prop_map(|(s1, d, s2, e2)| vec![(s1, Some(d)), (Some(s2), e2)])
}

fn person(bp: i64) -> impl Strategy<Value = PersonSpec> {
    let dates = prop_oneof![3 => one_row_dates(), 2 => two_row_dates()];
    let trend = prop_oneof![
        Just(0i64),
        Just(-2000i64),
        Just(-1000i64),
        Just(1000i64),
        Just(2500i64)
    ];
    (
        dates,
        (bundle_minutes(), bundle_minutes()),
        (option::of(charge_pence()), option::of(charge_pence())),
        trend,
        prop::bool::weighted(0.08),
        prop::bool::weighted(0.3),
    )
        .prop_flat_map(move |(dates, (b1, b2), (c1, c2), trend, absent, swap)| {
            // A bundle change: the second row's bundle differs.
            let b2 = if b2 == b1 { b1 + 15 } else { b2 };
            let rows: Vec<_> = dates
                .into_iter()
                .zip([(b1, c1), (b2, c2)])
                .map(|((start, end), (bundle, charge))| {
                    let cells: Vec<_> = (1..=WEEKS)
                        .map(|k| cell(is_care_week(k, start, end), bundle, bp, trend, absent))
                        .collect();
                    (Just(bundle), Just(charge), Just(start), Just(end), cells)
                })
                .collect();
            (rows, Just(swap))
        })
        .prop_map(|(rows, swap)| {
            let mut rows: Vec<RowSpec> = rows
                .into_iter()
                .map(
                    |(bundle_minutes, charge_pence, care_start, care_end, cells)| RowSpec {
                        bundle_minutes,
                        charge_pence,
                        care_start,
                        care_end,
                        cells,
                    },
                )
                .collect();
            if swap {
                rows.reverse();
            }
            PersonSpec { rows }
        })
}

/// The council's rates: one in force from on or before the period start,
/// and perhaps a second from any day of the period (a mid-week date takes
/// effect on the next Monday).
fn council_rates() -> impl Strategy<Value = Vec<(i64, i64)>> {
    (
        prop_oneof![Just(-364i64), Just(-7i64), Just(0i64)],
        rate_pence(),
        option::of((1i64..=90, rate_pence())),
    )
        .prop_map(|(from, rate, second)| {
            let mut table = vec![(from, rate)];
            table.extend(second);
            table
        })
}

/// `max_weekly_charge`: none, or one or two caps from distinct days, before
/// or inside the period.
fn caps() -> impl Strategy<Value = Vec<(i64, i64)>> {
    vec((-30i64..=90, charge_pence()), 0..=2).prop_map(|mut caps| {
        caps.sort_unstable();
        caps.dedup_by_key(|c| c.0);
        caps
    })
}

fn case() -> impl Strategy<Value = Case> {
    (
        tolerance_bp(),
        prop_oneof![Just(4u32), Just(3u32)],
        rate_pence(),
        option::of((1u32..=WEEKS, rate_pence())),
        prop_oneof![3 => Just(None), 1 => council_rates().prop_map(Some)],
        prop_oneof![1 => Just(Vec::new()), 1 => caps()],
        any::<bool>(),
    )
        .prop_flat_map(|(bp, sustained, rate, new_rate, council, caps, last)| {
            (
                Just((bp, sustained, rate, new_rate, council, caps, last)),
                vec(person(bp), 1..=8),
            )
        })
        .prop_map(
            |(
                (tolerance_bp, sustained_weeks, rate_pence, new_rate, council_rates, caps, second_rows_last),
                people,
            )| {
                Case {
                    rate_pence,
                    new_rate,
                    council_rates,
                    caps,
                    tolerance_bp,
                    sustained_weeks,
                    second_rows_last,
                    people,
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Every figure of every person, their findings and the totals are what
    /// the oracle computes from SPEC 2-4.
    #[test]
    fn the_json_agrees_with_the_oracle(case in case()) {
        if let Err(message) = check(&case) {
            prop_assert!(false, "{}", message);
        }
    }
}

// ---------------------------------------------------------------------------
// Hand-worked cases

fn row(bundle_minutes: i64, charge_pence: Option<i64>, hours: &[Option<i64>]) -> RowSpec {
    RowSpec {
        bundle_minutes,
        charge_pence,
        care_start: None,
        care_end: None,
        cells: hours.to_vec(),
    }
}

/// Whole hours as minutes, every cell a figure.
fn whole_hours(hours: &[i64]) -> Vec<Option<i64>> {
    hours.iter().map(|h| Some(h * 60)).collect()
}

fn plain_case(people: Vec<PersonSpec>, rate_pence: i64) -> Case {
    Case {
        rate_pence,
        new_rate: None,
        council_rates: None,
        caps: Vec::new(),
        tolerance_bp: 800,
        sustained_weeks: 4,
        second_rows_last: false,
        people,
    }
}

fn person_json(doc: &Doc, person_id: &str) -> Person {
    doc.people
        .iter()
        .find(|p| p.person_id == person_id)
        .unwrap()
        .clone()
}

fn s(text: &str) -> String {
    text.to_string()
}

/// SPEC 9: P1 and P2, £24.00/hour, 8%, sustained 4 weeks.
#[test]
fn spec_9_worked_example() {
    let p1 = whole_hours(&[12, 12, 12, 10, 0, 10, 9, 9, 9, 10, 10, 10, 10]);
    let p2 = whole_hours(&[3, 3, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3]);
    let case = plain_case(
        vec![
            PersonSpec {
                rows: vec![row(600, Some(10_000), &p1)],
            },
            PersonSpec {
                rows: vec![row(180, Some(10_000), &p2)],
            },
        ],
        2400,
    );
    let (doc, line) = run(&case);
    assert_eq!(doc.status, "reconciled", "{line}");
    let period = doc.period.as_ref().unwrap();
    assert_eq!(
        (&*period.start, &*period.end, period.weeks),
        ("2026-04-06", "2026-07-05", 13)
    );
    assert_eq!(
        (&*period.submission_due, &*period.table_top_due),
        ("2026-07-19", "2026-08-02")
    );

    // P1: week 5 no care; H_c = 12 × 10 = 120, H_d = 36 + 10 + 10 + 27 + 40
    // = 123, V = +3 (2.50%), T = 9.6: within. Bank −2, −4, −6, −6, −6, −5,
    // −4, −3, ...: peak 6. Weeks 7-9 are 10% under but only three: no change
    // in need. Settlement 3 × 24 = 72.00 by BACS. Charge min(100, 240) × 12
    // = 1200.00; cost 123 × 24 = 2952.00; no overcharge.
    let expected_p1 = Person {
        person_id: s("P1"),
        name: None,
        status: s("within_tolerance"),
        commissioned_hours: s("120"),
        delivered_hours: s("123"),
        net_variance_hours: s("3"),
        variance_percent: Some(s("2.50")),
        tolerance_hours: s("9.6"),
        billable_weeks: vec![1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13],
        no_care_weeks: vec![5],
        bank: Bank {
            peak_hours: s("6"),
            limit_first_week: None,
        },
        change_in_need: None,
        settlement: Some(Settlement {
            amount: s("72.00"),
            method: s("bacs"),
            authorised: true,
            decision: None,
        }),
        charge: Some(Charge {
            charged: s("1200.00"),
            cost_of_care_received: s("2952.00"),
            overcharge: s("0.00"),
        }),
    };
    // P2: H_c = 39, H_d = 32, V = −7 (−17.948..%), T = 3.12: referred. Bank
    // 0, 0, 1, 2, 3, 4 (week 6: 4 > 3.12), 5, 6, 7, 7, ...: peak 7. Weeks
    // 3-9 each 1 h (33%) under: change in need, less. Settlement −7 × 24 =
    // −168.00 by invoice, held. Charge min(100, 72) × 13 = 936.00; cost
    // 32 × 24 = 768.00; overcharge 168.00.
    let expected_p2 = Person {
        person_id: s("P2"),
        name: None,
        status: s("referred"),
        commissioned_hours: s("39"),
        delivered_hours: s("32"),
        net_variance_hours: s("-7"),
        variance_percent: Some(s("-17.95")),
        tolerance_hours: s("3.12"),
        billable_weeks: (1..=13).collect(),
        no_care_weeks: vec![],
        bank: Bank {
            peak_hours: s("7"),
            limit_first_week: Some(6),
        },
        change_in_need: Some(ChangeInNeed {
            first_week: 3,
            last_week: 9,
            direction: s("less"),
        }),
        settlement: Some(Settlement {
            amount: s("-168.00"),
            method: s("invoice"),
            authorised: false,
            decision: None,
        }),
        charge: Some(Charge {
            charged: s("936.00"),
            cost_of_care_received: s("768.00"),
            overcharge: s("168.00"),
        }),
    };
    assert_eq!(person_json(&doc, "P1"), expected_p1, "{line}");
    assert_eq!(person_json(&doc, "P2"), expected_p2, "{line}");
    assert_eq!(
        doc.totals,
        Some(Totals {
            authorised: s("72.00"),
            method: s("bacs"),
            held: s("-168.00"),
            held_count: 1,
            referred_count: 1,
            overcharge_refunds: s("168.00"),
        }),
        "{line}"
    );
    let p1_codes = finding_counts(&doc, "P1");
    assert_eq!(p1_codes["no-care-week"], 1);
    assert_eq!(p1_codes.values().sum::<usize>(), 1, "{p1_codes:?}");
    let p2_codes = finding_counts(&doc, "P2");
    for code in ["outside-tolerance", "bank-limit-exceeded", "change-in-need"] {
        assert_eq!(p2_codes[code], 1, "{code}: {p2_codes:?}");
    }
    assert_eq!(p2_codes.values().sum::<usize>(), 3, "{p2_codes:?}");
    // And the oracle agrees with the hand.
    check(&case).unwrap();
}

/// One person on two rows: a bundle change after a gap week, mid-week care
/// dates, a rate change and a charge cap from week 8, and hours in minutes
/// that are not exact in decimal hours.
#[test]
fn a_bundle_change_with_a_rate_change_and_a_cap() {
    // Row 1: bundle 10 h, £250 a week, care to Wednesday 2026-05-06 (week
    // 5), so weeks 1-5. Row 2: bundle 6 h 30 min, £140 a week, care from
    // Tuesday 2026-05-19 (week 7), so weeks 7-13. Week 6 (11-17 May) is
    // nobody's care week: blank in both rows.
    let m = |h: i64, min: i64| Some(h * 60 + min);
    let row1 = RowSpec {
        bundle_minutes: 600,
        charge_pence: Some(25_000),
        care_start: None,
        care_end: Some(30),
        cells: vec![
            m(10, 0),
            m(9, 40),
            m(0, 0),
            m(11, 0),
            m(10, 0),
            None,
            None,
            None,
            Some(0),
            None,
            None,
            None,
            None,
        ],
    };
    let row2 = RowSpec {
        bundle_minutes: 390,
        charge_pence: Some(14_000),
        care_start: Some(43),
        care_end: None,
        cells: vec![
            None,
            None,
            Some(0),
            None,
            None,
            None,
            m(6, 30),
            m(3, 0),
            m(3, 0),
            m(3, 0),
            m(3, 0),
            m(6, 30),
            m(7, 0),
        ],
    };
    // Rate £20.00, then £22.00 from week 8 (Monday 2026-05-25); a £120 cap
    // from the same Monday. The second row comes after another person's row.
    let other = PersonSpec {
        rows: vec![row(300, None, &whole_hours(&[5; 13]))],
    };
    let case = Case {
        new_rate: Some((8, 2200)),
        caps: vec![(49, 12_000)],
        second_rows_last: true,
        ..plain_case(
            vec![
                PersonSpec {
                    rows: vec![row1, row2],
                },
                other,
            ],
            2000,
        )
    };
    let (doc, line) = run(&case);
    assert_eq!(doc.status, "reconciled", "{line}");

    // Billable: 1, 2, 4, 5 (B 10 h) and 7-13 (B 6.5 h); no care: 3.
    // H_c = 4 × 10 + 7 × 6.5 = 85.5 h. H_d = (10 + 9:40 + 11 + 10 = 40:40)
    // + (6.5 + 4 × 3 + 6.5 + 7 = 32) = 72 h 40 min = 72.666667.
    // V = −12 h 50 min = −12.833333; 100 · V / H_c = −15.0097..: −15.01.
    // T = 0.08 × 85.5 = 6.84: |V| > T, referred.
    // Bank B − A: 0, +0:20, −0:40, −0:40, −0:40, then +3:30 a week: 2:50,
    // 6:20, 9:50 (week 10: 9.83 > 6.84), 13:20, 13:20, 12:50. Peak 13:20.
    // Weekly 8%: week 4 +1 h > 0.8 h (more, alone); weeks 8-11 −3.5 h >
    // 0.52 h (less, four weeks: a change in need); week 13 +0:30 is not more
    // than 0.52 h = 0:31:12.
    // Settlement at £20 (weeks 1-7): −1/3 × 20 + 1 × 20 = 13.333..; at £22
    // (weeks 8-13): (−14 + 0.5) × 22 = −297. Total −283.666..: −283.67 by
    // invoice, held.
    // Charge: weeks 1, 2, 4, 5 min(250, 10 × 20) = 200 → 800; week 7 (no
    // cap yet) min(140, 6.5 × 20 = 130) = 130; weeks 8-13 min(min(140, 120),
    // 6.5 × 22 = 143) = 120 → 720. Charged 1650.00. Cost: 40:40 × 20 =
    // 813.333.. + 6.5 × 20 = 130 + 25.5 × 22 = 561: 1504.333.. → 1504.33.
    // Overcharge 1650 − 1504.333.. = 145.666..: 145.67.
    let expected = Person {
        person_id: s("P1"),
        name: None,
        status: s("referred"),
        commissioned_hours: s("85.5"),
        delivered_hours: s("72.666667"),
        net_variance_hours: s("-12.833333"),
        variance_percent: Some(s("-15.01")),
        tolerance_hours: s("6.84"),
        billable_weeks: vec![1, 2, 4, 5, 7, 8, 9, 10, 11, 12, 13],
        no_care_weeks: vec![3],
        bank: Bank {
            peak_hours: s("13.333333"),
            limit_first_week: Some(10),
        },
        change_in_need: Some(ChangeInNeed {
            first_week: 8,
            last_week: 11,
            direction: s("less"),
        }),
        settlement: Some(Settlement {
            amount: s("-283.67"),
            method: s("invoice"),
            authorised: false,
            decision: None,
        }),
        charge: Some(Charge {
            charged: s("1650.00"),
            cost_of_care_received: s("1504.33"),
            overcharge: s("145.67"),
        }),
    };
    assert_eq!(person_json(&doc, "P1"), expected, "{line}");
    // P2: 13 weeks of 5 h at 5 h, £20 then £22: nothing owed either way.
    let p2 = person_json(&doc, "P2");
    assert_eq!(
        (
            &*p2.status,
            &*p2.commissioned_hours,
            &p2.settlement.as_ref().unwrap().amount[..]
        ),
        ("within_tolerance", "65", "0.00")
    );
    assert_eq!(p2.charge, None);
    assert_eq!(
        doc.totals,
        Some(Totals {
            authorised: s("0.00"),
            method: s("none"),
            held: s("-283.67"),
            held_count: 1,
            referred_count: 1,
            overcharge_refunds: s("145.67"),
        }),
        "{line}"
    );
    let codes = finding_counts(&doc, "P1");
    for code in [
        "outside-tolerance",
        "bank-limit-exceeded",
        "change-in-need",
        "no-care-week",
    ] {
        assert_eq!(codes[code], 1, "{code}: {codes:?}");
    }
    assert_eq!(codes["no-care-in-period"], 0);
    check(&case).unwrap();
}

/// Halves round away from zero: of a percent, of a penny either way, and
/// of the cost of care; and a person with no care at all. Rate £10.01.
#[test]
fn halves_round_away_from_zero() {
    // P1: bundle 16 h 40 min (1000 min) in weeks 1-8, week 1 0:30 under,
    // weeks 9-13 no care. H_c = 8000 min = 133.333333 h, V = −30 min:
    // 100 × −30 / 8000 = −0.375%: −0.38. T = 640 min = 10.666667 h, within.
    // Settlement −0.5 × 10.01 = −5.005: −5.01, invoice, authorised.
    let mut p1: Vec<Option<i64>> = vec![Some(1000); 8];
    p1[0] = Some(970);
    p1.extend([Some(0); 5]);
    // P2: bundle 1 h, charge £0.15 a week, week 1 1:30, so V = +0.5 h of
    // H_c = 13 h: 3.846..%: 3.85 (T = 1.04, within). Settlement 0.5 ×
    // 10.01 = 5.005: 5.01 by BACS. Charge min(0.15, 10.01) × 13 = 1.95;
    // cost 13.5 × 10.01 = 135.135: 135.14; no overcharge.
    let mut p2 = whole_hours(&[1; 13]);
    p2[0] = Some(90);
    // P3: care weeks 1-13 all 0: no care in the period, thirteen no-care
    // weeks, no settlement, no charge.
    let case = plain_case(
        vec![
            PersonSpec {
                rows: vec![row(1000, None, &p1)],
            },
            PersonSpec {
                rows: vec![row(60, Some(15), &p2)],
            },
            PersonSpec {
                rows: vec![row(120, Some(5_000), &[Some(0); 13])],
            },
        ],
        1001,
    );
    let (doc, line) = run(&case);
    assert_eq!(doc.status, "reconciled", "{line}");
    let p1 = person_json(&doc, "P1");
    assert_eq!(
        (
            &*p1.commissioned_hours,
            &*p1.net_variance_hours,
            &*p1.tolerance_hours
        ),
        ("133.333333", "-0.5", "10.666667"),
        "{line}"
    );
    assert_eq!(p1.variance_percent.as_deref(), Some("-0.38"), "{line}");
    assert_eq!(p1.no_care_weeks, vec![9, 10, 11, 12, 13]);
    assert_eq!(
        p1.settlement,
        Some(Settlement {
            amount: s("-5.01"),
            method: s("invoice"),
            authorised: true,
            decision: None,
        })
    );
    let p2 = person_json(&doc, "P2");
    assert_eq!(p2.net_variance_hours, "0.5");
    assert_eq!(p2.variance_percent.as_deref(), Some("3.85"));
    assert_eq!(p2.settlement.as_ref().map(|s| &s.amount[..]), Some("5.01"));
    assert_eq!(
        p2.charge,
        Some(Charge {
            charged: s("1.95"),
            cost_of_care_received: s("135.14"),
            overcharge: s("0.00"),
        })
    );
    let p3 = person_json(&doc, "P3");
    assert_eq!(
        (&*p3.status, &p3.variance_percent, &p3.settlement, &p3.charge),
        ("no_care", &None, &None, &None),
        "{line}"
    );
    assert_eq!(p3.no_care_weeks, (1..=13).collect::<Vec<u32>>());
    assert!(p3.billable_weeks.is_empty());
    let codes = finding_counts(&doc, "P3");
    assert_eq!(
        (codes["no-care-in-period"], codes["no-care-week"]),
        (1, 0),
        "{codes:?}"
    );
    // −5.01 + 5.01 authorised: nothing either way.
    let totals = doc.totals.as_ref().unwrap();
    assert_eq!((&*totals.authorised, &*totals.method), ("0.00", "none"));
    check(&case).unwrap();
}
