//! The thumbnails view: a title line (bucket, what filter and sort cover, the page reading
//! under way), a table of the visible
//! objects only — key, size, last modified, content type, source photo — and, on wide
//! terminals, a preview pane with the selected image (already decoded and fitted by the
//! runtime) above its metadata, or the metadata alone when it cannot be shown.

use super::preview::{PREVIEW_INFO_LINES, preview_pane_width};
use super::{ObjectSortColumn, PreviewState, Seek, SourceMatch, State, s3_uri};
use crate::app::ctx::View;
use crate::app::widgets::table::{placeholder, sort_header, visible_rows};
use crate::app::widgets::text::{noun, thousands, truncate};
use crate::app::widgets::theme;
use crate::domain::objects::{ObjectInfo, content_type_from_key, source_key};
use crate::domain::time::format_date_time;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, Wrap};
use ratatui_image::Image;

pub fn render(s: &State, _cx: &View, frame: &mut Frame, area: Rect) {
    let [title, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
    frame.render_widget(title_line(s, title.width as usize), title);
    let Some(bucket) = &s.bucket else {
        let (text, style) = match &s.bucket_problem {
            Some(problem) => (problem.clone(), theme::error()),
            None => ("finding the thumbnail bucket…".to_string(), theme::dim()),
        };
        frame.render_widget(
            Paragraph::new(Line::from(Span::styled(format!("  {text}"), style)))
                .wrap(Wrap { trim: false }),
            body,
        );
        return;
    };
    match preview_pane_width(area.width) {
        Some(pane_width) if body.height >= 3 => {
            let [table, pane] =
                Layout::horizontal([Constraint::Min(0), Constraint::Length(pane_width)])
                    .areas(body);
            render_table(s, frame, table);
            render_preview(s, bucket, frame, pane);
        }
        _ => render_table(s, frame, body),
    }
}

/// The title: what the list covers, the reading under way, filter and sort come first; the
/// bucket's name gets the room left (cut short on a narrow terminal, left out when less than
/// a few characters would show), never the counts.
fn title_line(s: &State, width: usize) -> Line<'static> {
    let mut tail = Vec::new();
    if s.bucket.is_some() {
        tail.push(Span::styled(format!("  {}", coverage(s)), theme::dim()));
    }
    if let Some(progress) = progress(s) {
        tail.push(Span::styled(format!("  {progress}"), theme::dim()));
    }
    if !s.list.filter.is_empty() {
        tail.push(Span::styled("  filter ", theme::dim()));
        tail.push(Span::styled(format!("/{}", s.list.filter), theme::key()));
    }
    if let Some(sort) = s.list.sort {
        let arrow = if sort.descending { "↓" } else { "↑" };
        // A sort orders the rows loaded; "(loaded)" says the bucket holds more.
        let scope = if s.next_token.is_some() {
            " (loaded)"
        } else {
            ""
        };
        tail.push(Span::styled("  sort ", theme::dim()));
        tail.push(Span::raw(format!("{} {arrow}{scope}", sort.column.title())));
    }
    if s.deletion.is_some() {
        tail.push(Span::styled("  deleting…", theme::error()));
    }
    let mut spans = vec![Span::styled(" Thumbnails", theme::title())];
    if let Some(bucket) = &s.bucket {
        let used: usize = tail.iter().map(Span::width).sum::<usize>() + " Thumbnails  ".len();
        let room = width.saturating_sub(used);
        if room >= 12.min(bucket.chars().count()) {
            spans.push(Span::raw("  "));
            spans.push(Span::raw(truncate(bucket, room)));
        }
    }
    spans.extend(tail);
    Line::from(spans)
}

