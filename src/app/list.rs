//! What the three lists (executions, faces, objects) share: a column sort that flips on a
//! second choice, and a cursor that stays on the same row (by its key) across reloads,
//! filters and sorts.

use crate::keymap::action::Action;
use std::cmp::Ordering;

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

/// A list's cursor over its visible rows (indices into the rows), remembered by the key of
/// the row under it.
pub struct Cursor<'a, K> {
    pub visible: &'a [usize],
    pub cursor: &'a mut usize,
    pub key: &'a mut Option<K>,
}

impl<K: PartialEq> Cursor<'_, K> {
    /// After `visible` was rebuilt: back on the remembered row when it is still visible, else
    /// at the same position (clamped), remembering the row now under it.
    pub fn keep(self, key_of_row: impl Fn(usize) -> K) {
        let found = self
            .key
            .as_ref()
            .and_then(|key| self.visible.iter().position(|&i| key_of_row(i) == *key));
        match found {
            Some(position) => *self.cursor = position,
            None => {
                let position = *self.cursor;
                self.place(position, key_of_row)
            }
        }
    }

    /// Moves to `position` (clamped) and remembers the row there.
    pub fn place(self, position: usize, key_of_row: impl Fn(usize) -> K) {
        *self.cursor = position.min(self.visible.len().saturating_sub(1));
        *self.key = self.visible.get(*self.cursor).map(|&i| key_of_row(i));
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

    #[test]
    fn the_cursor_follows_its_row_or_stays_in_place() {
        let rows = ["a", "b", "c", "d"];
        let mut cursor = 1;
        let mut key = Some("b");
        // "b" moved to the end.
        let visible = [0, 2, 3, 1];
        Cursor {
            visible: &visible,
            cursor: &mut cursor,
            key: &mut key,
        }
        .keep(|i| rows[i]);
        assert_eq!((cursor, key), (3, Some("b")));
        // "b" filtered out: same position, clamped, and the row there is remembered.
        let visible = [0, 2];
        Cursor {
            visible: &visible,
            cursor: &mut cursor,
            key: &mut key,
        }
        .keep(|i| rows[i]);
        assert_eq!((cursor, key), (1, Some("c")));
        // Nothing left.
        Cursor {
            visible: &[],
            cursor: &mut cursor,
            key: &mut key,
        }
        .keep(|i| rows[i]);
        assert_eq!((cursor, key), (0, None));
    }
}
