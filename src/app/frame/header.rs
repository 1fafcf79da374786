//! The header bar: where the console is connected (backend, identity, region, endpoint), the
//! state machine, and the LIVE badge with the last refresh time or the last error and its age.

use crate::app::App;
use crate::app::options::ReadOnlyCause;
use crate::app::screen::Screen;
use crate::app::widgets::theme;
use crate::domain::time::{format_clock, format_duration, format_interval};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// One part of the header and how much it matters when the bar is too narrow for all.
struct Segment {
    /// Low ranks are shortened and left out first (see `fit`).
    rank: u8,
    spans: Vec<Span<'static>>,
    /// A shorter form to use before dropping the part.
    short: Option<Vec<Span<'static>>>,
}

impl Segment {
    fn new(rank: u8, spans: Vec<Span<'static>>) -> Self {
        Segment {
            rank,
            spans,
            short: None,
        }
    }

    fn or_shorter(mut self, short: Vec<Span<'static>>) -> Self {
        self.short = Some(short);
        self
    }
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    frame.render_widget(Paragraph::new("").style(theme::header_bar()), area);
    // The badge says the refresh pace unless that would shorten or push out who and where
    // the console is connected (rank 5 and up): then only a pace slower than the settings'.
    let layout = |with_pace: bool| {
        let badge = live_badge(app, with_pace);
        let badge_width = badge.width() as u16;
        let show_badge = badge_width + 20 <= area.width;
        let room = if show_badge {
            area.width - badge_width
        } else {
            area.width
        } as usize;
        let (left, dropped) = fit(segments(app, area.width), room);
        (badge, badge_width, show_badge, left, dropped)
    };
    let (mut badge, mut badge_width, mut show_badge, mut left, dropped) = layout(true);
    if dropped >= 5 {
        (badge, badge_width, show_badge, left, _) = layout(false);
    }
    frame.render_widget(Line::from(left).style(theme::header_bar()), area);
    if show_badge {
        let x = area.x + area.width - badge_width;
        frame.render_widget(badge, Rect::new(x, area.y, badge_width, 1));
    }
}

/// The header's parts, in display order, ranked: what is shown, on which state machine, in
/// which region, against which endpoint and as whom; the backend kind matters least.
fn segments(app: &App, width: u16) -> Vec<Segment> {
    let mut parts = vec![Segment::new(10, screen_tabs(app.screen, width))];
    if app.options.read_only {
        let mark = Style::default()
            .fg(Color::Black)
            .bg(theme::KEY)
            .add_modifier(Modifier::BOLD);
        let text = match app.options.read_only_cause {
            ReadOnlyCause::SettingsProblems => " READ-ONLY · settings problems (?) ",
            ReadOnlyCause::Flag | ReadOnlyCause::Setting => " READ-ONLY ",
        };
        parts.push(Segment::new(11, vec![Span::styled(text, mark)]));
    }
    match &app.backend {
        Some(info) => {
            let kind = Span::styled(info.kind.clone(), Style::default().fg(Color::White));
            parts.push(Segment::new(0, vec![kind]));
            let account = app
                .caller
                .as_ref()
                .map(|caller| Span::styled(format!(" ({})", caller.account), theme::dim()));
            let name = info.identity.clone();
            // Shortened before it is left out: who the console acts as matters.
            let short_name = if name == crate::backend::ENVIRONMENT_CREDENTIALS {
                "env".to_string()
            } else {
                name.strip_prefix("profile ").unwrap_or(&name).to_string()
            };
            let identity = std::iter::once(Span::raw(name.clone()))
                .chain(account.clone())
                .collect();
            let short = std::iter::once(Span::raw(short_name))
                .chain(account)
                .collect();
            parts.push(Segment::new(5, identity).or_shorter(short));
            parts.push(Segment::new(7, vec![Span::raw(info.region.clone())]));
            // A custom endpoint (moto, LocalStack) says this is not the real account.
            if let Some(endpoint) = &info.endpoint {
                let host = endpoint
                    .split_once("://")
                    .map_or(endpoint.as_str(), |(_, h)| h);
                parts.push(
                    Segment::new(6, vec![Span::styled(endpoint.clone(), theme::dim())])
                        .or_shorter(vec![Span::styled(host.to_string(), theme::dim())]),
                );
            }
        }
        None => parts.push(Segment::new(
            5,
            vec![Span::styled("connecting…", theme::dim())],
        )),
    }
    if let Some(sm) = app.state_machine() {
        let name = Span::styled(
            sm.name.clone(),
            Style::default().add_modifier(Modifier::BOLD),
        );
        let mut spans = vec![name.clone()];
        if app.executions.machines.all.len() > 1 {
            let index = app.executions.machines.selected.unwrap_or(0) + 1;
            spans.push(Span::styled(
                format!(" ({index}/{})", app.executions.machines.all.len()),
                theme::dim(),
            ));
        }
        parts.push(Segment::new(9, spans).or_shorter(vec![name]));
    }
    parts
}

