//! The Gantt chart of a timeline: a time ruler, one row per span or lane, bars placed on a
//! time window, retries drawn as separate attempt segments with their backoff gaps. The bar
//! and ruler layout are plain functions, shared with the headless text format.

use crate::domain::Millis;
use crate::domain::time::format_duration;
use crate::domain::timeline::{
    AttemptStatus, PathSegment, RowKind, Span, SpanStatus, Timeline, TimelineRow,
};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
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

/// What a cell of a bar shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BarPart {
    Empty,
    /// The state's time (coloured by its status).
    Body,
    /// A task attempt that failed or timed out (a retry followed, or the state failed).
    FailedAttempt,
    /// Waiting between a failed attempt and the next one (the Retry backoff).
    Backoff,
}

/// Left-aligned eighth blocks, 1/8 to 8/8: the end of a bar inside a cell.
const LEFT_EIGHTHS: [char; 8] = ['▏', '▎', '▍', '▌', '▋', '▊', '▉', '█'];

/// Cells of a span's bar over `cells` columns showing absolute times `from..to`; running
/// spans end at `now`. Bar edges get sub-cell precision with block glyphs; attempts are laid
/// over the body at cell precision. Always at least one cell when the span is in the window.
pub fn bar_cells(
    span: &Span,
    (from, to): (Millis, Millis),
    now: Millis,
    cells: usize,
) -> Vec<(char, BarPart)> {
    let mut out = vec![(' ', BarPart::Empty); cells];
    if cells == 0 {
        return out;
    }
    let scale = cells as f64 / (to - from).max(1) as f64;
    let x = |t: Millis| (t - from) as f64 * scale;
    let end = span.end.unwrap_or(now).max(span.start);
    let (a, b) = (x(span.start), x(end));
    if b < 0.0 || a >= cells as f64 {
        return out;
    }
    let first = a.floor().max(0.0) as usize;
    let last = (b.ceil().min(cells as f64) as usize)
        .max(first + 1)
        .min(cells);
    for (c, cell) in out.iter_mut().enumerate().take(last).skip(first) {
        let left = (a - c as f64).clamp(0.0, 1.0);
        let right = (b - c as f64).clamp(0.0, 1.0);
        let glyph = if left <= 0.125 && right >= 0.875 {
            '█'
        } else if left <= 0.125 {
            LEFT_EIGHTHS[((right * 8.0).round() as usize).clamp(1, 8) - 1]
        } else if right >= 0.875 {
            if left < 0.625 { '▐' } else { '▕' }
        } else if (left + right) / 2.0 < 0.5 {
            '▌'
        } else {
            '▐'
        };
        *cell = (glyph, BarPart::Body);
    }
    let cell_range = |t0: Millis, t1: Millis| {
        let c0 = x(t0).floor().max(0.0) as usize;
        let c1 = (x(t1).ceil().max(0.0) as usize).max(c0 + 1).min(cells);
        c0.min(cells)..c1
    };
    for (i, attempt) in span.attempts.iter().enumerate() {
        if i > 0
            && let Some(previous_end) = span.attempts[i - 1].end
            && attempt.scheduled > previous_end
        {
            // The gap is shown between the cells of the two attempts.
            let g0 = x(previous_end).ceil().max(0.0) as usize;
            let g1 = (x(attempt.scheduled).floor().max(0.0) as usize).min(cells);
            for cell in out.iter_mut().take(g1).skip(g0) {
                *cell = ('·', BarPart::Backoff);
            }
        }
        if matches!(
            attempt.status,
            AttemptStatus::Failed | AttemptStatus::TimedOut
        ) {
            let attempt_end = attempt.end.unwrap_or(end);
            for cell in &mut out[cell_range(attempt.scheduled, attempt_end)] {
                if cell.1 == BarPart::Body {
                    cell.1 = BarPart::FailedAttempt;
                }
            }
        }
    }
    out
}

/// A round tick spacing leaving at least `min_gap` cells between ticks.
pub fn tick_step(window_ms: Millis, cells: usize, min_gap: usize) -> Millis {
    const STEPS: [Millis; 24] = [
        1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000,
        120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000,
    ];
    let ticks_that_fit = (cells / min_gap.max(1)).max(1) as Millis;
    let needed = window_ms.max(1) / ticks_that_fit;
    STEPS
        .into_iter()
        .find(|&s| s > needed || (s == needed && window_ms % s == 0))
        .unwrap_or(86_400_000 * (needed / 86_400_000 + 1))
}

