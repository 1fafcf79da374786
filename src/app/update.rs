//! `update`: routes every `Msg` to the screen or flow it concerns, one line each, and passes
//! every effect through the read-only gate on its way out (the gate's only call site).

use crate::app::effect::Effect;
use crate::app::flows::{control, face_jump, runs, target};
use crate::app::msg::Generation;
use crate::app::msg::Msg;
use crate::app::screen::Screen;
use crate::app::screens::faces::update::Paged;
use crate::app::screens::{dashboard, execution, executions, faces, tests, thumbnails};
use crate::app::{App, NoticeLevel, keys, lend, safety};
use crate::backend::{BackendError, Page};
use crate::domain::faces::Face;

/// Applies `msg`; every effect passes the read-only gate on its way out.
pub fn update(app: &mut App, msg: Msg) -> Vec<Effect> {
    let effects = route(app, msg);
    let (allowed, refused) = safety::gate(&app.options, effects);
    if let Some(text) = refused {
        // A refused start must not be followed as if it had been sent.
        app.runs.pending_starts.clear();
        app.runs.resent_starts.clear();
        app.notify(NoticeLevel::Error, text);
    }
    // Every notice, whoever set it, goes to the log `:messages` shows.
    if let Some(notice) = &app.notice {
        app.messages.record(notice);
    }
    allowed
}

