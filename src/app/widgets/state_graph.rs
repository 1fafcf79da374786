//! Paints a laid-out definition (`domain::definition::layout`) into a viewport: wires and
//! arrowheads, boxes bordered in the colour of how each state went (dim when it was never
//! entered), a status mark in each box's corner, the selected box drawn heavy.

use crate::app::widgets::theme;
use crate::domain::definition::EdgeKind;
use crate::domain::definition::layout::{DASHED, DOWN, GraphLayout, LEFT, RIGHT, SOLID, UP};
use crate::domain::timeline::SpanStatus;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::Widget;

pub struct StateGraph<'a> {
    pub layout: &'a GraphLayout,
    /// How a state went in this execution; None: never entered.
    pub status: &'a dyn Fn(&str) -> Option<SpanStatus>,
    pub selected: Option<usize>,
    /// Grid offset (columns, rows) of the viewport's top-left corner.
    pub scroll: (u16, u16),
}

/// The viewport onto the grid: drops whatever falls outside the area.
struct Canvas<'b> {
    buf: &'b mut Buffer,
    area: Rect,
    scroll: (u16, u16),
}

impl Canvas<'_> {
    fn put(&mut self, x: u16, y: u16, symbol: &str, style: Style) {
        let (Some(dx), Some(dy)) = (x.checked_sub(self.scroll.0), y.checked_sub(self.scroll.1))
        else {
            return;
        };
        if dx >= self.area.width || dy >= self.area.height {
            return;
        }
        if let Some(cell) = self.buf.cell_mut((self.area.x + dx, self.area.y + dy)) {
            cell.set_symbol(symbol).set_style(style);
        }
    }

    /// Text from (x, y), at most `width` columns (one char a column: names were escaped and
    /// cut to width when laid out).
    fn text(&mut self, x: u16, y: u16, text: &str, width: u16, style: Style) {
        let mut buffer = [0u8; 4];
        for (i, c) in text.chars().take(usize::from(width)).enumerate() {
            let column = x.saturating_add(u16::try_from(i).unwrap_or(u16::MAX));
            self.put(column, y, c.encode_utf8(&mut buffer), style);
        }
    }
}

/// The box-drawing character for a cell's wires; a cell only Catch transitions cross is
/// drawn dashed (corners and junctions have no dashed form and stay solid).
fn wire_symbol(mask: u8) -> &'static str {
    let dashed = mask & DASHED != 0 && mask & SOLID == 0;
    let mask = mask & (UP | DOWN | LEFT | RIGHT);
    match mask {
        m if dashed && m & (LEFT | RIGHT) == 0 => "┆",
        m if dashed && m & (UP | DOWN) == 0 => "┄",
        m if m == UP | DOWN | LEFT | RIGHT => "┼",
        m if m == UP | DOWN | RIGHT => "├",
        m if m == UP | DOWN | LEFT => "┤",
        m if m == UP | LEFT | RIGHT => "┴",
        m if m == DOWN | LEFT | RIGHT => "┬",
        m if m == UP | RIGHT => "└",
        m if m == UP | LEFT => "┘",
        m if m == DOWN | RIGHT => "┌",
        m if m == DOWN | LEFT => "┐",
        m if m & (LEFT | RIGHT) != 0 && m & (UP | DOWN) == 0 => "─",
        _ => "│",
    }
}

fn status_mark(status: Option<SpanStatus>) -> &'static str {
    match status {
        Some(SpanStatus::Succeeded) => "✓",
        Some(SpanStatus::Failed) => "✗",
        Some(SpanStatus::Caught) => "↯",
        Some(SpanStatus::Running) => "●",
        Some(SpanStatus::Aborted) => "■",
        Some(SpanStatus::TimedOut) => "⏱",
        None => "",
    }
}

struct Borders {
    top_left: &'static str,
    top_right: &'static str,
    bottom_left: &'static str,
    bottom_right: &'static str,
    horizontal: &'static str,
    vertical: &'static str,
    tee_down: &'static str,
}

const LIGHT: Borders = Borders {
    top_left: "╭",
    top_right: "╮",
    bottom_left: "╰",
    bottom_right: "╯",
    horizontal: "─",
    vertical: "│",
    tee_down: "┬",
};

const HEAVY: Borders = Borders {
    top_left: "┏",
    top_right: "┓",
    bottom_left: "┗",
    bottom_right: "┛",
    horizontal: "━",
    vertical: "┃",
    tee_down: "┳",
};

