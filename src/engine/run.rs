//! Several submissions reconciled together (SPEC 0, 6): each on its own,
//! then the checks across them (two returns of one provider for one period),
//! the officer's decisions on held settlements, and the council's totals.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::result::{AppliedDecision, Direction, Hold, PersonResult, Reconciliation, Run, RunTotals, Status};
use super::{reconcile, totals};
use crate::base::text;
use crate::model::Submission;
use crate::model::findings::{Code, Finding, Findings, Location, Sheet};
use crate::model::settings::{Action, Decision, Settings, person_key, reference_key};

/// Reconcile every submission (with the reader's findings for each), then
/// refuse duplicates, apply the decisions and add up the council's totals.
pub fn reconcile_all<'a>(
    submissions: impl IntoIterator<Item = (&'a Submission, Findings)>,
    settings: &Settings,
) -> Run {
    let results: Vec<Reconciliation> = submissions
        .into_iter()
        .map(|(submission, findings)| reconcile(submission, findings, settings))
        .collect();
    combine(results, settings)
}

/// The checks across submissions each reconciled on its own (by
/// [`reconcile`], in any order or at once): duplicates refused, the
/// decisions applied, the council's totals added up.
pub fn combine(mut results: Vec<Reconciliation>, settings: &Settings) -> Run {
    reject_duplicates(&mut results);
    // Bounded as a return's are: 100,000 decisions for no one are a hundred
    // lines and a count, not 100,000 lines.
    let findings = Findings::from(apply_decisions(&mut results, &settings.decisions)).into_sorted();
    let totals = run_totals(&results);
    Run {
        results,
        findings,
        totals,
    }
}

/// Two reconciled returns of one provider whose periods share a week would
/// pay those weeks twice: each is rejected with an error naming the others,
/// and none enters the totals.
fn reject_duplicates(results: &mut [Reconciliation]) {
    let mut by_provider: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, r) in results.iter().enumerate() {
        if let (Status::Reconciled, Some(reference), Some(_)) = (r.status(), r.reference_key(), &r.period) {
            by_provider.entry(reference).or_default().push(i);
        }
    }
    let mut clashes: Vec<(usize, Vec<usize>)> = Vec::new();
    for members in by_provider.values() {
        for &i in members {
            let Some(pi) = results[i].period.as_ref() else {
                continue;
            };
            let others: Vec<usize> = members
                .iter()
                .copied()
                .filter(|&j| j != i)
                .filter(|&j| {
                    results[j]
                        .period
                        .as_ref()
                        .is_some_and(|pj| pj.period.start <= pi.end() && pi.period.start <= pj.end())
                })
                .collect();
            if !others.is_empty() {
                clashes.push((i, others));
            }
        }
    }
    clashes.sort();
    let messages: Vec<(usize, Finding)> = clashes
        .iter()
        .map(|(i, others)| {
            let r = &results[*i];
            let names: Vec<String> = others
                .iter()
                .map(|&j| {
                    let o = &results[j];
                    let name = if o.source == r.source {
                        format!("another file named {}", o.source)
                    } else {
                        o.source.clone()
                    };
                    match &o.period {
                        Some(p) => format!("{name} (from {})", text::date(p.period.start)),
                        None => name,
                    }
                })
                .collect();
            let error = Finding::new(
                Code::DuplicateSubmission,
                format!(
                    "{} (from {}) and {} are returns of provider {} for periods that share \
                     weeks. None of them is reconciled, so nothing is paid twice: keep the right \
                     one and run again without the others.",
                    r.source,
                    r.period
                        .as_ref()
                        .map_or_else(String::new, |p| text::date(p.period.start)),
                    names.join(", "),
                    r.reference_key().unwrap_or_default()
                ),
            );
            (*i, error)
        })
        .collect();
    for (i, error) in messages {
        results[i].reject(error);
    }
}

/// Apply each decision to the held settlement it names (SPEC 6). A decision
/// that changes nothing is a `decision-unused` warning: in the submission of
/// its provider where there is one, otherwise among the run's own findings
/// (returned). Authorising a person whose weeks suggest a change in need is
/// applied, with a warning: the policy allows it only where the settlement
/// does not relate to a sustained change in need.
fn apply_decisions(results: &mut [Reconciliation], decisions: &[Decision]) -> Vec<Finding> {
    let index = Index::of(results);
    let mut unmatched = Vec::new();
    // Decisions for no one in a provider's return, by return: bounded as
    // a return's own findings are.
    let mut not_found_in: HashMap<usize, Vec<Finding>> = HashMap::new();
    let mut changed = vec![false; results.len()];
    // Decisions for providers with no return in this run.
    let mut elsewhere: Vec<&Decision> = Vec::new();
    for d in decisions {
        let matches = index.matches(results, d);
        if matches.len() > 1 {
            unmatched.push(ambiguous(results, d, &matches));
            continue;
        }
        for &(i, j) in &matches {
            changed[i] = true;
            let found = apply(&mut results[i].people[j], d);
            results[i].findings.extend(found);
        }
        if !matches.is_empty() {
            continue;
        }
        let provider = index
            .providers
            .get(&reference_key(&d.provider_reference))
            .copied();
        // With the provider's (rejected) submission in the run, say so there.
        match provider {
            Some(i) => {
                not_found_in.entry(i).or_default().push(not_found(d, true));
                changed[i] = true;
            }
            None => elsewhere.push(d),
        }
    }
    unmatched.extend(for_providers_elsewhere(&elsewhere));
    for (i, found) in not_found_in {
        results[i].findings.extend(Findings::from(found).into_sorted());
    }
    refresh(results, &changed);
    unmatched
}

