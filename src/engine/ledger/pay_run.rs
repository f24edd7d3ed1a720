//! The payment run: what each export still has to draw, person by person,
//! given what earlier exports of the same stream drew, and (for a person
//! held with no decision) what was paid.

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
///
/// `paid` is what the payments and invoices (the settlement stream) drew
/// before, person by person: a person held with no decision stands, in the
/// settlement stream and the remittance advice alike, at what was paid for
/// them (one rule, so the advice always nets to the money that moved).
pub fn pay_run<'a>(
    stream: Stream,
    versions: &'a [Version],
    exported: &[ExportedPart],
    paid: &[ExportedPart],
) -> Vec<PayLine<'a>> {
    let mut so_far = SoFar::of(exported);
    so_far.paid = SoFar::of(paid).before_by_person();
    let mut lines = Vec::new();
    for v in versions.iter().filter(|v| v.recorded.reconciled) {
        lines.extend(version_lines(stream, v, &so_far));
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

/// What earlier exports of the stream drew, gathered in one pass.
struct SoFar<'e> {
    /// provider -> person -> sum exported; one pass, so no search per person.
    before: HashMap<&'e str, BTreeMap<&'e str, Decimal>>,
    /// The referrals list is not money: what counts is the last line a
    /// person had (the settlement then held), not a sum.
    last: HashMap<(&'e str, &'e str), Decimal>,
    /// (provider, person) -> what the settlement stream paid before.
    paid: HashMap<(&'e str, &'e str), Decimal>,
}

impl<'e> SoFar<'e> {
    /// Owns summing the earlier exports by provider and person.
    fn of(exported: &'e [ExportedPart]) -> SoFar<'e> {
        let mut before: HashMap<&str, BTreeMap<&str, Decimal>> = HashMap::new();
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
        SoFar {
            before,
            last,
            paid: HashMap::new(),
        }
    }

    /// The sums exported before, keyed by (provider, person).
    fn before_by_person(&self) -> HashMap<(&'e str, &'e str), Decimal> {
        self.before
            .iter()
            .flat_map(|(&provider, people)| people.iter().map(move |(&id, &sum)| ((provider, id), sum)))
            .collect()
    }
}

/// Owns the lines of one reconciled version: a line per person whose amount
/// moves, lines taking back what was paid for people no longer in it, and
/// for payments and invoices those lines joined into the provider's.
fn version_lines<'a>(stream: Stream, v: &'a Version, so_far: &SoFar<'_>) -> Vec<PayLine<'a>> {
    let empty = BTreeMap::new();
    let done = so_far
        .before
        .get(v.recorded.provider_reference.as_str())
        .unwrap_or(&empty);
    let exported_before = !done.is_empty();
    let provider_before: Decimal = done.values().copied().sum();
    let mut person_lines: Vec<PayLine<'a>> = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for p in &v.people {
        seen.insert(p.person_id.as_str());
        let had = done.get(p.person_id.as_str()).copied();
        let last = so_far
            .last
            .get(&(v.recorded.provider_reference.as_str(), p.person_id.as_str()))
            .copied();
        let paid = so_far
            .paid
            .get(&(v.recorded.provider_reference.as_str(), p.person_id.as_str()))
            .copied()
            .unwrap_or_default();
        let Some((due, item)) = person_due(stream, p, (had, last, paid), exported_before) else {
            continue;
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
        return provider_lines(v, person_lines, provider_before);
    }
    person_lines.sort_by(|a, b| (a.item, &a.person_id).cmp(&(b.item, &b.person_id)));
    person_lines
}

/// Owns what one person's line draws now and which item it is (`None`:
/// nothing moves for them). `had`: what the stream exported for them
/// before; `last`: their last line; `paid`: what the settlement stream paid
/// for them; `exported_before`: whether the stream exported anything for
/// the provider's period before.
fn person_due(
    stream: Stream,
    p: &PersonRow,
    (had, last, paid): (Option<Decimal>, Option<Decimal>, Decimal),
    exported_before: bool,
) -> Option<(Decimal, Item)> {
    match stream {
        Stream::Referral => {
            if !listed(stream, p) {
                return None;
            }
            // Listed once, and again when what is held changes (the
            // officer's decision released it).
            let held = due_now(stream, p).unwrap_or_default();
            match last {
                None => Some((held, Item::First)),
                Some(was) if was == held => None,
                Some(_) => Some((held, Item::Difference)),
            }
        }
        Stream::Settlement | Stream::Remittance | Stream::Refund => {
            let had = had.unwrap_or_default();
            // Held, waiting for the officer: what was paid for them stands,
            // either way, until a decision says so (docs/ledger.md).
            let due = due_now(stream, p).unwrap_or(paid);
            if due == had {
                return None;
            }
            let item = if !exported_before {
                Item::First
            } else if had.is_zero() && p.released() {
                Item::ReleasedHold
            } else {
                Item::Difference
            };
            Some((due - had, item))
        }
    }
}

/// Owns joining a version's person lines into the provider's payment and
/// invoice lines: one per item, leaving out those that come to 0.
fn provider_lines<'a>(
    v: &'a Version,
    person_lines: Vec<PayLine<'a>>,
    provider_before: Decimal,
) -> Vec<PayLine<'a>> {
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
    by_item.into_values().filter(|l| !l.amount.is_zero()).collect()
}
