//! The faces view: a title line (collection, counts, duplicates, filter, sort, marks, scan
//! progress, the data's age), the last deletion's report, and a table of the visible faces
//! only — mark, face id, user id, image id, confidence, bounding box, indexed time and
//! duplicate flags, the faces a jump from a rejected run found, or the reasons a face could
//! not be deleted.

use super::refresh::{age_label, reload_pace};
use super::{DeletionReport, FaceSortColumn, State};
use crate::app::ctx::View;
use crate::app::widgets::table::{placeholder, sort_header, visible_rows};
use crate::app::widgets::text::{noun, thousands, truncate};
use crate::app::widgets::theme;
use crate::domain::Millis;
use crate::domain::faces::Face;
use crate::domain::time::{format_date_time, format_interval};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Table};

pub fn render(s: &State, cx: &View, frame: &mut Frame, area: Rect) {
    let report_lines = s.last_report.as_ref().map_or(0, |r| report(r).len() as u16);
    let [title, report_area, table] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(report_lines.min(area.height.saturating_sub(3))),
        Constraint::Min(0),
    ])
    .areas(area);
    frame.render_widget(title_line(s, cx.now, cx.options.refresh_interval()), title);
    if let Some(r) = &s.last_report {
        for (i, line) in report(r)
            .into_iter()
            .enumerate()
            .take(report_area.height as usize)
        {
            let row = Rect::new(
                report_area.x,
                report_area.y + i as u16,
                report_area.width,
                1,
            );
            frame.render_widget(line, row);
        }
    }
    render_table(s, frame, table);
}

fn title_line(s: &State, now: Millis, refresh_interval: Millis) -> Line<'static> {
    let mut spans = vec![
        Span::styled(" Faces", theme::title()),
        Span::styled("  collection: ", theme::dim()),
        Span::raw(s.collection.clone()),
    ];
    let more = if s.next_token.is_some() { "+" } else { "" };
    let (faces, users) = (s.list.rows.len(), s.index.user_count());
    // While not all are loaded: of how many, as the service last counted them.
    let of_total = match (s.next_token.is_some(), s.expected_faces) {
        (true, Some(total)) if total as usize > faces => {
            format!(" of ~{}", thousands(total as usize))
        }
        _ => String::new(),
    };
    let more_faces = if of_total.is_empty() { more } else { "" };
    spans.push(Span::styled(
        format!(
            "  {}{more_faces}{of_total} {} · {}{more} {}",
            thousands(faces),
            noun(faces, "face", "faces"),
            thousands(users),
            noun(users, "user", "users"),
        ),
        theme::dim(),
    ));
    if s.group_count() > 0 {
        spans.push(Span::styled(
            format!(
                "  {} duplicate group(s) of {} faces",
                thousands(s.group_count()),
                thousands(s.duplicate_face_count())
            ),
            Style::default().fg(theme::REJECTED),
        ));
    }
    if s.duplicates_only {
        spans.push(Span::styled("  [duplicates only]", theme::key()));
    }
    // What a filter and a sort cover: the loaded faces, which may not be all of them.
    let partial = s.next_token.is_some();
    let covered = if partial {
        format!("{} loaded{of_total}", thousands(faces))
    } else {
        thousands(faces)
    };
    if !s.list.filter.is_empty() {
        spans.push(Span::styled("  filter: ", theme::dim()));
        spans.push(Span::styled(format!("/{}", s.list.filter), theme::key()));
        let matches = s.list.visible.len();
        spans.push(Span::styled(
            format!(
                " {} {} in {covered}",
                thousands(matches),
                noun(matches, "match", "matches")
            ),
            theme::dim(),
        ));
    }
    if let Some(sort) = s.list.sort {
        let arrow = if sort.descending { "↓" } else { "↑" };
        spans.push(Span::styled("  sort: ", theme::dim()));
        spans.push(Span::raw(format!("{} {arrow}", sort.column.title())));
        if partial {
            spans.push(Span::styled(format!(" of {covered}"), theme::dim()));
        }
    }
    if !s.marked.is_empty() {
        spans.push(Span::styled(
            format!("  {} marked", s.marked.len()),
            theme::key(),
        ));
    }
    if let Some(scan) = &s.scan {
        let left = scan
            .estimate(now)
            .map(|ms| format!(" · ~{} left", format_interval(ms.max(1_000))))
            .unwrap_or_default();
        spans.push(Span::styled(
            format!(
                "  lookalikes {}/{}{left} · L stops",
                thousands(scan.searched),
                thousands(scan.total)
            ),
            Style::default().fg(theme::RUNNING),
        ));
    }
    let appending = s
        .pages
        .in_flight
        .as_ref()
        .is_some_and(|&(_, append)| append);
    if s.deletion.is_some() {
        spans.push(Span::styled("  deleting…", theme::error()));
    } else if s.to_end {
        spans.push(Span::styled(
            format!(
                "  loading to the end… {}{of_total}{} · Esc stops",
                thousands(faces),
                // How far along, where the total is known.
                match s.expected_faces.filter(|&total| total as usize > faces) {
                    Some(total) => format!(" ({}%)", faces as u64 * 100 / total),
                    None => " so far".to_string(),
                }
            ),
            theme::key(),
        ));
    } else if s.reading_on() && appending {
        spans.push(Span::styled(
            format!(
                "  loading for the filter ({} more page(s) at most) · Esc stops",
                s.filter_pages_left
            ),
            theme::key(),
        ));
    } else if appending {
        spans.push(Span::styled("  loading more…", theme::dim()));
    } else if partial && (!s.list.filter.is_empty() || s.list.sort.is_some() || s.duplicates_only) {
        spans.push(Span::styled("  G loads all", theme::dim()));
    }
    // Last: what is going on now (above) matters more than the pace when the line is cut.
    if let Some(at) = s.updated_at {
        let (every, idle) = reload_pace(s, refresh_interval, now);
        let next = if idle {
            "reload paused while idle".to_string()
        } else {
            format!("reload every {}", format_interval(every))
        };
        spans.push(Span::styled(
            format!("  confirmed {} · {next}", age_label(now - at)),
            theme::dim(),
        ));
    }
    Line::from(spans)
}

