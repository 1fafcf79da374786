//! Key presses: resolved through the keymap in the current context into an `Action`, then
//! routed — to the overlay on top (whose `Outcome` goes back to whoever opened it), to a
//! global action, to a flow when the action crosses screens, else to the screen's own keys.
//! Unbound characters go to text inputs.

use crate::app::commands;
use crate::app::effect::Effect;
use crate::app::flows::control::{self, Control};
use crate::app::flows::runs;
use crate::app::flows::state::Intent;
use crate::app::flows::{dashboard as dashboard_flow, face_jump, target};
use crate::app::list::{MAX_FILTER_CHARS, bound_filter};
use crate::app::overlays::{self, ConfirmAction, InputPurpose, Outcome, Overlay, Palette};
use crate::app::safety;
use crate::app::screen::Screen;
use crate::app::screens::{dashboard, execution, executions, faces, tests, thumbnails};
use crate::app::{App, NoticeLevel, lend};
use crate::keymap::action::Action;
use crate::keymap::{Context, Key, Resolution};
use crossterm::event::KeyEvent;

pub(crate) fn on_key(app: &mut App, event: KeyEvent) -> Vec<Effect> {
    let key = Key::from(event);
    let context = app.context();
    match app.keymap.resolve(context, &app.pending_keys, key) {
        Resolution::Pending => {
            app.pending_keys.push(key);
            Vec::new()
        }
        Resolution::Action(action) => {
            app.pending_keys.clear();
            perform(app, context, action)
        }
        Resolution::Unbound if !app.pending_keys.is_empty() => {
            // `g x`: the sequence failed; read `x` on its own.
            app.pending_keys.clear();
            on_key(app, event)
        }
        Resolution::Unbound => match key.typed_char() {
            Some(c) => type_char(app, c),
            None => Vec::new(),
        },
    }
}

/// Performs an action resolved in `context`.
pub fn perform(app: &mut App, context: Context, action: Action) -> Vec<Effect> {
    // A new action answers the previous notice.
    app.notice = None;
    if !safety::offered(&app.options, action) {
        app.notify(NoticeLevel::Error, safety::refusal(&app.options, action));
        return Vec::new();
    }
    match action {
        Action::Noop => return Vec::new(),
        Action::Quit => {
            app.should_quit = true;
            return vec![Effect::Quit];
        }
        Action::Suspend => return vec![Effect::Suspend],
        Action::Help if !matches!(context, Context::Help) => {
            app.overlay = Some(Overlay::Help {
                context: app.view_context(),
                scroll: 0,
            });
            return Vec::new();
        }
        Action::Palette if !context.is_modal() => {
            app.overlay = Some(Overlay::Palette(Palette::default()));
            return Vec::new();
        }
        Action::ShowExecutions
        | Action::ShowFaces
        | Action::ShowThumbnails
        | Action::ShowTests
        | Action::ShowDashboard
            if !context.is_modal() =>
        {
            let screen = match action {
                Action::ShowExecutions => Screen::Executions,
                Action::ShowFaces => Screen::Faces,
                Action::ShowTests => Screen::Tests,
                Action::ShowDashboard => Screen::Dashboard,
                _ => Screen::Thumbnails,
            };
            return app.switch_screen(screen);
        }
        _ => {}
    }
    match context {
        Context::Help
        | Context::Palette
        | Context::Confirm
        | Context::Picker
        | Context::Input
        | Context::TestCases
        | Context::Editor => overlay_action(app, action),
        Context::Executions => executions_action(app, action),
        Context::Timeline | Context::Definition | Context::Events | Context::Io => {
            execution_action(app, action)
        }
        Context::Faces => faces_action(app, action),
        Context::Thumbnails => thumbnails_action(app, action),
        Context::Tests => tests_action(app, action),

        Context::Dashboard => dashboard_action(app, action),
        Context::Global => Vec::new(),
    }
}

