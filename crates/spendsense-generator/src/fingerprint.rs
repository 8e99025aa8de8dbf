//! A short, stable identifier of what generation does.
//!
//! The fingerprint hashes the algorithm version, the name lists, the
//! reference tables of `data/` and the persona definitions. The promise: the same fingerprint, seed, count and mix
//! give the same bytes, on every platform. Any change that alters the output
//! for some seed must bump [`ALGORITHM_VERSION`]; the test
//! `fingerprint_and_output_are_pinned_together` fails until it does.

use spendsense_personas::Personas;

/// Version of the generation algorithm. Bump it whenever a change alters the
/// bytes generated for some seed, count, mix and definitions.
pub const ALGORITHM_VERSION: u32 = 6;

/// 64-bit FNV-1a: tiny, portable and stable, which is all an identifier needs.
pub(crate) struct Fnv1a(u64);

impl Fnv1a {
    pub(crate) fn new() -> Fnv1a {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }

    pub(crate) fn update(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    pub(crate) fn finish(&self) -> u64 {
        self.0
    }
}

/// The fingerprint of generation with `personas`, e.g. `ssg1-4b1c0e9d2a7f`.
pub fn fingerprint(personas: &Personas) -> String {
    let mut hash = Fnv1a::new();
    hash.update(&ALGORITHM_VERSION.to_le_bytes());
    for name in crate::names::all_names() {
        hash.update(name.as_bytes());
        hash.update(&[0]);
    }
    for (name, text) in crate::realism::FILES {
        hash.update(name.as_bytes());
        hash.update(text.as_bytes());
    }
    let definitions = serde_json::to_vec(personas).expect("persona definitions serialize");
    hash.update(&definitions);
    format!("ssg{ALGORITHM_VERSION}-{:012x}", hash.finish() >> 16)
}
