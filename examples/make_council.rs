//! Writes `examples/council/`: a council's side of one payment round for
//! the 13 weeks from Monday 6 April 2026, the set-up the README's "Council
//! side" section runs.
//!
//!     cargo run --example make_council
//!
//! - `council.toml`: the tolerance, the period, the maximum weekly charge,
//!   three providers with their blended hourly rates by date, and the plans.
//! - `plans.csv`: every person's bundle with their provider; P1006's bundle
//!   went up after a review in May, so two plan lines.
//! - `decisions.csv`: the monitoring officer's decisions on two referred
//!   people, one authorised and one held.
//! - Three returns in council format 1 (SPEC 7):
//!   - `bro-morgannwg.xlsx` (SUP00123, on time): ordinary small ups and
//!     downs; P1003 referred over the bundle while his wife was in hospital,
//!     authorised by the officer; P1006 on two rows (the bundle change);
//!     P1007 one no-care week; P1008 charged on the bundle, so a refund.
//!   - `cwm-taf-care.xlsx` (SUP00456, late): submitted 24/07/2026, after the
//!     due date 19/07/2026; it states £24.60 an hour where the council's
//!     rate is £24.30 (`rate-differs`: the council's rate is used); carer
//!     shortages, so an invoice; P2005 a new package from 11/05/2026.
//!   - `penarth-homecare.xlsx` (SUP00789, on time): P3003 referred under the
//!     bundle all period, held by the officer pending a review; P3002 assessed
//!     at £130.00 a week, capped at the council's £100.00, and refunded;
//!     P3007 moved to residential care on 08/06/2026.
//!
//! The files are the same on every run: every figure is written out below.
//! Hours are held as whole minutes, so every Total is exact.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    Color, DocProperties, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

const WEEKS: usize = 13;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

fn period_start() -> NaiveDate {
    date(2026, 4, 6)
}

/// How a provider's staff typed a row's hours.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Style {
    /// Decimal hours: `7.5`.
    Number,
    /// An `[h]:mm` duration: a number of days shown as `7:30`.
    Duration,
    /// Text: `"7:30"`.
    Text,
}

/// One row of the Hours sheet. Hours are whole minutes.
#[derive(Clone, Debug)]
struct Row {
    id: &'static str,
    name: &'static str,
    bundle: i64,
    charge: Option<Decimal>,
    care_start: Option<NaiveDate>,
    care_end: Option<NaiveDate>,
    /// `None`: a blank cell (a week outside the care dates).
    weeks: [Option<i64>; WEEKS],
    style: Style,
    note: Option<&'static str>,
}

/// Hours as typed in this file: `"7.5"` or `"7:20"`, in minutes.
fn minutes(text: &str) -> i64 {
    match text.split_once(':') {
        Some((h, m)) => h.parse::<i64>().expect("hours") * 60 + m.parse::<i64>().expect("minutes"),
        None => {
            let m = Decimal::from_str(text).expect("a number of hours") * Decimal::from(60);
            assert!(m.fract().is_zero(), "{text} is not a whole number of minutes");
            m.to_i64().expect("minutes")
        }
    }
}

/// A row from its bundle and thirteen weeks (`-` for a blank cell).
fn row(id: &'static str, name: &'static str, bundle: &str, weeks: &str) -> Row {
    let cells: Vec<Option<i64>> = weeks
        .split_whitespace()
        .map(|w| (w != "-").then(|| minutes(w)))
        .collect();
    Row {
        id,
        name,
        bundle: minutes(bundle),
        charge: None,
        care_start: None,
        care_end: None,
        weeks: cells.try_into().expect("13 weeks"),
        style: Style::Number,
        note: None,
    }
}

impl Row {
    fn charge(mut self, pounds: &str) -> Row {
        self.charge = Some(Decimal::from_str(pounds).expect("an amount"));
        self
    }
    fn starts(mut self, d: NaiveDate) -> Row {
        self.care_start = Some(d);
        self
    }
    fn ends(mut self, d: NaiveDate) -> Row {
        self.care_end = Some(d);
        self
    }
    fn style(mut self, style: Style) -> Row {
        self.style = style;
        self
    }
    fn note(mut self, note: &'static str) -> Row {
        self.note = Some(note);
        self
    }
    fn total_minutes(&self) -> i64 {
        self.weeks.iter().flatten().sum()
    }
}

