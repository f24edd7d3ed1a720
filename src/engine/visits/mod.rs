//! `yourchoice fill`: a provider's visits summed into the weekly hours of
//! its blank return (issue 23), with the evidence behind each figure.
//!
//! The rules, each once:
//! - a visit belongs to the week of the day it starts (SPEC 1's financial
//!   weeks), and to the person its client reference maps to;
//! - it counts its actual duration, times its carers where the council
//!   counts carer-hours ([`VisitPolicy::count_each_carer`]); cancelled and
//!   missed visits count 0, frustrated ones as the policy says;
//! - a visit outside the period or the person's care, for a client of no
//!   person of the return, or the same visit twice, is not counted, and
//!   says why;
//! - a week in care with no visit is 0 (the return's no-care notice then
//!   follows); a week outside care is left blank, as the template has it.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;

use crate::base::limits::MAX_CARERS;
use crate::base::text;
use crate::base::units::Hours;
use crate::model::Period;
use crate::model::findings::{Code, Finding};
use crate::model::settings::person_key;
use crate::model::visits::{Visit, VisitPolicy, VisitStatus, Visits};

mod same;

use same::{NO_CARER, Seen};

/// A visit longer than this (24 hours) is not a visit.
const DAY_SECONDS: i64 = 24 * 3600;

/// Start/end and the duration may differ by this much (a minute) before
/// they are said to disagree: systems round to the minute.
const TIMES_SLACK_SECONDS: i64 = 60;

/// One person row of the blank return, as the fill needs it.
#[derive(Clone, Debug, PartialEq)]
pub struct FillRow {
    pub person_id: String,
    pub bundle: Option<Hours>,
    pub care_start: Option<chrono::NaiveDate>,
    pub care_end: Option<chrono::NaiveDate>,
}

/// One week's figure of one row: the hours and how many visits gave them.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct WeekFill {
    pub hours: Hours,
    pub visits: u32,
}

/// What became of one visit (the visit itself stays where it was read:
/// `Fill::visits[i]` is the `i`-th visit given).
#[derive(Clone, Debug, PartialEq)]
pub struct Counted {
    /// The row whose Person ID the visit was taken for (the return's
    /// spelling), if any.
    pub person: Option<u32>,
    /// The row (index into the rows given) and week it fed, if counted.
    pub row: Option<u32>,
    pub week: Option<u32>,
    /// The hours it added to that week (0 when not counted).
    pub hours: Hours,
    /// Why it added nothing, in words (`None` when it counted): one of a
    /// few fixed reasons, never copied.
    pub not_counted: Option<Cow<'static, str>>,
}

/// What the visits came to.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Fill {
    /// For each row given, each week's figure (1-based week `k` at `k - 1`);
    /// `None` for a week outside the row's care (left blank).
    pub weeks: Vec<Vec<Option<WeekFill>>>,
    /// What became of every visit, in the order read.
    pub visits: Vec<Counted>,
    pub findings: Vec<Finding>,
    pub summary: FillSummary,
}

/// The fill's totals, for the summary line.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FillSummary {
    pub visits: usize,
    pub counted: usize,
    pub hours: Hours,
    /// The people with a visit counted.
    pub people: usize,
    /// Visits amended by hand, and the hours they gave.
    pub amended: usize,
    pub amended_hours: Hours,
}

/// Maps and sets with foldhash's fast hasher: the keys here are short and
/// not chosen by an attacker who could make them collide to any effect but
/// slowness, and SipHash was a tenth of the fill's time.
type FastMap<K, V> = HashMap<K, V, foldhash::fast::FixedState>;
type FastSet<K> = HashSet<K, foldhash::fast::FixedState>;

