//! From a classified source to the request body: the options, the result,
//! and the per-kind steps (URL, pasted base64, local file), with a timeout.

use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use image::{DynamicImage, ImageFormat, RgbImage};

use super::decode::{decode_bounded, format_name};
use super::encode::{encode_jpeg, square_rgb};
use super::error::{clip_echo, shown_path};
use super::preview::make_preview;
use super::read::read_bounded;
use super::source::strip_whitespace;
use super::{DEFAULT_SIZE, ImageError, ImageSource, MAX_FILE_BYTES};
use crate::api::{ImageBody, UploadShape};
use crate::base64_lenient;

/// How to prepare a picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrepareOptions {
    /// Send a local file's bytes as they are (still validated).
    pub keep_original: bool,
    /// The account's upload shape (only matters for local files).
    pub shape: UploadShape,
    /// Edge of the square JPEG, when re-encoding.
    pub size: u32,
    /// Also build [`Prepared::preview`] (only the dashboard shows one).
    pub preview: bool,
}

impl Default for PrepareOptions {
    fn default() -> Self {
        PrepareOptions {
            keep_original: false,
            shape: UploadShape::Multipart,
            size: DEFAULT_SIZE,
            preview: false,
        }
    }
}

/// A picture ready to send, with what the form shows about it.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub body: ImageBody,
    /// Dimensions of the picture as sent; 0×0 for a URL (not fetched).
    pub width: u32,
    pub height: u32,
    /// Size of the image bytes sent (before base64); 0 for a URL.
    pub bytes: usize,
    /// The source picture's dimensions and format name; None for a URL.
    pub original: Option<(u32, u32, &'static str)>,
    /// At most [`PREVIEW_MAX`]² pixels of the picture as it will be sent;
    /// None for a URL or unless [`PrepareOptions::preview`] asked for it.
    ///
    /// [`PREVIEW_MAX`]: super::PREVIEW_MAX
    pub preview: Option<RgbImage>,
}

/// Longest a picture may take to prepare before the action fails (and the
/// instance is free again).
pub const PREPARE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(20);

/// [`prepare`] on a blocking thread, given up after `timeout`: a file that
/// hangs (a dead network mount) fails cleanly instead of holding the action
/// for ever. The thread itself ends whenever the read does.
pub async fn prepare_within(
    source: ImageSource,
    opts: PrepareOptions,
    timeout: std::time::Duration,
) -> Result<Prepared, ImageError> {
    let what = source.describe();
    let job = tokio::task::spawn_blocking(move || prepare(&source, &opts));
    match tokio::time::timeout(timeout, job).await {
        Ok(Ok(result)) => result,
        Ok(Err(e)) => Err(ImageError::Encode {
            reason: format!("preparation crashed: {e}"),
        }),
        Err(_) => Err(ImageError::TimedOut {
            what,
            after: timeout,
        }),
    }
}

/// Check and convert a source into a request body. Never sends anything.
pub fn prepare(source: &ImageSource, opts: &PrepareOptions) -> Result<Prepared, ImageError> {
    match source {
        ImageSource::Url(url) => prepare_url(url),
        ImageSource::Inline(text) => prepare_inline(text, opts),
        ImageSource::File(path) => prepare_file(path, opts),
    }
}

fn prepare_url(raw: &str) -> Result<Prepared, ImageError> {
    let url = raw.trim();
    let parsed = url::Url::parse(url).map_err(|e| ImageError::BadUrl {
        url: clip_echo(url),
        reason: e.to_string(),
    })?;
    match parsed.scheme() {
        "https" => {}
        "http" => {
            return Err(ImageError::InsecureUrl {
                url: url.to_string(),
            });
        }
        other => {
            return Err(ImageError::BadUrl {
                url: clip_echo(url),
                reason: format!(
                    "{other}:// links are not supported; the service wants an https:// URL"
                ),
            });
        }
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(ImageError::BadUrl {
            url: url.to_string(),
            reason: "no host".to_string(),
        });
    }
    Ok(Prepared {
        body: ImageBody::Url(url.to_string()),
        width: 0,
        height: 0,
        bytes: 0,
        original: None,
        preview: None,
    })
}

