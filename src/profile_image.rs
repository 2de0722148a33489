//! Profile picture preparation: turn what the user typed (a path, a URL, or
//! pasted base64) into the body of `PUT /api/config/image`.
//!
//! Everything local is checked before anything is sent: the file exists, is
//! readable, is at most 20 MiB, and decodes as PNG, JPEG, WebP, GIF or BMP.
//! Decoding is bounded by [`image::Limits`] so a decompression bomb is an
//! error, not an out-of-memory kill.
//!
//! By default a local file is centre-cropped to a square and re-encoded as a
//! JPEG of exactly `size`×`size` (640 by default). Smaller pictures are
//! upscaled too: that is what the common WhatsApp libraries do, WhatsApp stores
//! 640×640 anyway, and a fixed output size makes what is sent predictable.
//! `keep_original` sends the file's bytes untouched (still validated).

use std::fmt;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, RgbImage};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span, Text};

use crate::api::{ImageBody, UploadShape};
use crate::base64_lenient;

/// Largest file (or decoded inline payload) accepted.
pub const MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;
/// Largest width or height a decoder may announce.
pub const MAX_DIMENSION: u32 = 20_000;
/// Largest pixel buffer a decode may allocate: 256 MiB is an 8000×8000 RGBA
/// picture, far beyond any real profile photo, yet bounded.
pub const MAX_DECODE_ALLOC: u64 = 256 * 1024 * 1024;
/// Default edge of the square JPEG sent.
pub const DEFAULT_SIZE: u32 = 640;
/// JPEG quality of the re-encoded picture.
pub const JPEG_QUALITY: u8 = 85;
/// The preview fits in this many pixels each way (half-blocks: 64 columns ×
/// 32 terminal rows at most).
pub const PREVIEW_MAX: u32 = 64;

/// Text that does not start like a known image is only taken for base64 when
/// at least this long and without a '/': otherwise it is more likely a file
/// name or a directory path being typed (every supported picture's base64
/// starts with one of [`IMAGE_BASE64_PREFIXES`] anyway).
const INLINE_MIN_LEN: usize = 64;

/// Where the picture comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageSource {
    File(PathBuf),
    Url(String),
    /// Bare base64 or a `data:image/…;base64,` URL, as pasted.
    Inline(String),
}

impl ImageSource {
    /// Short description for the memory file and logs: the path, the URL, or
    /// "base64 (N chars)" (never the payload itself).
    pub fn describe(&self) -> String {
        match self {
            ImageSource::File(p) => p.display().to_string(),
            ImageSource::Url(u) => u.clone(),
            ImageSource::Inline(s) => format!(
                "{INLINE_SUMMARY_START}{}{INLINE_SUMMARY_END}",
                strip_whitespace(s).len()
            ),
        }
    }
}

/// How [`ImageSource::describe`] summarises a paste: "base64 (N chars)".
const INLINE_SUMMARY_START: &str = "base64 (";
const INLINE_SUMMARY_END: &str = " chars)";

/// Whether a remembered [`ImageSource::describe`] can be typed again to send
/// the same picture: a path or URL can; the summary of a paste cannot, nor a
/// payload remembered whole (as older versions did).
pub fn can_send_again(described: &str) -> bool {
    let is_summary = described
        .strip_prefix(INLINE_SUMMARY_START)
        .and_then(|rest| rest.strip_suffix(INLINE_SUMMARY_END))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    !is_summary && !matches!(classify_text(described), ImageSource::Inline(_))
}

/// Decide what the user typed from the text alone (no file system): URLs by
/// scheme (http too, so that `prepare` can refuse it with a reason), data
/// URLs and base64-looking text as inline, everything else as a path (a
/// leading `~/` is expanded).
pub fn classify_text(input: &str) -> ImageSource {
    let trimmed = input.trim();
    let lower = trimmed.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") || has_url_scheme(&lower) {
        return ImageSource::Url(trimmed.to_string());
    }
    if lower.starts_with("data:") || looks_like_base64(trimmed) {
        return ImageSource::Inline(trimmed.to_string());
    }
    ImageSource::File(expand_home(trimmed))
}