/// Sum `visits` into the weeks of `rows` for `period`. `clients` maps a
/// client reference (as [`person_key`]) to a Person ID; without an entry
/// the client reference is taken as the Person ID. `tolerance` is the
/// council's (a week more than its bundle by more than it is said).
pub fn fill(
    rows: &[FillRow],
    period: Period,
    visits: &Visits,
    clients: &HashMap<String, String>,
    policy: &VisitPolicy,
    tolerance: rust_decimal::Decimal,
) -> Fill {
    let mut out = Fill {
        weeks: rows
            .iter()
            .map(|r| {
                period
                    .week_numbers()
                    .map(|k| {
                        period
                            .is_care_week(k, r.care_start, r.care_end)
                            .then(WeekFill::default)
                    })
                    .collect()
            })
            .collect(),
        visits: Vec::with_capacity(visits.visits.len()),
        ..Fill::default()
    };
    for p in &visits.problems {
        out.findings.push(Finding::new(
            Code::VisitUnreadable,
            format!("{}: {}", p.source, p.message),
        ));
    }
    let by_person = rows_by_person(rows);
    let mut counter = Counter {
        rows,
        by_person: &by_person,
        clients,
        period,
        policy,
        persons: FastMap::default(),
        carers: FastMap::default(),
        seen: Seen::default(),
        spans: Vec::new(),
    };
    for (i, v) in visits.visits.iter().enumerate() {
        let counted = counter.count(i, v, &mut out);
        out.visits.push(counted);
    }
    let spans = std::mem::take(&mut counter.spans);
    let carers = std::mem::take(&mut counter.carers);
    overlapping_carers(
        spans,
        carers,
        &visits.visits,
        &out.visits,
        rows,
        &mut out.findings,
    );
    over_bundle(rows, &out.weeks, period, tolerance, &mut out.findings);
    out.summary = summary(&visits.visits, &out.visits);
    if out.summary.amended > 0 {
        out.findings.push(amended(&out.summary));
    }
    out
}

/// The fill as of `as_of`, mid-period (`monitor --visits`): the weeks not
/// yet ended are left blank, not 0, so they read as still going on (the
/// monitor's as-of week) or not yet due, rather than weeks without care.
pub fn as_of(fill: &mut Fill, period: Period, as_of: chrono::NaiveDate) {
    for row in &mut fill.weeks {
        for (i, week) in row.iter_mut().enumerate() {
            if period.week_ending(i as u32 + 1) > as_of {
                *week = None;
            }
        }
    }
}

/// Each person's rows (by [`person_key`]), in the order given.
fn rows_by_person(rows: &[FillRow]) -> HashMap<String, Vec<usize>> {
    let mut map: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        map.entry(person_key(&r.person_id)).or_default().push(i);
    }
    map
}

/// The length of a visit: its actual duration, else from its start to its
/// end (past midnight when the end is earlier); with the warning when both
/// are given and disagree. `Err` when neither is, or it is not a visit's
/// length.
fn length(v: &Visit) -> Result<(Hours, Option<Finding>), Finding> {
    let from_times = match (v.start, v.end) {
        (Some(s), Some(e)) => {
            let mut secs = (e - s).num_seconds();
            if secs < 0 {
                secs += DAY_SECONDS;
                // Past midnight, but for more than half a day: far likelier
                // the start and end typed the wrong way round.
                if secs > DAY_SECONDS / 2 {
                    return Err(Finding::new(
                        Code::VisitBadDuration,
                        format!(
                            "{}: the visit on {} ends at {} before it starts at {}: past midnight it would last {} hours; check the times in the visit records",
                            v.source,
                            text::date(v.date),
                            e.format("%H:%M"),
                            s.format("%H:%M"),
                            Hours::from_seconds(secs)
                        ),
                    ));
                }
            }
            Some(secs)
        }
        _ => None,
    };
    let secs = match (v.duration, from_times) {
        (Some(d), _) => d,
        (None, Some(t)) => Hours::from_seconds(t),
        (None, None) => {
            return Err(Finding::new(
                Code::VisitBadDuration,
                format!(
                    "{}: the visit on {} has neither a duration nor a start and end: give its actual duration",
                    v.source,
                    text::date(v.date)
                ),
            ));
        }
    };
    // A line of a client-by-week report is a week's hours, not a visit.
    let (most, what) = if v.whole_week {
        (7 * DAY_SECONDS, "no week can (0 to 168 hours)")
    } else {
        (DAY_SECONDS, "no visit can (0 to 24 hours)")
    };
    if secs.is_negative() || secs > Hours::from_seconds(most) {
        return Err(Finding::new(
            Code::VisitBadDuration,
            format!(
                "{}: the visit on {} lasts {} hours, which {what}: correct its duration in the visit records",
                v.source,
                text::date(v.date),
                secs
            ),
        ));
    }
    let disagree = match (v.duration, from_times) {
        (Some(d), Some(t)) => {
            let diff = d.seconds() - rust_decimal::Decimal::from(t);
            (diff.abs() > rust_decimal::Decimal::from(TIMES_SLACK_SECONDS)).then(|| {
                Finding::new(
                    Code::VisitTimesDisagree,
                    format!(
                        "{}: the visit on {} from {} to {} lasts {} hours by its times but {} hours by its duration; the duration is counted",
                        v.source,
                        text::date(v.date),
                        v.start.map(|t| t.format("%H:%M").to_string()).unwrap_or_default(),
                        v.end.map(|t| t.format("%H:%M").to_string()).unwrap_or_default(),
                        Hours::from_seconds(t),
                        d
                    ),
                )
            })
        }
        _ => None,
    };
    Ok((secs, disagree))
}

