//! The console's screens, one folder each: state (`mod.rs`), its keys, its answers, its view.

pub mod dashboard;
pub mod execution;
pub mod executions;
pub mod faces;
pub mod tests;
pub mod thumbnails;
