//! Council-side changes after a return was recorded (issue 25): which
//! provider-periods were recorded under council files (council.toml, the
//! plans it names) that differ from the council's files today, and, when a
//! return is reconciled again under them, what the recalculation changed
//! in the provider's settlement.
//!
//! The ledger keeps each version's figures and the SHA-256 of each council
//! file it was reconciled with (`settings_file`), not the week-by-week
//! hours, so what a change of settings does to the money is known only by
//! reconciling the return again: these rules say which returns to run
//! again, and what the new version changed.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::admit::{Admission, Change, Recorded};
use super::records::Version;
use crate::engine::result::Totals;

/// The role of `council.toml` among a version's settings files.
pub const COUNCIL_SETTINGS: &str = "council settings";
/// The role of the plans file council.toml names.
pub const PLANS: &str = "plans";

/// The roles compared: the files the council's figures come from. The
/// decisions file is not one of them: a decision changed is recorded by
/// running with it (a `decisions` version), and `status` is not given it.
const COMPARED: [&str; 2] = [COUNCIL_SETTINGS, PLANS];

/// One of the council's files, as a version recorded it or as given now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CouncilFile {
    /// `council settings`, `plans` or `decisions`.
    pub role: String,
    /// The path as it was given (or as council.toml names it).
    pub path: String,
    pub sha256: String,
}

/// How one of the council's files differs from the one a version was
/// recorded under.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileChange {
    /// Its content differs (another SHA-256): the path is today's.
    Changed { role: String, path: String },
    /// Given now, not when the version was recorded (council.toml names a
    /// plans file it did not name then).
    Added { role: String, path: String },
    /// Given when the version was recorded, not now: the path as recorded.
    Dropped { role: String, path: String },
}

impl FileChange {
    /// The file's path: today's, or as recorded for one dropped since.
    pub fn path(&self) -> &str {
        match self {
            FileChange::Changed { path, .. }
            | FileChange::Added { path, .. }
            | FileChange::Dropped { path, .. } => path,
        }
    }

    pub fn role(&self) -> &str {
        match self {
            FileChange::Changed { role, .. }
            | FileChange::Added { role, .. }
            | FileChange::Dropped { role, .. } => role,
        }
    }
}

/// A provider-period whose current version was recorded under other
/// council files than today's.
#[derive(Clone, Debug, PartialEq)]
pub struct Stale<'a> {
    pub version: &'a Version,
    /// What differs, council.toml first, then the plans.
    pub changes: Vec<FileChange>,
    /// The decisions file the version was recorded with, if any: running
    /// again without it would drop its decisions (refused), so the command
    /// to run names it.
    pub decisions: Option<CouncilFile>,
}

/// How the council's files given now differ from those a version was
/// recorded under, role by role (council.toml, then the plans); nothing
/// when the two are the same. A file is the same when its SHA-256 is: a
/// file moved or renamed with the same bytes is not a change.
pub fn council_files_changed(recorded: &[CouncilFile], now: &[CouncilFile]) -> Vec<FileChange> {
    let of = |files: &[CouncilFile], role: &str| files.iter().find(|f| f.role == role).cloned();
    COMPARED
        .iter()
        .filter_map(|role| match (of(recorded, role), of(now, role)) {
            (Some(then), Some(now)) if then.sha256 != now.sha256 => Some(FileChange::Changed {
                role: now.role,
                path: now.path,
            }),
            (None, Some(now)) => Some(FileChange::Added {
                role: now.role,
                path: now.path,
            }),
            (Some(then), None) => Some(FileChange::Dropped {
                role: then.role,
                path: then.path,
            }),
            _ => None,
        })
        .collect()
}

