//! The report workbook an officer takes to the table-top meeting (SPEC 8.3):
//! Summary, People, Hours, Findings, Payments, Audit, then Details (the
//! submission's Details sheet as read, so that links to `Details!B3` land).
//!
//! Numbers stay numbers: money in a £ format, hours with two decimals,
//! dates as dates, percentages as percentages. The engine's `Decimal`s are
//! the truth; the workbook shows them (rust_xlsxwriter stores a number as an
//! IEEE double, which is display only).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    Color, ConditionalFormatFormula, DocProperties, Format, FormatAlign, FormatBorder, Note, Sparkline,
    SparklineType, Url, Workbook, Worksheet, XlsxError,
};

use crate::engine::{Method, PersonResult, PersonStatus, Reconciliation, Settings, Status};
use crate::findings::{Finding, Location, Severity, Sheet, column_letters};
use crate::model::{Shown, ShownCell, Submission};
use crate::units::{Hours, percent, plural, pounds};

/// Sheet names, in SPEC 8.3 order (Details last, an addition).
pub const SHEETS: [&str; 7] = [
    "Summary", "People", "Hours", "Findings", "Payments", "Audit", "Details",
];

/// What the Audit sheet records besides the result.
pub struct Audit<'a> {
    pub input_name: &'a str,
    /// Hex SHA-256 of the input file's bytes.
    pub sha256: String,
    pub settings: &'a Settings,
    pub run_at: DateTime<Utc>,
}

const HOURS_FORMAT: &str = "0.00";

struct Formats {
    title: Format,
    header: Format,
    bold: Format,
    money: Format,
    hours: Format,
    percent: Format,
    date: Format,
    wrap: Format,
    status: HashMap<&'static str, Format>,
}

impl Formats {
    fn new() -> Formats {
        let header = Format::new()
            .set_bold()
            .set_background_color(Color::RGB(0x1F_4E_79))
            .set_font_color(Color::White)
            .set_text_wrap()
            .set_align(FormatAlign::Top)
            .set_border_bottom(FormatBorder::Thin);
        let status = [
            ("within tolerance", 0xC6_EF_CE),
            ("referred", 0xFF_C7_CE),
            ("no care", 0xE7_E6_E6),
        ]
        .into_iter()
        .map(|(k, rgb)| (k, Format::new().set_background_color(Color::RGB(rgb))))
        .collect();
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            header,
            bold: Format::new().set_bold(),
            money: Format::new().set_num_format("£#,##0.00;-£#,##0.00"),
            hours: Format::new().set_num_format(HOURS_FORMAT),
            percent: Format::new().set_num_format("0.00%"),
            date: Format::new().set_num_format("dd/mm/yyyy"),
            wrap: Format::new()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_align(FormatAlign::Left),
            status,
        }
    }
}

fn severity_fill(sev: Severity) -> Color {
    match sev {
        Severity::Error => Color::RGB(0xFF_9E_9E),
        Severity::Warning => Color::RGB(0xFF_E0_8A),
        Severity::Info => Color::RGB(0xBD_D7_EE),
    }
}

/// Hours as a number for display (two decimals shown by the format).
fn hours_value(h: Hours) -> Decimal {
    h.as_hours()
}

/// Print set-up every sheet shares: landscape, one page wide, header rows
/// repeated.
fn print_setup(ws: &mut Worksheet, header_row: u32) -> Result<(), XlsxError> {
    ws.set_landscape();
    ws.set_paper_size(9); // A4
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(header_row, header_row)?;
    Ok(())
}

/// A table's header row, frozen, filtered and repeated on every page.
fn table_header(
    ws: &mut Worksheet,
    row: u32,
    headers: &[&str],
    last_row: u32,
    f: &Formats,
) -> Result<(), XlsxError> {
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, *h, &f.header)?;
    }
    ws.set_freeze_panes(row + 1, 0)?;
    if !headers.is_empty() {
        ws.autofilter(row, 0, last_row.max(row), (headers.len() - 1) as u16)?;
    }
    print_setup(ws, row)
}

