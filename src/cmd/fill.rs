//! `yourchoice fill BLANK --visits FILE... -o RETURN`: the provider's blank
//! return filled from its own visit records (issue 23). The visits are read
//! (`read::visits`), summed into weeks (`engine::visits`), written into the
//! council's template with a note on each figure and a Visits sheet
//! (`write::template::build_filled`), and the result checked as `check`
//! would, its findings printed at the end.

use std::io::Write;

use anyhow::{Context, bail};

use super::inputs::load_inputs;
use super::{Outcome, stdout};
use crate::base::limits::MAX_VISIT_FILE_BYTES;
use crate::base::text::plural;
use crate::cli::config::{Config, Fill};
use crate::engine::visits::{FillRow, fill};
use crate::engine::{self, period};
use crate::model::findings::Findings;
use crate::model::visits::Visits;
use crate::model::{Period, PlannedPerson, Submission, TemplateRequest, WeekCell};
use crate::read;
use crate::read::file::read_regular;
use crate::write::{self, atomic, phrases, template};

/// Run `fill`: exit 0 written, 1 a visit or the blank has an error (nothing
/// written), 2 usage or I/O.
///
/// # Errors
/// An input that cannot be read, a blank that is not one, or a file that
/// cannot be written.
pub fn run(job: &Fill, config: &Config) -> anyhow::Result<Outcome> {
    let settings = &config.settings;
    let blank = load_inputs(std::slice::from_ref(&job.blank))?.remove(0);
    let (request, visits, filled) = fill_blank(
        &blank,
        &job.visits,
        job.mapping.as_ref(),
        &job.clients,
        settings,
        None,
    )?;
    let mut out = stdout(config);
    let findings = Findings::from(filled.findings.clone()).into_sorted();
    for f in &findings {
        writeln!(out, "{}", phrases::wrap(&phrases::finding_line(f), config.width))?;
    }
    let s = &filled.summary;
    let read = format!(
        "{} read, {} counted: {} for {} of the {} in the return.",
        plural(s.visits, "visit", "visits"),
        s.counted,
        crate::base::text::hours_of(s.hours),
        s.people,
        plural(request.people.len(), "person", "people")
    );
    writeln!(out, "{}", phrases::wrap(&read, config.width))?;
    if findings.iter().any(|f| f.is_error()) {
        writeln!(
            out,
            "Nothing was written: a visit the return would rest on could not be counted. Correct the visit records (the lines above) and fill again."
        )?;
        out.flush()?;
        return Ok(Outcome::Refused);
    }
    let bytes = filled_bytes(&request, &visits.visits, &filled, settings)?;
    // What `check` will say of it, before it is written.
    let (checked, found) = read::read_submission(&file_name(&job.out), &bytes, settings);
    let result = engine::reconcile(&checked, found, settings);
    atomic::write_file(&job.out, &bytes, job.force)?;
    writeln!(out, "Wrote {}; `yourchoice check` says:", job.out.display())?;
    write!(
        out,
        "{}",
        write::check::render(&result, write::Show::default(), config.width)
    )?;
    out.flush()?;
    // Written, so the provider can look; but not ready to submit.
    Ok(if result.status() == crate::engine::Status::Rejected {
        Outcome::Refused
    } else {
        Outcome::Done
    })
}

