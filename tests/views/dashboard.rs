//! Snapshots of the dashboard filled from a day of runs (every history read) at 160×45,
//! 120×32, 80×24 and a tiny terminal, a state's slowest runs, and every odd size without
//! panicking.

use crate::app_support::*;
use crate::dashboard_support::*;
use stepdeck::app::msg::Msg;
use stepdeck::app::update::update;

#[test]
fn snapshots_of_a_day() {
    for (width, height) in [(160, 45), (120, 32), (80, 24), (20, 5)] {
        let mut app = dashboard_app(None);
        update(&mut app, Msg::Resize(width, height));
        insta::assert_snapshot!(
            format!("dashboard_day_{width}x{height}"),
            screen(&app, width, height)
        );
    }
}

#[test]
fn snapshot_of_a_states_slowest_runs() {
    let mut app = dashboard_app(None);
    press(&mut app, "Tab j j Enter");
    insta::assert_snapshot!("dashboard_slowest_120x32", screen(&app, 120, 32));
}

#[test]
fn the_dashboard_renders_at_odd_sizes_without_panicking() {
    let mut app = dashboard_app(None);
    for (width, height) in [
        (1, 1),
        (39, 7),
        (40, 8),
        (41, 9),
        (57, 13),
        (99, 17),
        (200, 50),
        (300, 8),
        (30, 100),
    ] {
        update(&mut app, Msg::Resize(width, height));
        assert_eq!(screen(&app, width, height).lines().count(), height as usize);
    }
    // Empty: nothing listed yet.
    let mut empty = seed_app();
    press(&mut empty, "g d");
    for (width, height) in [(160, 45), (80, 24), (40, 8)] {
        assert!(screen(&empty, width, height).contains("Dashboard"));
    }
}
