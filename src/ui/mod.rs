//! Pure rendering: `render(&App, &mut Frame)` draws the current view; one file per view plus
//! shared widgets and the theme. Reads nothing but the `App`.

use crate::app::App;
use ratatui::Frame;

pub mod widgets;

pub fn render(_app: &App, _frame: &mut Frame) {}
