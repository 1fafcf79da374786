//! The image preview: decode an object's bytes, fit the image in a number of terminal cells
//! and encode it for the terminal's graphics protocol (ratatui-image: kitty, sixel, iTerm2,
//! half-blocks). CPU work, run on a blocking thread by the effects runner, never in render.

use crate::app::msg::{PreviewFailure, PreviewImage};
use image::imageops::FilterType;
use ratatui::layout::Size;
use ratatui_image::Resize;
use ratatui_image::picker::Picker;
use std::sync::Arc;

/// Objects larger than this are not decoded (a thumbnail is a few kilobytes; a huge object
/// would stall a worker thread for nothing).
pub const MAX_PREVIEW_BYTES: usize = 20 * 1024 * 1024;

/// The picker for the terminal the console runs in. Terminals known to speak a graphics
/// protocol (kitty, iTerm2, WezTerm, Ghostty, foot, …) are asked which one and for their font
/// size; everything else gets half-blocks without a query. Why not always ask: a terminal
/// that does not answer leaves ratatui-image's reader thread blocked on stdin after its
/// timeout, and it then swallows the user's first keys. `STEPDECK_IMAGES=halfblocks` or
/// `=query` forces either choice. Must run before the input reader starts.
pub fn detect_picker() -> Picker {
    let env = |name: &str| std::env::var(name).unwrap_or_default();
    let should_query = match env("STEPDECK_IMAGES").as_str() {
        "halfblocks" => false,
        "query" => true,
        _ => graphics_terminal_hinted(&env("TERM"), &env("TERM_PROGRAM"), |name| {
            std::env::var_os(name).is_some_and(|v| !v.is_empty())
        }),
    };
    if should_query {
        Picker::from_query_stdio().unwrap_or_else(|_| Picker::halfblocks())
    } else {
        Picker::halfblocks()
    }
}

/// Whether the environment names a terminal that answers graphics-protocol queries.
fn graphics_terminal_hinted(term: &str, term_program: &str, has: impl Fn(&str) -> bool) -> bool {
    let term = term.to_ascii_lowercase();
    let program = term_program.to_ascii_lowercase();
    // Inside tmux/screen the outer terminal is unknown: half-blocks are the safe choice.
    if term.starts_with("tmux") || term.starts_with("screen") || has("TMUX") {
        return false;
    }
    has("KITTY_WINDOW_ID")
        || has("WEZTERM_EXECUTABLE")
        || has("GHOSTTY_RESOURCES_DIR")
        || ["kitty", "ghostty", "foot", "mlterm", "contour", "wezterm"]
            .iter()
            .any(|name| term.contains(name))
        || ["iterm.app", "wezterm", "ghostty", "rio"]
            .iter()
            .any(|name| program.contains(name))
}

/// Decodes `bytes` and scales the image to fill `cells` (columns, rows) as far as its aspect
/// ratio allows.
pub fn encode(
    picker: &Picker,
    bytes: &[u8],
    cells: (u16, u16),
) -> Result<PreviewImage, PreviewFailure> {
    let fail = |message: String| PreviewFailure { message };
    if bytes.len() > MAX_PREVIEW_BYTES {
        return Err(fail(format!("{} bytes: too large to preview", bytes.len())));
    }
    let format = image::guess_format(bytes)
        .map_err(|_| fail("not an image format the preview knows".into()))?;
    let image = image::load_from_memory_with_format(bytes, format)
        .map_err(|e| fail(format!("cannot decode: {e}")))?;
    let (width, height) = (image.width(), image.height());
    let protocol = picker
        .new_protocol(
            image,
            Size::new(cells.0, cells.1),
            // Thumbnails are small: scale up to the pane as well as down.
            Resize::Scale(Some(FilterType::Triangle)),
        )
        .map_err(|e| fail(format!("cannot encode for the terminal: {e}")))?;
    Ok(PreviewImage {
        protocol: Arc::new(protocol),
        width,
        height,
        format: format!("{format:?}").to_lowercase(),
        cells,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, 128])
        });
        let mut bytes = Vec::new();
        image::DynamicImage::ImageRgb8(image)
            .write_to(
                &mut std::io::Cursor::new(&mut bytes),
                image::ImageFormat::Png,
            )
            .unwrap();
        bytes
    }

    #[test]
    fn an_image_is_scaled_to_the_cells_keeping_its_aspect_ratio() {
        let picker = Picker::halfblocks();
        let preview = encode(&picker, &png(200, 100), (40, 20)).unwrap();
        assert_eq!((preview.width, preview.height), (200, 100));
        assert_eq!(preview.format, "png");
        let size = preview.protocol.size();
        assert!(size.width <= 40 && size.height <= 20, "{size:?}");
        // Scaled up to the full width; twice as wide as high, with half-block cells of
        // 10×20 px: 4 columns per row.
        assert_eq!(size.width, 40, "{size:?}");
        assert_eq!(size.width, 4 * size.height, "{size:?}");
    }

    #[test]
    fn only_terminals_known_to_answer_are_queried() {
        let none = |_: &str| false;
        assert!(graphics_terminal_hinted("xterm-kitty", "", none));
        assert!(graphics_terminal_hinted(
            "xterm-256color",
            "iTerm.app",
            none
        ));
        assert!(graphics_terminal_hinted("xterm-256color", "", |n| n == "KITTY_WINDOW_ID"));
        assert!(!graphics_terminal_hinted("xterm-256color", "", none));
        assert!(!graphics_terminal_hinted(
            "tmux-256color",
            "iTerm.app",
            none
        ));
        assert!(!graphics_terminal_hinted("xterm-kitty", "", |n| n == "TMUX"));
    }

    #[test]
    fn bytes_that_are_not_an_image_fail_with_a_reason() {
        let picker = Picker::halfblocks();
        let failure = encode(&picker, b"{\"not\": \"an image\"}", (40, 20)).unwrap_err();
        assert!(failure.message.contains("not an image"), "{failure:?}");
        let mut truncated = png(50, 50);
        truncated.truncate(60);
        let failure = encode(&picker, &truncated, (40, 20)).unwrap_err();
        assert!(failure.message.starts_with("cannot decode"), "{failure:?}");
    }
}
