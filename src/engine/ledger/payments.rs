//! How long each payment took (issue 25), as pure rules: days from the return's receipt (or the
//! officer's authorisation of a held settlement) to the date paid, the
//! flags on a payment late or about to be, and the half-year figures the
//! Procurement Act 2023 ss.68-69 asks a council to publish.
//!
//! Every figure is exact: days are whole numbers, the average and the share
//! are `Decimal`s rounded once, to one decimal place, half away from zero.

use crate::model::export::ExportKind;
use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rust_decimal::{Decimal, RoundingStrategy};

use super::records::Item;
use crate::engine::export::invoice_number;

/// An unpaid line is flagged once more than this many days have passed
/// since its receipt or authorisation: five days before the 30 the
/// council has to pay in.
pub const FLAG_UNPAID_AFTER_DAYS: i64 = 25;

/// A payment made after this many days is late (Procurement Act 2023 s.68:
/// payment within 30 days of a valid invoice).
pub const PAY_WITHIN_DAYS: i64 = 30;

/// One line of an export as its file wrote it, with what the ledger knows
/// of the version it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportLine {
    pub export_id: i64,
    /// Its export's kind.
    pub kind: ExportKind,
    /// 1-based, as `export_part.line`.
    pub line: i64,
    pub period_start: NaiveDate,
    /// The day the export was made (UTC).
    pub exported_on: NaiveDate,
    pub provider_reference: String,
    pub provider_name: Option<String>,
    /// A person's line (refunds, remittance, referrals): the person.
    pub person_id: Option<String>,
    /// The version the line came from.
    pub version: u32,
    pub item: Item,
    /// The signed sum of its parts (owed to the provider or person when
    /// positive).
    pub signed: Decimal,
    /// The version's own Submission date, and the day it was recorded.
    pub submitted: Option<NaiveDate>,
    pub version_recorded_on: NaiveDate,
}

impl ExportLine {
    /// A provider's line (payments, invoices) rather than a person's.
    pub fn is_provider_line(&self) -> bool {
        matches!(self.kind, ExportKind::Payments | ExportKind::Invoices)
    }

    /// The line's amount as its file wrote it: a provider's line as its
    /// document states it ([`crate::engine::export::document`]: a payment
    /// positive, a credit note negative, an invoice owed by the provider
    /// positive), a person's signed.
    pub fn amount(&self) -> Decimal {
        if self.is_provider_line() {
            crate::engine::export::document(self.kind, self.signed).1
        } else {
            self.signed
        }
    }

    /// The invoice number of a provider's line
    /// ([`crate::engine::export::invoice_number`]).
    pub fn invoice_number(&self) -> Option<String> {
        self.is_provider_line().then(|| {
            invoice_number(
                &self.provider_reference,
                self.period_start,
                self.version,
                self.item,
            )
        })
    }

    /// The day the council's 30 days run from, and why: the officer's
    /// authorisation (the day the version releasing a held settlement was
    /// recorded) for a released hold; otherwise the return's receipt (its
    /// own Submission date, or, with none, the day it was recorded).
    pub fn start(&self) -> (NaiveDate, Start) {
        match (self.item, self.submitted) {
            (Item::ReleasedHold, _) => (self.version_recorded_on, Start::Authorised),
            (_, Some(submitted)) => (submitted, Start::Received),
            (_, None) => (self.version_recorded_on, Start::Recorded),
        }
    }
}

/// What a payment's days are counted from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Start {
    /// The return's Submission date.
    Received,
    /// The day the return was recorded (it gives no Submission date).
    Recorded,
    /// The day the officer's decision releasing the hold was recorded.
    Authorised,
}

impl Start {
    pub fn as_str(self) -> &'static str {
        match self {
            Start::Received => "received",
            Start::Recorded => "recorded",
            Start::Authorised => "authorised",
        }
    }
}

/// An export line recorded paid.
#[derive(Clone, Debug, PartialEq)]
pub struct PaymentRecord {
    pub run_id: i64,
    pub export_id: i64,
    pub line: i64,
    pub invoice_number: Option<String>,
    pub paid_on: NaiveDate,
    pub payment_reference: String,
    pub amount: Decimal,
    pub file_name: String,
    pub file_line: i64,
    pub recorded_at: DateTime<Utc>,
    pub officer: String,
}

/// A flag on a line's payment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PayFlag {
    /// Unpaid, and more than 25 days since its start as of the date shown.
    Unpaid { days: i64 },
    /// Paid after day 30.
    PaidLate { days: i64 },
}

/// How one payments line stands: when its days run from, when it was
/// exported and paid, and in how many days.
#[derive(Clone, Debug, PartialEq)]
pub struct LinePayment<'a> {
    pub line: &'a ExportLine,
    pub start: NaiveDate,
    pub start_kind: Start,
    pub paid: Option<&'a PaymentRecord>,
    /// Days from the start to the payment.
    pub days_to_pay: Option<i64>,
    /// Days from the start to the as-of date (for an unpaid line).
    pub days_so_far: i64,
    pub flag: Option<PayFlag>,
}

