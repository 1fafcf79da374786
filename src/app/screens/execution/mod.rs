//! The open execution: its description, the incrementally built timeline and the raw events,
//! state payloads fetched on demand, and the per-tab view state (timeline selection and time
//! window, events cursor and search, input/output scroll). When the history is denied, the
//! view lives on the description alone and says which permission is missing.

pub mod definition;
pub mod definition_state;
pub mod details;
pub mod events;
pub mod events_list;
pub mod io;
pub mod keys;
pub mod timeline;
pub mod update;
pub mod view;

use crate::app::fetch::Fetch;
use crate::app::list::scroll_to;
use crate::domain::Millis;
use crate::domain::execution::{ExecutionDetail, ExecutionStatus, ExecutionSummary, Outcome};
use crate::domain::history::HistoryEvent;
use crate::domain::timeline::chart::TimeAxis;
use crate::domain::timeline::{RowKind, Span, Timeline, TimelineBuilder, TimelineRow};
use std::collections::HashMap;

/// How often the history of a running execution is polled.
pub const HISTORY_POLL_MS: Millis = 1_000;
/// A failed history read is tried again on the poll schedule, each failure doubling the wait
/// up to this (a failing endpoint is not hammered every second).
pub const HISTORY_RETRY_MAX_MS: Millis = 30_000;
/// Step Functions keeps at most this many events per execution.
pub const HISTORY_EVENT_LIMIT: usize = 25_000;
/// Narrowest time window the zoom goes down to.
pub const MIN_WINDOW_MS: Millis = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Timeline,
    Definition,
    Events,
    Io,
}

impl Tab {
    pub const ALL: [Tab; 4] = [Tab::Timeline, Tab::Events, Tab::Io, Tab::Definition];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Timeline => "Timeline",
            Tab::Definition => "Definition",
            Tab::Events => "Events",
            Tab::Io => "Input/Output",
        }
    }

    pub fn next(self) -> Tab {
        let i = Tab::ALL.iter().position(|&t| t == self).unwrap_or(0);
        Tab::ALL[(i + 1) % Tab::ALL.len()]
    }

    pub fn prev(self) -> Tab {
        let i = Tab::ALL.iter().position(|&t| t == self).unwrap_or(0);
        Tab::ALL[(i + Tab::ALL.len() - 1) % Tab::ALL.len()]
    }
}

/// The execution data of one history event, from a fetch with execution data: input and
/// output, a task's resolved parameters, the variables a state assigned.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventPayload {
    pub input: Option<String>,
    pub output: Option<String>,
    pub parameters: Option<String>,
    pub assigned_variables: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default)]