/// Build the report workbook.
///
/// # Errors
/// Only rust_xlsxwriter's own limits (e.g. more than 1,048,576 rows).
pub fn build(submission: &Submission, r: &Reconciliation, audit: &Audit<'_>) -> Result<Workbook, XlsxError> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("Your Choice reconciliation: {}", audit.input_name))
            .set_author(format!("yourchoice {}", env!("CARGO_PKG_VERSION"))),
    );
    wb.push_worksheet(summary(r, audit.settings.tolerance, &f)?);
    wb.push_worksheet(people(r, &f)?);
    wb.push_worksheet(as_read(Sheet::Hours, &submission.hours_cells, submission, r, &f)?);
    wb.push_worksheet(findings_sheet(r, &f)?);
    wb.push_worksheet(payments(r, &f)?);
    wb.push_worksheet(audit_sheet(r, audit, &f)?);
    wb.push_worksheet(as_read(
        Sheet::Details,
        &submission.details_cells,
        submission,
        r,
        &f,
    )?);
    Ok(wb)
}

fn date_text(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// One line of the Summary: a label and its value (and a remark).
enum Item {
    Text(String),
    Money(Decimal, Option<String>),
    Date(Option<NaiveDate>),
    Count(usize),
    Gap,
}

/// The Summary: the figures, then the same in words an officer reads aloud.
fn summary(r: &Reconciliation, tolerance: Decimal, f: &Formats) -> Result<Worksheet, XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name("Summary")?;
    let provider = r.provider.as_ref();
    let name = provider
        .and_then(|p| p.name.as_deref())
        .unwrap_or("(provider name not given)");
    let reference = provider
        .and_then(|p| p.reference.as_deref())
        .unwrap_or("(no reference)");
    ws.write_string_with_format(
        0,
        0,
        format!("Your Choice reconciliation: {name} ({reference})"),
        &f.title,
    )?;

    let errors = r
        .findings
        .iter()
        .filter(|x| x.severity() == Severity::Error)
        .count();
    let warnings = r
        .findings
        .iter()
        .filter(|x| x.severity() == Severity::Warning)
        .count();
    let infos = r.findings.len() - errors - warnings;

    let status = match r.status {
        Status::Reconciled => "Reconciled".to_string(),
        Status::Rejected => format!(
            "NOT RECONCILED: the submission has {}. The provider must correct them and resubmit; \
             each is listed on the Findings sheet and marked on the Hours sheet.",
            plural(errors, "error", "errors")
        ),
    };
    let mut items: Vec<(&str, Item)> = vec![
        ("Status", Item::Text(status)),
        ("Submission file", Item::Text(r.source.clone())),
        ("Provider reference", Item::Text(reference.to_string())),
    ];
    if let Some(p) = &r.period {
        items.extend([
            ("Period start", Item::Date(Some(p.period.start))),
            ("Period end", Item::Date(Some(p.end))),
            ("Submission due", Item::Date(Some(p.submission_due))),
            ("Submitted", Item::Date(p.submitted)),
            (
                "Submitted late",
                Item::Text(if p.late { "Yes" } else { "No" }.into()),
            ),
            ("Table-top meeting due", Item::Date(Some(p.table_top_due))),
        ]);
    }
    if let Some(t) = &r.totals {
        let (label, amount) = match t.method {
            Method::Bacs => ("BACS payment to the provider", t.authorised),
            Method::Invoice => ("Invoice to the provider", -t.authorised),
            Method::None => ("Nothing to pay or recover", Decimal::ZERO),
        };
        let refunds = r
            .people
            .iter()
            .filter(|p| p.charge.as_ref().is_some_and(|c| !c.overcharge.is_zero()))
            .count();
        let count = |s: PersonStatus| r.people.iter().filter(|p| p.status == s).count();
        items.extend([
            ("", Item::Gap),
            (label, Item::Money(amount, None)),
            (
                "Held settlements (not in the payment)",
                Item::Money(t.held, Some(plural(t.held_count, "person", "people"))),
            ),
            (
                "Refunds to service users",
                Item::Money(t.overcharge_refunds, Some(plural(refunds, "person", "people"))),
            ),
            ("Referred for review", Item::Count(t.referred_count)),
            ("People", Item::Count(r.people.len())),
            (
                "Within tolerance",
                Item::Count(count(PersonStatus::WithinTolerance)),
            ),
            ("Referred", Item::Count(count(PersonStatus::Referred))),
            ("No care in the period", Item::Count(count(PersonStatus::NoCare))),
        ]);
    }
    items.extend([
        ("", Item::Gap),
        ("Errors", Item::Count(errors)),
        ("Warnings", Item::Count(warnings)),
        ("Notices", Item::Count(infos)),
        ("", Item::Gap),
        ("In words", Item::Text(in_words(r, name, tolerance))),
    ]);

    let red = Format::new().set_bold().set_font_color(Color::RGB(0xC0_00_00));
    for (i, (label, item)) in items.iter().enumerate() {
        let row = i as u32 + 2;
        ws.write_string_with_format(row, 0, *label, &f.bold.clone().set_align(FormatAlign::Top))?;
        match item {
            Item::Text(t) if *label == "Status" && r.status == Status::Rejected => {
                ws.write_string_with_format(row, 1, t, &red)?
            }
            Item::Text(t) if *label == "In words" => {
                ws.set_row_height(row, 96)?;
                ws.merge_range(row, 1, row, 5, t, &f.wrap)?
            }
            Item::Text(t) => ws.write_string(row, 1, t)?,
            Item::Money(m, remark) => {
                if let Some(remark) = remark {
                    ws.write_string(row, 2, remark)?;
                }
                ws.write_with_format(row, 1, *m, &f.money)?
            }
            Item::Date(Some(d)) => ws.write_with_format(row, 1, d, &f.date)?,
            Item::Date(None) => ws.write_string(row, 1, "not stated")?,
            Item::Count(n) => ws.write_number(row, 1, *n as f64)?,
            Item::Gap => &mut ws,
        };
    }
    ws.set_column_width(0, 38)?;
    ws.set_column_width(1, 16)?;
    for col in 2..=5 {
        ws.set_column_width(col, 18)?;
    }
    print_setup(&mut ws, 0)?;
    Ok(ws)
}

