//! update() flows of a paste (bracketed paste: one `Msg::Paste`, never keys): taken whole by
//! the inline editor, the filter and the user id input, and ignored where no text input has
//! focus.

use crate::app_support;
use crate::runs_support;

use app_support::*;
use runs_support::*;
use stepdeck::app::App;
use stepdeck::app::msg::{ExternalEdit, Msg};
use stepdeck::app::overlays::{InputPurpose, Overlay};
use stepdeck::app::update::update;

/// A JSON fragment of about `bytes` bytes continuing an object: `,\n  "pad": [ … ]`.
fn padding(bytes: usize) -> String {
    let item = format!("    \"{}\"", "x".repeat(96));
    let items = vec![item; bytes / 102];
    format!(",\n  \"pad\": [\n{}\n  ]", items.join(",\n"))
}

/// Opens the editor on the fourth test case and pastes `bytes` of padding into its input
/// object, checking the paste arrived as one message.
fn paste_into_editor(bytes: usize) -> (App, usize) {
    let mut app = runs_app(false);
    press(&mut app, "s j j j e");
    update(&mut app, Msg::EditedExternally(ExternalEdit::NoEditor));
    // After the photo's key, on the last line of the object's members.
    press(&mut app, "Down Down Down End");
    let pasted = padding(bytes);
    let effects = update(&mut app, Msg::Paste(pasted.clone()));
    assert!(effects.is_empty(), "pasting sends nothing: {effects:#?}");
    let Some(Overlay::Editor(editor)) = &app.overlay else {
        panic!("the editor stays open: {:#?}", app.overlay);
    };
    assert!(editor.problem.is_none(), "{:?}", editor.problem);
    let pasted_lines = pasted.lines().count();
    assert_eq!(editor.lines.len(), 5 + pasted_lines - 1);
    assert_eq!(
        (editor.row, editor.col),
        (3 + pasted_lines - 1, 3),
        "the cursor ends after the paste"
    );
    (app, bytes / 102)
}

#[test]
fn a_200_kb_paste_into_the_editor_is_one_message_and_the_run_takes_it() {
    let (mut app, items) = paste_into_editor(200 * 1024);
    // The next key acts at once: the run starts with the pasted input.
    let request = start_request(&press(&mut app, "ctrl-r"));
    let input: serde_json::Value = serde_json::from_str(&request.input).unwrap();
    assert_eq!(input["pad"].as_array().unwrap().len(), items);
    assert_eq!(input["s3Key"], "4_no_face.jpg");
}

#[test]
fn a_300_kb_paste_is_taken_whole_and_its_run_refused_over_the_input_limit() {
    let (mut app, _) = paste_into_editor(300 * 1024);
    let effects = press(&mut app, "ctrl-r");
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, stepdeck::app::effect::Effect::StartExecution(_))),
        "{effects:#?}"
    );
    assert!(
        notice(&app).contains("over Step Functions' 256 KiB limit"),
        "{}",
        notice(&app)
    );
    assert!(
        matches!(app.overlay, Some(Overlay::Editor(_))),
        "the text is kept to be shortened"
    );
}

#[test]
fn a_paste_on_the_list_is_ignored_not_read_as_keys() {
    let mut app = runs_app(false);
    let cursor = app.executions.list.cursor;
    // Read as keys, this would rerun (`r`), open the picker (`s`), move (`j`, `G`), quit (`q`).
    let effects = update(&mut app, Msg::Paste("rsjjGq\n".into()));
    assert!(effects.is_empty(), "{effects:#?}");
    assert!(!app.should_quit);
    assert!(app.overlay.is_none(), "{:#?}", app.overlay);
    assert_eq!(app.executions.list.cursor, cursor);
    assert!(notice(&app).contains("paste ignored"), "{}", notice(&app));
}

#[test]
fn a_paste_into_the_filter_filters_and_enter_applies_it() {
    let mut app = runs_app(false);
    press(&mut app, "/");
    // Copied with its line break: the break does not submit, it is dropped.
    update(&mut app, Msg::Paste("multi\r\n".into()));
    let Some(Overlay::Input(input)) = &app.overlay else {
        panic!("{:#?}", app.overlay);
    };
    assert_eq!(input.text, "multi");
    assert_eq!(app.executions.list.visible.len(), 1);
    press(&mut app, "Enter");
    assert!(app.overlay.is_none());
    assert_eq!(app.executions.list.visible.len(), 1, "the filter stays");
}

#[test]
fn a_pasted_user_id_then_enter_starts_the_run_as_that_user() {
    let mut app = runs_app(false);
    select_row(&mut app, "run-01-happy");
    let row = app.executions.selected().unwrap().clone();
    let input = r#"{"userId":"user_a","s3Bucket":"stepdeck-sandbox-riderphotos3bucket","s3Key":"1_happy_face.jpg"}"#;
    open_with(
        &mut app,
        detail_of(&row, Some(input), None),
        fixture("happy_path.json"),
    );
    press(&mut app, "u ctrl-u");
    update(&mut app, Msg::Paste("rider\n42\n".into()));
    match &app.overlay {
        Some(Overlay::Input(input)) => {
            assert_eq!(input.purpose, InputPurpose::RerunAsUser);
            assert_eq!(
                input.text, "rider 42",
                "a line break inside becomes a space"
            );
        }
        other => panic!("{other:#?}"),
    }
    let request = start_request(&press(&mut app, "Enter"));
    assert!(
        request.input.contains(r#""userId":"rider 42""#),
        "{}",
        request.input
    );
}
