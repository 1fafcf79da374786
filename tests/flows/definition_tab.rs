//! The Definition tab and the details pane's reach: the definition is read once per open
//! execution (on the tab, or when the details pane first shows), a refused or failed read says
//! so and `ctrl-r` asks again, `Enter` on a state opens its details on the Timeline tab, `z`
//! folds only what folds, and the details pane scrolls and copies the Lambda log group.

use crate::app_support;
use crate::runs_support::select_row;

use app_support::*;
use stepdeck::app::App;
use stepdeck::app::effect::Effect;
use stepdeck::app::msg::Msg;
use stepdeck::app::screens::execution::Tab;
use stepdeck::app::update::update;
use stepdeck::backend::BackendError;

/// run-01-happy opened on `history`, its Timeline tab showing.
fn opened(history: &str) -> App {
    let mut app = seed_app();
    update(&mut app, Msg::Resize(120, 32));
    select_row(&mut app, "run-01-happy");
    let summary = app.executions.selected().unwrap().clone();
    open_with(&mut app, detail_of(&summary, None, None), fixture(history));
    app
}

fn definition_reads(effects: &[Effect]) -> usize {
    effects
        .iter()
        .filter(|e| matches!(e, Effect::LoadDefinition { .. }))
        .count()
}

fn tab(app: &App) -> Tab {
    app.execution.as_ref().unwrap().tab
}

/// Answers the definition read `generation` with the pipeline's definition.
fn answer_with_pipeline(app: &mut App, generation: stepdeck::app::msg::Generation) {
    let text = definition_fixture("wildrydes.asl.json");
    update(
        app,
        Msg::Definition {
            generation,
            result: Ok(execution_definition(&text)),
        },
    );
}

/// The state under the Definition tab's cursor.
fn at_cursor(app: &App) -> String {
    let view = app.execution.as_ref().unwrap();
    let loaded = view.definition.loaded.as_ref().unwrap();
    loaded.layout.boxes[view.definition.cursor].name.clone()
}

/// How many boxes the graph draws.
fn boxes(app: &App) -> usize {
    let view = app.execution.as_ref().unwrap();
    view.definition.loaded.as_ref().unwrap().layout.boxes.len()
}

#[test]
fn the_definition_is_read_once_per_open_execution() {
    let mut app = opened("happy_path.json");
    // Not before it is needed.
    assert_eq!(tab(&app), Tab::Timeline);
    let effects = press(&mut app, "BackTab");
    assert_eq!(tab(&app), Tab::Definition);
    let generation = match effects.as_slice() {
        [
            Effect::LoadDefinition {
                generation,
                execution_arn,
            },
        ] => {
            assert_eq!(execution_arn, &exec_arn("run-01-happy"));
            *generation
        }
        other => panic!("{other:#?}"),
    };
    // In flight: leaving and coming back asks nothing more.
    assert_eq!(definition_reads(&press(&mut app, "Tab BackTab")), 0);
    answer_with_pipeline(&mut app, generation);
    // Read: the tab, the details pane and refresh keys never ask again.
    assert_eq!(definition_reads(&press(&mut app, "Tab BackTab ctrl-r")), 0);
    press(&mut app, "Tab");
    assert_eq!(tab(&app), Tab::Timeline);
    assert_eq!(definition_reads(&press(&mut app, "Enter")), 0);
    // A stale answer (an earlier generation) changes nothing.
    update(
        &mut app,
        Msg::Definition {
            generation: 0,
            result: Err(BackendError::Other("late".into())),
        },
    );
    assert!(app.execution.as_ref().unwrap().definition.loaded.is_some());
}

#[test]
fn the_details_pane_asks_for_the_definition_and_shows_the_state_s_own() {
    let mut app = opened("happy_path.json");
    let effects = press(&mut app, "j j Enter");
    let generation = effects
        .iter()
        .find_map(|e| match e {
            Effect::LoadDefinition { generation, .. } => Some(*generation),
            _ => None,
        })
        .expect("the pane asks for the definition");
    answer_with_pipeline(&mut app, generation);
    let view = app.execution.as_ref().unwrap();
    assert_eq!(view.selected_span().unwrap().name, "CheckFaceDuplicate");
    let snippet = view.definition.snippet("CheckFaceDuplicate").unwrap();
    assert!(snippet.contains("FaceAlreadyExistsError"), "{snippet}");
    // Scrolled far enough, the pane reaches the definition's lines.
    let mut text = screen(&app, 120, 32);
    for _ in 0..12 {
        if text.contains("FaceAlreadyExistsError") {
            break;
        }
        press(&mut app, "}");
        text = screen(&app, 120, 32);
    }
    assert!(text.contains("definition"), "{text}");
    assert!(text.contains("FaceAlreadyExistsError"), "{text}");
    // `{` goes back up; moving the selection starts the next state's pane at its top.
    let scrolled = app.execution.as_ref().unwrap().timeline.details_scroll;
    assert!(scrolled > 0);
    press(&mut app, "{");
    assert!(app.execution.as_ref().unwrap().timeline.details_scroll < scrolled);
    press(&mut app, "j");
    assert_eq!(app.execution.as_ref().unwrap().timeline.details_scroll, 0);
}