/// Each payment line of a payments export (money the council pays a
/// provider; a credit note is not one), as
/// of a date: its start, its payment if recorded, the days between, and a
/// flag on a line unpaid after day 25 or paid after day 30. Invoices (money
/// owed back) and refunds (to people) are not payments to a supplier.
pub fn line_payments<'a>(
    lines: &'a [ExportLine],
    paid: &'a [PaymentRecord],
    as_of: NaiveDate,
) -> Vec<LinePayment<'a>> {
    let by_line: HashMap<(i64, i64), &PaymentRecord> =
        paid.iter().map(|p| ((p.export_id, p.line), p)).collect();
    lines
        .iter()
        // A credit note in the payments (recoveries netted) pays nothing.
        .filter(|l| l.kind == ExportKind::Payments && l.signed > Decimal::ZERO)
        .map(|l| {
            let (start, start_kind) = l.start();
            let payment = by_line.get(&(l.export_id, l.line)).copied();
            let days_to_pay = payment.map(|p| (p.paid_on - start).num_days());
            let days_so_far = (as_of - start).num_days();
            let flag = match (payment, days_to_pay) {
                (Some(_), Some(days)) if days > PAY_WITHIN_DAYS => Some(PayFlag::PaidLate { days }),
                (None, _) if days_so_far > FLAG_UNPAID_AFTER_DAYS => {
                    Some(PayFlag::Unpaid { days: days_so_far })
                }
                _ => None,
            };
            LinePayment {
                line: l,
                start,
                start_kind,
                paid: payment,
                days_to_pay,
                days_so_far,
                flag,
            }
        })
        .collect()
}

/// The half-year a date falls in: 1 April to 30 September, or 1 October to
/// 31 March.
pub fn half_year(day: NaiveDate) -> (NaiveDate, NaiveDate) {
    let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or(day);
    let y = day.year();
    match day.month() {
        4..=9 => (ymd(y, 4, 1), ymd(y, 9, 30)),
        10..=12 => (ymd(y, 10, 1), ymd(y + 1, 3, 31)),
        _ => (ymd(y - 1, 10, 1), ymd(y, 3, 31)),
    }
}

/// The figures ss.68-69 ask a council to publish for a half-year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HalfYearFigures {
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// Payments made from the start to the end (or the as-of date, if
    /// earlier).
    pub payments: usize,
    /// Their days to pay, summed.
    pub total_days: i64,
    /// Paid within 30 days.
    pub within: usize,
    /// Average days to pay, to one decimal place, half away from zero.
    pub average_days: Option<Decimal>,
    /// The share paid within 30 days, a percentage to one decimal place,
    /// half away from zero.
    pub within_percent: Option<Decimal>,
}

/// One decimal place, half away from zero.
fn one_place(value: Decimal) -> Decimal {
    let mut v = value.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero);
    v.rescale(1);
    v
}

