//! Exact income histograms in little memory: generated incomes are whole
//! dollars below $1,048,576, counted in one array slot each; any other
//! amount goes to an ordered map.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// Whole-dollar incomes below this are counted in the array.
const DOLLAR_SLOTS: u64 = 1 << 20;

/// How many times each income occurs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct IncomeHistogram {
    /// `dollars[d]`: incomes of exactly `d` dollars; grown as needed.
    dollars: Vec<u64>,
    other: BTreeMap<Decimal, u64>,
}

impl IncomeHistogram {
    pub(crate) fn add(&mut self, income: Decimal, count: u64) {
        match whole_dollars(income) {
            Some(dollars) => {
                let slot = dollars as usize;
                if slot >= self.dollars.len() {
                    self.dollars.resize((slot + 1).next_power_of_two(), 0);
                }
                self.dollars[slot] += count;
            }
            None => *self.other.entry(income).or_default() += count,
        }
    }

    /// Every income with its count, lowest first.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (Decimal, u64)> + '_ {
        let mut dollars = self
            .dollars
            .iter()
            .enumerate()
            .filter(|(_, count)| **count > 0)
            .map(|(d, count)| (Decimal::new(d as i64 * 100, 2), *count))
            .peekable();
        let mut other = self.other.iter().map(|(v, c)| (*v, *c)).peekable();
        std::iter::from_fn(move || match (dollars.peek(), other.peek()) {
            (Some(a), Some(b)) if a.0 <= b.0 => dollars.next(),
            (Some(_), Some(_)) | (None, Some(_)) => other.next(),
            (Some(_), None) => dollars.next(),
            (None, None) => None,
        })
    }

    pub(crate) fn min(&self) -> Option<Decimal> {
        self.iter().next().map(|(v, _)| v)
    }

    pub(crate) fn max(&self) -> Option<Decimal> {
        let dollars = self
            .dollars
            .iter()
            .rposition(|count| *count > 0)
            .map(|d| Decimal::new(d as i64 * 100, 2));
        let other = self.other.keys().next_back().copied();
        dollars.max(other)
    }

    /// The median (the lower middle value for even counts).
    pub(crate) fn median(&self) -> Option<Decimal> {
        let count: u64 = self.iter().map(|(_, n)| n).sum();
        let middle = count.checked_sub(1)? / 2;
        let mut seen = 0;
        self.iter().find_map(|(value, n)| {
            seen += n;
            (seen > middle).then_some(value)
        })
    }
}

fn whole_dollars(income: Decimal) -> Option<u64> {
    if income.is_sign_negative() || !income.fract().is_zero() {
        return None;
    }
    income.to_u64().filter(|d| *d < DOLLAR_SLOTS)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Agrees with a plain ordered map on whole dollars, cents, negative
    /// and huge amounts mixed.
    #[test]
    fn agrees_with_an_ordered_map() {
        let mut state = 11u64;
        for case in 0..50 {
            let mut histogram = IncomeHistogram::default();
            let mut reference = BTreeMap::new();
            for _ in 0..(case * 13 % 200) {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
                let value = match (state >> 60) % 4 {
                    0 => Decimal::new(((state >> 20) % 300_000) as i64 * 100, 2),
                    1 => Decimal::new(((state >> 20) % 30_000_000) as i64, 2),
                    2 => Decimal::new(-(((state >> 20) % 1000) as i64), 0),
                    _ => Decimal::new(((state >> 10) % 5_000_000_000) as i64, 0),
                };
                histogram.add(value, 1);
                *reference.entry(value).or_insert(0u64) += 1;
            }
            let listed: Vec<(Decimal, u64)> = histogram.iter().collect();
            let expected: Vec<(Decimal, u64)> = reference.iter().map(|(v, c)| (*v, *c)).collect();
            assert_eq!(listed, expected, "case {case}");
            assert_eq!(histogram.min(), reference.keys().next().copied());
            assert_eq!(histogram.max(), reference.keys().next_back().copied());
        }
    }
}