impl Widget for StateGraph<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let layout = self.layout;
        // A graph narrower than the view sits in its middle.
        let area = if layout.width < area.width {
            let margin = (area.width - layout.width) / 2;
            Rect {
                x: area.x + margin,
                width: area.width - margin,
                ..area
            }
        } else {
            area
        };
        let mut canvas = Canvas {
            buf,
            area,
            scroll: self.scroll,
        };
        let wire_style = theme::dim();
        for (&(x, y), &mask) in &layout.wires {
            canvas.put(x, y, wire_symbol(mask), wire_style);
        }
        for label in &layout.labels {
            let style = match label.kind {
                EdgeKind::Catch => Style::default().fg(theme::REJECTED),
                _ => theme::dim(),
            }
            .add_modifier(Modifier::ITALIC);
            let width = u16::try_from(label.text.chars().count()).unwrap_or(u16::MAX);
            canvas.text(label.x, label.y, &label.text, width, style);
        }
        for &(x, y) in &layout.arrows {
            canvas.put(x, y, "▼", wire_style);
        }
        let wire_below = |x: u16, y: u16| {
            layout
                .wires
                .get(&(x, y.saturating_add(1)))
                .is_some_and(|m| m & UP != 0)
        };
        for (index, b) in layout.boxes.iter().enumerate() {
            if b.w < 2 || b.h < 2 {
                continue;
            }
            let status = (self.status)(&b.name);
            let selected = self.selected == Some(index);
            let colour = status.map_or(theme::DIM, theme::span_status_color);
            let mut border = Style::default().fg(colour);
            if status.is_none() {
                border = border.add_modifier(Modifier::DIM);
            }
            if selected {
                border = border.add_modifier(Modifier::BOLD);
            }
            let lines = if selected { &HEAVY } else { &LIGHT };
            let (right, bottom) = (b.x + b.w - 1, b.y + b.h - 1);
            for x in b.x + 1..right {
                let top = if wire_below(x, b.y) {
                    lines.tee_down
                } else {
                    lines.horizontal
                };
                canvas.put(x, b.y, top, border);
                let low = if wire_below(x, bottom) {
                    lines.tee_down
                } else {
                    lines.horizontal
                };
                canvas.put(x, bottom, low, border);
            }
            for y in b.y + 1..bottom {
                canvas.put(b.x, y, lines.vertical, border);
                canvas.put(right, y, lines.vertical, border);
            }
            canvas.put(b.x, b.y, lines.top_left, border);
            canvas.put(right, b.y, lines.top_right, border);
            canvas.put(b.x, bottom, lines.bottom_left, border);
            canvas.put(right, bottom, lines.bottom_right, border);
            let mark = status_mark(status);
            if !mark.is_empty() && b.w >= 6 {
                canvas.put(right - 2, b.y, mark, border);
            }

            let mut title_style = Style::default().fg(colour).add_modifier(Modifier::BOLD);
            if status.is_none() {
                title_style = theme::dim();
            }
            if selected {
                title_style = title_style.add_modifier(Modifier::REVERSED);
            }
            let inner = b.w.saturating_sub(4);
            if b.container {
                // A frame: name and type in the top border, notes in the bottom one.
                let heading = format!(" {} ", b.title);
                let room = b.w.saturating_sub(6);
                canvas.text(b.x + 2, b.y, &heading, room, title_style);
                let after = b.x + 2 + u16::try_from(heading.chars().count()).unwrap_or(0);
                let sub = format!("· {} ", b.subtitle);
                let left = (b.x + 2 + room).saturating_sub(after);
                canvas.text(after, b.y, &sub, left, theme::dim());
                if !b.notes.is_empty() {
                    let footer = format!(" {} ", b.notes.join(" · "));
                    canvas.text(b.x + 2, bottom, &footer, room, theme::dim());
                }
            } else {
                canvas.text(b.x + 2, b.y + 1, &b.title, inner, title_style);
                canvas.text(b.x + 2, b.y + 2, &b.subtitle, inner, theme::dim());
                for (i, note) in b.notes.iter().enumerate() {
                    let y = b.y + 3 + u16::try_from(i).unwrap_or(u16::MAX);
                    canvas.text(b.x + 2, y, note, inner, theme::dim());
                }
            }
        }
    }
}