/// The summary as sentences to read aloud at the meeting.
pub fn in_words(r: &Reconciliation, name: &str, tolerance: Decimal) -> String {
    let tolerance = percent(tolerance);
    let Some(t) = &r.totals else {
        let errors = r.findings.iter().filter(|x| x.is_error()).count();
        return format!(
            "The submission from {name} was not reconciled: it has {}, which the provider must \
             correct before the figures can be worked out. Nothing is paid or recovered until then.",
            plural(errors, "error", "errors")
        );
    };
    let period = r
        .period
        .as_ref()
        .map(|p| {
            format!(
                " for the period {} to {}",
                date_text(p.period.start),
                date_text(p.end)
            )
        })
        .unwrap_or_default();
    let commissioned: Hours = r.people.iter().map(|p| p.commissioned).sum();
    let delivered: Hours = r.people.iter().map(|p| p.delivered).sum();
    let mut s = format!(
        "{name} delivered {} hours against {} hours commissioned{period}, for {}. ",
        delivered.rounded(2).normalize(),
        commissioned.rounded(2).normalize(),
        plural(r.people.len(), "person", "people")
    );
    s += &match t.method {
        Method::Bacs => format!("The council pays the provider {} by BACS. ", pounds(t.authorised)),
        Method::Invoice => format!(
            "The council invoices the provider for {}. ",
            pounds(-t.authorised)
        ),
        Method::None => "Nothing is paid or recovered. ".to_string(),
    };
    if t.referred_count > 0 {
        s += &format!(
            "{} outside the {tolerance}% tolerance and referred for a social work review; \
             settlements of {} ({}) are held until the officer authorises them. ",
            if t.referred_count == 1 {
                "1 person is".to_string()
            } else {
                format!("{} people are", t.referred_count)
            },
            pounds(t.held),
            plural(t.held_count, "person", "people")
        );
    } else {
        s += &format!("Everyone is within the {tolerance}% tolerance. ");
    }
    if t.overcharge_refunds > Decimal::ZERO {
        s += &format!(
            "Service users were charged {} more than the care they received cost, to be refunded.",
            pounds(t.overcharge_refunds)
        );
    } else {
        s += "No service user is due a refund.";
    }
    s
}

fn weeks_text(weeks: &[u32]) -> String {
    // Runs of consecutive weeks: "1-4, 6-13".
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < weeks.len() {
        let mut j = i;
        while j + 1 < weeks.len() && weeks[j + 1] == weeks[j] + 1 {
            j += 1;
        }
        parts.push(if i == j {
            weeks[i].to_string()
        } else {
            format!("{}-{}", weeks[i], weeks[j])
        });
        i = j + 1;
    }
    parts.join(", ")
}

