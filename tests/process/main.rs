//! The `stepdeck` binary as a process: flags, exit codes, standard streams, pipes, signals and
//! the terminal it leaves behind. `headless` drives `stepdeck timeline`; `cache` `stepdeck
//! cache`; `suites` `stepdeck test`; `stats` `stepdeck stats`; `console` the TUI's start-up checks
//! and its life in a terminal.

mod cache;
mod console;
mod headless;
mod stats;
mod suites;
