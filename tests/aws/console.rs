//! The console without its terminal, in real time, on the AWS backend: the app's `update`, the
//! runtime's effects runner and the backend's notices wired as `runtime::run` wires them, keys
//! sent as messages, the screen read from a test terminal. What the console spends on a busy
//! account is decided here (which rows it describes, how often it refreshes, what it does when
//! throttled), so the tests that count its calls through the proxy drive this.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::sync::Arc;
use std::time::Duration;
use stepdeck::app::msg::Msg;
use stepdeck::app::{App, AppOptions, update::update};
use stepdeck::backend::Backend;
use stepdeck::keymap::Keymap;
use stepdeck::runtime::effects::{EffectRunner, LoopAction};
use stepdeck::runtime::wall_clock_ms;
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};
use tokio::time::Instant;

pub const WIDTH: u16 = 160;
pub const HEIGHT: u16 = 45;

pub struct Console {
    pub app: App,
    runner: EffectRunner,
    answers: UnboundedReceiver<Msg>,
}

impl Console {
    /// The console opened on `state_machine` (a name), as `stepdeck --state-machine NAME`
    /// starts it in a 160×45 terminal.
    pub fn open(backend: Arc<dyn Backend>, state_machine: &str) -> Console {
        let (inbox, answers) = unbounded_channel::<Msg>();
        let notices = inbox.clone();
        backend.set_notice_sink(Arc::new(move |notice| {
            let _ = notices.send(Msg::BackendNotice(notice));
        }));
        let options = AppOptions {
            state_machine: Some(state_machine.to_string()),
            ..AppOptions::default()
        };
        let mut app = App::new(options, Keymap::defaults(), wall_clock_ms());
        let runner = EffectRunner::new(Arc::clone(&backend), inbox);
        let mut effects = update(&mut app, Msg::BackendInfo(backend.info()));
        effects.extend(update(&mut app, Msg::Tick(wall_clock_ms())));
        effects.extend(update(&mut app, Msg::Resize(WIDTH, HEIGHT)));
        effects.extend(app.init());
        let mut console = Console {
            app,
            runner,
            answers,
        };
        console.perform(effects);
        console
    }

    /// Runs the console for `time`: answers are applied as they arrive, with a clock tick
    /// before each batch and at each wake-up the app asks for, as the runtime does.
    pub async fn run_for(&mut self, time: Duration) {
        let end = Instant::now() + time;
        while Instant::now() < end {
            let wakeup = self.app.next_wakeup().map(|at| {
                Instant::now() + Duration::from_millis((at - wall_clock_ms()).max(0) as u64)
            });
            let until = wakeup.map_or(end, |at| at.min(end));
            let mut batch = Vec::new();
            if let Ok(Some(msg)) = tokio::time::timeout_at(until, self.answers.recv()).await {
                batch.push(msg);
                while let Ok(more) = self.answers.try_recv() {
                    batch.push(more);
                }
            }
            self.apply(batch);
        }
    }

    /// Runs the console until `done` holds of it, at most `patience`; whether it did.
    pub async fn run_until(&mut self, patience: Duration, done: impl Fn(&Console) -> bool) -> bool {
        let end = Instant::now() + patience;
        while Instant::now() < end {
            if done(self) {
                return true;
            }
            self.run_for(Duration::from_millis(100)).await;
        }
        done(self)
    }

    /// One key press (a character, `Enter`, `Esc`, or `ctrl-X`).
    pub fn press(&mut self, key: &str) {
        let event = match key {
            "Enter" => KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE),
            "Esc" => KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE),
            _ => match key.strip_prefix("ctrl-") {
                Some(c) => KeyEvent::new(
                    KeyCode::Char(c.chars().next().unwrap()),
                    KeyModifiers::CONTROL,
                ),
                None => KeyEvent::new(
                    KeyCode::Char(key.chars().next().unwrap()),
                    KeyModifiers::NONE,
                ),
            },
        };
        self.apply(vec![Msg::Key(event)]);
    }

    /// The screen as text.
    pub fn screen(&self) -> String {
        let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();
        terminal
            .draw(|f| stepdeck::app::frame::render(&self.app, f))
            .unwrap();
        terminal.backend().to_string()
    }

    fn apply(&mut self, batch: Vec<Msg>) {
        let mut effects = update(&mut self.app, Msg::Tick(wall_clock_ms()));
        for msg in batch {
            effects.extend(update(&mut self.app, msg));
        }
        self.perform(effects);
    }

    fn perform(&mut self, effects: Vec<stepdeck::app::effect::Effect>) {
        for effect in effects {
            // Quitting, copying and the editor are the terminal's business, not these tests'.
            let action = self.runner.run(effect);
            assert!(
                !matches!(action, LoopAction::Reconnect { .. }),
                "the tests never switch profile"
            );
        }
    }
}
