//! Which lines each export holds: one rule per stream, called by both modes
//! (an export over returns given on the command line, and a payment run
//! over the ledger), so the payments, invoices, remittance advice, refunds
//! and referrals never disagree on who is in them or for how much.

use rust_decimal::Decimal;

use super::ledger::{Item, PersonRow};
use super::result::{Method, PersonStatus};
use super::rules;
use crate::model::export::{ExportKind, Recoveries, Stream};

/// The invoice number of a provider's line: deterministic and unique per
/// provider, period, version and item, so finance's system (which refuses
/// an invoice number it has seen from a supplier) refuses a line exported
/// twice, and a resubmission's difference gets a number of its own:
/// `YC-SUP00123-20260406-1`, `-2R` for a hold released in version 2,
/// `-3D` for the difference version 3 makes. The first settlement of a
/// period is `-1`, whichever version it comes from (there is one per
/// provider and period), so an export from the returns and one from the
/// ledger give it the same number.
pub fn invoice_number(
    provider_reference: &str,
    period_start: chrono::NaiveDate,
    version: u32,
    item: Item,
) -> String {
    let period = period_start.format("%Y%m%d");
    match item {
        // The period's first settlement is `-1` whichever version it is
        // drawn from, so a period paid once from the returns (numbered as
        // version 1) and again from the ledger carries the same number.
        Item::First => format!("YC-{provider_reference}-{period}-1"),
        Item::ReleasedHold => format!("YC-{provider_reference}-{period}-{version}R"),
        Item::Difference => format!("YC-{provider_reference}-{period}-{version}D"),
    }
}

/// The file a provider's line of `amount` goes in: payments when it is owed
/// to the provider, invoices when owed back (SPEC 3's sign rule, through
/// [`rules::method`]); none for 0.
pub fn file_of(amount: Decimal) -> Option<ExportKind> {
    match rules::method(amount) {
        Method::Bacs => Some(ExportKind::Payments),
        Method::Invoice => Some(ExportKind::Invoices),
        Method::None => None,
    }
}

/// Whether a provider's line of `amount` belongs in a `kind` export: a
/// payments or invoices file takes only its own sign; the person-by-person
/// exports take every line. With `recoveries` as credit notes, the payments
/// take both signs (a recovery is a credit note netted against the
/// provider's next payment) and the invoices none.
pub fn takes(kind: ExportKind, amount: Decimal, recoveries: Recoveries) -> bool {
    match (kind, recoveries) {
        (ExportKind::Payments, Recoveries::CreditNote) => !amount.is_zero(),
        (ExportKind::Invoices, Recoveries::CreditNote) => false,
        (ExportKind::Payments | ExportKind::Invoices, Recoveries::Invoice) => file_of(amount) == Some(kind),
        (ExportKind::Refunds | ExportKind::Referrals | ExportKind::Remittance, _) => true,
    }
}

/// The document a provider's line is in its file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Document {
    /// A supplier invoice the council pays.
    Standard,
    /// A credit note netted against the provider's next payment.
    Credit,
    /// A debtor invoice to the provider (accounts receivable).
    Debtor,
}

impl Document {
    /// As finance systems name it: `STANDARD`, `CREDIT`, `DEBTOR`.
    pub fn code(self) -> &'static str {
        match self {
            Document::Standard => "STANDARD",
            Document::Credit => "CREDIT",
            Document::Debtor => "DEBTOR",
        }
    }
}

/// A provider's line of `amount` (owed to the provider when positive) as
/// its `kind` file states it: the document, and its amount (an invoice's
/// owed by the provider, positive; a credit note's negative).
pub fn document(kind: ExportKind, amount: Decimal) -> (Document, Decimal) {
    match kind {
        ExportKind::Invoices => (Document::Debtor, -amount),
        _ if amount.is_sign_negative() => (Document::Credit, amount),
        _ => (Document::Standard, amount),
    }
}

/// The total of a `kind` file's lines as written: provider lines as
/// [`document`] states them, person lines signed.
pub fn file_total(kind: ExportKind, amounts: impl IntoIterator<Item = Decimal>) -> Decimal {
    let sum: Decimal = amounts.into_iter().sum();
    match kind {
        ExportKind::Invoices => -sum,
        _ => sum,
    }
}

/// What a money stream owes for a person in the current version, all told:
/// the authorised settlement (0 when held by a decision or when there is
/// none) for payments, invoices and the remittance advice; the overcharge
/// for refunds. `None` while the settlement is held with no decision: the
/// officer has still to decide, so nothing moves for the person either way.
/// Referrals are not money: see [`listed`].
pub fn due_now(stream: Stream, p: &PersonRow) -> Option<Decimal> {
    match stream {
        Stream::Refund => Some(p.overcharge),
        Stream::Settlement | Stream::Remittance if p.undecided() => None,
        Stream::Settlement | Stream::Remittance => Some(p.authorised_settlement()),
        Stream::Referral => p.held_settlement(),
    }
}