fn prepare_inline(text: &str, opts: &PrepareOptions) -> Result<Prepared, ImageError> {
    let compact = strip_whitespace(text);
    let what = "pasted base64".to_string();
    let payload = base64_lenient::strip_data_url(&compact).map_err(|e| ImageError::BadBase64 {
        reason: e.to_string(),
    })?;
    if payload.is_empty() {
        return Err(ImageError::Empty { what });
    }
    // 4 base64 chars carry 3 bytes: refuse oversize before allocating.
    if payload.len() as u64 / 4 * 3 > MAX_FILE_BYTES {
        return Err(ImageError::TooLarge {
            what,
            bytes: payload.len() as u64 / 4 * 3,
        });
    }
    let bytes = base64_lenient::decode(payload).map_err(|e| ImageError::BadBase64 {
        reason: e.to_string(),
    })?;
    if bytes.is_empty() {
        return Err(ImageError::Empty { what });
    }
    let decoded = decode_bounded(&bytes, &what, None)?;
    let (width, height) = (decoded.image.width(), decoded.image.height());
    Ok(Prepared {
        body: ImageBody::Base64(compact),
        width,
        height,
        bytes: bytes.len(),
        original: Some((width, height, decoded.format_name)),
        preview: opts.preview.then(|| make_preview(&decoded.image)),
    })
}

fn prepare_file(path: &Path, opts: &PrepareOptions) -> Result<Prepared, ImageError> {
    if !plausible_path(path) && !path.exists() {
        return Err(ImageError::NotASource {
            shown: shown_path(path),
        });
    }
    let bytes = read_bounded(path)?;
    let what = path.display().to_string();
    let claimed = path
        .extension()
        .and_then(ImageFormat::from_extension)
        .map(format_name);
    let decoded = decode_bounded(&bytes, &what, claimed)?;
    let original = Some((
        decoded.original_width,
        decoded.original_height,
        decoded.format_name,
    ));

    if opts.keep_original {
        let (width, height) = (decoded.image.width(), decoded.image.height());
        let preview = opts.preview.then(|| make_preview(&decoded.image));
        let byte_count = bytes.len();
        let body = match opts.shape {
            UploadShape::Multipart => ImageBody::Multipart {
                file_name: file_name_of(path, None),
                mime: decoded.format.to_mime_type().to_string(),
                bytes,
            },
            UploadShape::Base64 => ImageBody::Base64(STANDARD.encode(&bytes)),
        };
        return Ok(Prepared {
            body,
            width,
            height,
            bytes: byte_count,
            original,
            preview,
        });
    }

    let size = opts.size.max(1);
    let square = square_rgb(&decoded.image, size);
    let jpeg = encode_jpeg(&square)?;
    let preview = opts
        .preview
        .then(|| make_preview(&DynamicImage::ImageRgb8(square)));
    let byte_count = jpeg.len();
    let body = match opts.shape {
        UploadShape::Multipart => ImageBody::Multipart {
            file_name: file_name_of(path, Some("jpg")),
            mime: "image/jpeg".to_string(),
            bytes: jpeg,
        },
        UploadShape::Base64 => ImageBody::Base64(STANDARD.encode(&jpeg)),
    };
    Ok(Prepared {
        body,
        width: size,
        height: size,
        bytes: byte_count,
        original,
        preview,
    })
}

/// The file name sent in the multipart part; `<stem>.jpg` when re-encoded.
fn file_name_of(path: &Path, new_extension: Option<&str>) -> String {
    let name = match new_extension {
        Some(ext) => path
            .file_stem()
            .map(|s| format!("{}.{ext}", s.to_string_lossy())),
        None => path.file_name().map(|s| s.to_string_lossy().into_owned()),
    };
    name.filter(|n| !n.starts_with('.'))
        .unwrap_or_else(|| format!("image.{}", new_extension.unwrap_or("jpg")))
}

/// A path a person could have meant: no component longer than a file name
/// may be (255 bytes), no control characters. Pasted garbage is not.
fn plausible_path(path: &Path) -> bool {
    let text = path.as_os_str().to_string_lossy();
    !text.chars().any(char::is_control) && path.components().all(|c| c.as_os_str().len() <= 255)
}