/// Compact tick text: `0s`, `250ms`, `1.5s`, `3m`, `1h`.
pub fn tick_label(ms: Millis) -> String {
    if ms == 0 {
        "0s".into()
    } else if ms % 3_600_000 == 0 {
        format!("{}h", ms / 3_600_000)
    } else if ms % 60_000 == 0 {
        format!("{}m", ms / 60_000)
    } else if ms % 1_000 == 0 {
        format!("{}s", ms / 1_000)
    } else if ms > 1_000 && ms % 100 == 0 {
        format!("{:.1}s", ms as f64 / 1000.0)
    } else if ms < 1_000 {
        format!("{ms}ms")
    } else {
        format_duration(ms)
    }
}

/// The ruler over `cells` columns for a window in ms since the execution started: tick labels
/// at round times, each starting at its tick's column (labels that would collide are skipped).
pub fn ruler(window: (Millis, Millis), cells: usize) -> String {
    let mut line = vec![' '; cells];
    let (from, to) = window;
    let width = (to - from).max(1);
    let step = tick_step(width, cells, 8);
    let mut tick = from.div_euclid(step) * step;
    if tick < from {
        tick += step;
    }
    let mut free_from = 0;
    while tick <= to {
        let col = ((tick - from) as f64 * cells as f64 / width as f64).round() as usize;
        let label = tick_label(tick);
        if col >= free_from && col + label.len() <= cells {
            for (i, ch) in label.chars().enumerate() {
                line[col + i] = ch;
            }
            free_from = col + label.len() + 1;
        }
        tick += step;
    }
    line.into_iter().collect()
}

/// Text of a lane header: `▸ branch 0` for a Parallel branch, `▸ [3]` for a Map iteration.
pub fn lane_label(segment: &PathSegment) -> String {
    match segment {
        PathSegment::Branch { index, .. } => format!("▸ branch {index}"),
        PathSegment::Iteration { index, .. } => format!("▸ [{index}]"),
    }
}

pub fn status_color(status: SpanStatus) -> Color {
    match status {
        SpanStatus::Succeeded => Color::Green,
        SpanStatus::Running => Color::Yellow,
        SpanStatus::Failed => Color::Red,
        SpanStatus::Caught => Color::Magenta,
        SpanStatus::Aborted => Color::DarkGray,
        SpanStatus::TimedOut => Color::Indexed(88),
    }
}

/// `text` cut to `width` characters, ending in `…` when cut.
fn fit(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut cut: String = text.chars().take(width - 1).collect();
    cut.push('…');
    cut
}

impl Widget for Gantt<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.width == 0 || area.height == 0 {
            return;
        }
        // Keep at least a few columns for bars on narrow screens.
        let name_w = self
            .name_width
            .min(area.width.saturating_sub(4) / 2 + 2)
            .min(area.width);
        let bar_x = area.x + name_w + u16::from(name_w > 0 && name_w < area.width);
        let bar_w = (area.x + area.width).saturating_sub(bar_x) as usize;
        let (from, to) = (self.window.0, self.window.1.max(self.window.0 + 1));
        let start = self.timeline.execution.start;
        let window_abs = (start + from, start + to);
        let dim = Style::default().fg(Color::DarkGray);

        buf.set_stringn(bar_x, area.y, ruler((from, to), bar_w), bar_w, dim);

        let visible = (area.height - 1) as usize;
        for (line, row_index) in (self.offset..self.rows.len()).take(visible).enumerate() {
            let row = &self.rows[row_index];
            let y = area.y + 1 + line as u16;
            let selected = self.selected == Some(row_index);
            let row_style = if selected {
                Style::default().bg(Color::Indexed(237))
            } else {
                Style::default()
            };
            buf.set_style(Rect::new(area.x, y, area.width, 1), row_style);
            let indent = " ".repeat(row.depth);
            match &row.kind {
                RowKind::Lane { segment, .. } => {
                    let text = fit(&format!("{indent}{}", lane_label(segment)), name_w as usize);
                    buf.set_stringn(area.x, y, text, name_w as usize, dim);
                }
                RowKind::Span(id) => {
                    let Some(span) = self.timeline.spans.get(*id) else {
                        continue;
                    };
                    let color = status_color(span.status);
                    let mut name_style = Style::default().fg(color);
                    if selected {
                        name_style = name_style.add_modifier(Modifier::BOLD);
                    }
                    let text = fit(&format!("{indent}{}", span.name), name_w as usize);
                    buf.set_stringn(area.x, y, text, name_w as usize, name_style);
                    self.render_bar(span, window_abs, bar_x, y, bar_w, buf);
                }
            }
        }
    }
}

