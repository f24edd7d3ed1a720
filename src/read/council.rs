//! The council's settings files (SPEC 6): `council.toml` (serde + toml,
//! unknown keys refused), the `plans.csv` it names, and `decisions.csv`.
//! Every problem is a [`SettingsError`]: one line naming the file, the line
//! and the key or column, and what is wrong (exit 2).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, Weekday};
use rust_decimal::Decimal;
use serde::Deserialize;
use toml::Spanned;

use super::settings_error::SettingsError;
use super::{normalise_label, text_date};
use crate::base::digest::sha256_hex;
use crate::base::limits::{self, HOURS_IN_A_WEEK};
use crate::base::text::{DATE_FORMS, iso_date};
use crate::base::units::{Hours, parse_money};
use crate::model::settings::{Action, DatedAmount, Decision, Plan, ProviderSettings, Settings, SettingsFile};

/// Load the settings: SPEC defaults, then `council.toml` (and the plans it
/// names) and `decisions.csv` where given.
///
/// # Errors
/// The first problem in any of the files.
pub fn load_settings(council: Option<&Path>, decisions: Option<&Path>) -> Result<Settings, SettingsError> {
    let mut settings = Settings::default();
    if let Some(path) = council {
        read_council(path, &mut settings)?;
    }
    if let Some(path) = decisions {
        let (text, file) = read_text(path, "decisions")?;
        settings.decisions = read_decisions(&text, &file.path)?;
        settings.files.push(file);
    }
    Ok(settings)
}

fn read_text(path: &Path, role: &'static str) -> Result<(String, SettingsFile), SettingsError> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| SettingsError::Unreadable {
        file: shown.clone(),
        why: e.to_string(),
    })?;
    let sha256 = sha256_hex(&bytes);
    let text = decode_text(bytes);
    Ok((
        text,
        SettingsFile {
            role,
            path: shown,
            sha256,
        },
    ))
}

/// A settings file's text: UTF-8 (a byte-order mark dropped), or else
/// Windows-1252, which Excel on Windows writes when it saves a CSV. Every
/// byte has a meaning in Windows-1252, so nothing is lost or guessed wrong
/// for the characters a council's files hold (`Siân`, `£`).
pub(super) fn decode_text(bytes: Vec<u8>) -> String {
    match String::from_utf8(bytes) {
        Ok(text) => match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => text,
        },
        Err(e) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(e.as_bytes());
            text.into_owned()
        }
    }
}

