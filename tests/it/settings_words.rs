//! Every sentence that states a setting takes the figure from the settings
//! in force: a council that sets 12 weeks, a Sunday week start or 21 days
//! sees its own figures in the reader's, the engine's and the template's
//! words, never the SPEC defaults (13 weeks, Monday, 14 days).

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use chrono::{NaiveDate, Weekday};
use rust_decimal::Decimal;
use rust_xlsxwriter::Workbook;
use yourchoice::base::units::Hours;
use yourchoice::engine::{self, period};
use yourchoice::model::findings::Code;
use yourchoice::model::settings::Settings;
use yourchoice::model::{Period, PlannedPerson, TemplateRequest};
use yourchoice::read::read_submission;
use yourchoice::write::template::build;

fn council() -> Settings {
    Settings {
        period_weeks: 12,
        week_start: Weekday::Sun,
        submission_days: 21,
        ..Settings::default()
    }
}

/// A Details sheet whose period start (Monday 06/04/2026) is not the
/// council's week start (Sunday), and an Hours sheet with no header row.
fn workbook() -> Vec<u8> {
    let mut wb = Workbook::new();
    let details = wb.add_worksheet().set_name("Details").unwrap();
    details.write(0, 0, "Provider name").unwrap();
    details.write(0, 1, "Example Care Ltd").unwrap();
    details.write(1, 0, "Provider reference").unwrap();
    details.write(1, 1, "SUP00123").unwrap();
    details.write(2, 0, "Period start").unwrap();
    details.write(2, 1, "06/04/2026").unwrap();
    details.write(3, 0, "Blended hourly rate").unwrap();
    details.write(3, 1, 24).unwrap();
    let hours = wb.add_worksheet().set_name("Hours").unwrap();
    hours.write(0, 0, "Not the header").unwrap();
    wb.save_to_buffer().unwrap()
}

fn message(result: &engine::Reconciliation, code: Code) -> String {
    result
        .findings
        .iter()
        .find(|f| f.code == code)
        .unwrap_or_else(|| panic!("no {code} in {:?}", result.findings))
        .message
        .clone()
}

#[test]
fn reader_and_engine_messages_state_the_councils_settings() {
    let settings = council();
    let (submission, findings) = read_submission("s.xlsx", &workbook(), &settings);
    let result = engine::reconcile(&submission, findings, &settings);
    let header = message(&result, Code::MissingColumn);
    assert!(header.ends_with("Week 1 ... Week 12."), "{header}");
    let start = message(&result, Code::PeriodStartNotWeekStart);
    assert_eq!(
        start,
        "The period start in Details!B3 is 06/04/2026, a Monday: a period starts on the first day \
         of a financial week, a Sunday. The Sunday before is 05/04/2026. Enter the date of the \
         Sunday the 12 weeks begin."
    );
}

#[test]
fn the_template_states_the_councils_settings() {
    let settings = council();
    // Sunday 05/04/2026, 12 weeks: ends Saturday 27/06/2026, due 21 days
    // later on 18/07/2026.
    let period = Period {
        start: NaiveDate::from_ymd_opt(2026, 4, 5).unwrap(),
        weeks: 12,
    };
    let request = TemplateRequest {
        provider_reference: "SUP00123".into(),
        provider_name: "Example Care Ltd".into(),
        period,
        rate: Some(Decimal::new(2485, 2)),
        people: vec![PlannedPerson {
            notes: None,
            person_id: "P1".into(),
            name: None,
            bundle: Hours::from_seconds(10 * 3600),
            charge: None,
            care_start: None,
            care_end: None,
        }],
    };
    let due = period::submission_due(&period, settings.submission_days);
    assert_eq!(due, NaiveDate::from_ymd_opt(2026, 7, 18).unwrap());
    let bytes = build(&request, &settings, due).unwrap().save_to_buffer().unwrap();
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let text: Vec<String> = wb
        .worksheet_range("Instructions")
        .unwrap()
        .rows()
        .filter_map(|r| match &r[0] {
            Data::String(s) => Some(s.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        text[0],
        "Your Choice 12-week return for Example Care Ltd (SUP00123)"
    );
    assert_eq!(
        text[1],
        "Period: 12 weeks from Sunday 05/04/2026 to Saturday 27/06/2026. Please submit this \
         workbook by 18/07/2026 (21 days after the period ends)."
    );
    assert!(text.iter().any(|l| l.contains("over the 12 weeks")));
    assert!(text.iter().any(|l| l.contains("the Sunday it applies from")));
    let hours = wb.worksheet_range("Hours").unwrap();
    let header: Vec<String> = hours
        .rows()
        .nth(2)
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert!(header.contains(&"Week 12".to_string()) && !header.contains(&"Week 13".to_string()));
}
