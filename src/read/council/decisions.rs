//! `decisions.csv`: the monitoring officer's decisions to authorise or hold.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::csv_file::{Csv, line_error, plain_key};
use crate::base::text::DATE_FORMS;
use crate::base::units::money_text;
use crate::model::decisions_sheet::SHEET;
use crate::model::settings::{Action, Decision, person_key, reference_key};
use crate::read::cell::quoted;
use crate::read::settings_error::{Problems, SettingsError};
use crate::read::text_date;

const DECISIONS_HEADER: [&str; 5] = ["Provider reference", "Person ID", "Decision", "Reason", "Officer"];

/// `decisions.csv`: `Provider reference,Person ID,Decision,Reason,
/// Officer`, Decision `authorise` or `hold`, with a reason and an officer;
/// one decision per person and provider; optional `Period start` and
/// `Amount` (the settlement decided, which binds the decision to it).
///
/// # Errors
/// Every bad line, named: a line that cannot be read stops the run rather
/// than leaving a person undecided without a word.
pub fn read_decisions(text: &str, file: &str) -> Result<Vec<Decision>, SettingsError> {
    let mut csv = Csv::open_with(text, file, &DECISIONS_HEADER, &["Period start", "Amount"])?;
    let mut problems = Problems::new(file);
    let mut decisions: Vec<Decision> = Vec::new();
    // The lines decided for each person with each provider (by the keys
    // the engine matches on), with the period each is for.
    let mut seen: HashMap<(String, String), Vec<Decided>> = HashMap::new();
    while let Some(line) = csv.next() {
        let decision = line.and_then(|(line, f)| read_decision(file, line, &f).map(|d| (line, d)));
        let (line, decision) = match decision {
            Ok(d) => d,
            Err(e) => {
                problems.add_error(e);
                continue;
            }
        };
        // Two lines for one person that could both apply: for the same
        // period, or one of them for any period. Which would win is not
        // for the tool to guess; a decision is changed by editing its line.
        let key = (
            reference_key(&decision.provider_reference),
            person_key(&decision.person_id),
        );
        let lines = seen.entry(key).or_default();
        let when = decision.period_start;
        if let Some((_, first)) = lines
            .iter()
            .find(|(w, _)| w.is_none() || when.is_none() || *w == when)
        {
            problems.add(
                line,
                format!(
                    "a second decision for {} with {} (the first is on line {first}) that could apply to the same settlement: keep one line per person and period, and change a decision by editing its line",
                    decision.person_id, decision.provider_reference
                ),
            );
            continue;
        }
        lines.push((when, line));
        decisions.push(decision);
    }
    problems.finish()?;
    Ok(decisions)
}

/// An amount to the penny: a settlement is never shown finer, so a finer
/// Amount was not copied from one.
fn pennies(amount: rust_decimal::Decimal) -> Result<rust_decimal::Decimal, crate::base::units::MoneyText> {
    if amount.round_dp(2) == amount {
        Ok(amount)
    } else {
        Err(crate::base::units::MoneyText::FinerThanAPenny)
    }
}

/// A decision already read for a person: the period it is for (any, when
/// `None`) and its line.
type Decided = (Option<NaiveDate>, u64);

/// One line of the decisions, its fields in header order.
fn read_decision(file: &str, line: u64, f: &[String]) -> Result<Decision, SettingsError> {
    let err = |message: String| line_error(file, line, message);
    let [provider, person_id, decision, reason, officer, period, amount] = f else {
        return Err(err("the line does not have the five columns".into()));
    };
    if provider.is_empty() || person_id.is_empty() {
        return Err(err("Provider reference and Person ID must both be given".into()));
    }
    plain_key("Provider reference", provider)
        .and_then(|()| plain_key("Person ID", person_id))
        .map_err(err)?;
    let action = match decision.to_lowercase().as_str() {
        "authorise" | "authorize" => Action::Authorise,
        "hold" => Action::Hold,
        _ => {
            let unseen = crate::base::text::unseen_char(decision)
                .map(|c| {
                    format!(
                        " (it holds a character that does not show, U+{:04X})",
                        u32::from(c)
                    )
                })
                .unwrap_or_default();
            return Err(err(format!(
                "Decision {} is neither \"authorise\" nor \"hold\"{unseen}",
                quoted(decision)
            )));
        }
    };
    let blank = |s: &str| {
        s.chars()
            .all(|c| c.is_whitespace() || crate::base::text::unseen_char(&c.to_string()).is_some())
    };
    if blank(reason) {
        return Err(err(format!(
            "the decision for {person_id} has no Reason: record why it was made"
        )));
    }
    if blank(officer) {
        return Err(err(format!(
            "the decision for {person_id} has no Officer: record who made it"
        )));
    }
    let period_start = if period.is_empty() {
        None
    } else {
        Some(text_date(period).ok_or_else(|| {
            err(format!(
                "Period start {} is not a date: write it as {DATE_FORMS}",
                quoted(period)
            ))
        })?)
    };
    let amount = if amount.is_empty() {
        None
    } else {
        Some(money_text(amount).and_then(pennies).map_err(|why| {
            err(format!(
                "Amount {} is not an amount of money{}: write the settlement the decision is for as it was shown, e.g. 509.43 or -149.10",
                quoted(amount),
                why.why()
            ))
        })?)
    };
    Ok(Decision {
        provider_reference: provider.clone(),
        person_id: person_id.clone(),
        period_start,
        action,
        reason: reason.clone(),
        officer: officer.clone(),
        amount,
        source: format!("{file}:{line}"),
    })
}

