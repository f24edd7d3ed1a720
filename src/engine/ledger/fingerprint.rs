//! What makes two runs "the same" for the ledger: a SHA-256 over a canonical
//! text the engine owns (the input file's hash and every figure, finding and
//! decision of the result), not over any output's layout. A change to the
//! JSON or the report changes no fingerprint; a change to a figure does.
//!
//! The text leaves out what only names or words things: the file's name, the
//! findings' messages, the decisions file and line. The same file under
//! another name, or the same decisions from another file, is the same run.

use std::fmt::Write as _;

use super::super::result::{PersonResult, Reconciliation};
use crate::base::digest::sha256_hex;
use crate::base::text::escape_field as field;
use crate::base::units::Hours;

/// The first line of the canonical text: a new form gets a new number, so
/// fingerprints of two forms never match by accident.
const FORM: &str = "yourchoice.fingerprint/2";

/// The prefix of a fingerprint of this form, as recorded. Fingerprints
/// recorded before it (bare hex, over the JSON document) are compared by
/// [`Fingerprint::legacy`].
const PREFIX: &str = "2:";

/// A result's fingerprint, and the one an earlier version of the tool
/// recorded for the same result (so a rerun of a return recorded then is
/// still "already recorded").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fingerprint {
    /// `2:` and the SHA-256 of [`canonical`]: what is recorded now.
    pub current: String,
    /// The earlier form (the SHA-256 of the file's hash and the JSON
    /// document), when the caller could make it.
    pub legacy: Option<String>,
}

impl Fingerprint {
    /// Whether a recorded fingerprint is this result's, in either form.
    pub fn matches(&self, recorded: &str) -> bool {
        recorded == self.current || self.legacy.as_deref() == Some(recorded)
    }
}

/// The fingerprint of `r` read from a file of hash `file_sha256`.
pub fn fingerprint(r: &Reconciliation, file_sha256: &str) -> String {
    format!("{PREFIX}{}", sha256_hex(canonical(r, file_sha256).as_bytes()))
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(|| "-".to_string(), |v| v.to_string())
}

fn hours(h: Hours) -> String {
    h.seconds().normalize().to_string()
}

/// The canonical text: one line per fact, fields tab-separated, in the
/// result's own order (people and findings as the engine ordered them).
pub fn canonical(r: &Reconciliation, file_sha256: &str) -> String {
    let mut t = String::new();
    let _ = writeln!(t, "{FORM}\nfile\t{file_sha256}\nstatus\t{}", r.status().as_str());
    if let Some(p) = &r.provider {
        let _ = writeln!(
            t,
            "provider\t{}\t{}",
            opt(p.name.as_deref().map(field)),
            opt(p.reference.as_deref().map(field))
        );
    }
    if let Some(p) = &r.period {
        let _ = writeln!(
            t,
            "period\t{}\t{}\t{}\t{}\t{}",
            p.period.start,
            p.period.weeks,
            p.submission_due,
            p.table_top_due,
            opt(p.submitted)
        );
    }
    let _ = write!(t, "rates\t{:?}", r.rates_from);
    for rate in &r.rates {
        let _ = write!(t, "\t{}={}", rate.from, rate.amount.normalize());
    }
    t.push('\n');
    for p in &r.people {
        person(&mut t, p);
    }
    if let Some(x) = &r.totals {
        let _ = writeln!(
            t,
            "totals\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            x.authorised.normalize(),
            x.held.normalize(),
            x.held_payments.normalize(),
            x.held_recoveries.normalize(),
            x.held_count,
            x.referred_count,
            x.within_tolerance_count,
            x.no_care_count,
            x.overcharge_refunds.normalize(),
            x.refund_count,
            hours(x.commissioned),
            hours(x.delivered)
        );
    }
    for f in &r.findings {
        let _ = writeln!(
            t,
            "finding\t{}\t{}\t{}",
            f.code.as_str(),
            opt(f.location.as_ref()),
            opt(f.person_id.as_deref().map(field))
        );
    }
    t
}

fn person(t: &mut String, p: &PersonResult) {
    let _ = writeln!(
        t,
        "person\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
        field(&p.person_id),
        opt(p.name.as_deref().map(field)),
        p.status.as_str(),
        hours(p.commissioned),
        hours(p.delivered),
        hours(p.net_variance),
        opt(p.variance_percent.map(|v| v.normalize())),
        hours(p.tolerance),
        hours(p.bank.peak),
        opt(p.bank.limit_first_week),
        opt(p
            .change_in_need
            .map(|c| format!("{}-{}:{}", c.first_week, c.last_week, c.direction.as_str())))
    );
    if !p.rows.is_empty() || !p.notes.is_empty() {
        let rows: Vec<String> = p.rows.iter().map(u32::to_string).collect();
        let _ = write!(t, "rows\t{}", rows.join(","));
        for n in &p.notes {
            let _ = write!(t, "\t{}", field(n));
        }
        t.push('\n');
    }
    if let Some(s) = &p.settlement {
        let _ = write!(t, "settlement\t{}\t{}", s.amount.normalize(), s.authorised);
        if let Some(d) = &s.decision {
            let _ = write!(
                t,
                "\t{}\t{}\t{}",
                d.action.as_str(),
                field(&d.officer),
                field(&d.reason)
            );
        }
        t.push('\n');
    }
    if let Some(c) = &p.charge {
        let _ = writeln!(
            t,
            "charge\t{}\t{}\t{}",
            c.charged.normalize(),
            c.cost_of_care_received.normalize(),
            c.overcharge.normalize()
        );
    }
    for w in &p.weeks {
        let _ = writeln!(
            t,
            "week\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            w.week,
            w.care,
            opt(w.bundle.map(hours)),
            opt(w.delivered.map(hours)),
            opt(w.balance.map(hours)),
            opt(w.rate.map(|v| v.normalize())),
            opt(w.charge.map(|v| v.normalize()))
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::result::{Provider, RatesFrom};
    use crate::model::findings::{Code, Finding};

    fn result() -> Reconciliation {
        Reconciliation {
            source: "a.xlsx".into(),
            provider: Some(Provider {
                name: Some("Care\tLtd".into()),
                reference: Some("SUP1".into()),
            }),
            period: None,
            people: Vec::new(),
            totals: None,
            findings: vec![Finding::new(Code::NoPeople, "a message")],
            rates: Vec::new(),
            rates_from: RatesFrom::Council,
        }
    }

    #[test]
    fn names_and_messages_are_not_the_result_but_figures_are() {
        let r = result();
        let base = fingerprint(&r, "abc");
        assert!(base.starts_with("2:") && base.len() == 2 + 64);
        let mut renamed = r.clone();
        renamed.source = "b.xlsx".into();
        renamed.findings[0].message = "another wording".into();
        assert_eq!(fingerprint(&renamed, "abc"), base);
        assert_ne!(fingerprint(&r, "abd"), base, "another file");
        let mut other = r.clone();
        other.findings[0].code = Code::DuplicateSubmission;
        assert_ne!(fingerprint(&other, "abc"), base, "another finding");
        // A tab in a name cannot make two fields pass for one.
        assert!(canonical(&r, "abc").contains("provider\tCare\\tLtd\tSUP1\n"));
    }
}