/// A provider: what the council holds (its rates, in `council.toml`) and
/// what its return says.
struct Provider {
    file: &'static str,
    name: &'static str,
    reference: &'static str,
    /// The council's blended hourly rates: (from, £ per hour).
    council_rates: &'static [(&'static str, &'static str)],
    /// The rate the return states on its Details sheet.
    stated_rate: &'static str,
    submitted_by: &'static str,
    submitted: NaiveDate,
    people: Vec<Row>,
}

/// When a plan started, for the people whose care began before the period.
const PLAN_FROM: &str = "2025-10-06";

fn bro_morgannwg() -> Provider {
    Provider {
        file: "bro-morgannwg.xlsx",
        name: "Bro Morgannwg Home Care Ltd",
        reference: "SUP00123",
        council_rates: &[("2025-04-07", "23.90"), ("2026-04-06", "24.85")],
        stated_rate: "24.85",
        submitted_by: "Rhian Bevan, Registered Manager",
        submitted: date(2026, 7, 14),
        people: vec![
            row(
                "P1001",
                "Gwen Hughes",
                "8.5",
                "8.5 8.5 9 8 8.5 8.5 8.5 8.5 8.5 8 8.5 8.5 8.5",
            )
            .charge("48.75"),
            row(
                "P1002",
                "Bryn Jenkins",
                "14",
                "14 14 15 14 13 14 14 15 14 14 15 14 14",
            ),
            row(
                "P1003",
                "Dafydd Rees",
                "10",
                "10 14 14 14.5 14 14 10 10 10 10 10 10 10",
            )
            .charge("100.00")
            .note("Extra calls while his wife, his main carer, was in UHW 13/04/2026 to 17/05/2026"),
            row("P1004", "Eirlys Morgan", "6", "6 6 6 5.5 6 6 6.5 6 6 6 5.5 6 6")
                .style(Style::Duration)
                .charge("35.20"),
            row(
                "P1005",
                "Rhodri Evans",
                "21",
                "21 21 22 21 20 21 21 21 22 21 21 20 21",
            ),
            row(
                "P1006",
                "Ieuan Griffiths",
                "7",
                "7 7.5 6.5 7 7 7.25 7 - - - - - -",
            )
            .charge("75.00")
            .ends(date(2026, 5, 24))
            .note("Bundle reviewed 20/05/2026"),
            row(
                "P1006",
                "Ieuan Griffiths",
                "10.5",
                "- - - - - - - 10.5 10 11 10.5 10.5 10.75",
            )
            .charge("75.00")
            .starts(date(2026, 5, 25))
            .note("Bundle increased to 10.5 h from 25/05/2026 after review"),
            row("P1007", "Nia Williams", "5", "5 5 5.5 5 0 5 5 4.5 5 5 5.5 5 5")
                .note("w/c 04/05/2026 on holiday with her son in Tenby: no care needed"),
            row(
                "P1008",
                "Huw Davies",
                "3.5",
                "3.5 3.5 3 3.5 3.5 3.5 3.5 3 3.5 3.5 3.5 3.5 3.5",
            )
            .style(Style::Text)
            .charge("100.00"),
        ],
    }
}

fn cwm_taf() -> Provider {
    Provider {
        file: "cwm-taf-care.xlsx",
        name: "Cwm Taf Care Ltd",
        reference: "SUP00456",
        council_rates: &[("2025-04-07", "23.60"), ("2026-04-06", "24.30")],
        // The provider's own figure, not the rate the council agreed.
        stated_rate: "24.60",
        submitted_by: "Gareth Llewellyn, Care Coordinator",
        submitted: date(2026, 7, 24),
        people: vec![
            row(
                "P2001",
                "Angharad Lewis",
                "11.25",
                "11.25 11 11.25 10.75 11.25 11.25 11 11.25 11.25 10.75 11.25 11.25 11.25",
            )
            .charge("100.00"),
            row(
                "P2002",
                "Emyr Phillips",
                "28",
                "28 27 28 26 28 28 27 28 28 28 26 28 28",
            )
            .note("Carer shortages in Pontypridd in April and June: some calls cut short"),
            row(
                "P2003",
                "Dilys Roberts",
                "17.5",
                "17.5 17 17.5 17.5 16.5 17.5 17.5 17 17.5 17.5 17.5 17 17.5",
            )
            .style(Style::Duration)
            .charge("100.00"),
            row(
                "P2004",
                "Catrin Pritchard",
                "9.5",
                "9.5 9.5 9 9.5 9.5 10 9.5 9.5 9 9.5 9.5 9.5 9.5",
            ),
            row(
                "P2005",
                "Mair Llewellyn",
                "12",
                "- - - - - 12 12 12.5 12 11.5 12 11 12",
            )
            .charge("64.90")
            .starts(date(2026, 5, 11))
            .note("New package from 11/05/2026 after discharge from the Royal Glamorgan"),
            row(
                "P2006",
                "Gareth Thomas",
                "5.25",
                "5.25 5.25 5 5.25 5.25 5.25 5.5 5.25 5.25 5.25 5 5.25 5.25",
            )
            .style(Style::Text),
        ],
    }
}

