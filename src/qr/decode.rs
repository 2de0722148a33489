//! The API's `QR` value -> the pairing text.
//!
//! Three forms arrive in practice: a data URL (`data:image/png;base64,…`),
//! bare base64 of a PNG/JPEG, and base64 of the pairing text itself. Images
//! are decoded with `image` and read with `rqrr`.

use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

use image::{ImageFormat, ImageReader, Limits};

use super::error::{QrError, snippet, snippet_bytes};
use crate::base64_lenient;

/// A QR image from the server is a few hundred pixels; anything far bigger
/// is a mistake we refuse before allocating for it.
const MAX_IMAGE_SIDE: u32 = 4096;
const MAX_IMAGE_ALLOC: u64 = 128 * 1024 * 1024;
/// rqrr finds codes more reliably when modules are several pixels wide, so
/// small images are read through a nearest-neighbour upscale to about this.
const MIN_READ_SIDE: u32 = 400;
/// More than a QR code can hold: anything longer cannot be a pairing text.
const MAX_TEXT_BYTES: usize = 2953;

pub fn decode_payload(qr_value: &str) -> Result<String, QrError> {
    let value = qr_value.trim();
    if value.is_empty() {
        return Err(QrError::Empty);
    }
    let encoded = base64_lenient::strip_data_url(value).map_err(|_| QrError::BadDataUrl {
        start: snippet(value),
    })?;
    let bytes = base64_lenient::decode(encoded).map_err(|_| QrError::NotBase64 {
        start: snippet(value),
    })?;
    if bytes.is_empty() {
        return Err(QrError::Empty);
    }
    match image::guess_format(&bytes) {
        // A text can start with an image signature by chance ("BM…" is BMP):
        // when the image decoder refuses it, the text reading gets a turn.
        Ok(format) => read_image(&bytes, format).or_else(|error| match error {
            QrError::BadImage { .. } => pairing_text(&bytes).map_err(|_| error),
            other => Err(other),
        }),
        Err(_) => pairing_text(&bytes),
    }
}

/// Decoded bytes that are not an image must be the pairing text itself.
fn pairing_text(bytes: &[u8]) -> Result<String, QrError> {
    let unknown = || QrError::UnknownBytes {
        start: snippet_bytes(bytes),
    };
    let text = std::str::from_utf8(bytes).map_err(|_| unknown())?;
    if text.chars().any(char::is_control) {
        return Err(unknown());
    }
    if text.len() > MAX_TEXT_BYTES {
        return Err(QrError::TooLong { len: text.len() });
    }
    Ok(text.to_string())
}

fn read_image(bytes: &[u8], format: ImageFormat) -> Result<String, QrError> {
    let format_name = format!("{format:?}").to_uppercase();
    let bad = |reason: String| QrError::BadImage {
        format: format_name.clone(),
        reason,
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_IMAGE_SIDE);
    limits.max_image_height = Some(MAX_IMAGE_SIDE);
    limits.max_alloc = Some(MAX_IMAGE_ALLOC);
    reader.limits(limits);
    let image = reader
        .decode()
        .map_err(|e| bad(e.to_string()))?
        .into_rgba8();
    let (width, height) = image.dimensions();
    if width == 0 || height == 0 {
        return Err(bad("the image is empty".to_string()));
    }
    let scale = MIN_READ_SIDE.div_ceil(width.max(height)).max(1);
    let luma = |x: usize, y: usize| {
        let p = image.get_pixel(x as u32 / scale, y as u32 / scale).0;
        flatten_on_white(p)
    };
    match read_qr((width * scale) as usize, (height * scale) as usize, luma) {
        Err(QrError::NoQrFound { .. }) => Err(QrError::NoQrFound { width, height }),
        other => other,
    }
}

/// Luma of a pixel composited over white: transparent PNG backgrounds
/// would otherwise read as black and hide the code.
fn flatten_on_white([r, g, b, a]: [u8; 4]) -> u8 {
    let luma = (u32::from(r) * 299 + u32::from(g) * 587 + u32::from(b) * 114) / 1000;
    let alpha = u32::from(a);
    ((luma * alpha + 255 * (255 - alpha)) / 255) as u8
}

/// Find and read a QR code in a greyscale picture (0 black, 255 white).
///
/// rqrr is fed untrusted pictures; a panic inside it becomes an error here
/// rather than taking the dashboard down.
pub(crate) fn read_qr<F>(width: usize, height: usize, luma: F) -> Result<String, QrError>
where
    F: FnMut(usize, usize) -> u8,
{
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(width, height, luma);
        let grids = prepared.detect_grids();
        if grids.is_empty() {
            return Err(QrError::NoQrFound {
                width: width as u32,
                height: height as u32,
            });
        }
        let mut last_error = String::new();
        for grid in &grids {
            match grid.decode() {
                Ok((_, text)) => return Ok(text),
                Err(e) => last_error = e.to_string(),
            }
        }
        Err(QrError::Unreadable { reason: last_error })
    }));
    outcome.unwrap_or_else(|_| {
        Err(QrError::Unreadable {
            reason: "the QR reader failed on this image".into(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transparent_pixels_read_as_white() {
        assert_eq!(flatten_on_white([0, 0, 0, 0]), 255);
        assert_eq!(flatten_on_white([0, 0, 0, 255]), 0);
        assert_eq!(flatten_on_white([255, 255, 255, 255]), 255);
    }

    #[test]
    fn text_with_control_characters_is_not_a_pairing_text() {
        assert!(matches!(
            pairing_text(b"2@abc\x01"),
            Err(QrError::UnknownBytes { .. })
        ));
        assert!(matches!(
            pairing_text(&[0xff, 0xfe, 0x00]),
            Err(QrError::UnknownBytes { .. })
        ));
        assert_eq!(pairing_text(b"2@abc,def").unwrap(), "2@abc,def");
    }
}
