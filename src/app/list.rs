//! `List`: what the three lists (executions, faces, objects) share — rows, the visible
//! subset after filter and sort, a cursor that stays on the same row (by its key) across
//! reloads, filters and sorts, the scroll offset, a column sort that flips on a second choice
//! — the bounded filter text and how rows are matched against it, and the cursor movement
//! every list and pane uses.

use crate::keymap::action::Action;
use std::cmp::Ordering;

/// The longest list filter or events search kept, in characters. Nothing a row holds is
/// longer (an S3 key is at most 1,024 bytes), so a longer text could match nothing; kept
/// whole, it cost time on every key and every row (a 300 K paste took minutes).
pub const MAX_FILTER_CHARS: usize = 1_024;

/// `text` cut to its first `MAX_FILTER_CHARS` characters, and whether it was cut.
pub fn bound_filter(mut text: String) -> (String, bool) {
    match text.char_indices().nth(MAX_FILTER_CHARS) {
        Some((end, _)) => {
            text.truncate(end);
            (text, true)
        }
        None => (text, false),
    }
}

/// A filter as rows are matched against it, ignoring case: the filter is lower-cased once,
/// not once per row, and each text is matched in time linear in its length (a text shorter
/// than the filter is not searched at all).
#[derive(Debug, Clone, Default)]
pub struct Needle {
    lower: String,
    /// The text being matched, lower-cased; one buffer for every row.
    folded: String,
}

impl Needle {
    pub fn new(filter: &str) -> Needle {
        let mut lower = String::new();
        fold_into(&mut lower, filter);
        Needle {
            lower,
            folded: String::new(),
        }
    }

    /// No filter: every row matches.
    pub fn is_empty(&self) -> bool {
        self.lower.is_empty()
    }

    /// The filter, lower-cased.
    pub fn as_str(&self) -> &str {
        &self.lower
    }

    /// Whether `text` contains the filter, ignoring case (an empty filter is in every text).
    pub fn found_in(&mut self, text: &str) -> bool {
        if self.lower.is_empty() {
            return true;
        }
        fold_into(&mut self.folded, text);
        self.folded.len() >= self.lower.len() && self.folded.contains(self.lower.as_str())
    }
}

/// `text` lower-cased into `out` (cleared first), character by character so that the filter
/// and the rows fold alike.
fn fold_into(out: &mut String, text: &str) {
    out.clear();
    if text.is_ascii() {
        // The same result for ASCII, a copy and one pass over the bytes instead of an
        // iterator per character: typing a filter over 100,000 keys went from ~0.28 s of
        // CPU a key to a fraction (debug build).
        out.push_str(text);
        out.make_ascii_lowercase();
    } else {
        out.extend(text.chars().flat_map(char::to_lowercase));
    }
}

/// Sorting by one column of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnSort<C> {
    pub column: C,
    pub descending: bool,
}

impl<C: Copy + PartialEq> ColumnSort<C> {
    /// The sort after choosing `column`: the same column again flips the direction, another
    /// one starts descending when `descending_first` (newest, largest first).
    pub fn chosen(current: Option<Self>, column: C, descending_first: bool) -> Self {
        match current {
            Some(sort) if sort.column == column => ColumnSort {
                column,
                descending: !sort.descending,
            },
            _ => ColumnSort {
                column,
                descending: descending_first,
            },
        }
    }

    /// `order` (ascending) in this sort's direction.
    pub fn directed(self, order: Ordering) -> Ordering {
        if self.descending {
            order.reverse()
        } else {
            order
        }
    }
}

/// A row a list can keep its cursor on across reloads: its identity (an ARN, a face id, an
/// object key).
pub trait Keyed {
    fn key(&self) -> &str;
}

/// Rows, what of them shows, and where the cursor is. What shows (filter, sort, grouping) is
/// each screen's own: it computes `visible` and hands it to `show`.
#[derive(Debug, Clone, PartialEq)]
pub struct List<R, C> {
    /// Rows in the order they were loaded, across the pages loaded so far.
    pub rows: Vec<R>,
    /// Indices into `rows` after filtering and sorting: what the table shows.
    pub visible: Vec<usize>,
    /// Index into `visible`.
    pub cursor: usize,
    /// First row on screen (index into `visible`).
    pub offset: usize,
    /// The key of the row under the cursor, so that reloads and re-sorts keep it selected.
    pub cursor_key: Option<String>,
    /// Client-side text filter (case-insensitive); what it matches is the screen's choice.
    pub filter: String,
    /// None keeps the loaded order.
    pub sort: Option<ColumnSort<C>>,
}

