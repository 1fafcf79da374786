//! update() driven by keys, no terminal: the console's flows screen by screen, the read-only
//! walk over every binding, and the keymap.

mod app_support;
mod dashboard_support;
mod faces_support;
mod runs_support;
mod suites_support;

mod completeness;
mod dashboard;
mod definition_tab;
mod events_tab;
mod executions;
mod face_jump;
mod faces;
mod faces_keymap;
mod faces_paging;
mod follow;
mod keymap;
mod long_hints;
mod lost_controls;
mod lost_deletes;
mod lost_starts;
mod offline;
mod paste;
mod read_only;
mod row_details;
mod runs;
mod startup_failures;
mod target;
mod tests_screen;
mod thumbnails_paging;
mod verdict_history;
