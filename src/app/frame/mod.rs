//! What surrounds the screens: `render(&App, &mut Frame)` lays out the header, the screen's
//! view, the notice or input line, the hint bar and the overlay on top; a compact notice when
//! the terminal is too small. Reads nothing but the `App`.

use crate::app::commands;
use crate::app::overlays::{self, Overlay};
use crate::app::screen::Screen;
use crate::app::screens::dashboard::{BucketGlance, Elsewhere, FacesGlance};
use crate::app::screens::thumbnails::SourceMatch;
use crate::app::screens::{dashboard, execution, executions, faces, tests, thumbnails};
use crate::app::widgets::theme;
use crate::app::{App, NoticeLevel};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

pub mod header;
pub mod hints;

/// Below this size the views cannot be laid out; a compact notice is shown instead.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 8;

pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        render_too_small(app, frame, area);
        return;
    }
    let input_line = matches!(app.overlay, Some(Overlay::Input(_)));
    // A long notice (a settings problem with its file and line) wraps onto up to three lines
    // rather than losing its end -- where "+N more, see ? help" is -- at the screen's edge.
    let notice_lines = match &app.notice {
        Some(n) if !input_line => notice_text(n, area.width),
        _ => Vec::new(),
    };
    let notice_height = if input_line {
        1
    } else {
        notice_lines.len() as u16
    };
    let [header, body, notice, hints] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(notice_height),
        Constraint::Length(1),
    ])
    .areas(area);
    header::render(app, frame, header);
    let cx = app.view();
    match (app.screen, &app.execution) {
        (Screen::Faces, _) => faces::view::render(&app.faces, &cx, frame, body),
        (Screen::Thumbnails, _) => thumbnails::view::render(&app.thumbnails, &cx, frame, body),
        (Screen::Tests, _) => tests::view::render(&app.tests, &cx, frame, body),
        (Screen::Dashboard, _) => {
            dashboard::view::render(&app.dashboard, &elsewhere(app), &cx, frame, body)
        }
        (Screen::Executions, Some(open)) => execution::view::render(open, &cx, frame, body),
        (Screen::Executions, None) => executions::view::render(&app.executions, &cx, frame, body),
    }
    if let Some(Overlay::Input(input)) = &app.overlay {
        overlays::input::render(input, frame, notice);
    } else if let Some(n) = &app.notice {
        let style = match n.level {
            NoticeLevel::Info => Style::default().fg(theme::ACCENT),
            NoticeLevel::Error => theme::error(),
        };
        let lines: Vec<Line> = notice_lines
            .into_iter()
            .map(|text| Line::from(Span::styled(text, style)))
            .collect();
        frame.render_widget(ratatui::widgets::Paragraph::new(lines), notice);
    }
    hints::render(app, frame, hints);
    match &app.overlay {
        Some(Overlay::Messages { scroll }) => {
            overlays::messages::render(&app.messages, *scroll, frame, body)
        }
        Some(Overlay::Help { context, scroll }) => {
            overlays::help::render(&app.keymap, &app.options, *context, *scroll, frame, body)
        }
        Some(Overlay::Palette(palette)) => {
            let completions = commands::completions(app, &palette.text);
            overlays::palette::render(palette, &completions, frame, body)
        }
        Some(Overlay::Confirm(confirm)) => overlays::confirm::render(confirm, frame, body),
        Some(Overlay::Picker { cursor }) => {
            let machines = &app.executions.machines;
            overlays::picker::render(&machines.all, machines.selected, *cursor, frame, body)
        }
        Some(Overlay::TestCases { cursor }) => {
            let target = app.state_machine().map(|s| s.name.as_str());
            overlays::test_cases::render(&app.runs.test_cases, target, *cursor, frame, body)
        }
        Some(Overlay::Editor(editor)) => overlays::editor_view::render(editor, frame, body),
        Some(Overlay::Input(_)) | None => {}
    }
}

