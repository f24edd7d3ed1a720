//! Raw arguments -> one resolved configuration (ripgrep's low-args ->
//! high-args step). [`Config::from_cli`] checks and parses everything the
//! user typed (dates, money, the people file, where reports go) and loads
//! the settings, before any command runs; a command only does its work.
//! A problem here is a usage error: one line, exit 2.

use std::path::PathBuf;

use anstream::ColorChoice;
use anyhow::{Context, bail};

use crate::base::limits;
use crate::base::text::{DATE_FORMS, not_a_week_start};
use crate::base::units::parse_money;
use crate::cli::args::{
    CheckArgs, Cli, ColorWhen, Command, ExportArgs, LedgerArgs, LedgerCommand, LettersArgs, MonitorArgs,
    PaidArgs, ReconcileArgs, SeverityArg, ShowArgs, StatusArgs, TemplateArgs, VerifyArgs,
};
use crate::cli::paths::{Place, RunInputs, report_paths};
use crate::model::export::ExportKind;
use crate::model::findings::Severity;
use crate::model::settings::Settings;
use crate::model::{Period, TemplateRequest};
use crate::read::{load_settings, read_people_csv, text_date};
pub use crate::write::Show;

/// Everything a run needs, checked.
#[derive(Debug)]
pub struct Config {
    /// Colour on stdout (anstream decides `Auto` from the terminal and
    /// `NO_COLOR`).
    pub color: ColorChoice,
    /// The width to fit text to: `--width`, else the terminal's; `None`
    /// when piped (scripts get unwrapped lines).
    pub width: Option<usize>,
    /// The council's settings in force (SPEC 6 defaults until a settings
    /// file is given).
    pub settings: Settings,
    pub job: Job,
}

/// The command to run, with its arguments resolved.
#[derive(Debug)]
pub enum Job {
    Reconcile(Reconcile),
    Check(Check),
    Template(Template),
    Export(Export),
    Monitor(Box<Monitor>),
    Explain(Explain),
    SpotCheck(SpotCheck),
    Status(Status),
    Verify(Verify),
    Decisions(Decisions),
    Fill(Box<Fill>),
    Letters(Letters),
    Paid(Paid),
}

/// `paid`: finance's paid file and the ledger to record it in.
#[derive(Debug)]
pub struct Paid {
    pub file: PathBuf,
    pub ledger: LedgerUse,
}

/// `letters`: the returns, the folder and the letters' date.
#[derive(Debug)]
pub struct Letters {
    pub inputs: Vec<PathBuf>,
    pub out: PathBuf,
    pub force: bool,
    pub date: chrono::NaiveDate,
    /// The ledger the returns must be recorded in, and the exports come
    /// from.
    pub ledger: Option<PathBuf>,
    /// Every file the run reads: no letter may replace one.
    pub run_inputs: crate::cli::paths::RunInputs,
}

/// `fill`: the blank, the visit files and how to read them.
#[derive(Debug)]
pub struct Fill {
    pub blank: PathBuf,
    pub visits: Vec<PathBuf>,
    pub mapping: Option<crate::model::visits::VisitMapping>,
    /// Client reference (as a key) -> Person ID.
    pub clients: std::collections::HashMap<String, String>,
    pub out: PathBuf,
    pub force: bool,
}

/// The ledger a command records in or draws from, and who is recorded.
#[derive(Debug, Clone)]
pub struct LedgerUse {
    pub path: PathBuf,
    pub officer: String,
}

#[derive(Debug)]
pub struct Status {
    pub ledger: PathBuf,
    /// The period's first day; `None`: the latest the ledger holds.
    pub period: Option<chrono::NaiveDate>,
    pub as_of: chrono::NaiveDate,
    pub json: bool,
}

/// `decisions`.
#[derive(Debug)]
pub struct Decisions {
    pub inputs: Vec<PathBuf>,
    pub out: PathBuf,
    pub force: bool,
}

/// `ledger verify`.
#[derive(Debug)]
pub struct Verify {
    pub ledger: PathBuf,
    /// Heads noted outside the ledger, as typed (hex, any case).
    pub heads: Vec<String>,
}

