//! The spot-check workbook, made for a phone call or a visit: one block per
//! person picked (name, Person ID, why picked, the provider's weekly hours
//! and total) with blank, validated cells for what the person or their
//! representative says, who was spoken to, when, and notes. A very hidden
//! sheet records what the tool needs to read it back: the submission's
//! SHA-256, the seed, and where each block is.

use chrono::NaiveDate;
use rust_xlsxwriter::{
    DataValidation, DataValidationRule, Format, FormatBorder, Workbook, Worksheet, XlsxError,
};

use super::formats::{Formats, INPUT_FILL, Sizer, WriteText, hours_value, print_blocks, print_table};
use super::phrases;
use crate::base::limits::HOURS_IN_A_WEEK;
use crate::base::text::{date, plural, printable};
use crate::engine::spot::{Anomaly, Comparison, Mismatch, Pick, Reason};
use crate::engine::{PersonResult, Reconciliation};
use crate::model::Reported;

use crate::model::spot_check::{INPUT_COL, META, SCHEMA, SHEET};

/// Why a person was picked, for people to read.
pub fn reason(r: &Reason) -> String {
    match r {
        Reason::Referred => "referred: outside the tolerance".into(),
        Reason::BankLimit { first_week } => {
            format!("the bank went beyond the limit in week {first_week}")
        }
        Reason::ChangeInNeed {
            first_week,
            last_week,
        } => format!("a possible change in need, weeks {first_week}-{last_week}"),
        Reason::LargestVariance(v) => {
            format!(
                "one of the largest variances ({} hours)",
                crate::base::text::hours(*v)
            )
        }
        Reason::Random => "chosen at random".into(),
    }
}

/// What the workbook is made from.
pub struct SpotCheck<'a> {
    pub result: &'a Reconciliation,
    pub picks: &'a [Pick],
    pub seed: u64,
    pub sha256: &'a str,
    pub made_on: NaiveDate,
}

/// Build the spot-check workbook.
///
/// # Errors
/// Only rust_xlsxwriter's own limits.
pub fn build(s: &SpotCheck<'_>) -> Result<Workbook, XlsxError> {
    let f = Formats::new();
    let input = Format::new()
        .set_background_color(INPUT_FILL)
        .set_border(FormatBorder::Thin);
    let input_hours = input.clone().set_num_format("0.00");
    let r = s.result;
    let weeks = r.period.as_ref().map_or(0, |p| p.period.weeks);
    let mut ws = Worksheet::new();
    ws.set_name(SHEET)?;
    ws.write_text_with_format(
        0,
        0,
        format!("Your Choice spot check: {}", phrases::provider(r)),
        &f.title,
    )?;
    ws.write_text(1, 0, format!("Submission {} (SHA-256 {})", r.source, s.sha256))?;
    ws.write_text(
        2,
        0,
        format!(
            "{} picked of {} with seed {} on {}: the same submission and seed always pick the same people.",
            s.picks.len(),
            r.people.len(),
            s.seed,
            date(s.made_on)
        ),
    )?;
    let hours_rule = DataValidation::new()
        .allow_decimal_number(DataValidationRule::Between(
            0.0,
            HOURS_IN_A_WEEK as f64 * f64::from(weeks.max(1)),
        ))
        .set_error_message("Enter the hours the person says they received, as a number (7.5).")?;
    let mut meta: Vec<(String, String)> = vec![
        ("schema".into(), SCHEMA.into()),
        ("source".into(), r.source.clone()),
        ("sha256".into(), s.sha256.into()),
        ("seed".into(), s.seed.to_string()),
        ("weeks".into(), weeks.to_string()),
        // The size of the sample: with the seed, what `--compare` picks
        // again to check the people listed are the sample's.
        ("sample".into(), s.picks.len().to_string()),
    ];
    // Columns as wide as the blocks' text (not the title and the lines under
    // it, which run on over empty cells); the answers' column roomy.
    let mut size = Sizer::new();
    size.line(1, "00/00/0000", false, false);
    size.fixed(INPUT_COL, ANSWER_WIDTH);
    let mut row: u32 = 4;
    let mut blocks = Vec::new();
    for pick in s.picks {
        let Some(p) = r.people.iter().find(|p| p.person_id == pick.person_id) else {
            continue;
        };
        let start = row;
        row = block(
            &mut ws,
            row,
            p,
            pick,
            r,
            &f,
            &input,
            &input_hours,
            &hours_rule,
            &mut meta,
            &mut size,
        )?;
        blocks.push((start, row));
        row += 1;
    }
    let (widths, heights) = size.apply(&mut ws)?;
    // The title repeated on every page, above whole blocks.
    print_blocks(&mut ws, &widths, &heights, (0, 0), &blocks)?;
    let mut wb = Workbook::new();
    wb.push_worksheet(ws);
    let mut hidden = Worksheet::new();
    hidden.set_name(META)?;
    let mut size = Sizer::new();
    for (i, (k, v)) in meta.iter().enumerate() {
        hidden.write_text(i as u32, 0, k)?;
        hidden.write_text(i as u32, 1, v)?;
        size.line(0, k, false, false);
        size.line(1, v, false, false);
    }
    // Very hidden, so never printed; set up as every sheet is all the same.
    let (widths, heights) = size.apply(&mut hidden)?;
    print_table(&mut hidden, &widths, &heights, (0, 0), 0)?;
    hidden.set_very_hidden(true);
    wb.push_worksheet(hidden);
    Ok(wb)
}

