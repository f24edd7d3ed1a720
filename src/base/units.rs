//! Exact quantities: hours and money.
//!
//! SPEC 4 "Exactness": hours and money never pass through binary floating
//! point. A cell's `f64` is turned into a [`Decimal`] once, by its shortest
//! decimal form ([`decimal_from_f64`]); a time or duration is rounded to the
//! nearest second ([`Hours::from_days_f64`]). From then on everything is
//! exact decimal arithmetic.
//!
//! [`Hours`] stores a length of time as a decimal number of **seconds**, not
//! hours: `7:20` is exactly 26,400 s, whereas 7.333... hours has no exact
//! decimal form. Money that comes from hours times a rate is accumulated in
//! pound-seconds ([`PoundSeconds`]) and divided by 3,600 only once, right
//! before it is rounded to pence, so a sum of thirteen `7:20` weeks is priced
//! exactly.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub};
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};

const SECONDS_PER_HOUR: Decimal = Decimal::from_parts(3600, 0, 0, false, 0);
const SECONDS_PER_DAY: Decimal = Decimal::from_parts(86_400, 0, 0, false, 0);

/// The shortest decimal form of an `f64`: the digits Excel shows at full
/// precision (`7.1` is exactly 7.1, not 7.0999999999999996447...).
///
/// Returns `None` for NaN, infinities and magnitudes a `Decimal` cannot hold.
pub fn decimal_from_f64(value: f64) -> Option<Decimal> {
    if !value.is_finite() {
        return None;
    }
    // `Display` for f64 prints the shortest digits that round-trip, never in
    // exponent form.
    let text = value.to_string();
    Decimal::from_str(&text)
        .ok()
        .or_else(|| Decimal::from_scientific(&format!("{value:e}")).ok())
}

/// Round to pence, half away from zero (SPEC 4 round₂).
pub fn round2(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// A sum of money as SPEC 8.2 writes it: exactly two decimals (`"-168.00"`).
pub fn format_money(amount: Decimal) -> String {
    format_fixed(amount, 2)
}

/// Why text is not money, where the reason is worth telling.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MoneyText {
    /// `24,85`: a comma where the decimal point should be.
    DecimalComma,
    /// `1,234`: one comma and no point, so 1234 or 1.234 both fit.
    AmbiguousComma,
    /// `24 85`: a space inside the figure, so 2485 or 24.85 both fit.
    Space,
    /// `509.4300001`: finer than a penny where an amount to the penny is
    /// wanted (only a caller that wants pennies says so).
    FinerThanAPenny,
    /// Anything else that is not money.
    NotMoney,
}

impl MoneyText {
    /// Why, in words for a message about a settings value (`""` when it is
    /// simply not a figure): ` (it has a space inside the figure: ...)`.
    pub fn why(self) -> &'static str {
        match self {
            MoneyText::DecimalComma => " (it is written with a decimal comma: write it with a decimal point)",
            MoneyText::AmbiguousComma => {
                " (its comma could be a thousands separator or a decimal comma: write it without the comma, or with a decimal point)"
            }
            MoneyText::Space => " (it has a space inside the figure: write it without spaces)",
            MoneyText::FinerThanAPenny => {
                " (it is finer than a penny: write it to the penny, as it was shown)"
            }
            MoneyText::NotMoney => "",
        }
    }
}

