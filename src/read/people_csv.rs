//! `--people people.csv` for `yourchoice template`: the people a provider's
//! return should list. Header `Person ID,Name,Weekly bundle`, optionally
//! `Assessed weekly charge`, `Care start`, `Care end` (any order, matched
//! ignoring case and spaces). A bad file is a settings error naming the file
//! and line (exit 2).

use std::path::Path;

use anyhow::{Context, bail};
use rust_decimal::Decimal;

use super::normalise_label;
use crate::read::text_date;
use crate::units::Hours;
use crate::write::template::PlannedPerson;

/// Read the people CSV.
///
/// # Errors
/// The file cannot be read, a required column is missing, or a value on some
/// line is not what its column wants (the message names file and line).
pub fn read_people_csv(path: &Path) -> anyhow::Result<Vec<PlannedPerson>> {
    let shown = path.display();
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_path(path)
        .with_context(|| format!("cannot read {shown}"))?;
    let headers: Vec<String> = reader
        .headers()
        .with_context(|| format!("{shown}: cannot read the header line"))?
        .iter()
        .map(normalise_label)
        .collect();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let (Some(id_col), Some(bundle_col)) = (col("person id"), col("weekly bundle")) else {
        bail!(
            "{shown}:1: the header must have \"Person ID\" and \"Weekly bundle\" (and may have Name, Assessed weekly charge, Care start, Care end)"
        );
    };
    let (name_col, charge_col, start_col, end_col) = (
        col("name"),
        col("assessed weekly charge"),
        col("care start"),
        col("care end"),
    );

    let mut people = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.with_context(|| format!("{shown}:{line}: cannot read the line"))?;
        let get = |c: Option<usize>| c.and_then(|c| record.get(c)).filter(|s| !s.is_empty());
        if record.iter().all(str::is_empty) {
            continue;
        }
        let Some(id) = get(Some(id_col)) else {
            bail!("{shown}:{line}: the Person ID is blank");
        };
        let bundle = get(Some(bundle_col))
            .and_then(Hours::parse)
            .filter(|h| !h.is_negative() && !h.is_zero())
            .with_context(|| {
                format!("{shown}:{line}: the weekly bundle must be a number of hours more than 0")
            })?;
        let charge = match get(charge_col) {
            Some(text) => Some(
                Decimal::from_str_exact(text.trim_start_matches('£'))
                    .ok()
                    .filter(|d| !d.is_sign_negative())
                    .with_context(|| {
                        format!("{shown}:{line}: the assessed weekly charge \"{text}\" is not an amount in £")
                    })?,
            ),
            None => None,
        };
        let date = |c: Option<usize>, what: &str| -> anyhow::Result<_> {
            match get(c) {
                Some(text) => text_date(text).map(Some).with_context(|| {
                    format!("{shown}:{line}: the {what} \"{text}\" is not a date (dd/mm/yyyy or yyyy-mm-dd)")
                }),
                None => Ok(None),
            }
        };
        people.push(PlannedPerson {
            person_id: id.to_string(),
            name: get(name_col).map(str::to_string),
            bundle,
            charge,
            care_start: date(start_col, "care start")?,
            care_end: date(end_col, "care end")?,
        });
    }
    Ok(people)
}
