//! Fuzz target on the engine, run on the stable toolchain by proptest:
//! structured input. Each case is one or more arbitrary
//! [`Submission`]s, built from the `model` types with extreme but
//! type-legal values, and arbitrary [`Settings`]; it is reconciled alone
//! (`engine::reconcile`) and together (`engine::reconcile_all`, so
//! duplicates and decisions apply), and every result is written by the
//! terminal table, the JSON line, `check`'s text and JSON and the exports
//! (and, one case in eight, the report and summary workbooks). The property:
//! nothing panics and every writer succeeds.
//!
//! The values go past what the reader lets through, within what the types
//! hold: hours from 10^-28 to 10^6 and negative, rates from £0.0000001 to
//! £999,999.99 (and now and then 0 or negative), charges and caps of any
//! size below £1,000,000, dates from 1900 to 2200, care that ends before it
//! starts, hundreds of rows of one Person ID, week lists shorter or longer
//! than the period, and settings of any tolerance from 0 to 1, any period
//! from 1 to 53 weeks and any week start, sustained runs of 0 to 60 weeks,
//! charge caps, council rates that start after the period does, plans and
//! decisions for people who are and are not there.
//!
//! `FUZZ_CASES` sets the number of cases (default 48, a few seconds, for
//! CI); `FUZZ_FORK=1` runs each in a child process (a crash or a hang is
//! caught and shrunk like a panic); `FUZZ_PROGRESS=N` prints a line every N
//! cases. A long run: `FUZZ_CASES=10000 FUZZ_FORK=1 FUZZ_PROGRESS=1000
//! cargo test --test it fuzz_engine::any_ -- --nocapture`. Crashes found are
//! kept below as plain regression tests.

use crate::fuzz_support;

use chrono::{Datelike, Days, NaiveDate, TimeZone, Utc, Weekday};
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use rust_decimal::Decimal;
use yourchoice::base::units::Hours;
use yourchoice::engine::{self, Reconciliation};
use yourchoice::model::export::ExportKind;
use yourchoice::model::findings::{Code, Finding, Findings, Location, Sheet};
use yourchoice::model::settings::{Action, DatedAmount, Decision, Plan, ProviderSettings, Settings};
use yourchoice::model::{Details, Located, PersonRow, Submission, TotalsRow, WeekCell};
use yourchoice::write::{self, report};

// ---------------------------------------------------------------------------
// Values

/// Hours: ordinary quarter hours; any second up to a million hours either
/// way; decimals of every scale down to 10^-28 hours; zero and minus zero.
fn hours() -> BoxedStrategy<Hours> {
    // A mantissa of at most 10^6 × 10^scale: a million hours at most.
    let decimal = (0u32..=28)
        .prop_flat_map(|scale| {
            let most = 10i64.checked_pow(6 + scale).unwrap_or(i64::MAX);
            (-most..=most, Just(scale))
        })
        .prop_filter_map("fits", |(m, scale)| Hours::from_hours(Decimal::new(m, scale)));
    prop_oneof![
        4 => (0i64..=168 * 4).prop_map(|q| Hours::from_seconds(q * 900)),
        2 => (-1_000_000i64 * 3600..=1_000_000 * 3600).prop_map(Hours::from_seconds),
        2 => decimal,
        1 => (1i64..=1_000, 24u32..=28, any::<bool>()).prop_filter_map("tiny", |(m, scale, negative)| {
            let d = Decimal::new(if negative { -m } else { m }, scale);
            Hours::from_hours(d)
        }),
        1 => prop_oneof![
            Just(Hours::ZERO),
            Just(-Hours::ZERO),
            Just(Hours::from_seconds(168 * 3600)),
            Just(Hours::from_seconds(168 * 3600 + 1)),
            Just(Hours::from_seconds(1_000_000 * 3600)),
            Just(-Hours::from_seconds(1_000_000 * 3600)),
            Just(Hours::from_hours(Decimal::new(1, 28)).unwrap()),
            Just(Hours::from_hours("999999.9999999999999999999999".parse().unwrap()).unwrap()),
        ],
    ]
    .boxed()
}

