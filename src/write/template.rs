//! `yourchoice template`: a blank council format-1 workbook (SPEC 7) for
//! one provider and period, ready for the provider to type the hours.
//!
//! Layout of the Hours sheet: row 1 a title, row 2 each week's commencing
//! date above its column, row 3 the header row (`Person ID`, ..., `Week 1`
//! ... `Week N`, `Total`, `Notes`), then one row per person. The dates sit
//! above the header, not below it, because every row below the header is a
//! person's row.

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    Color, ConditionalFormatFormula, DataValidation, DataValidationRule, Format, FormatAlign, Formula, Note,
    Workbook, Worksheet, XlsxError,
};

use super::formats::{
    BOLD, DATE_FORMAT, Formats, HOURS_FORMAT, INPUT_FILL, MONEY_FORMAT, Sizer, WidePrint, bold_pixels,
    fit_row, lines_height, print_table, text_pixels, title_on_every_page, width_for, wrapped_lines,
};
use crate::base::limits::HOURS_IN_A_WEEK;
use crate::base::text::plural;
use crate::base::text::{date as dmy, percent, weekday};
use crate::base::units::Hours;
use crate::engine::visits::Fill;
use crate::model::findings::column_letters;
use crate::model::settings::Settings;
use crate::model::visits::Visit;
use crate::model::{Column, DetailLabel, TemplateRequest, week_header};

/// Rows left ready (validation, Total formula) below the listed people, for
/// people the council did not list.
const SPARE_ROWS: u32 = 20;

const HEADER_ROW: u32 = 2;

/// The 0-based row of the first person listed (the people file's line 2).
pub const FIRST_PERSON_ROW: u32 = HEADER_ROW + 1;

/// The Hours cell (`Hours!E4`) of the `i`-th listed person's week `k`.
pub fn week_cell(i: usize, k: u32) -> String {
    format!(
        "Hours!{}{}",
        column_letters(u32::from(Column::BEFORE_WEEKS.len() as u16) + k - 1),
        FIRST_PERSON_ROW as usize + i + 1
    )
}

/// The 0-based column of a named column before the weeks.
fn col(c: Column) -> u16 {
    Column::BEFORE_WEEKS.iter().position(|x| *x == c).unwrap_or(0) as u16
}

/// The 0-based row of a Details label.
fn label_row(l: DetailLabel) -> u32 {
    DetailLabel::ALL.iter().position(|x| *x == l).unwrap_or(0) as u32
}

/// Build the template workbook for `request`, with the wording of the
/// settings in force and the submission due date.
///
/// # Errors
/// Only rust_xlsxwriter's own limits.
pub fn build(request: &TemplateRequest, settings: &Settings, due: NaiveDate) -> Result<Workbook, XlsxError> {
    build_filled(request, settings, due, None)
}

/// [`build`], with each listed person's weeks filled from their visits
/// (`yourchoice fill`: `fill.weeks[i]` is `request.people[i]`'s, and
/// `fill.visits[j]` what became of `visits[j]`), each figure carrying a
/// note of the visits behind it, and a Visits sheet listing every visit
/// and what became of it.
///
/// # Errors
/// Only rust_xlsxwriter's own limits.
pub fn build_filled(
    request: &TemplateRequest,
    settings: &Settings,
    due: NaiveDate,
    filled: Option<(&Fill, &[Visit])>,
) -> Result<Workbook, XlsxError> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    let fill = filled.map(|(fill, _)| fill);
    wb.push_worksheet(instructions(request, settings, due)?);
    wb.push_worksheet(details(request, settings, due, &f)?);
    wb.push_worksheet(hours(request, &f, fill)?);
    if let Some((fill, visits)) = filled {
        // A year's visits can be a million rows: streamed to disk as
        // written, so memory stays flat. Its XML (some 540 bytes a visit)
        // is most of the package: deflate level 2 compresses it some 4
        // times faster than the default 6, for a file some 1.3 times the
        // size. Not level 1: a million visits would be some 92 MB, too
        // near the 100 MiB `check` reads.
        wb.set_zip_compression_level(2);
        let ws = wb.new_worksheet_with_constant_memory()?;
        wb.push_worksheet(super::visits::sheet(
            ws,
            &request.people,
            visits,
            fill,
            &f,
            week_cell,
        )?);
    }
    Ok(wb)
}