/// [`classify_text`], except that an existing file wins over a base64
/// reading of its name.
pub fn classify(input: &str) -> ImageSource {
    match classify_text(input) {
        ImageSource::Inline(text) if Path::new(&text).exists() => {
            ImageSource::File(PathBuf::from(text))
        }
        other => other,
    }
}

/// `ftp://…`, `file://…`, `s3://…`: a URL, refused with a reason by
/// `prepare`, never looked up as a file called "ftp:".
fn has_url_scheme(lower: &str) -> bool {
    lower.split_once("://").is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme.len() <= 16
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

fn expand_home(input: &str) -> PathBuf {
    if let Some(rest) = input.strip_prefix("~/")
        && let Some(dirs) = directories::BaseDirs::new()
    {
        return dirs.home_dir().join(rest);
    }
    if input == "~"
        && let Some(dirs) = directories::BaseDirs::new()
    {
        return dirs.home_dir().to_path_buf();
    }
    PathBuf::from(input)
}

/// Base64 of PNG, JPEG, WebP (RIFF), GIF and BMP starts with these.
const IMAGE_BASE64_PREFIXES: [&str; 5] = ["iVBORw0KGgo", "/9j/", "UklGR", "R0lGOD", "Qk"];

fn looks_like_base64(s: &str) -> bool {
    let compact = strip_whitespace(s);
    if compact.is_empty() {
        return false;
    }
    let body = compact.trim_end_matches('=');
    let alphabet_only = body
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_'));
    if !alphabet_only || compact.len() - body.len() > 2 {
        return false;
    }
    let known_start = IMAGE_BASE64_PREFIXES
        .iter()
        .any(|p| compact.starts_with(p) && compact.len() >= 16);
    known_start || (compact.len() >= INLINE_MIN_LEN && !compact.contains('/'))
}

fn strip_whitespace(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

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
    pub preview: Option<RgbImage>,
}

/// Why a picture cannot be sent. Each message says what is wrong and, where
/// it helps, what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageError {
    Missing {
        path: PathBuf,
    },
    Unreadable {
        path: PathBuf,
        reason: String,
    },
    NotAFile {
        path: PathBuf,
        /// "a directory", "a named pipe", "a device", …
        kind: &'static str,
    },
    /// Zero bytes.
    Empty {
        what: String,
    },
    TooLarge {
        what: String,
        bytes: u64,
    },
    /// The bytes match no picture format.
    NotAnImage {
        what: String,
        /// Format the file name claims (by extension), if any.
        claimed: Option<&'static str>,
        looks_like_text: bool,
    },
    /// A picture format wadash does not decode (e.g. TIFF).
    UnsupportedFormat {
        what: String,
        detected: &'static str,
    },
    Undecodable {
        what: String,
        format: &'static str,
        reason: String,
    },
    /// Width or height 0.
    ZeroSize {
        what: String,
        width: u32,
        height: u32,
    },
    /// Decoding would exceed the dimension or memory limits.
    TooManyPixels {
        what: String,
        width: u32,
        height: u32,
    },
    BadBase64 {
        reason: String,
    },
    InsecureUrl {
        url: String,
    },
    BadUrl {
        url: String,
        reason: String,
    },
    Encode {
        reason: String,
    },
    /// Neither a plausible path, nor a URL, nor base64 (a pasted blob, an
    /// `ftp://` link): what was given, cut short.
    NotASource {
        shown: String,
    },
    /// Preparation did not finish in time (a file on a hung network mount).
    TimedOut {
        what: String,
        after: std::time::Duration,
    },
}

