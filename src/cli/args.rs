//! Command-line definitions (clap): the raw arguments as typed. They are
//! turned into one validated [`crate::cli::config::Config`] before any command
//! runs; each command lives in `cmd/`.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::model::export::ExportKind;

#[derive(Debug, Parser)]
#[command(
    name = "yourchoice",
    version,
    about = "Reconcile \"Your Choice\" care-at-home hours: a provider's return for a period (13 weeks unless the council sets another) against each person's weekly bundle.",
    after_help = "Examples:\n  yourchoice reconcile provider.xlsx\n  yourchoice reconcile provider.xlsx --json\n  yourchoice reconcile a.xlsx b.xlsx -o reports/"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// When to colour the output: auto (on a terminal, unless NO_COLOR is
    /// set), always or never.
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN", display_order = 900)]
    pub color: ColorWhen,
    /// Fit the text to this many columns (default: the terminal's width;
    /// not wrapped when the output is piped).
    #[arg(long, global = true, value_name = "COLUMNS", display_order = 901)]
    pub width: Option<usize>,
}

/// What to show of the findings (`reconcile` and `check`).
#[derive(Debug, Default, clap::Args)]
pub struct ShowArgs {
    /// Show only the totals and the errors.
    #[arg(short, long)]
    pub quiet: bool,
    /// Show only findings at least this serious.
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub severity: Option<SeverityArg>,
}

/// `--severity`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SeverityArg {
    Error,
    Warning,
    Info,
}

/// What to export (`export KIND`): the command line's names for
/// [`ExportKind`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportArg {
    /// One line per provider with a BACS payment.
    Payments,
    /// One line per provider with an invoice.
    Invoices,
    /// One line per person with an overcharge to refund.
    Refunds,
    /// One line per referred person.
    Referrals,
    /// The provider's remittance advice: one line per person of each
    /// authorised settlement.
    Remittance,
}

impl From<ExportArg> for ExportKind {
    fn from(arg: ExportArg) -> Self {
        match arg {
            ExportArg::Payments => ExportKind::Payments,
            ExportArg::Invoices => ExportKind::Invoices,
            ExportArg::Refunds => ExportKind::Refunds,
            ExportArg::Referrals => ExportKind::Referrals,
            ExportArg::Remittance => ExportKind::Remittance,
        }
    }
}

