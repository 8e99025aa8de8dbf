//! Integer-cent arithmetic: every amount is drawn and derived as whole cents
//! (or hundredths), never through floats, and converted to `Decimal` only at
//! the end. Integer maths is exact, fast and the same on every platform.

use rust_decimal::Decimal;
use spendsense_personas::{DecimalRange, PersonaDefinition};

/// `value` in hundredths, truncated; persona ranges carry at most two decimals.
pub(crate) fn to_cents(value: Decimal) -> i64 {
    i64::try_from((value * Decimal::ONE_HUNDRED).trunc()).unwrap_or(i64::MAX)
}

/// An amount with exactly two decimals from whole cents (or hundredths).
pub(crate) fn cents(value: i64) -> Decimal {
    Decimal::new(value, 2)
}

/// `numerator / denominator` rounded half to even, for non-negative operands.
pub(crate) fn div_round_even(numerator: i128, denominator: i128) -> i64 {
    let (quotient, remainder) = (numerator / denominator, numerator % denominator);
    let rounded = match (2 * remainder).cmp(&denominator) {
        std::cmp::Ordering::Less => quotient,
        std::cmp::Ordering::Greater => quotient + 1,
        std::cmp::Ordering::Equal => quotient + (quotient & 1),
    };
    rounded as i64
}

/// An inclusive range in hundredths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hundredths {
    pub(crate) min: i64,
    pub(crate) max: i64,
}

impl From<DecimalRange> for Hundredths {
    fn from(range: DecimalRange) -> Self {
        Hundredths {
            min: to_cents(range.min),
            max: to_cents(range.max),
        }
    }
}

/// A definition's decimal ranges converted once to hundredths, so drawing a
/// profile does no decimal arithmetic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DrawRanges {
    pub(crate) income: Hundredths,
    pub(crate) checking_buffer_months: Hundredths,
    pub(crate) credit_limit_income_share: Hundredths,
    pub(crate) target_utilization: Hundredths,
    pub(crate) utilization_jitter: i64,
    pub(crate) savings_income_share: Hundredths,
    pub(crate) savings_monthly: Hundredths,
    pub(crate) savings_balance_months: Hundredths,
}

impl DrawRanges {
    pub(crate) fn of(d: &PersonaDefinition) -> DrawRanges {
        DrawRanges {
            income: d.annual_income.into(),
            checking_buffer_months: d.checking_buffer_months.into(),
            credit_limit_income_share: d.credit_limit_income_share.into(),
            target_utilization: d.target_utilization.into(),
            utilization_jitter: to_cents(d.utilization_jitter),
            savings_income_share: d.savings_income_share.into(),
            savings_monthly: d.savings_monthly.into(),
            savings_balance_months: d.savings_balance_months.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_is_half_to_even_like_decimal() {
        for numerator in 0..5_000i128 {
            for denominator in [1i128, 2, 3, 12, 100, 1200] {
                let expected =
                    (Decimal::from(numerator as i64) / Decimal::from(denominator as i64)).round();
                assert_eq!(
                    Decimal::from(div_round_even(numerator, denominator)),
                    expected,
                    "{numerator}/{denominator}"
                );
            }
        }
    }
}