impl fmt::Display for ImageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImageError::Missing { path } => write!(
                f,
                "{}: no such file (expected a picture file, an https:// URL, \
                 or base64 / a data:image/…;base64, URL)",
                shown_path(path)
            ),
            ImageError::Unreadable { path, reason } => {
                write!(f, "{}: cannot be read ({reason})", shown_path(path))
            }
            ImageError::NotAFile { path, kind } => {
                write!(f, "{}: is {kind}, not a picture file", shown_path(path))
            }
            ImageError::NotASource { shown } => write!(
                f,
                "{shown}: not a picture file path, an https:// URL, nor base64 \
                 (expected e.g. ./logo.png, https://example.com/logo.jpg or data:image/png;base64,…)"
            ),
            ImageError::TimedOut { what, after } => write!(
                f,
                "{what}: preparing the picture took longer than {} s; nothing sent",
                after.as_secs()
            ),
            ImageError::Empty { what } => write!(f, "{what}: is empty (0 bytes), not a picture"),
            ImageError::TooLarge { what, bytes } => write!(
                f,
                "{what}: too large ({:.1} MiB; the limit is {} MiB)",
                *bytes as f64 / (1024.0 * 1024.0),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
            ImageError::NotAnImage {
                what,
                claimed,
                looks_like_text,
            } => {
                write!(f, "{what}: not an image")?;
                match claimed {
                    Some(c) => write!(f, " (the name says {c}, but the contents are not")?,
                    None => write!(f, " (the contents match no picture format")?,
                }
                if *looks_like_text {
                    write!(f, "; it looks like text")?;
                }
                write!(f, "); use a PNG, JPEG, WebP, GIF or BMP picture")
            }
            ImageError::UnsupportedFormat { what, detected } => write!(
                f,
                "{what}: {detected} pictures are not supported; use PNG, JPEG, WebP, GIF or BMP"
            ),
            ImageError::Undecodable {
                what,
                format,
                reason,
            } => write!(
                f,
                "{what}: looks like {format} but cannot be decoded ({reason})"
            ),
            ImageError::ZeroSize {
                what,
                width,
                height,
            } => write!(
                f,
                "{what}: the picture is {width}×{height}, it has no pixels"
            ),
            ImageError::TooManyPixels {
                what,
                width,
                height,
            } => {
                let needed = u64::from(*width) * u64::from(*height) * 4 / (1024 * 1024);
                let limit = MAX_DECODE_ALLOC / (1024 * 1024);
                if *width > MAX_DIMENSION || *height > MAX_DIMENSION {
                    write!(
                        f,
                        "{what}: {width}×{height} is larger than {MAX_DIMENSION} pixels a side; \
                         shrink it first (WhatsApp shows 640×640)"
                    )
                } else {
                    write!(
                        f,
                        "{what}: {width}×{height} would need about {needed} MiB to decode, \
                         more than the {limit} MiB wadash allows; shrink it first \
                         (WhatsApp shows 640×640)"
                    )
                }
            }
            ImageError::BadBase64 { reason } => {
                write!(f, "pasted text is not valid base64 ({reason})")
            }
            ImageError::InsecureUrl { url } => write!(
                f,
                "{url}: http:// links are refused; the service wants an https:// URL"
            ),
            ImageError::BadUrl { url, reason } => write!(f, "{url}: not a usable URL ({reason})"),
            ImageError::Encode { reason } => {
                write!(f, "could not re-encode the picture as JPEG ({reason})")
            }
        }
    }
}

impl std::error::Error for ImageError {}

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

/// Read a file, refusing more than [`MAX_FILE_BYTES`] even if it grows
/// between the size check and the read.
/// Only a regular file is read: a named pipe, a device or a socket could
/// block for ever or never end. The file is opened without blocking (a FIFO
/// with no writer would otherwise hang in `open`) and checked on the opened
/// handle, so swapping the path between check and read changes nothing.
fn read_bounded(path: &Path) -> Result<Vec<u8>, ImageError> {
    let meta = std::fs::metadata(path).map_err(|e| io_error(path, e))?;
    if !meta.is_file() {
        return Err(not_a_file(path, &meta));
    }
    let what = path.display().to_string();
    if meta.len() > MAX_FILE_BYTES {
        return Err(ImageError::TooLarge {
            what,
            bytes: meta.len(),
        });
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options.open(path).map_err(|e| io_error(path, e))?;
    let meta = file.metadata().map_err(|e| io_error(path, e))?;
    if !meta.is_file() {
        return Err(not_a_file(path, &meta));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(ImageError::TooLarge {
            what,
            bytes: meta.len(),
        });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_error(path, e))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ImageError::TooLarge {
            what,
            bytes: bytes.len() as u64,
        });
    }
    if bytes.is_empty() {
        return Err(ImageError::Empty { what });
    }
    Ok(bytes)
}

