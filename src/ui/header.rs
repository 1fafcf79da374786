//! The header bar: where the console is connected (backend, identity, region, endpoint), the
//! state machine, and the LIVE badge with the last refresh time or the last error and its age.

use super::theme;
use crate::app::App;
use crate::app::screen::Screen;
use crate::domain::time::{format_clock, format_duration};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    frame.render_widget(Paragraph::new("").style(theme::header_bar()), area);
    let sep = || Span::styled(" │ ", theme::dim());
    let mut left = vec![Span::styled(" stepdeck", theme::title())];
    left.push(sep());
    left.extend(screen_tabs(app.screen, area.width));
    if app.options.read_only {
        left.push(Span::raw(" "));
        left.push(Span::styled(
            " READ-ONLY ",
            Style::default()
                .fg(Color::Black)
                .bg(theme::KEY)
                .add_modifier(Modifier::BOLD),
        ));
    }
    match &app.backend {
        Some(info) => {
            left.push(sep());
            left.push(Span::styled(
                info.kind.clone(),
                Style::default().fg(Color::White),
            ));
            left.push(sep());
            left.push(Span::raw(info.identity.clone()));
            if let Some(caller) = &app.caller {
                left.push(Span::styled(format!(" ({})", caller.account), theme::dim()));
            }
            left.push(sep());
            left.push(Span::raw(info.region.clone()));
            if let Some(endpoint) = &info.endpoint {
                left.push(sep());
                left.push(Span::styled(endpoint.clone(), theme::dim()));
            }
        }
        None => {
            left.push(sep());
            left.push(Span::styled("connecting…", theme::dim()));
        }
    }
    if let Some(sm) = app.state_machine() {
        left.push(sep());
        left.push(Span::styled(
            sm.name.clone(),
            Style::default().add_modifier(Modifier::BOLD),
        ));
        if app.state_machines.len() > 1 {
            let index = app.selected_state_machine.unwrap_or(0) + 1;
            left.push(Span::styled(
                format!(" ({index}/{})", app.state_machines.len()),
                theme::dim(),
            ));
        }
    }
    let badge = live_badge(app);
    let badge_width = badge.width() as u16;
    frame.render_widget(Line::from(left).style(theme::header_bar()), area);
    if badge_width + 20 <= area.width {
        let x = area.x + area.width - badge_width;
        frame.render_widget(badge, Rect::new(x, area.y, badge_width, 1));
    }
}

/// The screens, the current one highlighted; below 140 columns only the current one (the
/// connection and state machine need the room; `?` lists the `g e`/`g f`/`g t` keys).
fn screen_tabs(current: Screen, width: u16) -> Vec<Span<'static>> {
    let active = Style::default()
        .fg(theme::ACCENT)
        .add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
    if width < 140 {
        return vec![Span::styled(current.title(), active)];
    }
    let mut spans = Vec::new();
    for (i, &screen) in Screen::ALL.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" · ", theme::dim()));
        }
        let style = if screen == current {
            active
        } else {
            theme::dim()
        };
        spans.push(Span::styled(screen.title(), style));
    }
    spans
}

/// `● LIVE 10:00:03`, `◌ PAUSED` while the list is hidden, or the last error and its age.
fn live_badge(app: &App) -> Line<'static> {
    let list = &app.executions;
    if let Some((error, at)) = &list.error {
        let age = format_duration(app.now - at);
        let last = list
            .last_refresh
            .map(|t| format!(" · last ok {}", format_clock(t)))
            .unwrap_or_default();
        return Line::from(vec![
            Span::styled(" ⚠ ", theme::error()),
            Span::styled(
                format!("{} ({age} ago){last} ", super::truncate(error, 48)),
                theme::error(),
            ),
        ]);
    }
    match list.last_refresh {
        Some(t) if app.execution.is_none() && app.screen == Screen::Executions => Line::from(vec![
            Span::styled(
                " ● LIVE ",
                Style::default()
                    .fg(Color::Black)
                    .bg(theme::SUCCEEDED)
                    .add_modifier(Modifier::BOLD),
            ),
            Span::styled(format!(" {} ", format_clock(t)), theme::header_bar()),
        ]),
        Some(t) => Line::from(Span::styled(
            format!(" ◌ list paused · {} ", format_clock(t)),
            theme::dim(),
        )),
        None => Line::from(Span::styled(" loading… ", theme::dim())),
    }
}