/// Where an export's lines come from.
#[derive(Debug)]
pub enum ExportFrom {
    /// The returns given, reconciled now (no ledger).
    Returns(Vec<PathBuf>),
    /// The current versions the ledger holds for the period starting
    /// `period`; `again` repeats an earlier export instead.
    Ledger {
        ledger: LedgerUse,
        period: chrono::NaiveDate,
        again: Option<Again>,
    },
}

/// `--again`: which earlier export to repeat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Again {
    Latest,
    Export(i64),
}

#[derive(Debug)]
pub struct SpotCheck {
    pub input: PathBuf,
    pub sample: Option<usize>,
    pub percent: Option<rust_decimal::Decimal>,
    pub seed: Option<u64>,
    pub compare: Option<PathBuf>,
    pub thresholds: crate::engine::spot::Thresholds,
    pub json: bool,
    pub out: Option<PathBuf>,
    pub force: bool,
}

#[derive(Debug)]
pub struct Explain {
    pub input: PathBuf,
    pub person_id: String,
    pub json: bool,
    /// The one week whose visits to list.
    pub week: Option<u32>,
}

#[derive(Debug)]
pub struct Monitor {
    pub input: PathBuf,
    /// Visit files to fill `input` (a blank) from first, and how to read them.
    pub visits: Vec<PathBuf>,
    pub mapping: Option<crate::model::visits::VisitMapping>,
    pub clients: std::collections::HashMap<String, String>,
    pub as_of: chrono::NaiveDate,
    pub json: bool,
    pub out: Option<PathBuf>,
    pub force: bool,
    pub show: Show,
}

#[derive(Debug)]
pub struct Reconcile {
    pub inputs: Vec<PathBuf>,
    pub json: bool,
    /// The report of each input, in input order; empty with `--no-report`.
    pub reports: Vec<PathBuf>,
    /// The council's summary workbook, with `--summary`.
    pub summary: Option<PathBuf>,
    /// Replace outputs that exist (`--force`).
    pub force: bool,
    pub show: Show,
    /// The ledger to record in.
    pub ledger: Option<LedgerUse>,
    /// `--resubmission REASON`.
    pub resubmission: Option<String>,
    /// `--new-ledger`: start the ledger.
    pub new_ledger: bool,
}

#[derive(Debug)]
pub struct Export {
    pub kind: ExportKind,
    pub from: ExportFrom,
    /// The layout for the finance system.
    pub profile: crate::model::export::Profile,
    /// The invoice date the lines carry.
    pub date: chrono::NaiveDate,
    /// Standard output when `None`.
    pub out: Option<PathBuf>,
    pub force: bool,
}

#[derive(Debug)]
pub struct Check {
    pub inputs: Vec<PathBuf>,
    pub json: bool,
    pub show: Show,
}

impl From<&ShowArgs> for Show {
    fn from(args: &ShowArgs) -> Show {
        let least = match (args.quiet, args.severity) {
            (_, Some(SeverityArg::Error)) | (true, None) => Severity::Error,
            (_, Some(SeverityArg::Warning)) => Severity::Warning,
            (_, Some(SeverityArg::Info)) | (false, None) => Severity::Info,
        };
        Show {
            quiet: args.quiet,
            least,
        }
    }
}

#[derive(Debug)]
pub struct Template {
    pub request: TemplateRequest,
    /// No --people was given: the people are the council's plans' for the
    /// provider, where `--council` names a plans file.
    pub people_from_plans: bool,
    pub out: PathBuf,
    pub force: bool,
}