fn details(
    spec: &TemplateRequest,
    settings: &Settings,
    due: NaiveDate,
    f: &Formats,
) -> Result<Worksheet, XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name("Details")?;
    let input = Format::new().set_background_color(INPUT_FILL);
    for label in DetailLabel::ALL {
        ws.write_string_with_format(label_row(label), 0, label.text(), &f.bold)?;
    }
    ws.write_string(label_row(DetailLabel::ProviderName), 1, &spec.provider_name)?;
    ws.write_string(
        label_row(DetailLabel::ProviderReference),
        1,
        &spec.provider_reference,
    )?;
    ws.write_with_format(
        label_row(DetailLabel::PeriodStart),
        1,
        &spec.period.start,
        &f.date,
    )?;
    let rate = label_row(DetailLabel::Rate);
    match spec.rate {
        Some(r) => ws.write_with_format(rate, 1, r, &f.money)?,
        None => ws.write_blank(rate, 1, &input)?,
    };
    let new_rate = label_row(DetailLabel::NewRate);
    let new_rate_from = label_row(DetailLabel::NewRateFrom);
    let submission_date = label_row(DetailLabel::SubmissionDate);
    ws.write_blank(new_rate, 1, &input.clone().set_num_format(MONEY_FORMAT))?;
    ws.write_blank(new_rate_from, 1, &input.clone().set_num_format(DATE_FORMAT))?;
    ws.write_blank(label_row(DetailLabel::SubmittedBy), 1, &input)?;
    ws.write_blank(submission_date, 1, &input.clone().set_num_format(DATE_FORMAT))?;
    ws.write_string(new_rate, 2, "Only if the rate changed during the period")?;
    ws.write_string(
        new_rate_from,
        2,
        format!("The {} the new rate applies from", weekday(settings.week_start)),
    )?;
    ws.write_string(submission_date, 2, format!("Due by {}", dmy(due)))?;
    // Sized for a wider fallback font: one portrait page.
    let mut size = Sizer::new();
    for label in DetailLabel::ALL {
        size.line(0, label.text(), true, false);
    }
    for text in [
        spec.provider_name.as_str(),
        spec.provider_reference.as_str(),
        "00/00/0000",
        "£000.00",
    ] {
        size.line(1, text, false, false);
    }
    size.line(1, "A name to type", false, false);
    for text in [
        "Only if the rate changed during the period".to_string(),
        format!("The {} the new rate applies from", weekday(settings.week_start)),
        format!("Due by {}", dmy(due)),
    ] {
        size.line(2, &text, false, false);
    }
    let (widths, heights) = size.apply(&mut ws)?;
    print_table(&mut ws, &widths, &heights, (0, 0), 0)?;
    Ok(ws)
}

/// The fills of the Hours sheet's marks as the provider types (conditional
/// formats), each explained by the legend on the Instructions sheet.
const MISSING_FILL: u32 = 0xFF_9E_9E;
const OVER_BUNDLE_FILL: u32 = 0xF4_B0_84;
const TOTAL_FILL: u32 = 0xC9_B6_E4;
const OUTSIDE_FILL: u32 = 0xD9_D9_D9;

/// The Total's number format: two decimals, nothing shown for 0.
const TOTAL_FORMAT: &str = "0.00;-0.00;;@";

/// A week is marked as unusual above this many times the row's bundle (the
/// engine's `week-over-3x-bundle`).
const UNUSUAL_MULTIPLE: u32 = 3;

/// Where the Hours sheet's columns and person rows are.
struct HoursGrid {
    first_week: u16,
    last_week: u16,
    total_col: u16,
    notes_col: u16,
    first_row: u32,
    /// The last prepared row: the listed people and the [`SPARE_ROWS`].
    last_row: u32,
}

