//! The tests screen's verdict history kept in the store: the screen asks for it once when
//! first shown, a kept history marks a step flaky (merged with verdicts that landed in the
//! meantime, never counting one twice), and each verdict as it lands goes out to be kept.

use crate::app_support::*;
use crate::suites_support::*;
use stepdeck::app::effect::Effect;
use stepdeck::app::msg::Msg;
use stepdeck::app::screen::Screen;
use stepdeck::app::update::update;
use stepdeck::backend::BackendError;
use stepdeck::domain::suites::builtin::builtin_suites;
use stepdeck::domain::suites::recorded::VerdictRecord;

/// A kept verdict of the built-in suite `suite`'s step `step`, `minutes` before `NOW`.
fn kept(suite: usize, step: usize, passed: bool, minutes: i64) -> VerdictRecord {
    let suites = builtin_suites();
    VerdictRecord {
        suite: suites[suite].name.clone(),
        step,
        label: suites[suite].steps[step].describe(),
        passed,
        detail: if passed {
            "passed"
        } else {
            "expected accepted, got rejected"
        }
        .into(),
        finished_at: NOW - minutes * 60_000,
        execution_arn: Some(exec_arn(&format!("ci-{minutes}"))),
    }
}

fn history_asks(effects: &[Effect]) -> Vec<Vec<String>> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::LoadVerdictHistory { suites } => Some(suites.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn the_screen_asks_for_the_kept_verdicts_of_its_suites_once() {
    let mut app = suites_app(false);
    assert_eq!(app.screen, Screen::Executions);
    let effects = press(&mut app, "g s");
    assert_eq!(app.screen, Screen::Tests);
    let names: Vec<String> = app
        .tests
        .suites
        .iter()
        .map(|s| s.suite.name.clone())
        .collect();
    assert!(!names.is_empty());
    assert_eq!(history_asks(&effects), vec![names]);
    press(&mut app, "g e");
    assert!(history_asks(&press(&mut app, "g s")).is_empty());
}

#[test]
fn a_kept_history_marks_a_step_flaky_and_other_steps_verdicts_stay_theirs() {
    let mut app = tests_app(false);
    let mut verdicts: Vec<VerdictRecord> = (0..10).map(|i| kept(0, 2, i != 4, 60 - i)).collect();
    // Another step's, and a verdict of a step since changed (another label): not step 2's.
    verdicts.push(kept(0, 1, true, 5));
    let mut changed = kept(0, 2, false, 3);
    changed.label = "2_sunglass_face as user_z".into();
    verdicts.push(changed);
    update(&mut app, Msg::VerdictHistory(Ok(verdicts)));
    let photos = &app.tests.suites[0];
    assert_eq!(
        photos.steps[2].flaky().as_deref(),
        Some("passed 9 of the last 10")
    );
    assert_eq!(photos.steps[1].history, [true]);
    assert_eq!(photos.steps[1].flaky(), None);
    assert!(photos.steps[3].history.is_empty());
}

#[test]
fn verdicts_that_landed_before_the_answer_come_after_the_kept_ones_once() {
    let mut app = tests_app(false);
    // A run of the photos suite with 2_sunglass_face answered wrong, before the store answers.
    let effects = press(&mut app, "a");
    answer_all(&mut app, effects, Some("2_sunglass_face"));
    assert_eq!(app.tests.suites[0].steps[2].history, [false]);
    // The store answers with nine passes of that step, and the verdict just recorded (its
    // write went first): it is this console's own, already counted.
    let mut verdicts: Vec<VerdictRecord> = (0..9).map(|i| kept(0, 2, true, 30 - i)).collect();
    let mut own = kept(0, 2, false, 0);
    own.finished_at = app.now;
    verdicts.push(own);
    update(&mut app, Msg::VerdictHistory(Ok(verdicts)));
    let step = &app.tests.suites[0].steps[2];
    assert_eq!(step.history.len(), 10);
    assert_eq!(step.history.back(), Some(&false));
    assert_eq!(step.flaky().as_deref(), Some("passed 9 of the last 10"));
}

#[test]
fn a_history_that_cannot_be_read_says_so_and_keeps_the_screen() {
    let mut app = tests_app(false);
    update(
        &mut app,
        Msg::VerdictHistory(Err(BackendError::Other("the store: disk I/O error".into()))),
    );
    assert!(notice(&app).contains("disk I/O error"), "{}", notice(&app));
    assert!(app.tests.suites[0].steps[0].history.is_empty());
}

#[test]
fn each_finished_step_goes_out_to_be_kept() {
    let mut app = tests_app(false);
    let effects = press(&mut app, "a");
    let (generation, suite, clear) = suite_steps(&effects)[0].clone();
    let effects = update(
        &mut app,
        Msg::SuiteAnswer {
            generation,
            suite,
            step: clear.step(),
            answer: answer_for(&clear, None),
        },
    );
    let records: Vec<&VerdictRecord> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::RecordVerdict(record) => Some(record),
            _ => None,
        })
        .collect();
    assert_eq!(records.len(), 1, "{effects:?}");
    assert_eq!(records[0].suite, "photos");
    assert_eq!(records[0].step, 0);
    assert_eq!(records[0].label, builtin_suites()[0].steps[0].describe());
    assert!(records[0].passed);
    assert_eq!(records[0].finished_at, app.now);
    assert!(!Effect::RecordVerdict(records[0].clone()).is_mutating());

    // A run answered wrong is kept failed, with its difference and its execution.
    let run = suite_steps(&effects)
        .into_iter()
        .find(|r| r.2.step() == 2)
        .unwrap();
    let effects = update(
        &mut app,
        Msg::SuiteAnswer {
            generation,
            suite,
            step: 2,
            answer: answer_for(&run.2, Some("2_sunglass_face")),
        },
    );
    let failed = effects
        .iter()
        .find_map(|e| match e {
            Effect::RecordVerdict(record) if record.step == 2 => Some(record),
            _ => None,
        })
        .expect("the failed verdict is kept");
    assert!(!failed.passed);
    assert!(failed.detail.contains("accepted"), "{}", failed.detail);
    assert_eq!(
        failed.execution_arn.as_deref(),
        Some(exec_arn("test-2_sunglass_face").as_str())
    );
}