fn penarth() -> Provider {
    Provider {
        file: "penarth-homecare.xlsx",
        name: "Penarth Homecare Ltd",
        reference: "SUP00789",
        council_rates: &[("2025-04-07", "24.40"), ("2026-04-06", "25.20")],
        stated_rate: "25.20",
        submitted_by: "Carys Vaughan, Office Manager",
        submitted: date(2026, 7, 17),
        people: vec![
            row(
                "P3001",
                "Glenys Edwards",
                "12.5",
                "12.5 13 12.5 12.5 12 12.5 13 12.5 13 12.5 12 12.5 13",
            ),
            row("P3002", "Alun Bowen", "4", "4 4 3.5 4 4 3.5 4 4 4 3.5 4 4 4")
                .charge("130.00")
                .note("Declined three calls (family visiting)"),
            row(
                "P3003",
                "Elfed Protheroe",
                "9",
                "8 7.5 7 7.5 7 7 8 7.5 7 7.5 8 7 7.5",
            )
            .note("Often declines the teatime call; family informed; review requested"),
            row(
                "P3004",
                "Doreen Lloyd",
                "24.5",
                "24.5 24.5 25 24 24.5 24.5 24.5 25 24.5 24 24.5 24.5 24.5",
            )
            .style(Style::Duration)
            .charge("100.00")
            .note("Two carers for each call"),
            row(
                "P3005",
                "Wyn Morris",
                "6.75",
                "6.75 6.75 7 6.75 6.75 6.75 6.75 6.75 7 6.75 6.75 6.5 6.75",
            ),
            row(
                "P3006",
                "Beryl Watkins",
                "7.5",
                "7.5 7.5 8 7.5 7.5 7 7.5 7.5 8 7.5 7.5 7.5 7.5",
            )
            .charge("87.15"),
            row(
                "P3007",
                "Trefor Owen",
                "21",
                "21 20.5 21.5 21 22 21 20 21 21.5 - - - -",
            )
            .charge("100.00")
            .ends(date(2026, 6, 7))
            .note("Moved to residential care (Ty Hafan) 08/06/2026"),
        ],
    }
}

/// Decimal hours from minutes, exact for quarter hours.
fn hours(minutes: i64) -> Decimal {
    (Decimal::from(minutes) / Decimal::from(60))
        .round_dp(2)
        .normalize()
}

fn hmm(minutes: i64) -> String {
    format!("{}:{:02}", minutes / 60, minutes % 60)
}

struct Formats {
    number: Format,
    duration: Format,
    date: Format,
    money: Format,
}

fn write_hours(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    minutes: i64,
    style: Style,
    f: &Formats,
) -> Result<(), XlsxError> {
    match style {
        Style::Number => ws.write_with_format(row, col, hours(minutes), &f.number)?,
        // One exact division: the reader rounds the day fraction to the
        // nearest second, so 6:45 is read back as exactly 405 minutes.
        Style::Duration => ws.write_number_with_format(row, col, minutes as f64 / 1440.0, &f.duration)?,
        Style::Text => ws.write_string(row, col, hmm(minutes))?,
    };
    Ok(())
}

fn details(wb: &mut Workbook, p: &Provider, f: &Formats) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet().set_name("Details")?;
    let bold = Format::new().set_bold();
    ws.write_string_with_format(
        0,
        0,
        "Your Choice provider return",
        &bold.clone().set_font_size(13),
    )?;
    let labels = [
        "Provider name",
        "Provider reference",
        "Period start",
        "Blended hourly rate",
        "Submitted by",
        "Submission date",
    ];
    for (i, label) in labels.iter().enumerate() {
        ws.write_string_with_format(i as u32 + 2, 0, *label, &bold)?;
    }
    ws.write_string(2, 1, p.name)?;
    ws.write_string(3, 1, p.reference)?;
    ws.write_with_format(4, 1, &period_start(), &f.date)?;
    ws.write_with_format(5, 1, Decimal::from_str(p.stated_rate).expect("a rate"), &f.money)?;
    ws.write_string(6, 1, p.submitted_by)?;
    ws.write_with_format(7, 1, &p.submitted, &f.date)?;
    ws.autofit();
    Ok(())
}

