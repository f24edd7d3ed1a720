//! The SPEC's rules for one person over one period, as pure functions over
//! the person's billable weeks (SPEC 2, 3 and 4). Each function is named
//! after the SPEC term it computes.

use rust_decimal::Decimal;

use crate::base::units::{Hours, PoundSeconds, round2};

// The values the rules give, which the result carries.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    More,
    Less,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::More => "more",
            Direction::Less => "less",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChangeInNeed {
    pub first_week: u32,
    pub last_week: u32,
    pub direction: Direction,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bank {
    /// The largest |*b_k*|.
    pub peak: Hours,
    /// The first week where |*b_k*| > *T*.
    pub limit_first_week: Option<u32>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Bacs,
    Invoice,
    None,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Bacs => "bacs",
            Method::Invoice => "invoice",
            Method::None => "none",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Charge {
    pub charged: Decimal,
    pub cost_of_care_received: Decimal,
    pub overcharge: Decimal,
}

/// One billable week of one person: a care week with hours delivered.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BillableWeek {
    /// The 1-based period week number.
    pub week: u32,
    /// *B_k*, the bundle in force that week.
    pub bundle: Hours,
    /// *A_k*, the hours delivered (> 0).
    pub delivered: Hours,
    /// *r_k*, £/hour in force on the week's commencing Monday.
    pub rate: Decimal,
    /// *C*, the assessed weekly charge, where one is given.
    pub charge: Option<Decimal>,
    /// `max_weekly_charge` in force for the week, where the council sets one.
    pub charge_cap: Option<Decimal>,
}

impl BillableWeek {
    /// The weekly variance *A_k − B_k*.
    pub fn weekly_variance(&self) -> Hours {
        weekly_variance(self.bundle, self.delivered)
    }
}

/// The weekly variance *A_k − B_k* (SPEC 2): positive when more was
/// delivered than the bundle.
pub fn weekly_variance(bundle: Hours, delivered: Hours) -> Hours {
    delivered - bundle
}

/// *H_c* = Σ *B_k* over billable weeks.
pub fn commissioned_hours(weeks: &[BillableWeek]) -> Hours {
    weeks.iter().map(|w| w.bundle).sum()
}

/// *H_d* = Σ *A_k* over billable weeks.
pub fn delivered_hours(weeks: &[BillableWeek]) -> Hours {
    weeks.iter().map(|w| w.delivered).sum()
}

/// *V* = *H_d* − *H_c*: positive when more was delivered than commissioned.
pub fn net_variance(weeks: &[BillableWeek]) -> Hours {
    delivered_hours(weeks) - commissioned_hours(weeks)
}

/// 100 · *V* / *H_c*, rounded half away from zero to 2 decimals; `None`
/// when nothing was commissioned.
pub fn variance_percent(net_variance: Hours, commissioned: Hours) -> Option<Decimal> {
    if commissioned.is_zero() {
        return None;
    }
    // Checked: a bundle of a billionth of an hour makes the ratio huge.
    let ratio = net_variance.seconds().checked_div(commissioned.seconds())?;
    Some(
        ratio
            .checked_mul(Decimal::ONE_HUNDRED)?
            .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero),
    )
}

/// *T* = `tolerance` × *H_c*.
pub fn tolerance_hours(commissioned: Hours, tolerance: Decimal) -> Hours {
    commissioned.times(tolerance)
}

/// Within tolerance when |*V*| ≤ *T* (the boundary is within).
pub fn within_tolerance(net_variance: Hours, tolerance: Hours) -> bool {
    net_variance.abs() <= tolerance
}

/// The bank balance after each billable week, *b_k* = Σ_{j ≤ k} (*B_j* −
/// *A_j*): positive = hours banked, negative = hours used early.
pub fn bank_balance(weeks: &[BillableWeek]) -> Vec<(u32, Hours)> {
    let mut balance = Hours::ZERO;
    weeks
        .iter()
        .map(|w| {
            balance += w.bundle - w.delivered;
            (w.week, balance)
        })
        .collect()
}

