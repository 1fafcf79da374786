//! The top-level screens (executions, faces, thumbnails, tests, dashboard). Switching is the shell's
//! (`App::switch_screen`): a hidden screen keeps its state but makes no requests (its pollers
//! stop until it is shown again).

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Screen {
    /// The executions list and the open execution (the home screen).
    #[default]
    Executions,
    Faces,
    Thumbnails,
    /// Test suites and their verdicts.
    Tests,
    /// Outcomes, reasons and state durations over a window.
    Dashboard,
}

impl Screen {
    pub const ALL: [Screen; 5] = [
        Screen::Executions,
        Screen::Faces,
        Screen::Thumbnails,
        Screen::Tests,
        Screen::Dashboard,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Screen::Executions => "Executions",
            Screen::Faces => "Faces",
            Screen::Thumbnails => "Thumbnails",
            Screen::Tests => "Tests",
            Screen::Dashboard => "Dashboard",
        }
    }
}
