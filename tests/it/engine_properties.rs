//! Property tests of the engine (SPEC 2-4) over its library API: the rules
//! of `engine::rules` on random billable weeks, and `engine::reconcile` on
//! random submissions built from the `model` types. Hours are whole quarter
//! hours or whole minutes; rates and charges are pounds with two decimals.

use chrono::NaiveDate;
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use rust_decimal::Decimal;
use yourchoice::base::units::{Hours, round2};
use yourchoice::engine::rules::{
    BillableWeek, bank_balance, change_in_need, net_variance, service_user_charge, settlement_amount,
};
use yourchoice::engine::{
    self, Direction, Method, PersonResult, PersonStatus, Reconciliation, Settings, Status,
};
use yourchoice::model::findings::{Location, Sheet};
use yourchoice::model::{Details, Located, PersonRow, Submission, WeekCell};

// ---------------------------------------------------------------------------
// Generators

/// Seconds per unit of hours: a quarter hour or a minute.
fn unit() -> impl Strategy<Value = i64> {
    prop_oneof![Just(900i64), Just(60i64)]
}

/// £ with two decimals, 0.01 to 100.00.
fn rate() -> impl Strategy<Value = Decimal> {
    (1i64..=10_000).prop_map(|pence| Decimal::new(pence, 2))
}

/// £ with two decimals, 0.00 to 500.00.
fn money() -> impl Strategy<Value = Decimal> {
    (0i64..=50_000).prop_map(|pence| Decimal::new(pence, 2))
}

/// A week's delivered hours, in units, near the bundle or anywhere up to
/// 80 hours; `min` is the least allowed (1 for a billable week).
fn delivered(bundle: i64, per_hour: i64, min: i64) -> impl Strategy<Value = i64> {
    prop_oneof![
        3 => (-2 * per_hour..=2 * per_hour).prop_map(move |d| (bundle + d).max(min)),
        2 => min..=80 * per_hour,
    ]
}

/// 1 to 13 billable weeks (delivered > 0) with their own rates, charges and
/// charge caps, numbered 1, 2, ...
fn billable_weeks() -> impl Strategy<Value = Vec<BillableWeek>> {
    unit()
        .prop_flat_map(|unit| {
            let per_hour = 3600 / unit;
            let week = (1..=60 * per_hour).prop_flat_map(move |bundle| {
                (
                    Just(bundle),
                    delivered(bundle, per_hour, 1),
                    rate(),
                    option::of(money()),
                    option::of(money()),
                )
            });
            (Just(unit), vec(week, 1..=13))
        })
        .prop_map(|(unit, weeks)| {
            weeks
                .into_iter()
                .enumerate()
                .map(
                    |(i, (bundle, delivered, rate, charge, charge_cap))| BillableWeek {
                        week: i as u32 + 1,
                        bundle: Hours::from_seconds(bundle * unit),
                        delivered: Hours::from_seconds(delivered * unit),
                        rate,
                        charge,
                        charge_cap,
                    },
                )
                .collect()
        })
}

/// Billable weeks all at one rate.
fn billable_weeks_at_one_rate() -> impl Strategy<Value = (Vec<BillableWeek>, Decimal)> {
    (billable_weeks(), rate()).prop_map(|(mut weeks, rate)| {
        for w in &mut weeks {
            w.rate = rate;
        }
        (weeks, rate)
    })
}

/// One person of a generated submission: one row, every week a figure
/// (0 for a no-care week).
#[derive(Clone, Debug)]
struct PersonSpec {
    bundle: Hours,
    charge: Option<Decimal>,
    weeks: Vec<Hours>,
}

fn person(weeks: usize) -> impl Strategy<Value = PersonSpec> {
    unit()
        .prop_flat_map(move |unit| {
            let per_hour = 3600 / unit;
            (1..=60 * per_hour, option::of(money())).prop_flat_map(move |(bundle, charge)| {
                let week = prop_oneof![1 => Just(0i64), 5 => delivered(bundle, per_hour, 0)];
                (Just(unit), Just(bundle), Just(charge), vec(week, weeks))
            })
        })
        .prop_map(|(unit, bundle, charge, weeks)| PersonSpec {
            bundle: Hours::from_seconds(bundle * unit),
            charge,
            weeks: weeks.iter().map(|w| Hours::from_seconds(w * unit)).collect(),
        })
}