/// Parse an amount of money typed as text: `24.85`, `£1,200.50`, ` 35 `,
/// `12,345,678`. A pound sign and spaces around the figure are allowed (not
/// inside it: `24 85` could be 2485 or 24.85), and commas only as
/// thousands separators in their places and where no other reading fits: a
/// single comma with no point (`1,234`) could be a decimal comma and is
/// refused as ambiguous unless a pound sign says the figures are UK ones
/// (`£1,234`), and `24,85` is a decimal comma; neither becomes a
/// figure 1,000 or 100 times too large. The one parse of money text:
/// workbook cells, the people CSV, the settings and `--rate` all use it.
///
/// # Errors
/// Why the text is not money.
pub fn money_text(text: &str) -> Result<Decimal, MoneyText> {
    // A pound sign and spaces around the figure and its sign, never inside
    // it: `- £5` is -5, `24 85` is refused.
    let spaced: String = text.chars().map(|c| if c == '£' { ' ' } else { c }).collect();
    let cleaned = match spaced.split_whitespace().collect::<Vec<_>>().as_slice() {
        [one] => (*one).to_string(),
        [sign @ ("-" | "+"), one] => format!("{sign}{one}"),
        [] => return Err(MoneyText::NotMoney),
        _ => return Err(MoneyText::Space),
    };
    let (sign, body) = match cleaned.strip_prefix(['-', '+']) {
        Some(rest) => (&cleaned[..1], rest),
        None => ("", cleaned.as_str()),
    };
    let (whole, fraction) = match body.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (body, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let groups: Vec<&str> = whole.split(',').collect();
    // With a pound sign the writer is using UK figures: `£1,200` is 1200.
    let pounds = text.contains('£');
    if let ([head, tail], None) = (groups.as_slice(), fraction)
        && digits(head)
        && digits(tail)
        && !(pounds && tail.len() == 3 && head.len() <= 3)
    {
        return Err(if tail.len() == 3 {
            MoneyText::AmbiguousComma
        } else {
            MoneyText::DecimalComma
        });
    }
    let grouped = match groups.as_slice() {
        [one] => digits(one),
        [head, rest @ ..] => {
            head.len() <= 3 && digits(head) && rest.iter().all(|g| g.len() == 3 && digits(g))
        }
        [] => false,
    };
    if !grouped || fraction.is_some_and(|f| !digits(f)) {
        return Err(MoneyText::NotMoney);
    }
    let plain: String = whole.chars().filter(|c| *c != ',').collect();
    let number = match fraction {
        Some(f) => format!("{sign}{plain}.{f}"),
        None => format!("{sign}{plain}"),
    };
    Decimal::from_str_exact(&number).map_err(|_| MoneyText::NotMoney)
}

/// [`money_text`], when why it is not money does not matter.
pub fn parse_money(text: &str) -> Option<Decimal> {
    money_text(text).ok()
}

/// A decimal rounded half away from zero and written with exactly `dp`
/// decimals (`"2.50"`, `"-17.95"`); never `"-0.00"`.
pub fn format_fixed(value: Decimal, dp: u32) -> String {
    let mut rounded = value.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
    if rounded.is_zero() {
        rounded = Decimal::ZERO;
    }
    rounded.rescale(dp);
    rounded.to_string()
}

/// A length of time, held exactly as a decimal number of seconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hours {
    seconds: Decimal,
}

impl Hours {
    pub const ZERO: Hours = Hours {
        seconds: Decimal::ZERO,
    };

    /// A number of hours given as a decimal (`7.5`).
    pub fn from_hours(hours: Decimal) -> Option<Hours> {
        hours
            .checked_mul(SECONDS_PER_HOUR)
            .map(|seconds| Hours { seconds })
    }

    /// A whole number of seconds.
    pub fn from_seconds(seconds: i64) -> Hours {
        Hours {
            seconds: Decimal::from(seconds),
        }
    }

    /// An exact number of seconds, as [`Hours::seconds`] gives it (the
    /// ledger keeps hours this way).
    pub fn from_exact_seconds(seconds: Decimal) -> Hours {
        Hours { seconds }
    }

    /// A spreadsheet time or duration: a serial value in days. The value is
    /// taken at its shortest decimal form and rounded to the nearest second
    /// (SPEC 4), so LibreOffice's 15-significant-digit times become exact.
    pub fn from_days_f64(days: f64) -> Option<Hours> {
        let days = decimal_from_f64(days)?;
        Hours::from_days(days)
    }

    /// A length given in days, rounded to the nearest second.
    pub fn from_days(days: Decimal) -> Option<Hours> {
        let seconds = days
            .checked_mul(SECONDS_PER_DAY)?
            .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
        Some(Hours { seconds })
    }