impl HoursGrid {
    /// The grid for `spec`'s period and people.
    fn of(spec: &TemplateRequest) -> HoursGrid {
        let first_week = Column::BEFORE_WEEKS.len() as u16;
        let last_week = first_week + spec.period.weeks as u16 - 1;
        let total_col = last_week + 1;
        let first_row = FIRST_PERSON_ROW;
        HoursGrid {
            first_week,
            last_week,
            total_col,
            notes_col: total_col + 1,
            first_row,
            last_row: first_row + spec.people.len() as u32 + SPARE_ROWS - 1,
        }
    }

    /// The column of week `k` (from 1).
    fn week_col(&self, k: u32) -> u16 {
        self.first_week + (k - 1) as u16
    }
}

/// An A1 reference: `col`, `row` 0-based.
fn cell_ref(col: u16, row: u32) -> String {
    format!("{}{}", column_letters(col.into()), row + 1)
}

/// The Hours sheet: heading, people, Totals, validations, marks, print.
fn hours(spec: &TemplateRequest, f: &Formats, fill: Option<&Fill>) -> Result<Worksheet, XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name("Hours")?;
    let grid = HoursGrid::of(spec);
    hours_heading(&mut ws, spec, &grid, f)?;
    people_rows(&mut ws, spec, &grid, f, fill)?;
    totals_and_notes(&mut ws, spec, &grid, f, fill)?;
    validations(&mut ws, &grid)?;
    marks(
        &mut ws,
        grid.first_row,
        grid.last_row,
        grid.first_week,
        grid.last_week,
    )?;
    ws.set_freeze_panes(grid.first_row, col(Column::Bundle))?;
    hours_print(&mut ws, spec, &grid)?;
    Ok(ws)
}

/// The title in row 1, each week's commencing date in row 2 and the header
/// row.
fn hours_heading(
    ws: &mut Worksheet,
    spec: &TemplateRequest,
    grid: &HoursGrid,
    f: &Formats,
) -> Result<(), XlsxError> {
    let weeks = spec.period.weeks;
    let header = f.header.clone().set_align(FormatAlign::Center);
    let wc = Format::new()
        .set_num_format(format!("\"w/c\" {DATE_FORMAT}"))
        .set_align(FormatAlign::Center)
        .set_font_size(9);
    ws.write_string_with_format(
        0,
        0,
        hours_title(spec),
        &Format::new().set_bold().set_font_size(13),
    )?;
    for c in Column::BEFORE_WEEKS {
        ws.write_string_with_format(HEADER_ROW, col(c), c.text(), &header)?;
    }
    for k in 1..=weeks {
        let col = grid.week_col(k);
        ws.write_with_format(HEADER_ROW - 1, col, &spec.period.week_commencing(k), &wc)?;
        ws.write_string_with_format(HEADER_ROW, col, week_header(k), &header)?;
    }
    ws.write_string_with_format(HEADER_ROW, grid.total_col, Column::Total.text(), &header)?;
    ws.write_string_with_format(HEADER_ROW, grid.notes_col, Column::Notes.text(), &header)?;
    Ok(())
}