/// A counted visit of a named carer, for [`overlapping_carers`]: the
/// carer (by number), when the visit ran and which it is (24 bytes and
/// the carer's number).
struct Span {
    carer: u32,
    start: NaiveDateTime,
    end: NaiveDateTime,
    visit: u32,
}

/// What is kept while the visits are counted one by one: each client's
/// rows looked up once, each carer numbered once, and the compact keys of
/// the duplicate and overlap checks.
struct Counter<'a> {
    rows: &'a [FillRow],
    by_person: &'a HashMap<String, Vec<usize>>,
    clients: &'a HashMap<String, String>,
    period: Period,
    policy: &'a VisitPolicy,
    /// A client reference, as written, -> the rows of its person.
    persons: FastMap<&'a str, Option<&'a [usize]>>,
    /// A carer, as written, -> their number.
    carers: FastMap<&'a str, u32>,
    seen: Seen<'a>,
    spans: Vec<Span>,
}

impl<'a> Counter<'a> {
    fn person_rows(&mut self, client: &'a str) -> Option<&'a [usize]> {
        let (clients, by_person) = (self.clients, self.by_person);
        *self.persons.entry(client).or_insert_with(|| {
            let person = clients.get(&person_key(client)).map_or(client, String::as_str);
            by_person.get(&person_key(person)).map(Vec::as_slice)
        })
    }

    fn carer(&mut self, carer: Option<&'a String>) -> u32 {
        let Some(c) = carer else { return NO_CARER };
        let next = self.carers.len() as u32;
        *self.carers.entry(c.as_str()).or_insert(next)
    }

    /// Count visit `i` into `out.weeks`, saying what became of it.
    fn count(&mut self, i: usize, v: &'a Visit, out: &mut Fill) -> Counted {
        let (rows, period, policy) = (self.rows, self.period, self.policy);
        let mut counted = Counted {
            person: None,
            row: None,
            week: None,
            hours: Hours::ZERO,
            not_counted: None,
        };
        let Some(person_rows) = self.person_rows(&v.client) else {
            out.findings.push(Finding::new(
                Code::VisitUnknownClient,
                format!(
                    "{}: the visit on {} is for client {}, {}",
                    v.source,
                    text::date(v.date),
                    v.client,
                    match self.clients.get(&person_key(&v.client)) {
                        Some(id) => format!("whom the client map makes {id}, who is no person of the return: check the map, or add the person to the return"),
                        None if self.clients.is_empty() => "who is no person of the return: add the person to the return, or map the client to their Person ID (--clients)".to_string(),
                        None => "who is no person of the return and not in the client map: add the client to the map, or the person to the return".to_string(),
                    }
                ),
            ));
            counted.not_counted = Some(Cow::Borrowed("no person of the return"));
            return counted;
        };
        let first = person_rows[0];
        counted.person = Some(first as u32);
        let person_id = &rows[first].person_id;
        let Some(week) = period.week_of(v.date) else {
            out.findings.push(
                Finding::new(
                    Code::VisitOutsidePeriod,
                    format!(
                        "{}: the visit to {} on {} is outside the period ({} to {}): it is not counted",
                        v.source,
                        person_id,
                        text::date(v.date),
                        text::date(period.start),
                        text::date(period.end())
                    ),
                )
                .person(person_id),
            );
            counted.not_counted = Some(Cow::Borrowed("outside the period"));
            return counted;
        };
        counted.week = Some(week);
        // The row whose care holds the visit's day.
        let Some(&row) = person_rows.iter().find(|&&i| {
            rows[i].care_start.is_none_or(|s| v.date >= s) && rows[i].care_end.is_none_or(|e| v.date <= e)
        }) else {
            out.findings.push(
                Finding::new(
                    Code::VisitOutsideCare,
                    format!(
                        "{}: the visit to {} on {} is outside their care dates in the return: it is not counted",
                        v.source,
                        person_id,
                        text::date(v.date)
                    ),
                )
                .person(person_id),
            );
            counted.not_counted = Some(Cow::Borrowed("outside the person's care dates"));
            return counted;
        };
        counted.row = Some(row as u32);
        let person_id = &rows[row].person_id;
        let why_zero = match v.status {
            _ if v.secondary && !policy.count_each_carer => {
                Some("an additional carer's line of a double-handed visit (the council counts a visit once)")
            }
            VisitStatus::Cancelled => Some("cancelled"),
            VisitStatus::Missed => Some("missed"),
            VisitStatus::Frustrated if !policy.count_frustrated => {
                Some("frustrated (the council counts these 0)")
            }
            _ => None,
        };
        if let Some(why) = why_zero {
            counted.not_counted = Some(Cow::Borrowed(why));
            return counted;
        }
        let (length, disagree) = match length(v) {
            Ok(l) => l,
            Err(finding) => {
                out.findings.push(finding.person(person_id));
                counted.not_counted = Some(Cow::Borrowed("its duration cannot be a visit's"));
                return counted;
            }
        };
        if let Some(f) = disagree {
            out.findings.push(f.person(person_id));
        }
        if length.is_zero() {
            out.findings.push(
                Finding::new(
                    Code::VisitZeroLength,
                    format!(
                        "{}: the visit to {} on {} lasts no time at all (a call logged in and out at once?): it counts 0; check the visit records",
                        v.source,
                        person_id,
                        text::date(v.date)
                    ),
                )
                .person(person_id),
            );
            counted.not_counted = Some(Cow::Borrowed("it lasts no time"));
            return counted;
        }
        if v.carers == 0 || v.carers > MAX_CARERS {
            out.findings.push(
                Finding::new(
                    Code::VisitBadDuration,
                    format!(
                        "{}: the visit on {} has {} carers: a visit has 1 to {MAX_CARERS}; correct the number of carers",
                        v.source,
                        text::date(v.date),
                        v.carers
                    ),
                )
                .person(person_id),
            );
            counted.not_counted = Some(Cow::Borrowed("its number of carers cannot be a visit's"));
            return counted;
        }
        let carer = self.carer(v.carer.as_ref());
        if let Some(why) = self
            .seen
            .same_visit(first as u32, person_id, v, length, carer, &mut out.findings)
        {
            counted.not_counted = Some(Cow::Borrowed(why));
            return counted;
        }
        if v.carers > 2 {
            out.findings.push(
                Finding::new(
                    Code::VisitManyCarers,
                    format!(
                        "{}: the visit to {} on {} had {} carers, so it counts {} times its length: check the number of carers",
                        v.source,
                        person_id,
                        text::date(v.date),
                        v.carers,
                        if policy.count_each_carer { v.carers } else { 1 }
                    ),
                )
                .person(person_id),
            );
        }
        let carers = if policy.count_each_carer { v.carers } else { 1 };
        let hours = length.times(rust_decimal::Decimal::from(carers));
        counted.hours = hours;
        let k = week as usize - 1;
        if let Some(Some(w)) = out.weeks[row].get_mut(k) {
            w.hours += hours;
            w.visits += 1;
        }
        // A named carer's visit with a start, for the overlap check.
        if let (Some(start), Some(_)) = (v.start, v.carer.as_deref().filter(|s| !s.is_empty())) {
            let secs = i64::try_from(length.seconds().trunc().mantissa()).ok();
            if let Some(secs) = secs {
                let start = v.date.and_time(start);
                self.spans.push(Span {
                    carer,
                    start,
                    end: start + chrono::Duration::seconds(secs),
                    visit: i as u32,
                });
            }
        }
        counted
    }
}

/// Two counted visits of one carer that overlap in time: a carer cannot
/// be in two homes at once. Both stay counted; the provider is told.
/// Sorted by carer (by name) and start: O(n log n) on 24-byte spans.
fn overlapping_carers(
    mut spans: Vec<Span>,
    carers: FastMap<&str, u32>,
    visits: &[Visit],
    counted: &[Counted],
    rows: &[FillRow],
    findings: &mut Vec<Finding>,
) {
    // Each carer's number -> their place in name order, so the spans sort
    // by name without comparing names.
    let mut names: Vec<(&str, u32)> = carers.into_iter().collect();
    names.sort_unstable();
    let mut rank = vec![0u32; names.len()];
    for (place, (_, number)) in names.iter().enumerate() {
        rank[*number as usize] = place as u32;
    }
    spans.sort_unstable_by_key(|s| (rank[s.carer as usize], s.start, s.visit));
    let person = |s: &Span| {
        counted[s.visit as usize]
            .person
            .map_or("?", |r| rows[r as usize].person_id.as_str())
    };
    for pair in spans.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if a.carer == b.carer && b.start < a.end {
            let (va, vb) = (&visits[a.visit as usize], &visits[b.visit as usize]);
            findings.push(Finding::new(
                Code::VisitOverlap,
                format!(
                    "{} and {}: carer {} is on two visits at once ({} at {} and {} at {}); both are counted: check the visit records",
                    va.source,
                    vb.source,
                    va.carer.as_deref().unwrap_or_default(),
                    person(a),
                    a.start.format("%d/%m/%Y %H:%M"),
                    person(b),
                    b.start.format("%H:%M")
                ),
            ));
        }
    }
}

