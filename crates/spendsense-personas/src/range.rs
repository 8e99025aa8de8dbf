//! Inclusive ranges used by persona definitions.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// An inclusive range `min..=max` of integers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountRange {
    /// Smallest allowed value.
    pub min: u16,
    /// Largest allowed value.
    pub max: u16,
}

impl CountRange {
    /// `min..=max`.
    pub const fn new(min: u16, max: u16) -> Self {
        CountRange { min, max }
    }

    /// Whether `value` lies in the range.
    pub fn contains(&self, value: u16) -> bool {
        (self.min..=self.max).contains(&value)
    }
}

impl fmt::Display for CountRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.min == self.max {
            write!(f, "{}", self.min)
        } else {
            write!(f, "{}–{}", self.min, self.max)
        }
    }
}

/// An inclusive range `min..=max` of exact decimals (dollars, months or fractions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecimalRange {
    /// Smallest allowed value.
    #[serde(with = "spendsense_schema::money")]
    pub min: Decimal,
    /// Largest allowed value.
    #[serde(with = "spendsense_schema::money")]
    pub max: Decimal,
}

impl DecimalRange {
    /// `min..=max` from values in hundredths (`hundredths(150, 300)` is 1.50..=3.00).
    pub fn hundredths(min: i64, max: i64) -> Self {
        DecimalRange {
            min: Decimal::new(min, 2),
            max: Decimal::new(max, 2),
        }
    }

    /// Whether `value` lies in the range.
    pub fn contains(&self, value: Decimal) -> bool {
        self.min <= value && value <= self.max
    }

    /// Both ends, lowest first.
    pub fn ends(&self) -> [Decimal; 2] {
        [self.min, self.max]
    }
}

impl fmt::Display for DecimalRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.min == self.max {
            write!(f, "{}", self.min)
        } else {
            write!(f, "{}–{}", self.min, self.max)
        }
    }
}