/// The width of the column of answers, in characters.
const ANSWER_WIDTH: f64 = 24.0;

/// The headers of a person's weeks.
const WEEK_HEADERS: [&str; 4] = [
    "Week",
    "Commencing",
    "Provider's hours",
    "Hours received (as the person says)",
];

#[allow(clippy::too_many_arguments)]
fn block(
    ws: &mut Worksheet,
    mut row: u32,
    p: &PersonResult,
    pick: &Pick,
    r: &Reconciliation,
    f: &Formats,
    input: &Format,
    input_hours: &Format,
    hours_rule: &DataValidation,
    meta: &mut Vec<(String, String)>,
    size: &mut Sizer,
) -> Result<u32, XlsxError> {
    let name = p.name.as_deref().unwrap_or("");
    ws.write_text_with_format(row, 0, &p.person_id, &f.bold)?;
    ws.write_text_with_format(row, 1, name, &f.bold)?;
    // Why, running on over the empty answers' column.
    ws.write_text(row, 2, format!("Why: {}", reason(&pick.reason)))?;
    size.line(0, &p.person_id, true, false);
    size.line(1, name, true, false);
    row += 1;
    for (c, h) in WEEK_HEADERS.iter().enumerate() {
        ws.write_text_with_format(row, c as u16, h, &f.header)?;
    }
    size.header(row, &WEEK_HEADERS);
    row += 1;
    let first_week_row = row;
    for w in &p.weeks {
        ws.write_number(row, 0, f64::from(w.week))?;
        if let Some(period) = &r.period {
            ws.write_with_format(row, 1, &period.period.week_commencing(w.week), &f.date)?;
        }
        match w.delivered {
            Some(h) if w.care => ws.write_with_format(row, 2, hours_value(h), &f.hours)?,
            _ if w.care => ws.write_text(row, 2, "")?,
            _ => {
                // Indented, clear of the date before it.
                size.line(2, "not in care", false, true);
                ws.write_text_with_format(row, 2, "not in care", &f.text)?
            }
        };
        ws.write_blank(row, INPUT_COL, input_hours)?;
        ws.add_data_validation(row, INPUT_COL, row, INPUT_COL, hours_rule)?;
        row += 1;
    }
    ws.write_text_with_format(row, 0, "Period total", &f.bold)?;
    size.line(0, "Period total", true, false);
    ws.write_with_format(row, 2, hours_value(p.delivered), &f.hours)?;
    ws.write_blank(row, INPUT_COL, input_hours)?;
    ws.add_data_validation(row, INPUT_COL, row, INPUT_COL, hours_rule)?;
    let total_row = row;
    row += 1;
    let mut labelled = |row: u32, label: &str| -> Result<(), XlsxError> {
        ws.write_text_with_format(row, 0, label, &f.bold)?;
        size.line(0, label, true, false);
        ws.write_blank(row, INPUT_COL, input)?;
        Ok(())
    };
    labelled(row, "Spoken to")?;
    labelled(row + 1, "When")?;
    labelled(row + 2, "Notes")?;
    meta.push((
        format!("person {}", p.person_id),
        format!("{first_week_row} {total_row} {}", row),
    ));
    Ok(row + 3)
}