    /// Parse text an officer or provider typed: decimal hours (`" 7.5 "`) or
    /// `h:mm` / `h:mm:ss` (`"7:30"`, `"27:00"`). Surrounding spaces are
    /// ignored; a leading `-` is kept so the caller can report it as negative.
    pub fn parse(text: &str) -> Option<Hours> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        if text.contains(':') {
            let (negative, body) = match text.strip_prefix('-') {
                Some(rest) => (true, rest.trim_start()),
                None => (false, text),
            };
            let parts: Vec<&str> = body.split(':').collect();
            if parts.len() < 2 || parts.len() > 3 {
                return None;
            }
            let whole = |s: &str| -> Option<i64> {
                if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) || s.len() > 9 {
                    None
                } else {
                    s.parse().ok()
                }
            };
            let h = whole(parts[0])?;
            let m = whole(parts[1])?;
            if parts[1].len() != 2 || m >= 60 {
                return None;
            }
            let s = match parts.get(2) {
                Some(sec) if sec.len() == 2 => whole(sec).filter(|s| *s < 60)?,
                Some(_) => return None,
                None => 0,
            };
            let total = h * 3600 + m * 60 + s;
            return Some(Hours::from_seconds(if negative { -total } else { total }));
        }
        if !text
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-' || b == b'+')
        {
            return None;
        }
        Decimal::from_str_exact(text).ok().and_then(Hours::from_hours)
    }

    /// The exact number of seconds.
    pub fn seconds(self) -> Decimal {
        self.seconds
    }

    /// The number of hours, exact where the decimal ends within 28 digits.
    pub fn as_hours(self) -> Decimal {
        self.seconds / SECONDS_PER_HOUR
    }

    pub fn is_zero(self) -> bool {
        self.seconds.is_zero()
    }

    pub fn is_negative(self) -> bool {
        self.seconds.is_sign_negative() && !self.seconds.is_zero()
    }

    pub fn abs(self) -> Hours {
        Hours {
            seconds: self.seconds.abs(),
        }
    }

    /// `fraction` of this length, exactly (`tolerance × H_c`).
    pub fn times(self, fraction: Decimal) -> Hours {
        Hours {
            seconds: self.seconds * fraction,
        }
    }

    /// This length shared over `n` parts (28 significant digits).
    pub fn divided_by(self, n: u32) -> Option<Hours> {
        self.seconds
            .checked_div(Decimal::from(n))
            .map(|seconds| Hours { seconds })
    }

    /// The cost of this many hours at `rate` £/hour, exactly.
    pub fn at_rate(self, rate: Decimal) -> PoundSeconds {
        PoundSeconds(self.seconds * rate)
    }

    /// Hours as SPEC 8.2 writes them: the exact decimal, trailing zeros
    /// trimmed (`"9.6"`, `"120"`), or rounded half away from zero to 6
    /// places where it does not end within 6 (`"95.333333"`).
    pub fn to_spec_string(self) -> String {
        let hours = self.as_hours();
        let mut six = hours.round_dp_with_strategy(6, RoundingStrategy::MidpointAwayFromZero);
        if six.is_zero() {
            six = Decimal::ZERO;
        }
        six.normalize().to_string()
    }

    /// Hours rounded to `dp` decimals, for display.
    pub fn rounded(self, dp: u32) -> Decimal {
        self.as_hours()
            .round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
    }
}

impl fmt::Display for Hours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_spec_string())
    }
}

impl Add for Hours {
    type Output = Hours;
    fn add(self, rhs: Hours) -> Hours {
        Hours {
            seconds: self.seconds + rhs.seconds,
        }
    }
}

impl AddAssign for Hours {
    fn add_assign(&mut self, rhs: Hours) {
        self.seconds += rhs.seconds;
    }
}

impl Sub for Hours {
    type Output = Hours;
    fn sub(self, rhs: Hours) -> Hours {
        Hours {
            seconds: self.seconds - rhs.seconds,
        }
    }
}

impl Neg for Hours {
    type Output = Hours;
    fn neg(self) -> Hours {
        Hours {
            seconds: -self.seconds,
        }
    }
}

impl Sum for Hours {
    fn sum<I: Iterator<Item = Hours>>(iter: I) -> Hours {
        iter.fold(Hours::ZERO, Add::add)
    }
}

/// Money accumulated as hours-in-seconds × £/hour, kept exact until it is
/// turned into pounds once ([`PoundSeconds::pounds`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct PoundSeconds(Decimal);

impl PoundSeconds {
    pub const ZERO: PoundSeconds = PoundSeconds(Decimal::ZERO);

    /// The amount in pounds (28 significant digits: exact wherever the
    /// decimal ends, and far finer than a penny where it does not).
    pub fn pounds(self) -> Decimal {
        self.0 / SECONDS_PER_HOUR
    }

    /// An amount in pounds, as pound-seconds, for exact comparison.
    pub fn from_pounds(pounds: Decimal) -> PoundSeconds {
        PoundSeconds(pounds * SECONDS_PER_HOUR)
    }
}

impl Add for PoundSeconds {
    type Output = PoundSeconds;
    fn add(self, rhs: PoundSeconds) -> PoundSeconds {
        PoundSeconds(self.0 + rhs.0)
    }
}

