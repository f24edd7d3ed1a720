//! Writes `examples/provider.xlsx`: a realistic provider submission in
//! council format 1 (SPEC 7) for the 13 weeks from Monday 6 April 2026, and
//! `examples/return-with-error.xlsx`: a small return from the same provider
//! with exactly one mistake, week 8 of P0102 typed as the text `"7 hrs"`
//! (one `bad-hours` error at `Hours!N4`, the README's `check` example).
//!
//!     cargo run --example make_sample
//!
//! The files are the same on every run: the people with something to show
//! are written out by hand below, and the ordinary people's small ups and
//! downs come from a fixed-seed generator, kept only when they raise no
//! warning. Hours are held as whole minutes, so every Total is exact.
//!
//! What the sample shows (by Person ID):
//!
//! - P0003 uses hours early: the bank balance goes beyond 8% of the
//!   commissioned hours in week 7 and is paid back by the end
//!   (bank-limit-exceeded, but within tolerance).
//! - P0005 referred, under the bundle; charged on the bundle, so refunded.
//! - P0007 no care at all in the period (in hospital throughout).
//! - P0009 referred, over the bundle every week (change in need, more).
//! - P0010 in hospital for weeks 5 to 7 (no-care weeks), `[h]:mm` durations.
//! - P0012 on two rows: the bundle went up from 7 to 10.5 after a review.
//! - P0014 five weeks in a row well under the bundle (change in need,
//!   less) but within tolerance overall; hours typed as text `"17:30"`.
//! - P0015 exactly 8% over: the boundary is within tolerance.
//! - P0016 a little under its bundle and charged on the bundle: a refund
//!   while within tolerance (the weekly charge rounds 86.975 to 86.98).
//! - P0017 care ended mid-period (moved to residential care).
//! - P0019 the provider's Total is wrong (total-mismatch).
//! - P0021 one no-care week (on holiday).
//! - P0022 20-minute visits typed as durations: a Total shown to 2 decimals.
//! - P0024 care started mid-period (blank weeks before it).
//! - P0027 one week over 3 × the bundle (respite), referred over.
//! - P0030 just outside tolerance, under (-8.12%).
//! - P0033 referred, under, with a long run of short weeks.

use std::path::Path;
use std::str::FromStr;

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    Color, DocProperties, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

const WEEKS: usize = 13;
const PROVIDER: &str = "Bro Morgannwg Home Care Ltd";
const REFERENCE: &str = "SUP00123";
/// The ordinary people's generator seed: change it for a different sample.
const SEED: u64 = 20_260_406;

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
    /// A mix of the three, week by week (several people typed the row).
    Mixed,
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
    /// Minutes the provider's Total is off by (0: correct).
    total_error: i64,
    note: Option<&'static str>,
    /// A week (0-based) typed as this text instead of its hours, as a
    /// provider's staff might; the week's minutes still count in the Total.
    typo: Option<(usize, &'static str)>,
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
        total_error: 0,
        note: None,
        typo: None,
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
    fn total_off(mut self, minutes: i64) -> Row {
        self.total_error = minutes;
        self
    }
    /// Week `week` (1-based) typed as `text` instead of a number of hours.
    fn typed(mut self, week: usize, text: &'static str) -> Row {
        self.typo = Some((week - 1, text));
        self
    }
    fn total_minutes(&self) -> i64 {
        self.weeks.iter().flatten().sum()
    }
}

/// A 64-bit linear congruential generator (Knuth's MMIX constants): the
/// same numbers on every run and every machine.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
}

/// True when a full-period person with these weeks raises no warning, with
/// a margin: net variance within 6% and bank balance within 7% of the
/// commissioned hours, no run of 4 weeks each more than 8% off the bundle
/// the same way (SPEC 3), no week over 3 × the bundle.
fn quiet(bundle: i64, weeks: &[i64]) -> bool {
    let commissioned = bundle * WEEKS as i64;
    let net: i64 = weeks.iter().map(|a| a - bundle).sum();
    let mut balance = 0;
    let mut run = (0, 0); // (sign, length)
    for &a in weeks {
        balance += bundle - a;
        if balance.abs() * 100 > 7 * commissioned || a > 3 * bundle || a <= 0 {
            return false;
        }
        let off = (a - bundle).abs() * 100 > 8 * bundle;
        let sign = if off { (a - bundle).signum() } else { 0 };
        run = if sign != 0 && sign == run.0 {
            (sign, run.1 + 1)
        } else {
            (sign, i32::from(sign != 0))
        };
        if run.1 >= 4 {
            return false;
        }
    }
    let changed = weeks.iter().filter(|&&a| a != bundle).count();
    net.abs() * 100 <= 6 * commissioned && changed >= 4
}

