//! Command-line definitions (clap) and dispatch. No work is done here: each
//! command lives in `cmd/`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::cmd;

#[derive(Debug, Parser)]
#[command(
    name = "yourchoice",
    version,
    about = "Reconcile \"Your Choice\" care-at-home hours: a provider's 13-week return against each person's weekly bundle.",
    after_help = "Examples:\n  yourchoice reconcile provider.xlsx\n  yourchoice reconcile provider.xlsx --json\n  yourchoice reconcile a.xlsx b.xlsx -o reports/"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Reconcile one or more submissions: figures on screen (or JSON) and an
    /// annotated report workbook for each.
    #[command(
        after_help = "Exit status: 0 reconciled (referrals included); 1 a submission has errors \
and was not reconciled; 2 usage, settings or I/O failure.\n\nExamples:\n  yourchoice reconcile provider.xlsx\n  yourchoice reconcile provider.xlsx --json > result.jsonl\n  yourchoice reconcile provider.xlsx -o meeting/provider-report.xlsx"
    )]
    Reconcile(ReconcileArgs),
}

#[derive(Debug, clap::Args)]
pub struct ReconcileArgs {
    /// The provider's submission workbooks (.xlsx, .xls, .xlsb, .ods).
    #[arg(required = true, value_name = "SUBMISSION")]
    pub inputs: Vec<PathBuf>,
    /// Print one JSON document per submission (SPEC 8.2) instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Where to write the report: a file for one submission, a folder for
    /// several. Default: NAME.report.xlsx beside each input.
    #[arg(short = 'o', long = "out", value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// Do not write the report workbook.
    #[arg(long)]
    pub no_report: bool,
}

/// Parse the command line and run the command.
///
/// # Errors
/// Settings and I/O failures (exit 2 at the binary's edge).
pub fn run() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    match cli.command {
        Command::Reconcile(args) => cmd::reconcile::run(&args),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_reconcile() {
        let cli =
            Cli::try_parse_from(["yourchoice", "reconcile", "a.xlsx", "--json", "-o", "r.xlsx"]).unwrap();
        let Command::Reconcile(args) = cli.command;
        assert_eq!(args.inputs, vec![PathBuf::from("a.xlsx")]);
        assert!(args.json);
        assert_eq!(args.out, Some(PathBuf::from("r.xlsx")));
    }

    #[test]
    fn reconcile_needs_an_input() {
        assert!(Cli::try_parse_from(["yourchoice", "reconcile"]).is_err());
    }
}