/// The overlay on top takes the action; what it answers goes to whoever opened it.
fn overlay_action(app: &mut App, action: Action) -> Vec<Effect> {
    let page = app.page_rows();
    let completions = match &app.overlay {
        Some(Overlay::Palette(palette)) => commands::completions(app, &palette.text),
        _ => Vec::new(),
    };
    let machines = app.executions.machines.all.len();
    let cases = app.runs.test_cases.len();
    let outcome = match app.overlay.as_mut() {
        Some(Overlay::Help { scroll, .. }) | Some(Overlay::Messages { scroll }) => {
            overlays::help::on_action(scroll, action)
        }
        Some(Overlay::Palette(palette)) => {
            overlays::palette::on_action(palette, action, &completions)
        }
        Some(Overlay::Confirm(confirm)) => overlays::confirm::on_action(confirm, action),
        Some(Overlay::Picker { cursor }) => overlays::picker::on_action(cursor, machines, action),
        Some(Overlay::Input(input)) => overlays::input::on_action(input, action),
        Some(Overlay::TestCases { cursor }) => {
            overlays::test_cases::on_action(cursor, cases, page, action)
        }
        Some(Overlay::Editor(editor)) => overlays::editor::on_action(editor, action, page),
        None => return Vec::new(),
    };
    settle(app, outcome)
}

/// Closes the overlay when its outcome says so and hands the outcome to its owner.
fn settle(app: &mut App, outcome: Outcome) -> Vec<Effect> {
    if outcome == Outcome::Stay {
        return Vec::new();
    }
    // Who opened it, by its context: the overlay itself is not needed to hand the outcome on.
    let Some(owner) = app.overlay.as_ref().map(Overlay::context) else {
        return Vec::new();
    };
    let input_purpose = match &app.overlay {
        Some(Overlay::Input(input)) => Some(input.purpose),
        _ => None,
    };
    if outcome.closes() {
        app.overlay = None;
    }
    match (owner, outcome) {
        (Context::Palette, Outcome::Submit(typed)) => match commands::command(app, &typed) {
            Ok(command) => commands::run_command(app, command),
            Err(_) if typed.trim().is_empty() => Vec::new(),
            Err(e) => {
                app.notify(NoticeLevel::Error, e);
                Vec::new()
            }
        },
        (Context::Confirm, Outcome::Confirmed(on_yes)) => confirmed(app, on_yes),
        (Context::Picker, Outcome::Chosen(index, _)) => target::choose_state_machine(app, index),
        (Context::Input, Outcome::Input { purpose, text, .. }) => {
            let text = bound_input(app, purpose, text);
            apply_input(app, purpose, text)
        }
        (Context::Input, Outcome::Submit(typed))
            if input_purpose == Some(InputPurpose::HistoryFile) =>
        {
            let (open, mut cx) = lend!(app, execution);
            match open {
                Some(s) => execution::events::write_history(s, &mut cx, &typed),
                None => Vec::new(),
            }
        }
        (Context::Input, Outcome::Submit(_))
            if input_purpose == Some(InputPurpose::ThumbnailsFilter) =>
        {
            let (s, mut cx) = lend!(app, thumbnails);
            thumbnails::paging::filter_submitted(s, &mut cx)
        }
        (Context::Input, Outcome::Submit(typed)) => runs::submit_user_id(app, &typed),
        (Context::TestCases, Outcome::Chosen(index, how)) => {
            runs::on_test_case_chosen(app, index, how)
        }
        (Context::Editor, outcome) => runs::on_editor_outcome(app, outcome),
        _ => Vec::new(),
    }
}

/// Yes in the confirm dialog: the action goes to the screen or flow that asked.
fn confirmed(app: &mut App, on_yes: ConfirmAction) -> Vec<Effect> {
    match on_yes {
        ConfirmAction::StopExecution {
            execution_arn,
            name,
        } => control::confirmed(app, Control::Stop, execution_arn, &name),
        ConfirmAction::RedriveExecution {
            execution_arn,
            name,
        } => control::confirmed(app, Control::Redrive, execution_arn, &name),
        ConfirmAction::DeleteFaces { collection, faces } => {
            let (s, mut cx) = lend!(app, faces);
            faces::delete::confirmed(s, &mut cx, collection, faces)
        }
        ConfirmAction::DeleteObject { bucket, object } => {
            let (s, mut cx) = lend!(app, thumbnails);
            thumbnails::delete::confirmed(s, &mut cx, bucket, object)
        }
    }
}

