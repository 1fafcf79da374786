//! What the screens draw: TestBackend + insta snapshots at 120×32 and 80×24 on a fixed clock,
//! and every view at tiny and odd sizes without panicking. Snapshots live in `snapshots/`
//! beside this file, named `views__<module>__<name>.snap`.

#[path = "../flows/app_support.rs"]
mod app_support;
#[path = "../flows/dashboard_support.rs"]
mod dashboard_support;
#[path = "../flows/faces_support.rs"]
mod faces_support;
#[path = "../flows/runs_support.rs"]
mod runs_support;
#[path = "../flows/suites_support.rs"]
mod suites_support;

mod access_denied;
mod dashboard;
mod definition_tab;
mod execution_tabs;
mod executions;
mod faces;
mod runs;
mod tests_screen;
mod thumbnails;
