//! Shared helpers for the app flow tests, the view snapshots and the render bench: a fixed
//! clock, hand-made executions, a loaded app, key presses and buffer capture.
#![allow(dead_code)]

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use stepdeck::app::effect::Effect;
use stepdeck::app::msg::{Generation, Msg};
use stepdeck::app::{App, AppOptions, update::update};
use stepdeck::backend::{BackendError, BackendInfo, Page};
use stepdeck::domain::Millis;
use stepdeck::domain::execution::{
    ExecutionDefinition, ExecutionDetail, ExecutionStatus, ExecutionSummary, Outcome,
    StateMachineKind, StateMachineSummary,
};
use stepdeck::domain::history::HistoryEvent;
use stepdeck::domain::history_json::parse_history;
use stepdeck::keymap::Keymap;

/// 2025-11-25T10:06:00Z: after every fixture history started.
pub const NOW: Millis = 1_764_064_800_000 + 360_000;
pub const SM_ARN: &str = "arn:aws:states:us-east-1:123456789012:stateMachine:RiderPhotoProcessing";

pub fn fixture(name: &str) -> Vec<HistoryEvent> {
    let path = format!(
        "{}/tests/fixtures/histories/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    parse_history(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// A definition from `tests/fixtures/definitions/`.
pub fn definition_fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/definitions/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap()
}

/// The definition an execution ran, as `DescribeStateMachineForExecution` answers it.
pub fn execution_definition(text: &str) -> ExecutionDefinition {
    ExecutionDefinition {
        state_machine_arn: SM_ARN.to_string(),
        name: "RiderPhotoProcessing".to_string(),
        definition: text.to_string(),
        revision_id: Some("7f3c2a91".to_string()),
        updated: Some(NOW - 86_400_000),
    }
}

/// Switches the open execution to its Definition tab (`BackTab` from the Timeline) and
/// answers the one read it asks for with `text`.
pub fn open_definition(app: &mut App, text: &str) {
    let effects = press(app, "BackTab");
    let generation = match effects.as_slice() {
        [Effect::LoadDefinition { generation, .. }] => *generation,
        other => panic!("expected one LoadDefinition: {other:#?}"),
    };
    update(
        app,
        Msg::Definition {
            generation,
            result: Ok(execution_definition(text)),
        },
    );
}

pub fn exec_arn(name: &str) -> String {
    format!("arn:aws:states:us-east-1:123456789012:execution:RiderPhotoProcessing:{name}")
}

pub fn execution(
    name: &str,
    status: ExecutionStatus,
    start: Millis,
    took: Option<Millis>,
) -> ExecutionSummary {
    ExecutionSummary {
        arn: exec_arn(name),
        name: name.to_string(),
        state_machine_arn: SM_ARN.to_string(),
        status,
        start,
        stop: took.map(|t| start + t),
        input_label: Some(format!("{name}.jpg (user_a)")),
        outcome: None,
    }
}

/// The seed's four runs plus a running and a failed one, newest first (as the API lists).
pub fn seed_rows() -> Vec<ExecutionSummary> {
    let t0 = 1_764_064_800_000;
    let mut rows = vec![
        execution(
            "run-06-running",
            ExecutionStatus::Running,
            t0 + 300_000,
            None,
        ),
        execution(
            "run-05-failed",
            ExecutionStatus::Failed,
            t0 + 240_000,
            Some(3_100),
        ),
        execution(
            "run-04-no-face",
            ExecutionStatus::Succeeded,
            t0 + 180_000,
            Some(1_900),
        ),
        execution(
            "run-03-multiple",
            ExecutionStatus::Succeeded,
            t0 + 120_000,
            Some(2_050),
        ),
        execution(
            "run-02-sunglass",
            ExecutionStatus::Succeeded,
            t0 + 60_000,
            Some(2_400),
        ),
        execution("run-01-happy", ExecutionStatus::Succeeded, t0, Some(4_230)),
    ];
    rows[1].outcome = Some(Outcome::Error {
        error: "States.TaskFailed".into(),
        cause: r#"{"errorMessage":"rekognition unavailable"}"#.into(),
    });
    for (i, msg) in [
        (2, "No face detected"),
        (3, "Detected 3 faces in the photo."),
        (4, "Face is wearing sunglasses"),
    ] {
        rows[i].outcome = Some(Outcome::Rejected {
            state: "FaceDetection".into(),
            error: "PhotoDoesNotMeetRequirementError".into(),
            message: msg.into(),
        });
    }
    rows[5].outcome = Some(Outcome::Completed);
    rows
}

pub fn state_machine(name: &str) -> StateMachineSummary {
    StateMachineSummary {
        arn: format!("arn:aws:states:us-east-1:123456789012:stateMachine:{name}"),
        name: name.to_string(),
        kind: StateMachineKind::Standard,
        created: 1_700_000_000_000,
    }
}

pub fn new_app() -> App {
    let mut app = App::new(AppOptions::default(), Keymap::defaults(), NOW);
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
    app
}

/// The generation and append flag of the single LoadExecutions effect in `effects`.
pub fn list_request(effects: &[Effect]) -> (Generation, bool) {
    let found: Vec<_> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::LoadExecutions {
                generation, append, ..
            } => Some((*generation, *append)),
            _ => None,
        })
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected one LoadExecutions in {effects:#?}"
    );
    found[0]
}