/// An ordinary person: small ups and downs around the bundle, some banking
/// hours for later, some using them early, all within tolerance.
fn ordinary(id: &'static str, name: &'static str, bundle: &str, rng: &mut Lcg) -> Row {
    let b = minutes(bundle);
    // Hours move in quarter hours for small bundles, more for large ones.
    let step = if b <= 6 * 60 {
        15
    } else if b <= 14 * 60 {
        30
    } else {
        60
    };
    let shape = rng.below(3);
    for _ in 0..100_000 {
        let weeks: Vec<i64> = (0..WEEKS)
            .map(|k| {
                let steps: &[i64] = match (shape, k < 6) {
                    (1, true) => &[-2, -1, -1, 0, 0], // banking for later
                    (1, false) => &[0, 0, 1, 1, 2],
                    (2, true) => &[2, 1, 1, 0, 0], // using hours early
                    (2, false) => &[0, 0, -1, -1, -2],
                    _ => &[-1, 0, 0, 0, 1],
                };
                b + step * rng.pick(steps)
            })
            .collect();
        if quiet(b, &weeks) {
            let style = rng.pick(&[
                Style::Number,
                Style::Number,
                Style::Number,
                Style::Duration,
                Style::Duration,
                Style::Text,
                Style::Mixed,
            ]);
            return Row {
                id,
                name,
                bundle: b,
                charge: None,
                care_start: None,
                care_end: None,
                weeks: weeks
                    .into_iter()
                    .map(Some)
                    .collect::<Vec<_>>()
                    .try_into()
                    .expect("13"),
                style,
                total_error: 0,
                note: None,
                typo: None,
            };
        }
    }
    panic!("no quiet weeks found for {id}");
}