impl<R, C> Default for List<R, C> {
    fn default() -> Self {
        List {
            rows: Vec::new(),
            visible: Vec::new(),
            cursor: 0,
            offset: 0,
            cursor_key: None,
            filter: String::new(),
            sort: None,
        }
    }
}

impl<R: Keyed, C: Copy + PartialEq> List<R, C> {
    pub fn selected(&self) -> Option<&R> {
        self.visible.get(self.cursor).map(|&i| &self.rows[i])
    }

    /// The filter as the screens match rows against it.
    pub fn needle(&self) -> Needle {
        Needle::new(&self.filter)
    }

    /// Sets the filter, cut to `MAX_FILTER_CHARS`; the screen recomputes `visible` next.
    pub fn set_filter(&mut self, text: String) {
        self.filter = bound_filter(text).0;
    }

    /// Shows `visible` (indices into `rows`) and puts the cursor back on the remembered row
    /// when it is still visible, else at the same position (clamped), remembering the row now
    /// under it.
    pub fn show(&mut self, visible: Vec<usize>) {
        self.visible = visible;
        let rows = &self.rows;
        let found = self
            .cursor_key
            .as_deref()
            .and_then(|key| self.visible.iter().position(|&i| rows[i].key() == key));
        match found {
            Some(position) => self.cursor = position,
            None => self.place(self.cursor),
        }
    }

    /// Shows `visible` where the caller knows the cursor's row is now at `position` (rows
    /// merged in around it): no search through what shows.
    pub fn show_at(&mut self, visible: Vec<usize>, position: usize) {
        self.visible = visible;
        self.place(position);
    }

    /// Adds rows at the end of what shows (a further page of an unsorted list): the cursor
    /// stays where it is, whatever the length.
    pub fn append_visible(&mut self, more: Vec<usize>) {
        self.visible.extend(more);
        self.place(self.cursor);
    }

    /// Moves to `position` (clamped) and remembers the row there.
    fn place(&mut self, position: usize) {
        self.cursor = position.min(self.visible.len().saturating_sub(1));
        self.cursor_key = self
            .visible
            .get(self.cursor)
            .map(|&i| self.rows[i].key().to_string());
    }

    /// Moves the cursor to `position` (clamped) and scrolls so it stays on screen.
    pub fn set_cursor(&mut self, position: usize, page_rows: usize) {
        self.place(position);
        self.fit(page_rows);
    }

    /// The first row on screen in a window of `page_rows`: the cursor in view, moved as
    /// little as possible from `offset`, and never so far down that the window ends past the
    /// last row. An offset left from a longer list or a shorter window (before a filter, a
    /// refresh, a resize) would otherwise hide rows above while blank lines show below.
    pub fn window_start(&self, page_rows: usize) -> usize {
        let page_rows = page_rows.max(1);
        scroll_to(self.offset, self.cursor, page_rows)
            .min(self.visible.len().saturating_sub(page_rows))
    }

    /// Refits the scroll offset after the rows shown or the page's height changed.
    pub fn fit(&mut self, page_rows: usize) {
        self.offset = self.window_start(page_rows);
    }

    pub fn move_cursor(&mut self, delta: isize, page_rows: usize) {
        let target = self.cursor.saturating_add_signed(delta);
        self.set_cursor(target, page_rows);
    }

    /// The sort after choosing `column`: the same column again flips the direction, another
    /// one starts descending when `descending_first`. The screen recomputes `visible` next.
    pub fn choose_sort(&mut self, column: C, descending_first: bool) {
        self.sort = Some(ColumnSort::chosen(self.sort, column, descending_first));
    }

    /// The cursor is within `margin` rows of the end of what shows (time for the next page).
    pub fn near_end(&self, margin: usize) -> bool {
        self.cursor + margin >= self.visible.len()
    }

    /// Rows on screen at `page_rows` rows a page.
    pub fn on_screen(&self, page_rows: usize) -> impl Iterator<Item = &R> {
        let offset = self.window_start(page_rows);
        self.visible
            .iter()
            .skip(offset)
            .take(page_rows)
            .map(|&i| &self.rows[i])
    }

    /// Appends the rows of a further page that are not held yet (a row can move to a later
    /// page while the list is read).
    pub fn extend_new(&mut self, items: Vec<R>) {
        let known: std::collections::HashSet<String> =
            self.rows.iter().map(|r| r.key().to_string()).collect();
        self.rows
            .extend(items.into_iter().filter(|r| !known.contains(r.key())));
    }
}