fn not_a_file(path: &Path, meta: &std::fs::Metadata) -> ImageError {
    #[cfg(unix)]
    let kind = {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            "a named pipe"
        } else if t.is_char_device() || t.is_block_device() {
            "a device"
        } else if t.is_socket() {
            "a socket"
        } else if t.is_dir() {
            "a directory"
        } else {
            "not a regular file"
        }
    };
    #[cfg(not(unix))]
    let kind = if meta.is_dir() {
        "a directory"
    } else {
        "not a regular file"
    };
    ImageError::NotAFile {
        path: path.to_path_buf(),
        kind,
    }
}

/// A path for a message: at most 80 characters (a pasted blob of text
/// taken for a path must not fill the screen).
fn shown_path(path: &Path) -> String {
    let text = path.display().to_string();
    clip_echo(&text)
}

fn clip_echo(text: &str) -> String {
    const MAX: usize = 80;
    if text.chars().count() <= MAX {
        return text.to_string();
    }
    let head: String = text.chars().take(MAX - 1).collect();
    format!("{head}… ({} characters)", text.chars().count())
}

/// Map an I/O failure on a picture path to the error a user can act on.
pub fn io_error(path: &Path, err: std::io::Error) -> ImageError {
    match err.kind() {
        std::io::ErrorKind::NotFound => ImageError::Missing {
            path: path.to_path_buf(),
        },
        std::io::ErrorKind::IsADirectory => ImageError::NotAFile {
            path: path.to_path_buf(),
            kind: "a directory",
        },
        std::io::ErrorKind::PermissionDenied => ImageError::Unreadable {
            path: path.to_path_buf(),
            reason: "permission denied".to_string(),
        },
        _ => ImageError::Unreadable {
            path: path.to_path_buf(),
            reason: err.to_string(),
        },
    }
}

struct Decoded {
    /// Upright (EXIF orientation applied).
    image: DynamicImage,
    format: ImageFormat,
    format_name: &'static str,
    /// As stored, before orientation.
    original_width: u32,
    original_height: u32,
}