fn route(app: &mut App, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(event) => {
            // Someone is here: the list refreshes at its configured pace again.
            app.last_input = app.now;
            let mut effects = keys::on_key(app, event);
            // Scrolling, filtering or coming back to the list brings other rows on screen.
            effects.extend(app.describe_visible_rows());
            effects
        }
        Msg::Paste(text) => {
            app.last_input = app.now;
            let mut effects = keys::on_paste(app, text);
            // A filter that changed brings other rows on screen.
            effects.extend(app.describe_visible_rows());
            effects
        }
        Msg::Notice(text) => {
            app.notify(NoticeLevel::Info, text);
            Vec::new()
        }
        Msg::Resize(width, height) => {
            app.viewport = (width, height);
            // A page of another height: each list's window is refitted, so that a taller
            // terminal shows a full page again rather than rows kept for a shorter one.
            let page_rows = app.page_rows();
            app.executions.list.fit(page_rows);
            app.faces.list.fit(page_rows);
            app.thumbnails.list.fit(page_rows);
            let (s, cx) = lend!(app, thumbnails);
            thumbnails::preview::resized(s, &cx);
            app.describe_visible_rows()
        }
        Msg::Tick(now) => app.on_tick(now),
        Msg::BackendNotice(notice) => {
            // Shown as it comes; the views keep their last good data and its age meanwhile. An
            // API that answers again ends its pause: that notice goes, any other stays.
            match &notice {
                crate::backend::BackendNotice::Offline { confirmed_at, .. } => {
                    app.offline = Some(*confirmed_at)
                }
                crate::backend::BackendNotice::Online => app.offline = None,
                _ => {}
            }
            if matches!(
                notice,
                crate::backend::BackendNotice::Resumed { .. }
                    | crate::backend::BackendNotice::Online
            ) {
                if app
                    .notice
                    .as_ref()
                    .is_some_and(|n| notice.resolves(&n.text))
                {
                    app.notice = None;
                }
            } else {
                app.notify(NoticeLevel::Info, notice.to_string());
            }
            Vec::new()
        }
        Msg::BackendInfo(info) => {
            app.backend = Some(info);
            Vec::new()
        }
        Msg::RowDescribed {
            execution_arn,
            listed_status,
            result,
        } => {
            let (s, mut cx) = lend!(app, executions);
            executions::update::on_row_described(s, &mut cx, execution_arn, listed_status, result);
            app.describe_visible_rows()
        }
        Msg::StoreReport(result) => {
            match result {
                Ok(Some(report)) => app.notify(NoticeLevel::Info, report.to_string()),
                Ok(None) => app.notify(
                    NoticeLevel::Info,
                    "no store: this connection keeps nothing on disk (the sandbox, store = \
                     false, or a store that could not be opened: see :messages)",
                ),
                Err(e) => app.notify(NoticeLevel::Error, format!("the store cannot say: {e}")),
            }
            Vec::new()
        }
        Msg::CallerIdentity(result) => {
            on_caller_identity(app, result);
            Vec::new()
        }
        Msg::Reconnected(result) => target::on_reconnected(app, result),
        Msg::ChoiceRemembered(result) => target::on_choice_remembered(app, result),
        Msg::StateMachines(result) => {
            let (s, mut cx) = lend!(app, executions);
            match executions::machines::on_listed(&mut s.machines, &mut cx, result) {
                Some(index) => app.select_state_machine(index),
                None => Vec::new(),
            }
        }
        Msg::Executions {
            generation,
            append: _,
            result,
        } if dashboard::update::owns_page(&app.dashboard, generation) => {
            let (s, mut cx) = lend!(app, dashboard);
            dashboard::update::on_page(s, &mut cx, result)
        }
        Msg::Executions {
            generation,
            append,
            result,
        } => {
            let (s, mut cx) = lend!(app, executions);
            match executions::update::on_page(s, &mut cx, generation, append, result) {
                Some(mut effects) => {
                    effects.extend(app.describe_visible_rows());
                    effects
                }
                None => Vec::new(),
            }
        }
        Msg::Execution { generation, result } => {
            if let Some(s) = app.execution.as_mut() {
                execution::update::on_detail(s, generation, result);
            }
            Vec::new()
        }
        Msg::Definition { generation, result } => {
            if let Some(s) = app.execution.as_mut() {
                execution::definition::on_loaded(s, generation, result);
            }
            Vec::new()
        }
        Msg::History {
            generation,
            include_data,
            result,
        } => {
            let (open, mut cx) = lend!(app, execution);
            match open {
                Some(s) => {
                    execution::update::on_history(s, &mut cx, generation, include_data, result)
                }
                None => Vec::new(),
            }
        }
        Msg::StatsHistory {
            generation,
            execution_arn,
            result,
        } => {
            let (s, mut cx) = lend!(app, dashboard);
            dashboard::update::on_history(s, &mut cx, generation, execution_arn, result)
        }
        Msg::Started { request, result } => runs::on_started(app, request, result),
        Msg::StartReconciled { request, result } => runs::on_start_reconciled(app, request, result),
        Msg::InputLoaded { generation, result } => {
            if face_jump::awaits_input(app, generation) {
                face_jump::on_input_loaded(app, result)
            } else {
                runs::on_input_loaded(app, generation, result)
            }
        }
        Msg::EditedExternally(outcome) => runs::on_edited_externally(app, outcome),
        Msg::TestCaseSaved(result) => {
            runs::on_test_case_saved(app, result);
            Vec::new()
        }
        Msg::Redriven {
            execution_arn,
            result,
        } => control::on_redriven(app, execution_arn, result),
        Msg::Stopped {
            execution_arn,
            result,
        } => control::on_stopped(app, execution_arn, result),
        Msg::ControlReconciled {
            control: asked,
            execution_arn,
            redrives_before,
            result,
        } => control::on_reconciled(app, asked, &execution_arn, redrives_before, result),
        Msg::FileWritten { what, result } => {
            match result {
                Ok(path) => app.notify(NoticeLevel::Info, format!("wrote {what} to {path}")),
                Err(e) => app.notify(NoticeLevel::Error, format!("{what} not written: {e}")),
            }
            Vec::new()
        }
        Msg::Copied(result) => {
            match result {
                Ok(what) => {
                    app.notify(NoticeLevel::Info, format!("copied {what} to the clipboard"))
                }
                Err(e) => app.notify(NoticeLevel::Error, format!("copy failed: {e}")),
            }
            Vec::new()
        }
        Msg::Faces { generation, result } => on_faces_page(app, generation, result),
        Msg::KeptLookalikeSearches { collection, result } => {
            let (s, mut cx) = lend!(app, faces);
            faces::update::on_kept_searches(s, &mut cx, &collection, result);
            Vec::new()
        }
        Msg::CollectionDescribed { generation, result } => {
            let (s, mut cx) = lend!(app, faces);
            faces::refresh::on_described(s, &mut cx, generation, result)
        }
        Msg::FaceMatches {
            generation,
            face_id,
            result,
        } => {
            let (s, mut cx) = lend!(app, faces);
            faces::update::on_face_matches(s, &mut cx, generation, face_id, result)
        }
        Msg::FacesByImage { generation, result } => {
            face_jump::on_faces_by_image(app, generation, result)
        }
        Msg::SuiteAnswer {
            generation,
            suite,
            step,
            answer,
        } => {
            let (s, mut cx) = lend!(app, tests);
            tests::update::on_answer(s, &mut cx, generation, suite, step, answer)
        }
        Msg::VerdictHistory(result) => {
            let (s, mut cx) = lend!(app, tests);
            tests::update::on_history(s, &mut cx, result)
        }
        Msg::FacesDeleted { generation, result } => {
            let (s, mut cx) = lend!(app, faces);
            faces::delete::on_deleted(s, &mut cx, generation, result)
        }
        Msg::FacesReconciled { generation, result } => {
            let (s, mut cx) = lend!(app, faces);
            faces::delete::on_reconciled(s, &mut cx, generation, result)
        }
        Msg::JournalWritten { generation, result } => {
            if faces::delete::journal_generation(&app.faces) == Some(generation) {
                let (s, mut cx) = lend!(app, faces);
                faces::delete::on_journal_written(s, &mut cx, result)
            } else if thumbnails::delete::journal_generation(&app.thumbnails) == Some(generation) {
                let (s, mut cx) = lend!(app, thumbnails);
                thumbnails::delete::on_journal_written(s, &mut cx, result)
            } else {
                Vec::new()
            }
        }
        Msg::Buckets { generation, result } => {
            let shown = app.screen == Screen::Thumbnails;
            let (s, mut cx) = lend!(app, thumbnails);
            let (effects, photos) =
                thumbnails::update::on_buckets(s, &mut cx, generation, result, shown);
            // The built-in test cases read their photos from the photo bucket.
            if let Some(photos) = photos {
                app.runs.photo_bucket_found(&photos);
            }
            effects
        }
        Msg::Objects { generation, result } => {
            let shown = app.screen == Screen::Thumbnails;
            let (s, mut cx) = lend!(app, thumbnails);
            thumbnails::update::on_objects(s, &mut cx, generation, result, shown)
        }
        Msg::Preview {
            generation,
            key,
            result,
        } => {
            thumbnails::preview::on_preview(&mut app.thumbnails, generation, key, result);
            Vec::new()
        }
        Msg::ObjectDeleted { generation, result } => {
            let (s, mut cx) = lend!(app, thumbnails);
            thumbnails::delete::on_deleted(s, &mut cx, generation, result)
        }
        Msg::ObjectReconciled { generation, result } => {
            let (s, mut cx) = lend!(app, thumbnails);
            thumbnails::delete::on_reconciled(s, &mut cx, generation, result)
        }
    }
}

