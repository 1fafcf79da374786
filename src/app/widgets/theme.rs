//! Colours and symbols shared by every view, so a status looks the same everywhere.

use crate::domain::Millis;
use crate::domain::execution::{ExecutionStatus, Outcome};
use crate::domain::timeline::SpanStatus;
use ratatui::style::{Color, Modifier, Style};

pub const ACCENT: Color = Color::Cyan;
pub const DIM: Color = Color::DarkGray;
pub const RUNNING: Color = Color::Blue;
pub const SUCCEEDED: Color = Color::Green;
pub const REJECTED: Color = Color::Magenta;
pub const FAILED: Color = Color::Red;
pub const ENDED_DARK: Color = Color::Gray;
pub const ERROR: Color = Color::LightRed;
pub const KEY: Color = Color::Yellow;

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
/// One spinner frame per animation tick.
const SPINNER_FRAME_MS: Millis = 150;

/// The spinner frame for this instant: derived from `now`, so it is the same on every redraw
/// of one tick and snapshot tests with a fixed clock are stable.
pub fn spinner(now: Millis) -> &'static str {
    SPINNER[(now.div_euclid(SPINNER_FRAME_MS) as usize) % SPINNER.len()]
}

pub fn status_color(status: ExecutionStatus) -> Color {
    match status {
        ExecutionStatus::Running | ExecutionStatus::PendingRedrive => RUNNING,
        ExecutionStatus::Succeeded => SUCCEEDED,
        ExecutionStatus::Failed => FAILED,
        ExecutionStatus::TimedOut | ExecutionStatus::Aborted => ENDED_DARK,
    }
}

pub fn status_style(status: ExecutionStatus) -> Style {
    let style = Style::default().fg(status_color(status));
    match status {
        ExecutionStatus::Failed => style.add_modifier(Modifier::BOLD),
        ExecutionStatus::TimedOut | ExecutionStatus::Aborted => style.add_modifier(Modifier::DIM),
        _ => style,
    }
}

/// Symbol in front of a status: a spinner while running.
pub fn status_symbol(status: ExecutionStatus, now: Millis) -> &'static str {
    match status {
        ExecutionStatus::Running => spinner(now),
        ExecutionStatus::PendingRedrive => "…",
        ExecutionStatus::Succeeded => "✓",
        ExecutionStatus::Failed => "✗",
        ExecutionStatus::TimedOut => "⏱",
        ExecutionStatus::Aborted => "■",
    }
}

pub fn outcome_style(outcome: &Outcome) -> Style {
    match outcome {
        Outcome::Completed => Style::default().fg(SUCCEEDED),
        Outcome::Rejected { .. } => Style::default().fg(REJECTED),
        Outcome::Error { .. } => Style::default().fg(FAILED),
    }
}

pub fn span_status_color(status: SpanStatus) -> Color {
    match status {
        SpanStatus::Running => RUNNING,
        SpanStatus::Succeeded => SUCCEEDED,
        SpanStatus::Caught => REJECTED,
        SpanStatus::Failed => FAILED,
        SpanStatus::Aborted | SpanStatus::TimedOut => ENDED_DARK,
    }
}

pub fn title() -> Style {
    Style::default().fg(ACCENT).add_modifier(Modifier::BOLD)
}

pub fn dim() -> Style {
    Style::default().fg(DIM)
}

pub fn key() -> Style {
    Style::default().fg(KEY).add_modifier(Modifier::BOLD)
}

pub fn selected() -> Style {
    Style::default()
        .bg(Color::Rgb(40, 48, 64))
        .add_modifier(Modifier::BOLD)
}

pub fn header_bar() -> Style {
    Style::default().bg(Color::Rgb(24, 28, 36)).fg(Color::White)
}

pub fn error() -> Style {
    Style::default().fg(ERROR).add_modifier(Modifier::BOLD)
}
