//! The generator's names as `validate`'s [`NameKeys`]: a generated name is
//! remembered as one bit, the number of the profile that bears it in a run.

use spendsense_generator::NameIndex;
use spendsense_validate::NameKeys;

/// The names of the runs of one seed.
pub struct RunNames {
    index: NameIndex,
}

impl RunNames {
    /// The names of a run of `seed` (its manifest's). Without one, the
    /// names of seed 0: the numbering is still one number per name, so
    /// duplicates are found exactly, but it no longer says which profile
    /// of the dataset's own run a name belongs to.
    pub fn new(seed: Option<u64>) -> RunNames {
        RunNames {
            index: NameIndex::new(seed.unwrap_or(0)),
        }
    }
}

impl NameKeys for RunNames {
    fn key(&self, name: &str) -> Option<u64> {
        self.index.index_of(name)
    }
}
