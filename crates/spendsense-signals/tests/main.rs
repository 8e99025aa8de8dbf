//! The reference detector against generated ledgers.
//!
//! One test binary: modules live in subdirectories because Cargo builds every
//! `tests/*.rs` file as a binary of its own.

mod agreement;