// ---------------------------------------------------------------------------
// council.toml

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCouncil {
    tolerance: Option<Spanned<String>>,
    period_weeks: Option<Spanned<i64>>,
    week_starts: Option<Spanned<String>>,
    submission_days: Option<Spanned<i64>>,
    table_top_days: Option<Spanned<i64>>,
    sustained_weeks: Option<Spanned<i64>>,
    plans: Option<Spanned<String>>,
    ledger: Option<Spanned<String>>,
    change_in_need_contact: Option<String>,
    #[serde(default)]
    max_weekly_charge: Vec<RawCharge>,
    #[serde(default)]
    provider: Vec<RawProvider>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCharge {
    from: Spanned<String>,
    amount: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProvider {
    reference: Spanned<String>,
    name: Option<String>,
    #[serde(default)]
    rates: Vec<RawRate>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRate {
    from: Spanned<String>,
    rate: Spanned<String>,
}

/// The 1-based line of a byte offset (for a CSV record, the csv crate's own
/// line count misses blank lines and CRLF endings).
pub(super) fn line_of(text: &[u8], offset: u64) -> u64 {
    let end = usize::try_from(offset).unwrap_or(usize::MAX).min(text.len());
    text[..end].iter().filter(|b| **b == b'\n').count() as u64 + 1
}

/// The 1-based line a CSV record starts on, from the position the csv crate
/// gives it: that is where reading began, before any blank lines it
/// skipped.
pub(super) fn record_line(text: &[u8], position: Option<&csv::Position>) -> u64 {
    let Some(p) = position else { return 0 };
    let mut at = usize::try_from(p.byte()).unwrap_or(usize::MAX).min(text.len());
    while at < text.len() && matches!(text[at], b'\r' | b'\n') {
        at += 1;
    }
    line_of(text, at as u64)
}

fn read_council(path: &Path, settings: &mut Settings) -> Result<(), SettingsError> {
    let (text, file) = read_text(path, "council settings")?;
    let shown = file.path.clone();
    let at = |span: std::ops::Range<usize>, message: String| SettingsError::Line {
        file: shown.clone(),
        line: line_of(text.as_bytes(), span.start as u64),
        message,
    };
    let raw: RawCouncil = toml::from_str(&text).map_err(|e| {
        let mut message = e.message().trim().replace('\n', " ");
        if message.contains("expected a string") {
            message.push_str(" (write dates, rates, amounts and the tolerance in quotes, e.g. \"2026-04-06\", \"24.85\", \"8%\")");
        }
        at(e.span().unwrap_or(0..0), message)
    })?;

    if let Some(t) = &raw.tolerance {
        settings.tolerance = parse_tolerance(t.get_ref()).ok_or_else(|| {
            at(
                t.span(),
                format!(
                    "tolerance \"{}\" is not a tolerance: write a percentage such as \"8%\" or a fraction such as \"0.08\", from 0 to 100%",
                    t.get_ref()
                ),
            )
        })?;
    }
    let whole = |value: &Option<Spanned<i64>>, key: &str, range: std::ops::RangeInclusive<i64>| match value {
        None => Ok(None),
        Some(v) if range.contains(v.get_ref()) => Ok(Some(*v.get_ref() as u32)),
        Some(v) => Err(at(
            v.span(),
            format!(
                "{key} = {} is out of range: it must be a whole number from {} to {}",
                v.get_ref(),
                range.start(),
                range.end()
            ),
        )),
    };
    if let Some(w) = whole(&raw.period_weeks, "period_weeks", 1..=53)? {
        settings.period_weeks = w;
    }
    if let Some(d) = whole(&raw.submission_days, "submission_days", 0..=366)? {
        settings.submission_days = d;
    }
    if let Some(d) = whole(&raw.table_top_days, "table_top_days", 0..=366)? {
        settings.table_top_days = d;
    }
    let max_run = i64::from(settings.period_weeks);
    if let Some(w) = whole(&raw.sustained_weeks, "sustained_weeks", 1..=max_run)? {
        settings.sustained_weeks = w;
    }
    if let Some(day) = &raw.week_starts {
        settings.week_start = parse_weekday(day.get_ref()).ok_or_else(|| {
            at(
                day.span(),
                format!(
                    "week_starts = \"{}\" is not a day of the week: write e.g. \"monday\"",
                    day.get_ref()
                ),
            )
        })?;
    }

    let date = |value: &Spanned<String>, key: &str| {
        text_date(value.get_ref()).ok_or_else(|| {
            at(
                value.span(),
                format!(
                    "{key} = \"{}\" is not a date: write it as {DATE_FORMS}",
                    value.get_ref()
                ),
            )
        })
    };
    settings.change_in_need_contact = raw
        .change_in_need_contact
        .as_ref()
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty());
    let mut caps = Vec::new();
    for c in &raw.max_weekly_charge {
        let amount = parse_money(c.amount.get_ref())
            .and_then(|a| limits::charge(a).ok())
            .ok_or_else(|| {
                at(
                    c.amount.span(),
                    format!(
                        "max_weekly_charge amount = \"{}\" is not an amount in £ (0 or more, e.g. \"100.00\")",
                        c.amount.get_ref()
                    ),
                )
            })?;
        caps.push((date(&c.from, "max_weekly_charge from")?, amount, c.from.span()));
    }
    settings.max_weekly_charge = by_date(caps, "max_weekly_charge", &at)?;

    let mut references = HashSet::new();
    for p in &raw.provider {
        let reference = p.reference.get_ref().trim().to_string();
        if reference.is_empty() {
            return Err(at(p.reference.span(), "provider reference is blank".into()));
        }
        if !references.insert(reference.clone()) {
            return Err(at(
                p.reference.span(),
                format!("provider \"{reference}\" is given twice: give each provider one [[provider]] table"),
            ));
        }
        let mut rates = Vec::new();
        for r in &p.rates {
            let rate = parse_money(r.rate.get_ref())
                .and_then(|x| limits::rate(x).ok())
                .ok_or_else(|| {
                    at(
                        r.rate.span(),
                        format!(
                            "rate = \"{}\" for provider {reference} is not a rate in £ per hour more than 0 (e.g. \"24.85\")",
                            r.rate.get_ref()
                        ),
                    )
                })?;
            rates.push((date(&r.from, "rate from")?, rate, r.from.span()));
        }
        settings.providers.push(ProviderSettings {
            reference: reference.clone(),
            name: p.name.clone(),
            rates: by_date(rates, &format!("the rates of provider {reference}"), &at)?,
        });
    }
    settings.files.push(file);

    if let Some(ledger) = &raw.ledger {
        if ledger.get_ref().trim().is_empty() {
            return Err(at(
                ledger.span(),
                "ledger is blank: name the ledger file, e.g. ledger = \"ledger.db\"".into(),
            ));
        }
        settings.ledger = Some(beside(path, ledger.get_ref()));
    }

    if let Some(plans) = &raw.plans {
        if plans.get_ref().trim().is_empty() {
            return Err(at(
                plans.span(),
                "plans is blank: name the plans CSV, e.g. plans = \"plans.csv\"".into(),
            ));
        }
        let plans_path = beside(path, plans.get_ref());
        let (plans_text, plans_file) = read_text(&plans_path, "plans").map_err(|e| match e {
            SettingsError::Unreadable { file, why } => at(
                plans.span(),
                format!("plans = \"{}\": cannot read {file}: {why}", plans.get_ref()),
            ),
            other => other,
        })?;
        settings.plans = Some(read_plans(&plans_text, &plans_file.path)?);
        settings.files.push(plans_file);
    }
    Ok(())
}

/// A file council.toml names: relative to council.toml's folder.
fn beside(council: &Path, named: &str) -> PathBuf {
    let named = PathBuf::from(named);
    match council.parent() {
        Some(dir) if named.is_relative() => dir.join(named),
        _ => named,
    }
}

/// `"8%"` -> 0.08; `"0.08"` -> 0.08. A bare number above 1 (`"8"`) is
/// ambiguous (8% or 800%?) and refused.
fn parse_tolerance(text: &str) -> Option<Decimal> {
    let t = text.trim();
    let fraction = match t.strip_suffix('%') {
        Some(p) => Decimal::from_str_exact(p.trim()).ok()? / Decimal::ONE_HUNDRED,
        None => Decimal::from_str_exact(t).ok()?,
    };
    (Decimal::ZERO..=Decimal::ONE)
        .contains(&fraction)
        .then_some(fraction)
}

fn parse_weekday(text: &str) -> Option<Weekday> {
    text.trim().to_lowercase().parse().ok()
}

/// Sort dated amounts, refusing two from the same date.
fn by_date(
    mut items: Vec<(NaiveDate, Decimal, std::ops::Range<usize>)>,
    what: &str,
    at: &impl Fn(std::ops::Range<usize>, String) -> SettingsError,
) -> Result<Vec<DatedAmount>, SettingsError> {
    items.sort_by_key(|(from, _, span)| (*from, span.start));
    for pair in items.windows(2) {
        if pair[0].0 == pair[1].0 {
            return Err(at(
                pair[1].2.clone(),
                format!(
                    "{what} has two entries from {}: give one amount per date",
                    iso_date(pair[1].0)
                ),
            ));
        }
    }
    Ok(items
        .into_iter()
        .map(|(from, amount, _)| DatedAmount { from, amount })
        .collect())
}

// ---------------------------------------------------------------------------
// plans.csv and decisions.csv

/// A CSV with a required header, columns matched ignoring case and spaces.
struct Csv<'a> {
    file: &'a str,
    text: &'a str,
    columns: Vec<Option<usize>>,
    records: csv::StringRecordsIntoIter<&'a [u8]>,
}

impl<'a> Csv<'a> {
    fn open(text: &'a str, file: &'a str, header: &[&str]) -> Result<Csv<'a>, SettingsError> {
        Csv::open_with(text, file, header, &[])
    }

    /// As [`Csv::open`], with `optional` columns after the required ones (a
    /// missing one reads as blank).
    fn open_with(
        text: &'a str,
        file: &'a str,
        header: &[&str],
        optional: &[&str],
    ) -> Result<Csv<'a>, SettingsError> {
        let text = text.trim_start_matches('\u{feff}');
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .flexible(true)
            .from_reader(text.as_bytes());
        let found: Vec<String> = reader
            .headers()
            .map_err(|e| line_error(file, 1, format!("cannot read the header line ({e})")))?
            .iter()
            .map(normalise_label)
            .collect();
        let mut columns = Vec::with_capacity(header.len() + optional.len());
        for name in header {
            match found.iter().position(|h| *h == normalise_label(name)) {
                Some(c) => columns.push(Some(c)),
                None => {
                    return Err(line_error(
                        file,
                        1,
                        format!(
                            "the header has no \"{name}\" column: it must read {}",
                            header.join(",")
                        ),
                    ));
                }
            }
        }
        columns.extend(
            optional
                .iter()
                .map(|name| found.iter().position(|h| *h == normalise_label(name))),
        );
        Ok(Csv {
            file,
            text,
            columns,
            records: reader.into_records(),
        })
    }

    /// The next non-blank line: its number and its fields in header order.
    fn next(&mut self) -> Option<Result<(u64, Vec<String>), SettingsError>> {
        for record in self.records.by_ref() {
            let record = match record {
                Ok(r) => r,
                Err(e) => {
                    let line = record_line(self.text.as_bytes(), e.position());
                    return Some(Err(line_error(
                        self.file,
                        line,
                        format!("cannot read the line ({e})"),
                    )));
                }
            };
            if record.iter().all(str::is_empty) {
                continue;
            }
            let line = record_line(self.text.as_bytes(), record.position());
            let fields = self
                .columns
                .iter()
                .map(|c| c.and_then(|c| record.get(c)).unwrap_or("").to_string())
                .collect();
            return Some(Ok((line, fields)));
        }
        None
    }
}

