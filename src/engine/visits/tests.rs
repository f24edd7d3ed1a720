//! The fill's rules on hand-worked weeks.
use chrono::{NaiveDate, NaiveTime};

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
    let f = week_one(vec![
        visit("P1", d(2026, 4, 6), "09:00", 0, 1, 2),
        visit("P1", d(2026, 4, 7), "09:00", 30, 1, 3),
        visit("P1", d(2026, 4, 7), "09:00", 30, 1, 3),
        visit("P1", d(2026, 4, 8), "09:00", 25 * 60, 1, 5),
    ]);
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