/// `--color`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Reconcile one or more submissions: figures on screen (or JSON) and an
    /// annotated report workbook for each.
    #[command(
        after_help = "Exit status: 0 reconciled (referrals included); 1 a submission has errors \
and was not reconciled, or the ledger refused a return; 2 usage, settings, ledger or I/O failure.\n\nExamples:\n  yourchoice reconcile provider.xlsx\n  yourchoice reconcile provider.xlsx --json > result.jsonl\n  yourchoice reconcile provider.xlsx -o meeting/provider-report.xlsx\n  yourchoice reconcile returns/*.xlsx --council council.toml --decisions decisions.csv \\\n      -o reports/ --summary reports/summary.xlsx\n  yourchoice reconcile corrected.xlsx --council council.toml --ledger ledger.db \\\n      --resubmission \"P2002 week 4 corrected\""
    )]
    Reconcile(ReconcileArgs),
    /// Check a submission before sending it: every problem, with the cell to
    /// fix and how. Exit 0 when there is no error, 1 when there is.
    #[command(
        after_help = "Examples:\n  yourchoice check return.xlsx\n  yourchoice check return.xlsx --json"
    )]
    Check(CheckArgs),
    /// The officer's decisions workbook: one row per held settlement, with
    /// the figures to decide on and the Amount the decision binds itself
    /// to; fill in Decision, Reason and Officer, and give it to --decisions.
    #[command(
        after_help = "Exit status: 0 written; 1 a submission has errors and was not reconciled; 2 usage or I/O failure.\n\nExamples:\n  yourchoice decisions returns/*.xlsx --council council.toml -o decisions.xlsx\n  yourchoice decisions returns/*.xlsx --council council.toml --decisions decisions.xlsx -o decisions-2.xlsx\n  yourchoice reconcile returns/*.xlsx --council council.toml --decisions decisions.xlsx"
    )]
    Decisions(DecisionsArgs),
    /// Write a blank return (council format 1) for a provider and period.
    #[command(
        after_help = "Examples:\n  yourchoice template --provider-ref SUP00123 --provider-name \"Example Care Ltd\" \\\n      --period-start 2026-04-06 --rate 24.85 --people people.csv -o return.xlsx\n  yourchoice template --provider-ref SUP00123 --period-start 2026-04-06 --council council.toml -o return.xlsx\n\npeople.csv: Person ID,Name,Weekly bundle[,Assessed weekly charge,Care start,Care end]\nWithout --people, the people are those of the council's plans for the provider in the period; with both, the people file is listed and checked against the plans."
    )]
    Template(TemplateArgs),
    /// Fill the council's blank return from the provider's visit records:
    /// each week's hours summed from the visits, each figure with a note of
    /// the visits behind it and a Visits sheet listing every visit.
    #[command(
        after_help = "Exit status: 0 written; 1 a visit could not be counted (nothing written); 2 usage or I/O failure.\n\nExamples:\n  yourchoice fill blank.xlsx --visits abacus-visits.csv -o return.xlsx\n  yourchoice fill blank.xlsx --visits visits.xml --clients clients.csv -o return.xlsx\n  yourchoice fill blank.xlsx --visits roster.csv --mapping examples/visits/mappings/rostering-visits.toml -o return.xlsx\n\nVisit files: the Access Abacus service-delivery file (CSV or XML) as it is; any other export (CSV or .xlsx) with a --mapping naming its columns.\nclients.csv: Client reference,Person ID"
    )]
    Fill(FillArgs),
    /// One person's reconciliation week by week, and how each figure comes
    /// about: what the officer reads out when a figure is disputed.
    #[command(
        after_help = "Exit status: 0 explained; 1 the submission has errors; 2 usage, settings or I/O failure, or a Person ID the submission does not hold.\n\nExamples:\n  yourchoice explain provider.xlsx P0005\n  yourchoice explain provider.xlsx P0005 --council council.toml --json\n  yourchoice explain filled.xlsx P1001 --week 9    (a return `fill` wrote: week 9's visits)"
    )]
    Explain(ExplainArgs),
    /// Spot checks: pick people to contact (reproducibly, the riskiest half
    /// first), write the workbook for the calls, and with --compare list
    /// where what people said differs from the provider's figures.
    #[command(
        name = "spot-check",
        after_help = "Examples:\n  yourchoice spot-check provider.xlsx -o spot-check.xlsx\n  yourchoice spot-check provider.xlsx --sample 6 --seed 42 --json\n  yourchoice spot-check --compare spot-check.xlsx provider.xlsx"
    )]
    SpotCheck(SpotCheckArgs),
    /// The provider's mid-period monitor: where each person's bank stands
    /// after the weeks due so far, and what keeps them within the tolerance.
    #[command(
        after_help = "Weeks after the as-of date's week are not yet due: blank is expected there. Every other check is `check`'s.\n\nExit status: 0 no error; 1 the return has errors; 2 usage, settings or I/O failure.\n\nExamples:\n  yourchoice monitor return.xlsx\n  yourchoice monitor return.xlsx --as-of 2026-05-31 --json\n  yourchoice monitor return.xlsx -o monitor.xlsx"
    )]
    Monitor(MonitorArgs),
    /// Finance's files: payments, invoices, refunds, referrals or remittance
    /// advice, as CSV, from the reconciled submissions or from the ledger
    /// (only what was not exported before).
    #[command(
        after_help = "Exit status: 0 every submission reconciled; 1 one was rejected and gave no line \
(named on stderr), or from a ledger there is nothing new to export; 2 usage, settings, ledger or I/O failure.\n\nExamples:\n  yourchoice export payments returns/*.xlsx --council council.toml --decisions decisions.csv -o payments.csv\n  yourchoice export remittance returns/*.xlsx --council council.toml --decisions decisions.csv\n  yourchoice export payments --ledger ledger.db --period 2026-04-06 -o payments.csv"
    )]
    Export(ExportArgs),
    /// Letters for the period, as PDF: a statement of charges for each
    /// person charged (in the language they chose; Welsh and English, the
    /// Welsh first, where no choice is recorded), and for each provider a
    /// remittance advice and a notice of each held settlement.
    #[command(
        after_help = "Writes one PDF per letter into FOLDER, and letters.pdf with every letter for printing. \
The wording comes from wording/cy and wording/en, or the council's own files ([letters] wording in council.toml).\n\n\
Exit status: 0 written; 1 a return was rejected, or with a ledger is not the version on record, and gave no letter (named on stderr); 2 usage, settings, ledger or I/O failure.\n\n\
Examples:\n  yourchoice letters returns/*.xlsx --council council.toml --decisions decisions.csv -o letters/\n  yourchoice letters provider.xlsx --council council.toml --date 2026-08-03 -o letters-q1/"
    )]
    Letters(LettersArgs),
    /// The officer's quarter at a glance, from the ledger: for each provider,
    /// received or not, on time or late, the due dates and days left, the
    /// authorised and held totals, what is exported, and referrals.
    #[command(
        after_help = "Exit status: 0 shown; 2 usage, settings or ledger failure.\n\nExamples:\n  yourchoice status --council council.toml\n  yourchoice status --ledger ledger.db --council council.toml --period 2026-04-06 --json"
    )]
    Status(StatusArgs),
    /// Record what finance reports paid: each line of its paid file names an
    /// export (its reference, YC-00007: every line of it) or one provider's
    /// line (its invoice number), with the date paid and the payment
    /// reference. Every line is checked first; with any problem nothing is
    /// recorded. A line recorded before alike is skipped.
    #[command(
        after_help = "The paid file: a CSV with the columns Reference, Date paid (yyyy-mm-dd), Payment reference and optionally Amount (checked to the penny); another layout is named under [paid] in council.toml (reference, date, payment_reference, amount, date_format).\n\nExit status: 0 recorded, or nothing new to record; 1 a line cannot be recorded (each is listed; nothing was recorded); 2 usage, settings, ledger or I/O failure.\n\nExamples:\n  yourchoice paid paid-2026-08.csv --ledger ledger.db --officer \"Rhys Finance\"\n  yourchoice paid AP_PAYMENTS.csv --council council.toml"
    )]
    Paid(PaidArgs),
    /// The ledger itself: `ledger verify` checks that nothing in it was
    /// changed outside yourchoice.
    #[command(subcommand)]
    Ledger(LedgerCommand),
}

