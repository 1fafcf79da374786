//! The local sandbox end to end on a paused tokio clock: through the `Backend` trait, and
//! through the app with the real effects runner.

#[path = "../flows/app_support.rs"]
mod app_support;
mod sandbox_support;

mod backfill;
mod executions;
mod faces;
mod runs;
mod storage;
mod store;
mod suites;
