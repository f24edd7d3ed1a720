//! `yourchoice template`: a blank format-1 workbook for a provider and
//! period, to send to the provider.

use std::process::ExitCode;

use anyhow::{Context, bail};
use chrono::Datelike;
use rust_decimal::Decimal;

use crate::cli::TemplateArgs;
use crate::engine::{Settings, period};
use crate::model::Period;
use crate::read::{read_people_csv, text_date};
use crate::write::{atomic, template};

/// Run `template`.
///
/// # Errors
/// A bad date, rate or people file, or a file that cannot be written.
pub fn run(args: &TemplateArgs) -> anyhow::Result<ExitCode> {
    let settings = Settings::default();
    let Some(start) = text_date(&args.period_start) else {
        bail!(
            "--period-start \"{}\" is not a date: give it as yyyy-mm-dd or dd/mm/yyyy",
            args.period_start
        );
    };
    if start.weekday() != settings.week_start {
        bail!(
            "--period-start {} is a {}: a period starts on the first day of a financial week, a Monday",
            start,
            start.format("%A")
        );
    }
    let rate = match &args.rate {
        Some(text) => Some(
            Decimal::from_str_exact(text.trim_start_matches('£'))
                .ok()
                .filter(|r| *r > Decimal::ZERO)
                .with_context(|| format!("--rate \"{text}\" is not a rate in £ per hour more than 0"))?,
        ),
        None => None,
    };
    let people = match &args.people {
        Some(path) => read_people_csv(path)?,
        None => Vec::new(),
    };
    let period = Period {
        start,
        weeks: settings.period_weeks,
    };
    let spec = template::TemplateSpec {
        provider_reference: args.provider_ref.clone(),
        provider_name: args
            .provider_name
            .clone()
            .unwrap_or_else(|| args.provider_ref.clone()),
        period,
        rate,
        people,
        submission_due: period::submission_due(&period, settings.submission_days),
        tolerance: settings.tolerance,
    };
    let bytes = template::build(&spec)
        .and_then(|mut wb| wb.save_to_buffer())
        .context("cannot build the template")?;
    atomic::write_file(&args.out, &bytes)?;
    eprintln!("Wrote {}", args.out.display());
    Ok(ExitCode::SUCCESS)
}
