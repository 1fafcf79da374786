//! Starting runs: test cases (`s`, `:run`), reruns with the same input (`r`), with another
//! rider's id (`u`, the duplicate-check question) or with an edited input (`e`, `$EDITOR`
//! or the inline editor), saving an edited input as a test case, and following a run this
//! console started. Pure: I/O (describe, editor, settings file, start) goes out as effects.

use super::state::{AwaitingInput, Intent};
use crate::app::effect::Effect;
use crate::app::msg::ExternalEdit;
use crate::app::msg::Generation;
use crate::app::overlays::editor::InputEditor;
use crate::app::overlays::{InputPurpose, Outcome, Overlay, TextInput};
use crate::app::{App, NoticeLevel};
use crate::backend::{BackendError, StartExecutionRequest};
use crate::domain::execution::{ExecutionDetail, ExecutionSummary, execution_arn_of};
use crate::domain::test_case::{
    Origin, RunDraft, TestCase, check_input_size, execution_name, next_user_id, pretty,
    suggested_name, unique_name, user_id, validate_input, with_user_id,
};
use crate::keymap::action::Action;

// --- Entry points from keys and commands ---

/// `s`: the test-case picker.
pub fn open_test_case_picker(app: &mut App) -> Vec<Effect> {
    if app.runs.test_cases.is_empty() {
        let hint = match &app.options.settings_path {
            _ if app.runs.builtins_await_photo_bucket => {
                "no test cases yet: the built-in ones need the photo bucket (none named \
                 …riderphotos3bucket… found so far): set photo_bucket in the settings"
                    .to_string()
            }
            Some(path) => format!(
                "no test cases: add [[test_cases]] (name, input) or photo_bucket to {}",
                path.display()
            ),
            None => "no test cases configured".to_string(),
        };
        app.notify(NoticeLevel::Info, hint);
    } else if app.state_machine().is_none() {
        app.notify(NoticeLevel::Info, "no state machine to start it on yet");
    } else {
        app.overlay = Some(Overlay::TestCases { cursor: 0 });
    }
    Vec::new()
}

/// A test case chosen in the picker (`s`): Enter starts it, `e` edits it first, `u` runs it
/// as another user.
pub fn on_test_case_chosen(app: &mut App, index: usize, action: Action) -> Vec<Effect> {
    let intent = match action {
        Action::EditAndRun => Intent::Edit,
        Action::RerunAsUser => Intent::AsOtherUser,
        _ => Intent::Same,
    };
    match app.runs.test_cases.get(index).cloned() {
        Some(case) => run_test_case(app, &case, intent),
        None => Vec::new(),
    }
}

/// `:run NAME`: the test case with that name (or the only one it begins).
pub fn run_test_case_named(app: &mut App, name: &str) -> Vec<Effect> {
    let cases = &app.runs.test_cases;
    let exact = cases.iter().find(|c| c.name == name);
    let lower = name.to_lowercase();
    let prefixed: Vec<&TestCase> = cases
        .iter()
        .filter(|c| c.name.to_lowercase().starts_with(&lower))
        .collect();
    let case = match (exact, prefixed.as_slice()) {
        (Some(case), _) => case.clone(),
        (None, [case]) => (*case).clone(),
        (None, []) => {
            app.notify(
                NoticeLevel::Error,
                format!("no test case named `{name}` (:run and Tab lists them)"),
            );
            return Vec::new();
        }
        (None, _) => {
            app.notify(
                NoticeLevel::Error,
                format!("`{name}` names several test cases; complete it with Tab"),
            );
            return Vec::new();
        }
    };
    run_test_case(app, &case, Intent::Same)
}

fn run_test_case(app: &mut App, case: &TestCase, intent: Intent) -> Vec<Effect> {
    let state_machine_arn = match &case.state_machine {
        Some(wanted) => app
            .executions
            .machines
            .all
            .iter()
            .find(|s| &s.name == wanted || &s.arn == wanted)
            .map(|s| s.arn.clone()),
        None => app.state_machine().map(|s| s.arn.clone()),
    };
    let Some(state_machine_arn) = state_machine_arn else {
        let wanted = case.state_machine.as_deref().unwrap_or("(selected)");
        app.notify(
            NoticeLevel::Error,
            format!("test case {}: state machine {wanted} not found", case.name),
        );
        return Vec::new();
    };
    let draft = RunDraft {
        state_machine_arn,
        origin: Origin::TestCase(case.name.clone()),
        input: case.input.clone(),
        note: None,
    };
    continue_with(app, draft, intent)
}