/// Everyone on the return, in the provider's order.
fn people() -> Vec<Row> {
    let mut rng = Lcg(SEED);
    let rng = &mut rng;
    vec![
        ordinary("P0001", "Gwen Hughes", "8.5", rng).charge("48.75"),
        ordinary("P0002", "Bryn Jenkins", "14", rng),
        row(
            "P0003",
            "Dafydd Rees",
            "10",
            "13 10 13.5 10 13 10 12 8 10 8 10 8.5 10",
        )
        .charge("100.00")
        .note("Extra calls while his wife was in hospital in April and May; hours paid back from June"),
        ordinary("P0004", "Eirlys Morgan", "6", rng).charge("35.20"),
        row(
            "P0005",
            "Megan Price",
            "3",
            "3 2.5 2.5 2 3 2.5 2 2.5 3 2.5 2 2.5 3",
        )
        .charge("95.00")
        .note("Carer shortages in Llantwit Major: calls cut short"),
        ordinary("P0006", "Rhodri Evans", "21", rng),
        row("P0007", "Margaret Jones", "7", "0 0 0 0 0 0 0 0 0 0 0 0 0")
            .charge("52.40")
            .note("In hospital (UHW) throughout the period; package suspended, not cancelled"),
        ordinary("P0008", "Sian Powell", "4.5", rng).charge("0.00"),
        row("P0009", "Nia Williams", "5", "6 6 5.5 6 6.5 6 6 5.5 6 6 6.5 6 6")
            .note("Needs more help since her stroke in March; review requested"),
        row(
            "P0010",
            "Huw Davies",
            "14",
            "14 13.5 14.5 14 0 0 0 12.5 14 14.5 14 15 13.5",
        )
        .style(Style::Duration)
        .note("In Llandough Hospital 03/05/2026 to 24/05/2026: no care weeks 5 to 7"),
        ordinary("P0011", "Angharad Lewis", "11.25", rng).charge("100.00"),
        row(
            "P0012",
            "Ieuan Griffiths",
            "7",
            "7 7.5 6.5 7 7 7.25 7 - - - - - -",
        )
        .charge("75.00")
        .ends(date(2026, 5, 24))
        .note("Bundle reviewed 20/05/2026"),
        row(
            "P0012",
            "Ieuan Griffiths",
            "10.5",
            "- - - - - - - 10.5 10 11 10.5 10.5 10.75",
        )
        .charge("75.00")
        .starts(date(2026, 5, 25))
        .note("Bundle increased to 10.5 h from 25/05/2026 after review"),
        ordinary("P0013", "Emyr Phillips", "28", rng),
        row(
            "P0014",
            "Dilys Roberts",
            "17.5",
            "17.5 18 17.5 17 15.5 15 15.5 15 15.5 18 17.5 17.5 17.5",
        )
        .style(Style::Text)
        .charge("100.00")
        .note("Daughter staying after a fall; asked for shorter calls. Review requested"),
        row(
            "P0015",
            "Glenys Edwards",
            "12.5",
            "14 13 13.5 14 13 13.5 13.5 13 14 13.5 13 13.5 14",
        )
        .note("Extra half hour most weeks for bathing, agreed with family"),
        row(
            "P0016",
            "Alun Bowen",
            "3.5",
            "3.5 3.5 3 3.5 3.5 3 3.5 3.5 3.5 3 3.5 3.5 3.5",
        )
        .style(Style::Text)
        .charge("100.00"),
        row(
            "P0017",
            "Trefor Owen",
            "21",
            "21 20.5 21.5 21 22 21 20 21 9 - - - -",
        )
        .style(Style::Mixed)
        .charge("100.00")
        .ends(date(2026, 6, 3))
        .note("Moved to residential care (Ty Hafan) 03/06/2026"),
        ordinary("P0018", "Catrin Pritchard", "9.5", rng),
        ordinary("P0019", "Mair Llewellyn", "12", rng)
            .charge("64.90")
            .total_off(600),
        ordinary("P0020", "Gareth Thomas", "5.25", rng),
        row(
            "P0021",
            "Olwen James",
            "5.5",
            "5.5 5.5 6 5 5.5 5.5 5.5 0 5.5 6 5.5 5 5.5",
        )
        .charge("41.30")
        .note("w/c 25/05/2026 on holiday with her daughter in Tenby: no care needed"),
        row(
            "P0022",
            "Idris Howells",
            "7",
            "7:00 6:40 7:20 7:00 7:20 6:40 7:20 7:00 7:20 6:40 7:00 7:00 7:00",
        )
        .style(Style::Duration)
        .note("20-minute medication calls"),
        ordinary("P0023", "Beryl Watkins", "7.5", rng).charge("87.15"),
        row(
            "P0024",
            "Ffion Rowlands",
            "10.5",
            "- - - - - 6 10.5 11 10 10.5 10.5 11 10.5",
        )
        .charge("38.60")
        .starts(date(2026, 5, 13))
        .note("New package from 13/05/2026 after hospital discharge"),
        ordinary("P0025", "Gwilym Harries", "17.5", rng),
        ordinary("P0026", "Myfanwy Richards", "3", rng).charge("30.00"),
        row("P0027", "Cledwyn Parry", "4", "4 4 3.5 4 4.5 4 4 3.5 4 14 4 4 4")
            .charge("62.50")
            .note(
                "Week 10: carer stayed overnight (respite) while his daughter, his main carer, was in \
                 hospital; agreed with the social worker",
            ),
        ordinary("P0028", "Derek Matthews", "10", rng),
        ordinary("P0029", "Sheila Cole", "15.75", rng).charge("100.00"),
        row("P0030", "Elfed Protheroe", "9", "8 8.5 8 8 9 8 8 8.5 8 8 9 8.5 8")
            .note("Often declines the teatime call; family informed"),
        ordinary("P0031", "Terence Bevan", "19", rng),
        ordinary("P0032", "Carys Vaughan", "8.75", rng).charge("55.00"),
        row(
            "P0033",
            "Doreen Lloyd",
            "24.5",
            "22 21.5 23 20.5 22 21 22.5 21 20 22 21.5 23 22.5",
        )
        .style(Style::Duration)
        .charge("100.00")
        .note("Two carers needed for each call; agency short of double-handed slots"),
        ordinary("P0034", "Wyn Morris", "6.75", rng),
    ]
}

/// The small return for the README's `check` example: three people, every
/// figure unremarkable but one, which `check` reports as `bad-hours`.
/// Typed as 7 it would pass the check with nothing to report.
fn small_return() -> Vec<Row> {
    vec![
        row("P0101", "Aled Pugh", "6", "6 6 6.5 6 5.5 6 6 6 6.5 6 6 5.5 6").charge("40.00"),
        row(
            "P0102",
            "Betsan Hopkins",
            "7",
            "7 7 7.5 7 7 6.5 7 7 7 7.5 7 6.5 7",
        )
        .typed(8, "7 hrs")
        .note("Week 8 typed by the office"),
        row(
            "P0103",
            "Carwyn Lewis",
            "10.5",
            "10.5 10.5 11 10 10.5 10.5 11 10 10.5 10.5 10.5 10 11",
        )
        .style(Style::Duration)
        .charge("100.00"),
    ]
}

