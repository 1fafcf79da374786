//! The Events tab's list, pure: which events are shown (all, or the failures only), the cursor
//! and the scroll over them, the search matches, the event opened as its full JSON (the
//! history writer's shape, with the inputs and outputs a data fetch brought, sanitised and
//! wrapped for the screen), and the history file to write.

use super::State;
use crate::app::effect::Effect;
use crate::app::list::{Needle, scroll_to};
use crate::domain::history::HistoryEvent;
use crate::domain::history_json::{event_json, to_history_text};
use crate::domain::text::escape_control;
use std::path::PathBuf;

impl State {
    /// Keeps the failures list up to date with the events from index `first` on.
    pub(super) fn note_failures(&mut self, first: usize) {
        let found = self.events[first..]
            .iter()
            .enumerate()
            .filter(|(_, e)| e.event_type.is_failure())
            .map(|(i, _)| first + i);
        self.events_view.failures.extend(found);
        if self.events_view.failures_only && !self.is_shown(self.events_view.cursor) {
            self.events_view.cursor = self.events_view.failures.first().copied().unwrap_or(0);
        }
    }

    /// How many events are shown.
    pub fn shown_len(&self) -> usize {
        if self.events_view.failures_only {
            self.events_view.failures.len()
        } else {
            self.events.len()
        }
    }

    /// The index into `events` of the `position`-th shown event.
    pub fn shown_at(&self, position: usize) -> Option<usize> {
        if self.events_view.failures_only {
            self.events_view.failures.get(position).copied()
        } else {
            (position < self.events.len()).then_some(position)
        }
    }

    pub fn is_shown(&self, index: usize) -> bool {
        if self.events_view.failures_only {
            self.events_view.failures.binary_search(&index).is_ok()
        } else {
            index < self.events.len()
        }
    }

    /// Where the cursor is among the shown events (the nearest shown one after it when it
    /// is hidden).
    pub fn cursor_position(&self) -> usize {
        let cursor = self.events_view.cursor;
        if self.events_view.failures_only {
            match self.events_view.failures.binary_search(&cursor) {
                Ok(p) | Err(p) => p,
            }
        } else {
            cursor
        }
    }

    /// Moves the cursor to the `position`-th shown event (clamped), scrolling to keep it on
    /// a page of `page_rows`.
    pub fn move_to_position(&mut self, position: usize, page_rows: usize) {
        let last = self.shown_len().saturating_sub(1);
        let position = position.min(last);
        if let Some(index) = self.shown_at(position) {
            self.events_view.cursor = index;
        }
        let e = &mut self.events_view;
        e.offset = scroll_to(e.offset, position, page_rows);
    }

    /// Moves the cursor to event `index` (into `events`), if it is shown.
    pub fn move_events(&mut self, index: usize, page_rows: usize) {
        if self.is_shown(index) {
            self.events_view.cursor = index;
            let position = self.cursor_position();
            let e = &mut self.events_view;
            e.offset = scroll_to(e.offset, position, page_rows);
        }
    }

    /// Shows only the failures, or every event again; the cursor stays on its event when it
    /// is still shown, else goes to the first failure after it (or the last one).
    pub fn toggle_failures(&mut self, page_rows: usize) {
        let e = &mut self.events_view;
        e.failures_only = !e.failures_only;
        let position = self.cursor_position();
        self.events_view.offset = 0;
        self.move_to_position(position, page_rows);
    }

    /// The events matching the search: its text in the type or the summary (ignoring case),
    /// or the event's id.
    pub fn recompute_matches(&mut self) {
        let mut needle = Needle::new(&self.events_view.search);
        self.events_view.matches = if needle.is_empty() {
            Vec::new()
        } else {
            // Read once, not formatted per event: an id is written without leading zeros.
            let id = needle
                .as_str()
                .parse::<i64>()
                .ok()
                .filter(|id| id.to_string() == needle.as_str());
            self.events
                .iter()
                .enumerate()
                .filter(|(_, e)| {
                    Some(e.id) == id
                        || needle.found_in(e.event_type.as_str())
                        || needle.found_in(&e.summary())
                })
                .map(|(i, _)| i)
                .collect()
        };
    }

