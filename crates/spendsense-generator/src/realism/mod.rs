//! Calibration to US reference statistics: the tables in `data/` and the
//! draws that follow them (states by population, ZIPs of the state, adult
//! ages, income rising with age, pay-frequency shares, credit and balances
//! by age). `docs/realism.md` says what each table shapes and how closely.
//!
//! The tables are public so that reports can set generated marginals beside
//! them without a second copy.

pub(crate) mod draw;
mod measure;
mod tables;

pub use measure::{
    Comparison, Marginals, PARITY_MIN_GROUP, Parity, RANK_CORRELATION_AGES, Realism, Share,
};
pub(crate) use tables::FILES;
pub use tables::{AgeBand, OLDEST_AGE, Region, State, Tables, tables};
