//! Key presses: resolved through the keymap in the current context, then performed as
//! `Action`s on the app (per view and overlay). Unbound characters go to text inputs.

use crate::app::effect::Effect;
use crate::app::flows::face_jump;
use crate::app::flows::runs::{self, Intent};
use crate::app::flows::target;
use crate::app::list::moved;
use crate::app::overlays::{
    Command, Confirm, ConfirmAction, InputPurpose, Overlay, Palette, TextInput,
};
use crate::app::safety;
use crate::app::screen::Screen;
use crate::app::screens::execution::{ExecutionView, Tab};
use crate::app::screens::executions::{SortColumn, next_status_filter};
use crate::app::screens::faces::{apply_faces_filter, faces_action};
use crate::app::screens::thumbnails::{apply_thumbnails_filter, thumbnails_action};
use crate::app::{App, NoticeLevel};
use crate::domain::execution::ExecutionStatus;
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
    if !safety::offered(app, action) {
        return safety::refuse_action(app, action);
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
        Action::ShowExecutions | Action::ShowFaces | Action::ShowThumbnails
            if !context.is_modal() =>
        {
            let screen = match action {
                Action::ShowExecutions => Screen::Executions,
                Action::ShowFaces => Screen::Faces,
                _ => Screen::Thumbnails,
            };
            return app.switch_screen(screen);
        }
        _ => {}
    }
    match context {
        Context::Help => help_action(app, action),
        Context::Palette => palette_action(app, action),
        Context::Confirm => confirm_action(app, action),
        Context::Picker => picker_action(app, action),
        Context::Input => input_action(app, action),
        Context::Executions => executions_action(app, action),
        Context::Timeline | Context::Events | Context::Io => execution_action(app, action),
        Context::Faces => faces_action(app, action),
        Context::Thumbnails => thumbnails_action(app, action),
        Context::TestCases => runs::test_cases_action(app, action),
        Context::Editor => runs::editor_action(app, action),
        Context::Global => Vec::new(),
    }
}

