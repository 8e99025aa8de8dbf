//! Integer-cent helpers: every amount is drawn as whole cents, never through floats.

use rust_decimal::Decimal;

/// `value` in cents, truncated; persona ranges carry at most two decimals.
pub(crate) fn to_cents(value: Decimal) -> i64 {
    i64::try_from((value * Decimal::ONE_HUNDRED).trunc()).unwrap_or(i64::MAX)
}

/// An amount with exactly two decimals from whole cents.
pub(crate) fn cents(value: i64) -> Decimal {
    Decimal::new(value, 2)
}

/// `value` rounded to cents (banker's rounding) and written with two decimals.
pub(crate) fn round_cents(value: Decimal) -> Decimal {
    let mut rounded = value.round_dp(2);
    rounded.rescale(2);
    rounded
}