const PEOPLE_HEADERS: [&str; 22] = [
    "Person ID",
    "Name",
    "Status",
    "Commissioned hours",
    "Delivered hours",
    "Net variance hours",
    "Variance %",
    "Tolerance hours",
    "Billable weeks",
    "No-care weeks",
    "Bank peak hours",
    "Bank limit first week",
    "Change in need",
    "Settlement £",
    "Method",
    "Authorised",
    "Decision",
    "Charged £",
    "Cost of care received £",
    "Overcharge £",
    "Weeks against bundle",
    "Notes",
];

/// People: a row per person with every SPEC 8.2 field, status coloured, and
/// a sparkline of each week's hours against the bundle (bars above the axis:
/// more than the bundle; below, in red: less).
fn people(r: &Reconciliation, f: &Formats) -> Result<Worksheet, XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name("People")?;
    let weeks = r.period.as_ref().map_or(13, |p| p.period.weeks);
    let first_week_col = PEOPLE_HEADERS.len() as u16;
    let mut headers: Vec<String> = PEOPLE_HEADERS.iter().map(|s| s.to_string()).collect();
    headers.extend((1..=weeks).map(|k| format!("Week {k} hours - bundle")));
    let header_refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    table_header(&mut ws, 0, &header_refs, r.people.len() as u32, f)?;

    for (i, p) in r.people.iter().enumerate() {
        let row = i as u32 + 1;
        write_person(&mut ws, row, p, f)?;
        for w in &p.weeks {
            let col = first_week_col + (w.week - 1) as u16;
            if let (Some(a), Some(b)) = (w.delivered, w.bundle)
                && !a.is_zero()
            {
                ws.write_with_format(row, col, hours_value(a - b), &f.hours)?;
            }
        }
        ws.add_sparkline(
            row,
            20,
            &Sparkline::new()
                .set_range((
                    "People",
                    row,
                    first_week_col,
                    row,
                    first_week_col + weeks as u16 - 1,
                ))
                .set_type(SparklineType::Column)
                .show_negative_points(true)
                .show_hidden_data(true)
                .show_axis(true)
                .set_negative_points_color(Color::RGB(0xC0_00_00)),
        )?;
    }
    ws.set_autofit_max_width(220);
    ws.autofit();
    ws.set_column_width(20, 18)?;
    // The sparklines' figures: kept, but hidden so the sheet prints on a page.
    for k in 0..weeks as u16 {
        ws.set_column_hidden(first_week_col + k)?;
    }
    Ok(ws)
}

fn write_person(ws: &mut Worksheet, row: u32, p: &PersonResult, f: &Formats) -> Result<(), XlsxError> {
    ws.write_string(row, 0, &p.person_id)?;
    ws.write_string(row, 1, p.name.as_deref().unwrap_or(""))?;
    let status_format = f.status.get(p.status.label()).cloned().unwrap_or_default();
    ws.write_string_with_format(row, 2, p.status.label(), &status_format)?;
    ws.write_with_format(row, 3, hours_value(p.commissioned), &f.hours)?;
    ws.write_with_format(row, 4, hours_value(p.delivered), &f.hours)?;
    ws.write_with_format(row, 5, hours_value(p.net_variance), &f.hours)?;
    if let Some(v) = p.variance_percent {
        ws.write_with_format(row, 6, v / Decimal::ONE_HUNDRED, &f.percent)?;
    }
    ws.write_with_format(row, 7, hours_value(p.tolerance), &f.hours)?;
    ws.write_string(row, 8, weeks_text(&p.billable_weeks))?;
    ws.write_string(row, 9, weeks_text(&p.no_care_weeks))?;
    ws.write_with_format(row, 10, hours_value(p.bank.peak), &f.hours)?;
    if let Some(k) = p.bank.limit_first_week {
        ws.write_number(row, 11, f64::from(k))?;
    }
    if let Some(c) = &p.change_in_need {
        ws.write_string(
            row,
            12,
            format!(
                "weeks {}-{}, {} than the bundle",
                c.first_week,
                c.last_week,
                c.direction.as_str()
            ),
        )?;
    }
    if let Some(s) = &p.settlement {
        ws.write_with_format(row, 13, s.amount, &f.money)?;
        ws.write_string(row, 14, s.method.as_str().to_uppercase())?;
        ws.write_string(row, 15, if s.authorised { "Yes" } else { "No: held" })?;
        if let Some(d) = &s.decision {
            ws.write_string(row, 16, d)?;
        }
    }
    if let Some(c) = &p.charge {
        ws.write_with_format(row, 17, c.charged, &f.money)?;
        ws.write_with_format(row, 18, c.cost_of_care_received, &f.money)?;
        ws.write_with_format(row, 19, c.overcharge, &f.money)?;
    }
    if !p.notes.is_empty() {
        ws.write_string(row, 21, p.notes.join("; "))?;
    }
    Ok(())
}