/// A row per listed person: their details, then each week yellow to fill in
/// or grey outside their care dates.
fn people_rows(
    ws: &mut Worksheet,
    spec: &TemplateRequest,
    grid: &HoursGrid,
    f: &Formats,
    fill: Option<&Fill>,
) -> Result<(), XlsxError> {
    let outside = Format::new().set_background_color(Color::RGB(OUTSIDE_FILL));
    let to_fill = Format::new()
        .set_background_color(INPUT_FILL)
        .set_num_format(HOURS_FORMAT);
    for (i, p) in spec.people.iter().enumerate() {
        let row = grid.first_row + i as u32;
        ws.write_string(row, col(Column::PersonId), &p.person_id)?;
        if let Some(name) = &p.name {
            ws.write_string(row, col(Column::Name), name)?;
        }
        ws.write_with_format(row, col(Column::Bundle), p.bundle.as_hours(), &f.hours)?;
        if let Some(c) = p.charge {
            ws.write_with_format(row, col(Column::Charge), c, &f.money)?;
        }
        if let Some(d) = &p.care_start {
            ws.write_with_format(row, col(Column::CareStart), d, &f.date)?;
        }
        if let Some(d) = &p.care_end {
            ws.write_with_format(row, col(Column::CareEnd), d, &f.date)?;
        }
        for k in 1..=spec.period.weeks {
            let in_care = spec.period.is_care_week(k, p.care_start, p.care_end);
            let filled = fill.and_then(|fl| fl.weeks.get(i)?.get(k as usize - 1).copied().flatten());
            match filled {
                Some(w) if in_care => {
                    ws.write_with_format(row, grid.week_col(k), w.hours.as_hours(), &to_fill)?;
                    ws.insert_note(
                        row,
                        grid.week_col(k),
                        &Note::new(format!(
                            "{}: {} hours (Visits sheet)",
                            plural(w.visits as usize, "visit", "visits"),
                            w.hours
                        ))
                        .set_author("yourchoice fill"),
                    )?;
                }
                _ => {
                    ws.write_blank(row, grid.week_col(k), if in_care { &to_fill } else { &outside })?;
                }
            }
        }
    }
    Ok(())
}

/// Each prepared row's Total formula and wrapping Notes cell.
fn totals_and_notes(
    ws: &mut Worksheet,
    spec: &TemplateRequest,
    grid: &HoursGrid,
    f: &Formats,
    fill: Option<&Fill>,
) -> Result<(), XlsxError> {
    let notes = f.text_wrap.clone();
    // The Total: a plain SUM, shown blank while it is 0 (the third section
    // of the number format) and with two decimals once any week has hours
    // (a conditional format, in `marks`). Not `IF(...,"",SUM(...))`: a
    // spreadsheet saves that empty text as an empty cached value, which
    // `check` reads as a formula never calculated; the cached 0 of a SUM is
    // what it reads as an unused row.
    let total = f.hours.clone().set_num_format(TOTAL_FORMAT);
    for row in grid.first_row..=grid.last_row {
        let range = format!(
            "{}:{}",
            cell_ref(grid.first_week, row),
            cell_ref(grid.last_week, row)
        );
        // A filled row's Total carries its result, so a reader that does
        // not recalculate (and `check`) sees the sum, not 0.
        let sum: Option<Hours> = fill
            .and_then(|fl| fl.weeks.get((row - grid.first_row) as usize))
            .map(|weeks| weeks.iter().flatten().map(|w| w.hours).sum());
        let formula = match sum {
            Some(h) => {
                Formula::new(format!("=SUM({range})")).set_result(h.as_hours().normalize().to_string())
            }
            None => Formula::new(format!("=SUM({range})")),
        };
        ws.write_formula_with_format(row, grid.total_col, formula, &total)?;
        // What the blank's Notes held (a return `fill` wrote keeps them).
        match spec
            .people
            .get((row - grid.first_row) as usize)
            .and_then(|p| p.notes.as_deref())
        {
            Some(text) => ws.write_string_with_format(row, grid.notes_col, text, &notes)?,
            None => ws.write_blank(row, grid.notes_col, &notes)?,
        };
    }
    Ok(())
}