/// What the list covers: "1,000 objects" (all of them), "40,000+ loaded" (S3 does not say
/// how many more), "12 matches in 40,000+ loaded" under a filter. Counts only: O(1).
pub fn coverage(s: &State) -> String {
    let rows = s.list.rows.len();
    let more = s.next_token.is_some();
    let loaded = if more {
        format!("{}+ loaded", thousands(rows))
    } else {
        format!("{} {}", thousands(rows), noun(rows, "object", "objects"))
    };
    if s.list.filter.is_empty() {
        return loaded;
    }
    let matches = s.list.visible.len();
    format!(
        "{} {} in {loaded}",
        thousands(matches),
        noun(matches, "match", "matches")
    )
}

/// The page reading under way: `G` to the end, a filter's bounded search, a single page.
fn progress(s: &State) -> Option<String> {
    match s.seek {
        Some(Seek::ToEnd) => Some("loading all (Esc stops)".into()),
        // A page already on its way when the search began is its first.
        Some(Seek::Matches { left, pages }) => Some(format!(
            "searching {}/{pages} pages (Esc stops)",
            (pages - left).max(1)
        )),
        None if s
            .pages
            .in_flight
            .as_ref()
            .is_some_and(|&(_, append)| append) =>
        {
            Some("loading".into())
        }
        None => None,
    }
}

/// `12.3 KiB`: sizes as an operator reads them.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

fn content_type(object: &ObjectInfo) -> String {
    object
        .content_type
        .clone()
        .or_else(|| content_type_from_key(&object.key).map(str::to_string))
        .unwrap_or_else(|| "—".into())
}

fn source_span(s: &State, key: &str) -> Span<'static> {
    match (s.source_match(key), source_key(key)) {
        (SourceMatch::Found, Some(source)) => {
            Span::styled(format!("✓ {source}"), Style::default().fg(theme::SUCCEEDED))
        }
        (SourceMatch::Missing, Some(source)) => {
            Span::styled(format!("✗ {source} missing"), theme::error())
        }
        (SourceMatch::Unknown, Some(source)) => Span::styled(format!("? {source}"), theme::dim()),
        _ => Span::styled("—", theme::dim()),
    }
}

struct Columns {
    modified: bool,
    content_type: bool,
    source: bool,
}

fn render_table(s: &State, frame: &mut Frame, area: Rect) {
    if area.height < 2 {
        return;
    }
    if s.list.visible.is_empty() {
        let (text, style) = if let Some(error) = &s.error {
            (error.clone(), theme::error())
        } else if !s.loaded {
            ("loading objects…".to_string(), theme::dim())
        } else if s.list.rows.is_empty() {
            ("the bucket is empty".to_string(), theme::dim())
        } else if s.next_token.is_some() && s.seek.is_none() {
            (
                "no object loaded matches the filter: Enter in / searches further pages"
                    .to_string(),
                theme::dim(),
            )
        } else {
            ("no object matches the filter".to_string(), theme::dim())
        };
        frame.render_widget(placeholder(&text, style), area);
        return;
    }
    let columns = Columns {
        modified: area.width >= 50,
        // The source matters more than the type (the preview pane shows the type too).
        content_type: area.width >= 96,
        source: area.width >= 64,
    };
    let height = area.height.saturating_sub(1) as usize;
    let rows = visible_rows(&s.list, height, |object, selected| {
        let mark = if selected { "▌" } else { " " };
        let mut cells = vec![
            Cell::from(Line::from(vec![
                Span::styled(mark, theme::key()),
                Span::raw(object.key.clone()),
            ])),
            Cell::from(Line::from(human_size(object.size)).right_aligned()),
        ];
        if columns.modified {
            cells.push(Cell::from(
                object.last_modified.map_or("—".into(), format_date_time),
            ));
        }
        if columns.content_type {
            cells.push(Cell::from(Span::styled(content_type(object), theme::dim())));
        }
        if columns.source {
            cells.push(Cell::from(source_span(s, &object.key)));
        }
        Row::new(cells)
    });
    let mut widths = vec![Constraint::Fill(3), Constraint::Length(10)];
    let mut header = vec![
        sort_header(s.list.sort, Some(ObjectSortColumn::Key), " KEY"),
        sort_header(s.list.sort, Some(ObjectSortColumn::Size), "SIZE"),
    ];
    if columns.modified {
        widths.push(Constraint::Length(15));
        header.push(sort_header(
            s.list.sort,
            Some(ObjectSortColumn::Modified),
            "MODIFIED",
        ));
    }
    if columns.content_type {
        widths.push(Constraint::Length(11));
        header.push(Cell::from("TYPE"));
    }
    if columns.source {
        widths.push(Constraint::Fill(2));
        header.push(Cell::from("SOURCE"));
    }
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(theme::dim().add_modifier(Modifier::BOLD)))
        .column_spacing(1);
    frame.render_widget(table, area);
}

