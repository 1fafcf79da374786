//! The tests screen: `g s` / `:tests`, `a` runs the suite under the cursor through the same
//! walk as `stepdeck test` (each step an effect, its answer judged), a failed verdict shows its
//! difference, recent verdicts that disagree mark a step flaky, `Enter` opens a step's
//! execution, and read-only mode refuses to run and says why.

use crate::app_support::*;
use crate::suites_support::*;
use stepdeck::app::effect::Effect;
use stepdeck::app::msg::Msg;
use stepdeck::app::screen::Screen;
use stepdeck::app::update::update;
use stepdeck::domain::suites::runner::Request;
use stepdeck::domain::suites::verdict::Verdict;
use stepdeck::keymap::Context;

#[test]
fn g_s_and_the_tests_command_show_the_suites() {
    let mut app = new_app();
    press(&mut app, "g s");
    assert_eq!(app.screen, Screen::Tests);
    assert_eq!(app.context(), Context::Tests);
    press(&mut app, "g e");
    assert_eq!(app.screen, Screen::Executions);
    press(&mut app, ":");
    type_text(&mut app, "tests");
    press(&mut app, "Enter");
    assert_eq!(app.screen, Screen::Tests);
}

#[test]
fn a_runs_the_duplicates_suite_in_order_and_a_wrong_answer_shows_the_difference() {
    let mut app = tests_app(false);
    // The duplicates suite is the second: its header row follows the photos suite's 5 steps.
    press(&mut app, "j j j j j j");
    assert_eq!(app.tests.current_suite(), Some(1));
    let effects = press(&mut app, "a");
    let steps = suite_steps(&effects);
    assert_eq!(steps.len(), 1, "one step at a time: {effects:?}");
    assert_eq!(
        steps[0].2,
        Request::ClearFaces {
            step: 0,
            bucket: PHOTOS.into(),
            key: "1_happy_face.jpg".into()
        }
    );
    // The clear names the journal the deletion is recorded in.
    let Effect::SuiteStep { target, .. } = &effects[0] else {
        panic!("{effects:?}")
    };
    assert_eq!(
        target.journal_path.as_deref(),
        Some(std::path::Path::new("/tmp/stepdeck-flows-journal.jsonl"))
    );
    assert_eq!(target.state_machine.as_deref(), Some(SM_ARN));
    assert!(app.tests.suites[1].running());
    // A second `a` while it runs starts nothing.
    assert!(suite_steps(&press(&mut app, "a")).is_empty());

    // The run as user_b is answered "accepted" where a duplicate was expected.
    let (generation, suite, request) = steps[0].clone();
    let mut out = suite_steps(&update(
        &mut app,
        Msg::SuiteAnswer {
            generation,
            suite,
            step: request.step(),
            answer: answer_for(&request, None),
        },
    ));
    let mut seen = Vec::new();
    while let Some((generation, suite, request)) = out.pop() {
        let answer = match seen.len() {
            0 => accepted("1_happy_face"),
            1 | 2 if seen.len() == 2 => accepted("1_happy_face"),
            1 | 2 => rejected(
                "1_happy_face",
                "Face in the picture is already in the system.",
            ),
            _ => answer_for(&request, None),
        };
        seen.push(request.clone());
        out.extend(suite_steps(&update(
            &mut app,
            Msg::SuiteAnswer {
                generation,
                suite,
                step: request.step(),
                answer,
            },
        )));
    }
    assert_eq!(seen.len(), 5, "{seen:#?}");
    let duplicates = &app.tests.suites[1];
    assert!(!duplicates.running());
    let verdict = duplicates.steps[3].last.as_ref().unwrap().verdict.clone();
    assert_eq!(
        verdict,
        Verdict::Failed("expected \"rejected: already in the system\", got \"accepted\"".into())
    );
    assert_eq!(
        notice(&app),
        "suite duplicates: 5 of 6 passed; 1_happy_face as user_b: expected \"rejected: already \
         in the system\", got \"accepted\""
    );
}

#[test]
fn the_photos_suite_runs_its_cases_at_once_within_the_bound() {
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
    // Four independent runs, three at a time.
    let runs = suite_steps(&effects);
    let steps: Vec<usize> = runs.iter().map(|r| r.2.step()).collect();
    assert_eq!(steps, [1, 2, 3]);
    let more = update(
        &mut app,
        Msg::SuiteAnswer {
            generation,
            suite,
            step: 2,
            answer: answer_for(&runs[1].2, None),
        },
    );
    let steps: Vec<usize> = suite_steps(&more).iter().map(|r| r.2.step()).collect();
    assert_eq!(steps, [4]);
    // An answer of an earlier run (another generation) is not this run's.
    update(
        &mut app,
        Msg::SuiteAnswer {
            generation: generation + 100,
            suite,
            step: 1,
            answer: answer_for(&runs[0].2, None),
        },
    );
    assert!(app.tests.suites[0].steps[1].last.is_none());
}

#[test]
fn verdicts_that_disagree_mark_a_step_flaky_and_enter_opens_its_execution() {
    let mut app = tests_app(false);
    for wrong in [None, Some("2_sunglass_face"), None] {
        let effects = press(&mut app, "a");
        answer_all(&mut app, effects, wrong);
    }
    let photos = &app.tests.suites[0];
    assert_eq!(
        photos.steps[2].flaky().as_deref(),
        Some("passed 2 of the last 3")
    );
    assert_eq!(photos.steps[1].flaky(), None);
    assert_eq!(notice(&app), "suite photos: all 5 steps passed");

    // Rows: the suite, its clear step, 1_happy_face, 2_sunglass_face.
    press(&mut app, "j j j");
    let effects = press(&mut app, "Enter");
    assert_eq!(app.screen, Screen::Executions);
    let open = app
        .execution
        .as_ref()
        .expect("the step's execution is open");
    assert_eq!(open.arn, exec_arn("test-2_sunglass_face"));
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::LoadHistory { .. })),
        "{effects:?}"
    );
}

#[test]
fn read_only_mode_refuses_to_run_a_suite_and_says_why() {
    let mut app = tests_app(true);
    let effects = press(&mut app, "a");
    assert!(suite_steps(&effects).is_empty());
    assert!(!app.tests.suites[0].running());
    let said = notice(&app);
    assert!(
        said.starts_with("read-only: suites are not run: they start executions and delete faces"),
        "{said}"
    );
}
