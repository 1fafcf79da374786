//! The Definition tab's state, pure: the definition as read, parsed and laid out, the cursor
//! over its states, the scroll and the folded Parallels and Maps. Kept apart from the tab
//! (`definition.rs`) so the screen's `State` holds it without importing the tab back.

use crate::app::fetch::Fetch;
use crate::domain::definition::Definition;
use crate::domain::definition::layout::{GraphLayout, layout};
use crate::domain::execution::ExecutionDefinition;
use std::collections::HashSet;

#[derive(Debug, Clone, Default)]
pub struct DefinitionState {
    pub fetch: Fetch,
    pub loaded: Option<Loaded>,
    /// Why the definition could not be read (the call failed): `ctrl-r` asks again.
    pub error: Option<String>,
    /// Index into the layout's boxes of the state under the cursor.
    pub cursor: usize,
    /// The graph's scroll offset (columns, rows).
    pub scroll: (u16, u16),
    /// The Parallel and Map states drawn folded (one box).
    pub folded: HashSet<String>,
}

/// A definition as read, parsed and laid out.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub source: ExecutionDefinition,
    /// The parse, or why the text is not a definition this console can draw.
    pub parsed: Result<Definition, String>,
    /// Empty when the text did not parse.
    pub layout: GraphLayout,
}

impl DefinitionState {
    /// The state's own definition (pretty JSON), once the definition was read.
    pub fn snippet(&self, state: &str) -> Option<&str> {
        let parsed = self.loaded.as_ref()?.parsed.as_ref().ok()?;
        parsed.find(state).map(|node| node.source.as_str())
    }

    /// Whether it should be asked for now: not yet read, not in flight, not refused or failed
    /// (those wait for `ctrl-r`).
    pub(super) fn wanted(&self) -> bool {
        self.loaded.is_none()
            && !self.fetch.busy()
            && self.fetch.denied.is_none()
            && self.error.is_none()
    }

    pub(super) fn relayout(&mut self) {
        if let Some(loaded) = &mut self.loaded {
            let selected = loaded.layout.boxes.get(self.cursor).map(|b| b.name.clone());
            loaded.layout = match &loaded.parsed {
                Ok(definition) => layout(definition, &self.folded),
                Err(_) => GraphLayout::default(),
            };
            self.cursor = selected
                .and_then(|name| loaded.layout.index_of(&name))
                .unwrap_or(0);
        }
    }

    /// Puts the cursor on box `index` and scrolls as little as keeps it in a `viewport`
    /// (columns, rows) view.
    pub(super) fn move_to(&mut self, index: usize, (width, height): (u16, u16)) {
        if let Some(loaded) = &self.loaded {
            self.cursor = index;
            self.scroll = loaded
                .layout
                .scroll_to_show(index, width, height, self.scroll);
        }
    }

    pub(super) fn selected_name(&self) -> Option<&str> {
        let loaded = self.loaded.as_ref()?;
        loaded
            .layout
            .boxes
            .get(self.cursor)
            .map(|b| b.name.as_str())
    }
}
