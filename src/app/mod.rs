//! Pure UI state and its transitions: `App`, user intents (`Action`), inputs (`Msg`) and
//! requests (`Effect`). `update(&mut App, Msg) -> Vec<Effect>` does no I/O and reads no clock.

pub mod action;
pub mod effect;
pub mod msg;

use crate::domain::Millis;
use crate::keymap::Keymap;
use effect::Effect;
use msg::Msg;

/// Start-up choices that shape the app (from the CLI and the settings file).
#[derive(Debug, Clone, PartialEq)]
pub struct AppOptions {
    /// State machine to open first (name or ARN); the first listed one otherwise.
    pub state_machine: Option<String>,
    /// Floor of the list refresh interval.
    pub refresh_interval_ms: i64,
    /// Problems found while loading the keymap/settings, shown on screen at start.
    pub startup_problems: Vec<String>,
}

impl Default for AppOptions {
    fn default() -> Self {
        AppOptions {
            state_machine: None,
            refresh_interval_ms: 2_000,
            startup_problems: Vec::new(),
        }
    }
}

pub struct App {
    pub now: Millis,
    pub options: AppOptions,
    pub keymap: Keymap,
    pub should_quit: bool,
}

impl App {
    pub fn new(options: AppOptions, keymap: Keymap, now: Millis) -> Self {
        App {
            now,
            options,
            keymap,
            should_quit: false,
        }
    }

    /// Effects to run once at start (list state machines, …).
    pub fn init(&mut self) -> Vec<Effect> {
        vec![Effect::LoadStateMachines]
    }

    /// When the runtime should next send `Msg::Tick` (absolute time), or None to sleep until
    /// input: animations and due polls ask for a wake-up, an idle console asks for none.
    pub fn next_wakeup(&self) -> Option<Millis> {
        None
    }
}

pub fn update(app: &mut App, msg: Msg) -> Vec<Effect> {
    if let Msg::Tick(now) = msg {
        app.now = now;
    }
    Vec::new()
}
