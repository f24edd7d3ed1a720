//! The ledger rules' own cases.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

use super::*;
use crate::engine::result::PersonStatus;
use crate::model::export::Stream;
use crate::model::settings::Action;

use rust_decimal::dec;

fn recorded(version: u32, sha: &str, fingerprint: &str, reconciled: bool) -> Recorded {
    Recorded {
        id: i64::from(version),
        provider_reference: "SUP00123".into(),
        provider_name: None,
        period_start: NaiveDate::from_ymd_opt(2026, 4, 6).unwrap(),
        period_end: NaiveDate::from_ymd_opt(2026, 7, 5).unwrap(),
        version,
        change: Change::First,
        reason: None,
        file_name: "a.xlsx".into(),
        file_sha256: sha.into(),
        fingerprint: fingerprint.into(),
        reconciled,
        submitted: None,
        late: false,
        decisions: Vec::new(),
        totals: None,
        recorded_at: DateTime::<Utc>::UNIX_EPOCH,
        officer: "A".into(),
    }
}

fn candidate(sha: &str, fingerprint: &str, reconciled: bool, decisions: &str) -> Candidate {
    Candidate {
        provider_reference: "SUP00123".into(),
        period_start: NaiveDate::from_ymd_opt(2026, 4, 6).unwrap(),
        period_end: NaiveDate::from_ymd_opt(2026, 7, 5).unwrap(),
        file_sha256: sha.into(),
        fingerprint: Fingerprint {
            current: fingerprint.into(),
            legacy: None,
        },
        reconciled,
        decisions: decisions_of(decisions),
        any_period: Vec::new(),
        undecided: Vec::new(),
    }
}

/// Decisions written as the ledger's column writes them: one per line,
/// Person ID, action, officer and reason tab-separated.
fn decisions_of(text: &str) -> Vec<DecisionRecord> {
    text.lines()
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            DecisionRecord {
                person_id: f[0].into(),
                action: if f[1] == "hold" {
                    Action::Hold
                } else {
                    Action::Authorise
                },
                officer: f[2].into(),
                reason: f[3].into(),
            }
        })
        .collect()
}

#[test]
fn admission_follows_the_issue() {
    let v1 = recorded(1, "s1", "f1", true);
    let record = |version, change| Admission::Record {
        version,
        change,
        supersedes: Some(v1.clone()),
    };
    assert!(matches!(
        admit(None, None, &candidate("s1", "f1", true, ""), false),
        Admission::Record {
            version: 1,
            change: Change::First,
            supersedes: None
        }
    ));
    assert_eq!(
        admit(Some(&v1), None, &candidate("s1", "f1", true, ""), false),
        Admission::Already(v1.clone())
    );
    assert_eq!(
        admit(
            Some(&v1),
            None,
            &candidate("s1", "f2", true, "P1\tauthorise\tO\tR"),
            false
        ),
        record(2, Change::Decisions)
    );
    assert_eq!(
        admit(Some(&v1), None, &candidate("s1", "f2", true, ""), false),
        Admission::Refused(Refusal::SettingsChanged(v1.clone()))
    );
    assert_eq!(
        admit(Some(&v1), None, &candidate("s1", "f2", true, ""), true),
        record(2, Change::Settings)
    );
    assert_eq!(
        admit(Some(&v1), None, &candidate("s2", "f2", true, ""), false),
        Admission::Refused(Refusal::OtherFile(v1.clone()))
    );
    assert_eq!(
        admit(Some(&v1), None, &candidate("s2", "f2", true, ""), true),
        record(2, Change::Resubmission)
    );
    assert_eq!(
        admit(Some(&v1), None, &candidate("s2", "f2", false, ""), true),
        Admission::Refused(Refusal::RejectedOverReconciled(v1.clone()))
    );
    let rejected = recorded(1, "s1", "f1", false);
    assert!(matches!(
        admit(Some(&rejected), None, &candidate("s2", "f2", true, ""), false),
        Admission::Record {
            version: 2,
            change: Change::Correction,
            ..
        }
    ));
    assert_eq!(
        admit(None, Some(&v1), &candidate("s2", "f2", true, ""), true),
        Admission::Refused(Refusal::Overlaps(v1.clone()))
    );
    // Authorised before, held with no decision now: refused.
    let mut authorised = v1.clone();
    authorised.decisions = decisions_of("P2\tauthorise\tO\tR");
    let mut again = candidate("s1", "f3", true, "");
    again.undecided = vec!["P2".into()];
    assert_eq!(
        admit(Some(&authorised), None, &again, false),
        Admission::Refused(Refusal::DecisionsDropped(authorised.clone(), vec!["P2".into()]))
    );
    // A hold left out loses its reason: refused too.
    let mut hold = v1.clone();
    hold.decisions = decisions_of("P2\thold\tO\tR");
    assert!(matches!(
        admit(Some(&hold), None, &again, false),
        Admission::Refused(Refusal::DecisionsDropped(..))
    ));
    // Revoked by a hold line: recorded.
    let mut held = candidate("s1", "f3", true, "P2\thold\tO\tR2");
    held.undecided = Vec::new();
    assert_eq!(
        admit(Some(&authorised), None, &held, false),
        Admission::Record {
            version: 2,
            change: Change::Decisions,
            supersedes: Some(authorised)
        }
    );
}

