//! How many persona users deliberately also meet a lower-priority persona.

use std::fmt;

use crate::Error;

/// The share of persona users that also meet one lower-priority persona's
/// criteria (see `spendsense_personas::overlap_partners`), from 0 to 1 with at
/// most four decimals. Exactly `floor(k · share)` of the first `k` users of
/// each persona that has partners overlap, for every `k`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Overlap {
    ten_thousandths: u32,
}

impl Overlap {
    /// No overlap: every profile meets exactly its own persona.
    pub fn none() -> Overlap {
        Overlap::default()
    }

    /// Parses a fraction such as `0.25`.
    pub fn parse(text: &str) -> Result<Overlap, Error> {
        let refuse = || {
            Error::Overlap(format!(
                "`{text}` is not a fraction from 0 to 1 with at most 4 decimals, e.g. 0.25"
            ))
        };
        let (whole, fraction) = text.trim().split_once('.').unwrap_or((text.trim(), ""));
        if whole.is_empty() && fraction.is_empty()
            || fraction.len() > 4
            || !whole
                .chars()
                .chain(fraction.chars())
                .all(|c| c.is_ascii_digit())
        {
            return Err(refuse());
        }
        let whole: u32 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| refuse())?
        };
        let fraction: u32 = format!("{fraction:0<4}").parse().map_err(|_| refuse())?;
        let ten_thousandths = whole
            .checked_mul(10_000)
            .and_then(|w| w.checked_add(fraction))
            .ok_or_else(refuse)?;
        if ten_thousandths > 10_000 {
            return Err(refuse());
        }
        Ok(Overlap { ten_thousandths })
    }

    /// Whether no profile overlaps.
    pub fn is_none(&self) -> bool {
        self.ten_thousandths == 0
    }

    /// Whether the `slot`-th user (from 0) of a persona that has overlap
    /// partners overlaps; what a validator of a run's overlap checks.
    pub fn selects(&self, slot: u64) -> bool {
        let share = u128::from(self.ten_thousandths);
        let before = u128::from(slot) * share / 10_000;
        (u128::from(slot) + 1) * share / 10_000 > before
    }
}

impl fmt::Display for Overlap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (whole, fraction) = (self.ten_thousandths / 10_000, self.ten_thousandths % 10_000);
        let fraction = format!("{fraction:04}");
        let fraction = fraction.trim_end_matches('0');
        if fraction.is_empty() {
            write!(f, "{whole}")
        } else {
            write!(f, "{whole}.{fraction}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fractions_parse_exactly_and_print_back() {
        for (text, shown) in [
            ("0", "0"),
            ("0.25", "0.25"),
            ("1", "1"),
            (".5", "0.5"),
            ("0.0001", "0.0001"),
            ("1.0", "1"),
        ] {
            assert_eq!(Overlap::parse(text).unwrap().to_string(), shown);
        }
        for bad in [
            "", "-0.1", "1.5", "2", "0.12345", "abc", "1e-2", ".", "0..1",
        ] {
            assert!(
                Overlap::parse(bad)
                    .unwrap_err()
                    .to_string()
                    .contains("is not a fraction from 0 to 1"),
                "{bad}"
            );
        }
    }

    #[test]
    fn exactly_floor_k_times_share_of_the_first_k_slots_overlap() {
        for text in ["0", "0.1", "0.25", "0.3333", "1"] {
            let overlap = Overlap::parse(text).unwrap();
            let mut selected = 0u64;
            for slot in 0..1_000u64 {
                selected += u64::from(overlap.selects(slot));
                assert_eq!(
                    u128::from(selected),
                    u128::from(slot + 1) * u128::from(overlap.ten_thousandths) / 10_000
                );
            }
        }
    }
}
