//! The commands: [`run`] dispatches the resolved configuration to one module
//! per command; each runs reader -> engine -> writers (and the ledger) and
//! returns an [`Outcome`], which becomes the exit code in one place.

pub mod check;
pub mod decisions;
pub mod explain;
pub mod export;
pub mod fill;
pub mod inputs;
pub mod letters;
pub mod monitor;
pub mod paid;
pub mod reconcile;
pub mod spot_check;
pub mod status;
pub mod template;
pub mod verify;

use std::io::Write;

use std::process::ExitCode;

use crate::cli::config::{Config, Job};
use crate::engine::{Reconciliation, Status};

/// How a command ended, mapped to the exit status in one place
/// ([`Outcome::exit_code`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Done: every submission reconciled (referrals included), or the
    /// command's work was done (exit 0).
    Done,
    /// A submission has errors and was not reconciled, the ledger
    /// refused a return or an export, or a filled spot check recorded no
    /// answers, so nothing was checked (exit 1).
    Refused,
    /// The figures were shown but an output could not be written (exit 2,
    /// as for a usage or I/O failure).
    NotWritten,
}

impl Outcome {
    /// The process's exit status: 0 done, 1 refused, 2 not written.
    pub fn exit_code(self) -> ExitCode {
        match self {
            Outcome::Done => ExitCode::SUCCESS,
            Outcome::Refused => ExitCode::from(1),
            Outcome::NotWritten => ExitCode::from(2),
        }
    }

    /// [`Outcome::Refused`] when any submission was rejected, else
    /// [`Outcome::Done`].
    pub fn of(results: &[Reconciliation]) -> Outcome {
        if results.iter().any(|r| r.status() == Status::Rejected) {
            Outcome::Refused
        } else {
            Outcome::Done
        }
    }
}

/// Run the command the configuration holds.
///
/// # Errors
/// Usage, settings and I/O failures (exit 2 at the binary's edge).
pub fn run(config: &Config) -> anyhow::Result<Outcome> {
    match &config.job {
        Job::Reconcile(job) => reconcile::run(job, config),
        Job::Check(job) => check::run(job, config),
        Job::Template(job) => template::run(job, config),
        Job::Export(job) => export::run(job, config),
        Job::Letters(job) => letters::run(job, config),
        Job::Monitor(job) => monitor::run(job, config),
        Job::Explain(job) => explain::run(job, config),
        Job::SpotCheck(job) => spot_check::run(job, config),
        Job::Status(job) => status::run(job, config),
        Job::Verify(job) => verify::run(job, config),
        Job::Decisions(job) => decisions::run(job, config),
        Job::Fill(job) => fill::run(job, config),
        Job::Paid(job) => paid::run(job, config),
    }
}

/// Standard output, coloured or not as the configuration says.
pub fn stdout(config: &crate::cli::config::Config) -> anstream::AutoStream<std::io::StdoutLock<'static>> {
    anstream::AutoStream::new(std::io::stdout().lock(), config.color)
}

/// Print each result with `show`, a blank line between texts (not between
/// JSON lines), then flush.
///
/// # Errors
/// Output that cannot be printed (a closed pipe is handled at the edge).
pub fn print_all<W: Write>(
    out: &mut W,
    results: &[Reconciliation],
    json: bool,
    mut show: impl FnMut(usize, &Reconciliation) -> anyhow::Result<String>,
) -> anyhow::Result<()> {
    for (i, r) in results.iter().enumerate() {
        if i > 0 && !json {
            writeln!(out)?;
        }
        let text = show(i, r)?;
        if json {
            writeln!(out, "{text}")?;
        } else {
            write!(out, "{text}")?;
        }
    }
    out.flush()?;
    Ok(())
}