/// The scroll offset that keeps `cursor` within a window of `height` rows, moving as little
/// as possible from `offset`. Views and the update logic share it.
pub fn scroll_to(offset: usize, cursor: usize, height: usize) -> usize {
    let height = height.max(1);
    if cursor < offset {
        cursor
    } else if cursor >= offset + height {
        cursor + 1 - height
    } else {
        offset
    }
}

/// Shared cursor movement: the new position for a movement action, None for other actions.
pub fn moved(action: Action, current: usize, page: usize) -> Option<usize> {
    match action {
        Action::Down => Some(current + 1),
        Action::Up => Some(current.saturating_sub(1)),
        Action::PageDown => Some(current + page),
        Action::PageUp => Some(current.saturating_sub(page)),
        Action::Top => Some(0),
        Action::Bottom => Some(usize::MAX),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_choice_of_the_same_column_flips_the_direction() {
        let first = ColumnSort::chosen(None, 'a', true);
        assert!(first.descending);
        let again = ColumnSort::chosen(Some(first), 'a', true);
        assert!(!again.descending);
        let other = ColumnSort::chosen(Some(again), 'b', false);
        assert_eq!(
            other,
            ColumnSort {
                column: 'b',
                descending: false
            }
        );
        assert_eq!(first.directed(Ordering::Less), Ordering::Greater);
        assert_eq!(other.directed(Ordering::Less), Ordering::Less);
    }

    impl Keyed for &str {
        fn key(&self) -> &str {
            self
        }
    }

    #[test]
    fn the_cursor_follows_its_row_or_stays_in_place() {
        let mut list: List<&str, char> = List {
            rows: vec!["a", "b", "c", "d"],
            ..List::default()
        };
        list.show(vec![0, 1, 2, 3]);
        list.set_cursor(1, 10);
        // "b" moved to the end.
        list.show(vec![0, 2, 3, 1]);
        assert_eq!((list.cursor, list.cursor_key.as_deref()), (3, Some("b")));
        // "b" filtered out: same position, clamped, and the row there is remembered.
        list.show(vec![0, 2]);
        assert_eq!((list.cursor, list.cursor_key.as_deref()), (1, Some("c")));
        list.show(vec![]);
        assert_eq!((list.cursor, list.cursor_key.as_deref()), (0, None));
    }

    #[test]
    fn scrolling_moves_as_little_as_possible() {
        assert_eq!(scroll_to(0, 3, 10), 0);
        assert_eq!(scroll_to(0, 12, 10), 3);
        assert_eq!(scroll_to(5, 2, 10), 2);
        assert_eq!(scroll_to(5, 9, 0), 9);
    }

    #[test]
    fn the_window_never_ends_past_the_last_row() {
        let mut list: List<&str, char> = List {
            rows: vec!["a"; 64],
            ..List::default()
        };
        list.show((0..64).collect());
        list.set_cursor(usize::MAX, 27);
        assert_eq!(list.offset, 37);
        // Fewer rows (a filter): the cursor's row is the last, all of them fit on the page.
        list.show((0..9).collect());
        assert_eq!(list.window_start(27), 0);
        // A shorter page scrolls to the cursor; a taller one again shows a full page.
        list.show((0..64).collect());
        list.set_cursor(usize::MAX, 5);
        assert_eq!(list.offset, 59);
        list.fit(27);
        assert_eq!((list.offset, list.cursor), (37, 63));
        list.show(Vec::new());
        assert_eq!(list.window_start(27), 0);
    }

    #[test]
    fn a_filter_is_bounded_and_matched_ignoring_case() {
        let (text, cut) = bound_filter("é".repeat(MAX_FILTER_CHARS + 5));
        assert!(cut);
        assert_eq!(text.chars().count(), MAX_FILTER_CHARS);
        assert_eq!(bound_filter("abc".into()), ("abc".into(), false));

        let mut needle = Needle::new("SunGlass");
        assert!(needle.found_in("Face is wearing SUNGLASSES"));
        assert!(!needle.found_in("sun"));
        assert!(Needle::new("ÉTÉ").found_in("un été"));
        assert!(Needle::new("").found_in(""));
    }

    #[test]
    fn a_further_page_adds_only_rows_not_held() {
        let mut list: List<&str, char> = List {
            rows: vec!["a", "b"],
            ..List::default()
        };
        list.extend_new(vec!["b", "c"]);
        assert_eq!(list.rows, ["a", "b", "c"]);
    }
}