/// The peak |*b_k*| and the first week where |*b_k*| > *T* (SPEC 3, bank
/// limit exceeded).
pub fn bank_limit(balances: &[(u32, Hours)], tolerance: Hours) -> Bank {
    let peak = balances.iter().map(|(_, b)| b.abs()).max().unwrap_or(Hours::ZERO);
    let limit_first_week = balances
        .iter()
        .find(|(_, b)| b.abs() > tolerance)
        .map(|(k, _)| *k);
    Bank {
        peak,
        limit_first_week,
    }
}

/// Possible change in need (SPEC 3): the longest run (the earliest of equals)
/// of at least `sustained_weeks` consecutive billable weeks, each off its
/// bundle by more than `tolerance` × *B_k* in the same direction. A week
/// exactly at the boundary is not off.
pub fn change_in_need(
    weeks: &[BillableWeek],
    tolerance: Decimal,
    sustained_weeks: u32,
) -> Option<ChangeInNeed> {
    let direction_of = |w: &BillableWeek| {
        let v = w.weekly_variance();
        if v.abs() > w.bundle.times(tolerance) {
            Some(if v.is_negative() {
                Direction::Less
            } else {
                Direction::More
            })
        } else {
            None
        }
    };
    let mut best: Option<(usize, usize, Direction)> = None; // start index, length
    let mut run: Option<(usize, usize, Direction)> = None;
    for (i, w) in weeks.iter().enumerate() {
        run = match (run, direction_of(w)) {
            (Some((s, n, d)), Some(d2)) if d == d2 => Some((s, n + 1, d)),
            (_, Some(d)) => Some((i, 1, d)),
            (_, None) => None,
        };
        if let Some((s, n, d)) = run
            && best.is_none_or(|(_, bn, _)| n > bn)
        {
            best = Some((s, n, d));
        }
    }
    let (start, len, direction) = best?;
    (len >= sustained_weeks as usize && len > 0).then(|| ChangeInNeed {
        first_week: weeks[start].week,
        last_week: weeks[start + len - 1].week,
        direction,
    })
}

/// The settlement with the provider (SPEC 4): Σ (*A_k* − *B_k*) · *r_k*,
/// exact, then rounded to pence half away from zero.
pub fn settlement_amount(weeks: &[BillableWeek]) -> Decimal {
    let exact: PoundSeconds = weeks.iter().map(|w| w.weekly_variance().at_rate(w.rate)).sum();
    round2(exact.pounds())
}

/// How a settlement is paid: BACS to the provider, an invoice to recover it,
/// or nothing.
pub fn method(amount: Decimal) -> Method {
    if amount.is_zero() {
        Method::None
    } else if amount.is_sign_positive() {
        Method::Bacs
    } else {
        Method::Invoice
    }
}

/// One billable week's charge (SPEC 4): round₂(min(*C'*, *B_k* · *r_k*))
/// with *C'* = min(*C*, cap); `None` when the week carries no assessed
/// charge.
pub fn week_charge(w: &BillableWeek) -> Option<Decimal> {
    let capped = weekly_charge(w.charge?, w.charge_cap);
    let bundle_cost = w.bundle.at_rate(w.rate).pounds();
    Some(round2(capped.min(bundle_cost)))
}

/// *C'* = min(*C*, `max_weekly_charge`), the weekly charge before the
/// bundle's cost limits it (SPEC 4).
pub fn weekly_charge(assessed: Decimal, cap: Option<Decimal>) -> Decimal {
    match cap {
        Some(cap) => assessed.min(cap),
        None => assessed,
    }
}

