//! The preview of the selected image: fetched once the cursor rests (debounced), decoded and
//! fitted off the UI thread to the cells the pane gives it, refitted after a resize. The
//! pane's sizing is shared by the update (to size the decoded image) and the view (to place
//! it). The shell calls `wakeup` and `tick` only while the screen is shown.

use super::{PreviewState, State};
use crate::app::ctx::Ctx;
use crate::app::effect::Effect;
use crate::app::msg::{Generation, PreviewFailure, PreviewImage};
use crate::domain::Millis;

/// The preview is fetched once the cursor rests this long: scrolling through a list does not
/// download every image on the way.
pub const PREVIEW_DEBOUNCE_MS: Millis = 150;
/// Below this terminal width the preview pane is left out.
pub const PREVIEW_MIN_WIDTH: u16 = 90;
/// Lines under the image in the preview pane: key, size and dimensions, type, source.
pub const PREVIEW_INFO_LINES: u16 = 4;

/// Width of the preview pane for a body `width` columns wide, None when it does not fit.
pub fn preview_pane_width(width: u16) -> Option<u16> {
    (width >= PREVIEW_MIN_WIDTH).then(|| (width * 2 / 5).min(64))
}

/// Cells (columns, rows) the image may fill at this terminal size: the pane minus its
/// borders and info lines, with the header, title, notice and hint lines taken off. Shared
/// by the update (to size the decoded image) and the view (to place it).
pub fn preview_image_cells(viewport: (u16, u16)) -> Option<(u16, u16)> {
    let pane = preview_pane_width(viewport.0)?;
    let rows = viewport.1.checked_sub(4 + 2 + PREVIEW_INFO_LINES)?;
    let columns = pane.checked_sub(2)?;
    (rows >= 2 && columns >= 4).then_some((columns, rows))
}

/// The preview shown matches the cursor (or is on its way).
pub fn preview_is_current(s: &State) -> bool {
    match (&s.preview, &s.list.cursor_key) {
        (Some(p), Some(key)) => p.key() == key,
        _ => false,
    }
}

/// The cursor moved off `before`: fetch the new object's preview once it rests there.
pub fn debounce_if_moved(s: &mut State, cx: &Ctx, before: Option<String>) {
    if s.list.cursor_key != before {
        s.preview_due = Some(cx.now.saturating_add(PREVIEW_DEBOUNCE_MS));
    }
}

/// When the shown screen wants a tick: the preview fetch it waits for.
pub fn wakeup(s: &State) -> Option<Millis> {
    s.preview_due
}

/// On a tick while the screen is shown: fetch the preview of the object the cursor rests on.
pub fn tick(s: &mut State, cx: &mut Ctx) -> Vec<Effect> {
    match s.preview_due {
        Some(due) if due <= cx.now => {}
        _ => return Vec::new(),
    }
    s.preview_due = None;
    let (Some(bucket), Some(object)) = (s.bucket.clone(), s.selected().cloned()) else {
        return Vec::new();
    };
    let Some(cells) = preview_image_cells(cx.viewport) else {
        return Vec::new();
    };
    let fresh = match &s.preview {
        Some(PreviewState::Ready { key, image }) => *key == object.key && image.cells == cells,
        Some(PreviewState::Loading { key, .. } | PreviewState::Failed { key, .. }) => {
            *key == object.key
        }
        None => false,
    };
    if fresh {
        return Vec::new();
    }
    let generation = cx.next_generation();
    s.preview = Some(PreviewState::Loading {
        generation,
        key: object.key.clone(),
    });
    vec![Effect::LoadPreview {
        generation,
        bucket,
        key: object.key,
        cells,
    }]
}

/// The terminal changed size: refit the preview once the size settles.
pub fn resized(s: &mut State, cx: &Ctx) {
    if matches!(s.preview, Some(PreviewState::Ready { .. })) {
        s.preview_due = Some(cx.now.saturating_add(PREVIEW_DEBOUNCE_MS));
    }
}

/// The preview asked for arrived (decoded and fitted), or why there is none.
pub fn on_preview(
    s: &mut State,
    generation: Generation,
    key: String,
    result: Result<PreviewImage, PreviewFailure>,
) {
    match &s.preview {
        Some(PreviewState::Loading { generation: g, .. }) if *g == generation => {}
        _ => return,
    }
    s.preview = Some(match result {
        Ok(image) => PreviewState::Ready { key, image },
        Err(failure) => PreviewState::Failed { key, failure },
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_preview_fits_inside_its_pane_or_is_left_out() {
        assert_eq!(preview_pane_width(89), None);
        assert_eq!(preview_pane_width(100), Some(40));
        assert_eq!(preview_pane_width(200), Some(64));
        // 120×32: pane 48 wide → 46 columns; 32 - 4 chrome - 2 borders - 4 info = 22 rows.
        assert_eq!(preview_image_cells((120, 32)), Some((46, 22)));
        assert_eq!(preview_image_cells((120, 10)), None);
        assert_eq!(preview_image_cells((80, 40)), None);
    }
}