impl Gantt<'_> {
    fn render_bar(
        &self,
        span: &Span,
        window_abs: (Millis, Millis),
        x: u16,
        y: u16,
        width: usize,
        buf: &mut Buffer,
    ) {
        let cells = bar_cells(span, window_abs, self.now, width);
        let color = status_color(span.status);
        let edge = bar_end_hint(&cells);
        let mut bar_end = None;
        for (i, (glyph, part)) in cells.iter().enumerate() {
            let style = match part {
                BarPart::Empty => continue,
                BarPart::Body => Style::default().fg(color),
                BarPart::FailedAttempt => Style::default().fg(Color::Red),
                BarPart::Backoff => Style::default().fg(Color::DarkGray),
            };
            let mut glyph = *glyph;
            // The growing edge of a running bar blinks with the clock (animation without
            // any state: `now` advances on each tick).
            if span.end.is_none() && i + 1 == edge && (self.now / 500) % 2 == 1 {
                glyph = '▓';
            }
            if let Some(cell) = buf.cell_mut((x + i as u16, y)) {
                cell.set_char(glyph).set_style(style);
            }
            bar_end = Some(i);
        }
        let label = format_duration(span.duration(self.now));
        let bar_start = cells.iter().position(|(_, part)| *part != BarPart::Empty);
        if let Some((column, style)) = label_place(bar_start, bar_end, label.len(), width, color) {
            buf.set_stringn(x + column as u16, y, &label, label.len(), style);
        }
    }
}

/// Where a bar's duration goes: after the bar, else before it (a bar reaching the right
/// edge), else inside its end (a bar spanning the window), else nowhere.
fn label_place(
    bar_start: Option<usize>,
    bar_end: Option<usize>,
    len: usize,
    width: usize,
    color: Color,
) -> Option<(usize, Style)> {
    let beside = Style::default().fg(Color::Gray);
    let after = bar_end.map_or(0, |e| e + 2);
    if after + len <= width {
        return Some((after, beside));
    }
    let (start, end) = (bar_start?, bar_end?);
    if start > len {
        return Some((start - len - 1, beside));
    }
    // Inside, right-aligned, leaving the bar's last cell showing.
    (end + 1 - start >= len + 2).then(|| (end - len, Style::default().fg(Color::Black).bg(color)))
}