/// Whether a person has a line in a listing of one return's stream (an
/// export over returns): a refund when an overcharge is due, a referral
/// when referred, a remittance line when the settlement is authorised (a
/// settlement of £0.00 included, so the advice lists everyone it settles).
pub fn listed(stream: Stream, p: &PersonRow) -> bool {
    match stream {
        Stream::Refund => !p.overcharge.is_zero(),
        Stream::Referral => p.status == PersonStatus::Referred,
        Stream::Settlement | Stream::Remittance => p.authorised && p.settlement.is_some(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ledger::RecordedDecision;
    use crate::model::settings::Action;
    use rust_decimal::dec;

    fn person(settlement: Option<Decimal>, authorised: bool, decided: bool) -> PersonRow {
        PersonRow {
            person_id: "P1".into(),
            name: None,
            status: PersonStatus::Referred,
            commissioned: "10".into(),
            delivered: "12".into(),
            net_variance: "2".into(),
            variance_percent: None,
            settlement,
            authorised,
            decision: decided.then(|| RecordedDecision {
                action: if authorised {
                    Action::Authorise
                } else {
                    Action::Hold
                },
                officer: "O".into(),
                reason: "R".into(),
            }),
            change_in_need: None,
            overcharge: dec!(3.10),
        }
    }

    #[test]
    fn invoice_numbers_differ_by_version_and_item() {
        let start = chrono::NaiveDate::from_ymd_opt(2026, 4, 6).unwrap();
        assert_eq!(
            invoice_number("SUP00123", start, 1, Item::First),
            "YC-SUP00123-20260406-1"
        );
        assert_eq!(
            invoice_number("SUP00123", start, 2, Item::First),
            "YC-SUP00123-20260406-1"
        );
        assert_eq!(
            invoice_number("SUP00123", start, 2, Item::ReleasedHold),
            "YC-SUP00123-20260406-2R"
        );
        assert_eq!(
            invoice_number("SUP00123", start, 3, Item::Difference),
            "YC-SUP00123-20260406-3D"
        );
    }

    #[test]
    fn the_sign_decides_the_file() {
        assert_eq!(file_of(dec!(0.01)), Some(ExportKind::Payments));
        assert_eq!(file_of(dec!(-0.01)), Some(ExportKind::Invoices));
        assert_eq!(file_of(Decimal::ZERO), None);
        let invoice = Recoveries::Invoice;
        assert!(
            takes(ExportKind::Payments, dec!(5), invoice) && !takes(ExportKind::Payments, dec!(-5), invoice)
        );
        assert!(
            takes(ExportKind::Invoices, dec!(-5), invoice)
                && !takes(ExportKind::Invoices, Decimal::ZERO, invoice)
        );
        assert!(takes(ExportKind::Remittance, Decimal::ZERO, invoice));
        let credit = Recoveries::CreditNote;
        assert!(
            takes(ExportKind::Payments, dec!(-5), credit) && !takes(ExportKind::Invoices, dec!(-5), credit)
        );
        assert!(!takes(ExportKind::Payments, Decimal::ZERO, credit));
        assert_eq!(
            document(ExportKind::Payments, dec!(-5)),
            (Document::Credit, dec!(-5))
        );
        assert_eq!(
            document(ExportKind::Invoices, dec!(-5)),
            (Document::Debtor, dec!(5))
        );
        assert_eq!(
            document(ExportKind::Payments, dec!(5)),
            (Document::Standard, dec!(5))
        );
    }

    #[test]
    fn each_stream_owes_one_figure_per_person() {
        let paid = person(Some(dec!(49.70)), true, false);
        let held = person(Some(dec!(49.70)), false, false);
        let kept = person(Some(dec!(49.70)), false, true);
        for stream in [Stream::Settlement, Stream::Remittance] {
            assert_eq!(due_now(stream, &paid), Some(dec!(49.70)));
            assert_eq!(due_now(stream, &held), None, "undecided: nothing moves");
            assert_eq!(due_now(stream, &kept), Some(Decimal::ZERO), "held by a decision");
        }
        assert_eq!(due_now(Stream::Refund, &held), Some(dec!(3.10)));
        assert_eq!(due_now(Stream::Referral, &held), Some(dec!(49.70)));
        assert!(listed(Stream::Remittance, &paid) && !listed(Stream::Remittance, &kept));
        assert!(listed(Stream::Refund, &kept) && listed(Stream::Referral, &kept));
    }
}