/// `r`, `u`, `e` on the open execution or the list row under the cursor.
pub fn rerun(app: &mut App, intent: Intent) -> Vec<Effect> {
    let (summary, known_input) = match &app.execution {
        Some(view) => (view.summary.clone(), view.input().map(str::to_string)),
        None => match app.executions.selected() {
            Some(row) => (row.clone(), None),
            None => {
                app.notify(NoticeLevel::Info, "no execution selected");
                return Vec::new();
            }
        },
    };
    let draft = RunDraft {
        state_machine_arn: summary.state_machine_arn.clone(),
        origin: Origin::Execution(summary.name.clone()),
        input: known_input.clone().unwrap_or_default(),
        note: None,
    };
    if known_input.is_some() {
        return continue_with(app, draft, intent);
    }
    // The list does not carry inputs: describe the execution first.
    let generation = app.next_generation();
    app.runs.awaiting_input = Some(AwaitingInput {
        generation,
        intent,
        execution_arn: summary.arn.clone(),
        draft,
    });
    read_input(app, &summary.name, summary.arn, generation)
}

/// Asks for an execution's input (the list does not carry it), saying so meanwhile; the
/// answer is `Msg::InputLoaded` with `generation`.
pub(crate) fn read_input(
    app: &mut App,
    name: &str,
    execution_arn: String,
    generation: crate::app::msg::Generation,
) -> Vec<Effect> {
    app.notify(NoticeLevel::Info, format!("reading the input of {name}…"));
    vec![Effect::LoadInput {
        generation,
        execution_arn,
    }]
}

// --- Answers from the runtime ---

pub fn on_input_loaded(
    app: &mut App,
    generation: Generation,
    result: Result<ExecutionDetail, BackendError>,
) -> Vec<Effect> {
    let Some(awaiting) = app
        .runs
        .awaiting_input
        .take_if(|a| a.generation == generation)
    else {
        return Vec::new(); // superseded by a later rerun request
    };
    let name = awaiting.draft.origin.name().to_string();
    match result {
        Ok(ExecutionDetail {
            input: Some(input), ..
        }) => {
            let draft = RunDraft {
                input,
                ..awaiting.draft
            };
            continue_with(app, draft, awaiting.intent)
        }
        Ok(_) => {
            app.notify(
                NoticeLevel::Error,
                format!("{name} has no recorded input: nothing to rerun"),
            );
            Vec::new()
        }
        Err(e) => {
            app.notify(
                NoticeLevel::Error,
                format!("cannot rerun {name}: reading its input failed: {e}"),
            );
            Vec::new()
        }
    }
}

pub fn on_edited_externally(app: &mut App, outcome: ExternalEdit) -> Vec<Effect> {
    let Some(draft) = app.runs.external_edit.take() else {
        return Vec::new();
    };
    let (text, note) = match outcome {
        ExternalEdit::Edited(text) => (text, None),
        ExternalEdit::NoEditor => (
            pretty(&draft.input),
            Some("no $VISUAL or $EDITOR set: editing here".to_string()),
        ),
        ExternalEdit::Failed(why) => (
            pretty(&draft.input),
            Some(format!("the editor failed ({why}): editing here")),
        ),
    };
    let mut editor = InputEditor::new(draft, text.trim_end(), note);
    editor.jump_to_problem();
    app.overlay = Some(Overlay::Editor(Box::new(editor)));
    Vec::new()
}

pub fn on_test_case_saved(app: &mut App, result: Result<(TestCase, String), String>) {
    match result {
        Ok((case, path)) => {
            app.notify(
                NoticeLevel::Info,
                format!("saved test case `{}` to {path}", case.name),
            );
            if !app.runs.test_cases.iter().any(|c| c.name == case.name) {
                app.runs.test_cases.push(case);
            }
        }
        Err(e) => app.notify(
            NoticeLevel::Error,
            format!("saving the test case failed: {e}"),
        ),
    }
}

/// A start answered: a run this console asked for is selected in the list and opened, so
/// that it is followed live; others only refresh the list. A start of ours whose answer was
/// lost (or whose name turned out taken) is reconciled, not reported as failed.
pub fn on_started(
    app: &mut App,
    request: StartExecutionRequest,
    result: Result<ExecutionSummary, BackendError>,
) -> Vec<Effect> {
    let name = request.name.clone().unwrap_or_default();
    let ours = app.runs.pending_starts.contains_key(&name);
    let summary = match result {
        Ok(summary) => summary,
        // Either the start went out and may have been carried out, or a start under this
        // name exists already (a resent start whose first try arrived after all): what is
        // true is read back from the execution the name implies.
        Err(e @ (BackendError::NoAnswer { .. } | BackendError::AlreadyExists(_))) if ours => {
            return reconcile_start(app, request, &e);
        }
        Err(e) => {
            forget_start(app, &name);
            app.notify(NoticeLevel::Error, format!("start failed: {e}"));
            return Vec::new();
        }
    };
    app.executions.refresh.sent_at = None;
    let Some(what) = app.runs.pending_starts.remove(&summary.name) else {
        app.notify(NoticeLevel::Info, format!("started {}", summary.name));
        return Vec::new();
    };
    app.runs.resent_starts.remove(&summary.name);
    app.notify(
        NoticeLevel::Info,
        format!("started {} ({what})", summary.name),
    );
    open_started(app, summary)
}