impl Config {
    /// Resolve parsed arguments.
    ///
    /// # Errors
    /// A value that cannot be used (a date that is not a week start, a rate
    /// that is not money, a bad people file, a report that would overwrite
    /// an input), named in one line.
    pub fn from_cli(cli: Cli) -> anyhow::Result<Config> {
        let (settings, job) = match cli.command {
            Command::Reconcile(args) => {
                let settings = load_settings(args.council.council.as_deref(), args.decisions.as_deref())?;
                let job = reconcile(args, &settings)?;
                (settings, Job::Reconcile(job))
            }
            Command::Check(CheckArgs {
                inputs,
                json,
                council,
                show,
            }) => {
                let settings = load_settings(council.council.as_deref(), None)?;
                let show = Show::from(&show);
                (settings, Job::Check(Check { inputs, json, show }))
            }
            Command::Decisions(args) => {
                let settings = load_settings(args.council.council.as_deref(), args.decisions.as_deref())?;
                RunInputs::new(&settings)
                    .returns(&args.inputs)
                    .check(&args.out, "the decisions workbook")?;
                let job = Decisions {
                    inputs: args.inputs,
                    out: args.out,
                    force: args.force,
                };
                (settings, Job::Decisions(job))
            }
            Command::Template(args) => {
                let settings = load_settings(args.council.council.as_deref(), None)?;
                let job = template(args, &settings)?;
                (settings, Job::Template(job))
            }
            Command::Fill(args) => {
                let settings = load_settings(args.council.council.as_deref(), None)?;
                let mut inputs = RunInputs::new(&settings).returns(std::slice::from_ref(&args.blank));
                for v in &args.visits {
                    inputs.add("a visit file", v);
                }
                if let Some(m) = &args.mapping {
                    inputs.add("the mapping", m);
                }
                if let Some(c) = &args.clients {
                    inputs.add("the client map", c);
                }
                inputs.check(&args.out, "the filled return")?;
                let job = Fill {
                    mapping: args
                        .mapping
                        .as_deref()
                        .map(crate::read::visits::read_mapping)
                        .transpose()?,
                    clients: match &args.clients {
                        Some(path) => crate::read::visits::read_clients(path)?,
                        None => std::collections::HashMap::new(),
                    },
                    blank: args.blank,
                    visits: args.visits,
                    out: args.out,
                    force: args.force,
                };
                (settings, Job::Fill(Box::new(job)))
            }
            Command::SpotCheck(args) => {
                let settings = load_settings(args.council.council.as_deref(), args.decisions.as_deref())?;
                let job = spot_check(args, &settings)?;
                (settings, Job::SpotCheck(job))
            }
            Command::Explain(args) => {
                let settings = load_settings(args.council.council.as_deref(), args.decisions.as_deref())?;
                let job = Explain {
                    input: args.input,
                    person_id: args.person_id.clone(),
                    json: args.json,
                    week: args.week,
                };
                (settings, Job::Explain(job))
            }
            Command::Monitor(args) => {
                let settings = load_settings(args.council.council.as_deref(), None)?;
                let job = monitor(args, &settings)?;
                (settings, Job::Monitor(Box::new(job)))
            }
            Command::Letters(args) => {
                let settings = load_settings(args.council.council.as_deref(), args.decisions.as_deref())?;
                let job = letters(args, &settings)?;
                (settings, Job::Letters(job))
            }
            Command::Export(args) => {
                let settings = load_settings(args.council.council.as_deref(), args.decisions.as_deref())?;
                let job = export(args, &settings)?;
                (settings, Job::Export(job))
            }
            Command::Ledger(LedgerCommand::Verify(args)) => {
                let settings = load_settings(args.council.council.as_deref(), None)?;
                let job = verify(&args, &settings)?;
                (settings, Job::Verify(job))
            }
            Command::Paid(args) => {
                let settings = load_settings(args.council.council.as_deref(), None)?;
                let job = paid(args, &settings)?;
                (settings, Job::Paid(job))
            }
            Command::Status(args) => {
                let settings = load_settings(args.council.council.as_deref(), None)?;
                let job = status(&args, &settings)?;
                (settings, Job::Status(job))
            }
        };
        let width = cli.width.or_else(|| {
            use std::io::IsTerminal;
            std::io::stdout()
                .is_terminal()
                .then(|| terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)))
                .flatten()
        });
        Ok(Config {
            color: match cli.color {
                ColorWhen::Auto => ColorChoice::Auto,
                ColorWhen::Always => ColorChoice::Always,
                ColorWhen::Never => ColorChoice::Never,
            },
            width: width.map(|w| w.max(40)),
            settings,
            job,
        })
    }
}