impl AddAssign for PoundSeconds {
    fn add_assign(&mut self, rhs: PoundSeconds) {
        self.0 += rhs.0;
    }
}

impl Sub for PoundSeconds {
    type Output = PoundSeconds;
    fn sub(self, rhs: PoundSeconds) -> PoundSeconds {
        PoundSeconds(self.0 - rhs.0)
    }
}

impl Sum for PoundSeconds {
    fn sum<I: Iterator<Item = PoundSeconds>>(iter: I) -> PoundSeconds {
        iter.fold(PoundSeconds::ZERO, Add::add)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn shortest_decimal_form_of_a_float() {
        assert_eq!(decimal_from_f64(7.1), Some(dec!(7.1)));
        assert_eq!(decimal_from_f64(0.1 + 0.2), Some(dec!(0.30000000000000004)));
        assert_eq!(decimal_from_f64(f64::NAN), None);
    }

    #[test]
    fn seven_twenty_thirteen_times_is_95h20m_exactly() {
        let week = Hours::parse("7:20").unwrap();
        let total: Hours = std::iter::repeat_n(week, 13).sum();
        assert_eq!(total, Hours::from_seconds(95 * 3600 + 20 * 60));
        assert_eq!(total.to_spec_string(), "95.333333");
    }

    #[test]
    fn libreoffice_time_rounds_to_the_second() {
        // 7:20 as LibreOffice stores it, to 15 significant digits.
        assert_eq!(
            Hours::from_days_f64(0.305555555555556),
            Some(Hours::from_seconds(26_400))
        );
    }

    #[test]
    fn spec_hour_strings() {
        assert_eq!(Hours::from_hours(dec!(9.60)).unwrap().to_spec_string(), "9.6");
        assert_eq!(Hours::from_hours(dec!(120)).unwrap().to_spec_string(), "120");
        assert_eq!((-Hours::from_seconds(7800)).to_spec_string(), "-2.166667");
        assert_eq!((-Hours::ZERO).to_spec_string(), "0");
    }

    #[test]
    fn money_formats() {
        assert_eq!(format_money(dec!(-168)), "-168.00");
        assert_eq!(round2(dec!(0.005)), dec!(0.01));
        assert_eq!(round2(dec!(-53.125)), dec!(-53.13));
        assert_eq!(format_fixed(dec!(-0.001), 2), "0.00");
    }

    #[test]
    fn text_hours() {
        assert_eq!(Hours::parse(" 7.5 "), Hours::from_hours(dec!(7.5)));
        assert_eq!(Hours::parse("27:00"), Some(Hours::from_seconds(27 * 3600)));
        assert_eq!(Hours::parse("7:3"), None);
        assert_eq!(Hours::parse("seven"), None);
        assert_eq!(Hours::parse("1e3"), None);
    }

    #[test]
    fn money_texts() {
        assert_eq!(parse_money("£1,200.50"), Some(dec!(1200.50)));
        assert_eq!(parse_money(" 24.85 "), Some(dec!(24.85)));
        assert_eq!(parse_money("1e3"), None);
        assert_eq!(parse_money("£"), None);
        assert_eq!(parse_money("twelve"), None);
        assert_eq!(parse_money("12,345.67"), Some(dec!(12345.67)));
        assert_eq!(parse_money("-1,200.00"), Some(dec!(-1200)));
        assert_eq!(parse_money("1,234,567"), Some(dec!(1234567)));
        assert_eq!(parse_money("- £5"), Some(dec!(-5)));
        assert_eq!(parse_money("£ -5.50"), Some(dec!(-5.50)));
        assert_eq!(money_text("24 85"), Err(MoneyText::Space));
        assert_eq!(money_text("1 200.00"), Err(MoneyText::Space));
        assert_eq!(money_text("1,234"), Err(MoneyText::AmbiguousComma));
        assert_eq!(money_text("£1,200"), Ok(dec!(1200)));
        assert_eq!(money_text("£24,85"), Err(MoneyText::DecimalComma));
        assert_eq!(money_text("24,85"), Err(MoneyText::DecimalComma));
        assert_eq!(parse_money("24,85"), None);
        assert_eq!(parse_money("1,2"), None);
        assert_eq!(parse_money("1,2345"), None);
        assert_eq!(parse_money("1234,567"), None);
        assert_eq!(parse_money(",100"), None);
        assert_eq!(parse_money("1."), None);
        assert_eq!(parse_money("--1"), None);
    }
}
