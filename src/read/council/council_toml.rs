//! `council.toml`: the council's settings, each value checked and any
//! problem named by its line.

use std::collections::HashMap;
use std::ops::{Range, RangeInclusive};
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, Weekday};
use rust_decimal::Decimal;
use serde::Deserialize;
use toml::Spanned;

use super::csv_file::plain_key;
use super::{read_plans, read_text};
use crate::base::limits::{self, MAX_COUNCIL_FILE_BYTES, MAX_SETTINGS_BYTES};
use crate::base::text::{DATE_FORMS, iso_date};
use crate::base::units::money_text;
use crate::model::settings::{DatedAmount, ProviderSettings, Settings, reference_key};
use crate::read::file::LineIndex;
use crate::read::settings_error::{Problems, SettingsError};
use crate::read::text_date;

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
    visits: Option<RawVisits>,
    letters: Option<RawLetters>,
    export: Option<super::export_toml::RawExport>,
    paid: Option<RawPaid>,
    #[serde(default)]
    max_weekly_charge: Vec<RawCharge>,
    #[serde(default)]
    provider: Vec<RawProvider>,
}

/// `[visits]`: what a visit counts for when `yourchoice fill` sums them.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVisits {
    /// `"each"` (carer-hours: a visit by two carers counts twice its
    /// length) or `"once"`.
    carers: Option<Spanned<String>>,
    /// `"count"` (a frustrated visit counts its length) or `"zero"`.
    frustrated: Option<Spanned<String>>,
}

/// `[letters]`: the letterhead and the council's own wording.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLetters {
    council: Option<Spanned<String>>,
    address: Option<Spanned<Vec<String>>>,
    contact: Option<Spanned<String>>,
    logo: Option<Spanned<String>>,
    wording: Option<Spanned<String>>,
}

/// `[paid]`: the columns of finance's paid file, by their header names,
/// and how its dates are written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPaid {
    reference: Option<Spanned<String>>,
    date: Option<Spanned<String>>,
    payment_reference: Option<Spanned<String>>,
    amount: Option<Spanned<String>>,
    date_format: Option<Spanned<String>>,
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
    language: Option<Spanned<String>>,
    #[serde(default)]
    address: Vec<String>,
    supplier_number: Option<Spanned<String>>,
    supplier_site: Option<Spanned<String>>,
    purchase_order: Option<Spanned<String>>,
    cost_centre: Option<Spanned<String>>,
    expense_code: Option<Spanned<String>>,
    vat_code: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRate {
    from: Spanned<String>,
    rate: Spanned<String>,
}
/// Read `council.toml` at `path` into `settings`, then the plans it names.
pub(super) fn read_council(path: &Path, settings: &mut Settings) -> Result<(), SettingsError> {
    let (text, file) = read_text(path, "council settings", MAX_SETTINGS_BYTES)?;
    let shown = file.path.clone();
    let lines = LineIndex::new(text.as_bytes());
    let at = |span: Range<usize>, message: String| SettingsError::Line {
        file: shown.clone(),
        line: lines.line(span.start),
        message,
    };
    let raw = parse_council(&text, &at)?;
    // Every value is checked and every problem kept, so the file is
    // corrected in one pass.
    let mut problems = Problems::new(&shown);
    if let Err(e) = read_figures(&raw, settings, &at) {
        problems.add_error(e);
    }
    settings.change_in_need_contact = raw
        .change_in_need_contact
        .as_ref()
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty());
    if let Some(v) = &raw.visits
        && let Err(e) = read_visit_policy(v, settings, &at)
    {
        problems.add_error(e);
    }
    match read_charges(&raw.max_weekly_charge, &at) {
        Ok(caps) => settings.max_weekly_charge = caps,
        Err(e) => problems.add_error(e),
    }
    if let Err(e) = read_providers(&raw.provider, settings, &at) {
        problems.add_error(e);
    }
    if let Some(letters) = &raw.letters {
        match read_letters(path, letters, &at) {
            Ok(l) => settings.letters = l,
            Err(e) => problems.add_error(e),
        }
    }
    if let Some(export) = &raw.export {
        match super::export_toml::read_export(export, &at) {
            Ok(e) => settings.export = e,
            Err(e) => problems.add_error(e),
        }
    }
    if let Some(paid) = &raw.paid {
        match read_paid_layout(paid, &at) {
            Ok(layout) => settings.paid = layout,
            Err(e) => problems.add_error(e),
        }
    }
    if let Some(ledger) = &raw.ledger {
        match ledger_path(path, ledger, &at) {
            Ok(ledger) => settings.ledger = Some(ledger),
            Err(e) => problems.add_error(e),
        }
    }
    problems.finish()?;
    settings.files.push(file);
    if let Some(plans) = &raw.plans {
        read_named_plans(path, plans, settings, &at)?;
    }
    Ok(())
}

