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

use std::collections::{HashMap, HashSet};

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::result::{PersonResult, PersonStatus};
use crate::base::units::Hours;
use crate::model::settings::Settings;
use crate::model::{Record, Reported};

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

/// The seed of a return, from its SHA-256 (hex): its first 16 hex digits
/// taken modulo a million, so the seed is at most 6 digits, short enough
/// to read back or note on a form (issue 26), and as good a draw: any
/// change to the file changes it.
pub fn default_seed(sha256: &str) -> u64 {
    u64::from_str_radix(sha256.get(..16).unwrap_or("0"), 16).unwrap_or(0) % 1_000_000
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

/// Why a spot-check workbook's record of how it was made does not fit the
/// return it is compared with. Each names the row of the hidden sheet
/// where it shows (1-based).
#[derive(Clone, Debug, PartialEq)]
pub enum Mismatch {
    /// It was made from another file: its source and SHA-256.
    OtherReturn { source: String, sha256: String },
    /// Its period has another number of weeks than the return's.
    Weeks { recorded: u32, row: u32 },
    /// It lists more people than the return holds (`people`): `row` is the
    /// first past them.
    MorePeople { people: usize, row: u32 },
    /// Its sample is larger than the return's people.
    SampleTooLarge { sample: usize, people: usize, row: u32 },
    /// A Person ID the return does not hold.
    NotInReturn { person_id: String, row: u32 },
    /// A person listed a second time (`first_row`: the first).
    Twice {
        person_id: String,
        row: u32,
        first_row: u32,
    },
    /// A person of the return the recorded seed does not pick for a sample
    /// of `sample`.
    NotPicked {
        person_id: String,
        row: u32,
        seed: u64,
        sample: usize,
    },
    /// A person the recorded seed picks for a sample of `sample` who is not
    /// listed.
    Missing {
        person_id: String,
        seed: u64,
        sample: usize,
    },
}

/// Check a spot-check workbook's record against the return it is compared
/// with (`sha256`, its people, its period's `weeks`): the same file, and
/// exactly the people the pick gives for the recorded seed and sample size
/// (the people listed, where the size is not recorded). A record without a
/// seed must at least list people of the return, each once. Linear in the
/// people (a hash set each), whatever the record lists: the reader keeps no
/// more of them than the return holds.
///
/// # Errors
/// The first [`Mismatch`], in the record's order.
pub fn check_record(
    record: &Record,
    people: &[PersonResult],
    sha256: &str,
    weeks: u32,
) -> Result<(), Mismatch> {
    if record.sha256 != sha256 {
        return Err(Mismatch::OtherReturn {
            source: record.source.clone(),
            sha256: record.sha256.clone(),
        });
    }
    if record.weeks.value != weeks {
        return Err(Mismatch::Weeks {
            recorded: record.weeks.value,
            row: record.weeks.row,
        });
    }
    if let Some(row) = record.more_from_row {
        return Err(Mismatch::MorePeople {
            people: people.len(),
            row,
        });
    }
    let in_return: HashSet<&str> = people.iter().map(|p| p.person_id.as_str()).collect();
    let mut seen: HashMap<&str, u32> = HashMap::with_capacity(record.people.len());
    for listed in &record.people {
        let id = listed.value.as_str();
        if !in_return.contains(id) {
            return Err(Mismatch::NotInReturn {
                person_id: id.to_string(),
                row: listed.row,
            });
        }
        if let Some(first_row) = seen.insert(id, listed.row) {
            return Err(Mismatch::Twice {
                person_id: id.to_string(),
                row: listed.row,
                first_row,
            });
        }
    }
    let Some(seed) = record.seed else {
        return Ok(());
    };
    let sample = match &record.sample {
        Some(s) if s.value > people.len() => {
            return Err(Mismatch::SampleTooLarge {
                sample: s.value,
                people: people.len(),
                row: s.row,
            });
        }
        Some(s) => s.value,
        None => record.people.len(),
    };
    let picked = pick(people, sample, seed);
    let picked_ids: HashSet<&str> = picked.iter().map(|p| p.person_id.as_str()).collect();
    if let Some(listed) = record
        .people
        .iter()
        .find(|l| !picked_ids.contains(l.value.as_str()))
    {
        return Err(Mismatch::NotPicked {
            person_id: listed.value.clone(),
            row: listed.row,
            seed,
            sample,
        });
    }
    // Every one listed is picked, each once: any picked person not seen is
    // missing.
    if let Some(p) = picked.iter().find(|p| !seen.contains_key(p.person_id.as_str())) {
        return Err(Mismatch::Missing {
            person_id: p.person_id.clone(),
            seed,
            sample,
        });
    }
    Ok(())
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
    let by_id: HashMap<&str, &PersonResult> = people.iter().map(|p| (p.person_id.as_str(), p)).collect();
    let mut out = Vec::new();
    for r in reported {
        let Some(p) = by_id.get(r.person_id.as_str()) else {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::rules::Bank;
    use crate::model::AtRow;

    /// A person of a return: referred with a variance of `variance` hours,
    /// or within the tolerance.
    fn person(id: &str, referred: bool, variance: i64) -> PersonResult {
        PersonResult {
            person_id: id.into(),
            name: None,
            rows: Vec::new(),
            status: if referred {
                PersonStatus::Referred
            } else {
                PersonStatus::WithinTolerance
            },
            commissioned: Hours::ZERO,
            delivered: Hours::ZERO,
            net_variance: Hours::from_seconds(variance * 3600),
            variance_percent: None,
            tolerance: Hours::ZERO,
            bank: Bank {
                peak: Hours::ZERO,
                limit_first_week: None,
            },
            change_in_need: None,
            settlement: None,
            charge: None,
            weeks: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Six people: A (referred, -9) and B (referred, +4) are the riskiest.
    fn people() -> Vec<PersonResult> {
        vec![
            person("A", true, -9),
            person("B", true, 4),
            person("C", false, 1),
            person("D", false, 0),
            person("E", false, 2),
            person("F", false, 0),
        ]
    }

    /// The record the tool writes for `ids` (rows 7 on), seed 3, 13 weeks.
    fn record(ids: &[&str], sample: Option<usize>) -> Record {
        Record {
            source: "r.xlsx".into(),
            sha256: "abc".into(),
            seed: Some(3),
            sample: sample.map(|value| AtRow { value, row: 6 }),
            weeks: AtRow { value: 13, row: 5 },
            people: ids
                .iter()
                .zip(7..)
                .map(|(id, row)| AtRow {
                    value: (*id).to_string(),
                    row,
                })
                .collect(),
            more_from_row: None,
        }
    }

    fn picked(size: usize) -> Vec<String> {
        pick(&people(), size, 3)
            .into_iter()
            .map(|p| p.person_id)
            .collect()
    }

    #[test]
    fn the_sample_the_seed_picks_is_accepted_in_any_order() {
        let ids = picked(4);
        // Two risky (A, B, the largest referred variances first) and two
        // drawn from C-F.
        assert_eq!(ids[..2], ["A", "B"]);
        let mut ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        ids.reverse();
        assert_eq!(check_record(&record(&ids, Some(4)), &people(), "abc", 13), Ok(()));
        assert_eq!(check_record(&record(&ids, None), &people(), "abc", 13), Ok(()));
    }

    #[test]
    fn each_mismatch_is_named_at_its_row() {
        let p = people();
        let ids = picked(4);
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let check = |r: &Record| check_record(r, &p, "abc", 13);
        assert_eq!(
            check_record(&record(&ids, Some(4)), &p, "def", 13),
            Err(Mismatch::OtherReturn {
                source: "r.xlsx".into(),
                sha256: "abc".into()
            })
        );
        assert_eq!(
            check_record(&record(&ids, Some(4)), &p, "abc", 4),
            Err(Mismatch::Weeks { recorded: 13, row: 5 })
        );
        let mut more = record(&ids, Some(4));
        more.more_from_row = Some(13);
        assert_eq!(check(&more), Err(Mismatch::MorePeople { people: 6, row: 13 }));
        assert_eq!(
            check(&record(&["A", "Z"], None)),
            Err(Mismatch::NotInReturn {
                person_id: "Z".into(),
                row: 8
            })
        );
        assert_eq!(
            check(&record(&["A", "B", "A"], None)),
            Err(Mismatch::Twice {
                person_id: "A".into(),
                row: 9,
                first_row: 7
            })
        );
        assert_eq!(
            check(&record(&["A"], Some(7))),
            Err(Mismatch::SampleTooLarge {
                sample: 7,
                people: 6,
                row: 6
            })
        );
        // A sample of 1 is the riskiest alone (half of 1 rounded up, and
        // nobody drawn at random): A, the largest referred variance.
        assert_eq!(
            check(&record(&["C"], Some(1))),
            Err(Mismatch::NotPicked {
                person_id: "C".into(),
                row: 7,
                seed: 3,
                sample: 1
            })
        );
        assert_eq!(
            check(&record(&[], Some(1))),
            Err(Mismatch::Missing {
                person_id: "A".into(),
                seed: 3,
                sample: 1
            })
        );
        // No seed recorded: people of the return, each once, is all that
        // can be checked.
        let mut no_seed = record(&["F", "C"], None);
        no_seed.seed = None;
        assert_eq!(check(&no_seed), Ok(()));
    }
}
