//! A row of the `Hours` sheet: one person's (or bundle's) figures, or the
//! Totals row, each cell judged and any problem a finding.

use calamine::Data;
use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::Columns;
use crate::base::limits::{self, HOURS_IN_A_WEEK, HoursProblem, MoneyProblem};
use crate::base::text;
use crate::base::units::Hours;
use crate::model::findings::{Code, Finding, Findings, Location, Sheet};
use crate::model::{Located, PersonRow, TotalsRow, WeekCell};
use crate::read::cell::{self, Cell, Judged, judge};
use crate::read::grid::{Grid, Value};

/// Read one person's row: `person_id` is its Person ID, already read.
pub(super) fn read_person_row(
    grid: &Grid,
    row: u32,
    person_id: String,
    cols: &Columns,
    unchecked: &mut Vec<Location>,
    findings: &mut Findings,
) -> PersonRow {
    let name = cols.name.and_then(|c| {
        text_cell(
            grid,
            row,
            c,
            &format!("The name of {person_id}"),
            &person_id,
            findings,
        )
    });
    let who = text::who(&person_id, name.as_deref());
    let cells = PersonCells {
        grid,
        row,
        person_id: &person_id,
        who: &who,
    };
    let bundle = cols.bundle.and_then(|c| cells.bundle(c, findings));
    let charge = cols.charge.and_then(|c| cells.charge(c, findings));
    let care_start = cells.date(cols.care_start, "care start", findings);
    let care_end = cells.date(cols.care_end, "care end", findings);
    let weeks = cells.weeks(&cols.weeks, findings);
    if let Some(warning) = cells.hmm(&weeks) {
        findings.push(warning);
    }
    let total = cols.total.and_then(|c| {
        // A Total saved without its result: not checked, and said so once
        // for the whole sheet.
        if *grid.get(row, c) == Value::Uncalculated {
            unchecked.push(cells.loc(c));
            return None;
        }
        cells.total(c, findings)
    });
    let notes = cols
        .notes
        .and_then(|c| text_cell(grid, row, c, &format!("The notes of {who}"), &person_id, findings));

    PersonRow {
        row,
        person_id,
        name,
        bundle,
        charge,
        care_start,
        care_end,
        weeks,
        total,
        notes,
    }
}

/// The cells of one person's row, and whom the findings about them name.
struct PersonCells<'a> {
    grid: &'a Grid,
    row: u32,
    person_id: &'a str,
    /// The person as findings name them: ID and name.
    who: &'a str,
}