/// A page of faces: the screen takes it; a jump waiting for its faces settles (a flow: it
/// may ask for the next page, or select its face and clear the filter hiding it), then the
/// screen asks for more.
fn on_faces_page(
    app: &mut App,
    generation: Generation,
    result: Result<Page<Face>, BackendError>,
) -> Vec<Effect> {
    let (s, mut cx) = lend!(app, faces);
    match faces::update::on_page(s, &mut cx, generation, result) {
        Paged::Pending(effects) => effects,
        Paged::Failed => {
            face_jump::abandon_jump(app);
            Vec::new()
        }
        Paged::Arrived => {
            let mut effects = face_jump::settle_jump(app);
            let (s, mut cx) = lend!(app, faces);
            effects.extend(faces::update::after_page(s, &mut cx));
            effects
        }
    }
}

fn on_caller_identity(
    app: &mut App,
    result: Result<Option<crate::backend::CallerIdentity>, BackendError>,
) {
    match result {
        Ok(caller) => app.caller = caller,
        // Expired or missing credentials, or an unreachable region, show up here first,
        // before any view asks.
        Err(error) => {
            let text = match &error {
                BackendError::Credentials(_) => format!("the credentials do not work: {error}"),
                BackendError::Network(_) => {
                    format!("AWS cannot be reached (unknown region or endpoint?): {error}")
                }
                _ => format!("cannot tell whose credentials these are: {error}"),
            };
            app.notify(NoticeLevel::Error, text)
        }
    }
}