fn type_char(app: &mut App, c: char) -> Vec<Effect> {
    match app.overlay.as_mut() {
        // A full input refuses the character: nothing changes, so nothing is matched again.
        Some(Overlay::Input(input)) if is_full(&input.text) => {
            let purpose = input.purpose;
            say_cut(app, purpose);
            Vec::new()
        }
        Some(Overlay::Input(input)) => {
            let outcome = overlays::input::type_char(input, c);
            settle(app, outcome)
        }
        Some(Overlay::Palette(palette)) => {
            overlays::palette::type_char(palette, c);
            Vec::new()
        }
        Some(Overlay::Editor(editor)) => {
            editor.insert(c);
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// A paste goes whole to the text input that has focus: the input editor, a one-line input
/// (filter, search, user id: line breaks become spaces) or the palette. Anywhere else it is
/// ignored, and said so: read as keys, a pasted text would run whatever its letters are bound
/// to.
pub(crate) fn on_paste(app: &mut App, text: String) -> Vec<Effect> {
    app.pending_keys.clear();
    match app.overlay.as_mut() {
        Some(Overlay::Input(input)) => {
            let outcome = overlays::input::paste(input, &text);
            settle(app, outcome)
        }
        Some(Overlay::Palette(palette)) => {
            overlays::palette::paste(palette, &text);
            Vec::new()
        }
        Some(Overlay::Editor(editor)) => {
            editor.insert_text(&text);
            Vec::new()
        }
        _ => {
            app.notify(
                NoticeLevel::Info,
                "paste ignored: no text input is open (/ to filter, : for a command)",
            );
            Vec::new()
        }
    }
}

/// Whether a text input holds `MAX_FILTER_CHARS` characters already.
fn is_full(text: &str) -> bool {
    // Bytes first: counting the characters of a short text is not needed.
    text.len() >= MAX_FILTER_CHARS && text.chars().count() >= MAX_FILTER_CHARS
}

/// A text input's text cut to `MAX_FILTER_CHARS`, in the input too (a paste may bring more
/// at once than keys can): what follows then works on a bounded text. Says so when it cuts.
fn bound_input(app: &mut App, purpose: InputPurpose, text: String) -> String {
    let (text, cut) = bound_filter(text);
    if cut {
        if let Some(Overlay::Input(input)) = app.overlay.as_mut() {
            input.text.clone_from(&text);
        }
        say_cut(app, purpose);
    }
    text
}

fn say_cut(app: &mut App, purpose: InputPurpose) {
    let what = match purpose {
        InputPurpose::EventSearch => "the search",
        InputPurpose::RerunAsUser => "the user id",
        InputPurpose::HistoryFile => "the file name",
        _ => "the filter",
    };
    app.notify(
        NoticeLevel::Info,
        format!("{what} is cut to its first {MAX_FILTER_CHARS} characters"),
    );
}

/// Text inputs act as you type: the list filters, the events search jumps.
fn apply_input(app: &mut App, purpose: InputPurpose, text: String) -> Vec<Effect> {
    match purpose {
        InputPurpose::ListFilter => {
            let (s, mut cx) = lend!(app, executions);
            executions::update::apply_filter(s, &mut cx, text)
        }
        InputPurpose::EventSearch => {
            let (open, cx) = lend!(app, execution);
            if let Some(s) = open {
                execution::events::apply_search(s, &cx, text);
            }
            Vec::new()
        }
        InputPurpose::FacesFilter => {
            let (s, mut cx) = lend!(app, faces);
            faces::update::apply_filter(s, &mut cx, text)
        }
        InputPurpose::ThumbnailsFilter => {
            let (s, mut cx) = lend!(app, thumbnails);
            thumbnails::update::apply_filter(s, &mut cx, text);
            Vec::new()
        }
        // Nothing happens until Enter starts the run, or writes the file.
        InputPurpose::RerunAsUser | InputPurpose::HistoryFile => Vec::new(),
    }
}

/// The executions list: opening a row, runs, the face jump, stop and redrive cross screens;
/// the rest is the list's own.
fn executions_action(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::Open => {
            return match app.executions.selected().cloned() {
                Some(summary) => app.open_execution(summary),
                None => Vec::new(),
            };
        }
        Action::StartTestCase => return runs::open_test_case_picker(app),
        Action::JumpToFace => return face_jump::jump_to_face(app),
        Action::Rerun => return runs::rerun(app, Intent::Same),
        Action::RerunAsUser => return runs::rerun(app, Intent::AsOtherUser),
        Action::EditAndRun => return runs::rerun(app, Intent::Edit),
        Action::StopExecution => control::ask(app, Control::Stop),
        Action::RedriveExecution => control::ask(app, Control::Redrive),
        _ => {
            let (s, mut cx) = lend!(app, executions);
            return executions::keys::on_action(s, &mut cx, action);
        }
    }
    let (s, mut cx) = lend!(app, executions);
    executions::update::next_page_if_needed(s, &mut cx)
}

/// The open execution: stop, redrive, reruns and the face jump cross screens; the rest is
/// the execution's own (and its tab's).
fn execution_action(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::StopExecution => control::ask(app, Control::Stop),
        Action::RedriveExecution => control::ask(app, Control::Redrive),
        Action::Rerun => return runs::rerun(app, Intent::Same),
        Action::RerunAsUser => return runs::rerun(app, Intent::AsOtherUser),
        Action::EditAndRun => return runs::rerun(app, Intent::Edit),
        Action::JumpToFace => return face_jump::jump_to_face(app),
        _ => {
            let (open, mut cx) = lend!(app, execution);
            let Some(s) = open else {
                return Vec::new();
            };
            let effects = execution::keys::on_action(s, &mut cx, action);
            if cx.close {
                app.execution = None;
            }
            return effects;
        }
    }
    Vec::new()
}

/// The faces screen's keys; it may ask for another screen (`Back`), which the shell shows.
fn faces_action(app: &mut App, action: Action) -> Vec<Effect> {
    let (s, mut cx) = lend!(app, faces);
    let mut effects = faces::keys::on_action(s, &mut cx, action);
    if let Some(screen) = cx.switch_to {
        effects.extend(app.switch_screen(screen));
    }
    effects
}

/// The thumbnails screen's keys; it may ask for another screen (`Back`), which the shell
/// shows.
fn thumbnails_action(app: &mut App, action: Action) -> Vec<Effect> {
    let (s, mut cx) = lend!(app, thumbnails);
    let mut effects = thumbnails::keys::on_action(s, &mut cx, action);
    if let Some(screen) = cx.switch_to {
        effects.extend(app.switch_screen(screen));
    }
    effects
}

/// The tests screen: running a suite takes the test cases, the state machines and the
/// buckets the shell knows; `Enter` opens a step's execution in the executions screen.
fn tests_action(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::RunSuite => {
            let Some(index) = app.tests.current_suite() else {
                return Vec::new();
            };
            let defaults = crate::app::flows::suites::suite_defaults(app);
            let target = crate::app::effect::SuiteTarget {
                suite_name: String::new(),
                machines: app.executions.machines.all.clone(),
                state_machine: app.state_machine().map(|m| m.arn.clone()),
                collection: app.options.collection.clone(),
                journal_path: None,
                journal_context: None,
            };
            let (s, mut cx) = lend!(app, tests);
            let context = cx.journal_context();
            let target = crate::app::effect::SuiteTarget {
                journal_context: Some(context),
                ..target
            };
            tests::update::run(s, &mut cx, index, defaults, target)
        }
        Action::Open => match tests::update::execution_under_cursor(&app.tests) {
            Some(summary) => {
                let mut effects = app.switch_screen(Screen::Executions);
                effects.extend(app.open_execution(summary));
                effects
            }
            None => Vec::new(),
        },
        _ => {
            let (s, mut cx) = lend!(app, tests);
            let mut effects = tests::keys::on_action(s, &mut cx, action);
            if let Some(screen) = cx.switch_to {
                effects.extend(app.switch_screen(screen));
            }
            effects
        }
    }
}

/// The dashboard's keys: `Enter` on a reason or on one of a state's slowest runs crosses to
/// the executions screen (a flow); the rest is the screen's own, which may ask for another
/// screen (`Back`).
fn dashboard_action(app: &mut App, action: Action) -> Vec<Effect> {
    if action == Action::Open
        && let Some(effects) = dashboard_flow::open(app)
    {
        return effects;
    }
    let (s, mut cx) = lend!(app, dashboard);
    let mut effects = dashboard::keys::on_action(s, &mut cx, action);
    if let Some(screen) = cx.switch_to {
        effects.extend(app.switch_screen(screen));
    }
    effects
}
