//! update() flows of starting runs: the test-case picker, reruns with the same input, with
//! another rider, with an edited input (external and inline editor, JSON errors), saving a
//! test case, `:run`, and the started run selected and followed.

use crate::app_support;
use crate::runs_support;

use app_support::*;
use runs_support::*;
use stepdeck::app::effect::Effect;
use stepdeck::app::msg::ExternalEdit;
use stepdeck::app::msg::Msg;
use stepdeck::app::overlays::{InputPurpose, Overlay};
use stepdeck::app::screen::Screen;
use stepdeck::app::screens::execution::Tab;
use stepdeck::app::{NoticeLevel, update::update};
use stepdeck::backend::BackendError;
use stepdeck::domain::execution::ExecutionStatus;
use stepdeck::domain::test_case::{MAX_INPUT_BYTES, TestCase};

const SM: &str = SM_ARN;

fn photo_input(user: &str, key: &str) -> String {
    format!(r#"{{"userId":"{user}","s3Bucket":"{PHOTOS}","s3Key":"{key}"}}"#)
}

#[test]
fn s_picks_a_test_case_and_the_started_run_is_selected_and_followed() {
    let mut app = runs_app(false);
    assert!(press(&mut app, "s").is_empty());
    assert_eq!(app.overlay, Some(Overlay::TestCases { cursor: 0 }));
    let effects = press(&mut app, "j Enter");
    let request = start_request(&effects);
    assert_eq!(request.state_machine_arn, SM);
    assert_eq!(request.input, photo_input("user_a", "2_sunglass_face.jpg"));
    let name = request.name.clone().unwrap();
    assert_eq!(name, "run-2_sunglass_face-20251125T100600-1");
    assert!(app.overlay.is_none());
    assert!(notice(&app).contains(&name), "{}", notice(&app));

    let effects = update(&mut app, answer(&request, Ok(started(&request))));
    // Selected in the list (at the top, before the next refresh lists it) …
    assert_eq!(app.executions.selected().unwrap().name, name);
    assert_eq!(app.executions.list.rows.len(), seed_rows().len() + 1);
    // … and opened, followed live while it runs.
    let view = app.execution.as_ref().expect("the new run is open");
    assert_eq!(view.summary.name, name);
    assert_eq!(view.tab, Tab::Timeline);
    assert!(view.timeline.follow);
    let o = opened(&effects);
    assert!(o.history_generation > o.detail_generation);
    assert_eq!(
        notice(&app),
        format!("started {name} (test case 2_sunglass_face)")
    );
    // Back in the list, the run stays under the cursor.
    press(&mut app, "Esc");
    assert_eq!(app.executions.selected().unwrap().name, name);
}

#[test]
fn a_start_the_console_did_not_ask_for_only_refreshes_the_list() {
    let mut app = runs_app(false);
    let elsewhere = stepdeck::backend::StartExecutionRequest {
        state_machine_arn: SM.into(),
        name: Some("from-elsewhere".into()),
        input: "{}".into(),
    };
    let mut other = started(&elsewhere);
    other.arn = exec_arn("from-elsewhere");
    assert!(update(&mut app, answer(&elsewhere, Ok(other))).is_empty());
    assert!(app.execution.is_none());
    let failed = update(
        &mut app,
        answer(
            &elsewhere,
            Err(BackendError::Invalid("Execution Already Exists".into())),
        ),
    );
    assert!(failed.is_empty());
    assert_eq!(
        app.notice.as_ref().map(|n| n.level),
        Some(NoticeLevel::Error)
    );
}

#[test]
fn r_on_a_list_row_reads_the_input_and_reruns_it_exactly() {
    let mut app = runs_app(false);
    select_row(&mut app, "run-01-happy");
    let effects = press(&mut app, "r");
    let generation = match effects.as_slice() {
        [
            Effect::LoadInput {
                generation,
                execution_arn,
            },
        ] => {
            assert_eq!(execution_arn, &exec_arn("run-01-happy"));
            *generation
        }
        other => panic!("{other:#?}"),
    };
    // Spacing and key order as recorded: the rerun sends exactly this text.
    let recorded =
        "{ \"userId\": \"user_a\",  \"s3Bucket\": \"b\", \"s3Key\": \"1_happy_face.jpg\" }";
    let row = app.executions.selected().unwrap().clone();
    let effects = update(
        &mut app,
        Msg::InputLoaded {
            generation,
            result: Ok(detail_of(&row, Some(recorded), None)),
        },
    );
    let request = start_request(&effects);
    assert_eq!(request.input, recorded);
    assert_eq!(request.state_machine_arn, SM);
    let name = request.name.unwrap();
    assert!(name.starts_with("rerun-1_happy_face-user_a-"), "{name}");
    assert_eq!(
        notice(&app),
        format!("starting {name} (rerun of run-01-happy)…")
    );
}

#[test]
fn an_answer_for_a_superseded_or_failed_read_sends_nothing() {
    let mut app = runs_app(false);
    let first = press(&mut app, "r");
    let second = press(&mut app, "r");
    let generation_of = |effects: &[Effect]| match effects {
        [Effect::LoadInput { generation, .. }] => *generation,
        other => panic!("{other:#?}"),
    };
    let row = app.executions.selected().unwrap().clone();
    let stale = update(
        &mut app,
        Msg::InputLoaded {
            generation: generation_of(&first),
            result: Ok(detail_of(&row, Some("{}"), None)),
        },
    );
    assert!(stale.is_empty(), "{stale:#?}");
    let failed = update(
        &mut app,
        Msg::InputLoaded {
            generation: generation_of(&second),
            result: Err(BackendError::AccessDenied {
                action: "states:DescribeExecution".into(),
                message: "no".into(),
            }),
        },
    );
    assert!(failed.is_empty());
    assert!(
        notice(&app).contains("states:DescribeExecution"),
        "{}",
        notice(&app)
    );
}

#[test]
fn r_in_an_open_execution_uses_its_loaded_input_at_once() {
    let mut app = runs_app(false);
    select_row(&mut app, "run-01-happy");
    let row = app.executions.selected().unwrap().clone();
    let input = photo_input("user_a", "1_happy_face.jpg");
    open_with(
        &mut app,
        detail_of(&row, Some(&input), None),
        fixture("happy_path.json"),
    );
    for tab in ["", "Tab", "Tab"] {
        press(&mut app, tab);
        let request = start_request(&press(&mut app, "r"));
        assert_eq!(request.input, input);
    }
}

#[test]
fn u_reruns_the_same_photo_as_the_next_rider() {
    let mut app = runs_app(false);
    select_row(&mut app, "run-01-happy");
    let row = app.executions.selected().unwrap().clone();
    open_with(
        &mut app,
        detail_of(&row, Some(&photo_input("user_a", "1_happy_face.jpg")), None),
        fixture("happy_path.json"),
    );
    assert!(press(&mut app, "u").is_empty());
    match &app.overlay {
        Some(Overlay::Input(input)) => {
            assert_eq!(input.purpose, InputPurpose::RerunAsUser);
            assert_eq!(input.text, "user_b", "the next rider is suggested");
        }
        other => panic!("{other:#?}"),
    }
    let request = start_request(&press(&mut app, "Enter"));
    assert_eq!(request.input, photo_input("user_b", "1_happy_face.jpg"));
    let name = request.name.clone().unwrap();
    assert!(name.starts_with("rerun-1_happy_face-user_b-"), "{name}");

    // Another id can be typed instead; an empty one sends nothing.
    press(&mut app, "u ctrl-u");
    assert!(press(&mut app, "Enter").is_empty());
    press(
        &mut app,
        "u Backspace Backspace Backspace Backspace Backspace Backspace",
    );
    type_text(&mut app, "rider-42");
    let request = start_request(&press(&mut app, "Enter"));
    assert_eq!(request.input, photo_input("rider-42", "1_happy_face.jpg"));
}

#[test]
fn e_goes_to_the_external_editor_and_comes_back_to_review() {
    let mut app = runs_app(false);
    press(&mut app, "s");
    let effects = press(&mut app, "e");
    let sent = match effects.as_slice() {
        [Effect::EditExternally { text }] => text.clone(),
        other => panic!("{other:#?}"),
    };
    assert_eq!(
        sent,
        format!(
            "{{\n  \"userId\": \"user_a\",\n  \"s3Bucket\": \"{PHOTOS}\",\n  \"s3Key\": \"1_happy_face.jpg\"\n}}"
        ),
        "pretty JSON to edit"
    );
    let edited = sent.replace("user_a", "user_c") + "\n";
    update(
        &mut app,
        Msg::EditedExternally(ExternalEdit::Edited(edited)),
    );
    let Some(Overlay::Editor(editor)) = &app.overlay else {
        panic!("{:#?}", app.overlay);
    };
    assert!(editor.problem.is_none());
    let request = start_request(&press(&mut app, "ctrl-r"));
    assert_eq!(request.input, photo_input("user_c", "1_happy_face.jpg"));
    assert!(app.overlay.is_none());
    assert!(
        notice(&app).contains("(test case 1_happy_face, edited)"),
        "{}",
        notice(&app)
    );
}

#[test]
fn invalid_json_shows_line_and_column_and_sends_nothing() {
    let mut app = runs_app(false);
    press(&mut app, "s e");
    let broken = "{\n  \"userId\": \"user_a\"\n  \"s3Key\": \"1_happy_face.jpg\"\n}";
    update(
        &mut app,
        Msg::EditedExternally(ExternalEdit::Edited(broken.into())),
    );
    let problem = match &app.overlay {
        Some(Overlay::Editor(editor)) => {
            assert_eq!(
                (editor.row, editor.col),
                (2, 2),
                "the cursor is at the problem"
            );
            editor.problem.clone().expect("the problem is shown")
        }
        other => panic!("{other:#?}"),
    };
    assert_eq!((problem.line, problem.column), (3, 3));
    assert!(press(&mut app, "ctrl-r").is_empty(), "nothing is sent");
    assert!(press(&mut app, "ctrl-s").is_empty(), "nothing is saved");
    assert!(matches!(app.overlay, Some(Overlay::Editor(_))));
    // Fix it where the cursor is: a comma at the end of line 2.
    press(&mut app, "Up End");
    type_text(&mut app, ",");
    let request = start_request(&press(&mut app, "ctrl-r"));
    assert_eq!(
        request.input,
        r#"{"userId":"user_a","s3Key":"1_happy_face.jpg"}"#
    );
}

/// A photo input padded with a `note` to `bytes` (compact, as sent).
fn input_of(bytes: usize) -> String {
    let bare = r#"{"userId":"user_a","s3Key":"1_happy_face.jpg","note":""}"#;
    let note = "x".repeat(bytes - bare.len());
    format!(r#"{{"userId":"user_a","s3Key":"1_happy_face.jpg","note":"{note}"}}"#)
}

fn over_the_limit(input: &str) -> String {
    format!(
        "input is {} KiB, over Step Functions' 256 KiB limit: nothing sent",
        input.len().div_ceil(1024)
    )
}

#[test]
fn an_input_over_256_kib_is_refused_and_nothing_is_sent() {
    let mut app = runs_app(false);
    let huge = input_of(MAX_INPUT_BYTES + 1);
    app.runs.test_cases = vec![
        TestCase::new("huge", huge.clone()),
        TestCase::new("at-the-limit", input_of(MAX_INPUT_BYTES)),
    ];
    assert!(press(&mut app, "s Enter").is_empty(), "nothing is sent");
    assert_eq!(notice(&app), over_the_limit(&huge));
    assert_eq!(app.runs.started, 0);
    assert!(app.runs.pending_starts.is_empty());
    // 262,144 bytes is still within the limit.
    let request = start_request(&press(&mut app, "s j Enter"));
    assert_eq!(request.input.len(), MAX_INPUT_BYTES);
}

#[test]
fn the_editor_says_an_input_is_over_256_kib_and_keeps_it_to_shorten() {
    let mut app = runs_app(false);
    press(&mut app, "s e");
    // Pretty, as the editor shows it: the limit is on the compact text that would be sent.
    let huge = input_of(300_000);
    let pretty = stepdeck::domain::test_case::pretty(&huge);
    update(
        &mut app,
        Msg::EditedExternally(ExternalEdit::Edited(pretty)),
    );
    let status = format!(
        "✗ input is {} KiB, over Step Functions' 256 KiB limit — nothing will be sent",
        huge.len().div_ceil(1024)
    );
    let drawn = screen(&app, 120, 32);
    assert!(drawn.contains(&status), "{drawn}");
    assert!(!drawn.contains("✓ valid JSON"), "{drawn}");
    assert!(press(&mut app, "ctrl-r").is_empty(), "nothing is sent");
    assert_eq!(notice(&app), over_the_limit(&huge));
    // Still in the editor, with the text, to shorten it.
    let Some(Overlay::Editor(editor)) = &app.overlay else {
        panic!("{:#?}", app.overlay);
    };
    assert_eq!(editor.note.as_deref(), Some(over_the_limit(&huge).as_str()));
    assert!(editor.text().contains(&"x".repeat(1_000)));
}

#[test]
fn without_an_editor_the_input_is_edited_inline() {
    let mut app = runs_app(false);
    press(&mut app, "s j j j e");
    update(&mut app, Msg::EditedExternally(ExternalEdit::NoEditor));
    let Some(Overlay::Editor(editor)) = &app.overlay else {
        panic!("{:#?}", app.overlay);
    };
    assert!(editor.note.as_deref().unwrap().contains("$EDITOR"));
    assert_eq!(editor.lines.len(), 5, "pretty JSON, one key a line");
    // Letters are text here: `q` does not quit, `j` does not move.
    press(&mut app, "Down End Left Left");
    type_text(&mut app, "q");
    assert!(!app.should_quit);
    let Some(Overlay::Editor(editor)) = &app.overlay else {
        panic!()
    };
    assert_eq!(editor.lines[1], "  \"userId\": \"user_aq\",");
    assert!(press(&mut app, "Esc").is_empty());
    assert!(app.overlay.is_none());
    assert_eq!(notice(&app), "edit cancelled: nothing sent");
}

#[test]
fn ctrl_s_saves_the_edited_input_as_a_test_case() {
    let mut app = runs_app(false);
    press(&mut app, "s e");
    let text = photo_input("user_b", "1_happy_face.jpg");
    update(
        &mut app,
        Msg::EditedExternally(ExternalEdit::Edited(text.clone())),
    );
    let effects = press(&mut app, "ctrl-s");
    let test_case = match effects.as_slice() {
        [Effect::SaveTestCase { path, test_case }] => {
            assert_eq!(path, &settings_path());
            test_case.clone()
        }
        other => panic!("{other:#?}"),
    };
    assert_eq!(
        test_case,
        TestCase::new("1_happy_face user_b", text.clone())
    );
    assert!(
        matches!(app.overlay, Some(Overlay::Editor(_))),
        "still editing"
    );
    update(
        &mut app,
        Msg::TestCaseSaved(Ok((
            test_case.clone(),
            settings_path().display().to_string(),
        ))),
    );
    assert_eq!(
        notice(&app),
        "saved test case `1_happy_face user_b` to /home/u/.config/stepdeck/config.toml"
    );
    assert_eq!(app.runs.test_cases.last(), Some(&test_case));
    // Saved twice, the second one gets its own name.
    let effects = press(&mut app, "ctrl-s");
    assert!(
        matches!(&effects[..], [Effect::SaveTestCase { test_case, .. }] if test_case.name == "1_happy_face user_b 2"),
        "{effects:#?}"
    );
    // The saved case runs from the palette.
    press(&mut app, "Esc :");
    type_text(&mut app, "run 1_happy_face user_b");
    let request = start_request(&press(&mut app, "Enter"));
    assert_eq!(request.input, text);
}

#[test]
fn the_palette_runs_test_cases_and_switches_screens() {
    let mut app = runs_app(false);
    press(&mut app, ":");
    type_text(&mut app, "run 4");
    let request = start_request(&press(&mut app, "Enter"));
    assert_eq!(request.input, photo_input("user_a", "4_no_face.jpg"));

    press(&mut app, ":");
    type_text(&mut app, "run nothing-like-it");
    assert!(press(&mut app, "Enter").is_empty());
    assert!(notice(&app).contains("no test case named `nothing-like-it`"));

    for (screen, text) in [(Screen::Faces, "faces"), (Screen::Thumbnails, "thumb")] {
        press(&mut app, ":");
        type_text(&mut app, text);
        let effects = press(&mut app, "Enter");
        assert_eq!(app.screen, screen);
        assert!(
            effects.iter().any(|e| matches!(
                e,
                Effect::LoadFaces { .. } | Effect::LoadBuckets { .. } | Effect::LoadObjects { .. }
            )),
            "switching to {screen:?} loads it: {effects:?}"
        );
    }
    press(&mut app, ":");
    type_text(&mut app, "exec");
    press(&mut app, "Enter");
    assert_eq!(app.screen, Screen::Executions);
    press(&mut app, ":");
    type_text(&mut app, "q");
    assert_eq!(press(&mut app, "Enter"), vec![Effect::Quit]);
}

#[test]
fn the_refresh_and_status_filter_keys_moved_to_make_room() {
    let mut app = runs_app(false);
    let effects = update(&mut app, Msg::Tick(NOW + 2_000));
    list_request(&effects);
    let effects = press(&mut app, "f");
    assert!(matches!(
        effects.as_slice(),
        [Effect::LoadExecutions { request, .. }] if request.status == Some(ExecutionStatus::Running)
    ));
}

#[test]
fn an_empty_library_says_where_to_add_test_cases() {
    let mut app = runs_app(false);
    app.runs.test_cases.clear();
    assert!(press(&mut app, "s").is_empty());
    assert!(app.overlay.is_none());
    assert!(notice(&app).contains("[[test_cases]]"), "{}", notice(&app));
}
