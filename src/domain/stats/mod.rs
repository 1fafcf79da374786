//! Figures about many executions at once for the dashboard and `stepdeck stats`: how runs
//! ended per time bucket, why they were rejected or failed, how long each state takes. Pure
//! and incremental: `figures.rs` holds the tallies, `digest.rs` what one history contributes,
//! `percentile.rs` the exact nearest-rank percentiles, `reasons.rs` the ranking of reasons.

mod arn_index;
mod digest;
mod figures;
mod numbers;
mod outcome;
mod percentile;
mod reasons;
mod state_tallies;
#[cfg(test)]
mod tests;
mod window;

pub use digest::{HistoryDigest, StateSample};
pub use figures::{Coverage, Figures};
pub use numbers::thousands;
pub use outcome::OutcomeKind;
pub use percentile::{Percentiles, nearest_rank};
pub use reasons::{Reason, ReasonKind, ReasonTally, Trend};
pub use state_tallies::{SLOWEST_KEPT, StateRow};
pub use window::Window;
