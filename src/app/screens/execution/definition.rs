//! The Definition tab: the definition the execution ran (`DescribeStateMachineForExecution`,
//! asked once, when this tab or the details pane first needs it) drawn as a graph, each state
//! coloured by how it went in this execution and the ones never reached dimmed; a cursor over
//! the states, `Enter` opens the state's details on the Timeline tab, `z` folds a Parallel or
//! Map into one box.

use super::definition_state::Loaded;
use super::{State, Tab};
use crate::app::ctx::{Ctx, View};
use crate::app::effect::Effect;
use crate::app::msg::Generation;
use crate::app::notice::NoticeLevel;
use crate::app::widgets::json::json_lines;
use crate::app::widgets::state_graph::StateGraph;
use crate::app::widgets::theme;
use crate::backend::BackendError;
use crate::domain::definition::layout::{Dir, GraphLayout};
use crate::domain::definition::parse_definition;
use crate::domain::execution::ExecutionDefinition;
use crate::domain::text::escape_control;
use crate::domain::time::format_rfc3339;
use crate::domain::timeline::SpanStatus;
use crate::keymap::action::Action;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use std::collections::HashMap;

/// Asks for the definition if it is wanted and not held (one request per execution).
pub fn request(s: &mut State, cx: &mut Ctx) -> Vec<Effect> {
    if !s.definition.wanted() {
        return Vec::new();
    }
    let generation = cx.next_generation();
    s.definition.fetch.begin(generation, cx.now, ());
    vec![Effect::LoadDefinition {
        generation,
        execution_arn: s.arn.clone(),
    }]
}

/// `ctrl-r`: a failed or refused read is asked again.
pub fn retry(s: &mut State, cx: &mut Ctx) -> Vec<Effect> {
    if s.definition.loaded.is_some() {
        return Vec::new();
    }
    s.definition.error = None;
    s.definition.fetch.denied = None;
    request(s, cx)
}

pub fn on_loaded(
    s: &mut State,
    generation: Generation,
    result: Result<ExecutionDefinition, BackendError>,
) {
    if s.definition.fetch.accept(generation).is_none() {
        return;
    }
    match result {
        Ok(source) => {
            let parsed = parse_definition(&source.definition);
            s.definition.loaded = Some(Loaded {
                source,
                parsed,
                layout: GraphLayout::default(),
            });
            s.definition.relayout();
            // Start on the state the timeline has selected, else the first.
            if let Some(index) = s
                .selected_span()
                .map(|span| span.name.clone())
                .and_then(|name| s.definition.loaded.as_ref()?.layout.index_of(&name))
            {
                s.definition.cursor = index;
            }
        }
        Err(BackendError::AccessDenied { action, .. }) => s.definition.fetch.denied = Some(action),
        Err(e) => s.definition.error = Some(e.to_string()),
    }
}

/// How each state went in this execution: the most telling status of its spans (a state
/// inside a Map has one per iteration; a looped one, one per visit). None: never entered.
fn statuses(view: &State) -> HashMap<&str, SpanStatus> {
    fn rank(status: SpanStatus) -> u8 {
        match status {
            SpanStatus::Running => 5,
            SpanStatus::Failed => 4,
            SpanStatus::TimedOut => 3,
            SpanStatus::Aborted => 2,
            SpanStatus::Caught => 1,
            SpanStatus::Succeeded => 0,
        }
    }
    let mut by_name: HashMap<&str, SpanStatus> = HashMap::new();
    for span in &view.timeline().spans {
        by_name
            .entry(span.name.as_str())
            .and_modify(|held| {
                if rank(span.status) > rank(*held) {
                    *held = span.status;
                }
            })
            .or_insert(span.status);
    }
    by_name
}

