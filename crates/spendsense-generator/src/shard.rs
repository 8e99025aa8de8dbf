//! [`Shard`]: `K/N`, the contiguous slices of a run for fanning out across
//! machines (the CLI's `--shard`, the Python package's `shard_range`).

use std::fmt;
use std::str::FromStr;

/// One slice of a sharded run: the `index`-th (from 1) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which slice, from 1.
    pub index: u64,
    /// How many slices.
    pub count: u64,
}

impl Shard {
    /// The contiguous slice of `0..total` this shard covers.
    pub fn range(self, total: u64) -> std::ops::Range<u64> {
        let bound = |k: u64| (u128::from(total) * u128::from(k) / u128::from(self.count)) as u64;
        bound(self.index - 1)..bound(self.index)
    }
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let usage = || format!("`{text}` is not K/N with 1 <= K <= N, e.g. 2/8");
        let (k, n) = text.split_once('/').ok_or_else(usage)?;
        let (index, count): (u64, u64) = (
            k.trim().parse().map_err(|_| usage())?,
            n.trim().parse().map_err(|_| usage())?,
        );
        if count == 0 || index == 0 || index > count {
            return Err(usage());
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_tile_the_range_in_order() {
        for total in [0, 1, 7, 100, 1001] {
            for count in [1, 2, 3, 7, 16] {
                let mut next = 0;
                for index in 1..=count {
                    let range = Shard { index, count }.range(total);
                    assert_eq!(range.start, next);
                    next = range.end;
                }
                assert_eq!(next, total);
            }
        }
    }

    #[test]
    fn shard_syntax_is_checked() {
        assert_eq!("2/4".parse::<Shard>(), Ok(Shard { index: 2, count: 4 }));
        for bad in ["0/4", "5/4", "1/0", "a/b", "3", "-1/4", ""] {
            assert!(
                bad.parse::<Shard>().unwrap_err().contains("is not K/N"),
                "{bad}"
            );
        }
    }
}
