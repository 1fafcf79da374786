//! The Definition tab: the definition an execution ran drawn as a graph, coloured by how each
//! state went (marks in the corners: ✓ ✗ …, none where never entered); the pipeline, a
//! failed branch, a Parallel nested in a Map, a folded Parallel, a large definition at 80×24,
//! a text that is not a definition, and hostile names.

use crate::app_support;
use crate::executions::open_fixture;

use app_support::*;
use stepdeck::app::msg::Msg;
use stepdeck::app::{App, update::update};

fn shown(app: &mut App, width: u16, height: u16) -> String {
    update(app, Msg::Resize(width, height));
    screen(app, width, height)
}

fn pipeline(history: &str) -> App {
    let mut app = seed_app();
    open_fixture(&mut app, "run-01-happy", history);
    open_definition(&mut app, &definition_fixture("wildrydes.asl.json"));
    app
}

#[test]
fn the_pipeline_is_drawn_with_its_parallel_branches_side_by_side() {
    let mut app = pipeline("happy_path.json");
    let wide = shown(&mut app, 160, 45);
    insta::assert_snapshot!("pipeline_160x45", wide);
    assert!(wide.contains("Definition"), "{wide}");
    assert!(
        wide.contains("RiderPhotoProcessing · revision 7f3c2a91"),
        "{wide}"
    );
    assert!(
        wide.contains("ParallelProcessing · Parallel · 2 branches"),
        "{wide}"
    );
    // The branches share one row.
    let row = wide.lines().find(|l| l.contains("AddFaceToIndex")).unwrap();
    assert!(row.contains("Thumbnail"), "{row}");
    // Five states ran (their boxes carry ✓); the rejection path never did.
    let reject = wide
        .lines()
        .find(|l| l.contains("PhotoDoesNotMeetRequirement") && l.contains('╭'));
    assert!(reject.is_none_or(|l| !l.contains('✓')), "{wide}");
    assert!(wide.matches('✓').count() >= 7, "{wide}");
    let narrow = shown(&mut app, 80, 24);
    insta::assert_snapshot!("pipeline_80x24", narrow);
    // Help names the tab's keys and what the marks mean.
    press(&mut app, "?");
    let help = shown(&mut app, 120, 45);
    assert!(help.contains("Fold / unfold a Parallel or Map"), "{help}");
    assert!(help.contains("never entered in this execution"), "{help}");
    assert!(
        help.contains("a Catch transition (labelled with its errors)"),
        "{help}"
    );
}

#[test]
fn a_failed_branch_is_marked_where_it_failed_and_what_never_ran_has_no_mark() {
    let mut app = pipeline("failed_in_branch.json");
    let text = shown(&mut app, 160, 45);
    insta::assert_snapshot!("failed_branch_160x45", text);
    let frame = text
        .lines()
        .find(|l| l.contains("ParallelProcessing · Parallel"))
        .unwrap();
    assert!(frame.contains('✗'), "{frame}");
    let persist_top = text
        .lines()
        .position(|l| l.contains("│ PersistMetadata"))
        .unwrap();
    let border = text.lines().nth(persist_top - 1).unwrap();
    assert!(!border.contains('✓') && !border.contains('✗'), "{border}");
}

#[test]
fn a_parallel_inside_a_map_is_a_frame_inside_a_frame_and_folds() {
    let mut app = seed_app();
    open_fixture(&mut app, "run-01-happy", "map_iterations.json");
    open_definition(&mut app, &definition_fixture("map_with_parallel.asl.json"));
    let text = shown(&mut app, 120, 32);
    insta::assert_snapshot!("map_with_parallel_120x32", text);
    assert!(text.contains("ProcessPhotos · Map · inline"), "{text}");
    assert!(text.contains("Variants · Parallel · 2 branches"), "{text}");
    // The cursor starts on the timeline's selected state; down twice reaches the Map's
    // Parallel, which folds into one box.
    press(&mut app, "j j j z");
    let folded = shown(&mut app, 120, 32);
    insta::assert_snapshot!("map_with_parallel_folded_120x32", folded);
    assert!(folded.contains("3 states folded"), "{folded}");
    assert!(!folded.contains("ResizeLarge"), "{folded}");
}

/// A chain of `n` tasks with a retry loop every tenth: more than any screen holds.
fn large_definition(n: usize) -> String {
    let mut states = Vec::new();
    for i in 0..n {
        let name = format!("Step{i:02}");
        let next = if i + 1 < n {
            format!(r#""Next": "Step{:02}""#, i + 1)
        } else {
            r#""End": true"#.to_string()
        };
        if i % 10 == 9 {
            states.push(format!(
                r#""{name}": {{"Type": "Choice", "Choices": [{{"Variable": "$.again", "BooleanEquals": true, "Next": "Step{:02}"}}], "Default": "Step{:02}"}}"#,
                i - 9,
                (i + 1).min(n - 1)
            ));
        } else {
            states.push(format!(
                r#""{name}": {{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", {next}}}"#
            ));
        }
    }
    format!(
        r#"{{"StartAt": "Step00", "States": {{{}}}}}"#,
        states.join(",")
    )
}

#[test]
fn a_large_definition_scrolls_to_keep_the_cursor_in_view_at_80x24() {
    let mut app = seed_app();
    open_fixture(&mut app, "run-01-happy", "happy_path.json");
    open_definition(&mut app, &large_definition(40));
    update(&mut app, Msg::Resize(80, 24));
    let top = shown(&mut app, 80, 24);
    insta::assert_snapshot!("large_top_80x24", top);
    assert!(top.contains("Step00") && !top.contains("Step39"), "{top}");
    // A loop back is written in the box rather than drawn upwards.
    press(&mut app, "G");
    let bottom = shown(&mut app, 80, 24);
    insta::assert_snapshot!("large_bottom_80x24", bottom);
    assert!(
        bottom.contains("Step39") && !bottom.contains("Step00 "),
        "{bottom}"
    );
    assert!(bottom.contains("↺ Step30"), "{bottom}");
    // Tiny terminals never panic.
    for (w, h) in [(20, 5), (1, 1), (40, 10)] {
        shown(&mut app, w, h);
    }
}

#[test]
fn a_text_that_is_not_a_definition_is_shown_raw_with_the_reason() {
    let mut app = seed_app();
    open_fixture(&mut app, "run-01-happy", "happy_path.json");
    open_definition(
        &mut app,
        "{\"StartAt\": \"A\", \"States\": {\"B\": {\"Type\": \"Pass\"}}}",
    );
    let text = shown(&mut app, 120, 32);
    assert!(
        text.contains("not drawn: the definition starts at a state it does not have"),
        "{text}"
    );
    assert!(text.contains("\"StartAt\""), "{text}");
}

#[test]
fn hostile_state_names_never_reach_the_terminal_raw() {
    let mut app = seed_app();
    open_fixture(&mut app, "run-01-happy", "happy_path.json");
    let text = "{\"StartAt\": \"\\u001b]0;pwned\\u0007Evil\", \"States\": {\"\\u001b]0;pwned\\u0007Evil\": {\"Type\": \"Pass\\u001b[2J\", \"End\": true}}}";
    open_definition(&mut app, text);
    let screen_text = shown(&mut app, 120, 32);
    assert!(!screen_text.contains('\u{1b}'), "{screen_text}");
    assert!(!screen_text.contains('\u{7}'), "{screen_text}");
    assert!(screen_text.contains("Evil"), "{screen_text}");
}
