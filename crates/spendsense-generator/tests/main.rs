//! Properties of generated datasets, checked over many seeds and sizes.
//!
//! One test binary: modules live in subdirectories because Cargo builds every
//! `tests/*.rs` file as a binary of its own.

mod ledgers;
mod mix;
mod overlap;
mod pinned;
mod properties;
mod realism;
mod summaries;
