//! `yourchoice spot-check`: pick people to contact and write the workbook
//! for the calls, or (`--compare`) read it back and list the anomalies.

use std::io::Write;

use anyhow::Context;

use super::inputs::{load_inputs, reconcile_one};
use super::{Outcome, stdout};
use crate::base::digest::sha256_hex;
use crate::base::limits::MAX_FILE_BYTES;
use crate::cli::config::{Config, SpotCheck};
use crate::engine::spot;
use crate::read;
use crate::read::file::read_regular;
use crate::write::{self, atomic};

/// Run `spot-check`.
///
/// # Errors
/// The submission or the filled workbook cannot be read or is not the
/// right one, or a file cannot be written.
pub fn run(job: &SpotCheck, config: &Config) -> anyhow::Result<Outcome> {
    let inputs = load_inputs(std::slice::from_ref(&job.input))?;
    let sha256 = sha256_hex(&inputs[0].bytes);
    let r = match reconcile_one(&inputs[0], config, "nobody can be spot-checked against it yet")? {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    let r = &r;
    let mut out = stdout(config);
    if let Some(filled) = &job.compare {
        // As a return is read: an ordinary file, at most the returns' cap.
        let bytes = read_regular(filled, MAX_FILE_BYTES)
            .map_err(|why| anyhow::anyhow!("cannot read {}: {why}", filled.display()))?;
        let weeks = r.period.as_ref().map_or(0, |p| p.period.weeks);
        let filled_name = filled.file_name().map_or_else(
            || filled.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        // The record of how it was made first (no more people kept than the
        // return holds), checked against this return before any answer is
        // read: a workbook for other people is refused, never compared.
        let workbook = read::read_spot_check(&filled.display().to_string(), &bytes, r.people.len())?;
        if let Err(m) = spot::check_record(&workbook.record, &r.people, &sha256, weeks) {
            anyhow::bail!("{}", write::spot::mismatch(&filled.display().to_string(), r, &m));
        }
        let reported = workbook.answers()?;
        let comparison = spot::compare(&r.people, &reported, job.thresholds);
        if job.json {
            writeln!(
                out,
                "{}",
                write::spot::anomalies_json(r, &comparison).context("writing JSON")?
            )?;
        } else {
            let text = write::spot::render_anomalies(r, &comparison, &filled_name);
            write!(out, "{}", write::phrases::wrap_text(&text, config.width))?;
        }
        out.flush()?;
        // Nobody answered: not a clean check, and no sheet for the agency
        // that could be read as one.
        if comparison.nothing_checked() {
            if job.json {
                eprintln!("{}", write::spot::nothing_checked(&filled_name));
            }
            if let Some(path) = &job.out {
                eprintln!("Not written: {} (nothing was checked)", path.display());
            }
            return Ok(Outcome::Refused);
        }
        if let Some(path) = &job.out {
            let bytes = write::spot::anomalies_workbook(r, &comparison, &reported)
                .and_then(|mut wb| wb.save_to_buffer())
                .context("cannot build the anomalies workbook")?;
            atomic::write_file(path, &bytes, job.force)?;
            eprintln!("Anomalies: {}", path.display());
        }
        return Ok(Outcome::Done);
    }
    let seed = job.seed.unwrap_or_else(|| spot::default_seed(&sha256));
    let size = spot::sample_size(r.people.len(), job.sample, job.percent);
    let picks = spot::pick(&r.people, size, seed);
    if job.json {
        writeln!(
            out,
            "{}",
            write::spot::picks_json(r, &picks, seed, &sha256).context("writing JSON")?
        )?;
    } else {
        let text = write::spot::render_picks(r, &picks, seed);
        write!(out, "{}", write::phrases::wrap_text(&text, config.width))?;
    }
    out.flush()?;
    if let Some(path) = &job.out {
        let sheet = write::spot::SpotCheck {
            result: r,
            picks: &picks,
            seed,
            sha256: &sha256,
            made_on: chrono::Local::now().date_naive(),
        };
        let bytes = write::spot::build(&sheet)
            .and_then(|mut wb| wb.save_to_buffer())
            .context("cannot build the spot-check workbook")?;
        atomic::write_file(path, &bytes, job.force)?;
        eprintln!("Spot check: {}", path.display());
    }
    Ok(Outcome::Done)
}
