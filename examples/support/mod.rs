//! What `make_sample` and `make_council` share: a provider's return in
//! council format 1 (SPEC 7), its rows and how they are typed, and the
//! writing of its Details and Hours sheets. Each example takes it with
//! `mod support;`; a few things only one of them uses are marked so.
//!
//! Hours are held as whole minutes, so every Total is exact.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    Color, DocProperties, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

pub const WEEKS: usize = 13;

/// A 64-bit linear congruential generator (Knuth's MMIX constants): the
/// same numbers on every run and every machine.
#[allow(dead_code, reason = "make_council draws no numbers")]
pub struct Lcg(pub u64);

#[allow(dead_code, reason = "make_council draws no numbers")]
impl Lcg {
    pub fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

/// Monday 6 April 2026: the first day of both examples' period.
pub fn period_start() -> NaiveDate {
    date(2026, 4, 6)
}

/// `examples/` in this repository: where the examples write their files.
pub fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")
}

/// How a provider's staff typed a row's hours.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Style {
    /// Decimal hours: `7.5`.
    Number,
    /// An `[h]:mm` duration: a number of days shown as `7:30`.
    Duration,
    /// Text: `"7:30"`.
    Text,
    /// A mix of the three, week by week (several people typed the row).
    #[allow(dead_code, reason = "only make_sample has mixed rows")]
    Mixed,
}