fn hours_sheet(wb: &mut Workbook, p: &Provider, f: &Formats) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet().set_name("Hours")?;
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_background_color(Color::RGB(0xD9_E1_F2))
        .set_border(FormatBorder::Thin);
    let bold = Format::new().set_bold();
    let start = period_start();
    let end = start + Days::new(7 * WEEKS as u64 - 1);
    ws.write_string_with_format(
        0,
        0,
        format!(
            "Your Choice return: {} ({}), {WEEKS} weeks {} to {}",
            p.name,
            p.reference,
            start.format("%d/%m/%Y"),
            end.format("%d/%m/%Y")
        ),
        &bold.clone().set_font_size(13),
    )?;
    let mut headers: Vec<String> = [
        "Person ID",
        "Name",
        "Weekly bundle",
        "Assessed weekly charge",
        "Care start",
        "Care end",
    ]
    .iter()
    .map(|h| h.to_string())
    .collect();
    headers.extend((1..=WEEKS).map(|k| format!("Week {k}")));
    headers.extend(["Total".to_string(), "Notes".to_string()]);
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(1, c as u16, h, &header)?;
    }
    let first_week: u16 = 6;
    let total_col = first_week + WEEKS as u16;

    for (i, person) in p.people.iter().enumerate() {
        let r = i as u32 + 2;
        ws.write_string(r, 0, person.id)?;
        ws.write_string(r, 1, person.name)?;
        ws.write_with_format(r, 2, hours(person.bundle), &f.number)?;
        if let Some(c) = person.charge {
            ws.write_with_format(r, 3, c, &f.money)?;
        }
        if let Some(d) = &person.care_start {
            ws.write_with_format(r, 4, d, &f.date)?;
        }
        if let Some(d) = &person.care_end {
            ws.write_with_format(r, 5, d, &f.date)?;
        }
        for (k, cell) in person.weeks.iter().enumerate() {
            if let Some(m) = cell {
                write_hours(ws, r, first_week + k as u16, *m, person.style, f)?;
            }
        }
        ws.write_with_format(r, total_col, hours(person.total_minutes()), &f.number)?;
        if let Some(n) = person.note {
            ws.write_string(r, total_col + 1, n)?;
        }
    }

    // The provider's Totals row: each week's column and the grand total.
    let r = p.people.len() as u32 + 2;
    ws.write_string_with_format(r, 0, "Totals", &bold)?;
    let mut grand = 0;
    for k in 0..WEEKS {
        let column: i64 = p.people.iter().filter_map(|x| x.weeks[k]).sum();
        grand += column;
        ws.write_with_format(
            r,
            first_week + k as u16,
            hours(column),
            &f.number.clone().set_bold(),
        )?;
    }
    ws.write_with_format(r, total_col, hours(grand), &f.number.clone().set_bold())?;

    ws.autofit();
    ws.set_column_width(total_col + 1, 60)?;
    ws.set_freeze_panes(2, 2)?;
    Ok(())
}

fn folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join("council")
}

/// Write one return (Details and Hours).
fn write_return(p: &Provider) -> Result<(), XlsxError> {
    let f = Formats {
        number: Format::new().set_num_format("0.00"),
        duration: Format::new().set_num_format("[h]:mm"),
        date: Format::new().set_num_format("dd/mm/yyyy"),
        money: Format::new().set_num_format("£#,##0.00"),
    };
    let mut wb = Workbook::new();
    // A fixed creation time (the submission date), not the clock's: the same
    // bytes on every run.
    let created = p.submitted.and_hms_opt(9, 30, 0).expect("a valid time");
    let author = p.submitted_by.split(',').next().unwrap_or(p.submitted_by);
    wb.set_properties(
        &DocProperties::new()
            .set_title("Your Choice return")
            .set_author(author)
            .set_company(p.name)
            .set_creation_datetime(&created),
    );
    details(&mut wb, p, &f)?;
    hours_sheet(&mut wb, p, &f)?;
    let path = folder().join(p.file);
    wb.save(&path)?;
    let mut ids: Vec<&str> = p.people.iter().map(|x| x.id).collect();
    ids.dedup();
    println!(
        "wrote {} ({} rows, {} people)",
        path.display(),
        p.people.len(),
        ids.len()
    );
    Ok(())
}