/// ` stepdeck │ part │ part …`, leaving out the lowest-ranked parts until it fits `room`
/// columns (what still does not fit is cut at the edge); with the highest rank shortened or
/// left out (0 when all is whole).
fn fit(mut parts: Vec<Segment>, room: usize) -> (Vec<Span<'static>>, u8) {
    let mut dropped = 0;
    let title = Span::styled(" stepdeck", theme::title());
    let sep = || Span::styled(" │ ", theme::dim());
    let width = |parts: &[Segment]| {
        title.width()
            + parts
                .iter()
                .map(|p| 3 + p.spans.iter().map(Span::width).sum::<usize>())
                .sum::<usize>()
    };
    // Each step costs the part's rank to shorten it, eight more to leave it out; the
    // cheapest step is taken until the header fits.
    while width(&parts) > room {
        let step = (0..parts.len())
            .filter_map(|i| match (&parts[i].short, parts.len() > 1) {
                (Some(_), _) => Some((parts[i].rank, i, true)),
                (None, true) => Some((parts[i].rank + 8, i, false)),
                (None, false) => None,
            })
            .min();
        match step {
            Some((_, i, true)) => {
                dropped = dropped.max(parts[i].rank);
                parts[i].spans = parts[i].short.take().unwrap_or_default();
            }
            Some((_, i, false)) => {
                dropped = dropped.max(parts.remove(i).rank);
            }
            None => break,
        }
    }
    let mut spans = vec![title];
    for part in parts {
        spans.push(sep());
        spans.extend(part.spans);
    }
    (spans, dropped)
}

/// The screens, the current one highlighted; below 152 columns only the current one (the
/// connection and state machine need the room; `?` lists the `g e`/`g f`/`g t`/`g d` keys).
fn screen_tabs(current: Screen, width: u16) -> Vec<Span<'static>> {
    let active = Style::default()
        .fg(theme::ACCENT)
        .add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
    if width < 152 {
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

/// `● LIVE 10:00:03 · every 2s` (`· idle, every 16s` when slowed), `◌ PAUSED` while the list is hidden, or the last error and its age.
fn live_badge(app: &App, with_pace: bool) -> Line<'static> {
    let list = &app.executions;
    if let Some(confirmed) = app.offline {
        let since = confirmed
            .map(|t| format!(" stored · confirmed {} ", format_clock(t)))
            .unwrap_or_else(|| " stored ".to_string());
        return Line::from(vec![
            Span::styled(
                " ◌ OFFLINE ",
                Style::default()
                    .fg(Color::Black)
                    .bg(theme::KEY)
                    .add_modifier(Modifier::BOLD),
            ),
            Span::styled(since, theme::header_bar()),
        ]);
    }
    if let Some((error, at)) = &list.error {
        let age = format_duration(app.now - at);
        let last = list
            .last_refresh
            .map(|t| format!(" · last ok {}", format_clock(t)))
            .unwrap_or_default();
        return Line::from(vec![
            Span::styled(" ⚠ ", theme::error()),
            Span::styled(
                format!(
                    "{} ({age} ago){last} ",
                    crate::app::widgets::text::truncate(error, 48)
                ),
                theme::error(),
            ),
        ]);
    }
    // The interval in force, slowed when idle: stale means older than twice what is asked.
    let interval = app.list_interval();
    // The pace is always said (an operator on a shared account wants to know what the
    // console costs), with why when it is slower than asked.
    let every = format_interval(interval);
    let pace = if interval > app.options.refresh_interval() {
        format!("· idle, every {every} ")
    } else if with_pace {
        format!("· every {every} ")
    } else {
        String::new()
    };
    match list.last_refresh {
        // A refresh that hangs must not look live: past twice the interval the data's age
        // is what the badge says.
        Some(t)
            if app.execution.is_none()
                && app.screen == Screen::Executions
                && app.now.saturating_sub(t) > interval.saturating_mul(2) =>
        {
            Line::from(vec![
                Span::styled(
                    " ◌ STALE ",
                    Style::default()
                        .fg(Color::Black)
                        .bg(theme::KEY)
                        .add_modifier(Modifier::BOLD),
                ),
                Span::styled(
                    format!(
                        " data {} old · {} ",
                        format_duration(app.now - t),
                        format_clock(t)
                    ),
                    theme::header_bar(),
                ),
            ])
        }
        Some(t) if app.execution.is_none() && app.screen == Screen::Executions => Line::from(vec![
            Span::styled(
                " ● LIVE ",
                Style::default()
                    .fg(Color::Black)
                    .bg(theme::SUCCEEDED)
                    .add_modifier(Modifier::BOLD),
            ),
            Span::styled(format!(" {} {pace}", format_clock(t)), theme::header_bar()),
        ]),
        Some(t) => Line::from(Span::styled(
            format!(" ◌ list paused · {} ", format_clock(t)),
            theme::dim(),
        )),
        None => Line::from(Span::styled(" loading… ", theme::dim())),
    }
}
