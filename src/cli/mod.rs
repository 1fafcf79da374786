//! Headless subcommands, e.g. `stepdeck timeline --history FILE`.

pub mod timeline;