/// The service-user charge (SPEC 4), over the billable weeks that carry an
/// assessed weekly charge; `None` when none does.
///
/// charged = Σ round₂(min(*C'*, *B_k* · *r_k*)) with *C'* = min(*C*, cap);
/// cost of care received = Σ *A_k* · *r_k*; overcharge = round₂(max(0,
/// charged − cost)).
pub fn service_user_charge(weeks: &[BillableWeek]) -> Option<Charge> {
    let mut any = false;
    let mut charged = Decimal::ZERO;
    let mut cost = PoundSeconds::ZERO;
    for w in weeks {
        let Some(week) = week_charge(w) else { continue };
        any = true;
        charged += week;
        cost += w.delivered.at_rate(w.rate);
    }
    if !any {
        return None;
    }
    let over = (PoundSeconds::from_pounds(charged) - cost).pounds();
    Some(Charge {
        charged,
        cost_of_care_received: round2(cost.pounds()),
        overcharge: round2(over.max(Decimal::ZERO)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    fn h(hours: i64) -> Hours {
        Hours::from_seconds(hours * 3600)
    }

    /// SPEC 9's P2: bundle 3, A = 3,3,2,2,2,2,2,2,2,3,3,3,3, £24, charge £100.
    fn p2() -> Vec<BillableWeek> {
        [3, 3, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3]
            .iter()
            .enumerate()
            .map(|(i, a)| BillableWeek {
                week: i as u32 + 1,
                bundle: h(3),
                delivered: h(*a),
                rate: dec!(24),
                charge: Some(dec!(100)),
                charge_cap: None,
            })
            .collect()
    }

    #[test]
    fn worked_example_p2() {
        let w = p2();
        assert_eq!(commissioned_hours(&w), h(39));
        assert_eq!(delivered_hours(&w), h(32));
        assert_eq!(net_variance(&w), -h(7));
        assert_eq!(variance_percent(-h(7), h(39)), Some(dec!(-17.95)));
        let t = tolerance_hours(h(39), dec!(0.08));
        assert_eq!(t.to_spec_string(), "3.12");
        assert!(!within_tolerance(-h(7), t));
        let bank = bank_limit(&bank_balance(&w), t);
        assert_eq!(bank.peak, h(7));
        assert_eq!(bank.limit_first_week, Some(6));
        assert_eq!(
            change_in_need(&w, dec!(0.08), 4),
            Some(ChangeInNeed {
                first_week: 3,
                last_week: 9,
                direction: Direction::Less
            })
        );
        assert_eq!(settlement_amount(&w), dec!(-168.00));
        assert_eq!(method(dec!(-168)), Method::Invoice);
        let c = service_user_charge(&w).unwrap();
        assert_eq!(c.charged, dec!(936));
        assert_eq!(c.cost_of_care_received, dec!(768));
        assert_eq!(c.overcharge, dec!(168));
    }

    #[test]
    fn exactly_at_the_boundary_is_within() {
        // Bundle 12.5 for 13 weeks, 13.5 delivered: V = 13 = 8% of 162.5.
        let hc = Hours::from_hours(dec!(162.5)).unwrap();
        let t = tolerance_hours(hc, dec!(0.08));
        assert_eq!(t, h(13));
        assert!(within_tolerance(h(13), t));
        assert!(!within_tolerance(Hours::from_hours(dec!(13.25)).unwrap(), t));
    }

    #[test]
    fn a_week_exactly_eight_percent_off_is_not_a_change_in_need() {
        let weeks: Vec<BillableWeek> = (1..=6)
            .map(|k| BillableWeek {
                week: k,
                bundle: h(25),
                delivered: h(27), // exactly 8% over
                rate: dec!(20),
                charge: None,
                charge_cap: None,
            })
            .collect();
        assert_eq!(change_in_need(&weeks, dec!(0.08), 4), None);
    }

    #[test]
    fn the_charge_cap_and_the_bundle_cost_limit_the_charge() {
        let mut w = p2();
        for week in &mut w {
            week.charge_cap = Some(dec!(50));
        }
        // min(100, 50, 72) = 50 a week.
        assert_eq!(service_user_charge(&w).unwrap().charged, dec!(650));
    }
}