    /// The shown match after (or before) the cursor, wrapping around.
    pub fn find_match(&self, forward: bool, include_cursor: bool) -> Option<usize> {
        let cursor = self.events_view.cursor;
        let mut matches = self
            .events_view
            .matches
            .iter()
            .copied()
            .filter(|&i| self.is_shown(i));
        if forward {
            let mut first = None;
            for i in matches {
                first = first.or(Some(i));
                if i > cursor || (include_cursor && i == cursor) {
                    return Some(i);
                }
            }
            first
        } else {
            let mut last = None;
            let mut before = None;
            for i in matches.by_ref() {
                if i < cursor {
                    before = Some(i);
                }
                last = Some(i);
            }
            before.or(last)
        }
    }

    /// The event under the cursor.
    pub fn cursor_event(&self) -> Option<&HistoryEvent> {
        self.is_shown(self.events_view.cursor)
            .then(|| self.events.get(self.events_view.cursor))
            .flatten()
    }

    /// `event` with the input and output a data fetch brought when the listing left them out.
    pub fn with_data(&self, event: &HistoryEvent) -> HistoryEvent {
        let mut event = event.clone();
        if let Some(payload) = self.payloads.get(&event.id) {
            if event.details.input.is_none() {
                event.details.input.clone_from(&payload.input);
            }
            if event.details.output.is_none() {
                event.details.output.clone_from(&payload.output);
            }
        }
        event
    }

    /// Whether the data fetch covered every event held (their inputs and outputs are known).
    pub fn has_all_data(&self) -> bool {
        self.payloads_through >= self.builder.last_event_id()
    }

    /// The opened event as the history writer's JSON, pretty-printed: every field it holds,
    /// with the input and output a data fetch brought when the listing left them out.
    pub fn expanded_json(&self) -> Option<String> {
        let id = self.events_view.expanded?;
        let index = self.events.binary_search_by_key(&id, |e| e.id).ok()?;
        let event = self.with_data(&self.events[index]);
        serde_json::to_string_pretty(&event_json(&event)).ok()
    }

    /// Lines the opened event takes at `width` columns: each line of its JSON, escaped, cut
    /// into pieces of `width` characters (what the view draws).
    pub fn expanded_height(&self, width: usize) -> usize {
        self.expanded_json()
            .map_or(0, |text| text.lines().map(|l| wrapped_rows(l, width)).sum())
    }

    /// Scrolls the opened event to `row`, within its text shown on pages of `page_rows`.
    pub fn scroll_expanded(&mut self, row: usize, width: usize, page_rows: usize) {
        let last = self.expanded_height(width).saturating_sub(page_rows.max(1));
        self.events_view.expanded_scroll = row.min(last);
    }
}

impl State {
    /// The data fetch answered (`missing`: why it did not): the history waiting for it is
    /// written, without inputs and outputs when they could not be read.
    pub fn write_pending(&mut self, missing: Option<String>) -> Vec<Effect> {
        match self.events_view.pending_write.take() {
            Some(path) => vec![self.write_effect(path, missing)],
            None => Vec::new(),
        }
    }

    /// The whole history as `aws stepfunctions get-execution-history` prints it, with the
    /// inputs and outputs held, to be written to `path`.
    pub fn write_effect(&self, path: PathBuf, missing: Option<String>) -> Effect {
        let count = self.events.len();
        let mut notes = vec![format!(
            "{count} {}",
            if count == 1 { "event" } else { "events" }
        )];
        if let Some(why) = missing {
            notes.push(format!("without inputs and outputs: {why}"));
        }
        let what = match &self.history_gap {
            Some(gap) => {
                notes.push(gap.clone());
                format!("the incomplete history ({})", notes.join("; "))
            }
            None => format!("the history ({})", notes.join("; ")),
        };
        let events: Vec<HistoryEvent> = self.events.iter().map(|e| self.with_data(e)).collect();
        Effect::WriteFile {
            path,
            contents: to_history_text(&events),
            what,
        }
    }
}

/// Rows a line of untrusted text takes once escaped and cut every `width` characters.
pub fn wrapped_rows(line: &str, width: usize) -> usize {
    escape_control(line)
        .chars()
        .count()
        .div_ceil(width.max(1))
        .max(1)
}