fn line_error(file: &str, line: u64, message: String) -> SettingsError {
    SettingsError::Line {
        file: file.to_string(),
        line,
        message,
    }
}

const PLANS_HEADER: [&str; 5] = ["Person ID", "Provider reference", "Weekly bundle", "From", "To"];

/// `plans.csv` (SPEC 6): `Person ID,Provider reference,Weekly bundle,From,To`.
/// Two plans of one person with one provider may not overlap: the bundle
/// for a week would be ambiguous.
///
/// # Errors
/// The first bad line, named.
pub fn read_plans(text: &str, file: &str) -> Result<Vec<Plan>, SettingsError> {
    let mut csv = Csv::open(text, file, &PLANS_HEADER)?;
    let mut plans: Vec<(u64, Plan)> = Vec::new();
    while let Some(line) = csv.next() {
        let (line, f) = line?;
        let err = |message: String| line_error(file, line, message);
        let [person_id, provider, bundle, from, to] = &f[..] else {
            return Err(err("the line does not have the five columns".into()));
        };
        if person_id.is_empty() || provider.is_empty() {
            return Err(err("Person ID and Provider reference must both be given".into()));
        }
        let bundle = Hours::parse(bundle)
            .and_then(|h| limits::bundle(h).ok())
            .ok_or_else(|| {
                err(format!(
                    "Weekly bundle \"{bundle}\" is not a number of hours more than 0 and at most {HOURS_IN_A_WEEK} (10, 7.5 or 7:30)"
                ))
            })?;
        let date = |text: &str, column: &str| {
            text_date(text).ok_or_else(|| {
                err(format!(
                    "{column} \"{text}\" is not a date: write it as {DATE_FORMS}"
                ))
            })
        };
        let from = date(from, "From")?;
        let to = if to.is_empty() {
            None
        } else {
            Some(date(to, "To")?)
        };
        if let Some(to) = to.filter(|to| *to < from) {
            return Err(err(format!(
                "To {} is before From {}: a plan ends on or after the day it starts",
                iso_date(to),
                iso_date(from)
            )));
        }
        let plan = Plan {
            person_id: person_id.clone(),
            provider_reference: provider.clone(),
            bundle,
            from,
            to,
        };
        plans.push((line, plan));
    }
    // Overlaps, person by person: sort by (provider, person, from).
    let mut order: Vec<usize> = (0..plans.len()).collect();
    order.sort_by(|&a, &b| {
        let (pa, pb) = (&plans[a].1, &plans[b].1);
        (&pa.provider_reference, &pa.person_id, pa.from).cmp(&(
            &pb.provider_reference,
            &pb.person_id,
            pb.from,
        ))
    });
    for pair in order.windows(2) {
        let ((la, a), (lb, b)) = (&plans[pair[0]], &plans[pair[1]]);
        if a.provider_reference == b.provider_reference
            && a.person_id == b.person_id
            && a.to.is_none_or(|to| b.from <= to)
        {
            let (first, second) = if la < lb { (la, lb) } else { (lb, la) };
            return Err(line_error(
                file,
                *second,
                format!(
                    "the plan for {} with {} overlaps the plan on line {first}: give the earlier plan a To date before the later one's From",
                    a.person_id, a.provider_reference
                ),
            ));
        }
    }
    Ok(plans.into_iter().map(|(_, p)| p).collect())
}