/// Why a filled spot-check workbook (`filled`) is not used with the return
/// `r`: one line naming the file, the row of its hidden record and what to
/// do.
pub fn mismatch(filled: &str, r: &Reconciliation, m: &Mismatch) -> String {
    let source = printable(&r.source);
    let at = |row: &u32| format!("row {row} of its hidden sheet \"{META}\"");
    let remake = format!(
        "make the spot-check workbook again with `yourchoice spot-check {source} -o FILE` and copy \
         the answers across"
    );
    let edited = format!("it was edited after yourchoice wrote it: {remake}");
    let why = match m {
        Mismatch::OtherReturn {
            source: made_from,
            sha256,
        } => format!(
            "it was made from another submission ({}, SHA-256 {}), not this one: compare it with \
             the submission it was made from",
            printable(made_from),
            printable(sha256)
        ),
        Mismatch::Weeks { recorded, row } => format!(
            "its record gives the period {} ({}), not the {} of {source}: {edited}",
            plural(*recorded as usize, "week", "weeks"),
            at(row),
            plural(
                r.period.as_ref().map_or(0, |p| p.period.weeks) as usize,
                "week",
                "weeks"
            ),
        ),
        Mismatch::MorePeople { people, row } => format!(
            "it lists more people than the {people} in {source} ({} lists person number {}): \
             {edited}",
            at(row),
            people + 1
        ),
        Mismatch::SampleTooLarge { sample, people, row } => format!(
            "its record gives a sample of {sample} people ({}), more than the {people} {source} \
             holds: {edited}",
            at(row)
        ),
        Mismatch::NotInReturn { person_id, row } => format!(
            "it lists {} ({}), who is not in {source}: {edited}",
            printable(person_id),
            at(row)
        ),
        Mismatch::Twice {
            person_id,
            row,
            first_row,
        } => format!(
            "it lists {} twice (rows {first_row} and {row} of its hidden sheet \"{META}\"): {edited}",
            printable(person_id)
        ),
        Mismatch::NotPicked {
            person_id,
            row,
            seed,
            sample,
        } => format!(
            "it lists {} ({}), whom seed {seed} does not pick from {source} for a sample of \
             {sample}: it was edited after yourchoice wrote it, or the council's settings or plans \
             (which decide who is riskiest) are not those it was made with. Compare it with the \
             settings it was made with, or {remake}",
            printable(person_id),
            at(row)
        ),
        Mismatch::Missing {
            person_id,
            seed,
            sample,
        } => format!(
            "it does not list {}, whom seed {seed} picks from {source} for a sample of {sample}: \
             it was edited after yourchoice wrote it, or the council's settings or plans (which \
             decide who is riskiest) are not those it was made with. Compare it with the settings \
             it was made with, or {remake}",
            printable(person_id)
        ),
    };
    format!("cannot use {}: {why}", printable(filled))
}

/// The picks for the terminal.
pub fn render_picks(r: &Reconciliation, picks: &[Pick], seed: u64) -> String {
    let mut out = format!(
        "{}: {} picked of {} with seed {} (give --seed {} to pick the same again)\n",
        crate::base::text::printable(&r.source),
        crate::base::text::plural(picks.len(), "person", "people"),
        r.people.len(),
        seed,
        seed
    );
    for pick in picks {
        let name = r
            .people
            .iter()
            .find(|p| p.person_id == pick.person_id)
            .and_then(|p| p.name.as_deref());
        out += &format!(
            "  {}: {}\n",
            crate::base::text::printable(&crate::base::text::who(&pick.person_id, name)),
            reason(&pick.reason)
        );
    }
    out
}

#[derive(serde::Serialize)]
struct PicksDoc<'a> {
    schema: &'static str,
    source: &'a str,
    sha256: &'a str,
    seed: u64,
    people: usize,
    picks: Vec<PickJson<'a>>,
}

#[derive(serde::Serialize)]
struct PickJson<'a> {
    person_id: &'a str,
    reason: String,
    risk: bool,
}

