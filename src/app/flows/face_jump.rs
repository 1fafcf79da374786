//! From a run rejected by `CheckFaceDuplicate` to the face it ran into: the run's photo is
//! searched in the collection (`SearchFacesByImage`, faces matched as the check matches them,
//! never by user id), then the faces screen shows with the closest match selected and every
//! match flagged, pages loaded until they are listed.

use crate::app::effect::Effect;
use crate::app::msg::Generation;
use crate::app::screen::Screen;
use crate::app::screens::execution;
use crate::app::screens::faces::jump::{DuplicateRejection, FaceJump, JumpRequest, JumpStage};
use crate::app::screens::faces::{self, LOOKALIKE_THRESHOLD};
use crate::app::{App, NoticeLevel, lend};
use crate::backend::BackendError;
use crate::domain::execution::{ExecutionDetail, Outcome};
use crate::domain::faces::FaceMatch;
use crate::keymap::action::Action;
use crate::keymap::{Context, format_keys};

/// The error `CheckFaceDuplicate` rejects a photo with.
pub const FACE_ALREADY_EXISTS: &str = "FaceAlreadyExistsError";

/// Whether the outcome is the duplicate check's rejection.
pub fn is_duplicate_rejection(outcome: &Outcome) -> bool {
    matches!(outcome, Outcome::Rejected { error, .. } if error == FACE_ALREADY_EXISTS)
}

/// The duplicate rejection of the open execution, if that is how it ended (and its input is
/// loaded).
pub fn duplicate_rejection(view: &execution::State) -> Option<DuplicateRejection> {
    if !is_duplicate_rejection(&view.outcome()?) {
        return None;
    }
    DuplicateRejection::from_input(view.input()?)
}

/// The key of an action in a context, as the hint bar writes it (for notices).
fn key_of(app: &App, context: Context, action: Action) -> String {
    app.keymap
        .key_for(context, action)
        .map_or_else(|| format!("`{action}`"), format_keys)
}

/// The jump key, on the open execution or the list row under the cursor.
pub fn jump_to_face(app: &mut App) -> Vec<Effect> {
    if let Some(view) = &app.execution {
        let name = view.summary.name.clone();
        let outcome = view.outcome();
        let rejection = duplicate_rejection(view);
        return match (outcome, rejection) {
            (_, Some(rejection)) => search(app, name, rejection),
            (Some(outcome), None) if is_duplicate_rejection(&outcome) => {
                app.notify(
                    NoticeLevel::Info,
                    format!("{name}: its input is still loading; try again in a moment"),
                );
                Vec::new()
            }
            (outcome, None) => {
                not_a_duplicate(app, &name, outcome.as_ref());
                Vec::new()
            }
        };
    }
    let Some(row) = app.executions.selected().cloned() else {
        app.notify(NoticeLevel::Info, "no execution selected");
        return Vec::new();
    };
    match &row.outcome {
        Some(outcome) if is_duplicate_rejection(outcome) => {
            // The list does not carry inputs: describe the execution for its photo first.
            let generation = app.next_generation();
            app.faces.jump_request = Some(JumpRequest {
                generation,
                execution: row.name.clone(),
                stage: JumpStage::ReadingInput,
            });
            crate::app::flows::runs::read_input(app, &row.name, row.arn, generation)
        }
        Some(outcome) => {
            not_a_duplicate(app, &row.name, Some(outcome));
            Vec::new()
        }
        None if !app.executions.describe_denied => {
            // The AWS list says only the status (a rejected photo is a SUCCEEDED run); the
            // rows on screen are being described (see `describe_visible_rows`).
            let jump = key_of(app, Context::Executions, Action::JumpToFace);
            app.notify(
                NoticeLevel::Info,
                format!(
                    "reading how {} ended: press {jump} again in a moment",
                    row.name
                ),
            );
            Vec::new()
        }
        None => {
            // Rows cannot be described: the history of the open execution tells.
            let open = key_of(app, Context::Executions, Action::Open);
            let jump = key_of(app, Context::Timeline, Action::JumpToFace);
            app.notify(
                NoticeLevel::Info,
                format!(
                    "the list does not say how {} ended: open it ({open}), then {jump} there",
                    row.name
                ),
            );
            Vec::new()
        }
    }
}

fn not_a_duplicate(app: &mut App, name: &str, outcome: Option<&Outcome>) {
    let text = match outcome {
        None => format!("{name} has not ended yet: no face to jump to"),
        Some(outcome) => format!(
            "{name} was not rejected as a duplicate face ({}): no face to jump to",
            outcome.label()
        ),
    };
    app.notify(NoticeLevel::Info, text);
}