/// The data validations of the weeks' hours and of the bundle.
fn validations(ws: &mut Worksheet, grid: &HoursGrid) -> Result<(), XlsxError> {
    let (first_row, last_row) = (grid.first_row, grid.last_row);
    let validation = DataValidation::new()
        .allow_decimal_number(DataValidationRule::Between(0.0, HOURS_IN_A_WEEK as f64))
        .set_input_title("Hours delivered")?
        .set_input_message(
            "Hours of care delivered this week: a number (7.5) or h:mm (7:30). Enter 0 if no care was provided; leave blank only for weeks outside the person's care dates.",
        )?
        .set_error_title("Not a number of hours")?
        .set_error_message(format!(
            "Enter the hours delivered this week as a number from 0 to {HOURS_IN_A_WEEK} (e.g. 7.5) or as h:mm (7:30). Enter 0 if no care was provided."
        ))?;
    ws.add_data_validation(first_row, grid.first_week, last_row, grid.last_week, &validation)?;
    // The same limit as `limits::bundle`: more than 0, at most a week.
    let bundle_col = col(Column::Bundle);
    let bundle_cell = cell_ref(bundle_col, first_row);
    let bundle_validation = DataValidation::new()
        .allow_custom(Formula::new(format!(
            "=AND(ISNUMBER({bundle_cell}),{bundle_cell}>0,{bundle_cell}<={HOURS_IN_A_WEEK})"
        )))
        .set_error_title("Not a bundle")?
        .set_error_message(format!(
            "The weekly bundle is the hours commissioned each week: a number more than 0 and at most {HOURS_IN_A_WEEK}."
        ))?;
    ws.add_data_validation(first_row, bundle_col, last_row, bundle_col, &bundle_validation)?;
    Ok(())
}

/// The column widths, the header row's height and the print set-up.
fn hours_print(ws: &mut Worksheet, spec: &TemplateRequest, grid: &HoursGrid) -> Result<(), XlsxError> {
    let widths = hours_widths(spec, grid.notes_col);
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    let header_lines = Column::BEFORE_WEEKS
        .iter()
        .map(|c| wrapped_lines(c.text(), widths[col(*c) as usize] / BOLD, false))
        .max()
        .unwrap_or(1);
    fit_row(ws, HEADER_ROW, header_lines)?;
    let mut heights = vec![15.0; grid.last_row as usize + 1];
    heights[HEADER_ROW as usize] = lines_height(header_lines);
    WidePrint {
        widths: &widths,
        heights: &heights,
        rows: (HEADER_ROW - 1, HEADER_ROW),
        repeat_cols: 2,
        break_before: &[],
    }
    .apply(ws)?;
    // The title in row 1 would be cut at the repeated columns on a page of
    // later weeks: on paper it is every page's header instead, whole.
    title_on_every_page(
        ws,
        &hours_title(spec),
        (HEADER_ROW - 1, grid.last_row),
        grid.notes_col,
    )?;
    Ok(())
}

/// The Hours sheet's title: who, and which weeks.
fn hours_title(spec: &TemplateRequest) -> String {
    format!(
        "Your Choice return: {} ({}), {} weeks from {}",
        spec.provider_name,
        spec.provider_reference,
        spec.period.weeks,
        dmy(spec.period.start)
    )
}

/// The marks the sheet makes as the provider types (conditional formats, so
/// they work in Excel and LibreOffice without the tool): a care week left
/// blank once the row has any hours, a week over 3x the row's bundle, and a
/// Total typed over with a figure that is not the sum of the weeks.
fn marks(
    ws: &mut Worksheet,
    first_row: u32,
    last_row: u32,
    first_week: u16,
    last_week: u16,
) -> Result<(), XlsxError> {
    let letter = |col: u16| column_letters(col.into());
    let row = first_row + 1;
    let (first, last) = (letter(first_week), letter(last_week));
    let week = format!("{first}{row}");
    let weeks = format!("${first}{row}:${last}{row}");
    // Each week's commencing date, in the row above the header.
    let wc = format!("{first}${}", HEADER_ROW - 1 + 1);
    let start = format!("${}{row}", letter(col(Column::CareStart)));
    let end = format!("${}{row}", letter(col(Column::CareEnd)));
    let bundle = format!("${}{row}", letter(col(Column::Bundle)));
    let total = format!("${}{row}", letter(last_week + 1));
    let fill = |rgb: u32| Format::new().set_background_color(Color::RGB(rgb));
    // In the care dates: the week ends on or after the care start and
    // starts on or before the care end.
    let missing = format!(
        "=AND(ISBLANK({week}),COUNT({weeks})>0,OR({start}=\"\",{wc}+6>={start}),OR({end}=\"\",{wc}<={end}))"
    );
    let over =
        format!("=AND(ISNUMBER({week}),ISNUMBER({bundle}),{bundle}>0,{week}>{UNUSUAL_MULTIPLE}*{bundle})");
    for (rule, rgb) in [(missing, MISSING_FILL), (over, OVER_BUNDLE_FILL)] {
        ws.add_conditional_format(
            first_row,
            first_week,
            last_row,
            last_week,
            &ConditionalFormatFormula::new()
                .set_rule(rule.as_str())
                .set_format(fill(rgb)),
        )?;
    }
    // The engine's slack: half a hundredth of an hour. First, as
    // LibreOffice applies only the first rule that holds.
    let typed_over = format!("=AND(ISNUMBER({total}),ABS({total}-SUM({weeks}))>0.005)");
    let entered = format!("=COUNT({weeks})>0");
    for (rule, format) in [
        (typed_over, fill(TOTAL_FILL)),
        (entered, Format::new().set_num_format(HOURS_FORMAT)),
    ] {
        ws.add_conditional_format(
            first_row,
            last_week + 1,
            last_row,
            last_week + 1,
            &ConditionalFormatFormula::new()
                .set_rule(rule.as_str())
                .set_format(format),
        )?;
    }
    Ok(())
}

