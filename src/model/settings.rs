//! The council's settings (SPEC 6), with the SPEC's defaults: one value the
//! reader, the engine and the writers all take, so a council that sets 12
//! weeks or 21 days sees its own figures everywhere. The council's own data
//! lives here too: providers' rate tables, the plans (each person's bundle)
//! and the officer's decisions. `read::council` loads them from files.

use chrono::{Datelike, NaiveDate, Weekday};
use rust_decimal::Decimal;

use crate::base::units::Hours;

/// An amount (a rate, or a maximum weekly charge) and the date it applies
/// from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DatedAmount {
    pub from: NaiveDate,
    pub amount: Decimal,
}

/// Two supplier references name one provider when they are equal ignoring
/// case and surrounding spaces (`SUP00123` and ` sup00123`): a provider
/// cannot step outside the council's rates, plans or duplicate checks by
/// retyping its reference.
pub fn same_reference(a: &str, b: &str) -> bool {
    reference_key(a) == reference_key(b)
}

/// A supplier reference as it is compared and kept as a key (the ledger's,
/// a run's): trimmed, upper case, so that [`same_reference`] ones are equal.
pub fn reference_key(reference: &str) -> String {
    reference.trim().to_uppercase()
}

/// A Person ID as it is compared and kept as a key: trimmed, upper case,
/// so that `p1001 ` in a return is the plans' `P1001`. A provider cannot
/// step outside the council's plans, or a decision, by retyping an ID.
pub fn person_key(id: &str) -> String {
    id.trim().to_uppercase()
}

/// A provider the council knows, with its blended hourly rates by date.
#[derive(Clone, Debug, PartialEq)]
pub struct ProviderSettings {
    pub reference: String,
    pub name: Option<String>,
    /// Sorted by date, no two from the same date.
    pub rates: Vec<DatedAmount>,
    /// The language the provider's letters are written in (`language`);
    /// `None`: Welsh and English, the Welsh first.
    pub language: Option<crate::model::letters::Language>,
    /// The provider's postal address lines (`address`), for its letters.
    pub address: Vec<String>,
    /// The accounting codes its export lines carry (`purchase_order`,
    /// `cost_centre`, ...), each defaulting to `[export]`'s.
    pub codes: crate::model::export::AccountCodes,
}

/// One line of `plans.csv`: the council's record of a person's bundle with
/// a provider from a date (to a date, or open-ended).
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub person_id: String,
    pub provider_reference: String,
    pub bundle: Hours,
    pub from: NaiveDate,
    /// Inclusive; `None` is open-ended.
    pub to: Option<NaiveDate>,
    /// The person's name as the council records it (optional `Name`
    /// column): letters are addressed by it rather than by the return's.
    pub name: Option<String>,
    /// The language the person chose for letters (optional `Language`
    /// column); `None`: not known.
    pub language: Option<crate::model::letters::Language>,
    /// The person's postal address lines (optional `Address` column, lines
    /// separated by commas); empty: none recorded.
    pub address: Vec<String>,
}

impl Plan {
    /// The plan is in force on `day`.
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.from <= day && self.to.is_none_or(|to| day <= to)
    }
}

/// What the officer decided for a held settlement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Action {
    /// Release the held settlement into the provider's total.
    Authorise,
    /// Keep it held.
    Hold,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Authorise => "authorise",
            Action::Hold => "hold",
        }
    }
}

/// One line of `decisions.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct Decision {
    pub provider_reference: String,
    pub person_id: String,
    /// The period the decision is for (an optional `Period start` column):
    /// without one it may apply only where the run holds one period of the
    /// provider.
    pub period_start: Option<NaiveDate>,
    pub action: Action,
    pub reason: String,
    pub officer: String,
    /// The settlement the officer saw and decided (the `Amount` column):
    /// the decision applies only while the settlement is this figure.
    /// `None`: not bound to a figure (a notice says so).
    pub amount: Option<Decimal>,
    /// The file and line it came from, for findings about it.
    pub source: String,
}

/// A settings file that was applied, for the audit trail.
#[derive(Clone, Debug, PartialEq)]
pub struct SettingsFile {
    /// What it is: `council settings`, `plans`, `decisions`.
    pub role: &'static str,
    pub path: String,
    pub sha256: String,
    /// The file as it was read: no output of the run may replace it.
    pub file: std::path::PathBuf,
}

/// The settings in force for a run.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// The fraction of commissioned hours allowed either way (0.08).
    pub tolerance: Decimal,
    pub period_weeks: u32,
    pub week_start: Weekday,
    pub submission_days: u32,
    pub table_top_days: u32,
    pub sustained_weeks: u32,
    /// `max_weekly_charge`, sorted by date.
    pub max_weekly_charge: Vec<DatedAmount>,
    /// The providers the council's settings name (rates win over a
    /// submission's).
    pub providers: Vec<ProviderSettings>,
    /// The council's plans; `None` when no plans file is given (the
    /// submission's bundles are used).
    pub plans: Option<Vec<Plan>>,
    /// The officer's decisions on held settlements.
    pub decisions: Vec<Decision>,
    /// The files these settings came from.
    pub files: Vec<SettingsFile>,
    /// The council's ledger (`ledger` in council.toml, relative to it).
    pub ledger: Option<std::path::PathBuf>,
    /// Whom a provider reports a change in need to (`change_in_need_contact`),
    /// named in the monitor's advice.
    pub change_in_need_contact: Option<String>,
    /// What a visit counts for when `yourchoice fill` sums visits
    /// (`[visits]`).
    pub visits: crate::model::visits::VisitPolicy,
    /// `[letters]`: the letterhead and the council's wording.
    pub letters: crate::model::letters::LetterSettings,
    /// `[export]`: the finance system's profiles and accounting codes.
    pub export: crate::model::export::ExportSettings,
    /// `[paid]`: the layout of finance's paid file.
    pub paid: crate::model::paid::PaidLayout,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            tolerance: Decimal::new(8, 2),
            period_weeks: 13,
            week_start: Weekday::Mon,
            submission_days: 14,
            table_top_days: 28,
            sustained_weeks: 4,
            max_weekly_charge: Vec::new(),
            providers: Vec::new(),
            plans: None,
            decisions: Vec::new(),
            files: Vec::new(),
            ledger: None,
            change_in_need_contact: None,
            visits: crate::model::visits::VisitPolicy::default(),
            letters: crate::model::letters::LetterSettings::default(),
            export: crate::model::export::ExportSettings::default(),
            paid: crate::model::paid::PaidLayout::default(),
        }
    }
}

impl Settings {
    /// `day` is the first day of a financial week (SPEC 1, `week_starts`):
    /// the only day a period may start.
    pub fn is_week_start(&self, day: NaiveDate) -> bool {
        day.weekday() == self.week_start
    }

    /// The council's settings for a provider, by reference (as
    /// [`same_reference`] compares them).
    pub fn provider(&self, reference: &str) -> Option<&ProviderSettings> {
        self.providers
            .iter()
            .find(|p| same_reference(&p.reference, reference))
    }
}