fn type_char(app: &mut App, c: char) -> Vec<Effect> {
    match app.overlay.as_mut() {
        Some(Overlay::Input(input)) => {
            input.text.push(c);
            input_changed(app)
        }
        Some(Overlay::Palette(palette)) => {
            palette.text.push(c);
            palette.selected = 0;
            Vec::new()
        }
        Some(Overlay::Editor(_)) => {
            runs::type_into_editor(app, c);
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// Text inputs act as you type: the list filters, the events search jumps.
fn input_changed(app: &mut App) -> Vec<Effect> {
    let Some(Overlay::Input(input)) = &app.overlay else {
        return Vec::new();
    };
    let (purpose, text) = (input.purpose, input.text.clone());
    apply_input(app, purpose, text)
}

fn apply_input(app: &mut App, purpose: InputPurpose, text: String) -> Vec<Effect> {
    let page_rows = app.page_rows();
    match purpose {
        InputPurpose::ListFilter => {
            app.executions.text_filter = text;
            app.executions.recompute(app.now);
            let cursor = app.executions.cursor;
            app.executions.set_cursor(cursor, page_rows);
            app.request_next_page_if_needed()
        }
        InputPurpose::EventSearch => {
            if let Some(view) = app.execution.as_mut() {
                view.events_view.search = text;
                view.recompute_matches();
                if let Some(i) = view.find_match(true, true) {
                    view.move_events(i, page_rows);
                }
            }
            Vec::new()
        }
        InputPurpose::FacesFilter => apply_faces_filter(app, text),
        InputPurpose::ThumbnailsFilter => apply_thumbnails_filter(app, text),
        // Nothing happens until Enter starts the run.
        InputPurpose::RerunAsUser => Vec::new(),
    }
}

fn input_action(app: &mut App, action: Action) -> Vec<Effect> {
    let Some(Overlay::Input(input)) = app.overlay.as_mut() else {
        return Vec::new();
    };
    match action {
        Action::Submit if input.purpose == InputPurpose::RerunAsUser => {
            let typed = input.text.clone();
            runs::submit_user_id(app, &typed)
        }
        Action::Submit => {
            app.overlay = None;
            Vec::new()
        }
        Action::Cancel | Action::Back => {
            let (purpose, previous) = (input.purpose, input.previous.clone());
            app.overlay = None;
            apply_input(app, purpose, previous)
        }
        Action::DeleteChar => {
            input.text.pop();
            input_changed(app)
        }
        Action::ClearInput => {
            input.text.clear();
            input_changed(app)
        }
        _ => Vec::new(),
    }
}

fn help_action(app: &mut App, action: Action) -> Vec<Effect> {
    let Some(Overlay::Help { scroll, .. }) = app.overlay.as_mut() else {
        return Vec::new();
    };
    match action {
        Action::Back | Action::Cancel | Action::Help => app.overlay = None,
        Action::Down => *scroll += 1,
        Action::Up => *scroll = scroll.saturating_sub(1),
        Action::PageDown => *scroll += 10,
        Action::PageUp => *scroll = scroll.saturating_sub(10),
        Action::Top => *scroll = 0,
        _ => {}
    }
    Vec::new()
}

fn palette_action(app: &mut App, action: Action) -> Vec<Effect> {
    let Some(Overlay::Palette(current)) = &app.overlay else {
        return Vec::new();
    };
    let completions = current.completions(app);
    let command = current.command(app);
    let Some(Overlay::Palette(palette)) = app.overlay.as_mut() else {
        return Vec::new();
    };
    match action {
        Action::Cancel | Action::Back => app.overlay = None,
        Action::DeleteChar => {
            palette.text.pop();
            palette.selected = 0;
        }
        Action::ClearInput => {
            palette.text.clear();
            palette.selected = 0;
        }
        Action::Down if !completions.is_empty() => {
            palette.selected = (palette.selected + 1) % completions.len();
        }
        Action::Up if !completions.is_empty() => {
            palette.selected = (palette.selected + completions.len() - 1) % completions.len();
        }
        Action::Complete => {
            if let Some(c) = completions.get(palette.selected.min(completions.len().max(1) - 1)) {
                palette.text = c.clone();
                palette.selected = 0;
            }
        }
        Action::Submit => {
            let typed = palette.text.clone();
            app.overlay = None;
            return match command {
                Ok(command) => run_command(app, command),
                Err(e) if typed.trim().is_empty() => {
                    let _ = e;
                    Vec::new()
                }
                Err(e) => {
                    app.notify(NoticeLevel::Error, e);
                    Vec::new()
                }
            };
        }
        _ => {}
    }
    Vec::new()
}

pub fn run_command(app: &mut App, command: Command) -> Vec<Effect> {
    match command {
        Command::Quit => {
            app.should_quit = true;
            vec![Effect::Quit]
        }
        Command::Help => {
            app.overlay = Some(Overlay::Help {
                context: app.view_context(),
                scroll: 0,
            });
            Vec::new()
        }
        Command::Executions => {
            app.execution = None;
            app.switch_screen(Screen::Executions)
        }
        Command::Timeline | Command::Events | Command::Io => {
            let tab = match command {
                Command::Timeline => Tab::Timeline,
                Command::Events => Tab::Events,
                _ => Tab::Io,
            };
            match app.execution.as_mut() {
                Some(view) => view.tab = tab,
                None => app.notify(
                    NoticeLevel::Error,
                    "no execution open: select one and press Enter",
                ),
            }
            Vec::new()
        }
        Command::StateMachine(name) => {
            let found = app
                .state_machines
                .iter()
                .position(|s| s.name.eq_ignore_ascii_case(&name) || s.arn == name);
            match found {
                Some(i) => target::choose_state_machine(app, i),
                None => {
                    app.notify(
                        NoticeLevel::Error,
                        format!("no state machine named `{name}`"),
                    );
                    Vec::new()
                }
            }
        }
        Command::Filter(status) => {
            app.execution = None;
            app.set_status_filter(status)
        }
        Command::Refresh => refresh(app),
        Command::Run(name) => runs::run_test_case_named(app, &name),
        Command::Profile(name) => target::switch_profile(app, &name),
        Command::Region(name) => target::switch_region(app, &name),
        Command::Collection(name) => target::set_collection(app, &name),
        Command::Bucket(name) => target::set_thumbnail_bucket(app, &name),
        Command::Faces => app.switch_screen(Screen::Faces),
        Command::Thumbnails => app.switch_screen(Screen::Thumbnails),
    }
}

fn refresh(app: &mut App) -> Vec<Effect> {
    if app.state_machine().is_none() {
        // Nothing to list yet: ask for the state machines again (e.g. after a network drop).
        app.reload_state_machines()
    } else if app.execution.is_some() {
        let mut effects = app.describe_open_execution();
        effects.extend(app.poll_history());
        effects
    } else if app.executions.refresh_in_flight.is_none() {
        app.request_refresh()
    } else {
        Vec::new()
    }
}

fn confirm_action(app: &mut App, action: Action) -> Vec<Effect> {
    let Some(Overlay::Confirm(confirm)) = app.overlay.as_mut() else {
        return Vec::new();
    };
    let yes = match action {
        Action::ConfirmYes => true,
        Action::ConfirmAccept => confirm.yes_selected,
        Action::ConfirmToggle => {
            confirm.yes_selected = !confirm.yes_selected;
            return Vec::new();
        }
        Action::ConfirmNo | Action::Cancel | Action::Back => false,
        _ => return Vec::new(),
    };
    let on_yes = confirm.on_yes.clone();
    app.overlay = None;
    if !yes {
        return Vec::new();
    }
    match on_yes {
        ConfirmAction::StopExecution {
            execution_arn,
            name,
        } => {
            app.notify(NoticeLevel::Info, format!("stopping {name}…"));
            vec![Effect::StopExecution { execution_arn }]
        }
        ConfirmAction::RedriveExecution {
            execution_arn,
            name,
        } => {
            app.notify(NoticeLevel::Info, format!("redriving {name}…"));
            vec![Effect::RedriveExecution { execution_arn }]
        }
        ConfirmAction::DeleteFaces { collection, faces } => {
            app.delete_faces_confirmed(collection, faces)
        }
        ConfirmAction::DeleteObject { bucket, object } => {
            app.delete_object_confirmed(bucket, object)
        }
    }
}

fn picker_action(app: &mut App, action: Action) -> Vec<Effect> {
    let count = app.state_machines.len();
    let Some(Overlay::Picker { cursor }) = app.overlay.as_mut() else {
        return Vec::new();
    };
    match action {
        Action::Down => *cursor = (*cursor + 1).min(count.saturating_sub(1)),
        Action::Up => *cursor = cursor.saturating_sub(1),
        Action::Top => *cursor = 0,
        Action::Bottom => *cursor = count.saturating_sub(1),
        Action::Open | Action::Submit => {
            let chosen = *cursor;
            app.overlay = None;
            return target::choose_state_machine(app, chosen);
        }
        Action::Cancel | Action::Back => app.overlay = None,
        _ => {}
    }
    Vec::new()
}

fn ask_to_stop(app: &mut App, arn: String, name: String, status: ExecutionStatus) {
    if status == ExecutionStatus::Running {
        app.overlay = Some(Overlay::Confirm(Confirm::stop_execution(arn, name)));
    } else {
        app.notify(
            NoticeLevel::Error,
            format!(
                "{name} is {}: only running executions can be stopped",
                status.as_str()
            ),
        );
    }
}

/// Redrive is for executions that ended without success; whether this one is eligible
/// (Standard type, within 14 days, not redriven too often…) is the service's answer.
fn ask_to_redrive(app: &mut App, arn: String, name: String, status: ExecutionStatus) {
    if matches!(
        status,
        ExecutionStatus::Failed | ExecutionStatus::Aborted | ExecutionStatus::TimedOut
    ) {
        app.overlay = Some(Overlay::Confirm(Confirm::redrive_execution(arn, name)));
    } else {
        app.notify(
            NoticeLevel::Error,
            format!(
                "{name} is {}: only failed, aborted or timed-out executions can be redriven",
                status.as_str()
            ),
        );
    }
}

fn executions_action(app: &mut App, action: Action) -> Vec<Effect> {
    let page = app.page_rows();
    let now = app.now;
    let list = &mut app.executions;
    match action {
        Action::Down => list.move_cursor(1, page),
        Action::Up => list.move_cursor(-1, page),
        Action::PageDown => list.move_cursor(page as isize, page),
        Action::PageUp => list.move_cursor(-(page as isize), page),
        Action::Top => list.set_cursor(0, page),
        Action::Bottom => list.set_cursor(usize::MAX, page),
        Action::Open => return app.open_selected(),
        Action::Back if !list.text_filter.is_empty() => {
            return apply_input(app, InputPurpose::ListFilter, String::new());
        }
        Action::Filter => {
            let current = list.text_filter.clone();
            app.overlay = Some(Overlay::Input(TextInput {
                purpose: InputPurpose::ListFilter,
                text: current.clone(),
                previous: current,
            }));
        }
        Action::CycleStatusFilter => {
            let next = next_status_filter(list.status_filter);
            let label = next.map_or("all", ExecutionStatus::as_str);
            let effects = app.set_status_filter(next);
            app.notify(NoticeLevel::Info, format!("status filter: {label}"));
            return effects;
        }
        Action::SortByStatus
        | Action::SortByName
        | Action::SortByStart
        | Action::SortByDuration => {
            let column = match action {
                Action::SortByStatus => SortColumn::Status,
                Action::SortByName => SortColumn::Name,
                Action::SortByStart => SortColumn::Start,
                _ => SortColumn::Duration,
            };
            list.sort_by(column, now);
            let cursor = list.cursor;
            list.set_cursor(cursor, page);
        }
        Action::PickStateMachine => {
            if app.state_machines.len() > 1 {
                app.overlay = Some(Overlay::Picker {
                    cursor: app.selected_state_machine.unwrap_or(0),
                });
            } else {
                app.notify(NoticeLevel::Info, "there is only one state machine");
            }
        }
        Action::Refresh => return refresh(app),
        Action::StartTestCase => return runs::open_test_case_picker(app),
        Action::JumpToFace => return face_jump::jump_to_face(app),
        Action::Rerun => return runs::rerun(app, Intent::Same),
        Action::RerunAsUser => return runs::rerun(app, Intent::AsOtherUser),
        Action::EditAndRun => return runs::rerun(app, Intent::Edit),
        Action::StopExecution => {
            if let Some(row) = list.selected() {
                let (arn, name, status) = (row.arn.clone(), row.name.clone(), row.status);
                ask_to_stop(app, arn, name, status);
            }
        }
        Action::RedriveExecution => {
            if let Some(row) = list.selected() {
                let (arn, name, status) = (row.arn.clone(), row.name.clone(), row.status);
                ask_to_redrive(app, arn, name, status);
            }
        }
        _ => {}
    }
    app.request_next_page_if_needed()
}

fn execution_action(app: &mut App, action: Action) -> Vec<Effect> {
    let page = app.page_rows();
    let now = app.now;
    let Some(view) = app.execution.as_mut() else {
        return Vec::new();
    };
    match action {
        Action::Back if view.tab == Tab::Timeline && view.timeline.details => {
            view.timeline.details = false;
        }
        Action::Back => app.execution = None,
        Action::NextTab => view.tab = view.tab.next(),
        Action::PrevTab => view.tab = view.tab.prev(),
        Action::StopExecution => {
            let (arn, name, status) = (view.arn.clone(), view.summary.name.clone(), view.status());
            ask_to_stop(app, arn, name, status);
        }
        Action::RedriveExecution => {
            let (arn, name, status) = (view.arn.clone(), view.summary.name.clone(), view.status());
            ask_to_redrive(app, arn, name, status);
        }
        Action::Rerun => return runs::rerun(app, Intent::Same),
        Action::RerunAsUser => return runs::rerun(app, Intent::AsOtherUser),
        Action::EditAndRun => return runs::rerun(app, Intent::Edit),
        Action::JumpToFace => return face_jump::jump_to_face(app),
        // Describe again and ask for new events (also the way back after a refused history).
        Action::Refresh => return refresh(app),
        _ => {
            return match view.tab {
                Tab::Timeline => timeline_action(app, action, page, now),
                Tab::Events => events_action(app, action, page),
                Tab::Io => io_action(app, action, page),
            };
        }
    }
    Vec::new()
}

fn timeline_action(app: &mut App, action: Action, page: usize, now: i64) -> Vec<Effect> {
    let Some(view) = app.execution.as_mut() else {
        return Vec::new();
    };
    if let Some(target) = moved(action, view.timeline.selected, page) {
        view.move_timeline(target, page);
        return Vec::new();
    }
    match action {
        Action::ToggleDetails | Action::Open => {
            view.timeline.details = !view.timeline.details;
            let wants_payloads = view.timeline.details
                && view
                    .selected_span()
                    .is_some_and(|s| view.needs_payloads_for(s));
            if wants_payloads {
                return app.request_payloads();
            }
        }
        Action::ZoomIn => view.zoom(true, now),
        Action::ZoomOut => view.zoom(false, now),
        Action::PanLeft => view.pan(false, now),
        Action::PanRight => view.pan(true, now),
        Action::Fit => view.fit(),
        Action::Follow => toggle_follow(app),
        _ => {}
    }
    Vec::new()
}

fn toggle_follow(app: &mut App) {
    let Some(view) = app.execution.as_mut() else {
        return;
    };
    if view.timeline.follow {
        view.timeline.follow = false;
    } else if view.is_running() {
        view.timeline.follow = true;
    } else {
        app.notify(NoticeLevel::Info, "follow applies to running executions");
    }
}

fn events_action(app: &mut App, action: Action, page: usize) -> Vec<Effect> {
    let Some(view) = app.execution.as_mut() else {
        return Vec::new();
    };
    if let Some(target) = moved(action, view.events_view.cursor, page) {
        view.move_events(target, page);
        return Vec::new();
    }
    match action {
        Action::Search => {
            let current = view.events_view.search.clone();
            app.overlay = Some(Overlay::Input(TextInput {
                purpose: InputPurpose::EventSearch,
                text: current.clone(),
                previous: current,
            }));
        }
        Action::NextMatch | Action::PrevMatch => {
            if view.events_view.search.is_empty() {
                app.notify(NoticeLevel::Info, "no search: press / to search the events");
            } else {
                match view.find_match(action == Action::NextMatch, false) {
                    Some(i) => view.move_events(i, page),
                    None => {
                        let text = format!("no event matches `{}`", view.events_view.search);
                        app.notify(NoticeLevel::Info, text);
                    }
                }
            }
        }
        _ => {}
    }
    Vec::new()
}

fn io_action(app: &mut App, action: Action, page: usize) -> Vec<Effect> {
    let Some(view) = app.execution.as_mut() else {
        return Vec::new();
    };
    if let Some(target) = moved(action, view.io_scroll, page) {
        let last = io_line_count(view).saturating_sub(page);
        view.io_scroll = target.min(last);
        return Vec::new();
    }
    let (text, what) = match action {
        Action::CopyInput => (view.input().map(str::to_string), "input"),
        Action::CopyOutput => {
            let output = view.output().map(str::to_string).or_else(|| {
                let (error, cause) = view.error_and_cause();
                error.map(|e| format!("{e}: {}", cause.unwrap_or_default()))
            });
            (output, "output")
        }
        _ => return Vec::new(),
    };
    match text {
        Some(text) => vec![Effect::CopyToClipboard(text)],
        None => {
            app.notify(NoticeLevel::Info, format!("no {what} to copy yet"));
            Vec::new()
        }
    }
}

/// Lines of the Input/Output tab: a title and the pretty JSON of each section. Mirrors the
/// view's layout closely enough to stop scrolling at the end.
pub fn io_line_count(view: &ExecutionView) -> usize {
    let pretty_lines = |text: Option<&str>| {
        text.map_or(1, |t| {
            serde_json::from_str::<serde_json::Value>(t)
                .ok()
                .and_then(|v| serde_json::to_string_pretty(&v).ok())
                .map_or_else(|| t.lines().count(), |p| p.lines().count())
        })
    };
    let (error, cause) = view.error_and_cause();
    let mut count = 1 + pretty_lines(view.input()) + 2 + pretty_lines(view.output());
    if error.is_some() || cause.is_some() {
        count += 2 + pretty_lines(cause);
    }
    count
}
