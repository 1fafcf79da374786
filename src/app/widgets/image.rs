//! The decoded preview image a view draws: opaque to the app, which only carries it from the
//! runtime (which decodes and encodes it for the terminal) to the thumbnails view.

use std::fmt;
use std::sync::Arc;

/// A decoded image, fitted and encoded for the terminal's graphics protocol (kitty, sixel,
/// iTerm2 or half-blocks). Opaque to the app: the view draws it as is.
#[derive(Clone)]
pub struct PreviewImage {
    pub protocol: Arc<ratatui_image::protocol::Protocol>,
    /// The image's own size in pixels.
    pub width: u32,
    pub height: u32,
    /// `jpeg`, `png`, …
    pub format: String,
    /// The cells it was fitted to.
    pub cells: (u16, u16),
}

impl fmt::Debug for PreviewImage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PreviewImage")
            .field("width", &self.width)
            .field("height", &self.height)
            .field("format", &self.format)
            .field("cells", &self.cells)
            .finish_non_exhaustive()
    }
}