/// The current versions (`versions`, in their order) recorded under other
/// council files than `now`; `recorded` holds each version's files by its
/// id. When `now` holds no council.toml (`status` run without the
/// council's settings), there is nothing to compare with: none is listed.
pub fn stale<'a>(
    versions: &'a [Version],
    recorded: &HashMap<i64, Vec<CouncilFile>>,
    now: &[CouncilFile],
) -> Vec<Stale<'a>> {
    if !now.iter().any(|f| f.role == COUNCIL_SETTINGS) {
        return Vec::new();
    }
    let none = Vec::new();
    versions
        .iter()
        .filter_map(|v| {
            let files = recorded.get(&v.recorded.id).unwrap_or(&none);
            let changes = council_files_changed(files, now);
            (!changes.is_empty()).then(|| Stale {
                version: v,
                changes,
                decisions: files.iter().find(|f| f.role == "decisions").cloned(),
            })
        })
        .collect()
}

/// What a new version changed in the provider's settlement: the
/// authorised total (one payment or invoice) and the held total, before
/// and now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SettlementChange {
    pub authorised_before: Decimal,
    pub authorised_now: Decimal,
    pub held_before: Decimal,
    pub held_now: Decimal,
}

impl SettlementChange {
    /// The authorised settlement now less before: owed to the provider
    /// when positive, to the council when negative.
    pub fn difference(&self) -> Decimal {
        self.authorised_now - self.authorised_before
    }

    /// Whether the held total changed too.
    pub fn held_changed(&self) -> bool {
        self.held_now != self.held_before
    }
}

/// The change in the provider's settlement from the version `before` to
/// the totals `now`; `None` when either was rejected (no figures).
pub fn settlement_change(before: &Recorded, now: Option<&Totals>) -> Option<SettlementChange> {
    let (then, now) = (before.totals.as_ref()?, now?);
    Some(SettlementChange {
        authorised_before: then.authorised,
        authorised_now: now.authorised,
        held_before: then.held,
        held_now: now.held,
    })
}

/// A rerun that gives the figures on record ([`Admission::Already`]) under
/// other council files than the current version was recorded with: given
/// `--resubmission "REASON"`, the officer has checked the return against
/// the council's files as now, and a `settings` version records that (the
/// same figures: nothing to export), so `status` stops listing it. Without
/// a reason, or with the same files, nothing new is recorded.
pub fn confirm_settings(admission: Admission, files_changed: bool, resubmission: bool) -> Admission {
    match admission {
        Admission::Already(c) if files_changed && resubmission && c.reconciled => Admission::Record {
            version: c.version + 1,
            change: Change::Settings,
            supersedes: Some(c),
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(role: &str, path: &str, sha: &str) -> CouncilFile {
        CouncilFile {
            role: role.into(),
            path: path.into(),
            sha256: sha.into(),
        }
    }

    #[test]
    fn files_are_compared_by_role_and_content_not_by_path() {
        let then = [
            file(COUNCIL_SETTINGS, "a/council.toml", "1"),
            file(PLANS, "a/plans.csv", "2"),
        ];
        // Moved, same bytes: no change; decisions are not compared.
        let moved = [
            file(COUNCIL_SETTINGS, "b/council.toml", "1"),
            file(PLANS, "b/plans.csv", "2"),
            file("decisions", "d.csv", "9"),
        ];
        assert!(council_files_changed(&then, &moved).is_empty());
        let edited = [file(COUNCIL_SETTINGS, "council.toml", "3")];
        assert_eq!(
            council_files_changed(&then, &edited),
            vec![
                FileChange::Changed {
                    role: COUNCIL_SETTINGS.into(),
                    path: "council.toml".into()
                },
                FileChange::Dropped {
                    role: PLANS.into(),
                    path: "a/plans.csv".into()
                },
            ]
        );
        assert_eq!(
            council_files_changed(&edited, &then)[1],
            FileChange::Added {
                role: PLANS.into(),
                path: "a/plans.csv".into()
            }
        );
    }

    #[test]
    fn without_council_toml_now_nothing_is_listed() {
        let versions: Vec<Version> = Vec::new();
        assert!(stale(&versions, &HashMap::new(), &[file(PLANS, "p.csv", "1")]).is_empty());
    }
}
