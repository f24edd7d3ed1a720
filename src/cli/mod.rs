//! The front door: the arguments as typed ([`args`], clap), resolved into
//! one validated [`config::Config`] before any command runs ([`config`]),
//! with the checks on the paths a command would write ([`paths`]).

pub mod args;
pub mod config;
pub mod paths;

use clap::Parser;

/// Parse the command line and resolve it into one configuration.
///
/// # Errors
/// Usage and settings problems (exit 2 at the binary's edge). `--help` and
/// `--version` print and exit inside clap, as usual.
pub fn parse() -> anyhow::Result<config::Config> {
    config::Config::from_cli(args::Cli::parse())
}
