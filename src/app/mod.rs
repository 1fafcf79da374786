//! The console, pure: `App` is the shell — what is shown, the notice and overlay slots, the
//! connection — plus one field per screen and flow. `update(&mut App, Msg) -> Vec<Effect>`
//! (in `update.rs`) does no I/O and reads no clock. Screens live in `screens/`, each owning
//! its state, keys, answers and view; the shell lends them a `Ctx` and routes to them.

pub mod commands;
pub mod ctx;
pub mod effect;
pub mod fetch;
pub mod flows;
pub mod frame;
pub mod list;
pub mod msg;
pub mod notice;
pub mod options;
pub mod overlays;
pub mod safety;
pub mod screen;
pub mod screens;
pub mod widgets;

mod keys;
pub mod update;

pub use notice::{Notice, NoticeLevel};
pub use options::AppOptions;
pub use screens::executions::machines::STATE_MACHINES_RETRY_MS;

use crate::backend::{BackendInfo, CallerIdentity};
use crate::domain::Millis;
use crate::domain::execution::{ExecutionStatus, ExecutionSummary, StateMachineSummary};
use crate::keymap::{Context, Key, Keymap};
use ctx::View;
use effect::Effect;
use msg::Generation;
use overlays::Overlay;
use screen::Screen;
use screens::execution::Tab;
use screens::{dashboard, execution, executions, faces, tests, thumbnails};

/// Period of the animation tick (spinners, growing bars) while something runs on screen.
pub const ANIMATION_MS: Millis = 150;

pub struct App {
    pub now: Millis,
    pub options: AppOptions,
    pub keymap: Keymap,
    pub should_quit: bool,
    pub backend: Option<BackendInfo>,
    /// The state machines and the executions of the selected one.
    pub executions: executions::State,
    /// The open execution (the execution view); None shows the list.
    pub execution: Option<execution::State>,
    pub overlay: Option<Overlay>,
    pub notice: Option<Notice>,
    /// Every notice shown, for `:messages`.
    pub messages: notice::MessageLog,
    /// Keys of a sequence in progress (`g` of `g g`).
    pub pending_keys: Vec<Key>,
    /// Terminal size (columns, rows), from `Msg::Resize`.
    pub viewport: (u16, u16),
    /// The top-level screen shown.
    pub screen: Screen,
    pub faces: faces::State,
    pub thumbnails: thumbnails::State,
    /// Test suites and their verdicts.
    pub tests: tests::State,
    pub dashboard: dashboard::State,
    /// Test cases, reruns and runs this console started.
    pub runs: flows::state::RunsState,
    /// The account and principal the credentials belong to (AWS), once known.
    pub caller: Option<CallerIdentity>,
    /// The service cannot be reached and the lists come from the store: since when the
    /// store's data was last confirmed (the header's OFFLINE badge).
    pub offline: Option<Option<Millis>>,
    /// A switch of profile or region waiting for the runtime's answer.
    pub reconnecting: Option<flows::state::Reconnecting>,
    /// When a key was last pressed (or text pasted): an idle list is refreshed less often.
    pub last_input: Millis,
    last_generation: Generation,
}

/// Lends one field of the app (a screen's state) together with a `Ctx` over the shell's
/// fields: `let (state, mut cx) = lend!(app, faces);`. The borrows are disjoint, so the
/// compiler keeps a screen from reaching into another one.
macro_rules! lend {
    ($app:expr, $field:ident) => {{
        let app: &mut $crate::app::App = $app;
        (
            &mut app.$field,
            $crate::app::ctx::Ctx {
                now: app.now,
                viewport: app.viewport,
                options: &app.options,
                keymap: &app.keymap,
                backend: app.backend.as_ref(),
                caller: app.caller.as_ref(),
                notice: &mut app.notice,
                overlay: &mut app.overlay,
                generation: &mut app.last_generation,
                switch_to: None,
                close: false,
            },
        )
    }};
}
pub(crate) use lend;

impl App {
    pub fn new(options: AppOptions, keymap: Keymap, now: Millis) -> Self {
        let notice = notice::startup_notice(&options, now);
        let start_dashboard = options.start_dashboard;
        let faces = faces::State::new(options.collection.clone());
        let thumbnails = thumbnails::State::new(options.thumbnail_bucket.clone());
        let tests = tests::State::new(options.suites.clone());
        let runs = flows::state::RunsState {
            test_cases: options.test_cases.clone(),
            builtins_await_photo_bucket: options.find_photo_bucket,
            ..flows::state::RunsState::default()
        };
        App {
            now,
            options,
            keymap,
            should_quit: false,
            backend: None,
            executions: executions::State::default(),
            execution: None,
            overlay: None,
            messages: {
                let mut log = notice::MessageLog::default();
                if let Some(n) = &notice {
                    log.record(n);
                }
                log
            },
            notice,
            pending_keys: Vec::new(),
            viewport: (120, 32),
            screen: if start_dashboard {
                Screen::Dashboard
            } else {
                Screen::Executions
            },
            faces,
            thumbnails,
            tests,
            dashboard: dashboard::State::new(now),
            runs,
            caller: None,
            offline: None,
            reconnecting: None,
            last_input: now,
            last_generation: 0,
        }
    }

