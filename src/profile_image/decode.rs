//! Decoding within limits: format detection, dimension and allocation
//! caps checked before any pixel buffer, and format names for messages.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

use super::{ImageError, MAX_DECODE_ALLOC, MAX_DIMENSION};

pub(super) struct Decoded {
    /// Upright (EXIF orientation applied).
    pub(super) image: DynamicImage,
    pub(super) format: ImageFormat,
    pub(super) format_name: &'static str,
    /// As stored, before orientation.
    pub(super) original_width: u32,
    pub(super) original_height: u32,
}

/// Decode with limits on dimensions and allocation; the announced size is
/// checked before any pixel buffer is allocated.
pub(super) fn decode_bounded(
    bytes: &[u8],
    what: &str,
    claimed: Option<&'static str>,
) -> Result<Decoded, ImageError> {
    let format = match image::guess_format(bytes) {
        Ok(f) => f,
        Err(_) => {
            return Err(ImageError::NotAnImage {
                what: what.to_string(),
                claimed,
                looks_like_text: looks_like_text(bytes),
            });
        }
    };
    let name = format_name(format);
    if !matches!(
        format,
        ImageFormat::Png
            | ImageFormat::Jpeg
            | ImageFormat::WebP
            | ImageFormat::Gif
            | ImageFormat::Bmp
    ) {
        return Err(ImageError::UnsupportedFormat {
            what: what.to_string(),
            detected: name,
        });
    }
    let undecodable = |e: image::ImageError| ImageError::Undecodable {
        what: what.to_string(),
        format: name,
        reason: e.to_string(),
    };

    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DIMENSION);
    limits.max_image_height = Some(MAX_DIMENSION);
    limits.max_alloc = Some(MAX_DECODE_ALLOC);

    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits.clone());
    let mut decoder = match reader.into_decoder() {
        Ok(d) => d,
        Err(image::ImageError::Limits(_)) => {
            // The decoder refused the header's dimensions; read them again
            // without limits just to name them (no pixels are decoded).
            let (width, height) = announced_dimensions(bytes, format).unwrap_or((0, 0));
            return Err(ImageError::TooManyPixels {
                what: what.to_string(),
                width,
                height,
            });
        }
        Err(e) => {
            // Some decoders refuse a zero dimension with an unhelpful message
            // ("too large"): say what is really wrong when the header shows it.
            if let Some((width, height)) = header_dimensions(bytes, format)
                && (width == 0 || height == 0)
            {
                return Err(ImageError::ZeroSize {
                    what: what.to_string(),
                    width,
                    height,
                });
            }
            return Err(undecodable(e));
        }
    };
    let (width, height) = decoder.dimensions();
    if width == 0 || height == 0 {
        return Err(ImageError::ZeroSize {
            what: what.to_string(),
            width,
            height,
        });
    }
    if limits.reserve(decoder.total_bytes()).is_err() {
        return Err(ImageError::TooManyPixels {
            what: what.to_string(),
            width,
            height,
        });
    }
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = match DynamicImage::from_decoder(decoder) {
        Ok(img) => img,
        Err(image::ImageError::Limits(_)) => {
            return Err(ImageError::TooManyPixels {
                what: what.to_string(),
                width,
                height,
            });
        }
        Err(e) => return Err(undecodable(e)),
    };
    image.apply_orientation(orientation);
    Ok(Decoded {
        image,
        format,
        format_name: name,
        original_width: width,
        original_height: height,
    })
}

fn announced_dimensions(bytes: &[u8], format: ImageFormat) -> Option<(u32, u32)> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.no_limits();
    reader.into_dimensions().ok()
}

/// Width and height straight from the header of the simple formats, for
/// error messages only.
fn header_dimensions(bytes: &[u8], format: ImageFormat) -> Option<(u32, u32)> {
    let u16_le = |at: usize| Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?));
    let i32_le = |at: usize| Some(i32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?));
    let u32_be = |at: usize| Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?));
    match format {
        ImageFormat::Png => Some((u32_be(16)?, u32_be(20)?)),
        ImageFormat::Gif => Some((u16_le(6)? as u32, u16_le(8)? as u32)),
        // BMP heights are negative for top-down pictures.
        ImageFormat::Bmp => Some((i32_le(18)?.unsigned_abs(), i32_le(22)?.unsigned_abs())),
        _ => None,
    }
}

fn looks_like_text(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(512)];
    std::str::from_utf8(head).is_ok_and(|s| {
        s.chars()
            .all(|c| !c.is_control() || c.is_ascii_whitespace())
    })
}

/// Human name of a format, for messages.
pub fn format_name(format: ImageFormat) -> &'static str {
    match format {
        ImageFormat::Png => "PNG",
        ImageFormat::Jpeg => "JPEG",
        ImageFormat::WebP => "WebP",
        ImageFormat::Gif => "GIF",
        ImageFormat::Bmp => "BMP",
        ImageFormat::Tiff => "TIFF",
        ImageFormat::Ico => "ICO",
        ImageFormat::Avif => "AVIF",
        ImageFormat::Tga => "TGA",
        ImageFormat::Dds => "DDS",
        ImageFormat::Hdr => "HDR",
        ImageFormat::OpenExr => "OpenEXR",
        ImageFormat::Pnm => "PNM",
        ImageFormat::Qoi => "QOI",
        ImageFormat::Farbfeld => "Farbfeld",
        _ => "an unsupported format",
    }
}
