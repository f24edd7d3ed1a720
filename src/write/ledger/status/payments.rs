//! `status`'s payments to providers: each line's days to pay, and the half-year's figures.

use super::*;

/// `14/07/2026`, or `30/07/2026 authorised`, `30/07/2026 recorded`.
fn start_words(p: &LinePayment<'_>) -> String {
    match p.start_kind {
        Start::Received => date(p.start),
        Start::Recorded => format!("{} (recorded; no Submission date)", date(p.start)),
        Start::Authorised => format!("{} authorised", date(p.start)),
    }
}

/// `27`, `37 LATE`, `34 so far: UNPAID`.
fn days_words(p: &LinePayment<'_>) -> String {
    match (p.days_to_pay, p.flag) {
        (Some(d), Some(PayFlag::PaidLate { .. })) => format!("{d} LATE"),
        (Some(d), _) => d.to_string(),
        (None, Some(PayFlag::Unpaid { days })) => format!("{days} so far: UNPAID"),
        (None, _) => format!("{} so far", p.days_so_far),
    }
}

/// A row per line of the period's payments exports: when the council's
/// days began, the export, the payment and the days between.
pub(super) fn payments_section(s: &StatusView<'_>) -> String {
    if s.payments.is_empty() {
        return String::new();
    }
    // The line and its days kept longest; the dates it was exported and
    // received left out first.
    let cols = [
        Col::text("Payment line", 0),
        Col::figure("Amount £", 0),
        Col::text("Received", 2),
        Col::text("Exported", 3),
        Col::text("Paid", 1),
        Col::figure("Days", 0),
    ];
    let rows: Vec<Vec<String>> = s
        .payments
        .iter()
        .map(|p| {
            let l = p.line;
            vec![
                printable(&l.invoice_number().unwrap_or_default()).into_owned(),
                format_money(l.amount()),
                start_words(p),
                format!("{} {}", date(l.exported_on), export_reference(l.export_id)),
                p.paid
                    .map(|r| format!("{} {}", date(r.paid_on), printable(&r.payment_reference)))
                    .unwrap_or_else(|| "not yet".to_string()),
                days_words(p),
            ]
        })
        .collect();
    let fitted = fit(&cols, &rows, s.width);
    let unpaid = s
        .payments
        .iter()
        .filter(|p| matches!(p.flag, Some(PayFlag::Unpaid { .. })))
        .count();
    let late = s
        .payments
        .iter()
        .filter(|p| matches!(p.flag, Some(PayFlag::PaidLate { .. })))
        .count();
    let width = s.width;
    let mut out = format!(
        "\n{}\n",
        wrap(
            "Payments to providers (days from the return's receipt, or the officer's authorisation of a held settlement, to the date paid):",
            width
        )
    );
    out.push_str(&fitted.show("see status --json", width));
    let counts = format!(
        "{} unpaid more than {FLAG_UNPAID_AFTER_DAYS} days (UNPAID); {} paid after day {PAY_WITHIN_DAYS} (LATE).",
        plural(unpaid, "line", "lines"),
        late
    );
    let _ = writeln!(out, "{}", wrap(&counts, width));
    out
}

/// The half-year's figures (Procurement Act 2023 ss.68-69), and how they
/// are rounded.
pub(super) fn half_year_lines(h: &HalfYearFigures, as_of: NaiveDate, width: Option<usize>) -> String {
    let head = format!(
        "Half-year {} to {} (Procurement Act 2023 ss.68-69), as of {}: ",
        date(h.start),
        date(h.end),
        date(as_of)
    );
    let mut out = String::from("\n");
    match (h.average_days, h.within_percent) {
        (Some(average), Some(share)) => {
            let figures = format!(
                "{head}{} made; average {average} days to pay; {share}% paid within {PAY_WITHIN_DAYS} days ({} of {}).",
                plural(h.payments, "payment", "payments"),
                h.within,
                h.payments
            );
            let _ = writeln!(out, "{}", wrap(&figures, width));
            let _ = writeln!(
                out,
                "{}",
                wrap(
                    "(Every period's payments to providers; the average and the share computed exactly and rounded to one decimal place, half away from zero.)",
                    width
                )
            );
        }
        _ => {
            let _ = writeln!(
                out,
                "{}",
                wrap(
                    &format!("{head}no payment to a provider recorded paid yet."),
                    width
                )
            );
        }
    }
    out
}