/// The picks as one JSON document.
///
/// # Errors
/// Only if serde_json fails, which it does not for these types.
pub fn picks_json(r: &Reconciliation, picks: &[Pick], seed: u64, sha256: &str) -> serde_json::Result<String> {
    serde_json::to_string(&PicksDoc {
        schema: "yourchoice.spot-picks/1",
        source: &r.source,
        sha256,
        seed,
        people: r.people.len(),
        picks: picks
            .iter()
            .map(|p| PickJson {
                person_id: &p.person_id,
                reason: reason(&p.reason),
                risk: p.reason != Reason::Random,
            })
            .collect(),
    })
}

fn anomaly_week(a: &Anomaly) -> String {
    a.week
        .map_or_else(|| "period".to_string(), |k| format!("week {k}"))
}

/// A person's name in the submission, if it gives one.
fn name_of<'a>(r: &'a Reconciliation, id: &str) -> Option<&'a str> {
    r.people
        .iter()
        .find(|p| p.person_id == id)
        .and_then(|p| p.name.as_deref())
}

/// `P1002 Bryn Jenkins` (the ID alone without a name), for a list.
fn id_and_name(r: &Reconciliation, id: &str) -> String {
    let s = match name_of(r, id) {
        Some(n) => format!("{id} {n}"),
        None => id.to_string(),
    };
    printable(&s).into_owned()
}

/// Who in the sample answered: `6 people in the sample: 4 answered, 2 not
/// contacted (P1002 Bryn Jenkins, P1005 Eira Hughes)`.
pub fn sample_line(r: &Reconciliation, c: &Comparison) -> String {
    let mut s = format!(
        "{} in the sample: {} answered",
        plural(c.sample, "person", "people"),
        c.answered.len()
    );
    if !c.not_contacted.is_empty() {
        let names: Vec<String> = c.not_contacted.iter().map(|id| id_and_name(r, id)).collect();
        s += &format!(", {} not contacted ({})", c.not_contacted.len(), names.join(", "));
    }
    s
}

/// The line that says a filled workbook (`filled`) recorded no answers.
pub fn nothing_checked(filled: &str) -> String {
    format!(
        "No answers were recorded in {} (no hours and nobody recorded as spoken to), so nothing was \
         checked: this is not a clean spot check.",
        printable(filled)
    )
}

/// The comparison for the terminal: who answered, then the anomalies with
/// the figures side by side; or, when nobody answered, that nothing was
/// checked. `filled` names the filled workbook.
pub fn render_anomalies(r: &Reconciliation, c: &Comparison, filled: &str) -> String {
    use crate::base::text::hours;
    let mut out = format!("{}: {}", printable(&r.source), sample_line(r, c));
    if c.nothing_checked() {
        out += &format!("\n{}\n", nothing_checked(filled));
        return out;
    }
    out += &format!("; {}\n", plural(c.anomalies.len(), "anomaly", "anomalies"));
    for a in &c.anomalies {
        out += &format!(
            "  {} {}: the provider says {} hours, the person says {} ({} hours, more than the {} allowed)\n",
            printable(&a.person_id),
            anomaly_week(a),
            hours(a.provider),
            hours(a.reported),
            if a.difference.is_negative() {
                hours(a.difference)
            } else {
                format!("+{}", hours(a.difference))
            },
            hours(a.threshold)
        );
    }
    out
}

#[derive(serde::Serialize)]
struct AnomalyJson<'a> {
    person_id: &'a str,
    week: Option<u32>,
    provider_hours: String,
    reported_hours: String,
    difference_hours: String,
    threshold_hours: String,
}

/// The comparison as one JSON document: the sample, how many answered, who
/// was not contacted, and the anomalies.
///
/// # Errors
/// Only if serde_json fails, which it does not for these types.
pub fn anomalies_json(r: &Reconciliation, c: &Comparison) -> serde_json::Result<String> {
    #[derive(serde::Serialize)]
    struct Doc<'a> {
        schema: &'static str,
        source: &'a str,
        sample: usize,
        answered: usize,
        not_contacted: usize,
        not_contacted_ids: &'a [String],
        anomalies: Vec<AnomalyJson<'a>>,
    }
    serde_json::to_string(&Doc {
        schema: "yourchoice.spot-anomalies/1",
        source: &r.source,
        sample: c.sample,
        answered: c.answered.len(),
        not_contacted: c.not_contacted.len(),
        not_contacted_ids: &c.not_contacted,
        anomalies: c
            .anomalies
            .iter()
            .map(|a| AnomalyJson {
                person_id: &a.person_id,
                week: a.week,
                provider_hours: a.provider.to_spec_string(),
                reported_hours: a.reported.to_spec_string(),
                difference_hours: a.difference.to_spec_string(),
                threshold_hours: a.threshold.to_spec_string(),
            })
            .collect(),
    })
}