/// A sheet of the submission as read, each cell at its own position, so a
/// finding's reference points at the same cell here as in the submission.
/// Cells with findings are filled by severity and carry a note; on a
/// reconciled Hours sheet each week's hours are shaded against the bundle.
fn as_read(
    sheet: Sheet,
    cells: &[ShownCell],
    submission: &Submission,
    r: &Reconciliation,
    f: &Formats,
) -> Result<Worksheet, XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name(sheet.name())?;

    // Findings by cell: the most severe decides the fill; all go in the note.
    let mut flagged: HashMap<(u32, u32), (Severity, Vec<&Finding>)> = HashMap::new();
    for finding in &r.findings {
        let Some(loc) = finding.location.filter(|l| l.sheet() == sheet) else {
            continue;
        };
        let key = (loc.row_index(), loc.col_index().unwrap_or(0));
        let entry = flagged.entry(key).or_insert((finding.severity(), Vec::new()));
        entry.0 = entry.0.min(finding.severity());
        entry.1.push(finding);
    }

    let header_row = (sheet == Sheet::Hours).then_some(submission.layout.header_row);
    let mut seen: HashSet<(u32, u32)> = HashSet::with_capacity(cells.len());
    for c in cells {
        seen.insert((c.row, c.col));
        let base = match flagged.get(&(c.row, c.col)) {
            Some((sev, _)) => Some(
                Format::new()
                    .set_background_color(severity_fill(*sev))
                    .set_border(FormatBorder::Thin)
                    .set_border_color(Color::RGB(0x80_00_00)),
            ),
            None if Some(c.row) == header_row => Some(f.header.clone()),
            None => None,
        };
        write_shown(&mut ws, c, base, f)?;
    }
    // Flagged cells that were blank (a missing figure) still get their fill.
    for (&(row, col), (sev, _)) in &flagged {
        if !seen.contains(&(row, col)) {
            ws.write_blank(
                row,
                col as u16,
                &Format::new().set_background_color(severity_fill(*sev)),
            )?;
        }
    }
    for (&(row, col), (_, list)) in &flagged {
        let text = list
            .iter()
            .map(|x| format!("{}[{}]: {}", x.severity(), x.code, x.message))
            .collect::<Vec<_>>()
            .join("\n\n");
        ws.insert_note(
            row,
            col as u16,
            &Note::new(text)
                .set_author("yourchoice")
                .add_author_prefix(false)
                .set_width(400)
                .set_height(160),
        )?;
    }

    if sheet == Sheet::Hours {
        if r.status == Status::Reconciled {
            shade_weeks(&mut ws, submission)?;
        }
        let header = submission.layout.header_row;
        if !cells.is_empty() {
            ws.set_freeze_panes(header + 1, 1)?;
        }
        print_setup(&mut ws, header)?;
    } else {
        print_setup(&mut ws, 0)?;
    }
    ws.set_autofit_max_width(220);
    ws.autofit();
    if sheet == Sheet::Hours && submission.layout.header_row > 0 {
        // A title above the header row should not widen the Person ID column.
        ws.set_column_width(0, 12)?;
    }
    if sheet == Sheet::Hours {
        // Autofit measures a duration's full digits (7.333333), not the two
        // decimals shown.
        for col in submission.layout.week_columns.iter().flatten() {
            ws.set_column_width(*col as u16, 8)?;
        }
    }
    Ok(ws)
}