/// Answers the single LoadExecutions in `effects` with `result`; returns the new effects.
pub fn answer_listing(
    app: &mut App,
    effects: &[Effect],
    result: Result<Page<ExecutionSummary>, BackendError>,
) -> Vec<Effect> {
    let (generation, append) = list_request(effects);
    update(
        app,
        Msg::Executions {
            generation,
            append,
            result,
        },
    )
}

/// An app with state machines listed and `rows` loaded as the first page.
pub fn app_with(machines: &[&str], rows: Vec<ExecutionSummary>, next_token: Option<&str>) -> App {
    let mut app = new_app();
    let effects = update(
        &mut app,
        Msg::StateMachines(Ok(machines.iter().map(|n| state_machine(n)).collect())),
    );
    let page = Page {
        items: rows,
        next_token: next_token.map(str::to_string),
    };
    answer_listing(&mut app, &effects, Ok(page));
    app
}

pub fn seed_app() -> App {
    app_with(&["RiderPhotoProcessing"], seed_rows(), None)
}

pub fn key_event(text: &str) -> KeyEvent {
    let key: stepdeck::keymap::Key = text.parse().unwrap();
    let mut modifiers = KeyModifiers::NONE;
    if key.ctrl {
        modifiers |= KeyModifiers::CONTROL;
    }
    if key.alt {
        modifiers |= KeyModifiers::ALT;
    }
    if let KeyCode::Char(c) = key.code
        && c.is_ascii_uppercase()
    {
        modifiers |= KeyModifiers::SHIFT;
    }
    KeyEvent::new(key.code, modifiers)
}

/// Presses keys written as in the keymap, separated by spaces (`"g g"`, `"ctrl-c"`); returns
/// the effects of all of them.
pub fn press(app: &mut App, keys: &str) -> Vec<Effect> {
    keys.split_whitespace()
        .flat_map(|k| update(app, Msg::Key(key_event(k))))
        .collect()
}

/// Types text into an input (every character as a key press, spaces included).
pub fn type_text(app: &mut App, text: &str) -> Vec<Effect> {
    text.chars()
        .flat_map(|c| {
            update(
                app,
                Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
            )
        })
        .collect()
}

pub struct Opened {
    pub detail_generation: Generation,
    pub history_generation: Generation,
}

/// The generations of the LoadExecution and LoadHistory effects of opening an execution.
pub fn opened(effects: &[Effect]) -> Opened {
    let detail_generation = effects
        .iter()
        .find_map(|e| match e {
            Effect::LoadExecution { generation, .. } => Some(*generation),
            _ => None,
        })
        .expect("LoadExecution");
    let history_generation = effects
        .iter()
        .find_map(|e| match e {
            Effect::LoadHistory { generation, .. } => Some(*generation),
            _ => None,
        })
        .expect("LoadHistory");
    Opened {
        detail_generation,
        history_generation,
    }
}

pub fn detail_of(
    summary: &ExecutionSummary,
    input: Option<&str>,
    output: Option<&str>,
) -> ExecutionDetail {
    ExecutionDetail {
        summary: summary.clone(),
        input: input.map(str::to_string),
        output: output.map(str::to_string),
        error: None,
        cause: None,
        redrive_count: 0,
    }
}

/// Opens the row under the cursor and answers with `detail` and `events`.
pub fn open_with(app: &mut App, detail: ExecutionDetail, events: Vec<HistoryEvent>) {
    let effects = press(app, "Enter");
    let o = opened(&effects);
    update(
        app,
        Msg::Execution {
            generation: o.detail_generation,
            result: Ok(detail),
        },
    );
    update(
        app,
        Msg::History {
            generation: o.history_generation,
            include_data: false,
            result: Ok(events),
        },
    );
}

/// The text of the notice under the view (empty without one).
pub fn notice(app: &App) -> String {
    app.notice
        .as_ref()
        .map(|n| n.text.clone())
        .unwrap_or_default()
}

/// Draws the app on a `width`×`height` test terminal.
pub fn draw(app: &App, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|f| stepdeck::app::frame::render(app, f))
        .unwrap();
    terminal
}

/// The screen as text (no styles), for snapshots.
pub fn screen(app: &App, width: u16, height: u16) -> String {
    draw(app, width, height).backend().to_string()
}