pub fn render(view: &State, _cx: &View, frame: &mut Frame, area: Rect) {
    let state = &view.definition;
    let [header, main] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
    let Some(loaded) = &state.loaded else {
        let text = if let Some(action) = &state.fetch.denied {
            format!(
                "  missing permission {action}: the definition cannot be shown · ctrl-r asks again"
            )
        } else if let Some(error) = &state.error {
            format!(
                "  reading the definition failed: {} · ctrl-r asks again",
                escape_control(error)
            )
        } else {
            "  loading the definition…".to_string()
        };
        frame.render_widget(Line::from(Span::styled(text, theme::dim())), header);
        return;
    };
    let mut title = vec![
        Span::styled(" ", theme::dim()),
        Span::styled(
            escape_control(&loaded.source.name).into_owned(),
            theme::title(),
        ),
    ];
    if let Some(revision) = &loaded.source.revision_id {
        title.push(Span::styled(
            format!(" · revision {}", escape_control(revision)),
            theme::dim(),
        ));
    }
    if let Some(updated) = loaded.source.updated {
        title.push(Span::styled(
            format!(" · updated {}", updated_at(updated)),
            theme::dim(),
        ));
    }
    match &loaded.parsed {
        Err(why) => {
            frame.render_widget(Line::from(title), header);
            // The reason first, then the text as it came (coloured where it is JSON).
            let mut lines = vec![Line::from(Span::styled(
                format!(" not drawn: {}", escape_control(why)),
                theme::error(),
            ))];
            lines.extend(json_lines(&loaded.source.definition));
            frame.render_widget(Paragraph::new(lines), main);
        }
        Ok(_) => {
            // The keys, where the line has room for them (the hint bar names them too).
            let hint = "  ←↓↑→ move · Enter details · z fold";
            let used: usize = title.iter().map(|s| s.width()).sum();
            if used + hint.chars().count() <= usize::from(header.width) {
                title.push(Span::styled(hint, theme::dim()));
            }
            frame.render_widget(Line::from(title), header);
            let statuses = statuses(view);
            let status = |name: &str| statuses.get(name).copied();
            let graph = StateGraph {
                layout: &loaded.layout,
                status: &status,
                selected: Some(state.cursor),
                scroll: state.scroll,
            };
            frame.render_widget(graph, main);
        }
    }
}

/// `2025-11-24 10:06`: to the minute, with the year (a definition may be old).
fn updated_at(ms: crate::domain::Millis) -> String {
    format_rfc3339(ms)
        .chars()
        .take(16)
        .collect::<String>()
        .replace('T', " ")
}

/// The Definition tab's keys: the cursor over the states (keeping it in view), `Enter` to the
/// state's details on the Timeline tab, `z` to fold or unfold a Parallel or Map.
pub fn on_action(s: &mut State, cx: &mut Ctx, action: Action) -> Vec<Effect> {
    let viewport = cx.graph_viewport();
    let direction = match action {
        Action::Up => Some(Dir::Up),
        Action::Down => Some(Dir::Down),
        Action::CursorLeft => Some(Dir::Left),
        Action::CursorRight => Some(Dir::Right),
        _ => None,
    };
    let state = &mut s.definition;
    let boxes = state.loaded.as_ref().map_or(0, |l| l.layout.boxes.len());
    let target = match (direction, action) {
        (Some(direction), _) => state
            .loaded
            .as_ref()
            .and_then(|l| l.layout.neighbour(state.cursor, direction)),
        (None, Action::Top) if boxes > 0 => Some(0),
        (None, Action::Bottom) if boxes > 0 => Some(boxes - 1),
        _ => None,
    };
    if let Some(target) = target {
        state.move_to(target, viewport);
        return Vec::new();
    }
    match action {
        Action::ToggleFold => {
            let Some(name) = state.selected_name().map(str::to_string) else {
                return Vec::new();
            };
            let container = state
                .loaded
                .as_ref()
                .and_then(|l| l.layout.boxes.get(state.cursor))
                .is_some_and(|b| b.container || b.folded);
            if !container {
                cx.notify(NoticeLevel::Info, "only a Parallel or a Map folds");
                return Vec::new();
            }
            if !state.folded.remove(&name) {
                state.folded.insert(name);
            }
            state.relayout();
            state.move_to(state.cursor, viewport);
        }
        Action::Open | Action::ToggleDetails => {
            let Some(name) = state.selected_name().map(str::to_string) else {
                return Vec::new();
            };
            return open_details(s, cx, &name);
        }
        _ => {}
    }
    Vec::new()
}

/// The state's details on the Timeline tab: its first span selected and the pane opened; a
/// state never entered in this execution has no details to show.
fn open_details(s: &mut State, cx: &mut Ctx, name: &str) -> Vec<Effect> {
    let Some(row) = s.row_of_state(name) else {
        cx.notify(
            NoticeLevel::Info,
            format!("{} was not entered in this execution", escape_control(name)),
        );
        return Vec::new();
    };
    s.tab = Tab::Timeline;
    s.move_timeline(row, cx.page_rows());
    s.timeline.details = true;
    let wants_payloads = s
        .selected_span()
        .is_some_and(|span| s.needs_payloads_for(span));
    if wants_payloads {
        return super::update::request_payloads(s, cx);
    }
    Vec::new()
}