/// £ per hour: 0.0000001 to 999,999.99 in every scale, and now and then 0
/// or negative (which the reader and the settings refuse).
fn rate() -> BoxedStrategy<Decimal> {
    prop_oneof![
        4 => (1i64..=10_000).prop_map(|p| Decimal::new(p, 2)),
        2 => (1i64..=99_999_999).prop_map(|p| Decimal::new(p, 2)),
        2 => (1i64..=9_999_999_999_999).prop_map(|p| Decimal::new(p, 7)),
        1 => prop_oneof![
            Just(Decimal::new(1, 7)),
            Just(Decimal::new(99_999_999, 2)),
            Just("999999.9999999999999999999999".parse().unwrap()),
        ],
        1 => prop_oneof![Just(Decimal::ZERO), Just(Decimal::new(-2485, 2))],
    ]
    .boxed()
}

/// £: a charge or a cap, 0 to just under £1,000,000, in every scale.
fn money() -> BoxedStrategy<Decimal> {
    prop_oneof![
        4 => (0i64..=50_000).prop_map(|p| Decimal::new(p, 2)),
        2 => (0i64..=99_999_999).prop_map(|p| Decimal::new(p, 2)),
        1 => (0i64..=i64::MAX, 13u32..=28).prop_map(|(m, s)| Decimal::new(m, s)),
        1 => prop_oneof![
            Just(Decimal::ZERO),
            Just(Decimal::new(1, 28)),
            Just(Decimal::new(99_999_999, 2)),
            Just("999999.9999999999999999999999".parse().unwrap()),
            Just(Decimal::new(-1, 2)),
        ],
    ]
    .boxed()
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A date near 1900, near 2200, or in the 2020s.
fn date() -> BoxedStrategy<NaiveDate> {
    let from = |start: NaiveDate, days: u64| (0..=days).prop_map(move |d| start + Days::new(d));
    prop_oneof![
        3 => from(ymd(2025, 1, 1), 3 * 366),
        1 => from(ymd(1900, 1, 1), 800),
        1 => from(ymd(2198, 6, 1), 940),
        1 => prop_oneof![
            Just(ymd(1900, 1, 1)),
            Just(ymd(2200, 12, 31)),
            Just(ymd(1899, 12, 31)),
            Just(ymd(2201, 1, 1)),
        ],
    ]
    .boxed()
}

/// A date that starts a week in `week_start` (most), or any date.
fn week_start_date(week_start: Weekday) -> BoxedStrategy<NaiveDate> {
    prop_oneof![
        5 => date().prop_map(move |d| {
            let back = (7 + d.weekday().num_days_from_monday() - week_start.num_days_from_monday()) % 7;
            d - Days::new(u64::from(back))
        }),
        1 => date(),
    ]
    .boxed()
}

fn weekday() -> BoxedStrategy<Weekday> {
    prop_oneof![
        4 => Just(Weekday::Mon),
        1 => (0u8..7).prop_map(|d| Weekday::try_from(d).unwrap()),
    ]
    .boxed()
}

/// Dated amounts, sorted, no two from one date.
fn dated_amounts(amount: BoxedStrategy<Decimal>) -> BoxedStrategy<Vec<DatedAmount>> {
    vec((date(), amount), 0..4)
        .prop_map(|mut v| {
            v.sort_by_key(|(d, _)| *d);
            v.dedup_by_key(|(d, _)| *d);
            v.into_iter()
                .map(|(from, amount)| DatedAmount { from, amount })
                .collect()
        })
        .boxed()
}

const IDS: &[&str] = &["P1", "P2", "P3", "", " ", "0", "Total", "\u{1b}[31mP4"];
const REFERENCES: &[&str] = &["SUP00123", "SUP9", ""];

fn id() -> BoxedStrategy<String> {
    prop_oneof![
        40 => proptest::sample::select(IDS).prop_map(str::to_string),
        8 => "\\PC{0,12}",
        1 => Just("P".repeat(33_000)),
    ]
    .boxed()
}

fn reference() -> BoxedStrategy<String> {
    prop_oneof![
        6 => proptest::sample::select(REFERENCES).prop_map(str::to_string),
        1 => "\\PC{0,12}",
    ]
    .boxed()
}

fn text() -> BoxedStrategy<String> {
    prop_oneof![
        16 => "[A-Za-z .]{0,20}",
        4 => "\\PC{0,40}",
        4 => "[\\x00-\\x1f]{1,6}",
        1 => Just("x".repeat(40_000)),
    ]
    .boxed()
}

// ---------------------------------------------------------------------------
// Submissions and settings

fn cell(row: u32, col: u32) -> Location {
    Location::cell(Sheet::Hours, row, col)
}

fn week_cell() -> BoxedStrategy<WeekCell> {
    prop_oneof![
        8 => hours().prop_map(WeekCell::Hours),
        1 => Just(WeekCell::Blank),
        1 => Just(WeekCell::Invalid),
    ]
    .boxed()
}

/// One row of the Hours sheet, with `weeks` week cells (give or take).
fn row(weeks: u32) -> BoxedStrategy<PersonRow> {
    let cells = prop_oneof![
        8 => Just(weeks as usize),
        1 => 0usize..=60,
    ]
    .prop_flat_map(|n| vec(week_cell(), n));
    (
        id(),
        option::of(text()),
        option::weighted(0.9, hours()),
        option::of(money()),
        option::weighted(0.3, date()),
        option::weighted(0.3, date()),
        cells,
        option::weighted(0.3, hours()),
        option::weighted(0.2, text()),
    )
        .prop_map(
            |(person_id, name, bundle, charge, care_start, care_end, weeks, total, notes)| PersonRow {
                row: 0,
                person_id,
                name,
                bundle: bundle.map(|b| Located::new(b, cell(0, 2))),
                charge: charge.map(|c| Located::new(c, cell(0, 3))),
                care_start: care_start.map(|d| Located::new(d, cell(0, 4))),
                care_end: care_end.map(|d| Located::new(d, cell(0, 5))),
                weeks: weeks
                    .into_iter()
                    .enumerate()
                    .map(|(k, w)| Located::new(w, cell(0, 6 + k as u32)))
                    .collect(),
                total: total.map(|t| Located::new(t, cell(0, 6 + weeks_col(0)))),
                notes,
            },
        )
        .boxed()
}

fn weeks_col(k: u32) -> u32 {
    60 + k
}

/// The rows: a few people, or hundreds of rows of one Person ID.
fn rows(weeks: u32) -> BoxedStrategy<Vec<PersonRow>> {
    prop_oneof![
        6 => vec(row(weeks), 0..8),
        1 => (row(weeks), 100usize..=400).prop_map(|(r, n)| vec![r; n]),
        1 => vec(row(weeks), 30..80),
    ]
    .prop_map(|mut rows| {
        for (i, r) in rows.iter_mut().enumerate() {
            // Sheet rows below the header, in order, each cell at its row.
            let at = 1 + i as u32;
            r.row = at;
            let fix = |l: &mut Location| *l = Location::cell(Sheet::Hours, at, l.col_index().unwrap_or(0));
            for w in &mut r.weeks {
                fix(&mut w.at);
            }
            if let Some(b) = &mut r.bundle {
                fix(&mut b.at);
            }
        }
        rows
    })
    .boxed()
}

fn details(week_start: Weekday) -> BoxedStrategy<Details> {
    let at = |row: u32| Location::cell(Sheet::Details, row, 1);
    (
        option::weighted(0.9, text()),
        option::weighted(0.9, reference()),
        option::weighted(0.95, week_start_date(week_start)),
        option::weighted(0.9, rate()),
        option::weighted(0.2, rate()),
        option::weighted(0.2, week_start_date(week_start)),
        option::weighted(0.5, date()),
    )
        .prop_map(
            move |(name, reference, start, rate, new_rate, new_rate_from, submitted)| Details {
                provider_name: name.map(|n| Located::new(n, at(0))),
                provider_reference: reference.map(|r| Located::new(r, at(1))),
                period_start: start.map(|d| Located::new(d, at(2))),
                rate: rate.map(|r| Located::new(r, at(3))),
                rate_label_at: Some(Location::cell(Sheet::Details, 3, 0)),
                new_rate: new_rate.map(|r| Located::new(r, at(4))),
                new_rate_from: new_rate_from.map(|d| Located::new(d, at(5))),
                submitted_by: None,
                submission_date: submitted.map(|d| Located::new(d, at(7))),
            },
        )
        .boxed()
}

fn totals_row(weeks: u32) -> BoxedStrategy<TotalsRow> {
    (vec(week_cell(), weeks as usize), option::of(hours()))
        .prop_map(|(cells, total)| TotalsRow {
            row: 500,
            weeks: cells
                .into_iter()
                .enumerate()
                .map(|(k, w)| Located::new(w, cell(500, 6 + k as u32)))
                .collect(),
            total: total.map(|t| Located::new(t, cell(500, weeks_col(0)))),
        })
        .boxed()
}

fn submission(weeks: u32, week_start: Weekday) -> BoxedStrategy<Submission> {
    (
        option::weighted(0.95, details(week_start)),
        rows(weeks),
        option::weighted(0.2, totals_row(weeks)),
    )
        .prop_map(|(details, rows, totals_row)| Submission {
            source: "generated.xlsx".into(),
            opened: true,
            details,
            rows,
            totals_row,
            ..Submission::default()
        })
        .boxed()
}

/// The reader's findings for a submission: none, or some that are errors.
fn reader_findings() -> impl Strategy<Value = Vec<Finding>> {
    prop_oneof![
        6 => Just(Vec::new()),
        1 => vec(
            proptest::sample::select(&[Code::BadHours, Code::TotalMismatch, Code::NoCareWeek, Code::BadNumber][..])
                .prop_map(|code| Finding::new(code, "from the reader").at(Location::cell(Sheet::Hours, 1, 6))),
            1..4,
        ),
    ]
}

fn settings() -> BoxedStrategy<Settings> {
    let tolerance = prop_oneof![
        3 => Just(Decimal::new(8, 2)),
        3 => (0i64..=10_000).prop_map(|x| Decimal::new(x, 4)),
        1 => prop_oneof![Just(Decimal::ZERO), Just(Decimal::ONE), Just(Decimal::new(1, 28))],
    ];
    let days = prop_oneof![
        4 => 0u32..=60,
        1 => prop_oneof![Just(u32::MAX), Just(1_000_000u32)],
    ];
    let provider =
        (reference(), option::of(text()), dated_amounts(rate())).prop_map(|(reference, name, rates)| {
            ProviderSettings {
                reference,
                name,
                rates,
                language: None,
                address: Vec::new(),
                codes: Default::default(),
            }
        });
    let plan = (id(), reference(), hours(), date(), option::of(date())).prop_map(
        |(person_id, provider_reference, bundle, from, to)| Plan {
            person_id,
            provider_reference,
            bundle,
            from,
            to,
            name: None,
            language: None,
            address: Vec::new(),
        },
    );
    let amount = proptest::option::of((-100_000i64..100_000).prop_map(|c| Decimal::new(c, 2)));
    let decision = (id(), reference(), any::<bool>(), text(), text(), amount).prop_map(
        |(person_id, provider_reference, authorise, reason, officer, amount)| Decision {
            provider_reference,
            person_id,
            action: if authorise {
                Action::Authorise
            } else {
                Action::Hold
            },
            reason,
            officer,
            source: "decisions.csv line 2".into(),
            period_start: None,
            amount,
        },
    );
    (
        tolerance,
        prop_oneof![4 => Just(13u32), 2 => 1u32..=53],
        weekday(),
        days.clone(),
        days,
        prop_oneof![3 => Just(4u32), 2 => 0u32..=60],
        dated_amounts(money()),
        vec(provider, 0..3),
        option::weighted(0.3, vec(plan, 0..12)),
        vec(decision, 0..6),
    )
        .prop_map(
            |(
                tolerance,
                period_weeks,
                week_start,
                submission_days,
                table_top_days,
                sustained_weeks,
                max_weekly_charge,
                providers,
                plans,
                decisions,
            )| Settings {
                tolerance,
                period_weeks,
                week_start,
                submission_days,
                table_top_days,
                sustained_weeks,
                max_weekly_charge,
                providers,
                plans,
                decisions,
                change_in_need_contact: None,
                ledger: None,
                files: Vec::new(),
                visits: Default::default(),
                letters: Default::default(),
                export: Default::default(),
                paid: Default::default(),
            },
        )
        .boxed()
}

/// Settings, and one to three submissions (with the reader's findings)
/// that fit their period length and week start, or nearly.
fn case() -> impl Strategy<Value = (Settings, Vec<(Submission, Vec<Finding>)>, bool)> {
    settings().prop_flat_map(|s| {
        let weeks = s.period_weeks;
        let week_start = s.week_start;
        (
            Just(s),
            vec((submission(weeks, week_start), reader_findings()), 1..=3),
            proptest::bool::weighted(0.125),
        )
    })
}

// ---------------------------------------------------------------------------
// The property

/// Every writer a reconciliation goes to; `workbooks`: the report and the
/// council's summary too (slow in a debug build, so not every case).
fn write_all(submission: &Submission, result: &Reconciliation, settings: &Settings, workbooks: bool) {
    write::json::to_line(result).expect("the JSON line");
    let _ = write::table::render(result, write::Show::default(), None);
    let _ = write::check::render(result, write::Show::default(), None);
    write::check::to_json_line(result).expect("check's JSON line");
    if workbooks {
        let audit = report::Audit {
            input_name: &submission.source,
            sha256: "0".repeat(64),
            settings,
            run_at: Utc.with_ymd_and_hms(2026, 7, 20, 9, 0, 0).unwrap(),
            ledger: Vec::new(),
        };
        report::build(submission, result, &audit, None, report::excel_rows())
            .and_then(|mut wb| wb.save_to_buffer())
            .expect("the report workbook");
    }
}

fn check(settings: &Settings, submissions: &[(Submission, Vec<Finding>)], workbooks: bool) {
    for (submission, findings) in submissions {
        let result = engine::reconcile(submission, findings.clone(), settings);
        write_all(submission, &result, settings, workbooks);
    }
    let run = engine::reconcile_all(
        submissions.iter().map(|(s, f)| (s, Findings::from(f.clone()))),
        settings,
    );
    for (result, (submission, _)) in run.results.iter().zip(submissions) {
        write_all(submission, result, settings, false);
    }
    let _ = write::table::render_run(&run.totals, None);
    for kind in [
        ExportKind::Payments,
        ExportKind::Invoices,
        ExportKind::Refunds,
        ExportKind::Referrals,
        ExportKind::Remittance,
    ] {
        let settings = yourchoice::engine::Settings::default();
        let frame = write::export::Frame {
            kind,
            settings: &settings,
            date: chrono::NaiveDate::from_ymd_opt(2026, 8, 4).expect("a date"),
        };
        let lines = write::export::from_returns(&frame, &run.results);
        for profile in [
            yourchoice::model::export::Profile::plain(),
            yourchoice::model::export::Profile::oracle_payables(),
        ] {
            write::export::render(&profile, kind, &lines, "").expect("an export");
        }
    }
    if workbooks {
        write::summary::build(&run)
            .and_then(|mut wb| wb.save_to_buffer())
            .expect("the council's summary");
    }
}

proptest! {
    #![proptest_config(fuzz_support::config(4000))]

    /// Any submissions under any settings: reconciled alone and together,
    /// and written, without a panic.
    #[test]
    fn any_submission_is_reconciled_and_written_without_panic(
        (settings, submissions, workbooks) in case()
    ) {
        fuzz_support::progress("fuzz_engine");
        check(&settings, &submissions, workbooks);
    }
}

// ---------------------------------------------------------------------------
// Regressions: what fuzzing found, minimised.

/// One person on one row of a 13-week period: bundle 10, every week 10
/// hours but week 3 blank (a `missing-hours` error at its cell, whose
/// message names the person).
fn one_person(name: &str) -> Submission {
    let at = |row: u32| Location::cell(Sheet::Details, row, 1);
    let details = Details {
        provider_name: Some(Located::new("Test Care Ltd".into(), at(0))),
        provider_reference: Some(Located::new("SUP00123".into(), at(1))),
        period_start: Some(Located::new(ymd(2026, 4, 6), at(2))),
        rate: Some(Located::new(Decimal::new(2400, 2), at(3))),
        rate_label_at: Some(at(3)),
        ..Details::default()
    };
    let weeks = (0..13)
        .map(|k| {
            let value = if k == 2 {
                WeekCell::Blank
            } else {
                WeekCell::Hours(Hours::from_seconds(10 * 3600))
            };
            Located::new(value, cell(1, 6 + k))
        })
        .collect();
    Submission {
        source: "one-person.xlsx".into(),
        details: Some(details),
        rows: vec![PersonRow {
            row: 1,
            person_id: "P1".into(),
            name: Some(name.to_string()),
            bundle: Some(Located::new(Hours::from_seconds(10 * 3600), cell(1, 2))),
            charge: None,
            care_start: None,
            care_end: None,
            weeks,
            total: None,
            notes: Some(name.to_string()),
        }],
        ..Submission::default()
    }
}

fn report_of(submission: &Submission) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let settings = Settings::default();
    let result = engine::reconcile(submission, Vec::new(), &settings);
    let audit = report::Audit {
        input_name: &submission.source,
        sha256: "0".repeat(64),
        settings: &settings,
        run_at: Utc.with_ymd_and_hms(2026, 7, 20, 9, 0, 0).unwrap(),
        ledger: Vec::new(),
    };
    report::build(submission, &result, &audit, None, report::excel_rows())
        .and_then(|mut wb| wb.save_to_buffer())
}

/// A name of 32,700 characters: short enough for a cell, but the note on
/// the cell of its `missing-hours` finding (whose message names the person)
/// was longer than a note may be (32,713), and the report failed with
/// `MaxStringLengthExceeded`. Found with a 40,000-character name.
#[test]
fn a_long_name_in_a_findings_note_does_not_stop_the_report() {
    for n in [32_700, 40_000] {
        report_of(&one_person(&"x".repeat(n))).unwrap_or_else(|e| panic!("{n} characters: {e}"));
    }
}

/// A name of 20,000 characters outside the Basic Multilingual Plane (a
/// musical symbol, an emoji): 40,000 UTF-16 units, which is how a cell's
/// length is counted, so it passed the cut at 32,767 characters and the
/// report failed with `MaxStringLengthExceeded`.
#[test]
fn text_of_characters_outside_the_bmp_is_cut_by_what_a_cell_holds() {
    for c in ['\u{1D11E}', '\u{1F600}'] {
        let name: String = std::iter::repeat_n(c, 20_000).collect();
        report_of(&one_person(&name)).unwrap_or_else(|e| panic!("{c}: {e}"));
    }
}
