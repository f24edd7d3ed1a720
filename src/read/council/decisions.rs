//! `decisions.csv`: the monitoring officer's decisions to authorise or hold.

use super::csv_file::{Csv, line_error};
use crate::base::text::DATE_FORMS;
use crate::model::settings::{Action, Decision};
use crate::read::settings_error::SettingsError;
use crate::read::text_date;

const DECISIONS_HEADER: [&str; 5] = ["Provider reference", "Person ID", "Decision", "Reason", "Officer"];

/// `decisions.csv` (SPEC 6): `Provider reference,Person ID,Decision,Reason,
/// Officer`, Decision `authorise` or `hold`, with a reason and an officer;
/// one decision per person and provider; optional `Period start` and
/// `Amount` (the settlement decided, which binds the decision to it).
///
/// # Errors
/// The first bad line, named.
pub fn read_decisions(text: &str, file: &str) -> Result<Vec<Decision>, SettingsError> {
    let mut csv = Csv::open_with(text, file, &DECISIONS_HEADER, &["Period start", "Amount"])?;
    let mut decisions: Vec<Decision> = Vec::new();
    let mut seen: Vec<(String, String, Option<chrono::NaiveDate>, u64)> = Vec::new();
    while let Some(line) = csv.next() {
        let (line, f) = line?;
        let err = |message: String| line_error(file, line, message);
        let [provider, person_id, decision, reason, officer, period, amount] = &f[..] else {
            return Err(err("the line does not have the five columns".into()));
        };
        if provider.is_empty() || person_id.is_empty() {
            return Err(err("Provider reference and Person ID must both be given".into()));
        }
        let action = match decision.to_lowercase().as_str() {
            "authorise" | "authorize" => Action::Authorise,
            "hold" => Action::Hold,
            _ => {
                return Err(err(format!(
                    "Decision \"{decision}\" is neither \"authorise\" nor \"hold\""
                )));
            }
        };
        if reason.is_empty() {
            return Err(err(format!(
                "the decision for {person_id} has no Reason: record why it was made"
            )));
        }
        if officer.is_empty() {
            return Err(err(format!(
                "the decision for {person_id} has no Officer: record who made it"
            )));
        }
        let period_start = if period.is_empty() {
            None
        } else {
            Some(text_date(period).ok_or_else(|| {
                err(format!(
                    "Period start \"{period}\" is not a date: write it as {DATE_FORMS}"
                ))
            })?)
        };
        let amount = if amount.is_empty() {
            None
        } else {
            Some(crate::base::units::parse_money(amount).ok_or_else(|| {
                err(format!(
                    "Amount \"{amount}\" is not an amount of money: write the settlement the decision is for as it was shown, e.g. 509.43 or -149.10"
                ))
            })?)
        };
        if let Some((_, _, _, first)) = seen.iter().find(|(p, id, when, _)| {
            crate::model::settings::same_reference(p, provider) && id == person_id && *when == period_start
        }) {
            return Err(err(format!(
                "a second decision for {person_id} with {provider} (the first is on line {first}): keep one"
            )));
        }
        seen.push((provider.clone(), person_id.clone(), period_start, line));
        decisions.push(Decision {
            provider_reference: provider.clone(),
            person_id: person_id.clone(),
            period_start,
            action,
            reason: reason.clone(),
            officer: officer.clone(),
            amount,
            source: format!("{file}:{line}"),
        });
    }
    Ok(decisions)
}
