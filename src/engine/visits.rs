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
use std::hash::{BuildHasherDefault, Hasher};

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use crate::base::limits::MAX_CARERS;
use crate::base::text;
use crate::base::units::Hours;
use crate::model::Period;
use crate::model::findings::{Code, Finding};
use crate::model::settings::person_key;
use crate::model::visits::{Visit, VisitPolicy, VisitStatus, Visits};

/// A visit longer than this (24 hours) is not a visit.
const DAY_SECONDS: i64 = 24 * 3600;

/// Start/end and the duration may differ by this much (a minute) before
/// they are said to disagree: systems round to the minute.
const TIMES_SLACK_SECONDS: i64 = 60;

/// A carer's number where a line names none.
const NO_CARER: u32 = u32::MAX;

/// A visit's slot: the person (their first row: `person_key` of each of
/// their rows is the same), the day, the start and the length. Two lines
/// in one slot are the same visit exported twice, or two carers' lines of
/// one double-handed visit. Compact: some 40 bytes, where the visit
/// itself is some 230.
type Slot = (u32, NaiveDate, Option<NaiveTime>, Hours);

/// The lines counted in one slot.
struct SlotLines<'a> {
    /// The first line's source.
    first: &'a str,
    /// The carers the first line said the visit had.
    first_carers: u32,
    /// The carer (by number; [`NO_CARER`] none) the first line named, and
    /// each later counted line's (empty, so no allocation, for most slots).
    carer: u32,
    more: Vec<u32>,
}

impl SlotLines<'_> {
    fn carers(&self) -> impl Iterator<Item = u32> + '_ {
        std::iter::once(self.carer).chain(self.more.iter().copied())
    }
}

/// The visits counted so far, to tell a visit given twice from a second
/// carer's line: by the provider's reference (per person), and by slot.
#[derive(Default)]
struct Seen<'a> {
    references: FastMap<(u32, &'a str), &'a str>,
    slots: FastMap<Slot, SlotLines<'a>>,
}

impl<'a> Seen<'a> {
    /// Why `v` (of the person whose first row is `who`, spelt `person`,
    /// lasting `length`, by carer number `carer`) is not counted, having
    /// been counted already: `None` when it counts. Says what it decided.
    fn same_visit(
        &mut self,
        who: u32,
        person: &str,
        v: &'a Visit,
        length: Hours,
        carer: u32,
        findings: &mut Vec<Finding>,
    ) -> Option<&'static str> {
        let twice = |first: &str, what: &str| {
            Finding::new(
                Code::VisitDuplicate,
                format!(
                    "{}: the visit to {person} on {} is the same visit ({what}) as {first}: it is counted once",
                    v.source,
                    text::date(v.date)
                ),
            )
            .person(person)
        };
        if let Some(reference) = &v.reference
            && let Some(first) = self.references.get(&(who, reference.as_str()))
        {
            findings.push(twice(first, &format!("its reference {reference}")));
            return Some("the same visit twice");
        }
        let slot = (who, v.date, v.start, length);
        if let Some(lines) = self.slots.get_mut(&slot) {
            let same_carer = carer == NO_CARER || lines.carers().any(|c| c == NO_CARER || c == carer);
            if same_carer {
                findings.push(twice(lines.first, "day, start, length and carer"));
                return Some("the same visit twice");
            }
            let counted = 1 + lines.more.len() as u32;
            if lines.first_carers >= 2 && counted < lines.first_carers {
                // Each carer's line of a double-up that says its carers.
                findings.push(
                    Finding::new(
                        Code::VisitDuplicate,
                        format!(
                            "{}: the visit to {person} on {} is another carer's line of the double-handed visit on {}, which counts its {} carers already: it is not counted again",
                            v.source,
                            text::date(v.date),
                            lines.first,
                            lines.first_carers
                        ),
                    )
                    .person(person),
                );
                lines.more.push(carer);
                return Some("another carer's line of a double-handed visit counted already");
            }
            findings.push(
                Finding::new(
                    Code::VisitTwoCarers,
                    format!(
                        "{} and {}: two carers' lines at the same time for {person} on {}: counted as a double-handed visit; if one is the same visit exported again, remove it",
                        lines.first,
                        v.source,
                        text::date(v.date)
                    ),
                )
                .person(person),
            );
            lines.more.push(carer);
        } else {
            self.slots.insert(
                slot,
                SlotLines {
                    first: &v.source,
                    first_carers: v.carers,
                    carer,
                    more: Vec::new(),
                },
            );
        }
        if let Some(reference) = &v.reference {
            self.references.insert((who, reference.as_str()), &v.source);
        }
        None
    }
}

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