/// (provider reference, Person ID) -> (result, person), and provider
/// reference -> its first result: built once, so no decision searches.
struct Index {
    people: HashMap<(String, String), Vec<(usize, usize)>>,
    providers: HashMap<String, usize>,
}

impl Index {
    /// Owns building the index over the run's results.
    fn of(results: &[Reconciliation]) -> Index {
        let mut people: HashMap<(String, String), Vec<(usize, usize)>> = HashMap::new();
        let mut providers: HashMap<String, usize> = HashMap::new();
        for (i, r) in results.iter().enumerate() {
            let Some(reference) = r.reference_key() else {
                continue;
            };
            providers.entry(reference.clone()).or_insert(i);
            for (j, p) in r.people.iter().enumerate() {
                people
                    .entry((reference.clone(), person_key(&p.person_id)))
                    .or_default()
                    .push((i, j));
            }
        }
        Index { people, providers }
    }

    /// Owns which (result, person) a decision names.
    fn matches(&self, results: &[Reconciliation], d: &Decision) -> Vec<(usize, usize)> {
        let key = (reference_key(&d.provider_reference), person_key(&d.person_id));
        let all = self.people.get(&key).map(Vec::as_slice).unwrap_or_default();
        // A decision for a period applies to that period's submission; one
        // without may apply only where it can mean one submission.
        all.iter()
            .copied()
            .filter(|&(i, _)| {
                d.period_start.is_none_or(|start| {
                    results[i]
                        .period
                        .as_ref()
                        .is_some_and(|p| p.period.start == start)
                })
            })
            .collect()
    }
}

/// Owns the `decision-unused` warning of a decision that could mean more
/// than one submission.
fn ambiguous(results: &[Reconciliation], d: &Decision, matches: &[(usize, usize)]) -> Finding {
    let periods: Vec<String> = matches
        .iter()
        .filter_map(|&(i, _)| results[i].period.as_ref().map(|p| text::date(p.period.start)))
        .collect();
    Finding::new(
        Code::DecisionUnused,
        format!(
            "The decision to {} for {} in {} was not applied: the run holds {} \
             submissions of provider {} with that person (periods from {}). Add a \
             Period start column to the decisions to say which period it is for.",
            d.action.as_str(),
            d.person_id,
            d.source,
            matches.len(),
            d.provider_reference,
            periods.join(" and ")
        ),
    )
    .person(&d.person_id)
}

