//! The front door: the arguments as typed ([`args`], clap), resolved into
//! one validated [`config::Config`] before any command runs ([`config`]),
//! with the checks on the paths a command would write ([`paths`]).

pub mod args;
pub mod config;
pub mod paths;

use clap::Parser;
use clap::error::ErrorKind;

/// Parse the command line and resolve it into one configuration.
///
/// # Errors
/// Usage and settings problems (exit 2 at the binary's edge), each one
/// line. `--help` and `--version` print and exit inside clap, as usual.
pub fn parse() -> anyhow::Result<config::Config> {
    let cli = match args::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e)
            if matches!(
                e.kind(),
                ErrorKind::DisplayHelp
                    | ErrorKind::DisplayVersion
                    | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            ) =>
        {
            e.exit()
        }
        Err(e) => anyhow::bail!("{}", one_line(&e.render().to_string())),
    };
    config::Config::from_cli(cli)
}

/// clap's usage error in one line, as every other error is: what is wrong
/// (and clap's tip, when it has one), then where the options are listed.
fn one_line(rendered: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let mut tips: Vec<&str> = Vec::new();
    let mut usage = None;
    let mut in_first = true;
    for line in rendered.lines().map(str::trim) {
        if line.is_empty() {
            in_first = false;
        } else if let Some(u) = line.strip_prefix("Usage:") {
            usage = Some(u.trim());
        } else if let Some(tip) = line.strip_prefix("tip:") {
            tips.push(tip.trim());
        } else if in_first {
            parts.push(line.strip_prefix("error:").map_or(line, str::trim));
        }
    }
    let mut text = parts.join(" ");
    for tip in tips {
        text += "; ";
        text += tip;
    }
    let command: Vec<&str> = usage
        .unwrap_or("yourchoice")
        .split_whitespace()
        .take_while(|w| !w.starts_with(['[', '<', '-']))
        .collect();
    text += &format!("; `{} --help` lists what it takes", command.join(" "));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_usage_error_is_one_line() {
        let e = args::Cli::try_parse_from(["yourchoice", "reconcile"]).unwrap_err();
        let line = one_line(&e.render().to_string());
        assert_eq!(
            line,
            "the following required arguments were not provided: <SUBMISSION>...; `yourchoice reconcile --help` lists what it takes"
        );
    }
}