/// One row of the Hours sheet. Hours are whole minutes.
#[derive(Clone, Debug)]
pub struct Row {
    pub id: &'static str,
    pub name: &'static str,
    pub bundle: i64,
    pub charge: Option<Decimal>,
    pub care_start: Option<NaiveDate>,
    pub care_end: Option<NaiveDate>,
    /// `None`: a blank cell (a week outside the care dates).
    pub weeks: [Option<i64>; WEEKS],
    pub style: Style,
    /// Minutes the provider's Total is off by (0: correct).
    pub total_error: i64,
    pub note: Option<&'static str>,
    /// A week (0-based) typed as this text instead of its hours, as a
    /// provider's staff might; the week's minutes still count in the Total.
    pub typo: Option<(usize, &'static str)>,
}

/// Hours as typed in the examples: `"7.5"` or `"7:20"`, in minutes.
pub fn minutes(text: &str) -> i64 {
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
pub fn row(id: &'static str, name: &'static str, bundle: &str, weeks: &str) -> Row {
    let cells: Vec<Option<i64>> = weeks
        .split_whitespace()
        .map(|w| (w != "-").then(|| minutes(w)))
        .collect();
    Row::new(id, name, minutes(bundle), cells)
}

impl Row {
    /// A row of decimal hours with no charge, care dates, note or mistake:
    /// the bundle and `WEEKS` weeks in minutes.
    pub fn new(id: &'static str, name: &'static str, bundle: i64, weeks: Vec<Option<i64>>) -> Row {
        Row {
            id,
            name,
            bundle,
            charge: None,
            care_start: None,
            care_end: None,
            weeks: weeks.try_into().expect("13 weeks"),
            style: Style::Number,
            total_error: 0,
            note: None,
            typo: None,
        }
    }
    pub fn charge(mut self, pounds: &str) -> Row {
        self.charge = Some(Decimal::from_str(pounds).expect("an amount"));
        self
    }
    pub fn starts(mut self, d: NaiveDate) -> Row {
        self.care_start = Some(d);
        self
    }
    pub fn ends(mut self, d: NaiveDate) -> Row {
        self.care_end = Some(d);
        self
    }
    pub fn style(mut self, style: Style) -> Row {
        self.style = style;
        self
    }
    pub fn note(mut self, note: &'static str) -> Row {
        self.note = Some(note);
        self
    }
    #[allow(dead_code, reason = "only make_sample has a wrong Total")]
    pub fn total_off(mut self, minutes: i64) -> Row {
        self.total_error = minutes;
        self
    }
    /// Week `week` (1-based) typed as `text` instead of a number of hours.
    #[allow(dead_code, reason = "only make_sample has a mistyped week")]
    pub fn typed(mut self, week: usize, text: &'static str) -> Row {
        self.typo = Some((week - 1, text));
        self
    }
    fn total_minutes(&self) -> i64 {
        self.weeks.iter().flatten().sum()
    }
}

/// Ieuan Griffiths, on two rows under `id`: his bundle was reviewed on
/// 20/05/2026 and went up from 7 to 10.5 hours a week from 25/05/2026.
pub fn bundle_raised(id: &'static str) -> [Row; 2] {
    [
        row(id, "Ieuan Griffiths", "7", "7 7.5 6.5 7 7 7.25 7 - - - - - -")
            .charge("75.00")
            .ends(date(2026, 5, 24))
            .note("Bundle reviewed 20/05/2026"),
        row(
            id,
            "Ieuan Griffiths",
            "10.5",
            "- - - - - - - 10.5 10 11 10.5 10.5 10.75",
        )
        .charge("75.00")
        .starts(date(2026, 5, 25))
        .note("Bundle increased to 10.5 h from 25/05/2026 after review"),
    ]
}

/// One provider's return: what its Details sheet states, and its rows.
pub struct Return {
    /// The file name, in the folder `write_return` is given.
    pub file: &'static str,
    pub provider: &'static str,
    pub reference: &'static str,
    /// The blended hourly rate the return states, in £.
    pub stated_rate: &'static str,
    /// `Name, Role`: the name is the workbook's author.
    pub submitted_by: &'static str,
    pub submitted: NaiveDate,
    pub people: Vec<Row>,
}

/// Bro Morgannwg Home Care Ltd's return, submitted on time on 14/07/2026,
/// with these rows: the provider of `make_sample`'s returns and the first
/// of `make_council`'s three.
pub fn bro_morgannwg(file: &'static str, people: Vec<Row>) -> Return {
    Return {
        file,
        provider: "Bro Morgannwg Home Care Ltd",
        reference: "SUP00123",
        stated_rate: "24.85",
        submitted_by: "Rhian Bevan, Registered Manager",
        submitted: date(2026, 7, 14),
        people,
    }
}

/// Decimal hours from minutes, exact for quarter hours; otherwise rounded to
/// 2 decimals, as a provider's spreadsheet would show it.
pub fn hours(minutes: i64) -> Decimal {
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

fn details(wb: &mut Workbook, r: &Return, f: &Formats) -> Result<(), XlsxError> {
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
    ws.write_string(2, 1, r.provider)?;
    ws.write_string(3, 1, r.reference)?;
    ws.write_with_format(4, 1, &period_start(), &f.date)?;
    ws.write_with_format(5, 1, Decimal::from_str(r.stated_rate).expect("a rate"), &f.money)?;
    ws.write_string(6, 1, r.submitted_by)?;
    ws.write_with_format(7, 1, &r.submitted, &f.date)?;
    ws.autofit();
    Ok(())
}

fn hours_sheet(wb: &mut Workbook, r: &Return, f: &Formats) -> Result<(), XlsxError> {
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
            r.provider,
            r.reference,
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

    for (i, p) in r.people.iter().enumerate() {
        let row = i as u32 + 2;
        ws.write_string(row, 0, p.id)?;
        ws.write_string(row, 1, p.name)?;
        ws.write_with_format(row, 2, hours(p.bundle), &f.number)?;
        if let Some(c) = p.charge {
            ws.write_with_format(row, 3, c, &f.money)?;
        }
        if let Some(d) = &p.care_start {
            ws.write_with_format(row, 4, d, &f.date)?;
        }
        if let Some(d) = &p.care_end {
            ws.write_with_format(row, 5, d, &f.date)?;
        }
        for (k, cell) in p.weeks.iter().enumerate() {
            match (p.typo, cell) {
                (Some((week, text)), _) if week == k => {
                    ws.write_string(row, first_week + k as u16, text)?;
                }
                (_, Some(m)) => write_hours(ws, row, first_week + k as u16, *m, p.style, f)?,
                (_, None) => {}
            }
        }
        ws.write_with_format(
            row,
            total_col,
            hours(p.total_minutes() + p.total_error),
            &f.number,
        )?;
        if let Some(n) = p.note {
            ws.write_string(row, total_col + 1, n)?;
        }
    }

    // The provider's Totals row: each week's column and the grand total.
    let row = r.people.len() as u32 + 2;
    ws.write_string_with_format(row, 0, "Totals", &bold)?;
    let mut grand = 0;
    for k in 0..WEEKS {
        let column: i64 = r.people.iter().filter_map(|p| p.weeks[k]).sum();
        grand += column;
        ws.write_with_format(
            row,
            first_week + k as u16,
            hours(column),
            &f.number.clone().set_bold(),
        )?;
    }
    ws.write_with_format(row, total_col, hours(grand), &f.number.clone().set_bold())?;

    ws.autofit();
    ws.set_column_width(total_col + 1, 60)?;
    ws.set_freeze_panes(2, 2)?;
    Ok(())
}

/// Write one return (Details and Hours) to `dir`/`r.file`.
pub fn write_return(dir: &Path, r: &Return) -> Result<(), XlsxError> {
    let f = Formats {
        number: Format::new().set_num_format("0.00"),
        duration: Format::new().set_num_format("[h]:mm"),
        date: Format::new().set_num_format("dd/mm/yyyy"),
        money: Format::new().set_num_format("£#,##0.00"),
    };
    let mut wb = Workbook::new();
    // A fixed creation time (the submission date), not the clock's: the same
    // bytes on every run.
    let created = r.submitted.and_hms_opt(9, 30, 0).expect("a valid time");
    let author = r.submitted_by.split(',').next().unwrap_or(r.submitted_by);
    wb.set_properties(
        &DocProperties::new()
            .set_title("Your Choice return")
            .set_author(author)
            .set_company(r.provider)
            .set_creation_datetime(&created),
    );
    details(&mut wb, r, &f)?;
    hours_sheet(&mut wb, r, &f)?;
    let path = dir.join(r.file);
    wb.save(&path)?;
    let mut ids: Vec<&str> = r.people.iter().map(|p| p.id).collect();
    ids.dedup();
    println!(
        "wrote {} ({} rows, {} people)",
        path.display(),
        r.people.len(),
        ids.len()
    );
    Ok(())
}