/// The half-year figures as of a date, over every payments line of every
/// period: the payments made in the half-year containing `as_of` (up to
/// it), their average days to pay and the share paid within 30 days, each
/// computed exactly and rounded once.
pub fn half_year_figures(lines: &[LinePayment<'_>], as_of: NaiveDate) -> HalfYearFigures {
    let (start, end) = half_year(as_of);
    let last = end.min(as_of);
    let days: Vec<i64> = lines
        .iter()
        .filter_map(|l| Some((l.paid?.paid_on, l.days_to_pay?)))
        .filter(|(on, _)| *on >= start && *on <= last)
        .map(|(_, d)| d)
        .collect();
    let payments = days.len();
    let total_days: i64 = days.iter().sum();
    let within = days.iter().filter(|d| **d <= PAY_WITHIN_DAYS).count();
    let (average_days, within_percent) = if payments == 0 {
        (None, None)
    } else {
        let n = Decimal::from(payments as u64);
        (
            Some(one_place(Decimal::from(total_days) / n)),
            Some(one_place(Decimal::from(within as u64) * Decimal::ONE_HUNDRED / n)),
        )
    };
    HalfYearFigures {
        start,
        end,
        payments,
        total_days,
        within,
        average_days,
        within_percent,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use rust_decimal::dec;

    pub(crate) fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    pub(crate) fn line(
        export_id: i64,
        n: i64,
        provider: &str,
        item: Item,
        submitted: Option<&str>,
    ) -> ExportLine {
        ExportLine {
            export_id,
            kind: ExportKind::Payments,
            line: n,
            period_start: d("2026-04-06"),
            exported_on: d("2026-08-01"),
            provider_reference: provider.into(),
            provider_name: None,
            person_id: None,
            version: 1,
            item,
            signed: dec!(534.28),
            submitted: submitted.map(d),
            version_recorded_on: d("2026-07-30"),
        }
    }

    pub(crate) fn record(export_id: i64, n: i64, on: &str, reference: &str) -> PaymentRecord {
        PaymentRecord {
            run_id: 1,
            export_id,
            line: n,
            invoice_number: None,
            paid_on: d(on),
            payment_reference: reference.into(),
            amount: dec!(534.28),
            file_name: "paid.csv".into(),
            file_line: 2,
            recorded_at: Utc::now(),
            officer: "O".into(),
        }
    }

    #[test]
    fn a_credit_note_in_the_payments_is_no_payment_to_count() {
        // Recoveries netted as credit notes: line 2 is -£75.00 owed back.
        let paid = line(1, 1, "SUP00100", Item::First, Some("2026-07-14"));
        let mut credit = line(1, 2, "SUP00200", Item::First, Some("2026-07-14"));
        credit.signed = dec!(-75.00);
        assert_eq!(credit.amount(), dec!(-75.00), "written as the credit note it is");
        let lines = [paid, credit];
        let records = [
            record(1, 1, "2026-08-10", "BACS-1"),
            record(1, 2, "2026-08-10", "NET-1"),
        ];
        let counted = line_payments(&lines, &records, d("2026-08-20"));
        assert_eq!(counted.len(), 1, "only the payment");
        assert_eq!(counted[0].days_to_pay, Some(27), "14/07 to 10/08");
        let h = half_year_figures(&counted, d("2026-08-20"));
        assert_eq!((h.payments, h.average_days), (1, Some(dec!(27.0))));
    }

    #[test]
    fn half_years_run_april_to_september_and_october_to_march() {
        assert_eq!(half_year(d("2026-04-01")), (d("2026-04-01"), d("2026-09-30")));
        assert_eq!(half_year(d("2026-09-30")), (d("2026-04-01"), d("2026-09-30")));
        assert_eq!(half_year(d("2026-10-01")), (d("2026-10-01"), d("2027-03-31")));
        assert_eq!(half_year(d("2027-03-31")), (d("2026-10-01"), d("2027-03-31")));
        assert_eq!(half_year(d("2027-01-15")), (d("2026-10-01"), d("2027-03-31")));
    }

    #[test]
    fn the_average_and_share_are_rounded_once_half_away_from_zero() {
        // Submitted 14/07: paid 10/08 is day 27, 20/08 day 37, 14/08 day 31.
        let lines = vec![
            line(1, 1, "A", Item::First, Some("2026-07-14")),
            line(1, 2, "B", Item::First, Some("2026-07-14")),
            line(1, 3, "C", Item::First, Some("2026-07-14")),
        ];
        let paid = vec![
            record(1, 1, "2026-08-10", "X1"),
            record(1, 2, "2026-08-20", "X2"),
            record(1, 3, "2026-08-14", "X3"),
        ];
        let each = line_payments(&lines, &paid, d("2026-09-01"));
        let days: Vec<Option<i64>> = each.iter().map(|l| l.days_to_pay).collect();
        assert_eq!(days, vec![Some(27), Some(37), Some(31)]);
        assert_eq!(each[1].flag, Some(PayFlag::PaidLate { days: 37 }));
        assert_eq!(each[0].flag, None);
        let h = half_year_figures(&each, d("2026-09-01"));
        // (27 + 37 + 31) / 3 = 31.666... -> 31.7; 1 of 3 within 30 = 33.333...% -> 33.3.
        assert_eq!(h.payments, 3);
        assert_eq!(h.total_days, 95);
        assert_eq!(h.average_days, Some(dec!(31.7)));
        assert_eq!(h.within_percent, Some(dec!(33.3)));
        // Two payments: (27 + 37) / 2 = 32.0; 1 of 2 = 50.0%.
        let h = half_year_figures(&each[..2], d("2026-09-01"));
        assert_eq!(h.average_days.map(|a| a.to_string()), Some("32.0".to_string()));
        assert_eq!(h.within_percent.map(|a| a.to_string()), Some("50.0".to_string()));
        // Half away from zero: 0.05 -> 0.1 (a banker's rounding gives 0.0).
        assert_eq!(one_place(dec!(0.05)), dec!(0.1));
        assert_eq!(one_place(dec!(30.25)), dec!(30.3));
        // Before any payment, or in the next half-year: nothing to average.
        let h = half_year_figures(&each, d("2026-10-02"));
        assert_eq!((h.payments, h.average_days), (0, None));
    }

    #[test]
    fn an_unpaid_line_is_flagged_after_day_25_and_a_released_hold_counts_from_its_authorisation() {
        let lines = vec![
            line(1, 1, "A", Item::First, Some("2026-07-14")),
            line(1, 2, "A", Item::ReleasedHold, Some("2026-07-14")),
            line(1, 3, "B", Item::First, None),
        ];
        // 14/07 + 25 days = 08/08: not flagged; 09/08 is day 26, flagged.
        let each = line_payments(&lines, &[], d("2026-08-08"));
        assert_eq!(each[0].flag, None);
        let each = line_payments(&lines, &[], d("2026-08-09"));
        assert_eq!(each[0].flag, Some(PayFlag::Unpaid { days: 26 }));
        // The released hold and the undated return run from 30/07.
        assert_eq!(
            (each[1].start, each[1].start_kind),
            (d("2026-07-30"), Start::Authorised)
        );
        assert_eq!(
            (each[2].start, each[2].start_kind),
            (d("2026-07-30"), Start::Recorded)
        );
        assert_eq!(each[1].days_so_far, 10);
    }
}
