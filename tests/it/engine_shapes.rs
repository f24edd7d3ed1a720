//! Shapes of submission that once made the engine slow: the work must grow
//! linearly with the rows, whatever their shape. These assert the findings
//! (worked out by hand below), not a time: the benchmark measures speed.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use yourchoice::base::units::Hours;
use yourchoice::engine::{self, Settings};
use yourchoice::model::findings::{Code, Location, Sheet};
use yourchoice::model::{Details, Located, PersonRow, Submission, WeekCell};

fn details() -> Details {
    let at = |row: u32| Location::cell(Sheet::Details, row, 1);
    Details {
        provider_name: Some(Located::new("Test Care Ltd".into(), at(0))),
        provider_reference: Some(Located::new("SUP00123".into(), at(1))),
        period_start: Some(Located::new(NaiveDate::from_ymd_opt(2026, 4, 6).unwrap(), at(2))),
        rate: Some(Located::new(Decimal::new(2400, 2), at(3))),
        rate_label_at: Some(at(3)),
        ..Details::default()
    }
}

/// One row of Person ID `id` at sheet row `row`, 10 hours every week, no
/// care dates (so it covers all 13 weeks).
fn row(id: &str, row: u32) -> PersonRow {
    let at = |col: u32| Location::cell(Sheet::Hours, row, col);
    PersonRow {
        row,
        person_id: id.into(),
        name: None,
        bundle: Some(Located::new(Hours::from_seconds(10 * 3600), at(2))),
        charge: None,
        care_start: None,
        care_end: None,
        weeks: (0..13)
            .map(|k| Located::new(WeekCell::Hours(Hours::from_seconds(10 * 3600)), at(4 + k)))
            .collect(),
        total: None,
        notes: None,
    }
}

/// 20,000 rows of one Person ID, none with care dates: every row after the
/// first shares all 13 weeks with the first (the week already belongs to
/// row 1), so there are 19,999 `overlapping-rows` errors, the k-th citing
/// sheet rows 2 and k+2 (1-based; the header is row 1) and weeks 1 to 13.
/// The first 100 are listed and one more says 19,899 were not (findings are
/// bounded, `limits::MAX_FINDINGS_PER_CODE`). Before the overlap pairs were
/// indexed this took 12 s; it is linear now.
#[test]
fn twenty_thousand_rows_of_one_person() {
    const ROWS: u32 = 20_000;
    let submission = Submission {
        source: "many.xlsx".into(),
        details: Some(details()),
        rows: (1..=ROWS).map(|r| row("P1", r)).collect(),
        ..Submission::default()
    };
    let result = engine::reconcile(&submission, Vec::new(), &Settings::default());
    let overlaps: Vec<_> = result
        .findings
        .iter()
        .filter(|f| f.code == Code::OverlappingRows)
        .collect();
    assert_eq!(overlaps.len(), 101);
    assert_eq!(
        overlaps[0].message,
        "P1 is on rows 2 and 3 of the Hours sheet, and both rows cover weeks 1 to 13. A person \
         has more than one row only when the bundle changed: give each row care start and care \
         end dates so that every week belongs to one row, or merge the rows."
    );
    assert_eq!(overlaps[0].location, Some(Location::row(Sheet::Hours, 2)));
    let hundredth = overlaps[99];
    assert!(
        hundredth
            .message
            .starts_with("P1 is on rows 2 and 102 of the Hours sheet")
    );
    assert_eq!(hundredth.location, Some(Location::row(Sheet::Hours, 101)));
    let summary = overlaps[100];
    assert!(
        summary
            .message
            .starts_with("19899 more overlapping-rows findings"),
        "{}",
        summary.message
    );
    assert_eq!(summary.location, None);
    assert!(result.people.is_empty() && result.totals.is_none());
}

/// 20,000 people on one row each: all reconciled, each exactly on the
/// bundle (130 h commissioned and delivered, settlement £0.00).
#[test]
fn twenty_thousand_people() {
    const ROWS: u32 = 20_000;
    let submission = Submission {
        source: "many.xlsx".into(),
        details: Some(details()),
        rows: (1..=ROWS).map(|r| row(&format!("P{r}"), r)).collect(),
        ..Submission::default()
    };
    let result = engine::reconcile(&submission, Vec::new(), &Settings::default());
    assert!(result.findings.is_empty(), "{:?}", result.findings.first());
    assert_eq!(result.people.len(), ROWS as usize);
    let totals = result.totals.unwrap();
    assert_eq!(totals.within_tolerance_count, ROWS as usize);
    assert_eq!(
        totals.commissioned,
        Hours::from_seconds(130 * 3600 * i64::from(ROWS))
    );
    assert_eq!(totals.authorised, Decimal::ZERO);
}