/// `monitor`.
fn monitor(args: MonitorArgs, settings: &Settings) -> anyhow::Result<Monitor> {
    let as_of = as_of(args.as_of.as_deref())?;
    if let Some(out) = &args.out {
        let mut inputs = RunInputs::new(settings).returns(std::slice::from_ref(&args.input));
        for v in &args.visits {
            inputs.add("a visit file", v);
        }
        if let Some(m) = &args.mapping {
            inputs.add("the mapping", m);
        }
        if let Some(c) = &args.clients {
            inputs.add("the client map", c);
        }
        inputs.check(out, "the monitor workbook")?;
    }
    Ok(Monitor {
        input: args.input,
        visits: args.visits,
        mapping: args
            .mapping
            .as_deref()
            .map(crate::read::visits::read_mapping)
            .transpose()?,
        clients: match &args.clients {
            Some(path) => crate::read::visits::read_clients(path)?,
            None => std::collections::HashMap::new(),
        },
        as_of,
        json: args.json,
        out: args.out,
        force: args.force,
        show: Show::from(&args.show),
    })
}

/// The ledger a command reads: `--ledger`, else council.toml's `ledger`.
fn ledger_given(given: Option<&PathBuf>, settings: &Settings, what: &str) -> anyhow::Result<PathBuf> {
    match given.cloned().or_else(|| settings.ledger.clone()) {
        Some(ledger) => Ok(ledger),
        None => bail!(
            "{what} the council's ledger: give --ledger FILE, or --council with `ledger = \"...\"` in it"
        ),
    }
}

/// `ledger verify`: each `--head` as 64 hexadecimal characters.
fn verify(args: &VerifyArgs, settings: &Settings) -> anyhow::Result<Verify> {
    let ledger = ledger_given(args.ledger.as_ref(), settings, "ledger verify checks")?;
    let mut heads = Vec::new();
    for head in &args.heads {
        // As `ledger verify` prints it (in groups) or as an export carries it.
        let h: String = head
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        if h.len() != 64 || !h.bytes().all(|b| b.is_ascii_hexdigit()) {
            bail!(
                "--head {head} is not a ledger head: give the 64 hexadecimal characters of an export's `Ledger head` column or a report's Audit sheet"
            );
        }
        heads.push(h);
    }
    Ok(Verify { ledger, heads })
}

/// `status`.
fn status(args: &StatusArgs, settings: &Settings) -> anyhow::Result<Status> {
    let ledger = ledger_given(args.ledger.as_ref(), settings, "status reads")?;
    let period = args
        .period
        .as_deref()
        .map(|text| period_start(text, settings))
        .transpose()?;
    Ok(Status {
        ledger,
        period,
        as_of: as_of(args.as_of.as_deref())?,
        json: args.json,
    })
}

/// `paid`: the ledger is required (the payments are recorded in it).
fn paid(args: PaidArgs, settings: &Settings) -> anyhow::Result<Paid> {
    let Some(path) = ledger_path(&args.ledger, settings)? else {
        bail!(
            "paid records the payments in the council's ledger: give --ledger FILE, or --council with `ledger = \"...\"` in it"
        );
    };
    Ok(Paid {
        file: args.file,
        ledger: LedgerUse {
            officer: officer(&args.ledger)?,
            path,
        },
    })
}

/// `--as-of`, default today.
fn as_of(text: Option<&str>) -> anyhow::Result<chrono::NaiveDate> {
    match text {
        Some(text) => text_date(text)
            .with_context(|| format!("--as-of \"{text}\" is not a date: give it as {DATE_FORMS}")),
        None => Ok(crate::base::clock::today()),
    }
}

/// `--period START`: a date that starts a financial week.
fn period_start(text: &str, settings: &Settings) -> anyhow::Result<chrono::NaiveDate> {
    let Some(start) = text_date(text) else {
        bail!("--period \"{text}\" is not a date: give the period's first day as {DATE_FORMS}");
    };
    if !settings.is_week_start(start) {
        bail!(
            "--period {start} is {}",
            not_a_week_start(start, settings.week_start)
        );
    }
    Ok(start)
}