pub struct TimelineState {
    /// `Timeline::rows()` after the last history update.
    pub rows: Vec<TimelineRow>,
    pub selected: usize,
    pub offset: usize,
    /// Chosen window in ms since the execution started; None fits the whole execution.
    pub window: Option<(Millis, Millis)>,
    /// Keep the window's right edge at now while the execution runs.
    pub follow: bool,
    /// The details pane of the selected span is open.
    pub details: bool,
    /// How far the details pane is scrolled (back to the top when the selection moves).
    pub details_scroll: u16,
    /// A state to select once its span is in the timeline (opened from the dashboard at a
    /// state): the first span of that name.
    pub select_state: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct EventsState {
    /// Index into `State::events` of the event under the cursor (always a shown one).
    pub cursor: usize,
    /// First row shown, a position among the shown events.
    pub offset: usize,
    pub search: String,
    /// Indices into `State::events` matching `search`.
    pub matches: Vec<usize>,
    /// Only failures are shown (`*Failed`, `*TimedOut`, `*Aborted`).
    pub failures_only: bool,
    /// Indices into `State::events` of the failures, in order (kept as events arrive).
    pub failures: Vec<usize>,
    /// The event opened as its full JSON (its id), and how far that text is scrolled.
    pub expanded: Option<i64>,
    pub expanded_scroll: usize,
    /// A history file to write once the states' inputs and outputs have been read.
    pub pending_write: Option<std::path::PathBuf>,
}

/// The open execution (the executions screen drilled in).
#[derive(Debug, Clone)]
pub struct State {
    pub arn: String,
    /// The list row it was opened from (the header until the description arrives).
    pub summary: ExecutionSummary,
    pub detail: Option<ExecutionDetail>,
    /// DescribeExecution: asked at open, after the history saw the end, and polled while the
    /// history is denied.
    pub describe: Fetch,
    pub builder: TimelineBuilder,
    /// Every event received, in id order (the Events tab).
    pub events: Vec<HistoryEvent>,
    /// GetExecutionHistory, polled for new events while the execution runs. When it is
    /// refused (`denied`), the history is no longer polled and the view shows the
    /// description only.
    pub history: Fetch,
    pub history_loaded: bool,
    /// When the last good history answer arrived: FOLLOW turns STALE when it is older than
    /// twice the poll interval (a hung or failing poll must not look live).
    pub history_ok_at: Option<Millis>,
    /// Why the events held may not be all there are (a history read failed, or was refused
    /// after some events arrived): the timeline says "history incomplete" and its statuses
    /// are not final until a read succeeds again.
    pub history_gap: Option<String>,
    /// History reads failed in a row: the retry waits longer each time.
    pub history_failures: u32,
    /// A redrive was accepted while the history held this many redrives: the history is
    /// read on until its `ExecutionRedriven` arrives (the new segment is then followed).
    pub awaiting_redrive: Option<u32>,
    /// State inputs/outputs by event id, filled by one fetch with execution data.
    pub payloads: HashMap<i64, EventPayload>,
    pub payload: Fetch,
    /// Highest event id the payload fetch covered (0 = never fetched).
    pub payloads_through: i64,
    /// The last error loading this execution.
    pub error: Option<String>,
    pub tab: Tab,
    pub timeline: TimelineState,
    pub events_view: EventsState,
    pub io_scroll: usize,
    /// The Definition tab: the definition the execution ran, drawn as a graph.
    pub definition: definition_state::DefinitionState,
}

impl State {
    pub fn new(summary: ExecutionSummary) -> Self {
        let running = summary.status == ExecutionStatus::Running;
        State {
            arn: summary.arn.clone(),
            summary,
            detail: None,
            describe: Fetch::default(),
            builder: TimelineBuilder::new(),
            events: Vec::new(),
            history: Fetch::default(),
            history_loaded: false,
            history_ok_at: None,
            history_gap: None,
            history_failures: 0,
            awaiting_redrive: None,
            payloads: HashMap::new(),
            payload: Fetch::default(),
            payloads_through: 0,
            error: None,
            definition: definition_state::DefinitionState::default(),
            tab: Tab::Timeline,
            timeline: TimelineState {
                follow: running,
                ..TimelineState::default()
            },
            events_view: EventsState::default(),
            io_scroll: 0,
        }
    }

    pub fn timeline(&self) -> &Timeline {
        self.builder.timeline()
    }

    /// The freshest known status: the history (polled every second) can be ahead of the
    /// description, and a terminal status from either source wins.
    pub fn status(&self) -> ExecutionStatus {
        let described = self
            .detail
            .as_ref()
            .map(|d| d.summary.status)
            .unwrap_or(self.summary.status);
        let timeline = self.timeline();
        // A redrive the history has and the description not yet: the history is fresher.
        let described_redrives = self.detail.as_ref().map_or(0, |d| d.redrive_count);
        if timeline.event_count > 0
            && (timeline.execution.status.is_terminal() && !self.redrive_pending()
                || timeline.execution.redrive_count > described_redrives)
        {
            timeline.execution.status
        } else {
            described
        }
    }

    /// A redrive was accepted and its `ExecutionRedriven` is not read yet.
    pub fn redrive_pending(&self) -> bool {
        self.awaiting_redrive
            .is_some_and(|before| self.timeline().execution.redrive_count <= before)
    }

    pub fn is_running(&self) -> bool {
        self.status() == ExecutionStatus::Running
    }

    /// The history's events reached the execution's end: nothing more to read.
    pub fn history_ended(&self) -> bool {
        let timeline = self.timeline();
        timeline.event_count > 0
            && timeline.execution.status.is_terminal()
            && !self.redrive_pending()
    }

    /// The wait before the next history read: the poll interval, doubled for each read that
    /// failed in a row, up to `HISTORY_RETRY_MAX_MS`.
    pub fn history_interval(&self) -> Millis {
        let doublings = self.history_failures.min(16);
        (HISTORY_POLL_MS << doublings).min(HISTORY_RETRY_MAX_MS.max(HISTORY_POLL_MS))
    }

    /// Start of the execution: from the history once it is loaded (exact), else the list's.
    pub fn start(&self) -> Millis {
        let timeline = self.timeline();
        if timeline.event_count > 0 {
            timeline.execution.start
        } else {
            self.summary.start
        }
    }

    /// End of the execution, when it has ended.
    pub fn end(&self) -> Option<Millis> {
        let timeline = self.timeline();
        if timeline.event_count > 0 && timeline.execution.end.is_some() {
            return timeline.execution.end;
        }
        self.detail
            .as_ref()
            .and_then(|d| d.summary.stop)
            .or(self.summary.stop)
    }

    pub fn duration(&self, now: Millis) -> Millis {
        self.end().unwrap_or(now) - self.start()
    }

