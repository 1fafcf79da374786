//! Checks of the repository itself: the README's key-binding tables match `keymap.toml`, its
//! API budget table matches the quota table, its suites file example reads cleanly, and the
//! source tree keeps the layer rules of `design.md` (architecture).

mod architecture;
mod budgets;
mod readme;
