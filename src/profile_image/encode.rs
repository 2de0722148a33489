//! The picture as sent when re-encoded: centre-cropped square, transparency
//! flattened onto white, JPEG at [`JPEG_QUALITY`].

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, RgbImage};

use super::{ImageError, JPEG_QUALITY};

/// Centre-crop to a square and scale to `size`×`size`, flattening any
/// transparency onto white (JPEG has no alpha; unflattened transparent
/// pixels would come out as whatever colour they happen to hold, often black).
pub(super) fn square_rgb(image: &DynamicImage, size: u32) -> RgbImage {
    let (w, h) = (image.width(), image.height());
    let side = w.min(h);
    let cropped = image.crop_imm((w - side) / 2, (h - side) / 2, side, side);
    let scaled = if side == size {
        cropped
    } else {
        cropped.resize_exact(size, size, FilterType::Triangle)
    };
    flatten_on_white(&scaled)
}

pub(super) fn flatten_on_white(image: &DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.to_rgb8();
    }
    let rgba = image.to_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let blend = |c: u8| ((c as u32 * a as u32 + 255 * (255 - a as u32)) / 255) as u8;
        image::Rgb([blend(r), blend(g), blend(b)])
    })
}

pub(super) fn encode_jpeg(image: &RgbImage) -> Result<Vec<u8>, ImageError> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
        .encode_image(image)
        .map_err(|e| ImageError::Encode {
            reason: e.to_string(),
        })?;
    Ok(out)
}