/// Write one cell as read. `base` is the cell's fill, if it has one; the
/// common case (no finding) writes with shared formats.
fn write_shown(
    ws: &mut Worksheet,
    c: &ShownCell,
    base: Option<Format>,
    f: &Formats,
) -> Result<(), XlsxError> {
    let col = c.col as u16;
    match (&c.value, base) {
        (Shown::Text(s) | Shown::Error(s), None) => ws.write_string(c.row, col, s)?,
        (Shown::Text(s) | Shown::Error(s), Some(b)) => ws.write_string_with_format(c.row, col, s, &b)?,
        (Shown::Number(d), None) => ws.write(c.row, col, *d)?,
        (Shown::Number(d), Some(b)) => ws.write_with_format(c.row, col, *d, &b)?,
        (Shown::Hours(h), None) => ws.write_with_format(c.row, col, hours_value(*h), &f.hours)?,
        (Shown::Hours(h), Some(b)) => {
            ws.write_with_format(c.row, col, hours_value(*h), &b.set_num_format(HOURS_FORMAT))?
        }
        (Shown::Date(d), None) => ws.write_with_format(c.row, col, d, &f.date)?,
        (Shown::Date(d), Some(b)) => ws.write_with_format(c.row, col, d, &b.set_num_format("dd/mm/yyyy"))?,
    };
    Ok(())
}

/// Shade each week's hours against the row's bundle: blue above it, orange
/// below it (conditional formats, so the officer's edits re-shade).
fn shade_weeks(ws: &mut Worksheet, submission: &Submission) -> Result<(), XlsxError> {
    let (Some(bundle_col), Some(first), Some(last)) = (
        submission.layout.bundle_column,
        submission.rows.iter().map(|r| r.row).min(),
        submission.rows.iter().map(|r| r.row).max(),
    ) else {
        return Ok(());
    };
    let bundle = column_letters(bundle_col);
    let over = Format::new().set_background_color(Color::RGB(0xDD_EB_F7));
    let under = Format::new().set_background_color(Color::RGB(0xFC_E4_D6));
    for col in submission.layout.week_columns.iter().flatten() {
        let cell = format!("{}{}", column_letters(*col), first + 1);
        let b = format!("${bundle}{}", first + 1);
        let c = *col as u16;
        ws.add_conditional_format(
            first,
            c,
            last,
            c,
            &ConditionalFormatFormula::new()
                .set_rule(format!("=AND(ISNUMBER({cell}),{cell}>0,{cell}>{b})").as_str())
                .set_format(&over),
        )?;
        ws.add_conditional_format(
            first,
            c,
            last,
            c,
            &ConditionalFormatFormula::new()
                .set_rule(format!("=AND(ISNUMBER({cell}),{cell}>0,{cell}<{b})").as_str())
                .set_format(&under),
        )?;
    }
    Ok(())
}

/// Findings: severity, code, a link to the cell, the person, the message.
fn findings_sheet(r: &Reconciliation, f: &Formats) -> Result<Worksheet, XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name("Findings")?;
    table_header(
        &mut ws,
        0,
        &["Severity", "Code", "Cell", "Person ID", "Message"],
        r.findings.len() as u32,
        f,
    )?;
    for (i, x) in r.findings.iter().enumerate() {
        let row = i as u32 + 1;
        let sev = Format::new().set_background_color(severity_fill(x.severity()));
        ws.write_string_with_format(row, 0, x.severity().as_str(), &sev)?;
        ws.write_string(row, 1, x.code.as_str())?;
        if let Some(loc) = x.location {
            ws.write_url(row, 2, Url::new(link_target(loc)).set_text(loc.to_string()))?;
        }
        if let Some(id) = &x.person_id {
            ws.write_string(row, 3, id)?;
        }
        ws.write_string_with_format(row, 4, &x.message, &f.wrap)?;
    }
    ws.set_autofit_max_width(220);
    ws.autofit();
    ws.set_column_width(4, 100)?;
    Ok(ws)
}

/// `internal:'Hours'!F7`; a row points at its first cell.
pub fn link_target(loc: Location) -> String {
    let cell = match loc {
        Location::Cell { row, col, .. } => format!("{}{}", column_letters(col), row + 1),
        Location::Row { row, .. } => format!("A{}", row + 1),
    };
    format!("internal:'{}'!{cell}", loc.sheet().name())
}

