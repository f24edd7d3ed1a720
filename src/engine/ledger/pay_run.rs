//! The payment run: what each export still has to draw, person by person,
//! given what earlier exports of the same stream drew.

use std::collections::{BTreeMap, HashMap, HashSet};

use rust_decimal::Decimal;

use super::records::{ExportedPart, Item, Part, PersonRow, Version};
use crate::engine::export::{due_now, listed};
use crate::model::export::Stream;

/// One line of a payment run: a provider's line (payments, invoices) or a
/// person's (remittance, refunds, referrals).
#[derive(Clone, Debug, PartialEq)]
pub struct PayLine<'a> {
    pub version: &'a Version,
    /// The person of a person's line; `None` when they are no longer in the
    /// current version (a difference taking back what was exported).
    pub person: Option<&'a PersonRow>,
    /// The person's ID on a person's line.
    pub person_id: Option<String>,
    pub item: Item,
    /// Owed to the provider (or the person) when positive.
    pub amount: Decimal,
    pub parts: Vec<Part>,
    /// What the stream exported before for the provider's period, everyone
    /// included.
    pub provider_before: Decimal,
}

impl PayLine<'_> {
    /// The people whose held settlements this line releases.
    pub fn released(&self) -> Vec<&str> {
        if self.item != Item::ReleasedHold {
            return Vec::new();
        }
        self.parts.iter().map(|p| p.person_id.as_str()).collect()
    }

    /// What was exported before for the people of this line.
    pub fn before(&self) -> Decimal {
        self.parts.iter().map(|p| p.before).sum()
    }

    /// What was exported before, as a line's note states it: the person's
    /// on a person's line, the provider's whole period on a provider's.
    pub fn exported_before(&self) -> Decimal {
        if self.person_id.is_some() {
            self.before()
        } else {
            self.provider_before
        }
    }

    /// What is due now, all told: what was exported before and this line.
    pub fn due_now(&self) -> Decimal {
        self.exported_before() + self.amount
    }
}

/// The sum of lines (signed: owed to the provider or person when positive).
pub fn total(lines: &[&PayLine<'_>]) -> Decimal {
    lines.iter().map(|l| l.amount).sum()
}

/// What `stream` still has to export for the current versions of a period:
/// for each person the amount due now less what was exported before (in any
/// earlier export of the stream, repeats aside). Payments and invoices are
/// one line per provider and item (its sign says which file it goes in);
/// the others one line per person. Lines of 0 are left out: nothing moves.
pub fn pay_run<'a>(stream: Stream, versions: &'a [Version], exported: &[ExportedPart]) -> Vec<PayLine<'a>> {
    // provider -> person -> sum exported; one pass, so no search per person.
    let mut before: HashMap<&str, BTreeMap<&str, Decimal>> = HashMap::new();
    // The referrals list is not money: what counts is the last line a
    // person had (the settlement then held), not a sum.
    let mut last: HashMap<(&str, &str), Decimal> = HashMap::new();
    for part in exported {
        *before
            .entry(part.provider_reference.as_str())
            .or_default()
            .entry(part.person_id.as_str())
            .or_default() += part.amount;
        last.insert(
            (part.provider_reference.as_str(), part.person_id.as_str()),
            part.amount,
        );
    }
    let mut lines = Vec::new();
    for v in versions.iter().filter(|v| v.recorded.reconciled) {
        let empty = BTreeMap::new();
        let done = before
            .get(v.recorded.provider_reference.as_str())
            .unwrap_or(&empty);
        let exported_before = !done.is_empty();
        let provider_before: Decimal = done.values().copied().sum();
        let mut person_lines: Vec<PayLine<'a>> = Vec::new();
        let mut seen: HashSet<&str> = HashSet::new();
        for p in &v.people {
            seen.insert(p.person_id.as_str());
            let had = done.get(p.person_id.as_str()).copied();
            let (due, item) = match stream {
                Stream::Referral => {
                    if !listed(stream, p) {
                        continue;
                    }
                    // Listed once, and again when what is held changes (the
                    // officer's decision released it).
                    let held = due_now(stream, p).unwrap_or_default();
                    match last.get(&(v.recorded.provider_reference.as_str(), p.person_id.as_str())) {
                        None => (held, Item::First),
                        Some(&was) if was == held => continue,
                        Some(_) => (held, Item::Difference),
                    }
                }
                Stream::Settlement | Stream::Remittance | Stream::Refund => {
                    let had = had.unwrap_or_default();
                    // Held, waiting for the officer: nothing moves for them,
                    // either way, until a decision says so.
                    let due = due_now(stream, p).unwrap_or(had);
                    if due == had {
                        continue;
                    }
                    let item = if !exported_before {
                        Item::First
                    } else if had.is_zero() && p.released() {
                        Item::ReleasedHold
                    } else {
                        Item::Difference
                    };
                    (due - had, item)
                }
            };
            person_lines.push(PayLine {
                version: v,
                person: Some(p),
                person_id: Some(p.person_id.clone()),
                item,
                amount: due,
                parts: vec![Part {
                    person_id: p.person_id.clone(),
                    amount: due,
                    before: done.get(p.person_id.as_str()).copied().unwrap_or_default(),
                }],
                provider_before,
            });
        }
        // Someone exported before and no longer in the current version (a
        // resubmission without them): what was paid for them is taken back.
        if stream != Stream::Referral {
            for (&id, &had) in done
                .iter()
                .filter(|(id, had)| !seen.contains(**id) && !had.is_zero())
            {
                person_lines.push(PayLine {
                    version: v,
                    person: None,
                    person_id: Some(id.to_string()),
                    item: Item::Difference,
                    amount: -had,
                    parts: vec![Part {
                        person_id: id.to_string(),
                        amount: -had,
                        before: had,
                    }],
                    provider_before,
                });
            }
        }
        if stream == Stream::Settlement {
            let mut by_item: BTreeMap<Item, PayLine<'a>> = BTreeMap::new();
            for line in person_lines {
                let entry = by_item.entry(line.item).or_insert_with(|| PayLine {
                    version: v,
                    person: None,
                    person_id: None,
                    item: line.item,
                    amount: Decimal::ZERO,
                    parts: Vec::new(),
                    provider_before,
                });
                entry.amount += line.amount;
                entry.parts.extend(line.parts);
            }
            lines.extend(by_item.into_values().filter(|l| !l.amount.is_zero()));
        } else {
            person_lines.sort_by(|a, b| (a.item, &a.person_id).cmp(&(b.item, &b.person_id)));
            lines.extend(person_lines);
        }
    }
    lines.sort_by(|a, b| {
        (&a.version.recorded.provider_reference, a.item, &a.person_id).cmp(&(
            &b.version.recorded.provider_reference,
            b.item,
            &b.person_id,
        ))
    });
    lines
}