/// The Hours sheet's column widths, in characters: each fits its content
/// (the title in row 1 aside), headers wrapping.
fn hours_widths(spec: &TemplateRequest, notes_col: u16) -> Vec<f64> {
    let widest = |texts: &mut dyn Iterator<Item = &str>| texts.map(text_pixels).max().unwrap_or(0);
    let id = width_for(
        widest(&mut spec.people.iter().map(|p| p.person_id.as_str())),
        false,
    );
    let name = width_for(
        widest(&mut spec.people.iter().filter_map(|p| p.name.as_deref())),
        false,
    );
    let mut widths = vec![
        id.clamp(12.0, 24.0),
        name.clamp(22.0, 40.0),
        9.0,  // Weekly bundle
        10.0, // Assessed weekly charge
        11.0, // Care start
        11.0, // Care end
    ];
    // Each week: its commencing date, "w/c 06/04/2026" in 9 point.
    widths.resize(usize::from(notes_col) - 1, 11.0);
    widths.push(9.0); // Total
    widths.push(40.0); // Notes
    // Each header's widest word fits on a line in bold, in a wider font.
    let headers = Column::BEFORE_WEEKS
        .iter()
        .chain([&Column::Total, &Column::Notes]);
    let at = (0..Column::BEFORE_WEEKS.len()).chain([widths.len() - 2, widths.len() - 1]);
    for (c, header) in at.zip(headers) {
        let word = header
            .text()
            .split_whitespace()
            .map(bold_pixels)
            .max()
            .unwrap_or(0);
        widths[c] = widths[c].max(width_for(word, false));
    }
    widths
}