fn monday() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 4, 6).unwrap()
}

fn details_cell(row: u32) -> Location {
    Location::cell(Sheet::Details, row, 1)
}

/// A submission as the reader would make it: Details with the period start
/// and rate (and a new rate from week `k`, if given), one Hours row a person.
fn submission(people: &[PersonSpec], rate: Decimal, new_rate: Option<(u32, Decimal)>) -> Submission {
    let details = Details {
        provider_name: Some(Located::new("Test Care Ltd".into(), details_cell(0))),
        provider_reference: Some(Located::new("SUP00123".into(), details_cell(1))),
        period_start: Some(Located::new(monday(), details_cell(2))),
        rate: Some(Located::new(rate, details_cell(3))),
        rate_label_at: Some(details_cell(3)),
        new_rate: new_rate.map(|(_, r)| Located::new(r, details_cell(4))),
        new_rate_from: new_rate.map(|(k, _)| {
            let from = monday() + chrono::Days::new(7 * u64::from(k - 1));
            Located::new(from, details_cell(5))
        }),
        ..Details::default()
    };
    let rows = people
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let row = 1 + i as u32;
            let at = |col: u32| Location::cell(Sheet::Hours, row, col);
            PersonRow {
                row,
                person_id: format!("P{}", i + 1),
                name: None,
                bundle: Some(Located::new(p.bundle, at(2))),
                charge: p.charge.map(|c| Located::new(c, at(3))),
                care_start: None,
                care_end: None,
                weeks: p
                    .weeks
                    .iter()
                    .enumerate()
                    .map(|(k, h)| Located::new(WeekCell::Hours(*h), at(4 + k as u32)))
                    .collect(),
                total: None,
                notes: None,
            }
        })
        .collect();
    Submission {
        source: "generated.xlsx".into(),
        details: Some(details),
        rows,
        ..Submission::default()
    }
}

fn reconcile(submission: &Submission, settings: &Settings) -> Reconciliation {
    engine::reconcile(submission, Vec::new(), settings)
}

// ---------------------------------------------------------------------------
// The rules