/// Reads back whether the start of `request` happened: the execution its name implies.
fn reconcile_start(
    app: &mut App,
    request: StartExecutionRequest,
    error: &BackendError,
) -> Vec<Effect> {
    let name = request.name.clone().unwrap_or_default();
    let Some(execution_arn) = execution_arn_of(&request.state_machine_arn, &name) else {
        forget_start(app, &name);
        app.notify(
            NoticeLevel::Error,
            format!(
                "{error}: look for {name} in the list before starting again (its ARN cannot \
                 be told from {})",
                request.state_machine_arn
            ),
        );
        return Vec::new();
    };
    app.notify(
        NoticeLevel::Info,
        format!("{error}: looking whether {name} was started…"),
    );
    vec![Effect::ReconcileStart {
        execution_arn,
        request,
    }]
}

/// The execution a start with a lost answer would have created, read back: it exists (the
/// start happened: followed as if answered), it does not (sent again once, under the same
/// name, so that it cannot start twice), or it cannot be told.
pub fn on_start_reconciled(
    app: &mut App,
    request: StartExecutionRequest,
    result: Result<ExecutionDetail, BackendError>,
) -> Vec<Effect> {
    let name = request.name.clone().unwrap_or_default();
    if !app.runs.pending_starts.contains_key(&name) {
        return Vec::new(); // forgotten meanwhile (a switch of profile or region)
    }
    match result {
        Ok(detail) if same_input(detail.input.as_deref(), &request.input) => {
            let what = app.runs.pending_starts.remove(&name).unwrap_or_default();
            app.runs.resent_starts.remove(&name);
            app.executions.refresh.sent_at = None;
            let effects = open_started(app, detail.summary);
            app.notify(
                NoticeLevel::Info,
                format!(
                    "the start's answer was lost; the execution exists: started {name} ({what})"
                ),
            );
            effects
        }
        Ok(_) => {
            forget_start(app, &name);
            app.notify(
                NoticeLevel::Error,
                format!("not started: an execution named {name} exists with another input"),
            );
            Vec::new()
        }
        Err(BackendError::NotFound { .. }) if app.runs.resent_starts.insert(name.clone()) => {
            app.notify(
                NoticeLevel::Info,
                format!(
                    "the start's answer was lost and {name} was not started: starting it \
                     again under the same name…"
                ),
            );
            vec![Effect::StartExecution(request)]
        }
        Err(BackendError::NotFound { .. }) => {
            forget_start(app, &name);
            app.notify(
                NoticeLevel::Error,
                format!("not started: {name} got no answer twice and does not exist"),
            );
            Vec::new()
        }
        Err(e) => {
            forget_start(app, &name);
            app.notify(
                NoticeLevel::Error,
                format!(
                    "the start of {name} got no answer and reading it back failed ({e}): look \
                     for it in the list before starting again"
                ),
            );
            Vec::new()
        }
    }
}

/// Whether the input an execution was started with is the one sent (as JSON: AWS may hand
/// back the same document spaced otherwise). Unknown counts as the same: the name alone,
/// unique to one key press, says it is ours.
fn same_input(found: Option<&str>, sent: &str) -> bool {
    let Some(found) = found else {
        return true;
    };
    match (
        serde_json::from_str::<serde_json::Value>(found),
        serde_json::from_str::<serde_json::Value>(sent),
    ) {
        (Ok(found), Ok(sent)) => found == sent,
        _ => found == sent,
    }
}

fn forget_start(app: &mut App, name: &str) {
    app.runs.pending_starts.remove(name);
    app.runs.resent_starts.remove(name);
}

/// A run this console started, selected in the list (at the top until a refresh lists it)
/// and opened.
fn open_started(app: &mut App, summary: ExecutionSummary) -> Vec<Effect> {
    let listed_here = app
        .state_machine()
        .is_some_and(|sm| sm.arn == summary.state_machine_arn);
    if listed_here {
        let page = app.page_rows();
        let executions = &mut app.executions;
        if !executions.list.rows.iter().any(|r| r.arn == summary.arn) {
            executions.list.rows.insert(0, summary.clone());
        }
        executions.list.cursor_key = Some(summary.arn.clone());
        executions.recompute(app.now);
        let cursor = executions.list.cursor;
        executions.list.set_cursor(cursor, page);
    }
    app.open_execution(summary)
}

// --- The user-id prompt and the inline editor ---

