//! The inline input editor: the JSON text with line numbers and the cursor, whether it
//! parses (or the parse error at its line and column) and fits Step Functions' 256 KiB
//! input limit, and what the run will be.

use crate::app::list::scroll_to;
use crate::app::overlays::editor::InputEditor;
use crate::app::widgets::text::truncate;
use crate::app::widgets::theme;
use crate::domain::test_case::{InputTooLarge, MAX_INPUT_BYTES, compact_len, validate_input};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

pub fn render(editor: &InputEditor, frame: &mut Frame, area: Rect) {
    let width = area.width.min(90);
    let popup = Rect::new(
        area.x + (area.width - width) / 2,
        area.y,
        width,
        area.height,
    );
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::dim())
        .title(Span::styled(
            format!(" edit input · {} ", editor.draft.origin.describe()),
            theme::title(),
        ))
        .title_bottom(Span::styled(
            " ctrl-r run · ctrl-s save as test case · ctrl-e $EDITOR · Esc cancel ",
            theme::dim(),
        ));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let note_height = u16::from(editor.note.is_some());
    let [note_area, text_area, status_area] = Layout::vertical([
        Constraint::Length(note_height),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    if let Some(note) = &editor.note {
        frame.render_widget(
            Line::from(Span::styled(format!(" {note}"), theme::dim())),
            note_area,
        );
    }

    let rows = text_area.height as usize;
    let offset = scroll_to(editor.scroll, editor.row, rows);
    let number_width = editor.lines.len().to_string().len();
    let text_width = (text_area.width as usize).saturating_sub(number_width + 2);
    // Scroll sideways only when the cursor would leave the window.
    let shift = (editor.col + 1).saturating_sub(text_width);
    let problem_line = editor.problem.as_ref().map(|p| p.line - 1);
    let lines: Vec<Line> = editor
        .lines
        .iter()
        .enumerate()
        .skip(offset)
        .take(rows)
        .map(|(i, text)| {
            let number_style = if Some(i) == problem_line {
                theme::error()
            } else {
                theme::dim()
            };
            let mut spans = vec![Span::styled(
                format!("{:>number_width$} ", i + 1),
                number_style,
            )];
            let chars: Vec<char> = text.chars().skip(shift).collect();
            if i == editor.row {
                let at = editor.col - shift;
                let before: String = chars.iter().take(at).collect();
                let under = chars.get(at).copied().unwrap_or(' ');
                let after: String = chars.iter().skip(at + 1).collect();
                spans.push(Span::raw(format!(" {before}")));
                spans.push(Span::styled(
                    under.to_string(),
                    Style::default().add_modifier(Modifier::REVERSED),
                ));
                spans.push(Span::raw(after));
            } else {
                spans.push(Span::raw(format!(" {}", chars.iter().collect::<String>())));
            }
            Line::from(spans)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), text_area);

    let status_width = status_area.width as usize;
    let status = match &editor.problem {
        Some(problem) => Line::from(Span::styled(
            truncate(
                &format!(" ✗ not valid JSON: {problem} — nothing will be sent"),
                status_width,
            ),
            theme::error(),
        )),
        None => match too_large(editor) {
            Some(too_large) => Line::from(Span::styled(
                truncate(
                    &format!(" ✗ {too_large} — nothing will be sent"),
                    status_width,
                ),
                theme::error(),
            )),
            None => Line::from(Span::styled(
                truncate(" ✓ valid JSON", status_width),
                Style::default().fg(theme::SUCCEEDED),
            )),
        },
    };
    frame.render_widget(status, status_area);
}

/// Whether the input, as it would be sent (compacted), is over Step Functions' limit. The
/// editor keeps only whether its text parses; this reads it again (the cost of one parse, as
/// every edit already pays).
fn too_large(editor: &InputEditor) -> Option<InputTooLarge> {
    let value = validate_input(&editor.text()).ok()?;
    match compact_len(&value) {
        bytes if bytes > MAX_INPUT_BYTES => Some(InputTooLarge { bytes }),
        _ => None,
    }
}
