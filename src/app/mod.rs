//! Pure UI state and its transitions: `App`, user intents (`Action`), inputs (`Msg`) and
//! requests (`Effect`). `update(&mut App, Msg) -> Vec<Effect>` does no I/O and reads no clock.

pub mod commands;
pub mod effect;
pub mod flows;
pub mod frame;
pub mod list;
pub mod msg;
pub mod overlays;
pub mod safety;
pub mod screen;
pub mod screens;
pub mod widgets;

mod keys;

use crate::backend::{BackendError, BackendInfo, HistoryRequest, ListExecutionsRequest, Page};
use crate::domain::Millis;
use crate::domain::execution::{
    ExecutionDetail, ExecutionStatus, ExecutionSummary, StateMachineSummary,
};
use crate::domain::history::HistoryEvent;
use crate::keymap::{Context, Key, Keymap};
use effect::Effect;
use msg::{Generation, Msg};
use overlays::Overlay;
use screen::Screen;
use screens::execution::{ExecutionView, HISTORY_POLL_MS, Tab};
use screens::executions::{ExecutionsList, PAGE_SIZE};
use screens::faces::FacesView;
use screens::thumbnails::ThumbnailsView;

/// Period of the animation tick (spinners, growing bars) while something runs on screen.
pub const ANIMATION_MS: Millis = 150;
/// Lines the views take around a list (header, table header, notice, hint bar): used to
/// estimate how many rows a page holds for paging and scrolling.
pub const CHROME_ROWS: u16 = 5;

/// Start-up choices that shape the app (from the CLI and the settings file).
#[derive(Debug, Clone, PartialEq)]
pub struct AppOptions {
    /// State machine to open first (name or ARN); the first listed one otherwise.
    pub state_machine: Option<String>,
    /// Floor of the list refresh interval.
    pub refresh_interval_ms: i64,
    /// Problems found while loading the keymap/settings, shown on screen at start.
    pub startup_problems: Vec<String>,
    /// Face collection of the faces screen.
    pub collection: String,
    /// Bucket of the thumbnails screen; found among the buckets when None.
    pub thumbnail_bucket: Option<String>,
    /// Deletion journal (JSON lines); deleting is refused without one.
    pub journal_path: Option<std::path::PathBuf>,
    /// Refuse every mutating action (`--read-only`, `read_only = true`).
    pub read_only: bool,
    /// The test-case library offered by `s` and `:run`.
    pub test_cases: Vec<crate::domain::test_case::TestCase>,
    /// The settings file "save as test case" appends to; None: saving is unavailable.
    pub settings_path: Option<std::path::PathBuf>,
    /// The AWS profile and region connected to; None on the local sandbox.
    pub aws_target: Option<crate::backend::AwsTarget>,
    /// Profiles of the AWS config files, offered by `:profile`.
    pub aws_profiles: Vec<String>,
    /// The built-in test cases need the photo bucket, to be found among the buckets.
    pub find_photo_bucket: bool,
}