/// The text of `council.toml` as its tables and keys, unknown keys refused.
fn parse_council(
    text: &str,
    at: &impl Fn(Range<usize>, String) -> SettingsError,
) -> Result<RawCouncil, SettingsError> {
    toml::from_str(text).map_err(|e| {
        let mut message = e.message().trim().replace('\n', " ");
        if message.contains("expected a string") {
            message.push_str(" (write dates, rates, amounts and the tolerance in quotes, e.g. \"2026-04-06\", \"24.85\", \"8%\")");
        }
        at(e.span().unwrap_or(0..0), message)
    })
}

/// The tolerance, the period's and deadlines' numbers of weeks and days,
/// and the day weeks start on: each given one replaces its default.
fn read_figures(
    raw: &RawCouncil,
    settings: &mut Settings,
    at: &impl Fn(Range<usize>, String) -> SettingsError,
) -> Result<(), SettingsError> {
    if let Some(t) = &raw.tolerance {
        let fraction = parse_tolerance(t.get_ref()).ok_or_else(|| {
            at(
                t.span(),
                format!(
                    "tolerance \"{}\" is not a tolerance: write a percentage such as \"8%\" or a fraction such as \"0.08\", from 0 to 100%",
                    t.get_ref()
                ),
            )
        })?;
        settings.tolerance = plausible_tolerance(fraction)
            .map_err(|why| at(t.span(), format!("tolerance \"{}\" {why}", t.get_ref())))?;
    }
    if let Some(w) = whole(&raw.period_weeks, "period_weeks", 1..=53, at)? {
        settings.period_weeks = w;
    }
    if let Some(d) = whole(&raw.submission_days, "submission_days", 0..=366, at)? {
        settings.submission_days = d;
    }
    if let Some(d) = whole(&raw.table_top_days, "table_top_days", 0..=366, at)? {
        settings.table_top_days = d;
    }
    // After period_weeks: a sustained run is at most the period's length.
    let max_run = i64::from(settings.period_weeks);
    if let Some(w) = whole(&raw.sustained_weeks, "sustained_weeks", 1..=max_run, at)? {
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
    Ok(())
}

/// The `[visits]` table: each choice given replaces its default.
fn read_visit_policy(
    raw: &RawVisits,
    settings: &mut Settings,
    at: &impl Fn(Range<usize>, String) -> SettingsError,
) -> Result<(), SettingsError> {
    let choice = |value: &Spanned<String>, key: &str, yes: &str, no: &str| -> Result<bool, SettingsError> {
        match value.get_ref().trim().to_lowercase() {
            v if v == yes => Ok(true),
            v if v == no => Ok(false),
            _ => Err(at(
                value.span(),
                format!(
                    "visits {key} = \"{}\" is neither \"{yes}\" nor \"{no}\"",
                    value.get_ref()
                ),
            )),
        }
    };
    if let Some(v) = &raw.carers {
        settings.visits.count_each_carer = choice(v, "carers", "each", "once")?;
    }
    if let Some(v) = &raw.frustrated {
        settings.visits.count_frustrated = choice(v, "frustrated", "count", "zero")?;
    }
    Ok(())
}

/// A whole-number key, if given, within `range`.
fn whole(
    value: &Option<Spanned<i64>>,
    key: &str,
    range: RangeInclusive<i64>,
    at: &impl Fn(Range<usize>, String) -> SettingsError,
) -> Result<Option<u32>, SettingsError> {
    match value {
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
    }
}

/// A date key's value.
fn toml_date(
    value: &Spanned<String>,
    key: &str,
    at: &impl Fn(Range<usize>, String) -> SettingsError,
) -> Result<NaiveDate, SettingsError> {
    text_date(value.get_ref()).ok_or_else(|| {
        at(
            value.span(),
            format!(
                "{key} = \"{}\" is not a date: write it as {DATE_FORMS}",
                value.get_ref()
            ),
        )
    })
}

/// The `[[max_weekly_charge]]` tables: each cap from its date, in date
/// order.
fn read_charges(
    charges: &[RawCharge],
    at: &impl Fn(Range<usize>, String) -> SettingsError,
) -> Result<Vec<DatedAmount>, SettingsError> {
    let mut caps = Vec::new();
    let mut problems = Vec::new();
    for c in charges {
        let amount = money(&c.amount, limits::charge).map_err(|why| {
            at(
                c.amount.span(),
                format!(
                    "max_weekly_charge amount = \"{}\" is not an amount in £ (0 or more, e.g. \"100.00\"){why}",
                    c.amount.get_ref()
                ),
            )
        });
        match (toml_date(&c.from, "max_weekly_charge from", at), amount) {
            (Ok(from), Ok(amount)) => caps.push((from, amount, c.from.span())),
            (from, amount) => problems.extend(from.err().into_iter().chain(amount.err())),
        }
    }
    all_or_problems(problems)?;
    by_date(caps, "max_weekly_charge", at)
}

/// The `[[provider]]` tables, added to `settings` in order: each reference
/// given once, with its rates.
fn read_providers(
    providers: &[RawProvider],
    settings: &mut Settings,
    at: &impl Fn(Range<usize>, String) -> SettingsError,
) -> Result<(), SettingsError> {
    // Each reference by its key (case and surrounding spaces ignored, as a
    // return's reference is matched), and the line of its table.
    let mut references: HashMap<String, Range<usize>> = HashMap::new();
    let mut problems = Vec::new();
    for p in providers {
        let reference = p.reference.get_ref().trim().to_string();
        if reference.is_empty() {
            problems.push(at(p.reference.span(), "provider reference is blank".into()));
            continue;
        }
        if let Err(why) = plain_key("provider reference", &reference) {
            problems.push(at(p.reference.span(), why));
            continue;
        }
        if let Some(first) = references.get(&reference_key(&reference)) {
            let first_line = at(first.clone(), String::new());
            let first_line = match first_line {
                SettingsError::Line { line, .. } => line,
                _ => 0,
            };
            problems.push(at(
                p.reference.span(),
                format!(
                    "provider \"{reference}\" is given twice (the first [[provider]] table is on line {first_line}; references are the same whatever their case): give each provider one [[provider]] table"
                ),
            ));
            continue;
        }
        references.insert(reference_key(&reference), p.reference.span());
        if p.address.len() > super::plans::MAX_ADDRESS_LINES {
            problems.push(at(
                p.reference.span(),
                format!(
                    "provider \"{reference}\": the address has {} lines: a postal address has at most {}",
                    p.address.len(),
                    super::plans::MAX_ADDRESS_LINES
                ),
            ));
            continue;
        }
        let language = match &p.language {
            Some(l) => match crate::model::letters::Language::parse(l.get_ref()) {
                Ok(language) => language,
                Err(why) => {
                    problems.push(at(l.span(), format!("provider \"{reference}\": {why}")));
                    continue;
                }
            },
            None => None,
        };
        let codes = super::export_toml::RawCodes {
            supplier_number: p.supplier_number.clone(),
            supplier_site: p.supplier_site.clone(),
            purchase_order: p.purchase_order.clone(),
            cost_centre: p.cost_centre.clone(),
            expense_code: p.expense_code.clone(),
            vat_code: p.vat_code.clone(),
        };
        let codes = match super::export_toml::read_codes(&codes, &|span, why| {
            at(span, format!("provider \"{reference}\": {why}"))
        }) {
            Ok(codes) => codes,
            Err(e) => {
                problems.push(e);
                continue;
            }
        };
        match read_rates(&p.rates, &reference, at) {
            Ok(rates) => settings.providers.push(ProviderSettings {
                codes,
                reference: reference.clone(),
                name: p.name.clone(),
                rates,
                language,
                address: lines_given(&p.address),
            }),
            Err(e) => problems.push(e),
        }
    }
    all_or_problems(problems)
}

/// Lines as given, trimmed, blank ones dropped.
fn lines_given(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

/// `[letters]`: the letterhead's name, address and contact, and the logo
/// and wording folder (relative to council.toml), which must exist.
fn read_letters(
    council: &Path,
    raw: &RawLetters,
    at: &impl Fn(Range<usize>, String) -> SettingsError,
) -> Result<crate::model::letters::LetterSettings, SettingsError> {
    let text = |t: &Option<Spanned<String>>| {
        t.as_ref()
            .map(|t| t.get_ref().trim())
            .filter(|t| !t.is_empty())
            .map(str::to_string)
    };
    let beside = |value: &Spanned<String>, key: &str, folder: bool| -> Result<PathBuf, SettingsError> {
        let path = council
            .parent()
            .unwrap_or_else(|| Path::new("."))
            .join(value.get_ref().trim());
        let found = if folder { path.is_dir() } else { path.is_file() };
        if found {
            Ok(path)
        } else if path.exists() {
            Err(at(
                value.span(),
                format!(
                    "letters {key} = \"{}\": {} is not {}",
                    value.get_ref(),
                    path.display(),
                    if folder { "a folder" } else { "an ordinary file" }
                ),
            ))
        } else {
            Err(at(
                value.span(),
                format!(
                    "letters {key} = \"{}\": there is no {} {} (a path is taken from the folder council.toml is in)",
                    value.get_ref(),
                    if folder { "folder" } else { "file" },
                    path.display()
                ),
            ))
        }
    };
    let address = raw.address.as_ref().map_or(&[][..], |a| a.get_ref().as_slice());
    if let Some(a) = raw
        .address
        .as_ref()
        .filter(|a| a.get_ref().len() > super::plans::MAX_ADDRESS_LINES)
    {
        return Err(at(
            a.span(),
            format!(
                "letters address has {} lines: the letterhead holds at most {}",
                a.get_ref().len(),
                super::plans::MAX_ADDRESS_LINES
            ),
        ));
    }
    // A letterhead's line, not a page of text.
    let lines = [raw.council.as_ref(), raw.contact.as_ref()].into_iter().flatten();
    if let Some(long) = lines.into_iter().find(|t| t.get_ref().chars().count() > 200) {
        return Err(at(
            long.span(),
            "letters: the line is longer than the 200 characters a letterhead line holds".to_string(),
        ));
    }
    if let Some(a) = raw
        .address
        .as_ref()
        .filter(|a| a.get_ref().iter().any(|l| l.chars().count() > 200))
    {
        return Err(at(
            a.span(),
            "letters address: a line is longer than the 200 characters a letterhead line holds".to_string(),
        ));
    }
    Ok(crate::model::letters::LetterSettings {
        council: text(&raw.council),
        address: lines_given(address),
        contact: text(&raw.contact),
        logo: raw.logo.as_ref().map(|l| beside(l, "logo", false)).transpose()?,
        wording: raw
            .wording
            .as_ref()
            .map(|w| beside(w, "wording", true))
            .transpose()?,
    })
}

/// One provider's rates: each from its date, in date order.
fn read_rates(
    raw: &[RawRate],
    reference: &str,
    at: &impl Fn(Range<usize>, String) -> SettingsError,
) -> Result<Vec<DatedAmount>, SettingsError> {
    let mut rates = Vec::new();
    let mut problems = Vec::new();
    for r in raw {
        let rate = money(&r.rate, limits::rate).map_err(|why| {
            at(
                r.rate.span(),
                format!(
                    "rate = \"{}\" for provider {reference} is not a rate in £ per hour more than 0 and at most £200.00 (e.g. \"24.85\"){why}",
                    r.rate.get_ref()
                ),
            )
        });
        match (toml_date(&r.from, "rate from", at), rate) {
            (Ok(from), Ok(rate)) => rates.push((from, rate, r.from.span())),
            (from, rate) => problems.extend(from.err().into_iter().chain(rate.err())),
        }
    }
    all_or_problems(problems)?;
    by_date(rates, &format!("the rates of provider {reference}"), at)
}

/// A money value of the settings, read as strictly as a return's cell and
/// within `limit`; the error is why not, in words to append to a message.
fn money(
    value: &Spanned<String>,
    limit: fn(Decimal) -> Result<Decimal, limits::MoneyProblem>,
) -> Result<Decimal, &'static str> {
    let amount = money_text(value.get_ref()).map_err(|why| why.why())?;
    limit(amount).map_err(|why| match why {
        limits::MoneyProblem::TooLarge => " (it is far more than such a figure can be: were pence typed as pounds, or the decimal point lost?)",
        _ => "",
    })
}

/// `Ok` when no problem was found; else all of them, as one error.
fn all_or_problems(problems: Vec<SettingsError>) -> Result<(), SettingsError> {
    let Some(file) = problems.first().map(|p| p.file().to_string()) else {
        return Ok(());
    };
    let mut all = Problems::new(&file);
    for p in problems {
        all.add_error(p);
    }
    all.finish()
}

/// `[paid]`: each column named replaces the default layout's; the date
/// format must write and read back a date (a chrono format such as
/// `%d/%m/%Y`).
fn read_paid_layout(
    raw: &RawPaid,
    at: &impl Fn(Range<usize>, String) -> SettingsError,
) -> Result<crate::model::paid::PaidLayout, SettingsError> {
    let mut layout = crate::model::paid::PaidLayout::default();
    let named = |value: &Option<Spanned<String>>, key: &str| -> Result<Option<String>, SettingsError> {
        match value {
            None => Ok(None),
            Some(v) if v.get_ref().trim().is_empty() => Err(at(
                v.span(),
                format!("paid {key} is blank: name the paid file's column, e.g. {key} = \"INVOICE_NUM\""),
            )),
            Some(v) => Ok(Some(v.get_ref().trim().to_string())),
        }
    };
    if let Some(c) = named(&raw.reference, "reference")? {
        layout.reference = c;
    }
    if let Some(c) = named(&raw.date, "date")? {
        layout.date = c;
    }
    if let Some(c) = named(&raw.payment_reference, "payment_reference")? {
        layout.payment_reference = c;
    }
    if let Some(c) = named(&raw.amount, "amount")? {
        layout.amount = Some(c);
        layout.amount_required = true;
    }
    if let Some(f) = &raw.date_format {
        let format = f.get_ref().trim();
        let sample = NaiveDate::from_ymd_opt(2026, 8, 10).unwrap_or_default();
        let bad = chrono::format::StrftimeItems::new(format).any(|i| i == chrono::format::Item::Error);
        let back = (!bad)
            .then(|| NaiveDate::parse_from_str(&sample.format(format).to_string(), format).ok())
            .flatten();
        if back != Some(sample) {
            return Err(at(
                f.span(),
                format!(
                    "paid date_format = \"{}\" does not write a whole date: give a chrono format with the day, month and year, e.g. \"%d/%m/%Y\" or \"%Y-%m-%d\"",
                    f.get_ref()
                ),
            ));
        }
        layout.date_format = format.to_string();
    }
    let columns = [
        Some(&layout.reference),
        Some(&layout.date),
        Some(&layout.payment_reference),
        layout.amount.as_ref(),
    ];
    let names: Vec<String> = columns.iter().flatten().map(|c| c.to_lowercase()).collect();
    if (1..names.len()).any(|i| names[..i].contains(&names[i])) {
        return Err(at(
            0..0,
            "[paid] names one column for two things: give each of reference, date, payment_reference and amount its own column".to_string(),
        ));
    }
    Ok(layout)
}

/// The ledger file `ledger` names, beside `council.toml`.
fn ledger_path(
    council: &Path,
    ledger: &Spanned<String>,
    at: &impl Fn(Range<usize>, String) -> SettingsError,
) -> Result<PathBuf, SettingsError> {
    if ledger.get_ref().trim().is_empty() {
        return Err(at(
            ledger.span(),
            "ledger is blank: name the ledger file, e.g. ledger = \"ledger.db\"".into(),
        ));
    }
    Ok(beside(council, ledger.get_ref()))
}

/// Read the plans CSV `plans` names, beside `council.toml`, into
/// `settings`; a file that cannot be read is named by the key's line.
fn read_named_plans(
    council: &Path,
    plans: &Spanned<String>,
    settings: &mut Settings,
    at: &impl Fn(Range<usize>, String) -> SettingsError,
) -> Result<(), SettingsError> {
    if plans.get_ref().trim().is_empty() {
        return Err(at(
            plans.span(),
            "plans is blank: name the plans CSV, e.g. plans = \"plans.csv\"".into(),
        ));
    }
    let plans_path = beside(council, plans.get_ref());
    let (plans_text, plans_file) =
        read_text(&plans_path, "plans", MAX_COUNCIL_FILE_BYTES).map_err(|e| match e {
            SettingsError::Unreadable { file, why } => at(
                plans.span(),
                format!("plans = \"{}\": cannot read {file}: {why}", plans.get_ref()),
            ),
            other => other,
        })?;
    let providers = settings
        .providers
        .iter()
        .map(|p| reference_key(&p.reference))
        .collect();
    settings.plans = Some(read_plans(&plans_text, &plans_file.path, &providers)?);
    settings.files.push(plans_file);
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

/// A tolerance the policy could mean: at most [`limits::MAX_TOLERANCE`].
fn plausible_tolerance(fraction: Decimal) -> Result<Decimal, String> {
    if fraction > limits::MAX_TOLERANCE {
        Err(format!(
            "is {}%, more than the {}% a tolerance may be: the policy's is 8%, and one this wide would settle nearly every person without review (was \"0.08\" meant?)",
            (fraction * Decimal::ONE_HUNDRED).normalize(),
            (limits::MAX_TOLERANCE * Decimal::ONE_HUNDRED).normalize()
        ))
    } else {
        Ok(fraction)
    }
}

/// A day of the week by name (`monday`), any case.
fn parse_weekday(text: &str) -> Option<Weekday> {
    text.trim().to_lowercase().parse().ok()
}

/// Sort dated amounts, refusing two from the same date.
fn by_date(
    mut items: Vec<(NaiveDate, Decimal, Range<usize>)>,
    what: &str,
    at: &impl Fn(Range<usize>, String) -> SettingsError,
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
}
