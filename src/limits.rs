//! What a plausible figure is: one named check per limit, which the reader
//! (workbook cells), the people CSV and the template all call, so a bundle
//! the template accepts is one `check` accepts too.
//!
//! These are limits on what a provider or officer can mean, not money rules:
//! a week has 168 hours; no rate or weekly charge comes near £1,000,000 (and
//! that bound keeps every sum far inside what a `Decimal` holds).

use rust_decimal::Decimal;

use crate::units::Hours;

/// Hours in a week (7 × 24): no week's hours, and no weekly bundle, can be
/// more.
pub const HOURS_IN_A_WEEK: i64 = 168;

/// Money at or above this (£1,000,000) is taken for a typing mistake.
pub const MONEY_LIMIT: Decimal = Decimal::from_parts(1_000_000, 0, 0, false, 0);

/// Why a figure is not plausible.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    Negative,
    /// 0 where more than 0 is needed (a bundle, a rate).
    Zero,
    /// More than the limit: over 168 hours in a week, or £1,000,000 or more.
    TooLarge,
}

fn week() -> Hours {
    Hours::from_seconds(HOURS_IN_A_WEEK * 3600)
}

/// One week's hours delivered: 0 to 168.
///
/// # Errors
/// [`Problem::Negative`] or [`Problem::TooLarge`].
pub fn week_hours(h: Hours) -> Result<Hours, Problem> {
    if h.is_negative() {
        Err(Problem::Negative)
    } else if h > week() {
        Err(Problem::TooLarge)
    } else {
        Ok(h)
    }
}

/// A weekly bundle: more than 0, at most 168 hours.
///
/// # Errors
/// [`Problem::Negative`], [`Problem::Zero`] or [`Problem::TooLarge`].
pub fn bundle(h: Hours) -> Result<Hours, Problem> {
    if h.is_zero() {
        Err(Problem::Zero)
    } else {
        week_hours(h)
    }
}

/// An assessed weekly charge: 0 or more, under £1,000,000.
///
/// # Errors
/// [`Problem::Negative`] or [`Problem::TooLarge`].
pub fn charge(amount: Decimal) -> Result<Decimal, Problem> {
    if amount.is_sign_negative() && !amount.is_zero() {
        Err(Problem::Negative)
    } else if amount >= MONEY_LIMIT {
        Err(Problem::TooLarge)
    } else {
        Ok(amount)
    }
}

/// A blended hourly rate: more than 0, under £1,000,000.
///
/// # Errors
/// [`Problem::Negative`], [`Problem::Zero`] or [`Problem::TooLarge`].
pub fn rate(amount: Decimal) -> Result<Decimal, Problem> {
    if amount.is_zero() {
        Err(Problem::Zero)
    } else {
        charge(amount)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn limits() {
        let h = |x: i64| Hours::from_seconds(x * 3600);
        assert_eq!(bundle(h(168)), Ok(h(168)));
        assert_eq!(bundle(h(169)), Err(Problem::TooLarge));
        assert_eq!(bundle(h(0)), Err(Problem::Zero));
        assert_eq!(bundle(-h(1)), Err(Problem::Negative));
        assert_eq!(week_hours(h(0)), Ok(h(0)));
        assert_eq!(rate(dec!(0)), Err(Problem::Zero));
        assert_eq!(rate(dec!(24.85)), Ok(dec!(24.85)));
        assert_eq!(charge(dec!(0)), Ok(dec!(0)));
        assert_eq!(charge(dec!(1000000)), Err(Problem::TooLarge));
        assert_eq!(charge(dec!(-0.01)), Err(Problem::Negative));
    }
}
