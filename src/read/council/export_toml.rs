//! `[export]` in council.toml (issue 25): the finance system's profiles,
//! which one each export uses, what a recovery becomes, and the default
//! accounting codes; and each `[[provider]]`'s own codes. Every value is
//! checked and a problem named by its line.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use crate::model::export::{
    AccountCodes, Column, ExportKind, ExportSettings, Field, Negative, Profile, Recoveries, format_date,
};
use crate::read::settings_error::SettingsError;

/// The longest accounting code or supplier number: Oracle's segment and
/// number columns are at most 30 to 50 characters.
const MAX_CODE_CHARS: usize = 50;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawExport {
    profile: Option<Spanned<String>>,
    payments: Option<Spanned<String>>,
    invoices: Option<Spanned<String>>,
    refunds: Option<Spanned<String>>,
    referrals: Option<Spanned<String>>,
    remittance: Option<Spanned<String>>,
    recoveries: Option<Spanned<String>>,
    currency: Option<Spanned<String>>,
    supplier_site: Option<Spanned<String>>,
    purchase_order: Option<Spanned<String>>,
    cost_centre: Option<Spanned<String>>,
    expense_code: Option<Spanned<String>>,
    vat_code: Option<Spanned<String>>,
    #[serde(default)]
    profiles: BTreeMap<String, Spanned<RawProfile>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawProfile {
    kinds: Option<Spanned<Vec<String>>>,
    columns: Spanned<Vec<RawColumn>>,
    header: Option<bool>,
    date_format: Option<Spanned<String>>,
    decimal: Option<Spanned<String>>,
    negative: Option<Spanned<String>>,
    delimiter: Option<Spanned<String>>,
    bom: Option<bool>,
    line_ending: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawColumn {
    Name(String),
    Table(RawColumnTable),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawColumnTable {
    header: String,
    field: Option<String>,
    value: Option<String>,
}

/// A `[[provider]]`'s accounting codes, as given.
#[derive(Deserialize, Default)]
pub(super) struct RawCodes {
    pub supplier_number: Option<Spanned<String>>,
    pub supplier_site: Option<Spanned<String>>,
    pub purchase_order: Option<Spanned<String>>,
    pub cost_centre: Option<Spanned<String>>,
    pub expense_code: Option<Spanned<String>>,
    pub vat_code: Option<Spanned<String>>,
}

type At<'a> = &'a dyn Fn(Range<usize>, String) -> SettingsError;

/// One code: trimmed, blank as none, at most [`MAX_CODE_CHARS`] characters
/// that all show.
fn code(value: &Option<Spanned<String>>, key: &str, at: At<'_>) -> Result<Option<String>, SettingsError> {
    let Some(v) = value else { return Ok(None) };
    let text = v.get_ref().trim();
    if text.is_empty() {
        return Ok(None);
    }
    if text.chars().count() > MAX_CODE_CHARS {
        return Err(at(
            v.span(),
            format!("{key} is longer than the {MAX_CODE_CHARS} characters a finance system's code holds"),
        ));
    }
    if let Some(c) = crate::base::text::unseen_char(text).or_else(|| text.chars().find(|c| c.is_control())) {
        return Err(at(
            v.span(),
            format!(
                "{key} holds a character that does not show (U+{:04X}): retype it",
                u32::from(c)
            ),
        ));
    }
    if text.starts_with(['=', '+', '-', '@']) {
        return Err(at(
            v.span(),
            format!(
                "{key} \"{text}\" starts with a sign a spreadsheet runs as a formula: give the code as the finance system holds it"
            ),
        ));
    }
    Ok(Some(text.to_string()))
}

/// A provider's codes (`supplier_number` included).
pub(super) fn read_codes(raw: &RawCodes, at: At<'_>) -> Result<AccountCodes, SettingsError> {
    Ok(AccountCodes {
        supplier_number: code(&raw.supplier_number, "supplier_number", at)?,
        supplier_site: code(&raw.supplier_site, "supplier_site", at)?,
        purchase_order: code(&raw.purchase_order, "purchase_order", at)?,
        cost_centre: code(&raw.cost_centre, "cost_centre", at)?,
        expense_code: code(&raw.expense_code, "expense_code", at)?,
        vat_code: code(&raw.vat_code, "vat_code", at)?,
    })
}

/// `[export]`, checked whole: every profile named exists, and each of the
/// council's own profiles is one a finance system can load.
pub(super) fn read_export(raw: &RawExport, at: At<'_>) -> Result<ExportSettings, SettingsError> {
    let mut export = ExportSettings {
        codes: AccountCodes {
            supplier_number: None,
            supplier_site: code(&raw.supplier_site, "supplier_site", at)?,
            purchase_order: code(&raw.purchase_order, "purchase_order", at)?,
            cost_centre: code(&raw.cost_centre, "cost_centre", at)?,
            expense_code: code(&raw.expense_code, "expense_code", at)?,
            vat_code: code(&raw.vat_code, "vat_code", at)?,
        },
        ..ExportSettings::default()
    };
    for (name, p) in &raw.profiles {
        if name.trim().is_empty() || name.trim() != name || name.chars().any(|c| c.is_control()) {
            return Err(at(
                p.span(),
                format!(
                    "[export.profiles.\"{}\"]: give the profile a name without spaces around it, e.g. [export.profiles.unit4]",
                    crate::base::text::printable(name)
                ),
            ));
        }
        if export.profiles.iter().any(|q| q.name.eq_ignore_ascii_case(name)) {
            return Err(at(
                p.span(),
                format!(
                    "[export.profiles.{name}]: a profile of that name is given already (names are the same whatever their case)"
                ),
            ));
        }
        if Profile::shipped(name).is_some() {
            return Err(at(
                p.span(),
                format!(
                    "[export.profiles.{name}]: \"{name}\" is a profile yourchoice ships; give the council's own profile another name"
                ),
            ));
        }
        export.profiles.push(read_profile(name, p, at)?);
    }
    if let Some(r) = &raw.recoveries {
        export.recoveries = match r.get_ref().trim() {
            "invoice" => Recoveries::Invoice,
            "credit-note" => Recoveries::CreditNote,
            other => {
                return Err(at(
                    r.span(),
                    format!(
                        "recoveries = \"{other}\": write \"invoice\" (a debtor invoice to the provider) or \"credit-note\" (a credit note in the payments, netted against the provider's next payment)"
                    ),
                ));
            }
        };
    }
    if let Some(c) = &raw.currency {
        let c = c.get_ref().trim();
        if c.len() != 3 || !c.chars().all(|ch| ch.is_ascii_uppercase()) {
            return Err(at(
                raw.currency.as_ref().map_or(0..0, Spanned::span),
                format!(
                    "currency = \"{c}\" is not a currency code: write the three capital letters, e.g. \"GBP\""
                ),
            ));
        }
        export.currency = c.to_string();
    }
    let own = export.clone();
    // A profile named for kinds: it must lay out each of them.
    let named = |value: &Spanned<String>, key: &str, kinds: &[ExportKind]| -> Result<String, SettingsError> {
        let name = value.get_ref().trim();
        let Some(profile) = own.named(name) else {
            return Err(at(
                value.span(),
                format!(
                    "{key} = \"{name}\": there is no such profile; the profiles are {}",
                    own.names().join(", ")
                ),
            ));
        };
        if let Some(kind) = kinds.iter().find(|k| !profile.kinds.contains(k)) {
            let takes: Vec<&str> = profile.kinds.iter().map(|k| k.name()).collect();
            return Err(at(
                value.span(),
                format!(
                    "{key} = \"{name}\": the profile lays out the {} only, not the {}; name it for what it lays out (e.g. {} = \"{name}\")",
                    takes.join(" and "),
                    kind.name(),
                    takes.first().copied().unwrap_or("payments")
                ),
            ));
        }
        Ok(profile.name)
    };
    if let Some(p) = &raw.profile {
        export.profile = named(p, "profile", &ExportKind::ALL)?;
    }
    for (kind, value) in [
        (ExportKind::Payments, &raw.payments),
        (ExportKind::Invoices, &raw.invoices),
        (ExportKind::Refunds, &raw.refunds),
        (ExportKind::Referrals, &raw.referrals),
        (ExportKind::Remittance, &raw.remittance),
    ] {
        if let Some(v) = value {
            let name = named(v, kind.name(), &[kind])?;
            export.by_kind.push((kind, name));
        }
    }
    Ok(export)
}

/// Text from council.toml written into finance's file as it is (a header,
/// a fixed value): at most 100 characters, all showing, and nothing a
/// spreadsheet would run as a formula.
fn file_text(text: &str, what: &str) -> Result<(), String> {
    if text.trim().is_empty() {
        return Err(format!("{what} is blank"));
    }
    if text.chars().count() > 100 {
        return Err(format!(
            "{what} \"{}...\" is longer than 100 characters",
            text.chars().take(20).collect::<String>()
        ));
    }
    if let Some(c) = crate::base::text::unseen_char(text).or_else(|| text.chars().find(|c| c.is_control())) {
        return Err(format!(
            "{what} \"{}\" holds a character that does not show (U+{:04X}): retype it",
            crate::base::text::printable(text),
            u32::from(c)
        ));
    }
    if text.starts_with(['=', '+', '-', '@']) {
        return Err(format!(
            "{what} \"{text}\" starts with {}, which a spreadsheet runs as a formula",
            text.chars().next().unwrap_or('=')
        ));
    }
    Ok(())
}

fn read_profile(name: &str, raw: &Spanned<RawProfile>, at: At<'_>) -> Result<Profile, SettingsError> {
    let whole = raw.span();
    let raw = raw.get_ref();
    let in_profile = |span: Range<usize>, why: String| at(span, format!("[export.profiles.{name}]: {why}"));
    let mut profile = Profile::plain();
    profile.name = name.to_string();
    let mut columns = Vec::new();
    for c in raw.columns.get_ref() {
        let column = match c {
            RawColumn::Name(field) => Field::parse(field).map(|f| Column::Field {
                header: f.name().to_string(),
                field: f,
            }),
            RawColumn::Table(t) => match (&t.field, &t.value) {
                (Some(field), None) => Field::parse(field).map(|f| Column::Field {
                    header: t.header.clone(),
                    field: f,
                }),
                (None, Some(value)) => Some(Column::Fixed {
                    header: t.header.clone(),
                    value: value.clone(),
                }),
                _ => {
                    return Err(in_profile(
                        raw.columns.span(),
                        format!(
                            "the column \"{}\" needs either field = \"...\" (a field of the line) or value = \"...\" (the same text on every line), not both or neither",
                            t.header
                        ),
                    ));
                }
            },
        };
        let Some(column) = column else {
            let given = match c {
                RawColumn::Name(f) => f.clone(),
                RawColumn::Table(t) => t.field.clone().unwrap_or_default(),
            };
            let names: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
            return Err(in_profile(
                raw.columns.span(),
                format!(
                    "\"{given}\" is not a field of the line; the fields are: {}",
                    names.join(", ")
                ),
            ));
        };
        let problem = file_text(column.header(), "a column's header")
            .err()
            .or_else(|| match &column {
                Column::Fixed { value, .. } => file_text(value, "a column's value").err(),
                Column::Field { .. } => None,
            });
        if let Some(why) = problem {
            return Err(in_profile(raw.columns.span(), why));
        }
        if columns
            .iter()
            .any(|c: &Column| c.header().trim().eq_ignore_ascii_case(column.header().trim()))
        {
            return Err(in_profile(
                raw.columns.span(),
                format!(
                    "the header \"{}\" is given twice: a finance system would read one of them",
                    column.header()
                ),
            ));
        }
        // A header that names a field holds that field, so a column headed
        // "Amount" is always the amount.
        if let Some(named) = Field::parse(column.header()) {
            let holds = match &column {
                Column::Field { field, .. } => Some(*field),
                Column::Fixed { .. } => None,
            };
            if holds != Some(named) {
                return Err(in_profile(
                    raw.columns.span(),
                    format!(
                        "the header \"{}\" is the name of a field, so its column must hold that field; give the column another header",
                        column.header()
                    ),
                ));
            }
        }
        columns.push(column);
    }
    if columns.is_empty() {
        return Err(in_profile(
            raw.columns.span(),
            "columns is empty: list the columns the finance system loads".into(),
        ));
    }
    if !columns.iter().any(|c| {
        matches!(
            c,
            Column::Field {
                field: Field::Amount,
                ..
            }
        )
    }) {
        return Err(in_profile(
            raw.columns.span(),
            "no column holds the Amount: a finance file without the amount cannot be paid from".into(),
        ));
    }
    profile.columns = Some(columns);
    profile.header = raw.header.unwrap_or(true);
    // A byte-order mark goes before the header a spreadsheet reads; without
    // a header it would be glued to the first line's first value.
    profile.bom = raw.bom.unwrap_or(profile.header);
    if profile.bom && !profile.header {
        return Err(in_profile(
            whole.clone(),
            "bom = true with header = false would put the byte-order mark before the first line's first value: leave out bom, or keep the header".into(),
        ));
    }
    profile.kinds = match &raw.kinds {
        None => {
            return Err(in_profile(
                whole.clone(),
                "kinds is missing: list the exports this profile lays out, e.g. kinds = [\"payments\"] (a payables layout would pay a debtor invoice or a refund as a supplier invoice)".into(),
            ));
        }
        Some(kinds) => {
            let mut list = Vec::new();
            for k in kinds.get_ref() {
                match ExportKind::named(k) {
                    Some(kind) if !list.contains(&kind) => list.push(kind),
                    Some(_) => {}
                    None => {
                        return Err(in_profile(
                            kinds.span(),
                            format!(
                                "kinds: \"{k}\" is not an export; the exports are payments, invoices, refunds, referrals, remittance"
                            ),
                        ));
                    }
                }
            }
            if list.is_empty() {
                return Err(in_profile(
                    kinds.span(),
                    "kinds is empty: list the exports this profile lays out".into(),
                ));
            }
            list
        }
    };
    if let Some(f) = &raw.date_format {
        let format = f.get_ref();
        // Tried on a date: a time or a zone cannot be written from a date.
        let sample = chrono::NaiveDate::from_ymd_opt(2026, 12, 31).and_then(|d| format_date(d, format));
        let bad = match &sample {
            None => true,
            Some(text) => text.trim().is_empty() || text.starts_with(['=', '+', '-', '@']),
        };
        if bad {
            return Err(in_profile(
                f.span(),
                format!(
                    "date_format = \"{format}\" is not a date format: write it as e.g. \"%d/%m/%Y\" (day/month/year) or \"%Y-%m-%d\""
                ),
            ));
        }
        profile.date_format = format.clone();
    }
    if let Some(d) = &raw.decimal {
        profile.decimal = match d.get_ref().as_str() {
            "." => '.',
            "," => ',',
            other => {
                return Err(in_profile(
                    d.span(),
                    format!("decimal = \"{other}\": write \".\" or \",\""),
                ));
            }
        };
    }
    if let Some(n) = &raw.negative {
        profile.negative = match n.get_ref().trim() {
            "minus" => Negative::Minus,
            "brackets" => Negative::Brackets,
            "trailing" => Negative::Trailing,
            other => {
                return Err(in_profile(
                    n.span(),
                    format!(
                        "negative = \"{other}\": write \"minus\" (-12.30), \"brackets\" ((12.30)) or \"trailing\" (12.30-)"
                    ),
                ));
            }
        };
    }
    if let Some(d) = &raw.delimiter {
        profile.delimiter = match d.get_ref().as_str() {
            "," => b',',
            ";" => b';',
            "|" => b'|',
            "tab" | "\t" => b'\t',
            other => {
                return Err(in_profile(
                    d.span(),
                    format!("delimiter = \"{other}\": write \",\", \";\", \"|\" or \"tab\""),
                ));
            }
        };
    }
    if profile.decimal == ',' && profile.delimiter == b',' {
        return Err(in_profile(
            whole,
            "a decimal comma with commas between the columns would split every amount in two: give delimiter = \";\"".into(),
        ));
    }
    if let Some(l) = &raw.line_ending {
        profile.crlf = match l.get_ref().trim() {
            "crlf" => true,
            "lf" => false,
            other => {
                return Err(in_profile(
                    l.span(),
                    format!("line_ending = \"{other}\": write \"crlf\" or \"lf\""),
                ));
            }
        };
    }
    Ok(profile)
}