/// The council's ledger, for the commands that record into it or draw
/// from it.
#[derive(Debug, Default, clap::Args)]
pub struct LedgerArgs {
    /// The council's ledger (an SQLite file) to record in or draw from
    /// (default: `ledger` in council.toml; without either, nothing is
    /// recorded).
    #[arg(long, value_name = "FILE")]
    pub ledger: Option<PathBuf>,
    /// The officer the ledger records (default: the login name).
    #[arg(long, value_name = "NAME")]
    pub officer: Option<String>,
}

/// `yourchoice ledger ...`.
#[derive(Debug, Subcommand)]
pub enum LedgerCommand {
    /// Check the ledger: its tables and triggers, SQLite's integrity and
    /// every link of its hash chain, and that each head noted earlier (in
    /// an export's `Ledger head` column or a report's Audit sheet) is still
    /// in it. Exit 0 when whole, 1 when not.
    #[command(
        after_help = "Exit status: 0 the ledger is whole (and holds every --head given); 1 it is not; 2 usage or a file that is not a ledger.\n\nExamples:\n  yourchoice ledger verify --ledger ledger.db\n  yourchoice ledger verify --council council.toml --head \"$(tail -n 1 payments.csv | awk -F, '{print $NF}')\"  (an export's Ledger head)"
    )]
    Verify(VerifyArgs),
}