/// One past the last non-empty cell.
fn bar_end_hint(cells: &[(char, BarPart)]) -> usize {
    cells
        .iter()
        .rposition(|(_, part)| *part != BarPart::Empty)
        .map_or(0, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::history_json::parse_history;
    use crate::domain::timeline::build;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    fn fixture(name: &str) -> Timeline {
        let path = format!(
            "{}/tests/fixtures/histories/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        build(&parse_history(&std::fs::read_to_string(path).unwrap()).unwrap())
    }

    fn render(timeline: &Timeline, width: u16, height: u16, now: Millis) -> Terminal<TestBackend> {
        let rows = timeline.rows();
        let end = timeline.execution.end.unwrap_or(now) - timeline.execution.start;
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal
            .draw(|frame| {
                frame.render_widget(
                    Gantt {
                        timeline,
                        rows: &rows,
                        now,
                        window: (0, end),
                        selected: Some(3),
                        offset: 0,
                        name_width: 24,
                    },
                    frame.area(),
                )
            })
            .unwrap();
        terminal
    }

    #[test]
    fn happy_path_at_100x16() {
        let t = fixture("happy_path.json");
        let terminal = render(&t, 100, 16, t.execution.end.unwrap());
        insta::assert_snapshot!(terminal.backend());
        // Row 3 (ParallelProcessing, screen line 4) is selected: highlighted across the width.
        let buffer = terminal.backend().buffer();
        let highlighted = |y: u16| (0..100).all(|x| buffer[(x, y)].bg == Color::Indexed(237));
        assert!(highlighted(4));
        assert!(!highlighted(3) && !highlighted(5));
        assert!(buffer[(0, 4)].modifier.contains(Modifier::BOLD));
    }

    #[test]
    fn retries_show_their_backoff_gap() {
        let t = fixture("retry_absorbed.json");
        let terminal = render(&t, 100, 12, t.execution.end.unwrap());
        insta::assert_snapshot!(terminal.backend());
        // FaceDetection is screen line 2 (after the ruler and the Choice state): its failed
        // first attempt is red, the rest of its bar green, the backoff dotted between.
        let buffer = terminal.backend().buffer();
        let colours: Vec<(Color, &str)> = (25..100)
            .map(|x| (buffer[(x, 2)].fg, buffer[(x, 2)].symbol()))
            .filter(|(_, symbol)| *symbol != " ")
            .collect();
        let first_red = colours.iter().position(|(c, _)| *c == Color::Red);
        let first_dot = colours.iter().position(|(_, s)| *s == "·");
        let first_green = colours.iter().position(|(c, _)| *c == Color::Green);
        assert!(
            first_red < first_dot && first_dot < first_green && first_red.is_some(),
            "{colours:?}"
        );
    }

    #[test]
    fn running_bars_reach_now() {
        let t = fixture("running.json");
        let now = t.execution.start + 4_000;
        insta::assert_snapshot!(render(&t, 80, 10, now).backend());
    }

    #[test]
    fn tiny_and_empty_areas_do_not_panic() {
        let t = fixture("nested_parallel.json");
        insta::assert_snapshot!(render(&t, 20, 5, t.execution.end.unwrap()).backend());
        for (w, h) in [(0, 0), (1, 1), (3, 2), (5, 1), (1, 7)] {
            render(&t, w, h, 0);
        }
        let empty = crate::domain::timeline::TimelineBuilder::new()
            .timeline()
            .clone();
        render(&empty, 30, 4, 0);
    }

    #[test]
    fn bars_have_sub_cell_edges_and_at_least_one_cell() {
        let t = fixture("happy_path.json");
        let start = t.execution.start;
        // 10 cells for 1000 ms: FaceDetection runs 51..1262, so it starts past the middle of
        // cell 0 (right-half block) and covers the rest.
        let face = bar_cells(&t.spans[1], (start, start + 1_000), start + 2_000, 10);
        assert_eq!(face[0].0, '▐');
        assert!(face[1..].iter().all(|&cell| cell == ('█', BarPart::Body)));
        let choice = bar_cells(&t.spans[0], (start, start + 1_000), 0, 10);
        assert_eq!(choice[0].1, BarPart::Body, "a 13 ms state still shows");
        assert!(choice[1..].iter().all(|(_, p)| *p == BarPart::Empty));
        // CheckFaceDuplicate (1280..2030) on 20 cells of 100 ms: starts at 12.8 cells (a
        // thin right block), ends at 20.3 (past the window: full cells to the edge).
        let check = bar_cells(&t.spans[2], (start, start + 2_000), 0, 20);
        assert_eq!(check[11].1, BarPart::Empty);
        assert_eq!(check[12].0, '▕');
        assert_eq!(check[19].0, '█');
        // PersistMetadata (3447..3640) on 10 cells of 400 ms ends at 9.1 cells: 1/8 block.
        let persist = bar_cells(&t.spans[6], (start, start + 4_000), 0, 10);
        assert_eq!(persist[8].0, '▐');
        assert_eq!(persist[9].0, '▏');
        assert!(bar_cells(&t.spans[1], (start, start + 10), 0, 0).is_empty());
    }

    #[test]
    fn ruler_labels_round_times() {
        assert_eq!(tick_step(3_660, 40, 8), 1_000);
        // `4s` would end past the 40th column: skipped rather than cut.
        assert_eq!(
            ruler((0, 4_000), 40),
            "0s        1s        2s        3s        "
        );
        assert_eq!(tick_label(1_500), "1.5s");
        assert_eq!(tick_label(120_000), "2m");
        assert_eq!(tick_label(250), "250ms");
        assert_eq!(ruler((0, 1), 0), "");
    }
}