    /// Effects to run once at start (list state machines, …).
    pub fn init(&mut self) -> Vec<Effect> {
        let mut effects = vec![Effect::LoadStateMachines, Effect::LoadCallerIdentity];
        if self.runs.builtins_await_photo_bucket {
            let (s, mut cx) = lend!(self, thumbnails);
            effects.extend(thumbnails::update::list_buckets_once(s, &mut cx));
        }
        effects
    }

    pub(crate) fn next_generation(&mut self) -> Generation {
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
            Screen::Tests => return Context::Tests,
            Screen::Dashboard => return Context::Dashboard,
            Screen::Executions => {}
        }
        match &self.execution {
            None => Context::Executions,
            Some(view) => match view.tab {
                Tab::Timeline => Context::Timeline,
                Tab::Definition => Context::Definition,
                Tab::Events => Context::Events,
                Tab::Io => Context::Io,
            },
        }
    }

    /// What a screen's view may read of the shell.
    pub fn view(&self) -> View<'_> {
        View {
            now: self.now,
            viewport: self.viewport,
            options: &self.options,
            keymap: &self.keymap,
            context: self.view_context(),
        }
    }

    pub fn state_machine(&self) -> Option<&StateMachineSummary> {
        self.executions.machines.current()
    }

    /// Rows a page of the list or events table holds at the current terminal size.
    pub fn page_rows(&self) -> usize {
        ctx::page_rows(self.viewport)
    }

    /// The executions list is on screen (not drilled into an execution).
    fn executions_visible(&self) -> bool {
        self.screen == Screen::Executions && self.execution.is_none()
    }

    /// Something on screen moves with time: a RUNNING row, a running execution's bars.
    pub fn is_animating(&self) -> bool {
        if self.screen == Screen::Dashboard {
            // The spinner while figures are being read.
            return self.dashboard.is_reading();
        }
        if self.screen != Screen::Executions {
            return false;
        }
        match &self.execution {
            Some(view) => view.is_running(),
            None => self
                .executions
                .list
                .on_screen(self.page_rows())
                .any(|r| r.status == ExecutionStatus::Running),
        }
    }

    /// The executions list's refresh interval now: the configured one, slower when nothing
    /// runs (in the list or the open execution) and no key was pressed for a while.
    pub fn list_interval(&self) -> Millis {
        let running = self.execution.as_ref().is_some_and(|e| e.is_running())
            || self
                .executions
                .list
                .rows
                .iter()
                .any(|r| r.status == ExecutionStatus::Running);
        executions::update::slowed_interval(
            self.options.refresh_interval(),
            self.now.saturating_sub(self.last_input),
            running,
        )
    }

    /// When the runtime should next send `Msg::Tick` (absolute time), or None to sleep until
    /// input: animations and due polls ask for a wake-up, an idle console asks for none.
    /// Hidden screens ask for nothing.
    pub fn next_wakeup(&self) -> Option<Millis> {
        let interval = self.options.refresh_interval();
        let animation = self
            .is_animating()
            .then_some(self.now.saturating_add(ANIMATION_MS));
        let list_interval = self.list_interval();
        let list = self
            .executions_visible()
            .then(|| executions::update::refresh_due_at(&self.executions, self.now, list_interval))
            .flatten();
        let open = match (&self.execution, self.screen) {
            (Some(s), Screen::Executions) => execution::update::wakeup(s, self.now, interval),
            _ => None,
        };
        let thumbnails = (self.screen == Screen::Thumbnails)
            .then(|| thumbnails::preview::wakeup(&self.thumbnails))
            .flatten();
        let faces = (self.screen == Screen::Faces)
            .then(|| {
                // A confirm dialog open pauses the automatic reload.
                let confirming = matches!(self.overlay, Some(Overlay::Confirm(_)));
                faces::refresh::wakeup(&self.faces, &self.view(), confirming)
            })
            .flatten();
        let dashboard = (self.screen == Screen::Dashboard)
            .then(|| dashboard::update::refresh_due_at(&self.dashboard, list_interval))
            .flatten();
        [
            self.executions.machines.due_at(interval),
            list,
            open,
            animation,
            thumbnails,
            faces,
            dashboard,
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

    /// Shows `screen`; the faces and thumbnails load on first sight, the executions list
    /// refreshes at once when it comes back (its poll was paused while hidden).
    pub fn switch_screen(&mut self, screen: Screen) -> Vec<Effect> {
        if self.screen == screen {
            return Vec::new();
        }
        self.screen = screen;
        self.pending_keys.clear();
        match screen {
            Screen::Executions => {
                if !self.executions.refresh.busy() {
                    self.executions.refresh.sent_at = None;
                }
                let now = self.now;
                self.on_tick(now)
            }
            Screen::Faces => {
                let (s, mut cx) = lend!(self, faces);
                faces::update::shown(s, &mut cx)
            }
            Screen::Thumbnails => {
                let (s, mut cx) = lend!(self, thumbnails);
                thumbnails::update::shown(s, &mut cx)
            }
            Screen::Tests => {
                let (s, mut cx) = lend!(self, tests);
                tests::update::shown(s, &mut cx)
            }
            Screen::Dashboard => self.dashboard_shown(),
        }
    }

    /// The dashboard, on screen, for the selected state machine.
    fn dashboard_shown(&mut self) -> Vec<Effect> {
        let machine = self.state_machine().map(|m| m.arn.clone());
        let (s, mut cx) = lend!(self, dashboard);
        dashboard::update::shown(s, &mut cx, machine.as_deref())
    }

    /// Selects the state machine at `index`: back to its list, listed again if it changed.
    pub fn select_state_machine(&mut self, index: usize) -> Vec<Effect> {
        if index >= self.executions.machines.all.len() {
            return Vec::new();
        }
        self.execution = None;
        let (s, mut cx) = lend!(self, executions);
        let mut effects = executions::update::select_machine(s, &mut cx, index);
        if self.screen == Screen::Dashboard {
            effects.extend(self.dashboard_shown());
        }
        effects
    }

    /// Opens `summary` in the execution view (followed live while it runs).
    pub fn open_execution(&mut self, summary: ExecutionSummary) -> Vec<Effect> {
        let (_, mut cx) = lend!(self, execution);
        let (state, effects) = execution::update::open(&mut cx, summary);
        self.execution = Some(state);
        effects
    }

    /// Describes the rows on screen that the listing left blank; nothing while the list is
    /// not shown.
    pub(crate) fn describe_visible_rows(&mut self) -> Vec<Effect> {
        if !self.executions_visible() {
            return Vec::new();
        }
        let (s, mut cx) = lend!(self, executions);
        executions::update::describe_visible_rows(s, &mut cx)
    }

    /// Show a new status of `execution_arn` soon (after a stop or a redrive): refresh the
    /// list and poll the open execution now.
    /// A stop or redrive of `execution_arn` was carried out (`redriven`: a redrive).
    pub(crate) fn expect_change(&mut self, execution_arn: &str, redriven: bool) -> Vec<Effect> {
        self.executions.refresh.sent_at = None;
        let (open, mut cx) = lend!(self, execution);
        match open {
            Some(s) if s.arn == execution_arn => {
                if redriven {
                    s.awaiting_redrive = Some(s.timeline().execution.redrive_count);
                }
                execution::update::expect_change(s, &mut cx)
            }
            _ => Vec::new(),
        }
    }

    /// Time passed: the polls that are due, of the screens that are shown.
    pub(crate) fn on_tick(&mut self, now: Millis) -> Vec<Effect> {
        self.now = now;
        let interval = self.options.refresh_interval();
        let mut effects = Vec::new();
        if self
            .executions
            .machines
            .due_at(interval)
            .is_some_and(|t| t <= now)
        {
            effects.extend(self.executions.machines.reload());
        }
        if self.executions_visible()
            && executions::update::refresh_due_at(&self.executions, now, self.list_interval())
                .is_some_and(|t| t <= now)
        {
            let (s, mut cx) = lend!(self, executions);
            effects.extend(executions::update::request_refresh(s, &mut cx));
        }
        if self.screen == Screen::Executions {
            let (open, mut cx) = lend!(self, execution);
            if let Some(s) = open {
                effects.extend(execution::update::tick(s, &mut cx));
            }
        }
        match self.screen {
            Screen::Thumbnails => {
                let (s, mut cx) = lend!(self, thumbnails);
                effects.extend(thumbnails::preview::tick(s, &mut cx));
            }
            Screen::Faces => {
                let (s, mut cx) = lend!(self, faces);
                effects.extend(faces::refresh::tick(s, &mut cx));
            }
            Screen::Dashboard => {
                let (s, mut cx) = lend!(self, dashboard);
                effects.extend(dashboard::update::tick(s, &mut cx));
            }
            Screen::Executions | Screen::Tests => {}
        }
        effects
    }
}