impl PersonCells<'_> {
    /// The cell of this row in column `col`.
    fn loc(&self, col: u32) -> Location {
        Location::cell(Sheet::Hours, self.row, col)
    }

    /// The weekly bundle in column `c`: blank is a finding too.
    fn bundle(&self, c: u32, findings: &mut Findings) -> Option<Located<Hours>> {
        let (grid, row, who) = (self.grid, self.row, self.who);
        let id = Some(self.person_id);
        let l = self.loc(c);
        let what = format!("The weekly bundle of {who}");
        let check = |h: &Hours| {
            limits::bundle(*h).err().map(|why| match why {
                HoursProblem::Negative => Finding::new(Code::Negative, format!("{what} in {l} is {h} hours, which is negative. Enter the bundle as commissioned on the care plan, e.g. 10.")),
                HoursProblem::Zero => Finding::new(Code::ZeroBundle, format!("{what} in {l} is 0. Every person has a bundle of more than 0 hours: enter the bundle as commissioned on the care plan, or delete the row if the person had no package this period.")),
                HoursProblem::OverWeek => Finding::new(Code::HoursOverWeek, format!("{what} is {} hours, more than the {HOURS_IN_A_WEEK} hours in a week. Enter the weekly hours commissioned on the care plan, e.g. 10 or 7:30.", text::hours(*h))),
            })
        };
        let wrong = |found: &str| {
            Finding::new(
                Code::BadNumber,
                format!(
                    "{what} in {l} is {found}, which is not a number of hours. Enter the weekly hours as a number (10, 7.5) or as h:mm (7:30)."
                ),
            )
        };
        match judge(
            cell::read(grid.get(row, c), cell::hours),
            l,
            &what,
            id,
            check,
            wrong,
            findings,
        ) {
            Judged::Value(h) => Some(Located::new(h, l)),
            Judged::Blank => {
                findings.push(Finding::new(
                    Code::BadNumber,
                    format!("{what} in {l} is blank. Enter the weekly hours commissioned on the care plan, e.g. 10 or 7:30."),
                )
                .at(l)
                .person(self.person_id));
                None
            }
            Judged::Reported => None,
        }
    }

    /// The assessed weekly charge in column `c`, if given.
    fn charge(&self, c: u32, findings: &mut Findings) -> Option<Located<Decimal>> {
        let (grid, row, who) = (self.grid, self.row, self.who);
        let id = Some(self.person_id);
        let l = self.loc(c);
        let what = format!("The assessed weekly charge of {who}");
        let check = |v: &Decimal| {
            limits::charge(*v).err().map(|why| match why {
                MoneyProblem::Negative => Finding::new(Code::Negative, format!("{what} in {l} is {v}, which is negative. Enter the charge in £ per week from the financial assessment, 0 if none, or leave it blank if the person is not charged.")),
                // `charge` refuses only negative and too large amounts.
                MoneyProblem::Zero | MoneyProblem::TooLarge => Finding::new(Code::BadNumber, format!("{what} is {v}, far more than any weekly charge. Enter it in £ per week, e.g. 35.50.")),
            })
        };
        let wrong = |found: &str| {
            Finding::new(
                Code::BadNumber,
                format!(
                    "{what} in {l} is {found}, which is not an amount of money. Enter it in £ per week as a number, e.g. 35.50, or leave it blank."
                ),
            )
        };
        judge(
            cell::read(grid.get(row, c), cell::number),
            l,
            &what,
            id,
            check,
            wrong,
            findings,
        )
        .map(|v| Located::new(v, l))
        .value()
    }

    /// The care start or end date (`field`) in column `col`, if there is
    /// one and it is given.
    fn date(&self, col: Option<u32>, field: &str, findings: &mut Findings) -> Option<Located<NaiveDate>> {
        let c = col?;
        let l = self.loc(c);
        let who = self.who;
        let what = format!("The {field} of {who}");
        let wrong = |found: &str| {
            Finding::new(
                Code::BadDate,
                format!(
                    "{what} in {l} is {found}, which is not a date. Enter it as dd/mm/yyyy (e.g. 06/04/2026), or leave it blank if care did not start or end during the period."
                ),
            )
        };
        judge(
            cell::read(self.grid.get(self.row, c), cell::date_of(self.grid)),
            l,
            &what,
            Some(self.person_id),
            |_| None,
            wrong,
            findings,
        )
        .map(|d| Located::new(d, l))
        .value()
    }

    /// The hours of each week, in the week columns `cols`.
    fn weeks(&self, cols: &[Option<u32>], findings: &mut Findings) -> Vec<Located<WeekCell>> {
        cols.iter()
            .enumerate()
            .map(|(i, col)| {
                let who = self.who;
                let what = || format!("{who} week {}", i + 1);
                week_cell(
                    self.grid,
                    self.row,
                    *col,
                    &what,
                    Some(self.person_id),
                    true,
                    findings,
                )
            })
            .collect()
    }

    /// A `hours-look-like-hmm` warning when the row's weeks look like hours
    /// and minutes written with a point (`7.30` for 7 h 30 min), by the rule
    /// of [`hmm_like`]. The figures stay as they were read, decimal hours.
    fn hmm(&self, weeks: &[Located<WeekCell>]) -> Option<Finding> {
        // Only what was typed as a decimal number: a time, a duration or
        // `7:30` says itself what it is.
        let typed: Vec<(usize, Location, Hours)> = weeks
            .iter()
            .enumerate()
            .filter_map(|(i, w)| {
                let h = w.value.hours()?;
                let col = w.at.col_index()?;
                match self.grid.get(self.row, col) {
                    Value::Data(Data::Float(_)) => Some((i, w.at, h)),
                    Value::Data(Data::String(s)) if !s.contains(':') => Some((i, w.at, h)),
                    _ => None,
                }
            })
            .collect();
        let hours: Vec<Decimal> = typed.iter().map(|(_, _, h)| h.as_hours()).collect();
        let (first, count) = hmm_like(&hours)?;
        let (week, at, _) = typed[first];
        let read = hours[first];
        let whole = read.trunc().normalize();
        let hundredths = (read.fract() * Decimal::ONE_HUNDRED).normalize();
        let minutes_read = (read.fract() * Decimal::from(60)).normalize();
        let meant_decimal = whole + hundredths / Decimal::from(60);
        // 7 h 30 min is 7.5; 7 h 20 min has no short decimal.
        let or_decimal = if (meant_decimal * Decimal::ONE_HUNDRED).fract().is_zero() {
            format!(" or {}", meant_decimal.normalize())
        } else {
            String::new()
        };
        let others = match count - 1 {
            0 => String::new(),
            1 => " (and 1 other figure like it)".to_string(),
            n => format!(" (and {n} other figures like it)"),
        };
        Some(
            Finding::new(
                Code::HoursLookLikeHmm,
                format!(
                    "The hours of {who} in row {row} look like hours and minutes written with a \
                     point: week {week} in {cell} is {typed}, read as {read} hours ({whole} h \
                     {minutes_read} min){others}; if you meant {whole} h {mm} min, enter \
                     {whole}:{mm}{or_decimal}. Every hours figure with a fraction in this \
                     row ends in .01 to .59, as minutes would; the figures were read as decimal \
                     hours, as written.",
                    who = self.who,
                    row = self.row + 1,
                    week = week + 1,
                    cell = at.short(),
                    typed = crate::base::units::format_fixed(read, 2),
                    read = read.normalize(),
                    mm = format!("{:0>2}", hundredths.to_string()),
                ),
            )
            .at(Location::row(Sheet::Hours, self.row))
            .person(self.person_id),
        )
    }

    /// The row's Total in column `c`, if it is hours.
    fn total(&self, c: u32, findings: &mut Findings) -> Option<Located<Hours>> {
        let who = self.who;
        week_cell(
            self.grid,
            self.row,
            Some(c),
            &|| format!("The Total of {who}"),
            Some(self.person_id),
            false,
            findings,
        )
        .value
        .hours()
        .map(|h| Located::new(h, self.loc(c)))
    }
}

