//! Spot checks (the policy's "Table Top Monitoring": "spot checks with
//! people having Your Choice care ... to match up the total number of hours
//! of care they receive with the reconciliation spreadsheet"): which people
//! to contact, reproducibly, and what a filled spot check shows against the
//! provider's figures.
//!
//! Half the sample (rounded up) is the riskiest people — referred, bank
//! limit exceeded, a possible change in need, then the largest variance —
//! and the other half is drawn at random from the rest, with a seed the
//! officer can quote: the same return and seed always pick the same people.

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::result::{PersonResult, PersonStatus};
use crate::base::units::Hours;
use crate::model::Reported;
use crate::model::settings::Settings;

/// Why a person was picked.
#[derive(Clone, Debug, PartialEq)]
pub enum Reason {
    Referred,
    BankLimit { first_week: u32 },
    ChangeInNeed { first_week: u32, last_week: u32 },
    LargestVariance(Hours),
    Random,
}

/// One person to contact.
#[derive(Clone, Debug, PartialEq)]
pub struct Pick {
    pub person_id: String,
    pub reason: Reason,
}

/// The seed of a return, from its SHA-256 (hex): its first 16 hex digits.
pub fn default_seed(sha256: &str) -> u64 {
    u64::from_str_radix(sha256.get(..16).unwrap_or("0"), 16).unwrap_or(0)
}

/// How many to pick: `n`, or `percent` of the people (rounded up), at least
/// one and at most everyone.
pub fn sample_size(people: usize, n: Option<usize>, percent: Option<Decimal>) -> usize {
    let wanted = match (n, percent) {
        (Some(n), _) => n,
        (None, Some(p)) => {
            let x = Decimal::from(people) * p / Decimal::ONE_HUNDRED;
            x.ceil().to_usize().unwrap_or(people)
        }
        (None, None) => people.div_ceil(10),
    };
    wanted.clamp(usize::from(people > 0), people)
}

fn risk(p: &PersonResult) -> Option<Reason> {
    if p.status == PersonStatus::Referred {
        Some(Reason::Referred)
    } else if let Some(k) = p.bank.limit_first_week {
        Some(Reason::BankLimit { first_week: k })
    } else {
        p.change_in_need.map(|c| Reason::ChangeInNeed {
            first_week: c.first_week,
            last_week: c.last_week,
        })
    }
}

/// Pick `size` people of a reconciled return with `seed`.
pub fn pick(people: &[PersonResult], size: usize, seed: u64) -> Vec<Pick> {
    // The riskiest first: flagged people (referred, bank, change in need,
    // in that order), then by the size of their variance.
    let mut ranked: Vec<(u8, Hours, usize, &PersonResult, Reason)> = people
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let v = p.net_variance.abs();
            match risk(p) {
                Some(r @ Reason::Referred) => (0, v, i, p, r),
                Some(r @ Reason::BankLimit { .. }) => (1, v, i, p, r),
                Some(r) => (2, v, i, p, r),
                None => (3, v, i, p, Reason::LargestVariance(p.net_variance)),
            }
        })
        .collect();
    ranked.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    let risky = size.div_ceil(2);
    let mut picks: Vec<Pick> = ranked
        .iter()
        .take(risky)
        .map(|(_, _, _, p, reason)| Pick {
            person_id: p.person_id.clone(),
            reason: reason.clone(),
        })
        .collect();
    // The draw is over the rest in workbook order, so it depends only on
    // the return and the seed.
    let mut rest: Vec<(usize, &PersonResult)> = ranked
        .iter()
        .skip(risky)
        .map(|(_, _, i, p, _)| (*i, *p))
        .collect();
    rest.sort_by_key(|(i, _)| *i);
    let mut rest: Vec<&PersonResult> = rest.into_iter().map(|(_, p)| p).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rest.shuffle(&mut rng);
    picks.extend(rest.into_iter().take(size - picks.len().min(size)).map(|p| Pick {
        person_id: p.person_id.clone(),
        reason: Reason::Random,
    }));
    picks
}