/// Enter in the user-id prompt: the draft with that `userId`, started.
pub fn submit_user_id(app: &mut App, typed: &str) -> Vec<Effect> {
    let Some(draft) = app.runs.user_prompt.take() else {
        return Vec::new();
    };
    let user = typed.trim();
    if user.is_empty() {
        app.notify(NoticeLevel::Info, "no user id given: nothing sent");
        return Vec::new();
    }
    match with_user_id(&draft.input, user) {
        Ok(input) => start(
            app,
            RunDraft {
                input,
                note: Some(format!("as {user}")),
                ..draft
            },
        ),
        Err(e) => {
            app.notify(NoticeLevel::Error, format!("{e}: nothing sent"));
            Vec::new()
        }
    }
}

/// What the inline editor's keys asked for: run the edited draft, save its input as a
/// test case, continue in `$EDITOR`, or nothing (closed).
pub fn on_editor_outcome(app: &mut App, outcome: Outcome) -> Vec<Effect> {
    match outcome {
        Outcome::Run(draft) => match check_input_size(&draft.input) {
            Ok(()) => start(app, draft),
            // Back in the editor with the edit, to shorten it, rather than losing it.
            Err(too_large) => {
                let text = format!("{too_large}: nothing sent");
                let editor = InputEditor::new(draft.clone(), &pretty(&draft.input), Some(text));
                app.overlay = Some(Overlay::Editor(Box::new(editor)));
                app.notify(NoticeLevel::Error, format!("{too_large}: nothing sent"));
                Vec::new()
            }
        },
        Outcome::SaveInput(input) => save_test_case(app, input),
        Outcome::EditExternally(draft) => begin_edit(app, draft),
        Outcome::Close => {
            app.notify(NoticeLevel::Info, "edit cancelled: nothing sent");
            Vec::new()
        }
        _ => Vec::new(),
    }
}

fn save_test_case(app: &mut App, input: String) -> Vec<Effect> {
    let Some(path) = app.options.settings_path.clone() else {
        app.notify(
            NoticeLevel::Error,
            "no settings file (no config directory and no --config): not saved",
        );
        return Vec::new();
    };
    let name = unique_name(&suggested_name(&input), &app.runs.test_cases);
    app.notify(NoticeLevel::Info, format!("saving test case `{name}`…"));
    vec![Effect::SaveTestCase {
        path,
        test_case: TestCase::new(name, input),
    }]
}

// --- The common path ---

fn continue_with(app: &mut App, draft: RunDraft, intent: Intent) -> Vec<Effect> {
    match intent {
        Intent::Same => start(app, draft),
        Intent::Edit => begin_edit(app, draft),
        Intent::AsOtherUser => {
            let suggestion = next_user_id(user_id(&draft.input).as_deref());
            app.runs.user_prompt = Some(draft);
            app.overlay = Some(Overlay::Input(TextInput {
                purpose: InputPurpose::RerunAsUser,
                text: suggestion,
                previous: String::new(),
            }));
            Vec::new()
        }
    }
}

fn begin_edit(app: &mut App, draft: RunDraft) -> Vec<Effect> {
    let text = pretty(&draft.input);
    app.runs.external_edit = Some(draft);
    vec![Effect::EditExternally { text }]
}

/// Validates the draft's input (JSON, within Step Functions' size limit) and asks for the
/// start under a name made once for this key press: a start sent again after a lost answer
/// carries the same name, so AWS cannot create a second execution for it.
fn start(app: &mut App, draft: RunDraft) -> Vec<Effect> {
    if let Err(problem) = validate_input(&draft.input) {
        app.notify(
            NoticeLevel::Error,
            format!("the input is not valid JSON ({problem}): nothing sent"),
        );
        return Vec::new();
    }
    if let Err(too_large) = check_input_size(&draft.input) {
        app.notify(NoticeLevel::Error, format!("{too_large}: nothing sent"));
        return Vec::new();
    }
    app.runs.started += 1;
    // A rerun is named after what it runs (photo and rider), not after the execution it
    // repeats: names of reruns of reruns stay short and say who the run is for.
    let what = match (&draft.origin, suggested_name(&draft.input)) {
        (Origin::Execution(_), photo_and_rider) if photo_and_rider != "input" => photo_and_rider,
        (origin, _) => origin.name().to_string(),
    };
    let name = execution_name(draft.origin.name_prefix(), &what, app.now, app.runs.started);
    let description = draft.describe();
    app.notify(
        NoticeLevel::Info,
        format!("starting {name} ({description})…"),
    );
    app.runs.pending_starts.insert(name.clone(), description);
    vec![Effect::StartExecution(StartExecutionRequest {
        state_machine_arn: draft.state_machine_arn,
        name: Some(name),
        input: draft.input,
    })]
}
