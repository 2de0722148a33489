//! PNG export (`wadash qr --png`, the pane's save key): black on white with
//! the standard 4-module quiet zone, readable by any scanner.

use image::codecs::png::PngEncoder;
use image::{ExtendedColorType, GrayImage, ImageEncoder, Luma};

use super::encode::Modules;
use super::error::QrError;
use super::layout::QUIET;

/// Pixels per module for saved codes (`wadash qr --png`, the pane's `s`, the sandbox).
pub const PNG_SCALE: u32 = 8;
/// Pixels per module are clamped to this; 40 versions × 32 px stays a sane image.
const MAX_SCALE: u32 = 32;

/// PNG bytes of the code, `scale` pixels per module (clamped to 1..=32).
pub fn to_png(modules: &Modules, scale: u32) -> Result<Vec<u8>, QrError> {
    let scale = scale.clamp(1, MAX_SCALE);
    let side_modules = (modules.width() + 2 * QUIET) as u32;
    let side = side_modules * scale;
    let quiet = QUIET as isize;
    let image = GrayImage::from_fn(side, side, |x, y| {
        let (mx, my) = ((x / scale) as isize - quiet, (y / scale) as isize - quiet);
        Luma([if modules.is_dark(mx, my) { 0 } else { 255 }])
    });
    let mut out = Vec::new();
    PngEncoder::new(&mut out)
        .write_image(image.as_raw(), side, side, ExtendedColorType::L8)
        .map_err(|e| QrError::PngExport {
            reason: e.to_string(),
        })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qr::encode::encode;

    #[test]
    fn png_has_expected_size_and_quiet_zone() {
        let modules = encode("hello").unwrap();
        let png = to_png(&modules, 3).unwrap();
        let image = image::load_from_memory(&png).unwrap().into_luma8();
        let side = (modules.width() as u32 + 8) * 3;
        assert_eq!(image.dimensions(), (side, side));
        assert_eq!(image.get_pixel(0, 0).0, [255]);
        // First dark pixel on the diagonal is the finder's corner at module 4.
        assert_eq!(image.get_pixel(12, 12).0, [0]);
        assert_eq!(image.get_pixel(11, 11).0, [255]);
    }

    #[test]
    fn scale_is_clamped() {
        let modules = encode("hello").unwrap();
        let image = image::load_from_memory(&to_png(&modules, 0).unwrap()).unwrap();
        assert_eq!(image.width(), modules.width() as u32 + 8);
    }
}
