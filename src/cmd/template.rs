//! `yourchoice template`: a blank format-1 workbook for a provider and
//! period, to send to the provider. The template checks itself before it is
//! written: read back by `check`, it must raise nothing but a `missing-hours`
//! per person with blank care weeks (and `rate-missing` when no rate is known yet,
//! `no-people` when no one is listed yet), so
//! the council never sends a return that `check` would reject for what the
//! council filled in.
//!
//! The people listed: the `--people` file's; without one, the people of the
//! council's plans (`--council` naming a plans file) for the provider in the
//! period. With both, the people file wins (it alone gives names, charges
//! and care dates) and is checked against the plans: each person the plans
//! do not hold, each planned person it leaves out and each bundle that
//! differs is printed as a warning, and the template is still written.

use anyhow::{Context, bail};

use super::Outcome;
use crate::cli::config::{Config, Template};
use crate::engine::{self, period};
use crate::model::findings::Code;
use crate::read;
use crate::write::{atomic, phrases, template};

/// Run `template`.
///
/// # Errors
/// People the template cannot list as given, or a file that cannot be
/// written.
pub fn run(job: &Template, config: &Config) -> anyhow::Result<Outcome> {
    let settings = &config.settings;
    let due = period::submission_due(&job.request.period, settings.submission_days);
    // Without --rate, the council's rate for the provider in force on the
    // period's first day.
    let mut request = job.request.clone();
    if job.people_from_plans
        && let Some(plans) = &settings.plans
    {
        request.people = engine::plans::listed_people(plans, &request.provider_reference, &request.period);
    }
    if request.rate.is_none() {
        request.rate = settings
            .provider(&request.provider_reference)
            .and_then(|p| period::amount_in_force(&p.rates, request.period.start));
    }
    let bytes = template::build(&request, settings, due)
        .and_then(|mut wb| wb.save_to_buffer())
        .context("cannot build the template")?;

    let (submission, findings) = read::read_submission("template", &bytes, settings);
    let result = engine::reconcile(&submission, findings, settings);
    let mut problems = result.findings.iter().filter(|f| {
        f.is_error() && !matches!(f.code, Code::MissingHours | Code::RateMissing | Code::NoPeople)
    });
    if let Some(first) = problems.next() {
        let more = problems.count();
        bail!(
            "the template would not pass `yourchoice check`, so it was not written: {}{} \
             (row {} of its Hours sheet is line 2 of the people file)",
            phrases::finding_plain(first),
            if more > 0 {
                format!(" (and {more} more)")
            } else {
                String::new()
            },
            template::FIRST_PERSON_ROW + 1
        );
    }
    // The people file against the council's plans (the template's own
    // people, taken from the plans, agree with them by construction).
    if !job.people_from_plans && settings.plans.is_some() {
        let differ: Vec<_> = result
            .findings
            .iter()
            .filter(|f| {
                matches!(
                    f.code,
                    Code::UnknownPerson | Code::PlannedPersonMissing | Code::BundleDiffers
                )
            })
            .collect();
        if !differ.is_empty() {
            eprintln!(
                "The people file and the council's plans differ; the template lists the people file's people and bundles:"
            );
            for f in differ {
                eprintln!("{}", phrases::finding_plain(f));
            }
            eprintln!(
                "(row {} of the template's Hours sheet is line 2 of the people file)",
                template::FIRST_PERSON_ROW + 1
            );
        }
    }
    atomic::write_file(&job.out, &bytes, job.force)?;
    eprintln!("Wrote {}", job.out.display());
    Ok(Outcome::Done)
}
