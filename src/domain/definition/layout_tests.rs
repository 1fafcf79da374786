//! Unit tests of the definition layout: rows, frames, notes, wires, labels, the cursor
//! and scrolling.

use super::*;
use crate::domain::definition::parse_definition;

const PIPELINE: &str = r#"{"StartAt": "FaceDetection", "States": {
  "FaceDetection": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
    "Next": "CheckFaceDuplicate",
    "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "NotifyRejected"}]},
  "CheckFaceDuplicate": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
    "Next": "Both", "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "NotifyRejected"}]},
  "Both": {"Type": "Parallel", "Next": "PersistMetadata", "Branches": [
    {"StartAt": "AddFaceToIndex", "States": {"AddFaceToIndex": {"Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke", "End": true}}},
    {"StartAt": "Thumbnail", "States": {"Thumbnail": {"Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}]},
  "PersistMetadata": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true},
  "NotifyRejected": {"Type": "Pass", "End": true}}}"#;

fn laid_out(text: &str, folded: &[&str]) -> GraphLayout {
    let folded = folded.iter().map(|s| s.to_string()).collect();
    layout(&parse_definition(text).unwrap(), &folded)
}

fn find<'a>(graph: &'a GraphLayout, name: &str) -> &'a NodeBox {
    &graph.boxes[graph.index_of(name).unwrap()]
}

#[test]
fn rows_follow_the_flow_and_branches_sit_side_by_side_inside_their_frame() {
    let graph = laid_out(PIPELINE, &[]);
    let names: Vec<&str> = graph.boxes.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "FaceDetection",
            "CheckFaceDuplicate",
            "Both",
            "AddFaceToIndex",
            "Thumbnail",
            "NotifyRejected",
            "PersistMetadata"
        ]
    );
    let detection = find(&graph, "FaceDetection");
    let check = find(&graph, "CheckFaceDuplicate");
    let both = find(&graph, "Both");
    let add = find(&graph, "AddFaceToIndex");
    let thumb = find(&graph, "Thumbnail");
    let persist = find(&graph, "PersistMetadata");
    assert!(detection.y + detection.h <= check.y);
    assert!(check.y + check.h <= both.y);
    assert!(both.container && both.contains(add) && both.contains(thumb));
    assert_eq!(add.y, thumb.y, "branches start on one row");
    assert!(add.x + add.w < thumb.x, "branches side by side");
    assert!(both.y + both.h <= persist.y);
    // The catch skips a row, so it is written in the box rather than wired.
    assert_eq!(detection.notes, ["catch → NotifyRejected"]);
    // The wire from FaceDetection down to CheckFaceDuplicate ends in an arrowhead.
    assert!(
        graph
            .arrows
            .iter()
            .any(|&(x, y)| y + 1 == check.y && x > check.x && x < check.x + check.w - 1),
        "{:?}",
        graph.arrows
    );
    assert_eq!(
        graph
            .wires
            .get(&(detection.centre_x(), detection.y + detection.h)),
        Some(&(UP | DOWN | SOLID))
    );
    // The catch from CheckFaceDuplicate is wired dashed and labelled with what it catches.
    let catch = graph
        .labels
        .iter()
        .find(|l| l.kind == EdgeKind::Catch)
        .expect("a catch label");
    assert_eq!(catch.text, "States.ALL");
    assert!(
        graph
            .wires
            .values()
            .any(|m| m & DASHED != 0 && m & SOLID == 0)
    );
    // Every box fits in the layout's size.
    for b in &graph.boxes {
        assert!(
            b.x + b.w <= graph.width && b.y + b.h <= graph.height,
            "{b:?}"
        );
    }
}

#[test]
fn a_folded_container_is_one_box_that_says_what_it_hides() {
    let graph = laid_out(PIPELINE, &["Both"]);
    assert_eq!(graph.index_of("AddFaceToIndex"), None);
    let both = find(&graph, "Both");
    assert!(both.folded && !both.container);
    assert_eq!(both.notes, ["2 states folded"]);
    assert_eq!(both.subtitle, "Parallel · 2 branches");
}

#[test]
fn a_loop_is_written_as_a_return_not_drawn_upwards() {
    let text = r#"{"StartAt": "Poll", "States": {
      "Poll": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "Done?"},
      "Done?": {"Type": "Choice", "Choices": [{"Variable": "$.done", "BooleanEquals": true,
        "Next": "Finish"}], "Default": "Wait"},
      "Wait": {"Type": "Wait", "Seconds": 5, "Next": "Poll"},
      "Finish": {"Type": "Succeed"}}}"#;
    let graph = laid_out(text, &[]);
    assert_eq!(find(&graph, "Wait").notes, ["↺ Poll"]);
    let finish = find(&graph, "Finish");
    let wait = find(&graph, "Wait");
    assert_eq!(finish.y, wait.y, "both choice targets on the row below");
}

#[test]
fn hostile_names_are_escaped_and_cut_to_the_box() {
    let text = "{\"StartAt\": \"\\u001b[2Jx\", \"States\": {\"\\u001b[2Jx\": {\"Type\": \"Pass\", \"End\": true}, \"Long\": {\"Type\": \"Pass\", \"Next\": \"AVeryVeryVeryLongStateNameThatGoesOnAndOn\"}, \"AVeryVeryVeryLongStateNameThatGoesOnAndOn\": {\"Type\": \"Pass\", \"End\": true}}}";
    let graph = laid_out(text, &[]);
    let odd = &graph.boxes[graph.index_of("\u{1b}[2Jx").unwrap()];
    assert!(!odd.title.contains('\u{1b}'));
    let long = find(&graph, "AVeryVeryVeryLongStateNameThatGoesOnAndOn");
    assert!(long.title.ends_with('…'));
    assert_eq!(usize::from(long.w), MAX_BOX_WIDTH);
}

#[test]
fn the_cursor_moves_to_the_box_that_lines_up() {
    let graph = laid_out(PIPELINE, &[]);
    let at = |name: &str| graph.index_of(name).unwrap();
    assert_eq!(
        graph.neighbour(at("FaceDetection"), Dir::Down),
        Some(at("CheckFaceDuplicate"))
    );
    assert_eq!(
        graph.neighbour(at("CheckFaceDuplicate"), Dir::Up),
        Some(at("FaceDetection"))
    );
    assert_eq!(
        graph.neighbour(at("AddFaceToIndex"), Dir::Right),
        Some(at("Thumbnail"))
    );
    assert_eq!(
        graph.neighbour(at("Thumbnail"), Dir::Left),
        Some(at("AddFaceToIndex"))
    );
    assert_eq!(
        graph.neighbour(at("CheckFaceDuplicate"), Dir::Down),
        Some(at("Both"))
    );
    assert_eq!(
        graph
            .neighbour(at("Both"), Dir::Down)
            .map(|i| graph.boxes[i].y),
        Some(find(&graph, "AddFaceToIndex").y)
    );
    assert_eq!(graph.neighbour(at("FaceDetection"), Dir::Up), None);
}

#[test]
fn scrolling_moves_as_little_as_it_can_to_show_the_box() {
    let graph = laid_out(PIPELINE, &[]);
    let persist = graph.index_of("PersistMetadata").unwrap();
    let b = &graph.boxes[persist];
    let (_, y) = graph.scroll_to_show(persist, 200, 10, (0, 0));
    assert_eq!(y, b.y + b.h - 10);
    assert_eq!(graph.scroll_to_show(0, 200, 10, (0, y)).1, 0);
    assert_eq!(graph.scroll_to_show(0, 200, 100, (0, 0)), (0, 0));
}
