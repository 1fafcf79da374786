//! Headless subcommands: `stepdeck timeline --history FILE`, `stepdeck cache`, `stepdeck test`.

pub mod cache;
pub mod test;
pub mod timeline;
