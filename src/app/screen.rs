//! The top-level screens (executions, faces, thumbnails) and switching between them: a hidden
//! screen keeps its state but makes no requests (its pollers stop until it is shown again).

use crate::app::App;
use crate::app::effect::Effect;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Screen {
    /// The executions list and the open execution (the home screen).
    #[default]
    Executions,
    Faces,
    Thumbnails,
}

impl Screen {
    pub const ALL: [Screen; 3] = [Screen::Executions, Screen::Faces, Screen::Thumbnails];

    pub fn title(self) -> &'static str {
        match self {
            Screen::Executions => "Executions",
            Screen::Faces => "Faces",
            Screen::Thumbnails => "Thumbnails",
        }
    }
}

impl App {
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
                if self.executions.refresh_in_flight.is_none() {
                    self.executions.last_request_at = None;
                }
                let now = self.now;
                self.on_tick(now)
            }
            Screen::Faces => self.faces_shown(),
            Screen::Thumbnails => self.thumbnails_shown(),
        }
    }
}