    /// How many times the execution was redriven: the history's count, or the description's
    /// while the history has not shown it.
    pub fn redrive_count(&self) -> u32 {
        let described = self.detail.as_ref().map_or(0, |d| d.redrive_count);
        self.timeline().execution.redrive_count.max(described)
    }

    /// Length of the Gantt's time axis: the duration without the idle gaps before redrives
    /// (the wait between a failure and its redrive is not drawn).
    pub fn chart_length(&self, now: Millis) -> Millis {
        TimeAxis::of(self.timeline())
            .span(self.start(), self.end().unwrap_or(now).max(self.start()))
    }

    /// What the run did: from the history once it is complete, else what the list knew.
    pub fn outcome(&self) -> Option<Outcome> {
        let timeline = self.timeline();
        if self.history_loaded
            && timeline.execution.status.is_terminal()
            && let Some(outcome) = timeline.outcome()
        {
            return Some(outcome);
        }
        self.detail
            .as_ref()
            .and_then(|d| d.summary.outcome.clone())
            .or_else(|| self.summary.outcome.clone())
    }

    /// Applies newly fetched events (timeline incremental update, events list, search).
    pub fn apply_history(&mut self, mut events: Vec<HistoryEvent>) {
        events.sort_by_key(|e| e.id);
        let last = self.events.last().map(|e| e.id).unwrap_or(0);
        events.retain(|e| e.id > last);
        self.builder.extend(&events);
        let first = self.events.len();
        self.events.extend(events);
        self.note_failures(first);
        self.history_loaded = true;
        let selected = self.timeline.rows.get(self.timeline.selected).cloned();
        self.timeline.rows = self.builder.timeline().rows();
        if let Some(row) = selected
            && let Some(i) = self.timeline.rows.iter().position(|r| r.kind == row.kind)
        {
            self.timeline.selected = i;
        }
        if let Some(name) = self.timeline.select_state.clone()
            && let Some(at) = self.row_of_state(&name)
        {
            self.timeline.selected = at;
            self.timeline.select_state = None;
        }
        self.timeline.selected = self
            .timeline
            .selected
            .min(self.timeline.rows.len().saturating_sub(1));
        self.recompute_matches();
    }

    /// Keeps the inputs/outputs of a fetch with execution data.
    pub fn apply_payloads(&mut self, events: &[HistoryEvent]) {
        for e in events {
            let d = &e.details;
            if d.input.is_some()
                || d.output.is_some()
                || d.parameters.is_some()
                || !d.assigned_variables.is_empty()
            {
                self.payloads.insert(
                    e.id,
                    EventPayload {
                        input: d.input.clone(),
                        output: d.output.clone(),
                        parameters: d.parameters.clone(),
                        assigned_variables: d.assigned_variables.clone(),
                    },
                );
            }
            self.payloads_through = self.payloads_through.max(e.id);
        }
    }

    /// The timeline row of the first span of state `name`, if it was entered.
    pub fn row_of_state(&self, name: &str) -> Option<usize> {
        let timeline = self.builder.timeline();
        self.timeline
            .rows
            .iter()
            .position(|r| matches!(r.kind, RowKind::Span(id) if timeline.spans[id].name == name))
    }

    /// The event that scheduled the span's first attempt (each attempt is scheduled alike).
    pub fn first_scheduled(&self, span: &Span) -> Option<&HistoryEvent> {
        self.event(span.attempts.iter().find_map(|a| a.scheduled_event_id)?)
    }

    /// The resource the span's task called (from the event that scheduled its first attempt).
    pub fn span_resource(&self, span: &Span) -> Option<crate::domain::resource::TaskResource> {
        let scheduled = self.first_scheduled(span)?;
        let d = &scheduled.details;
        crate::domain::resource::task_resource(
            d.resource_type.as_deref(),
            d.resource.as_deref(),
            d.region.as_deref(),
            self.event_parameters(scheduled.id),
        )
    }

    /// The event of `id`, if it arrived (events are held in id order).
    pub fn event(&self, id: i64) -> Option<&HistoryEvent> {
        let at = self.events.binary_search_by_key(&id, |e| e.id).ok()?;
        self.events.get(at)
    }

    /// A task's resolved parameters: on the event itself, or from the payload fetch (a history
    /// read without execution data leaves them out).
    pub fn event_parameters(&self, id: i64) -> Option<&str> {
        self.event(id)
            .and_then(|e| e.details.parameters.as_deref())
            .or_else(|| self.payloads.get(&id)?.parameters.as_deref())
    }

    /// An event's output (a task's raw result on its `TaskSucceeded`).
    pub fn event_output(&self, id: i64) -> Option<&str> {
        self.event(id)
            .and_then(|e| e.details.output.as_deref())
            .or_else(|| self.payloads.get(&id)?.output.as_deref())
    }

