//! The tests screen with the built-in suites, and answers to its steps as the runtime would
//! give them, for the flow tests and the snapshots.
#![allow(dead_code)]

use crate::app_support::*;
use stepdeck::app::App;
use stepdeck::app::effect::Effect;
use stepdeck::app::msg::Msg;
use stepdeck::app::screen::Screen;
use stepdeck::app::update::update;
use stepdeck::app::{AppOptions, msg::Generation};
use stepdeck::backend::BackendInfo;
use stepdeck::domain::execution::{ExecutionStatus, Outcome};
use stepdeck::domain::suites::builtin::builtin_suites;
use stepdeck::domain::suites::runner::{Answer, Request};
use stepdeck::domain::suites::verdict::Observed;
use stepdeck::domain::test_case::seed_test_cases;
use stepdeck::keymap::Keymap;

pub const PHOTOS: &str = "photos-bucket";

/// The console on the tests screen, the built-in suites listed, the cursor on `photos`.
pub fn tests_app(read_only: bool) -> App {
    let mut app = suites_app(read_only);
    app.switch_screen(Screen::Tests);
    app
}

/// The console with the built-in suites, still on the executions screen.
pub fn suites_app(read_only: bool) -> App {
    let options = AppOptions {
        suites: builtin_suites(),
        test_cases: seed_test_cases(PHOTOS),
        journal_path: Some("/tmp/stepdeck-flows-journal.jsonl".into()),
        read_only,
        ..AppOptions::default()
    };
    let mut app = App::new(options, Keymap::defaults(), NOW);
    update(&mut app, Msg::Resize(120, 32));
    update(
        &mut app,
        Msg::BackendInfo(BackendInfo {
            kind: "local sandbox".into(),
            identity: "sandbox".into(),
            region: "us-east-1".into(),
            endpoint: None,
        }),
    );
    update(
        &mut app,
        Msg::StateMachines(Ok(vec![state_machine("RiderPhotoProcessing")])),
    );
    app
}

/// The suite steps among `effects`: (generation, suite, request).
pub fn suite_steps(effects: &[Effect]) -> Vec<(Generation, usize, Request)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::SuiteStep {
                generation,
                suite,
                request,
                ..
            } => Some((*generation, *suite, request.clone())),
            _ => None,
        })
        .collect()
}

/// An execution of `case` that ended with `outcome`, entering `entered`.
pub fn ran(case: &str, outcome: Outcome, entered: &[&str], output: Option<&str>) -> Answer {
    Answer::Ran(Observed {
        execution_arn: exec_arn(&format!("test-{case}")),
        status: ExecutionStatus::Succeeded,
        outcome: Some(outcome),
        output: output.map(str::to_string),
        entered: entered.iter().map(|s| s.to_string()).collect(),
        start: NOW - 4_000,
        stop: Some(NOW - 1_000),
    })
}

pub fn accepted(case: &str) -> Answer {
    ran(
        case,
        Outcome::Completed,
        &["ParallelProcessing", "AddFaceToIndex", "Thumbnail"],
        Some(
            r#"{"parallelResult":[{"FaceId":"f-1"},{"thumbnail":{"s3key":"resized-1_happy_face.jpg"}}]}"#,
        ),
    )
}

pub fn rejected(case: &str, message: &str) -> Answer {
    ran(
        case,
        Outcome::Rejected {
            state: "FaceDetection".into(),
            error: "PhotoDoesNotMeetRequirementError".into(),
            message: message.into(),
        },
        &["PhotoDoesNotMeetRequirement"],
        None,
    )
}

/// What the sandbox answers each built-in step (`wrong`: the one case answered accepted).
pub fn answer_for(request: &Request, wrong: Option<&str>) -> Answer {
    answer_in(request, wrong, &mut false)
}

/// As the sandbox answers: `1_happy_face` is accepted while its face is not `indexed`, and
/// indexes it; rejected as a duplicate while it is; a clear forgets it.
pub fn answer_in(request: &Request, wrong: Option<&str>, indexed: &mut bool) -> Answer {
    match request {
        Request::ClearFaces { .. } => {
            let cleared = std::mem::take(indexed);
            Answer::Done(if cleared { "1 face deleted" } else { "no face" }.into())
        }
        Request::Run { case, input, .. } => {
            if wrong == Some(case.as_str()) {
                return accepted(case);
            }
            match case.as_str() {
                "1_happy_face" if *indexed => {
                    rejected(case, "Face in the picture is already in the system.")
                }
                "1_happy_face" => {
                    *indexed = true;
                    accepted(case)
                }
                "2_sunglass_face" => rejected(case, "Face is wearing sunglasses"),
                "3_multiple_faces" => rejected(case, "Detected 3 faces in the photo."),
                "4_no_face" => rejected(case, "Detected 0 faces in the photo."),
                _ => panic!("unexpected case {case} {input}"),
            }
        }
        other => panic!("unexpected request {other:?}"),
    }
}

/// Answers every step the suite asks, one at a time in the order asked, 1.5 s apart, until
/// none is out.
pub fn answer_all(app: &mut App, effects: Vec<Effect>, wrong: Option<&str>) {
    let mut out = suite_steps(&effects);
    let mut indexed = false;
    while let Some((generation, suite, request)) = out.first().cloned() {
        out.remove(0);
        let now = app.now + 1_500;
        update(app, Msg::Tick(now));
        let answer = answer_in(&request, wrong, &mut indexed);
        let more = update(
            app,
            Msg::SuiteAnswer {
                generation,
                suite,
                step: request.step(),
                answer,
            },
        );
        out.extend(suite_steps(&more));
    }
}
