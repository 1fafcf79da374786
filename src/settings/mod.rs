//! The settings file (`<config dir>/stepdeck/config.toml`): which state machine to open, the
//! refresh floor, the sandbox's behaviour, read-only mode and the test-case library (saving
//! one appends a `[[test_cases]]` table, leaving the rest of the file as it was), with
//! per-profile/region `[[aws]]` tables. Problems are reported with file and line, and the
//! defaults stand in for whatever could not be read. The edits that keep comments are `edit.rs`.

mod edit;
mod load;
mod model;

pub use edit::{append_test_case, remember_choice, settings_remembering, settings_with_test_case};
pub use load::{MAX_SETTINGS_BYTES, load_settings, parse_settings};
pub use model::*;