/// Decimal hours from minutes, exact for quarter hours; otherwise rounded to
/// 2 decimals, as a provider's spreadsheet would show it.
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
    let style = match style {
        Style::Mixed => [Style::Number, Style::Duration, Style::Text][col as usize % 3],
        s => s,
    };
    match style {
        Style::Number | Style::Mixed => ws.write_with_format(row, col, hours(minutes), &f.number)?,
        // One exact division: the reader rounds the day fraction to the
        // nearest second, so 6:40 is read back as exactly 400 minutes.
        Style::Duration => ws.write_number_with_format(row, col, minutes as f64 / 1440.0, &f.duration)?,
        Style::Text => ws.write_string(row, col, hmm(minutes))?,
    };
    Ok(())
}

fn details(wb: &mut Workbook, f: &Formats) -> Result<(), XlsxError> {
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
    ws.write_string(2, 1, PROVIDER)?;
    ws.write_string(3, 1, REFERENCE)?;
    ws.write_with_format(4, 1, &period_start(), &f.date)?;
    ws.write_with_format(5, 1, Decimal::new(2485, 2), &f.money)?;
    ws.write_string(6, 1, "Rhian Bevan, Registered Manager")?;
    ws.write_with_format(7, 1, &date(2026, 7, 14), &f.date)?;
    ws.autofit();
    Ok(())
}

fn hours_sheet(wb: &mut Workbook, people: &[Row], f: &Formats) -> Result<(), XlsxError> {
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
            "Your Choice return: {PROVIDER} ({REFERENCE}), {WEEKS} weeks {} to {}",
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

    for (i, p) in people.iter().enumerate() {
        let r = i as u32 + 2;
        ws.write_string(r, 0, p.id)?;
        ws.write_string(r, 1, p.name)?;
        ws.write_with_format(r, 2, hours(p.bundle), &f.number)?;
        if let Some(c) = p.charge {
            ws.write_with_format(r, 3, c, &f.money)?;
        }
        if let Some(d) = &p.care_start {
            ws.write_with_format(r, 4, d, &f.date)?;
        }
        if let Some(d) = &p.care_end {
            ws.write_with_format(r, 5, d, &f.date)?;
        }
        for (k, cell) in p.weeks.iter().enumerate() {
            match (p.typo, cell) {
                (Some((week, text)), _) if week == k => {
                    ws.write_string(r, first_week + k as u16, text)?;
                }
                (_, Some(m)) => write_hours(ws, r, first_week + k as u16, *m, p.style, f)?,
                (_, None) => {}
            }
        }
        ws.write_with_format(r, total_col, hours(p.total_minutes() + p.total_error), &f.number)?;
        if let Some(n) = p.note {
            ws.write_string(r, total_col + 1, n)?;
        }
    }

    // The provider's Totals row: each week's column and the grand total.
    let r = people.len() as u32 + 2;
    ws.write_string_with_format(r, 0, "Totals", &bold)?;
    let mut grand = 0;
    for k in 0..WEEKS {
        let column: i64 = people.iter().filter_map(|p| p.weeks[k]).sum();
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

/// Write one return (Details and Hours) to `examples/NAME`.
fn write_return(name: &str, people: &[Row]) -> Result<(), XlsxError> {
    let f = Formats {
        number: Format::new().set_num_format("0.00"),
        duration: Format::new().set_num_format("[h]:mm"),
        date: Format::new().set_num_format("dd/mm/yyyy"),
        money: Format::new().set_num_format("£#,##0.00"),
    };
    let mut wb = Workbook::new();
    // A fixed creation time (the submission date), not the clock's: the same
    // bytes on every run.
    let created = date(2026, 7, 14).and_hms_opt(9, 30, 0).expect("a valid time");
    wb.set_properties(
        &DocProperties::new()
            .set_title("Your Choice return")
            .set_author("Rhian Bevan")
            .set_company(PROVIDER)
            .set_creation_datetime(&created),
    );
    details(&mut wb, &f)?;
    hours_sheet(&mut wb, people, &f)?;
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples").join(name);
    wb.save(&path)?;
    let mut ids: Vec<&str> = people.iter().map(|p| p.id).collect();
    ids.dedup();
    println!(
        "wrote {} ({} rows, {} people)",
        path.display(),
        people.len(),
        ids.len()
    );
    Ok(())
}

fn main() -> Result<(), XlsxError> {
    write_return("provider.xlsx", &people())?;
    write_return("return-with-error.xlsx", &small_return())
}