/// Payments: the lines finance acts on.
fn payments(r: &Reconciliation, f: &Formats) -> Result<Worksheet, XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name("Payments")?;
    let headers = [
        "Line",
        "Provider reference",
        "Person ID",
        "Name",
        "Amount £",
        "Method",
        "Note",
    ];
    let reference = r
        .provider
        .as_ref()
        .and_then(|p| p.reference.clone())
        .unwrap_or_default();
    let mut lines: Vec<(String, Option<&PersonResult>, Decimal, String, String)> = Vec::new();
    if let Some(t) = &r.totals {
        let (what, amount, method) = match t.method {
            Method::Bacs => ("Payment to provider", t.authorised, "BACS"),
            Method::Invoice => ("Invoice to provider", -t.authorised, "Invoice"),
            Method::None => ("Nothing to pay or recover", Decimal::ZERO, ""),
        };
        lines.push((
            what.into(),
            None,
            amount,
            method.into(),
            "sum of the authorised settlements below".into(),
        ));
        for p in &r.people {
            if let Some(s) = &p.settlement {
                let (what, note) = if s.authorised {
                    ("Authorised settlement", "in the provider total")
                } else {
                    (
                        "Held settlement",
                        "referred: not paid or recovered until authorised",
                    )
                };
                lines.push((
                    what.into(),
                    Some(p),
                    s.amount,
                    s.method.as_str().to_uppercase(),
                    note.into(),
                ));
            }
        }
        for p in &r.people {
            if let Some(c) = p.charge.as_ref().filter(|c| !c.overcharge.is_zero()) {
                lines.push((
                    "Refund to service user".into(),
                    Some(p),
                    c.overcharge,
                    "Refund".into(),
                    format!(
                        "charged {} for care costing {}",
                        pounds(c.charged),
                        pounds(c.cost_of_care_received)
                    ),
                ));
            }
        }
    }
    table_header(&mut ws, 0, &headers, lines.len() as u32, f)?;
    for (i, (what, person, amount, method, note)) in lines.iter().enumerate() {
        let row = i as u32 + 1;
        let fmt = if person.is_none() {
            f.bold.clone()
        } else {
            Format::new()
        };
        ws.write_string_with_format(row, 0, what, &fmt)?;
        ws.write_string(row, 1, &reference)?;
        if let Some(p) = person {
            ws.write_string(row, 2, &p.person_id)?;
            ws.write_string(row, 3, p.name.as_deref().unwrap_or(""))?;
        }
        ws.write_with_format(row, 4, *amount, &f.money.clone().set_bold())?;
        ws.write_string(row, 5, method)?;
        ws.write_string(row, 6, note)?;
    }
    ws.set_autofit_max_width(220);
    ws.autofit();
    Ok(ws)
}

/// Audit: what was run, on what, with which settings, when.
fn audit_sheet(r: &Reconciliation, audit: &Audit<'_>, f: &Formats) -> Result<Worksheet, XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name("Audit")?;
    let s = audit.settings;
    let rows: Vec<(&str, String)> = vec![
        ("Tool", format!("yourchoice {}", env!("CARGO_PKG_VERSION"))),
        ("Input file", audit.input_name.to_string()),
        ("Input SHA-256", audit.sha256.clone()),
        (
            "Run at (UTC)",
            audit.run_at.format("%Y-%m-%d %H:%M:%S").to_string(),
        ),
        ("Status", r.status.as_str().to_string()),
        ("Tolerance", format!("{}%", percent(s.tolerance))),
        ("Period weeks", s.period_weeks.to_string()),
        ("Submission days", s.submission_days.to_string()),
        ("Table-top days", s.table_top_days.to_string()),
        ("Sustained weeks (change in need)", s.sustained_weeks.to_string()),
        (
            "Rates",
            match &s.provider_rates {
                Some(rates) => rates
                    .iter()
                    .map(|x| format!("£{} from {}", x.amount, date_text(x.from)))
                    .collect::<Vec<_>>()
                    .join("; "),
                None => "as stated in the submission".to_string(),
            },
        ),
        (
            "Maximum weekly charge",
            if s.max_weekly_charge.is_empty() {
                "none set".to_string()
            } else {
                s.max_weekly_charge
                    .iter()
                    .map(|x| format!("£{} from {}", x.amount, date_text(x.from)))
                    .collect::<Vec<_>>()
                    .join("; ")
            },
        ),
        ("Council settings file", "none (SPEC defaults)".to_string()),
        ("Decisions applied", "none".to_string()),
    ];
    ws.write_string_with_format(0, 0, "Item", &f.header)?;
    ws.write_string_with_format(0, 1, "Value", &f.header)?;
    for (i, (k, v)) in rows.iter().enumerate() {
        ws.write_string_with_format(i as u32 + 1, 0, *k, &f.bold)?;
        ws.write_string(i as u32 + 1, 1, v)?;
    }
    print_setup(&mut ws, 0)?;
    ws.set_autofit_max_width(220);
    ws.autofit();
    Ok(ws)
}