#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// The council's ledger (default: `ledger` in council.toml).
    #[arg(long, value_name = "FILE")]
    pub ledger: Option<PathBuf>,
    #[command(flatten)]
    pub council: CouncilArgs,
    /// A head noted outside the ledger (an export's `Ledger head`, a
    /// report's Audit sheet): it must be one of the ledger's links, else
    /// the ledger was rewritten since. May be given more than once.
    #[arg(long = "head", value_name = "HASH")]
    pub heads: Vec<String>,
}

#[derive(Debug, clap::Args)]
pub struct PaidArgs {
    /// Finance's paid file (CSV).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    #[command(flatten)]
    pub council: CouncilArgs,
    #[command(flatten)]
    pub ledger: LedgerArgs,
}

#[derive(Debug, clap::Args)]
pub struct StatusArgs {
    /// The council's ledger (default: `ledger` in council.toml).
    #[arg(long, value_name = "FILE")]
    pub ledger: Option<PathBuf>,
    #[command(flatten)]
    pub council: CouncilArgs,
    /// The first day of the period (default: the latest the ledger holds).
    #[arg(long, value_name = "START")]
    pub period: Option<String>,
    /// The date to count the days left from (default today).
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Print one JSON document instead of the table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct SpotCheckArgs {
    /// The provider's submission.
    #[arg(value_name = "SUBMISSION")]
    pub input: PathBuf,
    /// How many people to pick (default: a tenth, at least one).
    #[arg(long, value_name = "N", conflicts_with = "percent")]
    pub sample: Option<usize>,
    /// What percentage of the people to pick.
    #[arg(long, value_name = "P")]
    pub percent: Option<String>,
    /// The seed of the random half (default: a number of up to 6 digits
    /// drawn from the submission's contents, so the same file picks the
    /// same people).
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// A filled spot-check workbook to compare with the submission.
    #[arg(long, value_name = "FILLED")]
    pub compare: Option<PathBuf>,
    /// With --compare: a week off by more than this many hours is an
    /// anomaly (default 1).
    #[arg(long, value_name = "HOURS", requires = "compare")]
    pub week_threshold: Option<String>,
    /// With --compare: a period off by more than this share of its
    /// commissioned hours is an anomaly (default: the tolerance).
    #[arg(long, value_name = "TOLERANCE", requires = "compare")]
    pub period_threshold: Option<String>,
    #[command(flatten)]
    pub council: CouncilArgs,
    /// The officer's decisions on held settlements.
    #[arg(long, value_name = "CSV")]
    pub decisions: Option<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// The workbook to write: the spot check, or with --compare the
    /// anomalies for the agency.
    #[arg(short = 'o', long = "out", value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace the file given with -o if it already exists.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, clap::Args)]
pub struct LettersArgs {
    /// The providers' returns for the period.
    #[arg(value_name = "SUBMISSION", required = true)]
    pub inputs: Vec<PathBuf>,
    #[command(flatten)]
    pub council: CouncilArgs,
    /// The officer's decisions on held settlements.
    #[arg(long, value_name = "CSV")]
    pub decisions: Option<PathBuf>,
    /// The council's ledger (default: `ledger` in council.toml): each return
    /// must be the version it holds, and the remittance advice gives the
    /// export's reference and date.
    #[arg(long, value_name = "FILE")]
    pub ledger: Option<PathBuf>,
    /// The date the letters bear (default: today), as 2026-08-03 or
    /// 03/08/2026.
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// The folder to write the letters into (made if missing).
    #[arg(short = 'o', long = "out", value_name = "FOLDER")]
    pub out: PathBuf,
    /// Replace letters of the same names already in the folder.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The provider's submission.
    #[arg(value_name = "SUBMISSION")]
    pub input: PathBuf,
    /// The person to explain: their Person ID (any case), or their name
    /// when no one else in the return has it.
    #[arg(value_name = "PERSON")]
    pub person_id: String,
    #[command(flatten)]
    pub council: CouncilArgs,
    /// The officer's decisions on held settlements.
    #[arg(long, value_name = "CSV")]
    pub decisions: Option<PathBuf>,
    /// Print one JSON document instead of the table.
    #[arg(long)]
    pub json: bool,
    /// For a return `yourchoice fill` wrote, list the visits behind this
    /// week only (default: every week's).
    #[arg(long, value_name = "K")]
    pub week: Option<u32>,
}

#[derive(Debug, clap::Args)]
pub struct MonitorArgs {
    /// The provider's return, filled in for the weeks so far (or, with
    /// --visits, the blank return to fill from the visits).
    #[arg(value_name = "RETURN")]
    pub input: PathBuf,
    /// Visit files to fill the blank return from, as `fill` does, for the
    /// weeks begun by --as-of.
    #[arg(long = "visits", num_args = 1.., value_name = "FILE")]
    pub visits: Vec<PathBuf>,
    /// A mapping (TOML) for visit files that are not Access Abacus's.
    #[arg(long, value_name = "TOML")]
    pub mapping: Option<PathBuf>,
    /// A CSV mapping client references to Person IDs: Client reference,Person ID.
    #[arg(long, value_name = "CSV")]
    pub clients: Option<PathBuf>,
    /// The date to monitor as of (dd/mm/yyyy or yyyy-mm-dd; default today).
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    #[command(flatten)]
    pub council: CouncilArgs,
    /// Print one JSON document instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Also write the monitor as a workbook.
    #[arg(short = 'o', long = "out", value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace the file given with -o if it already exists.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub show: ShowArgs,
}

/// The council's settings files, for the commands that apply them.
#[derive(Debug, Default, clap::Args)]
pub struct CouncilArgs {
    /// The council's settings file (council.toml): tolerance, period, rates
    /// by provider, maximum weekly charge, and the plans file.
    #[arg(long, value_name = "TOML")]
    pub council: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// What to export.
    #[arg(value_enum)]
    pub kind: ExportArg,
    /// The providers' submission workbooks (none with a ledger: the run is
    /// drawn from it).
    #[arg(value_name = "SUBMISSION")]
    pub inputs: Vec<PathBuf>,
    #[command(flatten)]
    pub council: CouncilArgs,
    /// The officer's decisions on held settlements (a decisions workbook
    /// or CSV).
    #[arg(long, value_name = "CSV")]
    pub decisions: Option<PathBuf>,
    #[command(flatten)]
    pub ledger: LedgerArgs,
    /// With a ledger: the first day of the period to export.
    #[arg(long, value_name = "START")]
    pub period: Option<String>,
    /// With a ledger: export again the lines of an earlier export of this
    /// kind and period (the latest, or export EXPORT), with its reference,
    /// recorded as a repeat; nothing new is exported.
    #[arg(long, value_name = "EXPORT", num_args = 0..=1, default_missing_value = "latest")]
    pub again: Option<String>,
    /// The layout for the finance system: `plain`, `oracle-payables`, or one
    /// of council.toml's [export.profiles] (default: the one its [export]
    /// names for this kind, else plain).
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// The invoice date the lines carry (default: today).
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// Write the CSV here instead of to standard output.
    #[arg(short = 'o', long = "out", value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace the file given with -o if it already exists.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, clap::Args)]
pub struct ReconcileArgs {
    /// The provider's submission workbooks (.xlsx, .xls, .xlsb, .ods).
    #[arg(required = true, value_name = "SUBMISSION")]
    pub inputs: Vec<PathBuf>,
    /// Print one JSON document per submission, one a line, instead of the
    /// table.
    #[arg(long)]
    pub json: bool,
    /// Where to write the report: a file for one submission, a folder for
    /// several. Default: NAME.report.xlsx beside each input.
    #[arg(short = 'o', long = "out", value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// Do not write the report workbook.
    #[arg(long)]
    pub no_report: bool,
    #[command(flatten)]
    pub council: CouncilArgs,
    /// The officer's decisions on held settlements (a decisions workbook
    /// or CSV): authorise or hold, with a reason and the officer's name.
    #[arg(long, value_name = "CSV")]
    pub decisions: Option<PathBuf>,
    /// Also write the council's summary workbook: a row per submission, a
    /// totals row, and every referral across providers.
    #[arg(long, value_name = "FILE")]
    pub summary: Option<PathBuf>,
    #[command(flatten)]
    pub ledger: LedgerArgs,
    /// With a ledger: this run replaces the version recorded for the
    /// return's provider and period (a corrected return, or corrected
    /// council settings), for this reason. `--recalculation REASON` is the
    /// same, in the words for a council-side change.
    #[arg(long, visible_alias = "recalculation", value_name = "REASON")]
    pub resubmission: Option<String>,
    /// Start a new, empty ledger at --ledger's path (refused if the file
    /// exists): a ledger is never started by a mistyped path.
    #[arg(long)]
    pub new_ledger: bool,
    /// Replace report and summary files that already exist.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub show: ShowArgs,
}

#[derive(Debug, clap::Args)]
pub struct DecisionsArgs {
    /// The submission workbooks whose held settlements are to be decided.
    #[arg(required = true, value_name = "SUBMISSION")]
    pub inputs: Vec<PathBuf>,
    #[command(flatten)]
    pub council: CouncilArgs,
    /// Decisions already made (a decisions workbook or CSV): shown filled
    /// in where they still apply.
    #[arg(long, value_name = "FILE")]
    pub decisions: Option<PathBuf>,
    /// The workbook to write.
    #[arg(short = 'o', long = "out", value_name = "FILE", required = true)]
    pub out: PathBuf,
    /// Replace the file given with -o if it already exists.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The submission workbooks to check (.xlsx, .xls, .xlsb, .ods).
    #[arg(required = true, value_name = "SUBMISSION")]
    pub inputs: Vec<PathBuf>,
    /// Print the findings as JSON, one document per line.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub council: CouncilArgs,
    #[command(flatten)]
    pub show: ShowArgs,
}

#[derive(Debug, clap::Args)]
pub struct FillArgs {
    /// The blank return: the council's template for the provider and period.
    #[arg(value_name = "BLANK")]
    pub blank: PathBuf,
    /// The visit files: Access Abacus CSV or XML, or any export with --mapping.
    #[arg(long = "visits", required = true, num_args = 1.., value_name = "FILE")]
    pub visits: Vec<PathBuf>,
    /// A mapping (TOML) naming the columns of a visit export that is not
    /// Access Abacus's.
    #[arg(long, value_name = "TOML")]
    pub mapping: Option<PathBuf>,
    /// A CSV mapping the provider's client references to the council's
    /// Person IDs: Client reference,Person ID (default: the visit files'
    /// references are the Person IDs).
    #[arg(long, value_name = "CSV")]
    pub clients: Option<PathBuf>,
    /// The filled return to write.
    #[arg(short = 'o', long = "out", value_name = "FILE")]
    pub out: PathBuf,
    /// Replace the file given with -o if it already exists.
    #[arg(long)]
    pub force: bool,
    /// The council's settings: the period's length, the tolerance and what
    /// a visit counts for (`[visits]`).
    #[command(flatten)]
    pub council: CouncilArgs,
}

#[derive(Debug, clap::Args)]
pub struct TemplateArgs {
    /// The provider's supplier reference, e.g. SUP00123.
    #[arg(long, value_name = "REF")]
    pub provider_ref: String,
    /// The provider's name (default: the reference).
    #[arg(long, value_name = "NAME")]
    pub provider_name: Option<String>,
    /// The first day of the period: a Monday, unless the council sets
    /// another week start (dd/mm/yyyy or yyyy-mm-dd).
    #[arg(long, value_name = "DATE")]
    pub period_start: String,
    /// The blended hourly rate in £, if known.
    #[arg(long, value_name = "RATE")]
    pub rate: Option<String>,
    /// A CSV of the people to list: Person ID,Name,Weekly bundle and
    /// optionally Assessed weekly charge, Care start, Care end (default:
    /// the council's plans for the provider).
    #[arg(long, value_name = "CSV")]
    pub people: Option<PathBuf>,
    /// The workbook to write.
    #[arg(short = 'o', long = "out", value_name = "FILE")]
    pub out: PathBuf,
    /// Replace the file given with -o if it already exists.
    #[arg(long)]
    pub force: bool,
    /// The council's settings: the period's length, the due dates and, when
    /// --rate is not given, the provider's rate in force at the period start.
    #[command(flatten)]
    pub council: CouncilArgs,
}
