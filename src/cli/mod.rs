//! Headless subcommands, e.g. `stepdeck timeline --history FILE`, `stepdeck stats`.

pub mod cache;
pub mod stats;
pub mod timeline;