/// Whether a row's hours, each typed as a decimal number, look like h.mm:
/// hours and minutes written with a point (`7.30` for 7 h 30 min). The
/// rule: every figure with a fraction has one of exactly two decimal places
/// or fewer, from .01 to .59 (what minutes could be: `7.75` or `7.125`
/// cannot, so the row is decimal hours); and at least one of them is a
/// multiple of .05 other than .25 and .5 (`.15`, `.30`, `.45`, `.20`: the
/// minutes of a five-minute clock, which as decimal hours are odd lengths,
/// 9 or 18 or 27 minutes). A quarter or a half hour, `.25` or `.5`, is
/// common in both readings and so is evidence of neither. Negative figures
/// and whole hours are left out.
///
/// Returns the index of the first figure that is evidence, and how many
/// are.
fn hmm_like(hours: &[Decimal]) -> Option<(usize, usize)> {
    let mut first = None;
    let mut count = 0;
    for (i, h) in hours.iter().enumerate() {
        if h.is_sign_negative() || h.fract().is_zero() {
            continue;
        }
        let hundredths = h.fract() * Decimal::ONE_HUNDRED;
        if !hundredths.fract().is_zero() || hundredths >= Decimal::from(60) {
            return None;
        }
        let five = (hundredths % Decimal::from(5)).is_zero();
        if five && hundredths != Decimal::from(25) && hundredths != Decimal::from(50) {
            first.get_or_insert(i);
            count += 1;
        }
    }
    first.map(|i| (i, count))
}

/// A text cell of a person's row; a formula without its result is a
/// finding.
fn text_cell(
    grid: &Grid,
    row: u32,
    col: u32,
    what: &str,
    person_id: &str,
    findings: &mut Findings,
) -> Option<String> {
    match grid.get(row, col) {
        Value::Uncalculated => {
            findings.push(
                cell::uncalculated(what)
                    .at(Location::cell(Sheet::Hours, row, col))
                    .person(person_id),
            );
            None
        }
        Value::Data(d) => cell::text(d),
    }
}