/// Searches the collection with the rejected run's photo.
fn search(app: &mut App, execution: String, rejection: DuplicateRejection) -> Vec<Effect> {
    let (Some(bucket), Some(key)) = (rejection.s3_bucket.clone(), rejection.s3_key.clone()) else {
        app.notify(
            NoticeLevel::Error,
            format!("the input of {execution} names no photo (s3Bucket, s3Key): nothing to search"),
        );
        return Vec::new();
    };
    let generation = app.next_generation();
    let collection = app.faces.collection.clone();
    app.notify(
        NoticeLevel::Info,
        format!("searching {collection} for the face in {key}…"),
    );
    app.faces.jump_request = Some(JumpRequest {
        generation,
        execution,
        stage: JumpStage::Searching(rejection),
    });
    vec![Effect::SearchFacesByImage {
        generation,
        collection,
        bucket,
        key,
        // The pipeline's own CheckFaceDuplicate threshold: the faces that rejected the run.
        threshold: LOOKALIKE_THRESHOLD,
    }]
}

/// Whether a `Msg::InputLoaded` answers the jump (rather than a rerun).
pub fn awaits_input(app: &App, generation: Generation) -> bool {
    app.faces
        .jump_request
        .as_ref()
        .is_some_and(|r| r.generation == generation && r.stage == JumpStage::ReadingInput)
}

/// The rejected run's description (from the list): search with its photo.
pub fn on_input_loaded(
    app: &mut App,
    result: Result<ExecutionDetail, BackendError>,
) -> Vec<Effect> {
    let Some(request) = app.faces.jump_request.take() else {
        return Vec::new();
    };
    let rejection = match result {
        Ok(detail) => detail
            .input
            .as_deref()
            .and_then(DuplicateRejection::from_input),
        Err(e) => {
            app.notify(
                NoticeLevel::Error,
                format!("reading the input of {} failed: {e}", request.execution),
            );
            return Vec::new();
        }
    };
    match rejection {
        Some(rejection) => search(app, request.execution, rejection),
        None => {
            app.notify(
                NoticeLevel::Error,
                format!(
                    "{} has no readable JSON input: nothing to search",
                    request.execution
                ),
            );
            Vec::new()
        }
    }
}

/// The search answered: show the matching faces, or say that none is left.
pub fn on_faces_by_image(
    app: &mut App,
    generation: Generation,
    result: Result<Vec<FaceMatch>, BackendError>,
) -> Vec<Effect> {
    let rejection = match app.faces.jump_request.take() {
        Some(JumpRequest {
            generation: expected,
            stage: JumpStage::Searching(rejection),
            ..
        }) if expected == generation => rejection,
        other => {
            app.faces.jump_request = other; // not this search's answer
            return Vec::new();
        }
    };
    let collection = app.faces.collection.clone();
    let mut matches = match result {
        Ok(matches) => matches,
        Err(e) => {
            app.notify(
                NoticeLevel::Error,
                format!(
                    "searching {collection} for the face in {} failed: {e}",
                    rejection.describe()
                ),
            );
            return Vec::new();
        }
    };
    if matches.is_empty() {
        app.notify(
            NoticeLevel::Info,
            format!(
                "no face in {collection} matches {} any more: it was already deleted (a rerun \
                 would be accepted)",
                rejection.describe()
            ),
        );
        return Vec::new();
    }
    matches.sort_by(|a, b| b.similarity.total_cmp(&a.similarity));
    let listed = matches
        .iter()
        .all(|m| app.faces.face(&m.face.face_id).is_some());
    app.faces.jump = Some(FaceJump {
        photo: rejection.s3_key.clone().unwrap_or_default(),
        rider: rejection.user_id.clone(),
        matches,
        pending: true,
    });
    let mut effects = app.switch_screen(Screen::Faces);
    let reloading = app
        .faces
        .pages
        .in_flight
        .as_ref()
        .is_some_and(|&(_, append)| !append);
    if !listed && !reloading {
        // The face may be newer than the list: reload it (then look further page by page).
        let (s, mut cx) = lend!(app, faces);
        effects.extend(faces::refresh::reload(s, &mut cx));
    }
    effects.extend(settle_jump(app));
    effects
}