const DECISIONS_HEADER: [&str; 5] = ["Provider reference", "Person ID", "Decision", "Reason", "Officer"];

/// `decisions.csv` (SPEC 6): `Provider reference,Person ID,Decision,Reason,
/// Officer`, Decision `authorise` or `hold`, with a reason and an officer;
/// one decision per person and provider.
///
/// # Errors
/// The first bad line, named.
pub fn read_decisions(text: &str, file: &str) -> Result<Vec<Decision>, SettingsError> {
    let mut csv = Csv::open_with(text, file, &DECISIONS_HEADER, &["Period start"])?;
    let mut decisions: Vec<Decision> = Vec::new();
    let mut seen: Vec<(String, String, Option<chrono::NaiveDate>, u64)> = Vec::new();
    while let Some(line) = csv.next() {
        let (line, f) = line?;
        let err = |message: String| line_error(file, line, message);
        let [provider, person_id, decision, reason, officer, period] = &f[..] else {
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
            source: format!("{file}:{line}"),
        });
    }
    Ok(decisions)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn tolerances() {
        assert_eq!(parse_tolerance("8%"), Some(dec!(0.08)));
        assert_eq!(parse_tolerance(" 7.5 % "), Some(dec!(0.075)));
        assert_eq!(parse_tolerance("0.08"), Some(dec!(0.08)));
        assert_eq!(parse_tolerance("8"), None);
        assert_eq!(parse_tolerance("-1%"), None);
        assert_eq!(parse_tolerance("eight"), None);
    }

    #[test]
    fn line_numbers() {
        assert_eq!(line_of(b"a\nb\nc", 0), 1);
        assert_eq!(line_of(b"a\nb\nc", 2), 2);
        assert_eq!(line_of(b"a\r\n\r\nc", 5), 3);
    }
}