/// Read the Totals row. A cell of it saved as a formula without its result
/// is left unchecked (blank) and its place added to `unchecked`.
pub(super) fn read_totals_row(
    grid: &Grid,
    row: u32,
    cols: &Columns,
    unchecked: &mut Vec<Location>,
    findings: &mut Findings,
) -> TotalsRow {
    let mut not_calculated = |col: Option<u32>| {
        let col = col.filter(|c| *grid.get(row, *c) == Value::Uncalculated)?;
        let at = Location::cell(Sheet::Hours, row, col);
        unchecked.push(at);
        Some(at)
    };
    let weeks = cols
        .weeks
        .iter()
        .enumerate()
        .map(|(i, col)| {
            if let Some(at) = not_calculated(*col) {
                return Located::new(WeekCell::Blank, at);
            }
            week_cell(
                grid,
                row,
                *col,
                &|| format!("The Totals row, week {}", i + 1),
                None,
                false,
                findings,
            )
        })
        .collect();
    let total = cols.total.and_then(|c| {
        if not_calculated(Some(c)).is_some() {
            return None;
        }
        week_cell(
            grid,
            row,
            Some(c),
            &|| "The Totals row's Total".to_string(),
            None,
            false,
            findings,
        )
        .value
        .hours()
        .map(|h| Located::new(h, Location::cell(Sheet::Hours, row, c)))
    });
    TotalsRow { row, weeks, total }
}

/// Read one hours cell. `one_week`: the cell is one week's hours for one
/// person, so more than 168 is impossible.
fn week_cell(
    grid: &Grid,
    row: u32,
    col: Option<u32>,
    what: &dyn Fn() -> String,
    person_id: Option<&str>,
    one_week: bool,
    findings: &mut Findings,
) -> Located<WeekCell> {
    let Some(col) = col else {
        return Located::new(WeekCell::Invalid, Location::row(Sheet::Hours, row));
    };
    let l = Location::cell(Sheet::Hours, row, col);
    // The common case, a blank or a plausible week's hours, needs no words:
    // they are written only for a finding (a return has millions of cells).
    match cell::read(grid.get(row, col), cell::hours) {
        Cell::Blank => return Located::new(WeekCell::Blank, l),
        Cell::Value(h) if limits::week_hours(h).is_ok() => return Located::new(WeekCell::Hours(h), l),
        _ => {}
    }
    let what = what();
    let what = what.as_str();
    let check = |h: &Hours| match limits::week_hours(*h) {
        Ok(_) => None,
        // Totals may be more than a week's hours.
        Err(HoursProblem::OverWeek) if !one_week => None,
        // `week_hours` refuses only negative hours and more than a week's.
        Err(HoursProblem::OverWeek | HoursProblem::Zero) => Some(Finding::new(
            Code::HoursOverWeek,
            format!(
                "{what} is {} hours, more than the {HOURS_IN_A_WEEK} hours in a week. If a date or a time of day was typed, enter the hours delivered instead, as a number (7.5) or h:mm (7:30).",
                text::hours(*h)
            ),
        )),
        Err(HoursProblem::Negative) => Some(Finding::new(
            Code::Negative,
            format!(
                "{what} is {h} hours, which is negative. Enter the hours actually delivered that week, 0 if none."
            ),
        )),
    };
    let wrong = |found: &str| {
        Finding::new(
            Code::BadHours,
            format!(
                "{what} is {found}, which is not a number of hours. Enter the hours delivered as a number (7.5) or as h:mm (7:30), 0 if no care was provided."
            ),
        )
    };
    let value = match judge(
        cell::read(grid.get(row, col), cell::hours),
        l,
        what,
        person_id,
        check,
        wrong,
        findings,
    ) {
        Judged::Blank => WeekCell::Blank,
        Judged::Value(h) => WeekCell::Hours(h),
        Judged::Reported => WeekCell::Invalid,
    };
    Located::new(value, l)
}

#[cfg(test)]
mod tests {
    use super::hmm_like;
    use rust_decimal::Decimal;

    fn d(v: &[&str]) -> Vec<Decimal> {
        v.iter().map(|s| s.parse().unwrap()).collect()
    }

    #[test]
    fn the_hmm_rule() {
        // Quarter hours written as minutes.
        assert_eq!(hmm_like(&d(&["7.3", "7.45", "10", "7.15"])), Some((0, 3)));
        // Half hours are decimal in either reading: no evidence.
        assert_eq!(hmm_like(&d(&["7.5", "7.25", "10"])), None);
        assert_eq!(hmm_like(&d(&["7.5", "7.2"])), Some((1, 1)));
        // A fraction minutes cannot be disproves it.
        assert_eq!(hmm_like(&d(&["7.3", "7.75"])), None);
        assert_eq!(hmm_like(&d(&["7.3", "7.125"])), None);
        // Evidence must be a five-minute figure; whole hours are neither.
        assert_eq!(hmm_like(&d(&["7.33", "10"])), None);
        assert_eq!(hmm_like(&d(&["-7.3"])), None);
    }
}