/// The collection and the bucket as far as their screens have read them, for the dashboard.
fn elsewhere(app: &App) -> Elsewhere {
    let faces = &app.faces;
    let thumbnails = &app.thumbnails;
    Elsewhere {
        faces: faces.loaded.then(|| FacesGlance {
            collection: faces.collection.clone(),
            faces: faces.list.rows.len(),
            riders: faces.index.user_count(),
            duplicate_groups: faces.index.group_count(),
            complete: faces.next_token.is_none(),
        }),
        bucket: thumbnails
            .bucket
            .as_ref()
            .filter(|_| thumbnails.loaded)
            .map(|bucket| BucketGlance {
                bucket: bucket.clone(),
                objects: thumbnails.list.rows.len(),
                bytes: thumbnails.list.rows.iter().map(|o| o.size).sum(),
                orphans: thumbnails.photos_complete.then(|| {
                    thumbnails
                        .list
                        .rows
                        .iter()
                        .filter(|o| thumbnails.source_match(&o.key) == SourceMatch::Missing)
                        .count()
                }),
                complete: thumbnails.next_token.is_none(),
            }),
    }
}

/// A terminal too small for any view still says what it is and what it needs.
fn render_too_small(app: &App, frame: &mut Frame, area: Rect) {
    let status = match (app.screen, &app.execution) {
        (Screen::Faces, _) => format!("{} faces", app.faces.list.rows.len()),
        (Screen::Tests, _) => format!("{} suites", app.tests.suites.len()),
        (Screen::Thumbnails, _) => {
            let more = if app.thumbnails.next_token.is_some() {
                "+"
            } else {
                ""
            };
            format!(
                "{}{more} objects",
                crate::app::widgets::text::thousands(app.thumbnails.list.rows.len())
            )
        }
        (Screen::Dashboard, _) => {
            let coverage = app.dashboard.figures.coverage();
            format!(
                "{} runs in {}",
                crate::domain::stats::thousands(coverage.executions),
                app.dashboard.window.label()
            )
        }
        (Screen::Executions, Some(view)) => {
            format!("{} {}", view.summary.name, view.status().as_str())
        }
        (Screen::Executions, None) => format!("{} executions", app.executions.list.visible.len()),
    };
    let lines = [
        Line::from(Span::styled("stepdeck", theme::title())),
        Line::from(status),
        Line::from(Span::styled(
            format!("too small: {}×{}", area.width, area.height),
            theme::error(),
        )),
        Line::from(format!("need {MIN_WIDTH}×{MIN_HEIGHT}")),
        Line::from(Span::styled("q quits", theme::dim())),
    ];
    for (i, line) in lines.into_iter().enumerate().take(area.height as usize) {
        let row = Rect::new(area.x, area.y + i as u16, area.width, 1);
        frame.render_widget(line, row);
    }
}

/// The most lines a notice takes under the view.
const NOTICE_MAX_LINES: usize = 3;

/// The notice's text with its icon, wrapped to `width` on at most `NOTICE_MAX_LINES` lines
/// (the last one cut with `…` when it still does not fit).
fn notice_text(notice: &crate::app::notice::Notice, width: u16) -> Vec<String> {
    let icon = match notice.level {
        NoticeLevel::Info => "ℹ ",
        NoticeLevel::Error => "⚠ ",
    };
    let text = format!("{icon}{}", notice.text);
    let width = usize::from(width).max(2);
    let mut lines: Vec<String> = crate::app::widgets::text::wrap_words(&text, width - 1)
        .into_iter()
        .map(|line| format!(" {line}"))
        .collect();
    if lines.len() > NOTICE_MAX_LINES {
        lines.truncate(NOTICE_MAX_LINES);
        let last = &mut lines[NOTICE_MAX_LINES - 1];
        *last = crate::app::widgets::text::truncate(&format!("{last} …"), width);
        if !last.ends_with('…') {
            last.push('…');
        }
    }
    lines
}