/// The ledger from `--ledger` or council.toml, and the officer: `--officer`,
/// else the login name.
fn ledger_use(args: &LedgerArgs, settings: &Settings) -> anyhow::Result<Option<LedgerUse>> {
    match ledger_path(args, settings)? {
        Some(path) => Ok(Some(LedgerUse {
            path,
            officer: officer(args)?,
        })),
        None => Ok(None),
    }
}

/// `--officer`, else the login name.
fn officer(args: &LedgerArgs) -> anyhow::Result<String> {
    match &args.officer {
        Some(name) => Ok(name.trim().to_string()),
        None => ["USER", "USERNAME", "LOGNAME"]
            .iter()
            .find_map(|v| std::env::var(v).ok().filter(|n| !n.trim().is_empty()))
            .with_context(
                || "the ledger records who ran this and the login name is not known: give --officer NAME",
            ),
    }
}

/// The ledger's path, checking `--officer` goes with one; the officer
/// itself is resolved last ([`ledger_use`]), so a missing login name never
/// hides another mistake.
fn ledger_path(args: &LedgerArgs, settings: &Settings) -> anyhow::Result<Option<PathBuf>> {
    let path = args.ledger.clone().or_else(|| settings.ledger.clone());
    match &args.officer {
        Some(_) if path.is_none() => {
            bail!("--officer names who is recorded in the ledger: give --ledger FILE too")
        }
        Some(name) if name.trim().is_empty() => bail!("--officer is blank: give the officer's name"),
        _ => Ok(path),
    }
}

fn reconcile(args: ReconcileArgs, settings: &Settings) -> anyhow::Result<Reconcile> {
    let ledger = ledger_path(&args.ledger, settings)?;
    if args.new_ledger && ledger.is_none() {
        bail!(
            "--new-ledger starts the ledger given with --ledger FILE (or `ledger` in council.toml): give one"
        );
    }
    let resubmission = match &args.resubmission {
        None => None,
        Some(_) if ledger.is_none() => bail!(
            "--resubmission replaces a return recorded in the ledger: give --ledger FILE too (or `ledger` in council.toml)"
        ),
        Some(reason) if reason.trim().is_empty() => {
            bail!("--resubmission needs the reason: --resubmission \"corrected weeks 3 to 5\"")
        }
        Some(_) if args.inputs.len() > 1 => bail!(
            "--resubmission gives the reason for one return: reconcile the resubmitted return on its own"
        ),
        Some(reason) => Some(reason.trim().to_string()),
    };
    let inputs = RunInputs::new(settings)
        .returns(&args.inputs)
        .ledger(ledger.as_deref());
    let reports = if args.no_report {
        Vec::new()
    } else {
        report_paths(&args.inputs, args.out.as_deref(), &inputs)?
    };
    if let Some(summary) = &args.summary {
        inputs.check(summary, "the summary")?;
        let place = Place::of(summary);
        if reports.iter().any(|r| Place::of(r).is(&place)) {
            bail!(
                "the summary {} would be written over a report: choose another path for --summary",
                summary.display()
            );
        }
    }
    Ok(Reconcile {
        inputs: args.inputs,
        json: args.json,
        reports,
        summary: args.summary,
        force: args.force,
        show: Show::from(&args.show),
        new_ledger: args.new_ledger,
        ledger: ledger_use(&args.ledger, settings)?,
        resubmission,
    })
}