fn render_preview(s: &State, bucket: &str, frame: &mut Frame, area: Rect) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::dim())
        .title(Span::styled(" preview ", theme::title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(object) = s.selected() else {
        return;
    };
    let info_height = PREVIEW_INFO_LINES.min(inner.height);
    let [image_area, info_area] =
        Layout::vertical([Constraint::Min(0), Constraint::Length(info_height)]).areas(inner);
    let current = s.preview.as_ref().filter(|p| p.key() == object.key);
    let mut dimensions = String::new();
    match current {
        Some(PreviewState::Ready { image, .. }) => {
            dimensions = format!(" · {}×{} {}", image.width, image.height, image.format);
            let size = image.protocol.size();
            // Centre the fitted image in the space it has.
            let width = size.width.min(image_area.width);
            let height = size.height.min(image_area.height);
            let x = image_area.x + (image_area.width - width) / 2;
            let y = image_area.y + (image_area.height - height) / 2;
            frame.render_widget(
                Image::new(&image.protocol).allow_clipping(true),
                Rect::new(x, y, width, height),
            );
        }
        Some(PreviewState::Failed { failure, .. }) => {
            let text = format!("no preview: {}", failure.message);
            frame.render_widget(
                Paragraph::new(Span::styled(text, theme::dim())).wrap(Wrap { trim: true }),
                image_area,
            );
        }
        Some(PreviewState::Loading { .. }) | None => {
            frame.render_widget(
                Line::from(Span::styled("loading preview…", theme::dim())).centered(),
                Rect::new(
                    image_area.x,
                    image_area.y + image_area.height / 2,
                    image_area.width,
                    1.min(image_area.height),
                ),
            );
        }
    }
    let width = info_area.width as usize;
    let source = match (source_key(&object.key), s.photo_bucket.as_deref()) {
        (Some(source), Some(photos)) => {
            let mark = match s.source_match(&object.key) {
                SourceMatch::Found => "✓",
                SourceMatch::Missing => "✗ missing:",
                _ => "?",
            };
            format!("source {mark} {}", s3_uri(photos, source))
        }
        (Some(source), None) => format!("source: {source} (photo bucket unknown)"),
        (None, _) => "source: — (not a resized-<key> thumbnail)".into(),
    };
    let lines = vec![
        Line::from(Span::styled(
            truncate(&s3_uri(bucket, &object.key), width),
            Style::default().add_modifier(Modifier::BOLD),
        )),
        Line::from(truncate(
            &format!("{}{dimensions}", human_size(object.size)),
            width,
        )),
        Line::from(Span::styled(
            truncate(
                &format!(
                    "{} · {}",
                    content_type(object),
                    object.last_modified.map_or("—".into(), format_date_time)
                ),
                width,
            ),
            theme::dim(),
        )),
        Line::from(Span::styled(truncate(&source, width), theme::dim())),
    ];
    frame.render_widget(Paragraph::new(lines), info_area);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_like_an_operator_expects() {
        assert_eq!(human_size(0), "0 B");
        assert_eq!(human_size(1023), "1023 B");
        assert_eq!(human_size(12_600), "12.3 KiB");
        assert_eq!(human_size(5 * 1024 * 1024), "5.0 MiB");
    }
}
