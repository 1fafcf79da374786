//! Headless subcommands, e.g. `stepdeck timeline --history FILE`.

pub mod cache;
pub mod timeline;
