//! The Gantt chart of a timeline as a ratatui widget: a time ruler, one row per span or lane,
//! bars placed on a time window, retries drawn as separate attempt segments with their backoff
//! gaps, queue time in a light shade, a redriven execution's segments split by a divider (the
//! idle gap collapsed, labelled on a line under the ruler), and a legend of the marks shown. The geometry (bar cells, ruler, lane labels) is `domain::timeline::chart`, shared with
//! the headless text format.

use crate::domain::Millis;
use crate::domain::text::escape_control;
use crate::domain::time::{format_clock, format_duration};
use crate::domain::timeline::chart::{
    BarPart, TimeAxis, bar_cells_on, bar_end_hint, lane_label, ruler,
};
use crate::domain::timeline::{RowKind, Span, SpanStatus, Timeline, TimelineRow};
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

/// Header lines above the rows: the ruler, and for a redriven execution the line that labels
/// its redrives.
pub fn header_rows(timeline: &Timeline) -> u16 {
    if timeline.redrives.is_empty() { 1 } else { 2 }
}

/// The colour of a redrive's divider and label.
const REDRIVE: Color = Color::Cyan;

/// What the bars drew, for the legend: only the marks that are on screen are explained.
#[derive(Default)]
struct Drawn {
    queued: bool,
    backoff: bool,
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
        // The window is on the chart's axis: a redrive's idle gap is collapsed out of it.
        let axis = TimeAxis::of(self.timeline);
        let origin = axis.fold(self.timeline.execution.start);
        let window_abs = (origin + from, origin + to);
        let dim = Style::default().fg(Color::DarkGray);
        let dividers: Vec<usize> = axis
            .dividers()
            .into_iter()
            .filter(|&d| d >= window_abs.0 && d <= window_abs.1)
            .map(|d| {
                let column = (d - window_abs.0) as f64 * bar_w as f64 / (to - from) as f64;
                (column.round() as usize).min(bar_w.saturating_sub(1))
            })
            .collect();
        let put_dividers = |buf: &mut Buffer, y: u16| {
            for &c in &dividers {
                if let Some(cell) = buf.cell_mut((bar_x + c as u16, y))
                    && cell.symbol() == " "
                {
                    cell.set_char('┆').set_fg(REDRIVE);
                }
            }
        };

        let header = header_rows(self.timeline).min(area.height);
        buf.set_stringn(bar_x, area.y, ruler((from, to), bar_w), bar_w, dim);
        put_dividers(buf, area.y);
        if header > 1 {
            self.render_redrives(
                &axis,
                window_abs,
                (to - from, bar_w),
                (bar_x, area.y + 1),
                buf,
            );
            let text = fit(
                &format!("redriven {}×", self.timeline.execution.redrive_count),
                name_w as usize,
            );
            buf.set_stringn(
                area.x,
                area.y + 1,
                text,
                name_w as usize,
                Style::default().fg(REDRIVE),
            );
        }

        let mut drawn = Drawn::default();
        let visible = area.height.saturating_sub(header) as usize;
        for (line, row_index) in (self.offset..self.rows.len()).take(visible).enumerate() {
            let row = &self.rows[row_index];
            let y = area.y + header + line as u16;
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
                    // A state name is the history's text: escaped like the rest of it.
                    let name = escape_control(&span.name);
                    let text = fit(&format!("{indent}{name}"), name_w as usize);
                    buf.set_stringn(area.x, y, text, name_w as usize, name_style);
                    self.render_bar(&axis, span, window_abs, (bar_x, y, bar_w), buf, &mut drawn);
                }
            }
            put_dividers(buf, y);
        }
        let legend = legend(
            &drawn,
            !dividers.is_empty(),
            name_w.saturating_sub(1) as usize,
        );
        buf.set_stringn(area.x, area.y, legend, name_w as usize, dim);
    }
}

/// The marks of the bars that need saying, those drawn: `░ queued · backoff ┆ redrive`, cut
/// to whole items that fit `width`.
fn legend(drawn: &Drawn, redrive: bool, width: usize) -> String {
    let items = [
        (drawn.queued, "░ queued"),
        (drawn.backoff, "· backoff"),
        (redrive, "┆ redrive"),
    ];
    let mut out = String::new();
    for (shown, item) in items {
        if !shown {
            continue;
        }
        let sep = usize::from(!out.is_empty());
        if out.chars().count() + sep + item.chars().count() > width {
            break;
        }
        if sep == 1 {
            out.push(' ');
        }
        out.push_str(item);
    }
    out
}