/// One difference between what a person says and what the provider says.
#[derive(Clone, Debug, PartialEq)]
pub struct Anomaly {
    pub person_id: String,
    /// `None`: the period total.
    pub week: Option<u32>,
    pub provider: Hours,
    pub reported: Hours,
    pub difference: Hours,
    /// The threshold it passed.
    pub threshold: Hours,
}

/// The thresholds of a comparison.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Thresholds {
    /// A week off by more than this (1 hour by default).
    pub week: Hours,
    /// The period off by more than this fraction of its commissioned hours
    /// (the tolerance by default).
    pub period: Decimal,
}

impl Thresholds {
    pub fn from_settings(settings: &Settings) -> Thresholds {
        Thresholds {
            week: Hours::from_seconds(3600),
            period: settings.tolerance,
        }
    }
}

/// Whether a person's block was answered: some hours (a week or the
/// period) or someone recorded as spoken to. A block with none of these —
/// at most a note or a date, such as "no reply" — is "not contacted": the
/// person was not checked, which is not the same as a check that found
/// nothing.
pub fn answered(r: &Reported) -> bool {
    r.weeks.iter().any(Option::is_some) || r.total.is_some() || r.spoken_to.is_some()
}

/// What a filled spot check shows: who in the sample answered, who was not
/// contacted, and the anomalies among those who answered.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// The people in the sample (every block of the workbook).
    pub sample: usize,
    /// The Person IDs of the blocks answered, in workbook order.
    pub answered: Vec<String>,
    /// The Person IDs of the blocks with no answer at all, in workbook order.
    pub not_contacted: Vec<String>,
    pub anomalies: Vec<Anomaly>,
}

impl Comparison {
    /// No block was answered: nothing was checked, whatever the count of
    /// anomalies (always 0) might suggest.
    pub fn nothing_checked(&self) -> bool {
        self.answered.is_empty()
    }
}

/// Compare what people said with the provider's figures, and say who in
/// the sample answered.
pub fn compare(people: &[PersonResult], reported: &[Reported], t: Thresholds) -> Comparison {
    let (answered, not_contacted): (Vec<&Reported>, Vec<&Reported>) =
        reported.iter().partition(|r| answered(r));
    Comparison {
        sample: reported.len(),
        answered: answered.iter().map(|r| r.person_id.clone()).collect(),
        not_contacted: not_contacted.iter().map(|r| r.person_id.clone()).collect(),
        anomalies: anomalies(people, &answered, t),
    }
}

/// The differences between the answers and the provider's figures.
fn anomalies(people: &[PersonResult], reported: &[&Reported], t: Thresholds) -> Vec<Anomaly> {
    let mut out = Vec::new();
    for r in reported {
        let Some(p) = people.iter().find(|p| p.person_id == r.person_id) else {
            continue;
        };
        let mut week_total = Hours::ZERO;
        // The weekly answers add up to a period total only when every care
        // week was asked about.
        let mut every_week = true;
        for w in &p.weeks {
            let Some(Some(said)) = r.weeks.get((w.week - 1) as usize) else {
                every_week &= !w.care;
                continue;
            };
            week_total += *said;
            let provider = w.delivered.unwrap_or(Hours::ZERO);
            let difference = *said - provider;
            if difference.abs() > t.week {
                out.push(Anomaly {
                    person_id: p.person_id.clone(),
                    week: Some(w.week),
                    provider,
                    reported: *said,
                    difference,
                    threshold: t.week,
                });
            }
        }
        let reported_total = r.total.or(every_week.then_some(week_total));
        if let Some(said) = reported_total {
            // Every week's hours: outside the billable weeks they are 0.
            let provider = p.delivered;
            let threshold = p.commissioned.times(t.period);
            let difference = said - provider;
            if difference.abs() > threshold {
                out.push(Anomaly {
                    person_id: p.person_id.clone(),
                    week: None,
                    provider,
                    reported: said,
                    difference,
                    threshold,
                });
            }
        }
    }
    out
}