/// Owns what is said of decisions for providers with no return in this
/// run: one, in full (a mistyped reference is then plain to see); several
/// (a council-wide decisions file given to a run of one provider), one
/// line counting them by provider, not a warning for each (issue 26).
fn for_providers_elsewhere(decisions: &[&Decision]) -> Vec<Finding> {
    match decisions {
        [] => Vec::new(),
        [one] => vec![not_found(one, false)],
        many => {
            let mut by_provider: Vec<(String, usize)> = Vec::new();
            for d in many {
                match by_provider.iter_mut().find(|(p, _)| *p == d.provider_reference) {
                    Some((_, n)) => *n += 1,
                    None => by_provider.push((d.provider_reference.clone(), 1)),
                }
            }
            let mut files: Vec<&str> = many
                .iter()
                .map(|d| {
                    d.source
                        .rsplit_once(':')
                        .map_or(d.source.as_str(), |(file, _)| file)
                })
                .collect();
            files.dedup();
            vec![Finding::new(
                Code::DecisionUnused,
                format!(
                    "{} decisions in {} are for {} with no return in this run ({}), so they were not \
                     applied now; they apply when those returns are reconciled. If one of them \
                     should be in this run, check its provider reference.",
                    many.len(),
                    files.join(", "),
                    if by_provider.len() == 1 {
                        "a provider"
                    } else {
                        "providers"
                    },
                    by_provider
                        .iter()
                        .map(|(p, n)| format!("{p}: {n}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )]
        }
    }
}

/// Owns the `decision-unused` warning of a decision whose person is in no
/// reconciled submission of its provider (`provider_in_run`: the provider
/// has a submission in the run).
fn not_found(d: &Decision, provider_in_run: bool) -> Finding {
    let why = if provider_in_run {
        format!(
            "no reconciled submission of provider {} in this run has {}",
            d.provider_reference, d.person_id
        )
    } else {
        format!(
            "no submission in this run is from provider {}",
            d.provider_reference
        )
    };
    Finding::new(
        Code::DecisionUnused,
        format!(
            "The decision to {} for {} in {} was not applied: {why}. Check the provider \
             reference and Person ID.",
            d.action.as_str(),
            d.person_id,
            d.source
        ),
    )
    .person(&d.person_id)
}

/// Owns bringing each result a decision changed up to date: its totals
/// again, its findings in order of severity.
fn refresh(results: &mut [Reconciliation], changed: &[bool]) {
    for (r, &changed) in results.iter_mut().zip(changed) {
        if changed {
            if r.totals.is_some() {
                r.totals = Some(totals(&r.people));
            }
            r.findings.sort_by_key(Finding::severity);
        }
    }
}

/// Apply one decision to one person: the findings it raises. A decision
/// bound to an amount applies only while the settlement is that amount
/// (else it is held again, `decision-stale`); one without an amount applies
/// with a `decision-unbound` notice.
fn apply(person: &mut PersonResult, d: &Decision) -> Vec<Finding> {
    let row_at = person.rows.first().map(|&row| Location::row(Sheet::Hours, row));
    let who = text::who(&person.person_id, person.name.as_deref());
    let Some(settlement) = person.settlement.as_mut().filter(|s| !s.authorised) else {
        return vec![
            Finding::new(
                Code::DecisionUnused,
                format!(
                    "The decision to {} in {} is for {who}, whose settlement is not held, so it \
                     changes nothing (a settlement is held when no rule authorises it: a referred \
                     person's, or one outside the council's plans).",
                    d.action.as_str(),
                    d.source
                ),
            )
            .at_opt(row_at)
            .person(&person.person_id),
        ];
    };
    if let Some(decided) = d.amount
        && decided != settlement.amount
    {
        settlement.hold = Some(Hold::StaleDecision);
        return vec![
            stale(d, decided, settlement.amount, &who)
                .at_opt(row_at)
                .person(&person.person_id),
        ];
    }
    settlement.decision = Some(AppliedDecision {
        action: d.action,
        officer: d.officer.clone(),
        reason: d.reason.clone(),
        source: d.source.clone(),
        any_period: d.period_start.is_none(),
    });
    let mut found = Vec::new();
    if d.amount.is_none() {
        found.push(
            unbound(d, settlement.amount, &who)
                .at_opt(row_at)
                .person(&person.person_id),
        );
    }
    if d.action != Action::Authorise {
        return found;
    }
    settlement.authorised = true;
    if let Some(c) = person.change_in_need.as_ref() {
        found.push(
            Finding::new(
                Code::AuthorisedChangeInNeed,
                format!(
                    "{who} is authorised by {} ({}) although weeks {} to {} were each well {} the \
                     bundle, a possible change in need. The policy allows a settlement outside the \
                     tolerance to be authorised only where it does not relate to a sustained change \
                     in need: the reason should record why this one does not.",
                    d.officer,
                    d.source,
                    c.first_week,
                    c.last_week,
                    match c.direction {
                        Direction::More => "over",
                        Direction::Less => "under",
                    },
                ),
            )
            .at_opt(row_at)
            .person(&person.person_id),
        );
    }
    found
}

/// `decision-stale`: the decision was made on `decided`, the settlement is
/// now `now`.
fn stale(d: &Decision, decided: Decimal, now: Decimal, who: &str) -> Finding {
    Finding::new(
        Code::DecisionStale,
        format!(
            "The decision to {} {who} in {}, by {}, was made on a settlement of {}; the \
             settlement is now {} (a resubmission, or other settings or plans), so the \
             decision does not apply and the settlement is held again. Decide again on \
             the figure now.",
            d.action.as_str(),
            d.source,
            d.officer,
            text::pounds(decided),
            text::pounds(now)
        ),
    )
}

/// `decision-unbound`: a decision with no Amount, applied to `amount`.
fn unbound(d: &Decision, amount: Decimal, who: &str) -> Finding {
    Finding::new(
        Code::DecisionUnbound,
        format!(
            "The decision to {} {who} in {} gives no Amount, so it is not bound to a \
             figure: it applies to the settlement of {} and would apply to any other. \
             Give the settlement decided in the Amount column (the decisions workbook \
             fills it in), so that a changed figure is held again.",
            d.action.as_str(),
            d.source,
            text::pounds(amount)
        ),
    )
}

/// The council's totals: the sums of every reconciled submission's totals.
pub fn run_totals(results: &[Reconciliation]) -> RunTotals {
    let mut t = RunTotals {
        submissions: results.len(),
        ..RunTotals::default()
    };
    for r in results {
        if r.period.as_ref().is_some_and(|p| p.late()) {
            t.late += 1;
        }
        let Some(x) = &r.totals else {
            t.rejected += 1;
            continue;
        };
        t.reconciled += 1;
        t.people += r.people.len();
        if super::rules::method(x.authorised) == super::Method::Bacs {
            t.payments += x.authorised;
        } else {
            t.invoices += x.provider_amount();
        }
        t.held_payments += x.held_payments;
        t.held_recoveries += x.held_recoveries;
        t.held += x.held;
        t.held_count += x.held_count;
        t.referred_count += x.referred_count;
        t.overcharge_refunds += x.overcharge_refunds;
        t.refund_count += x.refund_count;
    }
    t
}