impl Gantt<'_> {
    /// The line under the ruler of a redriven execution: at each redrive's divider, its count,
    /// when it happened and the idle time collapsed before it (shorter when room is short).
    fn render_redrives(
        &self,
        axis: &TimeAxis,
        window_abs: (Millis, Millis),
        (window_ms, bar_w): (Millis, usize),
        (x, y): (u16, u16),
        buf: &mut Buffer,
    ) {
        let style = Style::default().fg(REDRIVE);
        let mut free_from = 0;
        for redrive in &self.timeline.redrives {
            let d = axis.fold(redrive.at);
            if d < window_abs.0 || d > window_abs.1 {
                continue;
            }
            let column = ((d - window_abs.0) as f64 * bar_w as f64 / window_ms.max(1) as f64)
                .round() as usize;
            let column = column.min(bar_w.saturating_sub(1));
            let idle = format_duration(redrive.at.saturating_sub(redrive.idle_from));
            let clock = format_clock(redrive.at);
            let texts = [
                format!(
                    "redrive {} at {clock} · idle {idle} collapsed",
                    redrive.count
                ),
                format!("redrive {} {clock} · idle {idle}", redrive.count),
                format!("#{} {clock}", redrive.count),
                format!("#{}", redrive.count),
            ];
            let placed = texts.iter().find_map(|text| {
                let len = text.chars().count() + 2;
                if column + len <= bar_w {
                    Some((column, format!("┆ {text}")))
                } else if column + 1 >= len && column + 1 - len >= free_from {
                    Some((column + 1 - len, format!("{text} ┆")))
                } else {
                    None
                }
            });
            let (start, text) = placed.unwrap_or((column, "┆".to_string()));
            let len = text.chars().count();
            buf.set_stringn(x + start as u16, y, &text, len, style);
            free_from = start + len + 1;
        }
    }

    fn render_bar(
        &self,
        axis: &TimeAxis,
        span: &Span,
        window_abs: (Millis, Millis),
        (x, y, width): (u16, u16, usize),
        buf: &mut Buffer,
        drawn: &mut Drawn,
    ) {
        let cells = bar_cells_on(axis, span, window_abs, self.now, width);
        let color = status_color(span.status);
        let edge = bar_end_hint(&cells);
        let mut bar_end = None;
        for (i, (glyph, part)) in cells.iter().enumerate() {
            let mut glyph = *glyph;
            let style = match part {
                BarPart::Empty => continue,
                BarPart::Body => Style::default().fg(color),
                // Waiting for a worker or a throttled Lambda: a light shade, not run time.
                BarPart::Queued => {
                    drawn.queued = true;
                    glyph = '░';
                    Style::default().fg(color)
                }
                BarPart::FailedAttempt => Style::default().fg(Color::Red),
                BarPart::Backoff => {
                    drawn.backoff = true;
                    Style::default().fg(Color::DarkGray)
                }
            };
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
        // On the axis: a span a redrive resumed did not take the hours it waited.
        let label = format_duration(axis.span(span.start, span.end.unwrap_or(self.now)));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::timeline::fixture;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

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
    fn a_redriven_execution_is_drawn_as_segments_with_a_labelled_divider() {
        let t = fixture("redriven.json");
        let axis = TimeAxis::of(&t);
        let end = axis.span(t.execution.start, t.execution.end.unwrap());
        let rows = t.rows();
        let mut terminal = Terminal::new(TestBackend::new(100, 14)).unwrap();
        terminal
            .draw(|frame| {
                frame.render_widget(
                    Gantt {
                        timeline: &t,
                        rows: &rows,
                        now: t.execution.end.unwrap(),
                        window: (0, end),
                        selected: None,
                        offset: 0,
                        name_width: 24,
                    },
                    frame.area(),
                )
            })
            .unwrap();
        insta::assert_snapshot!(terminal.backend());
        let text: Vec<String> = terminal
            .backend()
            .buffer()
            .content()
            .chunks(100)
            .map(|line| line.iter().map(|c| c.symbol()).collect())
            .collect();
        // The fit window is the 3.8 s of work, not the 3 h 17 m of waiting.
        assert_eq!(end, 3_805);
        assert!(text[0].starts_with("┆ redrive"), "{}", text[0]);
        assert!(text[1].starts_with("redriven 1×"), "{}", text[1]);
        assert!(
            text[1].contains("redrive 1 at 13:26:02 · idle 3h 17m collapsed"),
            "{}",
            text[1]
        );
        // The divider stands at the same column on the ruler and on every row it does not
        // cross a bar: the failure at 2.4 s of 3.8 s.
        let column = text[1].chars().position(|c| c == '┆').unwrap();
        let divided = text
            .iter()
            .filter(|line| line.chars().nth(column) == Some('┆'))
            .count();
        assert!(divided >= 6, "{text:#?}");
        // The Parallel's bar runs through the divider: no hours of nothing inside it, and its
        // label is its time on the axis (377 ms + 1151 ms), not the wall clock.
        let parallel = text
            .iter()
            .find(|l| l.starts_with("ParallelProcessing"))
            .unwrap();
        assert!(parallel.contains("1.5s"), "{parallel}");
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
}
