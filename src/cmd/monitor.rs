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
    let inputs = load_inputs(std::slice::from_ref(&job.input))?;
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
