//! Headless subcommands: `stepdeck timeline --history FILE`, `stepdeck cache`, `stepdeck test`,
//! `stepdeck stats`.

pub mod cache;
pub mod stats;
pub mod test;
pub mod timeline;
