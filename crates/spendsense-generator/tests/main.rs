//! Properties of generated datasets, checked over many seeds and sizes.

mod properties;