fn spot_check(args: crate::cli::args::SpotCheckArgs, settings: &Settings) -> anyhow::Result<SpotCheck> {
    let percent = match &args.percent {
        Some(text) => Some(
            rust_decimal::Decimal::from_str_exact(text.trim().trim_end_matches('%'))
                .ok()
                .filter(|p| *p > rust_decimal::Decimal::ZERO && *p <= rust_decimal::Decimal::ONE_HUNDRED)
                .with_context(|| format!("--percent \"{text}\" is not a percentage from 0 to 100"))?,
        ),
        None => None,
    };
    let mut thresholds = crate::engine::spot::Thresholds::from_settings(settings);
    if let Some(text) = &args.week_threshold {
        thresholds.week = crate::base::units::Hours::parse(text)
            .filter(|h| !h.is_negative())
            .with_context(|| format!("--week-threshold \"{text}\" is not a number of hours"))?;
    }
    if let Some(text) = &args.period_threshold {
        let t = text.trim();
        let fraction = match t.strip_suffix('%') {
            Some(p) => rust_decimal::Decimal::from_str_exact(p.trim())
                .ok()
                .map(|p| p / rust_decimal::Decimal::ONE_HUNDRED),
            None => rust_decimal::Decimal::from_str_exact(t).ok(),
        };
        thresholds.period = fraction
            .filter(|f| !f.is_sign_negative() && *f <= rust_decimal::Decimal::ONE)
            .with_context(|| {
                format!("--period-threshold \"{text}\" is not a share such as \"8%\" or \"0.08\"")
            })?;
    }
    if let Some(out) = &args.out {
        let mut inputs = RunInputs::new(settings).returns(std::slice::from_ref(&args.input));
        if let Some(filled) = &args.compare {
            inputs.add("the filled spot-check workbook", filled);
        }
        inputs.check(out, "the workbook")?;
    }
    Ok(SpotCheck {
        input: args.input,
        sample: args.sample,
        percent,
        seed: args.seed,
        compare: args.compare,
        thresholds,
        json: args.json,
        out: args.out,
        force: args.force,
    })
}

fn letters(args: LettersArgs, settings: &Settings) -> anyhow::Result<Letters> {
    // Letters go to the public: without the council's settings there is no
    // maximum weekly charge, no plan, no letterhead and no contact.
    if !settings.files.iter().any(|f| f.role == "council settings") {
        bail!(
            "letters need the council's settings, which hold the maximum weekly charge, the plans and the letterhead: give --council council.toml"
        );
    }
    let date = match &args.date {
        Some(text) => text_date(text).with_context(|| {
            format!("--date \"{text}\" is not a date: give the letters' date as {DATE_FORMS}")
        })?,
        None => crate::base::clock::today(),
    };
    let ledger = args.ledger.clone().or_else(|| settings.ledger.clone());
    let mut run_inputs = RunInputs::new(settings)
        .returns(&args.inputs)
        .ledger(ledger.as_deref());
    if let Some(logo) = &settings.letters.logo {
        run_inputs.add("the letterhead's logo", logo);
    }
    Ok(Letters {
        inputs: args.inputs,
        out: args.out,
        force: args.force,
        date,
        ledger,
        run_inputs,
    })
}

fn export(args: ExportArgs, settings: &Settings) -> anyhow::Result<Export> {
    let ledger = ledger_path(&args.ledger, settings)?;
    if let Some(out) = &args.out {
        RunInputs::new(settings)
            .returns(&args.inputs)
            .ledger(ledger.as_deref())
            .check(out, "the export")?;
    }
    let from = match ledger {
        Some(path) => {
            if args.decisions.is_some() {
                bail!(
                    "--decisions belongs to `reconcile --ledger`, which records them: the payment run is drawn from what the ledger holds"
                );
            }
            if !args.inputs.is_empty() {
                bail!(
                    "with a ledger ({}) the payment run is drawn from it, so that nothing is paid twice: give --period START instead of the returns, after reconciling them with --ledger",
                    path.display()
                );
            }
            let Some(text) = &args.period else {
                bail!("export from the ledger needs the period: --period START (its first day)");
            };
            let period = period_start(text, settings)?;
            let ledger = LedgerUse {
                officer: officer(&args.ledger)?,
                path,
            };
            let again = match args.again.as_deref() {
                None => None,
                Some("latest") => Some(Again::Latest),
                Some(n) => Some(Again::Export(n.trim().parse::<i64>().ok().filter(|n| *n > 0).with_context(
                    || format!("--again {n}: give the number of the export to repeat (as `status` lists them), or no number for the latest"),
                )?)),
            };
            ExportFrom::Ledger {
                period,
                ledger,
                again,
            }
        }
        None => {
            if args.period.is_some() || args.again.is_some() {
                bail!(
                    "--period and --again draw on the ledger: give --ledger FILE too (or `ledger` in council.toml)"
                );
            }
            if args.inputs.is_empty() {
                bail!("give the returns to export from (or --ledger FILE --period START)");
            }
            ExportFrom::Returns(args.inputs)
        }
    };
    if args.again.is_some() && args.date.is_some() {
        bail!(
            "--date sets the invoice date of new lines; a repeat (--again) carries its original's: leave out --date"
        );
    }
    let kind: ExportKind = args.kind.into();
    let profile = export_profile(kind, args.profile.as_deref(), settings)?;
    let date = match &args.date {
        Some(text) => text_date(text)
            .with_context(|| format!("--date {text} is not a date: write it as 2026-08-04 or 04/08/2026"))?,
        None => crate::base::clock::today(),
    };
    Ok(Export {
        kind,
        from,
        profile,
        date,
        out: args.out,
        force: args.force,
    })
}