proptest! {
    /// b_k = Σ_{j ≤ k} (B_j − A_j), so the final balance is −V (SPEC 2).
    #[test]
    fn the_final_bank_balance_is_minus_the_net_variance(weeks in billable_weeks()) {
        let balances = bank_balance(&weeks);
        prop_assert_eq!(balances.len(), weeks.len());
        prop_assert_eq!(balances.last().unwrap().1, -net_variance(&weeks));
        // And every balance is the running sum, against its week.
        for (i, (k, b)) in balances.iter().enumerate() {
            prop_assert_eq!(*k, weeks[i].week);
            prop_assert_eq!(*b, -net_variance(&weeks[..=i]));
        }
    }

    /// overcharge = round₂(max(0, charged − cost)) is never negative, and
    /// where every week was delivered in full it is no more than the
    /// rounding of the weekly charges can make it (½p a week).
    #[test]
    fn an_overcharge_is_never_negative(weeks in billable_weeks()) {
        let charge = service_user_charge(&weeks);
        prop_assert_eq!(charge.is_some(), weeks.iter().any(|w| w.charge.is_some()));
        let Some(charge) = charge else { return Ok(()) };
        prop_assert!(charge.overcharge >= Decimal::ZERO, "{:?}", charge);
        prop_assert!(charge.charged >= Decimal::ZERO, "{:?}", charge);
        prop_assert!(charge.overcharge <= charge.charged, "{:?}", charge);
        // Never more than C' a week, nor more than the bundle costs.
        let most: Decimal = weeks
            .iter()
            .filter_map(|w| w.charge.map(|c| w.charge_cap.map_or(c, |cap| c.min(cap))))
            .sum();
        prop_assert!(charge.charged <= most, "{:?} > {}", charge, most);
        let charged_weeks = weeks.iter().filter(|w| w.charge.is_some());
        if charged_weeks.clone().all(|w| w.delivered >= w.bundle) {
            let slack = round2(Decimal::new(5, 3) * Decimal::from(charged_weeks.count()));
            prop_assert!(charge.overcharge <= slack, "{:?}", charge);
        }
    }

    /// With one rate the settlement is round₂(V · r): the sign of V, or 0.00
    /// when V · r rounds to nothing (SPEC 4).
    #[test]
    fn with_one_rate_the_settlement_has_the_sign_of_the_net_variance(
        (weeks, rate) in billable_weeks_at_one_rate()
    ) {
        let v = net_variance(&weeks);
        let amount = settlement_amount(&weeks);
        let exact = v.at_rate(rate).pounds();
        prop_assert_eq!(amount, round2(exact));
        prop_assert_eq!(amount, round2(amount));
        if amount.is_zero() {
            prop_assert!(exact.abs() < Decimal::new(5, 3), "V {} at {} is {}", v, rate, exact);
        } else {
            prop_assert_eq!(amount.is_sign_negative(), v.is_negative());
            prop_assert!(!v.is_zero());
        }
        prop_assert_eq!(
            engine::rules::method(amount),
            if amount.is_zero() {
                Method::None
            } else if v.is_negative() {
                Method::Invoice
            } else {
                Method::Bacs
            }
        );
    }

    /// A reported change in need is a run of at least `sustained_weeks`
    /// consecutive billable weeks, each off the bundle by more than the
    /// tolerance in the reported direction: the longest such run, the
    /// earliest of equals (SPEC 3).
    #[test]
    fn a_change_in_need_is_a_long_enough_run_of_weeks_off_the_bundle(weeks in billable_weeks()) {
        let tolerance = Decimal::new(8, 2);
        let off = |w: &BillableWeek| {
            let v = w.delivered - w.bundle;
            (v.abs() > w.bundle.times(tolerance)).then_some(if v.is_negative() {
                Direction::Less
            } else {
                Direction::More
            })
        };
        // The longest run (the earliest of equals), by brute force.
        let (mut longest, mut earliest) = (0, 0);
        for i in 0..weeks.len() {
            let Some(d) = off(&weeks[i]) else { continue };
            let n = weeks[i..].iter().take_while(|w| off(w) == Some(d)).count();
            if n > longest {
                (longest, earliest) = (n, i);
            }
        }
        match change_in_need(&weeks, tolerance, 4) {
            None => prop_assert!(longest < 4, "a run of {} was not reported", longest),
            Some(c) => {
                let first = weeks.iter().position(|w| w.week == c.first_week).unwrap();
                let last = weeks.iter().position(|w| w.week == c.last_week).unwrap();
                let run = &weeks[first..=last];
                prop_assert_eq!(run.len(), longest);
                prop_assert_eq!(first, earliest);
                prop_assert!(run.len() >= 4);
                prop_assert!(run.iter().all(|w| off(w) == Some(c.direction)));
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Whole submissions

proptest! {
    /// Totals always equal the sum of their lines to the penny; held amounts
    /// never enter the authorised total (SPEC 4, 8.2).
    #[test]
    fn totals_equal_the_sum_of_their_lines(
        people in vec(person(13), 1..=8),
        rate in rate(),
        new_rate in option::of((2u32..=13, rate())),
    ) {
        let result = reconcile(&submission(&people, rate, new_rate), &Settings::default());
        prop_assert_eq!(result.status(), Status::Reconciled, "{:#?}", result.findings);
        prop_assert_eq!(result.people.len(), people.len());
        let totals = result.totals.clone().unwrap();
        prop_assert_eq!(&totals, &engine::totals(&result.people));

        let mut authorised = Decimal::ZERO;
        let mut held = Decimal::ZERO;
        let mut held_count = 0;
        let mut refunds = Decimal::ZERO;
        for p in &result.people {
            if let Some(s) = &p.settlement {
                prop_assert_eq!(s.amount, round2(s.amount), "a line is to the penny");
                prop_assert_eq!(s.authorised, p.status == PersonStatus::WithinTolerance);
                if s.authorised {
                    authorised += s.amount;
                } else {
                    held += s.amount;
                    held_count += 1;
                }
            } else {
                prop_assert_eq!(p.status, PersonStatus::NoCare);
            }
            if let Some(c) = &p.charge {
                prop_assert_eq!(c.overcharge, round2(c.overcharge));
                prop_assert!(c.overcharge >= Decimal::ZERO);
                refunds += c.overcharge;
            }
        }
        prop_assert_eq!(totals.authorised, authorised);
        prop_assert_eq!(totals.held, held);
        prop_assert_eq!(totals.held_count, held_count);
        prop_assert_eq!(
            totals.referred_count,
            result.people.iter().filter(|p| p.status == PersonStatus::Referred).count()
        );
        prop_assert_eq!(totals.overcharge_refunds, refunds);
        prop_assert_eq!(totals.method(), engine::rules::method(authorised));
    }

    /// A no-care week (0 hours) is not commissioned, billed or charged
    /// (SPEC 2): inserting one anywhere into a person's weeks changes none
    /// of the person's figures, nor any other week's bank balance.
    #[test]
    fn inserting_a_no_care_week_changes_no_other_figure(
        base in person(12),
        others in vec(person(13), 0..=3),
        at in 0usize..=12,
        rate in rate(),
    ) {
        // 12 weeks, and the same with a 0 inserted at `at` in a 13-week period.
        let twelve = Settings { period_weeks: 12, ..Settings::default() };
        let before = reconcile(&submission(std::slice::from_ref(&base), rate, None), &twelve);
        let mut with_gap = base.clone();
        with_gap.weeks.insert(at, Hours::ZERO);
        let mut people = vec![with_gap];
        people.extend(others.iter().cloned());
        let after = reconcile(&submission(&people, rate, None), &Settings::default());
        prop_assert_eq!(before.status(), Status::Reconciled, "{:#?}", before.findings);
        prop_assert_eq!(after.status(), Status::Reconciled, "{:#?}", after.findings);

        let (b, a): (&PersonResult, &PersonResult) = (&before.people[0], &after.people[0]);
        let inserted = at as u32 + 1;
        // Week k of the 12 is week k, or k + 1 after the inserted week.
        let moved = |k: u32| if k < inserted { k } else { k + 1 };

        prop_assert_eq!(a.status, b.status);
        prop_assert_eq!(a.commissioned, b.commissioned);
        prop_assert_eq!(a.delivered, b.delivered);
        prop_assert_eq!(a.net_variance, b.net_variance);
        prop_assert_eq!(a.variance_percent, b.variance_percent);
        prop_assert_eq!(a.tolerance, b.tolerance);
        prop_assert_eq!(&a.settlement, &b.settlement);
        prop_assert_eq!(&a.charge, &b.charge);
        prop_assert_eq!(a.bank.peak, b.bank.peak);
        prop_assert_eq!(a.bank.limit_first_week, b.bank.limit_first_week.map(moved));
        prop_assert_eq!(
            a.change_in_need.map(|c| (c.first_week, c.last_week, c.direction)),
            b.change_in_need.map(|c| (moved(c.first_week), moved(c.last_week), c.direction))
        );
        prop_assert_eq!(
            &a.billable_weeks(),
            &b.billable_weeks().iter().map(|k| moved(*k)).collect::<Vec<_>>()
        );
        let mut no_care: Vec<u32> = b.no_care_weeks().iter().map(|k| moved(*k)).collect();
        no_care.push(inserted);
        no_care.sort_unstable();
        prop_assert_eq!(&a.no_care_weeks(), &no_care);

        // Every other week's figures and balance, and none for the new week.
        let gap = &a.weeks[at];
        prop_assert_eq!(gap.delivered, Some(Hours::ZERO));
        prop_assert_eq!(gap.balance, None);
        for w in &b.weeks {
            let moved_week = &a.weeks[(moved(w.week) - 1) as usize];
            prop_assert_eq!(moved_week.week, moved(w.week));
            prop_assert_eq!(moved_week.bundle, w.bundle);
            prop_assert_eq!(moved_week.delivered, w.delivered);
            prop_assert_eq!(moved_week.balance, w.balance);
        }
    }
}