fn person(id: &str, settlement: Decimal, authorised: bool, released: bool) -> PersonRow {
    PersonRow {
        person_id: id.into(),
        name: None,
        status: if authorised && !released {
            PersonStatus::WithinTolerance
        } else {
            PersonStatus::Referred
        },
        commissioned: "10".into(),
        delivered: "10".into(),
        net_variance: "0".into(),
        variance_percent: None,
        settlement: Some(settlement),
        authorised,
        decision: released.then(|| RecordedDecision {
            action: Action::Authorise,
            officer: "O".into(),
            reason: "R".into(),
        }),
        change_in_need: None,
        overcharge: Decimal::ZERO,
    }
}

fn part(id: &str, amount: Decimal) -> ExportedPart {
    ExportedPart {
        provider_reference: "SUP00123".into(),
        person_id: id.into(),
        amount,
    }
}

#[test]
fn a_payment_run_exports_only_what_was_not_exported() {
    // P1 +£50 within tolerance, P2 +£509.43 held, P3 -£20 within.
    let v1 = Version {
        recorded: recorded(1, "s1", "f1", true),
        people: vec![
            person("P1", dec!(50.00), true, false),
            person("P2", dec!(509.43), false, false),
            person("P3", dec!(-20.00), true, false),
        ],
    };
    let versions = vec![v1.clone()];
    let first = pay_run(Stream::Settlement, &versions, &[], &[]);
    assert_eq!(first.len(), 1);
    assert_eq!((first[0].item, first[0].amount), (Item::First, dec!(30.00)));

    // After that export, the officer authorises P2: one released hold.
    let exported = vec![part("P1", dec!(50.00)), part("P3", dec!(-20.00))];
    assert!(pay_run(Stream::Settlement, &versions, &exported, &exported).is_empty());
    let mut v2 = v1.clone();
    v2.people[1] = person("P2", dec!(509.43), true, true);
    let versions = vec![v2];
    let next = pay_run(Stream::Settlement, &versions, &exported, &exported);
    assert_eq!(next.len(), 1);
    assert_eq!((next[0].item, next[0].amount), (Item::ReleasedHold, dec!(509.43)));
    assert_eq!(next[0].released(), vec!["P2"]);

    // A resubmission: P1 now +£40 and P3 gone: -£10 and +£20 back.
    let mut v3 = v1;
    v3.people = vec![person("P1", dec!(40.00), true, false)];
    let versions = vec![v3];
    let diff = pay_run(Stream::Settlement, &versions, &exported, &exported);
    assert_eq!(diff.len(), 1);
    assert_eq!((diff[0].item, diff[0].amount), (Item::Difference, dec!(10.00)));
    assert_eq!(diff[0].before(), dec!(30.00), "P1's £50 and P3's -£20");
    assert_eq!(diff[0].provider_before, dec!(30.00));
    let remittance = pay_run(Stream::Remittance, &versions, &exported, &exported);
    let amounts: Vec<(Option<String>, Decimal)> = remittance
        .iter()
        .map(|l| (l.person_id.clone(), l.amount))
        .collect();
    assert_eq!(
        amounts,
        vec![
            (Some("P1".into()), dec!(-10.00)),
            (Some("P3".into()), dec!(20.00))
        ]
    );
}

#[test]
fn a_paid_settlement_held_after_a_resubmission_waits_for_the_officer() {
    // P1 +£24 was paid within tolerance; the resubmission refers P1 and
    // holds a -£30: nothing moves until the officer decides.
    let paid = vec![part("P1", dec!(24.00))];
    let held = Version {
        recorded: recorded(2, "s2", "f2", true),
        people: vec![person("P1", dec!(-30.00), false, false)],
    };
    let versions = vec![held.clone()];
    assert!(pay_run(Stream::Settlement, &versions, &paid, &paid).is_empty());
    // The officer's hold: the £24 paid is recovered.
    let mut decided = held;
    decided.people[0].decision = Some(RecordedDecision {
        action: Action::Hold,
        officer: "O".into(),
        reason: "R".into(),
    });
    let versions = vec![decided];
    let run = pay_run(Stream::Settlement, &versions, &paid, &paid);
    assert_eq!((run[0].item, run[0].amount), (Item::Difference, dec!(-24.00)));
}

