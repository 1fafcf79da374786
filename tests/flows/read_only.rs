//! Read-only mode: every binding of every keymap context, pressed in a state where that
//! context is live, produces no mutating effect (nor do the answers that follow); the same
//! walk without read-only does reach starts and stops, so the walk can find them.

use crate::app_support;
use crate::faces_support;
use crate::runs_support;

use app_support::*;
use runs_support::*;
use std::collections::BTreeSet;
use stepdeck::app::effect::Effect;
use stepdeck::app::msg::ExternalEdit;
use stepdeck::app::msg::Msg;
use stepdeck::app::overlays::editor::InputEditor;
use stepdeck::app::overlays::{Confirm, InputPurpose, Overlay, Palette, TextInput};
use stepdeck::app::screens::execution::Tab;
use stepdeck::app::{App, update::update};
use stepdeck::domain::test_case::{Origin, RunDraft};
use stepdeck::keymap::{Context, format_keys};

fn running_input() -> String {
    format!(r#"{{"userId":"user_a","s3Bucket":"{PHOTOS}","s3Key":"1_happy_face.jpg"}}"#)
}

fn draft() -> RunDraft {
    RunDraft {
        state_machine_arn: SM_ARN.into(),
        origin: Origin::Execution("run-06-running".into()),
        input: running_input(),
        note: None,
    }
}

/// The running execution open on `tab`, its input loaded.
fn open_running(read_only: bool, tab: Tab) -> App {
    let mut app = runs_app(read_only);
    select_row(&mut app, "run-06-running");
    let row = app.executions.selected().unwrap().clone();
    open_with(
        &mut app,
        detail_of(&row, Some(&running_input()), None),
        fixture("running.json"),
    );
    app.execution.as_mut().unwrap().tab = tab;
    app
}

/// An app in which `context` is the live one, with the most dangerous thing under the
/// cursor (a running execution, an armed dialog). None: the context has no screen yet.
/// Every context is listed: a new one does not compile here until it gets a state.
fn state_for(context: Context, read_only: bool) -> Option<App> {
    let overlay = |overlay: Overlay| {
        let mut app = runs_app(read_only);
        select_row(&mut app, "run-06-running");
        app.runs.user_prompt = Some(draft());
        app.overlay = Some(overlay);
        Some(app)
    };
    match context {
        Context::Global | Context::Executions => {
            let mut app = runs_app(read_only);
            select_row(&mut app, "run-06-running");
            Some(app)
        }
        Context::Timeline => Some(open_running(read_only, Tab::Timeline)),
        Context::Definition => Some(open_running(read_only, Tab::Definition)),
        Context::Events => Some(open_running(read_only, Tab::Events)),
        Context::Io => Some(open_running(read_only, Tab::Io)),
        Context::Picker => overlay(Overlay::Picker { cursor: 0 }),
        Context::Confirm => {
            let mut confirm =
                Confirm::stop_execution(exec_arn("run-06-running"), "run-06-running".into());
            confirm.yes_selected = true;
            overlay(Overlay::Confirm(confirm))
        }
        Context::Input => overlay(Overlay::Input(TextInput {
            purpose: InputPurpose::RerunAsUser,
            text: "user_b".into(),
            previous: String::new(),
        })),
        Context::Help => overlay(Overlay::Help {
            context: Context::Executions,
            scroll: 0,
        }),
        Context::Palette => overlay(Overlay::Palette(Palette {
            text: "run 1_happy_face".into(),
            selected: 0,
        })),
        Context::TestCases => overlay(Overlay::TestCases { cursor: 0 }),
        Context::Editor => overlay(Overlay::Editor(Box::new(InputEditor::new(
            draft(),
            &running_input(),
            None,
        )))),
        // A marked face / an object under the cursor: `d` would delete them.
        Context::Faces => {
            let mut app = faces_support::faces_app();
            app.options.read_only = read_only;
            press(&mut app, "Space");
            Some(app)
        }
        Context::Thumbnails => {
            let mut app = faces_support::thumbnails_app();
            app.options.read_only = read_only;
            Some(app)
        }
        // `a` would run the suite under the cursor: executions started, faces deleted.
        Context::Tests => Some(crate::suites_support::tests_app(read_only)),
        // The dashboard changes nothing: every key there reads.
        Context::Dashboard => {
            let mut app = runs_app(read_only);
            app.switch_screen(stepdeck::app::screen::Screen::Dashboard);
            Some(app)
        }
    }
}

/// Answers effects that lead on to more (an input read, an editor session), as the runtime
/// would, and returns every effect produced along the way.
fn with_answers(app: &mut App, effects: Vec<Effect>) -> Vec<Effect> {
    let mut all = Vec::new();
    let mut queue = effects;
    for _ in 0..4 {
        let mut next = Vec::new();
        for effect in &queue {
            match effect {
                Effect::LoadInput { generation, .. } => {
                    let row = seed_rows()[0].clone();
                    next.extend(update(
                        app,
                        Msg::InputLoaded {
                            generation: *generation,
                            result: Ok(detail_of(&row, Some(&running_input()), None)),
                        },
                    ));
                }
                Effect::EditExternally { text } => {
                    next.extend(update(
                        app,
                        Msg::EditedExternally(ExternalEdit::Edited(text.clone())),
                    ));
                    // Then run what came back from the editor.
                    next.extend(press(app, "ctrl-r"));
                }
                _ => {}
            }
        }
        all.append(&mut queue);
        queue = next;
    }
    all.extend(queue);
    all
}

/// Presses every binding of every context; returns (context, keys, mutating effects).
fn walk(read_only: bool) -> Vec<(Context, String, Vec<Effect>)> {
    let mut found = Vec::new();
    for context in Context::ALL {
        let Some(probe) = state_for(context, read_only) else {
            let bindings = stepdeck::keymap::Keymap::defaults();
            assert!(
                bindings.bindings(context).is_empty(),
                "[{}] has bindings now: give it a state in state_for",
                context.name()
            );
            continue;
        };
        if context != Context::Global {
            assert_eq!(probe.context(), context, "the state for {context:?}");
        }
        for binding in probe.keymap.effective(context).to_vec() {
            let mut app = state_for(context, read_only).unwrap();
            let keys = format_keys(&binding.keys);
            let effects = press(&mut app, &keys);
            let effects = with_answers(&mut app, effects);
            let mutating: Vec<Effect> = effects.into_iter().filter(Effect::is_mutating).collect();
            found.push((context, keys, mutating));
        }
    }
    found
}

#[test]
fn read_only_mode_lets_no_binding_in_any_context_mutate() {
    let walked = walk(true);
    assert!(
        walked.len() > 100,
        "every binding was pressed: {}",
        walked.len()
    );
    let offenders: Vec<_> = walked.iter().filter(|(_, _, m)| !m.is_empty()).collect();
    assert!(offenders.is_empty(), "{offenders:#?}");
}

#[test]
fn the_same_walk_without_read_only_does_reach_mutating_effects() {
    let reached: BTreeSet<&str> = walk(false)
        .iter()
        .filter(|(_, _, m)| !m.is_empty())
        .map(|(c, _, _)| c.name())
        .collect();
    for context in [
        "executions",
        "timeline",
        "events",
        "io",
        "confirm",
        "input",
        "palette",
        "test_cases",
        "editor",
    ] {
        assert!(
            reached.contains(context),
            "{context} not reached: {reached:?}"
        );
    }
}

#[test]
fn a_refused_action_says_so_and_its_keys_are_hidden() {
    let mut app = runs_app(true);
    assert!(press(&mut app, "s").is_empty());
    assert!(app.overlay.is_none(), "no picker");
    let notice = app.notice.clone().unwrap().text;
    assert_eq!(
        notice,
        "read-only: `start_test_case` is disabled (started with --read-only)"
    );
    let hints = stepdeck::app::frame::hints::hint_items(&app, Context::Executions);
    assert!(
        hints
            .iter()
            .all(|(keys, _)| !["s", "r", "u", "e", "S"].contains(&keys.as_str())),
        "{hints:?}"
    );
    assert!(hints.iter().any(|(keys, _)| keys == "/"), "{hints:?}");
    let help =
        stepdeck::app::overlays::help::lines(&app.keymap, &app.options, Context::Executions, 70)
            .iter()
            .map(|l| l.to_string())
            .collect::<Vec<_>>()
            .join("\n");
    assert!(
        !help.contains("Stop execution") && !help.contains("Rerun"),
        "{help}"
    );
}

#[test]
fn the_effect_gate_refuses_what_an_action_gate_would_miss() {
    // An armed dialog left over (e.g. opened before the mode applied): the gate still holds.
    let mut app = state_for(Context::Confirm, true).unwrap();
    assert!(press(&mut app, "y").is_empty());
    assert_eq!(
        app.notice.clone().unwrap().text,
        "read-only: refused to stop an execution (started with --read-only)"
    );
    let mut app = state_for(Context::Palette, true).unwrap();
    assert!(press(&mut app, "Enter").is_empty());
    assert!(
        app.notice
            .clone()
            .unwrap()
            .text
            .contains("refused to start an execution")
    );
}