    /// The variables a state assigned, on its exit event.
    pub fn event_variables(&self, id: i64) -> Option<&std::collections::BTreeMap<String, String>> {
        let on_event = self
            .event(id)
            .map(|e| &e.details.assigned_variables)
            .filter(|v| !v.is_empty());
        on_event.or_else(|| self.payloads.get(&id).map(|p| &p.assigned_variables))
    }

    /// The span of the selected timeline row, if it is a span (not a lane header).
    pub fn selected_span(&self) -> Option<&Span> {
        match self.timeline.rows.get(self.timeline.selected)?.kind {
            RowKind::Span(id) => self.timeline().spans.get(id),
            RowKind::Lane { .. } => None,
        }
    }

    /// The state's input: from the span itself or from the payload fetch (entered event).
    pub fn span_input<'a>(&'a self, span: &'a Span) -> Option<&'a str> {
        span.input.as_deref().or_else(|| {
            self.payloads
                .get(&span.entered_event_id)
                .and_then(|p| p.input.as_deref())
        })
    }

    /// The state's output: from the span itself or from the payload fetch (exited event).
    pub fn span_output<'a>(&'a self, span: &'a Span) -> Option<&'a str> {
        span.output.as_deref().or_else(|| {
            let id = span.exited_event_id?;
            self.payloads.get(&id).and_then(|p| p.output.as_deref())
        })
    }

    /// Whether opening this span's details needs a payload fetch.
    pub fn needs_payloads_for(&self, span: &Span) -> bool {
        !self.payload.busy()
            && span.input.is_none()
            && span.entered_event_id > self.payloads_through
    }

    /// The Gantt window in ms since the execution started, on the chart's axis (a redrive's
    /// idle gap left out).
    pub fn window(&self, now: Millis) -> (Millis, Millis) {
        let total = self.chart_length(now).max(1);
        match self.timeline.window {
            None => (0, total),
            Some((from, to)) if self.timeline.follow && self.is_running() => {
                let width = to - from;
                ((total - width).max(0), (total - width).max(0) + width)
            }
            Some(window) => window,
        }
    }

    pub fn zoom(&mut self, zoom_in: bool, now: Millis) {
        let total = self.chart_length(now).max(1);
        let (from, to) = self.window(now);
        let width = to - from;
        let new_width = if zoom_in {
            (width / 2).max(MIN_WINDOW_MS)
        } else {
            width.saturating_mul(2)
        };
        if new_width >= total && !zoom_in {
            self.timeline.window = None;
            return;
        }
        // Following keeps the right edge; otherwise zoom around the centre.
        let new_from = if self.timeline.follow && self.is_running() {
            to - new_width
        } else {
            from + (width - new_width) / 2
        };
        let new_from = new_from.max(0);
        self.timeline.window = Some((new_from, new_from + new_width));
    }

    pub fn pan(&mut self, right: bool, now: Millis) {
        let (from, to) = self.window(now);
        let width = to - from;
        let step = (width / 4).max(1);
        let total = self.chart_length(now).max(1);
        let new_from = if right {
            (from + step).min((total - width).max(0))
        } else {
            (from - step).max(0)
        };
        self.timeline.window = Some((new_from, new_from + width));
        self.timeline.follow = false;
    }

    pub fn fit(&mut self) {
        self.timeline.window = None;
        self.timeline.follow = self.is_running();
    }

    pub fn move_timeline(&mut self, target: usize, page_rows: usize) {
        let t = &mut self.timeline;
        let selected = target.min(t.rows.len().saturating_sub(1));
        if selected != t.selected {
            t.details_scroll = 0;
        }
        t.selected = selected;
        t.offset = scroll_to(t.offset, t.selected, page_rows);
    }

    /// Elapsed time of an event since the execution started.
    pub fn elapsed(&self, event: &HistoryEvent) -> Millis {
        let start = self
            .events
            .first()
            .map(|e| e.timestamp)
            .unwrap_or(self.start());
        event.timestamp - start
    }

    /// The execution's input JSON text, when known.
    pub fn input(&self) -> Option<&str> {
        self.detail
            .as_ref()
            .and_then(|d| d.input.as_deref())
            .or(self.timeline().execution.input.as_deref())
    }

    pub fn output(&self) -> Option<&str> {
        self.detail
            .as_ref()
            .and_then(|d| d.output.as_deref())
            .or(self.timeline().execution.output.as_deref())
    }

    pub fn error_and_cause(&self) -> (Option<&str>, Option<&str>) {
        let d = self.detail.as_ref();
        let t = &self.timeline().execution;
        (
            d.and_then(|d| d.error.as_deref()).or(t.error.as_deref()),
            d.and_then(|d| d.cause.as_deref()).or(t.cause.as_deref()),
        )
    }
}
