//! Internals of the `spendsense` binary shared with its benchmark.
//!
//! Not a library API: use `spendsense-generator` and `spendsense-schema`.

pub mod ordered;
pub mod pipeline;