/// The decisions workbook (`yourchoice decisions`) read as `decisions.csv`
/// is: its Decisions sheet, row 1 the header, a row whose Decision is blank
/// not decided yet (skipped). A cell is named by its row.
///
/// # Errors
/// Not a workbook with a Decisions sheet, or a bad row, named.
pub fn read_decisions_workbook(bytes: &[u8], file: &str) -> Result<Vec<Decision>, SettingsError> {
    use crate::read::grid::Value;
    let refuse = |why: String| SettingsError::Unreadable {
        file: file.to_string(),
        why,
    };
    let grids = crate::read::workbook::read_sheets(bytes, &[SHEET]).map_err(|e| match e {
        crate::read::package::Refusal::Corrupt(why) if why.contains("not found") => refuse(format!(
            "it has no sheet named \"{SHEET}\": give the decisions workbook yourchoice wrote, or a decisions CSV"
        )),
        crate::read::package::Refusal::Corrupt(why) | crate::read::package::Refusal::Limit(why) => refuse(why),
    })?;
    // A copy of the sheet filled in beside it ("Decisions 2") would be
    // decisions that vanish without a word.
    if let Some(other) = crate::read::workbook::sheet_names(bytes).into_iter().find(|n| {
        let n = crate::read::normalise_label(n);
        n != crate::read::normalise_label(SHEET) && n.starts_with(&crate::read::normalise_label(SHEET))
    }) {
        return Err(refuse(format!(
            "it has a sheet \"{other}\" beside \"{SHEET}\": only \"{SHEET}\" is read, so move every decision onto it and delete \"{other}\""
        )));
    }
    let sheet = &grids[0];
    let text = |v: &Value| match v {
        // A reason typed over several lines in a cell is one line here.
        Value::Data(d) => Ok(crate::read::cell::text(d)
            .unwrap_or_default()
            .replace(['\r', '\n'], " ")),
        Value::Uncalculated => Err(()),
    };
    let header: Vec<String> = match sheet.rows().next() {
        Some((0, cells)) => {
            let width = cells.last().map_or(0, |(c, _)| *c + 1);
            (0..width)
                .map(|c| text(sheet.get(0, c)).unwrap_or_default())
                .collect()
        }
        _ => return Err(refuse(format!("its sheet \"{SHEET}\" has no header on row 1"))),
    };
    let decision_col = header
        .iter()
        .position(|h| h.eq_ignore_ascii_case("Decision"))
        .ok_or_else(|| refuse(format!("its sheet \"{SHEET}\" has no Decision column")))?;
    // As CSV, one line per row (blank lines keep the numbering), so the
    // decisions file's reader and its messages serve both.
    let mut out = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
    let mut next = 0u32;
    for (r, _) in sheet.rows() {
        while next < r {
            out.write_record([""]).map_err(|e| refuse(e.to_string()))?;
            next += 1;
        }
        let mut fields = Vec::with_capacity(header.len());
        for c in 0..header.len() as u32 {
            fields.push(text(sheet.get(r, c)).map_err(|()| {
                refuse(format!(
                    "cell {SHEET}!{}{} holds a formula whose result was never calculated: open and save it in a spreadsheet first",
                    crate::model::findings::column_letters(c),
                    r + 1
                ))
            })?);
        }
        let undecided = r > 0 && fields[decision_col].is_empty();
        if undecided {
            out.write_record([""]).map_err(|e| refuse(e.to_string()))?;
        } else {
            out.write_record(&fields).map_err(|e| refuse(e.to_string()))?;
        }
        next = r + 1;
    }
    let bytes = out.into_inner().map_err(|e| refuse(e.to_string()))?;
    let csv_text = String::from_utf8_lossy(&bytes);
    // A row is named as a line is: `decisions.xlsx:5` is row 5.
    read_decisions(&csv_text, file)
}