/// The last deletion's lines: counts and journal, then each face that was not deleted.
fn report(r: &DeletionReport) -> Vec<Line<'static>> {
    let mut head = vec![Span::styled(" last deletion: ", theme::dim())];
    match r.failure() {
        Some(failure) => head.push(Span::styled(failure, theme::error())),
        None => head.push(Span::raw(format!(
            "{} of {} deleted",
            r.deleted.len(),
            r.requested
        ))),
    }
    match &r.journal {
        Some(Ok(path)) => {
            head.push(Span::styled(" · journal: ", theme::dim()));
            head.push(Span::raw(path.clone()));
        }
        Some(Err(e)) => head.push(Span::styled(
            format!(" · JOURNAL NOT WRITTEN: {e}"),
            theme::error(),
        )),
        None => {}
    }
    let mut lines = vec![Line::from(head)];
    for failure in &r.unsuccessful {
        lines.push(Line::from(vec![
            Span::styled("   ✗ ", theme::error()),
            Span::raw(failure.face_id.clone()),
            Span::styled(format!("  {}", failure.reasons.join(", ")), theme::error()),
        ]));
    }
    lines
}

struct Columns {
    image: bool,
    bounding_box: bool,
    indexed: bool,
    confidence: bool,
}

fn columns_for(width: u16) -> Columns {
    Columns {
        image: width >= 150,
        bounding_box: width >= 118,
        indexed: width >= 96,
        confidence: width >= 70,
    }
}