fn instructions(spec: &TemplateRequest, settings: &Settings, due: NaiveDate) -> Result<Worksheet, XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name("Instructions")?;
    let tolerance = percent(settings.tolerance);
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let lines = [
        format!(
            "Your Choice {}-week return for {} ({})",
            spec.period.weeks, spec.provider_name, spec.provider_reference
        ),
        String::new(),
        format!(
            "Period: {} weeks from {} {} to {} {}. Please submit this workbook by {} ({} days after the period ends).",
            spec.period.weeks,
            weekday(spec.period.start.weekday()),
            dmy(spec.period.start),
            weekday(spec.period.end().weekday()),
            dmy(spec.period.end()),
            dmy(due),
            settings.submission_days,
        ),
        String::new(),
        "1. On the Hours sheet, enter the hours of care actually delivered to each person in each week, in the yellow cells.".into(),
        "2. Hours can be typed as a number (7.5) or as hours and minutes (7:30). Both are read exactly.".into(),
        "3. If no care was provided in a week (for example the person was in hospital), enter 0. Do not leave it blank: a blank week in the person's care dates is treated as a missing figure and the return cannot be reconciled.".into(),
        "4. Grey cells are outside the person's care dates: leave them blank.".into(),
        "5. If someone's bundle changed after a review, give them a second row with the same Person ID: put a Care end date on the first row and a Care start date on the second, so that each week is on one row only.".into(),
        "6. If someone started or stopped receiving care during the period, enter the Care start or Care end date.".into(),
        format!(
            "7. The Your Choice rule: hours can be banked or used early, but over the {} weeks the total delivered should stay within {}% of the total commissioned (the bundle times the number of weeks with care). People outside it are referred to their social worker for a review.",
            spec.period.weeks, tolerance
        ),
        format!(
            "8. If the blended hourly rate changed during the period, fill in the new rate and the {} it applies from on the Details sheet.",
            weekday(settings.week_start)
        ),
        "9. The Total column adds itself up; use the Notes column to explain anything unusual (for example a week well over the bundle).".into(),
        "10. Before sending, check the workbook with: yourchoice check <this file>. It lists every cell to fix and how.".into(),
        "11. During the period, see where each person's bank stands with: yourchoice monitor <this file>. It says how many hours a week above or below the bundle bring each person back within the tolerance, and which changes in need to report now. Without the tool, the colours of the Hours sheet (see the legend below) show the same mistakes as you type.".into(),
    ];
    ws.set_column_width(0, INSTRUCTIONS_WIDTH)?;
    for (i, line) in lines.iter().enumerate() {
        let row = i as u32;
        if i == 0 {
            ws.write_string_with_format(row, 0, line, &Format::new().set_bold().set_font_size(14))?;
            ws.set_row_height(row, 21)?;
        } else {
            ws.write_string_with_format(row, 0, line, &wrap)?;
            fit_row(&mut ws, row, wrapped_lines(line, INSTRUCTIONS_WIDTH, false))?;
        }
    }
    // The legend: each line filled with the colour it explains.
    let mut row = lines.len() as u32 + 1;
    ws.write_string_with_format(
        row,
        0,
        "The colours on the Hours sheet",
        &Format::new().set_bold(),
    )?;
    for (fill, text) in legend() {
        row += 1;
        let format = wrap
            .clone()
            .set_background_color(fill)
            .set_align(FormatAlign::Left)
            .set_indent(1)
            .set_border_bottom(rust_xlsxwriter::FormatBorder::Thin)
            .set_border_bottom_color(Color::White);
        ws.write_string_with_format(row, 0, &text, &format)?;
        fit_row(&mut ws, row, wrapped_lines(&text, INSTRUCTIONS_WIDTH, true))?;
    }
    // One portrait page: the column fits it at 100% in a fallback font.
    print_table(&mut ws, &[INSTRUCTIONS_WIDTH], &[], (0, 0), 0)?;
    Ok(ws)
}

/// The width of the Instructions column, in characters: as wide as A4
/// portrait holds at 100% within its margins in a fallback font 4/3 as
/// wide as Calibri (`printed_pixels`), about 74; Excel prints it at 100%
/// too, a quarter of the page to spare.
const INSTRUCTIONS_WIDTH: f64 = 72.0;

/// The legend of the Hours sheet's colours: the fill and what it means.
fn legend() -> [(Color, String); 5] {
    [
        (
            INPUT_FILL,
            "Yellow: a week in the person's care dates. Enter the hours delivered, or 0 if no care was provided."
                .to_string(),
        ),
        (
            Color::RGB(OUTSIDE_FILL),
            "Grey: a week outside the person's care dates. Leave it blank.".to_string(),
        ),
        (
            Color::RGB(MISSING_FILL),
            "Red: a week in the person's care dates left blank while other weeks of the row have hours. Enter the hours, or 0 if no care was provided."
                .to_string(),
        ),
        (
            Color::RGB(OVER_BUNDLE_FILL),
            format!(
                "Orange: more than {UNUSUAL_MULTIPLE} times the person's weekly bundle. Check the figure; if it is right, say why in the Notes column."
            ),
        ),
        (
            Color::RGB(TOTAL_FILL),
            "Purple: a Total typed over with a figure that is not the sum of the weeks. Delete it: the Total adds itself up."
                .to_string(),
        ),
    ]
}
