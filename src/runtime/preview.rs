//! The image preview: decode an object's bytes, fit the image in a number of terminal cells
//! and encode it for the terminal's graphics protocol (ratatui-image: kitty, sixel, iTerm2,
//! half-blocks). CPU work, run on a blocking thread by the effects runner, never in render.

use crate::app::thumbnails::{PreviewFailure, PreviewImage};
use ratatui::layout::Size;
use ratatui_image::Resize;
use ratatui_image::picker::Picker;
use std::sync::Arc;

/// Objects larger than this are not decoded (a thumbnail is a few kilobytes; a huge object
/// would stall a worker thread for nothing).
pub const MAX_PREVIEW_BYTES: usize = 20 * 1024 * 1024;

/// The picker for the terminal the console runs in: asks the terminal which graphics
/// protocol it speaks (and its font size); half-blocks when it does not answer. Must run
/// after entering the alternate screen and before the input reader starts.
pub fn detect_picker() -> Picker {
    Picker::from_query_stdio().unwrap_or_else(|_| Picker::halfblocks())
}

/// Decodes `bytes` and fits the image in `cells` (columns, rows), keeping its aspect ratio.
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
        .new_protocol(image, Size::new(cells.0, cells.1), Resize::Fit(None))
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
    fn an_image_is_fitted_in_the_cells_keeping_its_aspect_ratio() {
        let picker = Picker::halfblocks();
        let preview = encode(&picker, &png(200, 100), (40, 20)).unwrap();
        assert_eq!((preview.width, preview.height), (200, 100));
        assert_eq!(preview.format, "png");
        let size = preview.protocol.size();
        assert!(size.width <= 40 && size.height <= 20, "{size:?}");
        // Twice as wide as high, with half-block cells of 10×20 px: 4 columns per row.
        assert_eq!(size.width, 4 * size.height, "{size:?}");
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