/// `council.toml`: the settings, with the providers' rate tables.
fn council_toml(providers: &[Provider]) -> String {
    let mut s = String::from(
        "# The Vale of Glamorgan's Your Choice settings (SPEC 6), written by\n\
         # `cargo run --example make_council`.\n\
         tolerance = \"8%\"            # of the period's commissioned hours, either way\n\
         period_weeks = 13\n\
         submission_days = 14         # returns due 14 days after the period ends\n\
         table_top_days = 28          # table-top meeting within 28 days\n\
         sustained_weeks = 4          # a run this long suggests a change in need\n\
         plans = \"plans.csv\"          # each person's bundle, relative to this file\n\
         \n\
         # The most a person pays for care at home in a week, from a date.\n\
         [[max_weekly_charge]]\n\
         from = \"2025-04-07\"\n\
         amount = \"100.00\"\n",
    );
    for p in providers {
        let rates: Vec<String> = p
            .council_rates
            .iter()
            .map(|(from, rate)| format!("{{ from = \"{from}\", rate = \"{rate}\" }}"))
            .collect();
        write!(
            s,
            "\n[[provider]]\nreference = \"{}\"\nname = \"{}\"\nrates = [ {} ]\n",
            p.reference,
            p.name,
            rates.join(",\n          ")
        )
        .expect("a String");
    }
    s
}

/// `plans.csv`: one line per person's bundle; a person whose bundle
/// changed has one line per bundle, dated.
fn plans_csv(providers: &[Provider]) -> String {
    let mut s = String::from("Person ID,Provider reference,Weekly bundle,From,To\n");
    for p in providers {
        for person in &p.people {
            let from = person
                .care_start
                .map_or(PLAN_FROM.to_string(), |d| d.format("%Y-%m-%d").to_string());
            let to = person
                .care_end
                .map_or(String::new(), |d| d.format("%Y-%m-%d").to_string());
            writeln!(
                s,
                "{},{},{},{from},{to}",
                person.id,
                p.reference,
                hours(person.bundle)
            )
            .expect("a String");
        }
    }
    s
}

/// `decisions.csv`: the monitoring officer's decisions on held settlements.
const DECISIONS: &str = "\
Provider reference,Person ID,Decision,Reason,Officer
SUP00123,P1003,authorise,\"Extra calls in weeks 2 to 6 only while his wife, his main carer, was in hospital (UHW 13/04 to 17/05); back to his bundle since she came home, so a one-off and not a change in need. Agreed with his social worker 28/07/2026\",Siân Thomas
SUP00789,P3003,hold,\"Under his bundle all period: he declines the teatime call. Social work review booked for 04/08/2026 to look at the bundle; hold until then\",Siân Thomas
";

const README: &str = "\
# A council's payment round: three providers, one period

Written by `cargo run --example make_council` (`examples/make_council.rs`);
run it again to rewrite every file here. The period is the 13 weeks from
Monday 6 April 2026; returns were due on 19 July 2026.

| file | what it is |
| --- | --- |
| `council.toml` | the council's settings: 8% tolerance, the period, the £100.00 maximum weekly charge, each provider's blended hourly rate by date, and the plans file |
| `plans.csv` | each person's weekly bundle with their provider (P1006 has two lines: the bundle went up from 7 to 10.5 hours on 25/05/2026) |
| `decisions.csv` | the monitoring officer's decisions: P1003 (Bro Morgannwg) authorised, P3003 (Penarth) held |
| `bro-morgannwg.xlsx` | SUP00123, on time; P1003 referred over the bundle and authorised |
| `cwm-taf-care.xlsx` | SUP00456, submitted 24/07/2026 (late); states £24.60 an hour where the council pays £24.30 |
| `penarth-homecare.xlsx` | SUP00789, on time; P3003 referred under the bundle and held; P3002 assessed at £130.00 a week, capped at £100.00 and refunded |

From the repository root:

```sh
yourchoice reconcile examples/council/bro-morgannwg.xlsx examples/council/cwm-taf-care.xlsx \\
    examples/council/penarth-homecare.xlsx --council examples/council/council.toml \\
    --decisions examples/council/decisions.csv -o reports/ --summary reports/summary.xlsx
```

The repository README's \"Council side\" section shows the output.
";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let providers = [bro_morgannwg(), cwm_taf(), penarth()];
    let dir = folder();
    std::fs::create_dir_all(&dir)?;
    for p in &providers {
        write_return(p)?;
    }
    for (name, text) in [
        ("council.toml", council_toml(&providers)),
        ("plans.csv", plans_csv(&providers)),
        ("decisions.csv", DECISIONS.to_string()),
        ("README.md", README.to_string()),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, text)?;
        println!("wrote {}", path.display());
    }
    Ok(())
}