fn render_table(s: &State, frame: &mut Frame, area: Rect) {
    if area.height < 2 {
        return;
    }
    if s.list.visible.is_empty() {
        let text = if let Some(error) = &s.error {
            error.clone()
        } else if !s.loaded {
            "loading faces…".to_string()
        } else if s.list.rows.is_empty() {
            format!("no faces in collection {}", s.collection)
        } else if s.duplicates_only && s.group_count() == 0 {
            "no duplicates among the loaded faces (D shows all faces)".to_string()
        } else {
            "no face matches the filter".to_string()
        };
        let style = if s.error.is_some() {
            theme::error()
        } else {
            theme::dim()
        };
        // Wrapped: an error's end is often what to do (`aws sso login` for credentials).
        let text = ratatui::widgets::Paragraph::new(placeholder(&text, style))
            .wrap(ratatui::widgets::Wrap { trim: false });
        frame.render_widget(text, area);
        return;
    }
    let columns = columns_for(area.width);
    let height = area.height.saturating_sub(1) as usize;
    let failures = s.last_report.as_ref().map(|r| &r.unsuccessful);
    let rows = visible_rows(&s.list, height, |face, selected| {
        let failure = failures
            .and_then(|list| list.iter().find(|f| f.face_id == face.face_id))
            .map(|f| f.reasons.join(","));
        face_row(s, face, &columns, selected, failure)
    });
    let mut widths = vec![
        Constraint::Length(3),
        Constraint::Length(36),
        Constraint::Fill(1),
    ];
    let mut header = vec![
        Cell::from(""),
        sort_header(s.list.sort, Some(FaceSortColumn::FaceId), "FACE ID"),
        sort_header(s.list.sort, Some(FaceSortColumn::User), "USER"),
    ];
    if columns.image {
        widths.push(Constraint::Length(36));
        header.push(Cell::from("IMAGE ID"));
    }
    if columns.confidence {
        widths.push(Constraint::Length(7));
        header.push(sort_header(
            s.list.sort,
            Some(FaceSortColumn::Confidence),
            "CONF",
        ));
    }
    if columns.bounding_box {
        widths.push(Constraint::Length(22));
        header.push(Cell::from("BOX (l,t w×h)"));
    }
    if columns.indexed {
        widths.push(Constraint::Length(15));
        header.push(sort_header(
            s.list.sort,
            Some(FaceSortColumn::Indexed),
            "INDEXED",
        ));
    }
    widths.push(Constraint::Min(18));
    header.push(Cell::from("DUPLICATE"));
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(theme::dim().add_modifier(Modifier::BOLD)))
        .column_spacing(1);
    frame.render_widget(table, area);
}

fn face_row(
    s: &State,
    face: &Face,
    columns: &Columns,
    selected: bool,
    failure: Option<String>,
) -> Row<'static> {
    let cursor = if selected { "▌" } else { " " };
    let marked = s.marked.contains(&face.face_id);
    let mark = Line::from(vec![
        Span::styled(cursor, theme::key()),
        if marked {
            Span::styled("●", theme::error())
        } else {
            Span::raw(" ")
        },
    ]);
    let kinds = s.duplicate_kinds(&face.face_id);
    let id_style = if marked {
        theme::error()
    } else {
        Style::default()
    };
    let mut cells = vec![
        Cell::from(mark),
        Cell::from(Span::styled(face.face_id.clone(), id_style)),
        Cell::from(face.external_image_id.clone().unwrap_or_else(|| "—".into())),
    ];
    if columns.image {
        let image = face.image_id.clone().unwrap_or_else(|| "—".into());
        cells.push(Cell::from(Span::styled(image, theme::dim())));
    }
    if columns.confidence {
        let confidence = face.confidence.map_or("—".into(), |c| format!("{c:.1}"));
        cells.push(Cell::from(Line::from(confidence).right_aligned()));
    }
    if columns.bounding_box {
        let bounding_box = face.bounding_box.map_or("—".into(), |b| {
            format!("{:.2},{:.2} {:.2}×{:.2}", b.left, b.top, b.width, b.height)
        });
        cells.push(Cell::from(Span::styled(bounding_box, theme::dim())));
    }
    if columns.indexed {
        cells.push(Cell::from(
            face.indexed_at.map_or("—".into(), format_date_time),
        ));
    }
    let matched = s.jump.as_ref().and_then(|j| j.similarity(&face.face_id));
    let last = match (failure, matched) {
        (Some(reasons), _) => Span::styled(format!("✗ {reasons}"), theme::error()),
        (None, Some(similarity)) => Span::styled(format!("◆ match {similarity:.1}%"), theme::key()),
        (None, None) if kinds.is_empty() => Span::raw(""),
        (None, None) => Span::styled(
            truncate(
                &kinds
                    .iter()
                    .map(|k| k.label())
                    .collect::<Vec<_>>()
                    .join(", "),
                40,
            ),
            Style::default().fg(theme::REJECTED),
        ),
    };
    cells.push(Cell::from(last));
    Row::new(cells)
}
