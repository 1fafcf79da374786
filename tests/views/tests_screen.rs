//! Snapshots of the tests screen: suites that passed, one that failed with its difference
//! (expected vs actual), one running (a step out, the rest waiting), and a flaky step.

use crate::app_support::*;
use crate::suites_support::*;
use stepdeck::app::msg::Msg;
use stepdeck::app::update::update;

#[test]
fn snapshots_of_the_tests_screen() {
    // Passing: both built-in suites answered as the sandbox answers them.
    let mut app = tests_app(false);
    let effects = press(&mut app, "a");
    answer_all(&mut app, effects, None);
    press(&mut app, "j j j j j j");
    let effects = press(&mut app, "a");
    answer_all(&mut app, effects, None);
    insta::assert_snapshot!("passing_120x20", screen(&app, 120, 20));

    // Failing: 2_sunglass_face accepted where a rejection was expected; it is flaky now too.
    press(&mut app, "g g");
    let effects = press(&mut app, "a");
    answer_all(&mut app, effects, Some("2_sunglass_face"));
    insta::assert_snapshot!("failing_and_flaky_120x20", screen(&app, 120, 20));

    // Running: the duplicates suite with its first run out.
    let mut app = tests_app(false);
    press(&mut app, "j j j j j j");
    let effects = press(&mut app, "a");
    let (generation, suite, clear) = suite_steps(&effects)[0].clone();
    update(
        &mut app,
        Msg::SuiteAnswer {
            generation,
            suite,
            step: clear.step(),
            answer: answer_for(&clear, None),
        },
    );
    insta::assert_snapshot!("running_100x16", screen(&app, 100, 16));
}

#[test]
fn the_tests_screen_renders_at_odd_sizes_without_panicking() {
    let mut app = tests_app(false);
    let effects = press(&mut app, "a");
    answer_all(&mut app, effects, Some("4_no_face"));
    for (width, height) in [(1, 1), (20, 5), (40, 8), (61, 13), (200, 60)] {
        let text = screen(&app, width, height);
        assert_eq!(text.lines().count(), height as usize);
    }
}