/// Brings a pending jump to its faces: selects the closest once every match is listed
/// (or the listing is exhausted), else asks for the next page. Called after each page.
pub fn settle_jump(app: &mut App) -> Vec<Effect> {
    let view = &app.faces;
    let Some(jump) = view.jump.as_ref().filter(|j| j.pending) else {
        return Vec::new();
    };
    let listed = jump
        .matches
        .iter()
        .filter(|m| view.face(&m.face.face_id).is_some())
        .count();
    let complete = listed == jump.matches.len();
    if !complete && app.screen == Screen::Faces {
        if view.pages.busy() {
            return Vec::new(); // settled when that page arrives
        }
        if view.loaded && view.next_token.is_some() {
            let (s, mut cx) = lend!(app, faces);
            return faces::update::request_next_page(s, &mut cx);
        }
    }
    finish_jump(app)
}

/// A page load failed: the jump stops looking (the error is on screen).
pub fn abandon_jump(app: &mut App) {
    if let Some(jump) = app.faces.jump.as_mut() {
        jump.pending = false;
    }
}

/// Selects the closest listed match (showing it despite a filter) and says what matched.
fn finish_jump(app: &mut App) -> Vec<Effect> {
    let page_rows = app.page_rows();
    let view = &mut app.faces;
    let Some(jump) = view.jump.as_mut() else {
        return Vec::new();
    };
    jump.pending = false;
    let jump = jump.clone();
    let listed: Vec<&FaceMatch> = jump
        .matches
        .iter()
        .filter(|m| view.face(&m.face.face_id).is_some())
        .collect();
    let run = match &jump.rider {
        Some(rider) => format!("{} ({rider})", jump.photo),
        None => jump.photo.clone(),
    };
    let Some(best) = listed.first() else {
        let text = format!(
            "{run} matched {} face(s) that the list no longer shows (deleted meanwhile?)",
            jump.matches.len()
        );
        app.notify(NoticeLevel::Info, text);
        return Vec::new();
    };
    let best_id = best.face.face_id.clone();
    view.list.cursor_key = Some(best_id.clone());
    view.recompute();
    if view.selected().is_none_or(|f| f.face_id != best_id) {
        // Hidden by the filter or the duplicates mode: show every face.
        view.list.filter.clear();
        view.duplicates_only = false;
        view.list.cursor_key = Some(best_id);
        view.recompute();
    }
    let cursor = view.list.cursor;
    view.list.set_cursor(cursor, page_rows);
    let user = best
        .face
        .external_image_id
        .as_deref()
        .unwrap_or("no user id");
    let mut text = format!(
        "{run} was rejected for {user}'s face ({:.1}% similar): selected",
        best.similarity
    );
    if listed.len() > 1 {
        text.push_str(&format!("; {} more match(es) flagged ◆", listed.len() - 1));
    }
    let gone = jump.matches.len() - listed.len();
    if gone > 0 {
        text.push_str(&format!("; {gone} no longer listed"));
    }
    app.notify(NoticeLevel::Info, text);
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::execution::{ExecutionStatus, ExecutionSummary};

    fn view(outcome: Outcome) -> execution::State {
        let summary = ExecutionSummary {
            arn: "arn:x:rerun-1".into(),
            name: "rerun-1".into(),
            state_machine_arn: "arn:sm".into(),
            status: ExecutionStatus::Succeeded,
            start: 0,
            stop: Some(1),
            input_label: None,
            outcome: Some(outcome),
        };
        let mut view = execution::State::new(summary.clone());
        view.detail = Some(ExecutionDetail {
            summary,
            input: Some(r#"{"userId":"user_b","s3Bucket":"b","s3Key":"1_happy_face.jpg"}"#.into()),
            output: None,
            error: None,
            cause: None,
            redrive_count: 0,
        });
        view
    }

    #[test]
    fn a_duplicate_rejection_names_the_photo_and_the_rider() {
        let rejected = view(Outcome::Rejected {
            state: "CheckFaceDuplicate".into(),
            error: FACE_ALREADY_EXISTS.into(),
            message: "Face in the picture is already in the system.".into(),
        });
        assert_eq!(
            duplicate_rejection(&rejected),
            Some(DuplicateRejection {
                s3_bucket: Some("b".into()),
                s3_key: Some("1_happy_face.jpg".into()),
                user_id: Some("user_b".into()),
            })
        );
        let sunglasses = view(Outcome::Rejected {
            state: "FaceDetection".into(),
            error: "PhotoDoesNotMeetRequirementError".into(),
            message: "Face is wearing sunglasses".into(),
        });
        assert_eq!(duplicate_rejection(&sunglasses), None);
        assert_eq!(duplicate_rejection(&view(Outcome::Completed)), None);
    }
}