#[test]
fn referrals_are_exported_once_each() {
    let v = Version {
        recorded: recorded(1, "s1", "f1", true),
        people: vec![
            person("P2", dec!(509.43), false, false),
            person("P1", dec!(5), true, false),
        ],
    };
    let versions = vec![v];
    let first = pay_run(Stream::Referral, &versions, &[], &[]);
    assert_eq!(first.len(), 1);
    assert_eq!(
        (first[0].person_id.as_deref(), first[0].amount),
        (Some("P2"), dec!(509.43))
    );
    assert!(pay_run(Stream::Referral, &versions, &[part("P2", dec!(509.43))], &[]).is_empty());
    // Authorised since: listed again, nothing held now.
    let mut v = versions[0].clone();
    v.people[0] = person("P2", dec!(509.43), true, true);
    let versions = vec![v];
    let update = pay_run(Stream::Referral, &versions, &[part("P2", dec!(509.43))], &[]);
    assert_eq!(update.len(), 1);
    assert_eq!(
        (update[0].item, update[0].amount),
        (Item::Difference, Decimal::ZERO)
    );
}

#[test]
fn a_fingerprint_recorded_in_the_earlier_form_still_matches() {
    let current = recorded(1, "sha", "legacyhex", true);
    let mut again = candidate("sha", "2:newhex", true, "");
    // Without the earlier form, the same return looks changed.
    assert_eq!(
        admit(Some(&current), None, &again, false),
        Admission::Refused(Refusal::SettingsChanged(current.clone()))
    );
    again.fingerprint.legacy = Some("legacyhex".into());
    assert_eq!(
        admit(Some(&current), None, &again, false),
        Admission::Already(current.clone())
    );
}

#[test]
fn the_remittance_nets_to_what_was_paid_whatever_the_order_of_exports() {
    // P1 +£24.00 and P2 -£5.10 paid within tolerance (the payments ran);
    // the resubmission refers P1 (now -£30.00), held with no decision.
    let paid = vec![part("P1", dec!(24.00)), part("P2", dec!(-5.10))];
    let held = Version {
        recorded: recorded(2, "s2", "f2", true),
        people: vec![
            person("P1", dec!(-30.00), false, false),
            person("P2", dec!(-5.10), true, false),
        ],
    };
    let versions = vec![held];
    // Payments: nothing moves (P1 stands at the £24.00 paid).
    assert!(pay_run(Stream::Settlement, &versions, &paid, &paid).is_empty());
    // The remittance advice, first exported only now: P1 at the £24.00 paid
    // and P2 at -£5.10, netting to the £18.90 the payments moved, not to
    // -£5.10 as if P1 had never been paid.
    let advice = pay_run(Stream::Remittance, &versions, &[], &paid);
    let lines: Vec<(Option<&str>, Decimal)> = advice
        .iter()
        .map(|l| (l.person_id.as_deref(), l.amount))
        .collect();
    assert_eq!(lines, vec![(Some("P1"), dec!(24.00)), (Some("P2"), dec!(-5.10))]);
    assert_eq!(advice.iter().map(|l| l.amount).sum::<Decimal>(), dec!(18.90));
    // The advice exported at version 1 already (P1 £24.00): nothing new.
    let advised = paid.clone();
    assert!(pay_run(Stream::Remittance, &versions, &advised, &paid).is_empty());
}

#[test]
fn a_decision_for_any_period_recorded_for_another_is_not_carried() {
    let mut q1 = recorded(1, "aaa", "f1", true);
    q1.decisions = decisions_of("P1003\tauthorise\tSian\tone-off");
    let mut q2 = candidate("bbb", "f2", true, "P1003\tauthorise\tSian\tone-off");
    q2.period_start = NaiveDate::from_ymd_opt(2026, 7, 6).unwrap();
    // Dated for Q2 (not for any period): the officer's decision for it.
    assert!(matches!(
        admit_among(None, None, std::slice::from_ref(&q1), &q2, false),
        Admission::Record { .. }
    ));
    q2.any_period = q2.decisions.clone();
    assert_eq!(
        admit_among(None, None, std::slice::from_ref(&q1), &q2, false),
        Admission::Refused(Refusal::DecisionCarried(q1.clone(), vec!["P1003".into()]))
    );
    // Another reason is another decision.
    q2.any_period = decisions_of("P1003\tauthorise\tSian\tagreed again");
    assert!(matches!(
        admit_among(None, None, std::slice::from_ref(&q1), &q2, false),
        Admission::Record { .. }
    ));
}
