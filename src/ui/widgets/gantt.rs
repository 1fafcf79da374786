//! The Gantt chart of a timeline: a time ruler, one row per span or lane, bars placed on a
//! time window, retries drawn as separate attempt segments with their backoff gaps.

use crate::domain::Millis;
use crate::domain::timeline::{Timeline, TimelineRow};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

/// Renders `rows` of `timeline` into an area: first line is the ruler, then one line per row
/// starting at `offset`. Running bars extend to `now`.
pub struct Gantt<'a> {
    pub timeline: &'a Timeline,
    pub rows: &'a [TimelineRow],
    pub now: Millis,
    /// Visible time window, in ms since the execution started: (from, to).
    pub window: (Millis, Millis),
    /// Selected row index (into `rows`), highlighted.
    pub selected: Option<usize>,
    /// First row shown.
    pub offset: usize,
    /// Width of the name column on the left (state names, indented by depth).
    pub name_width: u16,
}

impl Widget for Gantt<'_> {
    fn render(self, _area: Rect, _buf: &mut Buffer) {}
}