/// Decode with limits on dimensions and allocation; the announced size is
/// checked before any pixel buffer is allocated.
fn decode_bounded(
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

/// Centre-crop to a square and scale to `size`×`size`, flattening any
/// transparency onto white (JPEG has no alpha; unflattened transparent
/// pixels would come out as whatever colour they happen to hold, often black).
fn square_rgb(image: &DynamicImage, size: u32) -> RgbImage {
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

fn flatten_on_white(image: &DynamicImage) -> RgbImage {
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

fn encode_jpeg(image: &RgbImage) -> Result<Vec<u8>, ImageError> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
        .encode_image(image)
        .map_err(|e| ImageError::Encode {
            reason: e.to_string(),
        })?;
    Ok(out)
}

/// A small RGB copy fitting in [`PREVIEW_MAX`]² (aspect kept, never upscaled
/// beyond the picture itself).
fn make_preview(image: &DynamicImage) -> RgbImage {
    let (w, h) = (image.width(), image.height());
    let small = if w <= PREVIEW_MAX && h <= PREVIEW_MAX {
        image.clone()
    } else {
        image.resize(PREVIEW_MAX, PREVIEW_MAX, FilterType::Triangle)
    };
    flatten_on_white(&small)
}

/// Half-block lines for a terminal: each cell is `▀` with the upper pixel as
/// foreground and the lower one as background, so one text row shows two
/// pixel rows. An odd last row leaves the background unset.
pub fn preview_text(preview: &RgbImage) -> Text<'static> {
    let (w, h) = preview.dimensions();
    let rgb = |x: u32, y: u32| {
        let [r, g, b] = preview.get_pixel(x, y).0;
        Color::Rgb(r, g, b)
    };
    let lines: Vec<Line<'static>> = (0..h.div_ceil(2))
        .map(|row| {
            let top = row * 2;
            let spans: Vec<Span<'static>> = (0..w)
                .map(|x| {
                    let mut style = Style::default().fg(rgb(x, top));
                    if top + 1 < h {
                        style = style.bg(rgb(x, top + 1));
                    }
                    Span::styled("▀", style)
                })
                .collect();
            Line::from(spans)
        })
        .collect();
    Text::from(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classify_recognises_each_kind() {
        assert_eq!(
            classify("https://example.com/a.png"),
            ImageSource::Url("https://example.com/a.png".into())
        );
        assert_eq!(
            classify("  HTTP://example.com/a.png "),
            ImageSource::Url("HTTP://example.com/a.png".into())
        );
        assert!(matches!(
            classify("data:image/png;base64,iVBORw0KGgo="),
            ImageSource::Inline(_)
        ));
        assert!(matches!(
            classify("iVBORw0KGgoAAAANSUhEUg"),
            ImageSource::Inline(_)
        ));
        assert!(matches!(classify(&"A".repeat(100)), ImageSource::Inline(_)));
        assert_eq!(
            classify("pics/avatar.png"),
            ImageSource::File("pics/avatar.png".into())
        );
        // Short alphanumeric names are files, not base64.
        assert_eq!(classify("avatar"), ImageSource::File("avatar".into()));
    }

    #[test]
    fn pasted_base64_with_slashes_is_inline_but_long_paths_are_not() {
        let gif = format!(
            "R0lGODlhAQABAIAAAP///wAAACwAAAAAAQABAAACAkQBADs{}",
            "A".repeat(40)
        );
        assert!(matches!(classify_text(&gif), ImageSource::Inline(_)));
        let jpeg = format!("/9j/4AAQSkZJRgABAQ{}", "/A+".repeat(30));
        assert!(matches!(classify_text(&jpeg), ImageSource::Inline(_)));
        // A deep directory being typed (Tab completes it) is not a paste.
        let dir = "/home/maria/Documentos/Clientes/Tienda-Lima/Fotos_de_perfil/2024/";
        assert!(dir.len() >= INLINE_MIN_LEN);
        assert_eq!(classify_text(dir), ImageSource::File(dir.into()));
    }

    #[test]
    fn only_paths_and_urls_can_be_sent_again() {
        assert!(can_send_again("pics/a.png"));
        assert!(can_send_again("https://x.test/a.png"));
        let pasted = ImageSource::Inline(format!("iVBORw0KGgo{}", "A".repeat(80)));
        assert!(!can_send_again(&pasted.describe()));
        // A payload remembered whole by an older version.
        assert!(!can_send_again(&format!("R0lGODlh/{}", "A".repeat(80))));
        assert!(can_send_again("base64 (notes).png"));
    }

    #[test]
    fn classify_expands_home() {
        let Some(dirs) = directories::BaseDirs::new() else {
            return;
        };
        assert_eq!(
            classify("~/p.png"),
            ImageSource::File(dirs.home_dir().join("p.png"))
        );
    }

    #[test]
    fn describe_never_includes_payload() {
        let s = ImageSource::Inline(format!("iVBOR\n{}", "A".repeat(95)));
        assert_eq!(s.describe(), "base64 (100 chars)");
    }

    #[test]
    fn permission_denied_maps_to_unreadable() {
        let e = io_error(
            Path::new("/x/p.png"),
            std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        );
        assert_eq!(
            e.to_string(),
            "/x/p.png: cannot be read (permission denied)"
        );
        let e = io_error(
            Path::new("/x/p.png"),
            std::io::Error::from(std::io::ErrorKind::NotFound),
        );
        assert_eq!(
            e,
            ImageError::Missing {
                path: "/x/p.png".into()
            }
        );
    }

    #[test]
    fn preview_text_pairs_rows() {
        let mut img = RgbImage::new(3, 3);
        img.put_pixel(0, 0, image::Rgb([255, 0, 0]));
        img.put_pixel(0, 1, image::Rgb([0, 0, 255]));
        let text = preview_text(&img);
        assert_eq!(text.lines.len(), 2);
        assert_eq!(text.lines[0].spans.len(), 3);
        let first = &text.lines[0].spans[0];
        assert_eq!(first.content, "▀");
        assert_eq!(first.style.fg, Some(Color::Rgb(255, 0, 0)));
        assert_eq!(first.style.bg, Some(Color::Rgb(0, 0, 255)));
        assert_eq!(text.lines[1].spans[0].style.bg, None);
    }

    #[test]
    fn transparency_flattens_to_white() {
        let img = DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(
            4,
            4,
            image::Rgba([0, 0, 0, 0]),
        ));
        assert_eq!(flatten_on_white(&img).get_pixel(1, 1).0, [255, 255, 255]);
    }
}