/// The comparison as a workbook the officer can send to the agency: the
/// anomalies, each with the person's name and the call's record (who was
/// spoken to, when, notes), and a sheet of every call in the sample,
/// answered or not contacted.
///
/// # Errors
/// Only rust_xlsxwriter's own limits.
pub fn anomalies_workbook(
    r: &Reconciliation,
    c: &Comparison,
    reported: &[Reported],
) -> Result<Workbook, XlsxError> {
    let f = Formats::new();
    let call = |id: &str| reported.iter().find(|x| x.person_id == id);
    let text = |s: Option<&String>| s.map_or_else(String::new, |s| printable(s).into_owned());
    let mut ws = Worksheet::new();
    ws.set_name("Anomalies")?;
    ws.write_text_with_format(
        0,
        0,
        format!("Spot-check anomalies: {}", phrases::provider(r)),
        &f.title,
    )?;
    ws.write_text(
        1,
        0,
        format!(
            "{}; {}",
            sample_line(r, c),
            plural(c.anomalies.len(), "anomaly", "anomalies")
        ),
    )?;
    let headers = [
        "Person ID",
        "Name",
        "Week",
        "Provider's hours",
        "Hours the person reports",
        "Difference",
        "Allowed",
        "Spoken to",
        "When",
        "Notes",
    ];
    super::formats::table_header(&mut ws, 2, &headers, c.anomalies.len() as u32 + 2, &f)?;
    for (i, a) in c.anomalies.iter().enumerate() {
        let row = i as u32 + 3;
        let said = call(&a.person_id);
        ws.write_text(row, 0, printable(&a.person_id))?;
        ws.write_text(row, 1, printable(name_of(r, &a.person_id).unwrap_or("")))?;
        ws.write_text(row, 2, anomaly_week(a))?;
        ws.write_with_format(row, 3, hours_value(a.provider), &f.hours)?;
        ws.write_with_format(row, 4, hours_value(a.reported), &f.hours)?;
        ws.write_with_format(row, 5, hours_value(a.difference), &f.hours)?;
        ws.write_with_format(row, 6, hours_value(a.threshold), &f.hours)?;
        ws.write_text(row, 7, text(said.and_then(|x| x.spoken_to.as_ref())))?;
        ws.write_text(row, 8, text(said.and_then(|x| x.when.as_ref())))?;
        ws.write_text(row, 9, text(said.and_then(|x| x.notes.as_ref())))?;
    }
    super::formats::autofit(&mut ws);
    let mut calls = Worksheet::new();
    calls.set_name("Calls")?;
    calls.write_text_with_format(0, 0, "Every person in the sample", &f.title)?;
    calls.write_text(1, 0, sample_line(r, c))?;
    let headers = [
        "Person ID",
        "Name",
        "Call",
        "Anomalies",
        "Spoken to",
        "When",
        "Notes",
    ];
    super::formats::table_header(&mut calls, 2, &headers, reported.len() as u32 + 2, &f)?;
    for (i, said) in reported.iter().enumerate() {
        let row = i as u32 + 3;
        let id = &said.person_id;
        let contacted = c.answered.contains(id);
        calls.write_text(row, 0, printable(id))?;
        calls.write_text(row, 1, printable(name_of(r, id).unwrap_or("")))?;
        calls.write_text(row, 2, if contacted { "answered" } else { "not contacted" })?;
        if contacted {
            let n = c.anomalies.iter().filter(|a| &a.person_id == id).count();
            calls.write_number(row, 3, n as f64)?;
        } else {
            calls.write_text(row, 3, "not checked")?;
        }
        calls.write_text(row, 4, text(said.spoken_to.as_ref()))?;
        calls.write_text(row, 5, text(said.when.as_ref()))?;
        calls.write_text(row, 6, text(said.notes.as_ref()))?;
    }
    super::formats::autofit(&mut calls);
    let mut wb = Workbook::new();
    wb.push_worksheet(ws);
    wb.push_worksheet(calls);
    Ok(wb)
}
