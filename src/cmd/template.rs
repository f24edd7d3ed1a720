//! `yourchoice template`: a blank format-1 workbook for a provider and
//! period, to send to the provider.

use std::process::ExitCode;

use anyhow::Context;

use crate::config::{Config, Template};
use crate::engine::period;
use crate::write::{atomic, template};

/// Run `template`.
///
/// # Errors
/// A file that cannot be written.
pub fn run(job: &Template, config: &Config) -> anyhow::Result<ExitCode> {
    let spec = template::TemplateSpec {
        provider_reference: job.provider_reference.clone(),
        provider_name: job.provider_name.clone(),
        period: job.period,
        rate: job.rate,
        people: job.people.clone(),
        submission_due: period::submission_due(&job.period, config.settings.submission_days),
        settings: config.settings.clone(),
    };
    let bytes = template::build(&spec)
        .and_then(|mut wb| wb.save_to_buffer())
        .context("cannot build the template")?;
    atomic::write_file(&job.out, &bytes)?;
    eprintln!("Wrote {}", job.out.display());
    Ok(ExitCode::SUCCESS)
}