/// FxHash (rustc's): the keys here are short and not chosen by an
/// attacker who could make them collide to any effect but slowness, and
/// SipHash was a tenth of the fill's time.
#[derive(Default)]
struct Fx(u64);

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
    }
    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }
    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

impl Fx {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;
type FastSet<K> = HashSet<K, BuildHasherDefault<Fx>>;

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
        let Some(c) = carer else { return u32::MAX };
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
        let Some(week) = week_of(period, v.date) else {
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

/// The week (1-based) of the period a day falls in.
fn week_of(period: Period, date: chrono::NaiveDate) -> Option<u32> {
    let days = (date - period.start).num_days();
    if days < 0 {
        return None;
    }
    let k = u32::try_from(days / 7 + 1).ok()?;
    (k <= period.weeks).then_some(k)
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
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn visit(client: &str, date: NaiveDate, start: &str, minutes: i64, carers: u32, line: u32) -> Visit {
        Visit {
            client: client.into(),
            date,
            start: NaiveTime::parse_from_str(start, "%H:%M").ok(),
            end: None,
            duration: Some(Hours::from_seconds(minutes * 60)),
            status: VisitStatus::Completed,
            carer: Some(format!("C{line}")),
            carers,
            manually_amended: false,
            reference: None,
            whole_week: false,
            secondary: false,
            source: format!("v.csv:{line}"),
        }
    }

    #[test]
    fn visits_are_summed_into_the_week_of_the_day_they_start() {
        // Period of 2 weeks from Monday 06/04/2026; P1 bundle 10.
        let period = Period {
            start: d(2026, 4, 6),
            weeks: 2,
        };
        let rows = vec![FillRow {
            person_id: "P1".into(),
            bundle: Some(Hours::from_seconds(10 * 3600)),
            care_start: None,
            care_end: None,
        }];
        let mut late = visit("p1", d(2026, 4, 12), "23:30", 60, 1, 4);
        late.end = NaiveTime::from_hms_opt(0, 30, 0);
        let mut cancelled = visit("P1", d(2026, 4, 8), "09:00", 60, 1, 5);
        cancelled.status = VisitStatus::Cancelled;
        let visits = Visits {
            visits: vec![
                visit("P1", d(2026, 4, 6), "09:00", 45, 1, 2),
                // Double-handed: 30 minutes by two carers = 1 carer-hour.
                visit("P1", d(2026, 4, 7), "09:00", 30, 2, 3),
                // Sunday 12/04 at 23:30 to 00:30: week 1, the day it starts.
                late,
                cancelled,
                visit("P1", d(2026, 4, 13), "09:00", 90, 1, 6),
                visit("P9", d(2026, 4, 13), "09:00", 90, 1, 7),
            ],
            problems: Vec::new(),
        };
        let f = fill(
            &rows,
            period,
            &visits,
            &HashMap::new(),
            &VisitPolicy::default(),
            rust_decimal::dec!(0.08),
        );
        // Week 1: 0.75 + 1.0 + 1.0 = 2.75 hours from 3 visits; week 2: 1.5.
        assert_eq!(
            f.weeks[0][0],
            Some(WeekFill {
                hours: Hours::from_seconds(9900),
                visits: 3
            })
        );
        assert_eq!(
            f.weeks[0][1],
            Some(WeekFill {
                hours: Hours::from_seconds(5400),
                visits: 1
            })
        );
        assert_eq!(f.visits[3].not_counted.as_deref(), Some("cancelled"));
        assert_eq!(
            f.visits[5].not_counted.as_deref(),
            Some("no person of the return")
        );
        assert!(
            f.findings
                .iter()
                .any(|x| x.code == Code::VisitUnknownClient && x.message.starts_with("v.csv:7:"))
        );
        // Counting each visit once, the double-handed one is 0.5 hours.
        let once = VisitPolicy {
            count_each_carer: false,
            ..VisitPolicy::default()
        };
        let f = fill(
            &rows,
            period,
            &visits,
            &HashMap::new(),
            &once,
            rust_decimal::dec!(0.08),
        );
        assert_eq!(f.weeks[0][0].unwrap().hours, Hours::from_seconds(8100));
    }

    /// One week, P1 with a bundle of 10; each case's visits and what counts.
    fn week_one(visits: Vec<Visit>) -> Fill {
        let period = Period {
            start: d(2026, 4, 6),
            weeks: 1,
        };
        let rows = vec![FillRow {
            person_id: "P1".into(),
            bundle: Some(Hours::from_seconds(10 * 3600)),
            care_start: None,
            care_end: None,
        }];
        let visits = Visits {
            visits,
            problems: Vec::new(),
        };
        fill(
            &rows,
            period,
            &visits,
            &HashMap::new(),
            &VisitPolicy::default(),
            rust_decimal::dec!(0.08),
        )
    }

    fn codes(f: &Fill) -> Vec<Code> {
        f.findings.iter().map(|x| x.code).collect()
    }

    #[test]
    fn the_same_visit_exported_twice_counts_once_and_a_double_up_by_its_carers() {
        // Re-exported with the carer left blank, or with the same reference
        // and another carer: counted once (1 hour, not 2).
        let first = visit("P1", d(2026, 4, 6), "08:00", 60, 1, 2);
        let mut blank_carer = first.clone();
        blank_carer.carer = None;
        blank_carer.source = "v.csv:3".into();
        let f = week_one(vec![first.clone(), blank_carer]);
        assert_eq!(f.weeks[0][0].unwrap().hours, Hours::from_seconds(3600));
        assert_eq!(codes(&f), [Code::VisitDuplicate]);
        let mut a = first.clone();
        a.reference = Some("V1".into());
        let mut b = visit("P1", d(2026, 4, 6), "08:05", 60, 1, 4);
        b.reference = Some("V1".into());
        let f = week_one(vec![a, b]);
        assert_eq!(f.weeks[0][0].unwrap().hours, Hours::from_seconds(3600));
        // A double-up as a line per carer, each saying 2 carers: 2
        // carer-hours, not 4.
        let one = visit("P1", d(2026, 4, 6), "08:00", 60, 2, 2);
        let other = visit("P1", d(2026, 4, 6), "08:00", 60, 2, 3);
        let f = week_one(vec![one, other]);
        assert_eq!(f.weeks[0][0].unwrap().hours, Hours::from_seconds(7200));
        // A line per carer, each saying 1: 2 carer-hours, and said.
        let one = visit("P1", d(2026, 4, 6), "08:00", 60, 1, 2);
        let other = visit("P1", d(2026, 4, 6), "08:00", 60, 1, 3);
        let f = week_one(vec![one, other]);
        assert_eq!(f.weeks[0][0].unwrap().hours, Hours::from_seconds(7200));
        assert_eq!(codes(&f), [Code::VisitTwoCarers]);
    }

    #[test]
    fn times_the_wrong_way_round_and_many_carers_are_said() {
        // 09:00 to 08:00: 23 hours past midnight; refused, not counted.
        let mut wrong = visit("P1", d(2026, 4, 6), "09:00", 0, 1, 2);
        wrong.duration = None;
        wrong.end = NaiveTime::from_hms_opt(8, 0, 0);
        // 22:00 to 06:00: a night's 8 hours, counted.
        let mut night = visit("P1", d(2026, 4, 7), "22:00", 0, 1, 3);
        night.duration = None;
        night.end = NaiveTime::from_hms_opt(6, 0, 0);
        let many = visit("P1", d(2026, 4, 8), "09:00", 60, 5, 4);
        let f = week_one(vec![wrong, night, many]);
        // 8 + 5 carers × 1 hour = 13 hours: over the bundle of 10 by more
        // than 8% too.
        assert_eq!(
            codes(&f),
            [
                Code::VisitBadDuration,
                Code::VisitManyCarers,
                Code::VisitWeekOverBundle
            ]
        );
        assert_eq!(f.weeks[0][0].unwrap().hours, Hours::from_seconds(13 * 3600));
    }

    #[test]
    fn a_visit_of_no_time_a_duplicate_and_a_day_long_one_are_said() {
        let period = Period {
            start: d(2026, 4, 6),
            weeks: 1,
        };
        let rows = vec![FillRow {
            person_id: "P1".into(),
            bundle: Some(Hours::from_seconds(10 * 3600)),
            care_start: None,
            care_end: None,
        }];
        let visits = Visits {
            visits: vec![
                visit("P1", d(2026, 4, 6), "09:00", 0, 1, 2),
                visit("P1", d(2026, 4, 7), "09:00", 30, 1, 3),
                visit("P1", d(2026, 4, 7), "09:00", 30, 1, 3),
                visit("P1", d(2026, 4, 8), "09:00", 25 * 60, 1, 5),
            ],
            problems: Vec::new(),
        };
        let f = fill(
            &rows,
            period,
            &visits,
            &HashMap::new(),
            &VisitPolicy::default(),
            rust_decimal::dec!(0.08),
        );
        let codes: Vec<Code> = f.findings.iter().map(|x| x.code).collect();
        assert_eq!(
            codes,
            [
                Code::VisitZeroLength,
                Code::VisitDuplicate,
                Code::VisitBadDuration
            ]
        );
        // Only the first 30-minute visit counts.
        assert_eq!(
            f.weeks[0][0],
            Some(WeekFill {
                hours: Hours::from_seconds(1800),
                visits: 1
            })
        );
    }
}
