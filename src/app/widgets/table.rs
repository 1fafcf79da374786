//! What the three list views (executions, faces, thumbnails) draw alike: the rows of a `List`
//! on screen with the cursor's row highlighted, sortable column headers (↑/↓ on the sorted
//! one), the "N of M" count under a filter, and the one-line placeholder of an empty table.

use crate::app::list::{ColumnSort, Keyed, List};
use crate::app::widgets::text::thousands;
use crate::app::widgets::theme;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row};

/// The rows of `list` that fit in `height` lines, scrolled to keep the cursor in view (and
/// the window filled as far as there are rows, whatever offset the list kept); `row`
/// builds one (told whether it is the cursor's), which is then highlighted.
pub fn visible_rows<R: Keyed, C: Copy + PartialEq>(
    list: &List<R, C>,
    height: usize,
    mut row: impl FnMut(&R, bool) -> Row<'static>,
) -> Vec<Row<'static>> {
    let offset = list.window_start(height);
    list.visible[offset..list.visible.len().min(offset + height)]
        .iter()
        .enumerate()
        .map(|(i, &index)| {
            let selected = offset + i == list.cursor;
            let built = row(&list.rows[index], selected);
            if selected {
                built.style(theme::selected())
            } else {
                built
            }
        })
        .collect()
}

/// A column header; the column the list is sorted by carries its direction.
pub fn sort_header<C: Copy + PartialEq>(
    sort: Option<ColumnSort<C>>,
    column: Option<C>,
    title: &str,
) -> Cell<'static> {
    let marker = match (sort, column) {
        (Some(sort), Some(c)) if sort.column == c => {
            if sort.descending {
                " ↓"
            } else {
                " ↑"
            }
        }
        _ => "",
    };
    Cell::from(format!("{title}{marker}"))
}

/// The count for a title: all rows, or "shown of all" while a filter is typed.
pub fn count<R, C>(list: &List<R, C>) -> String {
    if list.filter.is_empty() {
        thousands(list.rows.len())
    } else {
        format!(
            "{} of {}",
            thousands(list.visible.len()),
            thousands(list.rows.len())
        )
    }
}

/// The line an empty table shows instead (loading, nothing there, nothing matches).
pub fn placeholder(text: &str, style: Style) -> Line<'static> {
    Line::from(Span::styled(format!("  {text}"), style))
}