/// The blank's template and its weeks summed from the visit files; with
/// `until`, the weeks begun after it left blank (mid-period).
///
/// # Errors
/// A visit file that cannot be read, or a blank that is not one.
pub(super) fn fill_blank(
    blank: &super::inputs::Input,
    paths: &[std::path::PathBuf],
    mapping: Option<&crate::model::visits::VisitMapping>,
    clients: &std::collections::HashMap<String, String>,
    settings: &crate::model::settings::Settings,
    until: Option<chrono::NaiveDate>,
) -> anyhow::Result<(TemplateRequest, Visits, crate::engine::visits::Fill)> {
    let (submission, _) = read::read_submission(&blank.name, &blank.bytes, settings);
    let request = request_of(&submission, settings, &blank.name)?;
    let mut visits = Visits::default();
    for path in paths {
        let bytes = read_regular(path, MAX_VISIT_FILE_BYTES)
            .map_err(|why| anyhow::anyhow!("cannot read {}: {why}", path.display()))?;
        // The bytes handed over, so a large file is decoded in place, not
        // copied.
        let mut read = read::visits::read_visit_bytes(&file_name(path), bytes, mapping);
        // Mid-period: what is dated after the day is not yet delivered.
        if let Some(day) = until {
            read.visits.retain(|v| v.date <= day);
        }
        if visits.visits.is_empty() {
            visits.visits = read.visits;
        } else {
            visits.visits.extend(read.visits);
        }
        visits.problems.extend(read.problems);
    }
    let rows: Vec<FillRow> = request
        .people
        .iter()
        .map(|p| FillRow {
            person_id: p.person_id.clone(),
            bundle: Some(p.bundle),
            care_start: p.care_start,
            care_end: p.care_end,
        })
        .collect();
    let mut filled = fill(
        &rows,
        request.period,
        &visits,
        clients,
        &settings.visits,
        settings.tolerance,
    );
    if let Some(day) = until {
        crate::engine::visits::as_of(&mut filled, request.period, day);
    }
    Ok((request, visits, filled))
}

/// The filled return's bytes.
///
/// # Errors
/// Only the workbook writer's.
pub(super) fn filled_bytes(
    request: &TemplateRequest,
    visits: &[crate::model::visits::Visit],
    filled: &crate::engine::visits::Fill,
    settings: &crate::model::settings::Settings,
) -> anyhow::Result<Vec<u8>> {
    let due = period::submission_due(&request.period, settings.submission_days);
    template::build_filled(request, settings, due, Some((filled, visits)))
        .and_then(|mut wb| wb.save_to_buffer())
        .context("cannot build the filled return")
}

fn file_name(path: &std::path::Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// The template to fill, from what the blank return holds: its provider,
/// period, rate and people. A blank that already holds hours, or is not a
/// return, is refused.
fn request_of(
    s: &Submission,
    settings: &crate::model::settings::Settings,
    name: &str,
) -> anyhow::Result<TemplateRequest> {
    let Some(details) = &s.details else {
        bail!(
            "{name} is not a blank return: it has no Details sheet (give the council's template for the provider and period)"
        );
    };
    let (Some(reference), Some(start)) = (&details.provider_reference, &details.period_start) else {
        bail!(
            "{name} has no Provider reference or Period start on its Details sheet: give the council's template, filled in as the council sent it"
        );
    };
    if let Some((row, cell)) = s.rows.iter().find_map(|r| {
        r.weeks
            .iter()
            .find(|w| !matches!(w.value, WeekCell::Blank))
            .map(|w| (r, w.at))
    }) {
        bail!(
            "{name} already holds hours ({} for {}): fill takes the blank return, and writes every week from the visits",
            cell,
            row.person_id
        );
    }
    let mut people = Vec::with_capacity(s.rows.len());
    for r in &s.rows {
        let Some(bundle) = &r.bundle else {
            bail!(
                "{name}: {} has no Weekly bundle: the council's template gives every person's",
                r.person_id
            );
        };
        people.push(PlannedPerson {
            person_id: r.person_id.clone(),
            name: r.name.clone(),
            bundle: bundle.value,
            charge: r.charge.as_ref().map(|c| c.value),
            care_start: r.care_start.as_ref().map(|d| d.value),
            care_end: r.care_end.as_ref().map(|d| d.value),
            notes: r.notes.clone(),
        });
    }
    if people.is_empty() {
        bail!("{name} lists nobody: fill writes the hours of the people the return lists");
    }
    Ok(TemplateRequest {
        provider_reference: reference.value.clone(),
        provider_name: details
            .provider_name
            .as_ref()
            .map_or_else(|| reference.value.clone(), |n| n.value.clone()),
        period: Period {
            start: start.value,
            weeks: settings.period_weeks,
        },
        rate: details.rate.as_ref().map(|r| r.value),
        people,
    })
}