/// A person's weeks more than their bundle by more than the tolerance
/// (what `monitor` would show mid-period): one warning per row.
fn over_bundle(
    rows: &[FillRow],
    weeks: &[Vec<Option<WeekFill>>],
    period: Period,
    tolerance: rust_decimal::Decimal,
    findings: &mut Vec<Finding>,
) {
    for (r, row) in rows.iter().enumerate() {
        let Some(bundle) = row.bundle else { continue };
        let limit = bundle + bundle.times(tolerance);
        let over: Vec<u32> = weeks[r]
            .iter()
            .enumerate()
            .filter(|(_, w)| w.is_some_and(|w| w.hours > limit))
            .map(|(k, _)| k as u32 + 1)
            .collect();
        if !over.is_empty() {
            findings.push(
                Finding::new(
                    Code::VisitWeekOverBundle,
                    format!(
                        "{} had more than the bundle of {} hours by more than the tolerance in week{} {} (from {}): check the visits, or tell the council if the need has changed",
                        row.person_id,
                        bundle,
                        if over.len() == 1 { "" } else { "s" },
                        text::week_runs(&over),
                        text::date(period.week_commencing(over[0]))
                    ),
                )
                .person(&row.person_id),
            );
        }
    }
}

fn summary(visits: &[Visit], counted: &[Counted]) -> FillSummary {
    let mut s = FillSummary {
        visits: counted.len(),
        ..FillSummary::default()
    };
    // Each person by their first row (`person_key` of each row the same).
    let mut people: FastSet<u32> = FastSet::default();
    for (v, c) in visits
        .iter()
        .zip(counted)
        .filter(|(_, c)| c.not_counted.is_none())
    {
        s.counted += 1;
        if let Some(p) = c.person {
            people.insert(p);
        }
        s.hours += c.hours;
        if v.manually_amended {
            s.amended += 1;
            s.amended_hours += c.hours;
        }
    }
    s.people = people.len();
    s
}

/// The share of hours amended by hand: what monitoring meetings ask about.
fn amended(s: &FillSummary) -> Finding {
    let share = if s.hours.is_zero() {
        rust_decimal::Decimal::ZERO
    } else {
        (s.amended_hours.seconds() / s.hours.seconds() * rust_decimal::Decimal::ONE_HUNDRED).round_dp(1)
    };
    Finding::new(
        Code::VisitsAmended,
        format!(
            "{} of the {} visits counted ({} of {} hours, {share}%) had their times amended by hand; they are counted",
            s.amended, s.counted, s.amended_hours, s.hours
        ),
    )
}

#[cfg(test)]
mod tests;
