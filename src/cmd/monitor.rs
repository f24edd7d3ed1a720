//! `yourchoice monitor RETURN`: the provider's mid-period monitor.

use std::io::Write;

use anyhow::Context;

use super::inputs::load_inputs;
use super::{Outcome, stdout};
use crate::cli::config::{Config, Monitor};
use crate::engine::monitor;
use crate::model::findings::has_errors;
use crate::read;
use crate::write::{self, atomic};

/// Run `monitor`: exit 1 when the return has errors.
///
/// # Errors
/// The return cannot be read, the workbook cannot be written, or output
/// cannot be printed.
pub fn run(job: &Monitor, config: &Config) -> anyhow::Result<Outcome> {
    let mut inputs = load_inputs(std::slice::from_ref(&job.input))?;
    let input = &mut inputs[0];
    // With visit files, the blank filled from them for the weeks begun by
    // the as-of date, then monitored as the provider's return would be.
    if !job.visits.is_empty() && input.too_large.is_none() {
        let (request, visits, filled) = super::fill::fill_blank(
            input,
            &job.visits,
            job.mapping.as_ref(),
            &job.clients,
            &config.settings,
            Some(job.as_of),
        )?;
        let mut err = anstream::AutoStream::new(std::io::stderr().lock(), config.color);
        for f in crate::model::findings::Findings::from(filled.findings.clone()).into_sorted() {
            writeln!(err, "{}", write::phrases::finding_line(&f))?;
        }
        if filled
            .findings
            .iter()
            .any(crate::model::findings::Finding::is_error)
        {
            writeln!(
                err,
                "The visits could not all be counted, so nothing is monitored: correct the visit records (the lines above) and run again."
            )?;
            return Ok(Outcome::Refused);
        }
        input.bytes = super::fill::filled_bytes(&request, &visits.visits, &filled, &config.settings)?;
    }
    let input = &inputs[0];
    let (submission, findings) = match input.too_large {
        Some(size) => read::refused(&input.name, read::too_large(&input.name, size)),
        None => read::read_submission(&input.name, &input.bytes, &config.settings),
    };
    let m = monitor::monitor(&submission, findings, &config.settings, job.as_of);
    let mut out = stdout(config);
    if job.json {
        writeln!(out, "{}", write::monitor::to_json(&m).context("writing JSON")?)?;
    } else {
        write!(out, "{}", write::monitor::render(&m, job.show, config.width))?;
    }
    out.flush()?;
    if let Some(path) = &job.out {
        let bytes = write::monitor::build(&m)
            .and_then(|mut wb| wb.save_to_buffer())
            .context("cannot build the monitor workbook")?;
        atomic::write_file(path, &bytes, job.force)?;
        eprintln!("Monitor: {}", path.display());
    }
    Ok(if has_errors(&m.findings) {
        Outcome::Refused
    } else {
        Outcome::Done
    })
}
