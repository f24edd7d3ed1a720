//! The same visit given twice, told from a second carer's line of a
//! double-handed visit: by the provider's reference, and by slot.

use chrono::{NaiveDate, NaiveTime};

use super::FastMap;
use crate::base::text;
use crate::base::units::Hours;
use crate::model::findings::{Code, Finding};
use crate::model::visits::Visit;

/// A carer's number where a line names none.
pub(super) const NO_CARER: u32 = u32::MAX;

/// A visit's slot: the person (their first row: `person_key` of each of
/// their rows is the same), the day, the start and the length. Two lines
/// in one slot are the same visit exported twice, or two carers' lines of
/// one double-handed visit. Compact: some 40 bytes, where the visit
/// itself is some 230.
type Slot = (u32, NaiveDate, Option<NaiveTime>, Hours);

/// The lines counted in one slot.
struct SlotLines<'a> {
    /// The first line's source.
    first: &'a str,
    /// The carers the first line said the visit had.
    first_carers: u32,
    /// The carer (by number; [`NO_CARER`] none) the first line named, and
    /// each later counted line's (empty, so no allocation, for most slots).
    carer: u32,
    more: Vec<u32>,
}

impl SlotLines<'_> {
    fn carers(&self) -> impl Iterator<Item = u32> + '_ {
        std::iter::once(self.carer).chain(self.more.iter().copied())
    }
}

/// The visits counted so far, to tell a visit given twice from a second
/// carer's line: by the provider's reference (per person), and by slot.
#[derive(Default)]
pub(super) struct Seen<'a> {
    references: FastMap<(u32, &'a str), &'a str>,
    slots: FastMap<Slot, SlotLines<'a>>,
}

impl<'a> Seen<'a> {
    /// Why `v` (of the person whose first row is `who`, spelt `person`,
    /// lasting `length`, by carer number `carer`) is not counted, having
    /// been counted already: `None` when it counts. Says what it decided.
    pub(super) fn same_visit(
        &mut self,
        who: u32,
        person: &str,
        v: &'a Visit,
        length: Hours,
        carer: u32,
        findings: &mut Vec<Finding>,
    ) -> Option<&'static str> {
        let twice = |first: &str, what: &str| {
            Finding::new(
                Code::VisitDuplicate,
                format!(
                    "{}: the visit to {person} on {} is the same visit ({what}) as {first}: it is counted once",
                    v.source,
                    text::date(v.date)
                ),
            )
            .person(person)
        };
        if let Some(reference) = &v.reference
            && let Some(first) = self.references.get(&(who, reference.as_str()))
        {
            findings.push(twice(first, &format!("its reference {reference}")));
            return Some("the same visit twice");
        }
        let slot = (who, v.date, v.start, length);
        if let Some(lines) = self.slots.get_mut(&slot) {
            let same_carer = carer == NO_CARER || lines.carers().any(|c| c == NO_CARER || c == carer);
            if same_carer {
                findings.push(twice(lines.first, "day, start, length and carer"));
                return Some("the same visit twice");
            }
            let counted = 1 + lines.more.len() as u32;
            if lines.first_carers >= 2 && counted < lines.first_carers {
                // Each carer's line of a double-up that says its carers.
                findings.push(
                    Finding::new(
                        Code::VisitDuplicate,
                        format!(
                            "{}: the visit to {person} on {} is another carer's line of the double-handed visit on {}, which counts its {} carers already: it is not counted again",
                            v.source,
                            text::date(v.date),
                            lines.first,
                            lines.first_carers
                        ),
                    )
                    .person(person),
                );
                lines.more.push(carer);
                return Some("another carer's line of a double-handed visit counted already");
            }
            findings.push(
                Finding::new(
                    Code::VisitTwoCarers,
                    format!(
                        "{} and {}: two carers' lines at the same time for {person} on {}: counted as a double-handed visit; if one is the same visit exported again, remove it",
                        lines.first,
                        v.source,
                        text::date(v.date)
                    ),
                )
                .person(person),
            );
            lines.more.push(carer);
        } else {
            self.slots.insert(
                slot,
                SlotLines {
                    first: &v.source,
                    first_carers: v.carers,
                    carer,
                    more: Vec::new(),
                },
            );
        }
        if let Some(reference) = &v.reference {
            self.references.insert((who, reference.as_str()), &v.source);
        }
        None
    }
}
