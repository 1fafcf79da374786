//! Snapshots of the run screens on a `TestBackend` with a fixed clock: the test-case picker,
//! the inline editor showing a JSON error, the user-id prompt and the read-only header; and
//! all of them at odd sizes without panicking.

use crate::app_support;
use crate::runs_support;

use app_support::*;
use runs_support::*;
use stepdeck::app::msg::ExternalEdit;
use stepdeck::app::msg::Msg;
use stepdeck::app::{App, update::update};

fn scenarios() -> Vec<(&'static str, App)> {
    let mut out = Vec::new();

    let mut picker = runs_app(false);
    press(&mut picker, "s j");
    out.push(("test_case_picker", picker));

    let mut editor = runs_app(false);
    press(&mut editor, "s e");
    let broken = "{\n  \"userId\": \"user_b\"\n  \"s3Bucket\": \"stepdeck-sandbox-riderphotos3bucket\",\n  \"s3Key\": \"1_happy_face.jpg\"\n}";
    update(
        &mut editor,
        Msg::EditedExternally(ExternalEdit::Edited(broken.into())),
    );
    out.push(("editor_json_error", editor));

    let mut inline = runs_app(false);
    press(&mut inline, "s e");
    update(&mut inline, Msg::EditedExternally(ExternalEdit::NoEditor));
    out.push(("editor_inline_valid", inline));

    let mut prompt = runs_app(false);
    press(&mut prompt, "s u");
    out.push(("rerun_as_user_prompt", prompt));

    let mut read_only = runs_app(true);
    press(&mut read_only, "r");
    out.push(("read_only", read_only));
    out
}

#[test]
fn snapshots_of_the_run_screens() {
    for (name, mut app) in scenarios() {
        for (width, height) in [(120, 32), (80, 24)] {
            update(&mut app, Msg::Resize(width, height));
            insta::assert_snapshot!(
                format!("{name}_{width}x{height}"),
                screen(&app, width, height)
            );
        }
    }
}

#[test]
fn the_run_screens_render_at_odd_sizes_without_panicking() {
    for (name, mut app) in scenarios() {
        for (width, height) in [
            (1, 1),
            (20, 5),
            (40, 8),
            (41, 9),
            (57, 13),
            (200, 50),
            (300, 8),
        ] {
            update(&mut app, Msg::Resize(width, height));
            let text = screen(&app, width, height);
            assert_eq!(
                text.lines().count(),
                height as usize,
                "{name} at {width}×{height}"
            );
        }
    }
}