/// The profile an export of `kind` is laid out by: `--profile`, else the
/// one council.toml's `[export]` names for the kind, else `plain`.
fn export_profile(
    kind: ExportKind,
    given: Option<&str>,
    settings: &Settings,
) -> anyhow::Result<crate::model::export::Profile> {
    let export = &settings.export;
    let name = given.unwrap_or_else(|| export.profile_for(kind));
    let Some(profile) = export.named(name) else {
        bail!(
            "--profile {name}: there is no such profile; the profiles are {} (a council's own are in council.toml's [export.profiles])",
            export.names().join(", ")
        );
    };
    if let Some(why) = profile.refusal(kind, export.recoveries) {
        bail!("{why}");
    }
    Ok(profile)
}

fn template(args: TemplateArgs, settings: &Settings) -> anyhow::Result<Template> {
    let Some(start) = text_date(&args.period_start) else {
        bail!(
            "--period-start \"{}\" is not a date: give it as {DATE_FORMS}",
            args.period_start
        );
    };
    if !settings.is_week_start(start) {
        bail!(
            "--period-start {start} is {}",
            not_a_week_start(start, settings.week_start)
        );
    }
    let rate = match &args.rate {
        Some(text) => Some(
            parse_money(text)
                .and_then(|r| limits::rate(r).ok())
                .with_context(|| {
                    format!("--rate \"{text}\" is not a rate in £ per hour more than 0, e.g. 24.85")
                })?,
        ),
        // The council's rate for the provider in force on the first day is
        // found by the engine when the template is built.
        None => None,
    };
    let mut inputs = RunInputs::new(settings);
    if let Some(people) = &args.people {
        inputs.add("the people file", people);
    }
    inputs.check(&args.out, "the template")?;
    let people = match &args.people {
        Some(path) => read_people_csv(path)?,
        None => Vec::new(),
    };
    let request = TemplateRequest {
        provider_name: args
            .provider_name
            .clone()
            .or_else(|| settings.provider(&args.provider_ref).and_then(|p| p.name.clone()))
            .unwrap_or_else(|| args.provider_ref.clone()),
        provider_reference: args.provider_ref,
        period: Period {
            start,
            weeks: settings.period_weeks,
        },
        rate,
        people,
    };
    Ok(Template {
        request,
        people_from_plans: args.people.is_none(),
        out: args.out,
        force: args.force,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;
    use rust_decimal::dec;

    fn config(argv: &[&str]) -> anyhow::Result<Config> {
        let mut full = vec!["yourchoice"];
        full.extend_from_slice(argv);
        Config::from_cli(Cli::try_parse_from(full)?)
    }

    #[test]
    fn reconcile_puts_the_report_beside_the_input() {
        let c = config(&["reconcile", "in/a.xlsx", "--json"]).unwrap();
        let Job::Reconcile(job) = c.job else {
            panic!("not reconcile");
        };
        assert_eq!(job.inputs, vec![PathBuf::from("in/a.xlsx")]);
        assert!(job.json);
        assert_eq!(job.reports, vec![PathBuf::from("in/a.report.xlsx")]);
        assert_eq!(c.color, ColorChoice::Auto);
    }

    #[test]
    fn reconcile_with_out_and_no_report() {
        let c = config(&["reconcile", "a.xlsx", "-o", "r.xlsx"]).unwrap();
        let Job::Reconcile(job) = c.job else { panic!() };
        assert_eq!(job.reports, vec![PathBuf::from("r.xlsx")]);

        let c = config(&["reconcile", "a.xlsx", "b.xlsx", "-o", "reports"]).unwrap();
        let Job::Reconcile(job) = c.job else { panic!() };
        assert_eq!(
            job.reports,
            vec![
                PathBuf::from("reports/a.report.xlsx"),
                PathBuf::from("reports/b.report.xlsx")
            ]
        );

        let c = config(&["reconcile", "a.xlsx", "--no-report"]).unwrap();
        let Job::Reconcile(job) = c.job else { panic!() };
        assert!(job.reports.is_empty());
    }

    #[test]
    fn reconcile_refuses_to_overwrite_an_input_or_write_one_report_twice() {
        let err = config(&["reconcile", "a.xlsx", "-o", "a.xlsx"]).unwrap_err();
        assert!(
            err.to_string()
                .contains("refusing to write the report over the return a.xlsx, an input of this run")
        );
        let err = config(&["reconcile", "x/a.xlsx", "y/a.xlsx", "-o", "out"]).unwrap_err();
        assert!(err.to_string().contains("two submissions would both write"));
    }

    #[test]
    fn paid_needs_a_ledger_and_records_the_officer() {
        let err = config(&["paid", "paid.csv"]).unwrap_err().to_string();
        assert!(
            err.starts_with("paid records the payments in the council's ledger"),
            "{err}"
        );
        let c = config(&["paid", "paid.csv", "--ledger", "l.db", "--officer", " Rhys "]).unwrap();
        let Job::Paid(job) = c.job else { panic!() };
        assert_eq!(job.file, PathBuf::from("paid.csv"));
        assert_eq!(job.ledger.path, PathBuf::from("l.db"));
        assert_eq!(job.ledger.officer, "Rhys");
        assert_eq!(c.settings.paid.date_format, "%Y-%m-%d");
    }

    #[test]
    fn reconcile_needs_an_input() {
        assert!(Cli::try_parse_from(["yourchoice", "reconcile"]).is_err());
    }

    #[test]
    fn colour_choice() {
        let c = config(&["check", "a.xlsx", "--color", "never"]).unwrap();
        assert_eq!(c.color, ColorChoice::Never);
        let c = config(&["--color=always", "check", "a.xlsx"]).unwrap();
        assert_eq!(c.color, ColorChoice::Always);
        assert!(config(&["check", "a.xlsx", "--color", "sometimes"]).is_err());
    }

    #[test]
    fn template_dates_and_money_are_parsed_once_here() {
        let c = config(&[
            "template",
            "--provider-ref",
            "SUP1",
            "--period-start",
            "06/04/2026",
            "--rate",
            "£24.85",
            "-o",
            "t.xlsx",
        ])
        .unwrap();
        let Job::Template(t) = c.job else { panic!() };
        let t = t.request;
        assert_eq!(
            t.period.start,
            chrono::NaiveDate::from_ymd_opt(2026, 4, 6).unwrap()
        );
        assert_eq!(t.period.weeks, 13);
        assert_eq!(t.rate, Some(dec!(24.85)));
        assert_eq!(t.provider_name, "SUP1");
    }

    #[test]
    fn template_refuses_a_period_start_that_is_not_a_monday_and_a_bad_rate() {
        let base = ["template", "--provider-ref", "SUP1", "-o", "t.xlsx"];
        let mut argv = base.to_vec();
        argv.extend(["--period-start", "2026-04-07"]);
        let err = config(&argv).unwrap_err().to_string();
        assert_eq!(
            err,
            "--period-start 2026-04-07 is a Tuesday: a period starts on the first day of a financial week, a Monday"
        );
        let mut argv = base.to_vec();
        argv.extend(["--period-start", "2026-04-06", "--rate", "0"]);
        assert!(config(&argv).unwrap_err().to_string().contains("--rate \"0\""));
        let mut argv = base.to_vec();
        argv.extend(["--period-start", "2026-04-06", "--rate", "24,85p"]);
        assert!(config(&argv).is_err());
    }
}