impl Default for AppOptions {
    fn default() -> Self {
        AppOptions {
            state_machine: None,
            refresh_interval_ms: 2_000,
            startup_problems: Vec::new(),
            collection: crate::settings::DEFAULT_COLLECTION.to_string(),
            thumbnail_bucket: None,
            journal_path: None,
            read_only: false,
            test_cases: Vec::new(),
            settings_path: None,
            aws_target: None,
            aws_profiles: Vec::new(),
            find_photo_bucket: false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeLevel {
    Info,
    Error,
}

/// Listing the state machines failed (the list area says so).
#[derive(Debug, Clone, PartialEq)]
pub struct StateMachinesProblem {
    pub text: String,
    pub at: Millis,
    /// Asked again every `STATE_MACHINES_RETRY_MS` (a network drop, throttling, an outage).
    pub retried: bool,
}

/// How often a failed `ListStateMachines` is asked again: without it nothing else can load.
pub const STATE_MACHINES_RETRY_MS: Millis = 5_000;

/// A one-line message under the view (results of commands, errors, keymap problems).
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub text: String,
    pub level: NoticeLevel,
    pub at: Millis,
}

pub struct App {
    pub now: Millis,
    pub options: AppOptions,
    pub keymap: Keymap,
    pub should_quit: bool,
    pub backend: Option<BackendInfo>,
    pub state_machines: Vec<StateMachineSummary>,
    /// Index into `state_machines`.
    pub selected_state_machine: Option<usize>,
    pub state_machines_loaded: bool,
    /// Why there is no state machine to show, since when, and whether it is worth asking
    /// again on its own (not when refused: that needs a change of permissions).
    pub state_machines_problem: Option<StateMachinesProblem>,
    /// A `ListStateMachines` retry is out.
    pub state_machines_in_flight: bool,
    pub executions: ExecutionsList,
    /// The open execution (the execution view); None shows the list.
    pub execution: Option<ExecutionView>,
    pub overlay: Option<Overlay>,
    pub notice: Option<Notice>,
    /// Keys of a sequence in progress (`g` of `g g`).
    pub pending_keys: Vec<Key>,
    /// Terminal size (columns, rows), from `Msg::Resize`.
    pub viewport: (u16, u16),
    /// The top-level screen shown.
    pub screen: Screen,
    pub faces: FacesView,
    pub thumbnails: ThumbnailsView,
    /// Test cases, reruns and runs this console started.
    pub runs: flows::runs::RunsState,
    /// The account and principal the credentials belong to (AWS), once known.
    pub caller: Option<crate::backend::CallerIdentity>,
    /// A switch of profile or region waiting for the runtime's answer.
    pub reconnecting: Option<flows::target::Reconnecting>,
    last_generation: Generation,
}

impl App {
    pub fn new(options: AppOptions, keymap: Keymap, now: Millis) -> Self {
        let notice = startup_notice(&options.startup_problems, now);
        let faces = FacesView::new(options.collection.clone());
        let thumbnails = ThumbnailsView::new(options.thumbnail_bucket.clone());
        let runs = flows::runs::RunsState {
            test_cases: options.test_cases.clone(),
            builtins_await_photo_bucket: options.find_photo_bucket,
            ..flows::runs::RunsState::default()
        };
        App {
            now,
            options,
            keymap,
            should_quit: false,
            backend: None,
            state_machines: Vec::new(),
            selected_state_machine: None,
            state_machines_loaded: false,
            state_machines_problem: None,
            state_machines_in_flight: false,
            executions: ExecutionsList::default(),
            execution: None,
            overlay: None,
            notice,
            pending_keys: Vec::new(),
            viewport: (120, 32),
            screen: Screen::Executions,
            faces,
            thumbnails,
            runs,
            caller: None,
            reconnecting: None,
            last_generation: 0,
        }
    }

    /// Effects to run once at start (list state machines, …).
    pub fn init(&mut self) -> Vec<Effect> {
        let mut effects = vec![Effect::LoadStateMachines, Effect::LoadCallerIdentity];
        if self.runs.builtins_await_photo_bucket {
            effects.extend(self.list_buckets_once());
        }
        effects
    }

    fn next_generation(&mut self) -> Generation {
        self.last_generation += 1;
        self.last_generation
    }

    /// The keymap context keys are resolved in: the overlay's, else the view's.
    pub fn context(&self) -> Context {
        if let Some(overlay) = &self.overlay {
            return overlay.context();
        }
        self.view_context()
    }

    /// The context of the view under any overlay.
    pub fn view_context(&self) -> Context {
        match self.screen {
            Screen::Faces => return Context::Faces,
            Screen::Thumbnails => return Context::Thumbnails,
            Screen::Executions => {}
        }
        match &self.execution {
            None => Context::Executions,
            Some(view) => match view.tab {
                Tab::Timeline => Context::Timeline,
                Tab::Events => Context::Events,
                Tab::Io => Context::Io,
            },
        }
    }

    pub fn state_machine(&self) -> Option<&StateMachineSummary> {
        self.selected_state_machine
            .and_then(|i| self.state_machines.get(i))
    }

    /// Rows a page of the list or events table holds at the current terminal size.
    pub fn page_rows(&self) -> usize {
        self.viewport.1.saturating_sub(CHROME_ROWS).max(1) as usize
    }

    fn executions_visible(&self) -> bool {
        self.screen == Screen::Executions && self.execution.is_none()
    }

    fn refresh_due_at(&self) -> Option<Millis> {
        let list = &self.executions;
        if !self.executions_visible() || self.state_machine().is_none() {
            return None;
        }
        if list.refresh_in_flight.is_some() || list.denied.is_some() {
            // A denied listing is not retried on its own (refresh asks again).
            return None;
        }
        Some(
            list.last_request_at
                .map_or(self.now, |t| t + self.refresh_interval()),
        )
    }

    /// The list refresh interval, with its floor.
    fn refresh_interval(&self) -> Millis {
        self.options.refresh_interval_ms.max(250)
    }

    fn history_due_at(&self) -> Option<Millis> {
        if self.screen != Screen::Executions {
            return None; // hidden: no polling until the screen shows again
        }
        let view = self.execution.as_ref()?;
        if !view.is_running() || view.history_in_flight.is_some() || view.history_denied.is_some() {
            return None;
        }
        Some(
            view.last_history_request_at
                .map_or(self.now, |t| t + HISTORY_POLL_MS),
        )
    }

    /// With the history denied, the description is all there is: a running execution is
    /// described again every refresh interval so its status changes show.
    fn describe_due_at(&self) -> Option<Millis> {
        if self.screen != Screen::Executions {
            return None;
        }
        let view = self.execution.as_ref()?;
        if view.history_denied.is_none() || !view.is_running() || view.detail_in_flight.is_some() {
            return None;
        }
        Some(
            view.last_detail_request_at
                .map_or(self.now, |t| t + self.refresh_interval()),
        )
    }

    /// Something on screen moves with time: a RUNNING row, a running execution's bars.
    pub fn is_animating(&self) -> bool {
        if self.screen != Screen::Executions {
            return false;
        }
        match &self.execution {
            Some(view) => view.is_running(),
            None => self
                .executions
                .on_screen(self.page_rows())
                .any(|r| r.status == ExecutionStatus::Running),
        }
    }

    /// When the runtime should next send `Msg::Tick` (absolute time), or None to sleep until
    /// input: animations and due polls ask for a wake-up, an idle console asks for none.
    pub fn next_wakeup(&self) -> Option<Millis> {
        let animation = self.is_animating().then_some(self.now + ANIMATION_MS);
        [
            self.state_machines_due_at(),
            self.refresh_due_at(),
            self.history_due_at(),
            self.describe_due_at(),
            animation,
            self.thumbnails_wakeup(),
            self.faces_wakeup(),
        ]
        .into_iter()
        .flatten()
        .min()
        .map(|t| t.max(self.now))
    }

    pub fn notify(&mut self, level: NoticeLevel, text: impl Into<String>) {
        self.notice = Some(Notice {
            text: text.into(),
            level,
            at: self.now,
        });
    }

    /// A list request for the first page (refresh) of the current listing.
    fn request_refresh(&mut self) -> Vec<Effect> {
        let Some(sm) = self.state_machine() else {
            return Vec::new();
        };
        let request = ListExecutionsRequest {
            state_machine_arn: sm.arn.clone(),
            status: self.executions.status_filter,
            next_token: None,
            page_size: PAGE_SIZE,
        };
        let generation = self.next_generation();
        self.executions.refresh_in_flight = Some(generation);
        self.executions.last_request_at = Some(self.now);
        vec![Effect::LoadExecutions {
            generation,
            append: false,
            request,
        }]
    }

    fn request_next_page_if_needed(&mut self) -> Vec<Effect> {
        if !self.executions.wants_next_page() {
            return Vec::new();
        }
        let Some(sm) = self.state_machine() else {
            return Vec::new();
        };
        let request = ListExecutionsRequest {
            state_machine_arn: sm.arn.clone(),
            status: self.executions.status_filter,
            next_token: self.executions.next_token.clone(),
            page_size: PAGE_SIZE,
        };
        let generation = self.next_generation();
        self.executions.page_in_flight = Some(generation);
        vec![Effect::LoadExecutions {
            generation,
            append: true,
            request,
        }]
    }

    /// A new listing (state machine or status filter changed): old responses become stale.
    fn reload_list(&mut self) -> Vec<Effect> {
        self.executions.reset();
        self.request_refresh()
    }

    pub fn select_state_machine(&mut self, index: usize) -> Vec<Effect> {
        if index >= self.state_machines.len() {
            return Vec::new();
        }
        let changed = self.selected_state_machine != Some(index);
        self.selected_state_machine = Some(index);
        self.execution = None;
        if changed || !self.executions.loaded {
            self.executions.cursor_arn = None;
            self.reload_list()
        } else {
            Vec::new()
        }
    }

    pub fn set_status_filter(&mut self, status: Option<ExecutionStatus>) -> Vec<Effect> {
        self.executions.status_filter = status;
        self.reload_list()
    }

    /// Opens the execution under the cursor: describe it and load its whole history.
    pub fn open_selected(&mut self) -> Vec<Effect> {
        let Some(summary) = self.executions.selected().cloned() else {
            return Vec::new();
        };
        self.open_execution(summary)
    }

    /// Opens `summary` in the execution view (followed live while it runs).
    pub fn open_execution(&mut self, summary: ExecutionSummary) -> Vec<Effect> {
        let mut view = ExecutionView::new(summary);
        let detail_generation = self.next_generation();
        let history_generation = self.next_generation();
        view.detail_in_flight = Some(detail_generation);
        view.last_detail_request_at = Some(self.now);
        view.history_in_flight = Some(history_generation);
        view.last_history_request_at = Some(self.now);
        let effects = vec![
            Effect::LoadExecution {
                generation: detail_generation,
                execution_arn: view.arn.clone(),
            },
            Effect::LoadHistory {
                generation: history_generation,
                request: HistoryRequest {
                    execution_arn: view.arn.clone(),
                    after_event_id: None,
                    include_data: false,
                },
            },
        ];
        self.execution = Some(view);
        effects
    }

    /// Asks for events newer than the last one seen (one request at a time).
    fn poll_history(&mut self) -> Vec<Effect> {
        let generation = self.next_generation();
        let now = self.now;
        let Some(view) = self.execution.as_mut() else {
            return Vec::new();
        };
        if view.history_in_flight.is_some() {
            return Vec::new();
        }
        let last = view.builder.last_event_id();
        view.history_in_flight = Some(generation);
        view.last_history_request_at = Some(now);
        vec![Effect::LoadHistory {
            generation,
            request: HistoryRequest {
                execution_arn: view.arn.clone(),
                after_event_id: (last > 0).then_some(last),
                include_data: false,
            },
        }]
    }

    fn describe_open_execution(&mut self) -> Vec<Effect> {
        let generation = self.next_generation();
        let now = self.now;
        let Some(view) = self.execution.as_mut() else {
            return Vec::new();
        };
        if view.detail_in_flight.is_some() {
            return Vec::new();
        }
        view.detail_in_flight = Some(generation);
        view.last_detail_request_at = Some(now);
        vec![Effect::LoadExecution {
            generation,
            execution_arn: view.arn.clone(),
        }]
    }

    /// Fetches the history once with execution data, for the details pane's payloads.
    fn request_payloads(&mut self) -> Vec<Effect> {
        let generation = self.next_generation();
        let Some(view) = self.execution.as_mut() else {
            return Vec::new();
        };
        view.payload_in_flight = Some(generation);
        vec![Effect::LoadHistory {
            generation,
            request: HistoryRequest {
                execution_arn: view.arn.clone(),
                after_event_id: None,
                include_data: true,
            },
        }]
    }

    fn on_tick(&mut self, now: Millis) -> Vec<Effect> {
        self.now = now;
        let mut effects = Vec::new();
        if self.state_machines_due_at().is_some_and(|t| t <= now) {
            effects.extend(self.reload_state_machines());
        }
        if self.refresh_due_at().is_some_and(|t| t <= now) {
            effects.extend(self.request_refresh());
        }
        if self.history_due_at().is_some_and(|t| t <= now) {
            effects.extend(self.poll_history());
        }
        if self.describe_due_at().is_some_and(|t| t <= now) {
            effects.extend(self.describe_open_execution());
        }
        effects.extend(self.thumbnails_tick());
        effects.extend(self.faces_tick());
        effects
    }

    fn on_state_machines(
        &mut self,
        result: Result<Vec<StateMachineSummary>, BackendError>,
    ) -> Vec<Effect> {
        self.state_machines_in_flight = false;
        let machines = match result {
            Ok(m) => m,
            Err(BackendError::AccessDenied { action, .. }) => {
                return self.without_state_machine_list(&action);
            }
            Err(e) => {
                let text = format!("listing state machines failed: {e}");
                self.notify(NoticeLevel::Error, text.clone());
                if self.state_machine().is_none() {
                    self.state_machines_problem = Some(StateMachinesProblem {
                        text,
                        at: self.now,
                        retried: true,
                    });
                }
                return Vec::new();
            }
        };
        self.state_machines_problem = None;
        let current_arn = self.state_machine().map(|s| s.arn.clone());
        self.state_machines = machines;
        self.state_machines_loaded = true;
        if self.state_machines.is_empty() {
            self.selected_state_machine = None;
            self.notify(NoticeLevel::Info, "no state machines found");
            return Vec::new();
        }
        let by_arn =
            current_arn.and_then(|arn| self.state_machines.iter().position(|s| s.arn == arn));
        let wanted = self.options.state_machine.clone();
        let by_option = wanted.as_ref().and_then(|w| {
            self.state_machines
                .iter()
                .position(|s| &s.name == w || &s.arn == w)
        });
        if let (Some(w), None, None) = (&wanted, by_arn, by_option) {
            self.notify(
                NoticeLevel::Error,
                format!("state machine `{w}` not found; showing the first one"),
            );
        }
        let index = by_arn.or(by_option).unwrap_or(0);
        self.select_state_machine(index)
    }

    fn state_machines_refused(&mut self, text: String) {
        self.notify(NoticeLevel::Error, text.clone());
        self.state_machines_problem = Some(StateMachinesProblem {
            text,
            at: self.now,
            retried: false,
        });
    }

    /// When a failed state machine listing is asked again.
    fn state_machines_due_at(&self) -> Option<Millis> {
        match &self.state_machines_problem {
            Some(problem) if problem.retried && !self.state_machines_in_flight => {
                Some(problem.at + STATE_MACHINES_RETRY_MS.max(self.refresh_interval()))
            }
            _ => None,
        }
    }

    /// Lists the state machines again (after a failure), unless that is under way.
    pub(crate) fn reload_state_machines(&mut self) -> Vec<Effect> {
        if self.state_machines_in_flight {
            return Vec::new();
        }
        self.state_machines_in_flight = true;
        vec![Effect::LoadStateMachines]
    }

    /// `ListStateMachines` is denied: a `--state-machine` ARN is enough to go on (its
    /// executions may well be readable); a bare name cannot be resolved without the list.
    fn without_state_machine_list(&mut self, action: &str) -> Vec<Effect> {
        let wanted = self.options.state_machine.clone();
        let from_arn = wanted.as_deref().and_then(StateMachineSummary::from_arn);
        match (wanted, from_arn) {
            (_, Some(summary)) => {
                self.state_machines = vec![summary];
                self.state_machines_loaded = true;
                self.selected_state_machine = None;
                self.notify(
                    NoticeLevel::Info,
                    format!("{action} denied; using ARN from --state-machine"),
                );
                self.select_state_machine(0)
            }
            (Some(name), None) => {
                self.state_machines_refused(format!(
                    "{action} denied: `{name}` cannot be looked up by name; pass the full \
                     ARN (arn:aws:states:REGION:ACCOUNT:stateMachine:{name}) with \
                     --state-machine"
                ));
                Vec::new()
            }
            (None, None) => {
                self.state_machines_refused(format!(
                    "{action} denied: pass the state machine's ARN with --state-machine"
                ));
                Vec::new()
            }
        }
    }

    fn on_executions(
        &mut self,
        generation: Generation,
        append: bool,
        result: Result<Page<ExecutionSummary>, BackendError>,
    ) -> Vec<Effect> {
        let list = &mut self.executions;
        let expected = if append {
            list.page_in_flight
        } else {
            list.refresh_in_flight
        };
        if expected != Some(generation) {
            return Vec::new(); // stale: the listing changed since the request
        }
        if append {
            list.page_in_flight = None;
        } else {
            list.refresh_in_flight = None;
        }
        match result {
            Ok(page) if append => list.apply_page(page, self.now),
            Ok(page) => list.apply_refresh(page, self.now),
            Err(e) => {
                // Denied: say which permission (short enough for the header badge) and stop
                // refreshing on our own.
                let text = match e {
                    BackendError::AccessDenied { action, .. } => {
                        let text = format!("missing permission {action}");
                        list.denied = Some(action);
                        text
                    }
                    e => e.to_string(),
                };
                list.error = Some((text, self.now));
                return Vec::new();
            }
        }
        let page_rows = self.page_rows();
        let cursor = self.executions.cursor;
        self.executions.set_cursor(cursor, page_rows);
        let mut effects = self.request_next_page_if_needed();
        effects.extend(self.describe_visible_rows());
        effects
    }

    /// Describes the rows on screen that the listing left blank (AWS lists neither input nor
    /// outcome), a few at a time; nothing while the list is not shown.
    pub(crate) fn describe_visible_rows(&mut self) -> Vec<Effect> {
        if self.screen != Screen::Executions || self.execution.is_some() {
            return Vec::new();
        }
        let wanted = self.executions.rows_to_describe(self.page_rows());
        wanted
            .into_iter()
            .map(|(execution_arn, listed_status)| {
                self.executions.describing.insert(execution_arn.clone());
                Effect::DescribeRow {
                    execution_arn,
                    listed_status,
                }
            })
            .collect()
    }

    fn on_row_described(
        &mut self,
        execution_arn: String,
        listed_status: ExecutionStatus,
        result: Result<ExecutionDetail, BackendError>,
    ) -> Vec<Effect> {
        let detail = match result {
            Ok(detail) => screens::executions::RowDetail {
                described_for: listed_status,
                status: detail.summary.status,
                input_label: detail
                    .input
                    .as_deref()
                    .and_then(crate::domain::execution::input_label),
                outcome: crate::domain::execution::outcome_from_description(&detail),
            },
            Err(error) => {
                // Not asked again for this status: a failing row must not become a loop.
                if let BackendError::AccessDenied { action, .. } = &error {
                    self.executions.describe_denied = true;
                    self.notify(
                        NoticeLevel::Info,
                        format!("missing permission {action}: the list shows no inputs"),
                    );
                }
                screens::executions::RowDetail {
                    described_for: listed_status,
                    status: listed_status,
                    input_label: None,
                    outcome: None,
                }
            }
        };
        let now = self.now;
        self.executions.apply_row_detail(execution_arn, detail, now);
        self.describe_visible_rows()
    }
}

fn startup_notice(problems: &[String], now: Millis) -> Option<Notice> {
    let first = problems.first()?;
    let more = match problems.len() {
        1 => String::new(),
        n => format!(" (+{} more, see ? help)", n - 1),
    };
    Some(Notice {
        text: format!("{first}{more}"),
        level: NoticeLevel::Error,
        at: now,
    })
}

/// Applies `msg`; every effect passes the read-only gate on its way out.
pub fn update(app: &mut App, msg: Msg) -> Vec<Effect> {
    let effects = update_unguarded(app, msg);
    safety::gate(app, effects)
}

fn update_unguarded(app: &mut App, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(event) => {
            let mut effects = keys::on_key(app, event);
            // Scrolling, filtering or coming back to the list brings other rows on screen.
            effects.extend(app.describe_visible_rows());
            effects
        }
        Msg::Resize(width, height) => {
            app.viewport = (width, height);
            app.thumbnails_resized();
            app.describe_visible_rows()
        }
        Msg::Tick(now) => app.on_tick(now),
        Msg::BackendNotice(notice) => {
            // Shown as it comes; the views keep their last good data and its age meanwhile.
            app.notify(NoticeLevel::Info, notice.to_string());
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
        } => app.on_row_described(execution_arn, listed_status, result),
        Msg::CallerIdentity(result) => {
            match result {
                Ok(caller) => app.caller = caller,
                // Expired or missing credentials, or an unreachable region, show up here
                // first, before any view asks.
                Err(error) => {
                    let text = match &error {
                        BackendError::Credentials(_) => {
                            format!("the credentials do not work: {error}")
                        }
                        BackendError::Network(_) => {
                            format!("AWS cannot be reached (unknown region or endpoint?): {error}")
                        }
                        _ => format!("cannot tell whose credentials these are: {error}"),
                    };
                    app.notify(NoticeLevel::Error, text)
                }
            }
            Vec::new()
        }
        Msg::Reconnected(result) => flows::target::on_reconnected(app, result),
        Msg::ChoiceRemembered(result) => flows::target::on_choice_remembered(app, result),
        Msg::StateMachines(result) => app.on_state_machines(result),
        Msg::Executions {
            generation,
            append,
            result,
        } => app.on_executions(generation, append, result),
        Msg::Execution { generation, result } => on_execution(app, generation, result),
        Msg::History {
            generation,
            include_data,
            result,
        } => on_history(app, generation, include_data, result),
        Msg::Started(result) => flows::runs::on_started(app, result),
        Msg::InputLoaded { generation, result } => {
            if flows::face_jump::awaits_input(app, generation) {
                flows::face_jump::on_input_loaded(app, result)
            } else {
                flows::runs::on_input_loaded(app, generation, result)
            }
        }
        Msg::EditedExternally(outcome) => flows::runs::on_edited_externally(app, outcome),
        Msg::TestCaseSaved(result) => {
            flows::runs::on_test_case_saved(app, result);
            Vec::new()
        }
        Msg::Redriven {
            execution_arn,
            result,
        } => on_redriven(app, execution_arn, result),
        Msg::Stopped {
            execution_arn,
            result,
        } => on_stopped(app, execution_arn, result),
        Msg::Copied(result) => {
            match result {
                Ok(what) => {
                    app.notify(NoticeLevel::Info, format!("copied {what} to the clipboard"))
                }
                Err(e) => app.notify(NoticeLevel::Error, format!("copy failed: {e}")),
            }
            Vec::new()
        }
        Msg::Faces { generation, result } => app.on_faces_page(generation, result),
        Msg::FaceMatches {
            generation,
            face_id,
            result,
        } => app.on_face_matches(generation, face_id, result),
        Msg::FacesByImage { generation, result } => {
            flows::face_jump::on_faces_by_image(app, generation, result)
        }
        Msg::FacesDeleted { generation, result } => app.on_faces_deleted(generation, result),
        Msg::JournalWritten { generation, result } => {
            if app.faces_journal_generation() == Some(generation) {
                app.on_faces_journal_written(result)
            } else if app.thumbnails_journal_generation() == Some(generation) {
                app.on_thumbnails_journal_written(result)
            } else {
                Vec::new()
            }
        }
        Msg::Buckets { generation, result } => app.on_buckets(generation, result),
        Msg::Objects { generation, result } => app.on_objects(generation, result),
        Msg::Preview {
            generation,
            key,
            result,
        } => app.on_preview(generation, key, result),
        Msg::ObjectDeleted { generation, result } => app.on_object_deleted(generation, result),
    }
}

fn on_execution(
    app: &mut App,
    generation: Generation,
    result: Result<ExecutionDetail, BackendError>,
) -> Vec<Effect> {
    let Some(view) = app.execution.as_mut() else {
        return Vec::new();
    };
    if view.detail_in_flight != Some(generation) {
        return Vec::new();
    }
    view.detail_in_flight = None;
    match result {
        Ok(detail) => {
            if detail.summary.status != ExecutionStatus::Running {
                view.timeline.follow = false;
            }
            view.detail = Some(detail);
        }
        Err(e) => view.error = Some(format!("describe failed: {e}")),
    }
    Vec::new()
}

fn on_history(
    app: &mut App,
    generation: Generation,
    include_data: bool,
    result: Result<Vec<HistoryEvent>, BackendError>,
) -> Vec<Effect> {
    let Some(view) = app.execution.as_mut() else {
        return Vec::new();
    };
    if include_data {
        if view.payload_in_flight != Some(generation) {
            return Vec::new();
        }
        view.payload_in_flight = None;
        match result {
            Ok(events) => view.apply_payloads(&events),
            Err(e) => view.error = Some(format!("loading state inputs/outputs failed: {e}")),
        }
        return Vec::new();
    }
    if view.history_in_flight != Some(generation) {
        return Vec::new();
    }
    view.history_in_flight = None;
    match result {
        Ok(events) => {
            let was_running = view.is_running();
            view.apply_history(events);
            view.error = None;
            view.history_denied = None;
            // The history saw the end before the description did: describe again for the
            // output / error and the stop time.
            let described_running = view
                .detail
                .as_ref()
                .is_none_or(|d| d.summary.status == ExecutionStatus::Running);
            if was_running && !view.is_running() {
                view.timeline.follow = false;
            }
            if view.timeline().execution.status.is_terminal()
                && view.timeline().event_count > 0
                && described_running
                && view.detail.is_some()
            {
                return app.describe_open_execution();
            }
        }
        // Denied: show the description alone and stop asking (no retry storm against a
        // refused API); the description is polled instead while the execution runs.
        Err(BackendError::AccessDenied { action, .. }) => view.history_denied = Some(action),
        Err(e) => view.error = Some(format!("loading the history failed: {e}")),
    }
    Vec::new()
}

fn on_stopped(
    app: &mut App,
    execution_arn: String,
    result: Result<(), BackendError>,
) -> Vec<Effect> {
    match result {
        Ok(()) => {
            let name = execution_arn.rsplit(':').next().unwrap_or(&execution_arn);
            app.notify(NoticeLevel::Info, format!("stop requested for {name}"));
            // Show the new status soon: refresh the list / poll the open execution now.
            app.executions.last_request_at = None;
            if let Some(view) = app.execution.as_mut()
                && view.arn == execution_arn
            {
                view.last_history_request_at = None;
                return app.describe_open_execution();
            }
            Vec::new()
        }
        Err(e) => {
            app.notify(NoticeLevel::Error, format!("stop failed: {e}"));
            Vec::new()
        }
    }
}

fn on_redriven(
    app: &mut App,
    execution_arn: String,
    result: Result<(), BackendError>,
) -> Vec<Effect> {
    let name = execution_arn
        .rsplit(':')
        .next()
        .unwrap_or(&execution_arn)
        .to_string();
    match result {
        Ok(()) => {
            app.notify(NoticeLevel::Info, format!("redrive started for {name}"));
            // The execution runs again: refresh the list and follow the open one.
            app.executions.last_request_at = None;
            if let Some(view) = app.execution.as_mut()
                && view.arn == execution_arn
            {
                view.last_history_request_at = None;
                return app.describe_open_execution();
            }
            Vec::new()
        }
        Err(e) => {
            app.notify(
                NoticeLevel::Error,
                format!("redrive of {name} refused: {e}"),
            );
            Vec::new()
        }
    }
}