#[test]
fn enter_on_a_state_opens_its_details_on_the_timeline() {
    let mut app = opened("failed_in_branch.json");
    open_definition(&mut app, &definition_fixture("wildrydes.asl.json"));
    // The cursor starts on the timeline's selected state (a failed run opens on its failure).
    let selected = app
        .execution
        .as_ref()
        .unwrap()
        .selected_span()
        .unwrap()
        .name
        .clone();
    assert_eq!(at_cursor(&app), selected);
    // From the top: down to the Parallel, into its first branch, right to the second.
    press(&mut app, "g g j j j j l");
    assert_eq!(at_cursor(&app), "Thumbnail");
    press(&mut app, "Enter");
    let view = app.execution.as_ref().unwrap();
    assert_eq!(view.tab, Tab::Timeline);
    assert!(view.timeline.details);
    assert_eq!(view.selected_span().unwrap().name, "Thumbnail");
    let text = screen(&app, 120, 32);
    assert!(text.contains("Thumbnail  FAILED"), "{text}");
}

#[test]
fn a_state_never_entered_says_so_and_only_containers_fold() {
    let mut app = opened("happy_path.json");
    open_definition(&mut app, &definition_fixture("wildrydes.asl.json"));
    press(&mut app, "G");
    assert_eq!(at_cursor(&app), "PersistMetadata");
    // Up from the last row lands on the rejection path beside the Parallel.
    press(&mut app, "k l");
    assert_eq!(at_cursor(&app), "PhotoDoesNotMeetRequirement");
    press(&mut app, "Enter");
    assert_eq!(tab(&app), Tab::Definition, "nothing to open");
    assert_eq!(
        notice(&app),
        "PhotoDoesNotMeetRequirement was not entered in this execution"
    );
    press(&mut app, "z");
    assert_eq!(notice(&app), "only a Parallel or a Map folds");
    // The Parallel folds and unfolds, the cursor staying on it.
    press(&mut app, "h");
    let before = boxes(&app);
    press(&mut app, "z");
    assert_eq!(boxes(&app), before - 2);
    assert_eq!(at_cursor(&app), "ParallelProcessing");
    press(&mut app, "z");
    assert_eq!(boxes(&app), before);
}

#[test]
fn a_refused_or_failed_read_says_so_and_ctrl_r_asks_again() {
    let mut app = opened("happy_path.json");
    let effects = press(&mut app, "BackTab");
    let [Effect::LoadDefinition { generation, .. }] = effects.as_slice() else {
        panic!("{effects:#?}");
    };
    update(
        &mut app,
        Msg::Definition {
            generation: *generation,
            result: Err(BackendError::AccessDenied {
                action: "states:DescribeStateMachineForExecution".into(),
                message: "not authorized".into(),
            }),
        },
    );
    let text = screen(&app, 120, 32);
    assert!(
        text.contains("missing permission states:DescribeStateMachineForExecution"),
        "{text}"
    );
    // Refused: not asked again by itself, even when the tab is left and shown again.
    assert_eq!(definition_reads(&press(&mut app, "Tab BackTab")), 0);
    // `ctrl-r` refreshes the execution and asks for the definition again.
    let effects = press(&mut app, "ctrl-r");
    assert_eq!(definition_reads(&effects), 1, "{effects:#?}");
    let Some(generation) = effects.iter().find_map(|e| match e {
        Effect::LoadDefinition { generation, .. } => Some(generation),
        _ => None,
    }) else {
        unreachable!()
    };
    update(
        &mut app,
        Msg::Definition {
            generation: *generation,
            result: Err(BackendError::Other("connection reset".into())),
        },
    );
    let text = screen(&app, 120, 32);
    assert!(
        text.contains("reading the definition failed: connection reset · ctrl-r asks again"),
        "{text}"
    );
    assert_eq!(definition_reads(&press(&mut app, "ctrl-r")), 1);
}

#[test]
fn c_copies_the_lambda_log_group_of_the_selected_task() {
    let mut app = opened("retry_absorbed.json");
    press(&mut app, "j Enter");
    let effects = press(&mut app, "c");
    assert!(
        effects.iter().any(|e| matches!(e,
            Effect::CopyToClipboard(text)
                if text == "/aws/lambda/wildrydes-step-module-resources-FaceDetectionFunction-A1B2C3D4E5F6")),
        "{effects:#?}"
    );
    // A state that called no Lambda has no log group to copy, and says so.
    press(&mut app, "k");
    let effects = press(&mut app, "c");
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::CopyToClipboard(_))),
        "{effects:#?}"
    );
    assert!(!notice(&app).is_empty());
}

#[test]
fn a_state_still_retrying_shows_its_last_error_as_such() {
    // FaceDetection's first attempt failed and the second is running (the history so far).
    let mut app = seed_app();
    update(&mut app, Msg::Resize(120, 32));
    select_row(&mut app, "run-01-happy");
    let summary = app.executions.selected().unwrap().clone();
    let mut events = fixture("retry_absorbed.json");
    events.retain(|e| e.id <= 9);
    open_with(&mut app, detail_of(&summary, None, None), events);
    press(&mut app, "j Enter");
    let text = screen(&app, 120, 32);
    assert!(text.contains("FaceDetection  RUNNING"), "{text}");
    assert!(text.contains("last err Lambda.ServiceException"), "{text}");
    assert!(!text.contains("error    Lambda.ServiceException"), "{text}");
}
